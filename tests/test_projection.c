/* test_projection.c - projection of a thread's impersonation onto its
 * Linux credentials (libsec/projection.c; docs/linux.md, "Projection of
 * impersonation"). Sources: the Linux man pages setfsuid(2), setgroups(2)
 * and capabilities(7); Microsoft docs "Impersonation Levels" and "SID
 * Attributes in an Access Token".
 *
 * Every test that syncs an impersonation runs in a forked child, so that
 * the runner's own credentials never change; the child's CUnit failures
 * are printed and counted in its exit status, which the parent asserts.
 * The tests that need root (a file owned by another uid, SeImpersonate-
 * Privilege in the process token) print a notice and assert nothing when
 * not run as root. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/capability.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "projection.h"
#include "testutil.h"
#include "tokfix.h"

#define CLIENT_ID   54321u      /* uid and gid of the client; owns the file */

#define CAPBIT(n) (UINT64_C(1) << (n))
/* The capabilities a change of fsuid from 0 clears (capabilities(7),
 * "Effect of user ID changes on capabilities"): without them root reads
 * only what the mode bits give it. */
#define FS_CAPS (CAPBIT(CAP_CHOWN) | CAPBIT(CAP_DAC_OVERRIDE) | CAPBIT(CAP_DAC_READ_SEARCH) | \
                 CAPBIT(CAP_FOWNER) | CAPBIT(CAP_FSETID) | CAPBIT(CAP_LINUX_IMMUTABLE) |   \
                 CAPBIT(CAP_MAC_OVERRIDE) | CAPBIT(CAP_MKNOD))

/* --- what the kernel says (not through projection.c) --------------------- */

static uid_t fs_uid(void)
{
    return (uid_t)syscall(SYS_setfsuid, (uid_t)-1);
}

static gid_t fs_gid(void)
{
    return (gid_t)syscall(SYS_setfsgid, (gid_t)-1);
}

static uint64_t caps_in(cap_flag_t set)
{
    cap_t c = cap_get_proc();
    uint64_t mask = 0;

    for (cap_value_t v = 0; c && v < 64 && v <= CAP_LAST_CAP; v++) {
        cap_flag_value_t on = CAP_CLEAR;

        if (cap_get_flag(c, v, set, &on) == 0 && on == CAP_SET)
            mask |= CAPBIT(v);
    }
    cap_free(c);
    return mask;
}

/* The calling thread's groups, as a count and the first 16. */
struct groups {
    int count;
    gid_t list[16];
};

static struct groups groups_now(void)
{
    struct groups g;

    memset(&g, 0, sizeof(g));
    g.count = getgroups(16, g.list);
    return g;
}

static bool same_groups(const struct groups *a, const struct groups *b)
{
    return a->count == b->count && memcmp(a->list, b->list, sizeof(a->list)) == 0;
}

/* errno of an O_RDONLY open of `path` (0: it opened). */
static int open_errno(const char *path)
{
    int fd = open(path, O_RDONLY);

    if (fd < 0)
        return errno;
    close(fd);
    return 0;
}

/* Clear `effective` from the effective set and `permitted` from the
 * effective and permitted sets of the calling thread (the child is single
 * threaded when it does this, so libcap's per-thread call is enough). */
static bool drop_caps(uint64_t effective, uint64_t permitted)
{
    cap_t c = cap_get_proc();
    bool ok = c != NULL;

    for (cap_value_t v = 0; ok && v < 64 && v <= CAP_LAST_CAP; v++) {
        if ((effective | permitted) & CAPBIT(v))
            ok = cap_set_flag(c, CAP_EFFECTIVE, 1, &v, CAP_CLEAR) == 0;
        if (ok && (permitted & CAPBIT(v)))
            ok = cap_set_flag(c, CAP_PERMITTED, 1, &v, CAP_CLEAR) == 0;
    }
    ok = ok && cap_set_proc(c) == 0;
    cap_free(c);
    return ok;
}

/* --- tokens ---------------------------------------------------------------- */

/* A client as a logon would make it: the user, Everyone, its own group
 * (the primary group), a deny-only group (flagged enabled as well, as
 * NtCreateToken may be given it: deny-only wins) and a disabled group,
 * Medium; SeChange-
 * NotifyPrivilege enabled, SeBackupPrivilege and SeRestorePrivilege held
 * but disabled. */
static struct ntsec_token *client_token(const char *user)
{
    struct ntsec_sid u, everyone, own, deny, off, label;
    struct ntsec_sid_and_attributes groups[5] = {
        { tf_sid(&everyone, "S-1-1-0"), TF_MANDATORY },
        { tf_sid(&own, "S-1-22-2-54321"), TF_MANDATORY },
        { tf_sid(&deny, "S-1-22-2-54322"), TF_ENABLED | NTSEC_SE_GROUP_USE_FOR_DENY_ONLY },
        { tf_sid(&off, "S-1-22-2-54323"), 0 },
        { tf_sid(&label, "S-1-16-8192"),
          NTSEC_SE_GROUP_INTEGRITY | NTSEC_SE_GROUP_INTEGRITY_ENABLED },
    };
    struct ntsec_luid_and_attributes privs[3] = {
        { ntsec_privilege_luid(NTSEC_SE_CHANGE_NOTIFY_PRIVILEGE),
          NTSEC_SE_PRIVILEGE_ENABLED | NTSEC_SE_PRIVILEGE_ENABLED_BY_DEFAULT },
        { ntsec_privilege_luid(NTSEC_SE_BACKUP_PRIVILEGE), 0 },
        { ntsec_privilege_luid(NTSEC_SE_RESTORE_PRIVILEGE), 0 },
    };
    struct ntsec_token_desc d;
    struct ntsec_token *t = NULL;

    memset(&d, 0, sizeof(d));
    d.type = NTSEC_TOKEN_PRIMARY;
    d.user.sid = tf_sid(&u, user);
    d.groups = groups;
    d.group_count = 5;
    d.privileges = privs;
    d.privilege_count = 3;
    d.primary_group = &own;
    memcpy(d.source.name, "User32  ", 8);
    CU_ASSERT_EQUAL_FATAL(ntsec_token_create(&d, &t), NTSEC_STATUS_SUCCESS);
    return t;
}

/* `src` filtered: restricted to Everyone, or with its user made deny-only
 * (CreateRestrictedToken's RestrictingSids / SidsToDisable). */
static struct ntsec_token *filtered(struct ntsec_token *src, bool restrict_it)
{
    struct ntsec_sid everyone, user;
    struct ntsec_sid_and_attributes everyone_entry = { tf_sid(&everyone, "S-1-1-0"), 0 };
    struct ntsec_sid_and_attributes user_entry = { tf_sid(&user, "S-1-22-1-54321"), 0 };
    struct ntsec_token_filter f;
    struct ntsec_token *t = NULL;

    memset(&f, 0, sizeof(f));
    if (restrict_it) {
        f.restricted_sids = &everyone_entry;
        f.restricted_count = 1;
    } else {
        f.sids_to_disable = &user_entry;
        f.disable_count = 1;
    }
    CU_ASSERT_EQUAL_FATAL(ntsec_token_filter(src, &f, &t), NTSEC_STATUS_SUCCESS);
    return t;
}

/* --- the forked child ----------------------------------------------------- */

struct fixture {
    char dir[64];
    char file[96];              /* mode 0400, owned by CLIENT_ID */
    struct ntsec_token *client; /* S-1-22-1-54321 */
    struct ntsec_token *twin;   /* another token, same Linux identity */
    struct ntsec_token *unmapped;       /* a user with no uid */
    struct ntsec_token *restricted;     /* client with restricted SIDs */
    struct ntsec_token *deny_user;      /* client whose user is deny-only */
};

/* Make the calling thread impersonate `t` at SecurityImpersonation; true
 * when it got that level (the process token, root's, holds
 * SeImpersonatePrivilege: "Impersonation Levels", ImpersonateLoggedOnUser
 * Remarks). */
static bool impersonate(struct ntsec_token *t)
{
    struct ntsec_thread *me = ntsec_thread_current();
    enum ntsec_impersonation_level level = NTSEC_SECURITY_ANONYMOUS;
    struct ntsec_token *now;

    if (ntsec_thread_impersonate(me, t, false, false, NTSEC_SECURITY_IMPERSONATION) !=
        NTSEC_STATUS_SUCCESS)
        return false;
    now = ntsec_thread_impersonation(me, &level, NULL, NULL);
    if (now)
        ntsec_token_put(now);
    return level == NTSEC_SECURITY_IMPERSONATION;
}

static void revert(void)
{
    ntsec_thread_revert(ntsec_thread_current());
}

/* The child: run `body`, check it leaked nothing, print its failures and
 * exit with their count (never return into CUnit: a fatal assertion here
 * would run the rest of the suite in the child, so bodies use plain
 * assertions and return early). */
static int child_main(void (*body)(const struct fixture *), const struct fixture *fx)
{
    unsigned failed = CU_get_number_of_failures();
    unsigned records = CU_get_number_of_failure_records(), i = 0;
    long live = testutil_live(), objects = ntsec_object_live();

    body(fx);
    CU_ASSERT_EQUAL(testutil_live(), live);
    CU_ASSERT_EQUAL(ntsec_object_live(), objects);
    for (CU_pFailureRecord r = CU_get_failure_list(); r; r = r->pNext, i++)
        if (i >= records)
            fprintf(stderr, "\n  child: %s:%u: %s", r->strFileName, r->uiLineNumber,
                    r->strCondition);
    failed = CU_get_number_of_failures() - failed;
    return failed > 255 ? 255 : (int)failed;
}

/* Run `body` in a forked child with the fixture; `needs_root`: when not
 * root, print why and assert nothing. */
static void in_child(void (*body)(const struct fixture *), bool needs_root, const char *name)
{
    struct fixture fx;
    int status = 0, fd;
    pid_t pid;

    if (needs_root && geteuid() != 0) {
        fprintf(stderr, "\n  SKIPPED %s: needs root (setfsuid to another uid, a file it owns)",
                name);
        return;
    }
    memset(&fx, 0, sizeof(fx));
    strcpy(fx.dir, "/tmp/ntsec-projection-XXXXXX");
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(fx.dir));
    snprintf(fx.file, sizeof(fx.file), "%s/secret", fx.dir);
    if (geteuid() == 0) {
        /* The client must be able to reach the file: the directory 0711. */
        CU_ASSERT_FATAL(chmod(fx.dir, 0711) == 0);
        fd = open(fx.file, O_CREAT | O_EXCL | O_WRONLY, 0400);
        CU_ASSERT_FATAL(fd >= 0);
        CU_ASSERT_FATAL(fchmod(fd, 0400) == 0 && fchown(fd, CLIENT_ID, CLIENT_ID) == 0);
        close(fd);
    }
    fx.client = client_token("S-1-22-1-54321");
    fx.twin = client_token("S-1-22-1-54321");
    fx.unmapped = client_token("S-1-5-21-1-2-3-1001");
    fx.restricted = filtered(fx.client, true);
    fx.deny_user = filtered(fx.client, false);

    fflush(NULL);
    pid = fork();
    CU_ASSERT_FATAL(pid >= 0);
    if (pid == 0)
        _exit(child_main(body, &fx));
    CU_ASSERT_EQUAL(waitpid(pid, &status, 0), pid);
    CU_ASSERT(WIFEXITED(status));
    CU_ASSERT_EQUAL(WEXITSTATUS(status), 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status))
        fprintf(stderr, "\n  %s: the child failed (status 0x%x)\n", name, status);

    unlink(fx.file);
    rmdir(fx.dir);
    ntsec_token_put(fx.client);
    ntsec_token_put(fx.twin);
    ntsec_token_put(fx.unmapped);
    ntsec_token_put(fx.restricted);
    ntsec_token_put(fx.deny_user);
}

/* The child's common start for the root tests: uid 0 without the
 * filesystem capabilities in its effective set (so that only the mode
 * bits decide), nor in its permitted set but for `keep`; `also` dropped
 * from both. The process token is made before, while root still holds
 * CAP_SETUID/CAP_SETGID (SeImpersonatePrivilege). False (and a failed
 * assertion) when the setup itself fails. */
static bool root_without_fs_caps(const struct fixture *fx, uint64_t keep, uint64_t also)
{
    struct ntsec_token *process = ntsec_process_token(ntsec_process_current());

    ntsec_token_put(process);
    CU_ASSERT(drop_caps(FS_CAPS | also, (FS_CAPS & ~keep) | also));
    /* The precondition: root cannot read the client's file now. */
    CU_ASSERT_EQUAL(open_errno(fx->file), EACCES);
    return !(caps_in(CAP_EFFECTIVE) & (FS_CAPS | also)) && open_errno(fx->file) == EACCES;
}

/* --- the projection itself (root) ----------------------------------------- */

static void body_reads_what_only_the_client_may_read(const struct fixture *fx)
{
    struct groups own = groups_now(), g;
    uint64_t eff = caps_in(CAP_EFFECTIVE);
    uid_t u = 1;
    gid_t gr = 1;

    if (!root_without_fs_caps(fx, 0, 0))
        return;
    CU_ASSERT(impersonate(fx->client));
    CU_ASSERT_EQUAL(ntsec_projection_enable(true), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_projection_sync(), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(open_errno(fx->file), 0);
    /* The file-system ids and groups are the client's: its own group, not
     * the deny-only or disabled ones; no capability (SeChangeNotify maps
     * to none); the real and effective uid unchanged (setfsuid(2)). */
    CU_ASSERT_EQUAL(fs_uid(), CLIENT_ID);
    CU_ASSERT_EQUAL(fs_gid(), CLIENT_ID);
    CU_ASSERT_EQUAL(geteuid(), 0);
    g = groups_now();
    CU_ASSERT_EQUAL(g.count, 1);
    CU_ASSERT_EQUAL(g.list[0], CLIENT_ID);
    CU_ASSERT_EQUAL(caps_in(CAP_EFFECTIVE), 0);
    CU_ASSERT_EQUAL(ntsec_projection_state(&u, &gr), NTSEC_STATUS_SUCCESS);
    CU_ASSERT(u == CLIENT_ID && gr == CLIENT_ID);

    revert();
    CU_ASSERT_EQUAL(ntsec_projection_sync(), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(open_errno(fx->file), EACCES);
    CU_ASSERT_EQUAL(fs_uid(), 0);
    CU_ASSERT_EQUAL(fs_gid(), 0);
    g = groups_now();
    CU_ASSERT(same_groups(&g, &own));
    CU_ASSERT_EQUAL(caps_in(CAP_EFFECTIVE), eff & ~FS_CAPS);
    CU_ASSERT_EQUAL(ntsec_projection_enable(false), NTSEC_STATUS_SUCCESS);
}

/* Issue 6 / DESIGN.md "Linux": a file only the client's uid may read opens
 * while the thread impersonates the client and fails after the revert. */
static void projected_thread_reads_what_only_the_client_may_read(void)
{
    in_child(body_reads_what_only_the_client_may_read, true, __func__);
}

struct peer {
    const char *file;
    pthread_barrier_t go, done;
    int open_errno;
    uid_t fsuid;
    struct groups groups;
    uint64_t caps;
};

static void *peer_main(void *arg)
{
    struct peer *p = arg;

    pthread_barrier_wait(&p->go);
    p->open_errno = open_errno(p->file);
    p->fsuid = fs_uid();
    p->groups = groups_now();
    p->caps = caps_in(CAP_EFFECTIVE);
    pthread_barrier_wait(&p->done);
    return NULL;
}

static void body_other_threads_keep_their_credentials(const struct fixture *fx)
{
    struct peer peer = { .file = fx->file, .open_errno = -1, .fsuid = 1 };
    struct groups own;
    uint64_t eff;
    pthread_t t;

    if (!root_without_fs_caps(fx, 0, 0))
        return;
    own = groups_now();
    eff = caps_in(CAP_EFFECTIVE);
    pthread_barrier_init(&peer.go, NULL, 2);
    pthread_barrier_init(&peer.done, NULL, 2);
    /* Started before the projection: a new thread copies its creator's
     * credentials (clone(2)). */
    if (pthread_create(&t, NULL, peer_main, &peer) != 0) {
        CU_FAIL("pthread_create");
        return;
    }
    CU_ASSERT(impersonate(fx->client));
    CU_ASSERT_EQUAL(ntsec_projection_enable(true), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_projection_sync(), NTSEC_STATUS_SUCCESS);
    pthread_barrier_wait(&peer.go);
    pthread_barrier_wait(&peer.done);
    pthread_join(t, NULL);
    CU_ASSERT_EQUAL(open_errno(fx->file), 0);
    CU_ASSERT_EQUAL(peer.open_errno, EACCES);
    CU_ASSERT_EQUAL(peer.fsuid, 0);
    CU_ASSERT(same_groups(&peer.groups, &own));
    CU_ASSERT_EQUAL(peer.caps, eff);
    CU_ASSERT_EQUAL(caps_in(CAP_EFFECTIVE), 0);
    CU_ASSERT_EQUAL(fs_uid(), CLIENT_ID);
    pthread_barrier_destroy(&peer.go);
    pthread_barrier_destroy(&peer.done);
    revert();
    CU_ASSERT_EQUAL(ntsec_projection_enable(false), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(fs_uid(), 0);
}

/* setgroups(2), "C library/kernel differences": credentials are per
 * thread in the kernel; projection changes only the calling thread's. */
static void other_threads_keep_their_credentials(void)
{
    in_child(body_other_threads_keep_their_credentials, true, __func__);
}

static void body_resync_makes_no_system_call(const struct fixture *fx)
{
    unsigned long n;

    if (!root_without_fs_caps(fx, 0, 0))
        return;
    CU_ASSERT(impersonate(fx->client));
    CU_ASSERT_EQUAL(ntsec_projection_enable(true), NTSEC_STATUS_SUCCESS);
    n = ntsec__projection_syscalls();
    CU_ASSERT_EQUAL(ntsec_projection_sync(), NTSEC_STATUS_SUCCESS);
    CU_ASSERT(ntsec__projection_syscalls() > n);
    /* The same identity again: the same token, the same token after a
     * revert, another token with the same uid, groups and privileges. */
    n = ntsec__projection_syscalls();
    CU_ASSERT_EQUAL(ntsec_projection_sync(), NTSEC_STATUS_SUCCESS);
    revert();
    CU_ASSERT(impersonate(fx->client));
    CU_ASSERT_EQUAL(ntsec_projection_sync(), NTSEC_STATUS_SUCCESS);
    CU_ASSERT(impersonate(fx->twin));
    CU_ASSERT_EQUAL(ntsec_projection_sync(), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec__projection_syscalls(), n);
    CU_ASSERT_EQUAL(fs_uid(), CLIENT_ID);
    /* Back to self: system calls once, then none. */
    revert();
    CU_ASSERT_EQUAL(ntsec_projection_sync(), NTSEC_STATUS_SUCCESS);
    CU_ASSERT(ntsec__projection_syscalls() > n);
    n = ntsec__projection_syscalls();
    CU_ASSERT_EQUAL(ntsec_projection_sync(), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_projection_enable(false), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec__projection_syscalls(), n);
    CU_ASSERT_EQUAL(fs_uid(), 0);
}

/* DESIGN.md "The hot path": re-impersonating the same identity costs
 * nothing at the sync point either - no system call. */
static void resync_of_the_same_identity_makes_no_system_call(void)
{
    in_child(body_resync_makes_no_system_call, true, __func__);
}

static void body_caps_within_permitted(const struct fixture *fx)
{
    const uint64_t read_search = CAPBIT(CAP_DAC_READ_SEARCH);
    struct ntsec_luid_and_attributes privs[2] = {
        { ntsec_privilege_luid(NTSEC_SE_BACKUP_PRIVILEGE), NTSEC_SE_PRIVILEGE_ENABLED },
        { ntsec_privilege_luid(NTSEC_SE_RESTORE_PRIVILEGE), NTSEC_SE_PRIVILEGE_ENABLED },
    };
    uint64_t eff;
    unsigned long n;

    /* CAP_DAC_READ_SEARCH stays permitted (not effective): the thread may
     * raise it. CAP_DAC_OVERRIDE and CAP_FOWNER it may not. */
    if (!root_without_fs_caps(fx, read_search, 0))
        return;
    eff = caps_in(CAP_EFFECTIVE);
    CU_ASSERT(caps_in(CAP_PERMITTED) & read_search);
    CU_ASSERT(impersonate(fx->client));
    CU_ASSERT_EQUAL(ntsec_projection_enable(true), NTSEC_STATUS_SUCCESS);
    /* Held but disabled privileges give nothing. */
    CU_ASSERT_EQUAL(ntsec_projection_sync(), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(caps_in(CAP_EFFECTIVE), 0);
    /* Enabled: SeBackupPrivilege gives CAP_DAC_READ_SEARCH; SeRestore-
     * Privilege's CAP_DAC_OVERRIDE + CAP_FOWNER are not permitted, so not
     * given. The change is seen: the privileges are part of the identity. */
    CU_ASSERT_EQUAL(ntsec_token_adjust_privileges(fx->client, false, privs, 2, NULL, 0, NULL),
                    NTSEC_STATUS_SUCCESS);
    n = ntsec__projection_syscalls();
    CU_ASSERT_EQUAL(ntsec_projection_sync(), NTSEC_STATUS_SUCCESS);
    CU_ASSERT(ntsec__projection_syscalls() > n);
    CU_ASSERT_EQUAL(caps_in(CAP_EFFECTIVE), read_search);
    CU_ASSERT_EQUAL(fs_uid(), CLIENT_ID);
    /* Disabled again: gone again. */
    privs[0].attributes = privs[1].attributes = 0;
    CU_ASSERT_EQUAL(ntsec_token_adjust_privileges(fx->client, false, privs, 2, NULL, 0, NULL),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_projection_sync(), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(caps_in(CAP_EFFECTIVE), 0);
    revert();
    CU_ASSERT_EQUAL(ntsec_projection_enable(false), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(caps_in(CAP_EFFECTIVE), eff);
    CU_ASSERT_EQUAL(caps_in(CAP_PERMITTED) & read_search, read_search);
}

/* docs/linux.md: only enabled privileges count, each for the capabilities
 * of its row of the unixcred table, and never one the thread's permitted
 * set lacks (capabilities(7): the effective set is a subset of it). */
static void capabilities_are_the_enabled_privileges_within_the_permitted_set(void)
{
    in_child(body_caps_within_permitted, true, __func__);
}

/* --- refusals: nothing changes (root) --------------------------------------- */

static void body_unmapped_user(const struct fixture *fx)
{
    unsigned long n;
    uid_t u = 1;
    gid_t g = 1;

    if (!root_without_fs_caps(fx, 0, 0))
        return;
    CU_ASSERT(impersonate(fx->unmapped));
    CU_ASSERT_EQUAL(ntsec_projection_enable(true), NTSEC_STATUS_SUCCESS);
    n = ntsec__projection_syscalls();
    CU_ASSERT_EQUAL(ntsec_projection_sync(), NTSEC_STATUS_NONE_MAPPED);
    CU_ASSERT_EQUAL(ntsec__projection_syscalls(), n);
    CU_ASSERT_EQUAL(fs_uid(), 0);
    /* From a projected client too: the thread stays the client. */
    CU_ASSERT(impersonate(fx->client));
    CU_ASSERT_EQUAL(ntsec_projection_sync(), NTSEC_STATUS_SUCCESS);
    CU_ASSERT(impersonate(fx->unmapped));
    n = ntsec__projection_syscalls();
    CU_ASSERT_EQUAL(ntsec_projection_sync(), NTSEC_STATUS_NONE_MAPPED);
    CU_ASSERT_EQUAL(ntsec__projection_syscalls(), n);
    CU_ASSERT_EQUAL(fs_uid(), CLIENT_ID);
    CU_ASSERT_EQUAL(ntsec_projection_state(&u, &g), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(u, CLIENT_ID);
    revert();
    CU_ASSERT_EQUAL(ntsec_projection_enable(false), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(fs_uid(), 0);
}

/* [MS-ERREF] 2.3.1 STATUS_NONE_MAPPED, "None of the information to be
 * translated has been translated": a user with no uid has no Linux
 * identity to project, and the thread keeps the one it has. */
static void unmapped_user_is_none_mapped_and_changes_nothing(void)
{
    in_child(body_unmapped_user, true, __func__);
}

static void body_not_supported(const struct fixture *fx)
{
    unsigned long n;

    if (!root_without_fs_caps(fx, 0, 0))
        return;
    CU_ASSERT_EQUAL(ntsec_projection_enable(true), NTSEC_STATUS_SUCCESS);
    n = ntsec__projection_syscalls();
    CU_ASSERT(impersonate(fx->restricted));
    CU_ASSERT_EQUAL(ntsec_projection_sync(), NTSEC_STATUS_NOT_SUPPORTED);
    CU_ASSERT(impersonate(fx->deny_user));
    CU_ASSERT_EQUAL(ntsec_projection_sync(), NTSEC_STATUS_NOT_SUPPORTED);
    CU_ASSERT_EQUAL(ntsec__projection_syscalls(), n);
    CU_ASSERT_EQUAL(fs_uid(), 0);
    CU_ASSERT_EQUAL(open_errno(fx->file), EACCES);
    revert();
    CU_ASSERT_EQUAL(ntsec_projection_enable(false), NTSEC_STATUS_SUCCESS);
}

/* "Restricted Tokens" (Microsoft docs): access needs both the normal and
 * the restricting-SID check; a deny-only user only denies ("SID
 * Attributes in an Access Token"). One Linux identity cannot say either,
 * and projecting the plain uid would grant what Windows denies. */
static void restricted_token_or_deny_only_user_is_not_supported(void)
{
    in_child(body_not_supported, true, __func__);
}

static void body_kernel_refusal(const struct fixture *fx)
{
    struct groups own = groups_now(), g;
    uint64_t eff;
    unsigned long n;
    uid_t u = 1;
    gid_t gr = 1;

    /* Without CAP_SETUID, with CAP_SETGID: the groups and fsgid change,
     * then setfsuid fails - and those two must be put back. */
    if (!root_without_fs_caps(fx, 0, CAPBIT(CAP_SETUID)))
        return;
    eff = caps_in(CAP_EFFECTIVE);
    CU_ASSERT(impersonate(fx->client));
    CU_ASSERT_EQUAL(ntsec_projection_enable(true), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_projection_sync(), NTSEC_STATUS_PRIVILEGE_NOT_HELD);
    CU_ASSERT_EQUAL(fs_uid(), 0);
    CU_ASSERT_EQUAL(fs_gid(), 0);
    g = groups_now();
    CU_ASSERT(same_groups(&g, &own));
    CU_ASSERT_EQUAL(caps_in(CAP_EFFECTIVE), eff);
    CU_ASSERT_EQUAL(open_errno(fx->file), EACCES);
    CU_ASSERT_EQUAL(ntsec_projection_state(&u, &gr), NTSEC_STATUS_SUCCESS);
    CU_ASSERT(u == 0 && gr == 0);
    /* Not cached as applied: the next sync tries (and fails) again. */
    CU_ASSERT_EQUAL(ntsec_projection_sync(), NTSEC_STATUS_PRIVILEGE_NOT_HELD);
    /* The thread is still itself: reverting costs nothing. */
    revert();
    n = ntsec__projection_syscalls();
    CU_ASSERT_EQUAL(ntsec_projection_sync(), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec__projection_syscalls(), n);
    CU_ASSERT_EQUAL(ntsec_projection_enable(false), NTSEC_STATUS_SUCCESS);
}

/* setfsuid(2): only a caller with CAP_SETUID may take another uid; the
 * refusal is STATUS_PRIVILEGE_NOT_HELD and leaves the thread as it was. */
static void kernel_refusal_is_privilege_not_held_and_restores_the_thread(void)
{
    in_child(body_kernel_refusal, true, __func__);
}

static void body_allocation_failure(const struct fixture *fx)
{
    ntsec_status st = NTSEC_STATUS_NO_MEMORY;
    long n;

    if (!root_without_fs_caps(fx, 0, 0))
        return;
    CU_ASSERT(impersonate(fx->client));
    CU_ASSERT_EQUAL(ntsec_projection_enable(true), NTSEC_STATUS_SUCCESS);
    for (n = 0; st == NTSEC_STATUS_NO_MEMORY && n < 20; n++) {
        testutil_fail_alloc_after(n);
        st = ntsec_projection_sync();
        testutil_fail_alloc_after(-1);
        if (st == NTSEC_STATUS_NO_MEMORY)
            CU_ASSERT_EQUAL(fs_uid(), 0);
    }
    CU_ASSERT_EQUAL(st, NTSEC_STATUS_SUCCESS);
    CU_ASSERT(n > 1);
    CU_ASSERT_EQUAL(fs_uid(), CLIENT_ID);
    revert();
    CU_ASSERT_EQUAL(ntsec_projection_enable(false), NTSEC_STATUS_SUCCESS);
}

/* STYLE.md, tests: allocation failure is NTSEC_STATUS_NO_MEMORY, nothing
 * changed, until the call succeeds. */
static void allocation_failure_in_sync_changes_nothing(void)
{
    in_child(body_allocation_failure, true, __func__);
}

/* --- without root ------------------------------------------------------------ */

static void body_identification(const struct fixture *fx)
{
    unsigned long n;
    uid_t before = fs_uid();

    CU_ASSERT_EQUAL(ntsec_thread_impersonate(ntsec_thread_current(), fx->client, false, false,
                                             NTSEC_SECURITY_IDENTIFICATION),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_projection_enable(true), NTSEC_STATUS_SUCCESS);
    n = ntsec__projection_syscalls();
    CU_ASSERT_EQUAL(ntsec_projection_sync(), NTSEC_STATUS_BAD_IMPERSONATION_LEVEL);
    CU_ASSERT_EQUAL(ntsec__projection_syscalls(), n);
    CU_ASSERT_EQUAL(fs_uid(), before);
    revert();
    CU_ASSERT_EQUAL(ntsec_projection_sync(), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_projection_enable(false), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec__projection_syscalls(), n);
}

/* "Impersonation Levels" (Microsoft docs): at SecurityIdentification the
 * server "cannot impersonate the client" - opens fail with
 * STATUS_BAD_IMPERSONATION_LEVEL, and so does the sync. */
static void identification_level_is_bad_impersonation_level(void)
{
    in_child(body_identification, false, __func__);
}

struct other {
    ntsec_status sync, enable;
    unsigned long calls;
};

static void *other_main(void *arg)
{
    struct other *o = arg;

    o->sync = ntsec_projection_sync();
    o->calls = ntsec__projection_syscalls();
    /* Exits with projection on: the record goes with the thread. */
    o->enable = ntsec_projection_enable(true);
    return NULL;
}

/* Issue 6: opt-in, per thread. A sync before enabling does nothing, and
 * enabling on one thread leaves the others off. */
static void projection_is_off_by_default_and_per_thread(void)
{
    struct other o = { NTSEC_STATUS_UNSUCCESSFUL, NTSEC_STATUS_UNSUCCESSFUL, 1 };
    unsigned long n = ntsec__projection_syscalls();
    uid_t u = 1;
    gid_t g = 1;
    pthread_t t;

    CU_ASSERT_EQUAL(ntsec_projection_sync(), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec__projection_syscalls(), n);
    /* Off: the state is the kernel's. */
    CU_ASSERT_EQUAL(ntsec_projection_state(&u, &g), NTSEC_STATUS_SUCCESS);
    CU_ASSERT(u == fs_uid() && g == fs_gid());
    CU_ASSERT_EQUAL(ntsec_projection_enable(true), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_FATAL(pthread_create(&t, NULL, other_main, &o) == 0);
    pthread_join(t, NULL);
    CU_ASSERT_EQUAL(o.sync, NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(o.calls, 0);
    CU_ASSERT_EQUAL(o.enable, NTSEC_STATUS_SUCCESS);
    /* On, not impersonating: the thread is itself already. */
    n = ntsec__projection_syscalls();
    CU_ASSERT_EQUAL(ntsec_projection_sync(), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_projection_state(&u, &g), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec__projection_syscalls(), n);
    CU_ASSERT(u == fs_uid() && g == fs_gid());
    CU_ASSERT_EQUAL(ntsec_projection_enable(false), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec__projection_syscalls(), n);
}

/* Enabling records the thread's identity once: a second enable keeps the
 * first record (it must not record a projected identity as the thread's
 * own) and makes no system call. */
static void enabling_twice_keeps_the_first_record(void)
{
    unsigned long n;
    long live;

    CU_ASSERT_EQUAL(ntsec_projection_enable(true), NTSEC_STATUS_SUCCESS);
    n = ntsec__projection_syscalls();
    live = testutil_live();
    CU_ASSERT_EQUAL(ntsec_projection_enable(true), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec__projection_syscalls(), n);
    CU_ASSERT_EQUAL(testutil_live(), live);
    CU_ASSERT_EQUAL(ntsec_projection_enable(false), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_projection_enable(false), NTSEC_STATUS_SUCCESS);
}

/* STYLE.md, tests: NTSEC_STATUS_NO_MEMORY, projection still off, nothing
 * leaked, until enabling succeeds. */
static void allocation_failure_in_enable_changes_nothing(void)
{
    ntsec_status st = NTSEC_STATUS_NO_MEMORY;
    long n;

    for (n = 0; st == NTSEC_STATUS_NO_MEMORY && n < 20; n++) {
        long live = testutil_live();
        unsigned long calls;

        testutil_fail_alloc_after(n);
        st = ntsec_projection_enable(true);
        testutil_fail_alloc_after(-1);
        if (st == NTSEC_STATUS_NO_MEMORY) {
            CU_ASSERT_EQUAL(testutil_live(), live);
            calls = ntsec__projection_syscalls();
            CU_ASSERT_EQUAL(ntsec_projection_sync(), NTSEC_STATUS_SUCCESS);
            CU_ASSERT_EQUAL(ntsec__projection_syscalls(), calls);
        }
    }
    CU_ASSERT_EQUAL(st, NTSEC_STATUS_SUCCESS);
    CU_ASSERT(n > 1);
    CU_ASSERT_EQUAL(ntsec_projection_enable(false), NTSEC_STATUS_SUCCESS);
}

/* Bad input: NTSEC_STATUS_INVALID_PARAMETER, nothing written. */
static void state_without_outputs_is_invalid_parameter(void)
{
    uid_t u = 7;
    gid_t g = 7;

    CU_ASSERT_EQUAL(ntsec_projection_state(NULL, &g), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_projection_state(&u, NULL), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT(u == 7 && g == 7);
}

void register_tests(void)
{
    static CU_TestInfo tests[] = {
        TEST(projected_thread_reads_what_only_the_client_may_read),
        TEST(other_threads_keep_their_credentials),
        TEST(resync_of_the_same_identity_makes_no_system_call),
        TEST(capabilities_are_the_enabled_privileges_within_the_permitted_set),
        TEST(unmapped_user_is_none_mapped_and_changes_nothing),
        TEST(restricted_token_or_deny_only_user_is_not_supported),
        TEST(kernel_refusal_is_privilege_not_held_and_restores_the_thread),
        TEST(allocation_failure_in_sync_changes_nothing),
        TEST(identification_level_is_bad_impersonation_level),
        TEST(projection_is_off_by_default_and_per_thread),
        TEST(enabling_twice_keeps_the_first_record),
        TEST(allocation_failure_in_enable_changes_nothing),
        TEST(state_without_outputs_is_invalid_parameter),
        CU_TEST_INFO_NULL,
    };
    testutil_add_suite("projection", tests);
}
