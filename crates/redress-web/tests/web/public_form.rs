//! The public contact form: checked, sent once, confirmed; hostile bodies answered.

use super::VALID;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use redress_app::access::Principal;
use redress_testkit::web::on_each_backend;

#[tokio::test]
async fn an_empty_form_explains_each_field_and_keeps_what_was_typed() {
    on_each_backend(|t| async move {
        let reply = t.post_form("/contact/new", "summary=%3Cscript%3Ealert(1)%3C%2Fscript%3E&issue_date-day=31&issue_date-month=2&issue_date-year=2026", None).await;
        assert_eq!(reply.status, StatusCode::OK);
        assert!(reply.body.contains("<title>Error: "));
        assert!(reply.body.contains("There is a problem"));
        for anchor in ["#kind", "#who", "#issue_date-day"] {
            assert!(reply.body.contains(&format!("href=\"{anchor}\"")), "{anchor}");
        }
        assert!(reply.body.contains("Select what you want to tell us"));
        assert!(reply.body.contains("The date it happened must be a real date"));
        assert!(reply.body.contains("&#60;script&#62;alert(1)&#60;/script&#62;"), "the text is kept, escaped");
        assert!(!reply.body.contains("<script>alert"));
        // Acting for someone else opens the representative's section, errors and all.
        let reply = t.post_form("/contact/new", "kind=complaint&who=someone-else&name=Gwen", None).await;
        assert!(reply.body.contains("<details class=\"details\" open>"));
        assert!(reply.body.contains("href=\"#rep_name\""));
    })
    .await;
}

#[tokio::test]
async fn broken_utf8_and_oversized_bodies_are_answered_not_crashed() {
    on_each_backend(|t| async move {
        let reply = t
            .post_form(
                "/contact/new",
                vec![b's', b'u', b'm', b'=', 0xff, 0xfe],
                None,
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK);
        assert!(reply.body.contains("There is a problem"));
        let big = format!("summary={}", "a".repeat(redress_web::MAX_BODY + 10));
        let reply = t.post_form("/contact/new", big, None).await;
        assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    })
    .await;
}

#[tokio::test]
async fn a_complaint_is_checked_sent_once_and_confirmed() {
    on_each_backend(|t| async move {
        let reply = t.post_form("/contact/new", VALID, None).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
        let check = reply.location.clone();
        assert!(check.starts_with("/contact/check/"));
        let page = t.get(&check, None).await;
        assert!(page.body.contains("Check your answers before sending"));
        assert!(page.body.contains("Nobody came to fix the leak"));
        assert!(page.body.contains("CF10 1AA"));

        let sent = t.post_form(&check, "", None).await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER);
        let again = t.post_form(&check, "", None).await;
        assert_eq!(
            again.location, sent.location,
            "a second Send lands on the same confirmation"
        );
        let confirmation = t.get(&sent.location, None).await;
        assert!(confirmation.body.contains("CMP-"), "{}", confirmation.body);
        assert!(confirmation.body.contains("acknowledge your complaint by"));
        let page = t
            .app
            .list_cases_for(&Principal::System, &Default::default())
            .await
            .unwrap();
        assert_eq!(page.total, 1);

        // Changing the answers after sending starts a new draft, not an edit of the sent one.
        let draft = check.trim_start_matches("/contact/check/");
        let changed = t
            .post_form("/contact/new", format!("{VALID}&draft={draft}"), None)
            .await;
        assert_ne!(changed.location, check);
    })
    .await;
}

#[tokio::test]
async fn a_form_posted_from_another_site_is_refused() {
    on_each_backend(|t| async move {
        let r = Request::post("/contact/new")
            .header(header::HOST, "redress.test")
            .header(header::ORIGIN, "https://evil.example")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(VALID))
            .unwrap();
        assert_eq!(t.send(r).await.status, StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn someone_at_risk_gets_advice_at_once_and_every_page_says_how_to_reach_us() {
    on_each_backend(|t| async move {
        let reach = [
            ("phone", "0300 123 4567"),
            ("email", "complaints@test.example"),
            ("safeguarding_line", "0300 123 4568, at any time"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        t.app.set_reach(&Principal::System, &reach).await.unwrap();
        let start = t.get("/", None).await.body;
        assert!(
            start.contains("href=\"tel:03001234567\">0300 123 4567</a>"),
            "the footer gives the number"
        );
        assert!(start.contains("mailto:complaints@test.example"));

        let reply = t
            .post_form("/contact/new", format!("{VALID}&safeguarding=yes"), None)
            .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
        let check = t.get(&reply.location, None).await.body;
        assert!(check.contains("If anyone is in danger now, call 999."));
        assert!(check.contains("0300 123 4568, at any time"));
        assert!(check.contains("Is anyone at risk of harm?"));
        let sent = t.post_form(&reply.location, "", None).await;
        let confirmation = t.get(&sent.location, None).await.body;
        assert!(confirmation.contains("If anyone is in danger now, call 999."));
        assert!(
            confirmation.contains("We have told our safeguarding lead about this straight away.")
        );
        assert!(
            confirmation.contains("0300 123 4567"),
            "the footer is on the confirmation too"
        );
        // The alert to the safeguarding leads is never among the resident's letters.
        let reference = confirmation
            .split("CMP-")
            .nth(1)
            .map(|r| format!("CMP-{}", &r[..11]))
            .unwrap();
        let signed_in = t
            .post_form(
                "/track",
                format!("reference={reference}&answer=aled%40example.org"),
                None,
            )
            .await;
        let mine = t
            .get("/track/case", Some(signed_in.cookie.as_deref().unwrap()))
            .await
            .body;
        assert!(mine.contains(&reference));
        assert!(!mine.contains("Safeguarding"), "{mine}");

        // Anonymous: no reply dates are promised, and the page says plainly why.
        let anonymous = "kind=complaint&who=anonymous&summary=The+lift+has+been+broken+for+weeks";
        let reply = t.post_form("/contact/new", anonymous, None).await;
        let sent = t.post_form(&reply.location, "", None).await;
        let confirmation = t.get(&sent.location, None).await.body;
        assert!(confirmation.contains("we cannot reply"));
        assert!(!confirmation.contains("We will acknowledge your complaint by"));
        assert!(!confirmation.contains("We will send you our full response by"));
    })
    .await;
}
