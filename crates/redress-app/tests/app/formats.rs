//! Every format a resident asks for is tracked until it is sent: a letter for someone who
//! reads Braille or Polish waits to be transcribed or translated, with a date inside the
//! response deadline, is recorded when it goes, and is counted in the reports.

use redress_app::access::Principal;
use redress_app::letter_checks::seen;
use redress_app::{App, AppError, settings};
use redress_domain::calendar::Division;
use redress_domain::case::Command;
use redress_domain::contact::{ContactInput, Source};
use redress_domain::letter::LetterKind;
use redress_domain::role::Role;
use redress_testkit::on_each_backend;

#[tokio::test]
async fn braille_and_translations_wait_for_conversion_and_are_counted() {
    on_each_backend(|store| async move {
        settings::ensure_organisation(&store, "Demo Homes", Division::EnglandAndWales, "hos-2024")
            .await
            .unwrap();
        let app = App::load(store.clone()).await.unwrap();
        let officer = app
            .add_user(
                &Principal::System,
                "officer@test.org",
                "Olu Officer",
                Role::ComplaintsOfficer,
                "correct-horse-battery",
            )
            .await
            .unwrap();
        let officer = Principal::Staff(officer);
        let received = |name: &'static str, format: &'static str, language: &'static str| {
            let app = &app;
            let officer = officer.clone();
            async move {
                let input = ContactInput {
                    kind: "complaint".into(),
                    channel: "letter".into(),
                    who: "myself".into(),
                    name: name.into(),
                    address: "1 High Street, Cardiff".into(),
                    postcode: "CF10 1AA".into(),
                    preferred_contact: "letter".into(),
                    preferred_format: format.into(),
                    language: language.into(),
                    summary: "The repair was missed".into(),
                    ..Default::default()
                };
                let c = app
                    .submit_contact(&officer, &input, Source::Staff, None)
                    .await
                    .unwrap()
                    .into_contact();
                let ack = Command::Acknowledge {
                    on: app.today(),
                    understanding: "The repair was missed".into(),
                    outcome_wanted: "The repair".into(),
                };
                let c = app
                    .apply_command(&officer, c.reference.as_str(), ack, None)
                    .await
                    .unwrap();
                let draft = app
                    .open_case(&officer, c.reference.as_str(), "test")
                    .await
                    .unwrap()
                    .letters
                    .remove(0);
                app.release_letter(&officer, &draft.id, &seen(&draft))
                    .await
                    .unwrap();
                let mut sent = app
                    .open_case(&officer, c.reference.as_str(), "test")
                    .await
                    .unwrap();
                (sent.view.contact, sent.letters.remove(0))
            }
        };
        let (braille, letter) = received("Bryn Evans", "braille", "").await;
        assert_eq!(letter.kind, LetterKind::Acknowledgement);
        assert_eq!(
            letter.status, "to-convert",
            "not straight to the print queue"
        );
        assert_eq!(letter.convert.as_deref(), Some("Braille"));
        let by = letter.convert_by.unwrap();
        assert!(
            by > app.today() && Some(by) <= braille.respond_by(),
            "ready inside the deadline"
        );
        let (_, polish) = received("Jan Nowak", "", "Polish").await;
        assert_eq!(polish.convert.as_deref(), Some("Translation into Polish"));
        let (_, plain) = received("Ann Plain", "large-print", "").await;
        assert_eq!(
            (plain.status.as_str(), plain.large_print),
            ("to-print", true),
            "large print is printed directly"
        );

        // The print queue does not hold them; the conversion queue does.
        let (queue, _) = app.letter_queue(&officer, "to-print").await.unwrap();
        assert_eq!(queue.len(), 1);
        let (converting, _) = app.letter_queue(&officer, "to-convert").await.unwrap();
        assert_eq!(converting.len(), 2);
        let auditor = Principal::Staff(
            app.add_user(
                &Principal::System,
                "audit@test.org",
                "Ann Auditor",
                Role::Auditor,
                "correct-horse-battery",
            )
            .await
            .unwrap(),
        );
        assert!(matches!(
            app.mark_converted(&auditor, &letter.id).await,
            Err(AppError::Forbidden)
        ));
        app.mark_converted(&officer, &letter.id).await.unwrap();
        assert!(matches!(
            app.mark_converted(&officer, &letter.id).await,
            Err(AppError::Conflict(_))
        ));
        let history = app
            .case_for(&officer, braille.reference.as_str())
            .await
            .unwrap()
            .events;
        assert!(
            history
                .last()
                .is_some_and(|e| e.summary.contains("sent as asked: braille"))
        );
        let year = redress_domain::measures::Period {
            from: app.today(),
            to: app.today(),
        };
        let counted = app.format_conversions(&officer, year).await.unwrap();
        assert_eq!(counted.len(), 1);
        assert_eq!((counted[0].0.as_str(), counted[0].1), ("Braille", 1));
        assert!(matches!(
            app.format_conversions(&Principal::Public, year).await,
            Err(AppError::Forbidden)
        ));
    })
    .await;
}

#[tokio::test]
async fn a_posted_letter_carries_a_short_code_that_opens_the_case_once() {
    on_each_backend(|store| async move {
        settings::ensure_organisation(&store, "Demo Homes", Division::EnglandAndWales, "hos-2024")
            .await
            .unwrap();
        let app = App::load(store.clone()).await.unwrap();
        let officer = Principal::Staff(
            app.add_user(
                &Principal::System,
                "officer@test.org",
                "Olu Officer",
                Role::ComplaintsOfficer,
                "correct-horse-battery",
            )
            .await
            .unwrap(),
        );
        let input = ContactInput {
            kind: "complaint".into(),
            channel: "letter".into(),
            who: "myself".into(),
            name: "Gwen Hughes".into(),
            address: "2 Low Street, Cardiff".into(),
            postcode: "CF10 2BB".into(),
            preferred_contact: "letter".into(),
            summary: "The repair was missed".into(),
            ..Default::default()
        };
        let c = app
            .submit_contact(&officer, &input, Source::Staff, None)
            .await
            .unwrap()
            .into_contact();
        let ack = Command::Acknowledge {
            on: app.today(),
            understanding: "The repair was missed".into(),
            outcome_wanted: "The repair".into(),
        };
        app.apply_command(&officer, c.reference.as_str(), ack, None)
            .await
            .unwrap();
        let draft = app
            .open_case(&officer, c.reference.as_str(), "test")
            .await
            .unwrap()
            .letters
            .remove(0);
        assert!(!draft.body.contains("/c/"), "a draft has no live code yet");
        app.release_letter(&officer, &draft.id, &seen(&draft))
            .await
            .unwrap();
        let sent = app
            .open_case(&officer, c.reference.as_str(), "test")
            .await
            .unwrap()
            .letters
            .remove(0);
        assert_eq!(sent.status, "to-print");
        let code = sent
            .body
            .split("/c/")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .unwrap()
            .to_string();
        assert_eq!(code.len(), 8);
        assert!(sent.body.contains("type the code"), "{}", sent.body);
        // Typed from paper: small letters and a space still work, once.
        let typed = format!("{} {}", &code[..4], &code[4..]).to_lowercase();
        let (_, opened) = app.resident_sign_in_with_link(&typed).await.unwrap();
        assert_eq!(opened.reference, c.reference);
        assert!(matches!(
            app.resident_sign_in_with_link(&code).await,
            Err(AppError::Forbidden)
        ));
        // A code never used stops working after four weeks.
        let again = Command::Extend {
            on: app.today(),
            to: app
                .calendar()
                .await
                .unwrap()
                .add_working_days(c.respond_by().unwrap(), 5)
                .unwrap(),
            reason: "Waiting for the contractor's report".into(),
            resident_told_on: app.today(),
            good_reason: None,
        };
        app.apply_command(&officer, c.reference.as_str(), again, None)
            .await
            .unwrap();
        let extension = app
            .open_case(&officer, c.reference.as_str(), "test")
            .await
            .unwrap()
            .letters
            .into_iter()
            .find(|l| l.kind == LetterKind::Extension)
            .unwrap();
        app.release_letter(&officer, &extension.id, &seen(&extension))
            .await
            .unwrap();
        let extension = app
            .open_case(&officer, c.reference.as_str(), "test")
            .await
            .unwrap()
            .letters
            .into_iter()
            .find(|l| l.kind == LetterKind::Extension)
            .unwrap();
        let late_code = extension
            .body
            .split("/c/")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .unwrap()
            .to_string();
        let later = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24 * 29);
        let later = app.clone().with_clock(move || later);
        assert!(matches!(
            later.resident_sign_in_with_link(&late_code).await,
            Err(AppError::Forbidden)
        ));
    })
    .await;
}
