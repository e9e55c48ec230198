//! Staff single sign-on against a real OpenID provider (`oidc-provider` from npm, in
//! `tests/oidc`), started here: success, a code for another client, an expired code, a
//! replayed answer, an account Redress does not know, and roles from groups.
//!
//! Needs Node.js and `npm ci` in `crates/redress-web/tests/oidc` (`.ci/run` does both);
//! skipped without them unless `REDRESS_TEST_OIDC_REQUIRED` is set.

use super::hidden;
use axum::http::StatusCode;
use redress_app::access::Principal;
use redress_app::sso::{Passwords, Sso, SsoSettings};
use redress_domain::role::Role;
use redress_testkit::web::{PASSWORD, Reply, TestApp, on_each_backend};
use std::collections::BTreeMap;
use std::io::BufRead;

const CALLBACK: &str = "https://complaints.test/staff/sso/callback";

/// The provider's process, stopped when dropped.
struct Provider {
    child: std::process::Child,
    issuer: String,
}

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the provider with its accounts, codes living `code_ttl` seconds; `None` when it
/// cannot run here.
fn provider(code_ttl: u32) -> Option<Provider> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oidc");
    if !dir.join("node_modules/oidc-provider").exists() {
        assert!(
            std::env::var_os("REDRESS_TEST_OIDC_REQUIRED").is_none(),
            "run npm ci in {} for the single sign-on tests",
            dir.display()
        );
        eprintln!("single sign-on skipped: run npm ci in {}", dir.display());
        return None;
    }
    let clients = serde_json::json!([
        {"client_id": "redress", "client_secret": "redress-client-secret-1", "redirect_uris": [CALLBACK]},
        {"client_id": "other-app", "client_secret": "other-client-secret-22", "redirect_uris": [CALLBACK]},
    ]);
    let accounts = serde_json::json!({
        "olu": {"email": "officer@test.org", "email_verified": true, "name": "Olu Officer", "groups": ["complaints-team"]},
        "ada": {"email": "admin@test.org", "email_verified": true, "name": "Ada Admin", "groups": ["redress-admins", "complaints-team"]},
        "sam": {"email": "scrutiny@test.org", "email_verified": true, "name": "Sam", "groups": ["tenants"]},
        "stranger": {"email": "stranger@test.org", "email_verified": true, "name": "Stranger", "groups": ["complaints-team"]},
        "unverified": {"email": "officer@test.org", "email_verified": false},
    });
    let mut child = std::process::Command::new("node")
        .arg(dir.join("provider.mjs"))
        .env("OIDC_CLIENTS", clients.to_string())
        .env("OIDC_ACCOUNTS", accounts.to_string())
        .env("OIDC_CODE_TTL", code_ttl.to_string())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("node runs the provider");
    let mut first = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    Some(Provider {
        child,
        issuer: first.trim().to_string(),
    })
}

fn settings(issuer: &str, roles: Vec<(String, Role)>, passwords: Passwords) -> SsoSettings {
    SsoSettings {
        issuer: issuer.to_string(),
        client_id: "redress".into(),
        client_secret: Some("redress-client-secret-1".into()),
        claim: "email".into(),
        groups_claim: "groups".into(),
        scopes: vec!["groups".into()],
        roles,
        provider_name: "Test Council account".into(),
        passwords,
    }
}

fn with_sso(t: TestApp, settings: SsoSettings) -> TestApp {
    let app = t
        .app
        .clone()
        .with_public_url("https://complaints.test")
        .with_sso(Sso::new(settings).unwrap());
    t.with_app(app)
}

/// The browser at the provider: follows its redirects, keeping its cookies, until it is
/// sent back to Redress; that address's path and query.
async fn at_provider(start: &str) -> String {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut jar: BTreeMap<String, String> = BTreeMap::new();
    let mut url = reqwest::Url::parse(start).unwrap();
    for _ in 0..10 {
        let cookies: Vec<String> = jar.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let r = http
            .get(url.clone())
            .header("cookie", cookies.join("; "))
            .send()
            .await
            .unwrap();
        for c in r.headers().get_all("set-cookie") {
            let pair = c.to_str().unwrap().split(';').next().unwrap();
            if let Some((k, v)) = pair.split_once('=') {
                jar.insert(k.to_string(), v.to_string());
            }
        }
        let location = r
            .headers()
            .get("location")
            .unwrap_or_else(|| panic!("the provider stopped at {url}: {}", r.status()))
            .to_str()
            .unwrap()
            .to_string();
        if let Some(back) = location.strip_prefix("https://complaints.test") {
            return back.to_string();
        }
        url = url.join(&location).unwrap();
    }
    panic!("the provider never sent the browser back");
}

/// Begins a sign-in as `account` (rewriting the request with `edit`); the answer's address
/// and the state cookie.
async fn begin(t: &TestApp, account: &str, edit: impl Fn(String) -> String) -> (String, String) {
    let start = t.get("/staff/sso/start", None).await;
    assert_eq!(start.status, StatusCode::SEE_OTHER, "{}", start.body);
    let cookie = start.cookie.clone().unwrap();
    assert!(cookie.starts_with("redress_sso="), "{cookie}");
    assert!(
        start.location.contains("code_challenge_method=S256"),
        "PKCE: {}",
        start.location
    );
    let url = edit(format!("{}&login_hint={account}", start.location));
    (at_provider(&url).await, cookie)
}

/// Signs in as `account` at the provider and brings the answer back to Redress.
async fn sign_in_as(t: &TestApp, account: &str) -> Reply {
    let (back, cookie) = begin(t, account, |u| u).await;
    t.get(&back, Some(&cookie)).await
}

#[tokio::test]
async fn staff_sign_in_with_their_identity_provider_and_strangers_and_replays_are_refused() {
    let Some(p) = provider(60) else { return };
    let issuer = p.issuer.clone();
    on_each_backend(|t| {
        let issuer = issuer.clone();
        async move {
            let t = with_sso(t, settings(&issuer, vec![], Passwords::Everyone));
            let login = t.get("/staff/login", None).await;
            assert!(
                login.body.contains("Sign in with Test Council account"),
                "{}",
                login.body
            );
            assert!(
                login.body.contains("name=\"password\""),
                "passwords still offered"
            );

            // Success: a session for the member of staff whose email the provider vouched for.
            let (back, cookie) = begin(&t, "olu", |u| u).await;
            let done = t.get(&back, Some(&cookie)).await;
            assert_eq!(done.status, StatusCode::OK, "{}", done.body);
            let session = done.cookie.clone().unwrap();
            assert!(session.starts_with("redress_session="), "{session}");
            assert!(done.body.contains("url=/staff"), "{}", done.body);
            let work = t.get("/staff", Some(&session)).await;
            assert_eq!(work.status, StatusCode::OK);
            assert!(work.body.contains("Olu Officer"), "{}", work.body);

            // The same answer again: refused, whoever sends it.
            let replay = t.get(&back, Some(&cookie)).await;
            assert_eq!(replay.status, StatusCode::FORBIDDEN);
            assert!(
                replay.body.contains("it was used already"),
                "{}",
                replay.body
            );
            assert!(
                replay
                    .cookie
                    .is_none_or(|c| !c.starts_with("redress_session="))
            );

            // An answer brought to another browser (without the state cookie) is refused.
            let (back, _) = begin(&t, "olu", |u| u).await;
            let elsewhere = t.get(&back, Some("redress_sso=somebody-else")).await;
            assert_eq!(elsewhere.status, StatusCode::FORBIDDEN);

            // Someone the provider knows but Redress does not.
            let stranger = sign_in_as(&t, "stranger").await;
            assert_eq!(stranger.status, StatusCode::FORBIDDEN);
            assert!(
                stranger
                    .body
                    .contains("There is no Redress account for stranger@test.org"),
                "{}",
                stranger.body
            );

            // An email the provider has not confirmed is not matched to anyone.
            let unverified = sign_in_as(&t, "unverified").await;
            assert_eq!(unverified.status, StatusCode::FORBIDDEN);
            assert!(
                unverified
                    .body
                    .contains("has not confirmed your email address"),
                "{}",
                unverified.body
            );

            // The provider refuses someone (no such account there): said, not a failure.
            let refused = sign_in_as(&t, "nobody").await;
            assert_eq!(refused.status, StatusCode::FORBIDDEN);
            assert!(
                refused.body.contains("did not sign you in (access_denied)"),
                "{}",
                refused.body
            );

            // A code the provider gave to another application is not accepted for Redress.
            let (back, cookie) = begin(&t, "olu", |u| {
                u.replace("client_id=redress", "client_id=other-app")
            })
            .await;
            let other = t.get(&back, Some(&cookie)).await;
            assert_eq!(other.status, StatusCode::FORBIDDEN);
            assert!(
                other.body.contains("did not confirm who you are"),
                "{}",
                other.body
            );

            // Signing out ends the Redress session.
            let csrf = hidden(&work.body, "csrf");
            let out = t
                .post_form("/staff/logout", format!("csrf={csrf}"), Some(&session))
                .await;
            assert_eq!(out.status, StatusCode::SEE_OTHER);
            assert_ne!(t.get("/staff", Some(&session)).await.status, StatusCode::OK);
        }
    })
    .await;
}

#[tokio::test]
async fn an_expired_code_is_refused() {
    let Some(p) = provider(1) else { return };
    on_each_backend(|t| {
        let issuer = p.issuer.clone();
        async move {
            let t = with_sso(t, settings(&issuer, vec![], Passwords::Everyone));
            let (back, cookie) = begin(&t, "olu", |u| u).await;
            tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
            let late = t.get(&back, Some(&cookie)).await;
            assert_eq!(late.status, StatusCode::FORBIDDEN, "{}", late.body);
            assert!(
                late.body.contains("did not confirm who you are"),
                "{}",
                late.body
            );
        }
    })
    .await;
}

#[tokio::test]
async fn roles_follow_groups_and_passwords_are_kept_for_administrators_only() {
    let Some(p) = provider(60) else { return };
    on_each_backend(|t| {
        let issuer = p.issuer.clone();
        async move {
            t.app
                .add_user(
                    &Principal::System,
                    "admin@test.org",
                    "Ada Admin",
                    Role::CaseWorker,
                    PASSWORD,
                )
                .await
                .unwrap();
            let roles = vec![
                ("redress-admins".to_string(), Role::Admin),
                ("complaints-team".to_string(), Role::ComplaintsOfficer),
            ];
            let t = with_sso(t, settings(&issuer, roles, Passwords::Administrators));
            // Ada is a case worker in Redress, but an administrator by her groups.
            let ada = sign_in_as(&t, "ada").await;
            assert_eq!(ada.status, StatusCode::OK, "{}", ada.body);
            let session = ada.cookie.unwrap();
            assert_eq!(
                t.get("/staff/admin", Some(&session)).await.status,
                StatusCode::OK
            );
            let (user, _) = t
                .store
                .user_by_email("admin@test.org")
                .await
                .unwrap()
                .unwrap();
            assert_eq!(user.role, Role::Admin);
            assert!(
                t.get("/staff/admin", Some(&session))
                    .await
                    .body
                    .contains("became Administrator from their groups")
            );
            // Sam has an account but none of the groups that may use Redress.
            let sam = sign_in_as(&t, "sam").await;
            assert_eq!(sam.status, StatusCode::FORBIDDEN);
            assert!(
                sam.body.contains("not in a group that may use Redress"),
                "{}",
                sam.body
            );
            // Passwords: an officer is sent to the provider; an administrator may still use one.
            let login = t.get("/staff/login", None).await;
            assert!(
                login.body.contains(
                    "Administrator sign-in, for when Test Council account is not working"
                )
            );
            let officer = t
                .post_form(
                    "/staff/login",
                    format!("email=officer%40test.org&password={PASSWORD}"),
                    None,
                )
                .await;
            assert_ne!(officer.status, StatusCode::SEE_OTHER);
            assert!(
                officer
                    .body
                    .contains("Staff sign in with Test Council account"),
                "{}",
                officer.body
            );
            let wrong = t
                .post_form(
                    "/staff/login",
                    "email=officer%40test.org&password=wrong-password-here",
                    None,
                )
                .await;
            assert!(
                wrong
                    .body
                    .contains("Enter a correct email address and password"),
                "a wrong password says nothing more"
            );
            let admin = t
                .post_form(
                    "/staff/login",
                    format!("email=admin%40test.org&password={PASSWORD}"),
                    None,
                )
                .await;
            assert_eq!(admin.status, StatusCode::SEE_OTHER, "{}", admin.body);
        }
    })
    .await;
}
