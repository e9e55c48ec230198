//! `redress scheme`: the organisation's own schemes as JSON, with the same checks, versions
//! and settings log as the Schemes page.

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use redress_app::access::Principal;
use redress_app::{App, AppError};
use redress_domain::scheme::Scheme;
use std::io::Read;

#[derive(Subcommand)]
pub enum SchemeCommand {
    /// Save a scheme from a JSON file (or - for standard input), in the form `show` prints.
    /// A short name already in use gets a new version; cases already open keep theirs.
    Add { file: String },
    /// Every scheme: short name, kind and name.
    List,
    /// One scheme as JSON (the latest version of the organisation's own).
    Show { id: String },
}

pub async fn run(app: &App, command: SchemeCommand) -> Result<()> {
    let who = Principal::System;
    match command {
        SchemeCommand::Add { file } => {
            let json = if file == "-" {
                let mut s = String::new();
                std::io::stdin().read_to_string(&mut s)?;
                s
            } else {
                std::fs::read_to_string(&file).with_context(|| format!("reading {file}"))?
            };
            let scheme: Scheme = serde_json::from_str(&json)
                .map_err(|e| anyhow::anyhow!("{file} is not a scheme in JSON: {e}"))?;
            match app.save_scheme(&who, scheme, false).await {
                Ok(saved) => println!(
                    "Saved {} as {} (version {}).",
                    saved.name,
                    Scheme::base_id(&saved.id),
                    Scheme::version_of(&saved.id)
                ),
                Err(AppError::Invalid(errors)) => bail!("{errors}"),
                Err(e) => return Err(e.into()),
            }
        }
        SchemeCommand::List => {
            for e in app.schemes(&who).await? {
                let kind = if e.built_in {
                    "built-in".to_string()
                } else {
                    format!("version {}", e.versions)
                };
                println!("{}\t{kind}\t{}", e.scheme.id, e.scheme.name);
            }
        }
        SchemeCommand::Show { id } => {
            let entry = match app.scheme(&who, &id).await {
                Ok(e) => e,
                Err(AppError::NotFound) => bail!("there is no scheme '{id}'"),
                Err(e) => return Err(e.into()),
            };
            println!("{}", serde_json::to_string_pretty(&entry.scheme)?);
        }
    }
    Ok(())
}
