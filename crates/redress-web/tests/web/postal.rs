//! Residents who only use post: the code on a printed letter opens their case at a short
//! address (and a QR code of it is printed), and a survey answered by phone is recorded.

use super::hidden;
use axum::http::StatusCode;
use redress_app::access::Principal;
use redress_testkit::web::on_each_backend;

#[tokio::test]
async fn a_printed_code_opens_the_case_and_a_phoned_survey_is_recorded() {
    on_each_backend(|t| async move {
        let officer = t.sign_in("officer@test.org").await;
        let today = t.app.today();
        let form = "kind=complaint&who=myself&name=Gwen+Hughes&address=2+Low+Street&postcode=CF10+2BB\
            &summary=The+repair+was+missed&preferred_contact=letter";
        let sent = t
            .post_form(&t.post_form("/contact/new", form, None).await.location, "", None)
            .await;
        let page = t.get(&sent.location, None).await.body;
        let start = page.find("CMP-").unwrap();
        let reference = page[start..start + 15].to_string();
        let act = |slug: &'static str, fields: String| {
            let t = &t;
            let officer = officer.clone();
            let reference = reference.clone();
            async move {
                let path = format!("/staff/cases/{reference}/act/{slug}");
                let form = t.get(&path, Some(&officer)).await.body;
                let body = format!(
                    "csrf={}&version={}&{fields}",
                    hidden(&form, "csrf"),
                    hidden(&form, "version")
                );
                t.post_form(&path, body, Some(&officer)).await
            }
        };
        let r = act("acknowledge", format!("on={today}&understanding=Missed&outcome_wanted=Repair")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let case = t.get(&format!("/staff/cases/{reference}"), Some(&officer)).await.body;
        let draft = case.split("href=\"/staff/letters/").nth(1).and_then(|s| s.split('/').next()).unwrap().to_string();
        let check = t.get(&format!("/staff/letters/{draft}/check"), Some(&officer)).await.body;
        let sent = t
            .post_form(
                &format!("/staff/letters/{draft}/send"),
                format!("csrf={}&was={}", hidden(&check, "csrf"), hidden(&check, "was")),
                Some(&officer),
            )
            .await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        let print = t.get(&format!("/staff/letters/{draft}"), Some(&officer)).await.body;
        assert!(print.contains("<svg"), "a QR code is printed");
        assert!(print.contains("aria-label=\"QR code of the web address above\""));
        let code = print.split("/c/").nth(1).and_then(|s| s.get(..8)).unwrap().to_string();

        // The resident types the code at the short address.
        let wrong = t.post_form("/c", "code=abc", None).await;
        assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
        assert!(wrong.body.contains("Enter the 8 letters and numbers of the code"));
        let typed = t
            .post_form("/c", format!("code={}+{}", &code[..4].to_lowercase(), &code[4..]), None)
            .await;
        assert_eq!(typed.location, format!("/c/{code}"));
        let button = t.get(&typed.location, None).await.body;
        assert!(button.contains(&format!("action=\"/track/link/{code}\"")));
        let opened = t.post_form(&format!("/track/link/{code}"), "", None).await;
        assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
        let cookie = opened.cookie.unwrap();
        let mine = t.get("/track/case", Some(&cookie)).await.body;
        assert!(mine.contains(&reference));
        let again = t.post_form(&format!("/track/link/{code}"), "", None).await;
        assert_eq!(again.status, StatusCode::FORBIDDEN);
        assert!(again.body.contains("has expired or has already been used"));

        // Answered, the resident rings with their survey answers; staff record them.
        let r = act(
            "respond",
            format!("on={today}&point_1=Missed&upheld_1=yes&reasons=The+contractor+missed+it"),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let none = act("survey-by-phone", "handling=satisfied".into()).await;
        assert!(none.body.contains("Select how satisfied you are with the outcome"), "{}", none.body);
        let r = act(
            "survey-by-phone",
            "handling=satisfied&outcome=dissatisfied&why=Still+waiting+for+the+repair".into(),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let view = t.app.case_for(&Principal::System, &reference).await.unwrap();
        assert_eq!(view.contact.case.surveys.len(), 1);
        assert!(view.contact.follow_up_open(), "an unhappy answer by phone is followed up too");
        let case = t.get(&format!("/staff/cases/{reference}"), Some(&officer)).await.body;
        assert!(!case.contains("Record a survey answered by phone"), "once answered, not offered");
    })
    .await;
}
