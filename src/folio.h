/* folio.h: the shared nouns of folio. Every field lives in the build arena. */
#ifndef FOLIO_H
#define FOLIO_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define FOLIO_VERSION	"0.1.0"

struct arena;

/* A value of a front-matter key folio does not know; passed to the theme. */
enum meta_type { META_NULL, META_STRING, META_LIST, META_MAP };
#define META_MAX_DEPTH	64	/* levels of lists and maps inside such a value, at most */
struct meta {
	enum meta_type	 type;
	const char	*key;		/* set when the value sits in a map */
	const char	*str;		/* META_STRING: the scalar as written */
	struct meta	*items;		/* META_LIST, META_MAP */
	size_t		 n;
};

struct source {
	const char	*name;		/* as written in the article */
	const char	*url;		/* NULL when absent */
	const char	*date;		/* "YYYY-MM-DD" or NULL */
	struct term	*term;		/* set by site_build */
};

/* A tag or a source outlet: folded spellings share one term and one url. */
enum term_kind { TERM_TAG, TERM_SOURCE };
struct term {
	enum term_kind	  kind;
	const char	 *name;		/* displayed name: alias target or most frequent spelling */
	const char	 *fold;		/* folded key, see fold_key() */
	const char	 *key;		/* url segment: "reuters" in /sources/reuters/ */
	const char	 *url;		/* "/sources/reuters/", set by site_build */
	const char	 *feed;		/* "/sources/reuters/atom.xml" */
	struct article	**items;	/* newest first */
	size_t		  n;
	size_t		  cap;
};

/* A year or a month with its articles. */
struct period {
	int		  year;
	int		  month;	/* 0 for a year */
	const char	 *key;		/* "2019" or "2019/03" */
	const char	 *url;		/* "/2019/03/" */
	const char	 *date;		/* its first day: "2019-03-01" */
	size_t		  index;	/* in the site's years or months, from 0 */
	struct period	**months;	/* a year's months, in the site's order (newest first) */
	size_t		  nmonths;
	struct article	**items;	/* newest first */
	size_t		  n;
	size_t		  cap;
};

/* --- git history (src/git/) --- */
enum change_kind {
	CHANGE_ADDED, CHANGE_EDITED, CHANGE_META, CHANGE_RENAMED, CHANGE_REMOVED,
	CHANGE_UNCOMMITTED
};

struct commit;

struct file_change {
	const struct commit	*commit;	/* NULL for uncommitted work-tree changes */
	enum change_kind	 kind;
	const char		*path;		/* relative to the content folder, after the change */
	const char		*old_path;	/* CHANGE_RENAMED: the path before */
	size_t			 added;		/* lines */
	size_t			 removed;
	const char		*title;		/* CHANGE_REMOVED: the last title; else may be NULL */
	uint64_t		 page_key;	/* its hash for page keys (pagekey.c), once per build */
	int			 page_key_set;
};

struct commit {
	char			 id[41];
	char			 short_id[8];
	time_t			 time;		/* UTC */
	int			 tz_offset;	/* minutes east of UTC */
	const char		*author;
	const char		*email;
	const char		*subject;	/* first line of the message */
	struct file_change	*changes;	/* what it did under the content folder */
	size_t			 nchanges;
};

struct file_history {
	const char		 *path;		/* current path, relative to the content folder */
	struct file_change	**changes;	/* newest first, following renames */
	size_t			  n;
	const struct commit	 *created;	/* NULL if unknown (shallow, uncommitted) */
	const struct commit	 *updated;	/* last commit that changed it */
	time_t			  updated_time;	/* commit time, or the file's mtime if uncommitted */
	int			  truncated;	/* the history starts at a shallow boundary */
	int			  uncommitted;	/* work tree differs from HEAD */
};

struct history {
	int		 available;	/* 0: no repository or history: false */
	int		 shallow;
	struct commit	*commits;	/* newest first; only those touching the content folder */
	size_t		 ncommits;
	void		*index;		/* path -> file_history, see history_find() */
	size_t		 worktree_asked; /* files git was asked about for the work tree: 0 when
					  * the kept answer held, WORKTREE_ALL for every file */
	size_t		 worktree_hashed; /* of those, judged by hashing them against the blobs
					  * the kept answer's index held, without git's status */
};
#define WORKTREE_ALL	((size_t)-1)

/* --- articles --- */
struct article {
	const char	 *path;		/* "content/2019/flood.md", for messages */
	const char	 *relpath;	/* "2019/flood.md", relative to the content folder */
	size_t		  body_line;	/* line of path where body_md starts */
	const char	 *title;
	const char	 *headline;
	const char	 *slug_given;	/* slug: from the front matter, or NULL */
	time_t		  date;		/* publication day, 00:00 UTC */
	int		  year, month, day;
	const char	 *date_str;	/* "YYYY-MM-DD" */
	const char	**tags;		/* as written */
	size_t		  ntags;
	struct source	 *sources;
	size_t		  nsources;
	const char	**authors;
	size_t		  nauthors;
	const char	**imported_from;
	size_t		  nimported;
	const char	**aliases;
	size_t		  naliases;
	int		  draft;
	struct meta	 *extra;	/* META_MAP of unknown keys, or NULL */
	const char	 *body_md;	/* Markdown, front matter removed; NULL in a build (see body_offset) */
	size_t		  body_len;
	size_t		  body_offset;	/* where the body starts in the file */
	uint64_t	  hash;		/* of the whole file */
	time_t		  mtime;

	/* set by site_build */
	const char	 *slug;
	const char	 *url;		/* "/2019/03/flood/" */
	struct term	**tag_terms;	/* parallel to tags, duplicates removed */
	size_t		  nterms;
	struct article	 *prev;		/* older */
	struct article	 *next;		/* newer */
	const struct file_history *history;
	size_t		  index;	/* position in site order, newest first */

	/* set by pagekey_lists() before the pages are written, read by every page's key */
	uint64_t	  item_key;	/* pagekey_item(), computed once */
	int		  item_key_set;

	/* set by the render pass */
	const char	 *summary;	/* plain text, a few dozen words */
};

/* An alias: a variant spelling and the name it stands for. */
struct alias {
	const char	*from;
	const char	*to;
};

/* folio.yaml */
struct config {
	const char	*path;		/* "folio.yaml", for messages */
	const char	*title;
	const char	*description;
	const char	*base_url;	/* "https://example.org/archive/" (always ends in '/') */
	const char	*base_path;	/* "/archive/" : the path part of base_url */
	const char	*language;	/* "en" or "fr" */
	const char	*theme;		/* folder name under themes/ */
	const char	*content_dir;	/* default "content" */
	const char	*output;	/* default "public" */
	const char	*author;	/* publisher name for feeds and JSON-LD */
	const char	*repo_url;	/* "https://example.org/archive/commit/%s" or NULL */
	size_t		 per_page;	/* default 20 */
	size_t		 feed_size;	/* default 20 */
	int		 unsafe_html;
	int		 relative_links;
	int		 precompress;
	int		 history;	/* 0 off, 1 first parent, 2 all parents */
	struct alias	*tag_aliases;
	size_t		 ntag_aliases;
	struct alias	*source_aliases;
	size_t		 nsource_aliases;
	struct meta	*extra;		/* unknown keys, META_MAP or NULL */
	size_t		 sitemap_size;	/* URLs in one sitemap file; default and at most 50000 */
	unsigned	 page_time_limit; /* seconds a layout may spend on one page; 0: none */
};

/* The site model: built once by site_build(), then read-only. */
struct site {
	const struct config	 *cfg;
	struct article		**articles;	/* newest first */
	size_t			  n;
	struct term		**tags;		/* by name */
	size_t			  ntags;
	struct term		**sources;	/* by name */
	size_t			  nsources;
	struct period		**years;	/* newest first */
	size_t			  nyears;
	struct period		**months;	/* newest first */
	size_t			  nmonths;
	/* NULL from site_build() until the history pass has ended, then never; available may be 0 */
	const struct history	 *history;
	time_t			  updated;	/* newest article date or commit */
	void			 *bypath;	/* relpath -> article (struct strmap), see site_find() */
};

#endif
