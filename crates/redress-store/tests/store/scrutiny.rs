//! Resident scrutiny in the store: requests with their history, one signature per person,
//! the threshold met once however many sign together, and scrutiny letters sent through
//! the outbox once.

use super::{ORG, on_each_backend};
use jiff::Timestamp;
use jiff::civil::date;
use redress_domain::letter::{Delivery, Letter, LetterKind};
use redress_domain::scrutiny::matrix::{Criterion, MatrixSettings, Source, score};
use redress_domain::scrutiny::meeting::Meeting;
use redress_domain::scrutiny::petition::Signature;
use redress_domain::scrutiny::programme::{DEFAULT_STAGES, Exercise};
use redress_domain::scrutiny::{Request, RequestAnswers, Status, Step};
use redress_store::{Doer, Figure, Signed, Store, StoreError};

fn answers() -> RequestAnswers {
    [
        ("name", "Ada Lovelace"),
        ("email", "ada@example.org"),
        ("preferred_contact", "email"),
        ("concerns", "Communal repairs are left for months"),
        ("actions_taken", "Complained twice"),
        ("failures", "Broken door entry since March"),
        ("affected", "Everyone in Oak House"),
        ("resolution", "Fix repairs within the published times"),
        ("signature", "Ada Lovelace"),
        ("declaration", "yes"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

fn public() -> Doer {
    Doer {
        id: None,
        name: "Online form".into(),
    }
}

/// A sent petition needing `threshold` signatures from LS6.
async fn petition(store: &Store, threshold: u32) -> (Request, i64) {
    let today = date(2026, 3, 2);
    let mut r = Request::draft(uuid::Uuid::now_v7().to_string(), String::new(), answers());
    let sent = r.submit(&answers(), today).unwrap();
    r.apply(&sent, today);
    let r = store
        .create_scrutiny_request(
            (ORG, 2026),
            r,
            &uuid::Uuid::now_v7().to_string(),
            &[sent],
            &public(),
            &[],
            |r| {
                vec![Letter {
                    kind: LetterKind::ScrutinyLink,
                    delivery: Delivery::Email,
                    recipient: "ada@example.org".into(),
                    large_print: false,
                    subject: format!("Your link for {}", r.reference),
                    body: "Keep it".into(),
                    draft_by: None,
                    convert: None,
                    language: redress_domain::language::Language::English,
                }]
            },
        )
        .await
        .unwrap();
    let mut next = r.clone();
    let ack = r.acknowledge(today, today).unwrap();
    next.apply(&ack, today);
    let mut steps = vec![ack];
    steps.extend(
        next.set_route("petition", &threshold.to_string(), "LS6")
            .unwrap(),
    );
    for s in &steps[1..] {
        next.apply(s, today);
    }
    let v = store
        .save_scrutiny_request(&next, 1, &steps, &[], &public())
        .await
        .unwrap();
    (next, v)
}

#[tokio::test]
async fn a_request_keeps_its_state_history_and_references() {
    on_each_backend(|store| async move {
        let (first, version) = petition(&store, 3).await;
        let (second, _) = petition(&store, 3).await;
        assert_eq!(first.reference, "CCS-2026-0001");
        assert_eq!(second.reference, "CCS-2026-0002");
        let link = store.scrutiny_messages(&second.id).await.unwrap();
        assert_eq!(link.len(), 1, "written with the request");
        assert_eq!(link[0].subject, "Your link for CCS-2026-0002");
        let (read, v) = store
            .scrutiny_request(ORG, &first.id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((read.clone(), v), (first.clone(), version));
        assert_eq!(
            store
                .scrutiny_request_by_reference(ORG, "CCS-2026-0001")
                .await
                .unwrap()
                .map(|(r, _)| r.id),
            Some(first.id.clone())
        );
        assert!(
            store
                .scrutiny_request(ORG, "no-such")
                .await
                .unwrap()
                .is_none()
        );
        // A write from a stale read is refused and leaves no history behind.
        let note = read.note("Called the requester").unwrap();
        assert!(matches!(
            store
                .save_scrutiny_request(
                    &read,
                    version - 1,
                    std::slice::from_ref(&note),
                    &[],
                    &public()
                )
                .await,
            Err(StoreError::Conflict)
        ));
        store
            .save_scrutiny_request(&read, version, &[note], &[], &public())
            .await
            .unwrap();
        let history = store.scrutiny_history(&first.id).await.unwrap();
        let lines: Vec<&str> = history.iter().map(|h| h.summary.as_str()).collect();
        assert_eq!(
            lines,
            [
                "Request sent",
                "Received and acknowledged on 2 March 2026",
                "Route: Petition: residents sign to show support; 3 signatures needed",
                "Action recorded"
            ]
        );
        assert!(matches!(history[3].step, Some(Step::StaffNote { .. })));
        assert_eq!(store.scrutiny_requests(ORG).await.unwrap().len(), 2);
    })
    .await;
}

#[tokio::test]
async fn each_person_signs_once_and_the_threshold_is_met_once() {
    on_each_backend(|store| async move {
        let (r, v) = petition(&store, 3).await;
        let areas = r.eligible.clone();
        let sig = |name: &str, email: &str| {
            Signature::parse(name, email, "LS6 1AA", true, false, &areas).unwrap()
        };
        let Signed::Counted(after, v) = store
            .sign_petition(
                &r,
                v,
                &sig("Ann Smith", "ann@example.org"),
                date(2026, 3, 3),
                &public(),
            )
            .await
            .unwrap()
        else {
            panic!("the first signature counts");
        };
        assert_eq!(after.signatures, 1);
        for again in [
            sig("ann  SMITH", ""),
            sig("Someone Else", "ANN@example.org"),
        ] {
            assert_eq!(
                store
                    .sign_petition(&after, v, &again, date(2026, 3, 3), &public())
                    .await
                    .unwrap(),
                Signed::AlreadySigned
            );
        }
        // Five people sign at once, each retrying on a stale read as the app does.
        let sign = |name: String| {
            let store = store.clone();
            let areas = areas.clone();
            let id = r.id.clone();
            async move {
                let s = Signature::parse(&name, "", "LS6 2BB", true, false, &areas).unwrap();
                loop {
                    let (current, v) = store.scrutiny_request(ORG, &id).await.unwrap().unwrap();
                    match store
                        .sign_petition(&current, v, &s, date(2026, 3, 3), &public())
                        .await
                    {
                        Ok(_) => return,
                        Err(StoreError::Conflict) => continue,
                        Err(e) => panic!("{e}"),
                    }
                }
            }
        };
        let _ = tokio::join!(
            sign("B One".into()),
            sign("B Two".into()),
            sign("B Three".into()),
            sign("B Four".into()),
            sign("B Five".into())
        );
        let (done, _) = store.scrutiny_request(ORG, &r.id).await.unwrap().unwrap();
        assert_eq!(done.signatures, 6);
        assert_eq!(done.status, Status::Ready);
        assert_eq!(store.signatures(&r.id).await.unwrap().len(), 6);
        let history = store.scrutiny_history(&r.id).await.unwrap();
        let ready = history
            .iter()
            .filter(|h| matches!(h.step, Some(Step::Ready { .. })))
            .count();
        assert_eq!(ready, 1, "ready once, however many signed together");
    })
    .await;
}

#[tokio::test]
async fn letters_to_requesters_go_through_the_outbox_once() {
    on_each_backend(|store| async move {
        let (r, v) = petition(&store, 3).await;
        let letter = |delivery, subject: &str| Letter {
            kind: LetterKind::ScrutinyDecision,
            delivery,
            recipient: "ada@example.org".into(),
            large_print: false,
            subject: subject.into(),
            body: "Dear Ada".into(),
            draft_by: None,
            convert: None,
            language: redress_domain::language::Language::English,
        };
        store
            .save_scrutiny_request(
                &r,
                v,
                &[],
                &[
                    letter(Delivery::Email, "By email"),
                    letter(Delivery::Post, "By post"),
                ],
                &public(),
            )
            .await
            .unwrap();
        let t = |s: &str| -> Timestamp { s.parse().unwrap() };
        let (a, b) = tokio::join!(
            store.claim_outbox(t("2099-01-01T00:00:00Z"), t("2099-01-01T00:05:00Z"), 10),
            store.claim_outbox(t("2099-01-01T00:00:00Z"), t("2099-01-01T00:05:00Z"), 10)
        );
        let mut claimed: Vec<_> = a.unwrap().into_iter().chain(b.unwrap()).collect();
        claimed.sort_by(|x, y| x.subject.cmp(&y.subject));
        let subjects: Vec<&str> = claimed.iter().map(|l| l.subject.as_str()).collect();
        assert_eq!(
            subjects,
            [
                "By email",
                format!("Your link for {}", r.reference).as_str()
            ],
            "each email claimed once, by one worker; letters by post are not claimed"
        );
        assert!(claimed.iter().all(|l| l.reference.as_str() == r.reference));
        for l in &claimed {
            store
                .mark_letter(&l.id, "sent", t("2099-01-01T00:01:00Z"), None, None)
                .await
                .unwrap();
        }
        let kept = store.scrutiny_messages(&r.id).await.unwrap();
        let states: Vec<(&str, &str)> = kept
            .iter()
            .filter(|l| l.kind == LetterKind::ScrutinyDecision)
            .map(|l| (l.subject.as_str(), l.status.as_str()))
            .collect();
        assert_eq!(states, [("By email", "sent"), ("By post", "to-print")]);
    })
    .await;
}

#[tokio::test]
async fn meetings_figures_scores_and_exercises_read_back() {
    on_each_backend(|store| async move {
        let m = Meeting::parse(
            "m1".into(),
            "2026-04-09",
            "18:30",
            "Community hall",
            date(2026, 3, 1),
        )
        .unwrap();
        store.save_meeting(ORG, &m).await.unwrap();
        let mut cancelled = m.clone();
        cancelled.cancelled = true;
        store.save_meeting(ORG, &cancelled).await.unwrap();
        assert_eq!(store.meetings(ORG).await.unwrap(), vec![cancelled]);

        let figure = Figure {
            area_id: "repairs".into(),
            criterion: Criterion::Performance,
            value: Some(72.5),
            evidence: "Q2 KPI report".into(),
        };
        store.save_figure(ORG, 2026, &figure, "Mary").await.unwrap();
        store
            .save_figure(
                ORG,
                2026,
                &Figure {
                    value: Some(80.0),
                    ..figure.clone()
                },
                "Sam",
            )
            .await
            .unwrap();
        assert_eq!(store.figures(ORG, 2026).await.unwrap()[0].value, Some(80.0));
        assert!(store.figures(ORG, 2025).await.unwrap().is_empty());
        // The figure in use is the latest; both are in the history, latest first.
        let changes = store.scrutiny_changes(ORG).await.unwrap();
        let kept: Vec<_> = changes
            .iter()
            .map(|c| (c.what.as_str(), c.year, c.area_id.as_deref(), c.by.as_str()))
            .collect();
        assert_eq!(
            kept,
            [
                ("figure", Some(2026), Some("repairs"), "Sam"),
                ("figure", Some(2026), Some("repairs"), "Mary")
            ]
        );
        assert!(changes[0].value.contains("80") && changes[1].value.contains("72.5"));

        let s = MatrixSettings::default();
        let low = score(
            &s,
            "a",
            "Estates",
            vec![(
                Criterion::Complaints,
                Some(1.0),
                Source::Computed,
                "1".into(),
            )],
            0,
        );
        let high = score(
            &s,
            "b",
            "Repairs",
            vec![(
                Criterion::Complaints,
                Some(50.0),
                Source::Computed,
                "50".into(),
            )],
            1,
        );
        store
            .save_scores(ORG, 2026, &[low.clone(), high.clone()], "Mary")
            .await
            .unwrap();
        store
            .save_scores(ORG, 2026, &[low.clone(), high.clone()], "Mary")
            .await
            .unwrap();
        let kept: Vec<_> = store
            .scores(ORG, 2026)
            .await
            .unwrap()
            .into_iter()
            .map(|(s, _, by)| (s, by))
            .collect();
        // Scoring again keeps a second version: the earlier one is not replaced.
        assert_eq!(
            kept,
            vec![
                (high.clone(), "Mary".to_string()),
                (low.clone(), "Mary".to_string()),
                (high, "Mary".to_string()),
                (low, "Mary".to_string())
            ]
        );
        let when: std::collections::BTreeSet<_> = store
            .scores(ORG, 2026)
            .await
            .unwrap()
            .into_iter()
            .map(|(_, at, _)| at)
            .collect();
        assert_eq!(when.len(), 2, "two dated versions");

        let stages: Vec<String> = DEFAULT_STAGES.iter().map(|s| s.to_string()).collect();
        let x = Exercise::new("x1".into(), 2026, "b".into(), &stages);
        let by = Doer {
            id: None,
            name: "Mary".into(),
        };
        store.create_exercise(ORG, &x, &by).await.unwrap();
        assert!(matches!(
            store
                .create_exercise(
                    ORG,
                    &Exercise::new("x2".into(), 2026, "b".into(), &stages),
                    &by
                )
                .await,
            Err(StoreError::Duplicate(_))
        ));
        let mut changed = x.clone();
        let line = changed.add_recommendation("Publish repair times").unwrap();
        store.save_exercise(&changed, 1, &line, &by).await.unwrap();
        assert!(matches!(
            store.save_exercise(&changed, 1, &line, &by).await,
            Err(StoreError::Conflict)
        ));
        assert_eq!(store.exercises(ORG).await.unwrap(), vec![(changed, 2)]);
        let history: Vec<String> = store
            .scrutiny_history("x1")
            .await
            .unwrap()
            .into_iter()
            .map(|h| h.summary)
            .collect();
        assert_eq!(
            history,
            ["Added to the programme", "Recommendation 1 added"]
        );
    })
    .await;
}

/// Sets every contact's language back to unrecorded, as contacts received before the
/// language had its own column are.
async fn forget_contact_languages(url: &str) {
    let sql = "UPDATE contacts SET language = NULL";
    if url.starts_with("sqlite") {
        let pool = sqlx::SqlitePool::connect(url).await.unwrap();
        sqlx::query(sql).execute(&pool).await.unwrap();
        pool.close().await;
    } else {
        let pool = sqlx::PgPool::connect(url).await.unwrap();
        sqlx::query(sql).execute(&pool).await.unwrap();
        pool.close().await;
    }
}

#[tokio::test]
async fn the_language_report_counts_older_contacts_by_their_needs_and_scrutiny_letters_too() {
    redress_testkit::on_each_database(|url| async move {
        let store = Store::connect(&url).await.unwrap();
        super::create_org(&store).await;
        let mut welsh = super::input("complaint", "Aled Jones", "Dim gwres");
        welsh.language = "Cymraeg".into();
        super::add(&store, welsh, None).await;
        super::add(
            &store,
            super::input("complaint", "Ann Lee", "No heating"),
            None,
        )
        .await;
        forget_contact_languages(&url).await;
        petition(&store, 3).await;
        // The letter is written now, whatever the day: the period runs on well past it.
        let until = date(2099, 12, 31);
        let whole = store
            .language_counts(ORG, date(2026, 3, 1), until, None)
            .await
            .unwrap();
        assert_eq!(
            whole.contacts,
            vec![(None, 1), (Some("cy".to_string()), 1)],
            "a contact whose needs say Welsh still counts as Welsh"
        );
        assert_eq!(whole.scrutiny_letters, Some(vec![("en".to_string(), 1)]));
        let area = store
            .language_counts(ORG, date(2026, 3, 1), until, Some("sa1"))
            .await
            .unwrap();
        assert_eq!(
            area.scrutiny_letters, None,
            "a call for scrutiny has no service area"
        );
        store.close().await;
    })
    .await;
}
