/* new.c: `folio new "Title"`: content/<year>/<slug>.md with its front matter filled */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "folio.h"
#include "content/content.h"
#include "tools/tools.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/fsutil.h"
#include "util/text.h"

#define NEW_SLUG_MAX	80
#define NEW_MAX_LIST	64

static const char new_usage[] =
"usage: folio new \"Title\" [options]\n"
"\n"
"  -t, --tag T          add a tag (repeat for more)\n"
"  -s, --source NAME    add a source outlet (repeat for more)\n"
"  -u, --url U          the url of the last --source\n"
"  -d, --date Y-M-D     the publication date (default: today)\n"
"  -C, --site DIR       the site folder (default: the current folder)\n"
"  -h, --help           this help\n"
"\n"
"Writes <content>/<year>/<slug>.md and prints its path; never overwrites.\n";

/* Today's local date as "YYYY-MM-DD". */
static void
today(char out[32], int *year)
{
	time_t		t = time(NULL);
	struct tm	tm;

	localtime_r(&t, &tm);
	snprintf(out, 32, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	*year = tm.tm_year + 1900;
}

/* Create path with O_EXCL so an existing article is never replaced. */
static int
write_new(const char *path, const char *data, size_t len)
{
	int	fd;
	ssize_t	w;
	size_t	off = 0;

	if (mkdir_parents(path) == -1)
		return -1;
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)) == -1) {
		if (errno == EEXIST)
			return diag(path, 0, "already exists; not overwritten (pick another title)");
		return diag(path, 0, "cannot create: %s", strerror(errno));
	}
	while (off < len) {
		if ((w = write(fd, data + off, len - off)) == -1) {
			if (errno == EINTR)
				continue;
			diag(path, 0, "cannot write: %s", strerror(errno));
			close(fd);
			unlink(path);
			return -1;
		}
		off += (size_t)w;
	}
	if (close(fd) == -1)
		return diag(path, 0, "cannot write: %s", strerror(errno));
	return 0;
}

int
cmd_new(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "tag", required_argument, NULL, 't' },
		{ "source", required_argument, NULL, 's' },
		{ "url", required_argument, NULL, 'u' },
		{ "date", required_argument, NULL, 'd' },
		{ "site", required_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct arena	*ar = arena_new();
	struct article	 a;
	struct config	*cfg;
	struct buf	 fm;
	const char	*site_dir = ".", *date = NULL;
	char		 day[32], *cfgpath = NULL, *content = NULL, *slug = NULL, *path = NULL;
	char		*ydir = NULL;
	int		 ch, year, rc = 1;
	time_t		 t;

	memset(&a, 0, sizeof(a));
	buf_init(&fm);
	a.tags = arena_array(ar, NEW_MAX_LIST, sizeof(*a.tags));
	a.sources = arena_array(ar, NEW_MAX_LIST, sizeof(*a.sources));
	optind = 1;
	while ((ch = getopt_long(argc, argv, "t:s:u:d:C:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 't':
			if (a.ntags == NEW_MAX_LIST) {
				diag(NULL, 0, "at most %d tags", NEW_MAX_LIST);
				goto out;
			}
			a.tags[a.ntags++] = optarg;
			break;
		case 's':
			if (a.nsources == NEW_MAX_LIST) {
				diag(NULL, 0, "at most %d sources", NEW_MAX_LIST);
				goto out;
			}
			a.sources[a.nsources++].name = optarg;
			break;
		case 'u':
			if (a.nsources == 0 || a.sources[a.nsources - 1].url != NULL) {
				diag(NULL, 0, "--url '%s' needs a --source NAME before it", optarg);
				rc = 2;
				goto out;
			}
			a.sources[a.nsources - 1].url = optarg;
			break;
		case 'd': date = optarg; break;
		case 'C': site_dir = optarg; break;
		case 'h': fputs(new_usage, stdout); rc = 0; goto out;
		default: fputs(new_usage, stderr); rc = 2; goto out;
		}
	}
	if (optind + 1 != argc) {
		fputs(new_usage, stderr);
		rc = 2;
		goto out;
	}
	a.title = argv[optind];
	if (date == NULL) {
		today(day, &year);
		date = day;
	}
	if (date_parse_iso(date, &t, &a.year, &a.month, &a.day) == -1) {
		diag(NULL, 0, "date '%s' is not a real date (YYYY-MM-DD)", date);
		goto out;
	}
	a.date_str = date;
	slug = slugify(a.title, NEW_SLUG_MAX);
	if (*slug == '\0') {
		diag(NULL, 0, "title '%s' gives an empty file name; use letters or digits", a.title);
		goto out;
	}
	cfgpath = path_join(site_dir, "folio.yaml");
	if ((cfg = config_load(ar, cfgpath)) == NULL)
		goto out;
	content = cfg->content_dir[0] == '/' ? xstrdup(cfg->content_dir) :
	    path_join(site_dir, cfg->content_dir);
	ydir = arena_printf(ar, "%04d", a.year);
	{
		char	*dir = path_join(content, ydir), *file = arena_printf(ar, "%s.md", slug);
		path = path_join(dir, file);
		free(dir);
	}
	a.path = path;
	if (frontmatter_emit(&fm, &a) == -1)
		goto out;
	buf_puts(&fm, "\n");
	if (write_new(path, fm.data, fm.len) == -1)
		goto out;
	printf("%s\n", path);
	rc = 0;
out:
	buf_free(&fm);
	free(cfgpath);
	free(content);
	free(slug);
	free(path);
	arena_free(ar);
	return rc;
}
