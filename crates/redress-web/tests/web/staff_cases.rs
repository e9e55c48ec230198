//! Staff work cases: finding them, recording one, both stages, other kinds, triage, the CSV list.

use super::{VALID, hidden};
use axum::http::StatusCode;
use redress_app::access::Principal;
use redress_domain::role::Role;
use redress_testkit::web::{PASSWORD, on_each_backend};

#[tokio::test]
async fn staff_sign_in_find_cases_and_see_needs_first() {
    on_each_backend(|t| async move {
        assert_eq!(t.get("/staff/cases", None).await.location, "/staff/login");
        let wrong = t
            .post_form(
                "/staff/login",
                "email=officer%40test.org&password=nope",
                None,
            )
            .await;
        assert_eq!(wrong.status, StatusCode::OK);
        assert!(
            wrong
                .body
                .contains("Enter a correct email address and password")
        );
        assert!(wrong.cookie.is_none());

        let sent = t
            .post_form(
                &t.post_form("/contact/new", VALID, None).await.location,
                "",
                None,
            )
            .await;
        let confirmation = t.get(&sent.location, None).await.body;
        let start = confirmation.find("CMP-").unwrap();
        let reference = &confirmation[start..start + 15];

        let cookie = t.sign_in("officer@test.org").await;
        let list = t
            .get(&format!("/staff/cases?q={reference}"), Some(&cookie))
            .await;
        assert!(
            list.body
                .contains(&format!("href=\"/staff/cases/{reference}\"")),
            "{}",
            list.body
        );
        assert!(list.body.contains("1 case found"));
        let none = t
            .get("/staff/cases?q=nothing-like-this", Some(&cookie))
            .await;
        assert!(none.body.contains("0 cases found"));
        let case = t
            .get(&format!("/staff/cases/{reference}"), Some(&cookie))
            .await;
        // The summary comes first: where the case stands, who has it, and the person's
        // needs, before the actions and long before the history.
        let at = |text: &str| case.body.find(text).unwrap_or(usize::MAX);
        let summary = at("id=\"summary-title\"");
        let next = at("id=\"actions-title\"");
        assert!(summary < next && next < at("id=\"history\""));
        for in_summary in [
            "Acknowledge by",
            "Respond by",
            "working days left",
            "Not assigned: waiting for triage",
            "I use a screen reader",
        ] {
            let found = at(in_summary);
            assert!(
                summary < found && found < next,
                "{in_summary} is in the summary"
            );
        }
        assert!(
            case.body
                .contains("<h3 class=\"heading-s\">Progress the case</h3>")
        );
        assert!(case.body.contains("timeline__item"));
        assert_eq!(
            t.get("/staff/cases/CMP-2099-000001", Some(&cookie))
                .await
                .status,
            StatusCode::NOT_FOUND
        );

        let scrutiny = t.sign_in("scrutiny@test.org").await;
        assert_eq!(
            t.get("/staff/cases", Some(&scrutiny)).await.status,
            StatusCode::FORBIDDEN
        );
    })
    .await;
}

#[tokio::test]
async fn staff_record_a_phone_complaint_with_its_real_time() {
    on_each_backend(|t| async move {
        let cookie = t.sign_in("officer@test.org").await;
        let form = t.get("/staff/cases/new", Some(&cookie)).await.body;
        let csrf = form
            .split("name=\"csrf\" value=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_string();
        let bad = t
            .post_form(
                "/staff/cases/new",
                format!("csrf=wrong&{VALID}&channel=phone"),
                Some(&cookie),
            )
            .await;
        assert_eq!(bad.status, StatusCode::FORBIDDEN);
        let missing = t
            .post_form(
                "/staff/cases/new",
                format!("csrf={csrf}&kind=complaint"),
                Some(&cookie),
            )
            .await;
        assert!(missing.body.contains("Select how it was received"));
        let body = format!(
            "csrf={csrf}&{VALID}&channel=phone&received_date=2026-01-05&received_time=16%3A45"
        );
        let saved = t.post_form("/staff/cases/new", body, Some(&cookie)).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let case = t.get(&saved.location, Some(&cookie)).await.body;
        assert!(case.contains("5 January 2026 by phone"));
        assert!(
            case.contains("12 January 2026"),
            "acknowledge by five working days later"
        );
        assert!(case.contains("by Olu Officer"));
    })
    .await;
}

#[tokio::test]
async fn a_complaint_is_taken_through_both_stages_by_different_handlers() {
    on_each_backend(|t| async move {
        let second = t.app.add_user(&Principal::System, "second@test.org", "Sian Second", Role::CaseWorker, PASSWORD).await.unwrap();
        let officer = t.store.user_by_email("officer@test.org").await.unwrap().unwrap().0;
        let sent = t.post_form(&t.post_form("/contact/new", VALID, None).await.location, "", None).await;
        let confirmation = t.get(&sent.location, None).await.body;
        let start = confirmation.find("CMP-").unwrap();
        let reference = confirmation[start..start + 15].to_string();
        let cookie = t.sign_in("officer@test.org").await;
        let today = t.app.today().to_string();

        let act = |slug: &'static str, fields: String| {
            let t = &t;
            let cookie = cookie.clone();
            let reference = reference.clone();
            async move {
                let path = format!("/staff/cases/{reference}/act/{slug}");
                let form = t.get(&path, Some(&cookie)).await;
                assert_eq!(form.status, StatusCode::OK, "{slug}: {}", form.body);
                let body = format!("csrf={}&version={}&{fields}", hidden(&form.body, "csrf"), hidden(&form.body, "version"));
                t.post_form(&path, body, Some(&cookie)).await
            }
        };

        let case = t.get(&format!("/staff/cases/{reference}"), Some(&cookie)).await.body;
        assert!(case.contains("Acknowledge the complaint"));
        assert!(!case.contains("Escalate to the next stage"), "only what applies is offered");

        // A refusal comes back beside the field, and nothing is saved.
        let refused = act("respond", format!("on={today}&point_1=Missed+visits&upheld_1=yes&reasons=Checked")).await;
        assert!(refused.body.contains("There is a problem"));
        assert!(refused.body.contains("Acknowledge the complaint first"));

        let ok = act("assign-case-worker", format!("to={}", officer.id)).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        let ok = act("acknowledge", format!("on={today}&understanding=Missed+repairs&outcome_wanted=Fix+it")).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        assert!(t.get(&ok.location, Some(&cookie)).await.body.contains("Saved: acknowledge the complaint"));
        let ok = act(
            "respond",
            format!("on={today}&point_1=Missed+visits&upheld_1=yes&point_2=Rudeness&upheld_2=no&reasons=We+checked+the+records"),
        )
        .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        let ok = act("escalate", format!("requested_on={today}")).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);

        let same = act("assign-case-worker", format!("to={}", officer.id)).await;
        assert!(same.body.contains("must be a different person"), "{}", same.body);
        let ok = act("assign-case-worker", format!("to={}", second.id)).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        let workload = t.get("/staff/workload", Some(&cookie)).await.body;
        let row = workload.split("Sian Second").nth(1).unwrap_or_default();
        assert!(row.contains("table__cell--numeric\">1</td>"), "one open case as case worker: {row}");
        let mine = t.get(&format!("/staff/cases?assignee={}", second.id), Some(&cookie)).await.body;
        assert!(mine.contains("1 case found") && mine.contains(&reference));
        let ok = act("acknowledge", format!("on={today}&understanding=Still+unresolved&outcome_wanted=Fix+it")).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER);
        let ok = act("respond", format!("on={today}&point_1=Missed+visits&upheld_1=yes&reasons=Upheld+at+review")).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER);

        let case = t.get(&format!("/staff/cases/{reference}"), Some(&cookie)).await.body;
        assert!(case.contains("Stage 2"));
        assert!(case.contains("Sian Second"));
        for event in ["Escalated", "Response sent", "Assigned", "Acknowledged"] {
            assert!(case.contains(event), "{event}");
        }
        let final_stage = act("escalate", format!("requested_on={today}")).await;
        assert!(final_stage.body.contains("Housing Ombudsman"), "{}", final_stage.body);

        // A form opened before someone else's change is refused, not applied over it.
        let path = format!("/staff/cases/{reference}/act/close");
        let form = t.get(&path, Some(&cookie)).await;
        let stale = format!("csrf={}&version=1&on={today}", hidden(&form.body, "csrf"));
        assert_eq!(t.post_form(&path, stale, Some(&cookie)).await.status, StatusCode::CONFLICT);

        let auditor = t.app.add_user(&Principal::System, "auditor@test.org", "Ann Auditor", Role::Auditor, PASSWORD).await.unwrap();
        let auditor_cookie = t.sign_in(&auditor.email).await;
        assert_eq!(t.get(&path, Some(&auditor_cookie)).await.status, StatusCode::FORBIDDEN);
        assert!(!t.get(&format!("/staff/cases/{reference}"), Some(&auditor_cookie)).await.body.contains("/act/"));
    })
    .await;
}

#[tokio::test]
async fn comments_and_compliments_are_handled_their_own_way() {
    on_each_backend(|t| async move {
        t.store
            .add_service_area(&t.app.organisation.id, &redress_domain::organisation::ServiceArea {
                id: "estates".into(),
                name: "Estate services".into(),
                scheme: "hos-2024".into(),
            })
            .await
            .unwrap();
        let cookie = t.sign_in("officer@test.org").await;
        let today = t.app.today().to_string();
        let submit = |body: &'static str| {
            let t = &t;
            async move {
                let sent = t.post_form(&t.post_form("/contact/new", body, None).await.location, "", None).await;
                super::first_reference(&t.get(&sent.location, None).await.body)
            }
        };
        let comment = submit("kind=comment&who=myself&name=Carys+Price&email=c%40example.org&summary=Post+the+grass+cutting+dates&wants_reply=yes").await;
        let compliment = submit("kind=compliment&who=anonymous&summary=The+caretaker+was+wonderful&staff_named=Huw").await;
        assert!(comment.starts_with("CMT-") && compliment.starts_with("CPL-"), "{comment} {compliment}");

        let act = |reference: String, slug: &'static str, fields: String| {
            let t = &t;
            let cookie = cookie.clone();
            async move {
                let path = format!("/staff/cases/{reference}/act/{slug}");
                let form = t.get(&path, Some(&cookie)).await;
                let body = format!("csrf={}&version={}&{fields}", hidden(&form.body, "csrf"), hidden(&form.body, "version"));
                t.post_form(&path, body, Some(&cookie)).await
            }
        };
        let page = t.get(&format!("/staff/cases/{comment}"), Some(&cookie)).await.body;
        assert!(page.contains("Reply by"));
        assert!(!page.contains("Close the case"), "a comment gets an outcome, not a bare close");
        let r = act(comment.clone(), "pass-to-service", "area=estates".into()).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let early = act(comment.clone(), "comment-outcome", format!("on={today}&outcome=acted-on")).await;
        assert!(early.body.contains("Record the reply first"), "{}", early.body);
        let r = act(comment.clone(), "reply", format!("on={today}&text=We+will+post+them+in+the+lobby")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let why = act(comment.clone(), "comment-outcome", format!("on={today}&outcome=not-taken-forward")).await;
        assert!(why.body.contains("Enter why it is not being taken forward"), "{}", why.body);
        let r = act(comment.clone(), "comment-outcome", format!("on={today}&outcome=acted-on")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let page = t.get(&format!("/staff/cases/{comment}"), Some(&cookie)).await.body;
        for text in ["Estate services", "We will post them in the lobby", "Acted on", "Closed", "Our reply to your comment"] {
            assert!(page.contains(text), "{text}");
        }

        // The compliment reaches the colleague it praises and their manager, by email.
        t.app
            .add_user(&redress_app::access::Principal::System, "huw@test.org", "Huw Jenkins", redress_domain::role::Role::CaseWorker, redress_testkit::web::PASSWORD)
            .await
            .unwrap();
        let users = t.store.users().await.unwrap();
        let id = |email: &str| users.iter().find(|u| u.email == email).map(|u| u.id.clone()).unwrap();
        let unnamed = act(compliment.clone(), "pass-on-compliment", format!("on={today}&manager={}", id("officer@test.org"))).await;
        assert!(unnamed.body.contains("Select who it praises"), "{}", unnamed.body);
        let r = act(compliment.clone(), "pass-on-compliment", format!("on={today}&to_user={}&manager={}", id("huw@test.org"), id("officer@test.org"))).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let page = t.get(&format!("/staff/cases/{compliment}"), Some(&cookie)).await.body;
        assert!(page.contains("to Huw Jenkins and their manager Olu Officer"));
        assert!(page.contains("Close the case"));
        let org = &t.app.organisation.id;
        let reference = redress_domain::contact::Reference::parse(&compliment).unwrap();
        let stored = t.store.contact_by_reference(org, &reference).await.unwrap().unwrap();
        let letters = t.store.letters(org, &stored.id).await.unwrap();
        let mut to: Vec<(&str, &str)> = letters.iter().filter(|l| l.kind == redress_domain::letter::LetterKind::ComplimentPassedOn).map(|l| (l.recipient.as_str(), l.status.as_str())).collect();
        to.sort();
        assert_eq!(to, [("huw@test.org", "pending"), ("officer@test.org", "pending")], "emailed at once, not held as drafts");
        assert!(letters.iter().all(|l| l.kind != redress_domain::letter::LetterKind::ComplimentPassedOn || l.body.contains("The caretaker was wonderful")));
    })
    .await;
}

#[tokio::test]
async fn triage_reclassifies_links_and_raises_complaints_from_requests() {
    on_each_backend(|t| async move {
        let cookie = t.sign_in("officer@test.org").await;
        let reference = super::first_reference;
        let sent = t
            .post_form(
                &t.post_form("/contact/new", VALID, None).await.location,
                "",
                None,
            )
            .await;
        let first = reference(&t.get(&sent.location, None).await.body);
        let sent = t
            .post_form(
                &t.post_form("/contact/new", VALID.replace("Fix+it", "Fix+it+now"), None)
                    .await
                    .location,
                "",
                None,
            )
            .await;
        let second = reference(&t.get(&sent.location, None).await.body);
        let act = |case: String, slug: &'static str, fields: String| {
            let t = &t;
            let cookie = cookie.clone();
            async move {
                let path = format!("/staff/cases/{case}/act/{slug}");
                let form = t.get(&path, Some(&cookie)).await;
                let body = format!(
                    "csrf={}&version={}&{fields}",
                    hidden(&form.body, "csrf"),
                    hidden(&form.body, "version")
                );
                t.post_form(&path, body, Some(&cookie)).await
            }
        };

        // The second is a duplicate: it closes, both cases show the link.
        let missing = act(
            second.clone(),
            "link",
            "relation=duplicate-of&reference=CMP-2099-000009".into(),
        )
        .await;
        assert!(
            missing.body.contains("There is no case CMP-2099-000009"),
            "{}",
            missing.body
        );
        let r = act(
            second.clone(),
            "link",
            format!("relation=duplicate-of&reference={first}"),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let dup = t
            .get(&format!("/staff/cases/{second}"), Some(&cookie))
            .await
            .body;
        assert!(
            dup.contains("Duplicate of") && dup.contains(&format!("href=\"/staff/cases/{first}\""))
        );
        let kept = t
            .get(&format!("/staff/cases/{first}"), Some(&cookie))
            .await
            .body;
        assert!(kept.contains("Related case") && kept.contains(&second));

        // The first is really a first report of a repair: reclassify it, then the resident
        // complains about how the request is handled.
        let r = act(
            first.clone(),
            "reclassify",
            "to=service-request&explanation=A+first+report+of+a+leak".into(),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let after = t
            .get(&format!("/staff/cases/{first}"), Some(&cookie))
            .await
            .body;
        assert!(
            after.contains("Reclassified from complaint to service request"),
            "{after}"
        );
        let r = act(
            first.clone(),
            "raise-complaint",
            "summary=Still+no+plumber+after+three+weeks".into(),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let complaint = t.get(&r.location, Some(&cookie)).await.body;
        assert!(
            complaint.contains("Complaint raised from this request") && complaint.contains(&first)
        );
        assert!(
            complaint.contains("Still no plumber after three weeks")
                && complaint.contains("Acknowledge by")
        );
        let request = t
            .get(&format!("/staff/cases/{first}"), Some(&cookie))
            .await
            .body;
        assert!(
            request.contains("Service request")
                && request.contains("Complaint raised about this request")
        );
        let agency = act(
            first.clone(),
            "link",
            "relation=other-agency&agency=Cardiff+Council&their_reference=CC%2F99".into(),
        )
        .await;
        assert_eq!(agency.status, StatusCode::SEE_OTHER, "{}", agency.body);
        assert!(
            t.get(&format!("/staff/cases/{first}"), Some(&cookie))
                .await
                .body
                .contains("Cardiff Council, their reference CC/99")
        );
    })
    .await;
}

#[tokio::test]
async fn the_case_list_downloads_as_csv_without_formulas() {
    on_each_backend(|t| async move {
        let body = VALID.replace(
            "Nobody+came+to+fix+the+leak",
            "%3DHYPERLINK%28%22http%3A%2F%2Fevil%22%29",
        );
        let sent = t
            .post_form(
                &t.post_form("/contact/new", body, None).await.location,
                "",
                None,
            )
            .await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER);
        let officer = t.sign_in("officer@test.org").await;
        let list = t
            .get("/staff/cases?kind=complaint", Some(&officer))
            .await
            .body;
        assert!(
            list.contains("href=\"/staff/cases.csv?kind=complaint&#38;page=1\""),
            "{list}"
        );
        let csv = t
            .get("/staff/cases.csv?kind=complaint", Some(&officer))
            .await
            .body;
        assert!(csv.starts_with("reference,kind,status,stage,received_on,name"));
        assert!(csv.contains(",Aled Jones,"));
        assert!(
            csv.contains(",\"'=HYPERLINK(\"\"http://evil\"\")\","),
            "a formula is neutralised: {csv}"
        );
        assert_eq!(
            t.get("/staff/cases.csv", None).await.location,
            "/staff/login"
        );
    })
    .await;
}
