/* com.h - what the files of libsec's COM runtime share (com_apartment.c,
 * com_sta.c, com_security.c, com_export.c, com_proxy.c, com_call.c): the
 * per-process COM state, single-threaded apartments, exports, proxies,
 * calls and the one lock that guards them.
 * The public side is include/ntsec/com.h. */
#ifndef NTSEC_LIBSEC_COM_H
#define NTSEC_LIBSEC_COM_H

#include <pthread.h>
#include <stdatomic.h>

#include "ntsec/com.h"

/* Windows' RPC thread pool is bounded; so is ntsec's worker pool. A call
 * that finds all of them busy gets RPC_E_SERVERCALL_RETRYLATER (winerror.h:
 * "The message filter indicated that the application is busy"; ntsec's
 * choice, docs/com.md). */
#define NTSEC__COM_MAX_WORKERS 16
#define NTSEC__RPC_E_SERVERCALL_RETRYLATER ((ntsec_hresult)0x8001010Au)

struct com_sta;

/* Guards every list and field below but the calls' own. */
extern pthread_mutex_t ntsec__com_lock;

struct com_job;

/* A process' COM state: from its first thread's CoInitializeEx to its
 * last CoUninitialize. */
struct com_process {
    struct com_process *next;
    struct ntsec_process *process;      /* counted */
    unsigned users;                     /* initialised threads */
    bool secured;                       /* CoInitializeSecurity made, explicitly or not */
    uint32_t authn_level, imp_level, capabilities;
    void *access_sd;                    /* self-relative copy, or NULL: everyone */
    bool has_appid;                     /* settings read from an AppID (com_appid.c) */
    uint8_t appid[16];
    /* The MTA's workers (com_apartment.c): a pool that grows when a call
     * finds none waiting, so a nested call back into the process never
     * waits for a worker blocked in its own outgoing call. */
    int ready;                          /* the first worker: 1 serving, -1 failed to start */
    bool stopping;
    pthread_t workers[NTSEC__COM_MAX_WORKERS];
    unsigned threads;                   /* created, joined at the end */
    unsigned starting;                  /* created, not yet bound */
    unsigned waiting;                   /* bound and waiting for a job */
    unsigned queued;                    /* jobs in the list */
    pthread_cond_t wake;
    struct com_job *head, *tail;
};

struct com_export {
    struct com_export *next;
    uint32_t cookie;
    unsigned refs;                      /* the table's + one per proxy + one per call made */
    unsigned active;                    /* calls running its methods now */
    bool release_due;                   /* revoked while active: the last one releases */
    struct com_process *owner;          /* NULL once revoked */
    struct com_sta *sta;                /* the STA it belongs to; NULL: the MTA's, or revoked */
    struct ntsec_com_object object;
};

struct ntsec_com_proxy {
    struct com_export *exp;             /* counted */
    uint32_t negotiated_level;          /* the level at connect: RPC_C_AUTHN_LEVEL_DEFAULT's */
    uint32_t authn_svc, authz_svc, authn_level, imp_level, capabilities;
    char *principal;
    struct ntsec_token *captured;       /* static cloaking's token, counted */
    struct ntsec_token *explicit_token; /* explicit credentials' logon, counted */
};

/* One thread's impersonation through a call's IServerSecurity: what
 * its first ImpersonateClient saved. */
struct com_imp {
    struct com_imp *next;
    struct ntsec_thread *thread;        /* counted, but the serving thread's (borrowed) */
    bool active;                        /* the thread impersonates through the call */
    struct ntsec_impersonation_state saved;
};

struct ntsec_com_call {
    atomic_uint refs;
    bool has_context;                   /* false for a NONE-level call */
    struct ntsec_client_context ctx;
    uint32_t authn_svc, authz_svc, authn_level, capabilities;
    char client[160];
    struct ntsec_thread *thread;        /* the serving thread (borrowed) */
    /* The apartment whose threads may use the call ("IServerSecurity::
     * RevertToSelf": valid on any thread of it): the MTA of this process,
     * or NULL when an STA serves the call (its one thread). */
    const struct ntsec_process *mta;
    atomic_bool complete;
    pthread_mutex_t lock;               /* guards complete's change, serving, others */
    struct com_imp serving;             /* the serving thread's */
    struct com_imp *others;             /* other threads of the MTA, allocated */
};

/* One call handed to a worker or an STA: the client waits for `done`,
 * woken through `notify` (its own `finished`, or its STA's `wake`, so an
 * STA caller also wakes for incoming calls). */
struct com_job {
    struct com_job *next;
    struct com_export *exp;
    uint32_t method;
    void *arg;
    struct ntsec_token *presented;      /* borrowed; NULL for a NONE-level call */
    const char *client_machine;
    uint32_t authn_svc, authz_svc, authn_level, imp_level, capabilities;
    ntsec_hresult hr;
    bool done;
    pthread_cond_t finished;
    pthread_cond_t *notify;
};

/* The calling thread's apartment: its process' state (NULL when not
 * initialised) and the call it serves. */
struct com_thread {
    enum ntsec_com_model model;
    unsigned count;
    struct com_process *proc;
    struct ntsec_com_call *call;
    bool worker;                        /* a process' MTA worker never leaves */
    struct com_sta *sta;                /* the thread's STA; NULL in the MTA */
};
extern _Thread_local struct com_thread ntsec__com_thread;

/* com_security.c: the machine defaults, made under the lock when the
 * process has no settings yet ("CoInitializeSecurity": implicit at the
 * first marshal or unmarshal). */
void ntsec__com_secure_implicitly(struct com_process *p);

/* com_appid.c: make `p`'s settings those of `appid` (NULL or not
 * registered: the machine defaults), as CoInitializeSecurity with
 * EOAC_APPID does (lock held, `p` not secured yet). NTSEC_E_OUTOFMEMORY
 * leaves `p` as it was. */
ntsec_hresult ntsec__com_appid_apply(struct com_process *p, const void *appid);

/* com_export.c: revoke every export of `p` (lock held); returns them in a
 * list for ntsec__com_exports_release (lock not held). */
struct com_export *ntsec__com_exports_detach(struct com_process *p);
void ntsec__com_exports_release(struct com_export *list);
void ntsec__com_export_put(struct com_export *e);  /* lock held */

/* A call about to run a method of `e` (lock not held): false when `e` is
 * revoked (the call is RPC_E_DISCONNECTED), else counted as active until
 * ntsec__com_export_leave, which releases the object when `e` was revoked
 * meanwhile - a revoke never frees an object under a running method. */
bool ntsec__com_export_enter(struct com_export *e);
void ntsec__com_export_leave(struct com_export *e);

/* com_apartment.c: queue `job` to `p`'s MTA, starting another worker when
 * none waits for it (lock held). NTSEC_S_OK, or the reason it is not
 * queued: the bound reached, or no thread. */
ntsec_hresult ntsec__com_enqueue(struct com_process *p, struct com_job *job);

/* Mark `job` done with `hr` and wake its caller (lock held). */
void ntsec__com_job_finish(struct com_job *job, ntsec_hresult hr);

/* com_sta.c: a single-threaded apartment - the calls queued to its
 * thread, served by that thread only when it waits in an outgoing call
 * (ntsec__com_wait) or pumps (ntsec_com_pump). */
/* A new STA (its thread's reference; the caller sets `proc` under the
 * lock); NULL: no memory. */
struct com_sta *ntsec__com_sta_open(void);
void ntsec__com_sta_set_process(struct com_sta *sta, struct com_process *p);
/* Queue `job` to `sta` (lock held): NTSEC_S_OK or NTSEC_RPC_E_DISCONNECTED
 * once its thread left COM. */
ntsec_hresult ntsec__com_sta_enqueue(struct com_sta *sta, struct com_job *job);
/* The STA's thread leaves COM (lock held): the queued calls fail with
 * NTSEC_RPC_E_DISCONNECTED and its exports are revoked, returned for
 * ntsec__com_exports_release (lock not held); the thread's reference is
 * dropped. */
struct com_export *ntsec__com_sta_close(struct com_sta *sta);
/* Ready `job` to be waited for by the calling thread (its `finished`,
 * and where its caller is woken). */
void ntsec__com_job_init(struct com_job *job);
/* Wait for `job` (lock held): an STA thread serves its own queue
 * meanwhile (COM's modal loop), any other thread just waits. */
void ntsec__com_wait(struct com_job *job);

/* How many calls wait in `sta`'s queue (takes the lock; for the tests). */
unsigned ntsec__com_sta_queued(struct com_sta *sta);

/* com_export.c: revoke the exports of one STA (lock held). */
struct com_export *ntsec__com_exports_detach_sta(struct com_sta *sta);

/* com_call.c: the serving thread's side of one job (lock not held). */
void ntsec__com_serve(struct com_process *p, struct com_job *job);

/* An ntsec_status of ntsec/call.h as the HRESULT COM reports (one table,
 * com_call.c). */
ntsec_hresult ntsec__com_hresult(ntsec_status st);

#endif
