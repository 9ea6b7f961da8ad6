/* page.c: a scraped page's bytes -> trimmed lines (BOM, CRLF, encodings, NULs) */
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <stdlib.h>

#include "util/arena.h"
#include "util/buf.h"
#include "util/text.h"
#include "import/impl.h"

/* White space a scraped page pads lines with: ASCII, NBSP, thin spaces, zero-width, BOM. */
static size_t
space_at(const char *s, size_t n)
{
	uint32_t	cp;
	size_t		k;

	if (n == 0)
		return 0;
	if (*s == ' ' || *s == '\t' || *s == '\f' || *s == '\v')
		return 1;
	if ((unsigned char)*s < 0x80 || (k = utf8_decode(s, n, &cp)) == 0)
		return 0;
	switch (cp) {
	case 0xa0: case 0x2000: case 0x2001: case 0x2002: case 0x2003: case 0x2004:
	case 0x2005: case 0x2006: case 0x2007: case 0x2008: case 0x2009: case 0x200a:
	case 0x200b: case 0x202f: case 0x205f: case 0x3000: case 0xfeff: case 0x2060:
		return k;
	}
	return 0;
}

/* Bytes of the last white-space character ending at s[n-1], or 0. */
static size_t
space_before(const char *s, size_t n)
{
	size_t	k;

	for (k = 1; k <= 3 && k <= n; k++)
		if (space_at(s + n - k, k) == k)
			return k;
	return 0;
}

/*
 * Make the text UTF-8 with LF line ends: drop a BOM, turn CRLF and lone CR
 * into LF, drop NULs, and read a page that is not UTF-8 as Windows-1252's
 * Latin-1 subset (a warning says so).
 */
static char *
normalise(struct page *p, const char *text, size_t len, size_t *outlen)
{
	struct buf	 b;
	size_t		 i;
	int		 latin1;
	char		*s;

	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		text += 3, len -= 3;
	latin1 = utf8_check(text, len) != len;
	if (latin1) {
		/* a NUL makes utf8_check stop too; only count real encoding errors */
		size_t	j = 0, k;
		uint32_t cp;

		latin1 = 0;
		while (j < len) {
			if ((unsigned char)text[j] < 0x80) {
				j++;
				continue;
			}
			if ((k = utf8_decode(text + j, len - j, &cp)) == 0) {
				latin1 = 1;
				break;
			}
			j += k;
		}
	}
	if (latin1)
		page_warn(p, 0, "not UTF-8; read as Latin-1");
	buf_init(&b);
	buf_grow(&b, len + 1);
	for (i = 0; i < len; i++) {
		unsigned char	c = (unsigned char)text[i];

		if (c == '\r') {
			buf_putc(&b, '\n');
			if (i + 1 < len && text[i + 1] == '\n')
				i++;
		} else if (c == 0) {
			continue;
		} else if (latin1 && c >= 0x80) {
			utf8_encode(&b, c);
		} else {
			buf_putc(&b, c);
		}
	}
	s = arena_strndup(p->ar, b.data, b.len);
	*outlen = b.len;
	buf_free(&b);
	return s;
}

int
page_load(struct page *p, const char *text, size_t len)
{
	char		*t;
	size_t		 tlen, i, start, n, cap = 0, a, z, k;
	struct line	*l;

	t = normalise(p, text, len, &tlen);
	p->lines = NULL;
	p->n = 0;
	for (start = 0; start <= tlen; start = i + 1) {
		for (i = start; i < tlen && t[i] != '\n'; i++)
			;
		if (i == tlen && start == tlen && tlen > 0)
			break;		/* text ended with a newline */
		n = p->n;
		p->lines = grow_array(p->ar, p->lines, n + 1, &cap, sizeof(*p->lines));
		l = &p->lines[n];
		a = start;
		z = i;
		while (a < z && (k = space_at(t + a, z - a)) > 0)
			a += k;
		while (z > a && (k = space_before(t + a, z - a)) > 0)
			z -= k;
		l->indent = a > start;
		l->s = arena_strndup(p->ar, t + a, z - a);
		l->len = z - a;
		l->no = n + 1;
		p->n = n + 1;
	}
	return 0;
}

void
page_warn(struct page *p, size_t line, const char *fmt, ...)
{
	struct import_result	*r = p->res;
	va_list			 ap;
	char			 msg[512];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	r->warnings = grow_array(p->ar, r->warnings, r->nwarnings + 1, &r->wcap,
	    sizeof(*r->warnings));
	r->warnings[r->nwarnings].line = line;
	r->warnings[r->nwarnings].msg = arena_strdup(p->ar, msg);
	r->nwarnings++;
}

/* Room for n items in an arena array, doubling; returns the (maybe moved) array. */
void *
grow_array(struct arena *ar, void *old, size_t n, size_t *cap, size_t size)
{
	void	*a;
	size_t	 ncap;

	if (n <= *cap)
		return old;
	ncap = *cap ? *cap * 2 : 8;
	while (ncap < n)
		ncap *= 2;
	a = arena_array(ar, ncap, size);
	if (old != NULL && *cap > 0)
		memcpy(a, old, *cap * size);
	*cap = ncap;
	return a;
}

int
line_blank(const struct line *l)
{
	return l->len == 0 || l->drop;
}

/* Case-insensitive ASCII prefix; *rest (if not NULL) points past it. */
int
starts_with_ci(const char *s, const char *prefix, const char **rest)
{
	size_t	n = strlen(prefix);

	if (strncasecmp(s, prefix, n) != 0)
		return 0;
	if (rest != NULL)
		*rest = s + n;
	return 1;
}

int
is_url(const char *s)
{
	return (strncmp(s, "http://", 7) == 0 || strncmp(s, "https://", 8) == 0 ||
	    strncmp(s, "www.", 4) == 0) && strchr(s, ' ') == NULL;
}

/* Does the text end like a whole sentence (. ! ? … or a closing quote)? */
int
ends_sentence(const char *s, size_t len)
{
	static const char *const ends[] = {
		".", "!", "?", ":", ")", "\"", "'", "\xe2\x80\xa6", "\xe2\x80\x9d",
		"\xe2\x80\x99", "\xc2\xbb", NULL
	};
	size_t	i, n;

	for (i = 0; ends[i] != NULL; i++) {
		n = strlen(ends[i]);
		if (len >= n && memcmp(s + len - n, ends[i], n) == 0)
			return 1;
	}
	return 0;
}

/* Same words, ignoring case, spacing, accents and punctuation (quote styles differ). */
int
same_text(const char *a, const char *b)
{
	char	*fa, *fb;
	int	 eq;

	if (strcmp(a, b) == 0)
		return 1;
	fa = fold_key(a);
	fb = fold_key(b);
	eq = fa[0] != '\0' && strcmp(fa, fb) == 0;
	free(fa);
	free(fb);
	return eq;
}

/* The text after a list bullet ("• ", "· ", "▪ ", "* ", "- "), or NULL. */
const char *
strip_bullet(const char *s)
{
	static const char *const bullets[] = {
		"\xe2\x80\xa2", "\xc2\xb7", "\xe2\x96\xaa", "\xe2\x97\xa6", "\xe2\x97\x8f",
		"*", "-", NULL
	};
	size_t	i, n;

	for (i = 0; bullets[i] != NULL; i++) {
		n = strlen(bullets[i]);
		if (strncmp(s, bullets[i], n) == 0) {
			s += n;
			if (*s != ' ' && *s != '\t' && strncmp(s, "\xc2\xa0", 2) != 0)
				return NULL;
			while (*s == ' ' || *s == '\t' || strncmp(s, "\xc2\xa0", 2) == 0)
				s += (*s == ' ' || *s == '\t') ? 1 : 2;
			return s;
		}
	}
	return NULL;
}
