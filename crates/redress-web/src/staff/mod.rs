//! Staff pages: sign in, the case list, a case, and recording a contact received by phone,
//! letter, in person or any other channel.

pub(crate) mod actions;
mod annual;
mod cases;
pub(crate) mod evidence;
mod improvements;
mod letter_checks;
mod letters;
mod login;
mod my_work;
mod panel;
pub(crate) mod reports;
mod scrutiny;
mod sso;
mod work;

use crate::{AppState, Layout, StaffNav};
use axum::Router;
use axum::routing::{get, post};
use redress_app::auth::Signed;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(letters::routes())
        .merge(letter_checks::routes())
        .merge(reports::routes())
        .merge(annual::routes())
        .merge(evidence::routes())
        .merge(improvements::routes())
        .merge(scrutiny::routes())
        .merge(panel::routes())
        .route("/staff", get(my_work::my_work))
        .route("/staff/login", get(login::login_form).post(login::login))
        .route("/staff/logout", post(login::logout))
        .route("/staff/sso/start", get(sso::start))
        .route("/staff/sso/callback", get(sso::callback))
        .route("/staff/cases", get(cases::cases))
        .route("/staff/cases.csv", get(cases::cases_csv))
        .route("/staff/actions", get(work::open_actions))
        .route("/staff/workload", get(work::workload))
        .route(
            "/staff/cases/new",
            get(cases::new_contact_form).post(cases::new_contact),
        )
        .route("/staff/cases/{reference}", get(cases::case))
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

pub(crate) fn staff_layout(state: &AppState, title: &str, signed: &Signed) -> Layout {
    let mut layout = Layout::new(state, title);
    layout.staff = Some(StaffNav::for_user(signed));
    layout
}
