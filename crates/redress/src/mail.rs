//! `redress mail`: taking email in by hand, through the same path as the mailbox.

use crate::config::Config;
use crate::open_app;
use anyhow::{Context, Result};
use clap::Subcommand;
use std::io::Read;

#[derive(Subcommand)]
pub enum MailCommand {
    /// Take one message (an .eml file, or - for standard input) as if it had arrived in
    /// the mailbox: a new contact with a receipt, added to the case it answers, or ignored
    /// when a machine sent it. Safe to repeat: a message is taken once.
    Import { file: String },
    /// Read the mailbox (REDRESS_IMAP_URL) once, as `serve` does every
    /// REDRESS_IMAP_POLL_SECONDS, and say what became of each message.
    Poll,
}

pub async fn mail(config: &Config, command: MailCommand) -> Result<()> {
    let app = open_app(config, false)
        .await?
        .with_mail_from(&config.mail_from);
    let app = match &config.public_url {
        Some(url) => app.with_public_url(url),
        None => app,
    };
    match command {
        MailCommand::Import { file } => {
            let mut raw = Vec::new();
            if file == "-" {
                std::io::stdin()
                    .read_to_end(&mut raw)
                    .context("reading the message from standard input")?;
            } else {
                raw = std::fs::read(&file).with_context(|| format!("reading {file}"))?;
            }
            let taken = app.take_email(&raw).await?;
            println!("{}", taken.describe());
            Ok(())
        }
        MailCommand::Poll => {
            let mailbox = config
                .mailbox()?
                .context("REDRESS_IMAP_URL is not set: there is no mailbox to read")?;
            let round = app.read_mailbox(&mailbox).await?;
            println!(
                "{} messages: {} new, {} added to cases, {} taken before, {} ignored, {} left for a person, {} to try again",
                round.taken() + round.failed,
                round.new,
                round.threaded,
                round.again,
                round.ignored,
                round.left,
                round.failed
            );
            Ok(())
        }
    }
}
