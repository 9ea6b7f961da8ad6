-- The index of all tags or all sources, with counts.
-- args: { page, heading, list }
local folio = require("folio")
local h = require("html")
return function(args, site)
  local e = h.e
  local out = { '<h1>' .. e(args.heading) .. '</h1>\n<ul class="terms">\n' }
  for _, term in ipairs(args.list) do
    out[#out + 1] = '<li><a href="' .. e(folio.url(term.url)) .. '">' .. e(term.name) ..
      '</a> <span class="n">' .. term.count .. '</span></li>\n'
  end
  out[#out + 1] = '</ul>\n'
  return folio.partial("base", { page = args.page, title = args.heading, body = table.concat(out),
    description = args.heading })
end
