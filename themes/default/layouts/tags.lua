local folio = require("folio")
local i18n = require("i18n")
return function(page, site)
  return folio.partial("terms", { page = page, heading = i18n(site).all_tags, list = site.tags })
end
