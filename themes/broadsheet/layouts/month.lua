local folio = require("folio")
local words = require("words")
return function(page, site)
  local w, e, p = words(site), folio.escape, page.period
  return folio.partial("index", { page = page, heading = folio.date(p.date, "%B %Y"),
    kicker = '<p class="kicker"><a href="' .. e(folio.url("/" .. p.year .. "/")) .. '">' .. p.year .. '</a></p>' })
end
