/*
 * linestats.c: lines added and removed by each change a commit made to an
 * article, and whether an edit touched only the front matter. Each article
 * is counted from its newest change back, an edit's new side being the old
 * side of the change after it, so each blob is read once. Reading an old
 * version out of a packed repository, through its chain of deltas, is the
 * most expensive step of the whole history pass: the work tree's file is
 * read instead wherever it has the version's bytes, and the blobs are read
 * ahead in the order they lie in the packs (packorder.c), which suits
 * libgit2's cache of delta bases, then counted in the walk's order
 * (stat_items_count()).
 */
#include <sys/stat.h>

#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "folio.h"
#include "git/gitint.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/fsutil.h"
#include "util/strmap.h"

/*
 * The line number of the '---' that closes the front matter, or 0 when the
 * text does not start with one: the front matter is lines 2 .. n-1.
 */
size_t
fm_close(const char *p, size_t len)
{
	const char	*end = p + len, *nl;
	size_t		 line = 0, n;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		n = (size_t)((nl ? nl : end) - p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		while (n > 3 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		line++;
		if (n == 3 && memcmp(p, "---", 3) == 0) {
			if (line > 1)
				return line;
		} else if (line == 1)
			return 0;
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	return 0;
}

/*
 * Lines added and removed by patch; an edit becomes CHANGE_META if all of
 * them lie in the front matter, which ends at line oldfm before and newfm
 * after (0: none).
 */
int
patch_stats(git_patch *patch, size_t oldfm, size_t newfm, struct file_change *fc)
{
	const git_diff_hunk	*hunk;
	const git_diff_line	*l;
	size_t			 adds, dels, nh, nl, h, j;
	int			 meta = 1;

	if (git_patch_line_stats(NULL, &adds, &dels, patch) != 0)
		return -1;
	fc->added = adds;
	fc->removed = dels;
	if (fc->kind != CHANGE_EDITED || adds + dels == 0 || oldfm == 0 || newfm == 0)
		return 0;
	nh = git_patch_num_hunks(patch);
	for (h = 0; h < nh && meta; h++) {
		if (git_patch_get_hunk(&hunk, &nl, patch, h) != 0) {
			meta = 0;
			break;
		}
		for (j = 0; j < nl && meta; j++) {
			if (git_patch_get_line_in_hunk(&l, patch, h, j) != 0)
				meta = 0;
			else if (l->origin == GIT_DIFF_LINE_ADDITION)
				meta = l->new_lineno > 1 && (size_t)l->new_lineno < newfm;
			else if (l->origin == GIT_DIFF_LINE_DELETION)
				meta = l->old_lineno > 1 && (size_t)l->old_lineno < oldfm;
		}
	}
	if (meta)
		fc->kind = CHANGE_META;
	return 0;
}

/*
 * One version of an article: the work-tree file when it has exactly the
 * blob's bytes (most articles never change after they are added, and a
 * plain read is far cheaper than rebuilding an old blob from a packed
 * repository's deltas), else the blob.
 */
struct version {
	git_oid		 id;
	git_blob	*blob;		/* owned, or */
	git_odb_object	*obj;		/* owned (read ahead), or */
	char		*file;		/* owned (heap) */
	const char	*text;		/* NULL: no such version */
	size_t		 len;
};

/* What one call counts with: the repository, the work tree and what the index says of it. */
struct counter {
	git_repository	*repo;
	const char	*dir;		/* the content folder in the work tree, or NULL */
	const char	*prefix;	/* its path in the repository: "content/" */
	char		*top;		/* the work tree's top folder */
	git_index	*index;		/* NULL: every work-tree file is hashed */
	uint32_t	 index_sec;	/* the index file's mtime, its seconds kept to 32 bits as in the index */
	uint32_t	 index_nsec;
	struct strmap	 dirs;		/* folder -> ATTR_NONE or ATTR_SOME */
	struct arena	*ar;		/* its keys */
	struct buf	 key;
	struct ahead	*ahead;		/* blobs read ahead, sorted by id, shared; NULL: none */
	size_t		 nahead;
};

/* The blobs read ahead for every share of a walk's line counts. */
struct ahead_set {
	struct ahead	*a;		/* by pack order until ahead_index(), then by id */
	size_t		 n;
};

/* A blob read ahead, until a version takes it (the first to ask: atomically). */
struct ahead {
	git_oid		 id;
	git_odb_object	*obj;		/* NULL: taken, or not read */
	uint64_t	 order;		/* its place in the packs */
};

#define AHEAD_MAX	((size_t)32 << 20)	/* bytes read ahead at most, per part */

#define ATTR_NONE	((void *)1)
#define ATTR_SOME	((void *)2)

/* One article: its newer edit, waiting for its old side, and its work-tree file. */
struct run {
	struct stat_item	*edit;		/* NULL: none waiting */
	struct version		 held;		/* that edit's new side */
	git_oid			 wt_id;		/* the work-tree file's blob */
	int			 wt;		/* 0: not looked at yet; 1: wt_id is known; -1: no file */
};

static void
version_free(struct version *v)
{
	git_blob_free(v->blob);
	git_odb_object_free(v->obj);
	free(v->file);
	memset(v, 0, sizeof(*v));
}

/* Give what v holds to *to (freed first), leaving v empty. */
static void
version_move(struct version *to, struct version *v)
{
	version_free(to);
	*to = *v;
	memset(v, 0, sizeof(*v));
}

/* The stat git recorded in the index entry, field by field (they are kept to 32 bits). */
static int
stat_is(const git_index_entry *e, const struct stat *st)
{
	return e->ctime.seconds == (int32_t)st->st_ctim.tv_sec &&
	    e->ctime.nanoseconds == (uint32_t)st->st_ctim.tv_nsec &&
	    e->mtime.seconds == (int32_t)st->st_mtim.tv_sec &&
	    e->mtime.nanoseconds == (uint32_t)st->st_mtim.tv_nsec &&
	    e->dev == (uint32_t)st->st_dev && e->ino == (uint32_t)st->st_ino &&
	    e->uid == (uint32_t)st->st_uid && e->gid == (uint32_t)st->st_gid &&
	    e->file_size == (uint32_t)st->st_size;
}

/*
 * ATTR_NONE when no .gitattributes file, in the work tree or the index, lies
 * in a folder from the work tree's top down to that of path (relative to
 * the top), as far as c->key.
 */
static void *
attributes_on(struct counter *c, const char *path)
{
	const char	*slash;
	char		 d[1024], *file;
	void		*a;
	size_t		 len;

	for (slash = path; slash != NULL; slash = strchr(slash + 1, '/')) {
		len = (size_t)(slash - path) + (slash > path);	/* "" "content/" "content/2019/" */
		if (len + sizeof(".gitattributes") > sizeof(d))
			return ATTR_SOME;	/* (not worth a lookup) */
		memcpy(d, path, len);
		memcpy(d + len, ".gitattributes", sizeof(".gitattributes"));
		if ((a = strmap_get(&c->dirs, d)) == NULL) {
			file = path_join(c->top, d);
			a = path_exists(file) || git_index_find(NULL, c->index, d) == 0 ?
			    ATTR_SOME : ATTR_NONE;
			strmap_put(&c->dirs, arena_strdup(c->ar, d), a);
			free(file);
		}
		if (a == ATTR_SOME)
			return a;
	}
	return ATTR_NONE;
}

/* The entry's file was modified before the index was written (see index_id()). */
static int
older_than_index(const struct counter *c, const git_index_entry *e)
{
	uint32_t	sec = (uint32_t)e->mtime.seconds;

	return sec < c->index_sec || (sec == c->index_sec && e->mtime.nanoseconds < c->index_nsec);
}

/*
 * The blob id of the work-tree file of path, which was just read (text, len
 * bytes), by git's own rule instead of hashing it: the file still has the
 * stat the index recorded with the entry's blob, and the entry is neither
 * racily clean nor smudged as such (size 0, which git believes for the
 * empty blob alone: an empty file is as cheap to hash).
 *
 * Racily clean: modified at or after the time the index was written, when
 * a later change may have kept the stat. This is libgit2's rule, to the
 * nanosecond, which its status (and so the work tree's answer) follows.
 * Git built without USE_NSEC takes the whole second, which after a clone
 * or a checkout makes most files racy and cost a hash each. The seconds
 * are kept to 32 bits and compared unsigned, as git's is_racy_stat() does,
 * so that the rule holds after 2038.
 *
 * The stat (st) is taken after the read, of the file read, not of its
 * path: a file changed since moved its ctime. The index holds the file as
 * git stores it, which are its bytes only when git converts nothing: no
 * attributes apply (text, eol, ident, filter, working-tree-encoding: see
 * also counter_open()) and there is no CR for core.autocrlf to take out.
 */
static int
index_id(struct counter *c, const char *path, const struct stat *st, const char *text, size_t len,
    git_oid *id)
{
	const git_index_entry	*e;

	if (c->index == NULL || memchr(text, '\r', len) != NULL)
		return -1;
	c->key.len = 0;
	buf_puts(&c->key, c->prefix);
	buf_puts(&c->key, path);
	if ((e = git_index_get_bypath(c->index, c->key.data, 0)) == NULL ||
	    (uint64_t)st->st_size != len || !stat_is(e, st) || e->file_size == 0 ||
	    !older_than_index(c, e) ||
	    attributes_on(c, c->key.data) != ATTR_NONE)
		return -1;
	*id = e->id;
	return 0;
}

/* The article's file in the work tree, if it is a regular file, and its git blob id. */
static int
work_file(struct counter *c, const char *path, struct version *v)
{
	struct stat	 st;
	char		*file;
	int		 rc = -1;

	memset(v, 0, sizeof(*v));
	if (c->dir == NULL)
		return -1;
	file = path_join(c->dir, path);
	if (file_read_regular(file, (size_t)64 << 20, &v->file, &v->len, &st) == 0 &&
	    (index_id(c, path, &st, v->file, v->len, &v->id) == 0 ||
	    git_odb_hash(&v->id, v->file, v->len, GIT_OBJECT_BLOB) == 0)) {
		v->text = v->file;
		rc = 0;
	} else
		version_free(v);
	free(file);
	return rc;
}

static int
ahead_id_cmp(const void *a, const void *b)
{
	return git_oid_cmp(&((const struct ahead *)a)->id, &((const struct ahead *)b)->id);
}

static int
ahead_order_cmp(const void *a, const void *b)
{
	const struct ahead	*x = a, *y = b;

	if (x->order != y->order)
		return x->order < y->order ? -1 : 1;
	return git_oid_cmp(&x->id, &y->id);
}

/* The blob id as read ahead into v: 0, or -1 if it was not. */
static int
take_ahead(struct counter *c, const git_oid *id, struct version *v)
{
	struct ahead	 key, *a;

	if (c->nahead == 0)
		return -1;
	key.id = *id;
	if ((a = bsearch(&key, c->ahead, c->nahead, sizeof(*c->ahead), ahead_id_cmp)) == NULL ||
	    (v->obj = __atomic_exchange_n(&a->obj, NULL, __ATOMIC_ACQ_REL)) == NULL)
		return -1;	/* not read, or another article's version took it */
	v->text = git_odb_object_data(v->obj);
	v->len = git_odb_object_size(v->obj);
	return 0;
}

/*
 * The blobs that counting items (grouped by article, older first) will want
 * from the repository, in the order they lie in the packs: every version
 * but each article's newest, which the work tree most likely holds (what it
 * does not is read when wanted, as is everything past AHEAD_MAX bytes a
 * part). Reading them in the order of the walk instead rebuilt a chain of
 * deltas for most: see packorder.c.
 */
struct ahead_set *
ahead_plan(git_repository *repo, const struct stat_item *items, size_t n, int from_workdir)
{
	struct ahead_set	*s = xcalloc(1, sizeof(*s));
	struct pack_order	*po;
	struct ahead		*a;
	size_t			 i, k, m = 0;
	int			 newest;

	a = xcalloc(2 * n + 1, sizeof(*a));
	for (i = 0; i < n; i++) {
		newest = i + 1 == n || strcmp(items[i].fc->path, items[i + 1].fc->path) != 0;
		if (!(newest && from_workdir) && !git_oid_is_zero(&items[i].ids->new_id))
			a[m++].id = items[i].ids->new_id;
		if (items[i].fc->kind != CHANGE_ADDED && !git_oid_is_zero(&items[i].ids->old_id))
			a[m++].id = items[i].ids->old_id;
	}
	qsort(a, m, sizeof(*a), ahead_id_cmp);
	for (i = k = 0; i < m; i++)
		if (k == 0 || !git_oid_equal(&a[i].id, &a[k - 1].id))
			a[k++] = a[i];
	s->a = a;
	s->n = k;
	if (k > 0) {
		po = pack_order_open(repo);
		for (i = 0; i < k; i++)
			a[i].order = pack_order_of(po, &a[i].id);
		pack_order_close(po);
		qsort(a, k, sizeof(*a), ahead_order_cmp);
	}
	return s;
}

/* Read part of nparts of the planned blobs, a stretch of the packs, in their order. */
void
ahead_read(struct ahead_set *s, git_repository *repo, size_t part, size_t nparts)
{
	git_odb		*odb = NULL;
	git_odb_object	*obj;
	size_t		 i, to, bytes = 0;

	if (s == NULL || s->n == 0 || nparts == 0 || git_repository_odb(&odb, repo) != 0)
		return;
	to = s->n * (part + 1) / nparts;
	for (i = s->n * part / nparts; i < to && bytes < AHEAD_MAX; i++) {
		if (git_odb_read(&obj, odb, &s->a[i].id) != 0)
			continue;	/* read (and its error said) when wanted */
		if (git_odb_object_type(obj) != GIT_OBJECT_BLOB) {
			git_odb_object_free(obj);
			continue;
		}
		s->a[i].obj = obj;
		bytes += git_odb_object_size(obj);
	}
	git_odb_free(odb);
}

void
ahead_index(struct ahead_set *s)
{
	if (s != NULL && s->n > 0)
		qsort(s->a, s->n, sizeof(*s->a), ahead_id_cmp);
}

void
ahead_free(struct ahead_set *s)
{
	size_t	i;

	if (s == NULL)
		return;
	for (i = 0; i < s->n; i++)
		git_odb_object_free(s->a[i].obj);
	free(s->a);
	free(s);
}

/*
 * Version id of the article r (path): the work-tree file (wt: read for its
 * newest change, else read again) or the blob.
 */
static int
version_get(struct counter *c, struct run *r, const char *path, struct version *wt,
    const git_oid *id, struct version *v)
{
	memset(v, 0, sizeof(*v));
	if (r->wt == 1 && git_oid_equal(&r->wt_id, id)) {
		if (wt->text == NULL)		/* an older version is the file's again */
			(void)work_file(c, path, wt);
		if (wt->text != NULL && git_oid_equal(&wt->id, id)) {
			version_move(v, wt);
			return 0;
		}
	}
	v->id = *id;
	if (take_ahead(c, id, v) == 0)
		return 0;
	if (git_blob_lookup(&v->blob, c->repo, id) != 0)
		return -1;
	v->text = git_blob_rawcontent(v->blob);
	v->len = (size_t)git_blob_rawsize(v->blob);
	return 0;
}

/* In the front matter: lines 2 .. fm-1 (see fm_close()), n of them from line first on. */
static int
in_front_matter(size_t first, size_t n, size_t fm)
{
	return n == 0 || (first > 1 && first + n - 1 < fm);
}

int
edit_line_stats(const char *old, size_t oldlen, const char *new, size_t newlen, int quick,
    struct file_change *fc)
{
	git_patch		*patch = NULL;
	git_diff_options	 o;
	struct line_change	 lc;
	size_t			 oldfm = fm_close(old, oldlen), newfm = fm_close(new, newlen);
	int			 rc;

	if (quick && quick_line_change(old, oldlen, new, newlen, &lc) == 0) {
		fc->added = lc.new_lines;
		fc->removed = lc.old_lines;
		if (fc->kind == CHANGE_EDITED && lc.new_lines + lc.old_lines > 0 && oldfm > 0 &&
		    newfm > 0 && in_front_matter(lc.line + 1, lc.old_lines, oldfm) &&
		    in_front_matter(lc.line + 1, lc.new_lines, newfm))
			fc->kind = CHANGE_META;
		return 0;
	}
	git_diff_options_init(&o, GIT_DIFF_OPTIONS_VERSION);
	o.context_lines = 0;
	o.interhunk_lines = 0;
	if (git_patch_from_buffers(&patch, old, oldlen, NULL, new, newlen, NULL, &o) != 0)
		return -1;
	rc = patch == NULL ? 0 : patch_stats(patch, oldfm, newfm, fc);
	git_patch_free(patch);
	return rc;
}

static int
edit_stats(const struct version *ov, const struct version *nv, struct file_change *fc)
{
	return edit_line_stats(ov->text, ov->len, nv->text, nv->len, 1, fc);
}

static int
item_cmp(const void *a, const void *b)
{
	const struct stat_item	*x = a, *y = b;
	int			 c;

	if ((c = strcmp(x->fc->path, y->fc->path)) != 0)
		return c;
	return x->order < y->order ? 1 : x->order > y->order ? -1 : 0;	/* older first */
}

size_t
stat_items_group(struct stat_item *items, size_t n, size_t *starts)
{
	size_t	i, ng = 0;

	qsort(items, n, sizeof(*items), item_cmp);
	for (i = 0; i < n; i++)
		if (i == 0 || strcmp(items[i].fc->path, items[i - 1].fc->path) != 0)
			starts[ng++] = i;
	return ng;
}

/* Some file of attributes outside the work tree: the repository's, the user's, the system's. */
static int
attribute_files(git_repository *repo)
{
	git_config	*cfg = NULL;
	git_buf		 user = GIT_BUF_INIT;
	const char	*home = getenv("HOME"), *xdg = getenv("XDG_CONFIG_HOME");
	char		*p;
	int		 some;

	p = path_join(git_repository_commondir(repo), "info/attributes");
	some = path_exists(p) || path_exists("/etc/gitattributes");
	free(p);
	if (git_repository_config_snapshot(&cfg, repo) != 0)
		return 1;
	if (git_config_get_path(&user, cfg, "core.attributesfile") == 0)
		some |= path_exists(user.ptr);
	else if (xdg != NULL && *xdg != '\0' && (p = path_join(xdg, "git/attributes")) != NULL) {
		some |= path_exists(p);
		free(p);
	} else if (home != NULL && (p = path_join(home, ".config/git/attributes")) != NULL) {
		some |= path_exists(p);
		free(p);
	}
	git_buf_dispose(&user);
	git_config_free(cfg);
	return some;
}

/*
 * The index, unless it is absent or unreadable, or some file of attributes
 * outside the work tree may convert what git stores. The index file's time
 * is taken before it is read, so that an index written meanwhile makes more
 * entries racy, not fewer.
 */
static void
counter_open(struct counter *c, git_repository *repo, const char *dir, const char *prefix)
{
	struct stat	 st;
	char		*path;
	size_t		 dlen = dir ? strlen(dir) : 0, plen = strlen(prefix);

	memset(c, 0, sizeof(*c));
	c->repo = repo;
	c->dir = dir;
	c->prefix = prefix;
	c->ar = arena_new();
	strmap_init(&c->dirs);
	buf_init(&c->key);
	if (dir == NULL || dlen < plen || strcmp(dir + dlen - plen, prefix) != 0 ||
	    attribute_files(repo))
		return;
	c->top = xstrndup(dir, dlen - plen);
	path = path_join(git_repository_path(repo), "index");
	if (stat(path, &st) == 0 && git_index_open(&c->index, path) == 0) {
		c->index_sec = (uint32_t)st.st_mtim.tv_sec;
		c->index_nsec = (uint32_t)st.st_mtim.tv_nsec;
	} else
		c->index = NULL;
	free(path);
}

static void
counter_close(struct counter *c)
{
	git_index_free(c->index);
	strmap_free(&c->dirs);
	arena_free(c->ar);
	free(c->top);
	buf_free(&c->key);
}

/* An item and its article, in the order of counting. */
struct step {
	size_t	item, run;
	size_t	order;
};

static int
step_cmp(const void *a, const void *b)
{
	const struct step	*x = a, *y = b;

	if (x->order != y->order)
		return x->order < y->order ? -1 : 1;	/* newer first */
	return x->run < y->run ? -1 : x->run > y->run;
}

/*
 * Count r's waiting edit, old (may be NULL) being the version before it
 * (else it is read now); wt as for version_get().
 */
static int
finish_edit(struct counter *c, struct run *r, struct version *wt, const struct version *old)
{
	struct version	 v;
	int		 rc;

	if (old != NULL && git_oid_equal(&old->id, &r->edit->ids->old_id))
		rc = edit_stats(old, &r->held, r->edit->fc);
	else {
		rc = version_get(c, r, r->edit->fc->path, wt, &r->edit->ids->old_id, &v);
		if (rc == 0)
			rc = edit_stats(&v, &r->held, r->edit->fc);
		version_free(&v);
	}
	r->edit = NULL;
	version_free(&r->held);
	return rc;
}

/*
 * Read the versions newest first, in the order in which the walk met the
 * changes that made them: a packed repository's delta chains run that way,
 * and libgit2 keeps the bases it rebuilds, so that a blob read after its
 * neighbours costs about one delta. Read article by article, or each when
 * the change that replaced it came, the same blobs took two to five times
 * as long. An edit is counted when the version before it has been read;
 * each article holds one version meanwhile.
 */
int
stat_items_count(git_repository *repo, const char *dir, const char *prefix,
    struct stat_item *items, size_t n, struct ahead_set *ahead)
{
	struct counter		 c;
	struct step		*steps = xcalloc(n ? n : 1, sizeof(*steps));
	struct run		*runs = xcalloc(n ? n : 1, sizeof(*runs));
	struct version		 wt, cur;
	struct stat_item	*it;
	struct run		*r;
	size_t			 i, nr = 0;
	int			 rc = -1;

	memset(&wt, 0, sizeof(wt));
	memset(&cur, 0, sizeof(cur));
	counter_open(&c, repo, dir, prefix);
	if (ahead != NULL) {
		c.ahead = ahead->a;
		c.nahead = ahead->n;
	}
	for (i = 0; i < n; i++) {
		if (i > 0 && strcmp(items[i].fc->path, items[i - 1].fc->path) != 0)
			nr++;
		steps[i].item = i;
		steps[i].run = nr;
		steps[i].order = items[i].order;
	}
	qsort(steps, n, sizeof(*steps), step_cmp);
	for (i = 0; i < n; i++) {
		it = &items[steps[i].item];
		r = &runs[steps[i].run];
		if (r->wt == 0) {	/* its newest change: the file is read once, here */
			r->wt = work_file(&c, it->fc->path, &wt) == 0 ? 1 : -1;
			r->wt_id = wt.id;
		}
		if (version_get(&c, r, it->fc->path, &wt, &it->ids->new_id, &cur) != 0 ||
		    (r->edit != NULL && finish_edit(&c, r, &wt, &cur) != 0))
			goto out;
		if (it->fc->kind == CHANGE_ADDED) {
			if (!binary_to_git(cur.text, cur.len))
				it->fc->added = count_lines(cur.text, cur.len);
			version_free(&cur);
		} else {
			r->edit = it;
			version_move(&r->held, &cur);
		}
		version_free(&wt);
	}
	/* edits whose version before came from no change counted here (libgit2's diff made it) */
	for (i = 0; n > 0 && i <= nr; i++)
		if (runs[i].edit != NULL && finish_edit(&c, &runs[i], &wt, NULL) != 0)
			goto out;
	rc = 0;
out:
	version_free(&cur);
	version_free(&wt);
	for (i = 0; n > 0 && i <= nr; i++)
		version_free(&runs[i].held);
	free(runs);
	free(steps);
	counter_close(&c);
	return rc;
}
