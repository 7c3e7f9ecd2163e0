/* com_interface.c - the interfaces COM can marshal: the emulation's
 * stand-in for proxy/stub DLLs registered under HKCR\Interface\{iid}\
 * ProxyStubClsid32. COM marshals an interface only when a proxy/stub is
 * registered for it or it is IUnknown (Microsoft docs, "ProxyStubClsid32":
 * new interfaces must be registered "so that OLE can find the appropriate
 * remoting code"; Wine's marshal.c test_no_marshaler: an interface
 * without one is E_NOINTERFACE). A registration says how many integer or
 * pointer arguments each method takes ("Interface Key" keeps NumMethods),
 * which is all a proxy needs to forward a call in a shared address space.
 *
 * The table is fixed (no allocation) and machine-wide, as the registry is;
 * registering an IID again replaces it, as CoRegisterPSClsid does. */
#include <pthread.h>
#include <string.h>

#include "ntsec/com_marshal.h"

#define MAX_INTERFACES 64

struct registration {
    uint8_t iid[16];
    unsigned methods;
    unsigned char args[NTSEC_COM_MAX_METHODS];
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct registration table[MAX_INTERFACES];
static unsigned used;

static const uint8_t iid_unknown[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0xc0, 0, 0, 0, 0, 0, 0, 0x46 };

static bool is_unknown(const void *iid)
{
    return !memcmp(iid, iid_unknown, sizeof(iid_unknown));
}

/* The registration of `iid` (lock held), or NULL. */
static struct registration *find(const void *iid)
{
    for (unsigned i = 0; i < used; i++)
        if (!memcmp(table[i].iid, iid, sizeof(table[i].iid)))
            return &table[i];
    return NULL;
}

ntsec_hresult ntsec_com_register_interface(const void *iid, unsigned method_count,
                                           const unsigned char *arg_counts)
{
    struct registration *r;

    /* IUnknown's proxy is COM's own (ntsec's choice: not replaceable). */
    if (!iid || is_unknown(iid) || method_count > NTSEC_COM_MAX_METHODS ||
        (method_count && !arg_counts))
        return NTSEC_E_INVALIDARG;
    for (unsigned i = 0; i < method_count; i++)
        if (arg_counts[i] > NTSEC_COM_MAX_ARGS)
            return NTSEC_E_INVALIDARG;
    pthread_mutex_lock(&lock);
    r = find(iid);
    if (!r && used < MAX_INTERFACES)
        r = &table[used++];
    if (r) {
        memcpy(r->iid, iid, sizeof(r->iid));
        r->methods = method_count;
        memset(r->args, 0, sizeof(r->args));
        if (method_count)
            memcpy(r->args, arg_counts, method_count);
    }
    pthread_mutex_unlock(&lock);
    return r ? NTSEC_S_OK : NTSEC_E_OUTOFMEMORY;
}

ntsec_hresult ntsec_com_interface_args(const void *iid, unsigned slot, unsigned *count)
{
    const struct registration *r;
    ntsec_hresult hr = NTSEC_E_NOINTERFACE;

    if (!iid || !count)
        return NTSEC_E_INVALIDARG;
    if (is_unknown(iid))
        return NTSEC_RPC_E_INVALIDMETHOD;       /* IUnknown has no slot 3 */
    pthread_mutex_lock(&lock);
    r = find(iid);
    if (r && (slot < 3 || slot - 3 >= r->methods)) {
        hr = NTSEC_RPC_E_INVALIDMETHOD;
    } else if (r) {
        *count = r->args[slot - 3];
        hr = NTSEC_S_OK;
    }
    pthread_mutex_unlock(&lock);
    return hr;
}

bool ntsec_com_interface_registered(const void *iid)
{
    bool found;

    if (!iid)
        return false;
    if (is_unknown(iid))
        return true;
    pthread_mutex_lock(&lock);
    found = find(iid) != NULL;
    pthread_mutex_unlock(&lock);
    return found;
}
