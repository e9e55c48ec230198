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
