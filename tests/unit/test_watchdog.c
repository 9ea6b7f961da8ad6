/*
 * test_watchdog.c: the watchdog's nudge (src/watchdog.c), which starts a
 * theme's instruction count: a slot that stays on one page for 0.1 s gets a
 * signal on its own thread, and again while it stays; a short page, an idle
 * slot and other threads get none; a system call the signal lands in goes
 * on; no time limit means no watchdog.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "watchdog.h"

static atomic_int			 nudges;	/* all threads */
static _Thread_local volatile sig_atomic_t mine;	/* this thread's */

static void
on_nudge(void)
{
	mine++;
	atomic_fetch_add(&nudges, 1);
}

static void
other_nudge(void)
{
}

/* ms of work with no system call for the signal to land in */
static void
busy(int ms)
{
	long long	end = watchdog_now_ms() + ms;

	while (watchdog_now_ms() < end)
		;
}

/* ms asleep; a signal cuts nanosleep short even with SA_RESTART, so sleep the rest */
static void
nap(int ms)
{
	struct timespec	ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

struct job {
	struct watchdog	*w;
	int		 slot;
	int		 ms;
	int		 fd;	/* >= 0: wait in read() on it instead of working */
	int		 got;	/* nudges this thread had */
	long long	 took;	/* ms between enter and leave */
	ssize_t		 nread;
	char		 buf[8];
};

static void *
page(void *arg)
{
	struct job	*j = arg;
	long long	 start = watchdog_now_ms();

	watchdog_enter(j->w, j->slot, "/a/page/");
	if (j->fd >= 0)
		j->nread = read(j->fd, j->buf, sizeof(j->buf));
	else
		busy(j->ms);
	watchdog_leave(j->w, j->slot);
	j->took = watchdog_now_ms() - start;
	j->got = mine;
	return NULL;
}

static int
run(struct job *j)
{
	pthread_t	th;

	if (pthread_create(&th, NULL, page, j) != 0)
		return -1;
	return pthread_join(th, NULL);
}

int
main(void)
{
	struct watchdog	*w, *w2;
	struct job	 slow, quick, reader;
	int		 fds[2], before;

	CHECK(watchdog_start(0, 4, "out", on_nudge) == NULL);	/* page_time_limit: 0 */
	CHECK(watchdog_nudges(NULL) == 0);

	w = watchdog_start(60, 4, "out", on_nudge);
	CHECK(w != NULL && watchdog_nudges(w));

	/* 450 ms on one page: nudged from 0.1 s on, every tenth of a second (on a loaded
	 * machine the watchdog may wake late: at least once), on its own thread */
	memset(&slow, 0, sizeof(slow));
	slow.w = w, slow.slot = 0, slow.ms = 450, slow.fd = -1;
	CHECK(run(&slow) == 0);
	CHECK(slow.got >= 1);
	CHECK(slow.got == atomic_load(&nudges));
	CHECK(mine == 0);	/* none reached this thread */

	/* a page of 20 ms is not nudged (unless a loaded machine stretched it past 0.1 s) */
	before = atomic_load(&nudges);
	memset(&quick, 0, sizeof(quick));
	quick.w = w, quick.slot = 1, quick.ms = 20, quick.fd = -1;
	CHECK(run(&quick) == 0);
	CHECK(quick.took >= WATCHDOG_NUDGE_MS || (quick.got == 0 && atomic_load(&nudges) == before));
	before = atomic_load(&nudges);

	/* a slot that has left is not nudged however long it stays idle */
	nap(350);
	CHECK(atomic_load(&nudges) == before);

	/* a nudge that lands in a read() of a pipe: the read goes on and gets its bytes */
	CHECK(pipe(fds) == 0);
	memset(&reader, 0, sizeof(reader));
	reader.w = w, reader.slot = 2, reader.fd = fds[0];
	{
		pthread_t	th;

		CHECK(pthread_create(&th, NULL, page, &reader) == 0);
		nap(350);
		CHECK(write(fds[1], "bytes", 5) == 5);
		CHECK(pthread_join(th, NULL) == 0);
	}
	CHECK(reader.got >= 1);
	CHECK(reader.nread == 5 && memcmp(reader.buf, "bytes", 5) == 0);
	close(fds[0]);
	close(fds[1]);

	/* the handler is the process's: a second watchdog with another callback does not nudge */
	w2 = watchdog_start(60, 1, "out", other_nudge);
	CHECK(w2 != NULL && !watchdog_nudges(w2));
	watchdog_stop(w2);
	watchdog_stop(w);
	return check_done();
}
