/* sources.c: "Source:" lines, their entries and links; bylines */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/arena.h"
#include "util/text.h"
#include "import/impl.h"

/* Words that introduce a post's sources, French and English. */
static const char *const source_words[] = {
	"Sources", "Source(s)", "Source", NULL
};

/* Words that introduce a byline, and the words that join two names. */
static const char *const by_words[] = { "By ", "BY ", "Par ", "PAR ", NULL };
static const char *const name_joins[] = { " and ", " et ", " & ", ", ", NULL };

/* A "Source: ..." line (after any bullet); *rest gets what follows the colon. */
int
source_label(const char *s, const char **rest)
{
	const char	*b, *r;
	size_t		 i;

	if ((b = strip_bullet(s)) != NULL)
		s = b;
	for (i = 0; source_words[i] != NULL; i++) {
		if (!starts_with_ci(s, source_words[i], &r))
			continue;
		while (*r == ' ' || strncmp(r, "\xc2\xa0", 2) == 0)
			r += *r == ' ' ? 1 : 2;
		if (*r == ':')
			r++;
		else if (strncmp(r, "\xef\xbc\x9a", 3) == 0)	/* fullwidth colon */
			r += 3;
		else
			continue;
		while (*r == ' ' || strncmp(r, "\xc2\xa0", 2) == 0)
			r += *r == ' ' ? 1 : 2;
		if (rest != NULL)
			*rest = r;
		return 1;
	}
	return 0;
}

static char *
trim_name(struct arena *ar, const char *s, size_t n)
{
	int	again = 1;

	while (n > 0 && (*s == ' ' || *s == '(' || *s == '-'))
		s++, n--;
	while (again && n > 0) {
		again = 0;
		while (n > 0 && strchr(" ,;:.-(", s[n - 1]) != NULL)
			n--, again = 1;
		/* "Title,” " -> "Title”" */
		if (n >= 4 && s[n - 4] == ',' && strncmp(s + n - 3, "\xe2\x80\x9d", 3) == 0) {
			char *t = arena_strndup(ar, s, n);

			memmove(t + n - 4, t + n - 3, 4);
			return t;
		}
		if (n >= 2 && s[n - 2] == ',' && s[n - 1] == '"') {
			char *t = arena_strndup(ar, s, n);

			t[n - 2] = '"';
			t[n - 1] = '\0';
			return t;
		}
		if (n >= 3 && strncmp(s + n - 3, "\xe2\x80\x93", 3) == 0)
			n -= 3, again = 1;
	}
	return arena_strndup(ar, s, n);
}

/* The host of a link, as a name of last resort. */
static char *
url_host(struct arena *ar, const char *url)
{
	const char	*h = strstr(url, "://"), *e;

	h = h ? h + 3 : url;
	if (strncmp(h, "www.", 4) == 0)
		h += 4;
	for (e = h; *e != '\0' && *e != '/' && *e != '?' && *e != '#'; e++)
		;
	return arena_strndup(ar, h, (size_t)(e - h));
}

static void
push_source(struct page *p, struct import_post *po, const char *name, const char *url,
    const char *date)
{
	struct import_source	*s;
	size_t			 i, cap;
	char			*f, *g;

	f = fold_key(name);
	for (i = 0; i < po->nsources; i++) {
		s = &po->sources[i];
		g = fold_key(s->name);
		if (strcmp(f, g) == 0 &&
		    (url == NULL || s->url == NULL || strcmp(url, s->url) == 0) &&
		    (date == NULL || s->date == NULL || strcmp(date, s->date) == 0)) {
			if (s->url == NULL)
				s->url = url;
			if (s->date == NULL)
				s->date = date;
			free(f);
			free(g);
			return;
		}
		free(g);
	}
	free(f);
	cap = po->nsources;
	po->sources = grow_array(p->ar, po->sources, po->nsources + 1, &cap, sizeof(*s));
	s = &po->sources[po->nsources++];
	s->name = name;
	s->url = url;
	s->date = date;
}

/*
 * Add one source entry to a post: "Outlet", "Outlet, Month D, YYYY",
 * "1. Outlet, D/M/YYYY", "Outlet https://...", or a bare link, which
 * belongs to the entry before it when that one has none.
 */
void
source_add(struct page *p, struct import_post *po, const char *entry, const char *url)
{
	struct date_match	 dm;
	const char		*e = entry, *u;
	char			*text, *name, *date = NULL;
	int			 y, m, d;
	size_t			 n;

	if (strip_bullet(e) != NULL)
		e = strip_bullet(e);
	if (isdigit((unsigned char)e[0])) {	/* "1. " or "2) " numbering */
		const char *q = e;

		while (isdigit((unsigned char)*q))
			q++;
		if ((*q == '.' || *q == ')') && q[1] == ' ')
			e = q + 2;
	}
	text = arena_strdup(p->ar, e);
	if (url == NULL && (u = strstr(text, "http")) != NULL && is_url(u) &&
	    (u == text || u[-1] == ' ' || u[-1] == '(' || u[-1] == '<')) {
		url = arena_strdup(p->ar, u);
		n = strlen(url);
		while (n > 0 && strchr(")>.,;", url[n - 1]) != NULL)
			((char *)url)[--n] = '\0';
		text[u - text] = '\0';
	} else if (url == NULL && is_url(text)) {
		url = text;
		text[0] = '\0';
	}
	if (text[0] == '\0' || (text = trim_name(p->ar, text, strlen(text)))[0] == '\0') {
		if (url == NULL)
			return;
		if (po->nsources > 0 && po->sources[po->nsources - 1].url == NULL) {
			po->sources[po->nsources - 1].url = url;
			return;
		}
		push_source(p, po, url_host(p->ar, url), url, NULL);
		return;
	}
	name = text;
	if (date_find(text, &dm) && (date_numeric(&dm, p->dmy, &y, &m, &d) ||
	    date_numeric(&dm, -p->dmy, &y, &m, &d) || date_numeric(&dm, -1, &y, &m, &d))) {
		date = arena_printf(p->ar, "%04d-%02d-%02d", y, m, d);
		name = trim_name(p->ar, text, dm.start);
		if (name[0] == '\0')
			name = trim_name(p->ar, text + dm.end, strlen(text + dm.end));
	}
	if (name[0] == '\0')
		return;
	push_source(p, po, name, url, date);
}

static void
push_author(struct page *p, struct import_post *po, const char *s, size_t n)
{
	size_t	cap = po->nauthors, i;
	char	*a = trim_name(p->ar, s, n);

	if (a[0] == '\0' || !isupper((unsigned char)a[0]))
		return;
	for (i = 0; i < po->nauthors; i++)
		if (strcmp(po->authors[i], a) == 0)
			return;
	po->authors = grow_array(p->ar, po->authors, po->nauthors + 1, &cap, sizeof(char *));
	po->authors[po->nauthors++] = a;
}

/*
 * A byline, "By A and B" or "Par A, B et C": adds the names and returns 1.
 * Without a joining word, only what comes before a comma is a name (the
 * rest is the outlet or the place).
 */
int
byline(struct page *p, struct import_post *po, const char *s)
{
	const char	*r = NULL, *q, *best;
	size_t		 i, words = 0, bl = 0, n;
	int		 joined = 0;

	for (i = 0; by_words[i] != NULL; i++)
		if (strncmp(s, by_words[i], strlen(by_words[i])) == 0)
			r = s + strlen(by_words[i]);
	if (r == NULL || strlen(s) > 120 || !isupper((unsigned char)*r))
		return 0;
	for (q = r; *q != '\0'; q++)
		if (*q == ' ')
			words++;
	n = strlen(r);
	if (words > 12 || r[n - 1] == '?' || r[n - 1] == '!')
		return 0;
	if (po == NULL)
		return 1;
	for (i = 0; name_joins[i] != NULL && i < 3; i++)
		if (strstr(r, name_joins[i]) != NULL)
			joined = 1;
	if (!joined) {
		q = strchr(r, ',');
		push_author(p, po, r, q ? (size_t)(q - r) : n);
		return 1;
	}
	while (*r != '\0') {
		best = NULL;
		for (i = 0; name_joins[i] != NULL; i++) {
			q = strstr(r, name_joins[i]);
			if (q != NULL && (best == NULL || q < best))
				best = q, bl = strlen(name_joins[i]);
		}
		if (best == NULL) {
			push_author(p, po, r, strlen(r));
			break;
		}
		push_author(p, po, r, (size_t)(best - r));
		r = best + bl;
	}
	return 1;
}

/* A short line that reads as an outlet's name: "BBC News", "The Guardian". */
int
outlet_like(const char *s)
{
	struct date_match	 dm;
	size_t			 words = 1, n = strlen(s);
	const char		*q;

	if (n == 0 || n > 40 || ends_sentence(s, n) || date_find(s, &dm))
		return 0;
	for (q = s; *q != '\0'; q++) {
		if (*q == ' ') {
			words++;
			if (!(isupper((unsigned char)q[1]) || isdigit((unsigned char)q[1])))
				return 0;
		}
	}
	return words <= 5 && (isupper((unsigned char)*s) || isdigit((unsigned char)*s));
}
