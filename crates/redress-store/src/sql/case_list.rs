//! The case list: filters, a search's matches (see `search`), counting up to a bound, and
//! one page of rows.

use crate::StoreError;
use crate::model::{ContactFilter, ContactSummary, DueFilter, Page};
use crate::postgres::PgStore;
use crate::sqlite::SqliteStore;
use redress_domain::contact::{ContactKind, ContactStatus, Reference};
use sqlx::Row;

/// The case list, written once for both backends (`$db` is the backend's sqlx database).
macro_rules! case_list_methods {
    ($db:ty) => {
        pub(crate) async fn list_contacts(
            &self,
            org: &str,
            f: &ContactFilter,
        ) -> Result<Page<ContactSummary>, StoreError> {
            use crate::sql::Bind;
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
                    clauses.push(format!(
                        "c.service_area_id IN ({})",
                        vec!["?"; areas.len()].join(", ")
                    ));
                    binds.extend(areas.iter().cloned().map(Bind::Text));
                }
            }
            if let Some(user) = &f.assignee {
                clauses.push("(c.officer_id = ? OR c.handler_id = ?)".into());
                binds.push(Bind::Text(user.clone()));
                binds.push(Bind::Text(user.clone()));
            }
            if f.open {
                clauses.push("c.status IN ('received', 'acknowledged')".into());
            }
            if f.awaiting_triage {
                clauses.push(
                    "c.status = 'received' AND c.officer_id IS NULL AND c.handler_id IS NULL"
                        .into(),
                );
            }
            if f.safeguarding_due {
                clauses.push("c.safeguarding_due = ?".into());
                binds.push(Bind::Bool(true));
            }
            if f.follow_up {
                clauses.push("c.follow_up = ?".into());
                binds.push(Bind::Bool(true));
            }
            if f.hazard_open {
                clauses.push("c.hazard_open = ?".into());
                binds.push(Bind::Bool(true));
            }
            if f.emails_waiting {
                clauses.push("c.emails_waiting = ?".into());
                binds.push(Bind::Bool(true));
            }
            if let Some(stage) = f.stage {
                clauses.push("c.stage = ?".into());
                binds.push(Bind::Int(i64::from(stage)));
            }
            const OPEN: &str = "c.status IN ('received', 'acknowledged')";
            const OVERDUE: &str =
                "((c.status = 'received' AND c.acknowledge_by < ?) OR c.respond_by < ?)";
            match f.due {
                Some(DueFilter::Overdue { today }) => {
                    clauses.push(format!("{OPEN} AND {OVERDUE}"));
                    binds.push(Bind::Text(today.to_string()));
                    binds.push(Bind::Text(today.to_string()));
                }
                Some(DueFilter::DueBy { today, by }) => {
                    clauses.push(format!(
                        "{OPEN} AND NOT {OVERDUE} AND ((c.status = 'received' \
                         AND c.acknowledge_by <= ?) OR c.respond_by <= ?)"
                    ));
                    binds.push(Bind::Text(today.to_string()));
                    binds.push(Bind::Text(today.to_string()));
                    binds.push(Bind::Text(by.to_string()));
                    binds.push(Bind::Text(by.to_string()));
                }
                None => {}
            }
            // Control characters are never searched for, and PostgreSQL refuses a NUL.
            let typed: Option<String> = f
                .search
                .as_deref()
                .map(|q| q.chars().filter(|c| !c.is_control()).collect());
            let mut search = None;
            if let Some(q) = typed.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
                // Found by reference and by words (the summary, names, email, postcode and
                // more, each word matched as the start of a word: "morg" finds Morgan).
                match Self::search_terms(q) {
                    Some(terms) => {
                        search = Some(crate::sql::search::Search {
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
                .unwrap_or(if search.is_some() {
                    crate::sql::search::SEARCH_COUNT_UP_TO
                } else {
                    crate::model::COUNT_UP_TO
                })
                .max(i64::from(per_page) * (i64::from(page) + 1));
            let bound = if search.is_some() {
                bound.min(crate::sql::search::SEARCH_READS_AT_MOST)
            } else {
                bound
            };
            let (counted, ids) = if let Some(search) = &search {
                // A search reads its matches in order up to the bound: the count is how
                // many it read, the page a slice of them.
                let found = self
                    .search_matches(org, search, &filtered, &binds, bound + 1)
                    .await?;
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
                let counted = crate::sql::bind_each!(count, &binds)
                    .bind(bound + 1)
                    .fetch_one(&self.pool)
                    .await?;
                let ids = sqlx::query_scalar::<_, String>(Self::sql_owned(format!(
                    "SELECT c.id {from} ORDER BY c.list_key LIMIT ? OFFSET ?"
                )));
                let ids = crate::sql::bind_each!(ids, &binds)
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
                    "SELECT c.id, c.reference, c.kind, c.status, c.stage, c.received_on, p.name AS \
                     p_name, sa.name AS area, \
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
                let place: std::collections::HashMap<&str, usize> = ids
                    .iter()
                    .enumerate()
                    .map(|(i, id)| (id.as_str(), i))
                    .collect();
                rows.sort_by_cached_key(|r| {
                    r.try_get::<String, _>("id")
                        .ok()
                        .and_then(|id| place.get(id.as_str()).copied())
                });
                rows
            };
            let items = rows
                .iter()
                .map(|r| {
                    let summary: String = r.try_get("summary")?;
                    Ok(ContactSummary {
                        reference: Reference::from_trusted(r.try_get("reference")?),
                        kind: ContactKind::parse(&r.try_get::<String, _>("kind")?)
                            .map_err(StoreError::corrupt)?,
                        status: ContactStatus::parse(&r.try_get::<String, _>("status")?)
                            .map_err(StoreError::corrupt)?,
                        stage: u8::try_from(r.try_get::<i64, _>("stage")?)
                            .map_err(StoreError::corrupt)?,
                        received_on: crate::sql::date(&r.try_get::<String, _>("received_on")?)?,
                        name: r.try_get("p_name")?,
                        service_area: r.try_get("area")?,
                        summary: summary.chars().take(160).collect(),
                        acknowledge_by: crate::sql::date_opt(r.try_get("acknowledge_by")?)?,
                        acknowledged_on: crate::sql::date_opt(r.try_get("acknowledged_on")?)?,
                        respond_by: crate::sql::date_opt(r.try_get("respond_by")?)?,
                        priority: r.try_get::<i64, _>("priority")? > 0,
                    })
                })
                .collect::<Result<Vec<_>, StoreError>>()?;
            Ok(Page {
                items,
                total,
                more,
                page,
                per_page,
                newest_first: search.is_some(),
            })
        }
    };
}

impl SqliteStore {
    case_list_methods!(sqlx::Sqlite);
}

impl PgStore {
    case_list_methods!(sqlx::Postgres);
}

store_api! {
    pub async fn list_contacts(
        &self,
        org: &str,
        filter: &ContactFilter,
    ) -> Result<Page<ContactSummary>, StoreError>;
}
