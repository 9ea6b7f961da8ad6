/* internal.h: shared between the files of src/tools/ only */
#ifndef TOOLS_INTERNAL_H
#define TOOLS_INTERNAL_H

#include <stddef.h>

/*
 * Check that text is well-formed XML (and, if root_want is not NULL, that
 * its root element has that name). Prints the first problem as
 * "path:line: not well-formed XML: why" and returns -1, or returns 0.
 */
int	xml_check(const char *path, const char *text, size_t len, const char *root_want);

#endif
