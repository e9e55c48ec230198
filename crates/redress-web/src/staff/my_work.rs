//! My work: the staff home page. A member of staff starts here, not at a list of every
//! contact: their cases by the next deadline, what needs doing first, and for a team lead
//! the same across the cases they oversee. Every count links to the list it counts.

use super::cases::{describe_deadline, status_class};
use super::letter_checks::state_words;
use super::staff_layout;
use crate::html::long_date;
use crate::session::AnyStaff;
use crate::{AppState, Layout, PageResult, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use redress_app::access::Principal;
use redress_app::my_work::Counts;
use redress_domain::role::Permission;
use redress_store::{ContactSummary, StoredLetter};

pub(crate) struct CaseLine {
    reference: String,
    kind: String,
    name: String,
    status: String,
    status_class: &'static str,
    deadline: String,
    deadline_class: &'static str,
    priority: bool,
}

pub(crate) struct LetterLine {
    id: String,
    reference: String,
    subject: String,
    state: &'static str,
}

/// A count with the words for it and the list it links to.
pub(crate) struct Tile {
    n: i64,
    words: &'static str,
    /// Whose cases, for a screen reader listing links out of their lists.
    whose: &'static str,
    href: String,
    urgent: bool,
}

pub(crate) struct ActionLine {
    reference: String,
    what: String,
    due: String,
    class: &'static str,
}

#[derive(Template)]
#[template(path = "my_work.html")]
pub(crate) struct MyWorkPage {
    layout: Layout,
    name: String,
    /// An administrator is told when residents have no way shown to reach the organisation.
    reach_missing: bool,
    /// Whether they take steps on cases (an auditor reads only).
    can_act: bool,
    safeguarding: Vec<CaseLine>,
    hazards: Vec<redress_app::hazards::HazardDue>,
    /// Cases with new emails from the resident.
    emails: Vec<CaseLine>,
    tiles: Vec<Tile>,
    mine: Vec<CaseLine>,
    mine_link: String,
    drafts: Vec<LetterLine>,
    to_approve: Vec<LetterLine>,
    /// Letters to transcribe or translate: the line, what into, and by when.
    converting: Vec<(LetterLine, String, String)>,
    follow_ups: Vec<CaseLine>,
    actions: Vec<ActionLine>,
    team_tiles: Vec<Tile>,
    team_heading: String,
    workload: Vec<redress_store::Workload>,
    week_ends: String,
}

fn tiles(c: &Counts, base: &str, whose: &'static str) -> Vec<Tile> {
    let join = if base.contains('?') { '&' } else { '?' };
    let all = vec![
        Tile {
            n: c.overdue,
            words: "overdue",
            whose: "",
            href: format!("{base}{join}due=overdue"),
            urgent: c.overdue > 0,
        },
        Tile {
            n: c.due_this_week,
            words: "due in the next 5 working days",
            whose: "",
            href: format!("{base}{join}due=this-week"),
            urgent: false,
        },
        Tile {
            n: c.open,
            words: "open",
            whose: "",
            href: format!("{base}{join}show=open"),
            urgent: false,
        },
        Tile {
            n: c.awaiting_triage,
            words: "new, waiting for someone to take them",
            whose: "",
            href: "/staff/cases?show=triage".into(),
            urgent: c.awaiting_triage > 0,
        },
        Tile {
            n: c.follow_ups,
            words: "unhappy survey answers to follow up",
            whose: "",
            href: format!("{base}{join}show=follow-up"),
            urgent: c.follow_ups > 0,
        },
    ];
    all.into_iter().map(|t| Tile { whose, ..t }).collect()
}

fn case_line(
    c: &ContactSummary,
    calendar: &redress_domain::calendar::WorkingCalendar,
    today: jiff::civil::Date,
) -> CaseLine {
    let (deadline, deadline_class) = describe_deadline(c, calendar, today);
    CaseLine {
        reference: c.reference.to_string(),
        kind: c.kind.label().into(),
        name: c.name.clone().unwrap_or_else(|| "Anonymous".into()),
        status: c.status.label().into(),
        status_class: status_class(c.status),
        deadline,
        deadline_class,
        priority: c.priority,
    }
}

fn letter_line(l: StoredLetter) -> LetterLine {
    LetterLine {
        state: state_words(&l.status).0,
        reference: l.reference.to_string(),
        subject: l.subject,
        id: l.id,
    }
}

/// `/staff`: My work for those who see cases; the reports or scrutiny for everyone else.
pub(crate) async fn my_work(
    State(state): State<AppState>,
    AnyStaff(signed): AnyStaff,
) -> PageResult {
    let role = signed.user.role;
    if !role.can(Permission::ViewCases) {
        return Ok(Redirect::to(crate::page::home_for(role)).into_response());
    }
    let who = Principal::staff(&signed.user);
    let work = state.app.my_work(&who).await?;
    let calendar = state.app.calendar().await?;
    let today = state.app.today();
    let mine_link = format!("/staff/cases?assignee={}", signed.user.id);
    let (team_tiles, team_heading, workload) = match work.team {
        Some(team) => (
            tiles(
                &team.counts,
                "/staff/cases",
                if team.areas_only {
                    "in your service areas"
                } else {
                    "across everyone's cases"
                },
            ),
            if team.areas_only {
                "Your service areas".to_string()
            } else {
                "Everyone's cases".to_string()
            },
            team.workload,
        ),
        None => (Vec::new(), String::new(), Vec::new()),
    };
    let actions = work
        .actions
        .into_iter()
        .map(|a| {
            let overdue = a.due < today;
            ActionLine {
                reference: a.reference.to_string(),
                what: format!("{}: {}", a.label(), a.description),
                due: format!(
                    "{}{}",
                    long_date(a.due),
                    if overdue { " (overdue)" } else { "" }
                ),
                class: if overdue { "deadline--overdue" } else { "" },
            }
        })
        .collect();
    Ok(render(
        StatusCode::OK,
        &MyWorkPage {
            layout: staff_layout(&state, "My work", &signed),
            name: signed.user.name.clone(),
            reach_missing: role.can(Permission::Administer) && state.app.reach().is_empty(),
            can_act: role.can(Permission::HandleCases),
            safeguarding: work
                .safeguarding
                .iter()
                .map(|c| case_line(c, &calendar, today))
                .collect(),
            hazards: work.hazards.clone(),
            emails: work
                .emails
                .iter()
                .map(|c| case_line(c, &calendar, today))
                .collect(),
            tiles: tiles(&work.counts, &mine_link, "of my cases"),
            mine: work
                .mine
                .iter()
                .map(|c| case_line(c, &calendar, today))
                .collect(),
            mine_link,
            drafts: work.drafts.into_iter().map(letter_line).collect(),
            to_approve: work.to_approve.into_iter().map(letter_line).collect(),
            converting: work
                .converting
                .into_iter()
                .map(|l| {
                    let need = l.convert.clone().unwrap_or_default();
                    let by = l.convert_by.map(long_date).unwrap_or_default();
                    (letter_line(l), need, by)
                })
                .collect(),
            follow_ups: work
                .follow_ups
                .iter()
                .map(|c| case_line(c, &calendar, today))
                .collect(),
            actions,
            team_tiles,
            team_heading,
            workload,
            week_ends: long_date(work.week_ends),
        },
    ))
}
