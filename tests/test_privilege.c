/* test_privilege.c - the privilege table (LookupPrivilegeName / Value /
 * DisplayName) and PrivilegeCheck. */
#include <stdlib.h>

#include "privilege_table.h"
#include "testutil.h"
#include "tokfix.h"

/* winnt.h: one privilege per LUID 2..36 (SE_MIN/MAX_WELL_KNOWN_PRIVILEGE),
 * named "Se...Privilege"; LookupPrivilegeName and LookupPrivilegeValue are
 * inverse. */
static void every_well_known_luid_has_a_name(void)
{
    size_t n;
    const struct ntsec__privilege *table = ntsec__privilege_table(&n);

    CU_ASSERT_EQUAL(n, NTSEC_SE_MAX_PRIVILEGE - NTSEC_SE_MIN_PRIVILEGE + 1);
    for (size_t i = 0; i < n; i++) {
        struct ntsec_luid l = { table[i].low, 0 }, back = { 0, 7 };
        const char *name = ntsec_privilege_name(l);
        size_t len = name ? strlen(name) : 0;

        CU_ASSERT_EQUAL(table[i].low, NTSEC_SE_MIN_PRIVILEGE + i);
        CU_ASSERT_PTR_NOT_NULL_FATAL(name);
        CU_ASSERT(len > 11 && !strncmp(name, "Se", 2) && !strcmp(name + len - 9, "Privilege"));
        CU_ASSERT_PTR_NOT_NULL(ntsec_privilege_display_name(l));
        CU_ASSERT_EQUAL(ntsec_privilege_lookup(name, &back), NTSEC_STATUS_SUCCESS);
        CU_ASSERT_EQUAL(back.low, l.low);
        CU_ASSERT_EQUAL(back.high, 0);
    }
}

/* The LUID values of winnt.h / wdm.h SE_*_PRIVILEGE. */
static void names_match_windows_luids(void)
{
    static const struct { uint32_t low; const char *name; } known[] = {
        { 2, "SeCreateTokenPrivilege" }, { 3, "SeAssignPrimaryTokenPrivilege" },
        { 7, "SeTcbPrivilege" }, { 8, "SeSecurityPrivilege" },
        { 9, "SeTakeOwnershipPrivilege" }, { 12, "SeSystemtimePrivilege" },
        { 17, "SeBackupPrivilege" }, { 18, "SeRestorePrivilege" },
        { 20, "SeDebugPrivilege" }, { 23, "SeChangeNotifyPrivilege" },
        { 29, "SeImpersonatePrivilege" }, { 30, "SeCreateGlobalPrivilege" },
        { 32, "SeRelabelPrivilege" }, { 35, "SeCreateSymbolicLinkPrivilege" },
        { 36, "SeDelegateSessionUserImpersonatePrivilege" },
    };

    for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
        CU_ASSERT_STRING_EQUAL(ntsec_privilege_name((struct ntsec_luid){ known[i].low, 0 }),
                               known[i].name);
}

/* LookupPrivilegeName fails for a LUID that names no privilege. */
static void unknown_luid_has_no_name(void)
{
    CU_ASSERT_PTR_NULL(ntsec_privilege_name((struct ntsec_luid){ 0, 0 }));
    CU_ASSERT_PTR_NULL(ntsec_privilege_name((struct ntsec_luid){ 1, 0 }));
    CU_ASSERT_PTR_NULL(ntsec_privilege_name((struct ntsec_luid){ 37, 0 }));
    CU_ASSERT_PTR_NULL(ntsec_privilege_name((struct ntsec_luid){ 20, 1 }));
    CU_ASSERT_PTR_NULL(ntsec_privilege_display_name((struct ntsec_luid){ 37, 0 }));
}

/* LookupPrivilegeValue ignores case and fails with NO_SUCH_PRIVILEGE for
 * an unknown name and a NULL one (Windows results asserted by Wine's
 * dlls/advapi32/tests/security.c test_lookupPrivilegeValue:
 * "sEcREATEtOKENpRIVILEGE" succeeds; NULL, "SeBogusPrivilege" fail);
 * a prefix or a longer string is unknown too; *luid untouched. */
static void lookup_ignores_case(void)
{
    struct ntsec_luid l = { 99, 99 };

    CU_ASSERT_EQUAL(ntsec_privilege_lookup("sEcREATEtOKENpRIVILEGE", &l), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(l.low, 2);
    CU_ASSERT_EQUAL(ntsec_privilege_lookup("SEIMPERSONATEPRIVILEGE", &l), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(l.low, 29);
    l.low = 99;
    CU_ASSERT_EQUAL(ntsec_privilege_lookup("SeImpersonate", &l), NTSEC_STATUS_NO_SUCH_PRIVILEGE);
    CU_ASSERT_EQUAL(ntsec_privilege_lookup("SeImpersonatePrivilegeX", &l),
                    NTSEC_STATUS_NO_SUCH_PRIVILEGE);
    CU_ASSERT_EQUAL(ntsec_privilege_lookup("", &l), NTSEC_STATUS_NO_SUCH_PRIVILEGE);
    CU_ASSERT_EQUAL(ntsec_privilege_lookup("SeInteractiveLogonRight", &l),
                    NTSEC_STATUS_NO_SUCH_PRIVILEGE);      /* an account right, not a privilege */
    CU_ASSERT_EQUAL(l.low, 99);
    CU_ASSERT_EQUAL(ntsec_privilege_lookup(NULL, &l), NTSEC_STATUS_NO_SUCH_PRIVILEGE);
    CU_ASSERT_EQUAL(ntsec_privilege_lookup("SeBogusPrivilege", &l), NTSEC_STATUS_NO_SUCH_PRIVILEGE);
    CU_ASSERT_EQUAL(l.low, 99);
    CU_ASSERT_EQUAL(ntsec_privilege_lookup("SeTcbPrivilege", NULL), NTSEC_STATUS_INVALID_PARAMETER);
}

/* LookupPrivilegeDisplayName, English Windows (`whoami /priv` shows the
 * same strings in its Description column). */
static void display_names_are_windows_english(void)
{
    static const struct { uint32_t low; const char *display; } known[] = {
        { 3, "Replace a process level token" },
        { 5, "Adjust memory quotas for a process" },
        { 17, "Back up files and directories" },
        { 19, "Shut down the system" },
        { 23, "Bypass traverse checking" },
        { 25, "Remove computer from docking station" },
        { 29, "Impersonate a client after authentication" },
        { 33, "Increase a process working set" },
        { 34, "Change the time zone" },
        { 36, "Obtain an impersonation token for another user in the same session" },
    };

    for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
        CU_ASSERT_STRING_EQUAL(ntsec_privilege_display_name((struct ntsec_luid){ known[i].low, 0 }),
                               known[i].display);
}

/* --- PrivilegeCheck ------------------------------------------------------------ */

static struct ntsec_privilege_set *set_of(uint32_t control, uint32_t n, const uint32_t *lows)
{
    struct ntsec_privilege_set *s =
        calloc(1, sizeof(*s) + n * sizeof(struct ntsec_luid_and_attributes));

    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    s->count = n;
    s->control = control;
    for (uint32_t i = 0; i < n; i++)
        s->privileges[i].luid.low = lows[i];
    return s;
}

/* PrivilegeCheck (Microsoft docs): with PRIVILEGE_SET_ALL_NECESSARY all
 * must be enabled, otherwise any one; each enabled one is marked
 * SE_PRIVILEGE_USED_FOR_ACCESS, the others are not. A present but
 * disabled privilege does not count. */
static void privilege_check_all_or_any(void)
{
    struct tf_token f;
    struct ntsec_token *t = NULL;
    static const uint32_t both[] = { NTSEC_SE_CHANGE_NOTIFY_PRIVILEGE, NTSEC_SE_SHUTDOWN_PRIVILEGE };
    struct ntsec_privilege_set *s;
    bool ok = true;

    tf_init(&f);
    CU_ASSERT_EQUAL_FATAL(ntsec_token_create(&f.desc, &t), NTSEC_STATUS_SUCCESS);
    s = set_of(NTSEC_PRIVILEGE_SET_ALL_NECESSARY, 2, both);
    CU_ASSERT_EQUAL(ntsec_privilege_check(t, s, &ok), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_FALSE(ok);
    CU_ASSERT_EQUAL(s->privileges[0].attributes, NTSEC_SE_PRIVILEGE_USED_FOR_ACCESS);
    CU_ASSERT_EQUAL(s->privileges[1].attributes, 0);
    free(s);

    s = set_of(0, 2, both);
    CU_ASSERT_EQUAL(ntsec_privilege_check(t, s, &ok), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_TRUE(ok);
    CU_ASSERT_EQUAL(s->privileges[0].attributes, NTSEC_SE_PRIVILEGE_USED_FOR_ACCESS);
    free(s);

    s = set_of(NTSEC_PRIVILEGE_SET_ALL_NECESSARY, 1, both);
    CU_ASSERT_EQUAL(ntsec_privilege_check(t, s, &ok), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_TRUE(ok);
    free(s);

    s = set_of(0, 1, both + 1);             /* present but disabled */
    ok = true;
    CU_ASSERT_EQUAL(ntsec_privilege_check(t, s, &ok), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_FALSE(ok);
    free(s);
    ntsec_token_put(t);
}

/* Edge cases: an unknown LUID is never held; an empty set passes only
 * with ALL_NECESSARY (nothing required) and fails without (nothing to
 * match); NULL arguments are STATUS_INVALID_PARAMETER. */
static void privilege_check_edge_cases(void)
{
    struct tf_token f;
    struct ntsec_token *t = NULL;
    static const uint32_t odd[] = { 0, 37, 0xdeadbeef };
    struct ntsec_privilege_set *s;
    bool ok = true;

    tf_init(&f);
    CU_ASSERT_EQUAL_FATAL(ntsec_token_create(&f.desc, &t), NTSEC_STATUS_SUCCESS);
    s = set_of(0, 3, odd);
    CU_ASSERT_EQUAL(ntsec_privilege_check(t, s, &ok), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_FALSE(ok);
    free(s);
    s = set_of(NTSEC_PRIVILEGE_SET_ALL_NECESSARY, 0, NULL);
    CU_ASSERT_EQUAL(ntsec_privilege_check(t, s, &ok), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_TRUE(ok);
    s->control = 0;
    CU_ASSERT_EQUAL(ntsec_privilege_check(t, s, &ok), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_FALSE(ok);
    CU_ASSERT_EQUAL(ntsec_privilege_check(NULL, s, &ok), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_privilege_check(t, NULL, &ok), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_privilege_check(t, s, NULL), NTSEC_STATUS_INVALID_PARAMETER);
    free(s);
    ntsec_token_put(t);
}

/* An impersonation token below SecurityIdentification cannot be asked:
 * ERROR_BAD_IMPERSONATION_LEVEL; Identification can (Windows results
 * asserted by Wine's test_impersonation_level). *result is left alone on
 * failure. */
static void privilege_check_needs_identification_level(void)
{
    struct tf_token f;
    struct ntsec_token *t = NULL;
    static const uint32_t one[] = { NTSEC_SE_CHANGE_NOTIFY_PRIVILEGE };
    struct ntsec_privilege_set *s = set_of(0, 1, one);
    bool ok = false;

    tf_init(&f);
    f.desc.type = NTSEC_TOKEN_IMPERSONATION;
    f.desc.level = NTSEC_SECURITY_ANONYMOUS;
    CU_ASSERT_EQUAL_FATAL(ntsec_token_create(&f.desc, &t), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_privilege_check(t, s, &ok), NTSEC_STATUS_BAD_IMPERSONATION_LEVEL);
    CU_ASSERT_FALSE(ok);
    CU_ASSERT_EQUAL(s->privileges[0].attributes, 0);
    ntsec_token_put(t);
    f.desc.level = NTSEC_SECURITY_IDENTIFICATION;
    CU_ASSERT_EQUAL_FATAL(ntsec_token_create(&f.desc, &t), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_privilege_check(t, s, &ok), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_TRUE(ok);
    ntsec_token_put(t);
    free(s);
}

/* The privileges an access check used are listed TakeOwnership, then
 * Security, then by LUID, each marked SE_PRIVILEGE_USED_FOR_ACCESS
 * (SeAccessCheck docs, Privileges; NtAccessCheck's PrivilegeSet). */
static void used_privileges_are_listed_in_windows_order(void)
{
    struct { struct ntsec_privilege_set set; struct ntsec_luid_and_attributes more[4]; } buf;
    uint64_t used = 1ull << NTSEC_SE_BACKUP_PRIVILEGE | 1ull << NTSEC_SE_SECURITY_PRIVILEGE |
                    1ull << NTSEC_SE_TAKE_OWNERSHIP_PRIVILEGE;

    ntsec_privilege_set_from_mask(used, &buf.set);
    CU_ASSERT_EQUAL(buf.set.count, 3);
    CU_ASSERT_EQUAL(buf.set.control, 0);
    CU_ASSERT_EQUAL(buf.set.privileges[0].luid.low, NTSEC_SE_TAKE_OWNERSHIP_PRIVILEGE);
    CU_ASSERT_EQUAL(buf.set.privileges[1].luid.low, NTSEC_SE_SECURITY_PRIVILEGE);
    CU_ASSERT_EQUAL(buf.set.privileges[2].luid.low, NTSEC_SE_BACKUP_PRIVILEGE);
    for (int i = 0; i < 3; i++) {
        CU_ASSERT_EQUAL(buf.set.privileges[i].luid.high, 0);
        CU_ASSERT_EQUAL(buf.set.privileges[i].attributes, NTSEC_SE_PRIVILEGE_USED_FOR_ACCESS);
    }
    ntsec_privilege_set_from_mask(0, &buf.set);
    CU_ASSERT_EQUAL(buf.set.count, 0);
}

void register_tests(void)
{
    static CU_TestInfo tests[] = {
        TEST(every_well_known_luid_has_a_name),
        TEST(names_match_windows_luids),
        TEST(unknown_luid_has_no_name),
        TEST(lookup_ignores_case),
        TEST(display_names_are_windows_english),
        TEST(privilege_check_all_or_any),
        TEST(privilege_check_edge_cases),
        TEST(privilege_check_needs_identification_level),
        TEST(used_privileges_are_listed_in_windows_order),
        CU_TEST_INFO_NULL,
    };

    testutil_add_suite("privilege", tests);
}
