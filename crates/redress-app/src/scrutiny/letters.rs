//! Writing to requesters: the private link, decisions and appeal outcomes, by their preferred channel, and letters posted.

use super::bilingual::Values;
use super::*;
use redress_domain::language::Language;
use redress_domain::letter::{Writing, write};
use redress_domain::scrutiny::welsh;

impl App {
    pub(crate) async fn scrutiny_link_letter(
        &self,
        request: &Request,
        answers: &RequestAnswers,
        token: &str,
    ) -> Result<Option<Letter>, AppError> {
        let email = request
            .form
            .as_ref()
            .and_then(|f| f.email.clone())
            .or_else(|| {
                redress_domain::field::parse_email(
                    answers.get("email").map(String::as_str).unwrap_or(""),
                )
                .ok()
                .flatten()
            });
        let Some(email) = email else {
            return Ok(None);
        };
        // A draft's name is as typed: only a clean one goes into the email.
        let name = request
            .form
            .as_ref()
            .map(|f| f.name.to_string())
            .or_else(|| {
                redress_domain::Text::parse(
                    answers.get("name").map(String::as_str).unwrap_or(""),
                    "name",
                    200,
                )
                .ok()
                .map(redress_domain::Text::into_string)
            })
            .unwrap_or_else(|| "resident".into());
        let mut v = Values::default();
        v.both("name", name);
        v.both("link", format!("{}/scrutiny/r/{token}", self.public_url()));
        match self
            .scrutiny_letter(
                request,
                LetterKind::ScrutinyLink,
                Delivery::Email,
                email,
                false,
                v,
            )
            .await
        {
            Ok(letter) => Ok(Some(letter)),
            // The page shows the link too: a resident saving their form is never stopped
            // because the organisation's Welsh wording is missing.
            Err(AppError::Invalid(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    pub(crate) async fn scrutiny_letter(
        &self,
        request: &Request,
        kind: LetterKind,
        delivery: Delivery,
        recipient: String,
        large_print: bool,
        mut v: Values,
    ) -> Result<Letter, AppError> {
        // A request not yet stored has no reference: the placeholder stays for the store.
        if !request.reference.is_empty() {
            v.both("reference", request.reference.clone());
        }
        let mut signature = BTreeMap::new();
        self.signature_values(kind, &mut signature).await?;
        v.extend(signature);
        let reach = self.reach();
        if !reach.is_empty() {
            v.each(
                "contact_details",
                reach.in_a_letter(),
                reach.in_a_letter_in(Language::Welsh),
            );
        }
        let writing = Writing::for_choice(request.language(), self.sender().await?.welsh_first);
        let wordings = self.wordings(&[kind]).await?;
        let written = write(kind, writing, &|k, l| wordings.get(k, l), &|l| v.get(l));
        // Never English in place of Welsh: the step waits until the wording is written.
        if written.missing.is_some() {
            return Err(AppError::invalid(
                "wording",
                format!(
                    "There is no Welsh wording for the letter \"{}\", and this resident asked for Welsh. Add it under Settings, Letter wording, then try again",
                    kind.label()
                ),
            ));
        }
        // The private link is an email the form sends itself; every other letter goes in
        // the format or language the requester asked for, as a complaint's does.
        let convert = match request.form.as_ref().and_then(|f| f.conversion()) {
            Some(need) if kind != LetterKind::ScrutinyLink => {
                Some((need, self.converted_by().await?))
            }
            _ => None,
        };
        Ok(Letter {
            convert,
            ..written.into_letter(kind, delivery, recipient, large_print)
        })
    }

    /// The letters telling the requester of these steps: the acknowledgement, how the
    /// request goes to the team (for a petition, how many must sign and where), and the
    /// meeting that will consider it. Sent the way the requester asked; one who asked for a
    /// phone call is called by staff instead.
    pub(crate) async fn step_letters(
        &self,
        request: &Request,
        steps: &[Step],
    ) -> Result<Vec<Letter>, AppError> {
        let Some(form) = request.form.as_ref() else {
            return Ok(Vec::new());
        };
        let Ok((delivery, recipient, large_print, _)) = self.requester_channel(form) else {
            return Ok(Vec::new());
        };
        let base = self.public_url();
        let reference = &request.reference;
        let mut letters = Vec::new();
        for step in steps {
            let mut v = Values::default();
            v.both("name", form.name.to_string());
            let kind = match step {
                Step::Acknowledged { .. } => {
                    v.date("received", request.received_on);
                    LetterKind::ScrutinyAcknowledged
                }
                Step::RouteSet {
                    route,
                    threshold,
                    eligible,
                } => {
                    let explanation = match route {
                        Route::Petition => format!(
                            "The team asks for a petition: {} residents affected need to sign{}. \
                             They can sign online at {base}/scrutiny/petition/{reference}, or on \
                             paper: print a sheet from {base}/scrutiny/petition/{reference}/sheet, \
                             or ask us to post you some. Each person signs once. We will tell you \
                             when enough people have signed.",
                            threshold.unwrap_or(0),
                            if eligible.is_empty() {
                                String::new()
                            } else {
                                format!(" (residents living in {})", eligible.join(", "))
                            }
                        ),
                        Route::Individual => "An officer will gather the evidence with you and \
                             will be in touch soon. When the evidence is complete, your request \
                             goes to the team's next meeting."
                            .to_string(),
                        Route::SignificantFailure => "The failure you describe is significant, \
                             so your request goes straight to the team's next meeting."
                            .to_string(),
                    };
                    v.each(
                        "explanation",
                        explanation,
                        welsh::route_explanation(
                            *route,
                            *threshold,
                            eligible,
                            &format!("{base}/scrutiny/petition/{reference}"),
                        ),
                    );
                    LetterKind::ScrutinyRoute
                }
                Step::OnAgenda { meeting_on, .. } => {
                    let petition = request.route == Some(Route::Petition)
                        && request.threshold.is_some_and(|t| request.signatures >= t);
                    v.each(
                        "explanation",
                        format!(
                            "{}The Customer Scrutiny Team will consider your Community Call for \
                             Scrutiny {reference} at its meeting on {}. If that meeting is moved, \
                             we will tell you the new date.",
                            if petition {
                                format!(
                                    "Enough residents have signed: {} signatures. ",
                                    request.signatures
                                )
                            } else {
                                String::new()
                            },
                            long_date(*meeting_on)
                        ),
                        welsh::meeting_explanation(
                            petition.then_some(request.signatures),
                            reference,
                            *meeting_on,
                        ),
                    );
                    LetterKind::ScrutinyMeeting
                }
                // Enough residents have signed but no meeting is scheduled yet: the
                // requester hears now, and again with the date once one is.
                Step::Ready { .. }
                    if request.route == Some(Route::Petition)
                        && !steps.iter().any(|s| matches!(s, Step::OnAgenda { .. })) =>
                {
                    v.each(
                        "explanation",
                        format!(
                            "Enough residents have signed your Community Call for Scrutiny \
                             {reference}: {} signatures. It now goes to the Customer Scrutiny \
                             Team's next meeting. No meeting is fixed yet: we will write to \
                             you with the date as soon as it is.",
                            request.signatures
                        ),
                        welsh::ready_explanation(reference, request.signatures),
                    );
                    LetterKind::ScrutinyMeeting
                }
                // Residents are told what changed because they raised it.
                Step::FollowUpDone { outcome, .. } => {
                    let decision = request.decision.as_ref();
                    let referred_to = match decision.map(|d| (d.outcome, d.review_group.as_ref())) {
                        Some((Outcome::Referred, group)) => Some(
                            group
                                .map(|g| g.as_str().to_string())
                                .unwrap_or_else(|| "Grŵp Adolygu Gwasanaethau".into()),
                        ),
                        _ => None,
                    };
                    let welsh_words =
                        welsh::follow_up_explanation(referred_to.as_deref(), reference);
                    v.each(
                        "explanation",
                        match decision.map(|d| (d.outcome, d.review_group.as_ref())) {
                            Some((Outcome::Referred, group)) => format!(
                                "The Customer Scrutiny Team referred your Community Call for \
                                 Scrutiny {reference} to the {}. Its work on it is finished.",
                                group.map(|g| g.as_str()).unwrap_or("Service Review Group")
                            ),
                            _ => format!(
                                "The Customer Scrutiny Team made recommendations to put right \
                                 the failure you told us about in your Community Call for \
                                 Scrutiny {reference}. They have been followed up."
                            ),
                        },
                        welsh_words,
                    );
                    v.both("outcome", outcome.to_string());
                    LetterKind::ScrutinyOutcome
                }
                Step::AppealReceived { on, .. } => {
                    v.date("received", Some(*on));
                    LetterKind::ScrutinyAppealReceived
                }
                _ => continue,
            };
            match self
                .scrutiny_letter(request, kind, delivery, recipient.clone(), large_print, v)
                .await
            {
                Ok(letter) => letters.push(letter),
                // A resident's appeal is taken even when the Welsh wording of its
                // acknowledgement is missing; staff see the appeal and can write.
                Err(AppError::Invalid(_)) if kind == LetterKind::ScrutinyAppealReceived => {
                    tracing::warn!(
                        reference,
                        "no Welsh wording: appeal acknowledgement not sent"
                    );
                }
                Err(e) => return Err(e),
            }
        }
        Ok(letters)
    }

    /// Tells the requester of the decision by their preferred channel: an email or a
    /// printed letter is written now; by phone, staff record the call with `inform`.
    pub(crate) async fn send_scrutiny_decision(
        &self,
        id: &str,
        actor: &Actor,
    ) -> Result<Request, AppError> {
        let (request, version) = self.request_by_id(id).await?;
        let Some(decision) = request.decision.clone() else {
            return Err(AppError::invalid("on", "There is no decision to send"));
        };
        let form = request.form.clone().ok_or(AppError::NotFound)?;
        let (delivery, recipient, large_print, how) = self.requester_channel(&form)?;
        let today = self.today();
        let step = request.inform(today, how, today)?;
        let mut v = Values::default();
        v.both("name", form.name.to_string());
        v.each(
            "outcome",
            decision.outcome.label().to_string(),
            welsh::outcome(decision.outcome).to_string(),
        );
        v.both("reasons", decision.reasons.to_string());
        v.each(
            "explanation",
            match decision.outcome {
                Outcome::Referred => format!(
                    "Your request has been referred to the {} to monitor the service and find improvements.",
                    decision.review_group.as_ref().map(|g| g.as_str()).unwrap_or("Service Review Group")
                ),
                Outcome::SeriousFailure => format!(
                    "The team has made these recommendations to resolve the failure straight away:\n{}",
                    decision.recommendations.as_ref().map(|r| r.as_str()).unwrap_or("")
                ),
                Outcome::Accepted => "Your request adds to the score of its business area when the team chooses the areas to scrutinise this year.".into(),
                Outcome::NotYet => "You can come back to the team once you have used the other ways to resolve your concerns, such as our complaints procedure.".into(),
            },
            welsh::decision_explanation(
                decision.outcome,
                decision.review_group.as_ref().map(|g| g.as_str()),
                decision.recommendations.as_ref().map(|r| r.as_str()),
            ),
        );
        v.date(
            "respond_by",
            redress_domain::scrutiny::appeal::deadline(today),
        );
        // The requester's own link, so they can follow and appeal from the letter. Only a
        // hash of a link is kept, so the letter carries a new one, which replaces the old.
        let token = random_token()?;
        // And a short code, for someone reading the letter on paper or aloud: typed at a
        // short address, it opens the request once.
        let code = crate::auth::short_code()?;
        let expires = self
            .now()
            .checked_add(crate::postal::CODE_LIFETIME)
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let base = self.public_url();
        let until = redress_domain::contact::uk_date(expires);
        v.each(
            "link",
            format!(
                "{base}/scrutiny/r/{token}\nOr go to {base}/scrutiny/code and type the code {}. \
                 The code works once, until {}.",
                crate::auth::spaced(&code),
                long_date(until)
            ),
            welsh::link_with_code(
                &format!("{base}/scrutiny/r/{token}"),
                &format!("{base}/scrutiny/code?lang=cy"),
                &crate::auth::spaced(&code),
                until,
            ),
        );
        let letter = self
            .scrutiny_letter(
                &request,
                LetterKind::ScrutinyDecision,
                delivery,
                recipient,
                large_print,
                v,
            )
            .await?;
        // An organisation's own wording may leave the link out: then the old link stays.
        let carries_link = letter.body.contains(&token);
        let token_hash = token_hash(&token);
        let code_hash = token_hash_of_code(&code, &letter);
        self.write_to_requester(
            request,
            version,
            step,
            letter,
            actor,
            carries_link.then_some(redress_store::NewLink {
                token_hash: &token_hash,
                code: code_hash.as_deref().map(|h| (h, expires)),
            }),
        )
        .await
    }

    /// Sends the panel's final decision the same way.
    pub(crate) async fn send_appeal_decision(
        &self,
        id: &str,
        actor: &Actor,
    ) -> Result<Request, AppError> {
        let (request, version) = self.request_by_id(id).await?;
        let form = request.form.clone().ok_or(AppError::NotFound)?;
        let appeal = request.appeal.clone().ok_or(AppError::NotFound)?;
        let (delivery, recipient, large_print, how) = self.requester_channel(&form)?;
        let today = self.today();
        let step = request.send_appeal_decision(today, how, today)?;
        let mut v = Values::default();
        v.both("name", form.name.to_string());
        v.each(
            "outcome",
            match (appeal.upheld, appeal.outcome) {
                (Some(true), Some(o)) => format!(
                    "your appeal is upheld, and the decision on your request is now: {}",
                    o.label()
                ),
                (Some(true), None) => "your appeal is upheld".to_string(),
                _ => "your appeal is not upheld".to_string(),
            },
            welsh::appeal_outcome(appeal.upheld, appeal.outcome),
        );
        v.both(
            "reasons",
            appeal.reasons.map(|r| r.to_string()).unwrap_or_default(),
        );
        let letter = self
            .scrutiny_letter(
                &request,
                LetterKind::ScrutinyAppealDecision,
                delivery,
                recipient,
                large_print,
                v,
            )
            .await?;
        self.write_to_requester(request, version, step, letter, actor, None)
            .await
    }

    /// An email goes to the outbox and the requester counts as told now; a letter waits to
    /// be printed and posted, and they are told when staff record it posted.
    pub(crate) async fn write_to_requester(
        &self,
        mut request: Request,
        version: i64,
        step: Step,
        letter: Letter,
        actor: &Actor,
        new_link: Option<redress_store::NewLink<'_>>,
    ) -> Result<Request, AppError> {
        if decision_waiting(&self.store.scrutiny_messages(&request.id).await?) {
            return Err(AppError::invalid(
                "on",
                "The letter is waiting to be printed and posted, or transcribed or translated: \
                 record it as sent first",
            ));
        }
        // The requester is told when the letter goes: an email now, unless it must first
        // be transcribed or translated; a letter when it is posted.
        let steps = match (letter.delivery, &letter.convert) {
            (Delivery::Email, None) => {
                request.apply(&step, self.today());
                vec![step]
            }
            _ => Vec::new(),
        };
        self.store
            .save_scrutiny_request_linked(
                &request,
                version,
                &steps,
                &[letter],
                &doer(actor),
                new_link,
            )
            .await?;
        Ok(request)
    }

    /// Staff printed and posted a letter to the requester, or sent it transcribed or
    /// translated as asked: it is marked so, and the requester counts as told of the
    /// decision (or the panel's decision) today.
    pub(crate) async fn scrutiny_letter_posted(
        &self,
        id: &str,
        letter_id: &str,
        actor: &Actor,
    ) -> Result<Request, AppError> {
        let letter = self
            .store
            .scrutiny_messages(id)
            .await?
            .into_iter()
            .find(|m| m.id == letter_id && (m.status == "to-print" || m.status == "to-convert"))
            .ok_or(AppError::NotFound)?;
        let how = match &letter.convert {
            Some(need) if letter.status == "to-convert" => {
                format!("{need} by {}", letter.delivery.label().to_lowercase())
            }
            _ => "letter".to_string(),
        };
        let request = self
            .scrutiny_step(id, actor, |r, today| {
                Ok(vec![match letter.kind {
                    LetterKind::ScrutinyAppealDecision => {
                        r.send_appeal_decision(today, &how, today)?
                    }
                    // Only the decision letter starts the appeal window.
                    LetterKind::ScrutinyDecision => r.inform(today, &how, today)?,
                    _ => r.note(&format!("Letter sent: {} ({how})", letter.subject))?,
                }])
            })
            .await?;
        if letter.status == "to-convert" {
            self.store.mark_converted(&letter.id, self.now()).await?;
        } else {
            self.store
                .mark_letter(&letter.id, "printed", self.now(), None, None)
                .await?;
        }
        Ok(request)
    }

    pub(crate) fn requester_channel(
        &self,
        form: &redress_domain::scrutiny::RequestForm,
    ) -> Result<(Delivery, String, bool, &'static str), AppError> {
        match form.delivery() {
            Some((Delivery::Email, to, large_print)) => {
                Ok((Delivery::Email, to, large_print, "email"))
            }
            Some((Delivery::Post, to, large_print)) => {
                Ok((Delivery::Post, to, large_print, "letter"))
            }
            None => Err(AppError::invalid(
                "how",
                "The requester asked to be contacted by phone: call them, then record how and when they were told",
            )),
        }
    }

    /// The letters and emails sent to a requester, for those who read scrutiny requests.
    pub async fn scrutiny_letters(
        &self,
        who: &Principal,
        id: &str,
    ) -> Result<Vec<redress_store::StoredLetter>, AppError> {
        who.require(Permission::ViewScrutiny)?;
        Ok(self.store.scrutiny_messages(id).await?)
    }

    /// One letter to a requester, to print or send for conversion: for staff who support
    /// requesters, as it holds their address.
    pub async fn scrutiny_letter_for(
        &self,
        who: &Principal,
        id: &str,
        letter_id: &str,
    ) -> Result<redress_store::StoredLetter, AppError> {
        who.require(Permission::SupportScrutiny)?;
        self.store
            .scrutiny_messages(id)
            .await?
            .into_iter()
            .find(|m| m.id == letter_id)
            .ok_or(AppError::NotFound)
    }
}

/// The hash a letter's short code is kept by, when the letter carries it (an
/// organisation's own wording may leave it out).
fn token_hash_of_code(code: &str, letter: &Letter) -> Option<String> {
    letter
        .body
        .contains(&crate::auth::spaced(code))
        .then(|| token_hash(code))
}
