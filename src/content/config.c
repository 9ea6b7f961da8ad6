/* config.c: folio.yaml -> struct config */
#include <errno.h>
#include <stdlib.h>
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

struct config *
config_default(struct arena *ar)
{
	struct config	*c = arena_alloc(ar, sizeof(*c));

	c->path = "folio.yaml";
	c->title = "Archive";
	c->description = "";
	c->base_url = "http://localhost/";
	c->base_path = "/";
	c->language = "en";
	c->theme = "default";
	c->content_dir = "content";
	c->output = "public";
	c->per_page = 20;
	c->feed_size = 20;
	c->sitemap_size = 50000;
	c->history = 1;
	c->page_time_limit = 120;
	return c;
}

/* "https://example.org/a/b" -> base_url "https://example.org/a/b/", base_path "/a/b/" */
static int
set_base_url(struct arena *ar, struct config *c, const char *url, size_t line)
{
	const char	*scheme, *path;
	size_t		 len = strlen(url);

	if (len == 0)
		url = "/";
	if (strncmp(url, "https://", 8) == 0 || strncmp(url, "http://", 7) == 0) {
		scheme = strstr(url, "://") + 3;
		path = strchr(scheme, '/');
		if (scheme[0] == '\0' || scheme[0] == '/')
			return diag(c->path, line, "base_url '%s' has no host", url);
	} else if (url[0] == '/') {
		path = url;
	} else
		return diag(c->path, line, "base_url '%s' must start with http://, https:// or /", url);
	if (strpbrk(url, " \"'<>\\`") != NULL)
		return diag(c->path, line, "base_url '%s' holds a character that is not allowed in a URL", url);
	len = strlen(url);
	c->base_url = len && url[len - 1] == '/' ? arena_strdup(ar, url) : arena_printf(ar, "%s/", url);
	if (path == NULL)
		c->base_path = "/";
	else {
		len = strlen(path);
		c->base_path = len && path[len - 1] == '/' ? arena_strdup(ar, path) : arena_printf(ar, "%s/", path);
	}
	return 0;
}


/* for --base-url on the command line */
int
config_set_base_url(struct arena *ar, struct config *c, const char *url)
{
	return set_base_url(ar, c, url, 0);
}

static int
parse_aliases(struct arena *ar, struct config *c, yaml_document_t *doc, yaml_node_t *n,
    const char *key, struct alias **out, size_t *np)
{
	yaml_node_pair_t	*p;
	const char		*from, *to;
	size_t			 i = 0;

	if (n->type == YAML_SCALAR_NODE && *node_scalar(n) == '\0')
		return 0;
	if (n->type != YAML_MAPPING_NODE)
		return diag(c->path, node_line(n, 1), "'%s' must map variant spellings to one name", key);
	*out = arena_array(ar, (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start) + 1,
	    sizeof(struct alias));
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		from = node_scalar(yaml_document_get_node(doc, p->key));
		to = node_scalar(yaml_document_get_node(doc, p->value));
		if (from == NULL || to == NULL || *to == '\0')
			return diag(c->path, node_line(yaml_document_get_node(doc, p->key), 1),
			    "'%s': each entry must be 'variant: Name'", key);
		(*out)[i].from = arena_strdup(ar, from);
		(*out)[i].to = arena_strdup(ar, to);
		i++;
	}
	*np = i;
	return 0;
}

static int
parse_size(struct config *c, yaml_node_t *v, const char *key, size_t min, size_t max, size_t *out)
{
	const char	*s = node_scalar(v);
	char		*end;
	long		 n;

	errno = 0;
	n = s ? strtol(s, &end, 10) : 0;
	if (s == NULL || *s == '\0' || *end != '\0' || errno || n < (long)min || n > (long)max)
		return diag(c->path, node_line(v, 1), "'%s' must be a number from %zu to %zu", key, min, max);
	*out = (size_t)n;
	return 0;
}

static int
parse_flag(struct config *c, yaml_node_t *v, const char *key, int *out)
{
	if (node_bool(v, out) == -1)
		return diag(c->path, node_line(v, 1), "'%s' must be true or false", key);
	return 0;
}

static int
check_name(struct config *c, yaml_node_t *v, const char *key, const char *s)
{
	if (*s == '\0' || strchr(s, '/') || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return diag(c->path, node_line(v, 1), "'%s' must be a plain folder name, not '%s'", key, s);
	return 0;
}

static int
parse_key(struct arena *ar, struct config *c, yaml_document_t *doc, const char *key,
    yaml_node_t *v, struct meta *extra, size_t *budget)
{
	const char	*s = node_scalar(v);
	yaml_node_t	*deep;
	int		 flag;

	if (strcmp(key, "tag_aliases") == 0)
		return parse_aliases(ar, c, doc, v, key, &c->tag_aliases, &c->ntag_aliases);
	if (strcmp(key, "source_aliases") == 0)
		return parse_aliases(ar, c, doc, v, key, &c->source_aliases, &c->nsource_aliases);
	if (strcmp(key, "per_page") == 0)
		return parse_size(c, v, key, 1, 10000, &c->per_page);
	if (strcmp(key, "feed_size") == 0)
		return parse_size(c, v, key, 1, 10000, &c->feed_size);
	if (strcmp(key, "sitemap_size") == 0)
		return parse_size(c, v, key, 1, 50000, &c->sitemap_size);
	if (strcmp(key, "page_time_limit") == 0) {
		size_t secs;
		if (parse_size(c, v, key, 0, 86400, &secs) == -1)
			return -1;
		c->page_time_limit = (unsigned)secs;
		return 0;
	}
	if (strcmp(key, "unsafe_html") == 0)
		return parse_flag(c, v, key, &c->unsafe_html);
	if (strcmp(key, "relative_links") == 0)
		return parse_flag(c, v, key, &c->relative_links);
	if (strcmp(key, "precompress") == 0)
		return parse_flag(c, v, key, &c->precompress);
	if (strcmp(key, "history") == 0) {
		if (s && (strcasecmp(s, "all") == 0))
			return c->history = 2, 0;
		if (s && (strcasecmp(s, "first-parent") == 0 || strcasecmp(s, "first_parent") == 0))
			return c->history = 1, 0;
		if (node_bool(v, &flag) == -1)
			return diag(c->path, node_line(v, 1), "'history' must be true, false or all");
		c->history = flag;
		return 0;
	}
	if (extra && strcmp(key, "title") && strcmp(key, "description") && strcmp(key, "base_url") &&
	    strcmp(key, "language") && strcmp(key, "theme") && strcmp(key, "output") &&
	    strcmp(key, "content") && strcmp(key, "author") && strcmp(key, "repo_url")) {
		extra->items[extra->n++] = *node_meta(ar, doc, v, arena_strdup(ar, key), budget, &deep);
		if (deep != NULL)
			return diag(c->path, node_line(deep, 1), "'%s' is nested more than %d levels deep",
			    key, META_MAX_DEPTH);
		return 0;
	}
	if (s == NULL)
		return diag(c->path, node_line(v, 1), "'%s' must be text", key);
	if (strcmp(key, "title") == 0)
		c->title = arena_strdup(ar, s);
	else if (strcmp(key, "description") == 0)
		c->description = arena_strdup(ar, s);
	else if (strcmp(key, "base_url") == 0)
		return set_base_url(ar, c, s, node_line(v, 1));
	else if (strcmp(key, "language") == 0) {
		if (strcmp(s, "en") && strcmp(s, "fr"))
			return diag(c->path, node_line(v, 1), "language '%s' is not known; use en or fr", s);
		c->language = arena_strdup(ar, s);
	} else if (strcmp(key, "theme") == 0) {
		if (check_name(c, v, key, s) == -1)
			return -1;
		c->theme = arena_strdup(ar, s);
	} else if (strcmp(key, "output") == 0) {
		if (*s == '\0' || strcmp(s, ".") == 0 || strcmp(s, "..") == 0 || strcmp(s, "/") == 0)
			return diag(c->path, node_line(v, 1), "'output' cannot be '%s'", s);
		c->output = arena_strdup(ar, s);
	} else if (strcmp(key, "content") == 0)
		c->content_dir = arena_strdup(ar, s);
	else if (strcmp(key, "author") == 0)
		c->author = arena_strdup(ar, s);
	else if (strcmp(key, "repo_url") == 0) {
		const char *pct = strchr(s, '%');
		if (pct && (pct[1] != 's' || strchr(pct + 1, '%')))
			return diag(c->path, node_line(v, 1), "'repo_url' may hold one '%%s' and no other '%%'");
		c->repo_url = arena_strdup(ar, s);
	}
	return 0;
}

struct config *
config_load(struct arena *ar, const char *path)
{
	struct config		*c = config_default(ar);
	yaml_document_t		 doc;
	yaml_node_t		*root;
	yaml_node_pair_t	*p;
	const char		*key;
	struct meta		*extra;
	char			*text;
	size_t			 len, budget = 100000;
	int			 rc = 0;

	c->path = arena_strdup(ar, path);
	if (!path_exists(path))
		return c;
	if (file_read(path, &text, &len) == -1)
		return NULL;
	if (yaml_load_text(&doc, path, 1, text, len) == -1) {
		free(text);
		return NULL;
	}
	root = yaml_document_get_root_node(&doc);
	if (root != NULL && root->type != YAML_MAPPING_NODE) {
		rc = diag(path, node_line(root, 1), "folio.yaml must be 'key: value' lines");
		goto out;
	}
	if (root == NULL)
		goto out;
	extra = arena_alloc(ar, sizeof(*extra));
	extra->type = META_MAP;
	extra->items = arena_array(ar, (size_t)(root->data.mapping.pairs.top - root->data.mapping.pairs.start) + 1,
	    sizeof(struct meta));
	for (p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
		key = node_scalar(yaml_document_get_node(&doc, p->key));
		if (key == NULL) {
			rc = diag(path, node_line(yaml_document_get_node(&doc, p->key), 1), "a key must be plain text");
			continue;
		}
		if (parse_key(ar, c, &doc, key, yaml_document_get_node(&doc, p->value), extra, &budget) == -1)
			rc = -1;
	}
	c->extra = extra;
out:
	yaml_document_delete(&doc);
	free(text);
	return rc == 0 ? c : NULL;
}

void
alias_index(struct arena *ar, struct strmap *m, const struct alias *al, size_t n)
{
	size_t	i;
	char	*f;

	strmap_reserve(m, n);
	for (i = 0; i < n; i++) {
		f = fold_key(al[i].from);
		if (strmap_get(m, f) == NULL)
			strmap_put(m, arena_strdup(ar, f), (void *)al[i].to);
		free(f);
	}
}
