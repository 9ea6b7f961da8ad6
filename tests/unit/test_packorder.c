/* test_packorder.c: objects' places in the packs, as git's own show-index gives them */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "check.h"
#include "git/gitint.h"

#define LOW48	(((uint64_t)1 << 48) - 1)

static char	tmp[256];

/*
 * Every object of every pack of the repository at dir: its offset is the
 * one `git show-index` reads from the same index, and its pack the same
 * for all the objects of one index. Returns how many objects were checked.
 */
static size_t
check_all(const struct pack_order *po, const char *dir)
{
	char		 cmd[700], line[256], hex[GIT_OID_HEXSZ + 1];
	unsigned long long off;
	uint64_t	 at, pack = UINT64_MAX;
	git_oid		 id;
	size_t		 n = 0, bad = 0;
	FILE		*f;

	snprintf(cmd, sizeof(cmd), "cd '%s' && for i in .git/objects/pack/*.idx; do "
	    "echo pack; git show-index < $i; done", dir);
	if ((f = popen(cmd, "r")) == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strcmp(line, "pack\n") == 0) {
			pack = UINT64_MAX;
			continue;
		}
		if (sscanf(line, "%llu %40s", &off, hex) != 2 || git_oid_fromstr(&id, hex) != 0)
			continue;
		at = pack_order_of(po, &id);
		if (pack == UINT64_MAX)
			pack = at >> 48;
		if (at == UINT64_MAX || (at & LOW48) != off || at >> 48 != pack)
			bad++;
		n++;
	}
	pclose(f);
	return bad ? 0 : n;
}

/* The object id written in the file name of dir. */
static int
read_id(const char *dir, const char *name, git_oid *id)
{
	char	 hex[64] = "", path[400];
	FILE	*f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	if (fgets(hex, sizeof(hex), f) == NULL)
		hex[0] = '\0';
	fclose(f);
	return git_oid_fromstrn(id, hex, GIT_OID_HEXSZ);
}

static void
put32(FILE *f, uint32_t v)
{
	v = htonl(v);
	fwrite(&v, 4, 1, f);
}

/*
 * A version 2 index of one object at an offset past 4 GB, which only the
 * table of 8-byte offsets can hold (a pack that size is not made in a
 * test); and the same index cut short, which is left out.
 */
static void
test_big_offset(void)
{
	git_repository		*r = NULL;
	struct pack_order	*po;
	char			 dir[300], path[400];
	unsigned char		 id_raw[GIT_OID_RAWSZ], zero[2 * GIT_OID_RAWSZ] = { 0 };
	git_oid			 id, other;
	FILE			*f;
	int			 i;

	snprintf(dir, sizeof(dir), "%s/big", tmp);
	CHECK(sh("git init -q '%s'", dir) == 0);
	memset(id_raw, 0xab, sizeof(id_raw));
	git_oid_fromraw(&id, id_raw);
	git_oid_fromstr(&other, "abababababababababababababababababababac");
	snprintf(path, sizeof(path), "%s/.git/objects/pack/pack-x.idx", dir);
	CHECK((f = fopen(path, "wb")) != NULL);
	if (f == NULL)
		return;
	fwrite("\377tOc", 4, 1, f);
	put32(f, 2);
	for (i = 0; i < 256; i++)
		put32(f, i >= 0xab ? 1 : 0);
	fwrite(id_raw, sizeof(id_raw), 1, f);
	put32(f, 0);			/* its CRC */
	put32(f, 0x80000000u);		/* entry 0 of the 8-byte offsets */
	put32(f, 1);			/* 4 GB + 5 */
	put32(f, 5);
	fwrite(zero, sizeof(zero), 1, f);
	fclose(f);
	CHECK(git_repository_open(&r, dir) == 0);
	po = pack_order_open(r);
	CHECK(pack_order_of(po, &id) == (((uint64_t)1 << 32) | 5));
	CHECK(pack_order_of(po, &other) == UINT64_MAX);
	pack_order_close(po);
	CHECK(sh("truncate -s 1000 '%s'", path) == 0);
	po = pack_order_open(r);
	CHECK(pack_order_of(po, &id) == UINT64_MAX);
	pack_order_close(po);
	CHECK(sh("printf 'not an index' > '%s'", path) == 0);
	po = pack_order_open(r);
	CHECK(pack_order_of(po, &id) == UINT64_MAX);
	pack_order_close(po);
	git_repository_free(r);
}

int
main(void)
{
	git_repository		*r = NULL;
	struct pack_order	*po;
	git_oid			 id;
	char			 dir[300];
	size_t			 n;
	const char		*base = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";

	snprintf(tmp, sizeof(tmp), "%s/folio-packorder-XXXXXX", base);
	if (mkdtemp(tmp) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	setenv("GIT_CEILING_DIRECTORIES", tmp, 1);
	git_libgit2_init();
	snprintf(dir, sizeof(dir), "%s/repo", tmp);

	/* two packs (fast-import's, then one of loose objects), and a loose object */
	CHECK(sh("scripts/gen-corpus --n 60 --seed 3 --commits 12 --out '%s' >/dev/null && "
	    "cd '%s' && echo more >> \"$(ls content/*/*.md | head -1)\" && git add -A && "
	    "git -c user.name=x -c user.email=x@x commit -qm more && git repack -q && "
	    "echo loose > loose.txt && git hash-object -w loose.txt > loose.id && "
	    "test $(ls .git/objects/pack/*.idx | wc -l) = 2", dir, dir) == 0);
	CHECK(git_repository_open(&r, dir) == 0);
	po = pack_order_open(r);
	n = check_all(po, dir);
	CHECK(n > 150);
	if (n <= 150)
		printf("%zu objects checked\n", n);
	CHECK(read_id(dir, "loose.id", &id) == 0 && pack_order_of(po, &id) == UINT64_MAX);
	pack_order_close(po);
	git_repository_free(r);

	/* after git gc, one pack, offsets again as git reads them */
	CHECK(sh("cd '%s' && git gc -q --aggressive && test $(ls .git/objects/pack/*.idx | wc -l) = 1",
	    dir) == 0);
	CHECK(git_repository_open(&r, dir) == 0);
	po = pack_order_open(r);
	CHECK(check_all(po, dir) > 150);
	pack_order_close(po);
	git_repository_free(r);

	test_big_offset();
	pack_order_close(NULL);
	git_libgit2_shutdown();
	if (getenv("KEEP") == NULL)
		sh("rm -rf '%s'", tmp);
	return check_done();
}
