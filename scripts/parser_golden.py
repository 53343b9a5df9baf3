#!/usr/bin/env python3
"""Records golden parser outputs from the reference MediaWiki.

Reads src/wiki/parser/golden.txt (cases separated by lines of `----case NAME`),
asks the reference's action=parse for each (title "Test page", no limit report)
and writes src/wiki/parser/golden.json: [{name, text, html, links, templates,
categories, externallinks, sections}]. Run when the reference answers:
    python3 scripts/parser_golden.py [http://127.0.0.1:8080/w/api.php]
"""
import json
import sys
import urllib.parse
import urllib.request

API = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8080/w/api.php"
SRC = "src/wiki/parser/golden.txt"
OUT = "src/wiki/parser/golden.json"

cases = []
name, buf = None, []
for line in open(SRC, encoding="utf-8").read().split("\n"):
    if line.startswith("----case "):
        if name is not None:
            cases.append((name, "\n".join(buf).rstrip("\n")))
        name, buf = line[len("----case "):].strip(), []
    else:
        buf.append(line)
if name is not None:
    cases.append((name, "\n".join(buf).rstrip("\n")))

out = []
for name, text in cases:
    data = urllib.parse.urlencode({
        "action": "parse", "format": "json", "formatversion": "2", "title": "Test page",
        "text": text, "disablelimitreport": "1", "contentmodel": "wikitext",
        "prop": "text|links|templates|categories|externallinks|sections|images|iwlinks|properties",
    }).encode()
    with urllib.request.urlopen(API, data) as r:
        p = json.load(r)["parse"]
    html = p["text"]
    pre, post = '<div class="mw-parser-output">', "</div>"
    if html.startswith(pre) and html.endswith(post):
        html = html[len(pre):-len(post)]
    out.append({
        "name": name, "text": text, "html": html,
        "links": [[l["ns"], l["title"], l["exists"]] for l in p["links"]],
        "templates": [[l["ns"], l["title"], l["exists"]] for l in p["templates"]],
        "categories": [[c["category"], c["sortkey"]] for c in p["categories"]],
        "externallinks": p["externallinks"],
        "images": p["images"],
        "sections": [[s["level"], s["line"], s["index"], s["byteoffset"], s["anchor"]] for s in p["sections"]],
        "properties": p["properties"],
    })
json.dump(out, open(OUT, "w", encoding="utf-8"), indent=1, ensure_ascii=False)
print(f"{len(out)} cases written to {OUT}")
