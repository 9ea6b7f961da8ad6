-- Interface words in English and French; the site's `language` picks one.
local words = {
  en = {
    skip = "Skip to content", home = "Home", tags = "Tags", sources = "Sources",
    archive = "Archive", changes = "Changes", search_nav = "Site",
    newer = "Newer", older = "Older", page = "Page %d of %d",
    published = "Published", by = "By", tagged = "Tags", source = "Sources",
    headline = "Original headline", prev_article = "Previous article", next_article = "Next article",
    added_on = "Added to the archive on %s", revised_on = "Last revised on %s",
    history = "History of this article", history_truncated = "History truncated: earlier changes are not in this copy of the archive.",
    uncommitted = "uncommitted changes", no_history = "No history is available.",
    articles = function(n) return n == 1 and "1 article" or (n .. " articles") end,
    added = "added", edited = "edited", metadata = "metadata changed", renamed = "renamed from %s",
    removed = "removed", lines = "+%d −%d",
    not_found = "Page not found", not_found_text = "There is no page at this address. Try the archive or the list of tags.",
    tag_title = "Tag: %s", source_title = "Source: %s", all_tags = "All tags", all_sources = "All sources",
    archive_title = "Archive by year and month", changes_title = "What changed in the archive",
    feed = "Atom feed", pagination = "Pagination", year_title = "Articles of %s", month_title = "Articles of %s",
    imported = "Imported from", home_title = "Latest articles", no_changes = "No recorded changes.",
    breadcrumb = "Breadcrumb", by_date = "By date",
  },
  fr = {
    skip = "Aller au contenu", home = "Accueil", tags = "Étiquettes", sources = "Sources",
    archive = "Archives", changes = "Modifications", search_nav = "Site",
    newer = "Plus récents", older = "Plus anciens", page = "Page %d sur %d",
    published = "Publié le", by = "Par", tagged = "Étiquettes", source = "Sources",
    headline = "Titre original", prev_article = "Article précédent", next_article = "Article suivant",
    added_on = "Ajouté aux archives le %s", revised_on = "Dernière révision le %s",
    history = "Historique de cet article", history_truncated = "Historique tronqué : les modifications antérieures ne sont pas dans cette copie des archives.",
    uncommitted = "modifications non enregistrées", no_history = "Aucun historique disponible.",
    articles = function(n) return n == 1 and "1 article" or (n .. " articles") end,
    added = "ajouté", edited = "modifié", metadata = "métadonnées modifiées", renamed = "renommé depuis %s",
    removed = "supprimé", lines = "+%d −%d",
    not_found = "Page introuvable", not_found_text = "Aucune page à cette adresse. Essayez les archives ou la liste des étiquettes.",
    tag_title = "Étiquette : %s", source_title = "Source : %s", all_tags = "Toutes les étiquettes",
    all_sources = "Toutes les sources", archive_title = "Archives par année et par mois",
    changes_title = "Ce qui a changé dans les archives", feed = "Flux Atom", pagination = "Pagination",
    year_title = "Articles de %s", month_title = "Articles de %s", imported = "Importé de",
    home_title = "Derniers articles", no_changes = "Aucune modification enregistrée.",
    breadcrumb = "Fil d’Ariane", by_date = "Par date",
  },
}

return function(site)
  return words[site.language] or words.en
end
