/* bench_history.c: time history_collect() once; built by scripts/bench-history */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "folio.h"
#include "git/git.h"
#include "util/arena.h"

/* usage: bench_history CONTENT_DIR [CACHE_DIR] [all] -> "ms commits files_found" */
int
main(int argc, char **argv)
{
	struct arena		*ar = arena_new();
	struct history_opts	 o = { 0, NULL, 0 };
	struct history		*h;
	struct timespec		 a, b;

	if (argc < 2) {
		fprintf(stderr, "usage: bench_history content_dir [cache_dir] [all]\n");
		return 2;
	}
	if (argc > 2 && argv[2][0] != '\0')
		o.cache_dir = argv[2];
	o.all_parents = argc > 3;
	clock_gettime(CLOCK_MONOTONIC, &a);
	h = history_collect(ar, argv[1], &o);
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%.1f ms, %zu commits, available %d\n",
	    (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6, h->ncommits, h->available);
	arena_free(ar);
	return 0;
}
