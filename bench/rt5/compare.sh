#!/usr/bin/env bash
# Redress and Request Tracker 5 side by side on the local PostgreSQL, in one run.
# Run as root: RT comes from Debian's packages. Installs RT on a fresh database,
# starts it, runs bench/versus_rt.rs, and stops RT again however that ends.
#
#   BENCH_TICKETS=300 BENCH_READS=200 BENCH_CLIENTS=8   the work (see bench/versus_rt.rs)
#   RT5_WORKERS=4                                      RT's worker processes
set -euo pipefail
cd "$(dirname "$0")/../.."
export BENCH_POSTGRES_URL="${BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
RT5_FRESH=1 bench/rt5/install.sh
bench/rt5/start.sh
trap 'bench/rt5/stop.sh' EXIT
RT5_URL="http://127.0.0.1:${RT5_PORT:-8090}" cargo bench -p redress --bench versus_rt
