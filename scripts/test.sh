#!/usr/bin/env bash
# The project's test command: unit and integration tests (real server, real SQLite),
# then the transcript ratchet against the real MediaWiki's recordings.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -c 'import requests' 2>/dev/null || python3 -m pip install --quiet requests

cargo build --locked --bins
# No doctests: the crate has none, and an empty run would hide the real count.
cargo test --locked --lib --bins --tests 2>&1 | tee target/test-output.txt

echo
python3 scripts/transcripts.py --wikid target/debug/wikid
python3 scripts/check-help-originality.py

# One closing line for the whole run.
awk '/^test result:/ { p += $4; f += $6 } END { printf "all tests: %d passed, %d failed\n", p, f }' \
  target/test-output.txt
