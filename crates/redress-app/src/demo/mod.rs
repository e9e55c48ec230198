//! Demonstration data: an organisation with service areas, a member of staff in every role
//! and about fifty contacts of every kind, channel and state. Created once.

mod desk;
mod inbox;
mod scrutiny;

use crate::{App, AppError};
use jiff::{SignedDuration, Timestamp};
use redress_domain::case::{Assignee, Command, CommentOutcome, PointDecision};
use redress_domain::contact::{Channel, ContactInput, ContactKind, Source, uk_date};
use redress_domain::event::Actor;
use redress_domain::organisation::{HomesCount, ServiceArea, Tenure};
use redress_domain::role::Role;

pub const DEMO_PASSWORD: &str = "demo-password-1";
pub const DEMO_DOMAIN: &str = "demo.redress.test";

pub const DEMO_USERS: &[(&str, &str, Role)] = &[
    ("admin", "Alex Admin", Role::Admin),
    ("officer", "Priya Shah", Role::ComplaintsOfficer),
    ("caseworker", "Tom Evans", Role::CaseWorker),
    ("caseworker2", "Nia Roberts", Role::CaseWorker),
    ("manager", "Gareth Hughes", Role::ServiceManager),
    ("scrutiny", "Mary O'Neill", Role::ScrutinyMember),
    ("appeals", "Sam Okafor", Role::AppealPanelMember),
    // The Link Group members an appeal panel is chosen from.
    ("link1", "Ann Parry", Role::AppealPanelMember),
    ("link2", "Ben Carter", Role::AppealPanelMember),
    ("link3", "Cai Morris", Role::AppealPanelMember),
    ("link4", "Dee Walsh", Role::AppealPanelMember),
    ("auditor", "Helen Clarke", Role::Auditor),
    ("board", "David Lewis", Role::GoverningBody),
    ("executive", "Priya Shah", Role::Executive),
    ("panel", "Rhys Bowen", Role::TenantsPanel),
];

const AREAS: &[&str] = &[
    "Repairs and maintenance",
    "Anti-social behaviour",
    "Rents and service charges",
    "Estate services",
    "Lettings and allocations",
];

const NAMES: &[&str] = &[
    "Aled Jones",
    "Bethan Morgan",
    "Carys Price",
    "Dafydd Williams",
    "Eleanor Smith",
    "Farah Ahmed",
    "George Brown",
    "Hannah Davies",
    "Imran Khan",
    "Julia Nowak",
    "Kwame Mensah",
    "Lowri Thomas",
    "Mohammed Ali",
    "Niamh Kelly",
    "Owen Griffiths",
    "Patricia Green",
];

/// (kind, area index, summary, outcome wanted)
const STORIES: &[(ContactKind, usize, &str, &str)] = &[
    (
        ContactKind::Complaint,
        0,
        "Damp and black mould in the children's bedroom has come back three times since the last treatment.",
        "Find and fix the cause of the damp, not just paint over it.",
    ),
    (
        ContactKind::Complaint,
        0,
        "The boiler has broken down twice this month and the engineer did not turn up on the booked day.",
        "A working boiler and compensation for the days without heating.",
    ),
    (
        ContactKind::Complaint,
        1,
        "My neighbour plays loud music every night until 3am and I reported it four times without any reply.",
        "Someone to take the reports seriously and contact me back.",
    ),
    (
        ContactKind::Complaint,
        2,
        "My service charge went up by 40% with no explanation of what the money is for.",
        "A breakdown of the charges and a correction if they are wrong.",
    ),
    (
        ContactKind::Complaint,
        0,
        "The kitchen ceiling is leaking from the flat above and water is coming through the light fitting.",
        "Make it safe today and repair the ceiling.",
    ),
    (
        ContactKind::Complaint,
        3,
        "The communal stairwell lights have been out for six weeks and my elderly mother has fallen.",
        "Fix the lights and check the stairwell is safe.",
    ),
    (
        ContactKind::Complaint,
        4,
        "I was told my housing application was lost and I have to start again after two years on the list.",
        "Restore my original application date.",
    ),
    (
        ContactKind::Complaint,
        0,
        "Contractors left rubble and a broken window after fitting new doors.",
        "Clear up and repair the window.",
    ),
    (
        ContactKind::Complaint,
        2,
        "A direct debit was taken twice in one month and I went overdrawn.",
        "Refund the extra payment and the bank charges.",
    ),
    (
        ContactKind::Complaint,
        1,
        "Drug dealing from the empty flat on the ground floor and nobody is acting on it.",
        "Secure the empty flat and work with the police.",
    ),
    (
        ContactKind::ServiceRequest,
        0,
        "The bathroom extractor fan has stopped working.",
        "Repair the fan.",
    ),
    (
        ContactKind::ServiceRequest,
        3,
        "Fly-tipping behind block C needs clearing.",
        "Clear the rubbish.",
    ),
    (
        ContactKind::ServiceRequest,
        0,
        "The front door lock is stiff and hard to open.",
        "Fix the lock.",
    ),
    (
        ContactKind::Comment,
        3,
        "It would help if the grass cutting schedule was posted in the lobby.",
        "",
    ),
    (
        ContactKind::Comment,
        2,
        "The new online rent statement is much clearer, but please add a print button.",
        "",
    ),
    (
        ContactKind::Compliment,
        0,
        "Huw the plumber was polite, tidy and fixed the leak in twenty minutes.",
        "",
    ),
    (
        ContactKind::Compliment,
        3,
        "The caretaker team have made the gardens lovely this summer.",
        "",
    ),
    (
        ContactKind::Compliment,
        4,
        "Thank you to the lettings officer who helped me move somewhere accessible.",
        "",
    ),
    (
        ContactKind::OtherRoute,
        1,
        "I want to report a member of staff for fraud.",
        "",
    ),
];

const CHANNELS: &[Channel] = &[
    Channel::Phone,
    Channel::Email,
    Channel::WebForm,
    Channel::Letter,
    Channel::InPerson,
    Channel::Textphone,
    Channel::SocialMedia,
    Channel::ViaAdvocate,
    Channel::ViaCouncillorOrMp,
    Channel::LeafletForm,
];

/// Creates the demo data unless it is there already. Returns true when it was created.
pub async fn create(app: &App) -> Result<bool, AppError> {
    let officer = format!("officer@{DEMO_DOMAIN}");
    if app.store.user_by_email(&officer).await?.is_some() {
        return Ok(false);
    }
    let org = app.organisation.id.clone();
    for (login, name, role) in DEMO_USERS {
        app.add_user(
            &crate::access::Principal::System,
            &format!("{login}@{DEMO_DOMAIN}"),
            name,
            *role,
            DEMO_PASSWORD,
        )
        .await?;
    }
    let mut area_ids = Vec::new();
    for (i, name) in AREAS.iter().enumerate() {
        let area = ServiceArea {
            id: format!("area-{}", i + 1),
            name: (*name).to_string(),
            scheme: app.organisation.default_scheme.clone(),
        };
        app.store.add_service_area(&org, &area).await?;
        area_ids.push(area.id);
    }
    // Repairs residents may ask the Tenants Panel, which has 15 working days for its input.
    if let Some(repairs) = area_ids.first() {
        app.store
            .set_setting(&org, &format!("tenants-panel:{repairs}"), "15")
            .await?;
    }
    let mut panel_asked = false;
    // The demo service manager looks after repairs, so signing in as them shows scoping.
    if let Some((manager, _)) = app
        .store
        .user_by_email(&format!("manager@{DEMO_DOMAIN}"))
        .await?
    {
        let repairs: Vec<String> = area_ids.iter().take(1).cloned().collect();
        app.store.set_user_areas(&manager.id, &repairs).await?;
    }
    let year = app.today().year();
    for (tenure, homes) in [
        (Tenure::LowCostRental, 8_420),
        (Tenure::LowCostHomeOwnership, 1_150),
    ] {
        app.store
            .set_homes(
                &org,
                &HomesCount {
                    year,
                    tenure,
                    homes,
                },
            )
            .await?;
    }

    desk::signing(app).await?;
    let officer_actor = Actor::staff("demo", "Priya Shah");
    let mut staff = Vec::new();
    for login in ["officer", "admin", "caseworker", "caseworker2"] {
        if let Some((user, _)) = app
            .store
            .user_by_email(&format!("{login}@{DEMO_DOMAIN}"))
            .await?
        {
            staff.push(Assignee {
                user_id: user.id,
                name: user.name,
            });
        }
    }
    if staff.len() < 4 {
        return Err(AppError::Setup("demo staff are missing".into()));
    }
    let calendar = app.calendar().await?;
    for n in 0..50usize {
        let (kind, area, summary, outcome) = STORIES[n % STORIES.len()];
        let channel = if kind == ContactKind::Complaint && n % 3 == 2 {
            Channel::WebForm
        } else {
            CHANNELS[n % CHANNELS.len()]
        };
        let received = ago(app.now(), (n as i64 * 29) % 70 + 1, (n as i64 * 7) % 9 + 8);
        let anonymous = n % 13 == 5;
        let name = NAMES[n % NAMES.len()];
        let input = ContactInput {
            kind: kind.as_str().into(),
            channel: channel.as_str().into(),
            who: if anonymous {
                "anonymous"
            } else if channel == Channel::ViaAdvocate {
                "someone-else"
            } else {
                "myself"
            }
            .into(),
            name: if anonymous {
                String::new()
            } else {
                name.into()
            },
            email: if anonymous {
                String::new()
            } else {
                format!(
                    "{}@example.org",
                    name.to_lowercase().replace([' ', '\''], ".")
                )
            },
            phone: if n % 2 == 0 && !anonymous {
                "029 2018 0000".into()
            } else {
                String::new()
            },
            postcode: if anonymous {
                String::new()
            } else {
                ["CF10 1AA", "CF24 3DL", "NP20 1GA", "SA1 3SN"][n % 4].into()
            },
            rep_name: if channel == Channel::ViaAdvocate {
                "Rhian Advocate".into()
            } else {
                String::new()
            },
            rep_relationship: if channel == Channel::ViaAdvocate {
                "advocate".into()
            } else {
                String::new()
            },
            rep_email: if channel == Channel::ViaAdvocate {
                "rhian@advocacy.example.org".into()
            } else {
                String::new()
            },
            rep_authority: if channel == Channel::ViaAdvocate {
                "written-consent".into()
            } else {
                String::new()
            },
            summary: summary.into(),
            outcome_wanted: outcome.into(),
            tenure: if n % 5 == 4 {
                "low-cost-home-ownership"
            } else {
                "low-cost-rental"
            }
            .into(),
            service_area: area_ids.get(area).cloned().unwrap_or_default(),
            preferred_contact: if anonymous {
                String::new()
            } else if n % 4 == 0 {
                "letter".into()
            } else {
                "email".into()
            },
            preferred_format: match n % 9 {
                0 => "large-print",
                3 => "easy-read",
                6 => "braille",
                _ => "standard",
            }
            .into(),
            language: if n % 7 == 0 {
                "Cymraeg".into()
            } else {
                String::new()
            },
            needs: if n % 6 == 0 {
                "Uses a screen reader; please send accessible documents.".into()
            } else {
                String::new()
            },
            vulnerabilities: if n % 8 == 0 {
                "Lives alone with a long-term health condition.".into()
            } else {
                String::new()
            },
            address: if n % 4 == 0 && !anonymous {
                format!("{} Heol y Felin, Caerdydd", n + 1)
            } else {
                String::new()
            },
            safeguarding: if n == 9 { "yes".into() } else { String::new() },
            about_vulnerable_group: if anonymous && kind == ContactKind::Complaint {
                "yes".into()
            } else {
                String::new()
            },
            wants_reply: if kind == ContactKind::Comment && n % 2 == 0 {
                "yes".into()
            } else {
                String::new()
            },
            staff_named: if kind == ContactKind::Compliment {
                "Repairs team".into()
            } else {
                String::new()
            },
            other_route: if kind == ContactKind::OtherRoute {
                "whistleblowing".into()
            } else {
                String::new()
            },
            received_date: uk_date(received).to_string(),
            received_time: format!("{:02}:{:02}", (n * 7) % 9 + 8, (n * 13) % 60),
            ..Default::default()
        };
        let mut contact = app
            .receive(&input, Source::Staff, Actor::system(), None)
            .await?
            .into_contact();
        let reference = contact.reference.to_string();
        let state = n % 5;
        let act = |command| app.apply_as(&reference, command, officer_actor.clone());
        let later = |from: jiff::civil::Date, days| {
            calendar
                .add_working_days(from, days)
                .unwrap_or(from)
                .min(app.today())
        };
        if kind == ContactKind::Complaint {
            let officer = &staff[n % 2];
            contact = act(Command::AssignOfficer {
                to: officer.clone(),
                reason: None,
            })
            .await?;
            if state >= 1 {
                contact = act(Command::AssignHandler {
                    to: staff[2 + n % 2].clone(),
                    reason: None,
                })
                .await?;
                let on = later(contact.received_on, 2);
                contact = act(Command::Acknowledge {
                    on,
                    understanding: format!("The resident says: {summary}"),
                    outcome_wanted: if outcome.is_empty() {
                        "An explanation".into()
                    } else {
                        outcome.into()
                    },
                })
                .await?;
                if state == 2 && n % 3 == 0 {
                    let due = contact.respond_by().unwrap_or(on);
                    contact = act(Command::Extend {
                        on: on.min(due),
                        to: later(due, 5).max(calendar.add_working_days(due, 5).unwrap_or(due)),
                        reason: "Waiting for the contractor's inspection report".into(),
                        resident_told_on: on.min(due),
                        good_reason: None,
                    })
                    .await?;
                }
                if state >= 3 {
                    let sent = later(on, 8);
                    contact = act(Command::Respond {
                        on: sent,
                        points: vec![
                            PointDecision {
                                point: "What went wrong".into(),
                                upheld: n % 2 == 0,
                            },
                            PointDecision {
                                point: "How we communicated".into(),
                                upheld: n % 3 == 0,
                            },
                        ],
                        reasons: "We checked the repair records and spoke to the staff involved."
                            .into(),
                        outstanding_actions: Some(
                            "Follow-up visit booked within 10 working days".into(),
                        ),
                        early_resolution: false,
                    })
                    .await?;
                    if state == 4 {
                        contact = act(Command::Close { on: sent }).await?;
                    }
                    let in_repairs = contact.detail.service_area.as_deref()
                        == area_ids.first().map(String::as_str);
                    if state == 3 && in_repairs && !panel_asked {
                        panel_asked = true;
                        contact = act(Command::AskTenantsPanel {
                            on: sent,
                            why: "The response does not say when the damp will be treated.".into(),
                            within: 0,
                        })
                        .await?;
                    }
                }
            }
        } else if state >= 2 {
            let on = later(contact.received_on, 3);
            match kind {
                ContactKind::Comment => {
                    if contact.detail.wants_reply {
                        act(Command::ReplyToComment {
                            on,
                            text: "Thank you: we have shared this with the team.".into(),
                        })
                        .await?;
                    }
                    act(Command::DecideComment {
                        on,
                        outcome: CommentOutcome::ActedOn,
                        reason: None,
                    })
                    .await?;
                }
                ContactKind::Compliment => {
                    act(Command::PassOn {
                        on,
                        to: "Repairs team".into(),
                        manager: "Gareth Hughes".into(),
                        notify: Vec::new(),
                    })
                    .await?;
                    act(Command::Close { on }).await?;
                }
                _ => {
                    act(Command::Close { on }).await?;
                }
            }
        }
    }
    desk::desk(app).await?;
    inbox::emails(app).await?;
    scrutiny::scrutiny(app, &area_ids).await?;
    Ok(true)
}

fn ago(now: Timestamp, days: i64, hour: i64) -> Timestamp {
    now.checked_sub(SignedDuration::from_hours(days * 24 + hour % 5))
        .unwrap_or(now)
}
