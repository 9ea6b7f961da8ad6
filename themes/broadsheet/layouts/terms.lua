-- All subjects or all sources, dense, in columns. args: { page, heading, list }
local folio = require("folio")
return function(args, site)
  local e, out = folio.escape, {}
  for _, t in ipairs(args.list) do
    out[#out + 1] = '<li><a href="' .. e(folio.url(t.url)) .. '">' .. e(t.name) .. '</a> <span class="n">' .. t.count .. '</span></li>'
  end
  return folio.partial("shell", { page = args.page, title = args.heading,
    body = '<header class="section-head"><h1>' .. e(args.heading) .. '</h1></header>\n<ul class="index">' .. table.concat(out, "\n") .. '</ul>\n' })
end
