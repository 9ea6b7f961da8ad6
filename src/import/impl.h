/* impl.h: what the files of src/import/ share; nothing outside src/import/ includes it */
#ifndef IMPORT_IMPL_H
#define IMPORT_IMPL_H

#include <stddef.h>

#include "import/import.h"

struct arena;
struct buf;

/* One line of a page, trimmed of white space (NBSP and zero-width too). */
struct line {
	const char	*s;		/* NUL-terminated, in the arena */
	size_t		 len;
	size_t		 no;		/* 1-based line number on the page */
	int		 indent;	/* began with white space */
	int		 drop;		/* boilerplate, or used up (title, byline, source) */
};

struct page {
	struct arena		*ar;
	const char		*name;	/* as given, for messages */
	const char		*base;	/* base name, for imported_from */
	struct line		*lines;
	size_t			 n;
	struct import_result	*res;
	int			 french;	/* the page's interface language */
	int			 dmy;		/* numeric dates: 1 dd/mm, -1 mm/dd, 0 unknown */
};

/* page.c */
int	 page_load(struct page *, const char *text, size_t len);
void	 page_warn(struct page *, size_t line, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
void	*grow_array(struct arena *, void *old, size_t n, size_t *cap, size_t size);
int	 line_blank(const struct line *);
int	 starts_with_ci(const char *s, const char *prefix, const char **rest);
int	 is_url(const char *s);
int	 ends_sentence(const char *s, size_t len);
int	 same_text(const char *a, const char *b);
const char *strip_bullet(const char *s);

/* dates.c */
enum date_form { DATE_NONE, DATE_NUMERIC, DATE_MDY, DATE_DMY, DATE_ISO };
struct date_match {
	enum date_form	 form;
	int		 weekday;	/* a weekday name came first */
	int		 french;	/* French month or weekday name */
	int		 upper;		/* month name in capitals */
	int		 y, m, d;	/* for DATE_NUMERIC: as read dd/mm, see date_numeric() */
	int		 a, b;		/* DATE_NUMERIC: first and second number */
	size_t		 start, end;	/* byte span in the string */
};
int	 date_line(const char *s, struct date_match *);
int	 date_find(const char *s, struct date_match *);
int	 date_numeric(const struct date_match *, int dmy, int *y, int *m, int *d);
int	 date_valid(int y, int m, int d);
int	 date_in_url(const char *s, int *y, int *m, int *d);
int	 same_date_style(const struct date_match *, const struct date_match *);

/* detect.c */
int	 boiler_line(const char *s);
void	 mark_boilerplate(struct page *);
#define HEADER_FRENCH	1
#define HEADER_BLOGGER	2
const char *page_header(struct page *, const char *s, int *kind);

/* sources.c */
int	 source_label(const char *s, const char **rest);
void	 source_add(struct page *, struct import_post *, const char *entry, const char *url);
int	 byline(struct page *, struct import_post *, const char *s);
int	 outlet_like(const char *s);

/* posts.c */
int	 split_dated(struct page *, size_t first, const struct date_match *style);
int	 split_undated(struct page *, size_t first);
void	 settle_dmy(struct page *, size_t *hdr, struct date_match *hd, size_t nh);

/* body.c */
const char *body_markdown(struct page *, size_t from, size_t to);
void	 md_escape_line(struct buf *, const char *s);

/* writer.c */
enum art_status { ART_NEW, ART_UPDATED, ART_UNCHANGED, ART_SKIPPED };
struct run;
struct run	*run_new(struct arena *, const char *out, int dry_run, int force);
int		 run_load_manifest(struct run *);
size_t		 run_add(struct run *, const struct import_post *);
int		 run_write(struct run *);
enum art_status	 run_status(const struct run *, size_t, const char **rel, const char **why);

#endif
