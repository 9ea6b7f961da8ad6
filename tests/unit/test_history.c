/* test_history.c: git history on the repository made by scripts/make-history-fixture */
#include <sys/stat.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>

#include "check.h"
#include "folio.h"
#include "git/git.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/fsutil.h"

static char	tmp[256];	/* the test's temporary folder */
static char	repo[300];	/* the fixture repository */
static char	content[320];	/* its content folder */

static const struct commit *
by_subject(const struct history *h, const char *subject)
{
	size_t	i;

	for (i = 0; i < h->ncommits; i++)
		if (strcmp(h->commits[i].subject, subject) == 0)
			return &h->commits[i];
	return NULL;
}

static int
same(const char *a, const char *b)
{
	return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static int
change_is(const struct file_change *fc, enum change_kind kind, const char *path,
    const char *old_path, size_t added, size_t removed)
{
	return fc != NULL && fc->kind == kind && same(fc->path, path) &&
	    same(fc->old_path, old_path) && fc->added == added && fc->removed == removed;
}

static const char *
subject_of(const struct commit *c)
{
	return c ? c->subject : "(none)";
}

/* Everything a page could show, as text: two equal dumps mean equal histories. */
static char *
dump(const struct history *h)
{
	struct buf			 b;
	const struct file_history	*fh;
	const struct file_change	*fc;
	size_t				 i, j;

	buf_init(&b);
	buf_printf(&b, "available %d shallow %d commits %zu\n", h->available, h->shallow, h->ncommits);
	for (i = 0; i < h->ncommits; i++) {
		buf_printf(&b, "%s %s %lld %d %s <%s> %s\n", h->commits[i].id, h->commits[i].short_id,
		    (long long)h->commits[i].time, h->commits[i].tz_offset, h->commits[i].author,
		    h->commits[i].email, h->commits[i].subject);
		for (j = 0; j < h->commits[i].nchanges; j++) {
			fc = &h->commits[i].changes[j];
			buf_printf(&b, "  %d %s %s +%zu -%zu %s\n", fc->kind, fc->path,
			    fc->old_path ? fc->old_path : "-", fc->added, fc->removed,
			    fc->title ? fc->title : "-");
			if ((fh = history_find(h, fc->path)) == NULL)
				continue;
			buf_printf(&b, "    file %s n %zu created %s updated %s at %lld trunc %d unc %d\n",
			    fh->path, fh->n, subject_of(fh->created), subject_of(fh->updated),
			    (long long)fh->updated_time, fh->truncated, fh->uncommitted);
			if (fh->n > 0)
				buf_printf(&b, "    first %s last %s\n", subject_of(fh->changes[0]->commit),
				    subject_of(fh->changes[fh->n - 1]->commit));
		}
	}
	return buf_release(&b);
}

static char *
collect_dump(const char *dir, int all, const char *cache)
{
	struct arena		*ar = arena_new();
	struct history_opts	 o = { .all_parents = all, .cache_dir = cache, .quiet = 1 };
	char			*s = dump(history_collect(ar, dir, &o));

	arena_free(ar);
	return s;
}

static void
test_first_parent(void)
{
	struct arena			*ar = arena_new();
	struct history_opts		 o = { .quiet = 1 };
	struct history			*h = history_collect(ar, content, &o);
	const struct commit		*c, *first, *drought, *merge, *heat;
	const struct file_history	*fh;

	CHECK(h->available == 1 && h->shallow == 0);
	CHECK(h->ncommits == 9);	/* 12 commits, minus two on the side branch and one outside content/ */
	CHECK(by_subject(h, "Readme and theme") == NULL);
	CHECK(by_subject(h, "Add storm") == NULL && by_subject(h, "Storm: trees") == NULL);

	c = &h->commits[0];
	CHECK(strcmp(c->subject, "Flood: aftermath") == 0);
	CHECK(c->time == 1578837600 && c->tz_offset == -300);
	CHECK(strcmp(c->author, "Bob Ndiaye") == 0 && strcmp(c->email, "bob@example.org") == 0);
	CHECK(strlen(c->id) == 40 && strlen(c->short_id) == 7 && strncmp(c->id, c->short_id, 7) == 0);
	CHECK(c->nchanges == 1 && change_is(&c->changes[0], CHANGE_EDITED, "2019/flood.md", NULL, 1, 0));

	first = by_subject(h, "Add the first articles");	/* the body's second paragraph is not the subject */
	CHECK(first != NULL && first == &h->commits[8]);
	CHECK(first && first->time == 1577869200 && first->tz_offset == 60 && first->nchanges == 2);
	CHECK(first && strcmp(first->author, "Alice Martin") == 0);

	c = by_subject(h, "Flood: more detail");
	CHECK(c && c->nchanges == 1 && change_is(&c->changes[0], CHANGE_EDITED, "2019/flood.md", NULL, 2, 1));
	c = by_subject(h, "Fire: retag");
	CHECK(c && c->nchanges == 1 && change_is(&c->changes[0], CHANGE_META, "2019/fire.md", NULL, 1, 1));
	c = by_subject(h, "Rename drought to dry season");
	CHECK(c && c->nchanges == 1 &&
	    change_is(&c->changes[0], CHANGE_RENAMED, "2020/dry-season.md", "2020/drought.md", 1, 0));
	c = by_subject(h, "Remove the fire story");
	CHECK(c && c->nchanges == 1 && change_is(&c->changes[0], CHANGE_REMOVED, "2019/fire.md", NULL, 0, 0));
	CHECK(c && c->nchanges == 1 && same(c->changes[0].title, "Fire in the hills"));
	heat = by_subject(h, "Add heat");	/* heat.jpg is not an article */
	CHECK(heat && heat->nchanges == 1 && change_is(&heat->changes[0], CHANGE_ADDED, "2020/heat.md", NULL, 5, 0));
	merge = by_subject(h, "Merge branch 'side'");	/* first parent: the merge brings storm.md */
	CHECK(merge && merge->nchanges == 1 && change_is(&merge->changes[0], CHANGE_ADDED, "2020/storm.md", NULL, 6, 0));
	CHECK(merge && merge->tz_offset == 60 && merge->time == 1578733200);
	drought = by_subject(h, "Add drought");
	CHECK(drought && drought->tz_offset == -300 && drought->time == 1577973600);

	fh = history_find(h, "2019/flood.md");
	CHECK(fh != NULL);
	if (fh) {
		CHECK(fh->n == 3 && fh->created == first && fh->updated == &h->commits[0]);
		CHECK(fh->updated_time == 1578837600 && !fh->truncated && !fh->uncommitted);
		CHECK(fh->n == 3 && fh->changes[0]->kind == CHANGE_EDITED && fh->changes[1]->kind == CHANGE_EDITED &&
		    fh->changes[2]->kind == CHANGE_ADDED && fh->changes[2]->commit == first);
	}
	fh = history_find(h, "2020/dry-season.md");	/* renames chain back to drought.md */
	CHECK(fh != NULL);
	if (fh) {
		CHECK(fh->n == 2 && fh->created == drought && strcmp(fh->path, "2020/dry-season.md") == 0);
		CHECK(fh->n == 2 && fh->changes[0]->kind == CHANGE_RENAMED && fh->changes[1]->kind == CHANGE_ADDED &&
		    strcmp(fh->changes[1]->path, "2020/drought.md") == 0);
		CHECK(fh->updated && strcmp(fh->updated->subject, "Rename drought to dry season") == 0);
	}
	CHECK(history_find(h, "2020/drought.md") == NULL);	/* not a current path */
	CHECK(history_find(h, "2019/fire.md") == NULL);		/* removed */
	CHECK(history_find(h, "2020/heat.jpg") == NULL);
	fh = history_find(h, "2020/storm.md");
	CHECK(fh && fh->n == 1 && fh->created == merge && fh->updated == merge);
	fh = history_find(h, "2020/heat.md");
	CHECK(fh && fh->n == 1 && fh->created == heat);
	CHECK(history_find(h, "nothing.md") == NULL && history_find(h, "") == NULL);
	arena_free(ar);
}

static void
test_all_parents(void)
{
	struct arena			*ar = arena_new();
	struct history_opts		 o = { .all_parents = 1, .quiet = 1 };
	struct history			*h = history_collect(ar, content, &o);
	const struct file_history	*fh;
	const struct commit		*add;

	CHECK(h->available == 1 && h->ncommits == 10);
	CHECK(by_subject(h, "Merge branch 'side'") == NULL);	/* its changes are its parents' */
	CHECK(h->ncommits == 10 && strcmp(h->commits[1].subject, "Storm: trees") == 0 &&
	    strcmp(h->commits[2].subject, "Add heat") == 0 && strcmp(h->commits[3].subject, "Add storm") == 0);
	add = by_subject(h, "Add storm");
	fh = history_find(h, "2020/storm.md");
	CHECK(fh && fh->n == 2 && fh->created == add && fh->changes[0]->kind == CHANGE_EDITED &&
	    fh->changes[0]->added == 1 && fh->changes[1]->kind == CHANGE_ADDED && fh->changes[1]->added == 5);
	CHECK(by_subject(h, "Readme and theme") == NULL);
	arena_free(ar);
}

static void
corrupt(const char *file, long off)
{
	FILE	*f = fopen(file, "r+b");
	int	 c;

	if (f == NULL)
		return;
	fseek(f, off, SEEK_SET);
	c = fgetc(f);
	fseek(f, off, SEEK_SET);
	fputc(c ^ 0x5a, f);
	fclose(f);
}

static void
test_cache(void)
{
	char	cfp[400], cap[400], file[420], *cold, *warm, *cold_all, *warm_all, *s;

	snprintf(cfp, sizeof(cfp), "%s/cache-fp", tmp);
	snprintf(cap, sizeof(cap), "%s/cache-all", tmp);
	snprintf(file, sizeof(file), "%s/history", cfp);

	cold = collect_dump(content, 0, NULL);
	warm = collect_dump(content, 0, cfp);		/* writes it */
	CHECK(strcmp(cold, warm) == 0 && path_exists(file));
	free(warm);
	warm = collect_dump(content, 0, cfp);		/* reads it */
	CHECK(strcmp(cold, warm) == 0);
	free(warm);
	free(collect_dump(content, 1, cap));
	free(cold);

	/* one more commit: the cached build walks only it */
	CHECK(sh("cd '%s' && echo 'A hot night.' >> content/2020/heat.md && git add -A && "
	    "GIT_AUTHOR_DATE='2020-01-13T10:00:00 +0100' GIT_COMMITTER_DATE='2020-01-13T10:00:00 +0100' "
	    "git -c user.name='Alice Martin' -c user.email=alice@example.org commit -q -m 'Heat: night'",
	    repo) == 0);
	cold = collect_dump(content, 0, NULL);
	warm = collect_dump(content, 0, cfp);
	CHECK(strcmp(cold, warm) == 0);
	CHECK(strstr(warm, "commits 10\n") != NULL);
	free(warm);
	warm = collect_dump(content, 0, cfp);		/* and the merged file reads back the same */
	CHECK(strcmp(cold, warm) == 0);
	free(warm);
	cold_all = collect_dump(content, 1, NULL);
	warm_all = collect_dump(content, 1, cap);
	CHECK(strcmp(cold_all, warm_all) == 0 && strstr(warm_all, "commits 11\n") != NULL);
	free(warm_all);
	free(cold_all);

	/* damaged files are detected, rebuilt, never trusted */
	corrupt(file, 200);
	warm = collect_dump(content, 0, cfp);
	CHECK(strcmp(cold, warm) == 0);
	free(warm);
	CHECK(truncate(file, 100) == 0);
	warm = collect_dump(content, 0, cfp);
	CHECK(strcmp(cold, warm) == 0);
	free(warm);
	CHECK(file_write(file, "FOLIOHIS garbage", 16) == 0);
	warm = collect_dump(content, 0, cfp);
	CHECK(strcmp(cold, warm) == 0);
	free(warm);
	corrupt(file, 20);	/* a damaged HEAD id: the checksum does not cover it, the walk does */
	warm = collect_dump(content, 0, cfp);
	CHECK(strcmp(cold, warm) == 0);
	free(warm);

	/* a cache made on another branch is not an ancestor of HEAD: rebuilt */
	CHECK(sh("cd '%s' && git checkout -q -b elsewhere && echo x >> content/2020/heat.md && "
	    "git -c user.name=x -c user.email=x@x commit -q -am elsewhere", repo) == 0);
	free(collect_dump(content, 0, cfp));
	CHECK(sh("cd '%s' && git checkout -q main && git branch -q -D elsewhere", repo) == 0);
	warm = collect_dump(content, 0, cfp);
	CHECK(strcmp(cold, warm) == 0);
	s = strstr(warm, "elsewhere");
	CHECK(s == NULL);
	free(warm);
	free(cold);
}

static void
test_worktree(void)
{
	struct arena			*ar = arena_new();
	struct history_opts		 o = { .quiet = 1 };
	struct history			*h;
	const struct file_history	*fh;
	struct stat			 st;
	char				 path[400];

	CHECK(sh("cd '%s' && echo 'Uncommitted line.' >> content/2019/flood.md && mkdir -p content/2021 && "
	    "printf -- '---\\ntitle: New\\ndate: 2021-01-01\\n---\\nSoon.\\n' > content/2021/new.md && "
	    "echo draft > content/2021/notes.txt", repo) == 0);
	h = history_collect(ar, content, &o);
	CHECK(h->ncommits == 10);
	snprintf(path, sizeof(path), "%s/2019/flood.md", content);
	fh = history_find(h, "2019/flood.md");
	CHECK(fh && fh->uncommitted && fh->n == 4 && fh->changes[0]->kind == CHANGE_UNCOMMITTED &&
	    fh->changes[0]->commit == NULL && fh->changes[1]->commit == &h->commits[1]);
	CHECK(fh && stat(path, &st) == 0 && fh->updated_time == st.st_mtime);
	CHECK(fh && fh->updated == &h->commits[1] && fh->created == &h->commits[9]);
	fh = history_find(h, "2021/new.md");
	CHECK(fh && fh->uncommitted && fh->n == 1 && fh->created == NULL && fh->updated == NULL);
	CHECK(history_find(h, "2021/notes.txt") == NULL);
	fh = history_find(h, "2020/storm.md");
	CHECK(fh && !fh->uncommitted);
	arena_free(ar);
	CHECK(sh("cd '%s' && git checkout -q -- content && rm -rf content/2021", repo) == 0);
}

/* Is the file uncommitted, by a pass with this cache and this stat print (-1: no such file)? */
static int
uncommitted(const char *cache, uint64_t print, const char *file)
{
	struct arena			*ar = arena_new();
	struct history_opts		 o = { .cache_dir = cache, .quiet = 1, .worktree_print = print };
	const struct file_history	*fh = history_find(history_collect(ar, content, &o), file);
	int				 r = fh ? fh->uncommitted : -1;

	arena_free(ar);
	return r;
}

/* The work tree's answer is kept by HEAD, the index file and the caller's print of the files' stat. */
static void
test_worktree_cache(void)
{
	char	cache[400], kept[420];

	snprintf(cache, sizeof(cache), "%s/wt-cache", tmp);
	snprintf(kept, sizeof(kept), "%s/worktree", cache);
	CHECK(uncommitted(cache, 7, "2019/flood.md") == 0);
	CHECK(path_exists(kept));
	/* an edit the print does not show: the kept answer is taken, the index not even read */
	CHECK(sh("cd '%s' && echo 'Kept line.' >> content/2019/flood.md", repo) == 0);
	CHECK(uncommitted(cache, 7, "2019/flood.md") == 0);
	/* the print moved: asked again, and kept */
	CHECK(uncommitted(cache, 8, "2019/flood.md") == 1);
	CHECK(uncommitted(cache, 8, "2019/flood.md") == 1);
	/* no print: asked every time */
	CHECK(sh("cd '%s' && git checkout -q -- content", repo) == 0);
	CHECK(uncommitted(cache, 0, "2019/flood.md") == 0);
	CHECK(sh("cd '%s' && echo 'Kept line.' >> content/2019/flood.md", repo) == 0);
	CHECK(uncommitted(cache, 0, "2019/flood.md") == 1);
	/* staged: the index file is replaced, so the same print asks again; committed: HEAD moved */
	CHECK(uncommitted(cache, 9, "2019/flood.md") == 1);
	CHECK(sh("cd '%s' && git checkout -q -- content && git add content", repo) == 0);
	CHECK(uncommitted(cache, 9, "2019/flood.md") == 0);
	CHECK(sh("cd '%s' && echo 'Kept line.' >> content/2019/flood.md && git add content", repo) == 0);
	CHECK(uncommitted(cache, 9, "2019/flood.md") == 1);
	CHECK(sh("cd '%s' && git -c user.name=T -c user.email=t@example.org commit -qm 'Kept line'", repo) == 0);
	CHECK(uncommitted(cache, 9, "2019/flood.md") == 0);
	/* a cut file is not taken */
	CHECK(sh("cd '%s' && echo 'Cut.' >> content/2019/flood.md", repo) == 0);
	CHECK(uncommitted(cache, 9, "2019/flood.md") == 0);	/* kept, as above */
	CHECK(sh("head -c 30 '%s' > '%s.cut' && mv '%s.cut' '%s'", kept, kept, kept, kept) == 0);
	CHECK(uncommitted(cache, 9, "2019/flood.md") == 1);
	CHECK(sh("cd '%s' && git reset -q --hard HEAD~1", repo) == 0);
	/* the ignore rules are in the key: a .gitignore above the content folder asks again */
	CHECK(sh("cd '%s' && printf -- '---\\ntitle: W\\ndate: 2021-01-01\\n---\\nW.\\n' > content/2019/wip.md && "
	    "cp .gitignore .gitignore.orig 2>/dev/null; true", repo) == 0);
	CHECK(uncommitted(cache, 10, "2019/wip.md") == 1);
	CHECK(sh("cd '%s' && echo 'content/2019/wip.md' >> .gitignore", repo) == 0);
	CHECK(uncommitted(cache, 10, "2019/wip.md") == -1);
	CHECK(sh("cd '%s' && rm -f content/2019/wip.md .gitignore && "
	    "{ mv .gitignore.orig .gitignore 2>/dev/null; true; }", repo) == 0);
	rm_rf(cache);
}

static void
test_shallow(void)
{
	struct arena			*ar = arena_new();
	struct history_opts		 o = { .quiet = 1 };
	struct history			*h;
	const struct file_history	*fh;
	char				 dir[400], cache[400], *a, *b;

	snprintf(dir, sizeof(dir), "%s/shallow/content", tmp);
	snprintf(cache, sizeof(cache), "%s/cache-shallow", tmp);
	CHECK(sh("git clone -q --depth 3 'file://%s' '%s/shallow' 2>/dev/null", repo, tmp) == 0);
	h = history_collect(ar, dir, &o);
	CHECK(h->available == 1 && h->shallow == 1);
	CHECK(h->ncommits == 2 && strcmp(h->commits[0].subject, "Heat: night") == 0 &&
	    strcmp(h->commits[1].subject, "Flood: aftermath") == 0);
	fh = history_find(h, "2019/flood.md");
	CHECK(fh && fh->n == 1 && fh->truncated && fh->created == NULL && fh->updated == &h->commits[1]);
	fh = history_find(h, "2020/heat.md");
	CHECK(fh && fh->n == 1 && fh->truncated && fh->created == NULL);
	fh = history_find(h, "2020/dry-season.md");	/* unchanged since the boundary */
	CHECK(fh && fh->n == 0 && fh->truncated && fh->created == NULL && fh->updated == NULL);
	fh = history_find(h, "2020/storm.md");
	CHECK(fh && fh->truncated && fh->created == NULL);
	arena_free(ar);
	a = collect_dump(dir, 0, NULL);
	free(collect_dump(dir, 0, cache));
	b = collect_dump(dir, 0, cache);
	CHECK(strcmp(a, b) == 0);
	free(a);
	free(b);
	a = collect_dump(dir, 1, NULL);
	CHECK(strstr(a, "shallow 1") != NULL);
	free(a);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Lines of text, sorted: two lists compared without caring for their order. */
static char *
sorted_lines(char *text)
{
	char		**v = NULL, *p, *nl;
	size_t		  n = 0, i;
	struct buf	  b;

	for (p = text; *p != '\0'; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			break;
		*nl = '\0';
		v = xreallocarray(v, n + 1, sizeof(*v));
		v[n++] = p;
	}
	qsort(v, n, sizeof(*v), cmp_str);
	buf_init(&b);
	for (i = 0; i < n; i++)
		buf_printf(&b, "%s\n", v[i]);
	free(v);
	free(text);
	return buf_release(&b);
}

/*
 * A walk's changes, one line each in its order: with counts, "commit path
 * +added -removed" for every addition and edit; else "commit kind path"
 * for every change.
 */
static char *
our_lines(const char *dir, int counts)
{
	static const char	 kinds[] = "AEMRDU";	/* enum change_kind's order */
	struct arena		*ar = arena_new();
	struct history_opts	 o = { .quiet = 1 };
	struct history		*h = history_collect(ar, dir, &o);
	const struct file_change *fc;
	struct buf		 b;
	size_t			 i, j;

	buf_init(&b);
	for (i = 0; h != NULL && i < h->ncommits; i++)
		for (j = 0; j < h->commits[i].nchanges; j++) {
			fc = &h->commits[i].changes[j];
			if (!counts)
				buf_printf(&b, "%s %c content/%s\n", h->commits[i].id,
				    kinds[fc->kind], fc->path);
			else if (fc->kind == CHANGE_ADDED || fc->kind == CHANGE_EDITED ||
			    fc->kind == CHANGE_META)
				buf_printf(&b, "%s content/%s +%zu -%zu\n", h->commits[i].id,
				    fc->path, fc->added, fc->removed);
		}
	arena_free(ar);
	return buf_release(&b);
}

static char *
our_numstat(const char *dir)
{
	return sorted_lines(our_lines(dir, 1));
}

/*
 * The same from git's own diff, in its order (with counts: M is an edit,
 * E); root: the content folder is the repository's top, and its paths are
 * written as if it were "content".
 */
static char *
git_lines(const char *dir, int counts, int root)
{
	char		 cmd[600], line[1024], id[41] = "", path[900], k;
	unsigned long	 a, r;
	FILE		*f;
	struct buf	 b;

	snprintf(cmd, sizeof(cmd), "git -C '%s' log --first-parent --no-renames %s "
	    "--format='C %%H' -- %s", dir, counts ? "--diff-filter=AM --numstat" : "--name-status",
	    root ? "." : "content");
	buf_init(&b);
	if ((f = popen(cmd, "r")) == NULL)
		return buf_release(&b);
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "C %40s", id) == 1)
			continue;
		if (counts ? sscanf(line, "%lu\t%lu\t%899[^\n]", &a, &r, path) != 3 :
		    sscanf(line, "%c\t%899[^\n]", &k, path) != 2)
			continue;
		if (strlen(path) <= 3 || strcmp(path + strlen(path) - 3, ".md") != 0)
			continue;
		if (counts)
			buf_printf(&b, "%s %s%s +%lu -%lu\n", id, root ? "content/" : "", path, a, r);
		else
			buf_printf(&b, "%s %c %s%s\n", id, k == 'M' ? 'E' : k, root ? "content/" : "",
			    path);
	}
	pclose(f);
	return buf_release(&b);
}

static char *
git_numstat(const char *dir)
{
	return sorted_lines(git_lines(dir, 1, 0));
}

/*
 * Line counts agree with git's on a generated archive, whichever way each
 * commit is read (the tree walk; libgit2's diff for a commit that removes
 * an article) and wherever the blobs come from (loose objects, a pack of
 * long delta chains, the work tree, or not the work tree once it differs).
 */
static void
test_numstat(void)
{
	char	 gen[400], dir[420], *ours, *gits, *again;

	snprintf(gen, sizeof(gen), "%s/gen", tmp);
	snprintf(dir, sizeof(dir), "%s/content", gen);
	/* more than 32 commits and 64 articles: both rounds run on worker threads */
	CHECK(sh("scripts/gen-corpus --n 240 --seed 7 --commits 60 --out '%s' >/dev/null", gen) == 0);
	CHECK(sh("cd '%s' && git rm -q \"$(ls content/*/*.md | head -1)\" && "
	    "f=$(ls content/*/*.md | tail -1) && printf 'One more line.\\n' >> \"$f\" && "
	    "git -c user.name=x -c user.email=x@x commit -qam 'remove one, edit one'", gen) == 0);
	gits = git_numstat(gen);
	ours = our_numstat(dir);
	CHECK(strlen(gits) > 1000 && strcmp(ours, gits) == 0);
	if (strcmp(ours, gits) != 0)
		printf("ours:\n%s\ngit's:\n%s\n", ours, gits);
	CHECK(sh("cd '%s' && git gc -q --aggressive", gen) == 0);
	again = our_numstat(dir);
	CHECK(strcmp(again, gits) == 0);
	free(again);
	CHECK(sh("cd '%s' && for f in content/*/*.md; do echo 'Not committed.' >> \"$f\"; done", gen) == 0);
	again = our_numstat(dir);
	CHECK(strcmp(again, gits) == 0);
	free(again);
	/* a FIFO where an article was: read from the repository, never waited on */
	CHECK(sh("cd '%s' && f=$(ls content/*/*.md | head -1) && rm \"$f\" && mkfifo \"$f\"", gen) == 0);
	alarm(60);
	again = our_numstat(dir);
	alarm(0);
	CHECK(strcmp(again, gits) == 0);
	free(again);
	free(ours);
	free(gits);
}

/*
 * Folders in folders, and a commit's changes in git's order: the content
 * folder's own files and those of its folders, which are compared folder
 * by folder after the commits (treediff.c), come out of one commit in the
 * order of git's diff, the names being such that a folder sorts after the
 * files that begin like it ("2020-notes.md", "2020.md", "2020/"). A commit
 * that removes a file deep in one folder and edits another folder goes to
 * libgit2's diff as a whole; a folder that is new has no old side.
 */
static void
test_folders(void)
{
	static const char *const tops[] = { "nest", "nest-root" };
	char	 dir[400], content_dir[420], *ours, *gits;
	int	 root;

	for (root = 0; root < 2; root++) {	/* in content/, then at the repository's top */
		snprintf(dir, sizeof(dir), "%s/%s", tmp, tops[root]);
		snprintf(content_dir, sizeof(content_dir), "%s%s", dir, root ? "" : "/content");
		CHECK(sh("C='%s' && mkdir -p \"$C/2020/05\" \"$C/2021\" && cd '%s' && git init -q && "
		    "for f in 2020-notes 2020 2020/a 2020/05/b 2020/05/c 2021/d zz; do "
		    "printf -- '---\\ntitle: %%s\\n---\\nOne.\\n' $f > $C/$f.md; done && "
		    "git add -A && git -c user.name=x -c user.email=x@x commit -qm one && "
		    "echo Two. >> $C/2020/05/b.md && echo Two. >> $C/2021/d.md && "
		    "echo Two. >> $C/2020.md && "
		    "git -c user.name=x -c user.email=x@x commit -qam two && "
		    "git rm -q $C/2020/05/c.md && echo Three. >> $C/2021/d.md && "
		    "echo Three. >> $C/2020/a.md && "
		    "git -c user.name=x -c user.email=x@x commit -qam three && "
		    "mkdir -p $C/2022/06 && printf -- '---\\ntitle: E\\n---\\nOne.\\n' > $C/2022/06/e.md && "
		    "echo Four. >> $C/2020/05/b.md && "
		    "git add -A && git -c user.name=x -c user.email=x@x commit -qm four",
		    content_dir, dir) == 0);
		ours = our_lines(content_dir, 0);
		gits = git_lines(dir, 0, root);
		CHECK(strlen(gits) > 400 && strcmp(ours, gits) == 0);
		if (strcmp(ours, gits) != 0)
			printf("ours:\n%s\ngit's:\n%s\n", ours, gits);
		free(ours);
		free(gits);
	}
}

/* The edit of path that the history holds (the newest), or NULL. */
static const struct file_change *
edit_of(const struct history *h, const char *path)
{
	const struct file_history	*fh = history_find(h, path);
	size_t				 i;

	for (i = 0; fh != NULL && i < fh->n; i++)
		if (fh->changes[i]->kind == CHANGE_EDITED || fh->changes[i]->kind == CHANGE_META)
			return fh->changes[i];
	return NULL;
}

/* Lines added by the edit of path in the history of dir, or -1. */
static long
edit_added(const char *dir, const char *path)
{
	struct arena			*ar = arena_new();
	struct history_opts		 o = { .quiet = 1 };
	const struct file_change	*fc = edit_of(history_collect(ar, dir, &o), path);
	long				 n = fc != NULL ? (long)fc->added : -1;

	arena_free(ar);
	return n;
}

/*
 * Make the index say what git would say had it recorded the work-tree
 * file of path (its stat now) with the blob of rev:path: a lie, which only
 * git's rule "the stat is the one recorded, so the bytes are the blob's"
 * believes.
 */
static int
lie_in_index(const char *top, const char *path, const char *rev)
{
	git_repository		*r = NULL;
	git_index		*ix = NULL;
	git_object		*o = NULL;
	const git_index_entry	*cur;
	git_index_entry		 e;
	struct stat		 st;
	char			 file[600], spec[700];
	int			 rc = -1;

	snprintf(file, sizeof(file), "%s/%s", top, path);
	snprintf(spec, sizeof(spec), "%s:%s", rev, path);
	git_libgit2_init();
	if (git_repository_open(&r, top) != 0 || git_repository_index(&ix, r) != 0 ||
	    git_revparse_single(&o, r, spec) != 0 || lstat(file, &st) != 0 ||
	    (cur = git_index_get_bypath(ix, path, 0)) == NULL)
		goto out;
	e = *cur;
	e.path = path;
	e.id = *git_object_id(o);
	e.ctime.seconds = (int32_t)st.st_ctim.tv_sec;
	e.ctime.nanoseconds = (uint32_t)st.st_ctim.tv_nsec;
	e.mtime.seconds = (int32_t)st.st_mtim.tv_sec;
	e.mtime.nanoseconds = (uint32_t)st.st_mtim.tv_nsec;
	e.dev = (uint32_t)st.st_dev;
	e.ino = (uint32_t)st.st_ino;
	e.uid = st.st_uid;
	e.gid = st.st_gid;
	e.file_size = (uint32_t)st.st_size;
	rc = git_index_add(ix, &e) == 0 && git_index_write(ix) == 0 ? 0 : -1;
out:
	git_object_free(o);
	git_index_free(ix);
	git_repository_free(r);
	git_libgit2_shutdown();
	return rc;
}

/*
 * A work-tree file is taken for a version, instead of being hashed, when
 * git would take it for the index entry's blob: its stat is the one the
 * index recorded, and the entry is not racily clean. A lying index shows
 * which way it went: believed, the edit's old side is read from the work
 * tree, which holds the new one (no line added). It is not believed when
 * the entry is racy, when the file holds a CR (core.autocrlf may have
 * taken it out of the blob) or a .gitattributes file may convert it.
 */
static void
test_index_stat(void)
{
	char	dir[400], content_dir[420];

	snprintf(dir, sizeof(dir), "%s/ix", tmp);
	snprintf(content_dir, sizeof(content_dir), "%s/content", dir);
	CHECK(sh("mkdir -p '%s/content/2020' && cd '%s' && git init -q && "
	    "printf -- '---\\ntitle: A\\n---\\none\\ntwo\\n' > content/2020/a.md && "
	    "printf -- '---\\ntitle: B\\n---\\none\\r\\ntwo\\r\\n' > content/2020/b.md && "
	    "git add -A && git -c user.name=x -c user.email=x@x commit -qm one && "
	    "printf 'three four\\n' >> content/2020/a.md && printf 'three\\r\\n' >> content/2020/b.md && "
	    "git -c user.name=x -c user.email=x@x commit -qam two && "
	    "touch -d '2020-01-01 12:00' content/2020/a.md content/2020/b.md", dir, dir) == 0);
	CHECK(edit_added(content_dir, "2020/a.md") == 1 && edit_added(content_dir, "2020/b.md") == 1);
	CHECK(lie_in_index(dir, "content/2020/a.md", "HEAD~1") == 0);
	CHECK(lie_in_index(dir, "content/2020/b.md", "HEAD~1") == 0);
	CHECK(edit_added(content_dir, "2020/a.md") == 0);	/* believed */
	CHECK(edit_added(content_dir, "2020/b.md") == 1);	/* a CR: hashed */
	CHECK(sh("touch '%s/.gitattributes'", content_dir) == 0);
	CHECK(edit_added(content_dir, "2020/a.md") == 1);
	CHECK(sh("rm '%s/.gitattributes' && touch -d '2019-01-01' '%s/.git/index'", content_dir, dir) == 0);
	CHECK(edit_added(content_dir, "2020/a.md") == 1);	/* racy */

	/*
	 * The bytes changed in place, the size and mtime kept: only the
	 * ctime moved, and the file is hashed (then read from the repository).
	 */
	CHECK(sh("cd '%s' && git reset -q --hard && touch -d '2020-01-01 12:00' content/2020/a.md && "
	    "git update-index -q --refresh && printf '\\n' | "
	    "dd of=content/2020/a.md bs=1 seek=$(($(wc -c < content/2020/a.md) - 6)) conv=notrunc "
	    "2>/dev/null && touch -d '2020-01-01 12:00' content/2020/a.md && "
	    "tail -2 content/2020/a.md | head -1 | grep -qx three", dir) == 0);
	CHECK(edit_added(content_dir, "2020/a.md") == 1);

	/*
	 * In the second the index was written, but before it, to the
	 * nanosecond (libgit2's rule): believed. A checkout writes most files
	 * in the index's second.
	 */
	CHECK(sh("cd '%s' && git show HEAD:content/2020/a.md > content/2020/a.md && "
	    "touch -d '2020-01-01 12:00:00.25' content/2020/a.md", dir) == 0);
	CHECK(lie_in_index(dir, "content/2020/a.md", "HEAD~1") == 0);
	CHECK(sh("touch -d '2020-01-01 12:00:00.25' '%s/.git/index'", dir) == 0);
	CHECK(edit_added(content_dir, "2020/a.md") == 1);	/* racy: hashed */
	CHECK(sh("touch -d '2020-01-01 12:00:00.75' '%s/.git/index'", dir) == 0);
	CHECK(edit_added(content_dir, "2020/a.md") == 0);	/* believed */

	/*
	 * Where git's stat rule does not believe the index either: an entry of
	 * size 0 whose blob is not the empty one (git's mark for a racily clean
	 * entry it smudged, ce_match_stat_basic()), and an entry written in the
	 * second of the index after 2038, when both times are kept to 32 bits
	 * (git compares them unsigned, is_racy_stat()), and the nanoseconds
	 * are compared too.
	 */
	CHECK(sh("cd '%s' && git reset -q --hard && : > content/2020/a.md && "
	    "touch -d '2020-01-01 12:00' content/2020/a.md", dir) == 0);
	CHECK(lie_in_index(dir, "content/2020/a.md", "HEAD~1") == 0);
	CHECK(edit_added(content_dir, "2020/a.md") == 1);	/* smudged: hashed */
	CHECK(sh("cd '%s' && git reset -q --hard", dir) == 0);
	if (sh("touch -d '2040-06-01 12:00:00' '%s/2020/a.md' 2>/dev/null && "
	    "test \"$(stat -c %%Y '%s/2020/a.md')\" -gt 2147483647", content_dir, content_dir) != 0)
		return;		/* (a file system that cannot keep such a time) */
	CHECK(lie_in_index(dir, "content/2020/a.md", "HEAD~1") == 0);
	CHECK(sh("touch -d '2040-06-01 12:00:00' '%s/.git/index'", dir) == 0);
	CHECK(edit_added(content_dir, "2020/a.md") == 1);	/* racy: hashed */
	CHECK(sh("touch -d '2040-06-01 12:00:00.5' '%s/.git/index'", dir) == 0);
	CHECK(edit_added(content_dir, "2020/a.md") == 0);	/* believed */
	CHECK(sh("touch -d '2040-06-01 11:59:59.9' '%s/.git/index'", dir) == 0);
	CHECK(edit_added(content_dir, "2020/a.md") == 1);	/* racy: hashed */

}

/*
 * A file that is not an article renamed to one is found by rename
 * detection, as libgit2's diff always did: the tree walk gives such a
 * commit up instead of calling it a new article with every line added.
 */
static void
test_rename_to_article(void)
{
	struct arena			*ar = arena_new();
	struct history_opts		 o = { .quiet = 1 };
	struct history			*h;
	const struct file_history	*fh;
	char				 dir[400];

	snprintf(dir, sizeof(dir), "%s/ren", tmp);
	CHECK(sh("mkdir -p '%s/content/2020' && cd '%s' && git init -q && "
	    "printf -- '---\\ntitle: Notes\\ndate: 2020-01-01\\n---\\nOne.\\nTwo.\\n' > content/2020/notes.markdown && "
	    "git add -A && git -c user.name=x -c user.email=x@x commit -qm 'notes, not an article yet' && "
	    "git mv content/2020/notes.markdown content/2020/notes.md && "
	    "git -c user.name=x -c user.email=x@x commit -qm 'notes become an article'", dir, dir) == 0);
	snprintf(dir, sizeof(dir), "%s/ren/content", tmp);
	h = history_collect(ar, dir, &o);
	fh = history_find(h, "2020/notes.md");
	CHECK(fh != NULL && fh->n == 1 && fh->changes[0]->kind == CHANGE_ADDED &&
	    fh->changes[0]->added == 0 && fh->changes[0]->removed == 0);
	arena_free(ar);
}

static void
test_no_repo(void)
{
	struct arena		*ar = arena_new();
	struct history_opts	 o = { .quiet = 1 };
	struct history		*h;
	char			 dir[400];

	snprintf(dir, sizeof(dir), "%s/export/content", tmp);
	CHECK(sh("mkdir -p '%s/export' && cp -R '%s' '%s/export/'", tmp, content, tmp) == 0);
	h = history_collect(ar, dir, &o);
	CHECK(h != NULL && h->available == 0 && h->ncommits == 0);
	CHECK(history_find(h, "2019/flood.md") == NULL);
	snprintf(dir, sizeof(dir), "%s/bare.git", tmp);
	CHECK(sh("git clone -q --bare '%s' '%s' 2>/dev/null", repo, dir) == 0);
	h = history_collect(ar, dir, &o);
	CHECK(h != NULL && h->available == 0);
	arena_free(ar);
}

int
main(void)
{
	const char	*base = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";

	snprintf(tmp, sizeof(tmp), "%s/folio-history-XXXXXX", base);
	if (mkdtemp(tmp) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(repo, sizeof(repo), "%s/repo", tmp);
	snprintf(content, sizeof(content), "%s/content", repo);
	/* keep the repository discovery inside the test's folder */
	setenv("GIT_CEILING_DIRECTORIES", tmp, 1);
	unsetenv("GIT_DIR");
	unsetenv("GIT_WORK_TREE");
	if (sh("scripts/make-history-fixture '%s' >/dev/null", repo) != 0) {
		printf("scripts/make-history-fixture failed (run from the top folder)\n");
		CHECK(0);
		return check_done();
	}
	test_first_parent();
	test_all_parents();
	test_cache();
	test_worktree();
	test_worktree_cache();
	test_shallow();
	test_numstat();
	test_folders();
	test_index_stat();
	test_rename_to_article();
	test_no_repo();
	if (getenv("KEEP") == NULL)
		rm_rf(tmp);
	return check_done();
}
