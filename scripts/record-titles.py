#!/usr/bin/env python3
"""Record how the reference MediaWiki 1.39 parses page titles.

Sends every input below alone as `action=query&titles=` (prefixed with U+001F so
that `|` is part of the value), reads back `normalized`, `pages` and `interwiki`,
and writes tests/data/titles.json: a list of {"input": ..., "expect": {...}}
where expect is one of

  {"title": <prefixed text>, "ns": <namespace>}      a local title
  {"title": ..., "ns": -1 or -2, "special": true}    a Special: or Media: title
  {"title": ""}                                      no page (pure fragment)
  {"interwiki": <prefix>, "title": <prefix:rest>}    an interwiki title
  {"invalid": <invalidreason text>}                  an invalid title

When the reference's request-level cleanup changed the value (invalid UTF-8,
control characters, non-NFC text: a `fromencoded` normalisation), "input" is the
cleaned value that the title parser saw and "raw" the percent-encoded original.

Usage: scripts/record-titles.py [API_URL]   (default http://127.0.0.1:8080/w/api.php)
"""

import json
import os
import sys
import urllib.parse
import urllib.request

API = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8080/w/api.php"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data", "titles.json")

# Inputs: str, or bytes for values that are not valid UTF-8.
INPUTS = [
    # basics, spaces, underscores, case
    "Main Page", "main page", "main_page", "Main_Page", ":Main Page", "  sandbox   page  ",
    "Sandbox", "sandbox", "_Foo_", "Foo__bar", "Foo _ bar", ": Foo", ":_Foo", "Foo_", "a",
    "1984", "!bang", "'quote", "\"dq\"", "$money", "(paren)", "*star", "+plus", ",comma",
    "-dash", "/slash", "/", "=eq", "?q", "@at", "\\back", "^caret", "`tick", "~tilde", "~~",
    "Foo~~~bar", "~~~", "~~~~", "Foo:bar", "Foo: bar", "Foo :bar", "A:B:C", "12:30",
    # namespaces: canonical, local, aliases, case, spacing
    "Talk:Foo", "talk:foo", "TALK:Foo", "Talk : Foo", "Talk_:_Foo", "Talk__:__Foo",
    "User:Alice", "user:alice", "User talk:alice", "user_talk:alice", "USER TALK:Bob",
    "Project:About", "project:About", "PROJECT:About", "Refwiki:About", "refwiki:about",
    "Project talk:About", "project_talk:About", "Refwiki talk:About", "REFWIKI_talk:About",
    "File:Foo.png", "file:foo.png", "Image:Foo.png", "image:Foo.png", "Image talk:Foo.png",
    "image_talk:Foo.png", "File talk:Foo.png", "MediaWiki:Edit", "MediaWiki:edit",
    "mediawiki:Sidebar", "MediaWiki talk:Foo", "Template:Foo", "template:foo",
    "Template talk:Foo", "Help:Contents", "help:contents", "Help talk:Foo", "Category:Foo",
    "category:foo", "Category: Foo", "Category talk:Foo", "Media:Foo.png", "media:foo.png",
    "Special:RecentChanges", "Special:recentchanges", "special:RecentChanges/5",
    "Special:Random", "Special:random", "Special:RandomPage", "Special:Allpages",
    "Special:AllPages", "Special:allpages/Foo bar", "Special:Whatlinkshere/Main Page",
    "Special:Contributions/127.0.0.1", "Special:Nope", "Special:nope", "Special:Login",
    "Special:Userlogin", "Special:BlankPage", "Special:Search", "Special:search/foo",
    "Special:Version", "Special:Preferences", "Special:Watchlist", "Special:MyPage",
    "Special:SpecialPages", "Special:ListUsers", "Special:Users", "Special:Newimages",
    "Special:UploadWizard", "Special:Export/Foo", "Special:Log/delete", "Special:",
    "User:Help:Foo", "Help:User:Foo", "Category:Talk:Foo", "Main:Foo", "Article:Foo",
    "Talk:", "User:", "Category:", "Special:", "Talk: ", "Talk:#frag",
    # talk-namespace rule
    "Talk:File:X", "Talk:Talk:X", "Talk:User:X", "Talk:Project:X", "Talk:Image:X",
    "Talk:wikipedia:Foo", "Talk:en:Foo", "Talk:Foo:Bar", "User talk:File:X",
    "Talk:Special:X", "Talk:Media:X", "File talk:Talk:X",
    # interwikis
    "wikipedia:Foo", "Wikipedia:foo bar", "WIKIPEDIA:Foo", "wikipedia:", "wikipedia::Foo",
    "wikipedia:Talk:Foo", "wikipedia:foo#bar", "mediawikiwiki:Manual:Foo", "mw:Help:Foo",
    "wikt:word", "commons:File:X.jpg", "en:Foo", "de:Foo", "fr:Foo", "wikipedia : Foo",
    "gentoo-wiki:Foo", "google:foo", "wikipedia:Foo[bar]", "wikipedia:~~~",
    ":wikipedia:Foo", "Talk:wikipedia", "wikipedia:en:Foo",
    # fragments
    "Foo#bar", "Foo#bar baz", "Foo#bar_baz", "Foo #bar", "Foo_#bar", "#frag", "#",
    "Foo#", "Foo#bar[baz", "Talk:Foo#bar", "Foo#bar#baz", "Foo#~~~",
    # invalid characters
    "Foo[", "Foo]", "A|B", "Foo{bar}", "Foo<bar>", "Ünïcode <&>/Test", "Foo\tbar",
    "Foo\nbar", "Foo\rbar", "Foo\x7fbar", "Foo%20bar", "Foo%2", "Foo%zz", "100%", "Foo%C3%A9",
    "A&foo;", "A&foo", "Foo&bar", "A & B", "A&#;", "A&#x;", "[[Foo]]", "{{Foo}}",
    # character references
    "A&amp;B", "A&eacute;", "A&#65;", "A&#x41;", "A&#X41;", "&#0;x", "A&#x110000;",
    "A&#1114111;", "A&#99999999999999999999;", "A&#xD800;", "A&#xfffe;", "&lt;Foo&gt;",
    "Foo&#91;", "Foo&#124;bar", "Foo&nbsp;bar", "Foo&#160;bar", "&amp;", "A&AMP;B",
    "A&eacute", "A&Eacute;", "&eacute;clair", "Cafe&#x301;", "A&foo;B&amp;", "A&#32;B",
    "A&#95;B", "A&#58;B", "Talk&#58;Foo", "&#x200E;Foo", "A&ZeroWidthSpace;B",
    "A&NotNestedGreaterGreater;", "A&ngE;", "A&fjlig;",
    # bidi marks and whitespace characters
    "Foo\u200ebar", "Foo\u200fbar", "\u202aFoo\u202c", "Foo\u202ebar", "Foo\u200b bar",
    "Foo\u00a0bar", "\u00a0", "\u00a0Foo\u00a0", "Foo\u1680bar", "Foo\u180ebar",
    "Foo\u2000bar", "Foo\u2005bar", "Foo\u200abar", "Foo\u2028bar", "Foo\u2029bar",
    "Foo\u202fbar", "Foo\u205fbar", "Foo\u3000bar", "Foo \u00a0 _ bar", "Foo\u2009:\u2009Bar",
    "Talk\u00a0:\u00a0Foo", "User\u3000talk:Foo", "\u200e",
    # capitalisation
    "ßtest", "ǆemo", "ǅemo", "iTest", "ıdot", "éclair", "ωmega", "ﬀoo", "ŉapos", "ꞵeta",
    "ⓐbc", "𐐨deseret", "ǰx", "_lower", "`tick", "Tal\u212a:Foo", "\u017fpecial:Foo",
    "user:ßob", "category:éclair", "wikipedia:ßtest",
    # IP addresses in User namespaces
    "User:127.0.0.1", "User:127.000.000.001", "User:001.2.3.04", "User:1.2.3.4/24",
    "User:1.2.3.256", "User:::1", "User:::", "User:::/0", "user talk:2001:db8::ff00:42:8329",
    "User:2001:DB8:0:0:0:0:0:1", "User:2001:0db8:0000::0001", "User:fe80::1/64",
    "User:1::", "User:1:2:3:4:5:6:7:8", "User:1:2:3:4:5:6:7::", "User:1::2::3",
    "User:abcd::ef", "User talk:10.0.0.1", "Talk:::1", "User:1.2.3", "User:::ffff:1.2.3.4",
    # relative paths
    ".", "..", "./a", "../a", "Foo/./bar", "Foo/../bar", "Foo/.", "Foo/..", "Foo/...",
    "...", ".foo", "Foo.", "a/.b", "Talk:./Foo", "Talk:..", "Foo/.bar",
    # leading colons
    "::Foo", ":::Foo", ":", "::", ": :Foo", "Talk::Foo", "User::Foo", "wikipedia:::Foo",
    # lengths
    "a" * 255, "a" * 256, "\u00e9" * 127 + "a", "\u00e9" * 128, "Talk:" + "b" * 255,
    "Talk:" + "b" * 256, "Special:" + "c" * 300, "Special:" + "c" * 512,
    "Special:" + "c" * 513, "\u00e9" * 127 + "a#" + "x" * 300,
    # invalid UTF-8 and request-level cleanup
    b"Bad\xffbyte", b"\xc3", b"Foo\xed\xa0\x80", "Foo\ufffdbar", "Foo\x01bar", "\x00",
    "Cafe\u0301", "cafe\u0301", "Foo\ufffe", "Foo\x0bbar",
]


def query(value):
    raw = value if isinstance(value, bytes) else value.encode("utf-8")
    body = urllib.parse.urlencode(
        {"action": "query", "format": "json", "formatversion": "2", "titles": b"\x1f" + raw}
    ).encode("ascii")
    req = urllib.request.Request(API, data=body, headers={"User-Agent": "wikid-record-titles"})
    with urllib.request.urlopen(req) as resp:
        return json.loads(resp.read().decode("utf-8"))


def record(value):
    q = query(value).get("query", {})
    name = value
    raw = None
    normalized = q.get("normalized", [])
    for n in normalized:
        if n.get("fromencoded"):
            raw = n["from"]
            name = n["to"]
    if isinstance(name, bytes):
        raise SystemExit(f"no cleaned value reported for {value!r}")
    to = name
    for n in normalized:
        if not n.get("fromencoded") and n["from"] == name:
            to = n["to"]
    expect = None
    for iw in q.get("interwiki", []):
        expect = {"interwiki": iw["iw"], "title": iw["title"]}
    for p in q.get("pages", []):
        if p.get("invalid"):
            expect = {"invalid": p["invalidreason"]}
        else:
            expect = {"title": p["title"], "ns": p["ns"]}
            if p.get("special"):
                expect["special"] = True
    if expect is None:
        # No page entry: a pure fragment (normalised to "").
        expect = {"title": to}
    case = {"input": name, "expect": expect}
    if raw is not None:
        case["raw"] = raw
    return case


def main():
    seen = set()
    cases = []
    for value in INPUTS:
        if value in seen:
            continue
        seen.add(value)
        cases.append(record(value))
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(cases, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"{len(cases)} cases written to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
