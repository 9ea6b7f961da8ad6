/* import.c: placeholder until the importer lands */
#include <stdio.h>

#include "import/import.h"

int
cmd_import(int argc, char **argv)
{
	(void)argc; (void)argv;
	fprintf(stderr, "folio: import is not built yet\n");
	return 1;
}
