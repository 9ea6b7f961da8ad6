/* cpus.h: how many processors this process may use */
#ifndef FOLIO_CPUS_H
#define FOLIO_CPUS_H

/*
 * The processors the process may run on (its affinity mask, as taskset or
 * a cpuset sets it), fewer when its cgroup's CPU quota (cpu.max, as
 * `docker --cpus` sets it) allows less, and at least 1. Read once.
 */
int	 cpus_available(void);

/*
 * The whole CPUs (rounded up) that the CPU quota of the cgroup named in
 * SELF_CGROUP (a /proc/PID/cgroup file) allows, cgroup v2 or v1, its
 * hierarchy mounted at ROOT (/sys/fs/cgroup); 0 when there is none.
 */
int	 cpus_quota(const char *self_cgroup, const char *root);

#endif
