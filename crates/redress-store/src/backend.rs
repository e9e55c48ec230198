//! The statements both backends share, written once. Each backend supplies `sql` (its
//! placeholder style), `begin_write` (how a write transaction starts), `search_terms` and
//! `search_matches` (its full-text search, in `search`) and `ROW_KEY` (the column its
//! search entries are keyed by), and this macro writes the rest of the methods for it.

use crate::StoreError;
use jiff::Timestamp;
use jiff::civil::Date;
use redress_domain::Text;
use redress_domain::contact::{
    Channel, Contact, ContactKind, ContactStatus, NewContact, OtherRoute, Reference,
};
use redress_domain::organisation::Tenure;
use redress_domain::person::{Needs, Person, Representative};

pub(crate) const CONTACT_COLUMNS: &str = "c.id, c.reference, c.kind, c.channel, c.status, c.stage, c.scheme, \
    c.received_at, c.received_on, c.representative, c.service_area_id, c.property_ref, c.tenure, c.summary, \
    c.outcome_wanted, c.issue_date, c.safeguarding, c.about_vulnerable_group, c.wants_reply, c.staff_named, \
    c.other_route, c.closed_on, c.case_state, c.version, \
    p.name AS p_name, p.email AS p_email, p.phone AS p_phone, p.address AS p_address, p.postcode AS p_postcode, \
    p.needs AS p_needs";

/// A contact row as read, before its text is turned back into domain values.
pub(crate) struct ContactColumns {
    pub id: String,
    pub reference: String,
    pub kind: String,
    pub channel: String,
    pub status: String,
    pub scheme: String,
    pub received_at: i64,
    pub received_on: String,
    pub representative: Option<String>,
    pub service_area_id: Option<String>,
    pub property_ref: Option<String>,
    pub tenure: Option<String>,
    pub summary: String,
    pub outcome_wanted: Option<String>,
    pub issue_date: Option<String>,
    pub safeguarding: bool,
    pub about_vulnerable_group: bool,
    pub wants_reply: bool,
    pub staff_named: Option<String>,
    pub other_route: Option<String>,
    pub closed_on: Option<String>,
    pub case_state: String,
    pub version: i64,
    pub p_name: Option<String>,
    pub p_email: Option<String>,
    pub p_phone: Option<String>,
    pub p_address: Option<String>,
    pub p_postcode: Option<String>,
    pub p_needs: Option<String>,
}

pub(crate) fn date(s: &str) -> Result<Date, StoreError> {
    s.parse()
        .map_err(|_| StoreError::corrupt(format!("bad date '{s}'")))
}

pub(crate) fn date_opt(s: Option<String>) -> Result<Option<Date>, StoreError> {
    s.as_deref().map(date).transpose()
}

pub(crate) fn timestamp(us: i64) -> Result<Timestamp, StoreError> {
    Timestamp::from_microsecond(us).map_err(StoreError::corrupt)
}

pub(crate) fn micros(t: Timestamp) -> i64 {
    t.as_microsecond()
}

/// The words of a search: runs of letters and digits, split where the word index splits
/// them ("O'Brien" is "O" and "Brien", an email address its parts), so nothing in them can
/// be read as query syntax.
pub(crate) fn search_words(q: &str) -> impl Iterator<Item = String> + '_ {
    q.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
}

/// The case list's order as one sortable text, kept on each contact so the list reads an
/// index in order rather than sorting every matching case: open cases first, priority
/// first, then the earliest response date (none last), then the newest. Migration 0005
/// computes the same text for contacts saved before it.
pub(crate) fn list_key(contact: &Contact) -> String {
    let open = matches!(
        contact.status,
        ContactStatus::Received | ContactStatus::Acknowledged
    );
    let respond = contact
        .respond_by()
        .map(|d| d.to_string())
        .unwrap_or_else(|| "9999-12-31".into());
    let newest_first = i64::MAX - micros(contact.detail.received_at);
    format!(
        "{}{}{respond}{newest_first:020}",
        if open { 0 } else { 1 },
        if contact.is_priority() { 0 } else { 1 }
    )
}

fn text(s: Option<String>) -> Option<Text> {
    s.map(Text::from_trusted)
}

fn choice<T>(s: &str, parse: fn(&str) -> Result<T, String>) -> Result<T, StoreError> {
    parse(s).map_err(|_| StoreError::corrupt(format!("unknown value '{s}'")))
}

impl ContactColumns {
    pub(crate) fn into_contact(self) -> Result<Contact, StoreError> {
        let person = match self.p_name {
            Some(name) => Some(Person {
                name: Text::from_trusted(name),
                email: self.p_email,
                phone: self.p_phone,
                address: text(self.p_address),
                postcode: self.p_postcode,
                needs: match self.p_needs {
                    Some(json) => {
                        serde_json::from_str::<Needs>(&json).map_err(StoreError::corrupt)?
                    }
                    None => Needs::default(),
                },
            }),
            None => None,
        };
        let representative = self
            .representative
            .map(|json| serde_json::from_str::<Representative>(&json).map_err(StoreError::corrupt))
            .transpose()?;
        Ok(Contact {
            id: self.id,
            reference: Reference::from_trusted(self.reference),
            status: choice(&self.status, ContactStatus::parse)?,
            scheme: self.scheme,
            received_on: date(&self.received_on)?,
            case: serde_json::from_str(&self.case_state).map_err(StoreError::corrupt)?,
            closed_on: date_opt(self.closed_on)?,
            version: self.version,
            detail: NewContact {
                kind: choice(&self.kind, ContactKind::parse)?,
                channel: choice(&self.channel, Channel::parse)?,
                received_at: timestamp(self.received_at)?,
                person,
                representative,
                service_area: self.service_area_id,
                property_ref: text(self.property_ref),
                tenure: self
                    .tenure
                    .as_deref()
                    .map(|t| choice(t, Tenure::parse))
                    .transpose()?,
                summary: Text::from_trusted(self.summary),
                outcome_wanted: text(self.outcome_wanted),
                issue_date: date_opt(self.issue_date)?,
                safeguarding: self.safeguarding,
                about_vulnerable_group: self.about_vulnerable_group,
                wants_reply: self.wants_reply,
                staff_named: text(self.staff_named),
                other_route: self
                    .other_route
                    .as_deref()
                    .map(|t| choice(t, OtherRoute::parse))
                    .transpose()?,
            },
        })
    }
}

/// Escapes `%`, `_` and `\` for a LIKE pattern with `ESCAPE '\'`.
pub(crate) fn like_pattern(s: &str) -> String {
    let mut out = String::from("%");
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// A value bound to a statement assembled at run time.
pub(crate) enum Bind {
    Text(String),
    Int(i64),
}

/// Binds each value in turn to a statement assembled at run time.
macro_rules! bind_each {
    ($query:expr, $binds:expr) => {{
        let mut query = $query;
        for b in $binds {
            query = match b {
                $crate::backend::Bind::Text(s) => query.bind(s.as_str()),
                $crate::backend::Bind::Int(i) => query.bind(*i),
            };
        }
        query
    }};
}
pub(crate) use bind_each;

macro_rules! store_methods {
    ($db:ty) => {
        pub(crate) async fn ping(&self) -> Result<(), StoreError> {
            sqlx::query(Self::sql("SELECT 1")).execute(&self.pool).await?;
            Ok(())
        }

        pub(crate) async fn organisation(&self) -> Result<Option<Organisation>, StoreError> {
            let row = sqlx::query(Self::sql(
                "SELECT id, name, division, default_scheme FROM organisations ORDER BY created_at LIMIT 1",
            ))
            .fetch_optional(&self.pool)
            .await?;
            row.map(|r| {
                Ok(Organisation {
                    id: r.try_get("id")?,
                    name: r.try_get("name")?,
                    division: Division::parse(&r.try_get::<String, _>("division")?).map_err(StoreError::corrupt)?,
                    default_scheme: r.try_get("default_scheme")?,
                })
            })
            .transpose()
        }

        pub(crate) async fn create_organisation(&self, org: &Organisation) -> Result<(), StoreError> {
            sqlx::query(Self::sql(
                "INSERT INTO organisations (id, name, division, default_scheme, created_at) VALUES (?, ?, ?, ?, ?)",
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

        pub(crate) async fn service_areas(&self, org: &str) -> Result<Vec<ServiceArea>, StoreError> {
            let rows = sqlx::query(Self::sql(
                "SELECT id, name, scheme FROM service_areas WHERE organisation_id = ? ORDER BY name",
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

        pub(crate) async fn add_service_area(&self, org: &str, area: &ServiceArea) -> Result<(), StoreError> {
            sqlx::query(Self::sql(
                "INSERT INTO service_areas (id, organisation_id, name, scheme) VALUES (?, ?, ?, ?)",
            ))
            .bind(&area.id)
            .bind(org)
            .bind(&area.name)
            .bind(&area.scheme)
            .execute(&self.pool)
            .await
            .map_err(|e| unique(e, "a service area with this name"))?;
            Ok(())
        }

        pub(crate) async fn set_homes(&self, org: &str, homes: &HomesCount) -> Result<(), StoreError> {
            sqlx::query(Self::sql(
                "INSERT INTO homes (organisation_id, year, tenure, homes) VALUES (?, ?, ?, ?) \
                 ON CONFLICT (organisation_id, year, tenure) DO UPDATE SET homes = excluded.homes",
            ))
            .bind(org)
            .bind(i64::from(homes.year))
            .bind(homes.tenure.as_str())
            .bind(homes.homes)
            .execute(&self.pool)
            .await?;
            Ok(())
        }

        pub(crate) async fn homes(&self, org: &str) -> Result<Vec<HomesCount>, StoreError> {
            let rows = sqlx::query(Self::sql(
                "SELECT year, tenure, homes FROM homes WHERE organisation_id = ? ORDER BY year, tenure",
            ))
            .bind(org)
            .fetch_all(&self.pool)
            .await?;
            rows.iter()
                .map(|r| {
                    Ok(HomesCount {
                        year: i16::try_from(r.try_get::<i64, _>("year")?).map_err(StoreError::corrupt)?,
                        tenure: Tenure::parse(&r.try_get::<String, _>("tenure")?).map_err(StoreError::corrupt)?,
                        homes: r.try_get("homes")?,
                    })
                })
                .collect()
        }

        pub(crate) async fn add_closure_day(&self, org: &str, day: Date, reason: &str) -> Result<(), StoreError> {
            sqlx::query(Self::sql(
                "INSERT INTO closure_days (organisation_id, day, reason) VALUES (?, ?, ?) \
                 ON CONFLICT (organisation_id, day) DO UPDATE SET reason = excluded.reason",
            ))
            .bind(org)
            .bind(day.to_string())
            .bind(reason)
            .execute(&self.pool)
            .await?;
            Ok(())
        }

        pub(crate) async fn closure_days(&self, org: &str) -> Result<Vec<(Date, String)>, StoreError> {
            let rows = sqlx::query(Self::sql(
                "SELECT day, reason FROM closure_days WHERE organisation_id = ? ORDER BY day",
            ))
            .bind(org)
            .fetch_all(&self.pool)
            .await?;
            rows.iter()
                .map(|r| Ok((crate::backend::date(&r.try_get::<String, _>("day")?)?, r.try_get("reason")?)))
                .collect()
        }

        pub(crate) async fn import_holidays(&self, events: &[(Division, Holiday)], at: Timestamp) -> Result<usize, StoreError> {
            let mut tx = self.begin_write().await?;
            let years: std::collections::BTreeSet<(Division, i16)> =
                events.iter().map(|(d, h)| (*d, h.date.year())).collect();
            for (division, year) in years {
                sqlx::query(Self::sql("DELETE FROM bank_holidays WHERE division = ? AND day LIKE ?"))
                    .bind(division.as_str())
                    .bind(format!("{year:04}-%"))
                    .execute(&mut *tx)
                    .await?;
            }
            for (division, h) in events {
                sqlx::query(Self::sql(
                    "INSERT INTO bank_holidays (division, day, title, imported_at) VALUES (?, ?, ?, ?) \
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

        pub(crate) async fn imported_holidays(&self) -> Result<Vec<(Division, Holiday)>, StoreError> {
            let rows = sqlx::query(Self::sql("SELECT division, day, title FROM bank_holidays ORDER BY division, day"))
                .fetch_all(&self.pool)
                .await?;
            rows.iter()
                .map(|r| {
                    Ok((
                        Division::parse(&r.try_get::<String, _>("division")?).map_err(StoreError::corrupt)?,
                        Holiday {
                            date: crate::backend::date(&r.try_get::<String, _>("day")?)?,
                            title: r.try_get("title")?,
                            projected: false,
                        },
                    ))
                })
                .collect()
        }

        pub(crate) async fn save_custom_scheme(&self, org: &str, scheme: &Scheme) -> Result<(), StoreError> {
            let json = serde_json::to_string(scheme).map_err(StoreError::corrupt)?;
            sqlx::query(Self::sql(
                "INSERT INTO custom_schemes (organisation_id, id, definition) VALUES (?, ?, ?) \
                 ON CONFLICT (organisation_id, id) DO UPDATE SET definition = excluded.definition",
            ))
            .bind(org)
            .bind(&scheme.id)
            .bind(json)
            .execute(&self.pool)
            .await?;
            Ok(())
        }

        pub(crate) async fn custom_schemes(&self, org: &str) -> Result<Vec<Scheme>, StoreError> {
            let rows = sqlx::query(Self::sql(
                "SELECT definition FROM custom_schemes WHERE organisation_id = ? ORDER BY id",
            ))
            .bind(org)
            .fetch_all(&self.pool)
            .await?;
            rows.iter()
                .map(|r| serde_json::from_str(&r.try_get::<String, _>("definition")?).map_err(StoreError::corrupt))
                .collect()
        }

        fn contact_columns(r: &<$db as sqlx::Database>::Row) -> Result<ContactColumns, sqlx::Error> {
            Ok(ContactColumns {
                id: r.try_get("id")?,
                reference: r.try_get("reference")?,
                kind: r.try_get("kind")?,
                channel: r.try_get("channel")?,
                status: r.try_get("status")?,
                scheme: r.try_get("scheme")?,
                received_at: r.try_get("received_at")?,
                received_on: r.try_get("received_on")?,
                representative: r.try_get("representative")?,
                service_area_id: r.try_get("service_area_id")?,
                property_ref: r.try_get("property_ref")?,
                tenure: r.try_get("tenure")?,
                summary: r.try_get("summary")?,
                outcome_wanted: r.try_get("outcome_wanted")?,
                issue_date: r.try_get("issue_date")?,
                safeguarding: r.try_get("safeguarding")?,
                about_vulnerable_group: r.try_get("about_vulnerable_group")?,
                wants_reply: r.try_get("wants_reply")?,
                staff_named: r.try_get("staff_named")?,
                other_route: r.try_get("other_route")?,
                closed_on: r.try_get("closed_on")?,
                case_state: r.try_get("case_state")?,
                version: r.try_get("version")?,
                p_name: r.try_get("p_name")?,
                p_email: r.try_get("p_email")?,
                p_phone: r.try_get("p_phone")?,
                p_address: r.try_get("p_address")?,
                p_postcode: r.try_get("p_postcode")?,
                p_needs: r.try_get("p_needs")?,
            })
        }

        async fn contact_where<'e, E>(executor: E, clause: &'static str, org: &str, value: &str) -> Result<Option<Contact>, StoreError>
        where
            E: sqlx::Executor<'e, Database = $db>,
        {
            let sql = format!(
                "SELECT {} FROM contacts c LEFT JOIN people p ON p.id = c.person_id WHERE c.organisation_id = ? AND {clause}",
                crate::backend::CONTACT_COLUMNS
            );
            let row = sqlx::query(Self::sql_owned(sql))
                .bind(org.to_string())
                .bind(value.to_string())
                .fetch_optional(executor)
                .await?;
            match row {
                Some(r) => Ok(Some(Self::contact_columns(&r)?.into_contact()?)),
                None => Ok(None),
            }
        }

        pub(crate) async fn contact_by_reference(&self, org: &str, reference: &Reference) -> Result<Option<Contact>, StoreError> {
            Self::contact_where(&self.pool, "c.reference = ?", org, reference.as_str()).await
        }

        pub(crate) async fn contact_by_submission(&self, org: &str, key: &str) -> Result<Option<Contact>, StoreError> {
            Self::contact_where(&self.pool, "c.submission_key = ?", org, key).await
        }

        /// Writes a new contact through the store's group-commit queue when it has one.
        pub(crate) async fn insert_contact(&self, submission: crate::intake::Submission) -> Result<Inserted, StoreError> {
            let submission = match &self.intake {
                Some(queue) => match queue.submit(submission).await {
                    Ok(result) => return result,
                    Err(back) => back,
                },
                None => submission,
            };
            self.write_batch(vec![submission]).await.pop().unwrap_or(Err(StoreError::Conflict))
        }

        /// Gives this store a group-commit writer for new contacts.
        pub(crate) fn with_intake(mut self) -> Self {
            let writer = Self { intake: None, ..self.clone() };
            self.intake = Some(crate::intake::Queue::start(move |batch| {
                let writer = writer.clone();
                async move { writer.write_batch(batch).await }
            }));
            self
        }

        /// One transaction for the whole batch, one savepoint for each submission in it:
        /// the answers come back in order, and only once the batch is committed.
        async fn write_batch(&self, batch: Vec<crate::intake::Submission>) -> Vec<Result<Inserted, StoreError>> {
            let count = batch.len();
            if count > 1 {
                match self.write_together(&batch).await {
                    Ok(results) => return results,
                    // Rolled back whole; each is tried again on its own below, which
                    // refuses just the one at fault.
                    Err(e) => tracing::debug!("a batch of {count} is written one by one: {e}"),
                }
            }
            match self.write_batch_once(batch).await {
                Ok(results) => results,
                Err(e) => {
                    let why = e.to_string();
                    (0..count).map(|_| Err(StoreError::Unavailable(why.clone()))).collect()
                }
            }
        }

        /// The whole batch with a statement per table rather than per submission: keys seen
        /// before found in one query, references taken in one step per kind and year, and
        /// the rows written together. Any failure rolls everything back for the one-by-one
        /// path, so a refusal never leaves a gap in the references.
        async fn write_together(&self, batch: &[crate::intake::Submission]) -> Result<Vec<Result<Inserted, StoreError>>, StoreError> {
            let Some(org) = batch.first().map(|s| s.org.as_str()) else {
                return Ok(Vec::new());
            };
            if batch.iter().any(|s| s.org != org) {
                return Err(StoreError::Conflict);
            }
            let mut tx = self.begin_write().await?;
            // What each submission becomes: stored before, the same as an earlier one in this
            // batch, or new with the reference to be given.
            enum Fate { Stored(Box<Contact>), SameAs(usize), New }
            let mut fates: Vec<Fate> = Vec::with_capacity(batch.len());
            let keys: Vec<&str> = batch.iter().filter_map(|s| s.key.as_deref()).collect();
            let stored: Vec<String> = if keys.is_empty() {
                Vec::new()
            } else {
                let mut q = sqlx::QueryBuilder::<$db>::new("SELECT submission_key FROM contacts WHERE organisation_id = ");
                q.push_bind(org.to_string()).push(" AND submission_key IN (");
                let mut list = q.separated(", ");
                for k in &keys {
                    list.push_bind(k.to_string());
                }
                q.push(")");
                q.build_query_scalar().fetch_all(&mut *tx).await?
            };
            for (i, s) in batch.iter().enumerate() {
                let fate = match s.key.as_deref() {
                    Some(k) if stored.iter().any(|x| x == k) => {
                        match Self::contact_where(&mut *tx, "c.submission_key = ?", org, k).await? {
                            Some(c) => Fate::Stored(Box::new(c)),
                            None => return Err(StoreError::Conflict),
                        }
                    }
                    Some(k) => match batch[..i].iter().position(|earlier| earlier.key.as_deref() == Some(k)) {
                        Some(first) => Fate::SameAs(first),
                        None => Fate::New,
                    },
                    None => Fate::New,
                };
                fates.push(fate);
            }
            // References: one counter step for each kind and year in the batch, taken in one
            // order (kind, then year) so two instances' batches never wait on each other.
            let mut next: Vec<((ContactKind, i16), i64)> = Vec::new();
            for (s, fate) in batch.iter().zip(&fates) {
                if matches!(fate, Fate::New) {
                    match next.iter_mut().find(|(k, _)| *k == s.prefix_year) {
                        Some((_, n)) => *n += 1,
                        None => next.push((s.prefix_year, 1)),
                    }
                }
            }
            next.sort_by_key(|((kind, year), _)| (kind.prefix(), *year));
            for ((kind, year), n) in next.iter_mut() {
                let last: i64 = sqlx::query_scalar(Self::sql(
                    "INSERT INTO reference_counters (organisation_id, prefix, year, last_number) VALUES (?, ?, ?, ?) \
                     ON CONFLICT (organisation_id, prefix, year) \
                     DO UPDATE SET last_number = reference_counters.last_number + ? RETURNING last_number",
                ))
                .bind(org)
                .bind(kind.prefix())
                .bind(i64::from(*year))
                .bind(*n)
                .bind(*n)
                .fetch_one(&mut *tx)
                .await?;
                // From now on, the number the next new one of this kind and year takes.
                *n = last - *n + 1;
            }
            let mut built: Vec<Option<(Contact, Event)>> = Vec::with_capacity(batch.len());
            for (s, fate) in batch.iter().zip(&fates) {
                if !matches!(fate, Fate::New) {
                    built.push(None);
                    continue;
                }
                let number = next
                    .iter_mut()
                    .find(|(k, _)| *k == s.prefix_year)
                    .map(|(_, n)| {
                        *n += 1;
                        *n - 1
                    })
                    .ok_or(StoreError::Conflict)?;
                let (kind, year) = s.prefix_year;
                built.push(Some((s.build)(Reference::new(kind, year, number))?));
            }
            let rows: Vec<(Option<&str>, &Contact, &Event)> = batch
                .iter()
                .zip(&built)
                .filter_map(|(s, b)| b.as_ref().map(|(c, e)| (s.key.as_deref(), c, e)))
                .collect();
            Self::write_new_contacts(&mut tx, org, &rows).await?;
            let counted: Vec<(&Contact, redress_domain::figures::CaseFigures)> =
                rows.iter().map(|(_, c, _)| (*c, Default::default())).collect();
            Self::put_figures(&mut tx, org, &counted).await?;
            if let Err(e) = tx.commit().await {
                // It may have been committed all the same (the connection lost on the way
                // back), so the batch is not written again; its submitters are told it failed
                // and a retry with a submission key finds what was kept.
                let why = e.to_string();
                return Ok(batch.iter().map(|_| Err(StoreError::Unavailable(why.clone()))).collect());
            }
            let mut results: Vec<Result<Inserted, StoreError>> = Vec::with_capacity(batch.len());
            let written = |i: usize| {
                built
                    .get(i)
                    .and_then(Option::as_ref)
                    .map(|(c, _)| Contact { version: 1, ..c.clone() })
                    .ok_or(StoreError::Conflict)
            };
            for (i, fate) in fates.into_iter().enumerate() {
                results.push(match fate {
                    Fate::Stored(c) => Ok(Inserted::Existing(*c)),
                    Fate::SameAs(first) => written(first).map(Inserted::Existing),
                    Fate::New => written(i).map(Inserted::New),
                });
            }
            Ok(results)
        }

        async fn write_batch_once(&self, batch: Vec<crate::intake::Submission>) -> Result<Vec<Result<Inserted, StoreError>>, StoreError> {
            let mut tx = self.begin_write().await?;
            // Written in the counters' order (kind, then year), as the batch path takes them,
            // so two instances never wait on each other; answered in arrival order.
            let mut order: Vec<(usize, crate::intake::Submission)> = batch.into_iter().enumerate().collect();
            order.sort_by_key(|(i, s)| (s.prefix_year.0.prefix(), s.prefix_year.1, *i));
            let mut results: Vec<(usize, Result<Inserted, StoreError>)> = Vec::with_capacity(order.len());
            // The running totals are changed once, after every submission, so their rows are
            // locked after all the counters and in one order, as in the batch path.
            let mut counted: Vec<(String, Contact)> = Vec::new();
            for (i, s) in order {
                sqlx::query(Self::sql("SAVEPOINT submission")).execute(&mut *tx).await?;
                let key = s.key.as_deref();
                match Self::write_submission(&mut tx, &s.org, key, s.prefix_year, s.build).await {
                    Ok(inserted) => {
                        sqlx::query(Self::sql("RELEASE SAVEPOINT submission")).execute(&mut *tx).await?;
                        if let Inserted::New(c) = &inserted {
                            counted.push((s.org.clone(), c.clone()));
                        }
                        results.push((i, Ok(inserted)));
                    }
                    Err(e) => {
                        sqlx::query(Self::sql("ROLLBACK TO SAVEPOINT submission")).execute(&mut *tx).await?;
                        sqlx::query(Self::sql("RELEASE SAVEPOINT submission")).execute(&mut *tx).await?;
                        results.push((i, match (e, key) {
                            // Two submissions with one key raced past the check (from two
                            // instances); the other was committed first and is the answer.
                            (StoreError::Duplicate(_), Some(key)) => {
                                match Self::contact_where(&mut *tx, "c.submission_key = ?", &s.org, key).await? {
                                    Some(existing) => Ok(Inserted::Existing(existing)),
                                    None => Err(StoreError::Conflict),
                                }
                            }
                            (e, _) => Err(e),
                        }));
                    }
                }
            }
            counted.sort_by(|a, b| a.0.cmp(&b.0));
            for (org, group) in counted.chunk_by(|a, b| a.0 == b.0).map(|g| (g[0].0.clone(), g)) {
                let cases: Vec<(&Contact, redress_domain::figures::CaseFigures)> =
                    group.iter().map(|(_, c)| (c, Default::default())).collect();
                Self::put_figures(&mut tx, &org, &cases).await?;
            }
            tx.commit().await?;
            results.sort_by_key(|(i, _)| *i);
            Ok(results.into_iter().map(|(_, r)| r).collect())
        }

        async fn write_submission(
            tx: &mut sqlx::Transaction<'static, $db>,
            org: &str,
            submission_key: Option<&str>,
            (kind, year): (ContactKind, i16),
            build: crate::intake::Build,
        ) -> Result<Inserted, StoreError> {
            if let Some(key) = submission_key {
                if let Some(existing) = Self::contact_where(&mut **tx, "c.submission_key = ?", org, key).await? {
                    return Ok(Inserted::Existing(existing));
                }
            }
            let number: i64 = sqlx::query_scalar(Self::sql(
                "INSERT INTO reference_counters (organisation_id, prefix, year, last_number) VALUES (?, ?, ?, 1) \
                 ON CONFLICT (organisation_id, prefix, year) \
                 DO UPDATE SET last_number = reference_counters.last_number + 1 RETURNING last_number",
            ))
            .bind(org)
            .bind(kind.prefix())
            .bind(i64::from(year))
            .fetch_one(&mut **tx)
            .await?;
            let (mut contact, event) = build(Reference::new(kind, year, number))?;
            Self::write_new_contacts(tx, org, &[(submission_key, &contact, &event)]).await?;
            contact.version = 1;
            Ok(Inserted::New(contact))
        }

        /// New contacts with their people, first events and search text: one statement per
        /// table however many there are.
        async fn write_new_contacts(
            tx: &mut sqlx::Transaction<'static, $db>,
            org: &str,
            rows: &[(Option<&str>, &Contact, &Event)],
        ) -> Result<(), StoreError> {
            if rows.is_empty() {
                return Ok(());
            }
            let now = micros(Timestamp::now());
            // Everything that can fail is worked out before the statements are built.
            struct Prepared {
                person_id: Option<String>,
                needs: Option<String>,
                representative: Option<String>,
                case_state: String,
                list_key: String,
                search: String,
            }
            let mut prepared = Vec::with_capacity(rows.len());
            for (_, contact, _) in rows {
                let d = &contact.detail;
                prepared.push(Prepared {
                    person_id: d.person.as_ref().map(|_| uuid::Uuid::now_v7().to_string()),
                    needs: d.person.as_ref().map(|p| serde_json::to_string(&p.needs)).transpose().map_err(StoreError::corrupt)?,
                    representative: d.representative.as_ref().map(serde_json::to_string).transpose().map_err(StoreError::corrupt)?,
                    case_state: serde_json::to_string(&contact.case).map_err(StoreError::corrupt)?,
                    list_key: crate::backend::list_key(contact),
                    search: crate::model::search_body(contact),
                });
            }
            if rows.iter().any(|(_, c, _)| c.detail.person.is_some()) {
                let mut q = sqlx::QueryBuilder::<$db>::new(
                    "INSERT INTO people (id, organisation_id, name, email, phone, address, postcode, needs, created_at) ",
                );
                q.push_values(
                    rows.iter().zip(&prepared).filter_map(|((_, c, _), p)| c.detail.person.as_ref().map(|person| (person, p))),
                    |mut b, (person, p)| {
                        b.push_bind(p.person_id.clone())
                            .push_bind(org.to_string())
                            .push_bind(person.name.as_str().to_string())
                            .push_bind(person.email.clone())
                            .push_bind(person.phone.clone())
                            .push_bind(person.address.as_ref().map(|t| t.as_str().to_string()))
                            .push_bind(person.postcode.clone())
                            .push_bind(p.needs.clone())
                            .push_bind(now);
                    },
                );
                q.build().execute(&mut **tx).await?;
            }
            let mut q = sqlx::QueryBuilder::<$db>::new(
                "INSERT INTO contacts (id, organisation_id, reference, kind, channel, status, stage, scheme, \
                 received_at, received_on, person_id, representative, service_area_id, property_ref, tenure, summary, \
                 outcome_wanted, issue_date, safeguarding, about_vulnerable_group, wants_reply, staff_named, other_route, \
                 priority, acknowledge_by, acknowledged_on, respond_by, responded_on, closed_on, case_state, officer_id, \
                 handler_id, paused, submission_key, list_key, version, created_at, updated_at) ",
            );
            q.push_values(rows.iter().zip(&prepared), |mut b, ((key, contact, _), p)| {
                let d = &contact.detail;
                b.push_bind(contact.id.clone())
                    .push_bind(org.to_string())
                    .push_bind(contact.reference.as_str().to_string())
                    .push_bind(d.kind.as_str())
                    .push_bind(d.channel.as_str())
                    .push_bind(contact.status.as_str())
                    .push_bind(i64::from(contact.stage()))
                    .push_bind(contact.scheme.clone())
                    .push_bind(micros(d.received_at))
                    .push_bind(contact.received_on.to_string())
                    .push_bind(p.person_id.clone())
                    .push_bind(p.representative.clone())
                    .push_bind(d.service_area.clone())
                    .push_bind(d.property_ref.as_ref().map(|t| t.as_str().to_string()))
                    .push_bind(d.tenure.map(|t| t.as_str()))
                    .push_bind(d.summary.as_str().to_string())
                    .push_bind(d.outcome_wanted.as_ref().map(|t| t.as_str().to_string()))
                    .push_bind(d.issue_date.map(|t| t.to_string()))
                    .push_bind(d.safeguarding)
                    .push_bind(d.about_vulnerable_group)
                    .push_bind(d.wants_reply)
                    .push_bind(d.staff_named.as_ref().map(|t| t.as_str().to_string()))
                    .push_bind(d.other_route.map(|t| t.as_str()))
                    .push_bind(i64::from(contact.is_priority()))
                    .push_bind(contact.acknowledge_by().map(|t| t.to_string()))
                    .push_bind(contact.acknowledged_on().map(|t| t.to_string()))
                    .push_bind(contact.respond_by().map(|t| t.to_string()))
                    .push_bind(contact.responded_on().map(|t| t.to_string()))
                    .push_bind(contact.closed_on.map(|t| t.to_string()))
                    .push_bind(p.case_state.clone())
                    .push_bind(contact.case.officer.as_ref().map(|a| a.user_id.clone()))
                    .push_bind(contact.handler().map(|a| a.user_id.clone()))
                    .push_bind(contact.case.paused.is_some())
                    .push_bind(key.map(str::to_string))
                    .push_bind(p.list_key.clone())
                    .push_bind(1_i64)
                    .push_bind(now)
                    .push_bind(now);
            });
            q.build()
                .execute(&mut **tx)
                .await
                .map_err(|e| unique(e, "a contact with this submission"))?;
            // A new contact's first event is the first in its history.
            let mut q = sqlx::QueryBuilder::<$db>::new(
                "INSERT INTO contact_events (id, contact_id, seq, kind, at, actor_id, actor_name, summary, detail) ",
            );
            q.push_values(rows, |mut b, (_, contact, event)| {
                b.push_bind(uuid::Uuid::now_v7().to_string())
                    .push_bind(contact.id.clone())
                    .push_bind(1_i64)
                    .push_bind(event.kind.as_str())
                    .push_bind(micros(event.at))
                    .push_bind(event.actor.user_id.clone())
                    .push_bind(event.actor.name.clone())
                    .push_bind(event.summary.clone())
                    .push_bind(event.detail.to_string());
            });
            q.build().execute(&mut **tx).await?;
            // Where search entries are found by a number kept on the contact (SQLite), the new
            // contacts are numbered and their entries take the same number as their rowid.
            let numbered = Self::ROW_KEY == "search_row";
            if numbered {
                // Each takes the next number after the highest (indexed), whatever rowids
                // the file has given.
                for (_, contact, _) in rows {
                    sqlx::query(Self::sql(
                        "UPDATE contacts SET search_row = (SELECT COALESCE(MAX(search_row), 0) + 1 FROM contacts) WHERE id = ?",
                    ))
                    .bind(&contact.id)
                    .execute(&mut **tx)
                    .await?;
                }
            }
            let mut q = sqlx::QueryBuilder::<$db>::new(if numbered {
                "INSERT INTO contact_search (rowid, contact_id, body) \
                 SELECT c.search_row, c.id, v.column2 FROM contacts c JOIN ("
            } else {
                "INSERT INTO contact_search (contact_id, body) "
            });
            q.push_values(rows.iter().zip(&prepared), |mut b, ((_, contact, _), p)| {
                b.push_bind(contact.id.clone()).push_bind(p.search.clone());
            });
            if numbered {
                q.push(") AS v ON v.column1 = c.id");
            }
            q.build().execute(&mut **tx).await?;
            // A new case seldom has remedies or orders yet; only those that do are written.
            for (_, contact, _) in rows {
                if !contact.case.remedies.is_empty() || !contact.case.referrals.is_empty() {
                    Self::write_actions(tx, contact).await?;
                }
            }
            Ok(())
        }

        async fn write_actions(tx: &mut sqlx::Transaction<'static, $db>, contact: &Contact) -> Result<(), StoreError> {
            sqlx::query(Self::sql("DELETE FROM case_actions WHERE contact_id = ?"))
                .bind(&contact.id)
                .execute(&mut **tx)
                .await?;
            let remedies = contact.case.remedies.iter().map(|r| {
                ("remedy", r.id, r.description.as_str(), Some(r.owner.name.as_str()), r.due, r.done_on, r.payment.as_ref().map(|p| p.amount.0))
            });
            let orders = contact.case.referrals.iter().flat_map(|f| f.orders.iter()).map(|o| {
                ("order", o.id, o.description.as_str(), None, o.due, o.complied_on, None)
            });
            for (kind, id, description, owner, due, done, amount) in remedies.chain(orders) {
                sqlx::query(Self::sql(
                    "INSERT INTO case_actions (contact_id, kind, item_id, description, owner_name, due, done_on, amount_pence) \
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                ))
                .bind(&contact.id)
                .bind(kind)
                .bind(i64::from(id))
                .bind(description)
                .bind(owner)
                .bind(due.to_string())
                .bind(done.map(|d| d.to_string()))
                .bind(amount)
                .execute(&mut **tx)
                .await?;
            }
            Ok(())
        }

        pub(crate) async fn workload(&self, org: &str, today: Date) -> Result<Vec<Workload>, StoreError> {
            let rows = sqlx::query(Self::sql(
                "SELECT u.id, u.name, \
                 (SELECT COUNT(*) FROM contacts c WHERE c.organisation_id = ? AND c.officer_id = u.id \
                    AND c.status IN ('received', 'acknowledged')) AS as_officer, \
                 (SELECT COUNT(*) FROM contacts c WHERE c.organisation_id = ? AND c.handler_id = u.id \
                    AND c.status IN ('received', 'acknowledged')) AS as_case_worker, \
                 (SELECT COUNT(*) FROM contacts c WHERE c.organisation_id = ? \
                    AND (c.officer_id = u.id OR c.handler_id = u.id) AND c.status IN ('received', 'acknowledged') \
                    AND (c.respond_by < ? OR (c.status = 'received' AND c.acknowledge_by < ?))) AS overdue \
                 FROM users u WHERE u.active = ? ORDER BY u.name",
            ))
            .bind(org)
            .bind(org)
            .bind(org)
            .bind(today.to_string())
            .bind(today.to_string())
            .bind(true)
            .fetch_all(&self.pool)
            .await?;
            rows.iter()
                .map(|r| {
                    Ok(Workload {
                        user_id: r.try_get("id")?,
                        name: r.try_get("name")?,
                        as_officer: r.try_get("as_officer")?,
                        as_case_worker: r.try_get("as_case_worker")?,
                        overdue: r.try_get("overdue")?,
                    })
                })
                .collect()
        }

        pub(crate) async fn open_actions(&self, org: &str, due_before: Option<Date>) -> Result<Vec<OpenAction>, StoreError> {
            let rows = sqlx::query(Self::sql(
                "SELECT c.reference, c.service_area_id, a.kind, a.item_id, a.description, a.owner_name, a.due, a.amount_pence \
                 FROM case_actions a JOIN contacts c ON c.id = a.contact_id \
                 WHERE c.organisation_id = ? AND a.done_on IS NULL AND a.due < ? ORDER BY a.due, c.reference, a.item_id",
            ))
            .bind(org)
            .bind(due_before.map(|d| d.to_string()).unwrap_or_else(|| "9999-12-31".into()))
            .fetch_all(&self.pool)
            .await?;
            rows.iter()
                .map(|r| {
                    Ok(OpenAction {
                        reference: Reference::from_trusted(r.try_get("reference")?),
                        service_area: r.try_get("service_area_id")?,
                        kind: r.try_get("kind")?,
                        item_id: r.try_get("item_id")?,
                        description: r.try_get("description")?,
                        owner: r.try_get("owner_name")?,
                        due: crate::backend::date(&r.try_get::<String, _>("due")?)?,
                        amount_pence: r.try_get("amount_pence")?,
                    })
                })
                .collect()
        }


        async fn write_letters(tx: &mut sqlx::Transaction<'static, $db>, contact_id: &str, letters: &[Letter]) -> Result<(), StoreError> {
            Self::write_outbox(tx, "INSERT INTO letters (id, contact_id", contact_id, letters).await
        }

        /// Keeps letters as written and puts emails in an outbox: `insert` names the table
        /// and the column of what the letters belong to (a case, or a scrutiny request).
        pub(crate) async fn write_outbox(
            tx: &mut sqlx::Transaction<'static, $db>,
            insert: &'static str,
            owner_id: &str,
            letters: &[Letter],
        ) -> Result<(), StoreError> {
            let now = micros(Timestamp::now());
            for l in letters {
                let status = match l.delivery {
                    Delivery::Email => "pending",
                    Delivery::Post => "to-print",
                };
                sqlx::query(Self::sql_owned(format!(
                    "{insert}, kind, delivery, recipient, large_print, subject, body, created_at, \
                     status, attempts, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)"
                )))
                .bind(uuid::Uuid::now_v7().to_string())
                .bind(owner_id.to_string())
                .bind(l.kind.as_str())
                .bind(l.delivery.as_str())
                .bind(l.recipient.clone())
                .bind(l.large_print)
                .bind(l.subject.clone())
                .bind(l.body.clone())
                .bind(now)
                .bind(status)
                .bind(now)
                .execute(&mut **tx)
                .await?;
            }
            Ok(())
        }

        fn letter_from_row(r: &<$db as sqlx::Database>::Row) -> Result<StoredLetter, StoreError> {
            Ok(StoredLetter {
                id: r.try_get("id")?,
                contact_id: r.try_get("contact_id")?,
                reference: Reference::from_trusted(r.try_get("reference")?),
                kind: LetterKind::parse(&r.try_get::<String, _>("kind")?).map_err(StoreError::corrupt)?,
                delivery: Delivery::parse(&r.try_get::<String, _>("delivery")?).map_err(StoreError::corrupt)?,
                recipient: r.try_get("recipient")?,
                large_print: r.try_get("large_print")?,
                subject: r.try_get("subject")?,
                body: r.try_get("body")?,
                created_at: crate::backend::timestamp(r.try_get("created_at")?)?,
                status: r.try_get("status")?,
                attempts: r.try_get("attempts")?,
                sent_at: r.try_get::<Option<i64>, _>("sent_at")?.map(crate::backend::timestamp).transpose()?,
                last_error: r.try_get("last_error")?,
            })
        }

        pub(crate) async fn letters_where(&self, clause: &'static str, org: &str, value: &str) -> Result<Vec<StoredLetter>, StoreError> {
            let rows = sqlx::query(Self::sql_owned(format!(
                "SELECT l.*, c.reference FROM letters l JOIN contacts c ON c.id = l.contact_id \
                 WHERE c.organisation_id = ? AND {clause} ORDER BY l.created_at, l.id"
            )))
            .bind(org.to_string())
            .bind(value.to_string())
            .fetch_all(&self.pool)
            .await?;
            rows.iter().map(Self::letter_from_row).collect()
        }

        pub(crate) async fn claim_outbox(&self, now: Timestamp, lease_until: Timestamp, limit: i64) -> Result<Vec<StoredLetter>, StoreError> {
            let mut claimed = self
                .claim_outbox_from("letters", "SELECT l.*, c.reference FROM letters l JOIN contacts c ON c.id = l.contact_id WHERE l.id = ?", now, lease_until, limit)
                .await?;
            let room = limit - claimed.len() as i64;
            if room > 0 {
                let more = self
                    .claim_outbox_from(
                        "scrutiny_messages",
                        "SELECT m.*, m.request_id AS contact_id, r.reference FROM scrutiny_messages m \
                         JOIN scrutiny_requests r ON r.id = m.request_id WHERE m.id = ?",
                        now,
                        lease_until,
                        room,
                    )
                    .await;
                match more {
                    Ok(more) => claimed.extend(more),
                    // What is already claimed must still go out, or it would sit as
                    // "sending" and later be set aside; the rest waits for the next round.
                    Err(_) if !claimed.is_empty() => {}
                    Err(e) => return Err(e),
                }
            }
            Ok(claimed)
        }

        /// Claims due emails from one outbox table: case letters, or letters to people who
        /// asked for scrutiny.
        async fn claim_outbox_from(&self, table: &'static str, read: &'static str, now: Timestamp, lease_until: Timestamp, limit: i64) -> Result<Vec<StoredLetter>, StoreError> {
            let mut tx = self.begin_write().await?;
            // A send that was interrupted may have reached the mail server: never resend it
            // automatically, flag it for a person to check.
            sqlx::query(Self::sql_owned(format!("UPDATE {table} SET status = 'check' WHERE status = 'sending' AND claimed_until < ?")))
                .bind(micros(now))
                .execute(&mut *tx)
                .await?;
            let ids: Vec<String> = sqlx::query_scalar(Self::sql_owned(format!(
                "SELECT id FROM {table} WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?{}",
                Self::CLAIM_LOCK
            )))
            .bind(micros(now))
            .bind(limit)
            .fetch_all(&mut *tx)
            .await?;
            let mut claimed = Vec::new();
            for id in ids {
                let updated = sqlx::query(Self::sql_owned(format!(
                    "UPDATE {table} SET status = 'sending', claimed_until = ?, attempts = attempts + 1 \
                     WHERE id = ? AND status = 'pending'",
                )))
                .bind(micros(lease_until))
                .bind(&id)
                .execute(&mut *tx)
                .await?;
                if updated.rows_affected() == 1 {
                    let row = sqlx::query(Self::sql(read)).bind(&id).fetch_one(&mut *tx).await?;
                    claimed.push(Self::letter_from_row(&row)?);
                }
            }
            tx.commit().await?;
            Ok(claimed)
        }

        pub(crate) async fn mark_letter(&self, id: &str, status: &str, at: Timestamp, error: Option<&str>, next_attempt_at: Option<Timestamp>) -> Result<(), StoreError> {
            // Ids are unique across both outboxes, so the row is in one table or the other.
            for table in ["letters", "scrutiny_messages"] {
                let done = sqlx::query(Self::sql_owned(format!(
                    "UPDATE {table} SET status = ?, sent_at = CASE WHEN ? IN ('sent', 'printed') THEN ? ELSE sent_at END, \
                     last_error = ?, next_attempt_at = COALESCE(?, next_attempt_at), claimed_until = NULL WHERE id = ?"
                )))
                .bind(status.to_string())
                .bind(status.to_string())
                .bind(micros(at))
                .bind(error.map(str::to_string))
                .bind(next_attempt_at.map(micros))
                .bind(id.to_string())
                .execute(&self.pool)
                .await?;
                if done.rows_affected() > 0 {
                    break;
                }
            }
            Ok(())
        }

        pub(crate) async fn letter_template(&self, org: &str, kind: LetterKind) -> Result<Option<Template>, StoreError> {
            let row = sqlx::query(Self::sql(
                "SELECT subject, body FROM letter_templates WHERE organisation_id = ? AND kind = ?",
            ))
            .bind(org)
            .bind(kind.as_str())
            .fetch_optional(&self.pool)
            .await?;
            row.map(|r| Ok(Template { subject: r.try_get("subject")?, body: r.try_get("body")? })).transpose()
        }

        pub(crate) async fn save_letter_template(&self, org: &str, kind: LetterKind, t: &Template, at: Timestamp) -> Result<(), StoreError> {
            sqlx::query(Self::sql(
                "INSERT INTO letter_templates (organisation_id, kind, subject, body, updated_at) VALUES (?, ?, ?, ?, ?) \
                 ON CONFLICT (organisation_id, kind) DO UPDATE SET subject = excluded.subject, body = excluded.body, \
                 updated_at = excluded.updated_at",
            ))
            .bind(org)
            .bind(kind.as_str())
            .bind(&t.subject)
            .bind(&t.body)
            .bind(micros(at))
            .execute(&self.pool)
            .await?;
            Ok(())
        }


        pub(crate) async fn deadlines_due(&self, org: &str, by: Date) -> Result<Vec<DueCase>, StoreError> {
            let rows = sqlx::query(Self::sql(
                "SELECT id, reference, status, acknowledge_by, respond_by, officer_id, handler_id FROM contacts \
                 WHERE organisation_id = ? AND status IN ('received', 'acknowledged') AND paused = ? \
                 AND ((status = 'received' AND acknowledge_by <= ?) OR respond_by <= ?) ORDER BY reference",
            ))
            .bind(org)
            .bind(false)
            .bind(by.to_string())
            .bind(by.to_string())
            .fetch_all(&self.pool)
            .await?;
            rows.iter()
                .map(|r| {
                    Ok(DueCase {
                        contact_id: r.try_get("id")?,
                        reference: Reference::from_trusted(r.try_get("reference")?),
                        status: ContactStatus::parse(&r.try_get::<String, _>("status")?).map_err(StoreError::corrupt)?,
                        acknowledge_by: crate::backend::date_opt(r.try_get("acknowledge_by")?)?,
                        respond_by: crate::backend::date_opt(r.try_get("respond_by")?)?,
                        officer_id: r.try_get("officer_id")?,
                        handler_id: r.try_get("handler_id")?,
                    })
                })
                .collect()
        }

        pub(crate) async fn record_reminder(&self, contact_id: &str, deadline: &str, due: Date, kind: &str, letters: &[Letter]) -> Result<bool, StoreError> {
            let mut tx = self.begin_write().await?;
            let inserted = sqlx::query(Self::sql(
                "INSERT INTO reminders (contact_id, deadline, due, kind, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            ))
            .bind(contact_id)
            .bind(deadline)
            .bind(due.to_string())
            .bind(kind)
            .bind(micros(Timestamp::now()))
            .execute(&mut *tx)
            .await?;
            if inserted.rows_affected() == 0 {
                tx.rollback().await?;
                return Ok(false);
            }
            Self::write_letters(&mut tx, contact_id, letters).await?;
            tx.commit().await?;
            Ok(true)
        }


        pub(crate) async fn record_login(&self, email: &str, at: Timestamp, succeeded: bool) -> Result<(), StoreError> {
            sqlx::query(Self::sql("INSERT INTO login_attempts (email, at, succeeded) VALUES (?, ?, ?)"))
                .bind(email.trim().to_lowercase())
                .bind(micros(at))
                .bind(succeeded)
                .execute(&self.pool)
                .await?;
            Ok(())
        }

        pub(crate) async fn recent_failures(&self, email: &str, since: Timestamp) -> Result<Vec<Timestamp>, StoreError> {
            // Failures since the last success only: signing in correctly clears the count.
            let rows: Vec<i64> = sqlx::query_scalar(Self::sql(
                "SELECT at FROM login_attempts WHERE email = ? AND at >= ? AND succeeded = ? \
                 AND at > COALESCE((SELECT MAX(at) FROM login_attempts WHERE email = ? AND succeeded = ?), 0) ORDER BY at",
            ))
            .bind(email.trim().to_lowercase())
            .bind(micros(since))
            .bind(false)
            .bind(email.trim().to_lowercase())
            .bind(true)
            .fetch_all(&self.pool)
            .await?;
            rows.into_iter().map(crate::backend::timestamp).collect()
        }

        pub(crate) async fn record_view(&self, contact_id: &str, user_id: &str, user_name: &str, at: Timestamp, via: &str) -> Result<(), StoreError> {
            sqlx::query(Self::sql("INSERT INTO case_views (contact_id, user_id, user_name, at, via) VALUES (?, ?, ?, ?, ?)"))
                .bind(contact_id)
                .bind(user_id)
                .bind(user_name)
                .bind(micros(at))
                .bind(via)
                .execute(&self.pool)
                .await?;
            Ok(())
        }

        pub(crate) async fn views(&self, contact_id: &str, limit: i64) -> Result<Vec<(String, Timestamp, String)>, StoreError> {
            let rows = sqlx::query(Self::sql(
                "SELECT user_name, at, via FROM case_views WHERE contact_id = ? ORDER BY at DESC LIMIT ?",
            ))
            .bind(contact_id)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
            rows.iter()
                .map(|r| Ok((r.try_get("user_name")?, crate::backend::timestamp(r.try_get("at")?)?, r.try_get("via")?)))
                .collect()
        }


        pub(crate) async fn create_resident_session(&self, token_hash: &str, contact_id: &str, at: Timestamp, expires_at: Timestamp) -> Result<(), StoreError> {
            sqlx::query(Self::sql(
                "INSERT INTO resident_sessions (token_hash, contact_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
            ))
            .bind(token_hash)
            .bind(contact_id)
            .bind(micros(at))
            .bind(micros(expires_at))
            .execute(&self.pool)
            .await?;
            Ok(())
        }

        pub(crate) async fn resident_session(&self, token_hash: &str, now: Timestamp) -> Result<Option<String>, StoreError> {
            Ok(sqlx::query_scalar(Self::sql(
                "SELECT contact_id FROM resident_sessions WHERE token_hash = ? AND expires_at > ?",
            ))
            .bind(token_hash)
            .bind(micros(now))
            .fetch_optional(&self.pool)
            .await?)
        }

        pub(crate) async fn delete_resident_session(&self, token_hash: &str) -> Result<(), StoreError> {
            sqlx::query(Self::sql("DELETE FROM resident_sessions WHERE token_hash = ?"))
                .bind(token_hash)
                .execute(&self.pool)
                .await?;
            Ok(())
        }

        pub(crate) async fn contact_by_id(&self, org: &str, id: &str) -> Result<Option<Contact>, StoreError> {
            Self::contact_where(&self.pool, "c.id = ?", org, id).await
        }


        pub(crate) async fn log_admin(&self, org: &str, at: Timestamp, actor: &str, summary: &str) -> Result<(), StoreError> {
            sqlx::query(Self::sql("INSERT INTO admin_log (id, organisation_id, at, actor_name, summary) VALUES (?, ?, ?, ?, ?)"))
                .bind(uuid::Uuid::now_v7().to_string())
                .bind(org)
                .bind(micros(at))
                .bind(actor)
                .bind(summary)
                .execute(&self.pool)
                .await?;
            Ok(())
        }

        pub(crate) async fn admin_log(&self, org: &str, limit: i64) -> Result<Vec<(Timestamp, String, String)>, StoreError> {
            let rows = sqlx::query(Self::sql(
                "SELECT at, actor_name, summary FROM admin_log WHERE organisation_id = ? ORDER BY at DESC, id DESC LIMIT ?",
            ))
            .bind(org)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
            rows.iter()
                .map(|r| Ok((crate::backend::timestamp(r.try_get("at")?)?, r.try_get("actor_name")?, r.try_get("summary")?)))
                .collect()
        }

        pub(crate) async fn update_user(&self, id: &str, role: Role, active: bool) -> Result<bool, StoreError> {
            let done = sqlx::query(Self::sql("UPDATE users SET role = ?, active = ? WHERE id = ?"))
                .bind(role.as_str())
                .bind(active)
                .bind(id)
                .execute(&self.pool)
                .await?;
            Ok(done.rows_affected() == 1)
        }


        pub(crate) async fn add_restriction(&self, org: &str, id: &str, person: RestrictedPerson<'_>, r: &Restriction, at: Timestamp) -> Result<(), StoreError> {
            sqlx::query(Self::sql(
                "INSERT INTO restrictions (id, organisation_id, person_name, email, phone_digits, detail, review_on, ended_on, created_at, contact_id) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            ))
            .bind(id)
            .bind(org)
            .bind(person.name)
            .bind(person.email.map(str::to_lowercase))
            .bind(person.phone_digits)
            .bind(serde_json::to_string(r).map_err(StoreError::corrupt)?)
            .bind(r.review_on.to_string())
            .bind(r.ended_on.map(|d| d.to_string()))
            .bind(micros(at))
            .bind(person.contact_id)
            .execute(&self.pool)
            .await?;
            Ok(())
        }

        pub(crate) async fn restrictions_for(&self, org: &str, email: Option<&str>, phone_digits: Option<&str>) -> Result<Vec<(String, String, Restriction)>, StoreError> {
            let rows = sqlx::query(Self::sql(
                "SELECT id, person_name, detail FROM restrictions WHERE organisation_id = ? \
                 AND ((email IS NOT NULL AND email = ?) OR (phone_digits IS NOT NULL AND phone_digits = ?)) ORDER BY created_at",
            ))
            .bind(org)
            .bind(email.map(str::to_lowercase).unwrap_or_default())
            .bind(phone_digits.unwrap_or_default())
            .fetch_all(&self.pool)
            .await?;
            rows.iter()
                .map(|r| {
                    Ok((
                        r.try_get("id")?,
                        r.try_get("person_name")?,
                        serde_json::from_str(&r.try_get::<String, _>("detail")?).map_err(StoreError::corrupt)?,
                    ))
                })
                .collect()
        }

        pub(crate) async fn end_restriction(&self, org: &str, id: &str, on: Date) -> Result<bool, StoreError> {
            let row: Option<String> = sqlx::query_scalar(Self::sql("SELECT detail FROM restrictions WHERE organisation_id = ? AND id = ?"))
                .bind(org)
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
            let Some(json) = row else { return Ok(false) };
            let mut r: Restriction = serde_json::from_str(&json).map_err(StoreError::corrupt)?;
            r.ended_on = Some(on);
            sqlx::query(Self::sql("UPDATE restrictions SET detail = ?, ended_on = ? WHERE organisation_id = ? AND id = ?"))
                .bind(serde_json::to_string(&r).map_err(StoreError::corrupt)?)
                .bind(on.to_string())
                .bind(org)
                .bind(id)
                .execute(&self.pool)
                .await?;
            Ok(true)
        }

        async fn append_events(
            tx: &mut sqlx::Transaction<'static, $db>,
            contact_id: &str,
            events: &[Event],
        ) -> Result<(), StoreError> {
            let last: Option<i64> =
                sqlx::query_scalar(Self::sql("SELECT MAX(seq) FROM contact_events WHERE contact_id = ?"))
                    .bind(contact_id)
                    .fetch_one(&mut **tx)
                    .await?;
            let mut seq = last.unwrap_or(0);
            for event in events {
                seq += 1;
                sqlx::query(Self::sql(
                    "INSERT INTO contact_events (id, contact_id, seq, kind, at, actor_id, actor_name, summary, detail) \
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                ))
                .bind(uuid::Uuid::now_v7().to_string())
                .bind(contact_id)
                .bind(seq)
                .bind(event.kind.as_str())
                .bind(micros(event.at))
                .bind(event.actor.user_id.as_deref())
                .bind(&event.actor.name)
                .bind(&event.summary)
                .bind(event.detail.to_string())
                .execute(&mut **tx)
                .await?;
            }
            Ok(())
        }

        /// Writes the case's new state if nobody else saved it since it was read.
        async fn update_case_row(tx: &mut sqlx::Transaction<'static, $db>, contact: &Contact) -> Result<bool, StoreError> {
            let representative = contact
                .detail
                .representative
                .as_ref()
                .map(serde_json::to_string)
                .transpose()
                .map_err(StoreError::corrupt)?;
            // Read before the row changes; if someone else changed it meanwhile, the
            // version check below refuses this write.
            let Some((org, before)) = Self::row_as_stored(tx, &contact.id).await? else {
                return Ok(false);
            };
            let before = redress_domain::figures::of_case(&before);
            let updated = sqlx::query(Self::sql(
                "UPDATE contacts SET kind = ?, other_route = ?, status = ?, stage = ?, scheme = ?, service_area_id = ?, priority = ?, \
                 acknowledge_by = ?, acknowledged_on = ?, respond_by = ?, responded_on = ?, closed_on = ?, \
                 case_state = ?, officer_id = ?, handler_id = ?, paused = ?, representative = ?, list_key = ?, version = version + 1, \
                 updated_at = ? WHERE id = ? AND version = ?",
            ))
            .bind(contact.detail.kind.as_str())
            .bind(contact.detail.other_route.map(|r| r.as_str()))
            .bind(contact.status.as_str())
            .bind(i64::from(contact.stage()))
            .bind(&contact.scheme)
            .bind(contact.detail.service_area.as_deref())
            .bind(i64::from(contact.is_priority()))
            .bind(contact.acknowledge_by().map(|t| t.to_string()))
            .bind(contact.acknowledged_on().map(|t| t.to_string()))
            .bind(contact.respond_by().map(|t| t.to_string()))
            .bind(contact.responded_on().map(|t| t.to_string()))
            .bind(contact.closed_on.map(|t| t.to_string()))
            .bind(serde_json::to_string(&contact.case).map_err(StoreError::corrupt)?)
            .bind(contact.case.officer.as_ref().map(|a| a.user_id.clone()))
            .bind(contact.handler().map(|a| a.user_id.clone()))
            .bind(contact.case.paused.is_some())
            .bind(representative)
            .bind(crate::backend::list_key(contact))
            .bind(micros(Timestamp::now()))
            .bind(&contact.id)
            .bind(contact.version)
            .execute(&mut **tx)
            .await?;
            if updated.rows_affected() != 1 {
                return Ok(false);
            }
            Self::put_figures(tx, &org, &[(contact, before)]).await?;
            Ok(true)
        }

        pub(crate) async fn save_contact(&self, contact: &Contact, events: &[Event], letters: &[Letter]) -> Result<(), StoreError> {
            self.save_contact_with_file(contact, events, letters, None).await
        }

        /// Saves the change and, in the same transaction, a file's bytes.
        pub(crate) async fn save_contact_with_file(
            &self,
            contact: &Contact,
            events: &[Event],
            letters: &[Letter],
            file: Option<(&str, &[u8])>,
        ) -> Result<(), StoreError> {
            let mut tx = self.begin_write().await?;
            if !Self::update_case_row(&mut tx, contact).await? {
                tx.rollback().await?;
                return Err(StoreError::Conflict);
            }
            Self::append_events(&mut tx, &contact.id, events).await?;
            Self::write_actions(&mut tx, contact).await?;
            Self::write_letters(&mut tx, &contact.id, letters).await?;
            if let Some((id, bytes)) = file {
                sqlx::query(Self::sql("INSERT INTO attachments (id, contact_id, data) VALUES (?, ?, ?)"))
                    .bind(id)
                    .bind(&contact.id)
                    .bind(bytes)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok(())
        }

        pub(crate) async fn attachment(&self, contact_id: &str, id: &str) -> Result<Option<Vec<u8>>, StoreError> {
            Ok(sqlx::query_scalar(Self::sql("SELECT data FROM attachments WHERE contact_id = ? AND id = ?"))
                .bind(contact_id)
                .bind(id)
                .fetch_optional(&self.pool)
                .await?)
        }

        pub(crate) async fn events(&self, contact_id: &str) -> Result<Vec<Event>, StoreError> {
            let rows = sqlx::query(Self::sql(
                "SELECT kind, at, actor_id, actor_name, summary, detail FROM contact_events \
                 WHERE contact_id = ? ORDER BY seq",
            ))
            .bind(contact_id)
            .fetch_all(&self.pool)
            .await?;
            rows.iter().map(Self::event_row).collect()
        }

        fn event_row(r: &<$db as sqlx::Database>::Row) -> Result<Event, StoreError> {
            Ok(Event {
                kind: EventKind::parse(&r.try_get::<String, _>("kind")?).map_err(StoreError::corrupt)?,
                at: crate::backend::timestamp(r.try_get("at")?)?,
                actor: Actor {
                    user_id: r.try_get("actor_id")?,
                    name: r.try_get("actor_name")?,
                },
                summary: r.try_get("summary")?,
                detail: serde_json::from_str(&r.try_get::<String, _>("detail")?).map_err(StoreError::corrupt)?,
            })
        }

        pub(crate) async fn list_contacts(&self, org: &str, f: &ContactFilter) -> Result<Page<ContactSummary>, StoreError> {
            use crate::backend::Bind;
            let mut clauses = vec!["c.organisation_id = ?".to_string()];
            let mut binds = vec![Bind::Text(org.to_string())];
            if let Some(kind) = f.kind {
                clauses.push("c.kind = ?".into());
                binds.push(Bind::Text(kind.as_str().into()));
            }
            if let Some(status) = f.status {
                clauses.push("c.status = ?".into());
                binds.push(Bind::Text(status.as_str().into()));
            }
            if let Some(area) = &f.service_area {
                clauses.push("c.service_area_id = ?".into());
                binds.push(Bind::Text(area.clone()));
            }
            if let Some(areas) = &f.areas {
                if areas.is_empty() {
                    clauses.push("1 = 0".into());
                } else {
                    clauses.push(format!("c.service_area_id IN ({})", vec!["?"; areas.len()].join(", ")));
                    binds.extend(areas.iter().cloned().map(Bind::Text));
                }
            }
            if let Some(user) = &f.assignee {
                clauses.push("(c.officer_id = ? OR c.handler_id = ?)".into());
                binds.push(Bind::Text(user.clone()));
                binds.push(Bind::Text(user.clone()));
            }
            if let Some(stage) = f.stage {
                clauses.push("c.stage = ?".into());
                binds.push(Bind::Int(i64::from(stage)));
            }
            const OPEN: &str = "c.status IN ('received', 'acknowledged')";
            const OVERDUE: &str = "((c.status = 'received' AND c.acknowledge_by < ?) OR c.respond_by < ?)";
            match f.due {
                Some(DueFilter::Overdue { today }) => {
                    clauses.push(format!("{OPEN} AND {OVERDUE}"));
                    binds.push(Bind::Text(today.to_string()));
                    binds.push(Bind::Text(today.to_string()));
                }
                Some(DueFilter::DueBy { today, by }) => {
                    clauses.push(format!(
                        "{OPEN} AND NOT {OVERDUE} AND ((c.status = 'received' AND c.acknowledge_by <= ?) OR c.respond_by <= ?)"
                    ));
                    binds.push(Bind::Text(today.to_string()));
                    binds.push(Bind::Text(today.to_string()));
                    binds.push(Bind::Text(by.to_string()));
                    binds.push(Bind::Text(by.to_string()));
                }
                None => {}
            }
            // Control characters are never searched for, and PostgreSQL refuses a NUL.
            let typed: Option<String> = f.search.as_deref().map(|q| q.chars().filter(|c| !c.is_control()).collect());
            let mut search = None;
            if let Some(q) = typed.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
                // Found by reference and by words (the summary, names, email, postcode and
                // more, each word matched as the start of a word: "morg" finds Morgan).
                match Self::search_terms(q) {
                    Some(terms) => {
                        search = Some(crate::search::Search {
                            terms,
                            reference: Reference::parse(q).map(|r| r.as_str().to_string()),
                        })
                    }
                    // Nothing typed that could match: only punctuation or symbols.
                    None => clauses.push("1 = 0".into()),
                }
            }
            let filtered = clauses.join(" AND ");
            let per_page = f.per_page.clamp(1, crate::model::MOST_PER_PAGE);
            let page = f.page.max(1);
            let skip = i64::from(per_page) * i64::from(page - 1);
            // Counted up to a bound (at least to the page after this one, so it is known
            // whether there is a next), and one more row to know whether there are more.
            let bound = f
                .count_up_to
                .unwrap_or(if search.is_some() { crate::search::SEARCH_COUNT_UP_TO } else { crate::model::COUNT_UP_TO })
                .max(i64::from(per_page) * (i64::from(page) + 1));
            let bound = if search.is_some() { bound.min(crate::search::SEARCH_READS_AT_MOST) } else { bound };
            let (counted, ids) = if let Some(search) = &search {
                // A search reads its matches in order up to the bound: the count is how
                // many it read, the page a slice of them.
                let found = self.search_matches(org, search, &filtered, &binds, bound + 1).await?;
                let counted = i64::try_from(found.len()).unwrap_or(i64::MAX);
                let ids: Vec<String> = found
                    .into_iter()
                    .skip(usize::try_from(skip).unwrap_or(usize::MAX))
                    .take(per_page as usize)
                    .collect();
                (counted, ids)
            } else {
                // The count and the page's ids come from the contacts table and its indexes alone.
                let from = format!("FROM contacts c WHERE {filtered}");
                let count = sqlx::query_scalar::<_, i64>(Self::sql_owned(format!(
                    "SELECT COUNT(*) FROM (SELECT 1 {from} LIMIT ?) AS counted"
                )));
                let counted = crate::backend::bind_each!(count, &binds).bind(bound + 1).fetch_one(&self.pool).await?;
                let ids = sqlx::query_scalar::<_, String>(Self::sql_owned(format!(
                    "SELECT c.id {from} ORDER BY c.list_key LIMIT ? OFFSET ?"
                )));
                let ids = crate::backend::bind_each!(ids, &binds)
                    .bind(i64::from(per_page))
                    .bind(skip)
                    .fetch_all(&self.pool)
                    .await?;
                (counted, ids)
            };
            let (total, more) = (counted.min(bound), counted > bound);
            let rows = if ids.is_empty() {
                Vec::new()
            } else {
                let mut list = sqlx::query(Self::sql_owned(format!(
                    "SELECT c.id, c.reference, c.kind, c.status, c.stage, c.received_on, p.name AS p_name, sa.name AS area, \
                     c.summary, c.acknowledge_by, c.acknowledged_on, c.respond_by, c.priority \
                     FROM contacts c LEFT JOIN people p ON p.id = c.person_id \
                     LEFT JOIN service_areas sa ON sa.id = c.service_area_id \
                     WHERE c.id IN ({})",
                    vec!["?"; ids.len()].join(", ")
                )));
                for id in &ids {
                    list = list.bind(id.clone());
                }
                let mut rows = list.fetch_all(&self.pool).await?;
                // In the page's order, whichever order the rows came back in.
                let place: std::collections::HashMap<&str, usize> =
                    ids.iter().enumerate().map(|(i, id)| (id.as_str(), i)).collect();
                rows.sort_by_cached_key(|r| {
                    r.try_get::<String, _>("id").ok().and_then(|id| place.get(id.as_str()).copied())
                });
                rows
            };
            let items = rows
                .iter()
                .map(|r| {
                    let summary: String = r.try_get("summary")?;
                    Ok(ContactSummary {
                        reference: Reference::from_trusted(r.try_get("reference")?),
                        kind: ContactKind::parse(&r.try_get::<String, _>("kind")?).map_err(StoreError::corrupt)?,
                        status: ContactStatus::parse(&r.try_get::<String, _>("status")?).map_err(StoreError::corrupt)?,
                        stage: u8::try_from(r.try_get::<i64, _>("stage")?).map_err(StoreError::corrupt)?,
                        received_on: crate::backend::date(&r.try_get::<String, _>("received_on")?)?,
                        name: r.try_get("p_name")?,
                        service_area: r.try_get("area")?,
                        summary: summary.chars().take(160).collect(),
                        acknowledge_by: crate::backend::date_opt(r.try_get("acknowledge_by")?)?,
                        acknowledged_on: crate::backend::date_opt(r.try_get("acknowledged_on")?)?,
                        respond_by: crate::backend::date_opt(r.try_get("respond_by")?)?,
                        priority: r.try_get::<i64, _>("priority")? > 0,
                    })
                })
                .collect::<Result<Vec<_>, StoreError>>()?;
            Ok(Page { items, total, more, page, per_page, newest_first: search.is_some() })
        }

        pub(crate) async fn create_user(&self, user: &User, password_hash: &str, at: Timestamp) -> Result<(), StoreError> {
            sqlx::query(Self::sql(
                "INSERT INTO users (id, email, name, role, password_hash, active, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            ))
            .bind(&user.id)
            .bind(user.email.to_lowercase())
            .bind(&user.name)
            .bind(user.role.as_str())
            .bind(password_hash)
            .bind(user.active)
            .bind(micros(at))
            .execute(&self.pool)
            .await
            .map_err(|e| unique(e, "a user with this email address"))?;
            Ok(())
        }

        fn user_from_row(r: &<$db as sqlx::Database>::Row) -> Result<User, StoreError> {
            Ok(User {
                id: r.try_get("id")?,
                email: r.try_get("email")?,
                name: r.try_get("name")?,
                role: Role::parse(&r.try_get::<String, _>("role")?).map_err(StoreError::corrupt)?,
                active: r.try_get("active")?,
            })
        }

        pub(crate) async fn user_by_email(&self, email: &str) -> Result<Option<(User, String)>, StoreError> {
            let row = sqlx::query(Self::sql(
                "SELECT id, email, name, role, active, password_hash FROM users WHERE email = ?",
            ))
            .bind(email.trim().to_lowercase())
            .fetch_optional(&self.pool)
            .await?;
            row.map(|r| Ok((Self::user_from_row(&r)?, r.try_get("password_hash")?))).transpose()
        }

        pub(crate) async fn users(&self) -> Result<Vec<User>, StoreError> {
            let rows = sqlx::query(Self::sql("SELECT id, email, name, role, active FROM users ORDER BY email"))
                .fetch_all(&self.pool)
                .await?;
            rows.iter().map(Self::user_from_row).collect()
        }

        pub(crate) async fn create_session(&self, s: &SessionRecord) -> Result<(), StoreError> {
            sqlx::query(Self::sql(
                "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
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

        pub(crate) async fn session(&self, token_hash: &str, now: Timestamp) -> Result<Option<(SessionRecord, User)>, StoreError> {
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
                        created_at: crate::backend::timestamp(r.try_get("created_at")?)?,
                        expires_at: crate::backend::timestamp(r.try_get("expires_at")?)?,
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

        pub(crate) async fn create_api_token(&self, token_hash: &str, user_id: &str, label: &str, at: Timestamp) -> Result<(), StoreError> {
            sqlx::query(Self::sql(
                "INSERT INTO api_tokens (token_hash, user_id, label, created_at) VALUES (?, ?, ?, ?)",
            ))
            .bind(token_hash)
            .bind(user_id)
            .bind(label)
            .bind(micros(at))
            .execute(&self.pool)
            .await?;
            Ok(())
        }

        pub(crate) async fn save_draft(&self, id: &str, answers: &str, at: Timestamp) -> Result<(), StoreError> {
            sqlx::query(Self::sql(
                "INSERT INTO drafts (id, answers, updated_at) VALUES (?, ?, ?) \
                 ON CONFLICT (id) DO UPDATE SET answers = excluded.answers, updated_at = excluded.updated_at",
            ))
            .bind(id)
            .bind(answers)
            .bind(micros(at))
            .execute(&self.pool)
            .await?;
            Ok(())
        }

        pub(crate) async fn draft(&self, id: &str) -> Result<Option<String>, StoreError> {
            Ok(sqlx::query_scalar(Self::sql("SELECT answers FROM drafts WHERE id = ?"))
                .bind(id)
                .fetch_optional(&self.pool)
                .await?)
        }

        pub(crate) async fn user_by_api_token(&self, token_hash: &str) -> Result<Option<User>, StoreError> {
            let row = sqlx::query(Self::sql(
                "SELECT u.id, u.email, u.name, u.role, u.active FROM api_tokens t JOIN users u ON u.id = t.user_id \
                 WHERE t.token_hash = ? AND u.active = ?",
            ))
            .bind(token_hash)
            .bind(true)
            .fetch_optional(&self.pool)
            .await?;
            row.map(|r| Self::user_from_row(&r)).transpose()
        }
    };
}

pub(crate) use store_methods;

/// Turns a unique-constraint violation into a `Duplicate` naming what was duplicated.
pub(crate) fn unique(e: sqlx::Error, what: &'static str) -> StoreError {
    match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Duplicate(what),
        _ => StoreError::Database(e),
    }
}
