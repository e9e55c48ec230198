//! Comments and compliments: passing praise on, replying when asked, and what became of
//! a comment.

use super::{OPEN, check_date, optional, required};
use crate::case::{CommentDecision, CommentOutcome, Context, PassedOn, Reply};
use crate::case::{Contact, ContactError};
use crate::event::{Event, EventKind};
use crate::intake::{ContactKind, ContactStatus::*};
use crate::scheme::Scheme;
use jiff::civil::Date;

pub(super) fn accepts_pass_on(c: &Contact, _: &Scheme) -> Result<(), ContactError> {
    if c.detail.kind != ContactKind::Compliment {
        return Err(ContactError::Rule(
            "to",
            "Only a compliment is passed on to the people it praises".into(),
        ));
    }
    if !c.case.passed_on.is_empty() {
        return Err(ContactError::Rule(
            "to",
            "The compliment has already been passed on".into(),
        ));
    }
    Ok(())
}

pub(super) fn accepts_reply_to_comment(c: &Contact, _: &Scheme) -> Result<(), ContactError> {
    if c.detail.kind != ContactKind::Comment {
        return Err(ContactError::Rule(
            "text",
            "Only a comment gets a reply here; answer a complaint with a response".into(),
        ));
    }
    if !c.detail.wants_reply {
        return Err(ContactError::Rule(
            "text",
            "The person did not ask for a reply".into(),
        ));
    }
    if c.case.reply.is_some() {
        return Err(ContactError::Rule(
            "text",
            "The reply is already recorded".into(),
        ));
    }
    Ok(())
}

/// Both halves are what the decision checks, in its own order: the missing reason on a
/// comment not taken forward is reported before a missing reply.
pub(super) fn accepts_decide_comment(c: &Contact, _: &Scheme) -> Result<(), ContactError> {
    comment_open(c)?;
    reply_recorded_if_asked(c)
}

fn comment_open(c: &Contact) -> Result<(), ContactError> {
    if c.detail.kind != ContactKind::Comment {
        return Err(ContactError::Rule(
            "outcome",
            "Only a comment has this outcome".into(),
        ));
    }
    c.require_status(&OPEN, "given an outcome")
}

fn reply_recorded_if_asked(c: &Contact) -> Result<(), ContactError> {
    if c.detail.wants_reply && c.case.reply.is_none() {
        return Err(ContactError::Rule(
            "outcome",
            "Record the reply first: the person asked for one".into(),
        ));
    }
    Ok(())
}

impl Contact {
    pub(in crate::case) fn pass_on(
        &mut self,
        on: Date,
        (to, manager): (String, String),
        notify: Vec<String>,
        ctx: &Context<'_>,
    ) -> Result<Event, ContactError> {
        accepts_pass_on(self, ctx.scheme)?;
        let to = required(&to, "to", "who the compliment was passed to")?;
        let manager = required(&manager, "manager", "their manager")?;
        check_date(
            on,
            self.received_on,
            "the compliment was received",
            ctx.today,
        )?;
        self.case.passed_on.push(PassedOn {
            on,
            to: to.clone(),
            manager: manager.clone(),
        });
        Ok(ctx.event(
            EventKind::PassedOn,
            format!("Compliment passed to {to} and their manager {manager} on {on}"),
            serde_json::json!({"on": on, "to": to, "manager": manager, "notify": notify}),
        ))
    }

    pub(in crate::case) fn reply_to_comment(
        &mut self,
        on: Date,
        text: String,
        ctx: &Context<'_>,
    ) -> Result<Event, ContactError> {
        accepts_reply_to_comment(self, ctx.scheme)?;
        let text = required(&text, "text", "the reply")?;
        check_date(on, self.received_on, "the comment was received", ctx.today)?;
        self.case.reply = Some(Reply {
            on,
            text: text.clone(),
        });
        let late = self.case.reply_by.is_some_and(|due| on > due);
        Ok(ctx.event(
            EventKind::Replied,
            format!("Reply sent on {on}{}", if late { " (late)" } else { "" }),
            serde_json::json!({"on": on, "text": text, "late": late}),
        ))
    }

    pub(in crate::case) fn decide_comment(
        &mut self,
        on: Date,
        outcome: CommentOutcome,
        reason: Option<String>,
        ctx: &Context<'_>,
    ) -> Result<Event, ContactError> {
        comment_open(self)?;
        let reason = optional(reason);
        if outcome == CommentOutcome::NotTakenForward && reason.is_none() {
            return Err(ContactError::Missing(
                "reason",
                "why it is not being taken forward",
            ));
        }
        reply_recorded_if_asked(self)?;
        check_date(on, self.received_on, "the comment was received", ctx.today)?;
        self.case.comment_outcome = Some(CommentDecision {
            on,
            outcome,
            reason: reason.clone(),
        });
        self.status = Closed;
        self.closed_on = Some(on);
        Ok(ctx.event(
            EventKind::Closed,
            format!(
                "Comment {} on {on}{}",
                outcome.label().to_lowercase(),
                reason
                    .as_ref()
                    .map(|r| format!(": {r}"))
                    .unwrap_or_default()
            ),
            serde_json::json!({"on": on, "outcome": outcome, "reason": reason}),
        ))
    }
}

#[cfg(test)]
mod tests {
    use crate::case::test_support::*;
    use crate::case::*;
    use crate::intake::ContactStatus;
    use jiff::civil::date;

    #[test]
    fn comments_get_a_reply_only_when_asked_and_an_outcome() {
        let mut quiet = contact("comment", false);
        assert_eq!(quiet.respond_by(), None);
        assert!(
            run(
                &mut quiet,
                Command::ReplyToComment {
                    on: date(2025, 3, 4),
                    text: "Thanks".into()
                }
            )
            .is_err()
        );
        assert!(
            run(
                &mut quiet,
                Command::Close {
                    on: date(2025, 3, 4)
                }
            )
            .is_err_and(|e| e.to_string().contains("outcome"))
        );
        let not_forward = Command::DecideComment {
            on: date(2025, 3, 4),
            outcome: CommentOutcome::NotTakenForward,
            reason: None,
        };
        assert!(run(&mut quiet, not_forward).is_err_and(|e| e.field() == "reason"));
        assert!(
            run(
                &mut quiet,
                Command::DecideComment {
                    on: date(2025, 3, 4),
                    outcome: CommentOutcome::Noted,
                    reason: None
                }
            )
            .is_ok()
        );
        assert_eq!(quiet.status, ContactStatus::Closed);

        let mut asked = contact("comment", true);
        assert_eq!(
            asked.respond_by(),
            Some(date(2025, 3, 17)),
            "ten working days to reply"
        );
        assert_eq!(
            asked.deadlines_on(&calendar(), date(2025, 3, 3))[0].label,
            "Reply by"
        );
        let decide = Command::DecideComment {
            on: date(2025, 3, 5),
            outcome: CommentOutcome::ActedOn,
            reason: None,
        };
        assert!(
            run(&mut asked, decide.clone()).is_err_and(|e| e.to_string().contains("reply first"))
        );
        assert!(
            run(
                &mut asked,
                Command::ReplyToComment {
                    on: date(2025, 3, 5),
                    text: "We will post the schedule".into()
                }
            )
            .is_ok()
        );
        assert_eq!(asked.responded_on(), Some(date(2025, 3, 5)));
        assert!(run(&mut asked, decide).is_ok());
    }

    #[test]
    fn compliments_are_passed_on_and_contacts_routed() {
        let mut c = contact("compliment", false);
        assert!(
            run(
                &mut c,
                Command::PassOn {
                    on: date(2025, 3, 4),
                    to: "Huw, caretaking".into(),
                    manager: " ".into(),
                    notify: Vec::new()
                }
            )
            .is_err()
        );
        assert!(
            run(
                &mut c,
                Command::PassOn {
                    on: date(2025, 3, 4),
                    to: "Huw, caretaking".into(),
                    manager: "Gareth Hughes".into(),
                    notify: Vec::new()
                }
            )
            .is_ok()
        );
        assert!(
            run(
                &mut c,
                Command::SetServiceArea {
                    id: "a3".into(),
                    name: "Estate services".into()
                }
            )
            .is_ok()
        );
        assert!(
            run(
                &mut c,
                Command::SetServiceArea {
                    id: "a3".into(),
                    name: "Estate services".into()
                }
            )
            .is_err()
        );
        assert!(
            run(
                &mut c,
                Command::Close {
                    on: date(2025, 3, 5)
                }
            )
            .is_ok()
        );
        let mut complaint = received("");
        assert!(
            run(
                &mut complaint,
                Command::PassOn {
                    on: date(2025, 3, 4),
                    to: "x".into(),
                    manager: "y".into(),
                    notify: Vec::new()
                }
            )
            .is_err()
        );
    }
}
