//! Files for staff to download: never cached (they may hold personal data), always saved
//! rather than shown, and CSV cells that a spreadsheet will not run as formulas.

use axum::http::header;
use axum::response::{IntoResponse, Response};

/// A file download with its type and name.
pub(crate) fn attachment(content_type: &str, filename: &str, body: impl IntoResponse) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", filename.replace('"', "")),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        body,
    )
        .into_response()
}

/// A file someone uploaded, sent back as a download: as `attachment`, and sandboxed, so a
/// file that a browser would run (HTML in disguise) runs nothing.
pub(crate) fn uploaded(
    file_type: redress_domain::attachment::FileType,
    filename: &str,
    bytes: Vec<u8>,
) -> Response {
    let mut response = attachment(file_type.content_type(), filename, bytes);
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        header::HeaderValue::from_static("sandbox; default-src 'none'"),
    );
    response
}

/// A spreadsheet cell that a spreadsheet program would not run as a formula.
/// A plain number (such as -38 working days) stays a number: a spreadsheet runs no
/// formula from it, and a quote in front would turn it into text.
pub(crate) fn csv_cell(value: &str) -> String {
    let number = value.strip_prefix('-').is_some_and(|n| {
        !n.is_empty()
            && n.bytes().all(|b| b.is_ascii_digit() || b == b'.')
            && n.parse::<f64>().is_ok()
    });
    let safe = if !number && value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if safe.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", safe.replace('"', "\"\""))
    } else {
        safe
    }
}

/// Rows as a CSV download with a header line.
pub(crate) fn csv(filename: &str, header: &[&str], rows: &[Vec<String>]) -> Response {
    let mut csv = header.join(",");
    csv.push_str("\r\n");
    for row in rows {
        csv.push_str(
            &row.iter()
                .map(|v| csv_cell(v))
                .collect::<Vec<_>>()
                .join(","),
        );
        csv.push_str("\r\n");
    }
    attachment("text/csv; charset=utf-8", filename, csv)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_never_run_as_formulas() {
        assert_eq!(csv_cell("=1+1"), "'=1+1");
        assert_eq!(csv_cell("-5"), "-5");
        assert_eq!(csv_cell("-2.5"), "-2.5");
        assert_eq!(csv_cell("-5+A1"), "'-5+A1");
        assert_eq!(csv_cell("-"), "'-");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("a, b"), "\"a, b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("12"), "12");
    }
}
