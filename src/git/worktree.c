/* worktree.c: articles changed in the work tree but not committed */
#include <sys/stat.h>

#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "folio.h"
#include "git/gitint.h"
#include "util/arena.h"
#include "util/fsutil.h"

#define WT_CHANGED	(GIT_STATUS_INDEX_NEW | GIT_STATUS_INDEX_MODIFIED | \
			 GIT_STATUS_INDEX_RENAMED | GIT_STATUS_INDEX_TYPECHANGE | \
			 GIT_STATUS_WT_NEW | GIT_STATUS_WT_MODIFIED | \
			 GIT_STATUS_WT_RENAMED | GIT_STATUS_WT_TYPECHANGE)

/*
 * Articles under prefix that differ from HEAD (staged or not) or are new
 * and untracked, with their modification time. Deleted files are left
 * out: there is no article to show. The list lives in the arena.
 */
int
worktree_changes(struct arena *ar, git_repository *repo, const char *prefix,
    struct wt_change **out, size_t *nout)
{
	git_status_options	 so;
	git_status_list		*st = NULL;
	const git_status_entry	*e;
	const char		*path, *wd;
	char			*spec = NULL, *full;
	struct stat		 sb;
	size_t			 i, n, plen = strlen(prefix);
	int			 rc = -1;

	*out = NULL;
	*nout = 0;
	if ((wd = git_repository_workdir(repo)) == NULL)
		return 0;
	git_status_options_init(&so, GIT_STATUS_OPTIONS_VERSION);
	so.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
	so.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS |
	    GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
	if (plen > 0) {
		spec = xstrdup(prefix);
		so.pathspec.strings = &spec;
		so.pathspec.count = 1;
		so.flags |= GIT_STATUS_OPT_DISABLE_PATHSPEC_MATCH;
	}
	if (git_status_list_new(&st, repo, &so) != 0)
		goto out;
	n = git_status_list_entrycount(st);
	*out = arena_array(ar, n, sizeof(**out));
	for (i = 0; i < n; i++) {
		e = git_status_byindex(st, i);
		if (!(e->status & WT_CHANGED) || (e->status & GIT_STATUS_WT_DELETED))
			continue;
		if (e->index_to_workdir != NULL)
			path = e->index_to_workdir->new_file.path;
		else if (e->head_to_index != NULL)
			path = e->head_to_index->new_file.path;
		else
			continue;
		if (strncmp(path, prefix, plen) != 0 || !is_article(path + plen))
			continue;
		full = path_join(wd, path);
		if (stat(full, &sb) == 0 && S_ISREG(sb.st_mode)) {
			(*out)[*nout].path = arena_strdup(ar, path + plen);
			(*out)[*nout].mtime = sb.st_mtime;
			(*nout)++;
		}
		free(full);
	}
	rc = 0;
out:
	git_status_list_free(st);
	free(spec);
	return rc;
}
