//! The scrutiny panel's meetings.

use crate::StoreError;
use crate::postgres::PgStore;
use crate::sql::micros;
use crate::sqlite::SqliteStore;
use jiff::Timestamp;
use redress_domain::scrutiny::meeting::Meeting;
use sqlx::Row;

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
}
