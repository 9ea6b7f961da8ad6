-- /changes/: every commit that touched the content, newest first.
local folio = require("folio")
local h = require("html")
local i18n = require("i18n")

-- The same heading as on the pages of the articles the commit changed (article.lua), made once.
local function commit_heading(c)
  return folio.partial("commit", { commit = c })
end

return function(page, site)
  local t, e = i18n(site), h.e
  local out = { '<h1>' .. e(t.changes_title) .. '</h1>\n' }
  out[#out + 1] = '<p class="count"><a href="' .. e(folio.url("/changes/atom.xml")) .. '">' .. e(t.feed) .. '</a></p>\n'
  if site.history_truncated then
    out[#out + 1] = '<p class="note">' .. e(t.history_truncated) .. '</p>\n'
  end
  if #page.commits == 0 then
    out[#out + 1] = '<p>' .. e(site.has_history and t.no_changes or t.no_history) .. '</p>\n'
  end
  for _, c in ipairs(page.commits) do
    out[#out + 1] = '<section class="commit" id="c-' .. e(c.hash) .. '">\n<h2>' ..
      folio.cached("commit " .. c.hash, commit_heading, c) .. '</h2>\n<ul>\n'
    for _, ch in ipairs(c.changes) do
      out[#out + 1] = '<li>' .. folio.partial("change", { change = ch, show_title = true }) .. '</li>\n'
    end
    out[#out + 1] = '</ul>\n</section>\n'
  end
  local p = page.pager
  if p.total > 1 then
    out[#out + 1] = '<nav class="pager" aria-label="' .. e(t.pagination) .. '"><ul>'
    if p.prev then out[#out + 1] = '<li><a rel="prev" href="' .. e(folio.url(p.prev)) .. '">← ' .. e(t.newer) .. '</a></li>' end
    out[#out + 1] = '<li aria-current="page">' .. e(string.format(t.page, p.number, p.total)) .. '</li>'
    if p.next then out[#out + 1] = '<li><a rel="next" href="' .. e(folio.url(p.next)) .. '">' .. e(t.older) .. ' →</a></li>' end
    out[#out + 1] = '</ul></nav>\n'
  end
  return folio.partial("base", { page = page, title = t.changes, body = table.concat(out),
    feed = "/changes/atom.xml", feed_title = t.changes_title, description = t.changes_title })
end
