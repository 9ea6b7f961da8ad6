local folio = require("folio")
return function(page, site)
  return folio.partial("terms", { page = page, heading = require("words")(site).sources, list = site.sources })
end
