//! `redress`: the service and its command line.

mod backup;
mod config;
mod logging;
mod mail;
mod scheme;
mod serve;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use config::Config;
use redress_app::App;
use redress_app::access::Principal;
use redress_app::setup::Database;
use redress_domain::calendar::{Division, HolidayTable, WorkingCalendar};
use redress_domain::role::Role;
use redress_domain::scheme::Scheme;
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Parser)]
#[command(
    name = "redress",
    version,
    about = "Complaints, comments and compliments case management"
)]
struct Cli {
    /// A file of KEY=VALUE settings (the same keys as the REDRESS_* environment variables).
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web service.
    Serve {
        /// Address to listen on (default 127.0.0.1:8080, or REDRESS_ADDR).
        #[arg(long)]
        addr: Option<String>,
        /// Create demonstration data once, and print where and how to sign in.
        #[arg(long)]
        demo: bool,
    },
    /// Bring the database schema up to date and exit.
    Migrate,
    /// Manage staff users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Bank holidays.
    Holidays {
        #[command(subcommand)]
        command: HolidayCommand,
    },
    /// The organisation's own closure days, which do not count as working days.
    Closure {
        #[command(subcommand)]
        command: ClosureCommand,
    },
    /// Working-day arithmetic on the UK bank-holiday calendars.
    Calendar {
        #[command(subcommand)]
        command: CalendarCommand,
    },
    /// Bring historic cases in from another system (see docs/importing.md).
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
    /// Performance measures and Tenant Satisfaction Measures, as JSON.
    Report {
        #[command(subcommand)]
        command: ReportCommand,
    },
    /// Erase personal data whose retention period has ended (also runs hourly in `serve`).
    Retention,
    /// Write a consistent copy of the database while the service runs (SQLite: a new
    /// database file; PostgreSQL: a pg_dump file).
    Backup {
        #[arg(long)]
        out: PathBuf,
    },
    /// Put back a SQLite backup, after checking it; the database it replaces is kept
    /// beside it. Stop the service first.
    Restore { file: PathBuf },
    /// One case: its evidence bundle for an ombudsman.
    Case {
        #[command(subcommand)]
        command: CaseCommand,
    },
    /// Write everything held about a person (subject access) as JSON to standard output.
    SubjectAccess {
        #[arg(long, default_value = "")]
        email: String,
        #[arg(long, default_value = "")]
        phone: String,
    },
    /// The organisation's own schemes, as JSON in and out.
    Scheme {
        #[command(subcommand)]
        command: scheme::SchemeCommand,
    },
    /// Print a complaint's deadlines under a scheme as JSON.
    Deadlines {
        #[arg(long)]
        scheme: String,
        #[arg(long)]
        division: String,
        #[arg(long)]
        received: String,
        #[arg(long)]
        acknowledged: Option<String>,
        #[arg(long, default_value_t = 1)]
        stage: u8,
    },
    /// Read a message on standard input and print what it reads as, as JSON:
    /// `{"kind": …, "confidence": …, "reasons": […], "hazard": …}`. Offline; needs no database.
    Classify,
    /// Email in: take a message by hand, or read the mailbox once.
    Mail {
        #[command(subcommand)]
        command: mail::MailCommand,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add a staff user. The password is read from REDRESS_NEW_PASSWORD, or standard input.
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// admin, complaints-officer, case-worker, service-manager, scrutiny-member,
        /// appeal-panel-member, auditor, governing-body, executive or tenants-panel.
        #[arg(long)]
        role: String,
    },
    /// Issue an API token for a user (shown once).
    Token {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "api")]
        label: String,
    },
}

#[derive(Subcommand)]
enum CaseCommand {
    /// Write a zip of the case's chronology, letters as sent, files and remedies, and record
    /// in its history that it was made.
    Bundle {
        reference: String,
        #[arg(long)]
        out: std::path::PathBuf,
    },
}

#[derive(Subcommand)]
enum ImportCommand {
    /// Import a CSV file of cases: checked whole first, imported whole or not at all.
    Cases { file: PathBuf },
}

#[derive(Subcommand)]
enum ReportCommand {
    /// Every performance measure for a period, optionally for one service area.
    Measures {
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        /// A service area's name or id.
        #[arg(long)]
        service_area: Option<String>,
        /// Only json for now.
        #[arg(long, default_value = "json")]
        format: String,
    },
    /// CH01 and CH02 for the financial year starting in April of YEAR.
    Tsm {
        #[arg(long)]
        year: String,
        #[arg(long, default_value = "json")]
        format: String,
    },
    /// Count every case into the running totals the reports read, afresh (to repair them;
    /// stop every instance first).
    Recount,
}

#[derive(Subcommand)]
enum HolidayCommand {
    /// Add or correct years from a file in GOV.UK's bank-holidays.json format.
    Import { file: PathBuf },
}

#[derive(Subcommand)]
enum ClosureCommand {
    /// Add a closure day (for example an office move or a training day).
    Add {
        #[arg(long)]
        date: String,
        #[arg(long)]
        reason: String,
    },
    /// List closure days.
    List,
}

#[derive(Subcommand)]
enum CalendarCommand {
    /// Print the date N working days after a date.
    AddWorkingDays {
        #[arg(long)]
        division: String,
        #[arg(long)]
        from: String,
        #[arg(long)]
        days: u32,
    },
}

#[tokio::main]
async fn main() -> Result<()> {
    let cli = Cli::parse();
    let config = Config::load(cli.config.as_deref())?;
    logging::init(config.log_json);
    match cli.command {
        Command::Serve { addr, demo } => serve::serve(&config, addr, demo).await,
        Command::Mail { command } => mail::mail(&config, command).await,
        Command::Classify => {
            let mut text = String::new();
            std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
                .context("reading the message from standard input")?;
            let read = redress_domain::recognition::recognise(&text);
            println!("{}", serde_json::to_string(&read)?);
            Ok(())
        }
        Command::Migrate => {
            let database = Database::connect(&config.database_url)
                .await
                .context("connecting to the database")?;
            println!("Database is up to date ({}).", database.backend());
            Ok(())
        }
        Command::User { command } => user(&config, command).await,
        Command::Holidays {
            command: HolidayCommand::Import { file },
        } => {
            let json = std::fs::read_to_string(&file)
                .with_context(|| format!("reading {}", file.display()))?;
            let database = Database::connect(&config.database_url).await?;
            let n = database.import_holidays(&json).await?;
            println!("Imported {n} bank holidays from {}.", file.display());
            Ok(())
        }
        Command::Closure { command } => {
            let app = open_app(&config, false).await?;
            match command {
                ClosureCommand::Add { date, reason } => {
                    // The same rules and admin log as the settings page.
                    match app
                        .add_closure_day(&Principal::System, &date, &reason)
                        .await
                    {
                        Ok(date) => println!("{date} is now a closure day."),
                        Err(redress_app::AppError::Invalid(errors)) => {
                            // Each message under the option it is about.
                            let said: Vec<String> = errors
                                .iter()
                                .map(|(field, message)| {
                                    let option = if field == "day" { "date" } else { field };
                                    format!("--{option}: {message}")
                                })
                                .collect();
                            bail!("{}", said.join("; "))
                        }
                        Err(e) => return Err(e.into()),
                    }
                }
                ClosureCommand::List => {
                    for (date, reason) in app.closure_days(&Principal::System).await? {
                        println!("{date}  {reason}");
                    }
                }
            }
            Ok(())
        }
        Command::Import {
            command: ImportCommand::Cases { file },
        } => {
            let app = open_app(&config, false).await?;
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("reading {}", file.display()))?;
            let report = app
                .import_cases(&Principal::System, &text)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            for r in &report.rejected {
                eprintln!("row {}: {}: {}", r.row, r.field, r.message);
            }
            if !report.rejected.is_empty() {
                bail!(
                    "{} problems found; nothing was imported. Correct the file and run it again.",
                    report.rejected.len()
                );
            }
            println!(
                "Imported {} cases; {} were already imported.",
                report.imported, report.already_there
            );
            Ok(())
        }
        Command::Report { command } => {
            let app = open_app(&config, false).await?;
            let json = match command {
                ReportCommand::Measures {
                    from,
                    to,
                    service_area,
                    format,
                } => {
                    json_only(&format)?;
                    let period = redress_app::reports::parse_period(&from, &to)
                        .map_err(|e| anyhow::anyhow!("{e}"))?;
                    let m = app
                        .measures(&Principal::System, period, service_area.as_deref())
                        .await
                        .map_err(|e| anyhow::anyhow!("{e}"))?;
                    serde_json::to_string_pretty(&m)?
                }
                ReportCommand::Recount => {
                    let counted = app.recount_figures(&Principal::System).await?;
                    format!("Counted {counted} cases into the report totals.")
                }
                ReportCommand::Tsm { year, format } => {
                    json_only(&format)?;
                    let year = redress_app::reports::parse_year(&year)
                        .map_err(|e| anyhow::anyhow!("{e}"))?;
                    let t = app
                        .tsm(&Principal::System, year)
                        .await
                        .map_err(|e| anyhow::anyhow!("{e}"))?;
                    serde_json::to_string_pretty(&t)?
                }
            };
            println!("{json}");
            Ok(())
        }
        Command::Backup { out } => backup::backup(&config, &out).await,
        Command::Restore { file } => backup::restore(&config, &file).await,
        Command::Retention => {
            let app = open_app(&config, false).await?;
            let run = app.run_retention().await?;
            for reference in &run.erased {
                println!("{reference}");
            }
            println!(
                "Erased personal data from {} cases; {} skipped (changed while running).",
                run.erased.len(),
                run.skipped
            );
            Ok(())
        }
        Command::Case {
            command: CaseCommand::Bundle { reference, out },
        } => {
            let app = open_app(&config, false).await?;
            let evidence = app
                .evidence_bundle(&Principal::System, &reference)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let zip = redress_web::bundle_zip(&evidence, &app.display_name())
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            std::fs::write(&out, zip).with_context(|| format!("writing {}", out.display()))?;
            println!(
                "{}: {} letters and {} files written to {}",
                evidence.view.contact.reference,
                evidence.letters.len(),
                evidence.files.len(),
                out.display()
            );
            Ok(())
        }
        Command::Scheme { command } => scheme::run(&open_app(&config, false).await?, command).await,
        Command::SubjectAccess { email, phone } => {
            let app = open_app(&config, false).await?;
            let export = app
                .subject_access(&Principal::System, &email, &phone)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("{}", serde_json::to_string_pretty(&export)?);
            Ok(())
        }
        Command::Calendar {
            command:
                CalendarCommand::AddWorkingDays {
                    division,
                    from,
                    days,
                },
        } => {
            let calendar = calendar(&config, &division).await?;
            let from = parse_date(&from, "--from")?;
            println!("{}", calendar.add_working_days(from, days)?);
            Ok(())
        }
        Command::Deadlines {
            scheme,
            division,
            received,
            acknowledged,
            stage,
        } => {
            let calendar = calendar(&config, &division).await?;
            let scheme = Scheme::find_built_in(&scheme)
                .with_context(|| "schemes: hos-2024, lgsco-2024, spso, psow, three-step, children-social-care, adult-social-care")?;
            let received = parse_date(&received, "--received")?;
            let acknowledged = acknowledged
                .map(|a| parse_date(&a, "--acknowledged"))
                .transpose()?;
            let d = scheme.deadlines(&calendar, stage, received, acknowledged)?;
            println!("{}", serde_json::to_string(&d)?);
            Ok(())
        }
    }
}

fn parse_date(s: &str, flag: &str) -> Result<jiff::civil::Date> {
    s.trim()
        .parse()
        .with_context(|| format!("{flag} must be a date in the form YYYY-MM-DD"))
}

/// The built-in calendar, with any years imported into an existing database laid over it.
async fn calendar(config: &Config, division: &str) -> Result<WorkingCalendar> {
    let division = Division::parse(division).map_err(anyhow::Error::msg)?;
    let mut table = HolidayTable::built_in().clone();
    if config.database_exists()
        && let Ok(database) = Database::connect(&config.database_url).await
    {
        table = database.holidays().await?;
    }
    Ok(WorkingCalendar::new(
        division,
        Arc::new(table),
        Default::default(),
    ))
}

pub(crate) async fn open_app(config: &Config, demo: bool) -> Result<App> {
    let database = Database::connect(&config.database_url)
        .await
        .context("connecting to the database")?;
    let name = if demo && config.org_name.is_none() {
        "Demo Housing Association"
    } else {
        config.org_name.as_deref().unwrap_or("Your organisation")
    };
    let division = Division::parse(&config.division).map_err(anyhow::Error::msg)?;
    Ok(database.open(name, division, &config.scheme).await?)
}

async fn user(config: &Config, command: UserCommand) -> Result<()> {
    let app = open_app(config, false).await?;
    match command {
        UserCommand::Add { email, name, role } => {
            let role = Role::parse(&role).map_err(|_| {
                let roles: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
                anyhow::anyhow!("--role must be one of: {}", roles.join(", "))
            })?;
            let password = match std::env::var("REDRESS_NEW_PASSWORD") {
                Ok(p) => p,
                Err(_) => {
                    eprintln!(
                        "Password (at least {} characters), then Enter:",
                        redress_app::auth::MIN_PASSWORD
                    );
                    let mut line = String::new();
                    std::io::stdin().read_line(&mut line)?;
                    line.trim_end_matches(['\r', '\n']).to_string()
                }
            };
            match app
                .add_user(&Principal::System, &email, &name, role, &password)
                .await
            {
                Ok(u) => println!("Added {} ({}).", u.email, u.role.label()),
                Err(redress_app::AppError::Invalid(errors)) => bail!("{errors}"),
                Err(e) => return Err(e.into()),
            }
        }
        UserCommand::Token { email, label } => {
            let token = app
                .issue_api_token(&Principal::System, &email, &label)
                .await
                .with_context(|| format!("no user {email}"))?;
            println!("{token}");
            eprintln!(
                "It works for {} days; exchange it for a new one with POST /api/token/rotate.",
                redress_app::auth::API_TOKEN_LIFETIME.as_hours() / 24
            );
        }
    }
    Ok(())
}

fn json_only(format: &str) -> Result<()> {
    if format != "json" {
        bail!("--format must be json");
    }
    Ok(())
}
