-- Every year as a row of its months.
local folio = require("folio")
local words = require("words")
return function(page, site)
  local w, e, rows = words(site), folio.escape, {}
  for _, y in ipairs(site.years) do
    local ms = {}
    for _, m in ipairs(y.months) do
      ms[#ms + 1] = '<a href="' .. e(folio.url(m.url)) .. '">' .. e(folio.date(m.date, "%b")) .. '</a> <span class="n">' .. m.count .. '</span>'
    end
    rows[#rows + 1] = '<section class="year-row"><h2><a href="' .. e(folio.url(y.url)) .. '">' .. y.year ..
      '</a></h2><p>' .. table.concat(ms, " · ") .. '</p></section>'
  end
  return folio.partial("shell", { page = page, title = w.archive,
    body = '<header class="section-head"><h1>' .. e(w.archive) .. '</h1></header>\n' .. table.concat(rows, "\n") })
end
