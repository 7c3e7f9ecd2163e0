/* ntsec/privilege.h - privileges: LUIDs, names, privilege sets.
 *
 * Windows' privileges are LUIDs with HighPart 0 and LowPart from
 * SE_MIN_WELL_KNOWN_PRIVILEGE (2, SeCreateTokenPrivilege) to
 * SE_MAX_WELL_KNOWN_PRIVILEGE (36, SeDelegateSessionUserImpersonatePrivilege)
 * (winnt.h; "Privilege Constants", Microsoft docs). */
#ifndef NTSEC_PRIVILEGE_H
#define NTSEC_PRIVILEGE_H

#include <stdbool.h>
#include <stdint.h>

#include "ntsec/status.h"

struct ntsec_luid {                 /* LUID */
    uint32_t low;
    int32_t  high;
};

struct ntsec_luid_and_attributes {  /* LUID_AND_ATTRIBUTES: 12 bytes */
    struct ntsec_luid luid;
    uint32_t attributes;
};

/* PRIVILEGE_SET: a count, a control word and the privileges. */
struct ntsec_privilege_set {
    uint32_t count;
    uint32_t control;               /* NTSEC_PRIVILEGE_SET_ALL_NECESSARY or 0 */
    struct ntsec_luid_and_attributes privileges[];
};
#define NTSEC_PRIVILEGE_SET_ALL_NECESSARY 1

#define NTSEC_SE_PRIVILEGE_ENABLED_BY_DEFAULT 0x00000001u
#define NTSEC_SE_PRIVILEGE_ENABLED            0x00000002u
#define NTSEC_SE_PRIVILEGE_REMOVED            0x00000004u
#define NTSEC_SE_PRIVILEGE_USED_FOR_ACCESS    0x80000000u

enum ntsec_privilege {
    NTSEC_SE_CREATE_TOKEN_PRIVILEGE = 2,
    NTSEC_SE_ASSIGNPRIMARYTOKEN_PRIVILEGE = 3,
    NTSEC_SE_LOCK_MEMORY_PRIVILEGE = 4,
    NTSEC_SE_INCREASE_QUOTA_PRIVILEGE = 5,
    NTSEC_SE_MACHINE_ACCOUNT_PRIVILEGE = 6,
    NTSEC_SE_TCB_PRIVILEGE = 7,
    NTSEC_SE_SECURITY_PRIVILEGE = 8,
    NTSEC_SE_TAKE_OWNERSHIP_PRIVILEGE = 9,
    NTSEC_SE_LOAD_DRIVER_PRIVILEGE = 10,
    NTSEC_SE_SYSTEM_PROFILE_PRIVILEGE = 11,
    NTSEC_SE_SYSTEMTIME_PRIVILEGE = 12,
    NTSEC_SE_PROF_SINGLE_PROCESS_PRIVILEGE = 13,
    NTSEC_SE_INC_BASE_PRIORITY_PRIVILEGE = 14,
    NTSEC_SE_CREATE_PAGEFILE_PRIVILEGE = 15,
    NTSEC_SE_CREATE_PERMANENT_PRIVILEGE = 16,
    NTSEC_SE_BACKUP_PRIVILEGE = 17,
    NTSEC_SE_RESTORE_PRIVILEGE = 18,
    NTSEC_SE_SHUTDOWN_PRIVILEGE = 19,
    NTSEC_SE_DEBUG_PRIVILEGE = 20,
    NTSEC_SE_AUDIT_PRIVILEGE = 21,
    NTSEC_SE_SYSTEM_ENVIRONMENT_PRIVILEGE = 22,
    NTSEC_SE_CHANGE_NOTIFY_PRIVILEGE = 23,
    NTSEC_SE_REMOTE_SHUTDOWN_PRIVILEGE = 24,
    NTSEC_SE_UNDOCK_PRIVILEGE = 25,
    NTSEC_SE_SYNC_AGENT_PRIVILEGE = 26,
    NTSEC_SE_ENABLE_DELEGATION_PRIVILEGE = 27,
    NTSEC_SE_MANAGE_VOLUME_PRIVILEGE = 28,
    NTSEC_SE_IMPERSONATE_PRIVILEGE = 29,
    NTSEC_SE_CREATE_GLOBAL_PRIVILEGE = 30,
    NTSEC_SE_TRUSTED_CREDMAN_ACCESS_PRIVILEGE = 31,
    NTSEC_SE_RELABEL_PRIVILEGE = 32,
    NTSEC_SE_INC_WORKING_SET_PRIVILEGE = 33,
    NTSEC_SE_TIME_ZONE_PRIVILEGE = 34,
    NTSEC_SE_CREATE_SYMBOLIC_LINK_PRIVILEGE = 35,
    NTSEC_SE_DELEGATE_SESSION_USER_IMPERSONATE_PRIVILEGE = 36,
};
#define NTSEC_SE_MIN_PRIVILEGE 2
#define NTSEC_SE_MAX_PRIVILEGE 36

/* "SeImpersonatePrivilege" for 29; NULL for a LUID that names no privilege. */
const char *ntsec_privilege_name(struct ntsec_luid luid);

/* The display name LookupPrivilegeDisplayName gives in English
 * ("Impersonate a client after authentication"); NULL when unknown. */
const char *ntsec_privilege_display_name(struct ntsec_luid luid);

/* LookupPrivilegeValue: the LUID of a privilege name, compared without
 * regard to case as Windows does. NTSEC_STATUS_NO_SUCH_PRIVILEGE when
 * unknown or NULL (as Windows); NTSEC_STATUS_INVALID_PARAMETER for a NULL
 * luid. */
ntsec_status ntsec_privilege_lookup(const char *name, struct ntsec_luid *luid);

/* Fill `set` (room for popcount(used) entries) with the privileges in
 * `used` (bit n: LUID n) as an access check reports the privileges that
 * granted something: each marked SE_PRIVILEGE_USED_FOR_ACCESS, Control 0,
 * SeTakeOwnershipPrivilege before SeSecurityPrivilege, then the others by
 * LUID (the order SeAccessCheck and NtAccessCheck list them in). */
void ntsec_privilege_set_from_mask(uint64_t used, struct ntsec_privilege_set *set);

static inline struct ntsec_luid ntsec_privilege_luid(enum ntsec_privilege p)
{
    struct ntsec_luid l = { (uint32_t)p, 0 };
    return l;
}

#endif
