//! Use cases end to end on a real store: the demonstration data in particular, which a new
//! user sees first. Runs on SQLite, and on PostgreSQL when `REDRESS_TEST_POSTGRES_URL` is set.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use redress_app::{App, demo, settings};
use redress_domain::calendar::Division;
use redress_domain::contact::{ContactKind, ContactStatus};
use redress_store::{ContactFilter, Store};

async fn stores() -> Vec<(Store, Option<(String, String)>)> {
    let dir = std::env::temp_dir().join(format!("redress-app-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut out = vec![(
        Store::connect(&format!("sqlite://{}", dir.join("a.db").display()))
            .await
            .unwrap(),
        None,
    )];
    match std::env::var("REDRESS_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
    {
        Some(admin) => {
            let name = format!("redress_app_{}", uuid::Uuid::now_v7().simple());
            let pool = sqlx::PgPool::connect(&admin).await.unwrap();
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(&pool)
                .await
                .unwrap();
            pool.close().await;
            let base = admin
                .rsplit_once('/')
                .map(|(b, _)| b.to_string())
                .unwrap_or(admin.clone());
            out.push((
                Store::connect(&format!("{base}/{name}")).await.unwrap(),
                Some((admin, name)),
            ));
        }
        None => eprintln!(
            "PostgreSQL skipped: set REDRESS_TEST_POSTGRES_URL to run these tests on it too"
        ),
    }
    out
}

async fn drop(pg: Option<(String, String)>) {
    if let Some((admin, name)) = pg {
        let pool = sqlx::PgPool::connect(&admin).await.unwrap();
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
        )))
        .execute(&pool)
        .await
        .unwrap();
        pool.close().await;
    }
}

#[tokio::test]
async fn the_demo_is_created_once_with_every_kind_and_state() {
    for (store, pg) in stores().await {
        settings::ensure_organisation(&store, "Demo Homes", Division::EnglandAndWales, "hos-2024")
            .await
            .unwrap();
        let app = App::load(store.clone()).await.unwrap();
        assert!(demo::create(&app).await.unwrap());
        assert!(
            !demo::create(&app).await.unwrap(),
            "a second start leaves the demo alone"
        );
        let all = ContactFilter {
            per_page: 200,
            ..Default::default()
        };
        let page = app.list_cases(&all).await.unwrap();
        assert_eq!(page.total, 50);
        for kind in ContactKind::ALL {
            assert!(page.items.iter().any(|c| c.kind == *kind), "{kind:?}");
        }
        for status in [
            ContactStatus::Received,
            ContactStatus::Acknowledged,
            ContactStatus::Responded,
            ContactStatus::Closed,
        ] {
            assert!(page.items.iter().any(|c| c.status == status), "{status:?}");
        }
        assert_eq!(store.users().await.unwrap().len(), demo::DEMO_USERS.len());
        let workload = store
            .workload(&app.organisation.id, app.today())
            .await
            .unwrap();
        assert!(workload.iter().any(|w| w.as_case_worker > 0));
        store.close().await;
        drop(pg).await;
    }
}
