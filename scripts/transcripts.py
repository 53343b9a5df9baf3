#!/usr/bin/env python3
"""Replay the real MediaWiki's recorded transcripts against a fresh wikid, with a ratchet.

    scripts/transcripts.py                 # build nothing; use target/debug/wikid
    scripts/transcripts.py --wikid PATH    # another binary
    scripts/transcripts.py --bless         # add newly matching steps to the ratchet

It starts wikid on a free port with a fresh data directory, configured like the
reference wiki (site "Refwiki", the job-queue maxlag test header), creates the
accounts the scenarios use, records every scenario with the reference wiki's own
capture.py, and compares the recording with the real MediaWiki's transcripts using
compare.py. Then, on the same server, it records this repository's own scenarios
(tests/transcripts/scenarios/, with scripts/scenarios.py) and compares them with
their recordings from the real MediaWiki in tests/transcripts/reference/ (steps
`query#N`). `tests/transcripts/PASSING` lists the steps that must match: a listed
step that fails is a regression (exit 1). Steps that match but are not listed are
printed, so they can be added with --bless; the list only grows.
"""
import argparse
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.dont_write_bytecode = True
import scenarios  # noqa: E402  (our own scenarios: recorder and comparison)

REFWIKI = Path(os.environ.get("WIKID_REFWIKI_DIR", ROOT.parent / "shared" / "reference-wiki"))
PASSING = ROOT / "tests" / "transcripts" / "PASSING"

# Differences that are facts of the installation, not API behaviour (the reference
# wiki's README lists them): wikid runs no PHP and has its own SQLite version.
IGNORE = [
    r".*:response\.body\.query\.general\.(phpversion|phpsapi|dbversion)$",
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_up(url, proc, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"wikid exited early with status {proc.returncode}")
        try:
            with urllib.request.urlopen(url + "?action=query&format=json", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"wikid did not answer at {url} within {timeout}s")


def run_wikid_cli(wikid, data_dir, args):
    """Runs an operator command of wikid; returns True when it exists and succeeded."""
    r = subprocess.run([str(wikid), "--data-dir", str(data_dir), "--sitename", "Refwiki", *args],
                       capture_output=True, text=True)
    if r.returncode != 0:
        # Say why: a failed account setup shows up much later as failed logins.
        print(f"wikid {' '.join(args[:2])} failed: {r.stderr.strip()[-500:]}", file=sys.stderr)
    return r.returncode == 0


def record(wikid, work):
    data = work / "data"
    port = free_port()
    api = f"http://127.0.0.1:{port}/w/api.php"
    pw = {k: "Pw-" + secrets.token_hex(12) for k in ("admin", "alice")}
    bot_pass = secrets.token_hex(16)
    config = work / "wikid.toml"
    config.write_text(
        'sitename = "Refwiki"\n'
        'jobqueue_maxlag_header = "X-Refwiki-Jobqueue-Maxlag"\n'
        # the reference wiki runs with an empty $wgDiff3: it never merges edits
        'merge_edit_conflicts = false\n'
    )
    env = work / "credentials.env"
    env.write_text(
        f"REFWIKI_API='{api}'\n"
        "REFWIKI_ADMIN_USER='Admin'\n"
        f"REFWIKI_ADMIN_PASS='{pw['admin']}'\n"
        "REFWIKI_BOT_USER='Admin@ci'\n"
        f"REFWIKI_BOT_PASS='{bot_pass}'\n"
        "REFWIKI_USER='Alice'\n"
        f"REFWIKI_USER_PASS='{pw['alice']}'\n"
    )
    # Accounts: made with wikid's operator commands where they exist (the API cannot
    # create bot passwords, as on MediaWiki).
    grants = ("basic,highvolume,editpage,editprotected,createeditmovepage,editmycssjs,"
              "editmyoptions,editinterface,editsiteconfig,patrol,rollback,delete,viewdeleted,"
              "protect,viewmywatchlist,editmywatchlist,uploadfile,uploadeditmovefile")
    log = open(work / "wikid.log", "w")
    proc = subprocess.Popen(
        [str(wikid), "--config", str(config), "--data-dir", str(data), "serve",
         "--listen", f"127.0.0.1:{port}", "--admin-user", "Admin",
         "--admin-password", pw["admin"]],
        stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_up(api, proc)
        have_cli = run_wikid_cli(wikid, data, ["user", "set-groups", "Admin", "sysop,bureaucrat,bot"])
        if have_cli:
            run_wikid_cli(wikid, data, ["user", "create", "Alice", "--password", pw["alice"]])
            run_wikid_cli(wikid, data, ["botpassword", "create", "Admin", "ci",
                                        "--grants", grants, "--password", bot_pass])
        out = work / "out"
        cmd = [sys.executable, str(REFWIKI / "capture.py"), "--api", api, "--env", str(env),
               "--out", str(out)]
        if os.environ.get("WIKID_TRANSCRIPTS_FIXTURE", "1") != "1":
            cmd.append("--no-fixture")
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=1800)
        (work / "capture.log").write_text(r.stdout + r.stderr)
        own = work / "own"
        r = subprocess.run([sys.executable, str(ROOT / "scripts" / "scenarios.py"), "--api", api,
                            "--env", str(env), "--out", str(own)],
                           capture_output=True, text=True, timeout=1800)
        (work / "scenarios.log").write_text(r.stdout + r.stderr)
        return out, own
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def compare(out, own, work):
    report = work / "report.json"
    ignore = [a for pattern in IGNORE for a in ("--ignore", pattern)]
    subprocess.run([sys.executable, str(REFWIKI / "compare.py"), str(REFWIKI / "transcripts"),
                    str(out), "--json", str(report), *ignore], capture_output=True, text=True)
    text = subprocess.run([sys.executable, str(REFWIKI / "compare.py"),
                           str(REFWIKI / "transcripts"), str(out), "--quiet-soft", *ignore],
                          capture_output=True, text=True).stdout
    (work / "compare.txt").write_text(text)
    # our own scenarios against their recordings from the real MediaWiki
    own_report = work / "report-own.json"
    cmd = scenarios.compare_cmd(scenarios.REFERENCE_OUT, own, work / "own-compared", ignore)
    subprocess.run(cmd + ["--json", str(own_report)], capture_output=True, text=True)
    text = subprocess.run(cmd + ["--quiet-soft"], capture_output=True, text=True).stdout
    (work / "compare-own.txt").write_text(text)
    status = {}
    titles = {}
    for path in (report, own_report):
        _read_report(path, status, titles)
    return status, titles


def _read_report(report, status, titles):
    data = json.loads(report.read_text())
    for sc in data["scenarios"]:
        for st in sc["steps"]:
            if st.get("expected_step") is None:
                continue
            key = f"{sc['name']}#{st['expected_step']}"
            status[key] = st["status"]
            titles[key] = st.get("title", "")


def load_passing():
    if not PASSING.exists():
        return []
    keys = []
    for line in PASSING.read_text().splitlines():
        line = line.split("  ", 1)[0].strip()
        if line and not line.startswith("#"):
            keys.append(line)
    return keys


def sort_key(k):
    name, _, n = k.partition("#")
    return (name, int(n))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--wikid", default=str(ROOT / "target" / "debug" / "wikid"))
    ap.add_argument("--bless", action="store_true", help="add newly matching steps to PASSING")
    ap.add_argument("--keep", metavar="DIR", help="keep the recording and reports in DIR")
    args = ap.parse_args()
    wikid = Path(args.wikid)
    if not wikid.exists():
        raise SystemExit(f"no wikid binary at {wikid} (cargo build first)")
    if not (REFWIKI / "capture.py").exists():
        raise SystemExit(f"reference wiki tools not found in {REFWIKI}")
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="wikid-transcripts-"))
    work.mkdir(parents=True, exist_ok=True)
    out, own = record(wikid, work)
    status, titles = compare(out, own, work)
    ok = {k for k, v in status.items() if v in ("match", "soft")}
    required = load_passing()
    regressions = [k for k in required if k not in ok]
    new = sorted((k for k in ok if k not in set(required)), key=sort_key)
    by_scenario = {}
    for k in status:
        name = k.split("#")[0]
        m, t = by_scenario.get(name, (0, 0))
        by_scenario[name] = (m + (k in ok), t + 1)
    print("transcript parity with MediaWiki 1.39 (steps matching / recorded):")
    for name in sorted(by_scenario):
        m, t = by_scenario[name]
        print(f"  {name:<10} {m:>4} / {t}")
    print(f"  {'all':<10} {len(ok):>4} / {len(status)}")
    if new:
        print(f"{len(new)} matching step(s) not yet in {PASSING.relative_to(ROOT)}:")
        for k in new:
            print(f"  {k}  {titles.get(k, '')}")
    if regressions:
        print(f"REGRESSION: {len(regressions)} step(s) listed in PASSING no longer match:")
        for k in regressions:
            print(f"  {k}  {titles.get(k, '')}")
        print(f"details: {work / 'compare.txt'} and {work / 'compare-own.txt'}")
    if args.bless and not regressions:
        keys = sorted(set(required) | ok, key=sort_key)
        PASSING.parent.mkdir(parents=True, exist_ok=True)
        PASSING.write_text(
            "# Transcript steps (scenario#step) that must match the real MediaWiki.\n"
            "# Written by scripts/transcripts.py --bless; the list only grows.\n"
            + "".join(f"{k}  {titles.get(k, '')}\n" for k in keys))
        print(f"blessed: {len(keys)} steps in {PASSING.relative_to(ROOT)}")
    print(f"transcript ratchet: {len(required) - len(regressions)} of {len(required)} required steps match")
    return 1 if regressions else 0


if __name__ == "__main__":
    sys.exit(main())
