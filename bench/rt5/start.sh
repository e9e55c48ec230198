#!/usr/bin/env bash
# Start RT5's web server on 127.0.0.1:$RT5_PORT in the background and wait
# until it answers. Needs bench/rt5/install.sh first.
#
#   RT5_PORT=8090        must match the port install.sh wrote into RT's config
#   RT5_WORKERS=4        preforked worker processes
#   RT5_SERVER=Starlet   Starlet (rt-server's own default, from rt5-standalone)
#                        or Starman; both preload RT in the master and fork
#   RT5_MAX_REQUESTS=100000  requests a worker serves before it is replaced;
#                        both servers default to ~1000, which would recycle
#                        workers (and their caches) in the middle of a run
#   RT5_RUN_DIR=/tmp/rt5-bench  holds rt5.pid (the master) and rt5.log
set -euo pipefail

PORT=${RT5_PORT:-8090}
WORKERS=${RT5_WORKERS:-4}
SERVER=${RT5_SERVER:-Starlet}
MAX_REQUESTS=${RT5_MAX_REQUESTS:-100000}
RUN_DIR=${RT5_RUN_DIR:-/tmp/rt5-bench}
PIDFILE=$RUN_DIR/rt5.pid
URL=http://127.0.0.1:$PORT

mkdir -p "$RUN_DIR"
if [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
    echo "RT5 already running (pid $(cat "$PIDFILE")) at $URL"; exit 0
fi

case "$SERVER" in
    # Starlet keeps no connection open between requests by default
    # (max-keepalive-reqs 1), so every client connection competes fairly
    # for the workers.
    Starlet) opts=(--max-workers "$WORKERS" --max-reqs-per-child "$MAX_REQUESTS") ;;
    # Starman would otherwise keep a worker on one keep-alive connection,
    # starving the other connections when there are more of them than workers.
    Starman) opts=(--workers "$WORKERS" --max-requests "$MAX_REQUESTS" --disable-keepalive) ;;
    *) echo "RT5_SERVER must be Starlet or Starman" >&2; exit 1 ;;
esac

# RT's caches under /var/cache and /var/lib belong to www-data, so run as
# that user. setpriv execs in place, so $! is the server's master process.
setpriv --reuid=www-data --regid=www-data --init-groups \
    /usr/share/request-tracker5/libexec/rt-server --server "$SERVER" \
    --host 127.0.0.1 --port "$PORT" "${opts[@]}" \
    </dev/null >"$RUN_DIR/rt5.log" 2>&1 &
echo $! > "$PIDFILE"

# RT takes several seconds to load; any HTTP status (401 without
# credentials) means a worker is serving.
for _ in $(seq 1 240); do
    if ! kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
        echo "RT5 exited during start-up; see $RUN_DIR/rt5.log" >&2
        tail -20 "$RUN_DIR/rt5.log" >&2; rm -f "$PIDFILE"; exit 1
    fi
    code=$(curl -s -o /dev/null -w '%{http_code}' "$URL/REST/2.0/" || true)
    if [ "$code" != 000 ]; then
        echo "RT5 ($SERVER, $WORKERS workers) up at $URL, pid $(cat "$PIDFILE")"; exit 0
    fi
    sleep 0.5
done
echo "RT5 did not answer within 120s; see $RUN_DIR/rt5.log" >&2
exit 1
