/* rpc_handle.c - which pointers are live RPC binding handles, and of what
 * kind. An RPC_BINDING_HANDLE is either a client binding (from
 * RpcBindingFromStringBinding) or a server's handle to a call; each
 * function accepts one kind and names the other RPC_S_WRONG_KIND_OF_BINDING
 * ("This was the wrong kind of binding for the operation", RpcImpersonateClient,
 * RpcBindingSetAuthInfoEx, Microsoft docs). A pointer that is neither is
 * RPC_S_INVALID_BINDING, found by looking it up rather than by reading
 * through it, so a freed or made-up handle never faults. */
#include "rpc_internal.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct ntsec__rpc_handle *live;

void ntsec__rpc_handle_add(struct ntsec__rpc_handle *h)
{
    pthread_mutex_lock(&lock);
    h->next = live;
    live = h;
    pthread_mutex_unlock(&lock);
}

void ntsec__rpc_handle_remove(struct ntsec__rpc_handle *h)
{
    pthread_mutex_lock(&lock);
    for (struct ntsec__rpc_handle **p = &live; *p; p = &(*p)->next) {
        if (*p == h) {
            *p = h->next;
            break;
        }
    }
    pthread_mutex_unlock(&lock);
}

ntsec_status ntsec__rpc_handle_get(const void *p, enum ntsec__rpc_kind kind,
                                   struct ntsec__rpc_handle **out)
{
    ntsec_status st = NTSEC_RPC_NT_INVALID_BINDING;

    pthread_mutex_lock(&lock);
    for (struct ntsec__rpc_handle *h = live; h; h = h->next) {
        if ((const void *)h != p)
            continue;
        if (h->kind != kind) {
            st = NTSEC_RPC_NT_WRONG_KIND_OF_BINDING;
        } else {
            atomic_fetch_add_explicit(&h->refs, 1, memory_order_relaxed);
            *out = h;
            st = NTSEC_STATUS_SUCCESS;
        }
        break;
    }
    pthread_mutex_unlock(&lock);
    return st;
}

void ntsec__rpc_handle_put(struct ntsec__rpc_handle *h)
{
    if (atomic_fetch_sub_explicit(&h->refs, 1, memory_order_acq_rel) == 1)
        h->destroy(h);
}
