/* memo.c: folio.cached(key, fn, ...): a fragment made once per build
 *
 * The same fragment recurs on many pages: an article's entry is on the
 * home pages, its tags', its sources', its year's and its month's, six or
 * seven lists in all. A layout that wraps it in folio.cached() makes it
 * once; the other pages get a copy of the string.
 *
 * The store is shared by the workers' themes of a build (the build makes
 * it: memo_store_new()), under a lock held only to look up or add. Kept
 * per worker, each fragment was made once by each worker, and at 50,000
 * articles the fragments passed a worker's share of the limit, so that
 * the pages past it made theirs again, and each list page cost more than
 * at 10,000. Two workers missing the same key at once both make it; the
 * first kept is the one both return, so that every page gets the same
 * string for a key even from a function that is not as pure as it should.
 *
 * What the function read of `site` while it ran is kept with the string
 * and counted as read by every page that takes it, so that the page cache
 * (incremental builds) knows what those pages depend on, as if each had
 * run the function itself. The strings live in C, not in the Lua heap, so
 * that the collector neither walks them nor lets the heap grow by their
 * size; past MEMO_MAX bytes new fragments are made without being kept.
 * With relative links the fragment's links depend on the page's folder,
 * which is then part of the key.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <lua.h>
#include <lauxlib.h>

#include "folio.h"
#include "theme/internal.h"
#include "util/arena.h"
#include "util/strmap.h"

#define MEMO_MAX	(64u * 1024 * 1024)	/* bytes of fragments kept per store */

struct memo {
	unsigned	 reads;		/* site lists read while it was made (theme->site_reads) */
	size_t		 len;
	char		*text;		/* len bytes, then the key: one block */
};

struct memo_store {
	pthread_mutex_t	 lock;		/* over map and bytes */
	struct strmap	 map;		/* key -> struct memo */
	size_t		 bytes;		/* of the fragments kept */
};

struct memo_store *
memo_store_new(void)
{
	struct memo_store	*s = xcalloc(1, sizeof(*s));

	pthread_mutex_init(&s->lock, NULL);
	strmap_init(&s->map);
	return s;
}

void
memo_store_free(struct memo_store *s)
{
	size_t	i;

	if (s == NULL)
		return;
	for (i = 0; i < s->map.cap; i++)
		free(s->map.slots[i].value);
	strmap_free(&s->map);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

static struct memo *
store_get(struct memo_store *s, const char *key)
{
	struct memo	*m;

	pthread_mutex_lock(&s->lock);
	m = strmap_get(&s->map, key);
	pthread_mutex_unlock(&s->lock);
	return m;	/* never freed before the store */
}

/*
 * Keep len bytes of text for key, unless the store is full (NULL). Returns
 * what the store keeps for key: this, or what another worker kept first.
 */
static struct memo *
store_put(struct memo_store *s, const char *key, const char *text, size_t len, unsigned reads)
{
	struct memo	*m, *kept;
	size_t		 klen = strlen(key);

	m = xmalloc(sizeof(*m) + len + klen + 1);
	m->reads = reads;
	m->len = len;
	m->text = (char *)(m + 1);
	memcpy(m->text, text, len);
	memcpy(m->text + len, key, klen + 1);
	pthread_mutex_lock(&s->lock);
	if ((kept = strmap_get(&s->map, m->text + len)) == NULL && s->bytes + len <= MEMO_MAX) {
		strmap_put(&s->map, m->text + len, m);
		s->bytes += len;
		kept = m;
	}
	pthread_mutex_unlock(&s->lock);
	if (kept != m)
		free(m);
	return kept;
}

/* The key as given, or with the page's folder when links are relative to it. */
static const char *
full_key(lua_State *L, struct theme *t, const char *key)
{
	const char	*slash;

	if (!t->cfg->relative_links || t->page_path == NULL)
		return key;
	slash = strrchr(t->page_path, '/');
	lua_pushfstring(L, "%s\n", key);
	lua_pushlstring(L, t->page_path, slash ? (size_t)(slash - t->page_path) + 1 : 0);
	lua_concat(L, 2);
	return lua_tostring(L, -1);
}

static int
l_cached(lua_State *L)
{
	struct theme	*t = theme_of(L);
	const char	*key, *k, *s;
	struct memo	*m;
	unsigned	 outer, inner;
	size_t		 len, klen;
	int		 n = lua_gettop(L), i, rc;

	key = luaL_checklstring(L, 1, &klen);
	if (memchr(key, '\0', klen) != NULL)	/* keys are C strings here: "a\0b" would be "a" */
		return luaL_argerror(L, 1, "a key may not hold a NUL byte");
	luaL_checktype(L, 2, LUA_TFUNCTION);
	k = full_key(L, t, key);		/* may push: above the arguments */
	if ((m = store_get(t->memo, k)) != NULL) {
		t->site_reads |= m->reads;
		lua_pushlstring(L, m->text, m->len);
		return 1;
	}
	lua_pushvalue(L, 2);
	for (i = 3; i <= n; i++)
		lua_pushvalue(L, i);
	outer = t->site_reads;
	t->site_reads = 0;
	rc = lua_pcall(L, n - 2, 1, 0);
	inner = t->site_reads;
	t->site_reads = outer | inner;	/* also when fn failed: a pcall in the layout may go on */
	if (rc != LUA_OK)
		return lua_error(L);
	if (lua_type(L, -1) != LUA_TSTRING)
		return luaL_error(L, "folio.cached: the function for '%s' returned %s, not a string",
		    key, luaL_typename(L, -1));
	s = lua_tolstring(L, -1, &len);
	if ((m = store_put(t->memo, k, s, len, inner)) != NULL && (m->len != len || memcmp(m->text, s, len))) {
		/* another worker's, kept first: every page gets the same string for a key */
		t->site_reads |= m->reads;
		lua_pushlstring(L, m->text, m->len);
	}
	return 1;
}

void
memo_register(lua_State *L)
{
	lua_pushcfunction(L, l_cached);
	lua_setfield(L, -2, "cached");
}
