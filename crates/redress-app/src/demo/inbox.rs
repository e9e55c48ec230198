//! Email in, in the demonstration: a resident's email that never says "complaint" waiting
//! at triage with its receipt sent, and a reply from another resident on their open case,
//! waiting as new correspondence.

use crate::access::Principal;
use crate::{App, AppError};
use redress_domain::contact::{ContactKind, ContactStatus};
use redress_store::ContactFilter;

pub(super) async fn emails(app: &App) -> Result<(), AppError> {
    let arrived = "From: Dewi Harries <dewi.harries@example.org>\r\n\
         To: Complaints <complaints@demo-homes.example>\r\n\
         Subject: Lift out of order again\r\n\
         Message-ID: <demo-lift-1@example.org>\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\n\
         The lift at Tŷ Glas has been broken for nine days now. This is the third time since \
         the summer and nobody has told us when it will be fixed. My mother is 84 and cannot \
         manage the stairs, so she has not been out all week.\r\n\r\nDewi Harries, flat 12\r\n";
    app.take_email(arrived.as_bytes()).await?;
    // A resident answers about their open complaint, quoting its reference.
    let open = app
        .list_cases_for(
            &Principal::System,
            &ContactFilter {
                kind: Some(ContactKind::Complaint),
                status: Some(ContactStatus::Acknowledged),
                per_page: 50,
                ..ContactFilter::default()
            },
        )
        .await?;
    for summary in open.items {
        let c = app.contact_by_reference(summary.reference.as_str()).await?;
        let Some(from) = c.detail.person.as_ref().and_then(|p| p.email.clone()) else {
            continue;
        };
        let reply = format!(
            "From: {from}\r\nTo: complaints@demo-homes.example\r\n\
             Subject: Re: {reference}\r\nMessage-ID: <demo-reply-{reference}@example.org>\r\n\
             Content-Type: text/plain; charset=utf-8\r\n\r\n\
             Thank you for your letter. I am at home every morning next week if someone \
             needs to come and look, except Wednesday.\r\n",
            reference = c.reference
        );
        app.take_email(reply.as_bytes()).await?;
        break;
    }
    Ok(())
}
