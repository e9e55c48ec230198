//! The web app through its real router, on a fresh organisation with the standard users.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use redress_app::access::Principal;
use redress_app::{App, settings};
use redress_domain::calendar::Division;
use redress_domain::role::Role;
use redress_web::{AppState, router};
use std::future::Future;
use tower::ServiceExt;

/// The password of every user the kit adds.
pub const PASSWORD: &str = "correct-horse-battery";

/// The router on a fresh organisation ("Test Homes", England and Wales, the Housing
/// Ombudsman's 2024 code), with a complaints officer `officer@test.org` and a scrutiny
/// member `scrutiny@test.org`, both signing in with [`PASSWORD`].
pub struct TestApp {
    /// The database underneath, for tests that set up or check what pages do not show.
    pub store: redress_store::Store,
    pub app: App,
    pub router: Router,
}

/// What the router answered: the status, the `Location` and the cookie set (its
/// `name=value` part), and the body as text.
/// The token every test app's `/metrics` asks for.
pub const METRICS_TOKEN: &str = "test-metrics-token";

pub struct Reply {
    pub status: StatusCode,
    pub location: String,
    pub cookie: Option<String>,
    pub body: String,
    /// The body as sent, for downloads that are not text.
    pub bytes: Vec<u8>,
    /// Every header by its lower-case name (the last, when one is sent twice).
    pub headers: std::collections::BTreeMap<String, String>,
}

impl TestApp {
    /// The organisation, its users and the router on `store` (migrated and empty).
    pub async fn new(store: redress_store::Store) -> TestApp {
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
        let router = router(state_for(app.clone()));
        TestApp { app, store, router }
    }

    /// The same organisation and database, with `app` (set up differently: single sign-on,
    /// say) behind the router.
    pub fn with_app(self, app: App) -> TestApp {
        let router = router(state_for(app.clone()));
        TestApp {
            app,
            store: self.store,
            router,
        }
    }

    /// Sends `request` through the router as it is.
    pub async fn send(&self, request: Request<Body>) -> Reply {
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
        let headers = response
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Reply {
            status,
            location,
            cookie,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes: bytes.to_vec(),
        }
    }

    /// `GET path` on host `redress.test`, with the session `cookie` if given.
    pub async fn get(&self, path: &str, cookie: Option<&str>) -> Reply {
        let mut r = Request::get(path).header(header::HOST, "redress.test");
        if let Some(c) = cookie {
            r = r.header(header::COOKIE, c);
        }
        self.send(r.body(Body::empty()).unwrap()).await
    }

    /// Posts a form body from the site's own origin, with the session `cookie` if given.
    pub async fn post_form(
        &self,
        path: &str,
        body: impl Into<Body>,
        cookie: Option<&str>,
    ) -> Reply {
        let mut r = Request::post(path)
            .header(header::HOST, "redress.test")
            .header(header::ORIGIN, "http://redress.test")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(c) = cookie {
            r = r.header(header::COOKIE, c);
        }
        self.send(r.body(body.into()).unwrap()).await
    }

    /// Posts JSON to the API, with a bearer `token` and an `idempotency-key` if given.
    pub async fn post_json(
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

    /// Signs `email` in with [`PASSWORD`] through the staff form; the session cookie.
    pub async fn sign_in(&self, email: &str) -> String {
        let reply = self
            .post_form(
                "/staff/login",
                format!("email={email}&password={PASSWORD}"),
                None,
            )
            .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
        assert!(
            [
                "/staff",
                "/staff/reports",
                "/staff/scrutiny",
                "/staff/panel"
            ]
            .contains(&reply.location.as_str()),
            "{}",
            reply.location
        );
        reply.cookie.expect("a session cookie")
    }
}

fn state_for(app: App) -> AppState {
    AppState {
        throttle: std::sync::Arc::new(redress_web::throttle::Throttle::off()),
        app,
        secure_cookies: false,
        public_url: "https://complaints.test".into(),
        metrics_token: Some(METRICS_TOKEN.into()),
    }
}

/// Runs `test` on a [`TestApp`] on each backend, as [`crate::on_each_backend`] chooses them.
pub async fn on_each_backend<F, Fut>(test: F)
where
    F: Fn(TestApp) -> Fut,
    Fut: Future<Output = ()>,
{
    let test = &test;
    crate::on_each_backend(|store| async move { test(TestApp::new(store).await).await }).await;
}
