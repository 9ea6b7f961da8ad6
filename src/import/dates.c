/* dates.c: dates as blogs print them, French and English; month and weekday names are data */
#include <ctype.h>
#include <string.h>
#include <strings.h>
#include <stdio.h>

#include "import/impl.h"

struct name {
	const char	*name;		/* lower case, UTF-8 */
	int		 value;
	int		 french;
};

/* Month names and their usual abbreviations (a trailing '.' is skipped). */
static const struct name months[] = {
	{ "january", 1, 0 }, { "jan", 1, 0 }, { "february", 2, 0 }, { "feb", 2, 0 },
	{ "march", 3, 0 }, { "mar", 3, 0 }, { "april", 4, 0 }, { "apr", 4, 0 },
	{ "may", 5, 0 }, { "june", 6, 0 }, { "jun", 6, 0 }, { "july", 7, 0 },
	{ "jul", 7, 0 }, { "august", 8, 0 }, { "aug", 8, 0 }, { "september", 9, 0 },
	{ "sept", 9, 0 }, { "sep", 9, 0 }, { "october", 10, 0 }, { "oct", 10, 0 },
	{ "november", 11, 0 }, { "nov", 11, 0 }, { "december", 12, 0 }, { "dec", 12, 0 },
	{ "janvier", 1, 1 }, { "janv", 1, 1 }, { "f\xc3\xa9vrier", 2, 1 }, { "fevrier", 2, 1 },
	{ "f\xc3\xa9vr", 2, 1 }, { "fevr", 2, 1 }, { "f\xc3\xa9v", 2, 1 }, { "mars", 3, 1 },
	{ "avril", 4, 1 }, { "avr", 4, 1 }, { "mai", 5, 1 }, { "juin", 6, 1 },
	{ "juillet", 7, 1 }, { "juil", 7, 1 }, { "ao\xc3\xbbt", 8, 1 }, { "aout", 8, 1 },
	{ "septembre", 9, 1 }, { "octobre", 10, 1 }, { "novembre", 11, 1 },
	{ "d\xc3\xa9" "cembre", 12, 1 }, { "decembre", 12, 1 }, { "d\xc3\xa9" "c", 12, 1 },
	{ NULL, 0, 0 }
};

static const struct name weekdays[] = {
	{ "monday", 1, 0 }, { "mon", 1, 0 }, { "tuesday", 2, 0 }, { "tue", 2, 0 },
	{ "tues", 2, 0 }, { "wednesday", 3, 0 }, { "wed", 3, 0 }, { "thursday", 4, 0 },
	{ "thu", 4, 0 }, { "thur", 4, 0 }, { "thurs", 4, 0 }, { "friday", 5, 0 },
	{ "fri", 5, 0 }, { "saturday", 6, 0 }, { "sat", 6, 0 }, { "sunday", 7, 0 },
	{ "sun", 7, 0 },
	{ "lundi", 1, 1 }, { "mardi", 2, 1 }, { "mercredi", 3, 1 }, { "jeudi", 4, 1 },
	{ "vendredi", 5, 1 }, { "samedi", 6, 1 }, { "dimanche", 7, 1 },
	{ NULL, 0, 0 }
};

/* Ordinal suffixes after a day number: "1st", "2nd", "1er". */
static const char *const ordinals[] = { "st", "nd", "rd", "th", "er", NULL };

struct scan {
	const char	*s;
	size_t		 p;
};

static int
is_letter(unsigned char c)
{
	return isalpha(c) || c >= 0x80;
}

static void
skip_space(struct scan *sc)
{
	for (;;) {
		if (sc->s[sc->p] == ' ' || sc->s[sc->p] == '\t')
			sc->p++;
		else if ((unsigned char)sc->s[sc->p] == 0xc2 &&
		    (unsigned char)sc->s[sc->p + 1] == 0xa0)
			sc->p += 2;
		else
			return;
	}
}

/* A word of letters, lower-cased into w (Latin-1 capitals too); returns its length or 0. */
static size_t
word(const struct scan *sc, char *w, size_t wmax, int *upper)
{
	const unsigned char	*s = (const unsigned char *)sc->s + sc->p;
	size_t			 n = 0;
	int			 up = 1;

	while (is_letter(s[n]) && n + 2 < wmax) {
		if (s[n] == 0xc3 && s[n + 1] >= 0x80 && s[n + 1] <= 0x9e) {
			w[n] = (char)s[n];
			w[n + 1] = (char)(s[n + 1] + 0x20);
			n += 2;
			continue;
		}
		if (islower(s[n]))
			up = 0;
		w[n] = (char)tolower(s[n]);
		n++;
	}
	if (is_letter(s[n]))
		return 0;	/* too long to be a name */
	w[n] = '\0';
	if (upper != NULL)
		*upper = up;
	return n;
}

static const struct name *
lookup(const struct name *t, const char *w)
{
	for (; t->name != NULL; t++)
		if (strcmp(t->name, w) == 0)
			return t;
	return NULL;
}

/* A name from table t at the scan point; moves past it (and a '.'). */
static const struct name *
take_name(struct scan *sc, const struct name *t, int *upper)
{
	char			 w[32];
	size_t			 n;
	const struct name	*nm;

	if ((n = word(sc, w, sizeof(w), upper)) == 0 || (nm = lookup(t, w)) == NULL)
		return NULL;
	sc->p += n;
	if (sc->s[sc->p] == '.')
		sc->p++;
	return nm;
}

/* 1 to maxd digits; *ndig gets the count. */
static int
take_number(struct scan *sc, int maxd, int *val, int *ndig)
{
	int	v = 0, n = 0;

	while (isdigit((unsigned char)sc->s[sc->p + n]) && n < maxd + 1) {
		v = v * 10 + (sc->s[sc->p + n] - '0');
		n++;
	}
	if (n == 0 || n > maxd)
		return 0;
	sc->p += n;
	*val = v;
	if (ndig != NULL)
		*ndig = n;
	return 1;
}

static void
skip_ordinal(struct scan *sc)
{
	size_t	i, n;

	for (i = 0; ordinals[i] != NULL; i++) {
		n = strlen(ordinals[i]);
		if (strncasecmp(sc->s + sc->p, ordinals[i], n) == 0 &&
		    !is_letter((unsigned char)sc->s[sc->p + n])) {
			sc->p += n;
			return;
		}
	}
}

static int
skip_char(struct scan *sc, char c)
{
	if (sc->s[sc->p] != c)
		return 0;
	sc->p++;
	return 1;
}

int
date_valid(int y, int m, int d)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return 0;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 0;
	return 1;
}

/* A date at the scan point: [weekday[,]] then D/M/Y, Y-M-D, Month D[,] Y or D Month Y. */
static int
date_at(struct scan *sc, struct date_match *dm)
{
	const struct name	*nm;
	struct scan		 save;
	int			 a, b, c, na, nc, up = 0;

	memset(dm, 0, sizeof(*dm));
	dm->start = sc->p;
	save = *sc;
	if ((nm = take_name(sc, weekdays, NULL)) != NULL) {
		dm->weekday = 1;
		dm->french = nm->french;
		skip_char(sc, ',');
		skip_space(sc);
	} else {
		*sc = save;
	}
	if (take_number(sc, 4, &a, &na)) {
		if (sc->s[sc->p] == '/' || sc->s[sc->p] == '.' || sc->s[sc->p] == '-') {
			char	sep = sc->s[sc->p++];

			if (!take_number(sc, 2, &b, NULL) || !skip_char(sc, sep) ||
			    !take_number(sc, 4, &c, &nc))
				return 0;
			if (na == 4 && nc <= 2 && date_valid(a, b, c)) {
				dm->form = DATE_ISO;
				dm->y = a, dm->m = b, dm->d = c;
			} else if (na <= 2 && nc == 4) {
				dm->form = DATE_NUMERIC;
				dm->a = a, dm->b = b, dm->y = c;
				if (!date_numeric(dm, 1, &dm->y, &dm->m, &dm->d) &&
				    !date_numeric(dm, -1, &dm->y, &dm->m, &dm->d))
					return 0;
			} else
				return 0;
			dm->end = sc->p;
			return 1;
		}
		if (na > 2)
			return 0;
		skip_ordinal(sc);
		skip_char(sc, '.');
		skip_space(sc);
		if ((nm = take_name(sc, months, &up)) == NULL)
			return 0;
		skip_char(sc, ',');
		skip_space(sc);
		if (!take_number(sc, 4, &c, &nc) || nc != 4 || !date_valid(c, nm->value, a))
			return 0;
		dm->form = DATE_DMY;
		dm->y = c, dm->m = nm->value, dm->d = a;
	} else {
		if ((nm = take_name(sc, months, &up)) == NULL)
			return 0;
		skip_space(sc);
		if (!take_number(sc, 2, &a, NULL))
			return 0;
		skip_ordinal(sc);
		skip_char(sc, ',');
		skip_space(sc);
		if (!take_number(sc, 4, &c, &nc) || nc != 4 || !date_valid(c, nm->value, a))
			return 0;
		dm->form = DATE_MDY;
		dm->y = c, dm->m = nm->value, dm->d = a;
	}
	dm->french |= nm->french;
	dm->upper = up;
	if (isdigit((unsigned char)sc->s[sc->p]) || is_letter((unsigned char)sc->s[sc->p]))
		return 0;
	dm->end = sc->p;
	return 1;
}

/* The whole line (but for trailing punctuation) is one date. */
int
date_line(const char *s, struct date_match *dm)
{
	struct scan	sc = { s, 0 };

	if (!date_at(&sc, dm))
		return 0;
	skip_char(&sc, '.');
	skip_char(&sc, ':');
	skip_space(&sc);
	return s[sc.p] == '\0';
}

/* The first date in s, at a word boundary. */
int
date_find(const char *s, struct date_match *dm)
{
	struct scan	sc;
	size_t		p;

	for (p = 0; s[p] != '\0'; p++) {
		if (p > 0 && (isalnum((unsigned char)s[p - 1]) ||
		    (unsigned char)s[p - 1] >= 0x80))
			continue;
		if (!isalnum((unsigned char)s[p]) && (unsigned char)s[p] < 0x80)
			continue;
		sc.s = s;
		sc.p = p;
		if (date_at(&sc, dm))
			return 1;
	}
	return 0;
}

/* A numeric date read as dd/mm (dmy 1) or mm/dd (dmy -1); 0 if that is no real date. */
int
date_numeric(const struct date_match *dm, int dmy, int *y, int *m, int *d)
{
	int	dd = dmy >= 0 ? dm->a : dm->b, mm = dmy >= 0 ? dm->b : dm->a;

	if (dm->form != DATE_NUMERIC) {
		*y = dm->y, *m = dm->m, *d = dm->d;
		return 1;
	}
	if (!date_valid(dm->y, mm, dd))
		return 0;
	*y = dm->y, *m = mm, *d = dd;
	return 1;
}

/* Two dates printed the same way: the mark of a page's date headers. */
int
same_date_style(const struct date_match *a, const struct date_match *b)
{
	return a->form == b->form && a->weekday == b->weekday && a->upper == b->upper;
}

/* A date in a link: ".../2021/01/25/..." or "...2021-02-20...". */
int
date_in_url(const char *s, int *y, int *m, int *d)
{
	const char	*p;
	int		 a, b, c;
	char		 s1, s2;

	for (p = s; *p != '\0'; p++) {
		if ((p != s && isdigit((unsigned char)p[-1])) || !isdigit((unsigned char)p[0]))
			continue;
		if (sscanf(p, "%4d%c%2d%c%2d", &a, &s1, &b, &s2, &c) == 5 &&
		    s1 == s2 && (s1 == '/' || s1 == '-') && isdigit((unsigned char)p[3]) &&
		    !isdigit((unsigned char)p[4]) && date_valid(a, b, c) &&
		    isdigit((unsigned char)p[9]) && !isdigit((unsigned char)p[10])) {
			*y = a, *m = b, *d = c;
			return 1;
		}
	}
	return 0;
}
