#!/usr/bin/env bash
# The benchmark suite of issue 8 (see BENCHMARKS.md): builds wikid and
# wikid-bench in release mode, then runs wikid-bench with the given options.
#
#   scripts/bench.sh                  # full: 100 000 pages, 10 s per run, c = 1, 4, 16, 64
#   scripts/bench.sh --quick          # CI size: 2 000 pages, 1 s per run, c = 1, 4
#   scripts/bench.sh --pages 20000 --out bench-report-20k
#   scripts/bench.sh --target wikid   # skip MediaWiki even when it answers
#   scripts/bench.sh --help           # every option
#
# wikid-bench starts wikid on a fresh data directory, loads a corpus generated
# from a seed with `wikid import`, measures with its own HTTP load generator
# (hyper, one keep-alive connection per virtual user), does the same against
# the reference MediaWiki when it answers (--mw-api, --mw-env) and against a
# bare axum handler (the floor), and writes report.md, results.json and PNG
# plots into --out (default bench-report/). Figures are printed, never asserted.
set -euo pipefail
cd "$(dirname "$0")/.."
# Two builds, so that wikid is built with exactly the features of a plain
# `cargo build --release` (one build of the workspace would unify features).
cargo build --release --locked --bins -q
cargo build --release --locked -p wikid-bench -q
BENCH_COMMAND="scripts/bench.sh $*" exec target/release/wikid-bench "$@"
