/* watchdog.c: stop a build whose theme spends too long on one page */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "watchdog.h"
#include "util/arena.h"

struct slot {
	_Atomic(const char *)	 what;		/* NULL when idle */
	atomic_llong		 since_ms;
};

struct watchdog {
	pthread_t	 th;
	unsigned	 limit_ms;
	int		 n;
	struct slot	*slots;
	atomic_int	 stop;
	char		*output;
};

static long long
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void *
watch(void *arg)
{
	struct watchdog	*w = arg;
	const char	*what;
	int		 i;

	while (!atomic_load(&w->stop)) {
		usleep(100 * 1000);
		for (i = 0; i < w->n; i++) {
			what = atomic_load(&w->slots[i].what);
			if (what == NULL || now_ms() - atomic_load(&w->slots[i].since_ms) <= w->limit_ms)
				continue;
			/* the stuck thread cannot be interrupted safely: end the process; the
			 * staging folder is swept by the next build, the output is untouched */
			fprintf(stderr, "folio: theme: %s took longer than %u s (page_time_limit in folio.yaml): "
			    "a runaway layout (Lua string patterns are not counted by the instruction limit) "
			    "or Markdown that cmark-gfm is slow on\n"
			    "folio: build stopped; %s left as it was\n", what, w->limit_ms / 1000, w->output);
			fflush(stderr);
			_exit(1);
		}
	}
	return NULL;
}

struct watchdog *
watchdog_start(unsigned seconds, int nslots, const char *output)
{
	struct watchdog	*w;
	int		 i;

	if (seconds == 0 || nslots <= 0)
		return NULL;
	w = xcalloc(1, sizeof(*w));
	w->limit_ms = seconds * 1000;
	w->n = nslots;
	w->output = xstrdup(output);
	w->slots = xcalloc((size_t)nslots, sizeof(*w->slots));
	for (i = 0; i < nslots; i++)
		atomic_init(&w->slots[i].what, NULL);
	atomic_init(&w->stop, 0);
	if (pthread_create(&w->th, NULL, watch, w) != 0) {
		free(w->slots);
		free(w->output);
		free(w);
		return NULL;
	}
	return w;
}

void
watchdog_enter(struct watchdog *w, int slot, const char *what)
{
	if (w == NULL || slot < 0 || slot >= w->n)
		return;
	atomic_store(&w->slots[slot].since_ms, now_ms());
	atomic_store(&w->slots[slot].what, what);
}

void
watchdog_leave(struct watchdog *w, int slot)
{
	if (w == NULL || slot < 0 || slot >= w->n)
		return;
	atomic_store(&w->slots[slot].what, NULL);
}

void
watchdog_stop(struct watchdog *w)
{
	if (w == NULL)
		return;
	atomic_store(&w->stop, 1);
	pthread_join(w->th, NULL);
	free(w->slots);
	free(w->output);
	free(w);
}
