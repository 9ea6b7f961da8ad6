/* fuzz_frontmatter.c: one .md file -> struct article (article_parse), and back
 * through the front-matter emitter: what folio writes, folio must read again. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "folio.h"
#include "content/content.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/diag.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena	*ar = arena_new();
	struct article	*a, *b;
	struct buf	 out;
	char		*title;
	size_t		 i;

	diag_quiet(getenv("FUZZ_VERBOSE") == NULL);
	a = article_parse(ar, "fuzz.md", (const char *)data, size);	/* NULL is fine; crashes aren't */
	title = frontmatter_title((const char *)data, size);
	if ((a == NULL) != (title == NULL) && a != NULL)
		abort();	/* a parsed article always has a title */
	free(title);
	diag_quiet(1);		/* frontmatter_title() turns it back off */
	if (a != NULL) {
		if (a->title == NULL || a->date_str == NULL || a->body_md == NULL)
			abort();
		/* round trip: emit the front matter, parse it again, same title, date and tags */
		buf_init(&out);
		if (frontmatter_emit(&out, a) == 0) {
			buf_put(&out, a->body_md, a->body_len);
			b = article_parse(ar, "fuzz-emitted.md", out.data, out.len);
			if (b == NULL)
				abort();
			if (strcmp(a->title, b->title) || strcmp(a->date_str, b->date_str) ||
			    a->ntags != b->ntags || a->nsources != b->nsources)
				abort();
			for (i = 0; i < a->ntags; i++)
				if (strcmp(a->tags[i], b->tags[i]))
					abort();
		}
		buf_free(&out);
	}
	arena_free(ar);
	return 0;
}
