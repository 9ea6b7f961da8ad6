/*
 * test_text.c: utf8_check() finds the first invalid byte as a byte-by-byte
 * walk with utf8_decode() does, wherever it lies against the eight-byte
 * steps of its ASCII runs.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "util/text.h"

static uint64_t	rng = 0x2545f4914f6cdd1dULL;

static unsigned
roll(unsigned n)
{
	return check_roll(&rng, n);
}

static size_t
check_slowly(const char *s, size_t len)
{
	size_t		i = 0, n;
	uint32_t	cp;

	while (i < len) {
		if ((n = utf8_decode(s + i, len - i, &cp)) == 0)
			return i;
		i += n;
	}
	return len;
}

int
main(void)
{
	static const char *const pieces[] = {
		"a", "plain text ", "0123456789abcdef", "é", "Łódź", "中文", "😀", "\n",
		"\x80", "\xc3", "\xe4\xb8", "\xf0\x9f\x98", "\xff", "\xc0\xaf", "\xed\xa0\x80",
	};
	char	s[256];
	size_t	i, len, k, bad = 0, invalid = 0;

	CHECK(utf8_check("", 0) == 0);
	CHECK(utf8_check("abcdefghijklmnop", 16) == 16);
	CHECK(utf8_check("abcdefgh\xffijklmnop", 17) == 8);
	CHECK(utf8_check("abcdefg\xc3", 8) == 7);		/* cut at the end */
	for (i = 0; i < 200000; i++) {
		len = 0;
		for (k = roll(12); k > 0; k--) {
			/* mostly valid: an invalid piece one time in six */
			const char *p = pieces[roll(6) ? roll(8) : 8 + roll(7)];
			size_t n = strlen(p);

			if (len + n > sizeof(s))
				break;
			memcpy(s + len, p, n);
			len += n;
		}
		if (check_slowly(s, len) != len)
			invalid++;
		if (utf8_check(s, len) != check_slowly(s, len) && bad++ < 5)
			printf("utf8_check: %zu, byte by byte %zu, on [%.*s]\n", utf8_check(s, len),
			    check_slowly(s, len), (int)len, s);
	}
	CHECK(bad == 0);
	CHECK(invalid > 10000 && invalid < 190000);	/* both kinds were tried */
	return check_done();
}
