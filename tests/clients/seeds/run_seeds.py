"""Runs the API:Delete demo programs (Python, PHP, Node) unchanged but for URL and
credentials, and checks that each deleted its page."""
import ast
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

import requests

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "python"))
from steps import Steps, env, expect  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent
API = env("WIKI_API")
BOT_USER, BOT_PASS = env("WIKI_BOT_USER"), env("WIKI_BOT_PASS")

# file, interpreter, the title it deletes, {published text: ours}
DEMOS = [
    ("delete.py", [sys.executable], "Enter a page title", {
        '"https://test.wikipedia.org/w/api.php"': json.dumps(API),
        '"your_bot_username"': json.dumps(BOT_USER),
        '"your_bot_password"': json.dumps(BOT_PASS),
    }),
    ("delete.php", ["php"], "Sandbox", {
        '"http://dev.wiki.local.wmftest.net:8080/w/api.php"': json.dumps(API),
        '"bot_user_name"': json.dumps(BOT_USER),
        '"bot_password"': json.dumps(BOT_PASS),
    }),
    ("delete.js", ["node"], "Test", {
        '"http://dev.wiki.local.wmftest.net:8080/w/api.php"': json.dumps(API),
        '"bot_username"': json.dumps(BOT_USER),
        '"bot_password"': json.dumps(BOT_PASS),
    }),
]


def admin_session():
    s = requests.Session()
    t = s.get(API, params={"action": "query", "meta": "tokens", "type": "login",
                           "format": "json"}).json()["query"]["tokens"]["logintoken"]
    r = s.post(API, data={"action": "login", "lgname": BOT_USER, "lgpassword": BOT_PASS,
                          "lgtoken": t, "format": "json"}).json()
    assert r["login"]["result"] == "Success", r
    s.csrf = s.get(API, params={"action": "query", "meta": "tokens",
                                "format": "json"}).json()["query"]["tokens"]["csrftoken"]
    return s


def exists(s, title):
    r = s.get(API, params={"action": "query", "titles": title, "format": "json",
                           "formatversion": "2"}).json()
    return not r["query"]["pages"][0].get("missing", False)


def run_demo(s, name, cmd, title, subst):
    existed = exists(s, title)
    if not existed:
        r = s.post(API, data={"action": "edit", "title": title, "text": "To be deleted by a demo.",
                              "token": s.csrf, "format": "json"}).json()
        expect(r.get("edit", {}).get("result") == "Success", r)
    text = (HERE / name).read_text()
    for old, new in subst.items():
        expect(old in text, f"{old} not in {name}")
        text = text.replace(old, new)
    with tempfile.TemporaryDirectory() as tmp:
        (pathlib.Path(tmp) / name).write_text(text)
        env_ = dict(os.environ)
        p = subprocess.run([*cmd, name], cwd=tmp, capture_output=True, text=True, timeout=60,
                           env=env_)
    out = p.stdout.strip()
    expect(p.returncode == 0, f"exit {p.returncode}: {p.stderr.strip()[-500:]}")
    data = ast.literal_eval(out) if name.endswith(".py") else json.loads(out)
    try:
        expect(data.get("delete", {}).get("title") == title, data)
        expect(isinstance(data["delete"].get("logid"), int), data)
        expect(not exists(s, title), "the page still exists")
    finally:
        if existed and not exists(s, title):
            # Leave a shared reference wiki as it was.
            s.post(API, data={"action": "undelete", "title": title, "reason": "restore after demo",
                              "token": s.csrf, "format": "json"})


steps = Steps("seeds")
session = steps.step("log in to prepare the pages", admin_session)
if session is None:
    steps.done()
for name, cmd, title, subst in DEMOS:
    if shutil.which(cmd[0]) is None:
        steps.step(f"{name} (the published demo) deletes {title!r}",
                   lambda: expect(False, f"{cmd[0]} is not installed"))
        continue
    steps.step(f"{name} (the published demo) deletes {title!r}", run_demo, session, name, cmd,
               title, subst)
steps.done()
