-- The default theme of folio: semantic HTML5, no JavaScript, light and dark.
-- This file may return hooks: on_article(article), pages(site), on_done(site).
return {}
