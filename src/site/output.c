/* output.c: staged, atomic, incremental writing of the site
 *
 * A build writes into <final>.staging-<pid>. A file whose bytes match the
 * last build's manifest (same hash and size, and the file in <final> still
 * has the size and mtime recorded) is hard-linked from <final> instead of
 * written; a changed file is never a write into a linked one. At the end
 * one renameat2(RENAME_EXCHANGE) swaps staging and <final>.
 *
 * The old tree is not removed (deleting tens of thousands of files costs
 * more than the rest of an incremental build): it is kept as <final>.spare
 * with its own manifest, and the next build starts from it instead of an
 * empty folder. A path whose spare file already holds the right bytes is
 * left alone; a changed one is written over if the spare's file has no
 * other link (so not one shared with <final>), else unlinked and replaced;
 * the spare's files the build does not produce are removed before the
 * swap. The spare manifest is deleted before the spare is touched, so a
 * killed build never trusts a half-updated spare. A failed or killed build
 * never touches <final>.
 */
#define _GNU_SOURCE
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "site/site.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/fsutil.h"
#include "util/sidejob.h"
#include "util/strmap.h"

#define MANIFEST_MAGIC	"folio-manifest 5"

/*
 * A manifest describes one tree: a line per file ("<hash> <size> <mtime_ns>
 * <path>"), a line per folder ("d <mtime_ns> <path>", "." for the top), then
 * "sum <hash of everything before>" and "end": a cut or damaged manifest is
 * never mistaken for a whole one, and no path in it may leave the tree.
 */
struct entry {
	char		*path;		/* in the manifest's text, or the arena in news */
	uint64_t	 hash;
	uint64_t	 size;
	int64_t		 mtime_ns;
	int		 claimed;	/* spare entries: produced by this build */
	int		 ok;		/* spare files: 1 size and mtime as listed, -1 not, 0 not looked at */
};

struct manifest {
	char		*text;		/* heap: the file as read; entries' paths point into it */
	struct strmap	 map;		/* path -> struct entry */
	struct entry	*all;
	size_t		 n;
	struct strmap	 dirmap;	/* folder -> struct entry */
	struct entry	*dirs;
	size_t		 ndirs;
};

struct output {
	char		*final;
	char		*staging;
	char		*manifest_path;
	char		*spare;		/* <final>.spare */
	char		*spare_manifest_path;	/* its second line names final: the site it was */
	char		*prev_manifest_path;	/* during the swap: final's manifest, kept for the spare */
	int		 lockfd;
	void		(*on_swap)(void *);	/* after a good swap, under the lock */
	void		*on_swap_arg;
	pthread_mutex_t	 lock;
	struct manifest	 old;		/* <final> as the last build left it */
	struct manifest	 spares;	/* what staging started with, if a spare */
	int		 from_spare;
	int		 spare_fd;	/* O_PATH of staging while from_spare, else -1: stats inside it walk no prefix */
	int		 spare_changed;	/* a file of the spare was replaced or removed */
	atomic_int	 reshaped;	/* a folder or a file on the way was removed: ok is stale */
	int		 old_known;	/* old describes <final> */
	pthread_t	 prep_thread;	/* open_staging() and the manifests, see output_open() */
	int		 preparing;
	int		 prep_rc;
	atomic_int	 ready;		/* output_ready() was called: the spare's files are left to the pages */
	atomic_int	 folders_open;	/* the spare is staging: its folders may be checked */
	atomic_size_t	 next_folder;	/* the next of spares.dirs to check */
	atomic_int	 folders_failed;	/* a folder could not be swept: staging starts empty */
	struct strmap	 touched;	/* folders of the spare this build changed */
	struct entry	*news;		/* this build */
	size_t		 nnews, capnews;
	struct strmap	 seen;		/* path -> 1: a path written twice is a bug */
	struct arena	*paths;		/* keys of seen and touched, paths of news */
	size_t		 written;	/* under lock */
	int		 failed;
	int		 precompress;
};

static void
manifest_init(struct manifest *m)
{
	memset(m, 0, sizeof(*m));
	strmap_init(&m->map);
	strmap_init(&m->dirmap);
}

static void
manifest_free(struct manifest *m)
{
	free(m->text);
	free(m->all);
	free(m->dirs);
	strmap_free(&m->map);
	strmap_free(&m->dirmap);
	manifest_init(m);
}

static void
push_entry(struct entry **a, size_t *n, const struct entry *e)
{
	if (*n % 1024 == 0)
		*a = xreallocarray(*a, *n + 1024, sizeof(**a));
	(*a)[(*n)++] = *e;
}

static int	safe_path(const char *);

/*
 * The numbers of a manifest line, each ended by a space: by hand, not with
 * strtoull(), as two manifests of 27,000 lines are read every build. 0 and
 * *pp past the space, or -1 (no digit, a sign, too many digits).
 */
static int
get_hex(char **pp, uint64_t *v)
{
	char	*p;

	*v = parse_hex64(*pp, &p);
	if (p == *pp || *p != ' ')	/* a 17th digit is not a space either */
		return -1;
	*pp = p + 1;
	return 0;
}

static int
get_dec(char **pp, const char *limit, uint64_t *v, uint64_t max)
{
	char		*p = *pp;
	uint64_t	 w;
	unsigned	 d;
	int		 n = 0;

	*v = 0;
	/*
	 * Eight digits a step while eight bytes are there (limit: the end of
	 * the text read), as long as 16 digits cannot overflow: a mtime in
	 * nanoseconds has 19.
	 */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	while (n < 16 && limit - p >= 8) {
		memcpy(&w, p, 8);
		if ((((w + 0x4646464646464646ULL) | (w - 0x3030303030303030ULL)) & 0x8080808080808080ULL) != 0)
			break;		/* not eight digits */
		w -= 0x3030303030303030ULL;
		w = w * 10 + (w >> 8);
		w = ((w & 0x000000FF000000FFULL) * (100 + (1000000ULL << 32)) +
		    ((w >> 16) & 0x000000FF000000FFULL) * (1 + (10000ULL << 32))) >> 32;
		*v = *v * 100000000 + (w & 0xffffffff);
		p += 8;
		n += 8;
	}
#else
	(void)limit;
	(void)w;
#endif
	/* 19 digits cannot overflow: only a 20th needs the check (and its division) */
	for (; (d = (unsigned)(unsigned char)*p - '0') <= 9; p++, n++) {
		if (n >= 19 && *v > (max - d) / 10)
			return -1;
		*v = *v * 10 + d;
	}
	if (n == 0 || *v > max || *p != ' ')
		return -1;
	*pp = p + 1;
	return 0;
}

static int
get_i64(char **pp, const char *limit, int64_t *v)
{
	uint64_t	u;
	int		neg = **pp == '-';

	*pp += neg;
	if (get_dec(pp, limit, &u, neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX) == -1)
		return -1;
	*v = neg ? (int64_t)(0 - u) : (int64_t)u;
	return 0;
}

/* Read the manifest at path if it describes the folder dir whole: 0, else -1 and m empty. */
static int
load_manifest(struct manifest *m, const char *path, const char *dir)
{
	char		*text, *line, *next, *end, *stop;
	size_t		 len, i;
	long long	 sealed;
	struct entry	 e;
	int		 rc = -1, isdir;

	if (file_read_quiet(path, &text, &len) == -1)
		return -1;
	/* last two lines: "sum <hash of all before>", "end"; a manifest is a list of paths to
	 * delete and link, so a damaged or doctored one is not read at all */
	if (strlen(text) != len || (sealed = text_unseal(text, len)) == -1)
		goto out;
	text[sealed] = '\0';
	/* line 1: magic; line 2: the output folder it describes */
	line = text;
	if ((next = strchr(line, '\n')) == NULL || strncmp(line, MANIFEST_MAGIC "\n", strlen(MANIFEST_MAGIC) + 1))
		goto out;
	line = next + 1;
	if ((next = strchr(line, '\n')) == NULL)
		goto out;
	*next = '\0';
	if (strcmp(line, dir) != 0)
		goto out;
	memset(&e, 0, sizeof(e));
	stop = text + sealed;
	for (line = next + 1; *line; line = next + 1) {
		if ((next = memchr(line, '\n', (size_t)(stop - line))) == NULL)
			break;		/* a cut last line */
		*next = '\0';
		end = line;
		if ((isdir = line[0] == 'd' && line[1] == ' '))
			end = line + 2;
		else if (get_hex(&end, &e.hash) == -1 || get_dec(&end, text + len, &e.size, UINT64_MAX) == -1)
			break;
		if (get_i64(&end, text + len, &e.mtime_ns) == -1 || *end == '\0')
			break;
		if (!(isdir && strcmp(end, ".") == 0) && !safe_path(end))
			break;
		e.path = end;
		if (isdir)
			push_entry(&m->dirs, &m->ndirs, &e);
		else
			push_entry(&m->all, &m->n, &e);
	}
	if (*line == '\0')	/* every line read */
		rc = 0;
	m->text = text;		/* the paths point into it */
	text = NULL;
	strmap_reserve(&m->map, m->n);
	strmap_reserve(&m->dirmap, m->ndirs);
	for (i = 0; rc == 0 && i < m->n; i++)
		if (strmap_put(&m->map, m->all[i].path, &m->all[i]) != NULL)
			rc = -1;	/* a path twice */
	for (i = 0; rc == 0 && i < m->ndirs; i++)
		if (strmap_put(&m->dirmap, m->dirs[i].path, &m->dirs[i]) != NULL)
			rc = -1;
out:
	free(text);
	if (rc == -1)
		manifest_free(m);
	return rc;
}

static int	clear_path(const char *);

static void
remove_stale_stagings(const char *final)
{
	char		*dir, *base, *slash, *p;
	DIR		*d;
	struct dirent	*de;
	size_t		 blen;

	dir = xstrdup(final);
	if ((slash = strrchr(dir, '/')) != NULL) {
		*slash = '\0';
		base = slash + 1;
		if (*dir == '\0')
			strcpy(dir, "/");
	} else {
		base = dir;
		dir = xstrdup(".");
		slash = NULL;
	}
	blen = strlen(base);
	if ((d = opendir(slash ? dir : ".")) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (strncmp(de->d_name, base, blen) == 0 &&
			    (strncmp(de->d_name + blen, ".staging-", 9) == 0 ||
			    strncmp(de->d_name + blen, ".old-", 5) == 0)) {
				p = path_join(slash ? dir : ".", de->d_name);
				/* killed between the two renames of a swap without RENAME_EXCHANGE:
				 * the old tree is the only site there is */
				if (de->d_name[blen + 1] == 'o' && !path_exists(final))
					rename(p, final);
				else
					rm_rf(p);
				free(p);
			}
		}
		closedir(d);
	}
	if (slash == NULL)
		free(base);
	free(dir);
}

/* A path of the spare was changed by this build: its folders' mtimes moved. */
static void
touch_folders(struct output *o, const char *path)
{
	char	*p, *slash;

	if (!o->from_spare)
		return;
	p = xstrdup(path);
	pthread_mutex_lock(&o->lock);
	if (strmap_get(&o->touched, ".") == NULL)
		strmap_put(&o->touched, ".", (void *)1);
	for (slash = strchr(p, '/'); slash != NULL; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (strmap_get(&o->touched, p) == NULL)
			strmap_put(&o->touched, arena_strdup(o->paths, p), (void *)1);
		*slash = '/';
	}
	pthread_mutex_unlock(&o->lock);
	free(p);
}

/* Remove from one folder of the spare what its manifest does not list. */
static int
sweep_folder(struct output *o, const char *full, const char *rel)
{
	DIR		*d;
	struct dirent	*de;
	struct stat	 st;
	char		*p, *sub;
	int		 rc = 0, listed;

	if ((d = opendir(full)) == NULL)
		return diag(full, 0, "cannot read folder: %s", strerror(errno));
	while (rc == 0 && (de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		p = path_join(full, de->d_name);
		sub = strcmp(rel, ".") ? path_join(rel, de->d_name) : xstrdup(de->d_name);
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) == -1)
			rc = diag(p, 0, "%s", strerror(errno));
		else {
			if (S_ISDIR(st.st_mode))
				listed = strmap_get(&o->spares.dirmap, sub) != NULL;
			else
				listed = S_ISREG(st.st_mode) && strmap_get(&o->spares.map, sub) != NULL;
			if (!listed)
				rc = clear_path(p);
		}
		free(p);
		free(sub);
	}
	closedir(d);
	return rc;
}

/* lstat() of rel inside the folder dfd: shorter than a walk from the working folder. */
static int
stat_in(int dfd, const char *rel, struct stat *st)
{
	if (strcmp(rel, ".") == 0)
		return fstat(dfd, st);
	return fstatat(dfd, rel, st, AT_SYMLINK_NOFOLLOW);
}

/* The spare's file s (a path inside staging) is still as its entry lists it. */
static int
spare_same(const struct output *o, const struct entry *s)
{
	struct stat	st;

	return stat_in(o->spare_fd, s->path, &st) == 0 && S_ISREG(st.st_mode) &&
	    (uint64_t)st.st_size == s->size && timespec_ns(&st.st_mtim) == s->mtime_ns;
}

static void
drop_spare_fd(struct output *o)
{
	if (o->spare_fd != -1)
		close(o->spare_fd);
	o->spare_fd = -1;
}

/*
 * The spare was the published site once, and may have been changed by hand
 * then. A folder whose mtime is not the one its manifest recorded had
 * entries added or removed: remove from it whatever the manifest does not
 * list, so that the site never publishes a file this build did not make.
 * The top folder (renamed since) is always read. -1 if it cannot be done.
 */
static int
spare_check_folder(struct output *o, struct entry *d)
{
	struct stat	 st;
	char		*full;
	int		 rc = 0, top = strcmp(d->path, ".") == 0;

	if (stat_in(o->spare_fd, d->path, &st) == -1)
		d->claimed = -1;	/* gone: what it held will be written again */
	else if (!S_ISDIR(st.st_mode) || top || timespec_ns(&st.st_mtim) != d->mtime_ns) {
		full = top ? xstrdup(o->staging) : path_join(o->staging, d->path);
		if (!S_ISDIR(st.st_mode))
			rc = clear_path(full);
		else
			rc = sweep_folder(o, full, d->path);
		d->claimed = -1;	/* gone, or its mtime must be read again at the end */
		free(full);
	}
	return rc;
}

/*
 * Check the spare's folders not taken yet. The prepare thread does, and
 * the build's own thread too once it waits for the pages (output_ready()):
 * each folder is taken by one of them, and none may be written into before
 * all are done, as a sweep removes what the manifest does not list. A
 * folder's sweep only removes unlisted entries, so folders are independent.
 */
static void
spare_check_folders(struct output *o)
{
	size_t	i;

	while (!atomic_load_explicit(&o->folders_failed, memory_order_relaxed) &&
	    (i = atomic_fetch_add(&o->next_folder, 1)) < o->spares.ndirs)
		if (spare_check_folder(o, &o->spares.dirs[i]) == -1)
			atomic_store(&o->folders_failed, 1);
}

/*
 * Look at the spare's files, size and mtime, on the prepare thread while
 * the build parses, so that the page workers need not: a file changed in
 * place is not ok and is written again. Stops when the first page comes
 * (output_ready()); the files not reached yet are looked at by
 * spare_prepare() as each is used. Nothing but this build changes staging
 * from here on (its name is this build's, under the build lock); what the
 * build itself removes on the way of a new file is caught by reshaped.
 */
static void
spare_check_files(struct output *o)
{
	struct entry	*f;
	size_t		 i;

	for (i = 0; i < o->spares.n && !atomic_load_explicit(&o->ready, memory_order_relaxed); i++) {
		f = &o->spares.all[i];
		f->ok = spare_same(o, f) ? 1 : -1;
	}
}

/* Start from an empty staging folder instead: the spare, used or not, is removed. */
static int
spare_abandon(struct output *o)
{
	if (o->from_spare) {
		o->from_spare = 0;
		drop_spare_fd(o);
		rm_rf(o->staging);
	}
	manifest_free(&o->spares);
	unlink(o->spare_manifest_path);
	if (rm_rf(o->spare) == -1)
		return -1;
	return mkdir_p(o->staging);
}

/*
 * Start staging from the spare tree if its manifest vouches for it, else
 * from an empty folder. A spare without a valid manifest was left by a
 * build killed while it used or made it: remove it. Its folders are
 * checked next (spare_check_folders()).
 */
static int
open_staging(struct output *o)
{
	if (o->spare == NULL || !path_exists(o->spare))
		return mkdir_p(o->staging);
	if (load_manifest(&o->spares, o->spare_manifest_path, o->final) == 0 &&
	    unlink(o->spare_manifest_path) == 0 &&
	    rename(o->spare, o->staging) == 0) {
		o->from_spare = 1;
		if ((o->spare_fd = open(o->staging, O_PATH | O_DIRECTORY | O_CLOEXEC)) != -1)
			return 0;
		diag(o->staging, 0, "cannot open folder: %s", strerror(errno));
	}
	return spare_abandon(o);
}

static void *
prepare(void *arg)
{
	struct output	*o = arg;

	o->prep_rc = open_staging(o);
	if (o->prep_rc == 0 && o->from_spare)
		atomic_store(&o->folders_open, 1);	/* output_ready() may help from here */
	o->old_known = load_manifest(&o->old, o->manifest_path, o->final) == 0;
	/* a build makes about what the last one did: the map of what it wrote is sized once */
	strmap_reserve(&o->seen, o->old.n > o->spares.n ? o->old.n : o->spares.n);
	if (o->prep_rc == 0 && o->from_spare) {
		spare_check_folders(o);
		if (!atomic_load(&o->folders_failed))
			spare_check_files(o);
	}
	return NULL;
}

int
output_ready(struct output *o)
{
	if (o->preparing) {
		atomic_store(&o->ready, 1);
		if (atomic_load(&o->folders_open))
			spare_check_folders(o);
		pthread_join(o->prep_thread, NULL);
		o->preparing = 0;
	}
	if (o->prep_rc == 0 && atomic_load(&o->folders_failed)) {
		atomic_store(&o->folders_failed, 0);	/* once: output_close() calls this again */
		o->prep_rc = spare_abandon(o);
	}
	return o->prep_rc;
}

struct output *
output_open(const char *final, const char *manifest_path)
{
	struct output	*o = xcalloc(1, sizeof(*o));
	char		*lockpath;

	o->final = xstrdup(final);
	o->spare_fd = -1;
	o->manifest_path = manifest_path ? xstrdup(manifest_path) : NULL;
	pthread_mutex_init(&o->lock, NULL);
	manifest_init(&o->old);
	manifest_init(&o->spares);
	strmap_init(&o->touched);
	strmap_init(&o->seen);
	o->paths = arena_new();
	if (manifest_path != NULL) {
		o->spare = xmalloc(strlen(final) + 8);
		sprintf(o->spare, "%s.spare", final);
		o->spare_manifest_path = xmalloc(strlen(manifest_path) + 8);
		sprintf(o->spare_manifest_path, "%s.spare", manifest_path);
		o->prev_manifest_path = xmalloc(strlen(manifest_path) + 8);
		sprintf(o->prev_manifest_path, "%s.prev", manifest_path);
	}
	lockpath = xmalloc(strlen(final) + 8);
	sprintf(lockpath, "%s.lock", final);
	if (mkdir_parents(lockpath) == -1)
		goto fail;
	o->lockfd = open(lockpath, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (o->lockfd == -1) {
		diag(lockpath, 0, "cannot create the build lock: %s", strerror(errno));
		goto fail;
	}
	if (flock(o->lockfd, LOCK_EX | LOCK_NB) == -1) {
		diag(final, 0, "another folio build is writing this folder");
		close(o->lockfd);
		goto fail;
	}
	free(lockpath);
	lockpath = NULL;
	remove_stale_stagings(final);
	o->staging = xmalloc(strlen(final) + 32);
	sprintf(o->staging, "%s.staging-%ld", final, (long)getpid());
	/* the rest reads manifests and stats folders: let it run while the build parses */
	if (pthread_create(&o->prep_thread, NULL, prepare, o) == 0)
		o->preparing = 1;
	else
		prepare(o);
	return o;
fail:
	manifest_free(&o->spares);
	manifest_free(&o->old);
	strmap_free(&o->touched);
	strmap_free(&o->seen);
	pthread_mutex_destroy(&o->lock);
	arena_free(o->paths);
	free(lockpath);
	free(o->final);
	free(o->manifest_path);
	free(o->spare);
	free(o->spare_manifest_path);
	free(o->prev_manifest_path);
	free(o->staging);
	free(o);
	return NULL;
}

/* Site paths come from slugs and keys; refuse anything that could leave the folder. */
static int
safe_path(const char *path)
{
	const char	*seg = path, *slash;
	size_t		 len;

	if (*path == '\0' || *path == '/')
		return 0;
	/* a folder at a time with strchr(): checked for every path of two manifests each build */
	for (;;) {
		slash = strchr(seg, '/');
		len = slash != NULL ? (size_t)(slash - seg) : strlen(seg);
		if (len == 0 || len > 255 || (seg[0] == '.' && (len == 1 || (len == 2 && seg[1] == '.'))))
			return 0;
		if (slash == NULL || slash[1] == '\0')
			return 1;	/* "a/b/" is a folder's path */
		seg = slash + 1;
	}
}

static int
try_link(struct output *o, const char *path, uint64_t h, size_t len, const char *dst)
{
	struct entry	*e;
	struct stat	 st;
	char		*src;
	int		 ok = 0;

	if ((e = strmap_get(&o->old.map, path)) == NULL || e->hash != h || e->size != len)
		return 0;
	src = path_join(o->final, path);
	if (lstat(src, &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_size == len &&
	    timespec_ns(&st.st_mtim) == e->mtime_ns &&
	    link(src, dst) == 0)
		ok = 1;
	free(src);
	return ok;
}

/* Remove what is at full, file or (left by the spare) folder; *folder = 1 if a folder. */
static int
clear_path_folder(const char *full, int *folder)
{
	if (unlink(full) == 0 || errno == ENOENT || errno == ENOTDIR)
		return 0;	/* ENOTDIR: a folder on the way is a file now, so it is not there */
	if (errno == EISDIR || errno == EPERM) {
		*folder = 1;
		return rm_rf(full);
	}
	return diag(full, 0, "cannot remove: %s", strerror(errno));
}

static int
clear_path(const char *full)
{
	int	folder;

	return clear_path_folder(full, &folder);
}


/* Clear the way for a new file at full; a folder removed there reshapes the spare. */
static int
spare_clear(struct output *o, const char *full)
{
	int	folder = 0, rc;

	rc = clear_path_folder(full, &folder);
	if (folder)
		atomic_store(&o->reshaped, 1);
	return rc;
}

/*
 * Staging started from the spare: leave path alone if the spare's file
 * already holds these bytes (1, *mtime_ns set), else clear the way for a
 * new file (0), including spare files where its folders must go. With
 * in_place set, a file the spare lists at path is left for the caller to
 * write over if it can (2; see file_overwrite_alone()). The file's size and
 * mtime were checked by spare_check_files() if ok is set; once this build
 * has removed a folder or a file where a folder must go, which may have
 * held files checked then, every file is looked at again.
 */
static int
spare_prepare(struct output *o, const char *path, const char *full, uint64_t h, size_t len,
    int in_place, int64_t *mtime_ns)
{
	struct entry	*s, *f;
	char		*prefix, *slash, *pf;

	if ((s = strmap_get(&o->spares.map, path)) != NULL) {
		s->claimed = 1;
		if (s->hash == h && s->size == len && s->ok != -1 &&
		    ((s->ok == 1 && !atomic_load(&o->reshaped)) || spare_same(o, s))) {
			*mtime_ns = s->mtime_ns;
			return 1;
		}
	} else {
		prefix = xstrdup(path);
		for (slash = strchr(prefix, '/'); slash != NULL; slash = strchr(slash + 1, '/')) {
			*slash = '\0';
			if ((f = strmap_get(&o->spares.map, prefix)) != NULL) {
				atomic_store(&o->reshaped, 1);
				pthread_mutex_lock(&o->lock);
				f->claimed = 1;
				pf = path_join(o->staging, prefix);
				unlink(pf);
				free(pf);
				pthread_mutex_unlock(&o->lock);
			}
			*slash = '/';
		}
		free(prefix);
	}
	touch_folders(o, path);
	o->spare_changed = 1;	/* benign race: every writer stores 1 */
	if (s != NULL && in_place && (s->ok == 1 || spare_same(o, s)))
		return 2;	/* a regular file when checked */
	return spare_clear(o, full);
}

/* Before the swap: remove the spare's files this build did not produce, and folders they leave empty. */
static int
spare_prune(struct output *o)
{
	size_t	 i;
	char	*full, *slash;
	size_t	 root = strlen(o->staging);

	for (i = 0; i < o->spares.n; i++) {
		if (o->spares.all[i].claimed)
			continue;
		o->spare_changed = 1;
		touch_folders(o, o->spares.all[i].path);
		full = path_join(o->staging, o->spares.all[i].path);
		if (clear_path(full) == -1) {
			free(full);
			return -1;
		}
		while ((slash = strrchr(full, '/')) != NULL && (size_t)(slash - full) > root) {
			*slash = '\0';
			if (rmdir(full) == -1)
				break;
		}
		free(full);
	}
	return 0;
}

void
output_on_swap(struct output *o, void (*fn)(void *), void *arg)
{
	o->on_swap = fn;
	o->on_swap_arg = arg;
}

void
output_set_precompress(struct output *o, int on)
{
	o->precompress = on;
}

static int
compressible(const char *path, size_t len)
{
	static const char *const exts[] = { ".html", ".css", ".xml", ".json", ".js", ".svg", ".txt", NULL };
	size_t	plen = strlen(path), i, elen;

	if (len <= 1024)
		return 0;
	for (i = 0; exts[i]; i++) {
		elen = strlen(exts[i]);
		if (plen > elen && strcmp(path + plen - elen, exts[i]) == 0)
			return 1;
	}
	return 0;
}

/* gzip (RFC 1952) at level 9, header without name or time so the bytes are the same every build */
static int
gzip_bytes(const void *data, size_t len, struct buf *out)
{
	z_stream	zs;
	int		rc;

	memset(&zs, 0, sizeof(zs));
	if (deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	buf_grow(out, deflateBound(&zs, (uLong)len) + 64);
	zs.next_in = (Bytef *)(uintptr_t)data;
	zs.avail_in = (uInt)len;
	zs.next_out = (Bytef *)out->data;
	zs.avail_out = (uInt)(out->cap - 1);
	rc = deflate(&zs, Z_FINISH);
	out->len = zs.total_out;
	deflateEnd(&zs);
	return rc == Z_STREAM_END ? 0 : -1;
}

static int	write_one(struct output *, const char *, const void *, size_t);
static int	gzip_bytes(const void *, size_t, struct buf *);
static int	compressible(const char *, size_t);

/* Record a file now in staging in this build's manifest; under o->lock. */
static void
push_news(struct output *o, const struct entry *e)
{
	if (o->nnews == o->capnews) {
		o->capnews = o->capnews ? o->capnews * 2 : 1024;
		o->news = xreallocarray(o->news, o->capnews, sizeof(*o->news));
	}
	o->news[o->nnews++] = *e;
}

/* The same, taking the lock; written: the file's bytes were written, not kept or linked. */
static void
add_news(struct output *o, const struct entry *e, int written)
{
	pthread_mutex_lock(&o->lock);
	push_news(o, e);
	o->written += written;
	pthread_mutex_unlock(&o->lock);
}

/* A page the page cache knows is unchanged: link it (and its .gz) without its bytes. */
int
output_link(struct output *o, const char *path)
{
	struct entry	*old, e;
	char		*full, *gz;
	int		 dup, rc, kept = 0;

	if (!safe_path(path) || (old = strmap_get(&o->old.map, path)) == NULL)
		return -1;
	e = *old;
	full = path_join(o->staging, path);
	if (o->from_spare && (kept = spare_prepare(o, path, full, old->hash, old->size, 0, &e.mtime_ns)) == -1) {
		free(full);
		return -1;
	}
	if (!kept && (mkdir_parents(full) == -1 || !try_link(o, path, old->hash, old->size, full))) {
		free(full);
		return -1;
	}
	free(full);
	/* one lock for both: a page taken from the last build costs no more */
	pthread_mutex_lock(&o->lock);
	if (!(dup = strmap_get(&o->seen, path) != NULL)) {
		e.path = arena_strdup(o->paths, path);
		strmap_put(&o->seen, e.path, (void *)1);
		push_news(o, &e);
	}
	pthread_mutex_unlock(&o->lock);
	if (dup)
		return diag(path, 0, "two pages want the same output file");
	rc = 0;
	if (o->precompress && compressible(path, old->size)) {
		gz = xmalloc(strlen(path) + 4);
		sprintf(gz, "%s.gz", path);
		if (output_link(o, gz) == -1) {
			/* no .gz last time: make it from the linked file */
			char	*data, *src = path_join(o->staging, path);
			size_t	 len;
			struct buf zb;
			buf_init(&zb);
			if ((rc = file_read(src, &data, &len)) == 0) {
				if (gzip_bytes(data, len, &zb) == 0)
					rc = write_one(o, gz, zb.data, zb.len);
				else
					rc = diag(path, 0, "cannot compress");
				free(data);
			}
			buf_free(&zb);
			free(src);
		}
		free(gz);
	}
	return rc;
}

int
output_write(struct output *o, const char *path, const void *data, size_t len)
{
	struct buf	 gz;
	char		*gzpath;
	int		 rc;

	if ((rc = write_one(o, path, data, len)) == -1 || !o->precompress || !compressible(path, len))
		return rc;
	buf_init(&gz);
	gzpath = xmalloc(strlen(path) + 4);
	sprintf(gzpath, "%s.gz", path);
	if (gzip_bytes(data, len, &gz) == -1)
		rc = diag(path, 0, "cannot compress");
	else
		rc = write_one(o, gzpath, gz.data, gz.len);
	free(gzpath);
	buf_free(&gz);
	return rc;
}

static int
write_one(struct output *o, const char *path, const void *data, size_t len)
{
	struct entry	 e, *old;
	struct stat	 st;
	char		*full;
	int		 rc = 0, dup, over, linked, in_place;

	if (!safe_path(path))
		return diag(path, 0, "refusing to write outside the output folder");
	pthread_mutex_lock(&o->lock);
	dup = strmap_get(&o->seen, path) != NULL;
	if (!dup) {
		e.path = arena_strdup(o->paths, path);
		strmap_put(&o->seen, e.path, (void *)1);
	}
	pthread_mutex_unlock(&o->lock);
	if (dup)
		return diag(path, 0, "two pages want the same output file");
	full = path_join(o->staging, path);
	e.hash = hash64(data, len);
	e.size = len;
	if (o->from_spare) {
		/* a file of the spare's own is written over, unless the published tree has these bytes to link */
		in_place = (old = strmap_get(&o->old.map, path)) == NULL || old->hash != e.hash || old->size != len;
		switch (spare_prepare(o, path, full, e.hash, len, in_place, &e.mtime_ns)) {
		case 1:			/* the spare's file holds these bytes */
			add_news(o, &e, 0);
			goto out;
		case 2:			/* it holds others */
			if ((over = file_overwrite_alone(full, data, len, &st)) == 1) {
				e.mtime_ns = timespec_ns(&st.st_mtim);
				add_news(o, &e, 1);
				goto out;
			}
			if (over == 0 && spare_clear(o, full) == 0)
				break;	/* shared: a new file */
			/* FALLTHROUGH */
		case -1:
			rc = -1;
			goto out;
		}
	}
	if (mkdir_parents(full) == -1) {
		rc = -1;
		goto out;
	}
	if (!(linked = try_link(o, path, e.hash, len, full)) && (rc = file_write(full, data, len)) == -1)
		goto out;
	if (lstat(full, &st) == -1) {
		rc = diag(full, 0, "%s", strerror(errno));
		goto out;
	}
	e.mtime_ns = timespec_ns(&st.st_mtim);
	add_news(o, &e, !linked);
out:
	if (rc == -1)
		o->failed = 1;
	free(full);
	return rc;
}

int
output_copy_tree(struct output *o, const char *src, const char *prefix, const char *shadow)
{
	char		*sh;
	DIR		*d;
	struct dirent	*de;
	struct stat	 st;
	char		*p, *sub, *data;
	size_t		 len;
	int		 rc = 0;

	if ((d = opendir(src)) == NULL)
		return errno == ENOENT ? 0 : diag(src, 0, "cannot read folder: %s", strerror(errno));
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		p = path_join(src, de->d_name);
		sub = *prefix ? path_join(prefix, de->d_name) : xstrdup(de->d_name);
		if (lstat(p, &st) == -1)
			rc = diag(p, 0, "%s", strerror(errno));
		else if (S_ISDIR(st.st_mode)) {
			sh = shadow ? path_join(shadow, de->d_name) : NULL;
			rc |= output_copy_tree(o, p, sub, sh);
			free(sh);
		} else if (S_ISREG(st.st_mode)) {
			sh = shadow ? path_join(shadow, de->d_name) : NULL;
			if (sh && path_exists(sh)) {
				free(sh);
				free(p);
				free(sub);
				continue;
			}
			free(sh);
			if (file_read(p, &data, &len) == 0) {
				rc |= output_write(o, sub, data, len);
				free(data);
			} else
				rc = -1;
		}
		free(p);
		free(sub);
	}
	closedir(d);
	return rc ? -1 : 0;
}

#define MTIME_SPLIT	1024	/* folders from which a second thread helps read their mtimes */

/* Folders from .. to of a folder list, whose mtimes folder_mtimes() reads. */
struct mtime_job {
	struct output	*o;
	struct entry	*dirs;
	size_t		 from, to;
	int		 rc;
};

/*
 * The mtimes of a job's folders: read again where this build changed them,
 * else as checked when the spare was adopted. The maps are only read here.
 */
static void *
folder_mtimes(void *arg)
{
	struct mtime_job	*j = arg;
	struct output		*o = j->o;
	struct entry		*d, *sd;
	struct stat		 st;
	char			*full;
	size_t			 i;

	for (i = j->from; j->rc == 0 && i < j->to; i++) {
		d = &j->dirs[i];
		sd = o->from_spare ? strmap_get(&o->spares.dirmap, d->path) : NULL;
		if (sd != NULL && sd->claimed == 0 && strmap_get(&o->touched, sd->path) == NULL) {
			d->mtime_ns = sd->mtime_ns;
			continue;
		}
		full = strcmp(d->path, ".") ? path_join(o->staging, d->path) : xstrdup(o->staging);
		if (lstat(full, &st) == -1)
			j->rc = diag(full, 0, "%s", strerror(errno));
		else
			d->mtime_ns = timespec_ns(&st.st_mtim);
		free(full);
	}
	return NULL;
}

/*
 * The folders of the new tree and their mtimes, for the manifest
 * (folder_mtimes()). The folder list lives in the arena.
 */
static int
record_folders(struct output *o, struct entry **out, size_t *nout)
{
	struct strmap	 dm;
	struct entry	 e;
	struct buf	 p;
	struct mtime_job a, b = { 0 };
	struct side_job	 side;
	char		*slash, *last;
	const char	*prev = "";
	size_t		 i, plen = 0, dlen;

	*out = NULL;
	*nout = 0;
	strmap_init(&dm);
	strmap_reserve(&dm, o->old.ndirs > o->spares.ndirs ? o->old.ndirs : o->spares.ndirs);
	memset(&e, 0, sizeof(e));
	e.path = ".";
	push_entry(out, nout, &e);
	strmap_put(&dm, ".", (void *)1);
	buf_init(&p);
	for (i = 0; i < o->nnews; i++) {
		/* the files of a folder come together: its folders are known already */
		last = strrchr(o->news[i].path, '/');
		dlen = last ? (size_t)(last - o->news[i].path) : 0;
		if (dlen == plen && memcmp(o->news[i].path, prev, dlen) == 0)
			continue;
		prev = o->news[i].path;
		plen = dlen;
		buf_reset(&p);
		buf_put(&p, prev, dlen);
		for (slash = strchr(p.data, '/'); ; slash = strchr(slash + 1, '/')) {
			if (slash != NULL)
				*slash = '\0';
			if (*p.data != '\0' && strmap_get(&dm, p.data) == NULL) {
				e.path = arena_strdup(o->paths, p.data);
				strmap_put(&dm, e.path, (void *)1);
				push_entry(out, nout, &e);
			}
			if (slash == NULL)
				break;
			*slash = '/';
		}
	}
	buf_free(&p);
	strmap_free(&dm);
	/* a stat each, the build's last step: on two threads, all the others being done */
	a = (struct mtime_job){ o, *out, 0, *nout, 0 };
	if (*nout >= MTIME_SPLIT) {
		b = (struct mtime_job){ o, *out, *nout / 2, *nout, 0 };
		a.to = b.from;
		side_job_start(&side, folder_mtimes, &b);
	}
	folder_mtimes(&a);
	if (*nout >= MTIME_SPLIT)
		side_job_finish(&side);
	return a.rc == 0 && b.rc == 0 ? 0 : -1;
}

/* One manifest line; by hand, as printf's cost showed in every build (27,000 lines twice). */
static void
put_line(struct buf *b, const struct entry *e, int isdir)
{
	size_t	 plen = strlen(e->path);
	char	*p;

	buf_grow(b, 16 + 1 + 20 + 1 + 21 + 1 + plen + 1);
	p = b->data + b->len;
	if (isdir)
		*p++ = 'd';
	else {
		p = fmt_hex64(p, e->hash);
		*p++ = ' ';
		p = fmt_u64(p, e->size);
	}
	*p++ = ' ';
	p = fmt_i64(p, e->mtime_ns);
	*p++ = ' ';
	memcpy(p, e->path, plen);
	p += plen;
	*p++ = '\n';
	*p = '\0';
	b->len = (size_t)(p - b->data);
}

/* A manifest's header and file lines: what the swap does not change. */
static void
manifest_files(struct buf *b, const char *dir, const struct entry *es, size_t n)
{
	size_t	i;

	buf_grow(b, n * 80);
	buf_printf(b, "%s\n%s\n", MANIFEST_MAGIC, dir);
	for (i = 0; i < n; i++)
		put_line(b, &es[i], 0);
}

/* Then its folder lines and seal, and the file written; b is freed. */
static int
manifest_finish(struct buf *b, const char *path, const struct entry *ds, size_t nd)
{
	size_t	i;
	int	rc;

	for (i = 0; i < nd; i++)
		put_line(b, &ds[i], 1);
	text_seal(b);
	if ((rc = mkdir_parents(path)) == 0)
		rc = file_write_cache(path, b->data, b->len);
	buf_free(b);
	return rc;
}

static int
save_manifest(const char *path, const char *dir, const struct entry *es, size_t n,
    const struct entry *ds, size_t nd)
{
	struct buf	b;

	if (path == NULL)
		return 0;
	buf_init(&b);
	manifest_files(&b, dir, es, n);
	return manifest_finish(&b, path, ds, nd);
}

/* The new manifest's file lines, put together while the folders are looked at and the trees swapped. */
struct news_job {
	struct output	*o;
	struct buf	 text;
};

static void *
format_news(void *arg)
{
	struct news_job	*j = arg;

	manifest_files(&j->text, j->o->final, j->o->news, j->o->nnews);
	return NULL;
}

/*
 * After the swap staging holds the previous site, which the last build's
 * manifest describes: keep it as the next build's spare, or remove it.
 * That manifest was put aside before the swap (prev_manifest_path): it
 * becomes the spare's by a rename, not written again.
 */
static void
keep_spare(struct output *o, int old_known)
{
	if (o->spare_manifest_path != NULL)
		unlink(o->spare_manifest_path);	/* whatever it said is not about this tree */
	if (o->spare != NULL && old_known && !path_exists(o->spare) &&
	    rename(o->staging, o->spare) == 0) {
		if (rename(o->prev_manifest_path, o->spare_manifest_path) == -1)
			save_manifest(o->spare_manifest_path, o->final, o->old.all, o->old.n,
			    o->old.dirs, o->old.ndirs);
		return;
	}
	rm_rf(o->staging);
}

int
output_close(struct output *o, int ok)
{
	struct side_job	 news;
	struct news_job	 nj;
	struct entry	*dirs = NULL;
	size_t		 ndirs = 0;
	char		*old;
	int		 rc = 0, exchanged = 0;

	if (o == NULL)
		return -1;
	memset(&news, 0, sizeof(news));		/* not started: side_job_drop() does nothing */
	buf_init(&nj.text);
	nj.o = o;
	if (output_ready(o) == -1)
		ok = 0;
	if (!ok || o->failed) {
		/* a spare nothing was done to stays a spare: a failed build costs no rm -rf */
		if (o->from_spare && !o->spare_changed && rename(o->staging, o->spare) == 0)
			save_manifest(o->spare_manifest_path, o->final, o->spares.all, o->spares.n,
			    o->spares.dirs, o->spares.ndirs);
		else
			rm_rf(o->staging);
		rc = -1;
		goto out;
	}
	/* the news are all in: their lines need neither the folders nor the swap */
	if (o->manifest_path != NULL)
		side_job_start(&news, format_news, &nj);
	if ((o->from_spare && spare_prune(o) == -1) ||
	    (o->manifest_path != NULL && record_folders(o, &dirs, &ndirs) == -1)) {
		rm_rf(o->staging);
		rc = -1;
		goto out;
	}
	/*
	 * The manifest goes first: if we die after it, its mtimes will not
	 * match and nothing is linked. It is put aside, for the spare, when
	 * it describes final whole (old_known).
	 */
	if (o->manifest_path && !(o->old_known && o->prev_manifest_path &&
	    rename(o->manifest_path, o->prev_manifest_path) == 0))
		unlink(o->manifest_path);
	if (renameat2(AT_FDCWD, o->staging, AT_FDCWD, o->final, RENAME_EXCHANGE) == 0) {
		exchanged = 1;	/* staging now holds the previous site */
	} else if (errno == ENOENT && !path_exists(o->final)) {
		if (rename(o->staging, o->final) == -1)
			rc = diag(o->final, 0, "cannot move the new site into place: %s", strerror(errno));
	} else if (errno == EINVAL || errno == ENOSYS) {
		/* no RENAME_EXCHANGE on this file system: two renames */
		old = xmalloc(strlen(o->final) + 32);
		sprintf(old, "%s.old-%ld", o->final, (long)getpid());
		if (rename(o->final, old) == -1 || rename(o->staging, o->final) == -1)
			rc = diag(o->final, 0, "cannot move the new site into place: %s", strerror(errno));
		else
			rm_rf(old);
		free(old);
	} else
		rc = diag(o->final, 0, "cannot move the new site into place: %s", strerror(errno));
	if (rc == 0 && o->manifest_path != NULL) {
		side_job_finish(&news);
		manifest_finish(&nj.text, o->manifest_path, dirs, ndirs);
	}
	if (rc == 0 && exchanged)
		keep_spare(o, o->old_known);
	else if (rc != 0)
		rm_rf(o->staging);
	if (o->prev_manifest_path != NULL)
		unlink(o->prev_manifest_path);	/* not taken by keep_spare() */
	if (rc == 0 && o->on_swap != NULL)
		o->on_swap(o->on_swap_arg);
out:
	side_job_drop(&news);	/* joined before what it reads is freed */
	buf_free(&nj.text);
	drop_spare_fd(o);
	flock(o->lockfd, LOCK_UN);
	close(o->lockfd);
	free(dirs);
	manifest_free(&o->old);
	manifest_free(&o->spares);
	strmap_free(&o->touched);
	arena_free(o->paths);
	free(o->news);
	strmap_free(&o->seen);
	pthread_mutex_destroy(&o->lock);
	free(o->final);
	free(o->staging);
	free(o->manifest_path);
	free(o->spare);
	free(o->spare_manifest_path);
	free(o->prev_manifest_path);
	free(o);
	return rc;
}

int
output_from_spare(const struct output *o)
{
	return o->from_spare;
}

size_t
output_count(const struct output *o)
{
	return o->nnews;
}

size_t
output_written(const struct output *o)
{
	return o->written;
}
