/* wstr.h - giving a UTF-8 answer from libsec to a W function's caller
 * buffer with Windows' character-count protocol, shared by the lookup
 * functions (privilege and account names). No Windows rule lives here
 * beyond the protocol each caller cites. */
#ifndef NTSEC_EMUL_WSTR_H
#define NTSEC_EMUL_WSTR_H

#include <string.h>

#include "common.h"

/* UTF-16 of `s`, allocated (ntsec_mem_free it); *len its units without
 * the NUL. */
static inline NTSTATUS emul__wdup(const char *s, WCHAR **out, size_t *len)
{
    return emul__w_from_utf8(s, strlen(s), out, len);
}

/* The protocol of LookupPrivilegeName, LookupAccountSid and friends: the
 * answer fits when *cch counts more characters than its length (room for
 * the NUL). Then it is copied (when `buf` is not NULL: a NULL buffer with
 * a large enough count succeeds without a write, Windows result asserted
 * by Wine's dlls/advapi32/tests/security.c, test_LookupAccountSid) and
 * *cch becomes the length without the NUL. */
static inline bool emul__fits_w(size_t len, const DWORD *cch)
{
    return *cch > len;
}

static inline void emul__put_w(const WCHAR *w, size_t len, LPWSTR buf, LPDWORD cch)
{
    if (buf)
        memcpy(buf, w, (len + 1) * sizeof(WCHAR));
    *cch = (DWORD)len;
}

/* One answer: copied as above, or *cch = length + 1 and
 * STATUS_BUFFER_TOO_SMALL. */
static inline NTSTATUS emul__give_w(const WCHAR *w, size_t len, LPWSTR buf, LPDWORD cch)
{
    if (!emul__fits_w(len, cch)) {
        *cch = (DWORD)len + 1;
        return STATUS_BUFFER_TOO_SMALL;
    }
    emul__put_w(w, len, buf, cch);
    return STATUS_SUCCESS;
}

/* A system name that stands for this machine: NULL or empty. Any other
 * names a remote system, which ntsec cannot reach. */
static inline bool emul__local_system(LPCWSTR system)
{
    return !system || !system[0];
}

#endif
