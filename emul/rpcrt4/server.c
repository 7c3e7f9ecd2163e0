/* server.c - the server's side: RpcServerRegisterAuthInfoW (for the
 * calling thread's process), RpcImpersonateClient, RpcRevertToSelf(Ex),
 * RpcBindingInqAuthClientW. A NULL handle is the call current on this
 * thread; a non-NULL one is a call handle (the struct ntsec_rpc_call *
 * the handler received). */
#include "rpcrt4.h"

/* GetKeyFn serves only RPC_C_AUTHN_DCE_PRIVATE, which ntsec does not
 * emulate; it and Arg are ignored. */
RPC_STATUS RPC_ENTRY RpcServerRegisterAuthInfoW(RPC_WSTR ServerPrincName, ULONG AuthnSvc,
                                                RPC_AUTH_KEY_RETRIEVAL_FN GetKeyFn, void *Arg)
{
    struct ntsec_process *self = ntsec_process_current();
    char *principal = NULL;
    ntsec_status st = self ? emul__rpc_utf8(ServerPrincName, &principal) : NTSEC_STATUS_NO_MEMORY;

    (void)GetKeyFn;
    (void)Arg;
    if (ntsec_success(st))
        st = ntsec_rpc_server_register_auth_info(self, principal, AuthnSvc);
    ntsec_mem_free(principal);
    return emul__rpc_status(st);
}

RPC_STATUS RPC_ENTRY RpcImpersonateClient(RPC_BINDING_HANDLE BindingHandle)
{
    return emul__rpc_status(ntsec_rpc_impersonate_client(BindingHandle));
}

RPC_STATUS RPC_ENTRY RpcRevertToSelfEx(RPC_BINDING_HANDLE BindingHandle)
{
    return emul__rpc_status(ntsec_rpc_revert_to_self(BindingHandle));
}

RPC_STATUS RPC_ENTRY RpcRevertToSelf(void)
{
    return emul__rpc_status(ntsec_rpc_revert_to_self(NULL));
}

/* Outputs are optional and written only on success. *Privs is the
 * client's "DOMAIN\user" as a wide string owned by the call (valid until
 * it returns); *ServerPrincName an allocated copy (RpcStringFreeW). */
RPC_STATUS RPC_ENTRY RpcBindingInqAuthClientW(RPC_BINDING_HANDLE ClientBinding,
                                              RPC_AUTHZ_HANDLE *Privs, RPC_WSTR *ServerPrincName,
                                              ULONG *AuthnLevel, ULONG *AuthnSvc, ULONG *AuthzSvc)
{
    struct ntsec_rpc_client_info info;
    RPC_WSTR principal = NULL;
    ntsec_status st = ntsec_rpc_inq_auth_client(ClientBinding, &info);

    if (ntsec_success(st) && ServerPrincName)
        st = emul__rpc_wstr(info.server_principal, &principal);
    if (!ntsec_success(st))
        return emul__rpc_status(st);
    if (Privs)
        *Privs = (RPC_AUTHZ_HANDLE)info.principal_w;
    if (ServerPrincName)
        *ServerPrincName = principal;
    if (AuthnLevel)
        *AuthnLevel = info.level;
    if (AuthnSvc)
        *AuthnSvc = info.service;
    if (AuthzSvc)
        *AuthzSvc = info.authz_service;
    return RPC_S_OK;
}
