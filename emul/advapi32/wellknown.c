/* wellknown.c - advapi32's CreateWellKnownSid and IsWellKnownSid over
 * libsec's table of WELL_KNOWN_SID_TYPE values. */
#include "../common.h"

/* Order of checks and errors as Windows (results asserted by Wine's
 * dlls/advapi32/tests/security.c, test_CreateWellKnownSid): a NULL size
 * or an invalid domain SID is ERROR_INVALID_PARAMETER; a size too small
 * gives ERROR_INSUFFICIENT_BUFFER with *size set to the length needed,
 * before a NULL output buffer is noticed (ERROR_INVALID_PARAMETER); on
 * success *size is the SID's length. */
BOOL WINAPI CreateWellKnownSid(WELL_KNOWN_SID_TYPE type, PSID domain, PSID sid, DWORD *size)
{
    struct ntsec_sid tmp;
    ntsec_status st;
    DWORD len;

    if (!size || (domain && !ntsec_sid_is_valid(emul__sid(domain))))
        return emul__fail(ERROR_INVALID_PARAMETER);
    st = ntsec_sid_well_known((unsigned)type, emul__sid(domain), &tmp);
    if (!ntsec_success(st))
        return emul__result(st);
    len = (DWORD)ntsec_sid_length(&tmp);
    if (*size < len) {
        *size = len;
        return emul__fail(ERROR_INSUFFICIENT_BUFFER);
    }
    if (!sid)
        return emul__fail(ERROR_INVALID_PARAMETER);
    st = ntsec_sid_copy(sid, len, &tmp);
    if (!ntsec_success(st))
        return emul__result(st);
    *size = len;
    return TRUE;
}

/* IsWellKnownSid has no extended error (Microsoft docs): FALSE for an
 * invalid SID or another type. */
BOOL WINAPI IsWellKnownSid(PSID sid, WELL_KNOWN_SID_TYPE type)
{
    if (!ntsec_sid_is_valid(emul__sid(sid)))
        return FALSE;
    return ntsec_sid_well_known_type(emul__sid(sid)) == (int)type;
}
