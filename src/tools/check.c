/* check.c: `folio check`: the content and the built site, without network
 *
 * Content: every article parses; no two articles want the same url (slug
 * per month); tags and sources whose spellings fold to the same key but are
 * not aliased in folio.yaml; articles without sources; source urls that are
 * not well-formed http(s) addresses.
 * Built site: every internal href/src resolves to a file of the output
 * folder, every #anchor to an id in its page, images exist, and every .xml
 * file (feeds, sitemap) is well-formed. --external prints the external
 * links, one per line on stdout, for a link checker that may use the network.
 */
#define _GNU_SOURCE
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "folio.h"
#include "content/content.h"
#include "tools/internal.h"
#include "tools/tools.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/fsutil.h"
#include "util/strmap.h"
#include "util/text.h"

#define CHECK_SLUG_MAX	80	/* as site.c */
#define CHECK_DEPTH_MAX	32
#define CHECK_FILE_MAX	(64u * 1024 * 1024)

struct doc {
	const char	*path;		/* file path, for messages */
	const char	*site;		/* path in the site: "2019/05/x/index.html" */
	int		 html;
	struct strmap	 ids;		/* id and a@name -> (void *)1 */
};

struct link {
	struct doc	*from;
	size_t		 line;
	const char	*url;
	int		 image;		/* img/source src: "missing image" */
};

struct check {
	struct arena	 *ar;
	struct config	 *cfg;
	const char	 *site_dir;
	const char	 *out_dir;
	int		  external;
	char		**files;	/* .md paths */
	size_t		  nfiles;
	struct strmap	  docs;		/* site path -> struct doc */
	struct doc	**alldocs;
	size_t		  ndocs, capdocs;
	struct link	 *links;
	size_t		  nlinks, caplinks;
	struct strmap	  ext_seen;
	const char	**ext;
	size_t		  next, capext;
};

/* --- content --- */

/* The line of the front matter (before body_line) where s first appears, looking from
 * the line that starts with key (e.g. "tags:") if there is one; else 1. */
static size_t
find_line(const char *text, size_t body_line, const char *key, const char *s)
{
	const char	*p = text, *nl;
	size_t		 line = 1, len = strlen(s), klen = key ? strlen(key) : 0, from = 0;

	for (int pass = 0; pass < 2; pass++) {
		p = text;
		line = 1;
		while (*p && (body_line == 0 || line < body_line)) {
			nl = strchr(p, '\n');
			if (pass == 0 && klen && strncmp(p, key, klen) == 0) {
				from = line;
				break;
			}
			if (pass == 1 && line >= from && len &&
			    memmem(p, nl ? (size_t)(nl - p) : strlen(p), s, len) != NULL)
				return line;
			if (nl == NULL)
				break;
			p = nl + 1;
			line++;
		}
	}
	return 1;
}

/* A source url a reader can follow: http(s)://host[:port][/...], the host made of
 * letters, digits, dots and dashes with no empty label, or a [v6] literal. */
static const char *
url_problem(const char *u)
{
	const char	*h, *e;
	size_t		 i;

	if (strncasecmp(u, "https://", 8) == 0)
		h = u + 8;
	else if (strncasecmp(u, "http://", 7) == 0)
		h = u + 7;
	else
		return "not an http(s) address";
	for (i = 0; u[i]; i++)
		if ((unsigned char)u[i] <= 0x20 || u[i] == 0x7f || u[i] == '"' || u[i] == '<' ||
		    u[i] == '>' || u[i] == '\\' || u[i] == '`')
			return "holds a space, a control character or one of \" < > \\ `";
	if (*h == '[') {
		if ((e = strchr(h, ']')) == NULL)
			return "the host '[' is not closed";
		e++;
	} else {
		for (e = h; *e && *e != '/' && *e != ':' && *e != '?' && *e != '#'; e++) {
			if (*e == '@')
				return "holds user information ('@') before the host";
			if (!((*e >= 'a' && *e <= 'z') || (*e >= 'A' && *e <= 'Z') ||
			    (*e >= '0' && *e <= '9') || *e == '.' || *e == '-' ||
			    (unsigned char)*e >= 0x80))
				return "the host has a character hosts cannot have";
			if (*e == '.' && (e == h || e[1] == '.' || e[-1] == '-'))
				return "the host has an empty label";
		}
		if (e == h)
			return "no host";
		if (memchr(h, '.', (size_t)(e - h)) == NULL &&
		    !((size_t)(e - h) == 9 && strncasecmp(h, "localhost", 9) == 0))
			return "the host has no dot";
	}
	if (*e == ':') {
		for (i = 1; e[i] >= '0' && e[i] <= '9'; i++)
			;
		if (i == 1 || i > 6 || (e[i] && e[i] != '/' && e[i] != '?' && e[i] != '#'))
			return "the port is not a number";
		e += i;
	}
	if (*e && *e != '/' && *e != '?' && *e != '#')
		return "no '/' after the host";
	return NULL;
}

/* Front-matter lines "url: ..." (block style, as folio new and import write them).
 * Those the parser dropped (not http(s)) are found here too, with their line. */
static void
check_urls(const char *path, const char *text, size_t body_line)
{
	const char	*p = text, *v, *nl, *why;
	char		*val;
	size_t		 line = 1, vlen;

	if (strncmp(text, "---", 3) != 0)
		return;
	while (*p && line < body_line) {
		nl = strchr(p, '\n');
		v = p;
		while (*v == ' ' || *v == '\t' || *v == '-')
			v++;
		if (strncmp(v, "url:", 4) == 0) {
			v += 4;
			while (*v == ' ' || *v == '\t')
				v++;
			vlen = nl ? (size_t)(nl - v) : strlen(v);
			while (vlen && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t' || v[vlen - 1] == '\r'))
				vlen--;
			if (vlen >= 2 && (v[0] == '"' || v[0] == '\'') && v[vlen - 1] == v[0]) {
				v++;
				vlen -= 2;
			}
			val = xstrndup(v, vlen);
			if (vlen && strcmp(val, "~") != 0 && strcasecmp(val, "null") != 0 &&
			    (why = url_problem(val)) != NULL)
				diag(path, line, "source url '%s' is malformed: %s", val, why);
			free(val);
		}
		if (nl == NULL)
			break;
		p = nl + 1;
		line++;
	}
}

/* One spelling of a term, where it was first seen. */
struct spell {
	const char	*name;
	const char	*path;
	size_t		 line;
	struct spell	*next;
};

static void
add_spelling(struct arena *ar, struct strmap *m, const char *name, const char *path, size_t line)
{
	struct spell	*sp, *head;
	char		*fold = fold_key(name);
	const char	*key;

	if (*fold == '\0') {
		free(fold);
		return;
	}
	head = strmap_get(m, fold);
	for (sp = head; sp; sp = sp->next)
		if (strcmp(sp->name, name) == 0)
			break;
	if (sp == NULL) {
		key = head ? NULL : arena_strdup(ar, fold);
		sp = arena_alloc(ar, sizeof(*sp));
		sp->name = name;
		sp->path = path;
		sp->line = line;
		if (head == NULL) {
			strmap_put(m, key, sp);
		} else {			/* keep first-seen order: append */
			while (head->next)
				head = head->next;
			head->next = sp;
		}
	}
	free(fold);
}

static void
report_variants(struct arena *ar, struct strmap *m, const char *kind, const char *cfgkey,
    const struct alias *al, size_t nal)
{
	struct spell	*first, *sp;
	struct strmap	 aliased;	/* the folded spellings the aliases name: made once */
	size_t		 i;

	strmap_init(&aliased);
	alias_index(ar, &aliased, al, nal);
	for (i = 0; i < m->cap; i++) {
		if (m->slots[i].key == NULL)
			continue;
		first = m->slots[i].value;
		/* the map's key is the group's folded spelling */
		if (first->next == NULL || strmap_get(&aliased, m->slots[i].key) != NULL)
			continue;
		for (sp = first->next; sp; sp = sp->next)
			diag_warn(sp->path, sp->line, "%s '%s' differs from '%s' (%s:%zu) only by case, "
			    "accents or punctuation; add an entry to %s in folio.yaml", kind, sp->name,
			    first->name, first->path, first->line, cfgkey);
	}
	strmap_free(&aliased);
}

static void
check_content(struct check *c, struct article **arts, char **texts, size_t n)
{
	struct strmap	 slugs, tags, sources;
	struct article	*a, *other;
	char		*slug, *key;
	size_t		 i, j;

	strmap_init(&slugs);
	strmap_init(&tags);
	strmap_init(&sources);
	for (i = 0; i < n; i++) {
		if ((a = arts[i]) == NULL)
			continue;
		check_urls(a->path, texts[i], a->body_line);
		if (a->nsources == 0)
			diag_warn(a->path, find_line(texts[i], a->body_line, NULL, "title:"),
			    "article has no sources");
		for (j = 0; j < a->ntags; j++)
			add_spelling(c->ar, &tags, a->tags[j], a->path,
			    find_line(texts[i], a->body_line, "tags:", a->tags[j]));
		for (j = 0; j < a->nsources; j++)
			if (a->sources[j].name)
				add_spelling(c->ar, &sources, a->sources[j].name, a->path,
				    find_line(texts[i], a->body_line, "sources:",
				    a->sources[j].name));
		if (a->draft)
			continue;
		slug = slugify(a->slug_given ? a->slug_given : a->title, CHECK_SLUG_MAX);
		key = arena_printf(c->ar, "%04d/%02d/%s", a->year, a->month, *slug ? slug : "article");
		free(slug);
		if ((other = strmap_get(&slugs, key)) != NULL)
			diag(a->path, find_line(texts[i], a->body_line, NULL,
			    a->slug_given ? "slug:" : "title:"),
			    "slug '%s' is also used by %s: both want the url /%s/", key + 8, other->path,
			    key);
		else
			strmap_put(&slugs, key, a);
	}
	report_variants(c->ar, &tags, "tag", "tag_aliases", c->cfg->tag_aliases, c->cfg->ntag_aliases);
	report_variants(c->ar, &sources, "source", "source_aliases", c->cfg->source_aliases,
	    c->cfg->nsource_aliases);
	strmap_free(&slugs);
	strmap_free(&tags);
	strmap_free(&sources);
}

static int
parse_content(struct check *c)
{
	struct article	**arts;
	char		**texts, *dir;
	size_t		  i, len;
	int		  rc;

	dir = c->cfg->content_dir[0] == '/' ? xstrdup(c->cfg->content_dir) :
	    path_join(c->site_dir, c->cfg->content_dir);
	if (!is_dir(dir)) {
		rc = diag(dir, 0, "no content folder");
		free(dir);
		return rc;
	}
	rc = content_scan(dir, &c->files, NULL, &c->nfiles, NULL);
	free(dir);
	arts = xcalloc(c->nfiles + 1, sizeof(*arts));
	texts = xcalloc(c->nfiles + 1, sizeof(*texts));
	for (i = 0; i < c->nfiles; i++) {
		if (file_read(c->files[i], &texts[i], &len) == -1)
			continue;
		arts[i] = article_parse(c->ar, c->files[i], texts[i], len);
	}
	check_content(c, arts, texts, c->nfiles);
	for (i = 0; i < c->nfiles; i++)
		free(texts[i]);
	free(texts);
	free(arts);
	return rc;
}

/* --- the built site --- */

static int
has_scheme(const char *u)
{
	const char	*p = u;

	if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
		return 0;
	while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
	    *p == '+' || *p == '-' || *p == '.')
		p++;
	return *p == ':';
}

static void
add_link(struct check *c, struct doc *d, size_t line, const char *url, int image)
{
	if (c->nlinks == c->caplinks) {
		c->caplinks = c->caplinks ? c->caplinks * 2 : 1024;
		c->links = xreallocarray(c->links, c->caplinks, sizeof(*c->links));
	}
	c->links[c->nlinks].from = d;
	c->links[c->nlinks].line = line;
	c->links[c->nlinks].url = url;
	c->links[c->nlinks].image = image;
	c->nlinks++;
}

/* Decode the character references HTML attributes use most; others stay as written. */
static char *
attr_value(struct arena *ar, const char *s, size_t len)
{
	struct buf	 b;
	char		*r;
	size_t		 i, k;
	unsigned long	 cp;

	buf_init(&b);
	for (i = 0; i < len; i++) {
		if (s[i] != '&') {
			buf_putc(&b, s[i]);
			continue;
		}
		if (len - i >= 5 && strncmp(s + i, "&amp;", 5) == 0) {
			buf_putc(&b, '&');
			i += 4;
		} else if (len - i >= 6 && strncmp(s + i, "&quot;", 6) == 0) {
			buf_putc(&b, '"');
			i += 5;
		} else if (len - i >= 4 && (strncmp(s + i, "&lt;", 4) == 0 || strncmp(s + i, "&gt;", 4) == 0)) {
			buf_putc(&b, s[i + 1] == 'l' ? '<' : '>');
			i += 3;
		} else if (len - i >= 3 && s[i + 1] == '#') {
			int hex = s[i + 2] == 'x' || s[i + 2] == 'X';
			cp = 0;
			for (k = i + (hex ? 3 : 2); k < len && k - i < 12; k++) {
				if (s[k] >= '0' && s[k] <= '9')
					cp = cp * (hex ? 16 : 10) + (unsigned long)(s[k] - '0');
				else if (hex && ((s[k] | 0x20) >= 'a' && (s[k] | 0x20) <= 'f'))
					cp = cp * 16 + (unsigned long)((s[k] | 0x20) - 'a' + 10);
				else
					break;
			}
			if (k < len && s[k] == ';' && cp > 0 && cp <= 0x10FFFF) {
				utf8_encode(&b, (uint32_t)cp);
				i = k;
			} else
				buf_putc(&b, '&');
		} else
			buf_putc(&b, '&');
	}
	r = arena_strndup(ar, b.data, b.len);
	buf_free(&b);
	return r;
}

static const char *
skip_to(const char *p, const char *end, const char *pat, size_t *line)
{
	size_t	pl = strlen(pat);

	for (; p + pl <= end; p++) {
		if (strncasecmp(p, pat, pl) == 0)
			return p + pl;
		if (*p == '\n')
			(*line)++;
	}
	return end;
}

/* Collect ids, hrefs and srcs of one HTML page. A tokenizer, not a parser:
 * comments, <script> and <style> are skipped; attributes may be quoted or not. */
static void
scan_html(struct check *c, struct doc *d, const char *s, size_t len)
{
	const char	*p = s, *end = s + len, *tn, *an, *v;
	size_t		 line = 1, tl, al, vl, vline;
	char		*val;
	int		 raw;

	while (p < end) {
		if (*p == '\n') {
			line++;
			p++;
			continue;
		}
		if (*p != '<') {
			p++;
			continue;
		}
		if (end - p >= 4 && strncmp(p, "<!--", 4) == 0) {
			p = skip_to(p + 4, end, "-->", &line);
			continue;
		}
		if (end - p >= 2 && (p[1] == '!' || p[1] == '?' || p[1] == '/')) {
			p = skip_to(p + 1, end, ">", &line);
			continue;
		}
		tn = ++p;
		while (p < end && ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-'))
			p++;
		if ((tl = (size_t)(p - tn)) == 0)
			continue;
		raw = (tl == 6 && strncasecmp(tn, "script", 6) == 0) ||
		    (tl == 5 && strncasecmp(tn, "style", 5) == 0);
		for (;;) {			/* attributes */
			while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '/')) {
				if (*p == '\n')
					line++;
				p++;
			}
			if (p >= end || *p == '>')
				break;
			an = p;
			while (p < end && *p != '=' && *p != '>' && *p != ' ' && *p != '\t' && *p != '\n' &&
			    *p != '\r' && *p != '/')
				p++;
			al = (size_t)(p - an);
			if (al == 0) {
				p++;
				continue;
			}
			while (p < end && (*p == ' ' || *p == '\t'))
				p++;
			if (p >= end || *p != '=')
				continue;
			p++;
			while (p < end && (*p == ' ' || *p == '\t'))
				p++;
			vline = line;
			if (p < end && (*p == '"' || *p == '\'')) {
				char q = *p++;
				v = p;
				while (p < end && *p != q) {
					if (*p == '\n')
						line++;
					p++;
				}
				vl = (size_t)(p - v);
				if (p < end)
					p++;
			} else {
				v = p;
				while (p < end && *p != ' ' && *p != '>' && *p != '\t' && *p != '\n')
					p++;
				vl = (size_t)(p - v);
			}
			if (al == 2 && strncasecmp(an, "id", 2) == 0) {
				val = attr_value(c->ar, v, vl);
				strmap_put(&d->ids, val, (void *)1);
			} else if (al == 4 && strncasecmp(an, "name", 4) == 0 && tl == 1 &&
			    (*tn | 0x20) == 'a') {
				val = attr_value(c->ar, v, vl);
				strmap_put(&d->ids, val, (void *)1);
			} else if (al == 4 && strncasecmp(an, "href", 4) == 0) {
				add_link(c, d, vline, attr_value(c->ar, v, vl), 0);
			} else if (al == 3 && strncasecmp(an, "src", 3) == 0) {
				add_link(c, d, vline, attr_value(c->ar, v, vl),
				    (tl == 3 && strncasecmp(tn, "img", 3) == 0) ||
				    (tl == 6 && strncasecmp(tn, "source", 6) == 0) ||
				    (tl == 5 && strncasecmp(tn, "input", 5) == 0));
			}
		}
		if (p < end)
			p++;
		if (raw)
			p = skip_to(p, end, tl == 6 ? "</script" : "</style", &line);
	}
}

static int
ends_with(const char *s, const char *suf)
{
	size_t	ls = strlen(s), lf = strlen(suf);

	return ls >= lf && strcmp(s + ls - lf, suf) == 0;
}

static int
read_doc(struct check *c, const char *path, const char *site)
{
	struct doc	*d;
	struct stat	 st;
	char		*text;
	const char	*base = strrchr(site, '/') ? strrchr(site, '/') + 1 : site;
	const char	*root = NULL;
	size_t		 len;
	int		 rc = 0;

	d = arena_alloc(c->ar, sizeof(*d));
	d->path = arena_strdup(c->ar, path);
	d->site = arena_strdup(c->ar, site);
	d->html = ends_with(site, ".html") || ends_with(site, ".htm");
	strmap_init(&d->ids);
	strmap_put(&c->docs, d->site, d);
	if (c->ndocs == c->capdocs) {
		c->capdocs = c->capdocs ? c->capdocs * 2 : 256;
		c->alldocs = xreallocarray(c->alldocs, c->capdocs, sizeof(*c->alldocs));
	}
	c->alldocs[c->ndocs++] = d;
	if (!d->html && !ends_with(site, ".xml") && !ends_with(site, ".atom"))
		return 0;
	if (stat(path, &st) == 0 && (size_t)st.st_size > CHECK_FILE_MAX)
		return diag(path, 0, "file is too large to check");
	if (file_read(path, &text, &len) == -1)
		return -1;
	if (d->html)
		scan_html(c, d, text, len);
	else {
		if (strcmp(base, "atom.xml") == 0 || ends_with(base, ".atom"))
			root = "feed";
		else if (strcmp(base, "rss.xml") == 0)
			root = "rss";
		else if (strcmp(base, "sitemap.xml") == 0 && strstr(text, "<sitemapindex") == NULL)
			root = "urlset";
		rc = xml_check(path, text, len, root);
	}
	free(text);
	return rc;
}

static int
walk_out(struct check *c, const char *dir, const char *site, int depth)
{
	DIR		*d;
	struct dirent	*de;
	struct stat	 st;
	char		*p, *s;
	int		 rc = 0;

	if (depth > CHECK_DEPTH_MAX)
		return diag(dir, 0, "folders nested too deep");
	if ((d = opendir(dir)) == NULL)
		return diag(dir, 0, "cannot read folder: %s", strerror(errno));
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		p = path_join(dir, de->d_name);
		s = *site ? path_join(site, de->d_name) : xstrdup(de->d_name);
		if (stat(p, &st) == 0 && S_ISDIR(st.st_mode))
			rc |= walk_out(c, p, s, depth + 1);
		else if (S_ISREG(st.st_mode))
			rc |= read_doc(c, p, s);
		free(p);
		free(s);
	}
	closedir(d);
	return rc;
}

static int
hexval(char h)
{
	if (h >= '0' && h <= '9')
		return h - '0';
	h |= 0x20;
	return h >= 'a' && h <= 'f' ? h - 'a' + 10 : -1;
}

/* "/a/./b/../c%20d" relative to nothing -> "a/c d"; NULL if it climbs above the root. */
static char *
normalize(const char *path)
{
	struct buf	 b;
	char		*dec, *seg, *save = NULL, *out;
	size_t		 i, j, k;

	dec = xmalloc(strlen(path) + 1);
	for (i = j = 0; path[i]; i++) {
		if (path[i] == '%' && hexval(path[i + 1]) >= 0 && hexval(path[i + 2]) >= 0) {
			dec[j++] = (char)(hexval(path[i + 1]) * 16 + hexval(path[i + 2]));
			i += 2;
		} else
			dec[j++] = path[i];
	}
	dec[j] = '\0';
	buf_init(&b);
	for (seg = strtok_r(dec, "/", &save); seg; seg = strtok_r(NULL, "/", &save)) {
		if (strcmp(seg, ".") == 0)
			continue;
		if (strcmp(seg, "..") == 0) {
			if (b.len == 0) {
				buf_free(&b);
				free(dec);
				return NULL;
			}
			for (k = b.len - 1; k > 0 && b.data[k - 1] != '/'; k--)
				;
			b.len = k ? k - 1 : 0;
			if (k == 0)
				b.len = 0;
			b.data[b.len] = '\0';
			continue;
		}
		if (b.len)
			buf_putc(&b, '/');
		buf_puts(&b, seg);
	}
	j = strlen(path);
	if (j && path[j - 1] == '/' && b.len)
		buf_putc(&b, '/');
	free(dec);
	out = buf_release(&b);
	return out;
}

static void
note_external(struct check *c, const char *url)
{
	if (!c->external || strmap_get(&c->ext_seen, url))
		return;
	strmap_put(&c->ext_seen, url, (void *)1);
	if (c->next == c->capext) {
		c->capext = c->capext ? c->capext * 2 : 256;
		c->ext = xreallocarray(c->ext, c->capext, sizeof(*c->ext));
	}
	c->ext[c->next++] = url;
}

static void
check_link(struct check *c, const struct link *l)
{
	const char	*u = l->url, *base = c->cfg->base_url, *bpath = c->cfg->base_path;
	const char	*frag = NULL;
	char		*path, *q, *norm = NULL, *target;
	struct doc	*d;
	size_t		 blen = strlen(bpath);

	if (*u == '\0')
		return;
	if (*u == '#') {
		d = l->from;
		frag = u + 1;
		goto anchor;
	}
	if (base && strncmp(u, base, strlen(base)) == 0) {
		path = arena_printf(c->ar, "%s%s", bpath, u + strlen(base));
	} else if (base && strlen(base) > 1 && strncmp(u, base, strlen(base) - 1) == 0 &&
	    u[strlen(base) - 1] == '\0') {
		path = arena_strdup(c->ar, bpath);	/* "https://example.org/archive" */
	} else if (has_scheme(u) || strncmp(u, "//", 2) == 0) {
		if (strncasecmp(u, "http:", 5) == 0 || strncasecmp(u, "https:", 6) == 0 ||
		    strncmp(u, "//", 2) == 0)
			note_external(c, u);
		return;				/* mailto:, tel:, data: ... are not ours to check */
	} else if (*u == '/') {
		path = arena_strdup(c->ar, u);
	} else {				/* relative to the page's folder */
		const char *slash = strrchr(l->from->site, '/');
		path = arena_printf(c->ar, "%s%.*s/%s", bpath,
		    slash ? (int)(slash - l->from->site) : 0, l->from->site, u);
	}
	if ((q = strchr(path, '#')) != NULL) {
		*q = '\0';
		frag = q + 1;
	}
	if ((q = strchr(path, '?')) != NULL)
		*q = '\0';
	if (strncmp(path, bpath, blen) != 0 && strncmp(path, bpath, blen - 1) == 0 &&
	    path[blen - 1] == '\0')
		path = arena_strdup(c->ar, bpath);
	if (strncmp(path, bpath, blen) != 0) {
		diag(l->from->path, l->line, "link '%s' points outside the site (base path '%s')",
		    l->url, bpath);
		return;
	}
	if ((norm = normalize(path + blen - 1)) == NULL) {
		diag(l->from->path, l->line, "link '%s' climbs above the site's root", l->url);
		return;
	}
	if (*norm == '\0' || norm[strlen(norm) - 1] == '/')
		target = arena_printf(c->ar, "%sindex.html", norm);
	else
		target = arena_strdup(c->ar, norm);
	if ((d = strmap_get(&c->docs, target)) == NULL)
		d = strmap_get(&c->docs, arena_printf(c->ar, "%s/index.html", norm));
	free(norm);
	if (d == NULL) {
		if (l->image)
			diag(l->from->path, l->line, "image '%s' is missing", l->url);
		else
			diag(l->from->path, l->line, "link '%s' does not resolve", l->url);
		return;
	}
anchor:
	if (frag == NULL || *frag == '\0' || !d->html || strcasecmp(frag, "top") == 0)
		return;
	{
		char *f = normalize(frag);	/* percent-decoding; an id holds no '/' worth keeping */
		int found = strmap_get(&d->ids, frag) != NULL || (f && strmap_get(&d->ids, f) != NULL);
		free(f);
		size_t sl = strlen(d->site);
		if (sl >= 10 && strcmp(d->site + sl - 10, "index.html") == 0)
			sl -= 10;			/* name the page by its url */
		if (!found)
			diag(l->from->path, l->line, "anchor '#%s' not found in '/%.*s'", frag, (int)sl,
			    d->site);
	}
}

static int
check_output(struct check *c)
{
	size_t	i;
	int	rc;

	if (!is_dir(c->out_dir))
		return diag(c->out_dir, 0, "no built site here; run 'folio build' first "
		    "(or give --output)");
	rc = walk_out(c, c->out_dir, "", 0);
	for (i = 0; i < c->nlinks; i++)
		check_link(c, &c->links[i]);
	return rc;
}

static int
cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static const char check_usage[] =
"usage: folio check [options]\n"
"\n"
"  -C, --site DIR       the site folder (default: the current folder)\n"
"  -o, --output DIR     the built site to check (default: output in folio.yaml, or public)\n"
"      --external       print the external links, one per line, on stdout\n"
"  -h, --help           this help\n"
"\n"
"Prints 'path:line: message' per finding; exits 1 if any is an error.\n";

int
cmd_check(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "site", required_argument, NULL, 'C' },
		{ "output", required_argument, NULL, 'o' },
		{ "external", no_argument, NULL, 'x' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct check	 c;
	const char	*out = NULL;
	char		*cfgpath = NULL, *outdir = NULL;
	size_t		 i;
	int		 ch, rc = 1;

	memset(&c, 0, sizeof(c));
	c.ar = arena_new();
	c.site_dir = ".";
	strmap_init(&c.docs);
	strmap_init(&c.ext_seen);
	optind = 1;
	while ((ch = getopt_long(argc, argv, "C:o:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'C': c.site_dir = optarg; break;
		case 'o': out = optarg; break;
		case 'x': c.external = 1; break;
		case 'h': fputs(check_usage, stdout); rc = 0; goto out;
		default: fputs(check_usage, stderr); rc = 2; goto out;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "folio check: unexpected argument '%s'\n%s", argv[optind], check_usage);
		rc = 2;
		goto out;
	}
	diag_reset();
	cfgpath = path_join(c.site_dir, "folio.yaml");
	if ((c.cfg = config_load(c.ar, cfgpath)) == NULL)
		goto out;
	if (out)
		outdir = xstrdup(out);
	else
		outdir = c.cfg->output[0] == '/' ? xstrdup(c.cfg->output) :
		    path_join(c.site_dir, c.cfg->output);
	c.out_dir = outdir;
	(void)parse_content(&c);
	(void)check_output(&c);
	if (c.external) {
		qsort(c.ext, c.next, sizeof(*c.ext), cmp_cstr);
		for (i = 0; i < c.next; i++)
			printf("%s\n", c.ext[i]);
	}
	fprintf(stderr, "folio check: %zu error%s, %zu warning%s\n", diag_errors(),
	    diag_errors() == 1 ? "" : "s", diag_warnings(), diag_warnings() == 1 ? "" : "s");
	rc = diag_errors() ? 1 : 0;
out:
	for (i = 0; i < c.ndocs; i++)
		strmap_free(&c.alldocs[i]->ids);
	content_scan_free(c.files, c.nfiles);
	free(c.alldocs);
	free(c.links);
	free(c.ext);
	strmap_free(&c.docs);
	strmap_free(&c.ext_seen);
	free(cfgpath);
	free(outdir);
	arena_free(c.ar);
	return rc;
}
