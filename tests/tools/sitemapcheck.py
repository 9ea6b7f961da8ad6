#!/usr/bin/python3
"""sitemapcheck.py OUT BASE_URL LIMIT [index|urlset]: the sitemap follows sitemaps.org 0.9.

  - sitemap.xml is a <urlset> or a <sitemapindex> in the sitemaps.org namespace
    (the optional last argument says which one it must be);
  - every <loc> is an absolute URL under BASE_URL, at most 2,048 characters;
  - every <lastmod> is in W3C Datetime format;
  - at most LIMIT URLs per file (and at most 50,000), and an index lists only
    urlset files that exist in OUT, none of them an index;
  - together the files list every page of the site exactly once: every
    index.html and *.html under OUT except 404.html and the pages that say
    <meta name="robots" content="noindex"> (redirect pages);
  - robots.txt names the sitemap.
Prints "FILE: message" per finding; exits 1 when there is any.
"""
import os
import re
import sys
import xml.etree.ElementTree as ET

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
W3C_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01])"
                      r"(T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d))?)?)?$")
NOINDEX = re.compile(rb'<meta\s+name="robots"\s+content="[^"]*noindex', re.I)

findings = []


def bad(path, msg):
    findings.append("%s: %s" % (path, msg))


def pages(out, base):
    urls = set()
    for d, _, files in os.walk(out):
        for f in files:
            if not f.endswith(".html"):
                continue
            rel = os.path.relpath(os.path.join(d, f), out).replace(os.sep, "/")
            if rel == "404.html":
                continue
            with open(os.path.join(d, f), "rb") as fh:
                if NOINDEX.search(fh.read(4096)):
                    continue
            if rel == "index.html":
                rel = ""
            elif rel.endswith("/index.html"):
                rel = rel[:-len("index.html")]
            urls.add(base + rel)
    return urls


def parse(out, rel):
    try:
        return ET.parse(os.path.join(out, rel)).getroot()
    except (ET.ParseError, OSError) as e:
        bad(rel, "cannot read: %s" % e)
        return None


def check_urlset(rel, root, base, limit, seen):
    urls = root.findall(NS + "url")
    if len(urls) > limit:
        bad(rel, "%d URLs, more than the limit of %d" % (len(urls), limit))
    if len(urls) == 0:
        bad(rel, "an empty urlset")
    for el in root:
        if el.tag != NS + "url":
            bad(rel, "unexpected element %s in urlset" % el.tag)
    for u in urls:
        loc = u.find(NS + "loc")
        loc = (loc.text or "").strip() if loc is not None else ""
        if not loc.startswith(base) or not re.match(r"^https?://[^/\s]+/", loc):
            bad(rel, "loc %r is not an absolute URL under %s" % (loc, base))
        if len(loc) > 2048:
            bad(rel, "loc longer than 2,048 characters: %s..." % loc[:80])
        if loc in seen:
            bad(rel, "loc %s listed twice (also in %s)" % (loc, seen[loc]))
        seen[loc] = rel
        lm = u.find(NS + "lastmod")
        if lm is not None and not W3C_DATE.match((lm.text or "").strip()):
            bad(rel, "lastmod %r of %s is not a W3C Datetime" % (lm.text, loc))
        for c in u:
            if c.tag not in (NS + "loc", NS + "lastmod", NS + "changefreq", NS + "priority"):
                bad(rel, "unexpected element %s in <url>" % c.tag)


def main():
    if len(sys.argv) not in (4, 5):
        print(__doc__)
        return 2
    out, base, limit = sys.argv[1], sys.argv[2], min(int(sys.argv[3]), 50000)
    want = sys.argv[4] if len(sys.argv) == 5 else None
    seen = {}
    root = parse(out, "sitemap.xml")
    if root is None:
        for f in findings:
            print(f)
        return 1
    kind = {NS + "urlset": "urlset", NS + "sitemapindex": "index"}.get(root.tag)
    if kind is None:
        bad("sitemap.xml", "root element %s is neither urlset nor sitemapindex in %s" % (root.tag, NS))
    elif want and kind != want:
        bad("sitemap.xml", "is a %s, expected a %s (limit %d)" % (kind, want, limit))
    if kind == "urlset":
        check_urlset("sitemap.xml", root, base, limit, seen)
    elif kind == "index":
        maps = root.findall(NS + "sitemap")
        if not maps:
            bad("sitemap.xml", "an empty sitemap index")
        if len(maps) > 50000:
            bad("sitemap.xml", "more than 50,000 sitemaps in the index")
        for m in maps:
            loc = m.find(NS + "loc")
            loc = (loc.text or "").strip() if loc is not None else ""
            lm = m.find(NS + "lastmod")
            if lm is not None and not W3C_DATE.match((lm.text or "").strip()):
                bad("sitemap.xml", "lastmod %r of %s is not a W3C Datetime" % (lm.text, loc))
            if not loc.startswith(base):
                bad("sitemap.xml", "sitemap loc %r is not an absolute URL under %s" % (loc, base))
                continue
            rel = loc[len(base):]
            if not os.path.isfile(os.path.join(out, rel)):
                bad("sitemap.xml", "lists %s, which the build did not write" % loc)
                continue
            sub = parse(out, rel)
            if sub is None:
                continue
            if sub.tag != NS + "urlset":
                bad(rel, "a sitemap listed by the index must be a urlset, not %s" % sub.tag)
                continue
            check_urlset(rel, sub, base, limit, seen)
    expect = pages(out, base)
    missing = sorted(expect - set(seen))
    extra = sorted(set(seen) - expect)
    if missing:
        bad("sitemap", "%d pages are not listed: %s" % (len(missing), ", ".join(missing[:10])))
    if extra:
        bad("sitemap", "%d listed URLs are not pages of the build: %s" % (len(extra), ", ".join(extra[:10])))
    try:
        with open(os.path.join(out, "robots.txt")) as fh:
            if ("Sitemap: %ssitemap.xml" % base) not in fh.read():
                bad("robots.txt", "does not name %ssitemap.xml" % base)
    except OSError as e:
        bad("robots.txt", str(e))
    for f in findings:
        print(f)
    print("sitemapcheck: %s, %d URLs, %d findings" % (kind, len(seen), len(findings)), file=sys.stderr)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
