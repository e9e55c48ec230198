//! The organisation's own schemes: a council's 30-calendar-day policy made by an
//! administrator, chosen for a service area, and edited, without any open case's deadlines
//! moving. On both databases.

use redress_app::access::Principal;
use redress_app::{App, AppError, settings};
use redress_domain::calendar::Division;
use redress_domain::contact::{Contact, ContactInput, Source};
use redress_domain::role::Role;
use redress_domain::scheme::{ClockStart, Scheme, StageRule, Target};
use redress_store::Store;
use redress_testkit::on_each_backend;

async fn app(store: &Store) -> App {
    settings::ensure_organisation(store, "Demo Council", Division::EnglandAndWales, "hos-2024")
        .await
        .unwrap();
    App::load(store.clone()).await.unwrap()
}

async fn complaint(app: &App, area: &str, received: &str) -> Contact {
    let input = ContactInput {
        kind: "complaint".into(),
        channel: "email".into(),
        who: "myself".into(),
        name: "Rhiannon Price".into(),
        email: "rhiannon@example.org".into(),
        preferred_contact: "email".into(),
        tenure: "low-cost-rental".into(),
        summary: "The housing office never called back".into(),
        service_area: area.into(),
        received_date: received.into(),
        received_time: "10:00".into(),
        ..Default::default()
    };
    app.submit_contact(&Principal::System, &input, Source::Staff, None)
        .await
        .unwrap()
        .into_contact()
}

/// Seed 003's council: one stage answered within a number of calendar days of receipt.
fn council(days: u32) -> Scheme {
    Scheme {
        id: "council-30-day".into(),
        name: "Council complaints policy".into(),
        stages: vec![
            StageRule {
                name: "Stage 1".into(),
                acknowledge_within: Some(Target::WorkingDays(3)),
                respond_within: Target::CalendarDays(days),
                respond_from: ClockStart::Receipt,
                extension_cap: None,
                different_handler: false,
            },
            StageRule {
                name: "Stage 2".into(),
                acknowledge_within: None,
                respond_within: Target::CalendarDays(days),
                respond_from: ClockStart::Receipt,
                extension_cap: Some(Target::CalendarDays(days)),
                different_handler: true,
            },
        ],
        time_limit_months: Some(12),
        ombudsman: None,
    }
}

#[tokio::test]
async fn a_council_runs_its_own_timescales_and_open_cases_keep_theirs() {
    on_each_backend(|store| async move {
        let app = app(&store).await;
        let admin_user = app
            .add_user(
                &Principal::System,
                "admin@council.example",
                "Alys Admin",
                Role::Admin,
                "correct-horse-battery",
            )
            .await
            .unwrap();
        let admin = Principal::Staff(admin_user);
        let officer = Principal::Staff(
            app.add_user(
                &Principal::System,
                "officer@council.example",
                "Owen Officer",
                Role::ComplaintsOfficer,
                "correct-horse-battery",
            )
            .await
            .unwrap(),
        );
        let area = app
            .add_service_area(&admin, "Housing services", "hos-2024")
            .await
            .unwrap();

        // An officer cannot make schemes; a scheme with problems is refused at its fields.
        assert!(matches!(
            app.save_scheme(&officer, council(30), true).await,
            Err(AppError::Forbidden)
        ));
        let mut bad = council(400);
        bad.id = "spso".into();
        let Err(AppError::Invalid(errors)) = app.save_scheme(&admin, bad, true).await else {
            panic!("a scheme reusing a built-in name and a 400-day target was kept");
        };
        assert!(errors.get("scheme_id").is_some());
        assert!(errors.get("stage1_respond").is_some());

        // Monday 2 March 2026 under the Housing Ombudsman's Code: acknowledged by 9 March.
        let before = complaint(&app, &area.id, "2026-03-02").await;
        assert_eq!(before.scheme, "hos-2024");
        let before_due = before.respond_by();

        let v1 = app.save_scheme(&admin, council(30), true).await.unwrap();
        assert_eq!(v1.id, "council-30-day@1");
        // The same short name again, as a new scheme, is refused.
        assert!(matches!(
            app.save_scheme(&admin, council(30), true).await,
            Err(AppError::Invalid(_))
        ));
        assert!(matches!(
            app.set_area_scheme(&admin, &area.id, "no-such-scheme")
                .await,
            Err(AppError::Invalid(_))
        ));
        app.set_area_scheme(&admin, &area.id, "council-30-day")
            .await
            .unwrap();

        // 30 calendar days from receipt: 2 March gives 1 April, Easter or not.
        let thirty = complaint(&app, &area.id, "2026-03-02").await;
        assert_eq!(thirty.scheme, "council-30-day@1");
        assert_eq!(thirty.respond_by(), Some(jiff::civil::date(2026, 4, 1)));

        // The council shortens its policy to 20 days: a new version, for new cases only.
        let v2 = app.save_scheme(&admin, council(20), false).await.unwrap();
        assert_eq!(v2.id, "council-30-day@2");
        // Saving it unchanged makes no third version.
        let again = app.save_scheme(&admin, council(20), false).await.unwrap();
        assert_eq!(again.id, "council-30-day@2");
        let twenty = complaint(&app, &area.id, "2026-03-02").await;
        assert_eq!(twenty.scheme, "council-30-day@2");
        assert_eq!(twenty.respond_by(), Some(jiff::civil::date(2026, 3, 22)));

        // Nothing already open moved: each case still reads under the version it began with.
        for (case, due) in [
            (&before, before_due),
            (&thirty, Some(jiff::civil::date(2026, 4, 1))),
        ] {
            let now = store
                .contact_by_reference(&app.organisation.id, &case.reference)
                .await
                .unwrap()
                .unwrap();
            assert_eq!(now.respond_by(), due, "{}", case.reference);
            assert_eq!(now.scheme, case.scheme);
        }
        assert_eq!(
            app.find_scheme("council-30-day@1")
                .await
                .unwrap()
                .stages
                .first()
                .map(|s| s.respond_within),
            Some(Target::CalendarDays(30))
        );

        // The schemes page lists the latest version with its area; the log says who did what.
        let listed = app.scheme(&admin, "council-30-day").await.unwrap();
        assert_eq!(listed.versions, 2);
        assert_eq!(listed.areas, vec!["Housing services".to_string()]);
        let log = app.admin_log(&admin, 20).await.unwrap();
        let said: Vec<&str> = log.iter().map(|(_, _, what)| what.as_str()).collect();
        assert!(
            said.iter()
                .any(|w| w.starts_with("Added the scheme Council"))
        );
        assert!(said.iter().any(|w| w.contains("is now version 2")));
        assert!(
            said.iter()
                .any(|w| w.contains("Housing services now follows Council complaints policy"))
        );
        assert!(
            log.iter()
                .filter(|(_, _, what)| what.contains("cheme") || what.contains("follows"))
                .all(|(_, who, _)| who == "Alys Admin")
        );
    })
    .await;
}
