//! Reports as tables, CSV and JSON, and benchmarking files.

use super::{VALID, hidden};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use redress_app::access::Principal;
use redress_domain::role::Role;
use redress_testkit::web::{PASSWORD, on_each_backend};
use tower::ServiceExt;

#[tokio::test]
async fn reports_show_the_period_s_figures_as_tables_csv_and_json() {
    use redress_domain::organisation::{HomesCount, Tenure};
    on_each_backend(|t| async move {
        let sent = t
            .post_form(
                &t.post_form("/contact/new", VALID, None).await.location,
                "",
                None,
            )
            .await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER);
        let today = t.app.today();
        let year = if today.month() >= 4 {
            today.year()
        } else {
            today.year() - 1
        };
        let homes = HomesCount {
            year,
            tenure: Tenure::LowCostRental,
            homes: 500,
        };
        t.store
            .set_homes(&t.app.organisation.id, &homes)
            .await
            .unwrap();

        t.app
            .add_user(
                &Principal::System,
                "board@test.org",
                "Bea Board",
                Role::GoverningBody,
                PASSWORD,
            )
            .await
            .unwrap();
        let board = t.sign_in("board@test.org").await;
        let page = t.get("/staff/reports", Some(&board)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("New complaints") && page.body.contains("Online form"),
            "{}",
            page.body
        );
        assert!(
            page.body.contains("<svg role=\"img\""),
            "an accessible chart"
        );
        assert!(
            !page.body.contains("href=\"/staff/cases\""),
            "the board's menu has no case pages"
        );
        let bad = t
            .get("/staff/reports?from=2026-02-30&to=2026-01-01", Some(&board))
            .await;
        assert!(bad.body.contains("Enter a real date"), "{}", bad.body);
        let csv = t
            .get(
                &format!("/staff/reports/measures.csv?from={year}-04-01&to={today}"),
                Some(&board),
            )
            .await;
        assert!(
            csv.body.starts_with("section,measure,value\r\n"),
            "{}",
            csv.body
        );
        assert!(
            csv.body.contains("Received,New complaints,1\r\n"),
            "{}",
            csv.body
        );

        let open_csv = t.get("/staff/reports/open.csv", Some(&board)).await.body;
        assert!(
            open_csv.starts_with(
                "reference,stage,service_area,handled_by,respond_by,working_days_left\r\nCMP-"
            ),
            "{open_csv}"
        );
        let open = t.get("/staff/reports/open", Some(&board)).await.body;
        assert!(
            open.contains("Complaints waiting for a response today: 1,")
                && open.contains("Due later (1)"),
            "{open}"
        );
        assert!(
            !open.contains("href=\"/staff/cases/CMP-"),
            "the board sees references, not links to case pages"
        );
        let tsm = t
            .get(&format!("/staff/reports/tsm?year={year}"), Some(&board))
            .await
            .body;
        assert!(
            tsm.contains("CH01 stage 1 complaints per 1,000 homes") && tsm.contains("2.0"),
            "1 / 500 x 1000: {tsm}"
        );
        assert!(tsm.contains("strict reading"));

        // The same over the API, with a token.
        let token = t
            .app
            .issue_api_token(&Principal::System, "board@test.org", "reports")
            .await
            .unwrap();
        let api = t
            .router
            .clone()
            .oneshot(
                Request::get(format!("/api/reports/tsm?year={year}"))
                    .header(header::AUTHORIZATION, format!("Bearer {token}"))
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(api.status(), StatusCode::OK);
        let json: serde_json::Value =
            serde_json::from_slice(&api.into_body().collect().await.unwrap().to_bytes()).unwrap();
        assert_eq!(json["ch01_stage1_per_1000"], 2.0);
        assert!(json.get("ch02_stage1_pct_strict").is_some());
        let bad = t
            .router
            .clone()
            .oneshot(
                Request::get("/api/reports/measures?from=x&to=2026-01-01")
                    .header(header::AUTHORIZATION, format!("Bearer {token}"))
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    })
    .await;
}

#[tokio::test]
async fn benchmarking_files_are_exported_and_compared_side_by_side() {
    on_each_backend(|t| async move {
        let sent = t.post_form(&t.post_form("/contact/new", VALID, None).await.location, "", None).await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER);
        let officer = t.sign_in("officer@test.org").await;
        let today = t.app.today();
        let from = jiff::civil::date(today.year(), 1, 1);
        let file = t.get(&format!("/staff/reports/benchmark.json?from={from}&to={today}"), Some(&officer)).await.body;
        let mut ours: serde_json::Value = serde_json::from_str(&file).unwrap();
        assert_eq!(ours["format"], "redress-benchmark");
        assert_eq!(ours["figures"]["new_complaints"], 1.0);
        // Another landlord's figures for the same period.
        ours["organisation"] = "Bryn Homes".into();
        ours["figures"]["new_complaints"] = 40.0.into();
        let theirs = serde_json::to_string(&vec![ours]).unwrap();
        let page = t.get("/staff/reports/compare", Some(&officer)).await.body;
        let csrf = hidden(&page, "csrf");
        let upload = |content: String| {
            let boundary = "CmpBoundary";
            let body = format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n\
                 --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"theirs.json\"\r\nContent-Type: application/json\r\n\r\n{content}\r\n--{boundary}--\r\n"
            );
            Request::post("/staff/reports/compare")
                .header(header::HOST, "redress.test")
                .header(header::ORIGIN, "http://redress.test")
                .header(header::COOKIE, officer.clone())
                .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
                .body(Body::from(body))
                .unwrap()
        };
        let compared = t.send(upload(theirs)).await;
        assert_eq!(compared.status, StatusCode::OK, "{}", compared.body);
        assert!(compared.body.contains("Test Homes (") && compared.body.contains("Bryn Homes ("), "{}", compared.body);
        assert!(compared.body.contains(">40<") && compared.body.contains(">1<"));
        let wrong = t.send(upload("{\"format\": \"spreadsheet\"}".into())).await;
        assert!(wrong.body.contains("not a benchmark file") || wrong.body.contains("is not one Redress reads"), "{}", wrong.body);
    })
    .await;
}

#[tokio::test]
async fn trends_are_a_page_with_charts_and_a_csv() {
    on_each_backend(|t| async move {
        let officer = t.sign_in("officer@test.org").await;
        let page = t.get("/staff/reports/trends", Some(&officer)).await;
        assert_eq!(page.status, StatusCode::OK);
        for text in [
            "By quarter",
            "By financial year",
            "(to date)",
            "Stage 1 on time",
            "New complaints, by quarter (chart)",
        ] {
            assert!(page.body.contains(text), "{text}");
        }
        let csv = t
            .get("/staff/reports/trends.csv", Some(&officer))
            .await
            .body;
        let lines: Vec<&str> = csv.lines().collect();
        assert!(
            lines[0].starts_with("period,from,to,to_date,New complaints"),
            "{}",
            lines[0]
        );
        assert_eq!(lines.len(), 1 + 8 + 3, "eight quarters and three years");
        let unknown = t
            .get("/staff/reports/trends?service_area=Nowhere", Some(&officer))
            .await;
        assert_eq!(
            unknown.status.as_u16() / 100,
            4,
            "an unknown area is a clear refusal"
        );
    })
    .await;
}
