/* scan.c: the article files of a content folder, with their stat
 *
 * The top folder is read on the calling thread; its sub-folders (a year
 * each, in most archives) are walked on threads, since stat-ing ten
 * thousand files is most of a scan. The result is sorted by path, so the
 * order never depends on the threads.
 */
#define _GNU_SOURCE
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "content/content.h"
#include "util/arena.h"
#include "util/cpus.h"
#include "util/diag.h"
#include "util/fsutil.h"

#define SCAN_THREADS	8
#define MAX_DEPTH	32

struct found {
	struct scanned {
		char		 *path;
		struct file_stat  st;
	}	*files;
	size_t	 n, cap;
	uint64_t gitrules;	/* .gitignore and .gitattributes files met: their paths and stat */
};

/* The top folder's sub-folders, shared by the walking threads. */
struct subdirs {
	char		**paths;
	size_t		  n;
	atomic_size_t	  next;
	int		  rc;		/* -1: a walk failed; under lock */
	pthread_mutex_t	  lock;
	struct found	 *into;		/* each thread's finds, appended under lock */
};

static int
is_md(const char *name)
{
	size_t	len = strlen(name);

	return len > 3 && strcmp(name + len - 3, ".md") == 0;
}

static void
queue_subdir(struct subdirs *sd, char *path)
{
	if ((sd->n & (sd->n - 1)) == 0)	/* 0, 1, 2, 4, ...: grow to the next power of two */
		sd->paths = xreallocarray(sd->paths, sd->n ? sd->n * 2 : 1, sizeof(*sd->paths));
	sd->paths[sd->n++] = path;
}

static void
add_file(struct found *f, char *path, const struct stat *st)
{
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 256;
		f->files = xreallocarray(f->files, f->cap, sizeof(*f->files));
	}
	f->files[f->n].path = path;
	f->files[f->n].st.dev = (uint64_t)st->st_dev;
	f->files[f->n].st.ino = (uint64_t)st->st_ino;
	f->files[f->n].st.size = (uint64_t)st->st_size;
	f->files[f->n].st.mtime = st->st_mtim;
	f->files[f->n++].st.ctime = st->st_ctim;
}

/* A .gitignore or .gitattributes file decides what git calls changed: fold in its stat, in any order. */
static void
add_git_rules(struct found *f, DIR *d, const char *dir, const char *name)
{
	struct stat	st;
	uint64_t	h;

	if (strcmp(name, ".gitignore") != 0 && strcmp(name, ".gitattributes") != 0)
		return;
	h = hash64_more(hash64(dir, strlen(dir) + 1), name, strlen(name) + 1);
	f->gitrules ^= fstatat(dirfd(d), name, &st, 0) == 0 ? hash_stat(h, &st) : hash64_more(h, "-", 1);
}

/*
 * Folders are known by d_type where the file system gives it; files are
 * stat-ed relative to their folder. With sd, sub-folders are queued in it
 * instead of walked. p is heap and handed on or freed.
 */
static int
walk(struct found *f, const char *dir, int depth, struct subdirs *sd)
{
	DIR		*d;
	struct dirent	*de;
	struct stat	 st;
	char		*p;
	int		 rc = 0, is_dir;

	if (depth > MAX_DEPTH)
		return diag(dir, 0, "folders nested too deep");
	if ((d = opendir(dir)) == NULL)
		return diag(dir, 0, "cannot read folder: %s", strerror(errno));
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.') {
			add_git_rules(f, d, dir, de->d_name);
			continue;
		}
		if (de->d_type == DT_REG && !is_md(de->d_name))
			continue;
		p = path_join(dir, de->d_name);
		if (!(is_dir = de->d_type == DT_DIR) && fstatat(dirfd(d), de->d_name, &st, 0) == -1) {
			rc = diag(p, 0, "%s", strerror(errno));
			free(p);
			continue;
		}
		if (is_dir || S_ISDIR(st.st_mode)) {
			if (sd != NULL)
				queue_subdir(sd, p);
			else {
				rc |= walk(f, p, depth + 1, NULL);
				free(p);
			}
		} else if (S_ISREG(st.st_mode) && is_md(de->d_name))
			add_file(f, p, &st);
		else
			free(p);
	}
	closedir(d);
	return rc ? -1 : 0;
}

static void *
subdir_worker(void *arg)
{
	struct subdirs	*sd = arg;
	struct found	 f = { NULL, 0, 0, 0 };
	size_t		 i;
	int		 rc = 0;

	while ((i = atomic_fetch_add(&sd->next, 1)) < sd->n)
		rc |= walk(&f, sd->paths[i], 1, NULL);
	pthread_mutex_lock(&sd->lock);
	if (rc)
		sd->rc = -1;
	if (sd->into->n + f.n > sd->into->cap) {
		sd->into->cap = sd->into->n + f.n;
		sd->into->files = xreallocarray(sd->into->files, sd->into->cap, sizeof(*f.files));
	}
	if (f.n)
		memcpy(sd->into->files + sd->into->n, f.files, f.n * sizeof(*f.files));
	sd->into->n += f.n;
	sd->into->gitrules ^= f.gitrules;
	pthread_mutex_unlock(&sd->lock);
	free(f.files);
	return NULL;
}

/* Walk the queued folders on up to one thread a core, this one included. */
static int
walk_subdirs(struct subdirs *sd, struct found *into)
{
	pthread_t	th[SCAN_THREADS];
	int		cores = cpus_available();
	int		i, n = cores > SCAN_THREADS ? SCAN_THREADS : cores, made = 0;

	atomic_init(&sd->next, 0);
	pthread_mutex_init(&sd->lock, NULL);
	sd->into = into;
	if ((size_t)n > sd->n)
		n = (int)sd->n;
	for (i = 1; i < n; i++)
		if (pthread_create(&th[made], NULL, subdir_worker, sd) == 0)
			made++;
	subdir_worker(sd);
	for (i = 0; i < made; i++)
		pthread_join(th[i], NULL);
	pthread_mutex_destroy(&sd->lock);
	for (i = 0; (size_t)i < sd->n; i++)
		free(sd->paths[i]);
	free(sd->paths);
	return sd->rc;
}

static int
cmp_path(const void *a, const void *b)
{
	return strcmp((*(const struct scanned *const *)a)->path, (*(const struct scanned *const *)b)->path);
}

int
content_scan(const char *dir, char ***files, struct file_stat **stats, size_t *n, uint64_t *gitrules)
{
	struct found	  f = { NULL, 0, 0, 0 };
	struct subdirs	  sd;
	struct scanned	**order;
	size_t		  i;
	int		  rc;

	memset(&sd, 0, sizeof(sd));
	rc = walk(&f, dir, 0, &sd);
	if (sd.n)
		rc |= walk_subdirs(&sd, &f);
	order = xreallocarray(NULL, f.n ? f.n : 1, sizeof(*order));	/* sorting pointers moves less */
	for (i = 0; i < f.n; i++)
		order[i] = &f.files[i];
	if (f.n > 1)
		qsort(order, f.n, sizeof(*order), cmp_path);
	*files = xreallocarray(NULL, f.n ? f.n : 1, sizeof(**files));
	if (stats != NULL)
		*stats = xreallocarray(NULL, f.n ? f.n : 1, sizeof(**stats));
	for (i = 0; i < f.n; i++) {
		(*files)[i] = order[i]->path;
		if (stats != NULL)
			(*stats)[i] = order[i]->st;
	}
	free(order);
	free(f.files);
	if (gitrules != NULL)
		*gitrules = f.gitrules;
	*n = f.n;
	return rc ? -1 : 0;
}

void
content_scan_free(char **files, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(files[i]);
	free(files);
}
