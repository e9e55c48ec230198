//! The annual complaints report and the board's response.

use super::hidden;
use axum::http::StatusCode;
use redress_app::access::Principal;
use redress_domain::role::Role;
use redress_testkit::web::{PASSWORD, on_each_backend};

#[tokio::test]
async fn the_annual_report_flags_the_code_and_is_published_with_the_board_s_response() {
    use redress_domain::organisation::ServiceArea;
    on_each_backend(|t| async move {
        let today = t.app.today();
        let year = if today.month() >= 4 { today.year() - 1 } else { today.year() - 2 };
        // A service area still on the old three-step policy breaks the Code.
        let area = ServiceArea { id: "old".into(), name: "Estates".into(), scheme: "three-step".into() };
        t.store.add_service_area(&t.app.organisation.id, &area).await.unwrap();
        t.app.add_user(&Principal::System, "chief@test.org", "Carys Admin", Role::Admin, PASSWORD).await.unwrap();
        t.app.add_user(&Principal::System, "chair@test.org", "Huw Chair", Role::GoverningBody, PASSWORD).await.unwrap();
        let admin = t.sign_in("chief@test.org").await;
        let url = format!("/staff/reports/annual?year={year}");
        let page = t.get(&url, Some(&admin)).await.body;
        assert!(page.contains("Self-assessment against the Complaint Handling Code"));
        assert!(page.contains("Not two stages:"), "a three-step scheme is flagged: {page}");
        assert!(page.contains("no Member Responsible for Complaints is named"));
        assert_eq!(t.get(&format!("/annual-report/{year}"), None).await.status, StatusCode::NOT_FOUND, "not published yet");

        // Publishing waits for the governing body's response.
        let csrf = hidden(&page, "csrf");
        let early = t.post_form(&url, format!("csrf={csrf}&member_responsible=Cllr+Mair+Evans&published=yes"), Some(&admin)).await;
        assert!(early.body.contains("Add the governing body&#39;s response before publishing"), "{}", early.body);
        let chair = t.sign_in("chair@test.org").await;
        let board_page = t.get(&url, Some(&chair)).await.body;
        assert!(board_page.contains("The governing body&#39;s response") && !board_page.contains("Statement: "), "the board writes its response only");
        let csrf_board = hidden(&board_page, "csrf");
        let responded = t.post_form(&url, format!("csrf={csrf_board}&governing_body_response=We+accept+the+findings+and+will+retire+the+three-step+policy"), Some(&chair)).await;
        assert_eq!(responded.status, StatusCode::SEE_OTHER, "{}", responded.body);
        let published = t.post_form(&url, format!("csrf={csrf}&member_responsible=Cllr+Mair+Evans&governing_body_response=We+accept+the+findings+and+will+retire+the+three-step+policy&statement-accessibility=Forms+in+Welsh+and+English&published=yes"), Some(&admin)).await;
        assert_eq!(published.status, StatusCode::SEE_OTHER, "{}", published.body);

        let public = t.get(&format!("/annual-report/{year}"), None).await;
        assert_eq!(public.status, StatusCode::OK);
        for text in ["We accept the findings", "Member Responsible for Complaints: Cllr Mair Evans", "Forms in Welsh and English", "Does not meet the Code", "CH02 stage 1"] {
            assert!(public.body.contains(text), "{text}");
        }
        assert!(!public.body.contains("Prepare the report") && !public.body.contains("Staff menu"), "no staff controls in public");
        assert!(t.get("/staff/admin", Some(&admin)).await.body.contains("saved and published"));
    })
    .await;
}
