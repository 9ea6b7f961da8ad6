/* date.c: calendar dates without the C library's time zone */
#include <ctype.h>
#include <string.h>
#include <time.h>

#include "content/content.h"

/* days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms") */
long long
days_from_civil(int y, int m, int d)
{
	long long	yy = y - (m <= 2);
	long long	era = (yy >= 0 ? yy : yy - 399) / 400;
	long long	yoe = yy - era * 400;
	long long	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long long	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

void
civil_from_days(long long z, int *y, int *m, int *d)
{
	long long	era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int
days_in_month(int y, int m)
{
	static const int	dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

int
date_parse_iso(const char *s, time_t *t, int *yp, int *mp, int *dp)
{
	int	y, m, d, i;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return -1;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return -1;
	if (t)
		*t = (time_t)(days_from_civil(y, m, d) * 86400);
	if (yp)
		*yp = y;
	if (mp)
		*mp = m;
	if (dp)
		*dp = d;
	return 0;
}
