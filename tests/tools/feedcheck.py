#!/usr/bin/python3
"""feedcheck.py OUT [OUT2]: every Atom feed of a built site is one a feed reader accepts.

Run with Debian's /usr/bin/python3 (python3-feedparser). For each *.xml file
under OUT that is an Atom feed (not a sitemap):
  - feedparser parses it with bozo == 0;
  - the feed and each entry have an id that is an absolute URI (tag: or http(s)),
    entry ids are unique in the feed;
  - every <updated> and <published> is an RFC 3339 date-time;
  - every link href is absolute;
  - text constructs are escaped: type text/html hold no child elements
    (markup arrives as text, never as elements), type xhtml holds one div;
  - no element outside the Atom namespace (a <script> that escaped its escaping).
With OUT2 (a second build of the same site), each feed's entry ids are the same
in both. Prints "FILE: message" per finding; exits 1 when there is any.
"""
import os
import re
import sys
import xml.etree.ElementTree as ET

try:
    import feedparser
except ImportError as e:  # the test reports this as a failure, not a skip
    print("feedparser is not installed for %s: %s (apt-get install python3-feedparser)" % (sys.executable, e))
    sys.exit(2)

ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$")
ABS_URI = re.compile(r"^(https?://[^/\s]+/\S*|tag:[^\s,]+,\d{4}(-\d\d(-\d\d)?)?:\S+|urn:\S+)$")
ABS_LINK = re.compile(r"^https?://[^/\s]+(/\S*)?$")

findings = []


def bad(path, msg):
    findings.append("%s: %s" % (path, msg))


def feeds(out):
    found = []
    for d, _, files in os.walk(out):
        for f in files:
            if not f.endswith(".xml") or f.startswith("sitemap"):
                continue
            p = os.path.join(d, f)
            with open(p, "rb") as fh:
                head = fh.read(400)
            if b"<feed" in head:
                found.append(os.path.relpath(p, out))
    return sorted(found)


def text_construct(path, el, where):
    t = el.get("type", "text")
    kids = list(el)
    if t in ("text", "html"):
        if kids:
            bad(path, "%s: type=%s holds element <%s> (content not escaped)" % (where, t, kids[0].tag))
    elif t == "xhtml":
        if len(kids) != 1 or kids[0].tag != "{http://www.w3.org/1999/xhtml}div":
            bad(path, "%s: type=xhtml must hold exactly one xhtml div" % where)
    else:
        bad(path, "%s: unknown text construct type %r" % (where, t))


def check_feed(out, rel):
    path = os.path.join(out, rel)
    with open(path, "rb") as fh:
        raw = fh.read()
    d = feedparser.parse(raw)
    if d.bozo:
        bad(rel, "feedparser: bozo: %s" % d.get("bozo_exception"))
    if d.version != "atom10":
        bad(rel, "feedparser: not Atom 1.0 (version %r)" % d.version)
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as e:
        bad(rel, "not well-formed XML: %s" % e)
        return []
    if root.tag != ATOM + "feed":
        bad(rel, "root is %s, not an Atom feed" % root.tag)
    for el in root.iter():
        if not el.tag.startswith(ATOM) and not el.tag.startswith("{http://www.w3.org/1999/xhtml}"):
            bad(rel, "element %s outside the Atom namespace" % el.tag)
        name = el.tag[len(ATOM):] if el.tag.startswith(ATOM) else el.tag
        if name in ("updated", "published"):
            if not RFC3339.match((el.text or "").strip()):
                bad(rel, "<%s>%s</%s> is not an RFC 3339 date-time" % (name, el.text, name))
        if name == "link":
            href = el.get("href", "")
            if not ABS_LINK.match(href):
                bad(rel, "link href %r is not absolute" % href)
        if name in ("title", "subtitle", "summary", "rights", "content"):
            if name == "content" and el.get("src"):
                continue
            text_construct(rel, el, "<%s>" % name)
    fid = root.find(ATOM + "id")
    if fid is None or not ABS_URI.match((fid.text or "").strip()):
        bad(rel, "feed id %r is not an absolute URI" % (fid.text if fid is not None else None))
    if root.find(ATOM + "updated") is None:
        bad(rel, "feed has no <updated>")
    if root.find(ATOM + "title") is None:
        bad(rel, "feed has no <title>")
    has_feed_author = root.find(ATOM + "author") is not None
    ids = []
    for i, e in enumerate(root.findall(ATOM + "entry")):
        eid = e.find(ATOM + "id")
        eid = (eid.text or "").strip() if eid is not None else ""
        where = "entry %d (%s)" % (i + 1, eid or "no id")
        if not ABS_URI.match(eid):
            bad(rel, "%s: id %r is not an absolute URI (tag: or http(s))" % (where, eid))
        if e.find(ATOM + "updated") is None:
            bad(rel, "%s: no <updated>" % where)
        if e.find(ATOM + "title") is None:
            bad(rel, "%s: no <title>" % where)
        if not has_feed_author and e.find(ATOM + "author") is None:
            bad(rel, "%s: no <author> and the feed has none" % where)
        if e.find(ATOM + "content") is None and not any(
                l.get("rel", "alternate") == "alternate" for l in e.findall(ATOM + "link")):
            bad(rel, "%s: neither content nor an alternate link" % where)
        ids.append(eid)
    dup = sorted(set(x for x in ids if ids.count(x) > 1))
    if dup:
        bad(rel, "entry ids are not unique: %s" % ", ".join(dup))
    # feedparser's view must agree: same number of entries, each with its id
    if len(d.entries) != len(ids):
        bad(rel, "feedparser sees %d entries, the XML holds %d" % (len(d.entries), len(ids)))
    for pe, eid in zip(d.entries, ids):
        if pe.get("id") != eid:
            bad(rel, "feedparser reads id %r, the XML says %r" % (pe.get("id"), eid))
    return ids


def main():
    if len(sys.argv) not in (2, 3):
        print(__doc__)
        return 2
    out = sys.argv[1]
    names = feeds(out)
    if not names:
        bad(out, "no Atom feed found")
    first = {rel: check_feed(out, rel) for rel in names}
    if len(sys.argv) == 3:
        out2 = sys.argv[2]
        names2 = feeds(out2)
        if names2 != names:
            bad(out2, "the second build has other feeds: %s" % sorted(set(names) ^ set(names2)))
        for rel in names:
            if rel not in names2:
                continue
            ids2 = check_feed(out2, rel)
            if ids2 != first[rel]:
                bad(rel, "entry ids differ from build to build: %s" % sorted(set(first[rel]) ^ set(ids2)))
    for f in findings:
        print(f)
    print("feedcheck: %d feeds, %d findings" % (len(names), len(findings)), file=sys.stderr)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
