-- A story: headline, byline, body in a column; sources, subjects and the
-- corrections box in a rail beside it on wide screens.
local folio = require("folio")
local words = require("words")

return function(page, site)
  local w, e = words(site), folio.escape
  local rail = {}
  if #page.sources > 0 then
    local s = {}
    for _, src in ipairs(page.sources) do
      local line = src.url and ('<a href="' .. e(folio.url(src.url)) .. '">' .. e(src.name) .. '</a>') or e(src.name)
      if src.link then line = line .. ' <a class="ext" href="' .. e(src.link) .. '" rel="nofollow noopener">(' .. e(w.story) .. ')</a>' end
      s[#s + 1] = '<li>' .. line .. '</li>'
    end
    rail[#rail + 1] = '<section aria-labelledby="r-src"><h2 id="r-src">' .. e(w.sources) .. '</h2><ul>' .. table.concat(s) .. '</ul></section>'
  end
  if #page.tags > 0 then
    local t = {}
    for _, tag in ipairs(page.tags) do t[#t + 1] = '<li><a rel="tag" href="' .. e(folio.url(tag.url)) .. '">' .. e(tag.name) .. '</a></li>' end
    rail[#rail + 1] = '<section aria-labelledby="r-tags"><h2 id="r-tags">' .. e(w.tags) .. '</h2><ul>' .. table.concat(t) .. '</ul></section>'
  end
  local h = {}
  for _, c in ipairs(page.history) do
    h[#h + 1] = '<li>' .. (c.date and ('<time datetime="' .. e(c.date) .. '">' .. e(folio.date(c.date, "%e %b %Y")) .. '</time> ') or '') ..
      e(c.kind) .. (c.subject and (': ' .. e(c.subject)) or '') .. '</li>'
  end
  rail[#rail + 1] = '<section aria-labelledby="r-hist" class="corrections-box"><h2 id="r-hist">' .. e(w.history) .. '</h2>' ..
    (#h > 0 and ('<ol>' .. table.concat(h) .. '</ol>') or ('<p>' .. e(w.none) .. '</p>')) .. '</section>'
  local by = { '<time datetime="' .. e(page.date) .. '">' .. e(folio.date(page.date, "%A %e %B %Y")) .. '</time>' }
  if #page.authors > 0 then by[#by + 1] = e(w.by) .. ' ' .. e(table.concat(page.authors, ", ")) end
  by[#by + 1] = '<a href="' .. e(folio.url(string.format("/%04d/%02d/", page.year, page.month))) .. '">' ..
    e(folio.date(page.date, "%B %Y")) .. '</a>'
  local body = table.concat({
    '<article class="story">\n<header>\n<h1>', e(page.title), '</h1>\n',
    (page.headline and page.headline ~= page.title) and ('<p class="deck">' .. e(page.headline) .. '</p>\n') or '',
    '<p class="by">', table.concat(by, " · "), '</p>\n</header>\n',
    '<div class="copy">\n', page.body, '</div>\n',
    '<div class="rail">', table.concat(rail, "\n"), '</div>\n</article>\n',
  })
  local nb = {}
  if page.next then nb[#nb + 1] = '<li><a rel="next" href="' .. e(folio.url(page.next.url)) .. '">« ' .. e(page.next.title) .. '</a></li>' end
  if page.prev then nb[#nb + 1] = '<li><a rel="prev" href="' .. e(folio.url(page.prev.url)) .. '">' .. e(page.prev.title) .. ' »</a></li>' end
  if #nb > 0 then body = body .. '<nav class="pager" aria-label="' .. e(w.pages) .. '"><ul>' .. table.concat(nb) .. '</ul></nav>\n' end
  local publisher = { ["@type"] = "Organization", name = site.config.author or site.title }
  local authors = {}
  for _, a in ipairs(page.authors) do authors[#authors + 1] = { ["@type"] = "Person", name = a } end
  local jsonld = {
    ["@context"] = "https://schema.org", ["@type"] = "NewsArticle",
    headline = page.headline or page.title, datePublished = page.date,
    dateModified = page.updated or page.date, url = folio.url(page.url, true),
    mainEntityOfPage = folio.url(page.url, true), publisher = publisher,
    author = #authors > 0 and authors or { publisher },
  }
  return folio.partial("shell", { page = page, title = page.title, body = body, description = page.summary,
    type = "article", jsonld = jsonld })
end
