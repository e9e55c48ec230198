//! Knocks at the doors where a stranger could guess their way into a case (following a
//! case with a reference, a link or a code), counted in the database so every instance
//! sharing it sees the same count. The web layer slows each client first, in memory; this
//! is the ceiling all instances share, per client and for everyone together.

use crate::{App, AppError};
use jiff::SignedDuration;

/// How long a knock counts for.
const WINDOW: SignedDuration = SignedDuration::from_mins(1);

impl App {
    /// Counts a knock at `door` from `client`. Returns the seconds to wait when the client
    /// has knocked `per_client` times in the last minute, or everyone `everyone` times.
    pub async fn knock(
        &self,
        door: &str,
        client: &str,
        per_client: usize,
        everyone: usize,
    ) -> Result<Option<u64>, AppError> {
        let now = self.now();
        let since = now
            .checked_sub(WINDOW)
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let theirs = format!("knock {door} from {client}");
        let all = format!("knock {door}");
        for (key, limit) in [(theirs.as_str(), per_client), (all.as_str(), everyone)] {
            let recent = self.store.recent_failures(key, since).await?;
            if recent.len() >= limit {
                let wait = recent
                    .first()
                    .and_then(|first| first.checked_add(WINDOW).ok())
                    .map(|free| (free - now).as_secs().max(1))
                    .unwrap_or(60);
                return Ok(Some(u64::try_from(wait).unwrap_or(60)));
            }
        }
        self.store.record_login(&theirs, now, false).await?;
        self.store.record_login(&all, now, false).await?;
        Ok(None)
    }

    /// Forgets knocks and sign-in attempts older than a day: they count for minutes.
    pub async fn forget_old_attempts(&self) -> Result<u64, AppError> {
        let before = self
            .now()
            .checked_sub(SignedDuration::from_hours(24))
            .map_err(|e| AppError::Internal(e.to_string()))?;
        Ok(self.store.forget_attempts(before).await?)
    }
}
