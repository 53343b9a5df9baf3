"""mwclient (PyPI), unmodified, against the test wiki."""
import urllib.parse

import mwclient
from mwclient.errors import APIError

from steps import Steps, env, expect, unique

API = env("WIKI_API")
url = urllib.parse.urlsplit(API)
PATH = url.path.rsplit("api.php", 1)[0]  # "/w/"
BOT_USER, BOT_PASS = env("WIKI_BOT_USER"), env("WIKI_BOT_PASS")
ACCOUNT = BOT_USER.split("@", 1)[0]
USER, USER_PASS = env("WIKI_USER"), env("WIKI_USER_PASS")

s = Steps("mwclient")


def connect():
    return mwclient.Site(url.netloc, path=PATH, scheme=url.scheme,
                         clients_useragent="wikid-clients-test/0", max_retries=1)


site = s.step("Site(host, path=..., scheme='http') reads siteinfo", connect)
if site is None:
    s.done()


def login():
    site.login(BOT_USER, BOT_PASS)
    expect(site.logged_in, "not logged in")
    expect(site.username == ACCOUNT, f"username {site.username!r}")
    expect("delete" in site.rights, "no delete right listed")


s.step("login with a bot password", login)

title = unique("Mwclient client test")
page = site.pages[title]
s.step("a new title does not exist", lambda: expect(not page.exists, "exists"))


def edit():
    r = page.edit("Made by mwclient.", summary="mwclient create")
    expect(r["result"] == "Success", r)
    expect(site.pages[title].exists, "missing after edit")


s.step("page.edit creates the page", edit)


def save():
    p = site.pages[title]
    r = p.save(p.text() + "\nSecond revision.", summary="mwclient save", minor=True)
    expect(r["result"] == "Success" and "newrevid" in r, r)
    expect(site.pages[title].text().endswith("Second revision."), "text not saved")
    expect(len(list(site.pages[title].revisions())) == 2, "expected two revisions")


s.step("page.save adds a revision", save)
s.step("page.purge()", lambda: site.pages[title].purge())


def listings():
    prefix = title.rsplit(" ", 1)[0]
    expect(title in [p.name for p in site.allpages(prefix=prefix)], "allpages")
    rc = list(site.recentchanges(max_items=50, prop="title|user|timestamp|ids"))
    expect(any(c["title"] == title and c["user"] == ACCOUNT for c in rc), "recentchanges")
    users = list(site.users([USER, ACCOUNT], prop="groups|editcount"))
    expect([u["name"] for u in users] == [USER, ACCOUNT] and "sysop" in users[1]["groups"], users)
    revs = list(site.pages[title].revisions(prop="ids|timestamp|user|comment|content|size"))
    expect(len(revs) == 2 and revs[0]["comment"] == "mwclient save", revs)


s.step("allpages, recentchanges, users and revisions (fv1, continue=)", listings)


def delete():
    site.pages[title].delete(reason="mwclient delete")
    expect(not site.pages[title].exists, "still exists")


s.step("page.delete() and page.exists", delete)


def log(action, comment):
    entries = list(site.logevents(type="delete", title=title, max_items=1))
    expect(entries, "no log entry")
    e = entries[0]
    expect(e["action"] == action and e["user"] == ACCOUNT and e["comment"] == comment, e)


s.step("the deletion log (site.logevents)", log, "delete", "mwclient delete")


def undelete():
    r = site.api("undelete", title=title, reason="mwclient undelete",
                 token=site.get_token("csrf"))
    expect(r["undelete"]["title"] == title and r["undelete"]["revisions"] == 2, r)
    expect(site.pages[title].exists, "not restored")


s.step("undelete through site.api", undelete)
s.step("the deletion log shows the restore", log, "restore", "mwclient undelete")


def missingtitle():
    try:
        site.pages[unique("Mwclient never created")].delete(reason="x")
    except APIError as e:
        expect(e.code == "missingtitle", f"code {e.code!r}")
        return True
    raise AssertionError("no APIError")


s.step("APIError missingtitle when deleting a missing page", missingtitle)


def permissiondenied():
    alice = connect()
    alice.login(USER, USER_PASS)
    expect("delete" not in alice.rights, "a plain user may delete?")
    try:
        alice.api("delete", title=title, reason="not allowed", token=alice.get_token("csrf"))
    except APIError as e:
        expect(e.code == "permissiondenied", f"code {e.code!r}")
        expect(site.pages[title].exists, "deleted anyway")
        return True
    raise AssertionError("no APIError")


s.step("APIError permissiondenied when a plain user deletes", permissiondenied)
s.done()
