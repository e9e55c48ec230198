//! How long the annual report takes over a large history, on each backend.
//!
//!     cargo bench -p redress-app --bench annual_report
//!
//! BENCH_BASE (default 20,000) complaints are spread over the financial year 2025/26, with
//! acknowledgements, responses (some on time, some late) and closures, and written through
//! the store as the service writes them. They are then copied in SQL (`fan_out.rs`) up to
//! BENCH_CASES (default 1,000,000), every copy in the same year, so the report counts a
//! million complaints. The database is kept in `target/bench/annual-N.db` (and, when
//! BENCH_POSTGRES_URL names an existing empty database, in PostgreSQL) and reused by later
//! runs; making it is not timed. Each figure is the median of BENCH_RUNS (default 5) runs.
//! Results are in docs/benchmarks.md.

use redress_app::{App, settings};
use redress_domain::calendar::Division;
use redress_domain::case::{Command, Context, PointDecision};
use redress_domain::contact::{Contact, ContactInput, ContactKind, Reference, Source};
use redress_domain::event::Actor;
use redress_store::{ContactFilter, Store};
use std::time::{Duration, Instant};

mod fan_out;

type Error = Box<dyn std::error::Error + Send + Sync>;

/// A small deterministic generator, so every run seeds the same history.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % below.max(1)
    }
}

async fn cases(app: &App, store: &Store, up_to: usize) -> Result<usize, Error> {
    let filter = ContactFilter {
        per_page: 1,
        page: 1,
        count_up_to: Some(up_to as i64),
        ..Default::default()
    };
    Ok(store
        .list_contacts(&app.organisation.id, &filter)
        .await?
        .total as usize)
}

async fn seed(app: &App, store: &Store, wanted: usize) -> Result<(), Error> {
    let org = app.organisation.id.clone();
    let have = cases(app, store, wanted).await?;
    if have >= wanted {
        return Ok(());
    }
    let scheme = app.find_scheme("hos-2024").await?;
    let calendar = app.calendar().await?;
    let start = jiff::civil::date(2025, 4, 1);
    let mut rng = Lcg(have as u64 + 7);
    let began = Instant::now();
    let mut writing = tokio::task::JoinSet::new();
    for n in have..wanted {
        let received = start.checked_add(jiff::Span::new().days(rng.next(360) as i64))?;
        let input = ContactInput {
            kind: "complaint".into(),
            channel: ["phone", "email", "web-form", "letter"][rng.next(4) as usize].into(),
            who: "myself".into(),
            name: format!("Resident {n}"),
            email: format!("resident{}@example.org", rng.next(wanted as u64 / 2 + 1)),
            tenure: "low-cost-rental".into(),
            summary: "Repairs not done".into(),
            received_date: received.to_string(),
            received_time: "10:00".into(),
            ..Default::default()
        };
        let detail = input
            .parse(Source::Staff, app.now())
            .map_err(|e| e.to_string())?;
        let (mut contact, event) = Contact::receive(
            String::new(),
            Reference::new(ContactKind::Complaint, 2025, 1),
            detail,
            &scheme,
            &calendar,
            Actor::system(),
        )?;
        let ctx = Context {
            scheme: &scheme,
            calendar: &calendar,
            actor: Actor::staff("bench", "Bench Officer"),
            at: app.now(),
            today: app.today(),
            payment_approval_above: None,
        };
        let day = |d: i64| received.checked_add(jiff::Span::new().days(d));
        let steps = [
            Command::Acknowledge {
                on: day(rng.next(8) as i64)?,
                understanding: "Repairs".into(),
                outcome_wanted: "Fix".into(),
            },
            Command::Respond {
                on: day(7 + rng.next(20) as i64)?,
                points: vec![PointDecision {
                    point: "Repairs".into(),
                    upheld: rng.next(2) == 0,
                }],
                reasons: "Checked the records".into(),
                outstanding_actions: None,
                early_resolution: false,
            },
            Command::Close { on: day(30)? },
        ];
        for step in steps.into_iter().take(1 + rng.next(3) as usize) {
            // Some seeded dates fall after "today" or break a rule; the case stops there.
            if contact.apply(step, &ctx).is_err() {
                break;
            }
        }
        let id = uuid::Uuid::now_v7().to_string();
        let (store, org) = (store.clone(), org.clone());
        // Many at once, as the service takes them, so they are written in batches.
        if writing.len() >= 64
            && let Some(done) = writing.join_next().await
        {
            done??;
        }
        writing.spawn(async move {
            store
                .insert_contact(
                    &org,
                    None,
                    (ContactKind::Complaint, 2025),
                    move |reference| {
                        let mut contact = contact.clone();
                        contact.id = id.clone();
                        contact.reference = reference;
                        Ok((contact, event.clone()))
                    },
                )
                .await
                .map(|_| ())
        });
        if (n + 1) % 10_000 == 0 {
            println!(
                "  seeded {} ({:.0} a second)",
                n + 1,
                (n + 1 - have) as f64 / began.elapsed().as_secs_f64()
            );
        }
    }
    while let Some(done) = writing.join_next().await {
        done??;
    }
    Ok(())
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

async fn run(name: &str, url: &str, base: usize, wanted: usize, runs: usize) -> Result<(), Error> {
    let store = Store::connect(url).await?;
    settings::ensure_organisation(&store, "Bench Homes", Division::EnglandAndWales, "hos-2024")
        .await?;
    let now: jiff::Timestamp = "2026-05-01T12:00:00Z".parse()?;
    let app = App::load(store.clone()).await?.with_clock(move || now);
    if cases(&app, &store, wanted).await? < wanted {
        let t = Instant::now();
        seed(&app, &store, base).await?;
        println!(
            "{name}: {base} cases written through the store in {:.0} s",
            t.elapsed().as_secs_f64()
        );
        let t = Instant::now();
        fan_out::copy_cases(url, base, wanted, 2025).await?;
        println!(
            "{name}: copied to {wanted} in {:.0} s",
            t.elapsed().as_secs_f64()
        );
    }
    let year = redress_domain::measures::Period::financial_year(2025)?;
    let quarter = redress_domain::measures::Period::quarter(2025, 3)?;
    let (mut annual, mut tsm, mut q3) = (Vec::new(), Vec::new(), Vec::new());
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        let report = app
            .annual_report(&redress_app::access::Principal::System, 2025)
            .await?;
        annual.push(t.elapsed());
        let t = Instant::now();
        app.tsm(&redress_app::access::Principal::System, 2025)
            .await?;
        tsm.push(t.elapsed());
        let t = Instant::now();
        app.measures(&redress_app::access::Principal::System, quarter, None)
            .await?;
        q3.push(t.elapsed());
        last = Some(report);
    }
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    if let Some(report) = last {
        println!(
            "| {name} | {} | {:.0} ms | {:.0} ms | {:.0} ms |",
            report.measures.new_complaints,
            ms(median(annual)),
            ms(median(tsm)),
            ms(median(q3)),
        );
        println!(
            "  (stage 1 responses {}, on time {:?}%; period {:?})",
            report.tsm.stage1_responses, report.tsm.ch02_stage1_pct, year
        );
    }
    store.close().await;
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let number = |name: &str, default: usize| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let wanted = number("BENCH_CASES", 1_000_000);
    let base = number("BENCH_BASE", 20_000).min(wanted);
    let runs = number("BENCH_RUNS", 5).max(1);
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/bench");
    std::fs::create_dir_all(&dir)?;
    println!(
        "| backend | complaints in the year | annual report (p50 of {runs}) | TSM | quarter's measures |\n|---|---|---|---|---|"
    );
    let file = dir.join(format!("annual-{wanted}.db"));
    run(
        "SQLite",
        &format!("sqlite://{}", file.display()),
        base,
        wanted,
        runs,
    )
    .await?;
    match std::env::var("BENCH_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => run("PostgreSQL", &url, base, wanted, runs).await?,
        _ => println!("PostgreSQL skipped: set BENCH_POSTGRES_URL to an empty database"),
    }
    Ok(())
}
