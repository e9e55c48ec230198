//! Complaints waiting for a response today, most at risk of breach first.

use crate::html::{FormState, long_date};
use crate::session::Reader;
use crate::{AppState, Layout, PageResult, error_page, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use redress_app::access::Principal;

/// Open complaints in bands of risk, for management meetings.
pub(crate) struct Band {
    pub(crate) title: String,
    pub(crate) rows: Vec<OpenRow>,
}

pub(crate) struct OpenRow {
    pub(crate) reference: String,
    pub(crate) stage: u8,
    pub(crate) service_area: String,
    pub(crate) handler: Option<String>,
    pub(crate) respond_by: String,
    pub(crate) working_days_left: i64,
}

#[derive(Template)]
#[template(path = "open_complaints.html")]
pub(crate) struct OpenPage {
    pub(crate) layout: Layout,
    pub(crate) bands: Vec<Band>,
    pub(crate) total: usize,
    pub(crate) links: bool,
}

pub(crate) async fn open_csv(State(state): State<AppState>, Reader(signed): Reader) -> Response {
    match state
        .app
        .open_complaints(&Principal::staff(&signed.user))
        .await
    {
        Ok(open) => crate::download::csv(
            &format!("open-complaints-{}.csv", state.app.today()),
            &[
                "reference",
                "stage",
                "service_area",
                "handled_by",
                "respond_by",
                "working_days_left",
            ],
            &open
                .into_iter()
                .map(|o| {
                    vec![
                        o.reference,
                        o.stage.to_string(),
                        o.service_area,
                        o.handler.unwrap_or_default(),
                        o.respond_by.to_string(),
                        o.working_days_left.to_string(),
                    ]
                })
                .collect::<Vec<_>>(),
        ),
        Err(e) => error_page(e),
    }
}

pub(crate) async fn open_page(State(state): State<AppState>, Reader(signed): Reader) -> PageResult {
    let open = state
        .app
        .open_complaints(&Principal::staff(&signed.user))
        .await?;
    let total = open.len();
    let mut bands = vec![
        Band {
            title: "Past the response date".into(),
            rows: Vec::new(),
        },
        Band {
            title: "Due within 2 working days".into(),
            rows: Vec::new(),
        },
        Band {
            title: "Due within 5 working days".into(),
            rows: Vec::new(),
        },
        Band {
            title: "Due later".into(),
            rows: Vec::new(),
        },
    ];
    for o in open {
        let band = match o.working_days_left {
            d if d < 0 => 0,
            0..=2 => 1,
            3..=5 => 2,
            _ => 3,
        };
        if let Some(b) = bands.get_mut(band) {
            b.rows.push(OpenRow {
                respond_by: long_date(o.respond_by),
                reference: o.reference,
                stage: o.stage,
                service_area: o.service_area,
                handler: o.handler,
                working_days_left: o.working_days_left,
            });
        }
    }
    Ok(render(
        StatusCode::OK,
        &OpenPage {
            layout: Layout::staff(
                &state,
                &signed,
                "Open complaints by risk of breach",
                &FormState::default(),
            ),
            bands,
            total,
            links: signed
                .user
                .role
                .can(redress_domain::role::Permission::ViewCases),
        },
    ))
}
