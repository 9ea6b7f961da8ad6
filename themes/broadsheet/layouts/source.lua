local folio = require("folio")
local words = require("words")
return function(page, site)
  local w = words(site)
  return folio.partial("index", { page = page, heading = string.format(w.source, page.term.name),
    kicker = '<p class="kicker"><a href="' .. folio.escape(folio.url("/sources/")) .. '">' .. folio.escape(w.sources) .. '</a></p>' })
end
