/* arena.c: bump allocator in chunks; freed once at the end of a build */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

#define CHUNK_SIZE	(256 * 1024)
#define ALIGN		16

struct chunk {
	struct chunk	*prev;
	size_t		 size;
	size_t		 used;
	/* data follows, aligned */
};

struct arena {
	struct chunk	*head;
	size_t		 total;
};

static void
oom(void)
{
	fputs("folio: out of memory\n", stderr);
	abort();
}

void *
xmalloc(size_t n)
{
	void	*p = malloc(n ? n : 1);

	if (p == NULL)
		oom();
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void	*p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		oom();
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	if ((p = realloc(p, n ? n : 1)) == NULL)
		oom();
	return p;
}

void *
xreallocarray(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		oom();
	return xrealloc(p, n * size);
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t len)
{
	char	*p = xmalloc(len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

static size_t
header_size(void)
{
	return (sizeof(struct chunk) + ALIGN - 1) & ~(size_t)(ALIGN - 1);
}

struct arena *
arena_new(void)
{
	return xcalloc(1, sizeof(struct arena));
}

void
arena_free(struct arena *ar)
{
	struct chunk	*c, *prev;

	if (ar == NULL)
		return;
	for (c = ar->head; c != NULL; c = prev) {
		prev = c->prev;
		free(c);
	}
	free(ar);
}

/* n bytes aligned to align (a power of two, at most ALIGN), not zeroed */
static void *
bump(struct arena *ar, size_t n, size_t align)
{
	struct chunk	*c = ar->head;
	size_t		 off = 0, size;

	if (n > SIZE_MAX / 2)
		oom();
	if (n == 0)
		n = 1;
	if (c != NULL)
		off = (c->used + align - 1) & ~(align - 1);
	if (c == NULL || off > c->size || c->size - off < n) {
		size = n > CHUNK_SIZE / 4 ? (n + ALIGN - 1) & ~(size_t)(ALIGN - 1) : CHUNK_SIZE;
		c = xmalloc(header_size() + size);
		c->size = size;
		c->used = 0;
		off = 0;
		if (n > CHUNK_SIZE / 4 && ar->head != NULL) {
			/* a big block: keep the current chunk open for small ones */
			c->prev = ar->head->prev;
			ar->head->prev = c;
		} else {
			c->prev = ar->head;
			ar->head = c;
		}
		ar->total += size;
	}
	c->used = off + n;
	return (char *)c + header_size() + off;
}

void *
arena_alloc(struct arena *ar, size_t n)
{
	void	*p = bump(ar, n, ALIGN);

	memset(p, 0, n);
	return p;
}

void *
arena_alloc_raw(struct arena *ar, size_t n)
{
	return bump(ar, n, ALIGN);
}

void *
arena_array(struct arena *ar, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		oom();
	return arena_alloc(ar, n * size);
}

char *
arena_strndup(struct arena *ar, const char *s, size_t len)
{
	char	*p;

	if (len == SIZE_MAX)
		oom();
	p = bump(ar, len + 1, 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *
arena_strdup(struct arena *ar, const char *s)
{
	return s == NULL ? NULL : arena_strndup(ar, s, strlen(s));
}

char *
arena_printf(struct arena *ar, const char *fmt, ...)
{
	va_list	 ap;
	int	 len;
	char	*p;

	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len < 0)
		oom();
	p = arena_alloc(ar, (size_t)len + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)len + 1, fmt, ap);
	va_end(ap);
	return p;
}

size_t
arena_used(const struct arena *ar)
{
	return ar->total;
}

void
arena_adopt(struct arena *dst, struct arena *src)
{
	struct chunk	*c, *prev;

	if (src == NULL)
		return;
	/* hang src's chunks below dst's current one, so that dst keeps filling its own */
	for (c = src->head; c != NULL; c = prev) {
		prev = c->prev;
		if (dst->head == NULL) {
			c->prev = NULL;
			dst->head = c;
		} else {
			c->prev = dst->head->prev;
			dst->head->prev = c;
		}
	}
	dst->total += src->total;
	free(src);
}
