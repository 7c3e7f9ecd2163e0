/* bench_impersonate_win32.c - impersonate/revert through the Win32 API
 * only, one source for two runtimes: built with mingw and run under Wine,
 * and built with gcc against Wine's headers and linked with libntsec (as
 * tests/win32/win32_program.c is). bench_impersonate runs both and puts
 * their rows beside its own.
 *
 * The program times itself with QueryPerformanceCounter, so a runtime's
 * start-up (Wine's wineserver and prefix) is outside every timed loop.
 * Each case runs in batches of about 2 ms; it prints one line per case:
 *     row<TAB>case<TAB>median ns<TAB>min ns
 * and exits non-zero when a call fails. The token is the process' own,
 * duplicated as an impersonation token, so that every runtime lets the
 * thread impersonate it at SecurityImpersonation (same user: no
 * SeImpersonatePrivilege needed; Microsoft docs, ImpersonateLoggedOnUser). */
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>

#define BATCHES 31

static HANDLE imp_token;
static double ticks_per_ns;

static void fail(const char *what)
{
    printf("error\t%s failed (last error %lu)\n", what, (unsigned long)GetLastError());
    fflush(stdout);
    exit(1);
}

static double now_ns(void)
{
    LARGE_INTEGER t;

    QueryPerformanceCounter(&t);
    return (double)t.QuadPart / ticks_per_ns;
}

static void impersonate_logged_on_user(long n)
{
    for (long i = 0; i < n; i++)
        if (!ImpersonateLoggedOnUser(imp_token) || !RevertToSelf())
            fail("ImpersonateLoggedOnUser/RevertToSelf");
}

static void set_thread_token(long n)
{
    for (long i = 0; i < n; i++)
        if (!SetThreadToken(NULL, imp_token) || !SetThreadToken(NULL, NULL))
            fail("SetThreadToken");
}

/* Runs while the thread impersonates (main sets it up). */
static void open_thread_token(long n)
{
    HANDLE h;

    for (long i = 0; i < n; i++)
        if (!OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &h) || !CloseHandle(h))
            fail("OpenThreadToken/CloseHandle");
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The harness of bench/bench.h, on the Windows clock: a batch size of
 * about 2 ms, then the median and minimum over BATCHES batches. */
static void run(const char *name, void (*fn)(long))
{
    double per[BATCHES], t0, t;
    long iters = 1;

    for (;;) {
        t0 = now_ns();
        fn(iters);
        t = now_ns() - t0;
        if (t > 2e6 || iters > (1L << 30))
            break;
        iters *= 2;
    }
    for (int b = 0; b < BATCHES; b++) {
        t0 = now_ns();
        fn(iters);
        per[b] = (now_ns() - t0) / (double)iters;
    }
    qsort(per, BATCHES, sizeof(per[0]), cmp_double);
    printf("row\t%s\t%.1f\t%.1f\n", name, per[BATCHES / 2], per[0]);
    fflush(stdout);
}

int main(void)
{
    LARGE_INTEGER freq;
    HANDLE process_token;

    if (!QueryPerformanceFrequency(&freq))
        fail("QueryPerformanceFrequency");
    ticks_per_ns = (double)freq.QuadPart / 1e9;
    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_DUPLICATE | TOKEN_QUERY, &process_token))
        fail("OpenProcessToken");
    if (!DuplicateTokenEx(process_token, TOKEN_IMPERSONATE | TOKEN_QUERY | TOKEN_DUPLICATE, NULL,
                          SecurityImpersonation, TokenImpersonation, &imp_token))
        fail("DuplicateTokenEx");

    run("ImpersonateLoggedOnUser + RevertToSelf", impersonate_logged_on_user);
    run("SetThreadToken set + clear", set_thread_token);
    if (!SetThreadToken(NULL, imp_token))
        fail("SetThreadToken");
    run("OpenThreadToken + CloseHandle", open_thread_token);
    if (!RevertToSelf())
        fail("RevertToSelf");

    CloseHandle(imp_token);
    CloseHandle(process_token);
    return 0;
}
