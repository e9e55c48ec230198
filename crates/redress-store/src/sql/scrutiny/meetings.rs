//! The scrutiny panel's meetings.

use crate::StoreError;
use crate::postgres::PgStore;
use crate::sql::micros;
use crate::sqlite::SqliteStore;
use jiff::Timestamp;
use redress_domain::scrutiny::meeting::{Meeting, Minutes};
use sqlx::Row;

/// One saved version of a meeting's minutes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MinutesVersion {
    pub version: i64,
    pub minutes: Minutes,
    pub by: String,
    pub at: Timestamp,
}

/// Meetings, written once for both backends (`$db` is the backend's sqlx database).
macro_rules! meeting_methods {
    ($db:ty) => {
        pub(crate) async fn save_meeting(
            &self,
            org: &str,
            m: &redress_domain::scrutiny::meeting::Meeting,
        ) -> Result<(), StoreError> {
            sqlx::query(Self::sql(
                "INSERT INTO scrutiny_meetings (id, organisation_id, meeting_on, meeting_time, \
                 place, cancelled, created_at) \
                 VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE \
                 SET meeting_on = excluded.meeting_on, \
                 meeting_time = excluded.meeting_time, place = excluded.place, cancelled = \
                 excluded.cancelled",
            ))
            .bind(&m.id)
            .bind(org)
            .bind(m.on.to_string())
            .bind(&m.time)
            .bind(m.place.as_str())
            .bind(m.cancelled)
            .bind(micros(Timestamp::now()))
            .execute(&self.pool)
            .await?;
            Ok(())
        }

        pub(crate) async fn meetings(
            &self,
            org: &str,
        ) -> Result<Vec<redress_domain::scrutiny::meeting::Meeting>, StoreError> {
            let rows = sqlx::query(Self::sql(
                "SELECT * FROM scrutiny_meetings WHERE organisation_id = ? \
                 ORDER BY meeting_on, meeting_time",
            ))
            .bind(org)
            .fetch_all(&self.pool)
            .await?;
            rows.iter()
                .map(|r| {
                    Ok(redress_domain::scrutiny::meeting::Meeting {
                        id: r.try_get("id")?,
                        on: crate::sql::date(&r.try_get::<String, _>("meeting_on")?)?,
                        time: r.try_get("meeting_time")?,
                        place: redress_domain::Text::from_trusted(r.try_get("place")?),
                        cancelled: r.try_get("cancelled")?,
                    })
                })
                .collect()
        }

        pub(crate) async fn save_minutes(
            &self,
            meeting_id: &str,
            minutes: &Minutes,
            by: &str,
            at: Timestamp,
        ) -> Result<i64, StoreError> {
            let mut tx = self.begin_write().await?;
            let latest: Option<i64> = sqlx::query_scalar(Self::sql(
                "SELECT MAX(version) FROM scrutiny_minutes WHERE meeting_id = ?",
            ))
            .bind(meeting_id)
            .fetch_one(&mut *tx)
            .await?;
            let version = latest.unwrap_or(0) + 1;
            sqlx::query(Self::sql(
                "INSERT INTO scrutiny_minutes (meeting_id, version, attended, apologies, \
                 minutes, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            ))
            .bind(meeting_id)
            .bind(version)
            .bind(minutes.attended.join("\n"))
            .bind(minutes.apologies.join("\n"))
            .bind(minutes.text.as_str())
            .bind(by)
            .bind(micros(at))
            .execute(&mut *tx)
            .await
            .map_err(|e| crate::sql::unique(e, "minutes saved at the same moment"))?;
            tx.commit().await?;
            Ok(version)
        }

        pub(crate) async fn minutes(
            &self,
            meeting_id: &str,
        ) -> Result<Vec<MinutesVersion>, StoreError> {
            let rows = sqlx::query(Self::sql(
                "SELECT * FROM scrutiny_minutes WHERE meeting_id = ? ORDER BY version DESC",
            ))
            .bind(meeting_id)
            .fetch_all(&self.pool)
            .await?;
            let lines = |s: String| -> Vec<String> {
                s.lines()
                    .filter(|l| !l.is_empty())
                    .map(str::to_string)
                    .collect()
            };
            rows.iter()
                .map(|r| {
                    Ok(MinutesVersion {
                        version: r.try_get("version")?,
                        minutes: Minutes {
                            attended: lines(r.try_get("attended")?),
                            apologies: lines(r.try_get("apologies")?),
                            text: redress_domain::Text::from_trusted(r.try_get("minutes")?),
                        },
                        by: r.try_get("recorded_by")?,
                        at: crate::sql::timestamp(r.try_get("recorded_at")?)?,
                    })
                })
                .collect()
        }
    };
}

impl SqliteStore {
    meeting_methods!(sqlx::Sqlite);
}

impl PgStore {
    meeting_methods!(sqlx::Postgres);
}

store_api! {
    pub async fn save_meeting(&self, org: &str, m: &Meeting) -> Result<(), StoreError>;

    /// Every meeting, earliest first.
    pub async fn meetings(&self, org: &str) -> Result<Vec<Meeting>, StoreError>;

    /// Keeps a new version of a meeting's minutes; earlier versions stay. Returns its number.
    pub async fn save_minutes(
        &self,
        meeting_id: &str,
        minutes: &Minutes,
        by: &str,
        at: Timestamp,
    ) -> Result<i64, StoreError>;

    /// Every version of a meeting's minutes, the latest first.
    pub async fn minutes(&self, meeting_id: &str) -> Result<Vec<MinutesVersion>, StoreError>;
}
