//! Personal data: found and erased on request, equality answers only in aggregate.

use super::{VALID, hidden};
use axum::http::StatusCode;
use redress_app::access::Principal;
use redress_domain::role::Role;
use redress_testkit::web::{PASSWORD, on_each_backend};

#[tokio::test]
async fn an_administrator_finds_a_persons_data_and_erases_a_closed_case() {
    use redress_domain::case::Command;
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
        t.app
            .add_user(
                &Principal::System,
                "dpo@test.org",
                "Dee Admin",
                Role::Admin,
                PASSWORD,
            )
            .await
            .unwrap();
        let admin = t.sign_in("dpo@test.org").await;

        // Subject access: the readable page and the JSON download, and the search is logged.
        let none = t
            .get(
                "/staff/admin/privacy/subject-access?email=&phone=",
                Some(&admin),
            )
            .await;
        assert!(
            none.body
                .contains("Enter an email address or a phone number"),
            "{}",
            none.body
        );
        let found = t
            .get(
                "/staff/admin/privacy/subject-access?email=Aled%40example.org&phone=",
                Some(&admin),
            )
            .await;
        assert_eq!(found.status, StatusCode::OK);
        assert!(
            found.body.contains(&reference)
                && found.body.contains("Nobody came to fix the leak")
                && found.body.contains("I use a screen reader")
        );
        let json = t
            .get(
                "/staff/admin/privacy/subject-access.json?email=aled%40example.org",
                Some(&admin),
            )
            .await;
        let export: serde_json::Value = serde_json::from_str(&json.body).unwrap();
        assert_eq!(export["cases"].as_array().unwrap().len(), 1);
        assert_eq!(
            export["cases"][0]["contact"]["reference"],
            reference.as_str()
        );
        assert!(
            t.get("/staff/admin", Some(&admin))
                .await
                .body
                .contains("Subject access search for aled@example.org: 1 cases")
        );

        // The retention policy is checked field by field.
        let privacy = t.get("/staff/admin/privacy", Some(&admin)).await.body;
        let csrf = hidden(&privacy, "csrf");
        let bad = t
            .post_form(
                "/staff/admin/privacy",
                format!(
                    "csrf={csrf}&complaint=0&service-request=6&comment=6&compliment=6&other-route=6"
                ),
                Some(&admin),
            )
            .await;
        assert!(
            bad.body
                .contains("Enter a whole number of years between 1 and 100"),
            "{}",
            bad.body
        );
        let good = t
            .post_form(
                "/staff/admin/privacy",
                format!(
                    "csrf={csrf}&complaint=7&service-request=6&comment=6&compliment=2&other-route=6"
                ),
                Some(&admin),
            )
            .await;
        assert_eq!(good.status, StatusCode::SEE_OTHER);
        let policy = t.app.retention_policy().await.unwrap();
        assert_eq!(
            policy.years_for(redress_domain::contact::ContactKind::Complaint),
            7
        );

        // Erasure is refused while the case is open, and needs a reason.
        let erase = format!("/staff/cases/{reference}/act/erase-personal-data");
        let form = t.get(&erase, Some(&admin)).await.body;
        let csrf = hidden(&form, "csrf");
        let open = t
            .post_form(
                &erase,
                format!("csrf={csrf}&reason=Asked+by+email"),
                Some(&admin),
            )
            .await;
        assert!(
            open.body.contains("This case is still open"),
            "{}",
            open.body
        );
        t.app
            .apply_command(
                &Principal::System,
                &reference,
                Command::Withdraw {
                    on: t.app.today(),
                    reason: "Sorted".into(),
                },
                None,
            )
            .await
            .unwrap();
        let blank = t
            .post_form(&erase, format!("csrf={csrf}&reason=+"), Some(&admin))
            .await;
        assert!(
            blank
                .body
                .contains("Enter why the personal data is being erased")
        );
        let done = t
            .post_form(
                &erase,
                format!("csrf={csrf}&reason=Erasure+request+agreed"),
                Some(&admin),
            )
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        let case = t
            .get(&format!("/staff/cases/{reference}"), Some(&admin))
            .await
            .body;
        assert!(
            case.contains("Personal data erased on") && case.contains("Erasure request agreed")
        );
        assert!(
            !case.contains("Aled") && !case.contains("screen reader") && !case.contains("leak"),
            "{case}"
        );
        let after = t
            .get(
                "/staff/admin/privacy/subject-access?email=aled%40example.org",
                Some(&admin),
            )
            .await
            .body;
        assert!(after.contains("No cases were found"));

        // Case studies are for every member of staff who can read cases.
        let officer = t.sign_in("officer@test.org").await;
        let study = t
            .get(
                &format!("/staff/cases/{reference}/case-study"),
                Some(&officer),
            )
            .await;
        assert_eq!(study.status, StatusCode::OK);
        assert!(
            study.body.starts_with("Case study: a complaint"),
            "{}",
            study.body
        );
    })
    .await;
}

#[tokio::test]
async fn equality_answers_are_counted_only_in_aggregate() {
    use redress_domain::contact::{ContactInput, Source};
    on_each_backend(|t| async move {
        let with_answers = format!("{VALID}&age_band=35-44&disability=yes&ethnic_group=white");
        let draft = t
            .post_form("/contact/new", with_answers, None)
            .await
            .location;
        let check = t.get(&draft, None).await.body;
        assert!(
            check.contains("Ethnic group") && check.contains("35 to 44"),
            "{check}"
        );
        let sent = t.post_form(&draft, "", None).await;
        let page = t.get(&sent.location, None).await.body;
        let start = page.find("CMP-").unwrap();
        let reference = page[start..start + 15].to_string();
        let officer = t.sign_in("officer@test.org").await;
        let case = t
            .get(&format!("/staff/cases/{reference}"), Some(&officer))
            .await
            .body;
        assert!(
            !case.contains("35 to 44") && !case.contains("Ethnic group"),
            "never on the case"
        );
        let report = t.get("/staff/reports", Some(&officer)).await.body;
        assert!(
            report.contains("1 complainants answered; fewer than 10 are not broken down"),
            "{report}"
        );

        // With ten answers, the shares show beside the customer profile.
        for n in 0..9 {
            let input = ContactInput {
                kind: "complaint".into(),
                channel: "web-form".into(),
                who: "myself".into(),
                name: format!("Person {n}"),
                email: format!("p{n}@example.org"),
                summary: "Repairs".into(),
                age_band: if n < 4 {
                    "35-44".into()
                } else {
                    "75-plus".into()
                },
                ..Default::default()
            };
            t.app
                .submit_contact(&Principal::Public, &input, Source::PublicForm, None)
                .await
                .unwrap();
        }
        t.app
            .add_user(
                &Principal::System,
                "prof@test.org",
                "Pat Admin",
                Role::Admin,
                PASSWORD,
            )
            .await
            .unwrap();
        let admin = t.sign_in("prof@test.org").await;
        let org = t.get("/staff/admin/organisation", Some(&admin)).await.body;
        let csrf = hidden(&org, "csrf");
        let too_much = t
            .post_form(
                "/staff/admin/organisation/profile",
                format!("csrf={csrf}&profile-age-35-44=80&profile-age-75-plus=30"),
                Some(&admin),
            )
            .await;
        assert!(
            too_much
                .body
                .contains("The shares for age add up to more than 100%"),
            "{}",
            too_much.body
        );
        let saved = t
            .post_form(
                "/staff/admin/organisation/profile",
                format!("csrf={csrf}&profile-age-35-44=20&profile-age-75-plus=15"),
                Some(&admin),
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let report = t.get("/staff/reports", Some(&officer)).await.body;
        assert!(
            report.contains("Age: 35 to 44")
                && report.contains("50.0% of those who answered (customers: 20.0%)"),
            "5 of 10: {report}"
        );
        assert!(
            report.contains("Age: 75 or over")
                && report.contains("50.0% of those who answered (customers: 15.0%)")
        );
    })
    .await;
}
