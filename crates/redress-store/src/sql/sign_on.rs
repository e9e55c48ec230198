//! Single sign-on begun and not yet finished: kept between sending a member of staff to
//! their identity provider and their coming back, taken once.

use crate::StoreError;
use crate::postgres::PgStore;
use crate::sql::micros;
use crate::sqlite::SqliteStore;
use jiff::Timestamp;
use sqlx::Row;

/// Pending sign-ins, written once for both backends (`$db` is the backend's sqlx database).
macro_rules! sign_on_methods {
    ($db:ty) => {
        pub(crate) async fn begin_sign_on(
            &self,
            state_hash: &str,
            verifier: &str,
            nonce: &str,
            now: Timestamp,
            expires_at: Timestamp,
        ) -> Result<(), StoreError> {
            let mut tx = self.begin_write().await?;
            // Those never finished are forgotten as new ones begin.
            sqlx::query(Self::sql("DELETE FROM sso_logins WHERE expires_at < ?"))
                .bind(micros(now))
                .execute(&mut *tx)
                .await?;
            sqlx::query(Self::sql(
                "INSERT INTO sso_logins (state_hash, verifier, nonce, expires_at) \
                 VALUES (?, ?, ?, ?)",
            ))
            .bind(state_hash)
            .bind(verifier)
            .bind(nonce)
            .bind(micros(expires_at))
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(())
        }

        /// The verifier and nonce of a sign-in begun and not expired, removed so that it
        /// is finished once only.
        pub(crate) async fn take_sign_on(
            &self,
            state_hash: &str,
            now: Timestamp,
        ) -> Result<Option<(String, String)>, StoreError> {
            let mut tx = self.begin_write().await?;
            let row = sqlx::query(Self::sql(
                "SELECT verifier, nonce, expires_at FROM sso_logins WHERE state_hash = ?",
            ))
            .bind(state_hash)
            .fetch_optional(&mut *tx)
            .await?;
            let taken = sqlx::query(Self::sql("DELETE FROM sso_logins WHERE state_hash = ?"))
                .bind(state_hash)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            match row {
                Some(r) if taken.rows_affected() == 1 => {
                    let expires: i64 = r.try_get("expires_at")?;
                    if expires < micros(now) {
                        return Ok(None);
                    }
                    Ok(Some((r.try_get("verifier")?, r.try_get("nonce")?)))
                }
                _ => Ok(None),
            }
        }
    };
}

impl SqliteStore {
    sign_on_methods!(sqlx::Sqlite);
}

impl PgStore {
    sign_on_methods!(sqlx::Postgres);
}

store_api! {
    /// Keeps a sign-in begun at the identity provider until `expires_at`.
    pub async fn begin_sign_on(
        &self,
        state_hash: &str,
        verifier: &str,
        nonce: &str,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<(), StoreError>;

    /// Takes a sign-in begun, once: `None` if unknown, already taken or expired.
    pub async fn take_sign_on(
        &self,
        state_hash: &str,
        now: Timestamp,
    ) -> Result<Option<(String, String)>, StoreError>;
}
