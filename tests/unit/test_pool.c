/* test_pool.c: the small-block pool behind each Lua state (src/util/pool.c) */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "util/pool.h"

/* fill n bytes with a pattern of seed; 1 if they still hold it */
static void
fill(unsigned char *p, size_t n, unsigned seed)
{
	size_t	i;

	for (i = 0; i < n; i++)
		p[i] = (unsigned char)(seed * 31 + i);
}

static int
holds(const unsigned char *p, size_t n, unsigned seed)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (p[i] != (unsigned char)(seed * 31 + i))
			return 0;
	return 1;
}

/* every size up to a few large ones: aligned, distinct, filled without overlap */
static void
test_sizes(void)
{
	struct pool	*p = pool_new();
	unsigned char	*b[600];
	size_t		 i, aligned = 0, intact = 0;

	for (i = 0; i < 600; i++) {
		b[i] = pool_realloc(p, NULL, 0, i + 1);
		fill(b[i], i + 1, (unsigned)i);
		aligned += ((uintptr_t)b[i] & 15) == 0;
	}
	for (i = 0; i < 600; i++)
		intact += holds(b[i], i + 1, (unsigned)i);
	CHECK(aligned == 600);
	CHECK(intact == 600);
#ifndef POOL_MALLOC_ONLY
	CHECK(pool_chunk_bytes(p) >= 256 * 257 / 2);	/* the small ones, at least */
#endif
	for (i = 0; i < 600; i++)
		CHECK(pool_realloc(p, b[i], i + 1, 0) == NULL);
	pool_free(p);
}

#ifndef POOL_MALLOC_ONLY	/* make asan: every block is malloc's, nothing is reused */
/* a freed small block is the next one of its class; another class does not get it */
static void
test_reuse(void)
{
	struct pool	*p = pool_new();
	void		*a, *b, *c;
	size_t		 held;

	a = pool_realloc(p, NULL, 0, 40);	/* class of 33..48 */
	pool_realloc(p, a, 40, 0);
	b = pool_realloc(p, NULL, 0, 20);	/* another class */
	CHECK(b != a);
	c = pool_realloc(p, NULL, 0, 48);	/* same class as a */
	CHECK(c == a);
	held = pool_chunk_bytes(p);
	for (int i = 0; i < 100000; i++)	/* a page's worth, freed each time: no growth */
		pool_realloc(p, pool_realloc(p, NULL, 0, 100), 100, 0);
	CHECK(pool_chunk_bytes(p) == held);
	pool_free(p);
}
#endif

/* growing and shrinking across classes and past the small limit keeps the bytes */
static void
test_realloc(void)
{
	struct pool	*p = pool_new();
	unsigned char	*a = pool_realloc(p, NULL, 0, 10);
	unsigned char	*same;

	fill(a, 10, 7);
	same = pool_realloc(p, a, 10, 16);	/* same class: the same block */
#ifndef POOL_MALLOC_ONLY
	CHECK(same == a);
#endif
	a = pool_realloc(p, same, 16, 200);	/* another class */
	CHECK(holds(a, 10, 7));
	fill(a, 200, 8);
	a = pool_realloc(p, a, 200, 100000);	/* small to large */
	CHECK(holds(a, 200, 8));
	fill(a, 100000, 9);
	a = pool_realloc(p, a, 100000, 300000);	/* large to large */
	CHECK(holds(a, 100000, 9));
	a = pool_realloc(p, a, 300000, 64);	/* large to small */
	CHECK(holds(a, 64, 9));
	CHECK(((uintptr_t)a & 15) == 0);
	CHECK(pool_realloc(p, a, 64, 0) == NULL);
	pool_free(p);
	pool_free(NULL);
}

/* many chunks: blocks stay apart across the chunk boundaries */
static void
test_chunks(void)
{
	struct pool	*p = pool_new();
	enum { N = 20000 };
	unsigned char	**v = calloc(N, sizeof(*v));
	size_t		 i, intact = 0;

	for (i = 0; i < N; i++) {
		v[i] = pool_realloc(p, NULL, 0, 1 + i % POOL_SMALL);
		fill(v[i], 1 + i % POOL_SMALL, (unsigned)i);
	}
	for (i = 0; i < N; i++)
		intact += holds(v[i], 1 + i % POOL_SMALL, (unsigned)i);
	CHECK(intact == N);
#ifndef POOL_MALLOC_ONLY
	CHECK(pool_chunk_bytes(p) > 64 * 1024);
#endif
	for (i = 0; i < N; i++)
		pool_realloc(p, v[i], 1 + i % POOL_SMALL, 0);
	pool_free(p);
	free(v);
}

int
main(void)
{
	test_sizes();
#ifndef POOL_MALLOC_ONLY
	test_reuse();
#endif
	test_realloc();
	test_chunks();
	return check_done();
}
