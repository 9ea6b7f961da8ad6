/* diag.c: error and warning messages; thread-safe counters */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

static pthread_mutex_t	lock = PTHREAD_MUTEX_INITIALIZER;
static size_t		nerrors, nwarnings;
static _Thread_local int	quiet;	/* per thread: the history reader may be quiet while the parser is not */
static _Thread_local size_t	said;	/* messages of this thread, printed or not */
static char		*log_text;	/* diag_record(1): what was printed since, or NULL */
static size_t		 log_len, log_cap;

/* Print one line on stderr, and keep it if recording; the lock is held. */
static void
emit(const char *line)
{
	size_t	len = strlen(line);

	fputs(line, stderr);
	if (log_text == NULL)
		return;
	if (log_len + len + 1 > log_cap) {
		while (log_len + len + 1 > log_cap)
			log_cap *= 2;
		if ((log_text = realloc(log_text, log_cap)) == NULL)
			abort();
	}
	memcpy(log_text + log_len, line, len + 1);
	log_len += len;
}

static void
vdiag(const char *kind, const char *path, size_t line, const char *fmt, va_list ap)
{
	char	msg[2048], out[4200];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (quiet)
		return;
	if (path == NULL)
		snprintf(out, sizeof(out), "folio: %s%s\n", kind, msg);
	else if (line == 0)
		snprintf(out, sizeof(out), "%s: %s%s\n", path, kind, msg);
	else
		snprintf(out, sizeof(out), "%s:%zu: %s%s\n", path, line, kind, msg);
	if (out[strlen(out) - 1] != '\n')	/* cut: still one line */
		out[sizeof(out) - 2] = '\n';
	emit(out);
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

void
diag_notice(const char *fmt, ...)
{
	char	msg[2048];
	va_list	ap;
	size_t	len;

	if (quiet)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg) - 1, fmt, ap);
	va_end(ap);
	len = strlen(msg);
	msg[len] = '\n';
	msg[len + 1] = '\0';
	pthread_mutex_lock(&lock);
	emit(msg);
	pthread_mutex_unlock(&lock);
}

void
diag_record(void)
{
	pthread_mutex_lock(&lock);
	free(log_text);
	log_cap = 1024;
	if ((log_text = malloc(log_cap)) == NULL)
		abort();
	log_text[0] = '\0';
	log_len = 0;
	pthread_mutex_unlock(&lock);
}

char *
diag_recorded(size_t *len)
{
	char	*text;

	pthread_mutex_lock(&lock);
	text = log_text;
	*len = log_len;
	log_text = NULL;
	log_len = log_cap = 0;
	pthread_mutex_unlock(&lock);
	return text;
}

size_t	diag_errors(void) { return nerrors; }
size_t	diag_thread_said(void) { return said; }
size_t	diag_warnings(void) { return nwarnings; }
void	diag_reset(void) { nerrors = nwarnings = 0; }
void	diag_quiet(int q) { quiet = q; }
