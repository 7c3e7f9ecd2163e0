/* rpcfix.h - fixtures of the RPC tests (test_rpc, test_emul_rpc):
 * processes running as accounts of the default world on its machines
 * (WORKSTATION; SERVER1, whose account is trusted for delegation;
 * SERVER2, whose account is not; users alice, bob, carol "sensitive and
 * cannot be delegated", svc-web a service account), servers with an
 * endpoint and a handler, and client code run on a pthread of a chosen
 * process. */
#ifndef NTSEC_TESTS_RPCFIX_H
#define NTSEC_TESTS_RPCFIX_H

#include <pthread.h>
#include <stdio.h>

#include "ntsec/ntsec.h"
#include "tokfix.h"

#define WS "WORKSTATION"
#define S1 "SERVER1"
#define S2 "SERVER2"

/* A service account's token: user `sid`, the groups of tokfix.h, System
 * integrity, SeImpersonatePrivilege enabled (Windows gives LocalSystem and
 * LocalService SeImpersonatePrivilege: "LocalSystem Account",
 * "LocalService Account", Microsoft docs). A new reference. */
static inline struct ntsec_token *rf_service_token(const char *sid)
{
    struct tf_token f;
    struct ntsec_luid_and_attributes privs[3];
    struct ntsec_token *t = NULL;

    tf_init(&f);
    tf_sid(&f.user, sid);
    tf_sid(&f.label, "S-1-16-16384");
    memcpy(privs, f.privs, sizeof(f.privs));
    privs[2] = (struct ntsec_luid_and_attributes){ { NTSEC_SE_IMPERSONATE_PRIVILEGE, 0 },
                                                   NTSEC_SE_PRIVILEGE_ENABLED };
    f.desc.privileges = privs;
    f.desc.privilege_count = 3;
    CU_ASSERT_FATAL(ntsec_token_create(&f.desc, &t) == NTSEC_STATUS_SUCCESS);
    return t;
}

/* A SYSTEM token: S-1-5-18 (rf_service_token). A new reference. */
static inline struct ntsec_token *rf_system_token(void)
{
    return rf_service_token("S-1-5-18");
}

/* A process on `machine` running as `user` ("SYSTEM", or a world user
 * logged on with `type`). A new reference. */
static inline struct ntsec_process *rf_process(const char *user, enum ntsec_logon_type type,
                                               const char *machine)
{
    struct ntsec_process *p = NULL;
    struct ntsec_token *t = NULL;

    if (!strcmp(user, "SYSTEM"))
        t = rf_system_token();
    else
        CU_ASSERT_FATAL(ntsec_logon_token(user, NULL, type, &t) == NTSEC_STATUS_SUCCESS);
    CU_ASSERT_FATAL(ntsec_process_create_on(t, user, machine, &p) == NTSEC_STATUS_SUCCESS);
    ntsec_token_put(t);
    return p;
}

/* The account name of a token's user ("" when the world has none). */
static inline void rf_user(const struct ntsec_token *t, char *name, size_t size)
{
    _Alignas(8) uint8_t buf[128];
    char domain[64];
    size_t dsize = sizeof(domain);
    enum ntsec_sid_use use;
    uint32_t need;

    name[0] = 0;
    if (ntsec_token_query(t, NTSEC_TOKEN_USER, buf, sizeof(buf), &need) != NTSEC_STATUS_SUCCESS ||
        ntsec_account_lookup_sid(*(const struct ntsec_sid *const *)buf, name, &size, domain,
                                 &dsize, &use) != NTSEC_STATUS_SUCCESS)
        name[0] = 0;
}

/* Run fn(arg) on a new pthread bound to `process`, and wait for it. */
struct rf_job {
    struct ntsec_process *process;
    void (*fn)(void *arg);
    void *arg;
    bool bound;
};

static inline void *rf_job_main(void *arg)
{
    struct rf_job *j = arg;

    j->bound = ntsec_success(ntsec_thread_bind(j->process));
    if (j->bound)
        j->fn(j->arg);
    return NULL;
}

static inline void rf_run_in(struct ntsec_process *process, void (*fn)(void *), void *arg)
{
    struct rf_job j = { process, fn, arg, false };
    pthread_t th;

    CU_ASSERT_FATAL(pthread_create(&th, NULL, rf_job_main, &j) == 0);
    pthread_join(th, NULL);
    CU_ASSERT(j.bound);
}

/* A server: a process and one endpoint whose handler is `handler`. */
struct rf_server_spec {
    const char *user;                   /* "SYSTEM" or a world user */
    enum ntsec_logon_type logon;        /* 0: SERVICE */
    const char *machine;                /* NULL: WORKSTATION */
    const char *protseq;                /* NULL: "ncalrpc" */
    const char *endpoint;
    enum ntsec_authn_level min_level;
    bool no_auth_info;                  /* skip RpcServerRegisterAuthInfo */
};

struct rf_server {
    struct ntsec_process *process;
    struct ntsec_rpc_endpoint *ep;
};

static inline void rf_server_start(struct rf_server *s, const struct rf_server_spec *spec,
                                   ntsec_rpc_handler handler, void *arg)
{
    static const uint32_t services[] = { NTSEC_RPC_AUTHN_WINNT, NTSEC_RPC_AUTHN_GSS_NEGOTIATE,
                                         NTSEC_RPC_AUTHN_GSS_KERBEROS };
    struct ntsec_rpc_endpoint_desc d = {
        .protseq = spec->protseq ? spec->protseq : "ncalrpc", .endpoint = spec->endpoint,
        .min_level = spec->min_level, .handler = handler, .arg = arg };

    s->process = rf_process(spec->user, spec->logon ? spec->logon : NTSEC_LOGON_SERVICE,
                            spec->machine ? spec->machine : WS);
    d.server = s->process;
    for (size_t i = 0; !spec->no_auth_info && i < sizeof(services) / sizeof(services[0]); i++)
        CU_ASSERT(ntsec_rpc_server_register_auth_info(s->process, NULL, services[i]) ==
                  NTSEC_STATUS_SUCCESS);
    CU_ASSERT_FATAL(ntsec_rpc_endpoint_register(&d, &s->ep) == NTSEC_STATUS_SUCCESS);
}

static inline void rf_server_stop(struct rf_server *s)
{
    CU_ASSERT(ntsec_rpc_endpoint_unregister(s->ep) == NTSEC_STATUS_SUCCESS);
    ntsec_object_put(s->process);
}

#endif
