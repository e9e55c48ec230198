//! Data protection: the retention job, erasure on request, redaction, subject access
//! exports and anonymised case studies.

use crate::{App, AppError};
use jiff::Timestamp;
use jiff::civil::Date;
use redress_domain::FieldErrors;
use redress_domain::contact::{Contact, ContactKind, Reference};
use redress_domain::event::{Actor, Event, EventKind};
use redress_domain::privacy::{RetentionPolicy, case_study, subject_access_due};
use redress_domain::restriction::Restriction;
use redress_store::{PersonQuery, StoredLetter};
use serde::Serialize;

/// Cases erased per batch, so one run never holds a long transaction or a huge list.
const BATCH: i64 = 200;

/// What one run of the retention job did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RetentionRun {
    pub erased: Vec<Reference>,
    /// Cases changed by someone while the job ran; the next run picks them up.
    pub skipped: usize,
}

/// Everything held about one person, for a subject access request.
#[derive(Debug, Clone, Serialize)]
pub struct SubjectAccessExport {
    pub organisation: String,
    pub generated_at: Timestamp,
    pub respond_by: Date,
    pub searched_for: SearchedFor,
    pub cases: Vec<HeldCase>,
    pub restrictions: Vec<HeldRestriction>,
    /// Community Calls for Scrutiny the person made (drafts included), with their history
    /// and letters, and petitions they signed with this email address.
    pub scrutiny: Vec<HeldScrutiny>,
    pub signatures: Vec<HeldSignature>,
}

#[derive(Debug, Clone, Serialize)]
pub struct HeldScrutiny {
    pub request: redress_domain::scrutiny::Request,
    pub history: Vec<(Timestamp, String)>,
    pub letters: Vec<HeldLetter>,
    /// Files kept with the request (a scan of a paper form, evidence): what each is and
    /// when it was added; staff send the files themselves with the reply.
    pub files: Vec<HeldFile>,
}

#[derive(Debug, Clone, Serialize)]
pub struct HeldFile {
    pub name: String,
    pub description: String,
    pub added_at: Timestamp,
}

#[derive(Debug, Clone, Serialize)]
pub struct HeldSignature {
    pub reference: String,
    pub name: String,
    pub postcode: String,
    pub signed_at: Timestamp,
}

#[derive(Debug, Clone, Serialize)]
pub struct SearchedFor {
    pub email: Option<String>,
    pub phone: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct HeldCase {
    pub contact: Contact,
    pub history: Vec<Event>,
    pub letters: Vec<HeldLetter>,
    /// Who at the organisation opened the case, and when.
    pub viewed_by: Vec<(String, Timestamp)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct HeldLetter {
    pub kind: String,
    pub delivery: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub created_at: Timestamp,
    pub status: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct HeldRestriction {
    pub person: String,
    pub restriction: Restriction,
}

impl From<StoredLetter> for HeldLetter {
    fn from(l: StoredLetter) -> Self {
        HeldLetter {
            kind: l.kind.label().to_string(),
            delivery: l.delivery.label().to_string(),
            recipient: l.recipient,
            subject: l.subject,
            body: l.body,
            created_at: l.created_at,
            status: l.status,
        }
    }
}

impl App {
    pub async fn retention_policy(&self) -> Result<RetentionPolicy, AppError> {
        Ok(self.store.retention_policy(&self.organisation.id).await?)
    }

    /// Sets how many years after closure a kind of contact keeps its personal data.
    pub async fn set_retention(
        &self,
        who: &crate::access::Principal,
        kind: ContactKind,
        years_raw: &str,
    ) -> Result<(), AppError> {
        who.require(redress_domain::role::Permission::Administer)?;
        let years = RetentionPolicy::parse_years(years_raw).map_err(|m| {
            let mut e = FieldErrors::new();
            e.add(kind.as_str(), m);
            AppError::Invalid(e)
        })?;
        let summary = format!(
            "Retention for {} set to {years} years after closure",
            kind.label().to_lowercase()
        );
        self.change(
            who,
            &[redress_store::AdminChange::Retention { kind, years }],
            &summary,
        )
        .await
    }

    /// Erases personal data from every case whose retention period has ended. Safe to run
    /// from several instances at once: a case saved by another run is skipped, not erased
    /// twice.
    pub async fn run_retention(&self) -> Result<RetentionRun, AppError> {
        let policy = self.retention_policy().await?;
        let today = self.today();
        let mut run = RetentionRun::default();
        for kind in ContactKind::ALL {
            let years = policy.years_for(*kind);
            let before = policy.closed_before(*kind, today);
            loop {
                let due = self
                    .store
                    .due_for_erasure(&self.organisation.id, *kind, before, BATCH)
                    .await?;
                let mut progressed = false;
                for reference in &due {
                    let reason = format!("Retention period ended ({years} years after closure)");
                    match self.erase(reference, reason, Actor::system()).await {
                        Ok(()) => {
                            run.erased.push(reference.clone());
                            progressed = true;
                        }
                        // Changed (or erased) by someone else meanwhile: the next run
                        // looks at it again.
                        Err(AppError::Conflict(_) | AppError::Invalid(_)) => run.skipped += 1,
                        Err(e) => return Err(e),
                    }
                }
                if !progressed || (due.len() as i64) < BATCH {
                    break;
                }
            }
        }
        if !run.erased.is_empty() {
            tracing::info!(erased = run.erased.len(), "retention: personal data erased");
        }
        Ok(run)
    }

    /// Erases a closed case's personal data when the person asks (or another lawful reason
    /// applies); the reason is kept in the case history.
    pub async fn erase_on_request(
        &self,
        who: &crate::access::Principal,
        reference: &str,
        reason: &str,
    ) -> Result<(), AppError> {
        who.require(redress_domain::role::Permission::Administer)?;
        let actor = who.actor();
        let reference = Reference::parse(reference).ok_or(AppError::NotFound)?;
        self.erase(&reference, reason.to_string(), actor).await
    }

    async fn erase(
        &self,
        reference: &Reference,
        reason: String,
        actor: Actor,
    ) -> Result<(), AppError> {
        let mut contact = self
            .store
            .contact_by_reference(&self.organisation.id, reference)
            .await?
            .ok_or(AppError::NotFound)?;
        contact
            .erase_personal_data(self.today(), &reason)
            .map_err(|e| AppError::invalid(e.field(), e.to_string()))?;
        let reason = reason.trim();
        let event = Event {
            kind: EventKind::Erased,
            at: self.now(),
            actor,
            summary: format!("Personal data erased: {reason}"),
            detail: serde_json::json!({ "reason": reason }),
        };
        self.store.save_erasure(&contact, &event).await?;
        Ok(())
    }

    /// Everything held about whoever has this email address or phone number: their cases
    /// (as the person or their representative) with history, letters and who viewed them,
    /// and any behaviour restrictions.
    pub async fn subject_access(
        &self,
        who: &crate::access::Principal,
        email: &str,
        phone: &str,
    ) -> Result<SubjectAccessExport, AppError> {
        who.require(redress_domain::role::Permission::Administer)?;
        // Control characters are never part of an address (and PostgreSQL refuses a NUL).
        let email: String = email.chars().filter(|c| !c.is_control()).collect();
        let email = Some(email.trim().to_lowercase()).filter(|e| !e.is_empty());
        let phone_digits = redress_domain::field::phone_digits(phone);
        if email.is_none() && phone_digits.is_none() {
            return Err(AppError::invalid(
                "email",
                "Enter an email address or a phone number to search for",
            ));
        }
        let query = PersonQuery {
            email: email.clone(),
            phone_digits: phone_digits.clone(),
        };
        let org = &self.organisation.id;
        let mut cases = Vec::new();
        for contact in self.store.contacts_of_person(org, &query).await? {
            let history = self.store.events(&contact.id).await?;
            let letters = self.store.letters(org, &contact.id).await?;
            let viewed_by = self.store.all_views(&contact.id).await?;
            cases.push(HeldCase {
                contact,
                history,
                letters: letters.into_iter().map(HeldLetter::from).collect(),
                viewed_by,
            });
        }
        let restrictions = self
            .store
            .restrictions_for(org, email.as_deref(), phone_digits.as_deref())
            .await?
            .into_iter()
            .map(|(_, person, restriction)| HeldRestriction {
                person,
                restriction,
            })
            .collect();
        let mut scrutiny = Vec::new();
        for request in self.store.scrutiny_requests_and_drafts(org).await? {
            if !scrutiny_matches(&request, &query) {
                continue;
            }
            let history = self
                .store
                .scrutiny_history(&request.id)
                .await?
                .into_iter()
                .map(|h| (h.at, h.summary))
                .collect();
            let letters = self
                .store
                .scrutiny_messages(&request.id)
                .await?
                .into_iter()
                .map(HeldLetter::from)
                .collect();
            let files = self
                .store
                .scrutiny_files(&request.id)
                .await?
                .into_iter()
                .map(|f| HeldFile {
                    name: f.name,
                    description: f.description,
                    added_at: f.added_at,
                })
                .collect();
            scrutiny.push(HeldScrutiny {
                request,
                history,
                letters,
                files,
            });
        }
        let signatures = match &email {
            Some(e) => self
                .store
                .signatures_by_email(org, e)
                .await?
                .into_iter()
                .map(|(reference, name, postcode, signed_at)| HeldSignature {
                    reference,
                    name,
                    postcode,
                    signed_at,
                })
                .collect(),
            None => Vec::new(),
        };
        let export = SubjectAccessExport {
            organisation: self.display_name(),
            generated_at: self.now(),
            respond_by: subject_access_due(self.today()),
            searched_for: SearchedFor {
                email,
                phone: Some(phone.trim().to_string()).filter(|p| !p.is_empty()),
            },
            cases,
            restrictions,
            scrutiny,
            signatures,
        };
        // Every search is in the admin log, with what it found.
        let searched = [
            export.searched_for.email.clone().unwrap_or_default(),
            export.searched_for.phone.clone().unwrap_or_default(),
        ]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" / ");
        let summary = format!(
            "Subject access search for {searched}: {} cases, {} scrutiny requests, {} signatures",
            export.cases.len(),
            export.scrutiny.len(),
            export.signatures.len()
        );
        self.log_admin(who, &summary).await?;
        Ok(export)
    }

    /// A case with every personal detail taken out, for training and learning: for anyone
    /// who may see the case.
    pub async fn case_study(
        &self,
        who: &crate::access::Principal,
        reference: &str,
    ) -> Result<String, AppError> {
        let opened = self.open_case(who, reference, "case study").await?;
        Ok(case_study_of(&opened.view))
    }
}

/// The case study of a case already read.
pub fn case_study_of(view: &crate::cases::CaseView) -> String {
    case_study(
        &view.contact,
        &view.events,
        view.service_area.as_ref().map(|a| a.name.as_str()),
    )
}

/// Whether a scrutiny request (sent, or a draft as typed) is this person's.
fn scrutiny_matches(r: &redress_domain::scrutiny::Request, who: &PersonQuery) -> bool {
    let (email, phone) = match &r.form {
        Some(f) => (f.email.clone(), f.phone.clone()),
        None => (
            r.answers.get("email").cloned(),
            r.answers.get("phone").cloned(),
        ),
    };
    let email_matches = who
        .email
        .as_deref()
        .zip(email.as_deref())
        .is_some_and(|(a, b)| a.eq_ignore_ascii_case(b.trim()));
    let phone_matches = who
        .phone_digits
        .as_deref()
        .zip(
            phone
                .as_deref()
                .and_then(redress_domain::field::phone_digits),
        )
        .is_some_and(|(a, b)| a == b);
    email_matches || phone_matches
}
