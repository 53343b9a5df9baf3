#!/bin/sh
# Runs the seed's Python delete demo (tests/clients/delete_demo.py) against a
# fresh wikid: makes the bot password and the page it deletes, runs it, and
# checks that it prints MediaWiki's answer shape; then the PHP/curl demo (with a
# cookie jar) on the page Sandbox when PHP is installed.
#   tests/clients/run_delete_demo.sh [path/to/wikid]
set -eu
WIKID=${1:-target/debug/wikid}
DIR=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$WIKID" --data-dir "$DIR" serve --listen "127.0.0.1:$PORT" --admin-password Demo-Admin-Password-1 >"$DIR/log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; rm -rf "$DIR"' EXIT
API="http://127.0.0.1:$PORT/w/api.php"
for _ in $(seq 50); do curl -sf "$API?action=query&format=json" >/dev/null && break; sleep 0.1; done
"$WIKID" --data-dir "$DIR" user set-groups Admin sysop,bureaucrat,bot >/dev/null
PASS=0123456789abcdefghijklmnopqrstuv
"$WIKID" --data-dir "$DIR" botpassword create Admin demo --grants basic,editpage,createeditmovepage,delete --password $PASS >/dev/null
curl -sf "$API" --data-urlencode action=edit --data-urlencode title=Enter_a_page_title \
  --data-urlencode text='Page for the demo' --data-urlencode 'token=+\' --data-urlencode format=json >/dev/null
OUT=$(WIKID_API=$API WIKID_BOT_USER=Admin@demo WIKID_BOT_PASS=$PASS python3 "$(dirname "$0")/delete_demo.py")
echo "$OUT"
echo "$OUT" | grep -q "{'delete': {'title': 'Enter a page title', 'reason': 'the reason for deletion', 'logid': [0-9]*}}"
if command -v php >/dev/null 2>&1; then
  curl -sf "$API" --data-urlencode action=edit --data-urlencode title=Sandbox \
    --data-urlencode text='Sandbox for the PHP demo' --data-urlencode 'token=+\' --data-urlencode format=json >/dev/null
  DEMO=$(cd "$(dirname "$0")" && pwd)/delete_demo.php
  OUT=$(cd "$DIR" && WIKID_API=$API WIKID_BOT_USER=Admin@demo WIKID_BOT_PASS=$PASS php "$DEMO")
  echo "$OUT"
  echo "$OUT" | grep -q '^{"delete":{"title":"Sandbox","reason":"content was: .*","logid":[0-9]*}}$'
fi
