//! The two backends' schemas agree after migrating: the same tables, the same columns with
//! the same kind of value and the same NOT NULL rules, and the same named indexes on the
//! same columns, apart from the differences listed in `INTENDED`.

use redress_store::Store;
use redress_testkit::{Database, postgres_url};
use sqlx::Row;
use std::collections::BTreeSet;

/// What differs on purpose: full-text search is an FTS5 table (with its own shadow tables)
/// and a contact's `search_row` on SQLite, and a generated `tsvector` column with a GIN
/// index on PostgreSQL.
const INTENDED: &[(&str, &str)] = &[
    ("sqlite", "table contact_search_config"),
    ("sqlite", "table contact_search_content"),
    ("sqlite", "table contact_search_data"),
    ("sqlite", "table contact_search_docsize"),
    ("sqlite", "table contact_search_idx"),
    ("sqlite", "column contacts.search_row integer"),
    (
        "sqlite",
        "index contacts_search_row on contacts (search_row) unique",
    ),
    // FTS5 columns have no declared type.
    ("sqlite", "column contact_search.contact_id ?"),
    ("sqlite", "column contact_search.body ?"),
    ("postgres", "column contact_search.contact_id text not null"),
    ("postgres", "column contact_search.body text not null"),
    ("postgres", "column contact_search.document tsvector"),
    (
        "postgres",
        "index contact_search_document on contact_search (document)",
    ),
];

/// Each table, column and named index as one line, in the same words on both backends.
async fn sqlite_schema(store: &Store) -> BTreeSet<String> {
    let file = store.database_name().await.unwrap();
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{file}"))
        .await
        .unwrap();
    let mut out = BTreeSet::new();
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
         ORDER BY name",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    for table in &tables {
        out.insert(format!("table {table}"));
        let columns = sqlx::query("SELECT name, type, \"notnull\", pk FROM pragma_table_info(?)")
            .bind(table)
            .fetch_all(&pool)
            .await
            .unwrap();
        for c in columns {
            let name: String = c.get("name");
            let declared: String = c.get("type");
            // A primary key column cannot be null on PostgreSQL; on SQLite it is not
            // declared so, but Redress never writes a null to one.
            let not_null = c.get::<i64, _>("notnull") > 0 || c.get::<i64, _>("pk") > 0;
            out.insert(column(table, &name, &declared, not_null));
        }
    }
    // Indexes made by CREATE INDEX (those behind constraints have no SQL of their own).
    let indexes = sqlx::query(
        "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    for i in indexes {
        let name: String = i.get("name");
        let columns: Vec<String> =
            sqlx::query_scalar("SELECT name FROM pragma_index_info(?) ORDER BY seqno")
                .bind(&name)
                .fetch_all(&pool)
                .await
                .unwrap();
        let sql: String = i.get("sql");
        let unique = sql.to_uppercase().starts_with("CREATE UNIQUE");
        out.insert(index(
            &name,
            &i.get::<String, _>("tbl_name"),
            &columns,
            unique,
        ));
    }
    pool.close().await;
    out
}

async fn postgres_schema(store: &Store, admin_url: &str) -> BTreeSet<String> {
    let name = store.database_name().await.unwrap();
    let base = admin_url
        .rsplit_once('/')
        .map(|(b, _)| b)
        .unwrap_or(admin_url);
    let pool = sqlx::PgPool::connect(&format!("{base}/{name}"))
        .await
        .unwrap();
    let mut out = BTreeSet::new();
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables \
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    for table in &tables {
        out.insert(format!("table {table}"));
    }
    let columns = sqlx::query(
        "SELECT table_name::text AS t, column_name::text AS c, data_type::text AS d, \
         is_nullable::text AS n FROM information_schema.columns \
         WHERE table_schema = current_schema()",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    for c in columns {
        let not_null = c.get::<String, _>("n") == "NO";
        out.insert(column(
            &c.get::<String, _>("t"),
            &c.get::<String, _>("c"),
            &c.get::<String, _>("d"),
            not_null,
        ));
    }
    // Indexes made by CREATE INDEX, not those behind a primary key or unique constraint.
    let indexes = sqlx::query(
        "SELECT i.relname::text AS name, t.relname::text AS tbl, x.indisunique AS uniq, \
         ARRAY(SELECT COALESCE(a.attname::text, '(expression)') \
               FROM unnest(x.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord) \
               LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum \
               ORDER BY k.ord) AS cols \
         FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid \
         JOIN pg_class t ON t.oid = x.indrelid JOIN pg_namespace s ON s.oid = t.relnamespace \
         WHERE s.nspname = current_schema() \
         AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    for i in indexes {
        out.insert(index(
            &i.get::<String, _>("name"),
            &i.get::<String, _>("tbl"),
            &i.get::<Vec<String>, _>("cols"),
            i.get("uniq"),
        ));
    }
    pool.close().await;
    out
}

/// A column as one line, its type named by the kind of value it holds.
fn column(table: &str, name: &str, declared: &str, not_null: bool) -> String {
    let kind = match declared.to_lowercase().as_str() {
        "text" => "text",
        "bigint" | "integer" | "int" => "integer",
        "boolean" => "boolean",
        "blob" | "bytea" => "bytes",
        "real" | "double precision" | "double" => "real",
        "tsvector" => "tsvector",
        "" => "?",
        other => return format!("column {table}.{name} {other} (unknown type)"),
    };
    let null = if not_null && kind != "?" {
        " not null"
    } else {
        ""
    };
    format!("column {table}.{name} {kind}{null}")
}

fn index(name: &str, table: &str, columns: &[String], unique: bool) -> String {
    let unique = if unique { " unique" } else { "" };
    format!("index {name} on {table} ({}){unique}", columns.join(", "))
}

/// The schema without what differs on purpose on this backend; an intended difference
/// that is not there fails the test, so the list cannot go stale.
fn without_intended(backend: &str, mut schema: BTreeSet<String>) -> BTreeSet<String> {
    for (b, line) in INTENDED {
        if *b == backend {
            assert!(
                schema.remove(*line),
                "{backend} no longer has \"{line}\": take it off the list of intended differences"
            );
            // A table kept to one backend takes its columns with it.
            if let Some(table) = line.strip_prefix("table ") {
                schema.retain(|l| !l.starts_with(&format!("column {table}.")));
            }
        }
    }
    schema
}

#[tokio::test]
async fn both_backends_have_the_same_schema() {
    let lite_db = Database::sqlite();
    let sqlite = lite_db.connect().await;
    let lite = without_intended("sqlite", sqlite_schema(&sqlite).await);
    sqlite.close().await;
    lite_db.remove().await;
    assert!(lite.contains("table contacts"), "{lite:#?}");
    let Some(admin) = postgres_url() else {
        eprintln!(
            "PostgreSQL skipped: set REDRESS_TEST_POSTGRES_URL to run the store tests on it too"
        );
        return;
    };
    let pg_db = Database::postgres(&admin).await;
    let pg = pg_db.connect().await;
    let post = postgres_schema(&pg, &admin).await;
    pg.close().await;
    pg_db.remove().await;
    let post = without_intended("postgres", post);
    let only_sqlite: Vec<&String> = lite.difference(&post).collect();
    let only_postgres: Vec<&String> = post.difference(&lite).collect();
    assert!(
        only_sqlite.is_empty() && only_postgres.is_empty(),
        "the schemas differ.\nOnly on SQLite: {only_sqlite:#?}\nOnly on PostgreSQL: {only_postgres:#?}"
    );
}
