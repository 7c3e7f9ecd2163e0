/* binding.c - client binding handles: RpcBindingFromStringBindingW,
 * RpcBindingFree, RpcBindingSetAuthInfo(Ex)W, RpcBindingInqAuthInfo(Ex)W.
 * An RPC_BINDING_HANDLE is a struct ntsec_rpc_binding (or, on a server, a
 * struct ntsec_rpc_call); libsec tells them apart. */
#include <string.h>

#include "rpcrt4.h"

RPC_STATUS RPC_ENTRY RpcBindingFromStringBindingW(RPC_WSTR StringBinding,
                                                  RPC_BINDING_HANDLE *Binding)
{
    struct ntsec_rpc_binding *b;
    char *s = NULL;
    ntsec_status st;

    if (!Binding)
        return RPC_S_INVALID_ARG;
    if (!StringBinding)
        return RPC_S_INVALID_STRING_BINDING;
    st = emul__rpc_utf8(StringBinding, &s);
    if (ntsec_success(st))
        st = ntsec_rpc_binding_from_string(s, &b);
    ntsec_mem_free(s);
    if (ntsec_success(st))
        *Binding = b;
    return emul__rpc_status(st);
}

/* A NULL handle is RPC_S_INVALID_BINDING (Wine's tests/rpc.c
 * test_RpcBindingFree, run on Windows); the handle is set to NULL once
 * freed. */
RPC_STATUS RPC_ENTRY RpcBindingFree(RPC_BINDING_HANDLE *Binding)
{
    ntsec_status st;

    if (!Binding)
        return RPC_S_INVALID_ARG;
    if (!*Binding)
        return RPC_S_INVALID_BINDING;
    st = ntsec_rpc_binding_free(*Binding);
    if (ntsec_success(st))
        *Binding = NULL;
    return emul__rpc_status(st);
}

/* --- SEC_WINNT_AUTH_IDENTITY ---------------------------------------------- */

struct identity {
    char *user, *domain, *password;
};

/* A counted string of `len` characters, UTF-16 or 8-bit by the
 * structure's Flags, as UTF-8. */
static ntsec_status counted(const void *s, ULONG len, bool wide, char **out)
{
    size_t unit = wide ? sizeof(WCHAR) : 1;
    char *copy;
    ntsec_status st = NTSEC_STATUS_SUCCESS;

    *out = NULL;
    if (!s)
        return len ? NTSEC_RPC_NT_INVALID_AUTH_IDENTITY : NTSEC_STATUS_SUCCESS;
    if (!(copy = ntsec_mem_alloc(((size_t)len + 1) * unit)))
        return NTSEC_STATUS_NO_MEMORY;
    memcpy(copy, s, (size_t)len * unit);
    memset(copy + (size_t)len * unit, 0, unit);
    if (wide) {
        st = emul__utf8_from_w((const WCHAR *)copy, out);
        ntsec_mem_free(copy);
    } else {
        *out = copy;
    }
    return st;
}

/* Leaves *id empty: identity_in frees on failure and its caller frees
 * again. */
static void identity_free(struct identity *id)
{
    ntsec_mem_free(id->user);
    ntsec_mem_free(id->domain);
    if (id->password) {
        memset(id->password, 0, strlen(id->password));
        ntsec_mem_free(id->password);
    }
    *id = (struct identity){ 0 };
}

/* The W and A structures have the same layout but for the character
 * type; Flags says which it is. Other Flags: RPC_S_INVALID_AUTH_IDENTITY. */
static ntsec_status identity_in(const SEC_WINNT_AUTH_IDENTITY_W *w, struct identity *id)
{
    bool wide = w->Flags == SEC_WINNT_AUTH_IDENTITY_UNICODE;
    ntsec_status st;

    *id = (struct identity){ 0 };
    if (!wide && w->Flags != SEC_WINNT_AUTH_IDENTITY_ANSI)
        return NTSEC_RPC_NT_INVALID_AUTH_IDENTITY;
    st = counted(w->User, w->UserLength, wide, &id->user);
    if (ntsec_success(st))
        st = counted(w->Domain, w->DomainLength, wide, &id->domain);
    if (ntsec_success(st))
        st = counted(w->Password, w->PasswordLength, wide, &id->password);
    if (!ntsec_success(st))
        identity_free(id);
    return st;
}

RPC_STATUS RPC_ENTRY RpcBindingSetAuthInfoExW(RPC_BINDING_HANDLE Binding, RPC_WSTR ServerPrincName,
                                              ULONG AuthnLevel, ULONG AuthnSvc,
                                              RPC_AUTH_IDENTITY_HANDLE AuthIdentity, ULONG AuthzSvr,
                                              RPC_SECURITY_QOS *SecurityQos)
{
    struct identity id = { 0 };
    struct ntsec_rpc_identity nid;
    struct ntsec_rpc_qos qos;
    struct ntsec_rpc_auth_info info = {
        .level = AuthnLevel, .service = AuthnSvc, .identity_handle = AuthIdentity,
        .authz_service = AuthzSvr };
    char *principal = NULL;
    ntsec_status st = emul__rpc_utf8(ServerPrincName, &principal);

    if (ntsec_success(st) && AuthIdentity) {
        st = identity_in(AuthIdentity, &id);
        nid = (struct ntsec_rpc_identity){ id.user, id.domain, id.password };
        info.identity = &nid;
    }
    if (SecurityQos) {
        qos = (struct ntsec_rpc_qos){ SecurityQos->Version, SecurityQos->Capabilities,
                                      SecurityQos->IdentityTracking,
                                      SecurityQos->ImpersonationType };
        info.qos = &qos;
    }
    info.server_principal = principal;
    if (ntsec_success(st))
        st = ntsec_rpc_binding_set_auth_info(Binding, &info);
    identity_free(&id);
    ntsec_mem_free(principal);
    return emul__rpc_status(st);
}

RPC_STATUS RPC_ENTRY RpcBindingSetAuthInfoW(RPC_BINDING_HANDLE Binding, RPC_WSTR ServerPrincName,
                                            ULONG AuthnLevel, ULONG AuthnSvc,
                                            RPC_AUTH_IDENTITY_HANDLE AuthIdentity, ULONG AuthzSvr)
{
    return RpcBindingSetAuthInfoExW(Binding, ServerPrincName, AuthnLevel, AuthnSvc, AuthIdentity,
                                    AuthzSvr, NULL);
}

/* Outputs are optional; the QoS is written as version 1 (a later
 * version's further fields are left alone). A QoS with version 0:
 * RPC_S_INVALID_ARG. */
RPC_STATUS RPC_ENTRY RpcBindingInqAuthInfoExW(RPC_BINDING_HANDLE Binding, RPC_WSTR *ServerPrincName,
                                              ULONG *AuthnLevel, ULONG *AuthnSvc,
                                              RPC_AUTH_IDENTITY_HANDLE *AuthIdentity,
                                              ULONG *AuthzSvc, ULONG RpcQosVersion,
                                              RPC_SECURITY_QOS *SecurityQOS)
{
    struct ntsec_rpc_auth_query q;
    char *principal = NULL;
    RPC_WSTR wprincipal = NULL;
    ntsec_status st;

    if (SecurityQOS && !RpcQosVersion)
        return RPC_S_INVALID_ARG;
    st = ntsec_rpc_binding_inq_auth_info(Binding, ServerPrincName ? &principal : NULL, &q);
    if (ntsec_success(st) && ServerPrincName)
        st = emul__rpc_wstr(principal, &wprincipal);
    ntsec_mem_free(principal);
    if (!ntsec_success(st))
        return emul__rpc_status(st);
    if (ServerPrincName)
        *ServerPrincName = wprincipal;
    if (AuthnLevel)
        *AuthnLevel = q.level;
    if (AuthnSvc)
        *AuthnSvc = q.service;
    if (AuthIdentity)
        *AuthIdentity = (RPC_AUTH_IDENTITY_HANDLE)q.identity_handle;
    if (AuthzSvc)
        *AuthzSvc = q.authz_service;
    if (SecurityQOS)
        *SecurityQOS = (RPC_SECURITY_QOS){ 1, q.qos.capabilities, q.qos.identity_tracking,
                                           q.qos.impersonation_type };
    return RPC_S_OK;
}

RPC_STATUS RPC_ENTRY RpcBindingInqAuthInfoW(RPC_BINDING_HANDLE Binding, RPC_WSTR *ServerPrincName,
                                            ULONG *AuthnLevel, ULONG *AuthnSvc,
                                            RPC_AUTH_IDENTITY_HANDLE *AuthIdentity,
                                            ULONG *AuthzSvc)
{
    return RpcBindingInqAuthInfoExW(Binding, ServerPrincName, AuthnLevel, AuthnSvc, AuthIdentity,
                                    AuthzSvc, 0, NULL);
}
