/* test_token_filter.c - NtFilterToken / CreateRestrictedToken on ntsec
 * tokens: deny-only SIDs, deleted privileges, restricting SIDs, the flags,
 * ids, bad input and allocation failure. Rules from Microsoft docs
 * (CreateRestrictedToken, SeFilterToken) and Windows results asserted by
 * Wine's dlls/advapi32/tests/security.c (test_CreateRestrictedToken,
 * test_elevation). */
#include <string.h>

#include "ntsec/token.h"
#include "testutil.h"
#include "token.h"

/* --- fixture ------------------------------------------------------------ */

enum {
    USER, EVERYONE, ADMINS, USERS, OPT_ON, DOMAIN_ADMINS, LOGON, LABEL, RESTRICT_A, RESTRICT_B,
    STRANGER, NOBODY, NSIDS
};

static const char *const sid_text[NSIDS] = {
    [USER] = "S-1-5-21-1-2-3-1001",     [EVERYONE] = "S-1-1-0",
    [ADMINS] = "S-1-5-32-544",          [USERS] = "S-1-5-32-545",
    [OPT_ON] = "S-1-5-21-1-2-3-2000",   [DOMAIN_ADMINS] = "S-1-5-21-1-2-3-512",
    [LOGON] = "S-1-5-5-0-1234",         [LABEL] = "S-1-16-12288",
    [RESTRICT_A] = "S-1-5-12",          [RESTRICT_B] = "S-1-1-0",
    [STRANGER] = "S-1-5-21-9-9-9-9",    [NOBODY] = "S-1-0-0",
};

static struct ntsec_sid sids[NSIDS];

#define MED (NTSEC_SE_GROUP_MANDATORY | NTSEC_SE_GROUP_ENABLED_BY_DEFAULT | NTSEC_SE_GROUP_ENABLED)
#define BIT(p) (1ull << (p))

static struct ntsec_token *make_token(enum ntsec_token_type type,
                                      enum ntsec_impersonation_level level)
{
    struct ntsec_sid_and_attributes groups[] = {
        { &sids[EVERYONE], MED },
        { &sids[ADMINS], MED | NTSEC_SE_GROUP_OWNER },
        { &sids[USERS], MED },
        { &sids[OPT_ON], NTSEC_SE_GROUP_ENABLED_BY_DEFAULT | NTSEC_SE_GROUP_ENABLED },
        { &sids[DOMAIN_ADMINS], MED },
        { &sids[LOGON], MED | NTSEC_SE_GROUP_LOGON_ID },
        { &sids[LABEL], NTSEC_SE_GROUP_INTEGRITY | NTSEC_SE_GROUP_INTEGRITY_ENABLED },
    };
    struct ntsec_luid_and_attributes privs[] = {
        { { NTSEC_SE_CHANGE_NOTIFY_PRIVILEGE, 0 },
          NTSEC_SE_PRIVILEGE_ENABLED | NTSEC_SE_PRIVILEGE_ENABLED_BY_DEFAULT },
        { { NTSEC_SE_SHUTDOWN_PRIVILEGE, 0 }, 0 },
        { { NTSEC_SE_BACKUP_PRIVILEGE, 0 }, 0 },
        { { NTSEC_SE_DEBUG_PRIVILEGE, 0 }, NTSEC_SE_PRIVILEGE_ENABLED },
        { { NTSEC_SE_IMPERSONATE_PRIVILEGE, 0 }, NTSEC_SE_PRIVILEGE_ENABLED },
        { { NTSEC_SE_TIME_ZONE_PRIVILEGE, 0 }, 0 },
    };
    struct ntsec_token_desc d = {
        .type = type, .level = level,
        .user = { &sids[USER], 0 },
        .groups = groups, .group_count = sizeof(groups) / sizeof(groups[0]),
        .privileges = privs, .privilege_count = sizeof(privs) / sizeof(privs[0]),
        .owner = &sids[ADMINS],
        .source = { "ntsec", { 7, 0 } },
        .elevation_type = NTSEC_ELEVATION_FULL,
    };
    struct ntsec_token *t = NULL;

    for (int i = 0; i < NSIDS; i++)
        if (!sids[i].revision)
            CU_ASSERT_FATAL(ntsec_success(ntsec_sid_from_string(sid_text[i], NULL, &sids[i])));
    CU_ASSERT_FATAL(ntsec_token_create(&d, &t) == NTSEC_STATUS_SUCCESS);
    return t;
}

static struct ntsec_token *primary(void)
{
    return make_token(NTSEC_TOKEN_PRIMARY, 0);
}

static uint32_t attr(const struct ntsec_token *t, int which)
{
    for (uint32_t i = 0; i < t->sid_count; i++)
        if (ntsec_sid_equal(t->sids[i].sid, &sids[which]))
            return atomic_load(&t->sids[i].attributes);
    CU_FAIL("SID not in token");
    return 0xffffffffu;
}

static uint64_t privs(const struct ntsec_token *t)
{
    return atomic_load(&t->priv_present);
}

static struct ntsec_sid_and_attributes sa(int which, uint32_t attributes)
{
    struct ntsec_sid_and_attributes x = { &sids[which], attributes };
    return x;
}

static bool luid_eq(struct ntsec_luid a, struct ntsec_luid b)
{
    return a.low == b.low && a.high == b.high;
}

static struct ntsec_token *filtered(const struct ntsec_token *src, const struct ntsec_token_filter *f)
{
    struct ntsec_token *t = NULL;

    CU_ASSERT_EQUAL_FATAL(ntsec_token_filter(src, f, &t), NTSEC_STATUS_SUCCESS);
    return t;
}

/* --- tests -------------------------------------------------------------- */

/* CreateRestrictedToken, SidsToDisable: the SID becomes deny-only,
 * SE_GROUP_ENABLED and SE_GROUP_ENABLED_BY_DEFAULT cleared, and the token is
 * no longer a member (Microsoft docs; Windows result asserted by Wine's
 * test_CreateRestrictedToken) */
static void disabled_sid_becomes_deny_only(void)
{
    struct ntsec_token *src = primary(), *t;
    struct ntsec_sid_and_attributes dis = sa(OPT_ON, 0);
    struct ntsec_token_filter f = { .sids_to_disable = &dis, .disable_count = 1 };

    CU_ASSERT(ntsec_token_is_member(src, &sids[OPT_ON]));
    t = filtered(src, &f);
    CU_ASSERT_EQUAL(attr(t, OPT_ON), NTSEC_SE_GROUP_USE_FOR_DENY_ONLY);
    CU_ASSERT(!ntsec_token_is_member(t, &sids[OPT_ON]));
    CU_ASSERT(ntsec_token_is_member(src, &sids[OPT_ON]));
    CU_ASSERT(!ntsec_token_is_restricted(t));
    ntsec_token_put(t);
    ntsec_token_put(src);
}

/* SeFilterToken, SidsToDisable: deny-only applies to the user SID and to
 * groups with SE_GROUP_MANDATORY too (Microsoft docs) */
static void user_and_mandatory_groups_can_be_deny_only(void)
{
    struct ntsec_token *src = primary(), *t;
    struct ntsec_sid_and_attributes dis[] = { sa(USER, 0), sa(USERS, NTSEC_SE_GROUP_ENABLED) };
    struct ntsec_token_filter f = { .sids_to_disable = dis, .disable_count = 2 };

    t = filtered(src, &f);
    CU_ASSERT_EQUAL(attr(t, USER), NTSEC_SE_GROUP_USE_FOR_DENY_ONLY);
    CU_ASSERT_EQUAL(attr(t, USERS), NTSEC_SE_GROUP_MANDATORY | NTSEC_SE_GROUP_USE_FOR_DENY_ONLY);
    CU_ASSERT(!ntsec_token_is_member(t, &sids[USER]));
    CU_ASSERT(!ntsec_token_is_member(t, &sids[USERS]));
    /* and it cannot be enabled again (AdjustTokenGroups, Remarks) */
    dis[1].attributes = NTSEC_SE_GROUP_ENABLED;
    CU_ASSERT_EQUAL(ntsec_token_adjust_groups(t, false, &dis[1], 1, NULL, 0, NULL),
                    NTSEC_STATUS_CANT_ENABLE_DENY_ONLY);
    ntsec_token_put(t);
    ntsec_token_put(src);
}

/* The default owner cannot stay a deny-only group: it falls back to the
 * user (ReactOS SepPerformTokenFiltering) */
static void deny_only_owner_falls_back_to_user(void)
{
    struct ntsec_token *src = primary(), *t;
    struct ntsec_sid_and_attributes dis = sa(ADMINS, 0);
    struct ntsec_token_filter f = { .sids_to_disable = &dis, .disable_count = 1 };

    CU_ASSERT_NOT_EQUAL(atomic_load(&src->owner_pos), 0);
    t = filtered(src, &f);
    CU_ASSERT_EQUAL(atomic_load(&t->owner_pos), 0);
    ntsec_token_put(t);
    ntsec_token_put(src);
}

/* CreateRestrictedToken: SIDs and privileges the token does not hold are
 * ignored (Microsoft docs; Windows result asserted by Wine's
 * test_CreateRestrictedToken, LUID 0xdeadbeef and an unknown SID) */
static void unknown_sids_and_privileges_are_ignored(void)
{
    struct ntsec_token *src = primary(), *t;
    struct ntsec_sid_and_attributes dis = sa(STRANGER, 0);
    struct ntsec_luid_and_attributes del[] = { { { 0xdeadbeef, 0 }, 0 },
                                               { { NTSEC_SE_TCB_PRIVILEGE, 0 }, 0 } };
    struct ntsec_token_filter f = { .sids_to_disable = &dis, .disable_count = 1,
                                    .privileges_to_delete = del, .delete_count = 2 };

    t = filtered(src, &f);
    CU_ASSERT_EQUAL(t->sid_count, src->sid_count);
    CU_ASSERT_EQUAL(privs(t), privs(src));
    for (uint32_t i = 0; i < t->sid_count; i++)
        CU_ASSERT_EQUAL(atomic_load(&t->sids[i].attributes), atomic_load(&src->sids[i].attributes));
    ntsec_token_put(t);
    ntsec_token_put(src);
}

/* CreateRestrictedToken, PrivilegesToDelete: the privileges are deleted, not
 * just disabled (Windows result asserted by Wine's test_CreateRestrictedToken:
 * "disabled privilege should not be present") */
static void privileges_are_deleted(void)
{
    struct ntsec_token *src = primary(), *t;
    struct ntsec_luid_and_attributes del[] = { { { NTSEC_SE_DEBUG_PRIVILEGE, 0 },
                                                 NTSEC_SE_PRIVILEGE_ENABLED },
                                               { { NTSEC_SE_BACKUP_PRIVILEGE, 0 }, 0 } };
    struct ntsec_token_filter f = { .privileges_to_delete = del, .delete_count = 2 };

    t = filtered(src, &f);
    CU_ASSERT_EQUAL(privs(t), privs(src) & ~(BIT(NTSEC_SE_DEBUG_PRIVILEGE) |
                                              BIT(NTSEC_SE_BACKUP_PRIVILEGE)));
    CU_ASSERT(!ntsec_token_privilege_enabled(t, ntsec_privilege_luid(NTSEC_SE_DEBUG_PRIVILEGE)));
    CU_ASSERT(ntsec_token_privilege_enabled(t, ntsec_privilege_luid(NTSEC_SE_IMPERSONATE_PRIVILEGE)));
    ntsec_token_put(t);
    ntsec_token_put(src);
}

/* CreateRestrictedToken, DISABLE_MAX_PRIVILEGE: every privilege but
 * SeChangeNotifyPrivilege goes, and PrivilegesToDelete is ignored
 * (Microsoft docs) */
static void disable_max_privilege_keeps_change_notify(void)
{
    struct ntsec_token *src = primary(), *t;
    struct ntsec_luid_and_attributes del = { { NTSEC_SE_CHANGE_NOTIFY_PRIVILEGE, 0 }, 0 };
    struct ntsec_token_filter f = { .flags = NTSEC_FILTER_DISABLE_MAX_PRIVILEGE,
                                    .privileges_to_delete = &del, .delete_count = 1 };

    t = filtered(src, &f);
    CU_ASSERT_EQUAL(privs(t), BIT(NTSEC_SE_CHANGE_NOTIFY_PRIVILEGE));
    CU_ASSERT(ntsec_token_privilege_enabled(t, ntsec_privilege_luid(NTSEC_SE_CHANGE_NOTIFY_PRIVILEGE)));
    ntsec_token_put(t);
    ntsec_token_put(src);
}

/* CreateRestrictedToken, SidsToRestrict: the token becomes restricted; each
 * restricting SID is stored MANDATORY | ENABLED_BY_DEFAULT | ENABLED
 * (IsTokenRestricted docs; ReactOS SepPerformTokenFiltering) */
static void restricting_sids_are_added(void)
{
    struct ntsec_token *src = primary(), *t;
    struct ntsec_sid_and_attributes rs[] = { sa(RESTRICT_A, 0), sa(STRANGER, 0), sa(RESTRICT_A, 0) };
    struct ntsec_token_filter f = { .restricted_sids = rs, .restricted_count = 3 };

    t = filtered(src, &f);
    CU_ASSERT(ntsec_token_is_restricted(t));
    /* duplicates are kept (CreateRestrictedToken docs) */
    CU_ASSERT_EQUAL_FATAL(t->restricted_count, 3);
    CU_ASSERT(ntsec_sid_equal(t->restricted[0].sid, &sids[RESTRICT_A]));
    CU_ASSERT(ntsec_sid_equal(t->restricted[1].sid, &sids[STRANGER]));
    CU_ASSERT_EQUAL(atomic_load(&t->restricted[1].attributes), MED);
    CU_ASSERT(!t->write_restricted);
    ntsec_token_put(t);
    ntsec_token_put(src);
}

/* CreateRestrictedToken, SidsToRestrict: from a restricted token the list is
 * the intersection of the array and the existing list; with no array the
 * existing list stays (Microsoft docs) */
static void restricted_source_intersects(void)
{
    struct ntsec_token *src = primary(), *r1, *r2, *r3, *r4;
    struct ntsec_sid_and_attributes first[] = { sa(RESTRICT_A, 0), sa(RESTRICT_B, 0) };
    struct ntsec_sid_and_attributes second[] = { sa(STRANGER, 0), sa(RESTRICT_B, 0) };
    struct ntsec_sid_and_attributes disjoint = sa(STRANGER, 0);
    struct ntsec_token_filter f = { .restricted_sids = first, .restricted_count = 2 };

    r1 = filtered(src, &f);
    f.restricted_sids = second;
    r2 = filtered(r1, &f);
    CU_ASSERT_EQUAL_FATAL(r2->restricted_count, 1);
    CU_ASSERT(ntsec_sid_equal(r2->restricted[0].sid, &sids[RESTRICT_B]));
    f.restricted_sids = NULL;
    f.restricted_count = 0;
    r3 = filtered(r1, &f);
    CU_ASSERT_EQUAL(r3->restricted_count, 2);
    /* an empty intersection still restricts: to S-1-0-0 (ntsec's choice,
     * see token_filter.c), never to nothing */
    f.restricted_sids = &disjoint;
    f.restricted_count = 1;
    r4 = filtered(r1, &f);
    CU_ASSERT(ntsec_token_is_restricted(r4));
    CU_ASSERT_EQUAL_FATAL(r4->restricted_count, 1);
    CU_ASSERT(ntsec_sid_equal(r4->restricted[0].sid, &sids[NOBODY]));
    ntsec_token_put(r4);
    ntsec_token_put(r3);
    ntsec_token_put(r2);
    ntsec_token_put(r1);
    ntsec_token_put(src);
}

/* CreateRestrictedToken, WRITE_RESTRICTED: the restricting SIDs count only
 * for write access (Microsoft docs); a fully restricted token does not
 * become write-restricted (that would widen its reads) */
static void write_restricted_flag(void)
{
    struct ntsec_token *src = primary(), *w, *r, *r2;
    struct ntsec_sid_and_attributes rs = sa(RESTRICT_A, 0);
    struct ntsec_token_filter f = { .flags = NTSEC_FILTER_WRITE_RESTRICTED,
                                    .restricted_sids = &rs, .restricted_count = 1 };

    w = filtered(src, &f);
    CU_ASSERT(w->write_restricted);
    f.flags = 0;
    r = filtered(src, &f);
    CU_ASSERT(!r->write_restricted);
    f.flags = NTSEC_FILTER_WRITE_RESTRICTED;
    r2 = filtered(r, &f);
    CU_ASSERT(!r2->write_restricted);
    ntsec_token_put(r2);
    ntsec_token_put(r);
    ntsec_token_put(w);
    ntsec_token_put(src);
}

/* NtFilterToken, LUA_TOKEN: UAC-like filtration, administrative SIDs
 * (RtlIsElevatedRid) made deny-only and only a standard user's privileges
 * kept (ntdoc NtFilterToken; Microsoft, "Understanding and Configuring User
 * Account Control in Windows Vista") */
static void lua_token_filters_like_uac(void)
{
    struct ntsec_token *src = primary(), *t;
    struct ntsec_token_filter f = { .flags = NTSEC_FILTER_LUA_TOKEN };

    t = filtered(src, &f);
    CU_ASSERT(t->lua_token);
    CU_ASSERT(!src->lua_token);
    CU_ASSERT_EQUAL(attr(t, ADMINS), NTSEC_SE_GROUP_MANDATORY | NTSEC_SE_GROUP_OWNER |
                                         NTSEC_SE_GROUP_USE_FOR_DENY_ONLY);
    CU_ASSERT_EQUAL(attr(t, DOMAIN_ADMINS), NTSEC_SE_GROUP_MANDATORY | NTSEC_SE_GROUP_USE_FOR_DENY_ONLY);
    CU_ASSERT_EQUAL(attr(t, USERS), MED);
    CU_ASSERT_EQUAL(attr(t, EVERYONE), MED);
    CU_ASSERT(!ntsec_token_is_admin(t));
    CU_ASSERT_EQUAL(privs(t), BIT(NTSEC_SE_CHANGE_NOTIFY_PRIVILEGE) | BIT(NTSEC_SE_SHUTDOWN_PRIVILEGE) |
                                  BIT(NTSEC_SE_TIME_ZONE_PRIVILEGE));
    CU_ASSERT_EQUAL(atomic_load(&t->owner_pos), 0);
    ntsec_token_put(t);
    ntsec_token_put(src);
}

/* LUA_TOKEN converts "any elevated group" and "Any other group that would
 * match the elevated RID check" (Forshaw ch. 4, "Linked Tokens and
 * Elevation Type"), a check on the last RID only: "the SID
 * S-1-2-3-4-544 would also be considered elevated" ("What Makes an
 * Administrator User?"). S-1-5-114 (local account and member of
 * Administrators) and RIDs 498 and 521 are on that list too. */
static void lua_token_matches_the_last_rid_only(void)
{
    static const char *const elevated[] = {
        "S-1-5-114", "S-1-5-21-1-2-3-498", "S-1-5-21-1-2-3-521", "S-1-2-3-4-544",
        "S-1-5-32-569",
    };
    enum { NE = sizeof(elevated) / sizeof(elevated[0]) };
    struct ntsec_sid g[NE + 1];
    struct ntsec_sid_and_attributes groups[NE + 1];
    struct ntsec_token_desc d = { .type = NTSEC_TOKEN_PRIMARY, .groups = groups,
                                  .group_count = NE + 1, .source = { "ntsec", { 7, 0 } } };
    struct ntsec_token_filter f = { .flags = NTSEC_FILTER_LUA_TOKEN };
    struct ntsec_token *src = primary(), *full = NULL, *t;

    for (int i = 0; i <= NE; i++) {
        /* The last one, RID 545 (Users), is not elevated. */
        CU_ASSERT_FATAL(ntsec_success(
            ntsec_sid_from_string(i < NE ? elevated[i] : "S-1-5-32-545", NULL, &g[i])));
        groups[i] = (struct ntsec_sid_and_attributes){ &g[i], MED };
    }
    d.user = (struct ntsec_sid_and_attributes){ &sids[USER], 0 };
    CU_ASSERT_FATAL(ntsec_token_create(&d, &full) == NTSEC_STATUS_SUCCESS);
    t = filtered(full, &f);
    for (uint32_t i = 0; i < t->sid_count; i++) {
        bool is_545 = ntsec_sid_equal(t->sids[i].sid, &g[NE]);
        bool is_user = ntsec_sid_equal(t->sids[i].sid, &sids[USER]);
        uint32_t want = is_user ? 0 : is_545 ? MED
                               : NTSEC_SE_GROUP_MANDATORY | NTSEC_SE_GROUP_USE_FOR_DENY_ONLY;

        CU_ASSERT_EQUAL(atomic_load(&t->sids[i].attributes), want);
    }
    CU_ASSERT_EQUAL(t->sid_count, NE + 2);
    ntsec_token_put(t);
    ntsec_token_put(full);
    ntsec_token_put(src);
}

/* SeFilterToken, SANDBOX_INERT: the flag is stored in the token (Microsoft
 * docs) and stays on tokens filtered from it */
static void sandbox_inert_flag(void)
{
    struct ntsec_token *src = primary(), *t, *t2;
    struct ntsec_token_filter f = { .flags = NTSEC_FILTER_SANDBOX_INERT };

    t = filtered(src, &f);
    CU_ASSERT(t->sandbox_inert);
    CU_ASSERT(!src->sandbox_inert);
    f.flags = 0;
    t2 = filtered(t, &f);
    CU_ASSERT(t2->sandbox_inert);
    ntsec_token_put(t2);
    ntsec_token_put(t);
    ntsec_token_put(src);
}

/* CreateRestrictedToken: the new token has the type and level of the
 * existing one (Microsoft docs; Windows result asserted by Wine's
 * test_CreateRestrictedToken), and keeps the elevation type (Wine's
 * test_elevation); new TokenId and ModifiedId, same logon session */
static void same_type_level_new_ids(void)
{
    struct ntsec_token *src = make_token(NTSEC_TOKEN_IMPERSONATION, NTSEC_SECURITY_IMPERSONATION);
    struct ntsec_token_filter f = { 0 };
    struct ntsec_token *t = filtered(src, &f), *p = primary(), *tp = filtered(p, &f);

    CU_ASSERT_EQUAL(ntsec_token_type(t), NTSEC_TOKEN_IMPERSONATION);
    CU_ASSERT_EQUAL(ntsec_token_level(t), NTSEC_SECURITY_IMPERSONATION);
    CU_ASSERT_EQUAL(ntsec_token_type(tp), NTSEC_TOKEN_PRIMARY);
    CU_ASSERT_EQUAL(t->elevation_type, NTSEC_ELEVATION_FULL);
    CU_ASSERT(!luid_eq(ntsec_token_id(t), ntsec_token_id(src)));
    CU_ASSERT(!luid_eq(ntsec_token_modified_id(t), ntsec_token_modified_id(src)));
    CU_ASSERT(luid_eq(ntsec_token_authentication_id(t), ntsec_token_authentication_id(src)));
    CU_ASSERT_EQUAL(ntsec_token_integrity(t), NTSEC_MANDATORY_HIGH);
    CU_ASSERT(ntsec_token_equal(t, src));
    CU_ASSERT(t->filtered);
    CU_ASSERT(!src->filtered);
    ntsec_token_put(tp);
    ntsec_token_put(p);
    ntsec_token_put(t);
    ntsec_token_put(src);
}

/* NtFilterToken: unknown flags, counted arrays that are NULL, a restricting
 * SID with attributes ("must be zero", CreateRestrictedToken docs) are
 * STATUS_INVALID_PARAMETER; an invalid SID STATUS_INVALID_SID; *out untouched */
static void bad_input(void)
{
    struct ntsec_token *src = primary(), *t = (struct ntsec_token *)&t;
    struct ntsec_sid bad = sids[OPT_ON];
    struct ntsec_sid_and_attributes badsa = { &bad, 0 }, nullsa = { NULL, 0 };
    struct ntsec_sid_and_attributes rs = sa(RESTRICT_A, NTSEC_SE_GROUP_ENABLED);
    struct ntsec_token_filter f = { 0 };
    long objects = ntsec_object_live();

    bad.revision = 3;
    CU_ASSERT_EQUAL(ntsec_token_filter(NULL, &f, &t), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_token_filter(src, NULL, &t), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_token_filter(src, &f, NULL), NTSEC_STATUS_INVALID_PARAMETER);
    f.flags = 0x10;
    CU_ASSERT_EQUAL(ntsec_token_filter(src, &f, &t), NTSEC_STATUS_INVALID_PARAMETER);
    f = (struct ntsec_token_filter){ .disable_count = 1 };
    CU_ASSERT_EQUAL(ntsec_token_filter(src, &f, &t), NTSEC_STATUS_INVALID_PARAMETER);
    f = (struct ntsec_token_filter){ .delete_count = 1 };
    CU_ASSERT_EQUAL(ntsec_token_filter(src, &f, &t), NTSEC_STATUS_INVALID_PARAMETER);
    f = (struct ntsec_token_filter){ .restricted_count = 1 };
    CU_ASSERT_EQUAL(ntsec_token_filter(src, &f, &t), NTSEC_STATUS_INVALID_PARAMETER);
    f = (struct ntsec_token_filter){ .restricted_sids = &rs, .restricted_count = 1 };
    CU_ASSERT_EQUAL(ntsec_token_filter(src, &f, &t), NTSEC_STATUS_INVALID_PARAMETER);
    f = (struct ntsec_token_filter){ .sids_to_disable = &badsa, .disable_count = 1 };
    CU_ASSERT_EQUAL(ntsec_token_filter(src, &f, &t), NTSEC_STATUS_INVALID_SID);
    f = (struct ntsec_token_filter){ .sids_to_disable = &nullsa, .disable_count = 1 };
    CU_ASSERT_EQUAL(ntsec_token_filter(src, &f, &t), NTSEC_STATUS_INVALID_SID);
    f = (struct ntsec_token_filter){ .restricted_sids = &badsa, .restricted_count = 1 };
    CU_ASSERT_EQUAL(ntsec_token_filter(src, &f, &t), NTSEC_STATUS_INVALID_SID);
    CU_ASSERT(t == (struct ntsec_token *)&t);
    CU_ASSERT_EQUAL(ntsec_object_live(), objects);
    ntsec_token_put(src);
}

/* Allocation failure: NO_MEMORY, no output, nothing leaked, the source
 * untouched, at every allocation until the call succeeds (STYLE.md rule 8) */
static void allocation_failure_changes_nothing(void)
{
    struct ntsec_token *src = primary();
    struct ntsec_sid_and_attributes dis = sa(OPT_ON, 0), rs = sa(RESTRICT_A, 0);
    struct ntsec_luid_and_attributes del = { { NTSEC_SE_DEBUG_PRIVILEGE, 0 }, 0 };
    struct ntsec_token_filter f = { .flags = NTSEC_FILTER_LUA_TOKEN,
                                    .sids_to_disable = &dis, .disable_count = 1,
                                    .privileges_to_delete = &del, .delete_count = 1,
                                    .restricted_sids = &rs, .restricted_count = 1 };
    long objects = ntsec_object_live(), live = testutil_live();
    struct ntsec_luid modified = ntsec_token_modified_id(src);
    uint32_t before = attr(src, OPT_ON);
    ntsec_status st = NTSEC_STATUS_NO_MEMORY;

    for (long n = 0; st == NTSEC_STATUS_NO_MEMORY; n++) {
        struct ntsec_token *t = (struct ntsec_token *)&t;

        testutil_fail_alloc_after(n);
        st = ntsec_token_filter(src, &f, &t);
        testutil_fail_alloc_after(-1);
        if (st == NTSEC_STATUS_NO_MEMORY) {
            CU_ASSERT(t == (struct ntsec_token *)&t);
            CU_ASSERT_EQUAL(ntsec_object_live(), objects);
            CU_ASSERT_EQUAL(testutil_live(), live);
        } else {
            CU_ASSERT_EQUAL(st, NTSEC_STATUS_SUCCESS);
            CU_ASSERT(n > 0);
            ntsec_token_put(t);
        }
    }
    CU_ASSERT(luid_eq(ntsec_token_modified_id(src), modified));
    CU_ASSERT_EQUAL(attr(src, OPT_ON), before);
    ntsec_token_put(src);
}

void register_tests(void)
{
    static CU_TestInfo tests[] = {
        TEST(disabled_sid_becomes_deny_only),
        TEST(user_and_mandatory_groups_can_be_deny_only),
        TEST(deny_only_owner_falls_back_to_user),
        TEST(unknown_sids_and_privileges_are_ignored),
        TEST(privileges_are_deleted),
        TEST(disable_max_privilege_keeps_change_notify),
        TEST(restricting_sids_are_added),
        TEST(restricted_source_intersects),
        TEST(write_restricted_flag),
        TEST(lua_token_filters_like_uac),
        TEST(lua_token_matches_the_last_rid_only),
        TEST(sandbox_inert_flag),
        TEST(same_type_level_new_ids),
        TEST(bad_input),
        TEST(allocation_failure_changes_nothing),
        CU_TEST_INFO_NULL,
    };

    testutil_add_suite("token_filter", tests);
}
