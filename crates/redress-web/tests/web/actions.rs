//! What staff do on a case: remedies and payments, files, restrictions.

use super::{VALID, hidden};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use redress_app::access::Principal;
use redress_domain::role::Role;
use redress_testkit::web::{PASSWORD, Reply, on_each_backend};
use tower::ServiceExt;

#[tokio::test]
async fn remedies_payments_and_the_ombudsman_through_the_forms() {
    on_each_backend(|t| async move {
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
                let body = format!("csrf={}&version={}&{fields}", hidden(&form.body, "csrf"), hidden(&form.body, "version"));
                t.post_form(&path, body, Some(&cookie)).await
            }
        };
        let saved = |r: &Reply| assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        saved(&act("acknowledge", format!("on={today}&understanding=Leak&outcome_wanted=Fix")).await);

        let bad = act("add-remedy", format!("kind=financial&description=Carpet&to={}&due={today}&payment_kind=compensation&amount=ten", officer.id)).await;
        assert!(bad.body.contains("Enter an amount in pounds"), "{}", bad.body);
        saved(&act("add-remedy", format!("kind=financial&description=Carpet&to={}&due={today}&payment_kind=compensation&amount=%C2%A3250", officer.id)).await);
        saved(&act("add-remedy", format!("kind=apology&description=Written+apology&to={}&due={today}", officer.id)).await);
        let due = t.get("/staff/actions", Some(&cookie)).await.body;
        assert!(due.contains("2 items"), "{due}");
        assert!(due.contains("£250.00"));

        let early = act("record-payment", "remedy=1&on=".to_string() + &today).await;
        assert!(early.body.contains("Select a remedy") || early.body.contains("approved"), "{}", early.body);
        saved(&act("approve-payment", format!("remedy=1&on={today}")).await);
        saved(&act("record-payment", format!("remedy=1&on={today}")).await);
        saved(&act("complete-remedy", format!("remedy=1&on={today}")).await);
        saved(&act("update-remedy", format!("remedy=2&on={today}&text=Letter+drafted")).await);
        saved(&act("add-note", format!("kind=follow-up-call&on={today}&text=Resident+happy+with+the+plan")).await);
        assert!(t.get("/staff/actions", Some(&cookie)).await.body.contains("1 item"));

        saved(&act("respond", format!("on={today}&point_1=Leak&upheld_1=yes&reasons=Agreed")).await);
        saved(&act("escalate", format!("requested_on={today}")).await);
        let second = t.app.add_user(&Principal::System, "second@test.org", "Sian Second", Role::CaseWorker, PASSWORD).await.unwrap();
        saved(&act("assign-case-worker", format!("to={}", second.id)).await);
        saved(&act("acknowledge", format!("on={today}&understanding=Leak&outcome_wanted=Fix")).await);
        saved(&act("respond", format!("on={today}&point_1=Leak&upheld_1=no&reasons=Already+put+right")).await);
        let refer_form = t.get(&format!("/staff/cases/{reference}/act/refer-to-ombudsman"), Some(&cookie)).await.body;
        assert!(refer_form.contains("<option value=\"housing\" selected>"), "the scheme's ombudsman is preselected");
        saved(&act("refer-to-ombudsman", format!("on={today}&ombudsman=housing&their_reference=HOS-123")).await);
        saved(&act("record-determination", format!("on={today}&determination=service-failure&summary=Delay+in+repairs")).await);
        saved(&act("add-order", format!("description=Pay+%C2%A3100&due={today}")).await);
        let missing = act("comply-with-order", format!("order=1&on={today}&evidence=")).await;
        assert!(missing.body.contains("Enter the evidence of compliance"), "{}", missing.body);
        saved(&act("comply-with-order", format!("order=1&on={today}&evidence=Payment+receipt")).await);

        let case = t.get(&format!("/staff/cases/{reference}"), Some(&cookie)).await.body;
        for text in ["Follow-up call with the resident", "Resident happy with the plan", "£250.00 compensation: paid", "Letter drafted", "their reference HOS-123", "Service failure", "complied with"] {
            assert!(case.contains(text), "{text}");
        }
        let actions = t.get("/staff/actions", Some(&cookie)).await.body;
        assert!(actions.contains("Written apology"));
        assert!(!actions.contains("Ombudsman order 1"));
    })
    .await;
}

#[tokio::test]
async fn files_are_checked_kept_and_only_downloaded() {
    on_each_backend(|t| async move {
        let cookie = t.sign_in("officer@test.org").await;
        let sent = t.post_form(&t.post_form("/contact/new", VALID, None).await.location, "", None).await;
        let page = t.get(&sent.location, None).await.body;
        let start = page.find("CMP-").unwrap();
        let reference = page[start..start + 15].to_string();
        let form = t.get(&format!("/staff/cases/{reference}/act/add-file"), Some(&cookie)).await.body;
        assert!(form.contains("enctype=\"multipart/form-data\""));
        let upload = |name: &str, content_type: &str, bytes: &[u8], description: &str| {
            let boundary = "XyZzY";
            let mut body = Vec::new();
            for (field, value) in [("csrf", hidden(&form, "csrf")), ("version", hidden(&form, "version")), ("description", description.to_string())] {
                body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"\r\n\r\n{value}\r\n").as_bytes());
            }
            body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: {content_type}\r\n\r\n").as_bytes());
            body.extend(bytes);
            body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
            Request::post(format!("/staff/cases/{reference}/files"))
                .header(header::HOST, "redress.test")
                .header(header::ORIGIN, "http://redress.test")
                .header(header::COOKIE, cookie.clone())
                .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
                .body(Body::from(body))
                .unwrap()
        };
        let refused = t.send(upload("photo.pdf", "application/pdf", b"<html><script>alert(1)</script>", "Photo")).await;
        assert!(refused.body.contains("must be a PDF, a Word document"), "{}", refused.body);
        // Too big: refused with a message at the file field, both when only the file is over
        // the limit and when the whole upload is over what the route reads at all.
        let limit = redress_domain::attachment::MAX_BYTES;
        for size in [limit + 1, limit + 3 * 1024 * 1024] {
            let mut big = b"%PDF-1.4 ".to_vec();
            big.resize(size, b'x');
            let too_big = t.send(upload("big.pdf", "application/pdf", &big, "Survey")).await;
            assert_eq!(too_big.status, StatusCode::OK, "{size}");
            assert!(too_big.body.contains("There is a problem") && too_big.body.contains("10 MB"), "{size}: {}", too_big.body);
            assert!(too_big.body.contains("href=\"#file\""), "{size}: the message links to the file field");
        }
        let no_description = t.send(upload("letter.pdf", "application/pdf", b"%PDF-1.4 letter", " ")).await;
        assert!(no_description.body.contains("Enter what the file is"));
        let ok = t.send(upload("../Damp <photo>.pdf", "application/pdf", b"%PDF-1.4 the letter", "Letter from the contractor")).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);

        let case = t.get(&format!("/staff/cases/{reference}"), Some(&cookie)).await.body;
        assert!(case.contains("Damp photo.pdf") && case.contains("Letter from the contractor") && case.contains("File added"));
        let href = case.split(&format!("href=\"/staff/cases/{reference}/files/")).nth(1).unwrap().split('"').next().unwrap().to_string();
        let response = t
            .router
            .clone()
            .oneshot(Request::get(format!("/staff/cases/{reference}/files/{href}")).header(header::COOKIE, cookie.clone()).body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(response.headers().get(header::CONTENT_TYPE).unwrap(), "application/pdf");
        assert!(response.headers().get(header::CONTENT_DISPOSITION).unwrap().to_str().unwrap().starts_with("attachment;"));
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        assert_eq!(&bytes[..], b"%PDF-1.4 the letter");
        assert_eq!(t.get(&format!("/staff/cases/{reference}/files/{href}"), None).await.status, StatusCode::SEE_OTHER, "staff only");
        assert_eq!(t.get(&format!("/staff/cases/CMP-2099-000001/files/{href}"), Some(&cookie)).await.status, StatusCode::NOT_FOUND);

        // A file added by mistake is removed for good, with the reason kept.
        let form = t.get(&format!("/staff/cases/{reference}/act/remove-file"), Some(&cookie)).await.body;
        let remove_url = format!("/staff/cases/{reference}/act/remove-file");
        let post = |body: String| t.post_form(&remove_url, body, Some(&cookie));
        let csrf = hidden(&form, "csrf");
        let version = hidden(&form, "version");
        let missing = post(format!("csrf={csrf}&version={version}&file={href}&reason=")).await;
        assert!(missing.body.contains("Enter why this is being removed"), "{}", missing.body);
        let removed = post(format!("csrf={csrf}&version={version}&file={href}&reason=Wrong+resident%27s+letter")).await;
        assert_eq!(removed.status, StatusCode::SEE_OTHER, "{}", removed.body);
        let case = t.get(&format!("/staff/cases/{reference}"), Some(&cookie)).await.body;
        assert!(case.contains("File removed") && case.contains("Wrong resident&#39;s letter"), "{case}");
        assert!(!case.contains("Damp photo.pdf"), "the name goes from the history too");
        assert_eq!(t.get(&format!("/staff/cases/{reference}/files/{href}"), Some(&cookie)).await.status, StatusCode::NOT_FOUND);
    })
    .await;
}

#[tokio::test]
async fn a_restriction_shows_on_every_case_of_that_person_and_blocks_nothing() {
    on_each_backend(|t| async move {
        let cookie = t.sign_in("officer@test.org").await;
        let reference = |page: &str| {
            let start = page.find("CMP-").unwrap();
            page[start..start + 15].to_string()
        };
        let sent = t.post_form(&t.post_form("/contact/new", VALID, None).await.location, "", None).await;
        let first = reference(&t.get(&sent.location, None).await.body);
        let path = format!("/staff/cases/{first}/act/restrict-contact");
        let form = t.get(&path, Some(&cookie)).await.body;
        let csrf = hidden(&form, "csrf");
        let today = t.app.today();
        let review = today.checked_add(jiff::Span::new().days(90)).unwrap();
        let bad = t.post_form(&path, format!("csrf={csrf}&kind=written-only&communicated_on={today}&review_on={today}"), Some(&cookie)).await;
        assert!(bad.body.contains("Enter the behaviour") && bad.body.contains("The review date must be after"));
        let body = format!(
            "csrf={csrf}&kind=written-only&behaviour=Shouted+at+reception+staff&details=Email+or+letter+only&decided_by=Head+of+Housing&communicated_on={today}&review_on={review}"
        );
        assert_eq!(t.post_form(&path, body, Some(&cookie)).await.status, StatusCode::SEE_OTHER);

        // The same person complains again: accepted as usual, and the restriction shows there.
        let again = VALID.replace("aled%40example.org", "ALED%40example.org").replace("Nobody+came", "Still+nobody+came");
        let sent = t.post_form(&t.post_form("/contact/new", again, None).await.location, "", None).await;
        let second = reference(&t.get(&sent.location, None).await.body);
        assert_ne!(first, second);
        let case = t.get(&format!("/staff/cases/{second}"), Some(&cookie)).await.body;
        assert!(case.contains("Contact restriction") && case.contains("Written contact only") && case.contains("Email or letter only"));
        let other = VALID.replace("aled%40example.org", "someone.else%40example.org");
        let sent = t.post_form(&t.post_form("/contact/new", other, None).await.location, "", None).await;
        let unrelated = reference(&t.get(&sent.location, None).await.body);
        assert!(!t.get(&format!("/staff/cases/{unrelated}"), Some(&cookie)).await.body.contains("Contact restriction"));

        let id = case.split(&format!("/staff/cases/{second}/restrictions/")).nth(1).unwrap().split('/').next().unwrap().to_string();

        // The complaints officer is reminded before the review is due, once.
        let later = t.app.now() + jiff::SignedDuration::from_hours(24 * 89);
        let near_review = t.app.clone().with_clock(move || later);
        let first_case = t.app.case_for(&Principal::System, &first).await.unwrap().contact;
        let review_emails = || async {
            let letters = t.store.letters(&t.app.organisation.id, &first_case.id).await.unwrap();
            letters
                .iter()
                .filter(|l| l.recipient == "officer@test.org" && l.subject.contains("the contact restriction on Aled Jones is due for review"))
                .count()
        };
        assert_eq!(review_emails().await, 0);
        near_review.send_reminders(2).await.unwrap();
        near_review.send_reminders(2).await.unwrap();
        assert_eq!(review_emails().await, 1, "once per review date");

        // A review keeps it in force with a new date, noted on the case.
        let review_url = format!("/staff/cases/{second}/restrictions/{id}/review");
        assert!(t.get(&review_url, Some(&cookie)).await.body.contains("Next review date"));
        let bad = t.post_form(&review_url, format!("csrf={csrf}&next_review={today}&outcome="), Some(&cookie)).await;
        assert!(bad.body.contains("The next review must be after today") && bad.body.contains("Enter what the review decided"), "{}", bad.body);
        let next = today.checked_add(jiff::Span::new().days(180)).unwrap();
        let ok = t.post_form(&review_url, format!("csrf={csrf}&next_review={next}&outcome=Still+needed+after+two+more+incidents"), Some(&cookie)).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        let reviewed = t.get(&format!("/staff/cases/{second}"), Some(&cookie)).await.body;
        assert!(reviewed.contains("reviewed and kept: Still needed after two more incidents"), "{reviewed}");
        near_review.send_reminders(2).await.unwrap();
        assert_eq!(review_emails().await, 1, "the next review is months away");

        let end = t.post_form(&format!("/staff/cases/{second}/restrictions/{id}/end"), format!("csrf={csrf}"), Some(&cookie)).await;
        assert_eq!(end.status, StatusCode::SEE_OTHER);
        let case = t.get(&format!("/staff/cases/{first}"), Some(&cookie)).await.body;
        assert!(!case.contains("Contact restriction"));
        assert!(case.contains("Restriction recorded for Aled Jones"));
        assert!(t.get(&format!("/staff/cases/{second}"), Some(&cookie)).await.body.contains("Restriction ended"));
    })
    .await;
}
