/* output.c: staged, atomic, incremental writing of the site
 *
 * A build writes into <final>.staging-<pid>. A file whose bytes match the
 * last build's manifest (same hash and size, and the file in <final> still
 * has the size and mtime recorded) is hard-linked from <final> instead of
 * written; a changed file is always a new file, never a write into a
 * linked one. At the end one renameat2(RENAME_EXCHANGE) swaps staging and
 * <final>, and the old tree is removed. A failed or killed build never
 * touches <final>.
 */
#define _GNU_SOURCE
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "site/site.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/fsutil.h"
#include "util/strmap.h"

#define MANIFEST_MAGIC	"folio-manifest 2"

struct entry {
	char		*path;		/* heap */
	uint64_t	 hash;
	uint64_t	 size;
	int64_t		 mtime_ns;
};

struct output {
	char		*final;
	char		*staging;
	char		*manifest_path;
	int		 lockfd;
	pthread_mutex_t	 lock;
	struct strmap	 old;		/* path -> struct entry (last build) */
	struct entry	*olds;
	size_t		 nolds;
	struct entry	*news;		/* this build */
	size_t		 nnews, capnews;
	struct strmap	 seen;		/* path -> 1: a path written twice is a bug */
	struct arena	*paths;		/* keys of seen and paths of news */
	size_t		 written;
	int		 failed;
	int		 precompress;
};

static void
load_manifest(struct output *o)
{
	char		*text, *line, *next, *end;
	size_t		 len, n = 0;
	struct entry	 e;
	char		*p;

	if (o->manifest_path == NULL || !path_exists(o->manifest_path))
		return;
	diag_quiet(1);
	if (file_read(o->manifest_path, &text, &len) == -1) {
		diag_quiet(0);
		return;
	}
	diag_quiet(0);
	/* line 1: magic; line 2: the output folder it describes */
	line = text;
	if ((next = strchr(line, '\n')) == NULL || strncmp(line, MANIFEST_MAGIC "\n", strlen(MANIFEST_MAGIC) + 1))
		goto out;
	line = next + 1;
	if ((next = strchr(line, '\n')) == NULL)
		goto out;
	*next = '\0';
	if (strcmp(line, o->final) != 0)
		goto out;
	for (line = next + 1; *line; line = next + 1) {
		if ((next = strchr(line, '\n')) == NULL)
			break;		/* a cut last line: ignore it */
		*next = '\0';
		errno = 0;
		e.hash = strtoull(line, &end, 16);
		if (*end != ' ')
			break;
		e.size = strtoull(end + 1, &end, 10);
		if (*end != ' ')
			break;
		e.mtime_ns = strtoll(end + 1, &end, 10);
		if (*end != ' ' || errno)
			break;
		p = end + 1;
		if (*p == '\0')
			break;
		if (n % 1024 == 0)
			o->olds = xreallocarray(o->olds, n + 1024, sizeof(*o->olds));
		e.path = xstrdup(p);
		o->olds[n++] = e;
	}
	o->nolds = n;
	for (n = 0; n < o->nolds; n++)
		strmap_put(&o->old, o->olds[n].path, &o->olds[n]);
out:
	free(text);
}

static void
remove_stale_stagings(const char *final)
{
	char		*dir, *base, *slash, *p;
	DIR		*d;
	struct dirent	*de;
	size_t		 blen;

	dir = xstrdup(final);
	if ((slash = strrchr(dir, '/')) != NULL) {
		*slash = '\0';
		base = slash + 1;
		if (*dir == '\0')
			strcpy(dir, "/");
	} else {
		base = dir;
		dir = xstrdup(".");
		slash = NULL;
	}
	blen = strlen(base);
	if ((d = opendir(slash ? dir : ".")) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (strncmp(de->d_name, base, blen) == 0 &&
			    (strncmp(de->d_name + blen, ".staging-", 9) == 0 ||
			    strncmp(de->d_name + blen, ".old-", 5) == 0)) {
				p = path_join(slash ? dir : ".", de->d_name);
				rm_rf(p);
				free(p);
			}
		}
		closedir(d);
	}
	if (slash == NULL)
		free(base);
	free(dir);
}

struct output *
output_open(const char *final, const char *manifest_path)
{
	struct output	*o = xcalloc(1, sizeof(*o));
	char		*lockpath;

	o->final = xstrdup(final);
	o->manifest_path = manifest_path ? xstrdup(manifest_path) : NULL;
	pthread_mutex_init(&o->lock, NULL);
	strmap_init(&o->old);
	strmap_init(&o->seen);
	o->paths = arena_new();
	lockpath = xmalloc(strlen(final) + 8);
	sprintf(lockpath, "%s.lock", final);
	if (mkdir_parents(lockpath) == -1)
		goto fail;
	o->lockfd = open(lockpath, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (o->lockfd == -1) {
		diag(lockpath, 0, "cannot create the build lock: %s", strerror(errno));
		goto fail;
	}
	if (flock(o->lockfd, LOCK_EX | LOCK_NB) == -1) {
		diag(final, 0, "another folio build is writing this folder");
		close(o->lockfd);
		goto fail;
	}
	free(lockpath);
	lockpath = NULL;
	remove_stale_stagings(final);
	o->staging = xmalloc(strlen(final) + 32);
	sprintf(o->staging, "%s.staging-%ld", final, (long)getpid());
	if (mkdir_p(o->staging) == -1) {
		flock(o->lockfd, LOCK_UN);
		close(o->lockfd);
		goto fail;
	}
	load_manifest(o);
	return o;
fail:
	arena_free(o->paths);
	free(lockpath);
	free(o->final);
	free(o->manifest_path);
	free(o->staging);
	free(o);
	return NULL;
}

/* Site paths come from slugs and keys; refuse anything that could leave the folder. */
static int
safe_path(const char *path)
{
	const char	*p = path, *seg;
	size_t		 len;

	if (*p == '\0' || *p == '/')
		return 0;
	while (*p) {
		seg = p;
		while (*p && *p != '/')
			p++;
		len = (size_t)(p - seg);
		if (len == 0 || (len == 1 && seg[0] == '.') || (len == 2 && seg[0] == '.' && seg[1] == '.') ||
		    len > 255)
			return 0;
		if (*p == '/')
			p++;
	}
	return 1;
}

static int
try_link(struct output *o, const char *path, uint64_t h, size_t len, const char *dst)
{
	struct entry	*e;
	struct stat	 st;
	char		*src;
	int		 ok = 0;

	if ((e = strmap_get(&o->old, path)) == NULL || e->hash != h || e->size != len)
		return 0;
	src = path_join(o->final, path);
	if (lstat(src, &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_size == len &&
	    (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec == e->mtime_ns &&
	    link(src, dst) == 0)
		ok = 1;
	free(src);
	return ok;
}

void
output_set_precompress(struct output *o, int on)
{
	o->precompress = on;
}

static int
compressible(const char *path, size_t len)
{
	static const char *const exts[] = { ".html", ".css", ".xml", ".json", ".js", ".svg", ".txt", NULL };
	size_t	plen = strlen(path), i, elen;

	if (len <= 1024)
		return 0;
	for (i = 0; exts[i]; i++) {
		elen = strlen(exts[i]);
		if (plen > elen && strcmp(path + plen - elen, exts[i]) == 0)
			return 1;
	}
	return 0;
}

/* gzip (RFC 1952) at level 9, header without name or time so the bytes are the same every build */
static int
gzip_bytes(const void *data, size_t len, struct buf *out)
{
	z_stream	zs;
	int		rc;

	memset(&zs, 0, sizeof(zs));
	if (deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	buf_grow(out, deflateBound(&zs, (uLong)len) + 64);
	zs.next_in = (Bytef *)(uintptr_t)data;
	zs.avail_in = (uInt)len;
	zs.next_out = (Bytef *)out->data;
	zs.avail_out = (uInt)(out->cap - 1);
	rc = deflate(&zs, Z_FINISH);
	out->len = zs.total_out;
	deflateEnd(&zs);
	return rc == Z_STREAM_END ? 0 : -1;
}

static int	write_one(struct output *, const char *, const void *, size_t);
static int	gzip_bytes(const void *, size_t, struct buf *);
static int	compressible(const char *, size_t);

/* Record a file now in staging in this build's manifest. */
static void
add_news(struct output *o, const struct entry *e)
{
	pthread_mutex_lock(&o->lock);
	if (o->nnews == o->capnews) {
		o->capnews = o->capnews ? o->capnews * 2 : 1024;
		o->news = xreallocarray(o->news, o->capnews, sizeof(*o->news));
	}
	o->news[o->nnews++] = *e;
	pthread_mutex_unlock(&o->lock);
}

/* A page the page cache knows is unchanged: link it (and its .gz) without its bytes. */
int
output_link(struct output *o, const char *path)
{
	struct entry	*old, e;
	char		*full, *gz;
	int		 dup, rc;

	if (!safe_path(path) || (old = strmap_get(&o->old, path)) == NULL)
		return -1;
	full = path_join(o->staging, path);
	if (mkdir_parents(full) == -1 || !try_link(o, path, old->hash, old->size, full)) {
		free(full);
		return -1;
	}
	free(full);
	pthread_mutex_lock(&o->lock);
	dup = strmap_get(&o->seen, path) != NULL;
	e = *old;
	e.path = arena_strdup(o->paths, path);
	if (!dup)
		strmap_put(&o->seen, e.path, (void *)1);
	pthread_mutex_unlock(&o->lock);
	if (dup)
		return diag(path, 0, "two pages want the same output file");
	add_news(o, &e);
	rc = 0;
	if (o->precompress && compressible(path, old->size)) {
		gz = xmalloc(strlen(path) + 4);
		sprintf(gz, "%s.gz", path);
		if (output_link(o, gz) == -1) {
			/* no .gz last time: make it from the linked file */
			char	*data, *src = path_join(o->staging, path);
			size_t	 len;
			struct buf zb;
			buf_init(&zb);
			if ((rc = file_read(src, &data, &len)) == 0) {
				if (gzip_bytes(data, len, &zb) == 0)
					rc = write_one(o, gz, zb.data, zb.len);
				else
					rc = diag(path, 0, "cannot compress");
				free(data);
			}
			buf_free(&zb);
			free(src);
		}
		free(gz);
	}
	return rc;
}

int
output_write(struct output *o, const char *path, const void *data, size_t len)
{
	struct buf	 gz;
	char		*gzpath;
	int		 rc;

	if ((rc = write_one(o, path, data, len)) == -1 || !o->precompress || !compressible(path, len))
		return rc;
	buf_init(&gz);
	gzpath = xmalloc(strlen(path) + 4);
	sprintf(gzpath, "%s.gz", path);
	if (gzip_bytes(data, len, &gz) == -1)
		rc = diag(path, 0, "cannot compress");
	else
		rc = write_one(o, gzpath, gz.data, gz.len);
	free(gzpath);
	buf_free(&gz);
	return rc;
}

static int
write_one(struct output *o, const char *path, const void *data, size_t len)
{
	struct entry	 e;
	struct stat	 st;
	char		*full;
	int		 rc = 0, dup;

	if (!safe_path(path))
		return diag(path, 0, "refusing to write outside the output folder");
	pthread_mutex_lock(&o->lock);
	dup = strmap_get(&o->seen, path) != NULL;
	if (!dup) {
		e.path = arena_strdup(o->paths, path);
		strmap_put(&o->seen, e.path, (void *)1);
	}
	pthread_mutex_unlock(&o->lock);
	if (dup)
		return diag(path, 0, "two pages want the same output file");
	full = path_join(o->staging, path);
	e.hash = hash64(data, len);
	e.size = len;
	if (mkdir_parents(full) == -1) {
		rc = -1;
		goto out;
	}
	if (!try_link(o, path, e.hash, len, full)) {
		if ((rc = file_write(full, data, len)) == -1)
			goto out;
		pthread_mutex_lock(&o->lock);
		o->written++;
		pthread_mutex_unlock(&o->lock);
	}
	if (lstat(full, &st) == -1) {
		rc = diag(full, 0, "%s", strerror(errno));
		goto out;
	}
	e.mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
	add_news(o, &e);
out:
	if (rc == -1)
		o->failed = 1;
	free(full);
	return rc;
}

int
output_copy_tree(struct output *o, const char *src, const char *prefix, const char *shadow)
{
	char		*sh;
	DIR		*d;
	struct dirent	*de;
	struct stat	 st;
	char		*p, *sub, *data;
	size_t		 len;
	int		 rc = 0;

	if ((d = opendir(src)) == NULL)
		return errno == ENOENT ? 0 : diag(src, 0, "cannot read folder: %s", strerror(errno));
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		p = path_join(src, de->d_name);
		sub = *prefix ? path_join(prefix, de->d_name) : xstrdup(de->d_name);
		if (lstat(p, &st) == -1)
			rc = diag(p, 0, "%s", strerror(errno));
		else if (S_ISDIR(st.st_mode)) {
			sh = shadow ? path_join(shadow, de->d_name) : NULL;
			rc |= output_copy_tree(o, p, sub, sh);
			free(sh);
		} else if (S_ISREG(st.st_mode)) {
			sh = shadow ? path_join(shadow, de->d_name) : NULL;
			if (sh && path_exists(sh)) {
				free(sh);
				free(p);
				free(sub);
				continue;
			}
			free(sh);
			if (file_read(p, &data, &len) == 0) {
				rc |= output_write(o, sub, data, len);
				free(data);
			} else
				rc = -1;
		}
		free(p);
		free(sub);
	}
	closedir(d);
	return rc ? -1 : 0;
}

static int
save_manifest(struct output *o)
{
	struct buf	b;
	size_t		i;
	int		rc;

	if (o->manifest_path == NULL)
		return 0;
	buf_init(&b);
	buf_printf(&b, "%s\n%s\n", MANIFEST_MAGIC, o->final);
	for (i = 0; i < o->nnews; i++)
		buf_printf(&b, "%016" PRIx64 " %" PRIu64 " %" PRId64 " %s\n", o->news[i].hash,
		    o->news[i].size, o->news[i].mtime_ns, o->news[i].path);
	if ((rc = mkdir_parents(o->manifest_path)) == 0)
		rc = file_write_atomic(o->manifest_path, b.data, b.len);
	buf_free(&b);
	return rc;
}

int
output_close(struct output *o, int ok)
{
	char	*old;
	int	 rc = 0;
	size_t	 i;

	if (o == NULL)
		return -1;
	if (!ok || o->failed) {
		rm_rf(o->staging);
		rc = -1;
		goto out;
	}
	/* the manifest goes first: if we die after it, its mtimes will not match and nothing is linked */
	if (o->manifest_path)
		unlink(o->manifest_path);
	if (renameat2(AT_FDCWD, o->staging, AT_FDCWD, o->final, RENAME_EXCHANGE) == 0) {
		rm_rf(o->staging);	/* now the previous site */
	} else if (errno == ENOENT && !path_exists(o->final)) {
		if (rename(o->staging, o->final) == -1)
			rc = diag(o->final, 0, "cannot move the new site into place: %s", strerror(errno));
	} else if (errno == EINVAL || errno == ENOSYS) {
		/* no RENAME_EXCHANGE on this file system: two renames */
		old = xmalloc(strlen(o->final) + 32);
		sprintf(old, "%s.old-%ld", o->final, (long)getpid());
		if (rename(o->final, old) == -1 || rename(o->staging, o->final) == -1)
			rc = diag(o->final, 0, "cannot move the new site into place: %s", strerror(errno));
		else
			rm_rf(old);
		free(old);
	} else
		rc = diag(o->final, 0, "cannot move the new site into place: %s", strerror(errno));
	if (rc == 0)
		save_manifest(o);
	else
		rm_rf(o->staging);
out:
	flock(o->lockfd, LOCK_UN);
	close(o->lockfd);
	for (i = 0; i < o->nolds; i++)
		free(o->olds[i].path);
	arena_free(o->paths);
	free(o->olds);
	free(o->news);
	strmap_free(&o->old);
	strmap_free(&o->seen);
	pthread_mutex_destroy(&o->lock);
	free(o->final);
	free(o->staging);
	free(o->manifest_path);
	free(o);
	return rc;
}

size_t
output_count(const struct output *o)
{
	return o->nnews;
}

size_t
output_written(const struct output *o)
{
	return o->written;
}
