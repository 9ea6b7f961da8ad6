#!/usr/bin/python3
"""Check that every internal href/src of every HTML page of a built site
resolves to a file in the output.

usage: linkcheck.py OUTDIR [--base-path /sub/] [--relative] [--require-prefix]

Internal means: starts with '/' (site path, base path stripped), or is
relative (no scheme, not '#', not '//'). With --require-prefix, every
absolute internal link must start with the base path. Prints one line per
broken link as 'page: link' and exits 1 if any.
"""
import os
import sys
from html.parser import HTMLParser
from urllib.parse import urlsplit, unquote


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            if k in ("href", "src") and v is not None:
                self.links.append(v)
            if k == "id" and v:
                self.ids.add(v)


def resolve(outdir, page_dir, link, base_path, relative):
    parts = urlsplit(link)
    if parts.scheme or link.startswith("//") or link.startswith("#") or link == "":
        return None
    path = unquote(parts.path)
    if path.startswith("/"):
        if relative:
            return ("absolute link in a relative site", None)
        if not path.startswith(base_path):
            return ("outside the base path", None)
        target = os.path.join(outdir, path[len(base_path):])
    else:
        target = os.path.normpath(os.path.join(page_dir, path))
        if not os.path.abspath(target).startswith(os.path.abspath(outdir)):
            return ("leaves the output folder", None)
    if path.endswith("/") or os.path.isdir(target):
        target = os.path.join(target, "index.html")
    return (None, target)


def main():
    args = sys.argv[1:]
    outdir = args[0]
    base_path = "/"
    relative = "--relative" in args
    if "--base-path" in args:
        base_path = args[args.index("--base-path") + 1]
    bad = 0
    pages = 0
    checked = 0
    for root, _, files in os.walk(outdir):
        for f in files:
            if not f.endswith(".html"):
                continue
            page = os.path.join(root, f)
            pages += 1
            p = Links()
            with open(page, encoding="utf-8") as fh:
                p.feed(fh.read())
            for link in p.links:
                r = resolve(outdir, root, link, base_path, relative)
                if r is None:
                    continue
                err, target = r
                checked += 1
                if err:
                    print("%s: %s (%s)" % (os.path.relpath(page, outdir), link, err))
                    bad += 1
                elif not os.path.isfile(target):
                    print("%s: %s (no file %s)" % (os.path.relpath(page, outdir), link,
                                                   os.path.relpath(target, outdir)))
                    bad += 1
    print("%d pages, %d internal links, %d broken" % (pages, checked, bad))
    return 1 if bad or pages == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
