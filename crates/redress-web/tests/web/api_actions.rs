//! A case moved on through the API with the same fields, permissions and rules as the
//! forms, refusals named at their fields, and the case's letters and files read back.

use axum::http::StatusCode;
use redress_app::access::Principal;
use redress_domain::role::Role;
use redress_testkit::web::{PASSWORD, on_each_backend};

#[tokio::test]
async fn staff_actions_through_the_api_follow_the_forms_rules() {
    on_each_backend(|t| async move {
        let token = t.app.issue_api_token(&Principal::System, "officer@test.org", "hms").await.unwrap();
        let body = r#"{"kind":"complaint","channel":"email","who":"myself","name":"Bethan Morgan","email":"b@example.org","summary":"Damp in the bedroom"}"#;
        let created = t.post_json("/api/contacts", body, Some(&token), None).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        let json: serde_json::Value = serde_json::from_str(&created.body).unwrap();
        let reference = json["reference"].as_str().unwrap().to_string();
        let version = json["contact"]["version"].as_i64().unwrap();
        let act = |action: &str, body: String, token: Option<String>| {
            let path = format!("/api/contacts/{reference}/actions/{action}");
            let t = &t;
            async move { t.post_json(&path, &body, token.as_deref(), None).await }
        };
        let today = t.app.today();
        // No token, unknown action, malformed and ill-typed bodies.
        assert_eq!(act("acknowledge", "{}".into(), None).await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(act("dance", "{}".into(), Some(token.clone())).await.status, StatusCode::NOT_FOUND);
        let malformed = act("acknowledge", "{\"on\":".into(), Some(token.clone())).await;
        assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
        let typed = act("acknowledge", r#"{"understanding":["a"]}"#.into(), Some(token.clone())).await;
        assert_eq!(typed.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(typed.body.contains("\"field\":\"understanding\""), "{}", typed.body);
        // A field the form would refuse is refused by name, as the form would.
        let bad = act("acknowledge", r#"{"on":"2026-13-45","understanding":"Damp","outcome_wanted":"Fix it"}"#.to_string(), Some(token.clone())).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        assert!(bad.body.contains("\"field\":\"on\""), "{}", bad.body);
        // An old version is a conflict, not a lost update.
        let stale = act("acknowledge", format!(r#"{{"on":"{today}","understanding":"Damp","outcome_wanted":"Fix it","version":{}}}"#, version - 1), Some(token.clone())).await;
        assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
        let done = act("acknowledge", format!(r#"{{"on":"{today}","understanding":"Damp in the bedroom","outcome_wanted":"Fix it","version":{version}}}"#), Some(token.clone())).await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.body);
        let case: serde_json::Value = serde_json::from_str(&done.body).unwrap();
        assert_eq!(case["status"], "acknowledged");
        assert!(case["events"].as_array().unwrap().len() >= 2);
        // The acknowledgement letter is read back with the case, as a draft to check.
        let letters = case["letters"].as_array().unwrap();
        assert!(letters.iter().any(|l| l["kind"] == "acknowledgement"), "{letters:?}");
        // The rules hold: it cannot be acknowledged twice.
        let twice = act("acknowledge", format!(r#"{{"on":"{today}","understanding":"Damp","outcome_wanted":"Fix"}}"#), Some(token.clone())).await;
        assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", twice.body);
        assert!(twice.body.contains("\"errors\""), "{}", twice.body);
        // A note: a kind from its list, the date defaulting to today as on the form.
        let note = act("add-note", r#"{"kind":"call-with-resident","text":"Called Bethan: damp survey booked"}"#.into(), Some(token.clone())).await;
        assert_eq!(note.status, StatusCode::OK, "{}", note.body);
        assert!(note.body.contains("damp survey booked"), "{}", note.body);
        // A role that may read but not handle cases is refused, as on the case page.
        t.app.add_user(&Principal::System, "audit@test.org", "Ann Auditor", Role::Auditor, PASSWORD).await.unwrap();
        let auditor = t.app.issue_api_token(&Principal::System, "audit@test.org", "audit").await.unwrap();
        assert_eq!(act("add-note", r#"{"kind":"note","text":"x"}"#.into(), Some(auditor.clone())).await.status, StatusCode::FORBIDDEN);
        // Files are read back through the API; an unknown one is not found.
        let path = format!("/api/contacts/{reference}/files/no-such-file");
        let r = axum::http::Request::get(path).header("authorization", format!("Bearer {auditor}"));
        assert_eq!(t.send(r.body(axum::body::Body::empty()).unwrap()).await.status, StatusCode::NOT_FOUND);
    })
    .await;
}

/// A multipart body with one file part and the given fields.
fn multipart(file: Option<(&str, &[u8])>, fields: &[(&str, &str)]) -> (String, Vec<u8>) {
    let boundary = "redress-test-boundary";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .bytes(),
        );
    }
    if let Some((name, bytes)) = file {
        body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").bytes());
        body.extend_from_slice(bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{boundary}--\r\n").bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[tokio::test]
async fn files_are_added_through_the_api_with_the_form_s_rules() {
    on_each_backend(|t| async move {
        let token = t.app.issue_api_token(&Principal::System, "officer@test.org", "hms").await.unwrap();
        let body = r#"{"kind":"complaint","channel":"email","who":"myself","name":"Bethan Morgan","email":"b@example.org","summary":"Damp in the bedroom"}"#;
        let created = t.post_json("/api/contacts", body, Some(&token), None).await;
        let json: serde_json::Value = serde_json::from_str(&created.body).unwrap();
        let reference = json["reference"].as_str().unwrap().to_string();
        let send = |content_type: String, body: Vec<u8>, token: String| {
            let r = axum::http::Request::post(format!("/api/contacts/{reference}/files"))
                .header("authorization", format!("Bearer {token}"))
                .header("content-type", content_type)
                .body(axum::body::Body::from(body))
                .unwrap();
            let t = &t;
            async move { t.send(r).await }
        };
        // Not multipart; no file; a file of a kind not accepted and no description.
        let json_body = send("application/json".into(), b"{}".to_vec(), token.clone()).await;
        assert_eq!(json_body.status, StatusCode::BAD_REQUEST, "{}", json_body.body);
        let (ct, b) = multipart(None, &[("description", "Survey")]);
        let none = send(ct, b, token.clone()).await;
        assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(none.body.contains("\"field\":\"file\""), "{}", none.body);
        let (ct, b) = multipart(Some(("run.exe", b"MZ\x90\x00")), &[]);
        let bad = send(ct, b, token.clone()).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("must be a PDF") && bad.body.contains("\"field\":\"description\""), "{}", bad.body);
        // A version that is not a whole number is refused at its field.
        let (ct, b) = multipart(Some(("survey.pdf", b"%PDF-1.4 survey")), &[("description", "Damp survey"), ("version", "[]")]);
        let typed = send(ct, b, token.clone()).await;
        assert_eq!(typed.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(typed.body.contains("\"field\":\"version\""), "{}", typed.body);
        // A stale version is a conflict.
        let (ct, b) = multipart(Some(("survey.pdf", b"%PDF-1.4 survey")), &[("description", "Damp survey"), ("version", "0")]);
        assert_eq!(send(ct, b, token.clone()).await.status, StatusCode::CONFLICT);
        // Added, and read back by its id.
        let (ct, b) = multipart(Some(("survey.pdf", b"%PDF-1.4 survey")), &[("description", "Damp survey")]);
        let added = send(ct, b, token.clone()).await;
        assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
        let case: serde_json::Value = serde_json::from_str(&added.body).unwrap();
        let id = case["events"].as_array().unwrap().iter().find(|e| e["kind"] == "attachment-added").unwrap()["detail"]["id"]
            .as_str().unwrap().to_string();
        let r = axum::http::Request::get(format!("/api/contacts/{reference}/files/{id}")).header("authorization", format!("Bearer {token}"));
        let file = t.send(r.body(axum::body::Body::empty()).unwrap()).await;
        assert_eq!(file.status, StatusCode::OK);
        assert_eq!(file.bytes, b"%PDF-1.4 survey");
        // A role that may read but not handle cases may not add files.
        t.app.add_user(&Principal::System, "audit@test.org", "Ann Auditor", Role::Auditor, PASSWORD).await.unwrap();
        let auditor = t.app.issue_api_token(&Principal::System, "audit@test.org", "audit").await.unwrap();
        let (ct, b) = multipart(Some(("survey.pdf", b"%PDF-1.4 more")), &[("description", "More")]);
        assert_eq!(send(ct, b, auditor).await.status, StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn scrutiny_requests_are_read_through_the_api_without_contact_details_for_the_team() {
    on_each_backend(|t| async move {
        let form = "name=Ada+Lovelace&email=ada%40example.org&phone=029+2087+2000&preferred_contact=email&format=braille\
            &concerns=Communal+repairs+are+left+for+months&actions_taken=Complained+twice\
            &failures=Broken+door+entry&affected=Everyone+in+Oak+House\
            &resolution=Fix+repairs&signature=Ada+Lovelace&declaration=yes&action=send";
        let sent = t.post_form("/scrutiny/new", form, None).await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        let get = |path: String, token: String| {
            let t = &t;
            async move {
                let r = axum::http::Request::get(path).header("authorization", format!("Bearer {token}"));
                t.send(r.body(axum::body::Body::empty()).unwrap()).await
            }
        };
        let officer = t.app.issue_api_token(&Principal::System, "officer@test.org", "crm").await.unwrap();
        let member = t.app.issue_api_token(&Principal::System, "scrutiny@test.org", "team").await.unwrap();
        let list = get("/api/scrutiny/requests".into(), officer.clone()).await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.body);
        let json: serde_json::Value = serde_json::from_str(&list.body).unwrap();
        let reference = json["items"][0]["reference"].as_str().unwrap().to_string();
        assert!(list.body.contains("ada@example.org"), "staff who support requesters see how to reach them");
        let one = get(format!("/api/scrutiny/requests/{reference}"), officer).await;
        let json: serde_json::Value = serde_json::from_str(&one.body).unwrap();
        assert_eq!(json["status"], "submitted");
        assert!(json["history"].as_array().unwrap().iter().any(|h| h["what"] == "Request sent"), "{json}");
        let seen = get(format!("/api/scrutiny/requests/{reference}"), member.clone()).await;
        assert_eq!(seen.status, StatusCode::OK);
        assert!(seen.body.contains("Communal repairs") && !seen.body.contains("ada@example.org") && !seen.body.contains("2087"), "{}", seen.body);
        assert!(!seen.body.contains("braille") && !seen.body.contains("preferred_contact"), "what they need is for those who write to them: {}", seen.body);
        assert_eq!(get("/api/scrutiny/requests/CCS-1999-0001".into(), member).await.status, StatusCode::NOT_FOUND);
        t.app.add_user(&Principal::System, "chair@test.org", "Huw Chair", Role::GoverningBody, PASSWORD).await.unwrap();
        let board = t.app.issue_api_token(&Principal::System, "chair@test.org", "board").await.unwrap();
        assert_eq!(get("/api/scrutiny/requests".into(), board).await.status, StatusCode::FORBIDDEN);
    })
    .await;
}
