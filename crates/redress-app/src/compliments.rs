//! A compliment reaches the people it is about: when it is passed on, the colleague it
//! praises and their manager are each emailed its words, and the emails are kept on the
//! case with its letters.

use crate::{App, AppError};
use redress_domain::calendar::long_date;
use redress_domain::contact::Contact;
use redress_domain::event::{Event, EventKind};
use redress_domain::letter::{Delivery, Letter, LetterKind, default_template, fill};
use std::collections::BTreeMap;

impl App {
    /// The emails to colleagues that passing a compliment on calls for.
    pub(crate) async fn colleague_emails(
        &self,
        contact: &Contact,
        events: &[Event],
    ) -> Result<Vec<Letter>, AppError> {
        let passed: Vec<&Event> = events
            .iter()
            .filter(|e| e.kind == EventKind::PassedOn)
            .collect();
        if passed.is_empty() {
            return Ok(Vec::new());
        }
        let users = self.store.users().await?;
        let template = self
            .store
            .letter_template(
                &self.organisation.id,
                LetterKind::ComplimentPassedOn,
                redress_domain::language::Language::English,
            )
            .await?
            .unwrap_or_else(|| default_template(LetterKind::ComplimentPassedOn));
        let mut letters = Vec::new();
        for event in passed {
            let text = |k: &str| event.detail[k].as_str().unwrap_or_default().to_string();
            let notify = event.detail["notify"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            for id in notify.iter().filter_map(|v| v.as_str()) {
                let Some(user) = users.iter().find(|u| u.id == id && u.active) else {
                    continue;
                };
                // One wording for both: the person praised and their manager each read
                // who it praises and who else has it.
                let mut v = BTreeMap::new();
                v.insert("colleague", text("to"));
                v.insert("manager", text("manager"));
                v.insert("reference", contact.reference.to_string());
                v.insert("received", long_date(contact.received_on));
                v.insert("summary", contact.detail.summary.to_string());
                v.insert("organisation", self.display_name());
                letters.push(Letter {
                    kind: LetterKind::ComplimentPassedOn,
                    delivery: Delivery::Email,
                    recipient: user.email.clone(),
                    large_print: false,
                    subject: fill(&template.subject, &v),
                    body: fill(&template.body, &v),
                    draft_by: None,
                    convert: None,
                    // Staff read English.
                    language: redress_domain::language::Language::English,
                });
            }
        }
        Ok(letters)
    }
}
