#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The store contract: every test runs on SQLite, and on PostgreSQL when
//! `REDRESS_TEST_POSTGRES_URL` is set (each test in a database of its own).

use jiff::Timestamp;
use jiff::civil::date;
use redress_domain::calendar::{Division, Holiday, WorkingCalendar};
use redress_domain::case::{Command, Context};
use redress_domain::contact::{
    Contact, ContactInput, ContactKind, ContactStatus, Reference, Source,
};
use redress_domain::event::{Actor, EventKind};
use redress_domain::organisation::{Organisation, ServiceArea};
use redress_domain::role::{Role, User};
use redress_domain::scheme::Scheme;
use redress_store::{ContactFilter, DueFilter, Inserted, SessionRecord, Store, StoreError};
use std::future::Future;

#[path = "store/admin.rs"]
mod admin;
#[path = "store/migrations.rs"]
mod migrations;
#[path = "store/schema.rs"]
mod schema;
#[path = "store/scrutiny.rs"]
mod scrutiny;
#[path = "store/working_day.rs"]
mod working_day;

const ORG: &str = "org-1";

/// Runs `test` on each backend available, with an organisation already set up.
async fn on_each_backend<F, Fut>(test: F)
where
    F: Fn(Store) -> Fut,
    Fut: Future<Output = ()>,
{
    let test = &test;
    redress_testkit::on_each_backend(|store| async move {
        create_org(&store).await;
        test(store).await;
    })
    .await;
}

async fn create_org(store: &Store) {
    store
        .create_organisation(&Organisation {
            id: ORG.into(),
            name: "Test Homes".into(),
            division: Division::EnglandAndWales,
            default_scheme: "hos-2024".into(),
        })
        .await
        .unwrap();
}

fn input(kind: &str, name: &str, summary: &str) -> ContactInput {
    ContactInput {
        kind: kind.into(),
        who: if name.is_empty() {
            "anonymous".into()
        } else {
            "myself".into()
        },
        name: name.into(),
        email: if name.is_empty() {
            String::new()
        } else {
            "resident@example.org".into()
        },
        summary: summary.into(),
        needs: "Large print letters please".into(),
        preferred_format: "large-print".into(),
        ..Default::default()
    }
}

fn now() -> Timestamp {
    "2026-03-02T09:30:00Z".parse().unwrap()
}

async fn add(store: &Store, input: ContactInput, key: Option<&str>) -> Inserted {
    add_to(store, ORG, input, key).await
}

async fn add_to(store: &Store, org: &str, input: ContactInput, key: Option<&str>) -> Inserted {
    let detail = input.parse(Source::PublicForm, now()).unwrap();
    let kind = detail.kind;
    let scheme = Scheme::find_built_in("hos-2024").unwrap();
    let cal = WorkingCalendar::standard(Division::EnglandAndWales);
    store
        .insert_contact(org, key, (kind, 2026), move |reference| {
            Contact::receive(
                uuid::Uuid::now_v7().to_string(),
                reference,
                detail.clone(),
                &scheme,
                &cal,
                Actor::public(),
            )
        })
        .await
        .unwrap()
}

#[tokio::test]
async fn migrations_run_once() {
    on_each_backend(|store| async move {
        assert_eq!(store.migrate().await.unwrap(), 0);
    })
    .await;
}

#[tokio::test]
async fn a_contact_reads_back_as_written_with_its_first_event() {
    on_each_backend(|store| async move {
        let mut i = input(
            "complaint",
            "Aled Jones",
            "Nobody came to fix the <b>leak</b>.",
        );
        i.postcode = "cf10 1aa".into();
        i.issue_date = "2026-02-20".into();
        let written = add(&store, i, None).await.into_contact();
        assert_eq!(written.reference.as_str(), "CMP-2026-000001");
        let read = store
            .contact_by_reference(ORG, &written.reference)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(read, written);
        assert_eq!(
            read.detail.person.as_ref().map(|p| p.postcode.as_deref()),
            Some(Some("CF10 1AA"))
        );
        assert_eq!(read.acknowledge_by(), Some(date(2026, 3, 9)));
        let events = store.events(&read.id).await.unwrap();
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].kind, EventKind::Received);
    })
    .await;
}

#[tokio::test]
async fn references_count_per_kind() {
    on_each_backend(|store| async move {
        let a = add(&store, input("complaint", "A", "one"), None)
            .await
            .into_contact();
        let b = add(&store, input("compliment", "", "thanks"), None)
            .await
            .into_contact();
        let c = add(&store, input("complaint", "C", "two"), None)
            .await
            .into_contact();
        assert_eq!(a.reference.as_str(), "CMP-2026-000001");
        assert_eq!(b.reference.as_str(), "CPL-2026-000001");
        assert_eq!(c.reference.as_str(), "CMP-2026-000002");
        assert!(b.detail.person.is_none());
    })
    .await;
}

#[tokio::test]
async fn the_same_submission_never_makes_two_contacts() {
    on_each_backend(|store| async move {
        let first = add(&store, input("complaint", "Aled", "once"), Some("key-1")).await;
        let again = add(&store, input("complaint", "Aled", "once"), Some("key-1")).await;
        assert!(matches!(first, Inserted::New(_)));
        assert!(matches!(again, Inserted::Existing(_)));
        assert_eq!(first.contact().reference, again.contact().reference);
        let page = store
            .list_contacts(
                ORG,
                &ContactFilter {
                    per_page: 50,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(page.total, 1);
    })
    .await;
}

#[tokio::test]
async fn concurrent_submissions_get_distinct_references() {
    on_each_backend(|store| async move {
        let mut tasks = Vec::new();
        for n in 0..12 {
            let store = store.clone();
            tasks.push(tokio::spawn(async move {
                add(
                    &store,
                    input("complaint", "Many", &format!("storm damage {n}")),
                    None,
                )
                .await
                .into_contact()
                .reference
            }));
        }
        let mut refs = Vec::new();
        for t in tasks {
            refs.push(t.await.unwrap());
        }
        refs.sort_by(|a, b| a.as_str().cmp(b.as_str()));
        refs.dedup();
        assert_eq!(refs.len(), 12);
    })
    .await;
}

/// Complaints arriving together are committed together (group commit); each is still its
/// own: one that fails takes none of the others with it and leaves no gap in the
/// references, and one submission sent several times at once is written once.
#[tokio::test]
async fn a_burst_is_written_together_and_one_failure_spoils_nothing() {
    on_each_backend(|store| async move {
        // Two bursts of sixty, five of each sent with one key (a form sent five times):
        // the first all good, the second with one the domain refuses.
        let mut made = 0;
        for (burst, failing) in [(0, None), (1, Some(17))] {
            let mut tasks = Vec::new();
            for n in 0..60 {
                let store = store.clone();
                tasks.push(tokio::spawn(async move {
                    let detail =
                        input("complaint", "Storm", &format!("roof blown off {burst}-{n}"))
                            .parse(Source::PublicForm, now())
                            .unwrap();
                    let scheme = Scheme::find_built_in("hos-2024").unwrap();
                    let cal = WorkingCalendar::standard(Division::EnglandAndWales);
                    let key = (n < 5).then(|| format!("same-storm-form-{burst}"));
                    let result = store
                        .insert_contact(
                            ORG,
                            key.as_deref(),
                            (ContactKind::Complaint, 2026),
                            move |reference| {
                                if Some(n) == failing {
                                    return Err(redress_domain::case::ContactError::Rule(
                                        "summary",
                                        "refused for the test".into(),
                                    ));
                                }
                                Contact::receive(
                                    uuid::Uuid::now_v7().to_string(),
                                    reference,
                                    detail.clone(),
                                    &scheme,
                                    &cal,
                                    Actor::public(),
                                )
                            },
                        )
                        .await;
                    (n, result)
                }));
            }
            let (mut new, mut existing, mut refused) = (Vec::new(), Vec::new(), Vec::new());
            for t in tasks {
                match t.await.unwrap() {
                    (_, Ok(Inserted::New(c))) => new.push(c),
                    (_, Ok(Inserted::Existing(c))) => existing.push(c),
                    (n, Err(e)) => refused.push((n, e.to_string())),
                }
            }
            let expected_refused: Vec<(usize, String)> = failing
                .map(|n| (n, "refused for the test".to_string()))
                .into_iter()
                .collect();
            assert_eq!(refused, expected_refused);
            assert_eq!(
                existing.len(),
                4,
                "the same form sent five times is written once"
            );
            let once = &existing[0].id;
            assert!(existing.iter().all(|c| &c.id == once));
            assert!(new.iter().any(|c| &c.id == once));
            let mut numbers: Vec<String> = new
                .iter()
                .map(|c| c.reference.as_str().to_string())
                .collect();
            numbers.sort();
            let expected: Vec<String> = (made + 1..=made + new.len() as i64)
                .map(|n| {
                    Reference::new(ContactKind::Complaint, 2026, n)
                        .as_str()
                        .to_string()
                })
                .collect();
            assert_eq!(numbers, expected, "references run on with no gap");
            for c in &new {
                let events = store.events(&c.id).await.unwrap();
                assert_eq!(
                    events.len(),
                    1,
                    "{} has its first event",
                    c.reference.as_str()
                );
                let read = store
                    .contact_by_reference(ORG, &c.reference)
                    .await
                    .unwrap()
                    .unwrap();
                assert_eq!(
                    read.detail.summary,
                    c.detail.summary,
                    "{} reads back",
                    c.reference.as_str()
                );
            }
            made += new.len() as i64;
        }
        assert_eq!(made, 56 + 55);
        let page = store
            .list_contacts(
                ORG,
                &ContactFilter {
                    per_page: 10,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(page.total, 111);
    })
    .await;
}

#[tokio::test]
async fn changes_are_saved_with_events_and_stale_writes_refused() {
    on_each_backend(|store| async move {
        let mut c = add(&store, input("complaint", "Aled", "leak"), None)
            .await
            .into_contact();
        let stale = c.clone();
        let scheme = Scheme::find_built_in("hos-2024").unwrap();
        let cal = WorkingCalendar::standard(Division::EnglandAndWales);
        let ctx = Context {
            scheme: &scheme,
            calendar: &cal,
            actor: Actor::staff("u1", "Officer"),
            at: now(),
            today: date(2026, 3, 20),
            payment_approval_above: None,
        };
        let events = c
            .apply(
                Command::Acknowledge {
                    on: date(2026, 3, 3),
                    understanding: "A leak".into(),
                    outcome_wanted: "Fix it".into(),
                },
                &ctx,
            )
            .unwrap();
        store.save_contact(&c, &events, &[]).await.unwrap();
        assert!(matches!(
            store.save_contact(&stale, &events, &[]).await,
            Err(StoreError::Conflict)
        ));
        // The case state round-trips: stages, understanding and the new clock.
        let stored = store
            .contact_by_reference(ORG, &c.reference)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(stored.case, c.case);
        assert_eq!(stored.detail, c.detail);
        assert_eq!(stored.respond_by(), Some(date(2026, 3, 17)));
        let read = store
            .contact_by_reference(ORG, &c.reference)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(read.status, ContactStatus::Acknowledged);
        assert_eq!(read.version, 2);
        let events = store.events(&c.id).await.unwrap();
        assert_eq!(
            events.iter().map(|e| e.kind).collect::<Vec<_>>(),
            vec![EventKind::Received, EventKind::Acknowledged]
        );
        assert_eq!(events[1].actor.name, "Officer");
    })
    .await;
}

#[tokio::test]
async fn the_case_list_filters_searches_and_pages() {
    on_each_backend(|store| async move {
        add(
            &store,
            input("complaint", "Aled Jones", "The kitchen ceiling is leaking"),
            None,
        )
        .await;
        add(
            &store,
            input(
                "complaint",
                "Bethan Morgan",
                "Anti-social behaviour next door",
            ),
            None,
        )
        .await;
        add(
            &store,
            input("compliment", "Carys Price", "The caretaker was wonderful"),
            None,
        )
        .await;
        let mut safeguarding = input("complaint", "", "Children left alone in the flat above");
        safeguarding.about_vulnerable_group = "yes".into();
        add(&store, safeguarding, None).await;

        let all = ContactFilter {
            per_page: 2,
            page: 1,
            ..Default::default()
        };
        let page = store.list_contacts(ORG, &all).await.unwrap();
        assert_eq!((page.total, page.items.len(), page.pages()), (4, 2, 2));
        assert!(
            page.items[0].priority,
            "the anonymous report about children comes first"
        );

        let search = |q: &str| ContactFilter {
            search: Some(q.into()),
            per_page: 20,
            ..Default::default()
        };
        let found = store.list_contacts(ORG, &search("leak")).await.unwrap();
        assert_eq!(
            found
                .items
                .iter()
                .map(|c| c.name.clone())
                .collect::<Vec<_>>(),
            vec![Some("Aled Jones".into())]
        );
        let found = store.list_contacts(ORG, &search("morg")).await.unwrap();
        assert_eq!(found.total, 1);
        let found = store
            .list_contacts(ORG, &search("cmp-2026-000002"))
            .await
            .unwrap();
        assert_eq!(found.items[0].reference.as_str(), "CMP-2026-000002");
        for hostile in ["\"' OR 1=1 --", "NEAR(", "*", "%", "a\\b", "caretaker AND"] {
            assert!(
                store.list_contacts(ORG, &search(hostile)).await.is_ok(),
                "{hostile}"
            );
        }
        let none = store.list_contacts(ORG, &search("%")).await.unwrap();
        assert_eq!(none.total, 0);

        // A long list is counted only so far, and says there are more: four cases counted
        // up to two is "more than two", with a next page; the last page counts exactly.
        let bounded = |page: u32| ContactFilter {
            per_page: 1,
            page,
            count_up_to: Some(2),
            ..Default::default()
        };
        let first = store.list_contacts(ORG, &bounded(1)).await.unwrap();
        assert_eq!((first.total, first.more, first.pages()), (2, true, 3));
        let third = store.list_contacts(ORG, &bounded(3)).await.unwrap();
        assert_eq!((third.total, third.more, third.pages()), (4, false, 4));
        assert_eq!(third.items.len(), 1);
        let exact = store.list_contacts(ORG, &all).await.unwrap();
        assert!(
            !exact.more,
            "four cases are counted exactly under the usual bound"
        );

        let compliments = ContactFilter {
            kind: Some(ContactKind::Compliment),
            per_page: 20,
            ..Default::default()
        };
        assert_eq!(
            store.list_contacts(ORG, &compliments).await.unwrap().total,
            1
        );
        let overdue = ContactFilter {
            due: Some(DueFilter::Overdue {
                today: date(2026, 3, 20),
            }),
            per_page: 20,
            ..Default::default()
        };
        assert_eq!(store.list_contacts(ORG, &overdue).await.unwrap().total, 3);
        let not_yet = ContactFilter {
            due: Some(DueFilter::Overdue {
                today: date(2026, 3, 3),
            }),
            per_page: 20,
            ..Default::default()
        };
        assert_eq!(store.list_contacts(ORG, &not_yet).await.unwrap().total, 0);
        let due_soon = ContactFilter {
            due: Some(DueFilter::DueBy {
                today: date(2026, 3, 3),
                by: date(2026, 3, 9),
            }),
            per_page: 20,
            ..Default::default()
        };
        assert_eq!(store.list_contacts(ORG, &due_soon).await.unwrap().total, 3);
    })
    .await;
}

#[tokio::test]
async fn users_sessions_and_tokens() {
    on_each_backend(|store| async move {
        let user = User {
            id: "u1".into(),
            email: "Officer@Example.org".into(),
            name: "Olu Officer".into(),
            role: Role::ComplaintsOfficer,
            active: true,
        };
        store.create_user(&user, "hash", now()).await.unwrap();
        assert!(matches!(
            store.create_user(&user, "hash", now()).await,
            Err(StoreError::Duplicate(_))
        ));
        let (found, hash) = store
            .user_by_email(" officer@example.ORG")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (found.role, hash.as_str()),
            (Role::ComplaintsOfficer, "hash")
        );
        let session = SessionRecord {
            token_hash: "t1".into(),
            user_id: "u1".into(),
            csrf_token: "c".into(),
            created_at: now(),
            expires_at: "2026-03-02T17:30:00Z".parse().unwrap(),
        };
        store.create_session(&session).await.unwrap();
        assert!(store.session("t1", now()).await.unwrap().is_some());
        assert!(
            store
                .session("t1", "2026-03-02T18:00:00Z".parse().unwrap())
                .await
                .unwrap()
                .is_none()
        );
        store.delete_session("t1").await.unwrap();
        assert!(store.session("t1", now()).await.unwrap().is_none());
        store.save_draft("d1", "{}", now()).await.unwrap();
        store.save_draft("d1", "{\"a\":1}", now()).await.unwrap();
        assert_eq!(
            store.draft("d1").await.unwrap().as_deref(),
            Some("{\"a\":1}")
        );
        assert_eq!(store.draft("d2").await.unwrap(), None);
        let year = jiff::SignedDuration::from_hours(24 * 365);
        store
            .create_api_token("tok", "u1", "integration", now(), now() + year)
            .await
            .unwrap();
        assert_eq!(
            store
                .user_by_api_token("tok", now())
                .await
                .unwrap()
                .map(|u| u.id),
            Some("u1".into())
        );
        assert!(
            store
                .user_by_api_token("nope", now())
                .await
                .unwrap()
                .is_none()
        );
        // Expired: no token. Exchanged: the old stops as the new starts.
        let later = now() + year + jiff::SignedDuration::from_hours(1);
        assert!(
            store
                .user_by_api_token("tok", later)
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            store
                .replace_api_token("tok", "tok2", now(), now() + year)
                .await
                .unwrap()
        );
        assert!(
            store
                .user_by_api_token("tok", now())
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            store
                .user_by_api_token("tok2", now())
                .await
                .unwrap()
                .is_some()
        );
        assert!(
            !store
                .replace_api_token("tok", "tok3", now(), now() + year)
                .await
                .unwrap(),
            "a token already exchanged cannot be exchanged again"
        );
    })
    .await;
}

#[tokio::test]
async fn organisation_settings_and_imported_holidays() {
    on_each_backend(|store| async move {
        let org = store.organisation().await.unwrap().unwrap();
        assert_eq!(org.division, Division::EnglandAndWales);
        store
            .add_service_area(
                ORG,
                &ServiceArea {
                    id: "sa1".into(),
                    name: "Repairs".into(),
                    scheme: "hos-2024".into(),
                },
            )
            .await
            .unwrap();
        assert!(matches!(
            store
                .add_service_area(
                    ORG,
                    &ServiceArea {
                        id: "sa2".into(),
                        name: "Repairs".into(),
                        scheme: "hos-2024".into()
                    }
                )
                .await,
            Err(StoreError::Duplicate(_))
        ));
        assert_eq!(store.service_areas(ORG).await.unwrap().len(), 1);
        store
            .add_closure_day(ORG, date(2026, 12, 24), "Christmas Eve")
            .await
            .unwrap();
        assert_eq!(
            store.closure_days(ORG).await.unwrap(),
            vec![(date(2026, 12, 24), "Christmas Eve".to_string())]
        );
        let h = |d, t: &str| {
            (
                Division::Scotland,
                Holiday {
                    date: d,
                    title: t.into(),
                    projected: false,
                },
            )
        };
        store
            .import_holidays(&[h(date(2030, 1, 1), "A"), h(date(2030, 1, 2), "B")], now())
            .await
            .unwrap();
        store
            .import_holidays(&[h(date(2030, 1, 1), "A")], now())
            .await
            .unwrap();
        assert_eq!(
            store.imported_holidays().await.unwrap(),
            vec![h(date(2030, 1, 1), "A")]
        );
        let custom = Scheme {
            id: "custom-30".into(),
            ..Scheme::find_built_in("hos-2024").unwrap()
        };
        store.save_custom_scheme(ORG, &custom).await.unwrap();
        assert_eq!(
            store.custom_schemes(ORG).await.unwrap(),
            vec![custom.clone()]
        );
        // A version, once kept, is never rewritten.
        let rewritten = Scheme {
            name: "Changed".into(),
            ..custom.clone()
        };
        assert!(matches!(
            store.save_custom_scheme(ORG, &rewritten).await,
            Err(StoreError::Duplicate(_))
        ));
        assert_eq!(store.custom_schemes(ORG).await.unwrap(), vec![custom]);
        let _ = Reference::parse("CMP-2026-000001");
    })
    .await;
}

#[tokio::test]
async fn remedies_due_are_listed_across_cases_until_done() {
    on_each_backend(|store| async move {
        let mut c = add(&store, input("complaint", "Aled", "leak"), None)
            .await
            .into_contact();
        let scheme = Scheme::find_built_in("hos-2024").unwrap();
        let cal = WorkingCalendar::standard(Division::EnglandAndWales);
        let ctx = Context {
            scheme: &scheme,
            calendar: &cal,
            actor: Actor::system(),
            at: now(),
            today: date(2026, 3, 20),
            payment_approval_above: None,
        };
        let owner = redress_domain::case::Assignee {
            user_id: "u1".into(),
            name: "Rhys Repairs".into(),
        };
        let mut events = c
            .apply(
                Command::Acknowledge {
                    on: date(2026, 3, 3),
                    understanding: "Leak".into(),
                    outcome_wanted: "Fix".into(),
                },
                &ctx,
            )
            .unwrap();
        events.extend(
            c.apply(
                Command::AddRemedy {
                    kind: redress_domain::remedy::RemedyKind::Financial,
                    description: "Compensation for the ruined carpet".into(),
                    owner,
                    due: date(2026, 3, 10),
                    payment: Some((
                        redress_domain::remedy::PaymentKind::Compensation,
                        redress_domain::remedy::Pence(15_000),
                    )),
                },
                &ctx,
            )
            .unwrap(),
        );
        store.save_contact(&c, &events, &[]).await.unwrap();
        let open = store
            .open_actions(ORG, Some(date(2026, 3, 20)))
            .await
            .unwrap();
        assert_eq!(open.len(), 1);
        assert_eq!(
            (open[0].owner.as_deref(), open[0].amount_pence, open[0].due),
            (Some("Rhys Repairs"), Some(15_000), date(2026, 3, 10))
        );
        assert!(
            store
                .open_actions(ORG, Some(date(2026, 3, 10)))
                .await
                .unwrap()
                .is_empty(),
            "not overdue on its due date"
        );
        c.version += 1;
        let mut done = Vec::new();
        for command in [
            Command::ApprovePayment {
                id: 1,
                on: date(2026, 3, 11),
            },
            Command::RecordPayment {
                id: 1,
                on: date(2026, 3, 12),
            },
            Command::CompleteRemedy {
                id: 1,
                on: date(2026, 3, 12),
            },
        ] {
            done.extend(c.apply(command, &ctx).unwrap());
        }
        store.save_contact(&c, &done, &[]).await.unwrap();
        assert!(store.open_actions(ORG, None).await.unwrap().is_empty());
        assert_eq!(store.events(&c.id).await.unwrap().len(), 6);
    })
    .await;
}

#[tokio::test]
async fn letters_are_kept_and_emails_claimed_once() {
    on_each_backend(|store| async move {
        use redress_domain::letter::{Delivery, Letter, LetterKind};
        let c = add(&store, input("complaint", "Aled", "leak"), None)
            .await
            .into_contact();
        let letter = |delivery, subject: &str| Letter {
            kind: LetterKind::Acknowledgement,
            delivery,
            recipient: "aled@example.org".into(),
            large_print: false,
            subject: subject.into(),
            body: "Dear Aled\n\n<b>not markup</b>".into(),
            draft_by: None,
            convert: None,
            language: redress_domain::language::Language::English,
        };
        let mut saved = c.clone();
        saved.version = 1;
        store
            .save_contact(
                &saved,
                &[],
                &[
                    letter(Delivery::Email, "By email"),
                    letter(Delivery::Post, "By post"),
                ],
            )
            .await
            .unwrap();
        let kept = store.letters(ORG, &c.id).await.unwrap();
        assert_eq!(kept.len(), 2);
        assert_eq!(
            kept[0].body, "Dear Aled\n\n<b>not markup</b>",
            "kept exactly as written"
        );
        assert_eq!(
            store
                .letters_with_status(ORG, "to-print")
                .await
                .unwrap()
                .len(),
            1
        );

        let t = |s: &str| -> Timestamp { s.parse().unwrap() };
        // Two workers at once: only one gets the email.
        let (a, b) = tokio::join!(
            store.claim_outbox(t("2099-01-01T00:00:00Z"), t("2099-01-01T00:05:00Z"), 10),
            store.claim_outbox(t("2099-01-01T00:00:00Z"), t("2099-01-01T00:05:00Z"), 10)
        );
        let (a, b) = (a.unwrap(), b.unwrap());
        assert_eq!(a.len() + b.len(), 1);
        let claimed = a.into_iter().chain(b).next().unwrap();
        assert_eq!(
            (
                claimed.subject.as_str(),
                claimed.attempts,
                claimed.reference.clone()
            ),
            ("By email", 1, c.reference.clone())
        );

        // A failure goes back to the queue for later; success is final.
        store
            .mark_letter(
                &claimed.id,
                "pending",
                t("2099-01-01T00:01:00Z"),
                Some("421 try later"),
                Some(t("2099-01-01T00:10:00Z")),
            )
            .await
            .unwrap();
        assert!(
            store
                .claim_outbox(t("2099-01-01T00:02:00Z"), t("2099-01-01T00:07:00Z"), 10)
                .await
                .unwrap()
                .is_empty()
        );
        let again = store
            .claim_outbox(t("2099-01-01T00:10:00Z"), t("2099-01-01T00:15:00Z"), 10)
            .await
            .unwrap();
        assert_eq!(again.len(), 1);
        assert_eq!(again[0].attempts, 2);
        // The worker died mid-send: after the lease the email is set aside, never resent.
        assert!(
            store
                .claim_outbox(t("2099-01-01T00:20:00Z"), t("2099-01-01T00:25:00Z"), 10)
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            store.letters_with_status(ORG, "check").await.unwrap().len(),
            1
        );
        store
            .mark_letter(&again[0].id, "sent", t("2099-01-01T00:21:00Z"), None, None)
            .await
            .unwrap();
        let sent = store.letter(ORG, &again[0].id).await.unwrap().unwrap();
        assert_eq!(
            (sent.status.as_str(), sent.sent_at),
            ("sent", Some(t("2099-01-01T00:21:00Z")))
        );
    })
    .await;
}

/// Names, email addresses and references are found as a complaints officer types them:
/// with their punctuation, in part, or as the start of a word.
#[tokio::test]
async fn search_finds_names_emails_and_references_as_typed() {
    on_each_backend(|store| async move {
        let mut obrien = input("complaint", "Siân O'Brien-Jones", "Mould in the hallway");
        obrien.email = "sian.obrien@example.org".into();
        let found_case = add(&store, obrien, None).await.into_contact();
        add(
            &store,
            input("complaint", "Aled Morgan", "The boiler is broken"),
            None,
        )
        .await;
        let reference = found_case.reference.as_str().to_string();
        let partial = reference[..8].to_string();
        for typed in [
            "O'Brien",
            "o'brien-jones",
            "Brien",
            "Siân",
            "sian.obrien@example.org",
            "sian.obrien",
            "mould hall",
            reference.as_str(),
            partial.as_str(),
        ] {
            let page = store
                .list_contacts(
                    ORG,
                    &ContactFilter {
                        search: Some(typed.into()),
                        per_page: 10,
                        page: 1,
                        ..Default::default()
                    },
                )
                .await
                .unwrap();
            let refs: Vec<&str> = page.items.iter().map(|c| c.reference.as_str()).collect();
            assert!(
                refs.contains(&reference.as_str()),
                "{typed:?} found {refs:?}"
            );
            if typed != partial {
                assert_eq!(page.total, 1, "{typed:?} found only the one case");
            }
        }
    })
    .await;
}

/// A search gives the most recently recorded matches first and reads only as far as its
/// page and count need: a common word pages through every match once, newest first, says
/// "more than" past its bound, keeps to the filters and never shows or counts another
/// organisation's cases. On PostgreSQL "damp" (common among the newest entries) and
/// "boiler" (rare) are found in its two different ways, with the same result.
#[tokio::test]
async fn search_gives_the_newest_matches_first_and_pages_through_them_once() {
    on_each_backend(|store| async move {
        store
            .create_organisation(&Organisation {
                id: "org-2".into(),
                name: "Other Homes".into(),
                division: Division::EnglandAndWales,
                default_scheme: "hos-2024".into(),
            })
            .await
            .unwrap();
        let mut damp = Vec::new();
        let mut boiler = Vec::new();
        let mut damp_complaints = Vec::new();
        for i in 0..30 {
            let (kind, summary) = match i % 6 {
                0 => ("complaint", format!("Damp and a broken boiler, visit {i}")),
                5 => (
                    "compliment",
                    format!("Thank you for treating the damp, visit {i}"),
                ),
                _ => ("complaint", format!("Damp in the bedroom, visit {i}")),
            };
            let reference = add(&store, input(kind, "Ann Lee", &summary), None)
                .await
                .into_contact()
                .reference
                .as_str()
                .to_string();
            if i % 6 == 0 {
                boiler.push(reference.clone());
            }
            if kind == "complaint" {
                damp_complaints.push(reference.clone());
            }
            damp.push(reference);
            add(
                &store,
                input("complaint", "Bob Roe", "Noisy neighbours"),
                None,
            )
            .await;
        }
        // Another organisation's damp case, recorded last, so it would come first if it
        // leaked into this organisation's search.
        add_to(
            &store,
            "org-2",
            input("complaint", "Cy Dee", "Damp everywhere"),
            None,
        )
        .await;
        for list in [&mut damp, &mut boiler, &mut damp_complaints] {
            list.reverse();
        }
        let search = |q: &str, page: u32, count_up_to: Option<i64>| ContactFilter {
            search: Some(q.into()),
            per_page: 10,
            page,
            count_up_to,
            ..Default::default()
        };
        let refs = |page: &redress_store::Page<redress_store::ContactSummary>| -> Vec<String> {
            page.items
                .iter()
                .map(|c| c.reference.as_str().to_string())
                .collect()
        };

        // Counted to the bound, then "more than".
        let first = store
            .list_contacts(ORG, &search("damp", 1, Some(25)))
            .await
            .unwrap();
        assert_eq!((first.total, first.more), (25, true));
        assert_eq!(refs(&first), damp[..10]);
        assert!(first.newest_first, "the page says its order");
        let list = ContactFilter {
            per_page: 10,
            page: 1,
            ..Default::default()
        };
        assert!(!store.list_contacts(ORG, &list).await.unwrap().newest_first);
        let punctuation = search("?!", 1, None);
        assert!(
            !store
                .list_contacts(ORG, &punctuation)
                .await
                .unwrap()
                .newest_first
        );
        // Every match once, newest first, page by page.
        let mut seen = refs(&first);
        for page in 2..=4 {
            let next = store
                .list_contacts(ORG, &search("damp", page, Some(25)))
                .await
                .unwrap();
            seen.extend(refs(&next));
            if page >= 3 {
                assert_eq!((next.total, next.more), (30, false), "page {page}");
            }
        }
        assert_eq!(seen, damp);

        // A rare word: every match, newest first, counted exactly.
        let rare = store
            .list_contacts(ORG, &search("boiler", 1, None))
            .await
            .unwrap();
        assert_eq!(refs(&rare), boiler);
        assert_eq!((rare.total, rare.more), (5, false));

        // A rare word with a filter (PostgreSQL gathers these from its index).
        let thanks = ContactFilter {
            kind: Some(ContactKind::Compliment),
            ..search("treating", 1, None)
        };
        let compliments: Vec<String> = damp
            .iter()
            .filter(|r| !damp_complaints.contains(r))
            .cloned()
            .collect();
        let found = store.list_contacts(ORG, &thanks).await.unwrap();
        assert_eq!(refs(&found), compliments);
        let none = ContactFilter {
            kind: Some(ContactKind::Compliment),
            ..search("boiler", 1, None)
        };
        assert_eq!(store.list_contacts(ORG, &none).await.unwrap().total, 0);

        // However far on a page is asked for, a search reads a bounded number of matches.
        let far = store
            .list_contacts(ORG, &search("damp", u32::MAX, None))
            .await
            .unwrap();
        assert!(far.items.is_empty());
        assert_eq!((far.total, far.more), (30, false));

        // With a filter: only the complaints, still newest first.
        let filtered = ContactFilter {
            kind: Some(ContactKind::Complaint),
            per_page: 30,
            ..search("damp", 1, None)
        };
        let complaints = store.list_contacts(ORG, &filtered).await.unwrap();
        assert_eq!(refs(&complaints), damp_complaints);
        assert_eq!(complaints.total, 25);

        // The other organisation sees only its own.
        let other = store
            .list_contacts("org-2", &search("damp", 1, None))
            .await
            .unwrap();
        assert_eq!(other.total, 1);
        assert_eq!(other.items[0].name.as_deref(), Some("Cy Dee"));
    })
    .await;
}

/// The case list downloaded as CSV asks for up to 10,000 cases in one page, and gets them
/// all, each once; searches too.
#[tokio::test]
async fn a_download_s_page_holds_more_than_a_screen_s() {
    on_each_backend(|store| async move {
        for i in 0..205 {
            add(
                &store,
                input("complaint", "Ann Lee", &format!("Leak number {i}")),
                None,
            )
            .await;
        }
        for search in [None, Some("leak".to_string())] {
            let page = store
                .list_contacts(
                    ORG,
                    &ContactFilter {
                        search: search.clone(),
                        per_page: redress_store::MOST_PER_PAGE,
                        page: 1,
                        ..Default::default()
                    },
                )
                .await
                .unwrap();
            assert_eq!(page.items.len(), 205, "{search:?}");
            assert_eq!((page.total, page.more), (205, false), "{search:?}");
            let mut seen: Vec<&str> = page.items.iter().map(|c| c.reference.as_str()).collect();
            seen.sort_unstable();
            seen.dedup();
            assert_eq!(seen.len(), 205, "each case once");
        }
    })
    .await;
}

#[tokio::test]
async fn search_accepts_anything_typed() {
    on_each_backend(|store| async move {
        add(
            &store,
            input("complaint", "Aled Jones", "The boiler is broken"),
            None,
        )
        .await;
        let org = ORG.to_string();
        let mut typed: Vec<String> = [
            "\"",
            "'",
            "*",
            "AND",
            "OR NOT",
            "NEAR(a b)",
            "a:b",
            "^x",
            "(",
            ")",
            "%",
            "_",
            "\\",
            "'; DROP TABLE contacts; --",
            "\u{0}",
            "é€漢字",
            "CMP-",
            "CMP-2026-",
            "----",
            "  ",
            "boiler\"*",
            "{}[]",
            "\u{feff}boiler",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        // And random strings from a seed, so a failure can be replayed: a few hundred in
        // every test run, more with a new seed in CI's bounded fuzzing (FUZZ_CASES, FUZZ_SEED).
        let alphabet: Vec<char> = "ab \"'*():^-_%\\\u{0}é漢?!.,;+=@".chars().collect();
        let env = |name: &str, default: u64| {
            std::env::var(name)
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(default)
        };
        let mut seed = env("FUZZ_SEED", 42);
        eprintln!("FUZZ_SEED={seed}");
        for _ in 0..env("FUZZ_CASES", 300) {
            let mut s = String::new();
            for _ in 0..(seed % 17) {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                s.push(alphabet[(seed >> 33) as usize % alphabet.len()]);
            }
            typed.push(s);
        }
        for q in typed {
            let filter = ContactFilter {
                search: Some(q.clone()),
                per_page: 10,
                page: 1,
                ..Default::default()
            };
            assert!(
                store.list_contacts(&org, &filter).await.is_ok(),
                "search for {q:?}"
            );
        }
        let found = store
            .list_contacts(
                &org,
                &ContactFilter {
                    search: Some("boiler\"*".into()),
                    per_page: 10,
                    page: 1,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(found.total, 1, "punctuation around a word still finds it");
    })
    .await;
}
