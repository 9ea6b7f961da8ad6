/* history.c: placeholder until the git history lands */
#include <stddef.h>

#include "folio.h"
#include "git/git.h"
#include "util/arena.h"

struct history *
history_collect(struct arena *ar, const char *content_dir, const struct history_opts *o)
{
	(void)content_dir; (void)o;
	return arena_alloc(ar, sizeof(struct history));
}

const struct file_history *
history_find(const struct history *h, const char *relpath)
{
	(void)h; (void)relpath;
	return NULL;
}
