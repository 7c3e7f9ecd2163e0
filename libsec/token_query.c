/* token_query.c - the questions asked of a token: is a privilege enabled,
 * is a SID a member (CheckTokenMembership), is it an admin
 * (SeTokenIsAdmin), restricted (SeTokenIsRestricted), its integrity level
 * and ids, are two tokens equivalent (NtCompareTokens), and its linked
 * token (TokenLinkedToken). All lock-free: immutable fields directly,
 * mutable ones under the seqlock (token.h). */
#include "alloc.h"
#include "token.h"

static const struct ntsec_sid builtin_admins = {   /* S-1-5-32-544 */
    1, 2, { 0, 0, 0, 0, 0, 5 }, { 32, 544 }
};

static inline uint32_t attrs(const struct ntsec__token_sid *e)
{
    return atomic_load_explicit(&((struct ntsec__token_sid *)e)->attributes, memory_order_relaxed);
}

bool ntsec_token_privilege_enabled(const struct ntsec_token *token, struct ntsec_luid luid)
{
    struct ntsec_token *t = (struct ntsec_token *)token;
    uint64_t present, enabled, bit;
    uint32_t seq;

    if (luid.high != 0 || luid.low < NTSEC_SE_MIN_PRIVILEGE || luid.low > NTSEC_SE_MAX_PRIVILEGE)
        return false;
    bit = 1ull << luid.low;
    do {
        seq = ntsec__token_read_begin(t);
        present = atomic_load_explicit(&t->priv_present, memory_order_relaxed);
        enabled = atomic_load_explicit(&t->priv_enabled, memory_order_relaxed);
    } while (ntsec__token_read_retry(t, seq));
    return (present & enabled & bit) != 0;
}

/* An enabled, not deny-only, entry of `index`. The user counts as enabled
 * unless it is deny-only: its attributes are 0 in a normal token (TokenUser
 * shows 0) yet it always takes part in access checks ("SID Attributes in
 * an Access Token", Microsoft docs: SE_GROUP_ENABLED / USE_FOR_DENY_ONLY). */
enum entry_kind { USER_AND_GROUPS, GROUPS_ONLY, RESTRICTING };

static bool enabled_in(const struct ntsec__sid_index *index, const struct ntsec__token_sid *e,
                       const struct ntsec_sid *sid, uint32_t hash, enum entry_kind kind)
{
    uint32_t pos = ntsec__sid_index_find_hashed(index, e, sid, hash), a;

    if (pos == NTSEC__NO_INDEX)
        return false;
    a = attrs(&e[pos]);
    if (a & NTSEC_SE_GROUP_USE_FOR_DENY_ONLY)
        return false;
    /* Restricting SIDs cannot be adjusted (AdjustTokenGroups acts on the
     * groups only); present and not deny-only is enough. */
    if (kind == RESTRICTING || (kind == USER_AND_GROUPS && pos == 0))
        return true;
    return (a & NTSEC_SE_GROUP_ENABLED) != 0;
}

/* CheckTokenMembership: "If the SID is present and has the
 * SE_GROUP_ENABLED attribute, IsMember returns TRUE" (Microsoft docs); a
 * deny-only SID is never enabled ("If this attribute is set, the
 * SE_GROUP_ENABLED attribute is not set", SID Attributes in an Access
 * Token). For a restricted token the SID must also be an enabled
 * restricting SID: CheckTokenMembership answers as the access check it is
 * built on does, whose second pass runs over the restricting SIDs
 * ("Restricted Tokens", Microsoft docs: access is granted only if both
 * checks grant it). A write-restricted token restricts only write access,
 * so membership ignores its restricting SIDs. */
bool ntsec_token_is_member(const struct ntsec_token *token, const struct ntsec_sid *sid)
{
    uint32_t seq, hash;
    bool member;

    if (!token || !ntsec_sid_is_valid(sid))
        return false;
    hash = ntsec__sid_hash(sid);
    do {
        seq = ntsec__token_read_begin(token);
        member = enabled_in(&token->index, token->sids, sid, hash, USER_AND_GROUPS);
        if (member && token->restricted_count && !token->write_restricted)
            member = enabled_in(&token->restricted_index, token->restricted, sid, hash, RESTRICTING);
    } while (ntsec__token_read_retry(token, seq));
    return member;
}

/* SeTokenIsAdmin: "determines whether a token contains the local
 * administrators group" (Microsoft docs), i.e. BUILTIN\Administrators as
 * an enabled group; made deny-only (a UAC limited token, a filtered
 * token) it no longer counts, which is what a filtered admin token is for
 * (CreateRestrictedToken docs). Restricting SIDs are not consulted. */
bool ntsec_token_is_admin(const struct ntsec_token *token)
{
    uint32_t seq, hash = ntsec__sid_hash(&builtin_admins);
    bool admin;

    do {
        seq = ntsec__token_read_begin(token);
        admin = enabled_in(&token->index, token->sids, &builtin_admins, hash, GROUPS_ONLY);
    } while (ntsec__token_read_retry(token, seq));
    return admin;
}

/* IsTokenRestricted / SeTokenIsRestricted: "If the token contains a list
 * of restricting SIDs" - only that list, not disabled SIDs or deleted
 * privileges (IsTokenRestricted, Remarks, Microsoft docs). */
bool ntsec_token_is_restricted(const struct ntsec_token *token)
{
    return token->restricted_count != 0;
}

uint32_t ntsec_token_integrity(const struct ntsec_token *token)
{
    return atomic_load_explicit(&((struct ntsec_token *)token)->integrity_rid,
                                memory_order_relaxed);
}

struct ntsec_luid ntsec_token_id(const struct ntsec_token *token)
{
    return token->token_id;
}

struct ntsec_luid ntsec_token_authentication_id(const struct ntsec_token *token)
{
    return token->authentication_id;
}

struct ntsec_luid ntsec_token_modified_id(const struct ntsec_token *token)
{
    return ntsec__u64_to_luid(atomic_load_explicit(&((struct ntsec_token *)token)->modified_id,
                                                   memory_order_relaxed));
}

/* --- NtCompareTokens ----------------------------------------------------- */

/* Every SID of `a` (but the label, compared apart) is in `b`'s index. */
static bool sids_in(const struct ntsec__token_sid *a, uint32_t count, uint32_t skip,
                    const struct ntsec__sid_index *index, const struct ntsec__token_sid *b)
{
    for (uint32_t i = 0; i < count; i++)
        if (i != skip && ntsec__sid_index_find_hashed(index, b, a[i].sid, a[i].hash) ==
                             NTSEC__NO_INDEX)
            return false;
    return true;
}

/* NtCompareTokens (Microsoft docs, Remarks): equivalent when every SID in
 * either token is in the other, neither or both are restricted, both
 * restricting lists hold the same SIDs, and every privilege in either is
 * in the other. The docs speak of presence only: attributes (enabled,
 * deny-only) are not compared. The integrity label is a SID of the token
 * too (TokenGroups lists it): both have one of the same level, or neither. */
bool ntsec_token_equal(const struct ntsec_token *a, const struct ntsec_token *b)
{
    uint64_t pa, pb;
    uint32_t ra, rb, seq;

    if (a == b)
        return true;
    if ((a->restricted_count == 0) != (b->restricted_count == 0))
        return false;
    if ((a->integrity_pos == NTSEC__NO_INDEX) != (b->integrity_pos == NTSEC__NO_INDEX))
        return false;
    if (!sids_in(a->sids, a->sid_count, a->integrity_pos, &b->index, b->sids) ||
        !sids_in(b->sids, b->sid_count, b->integrity_pos, &a->index, a->sids) ||
        !sids_in(a->restricted, a->restricted_count, NTSEC__NO_INDEX, &b->restricted_index,
                 b->restricted) ||
        !sids_in(b->restricted, b->restricted_count, NTSEC__NO_INDEX, &a->restricted_index,
                 a->restricted))
        return false;
    do {
        seq = ntsec__token_read_begin(a);
        pa = atomic_load_explicit(&((struct ntsec_token *)a)->priv_present, memory_order_relaxed);
        ra = atomic_load_explicit(&((struct ntsec_token *)a)->integrity_rid, memory_order_relaxed);
    } while (ntsec__token_read_retry(a, seq));
    do {
        seq = ntsec__token_read_begin(b);
        pb = atomic_load_explicit(&((struct ntsec_token *)b)->priv_present, memory_order_relaxed);
        rb = atomic_load_explicit(&((struct ntsec_token *)b)->integrity_rid, memory_order_relaxed);
    } while (ntsec__token_read_retry(b, seq));
    return pa == pb && (a->integrity_pos == NTSEC__NO_INDEX || ra == rb);
}

/* --- TokenLinkedToken ---------------------------------------------------- */

/* GetTokenInformation(TokenLinkedToken) gives a new token each time: an
 * impersonation token at SecurityIdentification, a copy of the other
 * half of the UAC pair, whose own linked token is the token asked (asking
 * the copy for its linked token gives a new limited token again); a token
 * without a linked one gives a NULL handle and success (Windows results
 * asserted by Wine's dlls/advapi32/tests/security.c, test_elevation). The
 * copy links back to `token` by reference, the original pair never to a
 * copy, so no reference cycle forms. */
ntsec_status ntsec_token_linked(const struct ntsec_token *token, struct ntsec_token **out)
{
    struct ntsec_token_desc d;
    struct ntsec_token *copy;
    ntsec_status st;

    if (!token || !out)
        return NTSEC_STATUS_INVALID_PARAMETER;
    if (!token->linked) {
        *out = NULL;
        return NTSEC_STATUS_SUCCESS;
    }
    st = ntsec__token_describe(token->linked, &d);
    if (!ntsec_success(st))
        return st;
    {
        struct ntsec_token_desc want = d;

        want.type = NTSEC_TOKEN_IMPERSONATION;
        want.level = NTSEC_SECURITY_IDENTIFICATION;
        want.linked_token = (struct ntsec_token *)token;
        st = ntsec__token_build(&want, &copy);
    }
    ntsec__token_desc_release(&d);
    if (!ntsec_success(st))
        return st;
    *out = copy;
    return NTSEC_STATUS_SUCCESS;
}
