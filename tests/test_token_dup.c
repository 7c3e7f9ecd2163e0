/* test_token_dup.c - NtDuplicateToken / DuplicateTokenEx on ntsec tokens:
 * ids, types and levels, EffectiveOnly, what is copied, bad input and
 * allocation failure. Rules from Microsoft docs (ZwDuplicateToken,
 * DuplicateTokenEx, TOKEN_STATISTICS) and Windows results asserted by
 * Wine's dlls/advapi32/tests/security.c. */
#include <string.h>

#include "ntsec/acl.h"
#include "ntsec/token.h"
#include "testutil.h"
#include "token.h"

/* --- fixture ------------------------------------------------------------ */

enum {
    USER, EVERYONE, ADMINS, USERS, OPT_ON, OPT_OFF, DENY, LOGON, LABEL, RESTRICT, NSIDS
};

static const char *const sid_text[NSIDS] = {
    [USER] = "S-1-5-21-1-2-3-1001",     [EVERYONE] = "S-1-1-0",
    [ADMINS] = "S-1-5-32-544",          [USERS] = "S-1-5-32-545",
    [OPT_ON] = "S-1-5-21-1-2-3-2000",   [OPT_OFF] = "S-1-5-21-1-2-3-2001",
    [DENY] = "S-1-5-21-1-2-3-2003",     [LOGON] = "S-1-5-5-0-1234",
    [LABEL] = "S-1-16-8192",            [RESTRICT] = "S-1-5-12",
};

static struct ntsec_sid sids[NSIDS];

#define MED (NTSEC_SE_GROUP_MANDATORY | NTSEC_SE_GROUP_ENABLED_BY_DEFAULT | NTSEC_SE_GROUP_ENABLED)

struct options {
    enum ntsec_token_type type;
    enum ntsec_impersonation_level level;
    bool restricted;
    struct ntsec_token *linked;
};

static struct ntsec_token *make_token(const struct options *o)
{
    struct ntsec_sid_and_attributes groups[] = {
        { &sids[EVERYONE], MED },
        { &sids[ADMINS], MED | NTSEC_SE_GROUP_OWNER },
        { &sids[USERS], MED },
        { &sids[OPT_ON], NTSEC_SE_GROUP_ENABLED_BY_DEFAULT | NTSEC_SE_GROUP_ENABLED },
        { &sids[OPT_OFF], NTSEC_SE_GROUP_OWNER },
        { &sids[DENY], NTSEC_SE_GROUP_USE_FOR_DENY_ONLY },
        { &sids[LOGON], MED | NTSEC_SE_GROUP_LOGON_ID },
        { &sids[LABEL], NTSEC_SE_GROUP_INTEGRITY | NTSEC_SE_GROUP_INTEGRITY_ENABLED },
    };
    struct ntsec_luid_and_attributes privs[] = {
        { { NTSEC_SE_CHANGE_NOTIFY_PRIVILEGE, 0 },
          NTSEC_SE_PRIVILEGE_ENABLED | NTSEC_SE_PRIVILEGE_ENABLED_BY_DEFAULT },
        { { NTSEC_SE_SHUTDOWN_PRIVILEGE, 0 }, 0 },
        { { NTSEC_SE_DEBUG_PRIVILEGE, 0 }, NTSEC_SE_PRIVILEGE_ENABLED },
    };
    struct ntsec_sid_and_attributes restricted[] = { { &sids[RESTRICT], MED } };
    unsigned char dacl_buf[64];
    struct ntsec_acl *dacl = (struct ntsec_acl *)dacl_buf;
    struct ntsec_token_desc d = {
        .type = o->type ? o->type : NTSEC_TOKEN_PRIMARY,
        .level = o->level,
        .user = { &sids[USER], 0 },
        .groups = groups, .group_count = sizeof(groups) / sizeof(groups[0]),
        .privileges = privs, .privilege_count = sizeof(privs) / sizeof(privs[0]),
        .owner = &sids[OPT_OFF],
        .primary_group = &sids[OPT_OFF],
        .default_dacl = dacl,
        .source = { "ntsec", { 7, 0 } },
        .session_id = 3,
        .restricted_sids = o->restricted ? restricted : NULL,
        .restricted_count = o->restricted ? 1 : 0,
        .elevation_type = o->linked ? NTSEC_ELEVATION_LIMITED : 0,
        .linked_token = o->linked,
    };
    struct ntsec_token *t = NULL;

    for (int i = 0; i < NSIDS; i++)
        if (!sids[i].revision)
            CU_ASSERT_FATAL(ntsec_success(ntsec_sid_from_string(sid_text[i], NULL, &sids[i])));
    memset(dacl_buf, 0, sizeof(dacl_buf));     /* the ACL's free space is copied too */
    CU_ASSERT_FATAL(ntsec_success(ntsec_acl_init(dacl, sizeof(dacl_buf), 2)));
    CU_ASSERT_FATAL(ntsec_success(ntsec_acl_add_access_ace(dacl, 2, NTSEC_ACE_ACCESS_ALLOWED, 0,
                                                           0x10000000, &sids[USER])));
    CU_ASSERT_FATAL(ntsec_token_create(&d, &t) == NTSEC_STATUS_SUCCESS);
    return t;
}

static struct ntsec_token *primary(void)
{
    struct options o = { 0 };
    return make_token(&o);
}

static struct ntsec_token *impersonation(enum ntsec_impersonation_level level)
{
    struct options o = { .type = NTSEC_TOKEN_IMPERSONATION, .level = level };
    return make_token(&o);
}

/* Position of `sid` in the token's user and groups, or -1. */
static int find(const struct ntsec_token *t, const struct ntsec_sid *sid)
{
    for (uint32_t i = 0; i < t->sid_count; i++)
        if (ntsec_sid_equal(t->sids[i].sid, sid))
            return (int)i;
    return -1;
}

static uint32_t attr(const struct ntsec_token *t, int which)
{
    int pos = find(t, &sids[which]);

    CU_ASSERT_FATAL(pos >= 0);
    return atomic_load(&t->sids[pos].attributes);
}

static bool luid_eq(struct ntsec_luid a, struct ntsec_luid b)
{
    return a.low == b.low && a.high == b.high;
}

static ntsec_status dup(const struct ntsec_token *src, enum ntsec_token_type type,
                        enum ntsec_impersonation_level level, bool effective_only,
                        struct ntsec_token **out)
{
    struct ntsec_token_dup how = { type, level, effective_only };

    return ntsec_token_duplicate(src, &how, out);
}

/* --- tests -------------------------------------------------------------- */

/* ZwDuplicateToken: a new token object, new TokenId, same AuthenticationId
 * (Microsoft docs; ddi-notes §8); the ModifiedId of the state copied
 * (ReactOS SepDuplicateToken) */
static void duplicate_has_new_token_id_same_logon_and_modified_id(void)
{
    struct ntsec_token *src = primary(), *copy = NULL;

    CU_ASSERT_EQUAL_FATAL(dup(src, NTSEC_TOKEN_PRIMARY, 0, false, &copy), NTSEC_STATUS_SUCCESS);
    CU_ASSERT(copy != src);
    CU_ASSERT(!luid_eq(ntsec_token_id(copy), ntsec_token_id(src)));
    CU_ASSERT(luid_eq(ntsec_token_authentication_id(copy), ntsec_token_authentication_id(src)));
    CU_ASSERT(luid_eq(ntsec_token_modified_id(copy), ntsec_token_modified_id(src)));
    CU_ASSERT_EQUAL(ntsec_token_type(copy), NTSEC_TOKEN_PRIMARY);
    ntsec_token_put(copy);
    ntsec_token_put(src);
}

/* DuplicateTokenEx: a primary token may become an impersonation token at
 * any level, even SecurityAnonymous (Windows result asserted by Wine's
 * test_token_attr: DuplicateToken(process token, SecurityAnonymous)) */
static void primary_source_gives_any_level(void)
{
    struct ntsec_token *src = primary();

    for (int level = NTSEC_SECURITY_ANONYMOUS; level <= NTSEC_SECURITY_DELEGATION; level++) {
        struct ntsec_token *copy = NULL;

        CU_ASSERT_EQUAL_FATAL(dup(src, NTSEC_TOKEN_IMPERSONATION, level, false, &copy),
                              NTSEC_STATUS_SUCCESS);
        CU_ASSERT_EQUAL(ntsec_token_type(copy), NTSEC_TOKEN_IMPERSONATION);
        CU_ASSERT_EQUAL(ntsec_token_level(copy), level);
        ntsec_token_put(copy);
    }
    ntsec_token_put(src);
}

/* ZwDuplicateToken: an impersonation token cannot be raised to a higher
 * level: STATUS_BAD_IMPERSONATION_LEVEL (Microsoft docs; Windows result
 * asserted by Wine's test_impersonation_level); equal or lower is fine */
static void impersonation_level_cannot_rise(void)
{
    struct ntsec_token *src = impersonation(NTSEC_SECURITY_IDENTIFICATION), *copy = NULL;

    CU_ASSERT_EQUAL(dup(src, NTSEC_TOKEN_IMPERSONATION, NTSEC_SECURITY_IMPERSONATION, false, &copy),
                    NTSEC_STATUS_BAD_IMPERSONATION_LEVEL);
    CU_ASSERT_PTR_NULL(copy);
    CU_ASSERT_EQUAL(dup(src, NTSEC_TOKEN_IMPERSONATION, NTSEC_SECURITY_DELEGATION, false, &copy),
                    NTSEC_STATUS_BAD_IMPERSONATION_LEVEL);
    CU_ASSERT_EQUAL_FATAL(dup(src, NTSEC_TOKEN_IMPERSONATION, NTSEC_SECURITY_IDENTIFICATION, false,
                              &copy), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_token_level(copy), NTSEC_SECURITY_IDENTIFICATION);
    ntsec_token_put(copy);
    CU_ASSERT_EQUAL_FATAL(dup(src, NTSEC_TOKEN_IMPERSONATION, NTSEC_SECURITY_ANONYMOUS, false,
                              &copy), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_token_level(copy), NTSEC_SECURITY_ANONYMOUS);
    ntsec_token_put(copy);
    ntsec_token_put(src);
}

/* ZwDuplicateToken: an impersonation token below SecurityImpersonation
 * cannot become a primary token: STATUS_BAD_IMPERSONATION_LEVEL (Microsoft
 * docs; ddi-notes §8); at Impersonation or Delegation it can */
static void primary_needs_impersonation_level(void)
{
    struct ntsec_token *copy = NULL;

    for (int level = NTSEC_SECURITY_ANONYMOUS; level <= NTSEC_SECURITY_DELEGATION; level++) {
        struct ntsec_token *src = impersonation(level);
        ntsec_status st = dup(src, NTSEC_TOKEN_PRIMARY, level, false, &copy);

        if (level < NTSEC_SECURITY_IMPERSONATION) {
            CU_ASSERT_EQUAL(st, NTSEC_STATUS_BAD_IMPERSONATION_LEVEL);
        } else {
            CU_ASSERT_EQUAL_FATAL(st, NTSEC_STATUS_SUCCESS);
            CU_ASSERT_EQUAL(ntsec_token_type(copy), NTSEC_TOKEN_PRIMARY);
            CU_ASSERT_EQUAL(ntsec_token_level(copy), NTSEC_SECURITY_ANONYMOUS);
            ntsec_token_put(copy);
        }
        ntsec_token_put(src);
    }
}

/* SeCopyClientToken / DuplicateTokenEx: the copy holds the source's
 * current state, and later changes to either stay apart (ddi-notes §4:
 * "the copy keeps user, groups, privileges with their current state") */
static void copy_has_current_attributes_and_is_independent(void)
{
    struct ntsec_token *src = primary(), *copy = NULL;
    struct ntsec_sid_and_attributes off = { &sids[OPT_ON], 0 };
    struct ntsec_luid_and_attributes on = { { NTSEC_SE_SHUTDOWN_PRIVILEGE, 0 },
                                            NTSEC_SE_PRIVILEGE_ENABLED };

    CU_ASSERT_EQUAL(ntsec_token_adjust_groups(src, false, &off, 1, NULL, 0, NULL),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_token_adjust_privileges(src, false, &on, 1, NULL, 0, NULL),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(dup(src, NTSEC_TOKEN_IMPERSONATION, NTSEC_SECURITY_IMPERSONATION, false,
                              &copy), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(attr(copy, OPT_ON), NTSEC_SE_GROUP_ENABLED_BY_DEFAULT);
    CU_ASSERT(ntsec_token_privilege_enabled(copy, ntsec_privilege_luid(NTSEC_SE_SHUTDOWN_PRIVILEGE)));
    CU_ASSERT(luid_eq(ntsec_token_modified_id(copy), ntsec_token_modified_id(src)));

    off.attributes = NTSEC_SE_GROUP_ENABLED;
    CU_ASSERT_EQUAL(ntsec_token_adjust_groups(src, false, &off, 1, NULL, 0, NULL),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(attr(copy, OPT_ON), NTSEC_SE_GROUP_ENABLED_BY_DEFAULT);
    CU_ASSERT(!luid_eq(ntsec_token_modified_id(copy), ntsec_token_modified_id(src)));
    ntsec_token_put(copy);
    ntsec_token_put(src);
}

/* ZwDuplicateToken, EffectiveOnly: disabled privileges and disabled optional
 * groups are not copied (Microsoft docs); mandatory groups, deny-only
 * groups and the integrity label are kept, so the copy never gets more
 * access than the source ("would not be able to access anything the
 * caller did not have access to", same page) */
static void effective_only_drops_disabled_parts(void)
{
    struct ntsec_token *src = primary(), *copy = NULL;

    CU_ASSERT_EQUAL_FATAL(dup(src, NTSEC_TOKEN_IMPERSONATION, NTSEC_SECURITY_IMPERSONATION, true,
                              &copy), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(find(copy, &sids[OPT_OFF]), -1);
    CU_ASSERT(find(copy, &sids[OPT_ON]) > 0);
    CU_ASSERT(find(copy, &sids[EVERYONE]) > 0);
    CU_ASSERT(find(copy, &sids[LOGON]) > 0);
    CU_ASSERT_EQUAL(attr(copy, DENY), NTSEC_SE_GROUP_USE_FOR_DENY_ONLY);
    CU_ASSERT(find(copy, &sids[LABEL]) > 0);
    CU_ASSERT_EQUAL(ntsec_token_integrity(copy), NTSEC_MANDATORY_MEDIUM);
    CU_ASSERT_EQUAL(atomic_load(&copy->priv_present),
                    (1ull << NTSEC_SE_CHANGE_NOTIFY_PRIVILEGE) | (1ull << NTSEC_SE_DEBUG_PRIVILEGE));
    /* the owner and primary group were the dropped group: now the user */
    CU_ASSERT_EQUAL(atomic_load(&copy->owner_pos), 0);
    CU_ASSERT_EQUAL(atomic_load(&copy->primary_group_pos), 0);
    /* the source keeps everything */
    CU_ASSERT(find(src, &sids[OPT_OFF]) > 0);
    CU_ASSERT(atomic_load(&src->priv_present) & (1ull << NTSEC_SE_SHUTDOWN_PRIVILEGE));
    ntsec_token_put(copy);
    ntsec_token_put(src);
}

/* DuplicateTokenEx: the copy keeps restricted SIDs, integrity, session,
 * source, default DACL, elevation type and linked token (Windows result
 * asserted by Wine's test_elevation for the last two) */
static void copy_keeps_everything_else(void)
{
    struct ntsec_token *full = primary();
    struct options o = { .restricted = true, .linked = full };
    struct ntsec_token *src = make_token(&o), *copy = NULL, *linked = NULL;

    CU_ASSERT_EQUAL_FATAL(dup(src, NTSEC_TOKEN_PRIMARY, 0, false, &copy), NTSEC_STATUS_SUCCESS);
    CU_ASSERT(ntsec_token_is_restricted(copy));
    CU_ASSERT_EQUAL(copy->restricted_count, 1);
    CU_ASSERT(ntsec_sid_equal(copy->restricted[0].sid, &sids[RESTRICT]));
    CU_ASSERT_EQUAL(ntsec_token_integrity(copy), NTSEC_MANDATORY_MEDIUM);
    CU_ASSERT_EQUAL(atomic_load(&copy->session_id), 3);
    CU_ASSERT_EQUAL(memcmp(&copy->source, &src->source, sizeof(src->source)), 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(copy->default_dacl);
    CU_ASSERT_EQUAL(copy->default_dacl->size, src->default_dacl->size);
    CU_ASSERT_EQUAL(memcmp(copy->default_dacl, src->default_dacl, src->default_dacl->size), 0);
    CU_ASSERT_EQUAL(copy->elevation_type, NTSEC_ELEVATION_LIMITED);
    CU_ASSERT_EQUAL(atomic_load(&copy->owner_pos), atomic_load(&src->owner_pos));
    CU_ASSERT_EQUAL(atomic_load(&copy->primary_group_pos), atomic_load(&src->primary_group_pos));
    CU_ASSERT_EQUAL(ntsec_token_linked(copy, &linked), NTSEC_STATUS_SUCCESS);
    ntsec_token_put(linked);
    CU_ASSERT(copy->linked == full);
    ntsec_token_put(copy);
    ntsec_token_put(src);
    ntsec_token_put(full);
}

/* The flags a description does not carry go with the copy: a filtered
 * sandbox-inert LUA token stays so when duplicated (ReactOS copies the
 * source's TokenFlags) */
static void copy_keeps_token_flags(void)
{
    struct ntsec_token *src = primary(), *filtered = NULL, *copy = NULL;
    struct ntsec_token_filter f = { .flags = NTSEC_FILTER_SANDBOX_INERT | NTSEC_FILTER_LUA_TOKEN };

    CU_ASSERT_EQUAL_FATAL(ntsec_token_filter(src, &f, &filtered), NTSEC_STATUS_SUCCESS);
    atomic_store(&filtered->virtualization_enabled, true);
    CU_ASSERT_EQUAL_FATAL(dup(filtered, NTSEC_TOKEN_PRIMARY, 0, false, &copy), NTSEC_STATUS_SUCCESS);
    CU_ASSERT(copy->sandbox_inert);
    CU_ASSERT(copy->lua_token);
    CU_ASSERT(copy->filtered);
    CU_ASSERT(atomic_load(&copy->virtualization_enabled));
    ntsec_token_put(copy);
    ntsec_token_put(filtered);
    ntsec_token_put(src);
}

/* NtDuplicateToken: a TokenType other than primary or impersonation, or a
 * level outside SECURITY_IMPERSONATION_LEVEL, is STATUS_INVALID_PARAMETER
 * (ReactOS NtDuplicateToken); NULL arguments too; *out stays untouched */
static void bad_input(void)
{
    struct ntsec_token *src = primary(), *copy = (struct ntsec_token *)&copy;
    struct ntsec_token_dup how = { NTSEC_TOKEN_PRIMARY, 0, false };

    CU_ASSERT_EQUAL(ntsec_token_duplicate(NULL, &how, &copy), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_token_duplicate(src, NULL, &copy), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_token_duplicate(src, &how, NULL), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(dup(src, 0, 0, false, &copy), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(dup(src, 3, 0, false, &copy), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(dup(src, NTSEC_TOKEN_IMPERSONATION, 4, false, &copy),
                    NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT(copy == (struct ntsec_token *)&copy);
    ntsec_token_put(src);
}

/* Allocation failure: NTSTATUS NO_MEMORY, no output, nothing leaked, the
 * source untouched, at every allocation until the call succeeds
 * (STYLE.md rule 8) */
static void allocation_failure_changes_nothing(void)
{
    struct ntsec_token *src = primary();
    long objects = ntsec_object_live(), live = testutil_live();
    struct ntsec_luid modified = ntsec_token_modified_id(src);
    ntsec_status st = NTSEC_STATUS_NO_MEMORY;

    for (bool eff = false; ; eff = true) {
        for (long n = 0; st == NTSEC_STATUS_NO_MEMORY; n++) {
            struct ntsec_token *copy = (struct ntsec_token *)&copy;

            testutil_fail_alloc_after(n);
            st = dup(src, NTSEC_TOKEN_IMPERSONATION, NTSEC_SECURITY_DELEGATION, eff, &copy);
            testutil_fail_alloc_after(-1);
            if (st == NTSEC_STATUS_NO_MEMORY) {
                CU_ASSERT(copy == (struct ntsec_token *)&copy);
                CU_ASSERT_EQUAL(ntsec_object_live(), objects);
                CU_ASSERT_EQUAL(testutil_live(), live);
                CU_ASSERT(luid_eq(ntsec_token_modified_id(src), modified));
            } else {
                CU_ASSERT_EQUAL(st, NTSEC_STATUS_SUCCESS);
                CU_ASSERT(n > 0);
                ntsec_token_put(copy);
            }
        }
        if (eff)
            break;
        st = NTSEC_STATUS_NO_MEMORY;
    }
    ntsec_token_put(src);
}

void register_tests(void)
{
    static CU_TestInfo tests[] = {
        TEST(duplicate_has_new_token_id_same_logon_and_modified_id),
        TEST(primary_source_gives_any_level),
        TEST(impersonation_level_cannot_rise),
        TEST(primary_needs_impersonation_level),
        TEST(copy_has_current_attributes_and_is_independent),
        TEST(effective_only_drops_disabled_parts),
        TEST(copy_keeps_everything_else),
        TEST(copy_keeps_token_flags),
        TEST(bad_input),
        TEST(allocation_failure_changes_nothing),
        CU_TEST_INFO_NULL,
    };

    testutil_add_suite("token_dup", tests);
}
