/* build.c: placeholder */
#include <stdio.h>
#include "build.h"
int build_site(const struct build_opts *o) { (void)o; return -1; }
int cmd_build(int argc, char **argv) { (void)argc; (void)argv; fputs("folio: build is not built yet\n", stderr); return 1; }
