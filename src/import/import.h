/* import.h: scraped blog archive pages -> content/<year>/<slug>.md */
#ifndef IMPORT_H
#define IMPORT_H

#include <stddef.h>

struct arena;

/* A "Source:" entry of a post: outlet name, link and date as found. */
struct import_source {
	const char	*name;
	const char	*url;		/* NULL when absent */
	const char	*date;		/* "YYYY-MM-DD" or NULL */
};

/* One post found on a page. Every string lives in the arena. */
struct import_post {
	const char		 *title;
	const char		 *headline;	/* NULL unless it differs from the title */
	int			  year, month, day;
	const char		**tags;
	size_t			  ntags;
	struct import_source	 *sources;
	size_t			  nsources;
	const char		**authors;
	size_t			  nauthors;
	const char		**from;		/* imported_from: page base names */
	size_t			  nfrom;
	const char		 *body;		/* Markdown, ends with one newline */
	size_t			  line;		/* line of the title on the page */
};

/* A warning about a page: "page:line: msg". */
struct import_warning {
	size_t		 line;
	const char	*msg;
};

/* What one page holds. */
struct import_result {
	const char		*page;		/* name as given */
	const char		*format;	/* "blogger-label-fr", "wordpress-archive", ... */
	const char		*label;		/* the page's label or category, or NULL */
	struct import_post	*posts;
	size_t			 nposts;
	size_t			 cap;
	struct import_warning	*warnings;
	size_t			 nwarnings;
	size_t			 wcap;
	size_t			 nskipped;	/* posts seen but not kept (cut off, undated) */
	const char		*error;		/* set when the page is not a known format */
};

/* `folio import [--out DIR] [--dry-run] [--force] PAGE...`; returns the exit status. */
int	cmd_import(int argc, char **argv);

/*
 * Split the text of one scraped page into posts without writing anything.
 * name is used for messages and imported_from (its base name). Accepts any
 * bytes (BOM, CRLF, invalid UTF-8, NULs). Everything lives in the arena.
 * Returns 0, or -1 with out->error set when the page is no known format;
 * prints nothing (the caller reports out->warnings and out->error).
 */
int	import_page_text(struct arena *, const char *name, const char *text, size_t len,
	    struct import_result *out);

#endif
