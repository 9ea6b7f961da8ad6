local folio = require("folio")
local i18n = require("i18n")
return function(page, site)
  local t = i18n(site)
  return folio.partial("list", { page = page, heading = string.format(t.tag_title, page.term.name),
    feed = page.term.feed, description = string.format(t.tag_title, page.term.name) .. " — " .. t.articles(page.count) })
end
