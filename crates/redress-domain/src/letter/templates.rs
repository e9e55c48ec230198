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

/// The wording Redress ships with.
pub fn default_template(kind: LetterKind) -> Template {
    let (subject, body) = match kind {
        LetterKind::Acknowledgement => (
            "We have received your complaint {{reference}}",
            "Dear {{name}}\n\nThank you for your complaint, which we received on {{received}}. Your reference is {{reference}}.\n\nOur understanding of your complaint is:\n{{understanding}}\n\nYou told us you would like:\n{{outcome_wanted}}\n\nIf we have misunderstood anything, please tell us as soon as you can.\n\n{{handler}} is looking into your complaint. We will send you our full response by {{respond_by}}. If we need more time we will tell you why and when you will hear from us.\n\nYours sincerely\n\n{{signature}}\n{{organisation}}\n\n{{contact_details}}",
        ),
        LetterKind::EscalationAcknowledgement => (
            "Your complaint {{reference}} is now at stage {{stage}}",
            "Dear {{name}}\n\nYou asked us on {{started}} to look at your complaint {{reference}} again. It is now at stage {{stage}} of our complaints procedure and a different person will review it.\n\nOur understanding of what is still unresolved is:\n{{understanding}}\n\nYou told us you would like:\n{{outcome_wanted}}\n\n{{handler}} is reviewing your complaint. We will send you our response by {{respond_by}}.\n\nYours sincerely\n\n{{signature}}\n{{organisation}}\n\n{{contact_details}}",
        ),
        LetterKind::Extension => (
            "We need more time to respond to your complaint {{reference}}",
            "Dear {{name}}\n\nWe are sorry, but we need more time to respond to your complaint {{reference}}. The reason is:\n{{extension_reason}}\n\nWe will now send you our response by {{respond_by}}.\n\nIf you are unhappy with this, you can contact the {{ombudsman}}: {{ombudsman_contact}}\n\nYours sincerely\n\n{{signature}}\n{{organisation}}\n\n{{contact_details}}",
        ),
        LetterKind::Decline => (
            "About your complaint {{reference}}",
            "Dear {{name}}\n\nThank you for contacting us. We have carefully considered your complaint {{reference}} and we are not able to take it on through our complaints procedure because: {{decline_reason}}.\n\n{{explanation}}\n\nIf you disagree with this decision you can ask the {{ombudsman}} to look at it: {{ombudsman_contact}}\n\nYours sincerely\n\n{{signature}}\n{{organisation}}\n\n{{contact_details}}",
        ),
        LetterKind::StageResponse => (
            "Our stage {{stage}} response to your complaint {{reference}}",
            "Dear {{name}}\n\nThis is our stage {{stage}} response to your complaint {{reference}}.\n\nYour complaint as we understood it:\n{{understanding}}\n\nOur decision on each point:\n{{decisions}}\n\nOverall, your complaint is {{outcome}}.\n\nOur reasons:\n{{reasons}}\n\n{{remedies}}\n\n{{outstanding_actions}}\n\nIf you are not satisfied, you can ask us to escalate your complaint to the next stage. You do not need to give a reason: reply to this letter, call us or use our website, quoting {{reference}}.\n\nYours sincerely\n\n{{signature}}\n{{organisation}}\n\n{{contact_details}}",
        ),
        LetterKind::Paused => (
            "Your complaint {{reference}} is waiting for another procedure",
            "Dear {{name}}\n\nPart of your complaint {{reference}} has to wait for another procedure to finish:\n{{pause_reason}}\n\nWe still aim to send you our response by {{respond_by}}. If we need longer, we will write to tell you why and when you will hear from us. We will let you know when the other procedure has finished.\n\nIf you are unhappy about this, please tell us, or contact the {{ombudsman}}: {{ombudsman_contact}}\n\nYours sincerely\n\n{{signature}}\n{{organisation}}\n\n{{contact_details}}",
        ),
        LetterKind::Resumed => (
            "Your complaint {{reference}} is no longer waiting",
            "Dear {{name}}\n\nThe procedure your complaint {{reference}} was waiting for has finished, and we are dealing with your complaint in full again. We will send you our response by {{respond_by}}.\n\nYours sincerely\n\n{{signature}}\n{{organisation}}\n\n{{contact_details}}",
        ),
        LetterKind::ComplimentPassedOn => (
            "A compliment for {{colleague}} ({{reference}})",
            "A resident has paid a compliment to {{colleague}}, received on {{received}} ({{reference}}):\n\n{{summary}}\n\nThis email goes to {{colleague}} and to their manager, {{manager}}. Thank you for the good service.\n\n{{organisation}} complaints service",
        ),
        LetterKind::AuthorityNeeded => (
            "What we need before you can follow {{reference}} online",
            "Dear {{name}}\n\nYou tried to follow {{reference}} online. You are recorded as acting for someone on it, but we have not yet recorded that they agreed.\n\nPlease send us their permission: a letter or form signed by them, or a power of attorney, quoting {{reference}}. Once we have recorded it, you can follow the case online with this email address.\n\n{{contact_details}}\n\nYours sincerely\n\n{{signature}}\n{{organisation}}",
        ),
        LetterKind::SafeguardingAlert => (
            "Safeguarding: {{reference}} needs you now",
            "{{name}}\n\nA {{kind}} has just been recorded where {{outcome}}. It is {{reference}}.\n\nOpen it now, decide what to do, and record the safeguarding review on the case:\n{{link}}\n\nThe details are on the case only: sign in to read them.\n\n{{organisation}} complaints service",
        ),
        LetterKind::HazardReferral => (
            "Hazard: {{reference}}, {{kind}}",
            "To the repairs service\n\nA hazard in a resident's home has been confirmed on {{reference}}: {{kind}}.\n\n{{outcome}}\n\nThe resident's details and what they told us are on the case:\n{{link}}\n\nPlease record each step (investigation, making safe, the written summary, safety work) with the complaints team as it is done.\n\n{{organisation}} complaints service",
        ),
        LetterKind::EmailReceipt => (
            "We have received your email: {{reference}}",
            "Dear {{name}}\n\nThank you for your email, which we received on {{received}}. Your reference is {{reference}}.\n\nA member of our team will read it and tell you how we will deal with it. If you want to add anything, reply to this email or quote {{reference}} when you contact us.\n\nYours sincerely\n\n{{signature}}\n{{organisation}}\n\n{{contact_details}}",
        ),
        LetterKind::ComplimentThanks => (
            "Thank you for your compliment {{reference}}",
            "Dear {{name}}\n\nThank you for taking the time to tell us about good service. We have passed your compliment on to the people it is about and to their manager.\n\nYours sincerely\n\n{{signature}}\n{{organisation}}\n\n{{contact_details}}",
        ),
        LetterKind::CommentReply => (
            "Our reply to your comment {{reference}}",
            "Dear {{name}}\n\nThank you for your comment, which we received on {{received}}:\n{{summary}}\n\n{{reply}}\n\nYours sincerely\n\n{{signature}}\n{{organisation}}\n\n{{contact_details}}",
        ),
        LetterKind::Reclassified => (
            "How we are dealing with {{reference}}",
            "Dear {{name}}\n\nThank you for contacting us on {{received}}. We are dealing with what you told us as a {{kind}}.\n\n{{explanation}}\n\nIf you are unhappy with how we are dealing with it, you can make a complaint.\n\nYours sincerely\n\n{{signature}}\n{{organisation}}\n\n{{contact_details}}",
        ),
        LetterKind::SurveyInvitation => (
            "How did we do? ({{reference}})",
            "Dear {{name}}\n\nWe would like to know how we dealt with {{reference}}. It takes two minutes, and you can answer without signing in:\n\n{{link}}\n\nWe ask separately how you feel about how it was handled and about the outcome, and what we could do better. Your answers help us improve.\n\nYours sincerely\n\n{{signature}}\n{{organisation}}\n\n{{contact_details}}",
        ),
        LetterKind::ImprovementMade => (
            "What changed because of {{reference}}",
            "Dear {{name}}\n\nWhen you contacted us ({{reference}}), you helped us see something we needed to do better. We want you to know what has changed:\n\n{{improvement}}\n\n{{change}}\n\nThank you for taking the time to tell us.\n\nYours sincerely\n\n{{signature}}\n{{organisation}}\n\n{{contact_details}}",
        ),
        LetterKind::ImprovementDeclined => (
            "About the change you suggested ({{reference}})",
            "Dear {{name}}\n\nWhen you contacted us ({{reference}}), your complaint led us to consider this change:\n\n{{improvement}}\n\nWe have decided not to go ahead with it, and want to explain why:\n\n{{change}}\n\nIf you are unhappy with this, please tell us.\n\nYours sincerely\n\n{{signature}}\n{{organisation}}\n\n{{contact_details}}",
        ),
        LetterKind::SignInLink => (
            "Follow {{reference}} online",
            "Dear {{name}}\n\nYou asked for a link to follow {{reference}} online. Open this link to see where it is, add information or ask for a review:\n\n{{link}}\n\nThe link works once and stops working after 7 days. If you did not ask for it, you can ignore this email: nobody can use it without access to your email.\n\n{{organisation}}",
        ),
        LetterKind::ScrutinyLink => (
            "Your Community Call for Scrutiny {{reference}}",
            "Dear {{name}}\n\nThis is the private link to your Community Call for Scrutiny {{reference}}. Use it to finish a saved form, see how many people have signed, follow the team's decision and, if you need to, appeal:\n\n{{link}}\n\nKeep this email: anyone with the link can see your request.\n\n{{organisation}}",
        ),
        LetterKind::ScrutinyAcknowledged => (
            "We have received your Community Call for Scrutiny {{reference}}",
            "Dear {{name}}\n\nThank you for your Community Call for Scrutiny {{reference}}, which we received on {{received}}.\n\nNext we decide how it goes to the Customer Scrutiny Team. Usually the team asks for a petition, so that other residents affected can add their names; sometimes an officer gathers evidence with you; a significant failure goes straight to the team. We will write to you again to tell you which, and what happens then.\n\nYou can follow your request with the private link we gave you, or call or write to us at the details below, quoting {{reference}}.\n\nYours sincerely\n\n{{signature}}\n{{organisation}}\n\n{{contact_details}}",
        ),
        LetterKind::ScrutinyRoute => (
            "What happens next with your Community Call for Scrutiny {{reference}}",
            "Dear {{name}}\n\nWe have decided how your Community Call for Scrutiny {{reference}} goes to the Customer Scrutiny Team.\n\n{{explanation}}\n\nIf you have any questions, call or write to us at the details below, quoting {{reference}}.\n\nYours sincerely\n\n{{signature}}\n{{organisation}}\n\n{{contact_details}}",
        ),
        LetterKind::ScrutinyMeeting => (
            "Your Community Call for Scrutiny {{reference}} goes to the team's meeting",
            "Dear {{name}}\n\n{{explanation}}\n\nWe will write to you with the team's decision and its reasons. If you have any questions, call or write to us at the details below, quoting {{reference}}.\n\nYours sincerely\n\n{{signature}}\n{{organisation}}\n\n{{contact_details}}",
        ),
        LetterKind::ScrutinyDecision => (
            "The Customer Scrutiny Team's decision on {{reference}}",
            "Dear {{name}}\n\nThe Customer Scrutiny Team has considered your Community Call for Scrutiny {{reference}}.\n\nIts decision: {{outcome}}.\n\nIts reasons:\n{{reasons}}\n\n{{explanation}}\n\nIf you are unhappy with this decision you can appeal in writing by {{respond_by}}. An independent panel of Link Group members will look at your request and the team's decision, and its decision is final. You can appeal through your own link, which replaces any link we sent you before:\n{{link}}\n\nOr write to the Customer Empowerment Manager at the address below, quoting {{reference}}.\n\nYours sincerely\n\n{{signature}}\n{{organisation}}\n\n{{contact_details}}",
        ),
        LetterKind::ScrutinyAppealReceived => (
            "We have received your appeal about {{reference}}",
            "Dear {{name}}\n\nThank you for your appeal about the Customer Scrutiny Team's decision on your Community Call for Scrutiny {{reference}}, which we received on {{received}}.\n\nA panel of four to six Link Group members, none of whom took part in the team's decision, will look at your request, the team's decision and what you have told us. The panel's decision is final. We will write to you with it and its reasons.\n\nIf you have anything to add, call or write to the Customer Empowerment Manager at the details below, quoting {{reference}}.\n\nYours sincerely\n\n{{signature}}\n{{organisation}}\n\n{{contact_details}}",
        ),
        LetterKind::ScrutinyOutcome => (
            "What came of your Community Call for Scrutiny {{reference}}",
            "Dear {{name}}\n\n{{explanation}}\n\nWhat came of it:\n{{outcome}}\n\nThank you for raising it. If you have any questions, call or write to us at the details below, quoting {{reference}}.\n\nYours sincerely\n\n{{signature}}\n{{organisation}}\n\n{{contact_details}}",
        ),
        LetterKind::ScrutinyAppealDecision => (
            "The appeal panel's decision on {{reference}}",
            "Dear {{name}}\n\nA panel of Link Group members has considered your appeal about your Community Call for Scrutiny {{reference}}.\n\nIts decision: {{outcome}}.\n\nIts reasons:\n{{reasons}}\n\nThe panel's decision is final.\n\nYours sincerely\n\n{{signature}}\n{{organisation}}\n\n{{contact_details}}",
        ),
        LetterKind::StaffReminder => (
            "{{reference}}: {{outcome}}",
            "{{name}}\n\n{{reference}}: {{outcome}} ({{respond_by}}).\n\n{{organisation}} complaints service",
        ),
        LetterKind::FinalResponse => (
            "Our final response to your complaint {{reference}}",
            "Dear {{name}}\n\nThis is our final response to your complaint {{reference}}, at stage {{stage}} of our complaints procedure.\n\nYour complaint as we understood it:\n{{understanding}}\n\nOur decision on each point:\n{{decisions}}\n\nOverall, your complaint is {{outcome}}.\n\nOur reasons:\n{{reasons}}\n\n{{remedies}}\n\n{{outstanding_actions}}\n\nThis is the end of our complaints procedure. If you are not satisfied, you can ask the {{ombudsman}} to look at your complaint: {{ombudsman_contact}}\n\nYours sincerely\n\n{{signature}}\n{{organisation}}\n\n{{contact_details}}",
        ),
    };
    Template {
        subject: subject.into(),
        body: body.into(),
    }
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
