/* marshal.c - ole32's marshaling functions: CoMarshalInterface,
 * CoUnmarshalInterface, CoReleaseMarshalData, CoGetMarshalSizeMax,
 * CoMarshalInterThreadInterfaceInStream, CoGetInterfaceAndReleaseStream.
 * The packet is ntsec's OBJREF (libsec/com_marshal.c), written to and read
 * from any IStream; the stub side is stub.c, the proxy side proxy.c.
 * Sources: the Microsoft docs pages of each function and of "MSHLFLAGS"
 * and "MSHCTX"; Wine's dlls/ole32/tests/marshal.c and compobj.c for the
 * results Windows gives (named at each rule). */
#include "ole32.h"

static const IID iid_null;

/* "MSHCTX": LOCAL to CROSSCTX, and CONTAINER (5) of later SDKs; other
 * values, a pvDestContext ("reserved, must be NULL") and MSHLFLAGS other
 * than NORMAL, TABLESTRONG or TABLEWEAK (NOPING may be added: nothing is
 * pinged here) are E_INVALIDARG (ntsec's choice: the pages name no code). */
#define MSHCTX_LAST 5u

static HRESULT marshal_args(REFIID iid, IUnknown *unk, DWORD ctx, void *pv, DWORD *flags)
{
    const DWORD kind = *flags & ~(DWORD)MSHLFLAGS_NOPING;

    /* Wine compobj.c test_CoMarshalInterface: a NULL stream or object is
     * E_INVALIDARG. */
    if (!iid || !unk || ctx > MSHCTX_LAST || pv)
        return E_INVALIDARG;
    if (kind != MSHLFLAGS_NORMAL && kind != MSHLFLAGS_TABLESTRONG && kind != MSHLFLAGS_TABLEWEAK)
        return E_INVALIDARG;
    *flags = kind;
    /* "CoMarshalInterface" (CO_E_NOTINITIALIZED); then Wine's marshal.c
     * test_no_marshaler: an interface without a proxy/stub is
     * E_NOINTERFACE. */
    if (FAILED(ntsec_com_check_initialized()))
        return CO_E_NOTINITIALIZED;
    return ntsec_com_interface_registered(iid) ? S_OK : E_NOINTERFACE;
}

HRESULT WINAPI CoMarshalInterface(IStream *stream, REFIID iid, IUnknown *unk, DWORD ctx,
                                  void *pv, DWORD flags)
{
    struct ntsec_com_objref ref;
    uint8_t packet[NTSEC_COM_OBJREF_SIZE];
    ULONG written = 0;
    HRESULT hr = stream ? marshal_args(iid, unk, ctx, pv, &flags) : E_INVALIDARG;

    if (FAILED(hr))
        return hr;
    hr = emul__ole32_marshal(iid, unk, flags, &ref);
    if (FAILED(hr))
        return hr;
    ntsec_com_objref_write(&ref, packet);
    hr = IStream_Write(stream, packet, sizeof(packet), &written);
    if (SUCCEEDED(hr) && written != sizeof(packet))
        hr = STG_E_MEDIUMFULL;
    if (FAILED(hr))
        emul__ole32_marshal_undo(&ref);     /* "the stream access error values" */
    return FAILED(hr) ? hr : S_OK;
}

HRESULT WINAPI CoGetMarshalSizeMax(ULONG *size, REFIID iid, IUnknown *unk, DWORD ctx, void *pv,
                                   DWORD flags)
{
    void *itf;
    HRESULT hr = size ? marshal_args(iid, unk, ctx, pv, &flags) : E_INVALIDARG;

    if (FAILED(hr))
        return hr;
    hr = IUnknown_QueryInterface(unk, iid, &itf);
    if (FAILED(hr))
        return hr;
    IUnknown_Release((IUnknown *)itf);
    *size = NTSEC_COM_OBJREF_SIZE;          /* every packet has this size */
    return S_OK;
}

/* The packet at the stream's position: STG_E_READFAULT when the stream
 * ends first (Wine compobj.c test_CoUnmarshalInterface, marshal.c
 * test_bad_marshal_stream), RPC_E_INVALID_OBJREF when it is not one. */
static HRESULT read_packet(IStream *stream, struct ntsec_com_objref *ref)
{
    uint8_t packet[NTSEC_COM_OBJREF_SIZE];
    ULONG read = 0;
    HRESULT hr = IStream_Read(stream, packet, sizeof(packet), &read);

    if (FAILED(hr))
        return hr;
    return ntsec_com_objref_read(packet, read, ref);
}

HRESULT WINAPI CoUnmarshalInterface(IStream *stream, REFIID iid, void **ppv)
{
    struct ntsec_com_objref ref;
    const IID *want = iid;
    HRESULT hr;

    /* Wine compobj.c test_CoUnmarshalInterface: NULL stream or ppv. */
    if (!stream || !iid || !ppv)
        return E_INVALIDARG;
    *ppv = NULL;
    hr = ntsec_com_check_initialized();
    if (FAILED(hr))
        return hr;
    hr = read_packet(stream, &ref);
    if (FAILED(hr))
        return hr;
    /* "CoUnmarshalInterface": IID_NULL is the marshaled interface. */
    if (ole32__iid_eq(iid, &iid_null))
        want = (const IID *)ref.iid;
    if (!ntsec_com_interface_registered(want))
        return E_NOINTERFACE;
    return emul__ole32_unmarshal(&ref, want, ppv);
}

HRESULT WINAPI CoReleaseMarshalData(IStream *stream)
{
    struct ntsec_com_objref ref;
    HRESULT hr;

    if (!stream)
        return E_INVALIDARG;
    hr = ntsec_com_check_initialized();
    if (FAILED(hr))
        return hr;
    hr = read_packet(stream, &ref);
    return FAILED(hr) ? hr : emul__ole32_release_marshal(&ref);
}

/* "CoMarshalInterThreadInterfaceInStream": a NORMAL, in-process marshal
 * into a new memory stream, rewound; NULL object or stream pointer
 * E_INVALIDARG (Wine compobj.c). */
HRESULT WINAPI CoMarshalInterThreadInterfaceInStream(REFIID iid, IUnknown *unk, IStream **out)
{
    static const LARGE_INTEGER start;
    IStream *stream;
    HRESULT hr;

    if (!unk || !out)
        return E_INVALIDARG;
    hr = CreateStreamOnHGlobal(NULL, TRUE, &stream);
    if (FAILED(hr))
        return hr;
    hr = CoMarshalInterface(stream, iid, unk, MSHCTX_INPROC, NULL, MSHLFLAGS_NORMAL);
    if (SUCCEEDED(hr))
        hr = IStream_Seek(stream, start, STREAM_SEEK_SET, NULL);
    if (FAILED(hr)) {
        IStream_Release(stream);
        return hr;
    }
    *out = stream;
    return S_OK;
}

/* "CoGetInterfaceAndReleaseStream": unmarshal, then release the stream
 * whatever the result; a NULL stream is E_INVALIDARG (Wine compobj.c). */
HRESULT WINAPI CoGetInterfaceAndReleaseStream(IStream *stream, REFIID iid, void **ppv)
{
    HRESULT hr;

    if (!stream)
        return E_INVALIDARG;
    hr = CoUnmarshalInterface(stream, iid, ppv);
    IStream_Release(stream);
    return hr;
}
