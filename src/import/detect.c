/* detect.c: page headers and blog boilerplate, recognised by structure and by generic UI text */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/arena.h"
#include "import/impl.h"

/*
 * Lines that are blog or news-site interface, whole (case-insensitive):
 * navigation, widgets, share buttons. Generic UI strings of Blogger,
 * WordPress and news sites, never text of a post.
 */
static const char *const boiler_exact[] = {
	"Skip to content", "Skip to main content", "Aller au contenu", "Aller au contenu principal",
	"Older posts", "Newer posts", "Older Post", "Newer Post", "Older entries", "Newer entries",
	"Articles plus anciens", "Articles plus r\xc3\xa9" "cents", "Article plus ancien",
	"Article plus r\xc3\xa9" "cent", "Home", "Accueil", "Pages", "Menu", "Search", "Rechercher",
	"Share this:", "Share this", "Like this:", "Partager :", "Partager", "Share", "Tweet",
	"Email This", "BlogThis!", "Share to Twitter", "Share to Facebook", "Share to Pinterest",
	"Envoyer par e-mail", "Partager sur Twitter", "Partager sur Facebook",
	"Partager sur Pinterest", "Now Playing", "Next", "Up Next", "Load more", "Loading...",
	"Like Loading...", "Related", "Presentational grey line", "Subscribe to: Posts (Atom)",
	"S'abonner \xc3\xa0 : Articles (Atom)", "Post a Comment", "Publier un commentaire",
	"No comments:", "Aucun commentaire:", "Aucun commentaire", "No comments",
	"Leave a comment", "Laisser un commentaire", "Leave a Reply", "Blog Archive",
	"Archives du blog", "Labels", "Libell\xc3\xa9s", "Blogroll", "Archives", "Categories",
	"Cat\xc3\xa9gories", "Recent Posts", "Articles r\xc3\xa9" "cents", "Meta", "Advertisement",
	"Publicit\xc3\xa9", "Read more", "Lire la suite", "Continue reading", "Afficher plus",
	"Show more", NULL
};

/* Lines that start with these are interface too. */
static const char *const boiler_prefix[] = {
	"Video Duration", "Click to play video", "Posted by ", "Publi\xc3\xa9 par ",
	"Labels:", "Libell\xc3\xa9s :", "Libell\xc3\xa9s:", "Filed under", "Posted in ",
	"Share this", "Partager sur", "Bookmark the permalink",
	"Subscribe to:", "S'abonner \xc3\xa0", "Watch:", NULL
};

/* Found anywhere in a line: an image credit glued to its alt text. */
static const char *const boiler_inside[] = {
	"Image copyright", "Image source", "Copyright de l'image", NULL
};

/* Comment counters: "3 comments", "12 commentaires". */
static const char *const comment_words[] = {
	"comment", "comments", "commentaire", "commentaires", "Response", "Responses",
	"R\xc3\xa9ponse", "R\xc3\xa9ponses", NULL
};

int
boiler_line(const char *s)
{
	size_t		 i;
	const char	*p;
	char		*end;

	for (i = 0; boiler_exact[i] != NULL; i++)
		if (strcasecmp(s, boiler_exact[i]) == 0)
			return 1;
	for (i = 0; boiler_prefix[i] != NULL && strlen(s) <= 120; i++)
		if (starts_with_ci(s, boiler_prefix[i], NULL))
			return 1;
	for (i = 0; boiler_inside[i] != NULL; i++)
		if (strstr(s, boiler_inside[i]) != NULL)
			return 1;
	if (isdigit((unsigned char)*s)) {
		(void)strtol(s, &end, 10);
		if (*end == ' ') {
			for (i = 0; comment_words[i] != NULL; i++)
				if (strcasecmp(end + 1, comment_words[i]) == 0)
					return 1;
		}
	}
	/* "VIDEO00:51", a player's label */
	if (strncmp(s, "VIDEO", 5) == 0 && isdigit((unsigned char)s[5]) && strchr(s, ':') &&
	    strlen(s) <= 12)
		return 1;
	/* archive widget: "► 2019 (12)", "▼ décembre (3)" */
	if ((p = strstr(s, "\xe2\x96\xba")) == s || (p = strstr(s, "\xe2\x96\xbc")) == s)
		return 1;
	return 0;
}

/*
 * Page headers that name the label or category, as (prefix, suffix): the
 * label sits between them. Blogger's label-page banner, WordPress archive
 * titles, paginated category titles.
 */
struct header {
	const char	*prefix;
	const char	*suffix;	/* "" when the label runs to the end */
	int		 kind;		/* HEADER_FRENCH | HEADER_BLOGGER */
};

static const struct header headers[] = {
	{ "Affichage des articles dont le libell\xc3\xa9 est ", ". Afficher tous les articles", 3 },
	{ "Affichage des articles dont le libell\xc3\xa9 est ", "", 3 },
	{ "Showing posts with label ", ". Show all posts", 2 },
	{ "Showing posts with label ", "", 2 },
	{ "Archive for the ", " Category", 0 },
	{ "Archive for ", "", 0 },
	{ "Archives for ", "", 0 },
	{ "Posts Tagged ", "", 0 },
	{ "Posts tagged ", "", 0 },
	{ "Tag Archives: ", "", 0 },
	{ "Category Archives: ", "", 0 },
	{ "Category: ", "", 0 },
	{ "Tag: ", "", 0 },
	{ "Archives de la cat\xc3\xa9gorie ", "", 1 },
	{ "Archives de cat\xc3\xa9gorie : ", "", 1 },
	{ "Archives de l'\xc3\xa9tiquette ", "", 1 },
	{ "Archives pour ", "", 1 },
	{ "Cat\xc3\xa9gorie : ", "", 1 },
	{ "\xc3\x89tiquette : ", "", 1 },
	{ NULL, NULL, 0 }
};

/* Quotes a label may be wrapped in: ' " ‘ ’ “ ” « » */
static const char *const quotes[] = {
	"'", "\"", "\xe2\x80\x98", "\xe2\x80\x99", "\xe2\x80\x9c", "\xe2\x80\x9d",
	"\xc2\xab ", " \xc2\xbb", "\xc2\xab", "\xc2\xbb", NULL
};

static char *
unquote(struct arena *ar, const char *s, size_t len)
{
	size_t	i, n;
	int	again = 1;

	while (again) {
		again = 0;
		while (len > 0 && (s[len - 1] == '.' || s[len - 1] == ' '))
			len--;
		while (len > 0 && *s == ' ')
			s++, len--;
		for (i = 0; quotes[i] != NULL; i++) {
			n = strlen(quotes[i]);
			if (len >= n && strncmp(s, quotes[i], n) == 0)
				s += n, len -= n, again = 1;
			if (len >= n && strncmp(s + len - n, quotes[i], n) == 0)
				len -= n, again = 1;
		}
	}
	return arena_strndup(ar, s, len);
}

/* "Label - 27. page", "Label – Page 3", "Label | Page 2 of 9": a paginated category. */
static const char *
paginated(struct arena *ar, const char *s)
{
	static const char *const seps[] = { " - ", " \xe2\x80\x93 ", " \xe2\x80\x94 ", " | ", NULL };
	const char	*p, *q;
	size_t		 i;

	for (i = 0; seps[i] != NULL; i++) {
		if ((p = strstr(s, seps[i])) == NULL || p == s)
			continue;
		q = p + strlen(seps[i]);
		if (starts_with_ci(q, "page ", &q) || starts_with_ci(q, "Seite ", &q)) {
			if (isdigit((unsigned char)*q))
				return unquote(ar, s, (size_t)(p - s));
		} else if (isdigit((unsigned char)*q)) {
			while (isdigit((unsigned char)*q))
				q++;
			if (*q == '.')
				q++;
			if (strcasecmp(q, " page") == 0 || strcasecmp(q, " oldal") == 0)
				return unquote(ar, s, (size_t)(p - s));
		}
	}
	return NULL;
}

/* If s is a page header, the label it names (may be ""), else NULL. */
const char *
page_header(struct page *p, const char *s, int *kind)
{
	const struct header	*h;
	const char		*rest, *lab;
	size_t			 n, sl;

	for (h = headers; h->prefix != NULL; h++) {
		if (!starts_with_ci(s, h->prefix, &rest))
			continue;
		n = strlen(rest);
		sl = strlen(h->suffix);
		if (sl > 0) {
			if (n < sl || strcasecmp(rest + n - sl, h->suffix) != 0)
				continue;
			n -= sl;
		}
		if (n == 0 || n > 120)
			continue;
		*kind = h->kind;
		return unquote(p->ar, rest, n);
	}
	if ((lab = paginated(p->ar, s)) != NULL) {
		*kind = 0;
		return lab;
	}
	return NULL;
}

/* Is line i followed, past blank lines, by a line with the same text? */
static int
repeated_after(struct page *p, size_t i, size_t *j)
{
	size_t	k;

	for (k = i + 1; k < p->n && line_blank(&p->lines[k]); k++)
		;
	if (k < p->n && strcmp(p->lines[k].s, p->lines[i].s) == 0) {
		*j = k;
		return 1;
	}
	return 0;
}

/*
 * Mark the boilerplate of the whole page: interface lines, video widgets
 * (a "Video Duration" line and the indented or bulleted block under it),
 * "click to play" captions with their repeated title, player labels between
 * two copies of a caption, and a blogroll at the end of the page (short
 * lines in which a description repeats).
 */
void
mark_boilerplate(struct page *p)
{
	size_t		 i, j, k, run, nshort;
	struct line	*l;
	int		 rep;

	for (i = 0; i < p->n; i++) {
		l = &p->lines[i];
		if (l->len == 0 || l->drop)
			continue;
		if (starts_with_ci(l->s, "Video Duration", NULL) ||
		    (strip_bullet(l->s) && starts_with_ci(strip_bullet(l->s), "Now Playing", NULL))) {
			l->drop = 1;
			for (j = i + 1; j < p->n; j++) {
				struct line *m = &p->lines[j];

				if (m->len == 0 || m->indent || strip_bullet(m->s) != NULL ||
				    starts_with_ci(m->s, "Video Duration", NULL))
					m->drop = 1;
				else
					break;
			}
			i = j - 1;
			continue;
		}
		if (starts_with_ci(l->s, "Click to play", NULL) && i + 1 < p->n) {
			l->drop = 1;
			if (p->lines[i + 1].len > 0 && strstr(l->s, p->lines[i + 1].s) != NULL)
				p->lines[i + 1].drop = 1;
			continue;
		}
		if (strncmp(l->s, "VIDEO", 5) == 0 && boiler_line(l->s)) {
			l->drop = 1;
			if (i > 0 && i + 1 < p->n && p->lines[i - 1].len > 0 &&
			    strcmp(p->lines[i - 1].s, p->lines[i + 1].s) == 0)
				p->lines[i - 1].drop = p->lines[i + 1].drop = 1;
			continue;
		}
		if (boiler_line(l->s))
			l->drop = 1;
	}

	/* a blogroll: from the end, short lines with no full stop, one repeating */
	run = 0;
	nshort = 0;
	for (k = p->n; k > 0; k--) {
		l = &p->lines[k - 1];
		if (l->len == 0 || l->drop)
			continue;
		if (l->len > 90 || (l->s[l->len - 1] == '.' && l->len > 1) ||
		    source_label(l->s, NULL) || is_url(l->s))
			break;
		{
			struct date_match dm;

			if (date_line(l->s, &dm))
				break;
		}
		run = k - 1;
		if (++nshort > 40)
			break;		/* a blogroll is a widget, not a page of lines */
	}
	if (nshort >= 4 && nshort <= 40) {
		rep = 0;
		for (i = run; i < p->n && !rep; i++) {
			if (p->lines[i].len == 0 || p->lines[i].drop)
				continue;
			rep = repeated_after(p, i, &j);
			for (j = i + 1; j < p->n && !rep; j++)
				if (p->lines[j].len > 0 && strcmp(p->lines[i].s, p->lines[j].s) == 0)
					rep = 1;
		}
		if (rep) {
			for (i = run; i < p->n; i++) {
				if (p->lines[i].len > 0 && !p->lines[i].drop)
					p->lines[i].drop = 2;	/* 2: trailing, reported */
			}
		}
	}
}
