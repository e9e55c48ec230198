//! What the service benchmarks share: a minimal keep-alive HTTP/1.1 client (so the load
//! generator costs little of the two cores it shares with the server), percentiles, the
//! resident memory of a process, and starting the release server. Each benchmark uses
//! part of it.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub type Error = Box<dyn std::error::Error + Send + Sync>;

pub const PASSWORD: &str = "bench password long enough";
pub const WORDS: &[&str] = &[
    "damp",
    "mould",
    "boiler",
    "heating",
    "leak",
    "roof",
    "window",
    "door",
    "lift",
    "noise",
    "rent",
    "charge",
    "repair",
    "appointment",
    "contractor",
    "garden",
    "fence",
    "parking",
];

pub fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// One keep-alive HTTP/1.1 connection, as a browser or API client holds one.
pub struct Conn {
    addr: String,
    reader: BufReader<TcpStream>,
}

impl Conn {
    pub fn open(addr: &str) -> Result<Conn, Error> {
        let stream = TcpStream::connect(addr)?;
        stream.set_nodelay(true)?;
        stream.set_read_timeout(Some(Duration::from_secs(60)))?;
        Ok(Conn {
            addr: addr.to_string(),
            reader: BufReader::new(stream),
        })
    }

    pub fn send(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> Result<(u16, String), Error> {
        let mut request = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Length: {}\r\n",
            self.addr,
            body.len()
        );
        for (k, v) in headers {
            request.push_str(&format!("{k}: {v}\r\n"));
        }
        request.push_str("\r\n");
        request.push_str(body);
        self.reader.get_mut().write_all(request.as_bytes())?;
        let mut status_line = String::new();
        self.reader.read_line(&mut status_line)?;
        let status: u16 = status_line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or("no status")?;
        let mut length = 0usize;
        let mut chunked = false;
        let mut cookie = String::new();
        let mut closing = false;
        loop {
            let mut line = String::new();
            self.reader.read_line(&mut line)?;
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            let lower = line.to_ascii_lowercase();
            if let Some(v) = lower.strip_prefix("content-length:") {
                length = v.trim().parse()?;
            } else if lower.starts_with("connection:") && lower.contains("close") {
                closing = true;
            } else if lower.starts_with("transfer-encoding:") && lower.contains("chunked") {
                chunked = true;
            } else if lower.starts_with("set-cookie:") {
                cookie = line[11..]
                    .trim()
                    .split(';')
                    .next()
                    .unwrap_or_default()
                    .to_string();
            }
        }
        let mut body = Vec::new();
        if chunked {
            loop {
                let mut size = String::new();
                self.reader.read_line(&mut size)?;
                let n = usize::from_str_radix(size.trim(), 16)?;
                let mut chunk = vec![0; n + 2];
                self.reader.read_exact(&mut chunk)?;
                if n == 0 {
                    break;
                }
                body.extend_from_slice(&chunk[..n]);
            }
        } else {
            body.resize(length, 0);
            self.reader.read_exact(&mut body)?;
        }
        if closing {
            // The server will not take another request on this connection (Request
            // Tracker's servers close after each one): open the next now, as a client would.
            *self = Conn::open(&self.addr)?;
        }
        let text = String::from_utf8_lossy(&body).into_owned();
        Ok((status, if cookie.is_empty() { text } else { cookie }))
    }
}

pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

pub fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

pub fn rss_mib(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

pub fn cli(url: &str, args: &[&str]) -> Result<String, Error> {
    let out = Command::new(env!("CARGO_BIN_EXE_redress"))
        .args(args)
        .env("REDRESS_DATABASE_URL", url)
        .env("REDRESS_LOG", "error")
        .env("REDRESS_NEW_PASSWORD", PASSWORD)
        .output()?;
    if !out.status.success() {
        return Err(format!("redress {args:?}: {}", String::from_utf8_lossy(&out.stderr)).into());
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

pub fn serve(url: &str) -> Result<(Child, String), Error> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_redress"))
        .args(["serve", "--addr", "127.0.0.1:0"])
        .env("REDRESS_DATABASE_URL", url)
        .env("REDRESS_LOG", "error")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let mut lines = BufReader::new(stdout).lines();
    loop {
        let line = lines
            .next()
            .ok_or("the server stopped before listening")??;
        if let Some(rest) = line.split("at http://").nth(1) {
            let addr = rest.split('/').next().unwrap_or_default().to_string();
            std::thread::spawn(move || for _ in lines {});
            return Ok((child, addr));
        }
    }
}

/// Makes the database ready and an API token for a complaints officer.
pub fn officer_token(url: &str) -> Result<String, Error> {
    cli(url, &["migrate"])?;
    cli(
        url,
        &[
            "user",
            "add",
            "--email",
            "bench@test.org",
            "--name",
            "Bench",
            "--role",
            "complaints-officer",
        ],
    )?;
    let out = cli(url, &["user", "token", "--email", "bench@test.org"])?;
    Ok(out
        .split_whitespace()
        .find(|w| w.len() >= 32 && w.chars().all(|c| c.is_ascii_hexdigit()))
        .ok_or("no token printed")?
        .to_string())
}
