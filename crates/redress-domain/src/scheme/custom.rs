//! An organisation's own schemes (complaints.md §4.2: a council's policy may count 30
//! calendar days). They are checked before they are kept, and each save is a new version
//! with its own id (`council-30-day@2`), so a case keeps the rules it started under.

use super::{BUILT_IN_IDS, ClockStart, Ombudsman, Scheme, StageRule, Target};
use crate::FieldErrors;
use std::collections::BTreeMap;

/// Most stages an organisation's scheme may have: the longest statutory route has three.
pub const MAX_STAGES: usize = 4;

const MAX_NAME: usize = 100;
const MAX_ID: usize = 40;

impl Scheme {
    /// The id without its version: `council-30-day@2` gives `council-30-day`.
    pub fn base_id(id: &str) -> &str {
        id.split_once('@').map_or(id, |(base, _)| base)
    }

    /// The version in an id: `council-30-day@2` gives 2; an id without one gives 0.
    pub fn version_of(id: &str) -> u32 {
        id.split_once('@')
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(0)
    }

    pub fn is_built_in_id(id: &str) -> bool {
        BUILT_IN_IDS.contains(&Scheme::base_id(id))
    }

    /// What is wrong with this scheme as an organisation's own, each message under the
    /// field of the scheme form it is about (the same names the command line reports).
    pub fn check(&self) -> FieldErrors {
        let mut errors = FieldErrors::new();
        let id = Scheme::base_id(&self.id);
        if id.is_empty() {
            errors.add("scheme_id", "Enter a short name for the scheme");
        } else if id.chars().count() > MAX_ID
            || !id.starts_with(|c: char| c.is_ascii_lowercase())
            || !id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            errors.add(
                "scheme_id",
                "The short name must start with a letter and use only lower-case letters, \
                 digits and hyphens, 40 at most",
            );
        } else if Scheme::is_built_in_id(id) {
            errors.add(
                "scheme_id",
                "This short name belongs to a built-in scheme: choose another",
            );
        }
        let name = self.name.trim();
        if name.is_empty() {
            errors.add("scheme_name", "Enter the scheme's name");
        } else if name.chars().count() > MAX_NAME {
            errors.add("scheme_name", "The name must be 100 characters or fewer");
        }
        if self
            .time_limit_months
            .is_some_and(|m| !(1..=60).contains(&m))
        {
            errors.add(
                "time_limit_months",
                "Enter a time limit from 1 to 60 months, or leave it empty",
            );
        }
        if self.stages.is_empty() {
            errors.add("stage1_name", "Enter the name of stage 1");
        }
        if self.stages.len() > MAX_STAGES {
            errors.add("stage1_name", "A scheme may have 4 stages at most");
        }
        for (i, stage) in self.stages.iter().enumerate() {
            check_stage(&mut errors, i + 1, stage);
        }
        errors
    }
}

fn check_stage(errors: &mut FieldErrors, n: usize, stage: &StageRule) {
    let field = |f: &str| format!("stage{n}_{f}");
    let name = stage.name.trim();
    if name.is_empty() {
        errors.add(field("name"), format!("Enter the name of stage {n}"));
    } else if name.chars().count() > MAX_NAME {
        errors.add(field("name"), "The name must be 100 characters or fewer");
    }
    match stage.acknowledge_within {
        Some(Target::WorkingDays(d)) if (1..=30).contains(&d) => {}
        None if stage.respond_from == ClockStart::Receipt => {}
        None => errors.add(
            field("ack"),
            "Enter the working days to acknowledge in: the response clock counts from the \
             acknowledgement",
        ),
        Some(_) => errors.add(field("ack"), "Enter from 1 to 30 working days"),
    }
    if !in_range(stage.respond_within) {
        errors.add(
            field("respond"),
            "Enter from 1 to 365 days, or 1 to 12 months",
        );
    }
    if stage.extension_cap.is_some_and(|cap| !in_range(cap)) {
        errors.add(
            field("cap"),
            "Enter from 1 to 365 days or 1 to 12 months, or leave it empty",
        );
    }
}

fn in_range(t: Target) -> bool {
    match t {
        Target::WorkingDays(d) | Target::CalendarDays(d) => (1..=365).contains(&d),
        Target::CalendarMonths(m) => (1..=12).contains(&m),
    }
}

/// The scheme form's values for a scheme, so it can be edited or copied.
pub fn form_fields(scheme: &Scheme) -> BTreeMap<String, String> {
    let mut v = BTreeMap::new();
    v.insert("scheme_id".into(), Scheme::base_id(&scheme.id).to_string());
    v.insert("scheme_name".into(), scheme.name.clone());
    v.insert(
        "ombudsman".into(),
        scheme
            .ombudsman
            .map(|o| o.slug().to_string())
            .unwrap_or_default(),
    );
    v.insert(
        "time_limit_months".into(),
        scheme
            .time_limit_months
            .map(|m| m.to_string())
            .unwrap_or_default(),
    );
    for (i, s) in scheme.stages.iter().enumerate() {
        let n = i + 1;
        let (respond, unit) = split(s.respond_within);
        v.insert(format!("stage{n}_name"), s.name.clone());
        v.insert(
            format!("stage{n}_ack"),
            s.acknowledge_within
                .map(|t| split(t).0.to_string())
                .unwrap_or_default(),
        );
        v.insert(format!("stage{n}_respond"), respond.to_string());
        v.insert(format!("stage{n}_unit"), unit.to_string());
        v.insert(
            format!("stage{n}_from"),
            match s.respond_from {
                ClockStart::Acknowledgement => "acknowledgement",
                ClockStart::Receipt => "receipt",
            }
            .into(),
        );
        v.insert(
            format!("stage{n}_cap"),
            s.extension_cap
                .map(|t| split(t).0.to_string())
                .unwrap_or_default(),
        );
        if s.different_handler {
            v.insert(format!("stage{n}_different"), "yes".into());
        }
    }
    v
}

fn split(t: Target) -> (u32, &'static str) {
    match t {
        Target::WorkingDays(d) => (d, "working-days"),
        Target::CalendarDays(d) => (d, "calendar-days"),
        Target::CalendarMonths(m) => (m, "calendar-months"),
    }
}

impl Scheme {
    /// Reads the scheme form. Stages are the numbered rows whose name is filled in; the
    /// response target's unit also counts the extension cap. Every problem is reported at
    /// its field, with the checks of [`Scheme::check`].
    pub fn from_form(values: &BTreeMap<String, String>) -> Result<Scheme, FieldErrors> {
        let get = |k: &str| values.get(k).map(|s| s.trim()).unwrap_or("");
        let mut errors = FieldErrors::new();
        let count = |errors: &mut FieldErrors, field: String, message: &str| {
            let raw = get(&field);
            if raw.is_empty() {
                return None;
            }
            match raw.parse::<u32>() {
                Ok(n) => Some(n),
                Err(_) => {
                    errors.add(field, message);
                    None
                }
            }
        };
        let time_limit_months = count(
            &mut errors,
            "time_limit_months".into(),
            "Enter the time limit as a whole number of months",
        );
        let ombudsman = match get("ombudsman") {
            "" => None,
            s => errors.take("ombudsman", Ombudsman::parse(s)),
        };
        let mut stages = Vec::new();
        // The form row each stage came from, so a stage's problems are shown at its row
        // even when an earlier row was left empty.
        let mut rows = Vec::new();
        let mut gap = None;
        for n in 1..=MAX_STAGES {
            let name = get(&format!("stage{n}_name"));
            if name.is_empty() {
                gap.get_or_insert(n);
                continue;
            }
            if let Some(missing) = gap {
                errors.add(
                    format!("stage{missing}_name"),
                    format!("Enter the name of stage {missing}, or move stage {n} up"),
                );
            }
            let unit = match get(&format!("stage{n}_unit")) {
                "working-days" => Target::WorkingDays,
                "calendar-days" => Target::CalendarDays,
                "calendar-months" => Target::CalendarMonths,
                _ => {
                    errors.add(format!("stage{n}_unit"), "Select what the target counts");
                    Target::WorkingDays
                }
            };
            let ack = count(
                &mut errors,
                format!("stage{n}_ack"),
                "Enter the working days as a whole number",
            );
            let respond = count(
                &mut errors,
                format!("stage{n}_respond"),
                "Enter the target as a whole number",
            );
            if respond.is_none() && errors.get(&format!("stage{n}_respond")).is_none() {
                errors.add(
                    format!("stage{n}_respond"),
                    format!("Enter how long stage {n} has to respond"),
                );
            }
            let cap = count(
                &mut errors,
                format!("stage{n}_cap"),
                "Enter the extension cap as a whole number",
            );
            let respond_from = match get(&format!("stage{n}_from")) {
                "receipt" => ClockStart::Receipt,
                "acknowledgement" => ClockStart::Acknowledgement,
                _ => {
                    errors.add(
                        format!("stage{n}_from"),
                        "Select what the response clock counts from",
                    );
                    ClockStart::Receipt
                }
            };
            rows.push(n);
            stages.push(StageRule {
                name: name.to_string(),
                acknowledge_within: ack.map(Target::WorkingDays),
                respond_within: unit(respond.unwrap_or(1)),
                respond_from,
                extension_cap: cap.map(unit),
                different_handler: get(&format!("stage{n}_different")) == "yes",
            });
        }
        let scheme = Scheme {
            id: get("scheme_id").to_string(),
            name: get("scheme_name").to_string(),
            stages,
            time_limit_months,
            ombudsman,
        };
        for (field, message) in scheme.check().iter() {
            errors.add(at_row(field, &rows), message);
        }
        errors.into_result().map(|()| scheme)
    }
}

/// `stage2_respond` of the scheme as `stage3_respond` when its second stage was row 3.
fn at_row(field: &str, rows: &[usize]) -> String {
    let renamed = field.strip_prefix("stage").and_then(|rest| {
        let (n, tail) = rest.split_once('_')?;
        let row = rows.get(n.parse::<usize>().ok()?.checked_sub(1)?)?;
        Some(format!("stage{row}_{tail}"))
    });
    renamed.unwrap_or_else(|| field.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_council_thirty_day_scheme_from_the_form() {
        let s = Scheme::from_form(&form(&[
            ("scheme_id", "council-30-day"),
            ("scheme_name", "Council complaints policy"),
            ("time_limit_months", "12"),
            ("ombudsman", "local-government-and-social-care"),
            ("stage1_name", "Stage 1"),
            ("stage1_ack", "3"),
            ("stage1_respond", "30"),
            ("stage1_unit", "calendar-days"),
            ("stage1_from", "receipt"),
            ("stage2_name", "Stage 2"),
            ("stage2_respond", "30"),
            ("stage2_unit", "calendar-days"),
            ("stage2_from", "receipt"),
            ("stage2_cap", "30"),
            ("stage2_different", "yes"),
        ]));
        let Ok(s) = s else {
            panic!("{s:?}");
        };
        assert_eq!(s.stages.len(), 2);
        assert_eq!(s.stages[0].respond_within, Target::CalendarDays(30));
        assert_eq!(s.stages[1].extension_cap, Some(Target::CalendarDays(30)));
        assert!(s.stages[1].different_handler);
        // What the form shows for it reads back as the same scheme.
        assert_eq!(Scheme::from_form(&form_fields(&s)), Ok(s));
    }

    #[test]
    fn each_problem_is_named_at_its_field() {
        let Err(e) = Scheme::from_form(&form(&[
            ("scheme_id", "hos-2024"),
            ("scheme_name", ""),
            ("time_limit_months", "99"),
            ("stage1_name", "Stage 1"),
            ("stage1_respond", "ten"),
            ("stage1_unit", "working-days"),
            ("stage1_from", "acknowledgement"),
            ("stage3_name", "Review"),
            ("stage3_respond", "400"),
            ("stage3_unit", "calendar-days"),
            ("stage3_from", "receipt"),
        ])) else {
            panic!("accepted");
        };
        assert!(e.get("scheme_id").is_some_and(|m| m.contains("built-in")));
        assert!(e.get("scheme_name").is_some());
        assert!(e.get("time_limit_months").is_some());
        assert!(e.get("stage1_respond").is_some_and(|m| m.contains("whole")));
        assert!(
            e.get("stage1_ack")
                .is_some_and(|m| m.contains("acknowledgement"))
        );
        assert!(e.get("stage2_name").is_some_and(|m| m.contains("stage 2")));
        assert!(e.get("stage3_respond").is_some_and(|m| m.contains("365")));
    }

    #[test]
    fn versions_are_read_from_ids() {
        assert_eq!(Scheme::base_id("council-30-day@2"), "council-30-day");
        assert_eq!(Scheme::version_of("council-30-day@2"), 2);
        assert_eq!(Scheme::version_of("council-30-day"), 0);
        assert!(Scheme::is_built_in_id("spso"));
        assert!(!Scheme::is_built_in_id("council-30-day"));
    }
}
