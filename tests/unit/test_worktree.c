/*
 * test_worktree.c: the work tree's uncommitted articles, kept between
 * passes and brought up to date file by file. Every answer the history
 * pass gives from its cache is compared with the one git gives afresh.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "folio.h"
#include "buildstamp.h"
#include "content/content.h"
#include "git/git.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/fsutil.h"

static char	tmp[256];	/* the test's temporary folder */
static size_t	hashed;		/* of the last pass's files asked about, those judged by hashing */
static char	repo[300];
static char	content[320];
static char	cache[320];

static const char *const initial[] = {
	"2019/a.md", "2019/b.md", "2019/c.md", "2020/d.md", "2020/e.md", "notes/f.md", NULL
};
static const char *const names[] = {	/* the ones reported */
	"2019/a.md", "2019/b.md", "2019/c.md", "2019/new.md", "2020/d.md", "2020/e.md", "2020/lf.md", "2021/x.md",
	"notes/f.md", "w/a\nb.md", "w/crlf.md", "w/dir.md", "w/dir.md/in.md", "w/nested/n.md",
	"w/sp ace \xe9.md", "w/sub/s.md", NULL
};

/*
 * One history pass as a build makes it: the scan's files and their prints.
 * With a far "since" no file is too recent to be judged by its stat; with
 * since now, the ones just written are. Returns the uncommitted articles
 * ("2019/a.md 2020/d.md "), heap; *asked: how many files git was asked about.
 */
static char *
uncommitted(const char *cachedir, time_t since, size_t *asked)
{
	struct arena			*ar = arena_new();
	struct history_opts		 o = { .quiet = 1 };
	const struct file_history	*fh;
	struct history			*h;
	struct file_stat		*stats;
	struct buf			 b;
	char				**files;
	uint64_t			 rules, *prints;
	size_t				 n, i;
	int				 racy = 0;

	if (content_scan(content, &files, &stats, &n, &rules) == -1)
		return xstrdup("scan failed");
	prints = xcalloc(n ? n : 1, sizeof(*prints));
	o.worktree_print = buildstamp_files(rules, files, stats, n, strlen(content) + 1, since, &racy, prints);
	if (racy)
		o.worktree_print = 0;
	o.cache_dir = cachedir;
	o.wt_files = files;
	o.wt_prints = prints;
	o.wt_nfiles = n;
	o.wt_prefix_len = strlen(content) + 1;
	o.wt_rules = rules;
	h = history_collect(ar, content, &o);
	buf_init(&b);
	for (i = 0; names[i] != NULL; i++)
		if ((fh = history_find(h, names[i])) != NULL && fh->uncommitted)
			buf_printf(&b, "%s ", names[i]);
	if (asked != NULL) {
		*asked = h->worktree_asked;
		hashed = h->worktree_hashed;
	}
	content_scan_free(files, n);
	free(stats);
	free(prints);
	arena_free(ar);
	return buf_release(&b);
}

/* The kept answer, brought up to date, is git's answer; *asked as above. */
static int
same_as_git(time_t since, size_t *asked, const char *want)
{
	char	*kept = uncommitted(cache, since, asked), *fresh = uncommitted(NULL, since, NULL);
	int	 ok = strcmp(kept, fresh) == 0 && strcmp(kept, want) == 0;

	if (!ok)
		printf("  kept: '%s', git: '%s', want: '%s'\n", kept, fresh, want);
	free(kept);
	free(fresh);
	return ok;
}

static void
make_repo(void)
{
	size_t	i;

	snprintf(repo, sizeof(repo), "%s/repo", tmp);
	snprintf(content, sizeof(content), "%s/content", repo);
	snprintf(cache, sizeof(cache), "%s/cache", tmp);
	CHECK(sh("git init -q '%s' && mkdir -p '%s/2019' '%s/2020' '%s/notes'", repo, content, content,
	    content) == 0);
	for (i = 0; initial[i] != NULL; i++)
		CHECK(sh("printf -- '---\\ntitle: T%zu\\ndate: 2020-01-01\\n---\\nBody %zu.\\n' > '%s/%s'",
		    i, i, content, initial[i]) == 0);
	CHECK(sh("cd '%s' && git add . && git -c user.name=T -c user.email=t@example.org "
	    "commit -qm 'Six articles'", repo) == 0);
}

static void
test_file_by_file(void)
{
	time_t	later = time(NULL) + 60;	/* every file's stat can be trusted */
	size_t	asked;

	CHECK(same_as_git(later, &asked, ""));
	CHECK(asked == WORKTREE_ALL);		/* no cache yet */
	CHECK(same_as_git(later, &asked, ""));
	CHECK(asked == 0);			/* kept whole */
	/* an edit: only that file is asked about, and hashed against the index's blob, not git's status */
	CHECK(sh("echo 'More.' >> '%s/2019/a.md'", content) == 0);
	CHECK(same_as_git(later, &asked, "2019/a.md "));
	CHECK(asked == 1);
	CHECK(hashed == 1);
	CHECK(same_as_git(later, &asked, "2019/a.md "));
	CHECK(asked == 0);
	/* a second edit; the first stays in the answer without being asked about */
	CHECK(sh("echo 'More.' >> '%s/2020/d.md'", content) == 0);
	CHECK(same_as_git(later, &asked, "2019/a.md 2020/d.md "));
	CHECK(asked == 1);
	/* an edit undone (without git, which would rewrite the index): the committed text again */
	CHECK(sh("cd '%s' && git show HEAD:content/2019/a.md > content/2019/a.md", repo) == 0);
	CHECK(same_as_git(later, &asked, "2020/d.md "));
	CHECK(asked == 1);
	/* a new, untracked article; one in a folder of its own */
	CHECK(sh("cp '%s/2019/b.md' '%s/2019/new.md' && mkdir -p '%s/2021' && cp '%s/2019/b.md' '%s/2021/x.md'",
	    content, content, content, content, content) == 0);
	CHECK(same_as_git(later, &asked, "2019/new.md 2020/d.md 2021/x.md "));
	CHECK(asked == 2);
	CHECK(hashed == 0);		/* not in the index: git's status says if it is ignored */
	CHECK(sh("rm -r '%s/2019/new.md' '%s/2021'", content, content) == 0);
	CHECK(same_as_git(later, &asked, "2020/d.md "));
	CHECK(asked == 2);
	/* a deleted article has no page to mark; its line goes */
	CHECK(sh("rm '%s/2020/d.md'", content) == 0);
	CHECK(same_as_git(later, &asked, ""));
	CHECK(asked == 1);
	CHECK(sh("cd '%s' && git show HEAD:content/2020/d.md > content/2020/d.md", repo) == 0);
	CHECK(same_as_git(later, &asked, ""));
	CHECK(asked == 1);
	/* git rewrote the index (a checkout refreshes it): asked about everything */
	CHECK(sh("echo 'More.' >> '%s/2019/a.md' && cd '%s' && git checkout -q -- content/2019/a.md",
	    content, repo) == 0);
	CHECK(same_as_git(later, &asked, ""));
	CHECK(asked == WORKTREE_ALL);
	/* a staged edit replaces the index: git is asked about everything again */
	CHECK(sh("cd '%s' && echo 'Staged.' >> content/2019/c.md && git add content/2019/c.md", repo) == 0);
	CHECK(same_as_git(later, &asked, "2019/c.md "));
	CHECK(asked == WORKTREE_ALL);
	/* staged and touched: the work tree is the index, so only the kept staged list tells */
	CHECK(sh("touch -d '-5 seconds' '%s/2019/c.md'", content) == 0);
	CHECK(same_as_git(later, &asked, "2019/c.md "));
	CHECK(asked == 1);
	/* staged, then undone in the work tree alone: still not HEAD's */
	CHECK(sh("cd '%s' && git show HEAD:content/2019/c.md > content/2019/c.md", repo) == 0);
	CHECK(same_as_git(later, &asked, "2019/c.md "));
	CHECK(asked == 1);
	/* a file just written is asked about at every pass until its stat can be trusted */
	CHECK(sh("echo 'Now.' >> '%s/2020/e.md'", content) == 0);
	CHECK(same_as_git(time(NULL), &asked, "2019/c.md 2020/e.md "));
	CHECK(asked >= 1 && asked != WORKTREE_ALL);
	CHECK(same_as_git(time(NULL), &asked, "2019/c.md 2020/e.md "));
	CHECK(asked >= 1 && asked != WORKTREE_ALL);
	/* the content folder's own .gitignore is in the key: a new one asks git about everything */
	CHECK(sh("echo 'notes/' > '%s/.gitignore' && echo 'More.' >> '%s/notes/f.md'", content, content) == 0);
	CHECK(same_as_git(later, &asked, "2019/c.md 2020/e.md notes/f.md "));	/* tracked: still seen */
	CHECK(asked == WORKTREE_ALL);
	CHECK(sh("cd '%s' && rm content/.gitignore && git checkout -q -- content/notes/f.md", repo) == 0);
}

/* More files moved than are worth asking about one by one: the whole work tree. */
static void
test_many_moved(void)
{
	time_t	later = time(NULL) + 60;
	size_t	asked;

	CHECK(sh("cd '%s' && git reset -q --hard && git clean -qfd content", repo) == 0);
	CHECK(same_as_git(later, &asked, ""));
	CHECK(sh("cd '%s/2019' && for i in $(seq 1 300); do cp b.md many-$i.md; done", content) == 0);
	CHECK(sh("echo 'More.' >> '%s/2019/b.md'", content) == 0);
	CHECK(same_as_git(later, &asked, "2019/b.md "));
	CHECK(asked == WORKTREE_ALL);
	CHECK(same_as_git(later, &asked, "2019/b.md "));
	CHECK(asked == 0);
}

/* A damaged cache is not trusted, file by file or whole. */
static void
test_damaged(void)
{
	time_t	later = time(NULL) + 60;
	size_t	asked;
	char	kept[400];

	snprintf(kept, sizeof(kept), "%s/worktree", cache);
	CHECK(same_as_git(later, &asked, "2019/b.md "));
	CHECK(asked == 0);
	/* one byte of a print changed: the seal no longer matches */
	CHECK(sh("grep -q '^f 0' '%s' && sed -i '0,/^f 0/s/^f 0/f 1/' '%s'", kept, kept) == 0 ||
	    sh("sed -i '0,/^f [1-9a-f]/s/^f [1-9a-f]/f 0/' '%s'", kept) == 0);
	CHECK(same_as_git(later, &asked, "2019/b.md "));
	CHECK(asked == WORKTREE_ALL);
	CHECK(sh("head -c 100 '%s' > '%s.cut' && mv '%s.cut' '%s'", kept, kept, kept, kept) == 0);
	CHECK(sh("echo 'More.' >> '%s/2019/c.md'", content) == 0);
	CHECK(same_as_git(later, &asked, "2019/b.md 2019/c.md "));
	CHECK(asked == WORKTREE_ALL);
}

/*
 * What git calls changed also hangs on files outside the work tree that
 * only the config names: core.attributesFile, an include.path. A file
 * touched since the index was written is hashed by git at every status,
 * so a new rule changes git's answer about it without its stat moving.
 */
static void
test_rules_elsewhere(void)
{
	time_t	later = time(NULL) + 60;
	size_t	asked;

	CHECK(sh("cd '%s' && git reset -q --hard && git clean -qfd content && mkdir -p content/w && "
	    "printf -- '---\\ntitle: C\\n---\\none\\r\\ntwo\\r\\n' > content/w/crlf.md && "
	    "printf 'x\\n' > content/w/dir.md && git add content/w && "
	    "git -c user.name=T -c user.email=t@example.org commit -qm w && "
	    "git config core.attributesFile '%s/attributes' && touch -d '-10 seconds' content/w/crlf.md",
	    repo, tmp) == 0);
	CHECK(same_as_git(later, &asked, ""));
	/* the blob holds CRs; "text" takes them out of what the work tree would give */
	CHECK(sh("printf '*.md text\\n' > '%s/attributes'", tmp) == 0);
	CHECK(same_as_git(later, &asked, "w/crlf.md "));
	CHECK(sh("rm '%s/attributes' && cd '%s' && git config --unset core.attributesFile && "
	    "git reset -q --hard", tmp, repo) == 0);
	CHECK(same_as_git(later, &asked, ""));
	/* a value set in an included file: the mode bit of a file made executable counts, or not */
	CHECK(sh("cd '%s' && printf '[core]\\n\\tfilemode = true\\n' > '%s/included' && "
	    "git config --unset core.filemode; git config include.path '%s/included' && "
	    "chmod +x content/w/dir.md && touch -d '-10 seconds' content/w/dir.md", repo, tmp, tmp) == 0);
	CHECK(same_as_git(later, &asked, "w/dir.md "));
	CHECK(sh("printf '[core]\\n\\tfilemode = false\\n' > '%s/included'", tmp) == 0);
	CHECK(same_as_git(later, &asked, ""));
	CHECK(sh("cd '%s' && git config --unset include.path && git config core.filemode true && "
	    "chmod -x content/w/dir.md && git reset -q --hard", repo) == 0);
	CHECK(same_as_git(later, &asked, ""));
}

/*
 * Index entries whose blob is not all git goes by: a moved file of theirs
 * is left to git's status, whose answer the kept one must still be. A
 * file whose bytes the attributes' filters change is hashed as git would.
 */
static void
test_index_flags(void)
{
	time_t	later = time(NULL) + 60;
	size_t	asked;

	CHECK(sh("cd '%s' && git reset -q --hard && git clean -qfd content", repo) == 0);
	CHECK(same_as_git(later, &asked, ""));
	/* assume-unchanged: git does not look at the file, so it is not changed for git */
	CHECK(sh("cd '%s' && git update-index --assume-unchanged content/2019/a.md && "
	    "echo 'Hidden.' >> content/2019/a.md", repo) == 0);
	CHECK(same_as_git(later, &asked, ""));
	CHECK(asked == WORKTREE_ALL);	/* the index was written */
	CHECK(sh("echo 'Hidden again.' >> '%s/2019/a.md'", content) == 0);
	CHECK(same_as_git(later, &asked, ""));
	CHECK(asked == 1 && hashed == 0);
	CHECK(sh("cd '%s' && git update-index --no-assume-unchanged content/2019/a.md && "
	    "git checkout -q -- content/2019/a.md", repo) == 0);
	CHECK(same_as_git(later, &asked, ""));
	/* skip-worktree: the same */
	CHECK(sh("cd '%s' && git update-index --skip-worktree content/2019/b.md && "
	    "echo 'Skipped.' >> content/2019/b.md", repo) == 0);
	CHECK(same_as_git(later, &asked, ""));
	CHECK(sh("echo 'Skipped again.' >> '%s/2019/b.md'", content) == 0);
	CHECK(same_as_git(later, &asked, ""));
	CHECK(asked == 1 && hashed == 0);
	CHECK(sh("cd '%s' && git update-index --no-skip-worktree content/2019/b.md && "
	    "git checkout -q -- content/2019/b.md", repo) == 0);
	CHECK(same_as_git(later, &asked, ""));
	/* intent to add: in the index without a blob of its own */
	CHECK(sh("cd '%s' && cp content/2019/c.md content/2019/new.md && git add -N content/2019/new.md",
	    repo) == 0);
	CHECK(same_as_git(later, &asked, "2019/new.md "));
	CHECK(sh("echo 'Later.' >> '%s/2019/new.md'", content) == 0);
	CHECK(same_as_git(later, &asked, "2019/new.md "));
	CHECK(asked == 1 && hashed == 0);
	CHECK(sh("cd '%s' && git rm -q --cached content/2019/new.md && rm content/2019/new.md", repo) == 0);
	CHECK(same_as_git(later, &asked, ""));
	/* a file git keeps with LF and the work tree with CRLF: the "text" filter makes them one blob */
	CHECK(sh("cd '%s' && printf '*.md text eol=crlf\\n' > .gitattributes && "
	    "printf -- '---\\ntitle: L\\n---\\none\\ntwo\\n' > content/2020/lf.md && git add . && "
	    "git -c user.name=T -c user.email=t@example.org commit -qm lf && rm content/2020/lf.md && "
	    "git checkout -q -- content/2020/lf.md && tr -dc '\\r' < content/2020/lf.md | grep -q .", repo) == 0);
	CHECK(same_as_git(later, &asked, ""));
	/* (attributes in the index: git's status decides, the bytes are not the blob) */
	CHECK(sh("touch -d '-5 seconds' '%s/2020/lf.md'", content) == 0);	/* moved, same bytes */
	CHECK(same_as_git(later, &asked, ""));
	CHECK(asked == 1 && hashed == 0);
	CHECK(sh("printf 'three\\r\\n' >> '%s/2020/lf.md'", content) == 0);
	CHECK(same_as_git(later, &asked, "2020/lf.md "));
	CHECK(asked == 1 && hashed == 0);
	CHECK(sh("cd '%s' && git checkout -q -- content/2020/lf.md && git rm -q .gitattributes && "
	    "git -c user.name=T -c user.email=t@example.org commit -qm 'no attributes' && git reset -q --hard",
	    repo) == 0);
	CHECK(same_as_git(later, &asked, ""));
	/* made executable: a change for git where core.filemode is on, the blob being the same */
	CHECK(sh("cd '%s' && git config core.filemode true", repo) == 0);
	CHECK(same_as_git(later, &asked, ""));
	CHECK(sh("chmod +x '%s/2020/e.md'", content) == 0);
	CHECK(same_as_git(later, &asked, "2020/e.md "));
	CHECK(asked == 1 && hashed == 1);
	CHECK(sh("chmod -x '%s/2020/e.md'", content) == 0);
	CHECK(same_as_git(later, &asked, ""));
	CHECK(asked == 1 && hashed == 1);
	/* a .gitattributes of the work tree alone, in the file's folder: its filters may apply, git decides */
	CHECK(sh("printf '*.md text\\n' > '%s/2020/.gitattributes'", content) == 0);
	CHECK(same_as_git(later, &asked, ""));
	CHECK(sh("sed -i 's/$/\\r/' '%s/2020/e.md' && touch -d '-5 seconds' '%s/2020/e.md'", content, content) == 0);
	CHECK(same_as_git(later, &asked, "2020/e.md "));
	CHECK(asked == 1 && hashed == 0);
	CHECK(sh("rm '%s/2020/.gitattributes' && cd '%s' && git checkout -q -- content/2020/e.md", content, repo) == 0);
	CHECK(same_as_git(later, &asked, ""));
	/* core.autocrlf converts without any attribute */
	CHECK(sh("cd '%s' && git config core.autocrlf true", repo) == 0);
	CHECK(same_as_git(later, &asked, ""));
	CHECK(sh("printf 'More.\\r\\n' >> '%s/2020/d.md'", content) == 0);
	CHECK(same_as_git(later, &asked, "2020/d.md "));
	CHECK(asked == 1 && hashed == 0);
	CHECK(sh("cd '%s' && git config --unset core.autocrlf && git checkout -q -- content/2020/d.md", repo) == 0);
	CHECK(same_as_git(later, &asked, ""));
}

/* Files that become folders, names with spaces, bytes that are not UTF-8, or a newline. */
static void
test_odd_paths(void)
{
	time_t	later = time(NULL) + 60;
	size_t	asked;

	CHECK(same_as_git(later, &asked, ""));
	CHECK(sh("cd '%s/w' && rm dir.md && mkdir dir.md && printf 'y\\n' > dir.md/in.md && "
	    "touch -d '-10 seconds' dir.md/in.md", content) == 0);
	CHECK(same_as_git(later, &asked, "w/dir.md/in.md "));
	CHECK(asked == 2);
	CHECK(sh("cd '%s/w' && rm -r dir.md && git checkout -q -- dir.md", content) == 0);
	CHECK(same_as_git(later, &asked, ""));
	CHECK(sh("cd '%s/w' && f=\"$(printf 'sp ace \\351.md')\" && printf 'o\\n' > \"$f\" && "
	    "touch -d '-10 seconds' \"$f\"", content) == 0);
	CHECK(same_as_git(later, &asked, "w/sp ace \xe9.md "));
	CHECK(asked == 1);
	CHECK(same_as_git(later, &asked, "w/sp ace \xe9.md "));
	CHECK(asked == 0);
	CHECK(sh("cd '%s/w' && rm \"$(printf 'sp ace \\351.md')\"", content) == 0);
	CHECK(same_as_git(later, &asked, ""));
	/* an untracked article, then ignored by a .gitignore of its own folder */
	CHECK(sh("cd '%s/w' && mkdir sub && printf 's\\n' > sub/s.md && touch -d '-10 seconds' sub/s.md",
	    content) == 0);
	CHECK(same_as_git(later, &asked, "w/sub/s.md "));
	CHECK(sh("printf 's.md\\n' > '%s/w/sub/.gitignore'", content) == 0);
	CHECK(same_as_git(later, &asked, ""));
	CHECK(sh("rm -r '%s/w/sub'", content) == 0);
	/* a repository of its own inside the content folder: git does not look in */
	CHECK(sh("cd '%s/w' && mkdir nested && git -C nested init -q && printf 'n\\n' > nested/n.md && "
	    "touch -d '-10 seconds' nested/n.md", content) == 0);
	CHECK(same_as_git(later, &asked, ""));
	CHECK(sh("printf 'n\\n' >> '%s/w/nested/n.md' && touch -d '-8 seconds' '%s/w/nested/n.md'",
	    content, content) == 0);
	CHECK(same_as_git(later, &asked, ""));
	CHECK(asked == 1);
	CHECK(sh("rm -rf '%s/w/nested'", content) == 0);
	/*
	 * A staged article named with a newline, gone from the work tree, then
	 * back with the index's bytes: only the staged list says it is not
	 * HEAD's, and a list without it would lose it.
	 */
	CHECK(sh("cd '%s' && f=\"$(printf 'content/w/a\\nb.md')\" && printf 'X\\n' > \"$f\" && "
	    "git add \"$f\" && git -c user.name=T -c user.email=t@example.org commit -qm nl && "
	    "printf 'Y\\n' > \"$f\" && git add \"$f\" && rm \"$f\"", repo) == 0);
	CHECK(same_as_git(later, &asked, ""));
	CHECK(sh("cd '%s' && f=\"$(printf 'content/w/a\\nb.md')\" && git show \":$f\" > \"$f\" && "
	    "touch -d '-10 seconds' \"$f\"", repo) == 0);
	CHECK(same_as_git(later, &asked, "w/a\nb.md "));
	CHECK(same_as_git(later, &asked, "w/a\nb.md "));
}

int
main(void)
{
	const char	*t = getenv("TMPDIR");

	snprintf(tmp, sizeof(tmp), "%s/folio-worktree-XXXXXX", t && *t ? t : "/tmp");
	if (mkdtemp(tmp) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	setenv("HOME", tmp, 1);
	make_repo();
	test_file_by_file();
	test_many_moved();
	test_damaged();
	test_rules_elsewhere();
	test_index_flags();
	test_odd_paths();
	if (getenv("KEEP") == NULL)
		rm_rf(tmp);
	return check_done();
}
