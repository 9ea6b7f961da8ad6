/* buildstamp.h: what the last good build read and left, so that a build
 * with nothing changed can stop at once */
#ifndef BUILDSTAMP_H
#define BUILDSTAMP_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct file_stat;

/* The summary line's numbers, kept to be said again. */
struct stamp_counts {
	size_t	articles, pages, reused, feeds, files, written;
};

/*
 * Fold the content files into h: each path past prefix_len and its stat
 * (inode, size, modification and change times). *racy is set if a file
 * changed at or after since - 2 s: a change within the same tick of the
 * file system's clock could leave its stat as it was, so such a build is
 * not stamped (git calls these entries "racily clean"). prints, if not
 * NULL, gets n numbers: each file's stat hashed, or 0 for a racy one.
 */
uint64_t	buildstamp_files(uint64_t h, char *const *files, const struct file_stat *stats, size_t n,
		    size_t prefix_len, time_t since, int *racy, uint64_t *prints);

/*
 * Fold in the stat of a file, or of every file under a folder: the config,
 * theme and layouts are also in the caller's hash by their bytes, which a
 * change undone during a build would give back; their ctime cannot go back.
 * *racy as above.
 */
uint64_t	buildstamp_tree(uint64_t h, const char *path, time_t since, int *racy, int depth);

/*
 * 0 if the stamp at path is whole, was made for these inputs, and the
 * output folder is still the one that build left; then *counts is filled
 * and *messages (heap, NUL-terminated) holds what that build printed.
 * -1 otherwise, silently: the caller builds.
 */
int		buildstamp_check(const char *path, uint64_t inputs, const char *output_dir,
		    struct stamp_counts *counts, char **messages);

/* Stamp a finished build; quiet, and -1 if it could not (the next build is then a full one). */
int		buildstamp_write(const char *path, uint64_t inputs, const char *output_dir,
		    const struct stamp_counts *counts, const char *messages, size_t mlen);

#endif
