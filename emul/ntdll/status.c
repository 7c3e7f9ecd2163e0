/* status.c - ntdll's RtlNtStatusToDosError: the Win32 error of an
 * NTSTATUS, from libsec's one status table. */
#include "../common.h"

/* Statuses ntsec does not know give ERROR_MR_MID_NOT_FOUND, as Windows
 * does for a status it has no mapping for (Microsoft docs,
 * RtlNtStatusToDosError). */
ULONG WINAPI RtlNtStatusToDosError(NTSTATUS status)
{
    return ntsec_status_to_win32(status);
}
