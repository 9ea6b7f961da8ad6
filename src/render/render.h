/* render.h: Markdown -> HTML. The only includer of cmark-gfm. */
#ifndef RENDER_H
#define RENDER_H

#include <stddef.h>

/* Call once before any thread renders: registers the GFM extensions. */
void	markdown_init(void);

/*
 * Render Markdown with the GFM extensions (tables, strikethrough, autolink,
 * tagfilter) and smart punctuation. Raw HTML is dropped unless unsafe is
 * set. *html and, when summary is not NULL, *summary (plain text of the
 * first words, at most max_words) are heap strings the caller frees.
 */
int	markdown_render(const char *md, size_t len, int unsafe, char **html,
	    char **summary, size_t max_words);

/* Plain-text summary of HTML: tags dropped, entities kept; caller frees. */
char	*html_summary(const char *html, size_t max_words);

#endif
