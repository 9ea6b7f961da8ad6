/*
 * walk.c: one revision walk from HEAD; each commit's tree diffed with its
 * first parent's. The walk itself is quick; the diffs are not, and each is
 * independent of the others. They run on worker threads, one
 * git_repository each (libgit2 objects are not shared between threads), in
 * three rounds: the content folder of each commit, in chunks of
 * neighbouring commits; the folders in it that changed, folder by folder,
 * newest first (treediff.c says why); then the line counts, article by
 * article (linestats.c). A commit the tree walk
 * leaves alone (it removes a file, maybe the source of a rename, or changes
 * a file's kind or mode) goes through libgit2's diff and rename detection
 * here.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>

#include "folio.h"
#include "content/content.h"
#include "git/gitint.h"
#include "util/arena.h"
#include "util/cpus.h"
#include "util/fsutil.h"

struct ctx {
	struct arena		*ar;
	git_repository		*repo;
	const char		*prefix;	/* "content/" or "" (repository root) */
	const char		*content_dir;	/* the work tree's prefix folder, or NULL (bare) */
	size_t			 prefixlen;
	int			 all_parents;
	git_diff_options	 dopts;
	git_diff_find_options	 fopts;
	char			*pathspec;
	struct tree_cache	 tc;		/* a worker's: open in diff_all() only */
};

/* A set of commit ids, for the shallow boundary and the manual walk; heap. */
struct oidset {
	git_oid	*slots;
	char	*used;
	size_t	 cap, n;
};

static size_t
oid_hash(const git_oid *id)
{
	size_t	h;

	memcpy(&h, id->id, sizeof(h));	/* an object id is already uniformly spread */
	return h;
}

static int
oidset_has(const struct oidset *s, const git_oid *id)
{
	size_t	i;

	if (s->cap == 0)
		return 0;
	for (i = oid_hash(id) & (s->cap - 1); s->used[i]; i = (i + 1) & (s->cap - 1))
		if (git_oid_equal(&s->slots[i], id))
			return 1;
	return 0;
}

/* Returns 1 if added, 0 if it was there. */
static int
oidset_add(struct oidset *s, const git_oid *id)
{
	struct oidset	 old = *s;
	size_t		 i;

	if (oidset_has(s, id))
		return 0;
	if ((s->n + 1) * 2 > s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->slots = xcalloc(s->cap, sizeof(*s->slots));
		s->used = xcalloc(s->cap, 1);
		s->n = 0;
		for (i = 0; i < old.cap; i++)
			if (old.used[i])
				oidset_add(s, &old.slots[i]);
		free(old.slots);
		free(old.used);
	}
	for (i = oid_hash(id) & (s->cap - 1); s->used[i]; i = (i + 1) & (s->cap - 1))
		;
	s->slots[i] = *id;
	s->used[i] = 1;
	s->n++;
	return 1;
}

static void
oidset_free(struct oidset *s)
{
	free(s->slots);
	free(s->used);
	memset(s, 0, sizeof(*s));
}

int
is_article(const char *path)
{
	size_t	len = strlen(path);

	return len > 3 && strcmp(path + len - 3, ".md") == 0;
}

/* The path relative to the content folder, in the arena, or NULL if outside it or not an article. */
static const char *
relpath(struct ctx *x, const char *path)
{
	if (path == NULL || strncmp(path, x->prefix, x->prefixlen) != 0 ||
	    !is_article(path + x->prefixlen))
		return NULL;
	return arena_strdup(x->ar, path + x->prefixlen);
}

static size_t
blob_fm_close(git_repository *repo, const git_oid *id)
{
	git_blob	*b = NULL;
	size_t		 n = 0;

	if (git_oid_is_zero(id) || git_blob_lookup(&b, repo, id) != 0)
		return 0;
	n = fm_close(git_blob_rawcontent(b), (size_t)git_blob_rawsize(b));
	git_blob_free(b);
	return n;
}

/* Lines added and removed by delta i of diff (see patch_stats). */
static int
line_stats(struct ctx *x, git_diff *diff, size_t i, struct file_change *fc)
{
	git_patch		*patch = NULL;
	const git_diff_delta	*d;
	size_t			 oldfm = 0, newfm = 0, adds, dels;
	int			 rc = -1;

	if (git_patch_from_diff(&patch, diff, i) != 0)
		goto out;
	rc = 0;
	if (patch == NULL)	/* unchanged or binary */
		goto out;
	d = git_patch_get_delta(patch);
	/* the front matter's extent matters only to an edit that changed lines */
	if (fc->kind == CHANGE_EDITED && git_patch_line_stats(NULL, &adds, &dels, patch) == 0 &&
	    adds + dels > 0) {
		oldfm = blob_fm_close(x->repo, &d->old_file.id);
		newfm = blob_fm_close(x->repo, &d->new_file.id);
	}
	rc = patch_stats(patch, oldfm, newfm, fc);
out:
	git_patch_free(patch);
	return rc;
}

static const char *
removed_title(struct ctx *x, const git_oid *id)
{
	git_blob	*b = NULL;
	char		*t;
	const char	*title = NULL;

	if (git_blob_lookup(&b, x->repo, id) != 0)
		return NULL;
	if ((t = frontmatter_title(git_blob_rawcontent(b), (size_t)git_blob_rawsize(b))) != NULL) {
		title = arena_strdup(x->ar, t);
		free(t);
	}
	git_blob_free(b);
	return title;
}

/*
 * Diff a commit (the order-th of the walk) with its first parent (or
 * nothing) and fill in what it did to the articles. With walk_trees, the
 * trees are walked first: when that finds it all, *ids gets the blobs of
 * each change and the lines are left to count, and *jobs (njobs) the
 * folders still to compare; else, and without walk_trees, libgit2's diff
 * finds the changes and the lines are counted here.
 */
static int
diff_commit(struct ctx *x, git_commit *c, int walk_trees, size_t order, struct commit *out,
    struct blob_ids **ids, struct folder_job **jobs, size_t *njobs)
{
	git_commit		*parent = NULL;
	git_tree		*tree = NULL, *ptree = NULL;
	git_diff		*diff = NULL;
	const git_diff_delta	*d;
	const git_signature	*sig;
	struct file_change	*fc;
	size_t			 i, n;
	int			 rc = -1, e = 1;

	out->nchanges = 0;
	*ids = NULL;
	*jobs = NULL;
	*njobs = 0;
	if (git_commit_tree(&tree, c) != 0)
		goto out;
	if (git_commit_parentcount(c) > 0 &&
	    (git_commit_parent(&parent, c, 0) != 0 || git_commit_tree(&ptree, parent) != 0))
		goto out;
	if (walk_trees && (e = tree_changes(x->ar, &x->tc, x->prefix, ptree, tree, out, ids,
	    order, jobs, njobs)) == -1)
		goto out;
	if (e == 0)
		goto done;
	if (git_diff_tree_to_tree(&diff, x->repo, ptree, tree, &x->dopts) != 0)
		goto out;
	if ((n = git_diff_num_deltas(diff)) == 0) {
		rc = 0;
		goto out;
	}
	if (ptree != NULL && git_diff_find_similar(diff, &x->fopts) != 0)
		goto out;
	n = git_diff_num_deltas(diff);
	out->changes = arena_array(x->ar, n, sizeof(*out->changes));
	for (i = 0; i < n; i++) {
		d = git_diff_get_delta(diff, i);
		fc = &out->changes[out->nchanges];
		memset(fc, 0, sizeof(*fc));
		fc->path = relpath(x, d->new_file.path);
		switch (d->status) {
		case GIT_DELTA_ADDED:
			fc->kind = CHANGE_ADDED;
			break;
		case GIT_DELTA_MODIFIED:
		case GIT_DELTA_TYPECHANGE:
			fc->kind = CHANGE_EDITED;
			break;
		case GIT_DELTA_RENAMED:
			fc->old_path = relpath(x, d->old_file.path);
			if (fc->path == NULL && fc->old_path == NULL)
				continue;
			if (fc->path == NULL) {		/* "a.md" -> "a.txt": gone as an article */
				fc->path = fc->old_path;
				fc->old_path = NULL;
				fc->kind = CHANGE_REMOVED;
				fc->title = removed_title(x, &d->old_file.id);
				out->nchanges++;
				continue;
			}
			fc->kind = fc->old_path ? CHANGE_RENAMED : CHANGE_ADDED;
			break;
		case GIT_DELTA_DELETED:
			if ((fc->path = relpath(x, d->old_file.path)) == NULL)
				continue;
			fc->kind = CHANGE_REMOVED;
			fc->title = removed_title(x, &d->old_file.id);
			out->nchanges++;
			continue;
		default:
			continue;
		}
		if (fc->path == NULL)
			continue;
		if (!(d->flags & GIT_DIFF_FLAG_BINARY) &&
		    !(fc->kind == CHANGE_RENAMED && git_oid_equal(&d->old_file.id, &d->new_file.id)) &&
		    line_stats(x, diff, i, fc) != 0)
			goto out;
		out->nchanges++;
	}
done:
	if (out->nchanges > 0 || *njobs > 0) {
		git_oid_tostr(out->id, sizeof(out->id), git_commit_id(c));
		memcpy(out->short_id, out->id, 7);
		out->short_id[7] = '\0';
		sig = git_commit_author(c);
		out->time = (time_t)sig->when.time;
		out->tz_offset = sig->when.offset;
		out->author = arena_strdup(x->ar, sig->name);
		out->email = arena_strdup(x->ar, sig->email);
		out->subject = arena_strdup(x->ar, git_commit_summary(c) ? git_commit_summary(c) : "");
	}
	rc = 0;
out:
	git_diff_free(diff);
	git_tree_free(ptree);
	git_tree_free(tree);
	git_commit_free(parent);
	return rc;
}

/* The commits listed in .git/shallow: their parents are not in the repository. */
static int
read_shallow(git_repository *repo, struct oidset *set)
{
	char	*path, *data = NULL, *p;
	size_t	 len;
	git_oid	 id;

	path = path_join(git_repository_commondir(repo), "shallow");
	if (!path_exists(path)) {
		free(path);
		return 0;
	}
	if (file_read(path, &data, &len) == -1) {
		free(path);
		return -1;
	}
	for (p = data; (size_t)(p - data) + 40 <= len; p += 41)
		if (git_oid_fromstrn(&id, p, 40) == 0)
			oidset_add(set, &id);
	free(data);
	free(path);
	return 0;
}

/*
 * libgit2 1.5's revwalk stops with "object not found" at a shallow
 * boundary, so a shallow repository gets this small walk instead: newest
 * commit time first, not past the boundary.
 */
struct manual {
	git_repository	*repo;
	const struct oidset *shallow;
	int		 first_parent;
	struct oidset	 seen;
	git_commit	**heap;
	size_t		 n, cap;
};

static void
manual_push(struct manual *m, const git_oid *id)
{
	git_commit	*c, *t;
	size_t		 i, p;

	if (!oidset_add(&m->seen, id) || git_commit_lookup(&c, m->repo, id) != 0)
		return;
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 16;
		m->heap = xreallocarray(m->heap, m->cap, sizeof(*m->heap));
	}
	m->heap[i = m->n++] = c;
	for (; i > 0; i = p) {		/* sift up: newest at the top */
		p = (i - 1) / 2;
		if (git_commit_time(m->heap[p]) >= git_commit_time(m->heap[i]))
			break;
		t = m->heap[p], m->heap[p] = m->heap[i], m->heap[i] = t;
	}
}

/* The next commit, which the caller frees, or NULL at the end. */
static git_commit *
manual_next(struct manual *m)
{
	git_commit	*top, *t;
	size_t		 i, l, best, np, k;

	if (m->n == 0)
		return NULL;
	top = m->heap[0];
	m->heap[0] = m->heap[--m->n];
	for (i = 0;; i = best) {
		best = i;
		for (l = 2 * i + 1; l <= 2 * i + 2 && l < m->n; l++)
			if (git_commit_time(m->heap[l]) > git_commit_time(m->heap[best]))
				best = l;
		if (best == i)
			break;
		t = m->heap[i], m->heap[i] = m->heap[best], m->heap[best] = t;
	}
	if (!oidset_has(m->shallow, git_commit_id(top))) {
		np = m->first_parent ? 1 : git_commit_parentcount(top);
		for (k = 0; k < np && k < git_commit_parentcount(top); k++)
			manual_push(m, git_commit_parent_id(top, (unsigned)k));
	}
	return top;
}

static void
manual_free(struct manual *m)
{
	while (m->n > 0)
		git_commit_free(m->heap[--m->n]);
	free(m->heap);
	oidset_free(&m->seen);
}

/* The articles in a boundary commit's tree: present then, created at an unknown date. */
static int
add_boundary(struct ctx *x, git_commit *c, const char ***paths, size_t *n, size_t *cap)
{
	git_tree	*tree = NULL;
	git_diff	*diff = NULL;
	const char	*p;
	size_t		 i, nd;
	int		 rc = -1;

	if (git_commit_tree(&tree, c) != 0 ||
	    git_diff_tree_to_tree(&diff, x->repo, NULL, tree, &x->dopts) != 0)
		goto out;
	nd = git_diff_num_deltas(diff);
	for (i = 0; i < nd; i++) {
		if ((p = relpath(x, git_diff_get_delta(diff, i)->new_file.path)) == NULL)
			continue;
		if (*n == *cap) {
			*cap = *cap ? *cap * 2 : 64;
			*paths = xreallocarray(*paths, *cap, sizeof(**paths));
		}
		(*paths)[(*n)++] = p;
	}
	rc = 0;
out:
	git_diff_free(diff);
	git_tree_free(tree);
	return rc;
}

#define DIFF_CHUNK	8	/* neighbouring commits per turn of a worker */
#define FOLDER_CHUNK	128	/* versions of one folder per turn */
#define STAT_MIN	64	/* articles a line-count thread gets at least */
#define DIFF_WORKERS	4

struct diff_job {
	const git_oid		*ids;
	struct commit		*out;		/* parallel to ids */
	struct blob_ids		**blobs;	/* parallel to ids: lines still to count */
	struct folder_job	**jobs;		/* parallel to ids: folders still to compare */
	size_t			*njobs;
	size_t			 n;
	struct folder_job	**queue;	/* every folder job, by folder, newest first */
	size_t			 nqueue;
	size_t			*turns;		/* where each turn in the queue begins; nturns + 1 */
	size_t			 nturns;
	size_t			*redo;		/* commits a folder job left to libgit2's diff */
	size_t			 nredo;
	struct stat_item	*items;		/* then: every change with lines to count */
	size_t			*starts;	/* where each article's run of items begins */
	size_t			 nitems, ngroups;
	size_t			 nshares;	/* the items are cut in as many shares */
	struct ahead_set	*ahead;		/* the old versions they want, read ahead */
	atomic_size_t		 next;
	atomic_int		 failed;
};

struct diff_worker {
	struct diff_job		*job;
	struct ctx		 x;		/* own repository and arena */
	pthread_t		 th;
};

/*
 * Commit i of the job into j->out[i]: its content folder's trees walked
 * by hand (walk_trees), or all of it through libgit2's diff. A failure
 * stops every worker.
 */
static void
diff_one(struct diff_worker *dw, size_t i, int walk_trees)
{
	struct diff_job	*j = dw->job;
	git_commit	*c;

	if (git_commit_lookup(&c, dw->x.repo, &j->ids[i]) != 0) {
		atomic_store(&j->failed, 1);
		return;
	}
	if (diff_commit(&dw->x, c, walk_trees, i, &j->out[i], &j->blobs[i], &j->jobs[i],
	    &j->njobs[i]) == -1)
		atomic_store(&j->failed, 1);
	git_commit_free(c);
}

/* The commits, in chunks of DIFF_CHUNK neighbours. */
static void *
diff_worker(void *arg)
{
	struct diff_worker	*dw = arg;
	struct diff_job		*j = dw->job;
	size_t			 i, first;

	while (!atomic_load(&j->failed) &&
	    (first = atomic_fetch_add(&j->next, DIFF_CHUNK)) < j->n)
		for (i = first; i < first + DIFF_CHUNK && i < j->n && !atomic_load(&j->failed); i++)
			diff_one(dw, i, 1);
	return NULL;
}

/* Turns of the folder queue: neighbouring versions of one folder each. */
static void *
folder_worker(void *arg)
{
	struct diff_worker	*dw = arg;
	struct diff_job		*j = dw->job;
	size_t			 k, i;

	while ((k = atomic_fetch_add(&j->next, 1)) < j->nturns)
		for (i = j->turns[k]; i < j->turns[k + 1]; i++)
			folder_changes(dw->x.ar, &dw->x.tc, j->queue[i]);
	return NULL;
}

static int
job_cmp(const void *a, const void *b)
{
	const struct folder_job	*x = *(struct folder_job *const *)a, *y = *(struct folder_job *const *)b;
	int			 c;

	if ((c = strcmp(x->path, y->path)) != 0)
		return c;
	return x->commit < y->commit ? -1 : x->commit > y->commit;	/* newer first */
}

/* Queue every commit's folder jobs, folder by folder, and cut the queue in turns. */
static void
queue_jobs(struct diff_job *j)
{
	size_t	i, k, n = 0;

	for (i = 0; i < j->n; i++)
		n += j->njobs[i];
	j->queue = xcalloc(n ? n : 1, sizeof(*j->queue));
	j->turns = xcalloc(n + 1, sizeof(*j->turns));
	for (i = 0; i < j->n; i++)
		for (k = 0; k < j->njobs[i]; k++)
			j->queue[j->nqueue++] = &j->jobs[i][k];
	qsort(j->queue, j->nqueue, sizeof(*j->queue), job_cmp);
	for (i = 0; i < j->nqueue; i++)
		if (i == 0 || i - j->turns[j->nturns - 1] == FOLDER_CHUNK ||
		    strcmp(j->queue[i]->path, j->queue[i - 1]->path) != 0)
			j->turns[j->nturns++] = i;
	j->turns[j->nturns] = j->nqueue;
}

/*
 * Each commit's changes, its folders' added in; a commit with a folder
 * the tree walk left alone is listed in j->redo instead, for libgit2's
 * diff. -1 if a tree could not be read.
 */
static int
join_jobs(struct diff_job *j, struct ctx *x)
{
	size_t	i, k;
	int	redo;

	j->redo = xcalloc(j->n ? j->n : 1, sizeof(*j->redo));
	for (i = 0; i < j->n; i++) {
		if (j->njobs[i] == 0)
			continue;
		for (k = redo = 0; k < j->njobs[i]; k++) {
			if (j->jobs[i][k].status == -1)
				return -1;
			redo |= j->jobs[i][k].status == 1;
		}
		if (redo)
			j->redo[j->nredo++] = i;
		else
			tree_changes_join(x->ar, &j->out[i], &j->blobs[i], j->jobs[i], j->njobs[i]);
	}
	return 0;
}

/* The commits of j->redo, through libgit2's diff. */
static void *
redo_worker(void *arg)
{
	struct diff_worker	*dw = arg;
	struct diff_job		*j = dw->job;
	size_t			 k;

	while (!atomic_load(&j->failed) && (k = atomic_fetch_add(&j->next, 1)) < j->nredo)
		diff_one(dw, j->redo[k], 0);
	return NULL;
}

/* Where share k of the items begins: whole articles, about as many items in each share. */
static size_t
share_start(const struct diff_job *j, size_t k)
{
	size_t	g = 0;

	if (k >= j->nshares)
		return j->nitems;
	while (g < j->ngroups && j->starts[g] < j->nitems / j->nshares * k)
		g++;
	return g < j->ngroups ? j->starts[g] : j->nitems;
}

/* A stretch of the packs each: the blobs the counts will want (linestats.c). */
static void *
ahead_worker(void *arg)
{
	struct diff_worker	*dw = arg;
	struct diff_job		*j = dw->job;
	size_t			 k;

	while ((k = atomic_fetch_add(&j->next, 1)) < j->nshares)
		ahead_read(j->ahead, dw->x.repo, k, j->nshares);
	return NULL;
}

/*
 * A share of the articles each, counted at once and not in small turns:
 * stat_items_count() reads their blobs in the walk's order, which is what
 * makes them cheap (see linestats.c).
 */
static void *
stat_worker(void *arg)
{
	struct diff_worker	*dw = arg;
	struct diff_job		*j = dw->job;
	size_t			 k, from, to;

	while (!atomic_load(&j->failed) && (k = atomic_fetch_add(&j->next, 1)) < j->nshares) {
		from = share_start(j, k);
		to = share_start(j, k + 1);
		if (from < to && stat_items_count(dw->x.repo, dw->x.content_dir, dw->x.prefix,
		    j->items + from, to - from, j->ahead) != 0)
			atomic_store(&j->failed, 1);
	}
	return NULL;
}

/* Run fn on every worker, the caller's thread being the first. */
static void
run_workers(struct diff_worker *dw, int nw, void *(*fn)(void *))
{
	int	k, started = 0;

	atomic_store(&dw[0].job->next, 0);
	for (k = 1; k < nw; k++) {
		if (pthread_create(&dw[k].th, NULL, fn, &dw[k]) != 0)
			break;
		started = k;
	}
	fn(&dw[0]);
	for (k = 1; k <= started; k++)
		pthread_join(dw[k].th, NULL);
}

/* The changes whose lines are still to count, grouped by article. */
static void
collect_items(struct diff_job *j)
{
	size_t	i, k, n = 0;

	for (i = 0; i < j->n; i++)
		if (j->blobs[i] != NULL)
			n += j->out[i].nchanges;
	j->items = xcalloc(n ? n : 1, sizeof(*j->items));
	j->starts = xcalloc(n ? n : 1, sizeof(*j->starts));
	for (i = 0; i < j->n; i++)
		for (k = 0; j->blobs[i] != NULL && k < j->out[i].nchanges; k++) {
			j->items[j->nitems].fc = &j->out[i].changes[k];
			j->items[j->nitems].ids = &j->blobs[i][k];
			j->items[j->nitems].order = i;
			j->nitems++;
		}
	j->ngroups = stat_items_group(j->items, j->nitems, j->starts);
}

/*
 * Give workers have .. want-1 their own repository and arena, and a tree
 * cache if they are to read trees (the line-count round does not);
 * returns how many workers there are.
 */
static int
open_workers(struct diff_worker *dw, struct diff_job *j, struct ctx *x, int have, int want, int trees)
{
	int	k;

	for (k = have; k < want; k++) {
		dw[k].job = j;
		dw[k].x = *x;
		memset(&dw[k].x.tc, 0, sizeof(dw[k].x.tc));
		if (k > 0) {	/* worker 0 has the caller's repository and arena */
			dw[k].x.ar = arena_new();
			if (git_repository_open_ext(&dw[k].x.repo, git_repository_path(x->repo),
			    GIT_REPOSITORY_OPEN_NO_SEARCH | GIT_REPOSITORY_OPEN_BARE, NULL) != 0) {
				arena_free(dw[k].x.ar);
				break;
			}
		}
		if (trees && tree_cache_open(&dw[k].x.tc, dw[k].x.repo) != 0) {
			if (k > 0) {
				git_repository_free(dw[k].x.repo);
				arena_free(dw[k].x.ar);
			}
			break;
		}
	}
	return k > have ? k : have;
}

/*
 * Diff every commit of ids into out[i], on as many threads as it is worth:
 * first the trees, commit by commit, then folder by folder, then the
 * lines, article by article (an import of thousands of articles may be a
 * single commit).
 */
static int
diff_all(struct ctx *x, const git_oid *ids, size_t n, struct commit *out)
{
	struct diff_job		 j;
	struct diff_worker	 dw[DIFF_WORKERS];
	int			 cpus = cpus_available();
	int			 most, nw, k;

	memset(&j, 0, sizeof(j));
	j.ids = ids;
	j.out = out;
	j.n = n;
	j.blobs = xcalloc(n ? n : 1, sizeof(*j.blobs));
	j.jobs = xcalloc(n ? n : 1, sizeof(*j.jobs));
	j.njobs = xcalloc(n ? n : 1, sizeof(*j.njobs));
	atomic_init(&j.next, 0);
	atomic_init(&j.failed, 0);
	memset(dw, 0, sizeof(dw));
	most = cpus > DIFF_WORKERS ? DIFF_WORKERS : cpus;
	if ((nw = open_workers(dw, &j, x, 0, n < 4 * DIFF_CHUNK ? 1 : most, 1)) == 0)
		atomic_store(&j.failed, 1);
	else
		run_workers(dw, nw, diff_worker);
	if (!atomic_load(&j.failed)) {
		queue_jobs(&j);
		run_workers(dw, nw, folder_worker);
		if (join_jobs(&j, &dw[0].x) != 0)
			atomic_store(&j.failed, 1);
		else if (j.nredo > 0)
			run_workers(dw, j.nredo < (size_t)nw ? (int)j.nredo : nw, redo_worker);
	}
	if (!atomic_load(&j.failed)) {
		collect_items(&j);
		if (j.ngroups >= 2 * STAT_MIN)
			nw = open_workers(dw, &j, x, nw, most, 0);
		j.nshares = j.ngroups >= 2 * STAT_MIN ? (size_t)nw : 1;
		j.ahead = ahead_plan(dw[0].x.repo, j.items, j.nitems, x->content_dir != NULL);
		run_workers(dw, (int)j.nshares, ahead_worker);
		ahead_index(j.ahead);
		run_workers(dw, (int)j.nshares, stat_worker);
		ahead_free(j.ahead);	/* before the workers' repositories: they own the objects */
	}
	for (k = 0; k < nw; k++) {
		tree_cache_close(&dw[k].x.tc);
		if (k == 0)
			continue;
		git_repository_free(dw[k].x.repo);
		arena_adopt(x->ar, dw[k].x.ar);	/* the commits' strings live there */
	}
	free(j.queue);
	free(j.turns);
	free(j.redo);
	free(j.jobs);
	free(j.njobs);
	free(j.items);
	free(j.starts);
	free(j.blobs);
	return atomic_load(&j.failed) ? -1 : 0;
}

/*
 * Walk from head, newest first, first parents only unless all_parents,
 * and record the commits that changed articles under prefix. With stop,
 * the walk ends there and w->complete says whether stop was reached the
 * way a cached walk from it continues (else the caller walks again, cold).
 */
int
walk_history(struct arena *ar, git_repository *repo, const char *prefix, int all_parents,
    const git_oid *head, const git_oid *stop, struct walk *w)
{
	struct ctx	 x;
	struct oidset	 shallow = { 0 };
	struct manual	 m = { 0 };
	git_revwalk	*rw = NULL;
	git_commit	*c = NULL;
	git_oid		 id, last_parent, *todo = NULL;
	struct commit	*list = NULL;
	const char	**bpaths = NULL;
	size_t		 n = 0, cap = 0, nb = 0, bcap = 0, i, k;
	int		 rc = -1, e, boundary, have_last = 0;

	memset(w, 0, sizeof(*w));
	memset(&x, 0, sizeof(x));
	x.ar = ar;
	x.repo = repo;
	x.prefix = prefix;
	x.prefixlen = strlen(prefix);
	x.all_parents = all_parents;
	git_diff_options_init(&x.dopts, GIT_DIFF_OPTIONS_VERSION);
	x.dopts.context_lines = 0;
	x.dopts.interhunk_lines = 0;
	if (x.prefixlen > 0) {
		x.pathspec = xstrdup(prefix);
		x.dopts.pathspec.strings = &x.pathspec;
		x.dopts.pathspec.count = 1;
		x.dopts.flags |= GIT_DIFF_DISABLE_PATHSPEC_MATCH;
	}
	if (git_repository_workdir(repo) != NULL)
		x.content_dir = arena_printf(ar, "%s%s", git_repository_workdir(repo), prefix);
	git_diff_find_options_init(&x.fopts, GIT_DIFF_FIND_OPTIONS_VERSION);
	x.fopts.flags = GIT_DIFF_FIND_RENAMES;

	if (git_repository_is_shallow(repo)) {
		if (read_shallow(repo, &shallow) == -1)
			goto out;
		m.repo = repo;
		m.shallow = &shallow;
		m.first_parent = !all_parents;
		if (stop != NULL && all_parents)
			stop = NULL;	/* no hiding here: walk it all */
		manual_push(&m, head);
	} else {
		if (git_revwalk_new(&rw, repo) != 0 ||
		    git_revwalk_sorting(rw, GIT_SORT_TIME | GIT_SORT_TOPOLOGICAL) != 0 ||
		    git_revwalk_push(rw, head) != 0)
			goto out;
		if (!all_parents)
			git_revwalk_simplify_first_parent(rw);
		/* hiding stop ends the walk there instead of preparing all of history */
		if (stop != NULL && git_revwalk_hide(rw, stop) != 0)
			goto out;
	}
	for (;;) {
		if (rw != NULL) {
			if ((e = git_revwalk_next(&id, rw)) == GIT_ITEROVER)
				break;
			if (e != 0 || git_commit_lookup(&c, repo, &id) != 0)
				goto out;
		} else {
			if ((c = manual_next(&m)) == NULL)
				break;
			id = *git_commit_id(c);
			if (stop != NULL && git_oid_equal(&id, stop)) {
				w->complete = 1;
				break;
			}
		}
		if (git_commit_parentcount(c) > 0) {
			last_parent = *git_commit_parent_id(c, 0);
			have_last = 1;
		} else
			have_last = 0;
		boundary = oidset_has(&shallow, &id);
		if (boundary) {
			if (add_boundary(&x, c, &bpaths, &nb, &bcap) == -1)
				goto out;
		} else if (!(all_parents && git_commit_parentcount(c) > 1)) {
			/* with every parent walked, a merge's changes are its parents' */
			if (n == cap) {
				cap = cap ? cap * 2 : 256;
				todo = xreallocarray(todo, cap, sizeof(*todo));
			}
			todo[n++] = id;
		}
		git_commit_free(c);
		c = NULL;
	}
	list = xcalloc(n ? n : 1, sizeof(*list));
	if (diff_all(&x, todo, n, list) == -1)
		goto out;
	for (i = k = 0; i < n; i++)
		if (list[i].nchanges > 0)
			list[k++] = list[i];
	n = k;
	if (stop == NULL || (rw == NULL && !w->complete))
		w->complete = w->full = 1;	/* stop never came: this is the cold walk */
	else if (rw != NULL) {
		/*
		 * Hiding stop ends the walk at it, but the cached walk from stop
		 * only continues this one if stop is a first parent of the last
		 * commit walked (first-parent mode) or an ancestor (all parents).
		 */
		if (all_parents)
			w->complete = git_oid_equal(head, stop) ||
			    git_graph_descendant_of(repo, head, stop) == 1;
		else
			w->complete = git_oid_equal(head, stop) ||
			    (have_last && git_oid_equal(&last_parent, stop));
	}
	w->commits = arena_array(ar, n, sizeof(*w->commits));
	if (n > 0)
		memcpy(w->commits, list, n * sizeof(*list));
	w->ncommits = n;
	w->boundary = arena_array(ar, nb, sizeof(*w->boundary));
	if (nb > 0)
		memcpy(w->boundary, bpaths, nb * sizeof(*bpaths));
	w->nboundary = nb;
	rc = 0;
out:
	git_commit_free(c);
	git_revwalk_free(rw);
	manual_free(&m);
	oidset_free(&shallow);
	free(list);
	free(todo);
	free(bpaths);
	free(x.pathspec);
	return rc;
}
