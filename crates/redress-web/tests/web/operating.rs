//! Probes a load balancer uses, and the request id on every answer.

use axum::http::StatusCode;
use redress_testkit::web::on_each_backend;

#[tokio::test]
async fn ready_only_while_the_schema_is_the_one_this_build_expects() {
    on_each_backend(|t| async move {
        let ready = t.get("/readyz", None).await;
        assert_eq!(ready.status, StatusCode::OK);
        assert_eq!(ready.body, "ready");
        if t.store.backend() != "sqlite" {
            return;
        }
        // As if a migration had not run: not ready, until it has.
        use sqlx::Connection;
        let file = t.store.database_name().await.unwrap();
        let mut db = sqlx::SqliteConnection::connect(&format!("sqlite://{file}"))
            .await
            .unwrap();
        let last = redress_store::SCHEMA_VERSION;
        sqlx::query("DELETE FROM schema_migrations WHERE version = ?")
            .bind(last)
            .execute(&mut db)
            .await
            .unwrap();
        let not_ready = t.get("/readyz", None).await;
        assert_eq!(not_ready.status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(
            t.get("/healthz", None).await.status,
            StatusCode::OK,
            "alive, though"
        );
        sqlx::query("INSERT INTO schema_migrations (version, applied_at) VALUES (?, 0)")
            .bind(last)
            .execute(&mut db)
            .await
            .unwrap();
        assert_eq!(t.get("/readyz", None).await.status, StatusCode::OK);
    })
    .await;
}

#[tokio::test]
async fn every_answer_carries_a_request_id_and_keeps_a_proxy_s() {
    on_each_backend(|t| async move {
        let first = t
            .send(
                axum::http::Request::get("/healthz")
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
            .await;
        let id = first
            .headers
            .get("x-request-id")
            .cloned()
            .unwrap_or_default();
        assert!(id.len() >= 32, "{id:?}");
        let from_proxy = t
            .send(
                axum::http::Request::get("/healthz")
                    .header("x-request-id", "lb-7f3a-0001")
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(
            from_proxy.headers.get("x-request-id").map(String::as_str),
            Some("lb-7f3a-0001")
        );
        // Anything that does not look like an id is replaced, never echoed.
        let odd = t
            .send(
                axum::http::Request::get("/healthz")
                    .header("x-request-id", "<script>")
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
            .await;
        assert_ne!(
            odd.headers.get("x-request-id").map(String::as_str),
            Some("<script>")
        );
    })
    .await;
}

#[tokio::test]
async fn metrics_count_requests_cases_and_letters_behind_a_token() {
    on_each_backend(|t| async move {
        use redress_testkit::web::METRICS_TOKEN;
        use tower::ServiceExt;
        let scrape = |token: Option<&str>| {
            let mut r = axum::http::Request::get("/metrics");
            if let Some(token) = token {
                r = r.header("authorization", format!("Bearer {token}"));
            }
            t.send(r.body(axum::body::Body::empty()).unwrap())
        };
        assert_eq!(scrape(None).await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(
            redress_web::router(redress_web::AppState {
                throttle: std::sync::Arc::new(redress_web::throttle::Throttle::off()),
                app: t.app.clone(),
                secure_cookies: false,
                public_url: "https://complaints.test".into(),
                metrics_token: Some(METRICS_TOKEN.into()),
            })
            .oneshot(
                axum::http::Request::get("/readyz")
                    .body(axum::body::Body::empty())
                    .unwrap()
            )
            .await
            .unwrap()
            .status(),
            StatusCode::OK
        );
        assert_eq!(
            scrape(Some("wrong-token-wrong")).await.status,
            StatusCode::UNAUTHORIZED
        );
        // A complaint sent online and acknowledged: one open case at stage 1, and its
        // acknowledgement waiting as a draft for the officer to check.
        let sent = t.post_form("/contact/new", super::VALID, None).await;
        let confirmed = t.post_form(&sent.location, "", None).await;
        let page = t.get(&confirmed.location, None).await.body;
        let start = page.find("CMP-").unwrap();
        let reference = page[start..start + 15].to_string();
        let officer = t.sign_in("officer@test.org").await;
        let path = format!("/staff/cases/{reference}/act/acknowledge");
        let form = t.get(&path, Some(&officer)).await.body;
        let body = format!(
            "csrf={}&version={}&on={}&understanding=Leak&outcome_wanted=Fix",
            super::hidden(&form, "csrf"),
            super::hidden(&form, "version"),
            t.app.today()
        );
        assert_eq!(
            t.post_form(&path, body, Some(&officer)).await.status,
            StatusCode::SEE_OTHER
        );
        t.get("/staff/login", None).await;
        // A page that answers with an error still counts under its own route.
        let missing = t.get("/staff/cases/CMP-1999-000001", Some(&officer)).await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        let page = scrape(Some(METRICS_TOKEN)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.headers["content-type"].starts_with("text/plain"));
        let text = page.body;
        let value = |line: &str| -> f64 {
            text.lines()
                .find(|l| l.starts_with(line))
                .and_then(|l| l.rsplit(' ').next())
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| panic!("{line} in {text}"))
        };
        assert_eq!(value("redress_open_cases{stage=\"1\"}"), 1.0);
        assert_eq!(value("redress_overdue_cases{stage=\"1\"}"), 0.0);
        assert_eq!(value("redress_outbox_letters{status=\"draft\"}"), 1.0);
        assert!(value("redress_db_pool_connections") >= 1.0);
        assert!(
            value(
                "redress_http_requests_total{route=\"/staff/login\",method=\"GET\",status=\"200\"}"
            ) >= 1.0
        );
        assert!(
            text.contains("redress_http_request_duration_seconds_bucket{route=\"/staff/login\""),
            "{text}"
        );
        assert!(
            text.contains("redress_http_requests_total{route=\"/readyz\""),
            "routes named: {text}"
        );
        assert!(
            text.contains("redress_http_requests_total{route=\"/staff/cases/{reference}\",method=\"GET\",status=\"404\"}"),
            "an error page keeps its route: {text}"
        );
        // Counts only: nothing the resident typed.
        assert!(!text.contains("Aled") && !text.contains("aled@example.org"));
    })
    .await;
}

#[tokio::test]
async fn without_a_token_there_is_no_metrics_page() {
    on_each_backend(|t| async move {
        let router = redress_web::router(redress_web::AppState {
            throttle: std::sync::Arc::new(redress_web::throttle::Throttle::off()),
            app: t.app.clone(),
            secure_cookies: false,
            public_url: "https://complaints.test".into(),
            metrics_token: None,
        });
        use tower::ServiceExt;
        let response = router
            .oneshot(
                axum::http::Request::get("/metrics")
                    .header("authorization", "Bearer anything-at-all")
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
    })
    .await;
}
