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

-- Join a list after mapping each item with fn
function h.map(list, fn, sep)
  local out = {}
  for i = 1, #list do out[#out + 1] = fn(list[i], i) end
  return table.concat(out, sep or "")
end

return h
