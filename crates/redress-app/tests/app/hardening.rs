//! What a stranger with a script cannot do: lock a colleague out of their account, fill a
//! case with files, record a contact from a century ago, or give an address the mailer
//! would refuse later. Each refused at the field, with nothing half-stored.

use redress_app::access::Principal;
use redress_app::{App, AppError, settings};
use redress_domain::calendar::Division;
use redress_domain::contact::{ContactInput, Source};
use redress_domain::role::Role;
use redress_testkit::on_each_backend;

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
async fn files_stop_at_the_quota_with_nothing_half_stored() {
    on_each_backend(|store| async move {
        let app = app(&store).await;
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
        // A resident sends ten files in a day, and no more.
        let (token, _) = app
            .resident_sign_in(&reference, "aled@example.org", "")
            .await
            .unwrap();
        for n in 0..redress_app::attachments::RESIDENT_FILES_PER_DAY {
            app.resident_upload(&token, &format!("photo{n}.txt"), b"a photo", "Damp")
                .await
                .unwrap();
        }
        let more = app
            .resident_upload(&token, "photo.txt", b"a photo", "Damp")
            .await;
        assert!(refused_at(more, "file"));
        // Staff can add to it, up to the case's limit.
        for n in 0..(redress_app::attachments::FILES_PER_CASE
            - redress_app::attachments::RESIDENT_FILES_PER_DAY)
        {
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
        assert!(refused_at(full, "file"));
        let view = app.case_for(&officer, &reference).await.unwrap();
        assert_eq!(
            view.contact.case.attachments.len(),
            redress_app::attachments::FILES_PER_CASE
        );
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
