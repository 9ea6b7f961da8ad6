/* test_buf.c: the cache-line formatters of buf.c say what printf would, and parse_hex64 reads
 * back what strtoull would; HTML escaping */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "util/buf.h"
#include "util/fsutil.h"

static const uint64_t	values[] = {
	0, 1, 9, 10, 15, 16, 255, 256, 0xabcdef, 0x7fffffff, 0x80000000, 0xffffffff,
	0x100000000ULL, 0x0123456789abcdefULL, 0x8000000000000000ULL, UINT64_MAX,
};

/* buf_put_hex and buf_put_hex64 against "%" PRIx64 and "%016" PRIx64, in a buffer with text before */
static void
check_hex(uint64_t v)
{
	struct buf	b;
	char		want[64];

	buf_init(&b);
	buf_puts(&b, "P ");
	buf_put_hex(&b, v);
	snprintf(want, sizeof(want), "P %" PRIx64, v);
	CHECK(strcmp(b.data, want) == 0);
	CHECK(b.len == strlen(want));
	buf_reset(&b);
	buf_put_hex64(&b, v);
	snprintf(want, sizeof(want), "%016" PRIx64, v);
	CHECK(strcmp(b.data, want) == 0);
	buf_free(&b);
}

/* parse_hex64 on s: strtoull's value and end, for at most 16 digits */
static void
check_parse(const char *s)
{
	char		*end, *want_end;
	uint64_t	 want = strtoull(s, &want_end, 16);

	CHECK(parse_hex64(s, &end) == want && end == want_end);
}

static void
check_dec(uint64_t v)
{
	char	got[32], want[32];

	*fmt_u64(got, v) = '\0';
	snprintf(want, sizeof(want), "%" PRIu64, v);
	CHECK(strcmp(got, want) == 0);
	*fmt_i64(got, (int64_t)v) = '\0';
	snprintf(want, sizeof(want), "%" PRId64, (int64_t)v);
	CHECK(strcmp(got, want) == 0);
	*fmt_i64(got, -(int64_t)(v >> 1)) = '\0';
	snprintf(want, sizeof(want), "%" PRId64, -(int64_t)(v >> 1));
	CHECK(strcmp(got, want) == 0);
}

/* buf_put_escaped: the five characters, at either end, together, and bytes that are not ASCII */
#define CHECK_ESCAPED(in, len, want)	check_escaped(in, len, want, sizeof(want) - 1)

static void
check_escaped(const char *in, size_t len, const char *want, size_t wantlen)
{
	struct buf	b;

	buf_init(&b);
	buf_puts(&b, ">");
	buf_put_escaped(&b, in, len);
	CHECK(b.len == wantlen + 1 && memcmp(b.data + 1, want, wantlen) == 0 && b.data[b.len] == '\0');
	buf_free(&b);
}

/*
 * text_seal() and text_unseal(): the caches' "sum <16 hex digits>" and
 * "end" lines. The sum is read with parse_hex64(): 16 digits exactly, no
 * space or sign before them as strtoull() would have taken.
 */
static void
check_seal(void)
{
	struct buf	b;
	char		text[64], *sum, was;
	size_t		len;
	int		i;

	buf_init(&b);
	buf_puts(&b, "folio-test 1\nline two\n");
	len = b.len;
	text_seal(&b);
	CHECK(text_unseal(b.data, b.len) == (long long)len);
	sum = b.data + len + 4;
	was = sum[7];
	sum[7] = was == '0' ? '1' : '0';		/* one digit of the sum */
	CHECK(text_unseal(b.data, b.len) == -1);
	sum[7] = was;
	CHECK(text_unseal(b.data, b.len) == (long long)len);
	CHECK(text_unseal(b.data, b.len - 1) == -1);	/* cut */
	/* a sum whose first digit is 0, written as a space: strtoull() read the same value */
	for (i = 0; ; i++) {
		snprintf(text, sizeof(text), "x%d\n", i);
		if (hash64(text, strlen(text)) >> 60 == 0)
			break;
	}
	buf_reset(&b);
	buf_puts(&b, text);
	len = b.len;
	text_seal(&b);
	CHECK(b.data[len + 4] == '0' && text_unseal(b.data, b.len) == (long long)len);
	b.data[len + 4] = ' ';
	CHECK(text_unseal(b.data, b.len) == -1);
	buf_free(&b);
}

int
main(void)
{
	size_t		i;
	uint64_t	v;

	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		check_hex(values[i]);
		check_dec(values[i]);
	}
	/* every width of hex number */
	for (v = 1, i = 0; i < 64; i++, v <<= 1) {
		check_hex(v);
		check_hex(v - 1);
	}
	check_dec((uint64_t)INT64_MIN);
	/* every number of digits, at its edges, and random numbers of every size */
	for (v = 1, i = 0; i < 20; i++, v *= 10) {
		check_dec(v - 1);
		check_dec(v);
		check_dec(v + 1);
	}
	{
		uint64_t	rng = 0x9e3779b97f4a7c15ULL;

		for (i = 0; i < 3000; i++)
			check_dec(((uint64_t)check_roll(&rng, 1u << 31) << 33 ^ check_roll(&rng, 1u << 31)) >>
			    check_roll(&rng, 64));
	}
	/* the hex reader: what the formatters write, in either case, and where it stops */
	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		char	s[40], *end;

		snprintf(s, sizeof(s), "%016" PRIx64 " rest", values[i]);
		check_parse(s);
		snprintf(s, sizeof(s), "%" PRIX64 "\n", values[i]);
		check_parse(s);
		snprintf(s, sizeof(s), "%" PRIx64, values[i]);
		check_parse(s);
		/* a 17th digit is left for the caller to refuse */
		snprintf(s, sizeof(s), "%016" PRIx64 "7", values[i]);
		CHECK(parse_hex64(s, &end) == values[i] && end == s + 16);
	}
	{
		char	*end;
		const char *none = " 12";

		CHECK(parse_hex64(none, &end) == 0 && end == none);	/* no digit: end is s */
		CHECK(parse_hex64("g1", &end) == 0 && *end == 'g');
		check_parse("fF0 ");
	}
	CHECK_ESCAPED("", 0, "");
	CHECK_ESCAPED("plain text", 10, "plain text");
	CHECK_ESCAPED("&<>\"'", 5, "&amp;&lt;&gt;&quot;&#39;");
	CHECK_ESCAPED("a&b<c>d\"e'f", 11, "a&amp;b&lt;c&gt;d&quot;e&#39;f");
	CHECK_ESCAPED("<p>caf\xc3\xa9 \xef\xbf\xbd</p>", 16, "&lt;p&gt;caf\xc3\xa9 \xef\xbf\xbd&lt;/p&gt;");
	CHECK_ESCAPED("cut&here", 3, "cut");	/* len, not the NUL, ends it */
	CHECK_ESCAPED("a\0<b", 4, "a\0&lt;b");
	check_seal();
	return check_done();
}
