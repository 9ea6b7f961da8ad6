local folio = require("folio")
local h = require("html")
local i18n = require("i18n")
return function(page, site)
  local t, e = i18n(site), h.e
  local body = '<h1>' .. e(t.not_found) .. '</h1>\n<p>' .. e(t.not_found_text) .. '</p>\n<ul>' ..
    '<li><a href="' .. e(folio.url("/archive/")) .. '">' .. e(t.archive) .. '</a></li>' ..
    '<li><a href="' .. e(folio.url("/tags/")) .. '">' .. e(t.tags) .. '</a></li></ul>\n'
  return folio.partial("base", { page = page, title = t.not_found, body = body })
end
