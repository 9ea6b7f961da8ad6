/* assets.c: static files, with a content hash in the names of those a
 * browser may cache forever (style.css -> style.3f9a1c.css) */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "site/site.h"
#include "util/arena.h"
#include "util/diag.h"
#include "util/fsutil.h"
#include "util/strmap.h"

struct asset {
	const char	*name;		/* "css/style.css", relative to static/ */
	const char	*out;		/* "css/style.3f9a1c.css", or name */
	const char	*src;		/* file to copy */
};

struct assets {
	struct arena	*ar;
	struct strmap	 byname;	/* name -> struct asset */
	struct asset	**all;
	size_t		  n, cap;
};

static const char *const hashed_exts[] = {
	".css", ".js", ".mjs", ".woff", ".woff2", ".ttf", ".otf", NULL
};

static const char *
ext_of(const char *name)
{
	const char	*dot = strrchr(name, '.'), *slash = strrchr(name, '/');

	return dot && (!slash || dot > slash) && dot != name ? dot : NULL;
}

static int
hashed(const char *name)
{
	const char	*e = ext_of(name);
	size_t		 i;

	for (i = 0; e && hashed_exts[i]; i++)
		if (strcmp(e, hashed_exts[i]) == 0)
			return 1;
	return 0;
}

static int
scan(struct assets *as, const char *dir, const char *prefix, int depth)
{
	DIR		*d;
	struct dirent	*de;
	struct stat	 st;
	struct asset	*a;
	char		*p, *name, *data;
	const char	*e;
	size_t		 len;
	int		 rc = 0;

	if (depth > 16)
		return diag(dir, 0, "folders nested too deep");
	if ((d = opendir(dir)) == NULL)
		return errno == ENOENT ? 0 : diag(dir, 0, "cannot read folder: %s", strerror(errno));
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		p = path_join(dir, de->d_name);
		name = *prefix ? path_join(prefix, de->d_name) : xstrdup(de->d_name);
		if (stat(p, &st) == -1)
			rc = diag(p, 0, "%s", strerror(errno));
		else if (S_ISDIR(st.st_mode))
			rc |= scan(as, p, name, depth + 1);
		else if (S_ISREG(st.st_mode) && strmap_get(&as->byname, name) == NULL) {
			a = arena_alloc(as->ar, sizeof(*a));
			a->name = arena_strdup(as->ar, name);
			a->src = arena_strdup(as->ar, p);
			a->out = a->name;
			if (hashed(name) && file_read(p, &data, &len) == 0) {
				e = ext_of(a->name);
				a->out = arena_printf(as->ar, "%.*s.%06llx%s", (int)(e - a->name), a->name,
				    (unsigned long long)(hash64(data, len) & 0xffffff), e);
				free(data);
			}
			strmap_put(&as->byname, a->name, a);
			if (as->n == as->cap) {
				as->cap = as->cap ? as->cap * 2 : 16;
				as->all = xreallocarray(as->all, as->cap, sizeof(*as->all));
			}
			as->all[as->n++] = a;
		}
		free(p);
		free(name);
	}
	closedir(d);
	return rc;
}

/* The site's static/ first: its files override the theme's of the same name. */
struct assets *
assets_scan(const char *site_static, const char *theme_static)
{
	struct assets	*as = xcalloc(1, sizeof(*as));

	as->ar = arena_new();
	strmap_init(&as->byname);
	if (scan(as, site_static, "", 0) == -1 || scan(as, theme_static, "", 0) == -1) {
		assets_free(as);
		return NULL;
	}
	return as;
}

const char *
assets_name(const struct assets *as, const char *name)
{
	const struct asset	*a;

	while (*name == '/')
		name++;
	a = as ? strmap_get(&as->byname, name) : NULL;
	return a ? a->out : NULL;
}

int
assets_write(const struct assets *as, struct output *o)
{
	char	*data;
	size_t	 len, i;
	int	 rc = 0;

	for (i = 0; as && i < as->n; i++) {
		if (file_read(as->all[i]->src, &data, &len) == -1) {
			rc = -1;
			continue;
		}
		rc |= output_write(o, as->all[i]->out, data, len);
		free(data);
	}
	return rc ? -1 : 0;
}

void
assets_free(struct assets *as)
{
	if (as == NULL)
		return;
	strmap_free(&as->byname);
	free(as->all);
	arena_free(as->ar);
	free(as);
}
