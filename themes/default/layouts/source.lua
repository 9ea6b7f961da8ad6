local folio = require("folio")
local h = require("html")
local i18n = require("i18n")
return function(page, site)
  local t = i18n(site)
  return folio.partial("list", { page = page, heading = string.format(t.source_title, page.term.name),
    before = h.breadcrumb(site, { { "/sources/", t.all_sources_link } }),
    feed = page.term.feed, description = string.format(t.source_title, page.term.name) .. " — " .. t.articles(page.count) })
end
