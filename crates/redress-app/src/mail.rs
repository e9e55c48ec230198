//! Sending the outbox by SMTP. Emails are written to the outbox in the same transaction as
//! the change that called for them; this worker claims what is due, sends it, and records
//! the result. A failed send is retried with growing gaps; a send interrupted part-way is
//! never retried by itself (see `Store::claim_outbox`), so nobody gets the same email twice.

use crate::{App, AppError};
use jiff::SignedDuration;
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use redress_domain::letter::html_in;
use redress_store::StoredLetter;

/// Attempts before an email is marked as failed for a person to look at.
pub const MAX_ATTEMPTS: i64 = 8;
/// How long a worker may hold an email before it counts as interrupted.
pub const LEASE: SignedDuration = SignedDuration::from_mins(5);

#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The URL may hold a password: show only who mail is from.
        f.debug_struct("Mailer")
            .field("from", &self.from.to_string())
            .finish()
    }
}

impl Mailer {
    /// `smtp://user:password@host:587?tls=required`, `smtps://host`, or for a local relay
    /// `smtp://127.0.0.1:25`.
    pub fn new(url: &str, from: &str) -> Result<Mailer, AppError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| AppError::Setup(format!("REDRESS_SMTP_URL is not usable: {e}")))?
            .build();
        let from = from
            .parse()
            .map_err(|e| AppError::Setup(format!("REDRESS_MAIL_FROM is not an address: {e}")))?;
        Ok(Mailer { transport, from })
    }

    fn message(&self, letter: &StoredLetter) -> Result<Message, String> {
        let to: Mailbox = letter
            .recipient
            .parse()
            .map_err(|e| format!("the address cannot be used: {e}"))?;
        let html = format!(
            "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title></head><body style=\"font-family: Arial, sans-serif; font-size: {}; line-height: 1.5\">{}</body></html>",
            letter.language.as_str(),
            // The title is plain text: escaped, never made into paragraphs.
            letter
                .subject
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;"),
            if letter.large_print { "20px" } else { "16px" },
            html_in(&letter.body, letter.language)
        );
        // The letter's own Message-ID, so a reply (In-Reply-To, References) finds its case.
        let message_id = format!("<letter-{}@{}>", letter.id, self.from.email.domain());
        Message::builder()
            .message_id(Some(message_id))
            .from(self.from.clone())
            .to(to)
            .subject(&letter.subject)
            .multipart(MultiPart::alternative_plain_html(letter.body.clone(), html))
            .map_err(|e| e.to_string())
    }
}

/// Minutes to wait before attempt `n + 1`: 1, 2, 4, 8… up to six hours.
fn backoff(attempts: i64) -> SignedDuration {
    let minutes = 1i64 << attempts.clamp(0, 9);
    SignedDuration::from_mins(minutes.min(360))
}

impl App {
    /// Sends what is due now; returns how many were sent.
    pub async fn deliver_outbox(&self, mailer: &Mailer) -> Result<usize, AppError> {
        let now = self.now();
        let lease_until = now
            .checked_add(LEASE)
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let due = self.store.claim_outbox(now, lease_until, 20).await?;
        let mut sent = 0;
        for letter in due {
            let result = match mailer.message(&letter) {
                Ok(message) => mailer
                    .transport
                    .send(message)
                    .await
                    .map_err(|e| (e.is_permanent(), e.to_string())),
                Err(e) => Err((true, e)),
            };
            match result {
                Ok(_) => {
                    self.store
                        .mark_letter(&letter.id, "sent", self.now(), None, None)
                        .await?;
                    sent += 1;
                }
                Err((permanent, error)) if permanent || letter.attempts >= MAX_ATTEMPTS => {
                    tracing::warn!(letter = %letter.id, %error, "email failed; a person needs to look at it");
                    self.store
                        .mark_letter(&letter.id, "failed", self.now(), Some(&error), None)
                        .await?;
                }
                Err((_, error)) => {
                    let next = self
                        .now()
                        .checked_add(backoff(letter.attempts))
                        .unwrap_or(lease_until);
                    tracing::info!(letter = %letter.id, %error, "email will be retried");
                    self.store
                        .mark_letter(&letter.id, "pending", self.now(), Some(&error), Some(next))
                        .await?;
                }
            }
        }
        Ok(sent)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn backoff_grows_and_is_capped() {
        assert_eq!(super::backoff(1).as_mins(), 2);
        assert_eq!(super::backoff(3).as_mins(), 8);
        assert_eq!(super::backoff(20).as_mins(), 360);
    }
}
