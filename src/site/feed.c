/* feed.c: Atom feeds (RFC 4287), the sitemap (sitemaps.org 0.9) and robots.txt */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "folio.h"
#include "site/site.h"
#include "util/buf.h"

#define SITEMAP_MAX	50000	/* URLs in one sitemap file, by the protocol */

/* RFC 3339, section 5.6: 2019-03-07T00:00:00Z */
static void
put_time(struct buf *b, time_t t)
{
	struct tm	tm;
	char		s[32];

	gmtime_r(&t, &tm);
	strftime(s, sizeof(s), "%Y-%m-%dT%H:%M:%SZ", &tm);
	buf_puts(b, s);
}

/* The text from run to end, escaped if it holds a special (most urls and names do not: one scan). */
static void
put_run(struct buf *b, const unsigned char *run, const unsigned char *end, int special)
{
	if (special)
		buf_put_escaped(b, (const char *)run, (size_t)(end - run));
	else
		buf_put(b, (const char *)run, (size_t)(end - run));
}

/*
 * Escaped text that is also a legal XML 1.0 character sequence (section 2.2):
 * C0 controls other than tab, LF and CR, and the noncharacters U+FFFE and
 * U+FFFF, which YAML escapes can put in a title, become U+FFFD rather than
 * make the whole feed unreadable.
 */
static void
put_esc(struct buf *b, const char *s)
{
	/* 1: escaped by buf_put_escaped(); 2: not XML (C0 but tab, LF, CR); 3: may start U+FFFE or U+FFFF */
	static const unsigned char	 kind[256] = {
		[0x01 ... 0x08] = 2, [0x0B ... 0x0C] = 2, [0x0E ... 0x1F] = 2,
		['&'] = 1, ['<'] = 1, ['>'] = 1, ['"'] = 1, ['\''] = 1, [0xEF] = 3,
	};
	const unsigned char	*p = (const unsigned char *)s, *run = p;
	int			 special = 0;	/* the run holds a character buf_put_escaped() escapes */

	/* one pass: the text between two characters of note goes out as it is */
	for (;; p++) {
		while (*p != '\0' && kind[*p] == 0)
			p++;
		if (*p == '\0')
			break;
		if (kind[*p] == 1) {
			special = 1;
			continue;
		}
		if (kind[*p] == 3 && !(p[1] == 0xBF && (p[2] == 0xBE || p[2] == 0xBF)))
			continue;
		put_run(b, run, p, special);
		buf_puts(b, "\xEF\xBF\xBD");
		if (*p == 0xEF)
			p += 2;
		run = p + 1;
		special = 0;
	}
	put_run(b, run, p, special);
}

/* base_url + path, path without its leading '/' */
static void
put_abs(struct buf *b, const struct config *c, const char *path)
{
	while (*path == '/')
		path++;
	put_esc(b, c->base_url);
	put_esc(b, path);
}

static time_t
article_updated(const struct article *a)
{
	if (a->history && (a->history->updated || a->history->uncommitted) &&
	    a->history->updated_time > a->date)
		return a->history->updated_time;
	return a->date;
}

static void
feed_head(struct buf *b, const struct site *s, const char *title, const char *self,
    const char *alternate, time_t updated)
{
	const struct config	*c = s->cfg;

	buf_puts(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"");
	put_esc(b, c->language);
	buf_puts(b, "\">\n<title>");
	put_esc(b, title);
	buf_puts(b, "</title>\n<id>");
	put_abs(b, c, self);
	buf_puts(b, "</id>\n<link rel=\"self\" type=\"application/atom+xml\" href=\"");
	put_abs(b, c, self);
	buf_puts(b, "\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"");
	put_abs(b, c, alternate);
	buf_puts(b, "\"/>\n<updated>");
	put_time(b, updated);
	buf_puts(b, "</updated>\n<author><name>");
	put_esc(b, c->author ? c->author : c->title);
	buf_puts(b, "</name></author>\n<generator version=\"" FOLIO_VERSION "\">folio</generator>\n");
}

/* An Atom feed of the newest feed_size items. */
void
feed_articles(struct buf *b, const struct site *s, const char *title, const char *self,
    const char *alternate, struct article **items, size_t n)
{
	const struct config	*c = s->cfg;
	const struct article	*a;
	time_t			 newest = 0;
	size_t			 i, j;

	if (n > c->feed_size)
		n = c->feed_size;
	for (i = 0; i < n; i++)
		if (article_updated(items[i]) > newest)
			newest = article_updated(items[i]);
	feed_head(b, s, title, self, alternate, newest ? newest : s->updated);
	for (i = 0; i < n; i++) {
		a = items[i];
		buf_puts(b, "<entry>\n<title>");
		put_esc(b, a->title);
		buf_puts(b, "</title>\n<id>");
		put_abs(b, c, a->url);
		buf_puts(b, "</id>\n<link rel=\"alternate\" type=\"text/html\" href=\"");
		put_abs(b, c, a->url);
		buf_puts(b, "\"/>\n<published>");
		put_time(b, a->date);
		buf_puts(b, "</published>\n<updated>");
		put_time(b, article_updated(a));
		buf_puts(b, "</updated>\n");
		for (j = 0; j < a->nauthors; j++) {
			buf_puts(b, "<author><name>");
			put_esc(b, a->authors[j]);
			buf_puts(b, "</name></author>\n");
		}
		for (j = 0; j < a->nterms; j++) {
			buf_puts(b, "<category term=\"");
			put_esc(b, a->tag_terms[j]->key);
			buf_puts(b, "\" label=\"");
			put_esc(b, a->tag_terms[j]->name);
			buf_puts(b, "\"/>\n");
		}
		if (a->summary && *a->summary) {
			buf_puts(b, "<summary type=\"text\">");
			put_esc(b, a->summary);
			buf_puts(b, "</summary>\n");
		}
		buf_puts(b, "</entry>\n");
	}
	buf_puts(b, "</feed>\n");
}

static const char *const kind_words[] = {
	"added", "edited", "metadata changed", "renamed", "removed", "uncommitted"
};

/* The archive's own changes, one entry per commit */
void
feed_changes(struct buf *b, const struct site *s)
{
	const struct config	*c = s->cfg;
	const struct history	*h = s->history;
	const struct commit	*cm;
	const struct article	*a;
	size_t			 i, j, n = h && h->available ? h->ncommits : 0;

	if (n > c->feed_size)
		n = c->feed_size;
	feed_head(b, s, "Changes", "/changes/atom.xml", "/changes/", n ? h->commits[0].time : s->updated);
	for (i = 0; i < n; i++) {
		cm = &h->commits[i];
		buf_puts(b, "<entry>\n<title>");
		put_esc(b, cm->subject ? cm->subject : cm->short_id);
		buf_puts(b, "</title>\n<id>");
		put_abs(b, c, "/changes/");
		buf_puts(b, "#c-");
		put_esc(b, cm->id);
		buf_puts(b, "</id>\n<link rel=\"alternate\" type=\"text/html\" href=\"");
		put_abs(b, c, "/changes/");
		buf_puts(b, "\"/>\n<updated>");
		put_time(b, cm->time);
		buf_puts(b, "</updated>\n<author><name>");
		put_esc(b, cm->author ? cm->author : "unknown");
		buf_puts(b, "</name></author>\n<summary type=\"text\">");
		for (j = 0; j < cm->nchanges; j++) {
			const struct file_change *ch = &cm->changes[j];
			const char *title;
			a = site_change_article(s, ch, &title);
			if (j)
				buf_puts(b, "; ");
			put_esc(b, kind_words[ch->kind]);
			buf_puts(b, ": ");
			put_esc(b, a ? a->title : title ? title : ch->path);
		}
		buf_puts(b, "</summary>\n</entry>\n");
	}
	buf_puts(b, "</feed>\n");
}

struct sitemap {
	struct buf	 b;
	size_t		 n;		/* urls in the current file */
	size_t		 max;		/* urls in one file: sitemap_size */
	size_t		 files;
	struct output	*out;
	const struct config *cfg;
	struct buf	 base;		/* base_url, escaped once */
	time_t		 day;		/* the day of the last lastmod written ... */
	char		 date[16];	/* ... as YYYY-MM-DD */
};

/* One <url>; the base and the last date are kept from the url before: 13,000 of them at 10k articles */
static void
url_entry(struct sitemap *sm, const char *path, time_t lastmod)
{
	struct buf	*b = &sm->b;
	struct tm	 tm;

	buf_puts(b, "<url><loc>");
	while (*path == '/')
		path++;
	buf_put(b, sm->base.data, sm->base.len);
	put_esc(b, path);
	buf_puts(b, "</loc>");
	if (lastmod) {
		if (sm->date[0] == '\0' || lastmod / 86400 != sm->day || lastmod < 0) {
			gmtime_r(&lastmod, &tm);
			strftime(sm->date, sizeof(sm->date), "%Y-%m-%d", &tm);	/* W3C Datetime, date form */
			sm->day = lastmod / 86400;
		}
		buf_puts(b, "<lastmod>");
		buf_puts(b, sm->date);
		buf_puts(b, "</lastmod>");
	}
	buf_puts(b, "</url>\n");
}

static void
sitemap_flush(struct sitemap *sm, int last)
{
	char	name[64];

	if (sm->b.len == 0)
		return;
	buf_puts(&sm->b, "</urlset>\n");
	if (last && sm->files == 0)
		snprintf(name, sizeof(name), "sitemap.xml");
	else
		snprintf(name, sizeof(name), "sitemap-%zu.xml", ++sm->files);
	output_write(sm->out, name, sm->b.data, sm->b.len);
	buf_reset(&sm->b);
	sm->n = 0;
}

static void
sitemap_add(struct sitemap *sm, const char *path, time_t lastmod)
{
	if (sm->n == sm->max)
		sitemap_flush(sm, 0);
	if (sm->b.len == 0)
		buf_puts(&sm->b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		    "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
	url_entry(sm, path, lastmod);
	sm->n++;
}

static time_t
newest_of(struct article *const *items, size_t n)
{
	time_t	t, newest = 0;
	size_t	i;

	for (i = 0; i < n; i++)
		if ((t = article_updated(items[i])) > newest)
			newest = t;
	return newest;
}

/* A paginated list: base (a term's or period's url), then base/page/2/ ... as build.c plans them (site_pages) */
static void
sitemap_list(struct sitemap *sm, const struct site *s, const char *base, size_t nitems, time_t lastmod)
{
	char	path[640];
	size_t	i, total = site_pages(s, nitems);

	sitemap_add(sm, base, lastmod);
	for (i = 2; i <= total; i++) {
		snprintf(path, sizeof(path), "%spage/%zu/", base, i);
		sitemap_add(sm, path, 0);
	}
}

/*
 * sitemap.xml: every page a search engine should index (not 404.html, not the
 * redirect pages); above sitemap_size URLs (50,000 by the protocol), a sitemap
 * index over sitemap-1.xml, sitemap-2.xml ...
 */
void
sitemap_write(const struct site *s, struct output *out, int (*extra)(void *, struct buf *), void *arg)
{
	const struct config	*c = s->cfg;
	const struct history	*h = s->history;
	struct sitemap		 sm;
	struct buf		 idx;
	char			 path[64];
	size_t			 i, per, ncommits, total;
	time_t			 changed, updated;

	(void)extra; (void)arg;
	memset(&sm, 0, sizeof(sm));
	buf_init(&sm.b);
	buf_init(&sm.base);
	put_esc(&sm.base, c->base_url);
	sm.out = out;
	sm.cfg = c;
	sm.max = c->sitemap_size && c->sitemap_size < SITEMAP_MAX ? c->sitemap_size : SITEMAP_MAX;
	updated = newest_of(s->articles, s->n);
	if (s->updated > updated)
		updated = s->updated;
	sitemap_list(&sm, s, "/", s->n, updated);
	for (i = 0; i < s->n; i++)
		sitemap_add(&sm, s->articles[i]->url, article_updated(s->articles[i]));
	for (i = 0; i < s->ntags; i++)
		sitemap_list(&sm, s, s->tags[i]->url, s->tags[i]->n,
		    newest_of(s->tags[i]->items, s->tags[i]->n));
	for (i = 0; i < s->nsources; i++)
		sitemap_list(&sm, s, s->sources[i]->url, s->sources[i]->n,
		    newest_of(s->sources[i]->items, s->sources[i]->n));
	for (i = 0; i < s->nyears; i++)
		sitemap_list(&sm, s, s->years[i]->url, s->years[i]->n,
		    newest_of(s->years[i]->items, s->years[i]->n));
	for (i = 0; i < s->nmonths; i++)
		sitemap_list(&sm, s, s->months[i]->url, s->months[i]->n,
		    newest_of(s->months[i]->items, s->months[i]->n));
	sitemap_add(&sm, "/tags/", 0);
	sitemap_add(&sm, "/sources/", 0);
	sitemap_add(&sm, "/archive/", updated);
	/* /changes/, paginated over commits with per_page as build.c does */
	per = c->per_page ? c->per_page : 20;
	ncommits = h && h->available ? h->ncommits : 0;
	changed = ncommits ? h->commits[0].time : 0;
	total = ncommits ? (ncommits + per - 1) / per : 1;
	sitemap_add(&sm, "/changes/", changed);
	for (i = 2; i <= total; i++) {
		snprintf(path, sizeof(path), "/changes/page/%zu/", i);
		sitemap_add(&sm, path, 0);
	}
	if (sm.files == 0) {
		sitemap_flush(&sm, 1);
	} else {
		sitemap_flush(&sm, 0);
		buf_init(&idx);
		buf_puts(&idx, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		    "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
		for (i = 1; i <= sm.files; i++) {
			snprintf(path, sizeof(path), "/sitemap-%zu.xml", i);
			buf_puts(&idx, "<sitemap><loc>");
			put_abs(&idx, c, path);
			buf_puts(&idx, "</loc></sitemap>\n");
		}
		buf_puts(&idx, "</sitemapindex>\n");
		output_write(out, "sitemap.xml", idx.data, idx.len);
		buf_free(&idx);
	}
	buf_free(&sm.b);
	buf_free(&sm.base);
}
