//! The annual programme: at least two business areas a year chosen from the ranking, each
//! scrutinised through a template of 13 named stages, ending in a report with
//! recommendations to the Executive Management Team and Board, whose response the
//! Customer Empowerment Manager and the Head of Service make, with an action plan agreed
//! with the team and monitored to completion.

use crate::FieldErrors;
use crate::calendar::long_date;
use crate::field::Text;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

pub const STAGE_COUNT: usize = 13;
pub const MIN_AREAS_A_YEAR: usize = 2;

/// The last three of the 13 stages are milestones Redress records itself, whatever the
/// organisation calls them: the final report sent, its presentation and response, and the
/// action plan agreed.
pub const REPORT_STAGE: usize = STAGE_COUNT - 3;
pub const ANSWER_STAGE: usize = STAGE_COUNT - 2;
pub const PLAN_STAGE: usize = STAGE_COUNT - 1;

/// The stages Redress ships with; the organisation can rename them.
pub const DEFAULT_STAGES: [&str; STAGE_COUNT] = [
    "Scoping and terms of reference",
    "Planning and timetable",
    "Desk-top review of performance data",
    "Service mapping",
    "Staff interviews",
    "Reality checks and mystery shopping",
    "Resident consultation",
    "Benchmarking with other landlords",
    "Analysis",
    "Draft findings shared with the service",
    "Final report with recommendations",
    "Presentation to the Executive Management Team and Board",
    "Action plan agreed and monitored",
];

/// The template as typed: one stage per line, exactly 13.
pub fn parse_template(raw: &str) -> Result<Vec<String>, String> {
    let stages: Vec<String> = raw
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect();
    if stages.len() != STAGE_COUNT {
        return Err(format!(
            "Enter {STAGE_COUNT} stages, one per line (you entered {})",
            stages.len()
        ));
    }
    if stages.iter().any(|s| s.chars().any(char::is_control)) {
        return Err("Stage names cannot contain control characters".into());
    }
    if let Some(long) = stages.iter().find(|s| s.chars().count() > 120) {
        return Err(format!("Stage names are 120 characters or fewer: {long}"));
    }
    Ok(stages)
}

/// Said when the year's programme has fewer areas than the process asks for.
pub fn programme_warning(chosen: usize) -> Option<String> {
    (chosen < MIN_AREAS_A_YEAR).then(|| {
        format!(
            "At least {MIN_AREAS_A_YEAR} business areas are scrutinised each year: {chosen} chosen so far"
        )
    })
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stage {
    pub name: String,
    pub planned_on: Option<Date>,
    pub owner: Option<String>,
    pub done_on: Option<Date>,
}

impl Stage {
    /// Past its planned date and not done, or done after it.
    pub fn late(&self, today: Date) -> bool {
        self.planned_on
            .is_some_and(|planned| self.done_on.unwrap_or(today) > planned)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recommendation {
    pub text: Text,
    pub response: Option<Text>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Action {
    pub id: u32,
    /// Index into the recommendations.
    pub recommendation: usize,
    pub action: Text,
    pub owner: Text,
    pub due: Date,
    pub done_on: Option<Date>,
}

impl Action {
    pub fn overdue(&self, today: Date) -> bool {
        self.done_on.is_none() && self.due < today
    }
}

/// One scrutiny exercise in a year's programme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exercise {
    pub id: String,
    pub year: i16,
    pub area_id: String,
    pub stages: Vec<Stage>,
    pub recommendations: Vec<Recommendation>,
    pub report_sent_on: Option<Date>,
    pub manager: Option<String>,
    pub head_of_service: Option<String>,
    pub plan_agreed_on: Option<Date>,
    pub actions: Vec<Action>,
    /// The final report's findings and the evidence they rest on (`report`).
    #[serde(default)]
    pub findings: Option<Text>,
    #[serde(default)]
    pub evidence: Option<Text>,
    /// What the Board and the Executive Management Team said to the report, in order:
    /// a later response is added, never put in place of an earlier one.
    #[serde(default)]
    pub board_responses: Vec<super::response::BoardResponse>,
}

fn refuse(field: &str, message: impl Into<String>) -> FieldErrors {
    let mut e = FieldErrors::new();
    e.add(field, message);
    e
}

fn date(field: &str, raw: &str) -> Result<Option<Date>, FieldErrors> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    raw.parse()
        .map(Some)
        .map_err(|_| refuse(field, "Enter a real date, like 2027-03-31"))
}

impl Exercise {
    pub fn new(id: String, year: i16, area_id: String, template: &[String]) -> Exercise {
        Exercise {
            id,
            year,
            area_id,
            stages: template
                .iter()
                .map(|name| Stage {
                    name: name.clone(),
                    planned_on: None,
                    owner: None,
                    done_on: None,
                })
                .collect(),
            recommendations: Vec::new(),
            report_sent_on: None,
            manager: None,
            head_of_service: None,
            plan_agreed_on: None,
            actions: Vec::new(),
            findings: None,
            evidence: None,
            board_responses: Vec::new(),
        }
    }

    /// Plans a stage or marks it done. Returns the line for the history.
    pub fn update_stage(
        &mut self,
        index: usize,
        planned_on: &str,
        owner: &str,
        done_on: &str,
        today: Date,
    ) -> Result<String, FieldErrors> {
        let planned = date("planned_on", planned_on)?;
        let done = date("done_on", done_on)?;
        if done.is_some_and(|d| d > today) {
            return Err(refuse("done_on", "A stage cannot be done in the future"));
        }
        let owner =
            Text::parse_optional(owner, "the owner", 120).map_err(|m| refuse("owner", m))?;
        let stage = self
            .stages
            .get_mut(index)
            .ok_or_else(|| refuse("stage", "There is no such stage"))?;
        stage.planned_on = planned;
        stage.owner = owner.map(Text::into_string);
        stage.done_on = done;
        Ok(match done {
            Some(d) => format!(
                "Stage {} ({}) done on {}",
                index + 1,
                stage.name,
                long_date(d)
            ),
            None => format!("Stage {} ({}) planned", index + 1, stage.name),
        })
    }

    /// Marks a milestone's stage done on `on`, unless it was recorded done already.
    pub(crate) fn reached(&mut self, stage: usize, on: Date) {
        if self.stages.len() == STAGE_COUNT
            && let Some(stage) = self.stages.get_mut(stage)
            && stage.done_on.is_none()
        {
            stage.done_on = Some(on);
        }
    }

    /// The stage the exercise is at: the first not done.
    pub fn current_stage(&self) -> Option<(usize, &Stage)> {
        self.stages
            .iter()
            .enumerate()
            .find(|(_, s)| s.done_on.is_none())
    }

    pub fn add_recommendation(&mut self, text: &str) -> Result<String, FieldErrors> {
        if self.report_sent_on.is_some() {
            return Err(refuse(
                "recommendation",
                "The report has gone to the Executive Management Team and Board: its recommendations are fixed",
            ));
        }
        let text = Text::parse(text, "the recommendation", 2_000)
            .map_err(|m| refuse("recommendation", m))?;
        self.recommendations.push(Recommendation {
            text,
            response: None,
        });
        Ok(format!(
            "Recommendation {} added",
            self.recommendations.len()
        ))
    }

    /// The final report goes to the EMT and Board, who delegate the response.
    pub fn send_report(
        &mut self,
        on: &str,
        manager: &str,
        head_of_service: &str,
        today: Date,
    ) -> Result<String, FieldErrors> {
        let mut e = FieldErrors::new();
        if self.recommendations.is_empty() {
            e.add(
                "recommendation",
                "Add the report's recommendations before sending it",
            );
        }
        if self.findings.is_none() {
            e.add(
                "findings",
                "Write the report's findings and evidence before sending it",
            );
        }
        if self.report_sent_on.is_some() {
            e.add("on", "The report has already been sent");
        }
        let on = match date("on", on) {
            Ok(Some(d)) if d <= today => Some(d),
            Ok(Some(_)) => {
                e.add("on", "The date cannot be in the future");
                None
            }
            Ok(None) => {
                e.add("on", "Enter the date the report was sent");
                None
            }
            Err(err) => {
                for (f, m) in err.iter() {
                    e.add(f, m);
                }
                None
            }
        };
        let manager = e.take(
            "manager",
            Text::parse(manager, "the Customer Empowerment Manager's name", 120),
        );
        let head = e.take(
            "head_of_service",
            Text::parse(head_of_service, "the Head of Service's name", 120),
        );
        e.into_result()?;
        let (Some(on), Some(manager), Some(head)) = (on, manager, head) else {
            return Err(refuse("on", "Enter the date the report was sent"));
        };
        self.report_sent_on = Some(on);
        self.manager = Some(manager.into_string());
        self.head_of_service = Some(head.into_string());
        self.reached(REPORT_STAGE, on);
        Ok(format!(
            "Final report sent to the Executive Management Team and Board on {}; response delegated",
            long_date(on)
        ))
    }

    pub fn respond(&mut self, index: usize, response: &str) -> Result<String, FieldErrors> {
        if self.report_sent_on.is_none() {
            return Err(refuse("response", "The report has not been sent yet"));
        }
        let response =
            Text::parse(response, "the response", 4_000).map_err(|m| refuse("response", m))?;
        let r = self
            .recommendations
            .get_mut(index)
            .ok_or_else(|| refuse("response", "There is no such recommendation"))?;
        r.response = Some(response);
        Ok(format!("Response to recommendation {}", index + 1))
    }

    pub fn add_action(
        &mut self,
        recommendation: &str,
        action: &str,
        owner: &str,
        due: &str,
    ) -> Result<String, FieldErrors> {
        let mut e = FieldErrors::new();
        if self.report_sent_on.is_none() {
            e.add("action", "Actions follow the response to the final report");
        }
        let rec = recommendation
            .trim()
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=self.recommendations.len()).contains(n));
        if rec.is_none() {
            e.add(
                "recommendation",
                "Select the recommendation the action answers",
            );
        }
        let action = e.take("action", Text::parse(action, "the action", 2_000));
        let owner = e.take("owner", Text::parse(owner, "who owns the action", 120));
        let due = match date("due", due) {
            Ok(Some(d)) => Some(d),
            _ => {
                e.add("due", "Enter the date the action is due, like 2027-06-30");
                None
            }
        };
        e.into_result()?;
        let (Some(rec), Some(action), Some(owner), Some(due)) = (rec, action, owner, due) else {
            return Err(refuse("action", "Enter the action"));
        };
        let id = self.actions.iter().map(|a| a.id).max().unwrap_or(0) + 1;
        self.actions.push(Action {
            id,
            recommendation: rec - 1,
            action,
            owner,
            due,
            done_on: None,
        });
        Ok(format!("Action {id} added to the plan"))
    }

    pub fn agree_plan(&mut self, on: Date) -> Result<String, FieldErrors> {
        if self.actions.is_empty() {
            return Err(refuse(
                "action",
                "Add the plan's actions before recording it as agreed",
            ));
        }
        self.plan_agreed_on = Some(on);
        self.reached(PLAN_STAGE, on);
        Ok(format!(
            "Action plan agreed with the team on {}",
            long_date(on)
        ))
    }

    pub fn complete_action(
        &mut self,
        id: u32,
        on: Date,
        today: Date,
    ) -> Result<String, FieldErrors> {
        if on > today {
            return Err(refuse("done_on", "The date cannot be in the future"));
        }
        let a = self
            .actions
            .iter_mut()
            .find(|a| a.id == id)
            .ok_or_else(|| refuse("action", "There is no such action"))?;
        if a.done_on.is_some() {
            return Err(refuse("action", "This action is already complete"));
        }
        a.done_on = Some(on);
        Ok(format!("Action {id} complete"))
    }

    pub fn overdue(&self, today: Date) -> Vec<&Action> {
        self.actions.iter().filter(|a| a.overdue(today)).collect()
    }

    /// Every action done: the exercise is complete.
    pub fn complete(&self) -> bool {
        self.plan_agreed_on.is_some() && self.actions.iter().all(|a| a.done_on.is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn template() -> Vec<String> {
        DEFAULT_STAGES.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_template_has_thirteen_stages() {
        assert!(parse_template(&DEFAULT_STAGES.join("\n")).is_ok());
        assert!(
            parse_template("One\nTwo")
                .unwrap_err()
                .contains("you entered 2")
        );
        assert!(programme_warning(1).unwrap().contains("1 chosen"));
        assert_eq!(programme_warning(2), None);
    }

    #[test]
    fn from_report_to_actions_done() {
        let today = date(2027, 2, 1);
        let mut x = Exercise::new("x".into(), 2026, "repairs".into(), &template());
        assert_eq!(x.current_stage().map(|(i, _)| i), Some(0));
        x.update_stage(0, "2026-05-01", "Mary", "2026-05-03", today)
            .unwrap();
        assert_eq!(x.current_stage().map(|(i, _)| i), Some(1));
        assert!(x.update_stage(1, "", "", "2027-03-01", today).is_err());
        assert!(
            x.send_report("2027-01-10", "Cem", "Hos", today)
                .unwrap_err()
                .get("recommendation")
                .is_some()
        );
        x.add_recommendation("Publish repair times").unwrap();
        assert!(
            x.add_action("1", "Publish", "Hos", "2027-01-20").is_err(),
            "report first"
        );
        assert!(
            x.send_report("2027-01-10", "Cem", "Hos", today)
                .unwrap_err()
                .get("findings")
                .is_some()
        );
        x.write_report("Repairs are slow", "Ten case files read")
            .unwrap();
        x.send_report("2027-01-10", "Cem", "Hos", today).unwrap();
        assert_eq!(
            x.stages[10].done_on,
            Some(date(2027, 1, 10)),
            "the report stage"
        );
        assert!(x.add_recommendation("Late one").is_err());
        x.respond(0, "Agreed").unwrap();
        assert!(
            x.add_action("2", "Publish", "Hos", "2027-01-20")
                .unwrap_err()
                .get("recommendation")
                .is_some()
        );
        x.add_action("1", "Publish times online", "Hos", "2027-01-20")
            .unwrap();
        x.agree_plan(date(2027, 1, 15)).unwrap();
        assert_eq!(x.overdue(today).len(), 1);
        assert!(!x.complete());
        x.complete_action(1, date(2027, 1, 30), today).unwrap();
        assert!(x.overdue(today).is_empty());
        assert!(x.complete());
    }
}
