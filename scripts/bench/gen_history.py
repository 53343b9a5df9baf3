#!/usr/bin/env python3
"""Writes a MediaWiki XML export of one page with N revisions (for the delete bench:
big histories are loaded with `wikid import` / importDump.php, not HTTP edits).

    scripts/bench/gen_history.py TITLE N > page.xml
"""
import sys
from datetime import datetime, timedelta, timezone
from xml.sax.saxutils import escape

title, n = sys.argv[1], int(sys.argv[2])
out = sys.stdout
out.write('<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11" xml:lang="en">\n')
out.write(f"  <page>\n    <title>{escape(title)}</title>\n    <ns>0</ns>\n")
start = datetime(2020, 1, 1, tzinfo=timezone.utc)
for i in range(n):
    ts = (start + timedelta(seconds=i)).strftime("%Y-%m-%dT%H:%M:%SZ")
    text = f"Revision {i} of {title}. " + "x" * (i % 50)
    out.write(
        f"    <revision>\n      <timestamp>{ts}</timestamp>\n"
        f"      <contributor><username>Bench{i % 7}</username></contributor>\n"
        f"      <comment>edit {i}</comment>\n      <model>wikitext</model>\n"
        f"      <format>text/x-wiki</format>\n"
        f"      <text xml:space=\"preserve\">{escape(text)}</text>\n    </revision>\n")
out.write("  </page>\n</mediawiki>\n")
