/* diag.c: error and warning messages; thread-safe counters */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>

#include "diag.h"

static pthread_mutex_t	lock = PTHREAD_MUTEX_INITIALIZER;
static size_t		nerrors, nwarnings;
static _Thread_local int	quiet;	/* per thread: the history reader may be quiet while the parser is not */
static _Thread_local size_t	said;	/* messages of this thread, printed or not */

static void
vdiag(const char *kind, const char *path, size_t line, const char *fmt, va_list ap)
{
	char	msg[2048];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (quiet)
		return;
	if (path == NULL)
		fprintf(stderr, "folio: %s%s\n", kind, msg);
	else if (line == 0)
		fprintf(stderr, "%s: %s%s\n", path, kind, msg);
	else
		fprintf(stderr, "%s:%zu: %s%s\n", path, line, kind, msg);
}

int
diag(const char *path, size_t line, const char *fmt, ...)
{
	va_list	ap;

	said++;
	if (quiet)
		return -1;
	pthread_mutex_lock(&lock);
	nerrors++;
	va_start(ap, fmt);
	vdiag("", path, line, fmt, ap);
	va_end(ap);
	pthread_mutex_unlock(&lock);
	return -1;
}

int
diag_warn(const char *path, size_t line, const char *fmt, ...)
{
	va_list	ap;

	said++;
	if (quiet)
		return 0;
	pthread_mutex_lock(&lock);
	nwarnings++;
	va_start(ap, fmt);
	vdiag("warning: ", path, line, fmt, ap);
	va_end(ap);
	pthread_mutex_unlock(&lock);
	return 0;
}

size_t	diag_errors(void) { return nerrors; }
size_t	diag_thread_said(void) { return said; }
size_t	diag_warnings(void) { return nwarnings; }
void	diag_reset(void) { nerrors = nwarnings = 0; }
void	diag_quiet(int q) { quiet = q; }
