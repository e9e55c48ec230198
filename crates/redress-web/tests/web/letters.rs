//! Letters printed or emailed, and their wording edited.

use super::{VALID, hidden};
use axum::http::StatusCode;
use redress_app::access::Principal;
use redress_domain::role::Role;
use redress_testkit::web::{PASSWORD, on_each_backend};

#[tokio::test]
async fn letters_are_printed_or_emailed_and_their_wording_edited() {
    on_each_backend(|t| async move {
        let admin = t
            .app
            .add_user(
                &Principal::System,
                "admin@test.org",
                "Alex Admin",
                Role::Admin,
                PASSWORD,
            )
            .await
            .unwrap();
        let admin_cookie = t.sign_in(&admin.email).await;
        let officer_cookie = t.sign_in("officer@test.org").await;
        let today = t.app.today().to_string();

        // An admin changes the acknowledgement wording; a bad placeholder is refused.
        let form = t
            .get("/staff/admin/letters/acknowledgement", Some(&admin_cookie))
            .await;
        assert!(form.body.contains("Thank you for your complaint"));
        let csrf = hidden(&form.body, "csrf");
        let bad = t
            .post_form(
                "/staff/admin/letters/acknowledgement",
                format!("csrf={csrf}&do=save&subject=Hi&body=Dear+%7B%7Bnmae%7D%7D"),
                Some(&admin_cookie),
            )
            .await;
        assert!(
            bad.body.contains("is not a placeholder Redress knows"),
            "{}",
            bad.body
        );
        let body = "Dear+%7B%7Bname%7D%7D%0A%0AWe+will+reply+by+%7B%7Brespond_by%7D%7D.%0A%0A%7B%7Bsignature%7D%7D";
        let ok = t
            .post_form(
                "/staff/admin/letters/acknowledgement",
                format!("csrf={csrf}&do=save&subject=Received+%7B%7Breference%7D%7D&body={body}&signatory_name=Jo+Bloggs&signatory_title=Complaints+Manager"),
                Some(&admin_cookie),
            )
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER);
        assert_eq!(
            t.get(
                "/staff/admin/letters/acknowledgement",
                Some(&officer_cookie)
            )
            .await
            .status,
            StatusCode::FORBIDDEN
        );

        // A resident who wants large print gets a posted, large-print letter.
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
        let path = format!("/staff/cases/{reference}/act/acknowledge");
        let form = t.get(&path, Some(&officer_cookie)).await;
        let body = format!(
            "csrf={}&version={}&on={today}&understanding=Leak&outcome_wanted=Fix",
            hidden(&form.body, "csrf"),
            hidden(&form.body, "version")
        );
        assert_eq!(
            t.post_form(&path, body, Some(&officer_cookie)).await.status,
            StatusCode::SEE_OTHER
        );

        let case = t
            .get(&format!("/staff/cases/{reference}"), Some(&officer_cookie))
            .await
            .body;
        assert!(
            case.contains(&format!("Received {reference}")),
            "the edited subject is used"
        );
        assert!(case.contains("Post, large print") && case.contains("Draft: check it and send it"));
        assert!(
            t.get("/staff/letters", Some(&officer_cookie)).await.body.contains("0 letters"),
            "nothing is queued before the officer checks it"
        );
        // The officer previews the draft, edits it, and sends it to the print queue.
        let draft_id = case
            .split("href=\"/staff/letters/")
            .nth(1)
            .and_then(|s| s.split('/').next())
            .unwrap()
            .to_string();
        let check_path = format!("/staff/letters/{draft_id}/check");
        let check = t.get(&check_path, Some(&officer_cookie)).await.body;
        assert!(check.contains("Check this letter before it goes") && check.contains("Dear Aled Jones"));
        assert!(check.contains("Jo Bloggs<br>Complaints Manager"), "signed as the wording page says: {check}");
        let csrf = hidden(&check, "csrf");
        let was = hidden(&check, "was");
        let empty = t
            .post_form(&format!("/staff/letters/{draft_id}/edit"), format!("csrf={csrf}&was={was}&subject=Received&body=+"), Some(&officer_cookie))
            .await;
        assert!(empty.body.contains("Enter the letter"), "{}", empty.body);
        let edited = t
            .post_form(
                &format!("/staff/letters/{draft_id}/edit"),
                format!("csrf={csrf}&was={was}&subject=Received+{reference}&body=Dear+Aled+Jones%0A%0AWe+will+visit+on+Monday.+%7B%7Bnmae%7D%7D"),
                Some(&officer_cookie),
            )
            .await;
        assert_eq!(edited.status, StatusCode::SEE_OTHER);
        // Sent from a page opened before the edit: refused, nothing sent.
        let stale = t
            .post_form(&format!("/staff/letters/{draft_id}/send"), format!("csrf={csrf}&was={was}"), Some(&officer_cookie))
            .await;
        assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
        let check = t.get(&check_path, Some(&officer_cookie)).await.body;
        assert!(check.contains("This letter still shows {{nmae}}"), "{check}");
        let was = hidden(&check, "was");
        let refused = t
            .post_form(&format!("/staff/letters/{draft_id}/send"), format!("csrf={csrf}&was={was}"), Some(&officer_cookie))
            .await;
        assert!(refused.body.contains("Replace {{nmae}} before sending"), "{}", refused.body);
        assert!(refused.body.contains("We will visit on Monday."), "the words stay on the page to put right");
        t.post_form(
            &format!("/staff/letters/{draft_id}/edit"),
            format!("csrf={csrf}&was={was}&subject=Received+{reference}&body=Dear+Aled+Jones%0A%0AWe+will+visit+on+Monday."),
            Some(&officer_cookie),
        )
        .await;
        let was = hidden(&t.get(&check_path, Some(&officer_cookie)).await.body, "was");
        let sent = t
            .post_form(&format!("/staff/letters/{draft_id}/send"), format!("csrf={csrf}&was={was}"), Some(&officer_cookie))
            .await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        let case = t.get(&format!("/staff/cases/{reference}?history=letters"), Some(&officer_cookie)).await.body;
        assert!(case.contains("To print and post"));
        assert!(case.contains("Letter edited") && case.contains("Letter sent"), "the checks are in the history");
        let queue = t.get("/staff/letters", Some(&officer_cookie)).await.body;
        assert!(queue.contains("1 letter"));
        let id = queue
            .split("href=\"/staff/letters/")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap()
            .to_string();
        let print = t
            .get(&format!("/staff/letters/{id}"), Some(&officer_cookie))
            .await
            .body;
        assert!(
            print.contains("letter--large")
                && print.contains("We will visit on Monday.")
                && print.contains("CF10 1AA")
        );
        assert!(
            !t.get(
                &format!("/staff/letters/{id}?large=0"),
                Some(&officer_cookie)
            )
            .await
            .body
            .contains("<body class=\"letter--large\">")
        );
        let csrf = hidden(&print, "csrf");
        let printed = t
            .post_form(
                &format!("/staff/letters/{id}/printed"),
                format!("csrf={csrf}"),
                Some(&officer_cookie),
            )
            .await;
        assert_eq!(printed.status, StatusCode::SEE_OTHER);
        assert!(
            t.get("/staff/letters", Some(&officer_cookie))
                .await
                .body
                .contains("0 letters")
        );
        assert!(
            t.get(&format!("/staff/cases/{reference}"), Some(&officer_cookie))
                .await
                .body
                .contains("Printed and posted")
        );

        // An ombudsman asks for the evidence: one download holds the history and the letter
        // as it went, and making it is in the history.
        let page = t.get(&format!("/staff/cases/{reference}"), Some(&officer_cookie)).await.body;
        assert!(page.contains("Download the evidence bundle for the Ombudsman"));
        let csrf = hidden(&page, "csrf");
        let bundle = t
            .post_form(&format!("/staff/cases/{reference}/evidence"), format!("csrf={csrf}"), Some(&officer_cookie))
            .await;
        assert_eq!(bundle.status, StatusCode::OK);
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bundle.bytes)).unwrap();
        let names: Vec<String> = zip.file_names().map(str::to_string).collect();
        for name in ["index.html", "chronology.html", "remedies.html"] {
            assert!(names.contains(&name.to_string()), "{name} in {names:?}");
        }
        let letters: Vec<&String> = names.iter().filter(|n| n.starts_with("letters/")).collect();
        assert_eq!(letters.len(), 1, "only the letter that went: {names:?}");
        let read = |zip: &mut zip::ZipArchive<std::io::Cursor<Vec<u8>>>, name: &str| {
            let mut text = String::new();
            std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut text).unwrap();
            text
        };
        let letter_name = letters[0].clone();
        assert!(read(&mut zip, &letter_name).contains("We will visit on Monday."));
        let index = read(&mut zip, "index.html");
        assert!(index.contains(&letter_name) && index.contains("evidence for the Ombudsman"));
        assert!(read(&mut zip, "chronology.html").contains("Letter sent"));
        let history = t.get(&format!("/staff/cases/{reference}"), Some(&officer_cookie)).await.body;
        assert!(history.contains("Evidence bundle made for the Ombudsman: the history, 1 letters as sent and 0 files"), "{history}");
        // Someone who only reads cases cannot take the evidence away.
        t.app.add_user(&Principal::System, "audit@test.org", "Ann Auditor", Role::Auditor, PASSWORD).await.unwrap();
        let auditor = t.sign_in("audit@test.org").await;
        let refused = t.post_form(&format!("/staff/cases/{reference}/evidence"), format!("csrf={csrf}"), Some(&auditor)).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
    })
    .await;
}
