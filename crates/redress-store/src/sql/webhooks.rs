//! Webhooks: the endpoints administrators register, the deliveries queued for them in the
//! transaction of each change, claiming those due across instances, and every attempt with
//! what the receiver answered.

use crate::StoreError;
use crate::postgres::PgStore;
use crate::sql::{micros, timestamp};
use crate::sqlite::SqliteStore;
use jiff::Timestamp;
use redress_domain::contact::Contact;
use redress_domain::event::Event;
use redress_domain::webhook::NewEndpoint;
use sqlx::Row;

/// An endpoint with how its deliveries stand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookEndpoint {
    pub id: String,
    pub url: String,
    pub description: String,
    /// Event identifiers it asked for (`acknowledged`, `closed`, …).
    pub events: Vec<String>,
    /// `active`, `paused` or `removed`.
    pub state: String,
    /// Deliveries that failed in a row since the last one that went through.
    pub failures: i64,
    pub paused_reason: Option<String>,
    pub created_at: Timestamp,
    pub waiting: i64,
    pub failed: i64,
    pub delivered: i64,
}

/// A delivery claimed by a worker: where it goes and how it is signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimedDelivery {
    pub id: String,
    pub endpoint_id: String,
    pub url: String,
    pub secret: String,
    pub event_type: String,
    pub payload: String,
    /// Attempts so far, this one included.
    pub attempts: i64,
}

/// One delivery as the endpoint's page lists it, with its latest attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryLine {
    pub id: String,
    pub event_type: String,
    pub status: String,
    pub attempts: i64,
    pub created_at: Timestamp,
    pub next_attempt_at: Timestamp,
    pub delivered_at: Option<Timestamp>,
    pub status_code: Option<i64>,
    pub response: String,
    pub error: Option<String>,
    pub millis: Option<i64>,
}

/// How one attempt ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookAttempt {
    pub at: Timestamp,
    pub status_code: Option<i64>,
    /// The start of the receiver's answer, for an administrator to read.
    pub response: String,
    pub error: Option<String>,
    pub millis: i64,
    /// Whether the receiver took it (answered 2xx).
    pub delivered: bool,
    /// When it was not: when to try again, or `None` when every attempt is used.
    pub retry_at: Option<Timestamp>,
    /// Failures in a row after which the endpoint is paused.
    pub pause_after: i64,
}

/// Webhook storage, written once for both backends (`$db` is the backend's sqlx database).
macro_rules! webhook_methods {
    ($db:ty) => {
        /// The endpoints (id, events asked for) that deliveries are queued for: those of
        /// the organisation not removed. Paused endpoints get theirs too: they wait until it
        /// is resumed. `org` is the organisation's id, or with `by_contact` a case's id.
        pub(crate) async fn webhook_targets(
            tx: &mut sqlx::Transaction<'static, $db>,
            org: &str,
            by_contact: bool,
        ) -> Result<Vec<(String, String)>, StoreError> {
            let sql = if by_contact {
                "SELECT w.id, w.events FROM webhook_endpoints w \
                 JOIN contacts c ON c.organisation_id = w.organisation_id \
                 WHERE c.id = ? AND w.state <> 'removed'"
            } else {
                "SELECT w.id, w.events FROM webhook_endpoints w \
                 WHERE w.organisation_id = ? AND w.state <> 'removed'"
            };
            let rows = sqlx::query(Self::sql(sql))
                .bind(org)
                .fetch_all(&mut **tx)
                .await?;
            rows.iter()
                .map(|r| Ok((r.try_get("id")?, r.try_get("events")?)))
                .collect()
        }

        /// Queues a delivery of each event to every target that asked for it, in the
        /// caller's transaction. `first_seq` is the first event's place in the history.
        pub(crate) async fn queue_webhooks(
            tx: &mut sqlx::Transaction<'static, $db>,
            targets: &[(String, String)],
            contact: &Contact,
            events: &[Event],
            first_seq: i64,
        ) -> Result<(), StoreError> {
            for (i, event) in events.iter().enumerate() {
                let seq = first_seq + i as i64;
                let wanted = format!(",{},", event.kind.as_str());
                let mut payload = None;
                for (id, asked) in targets {
                    if !asked.contains(&wanted) {
                        continue;
                    }
                    let payload = payload.get_or_insert_with(|| {
                        redress_domain::webhook::payload(contact, event, seq).to_string()
                    });
                    sqlx::query(Self::sql(
                        "INSERT INTO webhook_deliveries (id, endpoint_id, event_type, payload, \
                         status, attempts, next_attempt_at, created_at) \
                         VALUES (?, ?, ?, ?, 'pending', 0, ?, ?)",
                    ))
                    .bind(format!("{id}.{}.{seq}", contact.id))
                    .bind(id)
                    .bind(redress_domain::webhook::event_type(event.kind))
                    .bind(payload.as_str())
                    .bind(micros(event.at))
                    .bind(micros(event.at))
                    .execute(&mut **tx)
                    .await?;
                }
            }
            Ok(())
        }

        pub(crate) async fn put_webhook_endpoint(
            conn: &mut <$db as sqlx::Database>::Connection,
            org: &str,
            id: &str,
            endpoint: &NewEndpoint,
            secret: &str,
            at: Timestamp,
        ) -> Result<(), StoreError> {
            sqlx::query(Self::sql(
                "INSERT INTO webhook_endpoints (id, organisation_id, url, description, secret, \
                 events, state, failures, created_at) VALUES (?, ?, ?, ?, ?, ?, 'active', 0, ?)",
            ))
            .bind(id)
            .bind(org)
            .bind(endpoint.url.as_str())
            .bind(&endpoint.description)
            .bind(secret)
            .bind(endpoint.events_column())
            .bind(micros(at))
            .execute(&mut *conn)
            .await?;
            Ok(())
        }

        /// Pauses, resumes or removes an endpoint. Resuming clears its failures; removing
        /// drops what still waits for it, which would otherwise never go.
        pub(crate) async fn put_webhook_state(
            conn: &mut <$db as sqlx::Database>::Connection,
            org: &str,
            id: &str,
            state: &str,
            reason: Option<&str>,
        ) -> Result<bool, StoreError> {
            let done = sqlx::query(Self::sql(
                "UPDATE webhook_endpoints SET state = ?, paused_reason = ?, \
                 failures = CASE WHEN ? = 'active' THEN 0 ELSE failures END \
                 WHERE organisation_id = ? AND id = ? AND state <> 'removed'",
            ))
            .bind(state)
            .bind(reason)
            .bind(state)
            .bind(org)
            .bind(id)
            .execute(&mut *conn)
            .await?;
            if state == "removed" {
                sqlx::query(Self::sql(
                    "UPDATE webhook_deliveries SET status = 'failed' \
                     WHERE endpoint_id = ? AND status = 'pending'",
                ))
                .bind(id)
                .execute(&mut *conn)
                .await?;
            }
            Ok(done.rows_affected() == 1)
        }

        /// Sends a failed delivery again from its first attempt.
        pub(crate) async fn put_webhook_retry(
            conn: &mut <$db as sqlx::Database>::Connection,
            org: &str,
            delivery_id: &str,
            at: Timestamp,
        ) -> Result<bool, StoreError> {
            let done = sqlx::query(Self::sql(
                "UPDATE webhook_deliveries SET status = 'pending', attempts = 0, \
                 next_attempt_at = ? WHERE id = ? AND status = 'failed' AND endpoint_id IN \
                 (SELECT id FROM webhook_endpoints WHERE organisation_id = ? \
                 AND state <> 'removed')",
            ))
            .bind(micros(at))
            .bind(delivery_id)
            .bind(org)
            .execute(&mut *conn)
            .await?;
            Ok(done.rows_affected() == 1)
        }

        /// Queues a test message to one endpoint.
        pub(crate) async fn put_webhook_test(
            conn: &mut <$db as sqlx::Database>::Connection,
            org: &str,
            endpoint_id: &str,
            at: Timestamp,
        ) -> Result<bool, StoreError> {
            let done = sqlx::query(Self::sql(
                "INSERT INTO webhook_deliveries (id, endpoint_id, event_type, payload, status, \
                 attempts, next_attempt_at, created_at) \
                 SELECT ?, id, ?, ?, 'pending', 0, ?, ? FROM webhook_endpoints \
                 WHERE organisation_id = ? AND id = ? AND state <> 'removed'",
            ))
            .bind(format!("{endpoint_id}.test.{}", uuid::Uuid::now_v7()))
            .bind(redress_domain::webhook::TEST_TYPE)
            .bind(redress_domain::webhook::test_payload(at).to_string())
            .bind(micros(at))
            .bind(micros(at))
            .bind(org)
            .bind(endpoint_id)
            .execute(&mut *conn)
            .await?;
            Ok(done.rows_affected() == 1)
        }

        pub(crate) async fn webhook_endpoints(
            &self,
            org: &str,
        ) -> Result<Vec<WebhookEndpoint>, StoreError> {
            let rows = sqlx::query(Self::sql(
                "SELECT w.id, w.url, w.description, w.events, w.state, w.failures, \
                 w.paused_reason, w.created_at, \
                 CAST(COALESCE(SUM(CASE WHEN d.status IN ('pending', 'sending') THEN 1 ELSE 0 END), 0) AS BIGINT) AS waiting, \
                 CAST(COALESCE(SUM(CASE WHEN d.status = 'failed' THEN 1 ELSE 0 END), 0) AS BIGINT) AS failed, \
                 CAST(COALESCE(SUM(CASE WHEN d.status = 'delivered' THEN 1 ELSE 0 END), 0) AS BIGINT) AS delivered \
                 FROM webhook_endpoints w LEFT JOIN webhook_deliveries d ON d.endpoint_id = w.id \
                 WHERE w.organisation_id = ? AND w.state <> 'removed' \
                 GROUP BY w.id, w.url, w.description, w.events, w.state, w.failures, \
                 w.paused_reason, w.created_at ORDER BY w.created_at",
            ))
            .bind(org)
            .fetch_all(&self.pool)
            .await?;
            rows.iter()
                .map(|r| {
                    let events: String = r.try_get("events")?;
                    Ok(WebhookEndpoint {
                        id: r.try_get("id")?,
                        url: r.try_get("url")?,
                        description: r.try_get("description")?,
                        events: events
                            .split(',')
                            .filter(|e| !e.is_empty())
                            .map(str::to_string)
                            .collect(),
                        state: r.try_get("state")?,
                        failures: r.try_get("failures")?,
                        paused_reason: r.try_get("paused_reason")?,
                        created_at: timestamp(r.try_get("created_at")?)?,
                        waiting: r.try_get("waiting")?,
                        failed: r.try_get("failed")?,
                        delivered: r.try_get("delivered")?,
                    })
                })
                .collect()
        }

        /// The latest deliveries to one endpoint, newest first, each with its last attempt.
        pub(crate) async fn webhook_deliveries(
            &self,
            org: &str,
            endpoint_id: &str,
            limit: i64,
        ) -> Result<Vec<DeliveryLine>, StoreError> {
            let rows = sqlx::query(Self::sql(
                "SELECT d.id, d.event_type, d.status, d.attempts, d.created_at, \
                 d.next_attempt_at, d.delivered_at, a.status_code, a.response, a.error, a.millis \
                 FROM webhook_deliveries d \
                 JOIN webhook_endpoints w ON w.id = d.endpoint_id \
                 LEFT JOIN webhook_attempts a ON a.delivery_id = d.id AND a.attempt = \
                 (SELECT MAX(attempt) FROM webhook_attempts x WHERE x.delivery_id = d.id) \
                 WHERE w.organisation_id = ? AND d.endpoint_id = ? \
                 ORDER BY d.created_at DESC, d.id DESC LIMIT ?",
            ))
            .bind(org)
            .bind(endpoint_id)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
            rows.iter()
                .map(|r| {
                    Ok(DeliveryLine {
                        id: r.try_get("id")?,
                        event_type: r.try_get("event_type")?,
                        status: r.try_get("status")?,
                        attempts: r.try_get("attempts")?,
                        created_at: timestamp(r.try_get("created_at")?)?,
                        next_attempt_at: timestamp(r.try_get("next_attempt_at")?)?,
                        delivered_at: r
                            .try_get::<Option<i64>, _>("delivered_at")?
                            .map(timestamp)
                            .transpose()?,
                        status_code: r.try_get("status_code")?,
                        response: r
                            .try_get::<Option<String>, _>("response")?
                            .unwrap_or_default(),
                        error: r.try_get("error")?,
                        millis: r.try_get("millis")?,
                    })
                })
                .collect()
        }

        /// Claims deliveries that are due to active endpoints. A delivery whose worker
        /// stopped part-way (its lease ran out) is due again: the receiver may get it twice,
        /// and tells by its id, as webhook receivers are expected to.
        pub(crate) async fn claim_webhooks(
            &self,
            now: Timestamp,
            lease_until: Timestamp,
            limit: i64,
        ) -> Result<Vec<ClaimedDelivery>, StoreError> {
            let mut tx = self.begin_write().await?;
            sqlx::query(Self::sql(
                "UPDATE webhook_deliveries SET status = 'pending', claimed_until = NULL \
                 WHERE status = 'sending' AND claimed_until < ?",
            ))
            .bind(micros(now))
            .execute(&mut *tx)
            .await?;
            let ids: Vec<String> = sqlx::query_scalar(Self::sql_owned(format!(
                "SELECT d.id FROM webhook_deliveries d \
                 WHERE d.status = 'pending' AND d.next_attempt_at <= ? AND d.endpoint_id IN \
                 (SELECT id FROM webhook_endpoints WHERE state = 'active') \
                 ORDER BY d.next_attempt_at, d.id LIMIT ?{}",
                Self::CLAIM_LOCK
            )))
            .bind(micros(now))
            .bind(limit)
            .fetch_all(&mut *tx)
            .await?;
            let mut claimed = Vec::new();
            for id in ids {
                let updated = sqlx::query(Self::sql(
                    "UPDATE webhook_deliveries \
                     SET status = 'sending', claimed_until = ?, attempts = attempts + 1 \
                     WHERE id = ? AND status = 'pending'",
                ))
                .bind(micros(lease_until))
                .bind(&id)
                .execute(&mut *tx)
                .await?;
                if updated.rows_affected() != 1 {
                    continue;
                }
                let r = sqlx::query(Self::sql(
                    "SELECT d.id, d.endpoint_id, w.url, w.secret, d.event_type, d.payload, \
                     d.attempts FROM webhook_deliveries d \
                     JOIN webhook_endpoints w ON w.id = d.endpoint_id WHERE d.id = ?",
                ))
                .bind(&id)
                .fetch_one(&mut *tx)
                .await?;
                claimed.push(ClaimedDelivery {
                    id: r.try_get("id")?,
                    endpoint_id: r.try_get("endpoint_id")?,
                    url: r.try_get("url")?,
                    secret: r.try_get("secret")?,
                    event_type: r.try_get("event_type")?,
                    payload: r.try_get("payload")?,
                    attempts: r.try_get("attempts")?,
                });
            }
            tx.commit().await?;
            Ok(claimed)
        }

        /// Records an attempt and its outcome: the delivery delivered, due again, or failed;
        /// the endpoint's failures in a row counted, and the endpoint paused when they reach
        /// the limit. Returns whether this attempt paused the endpoint.
        pub(crate) async fn record_webhook_attempt(
            &self,
            delivery: &ClaimedDelivery,
            attempt: &WebhookAttempt,
        ) -> Result<bool, StoreError> {
            let mut tx = self.begin_write().await?;
            let (status, next) = match (attempt.delivered, attempt.retry_at) {
                (true, _) => ("delivered", None),
                (false, Some(at)) => ("pending", Some(at)),
                (false, None) => ("failed", None),
            };
            // Only while this worker still holds it: if its lease ran out, another instance
            // has it now, and what that one records stands.
            let ours = sqlx::query(Self::sql(
                "UPDATE webhook_deliveries SET status = ?, claimed_until = NULL, \
                 next_attempt_at = COALESCE(?, next_attempt_at), \
                 delivered_at = CASE WHEN ? = 'delivered' THEN ? ELSE delivered_at END \
                 WHERE id = ? AND status = 'sending'",
            ))
            .bind(status)
            .bind(next.map(micros))
            .bind(status)
            .bind(micros(attempt.at))
            .bind(&delivery.id)
            .execute(&mut *tx)
            .await?;
            if ours.rows_affected() != 1 {
                tx.rollback().await?;
                return Ok(false);
            }
            sqlx::query(Self::sql(
                "INSERT INTO webhook_attempts (delivery_id, attempt, at, status_code, response, \
                 error, millis) SELECT ?, COALESCE(MAX(attempt), 0) + 1, ?, ?, ?, ?, ? \
                 FROM webhook_attempts WHERE delivery_id = ?",
            ))
            .bind(&delivery.id)
            .bind(micros(attempt.at))
            .bind(attempt.status_code)
            .bind(&attempt.response)
            .bind(attempt.error.as_deref())
            .bind(attempt.millis)
            .bind(&delivery.id)
            .execute(&mut *tx)
            .await?;
            let paused = if attempt.delivered {
                sqlx::query(Self::sql(
                    "UPDATE webhook_endpoints SET failures = 0 WHERE id = ?",
                ))
                .bind(&delivery.endpoint_id)
                .execute(&mut *tx)
                .await?;
                false
            } else {
                sqlx::query(Self::sql(
                    "UPDATE webhook_endpoints SET failures = failures + 1 WHERE id = ?",
                ))
                .bind(&delivery.endpoint_id)
                .execute(&mut *tx)
                .await?;
                let paused = sqlx::query(Self::sql(
                    "UPDATE webhook_endpoints SET state = 'paused', paused_reason = ? \
                     WHERE id = ? AND state = 'active' AND failures >= ?",
                ))
                .bind(format!(
                    "Paused after {} failed deliveries in a row",
                    attempt.pause_after
                ))
                .bind(&delivery.endpoint_id)
                .bind(attempt.pause_after)
                .execute(&mut *tx)
                .await?;
                paused.rows_affected() == 1
            };
            tx.commit().await?;
            Ok(paused)
        }

        /// The organisation's deliveries waiting, being sent and failed, for monitoring.
        pub(crate) async fn webhook_queue(
            &self,
            org: &str,
        ) -> Result<Vec<(String, i64)>, StoreError> {
            let rows = sqlx::query(Self::sql(
                "SELECT d.status, COUNT(*) AS n FROM webhook_deliveries d \
                 JOIN webhook_endpoints w ON w.id = d.endpoint_id \
                 WHERE w.organisation_id = ? AND d.status IN ('pending', 'sending', 'failed') \
                 AND w.state <> 'removed' GROUP BY d.status ORDER BY d.status",
            ))
            .bind(org)
            .fetch_all(&self.pool)
            .await?;
            rows.iter()
                .map(|r| Ok((r.try_get("status")?, r.try_get("n")?)))
                .collect()
        }

        /// Forgets deliveries that went through before `before`, with their attempts.
        pub(crate) async fn forget_delivered_webhooks(
            &self,
            before: Timestamp,
        ) -> Result<u64, StoreError> {
            let mut tx = self.begin_write().await?;
            sqlx::query(Self::sql(
                "DELETE FROM webhook_attempts WHERE delivery_id IN (SELECT id FROM \
                 webhook_deliveries WHERE status = 'delivered' AND delivered_at < ?)",
            ))
            .bind(micros(before))
            .execute(&mut *tx)
            .await?;
            let gone = sqlx::query(Self::sql(
                "DELETE FROM webhook_deliveries WHERE status = 'delivered' AND delivered_at < ?",
            ))
            .bind(micros(before))
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(gone.rows_affected())
        }
    };
}

impl SqliteStore {
    webhook_methods!(sqlx::Sqlite);
}

impl PgStore {
    webhook_methods!(sqlx::Postgres);
}

store_api! {
    /// Endpoints not removed, with how many deliveries wait, failed and went through.
    pub async fn webhook_endpoints(&self, org: &str) -> Result<Vec<WebhookEndpoint>, StoreError>;

    /// The latest deliveries to one of the organisation's endpoints, newest first.
    pub async fn webhook_deliveries(
        &self,
        org: &str,
        endpoint_id: &str,
        limit: i64,
    ) -> Result<Vec<DeliveryLine>, StoreError>;

    /// Claims up to `limit` due deliveries for this worker until `lease_until`.
    pub async fn claim_webhooks(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: i64,
    ) -> Result<Vec<ClaimedDelivery>, StoreError>;

    /// Records an attempt and its outcome; true when it paused the endpoint.
    pub async fn record_webhook_attempt(
        &self,
        delivery: &ClaimedDelivery,
        attempt: &WebhookAttempt,
    ) -> Result<bool, StoreError>;


    /// Forgets deliveries that went through before `before`.
    pub async fn forget_delivered_webhooks(&self, before: Timestamp) -> Result<u64, StoreError>;
}
