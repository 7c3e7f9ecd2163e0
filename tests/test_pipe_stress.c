/* test_pipe_stress.c - named pipes under load: services and clients on
 * many threads of two processes at once, each connection impersonated;
 * built with ThreadSanitizer too by `make check-tsan` (a race fails it).
 * The rules checked are test_pipe.c's and test_pipe_security.c's. */
#include "ntsec/ntsec.h"
#include "pipefix.h"
#include "testutil.h"

#define SERVICE 1001u
#define CLIENT 1002u

#define STRESS_PIPES 3
#define STRESS_CLIENTS_PER_PIPE 2
#define STRESS_ROUNDS 25

static const char *const stress_path[STRESS_PIPES] = {
    "\\\\.\\pipe\\stress-0", "\\\\.\\pipe\\stress-1", "\\\\.\\pipe\\stress-2",
};

struct stress {
    int index;                              /* which pipe */
    ntsec_handle pipe;                      /* the service's end */
    int failures;
};

/* A service: each connection is listen, read, impersonate (the client's
 * user), reply, the client's close seen as a broken pipe, disconnect. */
static void stress_service(void *arg)
{
    struct stress *s = arg;
    char byte;

    for (int n = 0; n < STRESS_CLIENTS_PER_PIPE * STRESS_ROUNDS; n++) {
        ntsec_status st = ntsec_pipe_listen(s->pipe);
        struct ntsec_token *t;

        s->failures += st != NTSEC_STATUS_SUCCESS && st != NTSEC_STATUS_PIPE_CONNECTED;
        s->failures += ntsec_pipe_read(s->pipe, &byte, 1, NULL) != NTSEC_STATUS_SUCCESS;
        s->failures += ntsec_pipe_impersonate_client(s->pipe) != NTSEC_STATUS_SUCCESS;
        t = ntsec_thread_impersonation(ntsec_thread_current(), NULL, NULL, NULL);
        s->failures += !t || imf_user_rid(t) != CLIENT;
        if (t)
            ntsec_token_put(t);
        ntsec_thread_revert(ntsec_thread_current());
        s->failures += ntsec_pipe_write(s->pipe, "r", 1, NULL) != NTSEC_STATUS_SUCCESS;
        s->failures += ntsec_pipe_read(s->pipe, &byte, 1, NULL) != NTSEC_STATUS_PIPE_BROKEN;
        s->failures += ntsec_pipe_disconnect(s->pipe) != NTSEC_STATUS_SUCCESS;
    }
}

/* A client: each round waits for a free instance, opens it (static and
 * dynamic tracking in turn), sends a byte, reads the reply, closes. */
static void stress_client(void *arg)
{
    struct stress *s = arg;
    char byte;

    for (int r = 0; r < STRESS_ROUNDS; r++) {
        struct ntsec_sqos q = pfx_qos(NTSEC_SECURITY_IMPERSONATION, r & 1, 0);
        ntsec_handle h = 0;
        ntsec_status st;

        while ((st = ntsec_pipe_open(stress_path[s->index], PFX_RW, &q, 0, &h)) ==
               NTSEC_STATUS_PIPE_NOT_AVAILABLE)
            ntsec_pipe_wait(stress_path[s->index], NTSEC_PIPE_WAIT_FOREVER);
        s->failures += st != NTSEC_STATUS_SUCCESS;
        if (!ntsec_success(st))
            continue;
        s->failures += ntsec_pipe_write(h, "m", 1, NULL) != NTSEC_STATUS_SUCCESS;
        s->failures += ntsec_pipe_read(h, &byte, 1, NULL) != NTSEC_STATUS_SUCCESS;
        ntsec_handle_close(h);
    }
}

/* Services and clients on many threads of two processes at once: every
 * call succeeds, each service sees its clients' user, and nothing is
 * left (run under ThreadSanitizer too). */
static void many_clients_and_services_at_once(void)
{
    struct stress services[STRESS_PIPES], clients[STRESS_PIPES * STRESS_CLIENTS_PER_PIPE];
    struct pfx_thread st[STRESS_PIPES], ct[STRESS_PIPES * STRESS_CLIENTS_PER_PIPE];
    struct ntsec_process *client = pfx_process(CLIENT, 0);
    struct pfx_service s;

    pfx_enter(&s, SERVICE, PFX_IMPERSONATE);
    for (int k = 0; k < STRESS_PIPES; k++) {
        struct ntsec_pipe_create_args a = { .name = stress_path[k],
                                            .open_mode = NTSEC_PIPE_ACCESS_DUPLEX,
                                            .max_instances = 1 };

        services[k] = (struct stress){ .index = k };
        CU_ASSERT_FATAL(ntsec_pipe_create(&a, &services[k].pipe) == NTSEC_STATUS_SUCCESS);
        pfx_start(&st[k], s.process, stress_service, &services[k]);
    }
    for (int c = 0; c < STRESS_PIPES * STRESS_CLIENTS_PER_PIPE; c++) {
        clients[c] = (struct stress){ .index = c % STRESS_PIPES };
        pfx_start(&ct[c], client, stress_client, &clients[c]);
    }
    for (int c = 0; c < STRESS_PIPES * STRESS_CLIENTS_PER_PIPE; c++) {
        pfx_join(&ct[c]);
        CU_ASSERT_EQUAL(clients[c].failures, 0);
    }
    for (int k = 0; k < STRESS_PIPES; k++) {
        pfx_join(&st[k]);
        CU_ASSERT_EQUAL(services[k].failures, 0);
        ntsec_handle_close(services[k].pipe);
    }
    CU_ASSERT_EQUAL(ntsec_handle_count(client), 0);
    pfx_leave(&s);
    ntsec_object_put(client);
}

void register_tests(void)
{
    static CU_TestInfo tests[] = {
        TEST(many_clients_and_services_at_once),
        CU_TEST_INFO_NULL,
    };

    testutil_add_suite("pipe_stress", tests);
}
