//! The statements of both backends, written once, by aggregate: one file per part of the
//! model, each with its methods on both backends and the `Store` methods that reach them.
//!
//! The SQL is shared. Each backend supplies, in its own file, what differs: `sql` and
//! `sql_owned` (its placeholder style), `begin_write` (how a write transaction starts),
//! `search_terms` and `search_matches` (its full-text search, in `search`), `ROW_KEY`,
//! `HOLD_CONTACTS` and `CLAIM_LOCK`. Each file's methods are one small macro expanded for
//! the two backends, because sqlx's rows and queries are typed by backend and the bounds
//! needed to write them once as generic functions would outweigh the statements.

pub(crate) mod admin_changes;
pub(crate) mod case_list;
pub(crate) mod contact_row;
pub(crate) mod contacts;
pub(crate) mod deadlines;
pub(crate) mod languages;
pub(crate) mod learning;
pub(crate) mod letters;
pub(crate) mod new_contacts;
pub(crate) mod operating;
pub(crate) mod organisation;
pub(crate) mod people;
pub(crate) mod privacy;
pub(crate) mod repeats;
pub(crate) mod reports;
pub(crate) mod restrictions;
pub(crate) mod scrutiny;
pub(crate) mod search;
pub(crate) mod sign_on;
pub(crate) mod webhooks;

pub(crate) use contact_row::{CONTACT_COLUMNS, list_key};

use crate::StoreError;
use jiff::Timestamp;
use jiff::civil::Date;

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
    Bool(bool),
}

/// Binds each value in turn to a statement assembled at run time.
macro_rules! bind_each {
    ($query:expr, $binds:expr) => {{
        let mut query = $query;
        for b in $binds {
            query = match b {
                $crate::sql::Bind::Text(s) => query.bind(s.as_str()),
                $crate::sql::Bind::Int(i) => query.bind(*i),
                $crate::sql::Bind::Bool(v) => query.bind(*v),
            };
        }
        query
    }};
}
pub(crate) use bind_each;

/// Turns a unique-constraint violation into a `Duplicate` naming what was duplicated.
pub(crate) fn unique(e: sqlx::Error, what: &'static str) -> StoreError {
    match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Duplicate(what),
        _ => StoreError::Database(e),
    }
}
