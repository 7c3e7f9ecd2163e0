/* rpc_internal.h - the layouts of RPC's binding handles, calls and
 * endpoints inside libsec, and what the rpc_*.c files share (not "rpc.h":
 * with -Ilibsec it would hide Windows' <rpc.h> from <windows.h>):
 *   rpc_string.c    string bindings (compose, parse, escapes)
 *   rpc_handle.c    which pointers are live handles, and of what kind
 *   rpc_binding.c   client binding handles and their auth info
 *   rpc_endpoint.c  endpoints, their dispatcher threads, server auth info
 *   rpc_security.c  what a call carries: level, presented token, context
 *   rpc_call.c      a call from the client, and the server's side of it
 *   rpc_remote.c    ncalrpc calls between OS processes (sock_transport.c) */
#ifndef NTSEC_LIBSEC_RPC_INTERNAL_H
#define NTSEC_LIBSEC_RPC_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "machine.h"
#include "ntsec/rpc.h"

enum ntsec__rpc_protseq { NTSEC__RPC_NCALRPC = 1, NTSEC__RPC_NCACN_NP };

enum ntsec__rpc_kind { NTSEC__RPC_BINDING = 1, NTSEC__RPC_CALL };

/* What every RPC_BINDING_HANDLE starts with: the live-handle registry's
 * link, its kind and a count. A handle is found only while registered. */
struct ntsec__rpc_handle {
    struct ntsec__rpc_handle *next;     /* under the registry's lock */
    enum ntsec__rpc_kind kind;
    _Atomic uint32_t refs;
    void (*destroy)(struct ntsec__rpc_handle *h);
};

/* --- rpc_handle.c --------------------------------------------------------- */

/* Enter a handle (refs already 1: the registry's) / take it out. */
void ntsec__rpc_handle_add(struct ntsec__rpc_handle *h);
void ntsec__rpc_handle_remove(struct ntsec__rpc_handle *h);

/* The live handle `p` of kind `kind`, with a new reference:
 * NTSEC_RPC_NT_INVALID_BINDING when `p` is none, NTSEC_RPC_NT_WRONG_KIND_OF_BINDING
 * when it is of the other kind. */
ntsec_status ntsec__rpc_handle_get(const void *p, enum ntsec__rpc_kind kind,
                                   struct ntsec__rpc_handle **out);
void ntsec__rpc_handle_put(struct ntsec__rpc_handle *h);

/* --- rpc_string.c --------------------------------------------------------- */

/* A parsed string binding; the strings are allocated (NULL when absent). */
struct ntsec__rpc_string_binding {
    char *uuid;
    char *protseq;
    char *netaddr;
    char *endpoint;
};

ntsec_status ntsec__rpc_string_parse(const char *s, struct ntsec__rpc_string_binding *out);
void ntsec__rpc_string_clear(struct ntsec__rpc_string_binding *sb);

/* The protocol sequence `name` names, or 0. */
enum ntsec__rpc_protseq ntsec__rpc_protseq_find(const char *name);

/* An endpoint's format for its protocol sequence:
 * NTSEC_RPC_NT_INVALID_ENDPOINT_FORMAT when wrong. */
ntsec_status ntsec__rpc_endpoint_check(enum ntsec__rpc_protseq protseq, const char *endpoint);

/* A copy of `s` (NULL stays NULL): NTSEC_STATUS_NO_MEMORY. */
ntsec_status ntsec__rpc_strdup(const char *s, char **out);

/* --- rpc_binding.c -------------------------------------------------------- */

/* The security of a binding's calls, as RpcBindingSetAuthInfoEx set it. */
struct ntsec__rpc_auth {
    bool authenticated;                 /* set with a level and service other than NONE */
    uint32_t level;                     /* DEFAULT resolved to CONNECT */
    uint32_t service;                   /* DEFAULT resolved to WINNT */
    uint32_t authz;
    char *principal;                    /* owned, or NULL */
    const void *identity_handle;
    char *user, *domain, *password;     /* owned explicit credentials, or NULL */
    struct ntsec_rpc_qos qos;           /* defaults filled in */
};

struct ntsec_rpc_binding {
    struct ntsec__rpc_handle h;         /* first */
    enum ntsec__rpc_protseq protseq;
    char *netaddr;                      /* owned; "" for this machine */
    char *endpoint;                     /* owned; "" when none */
    pthread_mutex_t lock;               /* the fields below */
    struct ntsec__rpc_auth auth;
    /* State of the security context (rpc_security.c), dropped whenever
     * the auth info changes: the static token captured at the first
     * call, the explicit credentials' logon, and the server's static
     * context of them for one endpoint (the association). */
    struct ntsec_token *captured;
    struct ntsec_token *logon;
    struct ntsec_rpc_endpoint *assoc_ep;
    struct ntsec_client_context assoc_ctx;
};

/* Drop the security-context state (binding lock held). */
void ntsec__rpc_binding_reset_context(struct ntsec_rpc_binding *b);

/* --- rpc_endpoint.c ------------------------------------------------------- */

struct ntsec_rpc_endpoint {
    struct ntsec_rpc_endpoint *next;    /* the registry's list */
    _Atomic uint32_t refs;
    enum ntsec__rpc_protseq protseq;
    char *name;                         /* owned */
    char machine[NTSEC__MACHINE_NAME_MAX + 1];
    struct ntsec_process *server;       /* counted */
    enum ntsec_authn_level min_level;
    ntsec_rpc_handler handler;
    void *arg;
    pthread_t dispatcher;
    pthread_mutex_t lock;               /* the queue and the states of its calls */
    pthread_cond_t wake;                /* the dispatcher: a call, or closing */
    pthread_cond_t done;                /* the clients: a call finished */
    struct ntsec_rpc_call *head, *tail;
    bool closing;
    struct ntsec__listener *listener;   /* ncalrpc with the transport on, or NULL */
};

/* The endpoint serving (protseq, machine, name), with a new reference:
 * NTSEC_RPC_NT_SERVER_UNAVAILABLE when none. */
ntsec_status ntsec__rpc_endpoint_find(enum ntsec__rpc_protseq protseq, const char *machine,
                                      const char *name, struct ntsec_rpc_endpoint **out);
void ntsec__rpc_endpoint_get(struct ntsec_rpc_endpoint *ep);
void ntsec__rpc_endpoint_put(struct ntsec_rpc_endpoint *ep);

/* Queue `call` and wait until the dispatcher ran it (or the endpoint
 * closed: call->status NTSEC_RPC_NT_SERVER_UNAVAILABLE). */
void ntsec__rpc_endpoint_run(struct ntsec_rpc_endpoint *ep, struct ntsec_rpc_call *call);

/* Whether the calling thread is `ep`'s dispatcher. */
bool ntsec__rpc_endpoint_is_dispatcher(const struct ntsec_rpc_endpoint *ep);

/* Whether `server`'s process registered `service` (RpcServerRegisterAuthInfo),
 * and its principal name then (copied into `principal`, "" when none). */
bool ntsec__rpc_server_has_auth(const struct ntsec_process *server, uint32_t service,
                                char principal[256]);

/* --- rpc_security.c / rpc_call.c ------------------------------------------ */

/* What a call carries to its server. */
struct ntsec__rpc_security {
    bool authenticated;
    uint32_t level;
    uint32_t service;
    uint32_t authz;
    struct ntsec_client_context ctx;    /* the server's context of the client */
};

/* Decide the security of a call on `b` to `ep` from the calling thread
 * `client` (b->lock not held), and the principal name the server
 * registered for the call's service ("" when none). On success
 * `out->ctx` holds its own token reference. */
ntsec_status ntsec__rpc_secure_call(struct ntsec_rpc_binding *b, struct ntsec_rpc_endpoint *ep,
                                    struct ntsec_thread *client, char server_principal[256],
                                    struct ntsec__rpc_security *out);

struct ntsec_rpc_call {
    struct ntsec__rpc_handle h;         /* first; registered while it runs */
    struct ntsec_rpc_call *next;        /* the endpoint's queue */
    uint32_t opnum;
    const void *in;
    size_t in_len;
    void *out;
    size_t out_len;
    ntsec_status status;
    bool finished;                      /* under the endpoint's lock */
    struct ntsec__rpc_security sec;
    struct ntsec_rpc_endpoint *ep;      /* counted */
    char *principal;                    /* made at the first inquiry; owned */
    uint16_t *principal_w;
    char server_principal[256];
};

/* Run `call` (opnum, in, sec and server_principal filled; allocated with
 * ntsec__zalloc, taken over) on `ep`'s dispatcher, taking over the
 * caller's reference on `ep`; the handler's status, and its answer in
 * *out / *out_len on success. */
ntsec_status ntsec__rpc_call_submit(struct ntsec_rpc_call *call, struct ntsec_rpc_endpoint *ep,
                                    void **out, size_t *out_len);

/* --- rpc_remote.c --------------------------------------------------------- */

/* The call of ntsec_rpc_call on an ncalrpc binding whose endpoint no
 * thread of this process serves: sent to the process listening on the
 * endpoint's socket, when `client` runs on the world's own machine.
 * NTSEC_RPC_NT_SERVER_UNAVAILABLE when nobody listens (or another machine),
 * NTSEC_RPC_NT_INVALID_ENDPOINT_FORMAT for a name that cannot be a
 * socket's file name, NTSEC_RPC_NT_CALL_FAILED when the server goes away
 * during the call, the handler's status. */
ntsec_status ntsec__rpc_call_remote(struct ntsec_rpc_binding *b, struct ntsec_thread *client,
                                    uint32_t opnum, const void *in, size_t in_len, void **out,
                                    size_t *out_len);

/* Listen for calls to the ncalrpc endpoint `ep` from other processes when
 * the transport is on: NTSEC_RPC_NT_DUPLICATE_ENDPOINT when another
 * process serves the name, NTSEC_RPC_NT_INVALID_ENDPOINT_FORMAT for a
 * name no socket can carry, the listener's statuses. */
ntsec_status ntsec__rpc_listen_remote(struct ntsec_rpc_endpoint *ep);

/* The dispatcher's side of a call: make it current, run the handler,
 * revert the thread, clear it. */
void ntsec__rpc_call_dispatch(struct ntsec_rpc_endpoint *ep, struct ntsec_rpc_call *call);

#endif
