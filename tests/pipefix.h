/* pipefix.h - fixtures of the pipe tests (test_pipe, test_emul_pipe):
 * users as impfix.h makes them (Everyone, Users, Administrators enabled,
 * SeChangeNotify enabled, SeShutdown disabled; SeImpersonatePrivilege on
 * request) or with Administrators deny-only, processes running as them,
 * the calling pthread moved into a service process and back, a pthread
 * running a function in a chosen process; and for the native API, a
 * pipe, its ends, and blocking calls made on another pthread. */
#ifndef NTSEC_TESTS_PIPEFIX_H
#define NTSEC_TESTS_PIPEFIX_H

#include <pthread.h>

#include "impfix.h"
#include "ntsec/pipe.h"

enum {
    PFX_IMPERSONATE = 1,        /* SeImpersonatePrivilege enabled */
    PFX_NOT_ADMIN = 2,          /* Administrators deny-only (a filtered token) */
};

/* A token of user S-1-5-21-1-2-3-<rid>; `type` 0 is primary. A new
 * reference. */
static inline struct ntsec_token *pfx_token(uint32_t rid, unsigned opts,
                                            enum ntsec_token_type type,
                                            enum ntsec_impersonation_level level)
{
    struct imf_spec spec = {
        .rid = rid, .type = type, .level = level,
        .impersonate = (opts & PFX_IMPERSONATE) ? IMF_PRIV_ENABLED : IMF_NO_PRIV,
    };
    struct ntsec_token *t = imf_token(&spec), *filtered = NULL;
    struct ntsec_sid admins;
    struct ntsec_sid_and_attributes disable = { tf_sid(&admins, "S-1-5-32-544"), 0 };
    struct ntsec_token_filter f = { .sids_to_disable = &disable, .disable_count = 1 };

    if (!(opts & PFX_NOT_ADMIN))
        return t;
    CU_ASSERT_FATAL(ntsec_token_filter(t, &f, &filtered) == NTSEC_STATUS_SUCCESS);
    ntsec_token_put(t);
    return filtered;
}

/* A process running as a new primary token of `rid` (a new reference). */
static inline struct ntsec_process *pfx_process(uint32_t rid, unsigned opts)
{
    struct ntsec_token *t = pfx_token(rid, opts, 0, 0);
    struct ntsec_process *p = NULL;

    CU_ASSERT_FATAL(ntsec_process_create(t, "pipe test", &p) == NTSEC_STATUS_SUCCESS);
    ntsec_token_put(t);
    return p;
}

/* The calling pthread as a thread of a service process, and back: every
 * handle closed, no impersonation left, every pipe gone. */
struct pfx_service {
    struct ntsec_process *home, *process;
};

static inline void pfx_enter(struct pfx_service *s, uint32_t rid, unsigned opts)
{
    s->home = ntsec_process_current();
    s->process = pfx_process(rid, opts);
    CU_ASSERT_FATAL(ntsec_thread_bind(s->process) == NTSEC_STATUS_SUCCESS);
}

static inline void pfx_leave(struct pfx_service *s)
{
    ntsec_thread_revert(ntsec_thread_current());
    CU_ASSERT_EQUAL(ntsec_handle_count(s->process), 0);
    CU_ASSERT_EQUAL(ntsec_pipe_count(), 0);
    CU_ASSERT(ntsec_thread_bind(s->home) == NTSEC_STATUS_SUCCESS);
    ntsec_object_put(s->process);
}

/* A pthread running fn(arg) as a thread of `process`. */
struct pfx_thread {
    pthread_t t;
    struct ntsec_process *process;
    void (*fn)(void *arg);
    void *arg;
};

static inline void *pfx_thread_main(void *p)
{
    struct pfx_thread *t = p;

    if (ntsec_success(ntsec_thread_bind(t->process)))
        t->fn(t->arg);
    ntsec_thread_revert(ntsec_thread_current());
    return NULL;
}

static inline void pfx_start(struct pfx_thread *t, struct ntsec_process *process,
                             void (*fn)(void *), void *arg)
{
    t->process = process;
    t->fn = fn;
    t->arg = arg;
    CU_ASSERT_FATAL(pthread_create(&t->t, NULL, pfx_thread_main, t) == 0);
}

static inline void pfx_join(struct pfx_thread *t)
{
    pthread_join(t->t, NULL);
}

/* --- the native API: a pipe at PFX_PATH, its ends, calls on other threads --- */

#define PFX_PATH "\\\\.\\pipe\\ntsec-test"
#define PFX_RW (NTSEC_GENERIC_READ | NTSEC_GENERIC_WRITE)

/* CreateNamedPipe of PFX_PATH. */
static inline ntsec_status pfx_create(uint32_t open_mode, uint32_t pipe_mode, uint32_t instances,
                                const void *sd, ntsec_handle *h)
{
    struct ntsec_pipe_create_args a = {
        .name = PFX_PATH, .open_mode = open_mode, .pipe_mode = pipe_mode,
        .max_instances = instances, .sd = sd,
    };

    return ntsec_pipe_create(&a, h);
}

/* A duplex pipe of `pipe_mode`, one instance: its server end. */
static inline ntsec_handle pfx_server(uint32_t pipe_mode)
{
    ntsec_handle h = 0;

    CU_ASSERT_FATAL(pfx_create(NTSEC_PIPE_ACCESS_DUPLEX, pipe_mode, 1, NULL, &h) ==
                    NTSEC_STATUS_SUCCESS);
    return h;
}

/* A client end of PFX_PATH with `access`. */
static inline ntsec_handle pfx_client(uint32_t access)
{
    ntsec_handle h = 0;

    CU_ASSERT_FATAL(ntsec_pipe_open(PFX_PATH, access, NULL, 0, &h) == NTSEC_STATUS_SUCCESS);
    return h;
}

static inline struct ntsec_sqos pfx_qos(enum ntsec_impersonation_level level, uint8_t tracking,
                                          uint8_t eo)
{
    return (struct ntsec_sqos){ sizeof(struct ntsec_sqos), level, tracking, eo };
}

/* One blocking call on another pthread: its arguments and result. */
struct pfx_call {
    ntsec_handle pipe;
    uint32_t access;
    ntsec_status status;
    uint32_t n;
};

static inline void pfx_call_open(void *arg)
{
    struct pfx_call *c = arg;
    ntsec_handle h = 0;

    c->status = ntsec_pipe_open(PFX_PATH, c->access, NULL, 0, &h);
    if (h)
        ntsec_handle_close(h);
}

static inline void pfx_call_listen(void *arg)
{
    struct pfx_call *c = arg;

    c->status = ntsec_pipe_listen(c->pipe);
}

static inline void pfx_call_read(void *arg)
{
    struct pfx_call *c = arg;
    char buf[8];

    c->status = ntsec_pipe_read(c->pipe, buf, sizeof(buf), &c->n);
}

static inline void pfx_call_wait(void *arg)
{
    struct pfx_call *c = arg;

    c->status = ntsec_pipe_wait(PFX_PATH, 10000);
}

/* Run `fn` on a pthread of `process` and wait for it. */
static inline ntsec_status pfx_run_in(struct ntsec_process *process, void (*fn)(void *),
                                      struct pfx_call *c)
{
    struct pfx_thread t;

    c->status = NTSEC_STATUS_UNSUCCESSFUL;
    pfx_start(&t, process, fn, c);
    pfx_join(&t);
    return c->status;
}

/* A client open as user `rid` from a process of its own. */

#endif
