/* test_fsutil.c: file_overwrite_alone() writes over a file only when no other name
 * shares it, and never waits on or follows what is not a regular file */
#include <sys/stat.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "util/diag.h"
#include "util/fsutil.h"

static char	dir[] = "/tmp/folio-test-fsutil.XXXXXX";

static char *
at(const char *name)
{
	static char	path[4][256];
	static int	next;
	char		*p = path[next++ % 4];

	snprintf(p, sizeof(path[0]), "%s/%s", dir, name);
	return p;
}

/* The whole content of path is want. */
static int
holds(const char *path, const char *want)
{
	char	*data;
	size_t	 len;
	int	 same;

	if (file_read(path, &data, &len) == -1)
		return 0;
	same = len == strlen(want) && memcmp(data, want, len) == 0;
	free(data);
	return same;
}

int
main(void)
{
	struct stat	st, before;
	const char	*longer = "a longer text than the first one, to grow the file";

	if (mkdtemp(dir) == NULL)
		return 1;

	/* a file with one link: written over, the same inode; longer, then shorter (truncated) */
	CHECK(file_write(at("alone"), "first text", 10) == 0);
	CHECK(stat(at("alone"), &before) == 0);
	CHECK(file_overwrite_alone(at("alone"), longer, strlen(longer), &st) == 1);
	CHECK(holds(at("alone"), longer));
	CHECK(st.st_ino == before.st_ino && st.st_size == (off_t)strlen(longer));
	CHECK(file_overwrite_alone(at("alone"), "short", 5, &st) == 1);
	CHECK(holds(at("alone"), "short"));
	CHECK(st.st_size == 5);
	CHECK(file_overwrite_alone(at("alone"), "", 0, &st) == 1 && holds(at("alone"), ""));

	/* two names for one file: left alone under both */
	CHECK(file_write(at("shared"), "published", 9) == 0);
	CHECK(link(at("shared"), at("shared-too")) == 0);
	CHECK(file_overwrite_alone(at("shared"), "changed", 7, &st) == 0);
	CHECK(holds(at("shared"), "published") && holds(at("shared-too"), "published"));

	/* not there, a folder, a symlink (not followed: its target keeps its bytes), a FIFO (not waited for) */
	diag_quiet(1);
	CHECK(file_overwrite_alone(at("missing"), "x", 1, &st) == 0);
	CHECK(access(at("missing"), F_OK) == -1);
	CHECK(mkdir(at("folder"), 0755) == 0);
	CHECK(file_overwrite_alone(at("folder"), "x", 1, &st) == 0);
	CHECK(file_write(at("target"), "target", 6) == 0);
	CHECK(symlink("target", at("symlink")) == 0);
	CHECK(file_overwrite_alone(at("symlink"), "x", 1, &st) == 0);
	CHECK(holds(at("target"), "target"));
	CHECK(mkfifo(at("fifo"), 0644) == 0);
	CHECK(file_overwrite_alone(at("fifo"), "x", 1, &st) == 0);
	diag_quiet(0);

	sh("rm -rf '%s'", dir);
	return check_done();
}
