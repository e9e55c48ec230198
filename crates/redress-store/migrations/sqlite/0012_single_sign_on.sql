-- Staff single sign-on: a sign-in begun at the identity provider and not yet finished.
-- Found by its state's hash, taken once (a replayed answer finds nothing), and forgotten
-- when it expires.
CREATE TABLE sso_logins (
    state_hash TEXT PRIMARY KEY,
    verifier TEXT NOT NULL,
    nonce TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
