//! Receiving contacts and reading cases.

use crate::access::Principal;
use crate::access::Scope;
use crate::{App, AppError};
use redress_domain::calendar::WorkingCalendar;
use redress_domain::case::{Command, Context};
use redress_domain::contact::{Contact, ContactInput, DeadlineView, Source, uk_date};
use redress_domain::event::{Actor, Event};
use redress_domain::letter::{Letter, LetterKind, letter_for};
use redress_domain::organisation::ServiceArea;
use redress_domain::role::Permission;
use redress_domain::{FieldErrors, Scheme};
use redress_store::{ContactFilter, ContactSummary, DueFilter, Inserted, Page};

/// Everything a case page shows.
#[derive(Debug, Clone)]
pub struct CaseView {
    pub contact: Contact,
    pub events: Vec<Event>,
    pub deadlines: Vec<DeadlineView>,
    pub service_area: Option<ServiceArea>,
    pub scheme: Scheme,
    /// The Tenants Panel's target for this case's area, in working days; 0 where the panel
    /// is not offered, so neither staff nor the resident are offered it.
    pub panel_days: u32,
}

impl CaseView {
    /// Whether the resident may ask for the Tenants Panel now.
    pub fn panel_offered(&self) -> bool {
        self.panel_days > 0
            && self.contact.allows(
                redress_domain::case::CommandKind::AskTenantsPanel,
                &self.scheme,
            )
    }
}

/// What becomes of the letters a change calls for.
enum Letters {
    /// None are written: history brought from another system.
    None,
    /// Sent at once: a resident's own request, the system's steps.
    Send,
    /// Kept as drafts for the member of staff (this user) to check and send.
    Draft(String),
}

/// How many working days ahead "due soon" looks.
pub const DUE_SOON_WORKING_DAYS: u32 = 3;

impl App {
    /// Parses and records a contact. `submission_key` makes the call safe to repeat.
    /// The online form is open to anyone; recording a contact received another way takes a
    /// role that records contacts.
    pub async fn submit_contact(
        &self,
        who: &Principal,
        input: &ContactInput,
        source: Source,
        submission_key: Option<&str>,
    ) -> Result<Inserted, AppError> {
        match (who, source) {
            (Principal::Public, Source::PublicForm) => {}
            (Principal::Public, _) => return Err(AppError::Forbidden),
            _ => who.require(Permission::RecordContacts)?,
        }
        let months = self.limits().await?.received_within_months;
        let floor = self
            .today()
            .checked_sub(jiff::Span::new().months(i64::from(months)))
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let inserted = self
            .receive_from(input, source, who.actor(), submission_key, Some(floor))
            .await?;
        // A concern for someone's safety goes to the safeguarding leads as soon as it is
        // in: the case is stored, so the alert can point to it.
        if let Inserted::New(contact) = &inserted
            && contact.is_priority()
        {
            let received = redress_domain::event::Event {
                kind: redress_domain::event::EventKind::Received,
                at: contact.detail.received_at,
                actor: who.actor(),
                summary: String::new(),
                detail: serde_json::Value::Null,
            };
            let alerts = self.safeguarding_alerts(contact, &[received]).await?;
            self.store.queue_letters(&contact.id, &alerts).await?;
        }
        Ok(inserted)
    }

    /// Records a contact and gives back the case as recorded, for an API caller who sees
    /// what they sent: `true` when it is new, `false` when the key had been used already.
    pub async fn submit_contact_viewed(
        &self,
        who: &Principal,
        input: &ContactInput,
        source: Source,
        submission_key: Option<&str>,
    ) -> Result<(bool, CaseView), AppError> {
        let inserted = self
            .submit_contact(who, input, source, submission_key)
            .await?;
        let reference = inserted.contact().reference.to_string();
        match inserted {
            // What the caller has just sent is theirs to see.
            Inserted::New(_) => Ok((true, self.case(&reference).await?)),
            // A key used before may be someone else's: the case is shown only to a caller
            // who may see it.
            Inserted::Existing(_) => Ok((false, self.case_for(who, &reference).await?)),
        }
    }

    /// Records a contact for a caller that has settled who may: an import, the demo.
    pub(crate) async fn receive(
        &self,
        input: &ContactInput,
        source: Source,
        actor: Actor,
        submission_key: Option<&str>,
    ) -> Result<Inserted, AppError> {
        self.receive_from(input, source, actor, submission_key, None)
            .await
    }

    /// Records a contact; one received before `floor` is refused (history comes in through
    /// the import, not as a new contact).
    async fn receive_from(
        &self,
        input: &ContactInput,
        source: Source,
        actor: Actor,
        submission_key: Option<&str>,
        floor: Option<jiff::civil::Date>,
    ) -> Result<Inserted, AppError> {
        if let Some(key) = submission_key {
            if key.is_empty()
                || key.len() > 100
                || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            {
                return Err(AppError::invalid(
                    "submission_key",
                    "The submission key must be 1 to 100 letters, digits or dashes",
                ));
            }
            // A repeat is answered before re-checking the input, which may have changed
            // meaning since (a "today" that became yesterday).
            if let Some(existing) = self
                .store
                .contact_by_submission(&self.organisation.id, key)
                .await?
            {
                // The same key for a different contact is a mistake, not a repeat.
                let same = existing.detail.kind.as_str() == input.kind.trim()
                    && redress_domain::Text::parse(
                        &input.summary,
                        "",
                        redress_domain::contact::MAX_SUMMARY,
                    )
                    .is_ok_and(|t| t.as_str() == existing.detail.summary.as_str());
                if !same {
                    return Err(AppError::Conflict(
                        "This submission key was used for a different contact: use a new key for a new contact".into(),
                    ));
                }
                return Ok(Inserted::Existing(existing));
            }
        }
        let mut detail = input.parse(source, self.now())?;
        let mut errors = FieldErrors::new();
        if floor.is_some_and(|f| uk_date(detail.received_at) < f) {
            errors.add(
                "received_date",
                format!(
                    "The date received must be on or after {}. Bring older cases in with the import",
                    floor.map(redress_domain::calendar::long_date).unwrap_or_default()
                ),
            );
        }
        // The address must be one the mailer can send to, or the letters would fail later.
        let addresses = [
            (
                "email",
                detail.person.as_ref().and_then(|p| p.email.as_deref()),
            ),
            (
                "rep_email",
                detail
                    .representative
                    .as_ref()
                    .and_then(|r| r.email.as_deref()),
            ),
        ];
        for (field, address) in addresses {
            if let Some(a) = address
                && a.parse::<lettre::Address>().is_err()
            {
                errors.add(
                    field,
                    "Enter an email address in the correct format, like name@example.com",
                );
            }
        }
        errors.into_result()?;
        let areas = self.store.service_areas(&self.organisation.id).await?;
        if let Some(area) = detail.service_area.clone() {
            match areas
                .iter()
                .find(|a| a.id == area || a.name.eq_ignore_ascii_case(&area))
            {
                Some(a) => detail.service_area = Some(a.id.clone()),
                None => {
                    return Err(AppError::invalid(
                        "service_area",
                        "Select a service area from the list",
                    ));
                }
            }
        }
        let scheme = self.scheme_for(detail.service_area.as_deref()).await?;
        let calendar = self.calendar().await?;
        let year = uk_date(detail.received_at).year();
        let kind = detail.kind;
        let id = uuid::Uuid::now_v7().to_string();
        Ok(self
            .store
            .insert_contact(
                &self.organisation.id,
                submission_key,
                (kind, year),
                // Called again with another reference only if its batch is rewritten.
                move |reference| {
                    Contact::receive(
                        id.clone(),
                        reference,
                        detail.clone(),
                        &scheme,
                        &calendar,
                        actor.clone(),
                    )
                },
            )
            .await?)
    }

    /// Applies a lifecycle command to a case and saves it with its events, if the principal
    /// handles cases and the case is theirs to handle. When `expected_version` is given (the
    /// version the form was opened at), a case changed by someone else since is refused
    /// rather than overwritten.
    pub async fn apply_command(
        &self,
        who: &Principal,
        reference: &str,
        command: Command,
        expected_version: Option<i64>,
    ) -> Result<Contact, AppError> {
        let scope = self.grant(who, Permission::HandleCases).await?;
        // What a member of staff's step writes to a resident waits for them to check it.
        let letters = match who.user() {
            Some(user) => Letters::Draft(user.id.clone()),
            None => Letters::Send,
        };
        self.apply_with(
            reference,
            command,
            who.actor(),
            expected_version,
            letters,
            &scope,
        )
        .await
    }

    /// Applies a command whose permission the caller has already settled: a resident's own
    /// request, a survey answer, news of an improvement.
    pub(crate) async fn apply_as(
        &self,
        reference: &str,
        command: Command,
        actor: Actor,
    ) -> Result<Contact, AppError> {
        self.apply_with(reference, command, actor, None, Letters::Send, &Scope::All)
            .await
    }

    /// Replays history brought from another system: recorded like any change, but with no
    /// letters or surveys, which went (or did not) long ago.
    pub(crate) async fn apply_quietly(
        &self,
        reference: &str,
        command: Command,
        actor: Actor,
    ) -> Result<Contact, AppError> {
        self.apply_with(reference, command, actor, None, Letters::None, &Scope::All)
            .await
    }

    async fn apply_with(
        &self,
        reference: &str,
        command: Command,
        actor: Actor,
        expected_version: Option<i64>,
        write: Letters,
        scope: &Scope,
    ) -> Result<Contact, AppError> {
        let (mut contact, scheme, calendar) = self
            .load_for_change(reference, expected_version, scope)
            .await?;
        let command = self.with_panel_target(command, &contact).await?;
        let context = Context {
            scheme: &scheme,
            calendar: &calendar,
            actor,
            at: self.now(),
            today: self.today(),
            payment_approval_above: self.letter_settings().await?.payment_approval_above,
        };
        if let Command::ApprovePayment { id, .. } = &command {
            self.recall_proposer(&mut contact, *id).await?;
        }
        // A redaction also takes the words out of the history that quoted them.
        let removed = contact.removed_by(&command);
        let events = contact.apply(command, &context)?;
        if let Some(removed) = removed {
            let event = events
                .first()
                .ok_or_else(|| AppError::Internal("a redaction made no event".into()))?;
            self.store
                .save_redaction(&contact, event, &removed.texts, removed.file.as_slice())
                .await?;
        } else {
            let letters = match write {
                Letters::None => Vec::new(),
                Letters::Send => {
                    let mut letters = self.letters_for(&contact, &events, &scheme).await?;
                    let convert = self.conversion(&contact).await?;
                    for l in &mut letters {
                        l.convert = convert.clone();
                    }
                    self.add_posted_codes(&contact, &mut letters).await?;
                    letters.extend(self.colleague_emails(&contact, &events).await?);
                    letters.extend(self.safeguarding_alerts(&contact, &events).await?);
                    letters.extend(self.hazard_referrals(&contact, &events).await?);
                    letters
                }
                Letters::Draft(user) => {
                    let mut letters = self.letters_for(&contact, &events, &scheme).await?;
                    for l in &mut letters {
                        l.draft_by = Some(user.clone());
                    }
                    // Colleagues hear of a compliment, and the safeguarding leads of a concern,
                    // at once; only residents' letters wait.
                    letters.extend(self.colleague_emails(&contact, &events).await?);
                    letters.extend(self.safeguarding_alerts(&contact, &events).await?);
                    letters.extend(self.hazard_referrals(&contact, &events).await?);
                    letters
                }
            };
            self.store.save_contact(&contact, &events, &letters).await?;
        }
        contact.version += 1;
        Ok(contact)
    }

    /// Payments proposed before proposers were kept on the payment: who proposed one is
    /// read from the history, so the second-approval rule holds for them too.
    async fn recall_proposer(&self, contact: &mut Contact, id: u32) -> Result<(), AppError> {
        let missing = contact
            .case
            .remedies
            .iter()
            .any(|r| r.id == id && r.payment.as_ref().is_some_and(|p| p.proposed_by.is_none()));
        if !missing {
            return Ok(());
        }
        let proposer = self
            .store
            .events(&contact.id)
            .await?
            .into_iter()
            .find(|e| {
                e.kind == redress_domain::event::EventKind::RemedyAdded
                    && e.detail["id"].as_u64() == Some(u64::from(id))
            })
            .and_then(|e| e.actor.user_id);
        if let Some(payment) = contact
            .case
            .remedies
            .iter_mut()
            .find(|r| r.id == id)
            .and_then(|r| r.payment.as_mut())
        {
            payment.proposed_by = proposer;
        }
        Ok(())
    }

    /// The letters and emails a change calls for, in the organisation's wording, with a
    /// survey invitation where a stage (or a comment or compliment) has been dealt with.
    pub(crate) async fn letters_for(
        &self,
        contact: &Contact,
        events: &[Event],
        scheme: &Scheme,
    ) -> Result<Vec<Letter>, AppError> {
        let wordings = self.wordings(LetterKind::ALL).await?;
        let template = |kind: LetterKind, language| wordings.get(kind, language);
        let sender = self.sender().await?;
        let mut letters: Vec<Letter> = events
            .iter()
            .filter_map(|e| letter_for(contact, e, scheme, &sender, &template))
            .collect();
        for e in events {
            if let Some(stage) = contact.survey_after(e)
                && let Some(invitation) = self.survey_invitation(contact, stage).await?
            {
                letters.push(invitation);
            }
        }
        self.localise_letters(&mut letters).await?;
        Ok(letters)
    }

    /// The case about to change, with its scheme and calendar. A case changed by someone
    /// else since `expected_version` (the version a form was opened at) is refused rather
    /// than overwritten.
    pub(crate) async fn load_for_change(
        &self,
        reference: &str,
        expected_version: Option<i64>,
        scope: &Scope,
    ) -> Result<(Contact, Scheme, WorkingCalendar), AppError> {
        let contact = self.contact_by_reference(reference).await?;
        if !scope.allows(&contact) {
            return Err(AppError::Forbidden);
        }
        if expected_version.is_some_and(|v| v != contact.version) {
            return Err(AppError::Conflict(
                "This case was changed by someone else after you opened it. Check its history, then try again.".into(),
            ));
        }
        let scheme = self.find_scheme(&contact.scheme).await?;
        let calendar = self.calendar().await?;
        Ok((contact, scheme, calendar))
    }

    /// The contact recorded under a submission key, for use cases that have settled who
    /// may ask (the public form's confirmation, which also needs its draft).
    pub(crate) async fn contact_by_submission(
        &self,
        key: &str,
    ) -> Result<Option<Contact>, AppError> {
        Ok(self
            .store
            .contact_by_submission(&self.organisation.id, key)
            .await?)
    }

    /// A case's contents for use cases that have already checked who is asking.
    pub(crate) async fn case(&self, reference: &str) -> Result<CaseView, AppError> {
        let contact = self.contact_by_reference(reference).await?;
        let events = self.store.events(&contact.id).await?;
        let calendar = self.calendar().await?;
        let deadlines = contact.deadlines_on(&calendar, self.today());
        let service_area = match &contact.detail.service_area {
            Some(id) => self
                .store
                .service_areas(&self.organisation.id)
                .await?
                .into_iter()
                .find(|a| &a.id == id),
            None => None,
        };
        let scheme = self.find_scheme(&contact.scheme).await?;
        let panel_days = self
            .panel_days(contact.detail.service_area.as_deref())
            .await?;
        Ok(CaseView {
            contact,
            events,
            deadlines,
            service_area,
            scheme,
            panel_days,
        })
    }

    pub(crate) async fn list_cases(
        &self,
        filter: &ContactFilter,
    ) -> Result<Page<ContactSummary>, AppError> {
        Ok(self
            .store
            .list_contacts(&self.organisation.id, filter)
            .await?)
    }

    /// The "due soon" window: today up to a few working days ahead.
    pub async fn due_soon(&self) -> Result<DueFilter, AppError> {
        let today = self.today();
        let by = self
            .calendar()
            .await?
            .add_working_days(today, DUE_SOON_WORKING_DAYS)
            .map_err(|e| AppError::Internal(e.to_string()))?;
        Ok(DueFilter::DueBy { today, by })
    }
}
