-- The page shell: head, header with navigation, main, footer.
-- args: { page, title, description, body, type, feed, jsonld }
local folio = require("folio")
local h = require("html")
local i18n = require("i18n")

-- What every page has the same, made once per build (folio.cached): the
-- site-wide links of the head, the header (one per kind of page, for
-- aria-current) and the footer. Not with relative links, which differ from
-- one page's folder to the next: kept per folder, they would only fill the
-- store that the list entries need.
local function shared(site, key, fn, ...)
  if site.config.relative_links then return fn(...) end
  return folio.cached(key, fn, ...)
end

local function head_links(site)
  local e = h.e
  return '<meta name="generator" content="' .. e(site.generator) .. '">\n' ..
    '<link rel="stylesheet" href="' .. e(folio.asset("style.css")) .. '">\n' ..
    '<link rel="alternate" type="application/atom+xml" title="' .. e(site.title) .. '" href="' .. e(folio.url("/atom.xml")) .. '">\n'
end

local function header(kind, site)
  local t, e = i18n(site), h.e
  local out = { '<a class="skip" href="#main">' .. e(t.skip) .. '</a>\n' }
  out[#out + 1] = '<header class="site-header">\n<p class="site-title"><a href="' .. e(folio.url("/")) .. '">' .. e(site.title) .. '</a></p>\n'
  out[#out + 1] = '<nav aria-label="' .. e(t.search_nav) .. '"><ul>'
  local nav = {
    { "/", t.home, "home" }, { "/tags/", t.tags, "tags" }, { "/sources/", t.sources, "sources" },
    { "/archive/", t.archive, "archive" }, { "/changes/", t.changes, "changes" },
  }
  for _, item in ipairs(nav) do
    local current = (kind == item[3]) and ' aria-current="page"' or ''
    out[#out + 1] = '<li><a href="' .. e(folio.url(item[1])) .. '"' .. current .. '>' .. e(item[2]) .. '</a></li>'
  end
  out[#out + 1] = '</ul></nav>\n</header>\n'
  return table.concat(out)
end

local function footer(site)
  local t, e = i18n(site), h.e
  return '<footer class="site-footer"><p>' .. e(site.title) ..
    ' · <a href="' .. e(folio.url("/atom.xml")) .. '">' .. e(t.feed) .. '</a>' ..
    ' · <a href="' .. e(folio.url("/archive/")) .. '">' .. e(t.archive) .. '</a></p></footer>\n'
end

return function(args, site)
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
  add(shared(site, "base head", head_links, site))
  if args.feed then
    add('<link rel="alternate" type="application/atom+xml" title="' .. e(args.feed_title or args.title or site.title) .. '" href="' .. e(folio.url(args.feed)) .. '">\n')
  end
  if args.jsonld then
    add('<script type="application/ld+json">' .. folio.json(args.jsonld) .. '</script>\n')
  end
  add('</head>\n<body>\n')
  add(shared(site, "base header " .. (page.kind or ""), header, page.kind, site))
  add('<main id="main">\n')
  add(args.body)
  add('\n</main>\n')
  add(shared(site, "base footer", footer, site))
  add('</body>\n</html>\n')
  return table.concat(out)
end
