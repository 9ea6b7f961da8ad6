/* strmap.c: open-addressing hash table keyed by strings */
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

static size_t
find(const struct strmap_slot *slots, size_t cap, const char *key)
{
	size_t	i = (size_t)hash64(key, strlen(key)) & (cap - 1);

	while (slots[i].key != NULL && strcmp(slots[i].key, key) != 0)
		i = (i + 1) & (cap - 1);
	return i;
}

void *
strmap_get(const struct strmap *m, const char *key)
{
	size_t	i;

	if (m->cap == 0)
		return NULL;
	i = find(m->slots, m->cap, key);
	return m->slots[i].key ? m->slots[i].value : NULL;
}

void *
strmap_put(struct strmap *m, const char *key, void *value)
{
	struct strmap_slot	*old = m->slots;
	size_t			 oldcap = m->cap, i, j;
	void			*prev;

	if ((m->n + 1) * 4 > m->cap * 3) {
		m->cap = m->cap ? m->cap * 2 : 64;
		m->slots = xcalloc(m->cap, sizeof(*m->slots));
		for (i = 0; i < oldcap; i++)
			if (old[i].key != NULL) {
				j = find(m->slots, m->cap, old[i].key);
				m->slots[j] = old[i];
			}
		free(old);
	}
	i = find(m->slots, m->cap, key);
	if (m->slots[i].key != NULL) {
		prev = m->slots[i].value;
		m->slots[i].value = value;
		return prev;
	}
	m->slots[i].key = key;
	m->slots[i].value = value;
	m->n++;
	return NULL;
}
