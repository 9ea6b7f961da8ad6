local folio = require("folio")
local h = require("html")
local i18n = require("i18n")
return function(page, site)
  local t = i18n(site)
  return folio.partial("list", { page = page, heading = string.format(t.tag_title, page.term.name),
    before = h.breadcrumb(site, { { "/tags/", t.all_tags_link } }),
    feed = page.term.feed, description = string.format(t.tag_title, page.term.name) .. " — " .. t.articles(page.count) })
end
