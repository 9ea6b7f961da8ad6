/* watchdog.h: a wall-clock limit on each page a theme renders
 *
 * Lua's instruction limit cannot see time spent inside C functions such as
 * string.find with a pathological pattern. A watchdog thread looks at what
 * each worker is doing; one page that takes longer than the limit stops the
 * build with a message naming it. The output folder is left as it was. A
 * page that runs long is nudged first (the theme's instruction count starts).
 */
#ifndef WATCHDOG_H
#define WATCHDOG_H

struct watchdog;

/*
 * Watch nslots workers; seconds 0 means no limit (returns NULL). nudge, if
 * not NULL, is called from a signal handler on the thread of a slot that has
 * been on one page for WATCHDOG_NUDGE_MS, and again every tenth of a second
 * after: it must be async-signal-safe.
 */
#define WATCHDOG_NUDGE_MS	100
struct watchdog	*watchdog_start(unsigned seconds, int nslots, const char *output, void (*nudge)(void));
/* Whether w nudges (a handler is in place): the theme may count lazily. */
int		 watchdog_nudges(const struct watchdog *);
/* Slot starts on `what` (a page path or hook name that lives until watchdog_leave). */
void		 watchdog_enter(struct watchdog *, int slot, const char *what);
void		 watchdog_leave(struct watchdog *, int slot);
void		 watchdog_stop(struct watchdog *);
/* Milliseconds of the monotonic clock a watchdog times its slots by. */
long long	 watchdog_now_ms(void);

#endif
