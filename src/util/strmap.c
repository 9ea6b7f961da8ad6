/* strmap.c: open-addressing hash table keyed by strings */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "fsutil.h"
#include "strmap.h"

void
strmap_init(struct strmap *m)
{
	m->slots = NULL;
	m->cap = m->n = 0;
}

void
strmap_free(struct strmap *m)
{
	free(m->slots);
	strmap_init(m);
}

/* hash64, its high bits folded into the low ones that pick the slot */
size_t
strmap_hash(const char *key)
{
	uint64_t	h = hash64(key, strlen(key));

	h ^= h >> 32;
	h *= 0x9e3779b97f4a7c15ULL;
	return (size_t)(h ^ (h >> 29));
}

static size_t
find(const struct strmap_slot *slots, size_t cap, const char *key, size_t hash)
{
	size_t	i = hash & (cap - 1);

	while (slots[i].key != NULL && (slots[i].hash != hash || strcmp(slots[i].key, key) != 0))
		i = (i + 1) & (cap - 1);
	return i;
}

void *
strmap_get(const struct strmap *m, const char *key)
{
	size_t	i;

	if (m->cap == 0)
		return NULL;
	i = find(m->slots, m->cap, key, strmap_hash(key));
	return m->slots[i].key ? m->slots[i].value : NULL;
}

/* Move every entry into a table of cap slots (a power of two). */
static void
rehash(struct strmap *m, size_t cap)
{
	struct strmap_slot	*old = m->slots;
	size_t			 oldcap = m->cap, i, j;

	m->cap = cap;
	m->slots = xcalloc(m->cap, sizeof(*m->slots));
	for (i = 0; i < oldcap; i++)
		if (old[i].key != NULL) {
			for (j = old[i].hash & (m->cap - 1); m->slots[j].key != NULL;
			    j = (j + 1) & (m->cap - 1))
				;
			m->slots[j] = old[i];
		}
	free(old);
}

void
strmap_reserve(struct strmap *m, size_t n)
{
	size_t	cap = m->cap ? m->cap : 64;

	while (n * 2 > cap)
		cap *= 2;
	if (cap > m->cap)
		rehash(m, cap);
}

void *
strmap_put(struct strmap *m, const char *key, void *value)
{
	size_t	i, hash = strmap_hash(key);
	void	*prev;

	if ((m->n + 1) * 2 > m->cap)		/* at most half full: short probes */
		rehash(m, m->cap ? m->cap * 2 : 64);
	i = find(m->slots, m->cap, key, hash);
	if (m->slots[i].key != NULL) {
		prev = m->slots[i].value;
		m->slots[i].value = value;
		return prev;
	}
	m->slots[i].key = key;
	m->slots[i].value = value;
	m->slots[i].hash = hash;
	m->n++;
	return NULL;
}
