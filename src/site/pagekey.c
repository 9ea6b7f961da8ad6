/* pagekey.c: hashes of what a page is made of, for the page cache
 *
 * A page's key covers every value the theme can see on it: the fields of
 * each article shown (as mod_site.c pushes them), pager, term, period,
 * history and commits. The site lists a layout reads (site.tags, ...) are
 * covered by one hash per list, mixed in only for the lists the layout
 * read last time (see pagecache.c). The theme files, the config and
 * folio's version are in the global key.
 */
#include <string.h>

#include "folio.h"
#include "site/site.h"
#include "util/fsutil.h"
#include "util/sidejob.h"

struct hasher {
	uint64_t	h;
};

/* A string and its terminating NUL, so that "ab" "c" and "a" "bc" differ; NULL is "\1". */
static void
hs(struct hasher *x, const char *s)
{
	static const char	none = '\1';

	if (s == NULL) {
		x->h = hash64_more(x->h, &none, 1);
		return;
	}
	x->h = hash64_more(x->h, s, strlen(s) + 1);
}

static void
hn(struct hasher *x, uint64_t n)
{
	x->h = hash64_more(x->h, &n, sizeof(n));
}

static void
term_fields(struct hasher *x, const struct term *t)
{
	if (t == NULL) {
		hs(x, NULL);
		return;
	}
	hn(x, t->kind);
	hs(x, t->name);
	hs(x, t->key);
	hn(x, t->n);
}

static void
strings(struct hasher *x, const char **v, size_t n)
{
	size_t	i;

	hn(x, n);
	for (i = 0; i < n; i++)
		hs(x, v[i]);
}

static void
history_summary(struct hasher *x, const struct file_history *h)
{
	if (h == NULL) {
		hs(x, NULL);
		return;
	}
	hn(x, h->created ? (uint64_t)h->created->time : 0);
	hn(x, (uint64_t)h->updated_time);
	hn(x, (uint64_t)(h->updated != NULL));
	hn(x, (uint64_t)h->truncated);
	hn(x, (uint64_t)h->uncommitted);
}

/* An article as a list item: what push_article(a, 0) exposes. */
static uint64_t
item_hash(const struct article *a)
{
	struct hasher	x = { HASH64_INIT };
	size_t		i;

	hn(&x, a->hash);		/* the file: every front-matter field, unknown keys included */
	hs(&x, a->title);		/* hooks may have changed these */
	hs(&x, a->headline);
	hn(&x, (uint64_t)a->draft);
	strings(&x, a->authors, a->nauthors);
	hs(&x, a->url);
	hs(&x, a->slug);
	hs(&x, a->relpath);
	/* a->summary is left out: it is a function of the file (a->hash) and of unsafe_html (global) */
	hn(&x, a->nterms);
	for (i = 0; i < a->nterms; i++)
		term_fields(&x, a->tag_terms[i]);
	hn(&x, a->nsources);
	for (i = 0; i < a->nsources; i++) {
		hs(&x, a->sources[i].name);
		term_fields(&x, a->sources[i].term);
	}
	history_summary(&x, a->history);
	return x.h;
}

/*
 * An article appears on some ten pages (its own, its neighbours', lists by
 * tag, source, month, year, the home page): its item hash is computed once,
 * by pagekey_lists(), before the page workers start.
 */
uint64_t
pagekey_item(const struct article *a)
{
	return a->item_key_set ? a->item_key : item_hash(a);
}

/* A change as a changelog entry shows it, with the article it links to now. */
static uint64_t
change_hash(const struct site *s, const struct file_change *ch)
{
	struct hasher		 h = { HASH64_INIT };
	struct hasher		*x = &h;
	const struct article	*a;
	const char		*title;

	hn(x, ch->kind);
	hs(x, ch->path);
	hs(x, ch->old_path);
	hn(x, ch->added);
	hn(x, ch->removed);
	hs(x, ch->title);
	hs(x, ch->commit ? ch->commit->id : NULL);
	a = site_change_article(s, ch, &title);
	hs(x, a ? a->url : NULL);
	hs(x, a ? a->title : title);
	return h.h;
}

/*
 * A change appears twice: in its commit on /changes/ and in its article's
 * changelog. Its hash is computed once, by pagekey_lists(), before the
 * page workers start.
 */
static void
change_fields(struct hasher *x, const struct site *s, const struct file_change *ch)
{
	hn(x, ch->page_key_set ? ch->page_key : change_hash(s, ch));
}

static void
commit_fields(struct hasher *x, const struct site *s, const struct commit *c)
{
	size_t	i;

	hs(x, c->id);
	hn(x, (uint64_t)c->time);
	hn(x, (uint64_t)(int64_t)c->tz_offset);
	hs(x, c->author);
	hs(x, c->subject);
	hn(x, c->nchanges);
	for (i = 0; i < c->nchanges; i++)
		change_fields(x, s, &c->changes[i]);
}

/* An article page: the item, its history, and its neighbours as items. */
uint64_t
pagekey_article(const struct site *s, const struct article *a)
{
	struct hasher	x = { HASH64_INIT };
	size_t		i;

	hs(&x, "article");
	hn(&x, pagekey_item(a));
	hn(&x, a->prev ? pagekey_item(a->prev) : 0);
	hn(&x, a->next ? pagekey_item(a->next) : 0);
	if (a->history) {
		hn(&x, a->history->n);
		for (i = 0; i < a->history->n; i++)
			change_fields(&x, s, a->history->changes[i]);
	}
	return x.h;
}

/* A list page: kind, place, pager, its items, term, period, commits. */
uint64_t
pagekey_list(const struct site *s, int kind, const char *title, const char *path, const char *base,
    struct article **items, size_t nitems, size_t first, size_t number, size_t total, size_t count,
    const struct term *term, const struct period *period, const struct commit *commits, size_t ncommits)
{
	struct hasher	x = { HASH64_INIT };
	size_t		i;

	hn(&x, (uint64_t)kind);
	hs(&x, title);
	hs(&x, path);
	hs(&x, base);
	hn(&x, first);
	hn(&x, number);
	hn(&x, total);
	hn(&x, count);
	term_fields(&x, term);
	if (period) {
		hn(&x, (uint64_t)period->year);
		hn(&x, (uint64_t)period->month);
		hn(&x, period->n);
		hn(&x, period->index);	/* page.period.index moves when a newer period comes */
	}
	hn(&x, nitems);
	for (i = 0; i < nitems; i++)
		hn(&x, pagekey_item(items[i]));
	hn(&x, ncommits);
	for (i = 0; i < ncommits; i++)
		commit_fields(&x, s, &commits[i]);
	return x.h;
}

/* The hash of site.changes, each change's hash kept on it on the way. */
struct changes_job {
	const struct site	*s;
	uint64_t		 h;
};

static void *
changes_worker(void *arg)
{
	struct changes_job	*j = arg;
	const struct site	*s = j->s;
	struct hasher		 x = { HASH64_INIT };
	struct commit		*c;
	size_t			 i, k;

	if (s->history && s->history->available)
		for (i = 0; i < s->history->ncommits; i++) {
			c = &s->history->commits[i];
			for (k = 0; k < c->nchanges; k++) {
				c->changes[k].page_key = change_hash(s, &c->changes[k]);
				c->changes[k].page_key_set = 1;
			}
			commit_fields(&x, s, c);
		}
	hn(&x, s->history ? (uint64_t)s->history->available : 0);
	hn(&x, s->history ? (uint64_t)s->history->shallow : 0);
	hn(&x, (uint64_t)s->updated);
	j->h = x.h;
	return NULL;
}

/*
 * One hash per site list, in the order of enum site_list; and each
 * article's item hash. The changes (13,000 at 10k articles) are hashed on a
 * thread of their own meanwhile: they need no item hash, only the site
 * model, read-only by now; both halves were a serial stretch of an edit-one
 * rebuild, when the other core had nothing to do.
 */
void
pagekey_lists(const struct site *s, uint64_t out[SITE_NLISTS])
{
	struct hasher		 x;
	struct changes_job	 cj = { s, 0 };
	struct side_job		 changes;
	size_t			 i;

	side_job_start(&changes, changes_worker, &cj);
	x.h = HASH64_INIT;
	for (i = 0; i < s->n; i++) {
		s->articles[i]->item_key = item_hash(s->articles[i]);
		s->articles[i]->item_key_set = 1;
		hn(&x, s->articles[i]->item_key);
	}
	out[SITE_LIST_ARTICLES] = x.h;
	x.h = HASH64_INIT;
	for (i = 0; i < s->ntags; i++)
		term_fields(&x, s->tags[i]);
	out[SITE_LIST_TAGS] = x.h;
	x.h = HASH64_INIT;
	for (i = 0; i < s->nsources; i++)
		term_fields(&x, s->sources[i]);
	out[SITE_LIST_SOURCES] = x.h;
	x.h = HASH64_INIT;
	for (i = 0; i < s->nyears; i++) {
		hs(&x, s->years[i]->key);
		hn(&x, s->years[i]->n);
	}
	out[SITE_LIST_YEARS] = x.h;
	x.h = HASH64_INIT;
	for (i = 0; i < s->nmonths; i++) {
		hs(&x, s->months[i]->key);
		hn(&x, s->months[i]->n);
	}
	out[SITE_LIST_MONTHS] = x.h;
	side_job_finish(&changes);
	out[SITE_LIST_CHANGES] = cj.h;
}

/* Mix the lists a layout read into a page's key; SITE_USES_ANYTHING means never reuse. */
uint64_t
pagekey_with_lists(uint64_t key, unsigned mask, const uint64_t lists[SITE_NLISTS])
{
	struct hasher	x = { key };
	int		i;

	hn(&x, mask);
	for (i = 0; i < SITE_NLISTS; i++)
		if (mask & (1u << i))
			hn(&x, lists[i]);
	return x.h;
}
