/* token.c - the kernel's token routines for drivers:
 * SeQueryInformationToken, SeQueryAuthenticationIdToken, SeTokenType,
 * SeTokenIsAdmin, SeTokenIsRestricted and SeFilterToken, over libsec's
 * token API (include/ntsec/token.h).
 *
 * SeQueryInformationToken answers in memory it allocates from "paged
 * pool", freed by the caller with ExFreePool (Microsoft docs,
 * SeQueryInformationToken); here that is ntsec_mem_alloc, which
 * ExFreePool releases (pool.c). Where Windows would fault on a NULL
 * pointer these return STATUS_ACCESS_VIOLATION / FALSE (docs/abi.md). */
#include "ddi.h"

/* How SeQueryInformationToken answers a class. */
enum answer {
    IN_BUFFER,          /* *TokenInformation = new buffer with the NtQueryInformationToken layout */
    DWORD_IN_PLACE,     /* the class' DWORD written over *TokenInformation itself */
    RID_IN_PLACE,       /* the integrity level's RID written over *TokenInformation */
};

/* The classes SeQueryInformationToken answers. The documented ones
 * (Microsoft docs, SeQueryInformationToken: TokenDefaultDacl,
 * TokenGroups, TokenImpersonationLevel, TokenOwner, TokenPrimaryGroup,
 * TokenPrivileges, TokenSessionId, TokenSource, TokenStatistics,
 * TokenType, TokenUser, TokenIntegrityLevel), and a few more answered the
 * same way: buffers for TokenElevationType and TokenElevation, DWORDs in
 * place for TokenVirtualizationAllowed/Enabled, TokenUIAccess,
 * TokenIsAppContainer (ntsec's choice for these; no public source found).
 * TokenSessionId and TokenIntegrityLevel are "a DWORD value (not a pointer
 * to it)" (Microsoft docs): Windows stores the DWORD in the first four
 * bytes of *TokenInformation and leaves the rest. Any other class is
 * STATUS_INVALID_INFO_CLASS (Microsoft docs, Return value; TokenOrigin,
 * TokenRestrictedSids, TokenSandBoxInert and TokenGroupsAndPrivileges
 * asserted on Windows by ReactOS' kmtest SeQueryInfoToken). */
static const struct query_class {
    TOKEN_INFORMATION_CLASS cls;
    enum answer how;
} query_classes[] = {
    { TokenUser,                  IN_BUFFER },
    { TokenGroups,                IN_BUFFER },
    { TokenPrivileges,            IN_BUFFER },
    { TokenOwner,                 IN_BUFFER },
    { TokenPrimaryGroup,          IN_BUFFER },
    { TokenDefaultDacl,           IN_BUFFER },
    { TokenSource,                IN_BUFFER },
    { TokenType,                  IN_BUFFER },
    { TokenImpersonationLevel,    IN_BUFFER },
    { TokenStatistics,            IN_BUFFER },
    { TokenElevationType,         IN_BUFFER },
    { TokenElevation,             IN_BUFFER },
    { TokenSessionId,             DWORD_IN_PLACE },
    { TokenVirtualizationAllowed, DWORD_IN_PLACE },
    { TokenVirtualizationEnabled, DWORD_IN_PLACE },
    { TokenUIAccess,              DWORD_IN_PLACE },
    { TokenIsAppContainer,        DWORD_IN_PLACE },
    { TokenIntegrityLevel,        RID_IN_PLACE },
};

static const struct query_class *query_class_find(TOKEN_INFORMATION_CLASS cls)
{
    for (size_t i = 0; i < sizeof(query_classes) / sizeof(query_classes[0]); i++)
        if (query_classes[i].cls == cls)
            return &query_classes[i];
    return NULL;
}

/* Size, allocate, fill. The token may change between the sizing and the
 * filling (SetTokenInformation replacing the default DACL): then the
 * answer no longer fits and is asked again. Windows fails a pool
 * allocation here with STATUS_INSUFFICIENT_RESOURCES (its
 * SeQueryInformationToken, every class). */
static NTSTATUS query_in_buffer(const struct ntsec_token *token, TOKEN_INFORMATION_CLASS cls,
                                PVOID *out)
{
    uint32_t needed = 0;
    ntsec_status st = ntsec_token_query(token, (enum ntsec_token_info_class)cls, NULL, 0, &needed);

    while (st == NTSEC_STATUS_BUFFER_TOO_SMALL) {
        void *buf = ntsec_mem_alloc(needed);

        if (!buf)
            return STATUS_INSUFFICIENT_RESOURCES;
        st = ntsec_token_query(token, (enum ntsec_token_info_class)cls, buf, needed, &needed);
        if (ntsec_success(st)) {
            *out = buf;
            return STATUS_SUCCESS;
        }
        ntsec_mem_free(buf);
    }
    return ntsec_success(st) ? STATUS_INTERNAL_ERROR : st;
}

NTSTATUS WINAPI SeQueryInformationToken(PACCESS_TOKEN Token, TOKEN_INFORMATION_CLASS cls,
                                        PVOID *TokenInformation)
{
    const struct query_class *c = query_class_find(cls);
    const struct ntsec_token *token = emul__token(Token);
    uint32_t value = 0, needed;
    ntsec_status st;

    if (!c)
        return STATUS_INVALID_INFO_CLASS;
    if (!token || !TokenInformation)
        return STATUS_ACCESS_VIOLATION;
    switch (c->how) {
    case IN_BUFFER:
        return query_in_buffer(token, cls, TokenInformation);
    case DWORD_IN_PLACE:
        st = ntsec_token_query(token, (enum ntsec_token_info_class)cls, &value, sizeof(value),
                               &needed);
        if (!ntsec_success(st))
            return st;
        break;
    case RID_IN_PLACE:
        value = ntsec_token_integrity(token);
        break;
    }
    *(ULONG *)TokenInformation = value;
    return STATUS_SUCCESS;
}

/* STATUS_SUCCESS is the only return code documented
 * (SeQueryAuthenticationIdToken, Microsoft docs): the AuthenticationId
 * never changes. */
NTSTATUS WINAPI SeQueryAuthenticationIdToken(PACCESS_TOKEN Token, PLUID AuthenticationId)
{
    if (!Token || !AuthenticationId)
        return STATUS_ACCESS_VIOLATION;
    *AuthenticationId = emul__luid(ntsec_token_authentication_id(emul__token(Token)));
    return STATUS_SUCCESS;
}

/* TokenPrimary or TokenImpersonation. A NULL token has no type: 0. */
TOKEN_TYPE WINAPI SeTokenType(PACCESS_TOKEN Token)
{
    if (!Token)
        return 0;
    return (TOKEN_TYPE)ntsec_token_type(emul__token(Token));
}

BOOLEAN WINAPI SeTokenIsAdmin(PACCESS_TOKEN Token)
{
    return Token && ntsec_token_is_admin(emul__token(Token));
}

BOOLEAN WINAPI SeTokenIsRestricted(PACCESS_TOKEN Token)
{
    return Token && ntsec_token_is_restricted(emul__token(Token));
}

/* The TOKEN_GROUPS / TOKEN_PRIVILEGES arrays are read in place (their
 * layouts are checked in ddi.h); DISABLE_MAX_PRIVILEGE, SANDBOX_INERT,
 * LUA_TOKEN and WRITE_RESTRICTED have the values of NTSEC_FILTER_*.
 * The new token is a reference the caller releases with
 * ObDereferenceObject (Microsoft docs, SeFilterToken, Remarks). */
_Static_assert(DISABLE_MAX_PRIVILEGE == NTSEC_FILTER_DISABLE_MAX_PRIVILEGE, "flags");
_Static_assert(SANDBOX_INERT == NTSEC_FILTER_SANDBOX_INERT, "flags");
_Static_assert(LUA_TOKEN == NTSEC_FILTER_LUA_TOKEN, "flags");
_Static_assert(WRITE_RESTRICTED == NTSEC_FILTER_WRITE_RESTRICTED, "flags");

NTSTATUS WINAPI SeFilterToken(PACCESS_TOKEN ExistingToken, ULONG Flags,
                              PTOKEN_GROUPS SidsToDisable, PTOKEN_PRIVILEGES PrivilegesToDelete,
                              PTOKEN_GROUPS RestrictedSids, PACCESS_TOKEN *FilteredToken)
{
    struct ntsec_token_filter filter = {
        .flags = Flags,
        .sids_to_disable = emul__groups(SidsToDisable),
        .disable_count = SidsToDisable ? SidsToDisable->GroupCount : 0,
        .privileges_to_delete = PrivilegesToDelete
            ? (const struct ntsec_luid_and_attributes *)PrivilegesToDelete->Privileges : NULL,
        .delete_count = PrivilegesToDelete ? PrivilegesToDelete->PrivilegeCount : 0,
        .restricted_sids = emul__groups(RestrictedSids),
        .restricted_count = RestrictedSids ? RestrictedSids->GroupCount : 0,
    };
    struct ntsec_token *token;
    ntsec_status st;

    if (!ExistingToken || !FilteredToken)
        return STATUS_ACCESS_VIOLATION;
    st = ntsec_token_filter(emul__token(ExistingToken), &filter, &token);
    if (!ntsec_success(st))
        return st;
    *FilteredToken = token;
    return STATUS_SUCCESS;
}
