/* sidejob.c: a function on a thread of its own, or in turn when no thread can be had */
#include "sidejob.h"

enum { SIDE_DONE, SIDE_THREAD, SIDE_HERE };

void
side_job_start(struct side_job *j, void *(*fn)(void *), void *arg)
{
	j->fn = fn;
	j->arg = arg;
	j->state = pthread_create(&j->th, NULL, fn, arg) == 0 ? SIDE_THREAD : SIDE_HERE;
}

void
side_job_finish(struct side_job *j)
{
	if (j->state == SIDE_THREAD)
		pthread_join(j->th, NULL);
	else if (j->state == SIDE_HERE)
		j->fn(j->arg);		/* a pids limit, no memory: the same work, in turn */
	j->state = SIDE_DONE;
}

void
side_job_drop(struct side_job *j)
{
	if (j->state == SIDE_THREAD)
		pthread_join(j->th, NULL);
	j->state = SIDE_DONE;
}
