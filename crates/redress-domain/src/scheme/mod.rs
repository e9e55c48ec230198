//! Regulatory schemes as data: stages, targets, extension caps (complaints.md §4.2).

mod custom;

pub use custom::{MAX_STAGES, form_fields};

use crate::calendar::{CalendarError, WorkingCalendar};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// How long a step may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "unit", content = "count", rename_all = "kebab-case")]
pub enum Target {
    WorkingDays(u32),
    /// Some councils' own policies count calendar days (seed 003 quotes 30 days).
    CalendarDays(u32),
    /// Adult social care agrees a response period, six months by default.
    CalendarMonths(u32),
}

impl Target {
    pub fn from(self, calendar: &WorkingCalendar, start: Date) -> Result<Date, CalendarError> {
        match self {
            Target::WorkingDays(n) => calendar.add_working_days(start, n),
            Target::CalendarDays(n) => start
                .checked_add(jiff::Span::new().days(i64::from(n)))
                .map_err(|_| CalendarError::OutOfRange),
            Target::CalendarMonths(n) => start
                .checked_add(jiff::Span::new().months(i64::from(n)))
                .map_err(|_| CalendarError::OutOfRange),
        }
    }

    pub fn describe(self) -> String {
        match self {
            Target::WorkingDays(n) => plural(n, "working day"),
            Target::CalendarDays(n) => plural(n, "calendar day"),
            Target::CalendarMonths(n) => plural(n, "month"),
        }
    }
}

fn plural(n: u32, unit: &str) -> String {
    if n == 1 {
        format!("1 {unit}")
    } else {
        format!("{n} {unit}s")
    }
}

/// What a stage's response clock counts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ClockStart {
    /// The Codes: the response target runs from the acknowledgement.
    Acknowledgement,
    /// Frontline and statutory models: from receipt (or the escalation request).
    Receipt,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageRule {
    pub name: String,
    pub acknowledge_within: Option<Target>,
    pub respond_within: Target,
    pub respond_from: ClockStart,
    /// How far an extension may move the response date without a recorded good reason.
    pub extension_cap: Option<Target>,
    /// The handler must differ from the previous stage's.
    pub different_handler: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Ombudsman {
    Housing,
    LocalGovernmentAndSocialCare,
    ScottishPublicServices,
    PublicServicesWales,
}

impl Ombudsman {
    /// The identifier used in stored settings and schemes.
    pub fn slug(self) -> &'static str {
        match self {
            Ombudsman::Housing => "housing",
            Ombudsman::LocalGovernmentAndSocialCare => "local-government-and-social-care",
            Ombudsman::ScottishPublicServices => "scottish-public-services",
            Ombudsman::PublicServicesWales => "public-services-wales",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Ombudsman::Housing => "Housing Ombudsman",
            Ombudsman::LocalGovernmentAndSocialCare => "Local Government and Social Care Ombudsman",
            Ombudsman::ScottishPublicServices => "Scottish Public Services Ombudsman",
            Ombudsman::PublicServicesWales => "Public Services Ombudsman for Wales",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scheme {
    pub id: String,
    pub name: String,
    pub stages: Vec<StageRule>,
    /// Months after the issue within which a complaint is expected.
    pub time_limit_months: Option<u32>,
    pub ombudsman: Option<Ombudsman>,
}

/// The dates a stage must meet, computed by the rules in complaints.md §4.2.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deadlines {
    pub scheme: String,
    pub stage: u8,
    pub acknowledge_by: Option<Date>,
    pub respond_by: Date,
    pub latest_extended_respond_by: Option<Date>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SchemeError {
    #[error("the scheme '{scheme}' has no stage {stage}")]
    NoSuchStage { scheme: String, stage: u8 },
    #[error("unknown scheme '{0}'")]
    Unknown(String),
    #[error(transparent)]
    Calendar(#[from] CalendarError),
    #[error("the acknowledgement date cannot be before the date received")]
    AcknowledgedBeforeReceipt,
}

fn wd(n: u32) -> Target {
    Target::WorkingDays(n)
}

fn code_stage(name: &str, ack: u32, respond: u32, cap: u32, different_handler: bool) -> StageRule {
    StageRule {
        name: name.into(),
        acknowledge_within: Some(wd(ack)),
        respond_within: wd(respond),
        respond_from: ClockStart::Acknowledgement,
        extension_cap: Some(wd(cap)),
        different_handler,
    }
}

fn receipt_stage(name: &str, ack: Option<u32>, respond: Target, cap: Option<Target>) -> StageRule {
    StageRule {
        name: name.into(),
        acknowledge_within: ack.map(wd),
        respond_within: respond,
        respond_from: ClockStart::Receipt,
        extension_cap: cap,
        different_handler: true,
    }
}

/// The ids of the schemes shipped with the product; an organisation's own may not reuse them.
const BUILT_IN_IDS: [&str; 7] = [
    "hos-2024",
    "lgsco-2024",
    "spso",
    "psow",
    "three-step",
    "children-social-care",
    "adult-social-care",
];

impl Scheme {
    pub const DEFAULT_ID: &'static str = "hos-2024";

    /// The schemes shipped with the product. Values marked [?] in the rules are defaults an
    /// organisation can override with a custom scheme.
    pub fn built_in() -> Vec<Scheme> {
        vec![
            Scheme {
                id: "hos-2024".into(),
                name: "Housing Ombudsman Complaint Handling Code 2024".into(),
                stages: vec![
                    code_stage("Stage 1", 5, 10, 10, false),
                    code_stage("Stage 2", 5, 20, 20, true),
                ],
                time_limit_months: Some(12),
                ombudsman: Some(Ombudsman::Housing),
            },
            Scheme {
                id: "lgsco-2024".into(),
                name: "Local Government and Social Care Ombudsman Complaint Handling Code".into(),
                stages: vec![
                    code_stage("Stage 1", 5, 10, 10, false),
                    code_stage("Stage 2", 5, 20, 20, true),
                ],
                time_limit_months: Some(12),
                ombudsman: Some(Ombudsman::LocalGovernmentAndSocialCare),
            },
            Scheme {
                id: "spso".into(),
                name: "SPSO model complaints handling procedure (Scotland)".into(),
                stages: vec![
                    receipt_stage("Frontline response", None, wd(5), Some(wd(5))),
                    receipt_stage("Investigation", Some(3), wd(20), Some(wd(20))),
                ],
                time_limit_months: Some(6),
                ombudsman: Some(Ombudsman::ScottishPublicServices),
            },
            Scheme {
                id: "psow".into(),
                name: "PSOW model concerns and complaints policy (Wales)".into(),
                stages: vec![
                    receipt_stage("Informal resolution", None, wd(10), Some(wd(10))),
                    receipt_stage("Formal investigation", Some(5), wd(20), Some(wd(20))),
                ],
                time_limit_months: Some(6),
                ombudsman: Some(Ombudsman::PublicServicesWales),
            },
            Scheme {
                id: "three-step".into(),
                name: "Three-step complaints process".into(),
                stages: vec![
                    code_stage("Step 1", 5, 10, 10, false),
                    code_stage("Step 2", 5, 20, 20, true),
                    code_stage("Step 3: review", 5, 20, 20, true),
                ],
                time_limit_months: Some(12),
                ombudsman: Some(Ombudsman::Housing),
            },
            Scheme {
                id: "children-social-care".into(),
                name: "Children's social care statutory procedure".into(),
                stages: vec![
                    receipt_stage("Local resolution", None, wd(10), Some(wd(10))),
                    receipt_stage("Investigation", None, wd(25), Some(wd(40))),
                    receipt_stage("Review panel", None, wd(30), None),
                ],
                time_limit_months: Some(12),
                ombudsman: Some(Ombudsman::LocalGovernmentAndSocialCare),
            },
            Scheme {
                id: "adult-social-care".into(),
                name: "Adult social care statutory procedure".into(),
                stages: vec![receipt_stage(
                    "Local resolution",
                    Some(3),
                    Target::CalendarMonths(6),
                    None,
                )],
                time_limit_months: Some(12),
                ombudsman: Some(Ombudsman::LocalGovernmentAndSocialCare),
            },
        ]
    }

    pub fn find_built_in(id: &str) -> Result<Scheme, SchemeError> {
        Scheme::built_in()
            .into_iter()
            .find(|s| s.id == id)
            .ok_or_else(|| SchemeError::Unknown(id.to_string()))
    }

    pub fn stage(&self, stage: u8) -> Result<&StageRule, SchemeError> {
        usize::from(stage)
            .checked_sub(1)
            .and_then(|i| self.stages.get(i))
            .ok_or_else(|| SchemeError::NoSuchStage {
                scheme: self.id.clone(),
                stage,
            })
    }

    /// Dates for `stage` of a complaint received (or escalated) on `received`.
    ///
    /// A late acknowledgement counts as made on its due date, so lateness never buys more
    /// time; an early one starts the response clock early.
    pub fn deadlines(
        &self,
        calendar: &WorkingCalendar,
        stage: u8,
        received: Date,
        acknowledged: Option<Date>,
    ) -> Result<Deadlines, SchemeError> {
        let rule = self.stage(stage)?;
        if acknowledged.is_some_and(|a| a < received) {
            return Err(SchemeError::AcknowledgedBeforeReceipt);
        }
        let acknowledge_by = rule
            .acknowledge_within
            .map(|t| t.from(calendar, received))
            .transpose()?;
        let clock_start = match rule.respond_from {
            ClockStart::Receipt => received,
            ClockStart::Acknowledgement => match (acknowledged, acknowledge_by) {
                (Some(a), Some(due)) => a.min(due),
                (Some(a), None) => a,
                (None, Some(due)) => due,
                (None, None) => received,
            },
        };
        let respond_by = rule.respond_within.from(calendar, clock_start)?;
        let latest_extended_respond_by = rule
            .extension_cap
            .map(|cap| cap.from(calendar, respond_by))
            .transpose()?;
        Ok(Deadlines {
            scheme: self.id.clone(),
            stage,
            acknowledge_by,
            respond_by,
            latest_extended_respond_by,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Division;
    use jiff::civil::date;

    fn hos() -> Scheme {
        Scheme::find_built_in("hos-2024").unwrap_or_else(|_| Scheme::built_in().remove(0))
    }

    #[test]
    fn every_named_scheme_exists() {
        for id in BUILT_IN_IDS {
            assert!(Scheme::find_built_in(id).is_ok(), "{id}");
        }
        assert_eq!(Scheme::built_in().len(), BUILT_IN_IDS.len());
        assert_eq!(hos().stages.len(), 2);
        assert!(Scheme::find_built_in("nope").is_err());
    }

    #[test]
    fn hos_stage_one_from_the_worked_example() {
        let cal = WorkingCalendar::standard(Division::EnglandAndWales);
        let d = hos().deadlines(&cal, 1, date(2024, 12, 20), None);
        // Ack by 31 Dec; respond 10 working days after: 2–3, 6–10, 13–15 Jan.
        assert_eq!(
            d,
            Ok(Deadlines {
                scheme: "hos-2024".into(),
                stage: 1,
                acknowledge_by: Some(date(2024, 12, 31)),
                respond_by: date(2025, 1, 15),
                latest_extended_respond_by: Some(date(2025, 1, 29)),
            })
        );
    }

    #[test]
    fn late_acknowledgement_buys_no_time_early_one_starts_early() {
        let cal = WorkingCalendar::standard(Division::EnglandAndWales);
        let late = hos().deadlines(&cal, 1, date(2024, 12, 20), Some(date(2025, 1, 10)));
        assert_eq!(late.map(|d| d.respond_by), Ok(date(2025, 1, 15)));
        let early = hos().deadlines(&cal, 1, date(2024, 12, 20), Some(date(2024, 12, 23)));
        assert_eq!(early.map(|d| d.respond_by), Ok(date(2025, 1, 9)));
        assert_eq!(
            hos().deadlines(&cal, 1, date(2024, 12, 20), Some(date(2024, 12, 19))),
            Err(SchemeError::AcknowledgedBeforeReceipt)
        );
    }

    #[test]
    fn stage_two_and_missing_stage() {
        let cal = WorkingCalendar::standard(Division::EnglandAndWales);
        let d = hos().deadlines(&cal, 2, date(2025, 3, 3), None);
        assert_eq!(
            d.as_ref().map(|d| d.acknowledge_by),
            Ok(Some(date(2025, 3, 10)))
        );
        assert_eq!(d.map(|d| d.respond_by), Ok(date(2025, 4, 7)));
        assert!(matches!(
            hos().deadlines(&cal, 3, date(2025, 3, 3), None),
            Err(SchemeError::NoSuchStage { .. })
        ));
    }

    #[test]
    fn receipt_clocks_and_calendar_targets() {
        let cal = WorkingCalendar::standard(Division::Scotland);
        let spso = Scheme::find_built_in("spso").unwrap_or_else(|_| hos());
        let d = spso.deadlines(&cal, 1, date(2025, 3, 3), None);
        assert_eq!(d.as_ref().map(|d| d.acknowledge_by), Ok(None));
        assert_eq!(d.map(|d| d.respond_by), Ok(date(2025, 3, 10)));
        let adult = Scheme::find_built_in("adult-social-care").unwrap_or_else(|_| hos());
        let d = adult.deadlines(&cal, 1, date(2025, 3, 3), None);
        assert_eq!(d.map(|d| d.respond_by), Ok(date(2025, 9, 3)));
    }

    #[test]
    fn custom_scheme_round_trips_as_data() {
        let json = r#"{"id":"council-30-day","name":"Council policy","stages":[
            {"name":"Stage 1","acknowledge_within":{"unit":"working-days","count":5},
             "respond_within":{"unit":"calendar-days","count":30},"respond_from":"receipt",
             "extension_cap":null,"different_handler":false}],
            "time_limit_months":12,"ombudsman":"public-services-wales"}"#;
        let scheme: Result<Scheme, _> = serde_json::from_str(json);
        assert!(scheme.is_ok(), "{scheme:?}");
        let cal = WorkingCalendar::standard(Division::EnglandAndWales);
        let d = scheme
            .ok()
            .and_then(|s| s.deadlines(&cal, 1, date(2025, 3, 3), None).ok());
        assert_eq!(d.map(|d| d.respond_by), Some(date(2025, 4, 2)));
    }
}
