#!/usr/bin/env bash
# Benchmark: requests/s and p50/p99 latency of wikid on 127.0.0.1, side by side with
# the reference MediaWiki when it answers. Uses wrk (a real HTTP load generator).
#
#   scripts/bench.sh              # 10 s per run
#   scripts/bench.sh --quick      # 2 s per run (CI keeps the bench working)
#   REFWIKI_API=http://127.0.0.1:8080/w/api.php scripts/bench.sh   # reference URL
#
# Figures are printed, never asserted.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=10
[ "${1:-}" = "--quick" ] && DURATION=2
REFWIKI_API="${REFWIKI_API:-http://127.0.0.1:8080/w/api.php}"

command -v wrk >/dev/null || { echo "bench needs wrk (apt-get install wrk)" >&2; exit 1; }
cargo build --release --locked --bins -q

work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
WIKID_LOG=warn target/release/wikid --data-dir "$work/data" --sitename Refwiki serve \
  --listen "127.0.0.1:$port" --admin-password "bench-$RANDOM-password" >"$work/wikid.log" 2>&1 &
pid=$!
api="http://127.0.0.1:$port/w/api.php"
for _ in $(seq 100); do curl -fs "$api?action=query&format=json" >/dev/null && break; sleep 0.1; done

# workload name → query string
declare -a NAMES=("siteinfo" "unknown-action")
declare -A QUERY=(
  [siteinfo]="action=query&meta=siteinfo&format=json"
  [unknown-action]="action=nosuchaction&format=json"
)

# Write workloads: wrk Lua scripts in scripts/bench/ (POSTs; errors include API
# errors such as MediaWiki's rate limit, which allows 8 anonymous edits a minute).
declare -a WRITE_NAMES=("edit-new-page")
declare -A SCRIPT=(
  [edit-new-page]="scripts/bench/edit.lua"
)

# run URL CONCURRENCY [LUA] [HEADER] → "req/s p50 p99 errors"
run() {
  local url=$1 c=$2 script=${3:-} threads=1
  [ "$c" -gt 1 ] && threads=2
  local args=()
  [ -n "$script" ] && args=(-s "$script")
  [ -n "${4:-}" ] && args+=(-H "$4")
  wrk -t"$threads" -c"$c" -d"${DURATION}s" --latency "${args[@]}" "$url" 2>&1 | awk '
    /Requests\/sec/ { rps = $2 }
    /^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 }
    /Non-2xx or 3xx/ { err += $NF } /Socket errors/ { err += 1 }
    /^api-errors/ { err += $2 }
    END { printf "%s %s %s %d\n", rps, p50, p99, err }'
}

ref_up=0
curl -fs -m 2 "$REFWIKI_API?action=query&format=json" >/dev/null 2>&1 && ref_up=1

printf "%-16s %4s | %12s %9s %9s %6s" "workload" "c" "wikid req/s" "p50" "p99" "errors"
[ $ref_up = 1 ] && printf " | %12s %9s %9s %8s" "MW req/s" "p50" "p99" "ratio"
printf "\n"
for name in "${NAMES[@]}"; do
  for c in 1 16; do
    read -r rps p50 p99 err < <(run "$api?${QUERY[$name]}" "$c")
    printf "%-16s %4s | %12s %9s %9s %6s" "$name" "$c" "$rps" "$p50" "$p99" "$err"
    if [ $ref_up = 1 ]; then
      read -r mrps mp50 mp99 _ < <(run "$REFWIKI_API?${QUERY[$name]}" "$c")
      ratio=$(awk -v a="$rps" -v b="$mrps" 'BEGIN { if (b > 0) printf "%.0fx", a / b; else print "-" }')
      printf " | %12s %9s %9s %8s" "$mrps" "$mp50" "$mp99" "$ratio"
    fi
    printf "\n"
  done
done
# --- Accounts: bot-password logins/s and meta=tokens requests/s (issue 3) ---------
# wikid gets a bot password made with the operator command; the reference uses the
# credentials of /tmp/refwiki/credentials.env (override with REFWIKI_BOT_USER/PASS).
bench_pass=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
target/release/wikid --data-dir "$work/data" --sitename Refwiki botpassword create Admin bench \
  --grants basic,highvolume --password "$bench_pass" >/dev/null
cred() { sed -n "s/^$1='\(.*\)'\$/\1/p" /tmp/refwiki/credentials.env 2>/dev/null; }
REF_BOT_USER="${REFWIKI_BOT_USER:-$(cred REFWIKI_BOT_USER)}"
REF_BOT_PASS="${REFWIKI_BOT_PASS:-$(cred REFWIKI_BOT_PASS)}"

# logins URL C USER PASS → "logins/s failed"
logins() {
  local url=$1 c=$2 user=$3 pass=$4
  local path="/${url#*://*/}"
  BENCH_BOT_USER="$user" BENCH_BOT_PASS="$pass" BENCH_API_PATH="$path" \
    wrk -t"$c" -c"$c" -d"${DURATION}s" -s scripts/bench/login.lua "$url" 2>&1 |
    awk '/^LOGINS/ { printf "%s %s\n", $4, $3 }'
}

# session_cookie API USER PASS → "name=value" of a logged-in bot-password session
session_cookie() {
  local api=$1 user=$2 pass=$3 jar
  jar=$(mktemp)
  local t
  t=$(curl -fs -c "$jar" -b "$jar" "$api?action=query&meta=tokens&type=login&format=json" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["query"]["tokens"]["logintoken"])')
  curl -fs -c "$jar" -b "$jar" --data-urlencode "lgname=$user" --data-urlencode "lgpassword=$pass" \
    --data-urlencode "lgtoken=$t" "$api?action=login&format=json" >/dev/null
  awk '$6 ~ /_BPsession$/ { print $6 "=" $7 }' "$jar"
  rm -f "$jar"
}

printf "\n%-22s %4s | %12s %7s" "accounts" "c" "wikid /s" "failed"
[ $ref_up = 1 ] && [ -n "$REF_BOT_PASS" ] && printf " | %12s %7s %8s" "MW /s" "failed" "ratio"
printf "\n"
for c in 1 2; do
  read -r lps lfail < <(logins "$api" "$c" "Admin@bench" "$bench_pass")
  printf "%-22s %4s | %12s %7s" "login (bot password)" "$c" "$lps" "$lfail"
  if [ $ref_up = 1 ] && [ -n "$REF_BOT_PASS" ]; then
    read -r mlps mlfail < <(logins "$REFWIKI_API" "$c" "$REF_BOT_USER" "$REF_BOT_PASS")
    ratio=$(awk -v a="$lps" -v b="$mlps" 'BEGIN { if (b > 0) printf "%.1fx", a / b; else print "-" }')
    printf " | %12s %7s %8s" "$mlps" "$mlfail" "$ratio"
  fi
  printf "\n"
done
wcookie=$(session_cookie "$api" "Admin@bench" "$bench_pass")
mcookie=""
[ $ref_up = 1 ] && [ -n "$REF_BOT_PASS" ] && mcookie=$(session_cookie "$REFWIKI_API" "$REF_BOT_USER" "$REF_BOT_PASS")
for c in 1 16; do
  q="action=query&meta=tokens&type=csrf&format=json"
  read -r rps p50 p99 err < <(run "$api?$q" "$c" "" "Cookie: $wcookie")
  printf "%-22s %4s | %12s %7s" "meta=tokens (session)" "$c" "$rps" "$err"
  if [ -n "$mcookie" ]; then
    read -r mrps _ _ merr < <(run "$REFWIKI_API?$q" "$c" "" "Cookie: $mcookie")
    ratio=$(awk -v a="$rps" -v b="$mrps" 'BEGIN { if (b > 0) printf "%.0fx", a / b; else print "-" }')
    printf " | %12s %7s %8s" "$mrps" "$merr" "$ratio"
  fi
  printf "\n"
done

# --- Purge (issue 5) ---------------------------------------------------------------
# A template embedded by 10 000 pages, loaded in bulk: an XML export made here and
# read by `wikid import` (no HTTP edits); the server's job runner fills the link
# tables. Then action=purge as the logged-in bot (Admin@bench has highvolume, so
# no rate limit): 1 title and 50 titles (existing pages, listed by allpages on
# each wiki), and forcerecursivelinkupdate on the template.
EMBEDS=${BENCH_EMBEDS:-10000}
python3 - "$work/embeds.xml" "$EMBEDS" <<'PY'
import sys
from xml.sax.saxutils import escape
out, n = sys.argv[1], int(sys.argv[2])
with open(out, "w") as f:
    f.write('<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11" xml:lang="en">\n')
    def page(title, ns, text):
        f.write("<page><title>%s</title><ns>%d</ns><revision><timestamp>2026-01-01T00:00:00Z</timestamp>"
                "<contributor><username>Admin</username><id>1</id></contributor><model>wikitext</model>"
                "<format>text/x-wiki</format><text xml:space=\"preserve\">%s</text></revision></page>\n"
                % (escape(title), ns, escape(text)))
    page("Template:Bench", 10, "Bench template linking [[Bench target]].")
    for i in range(1, n + 1):
        page("Bench embed %05d" % i, 0, "Page %d embeds {{Bench}} and links [[Main Page]]." % i)
    f.write("</mediawiki>\n")
PY
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" -v f="${2:-%.2f}" 'BEGIN { printf f, b - a }'; }
jobs_left() {
  curl -fs "$api?action=query&meta=siteinfo&siprop=statistics&format=json" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["query"]["statistics"]["jobs"])'
}
# wait_jobs → seconds until the job queue is empty (polled every 0.1 s)
wait_jobs() {
  local t0
  t0=$(now)
  until [ "$(jobs_left)" = 0 ]; do sleep 0.1; done
  since "$t0"
}
t0=$(now)
target/release/wikid --data-dir "$work/data" --sitename Refwiki import "$work/embeds.xml" >/dev/null 2>&1
t_import=$(since "$t0")
t_fill=$(wait_jobs)
echo
rate=$(awk -v n="$((EMBEDS + 1))" -v t="$t_import" 'BEGIN { if (t > 0) printf "%.0f", n / t; else print "-" }')
echo "import of $((EMBEDS + 1)) pages (one revision each): ${t_import}s = ${rate} revisions/s; link tables filled by the job queue in ${t_fill}s more"

titles_of() {
  curl -fs "$1?action=query&list=allpages&apnamespace=0&aplimit=$2&format=json" |
    python3 -c 'import json,sys; print("|".join(p["title"] for p in json.load(sys.stdin)["query"]["allpages"]))'
}
# purge_run URL C TITLES COOKIE → "req/s p50 p99 errors"
purge_run() {
  BENCH_TITLES="$3" run "$1" "$2" scripts/bench/purge.lua "Cookie: $4"
}
printf "\n%-16s %4s | %12s %9s %9s %6s" "purge (bot)" "c" "wikid req/s" "p50" "p99" "errors"
[ -n "$mcookie" ] && printf " | %12s %9s %9s %8s %6s" "MW req/s" "p50" "p99" "ratio" "errors"
printf "\n"
for n in 1 50; do
  wtitles=$(titles_of "$api" "$n")
  mtitles=""
  [ -n "$mcookie" ] && mtitles=$(titles_of "$REFWIKI_API" "$n")
  label="purge-$n-title"
  [ "$n" = 1 ] || label="${label}s"
  for c in 1 16; do
    read -r rps p50 p99 err < <(purge_run "$api" "$c" "$wtitles" "$wcookie")
    printf "%-16s %4s | %12s %9s %9s %6s" "$label" "$c" "$rps" "$p50" "$p99" "$err"
    if [ -n "$mcookie" ]; then
      read -r mrps mp50 mp99 merr < <(purge_run "$REFWIKI_API" "$c" "$mtitles" "$mcookie")
      ratio=$(awk -v a="$rps" -v b="$mrps" 'BEGIN { if (b > 0) printf "%.0fx", a / b; else print "-" }')
      printf " | %12s %9s %9s %8s %6s" "$mrps" "$mp50" "$mp99" "$ratio" "$merr"
    fi
    printf "\n"
  done
done
# forcerecursivelinkupdate on Template:Bench: the request's time, then the time
# until the queued link updates of the embedding pages have all run.
t0=$(now)
answer=$(curl -fs -H "Cookie: $wcookie" \
  --data "action=purge&titles=Template:Bench&forcerecursivelinkupdate=1&format=json" "$api")
t_req=$(since "$t0" "%.3f")
case "$answer" in *'"linkupdate"'*) ;; *) echo "unexpected purge answer: $answer" >&2 ;; esac
t_jobs=$(wait_jobs)
t_total=$(since "$t0")
echo "forcerecursivelinkupdate, template in $EMBEDS pages: request ${t_req}s;" \
  "job queue empty ${t_jobs}s later (${t_total}s in all)"

# action=parse of a 50 KB page (POSTed text, so every request parses; the
# template Box exists on both wikis).
python3 scripts/bench-parse-text.py >"$work/page.wiki"
python3 - "$work/page.wiki" "$work/parse.body" <<'PY'
import sys, urllib.parse
text = open(sys.argv[1]).read()
body = urllib.parse.urlencode({"action": "parse", "format": "json", "title": "Bench page",
    "text": text, "disablelimitreport": "1", "contentmodel": "wikitext"})
open(sys.argv[2], "w").write(body)
PY
cat >"$work/parse.lua" <<LUA
local f = io.open("$work/parse.body", "r")
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
LUA
curl -fs -o /dev/null "$api?action=query&format=json" || true
runpost() {
  local url=$1 c=$2 threads=1
  [ "$c" -gt 1 ] && threads=2
  wrk -t"$threads" -c"$c" -d"${DURATION}s" --latency -s "$work/parse.lua" "$url" 2>&1 | awk '
    /Requests\/sec/ { rps = $2 }
    /^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 }
    /Non-2xx or 3xx/ { err += $NF } /Socket errors/ { err += 1 }
    END { printf "%s %s %s %d\n", rps, p50, p99, err }'
}
for c in 1 4; do
  read -r rps p50 p99 err < <(runpost "$api" "$c")
  printf "%-16s %4s | %12s %9s %9s %6s" "parse-50KB" "$c" "$rps" "$p50" "$p99" "$err"
  if [ $ref_up = 1 ]; then
    read -r mrps mp50 mp99 _ < <(runpost "$REFWIKI_API" "$c")
    ratio=$(awk -v a="$rps" -v b="$mrps" 'BEGIN { if (b > 0) printf "%.0fx", a / b; else print "-" }')
    printf " | %12s %9s %9s %8s" "$mrps" "$mp50" "$mp99" "$ratio"
  fi
  printf "\n"
done

for name in "${WRITE_NAMES[@]}"; do
  for c in 1 16; do
    read -r rps p50 p99 err < <(run "$api" "$c" "${SCRIPT[$name]}")
    printf "%-16s %4s | %12s %9s %9s %6s" "$name" "$c" "$rps" "$p50" "$p99" "$err"
    if [ $ref_up = 1 ]; then
      read -r mrps mp50 mp99 merr < <(run "$REFWIKI_API" "$c" "${SCRIPT[$name]}")
      ratio=$(awk -v a="$rps" -v b="$mrps" 'BEGIN { if (b > 0) printf "%.0fx", a / b; else print "-" }')
      printf " | %12s %9s %9s %8s (MW errors %s)" "$mrps" "$mp50" "$mp99" "$ratio" "$merr"
    fi
    printf "\n"
  done
done
rss=$(awk '/VmHWM/ { print $2 " " $3 }' "/proc/$pid/status")
echo "wikid peak RSS: $rss"
[ $ref_up = 1 ] || echo "(reference MediaWiki not reachable at $REFWIKI_API: wikid figures only)"

# --- Delete and undelete (issue 6): small pages/s, long histories, peak RSS ----------
echo
scripts/bench/delete.sh ${DURATION:+$([ "$DURATION" = 2 ] && echo --quick)}
