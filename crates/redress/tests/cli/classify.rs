//! `redress classify`: a message on standard input, what it reads as on standard output.

use std::io::Write;
use std::process::{Command, Stdio};

fn classify(message: &str) -> serde_json::Value {
    let mut child = Command::new(env!("CARGO_BIN_EXE_redress"))
        .arg("classify")
        .env("REDRESS_LOG", "error")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(message.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn a_message_is_read_offline_with_its_reasons() {
    let read = classify(
        "This is the third time I have reported the mould in my son's bedroom and nobody has come out.",
    );
    assert_eq!(read["kind"], "complaint");
    let confidence = read["confidence"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&confidence), "{read}");
    let reasons: Vec<&str> = read["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r.as_str())
        .collect();
    assert!(reasons.iter().any(|r| r.contains("third time")), "{read}");
    assert_eq!(read["hazard"]["kind"], "damp-mould");
    let praise = classify("Thank you to Sian on reception, she was so helpful yesterday.");
    assert_eq!(praise["kind"], "compliment");
    assert!(praise["hazard"].is_null());
}
