local folio = require("folio")
local i18n = require("i18n")
return function(page, site)
  local t = i18n(site)
  local heading = string.format(t.year_title, tostring(page.period.year))
  return folio.partial("list", { page = page, heading = heading, description = heading })
end
