#!/usr/bin/env bash
# Stop the RT5 server that start.sh started: TERM its master process, which
# takes its workers down with it, then make sure none are left.
set -euo pipefail

PIDFILE=${RT5_RUN_DIR:-/tmp/rt5-bench}/rt5.pid
[ -f "$PIDFILE" ] || { echo "RT5 not running (no $PIDFILE)"; exit 0; }
pid=$(cat "$PIDFILE")
# Remember the workers now: once the master dies they are re-parented.
workers=$(pgrep -P "$pid" || true)
kill -TERM "$pid" 2>/dev/null || true
for _ in $(seq 1 40); do
    alive=0
    for p in $pid $workers; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.25
done
for p in $pid $workers; do kill -KILL "$p" 2>/dev/null || true; done
rm -f "$PIDFILE"
echo "RT5 stopped (pid $pid)"
