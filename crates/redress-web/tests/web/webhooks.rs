//! Webhooks sent to a real receiver the tests start: registered by an administrator,
//! queued with the change, signed, retried, paused after failing in a row, and sent once
//! each when two instances share the database.

use super::hidden;
use axum::http::{HeaderMap, StatusCode};
use redress_app::App;
use redress_app::access::Principal;
use redress_app::webhooks::{WebhookSender, signature};
use redress_domain::role::Role;
use redress_testkit::web::{PASSWORD, TestApp, on_each_backend};
use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};

/// What the receiver got: each request's headers and body.
#[derive(Clone, Default)]
struct Receiver {
    got: Arc<Mutex<Vec<(HeaderMap, String)>>>,
    /// The status it answers with.
    answer: Arc<AtomicU16>,
}

impl Receiver {
    /// Starts listening on a free port; the address to register.
    async fn start() -> (Receiver, String) {
        let receiver = Receiver::default();
        receiver.answer.store(200, Ordering::SeqCst);
        let r = receiver.clone();
        let app = axum::Router::new().route(
            "/hooks",
            axum::routing::post(move |headers: HeaderMap, body: String| {
                let r = r.clone();
                async move {
                    r.got.lock().unwrap().push((headers, body));
                    let code = r.answer.load(Ordering::SeqCst);
                    (StatusCode::from_u16(code).unwrap(), "thanks")
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await });
        (receiver, format!("http://{addr}/hooks"))
    }

    fn got(&self) -> Vec<(HeaderMap, String)> {
        self.got.lock().unwrap().clone()
    }
}

fn header(h: &HeaderMap, name: &str) -> String {
    h.get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

/// Adds an administrator and signs them in; their session cookie.
async fn admin(t: &TestApp) -> String {
    t.app
        .add_user(
            &Principal::System,
            "admin@test.org",
            "Alex Admin",
            Role::Admin,
            PASSWORD,
        )
        .await
        .unwrap();
    t.sign_in("admin@test.org").await
}

/// Registers `url` for `events` through the form; the endpoint's id and its secret, shown
/// once.
async fn add_endpoint(t: &TestApp, cookie: &str, url: &str, events: &[&str]) -> (String, String) {
    let page = t.get("/staff/admin/webhooks", Some(cookie)).await;
    let csrf = hidden(&page.body, "csrf");
    let ticked: String = events.iter().map(|e| format!("&event-{e}=yes")).collect();
    let form = format!(
        "csrf={csrf}&description=Housing+system&url={}{ticked}",
        url.replace(':', "%3A").replace('/', "%2F")
    );
    let added = t
        .post_form("/staff/admin/webhooks", form, Some(cookie))
        .await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    let secret = added
        .body
        .split("<code id=\"secret\">")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .unwrap()
        .to_string();
    assert!(secret.starts_with("whsec_"), "{secret}");
    let id = added
        .body
        .split("/staff/admin/webhooks/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_string();
    (id, secret)
}

/// Signs an administrator in and registers `url` for `events`: the endpoint's id, its
/// secret and the administrator's cookie.
async fn register(t: &TestApp, url: &str, events: &[&str]) -> (String, String, String) {
    let cookie = admin(t).await;
    let (id, secret) = add_endpoint(t, &cookie, url, events).await;
    (id, secret, cookie)
}

async fn new_complaint(t: &TestApp, token: &str, name: &str) -> String {
    let body = format!(
        r#"{{"kind":"complaint","channel":"email","who":"myself","name":"{name}","email":"r@example.org","summary":"Repairs not done"}}"#
    );
    let created = t.post_json("/api/contacts", &body, Some(token), None).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let json: serde_json::Value = serde_json::from_str(&created.body).unwrap();
    json["reference"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn an_administrator_registers_an_endpoint_and_each_event_is_sent_signed() {
    on_each_backend(|t| async move {
        let (receiver, url) = Receiver::start().await;
        // Only administrators reach the page.
        let officer = t.sign_in("officer@test.org").await;
        assert_eq!(
            t.get("/staff/admin/webhooks", Some(&officer)).await.status,
            StatusCode::FORBIDDEN
        );
        // Refusals at their fields: an address in the clear to another machine, no events.
        let cookie = admin(&t).await;
        let page = t.get("/staff/admin/webhooks", Some(&cookie)).await;
        let csrf = hidden(&page.body, "csrf");
        let bad = t
            .post_form(
                "/staff/admin/webhooks",
                format!("csrf={csrf}&description=HMS&url=http%3A%2F%2Fhms.example.org%2Fin"),
                Some(&cookie),
            )
            .await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        assert!(
            bad.body
                .contains("plain http is allowed only to this machine"),
            "{}",
            bad.body
        );
        assert!(
            bad.body.contains("Select at least one event to send"),
            "{}",
            bad.body
        );
        assert!(
            bad.body.contains("value=\"HMS\""),
            "answers are kept: {}",
            bad.body
        );
        let (id, secret) = add_endpoint(&t, &cookie, &url, &["received", "acknowledged"]).await;
        // The secret is shown once: not on the list, not on the endpoint's page.
        assert!(
            !t.get("/staff/admin/webhooks", Some(&cookie))
                .await
                .body
                .contains(&secret)
        );
        assert!(
            !t.get(&format!("/staff/admin/webhooks/{id}"), Some(&cookie))
                .await
                .body
                .contains(&secret)
        );
        // The admin log tells of it.
        assert!(
            t.get("/staff/admin", Some(&cookie))
                .await
                .body
                .contains("Added the webhook endpoint")
        );

        let token = t
            .app
            .issue_api_token(&Principal::System, "officer@test.org", "hms")
            .await
            .unwrap();
        let reference = new_complaint(&t, &token, "Bethan Morgan").await;
        let today = t.app.today();
        let ack = t
            .post_json(
                &format!("/api/contacts/{reference}/actions/acknowledge"),
                &format!(
                    r#"{{"on":"{today}","understanding":"Repairs","outcome_wanted":"Fix it"}}"#
                ),
                Some(&token),
                None,
            )
            .await;
        assert_eq!(ack.status, StatusCode::OK, "{}", ack.body);
        let sender = WebhookSender::new(5, false).unwrap();
        let round = t.app.deliver_webhooks(&sender).await.unwrap();
        assert_eq!(round.delivered, 2, "{round:?}");
        let got = receiver.got();
        let types: Vec<String> = got
            .iter()
            .map(|(_, b)| {
                serde_json::from_str::<serde_json::Value>(b).unwrap()["type"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect();
        assert_eq!(types, ["contact.received", "contact.acknowledged"]);
        for (headers, body) in &got {
            let msg_id = header(headers, "webhook-id");
            let ts: i64 = header(headers, "webhook-timestamp").parse().unwrap();
            assert!((jiff::Timestamp::now().as_second() - ts).abs() < 60);
            assert_eq!(
                header(headers, "webhook-signature"),
                signature(&secret, &msg_id, ts, body).unwrap()
            );
            // A wrong secret does not sign it the same way.
            assert_ne!(
                header(headers, "webhook-signature"),
                signature("whsec_AAAA", &msg_id, ts, body).unwrap()
            );
            let json: serde_json::Value = serde_json::from_str(body).unwrap();
            assert_eq!(json["data"]["reference"], reference.as_str());
            // Nothing personal in the message.
            assert!(
                !body.contains("Bethan") && !body.contains("example.org"),
                "{body}"
            );
        }
        assert_ne!(
            header(&got[0].0, "webhook-id"),
            header(&got[1].0, "webhook-id")
        );
        // Sent once: another round sends nothing.
        assert_eq!(t.app.deliver_webhooks(&sender).await.unwrap().tried(), 0);
        assert_eq!(receiver.got().len(), 2);
        // The endpoint's page shows each delivery and what the receiver answered.
        let shown = t
            .get(&format!("/staff/admin/webhooks/{id}"), Some(&cookie))
            .await;
        assert_eq!(shown.status, StatusCode::OK);
        assert!(
            shown.body.contains("contact.acknowledged"),
            "{}",
            shown.body
        );
        assert!(
            shown.body.contains("Delivered") && shown.body.contains("200 thanks"),
            "{}",
            shown.body
        );
        // A test message on request.
        let csrf = hidden(&shown.body, "csrf");
        let test = t
            .post_form(
                &format!("/staff/admin/webhooks/{id}"),
                format!("csrf={csrf}&action=test"),
                Some(&cookie),
            )
            .await;
        assert_eq!(test.status, StatusCode::SEE_OTHER);
        assert_eq!(t.app.deliver_webhooks(&sender).await.unwrap().delivered, 1);
        assert!(receiver.got().last().unwrap().1.contains("webhook.test"));
        // An unknown endpoint is not found.
        assert_eq!(
            t.get("/staff/admin/webhooks/no-such-id", Some(&cookie))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        // Removing is asked first; confirmed, it is no longer listed, and nothing more is
        // queued for it.
        let asked = t
            .post_form(
                &format!("/staff/admin/webhooks/{id}"),
                format!("csrf={csrf}&action=remove"),
                Some(&cookie),
            )
            .await;
        assert_eq!(
            asked.location,
            format!("/staff/admin/webhooks/{id}?confirm=remove")
        );
        let page = t.get(&asked.location, Some(&cookie)).await;
        assert!(
            page.body.contains("Remove this endpoint?") && page.body.contains("Yes, remove it"),
            "{}",
            page.body
        );
        assert!(
            t.get("/staff/admin/webhooks", Some(&cookie))
                .await
                .body
                .contains("Housing system"),
            "not removed until confirmed"
        );
        let removed = t
            .post_form(
                &format!("/staff/admin/webhooks/{id}"),
                format!("csrf={csrf}&action=remove&confirmed=yes"),
                Some(&cookie),
            )
            .await;
        assert_eq!(removed.status, StatusCode::SEE_OTHER);
        assert_eq!(removed.location, "/staff/admin/webhooks");
        assert!(
            !t.get("/staff/admin/webhooks", Some(&cookie))
                .await
                .body
                .contains("Housing system")
        );
        new_complaint(&t, &token, "Carys Jones").await;
        assert_eq!(t.app.deliver_webhooks(&sender).await.unwrap().tried(), 0);
    })
    .await;
}

#[tokio::test]
async fn a_failing_endpoint_is_retried_paused_and_catches_up_when_resumed() {
    on_each_backend(|t| async move {
        let (receiver, url) = Receiver::start().await;
        let (id, _secret, cookie) = register(&t, &url, &["received"]).await;
        receiver.answer.store(500, Ordering::SeqCst);
        let token = t
            .app
            .issue_api_token(&Principal::System, "officer@test.org", "hms")
            .await
            .unwrap();
        for name in ["Ann One", "Ben Two", "Cai Three"] {
            new_complaint(&t, &token, name).await;
        }
        // All three were taken in one round and failed; two in a row paused the endpoint.
        let sender = WebhookSender::new(2, false).unwrap();
        let round = t.app.deliver_webhooks(&sender).await.unwrap();
        assert_eq!(round.retrying, 3, "{round:?}");
        let list = t.get("/staff/admin/webhooks", Some(&cookie)).await;
        assert!(
            list.body
                .contains("Paused after 2 failed deliveries in a row"),
            "{}",
            list.body
        );
        let page = t
            .get(&format!("/staff/admin/webhooks/{id}"), Some(&cookie))
            .await;
        assert!(
            page.body.contains("To try again") && page.body.contains("500 thanks"),
            "{}",
            page.body
        );
        // Later, when the retry is due, nothing goes while paused.
        let later = t
            .app
            .clone()
            .with_clock(|| jiff::Timestamp::now() + jiff::SignedDuration::from_hours(1));
        assert_eq!(later.deliver_webhooks(&sender).await.unwrap().tried(), 0);
        // Resumed with the receiver mended: every waiting delivery goes.
        receiver.answer.store(200, Ordering::SeqCst);
        let csrf = hidden(&page.body, "csrf");
        let resumed = t
            .post_form(
                &format!("/staff/admin/webhooks/{id}"),
                format!("csrf={csrf}&action=resume"),
                Some(&cookie),
            )
            .await;
        assert_eq!(resumed.status, StatusCode::SEE_OTHER);
        assert_eq!(later.deliver_webhooks(&sender).await.unwrap().delivered, 3);
        // Each was received twice (the failure and the retry) with the same id both times.
        let got = receiver.got();
        assert_eq!(got.len(), 6);
        let mut ids: Vec<String> = got.iter().map(|(h, _)| header(h, "webhook-id")).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 3);
    })
    .await;
}

#[tokio::test]
async fn a_delivery_that_uses_every_attempt_fails_and_can_be_sent_again() {
    on_each_backend(|t| async move {
        let (receiver, url) = Receiver::start().await;
        let (id, _secret, cookie) = register(&t, &url, &["received"]).await;
        receiver.answer.store(410, Ordering::SeqCst);
        let token = t
            .app
            .issue_api_token(&Principal::System, "officer@test.org", "hms")
            .await
            .unwrap();
        new_complaint(&t, &token, "Dai Four").await;
        let sender = WebhookSender::new(1000, false).unwrap();
        // Each attempt a day later than the last, so every retry is due.
        let mut failed = 0;
        for day in 0..redress_app::webhooks::MAX_ATTEMPTS {
            let at = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24 * day);
            failed += t
                .app
                .clone()
                .with_clock(move || at)
                .deliver_webhooks(&sender)
                .await
                .unwrap()
                .failed;
        }
        assert_eq!(failed, 1);
        assert_eq!(
            receiver.got().len() as i64,
            redress_app::webhooks::MAX_ATTEMPTS
        );
        let page = t
            .get(&format!("/staff/admin/webhooks/{id}"), Some(&cookie))
            .await;
        assert!(
            page.body.contains("Failed") && page.body.contains("410 thanks"),
            "{}",
            page.body
        );
        let delivery = page
            .body
            .split("/deliveries/")
            .nth(1)
            .and_then(|s| s.split('/').next())
            .unwrap()
            .to_string();
        let csrf = hidden(&page.body, "csrf");
        receiver.answer.store(200, Ordering::SeqCst);
        let again = t
            .post_form(
                &format!("/staff/admin/webhooks/{id}/deliveries/{delivery}/retry"),
                format!("csrf={csrf}"),
                Some(&cookie),
            )
            .await;
        assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.body);
        assert_eq!(t.app.deliver_webhooks(&sender).await.unwrap().delivered, 1);
        // One that has not failed cannot be sent again.
        let twice = t
            .post_form(
                &format!("/staff/admin/webhooks/{id}/deliveries/{delivery}/retry"),
                format!("csrf={csrf}"),
                Some(&cookie),
            )
            .await;
        assert_eq!(twice.status, StatusCode::NOT_FOUND);
    })
    .await;
}

#[tokio::test]
async fn an_address_inside_a_private_network_is_refused_unless_allowed() {
    on_each_backend(|t| async move {
        // The address of a cloud's metadata service: never a receiver.
        let (id, _secret, cookie) =
            register(&t, "https://169.254.169.254/latest", &["received"]).await;
        let token = t
            .app
            .issue_api_token(&Principal::System, "officer@test.org", "hms")
            .await
            .unwrap();
        new_complaint(&t, &token, "Eve Five").await;
        let round = t
            .app
            .deliver_webhooks(&WebhookSender::new(5, false).unwrap())
            .await
            .unwrap();
        assert_eq!(round.failed, 1, "{round:?}");
        let page = t
            .get(&format!("/staff/admin/webhooks/{id}"), Some(&cookie))
            .await;
        assert!(
            page.body
                .contains("169.254.169.254 is on a private network"),
            "{}",
            page.body
        );
    })
    .await;
}

#[tokio::test]
async fn two_instances_on_one_database_send_each_delivery_once() {
    on_each_backend(|t| async move {
        let (receiver, url) = Receiver::start().await;
        register(&t, &url, &["received"]).await;
        let token = t
            .app
            .issue_api_token(&Principal::System, "officer@test.org", "hms")
            .await
            .unwrap();
        for i in 0..40 {
            new_complaint(&t, &token, &format!("Resident {i}")).await;
        }
        // A second instance: its own connections to the same database.
        let name = t.store.database_name().await.unwrap();
        let url = match t.store.backend() {
            "sqlite" => format!("sqlite://{name}"),
            _ => {
                let admin = redress_testkit::postgres_url().unwrap();
                format!("{}/{name}", admin.rsplit_once('/').unwrap().0)
            }
        };
        let other = App::load(redress_store::Store::connect(&url).await.unwrap())
            .await
            .unwrap();
        let sender = WebhookSender::new(5, false).unwrap();
        let drain = |app: App, sender: WebhookSender| async move {
            let mut sent = 0;
            loop {
                let round = app.deliver_webhooks(&sender).await.unwrap();
                if round.tried() == 0 {
                    return sent;
                }
                sent += round.delivered;
            }
        };
        let (a, b) = tokio::join!(
            drain(t.app.clone(), sender.clone()),
            drain(other, sender.clone())
        );
        assert_eq!(a + b, 40, "{a} + {b}");
        let mut ids: Vec<String> = receiver
            .got()
            .iter()
            .map(|(h, _)| header(h, "webhook-id"))
            .collect();
        assert_eq!(ids.len(), 40);
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 40, "each delivery once");
    })
    .await;
}
