/* site.c: the site model: order, slugs, urls, terms, periods */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "folio.h"
#include "content/content.h"
#include "site/site.h"
#include "util/arena.h"
#include "util/diag.h"
#include "util/fsutil.h"
#include "util/strmap.h"
#include "util/text.h"

#define SLUG_MAX	80
#define TERM_KEY_MAX	60

/* One spelling of a term and how often it is used. */
struct spelling {
	const char	*name;
	size_t		 n;
	struct spelling	*next;
	struct term	*term;		/* the term it names */
	int		 aliased;	/* an alias names the term: not counted */
};

struct termset {
	struct strmap	 byfold;	/* fold -> struct term */
	struct strmap	 spellings;	/* fold -> struct spelling list */
	struct strmap	 byname;	/* spelling as written -> struct spelling: folded once */
	struct strmap	 keys;		/* url key -> term */
	struct strmap	 aliases;	/* an alias's folded spelling -> what it names (alias_index()) */
	struct term	**all;
	size_t		  n, cap;
};

static int
by_date_desc(const void *pa, const void *pb)
{
	const struct article	*a = *(struct article *const *)pa;
	const struct article	*b = *(struct article *const *)pb;

	if (a->date != b->date)
		return a->date > b->date ? -1 : 1;
	return strcmp(a->path, b->path);
}

static void
push(struct arena *ar, struct article ***items, size_t *n, size_t *cap, struct article *a)
{
	struct article	**grown;

	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		grown = arena_array(ar, *cap, sizeof(*grown));
		if (*n)
			memcpy(grown, *items, *n * sizeof(*grown));
		*items = grown;
	}
	(*items)[(*n)++] = a;
}

static struct term *
term_get(struct arena *ar, struct termset *ts, enum term_kind kind, const char *name)
{
	struct term	*t;
	struct spelling	*sp;
	const char	*to;
	char		*fold, *f2;

	/* an archive writes a few hundred names tens of thousands of times */
	if ((sp = strmap_get(&ts->byname, name)) != NULL) {
		sp->n += !sp->aliased;
		return sp->term;
	}
	fold = fold_key(name);
	if (*fold == '\0') {		/* only punctuation or spaces: keep as written */
		free(fold);
		fold = xstrdup(name);
	}
	if ((to = strmap_get(&ts->aliases, fold)) != NULL) {	/* the alias's target */
		f2 = fold_key(to);
		free(fold);
		fold = f2;
	}
	if ((t = strmap_get(&ts->byfold, fold)) == NULL) {
		t = arena_alloc(ar, sizeof(*t));
		t->kind = kind;
		t->fold = arena_strdup(ar, fold);
		t->name = to ? arena_strdup(ar, to) : NULL;
		strmap_put(&ts->byfold, t->fold, t);
		if (ts->n == ts->cap) {
			ts->cap = ts->cap ? ts->cap * 2 : 32;
			ts->all = xreallocarray(ts->all, ts->cap, sizeof(*ts->all));
		}
		ts->all[ts->n++] = t;
	}
	free(fold);
	/* a name not met before: a new spelling of its term */
	sp = arena_alloc(ar, sizeof(*sp));
	sp->name = name;
	sp->term = t;
	sp->aliased = to != NULL;
	sp->n = !sp->aliased;
	if (!sp->aliased) {
		sp->next = strmap_get(&ts->spellings, t->fold);
		strmap_put(&ts->spellings, t->fold, sp);
	}
	strmap_put(&ts->byname, name, sp);
	return t;
}

static int
by_term_name(const void *pa, const void *pb)
{
	const struct term	*a = *(struct term *const *)pa;
	const struct term	*b = *(struct term *const *)pb;
	int			 c = strcasecmp(a->key, b->key);

	return c ? c : strcmp(a->name, b->name);
}

/* Display names, url keys; then sort. Keys never collide silently. */
static void
finish_terms(struct arena *ar, struct termset *ts, const char *what)
{
	struct spelling	*sp, *best;
	struct term	*t, *other;
	size_t		 i, k;
	char		*key, *fold_hash;

	for (i = 0; i < ts->n; i++) {
		t = ts->all[i];
		if (t->name == NULL) {
			best = NULL;
			for (sp = strmap_get(&ts->spellings, t->fold); sp; sp = sp->next)
				if (best == NULL || sp->n > best->n ||
				    (sp->n == best->n && strcmp(sp->name, best->name) < 0))
					best = sp;
			t->name = best ? best->name : t->fold;
		}
		key = slugify(t->name, TERM_KEY_MAX);
		if (*key == '\0') {	/* no Latin letters: a stable key from the folded name */
			free(key);
			fold_hash = arena_printf(ar, "t-%08x",
			    (unsigned)(fnv1a64(t->fold, strlen(t->fold)) & 0xffffffffu));
			key = xstrdup(fold_hash);
		}
		t->key = arena_strdup(ar, key);
		for (k = 2; (other = strmap_get(&ts->keys, t->key)) != NULL; k++) {
			t->key = arena_printf(ar, "%s-%zu", key, k);
			if (k == 2)
				diag_warn(NULL, 0, "%s '%s' and '%s' would share the url key '%s'; "
				    "the second gets '%s'", what, other->name, t->name, key, t->key);
		}
		strmap_put(&ts->keys, t->key, t);
		t->url = arena_printf(ar, "/%s/%s/", what, t->key);
		t->feed = arena_printf(ar, "/%s/%s/atom.xml", what, t->key);
		free(key);
	}
	if (ts->n > 0)		/* ts->all is NULL when no article has a tag (or a source) */
		qsort(ts->all, ts->n, sizeof(*ts->all), by_term_name);
}

static struct period *
period_get(struct arena *ar, struct strmap *m, struct period ***all, size_t *n, size_t *cap,
    int year, int month)
{
	struct period	*p;
	char		 key[16];

	if (month)
		snprintf(key, sizeof(key), "%04d/%02d", year, month);
	else
		snprintf(key, sizeof(key), "%04d", year);
	if ((p = strmap_get(m, key)) != NULL)
		return p;
	p = arena_alloc(ar, sizeof(*p));
	p->year = year;
	p->month = month;
	p->key = arena_strdup(ar, key);
	p->url = arena_printf(ar, "/%s/", key);
	p->date = arena_printf(ar, "%04d-%02d-01", year, month ? month : 1);
	strmap_put(m, p->key, p);
	if (*n == *cap) {
		struct period **grown;
		*cap = *cap ? *cap * 2 : 16;
		grown = arena_array(ar, *cap, sizeof(*grown));
		if (*n)
			memcpy(grown, *all, *n * sizeof(*grown));
		*all = grown;
	}
	(*all)[(*n)++] = p;
	return p;
}

/* Each period's place in its list, and each year's months in the order of the site's. */
static void
index_periods(struct arena *ar, struct site *s)
{
	struct period	*y;
	size_t		 i, j;

	for (i = 0; i < s->nmonths; i++)
		s->months[i]->index = i;
	for (i = 0; i < s->nyears; i++) {
		y = s->years[i];
		y->index = i;
		for (j = 0; j < s->nmonths; j++)
			y->nmonths += s->months[j]->year == y->year;
		y->months = arena_array(ar, y->nmonths ? y->nmonths : 1, sizeof(*y->months));
		y->nmonths = 0;
		for (j = 0; j < s->nmonths; j++)
			if (s->months[j]->year == y->year)
				y->months[y->nmonths++] = s->months[j];
	}
}

/* "2019/03/slug" in the arena: the key of a url, made for every article (no printf) */
static char *
month_key(struct arena *ar, const struct article *a, const char *slug)
{
	size_t	len = strlen(slug);
	char	*k;

	if (a->year < 0 || a->year > 9999 || a->month < 1 || a->month > 12)
		return arena_printf(ar, "%04d/%02d/%s", a->year, a->month, slug);
	k = arena_alloc_raw(ar, len + 9);
	k[0] = (char)('0' + a->year / 1000);
	k[1] = (char)('0' + a->year / 100 % 10);
	k[2] = (char)('0' + a->year / 10 % 10);
	k[3] = (char)('0' + a->year % 10);
	k[4] = '/';
	k[5] = (char)('0' + a->month / 10);
	k[6] = (char)('0' + a->month % 10);
	k[7] = '/';
	memcpy(k + 8, slug, len + 1);
	return k;
}

/* slug: from the front matter or the title, made safe for a path; unique per month */
static void
assign_urls(struct arena *ar, struct site *s)
{
	struct strmap	 used;		/* "2019/03/slug" -> article */
	struct strmap	 last;		/* "2019/03/slug" -> last suffix given (size_t *) */
	struct article	*a, *other;
	char		*slug, *key, *url;
	size_t		 i, *k;

	strmap_init(&used);
	strmap_init(&last);
	strmap_reserve(&used, s->n);
	/* oldest first, so that adding a newer article never renames an older one */
	for (i = s->n; i-- > 0;) {
		a = s->articles[i];
		slug = slugify(a->slug_given ? a->slug_given : a->title, SLUG_MAX);
		if (*slug == '\0') {
			free(slug);
			slug = xstrdup("article");
		}
		a->slug = arena_strdup(ar, slug);
		key = month_key(ar, a, a->slug);
		if ((other = strmap_get(&used, key)) != NULL) {
			/* count on from the last suffix given: n equal titles cost n tries, not n*n/2 */
			if ((k = strmap_get(&last, key)) == NULL) {
				k = arena_alloc(ar, sizeof(*k));
				*k = 1;
				strmap_put(&last, key, k);
			}
			do {
				a->slug = arena_printf(ar, "%s-%zu", slug, ++*k);
				key = month_key(ar, a, a->slug);
			} while (strmap_get(&used, key) != NULL);
			diag_warn(a->path, 0, "slug '%s' is already used by %s; this article gets '%s'",
			    slug, other->path, a->slug);
		}
		strmap_put(&used, key, a);
		url = arena_alloc_raw(ar, strlen(key) + 3);
		url[0] = '/';
		strcpy(url + 1, key);
		strcat(url + 1, "/");
		a->url = url;
		free(slug);
	}
	strmap_free(&used);
	strmap_free(&last);
}

static void
link_terms(struct arena *ar, struct site *s, struct termset *tags, struct termset *sources)
{
	const struct config	*c = s->cfg;
	struct article		*a;
	struct term		*t;
	size_t			 i, j, k;

	/* a new spelling is then one lookup, not a fold of every alias (9,000 tags
	 * against 50,000 aliases took a second) */
	alias_index(ar, &tags->aliases, c->tag_aliases, c->ntag_aliases);
	alias_index(ar, &sources->aliases, c->source_aliases, c->nsource_aliases);
	for (i = 0; i < s->n; i++) {
		a = s->articles[i];
		a->tag_terms = arena_array(ar, a->ntags ? a->ntags : 1, sizeof(*a->tag_terms));
		a->nterms = 0;
		for (j = 0; j < a->ntags; j++) {
			t = term_get(ar, tags, TERM_TAG, a->tags[j]);
			for (k = 0; k < a->nterms && a->tag_terms[k] != t; k++)
				;
			if (k < a->nterms)
				continue;	/* the same tag twice on one article */
			a->tag_terms[a->nterms++] = t;
			push(ar, &t->items, &t->n, &t->cap, a);
		}
		for (j = 0; j < a->nsources; j++) {
			t = term_get(ar, sources, TERM_SOURCE, a->sources[j].name);
			a->sources[j].term = t;
			for (k = 0; k < j && a->sources[k].term != t; k++)
				;
			if (k == j)
				push(ar, &t->items, &t->n, &t->cap, a);
		}
	}
}

static struct term **
keep_terms(struct arena *ar, struct termset *ts, size_t *n)
{
	struct term	**v = arena_array(ar, ts->n ? ts->n : 1, sizeof(*v));

	if (ts->n)
		memcpy(v, ts->all, ts->n * sizeof(*v));
	*n = ts->n;
	free(ts->all);
	strmap_free(&ts->byfold);
	strmap_free(&ts->spellings);
	strmap_free(&ts->byname);
	strmap_free(&ts->keys);
	strmap_free(&ts->aliases);
	return v;
}

struct site *
site_build(struct arena *ar, const struct config *cfg, struct article **articles, size_t n)
{
	struct site	*s = arena_alloc(ar, sizeof(*s));
	struct termset	 tags, sources;
	struct strmap	 years, months;
	struct period	*year = NULL, *month = NULL;
	struct article	*a;
	size_t		 i, ycap = 0, mcap = 0;

	memset(&tags, 0, sizeof(tags));
	memset(&sources, 0, sizeof(sources));
	strmap_init(&years);
	strmap_init(&months);
	s->cfg = cfg;
	s->articles = articles;
	s->n = n;
	qsort(articles, n, sizeof(*articles), by_date_desc);
	assign_urls(ar, s);
	link_terms(ar, s, &tags, &sources);
	finish_terms(ar, &tags, "tags");
	finish_terms(ar, &sources, "sources");
	s->tags = keep_terms(ar, &tags, &s->ntags);
	s->sources = keep_terms(ar, &sources, &s->nsources);
	for (i = 0; i < n; i++) {
		a = articles[i];
		a->index = i;
		a->next = i > 0 ? articles[i - 1] : NULL;
		a->prev = i + 1 < n ? articles[i + 1] : NULL;
		/* sorted by date: most articles are in the year and month of the one before */
		if (year == NULL || year->year != a->year)
			year = period_get(ar, &years, &s->years, &s->nyears, &ycap, a->year, 0);
		push(ar, &year->items, &year->n, &year->cap, a);
		if (month == NULL || month->year != a->year || month->month != a->month)
			month = period_get(ar, &months, &s->months, &s->nmonths, &mcap, a->year, a->month);
		push(ar, &month->items, &month->n, &month->cap, a);
		if (a->date > s->updated)
			s->updated = a->date;
	}
	strmap_free(&years);
	strmap_free(&months);
	index_periods(ar, s);
	s->bypath = xcalloc(1, sizeof(struct strmap));
	strmap_init(s->bypath);
	strmap_reserve(s->bypath, n);
	for (i = 0; i < n; i++)
		if (articles[i]->relpath)
			strmap_put(s->bypath, articles[i]->relpath, articles[i]);
	return s;
}

struct article *
site_find(const struct site *s, const char *relpath)
{
	return s->bypath ? strmap_get(s->bypath, relpath) : NULL;
}

void
site_free(struct site *s)
{
	if (s == NULL || s->bypath == NULL)
		return;
	strmap_free(s->bypath);
	free(s->bypath);
	s->bypath = NULL;
}

size_t
site_pages(const struct site *s, size_t n)
{
	size_t	per = s->cfg->per_page ? s->cfg->per_page : 20;

	return n == 0 ? 1 : (n + per - 1) / per;
}

char *
page_path(struct arena *ar, const char *base, size_t page)
{
	if (page <= 1)
		return arena_strdup(ar, base);
	return arena_printf(ar, "%spage/%zu/", base, page);
}

/* A later change of the history that moved path away or removed it; NULL if none. */
static const struct file_change *
fate_of(const struct history *h, const char *path, time_t after)
{
	const struct file_change	*found = NULL;
	size_t				 i, j;

	/* commits are newest first: the last match is the earliest change after `after` */
	for (i = 0; i < h->ncommits && h->commits[i].time >= after; i++)
		for (j = 0; j < h->commits[i].nchanges; j++) {
			const struct file_change *c = &h->commits[i].changes[j];
			if ((c->kind == CHANGE_RENAMED && c->old_path && strcmp(c->old_path, path) == 0) ||
			    (c->kind == CHANGE_REMOVED && strcmp(c->path, path) == 0))
				found = c;
		}
	return found;
}

const struct article *
site_change_article(const struct site *s, const struct file_change *ch, const char **title)
{
	const struct history		*h = s->history;
	const struct file_change	*next;
	const struct article		*a = NULL;
	const char			*path = ch->path;
	time_t				 when = ch->commit ? ch->commit->time : 0;
	int				 hops;

	*title = ch->title;
	if (ch->kind == CHANGE_REMOVED)
		return NULL;
	/* the path as it is now: follow renames forward, stop at a removal */
	for (hops = 0; hops < 16; hops++) {
		if ((a = site_find(s, path)) != NULL)
			return a;
		if (h == NULL || !h->available || (next = fate_of(h, path, when)) == NULL)
			return NULL;
		if (next->kind == CHANGE_REMOVED) {
			*title = next->title;
			return NULL;
		}
		path = next->path;
		when = next->commit ? next->commit->time : when;
	}
	return NULL;
}
