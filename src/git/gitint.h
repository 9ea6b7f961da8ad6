/* gitint.h: shared by the files of src/git/ and nobody else */
#ifndef GITINT_H
#define GITINT_H

#include <stdint.h>
#include <time.h>

#include <git2.h>

struct arena;
struct commit;
struct file_change;

/* What a walk (or the cache) knows: commits newest first, and the shallow boundary. */
struct walk {
	struct commit	 *commits;	/* arena; changes[].commit is set by history.c */
	size_t		  ncommits;
	const char	**boundary;	/* articles present at a shallow boundary commit */
	size_t		  nboundary;
	int		  complete;	/* walked down to stop (or to the roots if none) */
	int		  full;		/* walked to the roots: nothing cached to add */
};

/* An article that differs from HEAD in the work tree. */
struct wt_change {
	const char	*path;		/* relative to the content folder */
	time_t		 mtime;
};

/* walk.c: one walk from head; stop (may be NULL) is a cached head not to walk past. */
int	walk_history(struct arena *, git_repository *, const char *prefix,
	    int all_parents, const git_oid *head, const git_oid *stop, struct walk *);
int	is_article(const char *path);

/* The blobs on each side of a change found by tree_changes(). */
struct blob_ids {
	git_oid		 old_id, new_id;	/* old_id: zero for an article added */
};

/* treediff.c: a few trees kept as read, for one thread */
#define TREE_SLOTS	8
struct tree_slot {
	git_oid		 id;
	git_odb_object	*obj;		/* NULL: empty */
	uint32_t	*bounds;	/* heap, or NULL: where its entries start, then its size */
	size_t		 nbounds;
};
struct tree_cache {
	git_odb			*odb;
	struct tree_slot	 slot[TREE_SLOTS];
	unsigned		 next;		/* the slot to fill next */
};
int	tree_cache_open(struct tree_cache *, git_repository *);
void	tree_cache_close(struct tree_cache *);

/* A folder of the content folder that a commit changed, compared on its own. */
struct folder_job {
	size_t			 commit;	/* the commit's place in the walk */
	const char		*path;		/* relative to the content folder, with '/' */
	git_oid			 old_id, new_id;
	int			 has_old;	/* 0: the folder is new */
	/* what folder_changes() found, in the arena: */
	int			 status;	/* as tree_changes() returns */
	struct file_change	*changes;
	struct blob_ids		*ids;
	size_t			 nchanges;
};

/*
 * treediff.c: 0 when out->changes lists what the commit did to articles
 * (kind and path; lines not counted yet) and *ids their blobs, in the
 * arena; 1 when it is left to libgit2's diff (removals and renames, odd
 * modes); -1 when a tree cannot be read. With jobs, the folders inside the
 * content folder are not compared but listed in *jobs (the arena; njobs of
 * them), for folder_changes() and then tree_changes_join().
 */
int	tree_changes(struct arena *, struct tree_cache *, const char *prefix,
	    const git_tree *old, const git_tree *new, struct commit *out,
	    struct blob_ids **ids, size_t commit, struct folder_job **jobs, size_t *njobs);
void	folder_changes(struct arena *, struct tree_cache *, struct folder_job *);
void	tree_changes_join(struct arena *, struct commit *out, struct blob_ids **ids,
	    const struct folder_job *, size_t njobs);

/* packorder.c: an object's place in the packs (pack, offset), UINT64_MAX if not known */
struct pack_order;
struct pack_order *pack_order_open(git_repository *);
uint64_t	pack_order_of(const struct pack_order *, const git_oid *);
void		pack_order_close(struct pack_order *);

/* linestats.c */
struct stat_item {
	struct file_change	*fc;		/* its added, removed and kind are filled in */
	const struct blob_ids	*ids;
	size_t			 order;		/* place of its commit in the walk: larger is older */
};
size_t	fm_close(const char *text, size_t len);
int	patch_stats(git_patch *, size_t oldfm, size_t newfm, struct file_change *);
/*
 * The lines an edit (fc->kind CHANGE_EDITED) added and removed, and
 * CHANGE_META if all lie in the front matter, as git counts them: by
 * quick_line_change() where it can tell (quick), else by libgit2's diff.
 */
int	edit_line_stats(const char *old, size_t oldlen, const char *new, size_t newlen, int quick,
	    struct file_change *);

/* quickdiff.c: lines in a text as git's diff counts them (a last line without '\n' counts) */
size_t	count_lines(const char *text, size_t len);
/* git's own test, not libgit2's wider one: a NUL byte in the first 8,000 bytes */
int	binary_to_git(const char *text, size_t len);
struct line_change {
	size_t	line;		/* lines before the change, the same on both sides */
	size_t	old_lines;	/* then removed */
	size_t	new_lines;	/* and added */
};
/*
 * 0 when any diff of old and new finds the change *out (the place: up to
 * sliding it over lines equal to it); -1 when only a diff can tell: the
 * changed stretches share a line, or are too long to compare each line
 * with each, or a side is binary to git.
 */
int	quick_line_change(const char *old, size_t oldlen, const char *new, size_t newlen,
	    struct line_change *);
/* sort by article, oldest first; starts[] (n long) gets where each article's run begins */
size_t	stat_items_group(struct stat_item *, size_t n, size_t *starts);
/*
 * The old versions that counting the lines of n items (all the shares') will
 * want from the repository, in the order they lie in its packs: every
 * version but each article's newest when from_workdir (the work tree most
 * likely holds that one). Each of nparts threads then reads its stretch of
 * the packs (ahead_read(), each with a repository of its own: one stretch
 * of a chain of deltas is rebuilt once, not by every share that wants a
 * blob of it); ahead_index() once all are read; the counts take them;
 * ahead_free() before any of those repositories is freed.
 */
struct ahead_set *ahead_plan(git_repository *, const struct stat_item *, size_t n, int from_workdir);
void	ahead_read(struct ahead_set *, git_repository *, size_t part, size_t nparts);
void	ahead_index(struct ahead_set *);
void	ahead_free(struct ahead_set *);
/* count the lines of n items that make whole runs; dir: the content folder
 * in the work tree (may be NULL), where most current versions can be read,
 * and prefix its path in the repository ("content/"); ahead (may be NULL):
 * blobs read ahead, which the counts of several threads take from at once */
int	stat_items_count(git_repository *, const char *dir, const char *prefix,
	    struct stat_item *, size_t n, struct ahead_set *ahead);

/* cache.c: 0 loaded, 1 no usable file (absent, or for other options), -1 corrupt */
int	cache_load(struct arena *, const char *file, uint64_t key, git_oid *head,
	    struct walk *, int quiet);
int	cache_save(const char *file, uint64_t key, const git_oid *head, const struct walk *);

struct history_opts;

/* worktree.c: articles under prefix that differ from HEAD, or new and untracked;
 * cache_dir (may be NULL) keeps the answer for the next build, which takes it
 * as it is if HEAD, the index file and o->worktree_print (0: unknown) are the
 * same, and asks git only about the files whose print moved if o->wt_files
 * (*hashed of them judged by their kept index entry instead of git's status) */
int	worktree_changes(struct arena *, git_repository *, const char *prefix,
	    const char *cache_dir, const struct history_opts *o, struct wt_change **, size_t *,
	    size_t *asked, size_t *hashed);

/* history.c */
/* HEAD, the index and shallow files, git's ignore, attributes and config files */
uint64_t hash_repo_state(uint64_t h, git_repository *, const char *prefix);
void	git_notice(int quiet, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *git_errmsg(void);

#endif
