/* access.c - ntdll's access checks for a client token: NtAccessCheck,
 * NtAccessCheckByType, NtAccessCheckByTypeResultList (one core), and
 * NtPrivilegeCheck, over libsec's engine (include/ntsec/access.h).
 *
 * The engine decides the access; this adapter adds what only the system
 * call has: the token handle, and the caller's PRIVILEGE_SET buffer with
 * its length protocol. */
#include "../handle.h"

/* AccessCheck, ClientToken (Microsoft docs): "The handle must have
 * TOKEN_QUERY access"; PrivilegeCheck says the same. */
#define CHECK_NEEDS TOKEN_QUERY

/* Statuses the engine decides before it reads the descriptor: they come
 * before the PRIVILEGE_SET length is looked at (Windows results asserted
 * by Wine's dlls/advapi32/tests/security.c, test_AccessCheck: generic
 * bits give STATUS_GENERIC_NOT_MAPPED even with a zero or short
 * PrivilegeSetLength, which stays unchanged). */
static bool decided_first(NTSTATUS st)
{
    return st == STATUS_NO_IMPERSONATION_TOKEN || st == STATUS_BAD_IMPERSONATION_LEVEL ||
           st == STATUS_GENERIC_NOT_MAPPED;
}

struct check {
    PSECURITY_DESCRIPTOR sd;
    PSID self;
    HANDLE token;
    ACCESS_MASK desired;
    const OBJECT_TYPE_LIST *types;
    ULONG type_count;
    const GENERIC_MAPPING *mapping;
    PRIVILEGE_SET *privileges;
    ULONG *privileges_len;
    ACCESS_MASK *granted;           /* one, or type_count with result_list */
    NTSTATUS *status;
    bool result_list;
};

/* Windows' order (Wine's test_AccessCheck, on Windows): a NULL
 * PrivilegeSet, PrivilegeSetLength or output faults first
 * (STATUS_ACCESS_VIOLATION, nothing written); then the token and the
 * request (engine: primary token STATUS_NO_IMPERSONATION_TOKEN, anonymous
 * STATUS_BAD_IMPERSONATION_LEVEL, generic bits STATUS_GENERIC_NOT_MAPPED);
 * then a PrivilegeSetLength below sizeof(PRIVILEGE_SET) is
 * STATUS_BUFFER_TOO_SMALL with the length set to sizeof(PRIVILEGE_SET);
 * then the descriptor (no owner or group: STATUS_INVALID_SECURITY_DESCR).
 * When the privileges used need more room than given, the length is set
 * to what they need (ReactOS NtAccessCheck). On success the set lists
 * the privileges used (PrivilegeCount 0 when none: Wine's test) and
 * PrivilegeSetLength is left as it was. GrantedAccess and AccessStatus
 * are written only when the call succeeds. */
static NTSTATUS access_check(const struct check *c)
{
    struct ntsec_access_request rq = { 0 };
    struct ntsec_access_result res = { 0 };
    struct ntsec_token *token;
    uint32_t *granted_list = NULL;
    ntsec_status *status_list = NULL;
    ULONG count = c->result_list ? c->type_count : 1, need;
    NTSTATUS st;

    if (!c->mapping || !c->privileges || !c->privileges_len || !c->granted || !c->status)
        return STATUS_ACCESS_VIOLATION;
    st = emul__token_ref(c->token, CHECK_NEEDS, &token, NULL);
    if (!NT_SUCCESS(st))
        return st;
    if (c->result_list && count) {
        /* The engine fills the lists as it goes; they reach the caller
         * only when the call succeeds. */
        granted_list = ntsec_mem_alloc(count * sizeof(*granted_list));
        status_list = ntsec_mem_alloc(count * sizeof(*status_list));
        if (!granted_list || !status_list) {
            st = STATUS_NO_MEMORY;
            goto out;
        }
    }
    rq.sd = c->sd;
    rq.token = token;
    rq.desired = c->desired;
    rq.mapping = (const struct ntsec_generic_mapping *)c->mapping;
    rq.principal_self = c->self ? emul__sid(c->self) : NULL;
    rq.object_types = (const struct ntsec_object_type_entry *)c->types;
    rq.object_type_count = c->types ? c->type_count : 0;
    rq.flags = NTSEC_ACCESS_NEED_IMPERSONATION | NTSEC_ACCESS_REJECT_GENERIC |
               (c->result_list ? NTSEC_ACCESS_RESULT_LIST : 0);
    res.granted_list = granted_list;
    res.status_list = status_list;
    st = ntsec_access_check(&rq, &res);
    if (!NT_SUCCESS(st) && decided_first(st))
        goto out;
    if (*c->privileges_len < sizeof(PRIVILEGE_SET)) {
        *c->privileges_len = sizeof(PRIVILEGE_SET);
        st = STATUS_BUFFER_TOO_SMALL;
        goto out;
    }
    if (!NT_SUCCESS(st))
        goto out;
    need = offsetof(PRIVILEGE_SET, Privilege) +
           (ULONG)__builtin_popcountll(res.privileges_used) * sizeof(LUID_AND_ATTRIBUTES);
    if (need < sizeof(PRIVILEGE_SET))
        need = sizeof(PRIVILEGE_SET);
    if (*c->privileges_len < need) {
        *c->privileges_len = need;
        st = STATUS_BUFFER_TOO_SMALL;
        goto out;
    }
    ntsec_privilege_set_from_mask(res.privileges_used, (struct ntsec_privilege_set *)c->privileges);
    if (c->result_list) {
        for (ULONG i = 0; i < count; i++) {
            c->granted[i] = granted_list[i];
            c->status[i] = status_list[i];
        }
    } else {
        *c->granted = res.granted;
        *c->status = res.status;
    }
    st = STATUS_SUCCESS;
out:
    ntsec_mem_free(granted_list);
    ntsec_mem_free(status_list);
    ntsec_token_put(token);
    return st;
}

NTSTATUS WINAPI NtAccessCheck(PSECURITY_DESCRIPTOR sd, HANDLE token, ACCESS_MASK desired,
                              PGENERIC_MAPPING mapping, PPRIVILEGE_SET privileges,
                              PULONG privileges_len, PULONG granted, NTSTATUS *status)
{
    struct check c = {
        .sd = sd, .token = token, .desired = desired, .mapping = mapping,
        .privileges = privileges, .privileges_len = privileges_len,
        .granted = granted, .status = status,
    };

    return access_check(&c);
}

NTSTATUS WINAPI NtAccessCheckByType(PSECURITY_DESCRIPTOR sd, PSID self, HANDLE token,
                                    ACCESS_MASK desired, POBJECT_TYPE_LIST types, ULONG type_count,
                                    PGENERIC_MAPPING mapping, PPRIVILEGE_SET privileges,
                                    PULONG privileges_len, PACCESS_MASK granted, NTSTATUS *status)
{
    struct check c = {
        .sd = sd, .self = self, .token = token, .desired = desired, .types = types,
        .type_count = type_count, .mapping = mapping, .privileges = privileges,
        .privileges_len = privileges_len, .granted = granted, .status = status,
    };

    return access_check(&c);
}

/* One GrantedAccess and AccessStatus per entry of the object type list
 * (Microsoft docs, AccessCheckByTypeResultList). */
NTSTATUS WINAPI NtAccessCheckByTypeResultList(PSECURITY_DESCRIPTOR sd, PSID self, HANDLE token,
                                              ACCESS_MASK desired, POBJECT_TYPE_LIST types,
                                              ULONG type_count, PGENERIC_MAPPING mapping,
                                              PPRIVILEGE_SET privileges, PULONG privileges_len,
                                              PACCESS_MASK granted, NTSTATUS *status)
{
    struct check c = {
        .sd = sd, .self = self, .token = token, .desired = desired, .types = types,
        .type_count = type_count, .mapping = mapping, .privileges = privileges,
        .privileges_len = privileges_len, .granted = granted, .status = status,
        .result_list = true,
    };

    return access_check(&c);
}

/* PrivilegeCheck (Microsoft docs): the token is a client's impersonation
 * token opened for TOKEN_QUERY; a primary token is
 * STATUS_NO_IMPERSONATION_TOKEN and one below SecurityIdentification
 * STATUS_BAD_IMPERSONATION_LEVEL (ReactOS NtPrivilegeCheck). libsec marks
 * each enabled privilege SE_PRIVILEGE_USED_FOR_ACCESS in the set. */
NTSTATUS WINAPI NtPrivilegeCheck(HANDLE handle, PPRIVILEGE_SET privileges, PBOOLEAN result)
{
    struct ntsec_token *token;
    bool held = false;
    NTSTATUS st;

    if (!privileges || !result)
        return STATUS_ACCESS_VIOLATION;
    st = emul__token_ref(handle, CHECK_NEEDS, &token, NULL);
    if (!NT_SUCCESS(st))
        return st;
    if (ntsec_token_type(token) != NTSEC_TOKEN_IMPERSONATION)
        st = STATUS_NO_IMPERSONATION_TOKEN;
    else if (ntsec_token_level(token) < NTSEC_SECURITY_IDENTIFICATION)
        st = STATUS_BAD_IMPERSONATION_LEVEL;
    else
        st = ntsec_privilege_check(token, (struct ntsec_privilege_set *)privileges, &held);
    ntsec_token_put(token);
    if (!NT_SUCCESS(st))
        return st;
    *result = held;
    return STATUS_SUCCESS;
}
