-- A year: its months with counts, its articles, and the years on either side.
local folio = require("folio")
local h = require("html")
local i18n = require("i18n")
return function(page, site)
  local t, p, e = i18n(site), page.period, h.e
  local heading = string.format(t.year_title, tostring(p.year))
  local months = {}
  for _, m in ipairs(p.months) do
    months[#months + 1] = '<li><a href="' .. e(folio.url(m.url)) .. '">' .. e(h.month_only(m.month, site)) ..
      '</a> <span class="n">' .. m.count .. '</span></li>'
  end
  local intro = '<nav class="months-nav" aria-label="' .. e(string.format(t.months_of, p.year)) ..
    '"><ul class="inline">' .. table.concat(months) .. '</ul></nav>\n'
  local newer, older
  local n, o = site.years[p.index - 1], site.years[p.index + 1]     -- newest first
  if n then newer = { n.url, tostring(n.year) } end
  if o then older = { o.url, tostring(o.year) } end
  return folio.partial("list", { page = page, heading = heading, intro = intro,
    after = h.sibling_nav(t.other_years, newer, older, t), description = heading })
end
