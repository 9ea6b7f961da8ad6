/* pool.c: size-class free lists over big chunks, for one thread; see pool.h
 *
 * A Lua state allocates and frees hundreds of thousands of small blocks a
 * second (strings, tables, their nodes) and most die within the page that
 * made them. malloc takes about 200 instructions for each of them and
 * consolidates its fast bins now and then; a free list per 16-byte class
 * takes a dozen, and what a page freed is what the next page gets.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pool.h"

#define CLASS_BYTES	16
#define NCLASSES	(POOL_SMALL / CLASS_BYTES)
#define CHUNK_BYTES	(64 * 1024)

struct free_block {
	struct free_block	*next;
};

struct chunk {
	struct chunk	*prev;
	/* blocks follow, CLASS_BYTES-aligned */
};

struct pool {
	struct free_block	*free[NCLASSES];	/* class k holds blocks of (k + 1) * 16 bytes */
	struct chunk		*chunks;
	char			*next, *end;		/* the newest chunk's unused part */
	size_t			 chunk_bytes;
};

/* The class of a small size (1..POOL_SMALL); sizes are rounded up to it. */
static size_t
class_of(size_t size)
{
	return (size - 1) / CLASS_BYTES;
}

struct pool *
pool_new(void)
{
	return calloc(1, sizeof(struct pool));
}

void
pool_free(struct pool *p)
{
	struct chunk	*c, *prev;

	if (p == NULL)
		return;
	for (c = p->chunks; c != NULL; c = prev) {
		prev = c->prev;
		free(c);
	}
	free(p);
}

size_t
pool_chunk_bytes(const struct pool *p)
{
	return p->chunk_bytes;
}

/* A small block of class k: from its free list, else cut from the chunk, else a new chunk. */
static void *
small_alloc(struct pool *p, size_t k)
{
	struct free_block	*b;
	struct chunk		*c;
	size_t			 bytes = (k + 1) * CLASS_BYTES, head;
	void			*r;

	if ((b = p->free[k]) != NULL) {
		p->free[k] = b->next;
		return b;
	}
	if ((size_t)(p->end - p->next) < bytes) {
		/* the old chunk's tail stays unused: at most 255 bytes of 64 KB */
		if ((c = malloc(CHUNK_BYTES)) == NULL)
			return NULL;
		c->prev = p->chunks;
		p->chunks = c;
		p->chunk_bytes += CHUNK_BYTES;
		head = (sizeof(*c) + CLASS_BYTES - 1) / CLASS_BYTES * CLASS_BYTES;
		p->next = (char *)c + head;
		p->end = (char *)c + CHUNK_BYTES;
	}
	r = p->next;
	p->next += bytes;
	return r;
}

static void
small_free(struct pool *p, void *ptr, size_t k)
{
	struct free_block	*b = ptr;

	b->next = p->free[k];
	p->free[k] = b;
}

void *
pool_realloc(struct pool *p, void *ptr, size_t old_size, size_t size)
{
	void	*r;
	int	 was_small = ptr != NULL && old_size <= POOL_SMALL;

#ifdef POOL_MALLOC_ONLY
	(void)was_small;
	(void)old_size;
	if (size == 0) {
		free(ptr);
		return NULL;
	}
	return realloc(ptr, size);
#endif
	if (ptr == NULL)
		old_size = 0;
	if (size == 0) {
		if (was_small)
			small_free(p, ptr, class_of(old_size));
		else
			free(ptr);
		return NULL;
	}
	if (size <= POOL_SMALL) {
		if (was_small && class_of(old_size) == class_of(size))
			return ptr;	/* the block already has room */
		if ((r = small_alloc(p, class_of(size))) == NULL)
			return NULL;
	} else if (ptr != NULL && !was_small)
		return realloc(ptr, size);
	else if ((r = malloc(size)) == NULL)
		return NULL;
	if (ptr != NULL) {
		memcpy(r, ptr, old_size < size ? old_size : size);
		if (was_small)
			small_free(p, ptr, class_of(old_size));
		else
			free(ptr);
	}
	return r;
}
