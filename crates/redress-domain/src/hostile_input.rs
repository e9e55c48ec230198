//! Everything that reads text from outside — forms, JSON, CSV, holiday files, benchmark
//! files — given arbitrary input: it must answer with a value or a message, never panic.

use crate::benchmark::Benchmark;
use crate::calendar::HolidayTable;
use crate::import::{ImportRow, check_header, parse_csv};
use crate::intake::{ContactInput, Source};
use proptest::prelude::*;

/// Strings with the characters that break parsers: quotes, separators, control and
/// non-ASCII characters, digits and dashes that look like dates.
fn nasty() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[\"',\\r\\n\\t;=+@\\-0-9a-zé€\u{feff}\u{0}]{0,40}",
        "(19|20|99)[0-9]{2}-[0-9]{2}-[0-9]{2}",
        Just(String::new()),
    ]
}

/// How many inputs each property tries: 300 in every test run, more when `FUZZ_CASES`
/// asks (CI's bounded fuzzing run).
fn fuzz_cases() -> u32 {
    std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(fuzz_cases()))]

    #[test]
    fn csv_and_import_rows_never_panic(text in nasty(), more in nasty()) {
        let joined = format!("source_id,kind,channel,received_date,summary\n{text}\n{more}");
        for input in [text.as_str(), joined.as_str()] {
            if let Ok(records) = parse_csv(input)
                && let Some((header, rows)) = records.split_first()
            {
                let _ = check_header(header);
                for r in rows {
                    let _ = ImportRow::from_record(header, r);
                }
            }
        }
    }

    #[test]
    fn holiday_and_benchmark_files_never_panic(text in nasty()) {
        let _ = HolidayTable::parse_govuk(&text);
        let _ = Benchmark::parse_file(&text);
        let wrapped = format!("{{\"england-and-wales\": {{\"events\": [{{\"date\": \"{text}\", \"title\": \"x\"}}]}}}}");
        let _ = HolidayTable::parse_govuk(&wrapped);
    }

    #[test]
    fn any_form_answers_are_accepted_or_explained(
        kind in prop_oneof![Just("complaint".to_string()), nasty()],
        a in nasty(), b in nasty(), c in nasty(), d in nasty(),
    ) {
        let input = ContactInput {
            kind,
            channel: a.clone(),
            who: b.clone(),
            name: c.clone(),
            email: d.clone(),
            phone: a.clone(),
            postcode: b.clone(),
            summary: c.clone(),
            issue_date: d.clone(),
            received_date: a.clone(),
            received_time: b,
            tenure: c,
            age_band: d,
            ..Default::default()
        };
        let now = jiff::Timestamp::UNIX_EPOCH;
        for source in [Source::PublicForm, Source::Staff, Source::Api] {
            if let Err(errors) = input.parse(source, now) {
                prop_assert!(!errors.is_empty(), "a refusal always says why");
            }
        }
    }
}
