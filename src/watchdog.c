/* watchdog.c: stop a build whose theme spends too long on one page */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
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
	pthread_t		 thread;	/* the one between enter and leave */
	pthread_mutex_t		 lock;		/* held to nudge it: leave waits, the thread lives */
};

/* SIGURG: ignored by default, so one that arrives without the handler does nothing */
#define NUDGE_SIGNAL	SIGURG

static void (*volatile nudge_fn)(void);

struct watchdog {
	pthread_t	 th;
	unsigned	 limit_ms;
	int		 n;
	struct slot	*slots;
	pthread_mutex_t	 lock;		/* guards stop; wake signals it */
	pthread_cond_t	 wake;
	int		 stop;
	char		*output;
	int		 nudge;		/* nudge_fn is this watchdog's */
};

long long
watchdog_now_ms(void)
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

static void
on_nudge(int sig)
{
	void	(*fn)(void) = nudge_fn;
	int	saved = errno;

	(void)sig;
	if (fn != NULL)
		fn();
	errno = saved;
}

/* Signal the slot's thread if it is still between enter and leave. */
static void
nudge(struct slot *s)
{
	pthread_mutex_lock(&s->lock);
	if (atomic_load(&s->what) != NULL)
		pthread_kill(s->thread, NUDGE_SIGNAL);
	pthread_mutex_unlock(&s->lock);
}

static void *
watch(void *arg)
{
	struct watchdog	*w = arg;
	const char	*what;
	long long	 busy;
	int		 i;

	while (!nap(w)) {
		for (i = 0; i < w->n; i++) {
			what = atomic_load(&w->slots[i].what);
			if (what == NULL)
				continue;
			busy = watchdog_now_ms() - atomic_load(&w->slots[i].since_ms);
			if (w->nudge && busy >= WATCHDOG_NUDGE_MS)
				nudge(&w->slots[i]);
			if (busy <= w->limit_ms)
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
	int	i;

	for (i = 0; i < w->n; i++)
		pthread_mutex_destroy(&w->slots[i].lock);
	pthread_cond_destroy(&w->wake);
	pthread_mutex_destroy(&w->lock);
	free(w->slots);
	free(w->output);
	free(w);
}

/*
 * The handler is the process's, set once and left: a nudge that arrives
 * between builds finds nothing to do (the theme keeps track of its calls).
 */
static int
install_nudge(void (*fn)(void))
{
	static pthread_mutex_t	 lock = PTHREAD_MUTEX_INITIALIZER;
	struct sigaction	 sa;
	int			 rc = 0;

	pthread_mutex_lock(&lock);
	if (nudge_fn == NULL) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_nudge;
		sa.sa_flags = SA_RESTART;
		sigemptyset(&sa.sa_mask);
		nudge_fn = fn;
		if (sigaction(NUDGE_SIGNAL, &sa, NULL) == -1) {
			nudge_fn = NULL;
			rc = -1;
		}
	} else if (nudge_fn != fn)
		rc = -1;	/* one nudge per process */
	pthread_mutex_unlock(&lock);
	return rc;
}

struct watchdog *
watchdog_start(unsigned seconds, int nslots, const char *output, void (*nudge_cb)(void))
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
	w->nudge = nudge_cb != NULL && install_nudge(nudge_cb) == 0;
	w->slots = xcalloc((size_t)nslots, sizeof(*w->slots));
	for (i = 0; i < nslots; i++) {
		atomic_init(&w->slots[i].what, NULL);
		pthread_mutex_init(&w->slots[i].lock, NULL);
	}
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

int
watchdog_nudges(const struct watchdog *w)
{
	return w != NULL && w->nudge;
}

void
watchdog_enter(struct watchdog *w, int slot, const char *what)
{
	if (w == NULL || slot < 0 || slot >= w->n)
		return;
	w->slots[slot].thread = pthread_self();
	atomic_store(&w->slots[slot].since_ms, watchdog_now_ms());
	atomic_store(&w->slots[slot].what, what);
}

void
watchdog_leave(struct watchdog *w, int slot)
{
	if (w == NULL || slot < 0 || slot >= w->n)
		return;
	if (!w->nudge) {
		atomic_store(&w->slots[slot].what, NULL);
		return;
	}
	pthread_mutex_lock(&w->slots[slot].lock);
	atomic_store(&w->slots[slot].what, NULL);
	pthread_mutex_unlock(&w->slots[slot].lock);
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
