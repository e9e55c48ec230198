//! The annual programme: one exercise per area and year, each change kept in its history.

use crate::StoreError;
use crate::postgres::PgStore;
use crate::sql::micros;
use crate::sql::scrutiny::Doer;
use crate::sqlite::SqliteStore;
use jiff::Timestamp;
use redress_domain::scrutiny::programme::Exercise;
use sqlx::Row;

/// The programme, written once for both backends (`$db` is the backend's sqlx database).
macro_rules! programme_methods {
    ($db:ty) => {
        pub(crate) async fn create_exercise(
            &self,
            org: &str,
            x: &redress_domain::scrutiny::programme::Exercise,
            by: &crate::sql::scrutiny::Doer,
        ) -> Result<(), StoreError> {
            let mut tx = self.begin_write().await?;
            let done = sqlx::query(Self::sql(
                "INSERT INTO scrutiny_exercises (id, organisation_id, year, area_id, state, \
                 version, created_at) VALUES (?, ?, ?, ?, ?, 1, ?) \
                 ON CONFLICT DO NOTHING",
            ))
            .bind(&x.id)
            .bind(org)
            .bind(i64::from(x.year))
            .bind(&x.area_id)
            .bind(crate::sql::scrutiny::json(x)?)
            .bind(micros(Timestamp::now()))
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() != 1 {
                tx.rollback().await?;
                return Err(StoreError::Duplicate("an exercise for this area and year"));
            }
            Self::scrutiny_events(
                &mut tx,
                &x.id,
                &[("Added to the programme".to_string(), None)],
                by,
            )
            .await?;
            tx.commit().await?;
            Ok(())
        }

        pub(crate) async fn save_exercise(
            &self,
            x: &redress_domain::scrutiny::programme::Exercise,
            version: i64,
            summary: &str,
            by: &crate::sql::scrutiny::Doer,
        ) -> Result<(), StoreError> {
            let mut tx = self.begin_write().await?;
            let done = sqlx::query(Self::sql(
                "UPDATE scrutiny_exercises SET state = ?, version = version + 1 WHERE id = ? \
                 AND version = ?",
            ))
            .bind(crate::sql::scrutiny::json(x)?)
            .bind(&x.id)
            .bind(version)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() != 1 {
                tx.rollback().await?;
                return Err(StoreError::Conflict);
            }
            Self::scrutiny_events(&mut tx, &x.id, &[(summary.to_string(), None)], by).await?;
            tx.commit().await?;
            Ok(())
        }

        pub(crate) async fn exercises(
            &self,
            org: &str,
        ) -> Result<Vec<(redress_domain::scrutiny::programme::Exercise, i64)>, StoreError> {
            let rows = sqlx::query(Self::sql(
                "SELECT state, version FROM scrutiny_exercises WHERE organisation_id = ? \
                 ORDER BY year DESC, created_at",
            ))
            .bind(org)
            .fetch_all(&self.pool)
            .await?;
            rows.iter()
                .map(|r| {
                    Ok((
                        crate::sql::scrutiny::from_json(&r.try_get::<String, _>("state")?)?,
                        r.try_get("version")?,
                    ))
                })
                .collect()
        }
    };
}

impl SqliteStore {
    programme_methods!(sqlx::Sqlite);
}

impl PgStore {
    programme_methods!(sqlx::Postgres);
}

store_api! {
    pub async fn create_exercise(
        &self,
        org: &str,
        x: &Exercise,
        by: &Doer,
    ) -> Result<(), StoreError>;

    pub async fn save_exercise(
        &self,
        x: &Exercise,
        version: i64,
        summary: &str,
        by: &Doer,
    ) -> Result<(), StoreError>;

    /// Every exercise with its version, latest year first.
    pub async fn exercises(&self, org: &str) -> Result<Vec<(Exercise, i64)>, StoreError>;
}
