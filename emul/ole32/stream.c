/* stream.c - CreateStreamOnHGlobal: an IStream over memory. Clones share
 * the memory (kept while any of them lives) and have their own seek
 * pointer. There is no GlobalAlloc in the emulation, so the memory is
 * always the stream's own: hGlobal must be NULL (other values
 * E_INVALIDARG, docs/com.md) and the memory goes with the last stream
 * whatever fDeleteOnRelease says (GetHGlobalFromStream is not exported,
 * so no caller can keep it).
 *
 * Sources: "CreateStreamOnHGlobal", "IStream", "ISequentialStream"
 * (Microsoft docs); Wine's dlls/ole32/tests/hglobalstream.c, whose results
 * come from Windows: positions and sizes are 32-bit (the HighPart of a
 * size or move is ignored, a move is a signed 32-bit LowPart), a seek
 * before 0 or past 4 GB or from an unknown origin is STG_E_SEEKERROR and
 * reports the unchanged position (the "IStream::Seek" page names
 * STG_E_INVALIDFUNCTION; the test, which passes on Windows, wins), reading
 * past the end reads nothing with S_OK, LockRegion is
 * STG_E_INVALIDFUNCTION, Commit and Revert S_OK. */
#include <pthread.h>

#include "ole32.h"

/* The memory the clones share. */
struct memory {
    LONG refs;
    pthread_mutex_t lock;
    uint8_t *data;
    ULONG size;
};

struct stream {
    IStream iface;
    LONG refs;
    struct memory *mem;
    ULONG pos;
};

static const IStreamVtbl stream_vtbl;

static const IID iid_sequential_stream =
    { 0x0c733a30, 0x2a1c, 0x11ce, { 0xad, 0xe5, 0x00, 0xaa, 0x00, 0x44, 0x77, 0x3d } };
static const IID iid_stream =
    { 0x0000000c, 0x0000, 0x0000, { 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46 } };

static struct stream *impl(IStream *iface)
{
    return CONTAINING_RECORD(iface, struct stream, iface);
}

static void memory_put(struct memory *m)
{
    if (InterlockedDecrement(&m->refs))
        return;
    pthread_mutex_destroy(&m->lock);
    ntsec_mem_free(m->data);
    ntsec_mem_free(m);
}

static HRESULT stream_new(struct memory *m, ULONG pos, IStream **out)
{
    struct stream *s = ntsec_mem_alloc(sizeof(*s));

    if (!s)
        return E_OUTOFMEMORY;
    *s = (struct stream){ { &stream_vtbl }, 1, m, pos };
    InterlockedIncrement(&m->refs);
    *out = &s->iface;
    return S_OK;
}

/* Resize the memory to `size` (lock held); new bytes are zero (the page
 * says they are undefined: ntsec's choice). */
static HRESULT resize(struct memory *m, ULONG size)
{
    uint8_t *data;

    if (size == m->size)
        return S_OK;
    data = size ? ntsec_mem_alloc(size) : NULL;
    if (size && !data)
        return E_OUTOFMEMORY;           /* Wine's test_freed_hglobal: SetSize, Write */
    if (data) {
        ULONG keep = size < m->size ? size : m->size;

        /* Not memcpy(data, NULL, 0): that is undefined, and GCC then takes
         * m->data for non-NULL and drops ntsec_mem_free's NULL check. */
        if (keep)
            memcpy(data, m->data, keep);
        if (size > m->size)
            memset(data + m->size, 0, size - m->size);
    }
    ntsec_mem_free(m->data);
    m->data = data;
    m->size = size;
    return S_OK;
}

/* "IUnknown::QueryInterface": no ppvObject, E_POINTER; a NULL riid, on
 * which Windows faults, E_POINTER too (ntsec's choice, docs/com.md). */
static HRESULT WINAPI stream_QueryInterface(IStream *iface, REFIID iid, void **ppv)
{
    if (!ppv || !iid)
        return E_POINTER;
    if (ole32__iid_eq(iid, &ole32__iid_unknown) || ole32__iid_eq(iid, &iid_sequential_stream) ||
        ole32__iid_eq(iid, &iid_stream)) {
        *ppv = iface;
        IStream_AddRef(iface);
        return S_OK;
    }
    *ppv = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI stream_AddRef(IStream *iface)
{
    return InterlockedIncrement(&impl(iface)->refs);
}

static ULONG WINAPI stream_Release(IStream *iface)
{
    struct stream *s = impl(iface);
    ULONG refs = InterlockedDecrement(&s->refs);

    if (!refs) {
        memory_put(s->mem);
        ntsec_mem_free(s);
    }
    return refs;
}

/* "ISequentialStream::Read": a NULL buffer is STG_E_INVALIDPOINTER; past
 * the end nothing is read, S_OK (Wine: "should return S_OK, not S_FALSE"). */
static HRESULT WINAPI stream_Read(IStream *iface, void *buf, ULONG cb, ULONG *read)
{
    struct stream *s = impl(iface);
    struct memory *m = s->mem;
    ULONG n = 0;

    if (!buf)
        return STG_E_INVALIDPOINTER;
    pthread_mutex_lock(&m->lock);
    if (s->pos < m->size) {
        n = m->size - s->pos < cb ? m->size - s->pos : cb;
        memcpy(buf, m->data + s->pos, n);
        s->pos += n;
    }
    pthread_mutex_unlock(&m->lock);
    if (read)
        *read = n;
    return S_OK;
}

/* "ISequentialStream::Write": the stream grows to hold what is written
 * (the gap after a seek past the end is zero); no memory E_OUTOFMEMORY
 * with nothing written (Wine's test_freed_hglobal). */
static HRESULT WINAPI stream_Write(IStream *iface, const void *buf, ULONG cb, ULONG *written)
{
    struct stream *s = impl(iface);
    struct memory *m = s->mem;
    HRESULT hr = S_OK;

    if (written)
        *written = 0;
    if (!buf)
        return STG_E_INVALIDPOINTER;
    if (!cb)
        return S_OK;
    pthread_mutex_lock(&m->lock);
    if (cb > 0xffffffffu - s->pos)
        hr = STG_E_MEDIUMFULL;          /* past the 32-bit size */
    else if (s->pos + cb > m->size)
        hr = resize(m, s->pos + cb);
    if (SUCCEEDED(hr)) {
        memcpy(m->data + s->pos, buf, cb);
        s->pos += cb;
    }
    pthread_mutex_unlock(&m->lock);
    if (SUCCEEDED(hr) && written)
        *written = cb;
    return hr;
}

static HRESULT WINAPI stream_Seek(IStream *iface, LARGE_INTEGER move, DWORD origin,
                                  ULARGE_INTEGER *pos)
{
    struct stream *s = impl(iface);
    struct memory *m = s->mem;
    HRESULT hr = S_OK;
    int64_t base;

    pthread_mutex_lock(&m->lock);
    switch (origin) {
    case STREAM_SEEK_SET: base = 0; break;
    case STREAM_SEEK_CUR: base = s->pos; break;
    case STREAM_SEEK_END: base = m->size; break;
    default: base = -1; hr = STG_E_SEEKERROR; break;
    }
    if (SUCCEEDED(hr)) {
        const int64_t to = base + (LONG)move.u.LowPart;

        /* Wine's test_streamonhglobal: below 0, an error; past 4 GB, an
         * error too (Windows 8 and later; earlier ones wrapped). */
        if (to < 0 || to > 0xffffffffll)
            hr = STG_E_SEEKERROR;
        else
            s->pos = (ULONG)to;
    }
    if (pos)
        pos->QuadPart = s->pos;
    pthread_mutex_unlock(&m->lock);
    return hr;
}

static HRESULT WINAPI stream_SetSize(IStream *iface, ULARGE_INTEGER size)
{
    struct memory *m = impl(iface)->mem;
    HRESULT hr;

    pthread_mutex_lock(&m->lock);
    hr = resize(m, size.u.LowPart);     /* the HighPart is ignored (Wine's test) */
    pthread_mutex_unlock(&m->lock);
    return hr;
}

/* "IStream::CopyTo": up to cb bytes from the seek pointer, written to
 * `dest` at its own; pcbRead and pcbWritten may be NULL. */
static HRESULT WINAPI stream_CopyTo(IStream *iface, IStream *dest, ULARGE_INTEGER cb,
                                    ULARGE_INTEGER *pread, ULARGE_INTEGER *pwritten)
{
    uint8_t chunk[4096];
    ULONGLONG total_read = 0, total_written = 0;
    HRESULT hr = S_OK;

    if (!dest)
        return STG_E_INVALIDPOINTER;
    while (total_read < cb.QuadPart) {
        ULONG want = cb.QuadPart - total_read < sizeof(chunk) ? (ULONG)(cb.QuadPart - total_read)
                                                             : sizeof(chunk);
        ULONG got = 0, put = 0;

        hr = stream_Read(iface, chunk, want, &got);
        if (FAILED(hr) || !got)
            break;
        total_read += got;
        hr = IStream_Write(dest, chunk, got, &put);
        total_written += put;
        if (FAILED(hr))
            break;
    }
    if (pread)
        pread->QuadPart = total_read;
    if (pwritten)
        pwritten->QuadPart = total_written;
    return hr;
}

/* Memory has no transaction: Commit and Revert succeed (Wine's test). */
static HRESULT WINAPI stream_Commit(IStream *iface, DWORD flags)
{
    (void)iface;
    (void)flags;
    return S_OK;
}

static HRESULT WINAPI stream_Revert(IStream *iface)
{
    (void)iface;
    return S_OK;
}

/* "IStream::LockRegion": STG_E_INVALIDFUNCTION when regions cannot be
 * locked, as Windows' memory stream answers (Wine's test). */
static HRESULT WINAPI stream_LockRegion(IStream *iface, ULARGE_INTEGER offset, ULARGE_INTEGER cb,
                                        DWORD type)
{
    (void)iface;
    (void)offset;
    (void)cb;
    (void)type;
    return STG_E_INVALIDFUNCTION;
}

static HRESULT WINAPI stream_UnlockRegion(IStream *iface, ULARGE_INTEGER offset,
                                          ULARGE_INTEGER cb, DWORD type)
{
    return stream_LockRegion(iface, offset, cb, type);
}

/* "IStream::Stat": a nameless stream (pwcsName NULL) of its size;
 * grfStatFlag is one of STATFLAG (else STG_E_INVALIDFLAG). */
static HRESULT WINAPI stream_Stat(IStream *iface, STATSTG *st, DWORD flags)
{
    struct memory *m = impl(iface)->mem;

    if (!st)
        return STG_E_INVALIDPOINTER;
    if (flags != STATFLAG_DEFAULT && flags != STATFLAG_NONAME && flags != STATFLAG_NOOPEN)
        return STG_E_INVALIDFLAG;
    memset(st, 0, sizeof(*st));
    st->type = STGTY_STREAM;
    st->grfMode = STGM_READWRITE;
    pthread_mutex_lock(&m->lock);
    st->cbSize.QuadPart = m->size;
    pthread_mutex_unlock(&m->lock);
    return S_OK;
}

/* "IStream::Clone": the same memory, a seek pointer of its own that
 * starts where this one is (Wine's test_IStream_Clone). */
static HRESULT WINAPI stream_Clone(IStream *iface, IStream **out)
{
    struct stream *s = impl(iface);
    ULONG pos;

    if (!out)
        return STG_E_INVALIDPOINTER;
    pthread_mutex_lock(&s->mem->lock);
    pos = s->pos;
    pthread_mutex_unlock(&s->mem->lock);
    return stream_new(s->mem, pos, out);
}

static const IStreamVtbl stream_vtbl = {
    stream_QueryInterface, stream_AddRef, stream_Release, stream_Read, stream_Write,
    stream_Seek, stream_SetSize, stream_CopyTo, stream_Commit, stream_Revert,
    stream_LockRegion, stream_UnlockRegion, stream_Stat, stream_Clone,
};

HRESULT WINAPI CreateStreamOnHGlobal(HGLOBAL global, BOOL delete_on_release, IStream **out)
{
    struct memory *m;
    HRESULT hr;

    (void)delete_on_release;
    if (!out || global)
        return E_INVALIDARG;
    m = ntsec_mem_alloc(sizeof(*m));
    if (!m)
        return E_OUTOFMEMORY;
    *m = (struct memory){ 0 };
    pthread_mutex_init(&m->lock, NULL);
    hr = stream_new(m, 0, out);
    if (FAILED(hr)) {
        m->refs = 1;
        memory_put(m);
    }
    return hr;
}
