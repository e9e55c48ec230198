//! A Community Call for Scrutiny through the real router: the form saved, resumed and
//! sent; a petition signed once per person to its threshold; the request onto the next
//! meeting's agenda with the requester's complaints on record; the decision sent; an
//! appeal in time and one too late; the panel's final decision.

use super::{VALID, hidden};
use axum::http::StatusCode;
use redress_app::access::Principal;
use redress_domain::role::Role;
use redress_testkit::web::{PASSWORD, TestApp, on_each_backend};
use redress_web::{AppState, router};

pub(super) const FORM: &str = "name=Ada+Lovelace&email=aled%40example.org&preferred_contact=email\
    &concerns=Communal+repairs+are+left+for+months&actions_taken=Complained+twice\
    &failures=Broken+door+entry+since+March&affected=Everyone+in+Oak+House\
    &resolution=Fix+repairs+within+the+published+times&signature=Ada+Lovelace&declaration=yes";

pub(super) fn token_of(location: &str) -> String {
    location
        .trim_start_matches("/scrutiny/r/")
        .split('?')
        .next()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn a_resident_raises_a_call_for_scrutiny_gathers_signatures_and_appeals() {
    on_each_backend(|t| async move {
        // The start page links to the form; an empty send names every field.
        assert!(t.get("/", None).await.body.contains("/scrutiny"));
        assert!(t.get("/scrutiny", None).await.body.contains("large print, Braille or audio"));
        let empty = t.post_form("/scrutiny/new", "action=send", None).await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", empty.body);
        for message in [
            "Enter your full name",
            "Enter your concerns",
            "Enter what you have already done to try to resolve them",
            "Confirm that what you have told us is true",
        ] {
            assert!(empty.body.contains(message), "{message}");
        }

        // Saved half-way, then resumed from the private link with what was typed.
        let saved = t
            .post_form("/scrutiny/new", "action=save&name=Ada+Lovelace&concerns=Repairs+%3Cb%3Elate%3C%2Fb%3E", None)
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER);
        let token = token_of(&saved.location);
        let resumed = t.get(&saved.location, None).await.body;
        assert!(resumed.contains("Your form is saved") && resumed.contains("Repairs &#60;b&#62;late&#60;/b&#62;"), "{resumed}");
        assert!(t.get("/staff/scrutiny", Some(&t.sign_in("officer@test.org").await)).await.body.contains("No requests have been sent yet"), "drafts stay private");
        let sent = t.post_form(&format!("/scrutiny/r/{token}"), format!("{FORM}&action=send"), None).await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        let page = t.get(&sent.location, None).await.body;
        assert!(page.contains("Request sent") && page.contains("CCS-"), "{page}");
        let at = page.find("CCS-").unwrap();
        let reference = page[at..at + 13].to_string();
        let again = t.post_form(&format!("/scrutiny/r/{token}"), format!("{FORM}&action=send"), None).await;
        assert_eq!(again.status, StatusCode::SEE_OTHER, "a second Send is harmless: {}", again.body);
        let (request, _) = t.app.scrutiny_by_token(&token).await.unwrap();
        let sends = t.app.scrutiny_history(&Principal::System, &request.id).await.unwrap().iter().filter(|h| h.summary == "Request sent").count();
        assert_eq!(sends, 1, "sent once");
        assert!(t.get("/scrutiny/r/0123abcd", None).await.status == StatusCode::NOT_FOUND);

        // The requester has a complaint on record from the same email address.
        let complaint = t.post_form(&t.post_form("/contact/new", VALID, None).await.location, "", None).await;
        assert_eq!(complaint.status, StatusCode::SEE_OTHER);

        // Staff acknowledge and ask for a petition of 2 from LS6.
        let officer = t.sign_in("officer@test.org").await;
        let list = t.get("/staff/scrutiny", Some(&officer)).await.body;
        let id_at = list.find("/staff/scrutiny/requests/").unwrap() + "/staff/scrutiny/requests/".len();
        let id = list[id_at..].split('"').next().unwrap().to_string();
        let case_url = format!("/staff/scrutiny/requests/{id}");
        let case = t.get(&case_url, Some(&officer)).await.body;
        let csrf = hidden(&case, "csrf");
        let today = t.app.today();
        let step = |s: &str| format!("{case_url}/{s}");
        let r = t.post_form(&step("acknowledge"), format!("csrf={csrf}&on={today}"), Some(&officer)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let no_threshold = t.post_form(&step("route"), format!("csrf={csrf}&route=petition&threshold=&eligible=LS6"), Some(&officer)).await;
        assert!(no_threshold.body.contains("Enter the number of signatures needed"), "{}", no_threshold.body);
        let r = t.post_form(&step("route"), format!("csrf={csrf}&route=petition&threshold=2&eligible=LS6"), Some(&officer)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        // The requester is told of each step, the way they asked (here by email).
        let told = t.store.scrutiny_messages(&id).await.unwrap();
        let kinds: Vec<_> = told.iter().map(|l| l.kind).collect();
        use redress_domain::letter::LetterKind as K;
        assert!(kinds.contains(&K::ScrutinyAcknowledged) && kinds.contains(&K::ScrutinyRoute), "{kinds:?}");
        let route = told.iter().find(|l| l.kind == K::ScrutinyRoute).unwrap();
        assert_eq!(route.recipient, "aled@example.org");
        assert!(route.body.contains("2 residents affected need to sign (residents living in LS6)"), "{}", route.body);
        assert!(route.body.contains(&format!("/scrutiny/petition/{reference}/sheet")));
        assert!(redress_domain::letter::unfilled(&route.body).is_empty() && redress_domain::letter::unfilled(&told[0].body).is_empty());

        // Residents sign; the same person twice and someone outside LS6 are refused.
        let petition = format!("/scrutiny/petition/{reference}");
        assert!(t.get(&petition, None).await.body.contains("0 of 2"));
        // A paper sheet to collect signatures door to door, saying who may sign and where
        // to send it; and a blank request form for those who write rather than type.
        let sheet = t.get(&format!("{petition}/sheet"), None).await;
        assert_eq!(sheet.status, StatusCode::OK);
        assert!(sheet.body.contains("Communal repairs are left for months") && sheet.body.contains("Residents living in LS6"), "{}", sheet.body);
        assert!(sheet.body.contains("Postcode of your home") && sheet.body.contains("2 signatures are needed"));
        assert!(!sheet.body.contains("aled@example.org") && !sheet.body.contains("Ada Lovelace"), "no requester's details on the sheet");
        let blank = t.get("/scrutiny/form/print", None).await.body;
        assert!(blank.contains("What are your concerns?") && blank.contains("Customer Empowerment Manager"));
        assert_eq!(t.get("/scrutiny/petition/CCS-2026-99999/sheet", None).await.status, StatusCode::NOT_FOUND);
        let signed = t.post_form(&petition, "name=Ann+Smith&postcode=ls6+1aa&email=ann%40example.org&declaration=yes", None).await;
        assert_eq!(signed.status, StatusCode::SEE_OTHER, "{}", signed.body);
        let twice = t.post_form(&petition, "name=ann+smith&postcode=LS6+1AA&declaration=yes", None).await;
        assert!(twice.body.contains("already signed this petition"), "{}", twice.body);
        let outside = t.post_form(&petition, "name=Bob+Jones&postcode=LS16+1AA&declaration=yes", None).await;
        assert!(outside.body.contains("Only residents of LS6 can sign this petition"), "{}", outside.body);

        // A meeting is scheduled; the second signature (from paper) makes it ready and it
        // goes straight onto that meeting's agenda.
        let list = t.get("/staff/scrutiny", Some(&officer)).await.body;
        let past = t.post_form("/staff/scrutiny/meetings", format!("csrf={}&on={today}&time=7pm&place=", hidden(&list, "csrf")), Some(&officer)).await;
        assert!(past.body.contains("A meeting is scheduled for a day after today") && past.body.contains("24-hour clock"), "{}", past.body);
        let next_week = today.checked_add(jiff::ToSpan::days(7)).unwrap();
        let meeting = t.post_form("/staff/scrutiny/meetings", format!("csrf={csrf}&on={next_week}&time=18%3A30&place=Oak+House+community+room"), Some(&officer)).await;
        assert_eq!(meeting.status, StatusCode::SEE_OTHER, "{}", meeting.body);
        let r = t.post_form(&step("sign"), format!("csrf={csrf}&name=Cara+Lee&postcode=LS6+2BB&declaration=yes"), Some(&officer)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let agenda = t.get(&meeting.location, Some(&officer)).await.body;
        assert!(agenda.contains(&reference) && agenda.contains("Communal repairs are left for months"), "{agenda}");
        assert!(agenda.contains("CMP-") && agenda.contains("Stage reached"), "complaints on record: {agenda}");
        let told = t.store.scrutiny_messages(&id).await.unwrap();
        let meeting_letter = told.iter().find(|l| l.kind == K::ScrutinyMeeting).expect("the requester is told the meeting");
        assert!(meeting_letter.body.contains("Enough residents have signed: 2 signatures"), "{}", meeting_letter.body);
        assert!(meeting_letter.body.contains(&redress_domain::calendar::long_date(next_week)));

        // The scrutiny team member decides at the meeting; staff send the decision.
        let member = t.sign_in("scrutiny@test.org").await;
        assert_eq!(t.get("/staff/cases", Some(&member)).await.status, StatusCode::FORBIDDEN);
        let agenda = t.get(&meeting.location, Some(&member)).await.body;
        let member_csrf = hidden(&agenda, "csrf");
        let no_reasons = t.post_form(&step("decide"), format!("csrf={member_csrf}&outcome=not-yet&reasons="), Some(&member)).await;
        assert!(no_reasons.body.contains("Enter the reasons for the decision"), "{}", no_reasons.body);
        let decided = t
            .post_form(&step("decide"), format!("csrf={member_csrf}&from=meeting&outcome=not-yet&reasons=The+complaint+CMP+has+not+reached+stage+2"), Some(&member))
            .await;
        assert_eq!(decided.location, meeting.location, "back to the agenda");
        assert_eq!(t.post_form(&step("send-decision"), format!("csrf={member_csrf}"), Some(&member)).await.status, StatusCode::FORBIDDEN);
        let sent = t.post_form(&step("send-decision"), format!("csrf={csrf}"), Some(&officer)).await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        let letters = t.store.scrutiny_messages(&id).await.unwrap();
        let decision = letters.iter().find(|l| l.kind == redress_domain::letter::LetterKind::ScrutinyDecision).expect("the decision letter");
        assert_eq!(decision.recipient, "aled@example.org");
        assert!(decision.body.contains("has not reached stage 2") && decision.body.contains("appeal in writing by"));
        // The letter carries the requester's own link, which replaces the one sent before,
        // and says where to write.
        assert!(decision.body.contains("Customer Empowerment Manager") && decision.body.contains(&reference));
        let old_token = token.clone();
        let token = decision.body.split("/scrutiny/r/").nth(1).unwrap().split_whitespace().next().unwrap().to_string();
        assert_ne!(token, old_token);
        assert_eq!(t.get(&format!("/scrutiny/r/{old_token}"), None).await.status, StatusCode::NOT_FOUND);
        let staff_view = t.get(&case_url, Some(&officer)).await.body;
        assert!(staff_view.contains("[the resident&#39;s private link]") && !staff_view.contains("/scrutiny/r/"), "staff never hold the requester's key");

        // The requester reads it and appeals in time; a panel of three is refused.
        let follow = t.get(&format!("/scrutiny/r/{token}"), None).await.body;
        assert!(follow.contains("Not accepted yet") && follow.contains("Appeal against the decision"), "{follow}");
        assert!(!follow.contains("Action recorded"));
        let appealed = t.post_form(&format!("/scrutiny/r/{token}/appeal"), "grounds=I+complained+twice+and+nothing+changed", None).await;
        assert_eq!(appealed.status, StatusCode::SEE_OTHER, "{}", appealed.body);
        // The panel is chosen from the registered Link Group members, by ticking them.
        let mut link_group = Vec::new();
        for (email, name) in [("panel@test.org", "Pat Panel"), ("ann@lg.test", "Ann Parry"), ("ben@lg.test", "Ben Carter"), ("cai@lg.test", "Cai Morris")] {
            link_group.push(t.app.add_user(&Principal::System, email, name, Role::AppealPanelMember, PASSWORD).await.unwrap().id);
        }
        let panel = t.sign_in("panel@test.org").await;
        let page = t.get(&case_url, Some(&panel)).await.body;
        assert!(page.contains("Ann Parry") && page.contains("type=\"checkbox\""), "{page}");
        let panel_csrf = hidden(&page, "csrf");
        let ticked = |ids: &[String]| ids.iter().map(|id| format!("&member-{id}=yes")).collect::<String>();
        let three = t.post_form(&step("panel"), format!("csrf={panel_csrf}{}", ticked(&link_group[..3])), Some(&panel)).await;
        assert!(three.body.contains("An appeal panel has 4 to 6 Link Group members (you entered 3)"), "{}", three.body);
        assert!(three.body.contains("href=\"#panel\""), "the summary links to the first box");
        let typed = t.post_form(&step("panel"), format!("csrf={panel_csrf}&panel=A%0AB%0AC%0AD"), Some(&panel)).await;
        assert!(typed.body.contains("you entered 0"), "names typed in are not members: {}", typed.body);
        let four = t.post_form(&step("panel"), format!("csrf={panel_csrf}{}", ticked(&link_group)), Some(&panel)).await;
        assert_eq!(four.status, StatusCode::SEE_OTHER, "{}", four.body);
        let r = t.post_form(&step("appeal-decision"), format!("csrf={panel_csrf}&upheld=no&reasons=Use+the+complaints+procedure+first"), Some(&panel)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let r = t.post_form(&step("send-appeal"), format!("csrf={csrf}"), Some(&officer)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let follow = t.get(&format!("/scrutiny/r/{token}"), None).await.body;
        assert!(follow.contains("did not uphold your appeal") && follow.contains("Closed"), "{follow}");
        // A subject access search finds the request and the signature.
        t.app.add_user(&Principal::System, "admin@test.org", "Ada Admin", Role::Admin, PASSWORD).await.unwrap();
        let admin = t.sign_in("admin@test.org").await;
        let found = t.get("/staff/admin/privacy/subject-access?email=aled%40example.org", Some(&admin)).await.body;
        assert!(found.contains(&format!("Community Call for Scrutiny {reference}: Closed")), "{found}");
        let json = t.get("/staff/admin/privacy/subject-access.json?email=aled%40example.org", Some(&admin)).await.body;
        assert!(json.contains("Communal repairs are left for months") && json.contains("The appeal panel"), "{json}");
        let signer = t.get("/staff/admin/privacy/subject-access?email=ann%40example.org", Some(&admin)).await.body;
        assert!(signer.contains(&format!("Signed petition {reference} as Ann Smith, LS6 1AA")), "{signer}");
        let history = t.get(&case_url, Some(&officer)).await.body;
        for line in ["Request sent", "Received and acknowledged", "Placed on the agenda", "Decision: Not accepted yet", "Appeal panel of 4 set", "Appeal panel&#39;s final decision: appeal not upheld"] {
            assert!(history.contains(line), "{line}: {history}");
        }
    })
    .await;
}

#[tokio::test]
async fn an_appeal_after_28_days_is_refused_with_the_last_day() {
    on_each_backend(|t| async move {
        let sent = t.post_form("/scrutiny/new", format!("{FORM}&action=send"), None).await;
        let token = token_of(&sent.location);
        let officer = t.sign_in("officer@test.org").await;
        let (request, _) = t.app.scrutiny_by_token(&token).await.unwrap();
        let case_url = format!("/staff/scrutiny/requests/{}", request.id);
        let csrf = hidden(&t.get(&case_url, Some(&officer)).await.body, "csrf");
        let today = t.app.today();
        for (s, body) in [
            ("acknowledge", &*format!("on={today}")),
            ("route", "route=significant-failure"),
            ("decide", "outcome=serious-failure&reasons=Doors+broken+for+months&recommendations=Repair+the+door+entry+this+week"),
            ("send-decision", ""),
        ] {
            let r = t.post_form(&format!("{case_url}/{s}"), format!("csrf={csrf}&{body}"), Some(&officer)).await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{s}: {}", r.body);
        }
        // The decision brought the requester a new link, which replaces the first.
        let letters = t.store.scrutiny_messages(&request.id).await.unwrap();
        let body = &letters[letters.len() - 1].body;
        let token = body.split("/scrutiny/r/").nth(1).unwrap().split_whitespace().next().unwrap().to_string();
        // Thirty days on, that link says the window has closed and refuses an appeal.
        let later_now = t.app.now().checked_add(jiff::SignedDuration::from_hours(24 * 30)).unwrap();
        let later = TestApp {
            app: t.app.clone().with_clock(move || later_now),
            store: t.store.clone(),
            router: router(AppState {
                throttle: std::sync::Arc::new(redress_web::throttle::Throttle::off()),
                app: t.app.clone().with_clock(move || later_now),
                secure_cookies: false,
                public_url: "https://complaints.test".into(),
                metrics_token: None,
            }),
        };
        let follow = later.get(&format!("/scrutiny/r/{token}"), None).await.body;
        assert!(follow.contains("The time to appeal ended on") && !follow.contains("Send appeal"), "{follow}");
        let late = later.post_form(&format!("/scrutiny/r/{token}/appeal"), "grounds=I+disagree", None).await;
        assert_eq!(late.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(late.body.contains("Appeals must be received within 28 days of the decision being sent: the last day was"), "{}", late.body);
        let serious = t.store.scrutiny_messages(&request.id).await.unwrap();
        assert!(serious[serious.len() - 1].body.contains("Repair the door entry this week"));
    })
    .await;
}

#[tokio::test]
async fn a_cancelled_meeting_passes_its_agenda_on_and_an_accepted_call_scores_its_area() {
    on_each_backend(|t| async move {
        let area = redress_domain::organisation::ServiceArea {
            id: "repairs".into(),
            name: "Repairs".into(),
            scheme: "hos-2024".into(),
        };
        t.store
            .add_service_area(&t.app.organisation.id, &area)
            .await
            .unwrap();
        let officer = t.sign_in("officer@test.org").await;
        let csrf = hidden(&t.get("/staff/scrutiny", Some(&officer)).await.body, "csrf");
        let today = t.app.today();
        let mut meetings = Vec::new();
        for days in [7, 14] {
            let on = today.checked_add(jiff::ToSpan::days(days)).unwrap();
            let m = t
                .post_form(
                    "/staff/scrutiny/meetings",
                    format!("csrf={csrf}&on={on}&time=18%3A00&place=Hall"),
                    Some(&officer),
                )
                .await;
            assert_eq!(m.status, StatusCode::SEE_OTHER, "{}", m.body);
            meetings.push(m.location);
        }
        let sent = t
            .post_form("/scrutiny/new", format!("{FORM}&action=send"), None)
            .await;
        let (request, _) = t
            .app
            .scrutiny_by_token(&token_of(&sent.location))
            .await
            .unwrap();
        let case_url = format!("/staff/scrutiny/requests/{}", request.id);
        let unknown = t
            .post_form(
                &format!("{case_url}/area"),
                format!("csrf={csrf}&area=gardens"),
                Some(&officer),
            )
            .await;
        assert!(
            unknown
                .body
                .contains("Select a business area from the list"),
            "{}",
            unknown.body
        );
        let acknowledged = format!("on={today}");
        for (s, body) in [
            ("area", "area=repairs"),
            ("acknowledge", acknowledged.as_str()),
            ("route", "route=significant-failure"),
        ] {
            let r = t
                .post_form(
                    &format!("{case_url}/{s}"),
                    format!("csrf={csrf}&{body}"),
                    Some(&officer),
                )
                .await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{s}: {}", r.body);
        }
        assert!(
            t.get(&meetings[0], Some(&officer))
                .await
                .body
                .contains(&request.reference),
            "on the first meeting"
        );
        let cancel = t
            .post_form(
                &format!("{}/cancel", meetings[0]),
                format!("csrf={csrf}"),
                Some(&officer),
            )
            .await;
        assert_eq!(cancel.status, StatusCode::SEE_OTHER, "{}", cancel.body);
        assert!(
            !t.get(&meetings[0], Some(&officer))
                .await
                .body
                .contains(&request.reference)
        );
        assert!(
            t.get(&meetings[1], Some(&officer))
                .await
                .body
                .contains(&request.reference),
            "moved to the next"
        );

        let before = t
            .app
            .score_areas(
                &Principal::System,
                redress_domain::measures::Period::financial_year_of(today),
            )
            .await
            .unwrap();
        let r = t
            .post_form(
                &format!("{case_url}/decide"),
                format!("csrf={csrf}&outcome=accepted&reasons=Persistent"),
                Some(&officer),
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let after = t
            .app
            .score_areas(
                &Principal::System,
                redress_domain::measures::Period::financial_year_of(today),
            )
            .await
            .unwrap();
        assert_eq!(
            after[0].total,
            before[0].total + 5,
            "an accepted call adds its points"
        );
        assert_eq!(after[0].accepted_calls, 1);
        let matrix = t.get("/staff/scrutiny/matrix", Some(&officer)).await.body;
        assert!(matrix.contains("1 (5 pts)"), "{matrix}");
        // The team's figures: a performance figure scores, a bad one is refused at its field.
        let year = redress_domain::measures::Period::financial_year_of(today);
        let bad = t
            .post_form(
                &format!("/staff/scrutiny/matrix/figures?year={year}"),
                format!("csrf={csrf}&area=repairs&criterion=performance&value=lots&evidence=KPI"),
                Some(&officer),
            )
            .await;
        assert!(
            bad.body.contains("Enter a number, like 82.5"),
            "{}",
            bad.body
        );
        // Figures outside what their measure can be are refused at the field.
        for (criterion, value, said) in [
            ("critical", "7", "whole number from 0 (not critical) to 4"),
            ("performance", "150", "percentage from 0 to 100"),
        ] {
            let out_of_range = t
                .post_form(
                    &format!("/staff/scrutiny/matrix/figures?year={year}"),
                    format!(
                        "csrf={csrf}&area=repairs&criterion={criterion}&value={value}&evidence=KPI"
                    ),
                    Some(&officer),
                )
                .await;
            assert!(
                out_of_range.body.contains(said),
                "{criterion}: {}",
                out_of_range.body
            );
            assert!(out_of_range.body.contains("href=\"#value\""));
        }
        let good = t
            .post_form(
                &format!("/staff/scrutiny/matrix/figures?year={year}"),
                format!(
                    "csrf={csrf}&area=repairs&criterion=performance&value=55&evidence=Q2+KPI+report"
                ),
                Some(&officer),
            )
            .await;
        assert_eq!(good.status, StatusCode::SEE_OTHER, "{}", good.body);
        let scored = t.app.score_areas(&Principal::System, year).await.unwrap();
        assert_eq!(
            scored[0].total,
            after[0].total + 8,
            "55% performance is band 4, weight 2"
        );
        // The programme warns until two areas are chosen.
        let programme = t
            .get("/staff/scrutiny/programme", Some(&officer))
            .await
            .body;
        assert!(
            programme
                .contains("At least 2 business areas are scrutinised each year: 0 chosen so far")
        );
        let added = t
            .post_form(
                &format!("/staff/scrutiny/programme/add?year={year}"),
                format!("csrf={csrf}&area=repairs"),
                Some(&officer),
            )
            .await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
        let twice = t
            .post_form(
                &format!("/staff/scrutiny/programme/add?year={year}"),
                format!("csrf={csrf}&area=repairs"),
                Some(&officer),
            )
            .await;
        assert!(twice.body.contains("already in the year"), "{}", twice.body);
        assert!(
            t.get("/staff/scrutiny/programme", Some(&officer))
                .await
                .body
                .contains("1 chosen so far")
        );
    })
    .await;
}

#[tokio::test]
async fn an_exercise_runs_from_its_stages_to_an_action_plan_done() {
    on_each_backend(|t| async move {
        let area = redress_domain::organisation::ServiceArea {
            id: "repairs".into(),
            name: "Repairs".into(),
            scheme: "hos-2024".into(),
        };
        t.store.add_service_area(&t.app.organisation.id, &area).await.unwrap();
        let member = t.sign_in("scrutiny@test.org").await;
        let programme = t.get("/staff/scrutiny/programme", Some(&member)).await.body;
        let csrf = hidden(&programme, "csrf");
        // The stage template must have 13 stages.
        let short = t.post_form("/staff/scrutiny/programme/stages", format!("csrf={csrf}&stages=One%0ATwo"), Some(&member)).await;
        assert!(short.body.contains("Enter 13 stages, one per line (you entered 2)"), "{}", short.body);
        let added = t.post_form("/staff/scrutiny/programme/add", format!("csrf={csrf}&area=repairs"), Some(&member)).await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
        let programme = t.get("/staff/scrutiny/programme", Some(&member)).await.body;
        let at = programme.find("/staff/scrutiny/exercises/").unwrap();
        let url = programme[at..].split('"').next().unwrap().to_string();
        assert!(programme.contains("Stage 1 of 13: Scoping and terms of reference"), "{programme}");
        let today = t.app.today();
        let yesterday = today.checked_sub(jiff::ToSpan::days(1)).unwrap();
        let post = |change: &str, body: String| {
            let url = format!("{url}/{change}");
            let member = member.clone();
            let t = &t;
            async move { t.post_form(&url, body, Some(&member)).await }
        };
        let r = post("stage", format!("csrf={csrf}&stage=0&planned_on={today}&owner=Mary&done_on={today}")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let early = post("report", format!("csrf={csrf}&on={today}&manager=Cem&head_of_service=Hos")).await;
        assert!(early.body.contains("Add the report&#39;s recommendations before sending it"), "{}", early.body);
        post("recommendation", format!("csrf={csrf}&recommendation=Publish+repair+times")).await;
        let r = post("findings", format!("csrf={csrf}&findings=Repairs+are+slow&evidence=Ten+case+files")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let r = post("report", format!("csrf={csrf}&on={today}&manager=Cem+Jones&head_of_service=Hal+Smith")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let r = post("response", format!("csrf={csrf}&index=0&response=Agreed+for+April")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let r = post("action", format!("csrf={csrf}&recommendation=1&action=Publish+times+online&owner=Hal+Smith&due={yesterday}")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let r = post("agree", format!("csrf={csrf}&on={today}")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let page = t.get(&url, Some(&member)).await.body;
        assert!(page.contains("<td>Mary</td>"), "the stage's owner: {page}");
        assert!(page.contains("Overdue"), "{page}");
        assert!(page.contains("Response delegated to Cem Jones (Customer Empowerment Manager) and Hal Smith (Head of Service)"), "{page}");
        assert!(page.contains("Agreed for April"), "{page}");
        let programme = t.get("/staff/scrutiny/programme", Some(&member)).await.body;
        assert!(programme.contains("1 overdue"), "{programme}");
        let r = post("done", format!("csrf={csrf}&action_id=1&on={today}")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let programme = t.get("/staff/scrutiny/programme", Some(&member)).await.body;
        assert!(programme.contains("Complete: every action done"), "{programme}");
        let page = t.get(&url, Some(&member)).await.body;
        for line in ["Added to the programme", "Stage 1 (Scoping and terms of reference) done on", "Final report sent to the Executive Management Team and Board", "Action 1 complete"] {
            assert!(page.contains(line), "{line}: {page}");
        }
    })
    .await;
}

#[tokio::test]
async fn nul_bytes_in_scrutiny_addresses_and_forms_are_answered_not_failed() {
    on_each_backend(|t| async move {
        let officer = t.sign_in("officer@test.org").await;
        for path in [
            "/scrutiny/petition/CCS-2026-0001%00",
            "/scrutiny/r/ab%00cd",
            "/staff/scrutiny/requests/0190%00",
        ] {
            assert_eq!(
                t.get(path, Some(&officer)).await.status,
                StatusCode::NOT_FOUND,
                "{path}"
            );
        }
        let draft = t
            .post_form(
                "/scrutiny/new",
                "action=save&name=A%00B&concerns=x%00y",
                None,
            )
            .await;
        assert_eq!(
            draft.status,
            StatusCode::SEE_OTHER,
            "a draft keeps what was typed: {}",
            draft.body
        );
        let resumed = t.get(&draft.location, None).await;
        assert_eq!(resumed.status, StatusCode::OK);
        let sent = t
            .post_form(
                draft.location.split('?').next().unwrap(),
                format!(
                    "{}&action=send",
                    FORM.replacen("name=Ada+Lovelace", "name=A%00B", 1)
                ),
                None,
            )
            .await;
        assert!(
            sent.body
                .contains("Your full name contains characters that cannot be used"),
            "{}",
            sent.body
        );
        let csrf = hidden(
            &t.get("/staff/scrutiny/programme", Some(&officer))
                .await
                .body,
            "csrf",
        );
        let stages = (0..13)
            .map(|n| format!("Stage%00{n}"))
            .collect::<Vec<_>>()
            .join("%0A");
        let refused = t
            .post_form(
                "/staff/scrutiny/programme/stages",
                format!("csrf={csrf}&stages={stages}"),
                Some(&officer),
            )
            .await;
        assert!(
            refused
                .body
                .contains("Stage names cannot contain control characters"),
            "{}",
            refused.body
        );
        let signed = t
            .post_form(
                "/scrutiny/petition/CCS-2026-0001",
                "name=A%00&postcode=%00&declaration=yes",
                None,
            )
            .await;
        assert_eq!(signed.status, StatusCode::NOT_FOUND);
    })
    .await;
}

#[tokio::test]
async fn a_decision_by_letter_counts_as_sent_when_it_is_posted() {
    on_each_backend(|t| async move {
        let by_post = FORM.replace("preferred_contact=email", "preferred_contact=letter&address=1+Oak+House&postcode=LS6+1AA&format=large-print");
        let sent = t.post_form("/scrutiny/new", format!("{by_post}&action=send"), None).await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        let token = token_of(&sent.location);
        let (request, _) = t.app.scrutiny_by_token(&token).await.unwrap();
        let officer = t.sign_in("officer@test.org").await;
        let case_url = format!("/staff/scrutiny/requests/{}", request.id);
        let csrf = hidden(&t.get(&case_url, Some(&officer)).await.body, "csrf");
        let today = t.app.today();
        for (s, body) in [
            ("acknowledge", format!("on={today}")),
            ("route", "route=significant-failure".to_string()),
            ("decide", "outcome=referred&reasons=A+group+already+reviews+repairs&review_group=Repairs+Review+Group".to_string()),
            ("send-decision", String::new()),
        ] {
            let r = t.post_form(&format!("{case_url}/{s}"), format!("csrf={csrf}&{body}"), Some(&officer)).await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{s}: {}", r.body);
        }
        let (waiting, _) = t.app.scrutiny_by_id(&Principal::System, &request.id).await.unwrap();
        assert_eq!(waiting.appeal_by(), None, "not told until it is posted");
        // The acknowledgement went by post too; recording it posted is only a note, never
        // the decision being sent.
        let ack = t
            .store
            .scrutiny_messages(&request.id)
            .await
            .unwrap()
            .into_iter()
            .find(|l| l.kind == redress_domain::letter::LetterKind::ScrutinyAcknowledged)
            .expect("the acknowledgement letter");
        assert_eq!(ack.status, "to-print");
        let posted_ack = t.post_form(&format!("{case_url}/posted"), format!("csrf={csrf}&letter={}", ack.id), Some(&officer)).await;
        assert_eq!(posted_ack.status, StatusCode::SEE_OTHER, "{}", posted_ack.body);
        let (still, _) = t.app.scrutiny_by_id(&Principal::System, &request.id).await.unwrap();
        assert_eq!(still.appeal_by(), None, "posting the acknowledgement does not start the appeal window");
        let history = t.get(&case_url, Some(&officer)).await.body;
        assert!(history.contains("Letter sent: We have received your Community Call for Scrutiny"), "{history}");
        let letters: Vec<_> = t
            .store
            .scrutiny_messages(&request.id)
            .await
            .unwrap()
            .into_iter()
            .filter(|l| l.kind == redress_domain::letter::LetterKind::ScrutinyDecision)
            .collect();
        assert_eq!(letters.len(), 1);
        assert_eq!((letters[0].status.as_str(), letters[0].large_print), ("to-print", true));
        assert!(letters[0].recipient.contains("1 Oak House") && letters[0].body.contains("Repairs Review Group"));
        let again = t.post_form(&format!("{case_url}/send-decision"), format!("csrf={csrf}"), Some(&officer)).await;
        assert!(again.body.contains("waiting to be printed and posted"), "{}", again.body);
        let page = t.get(&case_url, Some(&officer)).await.body;
        assert!(page.contains("as posted today"), "{page}");
        let queue = t.get("/staff/letters?status=to-print", Some(&officer)).await.body;
        assert!(queue.contains("Community Calls for Scrutiny") && queue.contains(&case_url), "{queue}");
        let posted = t.post_form(&format!("{case_url}/posted"), format!("csrf={csrf}&letter={}", letters[0].id), Some(&officer)).await;
        assert_eq!(posted.status, StatusCode::SEE_OTHER, "{}", posted.body);
        let (told, _) = t.app.scrutiny_by_id(&Principal::System, &request.id).await.unwrap();
        assert!(told.appeal_by().is_some());
        let printed = t.store.scrutiny_messages(&request.id).await.unwrap();
        assert!(printed.iter().any(|l| l.id == letters[0].id && l.status == "printed"));
        // The scrutiny team sees the papers but not the requester's contact details.
        let member = t.sign_in("scrutiny@test.org").await;
        let seen = t.get(&case_url, Some(&member)).await.body;
        assert!(seen.contains("Communal repairs are left for months") && !seen.contains("1 Oak House"), "{seen}");
    })
    .await;
}

#[tokio::test]
async fn a_meeting_keeps_its_minutes_and_stays_listed_once_past() {
    on_each_backend(|t| async move {
        let officer = t.sign_in("officer@test.org").await;
        let list = t.get("/staff/scrutiny", Some(&officer)).await.body;
        let csrf = hidden(&list, "csrf");
        let next_week = t.app.today().checked_add(jiff::ToSpan::days(7)).unwrap();
        let meeting = t
            .post_form("/staff/scrutiny/meetings", format!("csrf={csrf}&on={next_week}&time=18%3A30&place=Oak+House"), Some(&officer))
            .await;
        let minutes_url = format!("{}/minutes", meeting.location);
        let early = t.post_form(&minutes_url, format!("csrf={csrf}&attended=Ann&minutes=Agreed"), Some(&officer)).await;
        assert!(early.body.contains("once the meeting has taken place"), "{}", early.body);

        // Ten days on, the meeting is past: it stays listed and takes its minutes.
        let later_now = t.app.now().checked_add(jiff::SignedDuration::from_hours(24 * 10)).unwrap();
        let app = t.app.clone().with_clock(move || later_now);
        let later = TestApp {
            app: app.clone(),
            store: t.store.clone(),
            router: router(AppState {
                throttle: std::sync::Arc::new(redress_web::throttle::Throttle::off()),
                app,
                secure_cookies: false,
                public_url: "https://complaints.test".into(),
                metrics_token: None,
            }),
        };
        let officer = later.sign_in("officer@test.org").await;
        let list = later.get("/staff/scrutiny", Some(&officer)).await.body;
        assert!(list.contains("Past meetings") && list.contains(&meeting.location), "{list}");
        let csrf = hidden(&list, "csrf");
        let nobody = later.post_form(&minutes_url, format!("csrf={csrf}&attended=&minutes=Agreed"), Some(&officer)).await;
        assert_eq!(nobody.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(nobody.body.contains("href=\"#attended\""), "{}", nobody.body);
        let first = later
            .post_form(&minutes_url, format!("csrf={csrf}&attended=Ann+Parry%0ABen+Carter&apologies=Dee+Walsh&minutes=The+team+agreed+to+scrutinise+repairs."), Some(&officer))
            .await;
        assert_eq!(first.location, meeting.location);
        let corrected = later
            .post_form(&minutes_url, format!("csrf={csrf}&attended=Ann+Parry%0ABen+Carter%0ACai+Morris&apologies=Dee+Walsh&minutes=The+team+agreed+to+scrutinise+repairs+and+lifts."), Some(&officer))
            .await;
        assert_eq!(corrected.status, StatusCode::SEE_OTHER);
        let page = later.get(&meeting.location, Some(&officer)).await.body;
        assert!(page.contains("Ann Parry, Ben Carter, Cai Morris") && page.contains("repairs and lifts."), "{page}");
        assert!(page.contains("Version 1 of 2") && page.contains("The team agreed to scrutinise repairs."), "the first version is kept: {page}");
        // The team reads them; only supporting staff write them.
        let member = later.sign_in("scrutiny@test.org").await;
        let read = later.get(&meeting.location, Some(&member)).await.body;
        assert!(read.contains("repairs and lifts.") && !read.contains("Save a corrected version"));
    })
    .await;
}
