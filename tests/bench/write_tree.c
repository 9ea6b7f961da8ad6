/* write_tree.c: the file-system part of a build alone; built and run by scripts/bench
 *
 * usage: write_tree LIST DEST [THREADS]
 *
 * LIST holds a line per file, "size path" (find -printf '%s %P\n'). Every
 * file is created under DEST with that many bytes, its folders made on the
 * way, on THREADS threads (default 2) taking every THREADS-th file, as a
 * build's page workers do: open, write, close, nothing else. What this
 * takes is what no static-site generator writing the same pages can go
 * below on this machine and file system.
 */
#define _GNU_SOURCE
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_THREADS	64

struct file {
	char	*path;
	size_t	 size;
};

static struct file	*files;
static size_t		 nfiles;
static const char	*dest;
static int		 nthreads = 2;
static char		 bytes[1 << 16];

/* mkdir -p of every folder of full but the last part */
static void
make_folders(char *full)
{
	char	*slash;

	for (slash = strchr(full + 1, '/'); slash != NULL; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdir(full, 0755) == -1 && errno != EEXIST) {
			perror(full);
			exit(1);
		}
		*slash = '/';
	}
}

static void
write_file(const struct file *f)
{
	char	full[4096];
	size_t	left, n;
	int	fd;

	snprintf(full, sizeof(full), "%s/%s", dest, f->path);
	if ((fd = open(full, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) == -1 && errno == ENOENT) {
		make_folders(full);
		fd = open(full, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	}
	if (fd == -1) {
		perror(full);
		exit(1);
	}
	for (left = f->size; left > 0; left -= n) {
		n = left < sizeof(bytes) ? left : sizeof(bytes);
		if (write(fd, bytes, n) != (ssize_t)n) {
			perror(full);
			exit(1);
		}
	}
	close(fd);
}

static void *
worker(void *arg)
{
	size_t	i;

	for (i = (size_t)(uintptr_t)arg; i < nfiles; i += (size_t)nthreads)
		write_file(&files[i]);
	return NULL;
}

static void
read_list(const char *path)
{
	FILE	*f;
	char	 line[4096], *sp;
	size_t	 cap = 0;

	if ((f = fopen(path, "r")) == NULL) {
		perror(path);
		exit(1);
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if ((sp = strchr(line, ' ')) == NULL || sp[1] == '\0')
			continue;
		if (nfiles == cap) {
			cap = cap ? cap * 2 : 1024;
			if ((files = realloc(files, cap * sizeof(*files))) == NULL)
				exit(1);
		}
		*sp = '\0';
		files[nfiles].size = strtoul(line, NULL, 10);
		if ((files[nfiles++].path = strdup(sp + 1)) == NULL)
			exit(1);
	}
	fclose(f);
}

int
main(int argc, char **argv)
{
	pthread_t	th[MAX_THREADS];
	int		i, made = 0, left[MAX_THREADS], nleft = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: write_tree LIST DEST [THREADS]\n");
		return 2;
	}
	if (argc > 3 && ((nthreads = atoi(argv[3])) < 1 || nthreads > MAX_THREADS)) {
		fprintf(stderr, "write_tree: threads: 1 to %d\n", MAX_THREADS);
		return 2;
	}
	read_list(argv[1]);
	dest = argv[2];
	memset(bytes, 'x', sizeof(bytes));
	if (mkdir(dest, 0755) == -1 && errno != EEXIST) {
		perror(dest);
		return 1;
	}
	for (i = 1; i < nthreads; i++)
		if (pthread_create(&th[made], NULL, worker, (void *)(uintptr_t)i) == 0)
			made++;
		else
			left[nleft++] = i;	/* its share is written here */
	worker((void *)0);
	for (i = 0; i < nleft; i++)
		worker((void *)(uintptr_t)left[i]);
	for (i = 0; i < made; i++)
		pthread_join(th[i], NULL);
	return 0;
}
