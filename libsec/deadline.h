/* deadline.h - absolute deadlines for pthread_cond_timedwait on condition
 * variables set to CLOCK_MONOTONIC (WaitNamedPipe's timeout, the COM
 * pump's): the monotonic clock, so a change of the wall clock neither
 * shortens nor stretches a wait. */
#ifndef NTSEC_LIBSEC_DEADLINE_H
#define NTSEC_LIBSEC_DEADLINE_H

#include <stdint.h>
#include <time.h>

/* Now plus `ms` milliseconds on the monotonic clock. */
static inline struct timespec ntsec__deadline_after(uint32_t ms)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    ts.tv_sec += ms / 1000;
    ts.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    return ts;
}

#endif
