/* privilege_check.c - PrivilegeCheck / NtPrivilegeCheck: does a token
 * hold the privileges of a PRIVILEGE_SET enabled. */
#include "token.h"

/* With PRIVILEGE_SET_ALL_NECESSARY every privilege of the set must be
 * enabled, otherwise any one; each enabled one gets
 * SE_PRIVILEGE_USED_FOR_ACCESS ("PrivilegeCheck function", Microsoft
 * docs: "the function sets the SE_PRIVILEGE_USED_FOR_ACCESS attribute
 * ... for each privilege that is enabled"). The others are left as they
 * are. A LUID that names no privilege is simply not enabled. So an empty
 * set passes with ALL_NECESSARY and fails without (nothing to match).
 *
 * An impersonation token below SecurityIdentification cannot be asked:
 * ERROR_BAD_IMPERSONATION_LEVEL; Identification and primary tokens can
 * (Windows results asserted by Wine's dlls/advapi32/tests/security.c,
 * test_impersonation_level: "PrivilegeCheck for SecurityAnonymous token
 * should have failed with ERROR_BAD_IMPERSONATION_LEVEL", Identification
 * succeeds; test_CreateRestrictedToken checks a primary token's). The kernel's SePrivilegeCheck has its own level
 * rule for a client token (below SecurityImpersonation: FALSE), applied
 * by its DDI adapter. */
ntsec_status ntsec_privilege_check(const struct ntsec_token *token, struct ntsec_privilege_set *set,
                                   bool *result)
{
    struct ntsec_token *t = (struct ntsec_token *)token;
    uint64_t held;
    uint32_t seq, matched = 0, required;

    if (!token || !set || !result)
        return NTSEC_STATUS_INVALID_PARAMETER;
    if (token->type == NTSEC_TOKEN_IMPERSONATION && token->level < NTSEC_SECURITY_IDENTIFICATION)
        return NTSEC_STATUS_BAD_IMPERSONATION_LEVEL;
    /* One consistent view of the privileges for the whole set. */
    do {
        seq = ntsec__token_read_begin(t);
        held = atomic_load_explicit(&t->priv_present, memory_order_relaxed) &
               atomic_load_explicit(&t->priv_enabled, memory_order_relaxed);
    } while (ntsec__token_read_retry(t, seq));

    for (uint32_t i = 0; i < set->count; i++) {
        struct ntsec_luid l = set->privileges[i].luid;

        if (l.high == 0 && l.low >= NTSEC_SE_MIN_PRIVILEGE && l.low <= NTSEC_SE_MAX_PRIVILEGE &&
            (held & (1ull << l.low))) {
            set->privileges[i].attributes |= NTSEC_SE_PRIVILEGE_USED_FOR_ACCESS;
            matched++;
        }
    }
    required = (set->control & NTSEC_PRIVILEGE_SET_ALL_NECESSARY) ? set->count : 1;
    *result = matched >= required;
    return NTSEC_STATUS_SUCCESS;
}

/* The order Windows lists privileges used by an access check in:
 * SeTakeOwnershipPrivilege, then SeSecurityPrivilege (the order the check
 * grants WRITE_OWNER and ACCESS_SYSTEM_SECURITY in), then any other by
 * LUID. */
static const enum ntsec_privilege used_order[] = {
    NTSEC_SE_TAKE_OWNERSHIP_PRIVILEGE,
    NTSEC_SE_SECURITY_PRIVILEGE,
};

static void set_append(struct ntsec_privilege_set *set, unsigned luid)
{
    struct ntsec_luid_and_attributes *p = &set->privileges[set->count++];

    p->luid.low = luid;
    p->luid.high = 0;
    p->attributes = NTSEC_SE_PRIVILEGE_USED_FOR_ACCESS;
}

void ntsec_privilege_set_from_mask(uint64_t used, struct ntsec_privilege_set *set)
{
    uint64_t rest = used;

    set->count = 0;
    set->control = 0;
    for (size_t i = 0; i < sizeof(used_order) / sizeof(used_order[0]); i++)
        if (used & (1ull << used_order[i])) {
            set_append(set, used_order[i]);
            rest &= ~(1ull << used_order[i]);
        }
    for (unsigned luid = 0; luid < 64; luid++)
        if (rest & (1ull << luid))
            set_append(set, luid);
}
