/* text.c: UTF-8 decoding, transliteration, slugs */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "text.h"

size_t
utf8_decode(const char *str, size_t n, uint32_t *cp)
{
	const unsigned char	*s = (const unsigned char *)str;
	uint32_t		 c;
	size_t			 len, i;

	if (n == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, c = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, c = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, c = s[0] & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates, beyond U+10FFFF (RFC 3629, section 3) */
	if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

static uint64_t
load64(const char *p)
{
	uint64_t	w;

	memcpy(&w, p, sizeof(w));
	return w;
}

size_t
utf8_check(const char *s, size_t len)
{
	size_t		i = 0, n;
	uint32_t	cp;

	while (i < len) {
		if ((unsigned char)s[i] < 0x80) {
			i++;
			/* ASCII runs eight bytes at a time: most of a news article is */
			while (i + 8 <= len && !(load64(s + i) & UINT64_C(0x8080808080808080)))
				i += 8;
			continue;
		}
		if ((n = utf8_decode(s + i, len - i, &cp)) == 0)
			return i;
		i += n;
	}
	return len;
}

void
utf8_encode(struct buf *b, uint32_t cp)
{
	char	s[4];

	if (cp < 0x80) {
		buf_putc(b, (int)cp);
	} else if (cp < 0x800) {
		s[0] = (char)(0xc0 | (cp >> 6));
		s[1] = (char)(0x80 | (cp & 0x3f));
		buf_put(b, s, 2);
	} else if (cp < 0x10000) {
		s[0] = (char)(0xe0 | (cp >> 12));
		s[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		s[2] = (char)(0x80 | (cp & 0x3f));
		buf_put(b, s, 3);
	} else {
		s[0] = (char)(0xf0 | (cp >> 18));
		s[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		s[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		s[3] = (char)(0x80 | (cp & 0x3f));
		buf_put(b, s, 4);
	}
}

/* U+00C0..U+00FF */
static const char *const latin1[64] = {
	"A", "A", "A", "A", "A", "A", "AE", "C", "E", "E", "E", "E", "I", "I", "I", "I",
	"D", "N", "O", "O", "O", "O", "O", " ", "O", "U", "U", "U", "U", "Y", "TH", "ss",
	"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
	"d", "n", "o", "o", "o", "o", "o", " ", "o", "u", "u", "u", "u", "y", "th", "y",
};

/* U+0100..U+017F, Latin Extended-A: each pair is upper, lower */
static const char latinA[] =
	"AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIi??JjKkkLlLlLlLlLlNnNnNnnNnOoOoOo??RrRrRrSsSsSsSsTtTtTtUuUuUuUuUuUuWwYyYZzZzZzs";

const char *
translit(uint32_t cp)
{
	static const char	*ascii[128];
	static char		 store[128][2];
	static char		 latA[128][2];

	if (cp < 128) {
		if (ascii[cp] == NULL) {	/* racy but idempotent */
			store[cp][0] = (char)cp;
			ascii[cp] = store[cp];
		}
		return ascii[cp];
	}
	if (cp >= 0xc0 && cp <= 0xff)
		return latin1[cp - 0xc0];
	if (cp >= 0x100 && cp <= 0x17f) {
		switch (cp) {
		case 0x132: return "IJ";
		case 0x133: return "ij";
		case 0x152: return "OE";
		case 0x153: return "oe";
		case 0x149: return "n";
		}
		if (latinA[cp - 0x100] == '?')
			return NULL;
		latA[cp - 0x100][0] = latinA[cp - 0x100];
		return latA[cp - 0x100];
	}
	if (cp >= 0x300 && cp <= 0x36f)		/* combining marks: decomposed accents */
		return "";
	switch (cp) {
	case 0xa0: case 0x2000: case 0x2001: case 0x2002: case 0x2003: case 0x2004:
	case 0x2005: case 0x2006: case 0x2007: case 0x2008: case 0x2009: case 0x200a:
	case 0x202f: case 0x205f: case 0x3000:
	case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2015:
	case 0x2212: case 0xab: case 0xbb: case 0x201c: case 0x201d: case 0x201e:
	case 0x2026: case 0xb7: case 0x2022:
		return " ";
	case 0x2018: case 0x2019: case 0x201a: case 0x2032: case 0x2bc:
	case 0x200b: case 0x200c: case 0x200d: case 0x2060: case 0xfeff: case 0xad:
	case 0x200e: case 0x200f: case 0x202a: case 0x202b: case 0x202c:
	case 0x202d: case 0x202e:
		return "";
	case 0x1e9e: return "SS";
	case 0x20ac: return "EUR";
	case 0xa3: return "GBP";
	case 0xb0: return " ";
	}
	return NULL;
}

/* ASCII letters and digits, lowered; 0 for anything else (no locale: folio sets none) */
static int
ascii_alnum_lower(unsigned char c)
{
	if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'))
		return c;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 'a';
	return 0;
}

/*
 * One character of a slug: a letter or digit lowered, after a '-' if a gap
 * came before; else a gap. Inline, and buf_grow() called only when the room
 * made for the whole title runs out (never): a call per character was more
 * than a quarter of slugify()'s instructions.
 */
static inline void
slug_put(struct buf *b, unsigned char ch, int *sep)
{
	int	c;

	if (b->len + 3 > b->cap)
		buf_grow(b, 2);
	if ((c = ascii_alnum_lower(ch)) != 0) {
		if (*sep && b->len > 0)
			b->data[b->len++] = '-';
		*sep = 0;
		b->data[b->len++] = (char)c;
	} else
		*sep = 1;
}

char *
slugify(const char *s, size_t maxlen)
{
	struct buf	 b;
	size_t		 n, len = strlen(s), i = 0, cut;
	uint32_t	 cp;
	const char	*t;
	int		 sep = 0;

	buf_init(&b);
	buf_grow(&b, len * 3 + 1);	/* a character gives at most three (translit()) and a '-' replaces a gap */
	while (i < len) {
		if ((unsigned char)s[i] < 0x80) {	/* most of a title: no decoding, no table */
			if (s[i] != '\'')
				slug_put(&b, (unsigned char)s[i], &sep);
			i++;
			continue;
		}
		if ((n = utf8_decode(s + i, len - i, &cp)) == 0) {
			i++;
			continue;
		}
		if ((t = translit(cp)) == NULL)
			t = " ";
		i += n;
		for (; *t; t++)
			slug_put(&b, (unsigned char)*t, &sep);
	}
	b.data[b.len] = '\0';
	if (maxlen && b.len > maxlen) {
		cut = maxlen;
		while (cut > maxlen / 2 && b.data[cut] != '-')
			cut--;
		if (b.data[cut] != '-')
			cut = maxlen;
		b.len = cut;
		while (b.len > 0 && b.data[b.len - 1] == '-')
			b.len--;
		b.data[b.len] = '\0';
	}
	return buf_release(&b);
}

char *
fold_key(const char *s)
{
	struct buf	 b;
	size_t		 n, len = strlen(s), i = 0;
	uint32_t	 cp;
	const char	*t;

	buf_init(&b);
	while (i < len) {
		if ((n = utf8_decode(s + i, len - i, &cp)) == 0) {
			i++;
			continue;
		}
		if ((t = translit(cp)) == NULL) {	/* keep other scripts as they are */
			buf_put(&b, s + i, n);
			i += n;
			continue;
		}
		i += n;
		for (; *t; t++)
			if (isalnum((unsigned char)*t))
				buf_putc(&b, tolower((unsigned char)*t));
	}
	return buf_release(&b);
}

char *
collapse_space(const char *s)
{
	struct buf	 b;
	size_t		 n, len = strlen(s), i = 0;
	uint32_t	 cp;
	int		 space = 0;

	buf_init(&b);
	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp);
		if (n == 0)
			n = 1, cp = (unsigned char)s[i];
		if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0xa0 ||
		    cp == 0x202f || (cp >= 0x2000 && cp <= 0x200a) || cp == 0x3000) {
			space = 1;
		} else {
			if (space && b.len > 0)
				buf_putc(&b, ' ');
			space = 0;
			buf_put(&b, s + i, n);
		}
		i += n;
	}
	return buf_release(&b);
}

char *
url_relative(const char *from_dir, const char *to)
{
	struct buf	 b;
	size_t		 common = 0, i;
	const char	*p;

	for (i = 0; from_dir[i] && from_dir[i] == to[i]; i++)
		if (from_dir[i] == '/')
			common = i + 1;
	buf_init(&b);
	for (p = from_dir + common; *p; p++)
		if (*p == '/')
			buf_puts(&b, "../");
	buf_puts(&b, to + common);
	if (b.len == 0 || b.data[b.len - 1] == '/')
		buf_puts(&b, "index.html");
	return buf_release(&b);
}
