/* ntsec/com_marshal.h - what CoMarshalInterface / CoUnmarshalInterface
 * need beyond ntsec/com.h: the emulation's stand-in for proxy/stub DLLs
 * (a registration saying how many integer or pointer arguments each
 * method of an interface takes), ntsec's marshal packet (an OBJREF of its
 * own format), and the stub that keeps a marshaled object's marshal
 * records and its strong reference count (MSHLFLAGS).
 *
 * emul/ole32 puts Windows' names on it (CoMarshalInterface,
 * CoUnmarshalInterface, CoReleaseMarshalData, CoGetMarshalSizeMax,
 * CoMarshalInterThreadInterfaceInStream, CoGetInterfaceAndReleaseStream);
 * docs/com.md, "Marshaling", lists the rules and their sources. */
#ifndef NTSEC_COM_MARSHAL_H
#define NTSEC_COM_MARSHAL_H

#include <stdbool.h>
#include <stdint.h>

#include "ntsec/com.h"

/* HRESULTs of marshaling (winerror.h values). */
#define NTSEC_CO_E_OBJNOTCONNECTED   ((ntsec_hresult)0x800401FDu)
#define NTSEC_STG_E_READFAULT        ((ntsec_hresult)0x8003001Eu)
#define NTSEC_RPC_E_INVALIDMETHOD    ((ntsec_hresult)0x80010107u)
#define NTSEC_RPC_E_INVALID_OBJREF   ((ntsec_hresult)0x8001011Du)

/* NTSEC_S_OK when the calling thread has initialised COM, else
 * NTSEC_CO_E_NOTINITIALIZED (CoMarshalInterface's and, from Wine's
 * compobj.c test_CoUnmarshalInterface, CoUnmarshalInterface's result
 * before anything is read). */
ntsec_hresult ntsec_com_check_initialized(void);

/* --- interface registration (the proxy/stub DLL's stand-in) ------------------- */

/* Methods after IUnknown's three an interface may have, and integer or
 * pointer arguments a method may take (ntsec's limits). */
#define NTSEC_COM_MAX_METHODS 32u
#define NTSEC_COM_MAX_ARGS    8u

/* Register interface `iid` (an IID*, 16 bytes) machine-wide, as a
 * proxy/stub DLL does under HKCR\Interface: it has `method_count`
 * methods after IUnknown's, and method i (vtable slot 3 + i) takes
 * arg_counts[i] arguments, each an integer or a pointer (one 64-bit
 * register or stack slot of the ms_abi; floating-point arguments, which
 * travel in XMM registers, are not supported) and returns an HRESULT. Registering an IID
 * again replaces its description (as CoRegisterPSClsid does).
 * NTSEC_E_INVALIDARG for a NULL iid, IUnknown's IID, more than
 * NTSEC_COM_MAX_METHODS methods, a NULL arg_counts with methods, or a
 * count above NTSEC_COM_MAX_ARGS; NTSEC_E_OUTOFMEMORY when the table
 * (64 interfaces) is full. IUnknown is always registered, with none. */
ntsec_hresult ntsec_com_register_interface(const void *iid, unsigned method_count,
                                           const unsigned char *arg_counts);

/* The arguments of vtable slot `slot` (3 or more) of a registered
 * interface in *count. NTSEC_E_NOINTERFACE when `iid` is not registered
 * (no proxy/stub: COM cannot marshal it), NTSEC_RPC_E_INVALIDMETHOD for a
 * slot the interface does not have. */
ntsec_hresult ntsec_com_interface_args(const void *iid, unsigned slot, unsigned *count);

/* True for IUnknown and every registered interface. */
bool ntsec_com_interface_registered(const void *iid);

/* --- the marshal packet ------------------------------------------------------------ */

/* ntsec's OBJREF (its own format, not [MS-DCOM]'s): a signature, a
 * version, the MSHLFLAGS, the marshaled IID, the export's cookie, the
 * stub's id and the marshal record's serial, all little-endian. */
#define NTSEC_COM_OBJREF_SIZE 40u

struct ntsec_com_objref {
    uint32_t flags;                     /* MSHLFLAGS_NORMAL, TABLESTRONG or TABLEWEAK */
    uint8_t iid[16];
    uint32_t cookie;                    /* ntsec_com_export's */
    uint32_t stub;                      /* ntsec_com_stub_new's */
    uint32_t serial;                    /* ntsec_com_stub_marshal's */
};

/* Encode `ref` into out[NTSEC_COM_OBJREF_SIZE] (NULL: nothing). */
void ntsec_com_objref_write(const struct ntsec_com_objref *ref, uint8_t *out);

/* Decode `len` bytes: NTSEC_STG_E_READFAULT when fewer than
 * NTSEC_COM_OBJREF_SIZE (the stream ended), NTSEC_RPC_E_INVALID_OBJREF
 * for a wrong signature or version, unknown flags or a zero cookie, stub
 * or serial, NTSEC_E_INVALIDARG for a NULL out; *out is written only on
 * success. */
ntsec_hresult ntsec_com_objref_read(const uint8_t *in, size_t len, struct ntsec_com_objref *out);

/* --- stubs: a marshaled object's records and strong references -------------------- */

/* MSHLFLAGS (wtypes.h values). */
#define NTSEC_MSHLFLAGS_NORMAL      0u
#define NTSEC_MSHLFLAGS_TABLESTRONG 1u
#define NTSEC_MSHLFLAGS_TABLEWEAK   2u

/* A new stub for `object` (taken over: `release(object)` runs once, when
 * the stub is disconnected and no call is in it). *id names it (never 0).
 * NTSEC_E_INVALIDARG for NULL, NTSEC_E_OUTOFMEMORY. */
ntsec_hresult ntsec_com_stub_new(void *object, void (*release)(void *object), uint32_t *id);

/* A call enters the stub: *object is its object, valid until
 * ntsec_com_stub_leave(id). NTSEC_CO_E_OBJNOTCONNECTED when the stub is
 * unknown or disconnected. */
ntsec_hresult ntsec_com_stub_enter(uint32_t id, void **object);
void ntsec_com_stub_leave(uint32_t id);

/* The stub's export is revoked: no call enters it any more; its object is
 * released now, or by the last call that is still in it. */
void ntsec_com_stub_disconnect(uint32_t id);

/* A marshal record (CoMarshalInterface): NORMAL and TABLESTRONG records
 * hold a strong reference, TABLEWEAK ones none ("MSHLFLAGS"). *serial
 * names it (never 0). NTSEC_E_INVALIDARG for other flags,
 * NTSEC_CO_E_OBJNOTCONNECTED for a disconnected stub, NTSEC_E_OUTOFMEMORY. */
ntsec_hresult ntsec_com_stub_marshal(uint32_t id, uint32_t flags, uint32_t *serial);

/* An unmarshal claims record `serial` for a new proxy, which gets a
 * strong reference: a NORMAL record is used up (its reference becomes
 * the proxy's), a table record stays. NTSEC_CO_E_OBJNOTCONNECTED when
 * the stub or the record is gone (a NORMAL record unmarshaled twice:
 * Wine's marshal.c test_normal_marshal_and_unmarshal_twice). */
ntsec_hresult ntsec_com_stub_claim(uint32_t id, uint32_t serial);

/* CoReleaseMarshalData: record `serial` goes, with its strong reference.
 * *last is true when the stub has no strong reference left (revoke the
 * export). NTSEC_CO_E_OBJNOTCONNECTED when the stub or record is gone. */
ntsec_hresult ntsec_com_stub_release_marshal(uint32_t id, uint32_t serial, bool *last);

/* A proxy made by ntsec_com_stub_claim is gone (IRemUnknown::RemRelease
 * in DCOM): its strong reference goes; *last as above. */
ntsec_hresult ntsec_com_stub_unref(uint32_t id, bool *last);

#endif
