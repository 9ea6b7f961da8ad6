local folio = require("folio")
local words = require("words")
return function(page, site)
  return folio.partial("index", { page = page, heading = words(site).front,
    title = page.pager.number > 1 and words(site).front or nil })
end
