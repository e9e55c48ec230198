//! What happened to a contact, in order. The case history and the audit trail are these.

use crate::choice;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

choice!(
    EventKind, "an event" {
        Received = "received": "Received",
        Assigned = "assigned": "Assigned",
        Acknowledged = "acknowledged": "Acknowledged",
        Extended = "extended": "Response date extended",
        Paused = "paused": "Paused",
        Resumed = "resumed": "Resumed",
        Responded = "responded": "Response sent",
        Escalated = "escalated": "Escalated",
        EscalationRefused = "escalation-refused": "Escalation refused",
        Withdrawn = "withdrawn": "Withdrawn",
        TimeLimitOverridden = "time-limit-overridden": "Accepted outside the time limit",
        Declined = "declined": "Not taken on",
        Closed = "closed": "Closed",
        NoteAdded = "note-added": "Note",
        Routed = "routed": "Passed to a service",
        Reclassified = "reclassified": "Reclassified",
        Linked = "linked": "Linked",
        AttachmentAdded = "attachment-added": "File added",
        PassedOn = "passed-on": "Compliment passed on",
        Replied = "replied": "Reply sent",
        RemedyAdded = "remedy-added": "Remedy agreed",
        RemedyUpdated = "remedy-updated": "Remedy update",
        RemedyDone = "remedy-done": "Remedy delivered",
        PaymentApproved = "payment-approved": "Payment approved",
        PaymentMade = "payment-made": "Payment made",
        Referred = "referred": "Referred to the ombudsman",
        Determined = "determined": "Ombudsman determination",
        OrderAdded = "order-added": "Ombudsman order",
        OrderComplied = "order-complied": "Ombudsman order complied with",
        AuthorityRecorded = "authority-recorded": "Representative's authority recorded",
        LearningRecorded = "learning-recorded": "Root cause and lessons recorded",
        SurveyAnswered = "survey-answered": "Satisfaction survey answered",
        ImprovementNews = "improvement-news": "Service improvement",
        Redacted = "redacted": "Redacted",
        Erased = "erased": "Personal data erased",
        Corrected = "corrected": "Details corrected",
        SafeguardingReviewed = "safeguarding-reviewed": "Safeguarding reviewed",
        TenantsPanelAsked = "tenants-panel-asked": "Tenants Panel asked to look at the response",
        TenantsPanelInput = "tenants-panel-input": "Tenants Panel's input",
        FollowedUp = "followed-up": "Survey answer followed up",
        LetterEdited = "letter-edited": "Letter edited",
        LetterApproved = "letter-approved": "Letter approved",
        LetterReleased = "letter-released": "Letter sent",
        LetterDiscarded = "letter-discarded": "Letter not sent",
        SuggestionDismissed = "suggestion-dismissed": "Not a complaint",
        HazardConfirmed = "hazard-confirmed": "Hazard confirmed",
        HazardDismissed = "hazard-dismissed": "Possible hazard set aside",
        HazardStep = "hazard-step": "Hazard step recorded",
        EmailReceived = "email-received": "Email received",
        EmailsRead = "emails-read": "Emails read",
        TreatedAsNew = "treated-as-new": "Not a repeat: a new matter",
    }
);

/// Who made a change: a member of staff, the person themselves through the public pages,
/// or the system (imports, scheduled jobs, demo data).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub user_id: Option<String>,
    pub name: String,
}

impl Actor {
    pub fn public() -> Actor {
        Actor {
            user_id: None,
            name: "Online form".into(),
        }
    }

    pub fn system() -> Actor {
        Actor {
            user_id: None,
            name: "Redress".into(),
        }
    }

    pub fn staff(user_id: &str, name: &str) -> Actor {
        Actor {
            user_id: Some(user_id.into()),
            name: name.into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    pub kind: EventKind,
    pub at: Timestamp,
    pub actor: Actor,
    /// One line for the history, written for people.
    pub summary: String,
    /// The facts of the change, for audit and export.
    pub detail: serde_json::Value,
}
