#!/usr/bin/env bash
# Real MediaWiki clients, unmodified, against a test wiki:
#
#   tests/clients/run.sh [--target wikid|mediawiki] [SUITE...]
#
# --target wikid (default) starts `wikid serve --ephemeral --fixture tests/clients/fixture.toml`
# on a free port; --target mediawiki uses the reference MediaWiki 1.39 of
# ../shared/reference-wiki/ (http://127.0.0.1:8080/w/api.php, /tmp/refwiki/credentials.env).
# Suites: pywikibot mwclient mwn api-testing seeds mwapi (default: all).
# Installs pinned clients into target/clients-venv, target/clients-node and
# target/clients-rust. Prints one line per suite and `clients: N passed, M failed`.
# Exits non-zero when a step fails that tests/clients/expected-failures.txt does not
# list (steps waiting for work in progress elsewhere; wikid target only).
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
CLIENTS=$ROOT/tests/clients
TARGET=wikid
SUITES=()
while [ $# -gt 0 ]; do
  case "$1" in
    --target) TARGET=$2; shift 2 ;;
    --target=*) TARGET=${1#--target=}; shift ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) SUITES+=("$1"); shift ;;
  esac
done
[ ${#SUITES[@]} -gt 0 ] || SUITES=(pywikibot mwclient mwn api-testing seeds mwapi)
case "$TARGET" in wikid|mediawiki) ;; *) echo "unknown target $TARGET" >&2; exit 2 ;; esac

LOGS=$ROOT/target/clients-logs/$TARGET
mkdir -p "$LOGS"
VENV=$ROOT/target/clients-venv
NODE_DIR=$ROOT/target/clients-node
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

echo "== clients: installing (pinned)"
t0=$(now)
if [ ! -x "$VENV/bin/python" ]; then
  python3.11 -m venv "$VENV" 2>/dev/null || python3 -m venv "$VENV"
fi
if ! cmp -s "$CLIENTS/python/requirements.txt" "$VENV/.requirements.txt"; then
  "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$CLIENTS/python/requirements.txt" \
    && cp "$CLIENTS/python/requirements.txt" "$VENV/.requirements.txt"
fi
mkdir -p "$NODE_DIR"
if ! cmp -s "$CLIENTS/node/package-lock.json" "$NODE_DIR/package-lock.json" || [ ! -d "$NODE_DIR/node_modules" ]; then
  cp "$CLIENTS/node/package.json" "$CLIENTS/node/package-lock.json" "$NODE_DIR/"
  (cd "$NODE_DIR" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
CARGO_TARGET_DIR=$ROOT/target/clients-rust cargo build --quiet --locked \
  --manifest-path "$CLIENTS/rust/Cargo.toml" 2>&1 | tail -20
command -v php >/dev/null || echo "   (php is not installed: the PHP demo will fail; apt-get install php-cli php-curl)"
echo "   installed in $(secs "$t0" "$(now)")s"

WIKID_PID=
cleanup() { [ -n "$WIKID_PID" ] && kill "$WIKID_PID" 2>/dev/null && wait "$WIKID_PID" 2>/dev/null; }
trap cleanup EXIT

if [ "$TARGET" = wikid ]; then
  cargo build --quiet --locked --bins
  t0=$(now)
  WIKID_SECRET_KEY=wikid-clients-test \
  "$ROOT/target/debug/wikid" serve --ephemeral --fixture "$CLIENTS/fixture.toml" \
    --listen 127.0.0.1:0 >"$LOGS/wikid.out" 2>"$LOGS/wikid.log" &
  WIKID_PID=$!
  for _ in $(seq 1 500); do
    grep -q '^wikid is serving' "$LOGS/wikid.out" 2>/dev/null && break
    kill -0 "$WIKID_PID" 2>/dev/null || break
    sleep 0.01
  done
  WIKI_API=$(sed -n 's/^wikid is serving //p' "$LOGS/wikid.out")
  if [ -z "$WIKI_API" ]; then echo "wikid did not start:"; cat "$LOGS/wikid.log"; exit 1; fi
  echo "== wikid --ephemeral --fixture: answering at $WIKI_API after $(secs "$t0" "$(now)")s"
  eval "$("$VENV/bin/python" - "$CLIENTS/fixture.toml" <<'PY'
import sys, tomllib, shlex
f = tomllib.load(open(sys.argv[1], "rb"))
admin = next(u for u in f["users"] if "sysop" in u.get("groups", []))
user = next(u for u in f["users"] if not u.get("groups"))
bot = f["bot_passwords"][0]
for k, v in {"WIKI_ADMIN_USER": admin["name"], "WIKI_ADMIN_PASS": admin["password"],
             "WIKI_USER": user["name"], "WIKI_USER_PASS": user["password"],
             "WIKI_BOT_USER": f'{bot["user"]}@{bot["appid"]}', "WIKI_BOT_PASS": bot["password"]}.items():
    print(f"export {k}={shlex.quote(v)}")
PY
)"
  # The secret key given to wikid above, for api-testing's Special:RunJobs calls.
  export WIKI_SECRET_KEY=wikid-clients-test
else
  CRED=${REFWIKI_DIR:-/tmp/refwiki}/credentials.env
  if [ ! -r "$CRED" ]; then echo "no $CRED: start the reference wiki (sudo ../shared/reference-wiki/setup.sh)"; exit 1; fi
  # shellcheck disable=SC1090
  . "$CRED"
  WIKI_API=$REFWIKI_API
  export WIKI_ADMIN_USER=$REFWIKI_ADMIN_USER WIKI_ADMIN_PASS=$REFWIKI_ADMIN_PASS \
    WIKI_USER=$REFWIKI_USER WIKI_USER_PASS=$REFWIKI_USER_PASS \
    WIKI_BOT_USER=$REFWIKI_BOT_USER WIKI_BOT_PASS=$REFWIKI_BOT_PASS
  # $wgSecretKey as in force: RefwikiSettings.php (included last) overrides LocalSettings.php.
  WIKI_SECRET_KEY=$(cat "${REFWIKI_DIR:-/tmp/refwiki}"/{LocalSettings,RefwikiSettings}.php 2>/dev/null \
    | sed -n "s/^\\\$wgSecretKey = [\"']\\([^\"']*\\)[\"'];.*/\\1/p" | tail -1)
  export WIKI_SECRET_KEY
  echo "== MediaWiki at $WIKI_API"
fi
export WIKI_API WIKI_TARGET=$TARGET
export NODE_PATH=$NODE_DIR/node_modules
export PYWIKIBOT_DIR=$ROOT/target/clients-pywikibot-$TARGET PYWIKIBOT_NO_USER_CONFIG=
rm -rf "$PYWIKIBOT_DIR"; mkdir -p "$PYWIKIBOT_DIR"

# api-testing's own config format: the wiki root, the root user, $wgSecretKey.
"$VENV/bin/python" - "$LOGS/api-testing.json" <<'PY'
import json, os, sys
json.dump({"base_uri": os.environ["WIKI_API"].rsplit("api.php", 1)[0], "main_page": "Main_Page",
           "root_user": {"name": os.environ["WIKI_ADMIN_USER"], "password": os.environ["WIKI_ADMIN_PASS"]},
           "secret_key": os.environ["WIKI_SECRET_KEY"]}, open(sys.argv[1], "w"), indent=1)
PY
export API_TESTING_CONFIG_FILE=$LOGS/api-testing.json

suite_cmd() {
  case "$1" in
    pywikibot) echo "$VENV/bin/python -W ignore::DeprecationWarning $CLIENTS/python/pywikibot_suite.py" ;;
    mwclient) echo "$VENV/bin/python -W ignore::DeprecationWarning $CLIENTS/python/mwclient_suite.py" ;;
    mwn) echo "node $CLIENTS/node/mwn_suite.js" ;;
    api-testing)
      local core=${MW_API_TESTING_DIR:-$CLIENTS/api-testing/mediawiki-core}
      echo "node $NODE_DIR/node_modules/mocha/bin/mocha.js --no-config --timeout 60000 --reporter $CLIENTS/api-testing/reporter.js $CLIENTS/api-testing/specs/*.js $(ls "$core"/*.js 2>/dev/null | tr '\n' ' ')" ;;
    seeds) echo "$VENV/bin/python $CLIENTS/seeds/run_seeds.py" ;;
    mwapi) echo "$ROOT/target/clients-rust/debug/wikid-client-mwapi" ;;
    *) echo "" ;;
  esac
}

SUMMARY=()
TOTAL_P=0; TOTAL_F=0
for suite in "${SUITES[@]}"; do
  cmd=$(suite_cmd "$suite")
  if [ -z "$cmd" ]; then echo "unknown suite $suite" >&2; exit 2; fi
  echo "== $suite ($TARGET)"
  t0=$(now)
  (cd "$CLIENTS" && timeout 300 $cmd) >"$LOGS/$suite.log" 2>&1
  took=$(secs "$t0" "$(now)")
  grep -E '^  (ok|FAIL) ' "$LOGS/$suite.log"
  line=$(grep -E "^$suite: [0-9]+ passed, [0-9]+ failed" "$LOGS/$suite.log" | tail -1)
  p=$(echo "$line" | sed -n 's/.*: \([0-9]*\) passed.*/\1/p'); f=$(echo "$line" | sed -n 's/.* \([0-9]*\) failed.*/\1/p')
  if [ -z "$line" ]; then
    echo "   $suite printed no summary; its log ($LOGS/$suite.log) ends:"; tail -15 "$LOGS/$suite.log" | sed 's/^/   | /'
    p=0; f=1
  fi
  TOTAL_P=$((TOTAL_P + p)); TOTAL_F=$((TOTAL_F + f))
  SUMMARY+=("$(printf '  %-12s %3d passed, %3d failed  %6ss' "$suite" "$p" "$f" "$took")")
done

# Failures listed in expected-failures.txt (wikid only) do not fail the run.
UNEXPECTED=0; EXPECTED=0
while IFS= read -r fail; do
  suite=${fail%%:*}; step=${fail#*:  FAIL }; step=${step%%: *}
  if [ "$TARGET" = wikid ] && grep -qF -- "$suite | $step" "$CLIENTS/expected-failures.txt"; then
    EXPECTED=$((EXPECTED + 1))
  else
    UNEXPECTED=$((UNEXPECTED + 1)); echo "unexpected failure: $suite | $step"
  fi
done < <(cd "$LOGS" && for s in "${SUITES[@]}"; do grep -E '^  FAIL ' "$s.log" | sed "s/^/$s:/"; done)
while IFS= read -r s; do
  suite=${s%% | *}; step=${s#* | }
  [ -f "$LOGS/$suite.log" ] && grep -qF -- "  ok   $step" "$LOGS/$suite.log" \
    && echo "now passing (remove from tests/clients/expected-failures.txt): $suite | $step"
done < <([ "$TARGET" = wikid ] && grep -vE '^\s*(#|$)' "$CLIENTS/expected-failures.txt" | sed 's/  *#.*//')

echo "== client suites against $TARGET"
printf '%s\n' "${SUMMARY[@]}"
[ "$EXPECTED" -gt 0 ] && echo "  ($EXPECTED of the failures are listed in tests/clients/expected-failures.txt)"
echo "clients: $TOTAL_P passed, $TOTAL_F failed"
[ "$UNEXPECTED" -eq 0 ]
