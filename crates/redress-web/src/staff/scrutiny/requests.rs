//! Resident scrutiny for staff, the Customer Scrutiny Team and the appeal panel: one
//! request, with its papers, signatures, letters, files and history and the steps that can
//! come next.

use crate::html::{FormState, long_date};
use crate::session::Scrutineer;
use crate::session::{StaffForm, needs};
use crate::{AppState, Layout, error_page, render};
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use redress_app::AppError;
use redress_app::access::Principal;
use redress_app::auth::Signed;
use redress_app::scrutiny::ComplaintOnRecord;
use redress_app::scrutiny::ScrutinyStep;
use redress_domain::role::{Permission, Role};
use redress_domain::scrutiny::{Outcome, Request, Route, Status};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/scrutiny/requests/{id}", get(show))
        .route("/staff/scrutiny/requests/{id}/{step}", post(step))
}

pub(crate) fn can(signed: &Signed, p: Permission) -> bool {
    signed.user.role.can(p)
}

/// A request's papers: what the team reads before deciding.
pub(crate) struct Papers {
    pub(crate) id: String,
    pub(crate) reference: String,
    pub(crate) status: String,
    pub(crate) route: String,
    pub(crate) area: String,
    pub(crate) concerns: String,
    pub(crate) actions_taken: String,
    pub(crate) failures: String,
    pub(crate) affected: String,
    pub(crate) affected_why: String,
    pub(crate) resolution: String,
    pub(crate) signatures: String,
    /// Each piece of evidence: (date, who added it, what it is), oldest first.
    pub(crate) evidence: Vec<(String, String, String)>,
    pub(crate) complaints: Vec<ComplaintOnRecord>,
    pub(crate) decided: bool,
}

pub(crate) async fn papers(
    state: &AppState,
    signed: &Signed,
    r: &Request,
    areas: &std::collections::BTreeMap<String, String>,
) -> Result<Papers, AppError> {
    let complaints = state
        .app
        .complaints_on_record(&Principal::staff(&signed.user), &r.id)
        .await?;
    let f = r.form.as_ref();
    let text = |t: Option<&redress_domain::Text>| t.map(|t| t.to_string()).unwrap_or_default();
    Ok(Papers {
        id: r.id.clone(),
        reference: r.reference.clone(),
        status: r.status.label().to_string(),
        route: r
            .route
            .map(|x| x.label().to_string())
            .unwrap_or_else(|| "Not set yet".into()),
        area: f
            .and_then(|f| f.business_area.as_ref())
            .and_then(|a| areas.get(a))
            .cloned()
            .unwrap_or_else(|| "Not given".into()),
        concerns: text(f.map(|f| &f.concerns)),
        actions_taken: text(f.map(|f| &f.actions_taken)),
        failures: text(f.map(|f| &f.failures)),
        affected: text(f.map(|f| &f.affected)),
        affected_why: text(f.and_then(|f| f.affected_why.as_ref())),
        resolution: text(f.map(|f| &f.resolution)),
        signatures: match r.threshold {
            Some(t) => format!("{} of {t} needed", r.signatures),
            None => "Not a petition".into(),
        },
        evidence: if r.evidence_log.is_empty() {
            // Recorded before each piece was kept apart.
            r.evidence
                .iter()
                .map(|t| (String::new(), String::new(), t.to_string()))
                .collect()
        } else {
            r.evidence_log
                .iter()
                .map(|e| (long_date(e.on), e.by.clone(), e.text.to_string()))
                .collect()
        },
        complaints,
        decided: r.decision.is_some(),
    })
}

pub(crate) struct Entry {
    pub(crate) when: String,
    pub(crate) who: String,
    pub(crate) what: String,
}

pub(crate) struct Message {
    pub(crate) id: String,
    pub(crate) subject: String,
    pub(crate) delivery: String,
    pub(crate) status: String,
    /// What it must be turned into before it goes (Braille, audio, a translation).
    pub(crate) convert: String,
    pub(crate) convert_by: String,
    pub(crate) body: String,
}

#[derive(Template)]
#[template(path = "scrutiny_case.html")]
pub(crate) struct CasePage {
    pub(crate) layout: Layout,
    pub(crate) form: FormState,
    pub(crate) p: Papers,
    pub(crate) r: Request,
    pub(crate) name: String,
    pub(crate) contact: String,
    pub(crate) preferred: String,
    pub(crate) format: String,
    pub(crate) help: bool,
    pub(crate) officer: String,
    pub(crate) received: String,
    pub(crate) acknowledged: String,
    pub(crate) considered: String,
    pub(crate) informed: String,
    pub(crate) meeting: String,
    pub(crate) decision: Option<(String, String, String)>,
    pub(crate) appeal: Option<(String, String, String, String)>,
    pub(crate) appeal_by: String,
    pub(crate) signatures: Vec<(String, String, String)>,
    pub(crate) messages: Vec<Message>,
    /// Files kept with the request: (id, name, what it is, added when and by whom).
    pub(crate) files: Vec<(String, String, String, String)>,
    /// A decision letter still to go (`redress_app::scrutiny::decision_waiting`).
    pub(crate) waiting_post: bool,
    pub(crate) today: jiff::civil::Date,
    pub(crate) history: Vec<Entry>,
    pub(crate) officers: crate::forms::Options,
    pub(crate) routes: crate::forms::Options,
    pub(crate) outcomes: crate::forms::Options,
    pub(crate) areas: crate::forms::Options,
    /// The registered Link Group members as (checkbox field, name).
    pub(crate) link_group: Vec<(String, String)>,
    pub(crate) upheld_options: crate::forms::Options,
    pub(crate) support: bool,
    pub(crate) decide: bool,
    pub(crate) appeals: bool,
    pub(crate) csrf: String,
}

impl CasePage {
    fn petition(&self) -> bool {
        self.r.route == Some(Route::Petition)
    }

    fn individual(&self) -> bool {
        self.r.route == Some(Route::Individual)
    }

    fn decision_unsent(&self) -> bool {
        self.r
            .decision
            .as_ref()
            .is_some_and(|d| d.sent_on.is_none())
    }

    fn panel_set(&self) -> bool {
        self.r.appeal.as_ref().is_some_and(|a| !a.panel.is_empty())
    }

    /// What is being followed up, in words.
    fn follow_kind(&self) -> &'static str {
        match self.r.decision.as_ref().map(|d| d.outcome) {
            Some(Outcome::Referred) => "referral",
            _ => "recommendations",
        }
    }

    /// No outcome recorded yet.
    fn follow_open(&self) -> bool {
        self.r
            .follow_up
            .as_ref()
            .is_none_or(|f| f.done_on.is_none())
    }

    fn follow_overdue(&self) -> bool {
        self.r
            .follow_up
            .as_ref()
            .is_some_and(|f| f.overdue(self.today))
    }

    fn appeal_decided(&self) -> bool {
        self.r.appeal.as_ref().is_some_and(|a| a.upheld.is_some())
    }
}

pub(crate) async fn case_page(
    state: &AppState,
    signed: &Signed,
    id: &str,
    mut form: FormState,
) -> Response {
    let (r, _) = match state
        .app
        .scrutiny_by_id(&Principal::staff(&signed.user), id)
        .await
    {
        Ok(r) => r,
        Err(e) => return error_page(e),
    };
    let areas = match state.app.service_area_names().await {
        Ok(a) => a,
        Err(e) => return error_page(e),
    };
    let p = match papers(state, signed, &r, &areas).await {
        Ok(p) => p,
        Err(e) => return error_page(e),
    };
    let (history, signatures, messages, users) = match (
        state
            .app
            .scrutiny_history(&Principal::staff(&signed.user), &r.id)
            .await,
        state
            .app
            .scrutiny_signatures(&Principal::staff(&signed.user), &r.id)
            .await,
        state
            .app
            .scrutiny_letters(&Principal::staff(&signed.user), &r.id)
            .await,
        state.app.colleagues(&Principal::staff(&signed.user)).await,
    ) {
        (Ok(h), Ok(s), Ok(m), Ok(u)) => (h, s, m, u),
        (Err(e), ..) => return error_page(e),
        (_, Err(e), ..) | (_, _, Err(e), _) | (.., Err(e)) => return error_page(e),
    };
    let waiting_post = redress_app::scrutiny::decision_waiting(&messages);
    // Files are for staff who support requesters: a scan shows the requester's address.
    let files = if can(signed, Permission::SupportScrutiny) {
        match state
            .app
            .scrutiny_files(&Principal::staff(&signed.user), &r.id)
            .await
        {
            Ok(f) => f
                .into_iter()
                .map(|f| {
                    (
                        f.id,
                        f.name,
                        f.description,
                        format!(
                            "{}, {}",
                            redress_domain::calendar::long_date_time(f.added_at),
                            f.added_by
                        ),
                    )
                })
                .collect(),
            Err(e) => return error_page(e),
        }
    } else {
        Vec::new()
    };
    let today = state.app.today();
    form.values
        .entry("on".into())
        .or_insert_with(|| today.to_string());
    form.values
        .entry("received_on".into())
        .or_insert_with(|| today.to_string());
    form.values
        .entry("follow_on".into())
        .or_insert_with(|| today.to_string());
    if let Some(fu) = &r.follow_up {
        form.values
            .entry("follow_owner".into())
            .or_insert_with(|| fu.owner.to_string());
        form.values
            .entry("follow_due".into())
            .or_insert_with(|| fu.due.to_string());
    }
    // The menu shows the area recorded, so saving the page never clears it unseen.
    if let Some(area) = r.form.as_ref().and_then(|f| f.business_area.clone()) {
        form.values.entry("area".into()).or_insert(area);
    }
    let link_group = match state.app.link_group().await {
        Ok(members) => members,
        Err(e) => return error_page(e),
    };
    let date = |d: Option<jiff::civil::Date>| d.map(long_date).unwrap_or_else(|| "Not yet".into());
    let f = r.form.clone();
    let contact = f
        .as_ref()
        .map(|f| {
            [
                f.email.clone(),
                f.phone.clone(),
                f.address.as_ref().map(|a| a.to_string()),
                f.postcode.clone(),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ")
        })
        .unwrap_or_default();
    render(
        form.status(),
        &CasePage {
            layout: Layout::staff(
                state,
                signed,
                &format!("Community Call for Scrutiny {}", r.reference),
                &form,
            ),
            name: f.as_ref().map(|f| f.name.to_string()).unwrap_or_default(),
            contact,
            preferred: f
                .as_ref()
                .map(|f| f.preferred_contact.label().to_string())
                .unwrap_or_default(),
            format: f
                .as_ref()
                .and_then(|f| f.format)
                .map(|x| x.label().to_string())
                .unwrap_or_else(|| "Standard".into()),
            help: f.as_ref().is_some_and(|f| f.help_wanted),
            officer: r
                .officer
                .as_ref()
                .map(|(_, n)| n.clone())
                .unwrap_or_else(|| "None".into()),
            received: date(r.received_on),
            acknowledged: date(r.acknowledged_on),
            considered: date(r.considered_on),
            informed: date(r.decision.as_ref().and_then(|d| d.sent_on)),
            meeting: r
                .meeting
                .as_ref()
                .map(|(_, d)| long_date(*d))
                .unwrap_or_else(|| "Not on an agenda".into()),
            decision: r.decision.as_ref().map(|d| {
                (
                    d.outcome.label().to_string(),
                    d.reasons.to_string(),
                    d.review_group
                        .as_ref()
                        .or(d.recommendations.as_ref())
                        .map(|t| t.to_string())
                        .unwrap_or_default(),
                )
            }),
            appeal: r.appeal.as_ref().map(|a| {
                (
                    long_date(a.received_on),
                    a.grounds.to_string(),
                    a.panel.join(", "),
                    match a.upheld {
                        Some(true) => format!(
                            "Upheld: {}",
                            a.reasons.as_ref().map(|t| t.as_str()).unwrap_or("")
                        ),
                        Some(false) => format!(
                            "Not upheld: {}",
                            a.reasons.as_ref().map(|t| t.as_str()).unwrap_or("")
                        ),
                        None => "Not decided yet".into(),
                    },
                )
            }),
            appeal_by: r.appeal_by().map(long_date).unwrap_or_default(),
            signatures: signatures
                .into_iter()
                .map(|s| {
                    (
                        s.name,
                        s.postcode,
                        format!(
                            "{}{}",
                            redress_domain::calendar::long_date_time(s.signed_at),
                            if s.paper { " (paper)" } else { "" }
                        ),
                    )
                })
                .collect(),
            messages: messages
                .into_iter()
                .map(|m| Message {
                    id: m.id,
                    subject: m.subject,
                    delivery: m.delivery.label().to_string(),
                    status: m.status,
                    convert: m.convert.unwrap_or_default(),
                    convert_by: m.convert_by.map(long_date).unwrap_or_default(),
                    // An emailed copy on screen is never a key to the requester's link;
                    // a letter to post keeps it, since staff print it.
                    body: match m.delivery {
                        redress_domain::letter::Delivery::Email => {
                            redress_domain::letter::for_staff(&m.body)
                        }
                        redress_domain::letter::Delivery::Post => m.body,
                    },
                })
                .collect(),
            waiting_post,
            today,
            files,
            history: history
                .into_iter()
                .map(|h| Entry {
                    when: redress_domain::calendar::long_date_time(h.at),
                    who: h.actor,
                    what: h.summary,
                })
                .collect(),
            officers: std::iter::once((String::new(), "Select an officer".to_string()))
                .chain(
                    users
                        .into_iter()
                        .filter(|u| {
                            u.active
                                && u.role.can(Permission::SupportScrutiny)
                                && u.role != Role::Auditor
                        })
                        .map(|u| (u.id, u.name)),
                )
                .collect(),
            routes: Route::ALL
                .iter()
                .map(|x| (x.as_str().to_string(), x.label().to_string()))
                .collect(),
            outcomes: outcomes(),
            areas: std::iter::once((String::new(), "Not known".to_string()))
                .chain(areas.iter().map(|(id, name)| (id.clone(), name.clone())))
                .collect(),
            link_group: link_group
                .into_iter()
                .map(|(id, name)| (format!("member-{id}"), name))
                .collect(),
            upheld_options: vec![
                ("yes".to_string(), "Appeal upheld".to_string()),
                ("no".to_string(), "Appeal not upheld".to_string()),
            ],
            support: can(signed, Permission::SupportScrutiny),
            decide: can(signed, Permission::DecideScrutiny),
            appeals: can(signed, Permission::DecideAppeals),
            csrf: signed.csrf_token.clone(),
            p,
            r,
            form,
        },
    )
}

pub(crate) async fn show(
    State(state): State<AppState>,
    Scrutineer(signed): Scrutineer,
    Path(id): Path<String>,
) -> Response {
    case_page(&state, &signed, &id, FormState::default()).await
}

/// Every step a request can take, with who may take it.
pub(crate) async fn step(
    State(state): State<AppState>,
    Path((id, step)): Path<(String, String)>,
    StaffForm {
        signed, mut form, ..
    }: StaffForm<needs::ViewScrutiny>,
) -> Response {
    // The step's own permission is checked by the app (`ScrutinyStep::permission`).
    let Some(kind) = ScrutinyStep::parse(&step) else {
        return crate::page_not_found();
    };
    let who = Principal::staff(&signed.user);
    let app = &state.app;
    let result = app
        .take_scrutiny_step(&who, &id, kind, &form.values)
        .await
        .map(drop);
    match result {
        Ok(()) => {
            let back = if step == "decide" && form.v("from") == "meeting" {
                match app
                    .scrutiny_by_id(&Principal::staff(&signed.user), &id)
                    .await
                {
                    Ok((r, _)) => r
                        .meeting
                        .map(|(m, _)| format!("/staff/scrutiny/meetings/{m}"))
                        .unwrap_or_else(|| format!("/staff/scrutiny/requests/{id}")),
                    Err(e) => return error_page(e),
                }
            } else {
                format!("/staff/scrutiny/requests/{id}")
            };
            Redirect::to(&back).into_response()
        }
        Err(AppError::Invalid(errors)) => {
            form.errors = errors;
            case_page(&state, &signed, &id, form).await
        }
        Err(e) => error_page(e),
    }
}

pub(crate) fn outcomes() -> crate::forms::Options {
    Outcome::ALL
        .iter()
        .map(|o| (o.as_str().to_string(), o.label().to_string()))
        .collect()
}
