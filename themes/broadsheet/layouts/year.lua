local folio = require("folio")
local words = require("words")
return function(page, site)
  local w, e, months = words(site), folio.escape, {}
  for _, m in ipairs(page.period.months) do
    months[#months + 1] = '<a href="' .. e(folio.url(m.url)) .. '">' .. e(folio.date(m.date, "%B")) .. '</a>'
  end
  return folio.partial("index", { page = page, heading = string.format(w.year, page.period.year),
    kicker = '<p class="kicker">' .. table.concat(months, " · ") .. '</p>' })
end
