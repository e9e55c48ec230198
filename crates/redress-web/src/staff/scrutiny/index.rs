//! The Scrutiny page: every request sent, the referrals and serious failures followed
//! up, and the team's meetings to come and past.

use super::requests::can;
use crate::html::{FormState, long_date};
use crate::session::Scrutineer;
use crate::{AppState, Layout, error_page, render};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use redress_app::access::Principal;
use redress_app::auth::Signed;
use redress_domain::role::Permission;
use redress_domain::scrutiny::{Outcome, Request, Route};

pub fn routes() -> Router<AppState> {
    Router::new().route("/staff/scrutiny", get(index))
}

pub(crate) struct Row {
    pub(crate) id: String,
    pub(crate) reference: String,
    pub(crate) status: String,
    pub(crate) route: String,
    pub(crate) signatures: String,
    pub(crate) help: bool,
    pub(crate) meeting: String,
}

pub(crate) fn row(r: &Request) -> Row {
    Row {
        id: r.id.clone(),
        reference: r.reference.clone(),
        status: r.status.label().to_string(),
        route: r.route.map(|x| x.label().to_string()).unwrap_or_default(),
        signatures: match (r.route, r.threshold) {
            (Some(Route::Petition), Some(t)) => format!("{} of {t}", r.signatures),
            _ => String::new(),
        },
        help: r.form.as_ref().is_some_and(|f| f.help_wanted) && r.officer.is_none(),
        meeting: r
            .meeting
            .as_ref()
            .map(|(_, d)| long_date(*d))
            .unwrap_or_default(),
    }
}

/// A referral or serious failure being followed up, for the list on the Scrutiny page.
pub(crate) struct FollowRow {
    pub(crate) id: String,
    pub(crate) reference: String,
    pub(crate) decision: String,
    pub(crate) owner: String,
    pub(crate) due: String,
    pub(crate) overdue: bool,
    pub(crate) done: String,
}

pub(crate) struct MeetingRow {
    pub(crate) id: String,
    pub(crate) when: String,
    pub(crate) place: String,
    pub(crate) items: usize,
}

#[derive(Template)]
#[template(path = "scrutiny_index.html")]
pub(crate) struct IndexPage {
    pub(crate) layout: Layout,
    pub(crate) form: FormState,
    pub(crate) rows: Vec<Row>,
    /// Referrals and serious failures, each followed to its outcome, overdue first.
    pub(crate) follow_ups: Vec<FollowRow>,
    pub(crate) meetings: Vec<MeetingRow>,
    /// Meetings that have taken place (or were cancelled), latest first, for their minutes.
    pub(crate) past: Vec<MeetingRow>,
    pub(crate) can_schedule: bool,
    pub(crate) csrf: String,
}

fn meeting_row(m: &redress_domain::scrutiny::meeting::Meeting, requests: &[Request]) -> MeetingRow {
    MeetingRow {
        id: m.id.clone(),
        when: format!(
            "{} at {}{}",
            long_date(m.on),
            m.time,
            if m.cancelled { " (cancelled)" } else { "" }
        ),
        place: m.place.to_string(),
        items: requests
            .iter()
            .filter(|r| r.meeting.as_ref().is_some_and(|(id, _)| *id == m.id))
            .count(),
    }
}

fn follow_rows(requests: &[Request], today: jiff::civil::Date) -> Vec<FollowRow> {
    let mut rows: Vec<(bool, bool, FollowRow)> = requests
        .iter()
        .filter(|r| r.needs_follow_up() || r.follow_up.is_some())
        .map(|r| {
            let fu = r.follow_up.as_ref();
            let overdue = fu.is_some_and(|f| f.overdue(today));
            let done = fu.and_then(|f| f.done_on);
            (
                !overdue,
                done.is_some(),
                FollowRow {
                    id: r.id.clone(),
                    reference: r.reference.clone(),
                    decision: r
                        .decision
                        .as_ref()
                        .map(|d| match (&d.review_group, d.outcome) {
                            (Some(g), Outcome::Referred) => format!("Referred to {g}"),
                            (_, o) => o.label().to_string(),
                        })
                        .unwrap_or_default(),
                    owner: fu
                        .map(|f| f.owner.to_string())
                        .unwrap_or_else(|| "Not named yet".into()),
                    due: fu.map(|f| long_date(f.due)).unwrap_or_default(),
                    overdue,
                    done: done
                        .map(|d| format!("Done on {}", long_date(d)))
                        .unwrap_or_default(),
                },
            )
        })
        .collect();
    // Overdue first, then those still open, then those done.
    rows.sort_by_key(|(not_overdue, done, _)| (*not_overdue, *done));
    rows.into_iter().map(|(_, _, r)| r).collect()
}

pub(crate) async fn index_page(state: &AppState, signed: &Signed, form: FormState) -> Response {
    let (requests, meetings) = match (
        state
            .app
            .scrutiny_requests(&Principal::staff(&signed.user))
            .await,
        state.app.meetings(&Principal::staff(&signed.user)).await,
    ) {
        (Ok(r), Ok(m)) => (r, m),
        (Err(e), _) | (_, Err(e)) => return error_page(e),
    };
    let today = state.app.today();
    render(
        form.status(),
        &IndexPage {
            layout: Layout::staff(state, signed, "Resident scrutiny", &form),
            rows: requests.iter().map(row).collect(),
            follow_ups: follow_rows(&requests, today),
            meetings: meetings
                .iter()
                .filter(|m| !m.cancelled && m.on >= today)
                .map(|m| meeting_row(m, &requests))
                .collect(),
            past: meetings
                .iter()
                .rev()
                .filter(|m| m.cancelled || m.on < today)
                .take(12)
                .map(|m| meeting_row(m, &requests))
                .collect(),
            can_schedule: can(signed, Permission::SupportScrutiny),
            csrf: signed.csrf_token.clone(),
            form,
        },
    )
}

pub(crate) async fn index(
    State(state): State<AppState>,
    Scrutineer(signed): Scrutineer,
) -> Response {
    index_page(&state, &signed, FormState::default()).await
}
