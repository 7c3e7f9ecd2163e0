/* token_dup.c - NtDuplicateToken / DuplicateTokenEx / SeCopyClientToken:
 * a new token object with the source's current state, as a primary or an
 * impersonation token, optionally only its effective (enabled) part.
 *
 * Like every derived token it is made by the one constructor: a
 * consistent snapshot of the source (ntsec__token_describe), changed as
 * the call asks, then ntsec__token_build. */
#include "alloc.h"
#include "token.h"

/* What a description cannot carry, copied from the source onto a token
 * just built and not yet seen by anyone else: the TokenFlags-like bits
 * (sandbox inert, LUA, filtered, UIAccess, virtualization), which a duplicate and a
 * filtered token keep (ReactOS SepDuplicateToken and SepPerformTokenFiltering
 * copy the source's TokenFlags; behaviour only); and whether the logon
 * session holds network credentials (docs/calls.md): a copy is still the
 * same logon session. */
void ntsec__token_inherit(struct ntsec_token *dst, const struct ntsec_token *src)
{
    dst->no_network_credentials = src->no_network_credentials;
    dst->sandbox_inert = src->sandbox_inert;
    dst->lua_token = src->lua_token;
    dst->filtered = src->filtered;
    atomic_store_explicit(&dst->ui_access,
                          atomic_load_explicit(&src->ui_access, memory_order_relaxed),
                          memory_order_relaxed);
    atomic_store_explicit(&dst->virtualization_allowed,
                          atomic_load_explicit(&src->virtualization_allowed, memory_order_relaxed),
                          memory_order_relaxed);
    atomic_store_explicit(&dst->virtualization_enabled,
                          atomic_load_explicit(&src->virtualization_enabled, memory_order_relaxed),
                          memory_order_relaxed);
}

/* EffectiveOnly keeps "just the effective (currently enabled) part of the
 * token": disabled privileges and disabled optional groups are not
 * copied (ZwDuplicateToken, EffectiveOnly, Microsoft docs). A mandatory
 * group is always enabled. Two kinds of group are kept although they are
 * not SE_GROUP_ENABLED, because dropping them would give the copy MORE
 * access than the source, which the docs rule out ("would not be able to
 * access anything the caller did not have access to"): a deny-only group
 * (it only ever denies) and the integrity label (SE_GROUP_INTEGRITY;
 * without it the copy would lose its integrity level). ReactOS drops
 * every group without SE_GROUP_ENABLED; we do not follow it there. */
static bool effective_group(uint32_t attributes)
{
    return attributes & (NTSEC_SE_GROUP_ENABLED | NTSEC_SE_GROUP_USE_FOR_DENY_ONLY |
                         NTSEC_SE_GROUP_INTEGRITY);
}

static bool in_groups(const struct ntsec_sid *sid, const struct ntsec_sid_and_attributes *g,
                      size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (ntsec_sid_equal(sid, g[i].sid))
            return true;
    return false;
}

/* Narrow `d` to its effective part, in arrays allocated into *groups and
 * *privs (the description's own arrays stay with it for release). */
static ntsec_status effective_only(struct ntsec_token_desc *d,
                                   struct ntsec_sid_and_attributes **groups,
                                   struct ntsec_luid_and_attributes **privs)
{
    size_t ng = 0, np = 0;

    *groups = ntsec__alloc((d->group_count ? d->group_count : 1) * sizeof(**groups));
    *privs = ntsec__alloc((d->privilege_count ? d->privilege_count : 1) * sizeof(**privs));
    if (!*groups || !*privs)
        return NTSEC_STATUS_NO_MEMORY;
    for (size_t i = 0; i < d->group_count; i++)
        if (effective_group(d->groups[i].attributes))
            (*groups)[ng++] = d->groups[i];
    for (size_t i = 0; i < d->privilege_count; i++)
        if (d->privileges[i].attributes & NTSEC_SE_PRIVILEGE_ENABLED)
            (*privs)[np++] = d->privileges[i];
    /* A dropped group can no longer be the owner or primary group, which
     * must be SIDs of the token (TOKEN_OWNER, TOKEN_PRIMARY_GROUP,
     * Microsoft docs): they fall back to the user. */
    if (d->owner && !ntsec_sid_equal(d->owner, d->user.sid) && !in_groups(d->owner, *groups, ng))
        d->owner = d->user.sid;
    if (d->primary_group && !ntsec_sid_equal(d->primary_group, d->user.sid) &&
        !in_groups(d->primary_group, *groups, ng))
        d->primary_group = d->user.sid;
    d->groups = *groups;
    d->group_count = ng;
    d->privileges = *privs;
    d->privilege_count = np;
    return NTSEC_STATUS_SUCCESS;
}

/* The describe snapshot and ModifiedId must agree: every change of the
 * source moves its ModifiedId, so an unchanged ModifiedId around the
 * snapshot means the copy's ModifiedId is the one of the state copied. */
static ntsec_status snapshot(const struct ntsec_token *src, struct ntsec_token_desc *d,
                             uint64_t *modified_id)
{
    for (;;) {
        uint64_t before = atomic_load_explicit(&src->modified_id, memory_order_acquire);
        ntsec_status st = ntsec__token_describe(src, d);

        if (!ntsec_success(st))
            return st;
        if (atomic_load_explicit(&src->modified_id, memory_order_acquire) == before) {
            *modified_id = before;
            return NTSEC_STATUS_SUCCESS;
        }
        ntsec__token_desc_release(d);
    }
}

ntsec_status ntsec_token_duplicate(const struct ntsec_token *src, const struct ntsec_token_dup *how,
                                   struct ntsec_token **out)
{
    struct ntsec_sid_and_attributes *groups = NULL;
    struct ntsec_luid_and_attributes *privs = NULL;
    struct ntsec_token_desc d, described;
    struct ntsec_token *t = NULL;
    uint64_t modified_id;
    ntsec_status st;

    /* NtDuplicateToken: a TokenType other than primary or impersonation
     * is STATUS_INVALID_PARAMETER (ReactOS NtDuplicateToken, behaviour
     * only); so is a level outside SECURITY_IMPERSONATION_LEVEL. */
    if (!src || !how || !out)
        return NTSEC_STATUS_INVALID_PARAMETER;
    if (how->type != NTSEC_TOKEN_PRIMARY && how->type != NTSEC_TOKEN_IMPERSONATION)
        return NTSEC_STATUS_INVALID_PARAMETER;
    if ((unsigned)how->level > NTSEC_SECURITY_DELEGATION)
        return NTSEC_STATUS_INVALID_PARAMETER;
    /* An impersonation token cannot be copied to a higher level, and one
     * below SecurityImpersonation cannot become a primary token: both
     * STATUS_BAD_IMPERSONATION_LEVEL (ZwDuplicateToken, Microsoft docs;
     * DuplicateToken(Anonymous token, SecurityIdentification) fails with
     * ERROR_BAD_IMPERSONATION_LEVEL: Windows result asserted by Wine's
     * dlls/advapi32/tests/security.c, test_impersonation_level). A primary
     * source may become any type at any level. As in the kernel, the level
     * asked for is checked whatever the new type. */
    if (src->type == NTSEC_TOKEN_IMPERSONATION) {
        if (how->level > src->level)
            return NTSEC_STATUS_BAD_IMPERSONATION_LEVEL;
        if (how->type == NTSEC_TOKEN_PRIMARY && src->level < NTSEC_SECURITY_IMPERSONATION)
            return NTSEC_STATUS_BAD_IMPERSONATION_LEVEL;
    }

    st = snapshot(src, &d, &modified_id);
    if (!ntsec_success(st))
        return st;
    described = d;                      /* what describe allocated, for release */
    /* Everything else is copied as it is now: user, groups and privileges
     * with their current attributes, owner, primary group, default DACL,
     * source, AuthenticationId (same logon session), session, restricted
     * SIDs, integrity and policy, claims, elevation type and linked token
     * (a duplicate keeps the elevation type and linked token: Windows
     * result asserted by Wine's test_elevation). */
    d.type = how->type;
    d.level = how->type == NTSEC_TOKEN_IMPERSONATION ? how->level : NTSEC_SECURITY_ANONYMOUS;
    if (how->effective_only)
        st = effective_only(&d, &groups, &privs);
    if (ntsec_success(st))
        st = ntsec__token_build(&d, &t);
    ntsec__token_desc_release(&described);
    ntsec__free(groups);
    ntsec__free(privs);
    if (!ntsec_success(st))
        return st;

    /* A new TokenId (the builder's), but the source's ModifiedId: the copy
     * holds the same modification state (ReactOS SepDuplicateToken copies
     * ModifiedId; TOKEN_STATISTICS, Microsoft docs: ModifiedId "changes
     * each time the token is modified", and a duplicate is a new object,
     * not a modification). */
    atomic_store_explicit(&t->modified_id, modified_id, memory_order_relaxed);
    ntsec__token_inherit(t, src);
    *out = t;
    return NTSEC_STATUS_SUCCESS;
}
