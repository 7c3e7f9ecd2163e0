/* ntsec/rpc.h - RPC's security personality: client binding handles with
 * their authentication information and security QoS, endpoints that
 * emulated server processes serve, and what a server thread does with a
 * call (impersonate its client, revert, ask who the client is).
 *
 * There is no MIDL/NDR here: a call is ntsec_rpc_call(), which carries a
 * byte buffer to the endpoint's handler and its answer back, with the
 * security a real RPC runtime would give it. Two protocol sequences exist:
 * "ncalrpc" (local, always authenticated, as Windows' LRPC) and
 * "ncacn_np" (named pipes, to a process on the same or another machine of
 * the account world). Each endpoint has one dispatcher thread of its
 * server process; calls from several clients are served one at a time.
 *
 * The functions return NTSTATUS; the RPC_STATUS the Windows function
 * returns is ntsec_status_to_win32() of it (RPC_S_* errors have RPC_NT_*
 * statuses, NTSEC_RPC_NT_* in ntsec/status.h). docs/rpc.md gives every
 * rule with its source and the statuses ntsec chose where Windows
 * documents none. */
#ifndef NTSEC_RPC_H
#define NTSEC_RPC_H

#include <stddef.h>
#include <stdint.h>

#include "ntsec/call.h"
#include "ntsec/process.h"
#include "ntsec/status.h"

struct ntsec_rpc_binding;               /* a client binding handle */
struct ntsec_rpc_call;                  /* a call, while its handler runs */
struct ntsec_rpc_endpoint;              /* a registered endpoint */

/* Authentication services (RPC_C_AUTHN_*, rpcdce.h). */
#define NTSEC_RPC_AUTHN_NONE            0u
#define NTSEC_RPC_AUTHN_GSS_NEGOTIATE   9u
#define NTSEC_RPC_AUTHN_WINNT           10u
#define NTSEC_RPC_AUTHN_GSS_KERBEROS    16u
#define NTSEC_RPC_AUTHN_DEFAULT         0xFFFFFFFFu

/* Authorization services (RPC_C_AUTHZ_*). */
#define NTSEC_RPC_AUTHZ_NONE            0u
#define NTSEC_RPC_AUTHZ_NAME            1u
#define NTSEC_RPC_AUTHZ_DCE             2u
#define NTSEC_RPC_AUTHZ_DEFAULT         0xFFFFFFFFu

/* RPC_C_IMP_LEVEL_*: SECURITY_IMPERSONATION_LEVEL + 1, DEFAULT 0. */
#define NTSEC_RPC_IMP_LEVEL_DEFAULT     0u
#define NTSEC_RPC_IMP_LEVEL_ANONYMOUS   1u
#define NTSEC_RPC_IMP_LEVEL_IDENTIFY    2u
#define NTSEC_RPC_IMP_LEVEL_IMPERSONATE 3u
#define NTSEC_RPC_IMP_LEVEL_DELEGATE    4u

/* RPC_SECURITY_QOS IdentityTracking and Capabilities (rpcdce.h). */
#define NTSEC_RPC_QOS_IDENTITY_STATIC   0u
#define NTSEC_RPC_QOS_IDENTITY_DYNAMIC  1u
#define NTSEC_RPC_QOS_CAPABILITIES_DEFAULT                     0x00u
#define NTSEC_RPC_QOS_CAPABILITIES_MUTUAL_AUTH                 0x01u
#define NTSEC_RPC_QOS_CAPABILITIES_MAKE_FULLSIC                0x02u
#define NTSEC_RPC_QOS_CAPABILITIES_ANY_AUTHORITY               0x04u
#define NTSEC_RPC_QOS_CAPABILITIES_IGNORE_DELEGATE_FAILURE     0x08u
#define NTSEC_RPC_QOS_CAPABILITIES_LOCAL_MA_HINT               0x10u
#define NTSEC_RPC_QOS_CAPABILITIES_SCHANNEL_FULL_AUTH_IDENTITY 0x20u

/* RPC_SECURITY_QOS (version 1), the same layout. */
struct ntsec_rpc_qos {
    uint32_t version;                   /* 1 or more; later fields are ignored */
    uint32_t capabilities;
    uint32_t identity_tracking;
    uint32_t impersonation_type;
};

/* SEC_WINNT_AUTH_IDENTITY's account, in UTF-8: the call runs as this
 * account, logged on through the world with this password. */
struct ntsec_rpc_identity {
    const char *user;
    const char *domain;                 /* NULL: the world's lookup */
    const char *password;
};

/* RpcBindingSetAuthInfoEx's arguments. */
struct ntsec_rpc_auth_info {
    const char *server_principal;       /* may be NULL */
    uint32_t level;                     /* RPC_C_AUTHN_LEVEL_* (enum ntsec_authn_level) */
    uint32_t service;                   /* NTSEC_RPC_AUTHN_* */
    const struct ntsec_rpc_identity *identity;  /* NULL: the caller's own */
    const void *identity_handle;        /* the caller's AuthIdentity, echoed by inq */
    uint32_t authz_service;             /* NTSEC_RPC_AUTHZ_* */
    const struct ntsec_rpc_qos *qos;    /* NULL: static tracking, impersonate */
};

/* RpcBindingInqAuthInfoEx's results. */
struct ntsec_rpc_auth_query {
    uint32_t level;
    uint32_t service;
    uint32_t authz_service;
    const void *identity_handle;
    struct ntsec_rpc_qos qos;           /* version 1, the effective values */
};

/* RpcBindingInqAuthClient's results, owned by the call (valid until it
 * returns). */
struct ntsec_rpc_client_info {
    const char *principal;              /* the client, "DOMAIN\\user" */
    const uint16_t *principal_w;        /* the same in UTF-16 (the Privs handle) */
    const char *server_principal;       /* what the server registered, or NULL */
    uint32_t level;
    uint32_t service;
    uint32_t authz_service;
};

/* --- string bindings ------------------------------------------------------ */

/* RpcStringBindingCompose: "uuid@protseq:netaddr[endpoint,options]",
 * each part escaped ('@', ':', '[', ']' and '\' get a '\' before them),
 * NULL or empty parts left out. Allocated; release with ntsec_mem_free().
 * NTSEC_STATUS_INVALID_PARAMETER for a NULL `out`, NTSEC_STATUS_NO_MEMORY. */
ntsec_status ntsec_rpc_string_binding_compose(const char *uuid, const char *protseq,
                                              const char *netaddr, const char *endpoint,
                                              const char *options, char **out);

/* --- client binding handles ----------------------------------------------- */

/* RpcBindingFromStringBinding. The protocol sequence must be "ncalrpc" or
 * "ncacn_np" (any other: NTSEC_RPC_NT_PROTSEQ_NOT_SUPPORTED); an ncalrpc
 * endpoint is a name without '\', an ncacn_np endpoint "\pipe\NAME" (else
 * NTSEC_RPC_NT_INVALID_ENDPOINT_FORMAT); ncalrpc takes no network address
 * (NTSEC_RPC_NT_INVALID_NET_ADDR). The machine of ncacn_np ("", ".",
 * "\\\\NAME" or "NAME") is looked up at the first call, as Windows
 * resolves names then. A malformed string (no ':', an unclosed '[', text
 * after ']', two endpoints): NTSEC_RPC_NT_INVALID_STRING_BINDING; a bad
 * object UUID: NTSEC_RPC_NT_INVALID_STRING_UUID. Calls on it are
 * unauthenticated until ntsec_rpc_binding_set_auth_info (but ncalrpc
 * always authenticates). Release with ntsec_rpc_binding_free(). */
ntsec_status ntsec_rpc_binding_from_string(const char *string_binding,
                                           struct ntsec_rpc_binding **out);

/* RpcBindingFree. NTSEC_RPC_NT_INVALID_BINDING for a pointer that is no
 * live binding handle, NTSEC_RPC_NT_WRONG_KIND_OF_BINDING for a call. */
ntsec_status ntsec_rpc_binding_free(struct ntsec_rpc_binding *binding);

/* RpcBindingSetAuthInfoEx. Level NONE or service NONE make the binding's
 * calls unauthenticated; DEFAULT level is CONNECT, DEFAULT service WINNT.
 * Errors (the binding unchanged): a level above PKT_PRIVACY
 * NTSEC_RPC_NT_UNKNOWN_AUTHN_LEVEL; a service other than WINNT, NEGOTIATE
 * or KERBEROS (only WINNT on ncalrpc) NTSEC_RPC_NT_UNKNOWN_AUTHN_SERVICE;
 * an authorization service other than NONE, NAME, DCE or DEFAULT
 * NTSEC_RPC_NT_UNKNOWN_AUTHZ_SERVICE; an identity without a user
 * NTSEC_RPC_NT_INVALID_AUTH_IDENTITY; a QoS of version 0, unknown tracking,
 * impersonation type or capability, LOCAL_MA_HINT without MUTUAL_AUTH or
 * SCHANNEL_FULL_AUTH_IDENTITY NTSEC_STATUS_INVALID_PARAMETER
 * (RPC_S_INVALID_ARG); NTSEC_STATUS_NO_MEMORY. The credentials are copied. */
ntsec_status ntsec_rpc_binding_set_auth_info(struct ntsec_rpc_binding *binding,
                                             const struct ntsec_rpc_auth_info *info);

/* RpcBindingInqAuthInfoEx: NTSEC_RPC_NT_BINDING_HAS_NO_AUTH for an
 * unauthenticated binding. `principal` (optional) receives an allocated
 * copy of the server principal name, or NULL. Nothing written on failure. */
ntsec_status ntsec_rpc_binding_inq_auth_info(struct ntsec_rpc_binding *binding, char **principal,
                                             struct ntsec_rpc_auth_query *out);

/* A call: run opnum `opnum` of the endpoint the binding names, on its
 * server's dispatcher thread, with `in_len` bytes at `in`; *out receives
 * the handler's answer (allocated, release with ntsec_mem_free(); NULL
 * when it gave none) and *out_len its size. The calling thread is the
 * client. What the server gets (docs/rpc.md): the call's level (ncalrpc
 * PKT_PRIVACY; CALL runs as PKT) checked against the endpoint's minimum
 * (NTSEC_STATUS_ACCESS_DENIED), the token the call presents (explicit
 * credentials' logon; static tracking: the caller's effective token at
 * the first call, and the server's context of it kept; dynamic: taken at
 * every call) and ntsec_call_server_context() of it. Errors: no such
 * endpoint on that machine, or an unknown machine
 * NTSEC_RPC_NT_SERVER_UNAVAILABLE; no endpoint in the binding
 * NTSEC_EPT_NT_NOT_REGISTERED; a service the ncacn_np server did not
 * register NTSEC_RPC_NT_UNKNOWN_AUTHN_SERVICE; delegation asked from
 * another machine and not obtained NTSEC_RPC_NT_SEC_PKG_ERROR (unless
 * IGNORE_DELEGATE_FAILURE); an account that cannot be authenticated
 * NTSEC_STATUS_ACCESS_DENIED; a call to the endpoint from its own
 * dispatcher NTSEC_RPC_NT_SERVER_TOO_BUSY; the handler's own status. With
 * the transport on (ntsec/transport.h), an ncalrpc endpoint no thread of
 * this process serves is called in the OS process listening for it
 * (docs/rpc.md, "Between OS processes"): NTSEC_RPC_NT_CALL_FAILED when
 * that process goes away during the call. */
ntsec_status ntsec_rpc_call(struct ntsec_rpc_binding *binding, uint32_t opnum, const void *in,
                            size_t in_len, void **out, size_t *out_len);

/* --- servers -------------------------------------------------------------- */

/* A call's handler, on the endpoint's dispatcher thread (a thread of the
 * server process) with the call current there. It may set *out to memory
 * from ntsec_mem_alloc() and *out_len to its size; `in` is valid during
 * the call only. Its status is the call's. The thread is reverted after
 * it returns. */
typedef ntsec_status (*ntsec_rpc_handler)(struct ntsec_rpc_call *call, void *arg, const void *in,
                                          size_t in_len, void **out, size_t *out_len);

struct ntsec_rpc_endpoint_desc {
    const char *protseq;                /* "ncalrpc" or "ncacn_np" */
    const char *endpoint;               /* "name", or "\pipe\name" */
    struct ntsec_process *server;       /* its machine is the endpoint's */
    enum ntsec_authn_level min_level;   /* the interface's minimum (DEFAULT: CONNECT) */
    ntsec_rpc_handler handler;
    void *arg;
};

/* Register an endpoint and start its dispatcher. The endpoint's name is
 * unique per protocol sequence and machine (without case):
 * NTSEC_RPC_NT_DUPLICATE_ENDPOINT (with the transport on, also when
 * another OS process serves it; an ncalrpc endpoint of the world's own
 * machine then listens for other OS processes, and a name no socket file
 * can carry is NTSEC_RPC_NT_INVALID_ENDPOINT_FORMAT). Bad protocol
 * sequence or endpoint as for binding handles; NTSEC_STATUS_INVALID_PARAMETER for a NULL
 * argument or a level above PKT_PRIVACY; NTSEC_STATUS_NO_MEMORY,
 * NTSEC_STATUS_INSUFFICIENT_RESOURCES (no thread). */
ntsec_status ntsec_rpc_endpoint_register(const struct ntsec_rpc_endpoint_desc *desc,
                                         struct ntsec_rpc_endpoint **out);

/* Stop serving: new calls get NTSEC_RPC_NT_SERVER_UNAVAILABLE, queued
 * ones too; the call running finishes first. Frees the endpoint.
 * NTSEC_STATUS_INVALID_PARAMETER for NULL or from the endpoint's own
 * dispatcher. */
ntsec_status ntsec_rpc_endpoint_unregister(struct ntsec_rpc_endpoint *endpoint);

/* RpcServerRegisterAuthInfo for `server`: the authentication services an
 * ncacn_np call to its endpoints may use (ncalrpc needs none), with its
 * principal name (may be NULL, at most 255 bytes). WINNT, NEGOTIATE,
 * KERBEROS (DEFAULT: WINNT); others NTSEC_RPC_NT_UNKNOWN_AUTHN_SERVICE.
 * NTSEC_STATUS_INSUFFICIENT_RESOURCES when 64 live processes already
 * registered. */
ntsec_status ntsec_rpc_server_register_auth_info(struct ntsec_process *server,
                                                 const char *principal, uint32_t service);

/* --- the server side of a call -------------------------------------------- */

/* The call current on this thread (while its handler runs), or NULL. */
struct ntsec_rpc_call *ntsec_rpc_call_current(void);

/* The call's operation number; 0 for NULL. */
uint32_t ntsec_rpc_call_opnum(const struct ntsec_rpc_call *call);

/* RpcImpersonateClient: the calling thread impersonates the client of
 * `call` (NULL: the call current on this thread) at the call's level, or
 * at Identification when SeTokenCanImpersonate refuses the server.
 * NTSEC_RPC_NT_NO_CALL_ACTIVE without a call, NTSEC_RPC_NT_INVALID_BINDING
 * for a handle that is no live call, NTSEC_RPC_NT_WRONG_KIND_OF_BINDING
 * for a client binding, NTSEC_RPC_NT_NO_CONTEXT_AVAILABLE when the
 * impersonation fails (the thread is unchanged), NTSEC_STATUS_NO_MEMORY. */
ntsec_status ntsec_rpc_impersonate_client(struct ntsec_rpc_call *call);

/* RpcRevertToSelf(Ex): the calling thread stops impersonating. The same
 * handle errors; NTSEC_RPC_NT_NO_CALL_ACTIVE outside a call (the thread
 * unchanged). */
ntsec_status ntsec_rpc_revert_to_self(struct ntsec_rpc_call *call);

/* RpcBindingInqAuthClient: who the client is. NTSEC_RPC_NT_BINDING_HAS_NO_AUTH
 * for an unauthenticated call; the handle errors as above;
 * NTSEC_STATUS_NO_MEMORY. */
ntsec_status ntsec_rpc_inq_auth_client(struct ntsec_rpc_call *call,
                                       struct ntsec_rpc_client_info *out);

#endif
