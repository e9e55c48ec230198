//! A complaints officer's day through the pages: My work, the case's summary, a detail
//! corrected, and the lists and downloads My work links to.

use super::{VALID, hidden};
use axum::http::StatusCode;
use redress_testkit::web::on_each_backend;

/// The number on the tile whose words are `words`.
fn tile(page: &str, words: &str) -> i64 {
    let end = page
        .find(&format!("<span class=\"tile__words\">{words}</span>"))
        .unwrap();
    let start = page[..end].rfind("<span class=\"tile__n\">").unwrap() + 22;
    page[start..end]
        .split('<')
        .next()
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

#[tokio::test]
async fn an_officer_runs_the_day_from_my_work() {
    on_each_backend(|t| async move {
        let officer = t.sign_in("officer@test.org").await;
        let work = t.get("/staff", Some(&officer)).await;
        assert_eq!(work.status, StatusCode::OK);
        assert!(work.body.contains("<h1 class=\"heading-l\">My work</h1>"));
        assert!(work.body.contains("You have no open cases"));
        assert_eq!(tile(&work.body, "new, waiting for someone to take them"), 0);

        // A complaint arrives: it waits for triage, and the count links to it.
        let sent = t
            .post_form(&t.post_form("/contact/new", VALID, None).await.location, "", None)
            .await;
        let page = t.get(&sent.location, None).await.body;
        let start = page.find("CMP-").unwrap();
        let reference = page[start..start + 15].to_string();
        let work = t.get("/staff", Some(&officer)).await.body;
        assert_eq!(tile(&work, "new, waiting for someone to take them"), 1);
        let triage = t.get("/staff/cases?show=triage", Some(&officer)).await.body;
        assert!(triage.contains(&reference) && triage.contains("1 case found"));

        // The officer takes it: it leaves triage and is theirs, with its deadline.
        let users = t.store.users().await.unwrap();
        let me = users.iter().find(|u| u.email == "officer@test.org").unwrap().id.clone();
        let path = format!("/staff/cases/{reference}/act/assign-officer");
        let form = t.get(&path, Some(&officer)).await.body;
        let taken = t
            .post_form(
                &path,
                format!("csrf={}&version={}&to={me}", hidden(&form, "csrf"), hidden(&form, "version")),
                Some(&officer),
            )
            .await;
        assert_eq!(taken.status, StatusCode::SEE_OTHER, "{}", taken.body);
        let work = t.get("/staff", Some(&officer)).await.body;
        assert_eq!(tile(&work, "new, waiting for someone to take them"), 0);
        assert_eq!(tile(&work, "open"), 1);
        assert!(work.contains(&format!("href=\"/staff/cases/{reference}\"")));
        assert!(work.contains("working days left"), "the next deadline is shown");
        let mine = t
            .get(&format!("/staff/cases?assignee={me}&due=this-week"), Some(&officer))
            .await
            .body;
        assert!(mine.contains(&reference), "the acknowledgement is due this week");
        assert_eq!(tile(&work, "due in the next 5 working days"), 1);
        assert!(work.contains("Everyone&#39;s cases") || work.contains("Everyone's cases"));

        // The case page opens on its summary: who has it now.
        let case = t.get(&format!("/staff/cases/{reference}"), Some(&officer)).await.body;
        let summary = case.find("id=\"summary-title\"").unwrap();
        let next = case.find("id=\"actions-title\"").unwrap();
        assert!(case[summary..next].contains("Olu Officer"));
        assert!(case[next..].contains("Correct the details"));

        // A detail given wrongly is corrected, with the old value in the history.
        let path = format!("/staff/cases/{reference}/act/correct-details");
        let form = t.get(&path, Some(&officer)).await.body;
        assert!(form.contains("value=\"aled@example.org\""), "the form starts from what is recorded");
        let send = |email: &str, reason: &str| {
            format!(
                "csrf={}&version={}&name=Aled+Jones&email={email}&phone=&address=&postcode=CF10+1AA\
                 &preferred_contact=email&preferred_format=large-print&language=&accessibility=I+use+a+screen+reader\
                 &vulnerabilities=&adjustments=&tenure=low-cost-rental&property_ref=&safeguarding=no&reason={reason}",
                hidden(&form, "csrf"),
                hidden(&form, "version")
            )
        };
        let wrong = t.post_form(&path, send("not-an-email", "Typo"), Some(&officer)).await;
        assert_eq!(wrong.status, StatusCode::OK);
        assert!(wrong.body.contains("href=\"#email\""), "the message is at the field: {}", wrong.body);
        let fixed = t
            .post_form(&path, send("aled.jones%40example.org", "He+rang+with+his+new+address"), Some(&officer))
            .await;
        assert_eq!(fixed.status, StatusCode::SEE_OTHER, "{}", fixed.body);
        let case = t
            .get(&format!("/staff/cases/{reference}?history=changes"), Some(&officer))
            .await
            .body;
        assert!(case.contains("Details corrected"));
        assert!(case.contains("from &quot;aled@example.org&quot; to &quot;aled.jones@example.org&quot;")
            || case.contains("from &#34;aled@example.org&#34; to &#34;aled.jones@example.org&#34;"), "{case}");
        assert!(case.contains("tenure from &quot;not recorded&quot;") || case.contains("tenure from &#34;not recorded&#34;"));
        let notes = t
            .get(&format!("/staff/cases/{reference}?history=notes"), Some(&officer))
            .await
            .body;
        assert!(notes.contains("Nothing of this kind yet.") && !notes.contains("Details corrected"));
        assert!(notes.contains("aria-current=\"true\"><strong>Notes (0)</strong>"));

        // Passed to a service, the download names the area on the case's row.
        t.store
            .add_service_area(
                &t.app.organisation.id,
                &redress_domain::organisation::ServiceArea {
                    id: "estates".into(),
                    name: "Estate services".into(),
                    scheme: "hos-2024".into(),
                },
            )
            .await
            .unwrap();
        let path = format!("/staff/cases/{reference}/act/pass-to-service");
        let form = t.get(&path, Some(&officer)).await.body;
        let passed = t
            .post_form(
                &path,
                format!("csrf={}&version={}&area=estates", hidden(&form, "csrf"), hidden(&form, "version")),
                Some(&officer),
            )
            .await;
        assert_eq!(passed.status, StatusCode::SEE_OTHER, "{}", passed.body);
        let csv = t.get("/staff/cases.csv", Some(&officer)).await.body;
        let row = csv.lines().find(|l| l.starts_with(&reference)).unwrap();
        assert_eq!(row.split(',').nth(6), Some("Estate services"), "{row}");
    })
    .await;
}

#[tokio::test]
async fn an_administrator_is_told_when_residents_cannot_see_how_to_reach_us() {
    on_each_backend(|t| async move {
        let admin = t
            .app
            .add_user(
                &redress_app::access::Principal::System,
                "admin@test.org",
                "Ada Admin",
                redress_domain::role::Role::Admin,
                redress_testkit::web::PASSWORD,
            )
            .await
            .unwrap();
        let cookie = t.sign_in(&admin.email).await;
        let work = t.get("/staff", Some(&cookie)).await.body;
        assert!(work.contains("Residents cannot see how to reach you"));
        let reach = [("phone", "0300 123 4567")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        t.app
            .set_reach(&redress_app::access::Principal::System, &reach)
            .await
            .unwrap();
        let work = t.get("/staff", Some(&cookie)).await.body;
        assert!(!work.contains("Residents cannot see how to reach you"));
    })
    .await;
}
