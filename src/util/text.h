/* text.h: UTF-8, transliteration to ASCII, slugs and folded keys */
#ifndef UTIL_TEXT_H
#define UTIL_TEXT_H

#include <stddef.h>
#include <stdint.h>

struct buf;

/* Decode one UTF-8 sequence at s (n bytes left); returns its length, or 0 if invalid. */
size_t	 utf8_decode(const char *s, size_t n, uint32_t *cp);
/* Offset of the first invalid byte, or len if the text is valid UTF-8. */
size_t	 utf8_check(const char *s, size_t len);
void	 utf8_encode(struct buf *, uint32_t cp);

/*
 * ASCII for one code point: accented Latin letters lose their accents,
 * ligatures split ("œ" -> "oe"); returns "" for marks and zero-width
 * characters, " " for spaces and dashes, NULL when there is no ASCII
 * reading (CJK, Cyrillic, symbols).
 */
const char *translit(uint32_t cp);

/* "Été 2019: l'affaire" -> "ete-2019-laffaire"; caller frees. May return "". */
char	*slugify(const char *s, size_t maxlen);
/* Folded key: lower-case ASCII letters and digits only, so that case,
 * spacing, punctuation and accents do not make two terms; caller frees. */
char	*fold_key(const char *s);
/* Collapse runs of white space (NBSP included) to one space and trim; caller frees. */
char	*collapse_space(const char *s);

/*
 * The link from a page in folder from_dir ("/a/b/") to the site path to
 * ("/x/y/"): "../../x/y/index.html". Links to folders name their index.html,
 * since browsers do not open folders from disk. Caller frees.
 */
char	*url_relative(const char *from_dir, const char *to);

#endif
