#!/usr/bin/env bash
# Quick end-to-end check of a running RT5 (start.sh): create, fetch, list and
# search tickets through REST2, time N creates, print the server's memory.
# Not a load test: requests go one at a time to 127.0.0.1 only.
#   RT5_PORT=8090  RT5_PASSWORD=benchpassword  N=50
set -euo pipefail

BASE=http://127.0.0.1:${RT5_PORT:-8090}
API=$BASE/REST/2.0
PASS=${RT5_PASSWORD:-benchpassword}
N=${N:-50}
here=$(dirname "$0")
jar=$(mktemp); trap 'rm -f "$jar"' EXIT

# A session cookie from the login form: each request then skips the bcrypt
# check that basic auth pays on every request.
curl -sf -o /dev/null -c "$jar" -d user=root -d "pass=$PASS" "$BASE/NoAuth/Login.html"
# Writes with a cookie must name RT's own origin, or REST2 answers 403 (CSRF).
cookie=(-b "$jar" -H "Referer: $BASE/")
basic=(-u "root:$PASS")

create() { # $1.. = auth options; prints the HTTP status
    curl -s -o /dev/null -w '%{http_code}\n' "$@" -H 'Content-Type: application/json' \
        -X POST "$API/ticket" -d "{\"Queue\":\"General\",\"Subject\":\"Damp in flat $RANDOM\",
        \"Requestor\":\"tenant$RANDOM@example.org\",\"Content\":\"Mould on the bedroom wall.\",
        \"ContentType\":\"text/plain\"}"
}
timed() { # $1 = label, $2 = count, rest = command; prints statuses and ms per call
    local label=$1 n=$2 start; shift 2; start=$(date +%s%N)
    printf '%-28s %s  %d ms each\n' "$label" \
        "$(for _ in $(seq "$n"); do "$@"; done | sort | uniq -c | xargs)" \
        $(( ($(date +%s%N) - start) / 1000000 / n ))
}

id=$(curl -sf "${basic[@]}" -H 'Content-Type: application/json' -X POST "$API/ticket" \
    -d '{"Queue":"General","Subject":"Rising damp","Content":"Damp since October."}' \
    | sed -n 's/.*"id" *: *"\([0-9]*\)".*/\1/p')
echo "created ticket $id"
curl -sf "${basic[@]}" "$API/ticket/$id" | grep -q '"Subject" : "Rising damp"' && echo "fetched ticket $id"
curl -sf "${cookie[@]}" -G "$API/tickets" --data-urlencode "query=Queue='General'" \
    -d orderby=Created -d order=DESC -d page=1 -d per_page=20 -d fields=Subject,Status,Created \
    | grep -E '"(total|count|page|pages)"' | xargs echo "list:"
curl -sf "${cookie[@]}" -G "$API/tickets" --data-urlencode "query=Subject LIKE 'damp'" \
    | grep -E '"total"' | xargs echo "subject search:"

timed "create, basic auth" "$N" create "${basic[@]}"
timed "create, session cookie" "$N" create "${cookie[@]}"
get() { curl -s -o /dev/null -w '%{http_code}\n' "$@"; }
timed "get, session cookie" 20 get "${cookie[@]}" "$API/ticket/$id"
timed "list 20, session cookie" 20 get "${cookie[@]}" -G "$API/tickets" \
    --data-urlencode "query=Queue='General'" -d orderby=Created -d order=DESC -d page=2 -d per_page=20
timed "search, session cookie" 20 get "${cookie[@]}" -G "$API/tickets" \
    --data-urlencode "query=Subject LIKE 'damp'" -d per_page=20
"$here/rss.sh"
