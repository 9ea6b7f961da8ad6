/* watch.c: inotify on the folders a site is built from
 *
 * inotify watches one folder, not a tree, so each subfolder gets its own
 * watch, and a folder created (or moved in) later is added when its event
 * arrives. A single file (folio.yaml) is watched through its folder with a
 * name filter: editors that save by writing a new file and renaming it over
 * the old one would otherwise leave a watch on a deleted inode.
 */
#define _GNU_SOURCE
#include <sys/inotify.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "serve/serve.h"
#include "util/arena.h"
#include "util/diag.h"
#include "util/fsutil.h"

#define WATCH_DEPTH_MAX	32
#define DIR_EVENTS	(IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | \
			 IN_DELETE_SELF | IN_ONLYDIR)

struct wentry {
	int	 wd;
	char	*path;		/* heap */
	char	*only;		/* heap: the one name that matters, or NULL for all */
	int	 recursive;
};

struct watch {
	int		 fd;
	struct wentry	*e;
	size_t		 n, cap;
};

struct watch *
watch_open(void)
{
	struct watch	*w;
	int		 fd;

	if ((fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) == -1) {
		diag(NULL, 0, "inotify: %s", strerror(errno));
		return NULL;
	}
	w = xcalloc(1, sizeof(*w));
	w->fd = fd;
	return w;
}

static struct wentry *
find(struct watch *w, int wd)
{
	size_t	i;

	for (i = 0; i < w->n; i++)
		if (w->e[i].wd == wd)
			return &w->e[i];
	return NULL;
}

static int
add(struct watch *w, const char *dir, const char *only, int recursive)
{
	struct wentry	*e;
	int		 wd;

	if ((wd = inotify_add_watch(w->fd, dir, DIR_EVENTS)) == -1) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 0;
		return diag(dir, 0, "cannot watch: %s", strerror(errno));
	}
	if ((e = find(w, wd)) != NULL) {	/* the same folder twice: widen the filter */
		if (only == NULL || (e->only && strcmp(e->only, only) != 0)) {
			free(e->only);
			e->only = NULL;
		}
		e->recursive |= recursive;
		return 0;
	}
	if (w->n == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 32;
		w->e = xreallocarray(w->e, w->cap, sizeof(*w->e));
	}
	e = &w->e[w->n++];
	e->wd = wd;
	e->path = xstrdup(dir);
	e->only = only ? xstrdup(only) : NULL;
	e->recursive = recursive;
	return 0;
}

static int
tree(struct watch *w, const char *dir, int depth)
{
	DIR		*d;
	struct dirent	*de;
	struct stat	 st;
	char		*p;
	int		 rc;

	if (depth > WATCH_DEPTH_MAX)
		return diag(dir, 0, "folders nested too deep to watch");
	if ((rc = add(w, dir, NULL, 1)) == -1)
		return -1;
	if ((d = opendir(dir)) == NULL)
		return 0;			/* gone already, or not a folder */
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		p = path_join(dir, de->d_name);
		if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
			rc |= tree(w, p, depth + 1);
		free(p);
	}
	closedir(d);
	return rc;
}

int
watch_tree(struct watch *w, const char *dir)
{
	return tree(w, dir, 0);
}

int
watch_file(struct watch *w, const char *path)
{
	char	*a = xstrdup(path), *b = xstrdup(path);
	int	 rc;

	rc = add(w, dirname(a), basename(b), 0);
	free(a);
	free(b);
	return rc;
}

int
watch_fd(const struct watch *w)
{
	return w->fd;
}

/* Editors' swap and backup files, and hidden files, are not part of a site. */
static int
ignored(const char *name)
{
	size_t	len = strlen(name);

	if (len == 0 || name[0] == '.' || name[len - 1] == '~' || strcmp(name, "4913") == 0)
		return 1;
	return len > 4 && (strcmp(name + len - 4, ".swp") == 0 || strcmp(name + len - 4, ".swx") == 0);
}

int
watch_read(struct watch *w)
{
	char				 ev[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
	const struct inotify_event	*ie;
	struct wentry			*e;
	ssize_t				 len;
	char				*p;
	int				 changed = 0;

	for (;;) {
		if ((len = read(w->fd, ev, sizeof(ev))) == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return changed;
			return diag(NULL, 0, "inotify: %s", strerror(errno));
		}
		for (p = ev; p < ev + len; p += sizeof(*ie) + ie->len) {
			ie = (const struct inotify_event *)p;
			if (ie->mask & IN_Q_OVERFLOW) {
				changed = 1;
				continue;
			}
			if ((e = find(w, ie->wd)) == NULL)
				continue;
			if (ie->mask & IN_IGNORED) {	/* the folder went away */
				free(e->path);
				free(e->only);
				*e = w->e[--w->n];
				changed = 1;
				continue;
			}
			if (ie->mask & IN_DELETE_SELF) {
				changed = 1;
				continue;
			}
			if (ie->len == 0 || ignored(ie->name))
				continue;
			if (e->only && strcmp(e->only, ie->name) != 0)
				continue;
			changed = 1;
			if (e->recursive && (ie->mask & IN_ISDIR) &&
			    (ie->mask & (IN_CREATE | IN_MOVED_TO))) {
				char *sub = path_join(e->path, ie->name);
				tree(w, sub, 0);	/* e may move: add() grows the array */
				free(sub);
			}
		}
	}
}

void
watch_close(struct watch *w)
{
	size_t	i;

	if (w == NULL)
		return;
	for (i = 0; i < w->n; i++) {
		free(w->e[i].path);
		free(w->e[i].only);
	}
	free(w->e);
	close(w->fd);
	free(w);
}
