//! The JSON API: creating, reading and listing, and importing historic cases.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use redress_app::access::Principal;
use redress_domain::role::Role;
use redress_testkit::web::{PASSWORD, on_each_backend};
use tower::ServiceExt;

#[tokio::test]
async fn the_api_creates_reads_and_lists_with_clear_problems() {
    on_each_backend(|t| async move {
        let token = t.app.issue_api_token(&Principal::System, "officer@test.org", "test").await.unwrap();
        let body = r#"{"kind":"complaint","channel":"email","who":"myself","name":"Bethan Morgan","email":"b@example.org","summary":"Damp in the bedroom"}"#;
        assert_eq!(t.post_json("/api/contacts", body, None, None).await.status, StatusCode::UNAUTHORIZED);
        let malformed = t.post_json("/api/contacts", "{\"kind\":", Some(&token), None).await;
        assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
        assert!(malformed.body.contains("\"field\":\"body\""));
        let invalid = t
            .post_json("/api/contacts", r#"{"kind":"grumble","email":"nope","colour":"red","summary":7}"#, Some(&token), None)
            .await;
        assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
        for field in ["colour", "summary"] {
            assert!(invalid.body.contains(&format!("\"field\":\"{field}\"")), "{field}: {}", invalid.body);
        }
        let invalid = t.post_json("/api/contacts", r#"{"kind":"grumble","email":"nope","summary":"x"}"#, Some(&token), None).await;
        for field in ["kind", "email"] {
            assert!(invalid.body.contains(&format!("\"field\":\"{field}\"")), "{field}: {}", invalid.body);
        }

        let created = t.post_json("/api/contacts", body, Some(&token), Some("req-1")).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        let json: serde_json::Value = serde_json::from_str(&created.body).unwrap();
        let reference = json["contact"]["reference"].as_str().unwrap().to_string();
        assert_eq!(created.location, format!("/api/contacts/{reference}"));
        assert!(json["acknowledge_by"].is_string());
        assert_eq!(json["stage"], 1);
        let repeated = t.post_json("/api/contacts", body, Some(&token), Some("req-1")).await;
        assert_eq!(repeated.status, StatusCode::OK);
        // An API client's key is no way into its case from the public confirmation page,
        // which answers only for a key the public form made.
        let other = body.replace("Damp in the bedroom", "Noise from next door");
        let digits = t.post_json("/api/contacts", &other, Some(&token), Some("12345")).await;
        assert_eq!(digits.status, StatusCode::CREATED);
        let peek = t.get("/contact/confirmation/12345", None).await;
        assert_eq!(peek.status, StatusCode::NOT_FOUND);
        assert!(!peek.body.contains("/track/link/"));
        assert!(repeated.body.contains(&reference));

        let r = Request::get("/api/contacts?q=damp&per_page=10").header(header::AUTHORIZATION, format!("Bearer {token}"));
        let list = t.send(r.body(Body::empty()).unwrap()).await;
        let json: serde_json::Value = serde_json::from_str(&list.body).unwrap();
        assert_eq!(json["total"], 1);
        let r = Request::get("/api/contacts?per_page=0").header(header::AUTHORIZATION, format!("Bearer {token}"));
        assert_eq!(t.send(r.body(Body::empty()).unwrap()).await.status, StatusCode::UNPROCESSABLE_ENTITY);
        let r = Request::get(format!("/api/contacts/{reference}")).header(header::AUTHORIZATION, format!("Bearer {token}"));
        let case = t.send(r.body(Body::empty()).unwrap()).await;
        assert!(case.body.contains("\"kind\":\"received\""));
    })
    .await;
}

#[tokio::test]
async fn administrators_import_historic_cases_over_the_api() {
    on_each_backend(|t| async move {
        t.app.add_user(&Principal::System, "imp@test.org", "Ivor Admin", Role::Admin, PASSWORD).await.unwrap();
        let admin = t.app.issue_api_token(&Principal::System, "imp@test.org", "import").await.unwrap();
        let officer = t.app.issue_api_token(&Principal::System, "officer@test.org", "import").await.unwrap();
        let send = |token: String, body: &'static str| {
            t.router.clone().oneshot(
                Request::post("/api/import/cases")
                    .header(header::AUTHORIZATION, format!("Bearer {token}"))
                    .header(header::CONTENT_TYPE, "text/csv")
                    .body(Body::from(body))
                    .unwrap(),
            )
        };
        let file = "source_id,kind,channel,received_date,name,email,summary\nX1,complaint,email,2024-02-01,Ann,ann@example.org,Leak\n";
        assert_eq!(send(officer, file).await.unwrap().status(), StatusCode::FORBIDDEN);
        let bad = send(admin.clone(), "source_id,kind\nX1,complaint\n").await.unwrap();
        assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let json: serde_json::Value = serde_json::from_slice(&bad.into_body().collect().await.unwrap().to_bytes()).unwrap();
        assert_eq!(json["rejected"][0]["field"], "header");
        let ok = send(admin, file).await.unwrap();
        assert_eq!(ok.status(), StatusCode::OK);
        let json: serde_json::Value = serde_json::from_slice(&ok.into_body().collect().await.unwrap().to_bytes()).unwrap();
        assert_eq!(json["imported"], 1);
    })
    .await;
}

#[tokio::test]
async fn an_integration_exchanges_its_token_and_the_old_one_stops() {
    on_each_backend(|t| async move {
        let token = t
            .app
            .issue_api_token(&Principal::System, "officer@test.org", "housing system")
            .await
            .unwrap();
        let get = |token: String| {
            let t = &t;
            async move {
                let request = Request::builder()
                    .uri("/api/contacts")
                    .header(header::AUTHORIZATION, format!("Bearer {token}"))
                    .body(Body::empty())
                    .unwrap();
                t.send(request).await.status
            }
        };
        assert_eq!(get(token.clone()).await, StatusCode::OK);
        let rotated = t
            .post_json("/api/token/rotate", "", Some(&token), None)
            .await;
        assert_eq!(rotated.status, StatusCode::OK, "{}", rotated.body);
        let json: serde_json::Value = serde_json::from_str(&rotated.body).unwrap();
        let fresh = json["token"].as_str().unwrap().to_string();
        assert!(
            json["expires_at"]
                .as_str()
                .is_some_and(|e| e.starts_with(&(t.app.today().year() + 1).to_string()))
        );
        assert_eq!(
            get(token.clone()).await,
            StatusCode::UNAUTHORIZED,
            "the old token stops at once"
        );
        assert_eq!(get(fresh).await, StatusCode::OK);
        let again = t
            .post_json("/api/token/rotate", "", Some(&token), None)
            .await;
        assert_eq!(again.status, StatusCode::UNAUTHORIZED);
        // A year and a day on, the token has expired.
        let later = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24 * 366);
        let old = t.app.clone().with_clock(move || later);
        let issued = t
            .app
            .issue_api_token(&Principal::System, "officer@test.org", "another")
            .await
            .unwrap();
        assert!(old.api_user(&issued).await.unwrap().is_none());
    })
    .await;
}
