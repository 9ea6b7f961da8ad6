/* redirect.c: old addresses of articles (front-matter `aliases`) kept alive
 * as small redirect pages and a `_redirects` file for hosts that read one */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "folio.h"
#include "site/site.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/strmap.h"

/*
 * "https://old.example/2019/05/x.html" -> "2019/05/x.html"; "/old/path/" and
 * "/old/path" -> "old/path/index.html". The base path is stripped when the
 * alias carries it. NULL when nothing safe is left (caller reports).
 */
char *
alias_output_path(struct arena *ar, const char *alias, const char *base_path)
{
	const char	*p = alias, *q;
	char		*path, *seg;
	size_t		 len, blen = strlen(base_path);
	struct buf	 b;

	if (strncmp(p, "http://", 7) == 0 || strncmp(p, "https://", 8) == 0) {
		p = strstr(p, "://") + 3;
		if ((p = strchr(p, '/')) == NULL)
			return NULL;
	}
	if (blen > 1 && strncmp(p, base_path, blen) == 0)
		p += blen - 1;
	len = strcspn(p, "?#");
	buf_init(&b);
	/* rebuild segment by segment, refusing '.', '..' and control characters */
	for (q = p; q < p + len;) {
		while (q < p + len && *q == '/')
			q++;
		seg = (char *)q;
		while (q < p + len && *q != '/')
			q++;
		if (q == seg)
			break;
		if ((q - seg == 1 && seg[0] == '.') || (q - seg == 2 && seg[0] == '.' && seg[1] == '.')) {
			buf_free(&b);
			return NULL;
		}
		for (const char *c = seg; c < q; c++)
			if ((unsigned char)*c < 0x20 || *c == '\\') {
				buf_free(&b);
				return NULL;
			}
		if (b.len)
			buf_putc(&b, '/');
		buf_put(&b, seg, (size_t)(q - seg));
	}
	if (b.len == 0) {
		buf_free(&b);
		return NULL;
	}
	if (len > 0 && p[len - 1] == '/')
		buf_puts(&b, "/index.html");
	else if (!(b.len > 5 && (strcmp(b.data + b.len - 5, ".html") == 0 || strcmp(b.data + b.len - 4, ".htm") == 0)))
		buf_puts(&b, "/index.html");
	path = arena_strdup(ar, b.data);
	buf_free(&b);
	return path;
}

static void
put_esc(struct buf *b, const char *s)
{
	buf_put_escaped(b, s, strlen(s));
}

/*
 * The redirect page: works without JavaScript, tells search engines the new
 * address (canonical, noindex), and is a complete page for people and link
 * previews: title, description, Open Graph, a heading and a link in <main>.
 */
void
redirect_page(struct buf *b, const struct config *c, const struct article *a, const char *target)
{
	const char	*desc = a->summary && *a->summary ? a->summary : a->title;
	int		 fr = strcmp(c->language, "fr") == 0;

	buf_puts(b, "<!DOCTYPE html>\n<html lang=\"");
	put_esc(b, c->language);
	buf_puts(b, "\">\n<head>\n<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
	put_esc(b, a->title);
	buf_puts(b, "</title>\n<meta name=\"description\" content=\"");
	put_esc(b, desc);
	buf_puts(b, "\">\n<link rel=\"canonical\" href=\"");
	put_esc(b, c->base_url);
	put_esc(b, a->url + 1);
	buf_puts(b, "\">\n<meta property=\"og:title\" content=\"");
	put_esc(b, a->title);
	buf_puts(b, "\">\n<meta property=\"og:type\" content=\"article\">\n<meta property=\"og:url\" content=\"");
	put_esc(b, c->base_url);
	put_esc(b, a->url + 1);
	buf_puts(b, "\">\n<meta property=\"og:description\" content=\"");
	put_esc(b, desc);
	buf_puts(b, "\">\n<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\" content=\"0; url=");
	put_esc(b, target);
	buf_puts(b, "\">\n</head>\n<body>\n<main>\n<h1>");
	put_esc(b, a->title);
	buf_puts(b, fr ? "</h1>\n<p>Cet article a changé d’adresse : <a href=\"" :
	    "</h1>\n<p>This article has moved to <a href=\"");
	put_esc(b, target);
	buf_puts(b, "\">");
	put_esc(b, c->base_url);
	put_esc(b, a->url + 1);
	buf_puts(b, "</a>.</p>\n</main>\n</body>\n</html>\n");
}
