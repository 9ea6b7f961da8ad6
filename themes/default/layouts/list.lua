-- A list of articles with a pager; used by home, tag, source, year and month pages.
-- args: { page, heading, before (above the h1), intro (below it), after (below the pager), feed, description }
local folio = require("folio")
local h = require("html")
local i18n = require("i18n")

local function item(a, site)
  local e = h.e
  local out = { '<li class="item">\n<article>\n' }
  out[#out + 1] = '<h2><a href="' .. e(folio.url(a.url)) .. '">' .. e(a.title) .. '</a></h2>\n'
  out[#out + 1] = '<p class="meta">' .. h.time(a.date, site)
  if #a.sources > 0 then
    out[#out + 1] = ' · ' .. h.map(a.sources, function(s) return h.link(s.url, s.name) end, ", ")
  end
  out[#out + 1] = '</p>\n'
  if a.summary ~= "" then out[#out + 1] = '<p class="summary">' .. e(a.summary) .. '</p>\n' end
  if #a.tags > 0 then
    out[#out + 1] = '<p class="tags">' .. h.map(a.tags, function(t) return h.link(t.url, t.name, ' rel="tag"') end, " ") .. '</p>\n'
  end
  out[#out + 1] = '</article>\n</li>\n'
  return table.concat(out)
end

local function pager(page, site)
  local p, t, e = page.pager, i18n(site), h.e
  if p.total <= 1 then return "" end
  local out = { '<nav class="pager" aria-label="' .. e(t.pagination) .. '"><ul>' }
  if p.prev then out[#out + 1] = '<li><a rel="prev" href="' .. e(folio.url(p.prev)) .. '">← ' .. e(t.newer) .. '</a></li>' end
  out[#out + 1] = '<li aria-current="page">' .. e(string.format(t.page, p.number, p.total)) .. '</li>'
  if p.next then out[#out + 1] = '<li><a rel="next" href="' .. e(folio.url(p.next)) .. '">' .. e(t.older) .. ' →</a></li>' end
  out[#out + 1] = '</ul></nav>\n'
  return table.concat(out)
end

return function(args, site)
  local page, e = args.page, h.e
  local t = i18n(site)
  local out = { args.before or "", '<h1>' .. e(args.heading) .. '</h1>\n' }
  local count = t.articles(page.count)
  if page.pager.total > 1 then count = count .. " · " .. string.format(t.page, page.pager.number, page.pager.total) end
  out[#out + 1] = '<p class="count">' .. e(count)
  if args.feed then out[#out + 1] = ' · <a href="' .. e(folio.url(args.feed)) .. '">' .. e(t.feed) .. '</a>' end
  out[#out + 1] = '</p>\n'
  if args.intro then out[#out + 1] = args.intro end
  out[#out + 1] = '<ol class="items" start="' .. page.pager.first .. '">\n'
  -- an article's entry is the same on each of its six or seven lists: made once per build
  for _, a in ipairs(page.items) do out[#out + 1] = folio.cached("list item " .. a.url, item, a, site) end
  out[#out + 1] = '</ol>\n' .. pager(page, site) .. (args.after or "")
  local title = args.heading
  if page.pager.number > 1 then title = title .. " (" .. string.format(t.page, page.pager.number, page.pager.total) .. ")" end
  return folio.partial("base", {
    page = page, title = args.home and nil or title, body = table.concat(out),
    feed = args.feed, description = args.description,
  })
end
