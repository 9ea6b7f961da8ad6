#!/usr/bin/python3
"""metacheck.py OUT BASE_URL PUBLISHER [ARTICLE=DATE_MODIFIED...]: page metadata.

Every *.html page under OUT has a non-empty <title>, a non-empty meta
description, a canonical link (absolute, under BASE_URL), and Open Graph
og:title, og:type, og:url (absolute) and og:description. Every
<script type="application/ld+json"> block is valid JSON (json.loads).
Article pages (YYYY/MM/slug/index.html that are not redirect pages) carry a
schema.org NewsArticle with headline, datePublished, dateModified (ISO 8601),
author (named) and publisher (named PUBLISHER); their canonical is their own
address. ARTICLE=DATE asks that the article at site path ARTICLE (e.g.
2019/05/x/) has a dateModified starting with DATE (from git).
Prints "PAGE: message" per finding; exits 1 when there is any.
"""
import json
import os
import re
import sys
from html.parser import HTMLParser

ISO_DATE = re.compile(r"^\d{4}-\d\d-\d\d(T\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)?)?$")
ARTICLE = re.compile(r"^\d{4}/\d\d/[^/]+/index\.html$")

findings = []


def bad(page, msg):
    findings.append("%s: %s" % (page, msg))


class Meta(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.titles = []
        self.meta = {}
        self.canonical = []
        self.ld = []
        self._in = None
        self._buf = []
        self.lang = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        elif tag == "title":
            self._in, self._buf = "title", []
        elif tag == "meta":
            key = a.get("name") or a.get("property")
            if key:
                self.meta.setdefault(key.lower(), []).append(a.get("content"))
        elif tag == "link" and "canonical" in (a.get("rel") or "").lower().split():
            self.canonical.append(a.get("href"))
        elif tag == "script" and (a.get("type") or "").lower() == "application/ld+json":
            self._in, self._buf = "ld", []

    def handle_endtag(self, tag):
        if self._in == "title" and tag == "title":
            self.titles.append("".join(self._buf))
            self._in = None
        elif self._in == "ld" and tag == "script":
            self.ld.append("".join(self._buf))
            self._in = None

    def handle_data(self, data):
        if self._in:
            self._buf.append(data)


def named(x):
    if isinstance(x, list):
        return len(x) > 0 and all(named(y) for y in x)
    return isinstance(x, dict) and isinstance(x.get("name"), str) and x["name"].strip() != ""


def check(out, rel, base, publisher, modified):
    with open(os.path.join(out, rel), encoding="utf-8", errors="replace") as fh:
        text = fh.read()
    m = Meta()
    m.feed(text)
    m.close()
    redirect = "http-equiv=\"refresh\"" in text.lower()
    if not m.lang:
        bad(rel, "<html> has no lang")
    if len(m.titles) != 1 or not m.titles[0].strip():
        bad(rel, "needs one non-empty <title> (found %d)" % len(m.titles))
    for key in ("description", "og:title", "og:type", "og:url", "og:description"):
        v = m.meta.get(key)
        if not v or v[0] is None or not v[0].strip():
            bad(rel, "no %s meta" % key)
        elif len(v) > 1:
            bad(rel, "%d %s metas" % (len(v), key))
    for key in ("og:url",):
        v = (m.meta.get(key) or [None])[0]
        if v and not v.startswith(base):
            bad(rel, "%s %r is not absolute under %s" % (key, v, base))
    if len(m.canonical) != 1 or not m.canonical[0]:
        bad(rel, "needs one canonical link (found %d)" % len(m.canonical))
    elif not m.canonical[0].startswith(base):
        bad(rel, "canonical %r is not absolute under %s" % (m.canonical[0], base))
    docs = []
    for i, block in enumerate(m.ld):
        try:
            docs.append(json.loads(block))
        except ValueError as e:
            bad(rel, "JSON-LD block %d is not valid JSON: %s" % (i + 1, e))
    if not ARTICLE.match(rel) or redirect:
        return
    own = base + rel[:-len("index.html")]
    if m.canonical and m.canonical[0] != own:
        bad(rel, "canonical %r is not the article's address %s" % (m.canonical[0], own))
    arts = [d for d in docs if isinstance(d, dict) and d.get("@type") == "NewsArticle"]
    if len(arts) != 1:
        bad(rel, "needs one schema.org NewsArticle JSON-LD block (found %d)" % len(arts))
        return
    a = arts[0]
    ctx = a.get("@context")
    if ctx not in ("https://schema.org", "http://schema.org", "https://schema.org/", "http://schema.org/"):
        bad(rel, "NewsArticle @context is %r, not schema.org" % ctx)
    if not isinstance(a.get("headline"), str) or not a["headline"].strip():
        bad(rel, "NewsArticle has no headline")
    for k in ("datePublished", "dateModified"):
        if not isinstance(a.get(k), str) or not ISO_DATE.match(a[k]):
            bad(rel, "NewsArticle %s %r is not an ISO 8601 date" % (k, a.get(k)))
    if isinstance(a.get("datePublished"), str) and isinstance(a.get("dateModified"), str) and \
            a["dateModified"][:10] < a["datePublished"][:10]:
        bad(rel, "NewsArticle dateModified %s is before datePublished %s" % (a["dateModified"], a["datePublished"]))
    if not named(a.get("author")):
        bad(rel, "NewsArticle author %r has no name" % (a.get("author"),))
    pub = a.get("publisher")
    if not named(pub):
        bad(rel, "NewsArticle publisher %r has no name" % (pub,))
    elif pub.get("name") != publisher:
        bad(rel, "NewsArticle publisher is %r, not %r from folio.yaml" % (pub.get("name"), publisher))
    want = modified.get(rel[:-len("index.html")])
    if want and not str(a.get("dateModified", "")).startswith(want):
        bad(rel, "NewsArticle dateModified %r is not the date of the last commit (%s)" % (a.get("dateModified"), want))


def main():
    if len(sys.argv) < 4:
        print(__doc__)
        return 2
    out, base, publisher = sys.argv[1:4]
    modified = dict(x.split("=", 1) for x in sys.argv[4:])
    n = 0
    seen_mod = set()
    for d, _, files in os.walk(out):
        for f in sorted(files):
            if f.endswith(".html"):
                rel = os.path.relpath(os.path.join(d, f), out).replace(os.sep, "/")
                check(out, rel, base, publisher, modified)
                seen_mod.add(rel[:-len("index.html")])
                n += 1
    for k in modified:
        if k not in seen_mod:
            bad(k, "no such article page in the build")
    for f in findings:
        print(f)
    print("metacheck: %d pages, %d findings" % (n, len(findings)), file=sys.stderr)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
