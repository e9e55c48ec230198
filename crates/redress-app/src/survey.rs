//! Satisfaction surveys: the invitation sent when a stage is answered (or a comment or
//! compliment dealt with), and the answer, taken once from a link without signing in.

use crate::auth::{random_token, token_hash};
use crate::{App, AppError};
use jiff::SignedDuration;
use redress_domain::case::Command;
use redress_domain::contact::Contact;
use redress_domain::letter::{Delivery, Letter, LetterKind, delivery_for};
use redress_domain::survey::SurveyAnswer;
use std::collections::BTreeMap;

/// Long enough for a letter to arrive and be answered by post-reading residents.
pub const SURVEY_LIFETIME: SignedDuration = SignedDuration::from_hours(24 * 60);

impl App {
    /// The invitation to a survey about `stage` (0 for comments and compliments), by the
    /// person's preferred channel; none for anonymous contacts.
    pub(crate) async fn survey_invitation(
        &self,
        contact: &Contact,
        stage: u8,
    ) -> Result<Option<Letter>, AppError> {
        let Some((delivery, recipient, large_print)) = delivery_for(contact) else {
            return Ok(None);
        };
        // A posted invitation is typed from paper: a short code, not a long token.
        let token = match delivery {
            Delivery::Post => crate::auth::short_code()?,
            Delivery::Email => random_token()?,
        };
        let now = self.now();
        let expires = now
            .checked_add(SURVEY_LIFETIME)
            .map_err(|e| AppError::Internal(e.to_string()))?;
        self.store
            .create_survey(&token_hash(&token), &contact.id, stage, now, expires)
            .await?;
        let mut v = BTreeMap::new();
        v.insert("name", contact.addressee());
        v.insert("reference", contact.reference.to_string());
        v.insert("stage", stage.to_string());
        v.insert("link", format!("{}/survey/{token}", self.public_url()));
        self.signature_values(LetterKind::SurveyInvitation, &mut v)
            .await?;
        let written = self
            .write_to(contact, LetterKind::SurveyInvitation, false, &|_| v.clone())
            .await?;
        Ok(Some(written.into_letter(
            LetterKind::SurveyInvitation,
            delivery,
            recipient,
            large_print,
        )))
    }

    /// The case and stage a survey link is for, while it is unanswered and in date.
    pub async fn survey(&self, token: &str) -> Result<(Contact, u8), AppError> {
        let (id, stage) = self
            .store
            .survey(&token_hash(&crate::auth::typed_key(token)), self.now())
            .await?
            .ok_or(AppError::Forbidden)?;
        let contact = self
            .store
            .contact_by_id(&self.organisation.id, &id)
            .await?
            .ok_or(AppError::Forbidden)?;
        Ok((contact, stage))
    }

    /// Records the answers. The link is used up only once the answers are valid, so a
    /// mistake on the form never loses the chance to answer.
    pub async fn answer_survey(
        &self,
        token: &str,
        handling: &str,
        outcome: &str,
        why: &str,
        better: &str,
    ) -> Result<SurveyAnswer, AppError> {
        let (contact, stage) = self.survey(token).await?;
        let answer = SurveyAnswer::parse(
            stage,
            stage > 0,
            handling,
            outcome,
            why,
            better,
            self.today(),
        )
        .map_err(AppError::Invalid)?;
        if self
            .store
            .consume_survey(&token_hash(&crate::auth::typed_key(token)), self.now())
            .await?
            .is_none()
        {
            return Err(AppError::Forbidden);
        }
        self.apply_as(
            contact.reference.as_str(),
            Command::RecordSurvey {
                answer: answer.clone(),
            },
            Self::resident_actor(&contact),
        )
        .await?;
        Ok(answer)
    }
}
