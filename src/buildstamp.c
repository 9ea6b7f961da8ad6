/* buildstamp.c: the stamp of the last good build
 *
 * A file under .folio-cache/ per output folder:
 *
 *   folio-stamp 1
 *   inputs <hash of everything the build read>
 *   output <device> <inode> <mtime ns> <ctime ns> of the output folder
 *   counts <articles> <pages> <reused> <feeds> <files> <written>
 *   messages <length>
 *   <what the build printed: its warnings and notices, said again>
 *   sum <hash of everything before>
 *   end
 *
 * The caller removes it before a build touches the output, and writes it
 * after a good one; a build killed in between leaves none.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buildstamp.h"
#include "content/content.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/fsutil.h"
#include "util/arena.h"

#define STAMP_MAGIC	"folio-stamp 1\n"
#define RACY_SECONDS	2

/* Changed at or after since - RACY_SECONDS: a later write in the same tick could keep its stat. */
static int
is_racy(time_t mtime, time_t ctime, time_t since)
{
	return mtime >= since - RACY_SECONDS || ctime >= since - RACY_SECONDS;
}

uint64_t
buildstamp_files(uint64_t h, char *const *files, const struct file_stat *stats, size_t n,
    size_t prefix_len, time_t since, int *racy, uint64_t *prints)
{
	uint64_t	v[5], one;
	size_t		i;
	int		recent;

	h = hash64_more(h, &n, sizeof(n));
	for (i = 0; i < n; i++) {
		h = hash64_more(h, files[i] + prefix_len, strlen(files[i] + prefix_len) + 1);
		v[0] = stats[i].ino;
		v[1] = stats[i].size;
		v[2] = (uint64_t)timespec_ns(&stats[i].mtime);
		v[3] = (uint64_t)timespec_ns(&stats[i].ctime);
		v[4] = stats[i].dev;
		h = hash64_more(h, v, sizeof(v));
		if ((recent = is_racy(stats[i].mtime.tv_sec, stats[i].ctime.tv_sec, since)))
			*racy = 1;
		if (prints != NULL) {
			one = hash64(v, sizeof(v));
			prints[i] = recent ? 0 : one ? one : 1;
		}
	}
	return h;
}

uint64_t
buildstamp_tree(uint64_t h, const char *path, time_t since, int *racy, int depth)
{
	struct stat	 st;
	DIR		*d;
	struct dirent	*de;
	char		*p;

	if (depth > 16 || stat(path, &st) == -1)
		return hash64_more(h, "-", 1);
	if (!S_ISDIR(st.st_mode)) {
		if (is_racy(st.st_mtime, st.st_ctime, since))
			*racy = 1;
		return hash_stat(h, &st);
	}
	if ((d = opendir(path)) == NULL)
		return hash64_more(h, "?", 1);
	while ((de = readdir(d)) != NULL) {	/* readdir's order: the names are in the global key */
		if (de->d_name[0] == '.')
			continue;
		p = path_join(path, de->d_name);
		h = buildstamp_tree(hash64_more(h, de->d_name, strlen(de->d_name) + 1), p, since, racy, depth + 1);
		free(p);
	}
	closedir(d);
	return h;
}

/* "<device> <inode> <mtime ns> <ctime ns>" of a folder, or -1 if it is not one */
static int
folder_identity(const char *dir, char *out, size_t size)
{
	struct stat	st;

	if (lstat(dir, &st) == -1 || !S_ISDIR(st.st_mode))
		return -1;
	snprintf(out, size, "%ju %ju %" PRId64 " %" PRId64, (uintmax_t)st.st_dev, (uintmax_t)st.st_ino,
	    timespec_ns(&st.st_mtim), timespec_ns(&st.st_ctim));
	return 0;
}

/* "<key> <n> <n>...\n" at *p: n decimal numbers, no sign; advances *p past the line */
static int
numbers(const char **p, const char *key, size_t *v, int n)
{
	const char	*s = *p;
	char		*end;
	size_t		 klen = strlen(key);
	int		 i;

	if (strncmp(s, key, klen) != 0)
		return -1;
	s += klen;
	for (i = 0; i < n; i++) {
		if (*s++ != ' ' || *s < '0' || *s > '9')
			return -1;
		v[i] = (size_t)strtoull(s, &end, 10);
		s = end;
	}
	if (*s != '\n')
		return -1;
	*p = s + 1;
	return 0;
}

int
buildstamp_check(const char *path, uint64_t inputs, const char *output_dir,
    struct stamp_counts *c, char **messages)
{
	char		*text, *nl, ident[128], want[64];
	const char	*p;
	long long	 body;
	size_t		 len, v[7];
	int		 rc = -1;

	diag_quiet(1);
	if (file_read_quiet(path, &text, &len) == -1) {
		diag_quiet(0);
		return -1;
	}
	diag_quiet(0);
	if ((body = text_unseal(text, len)) < 0 || strncmp(text, STAMP_MAGIC, strlen(STAMP_MAGIC)) != 0)
		goto out;
	text[body] = '\0';
	p = text + strlen(STAMP_MAGIC);
	snprintf(want, sizeof(want), "inputs %016" PRIx64 "\n", inputs);
	if (strncmp(p, want, strlen(want)) != 0)
		goto out;
	p += strlen(want);
	if (strncmp(p, "output ", 7) != 0 || (nl = strchr(p, '\n')) == NULL ||
	    folder_identity(output_dir, ident, sizeof(ident)) == -1 ||
	    (size_t)(nl - p - 7) != strlen(ident) || memcmp(p + 7, ident, strlen(ident)) != 0)
		goto out;
	p = nl + 1;
	if (numbers(&p, "counts", v, 6) == -1 || numbers(&p, "messages", v + 6, 1) == -1 ||
	    v[6] != (size_t)(text + body - p))
		goto out;
	c->articles = v[0];
	c->pages = v[1];
	c->reused = v[2];
	c->feeds = v[3];
	c->files = v[4];
	c->written = v[5];
	*messages = xstrndup(p, v[6]);
	rc = 0;
out:
	free(text);
	return rc;
}

int
buildstamp_write(const char *path, uint64_t inputs, const char *output_dir,
    const struct stamp_counts *c, const char *messages, size_t mlen)
{
	struct buf	b;
	char		ident[128];
	int		rc;

	if (folder_identity(output_dir, ident, sizeof(ident)) == -1)
		return -1;
	buf_init(&b);
	buf_puts(&b, STAMP_MAGIC);
	buf_printf(&b, "inputs %016" PRIx64 "\noutput %s\n", inputs, ident);
	buf_printf(&b, "counts %zu %zu %zu %zu %zu %zu\nmessages %zu\n", c->articles, c->pages,
	    c->reused, c->feeds, c->files, c->written, mlen);
	buf_put(&b, messages, mlen);
	text_seal(&b);
	diag_quiet(1);
	rc = file_write_cache(path, b.data, b.len);
	diag_quiet(0);
	buf_free(&b);
	return rc;
}
