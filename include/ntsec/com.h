/* ntsec/com.h - a small COM runtime inside the emulation: apartments,
 * per-process COM security (CoInitializeSecurity), objects exported from
 * one emulated process and called through proxies from another, proxy
 * blankets (IClientSecurity) and the server's call context
 * (IServerSecurity). emul/ole32 puts Windows' names and vtables on it.
 *
 * COM reports HRESULTs, so this API returns them (values of winerror.h),
 * not NTSTATUS: the statuses of ntsec/call.h are mapped here, once.
 *
 * Apartments are threads. A thread joins the single-threaded apartment
 * it is (STA) or its process' multithreaded apartment (MTA). An object
 * exported from an MTA thread lives in its process' MTA, served by a pool
 * of worker threads of that process (bound with ntsec_thread_bind; up to
 * 16, another one started when a call finds every worker busy, so a call
 * back into a process whose workers wait on outgoing calls completes). An
 * object exported from an STA thread belongs to that thread: calls to it
 * are queued to it and run on it, one at a time and in order, only while
 * it waits in an outgoing call of its own (COM's modal loop) or pumps
 * (ntsec_com_pump, the emulation's message loop). A call through a proxy
 * is handed to the server and the caller waits (an STA caller serving its
 * own queue meanwhile). Marshaling on streams and interface registration
 * are in ntsec/com_marshal.h. docs/com.md lists every rule with its source. */
#ifndef NTSEC_COM_H
#define NTSEC_COM_H

#include <stdbool.h>
#include <stdint.h>

#include "ntsec/call.h"
#include "ntsec/impersonate.h"
#include "ntsec/rpc.h"
#include "ntsec/sd.h"

typedef int32_t ntsec_hresult;

/* HRESULTs (winerror.h values). */
#define NTSEC_S_OK                     ((ntsec_hresult)0)
#define NTSEC_S_FALSE                  ((ntsec_hresult)1)
#define NTSEC_E_NOINTERFACE            ((ntsec_hresult)0x80004002u)
#define NTSEC_E_FAIL                   ((ntsec_hresult)0x80004005u)
#define NTSEC_E_ACCESSDENIED           ((ntsec_hresult)0x80070005u)
#define NTSEC_E_OUTOFMEMORY            ((ntsec_hresult)0x8007000Eu)
#define NTSEC_E_INVALIDARG             ((ntsec_hresult)0x80070057u)
#define NTSEC_RPC_E_CHANGED_MODE       ((ntsec_hresult)0x80010106u)
#define NTSEC_RPC_E_DISCONNECTED       ((ntsec_hresult)0x80010108u)
#define NTSEC_RPC_E_WRONG_THREAD       ((ntsec_hresult)0x8001010Eu)
#define NTSEC_RPC_S_CALLPENDING        ((ntsec_hresult)0x80010115u)
#define NTSEC_RPC_E_CALL_COMPLETE      ((ntsec_hresult)0x80010117u)
#define NTSEC_RPC_E_TOO_LATE           ((ntsec_hresult)0x80010119u)
#define NTSEC_CO_E_NOTINITIALIZED      ((ntsec_hresult)0x800401F0u)
#define NTSEC_CO_E_APPNOTFOUND         ((ntsec_hresult)0x800401F5u)
#define NTSEC_CO_E_NOT_SUPPORTED       ((ntsec_hresult)0x80004021u)

/* COINIT_APARTMENTTHREADED / COINIT_MULTITHREADED (objbase.h). */
enum ntsec_com_model { NTSEC_COM_MTA = 0, NTSEC_COM_STA = 2 };

/* RPC_C_AUTHN_*, RPC_C_AUTHZ_* and RPC_C_IMP_LEVEL_* are ntsec/rpc.h's;
 * COM also names Schannel (rpcdce.h), to refuse it with cloaking. */
#define NTSEC_RPC_AUTHN_GSS_SCHANNEL  14u

/* EOLE_AUTHENTICATION_CAPABILITIES (objidl.h). */
#define NTSEC_EOAC_NONE             0x0000u
#define NTSEC_EOAC_MUTUAL_AUTH      0x0001u
#define NTSEC_EOAC_SECURE_REFS      0x0002u
#define NTSEC_EOAC_ACCESS_CONTROL   0x0004u
#define NTSEC_EOAC_APPID            0x0008u
#define NTSEC_EOAC_STATIC_CLOAKING  0x0020u
#define NTSEC_EOAC_DYNAMIC_CLOAKING 0x0040u
#define NTSEC_EOAC_ANY_AUTHORITY    0x0080u
#define NTSEC_EOAC_MAKE_FULLSIC     0x0100u
#define NTSEC_EOAC_DEFAULT          0x0800u

/* COLE_DEFAULT_PRINCIPAL / COLE_DEFAULT_AUTHINFO (objidl.h). */
#define NTSEC_COM_DEFAULT_PRINCIPAL ((const char *)-1)

/* --- apartments -------------------------------------------------------------- */

/* CoInitializeEx: the calling thread joins an apartment of its process.
 * NTSEC_S_OK the first time, NTSEC_S_FALSE when it already is in one of
 * the same model (count it, one ntsec_com_uninitialize each),
 * NTSEC_RPC_E_CHANGED_MODE in the other model, NTSEC_E_INVALIDARG for
 * another value, NTSEC_E_OUTOFMEMORY. */
ntsec_hresult ntsec_com_initialize(enum ntsec_com_model model);

/* CoUninitialize: undo one successful ntsec_com_initialize; the last one
 * leaves the apartment. An STA thread leaving revokes the objects it
 * exported (calls queued to it fail with NTSEC_RPC_E_DISCONNECTED, and so
 * do later ones). When the last thread of a process leaves, the
 * process' COM state ends: its exports are revoked (proxies then get
 * NTSEC_RPC_E_DISCONNECTED), its worker thread ends, and its security
 * settings are forgotten. Nothing when the thread is not initialised. */
void ntsec_com_uninitialize(void);

/* INFINITE (winbase.h), for ntsec_com_pump. */
#define NTSEC_COM_INFINITE 0xFFFFFFFFu

/* The emulation's message loop, for an STA thread: serve the calls queued
 * to its objects, on this thread, in order, until none is left; when none
 * is queued, wait up to `timeout_ms` for one (0: do not wait;
 * NTSEC_COM_INFINITE: until one comes). NTSEC_S_OK when it served at
 * least one, NTSEC_RPC_S_CALLPENDING when none came in time
 * (CoWaitForMultipleHandles' timeout), NTSEC_CO_E_NOTINITIALIZED, and
 * NTSEC_CO_E_NOT_SUPPORTED from an MTA thread (its apartment's calls are
 * the workers'; ntsec's choice). A call served here may pump or call out
 * again (calls nest). */
ntsec_hresult ntsec_com_pump(uint32_t timeout_ms);

/* --- process security: CoInitializeSecurity --------------------------------- */

/* CoInitializeSecurity's arguments as Windows passes them. */
struct ntsec_com_security_args {
    const void *security_descriptor;    /* absolute SD (access permissions), AppID, or NULL */
    int32_t auth_svc_count;             /* cAuthSvc: -1, 0 or a count */
    const void *auth_svc;               /* asAuthSvc, or NULL */
    const void *reserved1;
    uint32_t authn_level;               /* RPC_C_AUTHN_LEVEL_* */
    uint32_t imp_level;                 /* RPC_C_IMP_LEVEL_* */
    const void *auth_list;              /* pAuthList (pReserved2): ignored */
    uint32_t capabilities;              /* EOAC_* */
    const void *reserved3;
};

/* CoInitializeSecurity for the calling thread's process: once. The
 * thread must have initialised COM (NTSEC_CO_E_NOTINITIALIZED);
 * NTSEC_RPC_E_TOO_LATE when the process already has its settings,
 * explicit or implicit (made with the machine defaults, CONNECT and
 * IDENTIFY, at its first export or connect); NTSEC_E_INVALIDARG for the
 * argument rules of docs/com.md; nothing changes on failure. With
 * NTSEC_EOAC_APPID, security_descriptor is the AppID's GUID and the
 * settings are its registered values (ntsec_com_appid_register; the
 * machine defaults when it is NULL or not registered). */
ntsec_hresult ntsec_com_initialize_security(const struct ntsec_com_security_args *args);

/* --- the AppID registry ---------------------------------------------------------- */

/* An AppID's values under HKEY_LOCAL_MACHINE\SOFTWARE\Classes\AppID\{guid}
 * that COM security reads ("AuthenticationLevel", "AccessPermission"), and
 * the COM+ catalog's activation type of its application. */
struct ntsec_com_appid_settings {
    uint32_t authn_level;               /* RPC_C_AUTHN_LEVEL_*; DEFAULT (0): value absent */
    const void *access_sd;              /* AccessPermission, an SD of either form; NULL: absent */
    bool library;                       /* a COM+ library application (else a server application) */
};

/* Register (or replace) the AppID `appid` (a 16-byte GUID) with `settings`
 * (copied). A process whose security was already taken from the AppID
 * keeps what it read. NTSEC_E_INVALIDARG for NULL, a level above
 * PKT_PRIVACY or an invalid SD; NTSEC_E_OUTOFMEMORY; nothing changes on
 * failure. docs/com.md, "AppIDs". */
ntsec_hresult ntsec_com_appid_register(const void *appid,
                                       const struct ntsec_com_appid_settings *settings);

/* Remove an AppID: NTSEC_CO_E_APPNOTFOUND when it is not registered,
 * NTSEC_E_INVALIDARG for NULL. */
ntsec_hresult ntsec_com_appid_unregister(const void *appid);

/* --- exporting and connecting ------------------------------------------------- */

/* An object a server exports: `invoke` runs on the server's worker
 * thread (on the exporting thread for an STA's object) with the call
 * context current (ntsec_com_call_current), and
 * `release` (may be NULL) when the export is revoked. Method numbers are
 * the caller's (emul/ole32 uses vtable slots; 0 is IUnknown's remote
 * QueryInterface, made with the IUnknown proxy's blanket). */
struct ntsec_com_object {
    void *self;
    ntsec_hresult (*invoke)(void *self, uint32_t method, void *arg);
    void (*release)(void *self);
};

struct ntsec_com_proxy;

/* Export `object` from the calling thread's process (marshal it): *cookie
 * names it for ntsec_com_connect. From an STA thread, the object belongs
 * to that STA. The thread must be initialised
 * (NTSEC_CO_E_NOTINITIALIZED); the process' security is set implicitly
 * if it was not. NTSEC_E_INVALIDARG for NULL, NTSEC_E_OUTOFMEMORY. */
ntsec_hresult ntsec_com_export(const struct ntsec_com_object *object, uint32_t *cookie);

/* Export `object` as a component of the application `appid` (registered
 * with ntsec_com_appid_register). A library application's component runs
 * in the calling (host) process with the host's security settings; a
 * server application's runs in the application's own process, whose
 * settings are the AppID's: the calling process takes them now if it has
 * none yet (as CoInitializeSecurity with EOAC_APPID would), keeps them if
 * it took them from this AppID, and NTSEC_RPC_E_TOO_LATE when its
 * security was set otherwise. NTSEC_CO_E_APPNOTFOUND for an AppID not
 * registered; the other statuses of ntsec_com_export. */
ntsec_hresult ntsec_com_export_appid(const struct ntsec_com_object *object, const void *appid,
                                     uint32_t *cookie);

/* Revoke an export of the calling thread's process now: later calls and
 * calls still queued get NTSEC_RPC_E_DISCONNECTED; release runs now, or,
 * when methods of the object are running, as the last of them returns.
 * NTSEC_E_INVALIDARG when it is not one. */
ntsec_hresult ntsec_com_revoke(uint32_t cookie);

/* Connect to an export (unmarshal it): a new interface proxy whose
 * default blanket is negotiated now: service WINNT, level the higher of
 * the two processes' levels, impersonation level and capabilities the
 * client's. The thread must be initialised; NTSEC_RPC_E_DISCONNECTED for
 * an unknown or revoked cookie. Release with ntsec_com_proxy_release. */
ntsec_hresult ntsec_com_connect(uint32_t cookie, struct ntsec_com_proxy **out);

void ntsec_com_proxy_release(struct ntsec_com_proxy *proxy);

/* IClientSecurity::CopyProxy: a new proxy with the same blanket, set
 * independently from now on. */
ntsec_hresult ntsec_com_proxy_copy(const struct ntsec_com_proxy *proxy,
                                   struct ntsec_com_proxy **out);

/* Explicit credentials (SEC_WINNT_AUTH_IDENTITY), UTF-8. */
struct ntsec_com_identity {
    const char *user;
    const char *domain;                 /* NULL or "" */
    const char *password;
};

/* IClientSecurity::SetBlanket's arguments. `principal` NULL keeps the
 * current one, NTSEC_COM_DEFAULT_PRINCIPAL goes back to none; `identity`
 * NULL means none (the process token), `identity_default` true keeps the
 * process' (COLE_DEFAULT_AUTHINFO: none here). */
struct ntsec_com_blanket_args {
    uint32_t authn_svc;
    uint32_t authz_svc;
    const char *principal;
    uint32_t authn_level;
    uint32_t imp_level;
    const struct ntsec_com_identity *identity;
    bool identity_default;
    uint32_t capabilities;
};

/* Set a proxy's blanket (docs/com.md: the DEFAULT values, the
 * capability filter, cloaking; static cloaking captures the thread's
 * token now; explicit credentials are logged on now through the world,
 * as a network logon). NTSEC_E_INVALIDARG for a rule broken,
 * NTSEC_E_ACCESSDENIED when the logon fails, NTSEC_E_OUTOFMEMORY;
 * unchanged on failure. */
ntsec_hresult ntsec_com_proxy_set_blanket(struct ntsec_com_proxy *proxy,
                                          const struct ntsec_com_blanket_args *args);

/* What QueryBlanket reports. `principal` is the proxy's (borrowed,
 * valid until the next SetBlanket; NULL when none). */
struct ntsec_com_blanket {
    uint32_t authn_svc;
    uint32_t authz_svc;
    const char *principal;
    uint32_t authn_level;
    uint32_t imp_level;
    uint32_t capabilities;
};

/* NULL proxy or out: nothing (ntsec's choice). */
void ntsec_com_proxy_query_blanket(const struct ntsec_com_proxy *proxy,
                                   struct ntsec_com_blanket *out);

/* A call through a proxy: method `method` of the object with `arg` (one
 * pointer; processes share the address space), run on the server's
 * worker thread, or on its STA's thread when that pumps or waits in a
 * call of its own (a caller in an STA serves its own queue meanwhile);
 * NTSEC_RPC_E_DISCONNECTED when that STA's thread leaves COM first. The
 * object's HRESULT, or: NTSEC_CO_E_NOTINITIALIZED (caller not
 * initialised), NTSEC_RPC_E_DISCONNECTED, NTSEC_E_ACCESSDENIED
 * (a level below the server's; the server's access permissions refuse the
 * caller; the presented identity cannot be had: a cloaked call from an
 * Identification-level thread, a remote hop without credentials),
 * NTSEC_E_OUTOFMEMORY. */
ntsec_hresult ntsec_com_call(struct ntsec_com_proxy *proxy, uint32_t method, void *arg);

/* --- the server's side of a call ------------------------------------------------ */

struct ntsec_com_call;

/* CoGetCallContext's object: the call the calling thread is serving, a
 * new reference (release with ntsec_com_call_put);
 * NTSEC_RPC_E_CALL_COMPLETE outside a call; NTSEC_E_INVALIDARG for NULL.
 * Get and put of NULL do nothing. */
ntsec_hresult ntsec_com_call_current(struct ntsec_com_call **out);
void ntsec_com_call_get(struct ntsec_com_call *call);
void ntsec_com_call_put(struct ntsec_com_call *call);

/* IServerSecurity::QueryBlanket: the call's service, level, the
 * client's capabilities, and its account "DOMAIN\\user" (borrowed,
 * valid during the call). NTSEC_RPC_E_CALL_COMPLETE after the call. */
struct ntsec_com_call_blanket {
    uint32_t authn_svc;
    uint32_t authz_svc;
    uint32_t authn_level;
    uint32_t capabilities;
    const char *client;
};
ntsec_hresult ntsec_com_call_query(const struct ntsec_com_call *call,
                                   struct ntsec_com_call_blanket *out);

/* IServerSecurity::ImpersonateClient / RevertToSelf / IsImpersonating for
 * the calling thread: the serving thread, or for a call the MTA serves,
 * any thread of the process' MTA (each impersonates and reverts on its
 * own). A thread's first impersonation saves its token; more do not
 * stack; one revert restores it; the end of the call reverts the serving
 * thread (another thread stays impersonating past it: the COM
 * specification). NTSEC_RPC_E_CALL_COMPLETE after the
 * call, NTSEC_RPC_E_WRONG_THREAD from a thread of another apartment
 * (another process, an STA), NTSEC_E_FAIL for an unauthenticated (NONE
 * level) call, NTSEC_E_OUTOFMEMORY. */
ntsec_hresult ntsec_com_call_impersonate(struct ntsec_com_call *call);
ntsec_hresult ntsec_com_call_revert(struct ntsec_com_call *call);
bool ntsec_com_call_is_impersonating(const struct ntsec_com_call *call);

/* --- the Windows face (emul/ole32) ----------------------------------------------- */

/* The native way to what CoMarshalInterface / CoUnmarshalInterface do
 * (emul/ole32 has those too, on IStreams: ntsec/com_marshal.h), for
 * Windows COM objects: export `unknown` (an IUnknown* with its ms_abi
 * vtable; the export holds a reference until revoked) from the calling
 * thread's process, and connect to it from another as a proxy manager,
 * returning its interface `iid` (an IID*: a QueryInterface made remotely
 * with the IUnknown proxy's blanket). Proxies exist for IUnknown and the
 * interfaces registered with ntsec_com_register_interface (others are
 * NTSEC_E_NOINTERFACE) and forward every method of them with the
 * registered number of integer or pointer arguments. The statuses of
 * ntsec_com_export / ntsec_com_connect, and the object's QueryInterface
 * result. */
ntsec_hresult ntsec_com_export_unknown(void *unknown, uint32_t *cookie);
ntsec_hresult ntsec_com_connect_unknown(uint32_t cookie, const void *iid, void **out);

#endif
