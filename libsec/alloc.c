/* alloc.c - libsec's allocator: malloc with a live-allocation count and
 * failure injection for tests. Memory handed to a caller of the native API
 * is released with ntsec_mem_free(); LocalFree in kernel32 does the same. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "ntsec/ntsec.h"
#include "alloc.h"

static atomic_long live;
static atomic_long fail_countdown = -1;

static int injected_failure(void)
{
    long n = atomic_load_explicit(&fail_countdown, memory_order_relaxed);
    if (n < 0)
        return 0;
    /* Only one caller may take the countdown to -1 from 0. */
    while (!atomic_compare_exchange_weak(&fail_countdown, &n, n - 1))
        if (n < 0)
            return 0;
    return n == 0;
}

void *ntsec__alloc(size_t size)
{
    void *p;

    if (injected_failure())
        return NULL;
    p = malloc(size ? size : 1);
    if (p)
        atomic_fetch_add_explicit(&live, 1, memory_order_relaxed);
    return p;
}

void *ntsec__zalloc(size_t size)
{
    void *p = ntsec__alloc(size);

    if (p)
        memset(p, 0, size ? size : 1);
    return p;
}

void ntsec__free(void *p)
{
    if (!p)
        return;
    atomic_fetch_sub_explicit(&live, 1, memory_order_relaxed);
    free(p);
}

long ntsec__alloc_live(void)
{
    return atomic_load(&live);
}

void ntsec__alloc_fail_after(long n)
{
    atomic_store(&fail_countdown, n);
}

void *ntsec_mem_alloc(size_t size)
{
    return ntsec__alloc(size);
}

void ntsec_mem_free(void *p)
{
    ntsec__free(p);
}
