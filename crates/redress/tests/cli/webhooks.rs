//! Webhooks from the running service: two instances on one database send each message
//! once, to the receiver `docs/integrating.md` gives in Python, which checks every
//! signature; and sign-on and webhook settings that cannot work refused at start.

use super::*;
use std::io::BufRead;

/// The Python receiver from the integration guide, with the secret and port filled in.
fn documented_receiver(secret: &str, port: u16) -> String {
    let guide = include_str!("../../../../docs/integrating.md");
    let code = guide
        .split("```python")
        .find(|block| block.contains("class Hooks"))
        .and_then(|block| block.split("```").next())
        .expect("the guide has a Python receiver");
    code.replace("whsec_...", secret)
        .replace("9000", &port.to_string())
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A POST over a plain socket; the status line.
fn post(addr: &str, path: &str, headers: &str, body: &str) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    response.lines().next().unwrap_or_default().to_string()
}

async fn two_instances_deliver_once(url: String) {
    let token = loader_token(&url);
    // The organisation is made when the service first starts.
    let (mut a, addr_a) = serve(&url);
    let store = redress_store::Store::connect(&url).await.unwrap();
    let app = redress_app::App::load(store.clone()).await.unwrap();
    let port = free_port();
    let form: std::collections::BTreeMap<String, String> = [
        ("description", "Housing system"),
        ("url", &format!("http://127.0.0.1:{port}/hooks")),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let registered = app
        .add_webhook_endpoint(
            &redress_app::access::Principal::System,
            &form,
            &["received".to_string()],
        )
        .await
        .unwrap();
    let mut python = Command::new("python3")
        .args(["-u", "-c", &documented_receiver(&registered.secret, port)])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("python3 runs the documented receiver");
    let printed = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let lines = std::io::BufReader::new(python.stdout.take().unwrap()).lines();
    let sink = printed.clone();
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            sink.lock().unwrap().push(line);
        }
    });
    let (mut b, addr_b) = serve(&url);
    let mut references = Vec::new();
    for n in 0..30 {
        let addr = if n % 2 == 0 { &addr_a } else { &addr_b };
        references.push(submit(addr, &token, &format!("hook-{n}")).expect("submitted"));
    }
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while printed.lock().unwrap().len() < 30 && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    // A message with a signature made without the secret is refused by the receiver.
    let forged = post(
        &format!("127.0.0.1:{port}"),
        "/hooks",
        &format!(
            "webhook-id: forged\r\nwebhook-timestamp: {}\r\nwebhook-signature: v1,AAAA\r\n",
            jiff::Timestamp::now().as_second()
        ),
        "{}",
    );
    // Time for a duplicate, if there were one, to be sent before counting.
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    for child in [&mut a, &mut b, &mut python] {
        child.kill().unwrap();
        child.wait().unwrap();
    }
    assert!(forged.contains("401"), "{forged}");
    let mut printed = printed.lock().unwrap().clone();
    printed.sort();
    let mut expected: Vec<String> = references
        .iter()
        .map(|r| format!("contact.received {r}"))
        .collect();
    expected.sort();
    assert_eq!(printed, expected, "each case's message received, signed");
    // Each sent once: one attempt each, none left.
    let org = store.organisation().await.unwrap().unwrap();
    let deliveries = store
        .webhook_deliveries(&org.id, &registered.id, 100)
        .await
        .unwrap();
    assert_eq!(deliveries.len(), 30);
    for d in deliveries {
        assert_eq!(
            (d.status.as_str(), d.attempts),
            ("delivered", 1),
            "{}",
            d.id
        );
    }
    store.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn two_instances_send_each_webhook_once_to_the_documented_receiver() {
    let sqlite = Database::sqlite();
    two_instances_deliver_once(sqlite.url().to_string()).await;
    sqlite.remove().await;
    if let Some(admin) = redress_testkit::postgres_url() {
        let db = Database::postgres(&admin).await;
        two_instances_deliver_once(db.url().to_string()).await;
        db.remove().await;
    } else {
        eprintln!("PostgreSQL skipped: set REDRESS_TEST_POSTGRES_URL to run this on it too");
    }
}

#[test]
fn sign_on_and_webhook_settings_that_cannot_work_are_refused_at_start() {
    let db = temp_db();
    let start = |env: &[(&str, &str)]| {
        let out = Command::new(env!("CARGO_BIN_EXE_redress"))
            .args(["serve", "--addr", "127.0.0.1:0"])
            .env("REDRESS_DATABASE_URL", format!("sqlite://{}", db.display()))
            .env("REDRESS_LOG", "error")
            .envs(env.iter().copied())
            .output()
            .unwrap();
        assert!(!out.status.success());
        String::from_utf8_lossy(&out.stderr).to_string()
    };
    let err = start(&[("REDRESS_PASSWORD_SIGN_IN", "administrators")]);
    assert!(
        err.contains("needs single sign-on: set REDRESS_OIDC_ISSUER"),
        "{err}"
    );
    let err = start(&[("REDRESS_OIDC_ISSUER", "https://login.example.org")]);
    assert!(err.contains("REDRESS_OIDC_CLIENT_ID must be set"), "{err}");
    let err = start(&[
        ("REDRESS_OIDC_ISSUER", "https://login.example.org"),
        ("REDRESS_OIDC_CLIENT_ID", "redress"),
        ("REDRESS_OIDC_ROLES", "staff=boss"),
    ]);
    assert!(err.contains("\"boss\" is not a role"), "{err}");
    let err = start(&[("REDRESS_WEBHOOK_PAUSE_AFTER", "0")]);
    assert!(
        err.contains("REDRESS_WEBHOOK_PAUSE_AFTER must be a whole number"),
        "{err}"
    );
}
