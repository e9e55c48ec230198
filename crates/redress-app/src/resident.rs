//! Residents following their own case online: they prove who they are with the reference
//! and the email address or postcode they gave, and get a session that opens that one case.

use crate::auth::{random_token, token_hash};
use crate::{App, AppError};
use jiff::SignedDuration;
use redress_domain::case::{Command, NoteKind};
use redress_domain::contact::{Contact, Reference};
use redress_domain::event::Actor;
use redress_domain::field::parse_postcode;
use redress_domain::letter::{Delivery, LetterKind};
use std::collections::BTreeMap;

/// A resident's session lasts an hour: long enough to read and reply, short on a shared phone.
pub const RESIDENT_SESSION: SignedDuration = SignedDuration::from_hours(1);
/// Wrong answers for one reference before it is locked for a while.
pub const MAX_TRIES: usize = 5;

/// What a resident may do on their case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResidentRequest {
    AddInformation(String),
    Escalate(String),
    Withdraw(String),
    /// Asks for the Tenants Panel's input on the stage 1 response, saying why.
    AskTenantsPanel(String),
}

fn not_found() -> AppError {
    AppError::invalid(
        "reference",
        "We could not find a case with that reference and email address, or postcode and surname. Check them and try again. If you act for someone and we need something from you first, we have emailed you",
    )
}

impl App {
    /// Checks the reference against the email address or postcode on the case and opens a
    /// session for it. The same answer is given whatever was wrong, so nothing leaks.
    pub async fn resident_sign_in(
        &self,
        reference: &str,
        email_or_postcode: &str,
        surname: &str,
    ) -> Result<(String, Contact), AppError> {
        let contact = self
            .check_answer(reference, email_or_postcode, surname)
            .await?
            .ok_or_else(not_found)?;
        let token = self.open_resident_session(&contact).await?;
        Ok((token, contact))
    }

    /// The case when the answer is right: an email address on it, or its postcode with the
    /// person's surname (a postcode is shared by a street: with it alone, a neighbour with a
    /// reference could open someone's case). Every try counts towards the lockout for that
    /// reference.
    async fn check_answer(
        &self,
        reference: &str,
        email_or_postcode: &str,
        surname: &str,
    ) -> Result<Option<Contact>, AppError> {
        let Some(reference) = Reference::parse(reference) else {
            return Ok(None);
        };
        let key = format!("track:{reference}");
        let now = self.now();
        let since = now
            .checked_sub(crate::auth::LOCKOUT)
            .map_err(|e| AppError::Internal(e.to_string()))?;
        if self.store.recent_failures(&key, since).await?.len() >= MAX_TRIES {
            return Err(AppError::invalid(
                "reference",
                format!(
                    "Too many tries for this reference. Wait {} minutes and try again, or contact us",
                    crate::auth::LOCKOUT.as_mins()
                ),
            ));
        }
        let contact = self
            .store
            .contact_by_reference(&self.organisation.id, &reference)
            .await?;
        let answer = email_or_postcode.trim();
        let postcode = parse_postcode(answer).ok().flatten();
        let matches = contact.as_ref().is_some_and(|c| {
            let person = c.detail.person.as_ref();
            let rep = c.detail.representative.as_ref();
            let email_matches =
                |e: &Option<String>| e.as_deref().is_some_and(|e| e.eq_ignore_ascii_case(answer));
            let surname_matches = |name: &str| {
                let given = surname.trim();
                !given.is_empty()
                    && name
                        .split_whitespace()
                        .last()
                        .is_some_and(|last| last.eq_ignore_ascii_case(given))
            };
            person.is_some_and(|p| {
                email_matches(&p.email)
                    || (postcode.is_some()
                        && p.postcode == postcode
                        && surname_matches(p.name.as_str()))
                // A representative sees the case only once their authority to act is confirmed.
            }) || rep.is_some_and(|r| {
                r.authority != redress_domain::person::Authority::NotYetConfirmed
                    && email_matches(&r.email)
            })
        });
        // Someone acting for the person whose authority is not recorded yet is told that,
        // and what to send, by email to the address on the case: the page answers as it
        // does for any wrong answer, so it cannot be used to learn who acts for whom.
        let waiting_for_authority = !matches
            && contact.as_ref().is_some_and(|c| {
                c.detail.representative.as_ref().is_some_and(|r| {
                    r.authority == redress_domain::person::Authority::NotYetConfirmed
                        && r.email
                            .as_deref()
                            .is_some_and(|e| e.eq_ignore_ascii_case(answer))
                })
            });
        if waiting_for_authority && let Some(c) = &contact {
            self.tell_representative_what_to_send(c).await?;
        }
        self.store.record_login(&key, now, matches).await?;
        Ok(contact.filter(|_| matches))
    }

    /// Emails a representative not yet authorised what we need, at most once a day.
    async fn tell_representative_what_to_send(&self, contact: &Contact) -> Result<(), AppError> {
        let Some(rep) = contact.detail.representative.as_ref() else {
            return Ok(());
        };
        let Some(email) = rep.email.clone() else {
            return Ok(());
        };
        let since = self
            .now()
            .checked_sub(SignedDuration::from_hours(24))
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let told = self
            .store
            .letters(&self.organisation.id, &contact.id)
            .await?
            .iter()
            .any(|l| l.kind == LetterKind::AuthorityNeeded && l.created_at > since);
        if told {
            return Ok(());
        }
        let mut v = BTreeMap::new();
        v.insert("name", rep.name.to_string());
        v.insert("reference", contact.reference.to_string());
        self.signature_values(LetterKind::AuthorityNeeded, &mut v)
            .await?;
        let letter = self
            .write_to(contact, LetterKind::AuthorityNeeded, true, &|_| v.clone())
            .await?
            .into_letter(LetterKind::AuthorityNeeded, Delivery::Email, email, false);
        self.store.queue_letters(&contact.id, &[letter]).await?;
        Ok(())
    }

    /// A session that opens this one case for an hour.
    async fn open_resident_session(&self, contact: &Contact) -> Result<String, AppError> {
        let token = random_token()?;
        let now = self.now();
        let expires = now
            .checked_add(RESIDENT_SESSION)
            .map_err(|e| AppError::Internal(e.to_string()))?;
        self.store
            .create_resident_session(&token_hash(&token), &contact.id, now, expires)
            .await?;
        Ok(token)
    }

    /// The case a resident's session opens, if the session is live.
    pub async fn resident_case(&self, token: &str) -> Result<Option<Contact>, AppError> {
        let Some(id) = self
            .store
            .resident_session(&token_hash(token), self.now())
            .await?
        else {
            return Ok(None);
        };
        Ok(self.store.contact_by_id(&self.organisation.id, &id).await?)
    }

    pub async fn resident_sign_out(&self, token: &str) -> Result<(), AppError> {
        Ok(self
            .store
            .delete_resident_session(&token_hash(token))
            .await?)
    }

    /// The name a resident's own changes are recorded under.
    pub(crate) fn resident_actor(contact: &Contact) -> Actor {
        let name = contact.addressee();
        Actor {
            user_id: None,
            name: format!("{name} (online)"),
        }
    }

    /// Adds a file the resident sends (photos of damp, a letter from a doctor) to their case,
    /// checked like any other file.
    pub async fn resident_upload(
        &self,
        token: &str,
        file_name: &str,
        bytes: &[u8],
        description: &str,
    ) -> Result<Contact, AppError> {
        let contact = self
            .resident_case(token)
            .await?
            .ok_or(AppError::Forbidden)?;
        if !contact.status.is_open() {
            return Err(AppError::invalid(
                "file",
                "This case is closed. Contact us if you have something to add",
            ));
        }
        self.attach(
            contact.reference.as_str(),
            file_name,
            bytes,
            description,
            Self::resident_actor(&contact),
            None,
            &crate::access::Scope::All,
        )
        .await
    }

    /// The resident's own case as their page shows it, with the letters sent to them: not
    /// drafts staff have yet to check, and not emails to staff or sign-in links.
    pub async fn resident_case_page(
        &self,
        token: &str,
    ) -> Result<Option<(crate::cases::CaseView, Vec<redress_store::StoredLetter>)>, AppError> {
        let Some(contact) = self.resident_case(token).await? else {
            return Ok(None);
        };
        let mut view = self.case(contact.reference.as_str()).await?;
        let (drafts, letters): (Vec<_>, Vec<_>) = self
            .store
            .letters(&self.organisation.id, &contact.id)
            .await?
            .into_iter()
            .filter(|l| l.status != "discarded" && l.kind.to_resident())
            .partition(|l| l.status == "draft");
        let unsent: Vec<LetterKind> = drafts.iter().map(|l| l.kind).collect();
        as_the_resident_knows(&mut view, &unsent);
        Ok(Some((view, letters)))
    }

    /// Applies what the resident asked for, recorded as coming from them.
    pub async fn resident_request(
        &self,
        token: &str,
        request: ResidentRequest,
    ) -> Result<Contact, AppError> {
        let contact = self
            .resident_case(token)
            .await?
            .ok_or(AppError::Forbidden)?;
        let actor = Self::resident_actor(&contact);
        let today = self.today();
        let command = match request {
            ResidentRequest::AddInformation(text) => Command::AddNote {
                kind: NoteKind::FromResident,
                on: today,
                text,
            },
            ResidentRequest::Escalate(reason) => {
                let reason = Some(reason).filter(|r| !r.trim().is_empty());
                Command::Escalate {
                    requested_on: today,
                    reason,
                }
            }
            ResidentRequest::Withdraw(reason) => Command::Withdraw { on: today, reason },
            // The area's target is put in when the request is applied.
            ResidentRequest::AskTenantsPanel(why) => Command::AskTenantsPanel {
                on: today,
                why,
                within: 0,
            },
        };
        self.apply_as(contact.reference.as_str(), command, actor)
            .await
    }
}

/// A link that opens a case lasts a week: long enough to find the email, short enough that
/// an old inbox is not a key to the case.
pub const LINK_LIFETIME: SignedDuration = SignedDuration::from_hours(24 * 7);

impl App {
    /// A single-use link path (`/track/link/...`) that opens this case. Only a hash of the
    /// random token is kept, so the database alone cannot be used to open cases.
    pub(crate) async fn resident_link(&self, contact: &Contact) -> Result<String, AppError> {
        let token = random_token()?;
        let now = self.now();
        let expires = now
            .checked_add(LINK_LIFETIME)
            .map_err(|e| AppError::Internal(e.to_string()))?;
        self.store
            .create_resident_link(&token_hash(&token), &contact.id, now, expires)
            .await?;
        Ok(format!("/track/link/{token}"))
    }

    /// Emails a link to the address held on the case, when the reference and address match.
    /// The answer is the same either way, so the form cannot be used to test addresses.
    pub async fn email_resident_link(
        &self,
        reference: &str,
        email: &str,
        base_url: &str,
    ) -> Result<(), AppError> {
        // A wrong answer is not told apart from a right one; a lockout is.
        let Some(contact) = self.check_answer(reference, email, "").await? else {
            return Ok(());
        };
        let answer = email.trim();
        let person = contact.detail.person.as_ref();
        let rep = contact.detail.representative.as_ref();
        // Send to the address that was given, which is one held on the case.
        let name = if rep
            .and_then(|r| r.email.as_deref())
            .is_some_and(|e| e.eq_ignore_ascii_case(answer))
        {
            rep.map(|r| r.name.to_string())
        } else if person
            .and_then(|p| p.email.as_deref())
            .is_some_and(|e| e.eq_ignore_ascii_case(answer))
        {
            person.map(|p| p.name.to_string())
        } else {
            // A postcode matched: there is no email address to send to.
            return Ok(());
        };
        let path = self.resident_link(&contact).await?;
        let mut v = BTreeMap::new();
        v.insert("name", name.unwrap_or_default());
        v.insert("reference", contact.reference.to_string());
        // A Welsh speaker's link opens the page in Welsh.
        let in_welsh = if contact.language() == Some(redress_domain::language::Language::Welsh) {
            "?lang=cy"
        } else {
            ""
        };
        v.insert(
            "link",
            format!("{}{path}{in_welsh}", base_url.trim_end_matches('/')),
        );
        v.insert("organisation", self.display_name());
        let letter = self
            .write_to(&contact, LetterKind::SignInLink, true, &|_| v.clone())
            .await?
            .into_letter(
                LetterKind::SignInLink,
                Delivery::Email,
                answer.to_lowercase(),
                false,
            );
        self.store.queue_letters(&contact.id, &[letter]).await?;
        Ok(())
    }

    /// Opens a session from a link. A used, expired or made-up link is refused.
    pub async fn resident_sign_in_with_link(
        &self,
        token: &str,
    ) -> Result<(String, Contact), AppError> {
        let now = self.now();
        let Some(contact_id) = self
            .store
            .consume_resident_link(&token_hash(&crate::auth::typed_key(token)), now)
            .await?
        else {
            return Err(AppError::Forbidden);
        };
        let contact = self
            .store
            .contact_by_id(&self.organisation.id, &contact_id)
            .await?
            .ok_or(AppError::Forbidden)?;
        let session = self.open_resident_session(&contact).await?;
        Ok((session, contact))
    }
}

/// A step staff have recorded is news to the resident only once its letter has gone: while
/// the letter is a draft, their page shows the case as it was before that step.
fn as_the_resident_knows(view: &mut crate::cases::CaseView, unsent: &[LetterKind]) {
    use redress_domain::contact::ContactStatus as S;
    use redress_domain::event::EventKind as E;
    let steps: Vec<E> = unsent
        .iter()
        .filter_map(|kind| match kind {
            LetterKind::Acknowledgement | LetterKind::EscalationAcknowledgement => {
                Some(E::Acknowledged)
            }
            LetterKind::StageResponse | LetterKind::FinalResponse => Some(E::Responded),
            LetterKind::Extension => Some(E::Extended),
            LetterKind::Decline => Some(E::Declined),
            LetterKind::CommentReply => Some(E::Replied),
            _ => None,
        })
        .collect();
    for step in &steps {
        if let Some(at) = view.events.iter().rposition(|e| e.kind == *step) {
            view.events.remove(at);
        }
        let label = match step {
            E::Acknowledged => "Acknowledge by",
            E::Responded => "Respond by",
            E::Replied => "Reply by",
            _ => continue,
        };
        for d in view.deadlines.iter_mut().filter(|d| d.label == label) {
            d.met_on = None;
        }
    }
    // Step back over each step not yet told, the latest first.
    let c = &mut view.contact;
    loop {
        let before = match c.status {
            S::Responded if steps.contains(&E::Responded) => S::Acknowledged,
            S::Acknowledged if steps.contains(&E::Acknowledged) => S::Received,
            S::Declined if steps.contains(&E::Declined) => S::Received,
            other => other,
        };
        if before == c.status {
            break;
        }
        c.status = before;
    }
}
