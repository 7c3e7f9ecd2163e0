/* account.c - advapi32's accounts: LookupAccountSidW, LookupAccountNameW
 * and LogonUserW over libsec's account world (include/ntsec/account.h).
 *
 * libsec answers in UTF-8 with byte counts; the W functions count UTF-16
 * characters, so each answer is fetched whole, converted, and measured
 * against the caller's counts with Windows' protocol (../wstr.h). */
#include "../handle.h"
#include "../wstr.h"

/* Both strings of a SID lookup, as UTF-16 (ntsec_mem_free them). The
 * world may change between the sizing and the answer: then ask again. */
static NTSTATUS sid_names(const struct ntsec_sid *sid, WCHAR **name, size_t *name_len,
                          WCHAR **domain, size_t *domain_len, enum ntsec_sid_use *use)
{
    size_t ns = 0, ds = 0;
    char *n = NULL, *d = NULL;
    NTSTATUS st;

    for (;;) {
        st = ntsec_account_lookup_sid(sid, n, &ns, d, &ds, use);
        if (st != STATUS_BUFFER_TOO_SMALL)
            break;
        ntsec_mem_free(n);
        ntsec_mem_free(d);
        n = ntsec_mem_alloc(ns);
        d = ntsec_mem_alloc(ds);
        if (!n || !d) {
            st = STATUS_NO_MEMORY;
            break;
        }
    }
    if (NT_SUCCESS(st) && (!n || !d))
        st = STATUS_INTERNAL_ERROR;         /* libsec answered into no buffer */
    if (NT_SUCCESS(st)) {
        st = emul__wdup(n, name, name_len);
        if (NT_SUCCESS(st)) {
            st = emul__wdup(d, domain, domain_len);
            if (!NT_SUCCESS(st))
                ntsec_mem_free(*name);
        }
    }
    ntsec_mem_free(n);
    ntsec_mem_free(d);
    return st;
}

/* When either buffer is short (its count not above the length), both
 * counts become length + 1, nothing is written, *peUse included, and the
 * call fails with ERROR_INSUFFICIENT_BUFFER; on success each count is the
 * length without the NUL; an unknown SID is ERROR_NONE_MAPPED; another
 * system cannot be reached, RPC_S_SERVER_UNAVAILABLE (Windows results
 * asserted by Wine's dlls/advapi32/tests/security.c, test_LookupAccountSid
 * and test_sid_str). Windows faults on a
 * NULL count or peUse: ERROR_NOACCESS here. */
BOOL WINAPI LookupAccountSidW(LPCWSTR system, PSID sid, LPWSTR name, LPDWORD name_cch,
                              LPWSTR domain, LPDWORD domain_cch, PSID_NAME_USE use)
{
    enum ntsec_sid_use u = NTSEC_SID_TYPE_UNKNOWN;
    WCHAR *n, *d;
    size_t nl, dl;
    NTSTATUS st;

    if (!emul__local_system(system))
        return emul__fail(RPC_S_SERVER_UNAVAILABLE);
    if (!sid || !name_cch || !domain_cch || !use)
        return emul__fail(ERROR_NOACCESS);
    st = sid_names(emul__sid(sid), &n, &nl, &d, &dl, &u);
    if (!NT_SUCCESS(st))
        return emul__result(st);
    if (!emul__fits_w(nl, name_cch) || !emul__fits_w(dl, domain_cch)) {
        *name_cch = (DWORD)nl + 1;
        *domain_cch = (DWORD)dl + 1;
        st = STATUS_BUFFER_TOO_SMALL;
    } else {
        emul__put_w(n, nl, name, name_cch);
        emul__put_w(d, dl, domain, domain_cch);
        *use = (SID_NAME_USE)u;
    }
    ntsec_mem_free(n);
    ntsec_mem_free(d);
    return emul__result(st);
}

/* The SID and domain of a name (NULL name: libsec's answer for "", the
 * machine's domain). */
static NTSTATUS name_lookup(const char *name, struct ntsec_sid *sid, WCHAR **domain,
                            size_t *domain_len, enum ntsec_sid_use *use)
{
    size_t ds = 0;
    char *d = NULL;
    NTSTATUS st;

    for (;;) {
        st = ntsec_account_lookup_name(name, sid, d, &ds, use);
        if (st != STATUS_BUFFER_TOO_SMALL)
            break;
        ntsec_mem_free(d);
        d = ntsec_mem_alloc(ds);
        if (!d) {
            st = STATUS_NO_MEMORY;
            break;
        }
    }
    if (NT_SUCCESS(st))
        st = emul__wdup(d ? d : "", domain, domain_len);
    ntsec_mem_free(d);
    return st;
}

/* Sizes first: a SID buffer below the SID's length or a domain count not
 * above the domain's length sets *cbSid to the SID's length and
 * *cchReferencedDomainName to the domain's length + 1, writes nothing
 * (*peUse included) and fails with ERROR_INSUFFICIENT_BUFFER. On success
 * *cbSid is the SID's length and the domain count its length ("Everyone":
 * an empty domain, 0). An unknown name is ERROR_NONE_MAPPED and another
 * system RPC_S_SERVER_UNAVAILABLE, the sizes untouched (Windows results
 * asserted by Wine's test_LookupAccountName). */
BOOL WINAPI LookupAccountNameW(LPCWSTR system, LPCWSTR account, PSID sid, LPDWORD sid_size,
                               LPWSTR domain, LPDWORD domain_cch, PSID_NAME_USE use)
{
    enum ntsec_sid_use u = NTSEC_SID_TYPE_UNKNOWN;
    struct ntsec_sid found;
    char *name = NULL;
    WCHAR *d;
    size_t dl;
    DWORD len;
    NTSTATUS st;

    if (!emul__local_system(system))
        return emul__fail(RPC_S_SERVER_UNAVAILABLE);
    if (!sid_size || !domain_cch || !use)
        return emul__fail(ERROR_NOACCESS);
    if (account) {
        st = emul__utf8_from_w(account, &name);
        if (!NT_SUCCESS(st))
            return emul__result(st);
    }
    st = name_lookup(name, &found, &d, &dl, &u);
    ntsec_mem_free(name);
    if (!NT_SUCCESS(st))
        return emul__result(st);
    len = ntsec_sid_length(&found);
    if (*sid_size < len || !emul__fits_w(dl, domain_cch)) {
        *sid_size = len;
        *domain_cch = (DWORD)dl + 1;
        st = STATUS_BUFFER_TOO_SMALL;
    } else {
        if (sid)
            memcpy(sid, &found, len);
        *sid_size = len;
        emul__put_w(d, dl, domain, domain_cch);
        *use = (SID_NAME_USE)u;
    }
    ntsec_mem_free(d);
    return emul__result(st);
}

/* LOGON32_LOGON_* types ntsec logs on with; their values are
 * ntsec_logon_type's. */
static const DWORD logon_types[] = {
    LOGON32_LOGON_INTERACTIVE, LOGON32_LOGON_NETWORK, LOGON32_LOGON_BATCH,
    LOGON32_LOGON_SERVICE, LOGON32_LOGON_NETWORK_CLEARTEXT,
};
_Static_assert(LOGON32_LOGON_INTERACTIVE == NTSEC_LOGON_INTERACTIVE, "logon type");
_Static_assert(LOGON32_LOGON_NETWORK == NTSEC_LOGON_NETWORK, "logon type");
_Static_assert(LOGON32_LOGON_BATCH == NTSEC_LOGON_BATCH, "logon type");
_Static_assert(LOGON32_LOGON_SERVICE == NTSEC_LOGON_SERVICE, "logon type");
_Static_assert(LOGON32_LOGON_NETWORK_CLEARTEXT == NTSEC_LOGON_NETWORK_CLEARTEXT, "logon type");

static bool logon_type_known(DWORD type)
{
    for (size_t i = 0; i < sizeof(logon_types) / sizeof(logon_types[0]); i++)
        if (logon_types[i] == type)
            return true;
    return false;
}

/* A wrong user or password is ERROR_LOGON_FAILURE (Microsoft docs,
 * LogonUser; libsec's NTSEC_STATUS_LOGON_FAILURE). The providers are
 * LOGON32_PROVIDER_DEFAULT .. WINNT50; another provider, or a logon type
 * ntsec does not model (UNLOCK, NEW_CREDENTIALS), is
 * ERROR_INVALID_PARAMETER. The token handle has TOKEN_ALL_ACCESS: the
 * caller owns the new logon's token. */
BOOL WINAPI LogonUserW(LPCWSTR user, LPCWSTR domain, LPCWSTR password, DWORD type,
                       DWORD provider, PHANDLE token)
{
    char *u = NULL, *d = NULL, *p = NULL;
    struct ntsec_token *t = NULL;
    HANDLE h;
    NTSTATUS st = STATUS_SUCCESS;

    if (!token)
        return emul__fail(ERROR_NOACCESS);
    if (!logon_type_known(type) || provider > LOGON32_PROVIDER_WINNT50)
        return emul__fail(ERROR_INVALID_PARAMETER);
    if (user)
        st = emul__utf8_from_w(user, &u);
    if (NT_SUCCESS(st) && domain)
        st = emul__utf8_from_w(domain, &d);
    if (NT_SUCCESS(st) && password)
        st = emul__utf8_from_w(password, &p);
    if (NT_SUCCESS(st))
        st = ntsec_logon_user(u, d, p ? p : "", (enum ntsec_logon_type)type, &t);
    if (p)
        memset(p, 0, strlen(p));            /* a password does not linger in freed memory */
    ntsec_mem_free(u);
    ntsec_mem_free(d);
    ntsec_mem_free(p);
    if (NT_SUCCESS(st))
        st = emul__token_handle(t, 0, TOKEN_ALL_ACCESS, 0, &h);
    if (!NT_SUCCESS(st))
        return emul__result(st);
    *token = h;
    return TRUE;
}
