/* fsutil.h: files and folders */
#ifndef UTIL_FSUTIL_H
#define UTIL_FSUTIL_H

#include <sys/stat.h>

#include <stddef.h>
#include <stdint.h>

/* Read a whole file; caller frees *data (NUL-terminated). Prints why on failure. */
int		 file_read(const char *path, char **data, size_t *len);
/* The same for a file that may well be absent or unreadable (a cache): -1 without a message. */
int		 file_read_quiet(const char *path, char **data, size_t *len);
/* A regular file (not a symlink) of at most max bytes, read whole and quietly; -1 for
 * anything else (absent, a folder, a FIFO or a device: never opened), caller frees *data.
 * st (may be NULL) gets the file's stat (the file as opened) taken after the read. */
int		 file_read_regular(const char *path, size_t max, char **data, size_t *len,
		    struct stat *st);
/* Write a whole file (created 0644, truncated). Prints why on failure. */
int		 file_write(const char *path, const void *data, size_t len);
/* Write over the regular file at path only if it has no other link: 1 done (*st after the
 * write), 0 not (shared, not regular, missing), -1 an error (printed). */
int		 file_overwrite_alone(const char *path, const void *data, size_t len, struct stat *st);
/* Write via a temporary file in the same folder and rename: readers never see half a file. */
int		 file_write_atomic(const char *path, const void *data, size_t len);
/* The same without fsync: for cache files, which carry their own checksum, so
 * that a file cut by a crash is rejected and rebuilt. An fsync here can cost
 * hundreds of milliseconds: ext4 commits the build's other writes with it. */
int		 file_write_cache(const char *path, const void *data, size_t len);
int		 mkdir_p(const char *path);		/* like mkdir -p */
int		 mkdir_parents(const char *path);	/* mkdir -p of dirname(path) */
int		 rm_rf(const char *path);		/* removes a tree; 0 if absent */
int		 path_exists(const char *path);
int		 is_dir(const char *path);
char		*path_join(const char *a, const char *b);	/* caller frees */

/* 64-bit hash for content keys and checksums (not for security); host byte order */
uint64_t	 hash64(const void *, size_t);
uint64_t	 hash64_more(uint64_t h, const void *, size_t);
/* 64-bit FNV-1a, for what is published or kept in the archive itself (the import
 * manifest, post-<hash> slugs, t-<hash> tag keys): it must not change between versions
 * or machines */
uint64_t	 fnv1a64(const void *, size_t);
/* Cache files in text: seal appends "sum <hash64 of all before>\nend\n"; unseal gives the
 * length before that trailer if it is there and matches, else -1 (cut or damaged). */
struct buf;
void		 text_seal(struct buf *);
long long	 text_unseal(const char *text, size_t len);
/* Names and bytes of every file under dir, sorted, mixed into h (theme keys) */
uint64_t	 hash_tree(uint64_t h, const char *dir, int depth);
struct stat;
struct timespec;
int64_t		 timespec_ns(const struct timespec *);
/* Fold a file's identity and times (device, inode, size, mtime, ctime) into h:
 * any write moves ctime, and no tool sets it back. */
uint64_t	 hash_stat(uint64_t h, const struct stat *);
#define HASH64_INIT	0xcbf29ce484222325ULL

#endif
