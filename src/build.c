/* build.c: `folio build`: the stages in order
 *
 *   config -> scan content/ -> parse front matter (pass 1)   | git history on a second thread
 *   -> on_article hooks -> site model -> pass 2 on worker threads: article pages
 *   (Markdown -> body -> layout), then list pages, feeds, sitemap, static files
 *   -> pages() and on_done() hooks -> one atomic swap of the output folder.
 */
#define _GNU_SOURCE
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "folio.h"
#include "build.h"
#include "buildstamp.h"
#include "watchdog.h"
#include "content/content.h"
#include "content/metacache.h"
#include "git/git.h"
#include "render/render.h"
#include "site/site.h"
#include "theme/theme.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/cpus.h"
#include "util/diag.h"
#include "util/fsutil.h"
#include "util/sidejob.h"
#include "util/strmap.h"
#include "util/text.h"

#define MAX_ARTICLE_SIZE	(64u * 1024 * 1024)
#define SUMMARY_WORDS		40

struct build {
	const struct build_opts	*opts;
	struct arena		*ar;
	struct config		*cfg;
	char			*site_dir;
	char			*content_dir;
	char			*theme_dir;
	char			*output_dir;
	char			*cache_dir;
	char			**files;		/* .md paths, sorted */
	struct file_stat	*stats;			/* of each file, from the scan */
	size_t			 nfiles;
	struct article		**articles;
	size_t			 narticles;
	struct site		*site;
	struct history		*history;
	struct output		*out;
	struct page		*pages;			/* list pages, for pass 2 */
	size_t			 npages, cappages;
	atomic_size_t		 next_job;
	atomic_int		 failed;
	size_t			 nfeeds;
	struct side_job		 sitemap;		/* made while the pages are: write_feeds() waits */
	int			 tty;
	struct pagecache	*pages_cache;		/* NULL with --no-cache */
	struct metacache	*meta;			/* parsed front matter; NULL with --no-cache */
	struct assets		*assets;		/* static files, fingerprinted */
	struct watchdog		*watchdog;		/* page_time_limit; NULL if none */
	uint64_t		 lists[SITE_NLISTS];	/* hash of each site list */
	uint64_t		 site_key;		/* site-wide scalars a page can see */
	atomic_size_t		 reused;		/* pages linked from the last build */
	atomic_int		 uncacheable;		/* a layout or hook read an untracked file */
	uint64_t		 gitrules;		/* the content folder's .gitignore files, from the scan */
	uint64_t		 files_print;		/* every article file's path and stat, and gitrules */
	uint64_t		 worktree_print;	/* files_print for the history; 0: too recent, or --force */
	uint64_t		*file_prints;		/* each file's stat hashed (0: too recent), for the history */
};

static double
now(void)
{
	struct timeval	tv;

	gettimeofday(&tv, NULL);
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

/* --- pass 1: front matter, on worker threads --- */

struct pass1 {
	struct build	*b;
	struct arena	**arenas;
	atomic_size_t	 next;
};

static void *
parse_worker(void *arg)
{
	struct pass1	*p1 = ((void **)arg)[0];
	struct arena	*ar = ((void **)arg)[1];
	struct build	*b = p1->b;
	struct article	*a;
	const struct file_stat *st;
	char		*text;
	const char	*key;
	size_t		 i, len, said, clen = strlen(b->content_dir);

	while ((i = atomic_fetch_add(&p1->next, 1)) < b->nfiles) {
		st = &b->stats[i];
		if (st->size > MAX_ARTICLE_SIZE) {
			diag(b->files[i], 0, "file is %lld bytes; the limit is %u MB",
			    (long long)st->size, MAX_ARTICLE_SIZE / (1024 * 1024));
			continue;
		}
		key = b->files[i] + clen + 1;
		if ((a = metacache_get(b->meta, ar, key, st)) != NULL)
			a->path = arena_strdup(ar, b->files[i]);
		else {
			said = diag_thread_said();
			if (file_read(b->files[i], &text, &len) == -1)
				continue;
			a = article_parse_meta(ar, b->files[i], text, len);
			free(text);
			if (a == NULL)
				continue;
			if (diag_thread_said() == said)	/* so that a warning is given every build */
				metacache_put(b->meta, key, a, st);
		}
		a->relpath = a->path + clen + 1;
		a->mtime = st->mtime.tv_sec;
		b->articles[i] = a;
	}
	return NULL;
}

/* CPU seconds used so far by every thread of the process, user and system. */
static double
cpu_used(void)
{
	struct rusage	ru;

	if (getrusage(RUSAGE_SELF, &ru) == -1)
		return 0;
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	    (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/*
 * FOLIO_TIMING=1: how long each stage took, on stderr (for profiling, not
 * for tests), and the CPU time all threads used meanwhile: near the wall
 * time, the stage kept one core busy; near twice it, two.
 */
static void
stage(const char *name)
{
	static double	 last, last_cpu;
	static int	 on = -1;
	double		 t = now(), c;

	if (on == -1)
		on = getenv("FOLIO_TIMING") != NULL;
	if (!on)
		return;
	c = cpu_used();
	if (name != NULL)
		fprintf(stderr, "folio: %-22s %7.3f s  cpu %6.3f s\n", name, t - last, c - last_cpu);
	last = t;
	last_cpu = c;
}

static int
njobs(const struct build *b)
{
	long	n = b->opts->jobs > 0 ? b->opts->jobs : cpus_available();

	return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}

static int
parse_all(struct build *b)
{
	struct pass1	 p1;
	pthread_t	*th;
	void		*args[64][2];
	struct arena	*ars[64];
	int		 i, made, n = njobs(b);
	size_t		 j, k;

	b->articles = xcalloc(b->nfiles ? b->nfiles : 1, sizeof(*b->articles));
	p1.b = b;
	atomic_init(&p1.next, 0);
	th = xcalloc((size_t)n, sizeof(*th));
	for (i = 0; i < n; i++) {
		ars[i] = arena_new();
		args[i][0] = &p1;
		args[i][1] = ars[i];
	}
	/* workers 1.. on threads, worker 0 on this one: fewer threads than asked still parse all */
	for (i = 1, made = 0; i < n; i++)
		if (pthread_create(&th[made], NULL, parse_worker, args[i]) == 0)
			made++;
	parse_worker(args[0]);
	for (i = 0; i < made; i++)
		pthread_join(th[i], NULL);
	free(th);
	/* the per-thread arenas live as long as the build: chain them to the build's */
	for (i = 0; i < n; i++)
		arena_adopt(b->ar, ars[i]);
	for (j = k = 0; j < b->nfiles; j++)
		if (b->articles[j] != NULL && (b->opts->drafts || !b->articles[j]->draft))
			b->articles[k++] = b->articles[j];
	b->narticles = k;
	return diag_errors() ? -1 : 0;
}

/* --- the page cache, read on a thread of its own --- */

struct pages_job {
	char			*path;		/* heap */
	uint64_t		 global;
	struct pagecache	*pc;
};

static void *
open_pagecache(void *arg)
{
	struct pages_job	*j = arg;

	j->pc = pagecache_open(j->path, j->global);
	return NULL;
}

/* The cache's new file is put together while the output is swapped; it is written after. */
static void *
seal_pagecache(void *arg)
{
	pagecache_seal(arg);
	return NULL;
}

/* --- git history on a second thread --- */

struct history_job {
	struct build	*b;
	struct arena	*ar;
	struct history	*h;
};

static void *
history_worker(void *arg)
{
	struct history_job	*j = arg;
	struct history_opts	 o;

	memset(&o, 0, sizeof(o));
	o.all_parents = j->b->cfg->history == 2;
	o.cache_dir = j->b->opts->no_cache ? NULL : j->b->cache_dir;
	o.quiet = j->b->opts->quiet;
	o.worktree_print = j->b->worktree_print;
	if (!j->b->opts->force) {
		o.wt_files = j->b->files;
		o.wt_prints = j->b->file_prints;
		o.wt_nfiles = j->b->nfiles;
		o.wt_prefix_len = strlen(j->b->content_dir) + 1;
		o.wt_rules = j->b->gitrules;
	}
	j->h = history_collect(j->ar, j->b->content_dir, &o);
	return NULL;
}

/* The history pass ended (or run here if it had no thread), its arena the build's: b->history set. Once. */
static void
join_history(struct build *b, struct side_job *hist, struct history_job *hj)
{
	if (hj->ar == NULL)
		return;
	side_job_finish(hist);
	arena_adopt(b->ar, hj->ar);
	hj->ar = NULL;
	b->history = hj->h ? hj->h : arena_alloc(b->ar, sizeof(struct history));
}

/* --- pass 2 --- */

/* The page's file in the output: "tags/x/index.html", "404.html". Caller frees. */
static char *
page_file(const struct page *p)
{
	char	*path;

	if (p->kind == PAGE_404)
		return xstrdup("404.html");
	path = xmalloc(strlen(p->path) + 16);
	sprintf(path, "%sindex.html", p->path + 1);
	return path;
}

static uint64_t
page_key(struct build *b, const struct page *p)
{
	uint64_t	k;

	if (p->kind == PAGE_ARTICLE)
		k = pagekey_article(b->site, p->article);
	else
		k = pagekey_list(b->site, (int)p->kind, p->title, p->path, p->base, p->items, p->nitems,
		    p->first, p->number, p->total, p->count, p->term, p->period, p->commits, p->ncommits);
	return hash64_more(k, &b->site_key, sizeof(b->site_key));
}

/* Link last build's file when the page cache says the page's inputs are the same; 1 if done. */
static int
try_reuse(struct build *b, const struct page *p, const char *path)
{
	struct page_entry	*e;
	uint64_t		 last;
	unsigned		 mask;

	if (b->pages_cache == NULL || (e = pagecache_last(b->pages_cache, path, &last, &mask)) == NULL ||
	    (mask & SITE_USES_UNCACHEABLE))
		return 0;
	if (pagekey_with_lists(page_key(b, p), mask, b->lists) != last || output_link(b->out, path) == -1)
		return 0;
	pagecache_keep(e);
	atomic_fetch_add(&b->reused, 1);
	return 1;
}

/* Render a page through the theme, write it, and remember what it read. */
static int
render_page(struct build *b, struct theme *t, const struct page *p, const char *path, struct buf *html)
{
	unsigned	mask;

	buf_reset(html);
	theme_take_reads(t);
	if (theme_render(t, p, html) == -1)
		return -1;
	mask = theme_take_reads(t);
	if (mask & SITE_USES_UNCACHEABLE)
		atomic_store(&b->uncacheable, 1);
	pagecache_record(b->pages_cache, path, pagekey_with_lists(page_key(b, p), mask, b->lists), mask);
	return output_write(b->out, path, html->data, html->len);
}

static int
write_page(struct build *b, struct theme *t, const struct page *p, struct buf *html)
{
	char	*path = page_file(p);
	int	 rc = 0;

	if (!try_reuse(b, p, path))
		rc = render_page(b, t, p, path, html);
	free(path);
	return rc;
}

/* Bodies are not kept after pass 1: read the file again, and make sure it is the one parsed. */
static int
read_body(const struct article *a, char **text)
{
	size_t	len;

	if (file_read(a->path, text, &len) == -1)
		return -1;
	if (a->body_offset > len || len - a->body_offset != a->body_len || hash64(*text, len) != a->hash) {
		free(*text);
		return diag(a->path, 0, "the file changed during the build; build again");
	}
	return 0;
}

static int
render_article(struct build *b, struct theme *t, struct article *a, struct buf *html)
{
	struct page	 p;
	char		*body, *summary = NULL, *path, *text;
	const char	*cached;
	int		 rc = 0;

	memset(&p, 0, sizeof(p));
	p.kind = PAGE_ARTICLE;
	p.title = a->title;
	p.path = a->url;
	p.article = a;
	p.number = p.total = 1;
	path = page_file(&p);
	/* the summary is a function of the file: with it known, an unchanged page needs no Markdown */
	if ((cached = pagecache_summary(b->pages_cache, a->hash)) != NULL) {
		a->summary = xstrdup(cached);	/* heap; freed by free_build(); the cache keeps its line */
		if (try_reuse(b, &p, path))
			goto out;
	}
	if (read_body(a, &text) == -1) {
		rc = -1;
		goto out;
	}
	/* the text parsed (its hash checked): UTF-8 without a NUL, see article_parse_meta() */
	markdown_render(text + a->body_offset, a->body_len,
	    (b->cfg->unsafe_html ? MD_UNSAFE : 0) | MD_UTF8, &body,
	    cached ? NULL : &summary, SUMMARY_WORDS);
	free(text);
	if (cached == NULL) {
		a->summary = summary;
		pagecache_record_summary(b->pages_cache, a->hash, a->summary);
	}
	p.body_html = body;
	rc = render_page(b, t, &p, path, html);
	free(body);
out:
	free(path);
	return rc;
}

struct worker {
	struct build	*b;
	pthread_t	 th;
	struct theme	*theme;
	int		 phase;		/* 0: articles, 1: list pages */
	int		 slot;		/* in the watchdog */
};

static void *
page_worker(void *arg)
{
	struct worker	*w = arg;
	struct build	*b = w->b;
	struct buf	 html;
	size_t		 i, n = w->phase == 0 ? b->site->n : b->npages;

	buf_init(&html);
	while ((i = atomic_fetch_add(&b->next_job, 1)) < n) {
		if (atomic_load(&b->failed) && !b->opts->keep_going)
			break;
		watchdog_enter(b->watchdog, w->slot, w->phase == 0 ? b->site->articles[i]->url : b->pages[i].path);
		if ((w->phase == 0 ? render_article(b, w->theme, b->site->articles[i], &html) :
		    write_page(b, w->theme, &b->pages[i], &html)) == -1)
			atomic_store(&b->failed, 1);
		watchdog_leave(b->watchdog, w->slot);
		if (b->tty && w->phase == 0 && i % 500 == 0 && i > 0)
			fprintf(stderr, "\rfolio: %zu/%zu articles", i, n);
	}
	buf_free(&html);
	return NULL;
}

/* Workers 1.. on threads of their own, worker 0 on this one; a thread that cannot be made is done without. */
static int
run_phase(struct build *b, struct worker *w, int n, int phase)
{
	int	i, *made = xcalloc((size_t)n, sizeof(*made));

	atomic_store(&b->next_job, 0);
	for (i = 0; i < n; i++)
		w[i].phase = phase;
	for (i = 1; i < n; i++)
		made[i] = pthread_create(&w[i].th, NULL, page_worker, &w[i]) == 0;
	page_worker(&w[0]);
	for (i = 1; i < n; i++)
		if (made[i])
			pthread_join(w[i].th, NULL);
	free(made);
	if (b->tty && phase == 0)
		fputs("\r\033[K", stderr);
	return atomic_load(&b->failed) ? -1 : 0;
}

static void
add_page(struct build *b, struct page *p)
{
	if (b->npages == b->cappages) {
		b->cappages = b->cappages ? b->cappages * 2 : 256;
		b->pages = xreallocarray(b->pages, b->cappages, sizeof(*b->pages));
	}
	b->pages[b->npages++] = *p;
}

/* One page per per_page items of a list, at base, base/page/2/ ... */
static void
add_list(struct build *b, enum page_kind kind, const char *title, const char *base,
    struct article **items, size_t n, const struct term *term, const struct period *period)
{
	struct page	p;
	size_t		per = b->cfg->per_page, total = site_pages(b->site, n), i;

	for (i = 1; i <= total; i++) {
		memset(&p, 0, sizeof(p));
		p.kind = kind;
		p.title = title;
		p.base = base;
		p.path = page_path(b->ar, base, i);
		p.number = i;
		p.total = total;
		p.count = n;
		p.first = (i - 1) * per;
		p.items = items + p.first;
		p.nitems = n - p.first < per ? n - p.first : per;
		p.term = term;
		p.period = period;
		add_page(b, &p);
	}
}

static void
plan_pages(struct build *b)
{
	struct site	*s = b->site;
	const struct history *h = s->history;
	struct page	 p;
	size_t		 i, per = b->cfg->per_page, total;

	add_list(b, PAGE_HOME, b->cfg->title, "/", s->articles, s->n, NULL, NULL);
	for (i = 0; i < s->ntags; i++)
		add_list(b, PAGE_TAG, s->tags[i]->name, s->tags[i]->url,
		    s->tags[i]->items, s->tags[i]->n, s->tags[i], NULL);
	for (i = 0; i < s->nsources; i++)
		add_list(b, PAGE_SOURCE, s->sources[i]->name, s->sources[i]->url,
		    s->sources[i]->items, s->sources[i]->n, s->sources[i], NULL);
	for (i = 0; i < s->nyears; i++)
		add_list(b, PAGE_YEAR, s->years[i]->key, s->years[i]->url,
		    s->years[i]->items, s->years[i]->n, NULL, s->years[i]);
	for (i = 0; i < s->nmonths; i++)
		add_list(b, PAGE_MONTH, s->months[i]->key, s->months[i]->url,
		    s->months[i]->items, s->months[i]->n, NULL, s->months[i]);
	memset(&p, 0, sizeof(p));
	p.number = p.total = 1;
	p.kind = PAGE_TAGS;
	p.path = p.base = "/tags/";
	p.count = s->ntags;
	add_page(b, &p);
	p.kind = PAGE_SOURCES;
	p.path = p.base = "/sources/";
	p.count = s->nsources;
	add_page(b, &p);
	p.kind = PAGE_ARCHIVE;
	p.path = p.base = "/archive/";
	p.count = s->n;
	add_page(b, &p);
	p.kind = PAGE_404;
	p.path = "/404.html";
	p.base = NULL;
	p.count = 0;
	add_page(b, &p);
	/* /changes/, paginated over commits */
	total = h && h->available && h->ncommits ? (h->ncommits + per - 1) / per : 1;
	for (i = 1; i <= total; i++) {
		memset(&p, 0, sizeof(p));
		p.kind = PAGE_CHANGES;
		p.base = "/changes/";
		p.path = page_path(b->ar, "/changes/", i);
		p.number = i;
		p.total = total;
		p.count = h && h->available ? h->ncommits : 0;
		p.first = (i - 1) * per;
		if (p.count > p.first) {
			p.commits = &h->commits[p.first];
			p.ncommits = p.count - p.first < per ? p.count - p.first : per;
		}
		add_page(b, &p);
	}
}

/* sitemap.xml, or its index and parts; a write that fails is an error diag() counts, as on any thread. */
static void *
sitemap_worker(void *arg)
{
	struct build	*b = arg;

	sitemap_write(b->site, b->out, NULL, NULL);
	return NULL;
}

static int
write_feeds(struct build *b)
{
	struct site	*s = b->site;
	struct buf	 x;
	size_t		 i;
	int		 rc = 0;

	buf_init(&x);
	feed_articles(&x, s, b->cfg->title, "/atom.xml", "/", s->articles, s->n);
	rc |= output_write(b->out, "atom.xml", x.data, x.len);
	b->nfeeds++;
	for (i = 0; i < s->ntags + s->nsources; i++) {
		struct term *t = i < s->ntags ? s->tags[i] : s->sources[i - s->ntags];
		buf_reset(&x);
		feed_articles(&x, s, arena_printf(b->ar, "%s: %s", b->cfg->title, t->name), t->feed, t->url,
		    t->items, t->n);
		rc |= output_write(b->out, t->feed + 1, x.data, x.len);
		b->nfeeds++;
	}
	buf_reset(&x);
	feed_changes(&x, s);
	rc |= output_write(b->out, "changes/atom.xml", x.data, x.len);
	b->nfeeds++;
	buf_reset(&x);
	buf_printf(&x, "User-agent: *\nAllow: /\n\nSitemap: %ssitemap.xml\n", b->cfg->base_url);
	rc |= output_write(b->out, "robots.txt", x.data, x.len);
	buf_free(&x);
	side_job_finish(&b->sitemap);
	return rc ? -1 : 0;
}

/* Redirect pages at every article's old addresses; an alias that lands on a page is an error. */
static int
write_redirects(struct build *b)
{
	struct strmap	 pages, aliases;
	struct site	*s = b->site;
	struct article	*a, *other;
	struct buf	 html, list;
	const char	*bp = b->cfg->base_path;
	char		*op, *target, *dir, *slash;
	size_t		 i, j, len;
	int		 rc = 0;

	strmap_init(&pages);
	strmap_init(&aliases);
	buf_init(&html);
	buf_init(&list);
	for (i = j = 0; i < s->n; i++)
		j += s->articles[i]->naliases;
	if (j == 0)
		goto out;	/* no alias: no page to check them against (13,000 of them at 10,000 articles) */
	for (i = 0; i < s->n; i++)
		strmap_put(&pages, arena_printf(b->ar, "%sindex.html", s->articles[i]->url + 1), s->articles[i]);
	for (i = 0; i < b->npages; i++)
		strmap_put(&pages, b->pages[i].kind == PAGE_404 ? "404.html" :
		    arena_printf(b->ar, "%sindex.html", b->pages[i].path + 1), &b->pages[i]);
	for (i = 0; i < s->n; i++) {
		a = s->articles[i];
		for (j = 0; j < a->naliases; j++) {
			if ((op = alias_output_path(b->ar, a->aliases[j], bp)) == NULL) {
				rc = diag(a->path, 0, "alias '%s' is not a path folio can write", a->aliases[j]);
				continue;
			}
			if ((other = strmap_get(&aliases, op)) != NULL) {
				rc = diag(a->path, 0, "alias '%s' is also an alias of %s", a->aliases[j], other->path);
				continue;
			}
			if (strmap_get(&pages, op) != NULL) {
				void *pg = strmap_get(&pages, op);
				size_t k;
				for (k = 0; k < s->n && s->articles[k] != pg; k++)
					;
				rc = diag(a->path, 0, "alias '%s' collides with the page /%s%s%s", a->aliases[j], op,
				    k < s->n ? " of " : "", k < s->n ? s->articles[k]->path : "");
				continue;
			}
			strmap_put(&aliases, op, a);
			if (b->cfg->relative_links) {
				dir = arena_printf(b->ar, "/%s", op);
				slash = strrchr(dir, '/');
				slash[1] = '\0';
				target = url_relative(dir, a->url);
			} else {
				target = xmalloc(strlen(bp) + strlen(a->url) + 1);
				sprintf(target, "%s%s", bp, a->url + 1);
			}
			buf_reset(&html);
			redirect_page(&html, b->cfg, a, target);
			free(target);
			rc |= output_write(b->out, op, html.data, html.len);
			/* _redirects: one "from to status" line a redirect */
			len = strlen(op);
			if (len >= 10 && strcmp(op + len - 10, "index.html") == 0)
				len -= 10;
			buf_printf(&list, "%s%.*s %s%s 301\n", bp, (int)len, op, bp, a->url + 1);
		}
	}
	if (list.len)
		rc |= output_write(b->out, "_redirects", list.data, list.len);
out:
	buf_free(&html);
	buf_free(&list);
	strmap_free(&pages);
	strmap_free(&aliases);
	return rc ? -1 : 0;
}

static int
emit_extra(void *arg, const char *path, const char *data, size_t len)
{
	struct build	*b = arg;

	return output_write(b->out, path, data, len);
}

/* What every page depends on: folio, the config, the command line, the theme and the site's layouts. */
static uint64_t
global_key(struct build *b)
{
	const struct build_opts	*o = b->opts;
	uint64_t		 h = hash64(FOLIO_VERSION, sizeof(FOLIO_VERSION));
	char			*text, *p;
	size_t			 len;

	if (file_read_quiet(b->cfg->path, &text, &len) == 0) {
		h = hash64_more(h, text, len);
		free(text);
	}
	h = hash64_more(h, b->cfg->base_url, strlen(b->cfg->base_url) + 1);
	h = hash64_more(h, &b->cfg->relative_links, sizeof(b->cfg->relative_links));
	h = hash64_more(h, &o->drafts, sizeof(o->drafts));
	h = hash64_more(h, &b->cfg->history, sizeof(b->cfg->history));
	h = hash64_more(h, &o->serve_mode, sizeof(o->serve_mode));
	h = hash_tree(h, b->theme_dir, 0);
	p = path_join(b->site_dir, "layouts");
	h = hash_tree(h, p, 0);
	free(p);
	p = path_join(b->site_dir, "static");	/* fingerprinted names appear in pages */
	h = hash_tree(h, p, 0);
	free(p);
	p = path_join(b->site_dir, "site.lua");
	if (file_read_quiet(p, &text, &len) == 0) {
		h = hash64_more(h, text, len);
		free(text);
	}
	free(p);
	return h;
}

/* A cache file of one output folder: "manifest" -> ".folio-cache/manifest-<hash of the folder>". Caller frees. */
static char *
cache_file(const struct build *b, const char *name)
{
	char	 cwd[4096], file[64], *o;

	if (b->output_dir[0] == '/' || getcwd(cwd, sizeof(cwd)) == NULL)
		o = xstrdup(b->output_dir);
	else
		o = path_join(cwd, b->output_dir);
	snprintf(file, sizeof(file), "%s-%016llx", name, (unsigned long long)hash64(o, strlen(o)));
	free(o);
	return path_join(b->cache_dir, file);
}

/* Site-wide values every page can see (site.count, site.updated, ...). */
static uint64_t
site_scalars(const struct site *s)
{
	uint64_t	v[4];

	v[0] = s->n;
	v[1] = (uint64_t)s->updated;
	v[2] = s->history ? (uint64_t)s->history->available : 0;
	v[3] = s->history ? (uint64_t)s->history->shallow : 0;
	return hash64(v, sizeof(v));
}

/*
 * Everything a build reads, as one number: folio itself, the config, theme,
 * layouts and static files (global_key, and their stat), the git history's
 * state, and the content files (files_print). *racy: an input file changed
 * too recently to trust its stat.
 */
static uint64_t
build_inputs(struct build *b, uint64_t gkey, time_t since, int *racy)
{
	static const char *const site_parts[] = { "layouts", "static", "site.lua" };
	struct stat	st;
	char		*p;
	size_t		i;
	uint64_t	h = hash64_more(gkey, "inputs", 6);

	if (stat("/proc/self/exe", &st) == 0)	/* a rebuilt folio of the same version */
		h = hash_stat(h, &st);
	h = hash64_more(h, b->content_dir, strlen(b->content_dir) + 1);
	h = hash64_more(h, &b->files_print, sizeof(b->files_print));
	h = hash64_more(h, &b->opts->quiet, sizeof(b->opts->quiet));	/* what it printed */
	if (b->cfg->history)
		h = hash64_more(h, (uint64_t[]){ history_state(b->content_dir, b->cfg->history == 2) },
		    sizeof(uint64_t));
	h = buildstamp_tree(h, b->cfg->path, since, racy, 0);
	h = buildstamp_tree(h, b->theme_dir, since, racy, 0);
	for (i = 0; i < sizeof(site_parts) / sizeof(site_parts[0]); i++) {
		p = path_join(b->site_dir, site_parts[i]);
		h = buildstamp_tree(h, p, since, racy, 0);
		free(p);
	}
	return h;
}

/* The last line of a good build; unchanged_dir: the output left as it was, by the short cut. */
static void
summary(const struct stamp_counts *c, double secs, const char *unchanged_dir)
{
	fprintf(stderr, "folio: %zu articles, %zu pages (%zu unchanged), %zu feeds, "
	    "%zu files (%zu written) in %.2f s", c->articles, c->pages, c->reused, c->feeds,
	    c->files, c->written, secs);
	if (unchanged_dir != NULL)
		fprintf(stderr, ": nothing changed, %s left as it was", unchanged_dir);
	fputc('\n', stderr);
}

/* What a good build stamps its output with, once it is swapped in. */
struct stamp_job {
	const char		*path;
	uint64_t		 inputs;
	const char		*output_dir;
	struct stamp_counts	 counts;
	char			*printed;	/* heap: what the build printed */
	size_t			 plen;
};

static void
stamp_output(void *arg)
{
	struct stamp_job	*sj = arg;

	buildstamp_write(sj->path, sj->inputs, sj->output_dir, &sj->counts,
	    sj->printed ? sj->printed : "", sj->plen);
}

static void
free_build(struct build *b)
{
	size_t	i;

	content_scan_free(b->files, b->nfiles);
	free(b->stats);
	free(b->file_prints);
	if (b->site)
		for (i = 0; i < b->site->n; i++)
			free((char *)b->site->articles[i]->summary);
	site_free(b->site);
	free(b->articles);
	free(b->pages);
	free(b->site_dir);
	free(b->content_dir);
	free(b->theme_dir);
	free(b->output_dir);
	free(b->cache_dir);
	assets_free(b->assets);
	arena_free(b->ar);
}

static int
setup(struct build *b, const struct build_opts *o)
{
	char	*cfgpath, *site_static, *theme_static;

	b->site_dir = xstrdup(o->site_dir ? o->site_dir : ".");
	cfgpath = o->config_path ? xstrdup(o->config_path) : path_join(b->site_dir, "folio.yaml");
	b->cfg = config_load(b->ar, cfgpath);
	free(cfgpath);
	if (b->cfg == NULL)
		return -1;
	if (o->base_url && config_set_base_url(b->ar, b->cfg, o->base_url) == -1)
		return -1;
	if (o->relative >= 0)
		b->cfg->relative_links = o->relative;
	if (o->no_history)
		b->cfg->history = 0;
	b->content_dir = b->cfg->content_dir[0] == '/' ? xstrdup(b->cfg->content_dir) :
	    path_join(b->site_dir, b->cfg->content_dir);
	if (o->output)
		b->output_dir = xstrdup(o->output);
	else
		b->output_dir = b->cfg->output[0] == '/' ? xstrdup(b->cfg->output) :
		    path_join(b->site_dir, b->cfg->output);
	b->cache_dir = path_join(b->site_dir, ".folio-cache");
	if ((b->theme_dir = theme_find(b->site_dir, b->cfg->theme)) == NULL)
		return diag(b->cfg->path, 0, "theme '%s' not found (looked in themes/ of the site, "
		    "$FOLIO_THEMES and the installed themes)", b->cfg->theme);
	if (!is_dir(b->content_dir))
		return diag(b->content_dir, 0, "no content folder");
	site_static = path_join(b->site_dir, "static");
	theme_static = path_join(b->theme_dir, "static");
	b->assets = assets_scan(site_static, theme_static);
	free(site_static);
	free(theme_static);
	return b->assets ? 0 : -1;
}

int
build_site(const struct build_opts *o)
{
	struct build		 b;
	struct history_job	 hj;
	struct pages_job	 pj;
	pthread_t		 pth, wth;
	struct side_job		 hist;
	struct side_job		 seal;
	struct worker		 w[64];
	struct theme_paths	 tp;
	struct memo_store	*memo = NULL;
	struct theme		*hooks = NULL;
	struct stamp_counts	 counts;
	struct stamp_job	 sj;
	char			*manifest, *pages_path = NULL, *meta_path, *stamp = NULL, *said;
	double			 t0 = now();
	time_t			 started = time(NULL);
	uint64_t		 gkey = 0, inputs = 0;
	int			 i, n, rc = -1, have_pages = 0, warming = 0, scan_rc, racy = 0;
	size_t			 k;

	memset(&b, 0, sizeof(b));
	memset(w, 0, sizeof(w));
	memset(&sj, 0, sizeof(sj));
	memset(&pj, 0, sizeof(pj));
	memset(&hist, 0, sizeof(hist));		/* not started: join_history() does nothing */
	memset(&seal, 0, sizeof(seal));		/* not started: side_job_finish() does nothing */
	memset(&hj, 0, sizeof(hj));
	b.opts = o;
	b.ar = arena_new();
	b.tty = !o->quiet && isatty(2);
	diag_reset();
	markdown_init();
	stage(NULL);
	if (setup(&b, o) == -1)
		goto out;
	stage("config, theme, assets");
	if (b.cfg->history)
		warming = history_warm_up(&wth);	/* meanwhile the content folder is scanned */
	scan_rc = content_scan(b.content_dir, &b.files, &b.stats, &b.nfiles, &b.gitrules);
	stamp = cache_file(&b, "stamp");
	b.file_prints = xcalloc(b.nfiles ? b.nfiles : 1, sizeof(*b.file_prints));
	b.files_print = buildstamp_files(hash64_more(hash64("files", 5), &b.gitrules, sizeof(b.gitrules)),
	    b.files, b.stats, b.nfiles, strlen(b.content_dir) + 1, started, &racy, b.file_prints);
	/* the history pass takes its cached work-tree answer by it; --force asks git again */
	b.worktree_print = racy || o->force ? 0 : b.files_print;
	if (!o->no_cache) {
		gkey = global_key(&b);
		inputs = build_inputs(&b, gkey, started, &racy);
		if (scan_rc == 0 && !o->force && buildstamp_check(stamp, inputs, b.output_dir, &counts, &said) == 0) {
			fputs(said, stderr);
			free(said);
			counts.reused = counts.pages;
			counts.written = 0;
			if (!o->quiet)
				summary(&counts, now() - t0, b.output_dir);
			rc = 0;
			goto out;
		}
	}
	stage("scan, inputs");
	diag_record();
	/* early: the lock is taken before any work, and the staging folder is made ready meanwhile */
	manifest = cache_file(&b, "manifest");
	if (o->no_cache) {
		/* this build's tree will not match the manifest: let no later build trust it */
		unlink(manifest);
		free(manifest);
		manifest = NULL;
	}
	b.out = output_open(b.output_dir, manifest);
	free(manifest);
	if (b.out == NULL)
		goto out;
	unlink(stamp);	/* the output is about to change: no later build may trust the stamp */
	hj.b = &b;
	hj.ar = arena_new();
	if (b.cfg->history)
		side_job_start(&hist, history_worker, &hj);	/* a thread, else in turn */
	if (!o->no_cache) {
		meta_path = path_join(b.cache_dir, "meta");
		b.meta = metacache_open(meta_path);
		free(meta_path);
	}
	rc = scan_rc == -1 ? -1 : parse_all(&b);
	if (getenv("FOLIO_TIMING") != NULL)
		fprintf(stderr, "folio: front matter cached  %zu of %zu\n", metacache_hits(b.meta), b.nfiles);
	metacache_close(b.meta, 1);
	b.meta = NULL;
	stage("front matter");
	/* the page cache (megabytes) is read while the history pass ends and the site is put together */
	if (!o->no_cache) {
		pj.path = cache_file(&b, "pages");
		pj.global = gkey;
		have_pages = pthread_create(&pth, NULL, open_pagecache, &pj) == 0;
		if (!have_pages)
			open_pagecache(&pj);
	}
	/*
	 * The history is waited for only after the on_article hooks and the site
	 * model, which do not use it (the site and its articles get it after):
	 * they fill the core the history pass's last stretch leaves idle.
	 */
	if (rc == -1 && !o->keep_going)
		goto out;
	rc = -1;
	tp.site_dir = b.site_dir;
	tp.theme_dir = b.theme_dir;
	tp.assets = b.assets;
	tp.memo = NULL;		/* the hooks' fragments are made without the site: their own */
	b.watchdog = watchdog_start(b.cfg->page_time_limit, 65, b.output_dir, theme_start_counting);
	/* on_article hooks run before the indexes are built */
	if ((hooks = theme_open(&tp, NULL, b.cfg, o->serve_mode)) == NULL)
		goto out;
	if (watchdog_nudges(b.watchdog))
		theme_count_lazily(hooks);
	for (k = 0; k < b.narticles; k++) {
		watchdog_enter(b.watchdog, 64, b.articles[k]->path);
		rc = theme_on_article(hooks, b.ar, b.articles[k]);
		watchdog_leave(b.watchdog, 64);
		if (rc == -1 && !o->keep_going)
			goto out;
	}
	rc = -1;
	if (theme_take_reads(hooks) & SITE_USES_UNCACHEABLE)
		atomic_store(&b.uncacheable, 1);
	theme_close(hooks);
	hooks = NULL;
	stage("on_article hooks");
	b.site = site_build(b.ar, b.cfg, b.articles, b.narticles);
	if (b.site == NULL)
		goto out;
	stage("site model");
	join_history(&b, &hist, &hj);
	stage("wait for git history");
	b.site->history = b.history;
	for (k = 0; k < b.site->n; k++)
		b.site->articles[k]->history = history_find(b.history, b.site->articles[k]->relpath);
	pagekey_lists(b.site, b.lists);
	b.site_key = site_scalars(b.site);
	n = njobs(&b);
	tp.memo = memo = memo_store_new();	/* one for the workers: a fragment is made once */
	for (i = 0; i < n; i++) {
		w[i].b = &b;
		w[i].slot = i;
		if ((w[i].theme = theme_open(&tp, b.site, b.cfg, o->serve_mode)) == NULL)
			goto out;
		if (watchdog_nudges(b.watchdog))
			theme_count_lazily(w[i].theme);
	}
	/*
	 * Only the pages need the output and the page cache: until here their
	 * threads go on (the spare's files looked at, the cache read) on the
	 * core the page keys and the themes leave idle.
	 */
	if (output_ready(b.out) == -1)
		goto out;
	output_set_precompress(b.out, b.cfg->precompress);
	if (have_pages)
		pthread_join(pth, NULL);
	have_pages = 0;
	b.pages_cache = pj.pc;		/* in use from here: a failed build drops the file */
	pages_path = pj.path;
	pj.pc = NULL;
	pj.path = NULL;
	stage("page keys, themes open, output ready");
	/*
	 * The sitemap needs only the site model: made meanwhile, it fills the
	 * gaps of the pages' phases instead of running alone after the feeds.
	 */
	side_job_start(&b.sitemap, sitemap_worker, &b);
	if (run_phase(&b, w, n, 0) == -1 && !o->keep_going)
		goto out;
	stage("article pages");
	plan_pages(&b);
	if (run_phase(&b, w, n, 1) == -1 && !o->keep_going)
		goto out;
	stage("list pages");
	if (write_feeds(&b) == -1 || assets_write(b.assets, b.out) == -1 || write_redirects(&b) == -1)
		goto out;
	watchdog_enter(b.watchdog, 64, "the pages() and on_done() hooks");
	rc = theme_pages(w[0].theme, emit_extra, &b) == -1 || theme_on_done(w[0].theme) == -1 ? -1 : 0;
	watchdog_leave(b.watchdog, 64);
	if (theme_take_reads(w[0].theme) & SITE_USES_UNCACHEABLE)
		atomic_store(&b.uncacheable, 1);
	if (rc == -1)
		goto out;
	rc = -1;
	if (diag_errors() == 0)
		rc = 0;
out:
	side_job_drop(&b.sitemap);	/* a build that failed before the feeds: not wanted */
	side_job_drop(&hist);		/* a build that failed before it was waited for: not run here */
	join_history(&b, &hist, &hj);
	if (rc == 0 && b.pages_cache != NULL)
		side_job_start(&seal, seal_pagecache, b.pages_cache);
	if (warming)		/* a build that needed no history still waits for libgit2's set-up */
		pthread_join(wth, NULL);
	if (have_pages)		/* failed before the pages: the cache still describes the output */
		pthread_join(pth, NULL);
	pagecache_close(pj.pc, NULL, 0);
	free(pj.path);
	watchdog_stop(b.watchdog);
	for (i = 0; i < 64; i++)
		theme_close(w[i].theme);
	theme_close(hooks);
	memo_store_free(memo);
	/*
	 * The page cache vouches for files of the output: it goes before the swap
	 * and comes back after the new manifest, so that a build killed in between
	 * leaves no page cache that describes another tree than the manifest's.
	 */
	if (pages_path != NULL)
		unlink(pages_path);
	stage("feeds, static, hooks");
	if (b.out) {
		if (getenv("FOLIO_TIMING") != NULL)
			fprintf(stderr, "folio: staging from the spare: %s\n",
			    output_from_spare(b.out) ? "yes" : "no");
		if (rc == 0) {
			counts.articles = b.site->n;
			counts.pages = b.npages + b.site->n;
			counts.reused = atomic_load(&b.reused);
			counts.feeds = b.nfeeds;
			counts.files = output_count(b.out);
			counts.written = output_written(b.out);
		}
		if (rc == 0 && !o->no_cache && !racy && !atomic_load(&b.uncacheable)) {
			sj.path = stamp;
			sj.inputs = inputs;
			sj.output_dir = b.output_dir;
			sj.counts = counts;
			sj.printed = diag_recorded(&sj.plen);
			output_on_swap(b.out, stamp_output, &sj);	/* under the lock: the folder is this build's */
		}
		if (output_close(b.out, rc == 0) == -1)
			rc = -1;
		stage("swap, old tree removed");
		if (rc == 0 && !o->quiet)
			summary(&counts, now() - t0, NULL);
	}
	free(sj.printed);
	free(diag_recorded(&sj.plen));	/* recording stops on every path */
	side_job_finish(&seal);	/* sealed: the cache is written after the new manifest */
	pagecache_close(b.pages_cache, pages_path, rc == 0);
	free(pages_path);
	free(stamp);
	if (rc == -1 && diag_errors())
		fprintf(stderr, "folio: build failed with %zu error%s; %s left as it was\n",
		    diag_errors(), diag_errors() == 1 ? "" : "s", b.output_dir ? b.output_dir : "the output");
	else if (rc == -1)
		fprintf(stderr, "folio: build failed; %s left as it was\n",
		    b.output_dir ? b.output_dir : "the output");
	free_build(&b);
	return rc;
}

static const char build_usage[] =
"usage: folio build [options]\n"
"\n"
"  -C, --site DIR       the site folder (default: the current folder)\n"
"  -c, --config FILE    the config file (default: DIR/folio.yaml)\n"
"  -o, --output DIR     write the site here (default: output in folio.yaml, or public)\n"
"      --base-url URL   override base_url for this build\n"
"      --relative       write every internal link relative to its page\n"
"      --drafts         include articles with draft: true\n"
"  -j, --jobs N         worker threads (default: one per CPU it may use)\n"
"  -f, --force          build even if nothing changed since the last build\n"
"      --no-cache       ignore and do not write .folio-cache/\n"
"      --no-history     do not read the git history (as history: false)\n"
"  -k, --keep-going     report every error of the build (still exits 1)\n"
"  -q, --quiet          print errors only\n"
"  -h, --help           this help\n";

int
cmd_build(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "site", required_argument, NULL, 'C' },
		{ "config", required_argument, NULL, 'c' },
		{ "output", required_argument, NULL, 'o' },
		{ "base-url", required_argument, NULL, 'B' },
		{ "relative", no_argument, NULL, 'R' },
		{ "drafts", no_argument, NULL, 'D' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "force", no_argument, NULL, 'f' },
		{ "no-cache", no_argument, NULL, 'N' },
		{ "no-history", no_argument, NULL, 'H' },
		{ "keep-going", no_argument, NULL, 'k' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct build_opts	o;
	int			ch;

	memset(&o, 0, sizeof(o));
	o.relative = -1;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "C:c:o:j:fkqh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'C': o.site_dir = optarg; break;
		case 'c': o.config_path = optarg; break;
		case 'o': o.output = optarg; break;
		case 'B': o.base_url = optarg; break;
		case 'R': o.relative = 1; break;
		case 'D': o.drafts = 1; break;
		case 'j': o.jobs = atoi(optarg); break;
		case 'f': o.force = 1; break;
		case 'N': o.no_cache = 1; break;
		case 'H': o.no_history = 1; break;
		case 'k': o.keep_going = 1; break;
		case 'q': o.quiet = 1; break;
		case 'h': fputs(build_usage, stdout); return 0;
		default: fputs(build_usage, stderr); return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "folio build: unexpected argument '%s'\n%s", argv[optind], build_usage);
		return 2;
	}
	return build_site(&o) == 0 ? 0 : 1;
}
