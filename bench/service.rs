//! The running service measured from outside, as its users meet it, on each backend:
//!
//!     cargo bench -p redress --bench service
//!     BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres cargo bench -p redress --bench service
//!
//! 1. Durable intake: BENCH_SUBMISSIONS complaints (default 20,000) sent to the JSON API by
//!    BENCH_CLIENTS concurrent clients (default 32), each on its own keep-alive connection;
//!    submissions per second and p50/p99 latency of the answers (every one a 201).
//! 2. The storage ceiling: the same number of transactions written by a minimal loop straight
//!    into a fresh database with the same durability settings and concurrency — a counter
//!    bumped, a case row and an event row of the same sizes — so intake can be read as a
//!    fraction of what the disk and database allow. Both run BENCH_INTAKE_RUNS times
//!    (default 3), alternately, and the medians are reported.
//! 3. Staff pages over what intake left (on PostgreSQL after `VACUUM (ANALYZE)`, which
//!    autovacuum would run on a live system): the case list (complaints just received, in the
//!    list's deadline order), a case page, and a word search, p50/p99 at 1, 8 and 32
//!    connections.
//! 4. The server's resident memory idle, at its peak under intake, and after.
//!
//! The release server binary is started on a new SQLite file (and, with BENCH_POSTGRES_URL,
//! on a new PostgreSQL database made for the run and dropped after, unless BENCH_KEEP is
//! set). Results go to stdout
//! as Markdown; docs/benchmarks.md keeps them with the machine they came from.

mod common;
mod fan_out;

use common::{
    Conn, Error, PASSWORD, WORDS, env_usize, ms, officer_token, percentile, rss_mib, serve,
};
use redress_testkit::Database;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

struct Intake {
    per_second: f64,
    p50: Duration,
    p99: Duration,
    failed: usize,
    peak_rss: f64,
    references: Vec<String>,
}

/// Submissions `first` to `first + total`: each run of several sends new complaints.
fn intake(
    addr: &str,
    token: &str,
    pid: u32,
    first: usize,
    total: usize,
    clients: usize,
) -> Result<Intake, Error> {
    let next = Arc::new(AtomicUsize::new(0));
    let failed = Arc::new(AtomicUsize::new(0));
    let latencies = Arc::new(Mutex::new(Vec::with_capacity(total)));
    let references = Arc::new(Mutex::new(Vec::new()));
    let running = Arc::new(AtomicBool::new(true));
    let peak = Arc::new(AtomicU64::new(0));
    let sampler = {
        let (running, peak) = (running.clone(), peak.clone());
        std::thread::spawn(move || {
            while running.load(Ordering::Relaxed) {
                let now = (rss_mib(pid) * 10.0) as u64;
                peak.fetch_max(now, Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(50));
            }
        })
    };
    let auth = format!("Bearer {token}");
    let started = Instant::now();
    let workers: Vec<_> = (0..clients)
        .map(|_| {
            let (next, failed, latencies, references, addr, auth) =
                (next.clone(), failed.clone(), latencies.clone(), references.clone(), addr.to_string(), auth.clone());
            std::thread::spawn(move || -> Result<(), Error> {
                let mut conn = Conn::open(&addr)?;
                let mut mine = Vec::new();
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    if n >= total {
                        break;
                    }
                    let n = first + n;
                    let (a, b) = (WORDS[n % WORDS.len()], WORDS[(n / WORDS.len()) % WORDS.len()]);
                    let body = format!(
                        r#"{{"kind":"complaint","channel":"api","who":"myself","name":"Resident {n}","email":"r{n}@example.org","summary":"The {a} and the {b} at number {n} have still not been put right after three reports."}}"#
                    );
                    let key = format!("bench-{n}");
                    let t = Instant::now();
                    let (status, text) = conn.send(
                        "POST",
                        "/api/contacts",
                        &[("Authorization", &auth), ("Idempotency-Key", &key), ("Content-Type", "application/json")],
                        &body,
                    )?;
                    mine.push(t.elapsed());
                    if status == 201 {
                        if n.is_multiple_of(97)
                            && let Some(reference) = text
                                .find("\"reference\":\"")
                                .and_then(|at| text.get(at + 13..at + 28))
                        {
                            references.lock().map_err(|_| "poisoned")?.push(reference.to_string());
                        }
                    } else {
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
    let elapsed = started.elapsed();
    running.store(false, Ordering::Relaxed);
    let _ = sampler.join();
    let mut l = latencies.lock().map_err(|_| "poisoned")?.clone();
    l.sort();
    let failed = failed.load(Ordering::Relaxed);
    Ok(Intake {
        per_second: (total - failed) as f64 / elapsed.as_secs_f64(),
        p50: percentile(&l, 0.5),
        p99: percentile(&l, 0.99),
        failed,
        peak_rss: peak.load(Ordering::Relaxed) as f64 / 10.0,
        references: references.lock().map_err(|_| "poisoned")?.clone(),
    })
}

/// The same number of write transactions with nothing but the database in the way.
/// On SQLite `connections` is the pool size (one writer at a time either way); on PostgreSQL
/// there is one connection per client.
async fn ceiling(url: &str, total: usize, clients: usize, connections: u32) -> Result<f64, Error> {
    const TABLES: [&str; 3] = [
        "CREATE TABLE counter (id INTEGER PRIMARY KEY, n BIGINT NOT NULL)",
        "CREATE TABLE cases (id TEXT PRIMARY KEY, reference TEXT NOT NULL UNIQUE, state TEXT NOT NULL)",
        "CREATE TABLE events (case_id TEXT NOT NULL, seq BIGINT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (case_id, seq))",
    ];
    let state = "x".repeat(1_500);
    let next = Arc::new(AtomicUsize::new(0));
    // The same loop on either backend's pool: how a write transaction begins and the
    // placeholders are all that differ.
    macro_rules! run_loop {
        ($pool:expr, |$p:ident| $begin:expr, $insert_case:literal, $insert_event:literal) => {{
            let pool = $pool;
            // Each run starts from empty tables, as the service's first run does.
            for drop in ["DROP TABLE IF EXISTS events", "DROP TABLE IF EXISTS cases", "DROP TABLE IF EXISTS counter"] {
                sqlx::query(drop).execute(&pool).await?;
            }
            for ddl in TABLES {
                sqlx::query(ddl).execute(&pool).await?;
            }
            let started = Instant::now();
            let tasks: Vec<_> = (0..clients)
                .map(|_| {
                    let (pool, next, state) = (pool.clone(), next.clone(), state.clone());
                    tokio::spawn(async move {
                        while next.fetch_add(1, Ordering::Relaxed) < total {
                            let $p = &pool;
                            let mut tx = $begin.await?;
                            let n: i64 = sqlx::query_scalar(
                                "INSERT INTO counter (id, n) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET n = counter.n + 1 RETURNING n",
                            )
                            .fetch_one(&mut *tx)
                            .await?;
                            let id = format!("case-{n}");
                            sqlx::query($insert_case)
                                .bind(&id).bind(format!("CMP-{n}")).bind(&state).execute(&mut *tx).await?;
                            sqlx::query($insert_event)
                                .bind(&id).bind(&state[..400]).execute(&mut *tx).await?;
                            tx.commit().await?;
                        }
                        Ok::<(), Error>(())
                    })
                })
                .collect();
            for t in tasks {
                t.await??;
            }
            pool.close().await;
            started
        }};
    }
    let started = if url.starts_with("sqlite:") {
        use sqlx::sqlite::{
            SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous,
        };
        let options = url
            .parse::<SqliteConnectOptions>()?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(30));
        run_loop!(
            SqlitePoolOptions::new()
                .max_connections(connections)
                .connect_with(options)
                .await?,
            |p| p.begin_with("BEGIN IMMEDIATE"),
            "INSERT INTO cases (id, reference, state) VALUES (?, ?, ?)",
            "INSERT INTO events (case_id, seq, body) VALUES (?, 1, ?)"
        )
    } else {
        run_loop!(
            sqlx::postgres::PgPoolOptions::new()
                .max_connections(connections)
                .connect(url)
                .await?,
            |p| p.begin(),
            "INSERT INTO cases (id, reference, state) VALUES ($1, $2, $3)",
            "INSERT INTO events (case_id, seq, body) VALUES ($1, 1, $2)"
        )
    };
    Ok(total as f64 / started.elapsed().as_secs_f64())
}

/// GETs `paths` in turn from `connections` connections for a fixed number of requests each.
fn pages(
    addr: &str,
    cookie: &str,
    paths: &[String],
    connections: usize,
    each: usize,
) -> Result<(Duration, Duration, Duration), Error> {
    let latencies = Arc::new(Mutex::new(Vec::new()));
    let workers: Vec<_> = (0..connections)
        .map(|c| {
            let (addr, cookie, paths, latencies) = (
                addr.to_string(),
                cookie.to_string(),
                paths.to_vec(),
                latencies.clone(),
            );
            std::thread::spawn(move || -> Result<(), Error> {
                let mut conn = Conn::open(&addr)?;
                let mut mine = Vec::with_capacity(each);
                for i in 0..each {
                    let path = &paths[(c + i) % paths.len()];
                    let t = Instant::now();
                    let (status, _) = conn.send("GET", path, &[("Cookie", &cookie)], "")?;
                    mine.push(t.elapsed());
                    if status != 200 {
                        return Err(format!("GET {path} answered {status}").into());
                    }
                }
                latencies.lock().map_err(|_| "poisoned")?.extend(mine);
                Ok(())
            })
        })
        .collect();
    for w in workers {
        w.join().map_err(|_| "a reader panicked")??;
    }
    let mut l = latencies.lock().map_err(|_| "poisoned")?.clone();
    l.sort();
    Ok((
        percentile(&l, 0.5),
        percentile(&l, 0.95),
        percentile(&l, 0.99),
    ))
}

fn run(
    label: &str,
    url: &str,
    ceiling_url: &str,
    rt: &tokio::runtime::Runtime,
) -> Result<(), Error> {
    let total = env_usize("BENCH_SUBMISSIONS", 20_000);
    let clients = env_usize("BENCH_CLIENTS", 32);
    let token = officer_token(url)?;
    let (mut server, addr) = serve(url)?;
    let pid = server.id();
    std::thread::sleep(Duration::from_secs(1));
    let idle = rss_mib(pid);

    println!("\n## {label}\n");
    // BENCH_INTAKE_RUNS (default 3) runs of intake, each followed by a run of the storage
    // ceiling, so both see the machine as it was at the time; the medians are reported.
    let runs = env_usize("BENCH_INTAKE_RUNS", 3).max(1);
    let mut measured: Vec<(Intake, f64)> = Vec::new();
    for run in 0..runs {
        // This machine's PostgreSQL runs with autovacuum off. Without it the tables filled
        // during intake keep the statistics of empty tables, and the plans cached on each
        // connection stay seq scans as they grow; so do what autovacuum would, every few
        // seconds, while intake runs.
        let analysing = Arc::new(AtomicBool::new(url.starts_with("postgres")));
        let analyser = {
            let (analysing, url) = (analysing.clone(), url.to_string());
            rt.spawn(async move {
                if !analysing.load(Ordering::Relaxed) {
                    return Ok(());
                }
                let pool = sqlx::PgPool::connect(&url).await?;
                while analysing.load(Ordering::Relaxed) {
                    tokio::time::sleep(Duration::from_secs(5)).await;
                    sqlx::query("ANALYZE").execute(&pool).await?;
                }
                pool.close().await;
                Ok::<(), Error>(())
            })
        };
        let i = intake(&addr, &token, pid, run * total, total, clients)?;
        analysing.store(false, Ordering::Relaxed);
        rt.block_on(analyser)??;
        // SQLite's best minimal loop is not obvious: one connection queues writers without
        // contention, several let the next writer be ready; the ceiling is the better of the two.
        let ceiling = if url.starts_with("sqlite:") {
            let one = rt.block_on(ceiling(ceiling_url, total, clients, 1))?;
            let eight = rt.block_on(ceiling(&format!("{ceiling_url}-8"), total, clients, 8))?;
            one.max(eight)
        } else {
            rt.block_on(ceiling(ceiling_url, total, clients, 32))?
        };
        measured.push((i, ceiling));
    }
    let peak_rss = measured.iter().map(|(i, _)| i.peak_rss).fold(0.0, f64::max);
    let each = |f: &dyn Fn(&(Intake, f64)) -> f64| -> String {
        measured
            .iter()
            .map(|m| format!("{:.0}", f(m)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (intakes, ceilings, fractions) = (
        each(&|(i, _)| i.per_second),
        each(&|(_, c)| *c),
        each(&|(i, c)| 100.0 * i.per_second / c),
    );
    // The run with the median intake gives the latencies and the fraction; the ceiling's
    // median is taken on its own.
    measured.sort_by(|a, b| a.0.per_second.total_cmp(&b.0.per_second));
    let mut ceilings_sorted: Vec<f64> = measured.iter().map(|(_, c)| *c).collect();
    ceilings_sorted.sort_by(f64::total_cmp);
    let ceiling = ceilings_sorted[ceilings_sorted.len() / 2];
    let (i, own_ceiling) = measured.swap_remove(measured.len() / 2);
    println!("| measure | value |\n|---|---|");
    println!(
        "| durable intake ({total} complaints, {clients} clients; median of {runs} runs) | {:.0} a second; p50 {} ms, p99 {} ms; {} refused (runs: {intakes}) |",
        i.per_second,
        ms(i.p50),
        ms(i.p99),
        i.failed
    );
    println!(
        "| storage ceiling (same transactions, no service; median of {runs} runs) | {ceiling:.0} a second (runs: {ceilings}) |"
    );
    println!(
        "| intake as a fraction of the ceiling run after it | {:.0}% (runs: {fractions}) |",
        100.0 * i.per_second / own_ceiling
    );
    let total = total * runs;
    let cases_now = env_usize("BENCH_CASES", total).max(total);
    if cases_now > total {
        let started = Instant::now();
        rt.block_on(fan_out::copy_cases(url, total, cases_now, 2026))?;
        println!(
            "\nThe {total} cases were copied to {cases_now} for the page runs in {:.0} s.",
            started.elapsed().as_secs_f64()
        );
    }
    if url.starts_with("postgres") {
        // A table filled in one burst has no statistics or visibility map until autovacuum
        // gets to it (within a minute or so on a live system); run that maintenance now so
        // the pages are measured as a running service would serve them.
        rt.block_on(async {
            let pool = sqlx::PgPool::connect(url).await?;
            sqlx::query("VACUUM (ANALYZE)").execute(&pool).await?;
            pool.close().await;
            Ok::<(), Error>(())
        })?;
    }
    let mut login = Conn::open(&addr)?;
    let (status, cookie) = login.send(
        "POST",
        "/staff/login",
        &[
            ("Origin", &format!("http://{addr}")),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ],
        &format!(
            "email=bench%40test.org&password={}",
            PASSWORD.replace(' ', "+")
        ),
    )?;
    if status != 303 {
        return Err(format!("sign-in answered {status}").into());
    }
    let list = vec![
        "/staff/cases?kind=complaint&status=received".to_string(),
        "/staff/cases?kind=complaint&status=received&page=40".to_string(),
    ];
    let cases: Vec<String> = i
        .references
        .iter()
        .map(|r| format!("/staff/cases/{r}"))
        .collect();
    let search: Vec<String> = WORDS
        .iter()
        .map(|w| format!("/staff/cases?q={w}"))
        .collect();
    let runs = env_usize("BENCH_RUNS", 3).max(1);
    // Each figure is the median over BENCH_RUNS runs (default 3) of that run's percentile.
    let median_of = |paths: &[String],
                     connections: usize,
                     each: usize|
     -> Result<(Duration, Duration, Duration), Error> {
        let mut results = Vec::new();
        for _ in 0..runs {
            results.push(pages(&addr, &cookie, paths, connections, each)?);
        }
        let pick = |f: fn(&(Duration, Duration, Duration)) -> Duration| {
            let mut v: Vec<Duration> = results.iter().map(f).collect();
            v.sort();
            v[v.len() / 2]
        };
        Ok((pick(|r| r.0), pick(|r| r.1), pick(|r| r.2)))
    };
    println!(
        "\n| page ({cases_now} cases, median of {runs} runs) | connections | p50 ms | p99 ms |\n|---|---|---|---|"
    );
    // BENCH_PAGE_REQUESTS (default 3,200) requests at each number of connections, at most
    // 400 from each; BENCH_SEARCHES (default 50) from each of the 8 connections searching.
    let requests = env_usize("BENCH_PAGE_REQUESTS", 3_200).max(32);
    for connections in [1, 8, 32] {
        let each = (requests / connections).min(400);
        let (p50, _, p99) = median_of(&list, connections, each)?;
        println!(
            "| case list (filtered, deadline order) | {connections} | {} | {} |",
            ms(p50),
            ms(p99)
        );
        let (p50, _, p99) = median_of(&cases, connections, each)?;
        println!("| case page | {connections} | {} | {} |", ms(p50), ms(p99));
    }
    let (p50, p95, _) = median_of(&search, 8, env_usize("BENCH_SEARCHES", 50).max(1))?;
    println!(
        "\n| search over {cases_now} cases (8 connections, median of {runs} runs) | p50 {} ms | p95 {} ms |\n|---|---|---|",
        ms(p50),
        ms(p95)
    );
    println!("\n| resident memory | MiB |\n|---|---|");
    println!(
        "| idle, before intake | {idle:.0} |\n| peak during intake | {:.0} |\n| after the page runs | {:.0} |",
        peak_rss,
        rss_mib(pid)
    );
    server.kill()?;
    server.wait()?;
    Ok(())
}

fn main() -> Result<(), Error> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let dir = std::env::temp_dir().join(format!("redress-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    println!("# Redress service benchmark");
    // BENCH_POSTGRES_ONLY skips the SQLite run, for looking at PostgreSQL alone.
    if std::env::var("BENCH_POSTGRES_ONLY").is_err() {
        run(
            "SQLite",
            &format!("sqlite://{}", dir.join("service.db").display()),
            &format!("sqlite://{}", dir.join("ceiling.db").display()),
            &rt,
        )?;
    }
    if let Some(admin) = std::env::var("BENCH_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
    {
        let service = rt.block_on(Database::postgres(&admin));
        let ceiling = rt.block_on(Database::postgres(&admin));
        let result = run("PostgreSQL", service.url(), ceiling.url(), &rt);
        if std::env::var("BENCH_KEEP").is_ok() {
            println!("\nKept for inspection: {}", service.url());
            return result;
        }
        rt.block_on(service.remove());
        rt.block_on(ceiling.remove());
        result?;
    }
    if std::env::var("BENCH_KEEP").is_ok() {
        println!("\nKept for inspection: {}", dir.display());
    } else {
        let _ = std::fs::remove_dir_all(&dir);
    }
    Ok(())
}
