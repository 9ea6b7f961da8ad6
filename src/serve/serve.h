/* serve.h: `folio serve`: build, serve on loopback, rebuild on change.
 * The only includer of libmicrohttpd, which mhd.c opens at run time. */
#ifndef SERVE_H
#define SERVE_H

#include <stddef.h>

#include <microhttpd.h>

/* --- mhd.c: libmicrohttpd's functions folio serve calls, opened at run time --- */

/* Each typed by the header's own declaration, so a call is checked as a direct one would be. */
struct mhd_api {
	__typeof__(MHD_start_daemon)			*start_daemon;
	__typeof__(MHD_stop_daemon)			*stop_daemon;
	__typeof__(MHD_create_response_from_buffer)	*create_response_from_buffer;
	__typeof__(MHD_create_response_from_callback)	*create_response_from_callback;
	__typeof__(MHD_create_response_from_fd)		*create_response_from_fd;
	__typeof__(MHD_add_response_header)		*add_response_header;
	__typeof__(MHD_queue_response)			*queue_response;
	__typeof__(MHD_destroy_response)		*destroy_response;
};

extern struct mhd_api	mhd;

/* Open the library and fill mhd: 0, or -1 after saying why. */
int		 mhd_open(void);

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
