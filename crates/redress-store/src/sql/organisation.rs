//! The organisation and how it is set up: service areas, homes, closure days, imported bank
//! holidays, custom schemes, named settings, and the log of changes to them.

use crate::StoreError;
use crate::postgres::PgStore;
use crate::sql::{micros, unique};
use crate::sqlite::SqliteStore;
use jiff::Timestamp;
use jiff::civil::Date;
use redress_domain::calendar::{Division, Holiday};
use redress_domain::organisation::{HomesCount, Organisation, ServiceArea, Tenure};
use redress_domain::scheme::Scheme;
use sqlx::Row;

/// Organisation set-up, written once for both backends (`$db` is the backend's sqlx database).
macro_rules! organisation_methods {
    ($db:ty) => {
        pub(crate) async fn ping(&self) -> Result<(), StoreError> {
            sqlx::query(Self::sql("SELECT 1"))
                .execute(&self.pool)
                .await?;
            Ok(())
        }

        pub(crate) async fn organisation(&self) -> Result<Option<Organisation>, StoreError> {
            let row = sqlx::query(Self::sql(
                "SELECT id, name, division, default_scheme FROM organisations ORDER BY created_at \
                 LIMIT 1",
            ))
            .fetch_optional(&self.pool)
            .await?;
            row.map(|r| {
                Ok(Organisation {
                    id: r.try_get("id")?,
                    name: r.try_get("name")?,
                    division: Division::parse(&r.try_get::<String, _>("division")?)
                        .map_err(StoreError::corrupt)?,
                    default_scheme: r.try_get("default_scheme")?,
                })
            })
            .transpose()
        }

        pub(crate) async fn create_organisation(
            &self,
            org: &Organisation,
        ) -> Result<(), StoreError> {
            sqlx::query(Self::sql(
                "INSERT INTO organisations (id, name, division, default_scheme, created_at) \
                 VALUES (?, ?, ?, ?, ?)",
            ))
            .bind(&org.id)
            .bind(&org.name)
            .bind(org.division.as_str())
            .bind(&org.default_scheme)
            .bind(micros(Timestamp::now()))
            .execute(&self.pool)
            .await?;
            Ok(())
        }

        pub(crate) async fn service_areas(
            &self,
            org: &str,
        ) -> Result<Vec<ServiceArea>, StoreError> {
            let rows = sqlx::query(Self::sql(
                "SELECT id, name, scheme FROM service_areas WHERE organisation_id = ? \
                 ORDER BY name",
            ))
            .bind(org)
            .fetch_all(&self.pool)
            .await?;
            rows.iter()
                .map(|r| {
                    Ok(ServiceArea {
                        id: r.try_get("id")?,
                        name: r.try_get("name")?,
                        scheme: r.try_get("scheme")?,
                    })
                })
                .collect()
        }

        pub(crate) async fn add_service_area(
            &self,
            org: &str,
            area: &ServiceArea,
        ) -> Result<(), StoreError> {
            let mut conn = self.pool.acquire().await?;
            Self::put_service_area(&mut conn, org, area).await
        }

        /// On any connection, so a change can be written with its log entry (`admin_changes`).
        pub(crate) async fn put_service_area(
            conn: &mut <$db as sqlx::Database>::Connection,
            org: &str,
            area: &ServiceArea,
        ) -> Result<(), StoreError> {
            sqlx::query(Self::sql(
                "INSERT INTO service_areas (id, organisation_id, name, scheme) VALUES (?, ?, ?, ?)",
            ))
            .bind(&area.id)
            .bind(org)
            .bind(&area.name)
            .bind(&area.scheme)
            .execute(&mut *conn)
            .await
            .map_err(|e| unique(e, "a service area with this name"))?;
            Ok(())
        }

        pub(crate) async fn set_homes(
            &self,
            org: &str,
            homes: &HomesCount,
        ) -> Result<(), StoreError> {
            let mut conn = self.pool.acquire().await?;
            Self::put_homes(&mut conn, org, homes).await
        }

        /// On any connection, so a change can be written with its log entry (`admin_changes`).
        pub(crate) async fn put_homes(
            conn: &mut <$db as sqlx::Database>::Connection,
            org: &str,
            homes: &HomesCount,
        ) -> Result<(), StoreError> {
            sqlx::query(Self::sql(
                "INSERT INTO homes (organisation_id, year, tenure, homes) VALUES (?, ?, ?, ?) \
                 ON CONFLICT (organisation_id, year, tenure) DO UPDATE SET homes = excluded.homes",
            ))
            .bind(org)
            .bind(i64::from(homes.year))
            .bind(homes.tenure.as_str())
            .bind(homes.homes)
            .execute(&mut *conn)
            .await?;
            Ok(())
        }

        pub(crate) async fn homes(&self, org: &str) -> Result<Vec<HomesCount>, StoreError> {
            let rows = sqlx::query(Self::sql(
                "SELECT year, tenure, homes FROM homes WHERE organisation_id = ? \
                 ORDER BY year, tenure",
            ))
            .bind(org)
            .fetch_all(&self.pool)
            .await?;
            rows.iter()
                .map(|r| {
                    Ok(HomesCount {
                        year: i16::try_from(r.try_get::<i64, _>("year")?)
                            .map_err(StoreError::corrupt)?,
                        tenure: Tenure::parse(&r.try_get::<String, _>("tenure")?)
                            .map_err(StoreError::corrupt)?,
                        homes: r.try_get("homes")?,
                    })
                })
                .collect()
        }

        pub(crate) async fn add_closure_day(
            &self,
            org: &str,
            day: Date,
            reason: &str,
        ) -> Result<(), StoreError> {
            let mut conn = self.pool.acquire().await?;
            Self::put_closure_day(&mut conn, org, day, reason).await
        }

        /// On any connection, so a change can be written with its log entry (`admin_changes`).
        pub(crate) async fn put_closure_day(
            conn: &mut <$db as sqlx::Database>::Connection,
            org: &str,
            day: Date,
            reason: &str,
        ) -> Result<(), StoreError> {
            sqlx::query(Self::sql(
                "INSERT INTO closure_days (organisation_id, day, reason) VALUES (?, ?, ?) \
                 ON CONFLICT (organisation_id, day) DO UPDATE SET reason = excluded.reason",
            ))
            .bind(org)
            .bind(day.to_string())
            .bind(reason)
            .execute(&mut *conn)
            .await?;
            Ok(())
        }

        pub(crate) async fn closure_days(
            &self,
            org: &str,
        ) -> Result<Vec<(Date, String)>, StoreError> {
            let rows = sqlx::query(Self::sql(
                "SELECT day, reason FROM closure_days WHERE organisation_id = ? ORDER BY day",
            ))
            .bind(org)
            .fetch_all(&self.pool)
            .await?;
            rows.iter()
                .map(|r| {
                    Ok((
                        crate::sql::date(&r.try_get::<String, _>("day")?)?,
                        r.try_get("reason")?,
                    ))
                })
                .collect()
        }

        pub(crate) async fn import_holidays(
            &self,
            events: &[(Division, Holiday)],
            at: Timestamp,
        ) -> Result<usize, StoreError> {
            let mut tx = self.begin_write().await?;
            let years: std::collections::BTreeSet<(Division, i16)> =
                events.iter().map(|(d, h)| (*d, h.date.year())).collect();
            for (division, year) in years {
                sqlx::query(Self::sql(
                    "DELETE FROM bank_holidays WHERE division = ? AND day LIKE ?",
                ))
                .bind(division.as_str())
                .bind(format!("{year:04}-%"))
                .execute(&mut *tx)
                .await?;
            }
            for (division, h) in events {
                sqlx::query(Self::sql(
                    "INSERT INTO bank_holidays (division, day, title, imported_at) \
                     VALUES (?, ?, ?, ?) \
                     ON CONFLICT (division, day) DO UPDATE SET title = excluded.title",
                ))
                .bind(division.as_str())
                .bind(h.date.to_string())
                .bind(&h.title)
                .bind(micros(at))
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok(events.len())
        }

        pub(crate) async fn imported_holidays(
            &self,
        ) -> Result<Vec<(Division, Holiday)>, StoreError> {
            let rows = sqlx::query(Self::sql(
                "SELECT division, day, title FROM bank_holidays ORDER BY division, day",
            ))
            .fetch_all(&self.pool)
            .await?;
            rows.iter()
                .map(|r| {
                    Ok((
                        Division::parse(&r.try_get::<String, _>("division")?)
                            .map_err(StoreError::corrupt)?,
                        Holiday {
                            date: crate::sql::date(&r.try_get::<String, _>("day")?)?,
                            title: r.try_get("title")?,
                            projected: false,
                        },
                    ))
                })
                .collect()
        }

        pub(crate) async fn save_custom_scheme(
            &self,
            org: &str,
            scheme: &Scheme,
        ) -> Result<(), StoreError> {
            let mut conn = self.pool.acquire().await?;
            Self::put_custom_scheme(&mut conn, org, scheme).await
        }

        pub(crate) async fn put_custom_scheme(
            conn: &mut <$db as sqlx::Database>::Connection,
            org: &str,
            scheme: &Scheme,
        ) -> Result<(), StoreError> {
            let json = serde_json::to_string(scheme).map_err(StoreError::corrupt)?;
            sqlx::query(Self::sql(
                "INSERT INTO custom_schemes (organisation_id, id, definition) VALUES (?, ?, ?)",
            ))
            .bind(org)
            .bind(&scheme.id)
            .bind(json)
            .execute(&mut *conn)
            .await
            .map_err(|e| unique(e, "a scheme with this id"))?;
            Ok(())
        }

        /// Whether the area was there to change.
        pub(crate) async fn put_area_scheme(
            conn: &mut <$db as sqlx::Database>::Connection,
            org: &str,
            area_id: &str,
            scheme: &str,
        ) -> Result<bool, StoreError> {
            let done = sqlx::query(Self::sql(
                "UPDATE service_areas SET scheme = ? WHERE organisation_id = ? AND id = ?",
            ))
            .bind(scheme)
            .bind(org)
            .bind(area_id)
            .execute(&mut *conn)
            .await?;
            Ok(done.rows_affected() == 1)
        }

        pub(crate) async fn custom_schemes(&self, org: &str) -> Result<Vec<Scheme>, StoreError> {
            let rows = sqlx::query(Self::sql(
                "SELECT definition FROM custom_schemes WHERE organisation_id = ? ORDER BY id",
            ))
            .bind(org)
            .fetch_all(&self.pool)
            .await?;
            rows.iter()
                .map(|r| {
                    serde_json::from_str(&r.try_get::<String, _>("definition")?)
                        .map_err(StoreError::corrupt)
                })
                .collect()
        }

        pub(crate) async fn setting(
            &self,
            org: &str,
            name: &str,
        ) -> Result<Option<String>, StoreError> {
            Ok(sqlx::query_scalar(Self::sql(
                "SELECT value FROM organisation_settings WHERE organisation_id = ? AND name = ?",
            ))
            .bind(org)
            .bind(name)
            .fetch_optional(&self.pool)
            .await?)
        }

        pub(crate) async fn settings_named(
            &self,
            org: &str,
            prefix: &str,
        ) -> Result<Vec<(String, String)>, StoreError> {
            let rows = sqlx::query(Self::sql(
                "SELECT name, value FROM organisation_settings \
                 WHERE organisation_id = ? AND name LIKE ? ORDER BY name",
            ))
            .bind(org)
            .bind(format!("{}%", prefix.replace(['%', '_'], "")))
            .fetch_all(&self.pool)
            .await?;
            rows.iter()
                .map(|r| Ok((r.try_get("name")?, r.try_get("value")?)))
                .collect()
        }

        pub(crate) async fn set_setting(
            &self,
            org: &str,
            name: &str,
            value: &str,
        ) -> Result<(), StoreError> {
            let mut conn = self.pool.acquire().await?;
            Self::put_setting(&mut conn, org, name, value).await
        }

        /// On any connection, so a change can be written with its log entry (`admin_changes`).
        pub(crate) async fn put_setting(
            conn: &mut <$db as sqlx::Database>::Connection,
            org: &str,
            name: &str,
            value: &str,
        ) -> Result<(), StoreError> {
            sqlx::query(Self::sql(
                "INSERT INTO organisation_settings (organisation_id, name, value) VALUES (?, ?, ?) \
                 ON CONFLICT (organisation_id, name) DO UPDATE SET value = excluded.value",
            ))
            .bind(org)
            .bind(name)
            .bind(value)
            .execute(&mut *conn)
            .await?;
            Ok(())
        }

        pub(crate) async fn log_admin(
            &self,
            org: &str,
            at: Timestamp,
            actor: &str,
            summary: &str,
        ) -> Result<(), StoreError> {
            let mut conn = self.pool.acquire().await?;
            Self::put_admin_log(&mut conn, org, at, actor, summary).await
        }

        /// On any connection, so a change can be written with its log entry (`admin_changes`).
        pub(crate) async fn put_admin_log(
            conn: &mut <$db as sqlx::Database>::Connection,
            org: &str,
            at: Timestamp,
            actor: &str,
            summary: &str,
        ) -> Result<(), StoreError> {
            sqlx::query(Self::sql(
                "INSERT INTO admin_log (id, organisation_id, at, actor_name, summary) \
                 VALUES (?, ?, ?, ?, ?)",
            ))
            .bind(uuid::Uuid::now_v7().to_string())
            .bind(org)
            .bind(micros(at))
            .bind(actor)
            .bind(summary)
            .execute(&mut *conn)
            .await?;
            Ok(())
        }

        pub(crate) async fn admin_log(
            &self,
            org: &str,
            limit: i64,
        ) -> Result<Vec<(Timestamp, String, String)>, StoreError> {
            let rows = sqlx::query(Self::sql(
                "SELECT at, actor_name, summary FROM admin_log WHERE organisation_id = ? \
                 ORDER BY at DESC, id DESC LIMIT ?",
            ))
            .bind(org)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
            rows.iter()
                .map(|r| {
                    Ok((
                        crate::sql::timestamp(r.try_get("at")?)?,
                        r.try_get("actor_name")?,
                        r.try_get("summary")?,
                    ))
                })
                .collect()
        }
    };
}

impl SqliteStore {
    organisation_methods!(sqlx::Sqlite);
}

impl PgStore {
    organisation_methods!(sqlx::Postgres);
}

store_api! {
    pub async fn ping(&self) -> Result<(), StoreError>;

    pub async fn organisation(&self) -> Result<Option<Organisation>, StoreError>;

    pub async fn create_organisation(&self, org: &Organisation) -> Result<(), StoreError>;

    pub async fn service_areas(&self, org: &str) -> Result<Vec<ServiceArea>, StoreError>;

    pub async fn add_service_area(&self, org: &str, area: &ServiceArea) -> Result<(), StoreError>;

    pub async fn set_homes(&self, org: &str, homes: &HomesCount) -> Result<(), StoreError>;

    pub async fn homes(&self, org: &str) -> Result<Vec<HomesCount>, StoreError>;

    pub async fn add_closure_day(
        &self,
        org: &str,
        day: Date,
        reason: &str,
    ) -> Result<(), StoreError>;

    pub async fn closure_days(&self, org: &str) -> Result<Vec<(Date, String)>, StoreError>;

    /// Replaces, for each division and year present, the stored days with these.
    pub async fn import_holidays(
        &self,
        events: &[(Division, Holiday)],
        at: Timestamp,
    ) -> Result<usize, StoreError>;

    pub async fn imported_holidays(&self) -> Result<Vec<(Division, Holiday)>, StoreError>;

    /// Keeps a version of one of the organisation's own schemes; an id already kept is
    /// refused as `StoreError::Duplicate`, so a version never changes.
    pub async fn save_custom_scheme(&self, org: &str, scheme: &Scheme) -> Result<(), StoreError>;

    pub async fn custom_schemes(&self, org: &str) -> Result<Vec<Scheme>, StoreError>;

    pub async fn setting(&self, org: &str, name: &str) -> Result<Option<String>, StoreError>;

    /// Every setting whose name starts with `prefix` (letters and digits, `:` and `-`),
    /// with its value, by name.
    pub async fn settings_named(
        &self,
        org: &str,
        prefix: &str,
    ) -> Result<Vec<(String, String)>, StoreError>;

    pub async fn set_setting(&self, org: &str, name: &str, value: &str) -> Result<(), StoreError>;

    /// Records a change to settings in the organisation's log.
    pub async fn log_admin(
        &self,
        org: &str,
        at: Timestamp,
        actor: &str,
        summary: &str,
    ) -> Result<(), StoreError>;

    /// The latest changes to settings: when, who, what.
    pub async fn admin_log(
        &self,
        org: &str,
        limit: i64,
    ) -> Result<Vec<(Timestamp, String, String)>, StoreError>;
}
