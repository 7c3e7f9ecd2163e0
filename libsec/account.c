/* account.c - the current account world: the embedded default, the one
 * NTSEC_WORLD names, ntsec_world_load / ntsec_world_reset, and what other
 * libsec files ask of it (uid/gid mappings, rights, account flags).
 *
 * The world is built completely (world_file.c) before it is swapped in
 * under a write lock; readers hold the read lock while they use it, so no
 * reader ever sees a half-loaded or freed world. The default world is the
 * text below, read by the same loader into a static buffer: it costs no
 * allocation and lives as long as the process, so it is never freed. */
#include <pthread.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ntsec/account.h"
#include "account.h"
#include "alloc.h"
#include "world.h"

/* The embedded default world (docs/world.md describes the format).
 *
 * Rights follow Windows' defaults on a workstation (Microsoft docs,
 * "User Rights Assignment", each policy's "Default values" table, and the
 * privileges whoami /priv lists for an elevated administrator):
 * Administrators hold the 24 privileges of an elevated administrator and
 * may log on locally, from the network and as a batch job; Users and
 * Backup Operators may log on locally and from the network; Everyone has
 * SeChangeNotifyPrivilege ("Bypass traverse checking") and may log on from
 * the network; SERVICE has SeImpersonatePrivilege and
 * SeCreateGlobalPrivilege. BUILTIN\Users holds INTERACTIVE and
 * Authenticated Users as members, as on Windows, so every logon of a known
 * user has it.
 *
 * Passwords are crypt(3) hashes made once with libcrypt; the password of
 * each is "<name>-password" (alice-password, bob-password, ...). */
static const char default_world_text[] =
    "; ntsec's embedded default world\n"
    "[machine]\n"
    "name = WORKSTATION\n"
    "sid = S-1-5-21-1004336348-1177238915-682003330\n"
    "domain = CONTOSO\n"
    "rid = 1103\n"
    "\n"
    "[domain CONTOSO]\n"
    "sid = S-1-5-21-3623811015-3361044348-30300820\n"
    "\n"
    "[wellknown Everyone]\n"
    "rights = SeChangeNotifyPrivilege, SeNetworkLogonRight\n"
    "[wellknown NT AUTHORITY\\Authenticated Users]\n"
    "groups = BUILTIN\\Users\n"
    "[wellknown NT AUTHORITY\\INTERACTIVE]\n"
    "groups = BUILTIN\\Users\n"
    "[wellknown NT AUTHORITY\\SERVICE]\n"
    "rights = SeImpersonatePrivilege, SeCreateGlobalPrivilege\n"
    "[wellknown BUILTIN\\Administrators]\n"
    "rights = SeIncreaseQuotaPrivilege, SeSecurityPrivilege, SeTakeOwnershipPrivilege\n"
    "rights = SeLoadDriverPrivilege, SeSystemProfilePrivilege, SeSystemtimePrivilege\n"
    "rights = SeProfileSingleProcessPrivilege, SeIncreaseBasePriorityPrivilege\n"
    "rights = SeCreatePagefilePrivilege, SeBackupPrivilege, SeRestorePrivilege\n"
    "rights = SeShutdownPrivilege, SeDebugPrivilege, SeSystemEnvironmentPrivilege\n"
    "rights = SeChangeNotifyPrivilege, SeRemoteShutdownPrivilege, SeUndockPrivilege\n"
    "rights = SeManageVolumePrivilege, SeImpersonatePrivilege, SeCreateGlobalPrivilege\n"
    "rights = SeIncreaseWorkingSetPrivilege, SeTimeZonePrivilege\n"
    "rights = SeCreateSymbolicLinkPrivilege, SeDelegateSessionUserImpersonatePrivilege\n"
    "rights = SeInteractiveLogonRight, SeNetworkLogonRight, SeBatchLogonRight\n"
    "rights = SeRemoteInteractiveLogonRight\n"
    "[wellknown BUILTIN\\Users]\n"
    "rights = SeShutdownPrivilege, SeChangeNotifyPrivilege, SeUndockPrivilege\n"
    "rights = SeIncreaseWorkingSetPrivilege, SeTimeZonePrivilege\n"
    "rights = SeInteractiveLogonRight, SeNetworkLogonRight\n"
    "[wellknown BUILTIN\\Backup Operators]\n"
    "rights = SeBackupPrivilege, SeRestorePrivilege, SeShutdownPrivilege\n"
    "rights = SeChangeNotifyPrivilege\n"
    "rights = SeInteractiveLogonRight, SeNetworkLogonRight, SeBatchLogonRight\n"
    "[wellknown BUILTIN\\Guests]\n"
    "rights = SeInteractiveLogonRight\n"
    "[wellknown BUILTIN\\Performance Log Users]\n"
    "rights = SeBatchLogonRight\n"
    "\n"
    "; root-password\n"
    "[user root]\n"
    "rid = 500\n"
    "password = $6$eKwfbmuqU5MOFlKz$4IwFehEjbuQZF13xLXGkoGnd9kUAqiY0kD0nn5GTdQ6ZgSIQljSs2PStKSk2aZn6nJZj6ZfM9qYPu0QZ3umRq/\n"
    "groups = BUILTIN\\Administrators\n"
    "uid = 0\n"
    "; guest-password; disabled, as Windows ships its Guest account\n"
    "[user Guest]\n"
    "rid = 501\n"
    "password = $6$v54zY1Ifeaq25EfD$YJGVpCKY3VKnol9dsH6q.uGkHIr0I6Hyz9IzF01bQ/nea9NmXMfxJHifZiyPTz4pakMoJqtedbX1EMWqG9Foo1\n"
    "groups = BUILTIN\\Guests\n"
    "flags = disabled\n"
    "\n"
    "[group Domain Admins]\n"
    "domain = CONTOSO\n"
    "rid = 512\n"
    "groups = BUILTIN\\Administrators\n"
    "[group Domain Users]\n"
    "domain = CONTOSO\n"
    "rid = 513\n"
    "groups = BUILTIN\\Users\n"
    "[group Developers]\n"
    "domain = CONTOSO\n"
    "rid = 1110\n"
    "\n"
    "; alice-password (yescrypt)\n"
    "[user alice]\n"
    "domain = CONTOSO\n"
    "rid = 1104\n"
    "password = $y$j75$wwGqns8LLScBxTGQPVTuo.$5FYM7YUS9OQPjnqnYIr6WlfZgLRMiDPDA9WDLKYJZH/\n"
    "groups = Domain Users, Developers\n"
    "; bob-password\n"
    "[user bob]\n"
    "domain = CONTOSO\n"
    "rid = 1105\n"
    "password = $6$WNbHWFysR95dkgLJ$PyqYVdtNTyoSk/MQfRxKY3gf5BbnGMYfOBui9hxZ7708sZaaHqZOYrGNI/jAdNhtJNz7Qpc3df5wGRzOuxHwF/\n"
    "groups = Domain Users, BUILTIN\\Administrators\n"
    "; carol-password; \"sensitive and cannot be delegated\"\n"
    "[user carol]\n"
    "domain = CONTOSO\n"
    "rid = 1106\n"
    "password = $6$EwisE6NwfoMhmDAx$SrY0cfGk3HVl/F8tXIN5FNz.3Aa5OPP1Wi4ASNIrsUEkWaWaGUKDmbomj1rZwRa0KsZS1W/Zm8MzYr61QCg2o1\n"
    "groups = Domain Users, Developers\n"
    "flags = sensitive\n"
    "; svc-web-password; a service account\n"
    "[user svc-web]\n"
    "domain = CONTOSO\n"
    "rid = 1107\n"
    "password = $6$8zc83XozfEQlxd4J$rPgdY3T4kGewFsbi9nJNVSO6mUX..kBDMqkjqYWOApKW7g/zNVzFXpXAbSw7bcsXgn4z6ZqtUcuFjKKhzqNL1.\n"
    "groups = Domain Users\n"
    "rights = SeServiceLogonRight, SeBatchLogonRight\n"
    "flags = trusted-to-auth-for-delegation\n"
    "\n"
    "[host SERVER1]\n"
    "domain = CONTOSO\n"
    "rid = 1108\n"
    "flags = trusted-for-delegation\n"
    "[host SERVER2]\n"
    "domain = CONTOSO\n"
    "rid = 1109\n";

/* The default world lives here (no allocation, never freed). */
static _Alignas(16) unsigned char default_storage[64 * 1024];
static char default_text[sizeof(default_world_text) + 256];

static pthread_once_t once = PTHREAD_ONCE_INIT;
static pthread_rwlock_t lock = PTHREAD_RWLOCK_INITIALIZER;
static struct ntsec__world *default_world;
static struct ntsec__world *current;    /* under `lock` */

/* A last resort if the embedded text could not be read (a bug the tests
 * catch): a machine with no accounts. */
static struct ntsec__world empty_world = {
    .machine = { "WORKSTATION", { 1, 4, { 0, 0, 0, 0, 0, 5 }, { 21, 1004336348u, 1177238915u,
                                                               682003330u } }, 0 },
};

/* The Linux user running the process, as a local account of the machine
 * with its uid mapped: RID 1000 + 2 * uid, Samba's algorithmic mapping of
 * uids to RIDs (rid base 1000, users even). root is already in the text. */
static void add_linux_user(char *text, size_t size)
{
    struct passwd pw, *res = NULL;
    char buf[4096];
    uid_t uid = getuid();
    size_t len = strlen(text);

    if (uid == 0 || uid > (UINT32_MAX - 1000u) / 2u ||
        getpwuid_r(uid, &pw, buf, sizeof(buf), &res) || !res)
        return;
    /* Only names that are also valid Windows account names (20 chars). */
    if (!res->pw_name[0] || strlen(res->pw_name) > 20 ||
        strspn(res->pw_name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") !=
            strlen(res->pw_name))
        return;
    snprintf(text + len, size - len,
             "\n; the Linux user running this process\n"
             "[user %s]\nrid = %lu\ngroups = BUILTIN\\Users\nuid = %lu\n",
             res->pw_name, 1000ul + 2ul * (unsigned long)uid, (unsigned long)uid);
}

static void init(void)
{
    const char *path, *why = NULL;
    unsigned line = 0;
    struct ntsec__world *w;
    ntsec_status st;

    memcpy(default_text, default_world_text, sizeof(default_world_text));
    add_linux_user(default_text, sizeof(default_text));
    st = ntsec__world_parse_text(default_text, default_storage, sizeof(default_storage),
                                 &default_world, &line, &why);
    if (st != NTSEC_STATUS_SUCCESS)     /* e.g. the Linux user's name is taken */
        st = ntsec__world_parse_text(default_world_text, default_storage,
                                     sizeof(default_storage), &default_world, &line, &why);
    if (st != NTSEC_STATUS_SUCCESS) {
        fprintf(stderr, "ntsec: the embedded world is invalid (line %u: %s)\n", line, why);
        default_world = &empty_world;
    }
    current = default_world;

    path = getenv("NTSEC_WORLD");
    if (!path || !*path)
        return;
    st = ntsec__world_parse_file(path, &w, &line, &why);
    if (st == NTSEC_STATUS_SUCCESS)
        current = w;
    else if (st == NTSEC_STATUS_NO_MEMORY)
        fprintf(stderr, "ntsec: NTSEC_WORLD=%s: out of memory; using the default world\n", path);
    else
        fprintf(stderr, "ntsec: NTSEC_WORLD=%s: line %u: %s; using the default world\n", path,
                line, why);
}

const struct ntsec__world *ntsec__world_acquire(void)
{
    pthread_once(&once, init);
    pthread_rwlock_rdlock(&lock);
    return current;
}

void ntsec__world_release(void)
{
    pthread_rwlock_unlock(&lock);
}

static void swap_in(struct ntsec__world *w)
{
    struct ntsec__world *old;

    pthread_rwlock_wrlock(&lock);
    old = current;
    current = w;
    pthread_rwlock_unlock(&lock);
    /* No reader holds `old` now: they all read under the lock. */
    if (old != default_world)
        ntsec__world_free(old);
}

ntsec_status ntsec_world_load(const char *path, unsigned *line, const char **why)
{
    struct ntsec__world *w;
    ntsec_status st;

    if (!path)
        return NTSEC_STATUS_INVALID_PARAMETER;
    pthread_once(&once, init);
    st = ntsec__world_parse_file(path, &w, line, why);
    if (st == NTSEC_STATUS_SUCCESS)
        swap_in(w);
    return st;
}

void ntsec_world_reset(void)
{
    pthread_once(&once, init);
    swap_in(default_world);
}

/* --- questions ------------------------------------------------------------ */

const struct ntsec__waccount *ntsec__world_find_sid(const struct ntsec__world *w,
                                                    const struct ntsec_sid *sid)
{
    for (size_t i = 0; i < w->account_count; i++)
        if (ntsec_sid_equal(&w->accounts[i].sid, sid))
            return &w->accounts[i];
    return NULL;
}

static bool add_sid(struct ntsec_sid *set, size_t cap, size_t *count, const struct ntsec_sid *sid)
{
    for (size_t i = 0; i < *count; i++)
        if (ntsec_sid_equal(&set[i], sid))
            return true;
    if (*count == cap)
        return false;
    set[(*count)++] = *sid;
    return true;
}

/* Breadth-first over the membership graph: the set itself is the queue,
 * so cycles end (a SID is added once). */
bool ntsec__world_expand(const struct ntsec__world *w, const struct ntsec_sid *sid,
                         struct ntsec_sid *set, size_t cap, size_t *count)
{
    size_t start = *count, i;
    const struct ntsec__waccount *a = ntsec__world_find_sid(w, sid);

    if (!a)
        return true;
    for (i = 0; i < a->member_count; i++)
        if (!add_sid(set, cap, count, &a->member_of[i]))
            return false;
    for (i = start; i < *count; i++) {
        a = ntsec__world_find_sid(w, &set[i]);
        for (size_t j = 0; a && j < a->member_count; j++)
            if (!add_sid(set, cap, count, &a->member_of[j]))
                return false;
    }
    return true;
}

static bool find_mapping(bool group, uint32_t id, struct ntsec_sid *out)
{
    const struct ntsec__world *w = ntsec__world_acquire();
    bool found = false;

    for (size_t i = 0; i < w->account_count && !found; i++) {
        const struct ntsec__waccount *a = &w->accounts[i];

        if (group ? (a->has_gid && a->gid == id) : (a->has_uid && a->uid == id)) {
            if (out)
                *out = a->sid;
            found = true;
        }
    }
    ntsec__world_release();
    return found;
}

bool ntsec__world_sid_for_uid(uid_t uid, struct ntsec_sid *out)
{
    return find_mapping(false, (uint32_t)uid, out);
}

bool ntsec__world_sid_for_gid(gid_t gid, struct ntsec_sid *out)
{
    return find_mapping(true, (uint32_t)gid, out);
}

/* A user holds the rights of its groups and of the groups every logon
 * has (Everyone, Authenticated Users), as LSA computes a token's
 * privileges from all of its SIDs. */
uint64_t ntsec__world_rights(const struct ntsec_sid *sid)
{
    static const struct ntsec_sid everyone = { 1, 1, { 0, 0, 0, 0, 0, 1 }, { 0 } };
    static const struct ntsec_sid authenticated = { 1, 1, { 0, 0, 0, 0, 0, 5 }, { 11 } };
    const struct ntsec__world *w;
    const struct ntsec__waccount *a;
    struct ntsec_sid *set;
    size_t cap, count = 0;
    uint64_t privs = 0;

    if (!ntsec_sid_is_valid(sid))
        return 0;
    w = ntsec__world_acquire();
    cap = 3;
    for (size_t i = 0; i < w->account_count; i++)
        cap += w->accounts[i].member_count;
    set = ntsec__alloc(cap * sizeof(*set));
    if (set) {
        a = ntsec__world_find_sid(w, sid);
        add_sid(set, cap, &count, sid);
        if (a && a->kind == NTSEC__W_USER) {
            add_sid(set, cap, &count, &everyone);
            add_sid(set, cap, &count, &authenticated);
        }
        for (size_t i = 0, n = count; i < n; i++)
            ntsec__world_expand(w, &set[i], set, cap, &count);
        for (size_t i = 0; i < count; i++)
            if ((a = ntsec__world_find_sid(w, &set[i])))
                privs |= a->privileges;
        ntsec__free(set);
    }
    ntsec__world_release();
    return privs;
}

uint32_t ntsec_account_flags(const struct ntsec_sid *sid)
{
    const struct ntsec__world *w;
    const struct ntsec__waccount *a;
    uint32_t flags = 0;

    if (!ntsec_sid_is_valid(sid))
        return 0;
    w = ntsec__world_acquire();
    a = ntsec__world_find_sid(w, sid);
    if (a && (a->kind == NTSEC__W_USER || a->kind == NTSEC__W_HOST))
        flags = a->flags;
    ntsec__world_release();
    return flags;
}
