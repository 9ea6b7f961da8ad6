/* scan.c: the article files of a content folder */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "content/content.h"
#include "util/arena.h"
#include "util/diag.h"
#include "util/fsutil.h"

struct found {
	char	**files;
	size_t	  n, cap;
};

static int
walk(struct found *f, const char *dir, int depth)
{
	DIR		*d;
	struct dirent	*de;
	struct stat	 st;
	char		*p;
	size_t		 len;
	int		 rc = 0;

	if (depth > 32)
		return diag(dir, 0, "folders nested too deep");
	if ((d = opendir(dir)) == NULL)
		return diag(dir, 0, "cannot read folder: %s", strerror(errno));
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		p = path_join(dir, de->d_name);
		if (stat(p, &st) == -1) {
			rc = diag(p, 0, "%s", strerror(errno));
			free(p);
			continue;
		}
		len = strlen(de->d_name);
		if (S_ISDIR(st.st_mode)) {
			rc |= walk(f, p, depth + 1);
			free(p);
		} else if (S_ISREG(st.st_mode) && len > 3 && strcmp(de->d_name + len - 3, ".md") == 0) {
			if (f->n == f->cap) {
				f->cap = f->cap ? f->cap * 2 : 256;
				f->files = xreallocarray(f->files, f->cap, sizeof(*f->files));
			}
			f->files[f->n++] = p;
		} else
			free(p);
	}
	closedir(d);
	return rc ? -1 : 0;
}

static int
cmp_path(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
content_scan(const char *dir, char ***files, size_t *n)
{
	struct found	f = { NULL, 0, 0 };
	int		rc = walk(&f, dir, 0);

	if (f.n > 1)
		qsort(f.files, f.n, sizeof(*f.files), cmp_path);
	*files = f.files;
	*n = f.n;
	return rc;
}

void
content_scan_free(char **files, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(files[i]);
	free(files);
}
