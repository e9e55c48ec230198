//! An exercise's final report: its findings and the evidence they rest on, fixed once the
//! report goes to the Executive Management Team and the Board, and what each of them says
//! in response. The stages that are these milestones (the report sent, its presentation
//! and response, the action plan agreed) are marked done by the milestones themselves, so
//! the stage tracker follows what was actually recorded.

use super::programme::{ANSWER_STAGE, Exercise};
use super::response::{BoardResponse, Body};
use crate::FieldErrors;
use crate::calendar::long_date;
use crate::field::Text;
use jiff::civil::Date;

fn refuse(field: &str, message: impl Into<String>) -> FieldErrors {
    let mut e = FieldErrors::new();
    e.add(field, message);
    e
}

impl Exercise {
    /// Writes (or rewrites, until it is sent) the report's findings and the evidence
    /// considered.
    pub fn write_report(&mut self, findings: &str, evidence: &str) -> Result<String, FieldErrors> {
        if self.report_sent_on.is_some() {
            return Err(refuse(
                "findings",
                "The report has gone to the Executive Management Team and Board: its findings are fixed",
            ));
        }
        let mut e = FieldErrors::new();
        let findings = e.take("findings", Text::parse(findings, "the findings", 20_000));
        let evidence = e.take(
            "evidence",
            Text::parse(evidence, "the evidence considered", 20_000),
        );
        e.into_result()?;
        let (Some(findings), Some(evidence)) = (findings, evidence) else {
            return Err(refuse("findings", "Enter the findings"));
        };
        let first = self.findings.is_none();
        self.findings = Some(findings);
        self.evidence = Some(evidence);
        Ok(if first {
            "Final report's findings and evidence written".into()
        } else {
            "Final report's findings and evidence revised".into()
        })
    }

    /// The Board's or the Executive Management Team's response, once the report has gone
    /// to them. The first response marks the presentation stage done.
    pub fn answer_report(
        &mut self,
        from: Body,
        text: &str,
        by: &str,
        today: Date,
    ) -> Result<String, FieldErrors> {
        if self.report_sent_on.is_none() {
            return Err(refuse(
                "board_response",
                "The final report has not been sent to the Executive Management Team and Board yet",
            ));
        }
        let text =
            Text::parse(text, "the response", 10_000).map_err(|m| refuse("board_response", m))?;
        self.board_responses.push(BoardResponse {
            from,
            text,
            by: by.to_string(),
            on: today,
        });
        self.reached(ANSWER_STAGE, today);
        Ok(format!(
            "{}'s response to the final report recorded on {}",
            from.label(),
            long_date(today)
        ))
    }

    /// The latest response from each, Board first.
    pub fn latest_responses(&self) -> Vec<&BoardResponse> {
        Body::ALL
            .iter()
            .filter_map(|b| self.board_responses.iter().rev().find(|r| r.from == *b))
            .collect()
    }

    /// The stages past their planned date and not done, or done after it.
    pub fn late_stages(&self, today: Date) -> Vec<usize> {
        self.stages
            .iter()
            .enumerate()
            .filter(|(_, s)| s.late(today))
            .map(|(i, _)| i)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scrutiny::programme::DEFAULT_STAGES;
    use jiff::civil::date;

    fn exercise() -> Exercise {
        let stages: Vec<String> = DEFAULT_STAGES.iter().map(|s| s.to_string()).collect();
        Exercise::new("x".into(), 2026, "repairs".into(), &stages)
    }

    #[test]
    fn the_report_is_written_sent_and_answered_by_the_board_and_the_emt() {
        let today = date(2027, 2, 1);
        let mut x = exercise();
        let e = x.write_report("", "").unwrap_err();
        assert!(e.get("findings").is_some() && e.get("evidence").is_some());
        x.write_report("Slow repairs", "Ten files").unwrap();
        assert!(
            x.write_report("Slow repairs, worse in winter", "Ten files")
                .unwrap()
                .contains("revised")
        );
        assert!(
            x.answer_report(Body::Board, "Agreed", "Chair", today)
                .unwrap_err()
                .get("board_response")
                .is_some(),
            "not before it is sent"
        );
        x.add_recommendation("Publish repair times").unwrap();
        x.send_report("2027-01-20", "Cem", "Hos", today).unwrap();
        assert!(
            x.write_report("Changed", "Changed").is_err(),
            "fixed once sent"
        );
        x.answer_report(Body::Executive, "We accept all", "Chief Exec", today)
            .unwrap();
        x.answer_report(Body::Board, "Noted", "Chair", today)
            .unwrap();
        x.answer_report(Body::Board, "Approved in full", "Chair", date(2027, 2, 2))
            .unwrap();
        let latest: Vec<_> = x
            .latest_responses()
            .iter()
            .map(|r| (r.from, r.text.as_str()))
            .collect();
        assert_eq!(
            latest,
            [
                (Body::Board, "Approved in full"),
                (Body::Executive, "We accept all")
            ]
        );
        assert_eq!(x.board_responses.len(), 3, "earlier responses are kept");
        assert_eq!(x.stages[11].done_on, Some(today), "presented and answered");
    }

    #[test]
    fn a_stage_is_late_past_its_planned_date_or_done_after_it() {
        let today = date(2026, 6, 10);
        let mut x = exercise();
        x.update_stage(0, "2026-06-01", "Mary", "2026-05-30", today)
            .unwrap();
        x.update_stage(1, "2026-06-05", "Mary", "2026-06-08", today)
            .unwrap();
        x.update_stage(2, "2026-06-09", "Mary", "", today).unwrap();
        x.update_stage(3, "2026-06-10", "Mary", "", today).unwrap();
        assert_eq!(x.late_stages(today), [1, 2]);
    }
}
