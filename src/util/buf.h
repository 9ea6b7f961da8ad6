/* buf.h: a growable byte buffer, always NUL-terminated */
#ifndef UTIL_BUF_H
#define UTIL_BUF_H

#include <stddef.h>
#include <stdint.h>

struct buf {
	char	*data;		/* heap, owned by the buf; "" when empty */
	size_t	 len;
	size_t	 cap;
};

void	 buf_init(struct buf *);
void	 buf_free(struct buf *);
void	 buf_reset(struct buf *);
void	 buf_grow(struct buf *, size_t extra);
void	 buf_put(struct buf *, const void *, size_t);
void	 buf_puts(struct buf *, const char *);
void	 buf_putc(struct buf *, int);
/* host byte order, for caches that never leave the machine */
void	 buf_put_u32(struct buf *, uint32_t);
void	 buf_put_u64(struct buf *, uint64_t);
/*
 * Text for line-based caches, without printf (its cost showed in every
 * build): "%016" PRIx64 (16 characters), "%" PRIu64 and "%" PRId64 (at
 * most 20 and 21) written at p, which has the room; each returns the end.
 */
char	*fmt_hex64(char *p, uint64_t);
char	*fmt_u64(char *p, uint64_t);
char	*fmt_i64(char *p, int64_t);
/*
 * And back: the value of the hex digits at s, 16 at most (strtoull() cost
 * more than the rest of reading a page cache); *end is past the last one
 * read, s itself if there is none.
 */
uint64_t parse_hex64(const char *s, char **end);	/* end: as strtoull()'s */
void	 buf_put_hex64(struct buf *, uint64_t);
void	 buf_put_hex(struct buf *, uint64_t);	/* "%" PRIx64: no leading zeros */
void	 buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
char	*buf_release(struct buf *);	/* caller frees; buf is left empty */

/* HTML and XML escaping of text and attribute values (& < > " ') */
void	 buf_put_escaped(struct buf *, const char *, size_t);

#endif
