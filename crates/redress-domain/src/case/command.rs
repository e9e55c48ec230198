//! The changes staff ask of a case, and their kinds without the details, so a screen can
//! ask which changes a case accepts before anyone fills in a form.

use super::{Assignee, CommentOutcome, DeclineReason, LinkRelation, NoteKind, PointDecision};
use crate::intake::{ContactKind, Reference};
use crate::remedy::{Determination, PaymentKind, Pence, RemedyKind};
use crate::scheme::Ombudsman;
use jiff::civil::Date;

/// A change someone asks for. Dates are the real dates things happened, which may be
/// earlier than today when staff catch up on paperwork.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    AssignOfficer {
        to: Assignee,
        reason: Option<String>,
    },
    AssignHandler {
        to: Assignee,
        reason: Option<String>,
    },
    Acknowledge {
        on: Date,
        understanding: String,
        outcome_wanted: String,
    },
    Extend {
        on: Date,
        to: Date,
        reason: String,
        resident_told_on: Date,
        good_reason: Option<String>,
    },
    Pause {
        on: Date,
        reason: String,
    },
    Resume {
        on: Date,
    },
    Respond {
        on: Date,
        points: Vec<PointDecision>,
        reasons: String,
        outstanding_actions: Option<String>,
        early_resolution: bool,
    },
    Escalate {
        requested_on: Date,
        reason: Option<String>,
    },
    RefuseEscalation {
        on: Date,
        reason: String,
    },
    Withdraw {
        on: Date,
        reason: String,
    },
    Close {
        on: Date,
    },
    OverrideTimeLimit {
        reason: String,
    },
    Decline {
        on: Date,
        reason: DeclineReason,
        explanation: String,
    },
    AddAttachment {
        id: String,
        name: String,
        file_type: crate::attachment::FileType,
        size: u64,
        description: String,
    },
    Reclassify {
        to: ContactKind,
        route: Option<crate::intake::OtherRoute>,
        explanation: String,
    },
    Link {
        relation: LinkRelation,
        reference: Option<Reference>,
        agency: Option<String>,
        their_reference: Option<String>,
    },
    SetServiceArea {
        id: String,
        name: String,
    },
    PassOn {
        on: Date,
        to: String,
        manager: String,
        /// The users to email it to (the person praised and their manager), where they
        /// are colleagues with an account.
        notify: Vec<String>,
    },
    ReplyToComment {
        on: Date,
        text: String,
    },
    DecideComment {
        on: Date,
        outcome: CommentOutcome,
        reason: Option<String>,
    },
    AddNote {
        kind: NoteKind,
        on: Date,
        text: String,
    },
    AddRemedy {
        kind: RemedyKind,
        description: String,
        owner: Assignee,
        due: Date,
        payment: Option<(PaymentKind, Pence)>,
    },
    NoteRemedy {
        id: u32,
        on: Date,
        text: String,
    },
    CompleteRemedy {
        id: u32,
        on: Date,
    },
    ApprovePayment {
        id: u32,
        on: Date,
    },
    RecordPayment {
        id: u32,
        on: Date,
    },
    ReferToOmbudsman {
        on: Date,
        ombudsman: Ombudsman,
        their_reference: Option<String>,
    },
    RecordDetermination {
        on: Date,
        determination: Determination,
        summary: String,
    },
    AddOrder {
        description: String,
        due: Date,
    },
    ComplyOrder {
        id: u32,
        on: Date,
        evidence: String,
    },
    /// Records a satisfaction survey the person answered.
    RecordSurvey {
        answer: crate::survey::SurveyAnswer,
    },
    /// Records the complaint's root cause and what was learned.
    RecordLearning {
        root_cause: crate::learning::RootCause,
        lessons: String,
    },
    /// Tells the case (and so the person) about a service improvement it led to.
    ImprovementNews {
        improvement: crate::learning::Improvement,
    },
    /// Records what authority the representative has to act for the person.
    RecordAuthority {
        authority: crate::person::Authority,
    },
    /// Replaces the words of one investigation note (numbered from 0).
    RedactNote {
        index: usize,
        reason: String,
    },
    /// Removes a file from the case.
    RedactAttachment {
        id: String,
        reason: String,
    },
    /// Corrects details recorded at intake: each given field's new value (see
    /// `CORRECTABLE`); fields left out stay as they are.
    Correct {
        values: std::collections::BTreeMap<String, String>,
        reason: String,
    },
    /// Records how a dissatisfied survey answer was followed up.
    FollowUpSurvey {
        stage: u8,
        on: Date,
        note: String,
    },
    /// Records that a safeguarding concern has been looked at, and what was done.
    ReviewSafeguarding {
        on: Date,
        note: String,
    },
    /// A council tenant unhappy with the stage 1 response asks for the Tenants Panel's
    /// input (seed 002). The panel has `within` working days, which the app reads from the
    /// service area's setting: 0 where the panel is not offered.
    AskTenantsPanel {
        on: Date,
        why: String,
        within: u32,
    },
    /// The Tenants Panel's input on the complaint and the stage 1 response.
    RecordPanelInput {
        on: Date,
        input: String,
    },
    /// Records a step in checking a letter before it goes: edited, approved, sent.
    CheckLetter {
        letter_id: String,
        subject: String,
        step: LetterStep,
    },
    /// Answers "This may be a complaint": it is not, and why.
    DismissSuggestion {
        on: Date,
        reason: String,
    },
    /// Confirms a hazard in the home (suggested or spotted by staff).
    ConfirmHazard {
        kind: crate::hazard::HazardKind,
        urgency: crate::hazard::Urgency,
    },
    /// Sets a suggested hazard aside, with why.
    DismissHazard {
        reason: String,
    },
    /// Records when a step of a confirmed hazard was done.
    RecordHazardStep {
        step: crate::hazard::HazardStep,
        at: jiff::Timestamp,
    },
    /// Adds an email from the resident to the case as correspondence.
    RecordEmail {
        key: String,
        from: String,
        subject: String,
        text: String,
        files: Vec<String>,
    },
    /// Someone working the case has read its new emails.
    MarkEmailsRead,
    /// The earlier cases this contact might repeat were looked at: it is a new matter.
    TreatAsNew {
        reason: String,
    },
    /// Answers "This survey answer may be a complaint": it is not, and why.
    DismissSurveySuggestion {
        reason: String,
    },
}

/// A step in checking a letter before it leaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LetterStep {
    /// The words were changed: what they said, and what they say now.
    Edited { before: String, after: String },
    /// A second person approved it.
    Approved,
    /// Released: emailed, or queued for printing.
    Released { how: String },
    /// Not sent after all, and why.
    Discarded { reason: String },
}

/// Which command, without its details.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CommandKind {
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
    OverrideTimeLimit,
    Decline,
    AddAttachment,
    Reclassify,
    Link,
    SetServiceArea,
    PassOn,
    ReplyToComment,
    DecideComment,
    AddNote,
    AddRemedy,
    NoteRemedy,
    CompleteRemedy,
    ApprovePayment,
    RecordPayment,
    ReferToOmbudsman,
    RecordDetermination,
    AddOrder,
    ComplyOrder,
    RecordSurvey,
    RecordLearning,
    ImprovementNews,
    RecordAuthority,
    RedactNote,
    RedactAttachment,
    Correct,
    FollowUpSurvey,
    ReviewSafeguarding,
    AskTenantsPanel,
    RecordPanelInput,
    CheckLetter,
    DismissSuggestion,
    ConfirmHazard,
    DismissHazard,
    RecordHazardStep,
    RecordEmail,
    MarkEmailsRead,
    TreatAsNew,
    DismissSurveySuggestion,
}

impl CommandKind {
    /// Every kind, in the order the commands are declared.
    pub const ALL: [CommandKind; 50] = [
        CommandKind::AssignOfficer,
        CommandKind::AssignHandler,
        CommandKind::Acknowledge,
        CommandKind::Extend,
        CommandKind::Pause,
        CommandKind::Resume,
        CommandKind::Respond,
        CommandKind::Escalate,
        CommandKind::RefuseEscalation,
        CommandKind::Withdraw,
        CommandKind::Close,
        CommandKind::OverrideTimeLimit,
        CommandKind::Decline,
        CommandKind::AddAttachment,
        CommandKind::Reclassify,
        CommandKind::Link,
        CommandKind::SetServiceArea,
        CommandKind::PassOn,
        CommandKind::ReplyToComment,
        CommandKind::DecideComment,
        CommandKind::AddNote,
        CommandKind::AddRemedy,
        CommandKind::NoteRemedy,
        CommandKind::CompleteRemedy,
        CommandKind::ApprovePayment,
        CommandKind::RecordPayment,
        CommandKind::ReferToOmbudsman,
        CommandKind::RecordDetermination,
        CommandKind::AddOrder,
        CommandKind::ComplyOrder,
        CommandKind::RecordSurvey,
        CommandKind::RecordLearning,
        CommandKind::ImprovementNews,
        CommandKind::RecordAuthority,
        CommandKind::RedactNote,
        CommandKind::RedactAttachment,
        CommandKind::Correct,
        CommandKind::FollowUpSurvey,
        CommandKind::ReviewSafeguarding,
        CommandKind::AskTenantsPanel,
        CommandKind::RecordPanelInput,
        CommandKind::CheckLetter,
        CommandKind::DismissSuggestion,
        CommandKind::ConfirmHazard,
        CommandKind::DismissHazard,
        CommandKind::RecordHazardStep,
        CommandKind::RecordEmail,
        CommandKind::MarkEmailsRead,
        CommandKind::TreatAsNew,
        CommandKind::DismissSurveySuggestion,
    ];
}

impl Command {
    /// The kind of this command, for asking whether a case accepts it.
    pub fn kind(&self) -> CommandKind {
        match self {
            Command::AssignOfficer { .. } => CommandKind::AssignOfficer,
            Command::AssignHandler { .. } => CommandKind::AssignHandler,
            Command::Acknowledge { .. } => CommandKind::Acknowledge,
            Command::Extend { .. } => CommandKind::Extend,
            Command::Pause { .. } => CommandKind::Pause,
            Command::Resume { .. } => CommandKind::Resume,
            Command::Respond { .. } => CommandKind::Respond,
            Command::Escalate { .. } => CommandKind::Escalate,
            Command::RefuseEscalation { .. } => CommandKind::RefuseEscalation,
            Command::Withdraw { .. } => CommandKind::Withdraw,
            Command::Close { .. } => CommandKind::Close,
            Command::OverrideTimeLimit { .. } => CommandKind::OverrideTimeLimit,
            Command::Decline { .. } => CommandKind::Decline,
            Command::AddAttachment { .. } => CommandKind::AddAttachment,
            Command::Reclassify { .. } => CommandKind::Reclassify,
            Command::Link { .. } => CommandKind::Link,
            Command::SetServiceArea { .. } => CommandKind::SetServiceArea,
            Command::PassOn { .. } => CommandKind::PassOn,
            Command::ReplyToComment { .. } => CommandKind::ReplyToComment,
            Command::DecideComment { .. } => CommandKind::DecideComment,
            Command::AddNote { .. } => CommandKind::AddNote,
            Command::AddRemedy { .. } => CommandKind::AddRemedy,
            Command::NoteRemedy { .. } => CommandKind::NoteRemedy,
            Command::CompleteRemedy { .. } => CommandKind::CompleteRemedy,
            Command::ApprovePayment { .. } => CommandKind::ApprovePayment,
            Command::RecordPayment { .. } => CommandKind::RecordPayment,
            Command::ReferToOmbudsman { .. } => CommandKind::ReferToOmbudsman,
            Command::RecordDetermination { .. } => CommandKind::RecordDetermination,
            Command::AddOrder { .. } => CommandKind::AddOrder,
            Command::ComplyOrder { .. } => CommandKind::ComplyOrder,
            Command::RecordSurvey { .. } => CommandKind::RecordSurvey,
            Command::RecordLearning { .. } => CommandKind::RecordLearning,
            Command::ImprovementNews { .. } => CommandKind::ImprovementNews,
            Command::RecordAuthority { .. } => CommandKind::RecordAuthority,
            Command::RedactNote { .. } => CommandKind::RedactNote,
            Command::RedactAttachment { .. } => CommandKind::RedactAttachment,
            Command::Correct { .. } => CommandKind::Correct,
            Command::FollowUpSurvey { .. } => CommandKind::FollowUpSurvey,
            Command::ReviewSafeguarding { .. } => CommandKind::ReviewSafeguarding,
            Command::AskTenantsPanel { .. } => CommandKind::AskTenantsPanel,
            Command::RecordPanelInput { .. } => CommandKind::RecordPanelInput,
            Command::CheckLetter { .. } => CommandKind::CheckLetter,
            Command::DismissSuggestion { .. } => CommandKind::DismissSuggestion,
            Command::ConfirmHazard { .. } => CommandKind::ConfirmHazard,
            Command::DismissHazard { .. } => CommandKind::DismissHazard,
            Command::RecordHazardStep { .. } => CommandKind::RecordHazardStep,
            Command::RecordEmail { .. } => CommandKind::RecordEmail,
            Command::MarkEmailsRead => CommandKind::MarkEmailsRead,
            Command::TreatAsNew { .. } => CommandKind::TreatAsNew,
            Command::DismissSurveySuggestion { .. } => CommandKind::DismissSurveySuggestion,
        }
    }
}
