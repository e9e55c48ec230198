//! The scoring matrix: the figures the team enters for each area, and each year's scores
//! as scored.

use crate::StoreError;
use crate::postgres::PgStore;
use crate::sql::micros;
use crate::sql::scrutiny::{Figure, ScrutinyChange};
use crate::sqlite::SqliteStore;
use jiff::Timestamp;
use redress_domain::scrutiny::matrix::AreaScore;
use sqlx::Row;

/// The scoring matrix, written once for both backends (`$db` is the backend's sqlx database).
macro_rules! matrix_methods {
    ($db:ty) => {
        /// Keeps a figure for an area, and the change in the figures' history, together.
        pub(crate) async fn save_figure(
            &self,
            org: &str,
            year: i16,
            f: &crate::sql::scrutiny::Figure,
            by: &str,
        ) -> Result<(), StoreError> {
            let mut tx = self.begin_write().await?;
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
            .execute(&mut *tx)
            .await?;
            let value = serde_json::json!({
                "criterion": f.criterion.as_str(),
                "value": f.value,
                "evidence": f.evidence,
            })
            .to_string();
            Self::put_scrutiny_change(
                &mut tx,
                org,
                "figure",
                Some((year, &f.area_id)),
                &value,
                Timestamp::now(),
                by,
            )
            .await?;
            tx.commit().await?;
            Ok(())
        }

        /// Adds a line to the history of scrutiny's settings and figures.
        pub(crate) async fn put_scrutiny_change(
            conn: &mut <$db as sqlx::Database>::Connection,
            org: &str,
            what: &str,
            figure: Option<(i16, &str)>,
            value: &str,
            at: Timestamp,
            by: &str,
        ) -> Result<(), StoreError> {
            sqlx::query(Self::sql(
                "INSERT INTO scrutiny_changes (id, organisation_id, what, year, area_id, value, \
                 changed_at, changed_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            ))
            .bind(uuid::Uuid::now_v7().to_string())
            .bind(org.to_string())
            .bind(what.to_string())
            .bind(figure.map(|(y, _)| i64::from(y)))
            .bind(figure.map(|(_, a)| a.to_string()))
            .bind(value.to_string())
            .bind(micros(at))
            .bind(by.to_string())
            .execute(&mut *conn)
            .await?;
            Ok(())
        }

        /// The history of scrutiny's settings and figures, latest first.
        pub(crate) async fn scrutiny_changes(
            &self,
            org: &str,
        ) -> Result<Vec<crate::sql::scrutiny::ScrutinyChange>, StoreError> {
            let rows = sqlx::query(Self::sql(
                "SELECT what, year, area_id, value, changed_at, changed_by FROM scrutiny_changes \
                 WHERE organisation_id = ? ORDER BY changed_at DESC, id DESC",
            ))
            .bind(org)
            .fetch_all(&self.pool)
            .await?;
            rows.iter()
                .map(|r| {
                    Ok(crate::sql::scrutiny::ScrutinyChange {
                        what: r.try_get("what")?,
                        year: r
                            .try_get::<Option<i64>, _>("year")?
                            .map(|y| i16::try_from(y).map_err(StoreError::corrupt))
                            .transpose()?,
                        area_id: r.try_get("area_id")?,
                        value: r.try_get("value")?,
                        at: crate::sql::timestamp(r.try_get("changed_at")?)?,
                        by: r.try_get("changed_by")?,
                    })
                })
                .collect()
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

        /// Keeps a year's scores as scored, as a new version: an earlier scoring of the
        /// same year stays, dated.
        pub(crate) async fn save_scores(
            &self,
            org: &str,
            year: i16,
            scores: &[redress_domain::scrutiny::matrix::AreaScore],
            by: &str,
        ) -> Result<(), StoreError> {
            let mut tx = self.begin_write().await?;
            let last: Option<i64> = sqlx::query_scalar(Self::sql(
                "SELECT MAX(scored_at) FROM scrutiny_scorings WHERE organisation_id = ? \
                 AND year = ?",
            ))
            .bind(org)
            .bind(i64::from(year))
            .fetch_one(&mut *tx)
            .await?;
            // Two scorings in the same microsecond stay two versions.
            let now = micros(Timestamp::now()).max(last.map_or(i64::MIN, |l| l + 1));
            for s in scores {
                sqlx::query(Self::sql(
                    "INSERT INTO scrutiny_scorings (organisation_id, year, scored_at, area_id, \
                     total, score, scored_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
                ))
                .bind(org)
                .bind(i64::from(year))
                .bind(now)
                .bind(&s.area_id)
                .bind(i64::from(s.total))
                .bind(crate::sql::scrutiny::json(s)?)
                .bind(by)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok(())
        }

        /// Every kept scoring of a year, the latest first, each highest score first, with
        /// when and by whom it was scored.
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
                "SELECT score, scored_at, scored_by FROM scrutiny_scorings \
                 WHERE organisation_id = ? AND year = ? \
                 ORDER BY scored_at DESC, total DESC, area_id",
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
    pub async fn save_figure(
        &self,
        org: &str,
        year: i16,
        f: &Figure,
        by: &str,
    ) -> Result<(), StoreError>;

    pub async fn scrutiny_changes(&self, org: &str) -> Result<Vec<ScrutinyChange>, StoreError>;

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
