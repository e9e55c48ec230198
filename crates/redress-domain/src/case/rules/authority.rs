//! What authority a representative has to act for the person.

use crate::case::Context;
use crate::case::{Contact, ContactError};
use crate::event::{Event, EventKind};
use crate::person::Authority;
use crate::scheme::Scheme;

pub(super) fn accepts_record_authority(c: &Contact, _: &Scheme) -> Result<(), ContactError> {
    if c.detail.representative.is_none() {
        return Err(ContactError::Rule(
            "authority",
            "There is no representative on this case".into(),
        ));
    }
    super::not_erased(c, "authority")
}

impl Contact {
    pub(in crate::case) fn record_authority(
        &mut self,
        authority: Authority,
        ctx: &Context<'_>,
    ) -> Result<Event, ContactError> {
        accepts_record_authority(self, ctx.scheme)?;
        let Some(rep) = self.detail.representative.as_mut() else {
            return Err(ContactError::Rule(
                "authority",
                "There is no representative on this case".into(),
            ));
        };
        if rep.authority == authority {
            return Err(ContactError::Rule(
                "authority",
                format!("This is already recorded: {}", authority.label()),
            ));
        }
        rep.authority = authority;
        Ok(ctx.event(
            EventKind::AuthorityRecorded,
            format!("Authority of {} to act: {}", rep.name, authority.label()),
            serde_json::json!({"authority": authority}),
        ))
    }
}
