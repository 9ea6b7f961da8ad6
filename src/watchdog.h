/* watchdog.h: a wall-clock limit on each page a theme renders
 *
 * Lua's instruction limit cannot see time spent inside C functions such as
 * string.find with a pathological pattern. A watchdog thread looks at what
 * each worker is doing; one page that takes longer than the limit stops the
 * build with a message naming it. The output folder is left as it was.
 */
#ifndef WATCHDOG_H
#define WATCHDOG_H

struct watchdog;

/* Watch nslots workers; seconds 0 means no limit (returns NULL). */
struct watchdog	*watchdog_start(unsigned seconds, int nslots, const char *output);
/* Slot starts on `what` (a page path or hook name that lives until watchdog_leave). */
void		 watchdog_enter(struct watchdog *, int slot, const char *what);
void		 watchdog_leave(struct watchdog *, int slot);
void		 watchdog_stop(struct watchdog *);

#endif
