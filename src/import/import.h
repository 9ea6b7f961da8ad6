/* import.h: scraped blog archive pages -> content/<year>/<slug>.md */
#ifndef IMPORT_H
#define IMPORT_H

/* `folio import [--out DIR] [--dry-run] [--force] PAGE...`; returns the exit status. */
int	cmd_import(int argc, char **argv);

#endif
