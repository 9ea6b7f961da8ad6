/* internal.h: what the files of theme/ share; nobody else includes it */
#ifndef THEME_INTERNAL_H
#define THEME_INTERNAL_H

#include <signal.h>

#include <lua.h>
#include <lauxlib.h>

#include "theme/theme.h"
#include "util/strmap.h"

#define THEME_MAX_MEMORY	(512u * 1024 * 1024)	/* bytes a Lua state may hold */
#define THEME_MAX_STEPS		(200u * 1000 * 1000)	/* VM instructions per call into the theme */

struct pool;

struct theme {
	lua_State		*L;
	const struct site	*site;
	const struct config	*cfg;
	char			*site_dir;
	char			*theme_dir;
	struct pool		*pool;		/* the Lua state's small blocks (util/pool.h) */
	size_t			 mem_used;
	size_t			 mem_max;
	size_t			 steps;		/* left in this call, in thousands */
	volatile sig_atomic_t	 exhausted;	/* the step limit was hit: every instruction raises */
	int			 lazy;		/* set it only once a call runs long (theme_count_lazily) */
	char			 where[160];	/* "file:line" last seen by the count hook */
	int			 serve_mode;
	const char		*page_path;	/* the page being rendered, for relative urls */
	int			 hooks_ref;	/* theme.lua's table */
	int			 site_hooks_ref;	/* site.lua's table */
	int			 site_ref;	/* the `site` table */
	int			 layouts_ref;	/* kind -> function */
	const struct assets	*assets;	/* for folio.asset() */
	unsigned		 site_reads;	/* site lists read since theme_take_reads(), for the page cache */
	struct memo_store	*memo;		/* folio.cached (memo.c): the build's, or owned */
	int			 own_memo;	/* theme_close() frees it */
};

struct theme	*theme_of(lua_State *);
int		 theme_call(struct theme *, int nargs, int nresults);

/* mod_folio.c */
int		 luaopen_folio(lua_State *);
char		*url_for(struct theme *, const char *path);	/* caller frees */

/* memo.c: folio.cached() */
void		 memo_register(lua_State *);	/* into the module table on top */

/* mod_site.c */
void		 push_article(struct theme *, const struct article *, int full);
void		 push_site(struct theme *);
void		 push_page(struct theme *, const struct page *);
void		 push_meta(lua_State *, const struct meta *);
void		 theme_reset_cache(lua_State *);
void		 theme_entry_fill(lua_State *, int idx);

#endif
