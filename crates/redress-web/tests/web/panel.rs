//! The Tenants Panel step through the pages: offered for one service area, asked for by the
//! resident from their own page, read and answered by a panel member who sees no contact
//! details, shown on the case and the resident's page, and counted in the report.

use super::{VALID, hidden};
use axum::http::StatusCode;
use redress_app::access::Principal;
use redress_domain::case::{Command, PointDecision};
use redress_domain::role::Role;
use redress_testkit::web::{PASSWORD, TestApp, on_each_backend};

#[tokio::test]
async fn a_resident_asks_the_tenants_panel_and_the_panel_gives_its_input() {
    on_each_backend(|t| async move {
        let admin = Principal::System;
        let housing = t
            .app
            .add_service_area(&admin, "Council housing", "hos-2024")
            .await
            .unwrap();
        t.app
            .set_area_panel(&admin, &housing.id, "10")
            .await
            .unwrap();
        t.app
            .add_user(
                &admin,
                "rhys@panel.test",
                "Rhys Bowen",
                Role::TenantsPanel,
                PASSWORD,
            )
            .await
            .unwrap();

        // A complaint about council housing, answered at stage 1.
        let reference = answered_at_stage_1(&t, &housing.id).await;
        let today = t.app.today();

        // The resident asks from their own page; an empty reason is named at its field.
        let signed = t
            .post_form(
                "/track",
                format!("reference={reference}&answer=aled%40example.org"),
                None,
            )
            .await;
        let cookie = signed.cookie.unwrap();
        let page = t.get("/track/case", Some(&cookie)).await.body;
        assert!(
            page.contains("Ask the Tenants Panel")
                && page.contains("will not see your contact details")
        );
        let empty = t
            .post_form("/track/case/panel", "why=+", Some(&cookie))
            .await;
        assert!(
            empty
                .body
                .contains("Enter what you are unhappy with in the response"),
            "{}",
            empty.body
        );
        let asked = t
            .post_form(
                "/track/case/panel",
                "why=Nobody+checked+the+flat+above",
                Some(&cookie),
            )
            .await;
        assert_eq!(asked.location, "/track/case?done=panel");
        let due = t
            .app
            .calendar()
            .await
            .unwrap()
            .add_working_days(today, 10)
            .unwrap();
        let page = t.get("/track/case?done=panel", Some(&cookie)).await.body;
        assert!(page.contains("The Tenants Panel will give its view"));
        assert!(page.contains(&redress_domain::calendar::long_date(due)));
        assert!(page.contains("Tenants Panel asked to look at the response"));
        assert!(
            !page.contains("action=\"/track/case/panel\""),
            "asked once only"
        );

        // The panel member starts at the panel's list and reads the complaint without any
        // way to reach the resident; the case pages stay closed to them.
        let panel = t
            .post_form(
                "/staff/login",
                format!("email=rhys%40panel.test&password={PASSWORD}"),
                None,
            )
            .await;
        assert_eq!(panel.location, "/staff/panel");
        let member = panel.cookie.unwrap();
        let queue = t.get("/staff/panel", Some(&member)).await.body;
        assert!(queue.contains(&reference) && queue.contains("Nobody checked the flat above"));
        assert_eq!(
            t.get(&format!("/staff/cases/{reference}"), Some(&member))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            t.get("/staff/reports", Some(&member)).await.status,
            StatusCode::FORBIDDEN
        );
        let read = t
            .get(&format!("/staff/panel/{reference}"), Some(&member))
            .await
            .body;
        assert!(
            read.contains("Nobody came to fix the leak")
                && read.contains("The leak came from the flat above")
        );
        for private in [
            "aled@example.org",
            "Aled Jones",
            "CF10 1AA",
            "screen reader",
        ] {
            assert!(!read.contains(private), "the panel sees {private}");
        }
        let csrf = hidden(&read, "csrf");
        let blank = t
            .post_form(
                &format!("/staff/panel/{reference}"),
                format!("csrf={csrf}&input=+"),
                Some(&member),
            )
            .await;
        assert_eq!(blank.status, StatusCode::BAD_REQUEST);
        assert!(
            blank.body.contains("Enter the panel&#39;s input"),
            "{}",
            blank.body
        );
        let given = t
            .post_form(
                &format!("/staff/panel/{reference}"),
                format!("csrf={csrf}&input=Ask+the+surveyor+to+inspect+the+flat+above"),
                Some(&member),
            )
            .await;
        assert_eq!(given.location, format!("/staff/panel/{reference}"));
        assert!(
            t.get("/staff/panel", Some(&member))
                .await
                .body
                .contains("0 complaints wait")
        );

        // The complaints officer reads the input in the case's history; the resident is told
        // the panel has given it.
        let officer = t.sign_in("officer@test.org").await;
        let case = t
            .get(&format!("/staff/cases/{reference}"), Some(&officer))
            .await
            .body;
        assert!(
            case.contains("Ask the surveyor to inspect the flat above")
                && case.contains("Rhys Bowen")
        );
        let page = t.get("/track/case", Some(&cookie)).await.body;
        assert!(page.contains("Tenants Panel&#39;s input"));
        let year = today.year();
        let report = t
            .get(
                &format!("/staff/reports?from={year}-01-01&to={year}-12-31"),
                Some(&officer),
            )
            .await
            .body;
        assert!(report.contains("The Tenants Panel"), "{report}");
    })
    .await;
}

#[tokio::test]
async fn the_panel_is_only_offered_where_the_organisation_offers_it() {
    on_each_backend(|t| async move {
        let admin = t
            .app
            .add_user(
                &Principal::System,
                "admin@test.org",
                "Alex Admin",
                Role::Admin,
                PASSWORD,
            )
            .await
            .unwrap();
        let cookie = t.sign_in(&admin.email).await;
        let parking = t
            .app
            .add_service_area(&Principal::System, "Parking", "hos-2024")
            .await
            .unwrap();
        let page = t.get("/staff/admin/schemes", Some(&cookie)).await.body;
        let csrf = hidden(&page, "csrf");
        let field = format!("panel-{}", parking.id);
        let wrong = t
            .post_form(
                &format!("/staff/admin/schemes/areas/{}", parking.id),
                format!("csrf={csrf}&scheme-{}=hos-2024&{field}=99", parking.id),
                Some(&cookie),
            )
            .await;
        assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
        assert!(
            wrong.body.contains(&format!("href=\"#{field}\""))
                && wrong.body.contains("From 1 to 60")
        );
        // Not offered: a complaint in the area cannot be sent to the panel.
        let reference = answered_at_stage_1(&t, &parking.id).await;
        let today = t.app.today();
        let case = t
            .get(&format!("/staff/cases/{reference}"), Some(&cookie))
            .await
            .body;
        assert!(!case.contains("Ask the Tenants Panel"));
        let ask = Command::AskTenantsPanel {
            on: today,
            why: "Unhappy".into(),
            within: 30,
        };
        let refused = t
            .app
            .apply_command(&Principal::System, &reference, ask, None)
            .await;
        assert!(refused.is_err_and(|e| e.to_string().contains("not offered")));
        // Offered from now on, with the target the administrator set.
        let saved = t
            .post_form(
                &format!("/staff/admin/schemes/areas/{}", parking.id),
                format!("csrf={csrf}&scheme-{}=hos-2024&{field}=5", parking.id),
                Some(&cookie),
            )
            .await;
        assert_eq!(saved.location, "/staff/admin/schemes?saved=1");
        let case = t
            .get(&format!("/staff/cases/{reference}"), Some(&cookie))
            .await
            .body;
        assert!(case.contains("Ask the Tenants Panel"));
        let ask = Command::AskTenantsPanel {
            on: today,
            why: "Unhappy".into(),
            within: 30,
        };
        let c = t
            .app
            .apply_command(&Principal::System, &reference, ask, None)
            .await
            .unwrap();
        let due = t
            .app
            .calendar()
            .await
            .unwrap()
            .add_working_days(today, 5)
            .unwrap();
        assert_eq!(
            c.case.panel.map(|p| p.due_by),
            Some(due),
            "the area's target, not the caller's"
        );
        let log = t.get("/staff/admin", Some(&cookie)).await.body;
        assert!(log.contains(
            "The Tenants Panel is offered for Parking: its input is due within 5 working days"
        ));
    })
    .await;
}

/// A complaint sent through the public form in `area`, acknowledged and answered at stage 1
/// (not upheld: the leak came from the flat above); its reference.
async fn answered_at_stage_1(t: &TestApp, area: &str) -> String {
    let body = format!("{VALID}&service_area={area}");
    let sent = t
        .post_form(
            &t.post_form("/contact/new", body, None).await.location,
            "",
            None,
        )
        .await;
    let page = t.get(&sent.location, None).await.body;
    let start = page.find("CMP-").unwrap();
    let reference = page[start..start + 15].to_string();
    let today = t.app.today();
    let ack = Command::Acknowledge {
        on: today,
        understanding: "The leak".into(),
        outcome_wanted: "A repair".into(),
    };
    let respond = Command::Respond {
        on: today,
        points: vec![PointDecision {
            point: "The leak was not fixed".into(),
            upheld: false,
        }],
        reasons: "The leak came from the flat above".into(),
        outstanding_actions: None,
        early_resolution: false,
    };
    for command in [ack, respond] {
        t.app
            .apply_command(&Principal::System, &reference, command, None)
            .await
            .unwrap();
    }
    reference
}
