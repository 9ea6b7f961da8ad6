/* metacache.c: the parsed front matter of unchanged article files
 *
 * A build needs every article's metadata, but reading, hashing and parsing
 * ten thousand files costs more than the rest of a build where little
 * changed. .folio-cache/meta keeps, per file, what article_parse_meta()
 * found, keyed by the file's path, size, inode, mtime and ctime (a write
 * always moves ctime, and no tool can set it back). A file modified in the
 * last two seconds before the build is never cached: its timestamps could
 * still be shared with a later write. Only articles parsed without any
 * message are cached, so a warning is repeated every build. The file is
 * written again only when more than 1/256 of its records differ: until
 * then the few files edited since are parsed again each build.
 *
 * The file is binary: a header, records, and a hash of all of it last. A
 * cache that is cut, corrupt, from another folio or another format is
 * ignored whole; every read is bounds-checked.
 */
#include <sys/stat.h>

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "folio.h"
#include "content/content.h"
#include "content/metacache.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/fsutil.h"
#include "util/strmap.h"

#define MC_MAGIC	"folio-meta 2 " FOLIO_VERSION "\n"
#define MC_NONE		UINT32_MAX	/* a NULL string */
#define MC_DEPTH	(META_MAX_DEPTH + 1)	/* unknown keys' values (node_meta()), scalars one deeper */
#define MC_RECENT	2		/* seconds: newer files are not cached */
#define MC_REWRITE	256		/* rewritten when more than 1/256 of the records differ */

struct stamp {
	uint64_t	size, ino;
	int64_t		mtime_ns, ctime_ns;
};

struct record {
	char		*key;		/* heap: the path relative to the content folder */
	struct stamp	 st;
	const char	*data;		/* into the loaded text */
	size_t		 len;
	const char	*whole;		/* the record as stored, key to data, into the text */
	size_t		 wlen;
	int		 kept;		/* taken by this build: written again as it is */
};

struct metacache {
	char		*path;
	char		*text;		/* the file as read */
	size_t		 textlen;
	struct strmap	 old;		/* relpath -> struct record */
	struct record	*recs;
	size_t		 nrecs;
	pthread_mutex_t	 lock;
	struct buf	 out;		/* records parsed anew by this build */
	size_t		 fresh;
	time_t		 started;	/* files changed since started - MC_RECENT are not cached */
};

/* --- writing --- */

static void
put_str(struct buf *b, const char *s)
{
	size_t	len;

	if (s == NULL) {
		buf_put_u32(b, MC_NONE);
		return;
	}
	len = strlen(s);
	buf_put_u32(b, (uint32_t)len);
	buf_put(b, s, len);
}

static void
put_strs(struct buf *b, const char **v, size_t n)
{
	size_t	i;

	buf_put_u32(b, (uint32_t)n);
	for (i = 0; i < n; i++)
		put_str(b, v[i]);
}

static void
put_meta(struct buf *b, const struct meta *m)
{
	size_t	i;

	buf_put_u32(b, (uint32_t)m->type);
	put_str(b, m->key);
	put_str(b, m->str);
	buf_put_u32(b, (uint32_t)m->n);
	for (i = 0; i < m->n; i++)
		put_meta(b, &m->items[i]);
}

static void
put_article(struct buf *b, const struct article *a)
{
	size_t	i;

	put_str(b, a->title);
	put_str(b, a->headline);
	put_str(b, a->slug_given);
	put_str(b, a->date_str);
	buf_put_u64(b, (uint64_t)a->date);
	buf_put_u32(b, (uint32_t)a->year);
	buf_put_u32(b, (uint32_t)a->month);
	buf_put_u32(b, (uint32_t)a->day);
	put_strs(b, a->tags, a->ntags);
	buf_put_u32(b, (uint32_t)a->nsources);
	for (i = 0; i < a->nsources; i++) {
		put_str(b, a->sources[i].name);
		put_str(b, a->sources[i].url);
		put_str(b, a->sources[i].date);
	}
	put_strs(b, a->authors, a->nauthors);
	put_strs(b, a->imported_from, a->nimported);
	put_strs(b, a->aliases, a->naliases);
	buf_put_u32(b, (uint32_t)a->draft);
	buf_put_u32(b, a->extra != NULL);
	if (a->extra != NULL)
		put_meta(b, a->extra);
	buf_put_u64(b, a->body_line);
	buf_put_u64(b, a->body_offset);
	buf_put_u64(b, a->body_len);
	buf_put_u64(b, a->hash);
}

/* --- reading: every get fails cleanly past the end --- */

struct reader {
	const char	*p, *end;
	struct arena	*ar;
	int		 bad;
};

static void
get_raw(struct reader *r, void *v, size_t n)
{
	if (r->bad || (size_t)(r->end - r->p) < n) {
		r->bad = 1;
		memset(v, 0, n);
		return;
	}
	memcpy(v, r->p, n);
	r->p += n;
}

static uint64_t
get_u64(struct reader *r)
{
	uint64_t	v;

	get_raw(r, &v, sizeof(v));
	return v;
}

static uint32_t
get_u32(struct reader *r)
{
	uint32_t	v;

	get_raw(r, &v, sizeof(v));
	return v;
}

static const char *
get_str(struct reader *r)
{
	uint32_t	len = get_u32(r);
	const char	*s;

	if (r->bad || len == MC_NONE)
		return NULL;
	if ((size_t)(r->end - r->p) < len) {
		r->bad = 1;
		return NULL;
	}
	s = arena_strndup(r->ar, r->p, len);
	r->p += len;
	return s;
}

/* A count of items that each take at least min bytes: never more than what is left. */
static size_t
get_count(struct reader *r, size_t min)
{
	uint32_t	n = get_u32(r);

	if (r->bad || (size_t)n > (size_t)(r->end - r->p) / min) {
		r->bad = 1;
		return 0;
	}
	return n;
}

static const char **
get_strs(struct reader *r, size_t *n)
{
	const char	**v;
	size_t		  i;

	*n = get_count(r, sizeof(uint32_t));
	if (*n == 0)
		return NULL;
	v = arena_array(r->ar, *n, sizeof(*v));
	for (i = 0; i < *n; i++)
		v[i] = get_str(r);
	return v;
}

static void
get_meta(struct reader *r, struct meta *m, int depth)
{
	size_t	i;

	m->type = (enum meta_type)get_u32(r);
	if (m->type > META_MAP || depth > MC_DEPTH)
		r->bad = 1;
	m->key = get_str(r);
	m->str = get_str(r);
	m->n = get_count(r, 3 * sizeof(uint32_t));
	if (r->bad || m->n == 0)
		return;
	m->items = arena_array(r->ar, m->n, sizeof(*m->items));
	for (i = 0; i < m->n && !r->bad; i++)
		get_meta(r, &m->items[i], depth + 1);
}

/* No NULL where a parse never leaves one. */
static int
strs_whole(const char **v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (v[i] == NULL)
			return 0;
	return 1;
}

/* The shape node_meta() gives: keys in maps, strings in scalars, nothing else. */
static int
meta_whole(const struct meta *m, int in_map)
{
	size_t	i;

	if ((in_map && m->key == NULL) || (m->type == META_STRING && m->str == NULL) ||
	    (m->type != META_LIST && m->type != META_MAP && m->n != 0))
		return 0;
	for (i = 0; i < m->n; i++)
		if (!meta_whole(&m->items[i], m->type == META_MAP))
			return 0;
	return 1;
}

/* An article of a file of size bytes. */
static int
get_article(struct reader *r, struct article *a, uint64_t size)
{
	size_t	i;
	time_t	date;
	int	y, m, d;

	a->title = get_str(r);
	a->headline = get_str(r);
	a->slug_given = get_str(r);
	a->date_str = get_str(r);
	a->date = (time_t)get_u64(r);
	a->year = (int)get_u32(r);
	a->month = (int)get_u32(r);
	a->day = (int)get_u32(r);
	a->tags = get_strs(r, &a->ntags);
	a->nsources = get_count(r, 3 * sizeof(uint32_t));
	if (a->nsources > 0)
		a->sources = arena_array(r->ar, a->nsources, sizeof(*a->sources));
	for (i = 0; i < a->nsources && !r->bad; i++) {
		a->sources[i].name = get_str(r);
		a->sources[i].url = get_str(r);
		a->sources[i].date = get_str(r);
	}
	a->authors = get_strs(r, &a->nauthors);
	a->imported_from = get_strs(r, &a->nimported);
	a->aliases = get_strs(r, &a->naliases);
	a->draft = (int)get_u32(r);
	if (get_u32(r)) {
		a->extra = arena_alloc(r->ar, sizeof(*a->extra));
		get_meta(r, a->extra, 0);
	}
	a->body_line = get_u64(r);
	a->body_offset = get_u64(r);
	a->body_len = get_u64(r);
	a->hash = get_u64(r);
	/* what a parse guarantees, checked again: a cache is a hint, never trusted blindly */
	if (r->bad || r->p != r->end || a->title == NULL || *a->title == '\0' || a->date_str == NULL ||
	    date_parse_iso(a->date_str, &date, &y, &m, &d) == -1 || date != a->date ||
	    y != a->year || m != a->month || d != a->day ||
	    (a->extra != NULL && (a->extra->type != META_MAP || !meta_whole(a->extra, 0))) ||
	    !strs_whole(a->tags, a->ntags) || !strs_whole(a->authors, a->nauthors) ||
	    !strs_whole(a->imported_from, a->nimported) || !strs_whole(a->aliases, a->naliases) ||
	    a->body_offset > size || size - a->body_offset != a->body_len)
		r->bad = 1;
	for (i = 0; !r->bad && i < a->nsources; i++)
		if (a->sources[i].name == NULL)
			r->bad = 1;
	return r->bad ? -1 : 0;
}

/* --- the cache --- */

static void
stamp_of(const struct file_stat *st, struct stamp *s)
{
	memset(s, 0, sizeof(*s));
	s->size = st->size;
	s->ino = st->ino;
	s->mtime_ns = timespec_ns(&st->mtime);
	s->ctime_ns = timespec_ns(&st->ctime);
}

/* Header, then per record: u32 length of path, path, stamp, u32 length, article; a hash last. */
static void
load(struct metacache *mc)
{
	struct reader	 r;
	size_t		 len, cap = 0, i, mlen = strlen(MC_MAGIC);
	uint64_t	 sum;
	uint32_t	 klen, alen;
	struct record	 rec;

	if (file_read_quiet(mc->path, &mc->text, &len) == -1)
		return;
	mc->textlen = len;
	if (len < mlen + sizeof(sum) || memcmp(mc->text, MC_MAGIC, mlen) != 0)
		return;
	memcpy(&sum, mc->text + len - sizeof(sum), sizeof(sum));
	if (hash64(mc->text, len - sizeof(sum)) != sum)
		return;
	memset(&r, 0, sizeof(r));
	r.p = mc->text + mlen;
	r.end = mc->text + len - sizeof(sum);
	while (r.p < r.end && !r.bad) {
		rec.whole = r.p;
		klen = get_u32(&r);
		if (r.bad || klen == 0 || (size_t)(r.end - r.p) < (size_t)klen + sizeof(rec.st) + sizeof(alen)) {
			r.bad = 1;
			break;
		}
		rec.key = xstrndup(r.p, klen);
		r.p += klen;
		memcpy(&rec.st, r.p, sizeof(rec.st));
		r.p += sizeof(rec.st);
		alen = get_u32(&r);
		if (r.bad || (size_t)(r.end - r.p) < alen) {
			free(rec.key);
			r.bad = 1;
			break;
		}
		rec.data = r.p;
		rec.len = alen;
		r.p += alen;
		rec.wlen = (size_t)(r.p - rec.whole);
		rec.kept = 0;
		if (mc->nrecs == cap) {
			cap = cap ? cap * 2 : 1024;
			mc->recs = xreallocarray(mc->recs, cap, sizeof(*mc->recs));
		}
		mc->recs[mc->nrecs++] = rec;
	}
	if (r.bad) {
		for (i = 0; i < mc->nrecs; i++)
			free(mc->recs[i].key);
		free(mc->recs);
		mc->recs = NULL;
		mc->nrecs = 0;
		return;
	}
	strmap_reserve(&mc->old, mc->nrecs);
	for (i = 0; i < mc->nrecs; i++)
		strmap_put(&mc->old, mc->recs[i].key, &mc->recs[i]);
}

struct metacache *
metacache_open(const char *path)
{
	struct metacache	*mc = xcalloc(1, sizeof(*mc));

	mc->path = xstrdup(path);
	strmap_init(&mc->old);
	pthread_mutex_init(&mc->lock, NULL);
	buf_init(&mc->out);
	mc->started = time(NULL);
	load(mc);
	return mc;
}

/* Append a record parsed anew, for the next build. */
static void
keep_fresh(struct metacache *mc, const char *key, const struct stamp *s, const char *data, size_t len)
{
	size_t	klen = strlen(key);

	pthread_mutex_lock(&mc->lock);
	buf_put_u32(&mc->out, (uint32_t)klen);
	buf_put(&mc->out, key, klen);
	buf_put(&mc->out, s, sizeof(*s));
	buf_put_u32(&mc->out, (uint32_t)len);
	buf_put(&mc->out, data, len);
	mc->fresh++;
	pthread_mutex_unlock(&mc->lock);
}

struct article *
metacache_get(struct metacache *mc, struct arena *ar, const char *key, const struct file_stat *st)
{
	struct record	*rec;
	struct stamp	 s;
	struct reader	 r;
	struct article	*a;

	if (mc == NULL || (rec = strmap_get(&mc->old, key)) == NULL)
		return NULL;
	stamp_of(st, &s);
	if (memcmp(&s, &rec->st, sizeof(s)) != 0)
		return NULL;
	memset(&r, 0, sizeof(r));
	r.p = rec->data;
	r.end = rec->data + rec->len;
	r.ar = ar;
	a = arena_alloc(ar, sizeof(*a));
	if (get_article(&r, a, s.size) == -1)
		return NULL;	/* the arena keeps the pieces; a parse follows */
	rec->kept = 1;		/* each record is one file's, got by one worker: no lock */
	return a;
}

void
metacache_put(struct metacache *mc, const char *key, const struct article *a, const struct file_stat *st)
{
	struct buf	b;
	struct stamp	s;

	if (mc == NULL || st->mtime.tv_sec >= mc->started - MC_RECENT || st->ctime.tv_sec >= mc->started - MC_RECENT)
		return;
	stamp_of(st, &s);
	buf_init(&b);
	put_article(&b, a);
	keep_fresh(mc, key, &s, b.data, b.len);
	buf_free(&b);
}

size_t
metacache_hits(const struct metacache *mc)
{
	size_t	i, n = 0;

	for (i = 0; mc != NULL && i < mc->nrecs; i++)
		n += mc->recs[i].kept;
	return n;
}

int
metacache_close(struct metacache *mc, int save)
{
	struct buf	file;
	uint64_t	sum;
	size_t		i;
	int		rc = 0;

	if (mc == NULL)
		return 0;
	/*
	 * Written again only when enough differs from the file on disk (new
	 * records and records not taken, more than 1/256 of them): parsing a few
	 * changed files again each build costs less than writing megabytes for
	 * each edit. A record that no longer matches its file's stamp is never
	 * taken (ctime cannot be set back). A small site is written every time.
	 */
	if (save && (mc->nrecs == 0 ? mc->fresh > 0 :
	    mc->fresh + (mc->nrecs - metacache_hits(mc)) > mc->nrecs / MC_REWRITE)) {
		buf_init(&file);
		buf_grow(&file, mc->textlen + mc->out.len + strlen(MC_MAGIC) + sizeof(sum));
		buf_puts(&file, MC_MAGIC);
		for (i = 0; i < mc->nrecs; i++)		/* the records taken, as they were read */
			if (mc->recs[i].kept)
				buf_put(&file, mc->recs[i].whole, mc->recs[i].wlen);
		buf_put(&file, mc->out.data, mc->out.len);
		sum = hash64(file.data, file.len);
		buf_put(&file, &sum, sizeof(sum));
		diag_quiet(1);
		if (mkdir_parents(mc->path) == -1 || file_write_cache(mc->path, file.data, file.len) == -1)
			rc = -1;	/* a cache: the next build parses again */
		diag_quiet(0);
		buf_free(&file);
	}
	for (i = 0; i < mc->nrecs; i++)
		free(mc->recs[i].key);
	free(mc->recs);
	strmap_free(&mc->old);
	buf_free(&mc->out);
	pthread_mutex_destroy(&mc->lock);
	free(mc->text);
	free(mc->path);
	free(mc);
	return rc;
}
