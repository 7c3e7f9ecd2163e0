/* rpcrt4.h - what the rpcrt4 adapters share: Wine's RPC headers with the
 * functions exported (not imported: the Makefile and ntsec.pc define _RPCRT4_), and the conversions every RPC
 * function repeats: a libsec status to an RPC_STATUS, UTF-16 strings
 * (RPC_WSTR) to UTF-8 and back. No RPC rule lives here (libsec/rpc_*.c). */
#ifndef NTSEC_EMUL_RPCRT4_H
#define NTSEC_EMUL_RPCRT4_H

#include "../common.h"
#include <rpc.h>

/* The RPC_STATUS of a libsec status: the Win32 error of its NTSTATUS
 * (RPC_NT_x gives RPC_S_x), except that RPC names exhausted memory
 * RPC_S_OUT_OF_MEMORY (ERROR_OUTOFMEMORY, rpcnterr.h), where
 * RtlNtStatusToDosError gives ERROR_NOT_ENOUGH_MEMORY. */
static inline RPC_STATUS emul__rpc_status(ntsec_status st)
{
    return st == NTSEC_STATUS_NO_MEMORY ? RPC_S_OUT_OF_MEMORY
                                        : (RPC_STATUS)ntsec_status_to_win32(st);
}

/* An RPC_WSTR argument as UTF-8 (NULL stays NULL); ntsec_mem_free it. */
static inline ntsec_status emul__rpc_utf8(const unsigned short *s, char **out)
{
    *out = NULL;
    return s ? emul__utf8_from_w((const WCHAR *)s, out) : NTSEC_STATUS_SUCCESS;
}

/* UTF-8 from libsec as an RPC_WSTR result (NULL stays NULL), released by
 * RpcStringFreeW. */
static inline ntsec_status emul__rpc_wstr(const char *s, RPC_WSTR *out)
{
    WCHAR *w = NULL;
    ntsec_status st = NTSEC_STATUS_SUCCESS;

    if (s)
        st = emul__w_from_utf8(s, strlen(s), &w, NULL);
    if (ntsec_success(st))
        *out = (RPC_WSTR)w;
    return st;
}

#endif
