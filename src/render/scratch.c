/* scratch.c: cmark-gfm's memory for one render: bump allocation, freed all at once
 *
 * Rendering one article makes and frees some 300 nodes, their strings and
 * the growing HTML buffer: 300,000 calloc and free calls for 1,000
 * articles, 7% of a build's instructions in malloc. cmark_mem has no
 * context pointer, so each thread has its own scratch space: blocks are cut
 * from its chunks, free() does nothing, and scratch_reset() gives the
 * chunks back once the render's results are copied out (one malloc and one
 * free of 256 KB a render instead of hundreds; nothing is left to a thread
 * that ends).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm.h>

#include "render/scratch.h"
#include "util/arena.h"

#define CHUNK_BYTES	(256 * 1024)
#define ALIGN		16

struct chunk {
	struct chunk	*prev;
	size_t		 size;		/* bytes after the header */
	size_t		 used;
};

/* Each block is preceded by its size, so that realloc knows what to copy. */
struct header {
	size_t		 size;
	size_t		 pad;		/* keeps the block 16-byte aligned */
};

static __thread struct chunk	*chunks;	/* newest first */
static __thread void		*last;		/* the newest block: it may grow in place */

static char *
chunk_data(struct chunk *c)
{
	return (char *)c + (sizeof(*c) + ALIGN - 1) / ALIGN * ALIGN;
}

static size_t
round_up(size_t n)
{
	return (n + ALIGN - 1) / ALIGN * ALIGN;
}

/* A block of size bytes, not zeroed. Out of memory stops, as xmalloc does. */
static void *
bump(size_t size)
{
	struct chunk	*c = chunks;
	struct header	*h;
	size_t		 need = sizeof(*h) + round_up(size), csize;

	if (size > SIZE_MAX / 2)
		abort();
	if (c == NULL || c->size - c->used < need) {
		csize = need > CHUNK_BYTES ? need : CHUNK_BYTES;
		c = xmalloc((sizeof(*c) + ALIGN - 1) / ALIGN * ALIGN + csize);
		c->size = csize;
		c->used = 0;
		c->prev = chunks;
		chunks = c;
	}
	h = (struct header *)(chunk_data(c) + c->used);
	c->used += need;
	h->size = size;
	last = h + 1;
	return last;
}

static void *
scratch_calloc(size_t n, size_t size)
{
	void	*p;

	if (size != 0 && n > SIZE_MAX / size)
		abort();
	p = bump(n * size);
	memset(p, 0, n * size);
	return p;
}

static void *
scratch_realloc(void *ptr, size_t size)
{
	struct header	*h;
	struct chunk	*c = chunks;
	size_t		 old_room;
	void		*p;

	if (ptr == NULL)
		return bump(size);
	h = (struct header *)ptr - 1;
	if (size <= h->size)
		return ptr;
	if (ptr == last && size <= SIZE_MAX / 2) {	/* the newest block: grow it where it is, if it fits */
		old_room = round_up(h->size);
		if (round_up(size) - old_room <= c->size - c->used) {
			c->used += round_up(size) - old_room;
			h->size = size;
			return ptr;
		}
	}
	p = bump(size);
	memcpy(p, ptr, h->size);
	return p;
}

static void
scratch_free(void *ptr)
{
	(void)ptr;	/* everything goes at scratch_reset() */
}

static cmark_mem	scratch_mem = { scratch_calloc, scratch_realloc, scratch_free };

cmark_mem *
scratch_allocator(void)
{
#ifdef SCRATCH_MALLOC_ONLY
	(void)scratch_mem;
	return cmark_get_default_mem_allocator();
#else
	return &scratch_mem;
#endif
}

void
scratch_reset(void)
{
	struct chunk	*c, *prev;

	for (c = chunks; c != NULL; c = prev) {
		prev = c->prev;
		free(c);
	}
	chunks = NULL;
	last = NULL;
}
