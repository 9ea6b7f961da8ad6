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
 *
 * A page or a summary this build takes from the cache as it was is only
 * marked (an atomic flag, no lock: each page is made once) and its line is
 * copied from the old file at the end; the workers format and append, under
 * the lock, only what they made anew.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
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

/* A line of the last build's file, "P key mask path" or "S hash summary", NUL-terminated in place. */
struct page_entry {
	const char	*line;
	size_t		 len;
	uint64_t	 key;		/* P lines */
	unsigned	 mask;
	atomic_int	 kept;		/* taken by this build as it was: saved again */
};

struct pagecache {
	char			*text;		/* heap: the last build's file; the entries point into it */
	struct page_entry	*entries;	/* heap, in the file's order */
	size_t			 nentries;
	struct strmap		 pages;		/* path -> page entry */
	struct strmap		 summaries;	/* "%016x" file hash (in the line) -> summary entry */
	struct buf		 head;		/* the first line of this build's file */
	struct buf		 out;		/* the lines this build made anew, filled by the workers */
	pthread_mutex_t		 lock;
	uint64_t		 global;
	int			 sealed;	/* head holds the whole file: pagecache_seal() */
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

	strmap_init(&pc->pages);
	strmap_init(&pc->summaries);
	buf_init(&pc->head);
	buf_init(&pc->out);
	pthread_mutex_init(&pc->lock, NULL);
	pc->global = global;
	buf_printf(&pc->head, "%s %016" PRIx64 "\n", PAGECACHE_MAGIC, global);
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
	pc->entries = xcalloc(npages + nsums, sizeof(*pc->entries));
	for (line = next + 1; *line; line = next + 1) {
		if ((next = strchr(line, '\n')) == NULL)
			break;		/* a cut last line */
		*next = '\0';
		e = &pc->entries[pc->nentries];
		e->line = line;
		e->len = (size_t)(next - line);
		if (line[0] == 'P' && line[1] == ' ') {		/* P key mask path */
			key = parse_hex64(line + 2, &end);
			if (*end != ' ')
				break;
			mask = parse_hex64(end + 1, &end);
			if (*end != ' ' || end[1] == '\0')
				break;
			e->key = key;
			e->mask = (unsigned)mask;
			strmap_put(&pc->pages, end + 1, e);
		} else if (line[0] == 'S' && line[1] == ' ') {	/* S filehash summary */
			if (e->len < 19 || line[18] != ' ')
				break;
			line[18] = '\0';	/* the key: the hash's 16 digits */
			strmap_put(&pc->summaries, line + 2, e);
		} else
			break;
		pc->nentries++;
	}
	pc->text = text;	/* the entries' lines */
	return pc;
out:
	free(text);
	return pc;
}

/*
 * The page's entry from last time, with the key it had and the mask of site
 * lists its layout read; NULL if unknown. pagecache_keep() it if the page
 * is taken as it was.
 */
struct page_entry *
pagecache_last(struct pagecache *pc, const char *path, uint64_t *key, unsigned *mask)
{
	struct page_entry	*e = pc ? strmap_get(&pc->pages, path) : NULL;

	if (e == NULL)
		return NULL;
	*key = e->key;
	*mask = e->mask;
	return e;
}

/* The page of e was taken from the last build as it was: its line is saved again. */
void
pagecache_keep(struct page_entry *e)
{
	atomic_store_explicit(&e->kept, 1, memory_order_relaxed);
}

/* The summary of a file with this hash, from last time, and kept for the next; NULL if unknown. */
const char *
pagecache_summary(struct pagecache *pc, uint64_t file_hash)
{
	struct page_entry	*e;
	char			 k[17];

	if (pc == NULL)
		return NULL;
	*fmt_hex64(k, file_hash) = '\0';
	if ((e = strmap_get(&pc->summaries, k)) == NULL)
		return NULL;
	atomic_store_explicit(&e->kept, 1, memory_order_relaxed);
	return e->line + 19;
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

/*
 * Put the whole file together in head: the lines kept from the last build's
 * file, then those made anew, and the seal. No page may be recorded after;
 * the build does it on a thread while the output is swapped.
 */
void
pagecache_seal(struct pagecache *pc)
{
	struct page_entry	*e;
	size_t			 i;

	if (pc == NULL || pc->sealed)
		return;
	for (i = 0; i < pc->nentries; i++) {
		e = &pc->entries[i];
		if (!atomic_load_explicit(&e->kept, memory_order_relaxed))
			continue;
		if (e->line[0] == 'S') {	/* its hash ends in a NUL: the map's key */
			buf_put(&pc->head, e->line, 18);
			buf_putc(&pc->head, ' ');
			buf_put(&pc->head, e->line + 19, e->len - 19);
		} else
			buf_put(&pc->head, e->line, e->len);
		buf_putc(&pc->head, '\n');
	}
	buf_put(&pc->head, pc->out.data, pc->out.len);
	text_seal(&pc->head);
	pc->sealed = 1;
}

/* Save this build's entries (when ok; sealed first if not yet), and free everything. */
int
pagecache_close(struct pagecache *pc, const char *path, int ok)
{
	int	rc = 0;

	if (pc == NULL)
		return 0;
	if (path != NULL) {
		if (ok && mkdir_parents(path) == 0) {
			pagecache_seal(pc);
			rc = file_write_cache(path, pc->head.data, pc->head.len);
		}
		else if (!ok)
			remove(path);
	}
	buf_free(&pc->head);
	buf_free(&pc->out);
	strmap_free(&pc->pages);
	strmap_free(&pc->summaries);
	pthread_mutex_destroy(&pc->lock);
	free(pc->entries);
	free(pc->text);
	free(pc);
	return rc;
}
