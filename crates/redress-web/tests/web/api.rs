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

#[tokio::test]
async fn the_api_answers_exactly_what_its_document_says() {
    on_each_backend(|t| async move {
        let token = t.app.issue_api_token(&Principal::System, "officer@test.org", "test").await.unwrap();
        let get = |path: String| {
            let t = &t;
            let token = token.clone();
            async move {
                let r = Request::get(path).header(header::AUTHORIZATION, format!("Bearer {token}"));
                t.send(r.body(Body::empty()).unwrap()).await
            }
        };
        // The document names every field a contact has, with the domain's choices.
        let doc: serde_json::Value = serde_json::from_str(&t.get("/api/openapi.json", None).await.body).unwrap();
        let contact = &doc["components"]["schemas"]["ContactInput"];
        assert_eq!(contact["required"], serde_json::json!(["kind", "summary"]));
        assert!(contact["properties"]["kind"]["enum"].as_array().unwrap().contains(&serde_json::json!("compliment")));
        assert_eq!(contact["properties"]["summary"]["maxLength"], 10_000);
        let stage = doc["paths"]["/api/contacts"]["get"]["parameters"].as_array().unwrap().iter().find(|p| p["name"] == "stage").unwrap();
        assert_eq!((stage["schema"]["minimum"].as_i64(), stage["schema"]["maximum"].as_i64()), (Some(1), Some(2)));

        // What the document does not allow, the API refuses at the parameter.
        for query in ["stage=", "stage=0", "stage=3", "stage=%2B1", "kind=%20complaint", "status=", "page=1.5", "per_page=201"] {
            let r = get(format!("/api/contacts?{query}")).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {}", r.body);
            let name = query.split('=').next().unwrap();
            assert!(r.body.contains(&format!("\"field\":\"{name}\"")), "{query}: {}", r.body);
        }
        for query in ["stage=2", "kind=complaint&status=received&page=1&per_page=200", "q=", "year="] {
            assert_eq!(get(format!("/api/contacts?{query}")).await.status, StatusCode::OK, "{query}");
        }
        // A report over centuries would keep the server busy: periods are bounded.
        for query in ["from=0007-12-01&to=2026-12-11", "from=2001-01-01&to=2026-01-01", "from=%202026-01-01&to=2026-02-01"] {
            let r = get(format!("/api/reports/measures?{query}")).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {}", r.body);
        }
        assert_eq!(get("/api/reports/measures?from=2026-01-01&to=2026-03-31".into()).await.status, StatusCode::OK);
        for query in ["year=+2025", "year=%202025", "year=1999"] {
            assert_eq!(get(format!("/api/reports/tsm?{query}")).await.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        }

        // A contact's yes/no fields are true or false, names fit, and choices are exact.
        let wrong = t
            .post_json(
                "/api/contacts",
                &serde_json::json!({"kind": "complaint", "summary": "Leak", "name": true, "wants_reply": "maybe",
                    "tenure": " secure", "received_time": "9.30", "postcode": "x".repeat(201)}).to_string(),
                Some(&token),
                None,
            )
            .await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
        for field in ["name", "wants_reply", "tenure", "received_time", "postcode"] {
            assert!(wrong.body.contains(&format!("\"field\":\"{field}\"")), "{field}: {}", wrong.body);
        }
        // Left out, the channel is the API, and who it is for follows from the name.
        let made = t
            .post_json("/api/contacts", r#"{"kind":"compliment","summary":"Thank you to Sam","name":"Ann Lee","email":"ann@example.org","wants_reply":false,"phone":null}"#, Some(&token), None)
            .await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
        let json: serde_json::Value = serde_json::from_str(&made.body).unwrap();
        assert_eq!(json["contact"]["detail"]["channel"], "api", "{json}");
        // A key is for one contact: the same key with a different contact is refused, and
        // a body without a required field is refused whatever its key.
        let first = t.post_json("/api/contacts", r#"{"kind":"comment","summary":"The new bins are good"}"#, Some(&token), Some("bins-1")).await;
        assert_eq!(first.status, StatusCode::CREATED);
        let again = t.post_json("/api/contacts", r#"{"kind":"comment","summary":"The new bins are good"}"#, Some(&token), Some("bins-1")).await;
        assert_eq!(again.status, StatusCode::OK);
        let other = t.post_json("/api/contacts", r#"{"kind":"comment","summary":"Something else"}"#, Some(&token), Some("bins-1")).await;
        assert_eq!(other.status, StatusCode::CONFLICT, "{}", other.body);
        let missing = t.post_json("/api/contacts", r#"{"summary":"The new bins are good"}"#, Some(&token), Some("bins-1")).await;
        assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(missing.body.contains(r#"{"field":"kind","message":"Required"}"#), "{}", missing.body);
    })
    .await;
}
