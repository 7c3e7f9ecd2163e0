/* test_unixcred.c - the Linux identity behind the first process token:
 * capabilities -> privileges (every combination), uid/gid -> SIDs, the
 * token of root, of a standard user, of this process, and of a child that
 * drops to an unprivileged uid with no capabilities. */
#define _GNU_SOURCE
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/capability.h>
#include <sys/wait.h>
#include <unistd.h>

#include "account.h"
#include "alloc.h"
#include "testutil.h"
#include "tokfix.h"
#include "unixcred.h"

#define CAPBIT(n) (UINT64_C(1) << (n))
#define PRIV(p) (UINT64_C(1) << (p))

/* The mapping as docs/linux.md states it, written out here apart from
 * the library's table so that the table is checked against the document. */
struct rule {
    uint64_t caps;
    uint64_t privs;
};

static const struct rule doc_rules[] = {
    { CAPBIT(CAP_DAC_READ_SEARCH), PRIV(NTSEC_SE_BACKUP_PRIVILEGE) },
    { CAPBIT(CAP_DAC_OVERRIDE) | CAPBIT(CAP_FOWNER), PRIV(NTSEC_SE_RESTORE_PRIVILEGE) },
    { CAPBIT(CAP_CHOWN), PRIV(NTSEC_SE_TAKE_OWNERSHIP_PRIVILEGE) },
    { CAPBIT(CAP_SYS_PTRACE), PRIV(NTSEC_SE_DEBUG_PRIVILEGE) },
    { CAPBIT(CAP_SYS_TIME), PRIV(NTSEC_SE_SYSTEMTIME_PRIVILEGE) },
    { CAPBIT(CAP_SYS_BOOT), PRIV(NTSEC_SE_SHUTDOWN_PRIVILEGE) },
    { CAPBIT(CAP_SYS_MODULE), PRIV(NTSEC_SE_LOAD_DRIVER_PRIVILEGE) },
    { CAPBIT(CAP_SYS_NICE), PRIV(NTSEC_SE_INC_BASE_PRIORITY_PRIVILEGE) },
    { CAPBIT(CAP_SYS_RESOURCE), PRIV(NTSEC_SE_INCREASE_QUOTA_PRIVILEGE) },
    { CAPBIT(CAP_IPC_LOCK), PRIV(NTSEC_SE_LOCK_MEMORY_PRIVILEGE) },
    { CAPBIT(CAP_AUDIT_WRITE), PRIV(NTSEC_SE_AUDIT_PRIVILEGE) },
    { CAPBIT(CAP_SETUID) | CAPBIT(CAP_SETGID),
      PRIV(NTSEC_SE_IMPERSONATE_PRIVILEGE) | PRIV(NTSEC_SE_ASSIGNPRIMARYTOKEN_PRIVILEGE) |
          PRIV(NTSEC_SE_TCB_PRIVILEGE) },
};

#define RULE_COUNT (sizeof(doc_rules) / sizeof(doc_rules[0]))
#define EVERYONE_PRIVS PRIV(NTSEC_SE_CHANGE_NOTIFY_PRIVILEGE)

static uint64_t doc_privileges(uint64_t caps)
{
    uint64_t privs = EVERYONE_PRIVS;

    for (size_t i = 0; i < RULE_COUNT; i++)
        if ((caps & doc_rules[i].caps) == doc_rules[i].caps)
            privs |= doc_rules[i].privs;
    return privs;
}

/* --- capabilities -> privileges ------------------------------------------ */

/* docs/linux.md, capability table: one capability alone gives its privilege
 * (or none, for the halves of a pair), always with SeChangeNotifyPrivilege. */
static void each_capability_alone_gives_its_privilege(void)
{
    CU_ASSERT_EQUAL(ntsec_unixcred_privileges(0), EVERYONE_PRIVS);
    for (int cap = 0; cap < 64; cap++)
        CU_ASSERT_EQUAL(ntsec_unixcred_privileges(CAPBIT(cap)), doc_privileges(CAPBIT(cap)));
    CU_ASSERT_EQUAL(ntsec_unixcred_privileges(CAPBIT(CAP_DAC_OVERRIDE)), EVERYONE_PRIVS);
    CU_ASSERT_EQUAL(ntsec_unixcred_privileges(CAPBIT(CAP_FOWNER)), EVERYONE_PRIVS);
    CU_ASSERT_EQUAL(ntsec_unixcred_privileges(CAPBIT(CAP_SETUID)), EVERYONE_PRIVS);
    CU_ASSERT_EQUAL(ntsec_unixcred_privileges(CAPBIT(CAP_SETGID)), EVERYONE_PRIVS);
    CU_ASSERT_EQUAL(ntsec_unixcred_privileges(CAPBIT(CAP_SYS_ADMIN)), EVERYONE_PRIVS);
    CU_ASSERT_EQUAL(ntsec_unixcred_privileges(CAPBIT(CAP_SYS_PTRACE)),
                    EVERYONE_PRIVS | PRIV(NTSEC_SE_DEBUG_PRIVILEGE));
}

/* docs/linux.md: SeRestorePrivilege needs CAP_DAC_OVERRIDE and CAP_FOWNER;
 * the token privileges need CAP_SETUID and CAP_SETGID. */
static void paired_capabilities_need_both(void)
{
    CU_ASSERT_EQUAL(ntsec_unixcred_privileges(CAPBIT(CAP_DAC_OVERRIDE) | CAPBIT(CAP_FOWNER)),
                    EVERYONE_PRIVS | PRIV(NTSEC_SE_RESTORE_PRIVILEGE));
    CU_ASSERT_EQUAL(ntsec_unixcred_privileges(CAPBIT(CAP_SETUID) | CAPBIT(CAP_SETGID)),
                    EVERYONE_PRIVS | PRIV(NTSEC_SE_IMPERSONATE_PRIVILEGE) |
                        PRIV(NTSEC_SE_ASSIGNPRIMARYTOKEN_PRIVILEGE) | PRIV(NTSEC_SE_TCB_PRIVILEGE));
}

/* docs/linux.md: the privileges of a capability set are the union of the
 * rules it satisfies - checked for every combination of the 14
 * capabilities the table names, with and without unrelated ones. */
static void every_capability_combination_is_the_union_of_rules(void)
{
    static const int named[] = {
        CAP_DAC_READ_SEARCH, CAP_DAC_OVERRIDE, CAP_FOWNER, CAP_CHOWN, CAP_SYS_PTRACE,
        CAP_SYS_TIME, CAP_SYS_BOOT, CAP_SYS_MODULE, CAP_SYS_NICE, CAP_SYS_RESOURCE,
        CAP_IPC_LOCK, CAP_AUDIT_WRITE, CAP_SETUID, CAP_SETGID,
    };
    const size_t n = sizeof(named) / sizeof(named[0]);
    const uint64_t unrelated = CAPBIT(CAP_SYS_ADMIN) | CAPBIT(CAP_NET_ADMIN) | CAPBIT(CAP_KILL);
    unsigned wrong = 0;

    for (uint32_t combo = 0; combo < (UINT32_C(1) << n); combo++) {
        uint64_t caps = 0;

        for (size_t i = 0; i < n; i++)
            if (combo & (UINT32_C(1) << i))
                caps |= CAPBIT(named[i]);
        wrong += ntsec_unixcred_privileges(caps) != doc_privileges(caps);
        wrong += ntsec_unixcred_privileges(caps | unrelated) != doc_privileges(caps);
    }
    CU_ASSERT_EQUAL(wrong, 0);
    /* Every capability: the 15 privileges of the document, no more. */
    CU_ASSERT_EQUAL(__builtin_popcountll(ntsec_unixcred_privileges(UINT64_MAX)), 15);
}

/* "Privilege Constants" (SE_CHANGE_NOTIFY_NAME: enabled by default for all
 * users); whoami /priv on an elevated prompt shows SeImpersonatePrivilege
 * enabled: those two, and only those, are enabled by default. */
static void only_change_notify_and_impersonate_are_enabled_by_default(void)
{
    size_t count, i;
    const struct ntsec__cap_privilege *t = ntsec__unixcred_table(&count);
    uint64_t enabled = 0;

    CU_ASSERT_EQUAL(count, 15);
    for (i = 0; i < count; i++) {
        CU_ASSERT_PTR_NOT_NULL(ntsec_privilege_name(ntsec_privilege_luid(t[i].privilege)));
        if (i)
            CU_ASSERT(t[i].privilege > t[i - 1].privilege);     /* LUID order, no repeats */
        if (t[i].enabled_by_default)
            enabled |= PRIV(t[i].privilege);
    }
    CU_ASSERT_EQUAL(enabled, PRIV(NTSEC_SE_CHANGE_NOTIFY_PRIVILEGE) |
                                 PRIV(NTSEC_SE_IMPERSONATE_PRIVILEGE));
}

/* --- uid / gid -> SIDs ------------------------------------------------------ */

/* Samba (winbindd idmap, "Unix User" / "Unix Group"): an unmapped uid is
 * S-1-22-1-uid, an unmapped gid S-1-22-2-gid; a world mapping wins. */
static void unmapped_ids_become_samba_unix_sids(void)
{
    const uid_t id = 4000123;
    struct ntsec_sid sid, want, world;

    if (!ntsec__world_sid_for_uid(id, &world))
        tf_sid(&want, "S-1-22-1-4000123");
    else
        want = world;
    ntsec_unixcred_uid_sid(id, &sid);
    CU_ASSERT(ntsec_sid_equal(&sid, &want));

    if (!ntsec__world_sid_for_gid(id, &world))
        tf_sid(&want, "S-1-22-2-4000123");
    else
        want = world;
    ntsec_unixcred_gid_sid(id, &sid);
    CU_ASSERT(ntsec_sid_equal(&sid, &want));
}

/* --- tokens ----------------------------------------------------------------- */

static uint64_t present(const struct ntsec_token *t)
{
    return atomic_load(&((struct ntsec_token *)t)->priv_present);
}

static uint64_t enabled(const struct ntsec_token *t)
{
    return atomic_load(&((struct ntsec_token *)t)->priv_enabled);
}

static const struct ntsec_sid *owner_of(const struct ntsec_token *t)
{
    return t->sids[atomic_load(&((struct ntsec_token *)t)->owner_pos)].sid;
}

static const struct ntsec_sid *primary_group_of(const struct ntsec_token *t)
{
    return t->sids[atomic_load(&((struct ntsec_token *)t)->primary_group_pos)].sid;
}

/* Attributes of group `text` in `t`, or -1 when absent. */
static long group_attributes(const struct ntsec_token *t, const char *text)
{
    struct ntsec_sid sid;

    tf_sid(&sid, text);
    for (uint32_t i = 1; i < t->sid_count; i++)
        if (ntsec_sid_equal(t->sids[i].sid, &sid))
            return (long)atomic_load(&t->sids[i].attributes);
    return -1;
}

static unsigned count_of(const struct ntsec_token *t, const struct ntsec_sid *sid)
{
    unsigned n = 0;

    for (uint32_t i = 0; i < t->sid_count; i++)
        n += ntsec_sid_equal(t->sids[i].sid, sid);
    return n;
}

#define ON (NTSEC_SE_GROUP_MANDATORY | NTSEC_SE_GROUP_ENABLED_BY_DEFAULT | NTSEC_SE_GROUP_ENABLED)

/* What every token of unixcred has, whoever the user: the groups of an
 * interactive logon ("Well-known SIDs", Microsoft docs; whoami /groups),
 * a logon SID S-1-5-5-X-Y from its AuthenticationId, source "ntsec   ",
 * a default DACL of two GENERIC_ALL ACEs (the owner and SYSTEM). */
static void check_logon_shape(const struct ntsec_token *t)
{
    struct ntsec_luid auth = ntsec_token_authentication_id(t);
    const struct ntsec_ace_header *ace;
    struct ntsec_sid logon, system;
    char text[64];

    CU_ASSERT_EQUAL(ntsec_token_type(t), NTSEC_TOKEN_PRIMARY);
    CU_ASSERT_EQUAL(group_attributes(t, "S-1-1-0"), ON);
    CU_ASSERT_EQUAL(group_attributes(t, "S-1-5-32-545"), ON);
    CU_ASSERT_EQUAL(group_attributes(t, "S-1-5-4"), ON);
    CU_ASSERT_EQUAL(group_attributes(t, "S-1-5-11"), ON);
    CU_ASSERT_EQUAL(group_attributes(t, "S-1-2-0"), ON);
    snprintf(text, sizeof(text), "S-1-5-5-%u-%u", (unsigned)auth.high, (unsigned)auth.low);
    CU_ASSERT_EQUAL(group_attributes(t, text), (long)(ON | NTSEC_SE_GROUP_LOGON_ID));
    CU_ASSERT(t->logon_sid_pos != NTSEC__NO_INDEX);
    tf_sid(&logon, text);
    CU_ASSERT(ntsec_sid_equal(t->sids[t->logon_sid_pos].sid, &logon));
    CU_ASSERT_NOT_EQUAL(auth.low, 0x3e7);
    CU_ASSERT_MEM_EQUAL(t->source.name, "ntsec   ", 8);
    CU_ASSERT_EQUAL(t->session_id, 1);

    tf_sid(&system, "S-1-5-18");
    CU_ASSERT_PTR_NOT_NULL_FATAL(t->default_dacl);
    CU_ASSERT_EQUAL(t->default_dacl->ace_count, 2);
    CU_ASSERT_EQUAL(ntsec_acl_get_ace(t->default_dacl, 0, &ace), NTSEC_STATUS_SUCCESS);
    CU_ASSERT(ntsec_sid_equal(ntsec_ace_sid(ace), owner_of(t)));
    CU_ASSERT_EQUAL(ntsec_ace_mask(ace), NTSEC_GENERIC_ALL);
    CU_ASSERT_EQUAL(ntsec_acl_get_ace(t->default_dacl, 1, &ace), NTSEC_STATUS_SUCCESS);
    CU_ASSERT(ntsec_sid_equal(ntsec_ace_sid(ace), &system));
    CU_ASSERT_EQUAL(ntsec_ace_mask(ace), NTSEC_GENERIC_ALL);
}

/* "Mandatory Integrity Control" (Microsoft docs): an elevated administrator
 * runs at High; root is one - BUILTIN\Administrators enabled and the
 * default owner ("Group owner"), every capability as a privilege. */
static void root_is_an_elevated_administrator(void)
{
    const struct ntsec__unixcred cred = { .uid = 0, .gid = 0, .caps = UINT64_MAX };
    struct ntsec_token *t = NULL;
    struct ntsec_sid admins, user, group;

    CU_ASSERT_EQUAL_FATAL(ntsec__unixcred_token_for(&cred, &t), NTSEC_STATUS_SUCCESS);
    tf_sid(&admins, "S-1-5-32-544");
    ntsec_unixcred_uid_sid(0, &user);
    ntsec_unixcred_gid_sid(0, &group);
    CU_ASSERT(ntsec_sid_equal(t->sids[0].sid, &user));
    CU_ASSERT(ntsec_token_is_admin(t));
    CU_ASSERT_EQUAL(group_attributes(t, "S-1-5-32-544"), (long)(ON | NTSEC_SE_GROUP_OWNER));
    CU_ASSERT(ntsec_sid_equal(owner_of(t), &admins));
    CU_ASSERT(ntsec_sid_equal(primary_group_of(t), &group));
    CU_ASSERT_EQUAL(ntsec_token_integrity(t), NTSEC_MANDATORY_HIGH);
    CU_ASSERT_EQUAL(present(t), doc_privileges(UINT64_MAX));
    CU_ASSERT_EQUAL(enabled(t), PRIV(NTSEC_SE_CHANGE_NOTIFY_PRIVILEGE) |
                                    PRIV(NTSEC_SE_IMPERSONATE_PRIVILEGE));
    check_logon_shape(t);
    ntsec_token_put(t);
}

/* "Mandatory Integrity Control": standard users run at Medium; no
 * capability, no privilege but SeChangeNotifyPrivilege; each gid once. */
static void standard_user_is_medium_without_administrators(void)
{
    static const gid_t groups[] = { 4000200, 4000027, 4000200, 4000027 };
    const struct ntsec__unixcred cred = {
        .uid = 4000100, .gid = 4000200, .groups = groups, .group_count = 4, .caps = 0,
    };
    struct ntsec_token *t = NULL;
    struct ntsec_sid user, primary, other;

    CU_ASSERT_EQUAL_FATAL(ntsec__unixcred_token_for(&cred, &t), NTSEC_STATUS_SUCCESS);
    ntsec_unixcred_uid_sid(cred.uid, &user);
    ntsec_unixcred_gid_sid(cred.gid, &primary);
    ntsec_unixcred_gid_sid(4000027, &other);
    CU_ASSERT(ntsec_sid_equal(t->sids[0].sid, &user));
    CU_ASSERT(!ntsec_token_is_admin(t));
    CU_ASSERT_EQUAL(group_attributes(t, "S-1-5-32-544"), -1);
    CU_ASSERT(ntsec_sid_equal(owner_of(t), &user));
    CU_ASSERT(ntsec_sid_equal(primary_group_of(t), &primary));
    CU_ASSERT_EQUAL(count_of(t, &primary), 1);
    CU_ASSERT_EQUAL(count_of(t, &other), 1);
    CU_ASSERT(ntsec_token_is_member(t, &other));
    CU_ASSERT_EQUAL(ntsec_token_integrity(t), NTSEC_MANDATORY_MEDIUM);
    CU_ASSERT_EQUAL(present(t), PRIV(NTSEC_SE_CHANGE_NOTIFY_PRIVILEGE));
    CU_ASSERT_EQUAL(enabled(t), PRIV(NTSEC_SE_CHANGE_NOTIFY_PRIVILEGE));
    check_logon_shape(t);
    ntsec_token_put(t);
}

/* Each token is its own logon session: a new AuthenticationId each time,
 * never SYSTEM's 0x3e7 (LUIDs, winnt.h SYSTEM_LUID), so two tokens never
 * share a logon SID. */
static void each_token_is_a_new_logon_session(void)
{
    const struct ntsec__unixcred cred = { .uid = 0, .gid = 0, .caps = 0 };
    struct ntsec_token *a = NULL, *b = NULL;

    CU_ASSERT_EQUAL_FATAL(ntsec__unixcred_token_for(&cred, &a), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(ntsec__unixcred_token_for(&cred, &b), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_NOT_EQUAL(ntsec__luid_to_u64(ntsec_token_authentication_id(a)),
                        ntsec__luid_to_u64(ntsec_token_authentication_id(b)));
    CU_ASSERT(!ntsec_sid_equal(a->sids[a->logon_sid_pos].sid, b->sids[b->logon_sid_pos].sid));
    /* root without capabilities is still an administrator, at High. */
    CU_ASSERT(ntsec_token_is_admin(a));
    CU_ASSERT_EQUAL(ntsec_token_integrity(a), NTSEC_MANDATORY_HIGH);
    CU_ASSERT_EQUAL(present(a), PRIV(NTSEC_SE_CHANGE_NOTIFY_PRIVILEGE));
    ntsec_token_put(a);
    ntsec_token_put(b);
}

/* The effective capabilities, read from /proc/self/status (CapEff), apart
 * from libcap, which the library uses. */
static uint64_t proc_capeff(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    unsigned long long v = 0;

    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    while (fgets(line, sizeof(line), f))
        if (sscanf(line, "CapEff: %llx", &v) == 1)
            break;
    fclose(f);
    return v;
}

/* ntsec/unixcred.h: the token of this thread's credentials - euid, egid,
 * groups, effective capabilities. */
static void current_identity_gives_the_process_token(void)
{
    struct ntsec_token *t = NULL;
    struct ntsec_sid user, group;
    gid_t list[256];
    int n = getgroups(256, list);

    CU_ASSERT_EQUAL_FATAL(ntsec_unixcred_token(&t), NTSEC_STATUS_SUCCESS);
    ntsec_unixcred_uid_sid(geteuid(), &user);
    ntsec_unixcred_gid_sid(getegid(), &group);
    CU_ASSERT(ntsec_sid_equal(t->sids[0].sid, &user));
    CU_ASSERT(ntsec_sid_equal(primary_group_of(t), &group) ||
              ntsec_sid_equal(primary_group_of(t), &user));
    for (int i = 0; i < n; i++) {
        ntsec_unixcred_gid_sid(list[i], &group);
        CU_ASSERT(ntsec_token_is_member(t, &group));
    }
    CU_ASSERT_EQUAL(present(t), doc_privileges(proc_capeff()));
    CU_ASSERT_EQUAL(ntsec_token_is_admin(t), geteuid() == 0);
    CU_ASSERT_EQUAL(ntsec_token_integrity(t),
                    geteuid() == 0 ? NTSEC_MANDATORY_HIGH : NTSEC_MANDATORY_MEDIUM);
    check_logon_shape(t);
    ntsec_token_put(t);
    CU_ASSERT_EQUAL(ntsec_unixcred_token(NULL), NTSEC_STATUS_INVALID_PARAMETER);
}

/* Child's verdict bits (its exit status). */
enum {
    CHILD_DROP_FAILED = 1, CHILD_TOKEN_FAILED = 2, CHILD_WRONG_USER = 4,
    CHILD_ADMIN = 8, CHILD_NOT_MEDIUM = 16, CHILD_WRONG_PRIVILEGES = 32,
};

static int child_after_drop(bool drop_ids)
{
    const uid_t nobody = 65534;
    struct ntsec_token *t = NULL;
    struct ntsec_sid want, admins;
    cap_t none;
    int verdict = 0;

    if (drop_ids && (setgroups(0, NULL) || setresgid(nobody, nobody, nobody) ||
                     setresuid(nobody, nobody, nobody)))
        return CHILD_DROP_FAILED;
    none = cap_init();
    if (!none || cap_set_proc(none))
        verdict |= CHILD_DROP_FAILED;
    cap_free(none);
    if (ntsec_unixcred_token(&t) != NTSEC_STATUS_SUCCESS)
        return verdict | CHILD_TOKEN_FAILED;
    if (drop_ids && !ntsec__world_sid_for_uid(nobody, &want))
        ntsec_sid_from_string("S-1-22-1-65534", NULL, &want);
    else
        ntsec_unixcred_uid_sid(geteuid(), &want);
    ntsec_sid_from_string("S-1-5-32-544", NULL, &admins);
    if (!ntsec_sid_equal(t->sids[0].sid, &want))
        verdict |= CHILD_WRONG_USER;
    if (ntsec_token_is_admin(t) || ntsec_token_is_member(t, &admins))
        verdict |= CHILD_ADMIN;
    if (ntsec_token_integrity(t) != NTSEC_MANDATORY_MEDIUM)
        verdict |= CHILD_NOT_MEDIUM;
    if (present(t) != PRIV(NTSEC_SE_CHANGE_NOTIFY_PRIVILEGE) ||
        enabled(t) != PRIV(NTSEC_SE_CHANGE_NOTIFY_PRIVILEGE))
        verdict |= CHILD_WRONG_PRIVILEGES;
    ntsec_token_put(t);
    return verdict;
}

/* docs/linux.md: a process that drops to an unprivileged uid/gid and
 * clears its capabilities is a standard user - S-1-22-1-uid, no
 * Administrators, Medium, only SeChangeNotifyPrivilege. The ids are
 * dropped only when running as root (CI does); otherwise only the
 * capabilities, and the user must not be root. */
static void dropped_child_is_a_standard_user(void)
{
    bool root = geteuid() == 0;
    int status = 0;
    pid_t pid;

    fflush(NULL);
    pid = fork();
    CU_ASSERT_FATAL(pid >= 0);
    if (pid == 0)
        _exit(child_after_drop(root));
    CU_ASSERT_EQUAL_FATAL(waitpid(pid, &status, 0), pid);
    CU_ASSERT(WIFEXITED(status));
    CU_ASSERT_EQUAL(WEXITSTATUS(status), 0);
    if (!root)
        fprintf(stderr, "\n  note: not root, the child kept its uid and only cleared capabilities\n");
}

/* Allocation failure (STYLE.md, tests): NTSEC_STATUS_NO_MEMORY, *out
 * unchanged, nothing leaked, until the call succeeds. */
static void allocation_failure_changes_nothing(void)
{
    static const gid_t groups[] = { 4000027 };
    const struct ntsec__unixcred cred = {
        .uid = 0, .gid = 0, .groups = groups, .group_count = 1, .caps = UINT64_MAX,
    };
    struct ntsec_token *const sentinel = (struct ntsec_token *)(uintptr_t)0x1234;

    for (int pass = 0; pass < 2; pass++) {
        ntsec_status st = NTSEC_STATUS_NO_MEMORY;

        for (long n = 0; st == NTSEC_STATUS_NO_MEMORY && n < 100; n++) {
            struct ntsec_token *t = sentinel;
            long live = testutil_live(), objects = ntsec_object_live();

            testutil_fail_alloc_after(n);
            st = pass ? ntsec_unixcred_token(&t) : ntsec__unixcred_token_for(&cred, &t);
            testutil_fail_alloc_after(-1);
            if (st == NTSEC_STATUS_NO_MEMORY) {
                CU_ASSERT_PTR_EQUAL(t, sentinel);
                CU_ASSERT_EQUAL(testutil_live(), live);
                CU_ASSERT_EQUAL(ntsec_object_live(), objects);
            } else {
                CU_ASSERT_EQUAL(st, NTSEC_STATUS_SUCCESS);
                CU_ASSERT(n > 0);
                ntsec_token_put(t);
            }
        }
        CU_ASSERT_EQUAL(st, NTSEC_STATUS_SUCCESS);
    }
}

/* Bad input: NTSEC_STATUS_INVALID_PARAMETER, nothing written. */
static void bad_input_is_invalid_parameter(void)
{
    const struct ntsec__unixcred cred = { .uid = 1, .gid = 1, .group_count = 3 };
    struct ntsec_token *t = (struct ntsec_token *)(uintptr_t)0x1234;

    CU_ASSERT_EQUAL(ntsec__unixcred_token_for(NULL, &t), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec__unixcred_token_for(&cred, &t), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_PTR_EQUAL(t, (struct ntsec_token *)(uintptr_t)0x1234);
}

void register_tests(void)
{
    static CU_TestInfo tests[] = {
        TEST(each_capability_alone_gives_its_privilege),
        TEST(paired_capabilities_need_both),
        TEST(every_capability_combination_is_the_union_of_rules),
        TEST(only_change_notify_and_impersonate_are_enabled_by_default),
        TEST(unmapped_ids_become_samba_unix_sids),
        TEST(root_is_an_elevated_administrator),
        TEST(standard_user_is_medium_without_administrators),
        TEST(each_token_is_a_new_logon_session),
        TEST(current_identity_gives_the_process_token),
        TEST(dropped_child_is_a_standard_user),
        TEST(allocation_failure_changes_nothing),
        TEST(bad_input_is_invalid_parameter),
        CU_TEST_INFO_NULL,
    };
    testutil_add_suite("unixcred", tests);
}
