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

# run URL CONCURRENCY → "req/s p50 p99 errors"
run() {
  local url=$1 c=$2 threads=1
  [ "$c" -gt 1 ] && threads=2
  wrk -t"$threads" -c"$c" -d"${DURATION}s" --latency "$url" 2>&1 | awk '
    /Requests\/sec/ { rps = $2 }
    /^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 }
    /Non-2xx or 3xx/ { err += $NF } /Socket errors/ { err += 1 }
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

rss=$(awk '/VmHWM/ { print $2 " " $3 }' "/proc/$pid/status")
echo "wikid peak RSS: $rss"
[ $ref_up = 1 ] || echo "(reference MediaWiki not reachable at $REFWIKI_API: wikid figures only)"
