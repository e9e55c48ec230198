//! Taking personal data out of a case: redacting a note, removing a file, erasing the case.

use super::fields::*;
use super::{ActionForm, Ctx, Performed, Run, Use};

pub(super) const ACTIONS: &[ActionForm] = &[
    ActionForm {
        slug: "redact-note",
        title: "Redact a note",
        intro: "Use this for words that should never have been recorded, such as someone else's personal details. The note's words are replaced everywhere in the history; that a note was made, when and by whom stays.",
        button: "Redact note",
        run: Run::Command(CommandKind::RedactNote, parse_redact_note),
        fields: fields_redact_note,
        ..ActionForm::BASE
    },
    ActionForm {
        slug: "remove-file",
        title: "Remove a file",
        intro: "The file is deleted for good. The history keeps that a file was added and removed, and why.",
        button: "Remove file",
        run: Run::Command(CommandKind::RedactAttachment, parse_remove_file),
        fields: fields_remove_file,
        ..ActionForm::BASE
    },
    ActionForm {
        slug: "erase-personal-data",
        title: "Erase personal data",
        intro: "This removes the resident's name, contact details, needs, everything they and staff wrote, letters and files from this case, for good. Dates, stages, outcomes and remedy amounts stay so the figures still add up. Use it for an erasure request or when the case must not be kept.",
        button: "Erase personal data",
        run: Run::Special {
            offered: |c, _| c.may_erase(),
            perform: erase,
        },
        fields: fields_erase,
        permission: Permission::Administer,
        ..ActionForm::BASE
    },
];

fn fields_redact_note(c: &Ctx) -> String {
    let Ctx { form, contact, .. } = *c;
    let notes: crate::forms::Options =
        std::iter::once((String::new(), "Select a note".to_string()))
            .chain(redactable_notes(contact).map(|(i, n)| {
                let words: String = n.text.chars().take(60).collect();
                (
                    i.to_string(),
                    format!("Note {} ({}, {}): {words}", i + 1, n.on, n.kind.label()),
                )
            }))
            .collect();
    [
        form.select("note", "Which note", "", &notes),
        c.area("reason", "Why it is being redacted", ""),
    ]
    .concat()
}

fn parse_redact_note(c: &Ctx, e: &mut FieldErrors) -> Option<Command> {
    let Ctx { form, .. } = *c;
    let index = match form.v("note").parse::<usize>() {
        Ok(i) => Some(i),
        Err(_) => {
            e.add("note", "Select the note to redact");
            None
        }
    };
    index.map(|index| Command::RedactNote {
        index,
        reason: text(form, "reason"),
    })
}

fn fields_remove_file(c: &Ctx) -> String {
    let Ctx { form, contact, .. } = *c;
    let files: crate::forms::Options =
        std::iter::once((String::new(), "Select a file".to_string()))
            .chain(
                contact
                    .case
                    .attachments
                    .iter()
                    .filter(|a| a.redacted_on.is_none())
                    .map(|a| (a.id.clone(), format!("{}: {}", a.name, a.description))),
            )
            .collect();
    [
        form.select("file", "Which file", "", &files),
        c.area("reason", "Why it is being removed", ""),
    ]
    .concat()
}

fn parse_remove_file(c: &Ctx, e: &mut FieldErrors) -> Option<Command> {
    let Ctx { form, .. } = *c;
    let id = form.v("file").trim().to_string();
    if id.is_empty() {
        e.add("file", "Select the file to remove");
    }
    Some(Command::RedactAttachment {
        id,
        reason: text(form, "reason"),
    })
}

fn fields_erase(c: &Ctx) -> String {
    c.area(
        "reason",
        "Why the personal data is being erased",
        "For example: erasure request received on 3 March 2026 and agreed by the data protection officer.",
    )
}

/// Erasure is not a change the case decides: it takes the personal data out of it.
fn erase(u: Use<'_>) -> Performed<'_> {
    Box::pin(async move {
        let reference = u.ctx.contact.reference.to_string();
        u.app
            .erase_on_request(u.who, &reference, u.ctx.form.v("reason"))
            .await?;
        Ok(reference)
    })
}
