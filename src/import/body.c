/* body.c: a post's lines -> Markdown (paragraphs, lists, links), text unaltered */
#include <ctype.h>
#include <string.h>

#include "util/arena.h"
#include "util/buf.h"
#include "import/impl.h"

/* Labels glued before a photo caption by news sites. */
static const char *const caption_labels[] = {
	"Image caption", "L\xc3\xa9gende de l'image", NULL
};

/* Length of a link starting at s, without trailing punctuation. */
static size_t
link_len(const char *s)
{
	size_t	n = 0;

	while (s[n] != '\0' && s[n] != ' ' && s[n] != '<' && s[n] != '>' && s[n] != '"' &&
	    (unsigned char)s[n] >= 0x21 && (unsigned char)s[n] < 0x80)
		n++;
	while (n > 0 && strchr(".,;:!?)'", s[n - 1]) != NULL)
		n--;
	return n;
}

/*
 * One line of text as Markdown that renders to the same text: block
 * markers at the start and inline markers anywhere are backslash-escaped,
 * links become autolinks.
 */
void
md_escape_line(struct buf *b, const char *s)
{
	const char	*q;
	size_t		 n;

	/* block starts: "# ", "> ", "- ", "+ ", "* ", "1. ", "1) ", "=", "|", "~~~" */
	if (*s == '#' || *s == '>' || *s == '-' || *s == '+' || *s == '=') {
		buf_putc(b, '\\');
	} else if (isdigit((unsigned char)*s)) {
		for (q = s; isdigit((unsigned char)*q); q++)
			;
		if ((*q == '.' || *q == ')') && (q[1] == ' ' || q[1] == '\0')) {
			buf_put(b, s, (size_t)(q - s));
			buf_putc(b, '\\');
			s = q;
		}
	}
	while (*s != '\0') {
		if ((strncmp(s, "http://", 7) == 0 || strncmp(s, "https://", 8) == 0) &&
		    (n = link_len(s)) > 8) {
			buf_putc(b, '<');
			buf_put(b, s, n);
			buf_putc(b, '>');
			s += n;
			continue;
		}
		switch (*s) {
		case '\\': case '`': case '*': case '_': case '[': case ']': case '<':
		case '>': case '~': case '|':
			buf_putc(b, '\\');
			buf_putc(b, *s);
			break;
		case '&':
			/* only an entity-like run would be read as one */
			for (q = s + 1; isalnum((unsigned char)*q) || *q == '#'; q++)
				;
			if (*q == ';' && q > s + 1)
				buf_putc(b, '\\');
			buf_putc(b, '&');
			break;
		default:
			buf_putc(b, *s);
		}
		s++;
	}
}

/*
 * The Markdown of lines [from, to) that are not dropped: each line is a
 * paragraph, bulleted lines make one list, a photo caption printed twice
 * is kept once. Returns "" for no text.
 */
const char *
body_markdown(struct page *p, size_t from, size_t to)
{
	struct buf	 b;
	const char	*prev = NULL, *s, *item, *r;
	size_t		 i, k;
	int		 inlist = 0;
	char		*out;

	buf_init(&b);
	for (i = from; i < to && i < p->n; i++) {
		if (line_blank(&p->lines[i]))
			continue;
		s = p->lines[i].s;
		for (k = 0; caption_labels[k] != NULL; k++)
			if (starts_with_ci(s, caption_labels[k], &r)) {
				while (*r == ' ' || strncmp(r, "\xc2\xa0", 2) == 0)
					r += *r == ' ' ? 1 : 2;
				s = r;
			}
		if (*s == '\0')
			continue;
		if (prev != NULL && same_text(prev, s))
			continue;	/* a caption or heading printed twice */
		prev = s;
		if ((item = strip_bullet(s)) != NULL && *item != '\0' && strcmp(s, "-") != 0) {
			if (!inlist && b.len > 0)
				buf_putc(&b, '\n');
			buf_puts(&b, "- ");
			md_escape_line(&b, item);
			buf_putc(&b, '\n');
			inlist = 1;
			continue;
		}
		if (b.len > 0)
			buf_putc(&b, '\n');
		md_escape_line(&b, s);
		buf_putc(&b, '\n');
		inlist = 0;
	}
	out = arena_strndup(p->ar, b.data, b.len);
	buf_free(&b);
	return out;
}
