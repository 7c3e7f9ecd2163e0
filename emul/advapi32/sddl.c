/* sddl.c - advapi32's SDDL conversions,
 * ConvertStringSecurityDescriptorToSecurityDescriptor(W/A) and
 * ConvertSecurityDescriptorToStringSecurityDescriptor(W/A), over libsec's
 * sddl.h. Descriptors and strings handed out are released with LocalFree
 * (Microsoft docs for both functions). The A forms use the ANSI code
 * page, which on ntsec is UTF-8. Domain-relative aliases have no domain
 * SID to resolve against (docs/abi.md). */
#include <string.h>

#include "../common.h"

/* A NULL string or output is ERROR_INVALID_PARAMETER, checked before the
 * revision (ERROR_UNKNOWN_REVISION); malformed text gives the error
 * libsec's status maps to (Windows results asserted by Wine's
 * dlls/advapi32/tests/security.c, test_ConvertStringSecurityDescriptor). */
static BOOL string_to_sd(const char *text, DWORD revision, PSECURITY_DESCRIPTOR *sd, PULONG size)
{
    void *out;
    uint32_t len;
    ntsec_status st;

    st = ntsec_sddl_to_sd(text, NULL, revision, &out, &len, NULL);
    if (!ntsec_success(st))
        return emul__result(st);
    *sd = out;
    if (size)
        *size = len;
    return TRUE;
}

BOOL WINAPI ConvertStringSecurityDescriptorToSecurityDescriptorA(LPCSTR str, DWORD revision,
                                                                 PSECURITY_DESCRIPTOR *sd, PULONG size)
{
    if (!str || !sd)
        return emul__fail(ERROR_INVALID_PARAMETER);
    return string_to_sd(str, revision, sd, size);
}

BOOL WINAPI ConvertStringSecurityDescriptorToSecurityDescriptorW(LPCWSTR str, DWORD revision,
                                                                 PSECURITY_DESCRIPTOR *sd, PULONG size)
{
    char *utf8;
    ntsec_status st;
    BOOL ok;

    if (!str || !sd)
        return emul__fail(ERROR_INVALID_PARAMETER);
    st = emul__utf8_from_w(str, &utf8);
    if (!ntsec_success(st))
        return emul__result(st);
    ok = string_to_sd(utf8, revision, sd, size);
    ntsec_mem_free(utf8);
    return ok;
}

/* *len (optional) receives the string's length with its NUL, in
 * characters (Microsoft docs,
 * ConvertSecurityDescriptorToStringSecurityDescriptor, Parameters). */
static BOOL sd_to_string(PSECURITY_DESCRIPTOR sd, DWORD revision, SECURITY_INFORMATION info,
                         char **out, size_t *out_len)
{
    ntsec_status st;

    if (!sd || !out)
        return emul__fail(ERROR_INVALID_PARAMETER);
    st = ntsec_sd_to_sddl(sd, NULL, revision, info, out, out_len);
    return emul__result(st);
}

BOOL WINAPI ConvertSecurityDescriptorToStringSecurityDescriptorA(PSECURITY_DESCRIPTOR sd, DWORD revision,
                                                                 SECURITY_INFORMATION info, LPSTR *str,
                                                                 PULONG len)
{
    char *utf8;
    size_t n;

    if (!str)
        return emul__fail(ERROR_INVALID_PARAMETER);
    if (!sd_to_string(sd, revision, info, &utf8, &n))
        return FALSE;
    *str = utf8;
    if (len)
        *len = (ULONG)(n + 1);
    return TRUE;
}

BOOL WINAPI ConvertSecurityDescriptorToStringSecurityDescriptorW(PSECURITY_DESCRIPTOR sd, DWORD revision,
                                                                 SECURITY_INFORMATION info, LPWSTR *str,
                                                                 PULONG len)
{
    char *utf8;
    size_t n, wn;
    WCHAR *w;
    ntsec_status st;

    if (!str)
        return emul__fail(ERROR_INVALID_PARAMETER);
    if (!sd_to_string(sd, revision, info, &utf8, &n))
        return FALSE;
    st = emul__w_from_utf8(utf8, n, &w, &wn);
    ntsec_mem_free(utf8);
    if (!ntsec_success(st))
        return emul__result(st);
    *str = w;
    if (len)
        *len = (ULONG)(wn + 1);
    return TRUE;
}
