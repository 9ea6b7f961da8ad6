/*
 * linestats.c: lines added and removed by each change a commit made to an
 * article, and whether an edit touched only the front matter. The changes
 * of all commits are sorted by article, oldest first, and counted in that
 * order: an edit's old side is then the blob read for the change before,
 * so each blob is read once. Reading an old version again out of a packed
 * repository, through its chain of deltas, was the most expensive step of
 * the whole history pass (half a millisecond each with libgit2 1.5).
 */
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "folio.h"
#include "git/gitint.h"
#include "util/fsutil.h"

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


/* Lines in a blob as git's diff counts them: a last line without '\n' counts. */
static size_t
count_lines(const char *p, size_t len)
{
	const char	*end = p + len, *nl;
	size_t		 n = 0;

	while (p < end && (nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		n++;
		p = nl + 1;
	}
	return n + (p < end);
}

/*
 * One version of an article: the work-tree file when it has exactly the
 * blob's bytes (most articles never change after they are added, and a
 * plain read is far cheaper than rebuilding an old blob from a packed
 * repository's deltas), else the blob. A version may borrow the text of
 * another (the work-tree file read once per article): then it owns
 * neither blob nor file.
 */
struct version {
	git_oid		 id;
	git_blob	*blob;		/* owned, or */
	char		*file;		/* owned (heap), or neither: borrowed */
	const char	*text;		/* NULL: no such version */
	size_t		 len;
};

static void
version_free(struct version *v)
{
	git_blob_free(v->blob);
	free(v->file);
	memset(v, 0, sizeof(*v));
}

/* The article's file in the work tree and its git blob id, if it is a regular file. */
static void
work_file(const char *dir, const char *path, struct version *v)
{
	char	*file;

	memset(v, 0, sizeof(*v));
	if (dir == NULL)
		return;
	file = path_join(dir, path);
	if (file_read_regular(file, (size_t)64 << 20, &v->file, &v->len) == 0 &&
	    git_odb_hash(&v->id, v->file, v->len, GIT_OBJECT_BLOB) == 0)
		v->text = v->file;
	else
		version_free(v);
	free(file);
}

static int
version_get(git_repository *repo, const struct version *wt, const git_oid *id, struct version *v)
{
	memset(v, 0, sizeof(*v));
	v->id = *id;
	if (wt->text != NULL && git_oid_equal(&wt->id, id)) {
		v->text = wt->text;
		v->len = wt->len;
		return 0;
	}
	if (git_blob_lookup(&v->blob, repo, id) != 0)
		return -1;
	v->text = git_blob_rawcontent(v->blob);
	v->len = (size_t)git_blob_rawsize(v->blob);
	return 0;
}

/* git's own test (not libgit2's wider one): a NUL byte in the first 8,000 bytes */
static int
is_binary(const struct version *v)
{
	return memchr(v->text, '\0', v->len < 8000 ? v->len : 8000) != NULL;
}

static int
edit_stats(const struct version *ov, const struct version *nv, struct file_change *fc)
{
	git_patch		*patch = NULL;
	git_diff_options	 o;
	int			 rc;

	git_diff_options_init(&o, GIT_DIFF_OPTIONS_VERSION);
	o.context_lines = 0;
	o.interhunk_lines = 0;
	if (git_patch_from_buffers(&patch, ov->text, ov->len, NULL, nv->text, nv->len, NULL, &o) != 0)
		return -1;
	rc = patch == NULL ? 0 : patch_stats(patch, fm_close(ov->text, ov->len),
	    fm_close(nv->text, nv->len), fc);
	git_patch_free(patch);
	return rc;
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

int
stat_items_count(git_repository *repo, const char *dir, struct stat_item *items, size_t n)
{
	struct version	 wt, held, old, cur;
	size_t		 i;
	int		 rc = -1;

	memset(&wt, 0, sizeof(wt));
	memset(&held, 0, sizeof(held));
	memset(&old, 0, sizeof(old));
	memset(&cur, 0, sizeof(cur));
	for (i = 0; i < n; i++) {
		if (i == 0 || strcmp(items[i].fc->path, items[i - 1].fc->path) != 0) {
			version_free(&held);	/* another article: held may borrow wt */
			version_free(&wt);
			work_file(dir, items[i].fc->path, &wt);
		}
		if (version_get(repo, &wt, &items[i].ids->new_id, &cur) != 0)
			goto out;
		if (items[i].fc->kind == CHANGE_ADDED) {
			if (!is_binary(&cur))
				items[i].fc->added = count_lines(cur.text, cur.len);
		} else if (held.text != NULL && git_oid_equal(&held.id, &items[i].ids->old_id)) {
			if (edit_stats(&held, &cur, items[i].fc) != 0)
				goto out;
		} else {
			if (version_get(repo, &wt, &items[i].ids->old_id, &old) != 0 ||
			    edit_stats(&old, &cur, items[i].fc) != 0)
				goto out;
			version_free(&old);
		}
		version_free(&held);
		held = cur;
		memset(&cur, 0, sizeof(cur));
	}
	rc = 0;
out:
	version_free(&cur);
	version_free(&old);
	version_free(&held);
	version_free(&wt);
	return rc;
}
