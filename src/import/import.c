/* import.c: `folio import`: pages -> posts -> article files, with a report per page */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/arena.h"
#include "util/diag.h"
#include "util/fsutil.h"
#include "import/impl.h"

static const char usage[] =
"usage: folio import [--out DIR] [--dry-run] [--force] PAGE...\n"
"  split scraped blog archive pages (Blogger label and home pages, WordPress\n"
"  archive and category pages) into DIR/<year>/<slug>.md (DIR: content)\n"
"  --dry-run  write nothing; print what would be written\n"
"  --force    overwrite articles edited by hand since folio wrote them\n";

static const char *
base_name(const char *path)
{
	const char	*s = strrchr(path, '/');

	return s ? s + 1 : path;
}

static size_t
next_text(const struct page *p, size_t i)
{
	while (i < p->n && line_blank(&p->lines[i]))
		i++;
	return i;
}

/* Page headers come first: Blogger's label banner, WordPress archive titles. */
static size_t
read_headers(struct page *p, const char **label, int *kind)
{
	size_t		 i, first = 0;
	const char	*lab;
	int		 k;
	struct date_match dm;

	for (i = 0; i < p->n; i++) {
		if (line_blank(&p->lines[i]))
			continue;
		if (p->lines[i].len > 200 || date_line(p->lines[i].s, &dm))
			break;
		if ((lab = page_header(p, p->lines[i].s, &k)) == NULL)
			break;
		if (*label == NULL) {
			*label = lab;
			*kind = k;
		}
		p->lines[i].drop = 1;
		first = i + 1;
	}
	return first;
}

/*
 * The style of the page's date headers: the first line of the page when
 * it is a date; else (a page cut at the top) the first date line shaped
 * like a header (with a weekday, or numeric) that a title follows.
 */
static int
header_style(struct page *p, size_t first, struct date_match *style)
{
	size_t			i, t;
	struct date_match	dm;

	t = next_text(p, first);
	if (t < p->n && date_line(p->lines[t].s, style))
		return 1;
	for (i = t; i < p->n; i++) {
		if (line_blank(&p->lines[i]) || !date_line(p->lines[i].s, &dm))
			continue;
		if (!dm.weekday && dm.form != DATE_NUMERIC)
			continue;
		t = next_text(p, i + 1);
		if (t < p->n && !date_line(p->lines[t].s, style) && p->lines[t].len <= 250 &&
		    (i == 0 || line_blank(&p->lines[i - 1]))) {
			*style = dm;
			return 1;
		}
	}
	return 0;
}

static int
any_source_line(const struct page *p)
{
	size_t	i;

	for (i = 0; i < p->n; i++)
		if (!p->lines[i].drop && source_label(p->lines[i].s, NULL))
			return 1;
	return 0;
}

int
import_page_text(struct arena *ar, const char *name, const char *text, size_t len,
    struct import_result *out)
{
	struct page		 p;
	struct date_match	 style;
	const char		*label = NULL, **tags = NULL, **from;
	size_t			 first, i;
	int			 kind = 0, dated, french;

	memset(out, 0, sizeof(*out));
	memset(&p, 0, sizeof(p));
	out->page = arena_strdup(ar, name);
	p.ar = ar;
	p.name = out->page;
	p.base = arena_strdup(ar, base_name(name));
	p.res = out;
	page_load(&p, text, len);
	mark_boilerplate(&p);
	first = read_headers(&p, &label, &kind);
	out->label = label != NULL && label[0] != '\0' ? label : NULL;
	settle_dmy(&p, NULL, NULL, 0);		/* numbers above 12 decide for the page */
	dated = header_style(&p, first, &style);
	if (dated) {
		if (split_dated(&p, first, &style) == -1)
			dated = 0;
	}
	if (!dated && (!any_source_line(&p) || split_undated(&p, first) == -1)) {
		out->error = "no date headers and no posts ending with a 'Source:' line: "
		    "not a Blogger or WordPress archive page";
		out->nposts = 0;
		return -1;
	}
	french = (kind & HEADER_FRENCH) || (dated && style.french);
	if (!dated)
		out->format = "wordpress-category";
	else if (kind & HEADER_BLOGGER)
		out->format = french ? "blogger-label-fr" : "blogger-label-en";
	else if (out->label != NULL || !style.weekday)
		out->format = "wordpress-archive";
	else
		out->format = french ? "blogger-home-fr" : "blogger-home-en";
	if (out->nposts == 0) {
		out->error = "no whole post found on the page";
		return -1;
	}
	if (out->label != NULL) {
		tags = arena_alloc(ar, sizeof(*tags));
		tags[0] = out->label;
	}
	from = arena_alloc(ar, sizeof(*from));
	from[0] = p.base;
	for (i = 0; i < out->nposts; i++) {
		out->posts[i].tags = tags;
		out->posts[i].ntags = tags ? 1 : 0;
		out->posts[i].from = from;
		out->posts[i].nfrom = 1;
	}
	return 0;
}

struct page_run {
	const char		*path;
	struct import_result	 res;
	size_t			*arts;		/* run_add() index of each post */
	int			 ok;
};

int
cmd_import(int argc, char **argv)
{
	struct arena		*ar = arena_new();
	struct page_run		*pages;
	struct run		*run;
	const char		*out = "content", *rel, *why;
	size_t			 npages = 0, i, k, n[4];
	int			 dry = 0, force = 0, rc = 0, a;
	char			*text;
	size_t			 len;
	enum art_status		 st;

	pages = arena_array(ar, (size_t)argc + 1, sizeof(*pages));
	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], "--out") == 0 || strcmp(argv[a], "-o") == 0) {
			if (++a >= argc)
				goto usage;
			out = argv[a];
		} else if (strncmp(argv[a], "--out=", 6) == 0) {
			out = argv[a] + 6;
		} else if (strcmp(argv[a], "--dry-run") == 0 || strcmp(argv[a], "-n") == 0) {
			dry = 1;
		} else if (strcmp(argv[a], "--force") == 0 || strcmp(argv[a], "-f") == 0) {
			force = 1;
		} else if (strcmp(argv[a], "--help") == 0 || strcmp(argv[a], "-h") == 0) {
			fputs(usage, stdout);
			arena_free(ar);
			return 0;
		} else if (strcmp(argv[a], "--") == 0) {
			for (a++; a < argc; a++)
				pages[npages++].path = argv[a];
		} else if (argv[a][0] == '-' && argv[a][1] != '\0') {
			fprintf(stderr, "folio import: unknown option '%s'\n", argv[a]);
			goto usage;
		} else {
			pages[npages++].path = argv[a];
		}
	}
	if (npages == 0)
		goto usage;

	run = run_new(ar, out, dry, force);
	if (run_load_manifest(run) == -1) {
		arena_free(ar);
		return 1;
	}
	for (i = 0; i < npages; i++) {
		struct page_run *pr = &pages[i];

		if (file_read(pr->path, &text, &len) == -1) {
			rc = 1;
			continue;
		}
		if (import_page_text(ar, pr->path, text, len, &pr->res) == -1) {
			for (k = 0; k < pr->res.nwarnings; k++)
				diag_warn(pr->path, pr->res.warnings[k].line, "%s",
				    pr->res.warnings[k].msg);
			diag(pr->path, 0, "%s; nothing imported from it", pr->res.error);
			free(text);
			rc = 1;
			continue;
		}
		free(text);
		pr->ok = 1;
		pr->arts = arena_array(ar, pr->res.nposts + 1, sizeof(*pr->arts));
		for (k = 0; k < pr->res.nposts; k++)
			pr->arts[k] = run_add(run, &pr->res.posts[k]);
	}
	if (run_write(run) == -1)
		rc = 1;

	for (i = 0; i < npages; i++) {
		struct page_run *pr = &pages[i];

		if (!pr->ok)
			continue;
		memset(n, 0, sizeof(n));
		for (k = 0; k < pr->res.nposts; k++)
			n[run_status(run, pr->arts[k], &rel, &why)]++;
		fprintf(stderr, "%s: %s%s%s%s: %zu post(s): %zu new, %zu updated, %zu unchanged, "
		    "%zu skipped%s\n", pr->path, pr->res.format,
		    pr->res.label ? " '" : "", pr->res.label ? pr->res.label : "",
		    pr->res.label ? "'" : "", pr->res.nposts + pr->res.nskipped,
		    n[ART_NEW], n[ART_UPDATED], n[ART_UNCHANGED],
		    n[ART_SKIPPED] + pr->res.nskipped, dry ? " (dry run: nothing written)" : "");
		for (k = 0; k < pr->res.nwarnings; k++)
			diag_warn(pr->path, pr->res.warnings[k].line, "%s", pr->res.warnings[k].msg);
		for (k = 0; k < pr->res.nposts; k++) {
			st = run_status(run, pr->arts[k], &rel, &why);
			if (st == ART_SKIPPED)
				diag_warn(pr->path, pr->res.posts[k].line, "%s/%s %s; left alone%s",
				    out, rel, why, force ? "" : " (--force overwrites)");
		}
	}
	arena_free(ar);
	return rc;
usage:
	fputs(usage, stderr);
	arena_free(ar);
	return 2;
}
