/* mod_folio.c: the `folio` module a theme requires: escaping, urls, dates, Markdown, JSON */
#include <sys/stat.h>

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <lua.h>
#include <lauxlib.h>

#include "folio.h"
#include "content/content.h"
#include "render/render.h"
#include "site/site.h"
#include "theme/internal.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/fsutil.h"
#include "util/text.h"

#define JSON_MAX_DEPTH	64

static const char *const month_names[2][12] = {
	{ "January", "February", "March", "April", "May", "June", "July", "August",
	  "September", "October", "November", "December" },
	{ "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
	  "septembre", "octobre", "novembre", "décembre" },
};
static const char *const month_abbr[2][12] = {
	{ "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" },
	{ "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc." },
};
static const char *const day_abbr[2][7] = {
	{ "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" },
	{ "dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam." },
};
static const char *const day_names[2][7] = {
	{ "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday" },
	{ "dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi" },
};

#define REPLACEMENT_CHAR	"\xef\xbf\xbd"	/* U+FFFD */

/*
 * The bytes folio.escape() may have to change: the five HTML specials, the
 * C0 controls but tab and line ends, DEL, and 0xEF, the first byte of the
 * noncharacters U+FFFE and U+FFFF. Everything else is copied as it is.
 */
static const unsigned char escape_byte[256] = {
	[0x00] = 1, [0x01] = 1, [0x02] = 1, [0x03] = 1, [0x04] = 1, [0x05] = 1, [0x06] = 1, [0x07] = 1,
	[0x08] = 1, [0x0b] = 1, [0x0c] = 1, [0x0e] = 1, [0x0f] = 1,
	[0x10] = 1, [0x11] = 1, [0x12] = 1, [0x13] = 1, [0x14] = 1, [0x15] = 1, [0x16] = 1, [0x17] = 1,
	[0x18] = 1, [0x19] = 1, [0x1a] = 1, [0x1b] = 1, [0x1c] = 1, [0x1d] = 1, [0x1e] = 1, [0x1f] = 1,
	['&'] = 1, ['<'] = 1, ['>'] = 1, ['"'] = 1, ['\''] = 1, [0x7f] = 1, [0xef] = 1,
};

/* What s[i] (of len bytes) becomes in HTML, and how many bytes that replaces; NULL: itself. */
static const char *
escape_at(const unsigned char *s, size_t i, size_t len, size_t *covers)
{
	*covers = 1;
	switch (s[i]) {
	case '&': return "&amp;";
	case '<': return "&lt;";
	case '>': return "&gt;";
	case '"': return "&quot;";
	case '\'': return "&#39;";
	case 0xef:
		if (i + 2 < len && s[i + 1] == 0xbf && (s[i + 2] == 0xbe || s[i + 2] == 0xbf)) {
			*covers = 3;
			return REPLACEMENT_CHAR;
		}
		return NULL;
	default:
		return escape_byte[s[i]] ? REPLACEMENT_CHAR : NULL;
	}
}

/*
 * folio.escape(s): HTML-escape text for an element or a quoted attribute.
 * Most text has nothing to escape: then the string itself is returned, and
 * nothing is copied; otherwise it is copied in runs between replacements.
 */
static int
l_escape(lua_State *L)
{
	const unsigned char	*s;
	const char		*r;
	luaL_Buffer		 b;
	size_t			 len, i, run, covers;

	if (lua_isnoneornil(L, 1)) {
		lua_pushliteral(L, "");
		return 1;
	}
	if (lua_type(L, 1) == LUA_TSTRING) {	/* most calls: no __tostring to look for */
		lua_settop(L, 1);
		s = (const unsigned char *)lua_tolstring(L, 1, &len);
	} else
		s = (const unsigned char *)luaL_tolstring(L, 1, &len);
	for (i = 0; i < len; i++)
		if (escape_byte[s[i]] && escape_at(s, i, len, &covers) != NULL)
			break;
	if (i == len)
		return 1;	/* the string on top, as it is */
	luaL_buffinit(L, &b);
	for (run = 0; i < len; i++) {
		if (!escape_byte[s[i]] || (r = escape_at(s, i, len, &covers)) == NULL)
			continue;
		luaL_addlstring(&b, (const char *)s + run, i - run);
		luaL_addstring(&b, r);
		i += covers - 1;
		run = i + 1;
	}
	luaL_addlstring(&b, (const char *)s + run, len - run);
	luaL_pushresult(&b);
	return 1;
}

char *
url_for(struct theme *t, const char *path)
{
	const struct config	*c = t->cfg;
	char			*dir, *slash, *r;

	if (strncmp(path, "http://", 7) == 0 || strncmp(path, "https://", 8) == 0 ||
	    strncmp(path, "mailto:", 7) == 0 || path[0] == '#')
		return xstrdup(path);
	while (*path == '/')
		path++;
	if (c->relative_links && t->page_path) {
		dir = xstrdup(t->page_path);
		if ((slash = strrchr(dir, '/')) != NULL)
			slash[1] = '\0';
		r = xmalloc(strlen(path) + 2);
		r[0] = '/';
		strcpy(r + 1, path);
		slash = url_relative(dir, r);
		free(dir);
		free(r);
		return slash;
	}
	r = xmalloc(strlen(c->base_path) + strlen(path) + 1);
	strcpy(r, c->base_path);
	strcat(r, path);
	return r;
}

/* folio.url(path [, absolute]): a site path made into a link, honouring base_url and relative_links */
static int
l_url(lua_State *L)
{
	struct theme	*t = theme_of(L);
	const char	*path = luaL_checkstring(L, 1);
	int		 absolute = lua_toboolean(L, 2);
	char		*u;

	if (absolute) {
		const char *base = t->cfg->base_url;
		size_t bl = strlen(base);
		while (*path == '/')
			path++;
		if (base[0] == '/')	/* no host configured */
			lua_pushfstring(L, "%s%s", base, path);
		else
			lua_pushfstring(L, "%s%s", bl && base[bl - 1] == '/' ? base : base, path);
		return 1;
	}
	u = url_for(t, path);
	lua_pushstring(L, u);
	free(u);
	return 1;
}

static int
lang_index(struct theme *t, lua_State *L, int arg)
{
	const char	*lang = luaL_optstring(L, arg, t->cfg->language);

	/* "fr", "fr-CA", "fr_BE": French; anything else: English */
	return strncmp(lang, "fr", 2) == 0 && (lang[2] == '\0' || lang[2] == '-' || lang[2] == '_');
}

/* folio.date(d, format [, lang]): d is "YYYY-MM-DD", "YYYY-MM-DDTHH:MM:SSZ" or seconds */
static int
l_date(lua_State *L)
{
	struct theme	*t = theme_of(L);
	const char	*fmt = luaL_optstring(L, 2, "%e %B %Y");
	int		 li = lang_index(t, L, 3), y, m, d, H = 0, M = 0, S = 0, wd;
	long long	 secs, days;
	luaL_Buffer	 b;
	char		 tmp[32];

	if (lua_type(L, 1) == LUA_TNUMBER) {
		secs = (long long)lua_tointeger(L, 1);
		days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
		civil_from_days(days, &y, &m, &d);
		secs -= days * 86400;
		H = (int)(secs / 3600);
		M = (int)(secs / 60 % 60);
		S = (int)(secs % 60);
	} else {
		const char *s = luaL_checkstring(L, 1);
		char ymd[11];
		if (strlen(s) < 10)
			return luaL_argerror(L, 1, "expected YYYY-MM-DD");
		memcpy(ymd, s, 10);
		ymd[10] = '\0';
		if (date_parse_iso(ymd, NULL, &y, &m, &d) == -1)
			return luaL_argerror(L, 1, "not a real date");
		if (s[10] == 'T' && strlen(s) >= 19)
			sscanf(s + 11, "%2d:%2d:%2d", &H, &M, &S);
		days = days_from_civil(y, m, d);
	}
	wd = (int)(((days % 7) + 11) % 7);	/* 1970-01-01 was a Thursday */
	luaL_buffinit(L, &b);
	for (; *fmt; fmt++) {
		if (*fmt != '%' || fmt[1] == '\0') {
			luaL_addchar(&b, *fmt);
			continue;
		}
		switch (*++fmt) {
		case 'Y': snprintf(tmp, sizeof(tmp), "%04d", y); break;
		case 'm': snprintf(tmp, sizeof(tmp), "%02d", m); break;
		case 'd': snprintf(tmp, sizeof(tmp), "%02d", d); break;
		case 'e': snprintf(tmp, sizeof(tmp), "%d", d); break;
		case 'H': snprintf(tmp, sizeof(tmp), "%02d", H); break;
		case 'M': snprintf(tmp, sizeof(tmp), "%02d", M); break;
		case 'S': snprintf(tmp, sizeof(tmp), "%02d", S); break;
		case 'B': luaL_addstring(&b, month_names[li][m - 1]); continue;
		case 'b': luaL_addstring(&b, month_abbr[li][m - 1]); continue;
		case 'y': snprintf(tmp, sizeof(tmp), "%02d", y % 100); break;
		case 'F': snprintf(tmp, sizeof(tmp), "%04d-%02d-%02d", y, m, d); break;
		case 'A': luaL_addstring(&b, day_names[li][wd]); continue;
		case 'a': luaL_addstring(&b, day_abbr[li][wd]); continue;
		case 'o':	/* 1st, 2nd / 1er */
			if (li == 1)
				snprintf(tmp, sizeof(tmp), d == 1 ? "1er" : "%d", d);
			else
				snprintf(tmp, sizeof(tmp), "%d%s", d, (d % 10 == 1 && d != 11) ? "st" :
				    (d % 10 == 2 && d != 12) ? "nd" : (d % 10 == 3 && d != 13) ? "rd" : "th");
			break;
		case '%': snprintf(tmp, sizeof(tmp), "%%"); break;
		default: snprintf(tmp, sizeof(tmp), "%%%c", *fmt); break;
		}
		luaL_addstring(&b, tmp);
	}
	luaL_pushresult(&b);
	return 1;
}

/* folio.markdown(text): HTML, raw HTML dropped unless unsafe_html */
static int
l_markdown(lua_State *L)
{
	struct theme	*t = theme_of(L);
	size_t		 len;
	const char	*md = luaL_checklstring(L, 1, &len);
	char		*html;

	markdown_render(md, len, t->cfg->unsafe_html ? MD_UNSAFE : 0, &html, NULL, 0);
	lua_pushstring(L, html);
	free(html);
	return 1;
}

/* folio.summary(html, words) */
static int
l_summary(lua_State *L)
{
	const char	*html = luaL_checkstring(L, 1);
	lua_Integer	 words = luaL_optinteger(L, 2, 40);
	char		*s;

	if (words < 1 || words > 100000)
		return luaL_argerror(L, 2, "words must be 1 to 100000");
	s = html_summary(html, (size_t)words);
	lua_pushstring(L, s);
	free(s);
	return 1;
}

/* folio.slug(text) */
static int
l_slug(lua_State *L)
{
	char	*s = slugify(luaL_checkstring(L, 1), 80);

	lua_pushstring(L, s);
	free(s);
	return 1;
}

/* folio.partial(name, args): require(name)(args, site) */
static int
l_partial(lua_State *L)
{
	struct theme	*t = theme_of(L);

	luaL_checkstring(L, 1);
	lua_settop(L, 2);
	lua_getglobal(L, "require");
	lua_pushvalue(L, 1);
	lua_call(L, 1, 1);
	if (!lua_isfunction(L, -1))
		return luaL_error(L, "partial '%s' must return a function", lua_tostring(L, 1));
	lua_pushvalue(L, 2);
	lua_rawgeti(L, LUA_REGISTRYINDEX, t->site_ref);
	lua_call(L, 2, 1);
	return 1;
}

static void
json_string(struct buf *b, const char *s, size_t len)
{
	size_t	i;

	buf_putc(b, '"');
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '"': buf_puts(b, "\\\""); break;
		case '\\': buf_puts(b, "\\\\"); break;
		case '\n': buf_puts(b, "\\n"); break;
		case '\r': buf_puts(b, "\\r"); break;
		case '\t': buf_puts(b, "\\t"); break;
		case '<': buf_puts(b, "\\u003c"); break;	/* safe inside <script> */
		case '>': buf_puts(b, "\\u003e"); break;
		case '&': buf_puts(b, "\\u0026"); break;
		default:
			if (c < 0x20)
				buf_printf(b, "\\u%04x", c);
			else
				buf_putc(b, (char)c);
		}
	}
	buf_putc(b, '"');
}

/* A table's string key, for sorting an object's keys in C. */
struct json_key {
	const char	*s;		/* the key's bytes, anchored by the table */
	size_t		 len;
};

/* Byte order, a prefix first: table.sort's order for strings in the C locale. */
static int
json_key_cmp(const void *a, const void *b)
{
	const struct json_key	*x = a, *y = b;
	int			 c = memcmp(x->s, y->s, x->len < y->len ? x->len : y->len);

	if (c != 0)
		return c;
	return (x->len > y->len) - (x->len < y->len);
}

static void json_value(lua_State *L, struct buf *b, int idx, int depth);

/* Elements 1..n of a table or a site list, as a JSON array */
static void
json_array(lua_State *L, struct buf *b, int idx, lua_Integer n, int depth)
{
	lua_Integer	i;

	buf_putc(b, '[');
	for (i = 1; i <= n; i++) {
		if (i > 1)
			buf_putc(b, ',');
		lua_geti(L, idx, i);
		json_value(L, b, lua_gettop(L), depth + 1);
		lua_pop(L, 1);
	}
	buf_putc(b, ']');
}

static void
json_table(lua_State *L, struct buf *b, int idx, int depth)
{
	lua_Integer	 n = (lua_Integer)lua_rawlen(L, idx), i, count = 0;
	struct json_key	*keys;

	lua_pushnil(L);
	while (lua_next(L, idx)) {
		count++;
		lua_pop(L, 1);
	}
	if (count == n) {		/* a sequence; an empty table is [] (lists are folio's usual empties) */
		json_array(L, b, idx, n, depth);
		return;
	}
	/*
	 * An object, keys sorted so that the output is the same every build.
	 * The keys' bytes stay valid while the table holds them, and it is not
	 * changed here (raw reads). The array is a userdata, so that an error
	 * further down (a value that cannot be encoded) does not leak it.
	 */
	keys = lua_newuserdatauv(L, (size_t)count * sizeof(*keys), 0);
	i = 0;
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		lua_pop(L, 1);
		if (lua_type(L, -1) == LUA_TSTRING && i < count) {
			keys[i].s = lua_tolstring(L, -1, &keys[i].len);
			i++;
		}
	}
	qsort(keys, (size_t)i, sizeof(*keys), json_key_cmp);
	buf_putc(b, '{');
	for (n = i, i = 0; i < n; i++) {
		if (i > 0)
			buf_putc(b, ',');
		json_string(b, keys[i].s, keys[i].len);
		buf_putc(b, ':');
		lua_pushlstring(L, keys[i].s, keys[i].len);
		lua_rawget(L, idx);
		json_value(L, b, lua_gettop(L), depth + 1);
		lua_pop(L, 1);
	}
	lua_pop(L, 1);			/* the keys */
	buf_putc(b, '}');
}

static void
json_value(lua_State *L, struct buf *b, int idx, int depth)
{
	size_t		len;
	const char	*s;
	lua_Number	x;

	if (depth > JSON_MAX_DEPTH)
		luaL_error(L, "folio.json: nested deeper than %d (a cycle?)", JSON_MAX_DEPTH);
	/* each level holds a few slots (its keys, a key or value, lua_next's pair): room for them */
	luaL_checkstack(L, 8, "folio.json: nested too deep");
	switch (lua_type(L, idx)) {
	case LUA_TNIL:
		buf_puts(b, "null");
		break;
	case LUA_TBOOLEAN:
		buf_puts(b, lua_toboolean(L, idx) ? "true" : "false");
		break;
	case LUA_TNUMBER:
		if (lua_isinteger(L, idx))
			buf_printf(b, "%lld", (long long)lua_tointeger(L, idx));
		else if (!isfinite(x = lua_tonumber(L, idx)))
			buf_puts(b, "null");
		else
			buf_printf(b, "%.17g", x);
		break;
	case LUA_TSTRING:
		s = lua_tolstring(L, idx, &len);
		json_string(b, s, len);
		break;
	case LUA_TTABLE:
		theme_entry_fill(L, idx);	/* a list's article: all its fields */
		json_table(L, b, idx, depth);
		break;
	case LUA_TUSERDATA:			/* a lazy site list: an array */
		if (luaL_testudata(L, idx, "folio.list")) {
			json_array(L, b, idx, luaL_len(L, idx), depth);
			break;
		}
		/* FALLTHROUGH */
	default:
		luaL_error(L, "folio.json: cannot encode a %s", luaL_typename(L, idx));
	}
	if (b->len > 256u * 1024 * 1024)
		luaL_error(L, "folio.json: output larger than 256 MB");
}

static int
buf_gc(lua_State *L)
{
	buf_free(lua_touserdata(L, 1));
	return 0;
}

/* A struct buf owned by a userdata, so that an error in the middle frees it. */
static struct buf *
push_buf(lua_State *L)
{
	struct buf	*b = lua_newuserdatauv(L, sizeof(*b), 0);

	buf_init(b);
	if (luaL_newmetatable(L, "folio.buf")) {
		lua_pushcfunction(L, buf_gc);
		lua_setfield(L, -2, "__gc");
	}
	lua_setmetatable(L, -2);
	return b;
}

/* folio.json(value): JSON text, keys sorted; '<' '>' '&' escaped so it can sit in a <script> */
static int
l_json(lua_State *L)
{
	struct buf	*b;

	lua_settop(L, 1);
	b = push_buf(L);
	json_value(L, b, 1, 0);
	lua_pushlstring(L, b->data, b->len);
	buf_free(b);
	return 1;
}

#define READ_MAX	(64u * 1024 * 1024)

/* Is any segment of a relative path empty-dotted: ".", "..", ".git", ".folio-cache"? */
static int
hidden_segment(const char *rel)
{
	const char	*p = rel;

	for (;;) {
		if (*p == '.')
			return 1;
		if ((p = strchr(p, '/')) == NULL)
			return 0;
		p++;
	}
}

/*
 * folio.read(path): the bytes of a regular file of the site folder. A path
 * that leaves the folder (absolute, "..", a symlink that resolves outside) or
 * names a hidden file (.git/config may hold a token) raises an error; a file
 * that simply is not there returns nil and a message.
 */
static int
l_read(lua_State *L)
{
	struct theme	*t = theme_of(L);
	const char	*rel = luaL_checkstring(L, 1);
	char		*full, *real = NULL, *root, *data;

	t->site_reads |= 1u << 31;	/* a file the page cache cannot follow: never reuse this page */
	struct stat	 st;
	size_t		 len, rl;
	int		 inside;

	if (rel[0] == '/' || rel[0] == '\0')
		return luaL_error(L, "folio.read: '%s' is an absolute path; give a path inside the site folder", rel);
	if (hidden_segment(rel))
		return luaL_error(L, "folio.read: '%s' is outside the site folder or hidden", rel);
	full = path_join(t->site_dir, rel);
	if (lstat(full, &st) == -1) {
		free(full);
		lua_pushnil(L);
		lua_pushfstring(L, "folio.read: no file '%s' in the site folder", rel);
		return 2;
	}
	real = realpath(full, NULL);
	root = realpath(t->site_dir, NULL);
	free(full);
	rl = root ? strlen(root) : 0;
	inside = real && root && strncmp(real, root, rl) == 0 && real[rl] == '/';
	free(root);
	if (!inside) {
		free(real);
		return luaL_error(L, "folio.read: '%s' leads outside the site folder", rel);
	}
	if (stat(real, &st) == -1 || !S_ISREG(st.st_mode) || (size_t)st.st_size > READ_MAX) {
		free(real);
		return luaL_error(L, "folio.read: '%s' is not a regular file of at most %u MB", rel,
		    READ_MAX / (1024 * 1024));
	}
	if (file_read(real, &data, &len) == -1) {
		free(real);
		lua_pushnil(L);
		lua_pushfstring(L, "folio.read: cannot read '%s'", rel);
		return 2;
	}
	free(real);
	lua_pushlstring(L, data, len);	/* may raise "not enough memory": copy first, then free */
	free(data);
	return 1;
}

/* folio.asset(name): the url of a static file under its fingerprinted name (style.3f9a1c.css) */
static int
l_asset(lua_State *L)
{
	struct theme	*t = theme_of(L);
	const char	*name = luaL_checkstring(L, 1), *out;
	char		*u, *path;

	if ((out = assets_name(t->assets, name)) == NULL)
		return luaL_error(L, "folio.asset: no static file '%s' in the site's or the theme's static/", name);
	path = xmalloc(strlen(out) + 2);
	path[0] = '/';
	strcpy(path + 1, out);
	u = url_for(t, path);
	free(path);
	lua_pushstring(L, u);
	free(u);
	return 1;
}

static const luaL_Reg folio_funcs[] = {
	{ "asset", l_asset },
	{ "escape", l_escape },
	{ "url", l_url },
	{ "date", l_date },
	{ "markdown", l_markdown },
	{ "summary", l_summary },
	{ "partial", l_partial },
	{ "slug", l_slug },
	{ "json", l_json },
	{ "read", l_read },
	{ NULL, NULL }
};

int
luaopen_folio(lua_State *L)
{
	struct theme	*t = theme_of(L);

	luaL_newlib(L, folio_funcs);
	memo_register(L);		/* folio.cached, memo.c */
	lua_pushstring(L, FOLIO_VERSION);
	lua_setfield(L, -2, "version");
	lua_pushboolean(L, t->serve_mode);
	lua_setfield(L, -2, "serve_mode");
	return 1;
}
