//! The scoring matrix: the figures the team enters for each area, and each year's scores
//! as scored.

use crate::StoreError;
use crate::postgres::PgStore;
use crate::sql::micros;
use crate::sql::scrutiny::Figure;
use crate::sqlite::SqliteStore;
use jiff::Timestamp;
use redress_domain::scrutiny::matrix::AreaScore;
use sqlx::Row;

/// The scoring matrix, written once for both backends (`$db` is the backend's sqlx database).
macro_rules! matrix_methods {
    ($db:ty) => {
        pub(crate) async fn save_figure(
            &self,
            org: &str,
            year: i16,
            f: &crate::sql::scrutiny::Figure,
        ) -> Result<(), StoreError> {
            sqlx::query(Self::sql(
                "INSERT INTO scrutiny_figures (organisation_id, year, area_id, criterion, value, \
                 evidence) VALUES (?, ?, ?, ?, ?, ?) \
                 ON CONFLICT (organisation_id, year, area_id, criterion) DO UPDATE \
                 SET value = excluded.value, evidence = excluded.evidence",
            ))
            .bind(org)
            .bind(i64::from(year))
            .bind(&f.area_id)
            .bind(f.criterion.as_str())
            .bind(f.value)
            .bind(&f.evidence)
            .execute(&self.pool)
            .await?;
            Ok(())
        }

        pub(crate) async fn figures(
            &self,
            org: &str,
            year: i16,
        ) -> Result<Vec<crate::sql::scrutiny::Figure>, StoreError> {
            let rows = sqlx::query(Self::sql(
                "SELECT area_id, criterion, value, evidence FROM scrutiny_figures \
                 WHERE organisation_id = ? AND year = ?",
            ))
            .bind(org)
            .bind(i64::from(year))
            .fetch_all(&self.pool)
            .await?;
            rows.iter()
                .map(|r| {
                    Ok(crate::sql::scrutiny::Figure {
                        area_id: r.try_get("area_id")?,
                        criterion: redress_domain::scrutiny::matrix::Criterion::parse(
                            &r.try_get::<String, _>("criterion")?,
                        )
                        .map_err(StoreError::corrupt)?,
                        value: r.try_get("value")?,
                        evidence: r.try_get("evidence")?,
                    })
                })
                .collect()
        }

        /// Keeps a year's scores as scored, replacing an earlier scoring of the same year.
        pub(crate) async fn save_scores(
            &self,
            org: &str,
            year: i16,
            scores: &[redress_domain::scrutiny::matrix::AreaScore],
            by: &str,
        ) -> Result<(), StoreError> {
            let mut tx = self.begin_write().await?;
            sqlx::query(Self::sql(
                "DELETE FROM scrutiny_scores WHERE organisation_id = ? AND year = ?",
            ))
            .bind(org)
            .bind(i64::from(year))
            .execute(&mut *tx)
            .await?;
            let now = micros(Timestamp::now());
            for s in scores {
                sqlx::query(Self::sql(
                    "INSERT INTO scrutiny_scores (organisation_id, year, area_id, total, score, \
                     scored_at, scored_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
                ))
                .bind(org)
                .bind(i64::from(year))
                .bind(&s.area_id)
                .bind(i64::from(s.total))
                .bind(crate::sql::scrutiny::json(s)?)
                .bind(now)
                .bind(by)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok(())
        }

        /// A year's kept scores, highest first, with when and by whom they were scored.
        pub(crate) async fn scores(
            &self,
            org: &str,
            year: i16,
        ) -> Result<
            Vec<(
                redress_domain::scrutiny::matrix::AreaScore,
                Timestamp,
                String,
            )>,
            StoreError,
        > {
            let rows = sqlx::query(Self::sql(
                "SELECT score, scored_at, scored_by FROM scrutiny_scores WHERE organisation_id = ? \
                 AND year = ? ORDER BY total DESC, area_id",
            ))
            .bind(org)
            .bind(i64::from(year))
            .fetch_all(&self.pool)
            .await?;
            rows.iter()
                .map(|r| {
                    Ok((
                        crate::sql::scrutiny::from_json(&r.try_get::<String, _>("score")?)?,
                        crate::sql::timestamp(r.try_get("scored_at")?)?,
                        r.try_get("scored_by")?,
                    ))
                })
                .collect()
        }
    };
}

impl SqliteStore {
    matrix_methods!(sqlx::Sqlite);
}

impl PgStore {
    matrix_methods!(sqlx::Postgres);
}

store_api! {
    pub async fn save_figure(&self, org: &str, year: i16, f: &Figure) -> Result<(), StoreError>;

    pub async fn figures(&self, org: &str, year: i16) -> Result<Vec<Figure>, StoreError>;

    pub async fn save_scores(
        &self,
        org: &str,
        year: i16,
        scores: &[AreaScore],
        by: &str,
    ) -> Result<(), StoreError>;

    pub async fn scores(
        &self,
        org: &str,
        year: i16,
    ) -> Result<Vec<(AreaScore, Timestamp, String)>, StoreError>;
}
