//! `redress mail import`: one message through the mailbox's path, from a file or standard
//! input, taken once however often it is given.

use std::io::Write;
use std::process::{Command, Stdio};

fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../redress-app/tests/mail")
        .join(name)
}

#[test]
fn a_message_is_imported_once_and_machines_are_ignored() {
    let db = super::temp_db();
    let plain = fixture("plain.eml");
    let (ok, out, err) = super::redress(&["mail", "import", plain.to_str().unwrap()], &db);
    assert!(ok, "{err}");
    assert!(out.starts_with("new contact SRQ-"), "{out}");
    let reference = out.trim_start_matches("new contact ").to_string();
    let (ok, again, _) = super::redress(&["mail", "import", plain.to_str().unwrap()], &db);
    assert!(ok);
    assert_eq!(again, format!("already taken ({reference})"));

    // From standard input: an auto-reply is recognised and never answered.
    let mut child = Command::new(env!("CARGO_BIN_EXE_redress"))
        .args(["mail", "import", "-"])
        .env("REDRESS_DATABASE_URL", format!("sqlite://{}", db.display()))
        .env("REDRESS_LOG", "error")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let raw = std::fs::read(fixture("auto_reply.eml")).unwrap();
    child.stdin.take().unwrap().write_all(&raw).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "ignored: an automatic reply"
    );

    let (ok, _, err) = super::redress(&["mail", "import", "/no/such/file.eml"], &db);
    assert!(!ok);
    assert!(err.contains("reading /no/such/file.eml"), "{err}");
    let (ok, _, err) = super::redress(&["mail", "poll"], &db);
    assert!(!ok);
    assert!(err.contains("REDRESS_IMAP_URL is not set"), "{err}");
}
