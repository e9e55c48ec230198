//! Letters and messages (complaints.md §4.3): which letter a change calls for, the words
//! it says, and how it reaches the person — email when that is how they want to hear, a
//! printed letter (large print when asked for) otherwise. Templates are plain text with
//! `{{placeholders}}`; organisations can replace the wording, and every letter is kept on
//! the case exactly as sent.

use crate::calendar::long_date as long;
use crate::case::Contact;
use crate::choice;
use crate::event::{Event, EventKind};
use crate::intake::ContactKind;
use crate::person::{ContactMethod, PreferredFormat};
use crate::scheme::{Ombudsman, Scheme};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

choice!(
    LetterKind, "the letter" {
        Acknowledgement = "acknowledgement": "Acknowledgement",
        EscalationAcknowledgement = "escalation-acknowledgement": "Escalation acknowledgement",
        Extension = "extension": "Extension",
        Decline = "decline": "Decline",
        StageResponse = "stage-response": "Stage response",
                FinalResponse = "final-response": "Final response",
        StaffReminder = "staff-reminder": "Staff reminder",
        ComplimentThanks = "compliment-thanks": "Thanks for a compliment",
        CommentReply = "comment-reply": "Reply to a comment",
        Reclassified = "reclassified": "How a contact is being dealt with",
        SignInLink = "sign-in-link": "Link to follow a case online",
        ImprovementMade = "improvement-made": "A change made because of a complaint",
        SurveyInvitation = "survey-invitation": "Invitation to a satisfaction survey",
        ImprovementDeclined = "improvement-declined": "A suggested change not going ahead",
        ScrutinyLink = "scrutiny-link": "Link to a Community Call for Scrutiny",
        ScrutinyDecision = "scrutiny-decision": "The scrutiny team's decision on a Community Call for Scrutiny",
        ScrutinyAppealDecision = "scrutiny-appeal-decision": "The appeal panel's decision",
    }
);

choice!(
    Delivery, "how it is sent" {
        Email = "email": "Email",
        Post = "post": "Post",
    }
);

/// Wording an organisation can change: a subject line and a body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Template {
    pub subject: String,
    pub body: String,
}

/// A letter ready to be kept and sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Letter {
    pub kind: LetterKind,
    pub delivery: Delivery,
    /// Email address for email; name and address block for post.
    pub recipient: String,
    pub large_print: bool,
    pub subject: String,
    pub body: String,
}

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
            "Dear {{name}}\n\nThank you for your complaint, which we received on {{received}}. Your reference is {{reference}}.\n\nOur understanding of your complaint is:\n{{understanding}}\n\nYou told us you would like:\n{{outcome_wanted}}\n\nIf we have misunderstood anything, please tell us as soon as you can.\n\n{{handler}} is looking into your complaint. We will send you our full response by {{respond_by}}. If we need more time we will tell you why and when you will hear from us.\n\nYours sincerely\n\n{{organisation}}",
        ),
        LetterKind::EscalationAcknowledgement => (
            "Your complaint {{reference}} is now at stage {{stage}}",
            "Dear {{name}}\n\nYou asked us on {{started}} to look at your complaint {{reference}} again. It is now at stage {{stage}} of our complaints procedure and a different person will review it.\n\nOur understanding of what is still unresolved is:\n{{understanding}}\n\nYou told us you would like:\n{{outcome_wanted}}\n\n{{handler}} is reviewing your complaint. We will send you our response by {{respond_by}}.\n\nYours sincerely\n\n{{organisation}}",
        ),
        LetterKind::Extension => (
            "We need more time to respond to your complaint {{reference}}",
            "Dear {{name}}\n\nWe are sorry, but we need more time to respond to your complaint {{reference}}. The reason is:\n{{extension_reason}}\n\nWe will now send you our response by {{respond_by}}.\n\nIf you are unhappy with this, you can contact the {{ombudsman}}: {{ombudsman_contact}}\n\nYours sincerely\n\n{{organisation}}",
        ),
        LetterKind::Decline => (
            "About your complaint {{reference}}",
            "Dear {{name}}\n\nThank you for contacting us. We have carefully considered your complaint {{reference}} and we are not able to take it on through our complaints procedure because: {{decline_reason}}.\n\n{{explanation}}\n\nIf you disagree with this decision you can ask the {{ombudsman}} to look at it: {{ombudsman_contact}}\n\nYours sincerely\n\n{{organisation}}",
        ),
        LetterKind::StageResponse => (
            "Our stage {{stage}} response to your complaint {{reference}}",
            "Dear {{name}}\n\nThis is our stage {{stage}} response to your complaint {{reference}}.\n\nYour complaint as we understood it:\n{{understanding}}\n\nOur decision on each point:\n{{decisions}}\n\nOverall, your complaint is {{outcome}}.\n\nOur reasons:\n{{reasons}}\n\n{{remedies}}\n\n{{outstanding_actions}}\n\nIf you are not satisfied, you can ask us to escalate your complaint to the next stage. You do not need to give a reason: reply to this letter, call us or use our website, quoting {{reference}}.\n\nYours sincerely\n\n{{organisation}}",
        ),
        LetterKind::ComplimentThanks => (
            "Thank you for your compliment {{reference}}",
            "Dear {{name}}\n\nThank you for taking the time to tell us about good service. We have passed your compliment on to the people it is about and to their manager.\n\nYours sincerely\n\n{{organisation}}",
        ),
        LetterKind::CommentReply => (
            "Our reply to your comment {{reference}}",
            "Dear {{name}}\n\nThank you for your comment, which we received on {{received}}:\n{{summary}}\n\n{{reply}}\n\nYours sincerely\n\n{{organisation}}",
        ),
        LetterKind::Reclassified => (
            "How we are dealing with {{reference}}",
            "Dear {{name}}\n\nThank you for contacting us on {{received}}. We are dealing with what you told us as a {{kind}}.\n\n{{explanation}}\n\nIf you are unhappy with how we are dealing with it, you can make a complaint.\n\nYours sincerely\n\n{{organisation}}",
        ),
        LetterKind::SurveyInvitation => (
            "How did we do? ({{reference}})",
            "Dear {{name}}\n\nWe would like to know how we dealt with {{reference}}. It takes two minutes, and you can answer without signing in:\n\n{{link}}\n\nWe ask separately how you feel about how it was handled and about the outcome, and what we could do better. Your answers help us improve.\n\nYours sincerely\n\n{{organisation}}",
        ),
        LetterKind::ImprovementMade => (
            "What changed because of {{reference}}",
            "Dear {{name}}\n\nWhen you contacted us ({{reference}}), you helped us see something we needed to do better. We want you to know what has changed:\n\n{{improvement}}\n\n{{change}}\n\nThank you for taking the time to tell us.\n\nYours sincerely\n\n{{organisation}}",
        ),
        LetterKind::ImprovementDeclined => (
            "About the change you suggested ({{reference}})",
            "Dear {{name}}\n\nWhen you contacted us ({{reference}}), your complaint led us to consider this change:\n\n{{improvement}}\n\nWe have decided not to go ahead with it, and want to explain why:\n\n{{change}}\n\nIf you are unhappy with this, please tell us.\n\nYours sincerely\n\n{{organisation}}",
        ),
        LetterKind::SignInLink => (
            "Follow {{reference}} online",
            "Dear {{name}}\n\nYou asked for a link to follow {{reference}} online. Open this link to see where it is, add information or ask for a review:\n\n{{link}}\n\nThe link works once and stops working after 7 days. If you did not ask for it, you can ignore this email: nobody can use it without access to your email.\n\n{{organisation}}",
        ),
        LetterKind::ScrutinyLink => (
            "Your Community Call for Scrutiny {{reference}}",
            "Dear {{name}}\n\nThis is the private link to your Community Call for Scrutiny {{reference}}. Use it to finish a saved form, see how many people have signed, follow the team's decision and, if you need to, appeal:\n\n{{link}}\n\nKeep this email: anyone with the link can see your request.\n\n{{organisation}}",
        ),
        LetterKind::ScrutinyDecision => (
            "The Customer Scrutiny Team's decision on {{reference}}",
            "Dear {{name}}\n\nThe Customer Scrutiny Team has considered your Community Call for Scrutiny {{reference}}.\n\nIts decision: {{outcome}}.\n\nIts reasons:\n{{reasons}}\n\n{{explanation}}\n\nIf you are unhappy with this decision you can appeal in writing by {{respond_by}}. An independent panel of Link Group members will look at your request and the team's decision, and its decision is final. You can appeal through your link:\n{{link}}\n\nYours sincerely\n\n{{organisation}}",
        ),
        LetterKind::ScrutinyAppealDecision => (
            "The appeal panel's decision on {{reference}}",
            "Dear {{name}}\n\nA panel of Link Group members has considered your appeal about your Community Call for Scrutiny {{reference}}.\n\nIts decision: {{outcome}}.\n\nIts reasons:\n{{reasons}}\n\nThe panel's decision is final.\n\nYours sincerely\n\n{{organisation}}",
        ),
        LetterKind::StaffReminder => (
            "{{reference}}: {{outcome}}",
            "{{name}}\n\n{{reference}}: {{outcome}} ({{respond_by}}).\n\n{{organisation}} complaints service",
        ),
        LetterKind::FinalResponse => (
            "Our final response to your complaint {{reference}}",
            "Dear {{name}}\n\nThis is our final response to your complaint {{reference}}, at stage {{stage}} of our complaints procedure.\n\nYour complaint as we understood it:\n{{understanding}}\n\nOur decision on each point:\n{{decisions}}\n\nOverall, your complaint is {{outcome}}.\n\nOur reasons:\n{{reasons}}\n\n{{remedies}}\n\n{{outstanding_actions}}\n\nThis is the end of our complaints procedure. If you are not satisfied, you can ask the {{ombudsman}} to look at your complaint: {{ombudsman_contact}}\n\nYours sincerely\n\n{{organisation}}",
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
];

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

/// The letter, if any, that a change calls for. `template` gives the organisation's
/// wording for a kind (falling back to the default).
pub fn letter_for(
    contact: &Contact,
    event: &Event,
    scheme: &Scheme,
    organisation: &str,
    template: &dyn Fn(LetterKind) -> Template,
) -> Option<Letter> {
    let stage = contact.current();
    let final_stage = usize::from(contact.stage()) >= scheme.stages.len();
    let kind = match (event.kind, contact.detail.kind, stage) {
        (EventKind::PassedOn, ContactKind::Compliment, _) => LetterKind::ComplimentThanks,
        (EventKind::Replied, ContactKind::Comment, _) => LetterKind::CommentReply,
        (EventKind::Reclassified, _, _) => LetterKind::Reclassified,
        (EventKind::ImprovementNews, _, _) => match event.detail["status"].as_str() {
            Some("implemented") => LetterKind::ImprovementMade,
            Some("declined") => LetterKind::ImprovementDeclined,
            _ => return None,
        },
        (_, ContactKind::Complaint, Some(stage)) => match event.kind {
            EventKind::Acknowledged if stage.stage == 1 => LetterKind::Acknowledgement,
            EventKind::Acknowledged => LetterKind::EscalationAcknowledgement,
            EventKind::Extended => LetterKind::Extension,
            EventKind::Declined => LetterKind::Decline,
            EventKind::Responded if final_stage => LetterKind::FinalResponse,
            EventKind::Responded => LetterKind::StageResponse,
            _ => return None,
        },
        _ => return None,
    };
    let (delivery, recipient, large_print) = delivery_for(contact)?;
    let person_name = contact.addressee();
    let ombudsman = scheme.ombudsman.unwrap_or(Ombudsman::Housing);
    let mut v: BTreeMap<&str, String> = BTreeMap::new();
    v.insert("name", person_name);
    v.insert("reference", contact.reference.to_string());
    v.insert("received", long(contact.received_on));
    v.insert("kind", contact.detail.kind.label().to_lowercase());
    v.insert("summary", contact.detail.summary.to_string());
    v.insert(
        "reply",
        contact
            .case
            .reply
            .as_ref()
            .map(|r| r.text.clone())
            .unwrap_or_default(),
    );
    if let Some(explanation) = event.detail.get("explanation").and_then(|e| e.as_str()) {
        v.insert("explanation", explanation.to_string());
    }
    if let Some(stage) = stage {
        v.insert("started", long(stage.started_on));
        v.insert("stage", stage.stage.to_string());
        v.insert(
            "understanding",
            stage
                .understanding
                .clone()
                .unwrap_or_else(|| contact.detail.summary.to_string()),
        );
        v.insert(
            "outcome_wanted",
            stage
                .outcome_wanted
                .clone()
                .or_else(|| {
                    contact
                        .detail
                        .outcome_wanted
                        .as_ref()
                        .map(|t| t.to_string())
                })
                .unwrap_or_default(),
        );
        v.insert(
            "handler",
            stage
                .handler
                .as_ref()
                .map(|h| h.name.clone())
                .unwrap_or_else(|| "Our complaints team".into()),
        );
        v.insert("respond_by", long(stage.respond_by));
        v.insert(
            "extension_reason",
            stage
                .extensions
                .last()
                .map(|x| x.reason.clone())
                .unwrap_or_default(),
        );
    }

    if let Some(d) = &contact.case.decline {
        v.insert("decline_reason", d.reason.label().to_lowercase());
        v.insert("explanation", d.explanation.clone());
    }
    if let Some(r) = stage.and_then(|s| s.response.as_ref()) {
        let decisions: Vec<String> = r
            .points
            .iter()
            .map(|p| {
                format!(
                    "- {}: {}",
                    p.point,
                    if p.upheld { "upheld" } else { "not upheld" }
                )
            })
            .collect();
        v.insert("decisions", decisions.join("\n"));
        v.insert("outcome", r.outcome.label().to_lowercase());
        v.insert("reasons", r.reasons.clone());
        v.insert(
            "outstanding_actions",
            r.outstanding_actions
                .as_ref()
                .map(|a| format!("What we will still do:\n{a}"))
                .unwrap_or_default(),
        );
    }
    let remedies: Vec<String> = contact
        .case
        .remedies
        .iter()
        .map(|r| {
            let money = r
                .payment
                .as_ref()
                .map(|p| format!(" ({} {})", p.amount, p.kind.label().to_lowercase()))
                .unwrap_or_default();
            format!("- {}{money}, by {}", r.description, long(r.due))
        })
        .collect();
    if !remedies.is_empty() {
        v.insert(
            "remedies",
            format!("To put things right we will:\n{}", remedies.join("\n")),
        );
    }
    v.insert("ombudsman", ombudsman.name().to_string());
    v.insert(
        "ombudsman_contact",
        ombudsman_contact(ombudsman).to_string(),
    );
    v.insert("organisation", organisation.to_string());
    if event.kind == EventKind::ImprovementNews {
        let text = |k: &str| event.detail[k].as_str().unwrap_or_default().to_string();
        v.insert("improvement", text("title"));
        v.insert("change", text("words"));
    }
    let t = template(kind);
    Some(Letter {
        kind,
        delivery,
        recipient,
        large_print,
        subject: fill(&t.subject, &v),
        body: fill(&t.body, &v),
    })
}

/// Email when the person wants email (or gave only an email address), post otherwise;
/// a representative acting for them receives the correspondence. `None` when there is
/// nobody to write to (anonymous contacts).
pub fn delivery_for(contact: &Contact) -> Option<(Delivery, String, bool)> {
    let person = contact.detail.person.as_ref();
    let needs = person.map(|p| &p.needs);
    let large_print = needs.and_then(|n| n.preferred_format) == Some(PreferredFormat::LargePrint);
    if let Some(email) = contact
        .detail
        .representative
        .as_ref()
        .and_then(|r| r.email.as_ref())
    {
        return Some((Delivery::Email, email.clone(), large_print));
    }
    let person = person?;
    let wants_post = matches!(
        person.needs.preferred_contact,
        Some(ContactMethod::Letter | ContactMethod::InPerson)
    ) || matches!(
        person.needs.preferred_format,
        Some(
            PreferredFormat::LargePrint
                | PreferredFormat::Braille
                | PreferredFormat::Audio
                | PreferredFormat::EasyRead
        )
    );
    match (&person.email, wants_post) {
        (Some(email), false) => Some((Delivery::Email, email.clone(), large_print)),
        _ => {
            let address = [
                Some(person.name.to_string()),
                person.address.as_ref().map(|a| a.to_string()),
                person.postcode.clone(),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join("\n");
            Some((Delivery::Post, address, large_print))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    fn complaint(preferred_contact: &str, format: &str) -> (Contact, Scheme) {
        use crate::calendar::{Division, WorkingCalendar};
        use crate::case::{Command, Context};
        use crate::event::Actor;
        use crate::intake::{ContactInput, Reference, Source};
        use jiff::civil::date;
        let scheme =
            Scheme::find_built_in("hos-2024").unwrap_or_else(|_| Scheme::built_in().remove(0));
        let cal = WorkingCalendar::standard(Division::EnglandAndWales);
        let input = ContactInput {
            kind: "complaint".into(),
            channel: "phone".into(),
            who: "myself".into(),
            name: "Aled Jones".into(),
            email: "aled@example.org".into(),
            address: "1 High Street, Cardiff".into(),
            postcode: "CF10 1AA".into(),
            summary: "Nobody came to fix the leak".into(),
            preferred_contact: preferred_contact.into(),
            preferred_format: format.into(),
            received_date: "2025-03-03".into(),
            ..Default::default()
        };
        let now: jiff::Timestamp = "2025-06-30T12:00:00Z"
            .parse()
            .unwrap_or(jiff::Timestamp::UNIX_EPOCH);
        let made = input
            .parse(Source::Staff, now)
            .map_err(|e| e.to_string())
            .and_then(|d| {
                Contact::receive(
                    "c".into(),
                    Reference::new(ContactKind::Complaint, 2025, 1),
                    d,
                    &scheme,
                    &cal,
                    Actor::system(),
                )
                .map_err(|e| e.to_string())
            });
        let Ok((mut c, _)) = made else {
            unreachable!("fixture")
        };
        let ctx = Context {
            scheme: &scheme,
            calendar: &cal,
            actor: Actor::system(),
            at: now,
            today: date(2025, 6, 30),
        };
        let ack = Command::Acknowledge {
            on: date(2025, 3, 4),
            understanding: "Repairs were missed".into(),
            outcome_wanted: "A repair".into(),
        };
        assert!(c.apply(ack, &ctx).is_ok());
        (c, scheme)
    }

    fn acknowledged_event() -> Event {
        Event {
            kind: EventKind::Acknowledged,
            at: jiff::Timestamp::UNIX_EPOCH,
            actor: crate::event::Actor::system(),
            summary: String::new(),
            detail: serde_json::Value::Null,
        }
    }

    #[test]
    fn an_acknowledgement_by_email_says_what_was_understood_and_when() {
        let (c, scheme) = complaint("email", "");
        let letter = letter_for(
            &c,
            &acknowledged_event(),
            &scheme,
            "Demo Homes",
            &default_template,
        );
        let Some(letter) = letter else {
            unreachable!("a letter is due")
        };
        assert_eq!(
            (letter.kind, letter.delivery, letter.recipient.as_str()),
            (
                LetterKind::Acknowledgement,
                Delivery::Email,
                "aled@example.org"
            )
        );
        assert_eq!(
            letter.subject,
            "We have received your complaint CMP-2025-000001"
        );
        assert!(letter.body.starts_with("Dear Aled Jones"));
        assert!(letter.body.contains("Repairs were missed"));
        assert!(letter.body.contains("by 18 March 2025"), "{}", letter.body);
        assert!(!letter.body.contains("{{"));
    }

    #[test]
    fn large_print_and_letter_preferences_mean_post() {
        let (c, scheme) = complaint("email", "large-print");
        let letter = letter_for(
            &c,
            &acknowledged_event(),
            &scheme,
            "Demo Homes",
            &default_template,
        );
        assert!(letter.as_ref().is_some_and(|l| l.delivery == Delivery::Post
            && l.large_print
            && l.recipient.contains("CF10 1AA")));
        let (c, scheme) = complaint("letter", "");
        let letter = letter_for(
            &c,
            &acknowledged_event(),
            &scheme,
            "Demo Homes",
            &default_template,
        );
        assert!(letter.is_some_and(|l| l.delivery == Delivery::Post && !l.large_print));
    }

    #[test]
    fn comment_replies_and_compliment_thanks_are_sent() {
        use crate::calendar::{Division, WorkingCalendar};
        use crate::case::{Command, Context};
        use crate::event::Actor;
        use crate::intake::{ContactInput, Reference, Source};
        use jiff::civil::date;
        let scheme =
            Scheme::find_built_in("hos-2024").unwrap_or_else(|_| Scheme::built_in().remove(0));
        let cal = WorkingCalendar::standard(Division::EnglandAndWales);
        let now: jiff::Timestamp = "2025-06-30T12:00:00Z"
            .parse()
            .unwrap_or(jiff::Timestamp::UNIX_EPOCH);
        let ctx = Context {
            scheme: &scheme,
            calendar: &cal,
            actor: Actor::system(),
            at: now,
            today: date(2025, 6, 30),
        };
        let make = |kind: &str| {
            let input = ContactInput {
                kind: kind.into(),
                channel: "email".into(),
                who: "myself".into(),
                name: "Carys Price".into(),
                email: "carys@example.org".into(),
                summary: "Please post the grass cutting dates".into(),
                wants_reply: "yes".into(),
                received_date: "2025-03-03".into(),
                ..Default::default()
            };
            let d = input.parse(Source::Staff, now).map_err(|e| e.to_string());
            d.and_then(|d| {
                Contact::receive(
                    "c".into(),
                    Reference::new(ContactKind::Comment, 2025, 1),
                    d,
                    &scheme,
                    &cal,
                    Actor::system(),
                )
                .map_err(|e| e.to_string())
            })
        };
        let Ok((mut comment, _)) = make("comment") else {
            unreachable!("fixture")
        };
        let events = comment.apply(
            Command::ReplyToComment {
                on: date(2025, 3, 5),
                text: "We will put them in the lobby.".into(),
            },
            &ctx,
        );
        let letter = events
            .ok()
            .and_then(|e| letter_for(&comment, &e[0], &scheme, "Demo Homes", &default_template));
        assert!(letter.is_some_and(|l| l.kind == LetterKind::CommentReply
            && l.body.contains("We will put them in the lobby.")
            && l.body.contains("grass cutting")));
        let Ok((mut compliment, _)) = make("compliment") else {
            unreachable!("fixture")
        };
        let events = compliment.apply(
            Command::PassOn {
                on: date(2025, 3, 5),
                to: "Huw".into(),
                manager: "Gareth".into(),
            },
            &ctx,
        );
        let letter = events
            .ok()
            .and_then(|e| letter_for(&compliment, &e[0], &scheme, "Demo Homes", &default_template));
        assert!(letter.is_some_and(
            |l| l.kind == LetterKind::ComplimentThanks && l.delivery == Delivery::Email
        ));
    }
}
