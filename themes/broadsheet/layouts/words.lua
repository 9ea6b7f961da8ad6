-- The few words the broadsheet prints, in English and French.
local words = {
  en = { front = "Front page", tags = "Subjects", sources = "Sources", archive = "Archive",
    changes = "Corrections & changes", skip = "Skip to the stories", sections = "Sections",
    edition = "Edition of %s", stories = function(n) return n == 1 and "1 story" or n .. " stories" end,
    page = "Page %d of %d", earlier = "Earlier", later = "Later", pages = "Pages",
    tag = "Subject: %s", source = "From %s", year = "The year %s", month = "%s",
    by = "By", filed = "Filed", history = "Corrections and changes", none = "No recorded change.",
    not_found = "Not in this edition", not_found_text = "Nothing is printed at this address.",
    commit = "Commit", date = "Date", what = "What changed", story = "Story" },
  fr = { front = "À la une", tags = "Sujets", sources = "Sources", archive = "Archives",
    changes = "Rectificatifs et modifications", skip = "Aller aux articles", sections = "Rubriques",
    edition = "Édition du %s", stories = function(n) return n == 1 and "1 article" or n .. " articles" end,
    page = "Page %d sur %d", earlier = "Plus anciens", later = "Plus récents", pages = "Pages",
    tag = "Sujet : %s", source = "Source : %s", year = "L’année %s", month = "%s",
    by = "Par", filed = "Publié", history = "Rectificatifs et modifications", none = "Aucune modification.",
    not_found = "Absent de cette édition", not_found_text = "Rien n’est publié à cette adresse.",
    commit = "Commit", date = "Date", what = "Modification", story = "Article" },
}
return function(site)
  local lang = (site.language or "en"):sub(1, 2)
  return words[lang] or words.en
end
