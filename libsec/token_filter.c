/* token_filter.c - NtFilterToken / SeFilterToken / CreateRestrictedToken:
 * a new token of the same type and level as the source, with SIDs made
 * deny-only, privileges deleted and restricting SIDs added; and the
 * LUA_TOKEN filtration UAC's limited token comes from.
 *
 * Made by the one constructor: the source's snapshot
 * (ntsec__token_describe), changed here, then ntsec__token_build. */
#include <string.h>

#include "alloc.h"
#include "token.h"
#include "token_info.h"

#define FILTER_FLAGS (NTSEC_FILTER_DISABLE_MAX_PRIVILEGE | NTSEC_FILTER_SANDBOX_INERT | \
                      NTSEC_FILTER_LUA_TOKEN | NTSEC_FILTER_WRITE_RESTRICTED)

/* A restricting SID is always enabled for the restricted pass: the kernel
 * stores it as SE_GROUP_MANDATORY | SE_GROUP_ENABLED_BY_DEFAULT |
 * SE_GROUP_ENABLED (ReactOS SepPerformTokenFiltering, behaviour only;
 * TokenRestrictedSids on a restricted token shows these). */
#define RESTRICTING_ATTRIBUTES (NTSEC_SE_GROUP_MANDATORY | NTSEC_SE_GROUP_ENABLED_BY_DEFAULT | \
                                NTSEC_SE_GROUP_ENABLED)

/* LUA_TOKEN makes the UAC limited token: LSASS passes the full token to
 * NtFilterToken "with the luaToken parameter flag to convert any elevated
 * group to UseForDenyOnly"; "Any other group that would match the
 * elevated RID check would be converted in the same way" (Forshaw,
 * Windows Security Internals ch. 4, "Linked Tokens and Elevation Type").
 * That check "inspects only the last RID of the SID", whatever its prefix
 * (ch. 4, "What Makes an Administrator User?"): the same test as
 * TokenElevation (ntsec__rid_is_elevated, token_info.c). The privileges a
 * standard user keeps are the five Microsoft lists for UAC
 * ("Understanding and Configuring User Account Control in Windows Vista";
 * Forshaw Listing 4-25). */
static const enum ntsec_privilege standard_user_privileges[] = {
    NTSEC_SE_CHANGE_NOTIFY_PRIVILEGE,
    NTSEC_SE_SHUTDOWN_PRIVILEGE,
    NTSEC_SE_UNDOCK_PRIVILEGE,
    NTSEC_SE_INC_WORKING_SET_PRIVILEGE,
    NTSEC_SE_TIME_ZONE_PRIVILEGE,
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static bool is_elevated(const struct ntsec_sid *sid)
{
    return ntsec__rid_is_elevated(ntsec_sid_rid(sid));
}

static bool standard_user_privilege(struct ntsec_luid luid)
{
    for (size_t i = 0; i < COUNT(standard_user_privileges); i++)
        if (luid.high == 0 && luid.low == (uint32_t)standard_user_privileges[i])
            return true;
    return false;
}

static bool sid_listed(const struct ntsec_sid *sid, const struct ntsec_sid_and_attributes *list,
                       size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (ntsec_sid_equal(sid, list[i].sid))
            return true;
    return false;
}

static bool luid_listed(struct ntsec_luid luid, const struct ntsec_luid_and_attributes *list,
                        size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (list[i].luid.low == luid.low && list[i].luid.high == luid.high)
            return true;
    return false;
}

/* Bad input is found before anything is allocated. SIDs must be valid
 * (the kernel's capture of the arrays checks them: STATUS_INVALID_SID);
 * a restricting SID's attributes "must be zero" (CreateRestrictedToken,
 * SidsToRestrict, Microsoft docs; STATUS_INVALID_PARAMETER as ReactOS);
 * unknown flags are refused. SIDs and privileges the token does not hold
 * are not errors: they are ignored (CreateRestrictedToken docs; Windows
 * result asserted by Wine's dlls/advapi32/tests/security.c,
 * test_CreateRestrictedToken, which passes an unknown SID and LUID
 * 0xdeadbeef and succeeds). */
static ntsec_status check_filter(const struct ntsec_token_filter *f)
{
    if (f->flags & ~FILTER_FLAGS)
        return NTSEC_STATUS_INVALID_PARAMETER;
    if ((f->disable_count && !f->sids_to_disable) ||
        (f->delete_count && !f->privileges_to_delete) ||
        (f->restricted_count && !f->restricted_sids))
        return NTSEC_STATUS_INVALID_PARAMETER;
    for (size_t i = 0; i < f->disable_count; i++)
        if (!ntsec_sid_is_valid(f->sids_to_disable[i].sid))
            return NTSEC_STATUS_INVALID_SID;
    for (size_t i = 0; i < f->restricted_count; i++) {
        if (!ntsec_sid_is_valid(f->restricted_sids[i].sid))
            return NTSEC_STATUS_INVALID_SID;
        if (f->restricted_sids[i].attributes != 0)
            return NTSEC_STATUS_INVALID_PARAMETER;
    }
    return NTSEC_STATUS_SUCCESS;
}

/* Disabling a SID "turns on SE_GROUP_USE_FOR_DENY_ONLY and turns off
 * SE_GROUP_ENABLED and SE_GROUP_ENABLED_BY_DEFAULT"; it applies to the user
 * SID and to mandatory groups too (SeFilterToken / CreateRestrictedToken,
 * SidsToDisable, Microsoft docs). The integrity label is not a group one
 * disables. */
static uint32_t deny_only(uint32_t attributes)
{
    return (attributes & ~(NTSEC_SE_GROUP_ENABLED | NTSEC_SE_GROUP_ENABLED_BY_DEFAULT)) |
           NTSEC_SE_GROUP_USE_FOR_DENY_ONLY;
}

static bool to_disable(const struct ntsec_sid *sid, const struct ntsec_token_filter *f)
{
    return sid_listed(sid, f->sids_to_disable, f->disable_count) ||
           ((f->flags & NTSEC_FILTER_LUA_TOKEN) && is_elevated(sid));
}

static void filter_groups(struct ntsec_token_desc *d, const struct ntsec_token_filter *f,
                          struct ntsec_sid_and_attributes *groups)
{
    for (size_t i = 0; i < d->group_count; i++) {
        groups[i] = d->groups[i];
        if (!(groups[i].attributes & NTSEC_SE_GROUP_INTEGRITY) && to_disable(groups[i].sid, f))
            groups[i].attributes = deny_only(groups[i].attributes);
    }
    if (to_disable(d->user.sid, f))
        d->user.attributes |= NTSEC_SE_GROUP_USE_FOR_DENY_ONLY;
    /* A group made deny-only stops being the default owner, which falls
     * back to the user (ReactOS SepPerformTokenFiltering resets the owner
     * index; a SID the token may not use to gain access must not own what
     * it creates). */
    if (d->owner && !ntsec_sid_equal(d->owner, d->user.sid))
        for (size_t i = 0; i < d->group_count; i++)
            if (ntsec_sid_equal(groups[i].sid, d->owner) &&
                (groups[i].attributes & NTSEC_SE_GROUP_USE_FOR_DENY_ONLY))
                d->owner = d->user.sid;
    d->groups = groups;
}

/* DISABLE_MAX_PRIVILEGE deletes every privilege but SeChangeNotifyPrivilege
 * and then PrivilegesToDelete is ignored (CreateRestrictedToken, Flags,
 * Microsoft docs); LUA_TOKEN keeps only a standard user's privileges. */
static void filter_privileges(struct ntsec_token_desc *d, const struct ntsec_token_filter *f,
                              struct ntsec_luid_and_attributes *privs)
{
    size_t n = 0;

    for (size_t i = 0; i < d->privilege_count; i++) {
        struct ntsec_luid luid = d->privileges[i].luid;
        bool keep;

        if (f->flags & NTSEC_FILTER_DISABLE_MAX_PRIVILEGE)
            keep = luid.high == 0 && luid.low == NTSEC_SE_CHANGE_NOTIFY_PRIVILEGE;
        else
            keep = !luid_listed(luid, f->privileges_to_delete, f->delete_count);
        if ((f->flags & NTSEC_FILTER_LUA_TOKEN) && !standard_user_privilege(luid))
            keep = false;
        if (keep)
            privs[n++] = d->privileges[i];
    }
    d->privileges = privs;
    d->privilege_count = n;
}

/* S-1-0-0, "Nobody": a SID no ACE is expected to grant. */
static const struct ntsec_sid nobody = { 1, 1, { 0, 0, 0, 0, 0, 0 }, { 0 } };

/* The restricting SIDs. For a source that is not restricted: the list
 * given. For a restricted source the new list "is the intersection of
 * this array and the list of restricting SIDs for the existing token";
 * duplicates are not removed (CreateRestrictedToken, SidsToRestrict,
 * Microsoft docs); with no array the source's list is kept. An empty
 * intersection must not make the token unrestricted (that would widen
 * access): ntsec keeps it restricted to the Nobody SID, which grants
 * nothing in the restricted pass. */
static void filter_restricted(struct ntsec_token_desc *d, const struct ntsec_token_filter *f,
                              struct ntsec_sid_and_attributes *restricted)
{
    size_t n = 0;

    if (f->restricted_count == 0)
        return;
    for (size_t i = 0; i < f->restricted_count; i++) {
        const struct ntsec_sid *sid = f->restricted_sids[i].sid;

        if (d->restricted_count && !sid_listed(sid, d->restricted_sids, d->restricted_count))
            continue;
        restricted[n].sid = sid;
        restricted[n].attributes = RESTRICTING_ATTRIBUTES;
        n++;
    }
    if (n == 0) {
        restricted[0].sid = &nobody;
        restricted[0].attributes = RESTRICTING_ATTRIBUTES;
        n = 1;
    }
    d->restricted_sids = restricted;
    d->restricted_count = n;
}

ntsec_status ntsec_token_filter(const struct ntsec_token *src, const struct ntsec_token_filter *filter,
                                struct ntsec_token **out)
{
    struct ntsec_sid_and_attributes *groups = NULL, *restricted = NULL;
    struct ntsec_luid_and_attributes *privs = NULL;
    struct ntsec_token_desc d, described;
    struct ntsec_token *t = NULL;
    bool was_restricted;
    ntsec_status st;

    if (!src || !filter || !out)
        return NTSEC_STATUS_INVALID_PARAMETER;
    st = check_filter(filter);
    if (!ntsec_success(st))
        return st;

    st = ntsec__token_describe(src, &d);
    if (!ntsec_success(st))
        return st;
    described = d;                      /* what describe allocated, for release */
    groups = ntsec__alloc((d.group_count ? d.group_count : 1) * sizeof(*groups));
    privs = ntsec__alloc((d.privilege_count ? d.privilege_count : 1) * sizeof(*privs));
    restricted = ntsec__alloc((filter->restricted_count ? filter->restricted_count : 1) *
                              sizeof(*restricted));
    if (!groups || !privs || !restricted) {
        st = NTSEC_STATUS_NO_MEMORY;
        goto done;
    }

    /* The type and level stay the source's (CreateRestrictedToken: "The
     * new token is the same type, primary or impersonation, as the
     * existing token"; TokenImpersonationLevel kept: Windows result
     * asserted by Wine's test_CreateRestrictedToken), and so do the
     * elevation type and linked token (Wine's test_elevation). The builder
     * gives a new TokenId and a new ModifiedId (ReactOS
     * SepPerformTokenFiltering allocates both). */
    was_restricted = d.restricted_count != 0;
    filter_groups(&d, filter, groups);
    filter_privileges(&d, filter, privs);
    filter_restricted(&d, filter, restricted);
    /* WRITE_RESTRICTED: the restricting SIDs are considered only for
     * write access (CreateRestrictedToken, Flags, Microsoft docs). A token
     * already restricted keeps its kind: turning a fully restricted token
     * into a write-restricted one would widen its read access. */
    d.write_restricted = was_restricted ? d.write_restricted
                                        : (filter->flags & NTSEC_FILTER_WRITE_RESTRICTED) != 0;
    st = ntsec__token_build(&d, &t);
done:
    ntsec__token_desc_release(&described);
    ntsec__free(groups);
    ntsec__free(privs);
    ntsec__free(restricted);
    if (!ntsec_success(st))
        return st;

    ntsec__token_inherit(t, src);
    t->filtered = true;                 /* TOKEN_IS_FILTERED: NtFilterToken made it */
    /* SANDBOX_INERT "stores the TOKEN_SANDBOX_INERT flag in the token"
     * (SeFilterToken, Flags, Microsoft docs); LUA_TOKEN marks the token as
     * a LUA token (CreateRestrictedToken, Flags). Both stay set once set. */
    if (filter->flags & NTSEC_FILTER_SANDBOX_INERT)
        t->sandbox_inert = true;
    if (filter->flags & NTSEC_FILTER_LUA_TOKEN)
        t->lua_token = true;
    *out = t;
    return NTSEC_STATUS_SUCCESS;
}
