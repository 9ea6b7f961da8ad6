local folio = require("folio")
local words = require("words")
return function(page, site)
  local w, e = words(site), folio.escape
  return folio.partial("shell", { page = page, title = w.not_found,
    body = '<header class="section-head"><h1>' .. e(w.not_found) .. '</h1></header>\n<p>' .. e(w.not_found_text) ..
      ' <a href="' .. e(folio.url("/archive/")) .. '">' .. e(w.archive) .. '</a></p>\n' })
end
