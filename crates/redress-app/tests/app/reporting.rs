//! What a board reads: figures for a period that has not ended are as at today.

use redress_app::access::Principal;
use redress_app::{App, settings};
use redress_domain::calendar::Division;
use redress_domain::contact::{ContactInput, Source};
use redress_testkit::on_each_backend;

async fn app(store: &redress_store::Store) -> App {
    settings::ensure_organisation(store, "Demo Homes", Division::EnglandAndWales, "hos-2024")
        .await
        .unwrap();
    App::load(store.clone()).await.unwrap()
}

#[tokio::test]
async fn a_period_not_yet_ended_counts_what_is_open_as_at_today() {
    on_each_backend(|store| async move {
        // Monday 2 March 2026; the complaint's stage 1 response is due within ten working
        // days of its acknowledgement, well before the end of the financial year.
        let monday: jiff::Timestamp = "2026-03-02T10:00:00Z".parse().unwrap();
        let app = app(&store).await.with_clock(move || monday);
        let input = ContactInput {
            kind: "complaint".into(),
            channel: "phone".into(),
            who: "anonymous".into(),
            summary: "Broken lift".into(),
            ..Default::default()
        };
        app.submit_contact(&Principal::System, &input, Source::Staff, None)
            .await
            .unwrap();
        let year = redress_domain::measures::Period::financial_year(2025).unwrap();
        let m = app.measures(&Principal::System, year, None).await.unwrap();
        assert_eq!(m.open_as_at, Some(app.today()));
        assert_eq!(
            (m.open_within_target, m.open_past_target),
            (1, 0),
            "not late today, whatever it would be on 31 March"
        );
        // Once the year has ended, the figures are as at its last day, and say nothing of today.
        let later: jiff::Timestamp = "2026-06-01T10:00:00Z".parse().unwrap();
        let m = app
            .with_clock(move || later)
            .measures(&Principal::System, year, None)
            .await
            .unwrap();
        assert_eq!(m.open_as_at, None);
        assert_eq!((m.open_within_target, m.open_past_target), (0, 1));
    })
    .await;
}

#[tokio::test]
async fn trends_count_each_quarter_and_year_and_mark_the_current_one_to_date() {
    on_each_backend(|store| async move {
        // Friday 4 December 2026: the third quarter of 2026/27.
        let now: jiff::Timestamp = "2026-12-04T10:00:00Z".parse().unwrap();
        let app = app(&store).await.with_clock(move || now);
        for received in ["2025-01-15", "2025-05-02", "2025-05-20", "2026-11-02"] {
            let input = ContactInput {
                kind: "complaint".into(),
                channel: "phone".into(),
                who: "anonymous".into(),
                summary: "Repairs not done".into(),
                received_date: received.into(),
                ..Default::default()
            };
            app.submit_contact(&Principal::System, &input, Source::Staff, None)
                .await
                .unwrap();
        }
        let t = app.trends(&Principal::System, None).await.unwrap();
        let quarters: Vec<(&str, u32, bool)> = t
            .quarters
            .iter()
            .map(|p| (p.label.as_str(), p.measures.new_complaints, p.to_date))
            .collect();
        assert_eq!(
            quarters,
            [
                ("Q4 2024/25", 1, false),
                ("Q1 2025/26", 2, false),
                ("Q2 2025/26", 0, false),
                ("Q3 2025/26", 0, false),
                ("Q4 2025/26", 0, false),
                ("Q1 2026/27", 0, false),
                ("Q2 2026/27", 0, false),
                ("Q3 2026/27", 1, true),
            ]
        );
        let years: Vec<(&str, u32)> = t
            .years
            .iter()
            .map(|p| (p.label.as_str(), p.measures.new_complaints))
            .collect();
        assert_eq!(years, [("2024/25", 1), ("2025/26", 2), ("2026/27", 1)]);
        assert!(t.years[2].to_date && !t.years[1].to_date);
        assert!(t.service_area.is_none());
        // Nobody outside reports reads them.
        let scrutiny = Principal::Staff(
            app.add_user(
                &Principal::System,
                "sam@test.org",
                "Sam Scrutiny",
                redress_domain::role::Role::ScrutinyMember,
                "lantern pebble orchard",
            )
            .await
            .unwrap(),
        );
        assert!(matches!(
            app.trends(&scrutiny, None).await,
            Err(redress_app::AppError::Forbidden)
        ));
    })
    .await;
}
