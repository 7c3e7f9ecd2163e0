/* sidstring.c - advapi32's ConvertSidToStringSid(W/A) and
 * ConvertStringSidToSid(W/A): SID strings ("S-1-5-32-544") and SDDL SID
 * aliases ("BA") over libsec's sid.h. Results are allocated with
 * LocalAlloc's allocator and released with LocalFree, as Windows
 * documents for both functions.
 *
 * The A functions take and give the ANSI code page, which on ntsec is
 * UTF-8. Domain-relative aliases (DA, DU, LA, ...) have no machine or
 * domain SID to resolve against, so they fail as on a machine outside a
 * domain (docs/abi.md). */
#include <string.h>

#include "../common.h"

/* Microsoft docs, ConvertSidToStringSid, Return value: ERROR_INVALID_SID
 * for an invalid SID, ERROR_INVALID_PARAMETER for an invalid parameter,
 * ERROR_NOT_ENOUGH_MEMORY. */
static BOOL sid_to_string(PSID sid, char **out, size_t *out_len)
{
    char text[NTSEC_SID_STRING_MAX];
    size_t len;
    char *s;

    if (!out)
        return emul__fail(ERROR_INVALID_PARAMETER);
    if (!ntsec_sid_is_valid(emul__sid(sid)))
        return emul__fail(ERROR_INVALID_SID);
    len = ntsec_sid_format(emul__sid(sid), text, sizeof(text));
    if (len >= sizeof(text))
        return emul__fail(ERROR_INVALID_SID);
    s = ntsec_mem_alloc(len + 1);
    if (!s)
        return emul__fail(ERROR_NOT_ENOUGH_MEMORY);
    memcpy(s, text, len + 1);
    *out = s;
    *out_len = len;
    return TRUE;
}

BOOL WINAPI ConvertSidToStringSidA(PSID sid, LPSTR *str)
{
    size_t len;

    return sid_to_string(sid, str, &len);
}

BOOL WINAPI ConvertSidToStringSidW(PSID sid, LPWSTR *str)
{
    char *utf8;
    size_t len;
    WCHAR *w;
    ntsec_status st;

    if (!str)
        return emul__fail(ERROR_INVALID_PARAMETER);
    if (!sid_to_string(sid, &utf8, &len))
        return FALSE;
    st = emul__w_from_utf8(utf8, len, &w, NULL);
    ntsec_mem_free(utf8);
    if (!ntsec_success(st))
        return emul__result(st);
    *str = w;
    return TRUE;
}

/* Errors as Windows (results asserted by Wine's dlls/advapi32/tests/
 * security.c, test_ConvertStringSidToSid): a NULL string or output is
 * ERROR_INVALID_PARAMETER; text that is not exactly one SID ("S-1-5",
 * "WDandmorecharacters", "WD)") is ERROR_INVALID_SID. */
static BOOL string_to_sid(const char *text, PSID *sid)
{
    struct ntsec_sid tmp;
    ntsec_status st;
    size_t len;
    void *p;

    st = ntsec_sid_from_string(text, NULL, &tmp);
    if (!ntsec_success(st))
        return emul__result(st);
    len = ntsec_sid_length(&tmp);
    p = ntsec_mem_alloc(len);
    if (!p)
        return emul__fail(ERROR_NOT_ENOUGH_MEMORY);
    memcpy(p, &tmp, len);
    *sid = p;
    return TRUE;
}

BOOL WINAPI ConvertStringSidToSidA(LPCSTR str, PSID *sid)
{
    if (!str || !sid)
        return emul__fail(ERROR_INVALID_PARAMETER);
    return string_to_sid(str, sid);
}

BOOL WINAPI ConvertStringSidToSidW(LPCWSTR str, PSID *sid)
{
    char *utf8;
    ntsec_status st;
    BOOL ok;

    if (!str || !sid)
        return emul__fail(ERROR_INVALID_PARAMETER);
    st = emul__utf8_from_w(str, &utf8);
    if (!ntsec_success(st))
        return emul__result(st);
    ok = string_to_sid(utf8, sid);
    ntsec_mem_free(utf8);
    return ok;
}
