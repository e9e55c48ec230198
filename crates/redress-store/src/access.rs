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

    pub async fn setting(&self, org: &str, name: &str) -> Result<Option<String>, StoreError> {
        dispatch!(self, s => s.setting(org, name).await)
    }

    pub async fn set_setting(&self, org: &str, name: &str, value: &str) -> Result<(), StoreError> {
        dispatch!(self, s => s.set_setting(org, name, value).await)
    }
}
