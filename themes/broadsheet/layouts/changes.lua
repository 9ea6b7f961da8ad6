-- The corrections column: every commit as a table row.
local folio = require("folio")
local words = require("words")
return function(page, site)
  local w, e, rows = words(site), folio.escape, {}
  for _, c in ipairs(page.commits) do
    local what = {}
    for _, ch in ipairs(c.changes) do
      local t = ch.article_url and ('<a href="' .. e(folio.url(ch.article_url)) .. '">' .. e(ch.title or ch.path) .. '</a>') or e(ch.title or ch.path)
      what[#what + 1] = t .. ' (' .. e(ch.kind) .. ')'
    end
    rows[#rows + 1] = '<tr><td><time datetime="' .. e(c.date) .. '">' .. e(folio.date(c.date, "%e %b %Y")) .. '</time></td><td>' ..
      e(c.subject) .. '</td><td>' .. table.concat(what, "; ") .. '</td></tr>'
  end
  local body = '<header class="section-head"><h1>' .. e(w.changes) .. '</h1></header>\n'
  if #rows == 0 then
    body = body .. '<p>' .. e(w.none) .. '</p>\n'
  else
    body = body .. '<div class="scroll"><table class="corrections"><thead><tr><th scope="col">' .. e(w.date) .. '</th><th scope="col">' .. e(w.commit) ..
      '</th><th scope="col">' .. e(w.what) .. '</th></tr></thead><tbody>' .. table.concat(rows, "\n") .. '</tbody></table></div>\n'
  end
  local p = page.pager
  if p.total > 1 then
    body = body .. '<nav class="pager" aria-label="' .. e(w.pages) .. '"><ul>' ..
      (p.prev and ('<li><a rel="prev" href="' .. e(folio.url(p.prev)) .. '">« ' .. e(w.later) .. '</a></li>') or '') ..
      (p.next and ('<li><a rel="next" href="' .. e(folio.url(p.next)) .. '">' .. e(w.earlier) .. ' »</a></li>') or '') .. '</ul></nav>\n'
  end
  return folio.partial("shell", { page = page, title = w.changes, body = body })
end
