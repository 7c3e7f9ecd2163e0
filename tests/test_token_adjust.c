/* test_token_adjust.c - NtAdjustPrivilegesToken (AdjustTokenPrivileges) and
 * NtAdjustGroupsToken (AdjustTokenGroups) on ntsec tokens: what changes,
 * what PreviousState reports, which status, and that a refused or
 * too-small call changes nothing. Rules from Microsoft docs
 * (AdjustTokenPrivileges, AdjustTokenGroups, TOKEN_STATISTICS) and Windows
 * results asserted by Wine's dlls/advapi32/tests/security.c. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "ntsec/token.h"
#include "testutil.h"
#include "token.h"

/* --- fixture: a logon-like token -------------------------------------- */

enum {
    USER, EVERYONE, ADMINS, USERS, OPT_ON, OPT_OFF, OPT_DEFAULT, DENY, LOGON, LABEL, STRANGER,
    NSIDS
};

static const char *const sid_text[NSIDS] = {
    [USER] = "S-1-5-21-1-2-3-1001",     [EVERYONE] = "S-1-1-0",
    [ADMINS] = "S-1-5-32-544",          [USERS] = "S-1-5-32-545",
    [OPT_ON] = "S-1-5-21-1-2-3-2000",   [OPT_OFF] = "S-1-5-21-1-2-3-2001",
    [OPT_DEFAULT] = "S-1-5-21-1-2-3-2002", [DENY] = "S-1-5-21-1-2-3-2003",
    [LOGON] = "S-1-5-5-0-1234",         [LABEL] = "S-1-16-12288",
    [STRANGER] = "S-1-5-21-9-9-9-9",
};

static struct ntsec_sid sids[NSIDS];

#define MED (NTSEC_SE_GROUP_MANDATORY | NTSEC_SE_GROUP_ENABLED_BY_DEFAULT | NTSEC_SE_GROUP_ENABLED)

static struct ntsec_token *make_token(void)
{
    struct ntsec_sid_and_attributes groups[] = {
        { &sids[EVERYONE], MED },
        { &sids[ADMINS], MED | NTSEC_SE_GROUP_OWNER },
        { &sids[USERS], MED },
        { &sids[OPT_ON], NTSEC_SE_GROUP_ENABLED_BY_DEFAULT | NTSEC_SE_GROUP_ENABLED },
        { &sids[OPT_OFF], 0 },
        { &sids[OPT_DEFAULT], NTSEC_SE_GROUP_ENABLED_BY_DEFAULT },
        { &sids[DENY], NTSEC_SE_GROUP_USE_FOR_DENY_ONLY },
        { &sids[LOGON], MED | NTSEC_SE_GROUP_LOGON_ID },
        { &sids[LABEL], NTSEC_SE_GROUP_INTEGRITY | NTSEC_SE_GROUP_INTEGRITY_ENABLED },
    };
    struct ntsec_luid_and_attributes privs[] = {
        { { NTSEC_SE_CHANGE_NOTIFY_PRIVILEGE, 0 },
          NTSEC_SE_PRIVILEGE_ENABLED | NTSEC_SE_PRIVILEGE_ENABLED_BY_DEFAULT },
        { { NTSEC_SE_SHUTDOWN_PRIVILEGE, 0 }, 0 },
        { { NTSEC_SE_BACKUP_PRIVILEGE, 0 }, 0 },
        { { NTSEC_SE_DEBUG_PRIVILEGE, 0 }, NTSEC_SE_PRIVILEGE_ENABLED },
        { { NTSEC_SE_IMPERSONATE_PRIVILEGE, 0 },
          NTSEC_SE_PRIVILEGE_ENABLED | NTSEC_SE_PRIVILEGE_ENABLED_BY_DEFAULT },
    };
    struct ntsec_token_desc d = {
        .type = NTSEC_TOKEN_PRIMARY,
        .user = { &sids[USER], 0 },
        .groups = groups, .group_count = sizeof(groups) / sizeof(groups[0]),
        .privileges = privs, .privilege_count = sizeof(privs) / sizeof(privs[0]),
        .owner = &sids[ADMINS],
        .source = { "ntsec", { 7, 0 } },
        .session_id = 1,
    };
    struct ntsec_token *t = NULL;

    for (int i = 0; i < NSIDS; i++)
        if (!sids[i].revision)
            CU_ASSERT_FATAL(ntsec_success(ntsec_sid_from_string(sid_text[i], NULL, &sids[i])));
    CU_ASSERT_FATAL(ntsec_token_create(&d, &t) == NTSEC_STATUS_SUCCESS);
    return t;
}

/* Current attributes of SID `which` in the token (user or group). */
static uint32_t group_attr(const struct ntsec_token *t, int which)
{
    for (uint32_t i = 0; i < t->sid_count; i++)
        if (ntsec_sid_equal(t->sids[i].sid, &sids[which]))
            return atomic_load(&t->sids[i].attributes);
    CU_FAIL("SID not in token");
    return 0xffffffffu;
}

/* Attributes of privilege `low` as TOKEN_PRIVILEGES shows them; ~0 when
 * the token does not hold it. */
static uint32_t priv_attr(const struct ntsec_token *t, uint32_t low)
{
    uint64_t bit = 1ull << low;

    if (!(atomic_load(&t->priv_present) & bit))
        return ~0u;
    return (atomic_load(&t->priv_enabled) & bit ? NTSEC_SE_PRIVILEGE_ENABLED : 0) |
           (atomic_load(&t->priv_enabled_by_default) & bit ? NTSEC_SE_PRIVILEGE_ENABLED_BY_DEFAULT : 0);
}

static uint64_t modified(const struct ntsec_token *t)
{
    return atomic_load(&t->modified_id);
}

/* All attributes of a token, to check that a failed call changed nothing. */
struct state {
    uint32_t attrs[NSIDS];
    uint64_t present, enabled, by_default, modified_id;
};

static void snapshot(const struct ntsec_token *t, struct state *s)
{
    memset(s, 0, sizeof(*s));
    for (uint32_t i = 0; i < t->sid_count; i++)
        s->attrs[i] = atomic_load(&t->sids[i].attributes);
    s->present = atomic_load(&t->priv_present);
    s->enabled = atomic_load(&t->priv_enabled);
    s->by_default = atomic_load(&t->priv_enabled_by_default);
    s->modified_id = modified(t);
}

static void assert_unchanged(const struct ntsec_token *t, const struct state *before)
{
    struct state now;

    snapshot(t, &now);
    CU_ASSERT(memcmp(&now, before, sizeof(now)) == 0);
}

static struct ntsec_luid_and_attributes pa(uint32_t low, uint32_t attributes)
{
    struct ntsec_luid_and_attributes la = { { low, 0 }, attributes };
    return la;
}

/* TOKEN_PRIVILEGES as written into a PreviousState buffer. */
struct tp {
    uint32_t count;
    struct ntsec_luid_and_attributes privileges[40];
};

/* --- AdjustTokenPrivileges ---------------------------------------------- */

/* AdjustTokenPrivileges: enables a held privilege (Microsoft docs) */
static void privilege_enable_and_disable(void)
{
    struct ntsec_token *t = make_token();
    struct ntsec_luid_and_attributes on = pa(NTSEC_SE_BACKUP_PRIVILEGE, NTSEC_SE_PRIVILEGE_ENABLED);
    struct ntsec_luid_and_attributes off = pa(NTSEC_SE_DEBUG_PRIVILEGE, 0);

    CU_ASSERT_EQUAL(ntsec_token_adjust_privileges(t, false, &on, 1, NULL, 0, NULL),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(priv_attr(t, NTSEC_SE_BACKUP_PRIVILEGE), NTSEC_SE_PRIVILEGE_ENABLED);
    CU_ASSERT_EQUAL(ntsec_token_adjust_privileges(t, false, &off, 1, NULL, 0, NULL),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(priv_attr(t, NTSEC_SE_DEBUG_PRIVILEGE), 0);
    ntsec_token_put(t);
}

/* AdjustTokenPrivileges: disabling keeps SE_PRIVILEGE_ENABLED_BY_DEFAULT; only
 * ENABLED and REMOVED of NewState count (Microsoft docs) */
static void privilege_disable_keeps_enabled_by_default(void)
{
    struct ntsec_token *t = make_token();
    struct ntsec_luid_and_attributes off =
        pa(NTSEC_SE_IMPERSONATE_PRIVILEGE, NTSEC_SE_PRIVILEGE_ENABLED_BY_DEFAULT);
    struct ntsec_luid_and_attributes on =
        pa(NTSEC_SE_SHUTDOWN_PRIVILEGE, NTSEC_SE_PRIVILEGE_ENABLED | NTSEC_SE_PRIVILEGE_USED_FOR_ACCESS |
                                            NTSEC_SE_PRIVILEGE_ENABLED_BY_DEFAULT);

    CU_ASSERT_EQUAL(ntsec_token_adjust_privileges(t, false, &off, 1, NULL, 0, NULL),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(priv_attr(t, NTSEC_SE_IMPERSONATE_PRIVILEGE),
                    NTSEC_SE_PRIVILEGE_ENABLED_BY_DEFAULT);
    CU_ASSERT_EQUAL(ntsec_token_adjust_privileges(t, false, &on, 1, NULL, 0, NULL),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(priv_attr(t, NTSEC_SE_SHUTDOWN_PRIVILEGE), NTSEC_SE_PRIVILEGE_ENABLED);
    ntsec_token_put(t);
}

/* AdjustTokenPrivileges: SE_PRIVILEGE_REMOVED removes the privilege for good;
 * re-enabling it is then ERROR_NOT_ALL_ASSIGNED (Microsoft docs; Windows
 * result asserted by Wine's test_elevation: restoring a removed privilege
 * from PreviousState still succeeds) */
static void privilege_removed_is_gone_for_good(void)
{
    struct ntsec_token *t = make_token();
    struct ntsec_luid_and_attributes rm =
        pa(NTSEC_SE_DEBUG_PRIVILEGE, NTSEC_SE_PRIVILEGE_REMOVED | NTSEC_SE_PRIVILEGE_ENABLED);
    struct tp prev;
    uint32_t needed = 0;

    CU_ASSERT_EQUAL(ntsec_token_adjust_privileges(t, false, &rm, 1, &prev, sizeof(prev), &needed),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(priv_attr(t, NTSEC_SE_DEBUG_PRIVILEGE), ~0u);
    CU_ASSERT_EQUAL(needed, 16);
    CU_ASSERT_EQUAL(prev.count, 1);
    CU_ASSERT_EQUAL(prev.privileges[0].luid.low, NTSEC_SE_DEBUG_PRIVILEGE);
    CU_ASSERT_EQUAL(prev.privileges[0].attributes, NTSEC_SE_PRIVILEGE_ENABLED);
    CU_ASSERT_EQUAL(ntsec_token_adjust_privileges(t, false, prev.privileges, prev.count, NULL, 0,
                                                  NULL),
                    NTSEC_STATUS_NOT_ALL_ASSIGNED);
    CU_ASSERT_EQUAL(priv_attr(t, NTSEC_SE_DEBUG_PRIVILEGE), ~0u);
    ntsec_token_put(t);
}

/* AdjustTokenPrivileges: a privilege the token lacks gives
 * ERROR_NOT_ALL_ASSIGNED, a success, and the others are applied (Return
 * value, Microsoft docs) */
static void privilege_not_held_is_not_all_assigned(void)
{
    struct ntsec_token *t = make_token();
    struct ntsec_luid_and_attributes req[] = {
        pa(NTSEC_SE_TCB_PRIVILEGE, NTSEC_SE_PRIVILEGE_ENABLED),
        pa(NTSEC_SE_BACKUP_PRIVILEGE, NTSEC_SE_PRIVILEGE_ENABLED),
        { { 0xdeadbeef, 0 }, NTSEC_SE_PRIVILEGE_ENABLED },
        { { NTSEC_SE_SHUTDOWN_PRIVILEGE, 1 }, NTSEC_SE_PRIVILEGE_ENABLED },
    };

    CU_ASSERT_EQUAL(ntsec_token_adjust_privileges(t, false, req, 4, NULL, 0, NULL),
                    NTSEC_STATUS_NOT_ALL_ASSIGNED);
    CU_ASSERT(ntsec_success(NTSEC_STATUS_NOT_ALL_ASSIGNED));
    CU_ASSERT_EQUAL(priv_attr(t, NTSEC_SE_BACKUP_PRIVILEGE), NTSEC_SE_PRIVILEGE_ENABLED);
    CU_ASSERT_EQUAL(priv_attr(t, NTSEC_SE_SHUTDOWN_PRIVILEGE), 0);
    CU_ASSERT_EQUAL(priv_attr(t, NTSEC_SE_TCB_PRIVILEGE), ~0u);
    ntsec_token_put(t);
}

/* AdjustTokenPrivileges: DisableAllPrivileges disables every privilege and
 * ignores NewState (Microsoft docs) */
static void privilege_disable_all(void)
{
    struct ntsec_token *t = make_token();
    struct tp prev;
    uint32_t needed = 0;

    CU_ASSERT_EQUAL(ntsec_token_adjust_privileges(t, true, NULL, 5, &prev, sizeof(prev), &needed),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(atomic_load(&t->priv_enabled), 0);
    CU_ASSERT_EQUAL(priv_attr(t, NTSEC_SE_CHANGE_NOTIFY_PRIVILEGE),
                    NTSEC_SE_PRIVILEGE_ENABLED_BY_DEFAULT);
    /* only the three that were enabled changed, in LUID order */
    CU_ASSERT_EQUAL(prev.count, 3);
    CU_ASSERT_EQUAL(needed, 4 + 3 * 12);
    CU_ASSERT_EQUAL(prev.privileges[0].luid.low, NTSEC_SE_DEBUG_PRIVILEGE);
    CU_ASSERT_EQUAL(prev.privileges[1].luid.low, NTSEC_SE_CHANGE_NOTIFY_PRIVILEGE);
    CU_ASSERT_EQUAL(prev.privileges[2].luid.low, NTSEC_SE_IMPERSONATE_PRIVILEGE);
    CU_ASSERT_EQUAL(prev.privileges[1].attributes,
                    NTSEC_SE_PRIVILEGE_ENABLED | NTSEC_SE_PRIVILEGE_ENABLED_BY_DEFAULT);
    ntsec_token_put(t);
}

/* AdjustTokenPrivileges: PreviousState holds only the privileges that changed,
 * with their old attributes, in the token's order (Microsoft docs;
 * NtAdjustPrivilegesToken's walk of the token, ReactOS) */
static void privilege_previous_state_lists_changes_in_token_order(void)
{
    struct ntsec_token *t = make_token();
    struct ntsec_luid_and_attributes req[] = {
        pa(NTSEC_SE_IMPERSONATE_PRIVILEGE, 0),
        pa(NTSEC_SE_CHANGE_NOTIFY_PRIVILEGE, NTSEC_SE_PRIVILEGE_ENABLED),   /* no change */
        pa(NTSEC_SE_BACKUP_PRIVILEGE, NTSEC_SE_PRIVILEGE_ENABLED),
    };
    struct tp prev;
    uint32_t needed = 0;

    CU_ASSERT_EQUAL(ntsec_token_adjust_privileges(t, false, req, 3, &prev, sizeof(prev), &needed),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(needed, 4 + 2 * 12);
    CU_ASSERT_EQUAL(prev.count, 2);
    CU_ASSERT_EQUAL(prev.privileges[0].luid.low, NTSEC_SE_BACKUP_PRIVILEGE);
    CU_ASSERT_EQUAL(prev.privileges[0].attributes, 0);
    CU_ASSERT_EQUAL(prev.privileges[1].luid.low, NTSEC_SE_IMPERSONATE_PRIVILEGE);
    CU_ASSERT_EQUAL(prev.privileges[1].attributes,
                    NTSEC_SE_PRIVILEGE_ENABLED | NTSEC_SE_PRIVILEGE_ENABLED_BY_DEFAULT);
    /* PreviousState given back restores the token (Wine's
     * test_system_security_access restores this way) */
    CU_ASSERT_EQUAL(ntsec_token_adjust_privileges(t, false, prev.privileges, prev.count, NULL, 0,
                                                  NULL),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(priv_attr(t, NTSEC_SE_BACKUP_PRIVILEGE), 0);
    CU_ASSERT_EQUAL(priv_attr(t, NTSEC_SE_IMPERSONATE_PRIVILEGE),
                    NTSEC_SE_PRIVILEGE_ENABLED | NTSEC_SE_PRIVILEGE_ENABLED_BY_DEFAULT);
    ntsec_token_put(t);
}

/* NtAdjustPrivilegesToken: a privilege named twice takes its first entry
 * (the kernel's walk stops at the first match, ReactOS SepAdjustPrivileges) */
static void privilege_named_twice_takes_first_entry(void)
{
    struct ntsec_token *t = make_token();
    struct ntsec_luid_and_attributes req[] = {
        pa(NTSEC_SE_BACKUP_PRIVILEGE, NTSEC_SE_PRIVILEGE_ENABLED),
        pa(NTSEC_SE_BACKUP_PRIVILEGE, 0),
    };

    CU_ASSERT_EQUAL(ntsec_token_adjust_privileges(t, false, req, 2, NULL, 0, NULL),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(priv_attr(t, NTSEC_SE_BACKUP_PRIVILEGE), NTSEC_SE_PRIVILEGE_ENABLED);
    ntsec_token_put(t);
}

/* NtAdjustPrivilegesToken: PreviousState too small is STATUS_BUFFER_TOO_SMALL
 * with the size needed, and nothing changes (AdjustTokenPrivileges docs,
 * ERROR_INSUFFICIENT_BUFFER; the kernel sizes before it applies) */
static void privilege_previous_too_small_changes_nothing(void)
{
    struct ntsec_token *t = make_token();
    struct ntsec_luid_and_attributes req[] = {
        pa(NTSEC_SE_BACKUP_PRIVILEGE, NTSEC_SE_PRIVILEGE_ENABLED),
        pa(NTSEC_SE_DEBUG_PRIVILEGE, NTSEC_SE_PRIVILEGE_REMOVED),
    };
    unsigned char buf[64];
    uint32_t needed = 0;
    struct state before;

    memset(buf, 0xcc, sizeof(buf));
    snapshot(t, &before);
    CU_ASSERT_EQUAL(ntsec_token_adjust_privileges(t, false, req, 2, buf, 27, &needed),
                    NTSEC_STATUS_BUFFER_TOO_SMALL);
    CU_ASSERT_EQUAL(needed, 28);
    CU_ASSERT_EQUAL(buf[0], 0xcc);
    assert_unchanged(t, &before);
    CU_ASSERT_EQUAL(ntsec_token_adjust_privileges(t, false, req, 2, buf, 28, &needed),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(buf[0], 2);
    ntsec_token_put(t);
}

/* AdjustTokenPrivileges: without PreviousState, ReturnLength is left alone
 * (Windows result asserted by Wine's test_AdjustTokenPrivileges) */
static void privilege_no_previous_leaves_length(void)
{
    struct ntsec_token *t = make_token();
    struct ntsec_luid_and_attributes on = pa(NTSEC_SE_BACKUP_PRIVILEGE, NTSEC_SE_PRIVILEGE_ENABLED);
    uint32_t len = 0xdeadbeef;

    CU_ASSERT_EQUAL(ntsec_token_adjust_privileges(t, false, &on, 1, NULL, 0, &len),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(len, 0xdeadbeef);
    ntsec_token_put(t);
}

/* TOKEN_STATISTICS: ModifiedId changes when the token is modified, and only
 * then (Microsoft docs; ReactOS NtAdjustPrivilegesToken) */
static void privilege_modified_id_moves_only_on_change(void)
{
    struct ntsec_token *t = make_token();
    struct ntsec_luid_and_attributes same =
        pa(NTSEC_SE_CHANGE_NOTIFY_PRIVILEGE, NTSEC_SE_PRIVILEGE_ENABLED);
    struct ntsec_luid_and_attributes on = pa(NTSEC_SE_BACKUP_PRIVILEGE, NTSEC_SE_PRIVILEGE_ENABLED);
    struct ntsec_luid_and_attributes lacking = pa(NTSEC_SE_TCB_PRIVILEGE, NTSEC_SE_PRIVILEGE_ENABLED);
    uint64_t m = modified(t);

    CU_ASSERT_EQUAL(ntsec_token_adjust_privileges(t, false, &same, 1, NULL, 0, NULL),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(modified(t), m);
    CU_ASSERT_EQUAL(ntsec_token_adjust_privileges(t, false, &lacking, 1, NULL, 0, NULL),
                    NTSEC_STATUS_NOT_ALL_ASSIGNED);
    CU_ASSERT_EQUAL(modified(t), m);
    CU_ASSERT_EQUAL(ntsec_token_adjust_privileges(t, false, &on, 1, NULL, 0, NULL),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_NOT_EQUAL(modified(t), m);
    ntsec_token_put(t);
}

/* NtAdjustPrivilegesToken: NewState NULL without DisableAllPrivileges, or
 * PreviousState without ReturnLength, is STATUS_INVALID_PARAMETER (ReactOS;
 * AdjustTokenPrivileges docs) */
static void privilege_bad_input(void)
{
    struct ntsec_token *t = make_token();
    struct ntsec_luid_and_attributes on = pa(NTSEC_SE_BACKUP_PRIVILEGE, NTSEC_SE_PRIVILEGE_ENABLED);
    struct tp prev;
    struct state before;

    snapshot(t, &before);
    CU_ASSERT_EQUAL(ntsec_token_adjust_privileges(NULL, false, &on, 1, NULL, 0, NULL),
                    NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_token_adjust_privileges(t, false, NULL, 0, NULL, 0, NULL),
                    NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_token_adjust_privileges(t, false, &on, 1, &prev, sizeof(prev), NULL),
                    NTSEC_STATUS_INVALID_PARAMETER);
    assert_unchanged(t, &before);
    ntsec_token_put(t);
}

/* --- AdjustTokenGroups -------------------------------------------------- */

static struct ntsec_sid_and_attributes ga(int which, uint32_t attributes)
{
    struct ntsec_sid_and_attributes sa = { &sids[which], attributes };
    return sa;
}

/* TOKEN_GROUPS as written into a PreviousState buffer. */
struct tg {
    uint32_t count, pad;
    struct ntsec_sid_and_attributes groups[16];
    unsigned char sids[16 * NTSEC_SID_MAX_LENGTH];
};

/* AdjustTokenGroups: SE_GROUP_ENABLED enables an optional group, its absence
 * disables it (Microsoft docs) */
static void group_enable_and_disable(void)
{
    struct ntsec_token *t = make_token();
    struct ntsec_sid_and_attributes req[] = {
        ga(OPT_ON, 0), ga(OPT_OFF, NTSEC_SE_GROUP_ENABLED),
    };

    CU_ASSERT_EQUAL(ntsec_token_adjust_groups(t, false, req, 2, NULL, 0, NULL),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(group_attr(t, OPT_ON), NTSEC_SE_GROUP_ENABLED_BY_DEFAULT);
    CU_ASSERT_EQUAL(group_attr(t, OPT_OFF), NTSEC_SE_GROUP_ENABLED);
    ntsec_token_put(t);
}

/* AdjustTokenGroups: a SE_GROUP_MANDATORY group cannot be disabled:
 * STATUS_CANT_DISABLE_MANDATORY, and the call changes nothing (Remarks,
 * Microsoft docs) */
static void group_mandatory_cannot_be_disabled(void)
{
    struct ntsec_token *t = make_token();
    struct ntsec_sid_and_attributes req[] = { ga(OPT_ON, 0), ga(USERS, 0) };
    struct ntsec_sid_and_attributes keep = ga(EVERYONE, NTSEC_SE_GROUP_ENABLED);
    struct state before;

    snapshot(t, &before);
    CU_ASSERT_EQUAL(ntsec_token_adjust_groups(t, false, req, 2, NULL, 0, NULL),
                    NTSEC_STATUS_CANT_DISABLE_MANDATORY);
    assert_unchanged(t, &before);
    /* enabling it (it is already) is fine */
    CU_ASSERT_EQUAL(ntsec_token_adjust_groups(t, false, &keep, 1, NULL, 0, NULL),
                    NTSEC_STATUS_SUCCESS);
    assert_unchanged(t, &before);
    ntsec_token_put(t);
}

/* AdjustTokenGroups: a SE_GROUP_USE_FOR_DENY_ONLY group cannot be enabled:
 * STATUS_CANT_ENABLE_DENY_ONLY, nothing changes (Remarks, Microsoft docs) */
static void group_deny_only_cannot_be_enabled(void)
{
    struct ntsec_token *t = make_token();
    struct ntsec_sid_and_attributes req[] = { ga(OPT_OFF, NTSEC_SE_GROUP_ENABLED),
                                              ga(DENY, NTSEC_SE_GROUP_ENABLED) };
    struct state before;

    snapshot(t, &before);
    CU_ASSERT_EQUAL(ntsec_token_adjust_groups(t, false, req, 2, NULL, 0, NULL),
                    NTSEC_STATUS_CANT_ENABLE_DENY_ONLY);
    assert_unchanged(t, &before);
    ntsec_token_put(t);
}

/* NtAdjustGroupsToken: the groups are checked in the token's order, so the
 * first refused group of the token names the error (ReactOS SepAdjustGroups) */
static void group_first_refusal_in_token_order(void)
{
    struct ntsec_token *t = make_token();
    struct ntsec_sid_and_attributes req[] = { ga(DENY, NTSEC_SE_GROUP_ENABLED), ga(ADMINS, 0) };

    CU_ASSERT_EQUAL(ntsec_token_adjust_groups(t, false, req, 2, NULL, 0, NULL),
                    NTSEC_STATUS_CANT_DISABLE_MANDATORY);
    ntsec_token_put(t);
}

/* AdjustTokenGroups: ResetToDefault puts every group back to its
 * SE_GROUP_ENABLED_BY_DEFAULT state and ignores NewState (Microsoft docs);
 * deny-only stays deny-only (Windows 2000 Resource Kit, SID Attributes) */
static void group_reset_to_default(void)
{
    struct ntsec_token *t = make_token();
    struct ntsec_sid_and_attributes req[] = { ga(OPT_ON, 0), ga(OPT_OFF, NTSEC_SE_GROUP_ENABLED) };
    struct tg prev;
    uint32_t needed = 0;

    CU_ASSERT_EQUAL(ntsec_token_adjust_groups(t, false, req, 2, NULL, 0, NULL),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_token_adjust_groups(t, true, NULL, 7, &prev, sizeof(prev), &needed),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(group_attr(t, OPT_ON), NTSEC_SE_GROUP_ENABLED_BY_DEFAULT | NTSEC_SE_GROUP_ENABLED);
    CU_ASSERT_EQUAL(group_attr(t, OPT_OFF), 0);
    CU_ASSERT_EQUAL(group_attr(t, OPT_DEFAULT),
                    NTSEC_SE_GROUP_ENABLED_BY_DEFAULT | NTSEC_SE_GROUP_ENABLED);
    CU_ASSERT_EQUAL(group_attr(t, DENY), NTSEC_SE_GROUP_USE_FOR_DENY_ONLY);
    CU_ASSERT_EQUAL(group_attr(t, EVERYONE), MED);
    CU_ASSERT_EQUAL(prev.count, 3);
    ntsec_token_put(t);
}

/* AdjustTokenGroups: a SID that is not a group of the token gives
 * ERROR_NOT_ALL_ASSIGNED and the others are applied (Return value,
 * Microsoft docs); the user and the integrity label are not groups one
 * adjusts */
static void group_not_in_token_is_not_all_assigned(void)
{
    struct ntsec_token *t = make_token();
    struct ntsec_sid_and_attributes req[] = {
        ga(STRANGER, NTSEC_SE_GROUP_ENABLED), ga(OPT_OFF, NTSEC_SE_GROUP_ENABLED),
    };
    struct ntsec_sid_and_attributes user = ga(USER, NTSEC_SE_GROUP_ENABLED);
    struct ntsec_sid_and_attributes label = ga(LABEL, NTSEC_SE_GROUP_ENABLED);
    uint32_t label_before = group_attr(t, LABEL);

    CU_ASSERT_EQUAL(ntsec_token_adjust_groups(t, false, req, 2, NULL, 0, NULL),
                    NTSEC_STATUS_NOT_ALL_ASSIGNED);
    CU_ASSERT_EQUAL(group_attr(t, OPT_OFF), NTSEC_SE_GROUP_ENABLED);
    CU_ASSERT_EQUAL(ntsec_token_adjust_groups(t, false, &user, 1, NULL, 0, NULL),
                    NTSEC_STATUS_NOT_ALL_ASSIGNED);
    CU_ASSERT_EQUAL(group_attr(t, USER), 0);
    CU_ASSERT_EQUAL(ntsec_token_adjust_groups(t, false, &label, 1, NULL, 0, NULL),
                    NTSEC_STATUS_NOT_ALL_ASSIGNED);
    CU_ASSERT_EQUAL(group_attr(t, LABEL), label_before);
    ntsec_token_put(t);
}

/* NtAdjustGroupsToken: PreviousState is a TOKEN_GROUPS of the changed groups
 * with their old attributes and SIDs in the same buffer (winnt.h layout;
 * AdjustTokenGroups docs) */
static void group_previous_state_layout(void)
{
    struct ntsec_token *t = make_token();
    struct ntsec_sid_and_attributes req[] = {
        ga(OPT_OFF, NTSEC_SE_GROUP_ENABLED), ga(OPT_ON, 0), ga(EVERYONE, NTSEC_SE_GROUP_ENABLED),
    };
    struct tg prev;
    uint32_t needed = 0;

    memset(&prev, 0xcc, sizeof(prev));
    CU_ASSERT_EQUAL(ntsec_token_adjust_groups(t, false, req, 3, &prev, sizeof(prev), &needed),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(prev.count, 2);
    CU_ASSERT_EQUAL(prev.pad, 0);
    CU_ASSERT_EQUAL(needed, 8 + 2 * 16 + 2 * ntsec_sid_length(&sids[OPT_ON]));
    /* token order: OPT_ON comes before OPT_OFF */
    CU_ASSERT(ntsec_sid_equal(prev.groups[0].sid, &sids[OPT_ON]));
    CU_ASSERT_EQUAL(prev.groups[0].attributes,
                    NTSEC_SE_GROUP_ENABLED_BY_DEFAULT | NTSEC_SE_GROUP_ENABLED);
    CU_ASSERT(ntsec_sid_equal(prev.groups[1].sid, &sids[OPT_OFF]));
    CU_ASSERT_EQUAL(prev.groups[1].attributes, 0);
    CU_ASSERT((const unsigned char *)prev.groups[0].sid == (const unsigned char *)&prev.groups[2]);
    /* given back, it restores the token */
    CU_ASSERT_EQUAL(ntsec_token_adjust_groups(t, false, prev.groups, prev.count, NULL, 0, NULL),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(group_attr(t, OPT_ON), NTSEC_SE_GROUP_ENABLED_BY_DEFAULT | NTSEC_SE_GROUP_ENABLED);
    CU_ASSERT_EQUAL(group_attr(t, OPT_OFF), 0);
    ntsec_token_put(t);
}

/* NtAdjustGroupsToken: PreviousState too small is STATUS_BUFFER_TOO_SMALL with
 * the size needed, and nothing changes (AdjustTokenGroups docs) */
static void group_previous_too_small_changes_nothing(void)
{
    struct ntsec_token *t = make_token();
    struct ntsec_sid_and_attributes req = ga(OPT_ON, 0);
    struct tg prev;
    uint32_t needed = 0, want = 8 + 16 + (uint32_t)ntsec_sid_length(&sids[OPT_ON]);
    struct state before;

    snapshot(t, &before);
    memset(&prev, 0xcc, sizeof(prev));
    CU_ASSERT_EQUAL(ntsec_token_adjust_groups(t, false, &req, 1, &prev, want - 1, &needed),
                    NTSEC_STATUS_BUFFER_TOO_SMALL);
    CU_ASSERT_EQUAL(needed, want);
    CU_ASSERT_EQUAL(prev.count, 0xcccccccc);
    assert_unchanged(t, &before);
    CU_ASSERT_EQUAL(ntsec_token_adjust_groups(t, false, &req, 1, &prev, want, &needed),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(prev.count, 1);
    ntsec_token_put(t);
}

/* TOKEN_STATISTICS: ModifiedId changes only when the token changes (ReactOS
 * NtAdjustGroupsToken) */
static void group_modified_id_moves_only_on_change(void)
{
    struct ntsec_token *t = make_token();
    struct ntsec_sid_and_attributes same = ga(OPT_OFF, 0);
    struct ntsec_sid_and_attributes on = ga(OPT_OFF, NTSEC_SE_GROUP_ENABLED);
    uint64_t m = modified(t);

    CU_ASSERT_EQUAL(ntsec_token_adjust_groups(t, false, &same, 1, NULL, 0, NULL),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(modified(t), m);
    CU_ASSERT_EQUAL(ntsec_token_adjust_groups(t, false, &on, 1, NULL, 0, NULL),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_NOT_EQUAL(modified(t), m);
    ntsec_token_put(t);
}

/* NtAdjustGroupsToken: NewState NULL without ResetToDefault is
 * STATUS_INVALID_PARAMETER; an invalid SID is STATUS_INVALID_SID (ReactOS;
 * SID capture) */
static void group_bad_input(void)
{
    struct ntsec_token *t = make_token();
    struct ntsec_sid bad = sids[OPT_ON];
    struct ntsec_sid_and_attributes req[] = { ga(OPT_ON, 0), { &bad, 0 } };
    struct ntsec_sid_and_attributes null_sid = { NULL, 0 };
    struct tg prev;
    struct state before;

    bad.revision = 2;
    snapshot(t, &before);
    CU_ASSERT_EQUAL(ntsec_token_adjust_groups(NULL, false, req, 1, NULL, 0, NULL),
                    NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_token_adjust_groups(t, false, NULL, 0, NULL, 0, NULL),
                    NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_token_adjust_groups(t, false, req, 1, &prev, sizeof(prev), NULL),
                    NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_token_adjust_groups(t, false, req, 2, NULL, 0, NULL),
                    NTSEC_STATUS_INVALID_SID);
    CU_ASSERT_EQUAL(ntsec_token_adjust_groups(t, false, &null_sid, 1, NULL, 0, NULL),
                    NTSEC_STATUS_INVALID_SID);
    assert_unchanged(t, &before);
    ntsec_token_put(t);
}

/* --- atomicity ----------------------------------------------------------- */

struct race {
    struct ntsec_token *t;
    atomic_bool stop, started;
    long torn, reads;
};

static void *reader(void *arg)
{
    struct race *r = arg;

    /* Read two groups that every change flips together, as readers do: a
     * seqlock read section, retried if a writer ran. */
    atomic_store(&r->started, true);
    while (!atomic_load(&r->stop)) {
        uint32_t seq, a, b;
        uint64_t p;

        do {
            seq = ntsec__token_read_begin(r->t);
            a = atomic_load_explicit(&r->t->sids[4].attributes, memory_order_relaxed);
            b = atomic_load_explicit(&r->t->sids[5].attributes, memory_order_relaxed);
            p = atomic_load_explicit(&r->t->priv_enabled, memory_order_relaxed);
        } while (ntsec__token_read_retry(r->t, seq));
        if (((a ^ b) & NTSEC_SE_GROUP_ENABLED) != NTSEC_SE_GROUP_ENABLED)
            r->torn++;
        if (!!(p & (1ull << NTSEC_SE_BACKUP_PRIVILEGE)) != !!(p & (1ull << NTSEC_SE_SHUTDOWN_PRIVILEGE)))
            r->torn++;
        r->reads++;
    }
    return NULL;
}

/* A reader never sees half of an adjustment: both groups (and both
 * privileges) of one call change in one seqlock write (libsec/token.h) */
static void adjust_is_atomic_for_readers(void)
{
    struct race r = { .t = make_token() };
    struct ntsec_sid_and_attributes flip[2][2] = {
        { ga(OPT_ON, 0), ga(OPT_OFF, NTSEC_SE_GROUP_ENABLED) },
        { ga(OPT_ON, NTSEC_SE_GROUP_ENABLED), ga(OPT_OFF, 0) },
    };
    struct ntsec_luid_and_attributes privs[2][2] = {
        { pa(NTSEC_SE_BACKUP_PRIVILEGE, NTSEC_SE_PRIVILEGE_ENABLED),
          pa(NTSEC_SE_SHUTDOWN_PRIVILEGE, NTSEC_SE_PRIVILEGE_ENABLED) },
        { pa(NTSEC_SE_BACKUP_PRIVILEGE, 0), pa(NTSEC_SE_SHUTDOWN_PRIVILEGE, 0) },
    };
    pthread_t th;

    CU_ASSERT_FATAL(ntsec_sid_equal(r.t->sids[4].sid, &sids[OPT_ON]));
    CU_ASSERT_FATAL(pthread_create(&th, NULL, reader, &r) == 0);
    while (!atomic_load(&r.started))
        ;
    for (int i = 0; i < 20000; i++) {
        CU_ASSERT_EQUAL(ntsec_token_adjust_groups(r.t, false, flip[i & 1], 2, NULL, 0, NULL),
                        NTSEC_STATUS_SUCCESS);
        CU_ASSERT_EQUAL(ntsec_token_adjust_privileges(r.t, false, privs[i & 1], 2, NULL, 0, NULL),
                        NTSEC_STATUS_SUCCESS);
    }
    atomic_store(&r.stop, true);
    pthread_join(th, NULL);
    CU_ASSERT_EQUAL(r.torn, 0);
    CU_ASSERT(r.reads > 0);
    ntsec_token_put(r.t);
}

void register_tests(void)
{
    static CU_TestInfo tests[] = {
        TEST(privilege_enable_and_disable),
        TEST(privilege_disable_keeps_enabled_by_default),
        TEST(privilege_removed_is_gone_for_good),
        TEST(privilege_not_held_is_not_all_assigned),
        TEST(privilege_disable_all),
        TEST(privilege_previous_state_lists_changes_in_token_order),
        TEST(privilege_named_twice_takes_first_entry),
        TEST(privilege_previous_too_small_changes_nothing),
        TEST(privilege_no_previous_leaves_length),
        TEST(privilege_modified_id_moves_only_on_change),
        TEST(privilege_bad_input),
        TEST(group_enable_and_disable),
        TEST(group_mandatory_cannot_be_disabled),
        TEST(group_deny_only_cannot_be_enabled),
        TEST(group_first_refusal_in_token_order),
        TEST(group_reset_to_default),
        TEST(group_not_in_token_is_not_all_assigned),
        TEST(group_previous_state_layout),
        TEST(group_previous_too_small_changes_nothing),
        TEST(group_modified_id_moves_only_on_change),
        TEST(group_bad_input),
        TEST(adjust_is_atomic_for_readers),
        CU_TEST_INFO_NULL,
    };

    testutil_add_suite("token_adjust", tests);
}
