/*
 * treediff.c: what a commit did to the articles, found by reading its tree
 * and its first parent's side by side, entry by entry, the way git log
 * does: a folder whose id did not change is skipped unread. No blob is
 * read here; linestats.c counts the lines afterwards. libgit2's own
 * tree-to-tree diff builds a delta for every changed path and looks up
 * attributes and diff drivers for each; with the line counts, it made the
 * history pass more than four times slower than git log.
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

struct tdiff {
	struct arena	*ar;
	git_repository	*repo;
	struct buf	 path;		/* the folder being compared, relative, with '/' */
	struct found	*found;
	size_t		 n, cap;
	int		 give_up;	/* needs libgit2's diff */
	int		 failed;	/* a tree could not be read */
	int		 depth;		/* folders entered */
};

/* Git's tree order: names compared bytewise, a folder's name as if it ended in '/'. */
static int
entry_cmp(const git_tree_entry *a, const git_tree_entry *b)
{
	const char	*an = git_tree_entry_name(a), *bn = git_tree_entry_name(b);
	size_t		 al = strlen(an), bl = strlen(bn), n = al < bl ? al : bl;
	int		 c, ac, bc;

	if ((c = memcmp(an, bn, n)) != 0)
		return c;
	ac = al > n ? (unsigned char)an[n] : git_tree_entry_type(a) == GIT_OBJECT_TREE ? '/' : 0;
	bc = bl > n ? (unsigned char)bn[n] : git_tree_entry_type(b) == GIT_OBJECT_TREE ? '/' : 0;
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

static void compare(struct tdiff *, const git_tree *, const git_tree *);

/* Compare the subtrees old_id and new_id (either may be NULL) of the folder name. */
static void
descend(struct tdiff *t, const char *name, const git_oid *old_id, const git_oid *new_id)
{
	git_tree	*old = NULL, *new = NULL;
	size_t		 len = t->path.len;

	if (t->depth >= MAX_DEPTH) {	/* a hostile nesting: libgit2's iterator does not recurse */
		t->give_up = 1;
		return;
	}
	if ((old_id != NULL && git_tree_lookup(&old, t->repo, old_id) != 0) ||
	    (new_id != NULL && git_tree_lookup(&new, t->repo, new_id) != 0)) {
		t->failed = t->give_up = 1;
		goto out;
	}
	if (*name != '\0') {
		buf_puts(&t->path, name);
		buf_putc(&t->path, '/');
	}
	t->depth++;
	compare(t, old, new);
	t->depth--;
	if (t->path.len > len) {	/* (never write to an empty buf's shared "") */
		t->path.len = len;
		t->path.data[len] = '\0';
	}
out:
	git_tree_free(old);
	git_tree_free(new);
}

/* An entry only in the new tree. */
static void
came(struct tdiff *t, const git_tree_entry *e)
{
	const char	*name = git_tree_entry_name(e);

	if (git_tree_entry_type(e) == GIT_OBJECT_TREE)
		descend(t, name, NULL, git_tree_entry_id(e));
	else if (is_article(name)) {
		if (is_regular(git_tree_entry_filemode(e)))
			note(t, CHANGE_ADDED, name, NULL, git_tree_entry_id(e));
		else
			t->give_up = 1;		/* a link or a submodule named *.md */
	}
}

/* The same name on both sides. */
static void
both(struct tdiff *t, const git_tree_entry *o, const git_tree_entry *n)
{
	const char	*name = git_tree_entry_name(n);

	if (git_tree_entry_filemode(o) == git_tree_entry_filemode(n) &&
	    git_oid_equal(git_tree_entry_id(o), git_tree_entry_id(n)))
		return;
	if (git_tree_entry_type(n) == GIT_OBJECT_TREE) {
		if (git_tree_entry_filemode(o) != git_tree_entry_filemode(n))
			t->give_up = 1;
		else
			descend(t, name, git_tree_entry_id(o), git_tree_entry_id(n));
	} else if (is_article(name)) {
		if (git_tree_entry_filemode(o) != git_tree_entry_filemode(n) ||
		    !is_regular(git_tree_entry_filemode(n)))
			t->give_up = 1;
		else
			note(t, CHANGE_EDITED, name, git_tree_entry_id(o), git_tree_entry_id(n));
	}
}

/* Merge the two sorted entry lists; old or new may be NULL (an empty folder). */
static void
compare(struct tdiff *t, const git_tree *old, const git_tree *new)
{
	size_t			 i = 0, j = 0;
	size_t			 no = old ? git_tree_entrycount(old) : 0;
	size_t			 nn = new ? git_tree_entrycount(new) : 0;
	const git_tree_entry	*o, *n;
	int			 c;

	while (!t->give_up && (i < no || j < nn)) {
		o = i < no ? git_tree_entry_byindex(old, i) : NULL;
		n = j < nn ? git_tree_entry_byindex(new, j) : NULL;
		c = o == NULL ? 1 : n == NULL ? -1 : entry_cmp(o, n);
		if (c < 0) {
			/*
			 * Only in the old tree. Even a file that is not an
			 * article may be the source of a rename to one
			 * ("a.markdown" -> "a.md", a file that becomes a
			 * folder), which only rename detection can tell.
			 */
			t->give_up = 1;
		} else if (c > 0) {
			came(t, n);
			j++;
		} else {
			both(t, o, n);
			i++;
			j++;
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

int
tree_changes(struct arena *ar, git_repository *repo, const char *prefix, const git_tree *old,
    const git_tree *new, struct commit *out, struct blob_ids **ids)
{
	struct tdiff		 t;
	git_tree_entry		*oe = NULL, *ne = NULL;
	struct file_change	*fc;
	char			*dir = NULL;
	size_t			 i, plen = strlen(prefix);
	int			 rc = 1;

	memset(&t, 0, sizeof(t));
	t.ar = ar;
	t.repo = repo;
	buf_init(&t.path);
	out->nchanges = 0;
	*ids = NULL;
	if (plen == 0)
		compare(&t, old, new);
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
	if (t.give_up) {
		rc = t.failed ? -1 : 1;
		goto out;
	}
	out->changes = arena_array(ar, t.n, sizeof(*out->changes));
	*ids = arena_array(ar, t.n, sizeof(**ids));
	for (i = 0; i < t.n; i++) {
		fc = &out->changes[i];
		memset(fc, 0, sizeof(*fc));
		fc->kind = t.found[i].kind;
		fc->path = t.found[i].path;
		(*ids)[i].old_id = t.found[i].old_id;
		(*ids)[i].new_id = t.found[i].new_id;
	}
	out->nchanges = t.n;
	rc = 0;
out:
	free(t.found);
	buf_free(&t.path);
	git_tree_entry_free(oe);
	git_tree_entry_free(ne);
	free(dir);
	return rc;
}
