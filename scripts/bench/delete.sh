#!/usr/bin/env bash
# Delete/undelete bench (called by scripts/bench.sh, or alone):
#   * deletes/s and undeletes/s of small pages (wrk + scripts/bench/delete.lua, as
#     Admin in a bot-password session), wikid and the reference MediaWiki;
#   * the time to delete a page of 1 000 and of 100 000 revisions (loaded with
#     `wikid import` / MediaWiki's importDump.php, not HTTP edits) and wikid's peak
#     RSS (VmHWM) around it.
#
#   scripts/bench/delete.sh [--quick]
# Figures are printed, never asserted.
set -euo pipefail
cd "$(dirname "$0")/../.."

DURATION=10
PAGES=4000      # small pages per wrk thread for wikid
REF_PAGES=150   # per thread for the reference (made by HTTP edits, slow there)
BIG=100000
if [ "${1:-}" = "--quick" ]; then DURATION=2; PAGES=800; REF_PAGES=20; BIG=20000; fi
REFWIKI_API="${REFWIKI_API:-http://127.0.0.1:8080/w/api.php}"
REFWIKI_CONF="${REFWIKI_CONF:-/tmp/refwiki/LocalSettings.php}"
command -v wrk >/dev/null || { echo "bench needs wrk" >&2; exit 1; }
cargo build --release --locked --bins -q

work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
WIKID=target/release/wikid
WIKID_LOG=warn $WIKID --data-dir "$work/data" --sitename Refwiki serve \
  --listen "127.0.0.1:$port" --admin-password "bench-$RANDOM-password" >"$work/wikid.log" 2>&1 &
pid=$!
api="http://127.0.0.1:$port/w/api.php"
for _ in $(seq 100); do curl -fs "$api?action=query&format=json" >/dev/null && break; sleep 0.1; done
$WIKID --data-dir "$work/data" user set-groups Admin sysop,bureaucrat,bot >/dev/null
pass=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
$WIKID --data-dir "$work/data" botpassword create Admin bench \
  --grants basic,highvolume,editpage,createeditmovepage,delete --password "$pass" >/dev/null

cred() { sed -n "s/^$1='\(.*\)'\$/\1/p" /tmp/refwiki/credentials.env 2>/dev/null; }
REF_USER="${REFWIKI_BOT_USER:-$(cred REFWIKI_BOT_USER)}"
REF_PASS="${REFWIKI_BOT_PASS:-$(cred REFWIKI_BOT_PASS)}"
ref_up=0
[ -n "$REF_PASS" ] && curl -fs -m 2 "$REFWIKI_API?action=query&format=json" >/dev/null 2>&1 && ref_up=1

# helper API USER PASS CMD... : logs in; `session` prints "cookie token";
# `create PREFIX THREADS N` makes the pages; `delete TITLE` times one delete.
helper() {
  python3 - "$@" <<'PY'
import sys, time, requests
api, user, pw, cmd, *args = sys.argv[1:]
s = requests.Session()
t = s.get(api, params={"action": "query", "meta": "tokens", "type": "login", "format": "json"}).json()
t = t["query"]["tokens"]["logintoken"]
r = s.post(api, data={"action": "login", "lgname": user, "lgpassword": pw, "lgtoken": t, "format": "json"}).json()
assert r["login"]["result"] == "Success", r
tok = s.get(api, params={"action": "query", "meta": "tokens", "format": "json"}).json()["query"]["tokens"]["csrftoken"]
if cmd == "session":
    c = "; ".join(f"{k}={v}" for k, v in s.cookies.items())
    print(c)
    print(tok)
elif cmd == "create":
    prefix, threads, n = args[0], int(args[1]), int(args[2])
    for th in range(1, threads + 1):
        for i in range(1, n + 1):
            s.post(api, data={"action": "edit", "title": f"{prefix}{th}-{i}", "text": f"small page {i}",
                              "summary": "bench", "token": tok, "format": "json"})
elif cmd == "delete":
    t0 = time.time()
    r = s.post(api, data={"action": "delete", "title": args[0], "reason": "bench", "token": tok,
                          "format": "json"}).json()
    print(f"{time.time() - t0:.2f} {'ok' if 'delete' in r else r.get('error', {}).get('code', '?')}"
          f"{' scheduled' if r.get('delete', {}).get('scheduled') is not None else ''}")
PY
}

# wrkrun URL ACTION PREFIX COOKIE TOKEN → "successes/s api-errors" (errors: the
# pages ran out, or a refusal)
wrkrun() {
  local url=$1 path="/${1#*://*/}"
  BENCH_ACTION=$2 BENCH_PREFIX=$3 BENCH_COOKIE=$4 BENCH_TOKEN=$5 BENCH_API_PATH="$path" \
    wrk -t2 -c2 -d"${DURATION}s" -s scripts/bench/delete.lua "$url" 2>&1 |
    awk -v d="$DURATION" '/^api-ok/ { ok = $2 } /^api-errors/ { err = $2 }
      END { printf "%.1f %d\n", ok / d, err }'
}

rss() { awk '/^(VmHWM|VmRSS)/ { sub(":", "", $1); printf "%s=%dMB ", $1, $2 / 1024 }' "/proc/$pid/status"; }

echo "== delete/undelete of small pages (2 connections, ${DURATION}s)"
helper "$api" Admin@bench "$pass" create "Bench del " 2 "$PAGES"
{ read -r wcookie; read -r wtoken; } < <(helper "$api" Admin@bench "$pass" session)
read -r d_rps d_err < <(wrkrun "$api" delete "Bench del " "$wcookie" "$wtoken")
read -r u_rps u_err < <(wrkrun "$api" undelete "Bench del " "$wcookie" "$wtoken")
printf "%-10s | %10s %8s | %10s %8s\n" "" "deletes/s" "errors" "undel/s" "errors"
printf "%-10s | %10s %8s | %10s %8s\n" wikid "$d_rps" "$d_err" "$u_rps" "$u_err"
if [ $ref_up = 1 ]; then
  prefix="Bench del $RANDOM "
  helper "$REFWIKI_API" "$REF_USER" "$REF_PASS" create "$prefix" 2 "$REF_PAGES"
  { read -r mcookie; read -r mtoken; } < <(helper "$REFWIKI_API" "$REF_USER" "$REF_PASS" session)
  read -r md_rps md_err < <(wrkrun "$REFWIKI_API" delete "$prefix" "$mcookie" "$mtoken")
  read -r mu_rps mu_err < <(wrkrun "$REFWIKI_API" undelete "$prefix" "$mcookie" "$mtoken")
  printf "%-10s | %10s %8s | %10s %8s   (%d pages per thread)\n" \
    MediaWiki "$md_rps" "$md_err" "$mu_rps" "$mu_err" "$REF_PAGES"
fi

echo "== delete of one page with a long history"
for n in 1000 "$BIG"; do
  title="Big history $n"
  python3 scripts/bench/gen_history.py "$title" "$n" >"$work/big.xml"
  $WIKID --data-dir "$work/data" import "$work/big.xml" >/dev/null 2>&1
  before=$(rss)
  read -r secs outcome < <(helper "$api" Admin@bench "$pass" delete "$title")
  printf "wikid     %7d revisions: %6ss (%s)  before: %s after: %s\n" "$n" "$secs" "$outcome" "$before" "$(rss)"
  if [ $ref_up = 1 ] && [ -r "$REFWIKI_CONF" ] && [ "$n" -le 1000 ]; then
    rtitle="$title $RANDOM"
    python3 scripts/bench/gen_history.py "$rtitle" "$n" >"$work/ref.xml"
    php /usr/share/mediawiki/maintenance/importDump.php --conf "$REFWIKI_CONF" "$work/ref.xml" >/dev/null 2>&1 || true
    read -r rsecs routcome < <(helper "$REFWIKI_API" "$REF_USER" "$REF_PASS" delete "$rtitle")
    printf "MediaWiki %7d revisions: %6ss (%s)\n" "$n" "$rsecs" "$routcome"
  fi
done
