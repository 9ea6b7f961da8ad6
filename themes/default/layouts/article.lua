-- An article page: title, meta, body, sources, tags, history, prev/next.
local folio = require("folio")
local h = require("html")
local i18n = require("i18n")

local function meta(page, site, t)
  local e = h.e
  local out = { '<p class="meta">' .. h.time(page.date, site) }
  if #page.authors > 0 then
    out[#out + 1] = ' · ' .. e(t.by) .. ' ' .. e(table.concat(page.authors, ", "))
  end
  out[#out + 1] = ' · ' .. e(t.in_period) .. ' ' .. h.link(h.month_url(page.year, page.month), h.month_only(page.month, site)) ..
    ' ' .. h.link("/" .. page.year .. "/", tostring(page.year))
  out[#out + 1] = '</p>\n'
  return table.concat(out)
end

local function sources(page, t)
  local e = h.e
  if #page.sources == 0 then return "" end
  local out = { '<section class="sources" aria-labelledby="sources-h">\n<h2 id="sources-h">' .. e(t.source) .. '</h2>\n<ul>\n' }
  for _, s in ipairs(page.sources) do
    local line = '<li><a href="' .. e(folio.url(s.url)) .. '">' .. e(s.name) .. '</a>'
    if s.date then line = line .. ', <time datetime="' .. e(s.date) .. '">' .. e(s.date) .. '</time>' end
    if s.link then line = line .. ' — <a class="external" href="' .. e(s.link) .. '" rel="nofollow noopener">' .. e(s.link) .. '</a>' end
    out[#out + 1] = line .. '</li>\n'
  end
  out[#out + 1] = '</ul>\n</section>\n'
  return table.concat(out)
end

-- A commit's heading is the same on every article it changed: made once per build.
local function commit_heading(c)
  return folio.partial("commit", { commit = c })
end

-- The changelog, always visible: when the article entered the archive, each change since.
local function history(page, site, t)
  local e = h.e
  local out = { '<section class="history" aria-labelledby="history-h">\n<h2 id="history-h">' .. e(t.history) .. '</h2>\n' }
  local dates = {}
  if page.created then dates[#dates + 1] = e(string.format(t.added_on, h.day(page.created, site))) end
  if page.updated and page.created and page.updated:sub(1, 10) ~= page.created:sub(1, 10) then
    dates[#dates + 1] = e(string.format(t.revised_on, h.day(page.updated, site)))
  end
  if #dates > 0 then out[#out + 1] = '<p>' .. table.concat(dates, ". ") .. '.</p>\n' end
  if page.history_truncated then out[#out + 1] = '<p class="note">' .. e(t.history_truncated) .. '</p>\n' end
  if #page.history == 0 then
    out[#out + 1] = '<p>' .. e(t.no_history) .. '</p>\n</section>\n'
    return table.concat(out)
  end
  out[#out + 1] = '<ol class="changelog" reversed>\n'
  for _, c in ipairs(page.history) do
    if c.kind == "uncommitted" then
      out[#out + 1] = '<li><span class="kind kind-uncommitted">' .. e(t.uncommitted) .. '</span></li>\n'
    else
      out[#out + 1] = '<li>' .. folio.cached("commit " .. c.hash, commit_heading, c) .. ' — ' ..
        folio.partial("change", { change = c }) .. '</li>\n'
    end
  end
  out[#out + 1] = '</ol>\n</section>\n'
  return table.concat(out)
end

local function neighbours(page, t)
  local e = h.e
  if not page.prev and not page.next then return "" end
  local out = { '<nav class="neighbours" aria-label="' .. e(t.prev_article) .. ' / ' .. e(t.next_article) .. '"><ul>' }
  if page.next then
    out[#out + 1] = '<li class="next">' .. e(t.next_article) .. ': <a rel="next" href="' .. e(folio.url(page.next.url)) .. '">' .. e(page.next.title) .. '</a></li>'
  end
  if page.prev then
    out[#out + 1] = '<li class="prev">' .. e(t.prev_article) .. ': <a rel="prev" href="' .. e(folio.url(page.prev.url)) .. '">' .. e(page.prev.title) .. '</a></li>'
  end
  out[#out + 1] = '</ul></nav>\n'
  return table.concat(out)
end

return function(page, site)
  local t, e = i18n(site), h.e
  local out = { h.breadcrumb(site, {
    { "/" .. page.year .. "/", tostring(page.year) },
    { h.month_url(page.year, page.month), h.month_only(page.month, site) },
  }) }
  out[#out + 1] = '<article class="article">\n<header>\n<h1>' .. e(page.title) .. '</h1>\n' 
  out[#out + 1] = meta(page, site, t)
  if page.headline and page.headline ~= page.title then
    out[#out + 1] = '<p class="headline"><span class="label">' .. e(t.headline) .. ':</span> ' .. e(page.headline) .. '</p>\n'
  end
  out[#out + 1] = '</header>\n<div class="body">\n'
  out[#out + 1] = page.body   -- kept apart: joined once, by table.concat
  out[#out + 1] = '</div>\n<footer>\n'
  out[#out + 1] = sources(page, t)
  if #page.tags > 0 then
    out[#out + 1] = '<p class="tags"><span class="label">' .. e(t.tagged) .. ':</span> ' ..
      h.map(page.tags, function(tag) return h.link(tag.url, tag.name, ' rel="tag"') end, " ") .. '</p>\n'
  end
  out[#out + 1] = history(page, site, t)
  out[#out + 1] = '</footer>\n</article>\n' .. neighbours(page, t)

  local authors = {}
  for _, a in ipairs(page.authors) do authors[#authors + 1] = { ["@type"] = "Person", name = a } end
  local jsonld = {
    ["@context"] = "https://schema.org", ["@type"] = "NewsArticle",
    headline = page.headline or page.title, datePublished = page.date,
    dateModified = page.updated or page.date, url = folio.url(page.url, true),
    mainEntityOfPage = folio.url(page.url, true),
    publisher = { ["@type"] = "Organization", name = site.config.author or site.title },
  }
  if #authors > 0 then jsonld.author = authors else jsonld.author = { { ["@type"] = "Organization", name = site.config.author or site.title } } end
  if #page.tags > 0 then jsonld.keywords = h.map(page.tags, function(x) return x.name end, ", ") end
  return folio.partial("base", { page = page, title = page.title, body = table.concat(out),
    description = page.summary, type = "article", jsonld = jsonld })
end
