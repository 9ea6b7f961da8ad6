/* site.h: articles -> the site model (terms, periods, urls); output writing */
#ifndef SITE_H
#define SITE_H

#include <stddef.h>
#include <stdint.h>

struct arena;
struct article;
struct config;
struct history;
struct site;
struct term;
struct period;
struct commit;
struct file_change;

/*
 * Link articles into a site: sort newest first, give each a slug and a url
 * (collisions get -2, -3 with a warning), fold tags and sources into terms
 * (aliases first, then case, spacing, punctuation and accents), group by
 * year and month, link prev/next. Returns NULL after printing why.
 */
struct site	*site_build(struct arena *, const struct config *, struct article **, size_t n);

/* The article at a path relative to the content folder, or NULL. */
struct article	*site_find(const struct site *, const char *relpath);
void		 site_free(struct site *);
/*
 * The article a change of the history is about, as it is now (following later
 * renames), or NULL when it was removed; *title is then its last title, if known.
 */
const struct article *site_change_article(const struct site *, const struct file_change *,
		    const char **title);	/* the heap parts; the rest is in the arena */

/* Number of pages of a list of n items, at least 1. */
size_t		 site_pages(const struct site *, size_t n);
/* "/tags/reuters/" page 1, "/tags/reuters/page/2/" page 2 (site paths, no base) */
char		*page_path(struct arena *, const char *base, size_t page);

/* --- output.c: staged, atomic, incremental --- */
struct output;

/*
 * Start writing a site into a staging folder beside final (e.g.
 * "public.staging-1234"), made from the spare tree of the last build when
 * there is one. manifest_path is the last build's list of path/hash/size:
 * unchanged files are hard-linked from final instead of written. Takes the
 * build lock at once and prepares the staging folder on a thread of its
 * own; output_ready() waits for it (-1 if it failed, after printing why)
 * and must be called before any other output_ function but output_close().
 * Returns NULL after printing why.
 */
struct output	*output_open(const char *final, const char *manifest_path);
int		 output_ready(struct output *);
/* Link a file unchanged since the last build (by the manifest) into staging; 0, or -1 if it cannot. */
int		 output_link(struct output *, const char *path);
/* Write one file by its site path ("tags/x/index.html"); thread-safe. */
int		 output_write(struct output *, const char *path, const void *data, size_t len);
/* Copy a whole folder (static files) into the site at prefix, skipping the files that
 * also exist under shadow (the site's own static/ overrides the theme's), if not NULL. */
int		 output_copy_tree(struct output *, const char *src, const char *prefix, const char *shadow);
/* Have fn(arg) called after a good swap, while the build lock is still held. */
void		 output_on_swap(struct output *, void (*fn)(void *), void *arg);
/* Swap staging and final in one step, save the manifest; or, with ok = 0, remove staging. */
int		 output_close(struct output *, int ok);
size_t		 output_count(const struct output *);
int		 output_from_spare(const struct output *);	/* staging began as the last spare */
size_t		 output_written(const struct output *);	/* not linked */
/* Also write a .gz copy of HTML, CSS, XML and JSON files over 1 KB (precompress: true). */
void		 output_set_precompress(struct output *, int);

/* --- feed.c --- */
struct buf;
void		 feed_articles(struct buf *, const struct site *, const char *title, const char *self,
		    const char *alternate, struct article **items, size_t n);
void		 feed_changes(struct buf *, const struct site *);
void		 sitemap_write(const struct site *, struct output *, int (*extra)(void *, struct buf *), void *);

/* --- redirect.c --- */
char		*alias_output_path(struct arena *, const char *alias, const char *base_path);
void		 redirect_page(struct buf *, const struct config *, const struct article *, const char *target);

/* --- pagecache.c: the last build's pages and summaries, for incremental builds --- */
struct pagecache;
struct pagecache *pagecache_open(const char *path, uint64_t global);
struct page_entry;
struct page_entry *pagecache_last(struct pagecache *, const char *path, uint64_t *key, unsigned *mask);
void		 pagecache_keep(struct page_entry *);
const char	*pagecache_summary(struct pagecache *, uint64_t file_hash);
void		 pagecache_record(struct pagecache *, const char *path, uint64_t key, unsigned mask);
void		 pagecache_record_summary(struct pagecache *, uint64_t file_hash, const char *summary);
void		 pagecache_seal(struct pagecache *);
int		 pagecache_close(struct pagecache *, const char *path, int ok);

/* --- pagekey.c: what a page is made of, hashed --- */
enum site_list {
	SITE_LIST_ARTICLES, SITE_LIST_TAGS, SITE_LIST_SOURCES, SITE_LIST_YEARS,
	SITE_LIST_MONTHS, SITE_LIST_CHANGES, SITE_NLISTS
};
#define SITE_USES_UNCACHEABLE	(1u << 31)	/* read files (folio.read) or anything untracked */

uint64_t	 pagekey_item(const struct article *);
uint64_t	 pagekey_article(const struct site *, const struct article *);
uint64_t	 pagekey_list(const struct site *, int kind, const char *title, const char *path,
		    const char *base, struct article **items, size_t nitems, size_t first, size_t number,
		    size_t total, size_t count, const struct term *, const struct period *,
		    const struct commit *, size_t ncommits);
/* also sets each article's item_key: call before the page workers start */
void		 pagekey_lists(const struct site *, uint64_t out[SITE_NLISTS]);
uint64_t	 pagekey_with_lists(uint64_t key, unsigned mask, const uint64_t lists[SITE_NLISTS]);

/* --- assets.c: static files, fingerprinted --- */
struct assets;
struct assets	*assets_scan(const char *site_static, const char *theme_static);
/* "style.css" -> "style.3f9a1c.css" (CSS, JS and fonts), the name itself for others, NULL if none */
const char	*assets_name(const struct assets *, const char *name);
int		 assets_write(const struct assets *, struct output *);
void		 assets_free(struct assets *);

#endif
