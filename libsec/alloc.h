/* alloc.h - the one allocator of libsec. Every allocation goes through it
 * so that tests can count live allocations (a leak is a failed test) and
 * inject allocation failure (every failure path is exercised). */
#ifndef NTSEC_LIBSEC_ALLOC_H
#define NTSEC_LIBSEC_ALLOC_H

#include <stddef.h>

/* Returns NULL when the allocation fails or a failure is injected. */
void *ntsec__alloc(size_t size);
void *ntsec__zalloc(size_t size);
void ntsec__free(void *p);

/* Allocations made and not yet freed, process-wide. */
long ntsec__alloc_live(void);

/* Make the allocation after the next `n` succeed-able ones fail; n < 0
 * turns injection off. Tests only. */
void ntsec__alloc_fail_after(long n);

#endif
