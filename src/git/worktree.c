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
 *
 * With each article file's print, the kept answer holds what the index
 * said of it: its blob id and mode, or that it has none, or that git's own
 * answer is needed (an entry git is told not to look at, a conflict, a
 * link). While the index is the one of the kept answer, a file whose print
 * moved is compared with that blob by hashing its bytes, where no filter
 * (attributes, core.autocrlf) can apply, instead of asking git's status,
 * which reads and sorts the whole index: 70 of the 93 million instructions
 * of a rebuild's work-tree pass at 10,000 articles. (Git's own filtered
 * hash looks the attributes up in the index: the same read.) Any file
 * these cannot judge sends every moved file to git.
 */
#include <sys/stat.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "folio.h"
#include "git/git.h"
#include "git/gitint.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/fsutil.h"
#include "util/strmap.h"

#define STAGED_MAGIC	"folio-staged 2"
#define WORKTREE_MAGIC	"folio-worktree 3\n"
/*
 * What the index says of a file, as kept: 'b' or 'x' and the blob id (a
 * plain or an executable file), '-' (not in the index) or '*' (only git's
 * status can tell: see index_word()); with its NUL.
 */
#define INDEX_WORD	(1 + GIT_OID_HEXSZ + 1)

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

/*
 * Paths whose status has one of the flags, for one side of the comparison,
 * among the nspecs paths or folders in specs (literal paths from the
 * repository's top; none: the whole work tree).
 */
static int
status_paths(git_repository *repo, char **specs, size_t nspecs, git_status_show_t show, unsigned int flags,
    struct paths *out)
{
	git_status_options	 so;
	git_status_list		*st = NULL;
	const git_status_entry	*e;
	const git_diff_delta	*d;
	size_t			 i, n;

	git_status_options_init(&so, GIT_STATUS_OPTIONS_VERSION);
	so.show = show;
	so.flags = GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
	if (show != GIT_STATUS_SHOW_INDEX_ONLY)
		so.flags |= GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS;
	if (nspecs > 0) {
		so.pathspec.strings = specs;
		so.pathspec.count = nspecs;
		so.flags |= GIT_STATUS_OPT_DISABLE_PATHSPEC_MATCH;
	}
	if (git_status_list_new(&st, repo, &so) != 0)
		return -1;
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

/* A path of p that a line cannot hold. */
static int
paths_newline(const struct paths *p)
{
	size_t	i;

	for (i = 0; i < p->n; i++)
		if (strchr(p->v[i], '\n') != NULL)
			return 1;
	return 0;
}

/* (a staged path left out would be missing from every answer made from the list: none is kept) */
static void
staged_save(const char *file, uint64_t key, const struct paths *p)
{
	struct buf	b;
	size_t		i;

	if (file == NULL || paths_newline(p))
		return;
	buf_init(&b);
	buf_printf(&b, "%s\n%016" PRIx64 "\n", STAGED_MAGIC, key);
	for (i = 0; i < p->n; i++)
		buf_printf(&b, "%s\n", p->v[i]);
	buf_puts(&b, "end\n");
	diag_quiet(1);
	if (mkdir_parents(file) == 0)
		file_write_cache(file, b.data, b.len);
	diag_quiet(0);
	buf_free(&b);
}

/* The key of a kept answer: the repository's state, the content folder, its own rule files. */
static uint64_t
worktree_key(git_repository *repo, const char *prefix, uint64_t rules)
{
	uint64_t	h = hash64(WORKTREE_MAGIC, strlen(WORKTREE_MAGIC));

	h = hash_repo_state(h, repo, prefix);
	h = hash64_more(h, prefix, strlen(prefix) + 1);
	return hash64_more(h, &rules, sizeof(rules));
}

/* A kept index word is one of the forms index_word() writes. */
static int
index_word_ok(const char *w, size_t len)
{
	size_t	i;

	if (len == 1)
		return w[0] == '-' || w[0] == '*';
	if (len != INDEX_WORD - 1 || (w[0] != 'b' && w[0] != 'x'))
		return 0;
	for (i = 1; i < len; i++)
		if (!((w[i] >= '0' && w[i] <= '9') || (w[i] >= 'a' && w[i] <= 'f')))
			return 0;
	return 1;
}

/*
 * What the index says of path (from the repository's top), in out: its
 * blob, none, or '*' where a blob is not all git's status goes by: an
 * entry marked assume-unchanged, skip-worktree or intent-to-add, a
 * conflict, a link or a submodule.
 */
static void
index_word(git_index *idx, const char *path, char out[INDEX_WORD])
{
	const git_index_entry	*e;

	out[1] = '\0';
	if ((e = git_index_get_bypath(idx, path, 0)) == NULL) {
		out[0] = git_index_get_bypath(idx, path, 1) || git_index_get_bypath(idx, path, 2) ||
		    git_index_get_bypath(idx, path, 3) ? '*' : '-';
		return;
	}
	if ((e->flags & GIT_INDEX_ENTRY_VALID) ||
	    (e->flags_extended & (GIT_INDEX_ENTRY_INTENT_TO_ADD | GIT_INDEX_ENTRY_SKIP_WORKTREE)) ||
	    (e->mode != GIT_FILEMODE_BLOB && e->mode != GIT_FILEMODE_BLOB_EXECUTABLE)) {
		out[0] = '*';
		return;
	}
	out[0] = e->mode == GIT_FILEMODE_BLOB_EXECUTABLE ? 'x' : 'b';
	git_oid_tostr(out + 1, GIT_OID_HEXSZ + 1, &e->id);
}

/*
 * A kept answer: what git said (answer: articles that differ from HEAD;
 * staged: the paths the index changes, from the repository's top), the
 * print of the whole work tree it was given, and each article file's print
 * then (path relative to the content folder -> print; 0 never matches).
 */
struct kept {
	uint64_t	 print;
	struct wt_change *answer;	/* in the arena */
	size_t		 n;
	struct paths	 staged;
	struct strmap	 files;		/* path -> struct kept_file */
	struct kept_file *file;
	size_t		 nfile;
	char		*text;		/* heap: the file as read; paths of files point into it */
};

struct kept_file {
	const char	*path;
	const char	*word;		/* in the kept text */
	uint64_t	 print;
	int		 seen;
};

static void
kept_free(struct kept *k)
{
	paths_free(&k->staged);
	strmap_free(&k->files);
	free(k->file);
	free(k->text);
	memset(k, 0, sizeof(*k));
}

/*
 * "folio-worktree 3", the key, the print, then "c <mtime> <path>" a line
 * per article of the answer, "s <path>" per staged path and "f <print>
 * <index word> <path>" per article file, sealed. 0 if the file is whole
 * and for this key. With whole_print (not 0) equal to the kept print only
 * the answer is read: it is taken as it is.
 */
static int
worktree_load(struct arena *ar, const char *file, uint64_t key, uint64_t whole_print, struct kept *k)
{
	char		*line, *next, *sp, *end, head[64];
	long long	 body;
	size_t		 len, n = 0, nf = 0;
	int		 rc = -1;

	memset(k, 0, sizeof(*k));
	strmap_init(&k->files);
	if (file_read_quiet(file, &k->text, &len) == -1)
		return -1;
	snprintf(head, sizeof(head), "%s%016" PRIx64 "\n", WORKTREE_MAGIC, key);
	if ((body = text_unseal(k->text, len)) < 0 || strlen(k->text) != len ||
	    strncmp(k->text, head, strlen(head)) != 0)
		goto out;
	k->text[body] = '\0';
	line = k->text + strlen(head);
	k->print = parse_hex64(line, &end);
	if (*end != '\n')
		goto out;
	for (line = end; (line = strchr(line, '\n')) != NULL; line++) {	/* from the '\n' before the first line */
		n += line[1] == 'c';
		nf += line[1] == 'f';
	}
	k->answer = arena_array(ar, n + 1, sizeof(*k->answer));
	k->file = xcalloc(nf + 1, sizeof(*k->file));
	strmap_reserve(&k->files, nf);
	for (line = end + 1; *line; line = next + 1) {
		if ((next = strchr(line, '\n')) == NULL || line[1] != ' ')
			goto out;
		*next = '\0';
		if (line[0] == 'c' && k->n < n) {
			if ((sp = strchr(line + 2, ' ')) == NULL || sp == line + 2 || sp[1] == '\0')
				goto out;
			k->answer[k->n].mtime = (time_t)strtoll(line + 2, NULL, 10);
			k->answer[k->n++].path = arena_strdup(ar, sp + 1);
		} else if (whole_print != 0 && whole_print == k->print) {
			break;		/* the answer is all that is needed */
		} else if (line[0] == 's' && line[2] != '\0') {
			paths_add(&k->staged, line + 2);
		} else if (line[0] == 'f' && k->nfile < nf) {
			k->file[k->nfile].print = parse_hex64(line + 2, &end);
			if (*end != ' ' || (sp = strchr(end + 1, ' ')) == NULL || sp[1] == '\0' ||
			    !index_word_ok(end + 1, (size_t)(sp - end - 1)))
				goto out;
			*sp = '\0';
			if (strmap_put(&k->files, sp + 1, &k->file[k->nfile]) != NULL)
				goto out;	/* a path twice */
			k->file[k->nfile].word = end + 1;
			k->file[k->nfile++].path = sp + 1;
		} else
			goto out;
	}
	rc = 0;
out:
	if (rc == -1)
		kept_free(k);
	return rc;
}

static void
worktree_save(const char *file, uint64_t key, uint64_t print, const struct wt_change *c, size_t n,
    const struct paths *staged, const struct history_opts *o, char (*words)[INDEX_WORD])
{
	struct buf	b;
	size_t		i;

	for (i = 0; i < n; i++)
		if (strchr(c[i].path, '\n') != NULL)
			return;		/* not said in a line: no cache */
	if (paths_newline(staged))
		return;		/* nor a staged one, which a later answer may need */
	buf_init(&b);
	buf_printf(&b, "%s%016" PRIx64 "\n%016" PRIx64 "\n", WORKTREE_MAGIC, key, print);
	for (i = 0; i < n; i++)
		buf_printf(&b, "c %lld %s\n", (long long)c[i].mtime, c[i].path);
	for (i = 0; i < staged->n; i++)
		buf_printf(&b, "s %s\n", staged->v[i]);
	/* a line per article file: without printf, which cost more than the rest of this pass */
	for (i = 0; o->wt_files != NULL && i < o->wt_nfiles; i++)
		if (strchr(o->wt_files[i] + o->wt_prefix_len, '\n') == NULL) {
			buf_puts(&b, "f ");
			buf_put_hex64(&b, o->wt_prints[i]);
			buf_putc(&b, ' ');
			buf_puts(&b, words != NULL ? words[i] : "*");
			buf_putc(&b, ' ');
			buf_puts(&b, o->wt_files[i] + o->wt_prefix_len);
			buf_putc(&b, '\n');
		}
	text_seal(&b);
	diag_quiet(1);
	if (mkdir_parents(file) == 0)
		file_write_cache(file, b.data, b.len);
	diag_quiet(0);
	buf_free(&b);
}

/*
 * The files whose print is not the kept one (changed, new, too recent to
 * judge) or that are gone, relative to the content folder: the only ones
 * git need be asked about. -1 if there are more than max.
 */
static int
moved_files(struct kept *k, const struct history_opts *o, size_t max, struct paths *out)
{
	struct kept_file	*f;
	const char		*path;
	size_t			 i;

	for (i = 0; i < o->wt_nfiles; i++) {
		path = o->wt_files[i] + o->wt_prefix_len;
		if ((f = strmap_get(&k->files, path)) != NULL)
			f->seen = 1;
		if (f == NULL || f->print == 0 || f->print != o->wt_prints[i]) {
			if (out->n == max)
				return -1;
			paths_add(out, path);
		}
	}
	for (i = 0; i < k->nfile; i++)
		if (!k->file[i].seen) {
			if (out->n == max)
				return -1;
			paths_add(out, k->file[i].path);
		}
	return 0;
}

/* A .gitattributes file anywhere in the index. */
static int
index_has_attributes(git_index *idx)
{
	const git_index_entry	*e;
	const char		*slash;
	size_t			 i, n = git_index_entrycount(idx);

	for (i = 0; i < n; i++) {
		if ((e = git_index_get_byindex(idx, i)) == NULL)
			continue;
		slash = strrchr(e->path, '/');
		if (strcmp(slash != NULL ? slash + 1 : e->path, ".gitattributes") == 0)
			return 1;
	}
	return 0;
}

/*
 * Git's filters may turn a file's bytes into another blob (end of lines,
 * ident, drivers) only by attributes or core.autocrlf. Whether any may
 * apply anywhere in the repository: core.autocrlf, core.attributesFile,
 * info/attributes, the system's and the user's attributes files. (The
 * .gitattributes of the work tree are folder_attributes()'s, the index's
 * index_has_attributes()'s.)
 */
static int
repo_may_filter(git_repository *repo, git_config *cfg)
{
	git_config_entry	*e = NULL;
	const char		*home = getenv("HOME"), *xdg = getenv("XDG_CONFIG_HOME");
	char			*f, *dir = NULL;
	int			 may = 0;

	if (git_config_get_entry(&e, cfg, "core.autocrlf") == 0)
		may = strcmp(e->value, "false") != 0;
	git_config_entry_free(e);
	e = NULL;
	if (!may && git_config_get_entry(&e, cfg, "core.attributesfile") == 0)
		may = 1;
	git_config_entry_free(e);
	f = path_join(git_repository_commondir(repo), "info/attributes");
	may = may || path_exists(f) || path_exists("/etc/gitattributes");
	free(f);
	/* the user's: git/attributes under XDG_CONFIG_HOME, else ~/.config */
	if (xdg != NULL && *xdg)
		dir = path_join(xdg, "git");
	else if (home != NULL)
		dir = path_join(home, ".config/git");
	if (!may && dir != NULL) {
		f = path_join(dir, "attributes");
		may = path_exists(f);
		free(f);
	}
	free(dir);
	return may;
}

/* A .gitattributes in a folder from the top of the work tree (wd, ending in '/') down to path's. */
static int
folder_attributes(const char *wd, const char *path)
{
	const char	*folder, *slash;
	char		*f;
	int		 found = 0;

	for (folder = path; !found; folder = slash + 1) {
		f = xmalloc(strlen(wd) + strlen(path) + sizeof(".gitattributes"));
		sprintf(f, "%s%.*s.gitattributes", wd, (int)(folder - path), path);
		found = path_exists(f);
		free(f);
		if ((slash = strchr(folder, '/')) == NULL)
			break;
	}
	return found;
}

/* What the index says of each of the scan's files, for the kept answer; heap, NULL without files. */
static char (*words_from_index(git_repository *repo, const char *prefix, const struct history_opts *o))[INDEX_WORD]
{
	char		(*words)[INDEX_WORD];
	git_index	*idx = NULL;
	struct buf	 p;
	size_t		 i;

	if (o->wt_files == NULL)
		return NULL;
	words = xcalloc(o->wt_nfiles ? o->wt_nfiles : 1, sizeof(*words));
	/* the repository's own index, read once: git's status has read it already */
	if (git_repository_index(&idx, repo) != 0) {
		for (i = 0; i < o->wt_nfiles; i++)
			words[i][0] = '*';
		return words;
	}
	if (index_has_attributes(idx)) {
		/* rules the work tree may not show (a .gitattributes deleted there): git's status decides */
		for (i = 0; i < o->wt_nfiles; i++)
			words[i][0] = '*';
		git_index_free(idx);
		return words;
	}
	buf_init(&p);
	for (i = 0; i < o->wt_nfiles; i++) {
		buf_reset(&p);
		buf_puts(&p, prefix);
		buf_puts(&p, o->wt_files[i] + o->wt_prefix_len);
		index_word(idx, p.data, words[i]);
	}
	buf_free(&p);
	git_index_free(idx);
	return words;
}

/* The same from the kept answer, whose index this still is; NULL if a file has no kept word. */
static char (*words_from_kept(struct kept *k, const struct history_opts *o))[INDEX_WORD]
{
	char			(*words)[INDEX_WORD];
	struct kept_file	*f;
	size_t			 i;

	if (o->wt_files == NULL)
		return NULL;
	words = xcalloc(o->wt_nfiles ? o->wt_nfiles : 1, sizeof(*words));
	for (i = 0; i < o->wt_nfiles; i++) {
		if ((f = strmap_get(&k->files, o->wt_files[i] + o->wt_prefix_len)) == NULL) {
			free(words);
			return NULL;
		}
		memcpy(words[i], f->word, strlen(f->word) + 1);
	}
	return words;
}

/*
 * Of the files in moved (relative to the content folder; specs: the same
 * from the repository's top), the ones that differ from the index into
 * out, as git's status would find them but judged against the kept index
 * words: the file's bytes hashed against the blob (only where no filter
 * can apply: the bytes are then the blob's), and its executable bit
 * against the entry's mode where core.filemode is on. A file gone is no
 * article to mark. -1 (out left to be freed) if a file needs git's status:
 * no kept word or one that says so, not a file, or a filter that may apply.
 */
static int
hashed_changes(git_repository *repo, const char *wd, struct kept *k, const struct paths *moved,
    const struct paths *specs, struct paths *out)
{
	struct kept_file	*f;
	struct stat		 st;
	git_config		*cfg;
	git_oid			 id, want;
	char			*full;
	size_t			 i;
	int			 rc = 0, filemode = 1, v;

	if (git_repository_config_snapshot(&cfg, repo) != 0)
		return -1;
	if (git_config_get_bool(&v, cfg, "core.filemode") == 0)
		filemode = v;
	if (repo_may_filter(repo, cfg))
		rc = -1;
	for (i = 0; rc == 0 && i < moved->n; i++) {
		f = strmap_get(&k->files, moved->v[i]);
		if (f == NULL || (f->word[0] != 'b' && f->word[0] != 'x') || git_oid_fromstr(&want, f->word + 1) != 0) {
			rc = -1;
			break;
		}
		full = path_join(wd, specs->v[i]);
		if (lstat(full, &st) == -1)
			rc = errno == ENOENT || errno == ENOTDIR ? 0 : -1;
		else if (!S_ISREG(st.st_mode) || folder_attributes(wd, specs->v[i]) ||
		    git_odb_hashfile(&id, full, GIT_OBJECT_BLOB) != 0)
			rc = -1;
		else if (!git_oid_equal(&id, &want) ||
		    (filemode && ((st.st_mode & S_IXUSR) != 0) != (f->word[0] == 'x')))
			paths_add(out, specs->v[i]);
		free(full);
	}
	git_config_free(cfg);
	return rc;
}

/* Put path (relative to the repository's top) in the answer if it is an article there now. */
static void
answer_add(struct arena *ar, const char *wd, const char *prefix, const char *path, struct strmap *seen,
    struct wt_change *out, size_t *nout)
{
	struct stat	 sb;
	size_t		 plen = strlen(prefix);
	char		*full;

	if (strncmp(path, prefix, plen) != 0 || !is_article(path + plen) || strmap_get(seen, path + plen) != NULL)
		return;
	full = path_join(wd, path);
	/* a file deleted in the work tree has no page to mark */
	if (stat(full, &sb) == 0 && S_ISREG(sb.st_mode)) {
		out[*nout].path = arena_strdup(ar, path + plen);
		out[*nout].mtime = sb.st_mtime;
		strmap_put(seen, out[*nout].path, (void *)1);
		(*nout)++;
	}
	free(full);
}

/* At most this many files whose print moved are asked about one by one; more: the whole work tree. */
#define MOVED_MAX	256

/*
 * The kept answer, brought up to date for the files in moved (relative to
 * the content folder): git is asked about those alone, against the index
 * the kept answer was made with. The list lives in the arena.
 */
static int
update_answer(struct arena *ar, git_repository *repo, const char *wd, const char *prefix, struct kept *k,
    const struct paths *moved, struct wt_change **out, size_t *nout, int *hashed)
{
	struct paths	 specs, unstaged;
	struct strmap	 seen, redo, changed;
	struct buf	 p;
	size_t		 i;
	int		 rc = -1;

	memset(&specs, 0, sizeof(specs));
	memset(&unstaged, 0, sizeof(unstaged));
	strmap_init(&seen);
	strmap_init(&redo);
	strmap_init(&changed);
	buf_init(&p);
	for (i = 0; i < moved->n; i++) {
		strmap_put(&redo, moved->v[i], (void *)1);
		buf_reset(&p);
		buf_puts(&p, prefix);
		buf_puts(&p, moved->v[i]);
		paths_add(&specs, p.data);
	}
	/* the kept index words if they can tell; else git (no specs would ask about the whole work tree) */
	*hashed = hashed_changes(repo, wd, k, moved, &specs, &unstaged) == 0;
	if (!*hashed) {
		paths_free(&unstaged);
		if (specs.n > 0 &&
		    status_paths(repo, specs.v, specs.n, GIT_STATUS_SHOW_WORKDIR_ONLY, WT_CHANGED, &unstaged) == -1)
			goto out;
	}
	/* changed from HEAD: staged (the kept list, the index is the same) or changed in the work tree now */
	for (i = 0; i < k->staged.n; i++)
		strmap_put(&changed, k->staged.v[i], (void *)1);
	for (i = 0; i < unstaged.n; i++)
		strmap_put(&changed, unstaged.v[i], (void *)1);
	*out = arena_array(ar, k->n + moved->n + 1, sizeof(**out));
	*nout = 0;
	for (i = 0; i < k->n; i++)
		if (strmap_get(&redo, k->answer[i].path) == NULL) {
			(*out)[(*nout)++] = k->answer[i];
			strmap_put(&seen, k->answer[i].path, (void *)1);
		}
	for (i = 0; i < specs.n; i++)
		if (strmap_get(&changed, specs.v[i]) != NULL)
			answer_add(ar, wd, prefix, specs.v[i], &seen, *out, nout);
	rc = 0;
out:
	buf_free(&p);
	paths_free(&specs);
	paths_free(&unstaged);
	strmap_free(&seen);
	strmap_free(&redo);
	strmap_free(&changed);
	return rc;
}

/*
 * Articles under prefix that differ from HEAD (staged or not) or are new
 * and untracked, with their modification time. Deleted files are left
 * out: there is no article to show. The list lives in the arena.
 * cache_dir may be NULL (no cache).
 */
int
worktree_changes(struct arena *ar, git_repository *repo, const char *prefix, const char *cache_dir,
    const struct history_opts *o, struct wt_change **out, size_t *nout, size_t *asked, size_t *hashed)
{
	git_index	*idx = NULL;
	struct paths	 staged, unstaged, moved;
	struct strmap	 seen;
	struct kept	 k;
	const char	*wd, *path;
	char		*sfile = NULL, *wfile = NULL, (*words)[INDEX_WORD] = NULL;
	size_t		 i;
	uint64_t	 key, wkey = 0;
	int		 rc = -1, have = -1, by_hash;

	*out = NULL;
	*nout = 0;
	*asked = 0;
	*hashed = 0;
	if ((wd = git_repository_workdir(repo)) == NULL)
		return 0;
	memset(&staged, 0, sizeof(staged));
	memset(&unstaged, 0, sizeof(unstaged));
	memset(&moved, 0, sizeof(moved));
	memset(&k, 0, sizeof(k));
	strmap_init(&k.files);
	strmap_init(&seen);
	if (cache_dir != NULL && (o->worktree_print != 0 || o->wt_files != NULL)) {
		wfile = path_join(cache_dir, "worktree");
		wkey = worktree_key(repo, prefix, o->wt_rules);
		have = worktree_load(ar, wfile, wkey, o->worktree_print, &k);
	}
	if (have == 0 && o->worktree_print != 0 && o->worktree_print == k.print) {
		*out = k.answer;
		*nout = k.n;
		rc = 0;
		goto out;
	}
	if (have == 0 && o->wt_files != NULL && moved_files(&k, o, MOVED_MAX, &moved) == 0) {
		if (update_answer(ar, repo, wd, prefix, &k, &moved, out, nout, &by_hash) == -1)
			goto out;
		*asked = moved.n;
		*hashed = by_hash ? moved.n : 0;
		/* the index is the kept answer's: its words stand, unless git read it (it may be newer) */
		words = by_hash ? words_from_kept(&k, o) : words_from_index(repo, prefix, o);
		worktree_save(wfile, wkey, o->worktree_print, *out, *nout, &k.staged, o, words);
		rc = 0;
		goto out;
	}
	*asked = WORKTREE_ALL;
	if (git_repository_index(&idx, repo) != 0)
		goto out;
	key = staged_key(repo, idx, prefix);
	sfile = cache_dir != NULL ? path_join(cache_dir, "staged") : NULL;
	if (staged_load(sfile, key, &staged) == -1) {
		if (status_paths(repo, (char **)&prefix, *prefix ? 1 : 0, GIT_STATUS_SHOW_INDEX_ONLY,
		    INDEX_CHANGED, &staged) == -1)
			goto out;
		staged_save(sfile, key, &staged);
	}
	if (status_paths(repo, (char **)&prefix, *prefix ? 1 : 0, GIT_STATUS_SHOW_WORKDIR_ONLY,
	    WT_CHANGED, &unstaged) == -1)
		goto out;
	*out = arena_array(ar, staged.n + unstaged.n + 1, sizeof(**out));
	for (i = 0; i < staged.n + unstaged.n; i++) {
		path = i < staged.n ? staged.v[i] : unstaged.v[i - staged.n];
		answer_add(ar, wd, prefix, path, &seen, *out, nout);
	}
	if (wfile != NULL) {
		words = words_from_index(repo, prefix, o);
		worktree_save(wfile, wkey, o->worktree_print, *out, *nout, &staged, o, words);
	}
	rc = 0;
out:
	free(words);
	kept_free(&k);
	strmap_free(&seen);
	paths_free(&staged);
	paths_free(&unstaged);
	paths_free(&moved);
	git_index_free(idx);
	free(sfile);
	free(wfile);
	return rc;
}
