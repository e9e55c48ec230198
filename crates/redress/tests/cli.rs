//! The command line as an operator uses it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use redress_testkit::Database;
use std::process::Command;

#[path = "cli/classify.rs"]
mod classify;
#[path = "cli/mail.rs"]
mod mail;
#[path = "cli/operating.rs"]
mod operating;
#[path = "cli/webhooks.rs"]
mod webhooks;

fn redress(args: &[&str], db: &std::path::Path) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_redress"))
        .args(args)
        .env("REDRESS_DATABASE_URL", format!("sqlite://{}", db.display()))
        .env("REDRESS_LOG", "error")
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).trim().to_string(),
        String::from_utf8_lossy(&out.stderr).trim().to_string(),
    )
}

fn temp_db() -> std::path::PathBuf {
    redress_testkit::temp_dir("redress-cli").join("cli.db")
}

fn add(division: &str, from: &str, days: &str, db: &std::path::Path) -> String {
    let (ok, out, err) = redress(
        &[
            "calendar",
            "add-working-days",
            "--division",
            division,
            "--from",
            from,
            "--days",
            days,
        ],
        db,
    );
    assert!(ok, "{err}");
    out
}

#[test]
fn working_days_for_each_division() {
    let db = temp_db();
    // The worked example: Friday 20 December 2024 plus five working days.
    assert_eq!(
        add("england-and-wales", "2024-12-20", "5", &db),
        "2024-12-31"
    );
    // St Andrew's Day substitute (Monday 2 December 2024) is a holiday only in Scotland.
    assert_eq!(add("scotland", "2024-11-29", "1", &db), "2024-12-03");
    assert_eq!(
        add("england-and-wales", "2024-11-29", "1", &db),
        "2024-12-02"
    );
    // The Battle of the Boyne substitute (Monday 14 July 2025), Northern Ireland only.
    assert_eq!(
        add("northern-ireland", "2025-07-11", "1", &db),
        "2025-07-15"
    );
    // One-off days: the state funeral (19 September 2022) and the coronation (8 May 2023).
    assert_eq!(add("scotland", "2022-09-16", "1", &db), "2022-09-20");
    assert_eq!(
        add("northern-ireland", "2023-05-05", "1", &db),
        "2023-05-09"
    );
    // Projected years: New Year's Day 2030 (Tuesday), and 2 January in Scotland.
    assert_eq!(
        add("england-and-wales", "2029-12-31", "1", &db),
        "2030-01-02"
    );
    assert_eq!(add("scotland", "2029-12-31", "1", &db), "2030-01-03");
    assert!(
        !db.exists(),
        "a calendar question does not create a database"
    );
}

#[test]
fn bad_arguments_say_what_is_wrong() {
    let db = temp_db();
    let (ok, _, err) = redress(
        &[
            "calendar",
            "add-working-days",
            "--division",
            "wales",
            "--from",
            "2024-12-20",
            "--days",
            "5",
        ],
        &db,
    );
    assert!(!ok);
    assert!(
        err.contains("england-and-wales, scotland or northern-ireland"),
        "{err}"
    );
    let (ok, _, err) = redress(
        &[
            "calendar",
            "add-working-days",
            "--division",
            "scotland",
            "--from",
            "2024-02-30",
            "--days",
            "5",
        ],
        &db,
    );
    assert!(!ok);
    assert!(err.contains("--from must be a date"), "{err}");
}

#[test]
fn deadlines_as_json() {
    let db = temp_db();
    let (ok, out, err) = redress(
        &[
            "deadlines",
            "--scheme",
            "hos-2024",
            "--division",
            "england-and-wales",
            "--received",
            "2024-12-20",
        ],
        &db,
    );
    assert!(ok, "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["scheme"], "hos-2024");
    assert_eq!(json["stage"], 1);
    assert_eq!(json["acknowledge_by"], "2024-12-31");
    assert_eq!(json["respond_by"], "2025-01-15");
    assert_eq!(json["latest_extended_respond_by"], "2025-01-29");
    // A late acknowledgement buys no time.
    let (_, out, _) = redress(
        &[
            "deadlines",
            "--scheme",
            "hos-2024",
            "--division",
            "england-and-wales",
            "--received",
            "2024-12-20",
            "--acknowledged",
            "2025-01-10",
        ],
        &db,
    );
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["respond_by"], "2025-01-15");
    let (ok, _, err) = redress(
        &[
            "deadlines",
            "--scheme",
            "nope",
            "--division",
            "scotland",
            "--received",
            "2024-12-20",
        ],
        &db,
    );
    assert!(!ok && err.contains("hos-2024"), "{err}");
}

#[test]
fn an_imported_holiday_file_corrects_the_calendar() {
    let db = temp_db();
    let file = db.with_file_name("holidays.json");
    std::fs::write(
        &file,
        r#"{"england-and-wales":{"division":"england-and-wales","events":[
            {"title":"New Year’s Day","date":"2030-01-01","notes":"","bunting":true},
            {"title":"A new one-off day","date":"2030-01-02","notes":"","bunting":true}]}}"#,
    )
    .unwrap();
    let (ok, out, err) = redress(&["holidays", "import", file.to_str().unwrap()], &db);
    assert!(ok, "{err}");
    assert!(out.contains("Imported 2"));
    assert_eq!(
        add("england-and-wales", "2029-12-31", "1", &db),
        "2030-01-03"
    );
    std::fs::write(&file, "{ not json").unwrap();
    let (ok, _, err) = redress(&["holidays", "import", file.to_str().unwrap()], &db);
    assert!(!ok && err.contains("GOV.UK"), "{err}");
}

#[test]
fn users_are_added_with_a_role_and_a_checked_password() {
    let db = temp_db();
    let run = |password: &str, role: &str| {
        Command::new(env!("CARGO_BIN_EXE_redress"))
            .args([
                "user",
                "add",
                "--email",
                "Priya@Example.org",
                "--name",
                "Priya Shah",
                "--role",
                role,
            ])
            .env("REDRESS_DATABASE_URL", format!("sqlite://{}", db.display()))
            .env("REDRESS_NEW_PASSWORD", password)
            .env("REDRESS_LOG", "error")
            .output()
            .unwrap()
    };
    let short = run("short", "complaints-officer");
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("at least 12 characters"));
    let bad_role = run("a-long-enough-password", "boss");
    assert!(String::from_utf8_lossy(&bad_role.stderr).contains("complaints-officer"));
    let ok = run("a-long-enough-password", "complaints-officer");
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let again = run("a-long-enough-password", "complaints-officer");
    assert!(String::from_utf8_lossy(&again.stderr).contains("already"));
    let (ok, token, _) = redress(&["user", "token", "--email", "priya@example.org"], &db);
    assert!(ok && token.len() == 64);
}

#[test]
fn closure_days_are_kept() {
    let db = temp_db();
    let (ok, _, err) = redress(
        &[
            "closure",
            "add",
            "--date",
            "2026-12-24",
            "--reason",
            "Office move",
        ],
        &db,
    );
    assert!(ok, "{err}");
    let (_, out, _) = redress(&["closure", "list"], &db);
    assert_eq!(out, "2026-12-24  Office move");
    let (ok, _, err) = redress(
        &["closure", "add", "--date", "2026-12-24", "--reason", " "],
        &db,
    );
    assert!(!ok && err.contains("--reason"), "{err}");
}

#[test]
fn an_organisation_s_own_scheme_goes_in_and_out_as_json() {
    let db = temp_db();
    // Start from a built-in scheme as `show` prints it, and make it a 30-day policy.
    let (ok, shown, err) = redress(&["scheme", "show", "hos-2024"], &db);
    assert!(ok, "{err}");
    let mut scheme: serde_json::Value = serde_json::from_str(&shown).unwrap();
    scheme["id"] = "council-30-day".into();
    scheme["name"] = "Council complaints policy".into();
    scheme["stages"][0]["respond_within"] =
        serde_json::json!({"unit": "calendar-days", "count": 30});
    let file = db.with_file_name("scheme.json");
    std::fs::write(&file, scheme.to_string()).unwrap();
    let (ok, out, err) = redress(&["scheme", "add", file.to_str().unwrap()], &db);
    assert!(ok, "{err}");
    assert_eq!(
        out,
        "Saved Council complaints policy as council-30-day (version 1)."
    );
    let (_, list, _) = redress(&["scheme", "list"], &db);
    assert!(
        list.contains("council-30-day\tversion 1\tCouncil complaints policy"),
        "{list}"
    );
    assert!(list.contains("spso\tbuilt-in\t"), "{list}");
    let (_, back, _) = redress(&["scheme", "show", "council-30-day"], &db);
    let back: serde_json::Value = serde_json::from_str(&back).unwrap();
    assert_eq!(back["stages"][0]["respond_within"]["count"], 30);
    assert_eq!(back["stages"][0]["respond_within"]["unit"], "calendar-days");
    // A built-in short name and an impossible target are refused, naming both.
    scheme["id"] = "spso".into();
    scheme["stages"][0]["respond_within"]["count"] = 0.into();
    std::fs::write(&file, scheme.to_string()).unwrap();
    let (ok, _, err) = redress(&["scheme", "add", file.to_str().unwrap()], &db);
    assert!(
        !ok && err.contains("scheme_id") && err.contains("stage1_respond"),
        "{err}"
    );
    let (ok, _, err) = redress(&["scheme", "show", "nope"], &db);
    assert!(!ok && err.contains("there is no scheme 'nope'"), "{err}");
}

#[test]
fn retention_and_subject_access_from_the_command_line() {
    let db = temp_db();
    let (ok, out, err) = redress(&["retention"], &db);
    assert!(ok, "{err}");
    assert!(out.contains("Erased personal data from 0 cases"), "{out}");
    let (ok, out, err) = redress(&["report", "recount"], &db);
    assert!(ok, "{err}");
    assert!(out.contains("Counted 0 cases"), "{out}");
    let (ok, _, err) = redress(&["subject-access"], &db);
    assert!(!ok);
    assert!(
        err.contains("Enter an email address or a phone number"),
        "{err}"
    );
    let (ok, out, err) = redress(&["subject-access", "--email", "aled@example.org"], &db);
    assert!(ok, "{err}");
    let export: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(export["cases"].as_array().map(Vec::len), Some(0));
    assert_eq!(export["searched_for"]["email"], "aled@example.org");
}

#[test]
fn reports_for_automation() {
    let db = temp_db();
    let (ok, out, err) = redress(
        &["report", "tsm", "--year", "2025", "--format", "json"],
        &db,
    );
    assert!(ok, "{err}");
    let tsm: serde_json::Value = serde_json::from_str(&out).unwrap();
    for key in [
        "ch01_stage1_per_1000",
        "ch01_stage2_per_1000",
        "ch02_stage1_pct",
        "ch02_stage2_pct",
        "ch02_stage1_pct_strict",
        "ch02_stage2_pct_strict",
    ] {
        assert!(tsm.get(key).is_some(), "{key} in {out}");
    }
    assert_eq!(tsm["period"]["from"], "2025-04-01");
    let (ok, out, err) = redress(
        &[
            "report",
            "measures",
            "--from",
            "2025-04-01",
            "--to",
            "2025-06-30",
            "--format",
            "json",
        ],
        &db,
    );
    assert!(ok, "{err}");
    let m: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(m["new_complaints"], 0);
    let (ok, _, err) = redress(
        &[
            "report",
            "measures",
            "--from",
            "2025-06-30",
            "--to",
            "2025-04-01",
        ],
        &db,
    );
    assert!(!ok && err.contains("must not be before"), "{err}");
    let (ok, _, err) = redress(&["report", "tsm", "--year", "25"], &db);
    assert!(!ok && err.contains("financial year"), "{err}");
    let (ok, _, err) = redress(&["report", "tsm", "--year", "2025", "--format", "xml"], &db);
    assert!(!ok && err.contains("--format must be json"), "{err}");
    let (ok, _, err) = redress(
        &[
            "report",
            "measures",
            "--from",
            "2025-04-01",
            "--to",
            "2025-06-30",
            "--service-area",
            "Nowhere",
        ],
        &db,
    );
    assert!(!ok && err.contains("no service area"), "{err}");
}

#[test]
fn historic_cases_are_imported_from_a_file() {
    let db = temp_db();
    let dir = db.parent().unwrap().to_path_buf();
    let good = dir.join("good.csv");
    std::fs::write(
        &good,
        "source_id,kind,channel,received_date,name,email,summary\nA1,complaint,phone,2024-01-08,Ann,ann@example.org,Leak\n",
    )
    .unwrap();
    let (ok, out, err) = redress(&["import", "cases", good.to_str().unwrap()], &db);
    assert!(ok, "{err}");
    assert_eq!(out, "Imported 1 cases; 0 were already imported.");
    let (ok, out, _) = redress(&["import", "cases", good.to_str().unwrap()], &db);
    assert!(ok);
    assert_eq!(out, "Imported 0 cases; 1 were already imported.");
    // An ombudsman asks about it: its evidence bundle, written to a file.
    let zip = dir.join("evidence.zip");
    let (ok, out, err) = redress(
        &[
            "case",
            "bundle",
            "CMP-2024-000001",
            "--out",
            zip.to_str().unwrap(),
        ],
        &db,
    );
    assert!(ok, "{err}");
    assert!(
        out.starts_with("CMP-2024-000001: 0 letters and 0 files"),
        "{out}"
    );
    assert!(
        std::fs::read(&zip).unwrap().starts_with(b"PK"),
        "a zip file"
    );
    let (ok, _, err) = redress(
        &[
            "case",
            "bundle",
            "CMP-2024-999999",
            "--out",
            zip.to_str().unwrap(),
        ],
        &db,
    );
    assert!(!ok && !err.is_empty());
    let bad = dir.join("bad.csv");
    std::fs::write(
        &bad,
        "source_id,kind,channel,received_date,summary\nB1,complaint,pigeon,2024-01-08,Leak\n",
    )
    .unwrap();
    let (ok, _, err) = redress(&["import", "cases", bad.to_str().unwrap()], &db);
    assert!(!ok);
    assert!(
        err.contains("row 2: channel:") && err.contains("nothing was imported"),
        "{err}"
    );
}

/// Starts `redress serve` on a free port and returns it with its address.
fn serve(database_url: &str) -> (std::process::Child, String) {
    serve_with(database_url, &[])
}

fn serve_with(database_url: &str, env: &[(&str, &str)]) -> (std::process::Child, String) {
    use std::io::BufRead;
    let mut child = Command::new(env!("CARGO_BIN_EXE_redress"))
        .args(["serve", "--addr", "127.0.0.1:0"])
        .envs(env.iter().copied())
        .env("REDRESS_DATABASE_URL", database_url)
        .env("REDRESS_LOG", "error")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = std::io::BufReader::new(stdout).lines();
    let addr = loop {
        let line = lines
            .next()
            .expect("the server prints where it listens")
            .unwrap();
        if let Some(rest) = line.split("at http://").nth(1) {
            break rest.split('/').next().unwrap().to_string();
        }
    };
    (child, addr)
}

/// One API submission over a plain socket; the reference when it answered 201.
fn submit(addr: &str, token: &str, key: &str) -> Option<String> {
    use std::io::{Read, Write};
    let body = format!(
        r#"{{"kind":"complaint","channel":"api","who":"myself","name":"Crash Test","email":"crash@example.org","summary":"Submission {key}"}}"#
    );
    let mut stream = std::net::TcpStream::connect(addr).ok()?;
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .ok()?;
    let request = format!(
        "POST /api/contacts HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nIdempotency-Key: {key}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    if !response.starts_with("HTTP/1.1 201") {
        return None;
    }
    let start = response.find("\"reference\":\"")? + 13;
    Some(response[start..start + 15].to_string())
}

/// Makes a loader user and its API token on a migrated database.
fn loader_token(url: &str) -> String {
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_redress"))
            .args(args)
            .env("REDRESS_DATABASE_URL", url)
            .env("REDRESS_LOG", "error")
            .env("REDRESS_NEW_PASSWORD", "a long enough password")
            .output()
            .unwrap()
    };
    assert!(run(&["migrate"]).status.success());
    let added = run(&[
        "user",
        "add",
        "--email",
        "loader@test.org",
        "--name",
        "Loader",
        "--role",
        "complaints-officer",
    ]);
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let out = run(&["user", "token", "--email", "loader@test.org"]);
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .find(|w| w.len() >= 32 && w.chars().all(|c| c.is_ascii_hexdigit()))
        .expect("a token")
        .to_string()
}

/// Kills the server with SIGKILL in the middle of a load of submissions, twenty times, and
/// checks every submission that was answered 201 is there afterwards, once, with its
/// history.
async fn crash_repeatedly(database_url: &str) {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Arc, Mutex};
    let token = loader_token(database_url);
    let acknowledged: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    for round in 0..20 {
        let (mut server, addr) = serve(database_url);
        let stop = Arc::new(AtomicBool::new(false));
        let loaders: Vec<_> = (0..4)
            .map(|t| {
                let (addr, token, stop, acknowledged) = (
                    addr.clone(),
                    token.clone(),
                    stop.clone(),
                    acknowledged.clone(),
                );
                std::thread::spawn(move || {
                    let mut n = 0;
                    while !stop.load(Ordering::Relaxed) {
                        let key = format!("crash-{round}-{t}-{n}");
                        n += 1;
                        if let Some(reference) = submit(&addr, &token, &key) {
                            acknowledged.lock().unwrap().push((key, reference));
                        }
                    }
                })
            })
            .collect();
        std::thread::sleep(std::time::Duration::from_millis(300));
        server.kill().unwrap();
        server.wait().unwrap();
        stop.store(true, Ordering::Relaxed);
        for l in loaders {
            l.join().unwrap();
        }
    }
    // A restart recovers whatever the crash left, then every acknowledged one is checked.
    let (mut server, _) = serve(database_url);
    server.kill().unwrap();
    server.wait().unwrap();
    let store = redress_store::Store::connect(database_url).await.unwrap();
    let org = store.organisation().await.unwrap().unwrap();
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(
        acknowledged.len() > 20,
        "the load got through: {}",
        acknowledged.len()
    );
    eprintln!(
        "{database_url}: {} acknowledged submissions checked after 20 kills",
        acknowledged.len()
    );
    for (key, reference) in &acknowledged {
        let contact = store
            .contact_by_submission(&org.id, key)
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("{key} ({reference}) was acknowledged but lost"));
        assert_eq!(contact.reference.as_str(), reference, "{key}");
        assert!(
            !store.events(&contact.id).await.unwrap().is_empty(),
            "{key} has its history"
        );
    }
    let page = store
        .list_contacts(
            &org.id,
            &redress_store::ContactFilter {
                per_page: 1,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert!(page.total as usize >= acknowledged.len());
    store.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn no_acknowledged_submission_is_lost_when_the_server_is_killed() {
    redress_testkit::on_each_database(|url| async move { crash_repeatedly(&url).await }).await;
}

/// Signs in through one instance's staff form; the session cookie.
fn sign_in(addr: &str, email: &str, password: &str) -> String {
    use std::io::{Read, Write};
    let body = format!(
        "email={}&password={}",
        email.replace('@', "%40"),
        password.replace(' ', "+")
    );
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    let request = format!(
        "POST /staff/login HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://{addr}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 303"), "{response}");
    response
        .lines()
        .find_map(|l| {
            l.strip_prefix("set-cookie: ")
                .or_else(|| l.strip_prefix("Set-Cookie: "))
        })
        .and_then(|c| c.split(';').next())
        .expect("a session cookie")
        .to_string()
}

fn status_of(addr: &str, path: &str, cookie: &str) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response.lines().next().unwrap_or_default().to_string()
}

/// A mail server that accepts everything and keeps each message's subject line.
fn smtp_sink() -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use std::io::{BufRead, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let received: std::sync::Arc<std::sync::Mutex<Vec<String>>> = Default::default();
    let kept = received.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let kept = kept.clone();
            std::thread::spawn(move || {
                let mut out = stream.try_clone().unwrap();
                let mut lines = std::io::BufReader::new(stream).lines();
                let _ = out.write_all(b"220 sink ESMTP\r\n");
                while let Some(Ok(line)) = lines.next() {
                    let verb = line.get(..4).unwrap_or_default().to_ascii_uppercase();
                    let reply: &[u8] = match verb.as_str() {
                        "EHLO" => b"250-sink\r\n250 8BITMIME\r\n",
                        "DATA" => {
                            let _ = out.write_all(b"354 go ahead\r\n");
                            let mut subject = String::new();
                            for l in lines.by_ref() {
                                let l = l.unwrap_or_default();
                                if l == "." {
                                    break;
                                }
                                if let Some(s) = l.strip_prefix("Subject: ") {
                                    subject = s.to_string();
                                }
                            }
                            kept.lock().unwrap().push(subject);
                            b"250 kept\r\n"
                        }
                        "QUIT" => {
                            let _ = out.write_all(b"221 bye\r\n");
                            break;
                        }
                        _ => b"250 ok\r\n",
                    };
                    let _ = out.write_all(reply);
                }
            });
        }
    });
    (addr, received)
}

#[tokio::test(flavor = "multi_thread")]
async fn two_instances_send_each_email_once() {
    use redress_domain::letter::{Delivery, Letter, LetterKind};
    let Some(admin) = redress_testkit::postgres_url() else {
        eprintln!(
            "PostgreSQL skipped: set REDRESS_TEST_POSTGRES_URL to run the multi-instance test"
        );
        return;
    };
    let db = Database::postgres(&admin).await;
    let url = db.url().to_string();
    let (sink, received) = smtp_sink();
    let smtp = format!("smtp://{sink}");
    let env = [
        ("REDRESS_SMTP_URL", smtp.as_str()),
        ("REDRESS_MAIL_FROM", "complaints@test.org"),
    ];
    let (mut a, _) = serve_with(&url, &env);
    let (mut b, _) = serve_with(&url, &env);
    // Forty emails wait in the outbox while both instances' workers run.
    let store = redress_store::Store::connect(&url).await.unwrap();
    let org = store.organisation().await.unwrap().unwrap();
    let detail = redress_domain::contact::ContactInput {
        kind: "complaint".into(),
        who: "myself".into(),
        name: "Outbox Test".into(),
        email: "outbox@example.org".into(),
        summary: "Forty emails".into(),
        channel: "phone".into(),
        ..Default::default()
    }
    .parse(
        redress_domain::contact::Source::Staff,
        jiff::Timestamp::now(),
    )
    .unwrap();
    let scheme = redress_domain::Scheme::find_built_in("hos-2024").unwrap();
    let calendar =
        redress_domain::WorkingCalendar::standard(redress_domain::Division::EnglandAndWales);
    let contact = store
        .insert_contact(&org.id, None, (detail.kind, 2026), move |reference| {
            redress_domain::Contact::receive(
                "outbox-case".into(),
                reference,
                detail.clone(),
                &scheme,
                &calendar,
                redress_domain::event::Actor::system(),
            )
        })
        .await
        .unwrap()
        .into_contact();
    let letters: Vec<Letter> = (0..40)
        .map(|n| Letter {
            kind: LetterKind::Acknowledgement,
            delivery: Delivery::Email,
            recipient: format!("person{n}@example.org"),
            large_print: false,
            subject: format!("Email {n}"),
            body: "Hello".into(),
            draft_by: None,
            convert: None,
            language: redress_domain::language::Language::English,
        })
        .collect();
    store.queue_letters(&contact.id, &letters).await.unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(90);
    loop {
        let sent = store
            .letters_with_status(&org.id, "sent")
            .await
            .unwrap()
            .len();
        if sent == 40 || std::time::Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    // Give a duplicate, if there were one, time to arrive before counting.
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    a.kill().unwrap();
    b.kill().unwrap();
    a.wait().unwrap();
    b.wait().unwrap();
    let mut subjects = received.lock().unwrap().clone();
    subjects.sort();
    let mut unique = subjects.clone();
    unique.dedup();
    assert_eq!(
        subjects.len(),
        40,
        "every email sent, none twice: {subjects:?}"
    );
    assert_eq!(unique.len(), 40);
    assert_eq!(
        store
            .letters_with_status(&org.id, "sent")
            .await
            .unwrap()
            .len(),
        40
    );
    store.close().await;
    db.remove().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn two_instances_share_one_postgresql() {
    let Some(admin) = redress_testkit::postgres_url() else {
        eprintln!(
            "PostgreSQL skipped: set REDRESS_TEST_POSTGRES_URL to run the multi-instance test"
        );
        return;
    };
    let db = Database::postgres(&admin).await;
    let url = db.url().to_string();
    // Both start at once on an empty database: the migrations run once, safely.
    let first = std::thread::spawn({
        let url = url.clone();
        move || serve(&url)
    });
    let second = std::thread::spawn({
        let url = url.clone();
        move || serve(&url)
    });
    let (mut a, addr_a) = first.join().unwrap();
    let (mut b, addr_b) = second.join().unwrap();
    let added = Command::new(env!("CARGO_BIN_EXE_redress"))
        .args([
            "user",
            "add",
            "--email",
            "multi@test.org",
            "--name",
            "Multi",
            "--role",
            "complaints-officer",
        ])
        .env("REDRESS_DATABASE_URL", &url)
        .env("REDRESS_LOG", "error")
        .env("REDRESS_NEW_PASSWORD", "a long enough password")
        .output()
        .unwrap();
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    // A session made on one instance works on the other, and signing out on it ends both.
    let cookie = sign_in(&addr_a, "multi@test.org", "a long enough password");
    assert!(status_of(&addr_b, "/staff/cases", &cookie).starts_with("HTTP/1.1 200"));
    assert!(status_of(&addr_a, "/staff/cases", &cookie).starts_with("HTTP/1.1 200"));
    a.kill().unwrap();
    a.wait().unwrap();
    assert!(
        status_of(&addr_b, "/staff/cases", &cookie).starts_with("HTTP/1.1 200"),
        "one instance down, the other serves"
    );
    b.kill().unwrap();
    b.wait().unwrap();
    let store = redress_store::Store::connect(&url).await.unwrap();
    assert_eq!(
        store.migrate().await.unwrap(),
        0,
        "every migration ran exactly once"
    );
    assert!(store.organisation().await.unwrap().is_some());
    store.close().await;
    db.remove().await;
}
