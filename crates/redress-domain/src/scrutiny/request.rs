//! The Community Call for Scrutiny form and the life of one request.

use super::{Appeal, Decision, Format, Outcome, Route, Step, appeal, meeting::Meeting};
use crate::FieldErrors;
use crate::field::{Text, parse_email, parse_phone, parse_postcode};
use crate::letter::Delivery;
use crate::person::ContactMethod;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

const SHORT: usize = 200;
const LONG: usize = 6_000;

/// Where a request is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Draft,
    Submitted,
    Acknowledged,
    /// Gathering signatures or evidence.
    Collecting,
    /// Waiting for (or on the agenda of) the next meeting.
    Ready,
    Decided,
    Appealed,
    Closed,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Draft => "Draft (not sent)",
            Status::Submitted => "Received",
            Status::Acknowledged => "Acknowledged",
            Status::Collecting => "Gathering signatures or evidence",
            Status::Ready => "Ready for the Customer Scrutiny Team",
            Status::Decided => "Decided",
            Status::Appealed => "Appeal under way",
            Status::Closed => "Closed",
        }
    }
}

/// What a resident typed, kept as typed so a saved draft comes back exactly.
pub type RequestAnswers = BTreeMap<String, String>;

/// A sent form: every field checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestForm {
    pub name: Text,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<Text>,
    pub postcode: Option<String>,
    pub preferred_contact: ContactMethod,
    pub format: Option<Format>,
    pub help_wanted: bool,
    /// The business area (service area id) the concerns are about, if the resident knows.
    pub business_area: Option<String>,
    pub concerns: Text,
    pub actions_taken: Text,
    pub failures: Text,
    pub affected: Text,
    pub affected_why: Option<Text>,
    pub resolution: Text,
    /// The typed name that signs the form.
    pub signature: Text,
    pub signed_on: Date,
}

fn answer<'a>(a: &'a RequestAnswers, k: &str) -> &'a str {
    a.get(k).map(String::as_str).unwrap_or("")
}

impl RequestForm {
    /// Checks the answers; every message names the field it is about.
    pub fn parse(a: &RequestAnswers, today: Date) -> Result<RequestForm, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = e.take(
            "name",
            Text::parse(answer(a, "name"), "your full name", SHORT),
        );
        let email = e.take_opt("email", parse_email(answer(a, "email")));
        let phone = e.take_opt("phone", parse_phone(answer(a, "phone")));
        let address = e.take_opt(
            "address",
            Text::parse_optional(answer(a, "address"), "your address", 500),
        );
        let postcode = e.take_opt("postcode", parse_postcode(answer(a, "postcode")));
        let preferred = e.take(
            "preferred_contact",
            ContactMethod::parse(answer(a, "preferred_contact")),
        );
        match preferred {
            Some(ContactMethod::Email) if email.is_none() && e.get("email").is_none() => e.add(
                "email",
                "Enter your email address, as you asked us to email you",
            ),
            Some(ContactMethod::Phone | ContactMethod::Text | ContactMethod::Textphone)
                if phone.is_none() && e.get("phone").is_none() =>
            {
                e.add(
                    "phone",
                    "Enter your telephone number, as you asked us to call you",
                )
            }
            Some(ContactMethod::Letter | ContactMethod::InPerson)
                if address.is_none() && e.get("address").is_none() =>
            {
                e.add(
                    "address",
                    "Enter your address, as you asked us to write to you",
                )
            }
            _ => {}
        }
        let format = match answer(a, "format").trim() {
            "" | "standard" => None,
            f => e.take("format", Format::parse(f)),
        };
        let mut text = |key: &str, what: &str| e.take(key, Text::parse(answer(a, key), what, LONG));
        let concerns = text("concerns", "your concerns");
        let actions_taken = text(
            "actions_taken",
            "what you have already done to try to resolve them",
        );
        let failures = text("failures", "the service failures you have experienced");
        let affected = text("affected", "who is affected");
        let resolution = text(
            "resolution",
            "what we would need to do to resolve your concerns",
        );
        let affected_why = e.take_opt(
            "affected_why",
            Text::parse_optional(answer(a, "affected_why"), "why they are affected", LONG),
        );
        let signature = e.take(
            "signature",
            Text::parse(answer(a, "signature"), "your name to sign the form", SHORT),
        );
        if let (Some(n), Some(s)) = (&name, &signature)
            && !same_name(n.as_str(), s.as_str())
        {
            e.add("signature", "Sign with the same name you gave at the start");
        }
        if answer(a, "declaration") != "yes" {
            e.add(
                "declaration",
                "Confirm that what you have told us is true to the best of your knowledge",
            );
        }
        let business_area =
            Some(answer(a, "business_area").trim().to_string()).filter(|s| !s.is_empty());
        match (
            name,
            preferred,
            concerns,
            actions_taken,
            failures,
            affected,
            resolution,
            signature,
        ) {
            (
                Some(name),
                Some(preferred_contact),
                Some(concerns),
                Some(actions_taken),
                Some(failures),
                Some(affected),
                Some(resolution),
                Some(signature),
            ) if e.is_empty() => Ok(RequestForm {
                name,
                email,
                phone,
                address,
                postcode,
                preferred_contact,
                format,
                help_wanted: answer(a, "help") == "yes",
                business_area,
                concerns,
                actions_taken,
                failures,
                affected,
                affected_why,
                resolution,
                signature,
                signed_on: today,
            }),
            _ => Err(e),
        }
    }
}

impl RequestForm {
    /// How to write to the requester: email when that is how they want to hear and they
    /// asked for no other format; a printed letter (large print when asked) to their
    /// address when they want post or a format; `None` when they want a call, or gave
    /// nowhere to write.
    pub fn delivery(&self) -> Option<(Delivery, String, bool)> {
        let large_print = self.format == Some(Format::LargePrint);
        let other_format = self.format.is_some();
        let by_email = self.preferred_contact == ContactMethod::Email;
        match (&self.email, &self.address) {
            (Some(email), _) if by_email && !other_format => {
                Some((Delivery::Email, email.clone(), large_print))
            }
            (_, Some(address))
                if other_format
                    || by_email
                    || matches!(
                        self.preferred_contact,
                        ContactMethod::Letter | ContactMethod::InPerson
                    ) =>
            {
                let mut block = vec![self.name.to_string(), address.to_string()];
                block.extend(self.postcode.clone());
                Some((Delivery::Post, block.join("\n"), large_print))
            }
            (Some(email), None) if by_email => Some((Delivery::Email, email.clone(), large_print)),
            _ => None,
        }
    }
}

fn same_name(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        s.split_whitespace()
            .map(str::to_lowercase)
            .collect::<Vec<_>>()
            .join(" ")
    };
    norm(a) == norm(b)
}

/// One Community Call for Scrutiny.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    pub id: String,
    pub reference: String,
    pub status: Status,
    /// What was typed, while a draft.
    pub answers: RequestAnswers,
    pub form: Option<RequestForm>,
    pub received_on: Option<Date>,
    pub acknowledged_on: Option<Date>,
    pub officer: Option<(String, String)>,
    pub route: Option<Route>,
    pub threshold: Option<u32>,
    pub eligible: Vec<String>,
    pub signatures: u32,
    pub evidence: Option<Text>,
    pub meeting: Option<(String, Date)>,
    pub considered_on: Option<Date>,
    pub actions: Vec<Text>,
    pub decision: Option<Decision>,
    pub appeal: Option<Appeal>,
}

fn refuse(field: &str, message: impl Into<String>) -> FieldErrors {
    let mut e = FieldErrors::new();
    e.add(field, message);
    e
}

fn text(field: &str, raw: &str, what: &str) -> Result<Text, FieldErrors> {
    Text::parse(raw, what, LONG).map_err(|m| refuse(field, m))
}

fn not_future(field: &str, on: Date, today: Date) -> Result<(), FieldErrors> {
    if on > today {
        Err(refuse(field, "The date cannot be in the future"))
    } else {
        Ok(())
    }
}

impl Request {
    pub fn draft(id: String, reference: String, answers: RequestAnswers) -> Request {
        Request {
            id,
            reference,
            status: Status::Draft,
            answers,
            form: None,
            received_on: None,
            acknowledged_on: None,
            officer: None,
            route: None,
            threshold: None,
            eligible: Vec::new(),
            signatures: 0,
            evidence: None,
            meeting: None,
            considered_on: None,
            actions: Vec::new(),
            decision: None,
            appeal: None,
        }
    }

    fn expect(&self, allowed: &[Status], field: &str, what: &str) -> Result<(), FieldErrors> {
        if allowed.contains(&self.status) {
            Ok(())
        } else {
            Err(refuse(
                field,
                format!(
                    "{what} cannot be done now: the request is {}",
                    self.status.label().to_lowercase()
                ),
            ))
        }
    }

    pub fn submit(&self, answers: &RequestAnswers, today: Date) -> Result<Step, FieldErrors> {
        self.expect(&[Status::Draft], "concerns", "Sending")?;
        Ok(Step::Submitted {
            form: RequestForm::parse(answers, today)?,
        })
    }

    pub fn acknowledge(&self, on: Date, today: Date) -> Result<Step, FieldErrors> {
        self.expect(&[Status::Submitted], "on", "Acknowledging")?;
        not_future("on", on, today)?;
        if self.received_on.is_some_and(|r| on < r) {
            return Err(refuse(
                "on",
                "The date cannot be before the request was received",
            ));
        }
        Ok(Step::Acknowledged { on })
    }

    pub fn assign(&self, user_id: &str, name: &str) -> Result<Step, FieldErrors> {
        if matches!(self.status, Status::Draft | Status::Closed) {
            return Err(refuse(
                "officer",
                "An officer can be assigned once the request is sent",
            ));
        }
        Ok(Step::OfficerAssigned {
            user_id: user_id.into(),
            name: name.into(),
        })
    }

    /// Sets how the request will be taken forward. A significant failure is ready at once;
    /// a petition whose signatures already meet the new threshold is ready too.
    pub fn set_route(
        &self,
        route: &str,
        threshold: &str,
        eligible: &str,
    ) -> Result<Vec<Step>, FieldErrors> {
        if self.status == Status::Submitted {
            return Err(refuse("route", "Acknowledge the request first"));
        }
        self.expect(
            &[Status::Acknowledged, Status::Collecting],
            "route",
            "Setting the route",
        )?;
        let mut e = FieldErrors::new();
        let route = e.take("route", Route::parse(route));
        let threshold = match route {
            Some(Route::Petition) => e.take(
                "threshold",
                super::petition::parse_threshold(threshold).map(Some),
            ),
            _ => Some(None),
        };
        let eligible = match route {
            Some(Route::Petition) => e.take("eligible", super::petition::parse_areas(eligible)),
            _ => Some(Vec::new()),
        };
        e.into_result()?;
        let (Some(route), Some(threshold), Some(eligible)) = (route, threshold, eligible) else {
            return Err(refuse("route", "Select the route"));
        };
        let mut steps = vec![Step::RouteSet {
            route,
            threshold,
            eligible,
        }];
        match (route, threshold) {
            (Route::SignificantFailure, _) => steps.push(Step::Ready {
                why: "the team accepts the form alone as the failure is significant".into(),
            }),
            (Route::Petition, Some(n)) if self.signatures >= n => steps.push(Step::Ready {
                why: format!("{} of {n} signatures gathered", self.signatures),
            }),
            _ => {}
        }
        Ok(steps)
    }

    /// Whether the petition is open for signatures: it is, from the route being set until
    /// the team decides (signatures after the threshold still show the strength of feeling).
    pub fn open_for_signatures(&self) -> Result<(), String> {
        if self.route != Some(Route::Petition) {
            return Err("This request is not a petition".into());
        }
        match self.status {
            Status::Collecting | Status::Ready => Ok(()),
            _ => Err(
                "This petition has closed: the Customer Scrutiny Team has made its decision".into(),
            ),
        }
    }

    /// The steps a counted signature makes: the count, and readiness when it meets the
    /// threshold for the first time.
    pub fn signature_steps(&self, signature: &super::petition::Signature, count: u32) -> Vec<Step> {
        let mut steps = vec![Step::Signed {
            name: signature.name.to_string(),
            paper: signature.paper,
            count,
        }];
        if self.status == Status::Collecting
            && super::petition::threshold_reached(count, self.threshold)
        {
            steps.push(Step::Ready {
                why: format!(
                    "{count} of {} signatures gathered",
                    self.threshold.unwrap_or(count)
                ),
            });
        }
        steps
    }

    /// Records the evidence an officer gathered for an individual request; `complete`
    /// makes the request ready for the team.
    pub fn record_evidence(
        &self,
        evidence: &str,
        complete: bool,
    ) -> Result<Vec<Step>, FieldErrors> {
        self.expect(&[Status::Collecting], "evidence", "Recording evidence")?;
        if self.route != Some(Route::Individual) {
            return Err(refuse(
                "evidence",
                "Evidence is gathered for individual requests; a petition is ready when its signatures reach the number needed",
            ));
        }
        let mut steps = vec![Step::EvidenceRecorded {
            evidence: text("evidence", evidence, "the evidence gathered")?,
        }];
        if complete {
            steps.push(Step::Ready {
                why: "the officer has gathered the evidence".into(),
            });
        }
        Ok(steps)
    }

    /// Records which business area the request is about: it is the area an accepted
    /// request adds points to. `known` are the organisation's service area ids.
    pub fn set_area(&self, area: &str, known: &[String]) -> Result<Step, FieldErrors> {
        if matches!(self.status, Status::Draft | Status::Closed) {
            return Err(refuse(
                "area",
                "The business area can be set while the request is open",
            ));
        }
        let area = area.trim();
        if !area.is_empty() && !known.iter().any(|k| k == area) {
            return Err(refuse("area", "Select a business area from the list"));
        }
        Ok(Step::AreaSet {
            area: Some(area.to_string()).filter(|a| !a.is_empty()),
        })
    }

    /// Takes an undecided request off the agenda of a cancelled meeting.
    pub fn off_agenda(&self, meeting_id: &str) -> Option<Step> {
        (self.status == Status::Ready
            && self.meeting.as_ref().is_some_and(|(m, _)| m == meeting_id))
        .then_some(Step::OffAgenda)
    }

    /// The agenda step for a ready request: onto the next meeting after `today` when it is
    /// on none, or its meeting was cancelled or has passed without a decision.
    pub fn agenda(&self, meetings: &[Meeting], today: Date) -> Option<Step> {
        if self.status != Status::Ready {
            return None;
        }
        if let Some((id, on)) = &self.meeting {
            let still_on = *on >= today && meetings.iter().any(|m| m.id == *id && !m.cancelled);
            if still_on {
                return None;
            }
        }
        super::meeting::next_after(meetings, today)
            .filter(|m| self.meeting.as_ref().is_none_or(|(id, _)| *id != m.id))
            .map(|m| Step::OnAgenda {
                meeting_id: m.id.clone(),
                meeting_on: m.on,
            })
    }

    pub fn decide(
        &self,
        outcome: &str,
        reasons: &str,
        review_group: &str,
        recommendations: &str,
        today: Date,
    ) -> Result<Vec<Step>, FieldErrors> {
        self.expect(&[Status::Ready], "outcome", "Recording a decision")?;
        let mut e = FieldErrors::new();
        let outcome = e.take("outcome", Outcome::parse(outcome));
        let reasons = e.take(
            "reasons",
            Text::parse(reasons, "the reasons for the decision", LONG),
        );
        let review_group = e.take_opt(
            "review_group",
            Text::parse_optional(review_group, "the Service Review Group", SHORT),
        );
        let recommendations = e.take_opt(
            "recommendations",
            Text::parse_optional(recommendations, "the recommendations", LONG),
        );
        if outcome == Some(Outcome::Referred)
            && review_group.is_none()
            && e.get("review_group").is_none()
        {
            e.add(
                "review_group",
                "Enter the Service Review Group it is referred to",
            );
        }
        if outcome == Some(Outcome::SeriousFailure)
            && recommendations.is_none()
            && e.get("recommendations").is_none()
        {
            e.add(
                "recommendations",
                "Enter the immediate recommendations to resolve the failure",
            );
        }
        e.into_result()?;
        let (Some(outcome), Some(reasons)) = (outcome, reasons) else {
            return Err(refuse("outcome", "Select the decision"));
        };
        Ok(vec![
            Step::Considered { on: today },
            Step::Decided {
                decision: Decision {
                    outcome,
                    reasons,
                    review_group: review_group.filter(|_| outcome == Outcome::Referred),
                    recommendations: recommendations.filter(|_| outcome == Outcome::SeriousFailure),
                    decided_on: today,
                    meeting_id: self.meeting.as_ref().map(|(id, _)| id.clone()),
                    sent_on: None,
                    sent_by: None,
                },
            },
        ])
    }

    /// Records that the requester was told of the decision; the appeal window opens.
    pub fn inform(&self, on: Date, how: &str, today: Date) -> Result<Step, FieldErrors> {
        let decision = self
            .decision
            .as_ref()
            .ok_or_else(|| refuse("on", "There is no decision to tell the requester about"))?;
        if decision.sent_on.is_some() {
            return Err(refuse(
                "on",
                "The requester has already been told of the decision",
            ));
        }
        not_future("on", on, today)?;
        if on < decision.decided_on {
            return Err(refuse("on", "The date cannot be before the decision"));
        }
        Ok(Step::Informed {
            on,
            how: Text::parse(how, "how they were told", SHORT)
                .map_err(|m| refuse("how", m))?
                .into_string(),
        })
    }

    pub fn note(&self, action: &str) -> Result<Step, FieldErrors> {
        if self.status == Status::Draft {
            return Err(refuse("action", "The request has not been sent yet"));
        }
        Ok(Step::StaffNote {
            action: text("action", action, "the action taken")?,
        })
    }

    /// An appeal, in writing, within the window from the decision being sent.
    pub fn appeal(
        &self,
        received_on: Date,
        grounds: &str,
        today: Date,
    ) -> Result<Step, FieldErrors> {
        self.expect(&[Status::Decided], "grounds", "Appealing")?;
        let sent = self
            .decision
            .as_ref()
            .and_then(|d| d.sent_on)
            .ok_or_else(|| refuse("grounds", "The decision has not been sent yet"))?;
        not_future("received_on", received_on, today)?;
        appeal::check_in_time(sent, received_on).map_err(|m| refuse("received_on", m))?;
        Ok(Step::AppealReceived {
            on: received_on,
            grounds: text("grounds", grounds, "why you disagree with the decision")?,
        })
    }

    pub fn set_panel(&self, members: &str) -> Result<Step, FieldErrors> {
        self.expect(&[Status::Appealed], "panel", "Setting the panel")?;
        if self.appeal.as_ref().is_some_and(|a| a.upheld.is_some()) {
            return Err(refuse("panel", "The panel has already decided"));
        }
        Ok(Step::PanelSet {
            members: appeal::parse_panel(members).map_err(|m| refuse("panel", m))?,
        })
    }

    pub fn decide_appeal(
        &self,
        upheld: &str,
        reasons: &str,
        today: Date,
    ) -> Result<Step, FieldErrors> {
        self.expect(
            &[Status::Appealed],
            "upheld",
            "Recording the panel's decision",
        )?;
        let appeal = self
            .appeal
            .as_ref()
            .ok_or_else(|| refuse("upheld", "There is no appeal"))?;
        if appeal.panel.is_empty() {
            return Err(refuse(
                "upheld",
                "Set the panel of 4 to 6 Link Group members first",
            ));
        }
        if appeal.upheld.is_some() {
            return Err(refuse(
                "upheld",
                "The panel's decision is final and already recorded",
            ));
        }
        let upheld = match upheld {
            "yes" => true,
            "no" => false,
            _ => {
                return Err(refuse(
                    "upheld",
                    "Select whether the panel upheld the appeal",
                ));
            }
        };
        Ok(Step::AppealDecided {
            upheld,
            reasons: text("reasons", reasons, "the panel's reasons")?,
            on: today,
        })
    }

    pub fn send_appeal_decision(
        &self,
        on: Date,
        how: &str,
        today: Date,
    ) -> Result<Step, FieldErrors> {
        let decided = self.appeal.as_ref().and_then(|a| a.decided_on);
        let Some(decided) = decided.filter(|_| self.status == Status::Appealed) else {
            return Err(refuse("on", "The panel has not decided yet"));
        };
        not_future("on", on, today)?;
        if on < decided {
            return Err(refuse(
                "on",
                "The date cannot be before the panel's decision",
            ));
        }
        Ok(Step::AppealSent {
            on,
            how: Text::parse(how, "how they were told", SHORT)
                .map_err(|m| refuse("how", m))?
                .into_string(),
        })
    }

    /// The last day an appeal can be received, once the decision has been sent.
    pub fn appeal_by(&self) -> Option<Date> {
        self.decision
            .as_ref()
            .and_then(|d| d.sent_on)
            .and_then(appeal::deadline)
    }

    /// Moves the state on by a step already checked (or read back from the history).
    pub fn apply(&mut self, step: &Step, on: Date) {
        match step {
            Step::DraftSaved => {}
            Step::Submitted { form } => {
                self.form = Some(form.clone());
                self.answers.clear();
                self.received_on = Some(on);
                self.status = Status::Submitted;
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
            Step::EvidenceRecorded { evidence } => self.evidence = Some(evidence.clone()),
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
            } => {
                if let Some(a) = self.appeal.as_mut() {
                    a.upheld = Some(*upheld);
                    a.reasons = Some(reasons.clone());
                    a.decided_on = Some(*on);
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

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    pub(crate) fn answers() -> RequestAnswers {
        [
            ("name", "Ada Lovelace"),
            ("email", "ada@example.org"),
            ("preferred_contact", "email"),
            ("concerns", "Communal repairs are left for months"),
            ("actions_taken", "Complained twice"),
            ("failures", "Broken door entry since March"),
            ("affected", "Everyone in Oak House"),
            ("resolution", "Fix repairs within the published times"),
            ("signature", "ada  lovelace"),
            ("declaration", "yes"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    }

    /// Sent and acknowledged.
    fn sent() -> Request {
        let mut r = Request::draft("r1".into(), "CCS-00001".into(), answers());
        let step = r.submit(&answers(), date(2026, 3, 2)).unwrap();
        r.apply(&step, date(2026, 3, 2));
        assert_eq!(
            r.set_route("significant-failure", "", "")
                .unwrap_err()
                .get("route"),
            Some("Acknowledge the request first")
        );
        let step = r.acknowledge(date(2026, 3, 2), date(2026, 3, 2)).unwrap();
        r.apply(&step, date(2026, 3, 2));
        r
    }

    #[test]
    fn the_form_names_each_missing_field() {
        let e = RequestForm::parse(&RequestAnswers::new(), date(2026, 3, 2)).unwrap_err();
        for field in [
            "name",
            "preferred_contact",
            "concerns",
            "actions_taken",
            "failures",
            "affected",
            "resolution",
            "signature",
            "declaration",
        ] {
            assert!(e.get(field).is_some(), "{field} should be asked for");
        }
        let mut a = answers();
        a.insert("signature".into(), "Someone Else".into());
        a.insert("preferred_contact".into(), "phone".into());
        let e = RequestForm::parse(&a, date(2026, 3, 2)).unwrap_err();
        assert_eq!(
            e.get("signature"),
            Some("Sign with the same name you gave at the start")
        );
        assert!(e.get("phone").is_some());
    }

    #[test]
    fn a_significant_failure_is_ready_at_once_and_a_petition_waits() {
        let r = sent();
        let steps = r.set_route("significant-failure", "", "").unwrap();
        assert!(matches!(steps.last(), Some(Step::Ready { .. })));
        let steps = r.set_route("petition", "25", "LS6").unwrap();
        assert_eq!(steps.len(), 1);
        assert!(
            r.set_route("petition", "0", "")
                .unwrap_err()
                .get("threshold")
                .is_some()
        );
        assert!(r.set_route("", "", "").unwrap_err().get("route").is_some());
    }

    #[test]
    fn decisions_need_reasons_and_what_the_outcome_calls_for() {
        let mut r = sent();
        for s in r.set_route("significant-failure", "", "").unwrap() {
            r.apply(&s, date(2026, 3, 3));
        }
        let today = date(2026, 3, 10);
        assert!(
            r.decide("accepted", "", "", "", today)
                .unwrap_err()
                .get("reasons")
                .is_some()
        );
        assert!(
            r.decide("referred", "x", "", "", today)
                .unwrap_err()
                .get("review_group")
                .is_some()
        );
        assert!(
            r.decide("serious-failure", "x", "", "", today)
                .unwrap_err()
                .get("recommendations")
                .is_some()
        );
        let steps = r
            .decide("accepted", "Persistent failure", "", "", today)
            .unwrap();
        for s in &steps {
            r.apply(s, today);
        }
        assert_eq!(r.status, Status::Decided);
        assert_eq!(r.considered_on, Some(today));
        assert!(r.decide("accepted", "again", "", "", today).is_err());
    }

    #[test]
    fn an_appeal_runs_from_the_decision_being_sent() {
        let mut r = sent();
        for s in r.set_route("significant-failure", "", "").unwrap() {
            r.apply(&s, date(2026, 3, 3));
        }
        for s in r
            .decide(
                "not-yet",
                "Use the complaints procedure first",
                "",
                "",
                date(2026, 3, 10),
            )
            .unwrap()
        {
            r.apply(&s, date(2026, 3, 10));
        }
        let today = date(2026, 5, 1);
        assert!(
            r.appeal(date(2026, 3, 12), "I did", today).is_err(),
            "not sent yet"
        );
        let s = r.inform(date(2026, 3, 11), "email", today).unwrap();
        r.apply(&s, date(2026, 3, 11));
        assert_eq!(r.appeal_by(), Some(date(2026, 4, 8)));
        let late = r.appeal(date(2026, 4, 9), "I did", today).unwrap_err();
        assert!(late.get("received_on").unwrap().contains("8 April 2026"));
        let s = r
            .appeal(date(2026, 4, 8), "I complained twice", today)
            .unwrap();
        r.apply(&s, date(2026, 4, 8));
        assert!(
            r.decide_appeal("yes", "x", today)
                .unwrap_err()
                .get("upheld")
                .is_some()
        );
        assert!(r.set_panel("A\nB\nC").is_err());
        let s = r.set_panel("A\nB\nC\nD").unwrap();
        r.apply(&s, today);
        let s = r
            .decide_appeal("no", "Avenues not exhausted", today)
            .unwrap();
        r.apply(&s, today);
        assert!(r.decide_appeal("yes", "again", today).is_err(), "final");
        let s = r.send_appeal_decision(today, "email", today).unwrap();
        r.apply(&s, today);
        assert_eq!(r.status, Status::Closed);
    }

    #[test]
    fn the_area_is_one_of_ours_and_a_cancelled_meeting_releases_the_request() {
        let mut r = sent();
        let known = vec!["repairs".to_string()];
        assert!(
            r.set_area("gardens", &known)
                .unwrap_err()
                .get("area")
                .is_some()
        );
        let s = r.set_area("repairs", &known).unwrap();
        r.apply(&s, date(2026, 3, 3));
        assert_eq!(
            r.form.as_ref().unwrap().business_area.as_deref(),
            Some("repairs")
        );
        for s in r.set_route("significant-failure", "", "").unwrap() {
            r.apply(&s, date(2026, 3, 3));
        }
        let meetings = vec![Meeting {
            id: "m1".into(),
            on: date(2026, 3, 10),
            time: "18:00".into(),
            place: Text::from_trusted("Hall".into()),
            cancelled: false,
        }];
        let s = r.agenda(&meetings, date(2026, 3, 3)).unwrap();
        r.apply(&s, date(2026, 3, 3));
        assert!(
            r.agenda(&meetings, date(2026, 3, 3)).is_none(),
            "placed once"
        );
        assert!(r.off_agenda("other").is_none());
        let s = r.off_agenda("m1").unwrap();
        r.apply(&s, date(2026, 3, 4));
        assert_eq!(r.meeting, None);
        assert_eq!(r.status, Status::Ready, "still ready for the next meeting");
    }

    #[test]
    fn a_request_whose_meeting_passed_undecided_goes_to_the_next() {
        let mut r = sent();
        for s in r.set_route("significant-failure", "", "").unwrap() {
            r.apply(&s, date(2026, 3, 3));
        }
        let meeting = |id: &str, on| Meeting {
            id: id.into(),
            on,
            time: "18:00".into(),
            place: Text::from_trusted("Hall".into()),
            cancelled: false,
        };
        let meetings = vec![
            meeting("m1", date(2026, 3, 10)),
            meeting("m2", date(2026, 3, 20)),
        ];
        let s = r.agenda(&meetings, date(2026, 3, 3)).unwrap();
        r.apply(&s, date(2026, 3, 3));
        assert!(
            r.agenda(&meetings, date(2026, 3, 10)).is_none(),
            "decided on the day"
        );
        match r.agenda(&meetings, date(2026, 3, 11)) {
            Some(Step::OnAgenda { meeting_id, .. }) => assert_eq!(meeting_id, "m2"),
            other => panic!("expected the next meeting, got {other:?}"),
        }
    }

    #[test]
    fn the_requester_is_written_to_as_they_asked() {
        let form = |extra: &[(&str, &str)]| {
            let mut a = answers();
            for (k, v) in extra {
                a.insert(k.to_string(), v.to_string());
            }
            RequestForm::parse(&a, date(2026, 3, 2)).unwrap()
        };
        let by = |f: &RequestForm| f.delivery();
        assert_eq!(
            by(&form(&[])),
            Some((Delivery::Email, "ada@example.org".into(), false))
        );
        let large = form(&[("address", "1 Oak House"), ("format", "large-print")]);
        assert_eq!(
            by(&large),
            Some((Delivery::Post, "Ada Lovelace\n1 Oak House".into(), true))
        );
        let letter = form(&[("preferred_contact", "letter"), ("address", "1 Oak House")]);
        assert_eq!(by(&letter).map(|d| d.0), Some(Delivery::Post));
        let braille_no_address = form(&[("format", "braille")]);
        assert_eq!(
            by(&braille_no_address).map(|d| d.0),
            Some(Delivery::Email),
            "nowhere else to write"
        );
        let phone = form(&[("preferred_contact", "phone"), ("phone", "029 2087 2000")]);
        assert_eq!(by(&phone), None, "staff call them");
    }
}
