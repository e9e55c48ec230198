//! Residents and their representatives follow their own cases.

use super::{VALID, hidden, hidden_textarea};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use redress_app::access::Principal;
use redress_testkit::web::on_each_backend;

#[tokio::test]
async fn a_resident_follows_and_escalates_their_own_complaint() {
    on_each_backend(|t| async move {
        let submit = |body: String| {
            let t = &t;
            async move {
                let sent = t
                    .post_form(
                        &t.post_form("/contact/new", body, None).await.location,
                        "",
                        None,
                    )
                    .await;
                let page = t.get(&sent.location, None).await.body;
                let start = page.find("CMP-").unwrap();
                assert!(
                    page.contains("/track?reference="),
                    "the confirmation offers to follow it online"
                );
                page[start..start + 15].to_string()
            }
        };
        let mine = submit(VALID.to_string()).await;
        let theirs = submit(
            VALID
                .replace("cf10+1aa", "sa1+3sn")
                .replace("aled%40example.org", "other%40example.org"),
        )
        .await;

        // A postcode alone is not enough: a neighbour shares it.
        let no_surname = t
            .post_form("/track", format!("reference={mine}&answer=CF10+1AA"), None)
            .await;
        assert!(
            no_surname
                .body
                .contains("We could not find a case with that reference")
        );
        let wrong_surname = t
            .post_form(
                "/track",
                format!("reference={mine}&answer=CF10+1AA&surname=Evans"),
                None,
            )
            .await;
        assert!(wrong_surname.cookie.is_none());
        let wrong = t
            .post_form("/track", format!("reference={mine}&answer=SA1+3SN"), None)
            .await;
        assert!(
            wrong
                .body
                .contains("We could not find a case with that reference")
        );
        assert!(wrong.cookie.is_none());
        let ok = t
            .post_form(
                "/track",
                format!(
                    "reference={}&answer=cf101aa&surname=JONES",
                    mine.to_lowercase()
                ),
                None,
            )
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        let cookie = ok.cookie.unwrap();
        let page = t.get("/track/case", Some(&cookie)).await.body;
        assert!(page.contains(&mine) && !page.contains(&theirs));
        assert!(page.contains("We have received it") && page.contains("We will acknowledge it"));

        let info = t
            .post_form(
                "/track/case/information",
                "information=The+leak+is+worse+today",
                Some(&cookie),
            )
            .await;
        assert_eq!(info.status, StatusCode::SEE_OTHER);
        let empty = t
            .post_form("/track/case/information", "information=+", Some(&cookie))
            .await;
        assert!(empty.body.contains("Enter what you want to tell us"));

        // Staff answer stage 1; an internal note stays internal.
        let staff = t.sign_in("officer@test.org").await;
        let today = t.app.today().to_string();
        for (slug, fields) in [
            (
                "add-note",
                "kind=staff-contact&text=Spoke+to+the+repairs+manager+about+the+contractor"
                    .to_string(),
            ),
            (
                "acknowledge",
                "understanding=Leak&outcome_wanted=Fix".to_string(),
            ),
            (
                "respond",
                "point_1=Leak&upheld_1=yes&reasons=Repair+booked".to_string(),
            ),
        ] {
            let path = format!("/staff/cases/{mine}/act/{slug}");
            let form = t.get(&path, Some(&staff)).await;
            let body = format!(
                "csrf={}&version={}&on={today}&{fields}",
                hidden(&form.body, "csrf"),
                hidden(&form.body, "version")
            );
            assert_eq!(
                t.post_form(&path, body, Some(&staff)).await.status,
                StatusCode::SEE_OTHER,
                "{slug}"
            );
        }
        let staff_view = t
            .get(&format!("/staff/cases/{mine}"), Some(&staff))
            .await
            .body;
        assert!(
            staff_view.contains("The leak is worse today")
                && staff_view.contains("Aled Jones (online)")
        );

        // The response is a draft until the officer checks it: the resident sees nothing yet.
        let page = t.get("/track/case", Some(&cookie)).await.body;
        assert!(!page.contains("Our stage 1 response to your complaint"));
        assert!(
            !page.contains("We have sent our response") && !page.contains("Response sent"),
            "the resident is not told of a response that has not gone: {page}"
        );
        assert!(
            page.contains("We have received it"),
            "nor of an acknowledgement still a draft"
        );
        // The officer edits the response and sends it; the resident reads what was sent.
        for draft in staff_view
            .split("href=\"/staff/letters/")
            .skip(1)
            .filter_map(|s| s.split('/').next())
        {
            let check_path = format!("/staff/letters/{draft}/check");
            let check = t.get(&check_path, Some(&staff)).await.body;
            let csrf = hidden(&check, "csrf");
            let mut was = hidden(&check, "was");
            if !check.contains("Check this letter before it goes") {
                continue; // sent already: the survey goes with the response
            }
            if check.contains("Our stage 1 response") {
                let body = hidden_textarea(&check, "body").replace(
                    "Repair booked",
                    "Repair booked for Tuesday 9 December, between 8am and 1pm",
                );
                let form = serde_urlencoded::to_string([
                    ("csrf", csrf.as_str()),
                    ("was", was.as_str()),
                    ("subject", "Our stage 1 response to your complaint"),
                    ("body", body.as_str()),
                ])
                .unwrap();
                let edited = t
                    .post_form(&format!("/staff/letters/{draft}/edit"), form, Some(&staff))
                    .await;
                assert_eq!(edited.status, StatusCode::SEE_OTHER, "{}", edited.body);
                was = hidden(&t.get(&check_path, Some(&staff)).await.body, "was");
            }
            let sent = t
                .post_form(
                    &format!("/staff/letters/{draft}/send"),
                    format!("csrf={csrf}&was={was}"),
                    Some(&staff),
                )
                .await;
            assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        }
        let page = t.get("/track/case", Some(&cookie)).await.body;
        assert!(
            page.contains("We have sent our response")
                && page.contains("Our stage 1 response to your complaint")
        );
        assert!(
            page.contains("Repair booked for Tuesday 9 December, between 8am and 1pm"),
            "the resident reads the letter as edited"
        );
        assert!(
            !page.contains("repairs manager"),
            "staff notes are not shown to residents"
        );
        assert!(page.contains("Ask for a review"));
        let escalated = t
            .post_form("/track/case/escalate", "reason=", Some(&cookie))
            .await;
        assert_eq!(escalated.status, StatusCode::SEE_OTHER);
        let page = t.get(&escalated.location, Some(&cookie)).await.body;
        assert!(
            page.contains("We have received your request for a review")
                && page.contains("stage 2 review")
        );
        assert!(
            t.get(&format!("/staff/cases/{mine}"), Some(&staff))
                .await
                .body
                .contains("Escalated to stage 2 at the resident")
        );

        let out = t.post_form("/track/sign-out", "", Some(&cookie)).await;
        assert_eq!(out.status, StatusCode::SEE_OTHER);
        assert_eq!(
            t.get("/track/case", Some(&cookie)).await.location,
            "/track",
            "signed out"
        );
        assert_eq!(t.get("/track/case", None).await.location, "/track");

        // Guessing is stopped after five wrong answers for a reference.
        for _ in 0..5 {
            t.post_form("/track", format!("reference={theirs}&answer=AB1+2CD"), None)
                .await;
        }
        let blocked = t
            .post_form("/track", format!("reference={theirs}&answer=SA1+3SN"), None)
            .await;
        assert!(blocked.body.contains("Too many tries"), "{}", blocked.body);
    })
    .await;
}

#[tokio::test]
async fn a_single_use_link_opens_the_case_once_and_expires() {
    on_each_backend(|t| async move {
        let sent = t
            .post_form(
                &t.post_form("/contact/new", VALID, None).await.location,
                "",
                None,
            )
            .await;
        let page = t.get(&sent.location, None).await.body;
        let start = page.find("CMP-").unwrap();
        let reference = page[start..start + 15].to_string();
        let link = page
            .split("href=\"/track/link/")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_string();
        let path = format!("/track/link/{link}");

        // Fetching the link (as an email scanner would) does not use it up.
        let shown = t.get(&path, None).await;
        assert!(shown.body.contains("Open my case"));
        assert_eq!(t.get(&path, None).await.status, StatusCode::OK);
        let opened = t.post_form(&path, "", None).await;
        assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
        let cookie = opened.cookie.unwrap();
        assert!(
            t.get("/track/case", Some(&cookie))
                .await
                .body
                .contains(&reference)
        );
        // A second use, and a made-up link, are refused.
        let replay = t.post_form(&path, "", None).await;
        assert_eq!(replay.status, StatusCode::FORBIDDEN);
        assert!(
            replay
                .body
                .contains("This link or code has expired or has already been used")
        );
        assert!(replay.cookie.is_none());
        assert_eq!(
            t.post_form("/track/link/0000", "", None).await.status,
            StatusCode::FORBIDDEN
        );

        // Asking for a link by email: the answer never says whether the address matched.
        let wrong = t
            .post_form(
                "/track/email-link",
                format!("link_reference={reference}&link_email=someone%40else.org"),
                None,
            )
            .await;
        assert!(wrong.body.contains("Check your email"));
        let right = t
            .post_form(
                "/track/email-link",
                format!("link_reference={reference}&link_email=ALED%40example.org"),
                None,
            )
            .await;
        assert_eq!(right.body, wrong.body);
        let contact = t
            .app
            .case_for(&Principal::System, &reference)
            .await
            .unwrap()
            .contact;
        let letters = t
            .store
            .letters(&t.app.organisation.id, &contact.id)
            .await
            .unwrap();
        let emailed: Vec<_> = letters
            .iter()
            .filter(|l| l.kind == redress_domain::letter::LetterKind::SignInLink)
            .collect();
        assert_eq!(emailed.len(), 1, "only the matching address gets a link");
        assert_eq!(emailed[0].recipient, "aled@example.org");
        let body = &emailed[0].body;
        let emailed_link = body
            .split("https://complaints.test")
            .nth(1)
            .unwrap()
            .split_whitespace()
            .next()
            .unwrap()
            .to_string();
        assert!(emailed_link.starts_with("/track/link/"));
        assert_eq!(
            t.post_form(&emailed_link, "", None).await.status,
            StatusCode::SEE_OTHER
        );
        let blank = t
            .post_form("/track/email-link", "link_reference=&link_email=", None)
            .await;
        assert!(
            blank.body.contains("Enter your reference")
                && blank.body.contains("Enter the email address you gave us")
        );

        // A link stops working after 7 days.
        // The confirmation page gives a fresh link each time it is shown.
        let again = t.get(&sent.location, None).await.body;
        let token = again
            .split("href=\"/track/link/")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_string();
        let token = token.as_str();
        let later = t.app.now() + jiff::SignedDuration::from_hours(24 * 8);
        let week_on = t.app.clone().with_clock(move || later);
        assert!(matches!(
            week_on.resident_sign_in_with_link(token).await,
            Err(redress_app::AppError::Forbidden)
        ));
        assert!(
            t.app.resident_sign_in_with_link(token).await.is_ok(),
            "unused and in date"
        );
    })
    .await;
}

#[tokio::test]
async fn a_resident_sends_a_file_to_their_case() {
    on_each_backend(|t| async move {
        let sent = t.post_form(&t.post_form("/contact/new", VALID, None).await.location, "", None).await;
        let page = t.get(&sent.location, None).await.body;
        let start = page.find("CMP-").unwrap();
        let reference = page[start..start + 15].to_string();
        let ok = t.post_form("/track", format!("reference={reference}&answer=aled%40example.org"), None).await;
        let cookie = ok.cookie.unwrap();
        let case = t.get("/track/case", Some(&cookie)).await.body;
        assert!(case.contains("enctype=\"multipart/form-data\"") && case.contains("Send us a file"));
        let upload = |name: &str, bytes: &[u8], description: &str| {
            let boundary = "ResidentBoundary";
            let mut body = Vec::new();
            body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"description\"\r\n\r\n{description}\r\n").as_bytes());
            body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes());
            body.extend(bytes);
            body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
            Request::post("/track/case/files")
                .header(header::HOST, "redress.test")
                .header(header::ORIGIN, "http://redress.test")
                .header(header::COOKIE, cookie.clone())
                .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
                .body(Body::from(body))
                .unwrap()
        };
        let refused = t.send(upload("virus.exe", b"MZ\x90\x00", "Photos")).await;
        assert!(refused.body.contains("must be a PDF, a Word document"), "{}", refused.body);
        let no_description = t.send(upload("damp.pdf", b"%PDF-1.4 photos", " ")).await;
        assert!(no_description.body.contains("Enter what the file is"));
        let sent = t.send(upload("damp.pdf", b"%PDF-1.4 photos", "Photos of the damp")).await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        let case = t.get("/track/case?done=file", Some(&cookie)).await.body;
        assert!(case.contains("We have added your file") && case.contains("Files you have sent us") && case.contains("damp.pdf"));
        // Staff see it on the case, with who sent it.
        let staff = t.sign_in("officer@test.org").await;
        let staff_case = t.get(&format!("/staff/cases/{reference}"), Some(&staff)).await.body;
        assert!(staff_case.contains("damp.pdf") && staff_case.contains("Aled Jones (online)"), "{staff_case}");
        // Without a session nothing is accepted.
        let anonymous = Request::post("/track/case/files")
            .header(header::HOST, "redress.test")
            .header(header::ORIGIN, "http://redress.test")
            .header(header::CONTENT_TYPE, "multipart/form-data; boundary=x")
            .body(Body::from("--x--\r\n"))
            .unwrap();
        assert_eq!(t.send(anonymous).await.location, "/track");
    })
    .await;
}

#[tokio::test]
async fn a_representative_follows_the_case_once_their_authority_is_recorded() {
    on_each_backend(|t| async move {
        let form = "kind=complaint&who=someone-else&name=Mair+Evans&postcode=ll55+1aa\
            &rep_name=Sian+Advocate&rep_relationship=advocate&rep_email=sian%40advocacy.org\
            &summary=My+client%27s+heating+has+failed&preferred_contact=email";
        let sent = t
            .post_form(
                &t.post_form("/contact/new", form, None).await.location,
                "",
                None,
            )
            .await;
        let page = t.get(&sent.location, None).await.body;
        let start = page.find("CMP-").unwrap();
        let reference = page[start..start + 15].to_string();
        let sign_in = format!("reference={reference}&answer=sian%40advocacy.org");
        let refused = t.post_form("/track", sign_in.clone(), None).await;
        assert!(
            refused.body.contains("We could not find a case"),
            "the page answers as for any wrong answer, so nobody learns who acts for whom"
        );
        // The representative is told by email, at the address on the case, what to send.
        let org = t.app.organisation.id.clone();
        let parsed = redress_domain::contact::Reference::parse(&reference).unwrap();
        let stored = t
            .store
            .contact_by_reference(&org, &parsed)
            .await
            .unwrap()
            .unwrap();
        let kind = redress_domain::letter::LetterKind::AuthorityNeeded;
        let told = t.store.letters(&org, &stored.id).await.unwrap();
        let told: Vec<_> = told.iter().filter(|l| l.kind == kind).collect();
        assert_eq!(told.len(), 1);
        assert_eq!(told[0].recipient, "sian@advocacy.org");
        assert!(
            told[0]
                .body
                .contains("we have not yet recorded that they agreed")
        );
        assert!(
            !told[0].body.contains("heating"),
            "nothing about the case itself"
        );
        t.post_form("/track", sign_in.clone(), None).await;
        let again = t.store.letters(&org, &stored.id).await.unwrap();
        assert_eq!(
            again.iter().filter(|l| l.kind == kind).count(),
            1,
            "once a day, however often they try"
        );

        let staff = t.sign_in("officer@test.org").await;
        let url = format!("/staff/cases/{reference}/act/record-authority");
        let action = t.get(&url, Some(&staff)).await.body;
        assert!(
            action.contains("value=\"not-yet-confirmed\" checked"),
            "{action}"
        );
        let csrf = hidden(&action, "csrf");
        let version = hidden(&action, "version");
        let saved = t
            .post_form(
                &url,
                format!("csrf={csrf}&version={version}&authority=written-consent"),
                Some(&staff),
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let case = t
            .get(&format!("/staff/cases/{reference}"), Some(&staff))
            .await
            .body;
        assert!(
            case.contains("Authority of Sian Advocate to act: Written consent from the person")
        );

        let ok = t.post_form("/track", sign_in, None).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        let page = t
            .get("/track/case", Some(ok.cookie.as_deref().unwrap()))
            .await
            .body;
        assert!(
            page.contains("What you told us")
                && page.contains("My client&#39;s heating has failed")
                || page.contains("My client&#x27;s heating has failed"),
            "the case page shows what was sent: {page}"
        );
        assert!(
            t.get("/track/case", Some(&ok.cookie.unwrap()))
                .await
                .body
                .contains(&reference)
        );
    })
    .await;
}

#[tokio::test]
async fn after_a_response_the_resident_answers_a_survey_once() {
    use redress_domain::case::{Command, PointDecision};
    use redress_domain::letter::LetterKind;
    on_each_backend(|t| async move {
        let sent = t
            .post_form(
                &t.post_form("/contact/new", VALID, None).await.location,
                "",
                None,
            )
            .await;
        let page = t.get(&sent.location, None).await.body;
        let start = page.find("CMP-").unwrap();
        let reference = page[start..start + 15].to_string();
        let today = t.app.today();
        let ack = Command::Acknowledge {
            on: today,
            understanding: "Leak".into(),
            outcome_wanted: "Fix".into(),
        };
        t.app
            .apply_command(&Principal::System, &reference, ack, None)
            .await
            .unwrap();
        let respond = Command::Respond {
            on: today,
            points: vec![PointDecision {
                point: "Leak".into(),
                upheld: false,
            }],
            reasons: "The leak was from the flat above".into(),
            outstanding_actions: None,
            early_resolution: false,
        };
        let c = t
            .app
            .apply_command(&Principal::System, &reference, respond, None)
            .await
            .unwrap();
        let letters = t
            .store
            .letters(&t.app.organisation.id, &c.id)
            .await
            .unwrap();
        let invitation = letters
            .iter()
            .find(|l| l.kind == LetterKind::SurveyInvitation)
            .expect("an invitation");
        // The resident asked for large print, so it goes by post, in large print.
        assert!(
            invitation.delivery == redress_domain::letter::Delivery::Post && invitation.large_print
        );
        let link = invitation
            .body
            .split("/survey/")
            .nth(1)
            .unwrap()
            .split_whitespace()
            .next()
            .unwrap()
            .to_string();
        let path = format!("/survey/{link}");

        let form = t.get(&path, None).await.body;
        assert!(
            form.contains("How satisfied are you with how we handled it?")
                && form.contains("How satisfied are you with the outcome?")
        );
        let empty = t.post_form(&path, "why=", None).await;
        assert!(
            empty
                .body
                .contains("Select how satisfied you are with how it was handled")
                && empty
                    .body
                    .contains("Select how satisfied you are with the outcome")
        );
        let answered = t
            .post_form(
                &path,
                "handling=satisfied&outcome=very-dissatisfied&why=Still+leaking&better=",
                None,
            )
            .await;
        assert_eq!(answered.status, StatusCode::OK);
        assert!(
            answered.body.contains("Ask for a review"),
            "a dissatisfied answer is told how to take it further"
        );
        let again = t
            .post_form(&path, "handling=satisfied&outcome=satisfied", None)
            .await;
        assert_eq!(again.status, StatusCode::GONE);
        assert_eq!(t.get(&path, None).await.status, StatusCode::GONE);
        assert_eq!(t.get("/survey/0000", None).await.status, StatusCode::GONE);

        let view = t
            .app
            .case_for(&Principal::System, &reference)
            .await
            .unwrap();
        assert!(view.events.iter().any(|e| e.summary
            == "Satisfaction survey, stage 1: handling: satisfied; outcome: very dissatisfied. Dissatisfied: to be followed up. What they wrote may be a complaint"));
        // "Still leaking" after a stage 1 response is a reason to escalate, offered at once.
        let page = t.get(&format!("/staff/cases/{reference}"), Some(&t.sign_in("officer@test.org").await)).await.body;
        assert!(page.contains("This survey answer may be a complaint") && page.contains("Escalate the complaint"), "{page}");
        // The unhappy answer is not just counted: it waits on My work for a follow-up.
        let officer = t.sign_in("officer@test.org").await;
        let work = t.get("/staff", Some(&officer)).await.body;
        assert!(work.contains("Unhappy survey answers to follow up") && work.contains(&reference), "{work}");
        let path = format!("/staff/cases/{reference}/act/follow-up-survey");
        let form = t.get(&path, Some(&officer)).await.body;
        let followed = t
            .post_form(
                &path,
                format!("csrf={}&version={}&stage=1&on={today}&note=Rang+them%3B+a+roofer+is+booked", hidden(&form, "csrf"), hidden(&form, "version")),
                Some(&officer),
            )
            .await;
        assert_eq!(followed.status, StatusCode::SEE_OTHER, "{}", followed.body);
        let work = t.get("/staff", Some(&officer)).await.body;
        assert!(!work.contains("Unhappy survey answers to follow up"));
        let report = t.get("/staff/reports", Some(&officer)).await.body;
        assert!(
            report.contains("Stage 1: satisfied with how it was handled")
                && report.contains("100.0% (1 of 1)")
                && report.contains("0.0% (0 of 1)"),
            "{report}"
        );
    })
    .await;
}
