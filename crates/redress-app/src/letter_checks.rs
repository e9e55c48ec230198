//! Letters checked before they go. Every letter a member of staff's step writes to a
//! resident is kept as a draft: staff read it, may edit it (the old and new words go in the
//! case's history), and send it — by email, or to the print queue. An organisation can ask
//! for final responses to be approved by a second person first. A draft with a placeholder
//! left unfilled is never sent.

use crate::access::Principal;
use crate::{App, AppError};
use redress_domain::case::{Command, Context, LetterStep};
use redress_domain::letter::{Delivery, LetterKind, Sender, Signatory, delivery_for, unfilled};
use redress_domain::remedy::Pence;
use redress_domain::role::Permission;
use redress_domain::{FieldErrors, Text};
use redress_store::{AdminChange, LetterChange, StoredLetter};

const SIGNATORY: &str = "letters:signatory";
const FINAL_APPROVAL: &str = "letters:final-response-approval";
const PAYMENT_LIMIT: &str = "payments:second-approval-above";
/// Working days a transcription or translation is given, unless the response is due sooner.
const CONVERSION_WORKING_DAYS: u32 = 3;

/// How letters are signed and checked, and who may approve payments, as an organisation
/// sets it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LetterSettings {
    /// Who signs every kind of letter without a signatory of its own.
    pub signatory: Signatory,
    /// Signatories for particular kinds of letter.
    pub by_kind: Vec<(LetterKind, Signatory)>,
    /// Final responses are approved by someone other than who drafted them.
    pub final_response_approval: bool,
    /// Payments above this are approved by someone other than who proposed them.
    pub payment_approval_above: Option<Pence>,
}

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
    Err(AppError::invalid(
        "body",
        format!(
            "Replace {} before sending: the letter would show it as written",
            left.join(", ")
        ),
    ))
}

pub(crate) fn signatory_key(kind: LetterKind) -> String {
    format!("{SIGNATORY}:{}", kind.as_str())
}

fn read_signatory(json: Option<String>) -> Option<Signatory> {
    json.and_then(|j| serde_json::from_str(&j).ok())
}

impl App {
    async fn setting(&self, key: &str) -> Result<Option<String>, AppError> {
        Ok(self.store.setting(&self.organisation.id, key).await?)
    }

    /// How letters are signed and checked, for the administrator's settings page.
    pub async fn letter_settings_for(&self, who: &Principal) -> Result<LetterSettings, AppError> {
        who.require(Permission::Administer)?;
        self.letter_settings().await
    }

    /// How letters are signed and checked, for use cases that have settled who may ask:
    /// read in one query, since every change to a case asks.
    pub(crate) async fn letter_settings(&self) -> Result<LetterSettings, AppError> {
        let stored: std::collections::BTreeMap<String, String> = self
            .store
            .settings_named(&self.organisation.id, "letters:")
            .await?
            .into_iter()
            .collect();
        let get = |key: &str| stored.get(key).cloned();
        let by_kind = LetterKind::ALL
            .iter()
            .filter_map(|kind| read_signatory(get(&signatory_key(*kind))).map(|s| (*kind, s)))
            .collect();
        Ok(LetterSettings {
            signatory: read_signatory(get(SIGNATORY)).unwrap_or_default(),
            by_kind,
            final_response_approval: get(FINAL_APPROVAL).as_deref() == Some("yes"),
            payment_approval_above: self
                .setting(PAYMENT_LIMIT)
                .await?
                .and_then(|p| p.parse::<i64>().ok())
                .map(Pence),
        })
    }

    /// The values every letter's signature block fills, for letters composed outside
    /// `letter_for` (survey invitations, scrutiny letters).
    pub(crate) async fn signature_values(
        &self,
        kind: LetterKind,
        values: &mut std::collections::BTreeMap<&'static str, String>,
    ) -> Result<(), AppError> {
        let sender = self.sender().await?;
        let signatory = sender.signatory(kind).cloned().unwrap_or_default();
        let lines = [signatory.name.trim(), signatory.job_title.trim()];
        let signature: Vec<&str> = lines.into_iter().filter(|l| !l.is_empty()).collect();
        values.insert("signature", signature.join("\n"));
        values.insert("signatory", signatory.name.clone());
        values.insert("job_title", signatory.job_title.clone());
        values.insert("contact_details", sender.contact_details);
        for (key, value) in redress_domain::letter::contact_placeholders(&sender.reach) {
            values.insert(key, value);
        }
        values.insert("organisation", sender.organisation);
        Ok(())
    }

    /// Who letters are from, for composing them.
    pub(crate) async fn sender(&self) -> Result<Sender, AppError> {
        let s = self.letter_settings().await?;
        let mut signatories: Vec<(Option<LetterKind>, Signatory)> = s
            .by_kind
            .into_iter()
            .map(|(k, sig)| (Some(k), sig))
            .collect();
        signatories.push((None, s.signatory));
        Ok(Sender {
            organisation: self.display_name(),
            contact_details: self.reach().in_a_letter(),
            reach: self.reach(),
            signatories,
        })
    }

    /// Saves how letters are signed and checked, from the administrator's form: the
    /// default signatory, the final-response signatory, whether final responses need a
    /// second person, and the payment amount (in pounds) above which one does.
    pub async fn save_letter_settings(
        &self,
        who: &Principal,
        form: &std::collections::BTreeMap<String, String>,
    ) -> Result<(), AppError> {
        who.require(Permission::Administer)?;
        let get = |k: &str| {
            form.get(k)
                .map(|v| v.trim().to_string())
                .unwrap_or_default()
        };
        let mut errors = FieldErrors::new();
        let mut short = |field: &'static str, what: &str| -> String {
            match Text::parse_optional(&get(field), what, 200) {
                Ok(t) => t.map(Text::into_string).unwrap_or_default(),
                Err(m) => {
                    errors.add(field, m);
                    String::new()
                }
            }
        };
        let signatory = Signatory {
            name: short("signatory_name", "the name"),
            job_title: short("signatory_title", "the job title"),
        };
        let final_signatory = Signatory {
            name: short("final_name", "the name"),
            job_title: short("final_title", "the job title"),
        };
        let approval = match get("final_approval").as_str() {
            "yes" | "no" => get("final_approval"),
            _ => {
                errors.add("final_approval", "Select yes or no");
                String::new()
            }
        };
        let limit = get("payment_limit");
        let limit = if limit.is_empty() {
            String::new()
        } else {
            match Pence::parse(&limit) {
                Ok(p) => p.0.to_string(),
                Err(m) => {
                    errors.add("payment_limit", m);
                    String::new()
                }
            }
        };
        errors.into_result()?;
        let json = |s: &Signatory| serde_json::to_string(s).unwrap_or_default();
        let (default_json, final_json) = (json(&signatory), json(&final_signatory));
        let final_key = signatory_key(LetterKind::FinalResponse);
        let final_value = if final_signatory == Signatory::default() {
            String::new()
        } else {
            final_json
        };
        let changes = [
            AdminChange::Setting {
                name: SIGNATORY,
                value: &default_json,
            },
            AdminChange::Setting {
                name: &final_key,
                value: &final_value,
            },
            AdminChange::Setting {
                name: FINAL_APPROVAL,
                value: &approval,
            },
            AdminChange::Setting {
                name: PAYMENT_LIMIT,
                value: &limit,
            },
        ];
        self.change(who, &changes, "Changed how letters are signed and approved")
            .await
    }

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
            .map(|words| format!("{}\n\n{words}", letter.body));
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

    /// What a letter to this person must be turned into before it goes, and the date it
    /// must be ready: three working days, or the case's response date if that is sooner,
    /// so a converted letter never makes a response late.
    pub(crate) async fn conversion(
        &self,
        contact: &redress_domain::contact::Contact,
    ) -> Result<Option<(String, jiff::civil::Date)>, AppError> {
        let Some(need) = redress_domain::letter::conversion_needed(contact) else {
            return Ok(None);
        };
        let today = self.today();
        let soon = self
            .calendar()
            .await?
            .add_working_days(today, CONVERSION_WORKING_DAYS)
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let by = match contact.next_deadline() {
            Some(due) if due >= today => soon.min(due),
            _ => soon,
        };
        Ok(Some((need, by)))
    }

    /// Records a letter waiting to be transcribed or translated as sent in that form, on
    /// the case's history: for those who handle its case.
    pub async fn mark_converted(&self, who: &Principal, id: &str) -> Result<(), AppError> {
        let letter = self
            .store
            .letter(&self.organisation.id, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let contact = self
            .case_in_scope(who, Permission::HandleCases, letter.reference.as_str())
            .await?;
        if contact.case.erased.is_some() {
            return Err(AppError::Conflict(
                "This case's personal data has been erased: the letter was not sent".into(),
            ));
        }
        if !self.store.mark_converted(id, self.now()).await? {
            return Err(AppError::Conflict(
                "This letter is not waiting to be transcribed or translated".into(),
            ));
        }
        let need = letter.convert.unwrap_or_default().to_lowercase();
        let step = Command::CheckLetter {
            letter_id: letter.id.clone(),
            subject: letter.subject.clone(),
            step: LetterStep::Released {
                how: format!("sent as asked: {need}"),
            },
        };
        self.apply_quietly(letter.reference.as_str(), step, who.actor())
            .await?;
        Ok(())
    }

    /// Letters sent in another format or language in a period: the format, how many, and
    /// the average days from being written to going out.
    pub async fn format_conversions(
        &self,
        who: &Principal,
        period: redress_domain::measures::Period,
    ) -> Result<Vec<(String, i64, f64)>, AppError> {
        who.require(Permission::ViewReports)?;
        let tz = redress_domain::contact::uk_time_zone();
        let start = |d: jiff::civil::Date| {
            tz.to_timestamp(d.to_datetime(jiff::civil::Time::midnight()))
                .map_err(|e| AppError::Internal(e.to_string()))
        };
        let to = period
            .to
            .tomorrow()
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let rows = self
            .store
            .conversions(&self.organisation.id, start(period.from)?, start(to)?)
            .await?;
        // Languages are counted together: a rare language and a date could point to a
        // person, and reports carry no personal data.
        let mut grouped: std::collections::BTreeMap<String, (i64, i64)> = Default::default();
        for (need, n, micros) in rows {
            let need = if need.starts_with("Translation") {
                "Translation into another language".to_string()
            } else {
                need
            };
            let entry = grouped.entry(need).or_default();
            entry.0 += n;
            entry.1 += micros;
        }
        Ok(grouped
            .into_iter()
            .map(|(need, (n, micros))| {
                let days = micros as f64 / 86_400_000_000.0 / n.max(1) as f64;
                (need, n, (days * 10.0).round() / 10.0)
            })
            .collect())
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
