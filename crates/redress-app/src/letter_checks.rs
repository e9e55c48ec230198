//! Letters checked before they go. Every letter a member of staff's step writes to a
//! resident is kept as a draft: staff read it, may edit it (the old and new words go in the
//! case's history), and send it — by email, or to the print queue. An organisation can ask
//! for final responses to be approved by a second person first. A draft with a placeholder
//! left unfilled is never sent.

use crate::access::Principal;
use crate::letter_settings::LetterSettings;
use crate::{App, AppError};
use redress_domain::case::{Command, Context, LetterStep};
use redress_domain::letter::{Delivery, LetterKind, delivery_for, unfilled};
use redress_domain::role::Permission;
use redress_domain::{FieldErrors, Text};
use redress_store::{LetterChange, StoredLetter};

/// A draft as the letter page shows it: what it says, and what may be done with it.
#[derive(Debug, Clone)]
pub struct LetterCheck {
    pub letter: StoredLetter,
    pub draft: bool,
    /// A second person must approve it before it goes.
    pub needs_approval: bool,
    /// The reader may approve it (they did not draft it, and handle its case).
    pub may_approve: bool,
    /// The reader may edit and send it.
    pub may_send: bool,
    /// Placeholders still in its words: it cannot be sent until they are replaced.
    pub unfilled: Vec<String>,
    /// What the reader is looking at, to send back with a step: a step taken against
    /// words someone has changed since is refused rather than applied to them.
    pub seen: String,
}

/// A short fingerprint of a letter's words, for `LetterCheck::seen`.
pub fn seen(letter: &StoredLetter) -> String {
    crate::auth::token_hash(&format!("{}\n{}", letter.subject, letter.body))
}

/// A letter still showing a placeholder would print it as written: refused.
fn refuse_unfilled(letter: &StoredLetter) -> Result<(), AppError> {
    let left = unfilled(&format!("{}\n{}", letter.subject, letter.body));
    if left.is_empty() {
        return Ok(());
    }
    if left
        .iter()
        .any(|p| p == redress_domain::letter::WELSH_WORDING_MISSING)
    {
        return Err(AppError::invalid(
            "body",
            "This letter has no Welsh wording and its reader asked for Welsh. Write it in Welsh here, or add the Welsh wording under Settings, Letter wording, then send it",
        ));
    }
    Err(AppError::invalid(
        "body",
        format!(
            "Replace {} before sending: the letter would show it as written",
            left.join(", ")
        ),
    ))
}

impl App {
    /// A letter with what the reader may do with it, for someone who may see its case.
    pub async fn letter_check(&self, who: &Principal, id: &str) -> Result<LetterCheck, AppError> {
        let letter = self.letter_for(who, id).await?;
        let settings = self.letter_settings().await?;
        let draft = letter.status == "draft";
        let handles = self
            .case_in_scope(who, Permission::HandleCases, letter.reference.as_str())
            .await
            .is_ok();
        let needs_approval = draft && self.needs_approval(&letter, &settings);
        let me = who.user().map(|u| u.id.as_str());
        Ok(LetterCheck {
            unfilled: unfilled(&format!("{}\n{}", letter.subject, letter.body)),
            seen: seen(&letter),
            may_approve: needs_approval
                && handles
                && letter.approved_by.is_none()
                && me.is_some()
                && letter.drafted_by.as_deref() != me
                && letter.edited_by.as_deref() != me,
            may_send: draft && handles,
            needs_approval,
            draft,
            letter,
        })
    }

    fn needs_approval(&self, letter: &StoredLetter, settings: &LetterSettings) -> bool {
        settings.final_response_approval && letter.kind == LetterKind::FinalResponse
    }

    /// Changes a draft's words. An approval given before no longer stands, and whoever
    /// edits it may not approve it.
    pub async fn edit_letter(
        &self,
        who: &Principal,
        id: &str,
        was: &str,
        subject: &str,
        body: &str,
    ) -> Result<(), AppError> {
        let letter = self.draft_to_change(who, id, was).await?;
        // Staff never see the resident's private link, so they cannot edit around it.
        if redress_domain::letter::has_private_link(&letter.body) {
            return Err(AppError::invalid(
                "body",
                "This letter carries the resident's private link, so it cannot be edited",
            ));
        }
        let mut errors = FieldErrors::new();
        let subject = match Text::parse(subject, "a subject", 300) {
            Ok(s) => s.into_string(),
            Err(m) => {
                errors.add("subject", m);
                String::new()
            }
        };
        let body = match Text::parse(body, "the letter", 20_000) {
            Ok(b) => b.into_string(),
            Err(m) => {
                errors.add("body", m);
                String::new()
            }
        };
        errors.into_result()?;
        let step = LetterStep::Edited {
            before: letter.body.clone(),
            after: body.clone(),
        };
        let change = LetterChange {
            subject: Some(subject),
            body: Some(body),
            edited_by: who.user().map(|u| u.id.clone()),
            approved_by: Some(None),
            seen: Some((letter.subject.clone(), letter.body.clone())),
            ..LetterChange::default()
        };
        self.record_check(who, &letter, step, vec![(letter.id.clone(), change)])
            .await
    }

    /// Approves a draft that needs a second person: not the one who drafted it, nor the
    /// last to edit it.
    pub async fn approve_letter(
        &self,
        who: &Principal,
        id: &str,
        was: &str,
    ) -> Result<(), AppError> {
        let letter = self.draft_to_change(who, id, was).await?;
        let settings = self.letter_settings().await?;
        let me = who.user().map(|u| u.id.clone());
        if !self.needs_approval(&letter, &settings) {
            return Err(AppError::invalid(
                "approve",
                "This letter does not need approval",
            ));
        }
        if me.is_none() || letter.drafted_by == me || letter.edited_by == me {
            return Err(AppError::invalid(
                "approve",
                "Someone other than the person who drafted or last edited this letter must approve it",
            ));
        }
        let change = LetterChange {
            approved_by: Some(me),
            seen: Some((letter.subject.clone(), letter.body.clone())),
            ..LetterChange::default()
        };
        self.record_check(
            who,
            &letter,
            LetterStep::Approved,
            vec![(letter.id.clone(), change)],
        )
        .await
    }

    /// Sends a draft: emails go to the outbox, letters to the print queue. Refused while a
    /// placeholder is unfilled or an approval it needs is missing. A satisfaction survey
    /// held back with the case's letters goes with the last of them.
    pub async fn release_letter(
        &self,
        who: &Principal,
        id: &str,
        was: &str,
    ) -> Result<(), AppError> {
        let letter = self.draft_to_change(who, id, was).await?;
        refuse_unfilled(&letter)?;
        let settings = self.letter_settings().await?;
        if self.needs_approval(&letter, &settings) && letter.approved_by.is_none() {
            return Err(AppError::invalid(
                "approve",
                "A second person must approve this final response before it is sent",
            ));
        }
        // It goes to the person as the case now records them: a correction made since the
        // draft was written is where it goes.
        let contact = self
            .case_in_scope(who, Permission::HandleCases, letter.reference.as_str())
            .await?;
        let Some((delivery, recipient, large_print)) = delivery_for(&contact) else {
            return Err(AppError::invalid(
                "body",
                "There is nobody to send this letter to: the case has no contact details",
            ));
        };
        // Someone who asked for Braille, audio, easy read or another language gets it in that
        // form: it waits for transcription or translation, with a date.
        let convert = self.conversion(&contact).await?;
        // A posted letter carries a code to follow the case online, made as it goes.
        let code = self
            .posted_code(&contact, letter.kind, delivery)
            .await?
            .map(|words| crate::postal::with_code(&letter.body, &words));
        let released = |l: &StoredLetter| LetterChange {
            status: Some(match (&convert, delivery) {
                (Some(_), _) => "to-convert",
                (None, Delivery::Email) => "pending",
                (None, Delivery::Post) => "to-print",
            }),
            address: Some((recipient.clone(), delivery, large_print)),
            seen: Some((l.subject.clone(), l.body.clone())),
            convert: convert.clone(),
            ..LetterChange::default()
        };
        let mut changes = vec![(
            letter.id.clone(),
            LetterChange {
                body: code,
                ..released(&letter)
            },
        )];
        let others = self
            .store
            .letters(&self.organisation.id, &letter.contact_id)
            .await?;
        let drafts: Vec<&StoredLetter> = others
            .iter()
            .filter(|l| l.status == "draft" && l.id != letter.id)
            .collect();
        if drafts
            .iter()
            .all(|l| l.kind == LetterKind::SurveyInvitation)
        {
            for l in drafts {
                refuse_unfilled(l)?;
                changes.push((l.id.clone(), released(l)));
            }
        }
        let how = match (&convert, delivery) {
            (Some((need, by)), _) => format!("held for {} by {by}", need.to_lowercase()),
            (None, Delivery::Email) => format!("emailed to {recipient}"),
            (None, Delivery::Post) => "queued for printing".to_string(),
        };
        self.record_check(who, &letter, LetterStep::Released { how }, changes)
            .await
    }

    /// Withdraws a draft that should not go, with the reason, kept in the history.
    pub async fn discard_letter(
        &self,
        who: &Principal,
        id: &str,
        was: &str,
        reason: &str,
    ) -> Result<(), AppError> {
        let letter = self.draft_to_change(who, id, was).await?;
        let change = LetterChange {
            status: Some("discarded"),
            seen: Some((letter.subject.clone(), letter.body.clone())),
            ..LetterChange::default()
        };
        let step = LetterStep::Discarded {
            reason: reason.to_string(),
        };
        self.record_check(who, &letter, step, vec![(letter.id.clone(), change)])
            .await
    }

    /// A draft the principal may change: they handle its case, it has not gone, and it
    /// says what they saw (`was`, from `LetterCheck::seen`).
    async fn draft_to_change(
        &self,
        who: &Principal,
        id: &str,
        was: &str,
    ) -> Result<StoredLetter, AppError> {
        let letter = self
            .store
            .letter(&self.organisation.id, id)
            .await?
            .ok_or(AppError::NotFound)?;
        self.case_in_scope(who, Permission::HandleCases, letter.reference.as_str())
            .await?;
        if letter.status != "draft" {
            return Err(AppError::Conflict(
                "This letter has already been sent or withdrawn, so it cannot be changed".into(),
            ));
        }
        if seen(&letter) != was {
            return Err(AppError::Conflict(
                "Someone changed this letter after you opened it. Read it again before you act on it."
                    .into(),
            ));
        }
        Ok(letter)
    }

    /// Records the step in the case's history with the letters' changes, together.
    async fn record_check(
        &self,
        who: &Principal,
        letter: &StoredLetter,
        step: LetterStep,
        changes: Vec<(String, LetterChange)>,
    ) -> Result<(), AppError> {
        let scope = self.grant(who, Permission::HandleCases).await?;
        let (mut contact, scheme, calendar) = self
            .load_for_change(letter.reference.as_str(), None, &scope)
            .await?;
        let context = Context {
            scheme: &scheme,
            calendar: &calendar,
            actor: who.actor(),
            at: self.now(),
            today: self.today(),
            payment_approval_above: None,
        };
        let events = contact.apply(
            Command::CheckLetter {
                letter_id: letter.id.clone(),
                subject: letter.subject.clone(),
                step,
            },
            &context,
        )?;
        match self
            .store
            .save_letter_check(&contact, &events, &changes)
            .await
        {
            Err(redress_store::StoreError::Conflict) => Err(AppError::Conflict(
                "This letter or its case changed while you were working on it. Reload and try again."
                    .into(),
            )),
            other => Ok(other?),
        }
    }
}
