/* content.h: one .md file -> struct article; folio.yaml -> struct config.
 * The only includer of libyaml. */
#ifndef CONTENT_H
#define CONTENT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct alias;
struct arena;
struct article;
struct buf;
struct config;
struct file_stat;
struct strmap;

/*
 * Parse a whole article file (front matter + body). Strings are copied into
 * the arena. On error prints "path:line: why" and returns NULL.
 */
struct article	*article_parse(struct arena *, const char *path, const char *text, size_t len);
/* The same without keeping the body (body_md NULL; body_offset and body_len say where it is):
 * a build reads it again when it renders the page, so memory grows with metadata only. */
struct article	*article_parse_meta(struct arena *, const char *path, const char *text, size_t len);

/* What a scan keeps of a file's stat (symbolic links followed). */
struct file_stat {
	uint64_t	 dev, ino, size;
	struct timespec	 mtime, ctime;
};

/*
 * Every .md file under dir (hidden files and folders skipped), sorted by path,
 * and, if stats is not NULL, each one's stat in a heap array of the same
 * order. *files and each path are heap; free with content_scan_free(). If
 * gitrules is not NULL it gets a hash of the paths and stat of the
 * .gitignore and .gitattributes files met. -1 after printing why if a
 * folder could not be read (the files found are still given).
 */
int		 content_scan(const char *dir, char ***files, struct file_stat **stats, size_t *n,
		    uint64_t *gitrules);
void		 content_scan_free(char **files, size_t n);

/* Read folio.yaml (absent file: defaults). Returns NULL after printing why. */
struct config	*config_load(struct arena *, const char *path);
struct config	*config_default(struct arena *);
int		 config_set_base_url(struct arena *, struct config *, const char *);
/* The aliases by their folded spellings into m (initialised): fold -> the name it stands
 * for, the first alias of a spelling winning; the keys in the arena. */
void		 alias_index(struct arena *, struct strmap *m, const struct alias *, size_t n);

/*
 * Write the YAML front matter of an article, "---\n" ... "---\n", with
 * libyaml's emitter so that every string is quoted as YAML needs: title,
 * date, tags, sources ({name, url, date}), authors, headline,
 * imported_from, in that order, omitting what is empty. Returns 0 or -1.
 */
int		 frontmatter_emit(struct buf *out, const struct article *);

/* The title of an article file's text, or NULL; caller frees. For git history. */
char		*frontmatter_title(const char *text, size_t len);

/* "YYYY-MM-DD" -> time at 00:00 UTC; -1 when it is not a real date. */
int		 date_parse_iso(const char *, time_t *, int *y, int *m, int *d);
/* days from civil, proleptic Gregorian (H. Hinnant's algorithm) */
long long	 days_from_civil(int y, int m, int d);
void		 civil_from_days(long long z, int *y, int *m, int *d);

#endif
