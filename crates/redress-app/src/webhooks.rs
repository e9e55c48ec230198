//! Webhooks: administrators register endpoints for the events other systems want, and a
//! worker on every instance sends what the changes queued.
//!
//! Each delivery was written in the transaction of its change, so none is lost when the
//! service stops. It is signed in the manner of the Standard Webhooks convention: headers
//! `webhook-id` (the same on every retry), `webhook-timestamp` (Unix seconds) and
//! `webhook-signature` (`v1,` and the base64 HMAC-SHA256, keyed with the secret after its
//! `whsec_` prefix, of `id.timestamp.body`). A receiver that does not answer 2xx is tried
//! again with growing gaps; after a number of failures in a row the endpoint is paused for
//! an administrator to look at, its deliveries kept until it is resumed.

use crate::access::Principal;
use crate::{App, AppError};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use hmac::{KeyInit, Mac};
use jiff::{SignedDuration, Timestamp};
use redress_domain::role::Permission;
use redress_domain::webhook::NewEndpoint;
use redress_store::{AdminChange, ClaimedDelivery, DeliveryLine, WebhookAttempt, WebhookEndpoint};
use std::collections::BTreeMap;
use std::time::Duration;

/// Attempts before a delivery is marked failed: with the gaps below, about 28 hours.
pub const MAX_ATTEMPTS: i64 = 15;
/// Deliveries one worker takes at a time: each may take the whole timeout, and together
/// they must finish well inside the lease, or another instance would send them again.
const BATCH: i64 = 5;
/// How long a worker may hold a delivery before another may send it.
pub const LEASE: SignedDuration = SignedDuration::from_mins(2);
/// How long a receiver has to answer.
const TIMEOUT: Duration = Duration::from_secs(10);
/// How much of a receiver's answer is kept for an administrator to read.
const RESPONSE_KEPT: usize = 500;

/// The HTTP client deliveries go out on, and when to pause an endpoint.
#[derive(Debug, Clone)]
pub struct WebhookSender {
    client: reqwest::Client,
    /// Failures in a row after which an endpoint is paused.
    pause_after: i64,
    /// Whether addresses on private networks may be sent to (a housing system inside the
    /// organisation's network); off, so an address cannot reach internal services.
    private_networks: bool,
}

impl WebhookSender {
    pub fn new(pause_after: i64, private_networks: bool) -> Result<WebhookSender, AppError> {
        let client = reqwest::Client::builder()
            .timeout(TIMEOUT)
            // A redirect would send the signed message somewhere nobody registered.
            .redirect(reqwest::redirect::Policy::none())
            .dns_resolver(std::sync::Arc::new(Resolver { private_networks }))
            .user_agent(concat!("Redress-Webhooks/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| AppError::Setup(format!("the webhook client: {e}")))?;
        Ok(WebhookSender {
            client,
            pause_after: pause_after.max(1),
            private_networks,
        })
    }
}

/// Whether an address is one only this machine or a private network reaches.
fn private(ip: std::net::IpAddr) -> bool {
    match ip {
        std::net::IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                // Shared address space (carrier-grade NAT).
                || (a == 100 && (64..128).contains(&b))
        }
        std::net::IpAddr::V6(v6) => {
            let first = v6.segments()[0];
            v6.is_loopback()
                || v6.is_unspecified()
                // Unique local and link-local.
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                || v6.to_ipv4_mapped().is_some_and(|v4| private(v4.into()))
        }
    }
}

/// Resolves an endpoint's host name, refusing private addresses unless allowed: checked
/// when sending, so a name that later points inside the network is refused too. The name
/// `localhost` is this machine's, which an administrator names on purpose.
struct Resolver {
    private_networks: bool,
}

impl reqwest::dns::Resolve for Resolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let allow = self.private_networks || name.as_str() == "localhost";
        let host = name.as_str().to_string();
        Box::pin(async move {
            let found: Vec<std::net::SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await?
                .filter(|a| allow || !private(a.ip()))
                .collect();
            if found.is_empty() {
                return Err(format!(
                    "{host} has no public address (set REDRESS_WEBHOOK_PRIVATE_NETWORKS=allow to send inside your network)"
                )
                .into());
            }
            let addrs: reqwest::dns::Addrs = Box::new(found.into_iter());
            Ok(addrs)
        })
    }
}

/// An endpoint written as an address (not a name) is checked the same way; a loopback
/// address is this machine's, as `localhost` is.
fn address_refused(url: &str, private_networks: bool) -> Option<String> {
    let url = reqwest::Url::parse(url).ok()?;
    let host = url.host_str()?;
    // A name is checked when it is resolved; here only an address written as one.
    let ip: std::net::IpAddr = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse()
        .ok()?;
    (!private_networks && !ip.is_loopback() && private(ip)).then(|| {
        format!("{ip} is on a private network (set REDRESS_WEBHOOK_PRIVATE_NETWORKS=allow to send inside your network)")
    })
}

/// The start of a receiver's answer, read no further than needed, without control
/// characters (which some databases refuse).
async fn answer_start(mut r: reqwest::Response) -> String {
    let mut bytes = Vec::new();
    while bytes.len() < RESPONSE_KEPT * 4 {
        match r.chunk().await {
            Ok(Some(chunk)) => bytes.extend_from_slice(&chunk),
            _ => break,
        }
    }
    String::from_utf8_lossy(&bytes)
        .chars()
        .filter(|c| !c.is_control() || *c == '\n')
        .take(RESPONSE_KEPT)
        .collect()
}

/// Gaps before attempt `n + 1`: 30 seconds doubling, at most four hours.
fn backoff(attempts: i64) -> SignedDuration {
    let secs = 30i64 << attempts.clamp(0, 10);
    SignedDuration::from_secs(secs.min(4 * 3600))
}

/// A new endpoint's secret: `whsec_` and 32 random bytes in base64.
fn new_secret() -> Result<String, AppError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(format!("whsec_{}", BASE64.encode(bytes)))
}

/// The `webhook-signature` header for a message.
pub fn signature(secret: &str, id: &str, timestamp: i64, body: &str) -> Result<String, AppError> {
    let key = secret.strip_prefix("whsec_").unwrap_or(secret);
    let key = BASE64
        .decode(key)
        .map_err(|_| AppError::Internal("a webhook secret is not base64".into()))?;
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(&key)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    mac.update(format!("{id}.{timestamp}.{body}").as_bytes());
    Ok(format!("v1,{}", BASE64.encode(mac.finalize().into_bytes())))
}

/// What one round of sending did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Round {
    pub delivered: usize,
    /// Not taken, to be tried again.
    pub retrying: usize,
    /// Not taken, every attempt used.
    pub failed: usize,
}

impl Round {
    pub fn tried(&self) -> usize {
        self.delivered + self.retrying + self.failed
    }
}

/// An endpoint just registered, with its secret, shown once.
#[derive(Debug, Clone)]
pub struct Registered {
    pub id: String,
    pub secret: String,
}

/// What an administrator may do to an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndpointAction {
    Pause,
    Resume,
    Remove,
    Test,
}

impl EndpointAction {
    pub fn parse(s: &str) -> Option<EndpointAction> {
        match s {
            "pause" => Some(EndpointAction::Pause),
            "resume" => Some(EndpointAction::Resume),
            "remove" => Some(EndpointAction::Remove),
            "test" => Some(EndpointAction::Test),
            _ => None,
        }
    }
}

impl App {
    /// The endpoints registered, for administrators.
    pub async fn webhook_endpoints(
        &self,
        who: &Principal,
    ) -> Result<Vec<WebhookEndpoint>, AppError> {
        who.require(Permission::Administer)?;
        Ok(self.store.webhook_endpoints(&self.organisation.id).await?)
    }

    /// One endpoint and its latest deliveries, for administrators.
    pub async fn webhook_endpoint(
        &self,
        who: &Principal,
        id: &str,
    ) -> Result<(WebhookEndpoint, Vec<DeliveryLine>), AppError> {
        let endpoint = self
            .webhook_endpoints(who)
            .await?
            .into_iter()
            .find(|e| e.id == id)
            .ok_or(AppError::NotFound)?;
        let deliveries = self
            .store
            .webhook_deliveries(&self.organisation.id, id, 50)
            .await?;
        Ok((endpoint, deliveries))
    }

    /// Registers an endpoint from the administrator's form (`url`, `description` and the
    /// ticked `events`), recorded in the admin log.
    pub async fn add_webhook_endpoint(
        &self,
        who: &Principal,
        form: &BTreeMap<String, String>,
        events: &[String],
    ) -> Result<Registered, AppError> {
        who.require(Permission::Administer)?;
        let text = |k: &str| form.get(k).map(String::as_str).unwrap_or_default();
        let endpoint = NewEndpoint::parse(text("url"), text("description"), events)?;
        let id = uuid::Uuid::now_v7().to_string();
        let secret = new_secret()?;
        self.change(
            who,
            &[AdminChange::WebhookEndpoint {
                id: &id,
                endpoint: &endpoint,
                secret: &secret,
            }],
            &format!(
                "Added the webhook endpoint \"{}\" ({})",
                endpoint.description,
                endpoint.url.as_str()
            ),
        )
        .await?;
        Ok(Registered { id, secret })
    }

    /// Pauses, resumes, removes or sends a test to an endpoint, recorded in the admin log.
    pub async fn change_webhook_endpoint(
        &self,
        who: &Principal,
        id: &str,
        action: EndpointAction,
    ) -> Result<(), AppError> {
        let (endpoint, _) = self.webhook_endpoint(who, id).await?;
        let name = &endpoint.description;
        let paused_by = format!("Paused by {}", who.actor().name);
        let (change, summary) = match action {
            EndpointAction::Pause => (
                AdminChange::WebhookState {
                    id,
                    state: "paused",
                    reason: Some(&paused_by),
                },
                format!("Paused the webhook endpoint \"{name}\""),
            ),
            EndpointAction::Resume => (
                AdminChange::WebhookState {
                    id,
                    state: "active",
                    reason: None,
                },
                format!("Resumed the webhook endpoint \"{name}\""),
            ),
            EndpointAction::Remove => (
                AdminChange::WebhookState {
                    id,
                    state: "removed",
                    reason: None,
                },
                format!("Removed the webhook endpoint \"{name}\""),
            ),
            EndpointAction::Test => (
                AdminChange::WebhookTest { endpoint_id: id },
                format!("Sent a test to the webhook endpoint \"{name}\""),
            ),
        };
        self.change(who, &[change], &summary).await
    }

    /// Sends a failed delivery again, recorded in the admin log.
    pub async fn retry_webhook_delivery(
        &self,
        who: &Principal,
        endpoint_id: &str,
        delivery_id: &str,
    ) -> Result<(), AppError> {
        let (endpoint, deliveries) = self.webhook_endpoint(who, endpoint_id).await?;
        if !deliveries.iter().any(|d| d.id == delivery_id) {
            return Err(AppError::NotFound);
        }
        self.change(
            who,
            &[AdminChange::WebhookRetry { delivery_id }],
            &format!(
                "Sent a failed delivery to the webhook endpoint \"{}\" again",
                endpoint.description
            ),
        )
        .await
    }

    /// Sends what is due now.
    pub async fn deliver_webhooks(&self, sender: &WebhookSender) -> Result<Round, AppError> {
        let now = self.now();
        let lease_until = now
            .checked_add(LEASE)
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let due = self.store.claim_webhooks(now, lease_until, BATCH).await?;
        let mut round = Round::default();
        for delivery in due {
            let attempt = self.send_one(sender, &delivery).await?;
            match (attempt.delivered, attempt.retry_at) {
                (true, _) => round.delivered += 1,
                (false, Some(_)) => round.retrying += 1,
                (false, None) => round.failed += 1,
            }
            // One that cannot be recorded is sent again when its lease runs out; the rest
            // of the round goes on.
            match self.store.record_webhook_attempt(&delivery, &attempt).await {
                Ok(true) => {
                    tracing::warn!(endpoint = %delivery.endpoint_id, "webhook endpoint paused after failing in a row")
                }
                Ok(false) => {}
                Err(e) => {
                    tracing::error!(delivery = %delivery.id, error = %e, "a webhook attempt could not be recorded")
                }
            }
        }
        Ok(round)
    }

    async fn send_one(
        &self,
        sender: &WebhookSender,
        delivery: &ClaimedDelivery,
    ) -> Result<WebhookAttempt, AppError> {
        let started = std::time::Instant::now();
        let at = self.now();
        let timestamp = Timestamp::now().as_second();
        let signed = signature(&delivery.secret, &delivery.id, timestamp, &delivery.payload)?;
        if let Some(refused) = address_refused(&delivery.url, sender.private_networks) {
            return Ok(WebhookAttempt {
                at,
                status_code: None,
                response: String::new(),
                error: Some(refused),
                millis: 0,
                delivered: false,
                retry_at: None,
                pause_after: sender.pause_after,
            });
        }
        let result = sender
            .client
            .post(&delivery.url)
            .header("content-type", "application/json")
            .header("webhook-id", &delivery.id)
            .header("webhook-timestamp", timestamp.to_string())
            .header("webhook-signature", signed)
            .body(delivery.payload.clone())
            .send()
            .await;
        let (status_code, response, error) = match result {
            Ok(r) => {
                let code = r.status().as_u16();
                let kept = answer_start(r).await;
                let error =
                    (!(200..300).contains(&code)).then(|| format!("the receiver answered {code}"));
                (Some(i64::from(code)), kept, error)
            }
            // Without the URL: the error names the request, and the URL is already known.
            Err(e) => {
                let e = e.without_url();
                let mut why = e.to_string();
                let mut source = std::error::Error::source(&e);
                while let Some(s) = source {
                    why = format!("{why}: {s}");
                    source = s.source();
                }
                (None, String::new(), Some(why))
            }
        };
        let delivered = error.is_none();
        let retry_at = if delivered || delivery.attempts >= MAX_ATTEMPTS {
            None
        } else {
            at.checked_add(backoff(delivery.attempts)).ok()
        };
        if let Some(error) = &error {
            tracing::info!(delivery = %delivery.id, %error, attempt = delivery.attempts, "webhook not delivered");
        }
        Ok(WebhookAttempt {
            at,
            status_code,
            response,
            error,
            millis: i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX),
            delivered,
            retry_at,
            pause_after: sender.pause_after,
        })
    }

    /// Forgets deliveries that went through more than 30 days ago.
    pub async fn forget_old_webhook_deliveries(&self) -> Result<u64, AppError> {
        let before = self
            .now()
            .checked_sub(SignedDuration::from_hours(24 * 30))
            .map_err(|e| AppError::Internal(e.to_string()))?;
        Ok(self.store.forget_delivered_webhooks(before).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        assert_eq!(backoff(1).as_secs(), 60);
        assert_eq!(backoff(3).as_secs(), 240);
        assert_eq!(backoff(14).as_secs(), 4 * 3600);
    }

    #[test]
    fn signatures_follow_the_standard_webhooks_example() {
        // The example published with the Standard Webhooks specification.
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let body = r#"{"test": 2432232314}"#;
        let signed = signature(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body);
        assert_eq!(
            signed.ok().as_deref(),
            Some("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        );
    }
}
