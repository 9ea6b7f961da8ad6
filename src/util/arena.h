/* arena.h: one allocator for everything that lives as long as a build */
#ifndef UTIL_ARENA_H
#define UTIL_ARENA_H

#include <stddef.h>

struct arena;

struct arena	*arena_new(void);
void		 arena_free(struct arena *);
void		*arena_alloc(struct arena *, size_t);		/* zeroed, aligned */
void		*arena_alloc_raw(struct arena *, size_t);	/* aligned, not zeroed: to be filled */
void		*arena_array(struct arena *, size_t n, size_t size);	/* checks n*size */
char		*arena_strdup(struct arena *, const char *);
char		*arena_strndup(struct arena *, const char *, size_t);
char		*arena_printf(struct arena *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
size_t		 arena_used(const struct arena *);
/* Move every block of src into dst and free src: its memory now lives as long as dst. */
void		 arena_adopt(struct arena *dst, struct arena *src);

/* xmalloc family: out of memory is the one immediate stop */
void		*xmalloc(size_t);
void		*xcalloc(size_t, size_t);
void		*xrealloc(void *, size_t);
void		*xreallocarray(void *, size_t, size_t);
char		*xstrdup(const char *);
char		*xstrndup(const char *, size_t);

#endif
