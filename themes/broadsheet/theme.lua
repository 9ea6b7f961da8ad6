-- broadsheet: a dense, newspaper-style index for folio, written only with the
-- documented theme API (docs/THEMES.md). Its one hook writes a CSV of sources.
local folio = require("folio")

local function csv(s)
  s = tostring(s or "")
  if s:find('[",\n]') then s = '"' .. s:gsub('"', '""') .. '"' end
  return s
end

return {
  -- /sources.csv: every source outlet with its article count and page
  pages = function(site)
    local rows = { "source,articles,url" }
    for _, s in ipairs(site.sources) do
      rows[#rows + 1] = csv(s.name) .. "," .. s.count .. "," .. csv(folio.url(s.url, true))
    end
    return { { path = "sources.csv", content = table.concat(rows, "\n") .. "\n" } }
  end,
}
