/* diag.h: "path:line: message" on stderr, counted */
#ifndef UTIL_DIAG_H
#define UTIL_DIAG_H

#include <stddef.h>

/* "path:line: msg" ("path: msg" if line is 0, "folio: msg" if path is NULL); returns -1 */
int	diag(const char *path, size_t line, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* same, prefixed "warning: ", counted apart; returns 0 */
int	diag_warn(const char *path, size_t line, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* one line on stderr as it is (a notice: neither an error nor a warning), unless quiet */
void	diag_notice(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2)));
/* Keep a copy of every line printed from now on (errors, warnings, notices)... */
void	diag_record(void);
/* ...and take it, NUL-terminated (NULL if not recording); the caller frees it. Recording stops. */
char	*diag_recorded(size_t *len);
size_t	diag_errors(void);
size_t	diag_warnings(void);
void	diag_reset(void);
size_t	diag_thread_said(void);	/* errors and warnings of this thread so far, quiet or not */
void	diag_quiet(int);	/* 1: this thread neither prints nor counts */

#endif
