/* test_emul_com_marshal.c - marshaling through ole32's Windows names
 * (emul/ole32): CreateStreamOnHGlobal's IStream, CoMarshalInterface,
 * CoUnmarshalInterface, CoReleaseMarshalData, CoGetMarshalSizeMax,
 * CoMarshalInterThreadInterfaceInStream, CoGetInterfaceAndReleaseStream,
 * interface registration (the stand-in for proxy/stub DLLs) and proxies
 * that forward every method of a registered interface.
 *
 * A server party (svc-web) marshals a Windows COM object into a memory
 * stream; a client party (alice, another emulated process) unmarshals it
 * and calls through the proxy. The Windows results come from Microsoft
 * docs and from Wine's dlls/ole32/tests (marshal.c, compobj.c,
 * hglobalstream.c), named at each test. */
#define COBJMACROS
#define INITGUID                /* the IIDs of Wine's headers, defined in this program */
#define CONST_VTABLE
#include <ntstatus.h>
#define WIN32_NO_STATUS
#include <ntsec/ntdll.h>
#include <objbase.h>
#include <objidl.h>
#include <ole2.h>

#include "comfix.h"
#include "testutil.h"

/* ICalc: methods of 0, 1, 3, 6 and 8 arguments; IPing: one of one;
 * IHidden: supported by the object, never registered. */
static const IID iid_calc =
    { 0x6e7ac002, 0x1d2e, 0x4f00, { 0x9a, 0x11, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01 } };
static const IID iid_ping =
    { 0x6e7ac002, 0x1d2e, 0x4f00, { 0x9a, 0x11, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02 } };
static const IID iid_hidden =
    { 0x6e7ac002, 0x1d2e, 0x4f00, { 0x9a, 0x11, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03 } };
static const IID iid_record =
    { 0x6e7ac002, 0x1d2e, 0x4f00, { 0x9a, 0x11, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05 } };
static const IID iid_lacking =
    { 0x6e7ac002, 0x1d2e, 0x4f00, { 0x9a, 0x11, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04 } };

static const IID iid_null;

static const unsigned char calc_args[] = { 0, 1, 3, 6, 8 };
static const unsigned char ping_args[] = { 1 };

static void register_test_interfaces(void)
{
    CU_ASSERT(ntsec_com_register_interface(&iid_calc, 5, calc_args) == S_OK);
    CU_ASSERT(ntsec_com_register_interface(&iid_ping, 1, ping_args) == S_OK);
    CU_ASSERT(ntsec_com_register_interface(&iid_lacking, 1, ping_args) == S_OK);
}

static BOOL iid_eq(REFIID a, const IID *b)
{
    return !memcmp(a, b, sizeof(IID));
}

/* --- the server's object -------------------------------------------------------- */

struct calc;
struct calc_vtbl {
    HRESULT (WINAPI *QueryInterface)(struct calc *self, REFIID iid, void **ppv);
    ULONG (WINAPI *AddRef)(struct calc *self);
    ULONG (WINAPI *Release)(struct calc *self);
    HRESULT (WINAPI *Zero)(struct calc *self);
    HRESULT (WINAPI *One)(struct calc *self, UINT_PTR *out);
    HRESULT (WINAPI *Three)(struct calc *self, UINT_PTR a, UINT_PTR b, UINT_PTR *out);
    HRESULT (WINAPI *Six)(struct calc *self, UINT_PTR a, UINT_PTR b, UINT_PTR c, UINT_PTR d,
                          UINT_PTR e, UINT_PTR *out);
    HRESULT (WINAPI *Eight)(struct calc *self, UINT_PTR a, UINT_PTR b, UINT_PTR c, UINT_PTR d,
                            UINT_PTR e, UINT_PTR f, UINT_PTR g, UINT_PTR *out);
};

struct object;
struct calc {
    const struct calc_vtbl *lpVtbl;
    struct object *owner;
};

/* What the server saw: the arguments of the last call, and whether it
 * ran in a COM call (CoGetCallContext succeeds only on the server's
 * worker serving it). */
struct object {
    struct calc calc, ping, hidden;     /* ICalc (and IUnknown), IPing, IHidden */
    struct calc record;                 /* IRecord: Record(8 arguments) */
    LONG refs;
    UINT_PTR seen[8];
    unsigned nseen;
    HRESULT context;
};

static const struct calc_vtbl calc_vtbl;
static const struct record_vtbl record_vtbl;

static void object_init(struct object *o)
{
    *o = (struct object){ .calc = { &calc_vtbl, o }, .ping = { &calc_vtbl, o },
                          .hidden = { &calc_vtbl, o }, .record = { (const struct calc_vtbl *)&record_vtbl, o },
                          .refs = 1 };
}

static HRESULT WINAPI obj_QueryInterface(struct calc *self, REFIID iid, void **ppv)
{
    struct object *o = self->owner;

    if (iid_eq(iid, &IID_IUnknown) || iid_eq(iid, &iid_calc))
        *ppv = &o->calc;
    else if (iid_eq(iid, &iid_ping))
        *ppv = &o->ping;
    else if (iid_eq(iid, &iid_hidden))
        *ppv = &o->hidden;
    else if (iid_eq(iid, &iid_record))
        *ppv = &o->record;
    else {
        *ppv = NULL;
        return E_NOINTERFACE;
    }
    InterlockedIncrement(&o->refs);
    return S_OK;
}

static ULONG WINAPI obj_AddRef(struct calc *self)
{
    return InterlockedIncrement(&self->owner->refs);
}

static ULONG WINAPI obj_Release(struct calc *self)
{
    return InterlockedDecrement(&self->owner->refs);
}

static void observe(struct object *o, unsigned n, const UINT_PTR *args)
{
    IUnknown *ctx = NULL;

    o->context = CoGetCallContext(&IID_IServerSecurity, (void **)&ctx);
    if (ctx)
        IUnknown_Release(ctx);
    if (n)      /* args is NULL for a method without arguments */
        memcpy(o->seen, args, n * sizeof(*args));
    o->nseen = n;
}

/* Zero returns a success code of its own, so the HRESULT is seen to
 * come back. */
static HRESULT WINAPI obj_Zero(struct calc *self)
{
    observe(self->owner, 0, NULL);
    return 0x00040007;
}

static HRESULT WINAPI obj_One(struct calc *self, UINT_PTR *out)
{
    const UINT_PTR a[] = { (UINT_PTR)out };

    observe(self->owner, 1, a);
    *out = 0x1234567887654321ull;
    return S_OK;
}

static HRESULT WINAPI obj_Three(struct calc *self, UINT_PTR a, UINT_PTR b, UINT_PTR *out)
{
    const UINT_PTR v[] = { a, b, (UINT_PTR)out };

    observe(self->owner, 3, v);
    *out = a + b;
    return S_OK;
}

static HRESULT WINAPI obj_Six(struct calc *self, UINT_PTR a, UINT_PTR b, UINT_PTR c, UINT_PTR d,
                              UINT_PTR e, UINT_PTR *out)
{
    const UINT_PTR v[] = { a, b, c, d, e, (UINT_PTR)out };

    observe(self->owner, 6, v);
    *out = a ^ b ^ c ^ d ^ e;
    return S_OK;
}

static HRESULT WINAPI obj_Eight(struct calc *self, UINT_PTR a, UINT_PTR b, UINT_PTR c, UINT_PTR d,
                                UINT_PTR e, UINT_PTR f, UINT_PTR g, UINT_PTR *out)
{
    const UINT_PTR v[] = { a, b, c, d, e, f, g, (UINT_PTR)out };

    observe(self->owner, 8, v);
    *out = a + b + c + d + e + f + g;
    return E_ACCESSDENIED;              /* a failure the method chose comes back too */
}

static const struct calc_vtbl calc_vtbl = {
    obj_QueryInterface, obj_AddRef, obj_Release, obj_Zero, obj_One, obj_Three, obj_Six, obj_Eight,
};

/* IRecord: one method that keeps the eight arguments it gets. */
struct record_vtbl {
    HRESULT (WINAPI *QueryInterface)(struct calc *self, REFIID iid, void **ppv);
    ULONG (WINAPI *AddRef)(struct calc *self);
    ULONG (WINAPI *Release)(struct calc *self);
    HRESULT (WINAPI *Record)(struct calc *self, UINT_PTR a, UINT_PTR b, UINT_PTR c, UINT_PTR d,
                             UINT_PTR e, UINT_PTR f, UINT_PTR g, UINT_PTR h);
};

static HRESULT WINAPI obj_Record(struct calc *self, UINT_PTR a, UINT_PTR b, UINT_PTR c,
                                 UINT_PTR d, UINT_PTR e, UINT_PTR f, UINT_PTR g, UINT_PTR h)
{
    const UINT_PTR v[] = { a, b, c, d, e, f, g, h };

    observe(self->owner, 8, v);
    return S_OK;
}

static const struct record_vtbl record_vtbl = {
    obj_QueryInterface, obj_AddRef, obj_Release, obj_Record,
};

/* --- a server, a client and a stream ------------------------------------------------- */

struct scene {
    struct party server, client;
    struct object object;
    IStream *stream;
};

/* One operation on a party's thread. */
struct op {
    struct scene *s;
    const IID *iid;
    DWORD flags;
    HRESULT hr;
    void *out;
};

static void co_init(void *arg)
{
    (void)arg;
    CU_ASSERT(CoInitializeEx(NULL, COINIT_MULTITHREADED) == S_OK);
}

static void co_uninit(void *arg)
{
    (void)arg;
    CoUninitialize();
}

static void scene_start(struct scene *s)
{
    register_test_interfaces();
    memset(s, 0, sizeof(*s));
    object_init(&s->object);
    party_start(&s->server, "svc-web", WS);
    party_do(&s->server, co_init, NULL);
    party_start(&s->client, "alice", WS);
    party_do(&s->client, co_init, NULL);
    CU_ASSERT_FATAL(CreateStreamOnHGlobal(NULL, TRUE, &s->stream) == S_OK);
}

static void scene_stop(struct scene *s)
{
    party_do(&s->client, co_uninit, NULL);
    party_stop(&s->client);
    party_do(&s->server, co_uninit, NULL);
    party_stop(&s->server);
    IStream_Release(s->stream);
    CU_ASSERT_EQUAL(s->object.refs, 1);  /* every reference COM took is back */
}

/* The memory stream's vtable, for a test stream that overrides one method. */
static const IStreamVtbl *memory_stream_vtbl(void)
{
    static const IStreamVtbl *vtbl;
    IStream *stream;

    if (!vtbl && CreateStreamOnHGlobal(NULL, TRUE, &stream) == S_OK) {
        vtbl = stream->lpVtbl;
        IStream_Release(stream);
    }
    return vtbl;
}

static void rewind_stream(IStream *stream)
{
    static const LARGE_INTEGER zero;

    CU_ASSERT(IStream_Seek(stream, zero, STREAM_SEEK_SET, NULL) == S_OK);
}

static void marshal_run(void *arg)
{
    struct op *o = arg;

    o->hr = CoMarshalInterface(o->s->stream, o->iid, (IUnknown *)&o->s->object.calc, MSHCTX_LOCAL,
                               NULL, o->flags);
}

static void unmarshal_run(void *arg)
{
    struct op *o = arg;

    o->hr = CoUnmarshalInterface(o->s->stream, o->iid, &o->out);
}

static void release_data_run(void *arg)
{
    struct op *o = arg;

    o->hr = CoReleaseMarshalData(o->s->stream);
}

static void release_run(void *arg)
{
    IUnknown_Release((IUnknown *)arg);
}

/* Marshal the object on the server, the stream rewound after. */
static HRESULT marshal(struct scene *s, const IID *iid, DWORD flags)
{
    struct op o = { s, iid, flags, E_FAIL, NULL };

    party_do(&s->server, marshal_run, &o);
    rewind_stream(s->stream);
    return o.hr;
}

/* Unmarshal from the start of the stream on `p`. */
static HRESULT unmarshal(struct scene *s, struct party *p, const IID *iid, void **out)
{
    struct op o = { s, iid, 0, E_FAIL, NULL };

    rewind_stream(s->stream);
    party_do(p, unmarshal_run, &o);
    *out = o.out;
    return o.hr;
}

static HRESULT release_data(struct scene *s, struct party *p)
{
    struct op o = { s, NULL, 0, E_FAIL, NULL };

    rewind_stream(s->stream);
    party_do(p, release_data_run, &o);
    return o.hr;
}

static void release_on(struct party *p, void *itf)
{
    party_do(p, release_run, itf);
}

/* --- the memory stream ---------------------------------------------------------------------- */

static ULONG position(IStream *stream)
{
    static const LARGE_INTEGER here;
    ULARGE_INTEGER pos = { .QuadPart = 0xdeadbeef };

    CU_ASSERT(IStream_Seek(stream, here, STREAM_SEEK_CUR, &pos) == S_OK);
    return (ULONG)pos.QuadPart;
}

static HRESULT seek(IStream *stream, LONG high, DWORD low, DWORD origin, ULARGE_INTEGER *pos)
{
    LARGE_INTEGER move;

    move.u.HighPart = high;
    move.u.LowPart = low;
    return IStream_Seek(stream, move, origin, pos);
}

/* Wine hglobalstream.c test_streamonhglobal (Windows results): reading
 * past the end reads nothing with S_OK; a move is the LowPart as a signed
 * 32-bit value, the HighPart ignored; below 0, past 4 GB (Windows 8 on)
 * or from an unknown origin STG_E_SEEKERROR with the position unchanged
 * and reported; SetSize ignores the HighPart; Commit and Revert S_OK;
 * LockRegion STG_E_INVALIDFUNCTION; Stat says STGTY_STREAM. */
static void stream_seek_size_and_read_past_end(void)
{
    static const char data[] = "Test String";
    IStream *stream;
    ULARGE_INTEGER size, pos;
    STATSTG st;
    char buf[64];
    ULONG n = 99;

    CU_ASSERT_FATAL(CreateStreamOnHGlobal(NULL, TRUE, &stream) == S_OK);
    size.QuadPart = sizeof(data);
    CU_ASSERT_EQUAL(IStream_SetSize(stream, size), S_OK);
    CU_ASSERT_EQUAL(IStream_Write(stream, data, sizeof(data), NULL), S_OK);
    CU_ASSERT_EQUAL(seek(stream, 0, sizeof(data) + 16, STREAM_SEEK_SET, NULL), S_OK);
    CU_ASSERT_EQUAL(IStream_Read(stream, buf, sizeof(buf), &n), S_OK);
    CU_ASSERT_EQUAL(n, 0);
    CU_ASSERT_EQUAL(position(stream), sizeof(data) + 16);
    CU_ASSERT_EQUAL(seek(stream, 0, 0, STREAM_SEEK_SET, NULL), S_OK);
    CU_ASSERT_EQUAL(IStream_Read(stream, buf, sizeof(buf), &n), S_OK);
    CU_ASSERT_EQUAL(n, sizeof(data));
    CU_ASSERT_STRING_EQUAL(buf, data);
    /* errors: the position stays and is reported */
    pos.QuadPart = 0xcafecafecafecafeull;
    CU_ASSERT_EQUAL(seek(stream, 0, 123, STREAM_SEEK_END + 1, &pos), STG_E_SEEKERROR);
    CU_ASSERT_EQUAL(pos.QuadPart, sizeof(data));
    CU_ASSERT_EQUAL(seek(stream, 0, -(DWORD)sizeof(data) - 1, STREAM_SEEK_CUR, &pos),
                    STG_E_SEEKERROR);
    CU_ASSERT_EQUAL(pos.QuadPart, sizeof(data));
    CU_ASSERT_EQUAL(seek(stream, 0, 0x80000000u, STREAM_SEEK_SET, &pos), STG_E_SEEKERROR);
    CU_ASSERT_EQUAL(seek(stream, -1, 0, STREAM_SEEK_CUR, &pos), S_OK);
    CU_ASSERT_EQUAL(pos.QuadPart, sizeof(data));
    CU_ASSERT_EQUAL(seek(stream, 0, -(DWORD)sizeof(data), STREAM_SEEK_CUR, &pos), S_OK);
    CU_ASSERT_EQUAL(pos.QuadPart, 0);
    CU_ASSERT_EQUAL(seek(stream, 0, 0x7fffffffu, STREAM_SEEK_SET, &pos), S_OK);
    CU_ASSERT_EQUAL(seek(stream, 0, 9, STREAM_SEEK_CUR, &pos), S_OK);
    CU_ASSERT_EQUAL(pos.QuadPart, 0x80000008u);
    CU_ASSERT_EQUAL(seek(stream, 0, 0x7fffffffu, STREAM_SEEK_CUR, &pos), STG_E_SEEKERROR);
    CU_ASSERT_EQUAL(pos.QuadPart, 0x80000008u);
    CU_ASSERT_EQUAL(seek(stream, 0, 0, STREAM_SEEK_END, &pos), S_OK);
    CU_ASSERT_EQUAL(pos.QuadPart, sizeof(data));
    /* SetSize: the HighPart is ignored */
    size.u.HighPart = 0xffffffffu;
    size.u.LowPart = 4;
    CU_ASSERT_EQUAL(IStream_SetSize(stream, size), S_OK);
    CU_ASSERT_EQUAL(IStream_Stat(stream, &st, STATFLAG_DEFAULT), S_OK);
    CU_ASSERT_EQUAL(st.type, STGTY_STREAM);
    CU_ASSERT_EQUAL(st.cbSize.QuadPart, 4);
    CU_ASSERT_PTR_NULL(st.pwcsName);
    CU_ASSERT_EQUAL(position(stream), sizeof(data));    /* SetSize leaves the pointer */
    CU_ASSERT_EQUAL(IStream_Commit(stream, STGC_DEFAULT), S_OK);
    CU_ASSERT_EQUAL(IStream_Revert(stream), S_OK);
    CU_ASSERT_EQUAL(IStream_LockRegion(stream, size, size, LOCK_WRITE), STG_E_INVALIDFUNCTION);
    CU_ASSERT_EQUAL(IStream_UnlockRegion(stream, size, size, LOCK_WRITE), STG_E_INVALIDFUNCTION);
    IStream_Release(stream);
}

/* "ISequentialStream::Write" (Microsoft docs): writing past the end grows
 * the stream; the gap a seek left reads as zero (ntsec's choice for bytes
 * the page calls undefined). */
static void stream_write_past_end_grows(void)
{
    IStream *stream;
    unsigned char buf[8];
    ULONG n = 0;
    STATSTG st;

    CU_ASSERT_FATAL(CreateStreamOnHGlobal(NULL, FALSE, &stream) == S_OK);
    CU_ASSERT_EQUAL(seek(stream, 0, 4, STREAM_SEEK_SET, NULL), S_OK);
    CU_ASSERT_EQUAL(IStream_Write(stream, "ab", 2, &n), S_OK);
    CU_ASSERT_EQUAL(n, 2);
    CU_ASSERT_EQUAL(IStream_Stat(stream, &st, STATFLAG_NONAME), S_OK);
    CU_ASSERT_EQUAL(st.cbSize.QuadPart, 6);
    CU_ASSERT_EQUAL(seek(stream, 0, 0, STREAM_SEEK_SET, NULL), S_OK);
    CU_ASSERT_EQUAL(IStream_Read(stream, buf, sizeof(buf), &n), S_OK);
    CU_ASSERT_EQUAL(n, 6);
    CU_ASSERT_MEM_EQUAL(buf, "\0\0\0\0ab", 6);
    CU_ASSERT_EQUAL(IStream_Write(stream, "", 0, &n), S_OK);
    CU_ASSERT_EQUAL(n, 0);
    IStream_Release(stream);
}

/* Wine hglobalstream.c test_IStream_Clone and test_copyto: a clone shares
 * the memory and starts at the original's position, then seeks on its
 * own; the memory outlives the original; CopyTo copies from the pointer
 * and reports what it read and wrote. */
static void stream_clone_and_copy_to(void)
{
    IStream *stream, *clone, *copy;
    ULARGE_INTEGER size, read, written;
    char buf[32] = { 0 };

    CU_ASSERT_FATAL(CreateStreamOnHGlobal(NULL, TRUE, &stream) == S_OK);
    CU_ASSERT_EQUAL(IStream_Write(stream, "Hello World!", 13, NULL), S_OK);
    CU_ASSERT_FATAL(IStream_Clone(stream, &clone) == S_OK);
    CU_ASSERT_EQUAL(position(clone), 13);
    CU_ASSERT_EQUAL(seek(clone, 0, 6, STREAM_SEEK_SET, NULL), S_OK);
    CU_ASSERT_EQUAL(position(stream), 13);
    size.QuadPart = 0x8000;
    CU_ASSERT_EQUAL(IStream_SetSize(stream, size), S_OK);
    CU_ASSERT_EQUAL(IStream_Release(stream), 0);
    CU_ASSERT_FATAL(CreateStreamOnHGlobal(NULL, TRUE, &copy) == S_OK);
    size.QuadPart = 7;
    CU_ASSERT_EQUAL(IStream_CopyTo(clone, copy, size, &read, &written), S_OK);
    CU_ASSERT_EQUAL(read.QuadPart, 7);
    CU_ASSERT_EQUAL(written.QuadPart, 7);
    CU_ASSERT_EQUAL(position(clone), 13);
    CU_ASSERT_EQUAL(seek(copy, 0, 0, STREAM_SEEK_SET, NULL), S_OK);
    CU_ASSERT_EQUAL(IStream_Read(copy, buf, sizeof(buf), NULL), S_OK);
    CU_ASSERT_STRING_EQUAL(buf, "World!");
    IStream_Release(copy);
    CU_ASSERT_EQUAL(IStream_Release(clone), 0);
}

/* "CreateStreamOnHGlobal": ppstm NULL is E_INVALIDARG; an hGlobal is
 * E_INVALIDARG too (ntsec has no GlobalAlloc, docs/com.md); NULL buffers
 * and out-pointers of IStream's methods are STG_E_INVALIDPOINTER
 * ("IStream"); QueryInterface gives ISequentialStream and IStream. */
static void stream_bad_arguments(void)
{
    IStream *stream = NULL, *none = (IStream *)1;
    ISequentialStream *seq = NULL;
    IUnknown *other = NULL;
    ULARGE_INTEGER cb = { .QuadPart = 1 };
    ULONG n = 7;
    char c;

    CU_ASSERT_EQUAL(CreateStreamOnHGlobal(NULL, TRUE, NULL), E_INVALIDARG);
    CU_ASSERT_EQUAL(CreateStreamOnHGlobal((HGLOBAL)&c, TRUE, &none), E_INVALIDARG);
    CU_ASSERT_PTR_EQUAL(none, (IStream *)1);
    CU_ASSERT_FATAL(CreateStreamOnHGlobal(NULL, TRUE, &stream) == S_OK);
    CU_ASSERT_EQUAL(IStream_Read(stream, NULL, 1, &n), STG_E_INVALIDPOINTER);
    CU_ASSERT_EQUAL(IStream_Write(stream, NULL, 1, &n), STG_E_INVALIDPOINTER);
    CU_ASSERT_EQUAL(n, 0);
    CU_ASSERT_EQUAL(IStream_Stat(stream, NULL, STATFLAG_DEFAULT), STG_E_INVALIDPOINTER);
    CU_ASSERT_EQUAL(IStream_Clone(stream, NULL), STG_E_INVALIDPOINTER);
    CU_ASSERT_EQUAL(IStream_CopyTo(stream, NULL, cb, NULL, NULL), STG_E_INVALIDPOINTER);
    CU_ASSERT_EQUAL(IStream_QueryInterface(stream, &IID_ISequentialStream, (void **)&seq), S_OK);
    CU_ASSERT_EQUAL(IStream_QueryInterface(stream, &IID_IMarshal, (void **)&other), E_NOINTERFACE);
    CU_ASSERT_PTR_NULL(other);
    ISequentialStream_Release(seq);
    CU_ASSERT_EQUAL(IStream_Release(stream), 0);
}

/* Wine hglobalstream.c test_freed_hglobal: a stream that cannot get
 * memory fails SetSize and Write with E_OUTOFMEMORY, nothing written. */
static void stream_out_of_memory(void)
{
    IStream *stream = NULL;
    ULARGE_INTEGER size = { .QuadPart = 64 };
    ULONG n = 9;
    STATSTG st;

    testutil_fail_alloc_after(0);
    CU_ASSERT_EQUAL(CreateStreamOnHGlobal(NULL, TRUE, &stream), E_OUTOFMEMORY);
    testutil_fail_alloc_after(-1);
    CU_ASSERT_FATAL(CreateStreamOnHGlobal(NULL, TRUE, &stream) == S_OK);
    testutil_fail_alloc_after(0);
    CU_ASSERT_EQUAL(IStream_SetSize(stream, size), E_OUTOFMEMORY);
    testutil_fail_alloc_after(0);
    CU_ASSERT_EQUAL(IStream_Write(stream, "x", 1, &n), E_OUTOFMEMORY);
    testutil_fail_alloc_after(-1);
    CU_ASSERT_EQUAL(n, 0);
    CU_ASSERT_EQUAL(IStream_Stat(stream, &st, STATFLAG_DEFAULT), S_OK);
    CU_ASSERT_EQUAL(st.cbSize.QuadPart, 0);
    IStream_Release(stream);
}

/* --- registration ------------------------------------------------------------------------ */

/* The registration is ntsec's stand-in for a proxy/stub DLL (docs/com.md):
 * bad descriptions are E_INVALIDARG; the argument count of a slot, or
 * E_NOINTERFACE unregistered, RPC_E_INVALIDMETHOD out of range; IUnknown
 * is always registered. */
static void register_interface_rules(void)
{
    static const unsigned char nine[] = { 9 };
    unsigned count = 77;

    register_test_interfaces();
    CU_ASSERT_EQUAL(ntsec_com_register_interface(NULL, 1, ping_args), E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_register_interface(&IID_IUnknown, 0, NULL), E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_register_interface(&iid_hidden, 33, calc_args), E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_register_interface(&iid_hidden, 1, NULL), E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_register_interface(&iid_hidden, 1, nine), E_INVALIDARG);
    CU_ASSERT(!ntsec_com_interface_registered(&iid_hidden));
    CU_ASSERT(ntsec_com_interface_registered(&IID_IUnknown));
    CU_ASSERT_EQUAL(ntsec_com_interface_args(&iid_calc, 7, &count), S_OK);
    CU_ASSERT_EQUAL(count, 8);
    CU_ASSERT_EQUAL(ntsec_com_interface_args(&iid_calc, 8, &count), RPC_E_INVALIDMETHOD);
    CU_ASSERT_EQUAL(ntsec_com_interface_args(&iid_calc, 2, &count), RPC_E_INVALIDMETHOD);
    CU_ASSERT_EQUAL(ntsec_com_interface_args(&iid_hidden, 3, &count), E_NOINTERFACE);
    CU_ASSERT_EQUAL(count, 8);
}

/* --- the native stub and packet ------------------------------------------------------------ */

static int stub_releases;

static void count_release(void *object)
{
    (void)object;
    stub_releases++;
}

/* "MSHLFLAGS" through ntsec's stub (ntsec/com_marshal.h): a NORMAL
 * record is claimed once (Wine marshal.c: CO_E_OBJNOTCONNECTED the
 * second time), a table record many times; TABLESTRONG holds a strong
 * reference, TABLEWEAK none; the object is released when the stub is
 * disconnected with no call in it, or by the last call that was. */
static void stub_records_and_strong_references(void)
{
    static int object;
    uint32_t id = 0, normal = 0, strong = 0, weak = 0;
    void *got = NULL;
    bool last = true;

    stub_releases = 0;
    CU_ASSERT_FATAL(ntsec_com_stub_new(&object, count_release, &id) == S_OK);
    CU_ASSERT_EQUAL(ntsec_com_stub_marshal(id, MSHLFLAGS_NORMAL, &normal), S_OK);
    CU_ASSERT_EQUAL(ntsec_com_stub_marshal(id, MSHLFLAGS_TABLESTRONG, &strong), S_OK);
    CU_ASSERT_EQUAL(ntsec_com_stub_marshal(id, MSHLFLAGS_TABLEWEAK, &weak), S_OK);
    CU_ASSERT(normal && strong && weak && normal != strong && strong != weak);
    CU_ASSERT_EQUAL(ntsec_com_stub_claim(id, normal), S_OK);
    CU_ASSERT_EQUAL(ntsec_com_stub_claim(id, normal), CO_E_OBJNOTCONNECTED);
    CU_ASSERT_EQUAL(ntsec_com_stub_claim(id, weak), S_OK);
    CU_ASSERT_EQUAL(ntsec_com_stub_claim(id, weak), S_OK);
    /* strong: the NORMAL proxy, the TABLESTRONG record, two weak proxies */
    CU_ASSERT_EQUAL(ntsec_com_stub_unref(id, &last), S_OK);
    CU_ASSERT(!last);
    CU_ASSERT_EQUAL(ntsec_com_stub_release_marshal(id, weak, &last), S_OK);
    CU_ASSERT(!last);
    CU_ASSERT_EQUAL(ntsec_com_stub_release_marshal(id, weak, &last), CO_E_OBJNOTCONNECTED);
    CU_ASSERT_EQUAL(ntsec_com_stub_release_marshal(id, strong, &last), S_OK);
    CU_ASSERT_EQUAL(ntsec_com_stub_unref(id, &last), S_OK);
    CU_ASSERT(!last);
    CU_ASSERT_EQUAL(ntsec_com_stub_unref(id, &last), S_OK);
    CU_ASSERT(last);
    CU_ASSERT_EQUAL(ntsec_com_stub_enter(id, &got), S_OK);
    CU_ASSERT_PTR_EQUAL(got, &object);
    ntsec_com_stub_disconnect(id);
    CU_ASSERT_EQUAL(stub_releases, 0);          /* a call is still in it */
    CU_ASSERT_EQUAL(ntsec_com_stub_enter(id, &got), CO_E_OBJNOTCONNECTED);
    CU_ASSERT_EQUAL(ntsec_com_stub_marshal(id, MSHLFLAGS_NORMAL, &normal), CO_E_OBJNOTCONNECTED);
    ntsec_com_stub_leave(id);
    CU_ASSERT_EQUAL(stub_releases, 1);
    ntsec_com_stub_disconnect(id);              /* gone: nothing */
    CU_ASSERT_EQUAL(stub_releases, 1);
}

/* Bad input to the native marshal API changes nothing (ntsec/com_marshal.h). */
static void stub_and_packet_bad_arguments(void)
{
    static int object;
    const struct ntsec_com_objref good = { MSHLFLAGS_TABLESTRONG, { 1, 2, 3 }, 7, 8, 9 };
    struct ntsec_com_objref out = { 0 }, back = { 0 };
    uint8_t packet[NTSEC_COM_OBJREF_SIZE];
    uint32_t id = 5, serial = 6;
    bool last = false;
    void *got = NULL;

    stub_releases = 0;
    CU_ASSERT_EQUAL(ntsec_com_stub_new(NULL, count_release, &id), E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_stub_new(&object, NULL, &id), E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_stub_new(&object, count_release, NULL), E_INVALIDARG);
    CU_ASSERT_EQUAL(id, 5);
    CU_ASSERT_FATAL(ntsec_com_stub_new(&object, count_release, &id) == S_OK);
    CU_ASSERT_EQUAL(ntsec_com_stub_enter(id, NULL), E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_stub_marshal(id, MSHLFLAGS_NOPING, &serial), E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_stub_marshal(id, MSHLFLAGS_NORMAL, NULL), E_INVALIDARG);
    CU_ASSERT_EQUAL(serial, 6);
    CU_ASSERT_EQUAL(ntsec_com_stub_release_marshal(id, 1, NULL), E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_stub_unref(id, NULL), E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_stub_unref(id, &last), CO_E_OBJNOTCONNECTED);  /* none held */
    CU_ASSERT_EQUAL(ntsec_com_stub_claim(id, 12345), CO_E_OBJNOTCONNECTED);
    CU_ASSERT_EQUAL(ntsec_com_stub_enter(0, &got), CO_E_OBJNOTCONNECTED);
    ntsec_com_stub_disconnect(id);
    CU_ASSERT_EQUAL(stub_releases, 1);
    /* the packet: a round trip, then what is refused */
    ntsec_com_objref_write(&good, packet);
    CU_ASSERT_EQUAL(ntsec_com_objref_read(packet, sizeof(packet), &back), S_OK);
    CU_ASSERT_MEM_EQUAL(&back, &good, sizeof(good));
    CU_ASSERT_EQUAL(ntsec_com_objref_read(NULL, sizeof(packet), &out), STG_E_READFAULT);
    CU_ASSERT_EQUAL(ntsec_com_objref_read(packet, sizeof(packet) - 1, &out), STG_E_READFAULT);
    packet[28] = packet[29] = packet[30] = packet[31] = 0;          /* cookie 0 */
    CU_ASSERT_EQUAL(ntsec_com_objref_read(packet, sizeof(packet), &out), RPC_E_INVALID_OBJREF);
    CU_ASSERT_EQUAL(out.cookie, 0);
    CU_ASSERT_EQUAL(ntsec_com_interface_args(NULL, 3, &serial), E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_interface_args(&iid_calc, 3, NULL), E_INVALIDARG);
    CU_ASSERT(!ntsec_com_interface_registered(NULL));
}

/* --- marshaling ---------------------------------------------------------------------------- */

struct calls {
    struct calc *proxy;
    HRESULT zero, one, three, six, eight;
    UINT_PTR out1, out3, out6, out8;
    struct object *object;
    UINT_PTR seen6[6], seen8[8];
    HRESULT context;
};

static void calls_run(void *arg)
{
    struct calls *c = arg;
    struct calc *p = c->proxy;

    c->zero = p->lpVtbl->Zero(p);
    c->context = c->object->context;
    c->one = p->lpVtbl->One(p, &c->out1);
    c->three = p->lpVtbl->Three(p, 40, 2, &c->out3);
    c->six = p->lpVtbl->Six(p, 1, 2, 4, 8, 0x8000000000000000ull, &c->out6);
    memcpy(c->seen6, c->object->seen, sizeof(c->seen6));
    c->eight = p->lpVtbl->Eight(p, 0x1111111111111111ull, 0x2222222222222222ull, 3, 4, 5, 6,
                                0x7000000000000007ull, &c->out8);
    memcpy(c->seen8, c->object->seen, sizeof(c->seen8));
}

/* Marshal ICalc NORMAL on the server, unmarshal it on `where` as `want`,
 * call every method there, release the proxy: the object is marshaled
 * (it holds more references) and the proxy is not the object. */
static void marshal_and_call(struct scene *s, struct party *where, const IID *want,
                             struct calls *c)
{
    CU_ASSERT_EQUAL_FATAL(marshal(s, &iid_calc, MSHLFLAGS_NORMAL), S_OK);
    CU_ASSERT(s->object.refs > 1);
    CU_ASSERT_EQUAL_FATAL(unmarshal(s, where, want, (void **)&c->proxy), S_OK);
    CU_ASSERT_PTR_NOT_EQUAL(c->proxy, &s->object.calc);
    c->object = &s->object;
    party_do(where, calls_run, c);
    release_on(where, c->proxy);
}

/* "CoMarshalInterface" / "CoUnmarshalInterface" (Microsoft docs): the
 * object is marshaled in one process and its proxy unmarshaled in
 * another; every method of the registered interface is forwarded with
 * its arguments, on the server (CoGetCallContext works there), its
 * out-parameters and HRESULT come back. Wine marshal.c
 * test_normal_marshal_and_unmarshal: the proxy's release frees the
 * object's references. */
static void normal_marshal_calls_every_method(void)
{
    struct scene s;
    struct calls c = { 0 };

    scene_start(&s);
    marshal_and_call(&s, &s.client, &iid_calc, &c);
    CU_ASSERT_EQUAL(c.zero, 0x00040007);
    CU_ASSERT_EQUAL(c.context, S_OK);
    CU_ASSERT_EQUAL(c.one, S_OK);
    CU_ASSERT_EQUAL(c.out1, 0x1234567887654321ull);
    CU_ASSERT_EQUAL(c.three, S_OK);
    CU_ASSERT_EQUAL(c.out3, 42);
    CU_ASSERT_EQUAL(c.six, S_OK);
    CU_ASSERT_EQUAL(c.out6, 0x800000000000000full);
    CU_ASSERT_EQUAL(c.seen6[4], 0x8000000000000000ull);
    CU_ASSERT_EQUAL(c.seen6[5], (UINT_PTR)&c.out6);
    CU_ASSERT_EQUAL(c.eight, E_ACCESSDENIED);
    CU_ASSERT_EQUAL(c.out8, 0x1111111111111111ull + 0x2222222222222222ull + 18 +
                                0x7000000000000007ull);
    CU_ASSERT_EQUAL(c.seen8[0], 0x1111111111111111ull);
    CU_ASSERT_EQUAL(c.seen8[6], 0x7000000000000007ull);
    CU_ASSERT_EQUAL(c.seen8[7], (UINT_PTR)&c.out8);
    CU_ASSERT_EQUAL(s.object.nseen, 8);
    CU_ASSERT_EQUAL(s.object.refs, 1);
    scene_stop(&s);
}

/* Wine marshal.c test_normal_marshal_and_unmarshal_twice: a NORMAL
 * packet unmarshals once; again, CO_E_OBJNOTCONNECTED. */
static void normal_marshal_unmarshals_once(void)
{
    struct scene s;
    void *first = NULL, *second = (void *)1;

    scene_start(&s);
    CU_ASSERT_EQUAL_FATAL(marshal(&s, &iid_calc, MSHLFLAGS_NORMAL), S_OK);
    CU_ASSERT_EQUAL_FATAL(unmarshal(&s, &s.client, &iid_calc, &first), S_OK);
    CU_ASSERT_EQUAL(unmarshal(&s, &s.client, &iid_calc, &second), CO_E_OBJNOTCONNECTED);
    CU_ASSERT_PTR_NULL(second);
    CU_ASSERT(s.object.refs > 1);
    CU_ASSERT_EQUAL(release_data(&s, &s.client), CO_E_OBJNOTCONNECTED);
    release_on(&s.client, first);
    CU_ASSERT_EQUAL(s.object.refs, 1);
    scene_stop(&s);
}

/* Wine marshal.c test_normal_marshal_and_release and
 * test_bad_marshal_stream / compobj.c test_CoMarshalInterface: a stream
 * not rewound is STG_E_READFAULT; CoReleaseMarshalData frees the object;
 * the packet is then stale (CO_E_OBJNOTCONNECTED). */
static void release_marshal_data_frees_the_object(void)
{
    struct scene s;
    struct op o;
    void *proxy = (void *)1;

    scene_start(&s);
    o = (struct op){ &s, &iid_calc, MSHLFLAGS_NORMAL, E_FAIL, NULL };
    party_do(&s.server, marshal_run, &o);
    CU_ASSERT_EQUAL_FATAL(o.hr, S_OK);
    party_do(&s.server, release_data_run, &o);      /* not rewound */
    CU_ASSERT_EQUAL(o.hr, STG_E_READFAULT);
    CU_ASSERT(s.object.refs > 1);
    CU_ASSERT_EQUAL(release_data(&s, &s.server), S_OK);
    CU_ASSERT_EQUAL(s.object.refs, 1);
    CU_ASSERT_EQUAL(unmarshal(&s, &s.client, &iid_calc, &proxy), CO_E_OBJNOTCONNECTED);
    CU_ASSERT_PTR_NULL(proxy);
    CU_ASSERT_EQUAL(release_data(&s, &s.client), CO_E_OBJNOTCONNECTED);
    scene_stop(&s);
}

/* "MSHLFLAGS" and Wine marshal.c test_tablestrong_marshal_and_unmarshal_twice:
 * a TABLESTRONG packet unmarshals many times and keeps the object after
 * its proxies go, until CoReleaseMarshalData (here from the client's
 * process). */
static void tablestrong_unmarshals_until_released(void)
{
    struct scene s;
    void *p[3] = { NULL };

    scene_start(&s);
    CU_ASSERT_EQUAL_FATAL(marshal(&s, &iid_calc, MSHLFLAGS_TABLESTRONG), S_OK);
    for (int i = 0; i < 3; i++)
        CU_ASSERT_EQUAL(unmarshal(&s, &s.client, &iid_calc, &p[i]), S_OK);
    CU_ASSERT_PTR_NOT_EQUAL(p[0], p[1]);
    for (int i = 0; i < 3; i++)
        if (p[i])
            release_on(&s.client, p[i]);
    CU_ASSERT(s.object.refs > 1);
    CU_ASSERT_EQUAL(release_data(&s, &s.client), S_OK);
    CU_ASSERT_EQUAL(s.object.refs, 1);
    CU_ASSERT_EQUAL(unmarshal(&s, &s.client, &iid_calc, &p[0]), CO_E_OBJNOTCONNECTED);
    scene_stop(&s);
}

/* "MSHLFLAGS" and Wine marshal.c test_tableweak_marshal_and_unmarshal_twice:
 * a TABLEWEAK packet unmarshals many times, but the object goes with its
 * last proxy ("weak has cLocks == 0"). */
static void tableweak_object_goes_with_its_last_proxy(void)
{
    struct scene s;
    void *p1 = NULL, *p2 = NULL;

    scene_start(&s);
    CU_ASSERT_EQUAL_FATAL(marshal(&s, &iid_calc, MSHLFLAGS_TABLEWEAK), S_OK);
    CU_ASSERT(s.object.refs > 1);
    CU_ASSERT_EQUAL_FATAL(unmarshal(&s, &s.client, &iid_calc, &p1), S_OK);
    CU_ASSERT_EQUAL_FATAL(unmarshal(&s, &s.client, &iid_calc, &p2), S_OK);
    release_on(&s.client, p1);
    CU_ASSERT(s.object.refs > 1);
    release_on(&s.client, p2);
    CU_ASSERT_EQUAL(s.object.refs, 1);
    CU_ASSERT_EQUAL(release_data(&s, &s.server), CO_E_OBJNOTCONNECTED);
    scene_stop(&s);
}

/* The same, released before any proxy: CoReleaseMarshalData of a weak
 * packet frees the object (nothing else holds it). */
static void tableweak_release_marshal_data(void)
{
    struct scene s;

    scene_start(&s);
    CU_ASSERT_EQUAL_FATAL(marshal(&s, &iid_calc, MSHLFLAGS_TABLEWEAK), S_OK);
    CU_ASSERT_EQUAL(release_data(&s, &s.server), S_OK);
    CU_ASSERT_EQUAL(s.object.refs, 1);
    scene_stop(&s);
}

struct hidden_step {
    struct calc *proxy;
    HRESULT hidden, lacking, ping;
};

static void hidden_run(void *arg)
{
    struct hidden_step *h = arg;
    void *itf = NULL;

    h->hidden = IUnknown_QueryInterface((IUnknown *)h->proxy, &iid_hidden, &itf);
    h->lacking = IUnknown_QueryInterface((IUnknown *)h->proxy, &iid_lacking, &itf);
    h->ping = IUnknown_QueryInterface((IUnknown *)h->proxy, &iid_ping, &itf);
    if (itf)
        IUnknown_Release((IUnknown *)itf);
}

/* Wine marshal.c test_no_marshaler (and "ProxyStubClsid32", Microsoft docs): an
 * interface without a proxy/stub cannot be marshaled, E_NOINTERFACE,
 * even when the object has it; so is one the object lacks; a proxy's
 * QueryInterface for either is E_NOINTERFACE; CoUnmarshalInterface for
 * an unregistered IID too, the packet left for a later unmarshal. */
static void unregistered_interfaces_are_not_marshaled(void)
{
    struct scene s;
    struct hidden_step h = { NULL, S_OK, S_OK, E_FAIL };
    void *none = (void *)1;

    scene_start(&s);
    CU_ASSERT_EQUAL(marshal(&s, &iid_hidden, MSHLFLAGS_NORMAL), E_NOINTERFACE);
    CU_ASSERT_EQUAL(marshal(&s, &iid_lacking, MSHLFLAGS_NORMAL), E_NOINTERFACE);
    CU_ASSERT_EQUAL(s.object.refs, 1);
    CU_ASSERT_EQUAL_FATAL(marshal(&s, &IID_IUnknown, MSHLFLAGS_NORMAL), S_OK);
    CU_ASSERT_EQUAL(unmarshal(&s, &s.client, &iid_hidden, &none), E_NOINTERFACE);
    CU_ASSERT_PTR_NULL(none);
    CU_ASSERT_EQUAL_FATAL(unmarshal(&s, &s.client, &IID_IUnknown, (void **)&h.proxy), S_OK);
    party_do(&s.client, hidden_run, &h);
    CU_ASSERT_EQUAL(h.hidden, E_NOINTERFACE);
    CU_ASSERT_EQUAL(h.lacking, E_NOINTERFACE);
    CU_ASSERT_EQUAL(h.ping, S_OK);
    release_on(&s.client, h.proxy);
    CU_ASSERT_EQUAL(s.object.refs, 1);
    scene_stop(&s);
}

/* "CoUnmarshalInterface": IID_NULL unmarshals the interface that was
 * marshaled. */
static void iid_null_gives_the_marshaled_interface(void)
{
    struct scene s;
    struct calls c = { 0 };

    scene_start(&s);
    marshal_and_call(&s, &s.client, &iid_null, &c);
    CU_ASSERT_EQUAL(c.out3, 42);
    scene_stop(&s);
}

struct record_step {
    struct calc *proxy;
};

static void record_run(void *arg)
{
    struct record_step *r = arg;
    struct calc *rec = NULL;

    CU_ASSERT_FATAL(IUnknown_QueryInterface((IUnknown *)r->proxy, &iid_record, (void **)&rec) ==
                    S_OK);
    CU_ASSERT(((const struct record_vtbl *)rec->lpVtbl)->Record(rec, 1, 2, 3, 4, 5, 6, 7, 8) ==
              S_OK);
    IUnknown_Release((IUnknown *)rec);
}

/* The registration says how many arguments a method takes, and only
 * those are forwarded (the rest arrive as zero); registering the IID
 * again replaces it ("CoRegisterPSClsid" replaces a proxy/stub). */
static void only_registered_arguments_are_forwarded(void)
{
    static const unsigned char two[] = { 2 }, eight[] = { 8 };
    static const UINT_PTR first[8] = { 1, 2 }, all[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
    struct scene s;
    struct record_step r = { 0 };

    scene_start(&s);
    CU_ASSERT_EQUAL(ntsec_com_register_interface(&iid_record, 1, two), S_OK);
    CU_ASSERT_EQUAL_FATAL(marshal(&s, &iid_calc, MSHLFLAGS_NORMAL), S_OK);
    CU_ASSERT_EQUAL_FATAL(unmarshal(&s, &s.client, &iid_calc, (void **)&r.proxy), S_OK);
    party_do(&s.client, record_run, &r);
    CU_ASSERT_MEM_EQUAL(s.object.seen, first, sizeof(first));
    CU_ASSERT_EQUAL(ntsec_com_register_interface(&iid_record, 1, eight), S_OK);
    party_do(&s.client, record_run, &r);
    CU_ASSERT_MEM_EQUAL(s.object.seen, all, sizeof(all));
    release_on(&s.client, r.proxy);
    scene_stop(&s);
}

struct bad_step {
    struct scene *s;
};

static void bad_marshal_run(void *arg)
{
    struct scene *s = ((struct bad_step *)arg)->s;
    IUnknown *unk = (IUnknown *)&s->object.calc;
    IStream *stm = (IStream *)1;
    void *out = (void *)1;
    ULONG size = 0;
    static int reserved;

    /* Wine compobj.c test_CoMarshalInterface / test_CoUnmarshalInterface /
     * test_CoMarshalInterThreadInterfaceInStream /
     * test_CoGetInterfaceAndReleaseStream */
    CU_ASSERT_EQUAL(CoMarshalInterface(s->stream, &iid_calc, NULL, MSHCTX_LOCAL, NULL, 0),
                    E_INVALIDARG);
    CU_ASSERT_EQUAL(CoMarshalInterface(NULL, &iid_calc, unk, MSHCTX_LOCAL, NULL, 0), E_INVALIDARG);
    CU_ASSERT_EQUAL(CoMarshalInterface(s->stream, NULL, unk, MSHCTX_LOCAL, NULL, 0), E_INVALIDARG);
    CU_ASSERT_EQUAL(CoUnmarshalInterface(NULL, &iid_calc, &out), E_INVALIDARG);
    CU_ASSERT_EQUAL(CoUnmarshalInterface(s->stream, &iid_calc, NULL), E_INVALIDARG);
    CU_ASSERT_EQUAL(CoReleaseMarshalData(NULL), E_INVALIDARG);
    CU_ASSERT_EQUAL(CoMarshalInterThreadInterfaceInStream(&iid_calc, unk, NULL), E_INVALIDARG);
    CU_ASSERT_EQUAL(CoMarshalInterThreadInterfaceInStream(&iid_calc, NULL, &stm), E_INVALIDARG);
    CU_ASSERT_PTR_EQUAL(stm, (IStream *)1);
    CU_ASSERT_EQUAL(CoGetInterfaceAndReleaseStream(NULL, &iid_calc, &out), E_INVALIDARG);
    /* ntsec's choices (docs/com.md): unknown MSHLFLAGS or MSHCTX, a
     * pvDestContext */
    CU_ASSERT_EQUAL(CoMarshalInterface(s->stream, &iid_calc, unk, MSHCTX_LOCAL, NULL, 8),
                    E_INVALIDARG);
    CU_ASSERT_EQUAL(CoMarshalInterface(s->stream, &iid_calc, unk, 6, NULL, 0), E_INVALIDARG);
    CU_ASSERT_EQUAL(CoMarshalInterface(s->stream, &iid_calc, unk, MSHCTX_LOCAL, &reserved, 0),
                    E_INVALIDARG);
    CU_ASSERT_EQUAL(CoGetMarshalSizeMax(NULL, &iid_calc, unk, MSHCTX_LOCAL, NULL, 0),
                    E_INVALIDARG);
    CU_ASSERT_EQUAL(CoGetMarshalSizeMax(&size, &iid_hidden, unk, MSHCTX_LOCAL, NULL, 0),
                    E_NOINTERFACE);
    CU_ASSERT_EQUAL(CoGetMarshalSizeMax(&size, &iid_lacking, unk, MSHCTX_LOCAL, NULL, 0),
                    E_NOINTERFACE);
    CU_ASSERT_EQUAL(size, 0);
    /* "CoGetMarshalSizeMax": an upper bound of what CoMarshalInterface
     * writes; NOPING may be added to the flags. */
    CU_ASSERT_EQUAL(CoGetMarshalSizeMax(&size, &iid_calc, unk, MSHCTX_LOCAL, NULL,
                                        MSHLFLAGS_NORMAL | MSHLFLAGS_NOPING), S_OK);
    CU_ASSERT_EQUAL(size, NTSEC_COM_OBJREF_SIZE);
}

static void uninitialised_run(void *arg)
{
    struct scene *s = ((struct bad_step *)arg)->s;
    IUnknown *unk = (IUnknown *)&s->object.calc;
    void *out = NULL;

    /* "CoMarshalInterface" (CO_E_NOTINITIALIZED); Wine compobj.c
     * test_CoUnmarshalInterface: before anything is read. */
    CU_ASSERT_EQUAL(CoMarshalInterface(s->stream, &iid_calc, unk, MSHCTX_LOCAL, NULL, 0),
                    CO_E_NOTINITIALIZED);
    CU_ASSERT_EQUAL(CoUnmarshalInterface(s->stream, &iid_calc, &out), CO_E_NOTINITIALIZED);
    CU_ASSERT_EQUAL(position(s->stream), 0);
}

/* Bad arguments change nothing: no reference taken, nothing written. */
static void marshal_bad_arguments(void)
{
    struct scene s;
    struct bad_step b = { &s };
    struct party stranger;
    STATSTG st;

    scene_start(&s);
    party_do(&s.server, bad_marshal_run, &b);
    party_start(&stranger, "bob", WS);
    party_do(&stranger, uninitialised_run, &b);
    party_stop(&stranger);
    CU_ASSERT_EQUAL(IStream_Stat(s.stream, &st, STATFLAG_NONAME), S_OK);
    CU_ASSERT_EQUAL(st.cbSize.QuadPart, 0);
    CU_ASSERT_EQUAL(s.object.refs, 1);
    scene_stop(&s);
}

/* Write `n` bytes of `packet` (with `patch` applied at `at`) as the
 * stream's whole content. */
static void stream_holds(IStream *stream, const uint8_t *packet, ULONG n, ULONG at, uint8_t patch)
{
    uint8_t copy[NTSEC_COM_OBJREF_SIZE];
    ULARGE_INTEGER zero = { .QuadPart = 0 };

    memcpy(copy, packet, sizeof(copy));
    if (at < sizeof(copy))
        copy[at] ^= patch;
    CU_ASSERT(IStream_SetSize(stream, zero) == S_OK);
    rewind_stream(stream);
    CU_ASSERT(IStream_Write(stream, copy, n, NULL) == S_OK);
    rewind_stream(stream);
}

/* Wine compobj.c test_CoUnmarshalInterface and marshal.c
 * test_bad_marshal_stream: an empty or short stream is STG_E_READFAULT;
 * a packet that is not ntsec's (its signature, version or flags
 * changed) is RPC_E_INVALID_OBJREF ("The object reference is invalid",
 * winerror.h: ntsec's choice, Windows documents no code); the real
 * packet still unmarshals afterwards. */
static void corrupt_and_truncated_packets(void)
{
    struct scene s;
    uint8_t packet[NTSEC_COM_OBJREF_SIZE];
    ULONG n = 0;
    void *proxy = (void *)1;

    scene_start(&s);
    CU_ASSERT_EQUAL(unmarshal(&s, &s.client, &iid_calc, &proxy), STG_E_READFAULT);
    CU_ASSERT_EQUAL_FATAL(marshal(&s, &iid_calc, MSHLFLAGS_NORMAL), S_OK);
    CU_ASSERT_FATAL(IStream_Read(s.stream, packet, sizeof(packet), &n) == S_OK);
    CU_ASSERT_EQUAL_FATAL(n, sizeof(packet));
    stream_holds(s.stream, packet, 20, 99, 0);
    CU_ASSERT_EQUAL(unmarshal(&s, &s.client, &iid_calc, &proxy), STG_E_READFAULT);
    CU_ASSERT_EQUAL(release_data(&s, &s.client), STG_E_READFAULT);
    stream_holds(s.stream, packet, sizeof(packet), 0, 0x55);          /* signature */
    CU_ASSERT_EQUAL(unmarshal(&s, &s.client, &iid_calc, &proxy), RPC_E_INVALID_OBJREF);
    stream_holds(s.stream, packet, sizeof(packet), 4, 0x02);          /* version */
    CU_ASSERT_EQUAL(unmarshal(&s, &s.client, &iid_calc, &proxy), RPC_E_INVALID_OBJREF);
    stream_holds(s.stream, packet, sizeof(packet), 8, 0x08);          /* flags */
    CU_ASSERT_EQUAL(release_data(&s, &s.client), RPC_E_INVALID_OBJREF);
    stream_holds(s.stream, packet, sizeof(packet), 36, 0x40);         /* another record */
    CU_ASSERT_EQUAL(unmarshal(&s, &s.client, &iid_calc, &proxy), CO_E_OBJNOTCONNECTED);
    CU_ASSERT_PTR_NULL(proxy);
    CU_ASSERT(s.object.refs > 1);
    stream_holds(s.stream, packet, sizeof(packet), 99, 0);
    CU_ASSERT_EQUAL_FATAL(unmarshal(&s, &s.client, &iid_calc, &proxy), S_OK);
    release_on(&s.client, proxy);
    CU_ASSERT_EQUAL(s.object.refs, 1);
    scene_stop(&s);
}

struct blanket_step {
    struct calc *proxy;
    DWORD calc_level, ping_level, unk_level;
    HRESULT set, call;
    UINT_PTR out;
};

static DWORD level_of(void *proxy)
{
    DWORD level = 0;

    CU_ASSERT(CoQueryProxyBlanket(proxy, NULL, NULL, NULL, &level, NULL, NULL, NULL) == S_OK);
    return level;
}

static void blanket_run(void *arg)
{
    struct blanket_step *b = arg;
    IUnknown *ping = NULL, *unk = NULL;

    CU_ASSERT_FATAL(IUnknown_QueryInterface((IUnknown *)b->proxy, &iid_ping, (void **)&ping) ==
                    S_OK);
    CU_ASSERT_FATAL(IUnknown_QueryInterface((IUnknown *)b->proxy, &IID_IUnknown, (void **)&unk) ==
                    S_OK);
    b->set = CoSetProxyBlanket((IUnknown *)b->proxy, RPC_C_AUTHN_WINNT, RPC_C_AUTHZ_NONE, NULL,
                               RPC_C_AUTHN_LEVEL_PKT_PRIVACY, RPC_C_IMP_LEVEL_IDENTIFY, NULL,
                               EOAC_NONE);
    b->calc_level = level_of(b->proxy);
    b->ping_level = level_of(ping);
    b->unk_level = level_of(unk);
    b->call = b->proxy->lpVtbl->Three(b->proxy, 1, 2, &b->out);
    IUnknown_Release(ping);
    IUnknown_Release(unk);
}

/* IClientSecurity::SetBlanket (Microsoft docs): an unmarshaled proxy's
 * blanket is still per interface; the default is negotiated at unmarshal
 * ("Security Blanket Negotiation": CONNECT here). */
static void unmarshaled_blankets_are_per_interface(void)
{
    struct scene s;
    struct blanket_step b = { 0 };

    scene_start(&s);
    CU_ASSERT_EQUAL_FATAL(marshal(&s, &iid_calc, MSHLFLAGS_NORMAL), S_OK);
    CU_ASSERT_EQUAL_FATAL(unmarshal(&s, &s.client, &iid_calc, (void **)&b.proxy), S_OK);
    party_do(&s.client, blanket_run, &b);
    CU_ASSERT_EQUAL(b.set, S_OK);
    CU_ASSERT_EQUAL(b.calc_level, RPC_C_AUTHN_LEVEL_PKT_PRIVACY);
    CU_ASSERT_EQUAL(b.ping_level, RPC_C_AUTHN_LEVEL_CONNECT);
    CU_ASSERT_EQUAL(b.unk_level, RPC_C_AUTHN_LEVEL_CONNECT);
    CU_ASSERT_EQUAL(b.call, S_OK);
    CU_ASSERT_EQUAL(b.out, 3);
    release_on(&s.client, b.proxy);
    scene_stop(&s);
}

struct thread_stream {
    struct scene *s;
    IStream *stream;
    HRESULT hr;
    struct calc *proxy;
    UINT_PTR out;
};

static void inter_thread_marshal_run(void *arg)
{
    struct thread_stream *t = arg;

    t->hr = CoMarshalInterThreadInterfaceInStream(&iid_calc, (IUnknown *)&t->s->object.calc,
                                                  &t->stream);
}

static void get_interface_run(void *arg)
{
    struct thread_stream *t = arg;

    t->hr = CoGetInterfaceAndReleaseStream(t->stream, &iid_calc, (void **)&t->proxy);
    if (SUCCEEDED(t->hr)) {
        CU_ASSERT(t->proxy->lpVtbl->Three(t->proxy, 20, 22, &t->out) == S_OK);
        t->proxy->lpVtbl->Release(t->proxy);
    }
}

/* Wine compobj.c test_CoMarshalInterThreadInterfaceInStream:
 * the stream comes back rewound and unmarshals; the proxy's release
 * frees the object; CoGetInterfaceAndReleaseStream releases the stream
 * ("CoGetInterfaceAndReleaseStream"). Here across processes. */
static void inter_thread_stream_round_trip(void)
{
    struct scene s;
    struct thread_stream t = { &s, NULL, E_FAIL, NULL, 0 };

    scene_start(&s);
    party_do(&s.server, inter_thread_marshal_run, &t);
    CU_ASSERT_EQUAL_FATAL(t.hr, S_OK);
    CU_ASSERT(s.object.refs > 1);
    party_do(&s.client, get_interface_run, &t);
    CU_ASSERT_EQUAL(t.hr, S_OK);
    CU_ASSERT_EQUAL(t.out, 42);
    CU_ASSERT_EQUAL(s.object.refs, 1);
    scene_stop(&s);
}

/* Unmarshaled in the marshaling process itself: a proxy too, served by
 * the process' own workers (ntsec's choice, docs/com.md: Windows would
 * give the object in the same apartment). */
static void unmarshal_in_the_same_process(void)
{
    struct scene s;
    struct calls c = { 0 };

    scene_start(&s);
    marshal_and_call(&s, &s.server, &iid_calc, &c);
    CU_ASSERT_EQUAL(c.out3, 42);
    CU_ASSERT_EQUAL(c.context, S_OK);
    CU_ASSERT_EQUAL(s.object.refs, 1);
    scene_stop(&s);
}

/* "CoUninitialize": the server's last CoUninitialize revokes what it
 * marshaled; its packets are stale (CO_E_OBJNOTCONNECTED) and a proxy
 * already made gets RPC_E_DISCONNECTED. */
static void server_uninitialize_disconnects(void)
{
    struct scene s;
    struct calls c = { 0 };
    void *late = (void *)1;

    scene_start(&s);
    CU_ASSERT_EQUAL_FATAL(marshal(&s, &iid_calc, MSHLFLAGS_TABLESTRONG), S_OK);
    CU_ASSERT_EQUAL_FATAL(unmarshal(&s, &s.client, &iid_calc, (void **)&c.proxy), S_OK);
    party_do(&s.server, co_uninit, NULL);
    CU_ASSERT_EQUAL(s.object.refs, 1);
    CU_ASSERT_EQUAL(unmarshal(&s, &s.client, &iid_calc, &late), CO_E_OBJNOTCONNECTED);
    c.object = &s.object;
    party_do(&s.client, calls_run, &c);
    CU_ASSERT_EQUAL(c.three, RPC_E_DISCONNECTED);
    release_on(&s.client, c.proxy);
    party_do(&s.server, co_init, NULL);
    scene_stop(&s);
}

/* A stream whose Write fails, or writes less than asked; only Write is
 * called by CoMarshalInterface (the other methods are the memory
 * stream's, never reached with this object). */
struct short_stream {
    IStream iface;
    HRESULT result;
    ULONG accept;
};

static HRESULT WINAPI short_Write(IStream *iface, const void *buf, ULONG cb, ULONG *written)
{
    struct short_stream *s = (struct short_stream *)iface;

    (void)buf;
    if (written)
        *written = cb < s->accept ? cb : s->accept;
    return s->result;
}

struct short_step {
    struct scene *s;
    IStream *stream;
    HRESULT hr;
};

static void short_marshal_run(void *arg)
{
    struct short_step *st = arg;

    st->hr = CoMarshalInterface(st->stream, &iid_calc, (IUnknown *)&st->s->object.calc,
                                MSHCTX_LOCAL, NULL, MSHLFLAGS_NORMAL);
}

/* "CoMarshalInterface": the stream's own errors are returned ("stream
 * access error values returned by IStream"), a short write is
 * STG_E_MEDIUMFULL (ntsec's choice); the marshal is undone, the object's
 * references given back. */
static void marshal_stream_errors_undo_the_marshal(void)
{
    struct scene s;
    IStreamVtbl vtbl = *memory_stream_vtbl();
    struct short_stream bad = { { &vtbl }, E_FAIL, 0 }, part = { { &vtbl }, S_OK, 10 };
    struct short_step st = { &s, &bad.iface, S_OK };

    vtbl.Write = short_Write;
    scene_start(&s);
    party_do(&s.server, short_marshal_run, &st);
    CU_ASSERT_EQUAL(st.hr, E_FAIL);
    CU_ASSERT_EQUAL(s.object.refs, 1);
    st = (struct short_step){ &s, &part.iface, S_OK };
    party_do(&s.server, short_marshal_run, &st);
    CU_ASSERT_EQUAL(st.hr, STG_E_MEDIUMFULL);
    CU_ASSERT_EQUAL(s.object.refs, 1);
    scene_stop(&s);
}

/* Allocation failures in CoMarshalInterface change nothing: no
 * reference kept, nothing written; then it succeeds. */
static void marshal_out_of_memory(void)
{
    struct scene s;
    struct op o;
    void *proxy = NULL;
    long n;

    scene_start(&s);
    for (n = 0; n < 20; n++) {
        o = (struct op){ &s, &iid_calc, MSHLFLAGS_NORMAL, E_FAIL, NULL };
        testutil_fail_alloc_after(n);
        party_do(&s.server, marshal_run, &o);
        testutil_fail_alloc_after(-1);
        if (o.hr == S_OK)
            break;
        CU_ASSERT_EQUAL(o.hr, E_OUTOFMEMORY);
        CU_ASSERT_EQUAL(s.object.refs, 1);
        CU_ASSERT_EQUAL(position(s.stream), 0);
    }
    CU_ASSERT_EQUAL_FATAL(o.hr, S_OK);
    rewind_stream(s.stream);
    CU_ASSERT_EQUAL_FATAL(unmarshal(&s, &s.client, &iid_calc, &proxy), S_OK);
    release_on(&s.client, proxy);
    scene_stop(&s);
}

void register_tests(void)
{
    static CU_TestInfo stream_tests[] = {
        TEST(stream_seek_size_and_read_past_end),
        TEST(stream_write_past_end_grows),
        TEST(stream_clone_and_copy_to),
        TEST(stream_bad_arguments),
        TEST(stream_out_of_memory),
        CU_TEST_INFO_NULL,
    };
    static CU_TestInfo tests[] = {
        TEST(register_interface_rules),
        TEST(stub_records_and_strong_references),
        TEST(stub_and_packet_bad_arguments),
        TEST(normal_marshal_calls_every_method),
        TEST(normal_marshal_unmarshals_once),
        TEST(release_marshal_data_frees_the_object),
        TEST(tablestrong_unmarshals_until_released),
        TEST(tableweak_object_goes_with_its_last_proxy),
        TEST(tableweak_release_marshal_data),
        TEST(unregistered_interfaces_are_not_marshaled),
        TEST(iid_null_gives_the_marshaled_interface),
        TEST(only_registered_arguments_are_forwarded),
        TEST(marshal_bad_arguments),
        TEST(corrupt_and_truncated_packets),
        TEST(unmarshaled_blankets_are_per_interface),
        TEST(inter_thread_stream_round_trip),
        TEST(unmarshal_in_the_same_process),
        TEST(server_uninitialize_disconnects),
        TEST(marshal_stream_errors_undo_the_marshal),
        TEST(marshal_out_of_memory),
        CU_TEST_INFO_NULL,
    };

    testutil_add_suite("emul_stream", stream_tests);
    testutil_add_suite("emul_com_marshal", tests);
}
