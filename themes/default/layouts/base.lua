-- The page shell: head, header with navigation, main, footer.
-- args: { page, title, description, body, type, feed, jsonld }
local folio = require("folio")
local h = require("html")
local i18n = require("i18n")

return function(args, site)
  local t = i18n(site)
  local page = args.page
  local e = h.e
  local title = args.title and (args.title .. " — " .. site.title) or site.title
  local description = args.description or site.description or ""
  if description == "" then description = site.title end
  local canonical = folio.url(page.url, true)
  local out = {}
  local function add(s) out[#out + 1] = s end

  add('<!DOCTYPE html>\n<html lang="' .. e(site.language) .. '">\n<head>\n')
  add('<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n')
  add('<title>' .. e(title) .. '</title>\n')
  add('<meta name="description" content="' .. e(description) .. '">\n')
  add('<link rel="canonical" href="' .. e(canonical) .. '">\n')
  add('<meta property="og:title" content="' .. e(args.title or site.title) .. '">\n')
  add('<meta property="og:type" content="' .. (args.type or "website") .. '">\n')
  add('<meta property="og:url" content="' .. e(canonical) .. '">\n')
  add('<meta property="og:description" content="' .. e(description) .. '">\n')
  add('<meta property="og:site_name" content="' .. e(site.title) .. '">\n')
  add('<meta name="generator" content="' .. e(site.generator) .. '">\n')
  add('<link rel="stylesheet" href="' .. e(folio.asset("style.css")) .. '">\n')
  add('<link rel="alternate" type="application/atom+xml" title="' .. e(site.title) .. '" href="' .. e(folio.url("/atom.xml")) .. '">\n')
  if args.feed then
    add('<link rel="alternate" type="application/atom+xml" title="' .. e(args.feed_title or args.title or site.title) .. '" href="' .. e(folio.url(args.feed)) .. '">\n')
  end
  if args.jsonld then
    add('<script type="application/ld+json">' .. folio.json(args.jsonld) .. '</script>\n')
  end
  add('</head>\n<body>\n')
  add('<a class="skip" href="#main">' .. e(t.skip) .. '</a>\n')
  add('<header class="site-header">\n<p class="site-title"><a href="' .. e(folio.url("/")) .. '">' .. e(site.title) .. '</a></p>\n')
  add('<nav aria-label="' .. e(t.search_nav) .. '"><ul>')
  local nav = {
    { "/", t.home, "home" }, { "/tags/", t.tags, "tags" }, { "/sources/", t.sources, "sources" },
    { "/archive/", t.archive, "archive" }, { "/changes/", t.changes, "changes" },
  }
  for _, item in ipairs(nav) do
    local current = (page.kind == item[3]) and ' aria-current="page"' or ''
    add('<li><a href="' .. e(folio.url(item[1])) .. '"' .. current .. '>' .. e(item[2]) .. '</a></li>')
  end
  add('</ul></nav>\n</header>\n')
  add('<main id="main">\n' .. args.body .. '\n</main>\n')
  add('<footer class="site-footer"><p>' .. e(site.title))
  add(' · <a href="' .. e(folio.url("/atom.xml")) .. '">' .. e(t.feed) .. '</a>')
  add(' · <a href="' .. e(folio.url("/archive/")) .. '">' .. e(t.archive) .. '</a></p></footer>\n')
  add('</body>\n</html>\n')
  return table.concat(out)
end
