-- A month: its articles, a way up to the year, and the months on either side.
local folio = require("folio")
local h = require("html")
local i18n = require("i18n")
return function(page, site)
  local t, p = i18n(site), page.period
  local heading = string.format(t.month_title, h.month_name(p.year, p.month, site))
  local newer, older
  local n, o = site.months[p.index - 1], site.months[p.index + 1]   -- newest first
  if n then newer = { n.url, h.month_name(n.year, n.month, site) } end
  if o then older = { o.url, h.month_name(o.year, o.month, site) } end
  local intro = h.breadcrumb(site, { { "/" .. p.year .. "/", tostring(p.year) } })
  return folio.partial("list", { page = page, heading = heading, before = intro,
    after = h.sibling_nav(t.other_months, newer, older, t), description = heading })
end
