/* demo_impersonation.c - `ntsec demo impersonation`: a client and a
 * service, step by step. Each is a pthread bound to its own emulated
 * process; the tour hands the turn from one to the other (a mutex and a
 * condition variable), so the output is the same on every run. Every line
 * says who acts, the call it makes, the status it got (name and code), and
 * who the thread is then ("who am I").
 *
 * The rules shown are libsec's: the levels of SECURITY_IMPERSONATION_LEVEL
 * ("Impersonation Levels", Microsoft docs), SeCreateClientSecurity's
 * level and remote-server checks, dynamic versus static tracking
 * (SECURITY_QUALITY_OF_SERVICE), and SeTokenCanImpersonate's downgrade to
 * Identification (docs/impersonation.md has each rule and its source). */
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include <ntsec/ntsec.h>

#include "cli.h"

#define FILE_GENERIC_READ 0x120089u

/* The file generic mapping (FILE_GENERIC_READ/WRITE/EXECUTE, FILE_ALL_ACCESS). */
static const struct ntsec_generic_mapping file_mapping = { 0x120089, 0x120116, 0x1200a0, 0x1f01ff };

/* A report the service keeps: interactive users may read it, SYSTEM owns
 * it. The service's own account (a service logon) is not INTERACTIVE. */
static const char report_sddl[] = "O:SYG:SYD:(A;;FR;;;IU)(A;;FA;;;SY)";

static const char *const level_names[] = {
    [NTSEC_SECURITY_ANONYMOUS] = "Anonymous",
    [NTSEC_SECURITY_IDENTIFICATION] = "Identification",
    [NTSEC_SECURITY_IMPERSONATION] = "Impersonation",
    [NTSEC_SECURITY_DELEGATION] = "Delegation",
};

struct tour;

/* One side of the conversation: a pthread in an emulated process that
 * runs the jobs the tour hands it, one at a time. */
struct actor {
    const char *label;
    struct ntsec_process *process;      /* counted reference */
    struct ntsec_thread *thread;        /* its emulated thread, once started */
    pthread_t pthread;
    bool started;
    void (*job)(struct tour *t, struct actor *self);
    bool quit;
    struct tour *tour;
};

struct tour {
    pthread_mutex_t lock;
    pthread_cond_t turn;
    struct actor client, service, service2;
    void *report;                       /* the report's security descriptor */
    enum ntsec_impersonation_level level;   /* the level of the step under way */
    struct ntsec_client_context ctx_static, ctx_dynamic;
    int unexpected;                     /* calls that failed where they may not */
};

/* --- the handoff ---------------------------------------------------------- */

static void *actor_main(void *arg)
{
    struct actor *a = arg;
    struct tour *t = a->tour;
    /* The emulated thread is made in the actor's process, so its object's
     * descriptor is that process' (thread.c). */
    ntsec_status st = ntsec_thread_bind(a->process);

    pthread_mutex_lock(&t->lock);
    a->thread = ntsec_success(st) ? ntsec_thread_current() : NULL;
    a->started = true;
    pthread_cond_broadcast(&t->turn);
    for (;;) {
        while (!a->job && !a->quit)
            pthread_cond_wait(&t->turn, &t->lock);
        if (!a->job)
            break;
        pthread_mutex_unlock(&t->lock);
        a->job(t, a);
        fflush(stdout);
        pthread_mutex_lock(&t->lock);
        a->job = NULL;
        pthread_cond_broadcast(&t->turn);
    }
    pthread_mutex_unlock(&t->lock);
    return NULL;
}

/* Hand `job` to `a` and wait until it has run. */
static void on(struct tour *t, struct actor *a, void (*job)(struct tour *, struct actor *))
{
    pthread_mutex_lock(&t->lock);
    a->job = job;
    pthread_cond_broadcast(&t->turn);
    while (a->job)
        pthread_cond_wait(&t->turn, &t->lock);
    pthread_mutex_unlock(&t->lock);
}

static bool actor_start(struct tour *t, struct actor *a, const char *label,
                        struct ntsec_token *primary, const char *image)
{
    a->label = label;
    a->tour = t;
    if (!ntsec_success(ntsec_process_create(primary, image, &a->process)))
        return false;
    if (pthread_create(&a->pthread, NULL, actor_main, a) != 0) {
        ntsec_object_put(a->process);
        a->process = NULL;
        return false;
    }
    pthread_mutex_lock(&t->lock);
    while (!a->started)
        pthread_cond_wait(&t->turn, &t->lock);
    pthread_mutex_unlock(&t->lock);
    return a->thread != NULL;
}

static void actor_stop(struct tour *t, struct actor *a)
{
    if (!a->process)
        return;
    pthread_mutex_lock(&t->lock);
    a->quit = true;
    pthread_cond_broadcast(&t->turn);
    pthread_mutex_unlock(&t->lock);
    pthread_join(a->pthread, NULL);
    ntsec_object_put(a->process);
}

/* --- what the actors print ------------------------------------------------ */

static void say(const struct actor *a, const char *fmt, ...)
{
    char tag[16];
    va_list ap;

    snprintf(tag, sizeof(tag), "[%s]", a->label);
    printf("   %-10s ", tag);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
}

static const char *status_name(ntsec_status st)
{
    const char *name = ntsec_status_name(st);
    return name ? name : "an unknown status";
}

/* "CALL -> STATUS_NAME (0xCODE)". */
static void said(const struct actor *a, ntsec_status st, const char *call)
{
    say(a, "%s -> %s (0x%08x)", call, status_name(st), (unsigned)st);
}

/* A call that must succeed for the tour to make sense. */
static void expect(struct tour *t, const struct actor *a, ntsec_status st, const char *call)
{
    said(a, st, call);
    if (!ntsec_success(st))
        t->unexpected++;
}

/* DOMAIN\user of a token (LookupAccountSid on its TokenUser); its SID
 * when the world has no name for it. demo_com.c uses it too. */
void demo_user_name(const struct ntsec_token *token, char *out, size_t size)
{
    uint64_t buf[32];           /* TOKEN_USER: SID_AND_ATTRIBUTES, then the SID */
    const struct ntsec_sid_and_attributes *user = (const void *)buf;
    char name[128], domain[128];
    size_t name_size = sizeof(name), domain_size = sizeof(domain);
    enum ntsec_sid_use use;
    uint32_t need;

    snprintf(out, size, "?");
    if (!ntsec_success(ntsec_token_query(token, NTSEC_TOKEN_USER, buf, sizeof(buf), &need)))
        return;
    if (ntsec_success(ntsec_account_lookup_sid(user->sid, name, &name_size, domain, &domain_size,
                                               &use)))
        snprintf(out, size, "%s\\%s", domain, name);
    else
        ntsec_sid_format(user->sid, out, size);
}

/* "enabled", "disabled" or "absent": the privilege in a token. */
static const char *privilege_state(const struct ntsec_token *token, enum ntsec_privilege p)
{
    struct privileges {
        uint32_t count;
        struct ntsec_luid_and_attributes privileges[];
    } *set;
    const char *state = "absent";
    uint32_t need = 0;

    if (ntsec_token_query(token, NTSEC_TOKEN_PRIVILEGES, NULL, 0, &need) !=
            NTSEC_STATUS_BUFFER_TOO_SMALL || !(set = malloc(need)))
        return "unknown";
    if (ntsec_success(ntsec_token_query(token, NTSEC_TOKEN_PRIVILEGES, set, need, &need)))
        for (uint32_t i = 0; i < set->count; i++)
            if (set->privileges[i].luid.low == (uint32_t)p && set->privileges[i].luid.high == 0)
                state = set->privileges[i].attributes & NTSEC_SE_PRIVILEGE_ENABLED ? "enabled"
                                                                                 : "disabled";
    free(set);
    return state;
}

#define NO_PRIVILEGE ((enum ntsec_privilege)0)

/* Who the calling thread is: its effective token's user, and whether it
 * acts as its process (primary token) or impersonates, at which level
 * (PsReferenceImpersonationToken on itself). With a privilege `p`, its
 * state in the effective token too. */
static void whoami_privilege(const struct actor *a, enum ntsec_privilege p)
{
    enum ntsec_impersonation_level level = NTSEC_SECURITY_ANONYMOUS;
    struct ntsec_token *imp = ntsec_thread_impersonation(ntsec_thread_current(), &level, NULL, NULL);
    struct ntsec_token *eff = ntsec_thread_effective_token();
    char name[300], how[64];

    demo_user_name(eff, name, sizeof(name));
    if (imp)
        snprintf(how, sizeof(how), "impersonating at %s", level_names[level]);
    else
        snprintf(how, sizeof(how), "primary token");
    if (p != NO_PRIVILEGE)
        say(a, "who am I: %s, %s; %s %s", name, how, ntsec_privilege_name(ntsec_privilege_luid(p)),
            privilege_state(eff, p));
    else
        say(a, "who am I: %s, %s", name, how);
    if (imp)
        ntsec_token_put(imp);
    ntsec_token_put(eff);
}

static void whoami(const struct actor *a)
{
    whoami_privilege(a, NO_PRIVILEGE);
}

static void job_whoami(struct tour *t, struct actor *a)
{
    (void)t;
    whoami(a);
}

/* --- what the service does with a client ---------------------------------- */

/* Open the client's thread object for THREAD_QUERY_INFORMATION as the
 * calling thread is (ObOpenObjectByPointer: checked against the thread's
 * descriptor with the caller's effective token). Only alice and SYSTEM
 * are in that descriptor's DACL (her default DACL). */
static void open_client_thread(struct tour *t, struct actor *a, const char *as)
{
    char call[128];
    ntsec_handle h = 0;
    ntsec_status st = ntsec_object_open(t->client.thread, NTSEC_THREAD_QUERY_INFORMATION, 0,
                                        false, &h);

    snprintf(call, sizeof(call), "open the client's thread (THREAD_QUERY_INFORMATION) %s", as);
    said(a, st, call);
    if (ntsec_success(st))
        ntsec_handle_close(h);
}

/* AccessCheck (NtAccessCheck) with a client's token: it must be an
 * impersonation token at Identification or above (Microsoft docs,
 * AccessCheck: ClientToken "an impersonation token"; Identification
 * lets a server "obtain information about the client ... such as security
 * identifiers", "Impersonation Levels"). */
static void access_check_token(struct tour *t, struct actor *a, const struct ntsec_token *token,
                               const char *whose)
{
    char call[96];
    struct ntsec_access_request rq = {
        .sd = t->report,
        .token = token,
        .desired = FILE_GENERIC_READ,
        .mapping = &file_mapping,
        .flags = NTSEC_ACCESS_NEED_IMPERSONATION | NTSEC_ACCESS_REJECT_GENERIC,
    };
    struct ntsec_access_result res = { 0 };
    ntsec_status st = ntsec_access_check(&rq, &res);

    snprintf(call, sizeof(call), "AccessCheck(%s, report, FILE_GENERIC_READ)", whose);
    if (ntsec_success(st))
        say(a, "%s -> %s (0x%08x): access %s, granted 0x%08x", call, status_name(st),
            (unsigned)st, status_name(res.status), res.granted);
    else
        said(a, st, call);
}

static struct ntsec_sqos sqos(enum ntsec_impersonation_level level, uint8_t tracking)
{
    return (struct ntsec_sqos){ .length = sizeof(struct ntsec_sqos), .level = level,
                                .context_tracking_mode = tracking };
}

/* Where the context's token comes from. */
static void context_kind(const struct actor *a, const struct ntsec_client_context *ctx)
{
    if (ctx->directly_access_client_token)
        say(a, "  the context holds the client's own token (dynamic tracking, local server)");
    else
        say(a, "  the context holds a copy at %s (static tracking, or a remote server)",
            level_names[ctx->qos.level]);
}

/* --- 1. the client at each level ------------------------------------------ */

/* ImpersonateSelf(level): a copy of its own primary token at `level`,
 * which the thread then impersonates (Microsoft docs, ImpersonateSelf).
 * Windows accepts every level, Anonymous included (Wine's
 * dlls/advapi32/tests/security.c, test_impersonation_level, asserts it on
 * Windows, with OpenThreadToken then failing ERROR_CANT_OPEN_ANONYMOUS). */
static void client_impersonate_self(struct tour *t, struct actor *a)
{
    const struct ntsec_token_dup how = { .type = NTSEC_TOKEN_IMPERSONATION, .level = t->level };
    struct ntsec_token *self = ntsec_process_token(a->process), *copy = NULL;
    char call[64];
    ntsec_status st = ntsec_token_duplicate(self, &how, &copy);

    if (ntsec_success(st))
        st = ntsec_thread_impersonate(a->thread, copy, false, false, t->level);
    snprintf(call, sizeof(call), "ImpersonateSelf(Security%s)", level_names[t->level]);
    expect(t, a, st, call);
    if (copy)
        ntsec_token_put(copy);
    ntsec_token_put(self);
    whoami(a);
}

static void client_revert(struct tour *t, struct actor *a)
{
    (void)t;
    ntsec_thread_revert(a->thread);
    say(a, "RevertToSelf");
    whoami(a);
}

/* What the service can do with a client at t->level: take the client's
 * thread token as a named-pipe or RPC server does (PsImpersonateClient
 * with the token and level the client gave), query it, open an object as
 * the client, and capture it in a client context. */
static void service_probe_level(struct tour *t, struct actor *a)
{
    enum ntsec_impersonation_level level = NTSEC_SECURITY_ANONYMOUS;
    struct ntsec_token *token = ntsec_thread_impersonation(t->client.thread, &level, NULL, NULL);
    struct ntsec_sqos q = sqos(NTSEC_SECURITY_IMPERSONATION, NTSEC_SECURITY_STATIC_TRACKING);
    struct ntsec_client_context ctx;
    ntsec_status st;

    if (!token) {
        t->unexpected++;
        return;
    }
    st = ntsec_thread_impersonate(a->thread, token, false, false, level);
    expect(t, a, st, "PsImpersonateClient(the client's thread token, at its level)");
    whoami(a);
    if (level == NTSEC_SECURITY_ANONYMOUS)
        say(a, "  (NtOpenThreadToken on this thread fails with STATUS_CANT_OPEN_ANONYMOUS: "
               "the ntdll layer's rule)");
    access_check_token(t, a, token, "the client's token");
    open_client_thread(t, a, "as the client");
    st = ntsec_client_context_create(t->client.thread, &q, false, &ctx);
    said(a, st, "SeCreateClientSecurity(client, Impersonation, local)");
    if (ntsec_success(st))
        ntsec_client_context_delete(&ctx);
    ntsec_thread_revert(a->thread);
    say(a, "PsRevertToSelf");
    whoami(a);
    ntsec_token_put(token);
}

/* The client impersonates itself at `level` while the service runs `job`. */
static void client_at_level(struct tour *t, enum ntsec_impersonation_level level,
                            void (*job)(struct tour *, struct actor *))
{
    t->level = level;
    on(t, &t->client, client_impersonate_self);
    on(t, &t->service, job);
    on(t, &t->client, client_revert);
}

static void service_as_itself(struct tour *t, struct actor *a)
{
    whoami_privilege(a, NTSEC_SE_IMPERSONATE_PRIVILEGE);
    open_client_thread(t, a, "as itself");
}

static void tour_levels(struct tour *t)
{
    printf("== 1. The client impersonates at each level; what the service can do\n\n"
           "   The client impersonates a copy of its own token at each level in turn\n"
           "   (ImpersonateSelf); the service takes that token as a pipe or RPC server\n"
           "   does. Anonymous tells the service nothing; Identification lets it query\n"
           "   and check access; Impersonation lets it act as the client on this\n"
           "   machine; Delegation on others too. As itself the service may not open\n"
           "   the client's thread (its DACL names alice and SYSTEM):\n");
    on(t, &t->service, service_as_itself);
    for (int l = NTSEC_SECURITY_ANONYMOUS; l <= NTSEC_SECURITY_DELEGATION; l++) {
        printf("\n   -- Security%s\n", level_names[l]);
        client_at_level(t, (enum ntsec_impersonation_level)l, service_probe_level);
    }
    printf("\n");
}

/* --- 2. static and dynamic contexts --------------------------------------- */

static void service_capture(struct tour *t, struct actor *a)
{
    struct ntsec_sqos s = sqos(NTSEC_SECURITY_IMPERSONATION, NTSEC_SECURITY_STATIC_TRACKING);
    struct ntsec_sqos d = sqos(NTSEC_SECURITY_IMPERSONATION, NTSEC_SECURITY_DYNAMIC_TRACKING);
    ntsec_status st;

    st = ntsec_client_context_create(t->client.thread, &s, false, &t->ctx_static);
    expect(t, a, st, "SeCreateClientSecurity(client, Impersonation, static, local)");
    if (ntsec_success(st))
        context_kind(a, &t->ctx_static);
    st = ntsec_client_context_create(t->client.thread, &d, false, &t->ctx_dynamic);
    expect(t, a, st, "SeCreateClientSecurity(client, Impersonation, dynamic, local)");
    if (ntsec_success(st))
        context_kind(a, &t->ctx_dynamic);
}

/* SeImpersonateClientEx on one context, and who the service is then. */
static void service_use(struct actor *a, const struct ntsec_client_context *ctx, const char *kind)
{
    char call[96];

    snprintf(call, sizeof(call), "SeImpersonateClientEx(the %s context)", kind);
    expect(a->tour, a, ntsec_client_context_impersonate(ctx, a->thread), call);
    whoami_privilege(a, NTSEC_SE_SHUTDOWN_PRIVILEGE);
}

static void service_use_dynamic(struct tour *t, struct actor *a)
{
    service_use(a, &t->ctx_dynamic, "dynamic");
    open_client_thread(t, a, "as the client");
    ntsec_thread_revert(a->thread);
    say(a, "PsRevertToSelf");
    whoami(a);
}

static void tour_contexts(struct tour *t)
{
    printf("== 2. The service captures the client: a static and a dynamic context\n\n"
           "   The client calls on its primary token. A static context is a copy of\n"
           "   its token made now; a dynamic one (on this machine) is its token itself.\n");
    on(t, &t->client, job_whoami);
    on(t, &t->service, service_capture);
    on(t, &t->service, service_use_dynamic);
    printf("\n");
}

/* --- 3. the client changes its token -------------------------------------- */

static void service_look(struct tour *t, struct actor *a)
{
    static const enum ntsec_privilege p = NTSEC_SE_SHUTDOWN_PRIVILEGE;

    say(a, "the static context sees SeShutdownPrivilege: %s",
        privilege_state(t->ctx_static.client_token, p));
    say(a, "the dynamic context sees SeShutdownPrivilege: %s",
        privilege_state(t->ctx_dynamic.client_token, p));
}

/* AdjustTokenPrivileges on the client's own (primary) token. */
static void client_adjust(struct actor *a, uint32_t attributes, const char *call)
{
    const struct ntsec_luid_and_attributes change = {
        ntsec_privilege_luid(NTSEC_SE_SHUTDOWN_PRIVILEGE), attributes
    };
    struct ntsec_token *token = ntsec_thread_effective_token();

    expect(a->tour, a, ntsec_token_adjust_privileges(token, false, &change, 1, NULL, 0, NULL), call);
    ntsec_token_put(token);
    whoami_privilege(a, NTSEC_SE_SHUTDOWN_PRIVILEGE);
}

static void client_enable(struct tour *t, struct actor *a)
{
    (void)t;
    client_adjust(a, NTSEC_SE_PRIVILEGE_ENABLED, "AdjustTokenPrivileges(enable SeShutdownPrivilege)");
}

static void client_disable(struct tour *t, struct actor *a)
{
    (void)t;
    client_adjust(a, 0, "AdjustTokenPrivileges(disable SeShutdownPrivilege)");
}

/* Impersonating each context: the dynamic one is the client's token, the
 * static one the copy made at capture. */
static void service_impersonate_both(struct tour *t, struct actor *a)
{
    service_use(a, &t->ctx_dynamic, "dynamic");
    service_use(a, &t->ctx_static, "static");
    ntsec_thread_revert(a->thread);
    say(a, "PsRevertToSelf");
    whoami(a);
}

static void service_release(struct tour *t, struct actor *a)
{
    ntsec_client_context_delete(&t->ctx_static);
    ntsec_client_context_delete(&t->ctx_dynamic);
    say(a, "SeDeleteClientSecurity(static), SeDeleteClientSecurity(dynamic)");
}

static void tour_tracking(struct tour *t)
{
    printf("== 3. The client enables a privilege: which context sees it\n\n"
           "   The client enables SeShutdownPrivilege in its own token.\n");
    on(t, &t->service, service_look);
    on(t, &t->client, client_enable);
    on(t, &t->service, service_look);
    on(t, &t->service, service_impersonate_both);
    on(t, &t->client, client_disable);
    on(t, &t->service, service_release);
    printf("\n");
}

/* --- 4. a remote server --------------------------------------------------- */

/* SeCreateClientSecurity for a remote server at the client's level, as a
 * redirector does before it carries the client to another machine. */
static void service_remote(struct tour *t, struct actor *a)
{
    struct ntsec_sqos q = sqos(t->level, NTSEC_SECURITY_DYNAMIC_TRACKING);
    struct ntsec_client_context ctx;
    char call[96];
    ntsec_status st;

    snprintf(call, sizeof(call), "SeCreateClientSecurity(client, %s, dynamic, remote server)",
             level_names[t->level]);
    st = ntsec_client_context_create(t->client.thread, &q, true, &ctx);
    said(a, st, call);
    if (!ntsec_success(st))
        return;
    context_kind(a, &ctx);
    expect(t, a, ntsec_client_context_impersonate(&ctx, a->thread),
           "SeImpersonateClientEx(the remote context)");
    whoami(a);
    ntsec_thread_revert(a->thread);
    ntsec_client_context_delete(&ctx);
    say(a, "PsRevertToSelf, SeDeleteClientSecurity");
    whoami(a);
}

static void tour_remote(struct tour *t)
{
    static const enum ntsec_impersonation_level levels[] = {
        NTSEC_SECURITY_IMPERSONATION, NTSEC_SECURITY_DELEGATION,
    };

    printf("== 4. A remote server: refused below Delegation, accepted with it\n\n"
           "   The service captures the client for a server on another machine\n"
           "   (ServerIsRemote): the client must impersonate at Delegation.\n");
    for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
        printf("\n");
        client_at_level(t, levels[i], service_remote);
    }
    printf("\n");
}

/* --- 5. a server without SeImpersonatePrivilege --------------------------- */

/* The same capture and impersonation as the service's, by a process whose
 * token lacks SeImpersonatePrivilege: SeTokenCanImpersonate refuses
 * (another user, no privilege), and the thread gets an Identification
 * copy instead of an error ("Client Impersonation", Microsoft docs). */
static void service2_impersonate(struct tour *t, struct actor *a)
{
    struct ntsec_sqos q = sqos(NTSEC_SECURITY_IMPERSONATION, NTSEC_SECURITY_DYNAMIC_TRACKING);
    enum ntsec_impersonation_level level = NTSEC_SECURITY_ANONYMOUS;
    struct ntsec_client_context ctx;
    struct ntsec_token *imp;
    ntsec_status st;

    whoami_privilege(a, NTSEC_SE_IMPERSONATE_PRIVILEGE);
    st = ntsec_client_context_create(t->client.thread, &q, false, &ctx);
    expect(t, a, st, "SeCreateClientSecurity(client, Impersonation, dynamic, local)");
    if (!ntsec_success(st))
        return;
    expect(t, a, ntsec_client_context_impersonate(&ctx, a->thread),
           "SeImpersonateClientEx(the context)");
    whoami(a);
    imp = ntsec_thread_impersonation(a->thread, &level, NULL, NULL);
    if (imp) {
        struct ntsec_luid mine = ntsec_token_id(imp), theirs = ntsec_token_id(ctx.client_token);

        say(a, "  the thread's token is %s (TokenId 0x%x; the context's is 0x%x)",
            mine.low == theirs.low && mine.high == theirs.high ? "the context's own"
                                                                : "an Identification copy",
            mine.low, theirs.low);
        access_check_token(t, a, imp, "its thread token");
        ntsec_token_put(imp);
    }
    open_client_thread(t, a, "as the client");
    ntsec_thread_revert(a->thread);
    ntsec_client_context_delete(&ctx);
    say(a, "PsRevertToSelf, SeDeleteClientSecurity");
    whoami(a);
}

static void tour_no_privilege(struct tour *t)
{
    printf("== 5. A service without SeImpersonatePrivilege gets Identification\n\n"
           "   service2 runs as the same account, its token filtered to delete\n"
           "   SeImpersonatePrivilege (CreateRestrictedToken's DeletePrivileges).\n"
           "   Impersonating another user then succeeds, at Identification only.\n");
    on(t, &t->client, job_whoami);
    on(t, &t->service2, service2_impersonate);
    printf("\n");
}

/* --- the cast ------------------------------------------------------------- */

struct cast {
    struct ntsec_token *alice, *svc, *svc_plain;
};

static void cast_release(struct cast *c)
{
    if (c->alice)
        ntsec_token_put(c->alice);
    if (c->svc)
        ntsec_token_put(c->svc);
    if (c->svc_plain)
        ntsec_token_put(c->svc_plain);
}

/* alice's interactive logon; svc-web's service logon (the SERVICE group
 * gives it SeImpersonatePrivilege, as Windows grants it to services:
 * "Impersonate a client after authentication", Microsoft docs); and that
 * token without the privilege. */
static bool cast_make(struct cast *c)
{
    const struct ntsec_luid_and_attributes drop = {
        ntsec_privilege_luid(NTSEC_SE_IMPERSONATE_PRIVILEGE), 0
    };
    const struct ntsec_token_filter filter = { .privileges_to_delete = &drop, .delete_count = 1 };

    return ntsec_success(ntsec_logon_token("alice", NULL, NTSEC_LOGON_INTERACTIVE, &c->alice)) &&
           ntsec_success(ntsec_logon_token("svc-web", NULL, NTSEC_LOGON_SERVICE, &c->svc)) &&
           ntsec_success(ntsec_token_filter(c->svc, &filter, &c->svc_plain));
}

int demo_impersonation(void)
{
    struct tour t = { .lock = PTHREAD_MUTEX_INITIALIZER, .turn = PTHREAD_COND_INITIALIZER };
    struct cast c = { 0 };
    uint32_t size;
    bool ready;

    printf("ntsec demo: a client and a service, step by step.\n\n"
           "   The client (process client.exe) runs as CONTOSO\\alice, an interactive logon;\n"
           "   the service (service.exe) as CONTOSO\\svc-web, a service logon, which holds\n"
           "   SeImpersonatePrivilege. Each takes its turn; each line says who acts, the\n"
           "   call, the status it returned, and who the thread is then.\n\n");
    ready = cast_make(&c) &&
            ntsec_success(ntsec_sddl_to_sd(report_sddl, NULL, NTSEC_SDDL_REVISION_1, &t.report,
                                           &size, NULL)) &&
            actor_start(&t, &t.client, "client", c.alice, "client.exe") &&
            actor_start(&t, &t.service, "service", c.svc, "service.exe") &&
            actor_start(&t, &t.service2, "service2", c.svc_plain, "service2.exe");
    if (ready) {
        printf("   The service's report: %s\n\n", report_sddl);
        tour_levels(&t);
        tour_contexts(&t);
        tour_tracking(&t);
        tour_remote(&t);
        tour_no_privilege(&t);
    } else {
        fprintf(stderr, "ntsec demo: cannot set up the client and the service\n");
    }
    actor_stop(&t, &t.service2);
    actor_stop(&t, &t.service);
    actor_stop(&t, &t.client);
    ntsec_mem_free(t.report);
    cast_release(&c);
    if (t.unexpected)
        fprintf(stderr, "ntsec demo: %d calls failed that should not have\n", t.unexpected);
    return ready && !t.unexpected ? 0 : 1;
}
