/* yamlnode.c: reading libyaml documents into folio's values */
#include <string.h>
#include <strings.h>

#include "folio.h"
#include "content/yamlnode.h"
#include "util/arena.h"
#include "util/diag.h"

#define YAML_MAX_NESTING	(2 * META_MAX_DEPTH)	/* lists and maps inside one another */

/*
 * An upper bound of how deep the flow lists and maps of text nest: its
 * brackets counted, even those inside quotes.
 */
static size_t
bracket_depth(const char *text, size_t len)
{
	size_t	i, depth = 0, most = 0;

	for (i = 0; i < len; i++)
		if (text[i] == '[' || text[i] == '{') {
			if (++depth > most)
				most = depth;
		} else if ((text[i] == ']' || text[i] == '}') && depth > 0)
			depth--;
	return most;
}

/*
 * Whether the collections of text nest deeper than YAML_MAX_NESTING: said
 * (-1), or not (0, also for text that is not YAML: the loader says why).
 * libyaml's scanner checks every pending key at each token, so a document
 * of 100,000 nested '[' took 15 s to load, and 400,000 (800 KB) minutes.
 * Its events come as the scanner goes, so this stops as soon as one is
 * too deep, having read some hundred tokens.
 */
static int
flow_too_deep(const char *path, size_t first_line, const char *text, size_t len)
{
	yaml_parser_t	parser;
	yaml_event_t	ev;
	size_t		depth = 0;
	int		rc = 0, done = 0;

	if (!yaml_parser_initialize(&parser))
		return 0;
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	while (!done && rc == 0 && yaml_parser_parse(&parser, &ev)) {
		if (ev.type == YAML_SEQUENCE_START_EVENT || ev.type == YAML_MAPPING_START_EVENT) {
			if (++depth > YAML_MAX_NESTING)
				rc = diag(path, first_line + ev.start_mark.line,
				    "lists and maps nested more than %d levels deep", YAML_MAX_NESTING);
		} else if (ev.type == YAML_SEQUENCE_END_EVENT || ev.type == YAML_MAPPING_END_EVENT)
			depth--;
		done = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	return rc;
}

int
yaml_load_text(yaml_document_t *doc, const char *path, size_t first_line,
    const char *text, size_t len)
{
	yaml_parser_t	parser;
	int		rc = 0;

	memset(doc, 0, sizeof(*doc));
	if (bracket_depth(text, len) > YAML_MAX_NESTING && flow_too_deep(path, first_line, text, len) == -1)
		return -1;
	if (!yaml_parser_initialize(&parser))
		return diag(path, 0, "cannot start the YAML parser");
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, doc)) {
		rc = diag(path, first_line + parser.problem_mark.line,
		    "broken YAML: %s%s%s", parser.problem ? parser.problem : "syntax error",
		    parser.context ? " " : "", parser.context ? parser.context : "");
		memset(doc, 0, sizeof(*doc));
	}
	yaml_parser_delete(&parser);
	return rc;
}

const char *
node_scalar(yaml_node_t *n)
{
	if (n == NULL || n->type != YAML_SCALAR_NODE)
		return NULL;
	return (const char *)n->data.scalar.value;
}

size_t
node_line(yaml_node_t *n, size_t first_line)
{
	return n ? first_line + n->start_mark.line : first_line;
}

int
node_is_plain(yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

int
node_strings(struct arena *ar, yaml_document_t *doc, yaml_node_t *n,
    const char ***out, size_t *np)
{
	yaml_node_item_t	*it;
	const char		**v;
	const char		*s;
	size_t			 i = 0, cnt;

	*out = NULL;
	*np = 0;
	if (n->type == YAML_SCALAR_NODE) {
		s = node_scalar(n);
		if (node_is_plain(n) && (*s == '\0' || strcmp(s, "~") == 0 || strcasecmp(s, "null") == 0))
			return 0;
		v = arena_array(ar, 1, sizeof(*v));
		v[0] = arena_strdup(ar, s);
		*out = v;
		*np = 1;
		return 0;
	}
	if (n->type != YAML_SEQUENCE_NODE)
		return -1;
	cnt = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	v = arena_array(ar, cnt ? cnt : 1, sizeof(*v));
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		if ((s = node_scalar(yaml_document_get_node(doc, *it))) == NULL)
			return -1;
		if (*s == '\0')
			continue;
		v[i++] = arena_strdup(ar, s);
	}
	*out = v;
	*np = i;
	return 0;
}

int
node_bool(yaml_node_t *n, int *b)
{
	static const char	*yes[] = { "true", "yes", "on", NULL };
	static const char	*no[] = { "false", "no", "off", "", "~", "null", NULL };
	const char		*s = node_scalar(n);
	int			 i;

	if (s == NULL)
		return -1;
	for (i = 0; yes[i]; i++)
		if (strcasecmp(s, yes[i]) == 0)
			return *b = 1, 0;
	for (i = 0; no[i]; i++)
		if (strcasecmp(s, no[i]) == 0)
			return *b = 0, 0;
	return -1;
}

static struct meta *
meta_at(struct arena *ar, yaml_document_t *doc, yaml_node_t *n, const char *key, size_t *budget,
    int depth, yaml_node_t **too_deep)
{
	struct meta		*m = arena_alloc(ar, sizeof(*m));
	yaml_node_item_t	*it;
	yaml_node_pair_t	*p;
	size_t			 i = 0;

	m->key = key;
	if (n == NULL || *budget == 0)
		return m;
	if (depth > META_MAX_DEPTH && n->type != YAML_SCALAR_NODE) {
		if (*too_deep == NULL)
			*too_deep = n;	/* left out: each level costs the C and the Lua stacks */
		return m;
	}
	(*budget)--;
	switch (n->type) {
	case YAML_SCALAR_NODE:
		m->type = META_STRING;
		m->str = arena_strdup(ar, node_scalar(n));
		break;
	case YAML_SEQUENCE_NODE:
		m->type = META_LIST;
		m->n = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
		m->items = arena_array(ar, m->n ? m->n : 1, sizeof(struct meta));
		for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++)
			m->items[i++] = *meta_at(ar, doc, yaml_document_get_node(doc, *it), NULL, budget,
			    depth + 1, too_deep);
		break;
	case YAML_MAPPING_NODE:
		m->type = META_MAP;
		m->n = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
		m->items = arena_array(ar, m->n ? m->n : 1, sizeof(struct meta));
		for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
			const char *k = node_scalar(yaml_document_get_node(doc, p->key));
			m->items[i++] = *meta_at(ar, doc, yaml_document_get_node(doc, p->value),
			    arena_strdup(ar, k ? k : "?"), budget, depth + 1, too_deep);
		}
		break;
	default:
		break;
	}
	return m;
}

struct meta *
node_meta(struct arena *ar, yaml_document_t *doc, yaml_node_t *n, const char *key, size_t *budget,
    yaml_node_t **too_deep)
{
	*too_deep = NULL;
	return meta_at(ar, doc, n, key, budget, 1, too_deep);
}
