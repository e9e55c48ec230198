//! Staff single sign-on with the organisation's identity provider (OpenID Connect: the
//! authorisation code flow with PKCE).
//!
//! Starting a sign-in keeps its PKCE verifier and nonce in the database under the hash of
//! its state, so any instance can finish it and it is finished once. The state also goes in
//! a cookie, so an answer is taken only in the browser that asked. The ID token is checked
//! against the provider's published keys (issuer, audience, expiry, nonce) before anything in
//! it is believed; the member of staff is then found by a configured claim (their email by
//! default), and with a group mapping their role follows their groups at each sign-in.

use crate::access::Principal;
use crate::auth::{Signed, token_hash};
use crate::{App, AppError};
use base64::Engine;
use jiff::SignedDuration;
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce, PkceCodeChallenge,
    PkceCodeVerifier, RedirectUrl, Scope, TokenResponse,
};
use redress_domain::role::{Role, User};
use redress_store::AdminChange;

/// How long a member of staff has at their identity provider before the sign-in lapses.
const PENDING: SignedDuration = SignedDuration::from_mins(10);

/// Who may still sign in with a password once single sign-on is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Passwords {
    /// Everyone, as before (single sign-on offered beside it).
    Everyone,
    /// Administrators only: a way in when the identity provider is down.
    Administrators,
}

/// The identity provider and how its accounts meet Redress's.
#[derive(Debug, Clone)]
pub struct SsoSettings {
    /// The provider's issuer, e.g. `https://login.microsoftonline.com/TENANT/v2.0`.
    pub issuer: String,
    pub client_id: String,
    pub client_secret: Option<String>,
    /// The ID token claim matched to a user's email address (`email`, or `upn`,
    /// `preferred_username`).
    pub claim: String,
    /// The claim listing the person's groups.
    pub groups_claim: String,
    /// Scopes asked for beyond `openid email profile` (`groups` for some providers).
    pub scopes: Vec<String>,
    /// Group to role, first match first. Empty: roles are kept as administrators set them.
    pub roles: Vec<(String, Role)>,
    /// The button's words: "Sign in with …".
    pub provider_name: String,
    pub passwords: Passwords,
}

/// Single sign-on as configured, with its HTTP client.
#[derive(Debug, Clone)]
pub struct Sso {
    settings: SsoSettings,
    http: reqwest::Client,
}

impl Sso {
    pub fn new(settings: SsoSettings) -> Result<Sso, AppError> {
        IssuerUrl::new(settings.issuer.clone())
            .map_err(|e| AppError::Setup(format!("REDRESS_OIDC_ISSUER is not an address: {e}")))?;
        let http = reqwest::Client::builder()
            // A redirect from the provider's endpoints could lead the client anywhere.
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(15))
            .build()
            .map_err(|e| AppError::Setup(format!("the single sign-on client: {e}")))?;
        Ok(Sso { settings, http })
    }

    pub fn settings(&self) -> &SsoSettings {
        &self.settings
    }
}

/// A sign-in begun: where to send the browser, and the state to keep in its cookie.
#[derive(Debug, Clone)]
pub struct Started {
    pub url: String,
    pub state: String,
}

/// A refusal shown on the sign-in page.
fn refused(message: impl Into<String>) -> AppError {
    AppError::invalid("sso", message)
}

const AGAIN: &str = "Sign in again, or ask an administrator if this keeps happening";

impl App {
    /// Single sign-on, when configured.
    pub fn sso(&self) -> Option<&Sso> {
        self.sso.as_deref()
    }

    pub fn with_sso(mut self, sso: Sso) -> App {
        self.sso = Some(std::sync::Arc::new(sso));
        self
    }

    /// Whether this member of staff may sign in with a password.
    pub(crate) fn password_allowed(&self, user: &User) -> bool {
        match self.sso() {
            Some(sso) if sso.settings.passwords == Passwords::Administrators => {
                user.role == Role::Admin
            }
            _ => true,
        }
    }

    fn redirect_url(&self) -> Result<RedirectUrl, AppError> {
        RedirectUrl::new(format!("{}/staff/sso/callback", self.public_url()))
            .map_err(|e| AppError::Setup(format!("REDRESS_PUBLIC_URL: {e}")))
    }

    async fn provider(&self, sso: &Sso) -> Result<CoreProviderMetadata, AppError> {
        let issuer = IssuerUrl::new(sso.settings.issuer.clone())
            .map_err(|e| AppError::Setup(e.to_string()))?;
        CoreProviderMetadata::discover_async(issuer, &sso.http)
            .await
            .map_err(|e| {
                tracing::error!(error = %e, "the identity provider could not be reached");
                refused(format!(
                    "{} could not be reached just now. Try again in a few minutes",
                    sso.settings.provider_name
                ))
            })
    }

    /// Begins a sign-in at the identity provider.
    pub async fn sso_start(&self) -> Result<Started, AppError> {
        let sso = self.sso().ok_or(AppError::NotFound)?;
        let metadata = self.provider(sso).await?;
        let client = CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(sso.settings.client_id.clone()),
            sso.settings.client_secret.clone().map(ClientSecret::new),
        )
        .set_redirect_uri(self.redirect_url()?);
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .add_scope(Scope::new("email".into()))
            .add_scope(Scope::new("profile".into()))
            .set_pkce_challenge(challenge);
        // Some providers send groups only when asked for a scope of their own; Entra ID sends
        // them without one and refuses an unknown scope, so extra scopes are the operator's.
        for scope in &sso.settings.scopes {
            request = request.add_scope(Scope::new(scope.clone()));
        }
        let (url, state, nonce) = request.url();
        let now = self.now();
        let expires = now
            .checked_add(PENDING)
            .map_err(|e| AppError::Internal(e.to_string()))?;
        self.store
            .begin_sign_on(
                &token_hash(state.secret()),
                verifier.secret(),
                nonce.secret(),
                now,
                expires,
            )
            .await?;
        Ok(Started {
            url: url.to_string(),
            state: state.secret().clone(),
        })
    }

    /// Finishes a sign-in with what the provider sent back (`code` and `state`, or its
    /// `error`) and the state kept in this browser's cookie; opens a session.
    pub async fn sso_finish(
        &self,
        answer: &std::collections::BTreeMap<String, String>,
        cookie_state: Option<&str>,
    ) -> Result<(String, Signed), AppError> {
        let sso = self.sso().ok_or(AppError::NotFound)?;
        let name = &sso.settings.provider_name;
        if let Some(error) = answer.get("error") {
            let error: String = error
                .chars()
                .filter(|c| c.is_ascii_graphic())
                .take(60)
                .collect();
            return Err(refused(format!(
                "{name} did not sign you in ({error}). {AGAIN}"
            )));
        }
        let state = answer.get("state").map(String::as_str).unwrap_or_default();
        let lapsed = refused(format!(
            "This sign-in could not be finished: it was used already, took longer than 10 minutes, or began in another browser. {AGAIN}"
        ));
        if state.is_empty() || cookie_state != Some(state) {
            return Err(lapsed);
        }
        let Some((verifier, nonce)) = self
            .store
            .take_sign_on(&token_hash(state), self.now())
            .await?
        else {
            return Err(lapsed);
        };
        let code = answer.get("code").cloned().unwrap_or_default();
        let metadata = self.provider(sso).await?;
        let client = CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(sso.settings.client_id.clone()),
            sso.settings.client_secret.clone().map(ClientSecret::new),
        )
        .set_redirect_uri(self.redirect_url()?);
        let not_confirmed = |why: &dyn std::fmt::Display| {
            tracing::warn!(error = %why, "single sign-on refused");
            refused(format!("{name} did not confirm who you are. {AGAIN}"))
        };
        let tokens = client
            .exchange_code(AuthorizationCode::new(code))
            .map_err(|e| not_confirmed(&e))?
            .set_pkce_verifier(PkceCodeVerifier::new(verifier))
            .request_async(&sso.http)
            .await
            .map_err(|e| not_confirmed(&e))?;
        let id_token = tokens
            .id_token()
            .ok_or_else(|| not_confirmed(&"no ID token"))?;
        // Checks the signature, issuer, audience, expiry and nonce.
        id_token
            .claims(&client.id_token_verifier(), &Nonce::new(nonce))
            .map_err(|e| not_confirmed(&e))?;
        // Verified above: the token's own claims, read for those the library does not
        // model (groups, a configured claim).
        let claims = raw_claims(&id_token.to_string()).ok_or_else(|| not_confirmed(&"claims"))?;
        let user = self.staff_for(sso, &claims).await?;
        self.open_session(user).await
    }

    /// The member of staff the verified claims name, with their role from their groups
    /// when a mapping is set.
    async fn staff_for(&self, sso: &Sso, claims: &serde_json::Value) -> Result<User, AppError> {
        let settings = &sso.settings;
        let name = &settings.provider_name;
        // Some providers send the flag as a string.
        let unverified = matches!(&claims["email_verified"], serde_json::Value::Bool(false))
            || claims["email_verified"].as_str() == Some("false");
        if settings.claim == "email" && unverified {
            return Err(refused(format!(
                "{name} has not confirmed your email address, so it cannot be matched to a Redress account. {AGAIN}"
            )));
        }
        let Some(email) = claims[settings.claim.as_str()].as_str().map(str::trim) else {
            return Err(refused(format!(
                "{name} did not say which account you are (its \"{}\" was missing). {AGAIN}",
                settings.claim
            )));
        };
        let found = self.store.user_by_email(email).await?;
        let Some((user, _)) = found.filter(|(u, _)| u.active) else {
            return Err(refused(format!(
                "There is no Redress account for {email}. Ask an administrator to add you"
            )));
        };
        if settings.roles.is_empty() {
            return Ok(user);
        }
        let groups: Vec<&str> = match &claims[settings.groups_claim.as_str()] {
            serde_json::Value::Array(list) => list.iter().filter_map(|g| g.as_str()).collect(),
            serde_json::Value::String(one) => vec![one.as_str()],
            _ => Vec::new(),
        };
        let Some(role) = settings
            .roles
            .iter()
            .find(|(group, _)| groups.contains(&group.as_str()))
            .map(|(_, role)| *role)
        else {
            return Err(refused(format!(
                "Your {name} account is not in a group that may use Redress. Ask an administrator"
            )));
        };
        if role == user.role {
            return Ok(user);
        }
        self.change(
            &Principal::System,
            &[AdminChange::User {
                id: &user.id,
                role,
                active: true,
            }],
            &format!(
                "{} became {} from their groups at {name}",
                user.name,
                role.label()
            ),
        )
        .await?;
        Ok(User { role, ..user })
    }
}

/// The claims of a compact JWT, as JSON.
fn raw_claims(jwt: &str) -> Option<serde_json::Value> {
    let payload = jwt.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    serde_json::from_slice(&bytes).ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn claims_are_read_from_the_token_s_middle_part() {
        // {"email":"a@b.org","groups":["x"]}
        let jwt = "e30.eyJlbWFpbCI6ImFAYi5vcmciLCJncm91cHMiOlsieCJdfQ.c2ln";
        let claims = super::raw_claims(jwt);
        assert_eq!(
            claims.map(|c| c["groups"][0].clone()),
            Some(serde_json::json!("x"))
        );
        assert_eq!(super::raw_claims("not a token"), None);
    }
}
