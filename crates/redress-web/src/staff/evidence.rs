//! The evidence bundle for an ombudsman: one zip with an index, the case's chronology, every
//! letter as it went, every file kept and the remedies. Made from the case page, or with
//! `redress case bundle`; both record it in the case's history.

use crate::html::escape;
use crate::session::{StaffForm, needs};
use crate::{AppState, error_page};
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use redress_app::access::Principal;
use redress_app::evidence::Evidence;
use redress_domain::calendar::{long_date, long_date_time};
use std::io::Write;

pub fn routes() -> Router<AppState> {
    Router::new().route("/staff/cases/{reference}/evidence", post(download))
}

/// Makes the bundle and hands it over as a download.
async fn download(
    State(state): State<AppState>,
    Path(reference): Path<String>,
    StaffForm { signed, .. }: StaffForm<needs::HandleCases>,
) -> Response {
    let who = Principal::staff(&signed.user);
    let evidence = match state.app.evidence_bundle(&who, &reference).await {
        Ok(e) => e,
        Err(e) => return error_page(e),
    };
    match bundle_zip(&evidence, &state.app.display_name()) {
        Ok(bytes) => {
            let name = format!(
                "attachment; filename=\"{}-evidence.zip\"",
                evidence.view.contact.reference
            );
            let mut response = (StatusCode::OK, bytes).into_response();
            let headers = response.headers_mut();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/zip"),
            );
            if let Ok(v) = HeaderValue::from_str(&name) {
                headers.insert(header::CONTENT_DISPOSITION, v);
            }
            response
        }
        Err(e) => error_page(redress_app::AppError::Internal(e)),
    }
}

/// A page of the bundle: plain HTML that opens in any browser, with no scripts or links out.
fn document(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title>\
         <style>body{{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.4}}\
         table{{border-collapse:collapse}}td,th{{border:1px solid #999;padding:4px 8px;text-align:left;vertical-align:top}}\
         pre{{white-space:pre-wrap;font-family:inherit}}</style></head>\n<body>\n<h1>{}</h1>\n{body}\n</body></html>\n",
        escape(title),
        escape(title)
    )
}

/// A name safe inside a zip on any system: letters, digits, dots and hyphens.
fn safe_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    cleaned.trim_matches(|c| c == '.' || c == '-').to_string()
}

fn chronology(e: &Evidence) -> String {
    let rows: String = e
        .view
        .events
        .iter()
        .map(|ev| {
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                escape(&long_date_time(ev.at)),
                escape(&ev.actor.name),
                escape(ev.kind.label()),
                escape(&ev.summary)
            )
        })
        .collect();
    document(
        &format!("{}: chronology", e.view.contact.reference),
        &format!(
            "<p>Every change to the case, oldest first, as recorded when it happened.</p>\n\
             <table><thead><tr><th>When</th><th>Who</th><th>What</th><th>Details</th></tr></thead><tbody>\n{rows}</tbody></table>"
        ),
    )
}

fn remedies(e: &Evidence) -> String {
    let case = &e.view.contact.case;
    if case.remedies.is_empty() {
        return document(
            &format!("{}: remedies", e.view.contact.reference),
            "<p>No remedies were recorded on this case.</p>",
        );
    }
    let rows: String = case
        .remedies
        .iter()
        .map(|r| {
            let payment = r.payment.as_ref().map_or_else(String::new, |p| {
                format!(
                    "{}; approved {}; paid {}",
                    p.amount,
                    p.approved_on.map_or("not yet".into(), long_date),
                    p.paid_on.map_or("not yet".into(), long_date)
                )
            });
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                r.id,
                escape(r.kind.label()),
                escape(&r.description),
                escape(&long_date(r.due)),
                escape(&r.done_on.map_or("Not yet".into(), long_date)),
                escape(&payment)
            )
        })
        .collect();
    document(
        &format!("{}: remedies", e.view.contact.reference),
        &format!(
            "<table><thead><tr><th>No.</th><th>Kind</th><th>What</th><th>Due</th><th>Done</th><th>Payment</th></tr></thead>\
             <tbody>\n{rows}</tbody></table>"
        ),
    )
}

fn letter(l: &redress_store::StoredLetter) -> String {
    let went = l.sent_at.or(l.converted_at).unwrap_or(l.created_at);
    document(
        &l.subject,
        &format!(
            "<p>{}, to {}; went {}.</p>\n<pre>{}</pre>",
            escape(l.kind.label()),
            escape(&l.recipient),
            escape(&long_date_time(went)),
            escape(&l.body)
        ),
    )
}

/// The bundle as a zip: `index.html` first, naming everything in it.
pub fn bundle_zip(e: &Evidence, organisation: &str) -> Result<Vec<u8>, String> {
    let c = &e.view.contact;
    let mut entries: Vec<(String, Vec<u8>, String)> = vec![
        (
            "chronology.html".into(),
            chronology(e).into_bytes(),
            format!("Chronology: {} entries", e.view.events.len()),
        ),
        (
            "remedies.html".into(),
            remedies(e).into_bytes(),
            format!("Remedies and payments: {}", c.case.remedies.len()),
        ),
    ];
    for (n, l) in e.letters.iter().enumerate() {
        let went = l.sent_at.or(l.converted_at).unwrap_or(l.created_at);
        entries.push((
            format!("letters/{:02}-{}.html", n + 1, l.kind.as_str()),
            letter(l).into_bytes(),
            format!("{}, {}", l.kind.label(), long_date_time(went)),
        ));
    }
    for (n, (info, bytes)) in e.files.iter().enumerate() {
        entries.push((
            format!("files/{:02}-{}", n + 1, safe_name(&info.name)),
            bytes.clone(),
            format!(
                "{}: {} (added {} by {})",
                info.name,
                info.description,
                long_date(info.added_on),
                info.by
            ),
        ));
    }
    let list: String = entries
        .iter()
        .map(|(path, _, about)| {
            format!(
                "<li><a href=\"{}\">{}</a>: {}</li>\n",
                escape(path),
                escape(path),
                escape(about)
            )
        })
        .collect();
    let index = document(
        &format!("{}: evidence for the Ombudsman", c.reference),
        &format!(
            "<p>{} · made {} by {}.</p>\n\
             <p>This bundle holds this case's record only. Other cases are named by reference; \
             who opened the case, and files taken out for privacy, are not included.</p>\n<ul>\n{list}</ul>",
            escape(organisation),
            escape(&long_date_time(e.made_at)),
            escape(&e.made_by)
        ),
    );
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let add = |zip: &mut zip::ZipWriter<std::io::Cursor<Vec<u8>>>,
               path: &str,
               bytes: &[u8]|
     -> Result<(), String> {
        zip.start_file(path, options).map_err(|e| e.to_string())?;
        zip.write_all(bytes).map_err(|e| e.to_string())
    };
    add(&mut zip, "index.html", index.as_bytes())?;
    for (path, bytes, _) in &entries {
        add(&mut zip, path, bytes)?;
    }
    zip.finish()
        .map(std::io::Cursor::into_inner)
        .map_err(|e| e.to_string())
}
