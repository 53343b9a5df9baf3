#!/usr/bin/env bash
# End-to-end: a real Varnish in front of wikid. A page view is cached by Varnish; a
# template it transcludes changes (no job runner, so nothing else touches the page);
# Varnish keeps serving the stale view, wikid's own view too; action=purge of the
# page re-renders it and sends HTTP PURGE to Varnish, which then serves it fresh.
#   scripts/test-cdn.sh [path/to/wikid]
set -euo pipefail
cd "$(dirname "$0")/.."
WIKID=${1:-target/debug/wikid}
VARNISHD=$(command -v varnishd || true)
[ -n "$VARNISHD" ] || VARNISHD=/usr/sbin/varnishd
if [ ! -x "$VARNISHD" ]; then
  echo "cdn: varnishd not installed (apt-get install varnish)"
  echo "cdn: 0 passed, 1 failed"
  exit 1
fi

work=$(mktemp -d)
chmod 755 "$work"   # varnishd's workers run as an unprivileged user
cleanup() {
  [ -n "${wpid:-}" ] && kill "$wpid" 2>/dev/null || true
  [ -f "$work/varnish.pid" ] && kill "$(cat "$work/varnish.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
WPORT=$(port); VPORT=$(port)

cat >"$work/wikid.toml" <<EOF2
sitename = "Refwiki"
server = "http://127.0.0.1:$VPORT"
cdn_servers = ["127.0.0.1:$VPORT"]
run_jobs = false
create_main_page = false
EOF2
"$WIKID" --config "$work/wikid.toml" --data-dir "$work/data" serve --listen "127.0.0.1:$WPORT" \
  --admin-password "cdn-test-$RANDOM-pass" >"$work/wikid.log" 2>&1 &
wpid=$!

cat >"$work/default.vcl" <<EOF2
vcl 4.1;
backend default { .host = "127.0.0.1"; .port = "$WPORT"; }
acl purgers { "127.0.0.1"; }
sub vcl_recv {
  if (req.method == "PURGE") {
    if (client.ip !~ purgers) { return (synth(405)); }
    return (purge);
  }
  if (req.method != "GET" && req.method != "HEAD") { return (pass); }
  unset req.http.Cookie;
  return (hash);
}
sub vcl_deliver {
  set resp.http.X-Cache = (if (obj.hits > 0) { "HIT" } else { "MISS" });
}
EOF2
# vcl 4.1 has no inline if-expression; rewrite vcl_deliver plainly.
python3 - "$work/default.vcl" <<'PY'
import sys
p = sys.argv[1]; s = open(p).read()
s = s.replace('set resp.http.X-Cache = (if (obj.hits > 0) { "HIT" } else { "MISS" });',
              'if (obj.hits > 0) { set resp.http.X-Cache = "HIT"; } else { set resp.http.X-Cache = "MISS"; }')
open(p, "w").write(s)
PY
if ! "$VARNISHD" -a "127.0.0.1:$VPORT" -f "$work/default.vcl" -n "$work/varnish" -s malloc,32m \
  -P "$work/varnish.pid" >"$work/varnish.log" 2>&1; then
  cat "$work/varnish.log"
  echo "cdn: 0 passed, 1 failed"
  exit 1
fi

api="http://127.0.0.1:$WPORT/w/api.php"
for _ in $(seq 100); do curl -fs "$api?action=query&format=json" >/dev/null 2>&1 && break; sleep 0.1; done
for _ in $(seq 100); do curl -fs -o /dev/null "http://127.0.0.1:$VPORT/w/api.php?action=query&format=json" 2>/dev/null && break; sleep 0.1; done

passed=0; failed=0
check() { # NAME CONDITION-RESULT
  if [ "$2" = 0 ]; then passed=$((passed + 1)); echo "  ok   $1"; else failed=$((failed + 1)); echo "  FAIL $1"; fi
}
edit() {
  curl -fs --data-urlencode "title=$1" --data-urlencode "text=$2" --data-urlencode 'token=+\' \
    --data "action=edit&format=json" "$api" | grep -q '"result":"Success"'
}
view() { curl -fs -D "$work/h" "http://127.0.0.1:$VPORT/wiki/$1"; }
cache() { tr -d '\r' <"$work/h" | awk -F': ' 'tolower($1)=="x-cache" {print $2}'; }

edit "Template:Cdn box" "old box text"
edit "Cdn page" "Before {{Cdn box}} after"

echo "cdn: Varnish on :$VPORT in front of wikid on :$WPORT"
view "Cdn_page" >"$work/v1"; c1=$(cache)
view "Cdn_page" >"$work/v2"; c2=$(cache)
check "first view is a miss, second a hit" "$([ "$c1" = MISS ] && [ "$c2" = HIT ]; echo $?)"
check "view shows the template" "$(grep -q 'old box text' "$work/v2"; echo $?)"

edit "Template:Cdn box" "new box text"
view "Cdn_page" >"$work/v3"; c3=$(cache)
check "after the template edit, Varnish serves the stale view" \
  "$([ "$c3" = HIT ] && grep -q 'old box text' "$work/v3"; echo $?)"
curl -fs "http://127.0.0.1:$WPORT/wiki/Cdn_page" >"$work/direct"
check "wikid's own view is stale too until a purge" "$(grep -q 'old box text' "$work/direct"; echo $?)"

curl -fs --data "action=purge&titles=Cdn_page&format=json" "$api" >"$work/purge.json"
check "purge answers purged" "$(grep -q '"purged":""' "$work/purge.json"; echo $?)"
fresh=1
for _ in $(seq 50); do
  view "Cdn_page" >"$work/v4"
  if grep -q 'new box text' "$work/v4"; then fresh=0; break; fi
  sleep 0.1
done
check "after action=purge, Varnish serves the fresh view" "$fresh"
view "Cdn_page" >"$work/v5"; c5=$(cache)
check "and caches it again" "$([ "$c5" = HIT ] && grep -q 'new box text' "$work/v5"; echo $?)"

curl -fs "http://127.0.0.1:$WPORT/wiki/Cdn_page" >"$work/direct2"
check "wikid's own view is fresh after the purge" "$(grep -q 'new box text' "$work/direct2"; echo $?)"
echo "cdn: $passed passed, $failed failed"
[ "$failed" = 0 ]
