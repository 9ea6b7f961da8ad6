/* cache.c: the walk's result in .folio-cache/history, keyed by HEAD; checked before use */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "folio.h"
#include "git/gitint.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/fsutil.h"
#include "util/strmap.h"

/*
 * One file, host byte order (a cache is not shared between machines; the
 * byte-order mark catches it if it is):
 *
 *   header   "FOLIOHIS" u32 version u32 0x01020304 oid[20] u32 0
 *            u64 key u64 payload length u64 hash64 of the 56 bytes before it
 *            and of the payload
 *   payload  u32 ncommits, nchanges, nboundary, strtab length
 *            commits  oid[20] i64 time i32 tz u32 author email subject nchanges
 *            changes  u32 kind path old_path added removed title
 *            boundary u32 path
 *            strtab   NUL-terminated strings, offsets above; NONE is NULL
 */
#define MAGIC		"FOLIOHIS"
#define VERSION		2	/* 2: hash64 became word-at-a-time */
#define BOM		0x01020304u
#define HEADER_LEN	64
#define COMMIT_LEN	48
#define CHANGE_LEN	24
#define NONE		0xffffffffu
#define MAX_FILE	((size_t)1 << 31)

struct strtab {
	struct buf	b;
	struct strmap	seen;	/* string -> offset + 1 */
};

static uint32_t
str_ref(struct strtab *t, const char *s)
{
	uintptr_t	off;

	if (s == NULL)
		return NONE;
	if ((off = (uintptr_t)strmap_get(&t->seen, s)) != 0)
		return (uint32_t)(off - 1);
	off = t->b.len;
	buf_put(&t->b, s, strlen(s) + 1);
	strmap_put(&t->seen, s, (void *)(off + 1));
	return (uint32_t)off;
}

static uint32_t
clamp32(size_t n)
{
	return n > NONE - 1 ? NONE - 1 : (uint32_t)n;
}

/* Write the walk's result for head; a failure only costs the next build a cold walk. */
int
cache_save(const char *file, uint64_t key, const git_oid *head, const struct walk *w)
{
	struct buf		 out, pay;
	struct strtab		 t;
	const struct commit	*c;
	const struct file_change *fc;
	git_oid			 id;
	size_t			 i, j, nch = 0;
	int64_t			 tm;
	int32_t			 tz;
	int			 rc;

	buf_init(&out);
	buf_init(&pay);
	buf_init(&t.b);
	strmap_init(&t.seen);
	for (i = 0; i < w->ncommits; i++)
		nch += w->commits[i].nchanges;
	buf_put_u32(&pay, clamp32(w->ncommits));
	buf_put_u32(&pay, clamp32(nch));
	buf_put_u32(&pay, clamp32(w->nboundary));
	buf_put_u32(&pay, 0);		/* strtab length, patched below */
	for (i = 0; i < w->ncommits; i++) {
		c = &w->commits[i];
		if (git_oid_fromstr(&id, c->id) != 0)
			memset(&id, 0, sizeof(id));
		buf_put(&pay, id.id, 20);
		tm = (int64_t)c->time;
		tz = c->tz_offset;
		buf_put(&pay, &tm, 8);
		buf_put(&pay, &tz, 4);
		buf_put_u32(&pay, str_ref(&t, c->author));
		buf_put_u32(&pay, str_ref(&t, c->email));
		buf_put_u32(&pay, str_ref(&t, c->subject));
		buf_put_u32(&pay, clamp32(c->nchanges));
	}
	for (i = 0; i < w->ncommits; i++)
		for (j = 0; j < w->commits[i].nchanges; j++) {
			fc = &w->commits[i].changes[j];
			buf_put_u32(&pay, (uint32_t)fc->kind);
			buf_put_u32(&pay, str_ref(&t, fc->path));
			buf_put_u32(&pay, str_ref(&t, fc->old_path));
			buf_put_u32(&pay, clamp32(fc->added));
			buf_put_u32(&pay, clamp32(fc->removed));
			buf_put_u32(&pay, str_ref(&t, fc->title));
		}
	for (i = 0; i < w->nboundary; i++)
		buf_put_u32(&pay, str_ref(&t, w->boundary[i]));
	i = t.b.len;
	memcpy(pay.data + 12, &(uint32_t){ clamp32(i) }, 4);
	buf_put(&pay, t.b.data, t.b.len);

	buf_put(&out, MAGIC, 8);
	buf_put_u32(&out, VERSION);
	buf_put_u32(&out, BOM);
	buf_put(&out, head->id, 20);
	buf_put_u32(&out, 0);
	buf_put_u64(&out, key);
	buf_put_u64(&out, pay.len);
	buf_put_u64(&out, hash64_more(hash64(out.data, out.len), pay.data, pay.len));
	buf_put(&out, pay.data, pay.len);
	rc = mkdir_parents(file) == 0 ? file_write_cache(file, out.data, out.len) : -1;
	buf_free(&out);
	buf_free(&pay);
	buf_free(&t.b);
	strmap_free(&t.seen);
	return rc;
}

static uint32_t
get32(const unsigned char *p)
{
	uint32_t	v;

	memcpy(&v, p, 4);
	return v;
}

static uint64_t
get64(const unsigned char *p)
{
	uint64_t	v;

	memcpy(&v, p, 8);
	return v;
}

/* Read the file into the arena; 1 if absent, -1 on a read error. */
static int
slurp(struct arena *ar, const char *file, unsigned char **data, size_t *len)
{
	struct stat	 st;
	ssize_t		 r;
	size_t		 got = 0;
	int		 fd, rc = -1;

	if ((fd = open(file, O_RDONLY | O_CLOEXEC)) == -1)
		return errno == ENOENT ? 1 : -1;
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) || (size_t)st.st_size > MAX_FILE)
		goto out;
	*len = (size_t)st.st_size;
	*data = arena_alloc_raw(ar, *len + 1);
	while (got < *len) {
		if ((r = read(fd, *data + got, *len - got)) <= 0) {
			if (r == -1 && errno == EINTR)
				continue;
			goto out;
		}
		got += (size_t)r;
	}
	rc = 0;
out:
	close(fd);
	return rc;
}

/* A string from the table, or NULL for NONE; *bad set if out of bounds. */
static const char *
str_at(const char *tab, size_t tablen, uint32_t off, int *bad)
{
	if (off == NONE)
		return NULL;
	if (off >= tablen) {
		*bad = 1;
		return NULL;
	}
	return tab + off;
}

/*
 * Load the cached walk if the file is for the same options (key). head gets
 * the commit it was made for. Returns 0, 1 when there is no usable file,
 * or -1 after a notice when it is damaged: the caller then walks cold and
 * writes a new one.
 */
int
cache_load(struct arena *ar, const char *file, uint64_t key, git_oid *head,
    struct walk *w, int quiet)
{
	unsigned char		*d, *p, *pay;
	const char		*tab;
	size_t			 len, plen, nc, nch, nb, tablen, i, j, k, need;
	struct commit		*c;
	struct file_change	*fc;
	int			 bad = 0, r;
	const char		*why = "truncated";

	memset(w, 0, sizeof(*w));
	if ((r = slurp(ar, file, &d, &len)) != 0) {
		if (r == -1)
			git_notice(quiet, "%s: cannot read the history cache; rebuilding it", file);
		return r == 1 ? 1 : -1;
	}
	if (len < HEADER_LEN)
		goto corrupt;
	why = "not a history cache of this version";
	if (memcmp(d, MAGIC, 8) != 0 || get32(d + 8) != VERSION || get32(d + 12) != BOM)
		goto corrupt;
	plen = (size_t)get64(d + 48);
	pay = d + HEADER_LEN;
	why = "truncated";
	if (plen != len - HEADER_LEN || plen < 16)
		goto corrupt;
	why = "checksum mismatch";
	if (hash64_more(hash64(d, 56), pay, plen) != get64(d + 56))
		goto corrupt;
	if (get64(d + 40) != key)
		return 1;	/* made with other options or another content folder */
	memcpy(head->id, d + 16, 20);
	why = "inconsistent counts";
	nc = get32(pay);
	nch = get32(pay + 4);
	nb = get32(pay + 8);
	tablen = get32(pay + 12);
	need = 16 + nc * COMMIT_LEN + nch * CHANGE_LEN + nb * 4 + tablen;
	if (need != plen || (tablen > 0 && pay[plen - 1] != '\0'))
		goto corrupt;
	tab = (const char *)pay + plen - tablen;

	w->commits = arena_array(ar, nc, sizeof(*w->commits));
	w->ncommits = nc;
	w->boundary = arena_array(ar, nb, sizeof(*w->boundary));
	w->nboundary = nb;
	fc = arena_array(ar, nch, sizeof(*fc));
	p = pay + 16;
	for (i = 0, k = 0; i < nc; i++, p += COMMIT_LEN) {
		c = &w->commits[i];
		git_oid_tostr(c->id, sizeof(c->id), (const git_oid *)p);
		memcpy(c->short_id, c->id, 7);
		c->time = (time_t)(int64_t)get64(p + 20);
		c->tz_offset = (int32_t)get32(p + 28);
		c->author = str_at(tab, tablen, get32(p + 32), &bad);
		c->email = str_at(tab, tablen, get32(p + 36), &bad);
		c->subject = str_at(tab, tablen, get32(p + 40), &bad);
		c->nchanges = get32(p + 44);
		if (c->nchanges > nch - k)
			goto corrupt;
		c->changes = fc + k;
		k += c->nchanges;
	}
	if (k != nch)
		goto corrupt;
	for (j = 0; j < nch; j++, p += CHANGE_LEN) {
		if (get32(p) >= CHANGE_UNCOMMITTED)
			goto corrupt;
		fc[j].kind = (enum change_kind)get32(p);
		fc[j].path = str_at(tab, tablen, get32(p + 4), &bad);
		fc[j].old_path = str_at(tab, tablen, get32(p + 8), &bad);
		fc[j].added = get32(p + 12);
		fc[j].removed = get32(p + 16);
		fc[j].title = str_at(tab, tablen, get32(p + 20), &bad);
		if (fc[j].path == NULL || (fc[j].kind == CHANGE_RENAMED && fc[j].old_path == NULL))
			goto corrupt;
	}
	for (i = 0; i < nb; i++, p += 4)
		if ((w->boundary[i] = str_at(tab, tablen, get32(p), &bad)) == NULL)
			goto corrupt;
	if (bad)
		goto corrupt;
	w->complete = 1;
	return 0;
corrupt:
	memset(w, 0, sizeof(*w));
	git_notice(quiet, "%s: history cache is damaged (%s); rebuilding it", file, why);
	return -1;
}
