-- A dense index of stories: the first as a lead with its summary, the rest as
-- one-line briefs in columns, then the pager. Used by every list page.
-- args: { page, heading, kicker }
local folio = require("folio")
local words = require("words")

local function byline(a, site)
  local e = folio.escape
  local bits = { '<time datetime="' .. e(a.date) .. '">' .. e(folio.date(a.date, "%e %b %Y")) .. '</time>' }
  for _, s in ipairs(a.sources) do
    bits[#bits + 1] = s.url and ('<a href="' .. e(folio.url(s.url)) .. '">' .. e(s.name) .. '</a>') or e(s.name)
  end
  return table.concat(bits, " · ")
end

local function brief(a, site)
  local e = folio.escape
  return '<article class="brief">\n<h2><a href="' .. e(folio.url(a.url)) .. '">' .. e(a.title) .. '</a></h2>\n' ..
    '<p class="by">' .. byline(a, site) .. '</p>\n</article>\n'
end

return function(args, site)
  local page, w, e = args.page, words(site), folio.escape
  local out = { '<header class="section-head">' }
  if args.kicker then out[#out + 1] = args.kicker end
  out[#out + 1] = '<h1>' .. e(args.heading) .. '</h1>\n<p class="count">' .. e(w.stories(page.count))
  if page.pager.total > 1 then out[#out + 1] = ' · ' .. e(string.format(w.page, page.pager.number, page.pager.total)) end
  out[#out + 1] = '</p></header>\n'
  for i, a in ipairs(page.items) do
    if i == 1 and page.pager.number == 1 then
      out[#out + 1] = '<article class="lead">\n<h2><a href="' .. e(folio.url(a.url)) .. '">' .. e(a.title) .. '</a></h2>\n' ..
        '<p class="by">' .. byline(a, site) .. '</p>\n<p class="standfirst">' .. e(a.summary) .. '</p>\n</article>\n<div class="briefs">\n'
    else
      if i == 1 then out[#out + 1] = '<div class="briefs">\n' end
      out[#out + 1] = folio.cached("brief " .. a.url, brief, a, site)   -- once per build, not on every list
    end
  end
  if #page.items > 0 then out[#out + 1] = '</div>\n' end
  local p = page.pager
  if p.total > 1 then
    out[#out + 1] = '<nav class="pager" aria-label="' .. e(w.pages) .. '"><ul>'
    if p.prev then out[#out + 1] = '<li><a rel="prev" href="' .. e(folio.url(p.prev)) .. '">« ' .. e(w.later) .. '</a></li>' end
    if p.next then out[#out + 1] = '<li><a rel="next" href="' .. e(folio.url(p.next)) .. '">' .. e(w.earlier) .. ' »</a></li>' end
    out[#out + 1] = '</ul></nav>\n'
  end
  return folio.partial("shell", { page = page, title = args.title or args.heading, body = table.concat(out) })
end
