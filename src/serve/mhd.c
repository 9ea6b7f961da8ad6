/* mhd.c: libmicrohttpd, opened when `folio serve` starts
 *
 * Linked, it would be loaded into every folio process, and GnuTLS with
 * the eight libraries behind it: 4 ms of start-up each time (`perf stat`
 * of an empty program linked with and without it: 10.9 and 6.5 ms), a
 * tenth of a build with nothing changed at 10,000 articles. Only `folio
 * serve` needs it, so it is opened there, by the soname of the library
 * folio was compiled against (MHD_SONAME, read by the Makefile), and its
 * few functions are called through a table.
 */
#include <dlfcn.h>
#include <stdio.h>

#include "serve/serve.h"

#ifndef MHD_SONAME
#define MHD_SONAME	"libmicrohttpd.so.12"
#endif

struct mhd_api	mhd;

/* dlsym() returns an object pointer; POSIX guarantees it converts to a function pointer */
#define MHD_SYM(field, name)	(*(void **)&mhd.field = dlsym(lib, name)) != NULL

int
mhd_open(void)
{
	static void	*lib;

	if (lib != NULL)
		return 0;
	if ((lib = dlopen(MHD_SONAME, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		fprintf(stderr, "folio serve: cannot load libmicrohttpd (Debian package libmicrohttpd12): %s\n",
		    dlerror());
		return -1;
	}
	if (MHD_SYM(start_daemon, "MHD_start_daemon") &&
	    MHD_SYM(stop_daemon, "MHD_stop_daemon") &&
	    MHD_SYM(create_response_from_buffer, "MHD_create_response_from_buffer") &&
	    MHD_SYM(create_response_from_callback, "MHD_create_response_from_callback") &&
	    MHD_SYM(create_response_from_fd, "MHD_create_response_from_fd") &&
	    MHD_SYM(add_response_header, "MHD_add_response_header") &&
	    MHD_SYM(queue_response, "MHD_queue_response") &&
	    MHD_SYM(destroy_response, "MHD_destroy_response"))
		return 0;
	fprintf(stderr, "folio serve: %s lacks a function folio needs: %s\n", MHD_SONAME, dlerror());
	dlclose(lib);
	lib = NULL;
	return -1;
}
