/* gitint.h: shared by the files of src/git/ and nobody else */
#ifndef GITINT_H
#define GITINT_H

#include <stdint.h>
#include <time.h>

#include <git2.h>

struct arena;
struct commit;

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

/* cache.c: 0 loaded, 1 no usable file (absent, or for other options), -1 corrupt */
int	cache_load(struct arena *, const char *file, uint64_t key, git_oid *head,
	    struct walk *, int quiet);
int	cache_save(const char *file, uint64_t key, const git_oid *head, const struct walk *);

/* worktree.c: articles under prefix that differ from HEAD, or new and untracked;
 * cache_file (may be NULL) keeps what is staged for the next build */
int	worktree_changes(struct arena *, git_repository *, const char *prefix,
	    const char *cache_file, struct wt_change **, size_t *);

/* history.c */
void	git_notice(int quiet, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *git_errmsg(void);

#endif
