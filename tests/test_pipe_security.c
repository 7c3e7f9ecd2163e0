/* test_pipe_security.c - the security of named pipes through the native
 * API (ntsec/pipe.h): the client's security context under each
 * SECURITY_QUALITY_OF_SERVICE, static and dynamic tracking, EffectiveOnly,
 * ImpersonateNamedPipeClient under SeTokenCanImpersonate, and the pipe's
 * descriptor checked when a client opens it or a server adds an instance.
 * The namespace, data and states are test_pipe.c's.
 *
 * Windows' results: Microsoft docs (CreateNamedPipeW, CreateFileW,
 * ImpersonateNamedPipeClient, "Named Pipe Security and Access Rights",
 * "Impersonation Levels", System Error Codes), what Wine's
 * dlls/kernel32/tests/pipe.c asserts on Windows (named per test), and
 * ReactOS' NPFS read for behaviour. docs/pipes.md holds the rules.
 *
 * The service runs on the test's pthread, moved into a service process
 * running as user S-1-5-21-1-2-3-1001; clients run on pthreads bound to
 * client processes (user ...-1002 unless a test says otherwise). */
#include <sched.h>

#include "ntsec/ntsec.h"
#include "pipefix.h"
#include "testutil.h"

#define SERVICE 1001u
#define CLIENT 1002u
#define OTHER 1003u

static struct ntsec_token *imp_token(uint32_t rid, unsigned opts)
{
    return pfx_token(rid, opts, NTSEC_TOKEN_IMPERSONATION, NTSEC_SECURITY_IMPERSONATION);
}

/* --- a client on its own pthread and process ------------------------------------ */

struct client;
typedef void (*client_hook)(struct client *c, int step);

/* The client opens PFX_PATH, then for each message writes one byte and reads
 * the service's one-byte reply. `hook` runs before the open (step 0) and
 * before each message (steps 1..). */
struct client {
    struct ntsec_process *process;
    const struct ntsec_sqos *qos;
    uint32_t access;                        /* 0: GENERIC_READ | GENERIC_WRITE */
    int messages;
    client_hook hook;
    struct ntsec_token *token[2];           /* what the hook uses */
    ntsec_status opened, wrote[4], replied[4];
    struct pfx_thread thread;
};

static void client_main(void *arg)
{
    struct client *c = arg;
    ntsec_handle h = 0;

    if (c->hook)
        c->hook(c, 0);
    c->opened = ntsec_pipe_open(PFX_PATH, c->access ? c->access : PFX_RW, c->qos, 0, &h);
    for (int n = 0; ntsec_success(c->opened) && n < c->messages; n++) {
        char byte;

        if (c->hook)
            c->hook(c, n + 1);
        c->wrote[n] = ntsec_pipe_write(h, "m", 1, NULL);
        if (!ntsec_success(c->wrote[n]))
            break;
        c->replied[n] = ntsec_pipe_read(h, &byte, 1, NULL);
    }
    if (h)
        ntsec_handle_close(h);
}

static void client_start(struct client *c)
{
    c->opened = NTSEC_STATUS_UNSUCCESSFUL;
    pfx_start(&c->thread, c->process, client_main, c);
}

/* Wait for the client; each of its calls must have succeeded. */
static void client_join(struct client *c)
{
    pfx_join(&c->thread);
    CU_ASSERT_EQUAL(c->opened, NTSEC_STATUS_SUCCESS);
    for (int n = 0; n < c->messages; n++) {
        CU_ASSERT_EQUAL(c->wrote[n], NTSEC_STATUS_SUCCESS);
        CU_ASSERT_EQUAL(c->replied[n], NTSEC_STATUS_SUCCESS);
    }
}

/* The service's side of one message: wait for it, read it. */
static void serve(ntsec_handle h)
{
    char byte;

    CU_ASSERT_EQUAL(ntsec_pipe_read(h, &byte, 1, NULL), NTSEC_STATUS_SUCCESS);
}

static void reply(ntsec_handle h)
{
    CU_ASSERT_EQUAL(ntsec_pipe_write(h, "r", 1, NULL), NTSEC_STATUS_SUCCESS);
}

/* Wait until the client's next message has arrived, without reading it. */
static void await_message(ntsec_handle h)
{
    struct ntsec_pipe_peek p = { 0 };

    while (ntsec_success(ntsec_pipe_peek(h, NULL, 0, &p)) && !p.available)
        sched_yield();
}

/* What the service thread impersonates after ImpersonateNamedPipeClient. */
struct seen {
    ntsec_status status;
    struct ntsec_token *token;              /* a reference, or NULL */
    uint32_t rid;
    enum ntsec_impersonation_level level;
    bool effective_only;
    uint32_t privileges;                    /* how many the token holds */
    bool shutdown;                          /* SeShutdownPrivilege enabled */
};

static uint32_t privilege_count(const struct ntsec_token *t)
{
    _Alignas(8) uint8_t buf[256];
    uint32_t need, count = 0;

    if (ntsec_token_query(t, NTSEC_TOKEN_PRIVILEGES, buf, sizeof(buf), &need) ==
        NTSEC_STATUS_SUCCESS)
        memcpy(&count, buf, sizeof(count));
    return count;
}

static struct seen impersonate(ntsec_handle h)
{
    struct ntsec_thread *t = ntsec_thread_current();
    struct seen s = { .status = ntsec_pipe_impersonate_client(h) };

    if (!ntsec_success(s.status))
        return s;
    s.token = ntsec_thread_impersonation(t, &s.level, NULL, &s.effective_only);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s.token);
    s.rid = imf_user_rid(s.token);
    s.privileges = privilege_count(s.token);
    s.shutdown = ntsec_token_privilege_enabled(s.token,
                                               ntsec_privilege_luid(NTSEC_SE_SHUTDOWN_PRIVILEGE));
    ntsec_thread_revert(t);
    return s;
}

static void seen_done(struct seen *s)
{
    if (s->token)
        ntsec_token_put(s->token);
}

/* One connection: the service creates the pipe, the client (running as
 * `client_rid`) opens it with `q` and sends one message; the service
 * listens, reads, impersonates, replies. */
static struct seen one_message(uint32_t pipe_mode, uint32_t client_rid,
                               const struct ntsec_sqos *q)
{
    struct client c = { .process = pfx_process(client_rid, 0), .qos = q, .messages = 1 };
    ntsec_handle h = pfx_server(pipe_mode);
    ntsec_status st;
    struct seen s;

    client_start(&c);
    st = ntsec_pipe_listen(h);
    CU_ASSERT(st == NTSEC_STATUS_SUCCESS || st == NTSEC_STATUS_PIPE_CONNECTED);
    serve(h);
    s = impersonate(h);
    reply(h);
    client_join(&c);
    CU_ASSERT_EQUAL(ntsec_handle_close(h), NTSEC_STATUS_SUCCESS);
    ntsec_object_put(c.process);
    return s;
}

/* --- the client's security context ---------------------------------------------- */

/* CreateFileW, SECURITY_SQOS_PRESENT (Microsoft docs): the level the
 * client grants is the level the service impersonates at, given
 * SeImpersonatePrivilege (ImpersonateNamedPipeClient, Remarks). */
static void each_sqos_level_is_the_level_the_service_gets(void)
{
    struct pfx_service s;

    pfx_enter(&s, SERVICE, PFX_IMPERSONATE);
    for (int level = NTSEC_SECURITY_ANONYMOUS; level <= NTSEC_SECURITY_DELEGATION; level++) {
        for (uint8_t tracking = 0; tracking <= 1; tracking++) {
            struct ntsec_sqos q = pfx_qos(level, tracking, 0);
            struct seen v = one_message(0, CLIENT, &q);

            CU_ASSERT_EQUAL(v.status, NTSEC_STATUS_SUCCESS);
            CU_ASSERT_EQUAL(v.level, (enum ntsec_impersonation_level)level);
            CU_ASSERT_EQUAL(v.rid, CLIENT);
            seen_done(&v);
        }
    }
    pfx_leave(&s);
}

/* "Impersonation Levels" (Microsoft docs): at Identification the server
 * "can obtain information about the client ... but it cannot impersonate"
 * it to open objects (STATUS_BAD_IMPERSONATION_LEVEL); at Impersonation
 * it can. */
static void identification_reads_the_client_but_cannot_open_objects(void)
{
    static const enum ntsec_impersonation_level levels[] = {
        NTSEC_SECURITY_IDENTIFICATION, NTSEC_SECURITY_IMPERSONATION,
    };
    struct pfx_service s;

    pfx_enter(&s, SERVICE, PFX_IMPERSONATE);
    for (size_t n = 0; n < 2; n++) {
        struct client c = { .process = pfx_process(CLIENT, 0), .messages = 1 };
        struct ntsec_sqos q = pfx_qos(levels[n], NTSEC_SECURITY_STATIC_TRACKING, 0);
        ntsec_handle h = pfx_server(0), opened = 0;
        ntsec_status st;

        c.qos = &q;
        client_start(&c);
        ntsec_pipe_listen(h);
        serve(h);
        CU_ASSERT_EQUAL_FATAL(ntsec_pipe_impersonate_client(h), NTSEC_STATUS_SUCCESS);
        {
            struct ntsec_token *t = ntsec_thread_impersonation(ntsec_thread_current(), NULL,
                                                               NULL, NULL);

            CU_ASSERT_EQUAL(imf_user_rid(t), CLIENT);
            ntsec_token_put(t);
        }
        st = ntsec_object_open(s.process, NTSEC_PROCESS_QUERY_LIMITED_INFORMATION, 0, false,
                               &opened);
        ntsec_thread_revert(ntsec_thread_current());
        CU_ASSERT_EQUAL(st, n == 0 ? NTSEC_STATUS_BAD_IMPERSONATION_LEVEL : NTSEC_STATUS_SUCCESS);
        if (opened)
            ntsec_handle_close(opened);
        reply(h);
        client_join(&c);
        ntsec_handle_close(h);
        ntsec_object_put(c.process);
    }
    pfx_leave(&s);
}

/* Client hooks: impersonate token[0] before the open; before message 2,
 * switch to token[1] or enable SeShutdownPrivilege in token[0]. */
static void impersonate_first(struct client *c, int step)
{
    if (step == 0)
        ntsec_thread_impersonate(ntsec_thread_current(), c->token[0], false, false,
                                 NTSEC_SECURITY_IMPERSONATION);
}

static void switch_token(struct client *c, int step)
{
    impersonate_first(c, step);
    if (step == 2)
        ntsec_thread_impersonate(ntsec_thread_current(), c->token[1], false, false,
                                 NTSEC_SECURITY_IMPERSONATION);
}

static ntsec_status set_shutdown(struct ntsec_token *t, bool enable)
{
    struct ntsec_luid_and_attributes p = { { NTSEC_SE_SHUTDOWN_PRIVILEGE, 0 },
                                           enable ? NTSEC_SE_PRIVILEGE_ENABLED : 0 };

    return ntsec_token_adjust_privileges(t, false, &p, 1, NULL, 0, NULL);
}

static void enable_privilege(struct client *c, int step)
{
    impersonate_first(c, step);
    if (step == 2)
        set_shutdown(c->token[0], true);
}

/* Two messages; what the service impersonates after the first, once the
 * second has arrived but before it is read, and after reading it. */
struct two_views {
    struct seen first, arrived, second;
};

static struct two_views two_messages(uint8_t tracking, client_hook hook)
{
    struct ntsec_sqos q = pfx_qos(NTSEC_SECURITY_IMPERSONATION, tracking, 0);
    struct client c = { .process = pfx_process(CLIENT, PFX_IMPERSONATE), .qos = &q,
                        .messages = 2, .hook = hook };
    struct two_views v;
    ntsec_handle h = pfx_server(0);

    c.token[0] = imp_token(CLIENT, 0);
    c.token[1] = imp_token(OTHER, 0);
    client_start(&c);
    ntsec_pipe_listen(h);
    serve(h);
    v.first = impersonate(h);
    reply(h);
    await_message(h);
    v.arrived = impersonate(h);
    serve(h);
    v.second = impersonate(h);
    reply(h);
    client_join(&c);
    ntsec_handle_close(h);
    ntsec_token_put(c.token[0]);
    ntsec_token_put(c.token[1]);
    ntsec_object_put(c.process);
    return v;
}

static void two_views_done(struct two_views *v)
{
    seen_done(&v->first);
    seen_done(&v->arrived);
    seen_done(&v->second);
}

/* The client takes another token between two messages (Wine's
 * test_impersonation, test_static_context_revert and
 * test_dynamic_context_revert, on Windows): under dynamic tracking the
 * service impersonates the new one once it has read the next message -
 * "the security context of the last message read" (Microsoft docs,
 * ImpersonateNamedPipeClient) - under static tracking never. */
static void dynamic_tracking_follows_a_new_token_from_the_next_message_read(void)
{
    struct pfx_service s;
    struct two_views v;

    pfx_enter(&s, SERVICE, PFX_IMPERSONATE);
    v = two_messages(NTSEC_SECURITY_DYNAMIC_TRACKING, switch_token);
    CU_ASSERT_EQUAL(v.first.rid, CLIENT);
    CU_ASSERT_EQUAL(v.arrived.rid, CLIENT);
    CU_ASSERT_EQUAL(v.second.rid, OTHER);
    two_views_done(&v);
    v = two_messages(NTSEC_SECURITY_STATIC_TRACKING, switch_token);
    CU_ASSERT_EQUAL(v.first.rid, CLIENT);
    CU_ASSERT_EQUAL(v.arrived.rid, CLIENT);
    CU_ASSERT_EQUAL(v.second.rid, CLIENT);
    two_views_done(&v);
    pfx_leave(&s);
}

/* The client enables a privilege in its token between two messages
 * (Wine's test_static_context and test_dynamic_context, on Windows: the
 * dynamic service sees the change, the static one does not). A dynamic
 * context holds the client's token itself (SeCreateClientSecurity,
 * docs/impersonation.md), so the change shows at once. */
static void dynamic_tracking_sees_a_privilege_change_static_never(void)
{
    struct pfx_service s;
    struct two_views v;

    pfx_enter(&s, SERVICE, PFX_IMPERSONATE);
    v = two_messages(NTSEC_SECURITY_DYNAMIC_TRACKING, enable_privilege);
    CU_ASSERT_FALSE(v.first.shutdown);
    CU_ASSERT_TRUE(v.arrived.shutdown);
    CU_ASSERT_TRUE(v.second.shutdown);
    two_views_done(&v);
    v = two_messages(NTSEC_SECURITY_STATIC_TRACKING, enable_privilege);
    CU_ASSERT_FALSE(v.first.shutdown);
    CU_ASSERT_FALSE(v.arrived.shutdown);
    CU_ASSERT_FALSE(v.second.shutdown);
    CU_ASSERT_EQUAL(v.second.privileges, 2);
    two_views_done(&v);
    pfx_leave(&s);
}

/* SECURITY_EFFECTIVE_ONLY: "Only the enabled aspects of the client's
 * security context are available to the server" (Microsoft docs,
 * CreateFileW). Static: the copy lacks the disabled SeShutdownPrivilege;
 * dynamic: the service impersonates the client's token EffectiveOnly. */
static void effective_only_hides_what_the_client_disabled(void)
{
    struct pfx_service s;

    pfx_enter(&s, SERVICE, PFX_IMPERSONATE);
    for (uint8_t eo = 0; eo <= 1; eo++) {
        struct ntsec_sqos st = pfx_qos(NTSEC_SECURITY_IMPERSONATION, NTSEC_SECURITY_STATIC_TRACKING, eo);
        struct ntsec_sqos dyn = pfx_qos(NTSEC_SECURITY_IMPERSONATION, NTSEC_SECURITY_DYNAMIC_TRACKING,
                                    eo);
        struct seen a = one_message(0, CLIENT, &st), b = one_message(0, CLIENT, &dyn);

        CU_ASSERT_EQUAL(a.privileges, eo ? 1u : 2u);
        CU_ASSERT_EQUAL(a.effective_only, eo);
        CU_ASSERT_EQUAL(b.privileges, 2u);
        CU_ASSERT_EQUAL(b.effective_only, eo);
        seen_done(&a);
        seen_done(&b);
    }
    pfx_leave(&s);
}

/* Without SECURITY_SQOS_PRESENT the service impersonates at
 * SecurityImpersonation ("Impersonating a Named Pipe Client", Microsoft
 * docs), with dynamic tracking and EffectiveOnly (Wine's test_no_sqos and
 * test_no_sqos_no_token, on Windows: no disabled privilege shows, and the
 * client's later change does; ReactOS NpInitializeSecurity's default):
 * the context is the client's own primary token. */
static void no_sqos_means_impersonation_dynamic_effective_only(void)
{
    struct pfx_service s;
    struct client c = { .messages = 1 };
    struct ntsec_token *primary;
    ntsec_handle h;
    struct seen v;

    pfx_enter(&s, SERVICE, PFX_IMPERSONATE);
    c.process = pfx_process(CLIENT, 0);
    primary = ntsec_process_token(c.process);
    h = pfx_server(0);
    client_start(&c);
    ntsec_pipe_listen(h);
    serve(h);
    v = impersonate(h);
    reply(h);
    client_join(&c);
    CU_ASSERT_EQUAL(v.level, NTSEC_SECURITY_IMPERSONATION);
    CU_ASSERT_TRUE(v.effective_only);
    CU_ASSERT_PTR_EQUAL(v.token, primary);
    seen_done(&v);
    ntsec_token_put(primary);
    ntsec_handle_close(h);
    ntsec_object_put(c.process);
    pfx_leave(&s);
}

/* ERROR_CANNOT_IMPERSONATE: "Unable to impersonate using a named pipe
 * until data has been read from that pipe" (Microsoft docs, System Error
 * Codes; Wine's test_ImpersonateNamedPipeClient on Windows): under dynamic
 * tracking (the default) the context arrives with the first message read.
 * A static context is captured at the open and usable at once (ReactOS
 * NpInitializeSecurity). No client, or a disconnected one: none either. */
static void impersonation_needs_a_message_read_under_dynamic_tracking(void)
{
    struct pfx_service s;

    pfx_enter(&s, SERVICE, PFX_IMPERSONATE);
    for (uint8_t tracking = 0; tracking <= 1; tracking++) {
        struct ntsec_sqos q = pfx_qos(NTSEC_SECURITY_IMPERSONATION, tracking, 0);
        struct client c = { .process = pfx_process(CLIENT, 0), .qos = &q, .messages = 1 };
        ntsec_handle h = pfx_server(0);
        struct seen early, late;

        CU_ASSERT_EQUAL(ntsec_pipe_impersonate_client(h), NTSEC_STATUS_CANNOT_IMPERSONATE);
        client_start(&c);
        ntsec_pipe_listen(h);
        early = impersonate(h);
        CU_ASSERT_EQUAL(early.status, tracking ? NTSEC_STATUS_CANNOT_IMPERSONATE
                                               : NTSEC_STATUS_SUCCESS);
        serve(h);
        reply(h);
        client_join(&c);
        /* The client closed its end: its context stays (Wine: the service
         * impersonates after the client thread ended). */
        late = impersonate(h);
        CU_ASSERT_EQUAL(late.status, NTSEC_STATUS_SUCCESS);
        CU_ASSERT_EQUAL(late.rid, CLIENT);
        CU_ASSERT_EQUAL(ntsec_pipe_disconnect(h), NTSEC_STATUS_SUCCESS);
        CU_ASSERT_EQUAL(ntsec_pipe_impersonate_client(h), NTSEC_STATUS_CANNOT_IMPERSONATE);
        CU_ASSERT_PTR_NULL(ntsec_thread_impersonation(ntsec_thread_current(), NULL, NULL, NULL));
        seen_done(&early);
        seen_done(&late);
        ntsec_handle_close(h);
        ntsec_object_put(c.process);
    }
    pfx_leave(&s);
}

/* ImpersonateNamedPipeClient, Remarks (Microsoft docs): impersonation is
 * allowed with SeImpersonatePrivilege or when "the authenticated identity
 * is same as the caller"; otherwise the thread gets an Identification
 * copy ("Client Impersonation", Microsoft docs; docs/impersonation.md). */
static void service_without_impersonate_privilege_gets_identification(void)
{
    struct ntsec_sqos q = pfx_qos(NTSEC_SECURITY_IMPERSONATION, NTSEC_SECURITY_STATIC_TRACKING, 0);
    struct pfx_service s;
    struct seen other, same;

    pfx_enter(&s, SERVICE, 0);
    other = one_message(0, CLIENT, &q);
    same = one_message(0, SERVICE, &q);
    CU_ASSERT_EQUAL(other.status, NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(other.level, NTSEC_SECURITY_IDENTIFICATION);
    CU_ASSERT_EQUAL(other.rid, CLIENT);
    CU_ASSERT_EQUAL(same.level, NTSEC_SECURITY_IMPERSONATION);
    seen_done(&other);
    seen_done(&same);
    pfx_leave(&s);
}

/* SeCreateClientSecurity refuses a QoS above what an impersonating client
 * holds (STATUS_BAD_IMPERSONATION_LEVEL, docs/impersonation.md): under
 * static tracking the open fails; under dynamic tracking the capture is
 * made per write, and the write fails (ReactOS NpGetClientSecurityContext). */
static void client_cannot_grant_more_than_it_holds(void)
{
    struct pfx_service s;

    pfx_enter(&s, SERVICE, PFX_IMPERSONATE);
    for (uint8_t tracking = 0; tracking <= 1; tracking++) {
        struct ntsec_sqos q = pfx_qos(NTSEC_SECURITY_DELEGATION, tracking, 0);
        struct client c = { .process = pfx_process(CLIENT, 0), .qos = &q, .messages = 1,
                            .hook = impersonate_first };
        ntsec_handle h = pfx_server(0);

        c.token[0] = imp_token(CLIENT, 0);
        client_start(&c);
        pfx_join(&c.thread);
        if (tracking) {
            CU_ASSERT_EQUAL(c.opened, NTSEC_STATUS_SUCCESS);
            CU_ASSERT_EQUAL(c.wrote[0], NTSEC_STATUS_BAD_IMPERSONATION_LEVEL);
        } else {
            CU_ASSERT_EQUAL(c.opened, NTSEC_STATUS_BAD_IMPERSONATION_LEVEL);
        }
        ntsec_handle_close(h);
        ntsec_token_put(c.token[0]);
        ntsec_object_put(c.process);
    }
    pfx_leave(&s);
}

/* --- the pipe's security descriptor ------------------------------------------------ */

/* A client open of PFX_PATH as user `rid`, from a process of its own. */
static ntsec_status open_as(uint32_t rid, unsigned opts, uint32_t access)
{
    struct ntsec_process *p = pfx_process(rid, opts);
    struct pfx_call c = { .access = access };
    ntsec_status st = pfx_run_in(p, pfx_call_open, &c);

    ntsec_object_put(p);
    return st;
}

/* "Named Pipe Security and Access Rights" (Microsoft docs): the default
 * DACL gives LocalSystem, administrators and the creator owner full
 * control, Everyone and the anonymous account read. Another user may
 * open for reading, not for writing, unless an administrator. */
static void default_dacl_lets_others_read_only(void)
{
    struct pfx_service s;
    ntsec_handle h;

    pfx_enter(&s, SERVICE, PFX_NOT_ADMIN);
    h = pfx_server(0);
    CU_ASSERT_EQUAL(open_as(CLIENT, PFX_NOT_ADMIN, PFX_RW), NTSEC_STATUS_ACCESS_DENIED);
    CU_ASSERT_EQUAL(open_as(CLIENT, PFX_NOT_ADMIN, NTSEC_GENERIC_READ), NTSEC_STATUS_SUCCESS);
    ntsec_handle_close(h);
    h = pfx_server(0);
    CU_ASSERT_EQUAL(open_as(OTHER, 0, PFX_RW), NTSEC_STATUS_SUCCESS);         /* an administrator */
    ntsec_handle_close(h);
    h = pfx_server(0);
    CU_ASSERT_EQUAL(open_as(SERVICE, PFX_NOT_ADMIN, PFX_RW), NTSEC_STATUS_SUCCESS);  /* the owner */
    ntsec_handle_close(h);
    pfx_leave(&s);
}

/* CreateNamedPipeW, lpSecurityAttributes (Microsoft docs): the caller's
 * descriptor governs the pipe; its generic rights are mapped with the
 * file mapping when stored (SeAssignSecurity), so GRGW grants reading
 * and writing; a deny ACE refuses the open (ERROR_ACCESS_DENIED). */
static void explicit_descriptor_governs_the_open(void)
{
    struct pfx_service s;
    void *sd = NULL;
    uint32_t size;
    ntsec_handle h = 0;

    pfx_enter(&s, SERVICE, PFX_NOT_ADMIN);
    CU_ASSERT_FATAL(ntsec_sddl_to_sd("D:(D;;GA;;;S-1-5-21-1-2-3-1003)(A;;GRGW;;;WD)", NULL, 1,
                                     &sd, &size, NULL) == NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(pfx_create(NTSEC_PIPE_ACCESS_DUPLEX, 0, 1, sd, &h),
                          NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(open_as(OTHER, PFX_NOT_ADMIN, NTSEC_GENERIC_READ), NTSEC_STATUS_ACCESS_DENIED);
    CU_ASSERT_EQUAL(open_as(CLIENT, PFX_NOT_ADMIN, PFX_RW), NTSEC_STATUS_SUCCESS);
    ntsec_handle_close(h);
    ntsec_mem_free(sd);
    pfx_leave(&s);
}

/* "In addition to the requested access rights, the DACL must allow the
 * calling thread FILE_CREATE_PIPE_INSTANCE access" to create a further
 * instance (Microsoft docs, "Named Pipe Security and Access Rights"):
 * under the default DACL another user cannot, the owner can. */
static void further_instance_needs_create_pipe_instance(void)
{
    struct pfx_service s;
    struct ntsec_process *other;
    ntsec_handle h = 0, h2 = 0;

    pfx_enter(&s, SERVICE, PFX_NOT_ADMIN);
    CU_ASSERT_EQUAL_FATAL(pfx_create(NTSEC_PIPE_ACCESS_DUPLEX, 0, 4, NULL, &h),
                          NTSEC_STATUS_SUCCESS);
    other = pfx_process(CLIENT, PFX_NOT_ADMIN);
    CU_ASSERT_FATAL(ntsec_thread_bind(other) == NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(pfx_create(NTSEC_PIPE_ACCESS_DUPLEX, 0, 4, NULL, &h2),
                    NTSEC_STATUS_ACCESS_DENIED);
    CU_ASSERT_EQUAL(ntsec_handle_count(other), 0);
    CU_ASSERT_FATAL(ntsec_thread_bind(s.process) == NTSEC_STATUS_SUCCESS);
    ntsec_object_put(other);
    CU_ASSERT_EQUAL(pfx_create(NTSEC_PIPE_ACCESS_DUPLEX, 0, 4, NULL, &h2), NTSEC_STATUS_SUCCESS);
    ntsec_handle_close(h2);
    ntsec_handle_close(h);
    pfx_leave(&s);
}

static void impersonate_identification(struct client *c, int step)
{
    if (step == 0)
        ntsec_thread_impersonate(ntsec_thread_current(), c->token[0], false, false,
                                 NTSEC_SECURITY_IDENTIFICATION);
}

/* The open is checked with the client's effective token: impersonating
 * at Identification it cannot open objects (STATUS_BAD_IMPERSONATION_LEVEL,
 * "Impersonation Levels", Microsoft docs). A client may not read an
 * inbound pipe nor write an outbound one (ReactOS NpCreateClientEnd:
 * STATUS_ACCESS_DENIED; Microsoft docs, CreateNamedPipeW, dwOpenMode). */
static void open_checks_the_clients_effective_token_and_direction(void)
{
    struct pfx_service s;
    struct client c = { 0 };
    ntsec_handle h = 0, cl = 0;

    pfx_enter(&s, SERVICE, PFX_IMPERSONATE);
    h = pfx_server(0);
    c.process = pfx_process(CLIENT, 0);
    c.hook = impersonate_identification;
    c.token[0] = imp_token(CLIENT, 0);
    client_start(&c);
    pfx_join(&c.thread);
    CU_ASSERT_EQUAL(c.opened, NTSEC_STATUS_BAD_IMPERSONATION_LEVEL);
    ntsec_token_put(c.token[0]);
    ntsec_object_put(c.process);
    ntsec_handle_close(h);

    CU_ASSERT_EQUAL_FATAL(pfx_create(NTSEC_PIPE_ACCESS_INBOUND, 0, 1, NULL, &h),
                          NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_pipe_open(PFX_PATH, PFX_RW, NULL, 0, &cl), NTSEC_STATUS_ACCESS_DENIED);
    CU_ASSERT_EQUAL(ntsec_pipe_open(PFX_PATH, NTSEC_GENERIC_WRITE, NULL, 0, &cl), NTSEC_STATUS_SUCCESS);
    ntsec_handle_close(cl);
    ntsec_handle_close(h);
    CU_ASSERT_EQUAL_FATAL(pfx_create(NTSEC_PIPE_ACCESS_OUTBOUND, 0, 1, NULL, &h),
                          NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_pipe_open(PFX_PATH, NTSEC_GENERIC_WRITE, NULL, 0, &cl),
                    NTSEC_STATUS_ACCESS_DENIED);
    CU_ASSERT_EQUAL(ntsec_pipe_open(PFX_PATH, NTSEC_GENERIC_READ, NULL, 0, &cl), NTSEC_STATUS_SUCCESS);
    ntsec_handle_close(cl);
    ntsec_handle_close(h);
    pfx_leave(&s);
}

void register_tests(void)
{
    static CU_TestInfo security[] = {
        TEST(each_sqos_level_is_the_level_the_service_gets),
        TEST(identification_reads_the_client_but_cannot_open_objects),
        TEST(dynamic_tracking_follows_a_new_token_from_the_next_message_read),
        TEST(dynamic_tracking_sees_a_privilege_change_static_never),
        TEST(effective_only_hides_what_the_client_disabled),
        TEST(no_sqos_means_impersonation_dynamic_effective_only),
        TEST(impersonation_needs_a_message_read_under_dynamic_tracking),
        TEST(service_without_impersonate_privilege_gets_identification),
        TEST(client_cannot_grant_more_than_it_holds),
        TEST(default_dacl_lets_others_read_only),
        TEST(explicit_descriptor_governs_the_open),
        TEST(further_instance_needs_create_pipe_instance),
        TEST(open_checks_the_clients_effective_token_and_direction),
        CU_TEST_INFO_NULL,
    };

    testutil_add_suite("pipe_security", security);
}
