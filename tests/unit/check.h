/* check.h: the unit-test harness. CHECK(expr) counts a pass or prints where it failed. */
#ifndef CHECK_H
#define CHECK_H

#include <stdio.h>

static int	check_passed, check_failed;

#define CHECK(expr) do {						\
	if (expr)							\
		check_passed++;						\
	else {								\
		check_failed++;						\
		printf("%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #expr); \
	}								\
} while (0)

/* Last line of every unit-test program; scripts/run-tests adds them up. */
static inline int
check_done(void)
{
	printf("%d passed, %d failed\n", check_passed, check_failed);
	return check_failed ? 1 : 0;
}

#endif
