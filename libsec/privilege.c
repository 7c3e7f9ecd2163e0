/* privilege.c - the well-known privileges: LUID <-> name <-> display name
 * (LookupPrivilegeName, LookupPrivilegeValue, LookupPrivilegeDisplayName).
 *
 * LUIDs are Windows' fixed values, HighPart 0, LowPart 2..36 (winnt.h
 * SE_MIN_WELL_KNOWN_PRIVILEGE .. SE_MAX_WELL_KNOWN_PRIVILEGE; wdm.h
 * SE_*_PRIVILEGE). Names are the SE_*_NAME strings ("Privilege Constants",
 * Microsoft docs). Display names are what LookupPrivilegeDisplayName
 * returns on an English Windows, the "Description" column of
 * `whoami /priv`: they differ from the docs' "User Right" wording in small
 * ways ("Replace a process level token", no hyphen; SeDelegateSession...
 * shows "Obtain an impersonation token for another user in the same
 * session", not "Impersonate other users"). */
#include <stddef.h>

#include "privilege_table.h"

/* Indexed by LowPart - NTSEC_SE_MIN_PRIVILEGE: entry i is LUID i + 2. */
static const struct ntsec__privilege privileges[] = {
    { 2,  "SeCreateTokenPrivilege", "Create a token object" },
    { 3,  "SeAssignPrimaryTokenPrivilege", "Replace a process level token" },
    { 4,  "SeLockMemoryPrivilege", "Lock pages in memory" },
    { 5,  "SeIncreaseQuotaPrivilege", "Adjust memory quotas for a process" },
    { 6,  "SeMachineAccountPrivilege", "Add workstations to domain" },
    { 7,  "SeTcbPrivilege", "Act as part of the operating system" },
    { 8,  "SeSecurityPrivilege", "Manage auditing and security log" },
    { 9,  "SeTakeOwnershipPrivilege", "Take ownership of files or other objects" },
    { 10, "SeLoadDriverPrivilege", "Load and unload device drivers" },
    { 11, "SeSystemProfilePrivilege", "Profile system performance" },
    { 12, "SeSystemtimePrivilege", "Change the system time" },
    { 13, "SeProfileSingleProcessPrivilege", "Profile single process" },
    { 14, "SeIncreaseBasePriorityPrivilege", "Increase scheduling priority" },
    { 15, "SeCreatePagefilePrivilege", "Create a pagefile" },
    { 16, "SeCreatePermanentPrivilege", "Create permanent shared objects" },
    { 17, "SeBackupPrivilege", "Back up files and directories" },
    { 18, "SeRestorePrivilege", "Restore files and directories" },
    { 19, "SeShutdownPrivilege", "Shut down the system" },
    { 20, "SeDebugPrivilege", "Debug programs" },
    { 21, "SeAuditPrivilege", "Generate security audits" },
    { 22, "SeSystemEnvironmentPrivilege", "Modify firmware environment values" },
    { 23, "SeChangeNotifyPrivilege", "Bypass traverse checking" },
    { 24, "SeRemoteShutdownPrivilege", "Force shutdown from a remote system" },
    { 25, "SeUndockPrivilege", "Remove computer from docking station" },
    { 26, "SeSyncAgentPrivilege", "Synchronize directory service data" },
    { 27, "SeEnableDelegationPrivilege",
      "Enable computer and user accounts to be trusted for delegation" },
    { 28, "SeManageVolumePrivilege", "Perform volume maintenance tasks" },
    { 29, "SeImpersonatePrivilege", "Impersonate a client after authentication" },
    { 30, "SeCreateGlobalPrivilege", "Create global objects" },
    { 31, "SeTrustedCredManAccessPrivilege", "Access Credential Manager as a trusted caller" },
    { 32, "SeRelabelPrivilege", "Modify an object label" },
    { 33, "SeIncreaseWorkingSetPrivilege", "Increase a process working set" },
    { 34, "SeTimeZonePrivilege", "Change the time zone" },
    { 35, "SeCreateSymbolicLinkPrivilege", "Create symbolic links" },
    { 36, "SeDelegateSessionUserImpersonatePrivilege",
      "Obtain an impersonation token for another user in the same session" },
};

#define N_PRIVS (sizeof(privileges) / sizeof(privileges[0]))

_Static_assert(N_PRIVS == NTSEC_SE_MAX_PRIVILEGE - NTSEC_SE_MIN_PRIVILEGE + 1,
               "one entry per well-known privilege");

const struct ntsec__privilege *ntsec__privilege_table(size_t *count)
{
    *count = N_PRIVS;
    return privileges;
}

const struct ntsec__privilege *ntsec__privilege_find(struct ntsec_luid luid)
{
    if (luid.high != 0 || luid.low < NTSEC_SE_MIN_PRIVILEGE || luid.low > NTSEC_SE_MAX_PRIVILEGE)
        return NULL;
    return &privileges[luid.low - NTSEC_SE_MIN_PRIVILEGE];
}

const char *ntsec_privilege_name(struct ntsec_luid luid)
{
    const struct ntsec__privilege *p = ntsec__privilege_find(luid);

    return p ? p->name : NULL;
}

const char *ntsec_privilege_display_name(struct ntsec_luid luid)
{
    const struct ntsec__privilege *p = ntsec__privilege_find(luid);

    return p ? p->display : NULL;
}

/* ASCII case folding only: every privilege name is ASCII, and a non-ASCII
 * byte can never match one. */
static int fold(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static bool name_equal(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (fold((unsigned char)*a) != fold((unsigned char)*b))
            return false;
    return *a == *b;
}

/* LookupPrivilegeValue compares names without regard to case, and fails
 * with ERROR_NO_SUCH_PRIVILEGE for an unknown name and for a NULL one
 * (Windows results asserted by Wine's dlls/advapi32/tests/security.c,
 * test_lookupPrivilegeValue: "sEcREATEtOKENpRIVILEGE" succeeds, NULL and
 * "SeBogusPrivilege" give ERROR_NO_SUCH_PRIVILEGE). */
ntsec_status ntsec_privilege_lookup(const char *name, struct ntsec_luid *luid)
{
    if (!luid)
        return NTSEC_STATUS_INVALID_PARAMETER;
    if (!name)
        return NTSEC_STATUS_NO_SUCH_PRIVILEGE;
    for (size_t i = 0; i < N_PRIVS; i++)
        if (name_equal(name, privileges[i].name)) {
            luid->low = privileges[i].low;
            luid->high = 0;
            return NTSEC_STATUS_SUCCESS;
        }
    return NTSEC_STATUS_NO_SUCH_PRIVILEGE;
}
