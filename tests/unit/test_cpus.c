/* test_cpus.c: the processors a build may use: affinity mask and cgroup CPU quotas */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "util/cpus.h"

static char	dir[] = "/tmp/folio-test-cpus.XXXXXX";

/* write TEXT into dir/NAME, making the folders on the way */
static void
put(const char *name, const char *text)
{
	char	path[512];
	FILE	*f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	sh("mkdir -p \"$(dirname '%s')\"", path);
	if ((f = fopen(path, "w")) == NULL) {
		perror(path);
		exit(2);
	}
	fputs(text, f);
	fclose(f);
}

/* the quota for a /proc/self/cgroup of SELF, the hierarchy under dir/ROOT */
static int
quota(const char *self, const char *root)
{
	char	s[512], r[512];

	snprintf(s, sizeof(s), "%s/self", dir);
	snprintf(r, sizeof(r), "%s/%s", dir, root);
	put("self", self);
	return cpus_quota(s, r);
}

static void
test_v2(void)
{
	put("v2/docker/abc/cpu.max", "200000 100000\n");
	CHECK(quota("0::/docker/abc\n", "v2") == 2);
	put("v2/docker/abc/cpu.max", "150000 100000\n");
	CHECK(quota("0::/docker/abc\n", "v2") == 2);	/* 1.5 CPUs: two threads */
	put("v2/docker/abc/cpu.max", "50000 100000\n");
	CHECK(quota("0::/docker/abc\n", "v2") == 1);
	put("v2/docker/abc/cpu.max", "max 100000\n");
	CHECK(quota("0::/docker/abc\n", "v2") == 0);
	put("v2/docker/abc/cpu.max", "garbage\n");
	CHECK(quota("0::/docker/abc\n", "v2") == 0);
	/* a container: its own cgroup named "/", the quota at the root */
	put("v2/cpu.max", "300000 100000\n");
	CHECK(quota("0::/\n", "v2") == 3);
	/* the path it names is not mounted here: the root's quota */
	CHECK(quota("0::/elsewhere\n", "v2") == 3);
}

static void
test_v1(void)
{
	put("v1/cpu,cpuacct/job/cpu.cfs_quota_us", "100000\n");
	put("v1/cpu,cpuacct/job/cpu.cfs_period_us", "100000\n");
	CHECK(quota("12:memory:/job\n4:cpu,cpuacct:/job\n1:name=systemd:/job\n", "v1") == 1);
	put("v1/cpu,cpuacct/job/cpu.cfs_quota_us", "-1\n");
	CHECK(quota("4:cpu,cpuacct:/job\n", "v1") == 0);
	/* "cpuacct" or "cpuset" alone is not "cpu" */
	put("v1/cpuset/job/cpu.cfs_quota_us", "100000\n");
	put("v1/cpuset/job/cpu.cfs_period_us", "100000\n");
	CHECK(quota("3:cpuset:/job\n2:cpuacct:/job\n", "v1") == 0);
	/* mounted as cpu/ alone */
	put("v1/cpu/other/cpu.cfs_quota_us", "400000\n");
	put("v1/cpu/other/cpu.cfs_period_us", "100000\n");
	CHECK(quota("4:cpu:/other\n", "v1") == 4);
	/* the root's, when the named one is not there */
	put("v1/cpu/cpu.cfs_quota_us", "200000\n");
	put("v1/cpu/cpu.cfs_period_us", "100000\n");
	CHECK(quota("4:cpu,cpuacct:/gone\n", "v1") == 2);
}

static void
test_odd_files(void)
{
	char	s[512];

	snprintf(s, sizeof(s), "%s/none", dir);
	CHECK(cpus_quota(s, s) == 0);	/* no /proc/self/cgroup, no hierarchy */
	CHECK(quota("not a cgroup line\n::\n:\n", "empty") == 0);
	put("long", "");
	{
		char	*big = malloc(10000);

		memset(big, 'a', 9999);
		big[9999] = '\0';
		memcpy(big, "0::/", 4);
		CHECK(quota(big, "v2") == 3);	/* a path longer than a line buffer: the root's */
		free(big);
	}
}

/* with the process bound to one CPU, one CPU is available */
static void
test_affinity(void)
{
	cpu_set_t	one;
	int		n;

	CPU_ZERO(&one);
	CPU_SET(sched_getcpu() >= 0 ? sched_getcpu() : 0, &one);
	if (sched_setaffinity(0, sizeof(one), &one) != 0) {
		perror("sched_setaffinity");
		CHECK(0);
		return;
	}
	n = cpus_available();
	CHECK(n == 1);
	CHECK(cpus_available() == n);	/* read once */
}

int
main(void)
{
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 2;
	}
	test_v2();
	test_v1();
	test_odd_files();
	test_affinity();
	sh("rm -rf '%s'", dir);
	return check_done();
}
