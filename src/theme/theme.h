/* theme.h: Lua themes. The only includer of Lua. */
#ifndef THEME_H
#define THEME_H

#include <stddef.h>

struct arena;
struct article;
struct buf;
struct config;
struct period;
struct site;
struct term;
struct assets;

/* What a page is; built by the build, read by the theme. */
enum page_kind {
	PAGE_ARTICLE, PAGE_HOME, PAGE_TAG, PAGE_TAGS, PAGE_SOURCE, PAGE_SOURCES,
	PAGE_YEAR, PAGE_MONTH, PAGE_ARCHIVE, PAGE_CHANGES, PAGE_404, PAGE_NKINDS
};

struct page {
	enum page_kind		  kind;
	const char		 *title;
	const char		 *path;		/* site path: "/tags/x/page/2/" */
	const char		 *base;		/* the list's first page: "/tags/x/" */
	struct article		**items;	/* this page's slice */
	size_t			  nitems;
	size_t			  first;	/* index of items[0] in the whole list */
	size_t			  number;	/* 1-based */
	size_t			  total;	/* pages in the list */
	size_t			  count;	/* items in the whole list */
	const struct term	 *term;		/* PAGE_TAG, PAGE_SOURCE */
	const struct period	 *period;	/* PAGE_YEAR, PAGE_MONTH */
	struct article		 *article;	/* PAGE_ARTICLE */
	const char		 *body_html;	/* PAGE_ARTICLE */
	const struct commit	 *commits;	/* PAGE_CHANGES: this page's slice */
	size_t			  ncommits;
};

struct memo_store;

/* What the themes of one build share. */
struct theme_paths {
	const char	*site_dir;	/* the site's folder: layouts/, static/, site.lua */
	const char	*theme_dir;	/* themes/<name> */
	const struct assets *assets;	/* static files and their fingerprinted names, or NULL */
	struct memo_store *memo;	/* folio.cached()'s fragments, or NULL: the theme keeps its own */
};

struct theme;

/*
 * folio.cached()'s fragments, for the themes of one build's workers: each
 * fragment is made once, whichever worker asks first (memo.c). Thread-safe;
 * freed after the last theme using it is closed.
 */
struct memo_store *memo_store_new(void);
void		 memo_store_free(struct memo_store *);

extern const char *const page_kind_names[PAGE_NKINDS];

/* Resolve the theme folder: <site>/themes/<name>, $FOLIO_THEMES/<name>, the installed share folder. Caller frees. */
char		*theme_find(const char *site_dir, const char *name);

/* A Lua state with the theme loaded, sandboxed. One per worker thread. NULL after printing why. */
struct theme	*theme_open(const struct theme_paths *, const struct site *, const struct config *,
		    int serve_mode);
void		 theme_close(struct theme *);
/*
 * The instruction limit's count hook costs a check on every VM instruction
 * (some 4% of a clean build's CPU). Lazily, a call into the theme starts
 * without it, and the count starts when theme_start_counting() is called on
 * the thread (the watchdog does, once a page has taken 0.1 s, and again every
 * 0.1 s). Coroutines count from their creation.
 */
void		 theme_count_lazily(struct theme *);
/* Async-signal-safe: start the count in the theme call running on this thread, if any. */
void		 theme_start_counting(void);
/* Render a page with the layout of its kind; appends HTML to out. */
int		 theme_render(struct theme *, const struct page *, struct buf *out);
int		 theme_has_layout(struct theme *, const char *name);
/* Which site lists (bit 1 << enum site_list) the theme read since the last call; bit 31: a file. */
unsigned	 theme_take_reads(struct theme *);

/* Hooks (theme.lua, then the site's site.lua). Each returns 0 or -1 after printing a traceback. */
int		 theme_on_article(struct theme *, struct arena *, struct article *);
/* pages(site) -> { {path = "x.json", content = "..."}, ... }: calls emit for each */
int		 theme_pages(struct theme *, int (*emit)(void *, const char *path, const char *data, size_t len),
		    void *arg);
int		 theme_on_done(struct theme *);

#endif
