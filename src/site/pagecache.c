/* pagecache.c: what the last build rendered, so that an unchanged page is
 * linked from the previous output instead of rendered again
 *
 * .folio-cache/pages holds one line a page: the key its inputs hashed to,
 * the site lists its layout read (a bit mask), and its path; and one line an
 * article: the hash of its file and its summary. A page is reused only when
 * the key computed now, over the same lists, is the same, and the output
 * still holds the file the manifest recorded (see output_link()). The file
 * ends with a hash of the rest (text_seal()); anything odd in it and the
 * cache is simply dropped: it only saves time.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "site/site.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/fsutil.h"
#include "util/strmap.h"

#define PAGECACHE_MAGIC	"folio-pages 3"

struct page_entry {
	uint64_t	 key;
	unsigned	 mask;
};

struct pagecache {
	struct arena	*ar;
	struct strmap	 pages;		/* path -> page_entry (last build) */
	struct strmap	 summaries;	/* "%016x" file hash -> summary (last build) */
	struct buf	 out;		/* this build's file, filled by the workers */
	pthread_mutex_t	 lock;
	uint64_t	 global;
};

struct pagecache *
pagecache_open(const char *path, uint64_t global)
{
	struct pagecache	*pc = xcalloc(1, sizeof(*pc));
	struct page_entry	*e;
	char			*text = NULL, *line, *next, *end, *p;
	size_t			 len, npages, nsums;
	long long		 sealed;
	uint64_t		 key;
	unsigned long		 mask;

	pc->ar = arena_new();
	strmap_init(&pc->pages);
	strmap_init(&pc->summaries);
	buf_init(&pc->out);
	pthread_mutex_init(&pc->lock, NULL);
	pc->global = global;
	buf_printf(&pc->out, "%s %016" PRIx64 "\n", PAGECACHE_MAGIC, global);
	if (file_read_quiet(path, &text, &len) == -1)
		return pc;
	/* sealed with a hash: a summary damaged on disk must not reach a page */
	if (strlen(text) != len || (sealed = text_unseal(text, len)) == -1)
		goto out;
	text[sealed] = '\0';
	if ((next = strchr(text, '\n')) == NULL)
		goto out;
	*next = '\0';
	/* another theme, config or folio version: nothing in it can be trusted */
	if (strncmp(text, PAGECACHE_MAGIC " ", strlen(PAGECACHE_MAGIC) + 1) != 0 ||
	    parse_hex64(text + strlen(PAGECACHE_MAGIC) + 1, &end) != global || *end != '\0')
		goto out;
	/* size the maps once, a line at a time (a byte at a time cost more than the rest) */
	npages = next[1] == 'P';
	nsums = next[1] == 'S';
	for (p = next + 1; (p = strchr(p, '\n')) != NULL; p++) {
		npages += p[1] == 'P';
		nsums += p[1] == 'S';
	}
	strmap_reserve(&pc->pages, npages);
	strmap_reserve(&pc->summaries, nsums);
	for (line = next + 1; *line; line = next + 1) {
		if ((next = strchr(line, '\n')) == NULL)
			break;		/* a cut last line */
		*next = '\0';
		if (line[0] == 'P' && line[1] == ' ') {		/* P key mask path */
			key = parse_hex64(line + 2, &end);
			if (*end != ' ')
				break;
			mask = parse_hex64(end + 1, &end);
			if (*end != ' ' || end[1] == '\0')
				break;
			e = arena_alloc(pc->ar, sizeof(*e));
			e->key = key;
			e->mask = (unsigned)mask;
			strmap_put(&pc->pages, arena_strdup(pc->ar, end + 1), e);
		} else if (line[0] == 'S' && line[1] == ' ') {	/* S filehash summary */
			if (strlen(line) < 19 || line[18] != ' ')
				break;
			p = arena_strndup(pc->ar, line + 2, 16);
			strmap_put(&pc->summaries, p, arena_strdup(pc->ar, line + 19));
		} else
			break;
	}
out:
	free(text);
	return pc;
}

/* The key the page had last time and the mask of site lists its layout read; -1 if unknown. */
int
pagecache_last(struct pagecache *pc, const char *path, uint64_t *key, unsigned *mask)
{
	struct page_entry	*e = pc ? strmap_get(&pc->pages, path) : NULL;

	if (e == NULL)
		return -1;
	*key = e->key;
	*mask = e->mask;
	return 0;
}

const char *
pagecache_summary(struct pagecache *pc, uint64_t file_hash)
{
	char	k[17];

	if (pc == NULL)
		return NULL;
	*fmt_hex64(k, file_hash) = '\0';
	return strmap_get(&pc->summaries, k);
}

void
pagecache_record(struct pagecache *pc, const char *path, uint64_t key, unsigned mask)
{
	if (pc == NULL)
		return;
	pthread_mutex_lock(&pc->lock);
	buf_puts(&pc->out, "P ");
	buf_put_hex64(&pc->out, key);
	buf_putc(&pc->out, ' ');
	buf_put_hex(&pc->out, mask);
	buf_putc(&pc->out, ' ');
	buf_puts(&pc->out, path);
	buf_putc(&pc->out, '\n');
	pthread_mutex_unlock(&pc->lock);
}

void
pagecache_record_summary(struct pagecache *pc, uint64_t file_hash, const char *summary)
{
	if (pc == NULL || strchr(summary, '\n'))
		return;
	pthread_mutex_lock(&pc->lock);
	buf_puts(&pc->out, "S ");
	buf_put_hex64(&pc->out, file_hash);
	buf_putc(&pc->out, ' ');
	buf_puts(&pc->out, summary);
	buf_putc(&pc->out, '\n');
	pthread_mutex_unlock(&pc->lock);
}

/* Save this build's entries (when ok) and free everything. */
int
pagecache_close(struct pagecache *pc, const char *path, int ok)
{
	int	rc = 0;

	if (pc == NULL)
		return 0;
	if (path != NULL) {
		if (ok && mkdir_parents(path) == 0) {
			text_seal(&pc->out);
			rc = file_write_cache(path, pc->out.data, pc->out.len);
		}
		else if (!ok)
			remove(path);
	}
	buf_free(&pc->out);
	strmap_free(&pc->pages);
	strmap_free(&pc->summaries);
	pthread_mutex_destroy(&pc->lock);
	arena_free(pc->ar);
	free(pc);
	return rc;
}
