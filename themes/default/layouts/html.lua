-- Small helpers every layout uses: escaping, links, dates.
local folio = require("folio")
local h = {}

h.e = folio.escape

-- <a href="url">text</a>, both escaped
function h.link(url, text, attrs)
  return '<a href="' .. h.e(folio.url(url)) .. '"' .. (attrs or "") .. '>' .. h.e(text) .. '</a>'
end

function h.day(date, site)
  return folio.date(date, site.language == "fr" and "%e %B %Y" or "%B %e, %Y")
end

function h.month_name(year, month, site)
  return folio.date(string.format("%04d-%02d-01", year, month), "%B %Y")
end

function h.time(date, site)
  return '<time datetime="' .. h.e(date) .. '">' .. h.e(h.day(date, site)) .. '</time>'
end

function h.month_only(month, site)
  return folio.date(string.format("2000-%02d-01", month), "%B")
end

function h.month_url(year, month)
  return string.format("/%04d/%02d/", year, month)
end

-- <nav> breadcrumb: Home, then each { url, text }; the last is the current page's parent
function h.breadcrumb(site, trail)
  local t = require("i18n")(site)
  local out = { '<nav class="breadcrumb" aria-label="' .. h.e(t.breadcrumb) .. '"><ol>',
    '<li>' .. h.link("/", t.home) .. '</li>' }
  for _, step in ipairs(trail) do out[#out + 1] = '<li>' .. h.link(step[1], step[2]) .. '</li>' end
  out[#out + 1] = '</ol></nav>\n'
  return table.concat(out)
end

-- Previous / next links between pages of the same kind (months, years): items are { url, text }
function h.sibling_nav(label, newer, older, t)
  if not newer and not older then return "" end
  local out = { '<nav class="siblings" aria-label="' .. h.e(label) .. '"><ul>' }
  if older then out[#out + 1] = '<li class="older"><a rel="prev" href="' .. h.e(folio.url(older[1])) .. '">← ' .. h.e(older[2]) .. '</a></li>' end
  if newer then out[#out + 1] = '<li class="newer"><a rel="next" href="' .. h.e(folio.url(newer[1])) .. '">' .. h.e(newer[2]) .. ' →</a></li>' end
  out[#out + 1] = '</ul></nav>\n'
  return table.concat(out)
end

-- Join a list after mapping each item with fn
function h.map(list, fn, sep)
  local out = {}
  for i = 1, #list do out[#out + 1] = fn(list[i], i) end
  return table.concat(out, sep or "")
end

return h
