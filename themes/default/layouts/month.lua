local folio = require("folio")
local h = require("html")
local i18n = require("i18n")
return function(page, site)
  local t = i18n(site)
  local heading = string.format(t.month_title, h.month_name(page.period.year, page.period.month, site))
  local up = '<p class="up"><a href="' .. h.e(folio.url("/" .. page.period.year .. "/")) .. '">' .. page.period.year .. '</a></p>\n'
  return folio.partial("list", { page = page, heading = heading, intro = up, description = heading })
end
