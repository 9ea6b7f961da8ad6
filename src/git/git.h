/* git.h: the archive's git history -> struct history. The only includer of libgit2. */
#ifndef GIT_H
#define GIT_H

#include <stdint.h>
#include <pthread.h>

struct arena;
struct history;
struct file_history;

struct history_opts {
	int		 all_parents;	/* history: all */
	const char	*cache_dir;	/* ".folio-cache", or NULL for no cache */
	int		 quiet;		/* no notice on stderr */
	uint64_t	 worktree_print; /* the stat of every article file in the work tree,
					  * hashed (see buildstamp_files()), or 0 if unknown or
					  * some file changed too recently to be judged by it */
	/*
	 * The same file by file, so that after an edit git is asked about the
	 * files whose stat moved rather than the whole work tree: the scan's
	 * article files (paths past wt_prefix_len are relative to content_dir),
	 * a print of each one's stat (0: changed too recently to judge by it),
	 * and a hash of the content folder's own .gitignore and .gitattributes
	 * files. wt_files NULL: ask git about every file.
	 */
	char *const	*wt_files;
	const uint64_t	*wt_prints;
	size_t		 wt_nfiles;
	size_t		 wt_prefix_len;
	uint64_t	 wt_rules;
};

/*
 * Start libgit2's set-up on a thread of its own, to overlap other work: it
 * reads and parses the system's TLS certificates (about 7 ms here) before
 * it opens any repository. The history calls below wait for it; without
 * this call they do it themselves. Returns 1 when a thread was started:
 * the caller joins it (pthread_join) before it returns or exits, even on a
 * path that never asks for the history, for an exit while the set-up runs
 * races OpenSSL's clean-up at exit against its initialisation.
 */
int		 history_warm_up(pthread_t *th);

/*
 * Walk the history of the repository holding content_dir once, newest
 * first, and record what every commit did to the files under content_dir.
 * Never fails the build: no repository gives available = 0 and one notice.
 * The result lives in the arena.
 */
struct history	*history_collect(struct arena *, const char *content_dir,
		    const struct history_opts *);

/*
 * A number that changes when the history history_collect() reads may have:
 * HEAD, the index, the repository itself. The work tree's files are not in it.
 */
uint64_t	 history_state(const char *content_dir, int all_parents);

/* The history of one file by its path relative to content_dir, or NULL. */
const struct file_history *history_find(const struct history *, const char *relpath);

#endif
