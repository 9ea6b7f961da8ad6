/* markdown.c: cmark-gfm with folio's options */
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>

#include "render/render.h"
#include "render/scratch.h"
#include "util/arena.h"
#include "util/buf.h"

static const char *const extension_names[] = {
	"table", "strikethrough", "autolink", "tagfilter", NULL
};

void
markdown_init(void)
{
	cmark_gfm_core_extensions_ensure_registered();
}

/* Append text with runs of white space collapsed, counting words up to max. */
static int
add_words(struct buf *b, const char *s, size_t *words, size_t max)
{
	int	space = b->len > 0 && b->data[b->len - 1] != ' ';

	for (; *s; s++) {
		if (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r') {
			space = 1;
			continue;
		}
		if (space && b->len > 0) {
			if (++*words >= max)
				return 1;
			buf_putc(b, ' ');
		}
		space = 0;
		buf_putc(b, *s);
	}
	return 0;
}

/* The first max words of the text of paragraphs, headings aside. */
static char *
summarize(cmark_node *doc, size_t max)
{
	cmark_iter		*it = cmark_iter_new(doc);
	cmark_event_type	 ev;
	cmark_node		*n;
	struct buf		 b;
	size_t			 words = 0;
	int			 in_para = 0, done = 0;

	buf_init(&b);
	while (!done && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_PARAGRAPH:
			in_para += ev == CMARK_EVENT_ENTER ? 1 : -1;
			if (ev == CMARK_EVENT_EXIT && b.len > 0)
				buf_putc(&b, ' ');
			break;
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
			if (in_para > 0)
				done = add_words(&b, cmark_node_get_literal(n), &words, max);
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			if (in_para > 0)
				buf_putc(&b, ' ');
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
	while (b.len > 0 && b.data[b.len - 1] == ' ')
		b.data[--b.len] = '\0';
	if (done)
		buf_puts(&b, "…");
	return buf_release(&b);
}

int
markdown_render(const char *md, size_t len, int flags, char **html, char **summary,
    size_t max_words)
{
	cmark_parser			*parser;
	cmark_node			*doc;
	cmark_syntax_extension		*ext;
	cmark_llist			*exts;
	cmark_mem			*mem = scratch_allocator();
	char				*out;
	int				 opts = CMARK_OPT_SMART;
	size_t				 i;

	if (flags & MD_UNSAFE)
		opts |= CMARK_OPT_UNSAFE;
	if (!(flags & MD_UTF8))
		opts |= CMARK_OPT_VALIDATE_UTF8;	/* 2% of a clean build's instructions */
	/* every node, string and buffer of this render comes from scratch space (scratch.c) */
	parser = cmark_parser_new_with_mem(opts, mem);
	for (i = 0; extension_names[i]; i++)
		if ((ext = cmark_find_syntax_extension(extension_names[i])) != NULL)
			cmark_parser_attach_syntax_extension(parser, ext);
	cmark_parser_feed(parser, md, len);
	doc = cmark_parser_finish(parser);
	exts = cmark_parser_get_syntax_extensions(parser);
	out = cmark_render_html(doc, opts, exts);
	*html = xstrdup(out);
	mem->free(out);
	if (summary)
		*summary = summarize(doc, max_words ? max_words : 40);
	cmark_node_free(doc);
	cmark_parser_free(parser);
	scratch_reset();
	return 0;
}

char *
html_summary(const char *html, size_t max)
{
	struct buf	 b;
	size_t		 words = 0;
	int		 space = 0, intag = 0;

	buf_init(&b);
	for (; *html; html++) {
		if (*html == '<') {
			intag = 1;
			space = 1;
			continue;
		}
		if (intag) {
			if (*html == '>')
				intag = 0;
			continue;
		}
		if (*html == ' ' || *html == '\n' || *html == '\t' || *html == '\r') {
			space = 1;
			continue;
		}
		if (space && b.len > 0) {
			if (++words >= max) {
				buf_puts(&b, "…");
				break;
			}
			buf_putc(&b, ' ');
		}
		space = 0;
		buf_putc(&b, *html);
	}
	return buf_release(&b);
}
