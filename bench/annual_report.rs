//! How long the annual report takes over a large history, on each backend.
//!
//!     cargo bench -p redress-app --bench annual_report
//!
//! BENCH_CASES (default 1,000,000) complaints are spread over the financial year 2025/26,
//! with acknowledgements, responses (some late, some extended), escalations and closures.
//! They are seeded once into `target/bench/annual.db` (and, when BENCH_POSTGRES_URL names
//! an existing empty database, into PostgreSQL) and reused by later runs; seeding a million
//! cases takes a long time, timing the report does not include it. Results are in
//! bench/README.md.

use redress_app::{App, settings};
use redress_domain::calendar::Division;
use redress_domain::case::{Command, Context, PointDecision};
use redress_domain::contact::{Contact, ContactInput, ContactKind, Reference, Source};
use redress_domain::event::Actor;
use redress_store::{ContactFilter, Store};
use std::time::Instant;

type Error = Box<dyn std::error::Error>;

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

async fn seed(app: &App, store: &Store, wanted: usize) -> Result<(), Error> {
    let org = app.organisation.id.clone();
    let have = store
        .list_contacts(
            &org,
            &ContactFilter {
                per_page: 1,
                page: 1,
                ..Default::default()
            },
        )
        .await?
        .total as usize;
    if have >= wanted {
        println!("  {have} cases already seeded");
        return Ok(());
    }
    let scheme = app.find_scheme("hos-2024").await?;
    let calendar = app.calendar().await?;
    let start = jiff::civil::date(2025, 4, 1);
    let mut rng = Lcg(have as u64 + 7);
    let began = Instant::now();
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
            .await?;
        if (n + 1) % 10_000 == 0 {
            println!(
                "  seeded {} ({:.0} a second)",
                n + 1,
                (n + 1 - have) as f64 / began.elapsed().as_secs_f64()
            );
        }
    }
    Ok(())
}

async fn run(name: &str, url: &str, cases: usize) -> Result<(), Error> {
    println!("{name}: {cases} cases");
    let store = Store::connect(url).await?;
    settings::ensure_organisation(&store, "Bench Homes", Division::EnglandAndWales, "hos-2024")
        .await?;
    let now: jiff::Timestamp = "2026-05-01T12:00:00Z".parse()?;
    let app = App::load(store.clone()).await?.with_clock(move || now);
    seed(&app, &store, cases).await?;
    for (what, year) in [("annual report 2025/26", 2025)] {
        let t = Instant::now();
        let report = app.annual_report(year).await?;
        println!(
            "  {what}: {:.2} s ({} new complaints, stage 1 on time {:?}%)",
            t.elapsed().as_secs_f64(),
            report.measures.new_complaints,
            report.tsm.ch02_stage1_pct
        );
    }
    let t = Instant::now();
    let q = app
        .measures(redress_domain::measures::Period::quarter(2025, 3)?, None)
        .await?;
    println!(
        "  quarter 3 measures: {:.2} s ({} new complaints)",
        t.elapsed().as_secs_f64(),
        q.new_complaints
    );
    store.close().await;
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let cases = std::env::var("BENCH_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/bench");
    std::fs::create_dir_all(&dir)?;
    run(
        "SQLite",
        &format!(
            "sqlite://{}",
            dir.join(format!("annual-{cases}.db")).display()
        ),
        cases,
    )
    .await?;
    match std::env::var("BENCH_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => run("PostgreSQL", &url, cases).await?,
        _ => println!("PostgreSQL skipped: set BENCH_POSTGRES_URL to an empty database"),
    }
    Ok(())
}
