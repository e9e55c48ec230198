//! Upgrading a database made by the release before migrations were paired by name: there,
//! PostgreSQL recorded the running figures as version 6 (SQLite's 0006 had no partner).
//! The old numbering is applied here by hand from the same files.

use redress_store::Store;
use redress_testkit::{Database, postgres_url};

/// Each backend's migration files as the earlier release numbered them.
const OLD_SQLITE: [(i64, &str); 7] = [
    (
        1,
        include_str!("../../migrations/sqlite/0001_foundation.sql"),
    ),
    (
        2,
        include_str!("../../migrations/sqlite/0002_data_protection.sql"),
    ),
    (3, include_str!("../../migrations/sqlite/0003_learning.sql")),
    (4, include_str!("../../migrations/sqlite/0004_scrutiny.sql")),
    (
        5,
        include_str!("../../migrations/sqlite/0005_case_list_order.sql"),
    ),
    (
        6,
        include_str!("../../migrations/sqlite/0006_search_rowid.sql"),
    ),
    (
        7,
        include_str!("../../migrations/sqlite/0007_running_figures.sql"),
    ),
];
const OLD_POSTGRES: [(i64, &str); 6] = [
    (
        1,
        include_str!("../../migrations/postgres/0001_foundation.sql"),
    ),
    (
        2,
        include_str!("../../migrations/postgres/0002_data_protection.sql"),
    ),
    (
        3,
        include_str!("../../migrations/postgres/0003_learning.sql"),
    ),
    (
        4,
        include_str!("../../migrations/postgres/0004_scrutiny.sql"),
    ),
    (
        5,
        include_str!("../../migrations/postgres/0005_case_list_order.sql"),
    ),
    (
        6,
        include_str!("../../migrations/postgres/0007_running_figures.sql"),
    ),
];

/// When the earlier release applied each migration; kept by an upgrade that runs none again.
const OLD_APPLIED_AT: i64 = 1_700_000_000_000_000;

/// Applies the old numbering as the earlier runner did (one transaction), and puts a row in
/// the running totals for the upgrade to keep.
async fn old_release<DB>(pool: &sqlx::Pool<DB>, old: &[(i64, &str)])
where
    DB: sqlx::Database,
    for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
{
    let mut tx = pool.begin().await.unwrap();
    sqlx::raw_sql(
        "CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)",
    )
    .execute(&mut *tx)
    .await
    .unwrap();
    for (version, sql) in old {
        sqlx::raw_sql(sqlx::AssertSqlSafe(*sql))
            .execute(&mut *tx)
            .await
            .unwrap();
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            "INSERT INTO schema_migrations (version, applied_at) VALUES ({version}, {OLD_APPLIED_AT})"
        )))
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    sqlx::raw_sql(
        "INSERT INTO daily_figures (organisation_id, service_area_id, day, measure, key, n, a, b, c) \
         VALUES ('org-1', '', '2026-03-02', 'received', 'complaint', 3, 0, 0, 0)",
    )
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    pool.close().await;
}

/// After the upgrade: every migration recorded once, those the old release ran not run
/// again, and the running totals counted again from the cases by 0008 (which adds
/// measures): a row no case stands behind is gone.
async fn check_upgraded(store: &Store) {
    assert_eq!(store.migrate().await.unwrap(), 0);
    let (totals, _) = store
        .figure_totals(
            "org-1",
            jiff::civil::date(2026, 3, 1),
            jiff::civil::date(2026, 3, 31),
            None,
        )
        .await
        .unwrap();
    assert!(totals.is_empty(), "{totals:?}");
}

#[tokio::test]
async fn a_database_of_the_earlier_numbering_upgrades_without_running_anything_again() {
    // SQLite: the numbering did not change.
    let dir = std::env::temp_dir().join(format!("redress-store-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.join("old.db").display());
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    old_release(&pool, &OLD_SQLITE).await;
    let store = Store::connect(&url).await.unwrap();
    let recorded = recorded_sqlite(&url).await;
    // What the old release ran keeps its time; only migrations newer than it run now.
    assert_eq!(
        recorded[..7],
        (1..=7).map(|v| (v, OLD_APPLIED_AT)).collect::<Vec<_>>()
    );
    assert!(
        recorded[7..]
            .iter()
            .all(|(v, at)| *v > 7 && *at != OLD_APPLIED_AT)
    );
    check_upgraded(&store).await;
    store.close().await;

    let Some(admin) = postgres_url() else {
        eprintln!(
            "PostgreSQL skipped: set REDRESS_TEST_POSTGRES_URL to run the store tests on it too"
        );
        return;
    };
    // PostgreSQL: the running figures were 6; they become 7, and the new 6 (nothing to do
    // on PostgreSQL) is the only migration run.
    let database = Database::postgres(&admin).await;
    let url = database.url().to_string();
    let pool = sqlx::PgPool::connect(&url).await.unwrap();
    old_release(&pool, &OLD_POSTGRES).await;
    let store = Store::connect(&url).await.unwrap();
    let pool = sqlx::PgPool::connect(&url).await.unwrap();
    let recorded: Vec<(i64, i64)> =
        sqlx::query_as("SELECT version, applied_at FROM schema_migrations ORDER BY version")
            .fetch_all(&pool)
            .await
            .unwrap();
    pool.close().await;
    let versions: Vec<i64> = recorded.iter().map(|(v, _)| *v).collect();
    assert_eq!(versions[..7], (1..=7).collect::<Vec<_>>());
    for (version, applied_at) in &recorded {
        // The running figures keep the time the old release counted them; only the new
        // 6, and migrations newer than the old release, were run now.
        assert_eq!(
            *applied_at == OLD_APPLIED_AT,
            *version != 6 && *version <= 7,
            "version {version}"
        );
    }
    check_upgraded(&store).await;
    store.close().await;
    pool.close().await;
    database.remove().await;
}

async fn recorded_sqlite(url: &str) -> Vec<(i64, i64)> {
    let pool = sqlx::SqlitePool::connect(url).await.unwrap();
    let rows = sqlx::query_as("SELECT version, applied_at FROM schema_migrations ORDER BY version")
        .fetch_all(&pool)
        .await
        .unwrap();
    pool.close().await;
    rows
}
