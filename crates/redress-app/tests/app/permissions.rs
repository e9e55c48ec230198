//! Every use case asks who is acting: each role, in and out of a service manager's areas,
//! without HTTP. The three service-area leaks once found through pages are here too.

use redress_app::access::Principal;
use redress_app::scrutiny::ScrutinyStep;
use redress_app::{App, AppError, demo, settings};
use redress_domain::calendar::Division;
use redress_domain::case::{Command, NoteKind};
use redress_domain::contact::Reference;
use redress_domain::role::{Permission, Role, User};
use redress_store::{ContactFilter, Store};
use redress_testkit::on_each_backend;
use std::future::Future;
use std::pin::Pin;

/// The demo organisation, its Repairs manager, and a complaint inside and one outside
/// Repairs.
pub(crate) struct Demo {
    pub(crate) app: App,
    pub(crate) store: Store,
    pub(crate) manager: User,
    pub(crate) repairs_case: String,
    pub(crate) other_case: String,
}

pub(crate) async fn demo(store: &Store) -> Demo {
    settings::ensure_organisation(store, "Demo Homes", Division::EnglandAndWales, "hos-2024")
        .await
        .unwrap();
    let app = App::load(store.clone()).await.unwrap();
    demo::create(&app).await.unwrap();
    let manager = store
        .user_by_email(&format!("manager@{}", demo::DEMO_DOMAIN))
        .await
        .unwrap()
        .unwrap()
        .0;
    let areas = store.service_areas(&app.organisation.id).await.unwrap();
    let repairs = areas
        .iter()
        .find(|a| a.name.starts_with("Repairs"))
        .unwrap()
        .id
        .clone();
    let all = ContactFilter {
        per_page: 200,
        ..Default::default()
    };
    let page = app.list_cases_for(&Principal::System, &all).await.unwrap();
    let mut repairs_case = None;
    let mut other_case = None;
    for c in &page.items {
        let contact = store
            .contact_by_reference(&app.organisation.id, &c.reference)
            .await
            .unwrap()
            .unwrap();
        match contact.detail.service_area.as_deref() {
            Some(a) if a == repairs => repairs_case.get_or_insert(c.reference.to_string()),
            Some(_) => other_case.get_or_insert(c.reference.to_string()),
            None => continue,
        };
    }
    Demo {
        app,
        store: store.clone(),
        manager,
        repairs_case: repairs_case.unwrap(),
        other_case: other_case.unwrap(),
    }
}

pub(crate) fn as_role(role: Role, d: &Demo) -> Principal {
    if role == Role::ServiceManager {
        return Principal::Staff(d.manager.clone());
    }
    Principal::Staff(User {
        id: format!("{}-id", role.as_str()),
        email: format!("{}@test.org", role.as_str()),
        name: role.label().to_string(),
        role,
        active: true,
    })
}

type Call<'a> = Pin<Box<dyn Future<Output = Result<(), AppError>> + 'a>>;

/// One use case on one case, with the permission it needs.
fn calls<'a>(
    d: &'a Demo,
    who: &'a Principal,
    reference: &'a str,
) -> Vec<(&'static str, Permission, Call<'a>)> {
    let app = &d.app;
    let note = Command::AddNote {
        kind: NoteKind::Note,
        on: app.today(),
        text: "Checked by the permissions test".into(),
    };
    vec![
        (
            "case_for",
            Permission::ViewCases,
            Box::pin(async move { app.case_for(who, reference).await.map(|_| ()) }),
        ),
        (
            "open_case",
            Permission::ViewCases,
            Box::pin(async move { app.open_case(who, reference, "test").await.map(|_| ()) }),
        ),
        (
            "case_study",
            Permission::ViewCases,
            Box::pin(async move { app.case_study(who, reference).await.map(|_| ()) }),
        ),
        (
            "apply_command",
            Permission::HandleCases,
            Box::pin(async move {
                app.apply_command(who, reference, note, None)
                    .await
                    .map(|_| ())
            }),
        ),
        (
            "raise_complaint_from",
            Permission::HandleCases,
            Box::pin(async move {
                app.raise_complaint_from(who, reference, "")
                    .await
                    .map(|_| ())
            }),
        ),
        (
            "add_attachment",
            Permission::HandleCases,
            Box::pin(async move {
                app.add_attachment(who, reference, "notes.txt", b"notes", "", None)
                    .await
                    .map(|_| ())
            }),
        ),
        (
            "case_file",
            Permission::ViewCases,
            Box::pin(async move {
                app.case_file(who, reference, "no-such-file")
                    .await
                    .map(|_| ())
            }),
        ),
        (
            "link_cases",
            Permission::HandleCases,
            Box::pin(async move {
                let link = Command::Link {
                    relation: redress_domain::case::LinkRelation::Related,
                    reference: None,
                    agency: Some("Citizens Advice".into()),
                    their_reference: None,
                };
                app.link_cases(who, reference, link, None).await.map(|_| ())
            }),
        ),
        (
            "review_restriction",
            Permission::HandleCases,
            Box::pin(async move {
                app.review_restriction(who, reference, "no-such-restriction", "", "")
                    .await
            }),
        ),
        (
            "end_restriction",
            Permission::HandleCases,
            Box::pin(async move {
                app.end_restriction(who, reference, "no-such-restriction")
                    .await
            }),
        ),
    ]
}

/// Use cases with no one case: the permission each needs.
fn general<'a>(d: &'a Demo, who: &'a Principal) -> Vec<(&'static str, Permission, Call<'a>)> {
    let app = &d.app;
    let year = redress_domain::measures::Period::financial_year(2025).unwrap();
    vec![
        (
            "list_cases_for",
            Permission::ViewCases,
            Box::pin(async move {
                app.list_cases_for(who, &ContactFilter::default())
                    .await
                    .map(|_| ())
            }),
        ),
        (
            "open_actions_for",
            Permission::ViewCases,
            Box::pin(async move { app.open_actions_for(who, None).await.map(|_| ()) }),
        ),
        (
            "letter_queue",
            Permission::ViewCases,
            Box::pin(async move { app.letter_queue(who, "to-print").await.map(|_| ()) }),
        ),
        (
            "improvements",
            Permission::ViewCases,
            Box::pin(async move { app.improvements(who).await.map(|_| ()) }),
        ),
        (
            "workload",
            Permission::ViewCases,
            Box::pin(async move { app.workload(who).await.map(|_| ()) }),
        ),
        (
            "my_work",
            Permission::ViewCases,
            Box::pin(async move { app.my_work(who).await.map(|_| ()) }),
        ),
        (
            "set_reach",
            Permission::Administer,
            Box::pin(async move { app.set_reach(who, &Default::default()).await.map(|_| ()) }),
        ),
        (
            "safeguarding_leads",
            Permission::Administer,
            Box::pin(async move { app.safeguarding_leads(who).await.map(|_| ()) }),
        ),
        (
            "set_safeguarding_leads",
            Permission::Administer,
            Box::pin(async move {
                app.set_safeguarding_leads(who, &["no-such-user".to_string()])
                    .await
            }),
        ),
        (
            "letter_settings_for",
            Permission::Administer,
            Box::pin(async move { app.letter_settings_for(who).await.map(|_| ()) }),
        ),
        (
            "save_letter_settings",
            Permission::Administer,
            Box::pin(async move {
                app.save_letter_settings(who, &Default::default())
                    .await
                    .map(|_| ())
            }),
        ),
        (
            "propose_improvement",
            Permission::HandleCases,
            Box::pin(async move {
                app.propose_improvement(who, "", "", None, "")
                    .await
                    .map(|_| ())
            }),
        ),
        (
            "measures",
            Permission::ViewReports,
            Box::pin(async move { app.measures(who, year, None).await.map(|_| ()) }),
        ),
        (
            "format_conversions",
            Permission::ViewReports,
            Box::pin(async move { app.format_conversions(who, year).await.map(|_| ()) }),
        ),
        (
            "tsm",
            Permission::ViewReports,
            Box::pin(async move { app.tsm(who, 2025).await.map(|_| ()) }),
        ),
        (
            "open_complaints",
            Permission::ViewReports,
            Box::pin(async move { app.open_complaints(who).await.map(|_| ()) }),
        ),
        (
            "annual_report",
            Permission::ViewReports,
            Box::pin(async move { app.annual_report(who, 2025).await.map(|_| ()) }),
        ),
        (
            "benchmark",
            Permission::ViewReports,
            Box::pin(async move { app.benchmark(who, year).await.map(|_| ()) }),
        ),
        (
            "save_annual_text",
            Permission::Administer,
            Box::pin(async move { app.save_annual_text(who, 2025, &Default::default()).await }),
        ),
        (
            "respond_to_annual_report",
            Permission::AnswerAnnualReport,
            Box::pin(async move {
                app.respond_to_annual_report(who, 2025, "Noted", false, |_, _| String::new())
                    .await
                    .map(|_| ())
            }),
        ),
        (
            "admin_log",
            Permission::Administer,
            Box::pin(async move { app.admin_log(who, 5).await.map(|_| ()) }),
        ),
        (
            "staff_with_areas",
            Permission::Administer,
            Box::pin(async move { app.staff_with_areas(who).await.map(|_| ()) }),
        ),
        (
            "organisation_setup",
            Permission::Administer,
            Box::pin(async move { app.organisation_setup(who).await.map(|_| ()) }),
        ),
        (
            "add_closure_day",
            Permission::Administer,
            Box::pin(async move { app.add_closure_day(who, "not a date", "").await.map(|_| ()) }),
        ),
        (
            "set_homes",
            Permission::Administer,
            Box::pin(async move { app.set_homes(who, "", "", "").await }),
        ),
        (
            "add_service_area",
            Permission::Administer,
            Box::pin(async move { app.add_service_area(who, "", "").await.map(|_| ()) }),
        ),
        (
            "panel_queue",
            Permission::ReviewForPanel,
            Box::pin(async move { app.panel_queue(who).await.map(|_| ()) }),
        ),
        (
            "panel_case",
            Permission::ReviewForPanel,
            Box::pin(async move { app.panel_case(who, "CMP-2026-999999").await.map(|_| ()) }),
        ),
        (
            "record_panel_input",
            Permission::ReviewForPanel,
            Box::pin(async move {
                app.record_panel_input(who, "CMP-2026-999999", "")
                    .await
                    .map(|_| ())
            }),
        ),
        (
            "set_area_panel",
            Permission::Administer,
            Box::pin(async move { app.set_area_panel(who, "", "").await }),
        ),
        (
            "schemes",
            Permission::Administer,
            Box::pin(async move { app.schemes(who).await.map(|_| ()) }),
        ),
        (
            "save_scheme",
            Permission::Administer,
            Box::pin(async move {
                let blank = redress_domain::scheme::Scheme {
                    id: String::new(),
                    name: String::new(),
                    stages: Vec::new(),
                    time_limit_months: None,
                    ombudsman: None,
                };
                app.save_scheme(who, blank, true).await.map(|_| ())
            }),
        ),
        (
            "set_area_scheme",
            Permission::Administer,
            Box::pin(async move { app.set_area_scheme(who, "", "").await }),
        ),
        (
            "letter_template",
            Permission::Administer,
            Box::pin(async move {
                app.letter_template(
                    who,
                    redress_domain::letter::LetterKind::ALL[0],
                    redress_domain::language::Language::Welsh,
                )
                .await
                .map(|_| ())
            }),
        ),
        (
            "subject_access",
            Permission::Administer,
            Box::pin(async move { app.subject_access(who, "", "").await.map(|_| ()) }),
        ),
        (
            "set_retention",
            Permission::Administer,
            Box::pin(async move {
                app.set_retention(
                    who,
                    redress_domain::contact::ContactKind::Complaint,
                    "not a number",
                )
                .await
            }),
        ),
        (
            "import_cases",
            Permission::Administer,
            Box::pin(async move { app.import_cases(who, "").await.map(|_| ()) }),
        ),
        (
            "recount_figures",
            Permission::Administer,
            Box::pin(async move { app.recount_figures(who).await.map(|_| ()) }),
        ),
        (
            "scrutiny_requests",
            Permission::ViewScrutiny,
            Box::pin(async move { app.scrutiny_requests(who).await.map(|_| ()) }),
        ),
        (
            "meetings",
            Permission::ViewScrutiny,
            Box::pin(async move { app.meetings(who).await.map(|_| ()) }),
        ),
        (
            "score_areas",
            Permission::ViewScrutiny,
            Box::pin(async move { app.score_areas(who, 2025).await.map(|_| ()) }),
        ),
        (
            "schedule_meeting",
            Permission::SupportScrutiny,
            Box::pin(async move { app.schedule_meeting(who, "", "", "").await.map(|_| ()) }),
        ),
        (
            "save_stage_template",
            Permission::DecideScrutiny,
            Box::pin(async move { app.save_stage_template(who, "").await }),
        ),
        (
            "add_to_programme",
            Permission::DecideScrutiny,
            Box::pin(async move {
                app.add_to_programme(who, 2025, "no such area")
                    .await
                    .map(|_| ())
            }),
        ),
        (
            "add_user",
            Permission::Administer,
            Box::pin(async move {
                app.add_user(who, "", "", Role::CaseWorker, "")
                    .await
                    .map(|_| ())
            }),
        ),
        (
            "update_user",
            Permission::Administer,
            Box::pin(async move {
                app.update_user(who, "no-such-user", Role::CaseWorker, true, Vec::new())
                    .await
            }),
        ),
        (
            "issue_api_token",
            Permission::Administer,
            Box::pin(async move {
                app.issue_api_token(who, "nobody@test.org", "test")
                    .await
                    .map(|_| ())
            }),
        ),
        (
            "closure_days",
            Permission::Administer,
            Box::pin(async move { app.closure_days(who).await.map(|_| ()) }),
        ),
        (
            "set_branding",
            Permission::Administer,
            Box::pin(async move { app.set_branding(who, "", "not a colour").await }),
        ),
        (
            "set_ombudsman_contact",
            Permission::Administer,
            Box::pin(async move {
                app.set_ombudsman_contact(who, redress_domain::scheme::Ombudsman::Housing, "")
                    .await
            }),
        ),
        (
            "save_letter_template",
            Permission::Administer,
            Box::pin(async move {
                app.save_letter_template(
                    who,
                    redress_domain::letter::LetterKind::ALL[0],
                    redress_domain::language::Language::Welsh,
                    Some(("", "")),
                    &Default::default(),
                )
                .await
            }),
        ),
        (
            "scrutiny_by_id",
            Permission::ViewScrutiny,
            Box::pin(async move { app.scrutiny_by_id(who, NO_REQUEST).await.map(|_| ()) }),
        ),
        (
            "scrutiny_history",
            Permission::ViewScrutiny,
            Box::pin(async move { app.scrutiny_history(who, NO_REQUEST).await.map(|_| ()) }),
        ),
        (
            "scrutiny_signatures",
            Permission::ViewScrutiny,
            Box::pin(async move { app.scrutiny_signatures(who, NO_REQUEST).await.map(|_| ()) }),
        ),
        (
            "scrutiny_letters",
            Permission::ViewScrutiny,
            Box::pin(async move { app.scrutiny_letters(who, NO_REQUEST).await.map(|_| ()) }),
        ),
        (
            "complaints_on_record",
            Permission::ViewScrutiny,
            Box::pin(async move { app.complaints_on_record(who, NO_REQUEST).await.map(|_| ()) }),
        ),
        (
            "matrix_settings",
            Permission::ViewScrutiny,
            Box::pin(async move { app.matrix_settings(who).await.map(|_| ()) }),
        ),
        (
            "kept_scores",
            Permission::ReadScrutinyReports,
            Box::pin(async move { app.kept_scores(who, 2025).await.map(|_| ()) }),
        ),
        (
            "score_versions",
            Permission::ReadScrutinyReports,
            Box::pin(async move { app.score_versions(who, 2025).await.map(|_| ()) }),
        ),
        (
            "exercises",
            Permission::ReadScrutinyReports,
            Box::pin(async move { app.exercises(who).await.map(|_| ()) }),
        ),
        (
            "answer_scrutiny_report",
            Permission::AnswerScrutinyReport,
            Box::pin(async move {
                app.answer_scrutiny_report(who, NO_REQUEST, "Agreed")
                    .await
                    .map(|_| ())
            }),
        ),
        (
            "scrutiny_changes",
            Permission::ViewScrutiny,
            Box::pin(async move { app.scrutiny_changes(who).await.map(|_| ()) }),
        ),
        (
            "log_paper_scrutiny",
            Permission::SupportScrutiny,
            Box::pin(async move {
                app.log_paper_scrutiny(who, Default::default(), "", None)
                    .await
                    .map(|_| ())
            }),
        ),
        (
            "add_scrutiny_file",
            Permission::SupportScrutiny,
            Box::pin(async move {
                app.add_scrutiny_file(who, NO_REQUEST, "a.txt", b"a", "A")
                    .await
                    .map(|_| ())
            }),
        ),
        (
            "scrutiny_files",
            Permission::SupportScrutiny,
            Box::pin(async move { app.scrutiny_files(who, NO_REQUEST).await.map(|_| ()) }),
        ),
        (
            "scrutiny_file",
            Permission::SupportScrutiny,
            Box::pin(async move {
                app.scrutiny_file(who, NO_REQUEST, NO_REQUEST)
                    .await
                    .map(|_| ())
            }),
        ),
        (
            "scrutiny_letter_for",
            Permission::SupportScrutiny,
            Box::pin(async move {
                app.scrutiny_letter_for(who, NO_REQUEST, NO_REQUEST)
                    .await
                    .map(|_| ())
            }),
        ),
        (
            "stage_template",
            Permission::ViewScrutiny,
            Box::pin(async move { app.stage_template(who).await.map(|_| ()) }),
        ),
        (
            "enter_figure",
            Permission::DecideScrutiny,
            Box::pin(async move { app.enter_figure(who, 2025, "", "", "x", "").await }),
        ),
        (
            "change_exercise",
            Permission::DecideScrutiny,
            Box::pin(async move {
                app.change_exercise(who, NO_REQUEST, |_, _| Ok(String::new()))
                    .await
                    .map(|_| ())
            }),
        ),
        (
            "cancel_meeting",
            Permission::SupportScrutiny,
            Box::pin(async move { app.cancel_meeting(who, NO_REQUEST).await }),
        ),
        (
            "scrutiny step: note",
            Permission::SupportScrutiny,
            Box::pin(async move { step(app, who, ScrutinyStep::Note).await }),
        ),
        (
            "scrutiny step: decide",
            Permission::DecideScrutiny,
            Box::pin(async move { step(app, who, ScrutinyStep::Decide).await }),
        ),
        (
            "scrutiny step: appeal decision",
            Permission::DecideAppeals,
            Box::pin(async move { step(app, who, ScrutinyStep::AppealDecision).await }),
        ),
    ]
}

/// The id of a request, meeting or exercise that is not there.
const NO_REQUEST: &str = "00000000-0000-7000-8000-000000000000";

/// A step on a request that is not there: refused, or not found once allowed.
async fn step(app: &App, who: &Principal, step: ScrutinyStep) -> Result<(), AppError> {
    app.take_scrutiny_step(who, NO_REQUEST, step, &Default::default())
        .await
        .map(|_| ())
}

#[tokio::test]
async fn every_use_case_checks_the_role_and_the_service_managers_areas() {
    on_each_backend(|store| async move {
        let d = demo(&store).await;
        for role in Role::ALL.iter().copied() {
            let who = as_role(role, &d);
            for (name, permission, call) in general(&d, &who) {
                let result = call.await;
                let refused = matches!(result, Err(AppError::Forbidden));
                assert_eq!(
                    refused,
                    !role.can(permission),
                    "{role:?} {name}: {result:?}"
                );
            }
            for (reference, in_scope) in [
                (&d.repairs_case, true),
                (&d.other_case, role != Role::ServiceManager),
            ] {
                for (name, permission, call) in calls(&d, &who, reference) {
                    let result = call.await;
                    let refused = matches!(result, Err(AppError::Forbidden));
                    let allowed = role.can(permission) && in_scope;
                    assert_eq!(
                        refused, !allowed,
                        "{role:?} {name} on {reference}: {result:?}"
                    );
                }
            }
        }
        // The public may send the form and nothing else.
        for (name, _, call) in general(&d, &Principal::Public) {
            assert!(
                matches!(call.await, Err(AppError::Forbidden)),
                "the public: {name}"
            );
        }
    })
    .await;
}

#[tokio::test]
async fn a_service_manager_cannot_reach_other_areas_through_improvements_letters_or_reports() {
    on_each_backend(|store| async move {
        let d = demo(&store).await;
        let app = &d.app;
        let manager = Principal::Staff(d.manager.clone());
        let officer = as_role(Role::ComplaintsOfficer, &d);
        let org = app.organisation.id.clone();
        let letters_on = |reference: &str| {
            let store = d.store.clone();
            let org = org.clone();
            let reference = Reference::parse(reference).unwrap();
            async move {
                let c = store
                    .contact_by_reference(&org, &reference)
                    .await
                    .unwrap()
                    .unwrap();
                store.letters(&org, &c.id).await.unwrap().len()
            }
        };

        // 1. Improvements: another area's case cannot be linked, and an improvement that
        // would write to another area's residents cannot be moved on.
        let mine = app
            .propose_improvement(
                &manager,
                "Text repair appointments",
                "Reminders the day before",
                None,
                "",
            )
            .await;
        assert!(
            matches!(mine, Err(AppError::Invalid(ref e)) if e.get("service_area").is_some()),
            "{mine:?}"
        );
        let areas = app.service_areas().await.unwrap();
        let repairs = areas
            .iter()
            .find(|a| a.name.starts_with("Repairs"))
            .unwrap()
            .id
            .clone();
        let mine = app
            .propose_improvement(
                &manager,
                "Text repair appointments",
                "Reminders the day before",
                Some(repairs),
                &d.repairs_case,
            )
            .await
            .unwrap();
        let linked = app
            .link_improvement_cases(&manager, &mine.id, &d.other_case)
            .await;
        assert!(
            matches!(linked, Err(AppError::Invalid(ref e)) if e.get("cases").is_some()),
            "{linked:?}"
        );
        let across = app
            .propose_improvement(
                &officer,
                "Answer the phone faster",
                "More staff at peak times",
                None,
                &d.other_case,
            )
            .await
            .unwrap();
        let before = letters_on(&d.other_case).await;
        let moved = app
            .set_improvement_status(
                &manager,
                &across.id,
                "implemented",
                &app.today().to_string(),
                "Done",
            )
            .await;
        assert!(matches!(moved, Err(AppError::Forbidden)), "{moved:?}");
        assert_eq!(
            letters_on(&d.other_case).await,
            before,
            "nobody was written to"
        );
        let (_, shown) = app.improvement(&manager, &across.id).await.unwrap();
        assert!(
            shown.is_empty(),
            "another area's case is not listed to the manager"
        );
        // The officer, who looks after every area, may.
        app.set_improvement_status(
            &officer,
            &across.id,
            "implemented",
            &app.today().to_string(),
            "Done",
        )
        .await
        .unwrap();

        // 2. A letter on another area's case cannot be marked printed.
        let theirs = d.store.letters_with_status(&org, "to-print").await.unwrap();
        let mut other_letter = None;
        for l in theirs {
            if app.case_for(&manager, l.reference.as_str()).await.is_err() {
                other_letter = Some(l);
                break;
            }
        }
        let letter = other_letter.expect("the demo has a letter to print outside Repairs");
        let printed = app.mark_letter_printed(&manager, &letter.id).await;
        assert!(matches!(printed, Err(AppError::Forbidden)), "{printed:?}");
        let still = d.store.letter(&org, &letter.id).await.unwrap().unwrap();
        assert_eq!(still.status, "to-print");
        let (queue, _) = app.letter_queue(&manager, "to-print").await.unwrap();
        assert!(
            queue.iter().all(|l| l.id != letter.id),
            "not in the manager's queue"
        );
        assert!(app.mark_letter_printed(&officer, &letter.id).await.unwrap());

        // 3. Open complaints: only the manager's areas, while the officer sees the rest.
        let areas_named = |list: &[redress_app::reports::OpenComplaint]| {
            list.iter()
                .map(|c| c.service_area.clone())
                .collect::<std::collections::BTreeSet<_>>()
        };
        let for_manager = app.open_complaints(&manager).await.unwrap();
        let for_officer = app.open_complaints(&officer).await.unwrap();
        assert!(
            areas_named(&for_manager)
                .iter()
                .all(|a| a.starts_with("Repairs")),
            "{:?}",
            areas_named(&for_manager)
        );
        assert!(
            areas_named(&for_officer)
                .iter()
                .any(|a| !a.starts_with("Repairs")),
            "the test can fail: {:?}",
            areas_named(&for_officer)
        );

        // Repeating another caller's submission key shows their case only to someone who
        // may see it.
        let other_area = areas
            .iter()
            .find(|a| !a.name.starts_with("Repairs"))
            .unwrap()
            .id
            .clone();
        let input = redress_domain::contact::ContactInput {
            kind: "complaint".into(),
            channel: "email".into(),
            who: "anonymous".into(),
            summary: "The rent statement is wrong".into(),
            service_area: other_area,
            ..Default::default()
        };
        let source = redress_domain::contact::Source::Api;
        let (new, _) = app
            .submit_contact_viewed(&officer, &input, source, Some("their-key-1"))
            .await
            .unwrap();
        assert!(new);
        let repeated = app
            .submit_contact_viewed(&manager, &input, source, Some("their-key-1"))
            .await;
        assert!(matches!(repeated, Err(AppError::Forbidden)), "{repeated:?}");

        // Linking a case to another area's case writes to neither.
        let link = app
            .link_cases(
                &manager,
                &d.repairs_case,
                Command::Link {
                    relation: redress_domain::case::LinkRelation::Related,
                    reference: Some(Reference::parse(&d.other_case).unwrap()),
                    agency: None,
                    their_reference: None,
                },
                None,
            )
            .await;
        assert!(
            matches!(link, Err(AppError::Invalid(ref e)) if e.get("reference").is_some()),
            "{link:?}"
        );
    })
    .await;
}
