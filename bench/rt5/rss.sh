#!/usr/bin/env bash
# Print the resident memory of the RT5 server in KiB: its master process plus
# every worker (all processes whose parent is the master), from /proc.
# Shared pages (RT's code, loaded once before forking) count in each process,
# as in ps's RSS; the PSS total (shared pages split between processes) is
# printed too, as it is the fairer figure for a forking server.
set -euo pipefail

pid=$(cat "${RT5_RUN_DIR:-/tmp/rt5-bench}/rt5.pid")
rss=0; pss=0; n=0
for p in "$pid" $(pgrep -P "$pid"); do
    r=$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0)
    s=$(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0)
    rss=$((rss + ${r:-0})); pss=$((pss + ${s:-0})); n=$((n + 1))
done
echo "processes=$n rss_kib=$rss pss_kib=$pss"
