/* bench_com.c - what COM security costs a call (issue 7, "Benchmarks"):
 *
 *   - a cross-apartment call through a proxy (client alice and server
 *     svc-web, two emulated processes on one machine), whose method takes
 *     the call context and impersonates and reverts its client
 *     (CoGetCallContext, IServerSecurity::ImpersonateClient, RevertToSelf:
 *     ntsec_com_call_current, _impersonate, _revert), the round trip;
 *   - the same call to an empty method: the proxy's own cost;
 *   - ImpersonateClient + RevertToSelf alone, looped inside one call;
 *   - controls: the empty method called directly (no proxy), and an RPC
 *     round trip (ntsec_rpc_call over ncalrpc) whose handler impersonates
 *     and reverts (RpcImpersonateClient, RpcRevertToSelf).
 *
 * Each row also counts, over 1000 operations after a warm-up, the
 * allocations and lock acquisitions the whole process made (client,
 * server workers, dispatcher; bench_count.h), per operation. The table
 * prints; the rows go to a JSON file (argv[1]). No peer is measured:
 * Wine's COM across processes needs rpcss and a registered proxy/stub
 * (docs/PERFORMANCE.md). */
#define _GNU_SOURCE                 /* RTLD_NEXT, for bench_count.h */
#include <ntsec/ntsec.h>

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>

#include "bench.h"
#include "bench_count.h"

#define COUNT_OPS 1000
#define MAX_ROWS 8

enum method { M_IMPERSONATE = 3, M_EMPTY = 4, M_PAIRS = 5 };

struct row {
    struct bench_result r;
    struct bench_counts per_1000;
};

static struct row rows[MAX_ROWS];
static int row_count;

static void die(const char *what, long status)
{
    fprintf(stderr, "bench_com: %s failed (0x%lx)\n", what, (unsigned long)status);
    exit(1);
}

static void add_row(const char *group, const char *name, bench_fn fn, void *arg)
{
    struct row *w = &rows[row_count++];

    if (row_count > MAX_ROWS)
        abort();
    bench_counted(fn, arg, COUNT_OPS);  /* warm-up: workers started, caches */
    w->per_1000 = bench_counted(fn, arg, COUNT_OPS);
    w->r = bench_run(group, name, fn, arg);
}

/* --- the server's object ------------------------------------------------------- */

static long method_failures;

/* CoGetCallContext, then `pairs` ImpersonateClient + RevertToSelf. */
static ntsec_hresult impersonate_pairs(long pairs)
{
    struct ntsec_com_call *call;
    ntsec_hresult hr = ntsec_com_call_current(&call);

    if (hr < 0)
        return hr;
    for (long i = 0; i < pairs && hr >= 0; i++) {
        hr = ntsec_com_call_impersonate(call);
        if (hr >= 0)
            hr = ntsec_com_call_revert(call);
    }
    ntsec_com_call_put(call);
    return hr;
}

static ntsec_hresult object_invoke(void *self, uint32_t method, void *arg)
{
    ntsec_hresult hr = NTSEC_S_OK;

    (void)self;
    if (method == M_IMPERSONATE)
        hr = impersonate_pairs(1);
    else if (method == M_PAIRS)
        hr = impersonate_pairs(*(const long *)arg);
    if (hr < 0)
        method_failures++;
    return hr;
}

/* The server's thread: joins the MTA, exports, stays until told. */
struct server {
    struct ntsec_process *process;
    uint32_t cookie;
    ntsec_hresult hr;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool up, quit;
};

static void *server_main(void *arg)
{
    struct server *s = arg;
    const struct ntsec_com_object obj = { NULL, object_invoke, NULL };

    s->hr = ntsec_success(ntsec_thread_bind(s->process)) ? ntsec_com_initialize(NTSEC_COM_MTA)
                                                         : NTSEC_E_FAIL;
    if (s->hr >= 0)
        s->hr = ntsec_com_export(&obj, &s->cookie);
    pthread_mutex_lock(&s->lock);
    s->up = true;
    pthread_cond_broadcast(&s->cond);
    while (!s->quit)
        pthread_cond_wait(&s->cond, &s->lock);
    pthread_mutex_unlock(&s->lock);
    ntsec_com_uninitialize();
    return NULL;
}

/* --- the cases ------------------------------------------------------------------- */

static void proxy_impersonating(void *arg, long n)
{
    for (long i = 0; i < n; i++)
        if (ntsec_com_call(arg, M_IMPERSONATE, NULL) < 0)
            die("ntsec_com_call (impersonating method)", 0);
}

static void proxy_empty(void *arg, long n)
{
    for (long i = 0; i < n; i++)
        if (ntsec_com_call(arg, M_EMPTY, NULL) < 0)
            die("ntsec_com_call (empty method)", 0);
}

static void pairs_in_one_call(void *arg, long n)
{
    if (ntsec_com_call(arg, M_PAIRS, &n) < 0)
        die("ntsec_com_call (pairs)", 0);
}

/* The same object's method through a function pointer: no proxy, no
 * call context. volatile keeps the compiler from folding the call. */
static ntsec_hresult (*volatile direct_invoke)(void *, uint32_t, void *) = object_invoke;

static void direct_empty(void *arg, long n)
{
    (void)arg;
    for (long i = 0; i < n; i++)
        direct_invoke(NULL, M_EMPTY, NULL);
}

/* RPC: the handler impersonates and reverts its client. */
static ntsec_status rpc_handler(struct ntsec_rpc_call *call, void *arg, const void *in,
                                size_t in_len, void **out, size_t *out_len)
{
    ntsec_status st = ntsec_rpc_impersonate_client(call);

    (void)arg, (void)in, (void)in_len, (void)out, (void)out_len;
    if (ntsec_success(st))
        st = ntsec_rpc_revert_to_self(call);
    return st;
}

static void rpc_round_trip(void *arg, long n)
{
    for (long i = 0; i < n; i++) {
        void *out = NULL;
        size_t len = 0;
        ntsec_status st = ntsec_rpc_call(arg, 1, NULL, 0, &out, &len);

        if (!ntsec_success(st))
            die("ntsec_rpc_call", st);
        ntsec_mem_free(out);
    }
}

/* --- setup --------------------------------------------------------------------- */

static struct ntsec_process *world_process(const char *user, enum ntsec_logon_type type,
                                           const char *image)
{
    struct ntsec_token *t;
    struct ntsec_process *p;
    ntsec_status st = ntsec_logon_token(user, NULL, type, &t);

    if (!ntsec_success(st))
        die("ntsec_logon_token", st);
    st = ntsec_process_create(t, image, &p);
    ntsec_token_put(t);
    if (!ntsec_success(st))
        die("ntsec_process_create", st);
    return p;
}

static struct ntsec_rpc_binding *rpc_setup(struct ntsec_process *server,
                                           struct ntsec_rpc_endpoint **ep)
{
    const struct ntsec_rpc_endpoint_desc d = { .protseq = "ncalrpc", .endpoint = "bench_com",
                                               .server = server, .handler = rpc_handler };
    const struct ntsec_rpc_qos qos = { 1, 0, NTSEC_RPC_QOS_IDENTITY_DYNAMIC,
                                       NTSEC_RPC_IMP_LEVEL_IMPERSONATE };
    const struct ntsec_rpc_auth_info auth = { .level = NTSEC_AUTHN_LEVEL_CONNECT,
                                              .service = NTSEC_RPC_AUTHN_WINNT, .qos = &qos };
    struct ntsec_rpc_binding *b;
    ntsec_status st;

    if (!ntsec_success(st = ntsec_rpc_server_register_auth_info(server, NULL,
                                                                 NTSEC_RPC_AUTHN_WINNT)) ||
        !ntsec_success(st = ntsec_rpc_endpoint_register(&d, ep)) ||
        !ntsec_success(st = ntsec_rpc_binding_from_string("ncalrpc:[bench_com]", &b)) ||
        !ntsec_success(st = ntsec_rpc_binding_set_auth_info(b, &auth)))
        die("RPC setup", st);
    return b;
}

static void print_rows(void)
{
    bench_print_header("COM and RPC calls (alice -> svc-web, one machine)");
    for (int i = 0; i < row_count; i++)
        bench_print(&rows[i].r);
    printf("\n%-14s %-44s %12s %12s\n", "group", "case", "allocs/op", "locks/op");
    for (int i = 0; i < row_count; i++)
        printf("%-14s %-44s %12.2f %12.2f\n", rows[i].r.group, rows[i].r.name,
               rows[i].per_1000.allocations / (double)COUNT_OPS,
               rows[i].per_1000.locks / (double)COUNT_OPS);
}

int main(int argc, char **argv)
{
    const char *json = argc > 1 ? argv[1] : "build/bench_com.json";
    struct server s = { .lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER };
    struct ntsec_process *client = world_process("alice", NTSEC_LOGON_INTERACTIVE, "client.exe");
    struct ntsec_com_security_args cis = { .auth_svc_count = -1,
                                           .authn_level = NTSEC_AUTHN_LEVEL_CONNECT,
                                           .imp_level = NTSEC_RPC_IMP_LEVEL_IMPERSONATE };
    struct ntsec_rpc_endpoint *ep;
    struct ntsec_rpc_binding *binding;
    struct ntsec_com_proxy *proxy;
    struct bench_result results[MAX_ROWS];
    pthread_t thread;
    ntsec_hresult hr;

    s.process = world_process("svc-web", NTSEC_LOGON_SERVICE, "server.exe");
    if (pthread_create(&thread, NULL, server_main, &s) != 0)
        die("pthread_create", 0);
    pthread_mutex_lock(&s.lock);
    while (!s.up)
        pthread_cond_wait(&s.cond, &s.lock);
    pthread_mutex_unlock(&s.lock);
    if (s.hr < 0)
        die("server export", s.hr);
    if (!ntsec_success(ntsec_thread_bind(client)))
        die("ntsec_thread_bind", 0);
    if ((hr = ntsec_com_initialize(NTSEC_COM_MTA)) < 0 ||
        (hr = ntsec_com_initialize_security(&cis)) < 0 ||
        (hr = ntsec_com_connect(s.cookie, &proxy)) < 0)
        die("client COM setup", hr);
    binding = rpc_setup(s.process, &ep);

    add_row("com", "proxy call, method impersonates + reverts", proxy_impersonating, proxy);
    add_row("com", "proxy call, empty method", proxy_empty, proxy);
    add_row("com", "ImpersonateClient+RevertToSelf in one call", pairs_in_one_call, proxy);
    add_row("control", "empty method called directly (no proxy)", direct_empty, NULL);
    add_row("rpc", "ntsec_rpc_call, handler impersonates+reverts", rpc_round_trip, binding);
    if (method_failures)
        die("the server's method", method_failures);
    print_rows();
    for (int i = 0; i < row_count; i++)
        results[i] = rows[i].r;
    bench_write_json(json, results, row_count);

    ntsec_rpc_binding_free(binding);
    ntsec_rpc_endpoint_unregister(ep);
    ntsec_com_proxy_release(proxy);
    ntsec_com_uninitialize();
    pthread_mutex_lock(&s.lock);
    s.quit = true;
    pthread_cond_broadcast(&s.cond);
    pthread_mutex_unlock(&s.lock);
    pthread_join(thread, NULL);
    ntsec_object_put(s.process);
    ntsec_object_put(client);
    return 0;
}
