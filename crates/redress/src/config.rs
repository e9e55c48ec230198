//! Settings from (highest first) the command line, REDRESS_* environment variables, a
//! KEY=VALUE file, and defaults. Secrets are never printed.

use anyhow::{Context, Result};
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    pub addr: String,
    pub org_name: Option<String>,
    pub division: String,
    pub scheme: String,
    pub secure_cookies: bool,
    /// A reverse proxy in front sets `X-Forwarded-For`: throttle by the address it reports.
    pub trusted_proxy: bool,
    /// Requests a minute one client may make to the API.
    pub api_requests_per_minute: u32,
    /// Where email goes; without it letters wait in the outbox.
    pub smtp_url: Option<String>,
    pub mail_from: String,
    /// Working days before a deadline that staff are reminded.
    pub reminder_days: u32,
    /// The address residents use, for links in emails (default: http:// and the listen address).
    pub public_url: Option<String>,
    /// One JSON object per log line, for a log collector, rather than plain text.
    pub log_json: bool,
    /// The bearer token `/metrics` asks for; without one, `/metrics` is not served.
    pub metrics_token: Option<String>,
    /// Webhook deliveries failing in a row before their endpoint is paused.
    pub webhook_pause_after: i64,
    /// Webhooks may go to addresses on private networks (a housing system inside the
    /// organisation's network).
    pub webhook_private_networks: bool,
    /// Staff single sign-on, when `REDRESS_OIDC_ISSUER` is set.
    pub sso: Option<redress_app::sso::SsoSettings>,
    /// The mailbox residents write to, read every `imap_poll_seconds`.
    pub imap_url: Option<String>,
    pub imap_poll_seconds: u64,
    /// OAuth sign-in to the mailbox instead of a password.
    pub imap_oauth: Option<redress_app::inbox::oauth::OAuthSettings>,
}

impl Config {
    pub fn load(file: Option<&Path>) -> Result<Config> {
        let mut values = BTreeMap::new();
        if let Some(path) = file {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading {}", path.display()))?;
            for (n, line) in text.lines().enumerate() {
                let line = line.trim();
                if line.is_empty() || line.starts_with('#') {
                    continue;
                }
                let (k, v) = line.split_once('=').with_context(|| {
                    format!("{} line {}: expected KEY=VALUE", path.display(), n + 1)
                })?;
                values.insert(k.trim().to_string(), v.trim().trim_matches('"').to_string());
            }
        }
        for (k, v) in std::env::vars() {
            if k.starts_with("REDRESS_") {
                values.insert(k, v);
            }
        }
        let get = |k: &str| values.get(k).cloned().filter(|v| !v.is_empty());
        Ok(Config {
            database_url: get("REDRESS_DATABASE_URL")
                .unwrap_or_else(|| "sqlite://redress.db".into()),
            addr: get("REDRESS_ADDR").unwrap_or_else(|| "127.0.0.1:8080".into()),
            org_name: get("REDRESS_ORG_NAME"),
            division: get("REDRESS_DIVISION").unwrap_or_else(|| "england-and-wales".into()),
            scheme: get("REDRESS_SCHEME").unwrap_or_else(|| "hos-2024".into()),
            smtp_url: get("REDRESS_SMTP_URL"),
            reminder_days: match get("REDRESS_REMINDER_DAYS") {
                Some(v) => v.parse().with_context(
                    || "REDRESS_REMINDER_DAYS must be a whole number of working days",
                )?,
                None => redress_app::reminders::DEFAULT_DAYS_BEFORE,
            },
            mail_from: get("REDRESS_MAIL_FROM")
                .unwrap_or_else(|| "Complaints <complaints@localhost>".into()),
            public_url: get("REDRESS_PUBLIC_URL"),
            metrics_token: match get("REDRESS_METRICS_TOKEN") {
                Some(t) if t.len() < 16 => anyhow::bail!(
                    "REDRESS_METRICS_TOKEN must be at least 16 characters: it guards /metrics"
                ),
                t => t,
            },
            webhook_pause_after: match get("REDRESS_WEBHOOK_PAUSE_AFTER") {
                Some(v) => {
                    v.parse().ok().filter(|n| (1..=1000).contains(n)).context(
                        "REDRESS_WEBHOOK_PAUSE_AFTER must be a whole number from 1 to 1000",
                    )?
                }
                None => 10,
            },
            webhook_private_networks: match get("REDRESS_WEBHOOK_PRIVATE_NETWORKS").as_deref() {
                None | Some("deny") => false,
                Some("allow") => true,
                Some(_) => anyhow::bail!("REDRESS_WEBHOOK_PRIVATE_NETWORKS must be allow or deny"),
            },
            sso: sso_settings(&get)?,
            imap_url: get("REDRESS_IMAP_URL"),
            imap_poll_seconds: match get("REDRESS_IMAP_POLL_SECONDS") {
                Some(v) => {
                    v.parse().ok().filter(|n| (5..=3600).contains(n)).context(
                        "REDRESS_IMAP_POLL_SECONDS must be a whole number from 5 to 3600",
                    )?
                }
                None => 30,
            },
            imap_oauth: match get("REDRESS_IMAP_OAUTH_TOKEN_URL") {
                None => None,
                Some(token_url) => Some(redress_app::inbox::oauth::OAuthSettings {
                    token_url,
                    client_id: get("REDRESS_IMAP_OAUTH_CLIENT_ID").context(
                        "REDRESS_IMAP_OAUTH_CLIENT_ID is needed with REDRESS_IMAP_OAUTH_TOKEN_URL",
                    )?,
                    client_secret: get("REDRESS_IMAP_OAUTH_CLIENT_SECRET"),
                    refresh_token: get("REDRESS_IMAP_OAUTH_REFRESH_TOKEN"),
                    scope: get("REDRESS_IMAP_OAUTH_SCOPE"),
                }),
            },
            log_json: match get("REDRESS_LOG_FORMAT").as_deref() {
                None | Some("text") => false,
                Some("json") => true,
                Some(_) => anyhow::bail!("REDRESS_LOG_FORMAT must be text or json"),
            },
            secure_cookies: get("REDRESS_SECURE_COOKIES")
                .is_some_and(|v| matches!(v.as_str(), "1" | "true" | "yes")),
            trusted_proxy: get("REDRESS_TRUSTED_PROXY")
                .is_some_and(|v| matches!(v.as_str(), "1" | "true" | "yes")),
            api_requests_per_minute: match get("REDRESS_API_REQUESTS_PER_MINUTE") {
                Some(v) => {
                    v.parse().ok().filter(|n| *n >= 1).context(
                        "REDRESS_API_REQUESTS_PER_MINUTE must be a whole number, 1 or more",
                    )?
                }
                None => redress_web::throttle::API_PER_MINUTE,
            },
        })
    }

    /// The mailbox to read, when one is set.
    pub fn mailbox(&self) -> Result<Option<redress_app::inbox::imap::Mailbox>> {
        self.imap_url
            .as_deref()
            .map(|url| {
                redress_app::inbox::imap::Mailbox::new(url, self.imap_oauth.clone())
                    .map_err(|e| anyhow::anyhow!("{e}"))
            })
            .transpose()
    }

    /// Whether the configured database is already there (so read-only commands do not
    /// create an empty SQLite file as a side effect).
    pub fn database_exists(&self) -> bool {
        match self.database_url.strip_prefix("sqlite://") {
            Some(path) => Path::new(path.split('?').next().unwrap_or(path)).exists(),
            None => true,
        }
    }
}

/// Single sign-on from `REDRESS_OIDC_*` and `REDRESS_PASSWORD_SIGN_IN`.
fn sso_settings(
    get: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<redress_app::sso::SsoSettings>> {
    use redress_app::sso::{Passwords, SsoSettings};
    let passwords = match get("REDRESS_PASSWORD_SIGN_IN").as_deref() {
        None | Some("everyone") => Passwords::Everyone,
        Some("administrators") => Passwords::Administrators,
        Some(_) => anyhow::bail!("REDRESS_PASSWORD_SIGN_IN must be everyone or administrators"),
    };
    let Some(issuer) = get("REDRESS_OIDC_ISSUER") else {
        if passwords != Passwords::Everyone {
            anyhow::bail!(
                "REDRESS_PASSWORD_SIGN_IN=administrators needs single sign-on: set REDRESS_OIDC_ISSUER"
            );
        }
        return Ok(None);
    };
    let client_id = get("REDRESS_OIDC_CLIENT_ID")
        .context("REDRESS_OIDC_CLIENT_ID must be set with REDRESS_OIDC_ISSUER")?;
    let mut roles = Vec::new();
    for pair in get("REDRESS_OIDC_ROLES").unwrap_or_default().split(',') {
        let pair = pair.trim();
        if pair.is_empty() {
            continue;
        }
        let (group, role) = pair
            .rsplit_once('=')
            .with_context(|| format!("REDRESS_OIDC_ROLES: \"{pair}\" should be GROUP=ROLE"))?;
        let role = redress_domain::role::Role::parse(role).map_err(|_| {
            let known: Vec<&str> = redress_domain::role::Role::ALL
                .iter()
                .map(|r| r.as_str())
                .collect();
            anyhow::anyhow!(
                "REDRESS_OIDC_ROLES: \"{role}\" is not a role; roles are {}",
                known.join(", ")
            )
        })?;
        roles.push((group.trim().to_string(), role));
    }
    Ok(Some(SsoSettings {
        issuer,
        client_id,
        client_secret: get("REDRESS_OIDC_CLIENT_SECRET"),
        claim: get("REDRESS_OIDC_CLAIM").unwrap_or_else(|| "email".into()),
        groups_claim: get("REDRESS_OIDC_GROUPS_CLAIM").unwrap_or_else(|| "groups".into()),
        scopes: get("REDRESS_OIDC_SCOPES")
            .unwrap_or_default()
            .split([' ', ','])
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
        roles,
        provider_name: get("REDRESS_OIDC_NAME")
            .unwrap_or_else(|| "your organisation's account".into()),
        passwords,
    }))
}
