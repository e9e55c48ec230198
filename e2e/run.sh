#!/usr/bin/env bash
# Run the browser tests against a freshly started Redress server.
#
#   REDRESS_BIN  server binary (default: ../target/debug/redress, from this folder)
#   PORT         port to listen on (default: a free one)
#
# Installs Debian's chromium (and dovecot-imapd) if missing, installs the npm
# packages from the lock file, starts a mail listener and a Dovecot mailbox, starts
# `redress serve --demo` on a new SQLite database reading that mailbox, waits for
# /healthz, runs the tests, then stops the servers. Exits with the tests'
# status. Works from any directory.

set -euo pipefail

E2E_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

log() { printf 'e2e: %s\n' "$*" >&2; }

# --- Chromium ---------------------------------------------------------------
if [[ ! -x /usr/bin/chromium ]]; then
  log "installing chromium"
  SUDO=""
  if [[ "$(id -u)" -ne 0 ]]; then SUDO="sudo"; fi
  $SUDO apt-get update
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
fi

# --- npm packages -------------------------------------------------------------
log "installing npm packages"
(cd "$E2E_DIR" && npm ci --no-audit --no-fund)

# --- server binary ------------------------------------------------------------
REDRESS_BIN="${REDRESS_BIN:-../target/debug/redress}"
if [[ "$REDRESS_BIN" != /* ]]; then
  REDRESS_BIN="$E2E_DIR/$REDRESS_BIN"
fi
if bin_dir="$(cd "$(dirname "$REDRESS_BIN")" 2>/dev/null && pwd)"; then
  REDRESS_BIN="$bin_dir/$(basename "$REDRESS_BIN")"
fi
if [[ ! -x "$REDRESS_BIN" ]]; then
  log "server binary not found or not executable: $REDRESS_BIN"
  exit 2
fi

# --- temporary state and a free port ------------------------------------------
TMPDIR_X="$(mktemp -d "${TMPDIR:-/tmp}/redress-e2e.XXXXXX")"
SERVER_LOG="$TMPDIR_X/server.log"
if [[ -z "${PORT:-}" ]]; then
  PORT="$(node -e '
    const s = require("node:net").createServer();
    s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });
  ')"
fi
BASE_URL="http://127.0.0.1:$PORT"

SERVER_PID=""
cleanup() {
  local status=$?
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$SERVER_PID" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [[ $status -ne 0 && -s "$SERVER_LOG" ]]; then
    log "last lines of the server log:"
    tail -n 50 "$SERVER_LOG" >&2 || true
  fi
  if [[ -n "${SMTP_PID:-}" ]]; then kill "$SMTP_PID" 2>/dev/null || true; fi
  if [[ -n "${DOVECOT_PID:-}" ]]; then
    kill -TERM "$DOVECOT_PID" 2>/dev/null || true
    wait "$DOVECOT_PID" 2>/dev/null || true
  fi
  if [[ -n "${DOVECOT_DIR:-}" ]]; then rm -rf "$DOVECOT_DIR"; fi
  rm -rf "$TMPDIR_X"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- a mail listener, so the tests can read what the service emails ------------
MAIL_LOG="$TMPDIR_X/mail.jsonl"
: >"$MAIL_LOG"
SMTP_PORT_FILE="$TMPDIR_X/smtp.port"
MAIL_LOG="$MAIL_LOG" node "$E2E_DIR/smtp-sink.mjs" >"$SMTP_PORT_FILE" 2>&1 &
SMTP_PID=$!
for _ in $(seq 1 50); do
  [[ -s "$SMTP_PORT_FILE" ]] && break
  sleep 0.1
done
SMTP_PORT="$(head -n 1 "$SMTP_PORT_FILE")"
log "mail listener on port $SMTP_PORT"

# --- a mailbox (Dovecot), so the tests can email the service ---------------------
# The tests deliver into it with doveadm; the service reads it over IMAP as it would a
# council's mailbox. See crates/redress-app/tests/mail/DOVECOT.md.
if ! command -v dovecot >/dev/null 2>&1; then
  log "installing dovecot-imapd"
  SUDO=""
  if [[ "$(id -u)" -ne 0 ]]; then SUDO="sudo"; fi
  $SUDO apt-get update
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y dovecot-imapd
fi
# A short path: Dovecot's socket paths are limited to 108 bytes.
DOVECOT_DIR="$(mktemp -d /tmp/rdv.XXXXXX)"
chmod 0755 "$DOVECOT_DIR"
mkdir "$DOVECOT_DIR"/run "$DOVECOT_DIR"/state "$DOVECOT_DIR"/mail "$DOVECOT_DIR"/home
if [[ "$(id -u)" -eq 0 ]]; then
  MAIL_UID="$(id -u nobody)"; MAIL_GID="$(getent group nogroup | cut -d: -f3)"
  LOGIN_USER=dovenull; INTERNAL_USER=dovecot; INTERNAL_GROUP=dovecot
  chown "$MAIL_UID:$MAIL_GID" "$DOVECOT_DIR"/mail "$DOVECOT_DIR"/home
else
  MAIL_UID="$(id -u)"; MAIL_GID="$(id -g)"
  LOGIN_USER="$(id -un)"; INTERNAL_USER="$(id -un)"; INTERNAL_GROUP="$(id -gn)"
fi
DOVECOT_PORT="$(node -e '
  const s = require("node:net").createServer();
  s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });
')"
DOVECOT_CONF="$DOVECOT_DIR/dovecot.conf"
cat >"$DOVECOT_CONF" <<CONF
protocols = imap
listen = 127.0.0.1
base_dir = $DOVECOT_DIR/run
state_dir = $DOVECOT_DIR/state
instance_name = redress-e2e-dovecot
log_path = $DOVECOT_DIR/dovecot.log
info_log_path = $DOVECOT_DIR/dovecot.log
auth_failure_delay = 0
auth_mechanisms = plain login
ssl = no
disable_plaintext_auth = no
default_login_user = $LOGIN_USER
default_internal_user = $INTERNAL_USER
default_internal_group = $INTERNAL_GROUP
first_valid_uid = 1
mail_location = maildir:$DOVECOT_DIR/mail/%n
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%n $DOVECOT_DIR/passwd
}
userdb {
  driver = static
  args = uid=$MAIL_UID gid=$MAIL_GID home=$DOVECOT_DIR/home/%n
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = $DOVECOT_PORT
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
service ipc {
  chroot =
}
service old-stats {
  chroot =
}
CONF
printf 'complaints:{PLAIN}e2e-mailbox-pass\n' >"$DOVECOT_DIR/passwd"
chmod 0644 "$DOVECOT_DIR/passwd"
dovecot -F -c "$DOVECOT_CONF" </dev/null >/dev/null 2>&1 &
DOVECOT_PID=$!
for _ in $(seq 1 100); do
  if node -e '
    const s = require("node:net").connect(Number(process.argv[1]), "127.0.0.1");
    s.setTimeout(2000, () => process.exit(1));
    s.on("data", (d) => process.exit(String(d).startsWith("* OK") ? 0 : 1));
    s.on("error", () => process.exit(1));
  ' "$DOVECOT_PORT"; then break; fi
  sleep 0.1
done
log "mailbox on port $DOVECOT_PORT"

# --- start the server ----------------------------------------------------------
log "starting $REDRESS_BIN on $BASE_URL"
REDRESS_DATABASE_URL="sqlite://$TMPDIR_X/e2e.db" \
REDRESS_SMTP_URL="smtp://127.0.0.1:$SMTP_PORT" \
REDRESS_PUBLIC_URL="$BASE_URL" \
REDRESS_MAIL_FROM="Complaints <complaints@demo.redress.test>" \
REDRESS_IMAP_URL="imap://complaints:e2e-mailbox-pass@127.0.0.1:$DOVECOT_PORT/INBOX" \
REDRESS_IMAP_POLL_SECONDS=5 \
  "$REDRESS_BIN" serve --demo --addr "127.0.0.1:$PORT" >"$SERVER_LOG" 2>&1 &
SERVER_PID=$!

healthy=""
deadline=$((SECONDS + 60))
while (( SECONDS < deadline )); do
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    log "server exited before it was ready"
    exit 1
  fi
  code="$(node -e '
    fetch(process.argv[1], { signal: AbortSignal.timeout(2000) })
      .then((r) => console.log(r.status), () => console.log(0));
  ' "$BASE_URL/healthz")"
  if [[ "$code" == "200" ]]; then
    healthy=1
    break
  fi
  sleep 0.5
done
if [[ -z "$healthy" ]]; then
  log "server did not answer 200 on /healthz within 60 seconds"
  exit 1
fi
log "server is ready"

# --- run the tests ----------------------------------------------------------------
set +e
# E2E_ONLY=welsh.test.js runs one journey, for working on it; CI runs them all.
if [[ -n "${E2E_ONLY:-}" ]]; then
  (cd "$E2E_DIR" && BASE_URL="$BASE_URL" MAIL_LOG="$MAIL_LOG" DOVECOT_CONF="$DOVECOT_CONF" node --test --test-concurrency=1 "tests/$E2E_ONLY")
else
  (cd "$E2E_DIR" && BASE_URL="$BASE_URL" MAIL_LOG="$MAIL_LOG" DOVECOT_CONF="$DOVECOT_CONF" npm test)
fi
test_status=$?
set -e
exit "$test_status"
