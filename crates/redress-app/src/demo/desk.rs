//! The complaints officer's desk in the demonstration: letters signed and ending with the
//! organisation's contact details, drafts waiting for Priya to check and send, a final
//! response that needs a second person, a compliment emailed to the colleague it praises,
//! and an unhappy survey answer to follow up.

use super::DEMO_DOMAIN;
use crate::access::Principal;
use crate::{App, AppError};
use redress_domain::case::{Command, PointDecision};
use redress_domain::contact::{ContactKind, ContactStatus};
use redress_domain::event::Actor;
use redress_domain::survey::{Rating, SurveyAnswer};
use redress_store::ContactFilter;
use std::collections::BTreeMap;

/// How the demonstration organisation signs its letters, set before any are written.
pub(super) async fn signing(app: &App) -> Result<(), AppError> {
    let settings: BTreeMap<String, String> = [
        ("signatory_name", "Priya Shah"),
        ("signatory_title", "Complaints Officer"),
        ("final_name", "Rhian Morgan"),
        ("final_title", "Head of Customer Experience"),
        ("final_approval", "yes"),
        ("payment_limit", "250"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    app.save_letter_settings(&Principal::System, &settings)
        .await?;
    let reach: BTreeMap<String, String> = [
        ("phone", "0300 123 4567"),
        ("textphone", "18001 0300 123 4567"),
        ("email", "complaints@demo-homes.example"),
        (
            "address",
            "Complaints team\nDemo Homes\n1 High Street\nCardiff CF10 1AA",
        ),
        ("hours", "Monday to Friday, 9am to 5pm"),
        (
            "safeguarding_line",
            "0300 123 4568, answered at any time, day or night",
        ),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    app.set_reach(&Principal::System, &reach).await
}

pub(super) async fn desk(app: &App) -> Result<(), AppError> {
    let user = |login: &str| {
        let email = format!("{login}@{DEMO_DOMAIN}");
        async move {
            app.store
                .user_by_email(&email)
                .await?
                .map(|(u, _)| u)
                .ok_or_else(|| AppError::Setup(format!("demo user {email} is missing")))
        }
    };
    let priya = user("officer").await?;
    let tom = user("caseworker").await?;
    let gareth = user("manager").await?;
    let as_priya = Principal::Staff(priya.clone());
    let hers = |status| ContactFilter {
        assignee: Some(priya.id.clone()),
        kind: Some(ContactKind::Complaint),
        status: Some(status),
        per_page: 5,
        page: 1,
        ..ContactFilter::default()
    };
    // Priya responds to one complaint: the response and its survey wait as drafts.
    if let Some(c) = app
        .list_cases(&hers(ContactStatus::Acknowledged))
        .await?
        .items
        .first()
    {
        let respond = Command::Respond {
            on: app.today(),
            points: vec![PointDecision {
                point: "The repair was not done when promised".into(),
                upheld: true,
            }],
            reasons: "The contractor's records show the visit was missed twice. We have spoken to them and booked the repair.".into(),
            outstanding_actions: Some("The repair is booked for next week.".into()),
            early_resolution: false,
        };
        app.apply_command(&as_priya, c.reference.as_str(), respond, None)
            .await?;
    }
    // And acknowledges a new one: the acknowledgement waits too.
    if let Some(c) = app
        .list_cases(&hers(ContactStatus::Received))
        .await?
        .items
        .first()
    {
        let ack = Command::Acknowledge {
            on: app.today(),
            understanding: "You told us the repair has not been done.".into(),
            outcome_wanted: "The repair done, and to be kept informed.".into(),
        };
        app.apply_command(&as_priya, c.reference.as_str(), ack, None)
            .await?;
    }
    // A compliment for Tom reaches him and his manager by email.
    let compliments = app
        .list_cases(&ContactFilter {
            kind: Some(ContactKind::Compliment),
            open: true,
            per_page: 1,
            page: 1,
            ..ContactFilter::default()
        })
        .await?;
    if let Some(c) = compliments.items.first() {
        let pass = Command::PassOn {
            on: app.today(),
            to: tom.name.clone(),
            manager: gareth.name.clone(),
            notify: vec![tom.id.clone(), gareth.id.clone()],
        };
        app.apply_command(&as_priya, c.reference.as_str(), pass, None)
            .await?;
    }
    // A resident unhappy with a closed complaint's outcome waits for a call back.
    let closed = app
        .list_cases(&ContactFilter {
            kind: Some(ContactKind::Complaint),
            status: Some(ContactStatus::Closed),
            per_page: 1,
            page: 1,
            ..ContactFilter::default()
        })
        .await?;
    if let Some(c) = closed.items.first() {
        let answer = SurveyAnswer {
            stage: c.stage,
            answered_on: app.today(),
            handling: Rating::Dissatisfied,
            outcome: Some(Rating::VeryDissatisfied),
            why: Some("The repair was done but the mess was left behind.".into()),
            better: Some("Check the work before closing the job.".into()),
        };
        app.apply_as(
            c.reference.as_str(),
            Command::RecordSurvey { answer },
            Actor::public(),
        )
        .await?;
    }
    Ok(())
}
