/*
 * test_quickdiff.c: an edit's lines counted without a diff are the ones
 * libgit2's diff counts, for random edits of random texts made of few
 * distinct lines (so that lines repeat, and the diff has choices to make),
 * with and without front matter, a last line without its newline, CRs and
 * lines that begin with "---".
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "check.h"
#include "folio.h"
#include "git/gitint.h"
#include "util/buf.h"

static uint64_t	rng = 0x9e3779b97f4a7c15ULL;

static unsigned
roll(unsigned n)
{
	return check_roll(&rng, n);
}

static const char *const body_lines[] = {
	"A paragraph.\n", "Another paragraph, longer than the first.\n", "\n", "\n",
	"## A heading\n", "- an item\n", "> a quote\n", "Windows line.\r\n", "---\n",
	"--- not a fence\n", "x\n",
};
static const char *const meta_lines[] = {
	"title: A title\n", "tags: [china]\n", "tags: [china, spying]\n", "author: B\n",
	"date: 2020-01-01\n", "---\n",
};

#define NLINES	24

struct text {
	const char	*line[NLINES * 2];
	size_t		 n;
	int		 open_end;	/* the last line lacks its '\n' */
};

static const char *
any(const char *const *v, size_t n)
{
	return v[roll((unsigned)n)];
}

static void
text_random(struct text *t)
{
	size_t	i, fm = roll(3) ? 1 + roll(4) : 0, body = roll(NLINES - 6);

	t->n = 0;
	if (fm > 0) {
		t->line[t->n++] = "---\n";
		for (i = 0; i < fm; i++)
			t->line[t->n++] = any(meta_lines, 5);	/* no fence inside */
		t->line[t->n++] = "---\n";
	}
	for (i = 0; i < body; i++)
		t->line[t->n++] = any(body_lines, sizeof(body_lines) / sizeof(*body_lines));
	t->open_end = roll(8) == 0;
}

/* One to three of: a line replaced, lines added, lines removed; sometimes the last newline. */
static void
text_edit(struct text *t)
{
	size_t	ops = 1 + roll(3), i, at, k;

	while (ops-- > 0) {
		at = t->n ? roll((unsigned)t->n + 1) : 0;
		switch (roll(4)) {
		case 0:	/* replace */
			if (at < t->n)
				t->line[at] = roll(2) ? any(meta_lines, 6) :
				    any(body_lines, sizeof(body_lines) / sizeof(*body_lines));
			break;
		case 1:	/* add */
			for (k = 1 + roll(3); k > 0 && t->n < NLINES * 2; k--) {
				memmove(&t->line[at + 1], &t->line[at], (t->n - at) * sizeof(*t->line));
				t->line[at] = roll(2) ? any(meta_lines, 6) :
				    any(body_lines, sizeof(body_lines) / sizeof(*body_lines));
				t->n++;
			}
			break;
		case 2:	/* remove */
			for (k = 1 + roll(3); k > 0 && at < t->n; k--) {
				for (i = at; i + 1 < t->n; i++)
					t->line[i] = t->line[i + 1];
				t->n--;
			}
			break;
		default:
			t->open_end = !t->open_end;
		}
	}
}

static void
text_write(const struct text *t, struct buf *b)
{
	size_t	i;

	b->len = 0;
	for (i = 0; i < t->n; i++)
		buf_puts(b, t->line[i]);
	if (t->open_end && b->len > 0 && b->data[b->len - 1] == '\n')
		b->len--;
}

/* Quick and libgit2's answers agree; 1 when the quick one answered. */
static int
agree(const char *old, size_t oldlen, const char *new, size_t newlen)
{
	struct file_change	 quick = { .kind = CHANGE_EDITED }, diff = { .kind = CHANGE_EDITED };
	struct line_change	 lc;
	int			 answered = quick_line_change(old, oldlen, new, newlen, &lc) == 0;

	if (edit_line_stats(old, oldlen, new, newlen, 1, &quick) != 0 ||
	    edit_line_stats(old, oldlen, new, newlen, 0, &diff) != 0 ||
	    quick.added != diff.added || quick.removed != diff.removed || quick.kind != diff.kind) {
		printf("old:\n[%.*s]\nnew:\n[%.*s]\nquick +%zu -%zu kind %d, diff +%zu -%zu kind %d\n",
		    (int)oldlen, old, (int)newlen, new, quick.added, quick.removed, (int)quick.kind,
		    diff.added, diff.removed, (int)diff.kind);
		return -1;
	}
	return answered;
}

static void
test_random_edits(void)
{
	struct text	 t;
	struct buf	 a, b;
	size_t		 i, runs = 40000, answered = 0, failed = 0, meta = 0;
	int		 r;

	buf_init(&a);
	buf_init(&b);
	for (i = 0; i < runs; i++) {
		text_random(&t);
		text_write(&t, &a);
		text_edit(&t);
		text_write(&t, &b);
		buf_putc(&a, '\0');	/* (room for printing; not part of the text) */
		buf_putc(&b, '\0');
		r = agree(a.data, a.len - 1, b.data, b.len - 1);
		if (r < 0 && ++failed > 5)
			break;
		answered += r == 1;
		if (r == 1) {
			struct file_change fc = { .kind = CHANGE_EDITED };

			(void)edit_line_stats(a.data, a.len - 1, b.data, b.len - 1, 1, &fc);
			meta += fc.kind == CHANGE_META;
		}
	}
	CHECK(failed == 0);
	/* the quick answer is the usual one, front matter edits included */
	CHECK(answered > runs / 3);
	CHECK(meta > runs / 100);
	printf("quickdiff: %zu of %zu edits counted without a diff, %zu of them in the front matter\n",
	    answered, runs, meta);
	buf_free(&a);
	buf_free(&b);
}

/* Cases a random edit may miss, each with what git's diff says. */
static void
test_cases(void)
{
	static const struct {
		const char	*old, *new;
		size_t		 added, removed;
		int		 quick;		/* quick_line_change() answers */
		size_t		 oldlen, newlen;	/* 0: up to the NUL */
	} c[] = {
		{ "", "", 0, 0, 1, 0, 0 },
		{ "a\n", "a\n", 0, 0, 1, 0, 0 },
		{ "a", "a\n", 1, 1, 1, 0, 0 },		/* the newline added: the line changed */
		{ "a\nb", "a\nb\n", 1, 1, 1, 0, 0 },
		{ "a\n", "a\na\n", 1, 0, 1, 0, 0 },
		{ "a\na\n", "a\n", 0, 1, 1, 0, 0 },
		{ "a\nx\n", "b\nx\n", 1, 1, 1, 0, 0 },
		{ "a\nx", "b\nx", 1, 1, 1, 0, 0 },	/* the shared end has no newline */
		{ "p\n\nq\n", "r\n\ns\n", 2, 2, 0, 0, 0 },	/* the blank line: a diff's work */
		{ "a\0b\n", "a\0c\n", 0, 0, 0, 4, 4 },	/* binary to git: no lines */
	};
	struct file_change	 fc;
	struct line_change	 lc;
	size_t			 i, ol, nl;

	for (i = 0; i < sizeof(c) / sizeof(*c); i++) {
		ol = c[i].oldlen ? c[i].oldlen : strlen(c[i].old);
		nl = c[i].newlen ? c[i].newlen : strlen(c[i].new);
		memset(&fc, 0, sizeof(fc));
		fc.kind = CHANGE_EDITED;
		CHECK(edit_line_stats(c[i].old, ol, c[i].new, nl, 1, &fc) == 0 &&
		    fc.added == c[i].added && fc.removed == c[i].removed);
		CHECK((quick_line_change(c[i].old, ol, c[i].new, nl, &lc) == 0) == c[i].quick);
		CHECK(agree(c[i].old, ol, c[i].new, nl) >= 0);
	}
}

/* Where the change lies; a fence removed or added, which the diff may slide the change over. */
static void
test_place(void)
{
	struct line_change	lc;
	const char		*old = "---\ntitle: A\n---\nOne.\nTwo.\n";
	const char		*new = "---\ntitle: A\ntags: [x]\n---\nOne.\nTwo.\n";
	struct file_change	fc = { .kind = CHANGE_EDITED };

	CHECK(quick_line_change(old, strlen(old), new, strlen(new), &lc) == 0 &&
	    lc.line == 2 && lc.old_lines == 0 && lc.new_lines == 1);
	CHECK(edit_line_stats(old, strlen(old), new, strlen(new), 1, &fc) == 0 &&
	    fc.kind == CHANGE_META && fc.added == 1 && fc.removed == 0);
	/* a fence removed, or one added next to the closing one */
	new = "---\ntitle: A\nOne.\nTwo.\n";
	CHECK(agree(old, strlen(old), new, strlen(new)) == 1);
	new = "---\ntitle: A\n---\n---\nOne.\nTwo.\n";
	CHECK(agree(old, strlen(old), new, strlen(new)) == 1);
	new = "---\n---\ntitle: A\n---\nOne.\nTwo.\n";
	CHECK(agree(old, strlen(old), new, strlen(new)) == 1);
}

/*
 * Short texts of few lines, "---" among them, edited next to the fences:
 * where the diff slides a change is its choice, and the verdict "in the
 * front matter" must not depend on it.
 */
static void
test_fence_edits(void)
{
	static const char *const pool[] = { "---\n", "---\n", "a\n", "b\n", "a\n", "---  \n", "c\n", "\n" };
	const char	*v[48];
	struct buf	 a, b;
	size_t		 i, n, m, at, k, runs = 200000, answered = 0, meta = 0, failed = 0;
	int		 r;

	buf_init(&a);
	buf_init(&b);
	for (i = 0; i < runs && failed < 5; i++) {
		n = 0;
		v[n++] = "---\n";
		for (k = roll(4); k > 0; k--)
			v[n++] = pool[roll(8)];
		v[n++] = "---\n";
		for (k = roll(6); k > 0; k--)
			v[n++] = pool[roll(8)];
		a.len = 0;
		for (k = 0; k < n; k++)
			buf_puts(&a, v[k]);
		for (m = n, k = 1 + roll(2); k > 0; k--) {
			at = roll((unsigned)m + 1);
			if (roll(2) && m < 47) {
				memmove(&v[at + 1], &v[at], (m - at) * sizeof(*v));
				v[at] = pool[roll(8)];
				m++;
			} else if (at < m) {
				memmove(&v[at], &v[at + 1], (m - at - 1) * sizeof(*v));
				m--;
			}
		}
		b.len = 0;
		for (k = 0; k < m; k++)
			buf_puts(&b, v[k]);
		buf_putc(&a, '\0');
		buf_putc(&b, '\0');
		if ((r = agree(a.data, a.len - 1, b.data, b.len - 1)) < 0)
			failed++;
		if (r == 1) {
			struct file_change fc = { .kind = CHANGE_EDITED };

			answered++;
			(void)edit_line_stats(a.data, a.len - 1, b.data, b.len - 1, 1, &fc);
			meta += fc.kind == CHANGE_META;
		}
	}
	CHECK(failed == 0);
	CHECK(answered > runs / 4 && meta > runs / 50);
	printf("quickdiff: %zu of %zu edits near fences counted without a diff, %zu in the front matter\n",
	    answered, runs, meta);
	buf_free(&a);
	buf_free(&b);
}

int
main(void)
{
	git_libgit2_init();
	test_cases();
	test_place();
	test_random_edits();
	test_fence_edits();
	git_libgit2_shutdown();
	return check_done();
}
