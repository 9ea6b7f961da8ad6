/* fuzz_metacache.c: .folio-cache/meta -> articles. The input is the file
 * between its header and its hash; the target adds both, so the fuzzer
 * reaches the record reader instead of the checksum, and asks for every
 * record it can find with the stamp the record holds. */
#define _GNU_SOURCE
#include <sys/mman.h>
#include <sys/stat.h>

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "folio.h"
#include "content/content.h"
#include "content/metacache.h"
#include "util/arena.h"
#include "util/diag.h"
#include "util/fsutil.h"

#define MAGIC	"folio-meta 2 " FOLIO_VERSION "\n"	/* as in src/content/metacache.c */

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int	fd = -1;
static char	path[64];

static void
check_article(const struct article *a)
{
	size_t	i;

	/* what the rest of folio takes for granted of a parsed article */
	if (a->title == NULL || a->title[0] == '\0' || a->date_str == NULL)
		abort();
	for (i = 0; i < a->ntags; i++)
		if (a->tags[i] == NULL)
			abort();
	for (i = 0; i < a->nsources; i++)
		if (a->sources[i].name == NULL)
			abort();
	if (a->month < 1 || a->month > 12 || a->day < 1 || a->day > 31)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena		*ar = arena_new();
	struct metacache	*mc;
	struct article		*a;
	struct file_stat	 st;
	uint64_t		 sum, stamp[4];
	uint32_t		 klen, alen;
	size_t			 p = 0, mlen = strlen(MAGIC);
	char			*key, *file;

	diag_quiet(getenv("FUZZ_VERBOSE") == NULL);
	if (fd == -1) {
		if ((fd = memfd_create("meta", 0)) == -1)
			abort();
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	file = malloc(mlen + size + sizeof(sum));
	memcpy(file, MAGIC, mlen);
	memcpy(file + mlen, data, size);
	sum = hash64(file, mlen + size);
	memcpy(file + mlen + size, &sum, sizeof(sum));
	if (ftruncate(fd, 0) == -1 ||
	    pwrite(fd, file, mlen + size + sizeof(sum), 0) != (ssize_t)(mlen + size + sizeof(sum)))
		abort();
	free(file);
	mc = metacache_open(path);
	/* walk the records as the cache lays them out, and ask for each */
	while (p + 4 <= size) {
		memcpy(&klen, data + p, 4);
		p += 4;
		if (klen > size - p || size - p - klen < sizeof(stamp) + 4)
			break;
		key = strndup((const char *)data + p, klen);
		p += klen;
		memcpy(stamp, data + p, sizeof(stamp));
		p += sizeof(stamp);
		memcpy(&alen, data + p, 4);
		p += 4;
		memset(&st, 0, sizeof(st));
		st.size = stamp[0];
		st.ino = stamp[1];
		st.mtime.tv_sec = (time_t)((int64_t)stamp[2] / 1000000000);
		st.mtime.tv_nsec = (long)((int64_t)stamp[2] % 1000000000);
		st.ctime.tv_sec = (time_t)((int64_t)stamp[3] / 1000000000);
		st.ctime.tv_nsec = (long)((int64_t)stamp[3] % 1000000000);
		if ((a = metacache_get(mc, ar, key, &st)) != NULL)
			check_article(a);
		free(key);
		if (alen > size - p)
			break;
		p += alen;
	}
	metacache_close(mc, 0);
	arena_free(ar);
	return 0;
}
