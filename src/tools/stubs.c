/* stubs.c: placeholders until the writer's workflow lands */
#include <stdio.h>

#include "tools/tools.h"

int cmd_check(int argc, char **argv) { (void)argc; (void)argv; fputs("folio: check is not built yet\n", stderr); return 1; }
