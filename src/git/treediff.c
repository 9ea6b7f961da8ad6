/*
 * treediff.c: what a commit did to the articles, found by reading its tree
 * and its first parent's side by side, entry by entry, the way git log
 * does: a folder whose id did not change is skipped unread. No blob is
 * read here; linestats.c counts the lines afterwards. libgit2's own
 * tree-to-tree diff builds a delta for every changed path and looks up
 * attributes and diff drivers for each; with the line counts, it made the
 * history pass more than four times slower than git log.
 *
 * The folders inside the content folder (years, say) are compared in a
 * second round, not commit by commit: a folder's versions are deltas of
 * one another in the pack, and libgit2 keeps only 16 MB of rebuilt delta
 * bases, flushed whole when full. Read commit by commit, the versions of
 * ten year folders of 5,000 articles each pushed one another out, and each
 * read rebuilt its chain of deltas from the start; read folder by folder,
 * newest first, the same 11,151 trees took a tenth of the time.
 * tree_changes() lists those folders as folder jobs, folder_changes()
 * compares one, and tree_changes_join() adds their changes to the commit's.
 *
 * A commit that removes anything under the content folder (the removed
 * file may be the source of a rename to an article), or changes a file's
 * kind or mode, is left to libgit2's diff and its rename detection:
 * tree_changes() then says so and changes nothing.
 */
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "folio.h"
#include "git/gitint.h"
#include "util/arena.h"
#include "util/buf.h"

#define MAX_DEPTH	4096	/* as git's core.maxTreeDepth */

struct found {
	enum change_kind	 kind;		/* CHANGE_ADDED or CHANGE_EDITED */
	const char		*path;		/* arena, relative to the content folder */
	git_oid			 old_id, new_id;
};

/*
 * A tree as git stores it, entries "mode SP name NUL id" in git's order,
 * read with git_odb_read() and walked in place: libgit2's git_tree parses
 * every entry of a folder of a thousand articles into an array before the
 * walk looks at two of them, and that parse cost as much as reading the
 * tree out of the pack.
 */
struct rawtree {
	git_odb_object		*obj;		/* NULL: an empty folder */
	git_oid			 id;
	const char		*base;		/* its data */
	const char		*p, *end;	/* the next entry */
	uint32_t		*bounds;	/* heap, or NULL: tree_bounds() */
	size_t			 nbounds;
};

/* Offsets of the old tree's entries as compare() passes them, for its tree_bounds(). */
struct bounds_rec {
	uint32_t	*v;
	size_t		 n, cap;
};

/* One entry, as libgit2's git_tree_entry_*() would give it. */
struct entry {
	const char	*raw;		/* the whole entry */
	size_t		 size;
	const char	*name;		/* NUL-terminated in the tree's data */
	size_t		 len;
	git_filemode_t	 mode;		/* normalized: git_tree_entry_filemode() */
	git_object_t	 type;		/* git_tree_entry_type() */
	git_oid		 id;
};

struct tdiff {
	struct arena	*ar;
	struct tree_cache *tc;
	struct buf	 path;		/* the folder being compared, relative, with '/' */
	struct found	*found;
	size_t		 n, cap;
	int		 give_up;	/* needs libgit2's diff */
	int		 failed;	/* a tree could not be read */
	int		 depth;		/* folders entered */
	struct folder_job *jobs;	/* NULL: folders are compared at once; else grown here */
	size_t		 njobs, jobcap;
	size_t		 commit;	/* the jobs' commit */
};

/* id (NULL for none) read as a tree, from tc's last few if it is there: -1 if it cannot be */
static int
tree_read(struct tree_cache *tc, const git_oid *id, struct rawtree *t)
{
	struct tree_slot	*s;
	size_t			 i;

	memset(t, 0, sizeof(*t));
	if (id == NULL)
		return 0;
	for (i = 0; i < TREE_SLOTS; i++)
		if (tc->slot[i].obj != NULL && git_oid_equal(&tc->slot[i].id, id))
			break;
	if (i < TREE_SLOTS) {
		if (git_odb_object_dup(&t->obj, tc->slot[i].obj) != 0)
			return -1;
		/* a folder's versions are compared newest first: this one was the old side last time */
		t->bounds = tc->slot[i].bounds;
		t->nbounds = tc->slot[i].nbounds;
		tc->slot[i].bounds = NULL;
	} else {
		if (git_odb_read(&t->obj, tc->odb, id) != 0)
			return -1;
		if (git_odb_object_type(t->obj) != GIT_OBJECT_TREE) {
			git_odb_object_free(t->obj);
			t->obj = NULL;
			return -1;
		}
		s = &tc->slot[tc->next++ % TREE_SLOTS];
		git_odb_object_free(s->obj);
		free(s->bounds);
		s->obj = NULL;
		s->bounds = NULL;
		if (git_odb_object_dup(&s->obj, t->obj) == 0)
			s->id = *id;
	}
	t->id = *id;
	t->base = t->p = git_odb_object_data(t->obj);
	t->end = t->p + git_odb_object_size(t->obj);
	return 0;
}

/* Hand the tree id's entry offsets to its cache slot, if it still has one; frees them if not. */
static void
tree_keep_bounds(struct tree_cache *tc, const git_oid *id, struct bounds_rec *r)
{
	size_t	i;

	for (i = 0; i < TREE_SLOTS; i++)
		if (tc->slot[i].obj != NULL && git_oid_equal(&tc->slot[i].id, id) &&
		    tc->slot[i].bounds == NULL) {
			tc->slot[i].bounds = r->v;
			tc->slot[i].nbounds = r->n;
			r->v = NULL;
			break;
		}
	free(r->v);
	memset(r, 0, sizeof(*r));
}

int
tree_cache_open(struct tree_cache *tc, git_repository *repo)
{
	memset(tc, 0, sizeof(*tc));
	return git_repository_odb(&tc->odb, repo) == 0 ? 0 : -1;
}

void
tree_cache_close(struct tree_cache *tc)
{
	size_t	i;

	for (i = 0; i < TREE_SLOTS; i++) {
		git_odb_object_free(tc->slot[i].obj);
		free(tc->slot[i].bounds);
	}
	git_odb_free(tc->odb);
	memset(tc, 0, sizeof(*tc));
}

static void
tree_free(struct rawtree *t)
{
	git_odb_object_free(t->obj);
	free(t->bounds);
}

/* libgit2 1.5's tree.c: normalize_filemode() and git_tree_entry_type() */
static git_filemode_t
normal_mode(unsigned attr)
{
	if ((attr & 0170000) == GIT_FILEMODE_TREE)
		return GIT_FILEMODE_TREE;
	if (attr & 0100)
		return GIT_FILEMODE_BLOB_EXECUTABLE;
	if ((attr & 0170000) == GIT_FILEMODE_COMMIT)
		return GIT_FILEMODE_COMMIT;
	if ((attr & 0170000) == GIT_FILEMODE_LINK)
		return GIT_FILEMODE_LINK;
	return GIT_FILEMODE_BLOB;
}

static git_object_t
mode_type(unsigned attr)
{
	if ((attr & 0170000) == GIT_FILEMODE_COMMIT)
		return GIT_OBJECT_COMMIT;
	if ((attr & 0170000) == GIT_FILEMODE_TREE)
		return GIT_OBJECT_TREE;
	return GIT_OBJECT_BLOB;
}

/*
 * The next entry of t: 1, or 0 at the end. An entry that is not plainly
 * "octal-mode SP name NUL 20-byte-id" also ends the walk and sets *odd:
 * such a tree is left to libgit2, which accepts or rejects it its own way.
 */
static int
entry_next(struct rawtree *t, struct entry *e, int *odd)
{
	const char	*p = t->p, *nul;
	unsigned	 attr = 0;

	if (p == NULL || p == t->end)
		return 0;
	for (; p < t->end && *p >= '0' && *p <= '7' && attr <= 0xffff; p++)
		attr = attr * 8 + (unsigned)(*p - '0');
	if (p == t->p || attr > 0xffff || p == t->end || *p++ != ' ' ||
	    (nul = memchr(p, '\0', (size_t)(t->end - p))) == NULL || nul == p ||
	    t->end - (nul + 1) < GIT_OID_RAWSZ) {
		*odd = 1;
		return 0;
	}
	e->raw = t->p;
	e->name = p;
	e->len = (size_t)(nul - p);
	memcpy(e->id.id, nul + 1, GIT_OID_RAWSZ);
	e->mode = normal_mode(attr);
	e->type = mode_type(attr);
	t->p = nul + 1 + GIT_OID_RAWSZ;
	e->size = (size_t)(t->p - e->raw);
	return 1;
}

static void
bounds_push(struct bounds_rec *r, size_t off)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 256;
		r->v = xreallocarray(r->v, r->cap, sizeof(*r->v));
	}
	r->v[r->n++] = (uint32_t)off;
}

/*
 * Where each entry of t starts, and its end, unless known already: one
 * parse of the whole tree, which skip_same() then need not walk. Left
 * unknown for a tree that entry_next() finds odd (the walk finds it again
 * and gives up) or that is too big for the offsets.
 */
static void
tree_bounds(struct rawtree *t)
{
	struct rawtree		 w;
	struct bounds_rec	 r;
	struct entry		 e;
	int			 odd = 0;

	if (t->bounds != NULL || t->obj == NULL || (uint64_t)(t->end - t->base) >= UINT32_MAX)
		return;
	memset(&r, 0, sizeof(r));
	w = *t;
	w.p = t->base;
	while (entry_next(&w, &e, &odd))
		bounds_push(&r, (size_t)(e.raw - t->base));
	if (odd) {
		free(r.v);
		return;
	}
	bounds_push(&r, (size_t)(t->end - t->base));
	t->bounds = r.v;
	t->nbounds = r.n;
}

/* Git's tree order: names compared bytewise, a folder's name as if it ended in '/'. */
static int
entry_cmp(const struct entry *a, const struct entry *b)
{
	size_t	n = a->len < b->len ? a->len : b->len;
	int	c, ac, bc;

	if ((c = memcmp(a->name, b->name, n)) != 0)
		return c;
	ac = a->len > n ? (unsigned char)a->name[n] : a->type == GIT_OBJECT_TREE ? '/' : 0;
	bc = b->len > n ? (unsigned char)b->name[n] : b->type == GIT_OBJECT_TREE ? '/' : 0;
	return ac - bc;
}

static int
is_regular(git_filemode_t mode)
{
	return mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE;
}

static void
note(struct tdiff *t, enum change_kind kind, const char *name, const git_oid *old_id,
    const git_oid *new_id)
{
	struct found	*f;

	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->found = xreallocarray(t->found, t->cap, sizeof(*t->found));
	}
	f = &t->found[t->n++];
	memset(f, 0, sizeof(*f));
	f->kind = kind;
	f->path = arena_printf(t->ar, "%s%s", t->path.data, name);
	if (old_id != NULL)
		f->old_id = *old_id;
	f->new_id = *new_id;
}

static void compare(struct tdiff *, struct rawtree *, struct rawtree *, struct bounds_rec *);

/*
 * Compare the trees old_id and new_id (either may be NULL). The old tree's
 * entry offsets, found on the way, go to its cache slot: the next version
 * of the folder compared (older) has it as its new side.
 */
static void
trees(struct tdiff *t, const git_oid *old_id, const git_oid *new_id)
{
	struct rawtree		old, new;
	struct bounds_rec	r;

	memset(&new, 0, sizeof(new));
	memset(&r, 0, sizeof(r));
	if (tree_read(t->tc, old_id, &old) != 0 || tree_read(t->tc, new_id, &new) != 0)
		t->failed = t->give_up = 1;
	else {
		tree_bounds(&new);
		compare(t, &old, &new, new.bounds != NULL && old.obj != NULL &&
		    (uint64_t)(old.end - old.base) < UINT32_MAX ? &r : NULL);
		if (r.v != NULL && !t->give_up) {
			bounds_push(&r, (size_t)(old.end - old.base));
			tree_keep_bounds(t->tc, &old.id, &r);
		}
	}
	free(r.v);
	tree_free(&old);
	tree_free(&new);
}

/* A folder of the content folder, for folder_changes() to compare. */
static void
defer(struct tdiff *t, const char *name, const git_oid *old_id, const git_oid *new_id)
{
	struct folder_job	*j;

	if (t->njobs == t->jobcap) {
		t->jobcap = t->jobcap ? t->jobcap * 2 : 8;
		t->jobs = xreallocarray(t->jobs, t->jobcap, sizeof(*t->jobs));
	}
	j = &t->jobs[t->njobs++];
	memset(j, 0, sizeof(*j));
	j->commit = t->commit;
	j->path = arena_printf(t->ar, "%s%s/", t->path.data, name);
	j->has_old = old_id != NULL;
	if (old_id != NULL)
		j->old_id = *old_id;
	j->new_id = *new_id;
}

/* Compare the subtrees old_id and new_id (either may be NULL) of the folder name. */
static void
descend(struct tdiff *t, const char *name, const git_oid *old_id, const git_oid *new_id)
{
	size_t	len = t->path.len;

	if (t->jobs != NULL && t->depth == 1) {	/* a folder of the content folder: later */
		defer(t, name, old_id, new_id);
		return;
	}
	if (t->depth >= MAX_DEPTH) {	/* a hostile nesting: libgit2's iterator does not recurse */
		t->give_up = 1;
		return;
	}
	if (*name != '\0') {
		buf_puts(&t->path, name);
		buf_putc(&t->path, '/');
	}
	t->depth++;
	trees(t, old_id, new_id);
	t->depth--;
	if (t->path.len > len) {	/* (never write to an empty buf's shared "") */
		t->path.len = len;
		t->path.data[len] = '\0';
	}
}

/* An entry only in the new tree. */
static void
came(struct tdiff *t, const struct entry *e)
{
	if (e->type == GIT_OBJECT_TREE)
		descend(t, e->name, NULL, &e->id);
	else if (is_article(e->name)) {
		if (is_regular(e->mode))
			note(t, CHANGE_ADDED, e->name, NULL, &e->id);
		else
			t->give_up = 1;		/* a link or a submodule named *.md */
	}
}

/* The same name on both sides. */
static void
both(struct tdiff *t, const struct entry *o, const struct entry *n)
{
	if (o->mode == n->mode && git_oid_equal(&o->id, &n->id))
		return;
	if (n->type == GIT_OBJECT_TREE) {
		if (o->mode != n->mode)
			t->give_up = 1;
		else
			descend(t, n->name, &o->id, &n->id);
	} else if (is_article(n->name)) {
		if (o->mode != n->mode || !is_regular(n->mode))
			t->give_up = 1;
		else
			note(t, CHANGE_EDITED, n->name, &o->id, &n->id);
	}
}

/* How many bytes a and b (n long at most) have the same, from the start. */
static size_t
same_bytes(const char *a, const char *b, size_t n)
{
	size_t	i = 0;

	while (i + 64 <= n && memcmp(a + i, b + i, 64) == 0)
		i += 64;
	while (i < n && a[i] == b[i])
		i++;
	return i;
}

/* The first of the n sorted offsets v that is above off (n if none). */
static size_t
bounds_above(const uint32_t *v, size_t n, size_t off)
{
	size_t	lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (v[mid] <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * o and n are the same bytes: move both trees past the entries after them
 * that are the same bytes too. A folder of thousands of articles changes
 * by a few entries a commit; the bytes are compared in blocks. Where the
 * new tree's entries end is then looked up in its offsets (tree_bounds(),
 * or those compare() found for it as the old side of the last comparison)
 * or else found by parsing them; the old tree's, being the same bytes, are
 * where the same parse would find them, and go to r.
 */
static void
skip_same(struct rawtree *old, struct rawtree *new, const struct entry *o,
    const struct entry *n, int *odd, struct bounds_rec *r)
{
	size_t		 room_o = (size_t)(old->end - o->raw), room_n = (size_t)(new->end - n->raw);
	size_t		 same = same_bytes(o->raw, n->raw, room_o < room_n ? room_o : room_n);
	size_t		 n_off = (size_t)(n->raw - new->base), i, j, k;
	const char	*was;
	struct entry	 e;

	if (new->bounds != NULL) {
		/* n starts at bounds[i]; the last entry boundary within the same bytes is bounds[j] */
		i = bounds_above(new->bounds, new->nbounds, n_off) - 1;
		j = bounds_above(new->bounds, new->nbounds, n_off + same) - 1;
		if (new->bounds[i] == n_off && j > i) {
			for (k = i + 1; r != NULL && k < j; k++)
				bounds_push(r, (size_t)(o->raw - old->base) + new->bounds[k] - n_off);
			new->p = new->base + new->bounds[j];
			old->p = o->raw + (new->bounds[j] - n_off);
			return;
		}
	}
	for (;;) {
		was = new->p;
		if (!entry_next(new, &e, odd))
			break;
		if ((size_t)(new->p - n->raw) > same) {
			new->p = was;
			break;
		}
		if (r != NULL)
			bounds_push(r, (size_t)(o->raw - old->base) + (size_t)(e.raw - n->raw));
	}
	old->p = o->raw + (new->p - n->raw);
}

/* entry_next() of the old tree, its offset to r (if not NULL). */
static int
old_next(struct rawtree *old, struct entry *o, int *odd, struct bounds_rec *r)
{
	if (!entry_next(old, o, odd))
		return 0;
	if (r != NULL)
		bounds_push(r, (size_t)(o->raw - old->base));
	return 1;
}

/*
 * Merge the two sorted entry lists; either may be empty. With r, the
 * offsets of the old tree's entries go there; the new tree's offsets must
 * then be known.
 */
static void
compare(struct tdiff *t, struct rawtree *old, struct rawtree *new, struct bounds_rec *r)
{
	struct entry	o, n;
	int		ho, hn, c;

	ho = old_next(old, &o, &t->give_up, r);
	hn = entry_next(new, &n, &t->give_up);
	while (!t->give_up && (ho || hn)) {
		if (ho && hn && o.size == n.size && memcmp(o.raw, n.raw, o.size) == 0) {
			skip_same(old, new, &o, &n, &t->give_up, r);	/* unchanged */
			ho = old_next(old, &o, &t->give_up, r);
			hn = entry_next(new, &n, &t->give_up);
			continue;
		}
		c = !ho ? 1 : !hn ? -1 : entry_cmp(&o, &n);
		if (c < 0) {
			/*
			 * Only in the old tree. Even a file that is not an
			 * article may be the source of a rename to one
			 * ("a.markdown" -> "a.md", a file that becomes a
			 * folder), which only rename detection can tell.
			 */
			t->give_up = 1;
		} else if (c > 0) {
			came(t, &n);
			hn = entry_next(new, &n, &t->give_up);
		} else {
			both(t, &o, &n);
			ho = old_next(old, &o, &t->give_up, r);
			hn = entry_next(new, &n, &t->give_up);
		}
	}
}

/* The entry at path in tree, NULL when there is none; -1 for any other error. */
static int
entry_at(const git_tree *tree, const char *path, git_tree_entry **out)
{
	int	e;

	*out = NULL;
	if ((e = git_tree_entry_bypath(out, tree, path)) == 0)
		return 0;
	*out = NULL;
	return e == GIT_ENOTFOUND ? 0 : -1;
}

/* t's changes, in the arena; 0, or -1 if a tree could not be read, 1 if left to libgit2 */
static int
found_out(struct tdiff *t, struct file_change **changes, struct blob_ids **ids, size_t *n)
{
	struct file_change	*fc;
	size_t			 i;

	*changes = NULL;
	*ids = NULL;
	*n = 0;
	if (t->give_up)
		return t->failed ? -1 : 1;
	*changes = arena_array(t->ar, t->n, sizeof(**changes));
	*ids = arena_array(t->ar, t->n, sizeof(**ids));
	for (i = 0; i < t->n; i++) {
		fc = &(*changes)[i];
		memset(fc, 0, sizeof(*fc));
		fc->kind = t->found[i].kind;
		fc->path = t->found[i].path;
		(*ids)[i].old_id = t->found[i].old_id;
		(*ids)[i].new_id = t->found[i].new_id;
	}
	*n = t->n;
	return 0;
}

int
tree_changes(struct arena *ar, struct tree_cache *tc, const char *prefix, const git_tree *old,
    const git_tree *new, struct commit *out, struct blob_ids **ids, size_t commit,
    struct folder_job **jobs, size_t *njobs)
{
	struct tdiff		 t;
	git_tree_entry		*oe = NULL, *ne = NULL;
	char			*dir = NULL;
	size_t			 plen = strlen(prefix);
	int			 rc;

	memset(&t, 0, sizeof(t));
	t.ar = ar;
	t.tc = tc;
	t.commit = commit;
	buf_init(&t.path);
	out->nchanges = 0;
	*ids = NULL;
	if (jobs != NULL) {
		*jobs = NULL;
		*njobs = 0;
		t.jobcap = 8;
		t.jobs = xcalloc(t.jobcap, sizeof(*t.jobs));
	}
	if (plen == 0)
		descend(&t, "", old ? git_tree_id(old) : NULL, git_tree_id(new));
	else {
		/* the content folder on each side: the same id means nothing happened to it */
		dir = xstrndup(prefix, plen - 1);
		if ((old != NULL && entry_at(old, dir, &oe) == -1) || entry_at(new, dir, &ne) == -1)
			t.give_up = 1;	/* libgit2's diff says what went wrong */
		else if ((oe != NULL && git_tree_entry_type(oe) != GIT_OBJECT_TREE) ||
		    (ne != NULL && git_tree_entry_type(ne) != GIT_OBJECT_TREE) ||
		    (oe != NULL && ne == NULL))
			t.give_up = 1;
		else if (ne != NULL && (oe == NULL || !git_oid_equal(git_tree_entry_id(oe),
		    git_tree_entry_id(ne))))
			descend(&t, "", oe ? git_tree_entry_id(oe) : NULL, git_tree_entry_id(ne));
	}
	rc = found_out(&t, &out->changes, ids, &out->nchanges);
	if (rc == 0 && jobs != NULL && t.njobs > 0) {
		*jobs = arena_array(ar, t.njobs, sizeof(**jobs));
		memcpy(*jobs, t.jobs, t.njobs * sizeof(**jobs));
		*njobs = t.njobs;
	}
	free(t.jobs);
	free(t.found);
	buf_free(&t.path);
	git_tree_entry_free(oe);
	git_tree_entry_free(ne);
	free(dir);
	return rc;
}

void
folder_changes(struct arena *ar, struct tree_cache *tc, struct folder_job *j)
{
	struct tdiff	t;

	memset(&t, 0, sizeof(t));
	t.ar = ar;
	t.tc = tc;
	buf_init(&t.path);
	buf_puts(&t.path, j->path);
	t.depth = 1;
	trees(&t, j->has_old ? &j->old_id : NULL, &j->new_id);
	j->status = found_out(&t, &j->changes, &j->ids, &j->nchanges);
	free(t.found);
	buf_free(&t.path);
}

struct joined {
	struct file_change	fc;
	struct blob_ids		ids;
};

static int
joined_cmp(const void *a, const void *b)
{
	return strcmp(((const struct joined *)a)->fc.path, ((const struct joined *)b)->fc.path);
}

/*
 * A commit's changes: those tree_changes() found in the content folder
 * itself and those of its folder jobs, in the order one walk would have
 * found them: git's tree order, which is that of the whole paths, bytewise.
 */
void
tree_changes_join(struct arena *ar, struct commit *out, struct blob_ids **ids,
    const struct folder_job *jobs, size_t njobs)
{
	struct joined	*all;
	size_t		 i, k, n = out->nchanges;

	for (i = 0; i < njobs; i++)
		n += jobs[i].nchanges;
	all = xcalloc(n ? n : 1, sizeof(*all));
	for (n = 0; n < out->nchanges; n++) {
		all[n].fc = out->changes[n];
		all[n].ids = (*ids)[n];
	}
	for (i = 0; i < njobs; i++)
		for (k = 0; k < jobs[i].nchanges; k++, n++) {
			all[n].fc = jobs[i].changes[k];
			all[n].ids = jobs[i].ids[k];
		}
	qsort(all, n, sizeof(*all), joined_cmp);
	out->changes = arena_array(ar, n, sizeof(*out->changes));
	*ids = arena_array(ar, n, sizeof(**ids));
	for (i = 0; i < n; i++) {
		out->changes[i] = all[i].fc;
		(*ids)[i] = all[i].ids;
	}
	out->nchanges = n;
	free(all);
}
