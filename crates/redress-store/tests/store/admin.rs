//! Changes to how the organisation is set up are kept together with their admin-log entry,
//! or not at all.

use super::{ORG, now, on_each_backend};
use jiff::civil::date;
use redress_domain::contact::ContactKind;
use redress_domain::language::Language;
use redress_domain::letter::{LetterKind, Template};
use redress_domain::organisation::{HomesCount, ServiceArea, Tenure};
use redress_domain::role::{Role, User};
use redress_store::{AdminChange, StoreError};

fn area(id: &str, name: &str) -> ServiceArea {
    ServiceArea {
        id: id.into(),
        name: name.into(),
        scheme: "hos-2024".into(),
    }
}

#[tokio::test]
async fn a_change_and_its_log_entry_are_kept_together() {
    on_each_backend(|store| async move {
        let repairs = area("sa1", "Repairs");
        let homes = HomesCount {
            year: 2026,
            tenure: Tenure::LowCostRental,
            homes: 8420,
        };
        let template = Template {
            subject: "We have your complaint".into(),
            body: "Dear {name}".into(),
        };
        let welsh = Template {
            subject: "Mae eich cwyn gennym".into(),
            body: "Annwyl {name}".into(),
        };
        let user = User {
            id: "u1".into(),
            email: "Manager@Example.org".into(),
            name: "Mo Manager".into(),
            role: Role::CaseWorker,
            active: true,
        };
        let areas = vec!["sa1".to_string()];
        store
            .change_logged(
                ORG,
                &[
                    AdminChange::ServiceArea(&repairs),
                    AdminChange::Setting {
                        name: "brand.name",
                        value: "Oak Homes",
                    },
                    AdminChange::Settings(vec![("a".into(), "1".into()), ("b".into(), "2".into())]),
                    AdminChange::ClosureDay(date(2026, 12, 24), "Christmas Eve"),
                    AdminChange::Homes(&homes),
                    AdminChange::LetterTemplate(
                        LetterKind::Acknowledgement,
                        Language::English,
                        &template,
                    ),
                    AdminChange::LetterTemplate(
                        LetterKind::Acknowledgement,
                        Language::Welsh,
                        &welsh,
                    ),
                    AdminChange::NewUser {
                        user: &user,
                        password_hash: "hash",
                    },
                    AdminChange::User {
                        id: "u1",
                        role: Role::ServiceManager,
                        active: true,
                    },
                    AdminChange::UserAreas {
                        user_id: "u1",
                        areas: &areas,
                    },
                    AdminChange::Retention {
                        kind: ContactKind::Complaint,
                        years: 7,
                    },
                ],
                now(),
                "Ada Admin",
                "Set up the organisation",
            )
            .await
            .unwrap();
        assert_eq!(store.service_areas(ORG).await.unwrap(), vec![repairs]);
        assert_eq!(
            store.setting(ORG, "brand.name").await.unwrap().as_deref(),
            Some("Oak Homes")
        );
        assert_eq!(store.setting(ORG, "b").await.unwrap().as_deref(), Some("2"));
        assert_eq!(
            store.closure_days(ORG).await.unwrap(),
            vec![(date(2026, 12, 24), "Christmas Eve".to_string())]
        );
        assert_eq!(store.homes(ORG).await.unwrap(), vec![homes]);
        // Each language keeps its own wording of the same kind of letter.
        assert_eq!(
            store
                .letter_template(ORG, LetterKind::Acknowledgement, Language::English)
                .await
                .unwrap(),
            Some(template)
        );
        assert_eq!(
            store
                .letter_template(ORG, LetterKind::Acknowledgement, Language::Welsh)
                .await
                .unwrap(),
            Some(welsh)
        );
        assert_eq!(
            store
                .letter_template(ORG, LetterKind::Extension, Language::Welsh)
                .await
                .unwrap(),
            None
        );
        let users = store.users().await.unwrap();
        assert_eq!(users.len(), 1);
        assert_eq!(users[0].role, Role::ServiceManager);
        assert_eq!(users[0].email, "manager@example.org");
        assert_eq!(store.user_areas("u1").await.unwrap(), areas);
        assert_eq!(
            store
                .retention_policy(ORG)
                .await
                .unwrap()
                .years_for(ContactKind::Complaint),
            7
        );
        assert_eq!(
            store.admin_log(ORG, 10).await.unwrap(),
            vec![(
                now(),
                "Ada Admin".to_string(),
                "Set up the organisation".to_string()
            )]
        );
    })
    .await;
}

#[tokio::test]
async fn a_refused_change_writes_neither_the_change_nor_its_log_entry() {
    on_each_backend(|store| async move {
        store
            .change_logged(
                ORG,
                &[AdminChange::ServiceArea(&area("sa1", "Repairs"))],
                now(),
                "Ada Admin",
                "Added the service area Repairs",
            )
            .await
            .unwrap();
        // The setting comes first, so it is written before the duplicate is refused and
        // must be taken back with it.
        let refused = store
            .change_logged(
                ORG,
                &[
                    AdminChange::Setting {
                        name: "brand.name",
                        value: "Oak Homes",
                    },
                    AdminChange::ServiceArea(&area("sa2", "Repairs")),
                ],
                now(),
                "Ada Admin",
                "Added the service area Repairs again",
            )
            .await;
        assert!(
            matches!(refused, Err(StoreError::Duplicate(_))),
            "{refused:?}"
        );
        assert_eq!(store.service_areas(ORG).await.unwrap().len(), 1);
        assert_eq!(store.setting(ORG, "brand.name").await.unwrap(), None);
        let log = store.admin_log(ORG, 10).await.unwrap();
        assert_eq!(log.len(), 1);
        assert_eq!(log[0].2, "Added the service area Repairs");

        // An unknown user is refused the same way.
        let refused = store
            .change_logged(
                ORG,
                &[AdminChange::User {
                    id: "nobody",
                    role: Role::Admin,
                    active: false,
                }],
                now(),
                "Ada Admin",
                "Nobody: role Administrator",
            )
            .await;
        assert!(
            matches!(refused, Err(StoreError::NotFound(_))),
            "{refused:?}"
        );
        assert_eq!(store.admin_log(ORG, 10).await.unwrap().len(), 1);

        // The store still takes writes after a refusal (the transaction was ended).
        store
            .change_logged(
                ORG,
                &[AdminChange::ServiceArea(&area("sa2", "Lettings"))],
                now(),
                "Ada Admin",
                "Added the service area Lettings",
            )
            .await
            .unwrap();
        assert_eq!(store.service_areas(ORG).await.unwrap().len(), 2);
        assert_eq!(store.admin_log(ORG, 10).await.unwrap().len(), 2);
    })
    .await;
}
