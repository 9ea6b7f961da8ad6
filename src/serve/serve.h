/* serve.h: `folio serve`: build, serve on loopback, rebuild on change.
 * The only includer of libmicrohttpd. */
#ifndef SERVE_H
#define SERVE_H

#include <stddef.h>

/* --- watch.c: inotify on folders (recursive) and single files --- */
struct watch;

/* A watch with nothing in it yet; NULL after printing why. */
struct watch	*watch_open(void);
/* Watch a folder and everything below it; new subfolders are added as they appear.
 * An absent folder is skipped (returns 0). */
int		 watch_tree(struct watch *, const char *dir);
/* Watch one file by its folder, so that editors that save by rename are seen. */
int		 watch_file(struct watch *, const char *path);
int		 watch_fd(const struct watch *);
/* Read the pending events; returns 1 if one of them is a change that matters
 * (not an editor's temporary file), 0 if none, -1 on error. Never blocks. */
int		 watch_read(struct watch *);
void		 watch_close(struct watch *);

#endif
