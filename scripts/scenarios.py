#!/usr/bin/env python3
"""Record wikid's own transcript scenarios (tests/transcripts/scenarios/*.py).

    scripts/scenarios.py --reference            # re-record the committed reference
                                                # recordings from the reference wiki
    scripts/scenarios.py --api URL --env FILE --out DIR [--only query]
    scripts/scenarios.py --compare EXPECTED_DIR ACTUAL_DIR

The scenarios use the request recorder of the reference wiki's capture.py
(imported as a module from ../shared/reference-wiki, or $WIKID_REFWIKI_DIR), so
the files they write have capture.py's format and compare.py compares them with
tests/transcripts/reference/<scenario>.json.  scripts/transcripts.py replays them
against a fresh wikid.

--reference records from the reference MediaWiki described by
$REFWIKI_DIR/credentials.env (default /tmp/refwiki) into tests/transcripts/reference/.
Run capture.py against the same reference first (as scripts/transcripts.py does
on wikid), so that both wikis hold the same pages besides the scenario's own.

Between the edits and the queries a scenario waits until the job queue is
empty: on wikid through meta=siteinfo statistics, on the reference by counting
the rows of its job table (--jobs-db; MediaWiki caches the statistics count).
Those polls are not recorded.
"""
import argparse
import datetime
import importlib.util
import json
import os
import sqlite3
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REFWIKI = Path(os.environ.get("WIKID_REFWIKI_DIR", ROOT.parent / "shared" / "reference-wiki"))
SCENARIO_DIR = ROOT / "tests" / "transcripts" / "scenarios"
REFERENCE_OUT = ROOT / "tests" / "transcripts" / "reference"


def load_capture():
    sys.path.insert(0, str(REFWIKI))
    sys.dont_write_bytecode = True
    import capture  # noqa: E402  (the reference wiki's recorder)
    return capture


def load_scenarios():
    found = {}
    for path in sorted(SCENARIO_DIR.glob("*.py")):
        spec = importlib.util.spec_from_file_location(f"wikid_scenario_{path.stem}", path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        found[mod.NAME] = mod
    return found


def job_waiter(api, jobs_db, user_agent, log):
    import requests

    def jobs_now():
        if jobs_db:
            con = sqlite3.connect(f"file:{jobs_db}?mode=ro", uri=True, timeout=30)
            try:
                return con.execute("SELECT COUNT(*) FROM job").fetchone()[0]
            finally:
                con.close()
        r = requests.get(api, params={"action": "query", "meta": "siteinfo",
                                      "siprop": "statistics", "format": "json",
                                      "formatversion": "2"},
                         headers={"User-Agent": user_agent}, timeout=30)
        return r.json()["query"]["statistics"]["jobs"]

    def wait(timeout=300):
        # deferred updates of the last request may still be running: give them
        # a moment, then require two empty looks in a row
        time.sleep(1.5)
        deadline = time.time() + timeout
        empty = 0
        while time.time() < deadline:
            n = jobs_now()
            empty = empty + 1 if n == 0 else 0
            if empty >= 2:
                time.sleep(0.5)
                return
            time.sleep(0.5)
        log(f"job queue not empty after {timeout}s; going on")
    return wait


def record(api, env_file, out, only=None, jobs_db=None):
    capture = load_capture()
    env = capture.load_env(env_file)
    api = api or env["REFWIKI_API"]
    # the scenario's start instant: the next whole second, waited for, so that
    # what ran before (e.g. capture.py's scenarios) falls before it and
    # everything the scenario does falls at or after it
    now = datetime.datetime.now(datetime.timezone.utc)
    start = now.replace(microsecond=0) + datetime.timedelta(seconds=1)
    time.sleep((start - now).total_seconds() + 0.05)
    ctx = {
        "api": api,
        "admin_user": env["REFWIKI_ADMIN_USER"], "admin_pass": env["REFWIKI_ADMIN_PASS"],
        "bot_user": env["REFWIKI_BOT_USER"], "bot_pass": env["REFWIKI_BOT_PASS"],
        "user": env["REFWIKI_USER"], "user_pass": env["REFWIKI_USER_PASS"],
        "started": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "ts14": start.strftime("%Y%m%d%H%M%S"),
        "iso": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    ctx["secrets"] = dict(sorted({
        ctx["bot_pass"]: "${REFWIKI_BOT_PASS}",
        ctx["admin_pass"]: "${REFWIKI_ADMIN_PASS}",
        ctx["user_pass"]: "${REFWIKI_USER_PASS}",
    }.items(), key=lambda kv: -len(kv[0])))
    import requests
    si = requests.get(api, params={"action": "query", "meta": "siteinfo", "format": "json",
                                   "formatversion": "2"},
                      headers={"User-Agent": capture.USER_AGENT}, timeout=30).json()
    ctx["generator"] = si["query"]["general"]["generator"]
    wait = job_waiter(api, jobs_db, capture.USER_AGENT, print)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    failed = 0
    for name, mod in load_scenarios().items():
        if only and name not in only:
            continue
        try:
            sc = mod.run(ctx, capture.Scenario, wait)
        except (AssertionError, LookupError, TypeError, ValueError,
                requests.RequestException) as e:
            sc = ctx.get("_current")
            if sc is None or sc.name != name:
                raise
            sc.aborted = f"{type(e).__name__}: {e}"[:500]
            failed += 1
            print(f"  [{name}] ABORTED after {len(sc.steps)} steps: {sc.aborted}")
        path = sc.save(out)
        doc = json.loads(path.read_text())
        doc["prefix_stamp"] = ctx["ts14"]
        path.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n")
        print(f"wrote {path} ({len(sc.steps)} steps)")
    return 1 if failed else 0


# ---------------------------------------------------------------- comparing

FIXED_STAMP = "20000101000000"


def normalize(doc):
    """The recording with its run's title stamp replaced by a fixed one.

    The stamp shows in titles, URLs, continuation values and, as hex digits of
    the upper-cased title, in category sort keys; compare.py masks 14-digit
    timestamps but cannot know the hex form.
    """
    stamp = doc.get("prefix_stamp")
    if not stamp:
        return doc
    text = json.dumps(doc, ensure_ascii=False)
    text = text.replace(stamp, FIXED_STAMP)
    text = text.replace(stamp.encode().hex(), FIXED_STAMP.encode().hex())
    return _mask_page_ids(json.loads(text))


# page ids compare.py does not know as ids (prop=info inprop=talkid|subjectid)
EXTRA_ID_KEYS = {"talkid", "subjectid"}


def _mask_page_ids(o, key=None):
    if isinstance(o, dict):
        return {k: _mask_page_ids(v, k) for k, v in o.items()}
    if isinstance(o, list):
        return [_mask_page_ids(v, key) for v in o]
    if key in EXTRA_ID_KEYS and isinstance(o, int) and not isinstance(o, bool) and o > 0:
        return "<int id>"
    return o


def ignore_patterns(doc):
    """compare.py --ignore patterns from the steps' "compare_ignore" lists."""
    pats = []
    name = doc.get("scenario", "")
    for st in doc.get("steps", []):
        for rx in st.get("compare_ignore", []):
            pats.append(f"^{name}#{st['step']}{rx}")
    return pats


def prepare(expected_dir, actual_dir, work):
    """Normalized copies of both sides in work/{expected,actual}; the ignore list."""
    work = Path(work)
    pats = []
    for side, src in (("expected", expected_dir), ("actual", actual_dir)):
        dst = work / side
        dst.mkdir(parents=True, exist_ok=True)
        for f in sorted(Path(src).glob("*.json")):
            doc = normalize(json.loads(f.read_text()))
            if side == "expected":
                pats += ignore_patterns(doc)
            (dst / f.name).write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n")
    return work / "expected", work / "actual", pats


def compare_cmd(expected_dir, actual_dir, work, extra=()):
    """The compare.py command line for two prepared directories."""
    e, a, pats = prepare(expected_dir, actual_dir, work)
    ign = [x for rx in pats for x in ("--ignore", rx)]
    return [sys.executable, str(REFWIKI / "compare.py"), str(e), str(a), *ign, *extra]


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    refdir = Path(os.environ.get("REFWIKI_DIR", "/tmp/refwiki"))
    ap.add_argument("--reference", action="store_true",
                    help=f"record from the reference wiki into {REFERENCE_OUT.relative_to(ROOT)}")
    ap.add_argument("--env", help="credentials.env (default: $REFWIKI_DIR/credentials.env)")
    ap.add_argument("--api", help="API URL (default: REFWIKI_API from --env)")
    ap.add_argument("--out", help="output directory")
    ap.add_argument("--only", nargs="*", help="run only these scenarios")
    ap.add_argument("--compare", nargs=2, metavar=("EXPECTED", "ACTUAL"),
                    help="compare two recordings (directories) with compare.py, after "
                         "replacing each run's title stamp by a fixed one")
    ap.add_argument("--jobs-db", help="SQLite file of the target's job table (reference: "
                                      "$REFWIKI_DIR/data/refwiki_jobqueue.sqlite)")
    args = ap.parse_args()
    if args.compare:
        import subprocess
        import tempfile
        work = tempfile.mkdtemp(prefix="wikid-scenarios-")
        cmd = compare_cmd(args.compare[0], args.compare[1], work, ["--quiet-soft"])
        return subprocess.run(cmd).returncode
    env = args.env or str(refdir / "credentials.env")
    out = args.out
    jobs_db = args.jobs_db
    if args.reference:
        out = out or str(REFERENCE_OUT)
        jobs_db = jobs_db or str(refdir / "data" / "refwiki_jobqueue.sqlite")
    if not out:
        ap.error("--out DIR or --reference is needed")
    return record(args.api, env, out, args.only, jobs_db)


if __name__ == "__main__":
    sys.exit(main())
