//! How each step, once checked, moves the state of a request.

use super::{EvidenceEntry, Request, Status};
use crate::scrutiny::{Appeal, Decision, Step};
use jiff::civil::Date;

impl Request {
    /// Moves the state on by a step already checked (or read back from the history).
    pub fn apply(&mut self, step: &Step, on: Date) {
        match step {
            Step::DraftSaved => {}
            Step::Submitted { form, on_paper } => {
                self.form = Some(form.clone());
                self.answers.clear();
                self.received_on = Some(on_paper.unwrap_or(on));
                self.status = Status::Submitted;
            }
            Step::FileAdded { .. } => {}
            Step::FollowUpSet { owner, due } => {
                self.follow_up = Some(super::FollowUp {
                    owner: owner.clone(),
                    due: *due,
                    outcome: None,
                    done_on: None,
                })
            }
            Step::FollowUpDone { outcome, on } => {
                if let Some(f) = self.follow_up.as_mut() {
                    f.outcome = Some(outcome.clone());
                    f.done_on = Some(*on);
                }
            }
            Step::Acknowledged { on } => {
                self.acknowledged_on = Some(*on);
                self.status = Status::Acknowledged;
            }
            Step::OfficerAssigned { user_id, name } => {
                self.officer = Some((user_id.clone(), name.clone()))
            }
            Step::RouteSet {
                route,
                threshold,
                eligible,
            } => {
                self.route = Some(*route);
                self.threshold = *threshold;
                self.eligible = eligible.clone();
                self.status = Status::Collecting;
            }
            Step::Signed { count, .. } => self.signatures = *count,
            Step::EvidenceRecorded { evidence, by } => {
                // A request kept before the log began keeps its one piece of evidence.
                if self.evidence_log.is_empty()
                    && let Some(earlier) = self.evidence.take()
                {
                    self.evidence_log.push(EvidenceEntry {
                        on: self.received_on.unwrap_or(on),
                        by: String::new(),
                        text: earlier,
                    });
                }
                self.evidence_log.push(EvidenceEntry {
                    on,
                    by: by.clone(),
                    text: evidence.clone(),
                });
                self.evidence = Some(evidence.clone());
            }
            Step::Ready { .. } => self.status = Status::Ready,
            Step::OnAgenda {
                meeting_id,
                meeting_on,
            } => self.meeting = Some((meeting_id.clone(), *meeting_on)),
            Step::OffAgenda => self.meeting = None,
            Step::AreaSet { area } => {
                if let Some(f) = self.form.as_mut() {
                    f.business_area = area.clone();
                }
            }
            Step::Considered { on } => self.considered_on = Some(*on),
            Step::Decided { decision } => {
                self.decision = Some(decision.clone());
                self.status = Status::Decided;
            }
            Step::Informed { on, how } => {
                if let Some(d) = self.decision.as_mut() {
                    d.sent_on = Some(*on);
                    d.sent_by = Some(how.clone());
                }
            }
            Step::StaffNote { action } => self.actions.push(action.clone()),
            Step::AppealReceived { on, grounds } => {
                self.appeal = Some(Appeal {
                    received_on: *on,
                    grounds: grounds.clone(),
                    panel: Vec::new(),
                    outcome: None,
                    upheld: None,
                    reasons: None,
                    decided_on: None,
                    sent_on: None,
                });
                self.status = Status::Appealed;
            }
            Step::PanelSet { members } => {
                if let Some(a) = self.appeal.as_mut() {
                    a.panel = members.clone();
                }
            }
            Step::AppealDecided {
                upheld,
                reasons,
                on,
                decision,
            } => {
                if let Some(a) = self.appeal.as_mut() {
                    a.upheld = Some(*upheld);
                    a.reasons = Some(reasons.clone());
                    a.decided_on = Some(*on);
                    a.outcome = decision.as_ref().map(|d| d.outcome);
                }
                // The panel's decision is final: it replaces the team's, and an accepted
                // request scores for its area from the day the panel decided.
                if let Some(d) = decision.as_ref().filter(|_| *upheld) {
                    let sent = self.decision.as_ref().and_then(|t| t.sent_on);
                    let by = self.decision.as_ref().and_then(|t| t.sent_by.clone());
                    self.decision = Some(Decision {
                        sent_on: sent,
                        sent_by: by,
                        ..d.clone()
                    });
                }
            }
            Step::AppealSent { on, .. } => {
                if let Some(a) = self.appeal.as_mut() {
                    a.sent_on = Some(*on);
                }
                self.status = Status::Closed;
            }
        }
    }
}
