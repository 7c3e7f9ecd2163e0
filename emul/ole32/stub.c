/* stub.c - the server's side of the emulation's COM calls: the object an
 * export serves (ntsec_com_export_unknown's IUnknown, or the stub of a
 * CoMarshalInterface), the remote QueryInterface, the stub's claim and
 * release requests, and the forwarded methods of registered interfaces,
 * each run on the server process' worker with the call context current.
 * The rules (records, strong references, registrations) are libsec's:
 * libsec/com_marshal.c and com_interface.c. */
#include "ole32.h"

typedef HRESULT (WINAPI *method_fn)(void *self, UINT_PTR, UINT_PTR, UINT_PTR, UINT_PTR,
                                    UINT_PTR, UINT_PTR, UINT_PTR, UINT_PTR);

/* One call being served: the object, the method and its argument; for a
 * stub, its id (0 for an ntsec_com_export_unknown export). */
struct served {
    IUnknown *object;
    uint32_t stub;
    uint32_t method;
    void *arg;
};

static HRESULT query(IUnknown *object, REFIID iid)
{
    void *itf;
    HRESULT hr = IUnknown_QueryInterface(object, iid, &itf);

    if (SUCCEEDED(hr))
        IUnknown_Release((IUnknown *)itf);
    return hr;
}

/* A method of a registered interface: the stub's registration gives the
 * argument count; arguments past it are passed as zero (ms_abi lets the
 * caller pass more than the callee reads). */
static HRESULT invoke_method(IUnknown *object, uint32_t slot, const struct emul__ole32_call *c)
{
    unsigned count;
    void *itf;
    HRESULT hr = ntsec_com_interface_args(c->iid, slot, &count);

    if (FAILED(hr))
        return hr;
    hr = IUnknown_QueryInterface(object, c->iid, &itf);
    if (FAILED(hr))
        return hr;
    hr = ((method_fn)(*(void *const *const *)itf)[slot])(itf, c->args[0], c->args[1], c->args[2],
                                                        c->args[3], c->args[4], c->args[5],
                                                        c->args[6], c->args[7]);
    IUnknown_Release((IUnknown *)itf);
    return hr;
}

/* CLAIM: the object must have the IID (else its QueryInterface result,
 * and the record stays), then the record is claimed for the new proxy. */
static HRESULT claim(const struct served *s)
{
    const struct ntsec_com_objref *ref = s->arg;
    HRESULT hr = query(s->object, (REFIID)ref->iid);

    return FAILED(hr) ? hr : ntsec_com_stub_claim(s->stub, ref->serial);
}

/* RELEASE: a record or a proxy's reference goes; at the last strong
 * reference the export is revoked (this thread is one of its process). */
static HRESULT release(const struct served *s)
{
    const struct ntsec_com_objref *ref = s->arg;
    bool last = false;
    HRESULT hr = ref->serial ? ntsec_com_stub_release_marshal(s->stub, ref->serial, &last)
                             : ntsec_com_stub_unref(s->stub, &last);

    if (SUCCEEDED(hr) && last)
        ntsec_com_revoke(ref->cookie);
    return hr;
}

static HRESULT serve(void *arg)
{
    struct served *s = arg;

    switch (s->method) {
    case EMUL__OLE32_QUERY:
        return query(s->object, (REFIID)s->arg);
    case EMUL__OLE32_RELEASE:
        return s->stub ? release(s) : RPC_E_INVALIDMETHOD;
    case EMUL__OLE32_CLAIM:
        return s->stub ? claim(s) : RPC_E_INVALIDMETHOD;
    default:
        return invoke_method(s->object, s->method, s->arg);
    }
}

/* --- ntsec_com_export_unknown's exports ------------------------------------------- */

static ntsec_hresult export_invoke(void *self, uint32_t method, void *arg)
{
    struct served s = { self, 0, method, arg };

    return emul__ole32_with_call_context(serve, &s);
}

static void unknown_release(void *self)
{
    IUnknown_Release((IUnknown *)self);
}

ntsec_hresult ntsec_com_export_unknown(void *unknown, uint32_t *cookie)
{
    const struct ntsec_com_object obj = { unknown, export_invoke, unknown_release };
    HRESULT hr;

    if (!unknown)
        return E_INVALIDARG;
    IUnknown_AddRef((IUnknown *)unknown);
    hr = ntsec_com_export(&obj, cookie);
    if (FAILED(hr))
        IUnknown_Release((IUnknown *)unknown);
    return hr;
}

/* --- stubs of marshaled objects ------------------------------------------------------ */

/* The export's `self` is the stub's id, not a pointer: a call still
 * queued when the export is revoked finds the stub gone
 * (CO_E_OBJNOTCONNECTED) instead of freed memory. */
static ntsec_hresult stub_invoke(void *self, uint32_t method, void *arg)
{
    const uint32_t id = (uint32_t)(uintptr_t)self;
    struct served s = { NULL, id, method, arg };
    void *object;
    HRESULT hr = ntsec_com_stub_enter(id, &object);

    if (FAILED(hr))
        return hr;
    s.object = object;
    hr = emul__ole32_with_call_context(serve, &s);
    ntsec_com_stub_leave(id);
    return hr;
}

static void stub_export_release(void *self)
{
    ntsec_com_stub_disconnect((uint32_t)(uintptr_t)self);
}

/* "CoMarshalInterface": the object's identity (its IUnknown) is exported
 * through a new stub (one per marshal: ntsec's choice, Windows keeps one
 * stub manager per object), whose record the packet names. */
HRESULT emul__ole32_marshal(REFIID iid, IUnknown *unk, DWORD flags, struct ntsec_com_objref *ref)
{
    struct ntsec_com_object obj = { NULL, stub_invoke, stub_export_release };
    uint32_t id, serial, cookie;
    IUnknown *identity;
    HRESULT hr = query(unk, iid);

    if (FAILED(hr))
        return hr;
    hr = IUnknown_QueryInterface(unk, &ole32__iid_unknown, (void **)&identity);
    if (FAILED(hr))
        return hr;
    hr = ntsec_com_stub_new(identity, unknown_release, &id);
    if (FAILED(hr)) {
        IUnknown_Release(identity);
        return hr;
    }
    obj.self = (void *)(uintptr_t)id;
    hr = ntsec_com_stub_marshal(id, flags, &serial);
    if (SUCCEEDED(hr))
        hr = ntsec_com_export(&obj, &cookie);
    if (FAILED(hr)) {
        ntsec_com_stub_disconnect(id);
        return hr;
    }
    *ref = (struct ntsec_com_objref){ .flags = flags, .cookie = cookie, .stub = id,
                                      .serial = serial };
    memcpy(ref->iid, iid, sizeof(ref->iid));
    return S_OK;
}

void emul__ole32_marshal_undo(const struct ntsec_com_objref *ref)
{
    ntsec_com_revoke(ref->cookie);
}
