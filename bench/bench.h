/* bench.h - a small harness for ntsec's benchmarks: each case runs in
 * batches, each batch is timed with CLOCK_MONOTONIC, and the median
 * ns/op over the batches is reported (a median resists the noise of a
 * shared machine better than a mean). Results print as a table and are
 * appended to a JSON file. */
#ifndef NTSEC_BENCH_H
#define NTSEC_BENCH_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BENCH_BATCHES 31

struct bench_result {
    const char *group;
    const char *name;
    double      median_ns;
    double      min_ns;
};

typedef void (*bench_fn)(void *arg, long iterations);

static inline double bench_now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int bench_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Pick a batch size that takes about 2 ms, then time BENCH_BATCHES. */
static inline struct bench_result bench_run(const char *group, const char *name,
                                            bench_fn fn, void *arg)
{
    double per[BENCH_BATCHES], t0, t;
    long iters = 1;
    struct bench_result r = { group, name, 0, 0 };

    for (;;) {
        t0 = bench_now_ns();
        fn(arg, iters);
        t = bench_now_ns() - t0;
        if (t > 2e6 || iters > (1L << 30))
            break;
        iters *= 2;
    }
    for (int b = 0; b < BENCH_BATCHES; b++) {
        t0 = bench_now_ns();
        fn(arg, iters);
        per[b] = (bench_now_ns() - t0) / (double)iters;
    }
    qsort(per, BENCH_BATCHES, sizeof(per[0]), bench_cmp_double);
    r.median_ns = per[BENCH_BATCHES / 2];
    r.min_ns = per[0];
    return r;
}

static inline void bench_print_header(const char *title)
{
    printf("\n%s\n%-14s %-44s %12s %12s\n", title, "group", "case", "median ns", "min ns");
}

static inline void bench_print(const struct bench_result *r)
{
    printf("%-14s %-44s %12.1f %12.1f\n", r->group, r->name, r->median_ns, r->min_ns);
}

/* Write results as a JSON array. */
static inline void bench_write_json(const char *path, const struct bench_result *r, int n)
{
    FILE *f = fopen(path, "w");

    if (!f)
        return;
    fprintf(f, "[\n");
    for (int i = 0; i < n; i++)
        fprintf(f, "  {\"group\": \"%s\", \"case\": \"%s\", \"median_ns\": %.1f, \"min_ns\": %.1f}%s\n",
                r[i].group, r[i].name, r[i].median_ns, r[i].min_ns, i + 1 < n ? "," : "");
    fprintf(f, "]\n");
    fclose(f);
}

#endif
