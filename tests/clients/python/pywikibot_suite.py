"""pywikibot (PyPI), unmodified, against the test wiki.

A family file and user-config.py are written for the wiki under $PYWIKIBOT_DIR
at start; pywikibot talks to nothing but that wiki.
"""
import os
import pathlib
import sys
import urllib.parse

from steps import Steps, env, expect, unique

API = env("WIKI_API")
BOT_USER = env("WIKI_BOT_USER")  # Admin@ci
BOT_PASS = env("WIKI_BOT_PASS")
ACCOUNT, APPID = BOT_USER.split("@", 1)

url = urllib.parse.urlsplit(API)
conf = pathlib.Path(env("PYWIKIBOT_DIR"))
(conf / "families").mkdir(parents=True, exist_ok=True)
(conf / "families" / "__init__.py").write_text("")
(conf / "families" / "wikidtest_family.py").write_text(f'''\
"""Family file for the client-test wiki (written by tests/clients/python/pywikibot_suite.py)."""
from pywikibot import family


class Family(family.Family):
    name = "wikidtest"
    langs = {{"en": {url.netloc!r}}}

    def scriptpath(self, code):
        return {url.path.rsplit("/api.php", 1)[0]!r}

    def protocol(self, code):
        return {url.scheme!r}
''')
(conf / "user-config.py").write_text(f'''\
family = "wikidtest"
mylang = "en"
family_files["wikidtest"] = {str(conf / "families" / "wikidtest_family.py")!r}
usernames["wikidtest"]["en"] = {ACCOUNT!r}
password_file = "user-password.py"
put_throttle = 0
max_retries = 1
retry_wait = 1
write_maxlag = 5
noisysleep = 1000
''')
pw = conf / "user-password.py"
pw.write_text(f"({ACCOUNT!r}, BotPassword({APPID!r}, {BOT_PASS!r}))\n")
pw.chmod(0o600)

import pywikibot  # noqa: E402  (reads PYWIKIBOT_DIR at import)

s = Steps("pywikibot")
site = pywikibot.Site("en", "wikidtest")


def login():
    site.login()
    expect(site.logged_in(), "not logged in")
    expect(site.user() == ACCOUNT, f"user is {site.user()!r}")
    expect(site.has_right("delete"), "the bot password session lacks the delete right")


s.step("login with a bot password; userinfo lists the grant's rights", login)
s.step("siteinfo: generator is MediaWiki 1.39", lambda: expect(
    site.mw_version >= "1.39" and site.mw_version < "1.40", site.mw_version))

title = unique("Pywikibot client test")
page = pywikibot.Page(site, title)


def save():
    page.text = "Saved by pywikibot. [[Pywikibot link target]]"
    page.save(summary="pywikibot client test", bot=True)
    fresh = pywikibot.Page(site, title)
    expect(fresh.exists(), "page does not exist after save")
    expect(fresh.text == page.text, f"text is {fresh.text!r}")
    expect(fresh.latest_revision.user == ACCOUNT, "wrong author")


s.step("Page.save creates a page", save)


def save_again():
    page.text += "\nSecond revision."
    page.save(summary="second", minor=True)
    fresh = pywikibot.Page(site, title)
    expect(fresh.latest_revision.parentid > 0, "no parent revision")
    expect(len(list(fresh.revisions())) == 2, "expected two revisions")


s.step("Page.save adds a revision", save_again)


def listings():
    prefix = title.rsplit(" ", 1)[0]
    expect(page in list(site.allpages(prefix=prefix, total=10)), "allpages")
    expect(any(c["title"] == title for c in site.recentchanges(total=20)), "recentchanges")
    alice = pywikibot.User(site, env("WIKI_USER"))
    expect(alice.isRegistered() and "sysop" not in alice.groups(), "Alice")
    revs = list(pywikibot.Page(site, title).revisions(content=True))
    expect([r.comment for r in revs] == ["second", "pywikibot client test"], revs)


s.step("allpages, recentchanges, users and revisions", listings)
s.step("Page.purge(forcelinkupdate=True)", lambda: expect(
    page.purge(forcelinkupdate=True), "purge returned False"))


def purge_generator():
    prefix = title.rsplit(" ", 1)[0]
    gen = site.allpages(prefix=prefix, total=5)
    expect(site.purgepages(gen, forcelinkupdate=True), "purgepages returned False")


s.step("Site.purgepages with a generator", purge_generator)


def delete():
    page.delete(summary="pywikibot delete test", prompt=False)
    expect(not pywikibot.Page(site, title).exists(), "still exists")


s.step("Page.delete(summary=...) as a sysop bot", delete)


def deletion_log(action, comment):
    entries = list(site.logevents(logtype="delete", page=page, total=1))
    expect(len(entries) == 1, f"{len(entries)} log entries")
    e = entries[0]
    expect(e.action() == action, f"action {e.action()!r}")
    expect(e.user() == ACCOUNT, f"user {e.user()!r}")
    expect(e.comment() == comment, f"comment {e.comment()!r}")
    expect(e.page().title() == title, f"title {e.page().title()!r}")
    e.timestamp()


s.step("the deletion log shows the delete", deletion_log, "delete", "pywikibot delete test")


def deleted_revisions():
    revs = list(page.loadDeletedRevisions())
    expect(len(revs) == 2, f"{len(revs)} deleted revisions")


s.step("Page.loadDeletedRevisions lists both revisions", deleted_revisions)


def page_undelete():
    page.undelete(summary="pywikibot undelete test")
    fresh = pywikibot.Page(site, title)
    expect(fresh.exists(), "not restored")
    expect(len(list(fresh.revisions())) == 2, "revisions not all restored")


s.step("Page.undelete restores every revision", page_undelete)
s.step("the deletion log shows the restore", deletion_log, "restore", "pywikibot undelete test")


def site_undelete():
    p = pywikibot.Page(site, title)
    p.delete(summary="again", prompt=False)
    site.undelete(p, "pywikibot Site.undelete test")
    expect(pywikibot.Page(site, title).exists(), "not restored")


s.step("Site.undelete after a second delete", site_undelete)


def delete_missing():
    p = pywikibot.Page(site, unique("Pywikibot never created"))
    try:
        p.delete(summary="nothing", prompt=False)
    except pywikibot.exceptions.Error as e:
        expect("missingtitle" in str(e) or "does not exist" in str(e) or "NoPage" in type(e).__name__,
               f"{type(e).__name__}: {e}")
        return True
    raise AssertionError("deleting a missing page did not fail")


s.step("Page.delete of a missing page fails", delete_missing)
s.done()
