/* bench_count.h - counts the allocations and lock acquisitions a benchmark
 * program makes, so a bench can show that a hot path makes none rather
 * than say so. The program defines malloc/calloc/realloc and the pthread
 * lock entry points; the static libntsec it links calls these, and they
 * count, then call glibc's own entry points. Include it in exactly one
 * file of a bench program (it defines those symbols), which defines
 * _GNU_SOURCE before its first include (for RTLD_NEXT). */
#ifndef NTSEC_BENCH_COUNT_H
#define NTSEC_BENCH_COUNT_H

#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t size);

/* glibc's lock entry points, found past this program's own. */
static int (*next_mutex_lock)(pthread_mutex_t *m);
static int (*next_mutex_trylock)(pthread_mutex_t *m);
static int (*next_rwlock_rdlock)(pthread_rwlock_t *l);
static int (*next_rwlock_wrlock)(pthread_rwlock_t *l);

__attribute__((constructor)) static void bench_count_init(void)
{
    *(void **)&next_mutex_lock = dlsym(RTLD_NEXT, "pthread_mutex_lock");
    *(void **)&next_mutex_trylock = dlsym(RTLD_NEXT, "pthread_mutex_trylock");
    *(void **)&next_rwlock_rdlock = dlsym(RTLD_NEXT, "pthread_rwlock_rdlock");
    *(void **)&next_rwlock_wrlock = dlsym(RTLD_NEXT, "pthread_rwlock_wrlock");
}

static atomic_long bench_allocations;
static atomic_long bench_locks;

static inline void bench_count(atomic_long *c)
{
    atomic_fetch_add_explicit(c, 1, memory_order_relaxed);
}

void *malloc(size_t size)
{
    bench_count(&bench_allocations);
    return __libc_malloc(size);
}

void *calloc(size_t n, size_t size)
{
    bench_count(&bench_allocations);
    return __libc_calloc(n, size);
}

void *realloc(void *p, size_t size)
{
    bench_count(&bench_allocations);
    return __libc_realloc(p, size);
}

int pthread_mutex_lock(pthread_mutex_t *m)
{
    bench_count(&bench_locks);
    return next_mutex_lock(m);
}

int pthread_mutex_trylock(pthread_mutex_t *m)
{
    bench_count(&bench_locks);
    return next_mutex_trylock(m);
}

int pthread_rwlock_rdlock(pthread_rwlock_t *l)
{
    bench_count(&bench_locks);
    return next_rwlock_rdlock(l);
}

int pthread_rwlock_wrlock(pthread_rwlock_t *l)
{
    bench_count(&bench_locks);
    return next_rwlock_wrlock(l);
}

/* What one run of `fn` over `iterations` made. */
struct bench_counts {
    long allocations;
    long locks;
};

static inline struct bench_counts bench_counted(void (*fn)(void *, long), void *arg,
                                                long iterations)
{
    long a = atomic_load(&bench_allocations), l = atomic_load(&bench_locks);

    fn(arg, iterations);
    return (struct bench_counts){ atomic_load(&bench_allocations) - a,
                                  atomic_load(&bench_locks) - l };
}

#endif
