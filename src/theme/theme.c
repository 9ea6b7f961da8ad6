/* theme.c: the sandboxed lua_State of a theme, its loader and its limits */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

#include "folio.h"
#include "theme/internal.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/fsutil.h"
#include "util/pool.h"

#ifndef FOLIO_SHARE
#define FOLIO_SHARE	"/usr/local/share/folio"
#endif

const char *const page_kind_names[PAGE_NKINDS] = {
	"article", "home", "tag", "tags", "source", "sources",
	"year", "month", "archive", "changes", "404"
};

/* the libraries a theme gets; io, os, debug and package are not among them */
static const luaL_Reg safe_libs[] = {
	{ LUA_GNAME, luaopen_base },
	{ LUA_STRLIBNAME, luaopen_string },
	{ LUA_TABLIBNAME, luaopen_table },
	{ LUA_MATHLIBNAME, luaopen_math },
	{ LUA_UTF8LIBNAME, luaopen_utf8 },
	{ LUA_COLIBNAME, luaopen_coroutine },
	{ NULL, NULL }
};

static const char *const removed_globals[] = {
	"dofile", "loadfile", "require", "collectgarbage", NULL
};

static void	where_defined(lua_State *, char *, size_t);

/*
 * The theme this thread is calling into (theme_call), for
 * theme_start_counting(), which a signal handler calls: set only around the
 * lua_pcall, after the call is armed.
 */
static _Thread_local struct theme *volatile calling;

struct theme *
theme_of(lua_State *L)
{
	struct theme	*t;

	lua_getallocf(L, (void **)&t);
	return t;
}

/* "file:line" of the frame ar of L into t->where, if it is a Lua function's: 1, else 0. */
static int
note_frame(struct theme *t, lua_State *L, lua_Debug *ar)
{
	if (!lua_getinfo(L, "Sl", ar) || ar->currentline <= 0)
		return 0;
	snprintf(t->where, sizeof(t->where), "%s:%d", ar->short_src, ar->currentline);
	return 1;
}

/*
 * "file:line" of the innermost Lua function running on the theme's main
 * thread, into t->where. Reads the call stack only: safe from the allocator,
 * which Lua calls wherever it needs memory. Inside a coroutine that is the
 * line that resumed it.
 */
static void
note_where(struct theme *t)
{
	lua_Debug	ar;
	int		level;

	for (level = 0; lua_getstack(t->L, level, &ar); level++)
		if (note_frame(t, t->L, &ar))
			return;
}

/*
 * lua_Alloc with a ceiling: a runaway script gets "not enough memory". The
 * blocks come from the theme's own pool: a page's strings and tables are
 * small and die with it, and a free list per size serves them for a
 * fraction of what malloc costs (1,000 articles, -j1: 2.137 -> 1.979 G
 * instructions).
 */
static void *
capped_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	struct theme	*t = ud;
	void		*p;

	if (ptr == NULL)
		osize = 0;
	if (nsize == 0) {
		pool_realloc(t->pool, ptr, osize, 0);
		t->mem_used -= osize;
		return NULL;
	}
	if (nsize > osize && t->mem_used + (nsize - osize) > t->mem_max) {
		/* Lua raises memory errors without a position: note it while the stack is there */
		if (calling == t && (lua_gethookmask(t->L) == 0 || t->where[0] == '\0'))
			note_where(t);
		return NULL;
	}
	if ((p = pool_realloc(t->pool, ptr, osize, nsize)) == NULL)
		return NULL;
	t->mem_used += nsize - osize;
	return p;
}

/*
 * Every 1000 instructions of a thread that counts (see arm(); coroutines
 * always count, l_cocreate). Once the budget is spent the hook fires on every
 * instruction, so a pcall or a coroutine.resume that catches the error gets
 * the same error again at its next instruction: nothing in the theme can
 * outlive the limit. Also remembers where the script was, for memory errors,
 * which Lua raises without a position.
 */
static void
count_hook(lua_State *L, lua_Debug *ar)
{
	struct theme	*t = theme_of(L);

	note_frame(t, L, ar);
	if (t->steps > 0 && !t->exhausted) {
		t->steps--;
		return;
	}
	if (!t->exhausted) {
		t->exhausted = 1;
		lua_sethook(L, count_hook, LUA_MASKCOUNT, 1);
	}
	lua_pushfstring(L, "%s: instruction limit exceeded (%d million steps): runaway script?",
	    t->where[0] ? t->where : "?", (int)(THEME_MAX_STEPS / 1000000));
	lua_error(L);
}

/*
 * An error raised where no call into the theme protects it: C's own pushes
 * around a call (the page's tables, the call's cache) when the theme holds
 * nearly all of its memory limit between calls. Lua would abort(). Stop the
 * process as the watchdog does: the output is only swapped at the end of a
 * build, so it is left as it was, and the next build sweeps the staging folder.
 */
static int
on_panic(lua_State *L)
{
	const char	*msg = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "error";

	fprintf(stderr, "folio: theme: %s, outside a call into the theme "
	    "(does the theme keep nearly %u MB between pages?)\n"
	    "folio: build stopped; the output folder is left as it was\n",
	    msg, (unsigned)(THEME_MAX_MEMORY / (1024 * 1024)));
	fflush(stderr);
	_exit(1);
}

static int
on_error(lua_State *L)
{
	const char	*msg = lua_tostring(L, 1);

	if (msg == NULL)
		msg = luaL_tolstring(L, 1, NULL);
	luaL_traceback(L, L, msg, 1);
	return 1;
}

/* Count the steps of L (the theme's main thread or a new coroutine) from now on. */
static void
hook(struct theme *t, lua_State *L)
{
	lua_sethook(L, count_hook, LUA_MASKCOUNT, t->exhausted ? 1 : 1000);
}

/*
 * Every nudge sets the hook again, not only the first: Lua clears a frame's
 * trap when it finds no hook set (luaG_traceexec), and a signal landing
 * between that check and that store would lose the hook for the frame.
 */
void
theme_start_counting(void)
{
	struct theme	*t = calling;

	if (t != NULL)
		hook(t, t->L);
}

void
theme_count_lazily(struct theme *t)
{
	t->lazy = 1;
}

/*
 * Start a call into the theme with a full budget of steps, counted from the
 * start, or (lazily) once theme_start_counting() says the call runs long: a
 * hook makes Lua check every instruction.
 */
static void
arm(struct theme *t)
{
	t->steps = THEME_MAX_STEPS / 1000;
	t->exhausted = 0;
	t->where[0] = '\0';
	if (!t->lazy)
		hook(t, t->L);
	else if (lua_gethookmask(t->L) != 0)
		lua_sethook(t->L, NULL, 0, 0);
}

int
theme_call(struct theme *t, int nargs, int nresults)
{
	lua_State	*L = t->L;
	struct theme	*outer;
	int		 base = lua_gettop(L) - nargs;	/* the function's slot */
	int		 rc;

	lua_pushcfunction(L, on_error);
	lua_insert(L, base);
	arm(t);
	theme_reset_cache(L);
	outer = calling;
	calling = t;
	rc = lua_pcall(L, nargs, nresults, base);
	calling = outer;
	if (rc == LUA_OK) {
		lua_remove(L, base);
		return 0;
	}
	if (rc == LUA_ERRMEM)	/* raised without a position or a traceback */
		diag(NULL, 0, "theme: %s: memory limit exceeded (%u MB): runaway script?",
		    t->where[0] ? t->where : "?", (unsigned)(t->mem_max / (1024 * 1024)));
	else
		diag(NULL, 0, "theme: %s", lua_tostring(L, -1) ? lua_tostring(L, -1) : "error");
	lua_pop(L, 2);
	lua_gc(L, LUA_GCCOLLECT, 0);	/* give back what a runaway script held */
	return -1;
}

/* Find a Lua file of the theme: the site's own layouts/ first, then the theme's. Caller frees. */
static char *
find_module(struct theme *t, const char *name)
{
	const char	*dirs[3];
	char		*rel, *p;
	size_t		 i;

	for (p = (char *)name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    *p == '_' || *p == '-' || *p == '.' || *p == '/'))
			return NULL;
	if (strstr(name, "..") || name[0] == '/' || name[0] == '\0')
		return NULL;
	rel = xmalloc(strlen(name) + 16);
	dirs[0] = t->site_dir;
	dirs[1] = t->theme_dir;
	dirs[2] = NULL;
	for (i = 0; dirs[i]; i++) {
		/* "article" -> layouts/article.lua; "partials.nav" -> layouts/partials/nav.lua */
		sprintf(rel, "layouts/%s.lua", name);
		for (p = rel + 8; *p && strcmp(p, ".lua"); p++)
			if (*p == '.')
				*p = '/';
		p = path_join(dirs[i], rel);
		if (access(p, R_OK) == 0) {
			free(rel);
			return p;
		}
		free(p);
	}
	free(rel);
	return NULL;
}

/* Load a text chunk from a file into the sandbox; pushes the function. */
static int
load_file(lua_State *L, const char *path, const char *chunkname)
{
	char	*text;
	size_t	 len;
	int	 rc;

	if (file_read(path, &text, &len) == -1)
		return luaL_error(L, "cannot read %s", path);
	rc = luaL_loadbufferx(L, text, len, chunkname, "t");
	free(text);
	if (rc != LUA_OK)
		return lua_error(L);
	return 1;
}

/* require(name): theme modules only, text only, cached in the registry */
static int
l_require(lua_State *L)
{
	struct theme	*t = theme_of(L);
	const char	*name = luaL_checkstring(L, 1);
	char		*path;

	lua_getfield(L, LUA_REGISTRYINDEX, "folio.loaded");
	lua_getfield(L, -1, name);
	if (!lua_isnil(L, -1))
		return 1;
	lua_pop(L, 1);
	if ((path = find_module(t, name)) == NULL)
		return luaL_error(L, "module '%s' not found in layouts/ of the site or the theme", name);
	lua_pushfstring(L, "@%s", path);
	lua_pushstring(L, path);
	free(path);		/* no allocation is held across the calls below */
	load_file(L, lua_tostring(L, -1), lua_tostring(L, -2));	/* loaded chunkname path fn */
	lua_pushstring(L, name);
	lua_call(L, 1, 1);				/* loaded chunkname path result */
	if (lua_isnil(L, -1)) {
		lua_pop(L, 1);
		lua_pushboolean(L, 1);
	}
	lua_pushvalue(L, -1);
	lua_setfield(L, -5, name);
	return 1;
}

/* load(chunk [, name [, mode [, env]]]) for text only: no bytecode reaches the VM */
static int
l_load(lua_State *L)
{
	size_t		 len;
	const char	*s = luaL_checklstring(L, 1, &len);
	const char	*name = luaL_optstring(L, 2, "=(load)");
	int		 rc;

	if (len > 0 && s[0] == LUA_SIGNATURE[0])
		return luaL_error(L, "load: precompiled (binary) chunks are not allowed in a theme");
	rc = luaL_loadbufferx(L, s, len, name, "t");
	if (rc != LUA_OK) {
		lua_pushnil(L);
		lua_insert(L, -2);
		return 2;
	}
	if (!lua_isnoneornil(L, 4)) {		/* env: the chunk's first upvalue */
		lua_pushvalue(L, 4);
		if (!lua_setupvalue(L, -2, 1))
			lua_pop(L, 1);
	}
	return 1;
}

/* collectgarbage("count") and ("collect") only: a theme cannot stop the collector */
static int
l_collectgarbage(lua_State *L)
{
	const char	*opt = luaL_optstring(L, 1, "collect");

	if (strcmp(opt, "count") == 0) {
		lua_pushnumber(L, (lua_Number)lua_gc(L, LUA_GCCOUNT, 0) +
		    (lua_Number)lua_gc(L, LUA_GCCOUNTB, 0) / 1024);
		return 1;
	}
	if (strcmp(opt, "collect") == 0) {
		lua_gc(L, LUA_GCCOLLECT, 0);
		lua_pushinteger(L, 0);
		return 1;
	}
	return luaL_error(L, "collectgarbage('%s') is not allowed in a theme", opt);
}

/*
 * setmetatable(t, mt) refusing __gc: Lua runs finalizers with hooks off, so a
 * finalizer would escape the instruction limit.
 */
static int
l_setmetatable(lua_State *L)
{
	if (lua_istable(L, 2) && lua_getfield(L, 2, "__gc") != LUA_TNIL)
		return luaL_error(L, "setmetatable: __gc finalizers are not allowed in a theme");
	lua_settop(L, 2);
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, 2, 1);
	return 1;
}

/* string.rep(s, n [, sep]) that refuses, with a position, a result the memory limit cannot hold */
static int
l_rep(lua_State *L)
{
	struct theme	*t = theme_of(L);
	size_t		 l, lsep = 0;
	lua_Integer	 n;
	double		 want;

	luaL_checklstring(L, 1, &l);
	n = luaL_checkinteger(L, 2);
	luaL_optlstring(L, 3, "", &lsep);
	want = n > 0 ? (double)n * (double)(l + lsep) : 0;
	if (want > (double)(t->mem_max - t->mem_used))
		return luaL_error(L, "string.rep: a result of %f MB would pass the memory limit (%d MB)",
		    want / (1024 * 1024), (int)(t->mem_max / (1024 * 1024)));
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, lua_gettop(L) - 1, 1);
	return 1;
}

/* the global table's __index: a clear word for what the sandbox took away */
static int
l_global_index(lua_State *L)
{
	static const char *const gone[] = {
		"os", "io", "debug", "package", "dofile", "loadfile", "loadstring", "module", NULL
	};
	const char	*k = lua_tostring(L, 2);
	size_t		 i;

	for (i = 0; k && gone[i]; i++)
		if (strcmp(k, gone[i]) == 0)
			return luaL_error(L, "'%s' is not available in a theme (sandbox: no files, "
			    "processes or debug access; see docs/THEMES.md)", k);
	return 0;
}

/*
 * coroutine.create and coroutine.wrap (upvalue 1: Lua's own): a coroutine
 * counts its steps from its first instruction. A lazily counted call is only
 * made to count on its main thread (theme_start_counting), so a coroutine
 * that began before that would otherwise never stop.
 */
static int
l_cocreate(lua_State *L)
{
	lua_State	*co;

	luaL_checktype(L, 1, LUA_TFUNCTION);	/* here, so that the error names this call's line */
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, lua_gettop(L) - 1, 1);
	if (lua_iscfunction(L, -1)) {	/* wrap's function holds the coroutine as its upvalue */
		if (lua_getupvalue(L, -1, 1) == NULL)
			lua_pushnil(L);
	} else
		lua_pushvalue(L, -1);
	if ((co = lua_tothread(L, -1)) != NULL)
		hook(theme_of(L), co);
	lua_pop(L, 1);
	return 1;
}

static void
sandbox(lua_State *L)
{
	const luaL_Reg	*lib;
	size_t		 i;

	for (lib = safe_libs; lib->func; lib++) {
		luaL_requiref(L, lib->name, lib->func, 1);
		lua_pop(L, 1);
	}
	for (i = 0; removed_globals[i]; i++) {
		lua_pushnil(L);
		lua_setglobal(L, removed_globals[i]);
	}
	lua_pushcfunction(L, l_load);
	lua_setglobal(L, "load");
	lua_pushcfunction(L, l_require);
	lua_setglobal(L, "require");
	lua_pushcfunction(L, l_collectgarbage);
	lua_setglobal(L, "collectgarbage");
	lua_getglobal(L, "setmetatable");
	lua_pushcclosure(L, l_setmetatable, 1);
	lua_setglobal(L, "setmetatable");
	lua_pushglobaltable(L);
	lua_createtable(L, 0, 1);
	lua_pushcfunction(L, l_global_index);
	lua_setfield(L, -2, "__index");
	lua_setmetatable(L, -2);
	lua_pop(L, 1);
	/* no bytecode out either */
	lua_getglobal(L, "string");
	lua_getfield(L, -1, "rep");
	lua_pushcclosure(L, l_rep, 1);
	lua_setfield(L, -2, "rep");
	lua_pushnil(L);
	lua_setfield(L, -2, "dump");
	lua_pop(L, 1);
	lua_getglobal(L, "coroutine");
	for (i = 0; i < 2; i++) {
		const char *name = i == 0 ? "create" : "wrap";

		lua_getfield(L, -1, name);
		lua_pushcclosure(L, l_cocreate, 1);
		lua_setfield(L, -2, name);
	}
	lua_pop(L, 1);
	/* the string metatable is shared by every string: hide it */
	lua_pushliteral(L, "");
	lua_getmetatable(L, -1);
	lua_pushboolean(L, 0);
	lua_setfield(L, -2, "__metatable");
	lua_pop(L, 2);
	lua_newtable(L);
	lua_setfield(L, LUA_REGISTRYINDEX, "folio.loaded");
	luaL_requiref(L, "folio", luaopen_folio, 1);
	lua_getfield(L, LUA_REGISTRYINDEX, "folio.loaded");
	lua_pushvalue(L, -2);
	lua_setfield(L, -2, "folio");
	lua_pop(L, 2);
}

char *
theme_find(const char *site_dir, const char *name)
{
	const char	*env = getenv("FOLIO_THEMES");
	char		*p, *q;

	p = path_join(site_dir, "themes");
	q = path_join(p, name);
	free(p);
	if (is_dir(q))
		return q;
	free(q);
	if (env && *env) {
		q = path_join(env, name);
		if (is_dir(q))
			return q;
		free(q);
	}
	/* next to the folio binary: running from a checkout */
	if ((p = realpath("/proc/self/exe", NULL)) != NULL) {
		char *slash = strrchr(p, '/');
		if (slash) {
			*slash = '\0';
			char *t = path_join(p, "themes");
			q = path_join(t, name);
			free(t);
			if (is_dir(q)) {
				free(p);
				return q;
			}
			free(q);
		}
		free(p);
	}
	p = path_join(FOLIO_SHARE, "themes");
	q = path_join(p, name);
	free(p);
	if (is_dir(q))
		return q;
	free(q);
	return NULL;
}

/* Run an entry file (theme.lua or site.lua) and keep the hooks table it returns. */
static int
load_hooks(struct theme *t, const char *dir, const char *file, int *ref)
{
	char	*path = path_join(dir, file);
	int	 rc = 0;

	*ref = LUA_NOREF;
	if (access(path, R_OK) != 0) {
		free(path);
		return 0;
	}
	lua_pushcfunction(t->L, on_error);
	if (luaL_loadfilex(t->L, path, "t") != LUA_OK) {
		rc = diag(NULL, 0, "theme: %s", lua_tostring(t->L, -1));
		lua_pop(t->L, 2);
		free(path);
		return rc;
	}
	lua_remove(t->L, -2);
	free(path);
	if (theme_call(t, 0, 1) == -1)
		return -1;
	if (lua_istable(t->L, -1))
		*ref = luaL_ref(t->L, LUA_REGISTRYINDEX);
	else
		lua_pop(t->L, 1);
	return 0;
}

struct theme *
theme_open(const struct theme_paths *paths, const struct site *site, const struct config *cfg,
    int serve_mode)
{
	struct theme	*t = xcalloc(1, sizeof(*t));
	lua_State	*L;

	t->site = site;
	t->cfg = cfg;
	t->serve_mode = serve_mode;
	t->site_dir = xstrdup(paths->site_dir);
	t->theme_dir = xstrdup(paths->theme_dir);
	t->assets = paths->assets;
	t->mem_max = THEME_MAX_MEMORY;
	if ((t->memo = paths->memo) == NULL) {
		t->memo = memo_store_new();
		t->own_memo = 1;
	}
	t->hooks_ref = t->site_hooks_ref = t->site_ref = t->layouts_ref = LUA_NOREF;
	if ((t->pool = pool_new()) == NULL || (L = t->L = lua_newstate(capped_alloc, t)) == NULL) {
		diag(NULL, 0, "cannot start Lua");
		goto fail;
	}
	lua_atpanic(L, on_panic);
	arm(t);
	/*
	 * A page's tables are garbage as soon as it is written, and what lives on
	 * (modules, the lazy site) is small: a cycle every time the heap grows
	 * tenfold instead of twofold does a fifth of the collections for some
	 * megabytes more per worker (1,000 articles, -j1: 2.381 -> 2.315 G
	 * instructions; generational mode: 2.392 G).
	 */
	lua_gc(L, LUA_GCINC, 1000, 0, 0);
	sandbox(L);
	lua_newtable(L);
	t->layouts_ref = luaL_ref(L, LUA_REGISTRYINDEX);
	if (site != NULL) {
		push_site(t);
		t->site_ref = luaL_ref(L, LUA_REGISTRYINDEX);
	}
	if (load_hooks(t, t->theme_dir, "theme.lua", &t->hooks_ref) == -1 ||
	    load_hooks(t, t->site_dir, "site.lua", &t->site_hooks_ref) == -1)
		goto fail;
	return t;
fail:
	theme_close(t);
	return NULL;
}

void
theme_close(struct theme *t)
{
	if (t == NULL)
		return;
	if (t->L)
		lua_close(t->L);
	if (t->own_memo)
		memo_store_free(t->memo);
	pool_free(t->pool);
	free(t->site_dir);
	free(t->theme_dir);
	free(t);
}

int
theme_has_layout(struct theme *t, const char *name)
{
	char	*p = find_module(t, name);
	int	 ok = p != NULL;

	free(p);
	return ok;
}

/* Push the layout function of a kind, loading layouts/<kind>.lua once. */
static int
push_layout(struct theme *t, const char *kind)
{
	lua_State	*L = t->L;

	lua_rawgeti(L, LUA_REGISTRYINDEX, t->layouts_ref);
	lua_getfield(L, -1, kind);
	if (lua_isfunction(L, -1)) {
		lua_remove(L, -2);
		return 0;
	}
	lua_pop(L, 1);
	lua_pushcfunction(L, l_require);
	lua_pushstring(L, kind);
	if (theme_call(t, 1, 1) == -1) {
		lua_pop(L, 1);
		return -1;
	}
	if (!lua_isfunction(L, -1)) {
		lua_pop(L, 2);
		return diag(NULL, 0, "theme: layouts/%s.lua must return a function(page, site)", kind);
	}
	lua_pushvalue(L, -1);
	lua_setfield(L, -3, kind);
	lua_remove(L, -2);
	return 0;
}

int
theme_render(struct theme *t, const struct page *p, struct buf *out)
{
	lua_State	*L = t->L;
	const char	*html;
	size_t		 len;
	int		 top = lua_gettop(L);
	char		 where[200];

	if (push_layout(t, page_kind_names[p->kind]) == -1)
		return -1;
	where_defined(L, where, sizeof(where));
	t->page_path = p->path;
	push_page(t, p);
	lua_rawgeti(L, LUA_REGISTRYINDEX, t->site_ref);
	if (theme_call(t, 2, 1) == -1) {
		diag(NULL, 0, "theme: while rendering %s with the layout at %s", p->path, where);
		lua_settop(L, top);
		return -1;
	}
	if ((html = lua_tolstring(L, -1, &len)) == NULL) {
		lua_settop(L, top);
		return diag(NULL, 0, "theme: layouts/%s.lua returned %s for %s, not a string",
		    page_kind_names[p->kind], luaL_typename(L, -1), p->path);
	}
	buf_put(out, html, len);
	lua_settop(L, top);
	/* keep a long build's memory flat: pages share nothing */
	if (t->mem_used > 64u * 1024 * 1024)
		lua_gc(L, LUA_GCCOLLECT, 0);
	return 0;
}

/*
 * Push field k of the table at idx, read raw: C reads the theme's tables
 * outside any theme call, where a metamethod the theme set (an __index that
 * raises, or loops) would have nobody to catch its error or count its steps.
 */
static int
rawfield(lua_State *L, int idx, const char *k)
{
	idx = lua_absindex(L, idx);
	lua_pushstring(L, k);
	return lua_rawget(L, idx);
}

/* Push hook `name` of the table ref; 0 if there is none. */
static int
push_hook(struct theme *t, int ref, const char *name)
{
	if (ref == LUA_NOREF)
		return 0;
	lua_rawgeti(t->L, LUA_REGISTRYINDEX, ref);
	rawfield(t->L, -1, name);
	lua_remove(t->L, -2);
	if (lua_isfunction(t->L, -1))
		return 1;
	lua_pop(t->L, 1);
	return 0;
}

/* Read back a list of strings from field k of the table at idx into the arena. */
static int
read_strings(lua_State *L, struct arena *ar, int idx, const char *k, const char ***out, size_t *n)
{
	size_t	i, len;

	rawfield(L, idx, k);
	if (!lua_istable(L, -1)) {
		lua_pop(L, 1);
		return 0;
	}
	len = (size_t)lua_rawlen(L, -1);
	*out = arena_array(ar, len ? len : 1, sizeof(char *));
	*n = 0;
	for (i = 1; i <= len; i++) {
		lua_rawgeti(L, -1, (lua_Integer)i);
		if (lua_type(L, -1) == LUA_TSTRING)
			(*out)[(*n)++] = arena_strdup(ar, lua_tostring(L, -1));
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
	return 0;
}

int
theme_on_article(struct theme *t, struct arena *ar, struct article *a)
{
	lua_State	*L = t->L;
	int		 refs[2] = { t->hooks_ref, t->site_hooks_ref }, i, top;

	for (i = 0; i < 2; i++) {
		if (!push_hook(t, refs[i], "on_article"))
			continue;
		top = lua_gettop(L);
		push_article(t, a, 0);
		lua_pushvalue(L, -1);
		lua_insert(L, top);			/* art fn art */
		if (theme_call(t, 1, 0) == -1) {
			lua_pop(L, 1);
			return diag(a->path, 0, "on_article hook failed");
		}
		rawfield(L, -1, "title");
		if (lua_type(L, -1) == LUA_TSTRING && *lua_tostring(L, -1))
			a->title = arena_strdup(ar, lua_tostring(L, -1));
		lua_pop(L, 1);
		rawfield(L, -1, "headline");
		a->headline = lua_type(L, -1) == LUA_TSTRING ? arena_strdup(ar, lua_tostring(L, -1)) : NULL;
		lua_pop(L, 1);
		rawfield(L, -1, "draft");
		a->draft = lua_toboolean(L, -1);
		lua_pop(L, 1);
		rawfield(L, -1, "tags");
		if (lua_istable(L, -1)) {
			size_t n = (size_t)lua_rawlen(L, -1), j;
			a->tags = arena_array(ar, n ? n : 1, sizeof(char *));
			a->ntags = 0;
			for (j = 1; j <= n; j++) {
				lua_rawgeti(L, -1, (lua_Integer)j);
				if (lua_istable(L, -1))
					rawfield(L, -1, "name");
				else
					lua_pushvalue(L, -1);
				if (lua_type(L, -1) == LUA_TSTRING && *lua_tostring(L, -1))
					a->tags[a->ntags++] = arena_strdup(ar, lua_tostring(L, -1));
				lua_pop(L, 2);
			}
		}
		lua_pop(L, 1);
		read_strings(L, ar, -1, "authors", &a->authors, &a->nauthors);
		lua_pop(L, 1);
	}
	return 0;
}

/* "site.lua:12" for the function on top of the stack: where a hook is defined */
static void
where_defined(lua_State *L, char *out, size_t size)
{
	lua_Debug	ar;

	lua_pushvalue(L, -1);
	if (lua_getinfo(L, ">S", &ar))
		snprintf(out, size, "%s:%d", ar.short_src, ar.linedefined);
	else
		snprintf(out, size, "?");
}

int
theme_pages(struct theme *t, int (*emit)(void *, const char *, const char *, size_t), void *arg)
{
	lua_State	*L = t->L;
	int		 refs[2] = { t->hooks_ref, t->site_hooks_ref }, i, rc = 0;
	size_t		 n, j, len;
	const char	*path, *data;
	char		 where[200];

	for (i = 0; i < 2; i++) {
		if (!push_hook(t, refs[i], "pages"))
			continue;
		where_defined(L, where, sizeof(where));
		lua_rawgeti(L, LUA_REGISTRYINDEX, t->site_ref);
		if (theme_call(t, 1, 1) == -1)
			return diag(NULL, 0, "theme: %s: pages hook failed", where);
		if (!lua_istable(L, -1)) {
			if (!lua_isnil(L, -1))
				rc = diag(NULL, 0, "theme: %s: pages(site) must return a list of "
				    "{ path = ..., content = ... }, not a %s", where, luaL_typename(L, -1));
			lua_pop(L, 1);
			continue;
		}
		n = (size_t)lua_rawlen(L, -1);
		for (j = 1; j <= n; j++) {
			lua_rawgeti(L, -1, (lua_Integer)j);
			if (!lua_istable(L, -1)) {
				rc = diag(NULL, 0, "theme: %s: pages(site) item %zu is a %s, not a table",
				    where, j, luaL_typename(L, -1));
				lua_pop(L, 1);
				continue;
			}
			rawfield(L, -1, "path");
			rawfield(L, -2, "content");
			path = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
			data = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &len) : NULL;
			if (path == NULL || data == NULL)
				rc = diag(NULL, 0, "theme: %s: pages(site) item %zu needs a path and a content string",
				    where, j);
			else if (emit(arg, path[0] == '/' ? path + 1 : path, data, len) == -1)
				rc = diag(NULL, 0, "theme: %s: pages(site) item %zu: cannot write '%s'",
				    where, j, path);
			lua_pop(L, 3);
		}
		lua_pop(L, 1);
	}
	return rc;
}

int
theme_on_done(struct theme *t)
{
	int	refs[2] = { t->hooks_ref, t->site_hooks_ref }, i;

	for (i = 0; i < 2; i++) {
		if (!push_hook(t, refs[i], "on_done"))
			continue;
		lua_rawgeti(t->L, LUA_REGISTRYINDEX, t->site_ref);
		if (theme_call(t, 1, 0) == -1)
			return diag(NULL, 0, "theme: on_done hook failed");
	}
	return 0;
}

unsigned
theme_take_reads(struct theme *t)
{
	unsigned	r = t->site_reads;

	t->site_reads = 0;
	return r;
}
