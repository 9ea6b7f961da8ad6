/* fuzz_pipeline.c: the whole article pipeline on up to four articles: front
 * matter -> Markdown -> site model -> the default theme's article, tag and
 * home pages and the Atom feed. The input holds the articles one after the
 * other, separated by lines "+++". Besides crashes it checks what reaches
 * the output: no <script> or javascript: link that the theme did not write. */
#define _GNU_SOURCE
#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "folio.h"
#include "content/content.h"
#include "render/render.h"
#include "site/site.h"
#include "theme/theme.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/diag.h"

#ifndef FOLIO_TOP
#define FOLIO_TOP	"."
#endif
#define MAX_ARTICLES	4

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static size_t
count_ci(const char *s, size_t len, const char *needle)
{
	size_t	n = 0, i, nl = strlen(needle);

	for (i = 0; i + nl <= len; i++)
		if (strncasecmp(s + i, needle, nl) == 0)
			n++;
	return n;
}

/* The default theme writes one JSON-LD <script> on some pages and nothing else. */
static void
check_html(const char *what, const char *s, size_t len)
{
	size_t	scripts = count_ci(s, len, "<script"), jsonld = count_ci(s, len, "<script type=\"application/ld+json\">");

	if (scripts != jsonld || count_ci(s, len, "</script") != jsonld ||
	    count_ci(s, len, "href=\"javascript:") || count_ci(s, len, "src=\"javascript:") ||
	    count_ci(s, len, "<iframe") || count_ci(s, len, "<object") || count_ci(s, len, "<svg") ||
	    count_ci(s, len, "<img src=x")) {
		fprintf(stderr, "fuzz_pipeline: markup injected into %s:\n%.*s\n", what, (int)len, s);
		abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct theme_paths tp;
	static struct assets *assets;	/* once: the theme's static files, fingerprinted */
	struct arena	*ar = arena_new();
	struct config	*cfg = config_default(ar);
	struct history	 hist;
	struct article	*arts[MAX_ARTICLES], *a;
	struct site	*site = NULL;
	struct theme	*t = NULL;
	struct page	 p;
	struct buf	 html;
	const char	*s = (const char *)data, *end = s + size, *sep;
	char		*body[MAX_ARTICLES], *summary, path[32];
	size_t		 n = 0, i;

	diag_quiet(getenv("FUZZ_VERBOSE") == NULL);
	markdown_init();
	if (assets == NULL) {
		tp.site_dir = FOLIO_TOP "/tests/fuzz/site";
		tp.theme_dir = FOLIO_TOP "/themes/default";
		if ((assets = assets_scan(FOLIO_TOP "/tests/fuzz/site/static", FOLIO_TOP "/themes/default/static")) == NULL)
			abort();
		tp.assets = assets;
	}
	memset(&hist, 0, sizeof(hist));
	memset(body, 0, sizeof(body));
	buf_init(&html);
	while (s <= end && n < MAX_ARTICLES) {
		sep = memmem(s, (size_t)(end - s), "\n+++\n", 5);
		snprintf(path, sizeof(path), "content/f/%zu.md", n);
		a = article_parse(ar, path, s, (size_t)((sep ? sep + 1 : end) - s));
		if (a != NULL) {
			a->relpath = a->path + 8;
			arts[n++] = a;
		}
		if (sep == NULL)
			break;
		s = sep + 5;
	}
	if (n == 0)
		goto out;
	if ((site = site_build(ar, cfg, arts, n)) == NULL)
		goto out;
	site->history = &hist;
	for (i = 0; i < site->n; i++) {
		a = site->articles[i];
		if (a->url == NULL || a->url[0] != '/' || strstr(a->url, "/../") || strstr(a->url, "//"))
			abort();
		/* as the build renders a parsed article: its text is UTF-8, cmark does not check */
		if (markdown_render(a->body_md, a->body_len, MD_UTF8, &body[i], &summary, 40) == -1)
			goto out;
		a->summary = summary;
		check_html("the body", body[i], strlen(body[i]));
	}
	if ((t = theme_open(&tp, site, cfg, 0)) == NULL)
		abort();	/* the default theme opens whatever the data */
	for (i = 0; i < site->n; i++) {
		memset(&p, 0, sizeof(p));
		p.kind = PAGE_ARTICLE;
		p.title = site->articles[i]->title;
		p.path = site->articles[i]->url;
		p.article = site->articles[i];
		p.body_html = body[i];
		p.number = p.total = 1;
		buf_reset(&html);
		if (theme_render(t, &p, &html) == -1)
			abort();	/* hostile data must not break the theme */
		check_html("an article page", html.data, html.len);
	}
	memset(&p, 0, sizeof(p));
	p.kind = PAGE_HOME;
	p.title = cfg->title;
	p.path = p.base = "/";
	p.items = site->articles;
	p.nitems = p.count = site->n;
	p.number = p.total = 1;
	buf_reset(&html);
	if (theme_render(t, &p, &html) == -1)
		abort();
	check_html("the home page", html.data, html.len);
	if (site->ntags > 0) {
		p.kind = PAGE_TAG;
		p.term = site->tags[0];
		p.title = site->tags[0]->name;
		p.path = p.base = arena_printf(ar, "/tags/%s/", site->tags[0]->key);
		p.items = site->tags[0]->items;
		p.nitems = p.count = site->tags[0]->n;
		buf_reset(&html);
		if (theme_render(t, &p, &html) == -1)
			abort();
		check_html("a tag page", html.data, html.len);
	}
	buf_reset(&html);
	feed_articles(&html, site, cfg->title, "/atom.xml", "/", site->articles, site->n);
	check_html("the feed", html.data, html.len);
out:
	theme_close(t);
	for (i = 0; site && i < site->n; i++)
		free((char *)site->articles[i]->summary);
	for (i = 0; i < MAX_ARTICLES; i++)
		free(body[i]);
	site_free(site);
	buf_free(&html);
	arena_free(ar);
	return 0;
}
