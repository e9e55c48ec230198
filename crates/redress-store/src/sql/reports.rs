//! Reading cases for reports: every case that could count in a period.

use crate::StoreError;
use crate::postgres::PgStore;
use crate::sql::micros;
use crate::sqlite::SqliteStore;
use jiff::civil::Date;
use redress_domain::contact::Contact;
use redress_domain::figures::{AtPeriodEnd, Total};
use sqlx::Row;

/// Report figures, written once for both backends (`$db` is the backend's sqlx database).
macro_rules! report_methods {
    ($db:ty) => {
        /// Cases received by the end of the period and not finished before it began (or
        /// changed since, such as a referral to the ombudsman after closure).
        pub(crate) async fn contacts_for_report(
            &self,
            org: &str,
            from: Date,
            to: Date,
            area: Option<&str>,
        ) -> Result<Vec<Contact>, StoreError> {
            let since = from
                .to_datetime(jiff::civil::Time::midnight())
                .to_zoned_datetime(jiff::tz::TimeZone::UTC)
                .map(|z| micros(z.timestamp()))
                .map_err(StoreError::corrupt)?;
            let area_clause = if area.is_some() {
                " AND c.service_area_id = ?"
            } else {
                ""
            };
            let sql = format!(
                "SELECT {} FROM contacts c LEFT JOIN people p ON p.id = c.person_id \
                 WHERE c.organisation_id = ? AND c.received_on <= ? \
                 AND (c.closed_on IS NULL OR c.closed_on >= ? OR c.updated_at >= ?){area_clause} \
                 ORDER BY c.received_at, c.reference",
                crate::sql::CONTACT_COLUMNS
            );
            let mut query = sqlx::query(Self::sql_owned(sql))
                .bind(org.to_string())
                .bind(to.to_string())
                .bind(from.to_string())
                .bind(since);
            if let Some(area) = area {
                query = query.bind(area.to_string());
            }
            let rows = query.fetch_all(&self.pool).await?;
            rows.iter()
                .map(|r| Self::contact_columns(r)?.into_contact())
                .collect()
        }

        /// The period's totals and the complaints open at its last day.
        pub(crate) async fn figure_totals(
            &self,
            org: &str,
            from: Date,
            to: Date,
            area: Option<&str>,
        ) -> Result<
            (
                Vec<redress_domain::figures::Total>,
                redress_domain::figures::AtPeriodEnd,
            ),
            StoreError,
        > {
            let area_clause = if area.is_some() {
                " AND service_area_id = ?"
            } else {
                ""
            };
            let (running_a, running_b) = (
                redress_domain::figures::RUNNING[0],
                redress_domain::figures::RUNNING[1],
            );
            // A figure taken out again (a complaint later declined no longer starts a stage)
            // leaves its row at zero, which counts for nothing.
            let sql = format!(
                "SELECT measure, key, service_area_id, CAST(SUM(n) AS BIGINT) AS n, CAST(SUM(a) AS \
                 BIGINT) AS a, \
                 CAST(SUM(b) AS BIGINT) AS b, CAST(SUM(c) AS BIGINT) AS c FROM daily_figures \
                 WHERE organisation_id = ? AND day >= ? AND day <= ? \
                 AND measure NOT IN ('{running_a}', '{running_b}'){area_clause} \
                 GROUP BY measure, key, service_area_id HAVING SUM(n) <> 0"
            );
            let mut q = sqlx::query(Self::sql_owned(sql))
                .bind(org)
                .bind(from.to_string())
                .bind(to.to_string());
            if let Some(area) = area {
                q = q.bind(area);
            }
            let totals = q
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(|r| {
                    let area: String = r.try_get("service_area_id")?;
                    Ok(redress_domain::figures::Total {
                        measure: r.try_get("measure")?,
                        key: r.try_get("key")?,
                        service_area: (!area.is_empty()).then_some(area),
                        n: r.try_get("n")?,
                        a: r.try_get("a")?,
                        b: r.try_get("b")?,
                        c: r.try_get("c")?,
                    })
                })
                .collect::<Result<Vec<_>, sqlx::Error>>()?;
            let sql = format!(
                "SELECT measure, CAST(SUM(n) AS BIGINT) AS n FROM daily_figures \
                 WHERE organisation_id = ? AND measure IN ('{running_a}', '{running_b}') \
                 AND day <= ?{area_clause} GROUP BY measure"
            );
            let mut q = sqlx::query(Self::sql_owned(sql))
                .bind(org)
                .bind(to.to_string());
            if let Some(area) = area {
                q = q.bind(area);
            }
            let mut end = redress_domain::figures::AtPeriodEnd::default();
            for r in q.fetch_all(&self.pool).await? {
                let measure: String = r.try_get("measure")?;
                let n: i64 = r.try_get("n")?;
                if measure == redress_domain::figures::measure::OPEN_WITHIN {
                    end.open_within_target = n;
                } else {
                    end.open_past_target = n;
                }
            }
            Ok((totals, end))
        }

        /// People (by email or phone) with two or more complaints received in the period.
        pub(crate) async fn repeat_complainants(
            &self,
            org: &str,
            from: Date,
            to: Date,
            area: Option<&str>,
        ) -> Result<i64, StoreError> {
            let area_clause = if area.is_some() {
                " AND service_area_id = ?"
            } else {
                ""
            };
            let sql = format!(
                "SELECT COUNT(*) FROM (SELECT person_key FROM complaint_people \
                 WHERE organisation_id = ? AND received_on >= ? AND received_on <= ?{area_clause} \
                 GROUP BY person_key HAVING COUNT(*) >= 2) repeated"
            );
            let mut q = sqlx::query_scalar(Self::sql_owned(sql))
                .bind(org)
                .bind(from.to_string())
                .bind(to.to_string());
            if let Some(area) = area {
                q = q.bind(area);
            }
            Ok(q.fetch_one(&self.pool).await?)
        }

        /// A case as its row stands in the database, with its organisation: before a change
        /// is written, what it last put into the running totals. Counted again from the row,
        /// so nothing extra is kept per case; a change to how figures are made therefore
        /// comes with a migration that counts every case again.
        pub(crate) async fn row_as_stored(
            tx: &mut sqlx::Transaction<'static, $db>,
            id: &str,
        ) -> Result<Option<(String, Contact)>, StoreError> {
            Ok(Self::rows_as_stored(tx, "c.id = ?", id).await?.pop())
        }

        /// Cases as stored, with their organisations, where `clause` holds for `value`.
        pub(crate) async fn rows_as_stored(
            tx: &mut sqlx::Transaction<'static, $db>,
            clause: &'static str,
            value: &str,
        ) -> Result<Vec<(String, Contact)>, StoreError> {
            let sql = format!(
                "SELECT {}, c.organisation_id AS organisation_id FROM contacts c LEFT \
                 JOIN people p ON p.id = c.person_id WHERE {clause}",
                crate::sql::CONTACT_COLUMNS
            );
            let rows = sqlx::query(Self::sql_owned(sql))
                .bind(value)
                .fetch_all(&mut **tx)
                .await?;
            rows.iter()
                .map(|r| {
                    Ok((
                        r.try_get("organisation_id")?,
                        Self::contact_columns(r)?.into_contact()?,
                    ))
                })
                .collect()
        }

        /// Puts cases' figures into the totals in place of the old ones given (empty for a
        /// new case). Called once per transaction, after any reference counters, and the
        /// rows are changed in one order (area, day, measure, key), so two writers may wait
        /// on each other but never deadlock.
        pub(crate) async fn put_figures(
            tx: &mut sqlx::Transaction<'static, $db>,
            org: &str,
            cases: &[(&Contact, redress_domain::figures::CaseFigures)],
        ) -> Result<(), StoreError> {
            let mut changes: std::collections::BTreeMap<(String, Date, String, String), [i64; 4]> =
                std::collections::BTreeMap::new();
            let mut people_gone: Vec<String> = Vec::new();
            let mut people_new: Vec<(String, String, String, String)> = Vec::new();
            for (contact, old) in cases {
                let now = redress_domain::figures::of_case(contact);
                if &now == old {
                    continue;
                }
                for (k, v) in now.changes_from(old) {
                    let t = changes.entry(k).or_default();
                    for (slot, d) in t.iter_mut().zip(v) {
                        *slot += d;
                    }
                }
                let area = |f: &redress_domain::figures::CaseFigures| {
                    f.service_area.clone().unwrap_or_default()
                };
                if (old.complainant(), area(old)) != (now.complainant(), area(&now)) {
                    if old.complainant().is_some() {
                        people_gone.push(contact.id.clone());
                    }
                    if let Some((key, on)) = now.complainant() {
                        people_new.push((
                            contact.id.clone(),
                            area(&now),
                            on.to_string(),
                            key.to_string(),
                        ));
                    }
                }
            }
            changes.retain(|_, t| t.iter().any(|v| *v != 0));
            // Rows per statement stay well inside both backends' limits on parameters.
            const ROWS: usize = 500;
            let changes: Vec<_> = changes.into_iter().collect();
            for chunk in changes.chunks(ROWS) {
                let mut q = sqlx::QueryBuilder::<$db>::new(
                    "INSERT INTO daily_figures (organisation_id, service_area_id, day, measure, \
                     key, n, a, b, c) ",
                );
                q.push_values(
                    chunk,
                    |mut b, ((area, day, measure, key), [n, a, bb, c])| {
                        b.push_bind(org.to_string())
                            .push_bind(area.clone())
                            .push_bind(day.to_string())
                            .push_bind(measure.clone())
                            .push_bind(key.clone())
                            .push_bind(*n)
                            .push_bind(*a)
                            .push_bind(*bb)
                            .push_bind(*c);
                    },
                );
                q.push(
                    " ON CONFLICT (organisation_id, day, measure, key, service_area_id) DO UPDATE \
                     SET \
                     n = daily_figures.n + excluded.n, a = daily_figures.a + excluded.a, \
                     b = daily_figures.b + excluded.b, c = daily_figures.c + excluded.c",
                );
                q.build().execute(&mut **tx).await?;
            }
            for id in &people_gone {
                sqlx::query(Self::sql(
                    "DELETE FROM complaint_people WHERE contact_id = ?",
                ))
                .bind(id)
                .execute(&mut **tx)
                .await?;
            }
            for chunk in people_new.chunks(ROWS) {
                let mut q = sqlx::QueryBuilder::<$db>::new(
                    "INSERT INTO complaint_people (contact_id, organisation_id, service_area_id, \
                     received_on, person_key) ",
                );
                q.push_values(chunk, |mut b, (id, area, on, key)| {
                    b.push_bind(id.clone())
                        .push_bind(org.to_string())
                        .push_bind(area.clone())
                        .push_bind(on.clone())
                        .push_bind(key.clone());
                });
                q.build().execute(&mut **tx).await?;
            }
            Ok(())
        }

        /// Counts every case into the running totals, when they are first made.
        pub(crate) async fn count_every_case(
            tx: &mut sqlx::Transaction<'static, $db>,
        ) -> Result<u64, StoreError> {
            if !Self::HOLD_CONTACTS.is_empty() {
                // Nothing may change a case between being counted and the commit.
                sqlx::query(Self::sql(Self::HOLD_CONTACTS))
                    .execute(&mut **tx)
                    .await?;
            }
            let mut after = String::new();
            let mut counted = 0u64;
            loop {
                let rows =
                    Self::rows_as_stored(tx, "c.id > ? ORDER BY c.id LIMIT 1000", &after).await?;
                let Some((_, last)) = rows.last() else {
                    return Ok(counted);
                };
                after = last.id.clone();
                counted += rows.len() as u64;
                let mut by_org: std::collections::BTreeMap<
                    &str,
                    Vec<(&Contact, redress_domain::figures::CaseFigures)>,
                > = std::collections::BTreeMap::new();
                for (org, contact) in &rows {
                    by_org
                        .entry(org)
                        .or_default()
                        .push((contact, Default::default()));
                }
                for (org, cases) in &by_org {
                    Self::put_figures(tx, org, cases).await?;
                }
            }
        }

        /// Empties the running totals and counts every case into them again, in one
        /// transaction: for repairing them, or after a change to how figures are made.
        pub(crate) async fn recount_figures(&self) -> Result<u64, StoreError> {
            let mut tx = self.begin_write().await?;
            sqlx::query(Self::sql("DELETE FROM daily_figures"))
                .execute(&mut *tx)
                .await?;
            sqlx::query(Self::sql("DELETE FROM complaint_people"))
                .execute(&mut *tx)
                .await?;
            let counted = Self::count_every_case(&mut tx).await?;
            tx.commit().await?;
            Ok(counted)
        }
    };
}

impl SqliteStore {
    report_methods!(sqlx::Sqlite);
}

impl PgStore {
    report_methods!(sqlx::Postgres);
}

store_api! {
    pub async fn contacts_for_report(
        &self,
        org: &str,
        from: Date,
        to: Date,
        area: Option<&str>,
    ) -> Result<Vec<Contact>, StoreError>;

    /// The running totals for a period (see `redress_domain::figures`).
    pub async fn figure_totals(
        &self,
        org: &str,
        from: Date,
        to: Date,
        area: Option<&str>,
    ) -> Result<(Vec<Total>, AtPeriodEnd), StoreError>;

    /// Counts every case into the running totals afresh; returns how many were counted.
    pub async fn recount_figures(&self) -> Result<u64, StoreError>;

    /// People with two or more complaints received in the period.
    pub async fn repeat_complainants(
        &self,
        org: &str,
        from: Date,
        to: Date,
        area: Option<&str>,
    ) -> Result<i64, StoreError>;
}
