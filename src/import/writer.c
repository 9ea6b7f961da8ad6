/*
 * writer.c: posts -> <out>/<year>/<slug>.md, merged, idempotent, and never
 * over a hand edit.
 *
 * What folio wrote is recorded in <out>/.folio-import, a tab-separated
 * manifest: a "file" line per article (path, FNV-1a hash of the bytes
 * folio wrote, date) followed by the lists a later import merges into
 * ("tag", "from", "author", "source" lines). An article whose bytes no
 * longer hash to the recorded value was edited by hand: a later import
 * leaves it alone and says so, unless --force. A file folio never wrote
 * is left alone the same way. Nothing is written when nothing changed,
 * so a second import of the same pages touches no file.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "folio.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/fsutil.h"
#include "util/text.h"
#include "content/content.h"
#include "import/impl.h"

#define MANIFEST	".folio-import"

struct list {
	const char	**v;
	size_t		  n;
	size_t		  cap;
};

struct srclist {
	struct import_source	*v;
	size_t			 n;
	size_t			 cap;
};

struct mentry {
	const char	*rel;
	uint64_t	 hash;
	const char	*date;
	struct list	 tags, from, authors;
	struct srclist	 sources;
};

struct art {
	const char		*rel;		/* "2019/slug.md" */
	struct import_post	 post;		/* merged over pages */
	struct list		 tags, from, authors;
	struct srclist		 sources;
	enum art_status		 status;
	const char		*why;		/* ART_SKIPPED: the reason */
};

struct run {
	struct arena	*ar;
	const char	*out;
	int		 dry, force;
	struct art	*arts;
	size_t		 n, cap;
	struct mentry	*man;
	size_t		 nman, mcap;
	size_t		 nloaded;	/* entries read from the file, sorted by rel */
	char		*man_text;	/* as read, to write only on change */
	size_t		*index;		/* open addressing on rel: art number + 1, 0 empty */
	size_t		 isize;		/* a power of two, over twice n */
};

/* The slot of rel in the index: its article's, or the empty one it would take. */
static size_t *
slot(struct run *r, const char *rel)
{
	size_t	i = (size_t)hash64(rel, strlen(rel)) & (r->isize - 1);

	while (r->index[i] != 0 && strcmp(r->arts[r->index[i] - 1].rel, rel) != 0)
		i = (i + 1) & (r->isize - 1);
	return &r->index[i];
}

static void
reindex(struct run *r)
{
	size_t	i;

	r->isize = r->isize ? r->isize * 2 : 64;
	r->index = arena_array(r->ar, r->isize, sizeof(*r->index));
	for (i = 0; i < r->n; i++)
		*slot(r, r->arts[i].rel) = i + 1;
}

static void
list_add(struct arena *ar, struct list *l, const char *s, int fold)
{
	size_t	i;
	char	*a, *b;
	int	same;

	for (i = 0; i < l->n; i++) {
		if (strcmp(l->v[i], s) == 0)
			return;
		if (fold) {
			a = fold_key(l->v[i]);
			b = fold_key(s);
			same = a[0] != '\0' && strcmp(a, b) == 0;
			free(a);
			free(b);
			if (same)
				return;
		}
	}
	l->v = grow_array(ar, l->v, l->n + 1, &l->cap, sizeof(*l->v));
	l->v[l->n++] = s;
}

static int
same_str(const char *a, const char *b)
{
	return a == NULL || b == NULL || strcmp(a, b) == 0;
}

static void
src_add(struct arena *ar, struct srclist *l, const struct import_source *s)
{
	size_t	i;
	char	*a, *b;
	int	same;

	for (i = 0; i < l->n; i++) {
		a = fold_key(l->v[i].name);
		b = fold_key(s->name);
		same = strcmp(a, b) == 0 && same_str(l->v[i].url, s->url) &&
		    same_str(l->v[i].date, s->date);
		free(a);
		free(b);
		if (same) {
			if (l->v[i].url == NULL)
				l->v[i].url = s->url;
			if (l->v[i].date == NULL)
				l->v[i].date = s->date;
			return;
		}
	}
	l->v = grow_array(ar, l->v, l->n + 1, &l->cap, sizeof(*l->v));
	l->v[l->n++] = *s;
}

struct run *
run_new(struct arena *ar, const char *out, int dry, int force)
{
	struct run	*r = arena_alloc(ar, sizeof(*r));

	r->ar = ar;
	r->out = out;
	r->dry = dry;
	r->force = force;
	return r;
}

static const char *
field(struct arena *ar, char **p)
{
	char	*s = *p, *t;

	if (s == NULL)
		return NULL;
	if ((t = strchr(s, '\t')) != NULL) {
		*t = '\0';
		*p = t + 1;
	} else
		*p = NULL;
	return arena_strdup(ar, s);
}

static int
cmp_entry(const void *x, const void *y)
{
	return strcmp(((const struct mentry *)x)->rel, ((const struct mentry *)y)->rel);
}

/* Read <out>/.folio-import (absent: empty). */
int
run_load_manifest(struct run *r)
{
	char		*path, *text = NULL, *line, *next, *p;
	size_t		 len;
	struct mentry	*m = NULL;
	const char	*kind, *a;

	path = path_join(r->out, MANIFEST);
	if (!path_exists(path)) {
		free(path);
		return 0;
	}
	if (file_read(path, &text, &len) == -1) {
		free(path);
		return -1;
	}
	r->man_text = arena_strdup(r->ar, text);
	for (line = text; line != NULL && *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		p = line;
		if ((kind = field(r->ar, &p)) == NULL || kind[0] == '#')
			continue;
		if (strcmp(kind, "file") == 0) {
			r->man = grow_array(r->ar, r->man, r->nman + 1, &r->mcap, sizeof(*r->man));
			m = &r->man[r->nman++];
			memset(m, 0, sizeof(*m));
			m->rel = field(r->ar, &p);
			a = field(r->ar, &p);
			m->hash = a ? strtoull(a, NULL, 16) : 0;
			m->date = field(r->ar, &p);
			if (m->rel == NULL)
				r->nman--, m = NULL;
			continue;
		}
		if (m == NULL || (a = field(r->ar, &p)) == NULL)
			continue;
		if (strcmp(kind, "tag") == 0)
			list_add(r->ar, &m->tags, a, 0);
		else if (strcmp(kind, "from") == 0)
			list_add(r->ar, &m->from, a, 0);
		else if (strcmp(kind, "author") == 0)
			list_add(r->ar, &m->authors, a, 0);
		else if (strcmp(kind, "source") == 0) {
			struct import_source s;
			const char *u = field(r->ar, &p), *d = field(r->ar, &p);

			s.name = a;
			s.url = u && *u ? u : NULL;
			s.date = d && *d ? d : NULL;
			src_add(r->ar, &m->sources, &s);
		}
	}
	free(text);
	free(path);
	if (r->nman > 0)
		qsort(r->man, r->nman, sizeof(*r->man), cmp_entry);
	r->nloaded = r->nman;
	return 0;
}

/* What an earlier import recorded for rel, or NULL (entries added by this run are unique). */
static struct mentry *
man_find(struct run *r, const char *rel)
{
	struct mentry	key;

	memset(&key, 0, sizeof(key));
	key.rel = rel;
	if (r->nloaded == 0)	/* r->man may be NULL: bsearch(NULL, 0) is undefined */
		return NULL;
	return bsearch(&key, r->man, r->nloaded, sizeof(*r->man), cmp_entry);
}

static const char *
post_date(struct arena *ar, const struct import_post *po)
{
	return arena_printf(ar, "%04d-%02d-%02d", po->year, po->month, po->day);
}

/*
 * The article a post belongs to: the same year and slug and the same date
 * is the same post (met on another page, or again on this one); the same
 * slug with another date is another post and gets "-2", "-3"...
 */
size_t
run_add(struct run *r, const struct import_post *po)
{
	char		*slug, *rel;
	const char	*date = post_date(r->ar, po);
	struct mentry	*m;
	struct art	*a;
	size_t		 i, k;
	int		 clash;

	slug = slugify(po->title, 80);
	if (slug[0] == '\0') {
		free(slug);
		slug = xstrdup(arena_printf(r->ar, "post-%08" PRIx32,
		    (uint32_t)fnv1a64(po->title, strlen(po->title))));
	}
	for (k = 1;; k++) {
		rel = k == 1 ? arena_printf(r->ar, "%04d/%s.md", po->year, slug) :
		    arena_printf(r->ar, "%04d/%s-%zu.md", po->year, slug, k);
		clash = 0;
		if ((r->n + 1) * 2 > r->isize)
			reindex(r);
		i = *slot(r, rel) ? *slot(r, rel) - 1 : r->n;
		if (i < r->n && strcmp(post_date(r->ar, &r->arts[i].post), date) != 0)
			clash = 1;
		if (!clash && i == r->n && (m = man_find(r, rel)) != NULL && m->date != NULL &&
		    strcmp(m->date, date) != 0)
			clash = 1;
		if (!clash)
			break;
	}
	free(slug);
	if (i < r->n) {
		a = &r->arts[i];
		if (a->post.headline == NULL)
			a->post.headline = po->headline;
		if (strlen(po->body) > strlen(a->post.body))
			a->post.body = po->body;	/* one page may show an excerpt only */
	} else {
		r->arts = grow_array(r->ar, r->arts, r->n + 1, &r->cap, sizeof(*r->arts));
		a = &r->arts[r->n++];
		memset(a, 0, sizeof(*a));
		a->rel = rel;
		a->post = *po;
		*slot(r, rel) = r->n;
	}
	for (k = 0; k < po->ntags; k++)
		list_add(r->ar, &a->tags, po->tags[k], 1);
	for (k = 0; k < po->nfrom; k++)
		list_add(r->ar, &a->from, po->from[k], 0);
	for (k = 0; k < po->nauthors; k++)
		list_add(r->ar, &a->authors, po->authors[k], 1);
	for (k = 0; k < po->nsources; k++)
		src_add(r->ar, &a->sources, &po->sources[k]);
	return (size_t)(a - r->arts);
}

/* Earlier imports come first in every list, so that re-imports change nothing. */
static void
merge_manifest(struct run *r, struct art *a, const struct mentry *m)
{
	struct list	tags = { 0 }, from = { 0 }, authors = { 0 };
	struct srclist	sources = { 0 };
	size_t		i;

	for (i = 0; i < m->tags.n; i++)
		list_add(r->ar, &tags, m->tags.v[i], 1);
	for (i = 0; i < a->tags.n; i++)
		list_add(r->ar, &tags, a->tags.v[i], 1);
	for (i = 0; i < m->from.n; i++)
		list_add(r->ar, &from, m->from.v[i], 0);
	for (i = 0; i < a->from.n; i++)
		list_add(r->ar, &from, a->from.v[i], 0);
	for (i = 0; i < m->authors.n; i++)
		list_add(r->ar, &authors, m->authors.v[i], 1);
	for (i = 0; i < a->authors.n; i++)
		list_add(r->ar, &authors, a->authors.v[i], 1);
	for (i = 0; i < m->sources.n; i++)
		src_add(r->ar, &sources, &m->sources.v[i]);
	for (i = 0; i < a->sources.n; i++)
		src_add(r->ar, &sources, &a->sources.v[i]);
	a->tags = tags;
	a->from = from;
	a->authors = authors;
	a->sources = sources;
}

static int
render(struct run *r, struct art *a, const char *path, struct buf *b)
{
	struct article	 ar;
	struct source	*s;
	size_t		 i;

	memset(&ar, 0, sizeof(ar));
	ar.path = path;
	ar.title = a->post.title;
	ar.date_str = post_date(r->ar, &a->post);
	ar.tags = a->tags.v;
	ar.ntags = a->tags.n;
	ar.authors = a->authors.v;
	ar.nauthors = a->authors.n;
	ar.imported_from = a->from.v;
	ar.nimported = a->from.n;
	ar.headline = a->post.headline;
	s = arena_array(r->ar, a->sources.n + 1, sizeof(*s));
	for (i = 0; i < a->sources.n; i++) {
		s[i].name = a->sources.v[i].name;
		s[i].url = a->sources.v[i].url;
		s[i].date = a->sources.v[i].date;
	}
	ar.sources = s;
	ar.nsources = a->sources.n;
	if (frontmatter_emit(b, &ar) == -1)
		return -1;
	buf_putc(b, '\n');
	buf_puts(b, a->post.body);
	return 0;
}

static void
clean_field(struct buf *b, const char *s)
{
	buf_putc(b, '\t');
	for (; s != NULL && *s != '\0'; s++)
		buf_putc(b, *s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s);
}

static int
write_manifest(struct run *r)
{
	struct buf	 b;
	char		*path;
	size_t		 i, k;
	struct mentry	*m;
	int		 rc = 0;

	if (r->nman > 0)	/* NULL when nothing was imported */
		qsort(r->man, r->nman, sizeof(*r->man), cmp_entry);
	buf_init(&b);
	buf_puts(&b, "# folio import: what folio wrote (path, hash, date, merged lists);"
	    " an article whose hash differs was edited by hand\n");
	for (i = 0; i < r->nman; i++) {
		m = &r->man[i];
		buf_puts(&b, "file");
		clean_field(&b, m->rel);
		buf_printf(&b, "\t%016" PRIx64, m->hash);
		clean_field(&b, m->date);
		buf_putc(&b, '\n');
		for (k = 0; k < m->tags.n; k++) {
			buf_puts(&b, "tag");
			clean_field(&b, m->tags.v[k]);
			buf_putc(&b, '\n');
		}
		for (k = 0; k < m->from.n; k++) {
			buf_puts(&b, "from");
			clean_field(&b, m->from.v[k]);
			buf_putc(&b, '\n');
		}
		for (k = 0; k < m->authors.n; k++) {
			buf_puts(&b, "author");
			clean_field(&b, m->authors.v[k]);
			buf_putc(&b, '\n');
		}
		for (k = 0; k < m->sources.n; k++) {
			buf_puts(&b, "source");
			clean_field(&b, m->sources.v[k].name);
			clean_field(&b, m->sources.v[k].url);
			clean_field(&b, m->sources.v[k].date);
			buf_putc(&b, '\n');
		}
	}
	if (r->man_text == NULL || strcmp(r->man_text, b.data) != 0) {
		path = path_join(r->out, MANIFEST);
		if (mkdir_p(r->out) == -1 || file_write_atomic(path, b.data, b.len) == -1)
			rc = -1;
		free(path);
	}
	buf_free(&b);
	return rc;
}

static void
record(struct run *r, const struct art *a, struct mentry *m, uint64_t hash)
{
	if (m == NULL) {
		r->man = grow_array(r->ar, r->man, r->nman + 1, &r->mcap, sizeof(*r->man));
		m = &r->man[r->nman++];
		memset(m, 0, sizeof(*m));
		m->rel = a->rel;
	}
	m->hash = hash;
	m->date = post_date(r->ar, &a->post);
	m->tags = a->tags;
	m->from = a->from;
	m->authors = a->authors;
	m->sources = a->sources;
}

/*
 * Decide and do what each article needs: new, updated (folio's own file
 * changed), unchanged (same bytes: not touched), or skipped (edited by
 * hand or not folio's, unless --force). With dry_run, prints what would
 * be written on stdout instead. Returns 0, or -1 if a write failed.
 */
int
run_write(struct run *r)
{
	struct buf	 b;
	size_t		 i, oldlen;
	struct art	*a;
	struct mentry	*m;
	char		*path, *old;
	uint64_t	 h, oldh;
	int		 rc = 0, exists;

	for (i = 0; i < r->n; i++) {
		a = &r->arts[i];
		path = path_join(r->out, a->rel);
		m = man_find(r, a->rel);
		old = NULL;
		oldlen = 0;
		exists = path_exists(path);
		if (exists && file_read(path, &old, &oldlen) == -1) {
			a->status = ART_SKIPPED;
			a->why = "cannot be read";
			free(path);
			rc = -1;
			continue;
		}
		oldh = old ? fnv1a64(old, oldlen) : 0;
		if (m != NULL && (!exists || oldh == m->hash || r->force))
			merge_manifest(r, a, m);
		buf_init(&b);
		if (render(r, a, path, &b) == -1) {
			a->status = ART_SKIPPED;
			a->why = "cannot be rendered";
			rc = -1;
			goto next;
		}
		h = fnv1a64(b.data, b.len);
		if (exists && oldlen == b.len && memcmp(old, b.data, b.len) == 0) {
			a->status = ART_UNCHANGED;
			record(r, a, m, h);
			goto next;
		}
		if (exists && (m == NULL || oldh != m->hash) && !r->force) {
			a->status = ART_SKIPPED;
			a->why = m == NULL ? "exists and was not written by folio import" :
			    "was edited by hand since folio wrote it";
			goto next;
		}
		a->status = exists ? ART_UPDATED : ART_NEW;
		record(r, a, m, h);
		if (r->dry) {
			printf("=== %s (%s)\n%s", path, exists ? "update" : "new", b.data);
			goto next;
		}
		if (mkdir_parents(path) == -1 || file_write_atomic(path, b.data, b.len) == -1) {
			a->status = ART_SKIPPED;
			a->why = "cannot be written";
			rc = -1;
		}
next:
		buf_free(&b);
		free(old);
		free(path);
	}
	if (!r->dry && write_manifest(r) == -1)
		rc = -1;
	return rc;
}

enum art_status
run_status(const struct run *r, size_t i, const char **rel, const char **why)
{
	*rel = r->arts[i].rel;
	*why = r->arts[i].why;
	return r->arts[i].status;
}
