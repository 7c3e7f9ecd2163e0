/* rpc_endpoint.c - endpoints served by emulated processes: the registry
 * that string bindings resolve against, one dispatcher thread per
 * endpoint (a pthread bound to the server process, serving its calls one
 * at a time), and the authentication services each server process
 * registered (RpcServerRegisterAuthInfo).
 *
 * An endpoint name is unique per protocol sequence and machine: a second
 * server asking for it gets RPC_S_DUPLICATE_ENDPOINT, the error Windows'
 * RpcServerUseProtseqEp family has for an endpoint in use (ntsec's
 * choice of that function's errors). Registered authentication services
 * are process-wide, as RpcServerRegisterAuthInfo has no binding or
 * endpoint argument; a client authenticating with a service its ncacn_np
 * server did not register is refused with RPC_S_UNKNOWN_AUTHN_SERVICE
 * (Wine's rpc_server.c RPCRT4_ServerGetRegisteredAuthInfo, read for
 * behaviour), while "we don't need to register RPC_C_AUTHN_WINNT for
 * ncalrpc" (Wine's dlls/rpcrt4/tests/server.c, run on Windows). */
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "process.h"
#include "rpc_internal.h"
#include "sock_transport.h"
#include "world.h"

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static struct ntsec_rpc_endpoint *endpoints;

/* --- the registry --------------------------------------------------------- */

static bool same_endpoint(const struct ntsec_rpc_endpoint *ep, enum ntsec__rpc_protseq protseq,
                          const char *machine, const char *name)
{
    return ep->protseq == protseq && ntsec__machine_same(ep->machine, machine) &&
           ntsec__name_equal(ep->name, name);
}

ntsec_status ntsec__rpc_endpoint_find(enum ntsec__rpc_protseq protseq, const char *machine,
                                      const char *name, struct ntsec_rpc_endpoint **out)
{
    ntsec_status st = NTSEC_RPC_NT_SERVER_UNAVAILABLE;

    pthread_mutex_lock(&registry_lock);
    for (struct ntsec_rpc_endpoint *ep = endpoints; ep; ep = ep->next) {
        if (same_endpoint(ep, protseq, machine, name)) {
            ntsec__rpc_endpoint_get(ep);
            *out = ep;
            st = NTSEC_STATUS_SUCCESS;
            break;
        }
    }
    pthread_mutex_unlock(&registry_lock);
    return st;
}

void ntsec__rpc_endpoint_get(struct ntsec_rpc_endpoint *ep)
{
    atomic_fetch_add_explicit(&ep->refs, 1, memory_order_relaxed);
}

void ntsec__rpc_endpoint_put(struct ntsec_rpc_endpoint *ep)
{
    if (atomic_fetch_sub_explicit(&ep->refs, 1, memory_order_acq_rel) != 1)
        return;
    pthread_cond_destroy(&ep->wake);
    pthread_cond_destroy(&ep->done);
    pthread_mutex_destroy(&ep->lock);
    ntsec_object_put(ep->server);
    ntsec__free(ep->name);
    ntsec__free(ep);
}

/* Enter `ep` unless its name is taken. */
static ntsec_status enter(struct ntsec_rpc_endpoint *ep)
{
    ntsec_status st = NTSEC_STATUS_SUCCESS;

    pthread_mutex_lock(&registry_lock);
    for (struct ntsec_rpc_endpoint *e = endpoints; e; e = e->next)
        if (same_endpoint(e, ep->protseq, ep->machine, ep->name))
            st = NTSEC_RPC_NT_DUPLICATE_ENDPOINT;
    if (ntsec_success(st)) {
        ep->next = endpoints;
        endpoints = ep;
    }
    pthread_mutex_unlock(&registry_lock);
    return st;
}

static void leave(struct ntsec_rpc_endpoint *ep)
{
    pthread_mutex_lock(&registry_lock);
    for (struct ntsec_rpc_endpoint **p = &endpoints; *p; p = &(*p)->next) {
        if (*p == ep) {
            *p = ep->next;
            break;
        }
    }
    pthread_mutex_unlock(&registry_lock);
}

/* --- the dispatcher ------------------------------------------------------- */

static void finish(struct ntsec_rpc_endpoint *ep, struct ntsec_rpc_call *call)
{
    call->finished = true;
    pthread_cond_broadcast(&ep->done);
}

static void *dispatcher_main(void *arg)
{
    struct ntsec_rpc_endpoint *ep = arg;

    pthread_mutex_lock(&ep->lock);
    for (;;) {
        struct ntsec_rpc_call *call;

        while (!ep->head && !ep->closing)
            pthread_cond_wait(&ep->wake, &ep->lock);
        if (ep->closing)
            break;
        call = ep->head;
        ep->head = call->next;
        if (!ep->head)
            ep->tail = NULL;
        pthread_mutex_unlock(&ep->lock);
        ntsec__rpc_call_dispatch(ep, call);
        pthread_mutex_lock(&ep->lock);
        finish(ep, call);
    }
    /* Closing: the calls still queued are not served. */
    for (struct ntsec_rpc_call *call = ep->head; call; call = call->next) {
        call->status = NTSEC_RPC_NT_SERVER_UNAVAILABLE;
        finish(ep, call);
    }
    ep->head = ep->tail = NULL;
    pthread_mutex_unlock(&ep->lock);
    return NULL;
}

/* The dispatcher, a thread of the server process from its first line. */
struct start {
    struct ntsec_rpc_endpoint *ep;
    pthread_mutex_t lock;
    pthread_cond_t ready;
    int state;                          /* 0 starting, 1 bound, -1 failed */
};

static void *dispatcher_start(void *arg)
{
    struct start *s = arg;
    struct ntsec_rpc_endpoint *ep = s->ep;
    bool bound = ntsec_success(ntsec_thread_bind(ep->server)) && ntsec_thread_current();

    pthread_mutex_lock(&s->lock);
    s->state = bound ? 1 : -1;
    pthread_cond_signal(&s->ready);
    pthread_mutex_unlock(&s->lock);
    return bound ? dispatcher_main(ep) : NULL;
}

static ntsec_status start_dispatcher(struct ntsec_rpc_endpoint *ep)
{
    struct start s = { .ep = ep };
    int state;

    pthread_mutex_init(&s.lock, NULL);
    pthread_cond_init(&s.ready, NULL);
    if (pthread_create(&ep->dispatcher, NULL, dispatcher_start, &s)) {
        state = -2;
    } else {
        pthread_mutex_lock(&s.lock);
        while (!s.state)
            pthread_cond_wait(&s.ready, &s.lock);
        state = s.state;
        pthread_mutex_unlock(&s.lock);
        if (state < 0)
            pthread_join(ep->dispatcher, NULL);
    }
    pthread_cond_destroy(&s.ready);
    pthread_mutex_destroy(&s.lock);
    if (state == -2)
        return NTSEC_STATUS_INSUFFICIENT_RESOURCES;
    return state > 0 ? NTSEC_STATUS_SUCCESS : NTSEC_STATUS_NO_MEMORY;
}

/* Close the endpoint to calls and wait for its dispatcher to end. */
static void stop_dispatcher(struct ntsec_rpc_endpoint *ep)
{
    pthread_mutex_lock(&ep->lock);
    ep->closing = true;
    pthread_cond_signal(&ep->wake);
    pthread_mutex_unlock(&ep->lock);
    pthread_join(ep->dispatcher, NULL);
}

void ntsec__rpc_endpoint_run(struct ntsec_rpc_endpoint *ep, struct ntsec_rpc_call *call)
{
    pthread_mutex_lock(&ep->lock);
    if (ep->closing) {
        call->status = NTSEC_RPC_NT_SERVER_UNAVAILABLE;
    } else {
        call->next = NULL;
        if (ep->tail)
            ep->tail->next = call;
        else
            ep->head = call;
        ep->tail = call;
        pthread_cond_signal(&ep->wake);
        while (!call->finished)
            pthread_cond_wait(&ep->done, &ep->lock);
    }
    pthread_mutex_unlock(&ep->lock);
}

bool ntsec__rpc_endpoint_is_dispatcher(const struct ntsec_rpc_endpoint *ep)
{
    return pthread_equal(ep->dispatcher, pthread_self());
}

/* --- register / unregister ------------------------------------------------ */

static ntsec_status check_desc(const struct ntsec_rpc_endpoint_desc *d,
                               enum ntsec__rpc_protseq *protseq)
{
    if (!d || !d->protseq || !d->endpoint || !d->server || !d->handler ||
        (unsigned)d->min_level > NTSEC_AUTHN_LEVEL_PKT_PRIVACY)
        return NTSEC_STATUS_INVALID_PARAMETER;
    *protseq = ntsec__rpc_protseq_find(d->protseq);
    if (!*protseq)
        return NTSEC_RPC_NT_PROTSEQ_NOT_SUPPORTED;
    if (!*d->endpoint)
        return NTSEC_RPC_NT_INVALID_ENDPOINT_FORMAT;
    return ntsec__rpc_endpoint_check(*protseq, d->endpoint);
}

ntsec_status ntsec_rpc_endpoint_register(const struct ntsec_rpc_endpoint_desc *desc,
                                         struct ntsec_rpc_endpoint **out)
{
    enum ntsec__rpc_protseq protseq;
    struct ntsec_rpc_endpoint *ep;
    ntsec_status st = out ? check_desc(desc, &protseq) : NTSEC_STATUS_INVALID_PARAMETER;

    if (!ntsec_success(st))
        return st;
    if (!(ep = ntsec__zalloc(sizeof(*ep))))
        return NTSEC_STATUS_NO_MEMORY;
    st = ntsec__rpc_strdup(desc->endpoint, &ep->name);
    if (!ntsec_success(st)) {
        ntsec__free(ep);
        return st;
    }
    atomic_init(&ep->refs, 1);
    ep->protseq = protseq;
    snprintf(ep->machine, sizeof(ep->machine), "%s", ntsec_process_machine(desc->server));
    ep->server = desc->server;
    ntsec_object_get(ep->server);
    ep->min_level = desc->min_level;
    ep->handler = desc->handler;
    ep->arg = desc->arg;
    pthread_mutex_init(&ep->lock, NULL);
    pthread_cond_init(&ep->wake, NULL);
    pthread_cond_init(&ep->done, NULL);
    st = start_dispatcher(ep);
    if (ntsec_success(st)) {
        st = enter(ep);
        if (ntsec_success(st) && protseq == NTSEC__RPC_NCALRPC) {
            st = ntsec__rpc_listen_remote(ep);
            if (!ntsec_success(st))
                leave(ep);
        }
        if (!ntsec_success(st))
            stop_dispatcher(ep);
    }
    if (!ntsec_success(st)) {
        ntsec__rpc_endpoint_put(ep);
        return st;
    }
    *out = ep;
    return NTSEC_STATUS_SUCCESS;
}

ntsec_status ntsec_rpc_endpoint_unregister(struct ntsec_rpc_endpoint *endpoint)
{
    if (!endpoint || ntsec__rpc_endpoint_is_dispatcher(endpoint))
        return NTSEC_STATUS_INVALID_PARAMETER;
    leave(endpoint);
    /* Calls from other processes: the one being read or run finishes
     * (its dispatcher still serves), then the socket goes. */
    ntsec__listener_free(endpoint->listener);
    stop_dispatcher(endpoint);
    ntsec__rpc_endpoint_put(endpoint);
    return NTSEC_STATUS_SUCCESS;
}

/* --- RpcServerRegisterAuthInfo -------------------------------------------- */

enum { AUTH_SLOTS = 64, PRINCIPAL_MAX = 255 };

/* The services a process registered: a fixed table (no allocation, so
 * it outlives no test), a slot per process id; ids are never reused, and
 * slots of processes gone are taken back when the table is full. */
static struct auth_slot {
    uint32_t pid;
    uint32_t services;                  /* bit i: services[i] below */
    char principal[PRINCIPAL_MAX + 1];
} auth_slots[AUTH_SLOTS];
static pthread_mutex_t auth_lock = PTHREAD_MUTEX_INITIALIZER;

static const uint32_t auth_services[] = {
    NTSEC_RPC_AUTHN_WINNT, NTSEC_RPC_AUTHN_GSS_NEGOTIATE, NTSEC_RPC_AUTHN_GSS_KERBEROS,
};

static int service_bit(uint32_t service)
{
    if (service == NTSEC_RPC_AUTHN_DEFAULT)
        service = NTSEC_RPC_AUTHN_WINNT;
    for (int i = 0; i < (int)(sizeof(auth_services) / sizeof(auth_services[0])); i++)
        if (auth_services[i] == service)
            return i;
    return -1;
}

static bool process_alive(uint32_t pid)
{
    struct ntsec_process *p;

    if (!ntsec_success(ntsec_process_lookup(pid, &p)))
        return false;
    ntsec_object_put(p);
    return true;
}

/* The slot of `pid`, a free one, or one a dead process held (auth_lock held). */
static struct auth_slot *slot_for(uint32_t pid)
{
    struct auth_slot *free_slot = NULL;

    for (int i = 0; i < AUTH_SLOTS; i++) {
        if (auth_slots[i].pid == pid)
            return &auth_slots[i];
        if (!auth_slots[i].pid && !free_slot)
            free_slot = &auth_slots[i];
    }
    for (int i = 0; !free_slot && i < AUTH_SLOTS; i++)
        if (!process_alive(auth_slots[i].pid))
            free_slot = &auth_slots[i];
    if (free_slot)
        *free_slot = (struct auth_slot){ .pid = pid };
    return free_slot;
}

ntsec_status ntsec_rpc_server_register_auth_info(struct ntsec_process *server,
                                                 const char *principal, uint32_t service)
{
    int bit = service_bit(service);
    struct auth_slot *slot;
    ntsec_status st = NTSEC_STATUS_SUCCESS;

    if (!server || (principal && strlen(principal) > PRINCIPAL_MAX))
        return NTSEC_STATUS_INVALID_PARAMETER;
    if (bit < 0)
        return NTSEC_RPC_NT_UNKNOWN_AUTHN_SERVICE;
    pthread_mutex_lock(&auth_lock);
    if (!(slot = slot_for(ntsec_process_id(server)))) {
        st = NTSEC_STATUS_INSUFFICIENT_RESOURCES;
    } else {
        slot->services |= 1u << bit;
        snprintf(slot->principal, sizeof(slot->principal), "%s", principal ? principal : "");
    }
    pthread_mutex_unlock(&auth_lock);
    return st;
}

bool ntsec__rpc_server_has_auth(const struct ntsec_process *server, uint32_t service,
                                char principal[256])
{
    int bit = service_bit(service);
    uint32_t pid = ntsec_process_id(server);
    bool found = false;

    principal[0] = 0;
    pthread_mutex_lock(&auth_lock);
    for (int i = 0; bit >= 0 && i < AUTH_SLOTS; i++) {
        if (auth_slots[i].pid == pid && (auth_slots[i].services & (1u << bit))) {
            memcpy(principal, auth_slots[i].principal, sizeof(auth_slots[i].principal));
            found = true;
        }
    }
    pthread_mutex_unlock(&auth_lock);
    return found;
}
