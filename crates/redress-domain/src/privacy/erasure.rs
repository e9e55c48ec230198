//! Erasing a case's personal data while its figures survive.

use super::ERASED;
use crate::case::{Contact, ContactError, Erasure};
use crate::event::Event;
use crate::field::Text;
use crate::person::{Needs, Person};
use jiff::civil::Date;

fn erased() -> String {
    ERASED.to_string()
}

fn erase_text(t: &mut Text) {
    *t = Text::from_trusted(erased());
}

fn erase_opt(s: &mut Option<String>) {
    if s.is_some() {
        *s = Some(erased());
    }
}

/// Names recorded for things the resident did online end "(online)"; they are the resident.
fn erase_if_resident(name: &mut String) {
    if name.ends_with("(online)") {
        *name = "Resident (online)".into();
    }
}

impl Contact {
    /// Whether the case's personal data may be erased now: a closed case, not yet erased.
    /// Erasure is not a case command, so this stands beside `allows` for the menu.
    pub fn may_erase(&self) -> bool {
        self.accepts_erasure().is_ok()
    }

    /// What `erase_personal_data` checks of the case before it looks at the reason given.
    pub fn accepts_erasure(&self) -> Result<(), ContactError> {
        if self.case.erased.is_some() {
            return Err(ContactError::Rule(
                "reason",
                "This case's personal data has already been erased".into(),
            ));
        }
        if self.closed_on.is_none() {
            return Err(ContactError::Rule(
                "reason",
                "This case is still open. Close it before erasing its personal data".into(),
            ));
        }
        Ok(())
    }

    /// Removes everything that identifies or describes the person, keeping what the
    /// figures are made of: kind, channel, dates, stages, outcomes, remedy kinds and amounts,
    /// service area, tenure and the flags.
    ///
    /// Only a closed case is erased (an open one is still being handled), once, for a
    /// recorded reason.
    pub fn erase_personal_data(&mut self, on: Date, reason: &str) -> Result<(), ContactError> {
        let reason = reason.trim().to_string();
        if reason.is_empty() {
            return Err(ContactError::Missing(
                "reason",
                "why the personal data is being erased",
            ));
        }
        self.accepts_erasure()?;
        let erasure = Erasure { on, reason };
        let d = &mut self.detail;
        if let Some(p) = d.person.as_mut() {
            // The equality answers stay: with nothing left to say whose they are, they are
            // part of the figures (who complains), like the kind and the dates.
            let monitoring = p.needs.monitoring;
            // Counted by language in reports, like monitoring; names no one.
            let correspond_in = p.needs.correspond_in;
            *p = Person {
                name: Text::from_trusted(erased()),
                email: None,
                phone: None,
                address: None,
                postcode: None,
                needs: Needs {
                    monitoring,
                    correspond_in,
                    ..Needs::default()
                },
            };
        }
        if let Some(r) = d.representative.as_mut() {
            erase_text(&mut r.name);
            r.email = None;
            r.phone = None;
        }
        d.property_ref = None;
        erase_text(&mut d.summary);
        d.outcome_wanted.as_mut().map(erase_text);
        d.staff_named.as_mut().map(erase_text);

        let c = &mut self.case;
        for stage in &mut c.stages {
            erase_opt(&mut stage.escalation_reason);
            erase_opt(&mut stage.understanding);
            erase_opt(&mut stage.outcome_wanted);
            for x in &mut stage.extensions {
                x.reason = erased();
                erase_opt(&mut x.good_reason);
            }
            if let Some(r) = stage.response.as_mut() {
                r.reasons = erased();
                erase_opt(&mut r.outstanding_actions);
                for p in &mut r.points {
                    p.point = erased();
                }
            }
        }
        if let Some(p) = c.paused.as_mut() {
            p.reason = erased();
        }
        // The assistant quoted the person's words as its reasons; the kind it read stays,
        // for the figures of how often it was right.
        if let Some(s) = c.suggestion.as_mut() {
            s.reasons.clear();
            if let Some(d) = s.decision.as_mut() {
                erase_opt(&mut d.reason);
            }
        }
        // A hazard only suggested was never a fact about the home: it goes.
        c.hazard_suggestion = None;
        erase_opt(&mut c.hazard_dismissed);
        erase_opt(&mut c.time_limit_override);
        if let Some(d) = c.decline.as_mut() {
            d.explanation = erased();
        }
        erase_opt(&mut c.withdrawal);
        for r in &mut c.escalation_refusals {
            r.reason = erased();
        }
        for r in &mut c.remedies {
            r.description = erased();
            for n in &mut r.notes {
                n.text = erased();
            }
        }
        for f in &mut c.referrals {
            erase_opt(&mut f.summary);
            for o in &mut f.orders {
                o.description = erased();
                erase_opt(&mut o.evidence);
            }
        }
        for n in &mut c.notes {
            n.text = erased();
            erase_if_resident(&mut n.by);
        }
        if let Some(r) = c.reply.as_mut() {
            r.text = erased();
        }
        if let Some(o) = c.comment_outcome.as_mut() {
            erase_opt(&mut o.reason);
        }
        for l in &mut c.links {
            erase_opt(&mut l.their_reference);
        }
        if let Some(l) = c.learning.as_mut() {
            l.lessons = erased();
        }
        for a in &mut c.surveys {
            erase_opt(&mut a.why);
            erase_opt(&mut a.better);
        }
        if let Some(r) = c.safeguarding_review.as_mut() {
            r.note = erased();
        }
        // The resident's reasons and the panel's words about them are both personal data.
        if let Some(p) = c.panel.as_mut() {
            p.why = erased();
            if let Some(i) = p.input.as_mut() {
                i.text = erased();
            }
        }
        for f in &mut c.follow_ups {
            erase_opt(&mut f.note);
            if let Some(by) = f.by.as_mut() {
                erase_if_resident(by);
            }
        }
        for e in &mut c.emails {
            // Nothing is left to read: it stops showing as new correspondence.
            e.read = true;
            e.from = erased();
            e.subject = erased();
            e.text = erased();
            e.files.clear();
        }
        for s in &mut c.survey_suggestions {
            s.suggestion.reasons.clear();
            if let Some(d) = s.suggestion.decision.as_mut() {
                erase_opt(&mut d.reason);
            }
        }
        if let Some(d) = c.treated_as_new.as_mut() {
            d.reason = erased();
        }
        for a in &mut c.attachments {
            a.name = erased();
            a.description = erased();
            erase_if_resident(&mut a.by);
            a.redacted_on.get_or_insert(erasure.on);
        }
        c.erased = Some(erasure);
        Ok(())
    }
}

/// Rewrites a history entry after erasure: what kind of change, when and by whom stay;
/// the words that may describe the person go.
pub fn erase_event(event: &mut Event) {
    event.summary = event.kind.label().to_string();
    event.detail = serde_json::json!({ "erased": true });
    erase_if_resident(&mut event.actor.name);
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;
    use crate::intake::ContactKind;
    use jiff::civil::date;

    #[test]
    fn erasure_leaves_nothing_personal_but_keeps_the_figures() {
        let mut c = contact();
        assert!(serde_json::to_string(&c).is_ok_and(|s| s.matches(MARK).count() > 25));
        let refused = |c: &mut Contact, reason: &str| {
            c.erase_personal_data(date(2031, 4, 1), reason)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default()
        };
        assert!(refused(&mut c, "Asked").contains("still open"));
        assert!(!c.may_erase());
        c.closed_on = Some(date(2025, 4, 1));
        assert!(c.may_erase());
        assert_eq!(
            refused(&mut c, " "),
            "Enter why the personal data is being erased"
        );
        assert!(
            c.erase_personal_data(date(2031, 4, 1), "Retention period ended")
                .is_ok()
        );
        assert!(refused(&mut c, "Again").contains("already been erased"));
        assert!(!c.may_erase());
        // Nothing waits on anyone, and nothing new is taken in.
        let scheme = crate::Scheme::built_in().remove(0);
        assert_eq!(c.emails_waiting(), 0);
        assert!(c.survey_suggestion_waiting().is_none());
        for kind in [
            crate::case::CommandKind::RecordEmail,
            crate::case::CommandKind::DismissSurveySuggestion,
            crate::case::CommandKind::TreatAsNew,
        ] {
            assert!(!c.allows(kind, &scheme), "{kind:?}");
        }
        let json = serde_json::to_string(&c).unwrap_or_default();
        assert!(!json.contains(MARK), "{json}");
        assert!(!json.contains("example.com"));
        assert!(!json.contains("CF10"));
        assert!(!json.contains("2087"));
        // The figures survive.
        assert_eq!(c.detail.kind, ContactKind::Complaint);
        assert_eq!(c.received_on, date(2025, 3, 3));
        let stage = &c.case.stages[0];
        assert_eq!(stage.response.as_ref().map(|r| r.points.len()), Some(1));
        assert_eq!(
            c.case.remedies[0].payment.as_ref().map(|p| p.amount.0),
            Some(15000)
        );
        assert_eq!(c.case.attachments[0].redacted_on, Some(date(2031, 4, 1)));
        assert!(c.detail.representative.is_some());
        assert_eq!(
            c.case.surveys[0].outcome,
            Some(crate::survey::Rating::Dissatisfied)
        );
        assert_eq!(
            c.detail
                .person
                .as_ref()
                .and_then(|p| p.needs.monitoring)
                .and_then(|m| m.age),
            Some(crate::equality::AgeBand::From35To44),
            "who complains is counted after erasure too"
        );
        assert_eq!(
            c.case.erased.as_ref().map(|e| e.reason.as_str()),
            Some("Retention period ended")
        );
    }
}
