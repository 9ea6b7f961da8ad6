-- The printed page: masthead, section bar, the story well, colophon.
-- args: { page, title, body, description }
local folio = require("folio")
local words = require("words")

return function(args, site)
  local w, e, page = words(site), folio.escape, args.page
  local title = args.title and (args.title .. " | " .. site.title) or site.title
  local description = args.description
  if not description or description == "" then description = site.description end
  if not description or description == "" then description = site.title end
  local canonical = folio.url(page.url, true)
  local sections = {
    { "/", w.front, "home" }, { "/tags/", w.tags, "tags" }, { "/sources/", w.sources, "sources" },
    { "/archive/", w.archive, "archive" }, { "/changes/", w.changes, "changes" },
  }
  local nav = {}
  for _, s in ipairs(sections) do
    nav[#nav + 1] = '<li><a href="' .. e(folio.url(s[1])) .. '"' ..
      (page.kind == s[3] and ' aria-current="page"' or '') .. '>' .. e(s[2]) .. '</a></li>'
  end
  return table.concat({
    '<!DOCTYPE html>\n<html lang="', e(site.language), '">\n<head>\n<meta charset="utf-8">\n',
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
    '<title>', e(title), '</title>\n',
    '<meta name="description" content="', e(description), '">\n',
    '<link rel="canonical" href="', e(canonical), '">\n',
    '<meta property="og:title" content="', e(args.title or site.title), '">\n',
    '<meta property="og:type" content="', e(args.type or "website"), '">\n',
    '<meta property="og:url" content="', e(canonical), '">\n',
    '<meta property="og:description" content="', e(description), '">\n',
    '<meta property="og:site_name" content="', e(site.title), '">\n',
    args.jsonld and ('<script type="application/ld+json">' .. folio.json(args.jsonld) .. '</script>\n') or '',
    '<link rel="stylesheet" href="', e(folio.asset and folio.asset("style.css") or folio.url("/style.css")), '">\n',
    '<link rel="alternate" type="application/atom+xml" title="', e(site.title), '" href="', e(folio.url("/atom.xml")), '">\n',
    '</head>\n<body>\n<a class="skip" href="#stories">', e(w.skip), '</a>\n',
    '<header class="masthead">\n<p class="flag"><a href="', e(folio.url("/")), '">', e(site.title), '</a></p>\n',
    '<p class="dateline">', e(string.format(w.edition, folio.date(site.updated, "%A %e %B %Y"))),
    ' · ', e(w.stories(site.count)), '</p>\n',
    '<nav class="sections" aria-label="', e(w.sections), '"><ul>', table.concat(nav), '</ul></nav>\n</header>\n',
    '<main id="stories" class="well">\n', args.body, '</main>\n',
    '<footer class="colophon"><p>', e(site.title), ' — ', e(site.generator),
    ' · <a href="', e(folio.url("/atom.xml")), '">Atom</a> · <a href="', e(folio.url("/sources.csv")), '">sources.csv</a></p></footer>\n',
    '</body>\n</html>\n',
  })
end
