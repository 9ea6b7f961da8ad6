/* fuzz_config.c: folio.yaml -> struct config (config_load reads a path, so the
 * input goes into a memfd and is read back through /proc/self/fd/N) */
#define _GNU_SOURCE
#include <sys/mman.h>

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "folio.h"
#include "content/content.h"
#include "util/arena.h"
#include "util/diag.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int	fd = -1;
static char	path[64];

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena	*ar = arena_new();
	struct config	*c;
	size_t		 len;

	diag_quiet(getenv("FUZZ_VERBOSE") == NULL);
	if (fd == -1) {
		if ((fd = memfd_create("folio.yaml", 0)) == -1)
			abort();
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) == -1 || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	c = config_load(ar, path);
	if (c != NULL) {
		/* what the rest of folio takes for granted */
		if (c->title == NULL || c->base_url == NULL || c->base_path == NULL ||
		    c->language == NULL || c->theme == NULL || c->output == NULL ||
		    c->content_dir == NULL || c->per_page == 0 || c->feed_size == 0)
			abort();
		len = strlen(c->base_url);
		if (len == 0 || c->base_url[len - 1] != '/' || c->base_path[0] != '/')
			abort();
		if (strchr(c->theme, '/') || strcmp(c->theme, "..") == 0)
			abort();
	}
	arena_free(ar);
	return 0;
}
