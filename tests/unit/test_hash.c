/* test_hash.c: hash64() keeps its values (caches across builds hold them), for every length. */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "util/fsutil.h"

/* The definition: whole words, then the rest copied into a zeroed word (little-endian order). */
static uint64_t
reference(uint64_t h, const unsigned char *p, size_t len)
{
	uint64_t	w;
	size_t		i;

	for (; len >= 8; p += 8, len -= 8) {
		for (w = 0, i = 0; i < 8; i++)
			w |= (uint64_t)p[i] << (8 * i);
		h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
		h ^= h >> 32;
	}
	for (w = 0, i = 0; i < len; i++)
		w |= (uint64_t)p[i] << (8 * i);
	h = (h ^ w ^ (uint64_t)len << 56) * 0x9e3779b97f4a7c15ULL;
	return h ^ h >> 32;
}

int
main(void)
{
	/* values of the hash since it was made, which manifests and page caches on disk hold */
	static const struct {
		const char	*s;
		uint64_t	 h;
	} known[] = {
		{ "", 0xf8bb92c91b3f5cc0ULL },
		{ "a", 0x0c73504041fa84d4ULL },
		{ "ab", 0x77b70d2b7fa347bfULL },
		{ "abc", 0x202d77302eb23da4ULL },
		{ "abcd", 0x5cec3bc7c6737153ULL },
		{ "abcde", 0x0e1e3fa89481753cULL },
		{ "abcdef", 0x52adf5a8c832bf3cULL },
		{ "abcdefg", 0x2a0cf5a8b093bf3cULL },
		{ "abcdefgh", 0xdc35dc2a172263c6ULL },
		{ "abcdefghi", 0x3aa0bf4803fd62b1ULL },
		{ "2019/analysis-parliament-funds-carbon-tax/index.html", 0x154645b976759b3aULL },
		{ "Zo\xc3\xab M\xc3\xbcller, l'\xc3\xa9t\xc3\xa9 \xc3\xa0 P\xc3\xa9kin", 0x76614b0b0534f55eULL },
	};
	unsigned char	 buf[80];
	uint64_t	 rng = 0x243f6a8885a308d3ULL, h;
	size_t		 i, len, off, bad = 0, n = 0;
	int		 round;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		CHECK(hash64(known[i].s, strlen(known[i].s)) == known[i].h);
	/* every length and alignment against the definition, random bytes (NULs and 0xff too) */
	for (round = 0; round < 200; round++)
		for (off = 0; off < 8; off++)
			for (len = 0; len + off <= sizeof(buf); len++) {
				for (i = 0; i < sizeof(buf); i++)
					buf[i] = (unsigned char)check_roll(&rng, 256);
				h = (uint64_t)check_roll(&rng, 1u << 30) << 20;
				n++;
				if (hash64_more(h, buf + off, len) != reference(h, buf + off, len))
					bad++;
			}
	CHECK(n > 100000 && bad == 0);
	if (bad)
		printf("%zu of %zu hashes differ from the definition\n", bad, n);
	return check_done();
}
