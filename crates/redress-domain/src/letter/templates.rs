//! The default wording of each letter, the placeholders it may use, and filling them in.

use super::{LetterKind, Template};
use crate::scheme::Ombudsman;
use std::collections::BTreeMap;

/// How to contact an ombudsman; organisations should check these against the ombudsman's
/// own website and can change them.
pub fn ombudsman_contact(o: Ombudsman) -> &'static str {
    match o {
        Ombudsman::Housing => {
            "Housing Ombudsman Service, PO Box 1484, Unit D, Preston PR2 0ET. Telephone 0300 111 3000. Email info@housing-ombudsman.org.uk. Website www.housing-ombudsman.org.uk"
        }
        Ombudsman::LocalGovernmentAndSocialCare => {
            "Local Government and Social Care Ombudsman, PO Box 4771, Coventry CV4 0EH. Telephone 0300 061 0614. Website www.lgo.org.uk"
        }
        Ombudsman::ScottishPublicServices => {
            "Scottish Public Services Ombudsman, Freepost SPSO. Telephone 0800 377 7330. Website www.spso.org.uk"
        }
        Ombudsman::PublicServicesWales => {
            "Public Services Ombudsman for Wales, 1 Ffordd yr Hen Gae, Pencoed CF35 5LJ. Telephone 0300 790 0203. Website www.ombudsman.wales"
        }
    }
}

/// The English wording Redress ships with (`locales/letters-en.ftl`).
pub fn default_template(kind: LetterKind) -> Template {
    // Every kind has English wording: a test fails otherwise.
    super::shipped::shipped(kind, crate::language::Language::English).unwrap_or_else(|| Template {
        subject: kind.label().to_string(),
        body: String::new(),
    })
}

/// The placeholders every template may use, for the template editor's help text.
pub const PLACEHOLDERS: &[&str] = &[
    "name",
    "kind",
    "summary",
    "reply",
    "reference",
    "received",
    "started",
    "stage",
    "understanding",
    "outcome_wanted",
    "handler",
    "respond_by",
    "extension_reason",
    "decline_reason",
    "explanation",
    "decisions",
    "outcome",
    "reasons",
    "remedies",
    "outstanding_actions",
    "ombudsman",
    "ombudsman_contact",
    "organisation",
    "link",
    "improvement",
    "change",
    "signature",
    "signatory",
    "job_title",
    "contact_details",
    "contact_phone",
    "contact_textphone",
    "contact_email",
    "contact_address",
    "contact_hours",
    "pause_reason",
    "colleague",
    "manager",
];

/// Placeholders still in a letter's words (`{{name}}` misspelt in edited wording, say):
/// a letter with any is not sent until they are put right.
pub fn unfilled(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        match after.find("}}") {
            Some(end) => {
                found.push(format!("{{{{{}}}}}", after[..end].trim()));
                rest = &after[end + 2..];
            }
            None => {
                found.push("{{".into());
                break;
            }
        }
    }
    found
}

/// Replaces `{{name}}` with its value; unknown placeholders are left as written so a
/// mistake in an edited template is visible rather than silently blank.
pub fn fill(text: &str, values: &BTreeMap<&str, String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after.find("}}") {
            Some(end) => {
                let key = after[..end].trim();
                match values.get(key) {
                    Some(v) => out.push_str(v),
                    None => out.push_str(&rest[start..start + 2 + end + 2]),
                }
                rest = &after[end + 2..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    // Empty sections leave runs of blank lines; keep at most one.
    let mut tidy = String::with_capacity(out.len());
    let mut blank = 0;
    for line in out.lines() {
        if line.trim().is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        tidy.push_str(line.trim_end());
        tidy.push('\n');
    }
    tidy.trim().to_string()
}

/// The body as HTML paragraphs, every character escaped: for the HTML part of an email
/// and for printing. Lines starting with "- " become a list.
pub fn body_html(body: &str) -> String {
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
            .replace('\'', "&#39;")
    };
    let mut out = String::new();
    for block in body.split("\n\n") {
        let lines: Vec<&str> = block.lines().collect();
        let (items, text): (Vec<&str>, Vec<&str>) = lines.iter().partition(|l| l.starts_with("- "));
        if !text.is_empty() {
            out.push_str("<p>");
            out.push_str(
                &text
                    .iter()
                    .map(|l| escape(l))
                    .collect::<Vec<_>>()
                    .join("<br>"),
            );
            out.push_str("</p>\n");
        }
        if !items.is_empty() {
            out.push_str("<ul>");
            for item in items {
                out.push_str(&format!("<li>{}</li>", escape(&item[2..])));
            }
            out.push_str("</ul>\n");
        }
    }
    out
}

/// Checks an edited template: placeholders must be known and braces balanced.
pub fn check_template(text: &str) -> Result<(), String> {
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            return Err("A placeholder is missing its closing }}".into());
        };
        let key = after[..end].trim();
        if !PLACEHOLDERS.contains(&key) {
            return Err(format!("{{{{{key}}}}} is not a placeholder Redress knows"));
        }
        rest = &after[end + 2..];
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unfilled_placeholders_are_found() {
        assert_eq!(
            unfilled("Dear {{ nme }}, see {{x}}"),
            vec!["{{nme}}", "{{x}}"]
        );
        assert!(unfilled("Dear Aled").is_empty());
        assert_eq!(unfilled("a {{ b"), vec!["{{"]);
    }

    #[test]
    fn placeholders_fill_and_unknown_ones_show() {
        let mut v = BTreeMap::new();
        v.insert("name", "Aled".to_string());
        assert_eq!(
            fill("Dear {{name}}, {{ nope }}", &v),
            "Dear Aled, {{ nope }}"
        );
        assert_eq!(fill("a\n\n\n\nb {{", &v), "a\n\nb {{");
    }

    #[test]
    fn html_is_escaped_with_lists() {
        let html = body_html("Dear <Aled>\n\nDecisions:\n- One: upheld\n- Two & three");
        assert_eq!(
            html,
            "<p>Dear &lt;Aled&gt;</p>\n<p>Decisions:</p>\n<ul><li>One: upheld</li><li>Two &amp; three</li></ul>\n"
        );
    }

    #[test]
    fn edited_templates_are_checked() {
        assert!(check_template("Dear {{name}}").is_ok());
        assert!(check_template("Dear {{nme}}").is_err_and(|e| e.contains("{{nme}}")));
        assert!(check_template("Dear {{name").is_err());
        for kind in LetterKind::ALL {
            let t = default_template(*kind);
            assert!(
                check_template(&t.subject).is_ok() && check_template(&t.body).is_ok(),
                "{kind:?}"
            );
        }
    }
}
