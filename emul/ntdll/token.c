/* token.c - ntdll's token objects: opening a process' or a thread's
 * token (NtOpenProcessToken(Ex), NtOpenThreadToken(Ex)), making new ones
 * (NtDuplicateToken, NtFilterToken, NtCreateToken) and comparing two
 * (NtCompareTokens), over libsec's token and handle API.
 *
 * Where Windows would fault on a bad output pointer these return
 * STATUS_ACCESS_VIOLATION before anything else (docs/abi.md, "Bad
 * pointers"). */
#include <string.h>

#include "../handle.h"

/* Access a handle needs (Microsoft docs): OpenProcessToken, "The handle
 * must have the PROCESS_QUERY_LIMITED_INFORMATION access permission";
 * NtOpenThreadTokenEx, "The handle must have THREAD_QUERY_INFORMATION
 * access"; NtDuplicateToken and NtFilterToken, TOKEN_DUPLICATE
 * (DuplicateTokenEx, CreateRestrictedToken: "must have TOKEN_DUPLICATE
 * access"); NtCompareTokens, TOKEN_QUERY on both. */
#define OPEN_PROCESS_NEEDS PROCESS_QUERY_LIMITED_INFORMATION
#define OPEN_THREAD_NEEDS  THREAD_QUERY_INFORMATION
#define DUPLICATE_NEEDS    TOKEN_DUPLICATE
#define COMPARE_NEEDS      TOKEN_QUERY

NTSTATUS WINAPI NtOpenProcessTokenEx(HANDLE process, DWORD access, DWORD attributes, HANDLE *token)
{
    void *p;
    NTSTATUS st;

    if (!token)
        return STATUS_ACCESS_VIOLATION;
    st = emul__object_ref(process, NTSEC_OBJECT_PROCESS, OPEN_PROCESS_NEEDS, &p);
    if (!NT_SUCCESS(st))
        return st;
    {
        struct ntsec_token *t = ntsec_process_token(p);

        ntsec_object_put(p);
        /* The token's own security descriptor decides the access, checked
         * with the caller's effective token (OpenProcessToken, Microsoft
         * docs: "reconciled against the token's DACL"). */
        return emul__token_handle(t, access, 0, attributes, token);
    }
}

NTSTATUS WINAPI NtOpenProcessToken(HANDLE process, DWORD access, HANDLE *token)
{
    return NtOpenProcessTokenEx(process, access, 0, token);
}

/* A token's user SID, read into `buf` (a TOKEN_USER and its SID). */
static const struct ntsec_sid *token_user(const struct ntsec_token *t, void *buf, uint32_t size)
{
    uint32_t need;

    if (!NT_SUCCESS(ntsec_token_query(t, NTSEC_TOKEN_USER, buf, size, &need)))
        return NULL;
    return emul__sid(((TOKEN_USER *)buf)->User.Sid);
}

/* The private copy a CopyOnOpen open makes gets a DACL of its own, so that
 * both the client it stands for and the server thread's process can open
 * it: TOKEN_ALL_ACCESS (the token's GENERIC_ALL) for the token's user, the
 * user of the thread's process, BUILTIN\Administrators and SYSTEM, and
 * RESTRICTED when either token is restricted (ReactOS
 * ntoskrnl/se/acl.c SepCreateImpersonationTokenDacl, used by its
 * NtOpenThreadTokenEx; behaviour only). Without it a server impersonating
 * a client of another user at SecurityIdentification could not open its
 * thread token with OpenAsSelf, which is what OpenAsSelf is for
 * (NtOpenThreadTokenEx, Microsoft docs, Remarks). */
static NTSTATUS give_copy_dacl(struct ntsec_token *copy, struct ntsec_token *process_token)
{
    static const uint32_t system_rid = 18, admins_rids[2] = { 32, 544 }, restricted_rid = 12;
    /* A union, not BYTE[2][84]: the second TOKEN_USER must be aligned too. */
    union { TOKEN_USER user; BYTE bytes[sizeof(TOKEN_USER) + SECURITY_MAX_SID_SIZE]; } users[2];
    _Alignas(8) BYTE dacl_bytes[sizeof(ACL) +
                                5 * (sizeof(ACCESS_ALLOWED_ACE) + SECURITY_MAX_SID_SIZE)];
    struct ntsec_sid system, admins, restricted;
    struct ntsec_acl *dacl = (struct ntsec_acl *)dacl_bytes;
    struct ntsec_sd_absolute sd;
    const struct ntsec_sid *grantees[5] = {
        token_user(copy, &users[0], sizeof(users[0])),
        token_user(process_token, &users[1], sizeof(users[1])),
        &admins, &system, &restricted,
    };
    size_t count = 4 + (ntsec_token_is_restricted(copy) ||
                        ntsec_token_is_restricted(process_token));
    NTSTATUS st;

    if (!grantees[0] || !grantees[1])
        return STATUS_NO_MEMORY;
    ntsec_sid_init(&system, 5, 1, &system_rid);
    ntsec_sid_init(&admins, 5, 2, admins_rids);
    ntsec_sid_init(&restricted, 5, 1, &restricted_rid);
    st = ntsec_acl_init(dacl, sizeof(dacl_bytes), NTSEC_ACL_REVISION);
    for (size_t i = 0; NT_SUCCESS(st) && i < count; i++)
        st = ntsec_acl_add_access_ace(dacl, NTSEC_ACL_REVISION, NTSEC_ACE_ACCESS_ALLOWED, 0,
                                      TOKEN_ALL_ACCESS, grantees[i]);
    if (NT_SUCCESS(st))
        st = ntsec_sd_init(&sd, NTSEC_SD_REVISION);
    if (NT_SUCCESS(st))
        st = ntsec_sd_set_dacl(&sd, true, dacl, false);
    if (NT_SUCCESS(st))
        st = ntsec_object_set_security(copy, DACL_SECURITY_INFORMATION, &sd, process_token);
    return st;
}

/* CopyOnOpen: a duplicate at the thread's level with the thread's
 * EffectiveOnly (ddi-notes.md §7; ReactOS NtOpenThreadTokenEx), with the
 * DACL above. Consumes the reference on `imp`; a new reference in *out. */
static NTSTATUS private_copy(struct ntsec_token *imp, enum ntsec_impersonation_level level,
                             bool effective_only, struct ntsec_thread *thread,
                             struct ntsec_token **out)
{
    struct ntsec_token_dup how = { NTSEC_TOKEN_IMPERSONATION, level, effective_only };
    struct ntsec_token *process_token = ntsec_process_token(ntsec_thread_process(thread));
    struct ntsec_token *copy = NULL;
    NTSTATUS st = ntsec_token_duplicate(imp, &how, &copy);

    ntsec_token_put(imp);
    if (NT_SUCCESS(st))
        st = give_copy_dacl(copy, process_token);
    ntsec_token_put(process_token);
    if (!NT_SUCCESS(st)) {
        ntsec_token_put(copy);
        return st;
    }
    *out = copy;
    return STATUS_SUCCESS;
}

/* Windows' order (Microsoft docs, NtOpenThreadTokenEx, Return value; Wine's
 * dlls/advapi32/tests/security.c test_token_attr asserts ERROR_NO_TOKEN on
 * Windows for a thread that does not impersonate, and
 * test_impersonation_level ERROR_CANT_OPEN_ANONYMOUS for one that
 * impersonates at SecurityAnonymous, even with OpenAsSelf): the thread
 * handle is checked (STATUS_INVALID_HANDLE, STATUS_OBJECT_TYPE_MISMATCH,
 * STATUS_ACCESS_DENIED), then a thread without an impersonation token is
 * STATUS_NO_TOKEN and an anonymous one STATUS_CANT_OPEN_ANONYMOUS, both
 * before any access check on the token. The thread handle needs
 * THREAD_QUERY_INFORMATION, the access the documentation names (the
 * project's notes report THREAD_QUERY_LIMITED_INFORMATION from a source
 * the project does not accept; docs/notes/reference-review.md A.4). A
 * thread that impersonates with CopyOnOpen (an anonymous-logon or
 * NtImpersonateThread token shared with another thread) gives a private
 * copy, so that the caller cannot change the other thread's token (Windows
 * Internals, "Impersonation"; ReactOS NtOpenThreadTokenEx does the same).
 *
 * OpenAsSelf: the open of the token is checked against the process'
 * primary token instead of the impersonation token ("OpenAsSelf ... TRUE
 * if the access check is to be made against the process-level security
 * context", Microsoft docs, OpenThreadToken / NtOpenThreadTokenEx), so a
 * thread impersonating at Identification level, which cannot open objects
 * as its client (STATUS_BAD_IMPERSONATION_LEVEL), can open its token as
 * itself. */
NTSTATUS WINAPI NtOpenThreadTokenEx(HANDLE thread, DWORD access, BOOLEAN as_self, DWORD attributes,
                                    HANDLE *token)
{
    enum ntsec_impersonation_level level = NTSEC_SECURITY_ANONYMOUS;
    bool copy_on_open = false, effective_only = false;
    struct ntsec_token *imp;
    void *t;
    NTSTATUS st;

    if (!token)
        return STATUS_ACCESS_VIOLATION;
    st = emul__object_ref(thread, NTSEC_OBJECT_THREAD, OPEN_THREAD_NEEDS, &t);
    if (!NT_SUCCESS(st))
        return st;
    imp = ntsec_thread_impersonation(t, &level, &copy_on_open, &effective_only);
    if (!imp) {
        st = STATUS_NO_TOKEN;
    } else if (level == NTSEC_SECURITY_ANONYMOUS) {
        ntsec_token_put(imp);
        st = STATUS_CANT_OPEN_ANONYMOUS;
    } else if (copy_on_open) {
        st = private_copy(imp, level, effective_only, t, &imp);
    }
    ntsec_object_put(t);
    if (!NT_SUCCESS(st))
        return st;
    if (as_self) {
        ntsec_handle h = 0;

        st = ntsec_object_open_as_self(imp, access, attributes, &h);
        ntsec_token_put(imp);
        if (NT_SUCCESS(st))
            *token = emul__to_handle(h);
        return st;
    }
    return emul__token_handle(imp, access, 0, attributes, token);
}

NTSTATUS WINAPI NtOpenThreadToken(HANDLE thread, DWORD access, BOOLEAN as_self, HANDLE *token)
{
    return NtOpenThreadTokenEx(thread, access, as_self, 0, token);
}

/* The level of a new impersonation token is the SQOS's, SecurityAnonymous
 * without one (Microsoft docs, NtDuplicateToken, ObjectAttributes). A
 * DesiredAccess of 0 gives the new handle the source handle's access
 * (DuplicateTokenEx, Microsoft docs: "To request the same access rights as
 * the existing token, specify zero"). */
NTSTATUS WINAPI NtDuplicateToken(HANDLE existing, ACCESS_MASK access, POBJECT_ATTRIBUTES attr,
                                 BOOLEAN effective_only, TOKEN_TYPE type, PHANDLE out)
{
    const SECURITY_QUALITY_OF_SERVICE *qos = attr ? attr->SecurityQualityOfService : NULL;
    struct ntsec_token_dup how = {
        .type = (enum ntsec_token_type)type,
        .level = qos ? (enum ntsec_impersonation_level)qos->ImpersonationLevel
                     : NTSEC_SECURITY_ANONYMOUS,
        .effective_only = effective_only != FALSE,
    };
    struct ntsec_token *src, *dup;
    ACCESS_MASK granted;
    NTSTATUS st;

    if (!out)
        return STATUS_ACCESS_VIOLATION;
    st = emul__token_ref(existing, DUPLICATE_NEEDS, &src, &granted);
    if (!NT_SUCCESS(st))
        return st;
    st = ntsec_token_duplicate(src, &how, &dup);
    ntsec_token_put(src);
    if (!NT_SUCCESS(st))
        return st;
    return emul__token_handle(dup, access, granted, attr ? attr->Attributes : 0, out);
}

/* The flags have NTSEC_FILTER_*'s values. */
_Static_assert(DISABLE_MAX_PRIVILEGE == NTSEC_FILTER_DISABLE_MAX_PRIVILEGE, "flags");
_Static_assert(SANDBOX_INERT == NTSEC_FILTER_SANDBOX_INERT, "flags");
_Static_assert(LUA_TOKEN == NTSEC_FILTER_LUA_TOKEN, "flags");
_Static_assert(WRITE_RESTRICTED == NTSEC_FILTER_WRITE_RESTRICTED, "flags");

NTSTATUS WINAPI NtFilterToken(HANDLE existing, ULONG flags, TOKEN_GROUPS *disable,
                              TOKEN_PRIVILEGES *delete, TOKEN_GROUPS *restrict_sids, HANDLE *out)
{
    struct ntsec_token_filter filter = {
        .flags = flags,
        .sids_to_disable = disable ? emul__sa(disable->Groups) : NULL,
        .disable_count = disable ? disable->GroupCount : 0,
        .privileges_to_delete = delete ? emul__la(delete->Privileges) : NULL,
        .delete_count = delete ? delete->PrivilegeCount : 0,
        .restricted_sids = restrict_sids ? emul__sa(restrict_sids->Groups) : NULL,
        .restricted_count = restrict_sids ? restrict_sids->GroupCount : 0,
    };

    return emul__filter_token(existing, &filter, out);
}

/* NtCreateToken needs SeCreateTokenPrivilege enabled in the caller's
 * effective token (Microsoft docs, "Privilege Constants",
 * SE_CREATE_TOKEN_NAME: "Required to create a primary token"; ReactOS
 * NtCreateToken checks it before reading the arguments) and checks the
 * rest as libsec's ntsec_token_create does. The impersonation level comes
 * from the SQOS, as for NtDuplicateToken. */
NTSTATUS WINAPI NtCreateToken(PHANDLE out, ACCESS_MASK access, POBJECT_ATTRIBUTES attr,
                              TOKEN_TYPE type, PLUID auth_id, PLARGE_INTEGER expiration,
                              PTOKEN_USER user, PTOKEN_GROUPS groups, PTOKEN_PRIVILEGES privileges,
                              PTOKEN_OWNER owner, PTOKEN_PRIMARY_GROUP group,
                              PTOKEN_DEFAULT_DACL dacl, PTOKEN_SOURCE source)
{
    const SECURITY_QUALITY_OF_SERVICE *qos = attr ? attr->SecurityQualityOfService : NULL;
    struct ntsec_token *caller = ntsec_thread_effective_token(), *t;
    struct ntsec_token_desc d = { 0 };
    bool held;
    NTSTATUS st;

    if (!caller)
        return STATUS_NO_MEMORY;
    held = ntsec_token_privilege_enabled(caller, ntsec_privilege_luid(NTSEC_SE_CREATE_TOKEN_PRIVILEGE));
    ntsec_token_put(caller);
    if (!held)
        return STATUS_PRIVILEGE_NOT_HELD;
    if (!out || !auth_id || !user || !groups || !privileges || !group || !source)
        return STATUS_ACCESS_VIOLATION;
    d.type = (enum ntsec_token_type)type;
    d.level = qos ? (enum ntsec_impersonation_level)qos->ImpersonationLevel
                  : NTSEC_SECURITY_ANONYMOUS;
    d.user = *emul__sa(&user->User);
    d.groups = emul__sa(groups->Groups);
    d.group_count = groups->GroupCount;
    d.privileges = emul__la(privileges->Privileges);
    d.privilege_count = privileges->PrivilegeCount;
    d.owner = owner ? emul__sid(owner->Owner) : NULL;
    d.primary_group = emul__sid(group->PrimaryGroup);
    d.default_dacl = dacl ? (const struct ntsec_acl *)dacl->DefaultDacl : NULL;
    memcpy(d.source.name, source->SourceName, sizeof(d.source.name));
    d.source.id = (struct ntsec_luid){ source->SourceIdentifier.LowPart,
                                       source->SourceIdentifier.HighPart };
    d.authentication_id = (struct ntsec_luid){ auth_id->LowPart, auth_id->HighPart };
    /* Windows' "never" is 0x7fffffffffffffff; libsec's is 0. */
    if (expiration && expiration->QuadPart != INT64_MAX)
        d.expiration_time = expiration->QuadPart;
    st = ntsec_token_create(&d, &t);
    if (!NT_SUCCESS(st))
        return st;
    return emul__token_handle(t, access, 0, attr ? attr->Attributes : 0, out);
}

/* Equal when both have the same SIDs and privileges, whatever their
 * attributes (Microsoft docs, NtCompareTokens). */
NTSTATUS WINAPI NtCompareTokens(HANDLE first, HANDLE second, PBOOLEAN equal)
{
    struct ntsec_token *a, *b;
    NTSTATUS st;

    if (!equal)
        return STATUS_ACCESS_VIOLATION;
    st = emul__token_ref(first, COMPARE_NEEDS, &a, NULL);
    if (!NT_SUCCESS(st))
        return st;
    st = emul__token_ref(second, COMPARE_NEEDS, &b, NULL);
    if (!NT_SUCCESS(st)) {
        ntsec_token_put(a);
        return st;
    }
    *equal = ntsec_token_equal(a, b);
    ntsec_token_put(a);
    ntsec_token_put(b);
    return STATUS_SUCCESS;
}
