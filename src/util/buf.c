/* buf.c: growable byte buffer */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"

static char	empty[1];

void
buf_init(struct buf *b)
{
	b->data = empty;
	b->len = b->cap = 0;
}

void
buf_free(struct buf *b)
{
	if (b->cap)
		free(b->data);
	buf_init(b);
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->cap)
		b->data[0] = '\0';
}

void
buf_grow(struct buf *b, size_t extra)
{
	size_t	need = b->len + extra + 1, cap;

	if (need <= b->cap)
		return;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap * 2 > cap ? cap * 2 : need;
	if (b->cap == 0) {
		b->data = xmalloc(cap);
		b->data[0] = '\0';
	} else
		b->data = xrealloc(b->data, cap);
	b->cap = cap;
}

void
buf_put(struct buf *b, const void *p, size_t len)
{
	if (len == 0)
		return;
	buf_grow(b, len);
	memcpy(b->data + b->len, p, len);
	b->len += len;
	b->data[b->len] = '\0';
}

uint64_t
parse_hex64(const char *s, char **end)
{
	uint64_t	v = 0;
	unsigned	d;
	int		n;

	for (n = 0; n < 16; n++, s++) {
		if (*s >= '0' && *s <= '9')
			d = (unsigned)(*s - '0');
		else if (*s >= 'a' && *s <= 'f')
			d = (unsigned)(*s - 'a' + 10);
		else if (*s >= 'A' && *s <= 'F')
			d = (unsigned)(*s - 'A' + 10);
		else
			break;
		v = v << 4 | d;
	}
	*end = (char *)s;
	return v;
}

char *
fmt_hex64(char *p, uint64_t v)
{
	static const char	digits[] = "0123456789abcdef";
	int			i;

	for (i = 60; i >= 0; i -= 4)
		*p++ = digits[(v >> i) & 15];
	return p;
}

char *
fmt_u64(char *p, uint64_t v)
{
	/* two digits a division: a manifest line's mtime has nineteen */
	static const char	pairs[] =
	    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	    "8081828384858687888990919293949596979899";
	char	tmp[20];
	size_t	n = sizeof(tmp), d;

	while (v >= 100) {
		d = (size_t)(v % 100) * 2;
		v /= 100;
		tmp[--n] = pairs[d + 1];
		tmp[--n] = pairs[d];
	}
	if (v >= 10) {
		tmp[--n] = pairs[v * 2 + 1];
		tmp[--n] = pairs[v * 2];
	} else
		tmp[--n] = (char)('0' + v);
	memcpy(p, tmp + n, sizeof(tmp) - n);
	return p + (sizeof(tmp) - n);
}

char *
fmt_i64(char *p, int64_t v)
{
	if (v >= 0)
		return fmt_u64(p, (uint64_t)v);
	*p++ = '-';
	return fmt_u64(p, -(uint64_t)v);
}

void
buf_put_hex64(struct buf *b, uint64_t v)
{
	char	s[16];

	buf_put(b, s, (size_t)(fmt_hex64(s, v) - s));
}

void
buf_put_hex(struct buf *b, uint64_t v)
{
	char		 s[16];
	const char	*p = s;

	fmt_hex64(s, v);
	while (p < s + 15 && *p == '0')		/* 0 is "0" */
		p++;
	buf_put(b, p, (size_t)(s + 16 - p));
}

void
buf_puts(struct buf *b, const char *s)
{
	buf_put(b, s, strlen(s));
}

void
buf_putc(struct buf *b, int c)
{
	char	ch = (char)c;

	buf_put(b, &ch, 1);
}

void
buf_put_u32(struct buf *b, uint32_t v)
{
	buf_put(b, &v, sizeof(v));
}

void
buf_put_u64(struct buf *b, uint64_t v)
{
	buf_put(b, &v, sizeof(v));
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list	 ap;
	int	 len;

	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len <= 0)
		return;
	buf_grow(b, (size_t)len);
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)len + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)len;
}

char *
buf_release(struct buf *b)
{
	char	*p = b->cap ? b->data : xstrdup("");

	buf_init(b);
	return p;
}

void
buf_put_escaped(struct buf *b, const char *s, size_t len)
{
	static const char *const	 rep[256] = {
		['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;", ['"'] = "&quot;", ['\''] = "&#39;",
	};
	const unsigned char		*p = (const unsigned char *)s, *end = p + len, *run = p;

	for (; p < end; p++) {
		if (rep[*p] == NULL)
			continue;
		buf_put(b, run, (size_t)(p - run));
		buf_puts(b, rep[*p]);
		run = p + 1;
	}
	buf_put(b, run, (size_t)(end - run));
}
