//! The things staff do to a case, each as a small form: assign, acknowledge, extend, pause,
//! respond, escalate, close and the rest. Each form parses into one domain `Command`; the
//! domain decides; a refusal comes back as a message beside the field it concerns.

use crate::html::FormState;
use crate::session::{Staff, same_origin};
use crate::{AppState, Layout, error_page, render};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::civil::Date;
use redress_app::AppError;
use redress_app::access::Principal;
use redress_app::auth::Signed;
use redress_domain::FieldErrors;
use redress_domain::case::CommandKind;
use redress_domain::case::{
    Assignee, Command, CommentOutcome, DeclineReason, LinkRelation, NoteKind, PointDecision,
};
use redress_domain::contact::{Contact, ContactKind};
use redress_domain::contact::{OtherRoute, Reference};
use redress_domain::organisation::ServiceArea;
use redress_domain::remedy::{Determination, PaymentKind, Pence, RemedyKind};
use redress_domain::restriction::{Restriction, RestrictionKind};
use redress_domain::role::Permission;
use redress_domain::scheme::Ombudsman;

/// How many points of complaint the response form offers.
const POINTS: usize = 6;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    AssignOfficer,
    AssignHandler,
    Acknowledge,
    Extend,
    Pause,
    Resume,
    Respond,
    Escalate,
    RefuseEscalation,
    Withdraw,
    Close,
    AcceptLate,
    Decline,
    AddFile,
    Restrict,
    Reclassify,
    Link,
    RaiseComplaint,
    Route,
    PassOn,
    ReplyToComment,
    DecideComment,
    AddNote,
    AddRemedy,
    NoteRemedy,
    CompleteRemedy,
    ApprovePayment,
    RecordPayment,
    Refer,
    Determination,
    AddOrder,
    ComplyOrder,
    RecordAuthority,
    RecordLearning,
    RedactNote,
    RemoveFile,
    Erase,
}

impl Action {
    const ALL: [Action; 37] = [
        Action::AssignOfficer,
        Action::AssignHandler,
        Action::Acknowledge,
        Action::Extend,
        Action::Pause,
        Action::Resume,
        Action::Respond,
        Action::Escalate,
        Action::RefuseEscalation,
        Action::Withdraw,
        Action::Close,
        Action::AcceptLate,
        Action::Decline,
        Action::AddFile,
        Action::Restrict,
        Action::Reclassify,
        Action::Link,
        Action::RaiseComplaint,
        Action::Route,
        Action::PassOn,
        Action::ReplyToComment,
        Action::DecideComment,
        Action::AddNote,
        Action::AddRemedy,
        Action::NoteRemedy,
        Action::CompleteRemedy,
        Action::ApprovePayment,
        Action::RecordPayment,
        Action::Refer,
        Action::Determination,
        Action::AddOrder,
        Action::ComplyOrder,
        Action::RecordAuthority,
        Action::RecordLearning,
        Action::RedactNote,
        Action::RemoveFile,
        Action::Erase,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Action::AssignOfficer => "assign-officer",
            Action::AssignHandler => "assign-case-worker",
            Action::Acknowledge => "acknowledge",
            Action::Extend => "extend",
            Action::Pause => "pause",
            Action::Resume => "resume",
            Action::Respond => "respond",
            Action::Escalate => "escalate",
            Action::RefuseEscalation => "refuse-escalation",
            Action::Withdraw => "withdraw",
            Action::Close => "close",
            Action::AcceptLate => "accept-late",
            Action::Decline => "decline",
            Action::AddFile => "add-file",
            Action::Restrict => "restrict-contact",
            Action::Reclassify => "reclassify",
            Action::Link => "link",
            Action::RaiseComplaint => "raise-complaint",
            Action::Route => "pass-to-service",
            Action::PassOn => "pass-on-compliment",
            Action::ReplyToComment => "reply",
            Action::DecideComment => "comment-outcome",
            Action::AddNote => "add-note",
            Action::AddRemedy => "add-remedy",
            Action::NoteRemedy => "update-remedy",
            Action::CompleteRemedy => "complete-remedy",
            Action::ApprovePayment => "approve-payment",
            Action::RecordPayment => "record-payment",
            Action::Refer => "refer-to-ombudsman",
            Action::Determination => "record-determination",
            Action::AddOrder => "add-order",
            Action::ComplyOrder => "comply-with-order",
            Action::RecordAuthority => "record-authority",
            Action::RecordLearning => "record-learning",
            Action::RedactNote => "redact-note",
            Action::RemoveFile => "remove-file",
            Action::Erase => "erase-personal-data",
        }
    }

    pub fn slugs() -> Vec<&'static str> {
        Action::ALL.iter().map(|a| a.slug()).collect()
    }

    fn from_slug(slug: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.slug() == slug)
    }

    pub fn title_for(slug: &str) -> Option<&'static str> {
        Action::from_slug(slug).map(Action::title)
    }

    /// The words on the case page link and as the form's heading.
    pub fn title(self) -> &'static str {
        match self {
            Action::AssignOfficer => "Assign a complaints officer",
            Action::AssignHandler => "Assign a case worker",
            Action::Acknowledge => "Acknowledge the complaint",
            Action::Extend => "Extend the response date",
            Action::Pause => "Pause for another procedure",
            Action::Resume => "Resume after the pause",
            Action::Respond => "Record the response",
            Action::Escalate => "Escalate to the next stage",
            Action::RefuseEscalation => "Refuse escalation",
            Action::Withdraw => "Record a withdrawal",
            Action::Close => "Close the case",
            Action::AcceptLate => "Accept outside the time limit",
            Action::Decline => "Decline the complaint",
            Action::AddFile => "Add a file",
            Action::Restrict => "Record a contact restriction",
            Action::Reclassify => "Reclassify",
            Action::Link => "Link to another case",
            Action::RaiseComplaint => "Raise a complaint about this request",
            Action::Route => "Pass to a service area",
            Action::PassOn => "Pass the compliment on",
            Action::ReplyToComment => "Record the reply",
            Action::DecideComment => "Record what happened to the comment",
            Action::AddNote => "Add a note or contact record",
            Action::AddRemedy => "Add a remedy",
            Action::NoteRemedy => "Add an update to a remedy",
            Action::CompleteRemedy => "Record a remedy as delivered",
            Action::ApprovePayment => "Approve a payment",
            Action::RecordPayment => "Record a payment as made",
            Action::Refer => "Record a referral to the ombudsman",
            Action::Determination => "Record the ombudsman's determination",
            Action::AddOrder => "Add an ombudsman order",
            Action::ComplyOrder => "Record compliance with an order",
            Action::RecordAuthority => "Record the representative's authority",
            Action::RecordLearning => "Record the root cause and lessons",
            Action::RedactNote => "Redact a note",
            Action::RemoveFile => "Remove a file",
            Action::Erase => "Erase personal data",
        }
    }

    fn intro(self) -> &'static str {
        match self {
            Action::Acknowledge => {
                "Set out your understanding of the complaint and the outcome the resident wants, in their words where you can."
            }
            Action::Extend => {
                "Agree the new date before the current one passes, tell the resident why, and give them the Ombudsman's details."
            }
            Action::Pause => {
                "Use this when the response must wait for another procedure, such as a disciplinary investigation. The clock keeps running; keep the resident informed."
            }
            Action::Respond => {
                "Give a decision on every point the resident raised. The overall outcome follows from the decisions."
            }
            Action::Escalate => {
                "A resident does not need to give a reason to escalate. Record what they say is still unresolved, if they told you."
            }
            Action::RefuseEscalation => {
                "Escalation should only be refused for a reason you can defend, such as the unacceptable behaviour policy. The resident will be told they can go to the Ombudsman."
            }
            Action::Decline => {
                "A complaint is taken on unless there is a valid reason not to. The resident will be told why and that they can ask the Ombudsman to look at the decision."
            }
            Action::AcceptLate => {
                "Record why the complaint is being considered even though it was made after the time limit."
            }
            Action::AddRemedy => {
                "Every remedy has an owner and a due date and is followed through. Compensation must not be offset against rent arrears."
            }
            Action::CompleteRemedy => {
                "If a remedy cannot be delivered, add an update saying why and what is offered instead."
            }
            Action::RecordLearning => {
                "Why did this happen, and what should change? Root causes are counted in the reports; lessons can become a service improvement."
            }
            Action::RecordAuthority => {
                "A representative can follow the case online only once their authority to act is recorded."
            }
            Action::RedactNote => {
                "Use this for words that should never have been recorded, such as someone else's personal details. The note's words are replaced everywhere in the history; that a note was made, when and by whom stays."
            }
            Action::RemoveFile => {
                "The file is deleted for good. The history keeps that a file was added and removed, and why."
            }
            Action::Erase => {
                "This removes the resident's name, contact details, needs, everything they and staff wrote, letters and files from this case, for good. Dates, stages, outcomes and remedy amounts stay so the figures still add up. Use it for an erasure request or when the case must not be kept."
            }
            _ => "",
        }
    }

    /// The domain command the action sends, for those that send one.
    fn command_kind(self) -> Option<CommandKind> {
        use CommandKind as K;
        Some(match self {
            Action::AssignOfficer => K::AssignOfficer,
            Action::AssignHandler => K::AssignHandler,
            Action::Acknowledge => K::Acknowledge,
            Action::Extend => K::Extend,
            Action::Pause => K::Pause,
            Action::Resume => K::Resume,
            Action::Respond => K::Respond,
            Action::Escalate => K::Escalate,
            Action::RefuseEscalation => K::RefuseEscalation,
            Action::Withdraw => K::Withdraw,
            Action::Close => K::Close,
            Action::AcceptLate => K::OverrideTimeLimit,
            Action::Decline => K::Decline,
            Action::AddNote => K::AddNote,
            Action::AddFile => K::AddAttachment,
            Action::Reclassify => K::Reclassify,
            Action::Link => K::Link,
            Action::Route => K::SetServiceArea,
            Action::PassOn => K::PassOn,
            Action::ReplyToComment => K::ReplyToComment,
            Action::DecideComment => K::DecideComment,
            Action::AddRemedy => K::AddRemedy,
            Action::NoteRemedy => K::NoteRemedy,
            Action::CompleteRemedy => K::CompleteRemedy,
            Action::ApprovePayment => K::ApprovePayment,
            Action::RecordPayment => K::RecordPayment,
            Action::Refer => K::ReferToOmbudsman,
            Action::Determination => K::RecordDetermination,
            Action::AddOrder => K::AddOrder,
            Action::ComplyOrder => K::ComplyOrder,
            Action::RecordAuthority => K::RecordAuthority,
            Action::RecordLearning => K::RecordLearning,
            Action::RedactNote => K::RedactNote,
            Action::RemoveFile => K::RedactAttachment,
            Action::Restrict | Action::RaiseComplaint | Action::Erase => return None,
        })
    }

    /// Whether the case accepts the action now: the domain answers, so the menu never
    /// offers what the rules would refuse.
    pub fn offered(self, c: &Contact, scheme: &redress_domain::Scheme) -> bool {
        match self.command_kind() {
            Some(kind) => c.allows(kind, scheme),
            None => match self {
                Action::Restrict => c.detail.person.is_some(),
                Action::RaiseComplaint => c.detail.kind == ContactKind::ServiceRequest,
                _ => c.may_erase(),
            },
        }
    }

    /// Who may take the action: erasing a whole case is for administrators only.
    pub fn allowed(self, role: redress_domain::role::Role) -> bool {
        match self {
            Action::Erase => role.can(Permission::Administer),
            _ => role.can(Permission::HandleCases),
        }
    }

    pub fn offered_for(c: &Contact, scheme: &redress_domain::Scheme) -> Vec<Action> {
        Action::ALL
            .into_iter()
            .filter(|a| a.offered(c, scheme))
            .collect()
    }

    fn button(self) -> &'static str {
        match self {
            Action::RedactNote => "Redact note",
            Action::RemoveFile => "Remove file",
            Action::Erase => "Erase personal data",
            Action::Respond => "Record response",
            Action::Decline => "Decline complaint",
            Action::Close => "Close case",
            _ => "Save",
        }
    }
}

#[derive(Template)]
#[template(path = "action.html")]
struct ActionPage {
    layout: Layout,
    post_to: String,
    enctype: &'static str,
    form: FormState,
    reference: String,
    heading: String,
    intro: String,
    button: String,
    fields: String,
    csrf: String,
    version: i64,
}

fn staff_options(users: &[redress_domain::role::User]) -> crate::forms::Options {
    std::iter::once((String::new(), "Select a person".to_string()))
        .chain(
            users
                .iter()
                .filter(|u| u.active && u.role.can(Permission::HandleCases))
                .map(|u| (u.id.clone(), format!("{} ({})", u.name, u.role.label()))),
        )
        .collect()
}

fn fields_html(
    action: Action,
    form: &FormState,
    users: &[redress_domain::role::User],
    contact: &Contact,
    areas: &[ServiceArea],
) -> String {
    let date =
        |name: &str, label: &str, hint: &str| form.input(name, label, hint, "date", "", "10");
    let area = |name: &str, label: &str, hint: &str| form.textarea(name, label, hint, 4);
    match action {
        Action::AssignOfficer | Action::AssignHandler => [
            form.select("to", "Who", "", &staff_options(users)),
            area(
                "reason",
                "Reason for the change (needed when reassigning)",
                "",
            ),
        ]
        .concat(),
        Action::Acknowledge => [
            date("on", "Date acknowledged", ""),
            area("understanding", "Our understanding of the complaint", ""),
            area("outcome_wanted", "The outcome the resident wants", ""),
        ]
        .concat(),
        Action::Extend => [
            date("on", "Date the extension was agreed", ""),
            date("to", "New response date", ""),
            area(
                "reason",
                "Why more time is needed",
                "This is given to the resident.",
            ),
            date("resident_told_on", "Date the resident was told", ""),
            area(
                "good_reason",
                "Good reason to go beyond the scheme's limit (only if needed)",
                "Extensions beyond the limit are reported as outside the Code.",
            ),
        ]
        .concat(),
        Action::Pause => [
            date("on", "Date paused", ""),
            area("reason", "The other procedure", ""),
        ]
        .concat(),
        Action::Resume => date("on", "Date resumed", ""),
        Action::Respond => {
            let mut html = date("on", "Date the response was sent", "");
            html.push_str("<h2 class=\"heading-m\">Points of complaint</h2><p class=\"hint\">Fill in one row per point the resident raised.</p>");
            for n in 1..=POINTS {
                html.push_str(&form.input(
                    &format!("point_{n}"),
                    &format!("Point {n}"),
                    "",
                    "text",
                    "",
                    "",
                ));
                html.push_str(&form.radios(
                    &format!("upheld_{n}"),
                    &format!("Decision on point {n}"),
                    "",
                    &[
                        ("yes".into(), "Upheld".into()),
                        ("no".into(), "Not upheld".into()),
                    ],
                    true,
                ));
            }
            html.push_str(&area(
                "reasons",
                "Reasons for the decisions",
                "Plain language, addressing every point.",
            ));
            html.push_str(&area(
                "outstanding_actions",
                "Actions still to do, with dates (optional)",
                "",
            ));
            html.push_str(&form.checkbox(
                "early_resolution",
                "Resolved at the first point of contact (early resolution, stage 1 only)",
            ));
            html
        }
        Action::Escalate => [
            date("requested_on", "Date the resident asked to escalate", ""),
            area(
                "reason",
                "What the resident says is still unresolved (optional)",
                "",
            ),
        ]
        .concat(),
        Action::RefuseEscalation => [
            date("on", "Date of the decision", ""),
            area("reason", "Reason for refusing", ""),
        ]
        .concat(),
        Action::Withdraw => [
            date("on", "Date withdrawn", ""),
            area("reason", "What the person said", ""),
        ]
        .concat(),
        Action::Close => date("on", "Date closed", ""),
        Action::AcceptLate => area("reason", "Good reason for the delay", ""),
        Action::Decline => {
            let reasons: crate::forms::Options = DeclineReason::ALL
                .iter()
                .map(|r| (r.as_str().to_string(), r.label().to_string()))
                .collect();
            [
                date("on", "Date of the decision", ""),
                form.radios("reason", "Reason", "", &reasons, false),
                area(
                    "explanation",
                    "Explanation for the resident",
                    "This goes in the decline letter.",
                ),
            ]
            .concat()
        }
        Action::Restrict => {
            let kinds: crate::forms::Options = RestrictionKind::ALL
                .iter()
                .map(|k| (k.as_str().to_string(), k.label().to_string()))
                .collect();
            [
                form.radios("kind", "Restriction", "It limits how we deal with the person, never whether a new complaint is accepted.", &kinds, false),
                area("behaviour", "The behaviour", "Factual: what was said or done, and when."),
                area("details", "What is restricted, and how they can still contact us", ""),
                form.input("decided_by", "Who decided", "", "text", "", ""),
                date("communicated_on", "Date the person was told", ""),
                date("review_on", "Review date", "Restrictions must be proportionate and reviewed, with regard to the Equality Act 2010."),
            ]
            .concat()
        }
        Action::AddFile => [
            form.input(
                "file",
                "File",
                "PDF, Word (.docx), PNG or JPEG image, or plain text; up to 10 MB.",
                "file",
                "",
                "",
            ),
            area(
                "description",
                "What the file is",
                "For example, photographs of the damp in the bedroom",
            ),
        ]
        .concat(),
        Action::Reclassify => {
            let kinds: crate::forms::Options = ContactKind::ALL
                .iter()
                .filter(|k| **k != contact.detail.kind)
                .map(|k| (k.as_str().to_string(), k.label().to_string()))
                .collect();
            let routes = crate::forms::other_routes();
            [
                form.radios(
                    "to",
                    "What is it?",
                    "A complaint's clock runs from when the person first got in touch.",
                    &kinds,
                    false,
                ),
                form.select(
                    "route",
                    "The statutory route (for other routes only)",
                    "",
                    &routes,
                ),
                area(
                    "explanation",
                    "Explanation for the person",
                    "Say why, and for another route, how to use it.",
                ),
            ]
            .concat()
        }
        Action::Link => {
            let relations: crate::forms::Options = [
                LinkRelation::Related,
                LinkRelation::EarlierIssue,
                LinkRelation::DuplicateOf,
                LinkRelation::OtherAgency,
            ]
            .iter()
            .map(|r| (r.as_str().to_string(), r.label().to_string()))
            .collect();
            [
                form.radios("relation", "How are they linked?", "A repeat or duplicate is closed here and handled on the other case; both histories are kept.", &relations, false),
                form.input("reference", "Reference of the other case here", "For example, CMP-2026-000123", "text", "", "20"),
                form.input("agency", "Other agency (for another agency's case)", "", "text", "", ""),
                form.input("their_reference", "Their reference", "", "text", "", "20"),
            ]
            .concat()
        }
        Action::RaiseComplaint => area(
            "summary",
            "What the person is unhappy about",
            "The request carries on; the complaint is recorded and linked to it.",
        ),
        Action::Route => form.select("area", "Service area", "", &areas_options(areas)),
        Action::PassOn => [
            date("on", "Date passed on", ""),
            form.input(
                "to",
                "Who it was passed to",
                "The person or team it praises",
                "text",
                "",
                "",
            ),
            form.input("manager", "Their manager", "", "text", "", ""),
        ]
        .concat(),
        Action::ReplyToComment => {
            [date("on", "Date sent", ""), area("text", "The reply", "")].concat()
        }
        Action::DecideComment => {
            let outcomes: crate::forms::Options = CommentOutcome::ALL
                .iter()
                .map(|o| (o.as_str().to_string(), o.label().to_string()))
                .collect();
            [
                date("on", "Date", ""),
                form.radios("outcome", "Outcome", "", &outcomes, false),
                area("reason", "Reason (needed when it is not taken forward)", ""),
            ]
            .concat()
        }
        Action::AddNote => {
            let kinds: crate::forms::Options = NoteKind::ALL
                .iter()
                .map(|k| (k.as_str().to_string(), k.label().to_string()))
                .collect();
            [
                form.select("kind", "What kind of record", "", &kinds),
                date("on", "Date", ""),
                area("text", "Note", ""),
            ]
            .concat()
        }
        Action::AddRemedy => {
            let kinds = choices(RemedyKind::ALL.iter().map(|k| (k.as_str(), k.label())));
            let payments = std::iter::once((String::new(), "Not a payment".to_string()))
                .chain(
                    PaymentKind::ALL
                        .iter()
                        .map(|k| (k.as_str().to_string(), k.label().to_string())),
                )
                .collect::<Vec<_>>();
            [
                form.select("kind", "Kind of remedy", "", &kinds),
                area("description", "What will be done", ""),
                form.select(
                    "to",
                    "Owner",
                    "The person responsible for delivering it",
                    &staff_options(users),
                ),
                date("due", "Due date", ""),
                form.select(
                    "payment_kind",
                    "Payment type (financial remedies only)",
                    "",
                    &payments,
                ),
                form.input(
                    "amount",
                    "Amount in pounds (financial remedies only)",
                    "For example, 150 or 150.50",
                    "text",
                    "",
                    "10",
                ),
            ]
            .concat()
        }
        Action::NoteRemedy => [
            form.select(
                "remedy",
                "Remedy",
                "",
                &remedy_options(contact, |r| r.done_on.is_none()),
            ),
            date("on", "Date", ""),
            area(
                "text",
                "Update",
                "Include why, if the remedy cannot be delivered, and what is offered instead.",
            ),
        ]
        .concat(),
        Action::CompleteRemedy => [
            form.select(
                "remedy",
                "Remedy",
                "",
                &remedy_options(contact, |r| r.done_on.is_none()),
            ),
            date("on", "Date delivered", ""),
        ]
        .concat(),
        Action::ApprovePayment => [
            form.select(
                "remedy",
                "Payment",
                "",
                &remedy_options(contact, |r| {
                    r.payment.as_ref().is_some_and(|p| p.approved_on.is_none())
                }),
            ),
            date("on", "Date approved", "You are recorded as the approver."),
        ]
        .concat(),
        Action::RecordPayment => [
            form.select(
                "remedy",
                "Payment",
                "",
                &remedy_options(contact, |r| {
                    r.payment
                        .as_ref()
                        .is_some_and(|p| p.approved_on.is_some() && p.paid_on.is_none())
                }),
            ),
            date("on", "Date paid", ""),
        ]
        .concat(),
        Action::Refer => {
            let ombudsmen = choices(Ombudsman::ALL.iter().map(|o| (o.as_str(), o.name())));
            [
                date("on", "Date the ombudsman told us of the complaint", ""),
                form.select("ombudsman", "Ombudsman", "", &ombudsmen),
                form.input(
                    "their_reference",
                    "Their reference (optional)",
                    "",
                    "text",
                    "",
                    "20",
                ),
            ]
            .concat()
        }
        Action::Determination => {
            let determinations: crate::forms::Options = Determination::ALL
                .iter()
                .map(|d| (d.as_str().to_string(), d.label().to_string()))
                .collect();
            [
                date("on", "Date of the determination", ""),
                form.radios("determination", "Determination", "", &determinations, false),
                area("summary", "Summary of the findings", ""),
            ]
            .concat()
        }
        Action::RecordLearning => {
            let causes: crate::forms::Options =
                std::iter::once((String::new(), "Select a root cause".to_string()))
                    .chain(
                        redress_domain::learning::RootCause::ALL
                            .iter()
                            .map(|r| (r.as_str().to_string(), r.label().to_string())),
                    )
                    .collect();
            [
                form.select("root_cause", "Root cause", "", &causes),
                area(
                    "lessons",
                    "What was learned",
                    "What the organisation should do differently, in plain words.",
                ),
            ]
            .concat()
        }
        Action::RecordAuthority => {
            let options: crate::forms::Options = redress_domain::person::Authority::ALL
                .iter()
                .map(|a| (a.as_str().to_string(), a.label().to_string()))
                .collect();
            form.radios("authority", "Authority to act", "", &options, false)
        }
        Action::RedactNote => {
            let notes: crate::forms::Options =
                std::iter::once((String::new(), "Select a note".to_string()))
                    .chain(redactable_notes(contact).map(|(i, n)| {
                        let words: String = n.text.chars().take(60).collect();
                        (
                            i.to_string(),
                            format!("Note {} ({}, {}): {words}", i + 1, n.on, n.kind.label()),
                        )
                    }))
                    .collect();
            [
                form.select("note", "Which note", "", &notes),
                area("reason", "Why it is being redacted", ""),
            ]
            .concat()
        }
        Action::RemoveFile => {
            let files: crate::forms::Options =
                std::iter::once((String::new(), "Select a file".to_string()))
                    .chain(
                        contact
                            .case
                            .attachments
                            .iter()
                            .filter(|a| a.redacted_on.is_none())
                            .map(|a| (a.id.clone(), format!("{}: {}", a.name, a.description))),
                    )
                    .collect();
            [
                form.select("file", "Which file", "", &files),
                area("reason", "Why it is being removed", ""),
            ]
            .concat()
        }
        Action::Erase => area(
            "reason",
            "Why the personal data is being erased",
            "For example: erasure request received on 3 March 2026 and agreed by the data protection officer.",
        ),
        Action::AddOrder => [
            area("description", "What the ombudsman ordered", ""),
            date("due", "Due date", ""),
        ]
        .concat(),
        Action::ComplyOrder => {
            let orders: crate::forms::Options =
                std::iter::once((String::new(), "Select an order".to_string()))
                    .chain(
                        contact
                            .case
                            .referrals
                            .iter()
                            .flat_map(|r| r.orders.iter())
                            .filter(|o| o.complied_on.is_none())
                            .map(|o| {
                                (
                                    o.id.to_string(),
                                    format!("Order {}: {} (due {})", o.id, o.description, o.due),
                                )
                            }),
                    )
                    .collect();
            [
                form.select("order", "Order", "", &orders),
                date("on", "Date complied with", ""),
                area(
                    "evidence",
                    "Evidence of compliance",
                    "What was sent to the ombudsman.",
                ),
            ]
            .concat()
        }
    }
}

fn choices<'a>(items: impl Iterator<Item = (&'a str, &'a str)>) -> crate::forms::Options {
    std::iter::once((String::new(), "Select".to_string()))
        .chain(items.map(|(v, l)| (v.to_string(), l.to_string())))
        .collect()
}

fn remedy_options(
    contact: &Contact,
    keep: impl Fn(&redress_domain::remedy::Remedy) -> bool,
) -> crate::forms::Options {
    std::iter::once((String::new(), "Select a remedy".to_string()))
        .chain(contact.case.remedies.iter().filter(|r| keep(r)).map(|r| {
            let money = r
                .payment
                .as_ref()
                .map(|p| format!(", {}", p.amount))
                .unwrap_or_default();
            (
                r.id.to_string(),
                format!("{}: {}{money} (due {})", r.id, r.kind.label(), r.due),
            )
        }))
        .collect()
}

fn number(form: &FormState, e: &mut FieldErrors, name: &str, what: &str) -> Option<u32> {
    match form.v(name).trim().parse::<u32>() {
        Ok(n) => Some(n),
        Err(_) => {
            e.add(name, format!("Select {what}"));
            None
        }
    }
}

fn parse_date(form: &FormState, e: &mut FieldErrors, name: &str) -> Option<Date> {
    let v = form.v(name).trim();
    if v.is_empty() {
        e.add(name, "Enter a date");
        return None;
    }
    match v.parse::<Date>() {
        Ok(d) => Some(d),
        Err(_) => {
            e.add(name, "Enter a real date, like 2026-03-27");
            None
        }
    }
}

fn text(form: &FormState, name: &str) -> String {
    form.v(name).trim().to_string()
}

fn assignee(
    form: &FormState,
    e: &mut FieldErrors,
    users: &[redress_domain::role::User],
) -> Option<Assignee> {
    let id = form.v("to");
    match users
        .iter()
        .find(|u| u.id == id && u.active && u.role.can(Permission::HandleCases))
    {
        Some(u) => Some(Assignee {
            user_id: u.id.clone(),
            name: u.name.clone(),
        }),
        None => {
            e.add("to", "Select a person from the list");
            None
        }
    }
}

/// The form as a command, or a message per wrong field.
fn command(
    action: Action,
    form: &FormState,
    users: &[redress_domain::role::User],
    areas: &[ServiceArea],
) -> Result<Command, FieldErrors> {
    let mut e = FieldErrors::new();
    let reason = || Some(text(form, "reason")).filter(|s| !s.is_empty());
    let command = match action {
        Action::AssignOfficer => assignee(form, &mut e, users).map(|to| Command::AssignOfficer {
            to,
            reason: reason(),
        }),
        Action::AssignHandler => assignee(form, &mut e, users).map(|to| Command::AssignHandler {
            to,
            reason: reason(),
        }),
        Action::Acknowledge => parse_date(form, &mut e, "on").map(|on| Command::Acknowledge {
            on,
            understanding: text(form, "understanding"),
            outcome_wanted: text(form, "outcome_wanted"),
        }),
        Action::Extend => {
            let on = parse_date(form, &mut e, "on");
            let to = parse_date(form, &mut e, "to");
            let told = parse_date(form, &mut e, "resident_told_on");
            match (on, to, told) {
                (Some(on), Some(to), Some(resident_told_on)) => Some(Command::Extend {
                    on,
                    to,
                    reason: text(form, "reason"),
                    resident_told_on,
                    good_reason: Some(text(form, "good_reason")).filter(|s| !s.is_empty()),
                }),
                _ => None,
            }
        }
        Action::Pause => parse_date(form, &mut e, "on").map(|on| Command::Pause {
            on,
            reason: text(form, "reason"),
        }),
        Action::Resume => parse_date(form, &mut e, "on").map(|on| Command::Resume { on }),
        Action::Respond => {
            let on = parse_date(form, &mut e, "on");
            let mut points = Vec::new();
            for n in 1..=POINTS {
                let point = text(form, &format!("point_{n}"));
                let decision = form.v(&format!("upheld_{n}"));
                match (point.is_empty(), decision) {
                    (true, "") => {}
                    (true, _) => e.add(
                        format!("point_{n}"),
                        format!("Enter point {n}, or clear its decision"),
                    ),
                    (false, "yes" | "no") => points.push(PointDecision {
                        point,
                        upheld: decision == "yes",
                    }),
                    (false, _) => e.add(
                        format!("upheld_{n}"),
                        format!("Select whether point {n} is upheld"),
                    ),
                }
            }
            on.map(|on| Command::Respond {
                on,
                points,
                reasons: text(form, "reasons"),
                outstanding_actions: Some(text(form, "outstanding_actions"))
                    .filter(|s| !s.is_empty()),
                early_resolution: form.v("early_resolution") == "yes",
            })
        }
        Action::Escalate => {
            parse_date(form, &mut e, "requested_on").map(|requested_on| Command::Escalate {
                requested_on,
                reason: reason(),
            })
        }
        Action::RefuseEscalation => {
            parse_date(form, &mut e, "on").map(|on| Command::RefuseEscalation {
                on,
                reason: text(form, "reason"),
            })
        }
        Action::Withdraw => parse_date(form, &mut e, "on").map(|on| Command::Withdraw {
            on,
            reason: text(form, "reason"),
        }),
        Action::Close => parse_date(form, &mut e, "on").map(|on| Command::Close { on }),
        Action::AcceptLate => Some(Command::OverrideTimeLimit {
            reason: text(form, "reason"),
        }),
        Action::Decline => {
            let on = parse_date(form, &mut e, "on");
            let reason = e.take("reason", DeclineReason::parse(form.v("reason")));
            match (on, reason) {
                (Some(on), Some(reason)) => Some(Command::Decline {
                    on,
                    reason,
                    explanation: text(form, "explanation"),
                }),
                _ => None,
            }
        }
        // Not a change to this case alone: handled in `submit`.
        Action::Restrict => None,
        // Uploaded as multipart: handled by `upload`.
        Action::AddFile => None,
        Action::Reclassify => {
            let to = e.take("to", ContactKind::parse(form.v("to")));
            let route = e.take_opt(
                "route",
                if form.v("route").trim().is_empty() {
                    Ok(None)
                } else {
                    OtherRoute::parse(form.v("route")).map(Some)
                },
            );
            to.map(|to| Command::Reclassify {
                to,
                route,
                explanation: text(form, "explanation"),
            })
        }
        Action::Link => {
            let relation = e.take("relation", LinkRelation::parse(form.v("relation")));
            let reference = match form.v("reference").trim() {
                "" => None,
                raw => match Reference::parse(raw) {
                    Some(r) => Some(r),
                    None => {
                        e.add("reference", "Enter a reference like CMP-2026-000123");
                        None
                    }
                },
            };
            relation.map(|relation| Command::Link {
                relation,
                reference,
                agency: Some(text(form, "agency")).filter(|s| !s.is_empty()),
                their_reference: Some(text(form, "their_reference")).filter(|s| !s.is_empty()),
            })
        }
        // Not a change to this case: handled in `submit`.
        Action::RaiseComplaint => None,
        Action::Route => match areas.iter().find(|a| a.id == form.v("area")) {
            Some(a) => Some(Command::SetServiceArea {
                id: a.id.clone(),
                name: a.name.clone(),
            }),
            None => {
                e.add("area", "Select a service area from the list");
                None
            }
        },
        Action::PassOn => parse_date(form, &mut e, "on").map(|on| Command::PassOn {
            on,
            to: text(form, "to"),
            manager: text(form, "manager"),
        }),
        Action::ReplyToComment => {
            parse_date(form, &mut e, "on").map(|on| Command::ReplyToComment {
                on,
                text: text(form, "text"),
            })
        }
        Action::DecideComment => {
            let on = parse_date(form, &mut e, "on");
            let outcome = e.take("outcome", CommentOutcome::parse(form.v("outcome")));
            on.zip(outcome).map(|(on, outcome)| Command::DecideComment {
                on,
                outcome,
                reason: reason(),
            })
        }
        Action::AddNote => {
            let kind = e.take("kind", NoteKind::parse(form.v("kind")));
            let on = parse_date(form, &mut e, "on");
            kind.zip(on).map(|(kind, on)| Command::AddNote {
                kind,
                on,
                text: text(form, "text"),
            })
        }
        Action::AddRemedy => {
            let kind = e.take("kind", RemedyKind::parse(form.v("kind")));
            let owner = assignee(form, &mut e, users);
            let due = parse_date(form, &mut e, "due");
            let payment = match (form.v("payment_kind").trim(), form.v("amount").trim()) {
                ("", "") => None,
                (kind, amount) => {
                    let kind = e.take("payment_kind", PaymentKind::parse(kind));
                    let amount = e.take("amount", Pence::parse(amount));
                    kind.zip(amount)
                }
            };
            match (kind, owner, due) {
                (Some(kind), Some(owner), Some(due)) => Some(Command::AddRemedy {
                    kind,
                    description: text(form, "description"),
                    owner,
                    due,
                    payment,
                }),
                _ => None,
            }
        }
        Action::NoteRemedy => {
            let id = number(form, &mut e, "remedy", "a remedy");
            let on = parse_date(form, &mut e, "on");
            id.zip(on).map(|(id, on)| Command::NoteRemedy {
                id,
                on,
                text: text(form, "text"),
            })
        }
        Action::CompleteRemedy | Action::ApprovePayment | Action::RecordPayment => {
            let id = number(form, &mut e, "remedy", "a remedy");
            let on = parse_date(form, &mut e, "on");
            id.zip(on).map(|(id, on)| match action {
                Action::CompleteRemedy => Command::CompleteRemedy { id, on },
                Action::ApprovePayment => Command::ApprovePayment { id, on },
                _ => Command::RecordPayment { id, on },
            })
        }
        Action::Refer => {
            let on = parse_date(form, &mut e, "on");
            let ombudsman = e.take("ombudsman", Ombudsman::parse(form.v("ombudsman")));
            on.zip(ombudsman)
                .map(|(on, ombudsman)| Command::ReferToOmbudsman {
                    on,
                    ombudsman,
                    their_reference: Some(text(form, "their_reference")).filter(|s| !s.is_empty()),
                })
        }
        Action::Determination => {
            let on = parse_date(form, &mut e, "on");
            let determination = e.take(
                "determination",
                Determination::parse(form.v("determination")),
            );
            on.zip(determination)
                .map(|(on, determination)| Command::RecordDetermination {
                    on,
                    determination,
                    summary: text(form, "summary"),
                })
        }
        Action::AddOrder => parse_date(form, &mut e, "due").map(|due| Command::AddOrder {
            description: text(form, "description"),
            due,
        }),
        Action::RecordLearning => e
            .take(
                "root_cause",
                redress_domain::learning::RootCause::parse(form.v("root_cause")),
            )
            .map(|root_cause| Command::RecordLearning {
                root_cause,
                lessons: text(form, "lessons"),
            }),
        Action::RecordAuthority => e
            .take(
                "authority",
                redress_domain::person::Authority::parse(form.v("authority")),
            )
            .map(|authority| Command::RecordAuthority { authority }),
        Action::RedactNote => {
            let index = match form.v("note").parse::<usize>() {
                Ok(i) => Some(i),
                Err(_) => {
                    e.add("note", "Select the note to redact");
                    None
                }
            };
            index.map(|index| Command::RedactNote {
                index,
                reason: text(form, "reason"),
            })
        }
        Action::RemoveFile => {
            let id = form.v("file").trim().to_string();
            if id.is_empty() {
                e.add("file", "Select the file to remove");
            }
            Some(Command::RedactAttachment {
                id,
                reason: text(form, "reason"),
            })
        }
        // Erasure is not a change the case decides; `submit` handles it before this.
        Action::Erase => None,
        Action::ComplyOrder => {
            let id = number(form, &mut e, "order", "an order");
            let on = parse_date(form, &mut e, "on");
            id.zip(on).map(|(id, on)| Command::ComplyOrder {
                id,
                on,
                evidence: text(form, "evidence"),
            })
        }
    };
    match command {
        Some(c) if e.is_empty() => Ok(c),
        _ => Err(e),
    }
}

struct Loaded {
    action: Action,
    contact: Contact,
    users: Vec<redress_domain::role::User>,
    areas: Vec<ServiceArea>,
}

async fn load(
    state: &AppState,
    signed: &Signed,
    reference: &str,
    slug: &str,
) -> Result<Loaded, AppError> {
    if !signed.user.role.can(Permission::HandleCases) {
        return Err(AppError::Forbidden);
    }
    let action = Action::from_slug(slug).ok_or(AppError::NotFound)?;
    if !action.allowed(signed.user.role) {
        return Err(AppError::Forbidden);
    }
    let contact = state
        .app
        .case_for(&Principal::staff(&signed.user), reference)
        .await?
        .contact;
    let users = state
        .app
        .colleagues(&Principal::staff(&signed.user))
        .await?;
    let areas = state.app.service_areas().await?;
    Ok(Loaded {
        action,
        contact,
        users,
        areas,
    })
}

fn page(
    state: &AppState,
    signed: &Signed,
    loaded: &Loaded,
    form: FormState,
    version: i64,
) -> Response {
    let layout = Layout::staff(state, signed, loaded.action.title(), &form);
    let fields = fields_html(
        loaded.action,
        &form,
        &loaded.users,
        &loaded.contact,
        &loaded.areas,
    );
    let form = attach_to_present_fields(form, &fields);
    render(
        StatusCode::OK,
        &ActionPage {
            layout,
            reference: loaded.contact.reference.to_string(),
            post_to: if loaded.action == Action::AddFile {
                format!("/staff/cases/{}/files", loaded.contact.reference)
            } else {
                format!(
                    "/staff/cases/{}/act/{}",
                    loaded.contact.reference,
                    loaded.action.slug()
                )
            },
            enctype: if loaded.action == Action::AddFile {
                "multipart/form-data"
            } else {
                "application/x-www-form-urlencoded"
            },
            heading: loaded.action.title().into(),
            intro: loaded.action.intro().into(),
            button: loaded.action.button().into(),
            fields,
            csrf: signed.csrf_token.clone(),
            version,
            form,
        },
    )
}

/// A refusal about something not on this form (the case's state, say) is shown against the
/// form's first field, so every message in the summary links somewhere.
fn attach_to_present_fields(form: FormState, fields: &str) -> FormState {
    let first = fields
        .split("id=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or("on")
        .to_string();
    let mut errors = FieldErrors::new();
    for (field, message) in form.errors.iter() {
        let present = fields.contains(&format!("id=\"{}\"", crate::html::anchor(field)));
        errors.add(
            if present {
                field.to_string()
            } else {
                first.clone()
            },
            message,
        );
    }
    FormState { errors, ..form }
}

pub async fn form(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Path((reference, slug)): Path<(String, String)>,
) -> Response {
    let loaded = match load(&state, &signed, &reference, &slug).await {
        Ok(l) => l,
        Err(e) => return error_page(&state, e),
    };
    let mut form = FormState::default();
    let today = state.app.today().to_string();
    for name in ["on", "requested_on", "resident_told_on", "communicated_on"] {
        form.values.insert(name.into(), today.clone());
    }
    // A sensible default that staff can change: two working weeks from today.
    if matches!(loaded.action, Action::AddRemedy | Action::AddOrder)
        && let Ok(calendar) = state.app.calendar().await
    {
        let due = calendar
            .add_working_days(state.app.today(), 10)
            .unwrap_or(state.app.today());
        form.values.insert("due".into(), due.to_string());
    }
    if loaded.action == Action::Refer
        && let Ok(scheme) = state.app.find_scheme(&loaded.contact.scheme).await
    {
        let ombudsman = scheme.ombudsman.map(|o| o.as_str()).unwrap_or_default();
        form.values.insert("ombudsman".into(), ombudsman.into());
    }
    if let (Action::RecordLearning, Some(l)) = (loaded.action, &loaded.contact.case.learning) {
        form.values
            .insert("root_cause".into(), l.root_cause.as_str().into());
        form.values.insert("lessons".into(), l.lessons.clone());
    }
    if let (Action::RecordAuthority, Some(rep)) =
        (loaded.action, &loaded.contact.detail.representative)
    {
        form.values
            .insert("authority".into(), rep.authority.as_str().into());
    }
    if loaded.action == Action::Acknowledge {
        let d = &loaded.contact.detail;
        form.values
            .insert("understanding".into(), d.summary.to_string());
        form.values.insert(
            "outcome_wanted".into(),
            d.outcome_wanted
                .as_ref()
                .map(|t| t.to_string())
                .unwrap_or_default(),
        );
    }
    let version = loaded.contact.version;
    page(&state, &signed, &loaded, form, version)
}

pub async fn submit(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Path((reference, slug)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let loaded = match load(&state, &signed, &reference, &slug).await {
        Ok(l) => l,
        Err(e) => return error_page(&state, e),
    };
    let mut form = FormState {
        values: crate::forms::parse_body(&body),
        ..Default::default()
    };
    if !same_origin(&headers) || form.values.remove("csrf").as_ref() != Some(&signed.csrf_token) {
        return crate::message(
            &state,
            StatusCode::FORBIDDEN,
            "Your session has changed",
            "For your security nothing was saved. Go back, reload the page and try again.",
            &format!("/staff/cases/{}", loaded.contact.reference),
            "Back to the case",
        );
    }
    let version = form
        .values
        .remove("version")
        .and_then(|v| v.parse::<i64>().ok())
        .unwrap_or(loaded.contact.version);
    let who = Principal::staff(&signed.user);
    let this_case = || loaded.contact.reference.to_string();
    // Most actions are a command on the case; a few go through their own use case.
    let result = match loaded.action {
        Action::Restrict => match Restriction::parse(
            form.v("kind"),
            form.v("behaviour"),
            form.v("details"),
            form.v("decided_by"),
            form.v("communicated_on"),
            form.v("review_on"),
            state.app.today(),
        ) {
            Ok(r) => state
                .app
                .add_restriction(&who, &reference, r)
                .await
                .map(|()| this_case()),
            Err(errors) => Err(AppError::Invalid(errors)),
        },
        Action::Erase => state
            .app
            .erase_on_request(&who, &reference, form.v("reason"))
            .await
            .map(|()| this_case()),
        // The new complaint's page is shown, not the request's.
        Action::RaiseComplaint => state
            .app
            .raise_complaint_from(&who, &reference, form.v("summary"))
            .await
            .map(|c| c.reference.to_string()),
        _ => {
            let command = match command(loaded.action, &form, &loaded.users, &loaded.areas) {
                Ok(c) => c,
                Err(errors) => {
                    form.errors = errors;
                    return page(&state, &signed, &loaded, form, version);
                }
            };
            if loaded.action == Action::Link {
                state
                    .app
                    .link_cases(&who, &reference, command, Some(version))
                    .await
            } else {
                state
                    .app
                    .apply_command(&who, &reference, command, Some(version))
                    .await
            }
            .map(|c| c.reference.to_string())
        }
    };
    match result {
        Ok(r) => {
            Redirect::to(&format!("/staff/cases/{r}?done={}", loaded.action.slug())).into_response()
        }
        Err(AppError::Domain(e)) => {
            form.errors.add(e.field(), e.to_string());
            page(&state, &signed, &loaded, form, version)
        }
        Err(AppError::Invalid(errors)) => {
            form.errors = errors;
            page(&state, &signed, &loaded, form, version)
        }
        Err(e) => error_page(&state, e),
    }
}

/// Notes whose words are still as written, with their position on the case.
fn redactable_notes(c: &Contact) -> impl Iterator<Item = (usize, &redress_domain::case::CaseNote)> {
    c.case
        .notes
        .iter()
        .enumerate()
        .filter(|(_, n)| !n.text.starts_with(redress_domain::privacy::REDACTED))
}

fn areas_options(areas: &[ServiceArea]) -> crate::forms::Options {
    std::iter::once((String::new(), "Select a service area".to_string()))
        .chain(areas.iter().map(|a| (a.id.clone(), a.name.clone())))
        .collect()
}

/// Receives a file from the "Add a file" form.
pub async fn upload(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Path(reference): Path<String>,
    headers: HeaderMap,
    mut multipart: axum::extract::Multipart,
) -> Response {
    let loaded = match load(&state, &signed, &reference, Action::AddFile.slug()).await {
        Ok(l) => l,
        Err(e) => return error_page(&state, e),
    };
    let (mut form, file) = crate::forms::read_upload(&mut multipart).await;
    let version = form
        .values
        .remove("version")
        .and_then(|v| v.parse::<i64>().ok())
        .unwrap_or(loaded.contact.version);
    // An upload too large to read saves nothing: it is answered with the form and its
    // message, even when the reading stopped before the form's token.
    if !form.errors.is_empty() {
        return page(&state, &signed, &loaded, form, version);
    }
    if !same_origin(&headers) || form.values.remove("csrf").as_ref() != Some(&signed.csrf_token) {
        return crate::message(
            &state,
            StatusCode::FORBIDDEN,
            "Your session has changed",
            "For your security nothing was saved. Go back, reload the page and try again.",
            &format!("/staff/cases/{}", loaded.contact.reference),
            "Back to the case",
        );
    }
    let (file_name, bytes) = file.unwrap_or_default();
    if file_name.is_empty() && bytes.is_empty() {
        form.errors.add("file", "Select a file");
        return page(&state, &signed, &loaded, form, version);
    }
    let description = form.v("description").to_string();
    match state
        .app
        .add_attachment(
            &Principal::staff(&signed.user),
            &reference,
            &file_name,
            &bytes,
            &description,
            Some(version),
        )
        .await
    {
        Ok(c) => {
            Redirect::to(&format!("/staff/cases/{}?done=add-file", c.reference)).into_response()
        }
        Err(AppError::Invalid(errors)) => {
            form.errors = errors;
            page(&state, &signed, &loaded, form, version)
        }
        Err(AppError::Domain(e)) => {
            form.errors.add(e.field(), e.to_string());
            page(&state, &signed, &loaded, form, version)
        }
        Err(e) => error_page(&state, e),
    }
}

/// Sends a file back as a download, never as a page.
pub async fn download(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Path((reference, id)): Path<(String, String)>,
) -> Response {
    match state
        .app
        .case_file(&Principal::staff(&signed.user), &reference, &id)
        .await
    {
        Ok((info, bytes)) => (
            [
                (
                    axum::http::header::CONTENT_TYPE,
                    info.file_type.content_type().to_string(),
                ),
                (
                    axum::http::header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{}\"", info.name.replace('"', "")),
                ),
                (
                    axum::http::header::CONTENT_SECURITY_POLICY,
                    "sandbox; default-src 'none'".to_string(),
                ),
                (
                    axum::http::header::CACHE_CONTROL,
                    "private, no-store".to_string(),
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => error_page(&state, e),
    }
}

/// Ends a restriction from a case of the person it applies to.
pub async fn end_restriction(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Path((reference, id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let values = crate::forms::parse_body(&body);
    if !same_origin(&headers) || values.get("csrf") != Some(&signed.csrf_token) {
        return error_page(&state, AppError::Forbidden);
    }
    match state
        .app
        .end_restriction(&Principal::staff(&signed.user), &reference, &id)
        .await
    {
        Ok(()) => Redirect::to(&format!("/staff/cases/{reference}")).into_response(),
        Err(e) => error_page(&state, e),
    }
}

fn review_page(
    state: &AppState,
    signed: &Signed,
    reference: &str,
    id: &str,
    form: FormState,
) -> Response {
    let layout = Layout::staff(state, signed, "Record a review of the restriction", &form);
    let fields = [
        form.input("next_review", "Next review date", "For example, 2027-03-01", "date", "", "10"),
        form.textarea("outcome", "What the review decided and why", "This is noted on the case. To lift the restriction, use End this restriction on the case instead.", 4),
    ]
    .concat();
    render(
        form.status(),
        &ActionPage {
            layout,
            post_to: format!("/staff/cases/{reference}/restrictions/{id}/review"),
            enctype: "application/x-www-form-urlencoded",
            reference: reference.to_string(),
            heading: "Record a review of the restriction".into(),
            intro: "Restrictions must stay proportionate: review whether it is still needed and set when it will be looked at again.".into(),
            button: "Save review".into(),
            fields,
            csrf: signed.csrf_token.clone(),
            version: 0,
            form,
        },
    )
}

/// The form for reviewing a restriction from a case of the person it applies to.
pub async fn review_restriction_form(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Path((reference, id)): Path<(String, String)>,
) -> Response {
    // Only those who handle the case see the form; saving it checks again.
    if !signed.user.role.can(Permission::HandleCases) {
        return error_page(&state, AppError::Forbidden);
    }
    if let Err(e) = state
        .app
        .case_for(&Principal::staff(&signed.user), &reference)
        .await
    {
        return error_page(&state, e);
    }
    review_page(&state, &signed, &reference, &id, FormState::default())
}

pub async fn review_restriction(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Path((reference, id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut form = FormState {
        values: crate::forms::parse_body(&body),
        ..Default::default()
    };
    if !same_origin(&headers) || form.values.get("csrf") != Some(&signed.csrf_token) {
        return error_page(&state, AppError::Forbidden);
    }
    match state
        .app
        .review_restriction(
            &Principal::staff(&signed.user),
            &reference,
            &id,
            form.v("next_review"),
            form.v("outcome"),
        )
        .await
    {
        Ok(()) => Redirect::to(&format!("/staff/cases/{reference}")).into_response(),
        Err(AppError::Invalid(errors)) => {
            form.errors = errors;
            review_page(&state, &signed, &reference, &id, form)
        }
        Err(e) => error_page(&state, e),
    }
}
