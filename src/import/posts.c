/*
 * posts.c: a page's lines -> posts. Two layouts cover the pages we know:
 * dated pages (Blogger label and home pages, WordPress "Archive for"
 * pages), where a date header opens each day's posts, and undated pages
 * (WordPress category pages), where each post ends with its "Source:" block.
 */
#include <ctype.h>
#include <string.h>
#include <stdio.h>

#include "util/arena.h"
#include "util/text.h"
#include "import/impl.h"

static struct import_post *
new_post(struct page *p, size_t t)
{
	struct import_result	*r = p->res;
	struct import_post	*po;

	r->posts = grow_array(p->ar, r->posts, r->nposts + 1, &r->cap, sizeof(*r->posts));
	po = &r->posts[r->nposts++];
	memset(po, 0, sizeof(*po));
	po->title = p->lines[t].s;
	po->line = p->lines[t].no;
	return po;
}

static size_t
next_text(struct page *p, size_t i, size_t end)
{
	while (i < end && line_blank(&p->lines[i]))
		i++;
	return i;
}

/* A line that can follow a "Source:" line in the same block as another entry. */
static int
entry_like(const struct line *l)
{
	struct date_match	dm;

	if (is_url(l->s) || date_find(l->s, &dm))
		return 1;
	if (isdigit((unsigned char)l->s[0]) && (l->s[1] == '.' || l->s[2] == '.'))
		return 1;
	return l->len <= 60 && !ends_sentence(l->s, l->len);
}

/*
 * The source block that starts at line i (a "Source:" line): its entries
 * go to po (when not NULL) and its lines are dropped. Returns the index
 * after the block.
 */
static size_t
source_block(struct page *p, struct import_post *po, size_t i, size_t end)
{
	const char	*rest;
	size_t		 j;

	if (!source_label(p->lines[i].s, &rest))
		return i;
	if (po != NULL) {
		if (*rest != '\0')
			source_add(p, po, rest, NULL);
		p->lines[i].drop = 1;
	}
	for (j = i + 1; j < end; j++) {
		struct line *l = &p->lines[j];

		if (l->len == 0 || l->drop || !entry_like(l) || source_label(l->s, NULL))
			break;
		if (po != NULL) {
			source_add(p, po, l->s, NULL);
			l->drop = 1;
		}
	}
	return j;
}

/*
 * The lines under a title: the title printed again, then a byline, or
 * the original headline followed by a byline or by the outlet's name.
 * Returns the index where the body starts.
 */
static size_t
post_head(struct page *p, struct import_post *po, size_t i, size_t end)
{
	size_t		 a, b;
	struct line	*la, *lb;
	const char	*rest;

	a = next_text(p, i, end);
	if (a < end && same_text(p->lines[a].s, po->title)) {
		p->lines[a].drop = 1;
		i = a + 1;
		a = next_text(p, i, end);
	}
	if (a >= end)
		return i;
	la = &p->lines[a];
	if (byline(p, NULL, la->s)) {
		byline(p, po, la->s);
		la->drop = 1;
		return a + 1;
	}
	if (la->len > 250 || la->s[la->len - 1] == '.' || strip_bullet(la->s) != NULL ||
	    is_url(la->s) || source_label(la->s, NULL))
		return i;
	b = next_text(p, a + 1, end);
	if (b >= end)
		return i;
	lb = &p->lines[b];
	if (byline(p, NULL, lb->s)) {
		byline(p, po, lb->s);
		lb->drop = 1;
	} else if (b == a + 1 && outlet_like(lb->s) &&
	    (b + 1 >= end || line_blank(&p->lines[b + 1]))) {
		source_add(p, po, lb->s, NULL);
		lb->drop = 1;
	} else if (source_label(lb->s, &rest) && b == a + 1) {
		source_block(p, po, b, end);
	} else {
		return i;
	}
	if (!same_text(la->s, po->title))
		po->headline = la->s;
	la->drop = 1;
	return b + 1;
}

/* Every source block in [i, end) goes to the post; returns the index after the last. */
static size_t
post_sources(struct page *p, struct import_post *po, size_t i, size_t end)
{
	size_t	last = 0, j;

	for (j = i; j < end; j++) {
		if (p->lines[j].drop || !source_label(p->lines[j].s, NULL))
			continue;
		j = source_block(p, po, j, end);
		last = j;
		j--;
	}
	return last;
}

static void
set_date(struct import_post *po, int y, int m, int d)
{
	po->year = y, po->month = m, po->day = d;
}

/* The text of a post's body, or -1 if it is cut off. */
static int
finish(struct page *p, struct import_post *po, size_t from, size_t to)
{
	po->body = body_markdown(p, from, to);
	return po->body[0] == '\0' ? -1 : 0;
}

static void
skip_post(struct page *p, size_t t, const char *why)
{
	struct import_result *r = p->res;

	page_warn(p, p->lines[t].no, "post '%.80s' %s; skipped", p->lines[t].s, why);
	r->nposts--;
	r->nskipped++;
}

/* Is line i a title printed twice (a Blogger post under the same date as the one before)? */
static int
title_twice(struct page *p, size_t i, size_t end)
{
	size_t	j;

	if (p->lines[i].indent || p->lines[i].len > 250 || line_blank(&p->lines[i]) ||
	    i == 0 || !line_blank(&p->lines[i - 1]))
		return 0;
	if (p->lines[i].s[p->lines[i].len - 1] == '.')
		return 0;	/* a sentence: a photo caption printed twice */
	j = next_text(p, i + 1, end);
	return j < end && j > i + 1 && !p->lines[j].indent &&
	    strcmp(p->lines[j].s, p->lines[i].s) == 0;
}

/*
 * Settle how numeric dates read (dd/mm or mm/dd): a number above 12 on
 * either side decides for the page; else the post's source dates; else
 * the order of the headers (newest first); else dd/mm with a warning per
 * ambiguous date.
 */
void
settle_dmy(struct page *p, size_t *hdr, struct date_match *hd, size_t nh)
{
	size_t			 i, j, end;
	int			 dmy = 0, mdy = 0, vote = 0, y, m, d, y2, m2, d2;
	struct date_match	 dm;
	long long		 prev1 = 0, prev2 = 0, k1, k2;
	int			 desc1 = 1, desc2 = 1, any = 0;

	for (i = 0; i < p->n; i++) {
		if (p->lines[i].drop == 2 || !date_find(p->lines[i].s, &dm) ||
		    dm.form != DATE_NUMERIC)
			continue;
		any = 1;
		if (dm.a > 12)
			dmy = 1;
		if (dm.b > 12)
			mdy = 1;
	}
	if (dmy != mdy) {
		p->dmy = dmy ? 1 : -1;
		return;
	}
	if (!any || hdr == NULL)
		return;
	if (dmy && mdy)
		page_warn(p, 0, "numeric dates read both as dd/mm and as mm/dd");
	for (i = 0; i < nh; i++) {
		if (hd[i].form != DATE_NUMERIC)
			continue;
		end = i + 1 < nh ? hdr[i + 1] : p->n;
		for (j = hdr[i] + 1; j < end; j++) {
			if (!source_label(p->lines[j].s, NULL) && !(j > 0 &&
			    source_label(p->lines[j - 1].s, NULL)))
				continue;
			if (!date_find(p->lines[j].s, &dm) || dm.form == DATE_NUMERIC)
				continue;
			if (date_numeric(&hd[i], 1, &y, &m, &d) && y == dm.y && m == dm.m && d == dm.d)
				vote++;
			if (date_numeric(&hd[i], -1, &y, &m, &d) && y == dm.y && m == dm.m && d == dm.d)
				vote--;
		}
		k1 = date_numeric(&hd[i], 1, &y, &m, &d) ? y * 10000LL + m * 100 + d : 0;
		k2 = date_numeric(&hd[i], -1, &y2, &m2, &d2) ? y2 * 10000LL + m2 * 100 + d2 : 0;
		if (k1 == 0 || (prev1 && k1 > prev1))
			desc1 = 0;
		if (k2 == 0 || (prev2 && k2 > prev2))
			desc2 = 0;
		prev1 = k1, prev2 = k2;
	}
	if (vote != 0) {
		p->dmy = vote > 0 ? 1 : -1;
		return;
	}
	if (desc1 != desc2 && nh > 1) {
		p->dmy = desc1 ? 1 : -1;
		return;
	}
	p->dmy = 1;
	for (i = 0; i < nh; i++) {
		if (hd[i].form == DATE_NUMERIC && hd[i].a != hd[i].b && hd[i].a <= 12 &&
		    hd[i].b <= 12)
			page_warn(p, p->lines[hdr[i]].no, "date '%s' is ambiguous (dd/mm or mm/dd); "
			    "read as dd/mm", p->lines[hdr[i]].s);
	}
}

/*
 * Dated pages: each header opens a day; under it, the first line is a
 * post's title, and a line printed twice in a row (after a blank) opens
 * another post of the same day. The last post of the page is dropped as
 * cut off when it has no text, or lacks the "Source:" block the others
 * end with, or ends mid-sentence at the end of the page.
 */
int
split_dated(struct page *p, size_t first, const struct date_match *style)
{
	struct import_result	*r = p->res;
	struct date_match	*hd = NULL, dm;
	size_t			*hdr = NULL, nh = 0, hcap = 0, dcap = 0, i, k, t, end, next;
	size_t			 start, body, last, nsrc = 0, before = r->nposts, lastline;
	struct import_post	*po;
	int			 y, m, d;

	for (i = first; i < p->n; i++) {
		if (line_blank(&p->lines[i]) || !date_line(p->lines[i].s, &dm) ||
		    !same_date_style(&dm, style))
			continue;
		hdr = grow_array(p->ar, hdr, nh + 1, &hcap, sizeof(*hdr));
		hd = grow_array(p->ar, hd, nh + 1, &dcap, sizeof(*hd));
		hdr[nh] = i;
		hd[nh++] = dm;
		p->lines[i].drop = 1;
	}
	if (nh == 0)
		return -1;
	settle_dmy(p, hdr, hd, nh);
	if ((t = next_text(p, first, hdr[0])) < hdr[0]) {
		page_warn(p, p->lines[t].no, "text before the first date is the end of a post "
		    "cut off; skipped");
		r->nskipped++;
	}
	for (lastline = p->n; lastline > 0 && line_blank(&p->lines[lastline - 1]); lastline--)
		;
	for (k = 0; k < nh; k++) {
		end = k + 1 < nh ? hdr[k + 1] : p->n;
		if (!date_numeric(&hd[k], p->dmy, &y, &m, &d) &&
		    !date_numeric(&hd[k], -p->dmy, &y, &m, &d) &&
		    !date_numeric(&hd[k], -1, &y, &m, &d))
			continue;
		start = next_text(p, hdr[k] + 1, end);
		if (start >= end) {
			page_warn(p, p->lines[hdr[k]].no, "date with no post under it");
			continue;
		}
		for (t = start; t < end; t = next) {
			for (next = t + 1; next < end && !title_twice(p, next, end); next++)
				;
			po = new_post(p, t);
			set_date(po, y, m, d);
			p->lines[t].drop = 1;
			body = post_head(p, po, t + 1, next);
			last = post_sources(p, po, body, next);
			if (last > 0)
				nsrc++;
			if (k + 1 == nh && next == end && last > 0 && next_text(p, last, end) < end) {
				size_t	j, nd = 0;

				for (j = last; j < end; j++)
					if (!line_blank(&p->lines[j]))
						p->lines[j].drop = 2, nd++;
				page_warn(p, p->lines[next_text(p, last, end)].no,
				    "%zu line(s) after the last post's sources dropped", nd);
			}
			if (finish(p, po, body, next) == -1) {
				skip_post(p, t, "has no text (cut off?)");
				continue;
			}
			if (k + 1 == nh && next == end) {
				size_t	lt = next_text(p, t, end), j;

				for (j = t; j < end; j++)
					if (!line_blank(&p->lines[j]))
						lt = j;
				if (last == 0 && nsrc > 0 && nsrc * 2 >= r->nposts - before)
					skip_post(p, t, "has no 'Source:' line like the others (cut off?)");
				else if (lt + 1 == lastline && p->lines[lt].len > 60 &&
				    !ends_sentence(p->lines[lt].s, p->lines[lt].len) &&
				    po->nsources == 0)
					skip_post(p, t, "ends mid-sentence at the end of the page (cut off?)");
			}
		}
	}
	return 0;
}

/* The date of an undated page's post: its first source date, else a date in a link. */
static int
date_from_sources(struct import_post *po)
{
	size_t	i;
	int	y, m, d;

	for (i = 0; i < po->nsources; i++) {
		if (po->sources[i].date != NULL &&
		    sscanf(po->sources[i].date, "%d-%d-%d", &y, &m, &d) == 3) {
			set_date(po, y, m, d);
			return 0;
		}
	}
	for (i = 0; i < po->nsources; i++) {
		if (po->sources[i].url != NULL && date_in_url(po->sources[i].url, &y, &m, &d)) {
			set_date(po, y, m, d);
			return 0;
		}
	}
	return -1;
}

/*
 * Undated pages: a title, the text, then a "Source:" block that ends the
 * post. Text after the last block with no block of its own is a post cut
 * off. Returns -1 when no post ends with a source block.
 */
int
split_undated(struct page *p, size_t first)
{
	struct import_result	*r = p->res;
	struct import_post	*po;
	size_t			 t, s, body, end, found = 0;

	for (t = next_text(p, first, p->n); t < p->n; t = next_text(p, end, p->n)) {
		for (s = t + 1; s < p->n; s++)
			if (!p->lines[s].drop && source_label(p->lines[s].s, NULL))
				break;
		if (s >= p->n) {
			if (found > 0) {
				page_warn(p, p->lines[t].no, "post '%.80s' has no 'Source:' block "
				    "(cut off?); skipped", p->lines[t].s);
				r->nskipped++;
			}
			break;
		}
		end = source_block(p, NULL, s, p->n);
		if (p->lines[t].len > 250 || (p->lines[t].s[p->lines[t].len - 1] == '.' &&
		    found == 0) || source_label(p->lines[t].s, NULL)) {
			page_warn(p, p->lines[t].no, "text before the first title is the end of a "
			    "post cut off; skipped");
			r->nskipped++;
			found++;
			continue;
		}
		found++;
		po = new_post(p, t);
		p->lines[t].drop = 1;
		body = post_head(p, po, t + 1, s);
		source_block(p, po, s, p->n);
		post_sources(p, po, body, s);
		if (date_from_sources(po) == -1) {
			skip_post(p, t, "has no date in its sources");
			continue;
		}
		if (finish(p, po, body, s) == -1)
			skip_post(p, t, "has no text");
	}
	return found > 0 ? 0 : -1;
}
