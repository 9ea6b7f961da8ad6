-- One line of a changelog: what happened to an article in one commit.
-- args: { change, show_title }
local folio = require("folio")
local h = require("html")
local i18n = require("i18n")

return function(args, site)
  local c, t, e = args.change, i18n(site), h.e
  local what
  if c.kind == "renamed" then
    what = string.format(t.renamed, c.old_path or "?")
  else
    what = t[c.kind] or c.kind
  end
  if (c.kind == "edited" or c.kind == "renamed") and (c.added > 0 or c.removed > 0) then
    what = what .. " (" .. string.format(t.lines, c.added, c.removed) .. ")"
  end
  local out = {}
  if args.show_title then
    if c.article_url then
      out[#out + 1] = '<a href="' .. e(folio.url(c.article_url)) .. '">' .. e(c.title or c.path) .. '</a> — '
    else
      out[#out + 1] = '<span class="gone">' .. e(c.title or c.path) .. '</span> — '
    end
  end
  out[#out + 1] = '<span class="kind kind-' .. e(c.kind) .. '">' .. e(what) .. '</span>'
  return table.concat(out)
end
