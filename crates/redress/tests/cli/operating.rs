//! What an operator relies on: a backup taken while submissions stream in holds every one
//! acknowledged before it began, and restores; logs without terminal colours, or as JSON
//! with the request's id; ready once started.

use super::*;

#[tokio::test(flavor = "multi_thread")]
async fn a_backup_taken_during_submissions_restores_every_one_acknowledged_before_it() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Arc, Mutex};
    let dir = redress_testkit::temp_dir("redress-backup");
    let live = dir.join("live.db");
    let url = format!("sqlite://{}", live.display());
    let token = loader_token(&url);
    let (mut server, addr) = serve(&url);
    let acknowledged: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let loaders: Vec<_> = (0..3)
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
                    let key = format!("backup-{t}-{n}");
                    n += 1;
                    if let Some(reference) = submit(&addr, &token, &key) {
                        acknowledged.lock().unwrap().push((key, reference));
                    }
                }
            })
        })
        .collect();
    // Under way first (however busy the machine): some acknowledged, more arriving.
    for _ in 0..300 {
        if acknowledged.lock().unwrap().len() > 5 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    // Everything acknowledged so far must be in the backup, which is taken as more arrive.
    let before = acknowledged.lock().unwrap().clone();
    let copy = dir.join("copy.db");
    let (ok, out, err) = redress(&["backup", "--out", copy.to_str().unwrap()], &live);
    assert!(ok, "{err}");
    assert!(
        out.contains("Backed up") && out.contains("cases to"),
        "{out}"
    );
    std::thread::sleep(std::time::Duration::from_millis(200));
    stop.store(true, Ordering::Relaxed);
    for l in loaders {
        l.join().unwrap();
    }
    server.kill().unwrap();
    server.wait().unwrap();
    assert!(before.len() > 5, "the load got through: {}", before.len());
    // A second backup to the same file is refused rather than overwriting it.
    let (ok, _, err) = redress(&["backup", "--out", copy.to_str().unwrap()], &live);
    assert!(!ok && err.contains("already exists"), "{err}");
    // Restored in place of a database, which is kept aside, not lost.
    let restored = dir.join("restored.db");
    std::fs::write(&restored, b"an older database").unwrap();
    let (ok, out, err) = redress(&["restore", copy.to_str().unwrap()], &restored);
    assert!(ok, "{err}");
    assert!(out.contains("The database it replaced is kept at"), "{out}");
    let kept = std::fs::read_dir(&dir).unwrap().flatten().any(|e| {
        e.file_name()
            .to_string_lossy()
            .starts_with("restored.db.before-restore-")
    });
    assert!(kept, "the replaced database is kept");
    let store = redress_store::Store::connect(&format!("sqlite://{}", restored.display()))
        .await
        .unwrap();
    let org = store.organisation().await.unwrap().unwrap();
    for (key, reference) in &before {
        let contact = store
            .contact_by_submission(&org.id, key)
            .await
            .unwrap()
            .unwrap_or_else(|| {
                panic!("{key} ({reference}) was acknowledged before the backup but is not in it")
            });
        assert_eq!(contact.reference.as_str(), reference);
    }
    store.close().await;
    // Not while a service has the database open: what it writes would be lost.
    let (mut running, _) = serve(&format!("sqlite://{}", restored.display()));
    let (ok, _, err) = redress(&["restore", copy.to_str().unwrap()], &restored);
    assert!(!ok && err.contains("stop the service"), "{err}");
    running.kill().unwrap();
    running.wait().unwrap();
    // A file that is not a Redress backup is refused, and nothing is replaced.
    let junk = dir.join("junk.db");
    std::fs::write(&junk, b"not a database at all").unwrap();
    let (ok, _, err) = redress(&["restore", junk.to_str().unwrap()], &restored);
    assert!(!ok && err.contains("not a SQLite database"), "{err}");
    assert!(
        redress_store::Store::connect(&format!("sqlite://{}", restored.display()))
            .await
            .is_ok()
    );
}

/// Starts the service with its log going to a file, as under a service manager.
fn serve_logging(url: &str, format: &str, log: &std::path::Path) -> (std::process::Child, String) {
    use std::io::BufRead;
    let mut child = Command::new(env!("CARGO_BIN_EXE_redress"))
        .args(["serve", "--addr", "127.0.0.1:0"])
        .env("REDRESS_DATABASE_URL", url)
        .env("REDRESS_LOG", "info")
        .env("REDRESS_LOG_FORMAT", format)
        .stdout(std::process::Stdio::piped())
        .stderr(std::fs::File::create(log).unwrap())
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

/// A GET over a plain socket: the status line and the headers, lower-cased names.
fn get(addr: &str, path: &str) -> (String, std::collections::BTreeMap<String, String>) {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let mut lines = response.lines();
    let status = lines.next().unwrap_or_default().to_string();
    let headers = lines
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    (status, headers)
}

#[test]
fn logs_to_a_file_have_no_colour_codes_and_json_lines_carry_the_request_id() {
    let dir = redress_testkit::temp_dir("redress-logs");
    let url = format!("sqlite://{}", dir.join("logs.db").display());
    let text_log = dir.join("text.log");
    let (mut server, addr) = serve_logging(&url, "text", &text_log);
    let (status, _) = get(&addr, "/healthz");
    assert!(status.contains("200"), "{status}");
    // Started, so migrated: ready for traffic.
    let (status, _) = get(&addr, "/readyz");
    assert!(status.contains("200"), "{status}");
    server.kill().unwrap();
    server.wait().unwrap();
    let text = std::fs::read_to_string(&text_log).unwrap();
    assert!(text.contains("listening"), "{text}");
    assert!(
        !text.contains('\u{1b}'),
        "no terminal escape codes in a file: {text:?}"
    );

    let json_log = dir.join("json.log");
    let (mut server, addr) = serve_logging(&url, "json", &json_log);
    let secret = "0123456789abcdef0123456789abcdef";
    let (status, headers) = get(&addr, &format!("/scrutiny/r/{secret}"));
    assert!(status.contains("404"), "{status}");
    let id = headers
        .get("x-request-id")
        .expect("the response says its id")
        .clone();
    server.kill().unwrap();
    server.wait().unwrap();
    let json = std::fs::read_to_string(&json_log).unwrap();
    let lines: Vec<serde_json::Value> = json
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let handled = lines
        .iter()
        .find(|l| l["span"]["id"] == id.as_str() && l["fields"]["message"] == "request handled")
        .unwrap_or_else(|| panic!("a line for request {id}: {json}"));
    assert_eq!(handled["fields"]["status"], 404);
    assert!(
        !json.contains(secret),
        "a private link never reaches the log: {json}"
    );
    // A request the router matched names its route, not the address as sent.
    let (mut server, addr) = serve_logging(&url, "json", &json_log);
    let (_, headers) = get(&addr, &format!("/scrutiny/petition/{secret}"));
    let id = headers["x-request-id"].clone();
    server.kill().unwrap();
    server.wait().unwrap();
    let json = std::fs::read_to_string(&json_log).unwrap();
    assert!(
        json.lines()
            .any(|l| l.contains(&id) && l.contains("/scrutiny/petition/{reference}")),
        "{json}"
    );
    assert!(!json.contains(secret), "{json}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_postgresql_database_is_dumped_with_pg_dump_and_restores_with_pg_restore() {
    let Some(admin) = redress_testkit::postgres_url() else {
        eprintln!("PostgreSQL skipped: set REDRESS_TEST_POSTGRES_URL to run this test");
        return;
    };
    let source = Database::postgres(&admin).await;
    let token = loader_token(source.url());
    let (mut server, addr) = serve(source.url());
    let reference = submit(&addr, &token, "pg-backup-1").expect("acknowledged");
    server.kill().unwrap();
    server.wait().unwrap();
    let dir = redress_testkit::temp_dir("redress-pg-backup");
    let dump = dir.join("redress.dump");
    let out = Command::new(env!("CARGO_BIN_EXE_redress"))
        .args(["backup", "--out", dump.to_str().unwrap()])
        .env("REDRESS_DATABASE_URL", source.url())
        .env("REDRESS_LOG", "error")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        std::fs::read(&dump).unwrap().starts_with(b"PGDMP"),
        "pg_dump's own format"
    );
    // Restore as docs/operating.md says: pg_restore into an empty database.
    let target = Database::postgres(&admin).await;
    let restored = Command::new("pg_restore")
        .args([
            "--no-owner",
            "--dbname",
            target.url(),
            dump.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        restored.status.success(),
        "{}",
        String::from_utf8_lossy(&restored.stderr)
    );
    let store = target.connect().await;
    let org = store.organisation().await.unwrap().unwrap();
    let contact = store
        .contact_by_submission(&org.id, "pg-backup-1")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(contact.reference.as_str(), reference);
    store.close().await;
    target.remove().await;
    source.remove().await;
}
