/* perfcounter.c - QueryPerformanceCounter and QueryPerformanceFrequency
 * for the libntsec build of bench_impersonate_win32.c. libntsec emulates
 * Windows security, not kernel32's clock, so the benchmark's own build
 * brings these two: a 1 GHz counter over CLOCK_MONOTONIC (the clock
 * bench/bench.h uses; Wine's counter also reads the Linux monotonic clock). */
#include <windows.h>

#include <time.h>

BOOL WINAPI QueryPerformanceCounter(LARGE_INTEGER *counter)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    counter->QuadPart = (LONGLONG)ts.tv_sec * 1000000000 + ts.tv_nsec;
    return TRUE;
}

/* "The frequency of the performance counter is fixed at system boot"
 * (Microsoft docs, QueryPerformanceFrequency): here, nanoseconds. */
BOOL WINAPI QueryPerformanceFrequency(LARGE_INTEGER *frequency)
{
    frequency->QuadPart = 1000000000;
    return TRUE;
}
