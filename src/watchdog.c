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
	pthread_mutex_t	 lock;		/* guards stop; wake signals it */
	pthread_cond_t	 wake;
	int		 stop;
	char		*output;
};

static long long
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Sleep 100 ms, or less if watchdog_stop() wakes us: 0 to go on, 1 to stop. */
static int
nap(struct watchdog *w)
{
	struct timespec	until;
	int		stop;

	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_nsec += 100 * 1000 * 1000;
	if (until.tv_nsec >= 1000 * 1000 * 1000) {
		until.tv_sec++;
		until.tv_nsec -= 1000 * 1000 * 1000;
	}
	pthread_mutex_lock(&w->lock);
	while (!w->stop && pthread_cond_timedwait(&w->wake, &w->lock, &until) == 0)
		;	/* woken early without stop: a spurious wake-up */
	stop = w->stop;
	pthread_mutex_unlock(&w->lock);
	return stop;
}

static void *
watch(void *arg)
{
	struct watchdog	*w = arg;
	const char	*what;
	int		 i;

	while (!nap(w)) {
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

static void
free_watchdog(struct watchdog *w)
{
	pthread_cond_destroy(&w->wake);
	pthread_mutex_destroy(&w->lock);
	free(w->slots);
	free(w->output);
	free(w);
}

struct watchdog *
watchdog_start(unsigned seconds, int nslots, const char *output)
{
	struct watchdog		*w;
	pthread_condattr_t	 ca;
	int			 i;

	if (seconds == 0 || nslots <= 0)
		return NULL;
	w = xcalloc(1, sizeof(*w));
	w->limit_ms = seconds * 1000;
	w->n = nslots;
	w->output = xstrdup(output);
	w->slots = xcalloc((size_t)nslots, sizeof(*w->slots));
	for (i = 0; i < nslots; i++)
		atomic_init(&w->slots[i].what, NULL);
	pthread_mutex_init(&w->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&w->wake, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&w->th, NULL, watch, w) != 0) {
		free_watchdog(w);
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
	/* wake the watcher rather than wait out its nap: a build's last step must not idle */
	pthread_mutex_lock(&w->lock);
	w->stop = 1;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->th, NULL);
	free_watchdog(w);
}
