//! What My work, corrections and letter checks need of the store: the new list filters,
//! a corrected person written through to the list and search, the workload of some areas
//! only, and drafts changed together with the case's history or not at all.

use super::{ORG, add, input, now, on_each_backend};
use jiff::civil::date;
use redress_domain::calendar::{Division, WorkingCalendar};
use redress_domain::case::{Assignee, Command, Context, LetterStep};
use redress_domain::contact::{Contact, ContactKind, Source};
use redress_domain::event::{Actor, EventKind};
use redress_domain::letter::{Delivery, Letter, LetterKind};
use redress_domain::scheme::Scheme;
use redress_store::{ContactFilter, LetterChange, StoreError};

fn context<'a>(scheme: &'a Scheme, cal: &'a WorkingCalendar) -> Context<'a> {
    Context {
        scheme,
        calendar: cal,
        actor: Actor::staff("u1", "Officer"),
        at: now(),
        today: date(2026, 3, 20),
        payment_approval_above: None,
    }
}

async fn count(store: &redress_store::Store, f: ContactFilter) -> i64 {
    store
        .list_contacts(ORG, &ContactFilter { per_page: 50, ..f })
        .await
        .unwrap()
        .total
}

#[tokio::test]
async fn the_list_finds_new_contacts_to_triage_and_answers_to_follow_up() {
    on_each_backend(|store| async move {
        let scheme = Scheme::find_built_in("hos-2024").unwrap();
        let cal = WorkingCalendar::standard(Division::EnglandAndWales);
        let ctx = context(&scheme, &cal);
        let mut taken = add(&store, input("complaint", "Aled", "leak"), None)
            .await
            .into_contact();
        add(&store, input("complaint", "Bea", "damp"), None).await;
        let events = taken
            .apply(
                Command::AssignOfficer {
                    to: Assignee {
                        user_id: "u1".into(),
                        name: "Officer".into(),
                    },
                    reason: None,
                },
                &ctx,
            )
            .unwrap();
        store.save_contact(&taken, &events, &[]).await.unwrap();
        taken.version += 1;
        let triage = ContactFilter {
            awaiting_triage: true,
            ..Default::default()
        };
        assert_eq!(count(&store, triage).await, 1, "Bea's is nobody's yet");
        let open = ContactFilter {
            open: true,
            ..Default::default()
        };
        assert_eq!(count(&store, open).await, 2);

        let follow_up = ContactFilter {
            follow_up: true,
            ..Default::default()
        };
        assert_eq!(count(&store, follow_up.clone()).await, 0);
        let answer = redress_domain::survey::SurveyAnswer {
            stage: 1,
            answered_on: date(2026, 3, 10),
            handling: redress_domain::survey::Rating::Dissatisfied,
            outcome: None,
            why: None,
            better: None,
        };
        let events = taken.apply(Command::RecordSurvey { answer }, &ctx).unwrap();
        store.save_contact(&taken, &events, &[]).await.unwrap();
        taken.version += 1;
        assert_eq!(count(&store, follow_up.clone()).await, 1);
        let events = taken
            .apply(
                Command::FollowUpSurvey {
                    stage: 1,
                    on: date(2026, 3, 11),
                    note: "Rang".into(),
                },
                &ctx,
            )
            .unwrap();
        store.save_contact(&taken, &events, &[]).await.unwrap();
        assert_eq!(count(&store, follow_up).await, 0);
    })
    .await;
}

#[tokio::test]
async fn a_corrected_person_is_found_by_their_new_name() {
    on_each_backend(|store| async move {
        let scheme = Scheme::find_built_in("hos-2024").unwrap();
        let cal = WorkingCalendar::standard(Division::EnglandAndWales);
        let mut c = add(&store, input("complaint", "Aled Jonse", "leak"), None)
            .await
            .into_contact();
        let values = [("name", "Aled Jones"), ("tenure", "leaseholder")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let events = c
            .apply(
                Command::Correct {
                    values,
                    reason: "Typo".into(),
                },
                &context(&scheme, &cal),
            )
            .unwrap();
        store.save_contact(&c, &events, &[]).await.unwrap();
        let read = store
            .contact_by_reference(ORG, &c.reference)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(read.detail.person.unwrap().name.as_str(), "Aled Jones");
        assert_eq!(read.detail.tenure.map(|t| t.as_str()), Some("leaseholder"));
        let found = store
            .list_contacts(
                ORG,
                &ContactFilter {
                    search: Some("Jones".into()),
                    per_page: 10,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(found.items.len(), 1);
        assert_eq!(found.items[0].name.as_deref(), Some("Aled Jones"));
        let events = store.events(&c.id).await.unwrap();
        assert_eq!(events.last().map(|e| e.kind), Some(EventKind::Corrected));
    })
    .await;
}

#[tokio::test]
async fn a_draft_changes_with_the_case_s_history_or_not_at_all() {
    on_each_backend(|store| async move {
        let scheme = Scheme::find_built_in("hos-2024").unwrap();
        let cal = WorkingCalendar::standard(Division::EnglandAndWales);
        let mut c = add(&store, input("complaint", "Aled", "leak"), None)
            .await
            .into_contact();
        let draft = Letter {
            kind: LetterKind::Acknowledgement,
            delivery: Delivery::Email,
            recipient: "aled@example.org".into(),
            large_print: false,
            subject: "We have your complaint".into(),
            body: "Dear Aled".into(),
            draft_by: Some("u1".into()),
            convert: None,
            language: redress_domain::language::Language::English,
        };
        store.queue_letters(&c.id, &[draft]).await.unwrap();
        let id = store.letters(ORG, &c.id).await.unwrap()[0].id.clone();
        let letter = store.letter(ORG, &id).await.unwrap().unwrap();
        assert_eq!(
            (letter.status.as_str(), letter.drafted_by.as_deref()),
            ("draft", Some("u1"))
        );
        let claimed = store.claim_outbox(now(), now(), 10).await.unwrap();
        assert!(claimed.is_empty(), "a draft is never emailed");

        let step = |c: &mut redress_domain::contact::Contact, step| {
            c.apply(
                Command::CheckLetter {
                    letter_id: id.clone(),
                    subject: "We have your complaint".into(),
                    step,
                },
                &context(&scheme, &cal),
            )
            .unwrap()
        };
        let edit = step(
            &mut c,
            LetterStep::Edited {
                before: "Dear Aled".into(),
                after: "Dear Mr Jones".into(),
            },
        );
        let change = LetterChange {
            body: Some("Dear Mr Jones".into()),
            ..LetterChange::default()
        };
        store
            .save_letter_check(&c, &edit, &[(id.clone(), change)])
            .await
            .unwrap();
        c.version += 1;
        let release = step(
            &mut c,
            LetterStep::Released {
                how: "emailed".into(),
            },
        );
        let send = LetterChange {
            status: Some("pending"),
            ..LetterChange::default()
        };
        store
            .save_letter_check(&c, &release, &[(id.clone(), send.clone())])
            .await
            .unwrap();
        c.version += 1;
        let letter = store.letter(ORG, &id).await.unwrap().unwrap();
        assert_eq!(
            (letter.status.as_str(), letter.body.as_str()),
            ("pending", "Dear Mr Jones")
        );
        // Sent already: refused, and the history gains nothing.
        let again = step(
            &mut c,
            LetterStep::Released {
                how: "emailed".into(),
            },
        );
        assert!(matches!(
            store
                .save_letter_check(&c, &again, &[(id.clone(), send)])
                .await,
            Err(StoreError::Conflict)
        ));
        let kinds: Vec<EventKind> = store
            .events(&c.id)
            .await
            .unwrap()
            .iter()
            .map(|e| e.kind)
            .collect();
        assert_eq!(
            kinds,
            [
                EventKind::Received,
                EventKind::LetterEdited,
                EventKind::LetterReleased
            ]
        );
        // Released letters go out as the outbox finds them due: from the time of release.
        let later = jiff::Timestamp::now() + jiff::SignedDuration::from_mins(1);
        assert_eq!(store.claim_outbox(later, later, 10).await.unwrap().len(), 1);
    })
    .await;
}

#[tokio::test]
async fn the_workload_of_some_areas_counts_only_their_cases() {
    on_each_backend(|store| async move {
        let scheme = Scheme::find_built_in("hos-2024").unwrap();
        let cal = WorkingCalendar::standard(Division::EnglandAndWales);
        let user = store
            .create_user(
                &redress_domain::role::User {
                    id: "u1".into(),
                    email: "o@test.org".into(),
                    name: "Officer".into(),
                    role: redress_domain::role::Role::ComplaintsOfficer,
                    active: true,
                },
                "hash",
                now(),
            )
            .await;
        assert!(user.is_ok(), "{user:?}");
        store
            .add_service_area(
                ORG,
                &redress_domain::organisation::ServiceArea {
                    id: "repairs".into(),
                    name: "Repairs".into(),
                    scheme: "hos-2024".into(),
                },
            )
            .await
            .unwrap();
        for (name, area) in [("Aled", Some("repairs")), ("Bea", None)] {
            let mut c = add(&store, input("complaint", name, "leak"), None)
                .await
                .into_contact();
            c.detail.service_area = area.map(str::to_string);
            let events = c
                .apply(
                    Command::AssignOfficer {
                        to: Assignee {
                            user_id: "u1".into(),
                            name: "Officer".into(),
                        },
                        reason: None,
                    },
                    &context(&scheme, &cal),
                )
                .unwrap();
            store.save_contact(&c, &events, &[]).await.unwrap();
        }
        let held = |areas: Option<Vec<String>>| {
            let store = store.clone();
            async move {
                store
                    .workload(ORG, date(2026, 3, 20), areas.as_deref())
                    .await
                    .unwrap()
                    .iter()
                    .find(|w| w.user_id == "u1")
                    .map(|w| w.as_officer)
            }
        };
        assert_eq!(held(None).await, Some(2));
        assert_eq!(held(Some(vec!["repairs".into()])).await, Some(1));
        assert_eq!(held(Some(Vec::new())).await, Some(0));
    })
    .await;
}

#[tokio::test]
async fn most_urgent_first_means_the_next_deadline_shown() {
    on_each_backend(|store| async move {
        let scheme = Scheme::find_built_in("hos-2024").unwrap();
        let cal = WorkingCalendar::standard(Division::EnglandAndWales);
        // A came in on 2 March and is not yet acknowledged: due 9 March. B came in on
        // 25 February and was acknowledged the next day: its response is due 12 March,
        // before A's response would be but after A's acknowledgement is due.
        let mut made = Vec::new();
        for (name, received) in [("Aled", "2026-03-02"), ("Bea", "2026-02-25")] {
            let mut i = input("complaint", name, "leak");
            i.channel = "phone".into();
            i.received_date = received.into();
            let detail = i.parse(Source::Staff, now()).unwrap();
            let (scheme, cal) = (scheme.clone(), cal.clone());
            let c = store
                .insert_contact(
                    ORG,
                    None,
                    (ContactKind::Complaint, 2026),
                    move |reference| {
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
                .await
                .unwrap()
                .into_contact();
            made.push(c);
        }
        let mut bea = made.pop().unwrap();
        let aled = made.pop().unwrap();
        let events = bea
            .apply(
                Command::Acknowledge {
                    on: date(2026, 2, 26),
                    understanding: "Leak".into(),
                    outcome_wanted: "Fix".into(),
                },
                &context(&scheme, &cal),
            )
            .unwrap();
        store.save_contact(&bea, &events, &[]).await.unwrap();
        assert_eq!(aled.next_deadline(), Some(date(2026, 3, 9)));
        assert_eq!(bea.next_deadline(), Some(date(2026, 3, 12)));
        assert!(bea.respond_by() < aled.respond_by());
        let list = store
            .list_contacts(
                ORG,
                &ContactFilter {
                    per_page: 10,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let order: Vec<&str> = list.items.iter().map(|c| c.reference.as_str()).collect();
        assert_eq!(order, [aled.reference.as_str(), bea.reference.as_str()]);
    })
    .await;
}
