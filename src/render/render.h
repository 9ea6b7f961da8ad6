/* render.h: Markdown -> HTML. The only includer of cmark-gfm. */
#ifndef RENDER_H
#define RENDER_H

#include <stddef.h>

/* Call once before any thread renders: registers the GFM extensions. */
void	markdown_init(void);

#define MD_UNSAFE	1	/* keep raw HTML */
#define MD_UTF8		2	/* md is known to be valid UTF-8: cmark need not check it */

/*
 * Render Markdown with the GFM extensions (tables, strikethrough, autolink,
 * tagfilter) and smart punctuation. Raw HTML is dropped unless flags has
 * MD_UNSAFE; without MD_UTF8, invalid UTF-8 becomes U+FFFD. *html and, when
 * summary is not NULL, *summary (plain text of the first words, at most
 * max_words) are heap strings the caller frees.
 */
int	markdown_render(const char *md, size_t len, int flags, char **html,
	    char **summary, size_t max_words);

/* Plain-text summary of HTML: tags dropped, entities kept; caller frees. */
char	*html_summary(const char *html, size_t max_words);

#endif
