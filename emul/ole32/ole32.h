/* ole32.h - what the ole32 adapters share: Windows' COM headers with
 * ole32's exports visible, the IIDs they use (objidl.h's values, defined
 * here so that no initguid.h table is exported), and the server's current
 * call context object. The Makefile defines _OLE32_ (exported, not
 * imported), as ntsec.pc does for programs built against libntsec. */
#ifndef NTSEC_EMUL_OLE32_H
#define NTSEC_EMUL_OLE32_H

#define COBJMACROS
#define CONST_VTABLE
#include "../common.h"
#include <objbase.h>
#include <objidl.h>

#include "ntsec/com.h"
#include "ntsec/com_marshal.h"

/* libsec's HRESULTs and constants are Windows' values (winerror.h,
 * rpcdce.h, objidl.h): the adapters pass them through unchanged. */
_Static_assert(NTSEC_E_NOINTERFACE == E_NOINTERFACE && NTSEC_E_FAIL == E_FAIL, "HRESULT");
_Static_assert(NTSEC_E_ACCESSDENIED == E_ACCESSDENIED && NTSEC_E_INVALIDARG == E_INVALIDARG, "HRESULT");
_Static_assert(NTSEC_E_OUTOFMEMORY == E_OUTOFMEMORY && NTSEC_S_FALSE == S_FALSE, "HRESULT");
_Static_assert(NTSEC_RPC_E_CHANGED_MODE == RPC_E_CHANGED_MODE, "HRESULT");
_Static_assert(NTSEC_RPC_E_DISCONNECTED == RPC_E_DISCONNECTED, "HRESULT");
_Static_assert(NTSEC_RPC_E_WRONG_THREAD == RPC_E_WRONG_THREAD, "HRESULT");
_Static_assert(NTSEC_RPC_E_CALL_COMPLETE == RPC_E_CALL_COMPLETE, "HRESULT");
_Static_assert(NTSEC_RPC_E_TOO_LATE == RPC_E_TOO_LATE, "HRESULT");
_Static_assert(NTSEC_CO_E_NOTINITIALIZED == CO_E_NOTINITIALIZED, "HRESULT");
_Static_assert(NTSEC_CO_E_OBJNOTCONNECTED == CO_E_OBJNOTCONNECTED, "HRESULT");
_Static_assert(NTSEC_STG_E_READFAULT == STG_E_READFAULT, "HRESULT");
_Static_assert(NTSEC_RPC_E_INVALIDMETHOD == RPC_E_INVALIDMETHOD, "HRESULT");
_Static_assert(NTSEC_RPC_E_INVALID_OBJREF == RPC_E_INVALID_OBJREF, "HRESULT");
_Static_assert(NTSEC_MSHLFLAGS_NORMAL == MSHLFLAGS_NORMAL && NTSEC_MSHLFLAGS_TABLEWEAK == MSHLFLAGS_TABLEWEAK, "MSHLFLAGS");
_Static_assert(NTSEC_MSHLFLAGS_TABLESTRONG == MSHLFLAGS_TABLESTRONG, "MSHLFLAGS");
_Static_assert((int)NTSEC_COM_STA == (int)COINIT_APARTMENTTHREADED && (int)NTSEC_COM_MTA == (int)COINIT_MULTITHREADED, "COINIT");
_Static_assert(NTSEC_RPC_AUTHN_WINNT == RPC_C_AUTHN_WINNT && NTSEC_RPC_AUTHN_DEFAULT == RPC_C_AUTHN_DEFAULT, "RPC_C_AUTHN");
_Static_assert(NTSEC_RPC_AUTHN_GSS_SCHANNEL == RPC_C_AUTHN_GSS_SCHANNEL, "RPC_C_AUTHN");
_Static_assert(NTSEC_RPC_AUTHN_GSS_KERBEROS == RPC_C_AUTHN_GSS_KERBEROS, "RPC_C_AUTHN");
_Static_assert(NTSEC_RPC_AUTHN_GSS_NEGOTIATE == RPC_C_AUTHN_GSS_NEGOTIATE, "RPC_C_AUTHN");
_Static_assert(NTSEC_RPC_IMP_LEVEL_DELEGATE == RPC_C_IMP_LEVEL_DELEGATE, "RPC_C_IMP_LEVEL");
_Static_assert(NTSEC_EOAC_STATIC_CLOAKING == EOAC_STATIC_CLOAKING && NTSEC_EOAC_DYNAMIC_CLOAKING == EOAC_DYNAMIC_CLOAKING, "EOAC");
_Static_assert(NTSEC_EOAC_APPID == EOAC_APPID && NTSEC_EOAC_ACCESS_CONTROL == EOAC_ACCESS_CONTROL, "EOAC");
_Static_assert(NTSEC_EOAC_SECURE_REFS == EOAC_SECURE_REFS && NTSEC_EOAC_DEFAULT == EOAC_DEFAULT, "EOAC");
_Static_assert(NTSEC_EOAC_MAKE_FULLSIC == EOAC_MAKE_FULLSIC && NTSEC_EOAC_ANY_AUTHORITY == EOAC_ANY_AUTHORITY, "EOAC");

static const IID ole32__iid_unknown =
    { 0x00000000, 0x0000, 0x0000, { 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46 } };
static const IID ole32__iid_client_security =
    { 0x0000013d, 0x0000, 0x0000, { 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46 } };
static const IID ole32__iid_server_security =
    { 0x0000013e, 0x0000, 0x0000, { 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46 } };

static inline BOOL ole32__iid_eq(REFIID a, const IID *b)
{
    return !memcmp(a, b, sizeof(IID));
}

/* The methods of the emulation's remote calls (proxy.c calls, stub.c
 * serves): 0 a remote QueryInterface (the argument an IID*), then the
 * IRemUnknown-like calls of a marshaled object's stub, then vtable slot 3
 * and up, the interface's own methods (a struct emul__ole32_call). */
enum {
    EMUL__OLE32_QUERY = 0,
    /* The argument a struct ntsec_com_objref: RELEASE its record
     * (CoReleaseMarshalData) or, with serial 0, a proxy's strong
     * reference; CLAIM its record for a new proxy of its IID. */
    EMUL__OLE32_RELEASE = 1,
    EMUL__OLE32_CLAIM = 2,
};

/* A forwarded method: its interface, and the arguments the interface's
 * registration gives it (the rest zero). */
struct emul__ole32_call {
    const IID *iid;
    UINT_PTR args[NTSEC_COM_MAX_ARGS];
};

/* stub.c: export `unk` for a marshal with `flags`, its packet in *ref
 * (the object must support `iid`, a registered interface). */
HRESULT emul__ole32_marshal(REFIID iid, IUnknown *unk, DWORD flags, struct ntsec_com_objref *ref);

/* stub.c: undo emul__ole32_marshal in the marshaling process (the packet
 * could not be written). */
void emul__ole32_marshal_undo(const struct ntsec_com_objref *ref);

/* proxy.c: a proxy of interface `iid` for the packet `ref` (its record
 * claimed), and CoReleaseMarshalData's request to the stub. */
HRESULT emul__ole32_unmarshal(const struct ntsec_com_objref *ref, REFIID iid, void **ppv);
HRESULT emul__ole32_release_marshal(const struct ntsec_com_objref *ref);

/* callctx.c (emul__ prefix: not exported): run `fn(arg)` with an IServerSecurity for the native call
 * current on this thread as CoGetCallContext's object. */
HRESULT emul__ole32_with_call_context(HRESULT (*fn)(void *arg), void *arg);

#endif
