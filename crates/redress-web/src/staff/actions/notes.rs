//! What is written and kept on a case: notes, contact records and files.

use super::fields::*;
use super::{ActionForm, Ctx, Run, answer, load, page, stale_session, version_sent};
use crate::session::{Staff, same_origin};
use crate::{AppState, PageResult, error_page};
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use redress_app::access::Principal;

/// The address of the file form, which uploads post to.
const ADD_FILE: &str = "add-file";

pub(super) const ACTIONS: &[ActionForm] = &[
    ActionForm {
        slug: "add-note",
        title: "Add a note or contact record",
        run: Run::Command(CommandKind::AddNote, parse_add_note),
        fields: fields_add_note,
        ..ActionForm::BASE
    },
    ActionForm {
        slug: ADD_FILE,
        title: "Add a file",
        run: Run::Upload,
        fields: fields_add_file,
        ..ActionForm::BASE
    },
];

fn fields_add_note(c: &Ctx) -> String {
    let Ctx { form, .. } = *c;
    let kinds: crate::forms::Options = NoteKind::ALL
        .iter()
        .map(|k| (k.as_str().to_string(), k.label().to_string()))
        .collect();
    [
        form.select("kind", "What kind of record", "", &kinds),
        c.date("on", "Date", ""),
        c.area("text", "Note", ""),
    ]
    .concat()
}

fn parse_add_note(c: &Ctx, e: &mut FieldErrors) -> Option<Command> {
    let Ctx { form, .. } = *c;
    let kind = e.take("kind", NoteKind::parse(form.v("kind")));
    let on = parse_date(form, e, "on");
    kind.zip(on).map(|(kind, on)| Command::AddNote {
        kind,
        on,
        text: text(form, "text"),
    })
}

fn fields_add_file(c: &Ctx) -> String {
    let Ctx { form, .. } = *c;
    [
        form.input(
            "file",
            "File",
            "PDF, Word (.docx), PNG or JPEG image, or plain text; up to 10 MB.",
            "file",
            "",
            "",
        ),
        c.area(
            "description",
            "What the file is",
            "For example, photographs of the damp in the bedroom",
        ),
    ]
    .concat()
}

/// Receives a file from the "Add a file" form.
pub async fn upload(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Path(reference): Path<String>,
    headers: HeaderMap,
    mut multipart: axum::extract::Multipart,
) -> PageResult {
    let loaded = load(&state, &signed, &reference, ADD_FILE).await?;
    let (mut form, file) = crate::forms::read_upload(&mut multipart).await;
    let version = version_sent(&mut form, &loaded);
    // An upload too large to read saves nothing: it is answered with the form and its
    // message, even when the reading stopped before the form's token.
    if !form.errors.is_empty() {
        return Ok(page(&state, &signed, &loaded, form, version));
    }
    if !same_origin(&headers) || form.values.remove("csrf").as_ref() != Some(&signed.csrf_token) {
        return Ok(stale_session(&state, loaded.contact.reference.as_str()));
    }
    let (file_name, bytes) = file.unwrap_or_default();
    if file_name.is_empty() && bytes.is_empty() {
        form.errors.add("file", "Select a file");
        return Ok(page(&state, &signed, &loaded, form, version));
    }
    let result = state
        .app
        .add_attachment(
            &Principal::staff(&signed.user),
            &reference,
            &file_name,
            &bytes,
            form.v("description"),
            Some(version),
        )
        .await
        .map(|c| c.reference.to_string());
    Ok(answer(&state, &signed, &loaded, form, version, result))
}

/// Sends a file back as a download, never as a page.
pub async fn download(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Path((reference, id)): Path<(String, String)>,
) -> Response {
    match state
        .app
        .case_file(&Principal::staff(&signed.user), &reference, &id)
        .await
    {
        Ok((info, bytes)) => crate::download::uploaded(info.file_type, &info.name, bytes),
        Err(e) => error_page(e),
    }
}
