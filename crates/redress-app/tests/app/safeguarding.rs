//! A safeguarding concern reaches a named person the same minute: the leads are emailed
//! (through a real SMTP conversation), the case heads My work until its review is recorded,
//! and flagging a case later does the same. Residents and staff can always reach us.

use redress_app::access::Principal;
use redress_app::{App, AppError, settings};
use redress_domain::calendar::Division;
use redress_domain::case::Command;
use redress_domain::contact::{ContactInput, Source};
use redress_domain::letter::LetterKind;
use redress_domain::role::Role;
use redress_testkit::on_each_backend;
use std::collections::BTreeMap;

fn form(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[tokio::test]
async fn a_concern_reaches_the_named_leads_at_once_and_waits_for_its_review() {
    on_each_backend(|store| async move {
        settings::ensure_organisation(&store, "Demo Homes", Division::EnglandAndWales, "hos-2024")
            .await
            .unwrap();
        let app = App::load(store.clone()).await.unwrap();
        let add = |email: &'static str, name: &'static str, role| {
            let app = &app;
            async move {
                app.add_user(
                    &Principal::System,
                    email,
                    name,
                    role,
                    "correct-horse-battery",
                )
                .await
                .unwrap()
            }
        };
        let admin = Principal::Staff(add("admin@test.org", "Ada Admin", Role::Admin).await);
        let lead = add("lead@test.org", "Lena Lead", Role::CaseWorker).await;
        let officer = add("officer@test.org", "Olu Officer", Role::ComplaintsOfficer).await;
        let officer = Principal::Staff(officer);
        assert!(matches!(
            app.set_safeguarding_leads(&officer, std::slice::from_ref(&lead.id))
                .await,
            Err(AppError::Forbidden)
        ));
        let unknown = app
            .set_safeguarding_leads(&admin, &["nobody".to_string()])
            .await;
        assert!(matches!(&unknown, Err(AppError::Invalid(e)) if e.get("leads").is_some()));
        app.set_safeguarding_leads(&admin, std::slice::from_ref(&lead.id))
            .await
            .unwrap();

        // A resident says someone is at risk, on the public form.
        let input = ContactInput {
            kind: "complaint".into(),
            who: "myself".into(),
            name: "Aled Jones".into(),
            email: "aled@example.org".into(),
            summary: "My neighbour's children are left alone for days".into(),
            safeguarding: "yes".into(),
            ..Default::default()
        };
        let c = app
            .submit_contact(
                &Principal::Public,
                &input,
                Source::PublicForm,
                Some("key-1"),
            )
            .await
            .unwrap()
            .into_contact();
        let letters = store.letters(&app.organisation.id, &c.id).await.unwrap();
        let alerts: Vec<_> = letters
            .iter()
            .filter(|l| l.kind == LetterKind::SafeguardingAlert)
            .collect();
        assert_eq!(alerts.len(), 1, "the named lead, not everyone");
        assert_eq!(alerts[0].recipient, "lead@test.org");
        assert_eq!(alerts[0].status, "pending", "sent at once, never a draft");
        assert!(
            alerts[0]
                .body
                .contains(&format!("/staff/cases/{}", c.reference))
        );
        assert!(
            !alerts[0].body.contains("children are left alone"),
            "the concern stays behind sign-in"
        );
        // The same form sent again (a double click) alerts nobody twice.
        app.submit_contact(
            &Principal::Public,
            &input,
            Source::PublicForm,
            Some("key-1"),
        )
        .await
        .unwrap();
        assert_eq!(
            store
                .letters(&app.organisation.id, &c.id)
                .await
                .unwrap()
                .len(),
            1
        );

        // The email goes through a real SMTP conversation.
        let (port, received) = super::smtp_server(false).await;
        let mailer = redress_app::mail::Mailer::new(
            &format!("smtp://127.0.0.1:{port}"),
            "Complaints <complaints@demo.test>",
        )
        .unwrap();
        assert_eq!(app.deliver_outbox(&mailer).await.unwrap(), 1);
        let mail = received.lock().unwrap().clone();
        assert!(mail[0].contains("To: lead@test.org") && mail[0].contains("Safeguarding:"));

        // It heads My work, for the lead and for the officer, until reviewed.
        let lead = Principal::Staff(lead);
        for who in [&lead, &officer] {
            let work = app.my_work(who).await.unwrap();
            assert_eq!(work.safeguarding.len(), 1);
            assert_eq!(work.safeguarding[0].reference, c.reference);
        }
        let review = Command::ReviewSafeguarding {
            on: app.today(),
            note: "Rang children's services; a visit is arranged today".into(),
        };
        app.apply_command(&lead, c.reference.as_str(), review.clone(), None)
            .await
            .unwrap();
        assert!(app.my_work(&officer).await.unwrap().safeguarding.is_empty());
        let again = app
            .apply_command(&lead, c.reference.as_str(), review, None)
            .await;
        assert!(matches!(again, Err(AppError::Domain(_))), "reviewed once");

        // A case flagged later by a correction alerts the lead too, and waits again.
        let quiet = ContactInput {
            safeguarding: String::new(),
            channel: "phone".into(),
            summary: "The repair was missed".into(),
            ..input.clone()
        };
        let other = app
            .submit_contact(&officer, &quiet, Source::Staff, None)
            .await
            .unwrap()
            .into_contact();
        assert!(
            store
                .letters(&app.organisation.id, &other.id)
                .await
                .unwrap()
                .is_empty()
        );
        let flag = Command::Correct {
            values: form(&[("safeguarding", "yes")]),
            reason: "On a call, the resident said her son is being threatened".into(),
        };
        app.apply_command(&officer, other.reference.as_str(), flag, None)
            .await
            .unwrap();
        let letters = store
            .letters(&app.organisation.id, &other.id)
            .await
            .unwrap();
        assert!(
            letters
                .iter()
                .any(|l| l.kind == LetterKind::SafeguardingAlert
                    && l.recipient == "lead@test.org"
                    && l.status == "pending")
        );
        assert_eq!(app.my_work(&officer).await.unwrap().safeguarding.len(), 1);
    })
    .await;
}

#[tokio::test]
async fn every_page_and_letter_says_how_to_reach_us() {
    on_each_backend(|store| async move {
        settings::ensure_organisation(&store, "Demo Homes", Division::EnglandAndWales, "hos-2024")
            .await
            .unwrap();
        let app = App::load(store.clone()).await.unwrap();
        let bad = app
            .set_reach(&Principal::System, &form(&[("phone", "ring us"), ("email", "x@")]))
            .await;
        assert!(
            matches!(&bad, Err(AppError::Invalid(e)) if e.get("phone").is_some() && e.get("email").is_some())
        );
        app.set_reach(
            &Principal::System,
            &form(&[
                ("phone", "0300 123 4567"),
                ("textphone", "18001 0300 123 4567"),
                ("address", "1 High Street\nCardiff CF10 1AA"),
            ]),
        )
        .await
        .unwrap();
        let reach = app.reach();
        assert_eq!(reach.phone, "0300 123 4567");
        assert_eq!(reach.tel(), "03001234567");
        // Another instance reading the same database sees it once it reloads.
        let other = App::load(store.clone()).await.unwrap();
        assert_eq!(other.reach().textphone, "18001 0300 123 4567");
    })
    .await;
}
