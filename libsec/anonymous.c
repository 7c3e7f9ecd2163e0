/* anonymous.c - the anonymous logon token: the one token of the
 * ANONYMOUS LOGON session that NtImpersonateAnonymousToken gives a thread.
 *
 * What it holds (ReactOS ntoskrnl/se/token.c,
 * SepCreateSystemAnonymousLogonTokenNoEveryone, read for behaviour only):
 * a primary token of user and primary group ANONYMOUS LOGON (S-1-5-7) in
 * the anonymous logon session (ANONYMOUS_LOGON_LUID 0x3E6, winnt.h), no
 * group, no privilege, source "*SYSTEM*", and a default DACL that grants
 * GENERIC_ALL to Everyone and to ANONYMOUS LOGON. Windows leaves Everyone
 * out "unless the system default has been overridden" by the
 * EveryoneIncludesAnonymous registry value (Microsoft docs,
 * ImpersonateAnonymousToken, Remarks); ntsec has no registry and keeps
 * the default. Without a label group the token is at Untrusted integrity
 * (ntsec_token_create's rule for a token without a label).
 *
 * Windows makes the token once, at boot, and every caller shares it; here
 * it is made on first use and kept for the life of the process. */
#include <stdatomic.h>

#include "ntsec/impersonate.h"
#include "ntsec/acl.h"
#include "ntsec/sid.h"

static _Atomic(struct ntsec_token *) the_token;

/* ACL header, two ACCESS_ALLOWED ACEs (8 bytes each before the SID) and
 * the SIDs S-1-1-0 and S-1-5-7 (12 bytes each). */
#define DACL_SIZE (8 + 2 * (8 + 12))

static ntsec_status build(struct ntsec_token **out)
{
    static const uint32_t world_rid = 0, anonymous_rid = 7;
    _Alignas(4) uint8_t dacl_bytes[DACL_SIZE];
    struct ntsec_acl *dacl = (struct ntsec_acl *)dacl_bytes;
    struct ntsec_sid world, anonymous;
    struct ntsec_token_desc d = {
        .type = NTSEC_TOKEN_PRIMARY,
        .user = { &anonymous, 0 },
        .default_dacl = dacl,
        .source = { { '*', 'S', 'Y', 'S', 'T', 'E', 'M', '*' }, { 0, 0 } },
        .authentication_id = { 0x3e6, 0 },
    };
    ntsec_status st;

    st = ntsec_sid_init(&world, 1, 1, &world_rid);
    if (ntsec_success(st))
        st = ntsec_sid_init(&anonymous, 5, 1, &anonymous_rid);
    if (ntsec_success(st))
        st = ntsec_acl_init(dacl, sizeof(dacl_bytes), NTSEC_ACL_REVISION);
    if (ntsec_success(st))
        st = ntsec_acl_add_access_ace(dacl, NTSEC_ACL_REVISION, NTSEC_ACE_ACCESS_ALLOWED, 0,
                                      NTSEC_GENERIC_ALL, &world);
    if (ntsec_success(st))
        st = ntsec_acl_add_access_ace(dacl, NTSEC_ACL_REVISION, NTSEC_ACE_ACCESS_ALLOWED, 0,
                                      NTSEC_GENERIC_ALL, &anonymous);
    if (!ntsec_success(st))
        return st;
    return ntsec_token_create(&d, out);
}

ntsec_status ntsec_token_anonymous(struct ntsec_token **out)
{
    struct ntsec_token *t = atomic_load_explicit(&the_token, memory_order_acquire);
    struct ntsec_token *none = NULL;
    ntsec_status st;

    if (!out)
        return NTSEC_STATUS_INVALID_PARAMETER;
    if (!t) {
        st = build(&t);
        if (!ntsec_success(st))
            return st;
        /* Two first callers may race: one token wins, the other goes. */
        if (!atomic_compare_exchange_strong_explicit(&the_token, &none, t, memory_order_acq_rel,
                                                     memory_order_acquire)) {
            ntsec_token_put(t);
            t = none;
        }
    }
    *out = ntsec_token_get(t);
    return NTSEC_STATUS_SUCCESS;
}
