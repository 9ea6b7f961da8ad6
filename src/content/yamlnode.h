/* yamlnode.h: small helpers over libyaml's document tree, private to content/ */
#ifndef CONTENT_YAMLNODE_H
#define CONTENT_YAMLNODE_H

#include <yaml.h>

struct arena;
struct meta;

/* Load one YAML document from text; on error prints path:line (first_line offsets) and returns -1. */
int		 yaml_load_text(yaml_document_t *, const char *path, size_t first_line,
		    const char *text, size_t len);
const char	*node_scalar(yaml_node_t *);	/* NULL unless a scalar */
size_t		 node_line(yaml_node_t *, size_t first_line);
int		 node_is_plain(yaml_node_t *);
/* A string list from a sequence of scalars, or one scalar; -1 on other shapes */
int		 node_strings(struct arena *, yaml_document_t *, yaml_node_t *,
		    const char ***out, size_t *n);
int		 node_bool(yaml_node_t *, int *);
/* The value of an unknown key, n, as a struct meta; *budget: nodes left (aliases can make a
 * small text a huge tree). *too_deep is set to the first node nested more than
 * META_MAX_DEPTH levels below n, which is left out, if there is one. */
struct meta	*node_meta(struct arena *, yaml_document_t *, yaml_node_t *, const char *key, size_t *budget,
		    yaml_node_t **too_deep);

#endif
