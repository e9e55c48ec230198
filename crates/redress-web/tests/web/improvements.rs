//! Improvements learned from complaints, and the people told.

use super::{VALID, hidden};
use axum::http::StatusCode;
use redress_app::access::Principal;
use redress_domain::role::Role;
use redress_testkit::web::{PASSWORD, on_each_backend};

#[tokio::test]
async fn complaints_lead_to_improvements_and_the_people_are_told() {
    on_each_backend(|t| async move {
        let mut refs = Vec::new();
        for (email, summary) in [("aled%40example.org", "Nobody+came"), ("mair%40example.org", "Missed+again")] {
            let body = VALID.replace("aled%40example.org", email).replace("Nobody+came", summary);
            let sent = t.post_form(&t.post_form("/contact/new", body, None).await.location, "", None).await;
            let page = t.get(&sent.location, None).await.body;
            let start = page.find("CMP-").unwrap();
            refs.push(page[start..start + 15].to_string());
        }
        let officer = t.sign_in("officer@test.org").await;

        // Root cause and lessons on the first complaint.
        let url = format!("/staff/cases/{}/act/record-learning", refs[0]);
        let form = t.get(&url, Some(&officer)).await.body;
        let (csrf, version) = (hidden(&form, "csrf"), hidden(&form, "version"));
        let missing = t.post_form(&url, format!("csrf={csrf}&version={version}&root_cause=&lessons="), Some(&officer)).await;
        assert!(missing.body.contains("Select the root cause"), "{}", missing.body);
        let saved = t.post_form(&url, format!("csrf={csrf}&version={version}&root_cause=repairs-delay&lessons=Confirm+visits+the+day+before"), Some(&officer)).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);

        // A proposal from both complaints.
        let new = t.get(&format!("/staff/improvements/new?case={}", refs[0]), Some(&officer)).await.body;
        assert!(new.contains(&refs[0]));
        let csrf = hidden(&new, "csrf");
        let both = format!("{}+{}", refs[0], refs[1]);
        let bad = t.post_form("/staff/improvements/new", format!("csrf={csrf}&title=&description=x&cases=CMP-2099-000001"), Some(&officer)).await;
        assert!(bad.body.contains("Enter what will change") && bad.body.contains("There is no case CMP-2099-000001"), "{}", bad.body);
        let made = t.post_form("/staff/improvements/new", format!("csrf={csrf}&title=Text+reminders+the+day+before+a+repair&description=Two+complaints+about+missed+visits&cases={both}"), Some(&officer)).await;
        assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
        let page_url = made.location.clone();
        let case = t.get(&format!("/staff/cases/{}", refs[1]), Some(&officer)).await.body;
        assert!(case.contains("Led to a proposed service improvement: Text reminders the day before a repair"));

        // Made: both people are told, by email.
        let page = t.get(&page_url, Some(&officer)).await.body;
        let id = page_url.rsplit('/').next().unwrap().to_string();
        let status_url = format!("/staff/improvements/{id}/status");
        let csrf = hidden(&page, "csrf");
        let today = t.app.today();
        let no_reason = t.post_form(&status_url, format!("csrf={csrf}&status=declined&on={today}&explanation="), Some(&officer)).await;
        assert!(no_reason.body.contains("Enter why it is not going ahead"), "{}", no_reason.body);
        let done = t.post_form(&status_url, format!("csrf={csrf}&status=implemented&on={today}&explanation="), Some(&officer)).await;
        assert_eq!(done.location, format!("/staff/improvements/{id}?told=2"));
        assert!(t.get(&done.location, Some(&officer)).await.body.contains("The people behind the 2 linked cases are being told"));
        for r in &refs {
            let c = t.app.case_for(&Principal::System, r).await.unwrap();
            assert!(c.events.iter().any(|e| e.summary == "Service improvement made: Text reminders the day before a repair"));
            let letters = t.store.letters(&t.app.organisation.id, &c.contact.id).await.unwrap();
            let told = letters.iter().find(|l| l.kind == redress_domain::letter::LetterKind::ImprovementMade).expect("a letter");
            assert!(told.body.contains("Text reminders the day before a repair") && told.body.contains("Two complaints about missed visits"));
        }
        // Decided once: the form is gone and a second decision is refused.
        let again = t.post_form(&status_url, format!("csrf={csrf}&status=declined&on={today}&explanation=No"), Some(&officer)).await;
        assert!(again.body.contains("already implemented"), "{}", again.body);

        let csv = t.get("/staff/improvements.csv", Some(&officer)).await.body;
        assert!(csv.starts_with("change,service,status,proposed_on") && csv.contains("Text reminders the day before a repair,,Implemented,"), "{csv}");
        let register = t.get("/staff/improvements?status=implemented", Some(&officer)).await.body;
        assert!(register.contains("Text reminders the day before a repair") && register.contains("Implemented"));
        // The 6-monthly progress report: improvements implemented in a period.
        let tomorrow = t.app.today().checked_add(jiff::Span::new().days(1)).unwrap();
        let made_today = t.get(&format!("/staff/improvements?from={today}&to={today}&by=implemented"), Some(&officer)).await.body;
        assert!(made_today.contains("Text reminders the day before a repair"));
        let later = t.get(&format!("/staff/improvements?from={tomorrow}&by=implemented"), Some(&officer)).await.body;
        assert!(!later.contains("Text reminders the day before a repair") && later.contains("None yet."));
        assert!(later.contains(&format!("href=\"/staff/improvements?status=implemented&#38;by=implemented&#38;from={tomorrow}\"")), "the status filters keep the period: {later}");
        let wrong = t.get("/staff/improvements?from=2026-02-30", Some(&officer)).await.body;
        assert!(wrong.contains("Enter a real date, like 2026-04-01") && wrong.contains("href=\"#from\""));
        let report = t.get("/staff/reports", Some(&officer)).await.body;
        assert!(report.contains("Service improvements made") && report.contains("Root cause: Repairs not done, late or missed appointments"), "{report}");
        // Reading the register is for staff who see cases; changing it for those who handle them.
        t.app.add_user(&Principal::System, "aud@test.org", "Ann Auditor", Role::Auditor, PASSWORD).await.unwrap();
        let auditor = t.sign_in("aud@test.org").await;
        assert_eq!(t.get("/staff/improvements", Some(&auditor)).await.status, StatusCode::OK);
        assert_eq!(t.get("/staff/improvements/new", Some(&auditor)).await.status, StatusCode::FORBIDDEN);
    })
    .await;
}
