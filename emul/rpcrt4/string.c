/* string.c - string bindings: RpcStringBindingComposeW, RpcStringFreeW. */
#include "rpcrt4.h"

RPC_STATUS RPC_ENTRY RpcStringBindingComposeW(RPC_WSTR ObjUuid, RPC_WSTR Protseq,
                                              RPC_WSTR NetworkAddr, RPC_WSTR Endpoint,
                                              RPC_WSTR Options, RPC_WSTR *StringBinding)
{
    RPC_WSTR const in[5] = { ObjUuid, Protseq, NetworkAddr, Endpoint, Options };
    char *part[5] = { 0 }, *out = NULL;
    RPC_WSTR result = NULL;
    ntsec_status st = StringBinding ? NTSEC_STATUS_SUCCESS : NTSEC_STATUS_INVALID_PARAMETER;

    for (int i = 0; i < 5 && ntsec_success(st); i++)
        st = emul__rpc_utf8(in[i], &part[i]);
    if (ntsec_success(st))
        st = ntsec_rpc_string_binding_compose(part[0], part[1], part[2], part[3], part[4], &out);
    if (ntsec_success(st))
        st = emul__rpc_wstr(out, &result);
    if (ntsec_success(st))
        *StringBinding = result;
    for (int i = 0; i < 5; i++)
        ntsec_mem_free(part[i]);
    ntsec_mem_free(out);
    return emul__rpc_status(st);
}

/* Every RPC string ntsec hands out comes from its allocator. A NULL
 * pointer to the string is RPC_S_INVALID_ARG (Windows would fault). */
RPC_STATUS RPC_ENTRY RpcStringFreeW(RPC_WSTR *String)
{
    if (!String)
        return RPC_S_INVALID_ARG;
    ntsec_mem_free(*String);
    *String = NULL;
    return RPC_S_OK;
}
