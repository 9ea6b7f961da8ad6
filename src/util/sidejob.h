/* sidejob.h: one function run on a thread of its own while the caller goes on */
#ifndef FOLIO_SIDEJOB_H
#define FOLIO_SIDEJOB_H

#include <pthread.h>

struct side_job {
	pthread_t	  th;
	void		*(*fn)(void *);
	void		 *arg;
	int		  state;	/* SIDE_* in sidejob.c */
};

/* fn(arg) on a thread of its own; if none can be made, side_job_finish() runs it. */
void	side_job_start(struct side_job *, void *(*fn)(void *), void *arg);
/* fn(arg) has run when this returns: the thread joined, or fn run here. Once; later calls do nothing. */
void	side_job_finish(struct side_job *);
/* The thread joined if there is one, fn not run here if it had none: its result is not wanted. */
void	side_job_drop(struct side_job *);

#endif
