/* cpus.c: how many processors this process may use */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util/cpus.h"

static int		ncpus;
static pthread_once_t	once = PTHREAD_ONCE_INIT;

/* ceil(quota / period), or 0 when there is no quota */
static int
share(long long quota, long long period)
{
	return quota > 0 && period > 0 ? (int)((quota + period - 1) / period) : 0;
}

/* cgroup v2: DIR/cpu.max holds "max 100000" or "200000 100000" (2 CPUs) */
static int
quota_v2(const char *dir)
{
	char		 path[4200], max[32];
	long long	 quota = 0, period = 0;
	FILE		*f;

	snprintf(path, sizeof(path), "%s/cpu.max", dir);
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	if (fscanf(f, "%31s %lld", max, &period) != 2 || sscanf(max, "%lld", &quota) != 1)
		quota = 0;	/* "max": no quota */
	fclose(f);
	return share(quota, period);
}

/* cgroup v1: DIR/cpu.cfs_quota_us (-1: none) and DIR/cpu.cfs_period_us */
static int
quota_v1(const char *dir)
{
	char		 path[4200];
	long long	 v[2] = { 0, 0 };
	const char	*names[2] = { "cpu.cfs_quota_us", "cpu.cfs_period_us" };
	FILE		*f;
	int		 i;

	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if ((f = fopen(path, "r")) == NULL)
			return 0;
		if (fscanf(f, "%lld", &v[i]) != 1)
			v[i] = 0;
		fclose(f);
	}
	return share(v[0], v[1]);
}

/* Does the comma-separated list of controllers name "cpu"? */
static int
names_cpu(const char *list, size_t len)
{
	const char	*p = list, *end = list + len;

	while (p < end) {
		const char	*comma = memchr(p, ',', (size_t)(end - p));
		size_t		 n = comma ? (size_t)(comma - p) : (size_t)(end - p);

		if (n == 3 && memcmp(p, "cpu", 3) == 0)
			return 1;
		p += n + 1;
	}
	return 0;
}

/*
 * The quota of this process's own cgroup, from SELF_CGROUP (/proc/self/cgroup:
 * "0::/path" for v2, "4:cpu,cpuacct:/path" for v1) under ROOT
 * (/sys/fs/cgroup), else the one at ROOT itself (what a container sees of
 * its own).
 */
int
cpus_quota(const char *self_cgroup, const char *root)
{
	FILE	*f = fopen(self_cgroup, "r");
	char	 line[4096], dir[4200];
	int	 n = 0;

	if (f != NULL) {
		while (n == 0 && fgets(line, sizeof(line), f) != NULL) {
			char	*ctl = strchr(line, ':'), *path;

			if (ctl == NULL || (path = strchr(++ctl, ':')) == NULL)
				continue;
			line[strcspn(line, "\n")] = '\0';
			if (strcmp(path + 1, "/") == 0)
				path[1] = '\0';	/* the root: no "//" */
			if (path == ctl) {
				snprintf(dir, sizeof(dir), "%s%s", root, path + 1);
				n = quota_v2(dir);
			} else if (names_cpu(ctl, (size_t)(path - ctl))) {
				snprintf(dir, sizeof(dir), "%s/%.*s%s", root, (int)(path - ctl), ctl, path + 1);
				n = quota_v1(dir);
				if (n == 0) {
					snprintf(dir, sizeof(dir), "%s/cpu%s", root, path + 1);
					n = quota_v1(dir);
				}
			}
		}
		fclose(f);
	}
	if (n == 0)
		n = quota_v2(root);
	if (n == 0) {
		snprintf(dir, sizeof(dir), "%s/cpu", root);
		n = quota_v1(dir);
	}
	return n;
}

static void
count(void)
{
	cpu_set_t	set;
	long		online = sysconf(_SC_NPROCESSORS_ONLN);
	int		quota;

	ncpus = online > 0 ? (int)online : 1;
	if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0 &&
	    CPU_COUNT(&set) < ncpus)
		ncpus = CPU_COUNT(&set);
	quota = cpus_quota("/proc/self/cgroup", "/sys/fs/cgroup");
	if (quota > 0 && quota < ncpus)
		ncpus = quota;
}

int
cpus_available(void)
{
	pthread_once(&once, count);
	return ncpus;
}
