//! Resident scrutiny: a Community Call for Scrutiny from the form to the Customer Scrutiny
//! Team's decision and any appeal, the team's meetings, the scoring matrix fed by
//! Redress's own complaint and survey data, and the annual programme.

use crate::auth::{random_token, token_hash};
use crate::{App, AppError};
use redress_domain::FieldErrors;
use redress_domain::calendar::long_date;
use redress_domain::contact::Contact;
use redress_domain::event::Actor;
use redress_domain::letter::{Delivery, Letter, LetterKind, default_template, fill};
use redress_domain::measures::Period;
use redress_domain::scrutiny::matrix::{AreaScore, Criterion, MatrixSettings, Source, rank, score};
use redress_domain::scrutiny::meeting::Meeting;
use redress_domain::scrutiny::petition::Signature;
use redress_domain::scrutiny::programme::{DEFAULT_STAGES, Exercise, parse_template};
use redress_domain::scrutiny::{Outcome, Request, RequestAnswers, Status, Step};
use redress_store::{Doer, Figure, PersonQuery, Signed, StoreError};
use std::collections::BTreeMap;

const MATRIX_SETTING: &str = "scrutiny_matrix";
const STAGES_SETTING: &str = "scrutiny_stages";

fn doer(actor: &Actor) -> Doer {
    Doer {
        id: actor.user_id.clone(),
        name: actor.name.clone(),
    }
}

/// A requester's complaint on record, for the team to see how far the avenues went.
#[derive(Debug, Clone)]
pub struct ComplaintOnRecord {
    pub reference: String,
    pub kind: String,
    pub received_on: jiff::civil::Date,
    pub stage_reached: u8,
    pub status: String,
    pub ombudsman: bool,
}

impl App {
    /// Starts a request from the public form: saved as a draft, or sent at once. Returns
    /// the request and the private link's token (shown once and emailed if we can).
    pub async fn start_scrutiny(
        &self,
        answers: RequestAnswers,
        send: bool,
    ) -> Result<(Request, String), AppError> {
        let draft = Request::draft(
            uuid::Uuid::now_v7().to_string(),
            String::new(),
            answers.clone(),
        );
        let mut steps = vec![Step::DraftSaved];
        let mut request = draft.clone();
        if send {
            let step = self.submit_checked(&draft, &answers).await?;
            request.apply(&step, self.today());
            steps = vec![step];
        }
        let token = random_token()?;
        let year = self.today().year();
        // The link email is written with the request, so a request never exists without
        // it; its reference is filled in once the store has given one.
        let link = self
            .scrutiny_link_letter(&request, &answers, &token)
            .await?;
        let request = self
            .store
            .create_scrutiny_request(
                (&self.organisation.id, year),
                request,
                &token_hash(&token),
                &steps,
                &doer(&Actor::public()),
                move |r| {
                    let mut v = BTreeMap::new();
                    v.insert("reference", r.reference.clone());
                    link.into_iter()
                        .map(|mut l| {
                            l.subject = fill(&l.subject, &v);
                            l.body = fill(&l.body, &v);
                            l
                        })
                        .collect()
                },
            )
            .await?;
        Ok((request, token))
    }

    /// Sends the form: the domain checks the answers, and the business area, if one was
    /// chosen, must be one of the organisation's.
    async fn submit_checked(
        &self,
        request: &Request,
        answers: &RequestAnswers,
    ) -> Result<Step, AppError> {
        let area = answers.get("business_area").map(|a| a.trim()).unwrap_or("");
        let known = area.is_empty() || self.service_area_names().await?.contains_key(area);
        match (request.submit(answers, self.today()), known) {
            (Ok(step), true) => Ok(step),
            (Ok(_), false) => Err(AppError::invalid(
                "business_area",
                "Select a service from the list",
            )),
            (Err(mut e), known) => {
                if !known {
                    e.add("business_area", "Select a service from the list");
                }
                Err(AppError::Invalid(e))
            }
        }
    }

    async fn scrutiny_link_letter(
        &self,
        request: &Request,
        answers: &RequestAnswers,
        token: &str,
    ) -> Result<Option<Letter>, AppError> {
        let email = request
            .form
            .as_ref()
            .and_then(|f| f.email.clone())
            .or_else(|| {
                redress_domain::field::parse_email(
                    answers.get("email").map(String::as_str).unwrap_or(""),
                )
                .ok()
                .flatten()
            });
        let Some(email) = email else {
            return Ok(None);
        };
        // A draft's name is as typed: only a clean one goes into the email.
        let name = request
            .form
            .as_ref()
            .map(|f| f.name.to_string())
            .or_else(|| {
                redress_domain::Text::parse(
                    answers.get("name").map(String::as_str).unwrap_or(""),
                    "name",
                    200,
                )
                .ok()
                .map(redress_domain::Text::into_string)
            })
            .unwrap_or_else(|| "resident".into());
        let mut v = BTreeMap::new();
        v.insert("name", name);
        v.insert("link", format!("{}/scrutiny/r/{token}", self.public_url()));
        self.scrutiny_letter(
            request,
            LetterKind::ScrutinyLink,
            Delivery::Email,
            email,
            false,
            v,
        )
        .await
        .map(Some)
    }

    async fn scrutiny_letter(
        &self,
        request: &Request,
        kind: LetterKind,
        delivery: Delivery,
        recipient: String,
        large_print: bool,
        mut v: BTreeMap<&'static str, String>,
    ) -> Result<Letter, AppError> {
        let template = self
            .store
            .letter_template(&self.organisation.id, kind)
            .await?
            .unwrap_or_else(|| default_template(kind));
        // A request not yet stored has no reference: the placeholder stays for the store.
        if !request.reference.is_empty() {
            v.insert("reference", request.reference.clone());
        }
        v.insert("organisation", self.display_name());
        Ok(Letter {
            kind,
            delivery,
            recipient,
            large_print,
            subject: fill(&template.subject, &v),
            body: fill(&template.body, &v),
        })
    }

    pub async fn scrutiny_by_id(&self, id: &str) -> Result<(Request, i64), AppError> {
        // Ids are UUIDs: anything else (a NUL byte, say) is not one, and never reaches SQL.
        if id.len() > 40 || !id.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
            return Err(AppError::NotFound);
        }
        self.store
            .scrutiny_request(&self.organisation.id, id)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// The request a requester's private link is for.
    pub async fn scrutiny_by_token(&self, token: &str) -> Result<(Request, i64), AppError> {
        if token.len() > 128 || !token.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(AppError::NotFound);
        }
        self.store
            .scrutiny_request_by_token(&self.organisation.id, &token_hash(token))
            .await?
            .ok_or(AppError::NotFound)
    }

    pub async fn scrutiny_by_reference(&self, reference: &str) -> Result<(Request, i64), AppError> {
        let reference = reference.trim().to_uppercase();
        if reference.len() > 30
            || !reference
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            return Err(AppError::NotFound);
        }
        self.store
            .scrutiny_request_by_reference(&self.organisation.id, &reference)
            .await?
            .ok_or(AppError::NotFound)
    }

    pub async fn scrutiny_requests(&self) -> Result<Vec<Request>, AppError> {
        Ok(self.store.scrutiny_requests(&self.organisation.id).await?)
    }

    /// Saves more of a draft, or sends it.
    pub async fn continue_scrutiny(
        &self,
        token: &str,
        answers: RequestAnswers,
        send: bool,
    ) -> Result<Request, AppError> {
        let (mut request, version) = self.scrutiny_by_token(token).await?;
        if request.status != Status::Draft {
            // Sent already (a second press of Send, or the back button): nothing to do,
            // and nothing typed is lost because the sent form is kept.
            return Ok(request);
        }
        let step = if send {
            self.submit_checked(&request, &answers).await?
        } else {
            Step::DraftSaved
        };
        request.answers = answers;
        request.apply(&step, self.today());
        self.store
            .save_scrutiny_request(&request, version, &[step], &[], &doer(&Actor::public()))
            .await?;
        Ok(request)
    }

    /// Moves a request on by the steps `decide` works out from its current state, then
    /// puts it on the next meeting's agenda if it has just become ready.
    pub async fn scrutiny_step(
        &self,
        id: &str,
        actor: &Actor,
        decide: impl FnOnce(&Request, jiff::civil::Date) -> Result<Vec<Step>, FieldErrors>,
    ) -> Result<Request, AppError> {
        let (mut request, version) = self.scrutiny_by_id(id).await?;
        let today = self.today();
        let mut steps = decide(&request, today)?;
        for s in &steps {
            request.apply(s, today);
        }
        let meetings = self.store.meetings(&self.organisation.id).await?;
        if let Some(s) = request.agenda(&meetings, today) {
            request.apply(&s, today);
            steps.push(s);
        }
        self.store
            .save_scrutiny_request(&request, version, &steps, &[], &doer(actor))
            .await?;
        Ok(request)
    }

    /// Assigns a support officer: an active member of staff.
    pub async fn assign_scrutiny_officer(
        &self,
        id: &str,
        user_id: &str,
        actor: &Actor,
    ) -> Result<Request, AppError> {
        let officer = self
            .store
            .users()
            .await?
            .into_iter()
            .find(|u| u.id == user_id && u.active)
            .ok_or_else(|| AppError::invalid("officer", "Select an officer"))?;
        self.scrutiny_step(id, actor, |r, _| {
            Ok(vec![r.assign(&officer.id, &officer.name)?])
        })
        .await
    }

    /// Records the business area a request is about, one of the organisation's.
    pub async fn set_scrutiny_area(
        &self,
        id: &str,
        area: &str,
        actor: &Actor,
    ) -> Result<Request, AppError> {
        let known: Vec<String> = self.service_area_names().await?.into_keys().collect();
        self.scrutiny_step(id, actor, |r, _| Ok(vec![r.set_area(area, &known)?]))
            .await
    }

    /// A signature, online (no actor) or entered by staff from a paper petition.
    pub async fn sign_scrutiny(
        &self,
        reference: &str,
        name: &str,
        email: &str,
        postcode: &str,
        declaration: bool,
        entered_by: Option<&Actor>,
    ) -> Result<Request, AppError> {
        // Signatures arriving together race on the request's version; each retries with
        // the count as it now is.
        for _ in 0..8 {
            let (request, version) = self.scrutiny_by_reference(reference).await?;
            request
                .open_for_signatures()
                .map_err(|m| AppError::invalid("name", m))?;
            let signature = Signature::parse(
                name,
                email,
                postcode,
                declaration,
                entered_by.is_some(),
                &request.eligible,
            )?;
            let by = entered_by
                .map(doer)
                .unwrap_or_else(|| doer(&Actor::public()));
            match self
                .store
                .sign_petition(&request, version, &signature, self.today(), &by)
                .await
            {
                Ok(Signed::Counted(next, version)) => {
                    let next = *next;
                    let meetings = self.store.meetings(&self.organisation.id).await?;
                    if let Some(s) = next.agenda(&meetings, self.today()) {
                        let mut placed = next.clone();
                        placed.apply(&s, self.today());
                        match self
                            .store
                            .save_scrutiny_request(
                                &placed,
                                version,
                                &[s],
                                &[],
                                &doer(&Actor::public()),
                            )
                            .await
                        {
                            Ok(_) => return Ok(placed),
                            // Someone else moved it on (perhaps placing it themselves).
                            Err(StoreError::Conflict) => return Ok(next),
                            Err(e) => return Err(e.into()),
                        }
                    }
                    return Ok(next);
                }
                Ok(Signed::AlreadySigned) => {
                    return Err(AppError::invalid(
                        "name",
                        "This person has already signed this petition: each person signs once",
                    ));
                }
                Err(StoreError::Conflict) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Err(AppError::Conflict(
            "Many people are signing at once: please try again".into(),
        ))
    }

    /// Schedules a meeting and puts every ready request without one onto the next agenda.
    pub async fn schedule_meeting(
        &self,
        on: &str,
        time: &str,
        place: &str,
        actor: &Actor,
    ) -> Result<Meeting, AppError> {
        let meeting = Meeting::parse(
            uuid::Uuid::now_v7().to_string(),
            on,
            time,
            place,
            self.today(),
        )?;
        self.store
            .save_meeting(&self.organisation.id, &meeting)
            .await?;
        self.place_ready_requests(actor).await?;
        Ok(meeting)
    }

    /// Cancels a meeting; what was on its agenda goes onto the next meeting's, or waits
    /// for one to be scheduled.
    pub async fn cancel_meeting(&self, id: &str, actor: &Actor) -> Result<(), AppError> {
        let mut meeting = self
            .meetings()
            .await?
            .into_iter()
            .find(|m| m.id == id)
            .ok_or(AppError::NotFound)?;
        // Cancelling twice sweeps again, so a sweep that stopped part-way is finished.
        meeting.cancelled = true;
        self.store
            .save_meeting(&self.organisation.id, &meeting)
            .await?;
        for r in self.scrutiny_requests().await? {
            if r.off_agenda(id).is_some() {
                self.scrutiny_step(&r.id, actor, |r, _| {
                    Ok(r.off_agenda(id).into_iter().collect())
                })
                .await?;
            }
        }
        Ok(())
    }

    /// Puts every ready request that has no meeting to come onto the next one.
    async fn place_ready_requests(&self, actor: &Actor) -> Result<(), AppError> {
        let meetings = self.meetings().await?;
        for r in self.scrutiny_requests().await? {
            if r.agenda(&meetings, self.today()).is_some() {
                self.scrutiny_step(&r.id, actor, |_, _| Ok(Vec::new()))
                    .await?;
            }
        }
        Ok(())
    }

    pub async fn meetings(&self) -> Result<Vec<Meeting>, AppError> {
        Ok(self.store.meetings(&self.organisation.id).await?)
    }

    /// Complaints on record from the requester (by email or phone), for a "not yet"
    /// decision: how far through the procedure each went.
    pub async fn complaints_on_record(
        &self,
        request: &Request,
    ) -> Result<Vec<ComplaintOnRecord>, AppError> {
        let Some(form) = &request.form else {
            return Ok(Vec::new());
        };
        let query = PersonQuery {
            email: form.email.clone(),
            phone_digits: form
                .phone
                .as_deref()
                .and_then(redress_domain::field::phone_digits),
        };
        if query.email.is_none() && query.phone_digits.is_none() {
            return Ok(Vec::new());
        }
        let contacts: Vec<Contact> = self
            .store
            .contacts_of_person(&self.organisation.id, &query)
            .await?;
        Ok(contacts
            .iter()
            .map(|c| ComplaintOnRecord {
                reference: c.reference.to_string(),
                kind: c.detail.kind.label().to_string(),
                received_on: c.received_on,
                stage_reached: c.stage(),
                status: c.status.label().to_string(),
                ombudsman: !c.case.referrals.is_empty(),
            })
            .collect())
    }

    /// Tells the requester of the decision by their preferred channel: an email or a
    /// printed letter is written now; by phone, staff record the call with `inform`.
    pub async fn send_scrutiny_decision(
        &self,
        id: &str,
        actor: &Actor,
    ) -> Result<Request, AppError> {
        let (request, version) = self.scrutiny_by_id(id).await?;
        let Some(decision) = request.decision.clone() else {
            return Err(AppError::invalid("on", "There is no decision to send"));
        };
        let form = request.form.clone().ok_or(AppError::NotFound)?;
        let (delivery, recipient, large_print, how) = self.requester_channel(&form)?;
        let today = self.today();
        let step = request.inform(today, how, today)?;
        let mut v = BTreeMap::new();
        v.insert("name", form.name.to_string());
        v.insert("outcome", decision.outcome.label().to_string());
        v.insert("reasons", decision.reasons.to_string());
        v.insert(
            "explanation",
            match decision.outcome {
                Outcome::Referred => format!(
                    "Your request has been referred to the {} to monitor the service and find improvements.",
                    decision.review_group.as_ref().map(|g| g.as_str()).unwrap_or("Service Review Group")
                ),
                Outcome::SeriousFailure => format!(
                    "The team has made these recommendations to resolve the failure straight away:\n{}",
                    decision.recommendations.as_ref().map(|r| r.as_str()).unwrap_or("")
                ),
                Outcome::Accepted => "Your request adds to the score of its business area when the team chooses the areas to scrutinise this year.".into(),
                Outcome::NotYet => "You can come back to the team once you have used the other ways to resolve your concerns, such as our complaints procedure.".into(),
            },
        );
        v.insert(
            "respond_by",
            redress_domain::scrutiny::appeal::deadline(today)
                .map(long_date)
                .unwrap_or_default(),
        );
        v.insert("link", format!("{}/scrutiny", self.public_url()));
        let letter = self
            .scrutiny_letter(
                &request,
                LetterKind::ScrutinyDecision,
                delivery,
                recipient,
                large_print,
                v,
            )
            .await?;
        self.write_to_requester(request, version, step, letter, actor)
            .await
    }

    /// Sends the panel's final decision the same way.
    pub async fn send_appeal_decision(&self, id: &str, actor: &Actor) -> Result<Request, AppError> {
        let (request, version) = self.scrutiny_by_id(id).await?;
        let form = request.form.clone().ok_or(AppError::NotFound)?;
        let appeal = request.appeal.clone().ok_or(AppError::NotFound)?;
        let (delivery, recipient, large_print, how) = self.requester_channel(&form)?;
        let today = self.today();
        let step = request.send_appeal_decision(today, how, today)?;
        let mut v = BTreeMap::new();
        v.insert("name", form.name.to_string());
        v.insert(
            "outcome",
            if appeal.upheld == Some(true) {
                "your appeal is upheld"
            } else {
                "your appeal is not upheld"
            }
            .to_string(),
        );
        v.insert(
            "reasons",
            appeal.reasons.map(|r| r.to_string()).unwrap_or_default(),
        );
        let letter = self
            .scrutiny_letter(
                &request,
                LetterKind::ScrutinyAppealDecision,
                delivery,
                recipient,
                large_print,
                v,
            )
            .await?;
        self.write_to_requester(request, version, step, letter, actor)
            .await
    }

    /// An email goes to the outbox and the requester counts as told now; a letter waits to
    /// be printed and posted, and they are told when staff record it posted.
    async fn write_to_requester(
        &self,
        mut request: Request,
        version: i64,
        step: Step,
        letter: Letter,
        actor: &Actor,
    ) -> Result<Request, AppError> {
        let waiting = self
            .store
            .scrutiny_messages(&request.id)
            .await?
            .iter()
            .any(|m| m.kind == letter.kind && m.status == "to-print");
        if waiting {
            return Err(AppError::invalid(
                "on",
                "The letter is waiting to be printed and posted: record it as posted",
            ));
        }
        let steps = match letter.delivery {
            Delivery::Email => {
                request.apply(&step, self.today());
                vec![step]
            }
            Delivery::Post => Vec::new(),
        };
        self.store
            .save_scrutiny_request(&request, version, &steps, &[letter], &doer(actor))
            .await?;
        Ok(request)
    }

    /// Staff printed and posted a letter to the requester: it is marked printed, and the
    /// requester counts as told of the decision (or the panel's decision) today.
    pub async fn scrutiny_letter_posted(
        &self,
        id: &str,
        letter_id: &str,
        actor: &Actor,
    ) -> Result<Request, AppError> {
        let letter = self
            .store
            .scrutiny_messages(id)
            .await?
            .into_iter()
            .find(|m| m.id == letter_id && m.status == "to-print")
            .ok_or(AppError::NotFound)?;
        let request = self
            .scrutiny_step(id, actor, |r, today| {
                Ok(vec![match letter.kind {
                    LetterKind::ScrutinyAppealDecision => {
                        r.send_appeal_decision(today, "letter", today)?
                    }
                    _ => r.inform(today, "letter", today)?,
                }])
            })
            .await?;
        self.store
            .mark_letter(&letter.id, "printed", self.now(), None, None)
            .await?;
        Ok(request)
    }

    fn requester_channel(
        &self,
        form: &redress_domain::scrutiny::RequestForm,
    ) -> Result<(Delivery, String, bool, &'static str), AppError> {
        match form.delivery() {
            Some((Delivery::Email, to, large_print)) => {
                Ok((Delivery::Email, to, large_print, "email"))
            }
            Some((Delivery::Post, to, large_print)) => {
                Ok((Delivery::Post, to, large_print, "letter"))
            }
            None => Err(AppError::invalid(
                "how",
                "The requester asked to be contacted by phone: call them, then record how and when they were told",
            )),
        }
    }

    /// The requester's own appeal, from their link.
    pub async fn appeal_scrutiny(&self, token: &str, grounds: &str) -> Result<Request, AppError> {
        let (request, _) = self.scrutiny_by_token(token).await?;
        self.scrutiny_step(&request.id, &Actor::public(), |r, today| {
            Ok(vec![r.appeal(today, grounds, today)?])
        })
        .await
    }

    pub async fn scrutiny_history(
        &self,
        id: &str,
    ) -> Result<Vec<redress_store::HistoryLine>, AppError> {
        Ok(self.store.scrutiny_history(id).await?)
    }

    // The scoring matrix.

    pub async fn matrix_settings(&self) -> Result<MatrixSettings, AppError> {
        Ok(self
            .store
            .setting(&self.organisation.id, MATRIX_SETTING)
            .await?
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or_default())
    }

    pub async fn save_matrix_settings(
        &self,
        form: &BTreeMap<String, String>,
    ) -> Result<(), AppError> {
        let settings = MatrixSettings::parse(form)?;
        let json =
            serde_json::to_string(&settings).map_err(|e| AppError::Internal(e.to_string()))?;
        self.store
            .set_setting(&self.organisation.id, MATRIX_SETTING, &json)
            .await?;
        Ok(())
    }

    /// Records a figure the team has for an area (performance, criticality, or one that
    /// replaces Redress's own).
    pub async fn enter_figure(
        &self,
        year: i16,
        area_id: &str,
        criterion: &str,
        value: &str,
        evidence: &str,
    ) -> Result<(), AppError> {
        let mut e = FieldErrors::new();
        let criterion = e.take("criterion", Criterion::parse(criterion));
        let value = match value.trim() {
            "" => None,
            v => match v.parse::<f64>() {
                Ok(n) if n.is_finite() && (0.0..=1_000_000.0).contains(&n) => Some(n),
                _ => {
                    e.add("value", "Enter a number, like 82.5, or leave it empty");
                    None
                }
            },
        };
        let evidence = e.take(
            "evidence",
            redress_domain::Text::parse(evidence, "where the figure comes from", 1_000),
        );
        if !self.service_area_names().await?.contains_key(area_id) {
            e.add("area", "Select a business area");
        }
        e.into_result()?;
        let (Some(criterion), Some(evidence)) = (criterion, evidence) else {
            return Err(AppError::invalid("criterion", "Select the measure"));
        };
        self.store
            .save_figure(
                &self.organisation.id,
                year,
                &Figure {
                    area_id: area_id.to_string(),
                    criterion,
                    value,
                    evidence: evidence.into_string(),
                },
            )
            .await?;
        Ok(())
    }

    /// Scores every business area for the financial year starting in `year`, from
    /// Redress's complaints and surveys where it has them and the team's figures where
    /// not (an entered figure wins), plus accepted calls for scrutiny. Not kept.
    pub async fn score_areas(&self, year: i16) -> Result<Vec<AreaScore>, AppError> {
        let settings = self.matrix_settings().await?;
        let period = Period::financial_year(year).map_err(|m| AppError::invalid("year", m))?;
        let entered = self.store.figures(&self.organisation.id, year).await?;
        let requests = self.scrutiny_requests().await?;
        let mut scores = Vec::new();
        for area in self.store.service_areas(&self.organisation.id).await? {
            let m = self.count_measures(period, Some(&area.id)).await?;
            let mut computed: BTreeMap<Criterion, (Option<f64>, String)> = BTreeMap::new();
            computed.insert(
                Criterion::Complaints,
                (
                    Some(f64::from(m.new_complaints)),
                    format!(
                        "{} complaints received in {}",
                        m.new_complaints,
                        Period::financial_year_label(year)
                    ),
                ),
            );
            let (responses, upheld) =
                m.outcomes_by_stage
                    .values()
                    .fold((0u32, 0u32), |(n, u), by| {
                        let all: u32 = by.values().sum();
                        let up = by.get("upheld").copied().unwrap_or(0)
                            + by.get("partly-upheld").copied().unwrap_or(0);
                        (n + all, u + up)
                    });
            computed.insert(
                Criterion::Upheld,
                (
                    pct(upheld, responses),
                    format!("{upheld} of {responses} responses upheld in full or part"),
                ),
            );
            let (answered, on_time) = m
                .timeliness_by_stage
                .values()
                .fold((0u32, 0u32), |(n, t), s| (n + s.responses, t + s.on_time));
            computed.insert(
                Criterion::Late,
                (
                    pct(answered - on_time, answered),
                    format!("{} of {answered} responses late", answered - on_time),
                ),
            );
            computed.insert(
                Criterion::Repeat,
                (
                    Some(f64::from(m.repeat_complainants)),
                    format!("{} people complained more than once", m.repeat_complainants),
                ),
            );
            let (asked, satisfied) = m
                .satisfaction_by_stage
                .values()
                .fold((0u32, 0u32), |(n, s), x| {
                    (n + x.responses, s + x.satisfied_with_handling)
                });
            computed.insert(
                Criterion::Satisfaction,
                (
                    pct(satisfied, asked),
                    format!("{satisfied} of {asked} survey answers satisfied with handling"),
                ),
            );
            let figures = Criterion::ALL
                .iter()
                .map(|c| {
                    // An emptied figure no longer replaces Redress's own.
                    let typed = entered
                        .iter()
                        .find(|f| f.area_id == area.id && f.criterion == *c && f.value.is_some());
                    match (typed, computed.remove(c)) {
                        (Some(f), _) => (*c, f.value, Source::Entered, f.evidence.clone()),
                        (None, Some((v, why))) => (*c, v, Source::Computed, why),
                        (None, None) => (*c, None, Source::Missing, "Not entered yet".into()),
                    }
                })
                .collect();
            let accepted = requests
                .iter()
                .filter(|r| {
                    r.decision.as_ref().is_some_and(|d| {
                        d.outcome == Outcome::Accepted && period.contains(d.decided_on)
                    }) && r.form.as_ref().and_then(|f| f.business_area.as_deref())
                        == Some(area.id.as_str())
                })
                .count();
            scores.push(score(
                &settings,
                &area.id,
                &area.name,
                figures,
                u32::try_from(accepted).unwrap_or(u32::MAX),
            ));
        }
        Ok(rank(scores))
    }

    /// Scores and keeps the year's scores with their evidence.
    pub async fn keep_scores(&self, year: i16, actor: &Actor) -> Result<Vec<AreaScore>, AppError> {
        let scores = self.score_areas(year).await?;
        self.store
            .save_scores(&self.organisation.id, year, &scores, &actor.name)
            .await?;
        Ok(scores)
    }

    pub async fn kept_scores(
        &self,
        year: i16,
    ) -> Result<Vec<(AreaScore, jiff::Timestamp, String)>, AppError> {
        Ok(self.store.scores(&self.organisation.id, year).await?)
    }

    // The annual programme.

    pub async fn stage_template(&self) -> Result<Vec<String>, AppError> {
        Ok(self
            .store
            .setting(&self.organisation.id, STAGES_SETTING)
            .await?
            .and_then(|s| parse_template(&s).ok())
            .unwrap_or_else(|| DEFAULT_STAGES.iter().map(|s| s.to_string()).collect()))
    }

    pub async fn save_stage_template(&self, raw: &str) -> Result<(), AppError> {
        let stages = parse_template(raw).map_err(|m| AppError::invalid("stages", m))?;
        self.store
            .set_setting(&self.organisation.id, STAGES_SETTING, &stages.join("\n"))
            .await?;
        Ok(())
    }

    pub async fn add_to_programme(
        &self,
        year: i16,
        area_id: &str,
        actor: &Actor,
    ) -> Result<Exercise, AppError> {
        if !self.service_area_names().await?.contains_key(area_id) {
            return Err(AppError::invalid("area", "Select a business area"));
        }
        let x = Exercise::new(
            uuid::Uuid::now_v7().to_string(),
            year,
            area_id.to_string(),
            &self.stage_template().await?,
        );
        match self
            .store
            .create_exercise(&self.organisation.id, &x, &doer(actor))
            .await
        {
            Ok(()) => Ok(x),
            Err(StoreError::Duplicate(_)) => Err(AppError::invalid(
                "area",
                "This business area is already in the year's programme",
            )),
            Err(e) => Err(e.into()),
        }
    }

    pub async fn exercises(&self) -> Result<Vec<(Exercise, i64)>, AppError> {
        Ok(self.store.exercises(&self.organisation.id).await?)
    }

    pub async fn exercise(&self, id: &str) -> Result<(Exercise, i64), AppError> {
        self.exercises()
            .await?
            .into_iter()
            .find(|(x, _)| x.id == id)
            .ok_or(AppError::NotFound)
    }

    /// Changes an exercise; `change` returns the line for its history.
    pub async fn change_exercise(
        &self,
        id: &str,
        actor: &Actor,
        change: impl FnOnce(&mut Exercise, jiff::civil::Date) -> Result<String, FieldErrors>,
    ) -> Result<Exercise, AppError> {
        let (mut x, version) = self.exercise(id).await?;
        let summary = change(&mut x, self.today())?;
        self.store
            .save_exercise(&x, version, &summary, &doer(actor))
            .await?;
        Ok(x)
    }
}

fn pct(part: u32, whole: u32) -> Option<f64> {
    (whole > 0)
        .then(|| redress_domain::measures::round1(f64::from(part) * 100.0 / f64::from(whole)))
}

impl App {
    /// The signatures on a request, for those who read scrutiny requests.
    pub async fn scrutiny_signatures(
        &self,
        who: &crate::access::Principal,
        id: &str,
    ) -> Result<Vec<redress_store::SignatureRow>, AppError> {
        who.require(redress_domain::role::Permission::ViewScrutiny)?;
        Ok(self.store.signatures(id).await?)
    }

    /// The letters and emails sent to a requester, for those who read scrutiny requests.
    pub async fn scrutiny_letters(
        &self,
        who: &crate::access::Principal,
        id: &str,
    ) -> Result<Vec<redress_store::StoredLetter>, AppError> {
        who.require(redress_domain::role::Permission::ViewScrutiny)?;
        Ok(self.store.scrutiny_messages(id).await?)
    }
}
