//! Staff pages: sign in, the case list, a case, and recording a contact received by phone,
//! letter, in person or any other channel.

pub(crate) mod actions;
mod annual;
mod improvements;
mod letters;
pub(crate) mod reports;
mod scrutiny;

use crate::html::{FormState, long_date};
use crate::public::contact::{ContactFormPage, input_from, merge_errors, valid_key};
use crate::session::{Staff, clear_cookie, cookie_value, same_origin, set_cookie};
use crate::{AppState, Layout, StaffNav, error_page, message, render};
use askama::Template;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use redress_app::AppError;
use redress_app::access::Principal;
use redress_app::auth::Signed;
use redress_app::cases::CaseView;
use redress_domain::contact::{ContactKind, ContactStatus, Source};
use redress_domain::role::Permission;
use redress_store::{ContactFilter, DueFilter};
use std::collections::BTreeMap;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(letters::routes())
        .merge(reports::routes())
        .merge(annual::routes())
        .merge(improvements::routes())
        .merge(scrutiny::routes())
        .route("/staff", get(|| async { Redirect::to("/staff/cases") }))
        .route("/staff/login", get(login_form).post(login))
        .route("/staff/logout", post(logout))
        .route("/staff/cases", get(cases))
        .route("/staff/cases.csv", get(cases_csv))
        .route("/staff/actions", get(open_actions))
        .route("/staff/workload", get(workload))
        .route("/staff/cases/new", get(new_contact_form).post(new_contact))
        .route("/staff/cases/{reference}", get(case))
        .route(
            "/staff/cases/{reference}/files",
            post(crate::staff::actions::upload).layer(axum::extract::DefaultBodyLimit::max(
                redress_domain::attachment::MAX_BYTES + 1024 * 1024,
            )),
        )
        .route(
            "/staff/cases/{reference}/files/{id}",
            get(crate::staff::actions::download),
        )
        .route(
            "/staff/cases/{reference}/restrictions/{id}/end",
            post(crate::staff::actions::end_restriction),
        )
        .route(
            "/staff/cases/{reference}/restrictions/{id}/review",
            get(crate::staff::actions::review_restriction_form)
                .post(crate::staff::actions::review_restriction),
        )
        .route(
            "/staff/cases/{reference}/act/{action}",
            get(crate::staff::actions::form).post(crate::staff::actions::submit),
        )
}

fn staff_layout(state: &AppState, title: &str, signed: &Signed) -> Layout {
    let mut layout = Layout::new(state, title);
    layout.staff = Some(StaffNav::for_user(signed));
    layout
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    layout: Layout,
    form: FormState,
}

async fn login_form(State(state): State<AppState>) -> Response {
    render(
        StatusCode::OK,
        &LoginPage {
            layout: Layout::new(&state, "Sign in"),
            form: FormState::default(),
        },
    )
}

async fn login(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let values = crate::forms::parse_body(&body);
    let email = values.get("email").cloned().unwrap_or_default();
    let password = values.get("password").cloned().unwrap_or_default();
    let mut form = FormState::default();
    form.values.insert("email".into(), email.clone());
    if !same_origin(&headers) {
        form.errors
            .add("email", "Sign in from this site's own sign-in page");
    } else if email.trim().is_empty() {
        form.errors.add("email", "Enter your email address");
    } else if password.is_empty() {
        form.errors.add("password", "Enter your password");
    } else {
        match state.app.sign_in(&email, &password).await {
            Ok((token, signed)) => {
                // The governing body reads reports only; everyone else starts at the cases.
                let role = signed.user.role;
                let home = if role.can(Permission::ViewCases) {
                    "/staff/cases"
                } else if role.can(Permission::ViewReports) {
                    "/staff/reports"
                } else {
                    // The scrutiny team and the appeal panel work on resident scrutiny.
                    "/staff/scrutiny"
                };
                return (
                    StatusCode::SEE_OTHER,
                    [
                        (header::SET_COOKIE, set_cookie(&token, state.secure_cookies)),
                        (header::LOCATION, home.into()),
                    ],
                )
                    .into_response();
            }
            Err(AppError::Invalid(errors)) => merge_errors(&mut form, &errors),
            Err(e) => return error_page(&state, e),
        }
    }
    let mut layout = Layout::new(&state, "Sign in");
    layout.has_errors = true;
    render(StatusCode::OK, &LoginPage { layout, form })
}

async fn logout(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    if let Some(token) = cookie_value(&headers) {
        let values = crate::forms::parse_body(&body);
        let signed = state.app.session(&token).await.ok().flatten();
        let csrf_ok = signed.is_some_and(|s| values.get("csrf") == Some(&s.csrf_token));
        if csrf_ok
            && same_origin(&headers)
            && let Err(e) = state.app.sign_out(&token).await
        {
            return error_page(&state, e);
        }
    }
    (
        StatusCode::SEE_OTHER,
        [
            (header::SET_COOKIE, clear_cookie(state.secure_cookies)),
            (header::LOCATION, "/staff/login".into()),
        ],
    )
        .into_response()
}

struct CaseRow {
    reference: String,
    kind: String,
    name: String,
    area: String,
    status: String,
    status_class: &'static str,
    deadline: String,
    deadline_class: &'static str,
    priority: bool,
}

#[derive(Template)]
#[template(path = "cases.html")]
struct CasesPage {
    layout: Layout,
    q: String,
    /// A search ran, so the cases come most recently added first.
    searched: bool,
    filters: FormState,
    areas: crate::forms::Options,
    assignees: crate::forms::Options,
    rows: Vec<CaseRow>,
    total: i64,
    /// Counting stopped at `total`; there are more.
    more: bool,
    page: u32,
    pages: u32,
    prev_link: Option<String>,
    next_link: Option<String>,
    csv_link: String,
}

fn status_class(s: ContactStatus) -> &'static str {
    match s {
        ContactStatus::Received => "tag--blue",
        ContactStatus::Acknowledged => "tag--purple",
        ContactStatus::Responded => "tag--green",
        ContactStatus::Closed | ContactStatus::Withdrawn | ContactStatus::Declined => "tag--grey",
    }
}

/// "3 working days left", "Due today", "2 working days overdue".
pub(crate) fn describe_days(left: i64) -> (String, &'static str) {
    match left {
        0 => ("Due today".into(), "deadline--due-soon"),
        1 => ("1 working day left".into(), "deadline--due-soon"),
        n if n > 1 && n <= 3 => (format!("{n} working days left"), "deadline--due-soon"),
        n if n > 1 => (format!("{n} working days left"), ""),
        -1 => ("1 working day overdue".into(), "deadline--overdue"),
        n => (format!("{} working days overdue", -n), "deadline--overdue"),
    }
}

/// The case list's filters, as typed in its query string.
async fn case_filter(
    state: &AppState,
    q: &BTreeMap<String, String>,
) -> Result<ContactFilter, AppError> {
    let get = |k: &str| {
        q.get(k)
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let due = match get("due").as_deref() {
        Some("overdue") => Some(DueFilter::Overdue {
            today: state.app.today(),
        }),
        Some("due-soon") => Some(state.app.due_soon().await?),
        _ => None,
    };
    Ok(ContactFilter {
        kind: get("kind").and_then(|k| ContactKind::parse(&k).ok()),
        status: get("status").and_then(|k| ContactStatus::parse(&k).ok()),
        service_area: get("area"),
        stage: get("stage").and_then(|s| s.parse().ok()),
        assignee: get("assignee"),
        due,
        search: get("q").map(|s| s.chars().take(200).collect()),
        page: get("page").and_then(|p| p.parse().ok()).unwrap_or(1),
        per_page: 25,
        areas: None,
        count_up_to: None,
    })
}

/// Most rows a CSV of the case list holds; past that, narrow the filters.
const CSV_ROWS: u32 = redress_store::MOST_PER_PAGE;

/// The case list as filtered, as CSV, with cells that cannot run as spreadsheet formulas.
async fn cases_csv(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Query(q): Query<BTreeMap<String, String>>,
) -> Response {
    let mut filter = match case_filter(&state, &q).await {
        Ok(f) => f,
        Err(e) => return error_page(&state, e),
    };
    filter.page = 1;
    filter.per_page = CSV_ROWS;
    let (page, areas) = match (
        state
            .app
            .list_cases_for(&Principal::staff(&signed.user), &filter)
            .await,
        state.app.service_areas().await,
    ) {
        (Ok(p), Ok(a)) => (p, a),
        (Err(e), _) => return error_page(&state, e),
        (_, Err(e)) => return error_page(&state, e),
    };
    let date = |d: Option<jiff::civil::Date>| d.map(|d| d.to_string()).unwrap_or_default();
    let rows: Vec<Vec<String>> = page
        .items
        .iter()
        .map(|c| {
            let area = c
                .service_area
                .as_ref()
                .and_then(|id| areas.iter().find(|a| &a.id == id))
                .map(|a| a.name.clone())
                .unwrap_or_default();
            vec![
                c.reference.to_string(),
                c.kind.label().to_string(),
                c.status.label().to_string(),
                c.stage.to_string(),
                c.received_on.to_string(),
                c.name.clone().unwrap_or_default(),
                area,
                c.summary.clone(),
                date(c.acknowledge_by),
                date(c.acknowledged_on),
                date(c.respond_by),
                if c.priority { "yes" } else { "no" }.to_string(),
            ]
        })
        .collect();
    crate::download::csv(
        &format!("cases-{}.csv", state.app.today()),
        &[
            "reference",
            "kind",
            "status",
            "stage",
            "received_on",
            "name",
            "service_area",
            "summary",
            "acknowledge_by",
            "acknowledged_on",
            "respond_by",
            "priority",
        ],
        &rows,
    )
}

async fn cases(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Query(q): Query<BTreeMap<String, String>>,
) -> Response {
    let get = |k: &str| {
        q.get(k)
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let mut filters = FormState::default();
    for k in ["kind", "status", "area", "stage", "due", "assignee"] {
        if let Some(v) = get(k) {
            filters.values.insert(k.into(), v);
        }
    }
    let filter = match case_filter(&state, &q).await {
        Ok(f) => f,
        Err(e) => return error_page(&state, e),
    };
    let _org = &state.app.organisation.id;
    let (page, areas, calendar, users) = match (
        state
            .app
            .list_cases_for(&Principal::staff(&signed.user), &filter)
            .await,
        state.app.service_areas().await,
        state.app.calendar().await,
        state.app.colleagues(&Principal::staff(&signed.user)).await,
    ) {
        (Ok(p), Ok(a), Ok(c), Ok(u)) => (p, a, c, u),
        (Err(e), _, _, _) | (_, _, Err(e), _) => return error_page(&state, e),
        (_, Err(e), _, _) | (_, _, _, Err(e)) => return error_page(&state, e),
    };
    let today = state.app.today();
    let rows = page
        .items
        .iter()
        .map(|c| {
            let next = if c.status == ContactStatus::Received {
                c.acknowledge_by.or(c.respond_by)
            } else {
                c.respond_by
            };
            let (deadline, deadline_class) = match next.filter(|_| c.status.is_open()) {
                Some(due) => {
                    let (words, class) = describe_days(calendar.working_days_between(today, due));
                    (format!("{}: {}", long_date(due), words), class)
                }
                None => ("None".into(), ""),
            };
            CaseRow {
                reference: c.reference.to_string(),
                kind: c.kind.label().into(),
                name: c.name.clone().unwrap_or_else(|| "Anonymous".into()),
                area: c
                    .service_area
                    .clone()
                    .unwrap_or_else(|| "Not assigned".into()),
                status: c.status.label().into(),
                status_class: status_class(c.status),
                deadline,
                deadline_class,
                priority: c.priority,
            }
        })
        .collect();
    let link = |p: u32| {
        let mut params: Vec<(String, String)> = q
            .iter()
            .filter(|(k, _)| *k != "page")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        params.push(("page".into(), p.to_string()));
        format!(
            "/staff/cases?{}",
            serde_urlencoded::to_string(&params).unwrap_or_default()
        )
    };
    let pages = page.pages();
    render(
        StatusCode::OK,
        &CasesPage {
            layout: staff_layout(&state, "Cases", &signed),
            q: get("q").unwrap_or_default(),
            searched: page.newest_first,
            filters,
            assignees: std::iter::once((String::new(), "Anyone".to_string()))
                .chain(
                    users
                        .into_iter()
                        .filter(|u| u.role.can(Permission::HandleCases))
                        .map(|u| (u.id, u.name)),
                )
                .collect(),
            areas: std::iter::once((String::new(), "Any area".to_string()))
                .chain(areas.into_iter().map(|a| (a.id, a.name)))
                .collect(),
            rows,
            total: page.total,
            more: page.more,
            page: page.page,
            pages,
            prev_link: (page.page > 1).then(|| link(page.page - 1)),
            next_link: (page.page < pages).then(|| link(page.page + 1)),
            csv_link: link(1).replacen("/staff/cases?", "/staff/cases.csv?", 1),
        },
    )
}

struct LetterRow {
    id: String,
    subject: String,
    how: String,
    state: String,
}

fn letter_state(status: &str) -> &'static str {
    match status {
        "pending" => "Waiting to be emailed",
        "sending" => "Being emailed",
        "sent" => "Emailed",
        "failed" => "Email failed: check the address",
        "check" => "Email interrupted: check whether it arrived",
        "to-print" => "To print and post",
        "printed" => "Printed and posted",
        _ => "Unknown",
    }
}

struct RemedyRow {
    id: u32,
    kind: String,
    description: String,
    owner: String,
    due: String,
    state: String,
    class: &'static str,
    payment: String,
    notes: Vec<String>,
}

fn remedy_rows(c: &redress_domain::contact::Contact, today: jiff::civil::Date) -> Vec<RemedyRow> {
    c.case
        .remedies
        .iter()
        .map(|r| {
            let (state, class) = match r.done_on {
                Some(d) => (format!("Delivered {}", long_date(d)), ""),
                None if r.is_overdue(today) => ("Overdue".to_string(), "deadline--overdue"),
                None => ("Open".to_string(), ""),
            };
            let payment = r
                .payment
                .as_ref()
                .map(|p| {
                    let progress = match (p.approved_on, p.paid_on) {
                        (_, Some(paid)) => format!("paid {}", long_date(paid)),
                        (Some(a), None) => format!(
                            "approved {} by {}, not paid yet",
                            long_date(a),
                            p.approved_by.clone().unwrap_or_default()
                        ),
                        (None, None) => "awaiting approval".to_string(),
                    };
                    format!("{} {}: {progress}", p.amount, p.kind.label().to_lowercase())
                })
                .unwrap_or_default();
            RemedyRow {
                id: r.id,
                kind: r.kind.label().to_string(),
                description: r.description.clone(),
                owner: r.owner.name.clone(),
                due: long_date(r.due),
                state,
                class,
                payment,
                notes: r
                    .notes
                    .iter()
                    .map(|n| format!("{}, {}: {}", long_date(n.on), n.by, n.text))
                    .collect(),
            }
        })
        .collect()
}

fn ombudsman_rows(
    c: &redress_domain::contact::Contact,
    today: jiff::civil::Date,
) -> Vec<(String, String)> {
    let mut rows = Vec::new();
    for r in &c.case.referrals {
        rows.push((
            "Referred".to_string(),
            format!(
                "{} to the {}{}",
                long_date(r.referred_on),
                r.ombudsman.name(),
                r.their_reference
                    .as_ref()
                    .map(|x| format!(", their reference {x}"))
                    .unwrap_or_default()
            ),
        ));
        if let (Some(d), Some(on)) = (r.determination, r.determined_on) {
            rows.push((
                "Determination".into(),
                format!("{} ({})", d.label(), long_date(on)),
            ));
        }
        if let Some(summary) = &r.summary {
            rows.push(("Findings".into(), summary.clone()));
        }
        for o in &r.orders {
            let state = match (&o.complied_on, &o.evidence) {
                (Some(d), evidence) => format!(
                    "complied with {}: {}",
                    long_date(*d),
                    evidence.clone().unwrap_or_default()
                ),
                (None, _) if o.due < today => "overdue".to_string(),
                (None, _) => "open".to_string(),
            };
            rows.push((
                format!("Order {}", o.id),
                format!("{} (due {}), {state}", o.description, long_date(o.due)),
            ));
        }
    }
    rows
}

struct StageView {
    title: String,
    rows: Vec<(String, String)>,
}

fn stage_views(c: &redress_domain::contact::Contact) -> Vec<StageView> {
    c.case
        .stages
        .iter()
        .rev()
        .map(|s| {
            let mut rows = vec![(
                if s.stage == 1 {
                    "Received"
                } else {
                    "Escalation requested"
                }
                .to_string(),
                long_date(s.started_on),
            )];
            let mut push = |k: &str, v: Option<String>| {
                if let Some(v) = v.filter(|v| !v.is_empty()) {
                    rows.push((k.to_string(), v));
                }
            };
            push("What is still unresolved", s.escalation_reason.clone());
            push("Case worker", s.handler.as_ref().map(|h| h.name.clone()));
            push("Acknowledged", s.acknowledged_on.map(long_date));
            push("Our understanding", s.understanding.clone());
            push("Outcome wanted", s.outcome_wanted.clone());
            for (i, x) in s.extensions.iter().enumerate() {
                push(
                    &format!("Extension {}", i + 1),
                    Some(format!(
                        "{} to {}: {}. Agreed {}, resident told {}{}",
                        long_date(x.from),
                        long_date(x.to),
                        x.reason,
                        long_date(x.agreed_on),
                        long_date(x.resident_told_on),
                        if x.outside_code {
                            format!(
                                ". Outside the Code: {}",
                                x.good_reason.clone().unwrap_or_default()
                            )
                        } else {
                            String::new()
                        }
                    )),
                );
            }
            if let Some(r) = &s.response {
                push(
                    "Response",
                    Some(format!(
                        "Sent {}: {}{}",
                        long_date(r.sent_on),
                        r.outcome.label().to_lowercase(),
                        if r.early_resolution {
                            " (early resolution)"
                        } else {
                            ""
                        }
                    )),
                );
                for p in &r.points {
                    push(
                        if p.upheld { "Upheld" } else { "Not upheld" },
                        Some(p.point.clone()),
                    );
                }
                push("Reasons", Some(r.reasons.clone()));
                push("Outstanding actions", r.outstanding_actions.clone());
            }
            StageView {
                title: format!("Stage {}", s.stage),
                rows,
            }
        })
        .collect()
}

struct DeadlineRow {
    label: String,
    due: String,
    state: String,
    class: &'static str,
}

struct HistoryRow {
    title: String,
    when: String,
    actor: String,
    summary: String,
}

#[derive(Template)]
#[template(path = "case.html")]
struct CasePage {
    layout: Layout,
    restrictions: Vec<(String, String, bool)>,
    can_act: bool,
    csrf: String,
    views: Vec<(String, String, String)>,
    /// Download link (none once removed), name, description.
    files: Vec<(Option<String>, String, String)>,
    links: Vec<(String, Option<String>, String)>,
    letters: Vec<LetterRow>,
    notes: Vec<(String, String)>,
    remedies: Vec<RemedyRow>,
    ombudsman: Vec<(String, String)>,
    done: Option<String>,
    actions: Vec<(String, String)>,
    banners: Vec<String>,
    stages: Vec<StageView>,
    reference: String,
    kind: String,
    stage: u8,
    priority: bool,
    priority_reason: String,
    needs_heading: String,
    needs: Vec<(String, String)>,
    deadlines: Vec<DeadlineRow>,
    scheme: String,
    division: String,
    details: Vec<(String, String)>,
    history: Vec<HistoryRow>,
}

fn case_page(
    state: &AppState,
    signed: &Signed,
    view: CaseView,
    done: Option<&str>,
    letters: Vec<redress_store::StoredLetter>,
) -> CasePage {
    let c = &view.contact;
    let mut banners = Vec::new();
    if let Some(p) = &c.case.paused {
        banners.push(format!("Paused since {} for another procedure: {}. The clock keeps running: keep the resident informed.", long_date(p.since), p.reason));
    }
    if let Some(d) = &c.case.decline {
        banners.push(format!(
            "Not taken on ({}) on {}: {}",
            d.reason.label().to_lowercase(),
            long_date(d.on),
            d.explanation
        ));
    }
    if let Some(e) = &c.case.erased {
        banners.push(format!(
            "Personal data erased on {}: {}",
            long_date(e.on),
            e.reason
        ));
    }
    if let Some(w) = &c.case.withdrawal {
        banners.push(format!("Withdrawn: {w}"));
    }
    if let Some(r) = &c.case.time_limit_override {
        banners.push(format!("Accepted outside the time limit: {r}"));
    }
    for r in &c.case.escalation_refusals {
        banners.push(format!(
            "Escalation refused on {}: {}",
            long_date(r.on),
            r.reason
        ));
    }
    let can_act = signed.user.role.can(Permission::HandleCases);
    let actions = if can_act {
        actions::ActionForm::offered_for(c, &view.scheme, signed.user.role)
            .into_iter()
            .map(|a| {
                (
                    format!("/staff/cases/{}/act/{}", c.reference, a.slug),
                    a.title.to_string(),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    let done = done
        .and_then(actions::ActionForm::title_for)
        .map(|t| format!("Saved: {}", t.to_lowercase()));
    let d = &c.detail;
    let mut needs = Vec::new();
    if let Some(p) = &d.person {
        let n = &p.needs;
        let mut push = |k: &str, v: Option<String>| {
            if let Some(v) = v {
                needs.push((k.to_string(), v));
            }
        };
        push(
            "Vulnerabilities",
            n.vulnerabilities.as_ref().map(|t| t.to_string()),
        );
        push("Needs", n.accessibility.as_ref().map(|t| t.to_string()));
        push(
            "Reasonable adjustments",
            n.adjustments.as_ref().map(|t| t.to_string()),
        );
        push(
            "Format",
            n.preferred_format
                .filter(|f| *f != redress_domain::person::PreferredFormat::Standard)
                .map(|f| f.label().to_string()),
        );
        push("Language", n.language.as_ref().map(|t| t.to_string()));
        push("Interpreter", n.interpreter.then(|| "Needed".to_string()));
        push(
            "Contact by",
            n.preferred_contact.map(|m| m.label().to_string()),
        );
    }
    let deadlines = view
        .deadlines
        .iter()
        .map(|dl| {
            let (state_words, class) = match (dl.met_on, dl.working_days_left) {
                (Some(met), _) => {
                    let late = met > dl.due;
                    (
                        format!(
                            "Done on {}{}",
                            long_date(met),
                            if late { " (late)" } else { "" }
                        ),
                        if late { "deadline--overdue" } else { "" },
                    )
                }
                (None, Some(left)) => describe_days(left),
                (None, None) => ("Not applicable now".into(), ""),
            };
            DeadlineRow {
                label: dl.label.to_string(),
                due: long_date(dl.due),
                state: state_words,
                class,
            }
        })
        .collect();
    let mut details = vec![
        ("Status".to_string(), c.status.label().to_string()),
        (
            "Complaints officer".into(),
            c.case
                .officer
                .as_ref()
                .map(|o| o.name.clone())
                .unwrap_or_else(|| "Not assigned".into()),
        ),
        (
            "Received".into(),
            format!(
                "{} by {}",
                long_date(c.received_on),
                d.channel.label().to_lowercase()
            ),
        ),
        (
            "Service area".into(),
            view.service_area
                .as_ref()
                .map(|a| a.name.clone())
                .unwrap_or_else(|| "Not assigned".into()),
        ),
    ];
    match &d.person {
        Some(p) => {
            details.push(("Name".into(), p.name.to_string()));
            details.extend(p.email.clone().map(|e| ("Email".to_string(), e)));
            details.extend(p.phone.clone().map(|e| ("Telephone".to_string(), e)));
            details.extend(
                p.address
                    .as_ref()
                    .map(|e| ("Address".to_string(), e.to_string())),
            );
            details.extend(p.postcode.clone().map(|e| ("Postcode".to_string(), e)));
        }
        None => details.push(("Name".into(), "Anonymous".into())),
    }
    if let Some(r) = &d.representative {
        details.push((
            "Representative".into(),
            format!(
                "{} ({}); authority: {}",
                r.name,
                r.relationship.label(),
                r.authority.label().to_lowercase()
            ),
        ));
    }
    details.push(("What happened".into(), d.summary.to_string()));
    details.extend(
        d.outcome_wanted
            .as_ref()
            .map(|t| ("Outcome wanted".to_string(), t.to_string())),
    );
    details.extend(
        d.issue_date
            .map(|t| ("Date it happened".to_string(), long_date(t))),
    );
    details.extend(
        d.property_ref
            .as_ref()
            .map(|t| ("Property reference".to_string(), t.to_string())),
    );
    details.extend(
        d.tenure
            .map(|t| ("Tenure".to_string(), t.label().to_string())),
    );
    details.extend(
        d.staff_named
            .as_ref()
            .map(|t| ("Compliment for".to_string(), t.to_string())),
    );
    details.extend(
        d.other_route
            .map(|t| ("Statutory route".to_string(), t.label().to_string())),
    );
    for p in &c.case.passed_on {
        details.push((
            "Passed on".into(),
            format!(
                "{} to {} and their manager {}",
                long_date(p.on),
                p.to,
                p.manager
            ),
        ));
    }
    if let Some(r) = &c.case.reply {
        details.push((
            "Reply".into(),
            format!("Sent {}: {}", long_date(r.on), r.text),
        ));
    }
    if let Some(o) = &c.case.comment_outcome {
        let reason = o
            .reason
            .as_ref()
            .map(|r| format!(": {r}"))
            .unwrap_or_default();
        details.push((
            "Outcome".into(),
            format!("{} ({}){reason}", o.outcome.label(), long_date(o.on)),
        ));
    }
    if d.kind == ContactKind::Comment {
        details.push((
            "Reply wanted".into(),
            if d.wants_reply { "Yes" } else { "No" }.into(),
        ));
    }
    let history = view
        .events
        .iter()
        .map(|e| HistoryRow {
            title: e.kind.label().to_string(),
            when: redress_domain::calendar::long_date_time(e.at),
            actor: e.actor.name.clone(),
            summary: e.summary.clone(),
        })
        .collect();
    let priority_reason = if d.safeguarding {
        "Safeguarding: someone may be at immediate risk."
    } else {
        "Anonymous report about a vulnerable group: act on it immediately."
    };
    CasePage {
        layout: staff_layout(state, c.reference.as_str(), signed),
        done,
        actions,
        banners,
        letters: letters
            .into_iter()
            .map(|l| LetterRow {
                state: letter_state(&l.status).to_string(),
                how: format!(
                    "{}{}",
                    l.delivery.label(),
                    if l.large_print { ", large print" } else { "" }
                ),
                id: l.id,
                subject: l.subject,
            })
            .collect(),
        links: c
            .case
            .links
            .iter()
            .map(|l| {
                let text = match (&l.reference, &l.agency) {
                    (Some(r), _) => r.to_string(),
                    (None, Some(a)) => format!(
                        "{a}{}",
                        l.their_reference
                            .as_ref()
                            .map(|t| format!(", their reference {t}"))
                            .unwrap_or_default()
                    ),
                    (None, None) => String::new(),
                };
                (
                    l.relation.label().to_string(),
                    l.reference.as_ref().map(|r| format!("/staff/cases/{r}")),
                    text,
                )
            })
            .collect(),
        files: c
            .case
            .attachments
            .iter()
            .map(|a| {
                let added = format!("Added {} by {}", long_date(a.added_on), a.by);
                match a.redacted_on {
                    None => (
                        Some(format!("/staff/cases/{}/files/{}", c.reference, a.id)),
                        a.name.clone(),
                        format!(
                            "{}, {} KB. {} {added}",
                            a.file_type.label(),
                            a.size.div_ceil(1024),
                            a.description,
                        ),
                    ),
                    Some(on) => (
                        None,
                        "File removed".to_string(),
                        format!("Removed {}: {}. {added}", long_date(on), a.description),
                    ),
                }
            })
            .collect(),
        views: Vec::new(),
        restrictions: Vec::new(),
        can_act,
        csrf: signed.csrf_token.clone(),
        stages: stage_views(c),
        notes: c
            .case
            .notes
            .iter()
            .rev()
            .map(|n| {
                (
                    format!("{}, {}", long_date(n.on), n.kind.label()),
                    format!("{} ({})", n.text, n.by),
                )
            })
            .collect(),
        remedies: remedy_rows(c, state.app.today()),
        ombudsman: ombudsman_rows(c, state.app.today()),
        reference: c.reference.to_string(),
        kind: d.kind.label().to_string(),
        stage: c.stage(),
        priority: c.is_priority(),
        priority_reason: priority_reason.into(),
        needs_heading: d
            .person
            .as_ref()
            .map(|p| format!("{}'s needs", p.name))
            .unwrap_or_default(),
        needs,
        deadlines,
        scheme: view.scheme.name.clone(),
        division: state.app.organisation.division.label().to_string(),
        details,
        history,
    }
}

async fn case(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Path(reference): Path<String>,
    Query(q): Query<BTreeMap<String, String>>,
) -> Response {
    let done = q.get("done").map(String::as_str);
    match state
        .app
        .open_case(&Principal::staff(&signed.user), &reference, "case page")
        .await
    {
        Ok(opened) => {
            let (view, letters, views, restrictions) = (
                opened.view,
                opened.letters,
                opened.views,
                opened.restrictions,
            );
            let today = state.app.today();
            let mut page = case_page(&state, &signed, view, done, letters);
            page.restrictions = restrictions
                .into_iter()
                .map(|(id, name, r)| {
                    let review = if r.review_due(today) {
                        " The review is due now."
                    } else {
                        ""
                    };
                    let text = format!(
                        "{name}: {}. {} Decided by {}, told {}, review by {}.{review}",
                        r.kind.label(),
                        r.details,
                        r.decided_by,
                        long_date(r.communicated_on),
                        long_date(r.review_on)
                    );
                    (id, text, r.review_due(today))
                })
                .collect();
            page.views = views
                .into_iter()
                .map(|(name, at, via)| (name, redress_domain::calendar::long_date_time(at), via))
                .collect();
            render(StatusCode::OK, &page)
        }
        Err(e) => error_page(&state, e),
    }
}

async fn staff_form(state: &AppState, signed: &Signed, form: FormState, draft: String) -> Response {
    let areas = match state.app.service_areas().await {
        Ok(a) => a,
        Err(e) => return error_page(state, e),
    };
    let mut layout = staff_layout(state, "Record a contact", signed);
    layout.has_errors = !form.errors.is_empty();
    render(
        StatusCode::OK,
        &ContactFormPage {
            layout,
            form,
            heading: "Record a complaint, comment, compliment or request".into(),
            action: "/staff/cases/new".into(),
            button: "Save".into(),
            draft,
            staff: true,
            csrf: signed.csrf_token.clone(),
            areas: std::iter::once((String::new(), "Not decided yet".to_string()))
                .chain(areas.into_iter().map(|a| (a.id, a.name)))
                .collect(),
        },
    )
}

async fn new_contact_form(State(state): State<AppState>, Staff(signed): Staff) -> Response {
    if !signed.user.role.can(Permission::RecordContacts) {
        return error_page(&state, AppError::Forbidden);
    }
    let mut form = FormState::default();
    form.values.insert("who".into(), "myself".into());
    staff_form(&state, &signed, form, uuid::Uuid::now_v7().to_string()).await
}

async fn new_contact(
    State(state): State<AppState>,
    Staff(signed): Staff,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !signed.user.role.can(Permission::RecordContacts) {
        return error_page(&state, AppError::Forbidden);
    }
    let mut form = FormState {
        values: crate::forms::parse_body(&body),
        ..Default::default()
    };
    if !same_origin(&headers) || form.values.remove("csrf").as_ref() != Some(&signed.csrf_token) {
        return message(
            &state,
            StatusCode::FORBIDDEN,
            "Your session has changed",
            "For your security the form was not saved. Go back, reload the page and try again.",
            "/staff/cases/new",
            "Record a contact",
        );
    }
    let draft = form
        .values
        .remove("draft")
        .filter(|d| valid_key(d))
        .unwrap_or_else(|| uuid::Uuid::now_v7().to_string());
    let input = input_from(&mut form);
    if !form.errors.is_empty() {
        return staff_form(&state, &signed, form, draft).await;
    }
    match state
        .app
        .submit_contact(
            &Principal::staff(&signed.user),
            &input,
            Source::Staff,
            Some(&draft),
        )
        .await
    {
        Ok(inserted) => {
            Redirect::to(&format!("/staff/cases/{}", inserted.contact().reference)).into_response()
        }
        Err(AppError::Invalid(errors)) => {
            merge_errors(&mut form, &errors);
            staff_form(&state, &signed, form, draft).await
        }
        Err(e) => error_page(&state, e),
    }
}

struct OpenActionRow {
    reference: String,
    what: String,
    owner: String,
    due: String,
    class: &'static str,
}

#[derive(Template)]
#[template(path = "open_actions.html")]
struct OpenActionsPage {
    layout: Layout,
    overdue_only: bool,
    rows: Vec<OpenActionRow>,
}

/// Remedies and ombudsman orders still to deliver, across all cases, earliest first.
async fn open_actions(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Query(q): Query<BTreeMap<String, String>>,
) -> Response {
    let overdue_only = q.get("show").is_some_and(|v| v == "overdue");
    let today = state.app.today();
    let items = match state
        .app
        .open_actions_for(
            &Principal::staff(&signed.user),
            overdue_only.then_some(today),
        )
        .await
    {
        Ok(items) => items,
        Err(e) => return error_page(&state, e),
    };
    let rows = items
        .into_iter()
        .map(|a| {
            let overdue = a.due < today;
            let money = a
                .amount_pence
                .map(|p| format!(" ({})", redress_domain::remedy::Pence(p)))
                .unwrap_or_default();
            OpenActionRow {
                reference: a.reference.to_string(),
                what: format!(
                    "{} {}: {}{money}",
                    if a.kind == "order" {
                        "Ombudsman order"
                    } else {
                        "Remedy"
                    },
                    a.item_id,
                    a.description
                ),
                owner: a.owner.unwrap_or_else(|| "Complaints team".into()),
                due: format!(
                    "{}{}",
                    long_date(a.due),
                    if overdue { " (overdue)" } else { "" }
                ),
                class: if overdue { "deadline--overdue" } else { "" },
            }
        })
        .collect();
    render(
        StatusCode::OK,
        &OpenActionsPage {
            layout: staff_layout(&state, "Remedies and orders to deliver", &signed),
            overdue_only,
            rows,
        },
    )
}

#[derive(Template)]
#[template(path = "workload.html")]
struct WorkloadPage {
    layout: Layout,
    rows: Vec<redress_store::Workload>,
}

/// Open cases per person, for sharing work out fairly and spotting who is overloaded.
async fn workload(State(state): State<AppState>, Staff(signed): Staff) -> Response {
    match state.app.workload(&Principal::staff(&signed.user)).await {
        Ok(rows) => render(
            StatusCode::OK,
            &WorkloadPage {
                layout: staff_layout(&state, "Workload", &signed),
                rows,
            },
        ),
        Err(e) => error_page(&state, e),
    }
}
