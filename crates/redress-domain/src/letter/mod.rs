//! Letters and messages (complaints.md §4.3): which letter a change calls for, the words
//! it says, and how it reaches the person — email when that is how they want to hear, a
//! printed letter (large print when asked for) otherwise. Templates are plain text with
//! `{{placeholders}}`; organisations can replace the wording, and every letter is kept on
//! the case exactly as sent.
//!
//! The kinds and the letter itself are here; the default wording and filling it in are in
//! `templates`, which letter a change calls for in `compose`, and how it is sent in
//! `delivery`.

mod compose;
#[cfg(test)]
mod compose_in_welsh;
mod delivery;
mod shipped;
mod templates;
#[cfg(test)]
mod test_support;
pub mod welsh;
mod writing;

pub use compose::{contact_placeholders, letter_for};
pub use delivery::{conversion_needed, delivery_for};
pub use templates::{
    PLACEHOLDERS, body_html, check_template, default_template, fill, ombudsman_contact, unfilled,
};
pub use welsh::default_welsh_template;
pub use writing::{BETWEEN_LANGUAGES, WELSH_WORDING_MISSING, Writing, Written, html_in, write};

/// The wording Redress ships with in a language: every kind in English, and in Welsh
/// those written to residents.
pub fn built_in_wording(kind: LetterKind, language: crate::language::Language) -> Option<Template> {
    match language {
        crate::language::Language::English => Some(default_template(kind)),
        crate::language::Language::Welsh => default_welsh_template(kind),
    }
}

use crate::choice;
use serde::{Deserialize, Serialize};

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
        ScrutinyAcknowledged = "scrutiny-acknowledged": "Acknowledgement of a Community Call for Scrutiny",
        ScrutinyRoute = "scrutiny-route": "How a Community Call for Scrutiny goes to the team",
        ScrutinyMeeting = "scrutiny-meeting": "The meeting that will consider a Community Call for Scrutiny",
        ScrutinyDecision = "scrutiny-decision": "The scrutiny team's decision on a Community Call for Scrutiny",
        ScrutinyAppealReceived = "scrutiny-appeal-received": "Acknowledgement of an appeal about a Community Call for Scrutiny",
        ScrutinyAppealDecision = "scrutiny-appeal-decision": "The appeal panel's decision",
        ScrutinyOutcome = "scrutiny-outcome": "What came of a referral or a serious failure's recommendations",
        Paused = "paused": "A complaint waiting for another procedure",
        Resumed = "resumed": "A complaint no longer waiting for another procedure",
        ComplimentPassedOn = "compliment-passed-on": "A compliment passed on to a colleague",
        SafeguardingAlert = "safeguarding-alert": "A safeguarding concern, to the safeguarding leads",
        HazardReferral = "hazard-referral": "A hazard in a home, to the repairs service",
        AuthorityNeeded = "authority-needed": "What a representative must send before following a case",
        EmailReceipt = "email-receipt": "Receipt for an email",
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
    /// Held as a draft for staff to check before it goes: the user whose step wrote it.
    /// `None` sends it at once.
    pub draft_by: Option<String>,
    /// The format or language it must be transcribed or translated into before it goes
    /// (Braille, audio, easy read, Polish), and the date that must be done by.
    pub convert: Option<(String, jiff::civil::Date)>,
    /// The language it is written in (the first, when it is in both).
    pub language: crate::language::Language,
}

impl LetterKind {
    /// Whether the letter is written to the resident (or whoever acts for them), so their
    /// own view of the case may show it. Emails to staff and sign-in links are not.
    pub fn to_resident(self) -> bool {
        !matches!(
            self,
            LetterKind::StaffReminder
                | LetterKind::SignInLink
                | LetterKind::ComplimentPassedOn
                | LetterKind::SafeguardingAlert
                | LetterKind::HazardReferral
                | LetterKind::ScrutinyLink
        )
    }
}

/// Who signs a letter: a name and job title.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signatory {
    pub name: String,
    pub job_title: String,
}

/// Who a letter is from: the organisation, how to reach it, and who signs each kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sender {
    pub organisation: String,
    /// Phone, email and postal address, as the organisation words them.
    pub contact_details: String,
    /// Each way of reaching the organisation, for wording that places them itself.
    pub reach: crate::reach::Reach,
    /// Who signs letters of a kind; the entry with no kind signs every other kind.
    pub signatories: Vec<(Option<LetterKind>, Signatory)>,
    /// Letters to people who have not said which language they want are in Welsh and
    /// English, Welsh first.
    pub welsh_first: bool,
}

impl Sender {
    /// An organisation with no signatory or contact details set.
    pub fn named(organisation: &str) -> Sender {
        Sender {
            organisation: organisation.to_string(),
            ..Sender::default()
        }
    }

    /// Who signs a letter of this kind: its own signatory, or the default one.
    pub fn signatory(&self, kind: LetterKind) -> Option<&Signatory> {
        self.signatories
            .iter()
            .find(|(k, _)| *k == Some(kind))
            .or_else(|| self.signatories.iter().find(|(k, _)| k.is_none()))
            .map(|(_, s)| s)
    }
}

/// The paths of links that open something for the resident alone: a case, a survey, a
/// call for scrutiny, a posted code.
const PRIVATE_LINKS: &[&str] = &["/track/link/", "/survey/", "/scrutiny/r/", "/c/"];

/// Whether a letter's words hold a link that opens something for the resident alone.
pub fn has_private_link(body: &str) -> bool {
    body.split_whitespace()
        .any(|w| PRIVATE_LINKS.iter().any(|p| w.contains(p)))
}

/// A letter's words as staff read an emailed copy: the resident's private links replaced,
/// so a copy on screen is never a key to their case. (A posted letter keeps its code: staff
/// print it.)
pub fn for_staff(body: &str) -> String {
    body.lines()
        .map(|line| {
            let words: Vec<&str> = line.split(' ').collect();
            let mut out = Vec::with_capacity(words.len());
            let mut i = 0;
            while let Some(w) = words.get(i) {
                if PRIVATE_LINKS.iter().any(|p| w.contains(p)) {
                    out.push("[the resident's private link]");
                } else if i >= 2
                    && ((*w == "code" && words[i - 2] == "type" && words[i - 1] == "the")
                        || (*w == "cod" && words[i - 2] == "theipiwch" && words[i - 1] == "y"))
                {
                    // A short code to type is a key like a link: its two groups of four go.
                    out.push(if *w == "cod" {
                        "cod [the resident's code]"
                    } else {
                        "code [the resident's code]"
                    });
                    i += 3;
                    continue;
                } else {
                    out.push(w);
                }
                i += 1;
            }
            out.join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod private_link_tests {
    use super::*;

    #[test]
    fn staff_copies_never_carry_the_residents_codes() {
        let body =
            "Or go to https://x.test/scrutiny/code and type the code ABCD 2345. It works once.";
        let copy = for_staff(body);
        assert!(!copy.contains("ABCD") && !copy.contains("2345"), "{copy}");
        assert!(
            copy.contains("type the code [the resident's code] It works once."),
            "{copy}"
        );
        let welsh = "Neu ewch i https://x.test/scrutiny/code a theipiwch y cod ABCD 2345. Mae'r cod yn gweithio unwaith.";
        let copy = for_staff(welsh);
        assert!(!copy.contains("ABCD") && !copy.contains("2345"), "{copy}");
    }

    #[test]
    fn staff_copies_never_carry_the_residents_links() {
        let body = "Dear Aled\n\nOpen https://x.test/track/link/abc123 to follow it.\nhttps://x.test/survey/ABCD2345";
        assert!(has_private_link(body));
        let copy = for_staff(body);
        assert!(
            !copy.contains("abc123") && !copy.contains("ABCD2345"),
            "{copy}"
        );
        assert!(copy.contains("Open [the resident's private link] to follow it."));
        assert!(!has_private_link("Dear Aled, see https://x.test/about"));
    }
}
