/* projection.c - projection of a thread's impersonation onto its Linux
 * credentials: at a sync point, the filesystem uid and gid, supplementary
 * groups and effective capabilities of the calling thread become those of
 * its effective token (the client's while it impersonates, its own as
 * recorded when it enabled projection otherwise).
 *
 * Linux keeps credentials per thread (credentials(7); capabilities(7),
 * "Thread capability sets"), but glibc's setgroups()/setresuid() make
 * every thread change (setgroups(2), "C library/kernel differences"), and
 * libcap's cap_set_proc() does too when the program links libpsx
 * (cap_get_proc(3), NOTES). So every change here is a raw system call on
 * the calling thread: setfsuid/setfsgid (the ids the kernel checks files
 * with, setfsuid(2)), setgroups, capset with pid 0.
 *
 * Never more than the thread holds: capabilities are the enabled
 * privileges' (the inverse of unixcred.c's table) within the thread's
 * permitted set, and the kernel itself refuses ids the thread may not
 * take (no CAP_SETUID / CAP_SETGID). Not on the impersonate/revert path
 * (DESIGN.md, "The hot path"): a thread pays here only when it syncs, and
 * a sync to the identity it already holds makes no system call.
 * docs/linux.md, "Projection of impersonation", lists the rules. */
#include <errno.h>
#include <linux/capability.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ntsec/process.h"
#include "alloc.h"
#include "projection.h"
#include "token.h"
#include "unixcred.h"
#include "world.h"

#define CAPBIT(n)  (UINT64_C(1) << (n))
#define SETID_CAPS (CAPBIT(CAP_SETUID) | CAPBIT(CAP_SETGID))

/* A group for a token none of whose groups has a gid: the kernel's
 * default overflow gid, "nogroup" (proc(5), /proc/sys/kernel/overflowgid),
 * rather than keeping the thread's own group. */
#define NO_GROUP ((gid_t)65534)

/* 32-bit ids where the architecture has both forms (setfsuid(2),
 * setgroups(2): the "32" calls took over in Linux 2.4). */
#ifdef SYS_setfsuid32
#define NR_SETFSUID  SYS_setfsuid32
#define NR_SETFSGID  SYS_setfsgid32
#define NR_SETGROUPS SYS_setgroups32
#define NR_GETGROUPS SYS_getgroups32
#else
#define NR_SETFSUID  SYS_setfsuid
#define NR_SETFSGID  SYS_setfsgid
#define NR_SETGROUPS SYS_setgroups
#define NR_GETGROUPS SYS_getgroups
#endif

/* A Linux identity: what the kernel checks a thread's file access with. */
struct ident {
    uid_t uid;                  /* filesystem uid */
    gid_t gid;                  /* filesystem gid */
    uint64_t caps;              /* effective capabilities, bit n = CAP n */
    gid_t *groups;              /* supplementary groups, sorted, each once */
    size_t count, capacity;
};

/* One thread's projection. */
struct projection {
    struct ident self;          /* the thread's own, read when enabled */
    struct ident applied;       /* what the thread holds now */
    struct ident want;          /* scratch: the impersonated token's */
    uint64_t permitted;         /* capability sets projection leaves alone */
    uint64_t inheritable;
    bool applied_known;         /* false after a rollback failed: redo every step */
};

/* The thread-local pointer is what sync reads; the key's destructor frees
 * the record when the thread exits with projection on. */
static _Thread_local struct projection *state;
static _Thread_local unsigned long syscalls;
static pthread_key_t key;
static pthread_once_t key_once = PTHREAD_ONCE_INIT;
static int key_error;

unsigned long ntsec__projection_syscalls(void)
{
    return syscalls;
}

/* --- system calls on the calling thread ----------------------------------- */

/* setfsuid(2) returns the previous id on success and failure alike; asking
 * with -1 (never a valid id) returns the current one, which tells. */
static uid_t sys_setfsuid(uid_t uid)
{
    syscalls++;
    return (uid_t)syscall(NR_SETFSUID, uid);
}

static gid_t sys_setfsgid(gid_t gid)
{
    syscalls++;
    return (gid_t)syscall(NR_SETFSGID, gid);
}

static bool set_fsuid(uid_t uid)
{
    sys_setfsuid(uid);
    return sys_setfsuid((uid_t)-1) == uid;
}

static bool set_fsgid(gid_t gid)
{
    sys_setfsgid(gid);
    return sys_setfsgid((gid_t)-1) == gid;
}

static int sys_setgroups(size_t count, const gid_t *groups)
{
    syscalls++;
    return (int)syscall(NR_SETGROUPS, count, groups);
}

static int sys_getgroups(int count, gid_t *groups)
{
    syscalls++;
    return (int)syscall(NR_GETGROUPS, count, groups);
}

/* capget/capset with pid 0: the calling thread (capget(2)). */
static int caps_read(uint64_t *effective, uint64_t *permitted, uint64_t *inheritable)
{
    struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
    struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];

    memset(d, 0, sizeof(d));
    syscalls++;
    if (syscall(SYS_capget, &h, d))
        return -1;
    *effective = d[0].effective | (uint64_t)d[1].effective << 32;
    *permitted = d[0].permitted | (uint64_t)d[1].permitted << 32;
    *inheritable = d[0].inheritable | (uint64_t)d[1].inheritable << 32;
    return 0;
}

static int caps_write(const struct projection *p, uint64_t effective)
{
    struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
    struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3] = {
        { (uint32_t)effective, (uint32_t)p->permitted, (uint32_t)p->inheritable },
        { (uint32_t)(effective >> 32), (uint32_t)(p->permitted >> 32),
          (uint32_t)(p->inheritable >> 32) },
    };

    syscalls++;
    return (int)syscall(SYS_capset, &h, d);
}

static ntsec_status errno_status(int e)
{
    return e == EPERM ? NTSEC_STATUS_PRIVILEGE_NOT_HELD
         : e == ENOMEM ? NTSEC_STATUS_NO_MEMORY : NTSEC_STATUS_UNSUCCESSFUL;
}

/* --- identities ----------------------------------------------------------- */

/* Room for `n` groups, keeping those there. */
static bool reserve(struct ident *id, size_t n)
{
    gid_t *groups;

    if (n <= id->capacity)
        return true;
    groups = ntsec__alloc(n * sizeof(*groups));
    if (!groups)
        return false;
    if (id->count)
        memcpy(groups, id->groups, id->count * sizeof(*groups));
    ntsec__free(id->groups);
    id->groups = groups;
    id->capacity = n;
    return true;
}

static int gid_order(const void *a, const void *b)
{
    gid_t x = *(const gid_t *)a, y = *(const gid_t *)b;

    return (x > y) - (x < y);
}

/* Sorted, each once: one form per set, so that equal sets compare equal
 * (the kernel sorts them too, groups_sort()). */
static void canonical(struct ident *id)
{
    size_t n = 0;

    if (id->count > 1)
        qsort(id->groups, id->count, sizeof(*id->groups), gid_order);
    for (size_t i = 0; i < id->count; i++)
        if (n == 0 || id->groups[n - 1] != id->groups[i])
            id->groups[n++] = id->groups[i];
    id->count = n;
}

static bool same_groups(const struct ident *a, const struct ident *b)
{
    return a->count == b->count &&
           (a->count == 0 || memcmp(a->groups, b->groups, a->count * sizeof(*a->groups)) == 0);
}

static bool same_ident(const struct ident *a, const struct ident *b)
{
    return a->uid == b->uid && a->gid == b->gid && a->caps == b->caps && same_groups(a, b);
}

static void copy_ident(struct ident *dst, const struct ident *src)
{
    dst->uid = src->uid;
    dst->gid = src->gid;
    dst->caps = src->caps;
    dst->count = src->count;
    if (src->count)
        memcpy(dst->groups, src->groups, src->count * sizeof(*src->groups));
}

/* The calling thread's credentials now (the identity to return to). */
static ntsec_status read_self(struct projection *p)
{
    struct ident *self = &p->self;
    int got;

    self->uid = sys_setfsuid((uid_t)-1);
    self->gid = sys_setfsgid((gid_t)-1);
    /* A group added between the two calls makes the second EINVAL. */
    for (;;) {
        int n = sys_getgroups(0, NULL);

        if (n < 0)
            return NTSEC_STATUS_UNSUCCESSFUL;
        if (!reserve(self, (size_t)n))
            return NTSEC_STATUS_NO_MEMORY;
        got = sys_getgroups(n, self->groups);
        if (got >= 0)
            break;
        if (errno != EINVAL)
            return NTSEC_STATUS_UNSUCCESSFUL;
    }
    self->count = (size_t)got;
    canonical(self);
    if (caps_read(&self->caps, &p->permitted, &p->inheritable))
        return NTSEC_STATUS_UNSUCCESSFUL;
    return NTSEC_STATUS_SUCCESS;
}

/* The uid (or gid) a user (or group) SID stands for: the account world's
 * mapping, else Samba's S-1-22-1-uid / S-1-22-2-gid - the inverse of
 * ntsec_unixcred_uid_sid / _gid_sid. -1 is no id (setfsuid(2) reads it
 * as "ask"). */
static bool sid_to_id(const struct ntsec__world *w, const struct ntsec_sid *sid, bool group,
                      uint32_t *out)
{
    const struct ntsec__waccount *a = ntsec__world_find_sid(w, sid);
    uint32_t id;

    if (a && (group ? a->has_gid : a->has_uid))
        id = group ? a->gid : a->uid;
    else if (ntsec_sid_authority(sid) == 22 && sid->sub_authority_count == 2 &&
             sid->sub_authority[0] == (group ? 2u : 1u))
        id = sid->sub_authority[1];
    else
        return false;
    if (id == UINT32_MAX)
        return false;
    *out = id;
    return true;
}

/* The capabilities the enabled privileges stand for: each privilege gives
 * every capability of its row in unixcred.c's table (SeBackupPrivilege
 * CAP_DAC_READ_SEARCH, SeRestorePrivilege CAP_DAC_OVERRIDE + CAP_FOWNER,
 * SeImpersonatePrivilege CAP_SETUID + CAP_SETGID, ...). */
static uint64_t privilege_caps(uint64_t enabled)
{
    size_t n;
    const struct ntsec__cap_privilege *table = ntsec__unixcred_table(&n);
    uint64_t caps = 0;

    for (size_t i = 0; i < n; i++)
        if (enabled & (UINT64_C(1) << table[i].privilege))
            caps |= table[i].caps;
    return caps;
}

/* The Linux identity of token `t` into `out`:
 *   - uid: the user's; none -> NTSEC_STATUS_NONE_MAPPED. A deny-only user
 *     (NtFilterToken) or restricted SIDs ask for a second access check
 *     Linux cannot make -> NTSEC_STATUS_NOT_SUPPORTED, rather than grant
 *     what Windows would deny;
 *   - groups: the gids of the enabled groups that are not deny-only (a
 *     disabled or deny-only group never grants on Windows, "SID
 *     Attributes in an Access Token"); groups without a gid are left out;
 *   - gid: the primary group's, when it is such a group; else the first
 *     such group's; else NO_GROUP;
 *   - capabilities: the enabled privileges' (privilege_caps), within the
 *     thread's permitted set. */
static ntsec_status token_identity(const struct projection *p, const struct ntsec_token *t,
                                   struct ident *out)
{
    const uint32_t off = NTSEC_SE_GROUP_USE_FOR_DENY_ONLY;
    const struct ntsec__world *w;
    ntsec_status st;
    uint64_t privileges;
    uint32_t seq, id;
    gid_t primary;
    bool have_primary;

    if (t->restricted_count)
        return NTSEC_STATUS_NOT_SUPPORTED;
    if (!reserve(out, t->sid_count))
        return NTSEC_STATUS_NO_MEMORY;
    w = ntsec__world_acquire();
    do {
        uint32_t primary_pos;

        seq = ntsec__token_read_begin(t);
        st = NTSEC_STATUS_SUCCESS;
        out->count = 0;
        have_primary = false;
        primary = NO_GROUP;
        if (atomic_load_explicit(&t->sids[0].attributes, memory_order_relaxed) & off)
            st = NTSEC_STATUS_NOT_SUPPORTED;
        else if (!sid_to_id(w, t->sids[0].sid, false, &id))
            st = NTSEC_STATUS_NONE_MAPPED;
        else
            out->uid = (uid_t)id;
        primary_pos = atomic_load_explicit(&t->primary_group_pos, memory_order_relaxed);
        for (uint32_t i = 1; i < t->sid_count; i++) {
            uint32_t a = atomic_load_explicit(&t->sids[i].attributes, memory_order_relaxed);

            if (i == t->integrity_pos || !(a & NTSEC_SE_GROUP_ENABLED) || (a & off) ||
                !sid_to_id(w, t->sids[i].sid, true, &id))
                continue;
            out->groups[out->count++] = (gid_t)id;
            if (i == primary_pos) {
                primary = (gid_t)id;
                have_primary = true;
            }
        }
        privileges = atomic_load_explicit(&t->priv_enabled, memory_order_relaxed);
    } while (ntsec__token_read_retry(t, seq));
    ntsec__world_release();
    if (!ntsec_success(st))
        return st;
    out->gid = have_primary ? primary : out->count ? out->groups[0] : NO_GROUP;
    canonical(out);
    out->caps = privilege_caps(privileges) & p->permitted;
    return NTSEC_STATUS_SUCCESS;
}

/* --- applying an identity ------------------------------------------------- */

enum { DID_RAISE = 1, DID_GROUPS = 2, DID_GID = 4, DID_UID = 8 };

/* Move the thread from `cur` (NULL: unknown, do every step) to `t`; *done
 * says which steps changed something, for undo(). The order matters:
 *   1. CAP_SETUID/CAP_SETGID raised in the effective set when permitted:
 *      the identity being left (a client's) may have dropped them, and
 *      setgroups/setfsuid need them (setgroups(2), setfsuid(2));
 *   2. groups, fsgid, fsuid; each fs id read back with -1 (setfsuid(2),
 *      BUGS: the call itself never reports a failure);
 *   3. the effective set last: a change of fsuid between 0 and non-zero
 *      clears or raises the filesystem capabilities (capabilities(7),
 *      "Effect of user ID changes on capabilities"), so it is set after. */
static ntsec_status apply(const struct projection *p, const struct ident *t,
                          const struct ident *cur, unsigned *done)
{
    bool ids = !cur || cur->uid != t->uid || cur->gid != t->gid || !same_groups(cur, t);

    *done = 0;
    if (ids) {
        uint64_t raised = (cur ? cur->caps : t->caps) | (p->permitted & SETID_CAPS);

        if (!cur || raised != cur->caps) {
            if (caps_write(p, raised))
                return errno_status(errno);
            *done |= DID_RAISE;
        }
        if (!cur || !same_groups(cur, t)) {
            if (sys_setgroups(t->count, t->groups))
                return errno_status(errno);
            *done |= DID_GROUPS;
        }
        if (!cur || cur->gid != t->gid) {
            if (!set_fsgid(t->gid))
                return NTSEC_STATUS_PRIVILEGE_NOT_HELD;
            *done |= DID_GID;
        }
        if (!cur || cur->uid != t->uid) {
            if (!set_fsuid(t->uid))
                return NTSEC_STATUS_PRIVILEGE_NOT_HELD;
            *done |= DID_UID;
        }
    }
    if ((ids || t->caps != cur->caps) && caps_write(p, t->caps))
        return errno_status(errno);
    return NTSEC_STATUS_SUCCESS;
}

/* Put back what apply() changed before it failed (in reverse; the raised
 * CAP_SETUID/CAP_SETGID are still effective, as step 3 did not run). */
static bool undo(const struct projection *p, const struct ident *cur, unsigned done)
{
    bool ok = true;

    if (done & DID_UID)
        ok = set_fsuid(cur->uid) && ok;
    if (done & DID_GID)
        ok = set_fsgid(cur->gid) && ok;
    if (done & DID_GROUPS)
        ok = sys_setgroups(cur->count, cur->groups) == 0 && ok;
    if (done)
        ok = caps_write(p, cur->caps) == 0 && ok;
    return ok;
}

/* Make the thread hold `t`: nothing when it holds it already (the cache);
 * on failure it holds what it held before. */
static ntsec_status sync_to(struct projection *p, const struct ident *t)
{
    const struct ident *cur = p->applied_known ? &p->applied : NULL;
    unsigned done;
    ntsec_status st;

    if (cur && same_ident(t, cur))
        return NTSEC_STATUS_SUCCESS;
    if (!reserve(&p->applied, t->count))
        return NTSEC_STATUS_NO_MEMORY;
    st = apply(p, t, cur, &done);
    if (ntsec_success(st)) {
        copy_ident(&p->applied, t);
        p->applied_known = true;
    } else if (done && !(cur && undo(p, cur, done))) {
        p->applied_known = false;
    }
    return st;
}

/* --- the per-thread record ------------------------------------------------ */

static void projection_free(struct projection *p)
{
    ntsec__free(p->self.groups);
    ntsec__free(p->applied.groups);
    ntsec__free(p->want.groups);
    ntsec__free(p);
}

/* The thread exits with projection on: its credentials go with it. */
static void thread_exit(void *arg)
{
    state = NULL;
    projection_free(arg);
}

static void make_key(void)
{
    key_error = pthread_key_create(&key, thread_exit);
}

static ntsec_status enable(void)
{
    struct projection *p;
    ntsec_status st;

    pthread_once(&key_once, make_key);
    if (key_error)
        return NTSEC_STATUS_INSUFFICIENT_RESOURCES;
    p = ntsec__zalloc(sizeof(*p));
    if (!p)
        return NTSEC_STATUS_NO_MEMORY;
    st = read_self(p);
    if (ntsec_success(st) && !reserve(&p->applied, p->self.count))
        st = NTSEC_STATUS_NO_MEMORY;
    if (ntsec_success(st) && pthread_setspecific(key, p))
        st = NTSEC_STATUS_NO_MEMORY;
    if (!ntsec_success(st)) {
        projection_free(p);
        return st;
    }
    copy_ident(&p->applied, &p->self);
    p->applied_known = true;
    state = p;
    return NTSEC_STATUS_SUCCESS;
}

ntsec_status ntsec_projection_enable(bool on)
{
    ntsec_status st;

    if (on)
        return state ? NTSEC_STATUS_SUCCESS : enable();
    if (!state)
        return NTSEC_STATUS_SUCCESS;
    st = sync_to(state, &state->self);
    if (!ntsec_success(st))
        return st;
    pthread_setspecific(key, NULL);
    projection_free(state);
    state = NULL;
    return NTSEC_STATUS_SUCCESS;
}

/* The effective token's rule (PsReferenceEffectiveToken): the
 * impersonation token while the thread impersonates, else the thread's
 * own identity. A thread impersonating at Anonymous or Identification may
 * not act as the client ("Impersonation Levels", Microsoft docs: the
 * server "cannot impersonate the client"; object opens fail with
 * STATUS_BAD_IMPERSONATION_LEVEL, object_sd.c), nor should it keep acting
 * as itself unknowingly: the sync fails and says so. */
ntsec_status ntsec_projection_sync(void)
{
    struct projection *p = state;
    struct ntsec_thread *thread;
    struct ntsec_token *token;
    enum ntsec_impersonation_level level = NTSEC_SECURITY_ANONYMOUS;
    ntsec_status st;

    if (!p)
        return NTSEC_STATUS_SUCCESS;
    thread = ntsec_thread_current();
    if (!thread)
        return NTSEC_STATUS_NO_MEMORY;
    token = ntsec_thread_impersonation(thread, &level, NULL, NULL);
    if (!token)
        return sync_to(p, &p->self);
    st = level < NTSEC_SECURITY_IMPERSONATION ? NTSEC_STATUS_BAD_IMPERSONATION_LEVEL
                                              : token_identity(p, token, &p->want);
    ntsec_token_put(token);
    return ntsec_success(st) ? sync_to(p, &p->want) : st;
}

ntsec_status ntsec_projection_state(uid_t *fsuid, gid_t *fsgid)
{
    if (!fsuid || !fsgid)
        return NTSEC_STATUS_INVALID_PARAMETER;
    if (state && state->applied_known) {
        *fsuid = state->applied.uid;
        *fsgid = state->applied.gid;
    } else {
        *fsuid = sys_setfsuid((uid_t)-1);
        *fsgid = sys_setfsgid((gid_t)-1);
    }
    return NTSEC_STATUS_SUCCESS;
}
