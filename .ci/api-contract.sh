#!/usr/bin/env bash
# The API against its own OpenAPI document: starts a demo server on a new SQLite database,
# issues an administrator's token and runs schemathesis (from PyPI, in a virtual
# environment under target/) with every check, bounded in time.
#
#   REDRESS_BIN       server binary (default: target/debug/redress)
#   CONTRACT_SECONDS  time budget for the generated requests (default: 240)
set -euo pipefail
cd "$(dirname "$0")/.."

REDRESS_BIN="${REDRESS_BIN:-${CARGO_TARGET_DIR:-$PWD/target}/debug/redress}"
VENV="${CARGO_TARGET_DIR:-$PWD/target}/schemathesis-venv"
if [[ ! -x "$VENV/bin/schemathesis" ]]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet "schemathesis==4.32.5"
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/redress-contract.XXXXXX")"
PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
BASE_URL="http://127.0.0.1:$PORT"
export REDRESS_DATABASE_URL="sqlite://$WORK/contract.db"
SERVER_PID=""
cleanup() {
  status=$?
  if [[ -n "$SERVER_PID" ]]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  if [[ $status -ne 0 && -s "$WORK/server.log" ]]; then tail -n 40 "$WORK/server.log" >&2; fi
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT

# The tester sends requests far faster than any integration should: raise the API's allowance
# so it reaches the logic behind each operation rather than the throttle.
REDRESS_API_REQUESTS_PER_MINUTE=1000000 "$REDRESS_BIN" serve --demo --addr "127.0.0.1:$PORT" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 120); do
  if python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "$BASE_URL/healthz" 2>/dev/null; then break; fi
  kill -0 "$SERVER_PID" 2>/dev/null || { echo "api-contract: the server stopped" >&2; exit 1; }
  sleep 0.5
done
TOKEN="$("$REDRESS_BIN" user token --email admin@demo.redress.test --label contract | head -n 1)"

echo "api-contract: schemathesis against $BASE_URL/api/openapi.json"
timeout "$(( ${CONTRACT_SECONDS:-240} + 120 ))" "$VENV/bin/schemathesis" --no-color --config-file .ci/schemathesis.toml \
  run "$BASE_URL/api/openapi.json" \
  --header "Authorization: Bearer $TOKEN" \
  --checks all \
  --phases examples,coverage,fuzzing,stateful \
  --max-time "${CONTRACT_SECONDS:-240}"
