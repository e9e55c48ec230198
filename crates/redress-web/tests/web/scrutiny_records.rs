//! Scrutiny for residents who use post, Braille or another language, and records that
//! keep what they replace: letters converted before they go, requests logged from paper
//! with their scans, files kept with a request, and the matrix's history.

use super::hidden;
use axum::http::StatusCode;
use redress_app::access::Principal;
use redress_testkit::web::on_each_backend;

use super::scrutiny::{FORM, token_of};
use redress_testkit::web::{Reply, TestApp};

/// A request sent with `form`, with an officer signed in at its staff page.
struct Taken {
    request: redress_domain::scrutiny::Request,
    /// The requester's private link.
    token: String,
    officer: String,
    url: String,
    csrf: String,
}

impl Taken {
    /// Sends the form, then takes each step as the officer, each answered with a redirect.
    async fn new(t: &TestApp, form: &str, steps: &[(&str, String)]) -> Taken {
        let sent = t
            .post_form("/scrutiny/new", format!("{form}&action=send"), None)
            .await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        let token = token_of(&sent.location);
        let (request, _) = t.app.scrutiny_by_token(&token).await.unwrap();
        let officer = t.sign_in("officer@test.org").await;
        let url = format!("/staff/scrutiny/requests/{}", request.id);
        let csrf = hidden(&t.get(&url, Some(&officer)).await.body, "csrf");
        let taken = Taken {
            request,
            token,
            officer,
            url,
            csrf,
        };
        for (step, body) in steps {
            let r = taken.step(t, step, body).await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{step}: {}", r.body);
        }
        taken
    }

    /// One step on the request, as the officer.
    async fn step(&self, t: &TestApp, step: &str, body: &str) -> Reply {
        t.post_form(
            &format!("{}/{step}", self.url),
            format!("csrf={}&{body}", self.csrf),
            Some(&self.officer),
        )
        .await
    }
}

/// Acknowledged today, straight to the team, not accepted yet, and the decision sent.
fn decided_not_yet(today: jiff::civil::Date) -> Vec<(&'static str, String)> {
    vec![
        ("acknowledge", format!("on={today}")),
        ("route", "route=significant-failure".to_string()),
        (
            "decide",
            "outcome=not-yet&reasons=Please+complain+first".to_string(),
        ),
        ("send-decision", String::new()),
    ]
}

#[tokio::test]
async fn braille_letters_wait_to_be_transcribed_and_count_as_sent_when_they_go() {
    on_each_backend(|t| async move {
        let braille = FORM.replace(
            "preferred_contact=email",
            "preferred_contact=letter&address=2+Elm+Court&postcode=LS7+2BB&format=braille",
        );
        let Taken {
            request,
            officer,
            url: case_url,
            csrf,
            ..
        } = Taken::new(&t, &braille, &decided_not_yet(t.app.today())).await;
        let today = t.app.today();
        // The private link is emailed by the form itself; every letter after it waits.
        let letters: Vec<_> = t
            .store
            .scrutiny_messages(&request.id)
            .await
            .unwrap()
            .into_iter()
            .filter(|l| l.kind != redress_domain::letter::LetterKind::ScrutinyLink)
            .collect();
        assert_eq!(
            letters.len(),
            3,
            "acknowledgement, route and decision: {letters:?}"
        );
        assert!(
            letters
                .iter()
                .all(|l| l.status == "to-convert" && l.convert.as_deref() == Some("Braille")),
            "{letters:?}"
        );
        let decision = letters
            .iter()
            .find(|l| l.kind == redress_domain::letter::LetterKind::ScrutinyDecision)
            .unwrap();
        // In the queue with the need, and not among the letters to print as they are.
        let queue = t
            .get("/staff/letters?status=to-convert", Some(&officer))
            .await
            .body;
        assert!(
            queue.contains(&request.reference)
                && queue.contains("<strong>Braille</strong>")
                && queue.contains(&format!("/letters/{}", decision.id)),
            "{queue}"
        );
        let to_print = t
            .get("/staff/letters?status=to-print", Some(&officer))
            .await
            .body;
        assert!(!to_print.contains(&request.reference), "{to_print}");
        // The letter has a page of its own to print from, with the button to record it.
        let print = t
            .get(
                &format!("{case_url}/letters/{}", decision.id),
                Some(&officer),
            )
            .await;
        assert_eq!(print.status, StatusCode::OK);
        assert!(
            print.body.contains("2 Elm Court")
                && print.body.contains("Record as sent as asked today"),
            "{}",
            print.body
        );
        // The team reads the papers, not the letters with the requester's address.
        let member = t.sign_in("scrutiny@test.org").await;
        let hidden_from_team = t
            .get(
                &format!("{case_url}/letters/{}", decision.id),
                Some(&member),
            )
            .await;
        assert_eq!(hidden_from_team.status, StatusCode::FORBIDDEN);
        let (waiting, _) = t
            .app
            .scrutiny_by_id(&Principal::System, &request.id)
            .await
            .unwrap();
        assert_eq!(
            waiting.appeal_by(),
            None,
            "not told until the Braille letter goes"
        );
        let again = t
            .post_form(
                &format!("{case_url}/send-decision"),
                format!("csrf={csrf}"),
                Some(&officer),
            )
            .await;
        assert!(
            again.body.contains("transcribed or translated"),
            "{}",
            again.body
        );
        let went = t
            .post_form(
                &format!("{case_url}/posted"),
                format!("csrf={csrf}&letter={}", decision.id),
                Some(&officer),
            )
            .await;
        assert_eq!(went.status, StatusCode::SEE_OTHER, "{}", went.body);
        let (told, _) = t
            .app
            .scrutiny_by_id(&Principal::System, &request.id)
            .await
            .unwrap();
        assert!(told.appeal_by().is_some());
        let page = t.get(&case_url, Some(&officer)).await.body;
        assert!(page.contains("(Braille by post)"), "{page}");
        let after = t.store.scrutiny_messages(&request.id).await.unwrap();
        assert!(
            after
                .iter()
                .any(|l| l.id == decision.id && l.status == "converted")
        );
        // The report of letters sent in other formats counts it with case letters.
        let year = redress_domain::measures::Period::financial_year(
            redress_domain::measures::Period::financial_year_of(today),
        )
        .unwrap();
        let counted = t
            .app
            .format_conversions(&Principal::System, year)
            .await
            .unwrap();
        assert_eq!(
            counted
                .iter()
                .find(|(need, _, _)| need == "Braille")
                .map(|(_, n, _)| *n),
            Some(1),
            "{counted:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn the_matrix_keeps_every_change_and_every_scoring() {
    on_each_backend(|t| async move {
        let area = redress_domain::organisation::ServiceArea {
            id: "repairs".into(),
            name: "Repairs".into(),
            scheme: "hos-2024".into(),
        };
        t.store.add_service_area(&t.app.organisation.id, &area).await.unwrap();
        let member = t.sign_in("scrutiny@test.org").await;
        let year = redress_domain::measures::Period::financial_year_of(t.app.today());
        let matrix_url = format!("/staff/scrutiny/matrix?year={year}");
        let page = t.get(&matrix_url, Some(&member)).await.body;
        assert!(page.contains("No bands, weights, stages or figures have been changed yet"), "{page}");
        let csrf = hidden(&page, "csrf");
        let post = |path: String, body: String| {
            let member = member.clone();
            let t = &t;
            async move { t.post_form(&path, body, Some(&member)).await }
        };
        for (value, evidence) in [("72.5", "Q1+KPI+report"), ("55", "Q2+KPI+report")] {
            let r = post(format!("/staff/scrutiny/matrix/figures?year={year}"), format!("csrf={csrf}&area=repairs&criterion=performance&value={value}&evidence={evidence}")).await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        }
        let mut settings = String::new();
        for c in redress_domain::scrutiny::matrix::Criterion::ALL {
            settings.push_str(&format!("&weight_{0}=3&edges_{0}=1%2C+2%2C+3%2C+4", c.as_str()));
        }
        let r = post(format!("/staff/scrutiny/matrix/settings?year={year}"), format!("csrf={csrf}{settings}&points_per_call=6")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let stages = (1..=13).map(|n| format!("Step+{n}")).collect::<Vec<_>>().join("%0A");
        let r = post("/staff/scrutiny/programme/stages".into(), format!("csrf={csrf}&stages={stages}")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        for _ in 0..2 {
            let r = post(format!("/staff/scrutiny/matrix/keep?year={year}"), format!("csrf={csrf}")).await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        }
        let page = t.get(&matrix_url, Some(&member)).await.body;
        let history = &page[page.find("History of changes").unwrap()..];
        // Latest first, each with what it became: nothing entered is lost.
        let at = |s: &str| history.find(s).unwrap_or_else(|| panic!("{s} in {history}"));
        assert!(at("Exercise stages set: 1. Step 1; 2. Step 2") < at("Bands and weights set:"));
        assert!(history.contains("Complaints received: weight 3, edges 1, 2, 3, 4") && history.contains("6 points for each accepted call"), "{history}");
        assert!(at("Bands and weights set") < at("Figure for Repairs"));
        let figure = |v: &str| at(&format!("Figure for Repairs, {}. Performance: key indicators met (%): {v}", redress_domain::measures::Period::financial_year_label(year)));
        assert!(figure("55 (from Q2 KPI report)") < figure("72.5 (from Q1 KPI report)"), "the first figure is kept too");
        assert!(page.contains("Earlier scores kept for") && page.contains("Repairs "), "{page}");
        let versions = t.app.score_versions(&Principal::System, year).await.unwrap();
        assert_eq!(versions.len(), 2);
    })
    .await;
}

/// A multipart form with one file, as a browser sends it from the staff pages.
fn upload(
    path: &str,
    cookie: &str,
    fields: &[(&str, &str)],
    file: Option<(&str, &[u8])>,
) -> axum::http::Request<axum::body::Body> {
    use axum::http::header;
    let boundary = "XyZzY";
    let mut body = Vec::new();
    for (field, value) in fields {
        body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"\r\n\r\n{value}\r\n").as_bytes());
    }
    let (name, bytes) = file.unwrap_or(("", b""));
    body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes());
    body.extend(bytes);
    body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
    axum::http::Request::post(path)
        .header(header::HOST, "redress.test")
        .header(header::ORIGIN, "http://redress.test")
        .header(header::COOKIE, cookie)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(axum::body::Body::from(body))
        .unwrap()
}

#[tokio::test]
async fn a_request_that_came_by_post_is_logged_with_its_scan_and_its_date() {
    on_each_backend(|t| async move {
        let officer = t.sign_in("officer@test.org").await;
        let blank = t.get("/staff/scrutiny/paper", Some(&officer)).await;
        assert_eq!(blank.status, StatusCode::OK);
        assert!(blank.body.contains("enctype=\"multipart/form-data\""));
        let csrf = hidden(&blank.body, "csrf");
        let today = t.app.today();
        let received = today
            .checked_sub(jiff::ToSpan::days(3))
            .unwrap()
            .to_string();
        let tomorrow = today
            .checked_add(jiff::ToSpan::days(1))
            .unwrap()
            .to_string();
        let mut fields = vec![
            ("csrf", csrf.as_str()),
            ("name", "Rhys Evans"),
            ("phone", "029 2000 1111"),
            ("address", "4 Ash Row"),
            ("postcode", "LS6 3CC"),
            ("preferred_contact", "letter"),
            ("format", "braille"),
            ("concerns", "Lifts break every week"),
            ("actions_taken", "Complained three times"),
            ("failures", "Lift out for 9 days in May"),
            ("affected", "Everyone on floors 5 to 12"),
            ("resolution", "A lift contract with response times"),
            ("signature", "Rhys Evans"),
            ("declaration", "yes"),
        ];
        // A date in the future and a file that is not a scan: each named at its field,
        // and what was typed comes back.
        let mut bad = fields.clone();
        bad.push(("received_on", tomorrow.as_str()));
        let refused = t
            .send(upload(
                "/staff/scrutiny/paper",
                &officer,
                &bad,
                Some(("scan.pdf", b"<html>not a scan</html>")),
            ))
            .await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            refused.body
        );
        assert!(
            refused.body.contains("href=\"#received_on\"")
                && refused.body.contains("The date cannot be in the future"),
            "{}",
            refused.body
        );
        assert!(
            refused.body.contains("href=\"#file\"")
                && refused.body.contains("Lifts break every week"),
            "{}",
            refused.body
        );
        fields.push(("received_on", received.as_str()));
        let scan = b"%PDF-1.4 scanned form";
        let logged = t
            .send(upload(
                "/staff/scrutiny/paper",
                &officer,
                &fields,
                Some(("form.pdf", scan)),
            ))
            .await;
        assert_eq!(logged.status, StatusCode::SEE_OTHER, "{}", logged.body);
        let page = t.get(&logged.location, Some(&officer)).await.body;
        let received_on: jiff::civil::Date = received.parse().unwrap();
        assert!(
            page.contains(&format!(
                "Request received on paper on {} and logged by staff",
                redress_domain::calendar::long_date(received_on)
            )),
            "{page}"
        );
        assert!(
            page.contains("Scan of the paper form (form.pdf)") && page.contains("Rhys Evans"),
            "{page}"
        );
        let at = page.find("/files/").unwrap();
        let file_url = format!(
            "{}{}",
            logged.location,
            &page[at..].split('"').next().unwrap()
        );
        let download = t.get(&file_url, Some(&officer)).await;
        assert_eq!(download.status, StatusCode::OK);
        assert_eq!(download.body.as_bytes(), scan);
        // The team reads the papers, not the scan with the resident's address on it.
        let member = t.sign_in("scrutiny@test.org").await;
        assert_eq!(
            t.get(&file_url, Some(&member)).await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            t.get("/staff/scrutiny/paper", Some(&member)).await.status,
            StatusCode::FORBIDDEN
        );
        // Evidence added later is another file; nothing replaces the scan.
        let csrf = hidden(&page, "csrf");
        let none = t
            .send(upload(
                &format!("{}/files", logged.location),
                &officer,
                &[("csrf", &csrf), ("description", "Repair log")],
                None,
            ))
            .await;
        assert!(none.body.contains("Select a file"), "{}", none.body);
        let added = t
            .send(upload(
                &format!("{}/files", logged.location),
                &officer,
                &[("csrf", &csrf), ("description", "Lift repair log")],
                Some(("log.txt", b"9 call-outs in May")),
            ))
            .await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
        let page = t.get(&logged.location, Some(&officer)).await.body;
        assert!(
            page.contains("Scan of the paper form (form.pdf)")
                && page.contains("Lift repair log (log.txt)"),
            "{page}"
        );
        assert!(
            page.contains("File added: Lift repair log (log.txt)"),
            "{page}"
        );
        let (request, _) = t
            .app
            .scrutiny_by_id(
                &Principal::System,
                logged.location.rsplit('/').next().unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(request.received_on, Some(received_on));
        // What is held about Rhys names both files.
        let held = t
            .app
            .subject_access(&Principal::System, "", "029 2000 1111")
            .await
            .unwrap();
        let files: Vec<_> = held
            .scrutiny
            .iter()
            .flat_map(|s| s.files.iter().map(|f| f.name.clone()))
            .collect();
        assert_eq!(files, ["form.pdf", "log.txt"]);
        // Acknowledged: the letter waits to be put into Braille.
        let csrf = hidden(&page, "csrf");
        let ack = t
            .post_form(
                &format!("{}/acknowledge", logged.location),
                format!("csrf={csrf}&on={today}"),
                Some(&officer),
            )
            .await;
        assert_eq!(ack.status, StatusCode::SEE_OTHER, "{}", ack.body);
        let letters = t.store.scrutiny_messages(&request.id).await.unwrap();
        assert_eq!(letters.len(), 1, "no email: the resident gave none");
        assert_eq!(
            (letters[0].status.as_str(), letters[0].convert.as_deref()),
            ("to-convert", Some("Braille"))
        );
        assert!(letters[0].recipient.contains("4 Ash Row"));
    })
    .await;
}

#[tokio::test]
async fn a_posted_decision_carries_a_code_that_opens_the_request_once_and_a_postal_appeal_is_acknowledged()
 {
    on_each_backend(|t| async move {
        let by_post = FORM.replace(
            "preferred_contact=email",
            "preferred_contact=letter&address=5+Birch+Way&postcode=LS6+4DD",
        );
        let Taken {
            request,
            officer,
            url: case_url,
            csrf,
            ..
        } = Taken::new(&t, &by_post, &decided_not_yet(t.app.today())).await;
        let today = t.app.today();
        let letters = t.store.scrutiny_messages(&request.id).await.unwrap();
        let decision = letters
            .iter()
            .find(|l| l.kind == redress_domain::letter::LetterKind::ScrutinyDecision)
            .unwrap();
        let body = &decision.body;
        assert!(body.contains("/scrutiny/code and type the code "), "{body}");
        let code = body.split("type the code ").nth(1).unwrap()[..9].to_string();
        assert_eq!(code.len(), 9, "two groups of four: {code}");
        // Record it posted, then the requester types the code from the letter.
        let posted = t
            .post_form(
                &format!("{case_url}/posted"),
                format!("csrf={csrf}&letter={}", decision.id),
                Some(&officer),
            )
            .await;
        assert_eq!(posted.status, StatusCode::SEE_OTHER, "{}", posted.body);
        let page = t.get("/scrutiny/code", None).await;
        assert_eq!(page.status, StatusCode::OK);
        let wrong = t.post_form("/scrutiny/code", "code=AAAA+AAAA", None).await;
        assert!(
            wrong.body.contains("href=\"#code\"")
                && wrong
                    .body
                    .contains("has expired, has already been used or is not right"),
            "{}",
            wrong.body
        );
        let typed = code.to_lowercase().replace(' ', "-");
        let opened = t
            .post_form("/scrutiny/code", format!("code={typed}"), None)
            .await;
        assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
        assert!(
            opened.location.starts_with("/scrutiny/r/")
                && opened.location.ends_with("?opened=code"),
            "{}",
            opened.location
        );
        let follow = t.get(&opened.location, None).await.body;
        assert!(
            follow.contains("Your private link") && follow.contains("Not accepted yet"),
            "{follow}"
        );
        let again = t
            .post_form("/scrutiny/code", format!("code={typed}"), None)
            .await;
        assert!(
            again.body.contains("has already been used"),
            "once only: {}",
            again.body
        );
        // An appeal that comes by post is recorded by staff; the requester is written to.
        let appeal = t
            .post_form(
                &format!("{case_url}/appeal"),
                format!("csrf={csrf}&received_on={today}&grounds=I+did+complain%2C+twice"),
                Some(&officer),
            )
            .await;
        assert_eq!(appeal.status, StatusCode::SEE_OTHER, "{}", appeal.body);
        let letters = t.store.scrutiny_messages(&request.id).await.unwrap();
        let ack = letters
            .iter()
            .find(|l| l.kind == redress_domain::letter::LetterKind::ScrutinyAppealReceived)
            .expect("the appeal is acknowledged");
        assert_eq!(ack.status, "to-print");
        assert!(
            ack.recipient.contains("5 Birch Way")
                && ack
                    .body
                    .contains("none of whom took part in the team's decision"),
            "{}",
            ack.body
        );
    })
    .await;
}

#[tokio::test]
async fn the_board_and_the_emt_read_the_final_report_and_answer_it() {
    on_each_backend(|t| async move {
        use redress_domain::role::Role;
        let area = redress_domain::organisation::ServiceArea {
            id: "repairs".into(),
            name: "Repairs".into(),
            scheme: "hos-2024".into(),
        };
        t.store.add_service_area(&t.app.organisation.id, &area).await.unwrap();
        for (email, name, role) in [("chair@test.org", "Huw Chair", Role::GoverningBody), ("ceo@test.org", "Ceri Exec", Role::Executive)] {
            t.app.add_user(&Principal::System, email, name, role, redress_testkit::web::PASSWORD).await.unwrap();
        }
        let member = t.sign_in("scrutiny@test.org").await;
        let csrf = hidden(&t.get("/staff/scrutiny/programme", Some(&member)).await.body, "csrf");
        let added = t.post_form("/staff/scrutiny/programme/add", format!("csrf={csrf}&area=repairs"), Some(&member)).await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
        let programme = t.get("/staff/scrutiny/programme", Some(&member)).await.body;
        let at = programme.find("/staff/scrutiny/exercises/").unwrap();
        let url = programme[at..].split('"').next().unwrap().to_string();
        let today = t.app.today();
        let long_ago = today.checked_sub(jiff::ToSpan::days(20)).unwrap();
        let post = |change: &str, body: String| {
            let url = format!("{url}/{change}");
            let member = member.clone();
            let t = &t;
            async move { t.post_form(&url, body, Some(&member)).await }
        };
        // A stage planned for three weeks ago and not done is flagged late.
        let r = post("stage", format!("csrf={csrf}&stage=1&planned_on={long_ago}&owner=Mary&done_on=")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let programme = t.get("/staff/scrutiny/programme", Some(&member)).await.body;
        assert!(programme.contains("1 stage late"), "{programme}");
        let empty = post("findings", format!("csrf={csrf}&findings=&evidence=")).await;
        assert!(empty.body.contains("href=\"#findings\"") && empty.body.contains("href=\"#evidence\""), "{}", empty.body);
        post("findings", format!("csrf={csrf}&findings=Repairs+take+twice+the+published+time.&evidence=Forty+repair+files+and+twelve+interviews.")).await;
        post("recommendation", format!("csrf={csrf}&recommendation=Publish+repair+times+monthly")).await;
        // The Board reads the draft from its own menu, and cannot answer before it is sent.
        let chair = t.sign_in("chair@test.org").await;
        let home = t.get("/staff/reports", Some(&chair)).await.body;
        assert!(home.contains("href=\"/staff/scrutiny/programme\""), "{home}");
        let board_programme = t.get("/staff/scrutiny/programme", Some(&chair)).await;
        assert_eq!(board_programme.status, StatusCode::OK);
        assert!(board_programme.body.contains("Repairs") && !board_programme.body.contains("/staff/scrutiny/matrix"), "{}", board_programme.body);
        assert_eq!(t.get("/staff/scrutiny", Some(&chair)).await.status, StatusCode::FORBIDDEN, "no requests with residents' details");
        let report_url = format!("{url}/final-report");
        let draft = t.get(&report_url, Some(&chair)).await.body;
        assert!(draft.contains("Draft: the team has not sent this report") && draft.contains("Repairs take twice the published time.") && !draft.contains("board_response"), "{draft}");
        let r = post("report", format!("csrf={csrf}&on={today}&manager=Cem+Jones&head_of_service=Hal+Smith")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert!(post("findings", format!("csrf={csrf}&findings=Changed&evidence=Changed")).await.body.contains("its findings are fixed"));
        let sent = t.get(&report_url, Some(&chair)).await.body;
        assert!(sent.contains("The Board&#39;s response") && sent.contains("Forty repair files and twelve interviews."), "{sent}");
        let chair_csrf = hidden(&sent, "csrf");
        let blank = t.post_form(&report_url, format!("csrf={chair_csrf}&board_response="), Some(&chair)).await;
        assert!(blank.body.contains("href=\"#board_response\""), "{}", blank.body);
        for (who, text) in [(&chair, "The Board accepts both recommendations."), (&chair, "The Board approves the action plan in full.")] {
            let r = t.post_form(&report_url, format!("csrf={chair_csrf}&board_response={}", text.replace(' ', "+")), Some(who)).await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        }
        let ceo = t.sign_in("ceo@test.org").await;
        let ceo_page = t.get(&report_url, Some(&ceo)).await.body;
        assert!(ceo_page.contains("The Executive Management Team&#39;s response"), "{ceo_page}");
        let r = t.post_form(&report_url, format!("csrf={}&board_response=Actions+assigned+to+the+Head+of+Repairs.", hidden(&ceo_page, "csrf")), Some(&ceo)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        // The scrutiny team cannot answer for the Board.
        let refused = t.post_form(&report_url, format!("csrf={csrf}&board_response=We+approve"), Some(&member)).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        let report = t.get(&report_url, Some(&member)).await.body;
        let board = report.find("The Board approves the action plan in full.").expect("the Board's latest");
        let emt = report.find("Actions assigned to the Head of Repairs.").expect("the EMT's");
        assert!(board < emt, "the Board first: {report}");
        assert!(report.contains("Earlier responses (1)") && report.contains("The Board accepts both recommendations."), "kept: {report}");
        // Sending the report and answering it mark their stages done.
        let (x, _) = t.app.exercise(&Principal::System, url.rsplit('/').next().unwrap()).await.unwrap();
        assert_eq!((x.stages[10].done_on, x.stages[11].done_on), (Some(today), Some(today)));
    })
    .await;
}

#[tokio::test]
async fn a_referral_is_followed_up_to_its_outcome() {
    on_each_backend(|t| async move {
        let today = t.app.today();
        let yesterday = today.checked_sub(jiff::ToSpan::days(1)).unwrap();
        let taken = Taken::new(
            &t,
            FORM,
            &[
                ("acknowledge", format!("on={today}")),
                ("route", "route=significant-failure".to_string()),
                ("decide", "outcome=referred&reasons=The+group+reviews+repairs&review_group=Repairs+Review+Group".to_string()),
            ],
        )
        .await;
        let (officer, case_url, request) = (taken.officer.clone(), taken.url.clone(), &taken.request);
        let step = |s: &'static str, body: String| {
            let (t, taken) = (&t, &taken);
            async move { taken.step(t, s, &body).await }
        };
        let list = t.get("/staff/scrutiny", Some(&officer)).await.body;
        assert!(list.contains("Referred to Repairs Review Group") && list.contains("Not named yet"), "{list}");
        let early = step("follow-up-done", "follow_outcome=Done".into()).await;
        assert!(early.body.contains("Name who owns the follow-up"), "{}", early.body);
        let bad = step("follow-up", format!("follow_owner=&follow_due={yesterday}")).await;
        assert!(bad.body.contains("href=\"#follow_owner\"") && bad.body.contains("cannot be before the decision"), "{}", bad.body);
        let r = step("follow-up", format!("follow_owner=Chair+of+the+Repairs+Review+Group&follow_due={today}")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let page = t.get(&case_url, Some(&officer)).await.body;
        assert!(page.contains("Following up the referral") && page.contains("Chair of the Repairs Review Group") && !page.contains("Overdue"), "{page}");
        let r = step("follow-up-done", format!("follow_outcome=New+repair+targets+agreed+and+published&follow_on={today}")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let page = t.get(&case_url, Some(&officer)).await.body;
        assert!(page.contains("New repair targets agreed and published") && page.contains("Follow-up finished on"), "{page}");
        assert!(!page.contains("Save owner and date"), "finished: {page}");
        let list = t.get("/staff/scrutiny", Some(&officer)).await.body;
        assert!(list.contains(&format!("Done on {}", redress_domain::calendar::long_date(today))), "{list}");
        // The requester is told what came of it, the way they asked.
        let told = t.store.scrutiny_messages(&request.id).await.unwrap();
        let outcome = told.iter().find(|l| l.kind == redress_domain::letter::LetterKind::ScrutinyOutcome).expect("the requester is told");
        assert!(outcome.body.contains("referred your Community Call for Scrutiny") && outcome.body.contains("Repairs Review Group") && outcome.body.contains("New repair targets agreed and published"), "{}", outcome.body);
        assert_eq!(outcome.delivery, redress_domain::letter::Delivery::Email);
        // The requester's own page does not show staff follow-up notes.
        let (_, history) = t.app.requester_view(&taken.token).await.unwrap();
        assert!(history.iter().filter(|h| h.step.as_ref().is_none_or(redress_domain::scrutiny::Step::shown_to_requester)).all(|h| !h.summary.contains("Follow-up")));
    })
    .await;
}

#[tokio::test]
async fn the_requester_hears_when_enough_have_signed_though_no_meeting_is_fixed() {
    on_each_backend(|t| async move {
        let today = t.app.today();
        let Taken { request, .. } = Taken::new(
            &t,
            FORM,
            &[
                ("acknowledge", format!("on={today}")),
                ("route", "route=petition&threshold=2&eligible=".to_string()),
            ],
        )
        .await;
        let count = || async {
            t.store
                .scrutiny_messages(&request.id)
                .await
                .unwrap()
                .into_iter()
                .filter(|l| l.kind == redress_domain::letter::LetterKind::ScrutinyMeeting)
                .collect::<Vec<_>>()
        };
        for (name, postcode) in [("Bethan+Morgan", "CF10+1AA"), ("Carys+Price", "CF10+2BB")] {
            assert!(count().await.is_empty(), "not before the threshold");
            let r = t
                .post_form(
                    &format!("/scrutiny/petition/{}", request.reference),
                    format!("name={name}&postcode={postcode}&declaration=yes"),
                    None,
                )
                .await;
            assert!(
                r.status.is_success() || r.status.is_redirection(),
                "{}",
                r.body
            );
        }
        let letters = count().await;
        assert_eq!(letters.len(), 1, "{letters:?}");
        assert!(
            letters[0].body.contains("Enough residents have signed")
                && letters[0].body.contains("2 signatures")
                && letters[0].body.contains("No meeting is fixed yet"),
            "{}",
            letters[0].body
        );
    })
    .await;
}
