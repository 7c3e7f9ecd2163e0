/* unixcred.c - the Linux identity behind the first process token.
 *
 * The token a Linux process starts with is modelled on the one Windows'
 * LSA builds for an interactive logon (LogonUser docs, "Access Tokens" and
 * "Well-known SIDs" in Microsoft's docs): the user, Everyone, Users,
 * INTERACTIVE, Authenticated Users, a logon SID, LOCAL, the user's groups
 * and an integrity label. What Linux knows decides the rest:
 *   - uid and gids become SIDs: the account world's mapping when it has
 *     one, else Samba's S-1-22-1-uid / S-1-22-2-gid ("Unix User" /
 *     "Unix Group", Samba's winbindd idmap and smbd/uid.c);
 *   - root (euid 0) is an elevated administrator: BUILTIN\Administrators,
 *     the owner of what it creates, and High integrity; everyone else is a
 *     standard user at Medium ("Mandatory Integrity Control", Microsoft docs:
 *     standard users Medium, elevated administrators High);
 *   - effective capabilities become privileges by the table below.
 * docs/linux.md lists the mapping and what differs from Windows. */
#include <errno.h>
#include <string.h>
#include <sys/capability.h>
#include <unistd.h>

#include "ntsec/unixcred.h"
#include "account.h"
#include "alloc.h"
#include "unixcred.h"

#define CAPBIT(n) (UINT64_C(1) << (n))

/* Each privilege and the capabilities that give the same power on Linux.
 * A privilege that needs two capabilities needs both: SeRestorePrivilege
 * writes any file whatever its DACL and sets its owner (CAP_DAC_OVERRIDE
 * for the first, CAP_FOWNER for the second); the three token privileges
 * let a process take any identity, which on Linux is setuid and setgid
 * together.
 *
 * Enabled by default: SeChangeNotifyPrivilege, which every Windows token
 * holds enabled ("Privilege Constants", Microsoft docs, SE_CHANGE_NOTIFY_NAME:
 * "It is enabled by default for all users"), and SeImpersonatePrivilege, which LSA
 * gives enabled to administrators and services (whoami /priv on an
 * elevated Windows prompt shows it Enabled, with SeCreateGlobalPrivilege,
 * which no capability maps to). Every other privilege is present but
 * disabled, as in an elevated administrator's token: a program enables
 * what it needs with AdjustTokenPrivileges. */
static const struct ntsec__cap_privilege cap_privileges[] = {
    { CAPBIT(CAP_SETUID) | CAPBIT(CAP_SETGID), NTSEC_SE_ASSIGNPRIMARYTOKEN_PRIVILEGE, false },
    { CAPBIT(CAP_IPC_LOCK), NTSEC_SE_LOCK_MEMORY_PRIVILEGE, false },
    { CAPBIT(CAP_SYS_RESOURCE), NTSEC_SE_INCREASE_QUOTA_PRIVILEGE, false },
    { CAPBIT(CAP_SETUID) | CAPBIT(CAP_SETGID), NTSEC_SE_TCB_PRIVILEGE, false },
    { CAPBIT(CAP_CHOWN), NTSEC_SE_TAKE_OWNERSHIP_PRIVILEGE, false },
    { CAPBIT(CAP_SYS_MODULE), NTSEC_SE_LOAD_DRIVER_PRIVILEGE, false },
    { CAPBIT(CAP_SYS_TIME), NTSEC_SE_SYSTEMTIME_PRIVILEGE, false },
    { CAPBIT(CAP_SYS_NICE), NTSEC_SE_INC_BASE_PRIORITY_PRIVILEGE, false },
    { CAPBIT(CAP_DAC_READ_SEARCH), NTSEC_SE_BACKUP_PRIVILEGE, false },
    { CAPBIT(CAP_DAC_OVERRIDE) | CAPBIT(CAP_FOWNER), NTSEC_SE_RESTORE_PRIVILEGE, false },
    { CAPBIT(CAP_SYS_BOOT), NTSEC_SE_SHUTDOWN_PRIVILEGE, false },
    { CAPBIT(CAP_SYS_PTRACE), NTSEC_SE_DEBUG_PRIVILEGE, false },
    { CAPBIT(CAP_AUDIT_WRITE), NTSEC_SE_AUDIT_PRIVILEGE, false },
    { 0, NTSEC_SE_CHANGE_NOTIFY_PRIVILEGE, true },
    { CAPBIT(CAP_SETUID) | CAPBIT(CAP_SETGID), NTSEC_SE_IMPERSONATE_PRIVILEGE, true },
};

#define TABLE_LEN (sizeof(cap_privileges) / sizeof(cap_privileges[0]))

const struct ntsec__cap_privilege *ntsec__unixcred_table(size_t *count)
{
    *count = TABLE_LEN;
    return cap_privileges;
}

uint64_t ntsec_unixcred_privileges(uint64_t caps)
{
    uint64_t privs = 0;

    for (size_t i = 0; i < TABLE_LEN; i++)
        if ((caps & cap_privileges[i].caps) == cap_privileges[i].caps)
            privs |= UINT64_C(1) << cap_privileges[i].privilege;
    return privs;
}

/* --- SIDs ---------------------------------------------------------------- */

/* Samba's unmapped Unix identities: S-1-22-1-uid and S-1-22-2-gid. */
#define UNIX_AUTHORITY 22
#define UNIX_USERS     1
#define UNIX_GROUPS    2

static void unix_sid(uint32_t kind, uint32_t id, struct ntsec_sid *out)
{
    uint32_t subs[2] = { kind, id };

    ntsec_sid_init(out, UNIX_AUTHORITY, 2, subs);
}

void ntsec_unixcred_uid_sid(uid_t uid, struct ntsec_sid *out)
{
    if (!ntsec__world_sid_for_uid(uid, out))
        unix_sid(UNIX_USERS, (uint32_t)uid, out);
}

void ntsec_unixcred_gid_sid(gid_t gid, struct ntsec_sid *out)
{
    if (!ntsec__world_sid_for_gid(gid, out))
        unix_sid(UNIX_GROUPS, (uint32_t)gid, out);
}

/* --- the token ------------------------------------------------------------ */

#define GROUP_ON (NTSEC_SE_GROUP_MANDATORY | NTSEC_SE_GROUP_ENABLED_BY_DEFAULT | \
                  NTSEC_SE_GROUP_ENABLED)

/* The well-known groups of an interactive logon, in the order Windows
 * lists them (whoami /groups); all mandatory and enabled. Administrators
 * (root only) and the logon SID are added apart. */
struct fixed_group {
    uint64_t authority;
    uint8_t count;
    uint32_t sub[2];
};

static const struct fixed_group logon_groups[] = {
    { 1, 1, { 0 } },            /* Everyone */
    { 5, 2, { 32, 545 } },      /* BUILTIN\Users */
    { 5, 1, { 4 } },            /* NT AUTHORITY\INTERACTIVE */
    { 5, 1, { 11 } },           /* NT AUTHORITY\Authenticated Users */
    { 2, 1, { 0 } },            /* LOCAL */
};

#define LOGON_GROUP_COUNT (sizeof(logon_groups) / sizeof(logon_groups[0]))

static const uint32_t admins_sub[2] = { 32, 544 };     /* BUILTIN\Administrators */
static const uint32_t system_sub[1] = { 18 };          /* NT AUTHORITY\SYSTEM */

/* "ntsec" padded with blanks to 8 characters, as Windows' sources are
 * ("User32  ", "Advapi  "; TOKEN_SOURCE, Microsoft docs). */
static const char source_name[8] = { 'n', 't', 's', 'e', 'c', ' ', ' ', ' ' };

/* One block for the groups of the token being built: the SID_AND_ATTRIBUTES
 * array first (8-byte aligned), the SIDs after it. */
struct group_list {
    struct ntsec_sid_and_attributes *entries;
    struct ntsec_sid *sids;
    size_t count;
    size_t capacity;
};

static bool list_has(const struct group_list *l, const struct ntsec_sid *sid)
{
    for (size_t i = 0; i < l->count; i++)
        if (ntsec_sid_equal(l->entries[i].sid, sid))
            return true;
    return false;
}

/* Append a group unless it is there already (the world may map a gid to a
 * well-known group, and getgroups() may repeat the egid). */
static void list_add(struct group_list *l, const struct ntsec_sid *user,
                     const struct ntsec_sid *sid, uint32_t attributes)
{
    if (l->count == l->capacity || ntsec_sid_equal(sid, user) || list_has(l, sid))
        return;
    l->sids[l->count] = *sid;
    l->entries[l->count].sid = &l->sids[l->count];
    l->entries[l->count].attributes = attributes;
    l->count++;
}

/* The default DACL: GENERIC_ALL for the token's default owner and for
 * SYSTEM, as Windows' logon tokens carry (an elevated administrator's
 * names BUILTIN\Administrators, its owner, instead of the user). */
static ntsec_status build_dacl(struct ntsec_acl *acl, uint32_t size,
                               const struct ntsec_sid *owner, const struct ntsec_sid *system)
{
    ntsec_status st = ntsec_acl_init(acl, size, NTSEC_ACL_REVISION);

    if (ntsec_success(st))
        st = ntsec_acl_add_access_ace(acl, NTSEC_ACL_REVISION, NTSEC_ACE_ACCESS_ALLOWED, 0,
                                      NTSEC_GENERIC_ALL, owner);
    if (ntsec_success(st))
        st = ntsec_acl_add_access_ace(acl, NTSEC_ACL_REVISION, NTSEC_ACE_ACCESS_ALLOWED, 0,
                                      NTSEC_GENERIC_ALL, system);
    return st;
}

ntsec_status ntsec__unixcred_token_for(const struct ntsec__unixcred *cred,
                                       struct ntsec_token **out)
{
    struct ntsec_luid_and_attributes privs[TABLE_LEN];
    _Alignas(4) uint8_t dacl_buf[sizeof(struct ntsec_acl) + 2 * (8 + NTSEC_SID_MAX_LENGTH)];
    struct ntsec_acl *dacl = (struct ntsec_acl *)dacl_buf;
    struct ntsec_sid user, admins, system, group, label;
    struct ntsec_token_desc desc;
    struct group_list groups;
    struct ntsec_luid logon;
    uint64_t granted;
    size_t privilege_count = 0;
    bool root;
    ntsec_status st;
    void *block;

    if (!cred || !out || (cred->group_count && !cred->groups))
        return NTSEC_STATUS_INVALID_PARAMETER;
    root = cred->uid == 0;

    ntsec_unixcred_uid_sid(cred->uid, &user);
    ntsec_sid_init(&admins, 5, 2, admins_sub);
    ntsec_sid_init(&system, 5, 1, system_sub);
    {
        uint32_t rid = root ? NTSEC_MANDATORY_HIGH : NTSEC_MANDATORY_MEDIUM;
        ntsec_sid_init(&label, 16, 1, &rid);
    }
    st = build_dacl(dacl, (uint32_t)(sizeof(struct ntsec_acl) + 16 +
                                     ntsec_sid_length(root ? &admins : &user) +
                                     ntsec_sid_length(&system)),
                    root ? &admins : &user, &system);
    if (!ntsec_success(st))
        return st;

    /* Logon groups, Administrators, the logon SID, the egid, each
     * supplementary gid, the label. */
    groups.capacity = LOGON_GROUP_COUNT + 4 + cred->group_count;
    block = ntsec__alloc(groups.capacity * (sizeof(*groups.entries) + sizeof(*groups.sids)));
    if (!block)
        return NTSEC_STATUS_NO_MEMORY;
    groups.entries = block;
    groups.sids = (struct ntsec_sid *)(groups.entries + groups.capacity);
    groups.count = 0;

    /* The logon session: a new LUID for every identity, root included
     * (SYSTEM's 0x3e7 belongs to S-1-5-18, which root is not; Windows
     * gives an elevated administrator a logon session of its own). The
     * logon SID is S-1-5-5-X-Y from it ("Well-known SIDs": "a logon
     * session ... SECURITY_LOGON_IDS_RID"). */
    logon = ntsec_luid_allocate();
    for (size_t i = 0; i < LOGON_GROUP_COUNT; i++) {
        ntsec_sid_init(&group, logon_groups[i].authority, logon_groups[i].count,
                       logon_groups[i].sub);
        list_add(&groups, &user, &group, GROUP_ON);
        if (i == 0 && root)
            list_add(&groups, &user, &admins, GROUP_ON | NTSEC_SE_GROUP_OWNER);
    }
    {
        uint32_t subs[3] = { 5, (uint32_t)logon.high, logon.low };
        ntsec_sid_init(&group, 5, 3, subs);
        list_add(&groups, &user, &group, GROUP_ON | NTSEC_SE_GROUP_LOGON_ID);
    }
    ntsec_unixcred_gid_sid(cred->gid, &group);
    list_add(&groups, &user, &group, GROUP_ON);
    for (size_t i = 0; i < cred->group_count; i++) {
        ntsec_unixcred_gid_sid(cred->groups[i], &group);
        list_add(&groups, &user, &group, GROUP_ON);
    }
    list_add(&groups, &user, &label, NTSEC_SE_GROUP_INTEGRITY | NTSEC_SE_GROUP_INTEGRITY_ENABLED);

    granted = ntsec_unixcred_privileges(cred->caps);
    for (size_t i = 0; i < TABLE_LEN; i++) {
        if (!(granted & (UINT64_C(1) << cap_privileges[i].privilege)))
            continue;
        privs[privilege_count].luid = ntsec_privilege_luid(cap_privileges[i].privilege);
        privs[privilege_count].attributes =
            cap_privileges[i].enabled_by_default
                ? NTSEC_SE_PRIVILEGE_ENABLED | NTSEC_SE_PRIVILEGE_ENABLED_BY_DEFAULT : 0;
        privilege_count++;
    }

    ntsec_unixcred_gid_sid(cred->gid, &group);
    memset(&desc, 0, sizeof(desc));
    desc.type = NTSEC_TOKEN_PRIMARY;
    desc.user.sid = &user;
    desc.groups = groups.entries;
    desc.group_count = groups.count;
    desc.privileges = privs;
    desc.privilege_count = privilege_count;
    desc.owner = root ? &admins : &user;
    /* The egid's group, or the user when the world maps the egid onto the
     * user's own SID (list_add left it out). */
    desc.primary_group = list_has(&groups, &group) ? &group : &user;
    desc.default_dacl = dacl;
    memcpy(desc.source.name, source_name, sizeof(source_name));
    desc.source.id = ntsec_luid_allocate();
    desc.authentication_id = logon;
    /* Session 1: since Vista interactive logons run outside session 0,
     * which is kept for services ("Session 0 Isolation", Microsoft docs). */
    desc.session_id = 1;
    desc.elevation_type = NTSEC_ELEVATION_DEFAULT;

    st = ntsec_token_create(&desc, out);
    ntsec__free(block);
    return st;
}

/* --- the calling thread's credentials ------------------------------------ */

/* The effective capability set, bit n = CAP n. Capabilities are per thread
 * on Linux; libcap's cap_get_proc() reads the calling thread's. */
static ntsec_status read_caps(uint64_t *out)
{
    cap_t c = cap_get_proc();
    uint64_t caps = 0;
    cap_value_t max;

    if (!c)
        return errno == ENOMEM ? NTSEC_STATUS_NO_MEMORY : NTSEC_STATUS_UNSUCCESSFUL;
    max = cap_max_bits();
    for (cap_value_t v = 0; v < max && v < 64; v++) {
        cap_flag_value_t on = CAP_CLEAR;

        if (cap_get_flag(c, v, CAP_EFFECTIVE, &on) == 0 && on == CAP_SET)
            caps |= CAPBIT(v);
    }
    cap_free(c);
    *out = caps;
    return NTSEC_STATUS_SUCCESS;
}

/* The supplementary groups, in a block from ntsec__alloc (NULL with
 * *count 0 when there are none). A group added between the two calls
 * makes the second fail with EINVAL: ask again. */
static ntsec_status read_groups(gid_t **out, size_t *count)
{
    for (;;) {
        int n = getgroups(0, NULL);
        gid_t *list;
        int got;

        if (n < 0)
            return NTSEC_STATUS_UNSUCCESSFUL;
        if (n == 0) {
            *out = NULL;
            *count = 0;
            return NTSEC_STATUS_SUCCESS;
        }
        list = ntsec__alloc((size_t)n * sizeof(*list));
        if (!list)
            return NTSEC_STATUS_NO_MEMORY;
        got = getgroups(n, list);
        if (got >= 0) {
            *out = list;
            *count = (size_t)got;
            return NTSEC_STATUS_SUCCESS;
        }
        ntsec__free(list);
        if (errno != EINVAL)
            return NTSEC_STATUS_UNSUCCESSFUL;
    }
}

/* The effective uid and gid decide, as they decide the kernel's own
 * permission checks (credentials(7)): a set-user-ID program runs as its
 * owner on Linux, and its token says so too. */
ntsec_status ntsec_unixcred_token(struct ntsec_token **out)
{
    struct ntsec__unixcred cred;
    gid_t *groups = NULL;
    size_t count = 0;
    ntsec_status st;

    if (!out)
        return NTSEC_STATUS_INVALID_PARAMETER;
    memset(&cred, 0, sizeof(cred));
    st = read_caps(&cred.caps);
    if (ntsec_success(st))
        st = read_groups(&groups, &count);
    if (!ntsec_success(st))
        return st;
    cred.uid = geteuid();
    cred.gid = getegid();
    cred.groups = groups;
    cred.group_count = count;
    st = ntsec__unixcred_token_for(&cred, out);
    ntsec__free(groups);
    return st;
}
