/* bench_history.c: time history_collect() once; built by scripts/bench-history */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "folio.h"
#include "buildstamp.h"
#include "content/content.h"
#include "git/git.h"
#include "util/arena.h"
#include "util/fsutil.h"

/*
 * usage: bench_history CONTENT_DIR [CACHE_DIR] [all] -> "ms commits files_found"
 * The time includes the scan of the content folder that a build makes anyway
 * and shares with the history pass: the stat of every article file.
 */
int
main(int argc, char **argv)
{
	struct arena		*ar = arena_new();
	struct history_opts	 o = { 0 };
	struct history		*h;
	struct timespec		 a, m, b;
	struct file_stat	*stats;
	char			**files;
	size_t			 n;
	uint64_t		 rules, *prints = NULL;
	int			 racy = 0, warming;
	pthread_t		 wth;

	if (argc < 2) {
		fprintf(stderr, "usage: bench_history content_dir [cache_dir] [all]\n");
		return 2;
	}
	if (argc > 2 && argv[2][0] != '\0')
		o.cache_dir = argv[2];
	o.all_parents = argc > 3;
	clock_gettime(CLOCK_MONOTONIC, &a);
	warming = history_warm_up(&wth);	/* as a build does: during the scan */
	if (content_scan(argv[1], &files, &stats, &n, &rules) == 0) {
		prints = xcalloc(n ? n : 1, sizeof(*prints));
		o.worktree_print = buildstamp_files(hash64_more(hash64("worktree", 8), &rules, sizeof(rules)), files, stats, n,
		    strlen(argv[1]) + 1, time(NULL), &racy, prints);
		if (racy)
			o.worktree_print = 0;
		/* as a build gives them: the work tree's answer file by file */
		o.wt_files = files;
		o.wt_prints = prints;
		o.wt_nfiles = n;
		o.wt_prefix_len = strlen(argv[1]) + 1;
		o.wt_rules = rules;
	}
	clock_gettime(CLOCK_MONOTONIC, &m);
	h = history_collect(ar, argv[1], &o);
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%.1f ms, %zu commits, available %d (the scan: %.1f ms)\n",
	    (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6, h->ncommits, h->available,
	    (m.tv_sec - a.tv_sec) * 1e3 + (m.tv_nsec - a.tv_nsec) / 1e6);
	content_scan_free(files, n);
	free(stats);
	free(prints);
	arena_free(ar);
	if (warming)
		pthread_join(wth, NULL);
	return 0;
}
