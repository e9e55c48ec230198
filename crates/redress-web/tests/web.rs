//! The web layer end to end, through the real router: public form, staff pages, JSON API.
//! Every test runs on SQLite, and on PostgreSQL when `REDRESS_TEST_POSTGRES_URL` is set.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use redress_app::access::Principal;
use redress_app::{App, settings};
use redress_domain::calendar::Division;
use redress_domain::role::{Permission, Role};
use redress_store::Store;
use redress_web::{AppState, router};
use std::future::Future;
use tower::ServiceExt;

#[path = "web/hostile.rs"]
mod hostile;
#[path = "web/scrutiny.rs"]
mod scrutiny;

const PASSWORD: &str = "correct-horse-battery";

async fn store(postgres: Option<&str>) -> Store {
    match postgres {
        None => {
            let dir = std::env::temp_dir().join(format!("redress-web-{}", uuid::Uuid::now_v7()));
            std::fs::create_dir_all(&dir).unwrap();
            Store::connect(&format!("sqlite://{}", dir.join("t.db").display()))
                .await
                .unwrap()
        }
        Some(admin_url) => {
            let name = format!("redress_web_{}", uuid::Uuid::now_v7().simple());
            let admin = sqlx_admin(admin_url, &name).await;
            Store::connect(&admin).await.unwrap()
        }
    }
}

/// Creates an empty database for one test and returns its URL.
async fn sqlx_admin(admin_url: &str, name: &str) -> String {
    let admin = sqlx::PgPool::connect(admin_url).await.unwrap();
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&admin)
        .await
        .unwrap();
    admin.close().await;
    let base = admin_url
        .rsplit_once('/')
        .map(|(b, _)| b)
        .unwrap_or(admin_url);
    format!("{base}/{name}")
}

struct TestApp {
    /// The database underneath, for tests that set up or check what pages do not show.
    store: redress_store::Store,
    app: App,
    router: Router,
}

struct Reply {
    status: StatusCode,
    location: String,
    cookie: Option<String>,
    body: String,
}

impl TestApp {
    async fn send(&self, request: Request<Body>) -> Reply {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let location = response
            .headers()
            .get(header::LOCATION)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        let cookie = response
            .headers()
            .get(header::SET_COOKIE)
            .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_string());
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Reply {
            status,
            location,
            cookie,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    async fn get(&self, path: &str, cookie: Option<&str>) -> Reply {
        let mut r = Request::get(path).header(header::HOST, "redress.test");
        if let Some(c) = cookie {
            r = r.header(header::COOKIE, c);
        }
        self.send(r.body(Body::empty()).unwrap()).await
    }

    async fn post_form(&self, path: &str, body: impl Into<Body>, cookie: Option<&str>) -> Reply {
        let mut r = Request::post(path)
            .header(header::HOST, "redress.test")
            .header(header::ORIGIN, "http://redress.test")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(c) = cookie {
            r = r.header(header::COOKIE, c);
        }
        self.send(r.body(body.into()).unwrap()).await
    }

    async fn post_json(
        &self,
        path: &str,
        body: &str,
        token: Option<&str>,
        key: Option<&str>,
    ) -> Reply {
        let mut r = Request::post(path).header(header::CONTENT_TYPE, "application/json");
        if let Some(t) = token {
            r = r.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        if let Some(k) = key {
            r = r.header("idempotency-key", k);
        }
        self.send(r.body(Body::from(body.to_string())).unwrap())
            .await
    }

    async fn sign_in(&self, email: &str) -> String {
        let reply = self
            .post_form(
                "/staff/login",
                format!("email={email}&password={PASSWORD}"),
                None,
            )
            .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
        assert!(
            ["/staff/cases", "/staff/reports", "/staff/scrutiny"]
                .contains(&reply.location.as_str()),
            "{}",
            reply.location
        );
        reply.cookie.expect("a session cookie")
    }
}

async fn on_each_backend<F, Fut>(test: F)
where
    F: Fn(TestApp) -> Fut,
    Fut: Future<Output = ()>,
{
    let pg = std::env::var("REDRESS_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty());
    if pg.is_none() {
        eprintln!("PostgreSQL skipped: set REDRESS_TEST_POSTGRES_URL to run these tests on it too");
    }
    for backend in [None, pg.as_deref()]
        .into_iter()
        .enumerate()
        .filter(|(i, b)| *i == 0 || b.is_some())
        .map(|(_, b)| b)
    {
        let store = store(backend).await;
        settings::ensure_organisation(&store, "Test Homes", Division::EnglandAndWales, "hos-2024")
            .await
            .unwrap();
        let app = App::load(store.clone()).await.unwrap();
        app.add_user(
            &Principal::System,
            "officer@test.org",
            "Olu Officer",
            Role::ComplaintsOfficer,
            PASSWORD,
        )
        .await
        .unwrap();
        app.add_user(
            &Principal::System,
            "scrutiny@test.org",
            "Sam Scrutiny",
            Role::ScrutinyMember,
            PASSWORD,
        )
        .await
        .unwrap();
        let router = router(AppState {
            app: app.clone(),
            secure_cookies: false,
            public_url: "https://complaints.test".into(),
        });
        test(TestApp {
            app: app.clone(),
            store: store.clone(),
            router,
        })
        .await;
        let name = store.database_name().await.unwrap();
        store.close().await;
        if let (Some(admin_url), Some(_)) = (&pg, backend) {
            let admin = sqlx::PgPool::connect(admin_url).await.unwrap();
            let drop = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
            sqlx::query(sqlx::AssertSqlSafe(drop))
                .execute(&admin)
                .await
                .unwrap();
            admin.close().await;
        }
    }
}

const VALID: &str = "kind=complaint&who=myself&name=Aled+Jones&email=aled%40example.org&postcode=cf10+1aa\
    &summary=Nobody+came+to+fix+the+leak&outcome_wanted=Fix+it&preferred_contact=email\
    &preferred_format=large-print&needs=I+use+a+screen+reader";

#[tokio::test]
async fn an_empty_form_explains_each_field_and_keeps_what_was_typed() {
    on_each_backend(|t| async move {
        let reply = t.post_form("/contact/new", "summary=%3Cscript%3Ealert(1)%3C%2Fscript%3E&issue_date-day=31&issue_date-month=2&issue_date-year=2026", None).await;
        assert_eq!(reply.status, StatusCode::OK);
        assert!(reply.body.contains("<title>Error: "));
        assert!(reply.body.contains("There is a problem"));
        for anchor in ["#kind", "#who", "#issue_date-day"] {
            assert!(reply.body.contains(&format!("href=\"{anchor}\"")), "{anchor}");
        }
        assert!(reply.body.contains("Select what you want to tell us"));
        assert!(reply.body.contains("The date it happened must be a real date"));
        assert!(reply.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the text is kept, escaped");
        assert!(!reply.body.contains("<script>alert"));
        // Acting for someone else opens the representative's section, errors and all.
        let reply = t.post_form("/contact/new", "kind=complaint&who=someone-else&name=Gwen", None).await;
        assert!(reply.body.contains("<details class=\"details\" open>"));
        assert!(reply.body.contains("href=\"#rep_name\""));
    })
    .await;
}

#[tokio::test]
async fn broken_utf8_and_oversized_bodies_are_answered_not_crashed() {
    on_each_backend(|t| async move {
        let reply = t
            .post_form(
                "/contact/new",
                vec![b's', b'u', b'm', b'=', 0xff, 0xfe],
                None,
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK);
        assert!(reply.body.contains("There is a problem"));
        let big = format!("summary={}", "a".repeat(redress_web::MAX_BODY + 10));
        let reply = t.post_form("/contact/new", big, None).await;
        assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    })
    .await;
}

#[tokio::test]
async fn a_complaint_is_checked_sent_once_and_confirmed() {
    on_each_backend(|t| async move {
        let reply = t.post_form("/contact/new", VALID, None).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
        let check = reply.location.clone();
        assert!(check.starts_with("/contact/check/"));
        let page = t.get(&check, None).await;
        assert!(page.body.contains("Check your answers before sending"));
        assert!(page.body.contains("Nobody came to fix the leak"));
        assert!(page.body.contains("CF10 1AA"));

        let sent = t.post_form(&check, "", None).await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER);
        let again = t.post_form(&check, "", None).await;
        assert_eq!(
            again.location, sent.location,
            "a second Send lands on the same confirmation"
        );
        let confirmation = t.get(&sent.location, None).await;
        assert!(confirmation.body.contains("CMP-"), "{}", confirmation.body);
        assert!(confirmation.body.contains("acknowledge your complaint by"));
        let page = t
            .app
            .list_cases_for(&Principal::System, &Default::default())
            .await
            .unwrap();
        assert_eq!(page.total, 1);

        // Changing the answers after sending starts a new draft, not an edit of the sent one.
        let draft = check.trim_start_matches("/contact/check/");
        let changed = t
            .post_form("/contact/new", format!("{VALID}&draft={draft}"), None)
            .await;
        assert_ne!(changed.location, check);
    })
    .await;
}

#[tokio::test]
async fn a_form_posted_from_another_site_is_refused() {
    on_each_backend(|t| async move {
        let r = Request::post("/contact/new")
            .header(header::HOST, "redress.test")
            .header(header::ORIGIN, "https://evil.example")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(VALID))
            .unwrap();
        assert_eq!(t.send(r).await.status, StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn staff_sign_in_find_cases_and_see_needs_first() {
    on_each_backend(|t| async move {
        assert_eq!(t.get("/staff/cases", None).await.location, "/staff/login");
        let wrong = t
            .post_form(
                "/staff/login",
                "email=officer%40test.org&password=nope",
                None,
            )
            .await;
        assert_eq!(wrong.status, StatusCode::OK);
        assert!(
            wrong
                .body
                .contains("Enter a correct email address and password")
        );
        assert!(wrong.cookie.is_none());

        let sent = t
            .post_form(
                &t.post_form("/contact/new", VALID, None).await.location,
                "",
                None,
            )
            .await;
        let confirmation = t.get(&sent.location, None).await.body;
        let start = confirmation.find("CMP-").unwrap();
        let reference = &confirmation[start..start + 15];

        let cookie = t.sign_in("officer@test.org").await;
        let list = t
            .get(&format!("/staff/cases?q={reference}"), Some(&cookie))
            .await;
        assert!(
            list.body
                .contains(&format!("href=\"/staff/cases/{reference}\"")),
            "{}",
            list.body
        );
        assert!(list.body.contains("1 case found"));
        let none = t
            .get("/staff/cases?q=nothing-like-this", Some(&cookie))
            .await;
        assert!(none.body.contains("0 cases found"));
        let case = t
            .get(&format!("/staff/cases/{reference}"), Some(&cookie))
            .await;
        let needs = case.body.find("needs-banner").unwrap();
        let deadlines = case.body.find("Acknowledge by").unwrap();
        assert!(needs < deadlines, "needs are shown before anything else");
        assert!(case.body.contains("I use a screen reader"));
        assert!(case.body.contains("Respond by"));
        assert!(case.body.contains("timeline__item"));
        assert_eq!(
            t.get("/staff/cases/CMP-2099-000001", Some(&cookie))
                .await
                .status,
            StatusCode::NOT_FOUND
        );

        let scrutiny = t.sign_in("scrutiny@test.org").await;
        assert_eq!(
            t.get("/staff/cases", Some(&scrutiny)).await.status,
            StatusCode::FORBIDDEN
        );
    })
    .await;
}

#[tokio::test]
async fn staff_record_a_phone_complaint_with_its_real_time() {
    on_each_backend(|t| async move {
        let cookie = t.sign_in("officer@test.org").await;
        let form = t.get("/staff/cases/new", Some(&cookie)).await.body;
        let csrf = form
            .split("name=\"csrf\" value=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_string();
        let bad = t
            .post_form(
                "/staff/cases/new",
                format!("csrf=wrong&{VALID}&channel=phone"),
                Some(&cookie),
            )
            .await;
        assert_eq!(bad.status, StatusCode::FORBIDDEN);
        let missing = t
            .post_form(
                "/staff/cases/new",
                format!("csrf={csrf}&kind=complaint"),
                Some(&cookie),
            )
            .await;
        assert!(missing.body.contains("Select how it was received"));
        let body = format!(
            "csrf={csrf}&{VALID}&channel=phone&received_date=2026-01-05&received_time=16%3A45"
        );
        let saved = t.post_form("/staff/cases/new", body, Some(&cookie)).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let case = t.get(&saved.location, Some(&cookie)).await.body;
        assert!(case.contains("5 January 2026 by phone"));
        assert!(
            case.contains("12 January 2026"),
            "acknowledge by five working days later"
        );
        assert!(case.contains("by Olu Officer"));
    })
    .await;
}

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
async fn health_openapi_and_security_headers() {
    on_each_backend(|t| async move {
        let health = t.get("/healthz", None).await;
        assert_eq!(
            (health.status, health.body.as_str()),
            (StatusCode::OK, "ok")
        );
        let doc: serde_json::Value =
            serde_json::from_str(&t.get("/api/openapi.json", None).await.body).unwrap();
        assert_eq!(doc["openapi"], "3.1.0");
        assert!(doc["paths"]["/api/contacts"]["post"].is_object());
        let response = t
            .router
            .clone()
            .oneshot(Request::get("/").body(Body::empty()).unwrap())
            .await
            .unwrap();
        let csp = response
            .headers()
            .get(header::CONTENT_SECURITY_POLICY)
            .unwrap()
            .to_str()
            .unwrap();
        assert!(csp.contains("script-src 'none'"));
        assert_eq!(
            t.get("/no/such/page", None).await.status,
            StatusCode::NOT_FOUND
        );
    })
    .await;
}

/// The hidden value of `name` in a page's form.
fn hidden(body: &str, name: &str) -> String {
    body.split(&format!("name=\"{name}\" value=\""))
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_default()
        .to_string()
}

#[tokio::test]
async fn a_complaint_is_taken_through_both_stages_by_different_handlers() {
    on_each_backend(|t| async move {
        let second = t.app.add_user(&Principal::System, "second@test.org", "Sian Second", Role::CaseWorker, PASSWORD).await.unwrap();
        let officer = t.store.user_by_email("officer@test.org").await.unwrap().unwrap().0;
        let sent = t.post_form(&t.post_form("/contact/new", VALID, None).await.location, "", None).await;
        let confirmation = t.get(&sent.location, None).await.body;
        let start = confirmation.find("CMP-").unwrap();
        let reference = confirmation[start..start + 15].to_string();
        let cookie = t.sign_in("officer@test.org").await;
        let today = t.app.today().to_string();

        let act = |slug: &'static str, fields: String| {
            let t = &t;
            let cookie = cookie.clone();
            let reference = reference.clone();
            async move {
                let path = format!("/staff/cases/{reference}/act/{slug}");
                let form = t.get(&path, Some(&cookie)).await;
                assert_eq!(form.status, StatusCode::OK, "{slug}: {}", form.body);
                let body = format!("csrf={}&version={}&{fields}", hidden(&form.body, "csrf"), hidden(&form.body, "version"));
                t.post_form(&path, body, Some(&cookie)).await
            }
        };

        let case = t.get(&format!("/staff/cases/{reference}"), Some(&cookie)).await.body;
        assert!(case.contains("Acknowledge the complaint"));
        assert!(!case.contains("Escalate to the next stage"), "only what applies is offered");

        // A refusal comes back beside the field, and nothing is saved.
        let refused = act("respond", format!("on={today}&point_1=Missed+visits&upheld_1=yes&reasons=Checked")).await;
        assert!(refused.body.contains("There is a problem"));
        assert!(refused.body.contains("Acknowledge the complaint first"));

        let ok = act("assign-case-worker", format!("to={}", officer.id)).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        let ok = act("acknowledge", format!("on={today}&understanding=Missed+repairs&outcome_wanted=Fix+it")).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        assert!(t.get(&ok.location, Some(&cookie)).await.body.contains("Saved: acknowledge the complaint"));
        let ok = act(
            "respond",
            format!("on={today}&point_1=Missed+visits&upheld_1=yes&point_2=Rudeness&upheld_2=no&reasons=We+checked+the+records"),
        )
        .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        let ok = act("escalate", format!("requested_on={today}")).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);

        let same = act("assign-case-worker", format!("to={}", officer.id)).await;
        assert!(same.body.contains("must be a different person"), "{}", same.body);
        let ok = act("assign-case-worker", format!("to={}", second.id)).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        let workload = t.get("/staff/workload", Some(&cookie)).await.body;
        let row = workload.split("Sian Second").nth(1).unwrap_or_default();
        assert!(row.contains("table__cell--numeric\">1</td>"), "one open case as case worker: {row}");
        let mine = t.get(&format!("/staff/cases?assignee={}", second.id), Some(&cookie)).await.body;
        assert!(mine.contains("1 case found") && mine.contains(&reference));
        let ok = act("acknowledge", format!("on={today}&understanding=Still+unresolved&outcome_wanted=Fix+it")).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER);
        let ok = act("respond", format!("on={today}&point_1=Missed+visits&upheld_1=yes&reasons=Upheld+at+review")).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER);

        let case = t.get(&format!("/staff/cases/{reference}"), Some(&cookie)).await.body;
        assert!(case.contains("Stage 2"));
        assert!(case.contains("Sian Second"));
        for event in ["Escalated", "Response sent", "Assigned", "Acknowledged"] {
            assert!(case.contains(event), "{event}");
        }
        let final_stage = act("escalate", format!("requested_on={today}")).await;
        assert!(final_stage.body.contains("Housing Ombudsman"), "{}", final_stage.body);

        // A form opened before someone else's change is refused, not applied over it.
        let path = format!("/staff/cases/{reference}/act/close");
        let form = t.get(&path, Some(&cookie)).await;
        let stale = format!("csrf={}&version=1&on={today}", hidden(&form.body, "csrf"));
        assert_eq!(t.post_form(&path, stale, Some(&cookie)).await.status, StatusCode::CONFLICT);

        let auditor = t.app.add_user(&Principal::System, "auditor@test.org", "Ann Auditor", Role::Auditor, PASSWORD).await.unwrap();
        let auditor_cookie = t.sign_in(&auditor.email).await;
        assert_eq!(t.get(&path, Some(&auditor_cookie)).await.status, StatusCode::FORBIDDEN);
        assert!(!t.get(&format!("/staff/cases/{reference}"), Some(&auditor_cookie)).await.body.contains("/act/"));
    })
    .await;
}

#[tokio::test]
async fn remedies_payments_and_the_ombudsman_through_the_forms() {
    on_each_backend(|t| async move {
        let officer = t.store.user_by_email("officer@test.org").await.unwrap().unwrap().0;
        let sent = t.post_form(&t.post_form("/contact/new", VALID, None).await.location, "", None).await;
        let confirmation = t.get(&sent.location, None).await.body;
        let start = confirmation.find("CMP-").unwrap();
        let reference = confirmation[start..start + 15].to_string();
        let cookie = t.sign_in("officer@test.org").await;
        let today = t.app.today().to_string();
        let act = |slug: &'static str, fields: String| {
            let t = &t;
            let cookie = cookie.clone();
            let reference = reference.clone();
            async move {
                let path = format!("/staff/cases/{reference}/act/{slug}");
                let form = t.get(&path, Some(&cookie)).await;
                let body = format!("csrf={}&version={}&{fields}", hidden(&form.body, "csrf"), hidden(&form.body, "version"));
                t.post_form(&path, body, Some(&cookie)).await
            }
        };
        let saved = |r: &Reply| assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        saved(&act("acknowledge", format!("on={today}&understanding=Leak&outcome_wanted=Fix")).await);

        let bad = act("add-remedy", format!("kind=financial&description=Carpet&to={}&due={today}&payment_kind=compensation&amount=ten", officer.id)).await;
        assert!(bad.body.contains("Enter an amount in pounds"), "{}", bad.body);
        saved(&act("add-remedy", format!("kind=financial&description=Carpet&to={}&due={today}&payment_kind=compensation&amount=%C2%A3250", officer.id)).await);
        saved(&act("add-remedy", format!("kind=apology&description=Written+apology&to={}&due={today}", officer.id)).await);
        let due = t.get("/staff/actions", Some(&cookie)).await.body;
        assert!(due.contains("2 items"), "{due}");
        assert!(due.contains("£250.00"));

        let early = act("record-payment", "remedy=1&on=".to_string() + &today).await;
        assert!(early.body.contains("Select a remedy") || early.body.contains("approved"), "{}", early.body);
        saved(&act("approve-payment", format!("remedy=1&on={today}")).await);
        saved(&act("record-payment", format!("remedy=1&on={today}")).await);
        saved(&act("complete-remedy", format!("remedy=1&on={today}")).await);
        saved(&act("update-remedy", format!("remedy=2&on={today}&text=Letter+drafted")).await);
        saved(&act("add-note", format!("kind=follow-up-call&on={today}&text=Resident+happy+with+the+plan")).await);
        assert!(t.get("/staff/actions", Some(&cookie)).await.body.contains("1 item"));

        saved(&act("respond", format!("on={today}&point_1=Leak&upheld_1=yes&reasons=Agreed")).await);
        saved(&act("escalate", format!("requested_on={today}")).await);
        let second = t.app.add_user(&Principal::System, "second@test.org", "Sian Second", Role::CaseWorker, PASSWORD).await.unwrap();
        saved(&act("assign-case-worker", format!("to={}", second.id)).await);
        saved(&act("acknowledge", format!("on={today}&understanding=Leak&outcome_wanted=Fix")).await);
        saved(&act("respond", format!("on={today}&point_1=Leak&upheld_1=no&reasons=Already+put+right")).await);
        let refer_form = t.get(&format!("/staff/cases/{reference}/act/refer-to-ombudsman"), Some(&cookie)).await.body;
        assert!(refer_form.contains("<option value=\"housing\" selected>"), "the scheme's ombudsman is preselected");
        saved(&act("refer-to-ombudsman", format!("on={today}&ombudsman=housing&their_reference=HOS-123")).await);
        saved(&act("record-determination", format!("on={today}&determination=service-failure&summary=Delay+in+repairs")).await);
        saved(&act("add-order", format!("description=Pay+%C2%A3100&due={today}")).await);
        let missing = act("comply-with-order", format!("order=1&on={today}&evidence=")).await;
        assert!(missing.body.contains("Enter the evidence of compliance"), "{}", missing.body);
        saved(&act("comply-with-order", format!("order=1&on={today}&evidence=Payment+receipt")).await);

        let case = t.get(&format!("/staff/cases/{reference}"), Some(&cookie)).await.body;
        for text in ["Follow-up call with the resident", "Resident happy with the plan", "£250.00 compensation: paid", "Letter drafted", "their reference HOS-123", "Service failure", "complied with"] {
            assert!(case.contains(text), "{text}");
        }
        let actions = t.get("/staff/actions", Some(&cookie)).await.body;
        assert!(actions.contains("Written apology"));
        assert!(!actions.contains("Ombudsman order 1"));
    })
    .await;
}

#[tokio::test]
async fn comments_and_compliments_are_handled_their_own_way() {
    on_each_backend(|t| async move {
        t.store
            .add_service_area(&t.app.organisation.id, &redress_domain::organisation::ServiceArea {
                id: "estates".into(),
                name: "Estate services".into(),
                scheme: "hos-2024".into(),
            })
            .await
            .unwrap();
        let cookie = t.sign_in("officer@test.org").await;
        let today = t.app.today().to_string();
        let submit = |body: &'static str| {
            let t = &t;
            async move {
                let sent = t.post_form(&t.post_form("/contact/new", body, None).await.location, "", None).await;
                let page = t.get(&sent.location, None).await.body;
                let start = page.find("-20").unwrap() - 3;
                page[start..start + 15].to_string()
            }
        };
        let comment = submit("kind=comment&who=myself&name=Carys+Price&email=c%40example.org&summary=Post+the+grass+cutting+dates&wants_reply=yes").await;
        let compliment = submit("kind=compliment&who=anonymous&summary=The+caretaker+was+wonderful&staff_named=Huw").await;
        assert!(comment.starts_with("CMT-") && compliment.starts_with("CPL-"), "{comment} {compliment}");

        let act = |reference: String, slug: &'static str, fields: String| {
            let t = &t;
            let cookie = cookie.clone();
            async move {
                let path = format!("/staff/cases/{reference}/act/{slug}");
                let form = t.get(&path, Some(&cookie)).await;
                let body = format!("csrf={}&version={}&{fields}", hidden(&form.body, "csrf"), hidden(&form.body, "version"));
                t.post_form(&path, body, Some(&cookie)).await
            }
        };
        let page = t.get(&format!("/staff/cases/{comment}"), Some(&cookie)).await.body;
        assert!(page.contains("Reply by"));
        assert!(!page.contains("Close the case"), "a comment gets an outcome, not a bare close");
        let r = act(comment.clone(), "pass-to-service", "area=estates".into()).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let early = act(comment.clone(), "comment-outcome", format!("on={today}&outcome=acted-on")).await;
        assert!(early.body.contains("Record the reply first"), "{}", early.body);
        let r = act(comment.clone(), "reply", format!("on={today}&text=We+will+post+them+in+the+lobby")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let why = act(comment.clone(), "comment-outcome", format!("on={today}&outcome=not-taken-forward")).await;
        assert!(why.body.contains("Enter why it is not being taken forward"), "{}", why.body);
        let r = act(comment.clone(), "comment-outcome", format!("on={today}&outcome=acted-on")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let page = t.get(&format!("/staff/cases/{comment}"), Some(&cookie)).await.body;
        for text in ["Estate services", "We will post them in the lobby", "Acted on", "Closed", "Our reply to your comment"] {
            assert!(page.contains(text), "{text}");
        }

        let r = act(compliment.clone(), "pass-on-compliment", format!("on={today}&to=Huw+the+caretaker&manager=Gareth+Hughes")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let page = t.get(&format!("/staff/cases/{compliment}"), Some(&cookie)).await.body;
        assert!(page.contains("to Huw the caretaker and their manager Gareth Hughes"));
        assert!(page.contains("Close the case"));
    })
    .await;
}

#[tokio::test]
async fn letters_are_printed_or_emailed_and_their_wording_edited() {
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
        let admin_cookie = t.sign_in(&admin.email).await;
        let officer_cookie = t.sign_in("officer@test.org").await;
        let today = t.app.today().to_string();

        // An admin changes the acknowledgement wording; a bad placeholder is refused.
        let form = t
            .get("/staff/admin/letters/acknowledgement", Some(&admin_cookie))
            .await;
        assert!(form.body.contains("Thank you for your complaint"));
        let csrf = hidden(&form.body, "csrf");
        let bad = t
            .post_form(
                "/staff/admin/letters/acknowledgement",
                format!("csrf={csrf}&do=save&subject=Hi&body=Dear+%7B%7Bnmae%7D%7D"),
                Some(&admin_cookie),
            )
            .await;
        assert!(
            bad.body.contains("is not a placeholder Redress knows"),
            "{}",
            bad.body
        );
        let body = "Dear+%7B%7Bname%7D%7D%0A%0AWe+will+reply+by+%7B%7Brespond_by%7D%7D.";
        let ok = t
            .post_form(
                "/staff/admin/letters/acknowledgement",
                format!("csrf={csrf}&do=save&subject=Received+%7B%7Breference%7D%7D&body={body}"),
                Some(&admin_cookie),
            )
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER);
        assert_eq!(
            t.get(
                "/staff/admin/letters/acknowledgement",
                Some(&officer_cookie)
            )
            .await
            .status,
            StatusCode::FORBIDDEN
        );

        // A resident who wants large print gets a posted, large-print letter.
        let sent = t
            .post_form(
                &t.post_form("/contact/new", VALID, None).await.location,
                "",
                None,
            )
            .await;
        let page = t.get(&sent.location, None).await.body;
        let start = page.find("CMP-").unwrap();
        let reference = page[start..start + 15].to_string();
        let path = format!("/staff/cases/{reference}/act/acknowledge");
        let form = t.get(&path, Some(&officer_cookie)).await;
        let body = format!(
            "csrf={}&version={}&on={today}&understanding=Leak&outcome_wanted=Fix",
            hidden(&form.body, "csrf"),
            hidden(&form.body, "version")
        );
        assert_eq!(
            t.post_form(&path, body, Some(&officer_cookie)).await.status,
            StatusCode::SEE_OTHER
        );

        let case = t
            .get(&format!("/staff/cases/{reference}"), Some(&officer_cookie))
            .await
            .body;
        assert!(
            case.contains(&format!("Received {reference}")),
            "the edited subject is used"
        );
        assert!(case.contains("Post, large print") && case.contains("To print and post"));
        let queue = t.get("/staff/letters", Some(&officer_cookie)).await.body;
        assert!(queue.contains("1 letter"));
        let id = queue
            .split("href=\"/staff/letters/")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap()
            .to_string();
        let print = t
            .get(&format!("/staff/letters/{id}"), Some(&officer_cookie))
            .await
            .body;
        assert!(
            print.contains("letter--large")
                && print.contains("Dear Aled Jones")
                && print.contains("CF10 1AA")
        );
        assert!(
            !t.get(
                &format!("/staff/letters/{id}?large=0"),
                Some(&officer_cookie)
            )
            .await
            .body
            .contains("<body class=\"letter--large\">")
        );
        let csrf = hidden(&print, "csrf");
        let printed = t
            .post_form(
                &format!("/staff/letters/{id}/printed"),
                format!("csrf={csrf}"),
                Some(&officer_cookie),
            )
            .await;
        assert_eq!(printed.status, StatusCode::SEE_OTHER);
        assert!(
            t.get("/staff/letters", Some(&officer_cookie))
                .await
                .body
                .contains("0 letters")
        );
        assert!(
            t.get(&format!("/staff/cases/{reference}"), Some(&officer_cookie))
                .await
                .body
                .contains("Printed and posted")
        );
    })
    .await;
}

#[tokio::test]
async fn triage_reclassifies_links_and_raises_complaints_from_requests() {
    on_each_backend(|t| async move {
        let cookie = t.sign_in("officer@test.org").await;
        let reference = |page: &str| {
            let start = page.find("-20").unwrap() - 3;
            page[start..start + 15].to_string()
        };
        let sent = t
            .post_form(
                &t.post_form("/contact/new", VALID, None).await.location,
                "",
                None,
            )
            .await;
        let first = reference(&t.get(&sent.location, None).await.body);
        let sent = t
            .post_form(
                &t.post_form("/contact/new", VALID.replace("Fix+it", "Fix+it+now"), None)
                    .await
                    .location,
                "",
                None,
            )
            .await;
        let second = reference(&t.get(&sent.location, None).await.body);
        let act = |case: String, slug: &'static str, fields: String| {
            let t = &t;
            let cookie = cookie.clone();
            async move {
                let path = format!("/staff/cases/{case}/act/{slug}");
                let form = t.get(&path, Some(&cookie)).await;
                let body = format!(
                    "csrf={}&version={}&{fields}",
                    hidden(&form.body, "csrf"),
                    hidden(&form.body, "version")
                );
                t.post_form(&path, body, Some(&cookie)).await
            }
        };

        // The second is a duplicate: it closes, both cases show the link.
        let missing = act(
            second.clone(),
            "link",
            "relation=duplicate-of&reference=CMP-2099-000009".into(),
        )
        .await;
        assert!(
            missing.body.contains("There is no case CMP-2099-000009"),
            "{}",
            missing.body
        );
        let r = act(
            second.clone(),
            "link",
            format!("relation=duplicate-of&reference={first}"),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let dup = t
            .get(&format!("/staff/cases/{second}"), Some(&cookie))
            .await
            .body;
        assert!(
            dup.contains("Duplicate of") && dup.contains(&format!("href=\"/staff/cases/{first}\""))
        );
        let kept = t
            .get(&format!("/staff/cases/{first}"), Some(&cookie))
            .await
            .body;
        assert!(kept.contains("Related case") && kept.contains(&second));

        // The first is really a first report of a repair: reclassify it, then the resident
        // complains about how the request is handled.
        let r = act(
            first.clone(),
            "reclassify",
            "to=service-request&explanation=A+first+report+of+a+leak".into(),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let after = t
            .get(&format!("/staff/cases/{first}"), Some(&cookie))
            .await
            .body;
        assert!(
            after.contains("Reclassified from complaint to service request"),
            "{after}"
        );
        let r = act(
            first.clone(),
            "raise-complaint",
            "summary=Still+no+plumber+after+three+weeks".into(),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let complaint = t.get(&r.location, Some(&cookie)).await.body;
        assert!(
            complaint.contains("Complaint raised from this request") && complaint.contains(&first)
        );
        assert!(
            complaint.contains("Still no plumber after three weeks")
                && complaint.contains("Acknowledge by")
        );
        let request = t
            .get(&format!("/staff/cases/{first}"), Some(&cookie))
            .await
            .body;
        assert!(
            request.contains("Service request")
                && request.contains("Complaint raised about this request")
        );
        let agency = act(
            first.clone(),
            "link",
            "relation=other-agency&agency=Cardiff+Council&their_reference=CC%2F99".into(),
        )
        .await;
        assert_eq!(agency.status, StatusCode::SEE_OTHER, "{}", agency.body);
        assert!(
            t.get(&format!("/staff/cases/{first}"), Some(&cookie))
                .await
                .body
                .contains("Cardiff Council, their reference CC/99")
        );
    })
    .await;
}

#[tokio::test]
async fn files_are_checked_kept_and_only_downloaded() {
    on_each_backend(|t| async move {
        let cookie = t.sign_in("officer@test.org").await;
        let sent = t.post_form(&t.post_form("/contact/new", VALID, None).await.location, "", None).await;
        let page = t.get(&sent.location, None).await.body;
        let start = page.find("CMP-").unwrap();
        let reference = page[start..start + 15].to_string();
        let form = t.get(&format!("/staff/cases/{reference}/act/add-file"), Some(&cookie)).await.body;
        assert!(form.contains("enctype=\"multipart/form-data\""));
        let upload = |name: &str, content_type: &str, bytes: &[u8], description: &str| {
            let boundary = "XyZzY";
            let mut body = Vec::new();
            for (field, value) in [("csrf", hidden(&form, "csrf")), ("version", hidden(&form, "version")), ("description", description.to_string())] {
                body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"\r\n\r\n{value}\r\n").as_bytes());
            }
            body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: {content_type}\r\n\r\n").as_bytes());
            body.extend(bytes);
            body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
            Request::post(format!("/staff/cases/{reference}/files"))
                .header(header::HOST, "redress.test")
                .header(header::ORIGIN, "http://redress.test")
                .header(header::COOKIE, cookie.clone())
                .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
                .body(Body::from(body))
                .unwrap()
        };
        let refused = t.send(upload("photo.pdf", "application/pdf", b"<html><script>alert(1)</script>", "Photo")).await;
        assert!(refused.body.contains("must be a PDF, a Word document"), "{}", refused.body);
        // Too big: refused with a message at the file field, both when only the file is over
        // the limit and when the whole upload is over what the route reads at all.
        let limit = redress_domain::attachment::MAX_BYTES;
        for size in [limit + 1, limit + 3 * 1024 * 1024] {
            let mut big = b"%PDF-1.4 ".to_vec();
            big.resize(size, b'x');
            let too_big = t.send(upload("big.pdf", "application/pdf", &big, "Survey")).await;
            assert_eq!(too_big.status, StatusCode::OK, "{size}");
            assert!(too_big.body.contains("There is a problem") && too_big.body.contains("10 MB"), "{size}: {}", too_big.body);
            assert!(too_big.body.contains("href=\"#file\""), "{size}: the message links to the file field");
        }
        let no_description = t.send(upload("letter.pdf", "application/pdf", b"%PDF-1.4 letter", " ")).await;
        assert!(no_description.body.contains("Enter what the file is"));
        let ok = t.send(upload("../Damp <photo>.pdf", "application/pdf", b"%PDF-1.4 the letter", "Letter from the contractor")).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);

        let case = t.get(&format!("/staff/cases/{reference}"), Some(&cookie)).await.body;
        assert!(case.contains("Damp photo.pdf") && case.contains("Letter from the contractor") && case.contains("File added"));
        let href = case.split(&format!("href=\"/staff/cases/{reference}/files/")).nth(1).unwrap().split('"').next().unwrap().to_string();
        let response = t
            .router
            .clone()
            .oneshot(Request::get(format!("/staff/cases/{reference}/files/{href}")).header(header::COOKIE, cookie.clone()).body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(response.headers().get(header::CONTENT_TYPE).unwrap(), "application/pdf");
        assert!(response.headers().get(header::CONTENT_DISPOSITION).unwrap().to_str().unwrap().starts_with("attachment;"));
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        assert_eq!(&bytes[..], b"%PDF-1.4 the letter");
        assert_eq!(t.get(&format!("/staff/cases/{reference}/files/{href}"), None).await.status, StatusCode::SEE_OTHER, "staff only");
        assert_eq!(t.get(&format!("/staff/cases/CMP-2099-000001/files/{href}"), Some(&cookie)).await.status, StatusCode::NOT_FOUND);

        // A file added by mistake is removed for good, with the reason kept.
        let form = t.get(&format!("/staff/cases/{reference}/act/remove-file"), Some(&cookie)).await.body;
        let remove_url = format!("/staff/cases/{reference}/act/remove-file");
        let post = |body: String| t.post_form(&remove_url, body, Some(&cookie));
        let csrf = hidden(&form, "csrf");
        let version = hidden(&form, "version");
        let missing = post(format!("csrf={csrf}&version={version}&file={href}&reason=")).await;
        assert!(missing.body.contains("Enter why this is being removed"), "{}", missing.body);
        let removed = post(format!("csrf={csrf}&version={version}&file={href}&reason=Wrong+resident%27s+letter")).await;
        assert_eq!(removed.status, StatusCode::SEE_OTHER, "{}", removed.body);
        let case = t.get(&format!("/staff/cases/{reference}"), Some(&cookie)).await.body;
        assert!(case.contains("File removed") && case.contains("Wrong resident&#39;s letter"), "{case}");
        assert!(!case.contains("Damp photo.pdf"), "the name goes from the history too");
        assert_eq!(t.get(&format!("/staff/cases/{reference}/files/{href}"), Some(&cookie)).await.status, StatusCode::NOT_FOUND);
    })
    .await;
}

#[tokio::test]
async fn every_role_sees_only_what_it_may() {
    on_each_backend(|t| async move {
        let sent = t
            .post_form(
                &t.post_form("/contact/new", VALID, None).await.location,
                "",
                None,
            )
            .await;
        let page = t.get(&sent.location, None).await.body;
        let start = page.find("CMP-").unwrap();
        let reference = page[start..start + 15].to_string();
        let routes = [
            "/staff/cases".to_string(),
            format!("/staff/cases/{reference}"),
            "/staff/cases/new".to_string(),
            format!("/staff/cases/{reference}/act/acknowledge"),
            "/staff/actions".to_string(),
            "/staff/workload".to_string(),
            "/staff/letters".to_string(),
            "/staff/admin/letters/acknowledgement".to_string(),
            "/api/contacts".to_string(),
            "/staff/admin/privacy".to_string(),
            format!("/staff/cases/{reference}/case-study"),
            format!("/staff/cases/{reference}/act/erase-personal-data"),
            "/staff/reports".to_string(),
            "/staff/reports/tsm".to_string(),
        ];
        // What each role may open, in the order of `routes`.
        let staff = [
            true, true, true, true, true, true, true, false, true, false, true, false, true, true,
        ];
        let nothing = [false; 14];
        let mut governing_body = nothing;
        governing_body[12] = true;
        governing_body[13] = true;
        let table: [(Role, [bool; 14]); 8] = [
            (Role::Admin, [true; 14]),
            (Role::ComplaintsOfficer, staff),
            (Role::CaseWorker, staff),
            // The case is in no service area, so outside every service manager's scope.
            (
                Role::ServiceManager,
                [
                    true, false, true, false, true, true, true, false, true, false, false, false,
                    true, true,
                ],
            ),
            (
                Role::Auditor,
                [
                    true, true, false, false, true, true, true, false, true, false, true, false,
                    true, true,
                ],
            ),
            (Role::ScrutinyMember, nothing),
            (Role::AppealPanelMember, nothing),
            // Reports only.
            (Role::GoverningBody, governing_body),
        ];
        assert_eq!(table.len(), Role::ALL.len());
        for (role, allowed) in table {
            let email = format!("{}@roles.test", role.as_str());
            t.app
                .add_user(&Principal::System, &email, role.label(), role, PASSWORD)
                .await
                .unwrap();
            let cookie = t.sign_in(&email).await;
            for (route, allow) in routes.iter().zip(allowed) {
                let status = t.get(route, Some(&cookie)).await.status;
                if allow {
                    assert_eq!(status, StatusCode::OK, "{role:?} should open {route}");
                } else {
                    assert_eq!(
                        status,
                        StatusCode::FORBIDDEN,
                        "{role:?} must not open {route}"
                    );
                }
            }
        }
        // Every action form on a case: people who handle cases (erasure: administrators).
        for role in Role::ALL {
            let cookie = t.sign_in(&format!("{}@roles.test", role.as_str())).await;
            for slug in redress_web::action_slugs() {
                let route = format!("/staff/cases/{reference}/act/{slug}");
                let may = if slug == "erase-personal-data" {
                    role.can(Permission::Administer)
                } else {
                    // The case is in no service area, so outside a service manager's scope.
                    role.can(Permission::HandleCases) && *role != Role::ServiceManager
                };
                let status = t.get(&route, Some(&cookie)).await.status;
                let expected = if may {
                    StatusCode::OK
                } else {
                    StatusCode::FORBIDDEN
                };
                assert_eq!(status, expected, "{role:?} {route}");
            }
        }
        // Without signing in, staff pages send people to sign in and the API says 401.
        for route in routes.iter().filter(|r| r.starts_with("/staff")) {
            assert_eq!(t.get(route, None).await.location, "/staff/login", "{route}");
        }
        assert_eq!(
            t.get("/api/contacts", None).await.status,
            StatusCode::UNAUTHORIZED
        );
        // Opening a case is logged, and the log is shown to administrators.
        let admin = t.sign_in("admin@roles.test").await;
        let case = t
            .get(&format!("/staff/cases/{reference}"), Some(&admin))
            .await
            .body;
        assert!(
            case.contains("Recent access") && case.contains("Auditor (read only)"),
            "the auditor's visit is logged"
        );
        let officer = t.sign_in("officer@test.org").await;
        assert!(
            !t.get(&format!("/staff/cases/{reference}"), Some(&officer))
                .await
                .body
                .contains("Recent access")
        );
    })
    .await;
}

#[tokio::test]
async fn five_wrong_passwords_lock_the_account_for_a_while() {
    on_each_backend(|t| async move {
        for _ in 0..5 {
            let wrong = t
                .post_form(
                    "/staff/login",
                    "email=officer%40test.org&password=guess",
                    None,
                )
                .await;
            assert!(
                wrong
                    .body
                    .contains("Enter a correct email address and password")
            );
        }
        let locked = t
            .post_form(
                "/staff/login",
                format!("email=officer%40test.org&password={PASSWORD}"),
                None,
            )
            .await;
        assert_eq!(locked.status, StatusCode::OK);
        assert!(
            locked
                .body
                .contains("This account is locked after 5 wrong passwords"),
            "{}",
            locked.body
        );
        assert!(locked.cookie.is_none());
        // Another account is not affected.
        t.app
            .add_user(
                &Principal::System,
                "other@test.org",
                "Other",
                Role::CaseWorker,
                PASSWORD,
            )
            .await
            .unwrap();
        t.sign_in("other@test.org").await;
    })
    .await;
}

#[tokio::test]
async fn a_resident_follows_and_escalates_their_own_complaint() {
    on_each_backend(|t| async move {
        let submit = |body: String| {
            let t = &t;
            async move {
                let sent = t
                    .post_form(
                        &t.post_form("/contact/new", body, None).await.location,
                        "",
                        None,
                    )
                    .await;
                let page = t.get(&sent.location, None).await.body;
                let start = page.find("CMP-").unwrap();
                assert!(
                    page.contains("/track?reference="),
                    "the confirmation offers to follow it online"
                );
                page[start..start + 15].to_string()
            }
        };
        let mine = submit(VALID.to_string()).await;
        let theirs = submit(
            VALID
                .replace("cf10+1aa", "sa1+3sn")
                .replace("aled%40example.org", "other%40example.org"),
        )
        .await;

        let wrong = t
            .post_form("/track", format!("reference={mine}&answer=SA1+3SN"), None)
            .await;
        assert!(
            wrong
                .body
                .contains("We could not find a case with that reference")
        );
        assert!(wrong.cookie.is_none());
        let ok = t
            .post_form(
                "/track",
                format!("reference={}&answer=cf101aa", mine.to_lowercase()),
                None,
            )
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        let cookie = ok.cookie.unwrap();
        let page = t.get("/track/case", Some(&cookie)).await.body;
        assert!(page.contains(&mine) && !page.contains(&theirs));
        assert!(page.contains("We have received it") && page.contains("We will acknowledge it"));

        let info = t
            .post_form(
                "/track/case/information",
                "information=The+leak+is+worse+today",
                Some(&cookie),
            )
            .await;
        assert_eq!(info.status, StatusCode::SEE_OTHER);
        let empty = t
            .post_form("/track/case/information", "information=+", Some(&cookie))
            .await;
        assert!(empty.body.contains("Enter what you want to tell us"));

        // Staff answer stage 1; an internal note stays internal.
        let staff = t.sign_in("officer@test.org").await;
        let today = t.app.today().to_string();
        for (slug, fields) in [
            (
                "add-note",
                "kind=staff-contact&text=Spoke+to+the+repairs+manager+about+the+contractor"
                    .to_string(),
            ),
            (
                "acknowledge",
                "understanding=Leak&outcome_wanted=Fix".to_string(),
            ),
            (
                "respond",
                "point_1=Leak&upheld_1=yes&reasons=Repair+booked".to_string(),
            ),
        ] {
            let path = format!("/staff/cases/{mine}/act/{slug}");
            let form = t.get(&path, Some(&staff)).await;
            let body = format!(
                "csrf={}&version={}&on={today}&{fields}",
                hidden(&form.body, "csrf"),
                hidden(&form.body, "version")
            );
            assert_eq!(
                t.post_form(&path, body, Some(&staff)).await.status,
                StatusCode::SEE_OTHER,
                "{slug}"
            );
        }
        let staff_view = t
            .get(&format!("/staff/cases/{mine}"), Some(&staff))
            .await
            .body;
        assert!(
            staff_view.contains("The leak is worse today")
                && staff_view.contains("Aled Jones (online)")
        );

        let page = t.get("/track/case", Some(&cookie)).await.body;
        assert!(
            page.contains("We have sent our response")
                && page.contains("Our stage 1 response to your complaint")
        );
        assert!(
            !page.contains("repairs manager"),
            "staff notes are not shown to residents"
        );
        assert!(page.contains("Ask for a review"));
        let escalated = t
            .post_form("/track/case/escalate", "reason=", Some(&cookie))
            .await;
        assert_eq!(escalated.status, StatusCode::SEE_OTHER);
        let page = t.get(&escalated.location, Some(&cookie)).await.body;
        assert!(
            page.contains("We have received your request for a review")
                && page.contains("stage 2 review")
        );
        assert!(
            t.get(&format!("/staff/cases/{mine}"), Some(&staff))
                .await
                .body
                .contains("Escalated to stage 2 at the resident")
        );

        let out = t.post_form("/track/sign-out", "", Some(&cookie)).await;
        assert_eq!(out.status, StatusCode::SEE_OTHER);
        assert_eq!(
            t.get("/track/case", Some(&cookie)).await.location,
            "/track",
            "signed out"
        );
        assert_eq!(t.get("/track/case", None).await.location, "/track");

        // Guessing is stopped after five wrong answers for a reference.
        for _ in 0..5 {
            t.post_form("/track", format!("reference={theirs}&answer=AB1+2CD"), None)
                .await;
        }
        let blocked = t
            .post_form("/track", format!("reference={theirs}&answer=SA1+3SN"), None)
            .await;
        assert!(blocked.body.contains("Too many tries"), "{}", blocked.body);
    })
    .await;
}

#[tokio::test]
async fn administrators_manage_users_areas_and_closure_days() {
    on_each_backend(|t| async move {
        let admin = t.app.add_user(&Principal::System, "admin@test.org", "Alex Admin", Role::Admin, PASSWORD).await.unwrap();
        let cookie = t.sign_in(&admin.email).await;
        let officer = t.sign_in("officer@test.org").await;
        for path in ["/staff/admin", "/staff/admin/users", "/staff/admin/organisation"] {
            assert_eq!(t.get(path, Some(&officer)).await.status, StatusCode::FORBIDDEN, "{path}");
        }
        let users = t.get("/staff/admin/users", Some(&cookie)).await.body;
        let csrf = hidden(&users, "csrf");

        let short = t.post_form("/staff/admin/users", format!("csrf={csrf}&name=Nia&email=nia%40test.org&role=case-worker&password=short"), Some(&cookie)).await;
        assert!(short.body.contains("at least 12 characters"));
        assert!(!short.body.contains("value=\"short\""), "a password is never shown back");
        let taken = t.post_form("/staff/admin/users", format!("csrf={csrf}&name=Olu&email=officer%40test.org&role=case-worker&password={PASSWORD}"), Some(&cookie)).await;
        assert!(taken.body.contains("There is already a user with this email address"));
        let added = t.post_form("/staff/admin/users", format!("csrf={csrf}&name=Nia+Roberts&email=nia%40test.org&role=case-worker&password={PASSWORD}"), Some(&cookie)).await;
        assert_eq!(added.status, StatusCode::SEE_OTHER);
        let nia_cookie = t.sign_in("nia@test.org").await;

        let nia = t.store.user_by_email("nia@test.org").await.unwrap().unwrap().0;
        let off = t.post_form(&format!("/staff/admin/users/{}", nia.id), format!("csrf={csrf}&role=case-worker"), Some(&cookie)).await;
        assert_eq!(off.status, StatusCode::SEE_OTHER);
        assert_eq!(t.get("/staff/cases", Some(&nia_cookie)).await.location, "/staff/login", "turning access off ends their session");
        let me = t.post_form(&format!("/staff/admin/users/{}", admin.id), format!("csrf={csrf}&role=case-worker&active=yes"), Some(&cookie)).await;
        assert!(me.body.contains("You cannot remove your own administrator access"));

        let org = t.get("/staff/admin/organisation", Some(&cookie)).await.body;
        assert!(org.contains("England and Wales"));
        let r = t.post_form("/staff/admin/organisation/areas", format!("csrf={csrf}&area_name=Repairs&scheme=hos-2024"), Some(&cookie)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let again = t.post_form("/staff/admin/organisation/areas", format!("csrf={csrf}&area_name=Repairs&scheme=hos-2024"), Some(&cookie)).await;
        assert!(again.body.contains("There is already a service area with this name"));
        let bad = t.post_form("/staff/admin/organisation/closures", format!("csrf={csrf}&day=2026-02-30&reason=x"), Some(&cookie)).await;
        assert!(bad.body.contains("Enter a real date"));
        let ok = t.post_form("/staff/admin/organisation/closures", format!("csrf={csrf}&day=2026-12-24&reason=Office+move"), Some(&cookie)).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER);
        assert_eq!(t.store.closure_days(&t.app.organisation.id).await.unwrap().len(), 1);
        let cross_site = Request::post("/staff/admin/organisation/closures")
            .header(header::HOST, "redress.test")
            .header(header::ORIGIN, "https://evil.example")
            .header(header::COOKIE, cookie.clone())
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!("csrf={csrf}&day=2026-12-31&reason=x")))
            .unwrap();
        assert_eq!(t.send(cross_site).await.status, StatusCode::FORBIDDEN);

        let log = t.get("/staff/admin", Some(&cookie)).await.body;
        for entry in ["Added Nia Roberts (nia@test.org) as Case worker", "Nia Roberts: role Case worker, cannot sign in", "Added the service area Repairs", "Closure day 24 December 2026: Office move"] {
            assert!(log.contains(entry), "{entry}");
        }

        // Homes by tenure and year, checked field by field.
        let page = t.get("/staff/admin/organisation", Some(&cookie)).await.body;
        let csrf = hidden(&page, "csrf");
        let bad = t.post_form("/staff/admin/organisation/homes", format!("csrf={csrf}&homes_year=26&tenure=&homes=lots"), Some(&cookie)).await;
        for message in ["Enter the year as four digits", "Select a tenure", "Enter the number of homes as a whole number"] {
            assert!(bad.body.contains(message), "{message}");
        }
        let ok = t.post_form("/staff/admin/organisation/homes", format!("csrf={csrf}&homes_year=2026&tenure=low-cost-rental&homes=8%2C420"), Some(&cookie)).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        let homes = t.store.homes(&t.app.organisation.id).await.unwrap();
        assert_eq!((homes[0].year, homes[0].homes), (2026, 8420));

        // The ombudsman's contact details, as letters will give them.
        let page = t.get("/staff/admin/organisation", Some(&cookie)).await.body;
        assert!(page.contains("Housing Ombudsman Service, PO Box 1484"));
        let form: Vec<(String, String)> = ["housing", "local-government-and-social-care", "scottish-public-services", "public-services-wales"]
            .iter()
            .map(|k| (k.to_string(), if *k == "housing" { "Call the Housing Ombudsman on 0300 111 3000".to_string() } else { "x".to_string() }))
            .collect();
        let mut body = format!("csrf={csrf}");
        for (k, v) in &form {
            body.push_str(&format!("&{k}={}", v.replace(' ', "+")));
        }
        let empty = t.post_form("/staff/admin/organisation/ombudsman", body.replace("&public-services-wales=x", "&public-services-wales="), Some(&cookie)).await;
        assert!(empty.body.contains("Enter how to contact the Public Services Ombudsman for Wales"));
        let saved = t.post_form("/staff/admin/organisation/ombudsman", body, Some(&cookie)).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER);
        assert_eq!(
            t.app.ombudsman_contact(redress_domain::scheme::Ombudsman::Housing).await.unwrap(),
            "Call the Housing Ombudsman on 0300 111 3000"
        );
        let log = t.get("/staff/admin", Some(&cookie)).await.body;
        assert!(log.contains("Homes in 2026, renting (social or affordable rent): 8420"));
        assert!(log.contains("Contact details for the Housing Ombudsman changed"));
    })
    .await;
}

#[tokio::test]
async fn a_restriction_shows_on_every_case_of_that_person_and_blocks_nothing() {
    on_each_backend(|t| async move {
        let cookie = t.sign_in("officer@test.org").await;
        let reference = |page: &str| {
            let start = page.find("CMP-").unwrap();
            page[start..start + 15].to_string()
        };
        let sent = t.post_form(&t.post_form("/contact/new", VALID, None).await.location, "", None).await;
        let first = reference(&t.get(&sent.location, None).await.body);
        let path = format!("/staff/cases/{first}/act/restrict-contact");
        let form = t.get(&path, Some(&cookie)).await.body;
        let csrf = hidden(&form, "csrf");
        let today = t.app.today();
        let review = today.checked_add(jiff::Span::new().days(90)).unwrap();
        let bad = t.post_form(&path, format!("csrf={csrf}&kind=written-only&communicated_on={today}&review_on={today}"), Some(&cookie)).await;
        assert!(bad.body.contains("Enter the behaviour") && bad.body.contains("The review date must be after"));
        let body = format!(
            "csrf={csrf}&kind=written-only&behaviour=Shouted+at+reception+staff&details=Email+or+letter+only&decided_by=Head+of+Housing&communicated_on={today}&review_on={review}"
        );
        assert_eq!(t.post_form(&path, body, Some(&cookie)).await.status, StatusCode::SEE_OTHER);

        // The same person complains again: accepted as usual, and the restriction shows there.
        let again = VALID.replace("aled%40example.org", "ALED%40example.org").replace("Nobody+came", "Still+nobody+came");
        let sent = t.post_form(&t.post_form("/contact/new", again, None).await.location, "", None).await;
        let second = reference(&t.get(&sent.location, None).await.body);
        assert_ne!(first, second);
        let case = t.get(&format!("/staff/cases/{second}"), Some(&cookie)).await.body;
        assert!(case.contains("Contact restriction") && case.contains("Written contact only") && case.contains("Email or letter only"));
        let other = VALID.replace("aled%40example.org", "someone.else%40example.org");
        let sent = t.post_form(&t.post_form("/contact/new", other, None).await.location, "", None).await;
        let unrelated = reference(&t.get(&sent.location, None).await.body);
        assert!(!t.get(&format!("/staff/cases/{unrelated}"), Some(&cookie)).await.body.contains("Contact restriction"));

        let id = case.split(&format!("/staff/cases/{second}/restrictions/")).nth(1).unwrap().split('/').next().unwrap().to_string();

        // The complaints officer is reminded before the review is due, once.
        let later = t.app.now() + jiff::SignedDuration::from_hours(24 * 89);
        let near_review = t.app.clone().with_clock(move || later);
        let first_case = t.app.case_for(&Principal::System, &first).await.unwrap().contact;
        let review_emails = || async {
            let letters = t.store.letters(&t.app.organisation.id, &first_case.id).await.unwrap();
            letters
                .iter()
                .filter(|l| l.recipient == "officer@test.org" && l.subject.contains("the contact restriction on Aled Jones is due for review"))
                .count()
        };
        assert_eq!(review_emails().await, 0);
        near_review.send_reminders(2).await.unwrap();
        near_review.send_reminders(2).await.unwrap();
        assert_eq!(review_emails().await, 1, "once per review date");

        // A review keeps it in force with a new date, noted on the case.
        let review_url = format!("/staff/cases/{second}/restrictions/{id}/review");
        assert!(t.get(&review_url, Some(&cookie)).await.body.contains("Next review date"));
        let bad = t.post_form(&review_url, format!("csrf={csrf}&next_review={today}&outcome="), Some(&cookie)).await;
        assert!(bad.body.contains("The next review must be after today") && bad.body.contains("Enter what the review decided"), "{}", bad.body);
        let next = today.checked_add(jiff::Span::new().days(180)).unwrap();
        let ok = t.post_form(&review_url, format!("csrf={csrf}&next_review={next}&outcome=Still+needed+after+two+more+incidents"), Some(&cookie)).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        let reviewed = t.get(&format!("/staff/cases/{second}"), Some(&cookie)).await.body;
        assert!(reviewed.contains("reviewed and kept: Still needed after two more incidents"), "{reviewed}");
        near_review.send_reminders(2).await.unwrap();
        assert_eq!(review_emails().await, 1, "the next review is months away");

        let end = t.post_form(&format!("/staff/cases/{second}/restrictions/{id}/end"), format!("csrf={csrf}"), Some(&cookie)).await;
        assert_eq!(end.status, StatusCode::SEE_OTHER);
        let case = t.get(&format!("/staff/cases/{first}"), Some(&cookie)).await.body;
        assert!(!case.contains("Contact restriction"));
        assert!(case.contains("Restriction recorded for Aled Jones"));
        assert!(t.get(&format!("/staff/cases/{second}"), Some(&cookie)).await.body.contains("Restriction ended"));
    })
    .await;
}

#[tokio::test]
async fn an_administrator_finds_a_persons_data_and_erases_a_closed_case() {
    use redress_domain::case::Command;
    on_each_backend(|t| async move {
        let sent = t
            .post_form(
                &t.post_form("/contact/new", VALID, None).await.location,
                "",
                None,
            )
            .await;
        let page = t.get(&sent.location, None).await.body;
        let start = page.find("CMP-").unwrap();
        let reference = page[start..start + 15].to_string();
        t.app
            .add_user(
                &Principal::System,
                "dpo@test.org",
                "Dee Admin",
                Role::Admin,
                PASSWORD,
            )
            .await
            .unwrap();
        let admin = t.sign_in("dpo@test.org").await;

        // Subject access: the readable page and the JSON download, and the search is logged.
        let none = t
            .get(
                "/staff/admin/privacy/subject-access?email=&phone=",
                Some(&admin),
            )
            .await;
        assert!(
            none.body
                .contains("Enter an email address or a phone number"),
            "{}",
            none.body
        );
        let found = t
            .get(
                "/staff/admin/privacy/subject-access?email=Aled%40example.org&phone=",
                Some(&admin),
            )
            .await;
        assert_eq!(found.status, StatusCode::OK);
        assert!(
            found.body.contains(&reference)
                && found.body.contains("Nobody came to fix the leak")
                && found.body.contains("I use a screen reader")
        );
        let json = t
            .get(
                "/staff/admin/privacy/subject-access.json?email=aled%40example.org",
                Some(&admin),
            )
            .await;
        let export: serde_json::Value = serde_json::from_str(&json.body).unwrap();
        assert_eq!(export["cases"].as_array().unwrap().len(), 1);
        assert_eq!(
            export["cases"][0]["contact"]["reference"],
            reference.as_str()
        );
        assert!(
            t.get("/staff/admin", Some(&admin))
                .await
                .body
                .contains("Subject access search for aled@example.org: 1 cases")
        );

        // The retention policy is checked field by field.
        let privacy = t.get("/staff/admin/privacy", Some(&admin)).await.body;
        let csrf = hidden(&privacy, "csrf");
        let bad = t
            .post_form(
                "/staff/admin/privacy",
                format!(
                    "csrf={csrf}&complaint=0&service-request=6&comment=6&compliment=6&other-route=6"
                ),
                Some(&admin),
            )
            .await;
        assert!(
            bad.body
                .contains("Enter a whole number of years between 1 and 100"),
            "{}",
            bad.body
        );
        let good = t
            .post_form(
                "/staff/admin/privacy",
                format!(
                    "csrf={csrf}&complaint=7&service-request=6&comment=6&compliment=2&other-route=6"
                ),
                Some(&admin),
            )
            .await;
        assert_eq!(good.status, StatusCode::SEE_OTHER);
        let policy = t.app.retention_policy().await.unwrap();
        assert_eq!(
            policy.years_for(redress_domain::contact::ContactKind::Complaint),
            7
        );

        // Erasure is refused while the case is open, and needs a reason.
        let erase = format!("/staff/cases/{reference}/act/erase-personal-data");
        let form = t.get(&erase, Some(&admin)).await.body;
        let csrf = hidden(&form, "csrf");
        let open = t
            .post_form(
                &erase,
                format!("csrf={csrf}&reason=Asked+by+email"),
                Some(&admin),
            )
            .await;
        assert!(
            open.body.contains("This case is still open"),
            "{}",
            open.body
        );
        t.app
            .apply_command(
                &Principal::System,
                &reference,
                Command::Withdraw {
                    on: t.app.today(),
                    reason: "Sorted".into(),
                },
                None,
            )
            .await
            .unwrap();
        let blank = t
            .post_form(&erase, format!("csrf={csrf}&reason=+"), Some(&admin))
            .await;
        assert!(
            blank
                .body
                .contains("Enter why the personal data is being erased")
        );
        let done = t
            .post_form(
                &erase,
                format!("csrf={csrf}&reason=Erasure+request+agreed"),
                Some(&admin),
            )
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        let case = t
            .get(&format!("/staff/cases/{reference}"), Some(&admin))
            .await
            .body;
        assert!(
            case.contains("Personal data erased on") && case.contains("Erasure request agreed")
        );
        assert!(
            !case.contains("Aled") && !case.contains("screen reader") && !case.contains("leak"),
            "{case}"
        );
        let after = t
            .get(
                "/staff/admin/privacy/subject-access?email=aled%40example.org",
                Some(&admin),
            )
            .await
            .body;
        assert!(after.contains("No cases were found"));

        // Case studies are for every member of staff who can read cases.
        let officer = t.sign_in("officer@test.org").await;
        let study = t
            .get(
                &format!("/staff/cases/{reference}/case-study"),
                Some(&officer),
            )
            .await;
        assert_eq!(study.status, StatusCode::OK);
        assert!(
            study.body.starts_with("Case study: a complaint"),
            "{}",
            study.body
        );
    })
    .await;
}

#[tokio::test]
async fn a_single_use_link_opens_the_case_once_and_expires() {
    on_each_backend(|t| async move {
        let sent = t
            .post_form(
                &t.post_form("/contact/new", VALID, None).await.location,
                "",
                None,
            )
            .await;
        let page = t.get(&sent.location, None).await.body;
        let start = page.find("CMP-").unwrap();
        let reference = page[start..start + 15].to_string();
        let link = page
            .split("href=\"/track/link/")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_string();
        let path = format!("/track/link/{link}");

        // Fetching the link (as an email scanner would) does not use it up.
        let shown = t.get(&path, None).await;
        assert!(shown.body.contains("Open my case"));
        assert_eq!(t.get(&path, None).await.status, StatusCode::OK);
        let opened = t.post_form(&path, "", None).await;
        assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
        let cookie = opened.cookie.unwrap();
        assert!(
            t.get("/track/case", Some(&cookie))
                .await
                .body
                .contains(&reference)
        );
        // A second use, and a made-up link, are refused.
        let replay = t.post_form(&path, "", None).await;
        assert_eq!(replay.status, StatusCode::FORBIDDEN);
        assert!(
            replay
                .body
                .contains("This link has expired or has already been used")
        );
        assert!(replay.cookie.is_none());
        assert_eq!(
            t.post_form("/track/link/0000", "", None).await.status,
            StatusCode::FORBIDDEN
        );

        // Asking for a link by email: the answer never says whether the address matched.
        let wrong = t
            .post_form(
                "/track/email-link",
                format!("link_reference={reference}&link_email=someone%40else.org"),
                None,
            )
            .await;
        assert!(wrong.body.contains("Check your email"));
        let right = t
            .post_form(
                "/track/email-link",
                format!("link_reference={reference}&link_email=ALED%40example.org"),
                None,
            )
            .await;
        assert_eq!(right.body, wrong.body);
        let contact = t
            .app
            .case_for(&Principal::System, &reference)
            .await
            .unwrap()
            .contact;
        let letters = t
            .store
            .letters(&t.app.organisation.id, &contact.id)
            .await
            .unwrap();
        let emailed: Vec<_> = letters
            .iter()
            .filter(|l| l.kind == redress_domain::letter::LetterKind::SignInLink)
            .collect();
        assert_eq!(emailed.len(), 1, "only the matching address gets a link");
        assert_eq!(emailed[0].recipient, "aled@example.org");
        let body = &emailed[0].body;
        let emailed_link = body
            .split("https://complaints.test")
            .nth(1)
            .unwrap()
            .split_whitespace()
            .next()
            .unwrap()
            .to_string();
        assert!(emailed_link.starts_with("/track/link/"));
        assert_eq!(
            t.post_form(&emailed_link, "", None).await.status,
            StatusCode::SEE_OTHER
        );
        let blank = t
            .post_form("/track/email-link", "link_reference=&link_email=", None)
            .await;
        assert!(
            blank.body.contains("Enter your reference")
                && blank.body.contains("Enter the email address you gave us")
        );

        // A link stops working after 7 days.
        let fresh = t.app.resident_link(&contact).await.unwrap();
        let token = fresh.trim_start_matches("/track/link/");
        let later = t.app.now() + jiff::SignedDuration::from_hours(24 * 8);
        let week_on = t.app.clone().with_clock(move || later);
        assert!(matches!(
            week_on.resident_sign_in_with_link(token).await,
            Err(redress_app::AppError::Forbidden)
        ));
        assert!(
            t.app.resident_sign_in_with_link(token).await.is_ok(),
            "unused and in date"
        );
    })
    .await;
}

#[tokio::test]
async fn a_service_manager_sees_only_their_own_areas() {
    use redress_domain::organisation::ServiceArea;
    on_each_backend(|t| async move {
        let org = t.app.organisation.id.clone();
        for (id, name) in [("repairs", "Repairs"), ("asb", "Anti-social behaviour")] {
            let area = ServiceArea {
                id: id.into(),
                name: name.into(),
                scheme: "hos-2024".into(),
            };
            t.store.add_service_area(&org, &area).await.unwrap();
        }
        let mut refs = Vec::new();
        for area in ["repairs", "asb"] {
            let sent = t
                .post_form(
                    &t.post_form("/contact/new", format!("{VALID}&service_area={area}"), None)
                        .await
                        .location,
                    "",
                    None,
                )
                .await;
            let page = t.get(&sent.location, None).await.body;
            let start = page.find("CMP-").unwrap();
            refs.push(page[start..start + 15].to_string());
        }
        let (mine, theirs) = (&refs[0], &refs[1]);
        assert_eq!(
            t.app
                .case_for(&Principal::System, mine)
                .await
                .unwrap()
                .contact
                .detail
                .service_area
                .as_deref(),
            Some("repairs")
        );

        t.app
            .add_user(
                &Principal::System,
                "gm@test.org",
                "Gareth Manager",
                Role::ServiceManager,
                PASSWORD,
            )
            .await
            .unwrap();
        let manager = t.sign_in("gm@test.org").await;
        // Before any areas are given, a service manager sees no cases.
        assert!(
            !t.get("/staff/cases", Some(&manager))
                .await
                .body
                .contains(mine.as_str())
        );

        // An administrator gives them repairs.
        t.app
            .add_user(
                &Principal::System,
                "boss@test.org",
                "Bo Admin",
                Role::Admin,
                PASSWORD,
            )
            .await
            .unwrap();
        let admin = t.sign_in("boss@test.org").await;
        let users = t.get("/staff/admin/users", Some(&admin)).await.body;
        assert!(users.contains("Service areas Gareth Manager looks after"));
        let id = t
            .store
            .user_by_email("gm@test.org")
            .await
            .unwrap()
            .unwrap()
            .0
            .id;
        let csrf = hidden(&users, "csrf");
        let saved = t
            .post_form(
                &format!("/staff/admin/users/{id}"),
                format!("csrf={csrf}&role=service-manager&active=yes&area-repairs=yes"),
                Some(&admin),
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER);
        assert!(
            t.get("/staff/admin", Some(&admin))
                .await
                .body
                .contains("Gareth Manager now looks after: Repairs")
        );

        let list = t.get("/staff/cases", Some(&manager)).await.body;
        assert!(
            list.contains(&format!("href=\"/staff/cases/{mine}\"")),
            "{list}"
        );
        assert!(!list.contains(theirs.as_str()));
        assert_eq!(
            t.get(&format!("/staff/cases/{mine}"), Some(&manager))
                .await
                .status,
            StatusCode::OK
        );
        for route in [
            format!("/staff/cases/{theirs}"),
            format!("/staff/cases/{theirs}/act/add-note"),
            format!("/staff/cases/{theirs}/case-study"),
        ] {
            assert_eq!(
                t.get(&route, Some(&manager)).await.status,
                StatusCode::FORBIDDEN,
                "{route}"
            );
        }
        // Remedies due across cases: only their own areas'.
        use redress_domain::case::{Assignee, Command};
        for r in [mine, theirs] {
            let ack = Command::Acknowledge {
                on: t.app.today(),
                understanding: "Leak".into(),
                outcome_wanted: "Fix".into(),
            };
            t.app
                .apply_command(&Principal::System, r, ack, None)
                .await
                .unwrap();
            let remedy = Command::AddRemedy {
                kind: redress_domain::remedy::RemedyKind::Action,
                description: format!("Fix the leak for {r}"),
                owner: Assignee {
                    user_id: "u".into(),
                    name: "Olu Officer".into(),
                },
                due: t.app.today(),
                payment: None,
            };
            t.app
                .apply_command(&Principal::System, r, remedy, None)
                .await
                .unwrap();
        }
        let actions = t.get("/staff/actions", Some(&manager)).await.body;
        assert!(
            actions.contains(&format!("Fix the leak for {mine}"))
                && !actions.contains(theirs.as_str()),
            "{actions}"
        );
        let everyone = t.get("/staff/actions", Some(&admin)).await.body;
        assert!(everyone.contains(theirs.as_str()));
        let search = t
            .get(&format!("/staff/cases?q={theirs}"), Some(&manager))
            .await
            .body;
        assert!(
            !search.contains(&format!("href=\"/staff/cases/{theirs}\"")),
            "search does not reach past the scope"
        );
    })
    .await;
}

#[tokio::test]
async fn a_session_id_planted_before_sign_in_is_never_used() {
    on_each_backend(|t| async move {
        let planted = "redress_session=0123456789abcdef0123456789abcdef".to_string();
        let reply = t
            .post_form(
                "/staff/login",
                format!("email=officer@test.org&password={PASSWORD}"),
                Some(&planted),
            )
            .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER);
        let issued = reply.cookie.expect("a fresh session cookie");
        assert_ne!(issued, planted, "signing in issues a new session id");
        assert_eq!(
            t.get("/staff/cases", Some(&planted)).await.location,
            "/staff/login"
        );
        assert_eq!(
            t.get("/staff/cases", Some(&issued)).await.status,
            StatusCode::OK
        );
        // A staff form posted with another session's CSRF token is refused.
        let other = t.sign_in("officer@test.org").await;
        let page = t.get("/staff/cases/new", Some(&other)).await.body;
        let token = hidden(&page, "csrf");
        let mine = t.get("/staff/cases/new", Some(&issued)).await.body;
        assert_ne!(
            hidden(&mine, "csrf"),
            token,
            "each session has its own token"
        );
        let refused = t
            .post_form(
                "/staff/cases/new",
                format!("csrf={token}&{VALID}&channel=phone"),
                Some(&issued),
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn a_resident_sends_a_file_to_their_case() {
    on_each_backend(|t| async move {
        let sent = t.post_form(&t.post_form("/contact/new", VALID, None).await.location, "", None).await;
        let page = t.get(&sent.location, None).await.body;
        let start = page.find("CMP-").unwrap();
        let reference = page[start..start + 15].to_string();
        let ok = t.post_form("/track", format!("reference={reference}&answer=aled%40example.org"), None).await;
        let cookie = ok.cookie.unwrap();
        let case = t.get("/track/case", Some(&cookie)).await.body;
        assert!(case.contains("enctype=\"multipart/form-data\"") && case.contains("Send us a file"));
        let upload = |name: &str, bytes: &[u8], description: &str| {
            let boundary = "ResidentBoundary";
            let mut body = Vec::new();
            body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"description\"\r\n\r\n{description}\r\n").as_bytes());
            body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes());
            body.extend(bytes);
            body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
            Request::post("/track/case/files")
                .header(header::HOST, "redress.test")
                .header(header::ORIGIN, "http://redress.test")
                .header(header::COOKIE, cookie.clone())
                .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
                .body(Body::from(body))
                .unwrap()
        };
        let refused = t.send(upload("virus.exe", b"MZ\x90\x00", "Photos")).await;
        assert!(refused.body.contains("must be a PDF, a Word document"), "{}", refused.body);
        let no_description = t.send(upload("damp.pdf", b"%PDF-1.4 photos", " ")).await;
        assert!(no_description.body.contains("Enter what the file is"));
        let sent = t.send(upload("damp.pdf", b"%PDF-1.4 photos", "Photos of the damp")).await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        let case = t.get("/track/case?done=file", Some(&cookie)).await.body;
        assert!(case.contains("We have added your file") && case.contains("Files you have sent us") && case.contains("damp.pdf"));
        // Staff see it on the case, with who sent it.
        let staff = t.sign_in("officer@test.org").await;
        let staff_case = t.get(&format!("/staff/cases/{reference}"), Some(&staff)).await.body;
        assert!(staff_case.contains("damp.pdf") && staff_case.contains("Aled Jones (online)"), "{staff_case}");
        // Without a session nothing is accepted.
        let anonymous = Request::post("/track/case/files")
            .header(header::HOST, "redress.test")
            .header(header::ORIGIN, "http://redress.test")
            .header(header::CONTENT_TYPE, "multipart/form-data; boundary=x")
            .body(Body::from("--x--\r\n"))
            .unwrap();
        assert_eq!(t.send(anonymous).await.location, "/track");
    })
    .await;
}

#[tokio::test]
async fn a_representative_follows_the_case_once_their_authority_is_recorded() {
    on_each_backend(|t| async move {
        let form = "kind=complaint&who=someone-else&name=Mair+Evans&postcode=ll55+1aa\
            &rep_name=Sian+Advocate&rep_relationship=advocate&rep_email=sian%40advocacy.org\
            &summary=My+client%27s+heating+has+failed&preferred_contact=email";
        let sent = t
            .post_form(
                &t.post_form("/contact/new", form, None).await.location,
                "",
                None,
            )
            .await;
        let page = t.get(&sent.location, None).await.body;
        let start = page.find("CMP-").unwrap();
        let reference = page[start..start + 15].to_string();
        let sign_in = format!("reference={reference}&answer=sian%40advocacy.org");
        let refused = t.post_form("/track", sign_in.clone(), None).await;
        assert!(
            refused.body.contains("We could not find a case"),
            "not yet authorised"
        );

        let staff = t.sign_in("officer@test.org").await;
        let url = format!("/staff/cases/{reference}/act/record-authority");
        let action = t.get(&url, Some(&staff)).await.body;
        assert!(
            action.contains("value=\"not-yet-confirmed\" checked"),
            "{action}"
        );
        let csrf = hidden(&action, "csrf");
        let version = hidden(&action, "version");
        let saved = t
            .post_form(
                &url,
                format!("csrf={csrf}&version={version}&authority=written-consent"),
                Some(&staff),
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let case = t
            .get(&format!("/staff/cases/{reference}"), Some(&staff))
            .await
            .body;
        assert!(
            case.contains("Authority of Sian Advocate to act: Written consent from the person")
        );

        let ok = t.post_form("/track", sign_in, None).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        assert!(
            t.get("/track/case", Some(&ok.cookie.unwrap()))
                .await
                .body
                .contains(&reference)
        );
    })
    .await;
}

#[tokio::test]
async fn an_administrator_sets_the_name_colour_and_logo() {
    on_each_backend(|t| async move {
        t.app.add_user(&Principal::System, "brand@test.org", "Bryn Admin", Role::Admin, PASSWORD).await.unwrap();
        let admin = t.sign_in("brand@test.org").await;
        let page = t.get("/staff/admin/branding", Some(&admin)).await.body;
        assert!(page.contains("value=\"Test Homes\""));
        let csrf = hidden(&page, "csrf");
        let pale = t.post_form("/staff/admin/branding", format!("csrf={csrf}&brand_name=Cartref+Homes&colour=%23ffdd00"), Some(&admin)).await;
        assert!(pale.body.contains("choose a darker colour"), "{}", pale.body);
        let blank = t.post_form("/staff/admin/branding", format!("csrf={csrf}&brand_name=+&colour="), Some(&admin)).await;
        assert!(blank.body.contains("Enter the organisation&#39;s name"), "{}", blank.body);
        let ok = t.post_form("/staff/admin/branding", format!("csrf={csrf}&brand_name=Cartref+Homes&colour=%23005a30"), Some(&admin)).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER);
        let start = t.get("/", None).await.body;
        assert!(start.contains("Cartref Homes") && start.contains("/static/brand.css"));
        assert!(t.get("/static/brand.css", None).await.body.contains(".header { background: #005a30; }"));

        // A logo: images only.
        let send_logo = |name: &str, bytes: &[u8]| {
            let boundary = "LogoBoundary";
            let mut body = Vec::new();
            body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n").as_bytes());
            body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"logo\"; filename=\"{name}\"\r\nContent-Type: image/png\r\n\r\n").as_bytes());
            body.extend(bytes);
            body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
            Request::post("/staff/admin/branding/logo")
                .header(header::HOST, "redress.test")
                .header(header::ORIGIN, "http://redress.test")
                .header(header::COOKIE, admin.clone())
                .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
                .body(Body::from(body))
                .unwrap()
        };
        let wrong = t.send(send_logo("logo.pdf", b"%PDF-1.4 not an image")).await;
        assert!(wrong.body.contains("The logo must be a PNG or JPEG image"), "{}", wrong.body);
        let png = b"\x89PNG\r\n\x1a\nlogo-bytes";
        assert_eq!(t.send(send_logo("logo.png", png)).await.status, StatusCode::SEE_OTHER);
        assert!(t.get("/", None).await.body.contains("<img class=\"header__logo\" src=\"/static/logo\" alt=\"\">"));
        let logo = t
            .router
            .clone()
            .oneshot(Request::get("/static/logo").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(logo.headers().get(header::CONTENT_TYPE).unwrap(), "image/png");
        assert_eq!(&logo.into_body().collect().await.unwrap().to_bytes()[..], png);
        let removed = t.post_form("/staff/admin/branding/logo/remove", format!("csrf={csrf}"), Some(&admin)).await;
        assert_eq!(removed.status, StatusCode::SEE_OTHER);
        assert_eq!(t.get("/static/logo", None).await.status, StatusCode::NOT_FOUND);

        let log = t.get("/staff/admin", Some(&admin)).await.body;
        for entry in ["Branding: name Cartref Homes, colour #005a30", "Branding: new logo", "Branding: logo removed"] {
            assert!(log.contains(entry), "{entry}");
        }
        // Only administrators.
        let officer = t.sign_in("officer@test.org").await;
        assert_eq!(t.get("/staff/admin/branding", Some(&officer)).await.status, StatusCode::FORBIDDEN);
    })
    .await;
}

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
async fn complaints_lead_to_improvements_and_the_people_are_told() {
    on_each_backend(|t| async move {
        let mut refs = Vec::new();
        for (email, summary) in [("aled%40example.org", "Nobody+came"), ("mair%40example.org", "Missed+again")] {
            let body = VALID.replace("aled%40example.org", email).replace("Nobody+came", summary);
            let sent = t.post_form(&t.post_form("/contact/new", body, None).await.location, "", None).await;
            let page = t.get(&sent.location, None).await.body;
            let start = page.find("CMP-").unwrap();
            refs.push(page[start..start + 15].to_string());
        }
        let officer = t.sign_in("officer@test.org").await;

        // Root cause and lessons on the first complaint.
        let url = format!("/staff/cases/{}/act/record-learning", refs[0]);
        let form = t.get(&url, Some(&officer)).await.body;
        let (csrf, version) = (hidden(&form, "csrf"), hidden(&form, "version"));
        let missing = t.post_form(&url, format!("csrf={csrf}&version={version}&root_cause=&lessons="), Some(&officer)).await;
        assert!(missing.body.contains("Select the root cause"), "{}", missing.body);
        let saved = t.post_form(&url, format!("csrf={csrf}&version={version}&root_cause=repairs-delay&lessons=Confirm+visits+the+day+before"), Some(&officer)).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);

        // A proposal from both complaints.
        let new = t.get(&format!("/staff/improvements/new?case={}", refs[0]), Some(&officer)).await.body;
        assert!(new.contains(&refs[0]));
        let csrf = hidden(&new, "csrf");
        let both = format!("{}+{}", refs[0], refs[1]);
        let bad = t.post_form("/staff/improvements/new", format!("csrf={csrf}&title=&description=x&cases=CMP-2099-000001"), Some(&officer)).await;
        assert!(bad.body.contains("Enter what will change") && bad.body.contains("There is no case CMP-2099-000001"), "{}", bad.body);
        let made = t.post_form("/staff/improvements/new", format!("csrf={csrf}&title=Text+reminders+the+day+before+a+repair&description=Two+complaints+about+missed+visits&cases={both}"), Some(&officer)).await;
        assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
        let page_url = made.location.clone();
        let case = t.get(&format!("/staff/cases/{}", refs[1]), Some(&officer)).await.body;
        assert!(case.contains("Led to a proposed service improvement: Text reminders the day before a repair"));

        // Made: both people are told, by email.
        let page = t.get(&page_url, Some(&officer)).await.body;
        let id = page_url.rsplit('/').next().unwrap().to_string();
        let status_url = format!("/staff/improvements/{id}/status");
        let csrf = hidden(&page, "csrf");
        let today = t.app.today();
        let no_reason = t.post_form(&status_url, format!("csrf={csrf}&status=declined&on={today}&explanation="), Some(&officer)).await;
        assert!(no_reason.body.contains("Enter why it is not going ahead"), "{}", no_reason.body);
        let done = t.post_form(&status_url, format!("csrf={csrf}&status=implemented&on={today}&explanation="), Some(&officer)).await;
        assert_eq!(done.location, format!("/staff/improvements/{id}?told=2"));
        assert!(t.get(&done.location, Some(&officer)).await.body.contains("The people behind the 2 linked cases are being told"));
        for r in &refs {
            let c = t.app.case_for(&Principal::System, r).await.unwrap();
            assert!(c.events.iter().any(|e| e.summary == "Service improvement made: Text reminders the day before a repair"));
            let letters = t.store.letters(&t.app.organisation.id, &c.contact.id).await.unwrap();
            let told = letters.iter().find(|l| l.kind == redress_domain::letter::LetterKind::ImprovementMade).expect("a letter");
            assert!(told.body.contains("Text reminders the day before a repair") && told.body.contains("Two complaints about missed visits"));
        }
        // Decided once: the form is gone and a second decision is refused.
        let again = t.post_form(&status_url, format!("csrf={csrf}&status=declined&on={today}&explanation=No"), Some(&officer)).await;
        assert!(again.body.contains("already implemented"), "{}", again.body);

        let csv = t.get("/staff/improvements.csv", Some(&officer)).await.body;
        assert!(csv.starts_with("change,service,status,proposed_on") && csv.contains("Text reminders the day before a repair,,Implemented,"), "{csv}");
        let register = t.get("/staff/improvements?status=implemented", Some(&officer)).await.body;
        assert!(register.contains("Text reminders the day before a repair") && register.contains("Implemented"));
        let report = t.get("/staff/reports", Some(&officer)).await.body;
        assert!(report.contains("Service improvements made") && report.contains("Root cause: Repairs not done, late or missed appointments"), "{report}");
        // Reading the register is for staff who see cases; changing it for those who handle them.
        t.app.add_user(&Principal::System, "aud@test.org", "Ann Auditor", Role::Auditor, PASSWORD).await.unwrap();
        let auditor = t.sign_in("aud@test.org").await;
        assert_eq!(t.get("/staff/improvements", Some(&auditor)).await.status, StatusCode::OK);
        assert_eq!(t.get("/staff/improvements/new", Some(&auditor)).await.status, StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn after_a_response_the_resident_answers_a_survey_once() {
    use redress_domain::case::{Command, PointDecision};
    use redress_domain::letter::LetterKind;
    on_each_backend(|t| async move {
        let sent = t
            .post_form(
                &t.post_form("/contact/new", VALID, None).await.location,
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
            understanding: "Leak".into(),
            outcome_wanted: "Fix".into(),
        };
        t.app
            .apply_command(&Principal::System, &reference, ack, None)
            .await
            .unwrap();
        let respond = Command::Respond {
            on: today,
            points: vec![PointDecision {
                point: "Leak".into(),
                upheld: false,
            }],
            reasons: "The leak was from the flat above".into(),
            outstanding_actions: None,
            early_resolution: false,
        };
        let c = t
            .app
            .apply_command(&Principal::System, &reference, respond, None)
            .await
            .unwrap();
        let letters = t
            .store
            .letters(&t.app.organisation.id, &c.id)
            .await
            .unwrap();
        let invitation = letters
            .iter()
            .find(|l| l.kind == LetterKind::SurveyInvitation)
            .expect("an invitation");
        // The resident asked for large print, so it goes by post, in large print.
        assert!(
            invitation.delivery == redress_domain::letter::Delivery::Post && invitation.large_print
        );
        let link = invitation
            .body
            .split("/survey/")
            .nth(1)
            .unwrap()
            .split_whitespace()
            .next()
            .unwrap()
            .to_string();
        let path = format!("/survey/{link}");

        let form = t.get(&path, None).await.body;
        assert!(
            form.contains("How satisfied are you with how we handled it?")
                && form.contains("How satisfied are you with the outcome?")
        );
        let empty = t.post_form(&path, "why=", None).await;
        assert!(
            empty
                .body
                .contains("Select how satisfied you are with how it was handled")
                && empty
                    .body
                    .contains("Select how satisfied you are with the outcome")
        );
        let answered = t
            .post_form(
                &path,
                "handling=satisfied&outcome=very-dissatisfied&why=Still+leaking&better=",
                None,
            )
            .await;
        assert_eq!(answered.status, StatusCode::OK);
        assert!(
            answered.body.contains("Ask for a review"),
            "a dissatisfied answer is told how to take it further"
        );
        let again = t
            .post_form(&path, "handling=satisfied&outcome=satisfied", None)
            .await;
        assert_eq!(again.status, StatusCode::GONE);
        assert_eq!(t.get(&path, None).await.status, StatusCode::GONE);
        assert_eq!(t.get("/survey/0000", None).await.status, StatusCode::GONE);

        let view = t
            .app
            .case_for(&Principal::System, &reference)
            .await
            .unwrap();
        assert!(view.events.iter().any(|e| e.summary
            == "Satisfaction survey, stage 1: handling: satisfied; outcome: very dissatisfied"));
        let officer = t.sign_in("officer@test.org").await;
        let report = t.get("/staff/reports", Some(&officer)).await.body;
        assert!(
            report.contains("Stage 1: satisfied with how it was handled")
                && report.contains("100.0% (1 of 1)")
                && report.contains("0.0% (0 of 1)"),
            "{report}"
        );
    })
    .await;
}

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
async fn the_case_list_downloads_as_csv_without_formulas() {
    on_each_backend(|t| async move {
        let body = VALID.replace(
            "Nobody+came+to+fix+the+leak",
            "%3DHYPERLINK%28%22http%3A%2F%2Fevil%22%29",
        );
        let sent = t
            .post_form(
                &t.post_form("/contact/new", body, None).await.location,
                "",
                None,
            )
            .await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER);
        let officer = t.sign_in("officer@test.org").await;
        let list = t
            .get("/staff/cases?kind=complaint", Some(&officer))
            .await
            .body;
        assert!(
            list.contains("href=\"/staff/cases.csv?kind=complaint&#38;page=1\""),
            "{list}"
        );
        let csv = t
            .get("/staff/cases.csv?kind=complaint", Some(&officer))
            .await
            .body;
        assert!(csv.starts_with("reference,kind,status,stage,received_on,name"));
        assert!(csv.contains(",Aled Jones,"));
        assert!(
            csv.contains(",\"'=HYPERLINK(\"\"http://evil\"\")\","),
            "a formula is neutralised: {csv}"
        );
        assert_eq!(
            t.get("/staff/cases.csv", None).await.location,
            "/staff/login"
        );
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
async fn equality_answers_are_counted_only_in_aggregate() {
    use redress_domain::contact::{ContactInput, Source};
    on_each_backend(|t| async move {
        let with_answers = format!("{VALID}&age_band=35-44&disability=yes&ethnic_group=white");
        let draft = t
            .post_form("/contact/new", with_answers, None)
            .await
            .location;
        let check = t.get(&draft, None).await.body;
        assert!(
            check.contains("Ethnic group") && check.contains("35 to 44"),
            "{check}"
        );
        let sent = t.post_form(&draft, "", None).await;
        let page = t.get(&sent.location, None).await.body;
        let start = page.find("CMP-").unwrap();
        let reference = page[start..start + 15].to_string();
        let officer = t.sign_in("officer@test.org").await;
        let case = t
            .get(&format!("/staff/cases/{reference}"), Some(&officer))
            .await
            .body;
        assert!(
            !case.contains("35 to 44") && !case.contains("Ethnic group"),
            "never on the case"
        );
        let report = t.get("/staff/reports", Some(&officer)).await.body;
        assert!(
            report.contains("1 complainants answered; fewer than 10 are not broken down"),
            "{report}"
        );

        // With ten answers, the shares show beside the customer profile.
        for n in 0..9 {
            let input = ContactInput {
                kind: "complaint".into(),
                channel: "web-form".into(),
                who: "myself".into(),
                name: format!("Person {n}"),
                email: format!("p{n}@example.org"),
                summary: "Repairs".into(),
                age_band: if n < 4 {
                    "35-44".into()
                } else {
                    "75-plus".into()
                },
                ..Default::default()
            };
            t.app
                .submit_contact(&Principal::Public, &input, Source::PublicForm, None)
                .await
                .unwrap();
        }
        t.app
            .add_user(
                &Principal::System,
                "prof@test.org",
                "Pat Admin",
                Role::Admin,
                PASSWORD,
            )
            .await
            .unwrap();
        let admin = t.sign_in("prof@test.org").await;
        let org = t.get("/staff/admin/organisation", Some(&admin)).await.body;
        let csrf = hidden(&org, "csrf");
        let too_much = t
            .post_form(
                "/staff/admin/organisation/profile",
                format!("csrf={csrf}&profile-age-35-44=80&profile-age-75-plus=30"),
                Some(&admin),
            )
            .await;
        assert!(
            too_much
                .body
                .contains("The shares for age add up to more than 100%"),
            "{}",
            too_much.body
        );
        let saved = t
            .post_form(
                "/staff/admin/organisation/profile",
                format!("csrf={csrf}&profile-age-35-44=20&profile-age-75-plus=15"),
                Some(&admin),
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let report = t.get("/staff/reports", Some(&officer)).await.body;
        assert!(
            report.contains("Age: 35 to 44")
                && report.contains("50.0% of those who answered (customers: 20.0%)"),
            "5 of 10: {report}"
        );
        assert!(
            report.contains("Age: 75 or over")
                && report.contains("50.0% of those who answered (customers: 15.0%)")
        );
    })
    .await;
}

#[tokio::test]
async fn nul_bytes_and_control_characters_are_answered_not_failed() {
    on_each_backend(|t| async move {
        let login = t
            .post_form("/staff/login", "email=a%00b%40test.org&password=x", None)
            .await;
        assert_eq!(
            login.status,
            StatusCode::OK,
            "a wrong address, not an error: {}",
            login.body
        );
        let officer = t.sign_in("officer@test.org").await;
        assert_eq!(
            t.get("/staff/cases?q=%00", Some(&officer)).await.status,
            StatusCode::OK
        );
        let track = t
            .post_form("/track", "reference=CMP-2026-000001%00&answer=%00", None)
            .await;
        assert_ne!(track.status, StatusCode::INTERNAL_SERVER_ERROR);
        let link = t
            .post_form(
                "/track/email-link",
                "link_reference=%00&link_email=a%00%40b.org",
                None,
            )
            .await;
        assert_ne!(link.status, StatusCode::INTERNAL_SERVER_ERROR);
        let form = t
            .post_form("/contact/new", format!("{VALID}&summary=a%00b"), None)
            .await;
        assert_ne!(form.status, StatusCode::INTERNAL_SERVER_ERROR);
    })
    .await;
}
