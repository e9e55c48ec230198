//! Reminders to staff a few working days before a deadline, and once when it is missed.
//! Each fires once per case, deadline and date however often the job runs and however
//! many instances run it: the store records it with the emails in one transaction.

use crate::{App, AppError};
use redress_domain::contact::ContactStatus;
use redress_domain::letter::{Delivery, Letter, LetterKind, default_template, fill};
use redress_domain::role::{Permission, Role};
use std::collections::BTreeMap;

/// Working days before a deadline that the first reminder goes out, unless configured.
pub const DEFAULT_DAYS_BEFORE: u32 = 2;

impl App {
    /// Raises the reminders that are due; returns how many cases got one.
    pub async fn send_reminders(&self, days_before: u32) -> Result<usize, AppError> {
        let today = self.today();
        let calendar = self.calendar().await?;
        let by = calendar
            .add_working_days(today, days_before)
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let org = &self.organisation.id;
        let users = self.store.users().await?;
        let template = self
            .store
            .letter_template(
                org,
                LetterKind::StaffReminder,
                redress_domain::language::Language::English,
            )
            .await?
            .unwrap_or_else(|| default_template(LetterKind::StaffReminder));
        let mut raised = self
            .remind_restriction_reviews(by, &users, &template)
            .await?;
        raised += self.remind_drafts(&users, &template).await?;
        let due = self.store.deadlines_due(org, by).await?;
        for case in due {
            let (deadline, date) = match (case.status, case.acknowledge_by, case.respond_by) {
                (ContactStatus::Received, Some(ack), _) if ack <= by => ("acknowledge", ack),
                (_, _, Some(respond)) => ("respond", respond),
                _ => continue,
            };
            let breach = date < today;
            let message = if breach {
                format!("the {deadline} deadline was missed")
            } else {
                let left = calendar.working_days_left(today, date);
                format!(
                    "{deadline} within {left} working day{}",
                    if left == 1 { "" } else { "s" }
                )
            };
            // The people on the case; with nobody assigned, the complaints officers.
            let assigned: Vec<&str> = [case.officer_id.as_deref(), case.handler_id.as_deref()]
                .into_iter()
                .flatten()
                .collect();
            let recipients: Vec<&redress_domain::role::User> = users
                .iter()
                .filter(|u| u.active && u.role.can(Permission::HandleCases))
                .filter(|u| {
                    if assigned.is_empty() {
                        u.role == Role::ComplaintsOfficer
                    } else {
                        assigned.contains(&u.id.as_str())
                    }
                })
                .collect();
            let letters: Vec<Letter> = recipients
                .iter()
                .map(|u| {
                    self.staff_reminder(&template, u, &case.reference.to_string(), &message, date)
                })
                .collect();
            let kind = if breach { "breach" } else { "upcoming" };
            if self
                .store
                .record_reminder(&case.contact_id, deadline, date, kind, &letters)
                .await?
            {
                raised += 1;
            }
        }
        Ok(raised)
    }

    /// An email to a member of staff about a case that needs them.
    fn staff_reminder(
        &self,
        template: &redress_domain::letter::Template,
        to: &redress_domain::role::User,
        reference: &str,
        what: &str,
        by: jiff::civil::Date,
    ) -> Letter {
        let mut v = BTreeMap::new();
        v.insert("name", to.name.clone());
        v.insert("reference", reference.to_string());
        v.insert("outcome", what.to_string());
        v.insert("respond_by", by.to_string());
        v.insert("organisation", self.display_name());
        Letter {
            kind: LetterKind::StaffReminder,
            delivery: Delivery::Email,
            recipient: to.email.clone(),
            large_print: false,
            subject: fill(&template.subject, &v),
            body: fill(&template.body, &v),
            draft_by: None,
            convert: None,
            // Staff read English.
            language: redress_domain::language::Language::English,
        }
    }

    /// A letter left as a draft overnight has not reached the resident, whatever the case
    /// says was done: whoever drafted it is emailed once about each one.
    async fn remind_drafts(
        &self,
        users: &[redress_domain::role::User],
        template: &redress_domain::letter::Template,
    ) -> Result<usize, AppError> {
        let today = self.today();
        let mut raised = 0;
        for l in self
            .store
            .letters_with_status(&self.organisation.id, "draft")
            .await?
        {
            let written = redress_domain::contact::uk_date(l.created_at);
            if written >= today {
                continue;
            }
            let Some(user) = l
                .drafted_by
                .as_deref()
                .and_then(|id| users.iter().find(|u| u.id == id && u.active))
            else {
                continue;
            };
            let outcome = format!(
                "the letter \"{}\" is still a draft: check it and send it",
                l.subject
            );
            let reminder =
                self.staff_reminder(template, user, &l.reference.to_string(), &outcome, written);
            let deadline = format!("draft:{}", l.id);
            if self
                .store
                .record_reminder(&l.contact_id, &deadline, written, "draft", &[reminder])
                .await?
            {
                raised += 1;
            }
        }
        Ok(raised)
    }

    /// Restrictions must be reviewed, not forgotten: the complaints officers are emailed
    /// once for each review date, pointing to the case the restriction was recorded on.
    async fn remind_restriction_reviews(
        &self,
        by: jiff::civil::Date,
        users: &[redress_domain::role::User],
        template: &redress_domain::letter::Template,
    ) -> Result<usize, AppError> {
        let mut raised = 0;
        for due in self
            .store
            .restriction_reviews_due(&self.organisation.id, by)
            .await?
        {
            let review_on = due.restriction.review_on;
            let outcome = format!(
                "the contact restriction on {} is due for review",
                due.person_name
            );
            let letters: Vec<Letter> = users
                .iter()
                .filter(|u| u.active && u.role == Role::ComplaintsOfficer)
                .map(|u| {
                    self.staff_reminder(
                        template,
                        u,
                        &due.reference.to_string(),
                        &outcome,
                        review_on,
                    )
                })
                .collect();
            let deadline = format!("restriction-review:{}", due.id);
            if self
                .store
                .record_reminder(&due.contact_id, &deadline, review_on, "review", &letters)
                .await?
            {
                raised += 1;
            }
        }
        Ok(raised)
    }
}
