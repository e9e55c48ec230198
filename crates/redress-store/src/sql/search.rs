//! Searching cases by what was typed: a reference, a name, words from the summary, an
//! email address or a postcode.
//!
//! A search's results come most recently recorded first, and only as many matches are
//! read as the page and its count need. A word common to a tenth of a million cases then
//! costs about what a rare one does: the first page is a few hundred matches into the
//! word index, where putting every match into the case list's working order would mean
//! reading all of them first. Each backend walks its own index in that order.

use crate::StoreError;
use crate::postgres::PgStore;
use crate::sql::{Bind, bind_each};
use crate::sqlite::SqliteStore;

/// A search counts its matches up to this many (or to the page after the one asked for, if
/// further on), and says "more than" beyond: past a couple of hundred, another word finds
/// a case sooner than paging does.
pub const SEARCH_COUNT_UP_TO: i64 = 200;

/// The most matches one search reads, whatever page is asked for: two downloads' worth.
/// A page past them is empty and the count says "more than" this many, so no request can
/// make the server hold every match of a common word.
pub const SEARCH_READS_AT_MOST: i64 = 2 * crate::model::MOST_PER_PAGE as i64;

/// What was typed, as the word index's query, and as a reference if it reads as one.
pub(crate) struct Search {
    /// The words as the backend's full-text query (each the start of a word, all of them).
    pub terms: String,
    /// The typed text as a case reference, found exactly as well as by its words.
    pub reference: Option<String>,
}

impl SqliteStore {
    /// The word index gives its matches newest first at no extra cost (its rowids are the
    /// contacts' `search_row`, given out in the order cases were recorded), and each match
    /// is looked up among the cases for the filters, so reading stops at `limit`. The
    /// CROSS JOIN keeps that order: SQLite would otherwise be free to walk the cases and
    /// probe the index once for each, which re-reads a prefix's every entry each time.
    pub(crate) async fn search_matches(
        &self,
        org: &str,
        search: &Search,
        filtered: &str,
        binds: &[Bind],
        limit: i64,
    ) -> Result<Vec<String>, StoreError> {
        let (matches, order) = if search.reference.is_some() {
            (
                "(SELECT rowid AS k FROM contact_search WHERE contact_search MATCH ? \
                 UNION SELECT search_row FROM contacts WHERE organisation_id = ? AND reference = \
                 ?) s \
                 CROSS JOIN contacts c ON c.search_row = s.k WHERE 1 = 1",
                "s.k",
            )
        } else {
            (
                "contact_search s CROSS JOIN contacts c ON c.search_row = s.rowid \
                 WHERE s.contact_search MATCH ?",
                "s.rowid",
            )
        };
        let sql =
            format!("SELECT c.id FROM {matches} AND {filtered} ORDER BY {order} DESC LIMIT ?");
        let mut query = sqlx::query_scalar::<_, String>(SqliteStore::sql_owned(sql))
            .bind(search.terms.as_str());
        if let Some(reference) = &search.reference {
            query = query.bind(org).bind(reference.as_str());
        }
        let query = bind_each!(query, binds);
        Ok(query.bind(limit).fetch_all(&self.pool).await?)
    }
}

/// How many of the newest search entries PostgreSQL reads to judge how common a search's
/// words are, and how many of those must match for walking the entries in order to be
/// the quicker way (at one in fifty, a page and its count are within ten thousand entries).
const PROBE_ENTRIES: i64 = 1_000;
const PROBE_COMMON: i64 = 20;

impl PgStore {
    /// PostgreSQL's word index (GIN) gives an unordered set, and its planner cannot tell
    /// how many cases a word's prefix matches. So the newest entries are read first to see
    /// how common the words are: common words are checked entry by entry, newest first
    /// (`IS TRUE` keeps the index out of that plan, while the filters' own indexes stay
    /// free to use), and uncommon ones are gathered from the index and then ordered, each
    /// looked up by id (the planner, misjudging how many there are, would otherwise walk
    /// every case to meet them; `OFFSET 0` keeps the lookup its own step).
    pub(crate) async fn search_matches(
        &self,
        org: &str,
        search: &Search,
        filtered: &str,
        binds: &[Bind],
        limit: i64,
    ) -> Result<Vec<String>, StoreError> {
        let common = search.reference.is_none() && {
            let sql = "SELECT COUNT(*) FROM (SELECT document FROM contact_search ORDER BY \
                contact_id DESC LIMIT $1) newest \
                       WHERE document @@ to_tsquery('english', $2)";
            let matched: i64 = sqlx::query_scalar(sql)
                .bind(PROBE_ENTRIES)
                .bind(search.terms.as_str())
                .fetch_one(&self.pool)
                .await?;
            matched >= PROBE_COMMON
        };
        let sql = if common {
            format!(
                "SELECT c.id FROM contact_search s JOIN contacts c ON c.id = s.contact_id \
                 WHERE (s.document @@ to_tsquery('english', ?)) IS TRUE AND {filtered} \
                 ORDER BY s.contact_id DESC LIMIT ?"
            )
        } else {
            let by_reference = if search.reference.is_some() {
                " UNION SELECT id FROM contacts WHERE organisation_id = ? AND reference = ?"
            } else {
                ""
            };
            format!(
                "WITH matched AS MATERIALIZED (\
                 SELECT contact_id FROM contact_search WHERE document @@ to_tsquery('english', \
                 ?){by_reference}) \
                 SELECT c.id FROM matched m CROSS JOIN LATERAL (\
                 SELECT c.id FROM contacts c WHERE c.id = m.contact_id AND {filtered} OFFSET 0) c \
                 ORDER BY c.id DESC LIMIT ?"
            )
        };
        let mut query =
            sqlx::query_scalar::<_, String>(PgStore::sql_owned(sql)).bind(search.terms.as_str());
        if let Some(reference) = search.reference.as_ref().filter(|_| !common) {
            query = query.bind(org).bind(reference.as_str());
        }
        let query = bind_each!(query, binds);
        Ok(query.bind(limit).fetch_all(&self.pool).await?)
    }
}
