/* pool.h: small blocks for one thread, recycled by size class; large ones from malloc */
#ifndef UTIL_POOL_H
#define UTIL_POOL_H

#include <stddef.h>

struct pool;

/*
 * A pool serves one thread (no locks). Blocks of up to POOL_SMALL bytes
 * come from 64 KB chunks, in classes of 16 bytes, and a freed block goes
 * back to its class's list for the next allocation of that class; the
 * chunks are returned to the system by pool_free() only. Larger blocks are
 * malloc's. Each call is told the block's size, as Lua's allocator is.
 */
#define POOL_SMALL	256

/*
 * Under AddressSanitizer every block is malloc's and free()d at once, so
 * that a use after free or an overflow inside the pool is still caught.
 */
#if defined(__SANITIZE_ADDRESS__)
#define POOL_MALLOC_ONLY	1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define POOL_MALLOC_ONLY	1
#endif
#endif

struct pool	*pool_new(void);
/* the pool and its chunks; NULL is fine. Free every block first: under ASan each is malloc's */
void		 pool_free(struct pool *);
/* size 0 frees; NULL (out of memory) leaves ptr as it was */
void		*pool_realloc(struct pool *, void *ptr, size_t old_size, size_t size);
size_t		 pool_chunk_bytes(const struct pool *);	/* held in chunks, in use or not */

#endif
