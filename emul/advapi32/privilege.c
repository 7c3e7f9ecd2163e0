/* privilege.c - advapi32's privilege names and PrivilegeCheck:
 * LookupPrivilegeValueW, LookupPrivilegeNameW,
 * LookupPrivilegeDisplayNameW over libsec's privilege table
 * (include/ntsec/privilege.h), and PrivilegeCheck over ntdll's
 * NtPrivilegeCheck. */
#include "../handle.h"
#include "../wstr.h"

/* A remote system cannot be reached: RPC_S_SERVER_UNAVAILABLE (Windows
 * result asserted by Wine's dlls/advapi32/tests/security.c,
 * test_LookupPrivilegeValue and test_LookupPrivilegeName on
 * "b0gu5.Nu11"). */

/* The name is compared without case; an unknown one is
 * ERROR_NO_SUCH_PRIVILEGE (Wine's test_LookupPrivilegeValue, on
 * Windows). */
BOOL WINAPI LookupPrivilegeValueW(LPCWSTR system, LPCWSTR name, PLUID luid)
{
    struct ntsec_luid l;
    char *utf8 = NULL;
    NTSTATUS st;

    if (!emul__local_system(system))
        return emul__fail(RPC_S_SERVER_UNAVAILABLE);
    if (name) {
        st = emul__utf8_from_w(name, &utf8);
        if (!NT_SUCCESS(st))
            return emul__result(st);
    }
    st = ntsec_privilege_lookup(utf8, luid ? &l : NULL);
    ntsec_mem_free(utf8);
    if (!NT_SUCCESS(st))
        return emul__result(st);
    luid->LowPart = l.low;
    luid->HighPart = l.high;
    return TRUE;
}

/* A short buffer is ERROR_INSUFFICIENT_BUFFER with *cchName the length
 * plus one; success sets it to the length; an unknown LUID is
 * ERROR_NO_SUCH_PRIVILEGE (Windows results asserted by Wine's
 * test_LookupPrivilegeName). */
static BOOL give_name(const char *name, LPWSTR buf, LPDWORD cch)
{
    WCHAR *w;
    size_t len;
    NTSTATUS st;

    if (!cch)
        return emul__fail(ERROR_NOACCESS);
    st = emul__wdup(name, &w, &len);
    if (!NT_SUCCESS(st))
        return emul__result(st);
    st = emul__give_w(w, len, buf, cch);
    ntsec_mem_free(w);
    return emul__result(st);
}

BOOL WINAPI LookupPrivilegeNameW(LPCWSTR system, PLUID luid, LPWSTR name, LPDWORD cch)
{
    const char *n;

    if (!emul__local_system(system))
        return emul__fail(RPC_S_SERVER_UNAVAILABLE);
    if (!luid)
        return emul__fail(ERROR_NOACCESS);
    n = ntsec_privilege_name((struct ntsec_luid){ luid->LowPart, luid->HighPart });
    if (!n)
        return emul__fail(ERROR_NO_SUCH_PRIVILEGE);
    return give_name(n, name, cch);
}

/* The display name in US English, the only language ntsec has: the
 * language id is MAKELANGID(LANG_ENGLISH, SUBLANG_ENGLISH_US) (Microsoft
 * docs, LookupPrivilegeDisplayName, lpLanguageId). Same size protocol
 * as LookupPrivilegeName. */
BOOL WINAPI LookupPrivilegeDisplayNameW(LPCWSTR system, LPCWSTR name, LPWSTR display, LPDWORD cch,
                                        LPDWORD language)
{
    LUID luid;
    const char *d;

    if (!LookupPrivilegeValueW(system, name, &luid))
        return FALSE;
    d = ntsec_privilege_display_name((struct ntsec_luid){ luid.LowPart, luid.HighPart });
    if (!d)
        return emul__fail(ERROR_NO_SUCH_PRIVILEGE);
    if (!language)
        return emul__fail(ERROR_NOACCESS);
    if (!give_name(d, display, cch))
        return FALSE;
    *language = MAKELANGID(LANG_ENGLISH, SUBLANG_ENGLISH_US);
    return TRUE;
}

/* FALSE with the error of the call (ERROR_NO_IMPERSONATION_TOKEN for a
 * primary token); TRUE with *pfResult the answer otherwise (Microsoft
 * docs, PrivilegeCheck). */
BOOL WINAPI PrivilegeCheck(HANDLE token, PPRIVILEGE_SET privileges, LPBOOL result)
{
    BOOLEAN held = FALSE;
    NTSTATUS st;

    if (!result)
        return emul__fail(ERROR_NOACCESS);
    st = NtPrivilegeCheck(token, privileges, &held);
    if (!NT_SUCCESS(st))
        return emul__result(st);
    *result = held;
    return TRUE;
}
