/* test_markdown.c: markdown_render() on its scratch memory gives what cmark-gfm gives on malloc */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>

#include "check.h"
#include "render/render.h"
#include "util/buf.h"

/* The reference: the same options and extensions, cmark's own allocator. */
static char *
reference(const char *md, int unsafe)
{
	static const char *const names[] = { "table", "strikethrough", "autolink", "tagfilter", NULL };
	int		 opts = CMARK_OPT_SMART | CMARK_OPT_VALIDATE_UTF8 | (unsafe ? CMARK_OPT_UNSAFE : 0);
	cmark_parser	*p = cmark_parser_new(opts);
	cmark_node	*doc;
	char		*html;
	size_t		 i;

	for (i = 0; names[i]; i++)
		cmark_parser_attach_syntax_extension(p, cmark_find_syntax_extension(names[i]));
	cmark_parser_feed(p, md, strlen(md));
	doc = cmark_parser_finish(p);
	html = cmark_render_html(doc, opts, cmark_parser_get_syntax_extensions(p));
	cmark_node_free(doc);
	cmark_parser_free(p);
	return html;
}

/* The same HTML as the reference, with cmark checking the UTF-8 and (valid text) without. */
static int
same_as_reference(const char *md, int unsafe)
{
	char	*html, *trusted, *summary, *ref = reference(md, unsafe);
	int	 same;

	markdown_render(md, strlen(md), unsafe ? MD_UNSAFE : 0, &html, &summary, 40);
	markdown_render(md, strlen(md), (unsafe ? MD_UNSAFE : 0) | MD_UTF8, &trusted, NULL, 40);
	same = strcmp(html, ref) == 0 && strcmp(trusted, ref) == 0 && summary != NULL;
	if (!same)
		printf("differs from cmark-gfm's own for: %.60s...\n", md);
	free(html);
	free(trusted);
	free(summary);
	free(ref);
	return same;
}

/* A document of about n bytes with every kind of block the extensions add. */
static char *
big_document(size_t n)
{
	struct buf	b;
	size_t		i;

	buf_init(&b);
	for (i = 0; b.len < n; i++) {
		buf_printf(&b, "## Part %zu\n\nA \"quoted\" paragraph -- with *emphasis*, ~~struck~~, "
		    "https://example.org/%zu and <b>raw</b> HTML.\n\n", i, i);
		buf_printf(&b, "| a | b |\n|---|---|\n| %zu | Zoë |\n\n- one\n- two\n  > quoted %zu\n\n", i, i);
	}
	return buf_release(&b);
}

static void *
render_many(void *arg)
{
	const char	*md = arg;
	int		 i, ok = 1;

	for (i = 0; i < 6; i++)
		ok &= same_as_reference(md, i % 2);
	return (void *)(long)ok;
}

int
main(void)
{
	static const char *const small[] = {
		"", "plain", "*a* **b** `c`", "1. x\n2. y\n\n---\n\n```c\nint x;\n```\n",
		"<script>alert(1)</script>\n\n<div>x</div>", "a\0b", "| x |\n|---|\n| y |\n",
		"“quotes” and 'single' -- and --- and ...", "[link](javascript:alert(1)) www.example.org",
	};
	char		*big = big_document(1 << 20), *mid = big_document(300 * 1024);
	pthread_t	 th;
	void		*other;
	size_t		 i;

	markdown_init();
	for (i = 0; i < sizeof(small) / sizeof(small[0]); i++) {
		CHECK(same_as_reference(small[i], 0));
		CHECK(same_as_reference(small[i], 1));
	}
	/* not UTF-8 (folio.markdown() takes any string): checked, the bad byte replaced */
	{
		const char	*bad = "caf\xe9 au lait";
		char		*html, *ref = reference(bad, 0);

		markdown_render(bad, strlen(bad), 0, &html, NULL, 40);
		CHECK(strcmp(html, ref) == 0 && strstr(html, "caf\xef\xbf\xbd au lait") != NULL);
		free(html);
		free(ref);
	}
	CHECK(same_as_reference(big, 0));	/* blocks and buffers larger than a chunk */
	CHECK(same_as_reference(big, 1));
	/* one render after another, on two threads at once: each thread's own scratch space */
	CHECK(pthread_create(&th, NULL, render_many, mid) == 0);
	CHECK(render_many((void *)(uintptr_t)small[3]) == (void *)1L);
	pthread_join(th, &other);
	CHECK(other == (void *)1L);
	free(big);
	free(mid);
	return check_done();
}
