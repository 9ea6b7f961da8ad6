/* article.c: one Markdown file with YAML front matter -> struct article */
#include <string.h>
#include <strings.h>

#include <yaml.h>

#include "folio.h"
#include "content/content.h"
#include "content/yamlnode.h"
#include "util/arena.h"
#include "util/diag.h"
#include "util/fsutil.h"
#include "util/strmap.h"
#include "util/text.h"

#define MAX_FRONT_MATTER	(1024 * 1024)
#define MAX_LIST		10000	/* tags, sources, authors on one article */

/* Length of the line at p (without its end), and where the next one starts. */
static size_t
line_len(const char *p, const char *end, const char **next)
{
	const char	*nl = memchr(p, '\n', (size_t)(end - p));
	size_t		 len;

	if (nl == NULL) {
		*next = end;
		len = (size_t)(end - p);
	} else {
		*next = nl + 1;
		len = (size_t)(nl - p);
	}
	if (len > 0 && p[len - 1] == '\r')
		len--;
	return len;
}

static int
is_fence(const char *p, size_t len, int closing)
{
	while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
		len--;
	if (len == 3 && memcmp(p, "---", 3) == 0)
		return 1;
	return closing && len == 3 && memcmp(p, "...", 3) == 0;
}

static size_t
line_of(const char *text, size_t off)
{
	size_t	line = 1, i;

	for (i = 0; i < off; i++)
		if (text[i] == '\n')
			line++;
	return line;
}

/* Only web addresses become links: no javascript:, data: or file: */
static int
safe_url(const char *u)
{
	size_t	i;

	if (strncasecmp(u, "https://", 8) == 0 || strncasecmp(u, "http://", 7) == 0)
		u += u[4] == ':' ? 7 : 8;
	else
		return 0;
	if (*u == '\0' || *u == '/')
		return 0;
	for (i = 0; u[i]; i++)
		if ((unsigned char)u[i] <= 0x20 || u[i] == '"' || u[i] == '<' || u[i] == '>' || u[i] == '`')
			return 0;
	return 1;
}

static int
parse_sources(struct arena *ar, struct article *a, yaml_document_t *doc, yaml_node_t *n)
{
	yaml_node_item_t	*it;
	yaml_node_pair_t	*p;
	yaml_node_t		*item, *k, *v;
	struct source		*src;
	const char		*key, *val;
	size_t			 cnt, i = 0;
	int			 rc = 0;

	if (n->type == YAML_SCALAR_NODE && node_is_plain(n) && *node_scalar(n) == '\0')
		return 0;
	if (n->type != YAML_SEQUENCE_NODE)
		return diag(a->path, node_line(n, 2), "'sources' must be a list of {name, url, date}");
	cnt = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	if (cnt > MAX_LIST)
		return diag(a->path, node_line(n, 2), "'sources' has %zu items; at most %d", cnt, MAX_LIST);
	a->sources = arena_array(ar, cnt ? cnt : 1, sizeof(struct source));
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		item = yaml_document_get_node(doc, *it);
		src = &a->sources[i];
		if (item->type == YAML_SCALAR_NODE) {	/* "- Reuters" */
			src->name = arena_strdup(ar, node_scalar(item));
		} else if (item->type == YAML_MAPPING_NODE) {
			for (p = item->data.mapping.pairs.start; p < item->data.mapping.pairs.top; p++) {
				k = yaml_document_get_node(doc, p->key);
				v = yaml_document_get_node(doc, p->value);
				key = node_scalar(k);
				val = node_scalar(v);
				if (key == NULL || val == NULL) {
					rc = diag(a->path, node_line(k, 2), "a source's keys and values must be plain text");
					continue;
				}
				if (node_is_plain(v) && (*val == '\0' || strcmp(val, "~") == 0 || strcasecmp(val, "null") == 0))
					continue;
				if (strcmp(key, "name") == 0)
					src->name = arena_strdup(ar, val);
				else if (strcmp(key, "url") == 0) {
					if (!safe_url(val))
						diag_warn(a->path, node_line(v, 2), "source url '%s' is not an "
						    "http(s) address; it is left out", val);
					else
						src->url = arena_strdup(ar, val);
				}
				else if (strcmp(key, "date") == 0) {
					if (date_parse_iso(val, NULL, NULL, NULL, NULL) == -1)
						rc = diag(a->path, node_line(v, 2), "source date '%s' is not a real YYYY-MM-DD date", val);
					src->date = arena_strdup(ar, val);
				} else
					diag_warn(a->path, node_line(k, 2), "unknown source key '%s'", key);
			}
		} else {
			rc = diag(a->path, node_line(item, 2), "a source must be a name or {name, url, date}");
			continue;
		}
		if (src->name == NULL || *src->name == '\0') {
			rc = diag(a->path, node_line(item, 2), "a source needs a 'name'");
			continue;
		}
		i++;
	}
	a->nsources = i;
	return rc;
}

static int
string_list(struct arena *ar, struct article *a, yaml_document_t *doc, yaml_node_t *v,
    const char *key, const char ***out, size_t *n)
{
	if (node_strings(ar, doc, v, out, n) == -1)
		return diag(a->path, node_line(v, 2), "'%s' must be a list of names", key);
	if (*n > MAX_LIST)
		return diag(a->path, node_line(v, 2), "'%s' has %zu items; at most %d", key, *n, MAX_LIST);
	return 0;
}

#define KEYS_COMPARED	32	/* front-matter keys compared with one another; past it, a map */

/*
 * Whether pair p's key was given by an earlier pair of root: each earlier
 * key compared, or looked up in seen (and added to it). Compared for every
 * front matter, 40,000 keys took 3 s: each with all before it.
 */
static int
key_given_before(yaml_document_t *doc, yaml_node_t *root, yaml_node_pair_t *p, const char *key,
    struct strmap *seen)
{
	yaml_node_pair_t	*q;
	const char		*other;

	if (seen != NULL)
		return strmap_put(seen, key, (void *)1) != NULL;
	for (q = root->data.mapping.pairs.start; q < p; q++)
		if ((other = node_scalar(yaml_document_get_node(doc, q->key))) != NULL && strcmp(other, key) == 0)
			return 1;
	return 0;
}

static int
parse_fields(struct arena *ar, struct article *a, yaml_document_t *doc)
{
	yaml_node_t		*root = yaml_document_get_root_node(doc), *k, *v, *deep;
	yaml_node_pair_t	*p;
	const char		*key, *val;
	struct meta		*extra = NULL;
	struct strmap		 seen;
	size_t			 nextra = 0, budget = 100000, nkeys, i;
	int			 rc = 0;

	if (root == NULL)
		return diag(a->path, 1, "front matter is empty: 'title' and 'date' are required");
	if (root->type != YAML_MAPPING_NODE)
		return diag(a->path, node_line(root, 2), "front matter must be 'key: value' lines");
	nkeys = (size_t)(root->data.mapping.pairs.top - root->data.mapping.pairs.start);
	strmap_init(&seen);
	if (nkeys > KEYS_COMPARED)
		strmap_reserve(&seen, nkeys);
	for (p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
		k = yaml_document_get_node(doc, p->key);
		v = yaml_document_get_node(doc, p->value);
		if ((key = node_scalar(k)) == NULL) {
			rc = diag(a->path, node_line(k, 2), "a front-matter key must be plain text");
			continue;
		}
		if (key_given_before(doc, root, p, key, nkeys > KEYS_COMPARED ? &seen : NULL))
			rc = diag(a->path, node_line(k, 2), "key '%s' is given twice", key);
		val = node_scalar(v);
		if (strcmp(key, "title") == 0 || strcmp(key, "headline") == 0 ||
		    strcmp(key, "slug") == 0 || strcmp(key, "date") == 0) {
			if (val == NULL) {
				rc = diag(a->path, node_line(v, 2), "'%s' must be text", key);
				continue;
			}
			if (strcmp(key, "title") == 0)
				a->title = arena_strdup(ar, val);
			else if (strcmp(key, "headline") == 0)
				a->headline = *val ? arena_strdup(ar, val) : NULL;
			else if (strcmp(key, "slug") == 0)
				a->slug_given = *val ? arena_strdup(ar, val) : NULL;
			else if (date_parse_iso(val, &a->date, &a->year, &a->month, &a->day) == -1)
				rc = diag(a->path, node_line(v, 2), "date '%s' is not a real date (YYYY-MM-DD)", val);
			else
				a->date_str = arena_strdup(ar, val);
		} else if (strcmp(key, "tags") == 0) {
			rc |= string_list(ar, a, doc, v, key, &a->tags, &a->ntags);
		} else if (strcmp(key, "authors") == 0) {
			rc |= string_list(ar, a, doc, v, key, &a->authors, &a->nauthors);
		} else if (strcmp(key, "imported_from") == 0) {
			rc |= string_list(ar, a, doc, v, key, &a->imported_from, &a->nimported);
		} else if (strcmp(key, "aliases") == 0) {
			rc |= string_list(ar, a, doc, v, key, &a->aliases, &a->naliases);
		} else if (strcmp(key, "sources") == 0) {
			rc |= parse_sources(ar, a, doc, v);
		} else if (strcmp(key, "draft") == 0) {
			if (node_bool(v, &a->draft) == -1)
				rc = diag(a->path, node_line(v, 2), "'draft' must be true or false");
		} else {
			if (extra == NULL) {
				extra = arena_alloc(ar, sizeof(*extra));
				extra->type = META_MAP;
				extra->items = arena_array(ar,
				    (size_t)(root->data.mapping.pairs.top - root->data.mapping.pairs.start),
				    sizeof(struct meta));
			}
			extra->items[nextra++] = *node_meta(ar, doc, v, arena_strdup(ar, key), &budget, &deep);
			extra->n = nextra;
			if (deep != NULL)
				rc = diag(a->path, node_line(deep, 2), "'%s' is nested more than %d levels deep",
				    key, META_MAX_DEPTH);
		}
	}
	strmap_free(&seen);
	a->extra = extra;
	if (a->title == NULL)
		rc = diag(a->path, 1, "missing required key 'title'");
	else if (*a->title == '\0')
		rc = diag(a->path, 1, "'title' is empty");
	if (a->date_str == NULL && rc == 0)
		rc = diag(a->path, 1, "missing required key 'date' (YYYY-MM-DD)");
	for (i = 0; rc == 0 && a->title && a->title[i]; i++)
		if ((unsigned char)a->title[i] < 0x20 && a->title[i] != '\t')
			rc = diag(a->path, 1, "'title' holds a control character");
	return rc ? -1 : 0;
}

static struct article *parse(struct arena *, const char *, const char *, size_t, int);

struct article *
article_parse(struct arena *ar, const char *path, const char *text, size_t len)
{
	return parse(ar, path, text, len, 1);
}

struct article *
article_parse_meta(struct arena *ar, const char *path, const char *text, size_t len)
{
	return parse(ar, path, text, len, 0);
}

static struct article *
parse(struct arena *ar, const char *path, const char *text, size_t len, int keep_body)
{
	struct article	*a;
	yaml_document_t	 doc;
	const char	*p, *end = text + len, *next, *fm, *fm_end = NULL;
	size_t		 bad, ll, line = 1;
	int		 rc;

	a = arena_alloc(ar, sizeof(*a));
	a->path = arena_strdup(ar, path);
	if (len == 0) {
		diag(path, 0, "empty file: an article needs front matter (title, date) and a body");
		return NULL;
	}
	if ((bad = utf8_check(text, len)) != len) {
		diag(path, line_of(text, bad), "not UTF-8 (byte %zu); convert the file to UTF-8", bad + 1);
		return NULL;
	}
	if ((p = memchr(text, '\0', len)) != NULL) {
		diag(path, line_of(text, (size_t)(p - text)), "NUL byte in the file");
		return NULL;
	}
	p = text;
	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)	/* byte-order mark */
		p += 3;
	ll = line_len(p, end, &next);
	if (!is_fence(p, ll, 0)) {
		diag(path, 1, "no front matter: the file must start with a '---' line");
		return NULL;
	}
	fm = p = next;
	while (p < end) {
		line++;
		ll = line_len(p, end, &next);
		if (is_fence(p, ll, 1)) {
			fm_end = p;
			break;
		}
		p = next;
		if ((size_t)(p - fm) > MAX_FRONT_MATTER) {
			diag(path, 2, "front matter longer than %d bytes", MAX_FRONT_MATTER);
			return NULL;
		}
	}
	if (fm_end == NULL) {
		diag(path, 1, "front matter is not closed: no '---' line after it");
		return NULL;
	}
	a->body_md = next;
	a->body_len = (size_t)(end - next);
	a->body_line = line + 1;
	if (yaml_load_text(&doc, path, 2, fm, (size_t)(fm_end - fm)) == -1)
		return NULL;
	rc = parse_fields(ar, a, &doc);
	yaml_document_delete(&doc);
	if (rc == -1)
		return NULL;
	a->body_offset = (size_t)(a->body_md - text);
	/* the body is copied last so that a failed parse wastes nothing big */
	a->body_md = keep_body ? arena_strndup(ar, a->body_md, a->body_len) : NULL;
	a->hash = hash64(text, len);
	return a;
}

char *
frontmatter_title(const char *text, size_t len)
{
	struct arena	*ar = arena_new();
	struct article	*a;
	char		*title = NULL;

	diag_quiet(1);
	/* fine for history: a broken old version simply has no title */
	a = article_parse(ar, "(history)", text, len);
	diag_quiet(0);
	if (a != NULL && a->title != NULL)
		title = xstrdup(a->title);
	arena_free(ar);
	return title;
}
