//! What a stranger with a script cannot do: lock a colleague out of their account, fill a
//! case with files, record a contact from a century ago, or give an address the mailer
//! would refuse later. Each refused at the field, with nothing half-stored.

use redress_app::access::Principal;
use redress_app::limits::Limits;
use redress_app::{App, AppError, settings};
use redress_domain::calendar::Division;
use redress_domain::contact::{ContactInput, Source};
use redress_domain::role::Role;
use redress_testkit::on_each_backend;
use std::collections::BTreeMap;

async fn app(store: &redress_store::Store) -> App {
    settings::ensure_organisation(store, "Demo Homes", Division::EnglandAndWales, "hos-2024")
        .await
        .unwrap();
    App::load(store.clone()).await.unwrap()
}

fn refused_at(result: Result<impl std::fmt::Debug, AppError>, field: &str) -> bool {
    matches!(&result, Err(AppError::Invalid(e)) if e.get(field).is_some())
}

#[tokio::test]
async fn wrong_passwords_from_one_place_do_not_lock_the_account_everywhere() {
    on_each_backend(|store| async move {
        let app = app(&store).await;
        let weak = app
            .add_user(&Principal::System, "priya@test.org", "Priya Shah", Role::ComplaintsOfficer, "password1234")
            .await;
        assert!(refused_at(weak, "password"), "a common password is refused");
        app.add_user(
            &Principal::System,
            "priya@test.org",
            "Priya Shah",
            Role::ComplaintsOfficer,
            "lantern pebble orchard",
        )
        .await
        .unwrap();
        for _ in 0..5 {
            assert!(app.sign_in("priya@test.org", "wrong", "203.0.113.9").await.is_err());
        }
        let locked = app
            .sign_in("priya@test.org", "lantern pebble orchard", "203.0.113.9")
            .await;
        assert!(
            matches!(&locked, Err(AppError::Invalid(e)) if e.get("email").is_some_and(|m| m.contains("locked"))),
            "{locked:?}"
        );
        // Priya, at her own desk, still signs in.
        assert!(
            app.sign_in("priya@test.org", "lantern pebble orchard", "192.0.2.20")
                .await
                .is_ok()
        );
    })
    .await;
}

#[tokio::test]
async fn a_contact_from_long_ago_or_to_an_unusable_address_is_refused_at_its_field() {
    on_each_backend(|store| async move {
        let app = app(&store).await;
        let input = ContactInput {
            kind: "complaint".into(),
            channel: "phone".into(),
            who: "myself".into(),
            name: "Bob\r\nBcc: evil@example.com".into(),
            email: "bob@example.com".into(),
            summary: "The lift is broken".into(),
            ..Default::default()
        };
        let old = ContactInput {
            received_date: "1900-01-01".into(),
            ..input.clone()
        };
        let refused = app
            .submit_contact(&Principal::System, &old, Source::Api, None)
            .await;
        assert!(refused_at(refused, "received_date"));
        let unusable = ContactInput {
            email: "bob..smith@example.com".into(),
            ..input.clone()
        };
        let refused = app
            .submit_contact(&Principal::System, &unusable, Source::Api, None)
            .await;
        assert!(refused_at(refused, "email"), "the mailer would refuse it");
        let c = app
            .submit_contact(&Principal::System, &input, Source::Api, None)
            .await
            .unwrap()
            .into_contact();
        assert_eq!(
            c.detail.person.unwrap().name.as_str(),
            "Bob Bcc: evil@example.com",
            "a name is one line: it cannot add a header to a letter"
        );
    })
    .await;
}

#[tokio::test]
async fn files_stop_at_the_quota_the_administrator_set_with_nothing_half_stored() {
    on_each_backend(|store| async move {
        let app = app(&store).await;
        let admin = Principal::Staff(
            app.add_user(
                &Principal::System,
                "ada@test.org",
                "Ada Admin",
                Role::Admin,
                "lantern pebble orchard",
            )
            .await
            .unwrap(),
        );
        let officer = Principal::Staff(
            app.add_user(
                &Principal::System,
                "olu@test.org",
                "Olu Officer",
                Role::ComplaintsOfficer,
                "lantern pebble orchard",
            )
            .await
            .unwrap(),
        );
        assert_eq!(app.limits_for(&admin).await.unwrap(), Limits::default());
        let form = |files: &str, mb: &str, daily: &str, months: &str| {
            [
                ("files_per_case", files),
                ("mb_per_case", mb),
                ("resident_files_per_day", daily),
                ("received_within_months", months),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect::<BTreeMap<_, _>>()
        };
        // Only an administrator sets them, and only to sensible whole numbers.
        assert!(matches!(
            app.save_limits(&officer, &form("5", "10", "2", "12")).await,
            Err(AppError::Forbidden)
        ));
        let wrong = app.save_limits(&admin, &form("0", "lots", "2", "6")).await;
        let Err(AppError::Invalid(e)) = &wrong else {
            panic!("{wrong:?}")
        };
        for field in ["files_per_case", "mb_per_case", "received_within_months"] {
            assert!(e.get(field).is_some(), "{field}: {e:?}");
        }
        assert!(e.get("resident_files_per_day").is_none());
        assert_eq!(
            app.limits_for(&admin).await.unwrap(),
            Limits::default(),
            "nothing saved"
        );
        let saved = app
            .save_limits(&admin, &form("5", "10", "2", "12"))
            .await
            .unwrap();
        assert_eq!((saved.files_per_case, saved.resident_files_per_day), (5, 2));

        let input = ContactInput {
            kind: "complaint".into(),
            channel: "email".into(),
            who: "myself".into(),
            name: "Aled Jones".into(),
            email: "aled@example.org".into(),
            summary: "Damp in the bedroom".into(),
            ..Default::default()
        };
        let c = app
            .submit_contact(&officer, &input, Source::Staff, None)
            .await
            .unwrap()
            .into_contact();
        let reference = c.reference.to_string();
        // A resident sends two files in a day, and no more.
        let (token, _) = app
            .resident_sign_in(&reference, "aled@example.org", "")
            .await
            .unwrap();
        for n in 0..2 {
            app.resident_upload(&token, &format!("photo{n}.txt"), b"a photo", "Damp")
                .await
                .unwrap();
        }
        let more = app
            .resident_upload(&token, "photo.txt", b"a photo", "Damp")
            .await;
        assert!(refused_at(more, "file"));
        // Staff can add to it, up to the case's limit.
        for n in 0..3 {
            app.add_attachment(
                &officer,
                &reference,
                &format!("note{n}.txt"),
                b"notes",
                "Visit",
                None,
            )
            .await
            .unwrap();
        }
        let full = app
            .add_attachment(
                &officer,
                &reference,
                "one-more.txt",
                b"notes",
                "Visit",
                None,
            )
            .await;
        let Err(AppError::Invalid(e)) = &full else {
            panic!("{full:?}")
        };
        assert_eq!(
            e.get("file"),
            Some("This case already has 5 files, the most it can hold. Contact us to send more")
        );
        let view = app.case_for(&officer, &reference).await.unwrap();
        assert_eq!(view.contact.case.attachments.len(), 5);

        // Twelve months back is now the furthest a contact may be dated.
        let today = app.today();
        let dated = |months: i64| ContactInput {
            received_date: today
                .checked_sub(jiff::Span::new().months(months))
                .unwrap()
                .to_string(),
            ..input.clone()
        };
        assert!(refused_at(
            app.submit_contact(&officer, &dated(13), Source::Staff, None)
                .await,
            "received_date"
        ));
        app.submit_contact(&officer, &dated(11), Source::Staff, None)
            .await
            .unwrap();
    })
    .await;
}

#[tokio::test]
async fn knocks_at_the_door_to_a_case_are_counted_by_every_instance_together() {
    on_each_backend(|store| async move {
        let one = app(&store).await;
        let two = App::load(store.clone()).await.unwrap();
        for _ in 0..5 {
            assert_eq!(
                one.knock("track", "203.0.113.9", 10, 600).await.unwrap(),
                None
            );
            assert_eq!(
                two.knock("track", "203.0.113.9", 10, 600).await.unwrap(),
                None
            );
        }
        // The eleventh, on either instance, waits.
        let wait = two.knock("track", "203.0.113.9", 10, 600).await.unwrap();
        assert!(wait.is_some_and(|s| (1..=60).contains(&s)), "{wait:?}");
        assert_eq!(
            one.knock("track", "192.0.2.20", 10, 600).await.unwrap(),
            None,
            "another client has its own count"
        );
        // Everyone together has a ceiling too.
        assert!(
            one.knock("track", "198.51.100.1", 10, 11)
                .await
                .unwrap()
                .is_some()
        );
        // A minute later the client may knock again; a day later it is forgotten.
        let later = jiff::Timestamp::now() + jiff::SignedDuration::from_mins(2);
        let later = one.clone().with_clock(move || later);
        assert_eq!(
            later.knock("track", "203.0.113.9", 10, 600).await.unwrap(),
            None
        );
        let tomorrow = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(25);
        let tomorrow = one.clone().with_clock(move || tomorrow);
        assert!(tomorrow.forget_old_attempts().await.unwrap() >= 12);
    })
    .await;
}
