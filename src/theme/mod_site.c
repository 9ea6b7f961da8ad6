/* mod_site.c: the site model as Lua values: `page` tables and the lazy, read-only `site` */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lua.h>
#include <lauxlib.h>

#include "folio.h"
#include "site/site.h"
#include "theme/internal.h"
#include "util/arena.h"

static const char *const change_names[] = {
	"added", "edited", "metadata", "renamed", "removed", "uncommitted"
};

/* A read-only view of a C array: site.articles, site.tags, site.changes ... */
enum list_kind { LIST_ARTICLES, LIST_TAGS, LIST_SOURCES, LIST_YEARS, LIST_MONTHS, LIST_CHANGES };
struct list {
	enum list_kind	 kind;
	void		*items;		/* array of pointers, or struct commit[] */
	size_t		 n;
};

static void
setstr(lua_State *L, const char *k, const char *v)
{
	if (v == NULL)
		return;
	lua_pushstring(L, v);
	lua_setfield(L, -2, k);
}

static void
setint(lua_State *L, const char *k, lua_Integer v)
{
	lua_pushinteger(L, v);
	lua_setfield(L, -2, k);
}

/* The metatable on top gets fns, and hides itself from getmetatable() and setmetatable(). */
static void
protected_metatable(lua_State *L, const luaL_Reg *fns)
{
	luaL_setfuncs(L, fns, 0);
	lua_pushboolean(L, 0);
	lua_setfield(L, -2, "__metatable");
}

static void
push_strings(lua_State *L, const char **v, size_t n)
{
	size_t	i;

	lua_createtable(L, (int)n, 0);
	for (i = 0; i < n; i++) {
		lua_pushstring(L, v[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
}

void
push_meta(lua_State *L, const struct meta *m)
{
	size_t	i;

	/* a level of a value: its table and the item being pushed (META_MAX_DEPTH levels at most) */
	luaL_checkstack(L, 3, "a front-matter value nested too deep");
	switch (m->type) {
	case META_STRING:
		lua_pushstring(L, m->str);
		break;
	case META_LIST:
		lua_createtable(L, (int)m->n, 0);
		for (i = 0; i < m->n; i++) {
			push_meta(L, &m->items[i]);
			lua_rawseti(L, -2, (lua_Integer)i + 1);
		}
		break;
	case META_MAP:
		lua_createtable(L, 0, (int)m->n);
		for (i = 0; i < m->n; i++) {
			push_meta(L, &m->items[i]);
			lua_setfield(L, -2, m->items[i].key);
		}
		break;
	default:
		lua_pushboolean(L, 0);
	}
}

/* The unknown keys of a front matter or of folio.yaml as fields of the table on top. */
static void
set_extra(lua_State *L, const struct meta *extra)
{
	size_t	i;

	for (i = 0; extra != NULL && i < extra->n; i++) {
		push_meta(L, &extra->items[i]);
		lua_setfield(L, -2, extra->items[i].key);
	}
}

static const char *
iso_time(char *out, size_t size, time_t t)
{
	struct tm	tm;

	gmtime_r(&t, &tm);
	strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return out;
}

static void push_list(lua_State *, enum list_kind, void *, size_t);

static void
push_term(lua_State *L, const struct term *t, int with_items)
{
	lua_createtable(L, 0, 7);
	setstr(L, "name", t->name);
	setstr(L, "key", t->key);
	setstr(L, "url", t->url);
	setstr(L, "feed", t->feed);
	setint(L, "count", (lua_Integer)t->n);
	setstr(L, "kind", t->kind == TERM_TAG ? "tag" : "source");
	if (with_items && t->items) {	/* the term's articles, lazily; not inside an article's tags */
		push_list(L, LIST_ARTICLES, t->items, t->n);
		lua_setfield(L, -2, "items");
	}
}

static void
push_period(lua_State *L, const struct period *p)
{
	lua_createtable(L, 0, 9);
	setint(L, "year", p->year);
	if (p->month)
		setint(L, "month", p->month);
	setint(L, "count", (lua_Integer)p->n);
	setint(L, "index", (lua_Integer)p->index + 1);
	setstr(L, "url", p->url);
	setstr(L, "date", p->date);
	setstr(L, "key", p->key);
	push_list(L, LIST_ARTICLES, p->items, p->n);
	lua_setfield(L, -2, "items");
	if (!p->month) {
		push_list(L, LIST_MONTHS, p->months, p->nmonths);
		lua_setfield(L, -2, "months");
	}
}

static void
push_commit_ref(struct theme *t, const struct commit *c)
{
	lua_State	*L = t->L;
	char		 tmp[32];

	setstr(L, "hash", c->id);
	setstr(L, "short", c->short_id);
	setstr(L, "date", iso_time(tmp, sizeof(tmp), c->time));
	setint(L, "time", (lua_Integer)c->time);
	setint(L, "tz_offset", c->tz_offset);
	setstr(L, "author", c->author);
	setstr(L, "subject", c->subject);
	if (t->cfg->repo_url) {
		/* repo_url holds at most one %s, checked by config_load */
		lua_pushfstring(L, strstr(t->cfg->repo_url, "%s") ? t->cfg->repo_url : "%s", c->id);
		if (!strstr(t->cfg->repo_url, "%s")) {
			lua_pop(L, 1);
			lua_pushfstring(L, "%s%s", t->cfg->repo_url, c->id);
		}
		lua_setfield(L, -2, "url");
	}
}

static void
push_change(struct theme *t, const struct file_change *ch)
{
	lua_State		*L = t->L;
	const struct article	*a;
	const char		*title = ch->title;

	lua_createtable(L, 0, 12);
	setstr(L, "kind", change_names[ch->kind]);
	setstr(L, "path", ch->path);
	setstr(L, "old_path", ch->old_path);
	setint(L, "added", (lua_Integer)ch->added);
	setint(L, "removed", (lua_Integer)ch->removed);
	if (ch->commit)
		push_commit_ref(t, ch->commit);
	a = t->site ? site_change_article(t->site, ch, &title) : NULL;
	if (a) {
		setstr(L, "title", a->title);
		setstr(L, "article_url", a->url);
	} else
		setstr(L, "title", title);
}

static void
push_history(struct theme *t, const struct file_history *h)
{
	lua_State	*L = t->L;
	size_t		 i;
	char		 tmp[32];

	lua_createtable(L, (int)(h ? h->n : 0), 0);
	for (i = 0; h && i < h->n; i++) {
		push_change(t, h->changes[i]);
		if (h->changes[i]->commit == NULL)
			setstr(L, "date", iso_time(tmp, sizeof(tmp), h->updated_time));
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
}

/* The fields of a that every article table has, into the table on top. */
static void
set_article_fields(lua_State *L, const struct article *a)
{
	size_t		 i;
	char		 tmp[32];

	set_extra(L, a->extra);		/* unknown keys first, so that known ones win */
	setstr(L, "title", a->title);
	setstr(L, "headline", a->headline);
	setstr(L, "date", a->date_str);
	setint(L, "year", a->year);
	setint(L, "month", a->month);
	setint(L, "day", a->day);
	setstr(L, "url", a->url);
	setstr(L, "slug", a->slug);
	setstr(L, "path", a->relpath);
	setstr(L, "summary", a->summary ? a->summary : "");
	lua_pushboolean(L, a->draft);
	lua_setfield(L, -2, "draft");
	push_strings(L, a->authors, a->nauthors);
	lua_setfield(L, -2, "authors");
	push_strings(L, a->imported_from, a->nimported);
	lua_setfield(L, -2, "imported_from");
	push_strings(L, a->aliases, a->naliases);
	lua_setfield(L, -2, "aliases");
	lua_createtable(L, (int)a->nterms, 0);
	for (i = 0; i < a->nterms; i++) {
		push_term(L, a->tag_terms[i], 0);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	if (a->nterms == 0 && a->ntags > 0 && a->tag_terms == NULL)	/* before site_build: names */
		for (i = 0; i < a->ntags; i++) {
			lua_createtable(L, 0, 1);
			setstr(L, "name", a->tags[i]);
			lua_rawseti(L, -2, (lua_Integer)i + 1);
		}
	lua_setfield(L, -2, "tags");
	lua_createtable(L, (int)a->nsources, 0);
	for (i = 0; i < a->nsources; i++) {
		lua_createtable(L, 0, 5);
		setstr(L, "name", a->sources[i].term ? a->sources[i].term->name : a->sources[i].name);
		setstr(L, "spelling", a->sources[i].name);
		setstr(L, "link", a->sources[i].url);
		setstr(L, "date", a->sources[i].date);
		if (a->sources[i].term)
			setstr(L, "url", a->sources[i].term->url);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_setfield(L, -2, "sources");
	if (a->history) {
		if (a->history->created)
			setstr(L, "created", iso_time(tmp, sizeof(tmp), a->history->created->time));
		if (a->history->updated || a->history->uncommitted)
			setstr(L, "updated", iso_time(tmp, sizeof(tmp), a->history->updated_time));
		lua_pushboolean(L, a->history->truncated);
		lua_setfield(L, -2, "history_truncated");
		lua_pushboolean(L, a->history->uncommitted);
		lua_setfield(L, -2, "uncommitted");
	}
}

/*
 * An article as an entry of a list (page.items, site.articles, a term's
 * items) or as page.prev and page.next starts with its url and title only.
 * The first read of any other field, a write, or pairs() fills in the rest
 * (entry_fill()), and the table is then a plain one. Most entries are read
 * for no more: the default theme caches a list entry's HTML by its url
 * (folio.cached), and a prev or next link shows a title. At 1,000 articles
 * the article tables cost 300 of a clean build's 2,046 million
 * instructions; filled on first use, 200 million less (default theme).
 */
static const char	entry_key;	/* its address: an entry's hidden key, to its article */

static void
entry_fill(lua_State *L, int idx)
{
	const struct article	*a;

	idx = lua_absindex(L, idx);
	if (lua_rawgetp(L, idx, &entry_key) != LUA_TLIGHTUSERDATA) {
		lua_pop(L, 1);
		return;		/* filled already */
	}
	a = lua_touserdata(L, -1);
	lua_pop(L, 1);
	lua_pushnil(L);
	lua_rawsetp(L, idx, &entry_key);
	lua_pushnil(L);
	lua_setmetatable(L, idx);
	lua_pushvalue(L, idx);
	set_article_fields(L, a);
	lua_pop(L, 1);
}

/* An entry's article in full, for C that walks a table with lua_next() (folio.json). */
void
theme_entry_fill(lua_State *L, int idx)
{
	if (lua_type(L, idx) == LUA_TTABLE)
		entry_fill(L, idx);
}

static int
entry_index(lua_State *L)
{
	entry_fill(L, 1);
	lua_settop(L, 2);
	lua_rawget(L, 1);
	return 1;
}

static int
entry_newindex(lua_State *L)
{
	entry_fill(L, 1);
	lua_settop(L, 3);
	lua_rawset(L, 1);
	return 0;
}

static int
entry_next(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	lua_settop(L, 2);
	if (lua_next(L, 1))
		return 2;
	lua_pushnil(L);
	return 1;
}

static int
entry_pairs(lua_State *L)
{
	entry_fill(L, 1);
	lua_pushcfunction(L, entry_next);
	lua_pushvalue(L, 1);
	lua_pushnil(L);
	return 3;
}

static const luaL_Reg entry_meta[] = {
	{ "__index", entry_index }, { "__newindex", entry_newindex }, { "__pairs", entry_pairs },
	{ NULL, NULL }
};

static void
push_entry(lua_State *L, const struct article *a)
{
	lua_createtable(L, 0, 3);
	setstr(L, "url", a->url);
	setstr(L, "title", a->title);
	lua_pushlightuserdata(L, (void *)a);
	lua_rawsetp(L, -2, &entry_key);
	if (luaL_newmetatable(L, "folio.entry"))
		protected_metatable(L, entry_meta);	/* setmetatable() would lose the rest */
	lua_setmetatable(L, -2);
}

/* An article's whole table; full: as the article page's own (history, prev, next). */
void
push_article(struct theme *t, const struct article *a, int full)
{
	lua_State	*L = t->L;

	lua_createtable(L, 0, 32);
	set_article_fields(L, a);
	if (!full)
		return;
	push_history(t, a->history);
	lua_setfield(L, -2, "history");
	if (a->prev) {
		push_entry(L, a->prev);
		lua_setfield(L, -2, "prev");
	}
	if (a->next) {
		push_entry(L, a->next);
		lua_setfield(L, -2, "next");
	}
}

static void
push_commit(struct theme *t, const struct commit *c)
{
	lua_State	*L = t->L;
	size_t		 i;

	lua_createtable(L, 0, 10);
	push_commit_ref(t, c);
	lua_createtable(L, (int)c->nchanges, 0);
	for (i = 0; i < c->nchanges; i++) {
		push_change(t, &c->changes[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_setfield(L, -2, "changes");
}

/* Push item i (0-based) of a list as a fresh table. */
static void
push_item(struct theme *t, const struct list *l, size_t i)
{
	switch (l->kind) {
	case LIST_ARTICLES:
		push_entry(t->L, ((struct article **)l->items)[i]);
		break;
	case LIST_TAGS:
	case LIST_SOURCES:
		push_term(t->L, ((struct term **)l->items)[i], 1);
		break;
	case LIST_YEARS:
	case LIST_MONTHS:
		push_period(t->L, ((struct period **)l->items)[i]);
		break;
	case LIST_CHANGES:
		push_commit(t, &((struct commit *)l->items)[i]);
		break;
	}
}

static const void *
item_ptr(const struct list *l, size_t i)
{
	if (l->kind == LIST_CHANGES)
		return &((struct commit *)l->items)[i];
	return ((void **)l->items)[i];
}

/* A string key: a term's key or name, a period's key ("2020", "2020/08"), an article's path or url. */
static int
find_key(const struct list *l, const char *k, size_t *out)
{
	size_t	i;

	for (i = 0; i < l->n; i++) {
		const void *p = item_ptr(l, i);
		switch (l->kind) {
		case LIST_TAGS:
		case LIST_SOURCES:
			if (strcmp(((const struct term *)p)->key, k) == 0 ||
			    strcmp(((const struct term *)p)->name, k) == 0)
				goto found;
			break;
		case LIST_YEARS:
		case LIST_MONTHS:
			if (strcmp(((const struct period *)p)->key, k) == 0)
				goto found;
			break;
		case LIST_ARTICLES:
			if (strcmp(((const struct article *)p)->relpath, k) == 0 ||
			    strcmp(((const struct article *)p)->url, k) == 0)
				goto found;
			break;
		case LIST_CHANGES:
			if (strcmp(((const struct commit *)p)->id, k) == 0 ||
			    strcmp(((const struct commit *)p)->short_id, k) == 0)
				goto found;
			break;
		}
	}
	return 0;
found:
	*out = i;
	return 1;
}

/*
 * list[i] or list["key"]. Items are built on first use and kept in a weak
 * cache that theme_call() empties before each page or hook, so that
 * list[1] == list[1] within a page but no page sees another's changes.
 */
static int
list_index(lua_State *L)
{
	struct list	*l = luaL_checkudata(L, 1, "folio.list");
	struct theme	*t = theme_of(L);
	lua_Integer	 i;
	size_t		 j;
	const void	*p;

	t->site_reads |= 1u << l->kind;		/* the page now depends on this list */

	if (lua_type(L, 2) == LUA_TSTRING) {
		if (!find_key(l, lua_tostring(L, 2), &j)) {
			lua_pushnil(L);
			return 1;
		}
	} else {
		if (!lua_isinteger(L, 2) || (i = lua_tointeger(L, 2)) < 1 || (size_t)i > l->n) {
			lua_pushnil(L);
			return 1;
		}
		j = (size_t)i - 1;
	}
	p = item_ptr(l, j);
	if (lua_getfield(L, LUA_REGISTRYINDEX, "folio.cache") != LUA_TTABLE) {
		lua_pop(L, 1);
		theme_reset_cache(L);
		lua_getfield(L, LUA_REGISTRYINDEX, "folio.cache");
	}
	if (lua_rawgetp(L, -1, p) != LUA_TNIL)
		return 1;
	lua_pop(L, 1);
	push_item(t, l, j);
	lua_pushvalue(L, -1);
	lua_rawsetp(L, -3, p);
	return 1;
}

/* An empty weak cache of list items; see list_index(). */
void
theme_reset_cache(lua_State *L)
{
	lua_createtable(L, 0, 0);
	lua_createtable(L, 0, 1);
	lua_pushliteral(L, "v");
	lua_setfield(L, -2, "__mode");
	lua_setmetatable(L, -2);
	lua_setfield(L, LUA_REGISTRYINDEX, "folio.cache");
}

static int
list_len(lua_State *L)
{
	struct list	*l = luaL_checkudata(L, 1, "folio.list");

	theme_of(L)->site_reads |= 1u << l->kind;
	lua_pushinteger(L, (lua_Integer)l->n);
	return 1;
}

static int
list_newindex(lua_State *L)
{
	return luaL_error(L, "site lists are read-only");
}

static int
list_iter(lua_State *L)
{
	lua_Integer	i = luaL_checkinteger(L, 2) + 1;

	lua_pushinteger(L, i);
	if (lua_geti(L, 1, i) == LUA_TNIL)
		return 1;
	return 2;
}

static int
list_pairs(lua_State *L)
{
	lua_pushcfunction(L, list_iter);
	lua_pushvalue(L, 1);
	lua_pushinteger(L, 0);
	return 3;
}

static const luaL_Reg list_meta[] = {
	{ "__index", list_index }, { "__len", list_len }, { "__newindex", list_newindex },
	{ "__pairs", list_pairs }, { NULL, NULL }
};

static void
push_list(lua_State *L, enum list_kind kind, void *items, size_t n)
{
	struct list	*l = lua_newuserdatauv(L, sizeof(*l), 0);

	l->kind = kind;
	l->items = items;
	l->n = n;
	if (luaL_newmetatable(L, "folio.list"))
		protected_metatable(L, list_meta);
	lua_setmetatable(L, -2);
}

static void
push_config(struct theme *t)
{
	lua_State		*L = t->L;
	const struct config	*c = t->cfg;

	lua_createtable(L, 0, 16);
	set_extra(L, c->extra);		/* unknown keys first, so that known ones win */
	setstr(L, "title", c->title);
	setstr(L, "description", c->description);
	setstr(L, "base_url", c->base_url);
	setstr(L, "base_path", c->base_path);
	setstr(L, "language", c->language);
	setstr(L, "theme", c->theme);
	setstr(L, "author", c->author);
	setstr(L, "repo_url", c->repo_url);
	setint(L, "per_page", (lua_Integer)c->per_page);
	lua_pushboolean(L, c->relative_links);
	lua_setfield(L, -2, "relative_links");
}

void
push_site(struct theme *t)
{
	lua_State		*L = t->L;
	const struct site	*s = t->site;
	char			 tmp[32];

	lua_createtable(L, 0, 20);
	push_config(t);
	lua_pushvalue(L, -1);
	lua_setfield(L, -3, "config");
	lua_getfield(L, -1, "title");
	lua_setfield(L, -3, "title");
	lua_getfield(L, -1, "description");
	lua_setfield(L, -3, "description");
	lua_getfield(L, -1, "language");
	lua_setfield(L, -3, "language");
	lua_getfield(L, -1, "base_url");
	lua_setfield(L, -3, "base_url");
	lua_pop(L, 1);
	push_list(L, LIST_ARTICLES, s->articles, s->n);
	lua_setfield(L, -2, "articles");
	push_list(L, LIST_TAGS, s->tags, s->ntags);
	lua_setfield(L, -2, "tags");
	push_list(L, LIST_SOURCES, s->sources, s->nsources);
	lua_setfield(L, -2, "sources");
	push_list(L, LIST_YEARS, s->years, s->nyears);
	lua_setfield(L, -2, "years");
	push_list(L, LIST_MONTHS, s->months, s->nmonths);
	lua_setfield(L, -2, "months");
	push_list(L, LIST_CHANGES, s->history ? s->history->commits : NULL,
	    s->history && s->history->available ? s->history->ncommits : 0);
	lua_setfield(L, -2, "changes");
	lua_pushboolean(L, s->history && s->history->available);
	lua_setfield(L, -2, "has_history");
	lua_pushboolean(L, s->history && s->history->shallow);
	lua_setfield(L, -2, "history_truncated");
	setstr(L, "updated", iso_time(tmp, sizeof(tmp), s->updated));
	setint(L, "count", (lua_Integer)s->n);
	setstr(L, "generator", "folio " FOLIO_VERSION);
}

void
push_page(struct theme *t, const struct page *p)
{
	lua_State	*L = t->L;
	size_t		 i;
	char		*u;

	if (p->kind == PAGE_ARTICLE) {
		push_article(t, p->article, 1);
		setstr(L, "body", p->body_html);
	} else
		lua_createtable(L, 0, 16);
	setstr(L, "kind", page_kind_names[p->kind]);
	if (p->kind != PAGE_ARTICLE)
		setstr(L, "title", p->title);
	setstr(L, "url", p->path);
	lua_createtable(L, (int)p->nitems, 0);
	for (i = 0; i < p->nitems; i++) {
		push_entry(L, p->items[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_setfield(L, -2, "items");
	setint(L, "count", (lua_Integer)p->count);
	lua_createtable(L, 0, 6);
	setint(L, "number", (lua_Integer)(p->number ? p->number : 1));
	setint(L, "total", (lua_Integer)(p->total ? p->total : 1));
	setint(L, "first", (lua_Integer)p->first + 1);
	if (p->base && p->number > 1) {
		u = p->number == 2 ? xstrdup(p->base) : NULL;
		if (u == NULL) {
			u = xmalloc(strlen(p->base) + 32);
			sprintf(u, "%spage/%zu/", p->base, p->number - 1);
		}
		setstr(L, "prev", u);
		free(u);
	}
	if (p->base && p->number < p->total) {
		u = xmalloc(strlen(p->base) + 32);
		sprintf(u, "%spage/%zu/", p->base, p->number + 1);
		setstr(L, "next", u);
		free(u);
	}
	setstr(L, "base", p->base);
	lua_setfield(L, -2, "pager");
	if (p->term) {
		push_term(L, p->term, 1);
		lua_setfield(L, -2, "term");
	}
	if (p->period) {
		push_period(L, p->period);
		lua_setfield(L, -2, "period");
	}
	if (p->kind == PAGE_CHANGES) {
		lua_createtable(L, (int)p->ncommits, 0);
		for (i = 0; i < p->ncommits; i++) {
			push_commit(t, &p->commits[i]);
			lua_rawseti(L, -2, (lua_Integer)i + 1);
		}
		lua_setfield(L, -2, "commits");
	}
}
