//! Historic cases brought from another system, in the CSV format documented in
//! docs/importing.md: one row per contact, with the dates of what happened to it. Each row
//! becomes a contact and the lifecycle commands that replay its history.

use crate::FieldErrors;
use crate::case::{Command, PointDecision};
use crate::intake::ContactInput;
use jiff::civil::Date;
use std::collections::BTreeMap;

/// The columns a file may have; `source_id`, `kind`, `channel`, `received_date` and
/// `summary` are required.
pub const COLUMNS: &[&str] = &[
    "source_id",
    "kind",
    "channel",
    "received_date",
    "name",
    "email",
    "phone",
    "address",
    "postcode",
    "tenure",
    "service_area",
    "summary",
    "outcome_wanted",
    "stage1_acknowledged_on",
    "stage1_responded_on",
    "stage1_outcome",
    "stage2_requested_on",
    "stage2_acknowledged_on",
    "stage2_responded_on",
    "stage2_outcome",
    "withdrawn_on",
    "closed_on",
];

/// Splits CSV text into records (RFC 4180: quoted fields may hold commas, quotes doubled,
/// and line breaks). A byte-order mark at the start is ignored.
pub fn parse_csv(text: &str) -> Result<Vec<Vec<String>>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    let mut line = 1;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => {
                if c == '\n' {
                    line += 1;
                }
                field.push(c);
            }
            (false, '"') if field.is_empty() => quoted = true,
            (false, '"') => return Err(format!("Line {line}: a quote in the middle of a field")),
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
                line += 1;
            }
            (false, c) => field.push(c),
        }
    }
    if quoted {
        return Err(format!("Line {line}: a quoted field is not closed"));
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        records.push(record);
    }
    records.retain(|r| !(r.len() == 1 && r[0].trim().is_empty()));
    Ok(records)
}

/// One row of the file, ready to replay.
#[derive(Debug, Clone)]
pub struct ImportRow {
    /// The old system's identifier: importing the same id twice records one case.
    pub source_id: String,
    pub input: ContactInput,
    /// Each step of the history with the column its date came from, for messages.
    pub steps: Vec<(&'static str, Command)>,
}

fn points(outcome: &str) -> Result<Vec<PointDecision>, String> {
    let point = |upheld| PointDecision {
        point: "As recorded in the previous system".into(),
        upheld,
    };
    match outcome.trim() {
        "upheld" => Ok(vec![point(true)]),
        "not-upheld" => Ok(vec![point(false)]),
        "partly-upheld" => Ok(vec![point(true), point(false)]),
        _ => Err("Enter upheld, partly-upheld or not-upheld".into()),
    }
}

impl ImportRow {
    /// Reads a record against the header. Field names in errors are the column names.
    pub fn from_record(header: &[String], record: &[String]) -> Result<ImportRow, FieldErrors> {
        let mut e = FieldErrors::new();
        if record.len() != header.len() {
            e.add(
                "row",
                format!(
                    "Has {} fields but the header has {}",
                    record.len(),
                    header.len()
                ),
            );
            return Err(e);
        }
        let v: BTreeMap<&str, &str> = header
            .iter()
            .map(String::as_str)
            .zip(record.iter().map(|s| s.trim()))
            .collect();
        let get = |k: &str| v.get(k).copied().unwrap_or("");
        let source_id = get("source_id").to_string();
        // The id becomes the contact's submission key, which holds letters, digits and
        // dashes only; anything else would have to be rewritten, and two ids could meet.
        if source_id.is_empty()
            || source_id.len() > 80
            || !source_id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            e.add(
                "source_id",
                "Enter the old system's id: 1 to 80 letters, digits or dashes",
            );
        }
        let name = get("name");
        let reachable =
            !(get("email").is_empty() && get("phone").is_empty() && get("address").is_empty());
        let who = if name.is_empty() && !reachable {
            "anonymous"
        } else {
            "myself"
        };
        let input = ContactInput {
            kind: get("kind").into(),
            channel: get("channel").into(),
            who: who.into(),
            name: name.into(),
            email: get("email").into(),
            phone: get("phone").into(),
            address: get("address").into(),
            postcode: get("postcode").into(),
            tenure: get("tenure").into(),
            service_area: get("service_area").into(),
            summary: get("summary").into(),
            outcome_wanted: get("outcome_wanted").into(),
            received_date: get("received_date").into(),
            received_time: "09:00".into(),
            ..Default::default()
        };
        let mut date = |field: &str| -> Option<Date> {
            let raw = get(field);
            if raw.is_empty() {
                return None;
            }
            match raw.parse() {
                Ok(d) => Some(d),
                Err(_) => {
                    e.add(field, "Enter a real date as YYYY-MM-DD");
                    None
                }
            }
        };
        let ack1 = date("stage1_acknowledged_on");
        let resp1 = date("stage1_responded_on");
        let esc = date("stage2_requested_on");
        let ack2 = date("stage2_acknowledged_on");
        let resp2 = date("stage2_responded_on");
        let withdrawn = date("withdrawn_on");
        let closed = date("closed_on");
        let mut steps = Vec::new();
        let acknowledge = |on| Command::Acknowledge {
            on,
            understanding: "Imported from the previous system".into(),
            outcome_wanted: "Imported from the previous system".into(),
        };
        let respond = |e: &mut FieldErrors, on, field: &str| match points(get(field)) {
            Ok(points) => Some(Command::Respond {
                on,
                points,
                reasons: "Imported from the previous system".into(),
                outstanding_actions: None,
                early_resolution: false,
            }),
            Err(m) => {
                e.add(field, m);
                None
            }
        };
        steps.extend(ack1.map(|on| ("stage1_acknowledged_on", acknowledge(on))));
        if let Some(on) = resp1 {
            steps.extend(respond(&mut e, on, "stage1_outcome").map(|c| ("stage1_responded_on", c)));
        }
        if let Some(on) = esc {
            steps.push((
                "stage2_requested_on",
                Command::Escalate {
                    requested_on: on,
                    reason: None,
                },
            ));
        }
        steps.extend(ack2.map(|on| ("stage2_acknowledged_on", acknowledge(on))));
        if let Some(on) = resp2 {
            steps.extend(respond(&mut e, on, "stage2_outcome").map(|c| ("stage2_responded_on", c)));
        }
        if let Some(on) = withdrawn {
            steps.push((
                "withdrawn_on",
                Command::Withdraw {
                    on,
                    reason: "Withdrawn (imported from the previous system)".into(),
                },
            ));
        }
        if let Some(on) = closed {
            steps.push(("closed_on", Command::Close { on }));
        }
        if e.is_empty() {
            Ok(ImportRow {
                source_id,
                input,
                steps,
            })
        } else {
            Err(e)
        }
    }
}

/// Checks the header names known columns and has the required ones.
pub fn check_header(header: &[String]) -> Result<(), String> {
    if let Some(unknown) = header.iter().find(|h| !COLUMNS.contains(&h.as_str())) {
        return Err(format!(
            "The header has a column Redress does not know: {unknown}"
        ));
    }
    for required in ["source_id", "kind", "channel", "received_date", "summary"] {
        if !header.iter().any(|h| h == required) {
            return Err(format!("The header must have a {required} column"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_may_be_quoted_across_lines() {
        let text = "\u{feff}a,b\r\n1,\"two, \"\"quoted\"\"\nlines\"\r\n\r\n3,4";
        let r = parse_csv(text).unwrap_or_default();
        assert_eq!(r.len(), 3);
        assert_eq!(
            r[1],
            vec!["1".to_string(), "two, \"quoted\"\nlines".to_string()]
        );
        assert_eq!(r[2], vec!["3".to_string(), "4".to_string()]);
        assert!(parse_csv("a,\"open").is_err());
        assert!(parse_csv("a,b\"c").is_err());
    }

    #[test]
    fn a_row_becomes_its_history() {
        let header: Vec<String> = [
            "source_id",
            "kind",
            "channel",
            "received_date",
            "name",
            "email",
            "summary",
            "stage1_acknowledged_on",
            "stage1_responded_on",
            "stage1_outcome",
            "closed_on",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let record: Vec<String> = [
            "OLD-1",
            "complaint",
            "phone",
            "2023-05-02",
            "Ann",
            "ann@example.org",
            "Damp",
            "2023-05-03",
            "2023-05-15",
            "partly-upheld",
            "2023-05-15",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let row = ImportRow::from_record(&header, &record);
        assert!(
            row.as_ref()
                .is_ok_and(|r| r.steps.len() == 3 && r.source_id == "OLD-1")
        );
        let mut bad = record.clone();
        bad[8] = "15/05/2023".into();
        bad[9] = "maybe".into();
        let e = ImportRow::from_record(&header, &bad);
        assert!(e.is_err_and(|e| e.get("stage1_responded_on").is_some()));
        let mut underscore = record.clone();
        underscore[0] = "OLD_1".into();
        let e = ImportRow::from_record(&header, &underscore);
        assert!(
            e.is_err_and(|e| e.get("source_id").is_some()),
            "ids must not be rewritten"
        );
        assert!(check_header(&header).is_ok());
        assert!(check_header(&["kind".to_string()]).is_err());
        assert!(check_header(&["nope".to_string()]).is_err());
    }
}
