/* test_import.c: dates, page splitting and front matter of folio import */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "folio.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/diag.h"
#include "content/content.h"
#include "import/import.h"
#include "import/impl.h"

static void
test_dates(void)
{
	struct date_match	dm;
	int			y, m, d;

	CHECK(date_line("mardi 3 d\xc3\xa9" "cembre 2019", &dm) && dm.y == 2019 && dm.m == 12 &&
	    dm.d == 3 && dm.weekday && dm.french);
	CHECK(date_line("Wednesday, May 8, 2024", &dm) && dm.m == 5 && dm.d == 8 && !dm.french);
	CHECK(date_line("1er ao\xc3\xbbt 2021", &dm) && dm.m == 8 && dm.d == 1);
	CHECK(date_line("Samedi 28 Juillet 2018", &dm) && dm.m == 7);
	CHECK(date_line("MAY 7 2024", &dm) && dm.upper && dm.form == DATE_MDY);
	CHECK(date_line("29/04/2020", &dm) && dm.form == DATE_NUMERIC);
	CHECK(date_numeric(&dm, 1, &y, &m, &d) && m == 4 && d == 29);
	CHECK(!date_numeric(&dm, -1, &y, &m, &d));
	CHECK(date_line("08/04/2020", &dm) && date_numeric(&dm, -1, &y, &m, &d) && m == 8 && d == 4);
	CHECK(date_line("2021-02-30", &dm) == 0);
	CHECK(date_line("31/02/2020", &dm) == 0);
	CHECK(date_line("Tuesday March 2 stating", &dm) == 0);
	CHECK(date_find("Source: Outlet, October 22, 2021", &dm) && dm.y == 2021 && dm.m == 10);
	CHECK(date_find("Sept. 21 (Wire)", &dm) == 0);
	CHECK(date_in_url("https://example.org/a/2021/01/25/b", &y, &m, &d) && d == 25);
	CHECK(date_in_url("https://example.org/tech/2021-02-20/doc-x.shtml", &y, &m, &d) && m == 2);
	CHECK(date_in_url("https://example.org/202102210114.aspx", &y, &m, &d) == 0);
}

static const char page_text[] =
    "\xef\xbb\xbfShowing posts with label Ports. Show all posts\r\n\r\n"
    "Friday, June 4, 2021\r\n\r\nA title: with a colon\r\n\r\n"
    "The original headline\r\nBy Ann Lee and Bo Chen\r\n\r\n"
    "First paragraph of the text.\r\n  \xe2\x80\xa2 one\r\n  \xe2\x80\xa2 two\r\n"
    "# not a heading\r\n\r\n"
    "Thursday, June 3, 2021\r\n\r\nSecond post\r\n\r\nIts text ends here.\r\n"
    "Source: Some Wire\r\n";

static void
test_page(void)
{
	struct arena		*ar = arena_new();
	struct import_result	 r;
	struct import_post	*po;

	CHECK(import_page_text(ar, "dir/page.txt", page_text, sizeof(page_text) - 1, &r) == 0);
	CHECK(r.nposts == 2);
	CHECK(strcmp(r.format, "blogger-label-en") == 0);
	CHECK(r.label && strcmp(r.label, "Ports") == 0);
	if (r.nposts == 2) {
		po = &r.posts[0];
		CHECK(strcmp(po->title, "A title: with a colon") == 0);
		CHECK(po->headline && strcmp(po->headline, "The original headline") == 0);
		CHECK(po->nauthors == 2 && strcmp(po->authors[1], "Bo Chen") == 0);
		CHECK(po->year == 2021 && po->month == 6 && po->day == 4);
		CHECK(strstr(po->body, "- one\n- two\n") != NULL);
		CHECK(strstr(po->body, "\\# not a heading") != NULL);
		CHECK(strchr(po->body, '\r') == NULL);
		CHECK(po->nfrom == 1 && strcmp(po->from[0], "page.txt") == 0);
		po = &r.posts[1];
		CHECK(po->nsources == 1 && strcmp(po->sources[0].name, "Some Wire") == 0);
		CHECK(strstr(po->body, "Source") == NULL);
	}
	CHECK(import_page_text(ar, "x.txt", "just\nsome\nwords\n", 16, &r) == -1 && r.error);
	CHECK(import_page_text(ar, "x.txt", "", 0, &r) == -1);
	CHECK(import_page_text(ar, "x.txt", "\0\0\xff\xfe", 4, &r) == -1);
	arena_free(ar);
}

static void
test_emit(void)
{
	struct article	 a;
	struct buf	 b;
	const char	*tags[] = { "yes", "Foo: bar" };
	struct source	 s = { "Wire #1", "https://example.org/x", "2021-01-02", NULL };

	memset(&a, 0, sizeof(a));
	a.title = "Title: with ' and \" and # signs";
	a.date_str = "2021-01-02";
	a.tags = tags;
	a.ntags = 2;
	a.sources = &s;
	a.nsources = 1;
	buf_init(&b);
	CHECK(frontmatter_emit(&b, &a) == 0);
	CHECK(strncmp(b.data, "---\n", 4) == 0);
	CHECK(b.len > 8 && strcmp(b.data + b.len - 4, "---\n") == 0);
	CHECK(strstr(b.data, "- \"yes\"\n") != NULL);		/* not a boolean */
	CHECK(strstr(b.data, "date: 2021-01-02\n") != NULL);
	CHECK(strstr(b.data, "title: Title: with") == NULL);	/* quoted */
	buf_free(&b);
}

int
main(void)
{
	diag_quiet(1);
	test_dates();
	test_page();
	test_emit();
	return check_done();
}
