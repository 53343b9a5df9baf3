#!/usr/bin/env python3
"""Fails when a help text in src/ is MediaWiki's own help prose.

Error and warning texts must match MediaWiki's (clients match them), but help texts
(`apihelp-*` messages) are MediaWiki's GPL prose and must be written in our own words.
This compares every string literal in src/ with MediaWiki's English `apihelp-*` and
`api-help-*` messages. It needs a MediaWiki installation to compare with (the
reference wiki's, /usr/share/mediawiki); without one it says so and passes.
"""
import json
import re
import sys
from pathlib import Path

MW = Path("/usr/share/mediawiki/includes/api/i18n/en.json")
ROOT = Path(__file__).resolve().parent.parent
# Interface sentences of the generated help page that the seed page shows and
# clients do not parse; they describe flags, not modules.
ALLOWED = {
    "api-help-flag-deprecated", "api-help-flag-internal", "api-help-flag-readrights",
    "api-help-flag-writerights", "api-help-flag-mustbeposted", "api-help-flag-generator",
}


def norm(s):
    s = re.sub(r"<[^>]+>", "", s)
    s = re.sub(r"\{\{[^}]*\}\}", "", s)
    s = re.sub(r"\[\[[^|\]]*\|([^\]]*)\]\]", r"\1", s)
    return re.sub(r"\s+", " ", s).strip().lower()


def main():
    if not MW.exists():
        print(f"help originality: skipped ({MW} not installed)")
        return 0
    theirs = {}
    for k, v in json.loads(MW.read_text()).items():
        if k.startswith("api-help-param-type-"):
            continue  # "Type: …" lines of the help page: names of types, not prose
        if k.startswith(("apihelp-", "api-help-")) and k not in ALLOWED:
            t = norm(v)
            if len(t) >= 20:
                theirs[t] = k
    hits = []
    for f in sorted(ROOT.glob("src/**/*.rs")):
        text = re.sub(r"\\\n\s*", " ", f.read_text())
        for m in re.finditer(r'"((?:[^"\\]|\\.)*)"', text):
            s = norm(m.group(1).replace('\\"', '"'))
            if s in theirs:
                hits.append(f"{f.relative_to(ROOT)}: {theirs[s]}: {s[:80]}")
    for h in hits:
        print("copied help text:", h)
    print(f"help originality: {len(hits)} copied text(s)")
    return 1 if hits else 0


if __name__ == "__main__":
    sys.exit(main())
