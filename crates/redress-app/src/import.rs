//! Importing historic cases from another system: every row is checked — including
//! replaying its history — before anything is written, so a file is imported whole or not
//! at all, and importing it again records nothing twice.

use crate::{App, AppError};
use redress_domain::FieldErrors;
use redress_domain::case::Context;
use redress_domain::contact::{Contact, ContactKind, Reference, Source, uk_date};
use redress_domain::event::Actor;
use redress_domain::import::{ImportRow, check_header, parse_csv};
use redress_store::Inserted;
use serde::Serialize;

/// A row the file could not import, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rejection {
    pub row: usize,
    pub field: String,
    pub message: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub imported: usize,
    /// Rows already imported by an earlier run.
    pub already_there: usize,
    /// Every problem found; when there are any, nothing was imported.
    pub rejected: Vec<Rejection>,
}

fn key(source_id: &str) -> String {
    format!("import-{source_id}")
}

impl App {
    /// For administrators (and the command line): history is written as it happened.
    pub async fn import_cases(
        &self,
        who: &crate::access::Principal,
        csv: &str,
    ) -> Result<ImportReport, AppError> {
        who.require(redress_domain::role::Permission::Administer)?;
        let mut report = ImportReport::default();
        let records = match parse_csv(csv) {
            Ok(r) => r,
            Err(m) => {
                report.rejected.push(Rejection {
                    row: 0,
                    field: "file".into(),
                    message: m,
                });
                return Ok(report);
            }
        };
        let Some((header, rows)) = records.split_first() else {
            report.rejected.push(Rejection {
                row: 0,
                field: "file".into(),
                message: "The file is empty".into(),
            });
            return Ok(report);
        };
        let header: Vec<String> = header.iter().map(|h| h.trim().to_lowercase()).collect();
        if let Err(m) = check_header(&header) {
            report.rejected.push(Rejection {
                row: 1,
                field: "header".into(),
                message: m,
            });
            return Ok(report);
        }
        let mut reject = |row: usize, errors: &FieldErrors| {
            for (field, message) in errors.iter() {
                report.rejected.push(Rejection {
                    row,
                    field: field.to_string(),
                    message: message.to_string(),
                });
            }
        };
        let mut ready = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        for (i, record) in rows.iter().enumerate() {
            let row = i + 2;
            let parsed = match ImportRow::from_record(&header, record) {
                Ok(r) => r,
                Err(e) => {
                    reject(row, &e);
                    continue;
                }
            };
            if !seen.insert(parsed.source_id.clone()) {
                let mut e = FieldErrors::new();
                e.add("source_id", "This id appears twice in the file");
                reject(row, &e);
                continue;
            }
            if let Err(e) = self.rehearse(&parsed).await {
                reject(row, &e);
                continue;
            }
            ready.push(parsed);
        }
        if !report.rejected.is_empty() {
            return Ok(report);
        }
        let actor = Actor {
            user_id: None,
            name: "Import".into(),
        };
        for row in ready {
            let inserted = self
                .receive(
                    &row.input,
                    Source::Staff,
                    actor.clone(),
                    Some(&key(&row.source_id)),
                )
                .await?;
            let contact = match inserted {
                Inserted::Existing(_) => {
                    report.already_there += 1;
                    continue;
                }
                Inserted::New(c) => c,
            };
            for (_, step) in row.steps {
                self.apply_quietly(contact.reference.as_str(), step, actor.clone())
                    .await?;
            }
            report.imported += 1;
        }
        Ok(report)
    }

    /// Replays a row in memory to find any problem before writing: the contact's fields,
    /// the service area, and each step of its history in order.
    async fn rehearse(&self, row: &ImportRow) -> Result<(), FieldErrors> {
        let internal = |m: String| {
            let mut e = FieldErrors::new();
            e.add("row", m);
            e
        };
        if self
            .store
            .contact_by_submission(&self.organisation.id, &key(&row.source_id))
            .await
            .map_err(|e| internal(e.to_string()))?
            .is_some()
        {
            return Ok(());
        }
        let mut detail = row.input.parse(Source::Staff, self.now())?;
        if let Some(area) = detail.service_area.clone() {
            let areas = self
                .store
                .service_areas(&self.organisation.id)
                .await
                .map_err(|e| internal(e.to_string()))?;
            match areas
                .iter()
                .find(|a| a.id == area || a.name.eq_ignore_ascii_case(&area))
            {
                Some(a) => detail.service_area = Some(a.id.clone()),
                None => {
                    let mut e = FieldErrors::new();
                    e.add("service_area", format!("There is no service area {area}"));
                    return Err(e);
                }
            }
        }
        if detail.kind != ContactKind::Complaint && !row.steps.is_empty() {
            let mut e = FieldErrors::new();
            e.add("kind", "Only complaints have stage dates");
            return Err(e);
        }
        let scheme = self
            .scheme_for(detail.service_area.as_deref())
            .await
            .map_err(|e| internal(e.to_string()))?;
        let calendar = self.calendar().await.map_err(|e| internal(e.to_string()))?;
        let year = uk_date(detail.received_at).year();
        let kind = detail.kind;
        let (mut contact, _) = Contact::receive(
            "rehearsal".into(),
            Reference::new(kind, year, 1),
            detail,
            &scheme,
            &calendar,
            Actor::system(),
        )
        .map_err(|e| internal(e.to_string()))?;
        let ctx = Context {
            scheme: &scheme,
            calendar: &calendar,
            actor: Actor::system(),
            at: self.now(),
            today: self.today(),
            payment_approval_above: None,
        };
        for (column, step) in &row.steps {
            if let Err(err) = contact.apply(step.clone(), &ctx) {
                // The domain names its own fields ("on"); the file's reader needs the column.
                let mut e = FieldErrors::new();
                e.add(*column, err.to_string());
                return Err(e);
            }
        }
        Ok(())
    }
}
