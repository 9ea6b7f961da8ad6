/* fsutil.c: reading, writing and removing files and folders */
#define _XOPEN_SOURCE 700
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <inttypes.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "fsutil.h"

int
file_read(const char *path, char **data, size_t *len)
{
	struct stat	 st;
	char		*p = NULL;
	size_t		 cap, n = 0;
	ssize_t		 r;
	int		 fd;

	*data = NULL;
	*len = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return diag(path, 0, "cannot open: %s", strerror(errno));
	if (fstat(fd, &st) == -1 || S_ISDIR(st.st_mode)) {
		close(fd);
		return diag(path, 0, "cannot read: %s",
		    S_ISDIR(st.st_mode) ? "is a folder" : strerror(errno));
	}
	cap = st.st_size > 0 ? (size_t)st.st_size + 1 : 4096;
	p = xmalloc(cap);
	for (;;) {
		if (n + 1 >= cap)
			p = xrealloc(p, cap *= 2);
		r = read(fd, p + n, cap - n - 1);
		if (r == 0)
			break;
		if (r == -1) {
			if (errno == EINTR)
				continue;
			diag(path, 0, "cannot read: %s", strerror(errno));
			free(p);
			close(fd);
			return -1;
		}
		n += (size_t)r;
	}
	close(fd);
	p[n] = '\0';
	*data = p;
	*len = n;
	return 0;
}

int
file_read_regular(const char *path, size_t max, char **data, size_t *len, struct stat *out)
{
	struct stat	 st;
	size_t		 n = 0;
	ssize_t		 r;
	int		 fd;

	*data = NULL;
	*len = 0;
	/* not even opened unless regular: a FIFO must not stop the build, nor a device be touched */
	if (lstat(path, &st) == -1 || !S_ISREG(st.st_mode) ||
	    (fd = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC)) == -1)
		return -1;
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) || (uint64_t)st.st_size > max) {
		close(fd);
		return -1;
	}
	*data = xmalloc((size_t)st.st_size + 1);
	while (n < (size_t)st.st_size) {
		if ((r = read(fd, *data + n, (size_t)st.st_size - n)) == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	/* the stat asked for is taken after the read: a change made meanwhile moved its ctime */
	if (n != (size_t)st.st_size || (out != NULL && fstat(fd, out) == -1)) {
		close(fd);		/* cut while we read */
		free(*data);
		*data = NULL;
		return -1;
	}
	close(fd);
	(*data)[n] = '\0';
	*len = n;
	return 0;
}

static int
write_all(int fd, const char *path, const void *data, size_t len)
{
	const char	*p = data;
	ssize_t		 w;

	while (len > 0) {
		if ((w = write(fd, p, len)) == -1) {
			if (errno == EINTR)
				continue;
			return diag(path, 0, "cannot write: %s", strerror(errno));
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

int
file_read_quiet(const char *path, char **data, size_t *len)
{
	int	rc;

	if (path == NULL || !path_exists(path))
		return -1;
	diag_quiet(1);
	rc = file_read(path, data, len);
	diag_quiet(0);
	return rc;
}

int
file_write(const char *path, const void *data, size_t len)
{
	int	fd, rc;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) == -1)
		return diag(path, 0, "cannot create: %s", strerror(errno));
	rc = write_all(fd, path, data, len);
	if (close(fd) == -1 && rc == 0)
		rc = diag(path, 0, "cannot write: %s", strerror(errno));
	return rc;
}

/*
 * Write data over the regular file at path if no other name shares it (a
 * link count of 1), else leave it alone: a file hard-linked elsewhere would
 * change there too. 1: written, *st its stat after the write; 0: not done
 * (shared, not a regular file, missing); -1: an error, said. A FIFO is not
 * waited for (O_NONBLOCK), a symlink not followed.
 */
int
file_overwrite_alone(const char *path, const void *data, size_t len, struct stat *st)
{
	int	fd, rc;

	if ((fd = open(path, O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)) == -1)
		return 0;
	if (fstat(fd, st) == -1 || !S_ISREG(st->st_mode) || st->st_nlink != 1) {
		close(fd);
		return 0;
	}
	rc = write_all(fd, path, data, len);
	if (rc == 0 && ftruncate(fd, (off_t)len) == -1)
		rc = diag(path, 0, "cannot write: %s", strerror(errno));
	if (rc == 0 && fstat(fd, st) == -1)
		rc = diag(path, 0, "%s", strerror(errno));
	if (close(fd) == -1 && rc == 0)
		rc = diag(path, 0, "cannot write: %s", strerror(errno));
	return rc == 0 ? 1 : -1;
}

static int
write_atomic(const char *path, const void *data, size_t len, int durable)
{
	char	*tmp;
	int	 fd, rc;

	tmp = xmalloc(strlen(path) + 16);
	sprintf(tmp, "%s.tmpXXXXXX", path);
	if ((fd = mkstemp(tmp)) == -1) {
		rc = diag(path, 0, "cannot create: %s", strerror(errno));
		goto out;
	}
	fchmod(fd, 0644);
	rc = write_all(fd, path, data, len);
	if (rc == 0 && durable && fsync(fd) == -1)
		rc = diag(path, 0, "cannot write: %s", strerror(errno));
	if (close(fd) == -1 && rc == 0)
		rc = diag(path, 0, "cannot write: %s", strerror(errno));
	if (rc == 0 && rename(tmp, path) == -1)
		rc = diag(path, 0, "cannot rename into place: %s", strerror(errno));
	if (rc != 0)
		unlink(tmp);
out:
	free(tmp);
	return rc;
}

int
file_write_atomic(const char *path, const void *data, size_t len)
{
	return write_atomic(path, data, len, 1);
}

int
file_write_cache(const char *path, const void *data, size_t len)
{
	return write_atomic(path, data, len, 0);
}

/* mkdir -p: try the folder itself first, so that the common case (the parent
 * exists) costs one system call, not one per component */
int
mkdir_p(const char *path)
{
	char	*parent, *slash;
	int	 rc;

	if (mkdir(path, 0755) == 0)
		return 0;
	if (errno == EEXIST)
		return is_dir(path) ? 0 : diag(path, 0, "cannot create folder: a file is in the way");
	if (errno != ENOENT)
		return diag(path, 0, "cannot create folder: %s", strerror(errno));
	parent = xstrdup(path);
	slash = strrchr(parent, '/');
	while (slash && slash > parent && slash[-1] == '/')
		slash--;
	if (slash == NULL || slash == parent) {
		free(parent);
		return diag(path, 0, "cannot create folder: %s", strerror(ENOENT));
	}
	*slash = '\0';
	rc = mkdir_p(parent);
	free(parent);
	if (rc == 0 && mkdir(path, 0755) == -1 && errno != EEXIST)
		rc = diag(path, 0, "cannot create folder: %s", strerror(errno));
	return rc;
}

int
mkdir_parents(const char *path)
{
	char	*p, *slash;
	int	 rc = 0;

	p = xstrdup(path);
	if ((slash = strrchr(p, '/')) != NULL && slash != p) {
		*slash = '\0';
		rc = mkdir_p(p);
	}
	free(p);
	return rc;
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)ftw;
	if (flag == FTW_DP ? rmdir(path) : unlink(path)) {
		if (errno == ENOENT)
			return 0;
		diag(path, 0, "cannot remove: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int
rm_rf(const char *path)
{
	struct stat	st;

	if (lstat(path, &st) == -1)
		return errno == ENOENT ? 0 : diag(path, 0, "%s", strerror(errno));
	return nftw(path, rm_one, 32, FTW_DEPTH | FTW_PHYS) == 0 ? 0 : -1;
}

int
path_exists(const char *path)
{
	struct stat	st;

	return lstat(path, &st) == 0;
}

int
is_dir(const char *path)
{
	struct stat	st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

char *
path_join(const char *a, const char *b)
{
	size_t	la = strlen(a);
	char	*p;

	if (strcmp(a, ".") == 0 && b[0] != '/')	/* "./x" reads worse in messages than "x" */
		return xstrdup(b);
	p = xmalloc(la + strlen(b) + 2);

	if (la && a[la - 1] == '/')
		la--;
	memcpy(p, a, la);
	p[la] = '/';
	strcpy(p + la + 1, b[0] == '/' ? b + 1 : b);
	return p;
}

/*
 * The last len (0 to 7) bytes at p as a word, the first in its low byte:
 * what memcpy() of them into a zeroed word gives on a little-endian
 * machine, without a copy byte by byte and a load of the bytes just
 * stored. With whole input of eight bytes or more (room), one load of the
 * eight bytes that end where p's do.
 */
static uint64_t
tail_word(const unsigned char *p, size_t len, int room)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint64_t	w8;
	uint32_t	a4, b4;
	uint16_t	a2, b2;

	if (len == 0)
		return 0;
	if (room) {
		memcpy(&w8, p + len - 8, 8);
		return w8 >> (8 * (8 - len));
	}
	if (len >= 4) {		/* two loads that overlap; the shared bytes are the same */
		memcpy(&a4, p, 4);
		memcpy(&b4, p + len - 4, 4);
		return (uint64_t)a4 | (uint64_t)b4 << (8 * (len - 4));
	}
	if (len >= 2) {
		memcpy(&a2, p, 2);
		memcpy(&b2, p + len - 2, 2);
		return (uint64_t)a2 | (uint64_t)b2 << (8 * (len - 2));
	}
	return p[0];
#else
	uint64_t	w = 0;

	(void)room;
	memcpy(&w, p, len);
	return w;
#endif
}

/*
 * Eight bytes at a time: each word is mixed in by a multiplication and a
 * shift, both invertible, so two inputs of the same length that differ in
 * one word never meet; the last, partial word carries the length. FNV-1a's byte at a time
 * was a tenth of a build with nothing to do. The values are kept in caches
 * (manifests, page keys): tests/unit/test_hash.c holds some of them.
 */
uint64_t
hash64_more(uint64_t h, const void *data, size_t len)
{
	const unsigned char	*p = data;
	uint64_t		 w;
	int			 room = len >= 8;

	for (; len >= 8; p += 8, len -= 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
		h ^= h >> 32;
	}
	w = tail_word(p, len, room);
	h = (h ^ w ^ (uint64_t)len << 56) * 0x9e3779b97f4a7c15ULL;
	return h ^ h >> 32;
}

uint64_t
hash64(const void *data, size_t len)
{
	return hash64_more(HASH64_INIT, data, len);
}

uint64_t
fnv1a64(const void *data, size_t len)
{
	const unsigned char	*p = data;
	uint64_t		 h = HASH64_INIT;
	size_t			 i;

	for (i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Mix the names and bytes of every file under dir (sorted, hidden ones skipped) into h. */
uint64_t
hash_tree(uint64_t h, const char *dir, int depth)
{
	DIR		*d;
	struct dirent	*de;
	struct stat	 st;
	char		**names = NULL, *p, *data;
	size_t		 n = 0, cap = 0, i, len;

	if (depth > 16 || (d = opendir(dir)) == NULL)
		return hash64_more(h, "-", 1);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			names = xreallocarray(names, cap, sizeof(*names));
		}
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);
	for (i = 0; i < n; i++) {
		p = path_join(dir, names[i]);
		h = hash64_more(h, names[i], strlen(names[i]) + 1);
		if (stat(p, &st) == 0 && S_ISDIR(st.st_mode))
			h = hash_tree(h, p, depth + 1);
		else if (S_ISREG(st.st_mode)) {
			diag_quiet(1);
			if (file_read(p, &data, &len) == 0) {
				h = hash64_more(h, data, len);
				free(data);
			}
			diag_quiet(0);
		}
		free(p);
		free(names[i]);
	}
	free(names);
	return h;
}

int64_t
timespec_ns(const struct timespec *t)
{
	return (int64_t)t->tv_sec * 1000000000 + t->tv_nsec;
}

uint64_t
hash_stat(uint64_t h, const struct stat *st)
{
	uint64_t	v[5];

	v[0] = (uint64_t)st->st_dev;
	v[1] = (uint64_t)st->st_ino;
	v[2] = (uint64_t)st->st_size;
	v[3] = (uint64_t)timespec_ns(&st->st_mtim);
	v[4] = (uint64_t)timespec_ns(&st->st_ctim);
	return hash64_more(h, v, sizeof(v));
}

#define SEAL_LEN	25	/* "sum " 16 hex digits "\n" "end\n" */

void
text_seal(struct buf *b)
{
	buf_printf(b, "sum %016" PRIx64 "\nend\n", hash64(b->data, b->len));
}

long long
text_unseal(const char *text, size_t len)
{
	char	*end;

	if (len < SEAL_LEN || memcmp(text + len - 4, "end\n", 4) != 0 ||
	    memcmp(text + len - SEAL_LEN, "sum ", 4) != 0)
		return -1;
	if (parse_hex64(text + len - SEAL_LEN + 4, &end) != hash64(text, len - SEAL_LEN) ||
	    end != text + len - 5)
		return -1;
	return (long long)(len - SEAL_LEN);
}
