/* history.c: the repository's history -> struct history; files indexed by path */
#include <sys/stat.h>

#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "folio.h"
#include "git/git.h"
#include "git/gitint.h"
#include "util/arena.h"
#include "util/diag.h"
#include "util/fsutil.h"
#include "util/sidejob.h"
#include "util/strmap.h"

/* path -> file_history, open addressing; lives in the arena with the history */
struct hindex {
	struct file_history	**slots;
	size_t			  cap;	/* power of two */
	size_t			  n;
};

/* A file followed back through renames while the index is built. */
struct node {
	struct file_change	*fc;
	struct node		*next;
};
struct chain {
	struct file_history	 fh;
	struct node		*head, *tail;
	size_t			 n;
	const struct wt_change	*wt;
	struct chain		*next;	/* all chains */
};

static pthread_once_t	git_once = PTHREAD_ONCE_INIT;

static void
git_init(void)
{
	git_libgit2_init();	/* once per process; its state lives until exit */
	/*
	 * Objects come from our own repository: hashing each one again on
	 * read (libgit2's default) tripled the walk. Trees stay at the 4 KB
	 * default of the object cache: treediff.c keeps the last few trees it
	 * read itself, and larger trees in the cache made it grow far past its
	 * budget (it evicts a few random entries per store, most of them
	 * small commits): 390 MB instead of 230 at 50,000 articles. Blobs are
	 * not cached: linestats.c reads each one once. The budget is for the
	 * whole process (every diff thread's repository); 8 MB was faster
	 * than 48 and halved the pass's peak memory.
	 */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_BLOB, (size_t)0);
	git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, (ssize_t)8 << 20);
}

static void *
warm_up(void *unused)
{
	(void)unused;
	pthread_once(&git_once, git_init);
	return NULL;
}

int
history_warm_up(pthread_t *th)
{
	/* if no thread can be made, the first history call does the set-up */
	return pthread_create(th, NULL, warm_up, NULL) == 0;
}

/* One line on stderr, unless quiet: a notice is neither an error nor a warning. */
void
git_notice(int quiet, const char *fmt, ...)
{
	char	msg[1024];
	va_list	ap;

	if (quiet)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag_notice("%s", msg);
}

const char *
git_errmsg(void)
{
	const git_error	*e = git_error_last();

	return e != NULL && e->message != NULL ? e->message : "unknown libgit2 error";
}

static struct file_history **
hindex_slot(const struct hindex *ix, const char *path)
{
	size_t	i = strmap_hash(path) & (ix->cap - 1);

	while (ix->slots[i] != NULL && strcmp(ix->slots[i]->path, path) != 0)
		i = (i + 1) & (ix->cap - 1);
	return &ix->slots[i];
}

const struct file_history *
history_find(const struct history *h, const char *relpath)
{
	const struct hindex	*ix;

	if (h == NULL || (ix = h->index) == NULL || ix->cap == 0 || relpath == NULL)
		return NULL;
	return *hindex_slot(ix, relpath);
}

static struct chain *
chain_new(struct arena *ar, struct chain **all, const char *path)
{
	struct chain	*ch = arena_alloc(ar, sizeof(*ch));

	ch->fh.path = path;
	ch->next = *all;
	*all = ch;
	return ch;
}

static void
chain_add(struct arena *ar, struct chain *ch, struct file_change *fc)
{
	struct node	*nd = arena_alloc(ar, sizeof(*nd));

	nd->fc = fc;
	if (ch->tail != NULL)
		ch->tail->next = nd;
	else
		ch->head = nd;
	ch->tail = nd;
	ch->n++;
}

/*
 * Going from the newest commit back, names maps each path to the file
 * that bears it at that point in time: a rename moves the file to its old
 * name, an addition ends its chain. A commit's changes are looked up
 * before any of them moves a name, so "a -> b, new a" stays two files.
 */
static struct chain *
build_chains(struct arena *ar, struct history *h, const struct walk *w,
    struct strmap *names, struct strmap *live)
{
	struct chain		*all = NULL, *ch, **per = NULL;
	struct commit		*c;
	struct file_change	*fc;
	size_t			 i, j, cap = 0, total = 0;

	for (i = 0; i < h->ncommits; i++)
		total += h->commits[i].nchanges;
	strmap_reserve(names, total);
	strmap_reserve(live, total);
	for (i = 0; i < h->ncommits; i++) {
		c = &h->commits[i];
		if (c->nchanges > cap) {
			cap = c->nchanges;
			per = xreallocarray(per, cap, sizeof(*per));
		}
		for (j = 0; j < c->nchanges; j++) {
			fc = &c->changes[j];
			fc->commit = c;
			ch = fc->kind == CHANGE_REMOVED ? NULL : strmap_get(names, fc->path);
			if (ch == NULL) {
				ch = chain_new(ar, &all, fc->path);
				if (fc->kind != CHANGE_REMOVED) {
					strmap_put(names, fc->path, ch);
					if (strmap_get(live, fc->path) == NULL)
						strmap_put(live, fc->path, ch);	/* the first seen is the file at HEAD */
				}
			}
			chain_add(ar, ch, fc);
			per[j] = ch;
		}
		for (j = 0; j < c->nchanges; j++) {
			fc = &c->changes[j];
			if (fc->kind == CHANGE_ADDED || fc->kind == CHANGE_RENAMED)
				strmap_put(names, fc->path, NULL);
			if (fc->kind == CHANGE_ADDED)
				per[j]->fh.created = c;
		}
		for (j = 0; j < c->nchanges; j++) {
			fc = &c->changes[j];
			if (fc->kind == CHANGE_RENAMED)
				strmap_put(names, fc->old_path, per[j]);
			else if (fc->kind == CHANGE_REMOVED)
				strmap_put(names, fc->path, per[j]);
		}
	}
	free(per);
	/* a file present at the shallow boundary was created at an unknown date */
	for (i = 0; i < w->nboundary; i++) {
		if ((ch = strmap_get(names, w->boundary[i])) == NULL &&
		    strmap_get(live, w->boundary[i]) == NULL) {
			ch = chain_new(ar, &all, w->boundary[i]);	/* unchanged since */
			strmap_put(live, w->boundary[i], ch);
		}
		if (ch != NULL)
			ch->fh.truncated = 1;
	}
	return all;
}

/* Turn the live chains into file histories and the index. */
static void
build_index(struct arena *ar, struct history *h, struct strmap *live,
    const struct wt_change *wt, size_t nwt)
{
	struct hindex		*ix = arena_alloc(ar, sizeof(*ix));
	struct chain		*ch;
	struct file_history	*fh;
	struct node		*nd;
	struct file_change	*u;
	size_t			 i, k;

	for (i = 0; i < nwt; i++) {
		if ((ch = strmap_get(live, wt[i].path)) == NULL) {
			ch = arena_alloc(ar, sizeof(*ch));	/* new, never committed */
			ch->fh.path = wt[i].path;
			strmap_put(live, wt[i].path, ch);
		}
		ch->wt = &wt[i];
	}
	for (ix->cap = 16; ix->cap < live->n * 2; ix->cap *= 2)
		;
	ix->slots = arena_array(ar, ix->cap, sizeof(*ix->slots));
	for (i = 0; i < live->cap; i++) {
		if (live->slots[i].key == NULL || (ch = live->slots[i].value) == NULL)
			continue;
		fh = &ch->fh;
		fh->n = ch->n + (ch->wt != NULL);
		fh->changes = arena_array(ar, fh->n, sizeof(*fh->changes));
		k = 0;
		if (ch->wt != NULL) {
			u = arena_alloc(ar, sizeof(*u));
			u->kind = CHANGE_UNCOMMITTED;
			u->path = fh->path;
			fh->changes[k++] = u;
			fh->uncommitted = 1;
		}
		for (nd = ch->head; nd != NULL; nd = nd->next)
			fh->changes[k++] = nd->fc;
		if (ch->head != NULL)
			fh->updated = ch->head->fc->commit;
		fh->updated_time = ch->wt ? ch->wt->mtime : fh->updated ? fh->updated->time : 0;
		*hindex_slot(ix, fh->path) = fh;
		ix->n++;
	}
	h->index = ix;
}

/* Newest first by time; on a tie the newer walk first (all parents: both are time-sorted). */
static void
merge_walks(struct arena *ar, struct walk *into, const struct walk *nw, const struct walk *old,
    int by_time)
{
	size_t	i = 0, j = 0, k = 0;

	into->ncommits = nw->ncommits + old->ncommits;
	into->commits = arena_array(ar, into->ncommits, sizeof(*into->commits));
	while (i < nw->ncommits || j < old->ncommits) {
		if (j == old->ncommits || (i < nw->ncommits &&
		    (!by_time || nw->commits[i].time >= old->commits[j].time)))
			into->commits[k++] = nw->commits[i++];
		else
			into->commits[k++] = old->commits[j++];
	}
	into->nboundary = nw->nboundary + old->nboundary;
	into->boundary = arena_array(ar, into->nboundary, sizeof(*into->boundary));
	for (i = 0; i < nw->nboundary; i++)
		into->boundary[i] = nw->boundary[i];
	for (j = 0; j < old->nboundary; j++)
		into->boundary[i++] = old->boundary[j];
	into->complete = 1;
}

/* "content/" for the content folder's place in the work tree, "" at its root; caller frees. */
static char *
content_prefix(const char *workdir, const char *content_dir)
{
	char	*wd = NULL, *cd = NULL, *prefix = NULL;
	size_t	 len;

	if ((wd = realpath(workdir, NULL)) == NULL || (cd = realpath(content_dir, NULL)) == NULL)
		goto out;
	len = strlen(wd);
	if (strcmp(wd, "/") == 0)
		len = 0;
	if (strncmp(cd, wd, len) != 0 || (cd[len] != '/' && cd[len] != '\0'))
		goto out;
	if (cd[len] == '\0')
		prefix = xstrdup("");
	else {
		prefix = xmalloc(strlen(cd + len + 1) + 2);
		strcpy(prefix, cd + len + 1);
		strcat(prefix, "/");
	}
out:
	free(wd);
	free(cd);
	return prefix;
}

/* What the cache depends on besides HEAD: the options and the shallow boundary. */
static uint64_t
cache_key(git_repository *repo, const char *prefix, int all_parents)
{
	uint64_t	 h = hash64(prefix, strlen(prefix) + 1);
	char		*path, *data = NULL;
	size_t		 len;

	h = hash64_more(h, all_parents ? "a" : "f", 1);
	if (git_repository_is_shallow(repo)) {
		path = path_join(git_repository_commondir(repo), "shallow");
		if (path_exists(path) && file_read(path, &data, &len) == 0)
			h = hash64_more(h, data, len);
		free(data);
		free(path);
	}
	return h;
}

/*
 * The work tree's uncommitted changes, asked of git on a thread of its own
 * while the history is walked: a repository and an arena of its own (the
 * arena adopted by the caller's afterwards), its error kept as text.
 */
struct wt_job {
	const char		*content_dir;	/* its repository opened as history_collect() opens it */
	const char		*prefix;
	const struct history_opts *o;
	struct arena		*ar;
	struct wt_change	*wt;
	size_t			 nwt, asked, hashed;
	int			 rc;
	char			 err[256];
};

static void *
wt_job_run(void *arg)
{
	struct wt_job	*j = arg;
	git_repository	*repo = NULL;

	j->rc = -1;
	if (git_repository_open_ext(&repo, j->content_dir, GIT_REPOSITORY_OPEN_FROM_ENV, NULL) == 0)
		j->rc = worktree_changes(j->ar, repo, j->prefix, j->o->cache_dir, j->o, &j->wt,
		    &j->nwt, &j->asked, &j->hashed);
	if (j->rc == -1)
		snprintf(j->err, sizeof(j->err), "%s", git_errmsg());
	git_repository_free(repo);
	return NULL;
}

/*
 * Walk the history once (or load it from the cache and walk only what is
 * new), index it by path and add the work tree's uncommitted articles.
 * The arena must not be used by another thread meanwhile: a history
 * thread needs its own. Never returns NULL.
 */
struct history *
history_collect(struct arena *ar, const char *content_dir, const struct history_opts *o)
{
	static const struct history_opts defaults = { 0 };
	struct history		*h = arena_alloc(ar, sizeof(*h));
	git_repository		*repo = NULL;
	struct walk		 w, cached, nw;
	struct strmap		 names, live;
	struct wt_job		 wj;
	struct side_job		 wt;
	git_oid			 head, chead;
	char			*prefix = NULL, *cfile = NULL;
	uint64_t		 key = 0;
	int			 e, have = 1, save = 0, quiet;

	if (o == NULL)
		o = &defaults;
	quiet = o->quiet;
	strmap_init(&names);
	strmap_init(&live);
	memset(&w, 0, sizeof(w));
	memset(&wj, 0, sizeof(wj));
	memset(&wt, 0, sizeof(wt));
	pthread_once(&git_once, git_init);

	e = git_repository_open_ext(&repo, content_dir, GIT_REPOSITORY_OPEN_FROM_ENV, NULL);
	if (e == GIT_ENOTFOUND || (e == 0 && git_repository_is_bare(repo))) {
		git_notice(quiet, "folio: %s: not in a git repository%s; pages will show no history",
		    content_dir, e == 0 ? " work tree" : "");
		goto out;
	}
	if (e != 0 || (prefix = content_prefix(git_repository_workdir(repo), content_dir)) == NULL) {
		git_notice(quiet, "folio: %s: cannot read the git repository (%s); pages will show no history",
		    content_dir, e != 0 ? git_errmsg() : "folder is outside its work tree");
		goto out;
	}
	wj.content_dir = content_dir;
	wj.prefix = prefix;
	wj.o = o;
	wj.ar = arena_new();
	side_job_start(&wt, wt_job_run, &wj);
	h->shallow = git_repository_is_shallow(repo) == 1;
	if (h->shallow && !quiet)
		diag_warn(content_dir, 0, "shallow clone: history before its boundary is unknown, "
		    "pages will say 'history truncated'");

	if ((e = git_reference_name_to_id(&head, repo, "HEAD")) != 0) {
		if (e != GIT_EUNBORNBRANCH && e != GIT_ENOTFOUND) {
			git_notice(quiet, "folio: %s: cannot resolve HEAD (%s); pages will show no history",
			    content_dir, git_errmsg());
			goto out;
		}
		w.complete = 1;		/* no commit yet: only the work tree */
	} else {
		key = cache_key(repo, prefix, o->all_parents);
		if (o->cache_dir != NULL) {
			cfile = path_join(o->cache_dir, "history");
			have = cache_load(ar, cfile, key, &chead, &cached, quiet);
		}
		if (have == 0 && git_oid_equal(&chead, &head))
			w = cached;
		else {
			save = o->cache_dir != NULL;
			if (have == 0) {
				/* a cached head that is gone (rebased, collected) fails the walk */
				if (walk_history(ar, repo, prefix, o->all_parents, &head, &chead, &nw) == -1)
					nw.complete = nw.full = 0;
				if (nw.full)
					w = nw;
				else if (nw.complete)
					merge_walks(ar, &w, &nw, &cached, o->all_parents);
				else {
					git_notice(quiet, "%s: history cache is for a commit not in HEAD's "
					    "history; rebuilding it", cfile);
					have = -1;
				}
			}
			if (have != 0 &&
			    walk_history(ar, repo, prefix, o->all_parents, &head, NULL, &w) == -1)
				goto fail;
		}
		if (save && cache_save(cfile, key, &head, &w) == -1)
			git_notice(quiet, "%s: cannot write the history cache", cfile);
	}
	h->commits = w.commits;
	h->ncommits = w.ncommits;
	/* the chains need the commits alone: made while git reads the work tree's status */
	build_chains(ar, h, &w, &names, &live);
	side_job_finish(&wt);
	if (wj.rc == -1) {
		git_notice(quiet, "folio: %s: cannot read the git work tree's status (%s); pages will show no history",
		    content_dir, wj.err);
		goto none;
	}
	h->worktree_asked = wj.asked;
	h->worktree_hashed = wj.hashed;
	build_index(ar, h, &live, wj.wt, wj.nwt);
	h->available = 1;
	goto out;
fail:
	git_notice(quiet, "folio: %s: cannot read the git history (%s); pages will show no history",
	    content_dir, git_errmsg());
none:
	h->commits = NULL;
	h->ncommits = 0;
	h->index = NULL;
out:
	side_job_drop(&wt);	/* a walk that failed: the answer is not wanted */
	if (wj.ar != NULL)
		arena_adopt(ar, wj.ar);
	strmap_free(&names);
	strmap_free(&live);
	free(prefix);
	free(cfile);
	git_repository_free(repo);
	return h;
}

/* A file's identity and times, or "absent"; the heap path is freed. */
static uint64_t
hash_file_stat(uint64_t h, char *path)
{
	struct stat	st;

	h = stat(path, &st) == 0 ? hash_stat(h, &st) : hash64_more(h, "-", 1);
	free(path);
	return h;
}

/* hash_file_stat() of dir/name */
static uint64_t
hash_file_stat_in(uint64_t h, const char *dir, const char *name)
{
	return hash_file_stat(h, path_join(dir, name));
}

/* One config entry (name, value and level) folded into the hash at payload. */
static int
hash_config_entry(const git_config_entry *e, void *payload)
{
	uint64_t	*h = payload;
	int		 level = (int)e->level;

	*h = hash64_more(*h, e->name, strlen(e->name) + 1);
	*h = hash64_more(*h, e->value ? e->value : "", e->value ? strlen(e->value) + 1 : 0);
	*h = hash64_more(*h, &level, sizeof(level));
	return 0;
}

/*
 * The files that decide what git calls changed besides the index: the
 * repository's and the user's config (core.autocrlf, core.excludesFile...),
 * info/exclude and info/attributes, the global ignore and attributes files
 * (core.excludesFile, core.attributesFile), every config value (an included
 * file's too), and the .gitignore and .gitattributes of each folder from the work tree's
 * top down to the content folder (those inside it are the scan's).
 */
static uint64_t
hash_git_rules(uint64_t h, git_repository *repo, const char *prefix)
{
	git_config	*cfg = NULL;
	git_buf		 excludes = GIT_BUF_INIT;
	const char	*wd = git_repository_workdir(repo), *home = getenv("HOME"), *xdg = getenv("XDG_CONFIG_HOME");
	const char	*common = git_repository_commondir(repo);
	char		*dir, *p;

	h = hash_file_stat_in(h, common, "config");
	h = hash_file_stat_in(h, git_repository_path(repo), "config.worktree");
	h = hash_file_stat_in(h, common, "info/exclude");
	h = hash_file_stat_in(h, common, "info/attributes");
	h = hash_file_stat(h, xstrdup("/etc/gitconfig"));
	if (home != NULL)
		h = hash_file_stat_in(h, home, ".gitconfig");
	dir = xdg != NULL && *xdg ? path_join(xdg, "git") : home != NULL ? path_join(home, ".config/git") : NULL;
	if (dir != NULL) {
		h = hash_file_stat_in(h, dir, "config");
		h = hash_file_stat_in(h, dir, "ignore");
		h = hash_file_stat_in(h, dir, "attributes");
		free(dir);
	}
	if (git_repository_config_snapshot(&cfg, repo) == 0) {
		/* every value, wherever it was set: an include.path file is not stat-ed above */
		git_config_foreach(cfg, hash_config_entry, &h);
		if (git_config_get_path(&excludes, cfg, "core.excludesfile") == 0 && excludes.ptr != NULL)
			h = hash_file_stat(h, xstrdup(excludes.ptr));
		git_buf_dispose(&excludes);
		/* the user's attributes file, when core.attributesFile names another than git/attributes */
		if (git_config_get_path(&excludes, cfg, "core.attributesfile") == 0 && excludes.ptr != NULL)
			h = hash_file_stat(h, xstrdup(excludes.ptr));
		git_buf_dispose(&excludes);
	}
	git_config_free(cfg);
	if (wd == NULL)
		return h;
	dir = xstrdup(wd);
	for (p = (char *)prefix;; p++) {	/* wd, wd/a/, wd/a/b/ ... down to the content folder */
		h = hash_file_stat_in(h, dir, ".gitignore");
		h = hash_file_stat_in(h, dir, ".gitattributes");
		if ((p = strchr(p, '/')) == NULL)
			break;
		free(dir);
		dir = xmalloc(strlen(wd) + (size_t)(p - prefix) + 2);
		sprintf(dir, "%s%.*s", wd, (int)(p - prefix), prefix);
	}
	free(dir);
	return h;
}

/*
 * What decides the history and the work tree's status besides the article
 * files themselves: HEAD's commit, the index file (git replaces it on every
 * write), the shallow boundary, and git's ignore, attributes and config files.
 */
uint64_t
hash_repo_state(uint64_t h, git_repository *repo, const char *prefix)
{
	git_oid	head;
	int	e = git_reference_name_to_id(&head, repo, "HEAD");

	h = hash64_more(h, &e, sizeof(e));
	if (e == 0)
		h = hash64_more(h, head.id, sizeof(head.id));
	h = hash_file_stat(h, path_join(git_repository_path(repo), "index"));
	h = hash_file_stat(h, path_join(git_repository_commondir(repo), "shallow"));
	return hash_git_rules(h, repo, prefix);
}

/*
 * What history_collect() would see, as one number: the repository and
 * hash_repo_state(). Equal numbers and unchanged content files give the
 * same history.
 */
uint64_t
history_state(const char *content_dir, int all_parents)
{
	git_repository	*repo = NULL;
	const char	*wd;
	char		*prefix;
	uint64_t	 h = hash64("history-state 2", 15);
	int		 e;

	pthread_once(&git_once, git_init);
	h = hash64_more(h, &all_parents, sizeof(all_parents));
	e = git_repository_open_ext(&repo, content_dir, GIT_REPOSITORY_OPEN_FROM_ENV, NULL);
	h = hash64_more(h, &e, sizeof(e));
	if (e != 0)
		return h;
	h = hash64_more(h, git_repository_path(repo), strlen(git_repository_path(repo)) + 1);
	wd = git_repository_workdir(repo);
	if (wd != NULL && (prefix = content_prefix(wd, content_dir)) != NULL) {
		h = hash64_more(h, wd, strlen(wd) + 1);
		h = hash_repo_state(h, repo, prefix);
		free(prefix);
	} else
		h = hash_repo_state(h, repo, "");
	git_repository_free(repo);
	return h;
}
