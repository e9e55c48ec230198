//! OAuth 2.0 sign-in to a mailbox (SASL XOAUTH2), as Microsoft 365 and Google ask of
//! programs reading mail: an access token from the provider's token endpoint, by a
//! refresh token (Google, or a delegated Microsoft app) or as the app itself with client
//! credentials (Microsoft 365 with an application permission on the mailbox).

use crate::AppError;
use serde::Deserialize;

/// Where and how to get an access token.
#[derive(Clone)]
pub struct OAuthSettings {
    pub token_url: String,
    pub client_id: String,
    pub client_secret: Option<String>,
    /// With one, the refresh-token grant; without, client credentials.
    pub refresh_token: Option<String>,
    /// For client credentials, e.g. `https://outlook.office365.com/.default`.
    pub scope: Option<String>,
}

impl std::fmt::Debug for OAuthSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The secret and refresh token never reach a log.
        f.debug_struct("OAuthSettings")
            .field("token_url", &self.token_url)
            .field("client_id", &self.client_id)
            .finish()
    }
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: String,
}

impl OAuthSettings {
    /// A fresh access token. Each poll asks for one: tokens last about an hour, and a
    /// round of mail takes seconds.
    pub async fn access_token(&self, client: &reqwest::Client) -> Result<String, AppError> {
        let mut form: Vec<(&str, &str)> = vec![("client_id", &self.client_id)];
        if let Some(secret) = &self.client_secret {
            form.push(("client_secret", secret));
        }
        match &self.refresh_token {
            Some(token) => {
                form.push(("grant_type", "refresh_token"));
                form.push(("refresh_token", token));
            }
            None => form.push(("grant_type", "client_credentials")),
        }
        if let Some(scope) = &self.scope {
            form.push(("scope", scope));
        }
        let body = form
            .iter()
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let answer = client
            .post(&self.token_url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .map_err(|e| AppError::Internal(format!("the mailbox token endpoint: {e}")))?;
        let status = answer.status();
        if !status.is_success() {
            return Err(AppError::Internal(format!(
                "the mailbox token endpoint refused: {status}"
            )));
        }
        let bytes = answer
            .bytes()
            .await
            .map_err(|e| AppError::Internal(format!("the mailbox token endpoint: {e}")))?;
        let token: TokenAnswer = serde_json::from_slice(&bytes)
            .map_err(|e| AppError::Internal(format!("the mailbox token endpoint's answer: {e}")))?;
        Ok(token.access_token)
    }
}

/// Form encoding: everything but letters, digits and `-._~` escaped.
const FORM: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

fn encode(v: &str) -> String {
    percent_encoding::utf8_percent_encode(v, FORM).to_string()
}

/// The SASL XOAUTH2 message: who, and the token.
pub struct XOAuth2 {
    pub user: String,
    pub token: String,
}

impl async_imap::Authenticator for &XOAuth2 {
    type Response = String;

    /// The first challenge is empty; a second carries the server's refusal, which the
    /// protocol answers with an empty line so the server can say NO.
    fn process(&mut self, challenge: &[u8]) -> String {
        if challenge.is_empty() {
            format!("user={}\x01auth=Bearer {}\x01\x01", self.user, self.token)
        } else {
            String::new()
        }
    }
}
