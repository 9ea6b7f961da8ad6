-- A commit's heading: date, subject, author, linked short hash.
-- args: { commit }
local h = require("html")

return function(args, site)
  local c, e = args.commit, h.e
  local hash = c.url and ('<a href="' .. e(c.url) .. '"><code>' .. e(c.short) .. '</code></a>') or
    ('<code>' .. e(c.short) .. '</code>')
  return '<time datetime="' .. e(c.date) .. '">' .. e(h.day(c.date, site)) .. '</time> · ' ..
    e(c.subject or "") .. ' · <span class="author">' .. e(c.author or "") .. '</span> · ' .. hash
end
