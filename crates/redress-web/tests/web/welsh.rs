//! A resident served in Welsh: the pages, the form keeping its answers when the language
//! changes, Welsh errors and dates, letters in Welsh, held when their Welsh is missing,
//! and reports counting both languages.

use super::{VALID, hidden};
use axum::http::StatusCode;
use redress_app::access::Principal;
use redress_domain::role::Role;
use redress_testkit::web::{PASSWORD, on_each_backend};

const WELSH: &str = "redress_lang=cy";

/// The reference on a confirmation page.
fn reference_in(page: &str) -> String {
    let start = page.find("CMP-").expect("a reference");
    page[start..start + 15].to_string()
}

/// The figure in a report's row named `label`: the digits of the cell that follows it.
fn figure(report: &str, label: &str) -> String {
    let row = report.split(label).nth(1).unwrap_or_default();
    row.split("</td>")
        .next()
        .unwrap_or_default()
        .chars()
        .filter(char::is_ascii_digit)
        .collect()
}

/// Acknowledges a case as the officer; the case page afterwards.
async fn acknowledge(t: &redress_testkit::web::TestApp, cookie: &str, reference: &str) -> String {
    let path = format!("/staff/cases/{reference}/act/acknowledge");
    let form = t.get(&path, Some(cookie)).await;
    let body = format!(
        "csrf={}&version={}&on={}&understanding=Y+gollyngiad&outcome_wanted=Ei+drwsio",
        hidden(&form.body, "csrf"),
        hidden(&form.body, "version"),
        t.app.today()
    );
    assert_eq!(
        t.post_form(&path, body, Some(cookie)).await.status,
        StatusCode::SEE_OTHER
    );
    t.get(&format!("/staff/cases/{reference}"), Some(cookie))
        .await
        .body
}

#[tokio::test]
async fn a_welsh_speaker_complains_follows_and_is_written_to_in_welsh() {
    on_each_backend(|t| async move {
        // The language link remembers the choice and returns to the same page.
        let chose = t.get("/language/cy?back=/track", None).await;
        assert_eq!(chose.status, StatusCode::SEE_OTHER);
        assert_eq!(chose.location, "/track");
        assert_eq!(chose.cookie.as_deref(), Some(WELSH));
        let start = t.get("/", Some(WELSH)).await.body;
        assert!(start.contains("<html lang=\"cy\">"), "{start}");
        assert!(start.contains("Cwynion, sylwadau a chanmoliaeth"));
        assert!(start.contains("10 diwrnod gwaith"), "the scheme's limits in Welsh: {start}");
        assert!(start.contains("lang=\"en\" hreflang=\"en\">English</a>"));
        let english = t.get("/", None).await.body;
        assert!(english.contains("<html lang=\"en\">") && english.contains("hreflang=\"cy\">Cymraeg</a>"));
        // A browser that asks for Welsh first gets it without choosing.
        let asked = t
            .send(
                axum::http::Request::get("/")
                    .header("accept-language", "cy,en-GB;q=0.8")
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
            .await;
        assert!(asked.body.contains("<html lang=\"cy\">"));

        // The form in Welsh starts with letters in Welsh, and says what is wrong in Welsh.
        let form = t.get("/contact/new", Some(WELSH)).await.body;
        assert!(form.contains("name=\"correspond_in\" type=\"radio\" value=\"cy\" checked"), "{form}");
        assert!(form.contains("name=\"switch_language\" value=\"en\""), "the switch keeps answers");
        let wrong = t.post_form("/contact/new", "kind=complaint&who=myself&name=Aled", Some(WELSH)).await;
        assert!(wrong.body.contains("<title>Gwall: "), "{}", wrong.body);
        assert!(wrong.body.contains("Mae problem wedi codi"));
        assert!(wrong.body.contains("Rhowch beth ddigwyddodd, neu beth rydych am ei ddweud"));
        assert!(!wrong.body.contains("Enter what happened"));

        // Switching language mid-form keeps every answer, unchecked.
        let switched = t
            .post_form("/contact/new", "kind=complaint&who=myself&name=Aled+Jones&summary=Dim+gwres&correspond_in=cy&switch_language=en", Some(WELSH))
            .await;
        assert_eq!(switched.status, StatusCode::SEE_OTHER);
        assert_eq!(switched.cookie.as_deref(), Some("redress_lang=en"));
        assert!(switched.location.starts_with("/contact/new?draft="));
        let kept = t.get(&switched.location, Some("redress_lang=en")).await.body;
        assert!(kept.contains("<html lang=\"en\">") && kept.contains("Dim gwres") && kept.contains("value=\"Aled Jones\""));
        assert!(kept.contains("value=\"en\" checked"), "letters follow the switch while untouched: {kept}");
        assert!(!kept.contains("There is a problem"), "a switch checks nothing");

        // Sent in Welsh: the check page, the confirmation and its dates are Welsh.
        let body = format!("{VALID}&correspond_in=cy");
        let check = t.post_form("/contact/new", body, Some(WELSH)).await;
        let page = t.get(&check.location, Some(WELSH)).await.body;
        assert!(page.contains("Gwiriwch eich atebion cyn anfon") && page.contains("Nawr anfonwch eich cwyn"));
        assert!(page.contains("Yr iaith rydym yn ysgrifennu ynddi") && page.contains("Print bras"), "{page}");
        let sent = t.post_form(&check.location, "", Some(WELSH)).await;
        let confirmation = t.get(&sent.location, Some(WELSH)).await.body;
        assert!(confirmation.contains("Cwyn wedi dod i law"), "{confirmation}");
        let months = ["Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin", "Gorffennaf", "Awst", "Medi", "Hydref", "Tachwedd", "Rhagfyr"];
        assert!(months.iter().any(|m| confirmation.contains(&format!(" {m} "))), "a Welsh date: {confirmation}");
        let reference = reference_in(&confirmation);

        // Staff see the case's language; the acknowledgement is drafted in Welsh.
        let officer = t.sign_in("officer@test.org").await;
        let case = acknowledge(&t, &officer, &reference).await;
        assert!(case.contains("Welsh (Cymraeg): write to them in Welsh"), "{case}");
        let letters = t.store.letters(&t.app.organisation.id, &t.app.case_for(&Principal::System, &reference).await.unwrap().contact.id).await.unwrap();
        let ack = letters.iter().find(|l| l.kind == redress_domain::letter::LetterKind::Acknowledgement).expect("an acknowledgement");
        assert_eq!(ack.language, redress_domain::language::Language::Welsh);
        assert!(ack.subject.starts_with("Rydym wedi cael eich cwyn"), "{}", ack.subject);
        assert!(ack.body.starts_with("Annwyl Aled Jones") && ack.body.contains("Yn gywir"), "{}", ack.body);
        assert!(!ack.body.contains("Dear "));

        // The resident following the case sees Welsh pages, as their case is in Welsh.
        let (token, _) = t.app.resident_sign_in(&reference, "aled@example.org", "").await.unwrap();
        let own = t.get("/track/case", Some(&format!("redress_resident={token}"))).await.body;
        assert!(own.contains("<html lang=\"cy\">") && own.contains("Eich cwyn") && own.contains("Ble mae pethau arni"), "{own}");
        assert!(own.contains("Erbyn ") && months.iter().any(|m| own.contains(&format!(" {m} "))), "dates in Welsh: {own}");

        // Reports count contacts by the language chosen.
        let reader = t
            .app
            .add_user(&Principal::System, "reader@test.org", "Rhys Reader", Role::Admin, PASSWORD)
            .await
            .unwrap();
        let cookie = t.sign_in(&reader.email).await;
        let report = t.get("/staff/reports", Some(&cookie)).await.body;
        assert!(report.contains("English and Welsh"), "{report}");
        assert_eq!(figure(&report, "Contacts from people who chose Welsh"), "1", "{report}");
    })
    .await;
}

#[tokio::test]
async fn a_welsh_letter_whose_welsh_is_missing_is_held_not_sent_in_english() {
    on_each_backend(|t| async move {
        let admin = t
            .app
            .add_user(&Principal::System, "admin@test.org", "Alex Admin", Role::Admin, PASSWORD)
            .await
            .unwrap();
        let admin_cookie = t.sign_in(&admin.email).await;
        // The English acknowledgement changes; its Welsh no longer matches, so none is used.
        let form = t.get("/staff/admin/letters/acknowledgement", Some(&admin_cookie)).await.body;
        let csrf = hidden(&form, "csrf");
        let saved = t
            .post_form(
                "/staff/admin/letters/acknowledgement",
                format!("csrf={csrf}&language=en&do=save&subject=Got+it+%7B%7Breference%7D%7D&body=Dear+%7B%7Bname%7D%7D"),
                Some(&admin_cookie),
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER);
        let welsh_page = t.get("/staff/admin/letters/acknowledgement?lang=cy", Some(&admin_cookie)).await.body;
        assert!(welsh_page.contains("There is no Welsh wording in use"), "{welsh_page}");

        let check = t.post_form("/contact/new", format!("{VALID}&correspond_in=cy"), Some(WELSH)).await;
        let sent = t.post_form(&check.location, "", Some(WELSH)).await;
        let reference = reference_in(&t.get(&sent.location, Some(WELSH)).await.body);
        let officer = t.sign_in("officer@test.org").await;
        acknowledge(&t, &officer, &reference).await;
        let letters = t.store.letters(&t.app.organisation.id, &t.app.case_for(&Principal::System, &reference).await.unwrap().contact.id).await.unwrap();
        let held = letters.iter().find(|l| l.kind == redress_domain::letter::LetterKind::Acknowledgement).expect("a letter");
        assert_eq!(held.status, "draft");
        assert!(held.body.starts_with("{{welsh_wording_missing}}"), "{}", held.body);
        let check_path = format!("/staff/letters/{}/check", held.id);
        let page = t.get(&check_path, Some(&officer)).await.body;
        let refused = t
            .post_form(
                &format!("/staff/letters/{}/send", held.id),
                format!("csrf={}&was={}", hidden(&page, "csrf"), hidden(&page, "was")),
                Some(&officer),
            )
            .await;
        assert!(refused.body.contains("This letter has no Welsh wording"), "{}", refused.body);

        // Welsh wording saved: the warning goes, and Welsh letters use it.
        let saved = t
            .post_form(
                "/staff/admin/letters/acknowledgement",
                format!("csrf={csrf}&language=cy&do=save&subject=Wedi+dod+i+law+%7B%7Breference%7D%7D&body=Annwyl+%7B%7Bname%7D%7D"),
                Some(&admin_cookie),
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER);
        assert!(saved.location.ends_with("lang=cy"));
        let welsh_page = t.get("/staff/admin/letters/acknowledgement?lang=cy", Some(&admin_cookie)).await.body;
        assert!(!welsh_page.contains("There is no Welsh wording in use") && welsh_page.contains("Wedi dod i law"));
        // Letters to staff have no Welsh to edit.
        assert_eq!(
            t.get("/staff/admin/letters/staff-reminder?lang=cy", Some(&admin_cookie)).await.status,
            StatusCode::NOT_FOUND
        );
    })
    .await;
}

#[tokio::test]
async fn a_community_call_for_scrutiny_is_raised_signed_and_answered_in_welsh() {
    on_each_backend(|t| async move {
        let start = t.get("/scrutiny", Some(WELSH)).await.body;
        assert!(start.contains("<html lang=\"cy\">") && start.contains("Gofyn i breswylwyr graffu ar wasanaeth"), "{start}");
        // Errors in Welsh; switching language keeps a saved draft and its answers.
        let empty = t.post_form("/scrutiny/new", "action=send", Some(WELSH)).await;
        assert!(empty.body.contains("Rhowch eich pryderon") && !empty.body.contains("Enter your concerns"), "{}", empty.body);
        let switched = t
            .post_form("/scrutiny/new", "name=Ada+Lovelace&concerns=Atgyweiriadau+hwyr&correspond_in=cy&switch_language=en", Some(WELSH))
            .await;
        assert_eq!(switched.status, StatusCode::SEE_OTHER);
        assert_eq!(switched.cookie.as_deref(), Some("redress_lang=en"));
        let token = super::scrutiny::token_of(&switched.location);
        let english = t.get(&switched.location, Some("redress_lang=en")).await.body;
        assert!(english.contains("<html lang=\"en\">") && english.contains("Atgyweiriadau hwyr"), "{english}");
        // Sent in Welsh, asking for Welsh letters.
        let sent = t
            .post_form(&format!("/scrutiny/r/{token}"), format!("{}&correspond_in=cy&action=send", super::scrutiny::FORM), Some(WELSH))
            .await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        // Followed without the cookie: the request's own language is used.
        let page = t.get(&sent.location, None).await.body;
        assert!(page.contains("<html lang=\"cy\">") && page.contains("Cais wedi&#39;i anfon") && page.contains("Wedi dod i law"), "{page}");

        // Staff acknowledge and ask for a petition: the letters are Welsh, with Welsh dates.
        let officer = t.sign_in("officer@test.org").await;
        let list = t.get("/staff/scrutiny", Some(&officer)).await.body;
        let id_at = list.find("/staff/scrutiny/requests/").unwrap() + "/staff/scrutiny/requests/".len();
        let id = list[id_at..].split('"').next().unwrap().to_string();
        let case_url = format!("/staff/scrutiny/requests/{id}");
        let csrf = hidden(&t.get(&case_url, Some(&officer)).await.body, "csrf");
        let today = t.app.today();
        let r = t.post_form(&format!("{case_url}/acknowledge"), format!("csrf={csrf}&on={today}"), Some(&officer)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let r = t.post_form(&format!("{case_url}/route"), format!("csrf={csrf}&route=petition&threshold=2&eligible=LS6"), Some(&officer)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let told = t.store.scrutiny_messages(&id).await.unwrap();
        use redress_domain::letter::LetterKind as K;
        let ack = told.iter().find(|l| l.kind == K::ScrutinyAcknowledged).expect("an acknowledgement");
        assert_eq!(ack.language, redress_domain::language::Language::Welsh);
        assert!(ack.subject.starts_with("Rydym wedi cael eich Galwad Gymunedol am Graffu"), "{}", ack.subject);
        assert!(ack.body.contains(&format!("a gawsom ar {}", redress_domain::language::welsh_long_date(today))), "{}", ack.body);
        let route = told.iter().find(|l| l.kind == K::ScrutinyRoute).expect("the route");
        assert!(route.body.contains("mae angen i 2 o breswylwyr yr effeithir arnynt ei llofnodi (preswylwyr sy'n byw yn LS6)"), "{}", route.body);
        assert!(told.iter().all(|l| redress_domain::letter::unfilled(&l.body).is_empty()));

        // The petition page in Welsh, and a signature refused in Welsh.
        let at = page.find("CCS-").unwrap();
        let reference = &page[at..at + 13];
        let petition = t.get(&format!("/scrutiny/petition/{reference}"), Some(WELSH)).await.body;
        assert!(petition.contains("Llofnodi&#39;r ddeiseb") && petition.contains("0 o 2"), "{petition}");
        let outside = t
            .post_form(&format!("/scrutiny/petition/{reference}"), "name=Bob+Jones&postcode=CF10+1AA&declaration=yes", Some(WELSH))
            .await;
        assert!(outside.body.contains("Dim ond preswylwyr LS6 sy&#39;n gallu llofnodi&#39;r ddeiseb hon"), "{}", outside.body);
        // The requester's history reads in Welsh.
        let page = t.get(sent.location.split('?').next().unwrap(), None).await.body;
        assert!(page.contains("Llwybr: Deiseb") && page.contains("mae angen 2 llofnod"), "{page}");
        // The reports count the Welsh letters about calls for scrutiny.
        let reader = t.app.add_user(&Principal::System, "reader@test.org", "Rhys Reader", Role::Admin, PASSWORD).await.unwrap();
        let cookie = t.sign_in(&reader.email).await;
        let report = t.get("/staff/reports", Some(&cookie)).await.body;
        let scrutiny = figure(&report, "Letters and emails about calls for scrutiny in Welsh (or Welsh first)");
        assert_eq!(scrutiny, "2", "the acknowledgement and the route: {report}");
    })
    .await;
}

#[tokio::test]
async fn a_welsh_letter_by_post_carries_its_code_in_welsh_and_opens_welsh_pages() {
    on_each_backend(|t| async move {
        let form = "kind=complaint&who=myself&name=Gwen+Hughes&address=2+Stryd+Isaf&postcode=CF10+2BB\
            &summary=Collwyd+yr+atgyweiriad&preferred_contact=letter&correspond_in=cy";
        let sent = t.post_form(&t.post_form("/contact/new", form, Some(WELSH)).await.location, "", Some(WELSH)).await;
        let reference = reference_in(&t.get(&sent.location, Some(WELSH)).await.body);
        let officer = t.sign_in("officer@test.org").await;
        let case = acknowledge(&t, &officer, &reference).await;
        let draft = case.split("href=\"/staff/letters/").nth(1).and_then(|s| s.split('/').next()).unwrap().to_string();
        let check = t.get(&format!("/staff/letters/{draft}/check"), Some(&officer)).await.body;
        let posted = t
            .post_form(&format!("/staff/letters/{draft}/send"), format!("csrf={}&was={}", hidden(&check, "csrf"), hidden(&check, "was")), Some(&officer))
            .await;
        assert_eq!(posted.status, StatusCode::SEE_OTHER, "{}", posted.body);
        let letters = t.store.letters(&t.app.organisation.id, &t.app.case_for(&Principal::System, &reference).await.unwrap().contact.id).await.unwrap();
        let letter = letters.iter().find(|l| l.id == draft).unwrap();
        assert!(letter.body.contains("Dilynwch hyn ar-lein") && letter.body.contains("a theipiwch y cod"), "{}", letter.body);
        assert!(!letter.body.contains("Follow this online"), "no English in a Welsh letter: {}", letter.body);
        let code = letter.body.split("/c/").nth(1).and_then(|s| s.get(..8)).unwrap().to_string();
        // Printed as a Welsh page, with the words around the letter in Welsh.
        let print = t.get(&format!("/staff/letters/{draft}"), Some(&officer)).await.body;
        assert!(print.contains("<html lang=\"cy\">") && print.contains("Ein cyfeirnod: ") && print.contains("Sganiwch gyda chamera ffôn"), "{print}");
        // Its address opens the page in Welsh, and remembers that for what follows.
        let page = t.get(&format!("/c/{code}?lang=cy"), None).await;
        assert!(page.body.contains("<html lang=\"cy\">") && page.body.contains("Agor fy achos"), "{}", page.body);
        assert_eq!(page.cookie.as_deref(), Some(WELSH));
    })
    .await;
}

#[tokio::test]
async fn a_page_that_goes_wrong_says_so_in_the_residents_language_and_staff_stay_in_english() {
    on_each_backend(|t| async move {
        // An address nothing answers, in Welsh, with the way back in English.
        let lost = t.get("/dim-tudalen?x=1", Some(WELSH)).await;
        assert_eq!(lost.status, StatusCode::NOT_FOUND);
        assert!(lost.body.contains("<html lang=\"cy\">"), "{}", lost.body);
        assert!(lost.body.contains("Heb ddod o hyd i&#39;r dudalen"));
        assert!(
            lost.body
                .contains("href=\"/language/en?back=/dim-tudalen%3Fx%3D1\""),
            "{}",
            lost.body
        );
        assert!(!lost.body.contains("Page not found"));
        // A refusal from a resident's page: a call for scrutiny that does not exist, asked
        // for by a browser that prefers Welsh, and by a short address from a Welsh letter.
        let asked = t
            .send(
                axum::http::Request::get("/scrutiny/r/no-such-token")
                    .header("accept-language", "cy")
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
            .await;
        assert!(asked.status.is_client_error(), "{}", asked.status);
        assert!(asked.body.contains("<html lang=\"cy\">"), "{}", asked.body);
        assert!(
            !asked.body.contains("Go to cases") && !asked.body.contains("/staff"),
            "{}",
            asked.body
        );
        // A short address from a Welsh letter asks for Welsh, over an English choice; its
        // English link returns to the page without asking for Welsh again.
        let asked = t.get("/dim-tudalen?lang=cy", Some("redress_lang=en")).await;
        assert_eq!(asked.status, StatusCode::NOT_FOUND);
        assert!(asked.body.contains("<html lang=\"cy\">"), "{}", asked.body);
        assert!(
            asked
                .body
                .contains("href=\"/language/en?back=/dim-tudalen\""),
            "{}",
            asked.body
        );
        // The same in English says it in English.
        let english = t.get("/dim-tudalen", None).await;
        assert!(
            english.body.contains("Page not found") && english.body.contains("<html lang=\"en\">")
        );
        // Staff pages stay English whatever the browser or the cookie says.
        let cookie = t.sign_in("officer@test.org").await;
        let staff = t
            .get(
                "/staff/cases/CMP-2020-999999",
                Some(&format!("{cookie}; {WELSH}")),
            )
            .await;
        assert_eq!(staff.status, StatusCode::NOT_FOUND);
        assert!(
            staff.body.contains("<html lang=\"en\">") && staff.body.contains("Page not found"),
            "{}",
            staff.body
        );
        assert!(
            !staff.body.contains("Cymraeg</a>"),
            "no language link on staff pages"
        );
    })
    .await;
}
