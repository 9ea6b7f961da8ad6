/* check.h: the unit-test harness. CHECK(expr) counts a pass or prints where it failed. */
#ifndef CHECK_H
#define CHECK_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static int	check_passed, check_failed;

#define CHECK(expr) do {						\
	if (expr)							\
		check_passed++;						\
	else {								\
		check_failed++;						\
		printf("%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #expr); \
	}								\
} while (0)

/* Run a shell command made like printf's arguments; its exit status as system() gives it. */
static inline int	sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static inline int
sh(const char *fmt, ...)
{
	char	cmd[2048];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

/* A number below n from the xorshift state *rng: random tests that give the same cases every run. */
static inline unsigned
check_roll(uint64_t *rng, unsigned n)
{
	*rng ^= *rng << 13;
	*rng ^= *rng >> 7;
	*rng ^= *rng << 17;
	return (unsigned)(*rng % n);
}

/* Last line of every unit-test program; scripts/run-tests adds them up. */
static inline int
check_done(void)
{
	printf("%d passed, %d failed\n", check_passed, check_failed);
	return check_failed ? 1 : 0;
}

#endif
