-- Every year with its months and counts.
local folio = require("folio")
local h = require("html")
local i18n = require("i18n")

return function(page, site)
  local t, e = i18n(site), h.e
  local out = { '<h1>' .. e(t.archive_title) .. '</h1>\n' }
  for _, y in ipairs(site.years) do
    out[#out + 1] = '<section class="year">\n<h2><a href="' .. e(folio.url(y.url)) .. '">' .. y.year ..
      '</a> <span class="n">' .. e(t.articles(y.count)) .. '</span></h2>\n<ul class="months">\n'
    for _, m in ipairs(y.months) do
      out[#out + 1] = '<li><a href="' .. e(folio.url(m.url)) .. '">' .. e(h.month_name(m.year, m.month, site)) ..
        '</a> <span class="n">' .. m.count .. '</span></li>\n'
    end
    out[#out + 1] = '</ul>\n</section>\n'
  end
  return folio.partial("base", { page = page, title = t.archive, body = table.concat(out),
    description = t.archive_title })
end
