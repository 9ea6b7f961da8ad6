/* worktree.c: articles changed in the work tree but not committed
 *
 * Two comparisons: HEAD's tree against the index (what is staged), and the
 * index against the work tree (what is not, and untracked files). The
 * first loads every tree of HEAD under the content folder, which costs more
 * than the rest of a cached history pass; its answer only changes when HEAD
 * or the index does, so it is kept in .folio-cache/staged, keyed by HEAD's
 * id and the index's own checksum (any write of the index changes it).
 *
 * The whole answer is kept too, in .folio-cache/worktree, keyed by HEAD,
 * the index file's identity (git replaces the file on every write), the
 * ignore, attributes and config files (hash_repo_state()) and the caller's
 * hash of every article file's stat and of the content folder's own
 * .gitignore and .gitattributes files: when none of them moved,
 * the index is not even read. The caller gives no hash (0) when a file
 * changed too recently for its stat to tell a later change apart.
 */
#include <sys/stat.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "folio.h"
#include "git/gitint.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/fsutil.h"
#include "util/strmap.h"

#define STAGED_MAGIC	"folio-staged 2"
#define WORKTREE_MAGIC	"folio-worktree 1\n"

#define INDEX_CHANGED	(GIT_STATUS_INDEX_NEW | GIT_STATUS_INDEX_MODIFIED | \
			 GIT_STATUS_INDEX_RENAMED | GIT_STATUS_INDEX_TYPECHANGE)
#define WT_CHANGED	(GIT_STATUS_WT_NEW | GIT_STATUS_WT_MODIFIED | \
			 GIT_STATUS_WT_RENAMED | GIT_STATUS_WT_TYPECHANGE)

struct paths {
	char	**v;	/* heap */
	size_t	  n, cap;
};

static void
paths_add(struct paths *p, const char *path)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 16;
		p->v = xreallocarray(p->v, p->cap, sizeof(*p->v));
	}
	p->v[p->n++] = xstrdup(path);
}

static void
paths_free(struct paths *p)
{
	size_t	i;

	for (i = 0; i < p->n; i++)
		free(p->v[i]);
	free(p->v);
	memset(p, 0, sizeof(*p));
}

/* Paths under prefix whose status has one of the flags, for one side of the comparison. */
static int
status_paths(git_repository *repo, const char *prefix, git_status_show_t show, unsigned int flags,
    struct paths *out)
{
	git_status_options	 so;
	git_status_list		*st = NULL;
	const git_status_entry	*e;
	const git_diff_delta	*d;
	char			*spec = NULL;
	size_t			 i, n;

	git_status_options_init(&so, GIT_STATUS_OPTIONS_VERSION);
	so.show = show;
	so.flags = GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
	if (show != GIT_STATUS_SHOW_INDEX_ONLY)
		so.flags |= GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS;
	if (*prefix) {
		spec = xstrdup(prefix);
		so.pathspec.strings = &spec;
		so.pathspec.count = 1;
		so.flags |= GIT_STATUS_OPT_DISABLE_PATHSPEC_MATCH;
	}
	if (git_status_list_new(&st, repo, &so) != 0) {
		free(spec);
		return -1;
	}
	n = git_status_list_entrycount(st);
	for (i = 0; i < n; i++) {
		e = git_status_byindex(st, i);
		if (!(e->status & flags))
			continue;
		d = show == GIT_STATUS_SHOW_INDEX_ONLY ? e->head_to_index : e->index_to_workdir;
		if (d != NULL && d->new_file.path != NULL)
			paths_add(out, d->new_file.path);
	}
	git_status_list_free(st);
	free(spec);
	return 0;
}

/* The key of the staged list: HEAD (or none), the index checksum, the content folder. */
static uint64_t
staged_key(git_repository *repo, git_index *idx, const char *prefix)
{
	git_oid		head;
	uint64_t	h = hash64(STAGED_MAGIC, sizeof(STAGED_MAGIC));

	if (git_reference_name_to_id(&head, repo, "HEAD") == 0)
		h = hash64_more(h, head.id, GIT_OID_RAWSZ);
	h = hash64_more(h, git_index_checksum(idx)->id, GIT_OID_RAWSZ);
	return hash64_more(h, prefix, strlen(prefix) + 1);
}

/* "folio-staged 2\n<key>\n" then a path per line, then "end\n"; 0 if the file is for this key. */
static int
staged_load(const char *file, uint64_t key, struct paths *out)
{
	char		*text, *line, *next, head[64];
	size_t		 len;
	int		 rc = -1;

	if (file_read_quiet(file, &text, &len) == -1)
		return -1;
	snprintf(head, sizeof(head), "%s\n%016" PRIx64 "\n", STAGED_MAGIC, key);
	if (strlen(text) != len || strncmp(text, head, strlen(head)) != 0)
		goto out;
	for (line = text + strlen(head); *line; line = next + 1) {
		if ((next = strchr(line, '\n')) == NULL)
			break;
		*next = '\0';
		if (strcmp(line, "end") == 0) {
			rc = next[1] == '\0' ? 0 : -1;
			break;
		}
		paths_add(out, line);
	}
out:
	if (rc == -1)
		paths_free(out);
	free(text);
	return rc;
}

static void
staged_save(const char *file, uint64_t key, const struct paths *p)
{
	struct buf	b;
	size_t		i;

	if (file == NULL)
		return;
	buf_init(&b);
	buf_printf(&b, "%s\n%016" PRIx64 "\n", STAGED_MAGIC, key);
	for (i = 0; i < p->n; i++)
		if (strchr(p->v[i], '\n') == NULL)
			buf_printf(&b, "%s\n", p->v[i]);
	buf_puts(&b, "end\n");
	diag_quiet(1);
	if (mkdir_parents(file) == 0)
		file_write_cache(file, b.data, b.len);
	diag_quiet(0);
	buf_free(&b);
}

/* The key of the whole answer: the repository's state, the content folder, the work tree's stat. */
static uint64_t
worktree_key(git_repository *repo, const char *prefix, uint64_t wt_print)
{
	uint64_t	h = hash64(WORKTREE_MAGIC, strlen(WORKTREE_MAGIC));

	h = hash_repo_state(h, repo, prefix);
	h = hash64_more(h, prefix, strlen(prefix) + 1);
	return hash64_more(h, &wt_print, sizeof(wt_print));
}

/* "folio-worktree 1", the key, "<mtime> <path>" a line, sealed; 0 if the file is whole and for this key. */
static int
worktree_load(struct arena *ar, const char *file, uint64_t key, struct wt_change **out, size_t *nout)
{
	char		*text, *line, *next, *sp, head[64];
	long long	 body;
	size_t		 len, n = 0, i;
	int		 rc = -1;

	if (file_read_quiet(file, &text, &len) == -1)
		return -1;
	snprintf(head, sizeof(head), "%s%016" PRIx64 "\n", WORKTREE_MAGIC, key);
	if ((body = text_unseal(text, len)) < 0 || strlen(text) != len ||
	    strncmp(text, head, strlen(head)) != 0)
		goto out;
	text[body] = '\0';
	for (line = text + strlen(head); *line; line++)
		n += *line == '\n';
	*out = arena_array(ar, n + 1, sizeof(**out));
	for (i = 0, line = text + strlen(head); *line && i < n; line = next + 1) {
		next = strchr(line, '\n');
		*next = '\0';
		if ((sp = strchr(line, ' ')) == NULL || sp == line || sp[1] == '\0')
			goto out;
		*sp = '\0';
		(*out)[i].mtime = (time_t)strtoll(line, NULL, 10);
		(*out)[i++].path = arena_strdup(ar, sp + 1);
	}
	*nout = i;
	rc = 0;
out:
	free(text);
	return rc;
}

static void
worktree_save(const char *file, uint64_t key, const struct wt_change *c, size_t n)
{
	struct buf	b;
	size_t		i;

	for (i = 0; i < n; i++)
		if (strchr(c[i].path, '\n') != NULL)
			return;		/* not said in a line: no cache */
	buf_init(&b);
	buf_printf(&b, "%s%016" PRIx64 "\n", WORKTREE_MAGIC, key);
	for (i = 0; i < n; i++)
		buf_printf(&b, "%lld %s\n", (long long)c[i].mtime, c[i].path);
	text_seal(&b);
	diag_quiet(1);
	if (mkdir_parents(file) == 0)
		file_write_cache(file, b.data, b.len);
	diag_quiet(0);
	buf_free(&b);
}

/*
 * Articles under prefix that differ from HEAD (staged or not) or are new
 * and untracked, with their modification time. Deleted files are left
 * out: there is no article to show. The list lives in the arena.
 * cache_dir may be NULL (no cache).
 */
int
worktree_changes(struct arena *ar, git_repository *repo, const char *prefix, const char *cache_dir,
    uint64_t wt_print, struct wt_change **out, size_t *nout)
{
	git_index	*idx = NULL;
	struct paths	 staged, unstaged;
	struct strmap	 seen;
	struct stat	 sb;
	const char	*wd, *path;
	char		*full, *sfile = NULL, *wfile = NULL;
	size_t		 i, plen = strlen(prefix);
	uint64_t	 key, wkey = 0;
	int		 rc = -1;

	*out = NULL;
	*nout = 0;
	if ((wd = git_repository_workdir(repo)) == NULL)
		return 0;
	if (cache_dir != NULL && wt_print != 0) {
		wfile = path_join(cache_dir, "worktree");
		wkey = worktree_key(repo, prefix, wt_print);
		if (worktree_load(ar, wfile, wkey, out, nout) == 0) {
			free(wfile);
			return 0;
		}
		*out = NULL;
		*nout = 0;
	}
	memset(&staged, 0, sizeof(staged));
	memset(&unstaged, 0, sizeof(unstaged));
	strmap_init(&seen);
	if (git_repository_index(&idx, repo) != 0)
		goto out;
	key = staged_key(repo, idx, prefix);
	sfile = cache_dir != NULL ? path_join(cache_dir, "staged") : NULL;
	if (staged_load(sfile, key, &staged) == -1) {
		if (status_paths(repo, prefix, GIT_STATUS_SHOW_INDEX_ONLY, INDEX_CHANGED, &staged) == -1)
			goto out;
		staged_save(sfile, key, &staged);
	}
	if (status_paths(repo, prefix, GIT_STATUS_SHOW_WORKDIR_ONLY, WT_CHANGED, &unstaged) == -1)
		goto out;
	*out = arena_array(ar, staged.n + unstaged.n + 1, sizeof(**out));
	for (i = 0; i < staged.n + unstaged.n; i++) {
		path = i < staged.n ? staged.v[i] : unstaged.v[i - staged.n];
		if (strncmp(path, prefix, plen) != 0 || !is_article(path + plen) ||
		    strmap_get(&seen, path) != NULL)
			continue;
		strmap_put(&seen, path, (void *)1);
		full = path_join(wd, path);
		/* a file deleted in the work tree has no page to mark */
		if (stat(full, &sb) == 0 && S_ISREG(sb.st_mode)) {
			(*out)[*nout].path = arena_strdup(ar, path + plen);
			(*out)[*nout].mtime = sb.st_mtime;
			(*nout)++;
		}
		free(full);
	}
	if (wfile != NULL)
		worktree_save(wfile, wkey, *out, *nout);
	rc = 0;
out:
	strmap_free(&seen);
	paths_free(&staged);
	paths_free(&unstaged);
	git_index_free(idx);
	free(sfile);
	free(wfile);
	return rc;
}
