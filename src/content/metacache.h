/* metacache.h: parsed front matter of unchanged files, across builds (.folio-cache/meta) */
#ifndef CONTENT_METACACHE_H
#define CONTENT_METACACHE_H

#include <stddef.h>

struct arena;
struct article;
struct metacache;
struct file_stat;

/* Load the cache at path (absent, corrupt or foreign: empty). Never NULL. */
struct metacache	*metacache_open(const char *path);
/*
 * The article of file key (path relative to the content folder) if st is
 * the stat the cache recorded: every field of article_parse_meta() but
 * path, relpath and mtime, in ar; NULL otherwise. A hit is kept for the
 * next build. Thread-safe.
 */
struct article		*metacache_get(struct metacache *, struct arena *ar, const char *key,
			    const struct file_stat *st);
/* Record a freshly parsed article for the next build. Thread-safe. */
void			 metacache_put(struct metacache *, const char *key, const struct article *,
			    const struct file_stat *st);
size_t			 metacache_hits(const struct metacache *);
/* Write what this build recorded (save), free everything. -1 if it could not be written. */
int			 metacache_close(struct metacache *, int save);

#endif
