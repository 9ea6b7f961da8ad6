/* memo.c: folio.cached(key, fn, ...): a fragment made once per worker and build
 *
 * The same fragment recurs on many pages: an article's entry is on the
 * home pages, its tags', its sources', its year's and its month's, six or
 * seven lists in all. A layout that wraps it in folio.cached() makes it
 * once per worker; the other pages get a copy of the string.
 *
 * What the function read of `site` while it ran is kept with the string
 * and counted as read by every page that takes it, so that the page cache
 * (incremental builds) knows what those pages depend on, as if each had
 * run the function itself. The strings live in C, not in the Lua heap, so
 * that the collector neither walks them nor lets the heap grow by their
 * size; past MEMO_MAX bytes a worker makes new fragments without keeping
 * them. With relative links the fragment's links depend on the page's
 * folder, which is then part of the key.
 */
#include <stdlib.h>
#include <string.h>

#include <lua.h>
#include <lauxlib.h>

#include "folio.h"
#include "theme/internal.h"
#include "util/arena.h"
#include "util/strmap.h"

#define MEMO_MAX	(24u * 1024 * 1024)	/* bytes of fragments kept per worker */

struct memo {
	unsigned	 reads;		/* site lists read while it was made (theme->site_reads) */
	size_t		 len;
	char		*text;		/* len bytes, then the key: one block */
};

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
	if ((m = strmap_get(&t->memo, k)) != NULL) {
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
	if (t->memo_bytes + len <= MEMO_MAX) {
		klen = strlen(k);
		m = xmalloc(sizeof(*m) + len + klen + 1);
		m->reads = inner;
		m->len = len;
		m->text = (char *)(m + 1);
		memcpy(m->text, s, len);
		memcpy(m->text + len, k, klen + 1);
		strmap_put(&t->memo, m->text + len, m);
		t->memo_bytes += len;
	}
	return 1;
}

void
memo_register(lua_State *L)
{
	lua_pushcfunction(L, l_cached);
	lua_setfield(L, -2, "cached");
}

void
memo_free(struct theme *t)
{
	size_t	i;

	for (i = 0; i < t->memo.cap; i++)
		free(t->memo.slots[i].value);
	strmap_free(&t->memo);
	t->memo_bytes = 0;
}
