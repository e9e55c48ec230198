//! Staff sign-in: argon2 password hashes, database-backed sessions, API tokens.

use crate::{App, AppError};
use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use blake2::{Blake2s256, Digest};
use jiff::{SignedDuration, Timestamp};
use redress_domain::FieldErrors;
use redress_domain::field::parse_email;
use redress_domain::role::{Role, User};

pub const SESSION_HOURS: i64 = 10;
pub const MIN_PASSWORD: usize = 12;
/// Wrong passwords in a row before an account is locked, and for how long.
pub const MAX_FAILURES: usize = 5;
pub const LOCKOUT: SignedDuration = SignedDuration::from_mins(15);

/// A fresh random token, hex encoded: 256 bits from the operating system.
pub fn random_token() -> Result<String, AppError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(hex(&bytes))
}

/// What a short code is made of: no 0 or O, no 1, I or L, so a code read from paper or
/// aloud over the phone is not mistaken for another.
const CODE_LETTERS: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
/// Eight characters from 31: about 850 thousand million codes.
pub const CODE_LENGTH: usize = 8;

/// A random short code, for letters a resident types from paper.
pub fn short_code() -> Result<String, AppError> {
    let mut code = String::with_capacity(CODE_LENGTH);
    while code.len() < CODE_LENGTH {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(e.to_string()))?;
        // Only bytes below a multiple of 31, so every character is as likely.
        let usable = (256 / CODE_LETTERS.len() * CODE_LETTERS.len()) as u8;
        for b in bytes.into_iter().filter(|b| *b < usable) {
            if code.len() < CODE_LENGTH {
                code.push(char::from(
                    CODE_LETTERS[usize::from(b) % CODE_LETTERS.len()],
                ));
            }
        }
    }
    Ok(code)
}

/// A key as typed: a short code is read without spaces, dashes or case ("abcd-efgh" is
/// "ABCDEFGH"); a long token is taken as it is.
pub fn typed_key(raw: &str) -> String {
    let kept: String = raw.chars().filter(char::is_ascii_alphanumeric).collect();
    if kept.len() <= CODE_LENGTH + 4 {
        kept.to_ascii_uppercase()
    } else {
        kept
    }
}

/// A short code as printed: two groups of four.
pub fn spaced(code: &str) -> String {
    let (a, b) = code.split_at(code.len().min(4));
    format!("{a} {b}")
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Tokens are stored hashed, so a copy of the database does not let anyone sign in.
pub fn token_hash(token: &str) -> String {
    hex(&Blake2s256::digest(token.as_bytes()))
}

/// Passwords seen in every list of the most used, or made of one idea repeated: refused
/// whatever their length.
const COMMON: &[&str] = &[
    "password",
    "passw0rd",
    "qwerty",
    "letmein",
    "welcome",
    "iloveyou",
    "admin",
    "monkey",
    "dragon",
    "football",
    "baseball",
    "sunshine",
    "princess",
    "abc123",
    "123456",
    "654321",
    "111111",
    "000000",
    "trustno1",
    "changeme",
    "secret",
    "login",
    "master",
    "complaints",
];

/// Why a password would be easy to guess, if it would: too short, blank, one character
/// over and over, a common password with digits added, or the person's own name or email.
pub fn weak_password(password: &str, email: &str, name: &str) -> Option<String> {
    if password.trim().chars().count() < MIN_PASSWORD {
        return Some(format!(
            "The password must be at least {MIN_PASSWORD} characters, not counting spaces at either end"
        ));
    }
    let lower = password.to_lowercase();
    let letters: String = lower.chars().filter(|c| c.is_alphanumeric()).collect();
    let distinct: std::collections::BTreeSet<char> = letters.chars().collect();
    let stem: String = letters
        .trim_end_matches(|c: char| c.is_ascii_digit())
        .to_string();
    let own = [email.split('@').next().unwrap_or_default(), name]
        .into_iter()
        .flat_map(|s| s.split(|c: char| !c.is_alphanumeric()))
        .map(str::to_lowercase)
        .filter(|w| w.chars().count() >= 4)
        .any(|w| lower.contains(&w));
    if distinct.len() < 4
        || COMMON
            .iter()
            .any(|c| stem == *c || letters.starts_with(c) && letters.len() <= c.len() + 6)
        || own
    {
        return Some(
            "Choose a password that is harder to guess: not a common password, not your name or email, and not one character repeated. Three or four random words work well"
                .into(),
        );
    }
    None
}

async fn hash_password(password: String) -> Result<String, AppError> {
    // Hashing takes tens of milliseconds of CPU: keep it off the async workers.
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| AppError::Internal(e.to_string()))
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?
}

async fn verify_password(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .verify_password(password.as_bytes(), hash.as_str())
            .is_ok()
    })
    .await
    .unwrap_or(false)
}

/// A signed-in member of staff.
#[derive(Debug, Clone)]
pub struct Signed {
    pub user: User,
    pub csrf_token: String,
}

impl App {
    pub async fn add_user(
        &self,
        who: &crate::access::Principal,
        email: &str,
        name: &str,
        role: Role,
        password: &str,
    ) -> Result<User, AppError> {
        who.require(redress_domain::role::Permission::Administer)?;
        let mut errors = FieldErrors::new();
        let email = match parse_email(email) {
            Ok(Some(e)) => Some(e),
            Ok(None) => {
                errors.add("email", "Enter an email address");
                None
            }
            Err(m) => {
                errors.add("email", m);
                None
            }
        };
        if name.trim().is_empty() {
            errors.add("name", "Enter a name");
        }
        if let Some(m) = weak_password(password, email.as_deref().unwrap_or_default(), name) {
            errors.add("password", m);
        }
        errors.into_result()?;
        let user = User {
            id: uuid::Uuid::now_v7().to_string(),
            email: email.unwrap_or_default().to_lowercase(),
            name: name.trim().to_string(),
            role,
            active: true,
        };
        let hash = hash_password(password.to_string()).await?;
        let summary = format!("Added {} ({}) as {}", user.name, user.email, role.label());
        let new = redress_store::AdminChange::NewUser {
            user: &user,
            password_hash: &hash,
        };
        self.change(who, &[new], &summary)
            .await
            .map_err(|e| match e {
                AppError::Store(redress_store::StoreError::Duplicate(what)) => {
                    let mut f = FieldErrors::new();
                    f.add("email", format!("There is already {what}"));
                    AppError::Invalid(f)
                }
                other => other,
            })?;
        Ok(user)
    }

    /// Checks the password and opens a session; returns the token for the cookie. `source`
    /// is where the attempt comes from (the client's address): wrong passwords lock the
    /// account from that source only, so a stranger cannot lock a colleague out.
    pub async fn sign_in(
        &self,
        email: &str,
        password: &str,
        source: &str,
    ) -> Result<(String, Signed), AppError> {
        // No address has control characters, and PostgreSQL refuses a NUL in any text:
        // such input is a wrong address, never a failure.
        let cleaned: String = email.chars().filter(|c| !c.is_control()).collect();
        let email = cleaned.as_str();
        let attempts = format!("{} from {source}", email.to_lowercase());
        let now = self.now();
        let window_start = now
            .checked_sub(LOCKOUT)
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let failures = self.store.recent_failures(&attempts, window_start).await?;
        if failures.len() >= MAX_FAILURES {
            // Checked before the password, so guessing during a lockout learns nothing.
            let until = failures
                .last()
                .and_then(|last| last.checked_add(LOCKOUT).ok())
                .map(|t| {
                    t.to_zoned_datetime(redress_domain::contact::uk_time_zone())
                        .time()
                        .strftime("%H:%M")
                        .to_string()
                })
                .unwrap_or_default();
            return Err(AppError::invalid(
                "email",
                format!(
                    "This account is locked after {MAX_FAILURES} wrong passwords. Try again after {until}, or ask an administrator"
                ),
            ));
        }
        let found = self.store.user_by_email(email).await?;
        // Verify against a real hash even for an unknown email, so timing does not tell
        // which addresses have accounts.
        let (user, hash) = match found {
            Some((u, h)) if u.active => (Some(u), h),
            _ => (None, DUMMY_HASH.to_string()),
        };
        let ok = verify_password(password.to_string(), hash).await;
        self.store
            .record_login(&attempts, now, ok && user.is_some())
            .await?;
        let Some(user) = user.filter(|_| ok) else {
            return Err(AppError::invalid(
                "email",
                "Enter a correct email address and password",
            ));
        };
        // Said only after the password proved right, so it tells a stranger nothing.
        if !self.password_allowed(&user) {
            let provider = self
                .sso()
                .map(|s| s.settings().provider_name.clone())
                .unwrap_or_default();
            return Err(AppError::invalid(
                "email",
                format!("Staff sign in with {provider}: use the button above"),
            ));
        }
        self.open_session(user).await
    }

    /// Opens a session for a member of staff who has proved who they are.
    pub(crate) async fn open_session(&self, user: User) -> Result<(String, Signed), AppError> {
        let token = random_token()?;
        let csrf_token = random_token()?;
        let now = self.now();
        let expires_at = now
            .checked_add(SignedDuration::from_hours(SESSION_HOURS))
            .map_err(|e| AppError::Internal(e.to_string()))?;
        self.store
            .create_session(&redress_store::SessionRecord {
                token_hash: token_hash(&token),
                user_id: user.id.clone(),
                csrf_token: csrf_token.clone(),
                created_at: now,
                expires_at,
            })
            .await?;
        Ok((token, Signed { user, csrf_token }))
    }

    pub async fn session(&self, token: &str) -> Result<Option<Signed>, AppError> {
        Ok(self
            .store
            .session(&token_hash(token), self.now())
            .await?
            .map(|(s, user)| Signed {
                user,
                csrf_token: s.csrf_token,
            }))
    }

    pub async fn sign_out(&self, token: &str) -> Result<(), AppError> {
        Ok(self.store.delete_session(&token_hash(token)).await?)
    }

    /// A new API token for a user; shown once, stored hashed, working for a year.
    pub async fn issue_api_token(
        &self,
        who: &crate::access::Principal,
        email: &str,
        label: &str,
    ) -> Result<String, AppError> {
        who.require(redress_domain::role::Permission::Administer)?;
        let (user, _) = self
            .store
            .user_by_email(email)
            .await?
            .ok_or(AppError::NotFound)?;
        let token = random_token()?;
        let now = self.now();
        self.store
            .create_api_token(
                &token_hash(&token),
                &user.id,
                label,
                now,
                token_expiry(now)?,
            )
            .await?;
        Ok(token)
    }

    /// The user a live API token belongs to; an expired token is no token.
    pub async fn api_user(&self, token: &str) -> Result<Option<User>, AppError> {
        Ok(self
            .store
            .user_by_api_token(&token_hash(token), self.now())
            .await?)
    }

    /// Exchanges a live API token for a new one, for a year from now; the old one stops
    /// working at once. Integrations rotate their own token without an administrator.
    pub async fn rotate_api_token(&self, token: &str) -> Result<(String, Timestamp), AppError> {
        let fresh = random_token()?;
        let now = self.now();
        let expires = token_expiry(now)?;
        if self
            .store
            .replace_api_token(&token_hash(token), &token_hash(&fresh), now, expires)
            .await?
        {
            Ok((fresh, expires))
        } else {
            Err(AppError::Forbidden)
        }
    }
}

/// How long an API token works before it must be exchanged for a new one.
pub const API_TOKEN_LIFETIME: SignedDuration = SignedDuration::from_hours(24 * 365);

fn token_expiry(now: Timestamp) -> Result<Timestamp, AppError> {
    now.checked_add(API_TOKEN_LIFETIME)
        .map_err(|e| AppError::Internal(e.to_string()))
}

/// An argon2 hash of a random string nobody knows, used to even out sign-in timing.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$7M1nhvJb3Q7w1X1Cbq9Z0N2m3D8wYj0i0xYtq3X5nRk";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weak_passwords_are_refused_and_strong_ones_kept() {
        for weak in [
            "            ",
            "password1234",
            "Password1234!",
            "aaaaaaaaaaaaaaa",
            "abababababab",
            "priya.shah.2026",
            "short",
        ] {
            assert!(
                weak_password(weak, "priya@demo.test", "Priya Shah").is_some(),
                "{weak}"
            );
        }
        for strong in ["correct-horse-battery", "lantern pebble orchard"] {
            assert_eq!(
                weak_password(strong, "priya@demo.test", "Priya Shah"),
                None,
                "{strong}"
            );
        }
    }

    #[test]
    fn short_codes_are_unambiguous_and_read_however_typed() {
        for _ in 0..200 {
            let code = short_code().unwrap_or_default();
            assert_eq!(code.len(), CODE_LENGTH);
            assert!(code.bytes().all(|b| CODE_LETTERS.contains(&b)), "{code}");
            assert!(!code.contains(['0', 'O', '1', 'I', 'L']));
        }
        assert_eq!(typed_key(" abcd-efgh "), "ABCDEFGH");
        assert_eq!(
            typed_key(&"ab".repeat(32)),
            "ab".repeat(32),
            "long tokens untouched"
        );
        assert_eq!(spaced("ABCDEFGH"), "ABCD EFGH");
    }
}
