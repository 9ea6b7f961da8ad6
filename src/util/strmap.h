/* strmap.h: string -> pointer hash table (open addressing); keys are not copied */
#ifndef UTIL_STRMAP_H
#define UTIL_STRMAP_H

#include <stddef.h>

struct strmap_slot {
	const char	*key;
	void		*value;
	size_t		 hash;		/* of key, kept: a probe compares it before the key */
};

struct strmap {
	struct strmap_slot	*slots;		/* heap, owned */
	size_t			 cap;		/* power of two */
	size_t			 n;
};

void	 strmap_init(struct strmap *);
size_t	 strmap_hash(const char *key);	/* for tables of its own kind */
void	 strmap_free(struct strmap *);
void	*strmap_get(const struct strmap *, const char *key);
/* Room for n keys without growing again. */
void	 strmap_reserve(struct strmap *, size_t n);
/* Insert or replace; returns the previous value or NULL. key must outlive the map. */
void	*strmap_put(struct strmap *, const char *key, void *value);

#endif
