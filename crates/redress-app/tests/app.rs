//! Use cases end to end on a real store: the demonstration data in particular, which a new
//! user sees first. Runs on SQLite, and on PostgreSQL when `REDRESS_TEST_POSTGRES_URL` is set.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "app/formats.rs"]
mod formats;
#[path = "app/hardening.rs"]
mod hardening;
#[path = "app/permissions.rs"]
mod permissions;
#[path = "app/reporting.rs"]
mod reporting;
#[path = "app/safeguarding.rs"]
mod safeguarding;
#[path = "app/schemes.rs"]
mod schemes;
#[path = "app/working_day.rs"]
mod working_day;

use redress_app::access::Principal;
use redress_app::{App, demo, settings};
use redress_domain::calendar::Division;
use redress_domain::contact::{ContactKind, ContactStatus};
use redress_store::{ContactFilter, Store};
use redress_testkit::{on_each_backend, on_each_database};

#[tokio::test]
async fn the_demo_is_created_once_with_every_kind_and_state() {
    on_each_backend(|store| async move {
        settings::ensure_organisation(&store, "Demo Homes", Division::EnglandAndWales, "hos-2024")
            .await
            .unwrap();
        let app = App::load(store.clone()).await.unwrap();
        assert!(demo::create(&app).await.unwrap());
        assert!(
            !demo::create(&app).await.unwrap(),
            "a second start leaves the demo alone"
        );
        let all = ContactFilter {
            per_page: 200,
            ..Default::default()
        };
        let page = app.list_cases_for(&Principal::System, &all).await.unwrap();
        // Fifty recorded, and one that came in by email.
        assert_eq!(page.total, 51);
        let emailed = page
            .items
            .iter()
            .find(|c| c.summary.starts_with("Lift out of order again"))
            .expect("the demo's emailed contact");
        assert_eq!(emailed.kind, ContactKind::ServiceRequest);
        for kind in ContactKind::ALL {
            assert!(page.items.iter().any(|c| c.kind == *kind), "{kind:?}");
        }
        for status in [
            ContactStatus::Received,
            ContactStatus::Acknowledged,
            ContactStatus::Responded,
            ContactStatus::Closed,
        ] {
            assert!(page.items.iter().any(|c| c.status == status), "{status:?}");
        }
        assert_eq!(store.users().await.unwrap().len(), demo::DEMO_USERS.len());
        let workload = store
            .workload(&app.organisation.id, app.today(), None)
            .await
            .unwrap();
        assert!(workload.iter().any(|w| w.as_case_worker > 0));
    })
    .await;
}

/// A small SMTP server for the tests: accepts mail (or answers 451 to every sender when
/// `reject`), and keeps what it was sent.
async fn smtp_server(reject: bool) -> (u16, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let received = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let store = received.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let store = store.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                let _ = write.write_all(b"220 test ESMTP\r\n").await;
                let mut data: Option<String> = None;
                while let Ok(Some(line)) = lines.next_line().await {
                    if let Some(buf) = data.as_mut() {
                        if line == "." {
                            store.lock().unwrap().push(std::mem::take(buf));
                            data = None;
                            let _ = write.write_all(b"250 queued\r\n").await;
                        } else {
                            buf.push_str(&line);
                            buf.push('\n');
                        }
                        continue;
                    }
                    let upper = line.to_ascii_uppercase();
                    let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                        b"250-test\r\n250 8BITMIME\r\n"
                    } else if upper.starts_with("MAIL") && reject {
                        b"451 4.3.0 try again later\r\n"
                    } else if upper.starts_with("DATA") {
                        data = Some(String::new());
                        b"354 go ahead\r\n"
                    } else if upper.starts_with("QUIT") {
                        let _ = write.write_all(b"221 bye\r\n").await;
                        break;
                    } else {
                        b"250 ok\r\n"
                    };
                    let _ = write.write_all(reply).await;
                }
            });
        }
    });
    (port, received)
}

async fn acknowledged_complaint(app: &App) -> redress_domain::contact::Contact {
    use redress_domain::case::Command;
    use redress_domain::contact::{ContactInput, Source};
    let input = ContactInput {
        kind: "complaint".into(),
        channel: "email".into(),
        who: "myself".into(),
        name: "Aled Jones".into(),
        email: "aled@example.org".into(),
        preferred_contact: "email".into(),
        summary: "Nobody came to fix the leak".into(),
        // Erasure must take these out of the figures too.
        age_band: "35-44".into(),
        ..Default::default()
    };
    let c = app
        .submit_contact(&Principal::System, &input, Source::Staff, None)
        .await
        .unwrap()
        .into_contact();
    let ack = Command::Acknowledge {
        on: app.today(),
        understanding: "Missed repairs".into(),
        outcome_wanted: "A repair".into(),
    };
    let priya = officer("Priya Shah");
    let c = app
        .apply_command(&priya, c.reference.as_str(), ack, None)
        .await
        .unwrap();
    // The officer reads the acknowledgement and sends it.
    let letters = app
        .open_case(&priya, c.reference.as_str(), "test")
        .await
        .unwrap()
        .letters;
    assert_eq!(letters[0].status, "draft", "nothing leaves unchecked");
    let seen = redress_app::letter_checks::seen(&letters[0]);
    app.release_letter(&priya, &letters[0].id, &seen)
        .await
        .unwrap();
    c
}

#[tokio::test]
async fn an_acknowledgement_is_emailed_once() {
    on_each_backend(|store| async move {
        settings::ensure_organisation(&store, "Demo Homes", Division::EnglandAndWales, "hos-2024")
            .await
            .unwrap();
        let app = App::load(store.clone()).await.unwrap();
        let c = acknowledged_complaint(&app).await;
        let letters = store.letters(&app.organisation.id, &c.id).await.unwrap();
        assert_eq!(
            letters.len(),
            1,
            "acknowledging writes the letter in the same change"
        );
        assert_eq!(letters[0].status, "pending");

        let (port, received) = smtp_server(false).await;
        let mailer = redress_app::mail::Mailer::new(
            &format!("smtp://127.0.0.1:{port}"),
            "Complaints <complaints@demo.test>",
        )
        .unwrap();
        assert_eq!(app.deliver_outbox(&mailer).await.unwrap(), 1);
        assert_eq!(
            app.deliver_outbox(&mailer).await.unwrap(),
            0,
            "never sent twice"
        );
        let mail = received.lock().unwrap().clone();
        assert_eq!(mail.len(), 1);
        assert!(mail[0].contains("To: aled@example.org"), "{}", mail[0]);
        assert!(
            mail[0].contains(&format!(
                "Subject: We have received your complaint {}",
                c.reference
            )),
            "{}",
            mail[0]
        );
        assert!(mail[0].contains("text/html") && mail[0].contains("text/plain"));
        let sent = store.letters(&app.organisation.id, &c.id).await.unwrap();
        assert_eq!(sent[0].status, "sent");
    })
    .await;
}

#[tokio::test]
async fn a_refused_email_is_retried_later() {
    on_each_backend(|store| async move {
        settings::ensure_organisation(&store, "Demo Homes", Division::EnglandAndWales, "hos-2024")
            .await
            .unwrap();
        let app = App::load(store.clone()).await.unwrap();
        let c = acknowledged_complaint(&app).await;
        let (port, received) = smtp_server(true).await;
        let mailer = redress_app::mail::Mailer::new(
            &format!("smtp://127.0.0.1:{port}"),
            "complaints@demo.test",
        )
        .unwrap();
        assert_eq!(app.deliver_outbox(&mailer).await.unwrap(), 0);
        let letter = store
            .letters(&app.organisation.id, &c.id)
            .await
            .unwrap()
            .remove(0);
        assert_eq!((letter.status.as_str(), letter.attempts), ("pending", 1));
        assert!(
            letter
                .last_error
                .is_some_and(|e| e.contains("try again later"))
        );
        assert_eq!(
            app.deliver_outbox(&mailer).await.unwrap(),
            0,
            "not retried before its time"
        );
        assert!(received.lock().unwrap().is_empty());
    })
    .await;
}

#[tokio::test]
async fn staff_are_reminded_before_a_deadline_and_once_when_it_is_missed() {
    use redress_domain::case::{Assignee, Command};
    use redress_domain::contact::{ContactInput, Source};
    use redress_domain::role::Role;
    on_each_database(|url| async move {
        let store = Store::connect(&url).await.unwrap();
        settings::ensure_organisation(&store, "Demo Homes", Division::EnglandAndWales, "hos-2024")
            .await
            .unwrap();
        // Monday 2 March 2026: acknowledgement due Monday 9 March.
        let monday: jiff::Timestamp = "2026-03-02T10:00:00Z".parse().unwrap();
        let app = App::load(store.clone())
            .await
            .unwrap()
            .with_clock(move || monday);
        let officer = app
            .add_user(
                &Principal::System,
                "officer@test.org",
                "Priya Shah",
                Role::ComplaintsOfficer,
                "a-long-enough-password",
            )
            .await
            .unwrap();
        let input = ContactInput {
            kind: "complaint".into(),
            channel: "phone".into(),
            who: "anonymous".into(),
            summary: "Broken lift".into(),
            ..Default::default()
        };
        let c = app
            .submit_contact(&Principal::System, &input, Source::Staff, None)
            .await
            .unwrap()
            .into_contact();
        let assign = Command::AssignOfficer {
            to: Assignee {
                user_id: officer.id.clone(),
                name: officer.name.clone(),
            },
            reason: None,
        };
        app.apply_command(&Principal::System, c.reference.as_str(), assign, None)
            .await
            .unwrap();
        assert_eq!(
            app.send_reminders(2).await.unwrap(),
            0,
            "nothing due within two working days yet"
        );

        let thursday: jiff::Timestamp = "2026-03-05T10:00:00Z".parse().unwrap();
        let app = app.with_clock(move || thursday);
        // A second instance runs the same job at the same moment, on its own connections
        // where the backend has them: the reminder is raised once between them.
        let other_store = match store.backend() {
            "postgres" => Store::connect(&url).await.unwrap(),
            _ => store.clone(),
        };
        let other = App::load(other_store)
            .await
            .unwrap()
            .with_clock(move || thursday);
        let (mine, theirs) = tokio::join!(app.send_reminders(2), other.send_reminders(2));
        assert_eq!(
            mine.unwrap() + theirs.unwrap(),
            1,
            "once between two instances"
        );
        assert_eq!(app.send_reminders(2).await.unwrap(), 0, "once only");

        let late: jiff::Timestamp = "2026-03-10T10:00:00Z".parse().unwrap();
        let app = app.with_clock(move || late);
        assert_eq!(
            app.send_reminders(2).await.unwrap(),
            1,
            "the breach is its own reminder"
        );
        assert_eq!(app.send_reminders(2).await.unwrap(), 0);
        let letters = store.letters(&app.organisation.id, &c.id).await.unwrap();
        assert_eq!(letters.len(), 2);
        assert!(letters.iter().all(|l| l.recipient == "officer@test.org"));
        assert!(
            letters[0]
                .subject
                .contains("acknowledge within 2 working days"),
            "{}",
            letters[0].subject
        );
        assert!(
            letters[1]
                .subject
                .contains("the acknowledge deadline was missed"),
            "{}",
            letters[1].subject
        );
        store.close().await;
    })
    .await;
}

#[tokio::test]
async fn retention_erases_personal_data_and_the_figures_still_add_up() {
    use redress_domain::case::{Command, NoteKind, PointDecision};
    on_each_backend(|store| async move {
        settings::ensure_organisation(&store, "Demo Homes", Division::EnglandAndWales, "hos-2024")
            .await
            .unwrap();
        let app = App::load(store.clone()).await.unwrap();
        demo::create(&app).await.unwrap();
        let staff = officer("Priya Shah");
        let closed = acknowledged_complaint(&app).await;
        let r = closed.reference.as_str();
        let note = Command::AddNote {
            kind: NoteKind::CallWithResident,
            on: app.today(),
            text: "Aled says his daughter has asthma".into(),
        };
        app.apply_command(&staff, r, note, None).await.unwrap();
        let with_file = app
            .add_attachment(
                &staff,
                r,
                "damp.txt",
                b"photo notes",
                "Aled's damp notes",
                None,
            )
            .await
            .unwrap();
        let file_id = with_file.case.attachments[0].id.clone();
        let respond = Command::Respond {
            on: app.today(),
            points: vec![PointDecision {
                point: "Leak not fixed".into(),
                upheld: true,
            }],
            reasons: "Aled Jones waited too long".into(),
            outstanding_actions: None,
            early_resolution: false,
        };
        app.apply_command(&staff, r, respond, None).await.unwrap();
        app.apply_command(&staff, r, Command::Close { on: app.today() }, None)
            .await
            .unwrap();
        // A second, still open, case of the same person.
        let open = acknowledged_complaint(&app).await;

        // Erasure on request needs a reason and a closed case.
        assert!(matches!(
            app.erase_on_request(&staff_admin(), open.reference.as_str(), "Asked by the person").await,
            Err(redress_app::AppError::Invalid(e)) if e.get("reason").is_some()
        ));
        assert!(matches!(
            app.erase_on_request(&staff_admin(), r, " ").await,
            Err(redress_app::AppError::Invalid(e)) if e.get("reason").is_some()
        ));

        // Subject access finds both cases, whichever way the email is typed.
        let sar = app
            .subject_access(&Principal::System, "ALED@example.org", "")
            .await
            .unwrap();
        assert_eq!(sar.cases.len(), 2);
        assert!(
            sar.cases
                .iter()
                .all(|c| !c.letters.is_empty() && !c.history.is_empty())
        );

        // Redacting the open case's note removes its words from the history too.
        let open_note = Command::AddNote {
            kind: NoteKind::Note,
            on: app.today(),
            text: "Neighbour at number 4 says he is violent".into(),
        };
        app.apply_command(&staff, open.reference.as_str(), open_note, None)
            .await
            .unwrap();
        let redact = Command::RedactNote {
            index: 0,
            reason: "Third-party information".into(),
        };
        app.apply_command(&staff, open.reference.as_str(), redact, None)
            .await
            .unwrap();
        let open_view = app
            .case_for(&Principal::System, open.reference.as_str())
            .await
            .unwrap();
        let history = serde_json::to_string(&open_view.events).unwrap();
        assert!(!history.contains("violent"), "{history}");
        assert!(history.contains("Note 1 redacted: Third-party information"));

        let all = ContactFilter {
            per_page: 500,
            ..Default::default()
        };
        let counts = |page: &redress_store::Page<redress_store::ContactSummary>| {
            let mut v: Vec<(String, String, u8)> = page
                .items
                .iter()
                .map(|c| {
                    (
                        c.kind.as_str().to_string(),
                        c.status.as_str().to_string(),
                        c.stage,
                    )
                })
                .collect();
            v.sort();
            v
        };
        let before = app.list_cases_for(&Principal::System, &all).await.unwrap();

        // Seven years on, the retention job runs.
        let later = app.now() + jiff::SignedDuration::from_hours(24 * 365 * 7);
        let app7 = App::load(store.clone())
            .await
            .unwrap()
            .with_clock(move || later);
        let run = app7.run_retention().await.unwrap();
        assert!(run.erased.contains(&closed.reference));
        assert!(!run.erased.contains(&open.reference));
        assert_eq!(
            app7.run_retention().await.unwrap().erased,
            vec![],
            "once only"
        );

        let after = app7.list_cases_for(&Principal::System, &all).await.unwrap();
        assert_eq!(after.total, before.total);
        assert_eq!(counts(&after), counts(&before), "the figures survive");
        let year = redress_domain::measures::Period::financial_year(
            redress_domain::measures::Period::financial_year_of(app.today()),
        )
        .unwrap();
        figures_match_the_cases(&app7, &store, year, None).await;

        let view = app7.case_for(&Principal::System, r).await.unwrap();
        let c = &view.contact;
        assert_eq!(c.status, ContactStatus::Closed);
        assert_eq!(
            c.case.stages[0]
                .response
                .as_ref()
                .map(|r| r.points[0].upheld),
            Some(true)
        );
        let person = c.detail.person.as_ref().unwrap();
        assert_eq!(
            (person.name.as_str(), person.email.as_deref()),
            ("[erased]", None)
        );
        let everything = format!(
            "{}{}{}",
            serde_json::to_string(c).unwrap(),
            serde_json::to_string(&view.events).unwrap(),
            serde_json::to_string(&store.letters(&app.organisation.id, &c.id).await.unwrap())
                .unwrap()
        );
        for gone in ["Aled", "aled@example.org", "asthma", "leak", "damp"] {
            assert!(
                !everything.to_lowercase().contains(&gone.to_lowercase()),
                "{gone} survived"
            );
        }
        assert!(
            view.events
                .last()
                .unwrap()
                .summary
                .starts_with("Personal data erased")
        );
        assert_eq!(store.attachment(&c.id, &file_id).await.unwrap(), None);
        let search = ContactFilter {
            search: Some("Aled".into()),
            ..all.clone()
        };
        let found = app7
            .list_cases_for(&Principal::System, &search)
            .await
            .unwrap();
        assert!(found.items.iter().all(|s| s.reference != closed.reference));
        assert!(found.items.iter().any(|s| s.reference == open.reference));
        let sar = app7
            .subject_access(&Principal::System, "aled@example.org", "")
            .await
            .unwrap();
        assert_eq!(
            sar.cases.len(),
            1,
            "only the open case still holds the person"
        );
    })
    .await;
}

#[tokio::test]
async fn letters_give_the_ombudsman_details_the_organisation_set() {
    use redress_domain::case::{Command, DeclineReason};
    use redress_domain::contact::{ContactInput, Source};
    use redress_domain::scheme::Ombudsman;
    on_each_backend(|store| async move {
        settings::ensure_organisation(&store, "Demo Homes", Division::EnglandAndWales, "hos-2024")
            .await
            .unwrap();
        let app = App::load(store.clone()).await.unwrap();
        app.set_ombudsman_contact(
            &Principal::System,
            Ombudsman::Housing,
            "Ring 0300 111 3000 (our own wording)",
        )
        .await
        .unwrap();
        let input = ContactInput {
            kind: "complaint".into(),
            channel: "email".into(),
            who: "myself".into(),
            name: "Aled Jones".into(),
            email: "aled@example.org".into(),
            summary: "A neighbour dispute in court".into(),
            ..Default::default()
        };
        let c = app
            .submit_contact(&Principal::System, &input, Source::Staff, None)
            .await
            .unwrap()
            .into_contact();
        let decline = Command::Decline {
            on: app.today(),
            reason: DeclineReason::LegalProceedings,
            explanation: "The matter is before the county court.".into(),
        };
        app.apply_command(&officer("Priya Shah"), c.reference.as_str(), decline, None)
            .await
            .unwrap();
        let letters = store.letters(&app.organisation.id, &c.id).await.unwrap();
        let body = &letters.last().unwrap().body;
        assert!(
            body.contains("Ring 0300 111 3000 (our own wording)"),
            "{body}"
        );
        assert!(!body.contains("PO Box 1484"));
    })
    .await;
}

/// A fixture year (April 2025 to March 2026) of complaints, with every figure worked out
/// by hand in the comments.
/// Takes a database back to before the running totals were kept.
async fn forget_running_figures(store: &Store, url: &str) {
    // Migration 0007 made the running totals, on both backends.
    let sql = sqlx::AssertSqlSafe(
        "DROP TABLE complaint_people; DROP TABLE daily_figures; \
         DELETE FROM schema_migrations WHERE version = 7",
    );
    match store.backend() {
        "postgres" => {
            let pool = sqlx::PgPool::connect(url).await.unwrap();
            sqlx::raw_sql(sql).execute(&pool).await.unwrap();
            pool.close().await;
        }
        _ => {
            let pool = sqlx::SqlitePool::connect(url).await.unwrap();
            sqlx::raw_sql(sql).execute(&pool).await.unwrap();
            pool.close().await;
        }
    }
}

/// Checks the measures read from the running totals against counting the period's cases
/// one by one.
async fn figures_match_the_cases(
    app: &App,
    store: &Store,
    period: redress_domain::measures::Period,
    area: Option<&str>,
) {
    let org = &app.organisation.id;
    let contacts = store
        .contacts_for_report(org, period.from, period.to, area)
        .await
        .unwrap();
    let areas = store.service_areas(org).await.unwrap();
    let name = |id: Option<&str>| {
        id.and_then(|id| areas.iter().find(|a| a.id == id))
            .map(|a| a.name.clone())
            .unwrap_or_else(|| "No service area".into())
    };
    let afresh = redress_domain::measures::measures(
        &contacts,
        period,
        &app.calendar().await.unwrap(),
        &name,
    );
    let mut kept = app
        .measures(&Principal::System, period, area)
        .await
        .unwrap();
    // Read from the improvement register and the area asked for, not from the cases.
    kept.improvements_implemented = 0;
    kept.service_area = None;
    // A period not yet ended counts what is open as at today, and says so.
    let today = app.today();
    assert_eq!(kept.open_as_at, (period.to > today).then_some(today));
    kept.open_as_at = None;
    assert_eq!(kept, afresh, "{period:?} in {area:?}");
}

#[tokio::test]
async fn the_year_s_measures_and_tsm_match_the_hand_computed_figures() {
    use jiff::civil::{Date, date};
    use redress_domain::case::{Assignee, Command, DeclineReason, PointDecision};
    use redress_domain::contact::{ContactInput, Source};
    use redress_domain::measures::Period;
    use redress_domain::organisation::{HomesCount, Tenure};
    use redress_domain::remedy::{PaymentKind, Pence, RemedyKind};
    use redress_domain::scheme::Ombudsman;
    on_each_database(|url| async move {
        let store = Store::connect(&url).await.unwrap();
        settings::ensure_organisation(
            &store,
            "Fixture Homes",
            Division::EnglandAndWales,
            "hos-2024",
        )
        .await
        .unwrap();
        let now: jiff::Timestamp = "2026-05-01T12:00:00Z".parse().unwrap();
        let app = App::load(store.clone())
            .await
            .unwrap()
            .with_clock(move || now);
        let org = app.organisation.id.clone();
        for (tenure, homes) in [
            (Tenure::LowCostRental, 1000),
            (Tenure::LowCostHomeOwnership, 200),
        ] {
            store
                .set_homes(
                    &org,
                    &HomesCount {
                        year: 2025,
                        tenure,
                        homes,
                    },
                )
                .await
                .unwrap();
        }
        let staff = officer("Priya Shah");
        let receive = |received: &str, email: &str, tenure: &str, kind: &str| {
            let input = ContactInput {
                kind: kind.into(),
                channel: "phone".into(),
                who: "myself".into(),
                name: "Fixture Resident".into(),
                email: email.into(),
                tenure: tenure.into(),
                summary: "Repairs".into(),
                received_date: received.into(),
                received_time: "10:00".into(),
                ..Default::default()
            };
            let app = app.clone();
            async move {
                app.submit_contact(&Principal::System, &input, Source::Staff, None)
                    .await
                    .unwrap()
                    .into_contact()
                    .reference
                    .to_string()
            }
        };
        let act = |r: &str, c: Command| {
            let (app, staff, r) = (app.clone(), staff.clone(), r.to_string());
            async move { app.apply_command(&staff, &r, c, None).await.unwrap() }
        };
        let ack = |on: Date| Command::Acknowledge {
            on,
            understanding: "Repairs".into(),
            outcome_wanted: "Fix".into(),
        };
        let respond = |on: Date, upheld: &[bool]| Command::Respond {
            on,
            points: upheld
                .iter()
                .enumerate()
                .map(|(i, u)| PointDecision {
                    point: format!("Point {i}"),
                    upheld: *u,
                })
                .collect(),
            reasons: "Reasons".into(),
            outstanding_actions: None,
            early_resolution: false,
        };
        let close = |on: Date| Command::Close { on };
        let lcra = "low-cost-rental";

        // A: received before the year; its stage 1 response (2 Apr, due 4 Apr) is in it.
        let a = receive("2025-03-20", "a@example.org", lcra, "complaint").await;
        act(&a, ack(date(2025, 3, 21))).await;
        let c = act(&a, respond(date(2025, 4, 2), &[true])).await;
        assert_eq!(c.case.stages[0].respond_by, date(2025, 4, 4));
        act(&a, close(date(2025, 4, 2))).await;
        // B: on time and upheld; £150 compensation approved 21 May.
        let b = receive("2025-05-06", "b@example.org", lcra, "complaint").await;
        let c = act(&b, ack(date(2025, 5, 7))).await;
        assert_eq!(
            (c.case.stages[0].acknowledge_by, c.respond_by()),
            (Some(date(2025, 5, 13)), Some(date(2025, 5, 21)))
        );
        act(&b, respond(date(2025, 5, 20), &[true])).await;
        act(&b, close(date(2025, 5, 20))).await;
        let remedy = Command::AddRemedy {
            kind: RemedyKind::Financial,
            description: "Compensation for the delay".into(),
            owner: Assignee {
                user_id: "u".into(),
                name: "Priya Shah".into(),
            },
            due: date(2025, 6, 1),
            payment: Some((PaymentKind::Compensation, Pence(15_000))),
        };
        act(&b, remedy).await;
        act(
            &b,
            Command::ApprovePayment {
                id: 1,
                on: date(2025, 5, 21),
            },
        )
        .await;
        // C: acknowledged late (due 9 Jun; a late acknowledgement does not move the response
        // date, 23 Jun), extended within the Code by 10 working days to 7 Jul, answered
        // 7 Jul (on time in the main figure, late in the strict one), escalated 15 Jul,
        // stage 2 due 13 Aug but answered 20 Aug, closed, then referred to the ombudsman.
        let c_ref = receive("2025-06-02", "c@example.org", lcra, "complaint").await;
        let c = act(&c_ref, ack(date(2025, 6, 10))).await;
        assert_eq!(
            (c.case.stages[0].acknowledge_by, c.respond_by()),
            (Some(date(2025, 6, 9)), Some(date(2025, 6, 23)))
        );
        let extend = Command::Extend {
            on: date(2025, 6, 20),
            to: date(2025, 7, 7),
            reason: "Contractor report".into(),
            resident_told_on: date(2025, 6, 20),
            good_reason: None,
        };
        let c = act(&c_ref, extend).await;
        assert!(!c.case.stages[0].extensions[0].outside_code);
        act(&c_ref, respond(date(2025, 7, 7), &[false])).await;
        act(
            &c_ref,
            Command::Escalate {
                requested_on: date(2025, 7, 15),
                reason: None,
            },
        )
        .await;
        let c = act(&c_ref, ack(date(2025, 7, 16))).await;
        assert_eq!(c.respond_by(), Some(date(2025, 8, 13)));
        act(&c_ref, respond(date(2025, 8, 20), &[true, false])).await;
        act(&c_ref, close(date(2025, 8, 20))).await;
        act(
            &c_ref,
            Command::ReferToOmbudsman {
                on: date(2025, 9, 15),
                ombudsman: Ombudsman::Housing,
                their_reference: None,
            },
        )
        .await;
        // D: withdrawn before a response.
        let d = receive("2025-09-01", "d@example.org", lcra, "complaint").await;
        act(&d, ack(date(2025, 9, 2))).await;
        act(
            &d,
            Command::Withdraw {
                on: date(2025, 9, 10),
                reason: "Sorted".into(),
            },
        )
        .await;
        // E: not taken on (legal proceedings): a refusal, not a stage 1 complaint.
        let e = receive("2025-10-01", "e@example.org", lcra, "complaint").await;
        act(
            &e,
            Command::Decline {
                on: date(2025, 10, 3),
                reason: DeclineReason::LegalProceedings,
                explanation: "In court".into(),
            },
        )
        .await;
        // F: shared ownership, received 25 Mar 2026, answered in the next year: counts in
        // CH01 but not CH02; open and inside its date (13 Apr, after Easter) at year end.
        let f = receive(
            "2026-03-25",
            "f@example.org",
            "low-cost-home-ownership",
            "complaint",
        )
        .await;
        let c = act(&f, ack(date(2026, 3, 26))).await;
        assert_eq!(c.respond_by(), Some(date(2026, 4, 13)));
        act(&f, respond(date(2026, 4, 8), &[true])).await;
        // G and H: the same person twice. G answered late (due 18 Nov, sent 1 Dec).
        let g = receive("2025-11-03", "twice@example.org", lcra, "complaint").await;
        let c = act(&g, ack(date(2025, 11, 4))).await;
        assert_eq!(c.respond_by(), Some(date(2025, 11, 18)));
        act(&g, respond(date(2025, 12, 1), &[true, false])).await;
        act(&g, close(date(2025, 12, 1))).await;
        // H: extended beyond the Code's limit with a good reason; answered 10 Feb, after the
        // Code date (20 Jan): late in both figures.
        let h = receive("2026-01-05", "TWICE@example.org", lcra, "complaint").await;
        let c = act(&h, ack(date(2026, 1, 6))).await;
        assert_eq!(c.respond_by(), Some(date(2026, 1, 20)));
        let extend = Command::Extend {
            on: date(2026, 1, 15),
            to: date(2026, 2, 17),
            reason: "Major works survey".into(),
            resident_told_on: date(2026, 1, 15),
            good_reason: Some("The survey could only be done in February".into()),
        };
        let c = act(&h, extend).await;
        assert!(c.case.stages[0].extensions[0].outside_code);
        act(&h, respond(date(2026, 2, 10), &[true])).await;
        // I: due 17 Feb, still unanswered at year end: open past target.
        let i = receive("2026-02-02", "i@example.org", lcra, "complaint").await;
        let c = act(&i, ack(date(2026, 2, 3))).await;
        assert_eq!(c.respond_by(), Some(date(2026, 2, 17)));
        // A comment and a compliment in the year.
        receive("2025-07-01", "k@example.org", "", "comment").await;
        receive("2025-08-01", "l@example.org", "", "compliment").await;

        // Surveys: B (upheld) satisfied with both; C stage 1 (not upheld) satisfied with the
        // handling but not the outcome. Each answered soon after its response.
        let answer =
            |r: String, on: &'static str, handling: &'static str, outcome: &'static str| {
                let (app, store, org) = (app.clone(), store.clone(), org.clone());
                async move {
                    let c = app.case_for(&Principal::System, &r).await.unwrap().contact;
                    let letters = store.letters(&org, &c.id).await.unwrap();
                    let invitation = letters
                        .iter()
                        .find(|l| l.kind == redress_domain::letter::LetterKind::SurveyInvitation)
                        .expect("an invitation after the stage 1 response");
                    let token = invitation
                        .body
                        .split("/survey/")
                        .nth(1)
                        .unwrap()
                        .split_whitespace()
                        .next()
                        .unwrap()
                        .to_string();
                    let then: jiff::Timestamp = on.parse().unwrap();
                    let app_then = app.clone().with_clock(move || then);
                    app_then
                        .answer_survey(&token, handling, outcome, "", "")
                        .await
                        .unwrap();
                }
            };
        answer(
            b.clone(),
            "2025-05-22T09:00:00Z",
            "very-satisfied",
            "satisfied",
        )
        .await;
        answer(
            c_ref.clone(),
            "2025-07-10T09:00:00Z",
            "satisfied",
            "dissatisfied",
        )
        .await;

        let year = Period::financial_year(2025).unwrap();
        let m = app.measures(&Principal::System, year, None).await.unwrap();
        let s1 = &m.satisfaction_by_stage[&1];
        assert_eq!(
            (
                s1.responses,
                s1.satisfied_with_handling,
                s1.satisfied_with_outcome
            ),
            (2, 2, 1)
        );
        assert_eq!((s1.handling_pct, s1.outcome_pct), (Some(100.0), Some(50.0)));
        assert_eq!(m.satisfaction_by_outcome["upheld"].outcome_pct, Some(100.0));
        assert_eq!(
            m.satisfaction_by_outcome["not-upheld"].outcome_pct,
            Some(0.0)
        );
        assert_eq!(m.new_complaints, 8, "B to I");
        assert_eq!(m.received_by_kind.get("comment"), Some(&1));
        assert_eq!(m.received_by_kind.get("compliment"), Some(&1));
        assert_eq!(m.channels.get("phone"), Some(&10));
        assert_eq!(
            m.received_by_stage.get(&1),
            Some(&7),
            "B, C, D, F, G, H, I; E was not taken on"
        );
        assert_eq!(m.received_by_stage.get(&2), Some(&1), "C");
        assert_eq!(
            (m.open_within_target, m.open_past_target),
            (1, 1),
            "F inside, I past"
        );
        assert_eq!(
            (m.acknowledgements, m.acknowledged_on_time),
            (8, 7),
            "C's stage 1 acknowledgement was late"
        );
        let s1 = &m.timeliness_by_stage[&1];
        assert_eq!(
            (s1.responses, s1.on_time, s1.on_time_strict),
            (5, 3, 2),
            "A B C G H"
        );
        assert_eq!(
            (s1.on_time_pct, s1.on_time_strict_pct),
            (Some(60.0), Some(40.0))
        );
        let s2 = &m.timeliness_by_stage[&2];
        assert_eq!((s2.responses, s2.on_time, s2.on_time_strict), (1, 0, 0));
        assert_eq!(m.outcomes_by_stage[&1].get("upheld"), Some(&3), "A B H");
        assert_eq!(m.outcomes_by_stage[&1].get("not-upheld"), Some(&1), "C");
        assert_eq!(m.outcomes_by_stage[&1].get("partly-upheld"), Some(&1), "G");
        assert_eq!(m.outcomes_by_stage[&2].get("partly-upheld"), Some(&1), "C");
        assert_eq!((m.extensions, m.extensions_outside_code), (2, 1));
        // Closed: A 13 days (9 working), B 14 (10), C 79 (57), G 28 (20).
        assert_eq!(m.closed, 4);
        assert_eq!(m.average_days_to_close, Some(33.5));
        assert_eq!(m.average_working_days_to_close, Some(24.0));
        assert_eq!(m.withdrawn, 1);
        assert_eq!(m.declined_by_reason.get("legal-proceedings"), Some(&1));
        assert_eq!(m.ombudsman_referrals, 1);
        assert_eq!(
            (m.compensation.payments, m.compensation.total_pence),
            (1, 15_000)
        );
        assert_eq!(m.compensation.by_outcome_pence.get("upheld"), Some(&15_000));
        assert_eq!(
            m.repeat_complainants, 1,
            "G and H, whatever the case of the email"
        );

        // TSM for 2025/26: 1,200 homes (1,000 rented, 200 shared ownership).
        let t = app.tsm(&Principal::System, 2025).await.unwrap();
        assert_eq!(
            (t.homes_total, t.stage1_complaints, t.stage2_complaints),
            (1200, 7, 1)
        );
        assert_eq!(t.ch01_stage1_per_1000, Some(5.8), "7 / 1200 x 1000 = 5.83");
        assert_eq!(t.ch01_stage2_per_1000, Some(0.8), "1 / 1200 x 1000 = 0.83");
        assert_eq!(
            t.ch01_stage1_per_1000_by_tenure.get("low-cost-rental"),
            Some(&6.0)
        );
        assert_eq!(
            t.ch01_stage1_per_1000_by_tenure
                .get("low-cost-home-ownership"),
            Some(&5.0)
        );
        assert_eq!(
            (t.ch02_stage1_pct, t.ch02_stage1_pct_strict),
            (Some(60.0), Some(40.0))
        );
        assert_eq!(
            (t.ch02_stage2_pct, t.ch02_stage2_pct_strict),
            (Some(0.0), Some(0.0))
        );

        // The first quarter alone: A and B answered on time, C not yet answered on 30 June
        // and past its original date but inside its extension.
        let q1 = app
            .measures(&Principal::System, Period::quarter(2025, 1).unwrap(), None)
            .await
            .unwrap();
        assert_eq!(q1.timeliness_by_stage[&1].responses, 2);
        assert_eq!((q1.open_within_target, q1.open_past_target), (1, 0));
        assert_eq!(q1.new_complaints, 2);

        // The running totals give what counting the cases afresh gives, for the year, its
        // quarters, every ten days, and each service area.
        let mut periods = vec![year];
        periods.extend((1..=4).map(|q| Period::quarter(2025, q).unwrap()));
        let mut from = date(2025, 3, 20);
        while from < date(2026, 6, 1) {
            let to = from.checked_add(jiff::Span::new().days(9)).unwrap();
            periods.push(Period::new(from, to).unwrap());
            from = to.tomorrow().unwrap();
        }
        let mut areas: Vec<Option<String>> = vec![None];
        areas.extend(
            store
                .service_areas(&app.organisation.id)
                .await
                .unwrap()
                .into_iter()
                .map(|a| Some(a.id)),
        );
        for p in &periods {
            for area in &areas {
                figures_match_the_cases(&app, &store, *p, area.as_deref()).await;
            }
        }
        let contacts = store
            .contacts_for_report(&app.organisation.id, year.from, year.to, None)
            .await
            .unwrap();
        let afresh = redress_domain::measures::tsm(
            &contacts,
            2025,
            &store.homes(&app.organisation.id).await.unwrap(),
            &app.calendar().await.unwrap(),
        )
        .unwrap();
        assert_eq!(t, afresh);

        // A database from before the running totals has them counted from its cases as it
        // is upgraded.
        let before = app.measures(&Principal::System, year, None).await.unwrap();
        forget_running_figures(&store, &url).await;
        assert_eq!(store.migrate().await.unwrap(), 1);
        assert_eq!(
            app.measures(&Principal::System, year, None).await.unwrap(),
            before
        );
        assert_eq!(app.tsm(&Principal::System, 2025).await.unwrap(), t);
        // Counting them all again gives the same, however often it is done.
        let cases = store.recount_figures().await.unwrap();
        assert!(cases >= 10, "{cases}");
        assert_eq!(store.recount_figures().await.unwrap(), cases);
        assert_eq!(
            app.measures(&Principal::System, year, None).await.unwrap(),
            before
        );
        store.close().await;
    })
    .await;
}

#[tokio::test]
async fn historic_cases_import_whole_or_not_at_all_and_only_once() {
    use redress_domain::measures::Period;
    on_each_backend(|store| async move {
        settings::ensure_organisation(&store, "Old Homes", Division::EnglandAndWales, "hos-2024")
            .await
            .unwrap();
        let app = App::load(store.clone()).await.unwrap();
        let header = "source_id,kind,channel,received_date,name,email,summary,stage1_acknowledged_on,stage1_responded_on,stage1_outcome,closed_on\n";
        let good = format!(
            "{header}OLD-1,complaint,phone,2023-05-02,Ann Evans,ann@example.org,\"Damp, again\",2023-05-03,2023-05-15,partly-upheld,2023-05-15\n\
             OLD-2,compliment,letter,2023-06-01,,,Lovely gardens,,,,\n"
        );
        let bad = format!(
            "{header}OLD-3,complaint,phone,2023-05-02,Bob,bob@example.org,Leak,2023-05-01,,,\n\
             OLD-4,complaint,fax,2023-05-02,Cy,cy@example.org,Leak,,,,\n\
             OLD-4,complaint,phone,2023-05-02,Cy,cy@example.org,Leak,,,,\n\
             OLD-5,complaint,phone,2023-05-02,Di,di@example.org,Leak,2023-05-03,2023-05-10,maybe,\n"
        );
        let report = app.import_cases(&Principal::System, &bad).await.unwrap();
        assert_eq!(report.imported, 0);
        let rows: Vec<(usize, &str)> = report
            .rejected
            .iter()
            .map(|r| (r.row, r.field.as_str()))
            .collect();
        assert!(
            rows.contains(&(2, "stage1_acknowledged_on")),
            "acknowledged before received: {rows:?}"
        );
        assert!(rows.contains(&(3, "channel")), "{rows:?}");
        assert!(rows.contains(&(4, "source_id")), "a repeated id: {rows:?}");
        assert!(rows.contains(&(5, "stage1_outcome")), "{rows:?}");
        let all = ContactFilter {
            per_page: 50,
            ..Default::default()
        };
        assert_eq!(
            app.list_cases_for(&Principal::System, &all)
                .await
                .unwrap()
                .total,
            0,
            "nothing half-imported"
        );

        let first = app.import_cases(&Principal::System, &good).await.unwrap();
        assert_eq!(
            (first.imported, first.already_there, first.rejected.len()),
            (2, 0, 0),
            "{:?}",
            first.rejected
        );
        let again = app.import_cases(&Principal::System, &good).await.unwrap();
        assert_eq!((again.imported, again.already_there), (0, 2));
        assert_eq!(
            app.list_cases_for(&Principal::System, &all)
                .await
                .unwrap()
                .total,
            2
        );

        // The history replays into the figures, and no letters went out.
        let m = app
            .measures(
                &Principal::System,
                Period::financial_year(2023).unwrap(),
                None,
            )
            .await
            .unwrap();
        assert_eq!(m.new_complaints, 1);
        assert_eq!(m.closed, 1);
        assert_eq!(m.outcomes_by_stage[&1].get("partly-upheld"), Some(&1));
        let page = app.list_cases_for(&Principal::System, &all).await.unwrap();
        for c in page.items {
            let contact = store
                .contact_by_reference(&app.organisation.id, &c.reference)
                .await
                .unwrap()
                .unwrap();
            assert!(
                store
                    .letters(&app.organisation.id, &contact.id)
                    .await
                    .unwrap()
                    .is_empty()
            );
        }
    })
    .await;
}

/// A complaints officer acting by name, as the history and letters show them.
fn officer(name: &str) -> Principal {
    Principal::Staff(redress_domain::role::User {
        id: "u".into(),
        email: "officer@test.org".into(),
        name: name.into(),
        role: redress_domain::role::Role::ComplaintsOfficer,
        active: true,
    })
}

/// An administrator, who may erase personal data.
fn staff_admin() -> Principal {
    Principal::Staff(redress_domain::role::User {
        id: "u".into(),
        email: "admin@test.org".into(),
        name: "Priya Shah".into(),
        role: redress_domain::role::Role::Admin,
        active: true,
    })
}
