//! Who signs in and how: staff users, their sessions, API tokens and sign-in attempts, the
//! service areas a service manager looks after, and residents' single-use links and the
//! sessions they open.

use crate::StoreError;
use crate::model::SessionRecord;
use crate::postgres::PgStore;
use crate::sql::{micros, unique};
use crate::sqlite::SqliteStore;
use jiff::Timestamp;
use redress_domain::role::{Role, User};
use sqlx::Row;

/// People, written once for both backends (`$db` is the backend's sqlx database).
macro_rules! people_methods {
    ($db:ty) => {
        pub(crate) async fn create_user(
            &self,
            user: &User,
            password_hash: &str,
            at: Timestamp,
        ) -> Result<(), StoreError> {
            let mut conn = self.pool.acquire().await?;
            Self::put_new_user(&mut conn, user, password_hash, at).await
        }

        /// On any connection, so a change can be written with its log entry (`admin_changes`).
        pub(crate) async fn put_new_user(
            conn: &mut <$db as sqlx::Database>::Connection,
            user: &User,
            password_hash: &str,
            at: Timestamp,
        ) -> Result<(), StoreError> {
            sqlx::query(Self::sql(
                "INSERT INTO users (id, email, name, role, password_hash, active, created_at) \
                 VALUES (?, ?, ?, ?, ?, ?, ?)",
            ))
            .bind(&user.id)
            .bind(user.email.to_lowercase())
            .bind(&user.name)
            .bind(user.role.as_str())
            .bind(password_hash)
            .bind(user.active)
            .bind(micros(at))
            .execute(&mut *conn)
            .await
            .map_err(|e| unique(e, "a user with this email address"))?;
            Ok(())
        }

        pub(crate) fn user_from_row(r: &<$db as sqlx::Database>::Row) -> Result<User, StoreError> {
            Ok(User {
                id: r.try_get("id")?,
                email: r.try_get("email")?,
                name: r.try_get("name")?,
                role: Role::parse(&r.try_get::<String, _>("role")?).map_err(StoreError::corrupt)?,
                active: r.try_get("active")?,
            })
        }

        pub(crate) async fn user_by_email(
            &self,
            email: &str,
        ) -> Result<Option<(User, String)>, StoreError> {
            let row = sqlx::query(Self::sql(
                "SELECT id, email, name, role, active, password_hash FROM users WHERE email = ?",
            ))
            .bind(email.trim().to_lowercase())
            .fetch_optional(&self.pool)
            .await?;
            row.map(|r| Ok((Self::user_from_row(&r)?, r.try_get("password_hash")?)))
                .transpose()
        }

        pub(crate) async fn users(&self) -> Result<Vec<User>, StoreError> {
            let rows = sqlx::query(Self::sql(
                "SELECT id, email, name, role, active FROM users ORDER BY email",
            ))
            .fetch_all(&self.pool)
            .await?;
            rows.iter().map(Self::user_from_row).collect()
        }

        pub(crate) async fn update_user(
            &self,
            id: &str,
            role: Role,
            active: bool,
        ) -> Result<bool, StoreError> {
            let mut conn = self.pool.acquire().await?;
            Self::put_user(&mut conn, id, role, active).await
        }

        /// On any connection, so a change can be written with its log entry (`admin_changes`).
        pub(crate) async fn put_user(
            conn: &mut <$db as sqlx::Database>::Connection,
            id: &str,
            role: Role,
            active: bool,
        ) -> Result<bool, StoreError> {
            let done = sqlx::query(Self::sql(
                "UPDATE users SET role = ?, active = ? WHERE id = ?",
            ))
            .bind(role.as_str())
            .bind(active)
            .bind(id)
            .execute(&mut *conn)
            .await?;
            Ok(done.rows_affected() == 1)
        }

        pub(crate) async fn user_areas(&self, user_id: &str) -> Result<Vec<String>, StoreError> {
            Ok(sqlx::query_scalar(Self::sql(
                "SELECT service_area_id FROM user_service_areas WHERE user_id = ? \
                 ORDER BY service_area_id",
            ))
            .bind(user_id)
            .fetch_all(&self.pool)
            .await?)
        }

        pub(crate) async fn set_user_areas(
            &self,
            user_id: &str,
            areas: &[String],
        ) -> Result<(), StoreError> {
            let mut tx = self.begin_write().await?;
            Self::put_user_areas(&mut tx, user_id, areas).await?;
            tx.commit().await?;
            Ok(())
        }

        /// Replaces a service manager's areas; several statements, so call it inside a
        /// transaction.
        pub(crate) async fn put_user_areas(
            conn: &mut <$db as sqlx::Database>::Connection,
            user_id: &str,
            areas: &[String],
        ) -> Result<(), StoreError> {
            sqlx::query(Self::sql(
                "DELETE FROM user_service_areas WHERE user_id = ?",
            ))
            .bind(user_id)
            .execute(&mut *conn)
            .await?;
            for area in areas {
                sqlx::query(Self::sql(
                    "INSERT INTO user_service_areas (user_id, service_area_id) VALUES (?, ?)",
                ))
                .bind(user_id)
                .bind(area)
                .execute(&mut *conn)
                .await?;
            }
            Ok(())
        }

        pub(crate) async fn create_session(&self, s: &SessionRecord) -> Result<(), StoreError> {
            sqlx::query(Self::sql(
                "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) \
                 VALUES (?, ?, ?, ?, ?)",
            ))
            .bind(&s.token_hash)
            .bind(&s.user_id)
            .bind(&s.csrf_token)
            .bind(micros(s.created_at))
            .bind(micros(s.expires_at))
            .execute(&self.pool)
            .await?;
            Ok(())
        }

        pub(crate) async fn session(
            &self,
            token_hash: &str,
            now: Timestamp,
        ) -> Result<Option<(SessionRecord, User)>, StoreError> {
            let row = sqlx::query(Self::sql(
                "SELECT s.token_hash, s.user_id, s.csrf_token, s.created_at, s.expires_at, \
                 u.id, u.email, u.name, u.role, u.active \
                 FROM sessions s JOIN users u ON u.id = s.user_id \
                 WHERE s.token_hash = ? AND s.expires_at > ? AND u.active = ?",
            ))
            .bind(token_hash)
            .bind(micros(now))
            .bind(true)
            .fetch_optional(&self.pool)
            .await?;
            row.map(|r| {
                Ok((
                    SessionRecord {
                        token_hash: r.try_get("token_hash")?,
                        user_id: r.try_get("user_id")?,
                        csrf_token: r.try_get("csrf_token")?,
                        created_at: crate::sql::timestamp(r.try_get("created_at")?)?,
                        expires_at: crate::sql::timestamp(r.try_get("expires_at")?)?,
                    },
                    Self::user_from_row(&r)?,
                ))
            })
            .transpose()
        }

        pub(crate) async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
            sqlx::query(Self::sql("DELETE FROM sessions WHERE token_hash = ?"))
                .bind(token_hash)
                .execute(&self.pool)
                .await?;
            Ok(())
        }

        pub(crate) async fn create_api_token(
            &self,
            token_hash: &str,
            user_id: &str,
            label: &str,
            at: Timestamp,
            expires_at: Timestamp,
        ) -> Result<(), StoreError> {
            sqlx::query(Self::sql(
                "INSERT INTO api_tokens (token_hash, user_id, label, created_at, expires_at) \
                 VALUES (?, ?, ?, ?, ?)",
            ))
            .bind(token_hash)
            .bind(user_id)
            .bind(label)
            .bind(micros(at))
            .bind(micros(expires_at))
            .execute(&self.pool)
            .await?;
            Ok(())
        }

        pub(crate) async fn user_by_api_token(
            &self,
            token_hash: &str,
            now: Timestamp,
        ) -> Result<Option<User>, StoreError> {
            let row = sqlx::query(Self::sql(
                "SELECT u.id, u.email, u.name, u.role, u.active FROM api_tokens t JOIN users u \
                 ON u.id = t.user_id \
                 WHERE t.token_hash = ? AND u.active = ? AND t.expires_at > ?",
            ))
            .bind(token_hash)
            .bind(true)
            .bind(micros(now))
            .fetch_optional(&self.pool)
            .await?;
            row.map(|r| Self::user_from_row(&r)).transpose()
        }

        pub(crate) async fn replace_api_token(
            &self,
            old_hash: &str,
            new_hash: &str,
            at: Timestamp,
            expires_at: Timestamp,
        ) -> Result<bool, StoreError> {
            let mut tx = self.begin_write().await?;
            let label: Option<(String, String)> = sqlx::query_as(Self::sql(
                "SELECT user_id, label FROM api_tokens WHERE token_hash = ? AND expires_at > ?",
            ))
            .bind(old_hash)
            .bind(micros(at))
            .fetch_optional(&mut *tx)
            .await?;
            let Some((user_id, label)) = label else {
                tx.rollback().await?;
                return Ok(false);
            };
            sqlx::query(Self::sql("DELETE FROM api_tokens WHERE token_hash = ?"))
                .bind(old_hash)
                .execute(&mut *tx)
                .await?;
            sqlx::query(Self::sql(
                "INSERT INTO api_tokens (token_hash, user_id, label, created_at, expires_at) \
                 VALUES (?, ?, ?, ?, ?)",
            ))
            .bind(new_hash)
            .bind(user_id)
            .bind(label)
            .bind(micros(at))
            .bind(micros(expires_at))
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(true)
        }

        pub(crate) async fn record_login(
            &self,
            email: &str,
            at: Timestamp,
            succeeded: bool,
        ) -> Result<(), StoreError> {
            sqlx::query(Self::sql(
                "INSERT INTO login_attempts (email, at, succeeded) VALUES (?, ?, ?)",
            ))
            .bind(email.trim().to_lowercase())
            .bind(micros(at))
            .bind(succeeded)
            .execute(&self.pool)
            .await?;
            Ok(())
        }

        pub(crate) async fn forget_attempts(&self, before: Timestamp) -> Result<u64, StoreError> {
            let done = sqlx::query(Self::sql("DELETE FROM login_attempts WHERE at < ?"))
                .bind(micros(before))
                .execute(&self.pool)
                .await?;
            Ok(done.rows_affected())
        }

        pub(crate) async fn recent_failures(
            &self,
            email: &str,
            since: Timestamp,
        ) -> Result<Vec<Timestamp>, StoreError> {
            // Failures since the last success only: signing in correctly clears the count.
            let rows: Vec<i64> = sqlx::query_scalar(Self::sql(
                "SELECT at FROM login_attempts WHERE email = ? AND at >= ? AND succeeded = ? \
                 AND at > COALESCE((SELECT MAX(at) FROM login_attempts WHERE email = ? \
                 AND succeeded = ?), 0) ORDER BY at",
            ))
            .bind(email.trim().to_lowercase())
            .bind(micros(since))
            .bind(false)
            .bind(email.trim().to_lowercase())
            .bind(true)
            .fetch_all(&self.pool)
            .await?;
            rows.into_iter().map(crate::sql::timestamp).collect()
        }

        pub(crate) async fn create_resident_link(
            &self,
            token_hash: &str,
            contact_id: &str,
            at: Timestamp,
            expires_at: Timestamp,
        ) -> Result<(), StoreError> {
            sqlx::query(Self::sql(
                "INSERT INTO resident_links (token_hash, contact_id, created_at, expires_at) \
                 VALUES (?, ?, ?, ?)",
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
        pub(crate) async fn consume_resident_link(
            &self,
            token_hash: &str,
            now: Timestamp,
        ) -> Result<Option<String>, StoreError> {
            Ok(sqlx::query_scalar(Self::sql(
                "UPDATE resident_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL \
                 AND expires_at > ? \
                 RETURNING contact_id",
            ))
            .bind(micros(now))
            .bind(token_hash)
            .bind(micros(now))
            .fetch_optional(&self.pool)
            .await?)
        }

        pub(crate) async fn create_resident_session(
            &self,
            token_hash: &str,
            contact_id: &str,
            at: Timestamp,
            expires_at: Timestamp,
        ) -> Result<(), StoreError> {
            sqlx::query(Self::sql(
                "INSERT INTO resident_sessions (token_hash, contact_id, created_at, expires_at) \
                 VALUES (?, ?, ?, ?)",
            ))
            .bind(token_hash)
            .bind(contact_id)
            .bind(micros(at))
            .bind(micros(expires_at))
            .execute(&self.pool)
            .await?;
            Ok(())
        }

        pub(crate) async fn resident_session(
            &self,
            token_hash: &str,
            now: Timestamp,
        ) -> Result<Option<String>, StoreError> {
            Ok(sqlx::query_scalar(Self::sql(
                "SELECT contact_id FROM resident_sessions WHERE token_hash = ? AND expires_at > ?",
            ))
            .bind(token_hash)
            .bind(micros(now))
            .fetch_optional(&self.pool)
            .await?)
        }

        pub(crate) async fn delete_resident_session(
            &self,
            token_hash: &str,
        ) -> Result<(), StoreError> {
            sqlx::query(Self::sql(
                "DELETE FROM resident_sessions WHERE token_hash = ?",
            ))
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
            Ok(())
        }
    };
}

impl SqliteStore {
    people_methods!(sqlx::Sqlite);
}

impl PgStore {
    people_methods!(sqlx::Postgres);
}

store_api! {
    pub async fn create_user(
        &self,
        user: &User,
        password_hash: &str,
        at: Timestamp,
    ) -> Result<(), StoreError>;

    /// The user and their password hash.
    pub async fn user_by_email(&self, email: &str) -> Result<Option<(User, String)>, StoreError>;

    pub async fn users(&self) -> Result<Vec<User>, StoreError>;

    /// Changes a user's role or turns their access off (their sessions stop working).
    pub async fn update_user(&self, id: &str, role: Role, active: bool) -> Result<bool, StoreError>;

    /// Service areas a service manager looks after.
    pub async fn user_areas(&self, user_id: &str) -> Result<Vec<String>, StoreError>;

    pub async fn set_user_areas(&self, user_id: &str, areas: &[String]) -> Result<(), StoreError>;

    pub async fn create_session(&self, session: &SessionRecord) -> Result<(), StoreError>;

    /// A live session and its active user.
    pub async fn session(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<Option<(SessionRecord, User)>, StoreError>;

    pub async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError>;

    /// Exchanges a live token for a new one in one step: the old stops working as the new
    /// starts. False when the old one is unknown or has expired.
    pub async fn replace_api_token(
        &self,
        old_hash: &str,
        new_hash: &str,
        at: Timestamp,
        expires_at: Timestamp,
    ) -> Result<bool, StoreError>;

    pub async fn create_api_token(
        &self,
        token_hash: &str,
        user_id: &str,
        label: &str,
        at: Timestamp,
        expires_at: Timestamp,
    ) -> Result<(), StoreError>;

    /// The user a live (unexpired) token belongs to.
    pub async fn user_by_api_token(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<Option<User>, StoreError>;

    pub async fn record_login(
        &self,
        email: &str,
        at: Timestamp,
        succeeded: bool,
    ) -> Result<(), StoreError>;

    /// Forgets sign-in attempts and knocks from before `before`; returns how many.
    pub async fn forget_attempts(&self, before: Timestamp) -> Result<u64, StoreError>;

    /// Failed sign-ins for `email` since `since` and since its last successful sign-in.
    pub async fn recent_failures(
        &self,
        email: &str,
        since: Timestamp,
    ) -> Result<Vec<Timestamp>, StoreError>;

    /// Keeps the hash of a link that opens one case once, until it expires.
    pub async fn create_resident_link(
        &self,
        token_hash: &str,
        contact_id: &str,
        at: Timestamp,
        expires_at: Timestamp,
    ) -> Result<(), StoreError>;

    /// The case the link opens, if it is unused and unexpired; it is used up by this call.
    pub async fn consume_resident_link(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<Option<String>, StoreError>;

    pub async fn create_resident_session(
        &self,
        token_hash: &str,
        contact_id: &str,
        at: Timestamp,
        expires_at: Timestamp,
    ) -> Result<(), StoreError>;

    /// The one case a resident's live session opens.
    pub async fn resident_session(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<Option<String>, StoreError>;

    pub async fn delete_resident_session(&self, token_hash: &str) -> Result<(), StoreError>;
}
