//! The case list: filters, search and pages, and the same as a CSV download.

use super::super::staff_layout;
use crate::html::{FormState, long_date};
use crate::session::Staff;
use crate::{AppState, Layout, PageResult, render};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use redress_app::AppError;
use redress_app::access::Principal;
use redress_domain::contact::{ContactKind, ContactStatus};
use redress_domain::role::Permission;
use redress_store::{ContactFilter, DueFilter};
use std::collections::BTreeMap;
pub(crate) struct CaseRow {
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
pub(crate) struct CasesPage {
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

pub(crate) fn status_class(s: ContactStatus) -> &'static str {
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

/// The next deadline a case list row shows, in words: the acknowledgement while it is due,
/// then the response, the same deadline the list is sorted by.
pub(crate) fn describe_deadline(
    c: &redress_store::ContactSummary,
    calendar: &redress_domain::calendar::WorkingCalendar,
    today: jiff::civil::Date,
) -> (String, &'static str) {
    let next = if c.status == ContactStatus::Received && c.acknowledged_on.is_none() {
        c.acknowledge_by.or(c.respond_by)
    } else {
        c.respond_by
    };
    match next.filter(|_| c.status.is_open()) {
        Some(due) => {
            let (words, class) = describe_days(calendar.working_days_left(today, due));
            (format!("{}: {}", long_date(due), words), class)
        }
        None => ("None".into(), ""),
    }
}

/// The case list's filters, as typed in its query string.
pub(crate) async fn case_filter(
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
        Some("this-week") => Some(state.app.due_this_week().await?),
        _ => None,
    };
    let show = get("show");
    let show = show.as_deref();
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
        open: show == Some("open"),
        awaiting_triage: show == Some("triage"),
        follow_up: show == Some("follow-up"),
        safeguarding_due: show == Some("safeguarding"),
        hazard_open: show == Some("hazards"),
        emails_waiting: show == Some("emails"),
    })
}

/// Most rows a CSV of the case list holds; past that, narrow the filters.
pub(super) const CSV_ROWS: u32 = redress_store::MOST_PER_PAGE;

/// The case list as filtered, as CSV, with cells that cannot run as spreadsheet formulas.
pub(crate) async fn cases_csv(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    let mut filter = case_filter(&state, &q).await?;
    filter.page = 1;
    filter.per_page = CSV_ROWS;
    let page = state
        .app
        .list_cases_for(&Principal::staff(&signed.user), &filter)
        .await?;
    let date = |d: Option<jiff::civil::Date>| d.map(|d| d.to_string()).unwrap_or_default();
    let rows: Vec<Vec<String>> = page
        .items
        .iter()
        .map(|c| {
            // The list row carries the area's name already.
            let area = c.service_area.clone().unwrap_or_default();
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
    Ok(crate::download::csv(
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
    ))
}

pub(crate) async fn cases(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    let get = |k: &str| {
        q.get(k)
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let mut filters = FormState::default();
    for k in ["kind", "status", "area", "stage", "due", "assignee", "show"] {
        if let Some(v) = get(k) {
            filters.values.insert(k.into(), v);
        }
    }
    let filter = case_filter(&state, &q).await?;
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
        (Err(e), _, _, _) | (_, _, Err(e), _) => return Err(e.into()),
        (_, Err(e), _, _) | (_, _, _, Err(e)) => return Err(e.into()),
    };
    let today = state.app.today();
    let rows = page
        .items
        .iter()
        .map(|c| {
            let (deadline, deadline_class) = describe_deadline(c, &calendar, today);
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
    Ok(render(
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
    ))
}
