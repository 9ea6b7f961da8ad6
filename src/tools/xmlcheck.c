/* xmlcheck.c: is a feed or a sitemap well-formed XML? (XML 1.0, section 2)
 *
 * Not a parser: one pass that checks what a reader would choke on (tags
 * that do not nest, a second root, bad attributes, an '&' that is not a
 * reference, undefined entities, characters XML forbids, invalid UTF-8)
 * and reports the first problem with its line, as a real parser would.
 * No DTD is read: the only named entities are XML's five.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/internal.h"
#include "util/arena.h"
#include "util/diag.h"
#include "util/text.h"

#define XML_DEPTH_MAX	1024
#define XML_ATTRS_MAX	256

struct xp {
	const char	*path;
	const char	*p, *end;
	size_t		 line;
	const char	*why;		/* first problem, set once */
	size_t		 why_line;
	char		 msg[256];
};

static int
bad(struct xp *x, const char *fmt, const char *a, size_t alen)
{
	if (x->why == NULL) {
		if (alen > 60)
			alen = 60;
		snprintf(x->msg, sizeof(x->msg), fmt, (int)alen, a ? a : "");
		x->why = x->msg;
		x->why_line = x->line;
	}
	return -1;
}

static void
advance(struct xp *x, size_t n)
{
	while (n-- > 0 && x->p < x->end)
		if (*x->p++ == '\n')
			x->line++;
}

/* Move past the first occurrence of pat; -1 if there is none. */
static int
skip_past(struct xp *x, const char *pat)
{
	size_t	 pl = strlen(pat);
	const char *q;

	for (q = x->p; q + pl <= x->end; q++)
		if (memcmp(q, pat, pl) == 0) {
			advance(x, (size_t)(q - x->p) + pl);
			return 0;
		}
	return -1;
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void
skip_space(struct xp *x)
{
	while (x->p < x->end && is_space(*x->p))
		advance(x, 1);
}

static int
name_start(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' || c >= 0x80;
}

static int
name_char(unsigned char c)
{
	return name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

static size_t
name_len(const struct xp *x)
{
	const char	*q = x->p;

	if (q >= x->end || !name_start((unsigned char)*q))
		return 0;
	while (q < x->end && name_char((unsigned char)*q))
		q++;
	return (size_t)(q - x->p);
}

/* XML 1.0 section 2.2: Char */
static int
xml_char(unsigned long c)
{
	return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
	    (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

/* At '&': a reference (section 4.1) to one of the five predefined entities or a character. */
static int
reference(struct xp *x)
{
	const char	*q = x->p + 1, *semi;
	unsigned long	 c = 0;
	int		 hex, digits = 0;

	for (semi = q; semi < x->end && semi - q < 32 && *semi != ';'; semi++)
		;
	if (semi >= x->end || *semi != ';')
		return bad(x, "'&' is not the start of a reference (write &amp;)", NULL, 0);
	if (*q == '#') {
		hex = q[1] == 'x';
		for (q += hex ? 2 : 1; q < semi; q++, digits++) {
			if (*q >= '0' && *q <= '9')
				c = c * (hex ? 16 : 10) + (unsigned long)(*q - '0');
			else if (hex && ((*q >= 'a' && *q <= 'f') || (*q >= 'A' && *q <= 'F')))
				c = c * 16 + (unsigned long)((*q | 0x20) - 'a' + 10);
			else
				digits = -1000;
			if (c > 0x10FFFF)
				c = 0x110000;
		}
		if (digits <= 0 || !xml_char(c))
			return bad(x, "bad character reference '%.*s'", x->p, (size_t)(semi - x->p) + 1);
	} else {
		size_t	len = (size_t)(semi - q);
		if (!((len == 3 && memcmp(q, "amp", 3) == 0) || (len == 2 && memcmp(q, "lt", 2) == 0) ||
		    (len == 2 && memcmp(q, "gt", 2) == 0) || (len == 4 && memcmp(q, "quot", 4) == 0) ||
		    (len == 4 && memcmp(q, "apos", 4) == 0)))
			return bad(x, "undefined entity '%.*s' (XML knows only amp, lt, gt, quot, apos)",
			    x->p, (size_t)(semi - x->p) + 1);
	}
	advance(x, (size_t)(semi - x->p) + 1);
	return 0;
}

/* Character data up to the next '<' (or a quote, in an attribute value). */
static int
chars(struct xp *x, char stop)
{
	unsigned char	c;

	while (x->p < x->end && *x->p != '<' && *x->p != stop) {
		c = (unsigned char)*x->p;
		if (c == '&') {
			if (reference(x) == -1)
				return -1;
			continue;
		}
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
			return bad(x, "control character not allowed in XML%.*s", "", 0);
		if (stop == 0 && c == ']' && x->end - x->p >= 3 && memcmp(x->p, "]]>", 3) == 0)
			return bad(x, "']]>' in text%.*s", "", 0);
		advance(x, 1);
	}
	return 0;
}

/* After "<name": attributes up to '>' or "/>"; *empty is set for "/>". */
static int
attributes(struct xp *x, int *empty)
{
	const char	*names[XML_ATTRS_MAX];
	size_t		 lens[XML_ATTRS_MAX], n = 0, len, i;
	char		 q;

	for (;;) {
		int sp = x->p < x->end && is_space(*x->p);
		skip_space(x);
		if (x->p >= x->end)
			return bad(x, "tag not closed at end of file%.*s", "", 0);
		if (*x->p == '>') {
			advance(x, 1);
			*empty = 0;
			return 0;
		}
		if (*x->p == '/' && x->p + 1 < x->end && x->p[1] == '>') {
			advance(x, 2);
			*empty = 1;
			return 0;
		}
		if (!sp)
			return bad(x, "expected a space, '>' or '/>' in a tag, got '%.*s'", x->p, 1);
		if ((len = name_len(x)) == 0)
			return bad(x, "expected an attribute name, got '%.*s'", x->p, 1);
		for (i = 0; i < n; i++)
			if (lens[i] == len && memcmp(names[i], x->p, len) == 0)
				return bad(x, "attribute '%.*s' given twice", x->p, len);
		if (n < XML_ATTRS_MAX) {
			names[n] = x->p;
			lens[n++] = len;
		}
		advance(x, len);
		skip_space(x);
		if (x->p >= x->end || *x->p != '=')
			return bad(x, "attribute '%.*s' has no value", names[n - 1], lens[n - 1]);
		advance(x, 1);
		skip_space(x);
		if (x->p >= x->end || (*x->p != '"' && *x->p != '\''))
			return bad(x, "attribute value must be quoted%.*s", "", 0);
		q = *x->p;
		advance(x, 1);
		if (chars(x, q) == -1)
			return -1;
		if (x->p >= x->end || *x->p != q)
			return bad(x, "'<' in an attribute value, or the value is not closed%.*s", "", 0);
		advance(x, 1);
	}
}

static int
walk(struct xp *x, const char *root_want, const char **root, size_t *root_len)
{
	const char	**stack = NULL;
	size_t		 *slen = NULL, depth = 0, len;
	int		  seen_root = 0, empty, rc = -1;

	stack = xreallocarray(NULL, XML_DEPTH_MAX, sizeof(*stack));
	slen = xreallocarray(NULL, XML_DEPTH_MAX, sizeof(*slen));
	while (x->p < x->end) {
		if (*x->p != '<') {
			if (depth == 0) {
				if (!is_space(*x->p)) {
					bad(x, seen_root ? "text after the root element: '%.*s'" :
					    "text before the root element: '%.*s'", x->p, 1);
					goto out;
				}
				advance(x, 1);
				continue;
			}
			if (chars(x, 0) == -1)
				goto out;
			continue;
		}
		if (x->end - x->p >= 4 && memcmp(x->p, "<!--", 4) == 0) {
			if (skip_past(x, "-->") == -1) {
				bad(x, "comment not closed%.*s", "", 0);
				goto out;
			}
		} else if (x->end - x->p >= 9 && memcmp(x->p, "<![CDATA[", 9) == 0) {
			if (depth == 0) {
				bad(x, "CDATA outside the root element%.*s", "", 0);
				goto out;
			}
			if (skip_past(x, "]]>") == -1) {
				bad(x, "CDATA section not closed%.*s", "", 0);
				goto out;
			}
		} else if (x->end - x->p >= 2 && x->p[1] == '?') {
			if (skip_past(x, "?>") == -1) {
				bad(x, "processing instruction not closed%.*s", "", 0);
				goto out;
			}
		} else if (x->end - x->p >= 9 && memcmp(x->p, "<!DOCTYPE", 9) == 0 && !seen_root) {
			if (skip_past(x, ">") == -1) {
				bad(x, "DOCTYPE not closed%.*s", "", 0);
				goto out;
			}
		} else if (x->end - x->p >= 2 && x->p[1] == '/') {
			advance(x, 2);
			len = name_len(x);
			if (depth == 0) {
				bad(x, "end tag '</%.*s>' without a start tag", x->p, len);
				goto out;
			}
			if (len != slen[depth - 1] || memcmp(x->p, stack[depth - 1], len) != 0) {
				char	want[64];
				snprintf(want, sizeof(want), "%.*s", (int)(slen[depth - 1] > 40 ? 40 :
				    slen[depth - 1]), stack[depth - 1]);
				bad(x, "end tag '</%.*s>' does not match the open element", x->p, len);
				if (x->why == x->msg) {
					size_t used = strlen(x->msg);
					snprintf(x->msg + used, sizeof(x->msg) - used, " '<%s>'", want);
				}
				goto out;
			}
			advance(x, len);
			skip_space(x);
			if (x->p >= x->end || *x->p != '>') {
				bad(x, "end tag not closed with '>'%.*s", "", 0);
				goto out;
			}
			advance(x, 1);
			depth--;
		} else {
			advance(x, 1);
			if ((len = name_len(x)) == 0) {
				bad(x, "'<' not followed by a name (write &lt;)%.*s", "", 0);
				goto out;
			}
			if (depth == 0 && seen_root) {
				bad(x, "a second root element '<%.*s>'", x->p, len);
				goto out;
			}
			if (depth == 0) {
				seen_root = 1;
				*root = x->p;
				*root_len = len;
				if (root_want && (len != strlen(root_want) || memcmp(x->p, root_want, len) != 0)) {
					bad(x, "the root element is '<%.*s>'", x->p, len);
					if (x->why == x->msg) {
						size_t used = strlen(x->msg);
						snprintf(x->msg + used, sizeof(x->msg) - used, "; expected '<%s>'",
						    root_want);
					}
					goto out;
				}
			}
			if (depth == XML_DEPTH_MAX) {
				bad(x, "elements nested too deep%.*s", "", 0);
				goto out;
			}
			stack[depth] = x->p;
			slen[depth] = len;
			advance(x, len);
			if (attributes(x, &empty) == -1)
				goto out;
			if (!empty)
				depth++;
		}
	}
	if (depth > 0) {
		bad(x, "'<%.*s>' is not closed at the end of the file", stack[depth - 1], slen[depth - 1]);
		goto out;
	}
	if (!seen_root) {
		bad(x, "no root element%.*s", "", 0);
		goto out;
	}
	rc = 0;
out:
	free(stack);
	free(slen);
	return rc;
}

int
xml_check(const char *path, const char *text, size_t len, const char *root_want)
{
	struct xp	 x;
	const char	*root = NULL;
	size_t		 root_len = 0, bad_at, i, line = 1;

	memset(&x, 0, sizeof(x));
	x.path = path;
	x.p = text;
	x.end = text + len;
	x.line = 1;
	if ((bad_at = utf8_check(text, len)) != len) {
		for (i = 0; i < bad_at; i++)
			line += text[i] == '\n';
		return diag(path, line, "not well-formed XML: invalid UTF-8 (byte %zu)", bad_at + 1);
	}
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		x.p += 3;
	if (walk(&x, root_want, &root, &root_len) == -1)
		return diag(path, x.why_line, "not well-formed XML: %s", x.why ? x.why : "error");
	return 0;
}
