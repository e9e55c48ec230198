//! Use cases end to end on a real store: the demonstration data in particular, which a new
//! user sees first. Runs on SQLite, and on PostgreSQL when `REDRESS_TEST_POSTGRES_URL` is set.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use redress_app::{App, demo, settings};
use redress_domain::calendar::Division;
use redress_domain::contact::{ContactKind, ContactStatus};
use redress_store::{ContactFilter, Store};

async fn stores() -> Vec<(Store, Option<(String, String)>)> {
    let dir = std::env::temp_dir().join(format!("redress-app-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut out = vec![(
        Store::connect(&format!("sqlite://{}", dir.join("a.db").display()))
            .await
            .unwrap(),
        None,
    )];
    match std::env::var("REDRESS_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
    {
        Some(admin) => {
            let name = format!("redress_app_{}", uuid::Uuid::now_v7().simple());
            let pool = sqlx::PgPool::connect(&admin).await.unwrap();
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(&pool)
                .await
                .unwrap();
            pool.close().await;
            let base = admin
                .rsplit_once('/')
                .map(|(b, _)| b.to_string())
                .unwrap_or(admin.clone());
            out.push((
                Store::connect(&format!("{base}/{name}")).await.unwrap(),
                Some((admin, name)),
            ));
        }
        None => eprintln!(
            "PostgreSQL skipped: set REDRESS_TEST_POSTGRES_URL to run these tests on it too"
        ),
    }
    out
}

async fn drop(pg: Option<(String, String)>) {
    if let Some((admin, name)) = pg {
        let pool = sqlx::PgPool::connect(&admin).await.unwrap();
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
        )))
        .execute(&pool)
        .await
        .unwrap();
        pool.close().await;
    }
}

#[tokio::test]
async fn the_demo_is_created_once_with_every_kind_and_state() {
    for (store, pg) in stores().await {
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
        let page = app.list_cases(&all).await.unwrap();
        assert_eq!(page.total, 50);
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
            .workload(&app.organisation.id, app.today())
            .await
            .unwrap();
        assert!(workload.iter().any(|w| w.as_case_worker > 0));
        store.close().await;
        drop(pg).await;
    }
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
    use redress_domain::event::Actor;
    let input = ContactInput {
        kind: "complaint".into(),
        channel: "email".into(),
        who: "myself".into(),
        name: "Aled Jones".into(),
        email: "aled@example.org".into(),
        preferred_contact: "email".into(),
        summary: "Nobody came to fix the leak".into(),
        ..Default::default()
    };
    let c = app
        .submit_contact(&input, Source::Staff, Actor::system(), None)
        .await
        .unwrap()
        .into_contact();
    let ack = Command::Acknowledge {
        on: app.today(),
        understanding: "Missed repairs".into(),
        outcome_wanted: "A repair".into(),
    };
    app.apply_command(
        c.reference.as_str(),
        ack,
        Actor::staff("u", "Priya Shah"),
        None,
    )
    .await
    .unwrap()
}

#[tokio::test]
async fn an_acknowledgement_is_emailed_once() {
    for (store, pg) in stores().await {
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
        store.close().await;
        drop(pg).await;
    }
}

#[tokio::test]
async fn a_refused_email_is_retried_later() {
    for (store, pg) in stores().await {
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
        store.close().await;
        drop(pg).await;
    }
}

#[tokio::test]
async fn staff_are_reminded_before_a_deadline_and_once_when_it_is_missed() {
    use redress_domain::case::{Assignee, Command};
    use redress_domain::contact::{ContactInput, Source};
    use redress_domain::event::Actor;
    use redress_domain::role::Role;
    for (store, pg) in stores().await {
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
            .submit_contact(&input, Source::Staff, Actor::system(), None)
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
        app.apply_command(c.reference.as_str(), assign, Actor::system(), None)
            .await
            .unwrap();
        assert_eq!(
            app.send_reminders(2).await.unwrap(),
            0,
            "nothing due within two working days yet"
        );

        let thursday: jiff::Timestamp = "2026-03-05T10:00:00Z".parse().unwrap();
        let app = app.with_clock(move || thursday);
        assert_eq!(app.send_reminders(2).await.unwrap(), 1);
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
        drop(pg).await;
    }
}

#[tokio::test]
async fn retention_erases_personal_data_and_the_figures_still_add_up() {
    use redress_app::privacy::RedactionTarget;
    use redress_domain::case::{Command, NoteKind, PointDecision};
    use redress_domain::event::Actor;
    for (store, pg) in stores().await {
        settings::ensure_organisation(&store, "Demo Homes", Division::EnglandAndWales, "hos-2024")
            .await
            .unwrap();
        let app = App::load(store.clone()).await.unwrap();
        demo::create(&app).await.unwrap();
        let staff = Actor::staff("u", "Priya Shah");
        let closed = acknowledged_complaint(&app).await;
        let r = closed.reference.as_str();
        let note = Command::AddNote {
            kind: NoteKind::CallWithResident,
            on: app.today(),
            text: "Aled says his daughter has asthma".into(),
        };
        app.apply_command(r, note, staff.clone(), None)
            .await
            .unwrap();
        let with_file = app
            .add_attachment(
                r,
                "damp.txt",
                b"photo notes",
                "Aled's damp notes",
                staff.clone(),
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
        app.apply_command(r, respond, staff.clone(), None)
            .await
            .unwrap();
        app.apply_command(r, Command::Close { on: app.today() }, staff.clone(), None)
            .await
            .unwrap();
        // A second, still open, case of the same person.
        let open = acknowledged_complaint(&app).await;

        // Erasure on request needs a reason and a closed case.
        assert!(matches!(
            app.erase_on_request(open.reference.as_str(), "Asked by the person", staff.clone()).await,
            Err(redress_app::AppError::Invalid(e)) if e.get("reason").is_some()
        ));
        assert!(matches!(
            app.erase_on_request(r, " ", staff.clone()).await,
            Err(redress_app::AppError::Invalid(e)) if e.get("reason").is_some()
        ));

        // Subject access finds both cases, whichever way the email is typed.
        let sar = app.subject_access("ALED@example.org", "").await.unwrap();
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
        app.apply_command(open.reference.as_str(), open_note, staff.clone(), None)
            .await
            .unwrap();
        app.redact(
            open.reference.as_str(),
            RedactionTarget::Note(1),
            "Third-party information",
            staff.clone(),
            None,
        )
        .await
        .unwrap();
        let open_view = app.case(open.reference.as_str()).await.unwrap();
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
        let before = app.list_cases(&all).await.unwrap();

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

        let after = app7.list_cases(&all).await.unwrap();
        assert_eq!(after.total, before.total);
        assert_eq!(counts(&after), counts(&before), "the figures survive");

        let view = app7.case(r).await.unwrap();
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
        let found = app7.list_cases(&search).await.unwrap();
        assert!(found.items.iter().all(|s| s.reference != closed.reference));
        assert!(found.items.iter().any(|s| s.reference == open.reference));
        let sar = app7.subject_access("aled@example.org", "").await.unwrap();
        assert_eq!(
            sar.cases.len(),
            1,
            "only the open case still holds the person"
        );
        store.close().await;
        drop(pg).await;
    }
}

#[tokio::test]
async fn letters_give_the_ombudsman_details_the_organisation_set() {
    use redress_domain::case::{Command, DeclineReason};
    use redress_domain::contact::{ContactInput, Source};
    use redress_domain::event::Actor;
    use redress_domain::scheme::Ombudsman;
    for (store, pg) in stores().await {
        settings::ensure_organisation(&store, "Demo Homes", Division::EnglandAndWales, "hos-2024")
            .await
            .unwrap();
        let app = App::load(store.clone()).await.unwrap();
        app.set_ombudsman_contact(
            Ombudsman::Housing,
            "Ring 0300 111 3000 (our own wording)",
            "Admin",
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
            .submit_contact(&input, Source::Staff, Actor::system(), None)
            .await
            .unwrap()
            .into_contact();
        let decline = Command::Decline {
            on: app.today(),
            reason: DeclineReason::LegalProceedings,
            explanation: "The matter is before the county court.".into(),
        };
        app.apply_command(
            c.reference.as_str(),
            decline,
            Actor::staff("u", "Priya Shah"),
            None,
        )
        .await
        .unwrap();
        let letters = store.letters(&app.organisation.id, &c.id).await.unwrap();
        let body = &letters.last().unwrap().body;
        assert!(
            body.contains("Ring 0300 111 3000 (our own wording)"),
            "{body}"
        );
        assert!(!body.contains("PO Box 1484"));
        store.close().await;
        drop(pg).await;
    }
}
