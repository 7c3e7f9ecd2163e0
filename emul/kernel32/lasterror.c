/* lasterror.c - kernel32's per-thread last error (GetLastError,
 * SetLastError). Windows keeps it in the thread's TEB; here it is a
 * thread-local variable, zero in every new thread as in a new TEB. */
#include "../common.h"

static _Thread_local DWORD last_error;

DWORD WINAPI GetLastError(void)
{
    return last_error;
}

void WINAPI SetLastError(DWORD error)
{
    last_error = error;
}
