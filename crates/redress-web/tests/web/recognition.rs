//! The recognition assistant where staff work: "This may be a complaint" with its reasons,
//! raised or set aside with a reason; a possible hazard confirmed, sent to the repairs
//! service with its Awaab's Law timescales, and its steps recorded against the clocks.

use super::hidden;
use axum::http::StatusCode;
use redress_app::access::Principal;
use redress_domain::role::Role;
use redress_testkit::web::{PASSWORD, TestApp, on_each_backend};

async fn record(t: &TestApp, kind: &str, summary: &str, tenure: &str) -> String {
    let token = t
        .app
        .issue_api_token(&Principal::System, "officer@test.org", "hms")
        .await
        .unwrap();
    let body = serde_json::json!({
        "kind": kind, "channel": "email", "who": "myself", "name": "Bethan Morgan",
        "email": "b@example.org", "summary": summary, "tenure": tenure,
    });
    let created = t
        .post_json("/api/contacts", &body.to_string(), Some(&token), None)
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let json: serde_json::Value = serde_json::from_str(&created.body).unwrap();
    json["reference"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn a_request_that_reads_as_a_complaint_is_flagged_and_the_decision_kept() {
    on_each_backend(|t| async move {
        let officer = t.sign_in("officer@test.org").await;
        let reference = record(&t, "service-request", "This is the third time I have reported the broken gate and nobody has come out. I keep being told it is booked.", "low-cost-rental").await;
        let page = t.get(&format!("/staff/cases/{reference}"), Some(&officer)).await;
        assert!(page.body.contains("This may be a complaint"), "{}", page.body);
        assert!(page.body.contains("&ldquo;third time&rdquo;") || page.body.contains("third time"), "{}", page.body);
        assert!(page.body.contains(&format!("/staff/cases/{reference}/act/raise-complaint")));
        // Setting it aside needs a reason, given at its field.
        let form = t.get(&format!("/staff/cases/{reference}/act/not-a-complaint"), Some(&officer)).await;
        let csrf = hidden(&form.body, "csrf");
        let today = t.app.today();
        let empty = t
            .post_form(&format!("/staff/cases/{reference}/act/not-a-complaint"), format!("csrf={csrf}&on={today}&reason="), Some(&officer))
            .await;
        assert!(empty.body.contains("Enter why it is not a complaint"), "{}", empty.body);
        let done = t
            .post_form(
                &format!("/staff/cases/{reference}/act/not-a-complaint"),
                format!("csrf={csrf}&on={today}&reason=Booked+for+Monday%3B+the+resident+only+wanted+a+date"),
                Some(&officer),
            )
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        let page = t.get(&format!("/staff/cases/{reference}"), Some(&officer)).await;
        assert!(!page.body.contains("This may be a complaint"));
        assert!(page.body.contains("Not a complaint, decided by Olu Officer"), "{}", page.body);
        assert!(page.body.contains("the resident only wanted a date"));
        let reports = t.get("/staff/reports", Some(&officer)).await;
        assert!(reports.body.contains("Not complaints, with a reason</th><td class=\"table__cell table__cell--numeric\">1 (100%)"), "{}", reports.body);
    })
    .await;
}

#[tokio::test]
async fn a_comment_raised_as_a_complaint_keeps_its_clock_from_receipt() {
    on_each_backend(|t| async move {
        let officer = t.sign_in("officer@test.org").await;
        let reference = record(&t, "comment", "Your contractor left a mess and was rude to my mum. Still waiting for someone to call back.", "").await;
        let page = t.get(&format!("/staff/cases/{reference}"), Some(&officer)).await;
        assert!(page.body.contains("This may be a complaint"), "{}", page.body);
        // One step: the reclassify form starts as a complaint with its explanation.
        let form = t.get(&format!("/staff/cases/{reference}/act/reclassify"), Some(&officer)).await;
        assert!(form.body.contains("value=\"complaint\" checked"), "{}", form.body);
        assert!(form.body.contains("dealing with it as a complaint"));
        let csrf = hidden(&form.body, "csrf");
        let explanation = "What+you+told+us+shows+you+are+unhappy+with+our+service";
        let done = t
            .post_form(&format!("/staff/cases/{reference}/act/reclassify"), format!("csrf={csrf}&to=complaint&route=&explanation={explanation}"), Some(&officer))
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        let page = t.get(&format!("/staff/cases/{reference}"), Some(&officer)).await;
        assert!(!page.body.contains("This may be a complaint"));
        assert!(page.body.contains("Raised as a complaint by Olu Officer"), "{}", page.body);
    })
    .await;
}

#[tokio::test]
async fn a_confirmed_hazard_goes_to_repairs_and_its_clocks_are_kept() {
    on_each_backend(|t| async move {
        t.app.add_user(&Principal::System, "admin@test.org", "Alex Admin", Role::Admin, PASSWORD).await.unwrap();
        let admin = t.sign_in("admin@test.org").await;
        let contact = t.get("/staff/admin/contact", Some(&admin)).await;
        let csrf = hidden(&contact.body, "csrf");
        let bad = t.post_form("/staff/admin/contact", format!("csrf={csrf}&repairs_email=not-an-address"), Some(&admin)).await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.body);
        let saved = t.post_form("/staff/admin/contact", format!("csrf={csrf}&repairs_email=repairs%40test.org"), Some(&admin)).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);

        let officer = t.sign_in("officer@test.org").await;
        let reference = record(&t, "service-request", "There is black mould all over my daughter's bedroom wall and she keeps coughing. Please send someone.", "low-cost-rental").await;
        let page = t.get(&format!("/staff/cases/{reference}"), Some(&officer)).await;
        assert!(page.body.contains("Possible hazard: Damp and mould (significant)"), "{}", page.body);
        assert!(page.body.contains("mould"));
        // Confirmed as suggested: the form starts with the assistant's reading.
        let form = t.get(&format!("/staff/cases/{reference}/act/confirm-hazard"), Some(&officer)).await;
        assert!(form.body.contains("value=\"damp-mould\" checked"), "{}", form.body);
        assert!(form.body.contains("value=\"significant\" checked"));
        let csrf = hidden(&form.body, "csrf");
        let done = t
            .post_form(&format!("/staff/cases/{reference}/act/confirm-hazard"), format!("csrf={csrf}&kind=damp-mould&urgency=significant"), Some(&officer))
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        // The repairs service is emailed at once, with the timescale.
        let org = t.app.organisation.id.clone();
        let c = t.store.contact_by_reference(&org, &redress_domain::contact::Reference::parse(&reference).unwrap()).await.unwrap().unwrap();
        let letters = t.store.letters(&org, &c.id).await.unwrap();
        let referral = letters.iter().find(|l| l.recipient == "repairs@test.org").expect("an email to repairs");
        assert!(referral.body.contains("Awaab's Law applies"), "{}", referral.body);
        assert!(referral.body.contains("Investigation finished: by"), "{}", referral.body);
        assert!(!referral.body.contains("Bethan"), "the resident's details stay on the case");
        // The clocks on the case: the investigation running, the rest waiting on it.
        let page = t.get(&format!("/staff/cases/{reference}"), Some(&officer)).await;
        assert!(page.body.contains("Significant hazard: damp and mould"), "{}", page.body);
        assert!(page.body.contains("Awaab's Law applies"));
        assert!(page.body.contains("Running") && page.body.contains("When the investigation ends"), "{}", page.body);
        // My work lists it with its next clock.
        let work = t.get("/staff", Some(&officer)).await;
        assert!(work.body.contains("Hazards in homes"), "{}", work.body);
        assert!(work.body.contains(&format!("{reference}</a>: Significant hazard: damp and mould. Investigation finished due")), "{}", work.body);
        // An emergency waiting to be confirmed goes above it.
        let gas = record(&t, "service-request", "There is a strong smell of gas in my kitchen. Please send someone.", "low-cost-rental").await;
        let work = t.get("/staff", Some(&officer)).await;
        assert!(work.body.contains(&format!("{gas}</a>: Possible emergency hazard to confirm: gas")), "{}", work.body);
        let emergency = work.body.find(&format!("{gas}</a>")).unwrap();
        let significant = work.body.find(&format!("{reference}</a>: Significant")).unwrap();
        assert!(emergency < significant, "emergencies first");
        // A later step before the investigation is refused at its field.
        let step = t.get(&format!("/staff/cases/{reference}/act/hazard-step"), Some(&officer)).await;
        let csrf = hidden(&step.body, "csrf");
        let today = t.app.today();
        let early = t
            .post_form(&format!("/staff/cases/{reference}/act/hazard-step"), format!("csrf={csrf}&step=summary-sent&on={today}&time=09:00"), Some(&officer))
            .await;
        assert!(early.body.contains("Record the investigation first"), "{}", early.body);
        let bad_time = t
            .post_form(&format!("/staff/cases/{reference}/act/hazard-step"), format!("csrf={csrf}&step=investigated&on={today}&time=25:99"), Some(&officer))
            .await;
        assert!(bad_time.body.contains("Enter the time as hours and minutes"), "{}", bad_time.body);
        let now = jiff::Timestamp::now().to_zoned_datetime(redress_domain::calendar::uk_time_zone()).strftime("%H:%M").to_string();
        let investigated = t
            .post_form(&format!("/staff/cases/{reference}/act/hazard-step"), format!("csrf={csrf}&step=investigated&on={today}&time={now}"), Some(&officer))
            .await;
        assert_eq!(investigated.status, StatusCode::SEE_OTHER, "{}", investigated.body);
        let page = t.get(&format!("/staff/cases/{reference}"), Some(&officer)).await;
        assert!(page.body.contains("Met"), "{}", page.body);
        assert!(page.body.contains("Written summary sent to the resident"));
        assert!(!page.body.contains("When the investigation ends"), "the later clocks now run");
        // The reports count it, and whether its clock was met.
        let reports = t.get("/staff/reports", Some(&officer)).await;
        assert!(reports.body.contains("Hazards confirmed</th><td class=\"table__cell table__cell--numeric\">1"), "{}", reports.body);
        assert!(reports.body.contains("Investigation finished: Awaab&#39;s Law timescale</th><td class=\"table__cell table__cell--numeric\">1 met, 0 missed, 0 running"), "{}", reports.body);
    })
    .await;
}

#[tokio::test]
async fn awaabs_law_does_not_apply_to_a_leaseholder_and_a_hazard_may_be_set_aside() {
    on_each_backend(|t| async move {
        let officer = t.sign_in("officer@test.org").await;
        let leasehold = record(
            &t,
            "service-request",
            "Water is pouring through the ceiling light in the kitchen",
            "leaseholder",
        )
        .await;
        let page = t
            .get(&format!("/staff/cases/{leasehold}"), Some(&officer))
            .await;
        assert!(page.body.contains("(emergency)"), "{}", page.body);
        let form = t
            .get(
                &format!("/staff/cases/{leasehold}/act/confirm-hazard"),
                Some(&officer),
            )
            .await;
        let csrf = hidden(&form.body, "csrf");
        let missing = t
            .post_form(
                &format!("/staff/cases/{leasehold}/act/confirm-hazard"),
                format!("csrf={csrf}&kind=&urgency=emergency"),
                Some(&officer),
            )
            .await;
        assert!(
            missing.body.contains("Select the kind of hazard"),
            "{}",
            missing.body
        );
        t.post_form(
            &format!("/staff/cases/{leasehold}/act/confirm-hazard"),
            format!("csrf={csrf}&kind=leak&urgency=emergency"),
            Some(&officer),
        )
        .await;
        let page = t
            .get(&format!("/staff/cases/{leasehold}"), Some(&officer))
            .await;
        assert!(
            page.body.contains("Awaab's Law does not apply here"),
            "{}",
            page.body
        );

        let other = record(
            &t,
            "service-request",
            "Some damp on the outside wall of the bin store",
            "low-cost-rental",
        )
        .await;
        let form = t
            .get(
                &format!("/staff/cases/{other}/act/not-a-hazard"),
                Some(&officer),
            )
            .await;
        let csrf = hidden(&form.body, "csrf");
        let empty = t
            .post_form(
                &format!("/staff/cases/{other}/act/not-a-hazard"),
                format!("csrf={csrf}&reason="),
                Some(&officer),
            )
            .await;
        assert!(
            empty.body.contains("Enter why it is not a hazard"),
            "{}",
            empty.body
        );
        let done = t
            .post_form(
                &format!("/staff/cases/{other}/act/not-a-hazard"),
                format!("csrf={csrf}&reason=Outside+a+home%3B+passed+to+estates"),
                Some(&officer),
            )
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        let page = t
            .get(&format!("/staff/cases/{other}"), Some(&officer))
            .await;
        assert!(!page.body.contains("Possible hazard:"), "{}", page.body);
        assert!(
            page.body
                .contains("Possible hazard set aside: Outside a home")
        );
    })
    .await;
}

#[tokio::test]
async fn a_survey_answer_that_reads_as_a_complaint_is_flagged_and_raised() {
    use redress_domain::case::Command;
    use redress_domain::survey::SurveyAnswer;
    on_each_backend(|t| async move {
        let officer = t.sign_in("officer@test.org").await;
        let reference = record(&t, "comment", "The new bin store looks much tidier, thank you.", "").await;
        let answer = SurveyAnswer::parse(
            0,
            false,
            "very-dissatisfied",
            "",
            "Nobody ever replied to my comment and the bins have now been left out for three weeks. I have rung four times and I am fed up.",
            "",
            t.app.today(),
        )
        .unwrap();
        t.app
            .apply_command(&Principal::System, &reference, Command::RecordSurvey { answer }, None)
            .await
            .unwrap();
        let page = t.get(&format!("/staff/cases/{reference}"), Some(&officer)).await;
        assert!(page.body.contains("This survey answer may be a complaint"), "{}", page.body);
        assert!(page.body.contains("their feedback survey"));
        assert!(page.body.contains(&format!("/staff/cases/{reference}/act/raise-complaint")));
        // One step: the form starts with what they wrote in the survey.
        let form = t.get(&format!("/staff/cases/{reference}/act/raise-complaint"), Some(&officer)).await;
        assert!(form.body.contains("left out for three weeks"), "{}", form.body);
        let csrf = hidden(&form.body, "csrf");
        let done = t
            .post_form(
                &format!("/staff/cases/{reference}/act/raise-complaint"),
                format!("csrf={csrf}&summary=Bins+left+out+for+three+weeks+and+nobody+replied"),
                Some(&officer),
            )
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        assert!(done.location.contains("/staff/cases/CMP-"), "{}", done.location);
        let page = t.get(&format!("/staff/cases/{reference}"), Some(&officer)).await;
        assert!(!page.body.contains("This survey answer may be a complaint"));
        assert!(page.body.contains("Complaint raised about this request"), "{}", page.body);
        let reports = t.get("/staff/reports", Some(&officer)).await;
        assert!(
            reports.body.contains("Survey answers raised or escalated as complaints</th><td class=\"table__cell table__cell--numeric\">1 (100%)"),
            "{}",
            reports.body
        );
        // Set aside instead, it needs a reason.
        let other = record(&t, "compliment", "The caretaker was very kind to my dad.", "").await;
        let answer = SurveyAnswer::parse(0, false, "dissatisfied", "", "Still waiting for someone to fix the door you promised to fix weeks ago, this is appalling.", "", t.app.today()).unwrap();
        t.app.apply_command(&Principal::System, &other, Command::RecordSurvey { answer }, None).await.unwrap();
        let form = t.get(&format!("/staff/cases/{other}/act/survey-not-a-complaint"), Some(&officer)).await;
        let csrf = hidden(&form.body, "csrf");
        let empty = t.post_form(&format!("/staff/cases/{other}/act/survey-not-a-complaint"), format!("csrf={csrf}&reason="), Some(&officer)).await;
        assert!(empty.body.contains("Enter why it is not a complaint"), "{}", empty.body);
        let done = t
            .post_form(&format!("/staff/cases/{other}/act/survey-not-a-complaint"), format!("csrf={csrf}&reason=Already+a+repair+booked+for+Monday"), Some(&officer))
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        let page = t.get(&format!("/staff/cases/{other}"), Some(&officer)).await;
        assert!(!page.body.contains("This survey answer may be a complaint"));
        assert!(page.body.contains("Survey answer not a complaint: Already a repair booked for Monday"));
    })
    .await;
}
