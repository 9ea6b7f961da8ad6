/* fuzz_import.c: scraped page text -> posts (import_page_text), nothing written */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "import/import.h"
#include "util/arena.h"
#include "util/diag.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena		*ar = arena_new();
	struct import_result	 res;
	size_t			 i, j;

	diag_quiet(getenv("FUZZ_VERBOSE") == NULL);
	memset(&res, 0, sizeof(res));
	if (import_page_text(ar, "fuzz.txt", (const char *)data, size, &res) == 0) {
		/* every post is whole: the strings it promises are there */
		for (i = 0; i < res.nposts; i++) {
			const struct import_post *p = &res.posts[i];
			if (p->title == NULL || p->body == NULL)
				abort();
			for (j = 0; j < p->ntags; j++)
				if (p->tags[j] == NULL)
					abort();
			for (j = 0; j < p->nsources; j++)
				if (p->sources[j].name == NULL)
					abort();
			(void)strlen(p->body);
		}
	} else if (res.error == NULL)
		abort();	/* -1 must say why */
	arena_free(ar);
	return 0;
}
