//! The web layer end to end, through the real router: public form, staff pages, JSON API.
//! Every test runs on SQLite, and on PostgreSQL when `REDRESS_TEST_POSTGRES_URL` is set.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "web/actions.rs"]
mod actions;
#[path = "web/admin.rs"]
mod admin;
#[path = "web/annual.rs"]
mod annual;
#[path = "web/api.rs"]
mod api;
#[path = "web/api_actions.rs"]
mod api_actions;
#[path = "web/dovecot.rs"]
mod dovecot;
#[path = "web/email_in.rs"]
mod email_in;
#[path = "web/hostile.rs"]
mod hostile;
#[path = "web/improvements.rs"]
mod improvements;
#[path = "web/letters.rs"]
mod letters;
#[path = "web/my_work.rs"]
mod my_work;
#[path = "web/operating.rs"]
mod operating;
#[path = "web/panel.rs"]
mod panel;
#[path = "web/postal.rs"]
mod postal;
#[path = "web/privacy.rs"]
mod privacy;
#[path = "web/public_form.rs"]
mod public_form;
#[path = "web/recognition.rs"]
mod recognition;
#[path = "web/reports.rs"]
mod reports;
#[path = "web/resident.rs"]
mod resident;
#[path = "web/scrutiny.rs"]
mod scrutiny;
#[path = "web/scrutiny_records.rs"]
mod scrutiny_records;
#[path = "web/security.rs"]
mod security;
#[path = "web/sso.rs"]
mod sso;
#[path = "web/staff_cases.rs"]
mod staff_cases;
#[path = "web/webhooks.rs"]
mod webhooks;
#[path = "web/welsh.rs"]
mod welsh;

const VALID: &str = "kind=complaint&who=myself&name=Aled+Jones&email=aled%40example.org&postcode=cf10+1aa\
    &summary=Nobody+came+to+fix+the+leak&outcome_wanted=Fix+it&preferred_contact=email\
    &preferred_format=large-print&needs=I+use+a+screen+reader";

/// The text in a page's text area `name`, unescaped as a browser would send it back.
fn hidden_textarea(body: &str, name: &str) -> String {
    body.split(&format!("name=\"{name}\""))
        .nth(1)
        .and_then(|rest| rest.split_once('>'))
        .and_then(|(_, rest)| rest.split("</textarea>").next())
        .unwrap_or_default()
        .replace("&#10;", "\n")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The first case reference on a page ("CMP-2026-000001"): three capitals, a year and six
/// digits. Anything else with "-20" in it (a link's random id, say) is passed over.
fn first_reference(page: &str) -> String {
    page.match_indices("-20")
        .filter_map(|(at, _)| page.get(at.checked_sub(3)?..at + 12))
        .find(|r| {
            let b = r.as_bytes();
            b[..3].iter().all(u8::is_ascii_uppercase)
                && b[4..8].iter().all(u8::is_ascii_digit)
                && b[8] == b'-'
                && b[9..].iter().all(u8::is_ascii_digit)
        })
        .unwrap_or_else(|| panic!("no reference on the page: {page}"))
        .to_string()
}

/// The hidden value of `name` in a page's form.
fn hidden(body: &str, name: &str) -> String {
    body.split(&format!("name=\"{name}\" value=\""))
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_default()
        .to_string()
}
