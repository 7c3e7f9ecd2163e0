/* demo_com.c - `ntsec demo com [--mermaid FILE] [--svg FILE]`: a COM call
 * chain across three machines of the default world, through the native
 * COM API (ntsec/com.h). A client on WORKSTATION calls a middle tier on
 * SERVER1 (LocalSystem: the machine account SERVER1$ is trusted for
 * delegation), which impersonates its caller and calls a back end on
 * SERVER2 (svc-web, a service). The chain runs four times: the client at
 * Impersonate level (the second hop is refused: "Cloaking", an
 * impersonate-level token crosses one computer boundary), at Delegate
 * level (the back end sees the client), at Delegate level with a middle
 * tier that does not cloak (the back end sees the middle tier's machine),
 * and a "sensitive" client at Delegate level ("Delegation and
 * Impersonation"). Every value printed is read from the library while
 * the chain runs: the proxies' blankets (IClientSecurity::QueryBlanket),
 * what each server sees (IServerSecurity::QueryBlanket) and the token it
 * impersonates then (its user and level), and each call's HRESULT.
 * docs/com.md and docs/calls.md give each rule and its source.
 *
 * The chain is recorded as events; the text, the Mermaid sequence
 * diagram and the SVG one are three renderings of the same events. */
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <ntsec/ntsec.h>

#include "cli.h"

/* --- names of the values the library reports ------------------------------------ */

static const struct { ntsec_hresult hr; const char *name; } hresult_names[] = {
    { NTSEC_S_OK, "S_OK" },
    { NTSEC_S_FALSE, "S_FALSE" },
    { NTSEC_E_NOINTERFACE, "E_NOINTERFACE" },
    { NTSEC_E_FAIL, "E_FAIL" },
    { NTSEC_E_ACCESSDENIED, "E_ACCESSDENIED" },
    { NTSEC_E_OUTOFMEMORY, "E_OUTOFMEMORY" },
    { NTSEC_E_INVALIDARG, "E_INVALIDARG" },
    { NTSEC_RPC_E_CHANGED_MODE, "RPC_E_CHANGED_MODE" },
    { NTSEC_RPC_E_DISCONNECTED, "RPC_E_DISCONNECTED" },
    { (ntsec_hresult)0x8001010Au, "RPC_E_SERVERCALL_RETRYLATER" },
    { NTSEC_RPC_E_WRONG_THREAD, "RPC_E_WRONG_THREAD" },
    { NTSEC_RPC_E_CALL_COMPLETE, "RPC_E_CALL_COMPLETE" },
    { NTSEC_RPC_E_TOO_LATE, "RPC_E_TOO_LATE" },
    { NTSEC_CO_E_NOTINITIALIZED, "CO_E_NOTINITIALIZED" },
};

static const char *hresult_name(ntsec_hresult hr)
{
    for (size_t i = 0; i < sizeof(hresult_names) / sizeof(hresult_names[0]); i++)
        if (hresult_names[i].hr == hr)
            return hresult_names[i].name;
    return "HRESULT";
}

/* RPC_C_AUTHN_LEVEL_* (rpcdce.h). */
static const char *const authn_names[] = {
    "DEFAULT", "NONE", "CONNECT", "CALL", "PKT", "PKT_INTEGRITY", "PKT_PRIVACY",
};

/* RPC_C_IMP_LEVEL_* (rpcdce.h): a proxy's level, asked for. */
static const char *const imp_names[] = {
    "DEFAULT", "Anonymous", "Identify", "Impersonate", "Delegate",
};

/* SECURITY_IMPERSONATION_LEVEL (winnt.h): the level a token has. */
static const char *const token_level_names[] = {
    "Anonymous", "Identification", "Impersonation", "Delegation",
};

static const char *name_of(const char *const *names, size_t count, uint32_t v)
{
    return v < count ? names[v] : "?";
}

#define NAME_OF(table, v) name_of(table, sizeof(table) / sizeof(table[0]), v)

/* --- the events of a chain --------------------------------------------------------- */

enum { CLIENT, MIDDLE, BACKEND, PARTIES };

enum event_kind { EV_SCENE, EV_CALL, EV_SEES, EV_RETURN };

/* One step of the diagram. A call that never reached its server (the COM
 * layer refused it) is drawn as a crossed arrow carrying the HRESULT. */
struct event {
    enum event_kind kind;
    int from, to;
    char text[160];
    char text2[160];                    /* a second line (EV_SEES) */
    ntsec_hresult hr;
    bool reached;
};

/* What the server of a hop saw; `ran` false when the call never reached it. */
struct hop_view {
    bool called;                        /* its caller made the call */
    bool ran;
    char client[160];                   /* IServerSecurity::QueryBlanket's pPrivs */
    char token_user[160];               /* the token it impersonates then */
    int level;                          /* that token's level; -1: none */
    uint32_t authn_level;
    ntsec_hresult impersonate;
    ntsec_hresult hr;                   /* what its caller got */
};

#define MAX_EVENTS 64

struct chain {
    struct event events[MAX_EVENTS];
    int count;
    struct hop_view hops[PARTIES];      /* [MIDDLE], [BACKEND] */
};

static struct event *event_add(struct chain *c, enum event_kind kind, int from, int to)
{
    static struct event spare;
    struct event *e;

    if (c->count == MAX_EVENTS)
        return memset(&spare, 0, sizeof(spare));
    e = &c->events[c->count++];
    memset(e, 0, sizeof(*e));
    e->kind = kind;
    e->from = from;
    e->to = to;
    return e;
}

/* --- the parties ------------------------------------------------------------------- */

struct scene {
    const char *title;
    const char *why;                    /* one line: the rule shown and its source */
    const char *client_user;            /* a world user, logged on interactively */
    uint32_t client_imp;                /* its CoInitializeSecurity level */
    uint32_t middle_caps;               /* the middle tier's EOAC_* (cloaking or none) */
};

static const struct scene scenes[] = {
    { "Impersonate level: the second hop is refused",
      "\"Cloaking\": an impersonate-level token crosses only one computer boundary",
      "alice", NTSEC_RPC_IMP_LEVEL_IMPERSONATE, NTSEC_EOAC_DYNAMIC_CLOAKING },
    { "Delegate level, a server trusted for delegation: the back end sees the client",
      "\"Delegation and Impersonation\"; \"Cloaking\" (dynamic: the thread's token at each call)",
      "alice", NTSEC_RPC_IMP_LEVEL_DELEGATE, NTSEC_EOAC_DYNAMIC_CLOAKING },
    { "Delegate level, no cloaking: the back end sees the middle tier",
      "\"Cloaking\" (none: the process token); \"LocalSystem Account\" (the computer's credentials)",
      "alice", NTSEC_RPC_IMP_LEVEL_DELEGATE, NTSEC_EOAC_NONE },
    { "A sensitive account at Delegate level is not delegated",
      "\"Delegation and Impersonation\" (\"sensitive and cannot be delegated\")",
      "carol", NTSEC_RPC_IMP_LEVEL_DELEGATE, NTSEC_EOAC_DYNAMIC_CLOAKING },
};

#define SCENE_COUNT (sizeof(scenes) / sizeof(scenes[0]))

/* Who runs where; the middle tier and the back end are services. */
static const struct {
    const char *image;
    const char *machine;
    uint32_t authn_level;               /* its CoInitializeSecurity level */
} cast[PARTIES] = {
    [CLIENT] = { "client.exe", "WORKSTATION", NTSEC_AUTHN_LEVEL_PKT_INTEGRITY },
    [MIDDLE] = { "middle.exe", "SERVER1", NTSEC_AUTHN_LEVEL_CONNECT },
    [BACKEND] = { "backend.exe", "SERVER2", NTSEC_AUTHN_LEVEL_PKT_PRIVACY },
};

/* A server: its pthread, bound to its process, initialises COM and
 * exports, then stays in the apartment until told to leave (the
 * process' COM state ends with its last thread's CoUninitialize). */
struct server {
    int who;
    struct ntsec_process *process;
    struct chain *chain;
    struct ntsec_com_proxy *next;       /* the middle tier's proxy to the back end */
    uint32_t next_cookie;
    uint32_t caps;
    uint32_t cookie;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool started, up, failed, quit;
};

static ntsec_hresult init_security(uint32_t authn, uint32_t imp, uint32_t caps)
{
    const struct ntsec_com_security_args args = { .auth_svc_count = -1, .authn_level = authn,
                                                  .imp_level = imp, .capabilities = caps };
    ntsec_hresult hr = ntsec_com_initialize(NTSEC_COM_MTA);

    if (hr < 0)
        return hr;
    hr = ntsec_com_initialize_security(&args);
    if (hr < 0)
        ntsec_com_uninitialize();
    return hr;
}

/* Who the calling thread is now: "as USER" on its process token,
 * "impersonating USER" when it impersonates (what it presents depends on
 * the proxy's cloaking, which the server's view then shows). */
static void thread_identity(char *out, size_t size)
{
    enum ntsec_impersonation_level level;
    struct ntsec_token *imp = ntsec_thread_impersonation(ntsec_thread_current(), &level, NULL, NULL);
    struct ntsec_token *t = imp ? imp : ntsec_thread_effective_token();
    char user[140];

    demo_user_name(t, user, sizeof(user));
    snprintf(out, size, "%s %s", imp ? "impersonating" : "as", user);
    ntsec_token_put(t);
}

/* Record a call from `from` to `to` through `proxy`, its blanket read
 * back from the proxy, and make it. */
static ntsec_hresult traced_call(struct chain *c, int from, int to, struct ntsec_com_proxy *proxy)
{
    struct ntsec_com_blanket b;
    char as[160];
    struct event *e;
    int call_at;
    ntsec_hresult hr;

    ntsec_com_proxy_query_blanket(proxy, &b);
    thread_identity(as, sizeof(as));
    call_at = c->count;                 /* MAX_EVENTS: not recorded (event_add's spare) */
    e = event_add(c, EV_CALL, from, to);
    snprintf(e->text, sizeof(e->text), "%.110s, %s, %s, %s", as, NAME_OF(imp_names, b.imp_level),
             NAME_OF(authn_names, b.authn_level),
             b.capabilities & NTSEC_EOAC_DYNAMIC_CLOAKING  ? "dynamic cloaking"
             : b.capabilities & NTSEC_EOAC_STATIC_CLOAKING ? "static cloaking"
                                                           : "no cloaking");
    c->hops[to] = (struct hop_view){ .called = true, .level = -1 };
    hr = ntsec_com_call(proxy, 3, NULL);
    c->hops[to].hr = hr;
    if (call_at < MAX_EVENTS) {
        c->events[call_at].hr = hr;
        c->events[call_at].reached = c->hops[to].ran;
    }
    if (c->hops[to].ran) {
        e = event_add(c, EV_RETURN, to, from);
        e->hr = hr;
        snprintf(e->text, sizeof(e->text), "%s (0x%08x)", hresult_name(hr), (unsigned)hr);
    }
    return hr;
}

/* The exported object's method: CoGetCallContext, QueryBlanket,
 * ImpersonateClient, then who the thread is; the middle tier calls on
 * while it impersonates. */
static ntsec_hresult server_invoke(void *self, uint32_t method, void *arg)
{
    struct server *s = self;
    struct hop_view *v = &s->chain->hops[s->who];
    struct ntsec_com_call *call = NULL;
    struct ntsec_com_call_blanket b;
    enum ntsec_impersonation_level level;
    struct ntsec_token *t;
    struct event *e;
    ntsec_hresult hr;

    (void)method;
    (void)arg;
    v->ran = true;
    hr = ntsec_com_call_current(&call);
    if (hr < 0)
        return hr;
    hr = ntsec_com_call_query(call, &b);
    if (hr >= 0) {
        v->authn_level = b.authn_level;
        snprintf(v->client, sizeof(v->client), "%s", b.client ? b.client : "(none)");
    }
    v->impersonate = ntsec_com_call_impersonate(call);
    t = ntsec_thread_impersonation(ntsec_thread_current(), &level, NULL, NULL);
    if (t) {
        v->level = (int)level;
        demo_user_name(t, v->token_user, sizeof(v->token_user));
        ntsec_token_put(t);
    }
    e = event_add(s->chain, EV_SEES, s->who, s->who);
    snprintf(e->text, sizeof(e->text), "sees %.100s at %s", v->client,
             NAME_OF(authn_names, v->authn_level));
    if (v->level >= 0)
        snprintf(e->text2, sizeof(e->text2), "impersonates %.100s at %s", v->token_user,
                 NAME_OF(token_level_names, (uint32_t)v->level));
    else
        snprintf(e->text2, sizeof(e->text2), "ImpersonateClient: %s", hresult_name(v->impersonate));
    if (hr >= 0 && s->next)
        hr = traced_call(s->chain, s->who, BACKEND, s->next);
    ntsec_com_call_revert(call);
    ntsec_com_call_put(call);
    return hr;
}

static void *server_main(void *arg)
{
    struct server *s = arg;
    const struct ntsec_com_object obj = { s, server_invoke, NULL };
    bool ok = ntsec_success(ntsec_thread_bind(s->process)) &&
              init_security(cast[s->who].authn_level, NTSEC_RPC_IMP_LEVEL_DELEGATE, s->caps) >= 0;

    if (ok && s->next_cookie && ntsec_com_connect(s->next_cookie, &s->next) < 0)
        ok = false;
    if (ok && ntsec_com_export(&obj, &s->cookie) < 0)
        ok = false;
    pthread_mutex_lock(&s->lock);
    s->up = true;
    s->failed = !ok;
    pthread_cond_broadcast(&s->cond);
    while (!s->quit)
        pthread_cond_wait(&s->cond, &s->lock);
    pthread_mutex_unlock(&s->lock);
    if (s->next)
        ntsec_com_proxy_release(s->next);
    ntsec_com_uninitialize();
    return NULL;
}

/* Start the server's pthread and wait until it is up; false when it
 * could not export (server_stop still ends its thread). */
static bool server_start(struct server *s, int who, struct ntsec_process *process,
                         struct chain *c, uint32_t next_cookie, uint32_t caps)
{
    *s = (struct server){ .who = who, .process = process, .chain = c,
                          .next_cookie = next_cookie, .caps = caps };
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->cond, NULL);
    s->started = pthread_create(&s->thread, NULL, server_main, s) == 0;
    if (!s->started)
        return false;
    pthread_mutex_lock(&s->lock);
    while (!s->up)
        pthread_cond_wait(&s->cond, &s->lock);
    pthread_mutex_unlock(&s->lock);
    return !s->failed;
}

static void server_stop(struct server *s)
{
    if (s->started) {
        pthread_mutex_lock(&s->lock);
        s->quit = true;
        pthread_cond_broadcast(&s->cond);
        pthread_mutex_unlock(&s->lock);
        pthread_join(s->thread, NULL);
    }
    pthread_cond_destroy(&s->cond);
    pthread_mutex_destroy(&s->lock);
}

/* The client: one pthread in its process that connects and calls. */
struct client_run {
    struct ntsec_process *process;
    struct chain *chain;
    uint32_t imp, cookie;
    ntsec_hresult hr;
};

static void *client_main(void *arg)
{
    struct client_run *r = arg;
    struct ntsec_com_proxy *proxy = NULL;

    r->hr = ntsec_success(ntsec_thread_bind(r->process)) ? NTSEC_S_OK : NTSEC_E_FAIL;
    if (r->hr >= 0)
        r->hr = init_security(cast[CLIENT].authn_level, r->imp, NTSEC_EOAC_NONE);
    if (r->hr < 0)
        return NULL;
    r->hr = ntsec_com_connect(r->cookie, &proxy);
    if (r->hr >= 0) {
        r->hr = traced_call(r->chain, CLIENT, MIDDLE, proxy);
        ntsec_com_proxy_release(proxy);
    }
    ntsec_com_uninitialize();
    return NULL;
}

/* --- the processes ----------------------------------------------------------------- */

#define GROUP_ON (NTSEC_SE_GROUP_MANDATORY | NTSEC_SE_GROUP_ENABLED | \
                  NTSEC_SE_GROUP_ENABLED_BY_DEFAULT)

/* A LocalSystem token (S-1-5-18, System integrity, SeImpersonatePrivilege:
 * "LocalSystem Account", Microsoft docs). The world has no logon for it. */
static ntsec_status system_token(struct ntsec_token **out)
{
    struct ntsec_sid user, admins, everyone, authenticated, label;
    const struct ntsec_sid_and_attributes groups[] = {
        { &admins, GROUP_ON | NTSEC_SE_GROUP_OWNER },
        { &everyone, GROUP_ON },
        { &authenticated, GROUP_ON },
        { &label, NTSEC_SE_GROUP_INTEGRITY | NTSEC_SE_GROUP_INTEGRITY_ENABLED },
    };
    const struct ntsec_luid_and_attributes privileges[] = {
        { ntsec_privilege_luid(NTSEC_SE_IMPERSONATE_PRIVILEGE), NTSEC_SE_PRIVILEGE_ENABLED },
        { ntsec_privilege_luid(NTSEC_SE_CHANGE_NOTIFY_PRIVILEGE), NTSEC_SE_PRIVILEGE_ENABLED },
    };
    struct ntsec_token_desc d = { 0 };

    ntsec_sid_from_string("SY", NULL, &user);
    ntsec_sid_from_string("BA", NULL, &admins);
    ntsec_sid_from_string("WD", NULL, &everyone);
    ntsec_sid_from_string("AU", NULL, &authenticated);
    ntsec_sid_from_string("S-1-16-16384", NULL, &label);
    d.type = NTSEC_TOKEN_PRIMARY;
    d.user.sid = &user;
    d.groups = groups;
    d.group_count = sizeof(groups) / sizeof(groups[0]);
    d.privileges = privileges;
    d.privilege_count = sizeof(privileges) / sizeof(privileges[0]);
    d.owner = &admins;
    return ntsec_token_create(&d, out);
}

static ntsec_status party_process(int who, const char *user, struct ntsec_process **out)
{
    struct ntsec_token *t = NULL;
    ntsec_status st;

    if (who == MIDDLE)
        st = system_token(&t);
    else
        st = ntsec_logon_token(user, NULL,
                               who == CLIENT ? NTSEC_LOGON_INTERACTIVE : NTSEC_LOGON_SERVICE, &t);
    if (!ntsec_success(st))
        return st;
    st = ntsec_process_create_on(t, cast[who].image, cast[who].machine, out);
    ntsec_token_put(t);
    return st;
}

/* One run of the chain for `sc`: fresh processes, the back end up, the
 * middle tier connected to it, then the client's call. */
static bool run_scene(const struct scene *sc, struct chain *c)
{
    struct ntsec_process *p[PARTIES] = { NULL };
    struct server back, middle;
    struct client_run run = { .chain = c, .imp = sc->client_imp };
    pthread_t client;
    bool ok = true;

    for (int i = 0; i < PARTIES && ok; i++)
        ok = ntsec_success(party_process(i, i == CLIENT ? sc->client_user : "svc-web", &p[i]));
    if (!ok)
        goto out;
    ok = server_start(&back, BACKEND, p[BACKEND], c, 0, NTSEC_EOAC_NONE);
    if (ok) {
        ok = server_start(&middle, MIDDLE, p[MIDDLE], c, back.cookie, sc->middle_caps);
        if (ok) {
            run.process = p[CLIENT];
            run.cookie = middle.cookie;
            ok = pthread_create(&client, NULL, client_main, &run) == 0;
            if (ok)
                pthread_join(client, NULL);
        }
        server_stop(&middle);
    }
    server_stop(&back);
out:
    for (int i = 0; i < PARTIES; i++)
        if (p[i])
            ntsec_object_put(p[i]);
    return ok;
}

/* --- the text ---------------------------------------------------------------------- */

static void party_tag(int who, char *out, size_t size)
{
    snprintf(out, size, "[%s]", cast[who].image);
}

static void print_events(const struct chain *c, int from)
{
    char tag[32];

    for (int i = from; i < c->count; i++) {
        const struct event *e = &c->events[i];

        party_tag(e->from, tag, sizeof(tag));
        switch (e->kind) {
        case EV_SCENE:
            break;
        case EV_CALL:
            printf("   %-13s calls %s on %s %s\n", tag, cast[e->to].image, cast[e->to].machine,
                   e->text);
            if (!e->reached)
                printf("   %-13s   refused before %s ran: %s (0x%08x)\n", tag, cast[e->to].image,
                       hresult_name(e->hr), (unsigned)e->hr);
            break;
        case EV_SEES:
            printf("   %-13s %s\n   %-13s %s\n", tag, e->text, tag, e->text2);
            break;
        case EV_RETURN:
            printf("   %-13s returns %s\n", tag, e->text);
            break;
        }
    }
}

/* One line per hop: the server, what it saw, and what its caller got. */
static void print_hops(const struct chain *c)
{
    printf("\n   %-3s %-24s %-26s %-15s %-14s %s\n", "hop", "server (process, machine)",
           "identity it sees", "imp. level", "authn level", "HRESULT");
    for (int who = MIDDLE; who < PARTIES; who++) {
        const struct hop_view *v = &c->hops[who];
        char server[64], hr[48];

        snprintf(server, sizeof(server), "%s, %s", cast[who].image, cast[who].machine);
        snprintf(hr, sizeof(hr), "%s (0x%08x)", hresult_name(v->hr), (unsigned)v->hr);
        if (!v->called)
            printf("   %-3d %-24s %-26s %-15s %-14s %s\n", who, server, "(not called)", "-", "-",
                   "-");
        else if (v->ran)
            printf("   %-3d %-24s %-26s %-15s %-14s %s\n", who, server, v->client,
                   v->level >= 0 ? NAME_OF(token_level_names, (uint32_t)v->level) : "none",
                   NAME_OF(authn_names, v->authn_level), hr);
        else
            printf("   %-3d %-24s %-26s %-15s %-14s %s\n", who, server, "(not reached)", "-", "-",
                   hr);
    }
    printf("\n");
}

/* --- Mermaid --------------------------------------------------------------------------- */

static const char mermaid_id[PARTIES] = { 'C', 'M', 'B' };

static void write_mermaid(FILE *f, const struct chain *c)
{
    fprintf(f, "sequenceDiagram\n");
    for (int who = 0; who < PARTIES; who++)
        fprintf(f, "    participant %c as %s (%s)\n", mermaid_id[who], cast[who].image,
                cast[who].machine);
    for (int i = 0; i < c->count; i++) {
        const struct event *e = &c->events[i];
        char from = mermaid_id[e->from], to = mermaid_id[e->to];

        switch (e->kind) {
        case EV_SCENE:
            fprintf(f, "    Note over C,B: %s\n", e->text);
            break;
        case EV_CALL:
            if (e->reached)
                fprintf(f, "    %c->>%c: %s\n", from, to, e->text);
            else
                fprintf(f, "    %c-x%c: %s, refused: %s (0x%08x)\n", from, to, e->text,
                        hresult_name(e->hr), (unsigned)e->hr);
            break;
        case EV_SEES:
            fprintf(f, "    Note over %c: %s<br/>%s\n", from, e->text, e->text2);
            break;
        case EV_RETURN:
            fprintf(f, "    %c-->>%c: %s\n", from, to, e->text);
            break;
        }
    }
}

/* --- SVG --------------------------------------------------------------------------------- */

enum { SVG_WIDTH = 1280, SVG_TOP = 80, COL0 = 210, COL_STEP = 430, NOTE_W = 410 };

static int svg_x(int who)
{
    return COL0 + who * COL_STEP;
}

static int svg_row_height(enum event_kind kind)
{
    return kind == EV_SCENE ? 40 : kind == EV_SEES ? 50 : 40;
}

/* Text content with XML's five special characters escaped. */
static void svg_text(FILE *f, int x, int y, const char *attrs, const char *fmt, ...)
{
    char buf[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    fprintf(f, "<text x=\"%d\" y=\"%d\" %s>", x, y, attrs);
    for (const char *p = buf; *p; p++)
        switch (*p) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&apos;", f); break;
        default: fputc(*p, f);
        }
    fputs("</text>\n", f);
}

static void svg_arrow(FILE *f, const struct event *e, int y)
{
    int x1 = svg_x(e->from), x2 = svg_x(e->to), mid = (x1 + x2) / 2;
    bool refused = e->kind == EV_CALL && !e->reached;
    const char *colour = refused ? "#b00020" : "#222";

    if (e->kind == EV_CALL && e->reached)
        svg_text(f, mid, y + 14, "text-anchor=\"middle\"", "%s", e->text);
    else if (refused)
        svg_text(f, mid, y + 14, "text-anchor=\"middle\" fill=\"#b00020\"", "%s: %s (0x%08x)",
                 e->text, hresult_name(e->hr), (unsigned)e->hr);
    else
        svg_text(f, mid, y + 14, "text-anchor=\"middle\"", "%s", e->text);
    fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"1.5\"%s%s/>\n",
            x1, y + 24, refused ? x2 - 12 : x2, y + 24, colour,
            e->kind == EV_RETURN ? " stroke-dasharray=\"6 4\"" : "",
            refused ? "" : " marker-end=\"url(#arrow)\"");
    if (refused)        /* a cross where the call stopped */
        fprintf(f, "<path d=\"M%d %d l12 12 M%d %d l12 -12\" stroke=\"%s\" stroke-width=\"2\"/>\n",
                x2 - 12, y + 18, x2 - 12, y + 30, colour);
}

static void write_svg(FILE *f, const struct chain *c)
{
    int height = SVG_TOP + 20, y = SVG_TOP;

    for (int i = 0; i < c->count; i++)
        height += svg_row_height(c->events[i].kind);
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
               "viewBox=\"0 0 %d %d\" font-family=\"monospace\" font-size=\"11\">\n"
               "<title>ntsec demo com: a COM call chain across three machines</title>\n"
               "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" "
               "markerWidth=\"8\" markerHeight=\"8\" orient=\"auto\">"
               "<path d=\"M0 0 L10 5 L0 10 z\" fill=\"#222\"/></marker></defs>\n"
               "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n",
            SVG_WIDTH, height, SVG_WIDTH, height);
    for (int who = 0; who < PARTIES; who++) {
        int x = svg_x(who);

        fprintf(f, "<line x1=\"%d\" y1=\"60\" x2=\"%d\" y2=\"%d\" stroke=\"#999\" "
                   "stroke-dasharray=\"4 4\"/>\n", x, x, height - 10);
        fprintf(f, "<rect x=\"%d\" y=\"14\" width=\"200\" height=\"46\" fill=\"#e8eef8\" "
                   "stroke=\"#335\"/>\n", x - 100);
        svg_text(f, x, 33, "text-anchor=\"middle\" font-weight=\"bold\"", "%s", cast[who].image);
        svg_text(f, x, 50, "text-anchor=\"middle\"", "on %s", cast[who].machine);
    }
    for (int i = 0; i < c->count; i++) {
        const struct event *e = &c->events[i];

        switch (e->kind) {
        case EV_SCENE:
            fprintf(f, "<rect x=\"10\" y=\"%d\" width=\"%d\" height=\"28\" fill=\"#f0f0f0\" "
                       "stroke=\"#bbb\"/>\n", y + 6, SVG_WIDTH - 20);
            svg_text(f, 20, y + 24, "font-weight=\"bold\"", "%s", e->text);
            break;
        case EV_SEES:
            fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"40\" fill=\"#fff8c4\" "
                       "stroke=\"#a90\"/>\n", svg_x(e->from) - NOTE_W / 2, y + 4, NOTE_W);
            svg_text(f, svg_x(e->from), y + 20, "text-anchor=\"middle\"", "%s", e->text);
            svg_text(f, svg_x(e->from), y + 36, "text-anchor=\"middle\"", "%s", e->text2);
            break;
        case EV_CALL:
        case EV_RETURN:
            svg_arrow(f, e, y);
            break;
        }
        y += svg_row_height(e->kind);
    }
    fprintf(f, "</svg>\n");
}

/* --- the command --------------------------------------------------------------------- */

static bool write_file(const char *path, void (*write)(FILE *, const struct chain *),
                       const struct chain *c)
{
    FILE *f = fopen(path, "w");
    bool ok;

    if (!f) {
        fprintf(stderr, "ntsec demo com: cannot write %s\n", path);
        return false;
    }
    write(f, c);
    ok = !ferror(f);
    ok = fclose(f) == 0 && ok;
    if (!ok)
        fprintf(stderr, "ntsec demo com: cannot write %s\n", path);
    return ok;
}

static int usage(void)
{
    fprintf(stderr, "usage: ntsec demo com [--mermaid FILE] [--svg FILE]\n");
    return 2;
}

int demo_com(int argc, char **argv)
{
    static struct chain chain;
    const char *mermaid = NULL, *svg = NULL;
    bool ok = true;

    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--mermaid") && i + 1 < argc)
            mermaid = argv[++i];
        else if (!strcmp(argv[i], "--svg") && i + 1 < argc)
            svg = argv[++i];
        else
            return usage();
    }
    memset(&chain, 0, sizeof(chain));
    printf("ntsec demo: a COM call chain across three machines.\n\n"
           "   client.exe (WORKSTATION) calls middle.exe (SERVER1, LocalSystem: SERVER1$ is\n"
           "   trusted for delegation), which impersonates its caller and calls backend.exe\n"
           "   (SERVER2, CONTOSO\\svc-web) through the native COM API. Each server asks\n"
           "   CoGetCallContext + IServerSecurity::QueryBlanket who called, then\n"
           "   ImpersonateClient, and reads its thread's token; each proxy's blanket is\n"
           "   read back with IClientSecurity::QueryBlanket. Nothing below is typed in:\n"
           "   change a rule in libsec and these lines change.\n\n");
    for (size_t i = 0; i < SCENE_COUNT && ok; i++) {
        int first = chain.count;
        struct event *e;

        memset(chain.hops, 0, sizeof(chain.hops));
        e = event_add(&chain, EV_SCENE, CLIENT, BACKEND);

        snprintf(e->text, sizeof(e->text), "%zu. %s", i + 1, scenes[i].title);
        printf("== %s\n   (%s)\n   the client runs as %s; CoInitializeSecurity asks %s; the middle\n"
               "   tier's proxy to the back end uses %s\n\n",
               e->text, scenes[i].why, scenes[i].client_user,
               NAME_OF(imp_names, scenes[i].client_imp),
               scenes[i].middle_caps & NTSEC_EOAC_DYNAMIC_CLOAKING ? "dynamic cloaking"
                                                                  : "no cloaking");
        ok = run_scene(&scenes[i], &chain);
        print_events(&chain, first + 1);
        print_hops(&chain);
    }
    if (!ok)
        fprintf(stderr, "ntsec demo com: cannot set up the processes of the chain\n");
    if (ok && mermaid)
        ok = write_file(mermaid, write_mermaid, &chain);
    if (ok && svg)
        ok = write_file(svg, write_svg, &chain);
    return ok ? 0 : 1;
}
