local folio = require("folio")
local i18n = require("i18n")
return function(page, site)
  local t = i18n(site)
  return folio.partial("list", { page = page, heading = t.home_title, home = page.pager.number == 1,
    description = site.description })
end
