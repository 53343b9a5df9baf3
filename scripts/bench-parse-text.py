#!/usr/bin/env python3
"""Writes a ~50 KB wikitext page with common markup (headings, lists, links,
templates, tables, external links, quotes) to stdout, for the parse bench."""
import sys

parts = []
i = 0
while sum(len(p) for p in parts) < 50_000:
    i += 1
    parts.append(f"""== Section {i} ==
Some '''bold''' and ''italic'' text with a [[Main Page|link]], a [[Missing page {i}]] and
[[Sandbox]]s. An external [https://example.org/{i} link] and http://free.example/{i}.
{{{{Box|Boxed text number {i}}}}}
* item one with [[Box demo A]]
* item two
** nested {i}
# numbered
: indented

{{| class="wikitable"
! A !! B
|-
| {i} || [[Category:Bench{i % 5}]]
|}}
""")
sys.stdout.write("".join(parts))
