/* com_marshal.c - marshaling in the emulation: ntsec's marshal packet
 * (an OBJREF of its own format) and the stubs of marshaled objects, which
 * keep the marshal records and the strong reference count that decides
 * when a marshaled object's export ends.
 *
 * Sources (Microsoft docs unless said): "MSHLFLAGS" (NORMAL: one
 * unmarshal; TABLESTRONG: many, the object kept until
 * CoReleaseMarshalData; TABLEWEAK: many, the record does not keep it),
 * "CoReleaseMarshalData", Wine's dlls/ole32/tests/marshal.c (results from
 * Windows): a NORMAL packet unmarshaled twice is CO_E_OBJNOTCONNECTED
 * (test_normal_marshal_and_unmarshal_twice); a TABLEWEAK object ends with
 * its last proxy (test_tableweak_marshal_and_unmarshal_twice), a
 * TABLESTRONG one does not. The strong references are the DCOM
 * reference counts of [MS-DCOM] 3.2.4.4 (RemAddRef / RemRelease), kept
 * per object rather than per interface (ntsec's choice). */
#include <pthread.h>
#include <string.h>

#include "alloc.h"
#include "com.h"
#include "ntsec/com_marshal.h"

ntsec_hresult ntsec_com_check_initialized(void)
{
    return ntsec__com_thread.proc ? NTSEC_S_OK : NTSEC_CO_E_NOTINITIALIZED;
}

/* --- the packet --------------------------------------------------------------- */

#define OBJREF_SIGNATURE 0x4d43534eu    /* "NSCM" (ntsec's) */
#define OBJREF_VERSION   1u

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static uint32_t get32(const uint8_t *p)
{
    return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Layout: signature, version, flags, IID, cookie, stub, serial. */
void ntsec_com_objref_write(const struct ntsec_com_objref *ref, uint8_t *out)
{
    if (!ref || !out)
        return;
    put32(out, OBJREF_SIGNATURE);
    put32(out + 4, OBJREF_VERSION);
    put32(out + 8, ref->flags);
    memcpy(out + 12, ref->iid, 16);
    put32(out + 28, ref->cookie);
    put32(out + 32, ref->stub);
    put32(out + 36, ref->serial);
}

static bool flags_known(uint32_t flags)
{
    return flags == NTSEC_MSHLFLAGS_NORMAL || flags == NTSEC_MSHLFLAGS_TABLESTRONG ||
           flags == NTSEC_MSHLFLAGS_TABLEWEAK;
}

ntsec_hresult ntsec_com_objref_read(const uint8_t *in, size_t len, struct ntsec_com_objref *out)
{
    struct ntsec_com_objref ref;

    /* Wine compobj.c test_CoUnmarshalInterface and marshal.c
     * test_bad_marshal_stream: a stream that ends early is STG_E_READFAULT. */
    if (!out)
        return NTSEC_E_INVALIDARG;      /* ntsec's choice */
    if (!in || len < NTSEC_COM_OBJREF_SIZE)
        return NTSEC_STG_E_READFAULT;
    if (get32(in) != OBJREF_SIGNATURE || get32(in + 4) != OBJREF_VERSION)
        return NTSEC_RPC_E_INVALID_OBJREF;
    ref.flags = get32(in + 8);
    memcpy(ref.iid, in + 12, 16);
    ref.cookie = get32(in + 28);
    ref.stub = get32(in + 32);
    ref.serial = get32(in + 36);
    if (!flags_known(ref.flags) || !ref.cookie || !ref.stub || !ref.serial)
        return NTSEC_RPC_E_INVALID_OBJREF;
    *out = ref;
    return NTSEC_S_OK;
}

/* --- stubs ------------------------------------------------------------------- */

struct record {
    struct record *next;
    uint32_t serial;
    uint32_t flags;
};

struct stub {
    struct stub *next;
    uint32_t id;
    void *object;
    void (*release)(void *object);
    unsigned calls;                     /* calls in it */
    bool disconnected;
    unsigned strong;                    /* NORMAL/TABLESTRONG records + proxies */
    uint32_t last_serial;
    struct record *records;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct stub *stubs;
static uint32_t last_id;

/* The live stub `id` (lock held), or NULL. */
static struct stub *find(uint32_t id)
{
    struct stub *s;

    for (s = stubs; s && s->id != id; s = s->next)
        ;
    return s && !s->disconnected ? s : NULL;
}

/* Unlink and free `s` once disconnected with no call in it (lock held);
 * returns it for its release to run unlocked, or NULL. */
static struct stub *reap(struct stub *s)
{
    struct stub **pp;

    if (!s->disconnected || s->calls)
        return NULL;
    for (pp = &stubs; *pp != s; pp = &(*pp)->next)
        ;
    *pp = s->next;
    while (s->records) {
        struct record *r = s->records;

        s->records = r->next;
        ntsec__free(r);
    }
    return s;
}

static void finish(struct stub *s)
{
    if (!s)
        return;
    s->release(s->object);
    ntsec__free(s);
}

ntsec_hresult ntsec_com_stub_new(void *object, void (*release)(void *object), uint32_t *id)
{
    struct stub *s;

    if (!object || !release || !id)
        return NTSEC_E_INVALIDARG;
    s = ntsec__zalloc(sizeof(*s));
    if (!s)
        return NTSEC_E_OUTOFMEMORY;
    s->object = object;
    s->release = release;
    pthread_mutex_lock(&lock);
    if (!++last_id)
        last_id = 1;                    /* 0 names no stub */
    s->id = last_id;
    s->next = stubs;
    stubs = s;
    *id = s->id;
    pthread_mutex_unlock(&lock);
    return NTSEC_S_OK;
}

ntsec_hresult ntsec_com_stub_enter(uint32_t id, void **object)
{
    struct stub *s;

    if (!object)
        return NTSEC_E_INVALIDARG;
    pthread_mutex_lock(&lock);
    s = find(id);
    if (s) {
        s->calls++;
        *object = s->object;
    }
    pthread_mutex_unlock(&lock);
    return s ? NTSEC_S_OK : NTSEC_CO_E_OBJNOTCONNECTED;
}

void ntsec_com_stub_leave(uint32_t id)
{
    struct stub *s, *done = NULL;

    pthread_mutex_lock(&lock);
    for (s = stubs; s && s->id != id; s = s->next)
        ;
    if (s && s->calls) {
        s->calls--;
        done = reap(s);
    }
    pthread_mutex_unlock(&lock);
    finish(done);
}

void ntsec_com_stub_disconnect(uint32_t id)
{
    struct stub *s, *done = NULL;

    pthread_mutex_lock(&lock);
    s = find(id);
    if (s) {
        s->disconnected = true;
        done = reap(s);
    }
    pthread_mutex_unlock(&lock);
    finish(done);
}

ntsec_hresult ntsec_com_stub_marshal(uint32_t id, uint32_t flags, uint32_t *serial)
{
    struct record *r;
    struct stub *s;

    if (!flags_known(flags) || !serial)
        return NTSEC_E_INVALIDARG;
    r = ntsec__alloc(sizeof(*r));
    if (!r)
        return NTSEC_E_OUTOFMEMORY;
    pthread_mutex_lock(&lock);
    s = find(id);
    if (s) {
        if (!++s->last_serial)
            s->last_serial = 1;
        *r = (struct record){ s->records, s->last_serial, flags };
        s->records = r;
        if (flags != NTSEC_MSHLFLAGS_TABLEWEAK)
            s->strong++;
        *serial = r->serial;
    }
    pthread_mutex_unlock(&lock);
    if (!s) {
        ntsec__free(r);
        return NTSEC_CO_E_OBJNOTCONNECTED;
    }
    return NTSEC_S_OK;
}

/* The record `serial` of `s` (lock held): its link, or NULL. */
static struct record **record_of(struct stub *s, uint32_t serial)
{
    struct record **pp;

    for (pp = &s->records; *pp && (*pp)->serial != serial; pp = &(*pp)->next)
        ;
    return *pp ? pp : NULL;
}

ntsec_hresult ntsec_com_stub_claim(uint32_t id, uint32_t serial)
{
    ntsec_hresult hr = NTSEC_CO_E_OBJNOTCONNECTED;
    struct record **pp, *used = NULL;
    struct stub *s;

    pthread_mutex_lock(&lock);
    s = find(id);
    pp = s ? record_of(s, serial) : NULL;
    if (pp && (*pp)->flags == NTSEC_MSHLFLAGS_NORMAL) {
        used = *pp;                     /* its strong reference is the proxy's now */
        *pp = used->next;
        hr = NTSEC_S_OK;
    } else if (pp) {
        s->strong++;
        hr = NTSEC_S_OK;
    }
    pthread_mutex_unlock(&lock);
    ntsec__free(used);
    return hr;
}

ntsec_hresult ntsec_com_stub_release_marshal(uint32_t id, uint32_t serial, bool *last)
{
    ntsec_hresult hr = NTSEC_CO_E_OBJNOTCONNECTED;
    struct record **pp, *gone = NULL;
    struct stub *s;

    if (!last)
        return NTSEC_E_INVALIDARG;
    pthread_mutex_lock(&lock);
    s = find(id);
    pp = s ? record_of(s, serial) : NULL;
    if (pp) {
        gone = *pp;
        *pp = gone->next;
        if (gone->flags != NTSEC_MSHLFLAGS_TABLEWEAK)
            s->strong--;
        *last = !s->strong;
        hr = NTSEC_S_OK;
    }
    pthread_mutex_unlock(&lock);
    ntsec__free(gone);
    return hr;
}

ntsec_hresult ntsec_com_stub_unref(uint32_t id, bool *last)
{
    ntsec_hresult hr = NTSEC_CO_E_OBJNOTCONNECTED;
    struct stub *s;

    if (!last)
        return NTSEC_E_INVALIDARG;
    pthread_mutex_lock(&lock);
    s = find(id);
    if (s && s->strong) {
        *last = !--s->strong;
        hr = NTSEC_S_OK;
    }
    pthread_mutex_unlock(&lock);
    return hr;
}
