//! Who can reach what: single-use links that open a resident's case, the service areas a
//! service manager looks after, and organisation settings kept as named values.

use crate::{Store, StoreError};
use jiff::Timestamp;
use redress_domain::letter::Letter;

macro_rules! access_methods {
    ($db:ty) => {
        pub(crate) async fn create_resident_link(&self, token_hash: &str, contact_id: &str, at: Timestamp, expires_at: Timestamp) -> Result<(), StoreError> {
            sqlx::query(Self::sql(
                "INSERT INTO resident_links (token_hash, contact_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
            ))
            .bind(token_hash)
            .bind(contact_id)
            .bind(micros(at))
            .bind(micros(expires_at))
            .execute(&self.pool)
            .await?;
            Ok(())
        }

        /// Marks the link used and returns its case, in one statement, so two clicks racing
        /// cannot both get in.
        pub(crate) async fn consume_resident_link(&self, token_hash: &str, now: Timestamp) -> Result<Option<String>, StoreError> {
            Ok(sqlx::query_scalar(Self::sql(
                "UPDATE resident_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ? \
                 RETURNING contact_id",
            ))
            .bind(micros(now))
            .bind(token_hash)
            .bind(micros(now))
            .fetch_optional(&self.pool)
            .await?)
        }

        pub(crate) async fn queue_letters(&self, contact_id: &str, letters: &[Letter]) -> Result<(), StoreError> {
            let mut tx = self.begin_write().await?;
            Self::write_letters(&mut tx, contact_id, letters).await?;
            tx.commit().await?;
            Ok(())
        }

        pub(crate) async fn user_areas(&self, user_id: &str) -> Result<Vec<String>, StoreError> {
            Ok(sqlx::query_scalar(Self::sql(
                "SELECT service_area_id FROM user_service_areas WHERE user_id = ? ORDER BY service_area_id",
            ))
            .bind(user_id)
            .fetch_all(&self.pool)
            .await?)
        }

        pub(crate) async fn set_user_areas(&self, user_id: &str, areas: &[String]) -> Result<(), StoreError> {
            let mut tx = self.begin_write().await?;
            sqlx::query(Self::sql("DELETE FROM user_service_areas WHERE user_id = ?"))
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            for area in areas {
                sqlx::query(Self::sql("INSERT INTO user_service_areas (user_id, service_area_id) VALUES (?, ?)"))
                    .bind(user_id)
                    .bind(area)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok(())
        }

        pub(crate) async fn restriction_reviews_due(&self, org: &str, by: jiff::civil::Date) -> Result<Vec<crate::access::ReviewDue>, StoreError> {
            let rows = sqlx::query(Self::sql(
                "SELECT r.id, r.person_name, r.contact_id, r.detail, c.reference FROM restrictions r \
                 JOIN contacts c ON c.id = r.contact_id \
                 WHERE r.organisation_id = ? AND r.ended_on IS NULL AND r.review_on <= ? ORDER BY r.review_on",
            ))
            .bind(org)
            .bind(by.to_string())
            .fetch_all(&self.pool)
            .await?;
            rows.iter()
                .map(|r| {
                    Ok(crate::access::ReviewDue {
                        id: r.try_get("id")?,
                        person_name: r.try_get("person_name")?,
                        contact_id: r.try_get("contact_id")?,
                        reference: redress_domain::contact::Reference::from_trusted(r.try_get("reference")?),
                        restriction: serde_json::from_str(&r.try_get::<String, _>("detail")?).map_err(StoreError::corrupt)?,
                    })
                })
                .collect()
        }

        /// Records a review: the restriction's new terms (its next review date) replace the old.
        pub(crate) async fn update_restriction(&self, org: &str, id: &str, r: &redress_domain::restriction::Restriction) -> Result<bool, StoreError> {
            let done = sqlx::query(Self::sql(
                "UPDATE restrictions SET detail = ?, review_on = ? WHERE organisation_id = ? AND id = ? AND ended_on IS NULL",
            ))
            .bind(serde_json::to_string(r).map_err(StoreError::corrupt)?)
            .bind(r.review_on.to_string())
            .bind(org)
            .bind(id)
            .execute(&self.pool)
            .await?;
            Ok(done.rows_affected() == 1)
        }

        pub(crate) async fn setting(&self, org: &str, name: &str) -> Result<Option<String>, StoreError> {
            Ok(sqlx::query_scalar(Self::sql(
                "SELECT value FROM organisation_settings WHERE organisation_id = ? AND name = ?",
            ))
            .bind(org)
            .bind(name)
            .fetch_optional(&self.pool)
            .await?)
        }

        pub(crate) async fn set_setting(&self, org: &str, name: &str, value: &str) -> Result<(), StoreError> {
            sqlx::query(Self::sql(
                "INSERT INTO organisation_settings (organisation_id, name, value) VALUES (?, ?, ?) \
                 ON CONFLICT (organisation_id, name) DO UPDATE SET value = excluded.value",
            ))
            .bind(org)
            .bind(name)
            .bind(value)
            .execute(&self.pool)
            .await?;
            Ok(())
        }
    };
}
pub(crate) use access_methods;

/// A restriction whose review is due, with the case it was recorded from.
#[derive(Debug, Clone)]
pub struct ReviewDue {
    pub id: String,
    pub person_name: String,
    pub contact_id: String,
    pub reference: redress_domain::contact::Reference,
    pub restriction: redress_domain::restriction::Restriction,
}

impl Store {
    /// Keeps the hash of a link that opens one case once, until it expires.
    pub async fn create_resident_link(
        &self,
        token_hash: &str,
        contact_id: &str,
        at: Timestamp,
        expires_at: Timestamp,
    ) -> Result<(), StoreError> {
        dispatch!(self, s => s.create_resident_link(token_hash, contact_id, at, expires_at).await)
    }

    /// The case the link opens, if it is unused and unexpired; it is used up by this call.
    pub async fn consume_resident_link(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<Option<String>, StoreError> {
        dispatch!(self, s => s.consume_resident_link(token_hash, now).await)
    }

    /// Puts letters or emails for a case in the outbox outside any change to the case.
    pub async fn queue_letters(
        &self,
        contact_id: &str,
        letters: &[Letter],
    ) -> Result<(), StoreError> {
        dispatch!(self, s => s.queue_letters(contact_id, letters).await)
    }

    /// Service areas a service manager looks after.
    pub async fn user_areas(&self, user_id: &str) -> Result<Vec<String>, StoreError> {
        dispatch!(self, s => s.user_areas(user_id).await)
    }

    pub async fn set_user_areas(&self, user_id: &str, areas: &[String]) -> Result<(), StoreError> {
        dispatch!(self, s => s.set_user_areas(user_id, areas).await)
    }

    /// Restrictions in force whose review date is on or before `by`.
    pub async fn restriction_reviews_due(
        &self,
        org: &str,
        by: jiff::civil::Date,
    ) -> Result<Vec<ReviewDue>, StoreError> {
        dispatch!(self, s => s.restriction_reviews_due(org, by).await)
    }

    pub async fn update_restriction(
        &self,
        org: &str,
        id: &str,
        r: &redress_domain::restriction::Restriction,
    ) -> Result<bool, StoreError> {
        dispatch!(self, s => s.update_restriction(org, id, r).await)
    }

    pub async fn setting(&self, org: &str, name: &str) -> Result<Option<String>, StoreError> {
        dispatch!(self, s => s.setting(org, name).await)
    }

    pub async fn set_setting(&self, org: &str, name: &str, value: &str) -> Result<(), StoreError> {
        dispatch!(self, s => s.set_setting(org, name, value).await)
    }
}
