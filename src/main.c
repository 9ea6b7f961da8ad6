/* main.c: folio's command line: picks the command and owns the exit status */
#include <malloc.h>
#include <stdio.h>
#include <string.h>

#include "folio.h"
#include "build.h"
#include "import/import.h"
#include "tools/tools.h"

static const char usage[] =
"usage: folio <command> [options]\n"
"\n"
"commands:\n"
"  build    turn content/ into the static site (default output: public/)\n"
"  import   split scraped blog archive pages into Markdown articles\n"
"  new      write a new article with its front matter filled\n"
"  check    check the content and the built site (links, feeds, terms)\n"
"  serve    build, serve on loopback and rebuild on change\n"
"\n"
"folio <command> --help tells more; folio --version prints the version.\n";

int
main(int argc, char **argv)
{
	const char	*cmd;

	/*
	 * Keep freed memory for reuse instead of giving it back to the system
	 * at once: a build reads and frees megabytes of caches and tables, and
	 * each page the system hands out again is a page fault (17,000 per
	 * edit-one build at 10,000 articles, a seventh of its CPU time). Large
	 * blocks, up to 32 MB (glibc's limit), come from the heap too.
	 */
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	mallopt(M_TRIM_THRESHOLD, 256 << 20);

	if (argc < 2) {
		fputs(usage, stderr);
		return 2;
	}
	cmd = argv[1];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
		fputs(usage, stdout);
		return 0;
	}
	if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
		printf("folio %s\n", FOLIO_VERSION);
		return 0;
	}
	if (strcmp(cmd, "build") == 0)
		return cmd_build(argc - 1, argv + 1);
	if (strcmp(cmd, "import") == 0)
		return cmd_import(argc - 1, argv + 1);
	if (strcmp(cmd, "new") == 0)
		return cmd_new(argc - 1, argv + 1);
	if (strcmp(cmd, "check") == 0)
		return cmd_check(argc - 1, argv + 1);
	if (strcmp(cmd, "serve") == 0)
		return cmd_serve(argc - 1, argv + 1);
	fprintf(stderr, "folio: unknown command '%s'\n%s", cmd, usage);
	return 2;
}
