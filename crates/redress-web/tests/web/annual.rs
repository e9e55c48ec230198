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

        // Administrators prepare the report; the response and its approval are the board's.
        let csrf = hidden(&page, "csrf");
        assert!(!page.contains("Approve and publish"), "an administrator cannot approve");
        let prepared = t.post_form(&url, format!("csrf={csrf}&member_responsible=Cllr+Mair+Evans&statement-accessibility=Forms+in+Welsh+and+English"), Some(&admin)).await;
        assert_eq!(prepared.status, StatusCode::SEE_OTHER, "{}", prepared.body);
        let forged = t.post_form(&url, format!("csrf={csrf}&governing_body_response=Approved+by+the+admin&approve=yes"), Some(&admin)).await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN, "an administrator cannot write the board's response");
        assert_eq!(t.get(&format!("/annual-report/{year}"), None).await.status, StatusCode::NOT_FOUND);

        let chair = t.sign_in("chair@test.org").await;
        let board_page = t.get(&url, Some(&chair)).await.body;
        assert!(board_page.contains("Approve and publish") && !board_page.contains("Statement: "), "the board writes its response only");
        let csrf_board = hidden(&board_page, "csrf");
        let early = t.post_form(&url, format!("csrf={csrf_board}&governing_body_response=&approve=yes"), Some(&chair)).await;
        assert!(early.body.contains("Write the governing body&#39;s response before approving"), "{}", early.body);
        let published = t.post_form(&url, format!("csrf={csrf_board}&governing_body_response=We+accept+the+findings+and+will+retire+the+three-step+policy&approve=yes"), Some(&chair)).await;
        assert_eq!(published.status, StatusCode::SEE_OTHER, "{}", published.body);

        let public = t.get(&format!("/annual-report/{year}"), None).await;
        assert_eq!(public.status, StatusCode::OK);
        for text in ["We accept the findings", "Member Responsible for Complaints: Cllr Mair Evans", "Forms in Welsh and English", "See our statement", "Does not meet the Code", "CH02 stage 1", "Approved by the governing body and published on"] {
            assert!(public.body.contains(text), "{text}");
        }
        assert!(!public.body.contains("Prepare the report") && !public.body.contains("Staff menu"), "no staff controls in public");
        assert!(!public.body.contains("Huw Chair"), "who approved it is for staff");

        // A complaint recorded for that year afterwards changes the report as it stands,
        // never what was approved.
        let late = redress_domain::contact::ContactInput {
            kind: "complaint".into(),
            channel: "letter".into(),
            name: "Ann Lee".into(),
            address: "1 High Street".into(),
            summary: "A letter found late".into(),
            received_date: format!("{year}-06-02"),
            ..Default::default()
        };
        t.app.submit_contact(&Principal::System, &late, redress_domain::contact::Source::Staff, None).await.unwrap();
        assert_eq!(t.get(&format!("/annual-report/{year}"), None).await.body, public.body, "the published report is as approved");

        // The same report in Welsh, approved at the same moment: the figures, the
        // self-assessment and the page's words in Welsh; the organisation's own words as written.
        let welsh = t.get(&format!("/annual-report/{year}"), Some("redress_lang=cy")).await.body;
        for text in [
            "<html lang=\"cy\">",
            "Adroddiad ar berfformiad cwynion a gwella gwasanaethau",
            "Cymeradwywyd gan y corff llywodraethu a&#39;i gyhoeddi ar",
            "Hunanasesiad yn erbyn y Cod Ymdrin â Chwynion",
            "Nid yw&#39;n bodloni&#39;r Cod",
            "Heb ddau gam yn union: ",
            "Gweler ein datganiad",
            "Yr Aelod sy&#39;n Gyfrifol am Gwynion: Cllr Mair Evans.",
            "CH02 ymatebion cam 1 o fewn amserlenni&#39;r Cod",
            "Cwynion newydd",
            "Mesurau Bodlonrwydd Tenantiaid",
            "We accept the findings",
            "Forms in Welsh and English",
            "hreflang=\"en\">English</a>",
        ] {
            assert!(welsh.contains(text), "{text}: {welsh}");
        }
        for english in ["Does not meet the Code", "Not two stages", "New complaints", "Approved by the governing body", "See our statement"] {
            assert!(!welsh.contains(english), "{english} in the Welsh report");
        }
        assert!(public.body.contains("hreflang=\"cy\">Cymraeg</a>"), "the English report links to the Welsh");
        let live = t.get(&url, Some(&chair)).await.body;
        assert!(live.contains("Version 1, approved by Huw Chair"), "{live}");

        // A correction is a new version, and the first stays readable.
        let again = t.post_form(&url, format!("csrf={csrf_board}&governing_body_response=We+accept+the+corrected+findings&approve=yes"), Some(&chair)).await;
        assert_eq!(again.status, StatusCode::SEE_OTHER);
        let latest = t.get(&format!("/annual-report/{year}"), None).await.body;
        assert!(latest.contains("version 2 of 2") && latest.contains("We accept the corrected findings"));
        let first = t.get(&format!("/annual-report/{year}/version/1"), None).await.body;
        assert!(first.contains("version 1 of 2") && first.contains("We accept the findings and will retire") && !first.contains("corrected"), "version 1 unchanged");
        let api: serde_json::Value = serde_json::from_str(&t.get(&format!("/api/annual-report/{year}"), None).await.body).unwrap();
        assert_eq!(api["version"], 2);
        assert_eq!(api["versions"].as_array().unwrap().len(), 2);
        assert_eq!(api["report"]["governing_body_response"], "We accept the corrected findings");
        let api_first: serde_json::Value = serde_json::from_str(&t.get(&format!("/api/annual-report/{year}?version=1"), None).await.body).unwrap();
        assert_eq!(api_first["report"]["measures"]["new_complaints"], api["report"]["measures"]["new_complaints"].as_u64().unwrap() - 1);
        assert_eq!(t.get(&format!("/api/annual-report/{year}?version=3"), None).await.status, StatusCode::NOT_FOUND);
        assert!(t.get("/staff/admin", Some(&admin)).await.body.contains("approved and published by the governing body: version 2"));

        // A version approved before reports were written in Welsh is shown in English, marked
        // as English, with a Welsh note saying why.
        let key = format!("annual:{year}:version:0001");
        let stored = t.store.setting(&t.app.organisation.id, &key).await.unwrap().unwrap();
        let mut older: serde_json::Value = serde_json::from_str(&stored).unwrap();
        older.as_object_mut().unwrap().remove("html_cy").expect("a Welsh copy was kept");
        t.store.set_setting(&t.app.organisation.id, &key, &older.to_string()).await.unwrap();
        let old = t.get(&format!("/annual-report/{year}/version/1"), Some("redress_lang=cy")).await.body;
        assert!(old.contains("<html lang=\"cy\">") && old.contains("Cymeradwywyd y fersiwn hon cyn i adroddiadau gael eu cyhoeddi yn Gymraeg"), "{old}");
        assert!(old.contains("<div lang=\"en\">") && old.contains("Does not meet the Code"), "{old}");
    })
    .await;
}

#[tokio::test]
async fn the_self_assessment_does_not_claim_the_timescales_while_complaints_are_overdue() {
    on_each_backend(|t| async move {
        t.app
            .add_user(
                &Principal::System,
                "chief@test.org",
                "Carys Admin",
                Role::Admin,
                PASSWORD,
            )
            .await
            .unwrap();
        let admin = t.sign_in("chief@test.org").await;
        let received = t
            .app
            .today()
            .checked_sub(jiff::Span::new().days(60))
            .unwrap();
        let late = redress_domain::contact::ContactInput {
            kind: "complaint".into(),
            channel: "phone".into(),
            who: "anonymous".into(),
            summary: "Nobody has answered".into(),
            received_date: received.to_string(),
            ..Default::default()
        };
        let c = t
            .app
            .submit_contact(
                &Principal::System,
                &late,
                redress_domain::contact::Source::Staff,
                None,
            )
            .await
            .unwrap()
            .into_contact();
        let year = redress_domain::measures::Period::financial_year_of(t.app.today());
        let url = format!("/staff/reports/annual?year={year}");
        let page = t.get(&url, Some(&admin)).await.body;
        assert!(
            page.contains("1 overdue now, so the Code is not met"),
            "{page}"
        );
        assert!(page.contains(&format!("href=\"/staff/cases/{}\"", c.reference)));
        assert!(page.contains("Our threshold for meeting the Code is 95% on time. 1 overdue now."));
        let csrf = hidden(&page, "csrf");
        let wrong = t
            .post_form(
                &url,
                format!("csrf={csrf}&on_time_target=120"),
                Some(&admin),
            )
            .await;
        assert!(
            wrong
                .body
                .contains("Enter the share on time as a whole number from 50 to 100"),
            "{}",
            wrong.body
        );
        let saved = t
            .post_form(&url, format!("csrf={csrf}&on_time_target=90"), Some(&admin))
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER);
        assert!(
            t.get(&url, Some(&admin))
                .await
                .body
                .contains("Our threshold for meeting the Code is 90% on time.")
        );
        // Published, the report gives the number overdue, never which complaints.
        t.app
            .add_user(
                &Principal::System,
                "chair@test.org",
                "Huw Chair",
                Role::GoverningBody,
                PASSWORD,
            )
            .await
            .unwrap();
        let chair = t.sign_in("chair@test.org").await;
        let csrf = hidden(&t.get(&url, Some(&chair)).await.body, "csrf");
        let approved = t
            .post_form(
                &url,
                format!("csrf={csrf}&governing_body_response=Noted&approve=yes"),
                Some(&chair),
            )
            .await;
        assert_eq!(approved.status, StatusCode::SEE_OTHER, "{}", approved.body);
        for path in [
            format!("/annual-report/{year}"),
            format!("/api/annual-report/{year}"),
        ] {
            let public = t.get(&path, None).await.body;
            assert!(public.contains("1 overdue now"), "{path}");
            assert!(
                !public.contains(c.reference.as_str()),
                "{path} names no complaint"
            );
        }
    })
    .await;
}
