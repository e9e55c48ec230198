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
