/* scratch.h: per-thread memory for one cmark-gfm render; included by render/ only */
#ifndef RENDER_SCRATCH_H
#define RENDER_SCRATCH_H

#include <cmark-gfm.h>

/*
 * Under AddressSanitizer cmark keeps its own malloc allocator, so that an
 * overflow of one of its blocks is still caught; scratch_reset() has then
 * nothing to give back.
 */
#if defined(__SANITIZE_ADDRESS__)
#define SCRATCH_MALLOC_ONLY	1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SCRATCH_MALLOC_ONLY	1
#endif
#endif

/* cmark's allocator over this thread's scratch space; free() is a no-op */
cmark_mem	*scratch_allocator(void);
/* Give back everything this thread allocated through it: copy results out first. */
void		 scratch_reset(void);

#endif
