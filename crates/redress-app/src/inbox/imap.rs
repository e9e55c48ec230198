//! Reading the mailbox over IMAP. Every instance may poll the same mailbox: each unseen
//! message is fetched without marking it, taken (which is safe to repeat), and only then
//! marked seen. A message whose taking failed stays unseen and is tried next round, so a
//! crash or a database outage loses nothing.

use super::Taken;
use super::oauth::{OAuthSettings, XOAuth2};
use crate::{App, AppError};
use futures_util::StreamExt;
use std::sync::Arc;
use tokio::io::{AsyncRead, AsyncWrite};

/// How to reach the mailbox: `REDRESS_IMAP_URL` and, for OAuth, `REDRESS_IMAP_OAUTH_*`.
#[derive(Clone)]
pub struct Mailbox {
    tls: bool,
    host: String,
    port: u16,
    user: String,
    password: Option<String>,
    folder: String,
    oauth: Option<OAuthSettings>,
    http: reqwest::Client,
}

impl std::fmt::Debug for Mailbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailbox")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("user", &self.user)
            .field("folder", &self.folder)
            .finish()
    }
}

/// What one round of the mailbox did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Round {
    pub new: usize,
    pub threaded: usize,
    pub again: usize,
    /// Being taken by another instance: left unseen for a later round to finish if need be.
    pub busy: usize,
    pub ignored: usize,
    pub left: usize,
    /// Could not be taken this time (the database was down, say): left unseen, tried again
    /// next round, without holding up the messages behind it.
    pub failed: usize,
}

impl Round {
    pub fn taken(&self) -> usize {
        self.new + self.threaded + self.again + self.busy + self.ignored + self.left
    }
}

trait Connection: AsyncRead + AsyncWrite + Unpin + Send + std::fmt::Debug {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send + std::fmt::Debug> Connection for T {}

fn setup(message: impl std::fmt::Display) -> AppError {
    AppError::Setup(format!("REDRESS_IMAP_URL: {message}"))
}

fn decoded(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .to_string()
}

impl Mailbox {
    /// `imaps://user:password@host[:993]/FOLDER` (TLS) or `imap://…` (unencrypted, for a
    /// server on the same machine). The folder defaults to INBOX. With OAuth the password
    /// is left out.
    pub fn new(url: &str, oauth: Option<OAuthSettings>) -> Result<Mailbox, AppError> {
        let parsed = reqwest::Url::parse(url).map_err(setup)?;
        let tls = match parsed.scheme() {
            "imaps" => true,
            "imap" => false,
            other => return Err(setup(format!("{other}:// is not imaps:// or imap://"))),
        };
        let host = parsed
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or_else(|| setup("there is no server name"))?
            .trim_matches(['[', ']'])
            .to_string();
        let user = decoded(parsed.username());
        if user.is_empty() {
            return Err(setup("there is no user name"));
        }
        let password = parsed.password().map(decoded);
        if password.is_none() && oauth.is_none() {
            return Err(setup(
                "there is no password, and REDRESS_IMAP_OAUTH_TOKEN_URL is not set",
            ));
        }
        let folder = decoded(parsed.path().trim_start_matches('/'));
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(20))
            .build()
            .map_err(|e| AppError::Setup(e.to_string()))?;
        Ok(Mailbox {
            tls,
            port: parsed.port().unwrap_or(if tls { 993 } else { 143 }),
            host,
            user,
            password,
            folder: if folder.is_empty() {
                "INBOX".into()
            } else {
                folder
            },
            oauth,
            http,
        })
    }

    async fn connect(&self) -> Result<Box<dyn Connection>, AppError> {
        let tcp = tokio::time::timeout(
            std::time::Duration::from_secs(20),
            tokio::net::TcpStream::connect((self.host.as_str(), self.port)),
        )
        .await
        .map_err(|_| imap_error("connecting timed out"))?
        .map_err(imap_error)?;
        if !self.tls {
            return Ok(Box::new(tcp));
        }
        let roots = tokio_rustls::rustls::RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        };
        let config = tokio_rustls::rustls::ClientConfig::builder_with_provider(Arc::new(
            tokio_rustls::rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .map_err(imap_error)?
        .with_root_certificates(roots)
        .with_no_client_auth();
        let name = tokio_rustls::rustls::pki_types::ServerName::try_from(self.host.clone())
            .map_err(imap_error)?;
        let stream = tokio::time::timeout(
            std::time::Duration::from_secs(20),
            tokio_rustls::TlsConnector::from(Arc::new(config)).connect(name, tcp),
        )
        .await
        .map_err(|_| imap_error("the TLS handshake timed out"))?
        .map_err(imap_error)?;
        Ok(Box::new(stream))
    }
}

fn imap_error(e: impl std::fmt::Display) -> AppError {
    AppError::Internal(format!("the mailbox: {e}"))
}

/// The longest a round may take: a server that stops answering part-way must not stop the
/// mailbox being read for good.
pub const ROUND_LIMIT: std::time::Duration = std::time::Duration::from_secs(600);

/// The raw message of one UID, or `None` if it has gone since the search.
async fn fetch<T: Connection + 'static>(
    session: &mut async_imap::Session<T>,
    uid: u32,
) -> Result<Option<Vec<u8>>, AppError> {
    let mut fetched = session
        .uid_fetch(uid.to_string(), "BODY.PEEK[]")
        .await
        .map_err(imap_error)?;
    let mut body = None;
    while let Some(f) = fetched.next().await {
        let f = f.map_err(imap_error)?;
        if let Some(b) = f.body() {
            body = Some(b.to_vec());
        }
    }
    Ok(body)
}

async fn mark_seen<T: Connection + 'static>(
    session: &mut async_imap::Session<T>,
    uid: u32,
) -> Result<(), AppError> {
    let mut stored = session
        .uid_store(uid.to_string(), "+FLAGS (\\Seen)")
        .await
        .map_err(imap_error)?;
    while let Some(r) = stored.next().await {
        r.map_err(imap_error)?;
    }
    Ok(())
}

impl App {
    /// One round: signs in, takes every unseen message in the folder, marks each seen once
    /// it is safely taken, and signs out; given up after `ROUND_LIMIT`.
    pub async fn read_mailbox(&self, mailbox: &Mailbox) -> Result<Round, AppError> {
        tokio::time::timeout(ROUND_LIMIT, self.mailbox_round(mailbox))
            .await
            .map_err(|_| imap_error("a round took longer than ten minutes and was stopped"))?
    }

    async fn mailbox_round(&self, mailbox: &Mailbox) -> Result<Round, AppError> {
        let stream = mailbox.connect().await?;
        let mut client = async_imap::Client::new(stream);
        // The server's greeting comes first.
        client
            .read_response()
            .await
            .map_err(imap_error)?
            .ok_or_else(|| imap_error("the server closed the connection"))?;
        let mut session = match &mailbox.oauth {
            Some(oauth) => {
                let auth = XOAuth2 {
                    user: mailbox.user.clone(),
                    token: oauth.access_token(&mailbox.http).await?,
                };
                client
                    .authenticate("XOAUTH2", &auth)
                    .await
                    .map_err(|(e, _)| imap_error(format!("signing in with OAuth: {e}")))?
            }
            None => client
                .login(&mailbox.user, mailbox.password.as_deref().unwrap_or(""))
                .await
                .map_err(|(e, _)| imap_error(format!("signing in: {e}")))?,
        };
        session.select(&mailbox.folder).await.map_err(imap_error)?;
        let mut uids: Vec<u32> = session
            .uid_search("UNSEEN")
            .await
            .map_err(imap_error)?
            .into_iter()
            .collect();
        uids.sort_unstable();
        let mut round = Round::default();
        // One message that fails is counted and left unseen; those behind it still go.
        for uid in uids {
            let raw = match fetch(&mut session, uid).await {
                Ok(Some(raw)) => raw,
                // Gone since the search (moved by a person): nothing to take.
                Ok(None) => continue,
                Err(e) => {
                    tracing::error!(uid, error = %e, "an email could not be fetched; it stays unseen");
                    round.failed += 1;
                    continue;
                }
            };
            let taken = match self.take_email(&raw).await {
                Ok(taken) => taken,
                Err(e) => {
                    tracing::error!(uid, error = %e, "an email could not be taken; it stays unseen");
                    round.failed += 1;
                    continue;
                }
            };
            tracing::info!(uid, outcome = %taken.describe(), "email from the mailbox");
            match taken {
                Taken::New(_) => round.new += 1,
                Taken::Threaded(_) => round.threaded += 1,
                Taken::Again(_) => round.again += 1,
                Taken::Busy(_) => {
                    round.busy += 1;
                    continue;
                }
                Taken::Ignored(_) => round.ignored += 1,
                Taken::Left(why) => {
                    tracing::warn!(uid, %why, "an email was left in the mailbox for a person");
                    round.left += 1;
                }
            }
            // Taking is safe to repeat, so a message not marked is only taken again.
            if let Err(e) = mark_seen(&mut session, uid).await {
                tracing::warn!(uid, error = %e, "an email was taken but not marked seen");
            }
        }
        if let Err(e) = session.logout().await {
            tracing::warn!(error = %e, "signing out of the mailbox failed");
        }
        Ok(round)
    }
}
