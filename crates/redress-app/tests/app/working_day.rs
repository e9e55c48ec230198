//! A complaints officer's day: My work, letters checked before they go (with a second
//! person's approval where asked), details corrected with a trace, payments approved by
//! someone else above a limit, and compliments and unhappy survey answers that reach a
//! person. Each on both databases.

use super::permissions::{as_role, demo};
use redress_app::access::Principal;
use redress_app::letter_checks::seen;
use redress_app::{App, AppError, settings};
use redress_domain::calendar::Division;
use redress_domain::case::{Command, PointDecision};
use redress_domain::contact::{ContactInput, Reference, Source};
use redress_domain::letter::{Delivery, Letter, LetterKind};
use redress_domain::role::{Permission, Role, User};
use redress_store::{ContactFilter, Store};
use redress_testkit::on_each_backend;
use std::collections::BTreeMap;

async fn app(store: &Store) -> App {
    settings::ensure_organisation(store, "Demo Homes", Division::EnglandAndWales, "hos-2024")
        .await
        .unwrap();
    App::load(store.clone()).await.unwrap()
}

/// A member of staff with an account, so My work and approvals know them.
async fn staff(app: &App, email: &str, name: &str, role: Role) -> (User, Principal) {
    let admin = Principal::System;
    let user = app
        .add_user(&admin, email, name, role, "correct-horse-battery")
        .await
        .unwrap();
    (user.clone(), Principal::Staff(user))
}

async fn complaint(app: &App, name: &str, tenure: &str) -> String {
    let input = ContactInput {
        kind: "complaint".into(),
        channel: "email".into(),
        who: "myself".into(),
        name: name.into(),
        email: "resident@example.org".into(),
        preferred_contact: "email".into(),
        tenure: tenure.into(),
        summary: "Nobody came to fix the leak".into(),
        ..Default::default()
    };
    app.submit_contact(&Principal::System, &input, Source::Staff, None)
        .await
        .unwrap()
        .into_contact()
        .reference
        .to_string()
}

/// The officer acknowledges the complaint: its letter waits as a draft.
async fn acknowledge(app: &App, officer: &Principal, reference: &str) {
    let ack = Command::Acknowledge {
        on: app.today(),
        understanding: "Missed repairs".into(),
        outcome_wanted: "A repair".into(),
    };
    app.apply_command(officer, reference, ack, None)
        .await
        .unwrap();
}

fn respond(app: &App) -> Command {
    Command::Respond {
        on: app.today(),
        points: vec![PointDecision {
            point: "Leak".into(),
            upheld: true,
        }],
        reasons: "The repair was missed".into(),
        outstanding_actions: None,
        early_resolution: false,
    }
}

async fn letters(app: &App, who: &Principal, reference: &str) -> Vec<redress_store::StoredLetter> {
    app.open_case(who, reference, "test").await.unwrap().letters
}

#[tokio::test]
async fn a_final_response_waits_for_a_second_person_and_the_survey_goes_with_it() {
    on_each_backend(|store| async move {
        let app = app(&store).await;
        let (_, admin) = staff(&app, "admin@test.org", "Ada Admin", Role::Admin).await;
        let (priya, officer) = staff(
            &app,
            "priya@test.org",
            "Priya Shah",
            Role::ComplaintsOfficer,
        )
        .await;
        let (_, second) = staff(&app, "sam@test.org", "Sam Lead", Role::ComplaintsOfficer).await;
        let form: BTreeMap<String, String> = [
            ("signatory_name", "Jo Bloggs"),
            ("signatory_title", "Complaints Manager"),
            ("final_name", "Chris Chief"),
            ("final_title", "Chief Executive"),
            ("final_approval", "yes"),
            ("payment_limit", ""),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        assert!(matches!(
            app.save_letter_settings(&officer, &form).await,
            Err(AppError::Forbidden)
        ));
        app.save_letter_settings(&admin, &form).await.unwrap();
        let reach: BTreeMap<String, String> = [
            ("phone", "0300 000 0000"),
            ("email", "complaints@demo.test"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        assert!(matches!(
            app.set_reach(&officer, &reach).await,
            Err(AppError::Forbidden)
        ));
        app.set_reach(&admin, &reach).await.unwrap();

        // A one-stage scheme would make stage 1 final; here stage 2 is the final stage.
        let reference = complaint(&app, "Aled Jones", "").await;
        acknowledge(&app, &officer, &reference).await;
        let ack_letter = letters(&app, &officer, &reference).await.remove(0);
        assert_eq!(ack_letter.status, "draft");
        assert_eq!(ack_letter.drafted_by.as_deref(), Some(priya.id.as_str()));
        assert!(
            ack_letter
                .body
                .contains("Jo Bloggs\nComplaints Manager\nDemo Homes"),
            "signed: {}",
            ack_letter.body
        );
        assert!(
            ack_letter
                .body
                .ends_with("Telephone: 0300 000 0000\nEmail: complaints@demo.test"),
            "a resident who gets a letter can reply: {}",
            ack_letter.body
        );
        app.release_letter(&officer, &ack_letter.id, &seen(&ack_letter))
            .await
            .unwrap();
        assert!(matches!(
            app.release_letter(&officer, &ack_letter.id, &seen(&ack_letter))
                .await,
            Err(AppError::Conflict(_))
        ));

        app.apply_command(&officer, &reference, respond(&app), None)
            .await
            .unwrap();
        let stage1 = letters(&app, &officer, &reference).await;
        let response = stage1
            .iter()
            .find(|l| l.kind == LetterKind::StageResponse)
            .unwrap();
        assert!(
            !response.body.contains("{{"),
            "nothing unfilled: {}",
            response.body
        );
        app.release_letter(&officer, &response.id, &seen(response))
            .await
            .unwrap();
        assert!(
            letters(&app, &officer, &reference)
                .await
                .iter()
                .all(|l| l.status != "draft"),
            "the stage 1 survey went with the response"
        );
        let escalate = Command::Escalate {
            requested_on: app.today(),
            reason: Some("The leak is back and nobody has called".into()),
        };
        app.apply_command(&officer, &reference, escalate, None)
            .await
            .unwrap();
        let ack2 = Command::Acknowledge {
            on: app.today(),
            understanding: "The leak is back".into(),
            outcome_wanted: "A repair".into(),
        };
        app.apply_command(&second, &reference, ack2, None)
            .await
            .unwrap();
        let ack2 = letters(&app, &officer, &reference)
            .await
            .into_iter()
            .find(|l| l.kind == LetterKind::EscalationAcknowledgement)
            .unwrap();
        assert!(ack2.body.contains("The leak is back"), "{}", ack2.body);
        app.release_letter(&second, &ack2.id, &seen(&ack2))
            .await
            .unwrap();
        app.apply_command(&second, &reference, respond(&app), None)
            .await
            .unwrap();
        let all = letters(&app, &officer, &reference).await;
        let last = all
            .iter()
            .find(|l| l.kind == LetterKind::FinalResponse)
            .unwrap()
            .clone();
        assert!(
            last.body.contains("Chris Chief\nChief Executive"),
            "{}",
            last.body
        );
        let survey = all
            .iter()
            .rev()
            .find(|l| l.kind == LetterKind::SurveyInvitation)
            .unwrap();
        assert_eq!(survey.status, "draft", "the survey waits for the response");

        // Sam drafted it, so Sam cannot approve it; Priya can.
        let was = seen(&last);
        let refused = app.release_letter(&second, &last.id, &was).await;
        assert!(matches!(&refused, Err(AppError::Invalid(e)) if e.get("approve").is_some()));
        let own = app.approve_letter(&second, &last.id, &was).await;
        assert!(matches!(&own, Err(AppError::Invalid(e)) if e.get("approve").is_some()));
        let check = app.letter_check(&officer, &last.id).await.unwrap();
        assert!(check.needs_approval && check.may_approve && check.may_send);
        assert_eq!(check.seen, was);
        app.approve_letter(&officer, &last.id, &was).await.unwrap();
        // An edit after approval needs approving again.
        let edited = format!("{}\n\nWe are sorry.", last.body);
        app.edit_letter(&second, &last.id, &was, &last.subject, &edited)
            .await
            .unwrap();
        // A step taken on the words as they were before the edit is refused.
        assert!(matches!(
            app.approve_letter(&officer, &last.id, &was).await,
            Err(AppError::Conflict(_))
        ));
        let was = app.letter_check(&officer, &last.id).await.unwrap().seen;
        assert!(app.release_letter(&second, &last.id, &was).await.is_err());
        // Whoever edits a letter cannot be the one to approve it either.
        let priyas = format!("{edited} Please call us.");
        app.edit_letter(&officer, &last.id, &was, &last.subject, &priyas)
            .await
            .unwrap();
        let was = app.letter_check(&officer, &last.id).await.unwrap().seen;
        let check = app.letter_check(&officer, &last.id).await.unwrap();
        assert!(!check.may_approve);
        assert!(app.approve_letter(&officer, &last.id, &was).await.is_err());
        let (_, third) = staff(&app, "kim@test.org", "Kim Third", Role::ComplaintsOfficer).await;
        app.approve_letter(&third, &last.id, &was).await.unwrap();
        app.release_letter(&second, &last.id, &was).await.unwrap();
        let after = letters(&app, &officer, &reference).await;
        let status = |kind| {
            after
                .iter()
                .rev()
                .find(|l| l.kind == kind)
                .map(|l| l.status.clone())
                .unwrap()
        };
        assert_eq!(status(LetterKind::FinalResponse), "pending");
        assert_eq!(
            status(LetterKind::SurveyInvitation),
            "pending",
            "the survey went with the last letter"
        );
        let history = app.case_for(&officer, &reference).await.unwrap().events;
        let said: Vec<&str> = history.iter().map(|e| e.summary.as_str()).collect();
        assert!(
            said.iter().any(|s| s.contains("approved by Priya Shah")),
            "{said:?}"
        );
        assert!(said.iter().any(|s| s.contains("edited before sending")));
        let edit = history
            .iter()
            .find(|e| e.kind == redress_domain::event::EventKind::LetterEdited)
            .unwrap();
        assert!(
            edit.detail["after"]
                .as_str()
                .unwrap()
                .ends_with("We are sorry.")
        );
        assert!(
            !edit.detail["before"]
                .as_str()
                .unwrap()
                .contains("We are sorry.")
        );
        let sent = after
            .iter()
            .rev()
            .find(|l| l.kind == LetterKind::FinalResponse)
            .unwrap();
        assert!(sent.body.ends_with("Please call us."), "{}", sent.body);
    })
    .await;
}

#[tokio::test]
async fn a_draft_is_checked_only_by_those_who_handle_its_case() {
    on_each_backend(|store| async move {
        let d = demo(&store).await;
        let org = d.app.organisation.id.clone();
        let mut drafts = Vec::new();
        for (reference, in_scope_for_manager) in [(&d.repairs_case, true), (&d.other_case, false)] {
            let reference = Reference::parse(reference).unwrap();
            let c = store
                .contact_by_reference(&org, &reference)
                .await
                .unwrap()
                .unwrap();
            let draft = Letter {
                kind: LetterKind::StageResponse,
                delivery: Delivery::Email,
                recipient: "resident@example.org".into(),
                large_print: false,
                subject: "Our response".into(),
                body: "Dear resident".into(),
                draft_by: Some("someone-else".into()),
                convert: None,
                language: redress_domain::language::Language::English,
            };
            store.queue_letters(&c.id, &[draft]).await.unwrap();
            let id = store
                .letters(&org, &c.id)
                .await
                .unwrap()
                .into_iter()
                .find(|l| l.status == "draft")
                .unwrap()
                .id;
            drafts.push((id, in_scope_for_manager));
        }
        for role in Role::ALL.iter().copied() {
            let who = as_role(role, &d);
            for (id, in_scope_for_manager) in &drafts {
                let in_scope = role != Role::ServiceManager || *in_scope_for_manager;
                let read = d.app.letter_check(&who, id).await;
                let was = "what the reader saw";
                assert_eq!(
                    matches!(read, Err(AppError::Forbidden)),
                    !(role.can(Permission::ViewCases) && in_scope),
                    "{role:?} reads {id}: {read:?}"
                );
                let handles = role.can(Permission::HandleCases) && in_scope;
                // The same words: refused as unchanged, never saved, if allowed at all.
                let edit = d
                    .app
                    .edit_letter(&who, id, was, "Our response", "Dear resident")
                    .await;
                assert_eq!(
                    matches!(edit, Err(AppError::Forbidden)),
                    !handles,
                    "{role:?} edits: {edit:?}"
                );
                let approve = d.app.approve_letter(&who, id, was).await;
                assert_eq!(matches!(approve, Err(AppError::Forbidden)), !handles);
            }
        }
        let manager = Principal::Staff(d.manager.clone());
        let (theirs, _) = &drafts[1];
        assert!(matches!(
            d.app.release_letter(&manager, theirs, "whatever").await,
            Err(AppError::Forbidden)
        ));
        let (mine, _) = &drafts[0];
        let was = d.app.letter_check(&manager, mine).await.unwrap().seen;
        d.app.release_letter(&manager, mine, &was).await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn a_correction_is_kept_with_its_old_value_and_the_figures_follow_it() {
    on_each_backend(|store| async move {
        let app = app(&store).await;
        let (_, officer) = staff(
            &app,
            "priya@test.org",
            "Priya Shah",
            Role::ComplaintsOfficer,
        )
        .await;
        let (_, auditor) = staff(&app, "audit@test.org", "Ann Auditor", Role::Auditor).await;
        let reference = complaint(&app, "Aled Jonse", "low-cost-rental").await;
        let year = redress_domain::calendar::uk_date(jiff::Timestamp::now()).year();
        let year = if redress_domain::calendar::uk_date(jiff::Timestamp::now()).month() < 4 {
            year - 1
        } else {
            year
        };
        let tenure = |t: redress_domain::measures::Tsm, key: &str| {
            t.stage1_complaints_by_tenure.get(key).copied().unwrap_or(0)
        };
        let before = app.tsm(&officer, year).await.unwrap();
        assert_eq!(tenure(before, "low-cost-rental"), 1);

        let values: BTreeMap<String, String> = [
            ("name", "Aled Jones"),
            ("tenure", "low-cost-home-ownership"),
            ("email", "aled@example.org"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let correct = Command::Correct {
            values: values.clone(),
            reason: "Name misspelt; he has a shared ownership home".into(),
        };
        assert!(matches!(
            app.apply_command(&auditor, &reference, correct.clone(), None)
                .await,
            Err(AppError::Forbidden)
        ));
        app.apply_command(&officer, &reference, correct, None)
            .await
            .unwrap();
        let view = app.case_for(&officer, &reference).await.unwrap();
        let person = view.contact.detail.person.clone().unwrap();
        assert_eq!(person.name.as_str(), "Aled Jones");
        let event = view.events.last().unwrap();
        assert_eq!(event.actor.name, "Priya Shah");
        assert!(
            event
                .summary
                .contains("name from \"Aled Jonse\" to \"Aled Jones\""),
            "{}",
            event.summary
        );
        // Stored, not only in memory: the list, the search and the reports see it.
        let found = app
            .list_cases_for(
                &officer,
                &ContactFilter {
                    search: Some("Jones".into()),
                    per_page: 10,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert!(
            found
                .items
                .iter()
                .any(|c| c.name.as_deref() == Some("Aled Jones"))
        );
        let after = app.tsm(&officer, year).await.unwrap();
        // CH01 is counted by tenure: the case moves from one to the other.
        assert_eq!(tenure(after.clone(), "low-cost-rental"), 0);
        assert_eq!(tenure(after, "low-cost-home-ownership"), 1);
    })
    .await;
}

#[tokio::test]
async fn a_payment_above_the_limit_is_approved_by_someone_else() {
    on_each_backend(|store| async move {
        let app = app(&store).await;
        let (_, admin) = staff(&app, "admin@test.org", "Ada Admin", Role::Admin).await;
        let (_, priya) = staff(&app, "priya@test.org", "Priya Shah", Role::ComplaintsOfficer).await;
        let (_, sam) = staff(&app, "sam@test.org", "Sam Lead", Role::ComplaintsOfficer).await;
        let form: BTreeMap<String, String> =
            [("final_approval", "no"), ("payment_limit", "£250")]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
        app.save_letter_settings(&admin, &form).await.unwrap();
        let reference = complaint(&app, "Aled Jones", "").await;
        let ack = Command::Acknowledge {
            on: app.today(),
            understanding: "Missed repairs".into(),
            outcome_wanted: "A repair".into(),
        };
        app.apply_command(&priya, &reference, ack, None).await.unwrap();
        let add = Command::AddRemedy {
            kind: redress_domain::remedy::RemedyKind::Financial,
            description: "For the time without heating".into(),
            owner: redress_domain::case::Assignee {
                user_id: "x".into(),
                name: "Finance".into(),
            },
            due: app.today(),
            payment: Some((
                redress_domain::remedy::PaymentKind::Compensation,
                redress_domain::remedy::Pence(30_000),
            )),
        };
        app.apply_command(&priya, &reference, add, None).await.unwrap();
        let approve = Command::ApprovePayment {
            id: 1,
            on: app.today(),
        };
        let own = app.apply_command(&priya, &reference, approve.clone(), None).await;
        assert!(
            matches!(&own, Err(AppError::Domain(e)) if e.to_string().contains("someone else must approve a payment above £250.00")),
            "{own:?}"
        );
        app.apply_command(&sam, &reference, approve, None).await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn my_work_starts_from_my_cases_and_a_lead_sees_the_team() {
    on_each_backend(|store| async move {
        let d = demo(&store).await;
        let app = &d.app;
        let officer = store
            .user_by_email(&format!("officer@{}", redress_app::demo::DEMO_DOMAIN))
            .await
            .unwrap()
            .unwrap()
            .0;
        let me = Principal::Staff(officer.clone());
        let work = app.my_work(&me).await.unwrap();
        assert!(!work.mine.is_empty(), "the demo officer holds cases");
        // Mine, in the order of the deadline shown: the next one first.
        let next: Vec<_> = work
            .mine
            .iter()
            .map(|c| {
                if c.acknowledged_on.is_none() && c.acknowledge_by.is_some() {
                    c.acknowledge_by
                } else {
                    c.respond_by
                }
                .unwrap_or(jiff::civil::date(9999, 12, 31))
            })
            .collect();
        let priority: Vec<bool> = work.mine.iter().map(|c| c.priority).collect();
        for (pair, p) in next.windows(2).zip(priority.windows(2)) {
            assert!(pair[0] <= pair[1] || p[0] && !p[1], "{next:?}");
        }
        let everyone = app
            .list_cases_for(
                &me,
                &ContactFilter {
                    assignee: Some(officer.id.clone()),
                    open: true,
                    per_page: 200,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(work.counts.open, everyone.total);
        let triage = app
            .list_cases_for(
                &me,
                &ContactFilter {
                    awaiting_triage: true,
                    per_page: 200,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(work.counts.awaiting_triage, triage.total);
        assert!(
            triage
                .items
                .iter()
                .all(|c| c.status == redress_domain::contact::ContactStatus::Received)
        );
        assert!(
            work.team.is_some(),
            "a complaints officer leads the team's work"
        );

        // A service manager's team is their own areas only.
        let manager = Principal::Staff(d.manager.clone());
        let theirs = app.my_work(&manager).await.unwrap();
        let team = theirs.team.unwrap();
        assert!(team.areas_only);
        let all = app.my_work(&as_role(Role::Admin, &d)).await.unwrap();
        assert!(team.counts.open <= all.team.unwrap().counts.open);
        let held: i64 = team.workload.iter().map(|w| w.as_officer).sum();
        let every: i64 = app
            .workload(&Principal::System)
            .await
            .unwrap()
            .iter()
            .map(|w| w.as_officer)
            .sum();
        assert!(
            held < every,
            "the manager's workload counts only their areas"
        );
        // A case worker has no team view.
        let worker = app.my_work(&as_role(Role::CaseWorker, &d)).await.unwrap();
        assert!(worker.team.is_none());
    })
    .await;
}

#[tokio::test]
async fn a_draft_left_overnight_reminds_whoever_wrote_it_once() {
    on_each_backend(|store| async move {
        let app = app(&store).await;
        let (priya, officer) = staff(
            &app,
            "priya@test.org",
            "Priya Shah",
            Role::ComplaintsOfficer,
        )
        .await;
        let reference = complaint(&app, "Aled Jones", "").await;
        acknowledge(&app, &officer, &reference).await;
        let drafted = |kind| {
            let app = &app;
            let reference = reference.clone();
            let officer = officer.clone();
            async move {
                letters(app, &officer, &reference)
                    .await
                    .into_iter()
                    .filter(|l| l.kind == kind)
                    .collect::<Vec<_>>()
            }
        };
        assert_eq!(
            app.send_reminders(2).await.unwrap(),
            0,
            "not on the day it was written"
        );
        let tomorrow = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24);
        let later = app.clone().with_clock(move || tomorrow);
        assert!(later.send_reminders(2).await.unwrap() >= 1);
        let reminders = drafted(LetterKind::StaffReminder).await;
        assert!(
            reminders.iter().any(|l| l.recipient == priya.email
                && l.body.contains("is still a draft: check it and send it")),
            "{reminders:?}"
        );
        let before = reminders.len();
        later.send_reminders(2).await.unwrap();
        assert_eq!(
            drafted(LetterKind::StaffReminder).await.len(),
            before,
            "once only"
        );
    })
    .await;
}

#[tokio::test]
async fn no_letter_of_any_kind_shows_an_unfilled_placeholder() {
    on_each_backend(|store| async move {
        // The demonstration writes every kind of letter: acknowledgements, responses,
        // surveys, compliments, scrutiny links and decisions, reminders.
        let d = demo(&store).await;
        let org = d.app.organisation.id.clone();
        let mut seen = 0;
        for status in ["draft", "pending", "to-print", "sent", "printed"] {
            let mut all = store.letters_with_status(&org, status).await.unwrap();
            all.extend(
                store
                    .scrutiny_messages_with_status(&org, status)
                    .await
                    .unwrap(),
            );
            for l in all {
                seen += 1;
                assert!(
                    !l.subject.contains("{{") && !l.body.contains("{{"),
                    "{:?} {}: {}",
                    l.kind,
                    l.subject,
                    l.body
                );
            }
        }
        assert!(seen > 20, "the demonstration wrote {seen} letters");
    })
    .await;
}

#[tokio::test]
async fn a_draft_that_should_not_go_is_withdrawn_with_a_reason() {
    on_each_backend(|store| async move {
        let app = app(&store).await;
        let (_, officer) = staff(
            &app,
            "priya@test.org",
            "Priya Shah",
            Role::ComplaintsOfficer,
        )
        .await;
        let reference = complaint(&app, "Aled Jones", "").await;
        acknowledge(&app, &officer, &reference).await;
        let draft = letters(&app, &officer, &reference).await.remove(0);
        let no_reason = app
            .discard_letter(&officer, &draft.id, &seen(&draft), " ")
            .await;
        assert!(
            matches!(&no_reason, Err(AppError::Domain(e)) if e.field() == "reason"),
            "{no_reason:?}"
        );
        app.discard_letter(
            &officer,
            &draft.id,
            &seen(&draft),
            "Sent by hand at the visit instead",
        )
        .await
        .unwrap();
        let kept = letters(&app, &officer, &reference).await.remove(0);
        assert_eq!(kept.status, "discarded");
        assert!(matches!(
            app.release_letter(&officer, &kept.id, &seen(&kept)).await,
            Err(AppError::Conflict(_))
        ));
        let history = app.case_for(&officer, &reference).await.unwrap().events;
        assert!(
            history
                .last()
                .is_some_and(|e| e.summary.contains("not sent: Sent by hand"))
        );
    })
    .await;
}
