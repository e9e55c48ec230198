//! Letters in the format or language a person asked for: held to be transcribed or
//! translated with a date, recorded when they go in that form, and counted in the reports.

use crate::access::Principal;
use crate::{App, AppError};
use redress_domain::case::{Command, LetterStep};
use redress_domain::role::Permission;

/// Working days a transcription or translation is given, unless the response is due sooner.
const CONVERSION_WORKING_DAYS: u32 = 3;

impl App {
    /// What a letter to this person must be turned into before it goes, and the date it
    /// must be ready: three working days, or the case's response date if that is sooner,
    /// so a converted letter never makes a response late.
    pub(crate) async fn conversion(
        &self,
        contact: &redress_domain::contact::Contact,
    ) -> Result<Option<(String, jiff::civil::Date)>, AppError> {
        let Some(need) = redress_domain::letter::conversion_needed(contact) else {
            return Ok(None);
        };
        let today = self.today();
        let soon = self.converted_by().await?;
        let by = match contact.next_deadline() {
            Some(due) if due >= today => soon.min(due),
            _ => soon,
        };
        Ok(Some((need, by)))
    }

    /// The date a letter written today must be transcribed or translated by, when nothing
    /// sooner is due.
    pub(crate) async fn converted_by(&self) -> Result<jiff::civil::Date, AppError> {
        self.calendar()
            .await?
            .add_working_days(self.today(), CONVERSION_WORKING_DAYS)
            .map_err(|e| AppError::Internal(e.to_string()))
    }

    /// Records a letter waiting to be transcribed or translated as sent in that form, on
    /// the case's history: for those who handle its case.
    pub async fn mark_converted(&self, who: &Principal, id: &str) -> Result<(), AppError> {
        let letter = self
            .store
            .letter(&self.organisation.id, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let contact = self
            .case_in_scope(who, Permission::HandleCases, letter.reference.as_str())
            .await?;
        if contact.case.erased.is_some() {
            return Err(AppError::Conflict(
                "This case's personal data has been erased: the letter was not sent".into(),
            ));
        }
        if !self.store.mark_converted(id, self.now()).await? {
            return Err(AppError::Conflict(
                "This letter is not waiting to be transcribed or translated".into(),
            ));
        }
        let need = letter.convert.unwrap_or_default().to_lowercase();
        let step = Command::CheckLetter {
            letter_id: letter.id.clone(),
            subject: letter.subject.clone(),
            step: LetterStep::Released {
                how: format!("sent as asked: {need}"),
            },
        };
        self.apply_quietly(letter.reference.as_str(), step, who.actor())
            .await?;
        Ok(())
    }

    /// Letters sent in another format or language in a period: the format, how many, and
    /// the average days from being written to going out.
    pub async fn format_conversions(
        &self,
        who: &Principal,
        period: redress_domain::measures::Period,
    ) -> Result<Vec<(String, i64, f64)>, AppError> {
        who.require(Permission::ViewReports)?;
        let tz = redress_domain::contact::uk_time_zone();
        let start = |d: jiff::civil::Date| {
            tz.to_timestamp(d.to_datetime(jiff::civil::Time::midnight()))
                .map_err(|e| AppError::Internal(e.to_string()))
        };
        let to = period
            .to
            .tomorrow()
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let rows = self
            .store
            .conversions(&self.organisation.id, start(period.from)?, start(to)?)
            .await?;
        // Languages are counted together: a rare language and a date could point to a
        // person, and reports carry no personal data.
        let mut grouped: std::collections::BTreeMap<String, (i64, i64)> = Default::default();
        for (need, n, micros) in rows {
            let need = if need.starts_with("Translation") {
                "Translation into another language".to_string()
            } else {
                need
            };
            let entry = grouped.entry(need).or_default();
            entry.0 += n;
            entry.1 += micros;
        }
        Ok(grouped
            .into_iter()
            .map(|(need, (n, micros))| {
                let days = micros as f64 / 86_400_000_000.0 / n.max(1) as f64;
                (need, n, (days * 10.0).round() / 10.0)
            })
            .collect())
    }
}
