//! Redress and Request Tracker 5 side by side, through their REST APIs, on the same
//! PostgreSQL, in one run:
//!
//!     bench/rt5/compare.sh
//!
//! which installs RT 5 from Debian's packages (fresh database), starts it, runs this and
//! stops it. With RT already running: `RT5_URL=http://127.0.0.1:8090
//! BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres cargo bench -p redress
//! --bench versus_rt`.
//!
//! Each system gets the same work from the same number of keep-alive clients
//! (BENCH_CLIENTS, default 8): BENCH_TICKETS new complaints/tickets (default 300) with the
//! same subject and requester, then BENCH_READS (default 200) reads of a page of 20 open
//! cases in the system's own working order, and as many searches for a word of the
//! subjects. Redress answers an API token; RT answers a session cookie, one login per
//! client (its basic auth checks a bcrypt hash on every request, which would be unfair to
//! it). Resident memory is the Redress server process, and RT's server with its workers.

mod common;

use common::{Conn, Error, WORDS, env_usize, ms, officer_token, percentile, rss_mib, serve};
use redress_testkit::Database;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const RT_PASSWORD: &str = "benchpassword";

/// Signs one client in: the headers it sends with every request.
type SignIn = dyn Fn(&str) -> Result<Vec<(String, String)>, Error> + Sync;

/// What one system needs to be driven: where it is, how a client signs in, and the
/// requests for each kind of work.
struct System {
    name: &'static str,
    addr: String,
    /// Headers for every request from one client, after that client has signed in.
    sign_in: Box<SignIn>,
    create: fn(usize) -> (String, String),
    list: String,
    search: String,
    memory: fn(&System) -> (f64, f64),
    pid: u32,
}

struct Load {
    per_second: f64,
    p50: Duration,
    p99: Duration,
    failed: usize,
}

/// `total` requests from `clients` connections; `request(n)` gives the n-th request's
/// method, path and body.
fn load(
    system: &System,
    clients: usize,
    total: usize,
    request: &(dyn Fn(usize) -> (&'static str, String, String) + Sync),
) -> Result<Load, Error> {
    let next = AtomicUsize::new(0);
    let failed = AtomicUsize::new(0);
    let latencies = Mutex::new(Vec::with_capacity(total));
    let headers: Vec<Vec<(String, String)>> = (0..clients)
        .map(|_| (system.sign_in)(&system.addr))
        .collect::<Result<_, _>>()?;
    let started = Instant::now();
    std::thread::scope(|scope| -> Result<(), Error> {
        let workers: Vec<_> = headers
            .iter()
            .map(|headers| {
                let (next, failed, latencies) = (&next, &failed, &latencies);
                scope.spawn(move || -> Result<(), Error> {
                    let mut conn = Conn::open(&system.addr)?;
                    let headers: Vec<(&str, &str)> = headers
                        .iter()
                        .map(|(k, v)| (k.as_str(), v.as_str()))
                        .collect();
                    let mut mine = Vec::new();
                    loop {
                        let n = next.fetch_add(1, Ordering::Relaxed);
                        if n >= total {
                            break;
                        }
                        let (method, path, body) = request(n);
                        let t = Instant::now();
                        let (status, _) = conn.send(method, &path, &headers, &body)?;
                        mine.push(t.elapsed());
                        if !(200..300).contains(&status) {
                            failed.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                    latencies.lock().map_err(|_| "poisoned")?.extend(mine);
                    Ok(())
                })
            })
            .collect();
        for w in workers {
            w.join().map_err(|_| "a client panicked")??;
        }
        Ok(())
    })?;
    let elapsed = started.elapsed();
    let mut l = latencies.into_inner().map_err(|_| "poisoned")?;
    l.sort();
    let failed = failed.load(Ordering::Relaxed);
    Ok(Load {
        per_second: (total - failed) as f64 / elapsed.as_secs_f64(),
        p50: percentile(&l, 0.5),
        p99: percentile(&l, 0.99),
        failed,
    })
}

/// The same complaint for both systems: a sentence naming two problems at one home.
fn sentence(n: usize) -> String {
    let (a, b) = (
        WORDS[n % WORDS.len()],
        WORDS[(n / WORDS.len()) % WORDS.len()],
    );
    format!("The {a} and the {b} at number {n} have still not been put right after three reports.")
}

fn redress_create(n: usize) -> (String, String) {
    (
        "/api/contacts".into(),
        format!(
            r#"{{"kind":"complaint","channel":"api","who":"myself","name":"Resident {n}","email":"r{n}@example.org","summary":"{}"}}"#,
            sentence(n)
        ),
    )
}

fn rt_create(n: usize) -> (String, String) {
    let text = sentence(n);
    (
        "/REST/2.0/ticket".into(),
        format!(
            r#"{{"Queue":"General","Subject":"{text}","Requestor":"r{n}@example.org","Content":"{text}","ContentType":"text/plain"}}"#
        ),
    )
}

fn rt_sign_in(addr: &str) -> Result<Vec<(String, String)>, Error> {
    let mut conn = Conn::open(addr)?;
    let (_, cookie) = conn.send(
        "POST",
        "/NoAuth/Login.html",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        &format!("user=root&pass={RT_PASSWORD}"),
    )?;
    if !cookie.starts_with("RT_SID") {
        return Err("Request Tracker did not sign in root (run bench/rt5/install.sh)".into());
    }
    Ok(vec![
        ("Cookie".into(), cookie),
        // RT refuses cookie-authenticated writes without a same-site referrer.
        ("Referer".into(), format!("http://{addr}/")),
        ("Content-Type".into(), "application/json".into()),
    ])
}

/// Kibibytes of one line of /proc/PID/status or smaps_rollup.
fn proc_kib(path: &str, field: &str) -> f64 {
    std::fs::read_to_string(path)
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .unwrap_or(0.0)
}

/// Resident and proportional memory (MiB) of a process and its direct children: a
/// preforking server's workers share its code, which RSS counts in each and PSS divides.
fn tree_memory(pid: u32) -> (f64, f64) {
    let mut pids = vec![pid];
    if let Ok(dir) = std::fs::read_dir("/proc") {
        for entry in dir.flatten() {
            let Ok(child) = entry.file_name().to_string_lossy().parse::<u32>() else {
                continue;
            };
            let parent = std::fs::read_to_string(format!("/proc/{child}/stat"))
                .ok()
                .and_then(|s| {
                    s.rsplit_once(')')
                        .and_then(|(_, rest)| rest.split_whitespace().nth(1))
                        .and_then(|p| p.parse::<u32>().ok())
                });
            if parent == Some(pid) {
                pids.push(child);
            }
        }
    }
    pids.iter().fold((0.0, 0.0), |(rss, pss), p| {
        (
            rss + proc_kib(&format!("/proc/{p}/status"), "VmRSS:") / 1024.0,
            pss + proc_kib(&format!("/proc/{p}/smaps_rollup"), "Pss:") / 1024.0,
        )
    })
}

struct Figures {
    create: Load,
    list: Load,
    search: Load,
    idle: (f64, f64),
    after: (f64, f64),
}

fn measure(
    system: &System,
    clients: usize,
    tickets: usize,
    reads: usize,
) -> Result<Figures, Error> {
    eprintln!("measuring {}", system.name);
    let idle = (system.memory)(system);
    let create = load(system, clients, tickets, &|n| {
        let (path, body) = (system.create)(n);
        ("POST", path, body)
    })?;
    let list = load(system, clients, reads, &|_| {
        ("GET", system.list.clone(), String::new())
    })?;
    let search = load(system, clients, reads, &|_| {
        ("GET", system.search.clone(), String::new())
    })?;
    let after = (system.memory)(system);
    Ok(Figures {
        create,
        list,
        search,
        idle,
        after,
    })
}

fn main() -> Result<(), Error> {
    let clients = env_usize("BENCH_CLIENTS", 8);
    let tickets = env_usize("BENCH_TICKETS", 300);
    let reads = env_usize("BENCH_READS", 200);
    let rt_url = std::env::var("RT5_URL").unwrap_or_else(|_| "http://127.0.0.1:8090".into());
    let rt_addr = rt_url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    let rt_pid: u32 = std::fs::read_to_string(
        std::env::var("RT5_PIDFILE").unwrap_or_else(|_| "/tmp/rt5-bench/rt5.pid".into()),
    )
    .map_err(|_| "Request Tracker is not running: start it with bench/rt5/start.sh")?
    .trim()
    .parse()?;
    let admin = std::env::var("BENCH_POSTGRES_URL")
        .map_err(|_| "set BENCH_POSTGRES_URL: both systems run on the same PostgreSQL")?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let db = rt.block_on(Database::postgres(&admin));
    let url = db.url().to_string();
    let result = (|| {
        let token = officer_token(&url)?;
        let (mut server, addr) = serve(&url)?;
        std::thread::sleep(Duration::from_secs(1));
        let bearer = format!("Bearer {token}");
        let redress = System {
            name: "Redress",
            addr,
            sign_in: Box::new(move |_| {
                Ok(vec![
                    ("Authorization".into(), bearer.clone()),
                    ("Content-Type".into(), "application/json".into()),
                ])
            }),
            create: redress_create,
            list: "/api/contacts?status=received&per_page=20".into(),
            search: "/api/contacts?q=damp&per_page=20".into(),
            memory: |s| (rss_mib(s.pid), tree_memory(s.pid).1),
            pid: server.id(),
        };
        let redress_figures = measure(&redress, clients, tickets, reads)?;
        let _ = server.kill();
        let _ = server.wait();
        let rt_system = System {
            name: "Request Tracker 5",
            addr: rt_addr,
            sign_in: Box::new(rt_sign_in),
            create: rt_create,
            list: "/REST/2.0/tickets?query=Queue%3D%27General%27%20AND%20Status%3D%27new%27&orderby=Created&order=DESC&per_page=20&fields=Subject,Status,Created".into(),
            search: "/REST/2.0/tickets?query=Subject%20LIKE%20%27damp%27&per_page=20&fields=Subject,Status".into(),
            memory: |s| tree_memory(s.pid),
            pid: rt_pid,
        };
        let rt_figures = measure(&rt_system, clients, tickets, reads)?;
        report(&redress_figures, &rt_figures, clients, tickets, reads);
        Ok::<(), Error>(())
    })();
    rt.block_on(db.remove());
    result
}

fn report(r: &Figures, t: &Figures, clients: usize, tickets: usize, reads: usize) {
    println!("# Redress and Request Tracker 5, same PostgreSQL, {clients} clients\n");
    println!("| work | Redress | Request Tracker 5 | Redress ÷ RT |");
    println!("|---|---|---|---|");
    let row = |what: String, a: &Load, b: &Load| {
        println!(
            "| {what} | {:.0}/s; p50 {} ms, p99 {} ms; {} failed | {:.1}/s; p50 {} ms, p99 {} ms; {} failed | {:.0}× the throughput, {:.2}× the p50 |",
            a.per_second,
            ms(a.p50),
            ms(a.p99),
            a.failed,
            b.per_second,
            ms(b.p50),
            ms(b.p99),
            b.failed,
            a.per_second / b.per_second.max(f64::MIN_POSITIVE),
            a.p50.as_secs_f64() / b.p50.as_secs_f64().max(f64::MIN_POSITIVE),
        );
    };
    row(format!("create {tickets}"), &r.create, &t.create);
    row(
        format!("list a page of 20 open, {reads} times"),
        &r.list,
        &t.list,
    );
    row(
        format!("search \"damp\", {reads} times"),
        &r.search,
        &t.search,
    );
    println!(
        "| resident memory idle (RSS / PSS MiB) | {:.0} / {:.0} | {:.0} / {:.0} | {:.2}× the PSS |",
        r.idle.0,
        r.idle.1,
        t.idle.0,
        t.idle.1,
        r.idle.1 / t.idle.1.max(f64::MIN_POSITIVE)
    );
    println!(
        "| resident memory after the load (RSS / PSS MiB) | {:.0} / {:.0} | {:.0} / {:.0} | {:.2}× the PSS |",
        r.after.0,
        r.after.1,
        t.after.0,
        t.after.1,
        r.after.1 / t.after.1.max(f64::MIN_POSITIVE)
    );
}
