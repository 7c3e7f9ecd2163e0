/* test_pipe.c - named pipes through the native API (ntsec/pipe.h): the
 * namespace and its errors, instances, message and byte modes, connect,
 * disconnect and close, blocking calls, process ids, WaitNamedPipe, bad
 * input and allocation failure. The security of pipes is
 * test_pipe_security.c's; many clients at once, test_pipe_stress.c's.
 *
 * Windows' results: Microsoft docs (CreateNamedPipeW, CreateFileW,
 * ConnectNamedPipe, DisconnectNamedPipe, ReadFile, PeekNamedPipe,
 * WaitNamedPipe, GetNamedPipeClientProcessId), what Wine's
 * dlls/kernel32/tests/pipe.c asserts on Windows (named per test), and
 * ReactOS' NPFS read for behaviour. docs/pipes.md holds the rules.
 *
 * Each test runs in a service process of user S-1-5-21-1-2-3-1001;
 * clients open from the same thread unless a test says otherwise. */
#include <sched.h>

#include "ntsec/ntsec.h"
#include "pipe.h"
#include "pipefix.h"
#include "testutil.h"

#define SERVICE 1001u
#define CLIENT 1002u

/* --- the namespace and its errors ------------------------------------------------------ */

/* Wine's test_CreateNamedPipe on Windows: a missing pipe is
 * ERROR_FILE_NOT_FOUND, a connected single instance ERROR_PIPE_BUSY (also
 * after its client closed, until DisconnectNamedPipe and ConnectNamedPipe),
 * names ignore case; test_CreateNamedPipe_instances_must_match: one
 * instance too many is ERROR_PIPE_BUSY, another direction
 * ERROR_ACCESS_DENIED; CreateNamedPipeW (Microsoft docs):
 * FILE_FLAG_FIRST_PIPE_INSTANCE on an existing pipe ERROR_ACCESS_DENIED. */
static void namespace_errors_are_windows(void)
{
    struct pfx_service s;
    ntsec_handle h, h2 = 0, c = 0, c2 = 0;

    pfx_enter(&s, SERVICE, 0);
    CU_ASSERT_EQUAL(ntsec_pipe_open(PFX_PATH, PFX_RW, NULL, 0, &c), NTSEC_STATUS_OBJECT_NAME_NOT_FOUND);
    h = pfx_server(0);
    CU_ASSERT_EQUAL(pfx_create(NTSEC_PIPE_ACCESS_DUPLEX, 0, 1, NULL, &h2),
                    NTSEC_STATUS_INSTANCE_NOT_AVAILABLE);
    CU_ASSERT_EQUAL(ntsec_pipe_open("\\\\.\\PIPE\\NTSEC-TEST", PFX_RW, NULL, 0, &c),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_pipe_open(PFX_PATH, PFX_RW, NULL, 0, &c2), NTSEC_STATUS_PIPE_NOT_AVAILABLE);
    ntsec_handle_close(c);
    CU_ASSERT_EQUAL(ntsec_pipe_open(PFX_PATH, PFX_RW, NULL, 0, &c2), NTSEC_STATUS_PIPE_NOT_AVAILABLE);
    CU_ASSERT_EQUAL(ntsec_pipe_disconnect(h), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_pipe_open(PFX_PATH, PFX_RW, NULL, 0, &c2), NTSEC_STATUS_PIPE_NOT_AVAILABLE);
    ntsec_handle_close(h);

    CU_ASSERT_EQUAL_FATAL(pfx_create(NTSEC_PIPE_ACCESS_DUPLEX, 0, 2, NULL, &h),
                          NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(pfx_create(NTSEC_PIPE_ACCESS_INBOUND, 0, 2, NULL, &h2),
                    NTSEC_STATUS_ACCESS_DENIED);
    CU_ASSERT_EQUAL(pfx_create(NTSEC_PIPE_ACCESS_DUPLEX | NTSEC_FILE_FLAG_FIRST_PIPE_INSTANCE, 0,
                                2, NULL, &h2), NTSEC_STATUS_ACCESS_DENIED);
    CU_ASSERT_EQUAL(pfx_create(NTSEC_PIPE_ACCESS_DUPLEX, NTSEC_PIPE_TYPE_MESSAGE, 3, NULL, &h2),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_pipe_count(), 1);
    ntsec_handle_close(h2);
    ntsec_handle_close(h);
    CU_ASSERT_EQUAL(ntsec_pipe_open(PFX_PATH, PFX_RW, NULL, 0, &c), NTSEC_STATUS_OBJECT_NAME_NOT_FOUND);
    pfx_leave(&s);
}

/* Wine's test_multiple_instances on Windows: a client connects to the
 * instance that has listened longest. */
static void client_connects_to_the_oldest_listener(void)
{
    struct pfx_service s;
    ntsec_handle srv[3], c = 0;

    pfx_enter(&s, SERVICE, 0);
    for (int n = 0; n < 3; n++)
        CU_ASSERT_EQUAL_FATAL(pfx_create(NTSEC_PIPE_ACCESS_DUPLEX, NTSEC_PIPE_NOWAIT, 3, NULL,
                                          &srv[n]), NTSEC_STATUS_SUCCESS);
    c = pfx_client(PFX_RW);
    CU_ASSERT_EQUAL(ntsec_pipe_listen(srv[0]), NTSEC_STATUS_PIPE_CONNECTED);
    CU_ASSERT_EQUAL(ntsec_pipe_listen(srv[1]), NTSEC_STATUS_PIPE_LISTENING);
    ntsec_handle_close(c);
    CU_ASSERT_EQUAL(ntsec_pipe_disconnect(srv[0]), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_pipe_listen(srv[0]), NTSEC_STATUS_PIPE_LISTENING);
    c = pfx_client(PFX_RW);
    CU_ASSERT_EQUAL(ntsec_pipe_listen(srv[1]), NTSEC_STATUS_PIPE_CONNECTED);
    ntsec_handle_close(c);
    c = pfx_client(PFX_RW);
    CU_ASSERT_EQUAL(ntsec_pipe_listen(srv[2]), NTSEC_STATUS_PIPE_CONNECTED);
    ntsec_handle_close(c);
    c = pfx_client(PFX_RW);
    CU_ASSERT_EQUAL(ntsec_pipe_listen(srv[0]), NTSEC_STATUS_PIPE_CONNECTED);
    ntsec_handle_close(c);
    for (int n = 0; n < 3; n++)
        ntsec_handle_close(srv[n]);
    pfx_leave(&s);
}

/* --- data -------------------------------------------------------------------------------- */

/* Wine's test_CreateNamedPipe (message mode) and test_ReadFile on
 * Windows: a message longer than the buffer is ERROR_MORE_DATA with the
 * bytes that fit, the rest comes with the next read; byte read mode runs
 * messages together; PeekNamedPipe shows the first message of a
 * message-type pipe and all bytes queued. */
static void message_mode_reads_one_message_at_a_time(void)
{
    struct pfx_service s;
    struct ntsec_pipe_peek p;
    char buf[32] = { 0 };
    uint32_t n = 0;
    ntsec_handle h, c;

    pfx_enter(&s, SERVICE, 0);
    h = pfx_server(NTSEC_PIPE_TYPE_MESSAGE | NTSEC_PIPE_READMODE_MESSAGE);
    c = pfx_client(PFX_RW);
    CU_ASSERT_EQUAL(ntsec_pipe_write(c, "Bit Bucket", 11, &n), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(n, 11);
    CU_ASSERT_EQUAL(ntsec_pipe_write(c, "More", 5, NULL), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_pipe_peek(h, buf, 4, &p), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(p.read, 4);
    CU_ASSERT_EQUAL(p.available, 16);
    CU_ASSERT_EQUAL(p.message_length, 11);
    CU_ASSERT_EQUAL(ntsec_pipe_read(h, buf, 4, &n), NTSEC_STATUS_BUFFER_OVERFLOW);
    CU_ASSERT_EQUAL(n, 4);
    CU_ASSERT_EQUAL(ntsec_pipe_read(h, buf + 4, sizeof(buf) - 4, &n), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(n, 7);
    CU_ASSERT_STRING_EQUAL(buf, "Bit Bucket");
    CU_ASSERT_EQUAL(ntsec_pipe_read(h, buf, sizeof(buf), &n), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(n, 5);

    /* The client end starts in byte read mode: messages run together. */
    ntsec_pipe_write(h, "ab", 2, NULL);
    ntsec_pipe_write(h, "cd", 2, NULL);
    CU_ASSERT_EQUAL(ntsec_pipe_read(c, buf, sizeof(buf), &n), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(n, 4);
    CU_ASSERT_EQUAL(ntsec_pipe_set_mode(c, NTSEC_PIPE_READMODE_MESSAGE), NTSEC_STATUS_SUCCESS);
    ntsec_pipe_write(h, "ab", 2, NULL);
    ntsec_pipe_write(h, "cd", 2, NULL);
    CU_ASSERT_EQUAL(ntsec_pipe_read(c, buf, sizeof(buf), &n), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(n, 2);
    CU_ASSERT_EQUAL(ntsec_pipe_read(c, buf, sizeof(buf), &n), NTSEC_STATUS_SUCCESS);
    ntsec_handle_close(c);
    ntsec_handle_close(h);
    pfx_leave(&s);
}

/* Wine's test_CreateNamedPipe (byte mode), test_NamedPipeHandleState on
 * Windows: a byte-type pipe merges writes, a short read is no error,
 * message read mode is refused at either end (ERROR_INVALID_PARAMETER). */
static void byte_mode_runs_writes_together(void)
{
    struct pfx_service s;
    char buf[8];
    uint32_t n = 0;
    ntsec_handle h, c;

    pfx_enter(&s, SERVICE, 0);
    h = pfx_server(0);
    c = pfx_client(PFX_RW);
    ntsec_pipe_write(c, "abc", 3, NULL);
    ntsec_pipe_write(c, "def", 3, NULL);
    CU_ASSERT_EQUAL(ntsec_pipe_read(h, buf, 4, &n), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(n, 4);
    CU_ASSERT_EQUAL(ntsec_pipe_read(h, buf, sizeof(buf), &n), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(n, 2);
    CU_ASSERT_EQUAL(ntsec_pipe_set_mode(h, NTSEC_PIPE_READMODE_MESSAGE),
                    NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_pipe_set_mode(c, NTSEC_PIPE_READMODE_MESSAGE),
                    NTSEC_STATUS_INVALID_PARAMETER);
    ntsec_handle_close(c);
    ntsec_handle_close(h);
    pfx_leave(&s);
}

/* --- connect, disconnect, close ------------------------------------------------------------ */

/* Wine's test_DisconnectNamedPipe, test_ReadFile and test_nowait on
 * Windows: before a client, I/O is ERROR_PIPE_LISTENING; after
 * DisconnectNamedPipe both ends get ERROR_PIPE_NOT_CONNECTED even with
 * bytes waiting, a second disconnect too; PeekNamedPipe on the server is
 * then ERROR_BAD_PIPE; a NOWAIT server's listen is ERROR_PIPE_LISTENING
 * and a NOWAIT read of an empty pipe ERROR_NO_DATA. */
static void disconnect_drops_the_client_and_its_data(void)
{
    struct pfx_service s;
    struct ntsec_pipe_peek p;
    char buf[8];
    ntsec_handle h, c;

    pfx_enter(&s, SERVICE, 0);
    h = pfx_server(NTSEC_PIPE_NOWAIT);
    CU_ASSERT_EQUAL(ntsec_pipe_write(h, "x", 1, NULL), NTSEC_STATUS_PIPE_LISTENING);
    CU_ASSERT_EQUAL(ntsec_pipe_read(h, buf, 1, NULL), NTSEC_STATUS_PIPE_LISTENING);
    CU_ASSERT_EQUAL(ntsec_pipe_peek(h, NULL, 0, &p), NTSEC_STATUS_INVALID_PIPE_STATE);
    CU_ASSERT_EQUAL(ntsec_pipe_listen(h), NTSEC_STATUS_PIPE_LISTENING);
    c = pfx_client(PFX_RW);
    CU_ASSERT_EQUAL(ntsec_pipe_read(h, buf, 1, NULL), NTSEC_STATUS_PIPE_EMPTY);
    ntsec_pipe_write(c, "x", 1, NULL);
    ntsec_pipe_write(h, "y", 1, NULL);
    CU_ASSERT_EQUAL(ntsec_pipe_disconnect(h), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_pipe_write(c, "x", 1, NULL), NTSEC_STATUS_PIPE_DISCONNECTED);
    CU_ASSERT_EQUAL(ntsec_pipe_write(h, "x", 1, NULL), NTSEC_STATUS_PIPE_DISCONNECTED);
    CU_ASSERT_EQUAL(ntsec_pipe_read(c, buf, 1, NULL), NTSEC_STATUS_PIPE_DISCONNECTED);
    CU_ASSERT_EQUAL(ntsec_pipe_read(h, buf, 1, NULL), NTSEC_STATUS_PIPE_DISCONNECTED);
    CU_ASSERT_EQUAL(ntsec_pipe_peek(c, NULL, 0, &p), NTSEC_STATUS_PIPE_DISCONNECTED);
    CU_ASSERT_EQUAL(ntsec_pipe_peek(h, NULL, 0, &p), NTSEC_STATUS_INVALID_PIPE_STATE);
    CU_ASSERT_EQUAL(ntsec_pipe_disconnect(h), NTSEC_STATUS_PIPE_DISCONNECTED);
    ntsec_handle_close(c);
    /* Reconnect: listening again, a new client comes in. */
    CU_ASSERT_EQUAL(ntsec_pipe_listen(h), NTSEC_STATUS_PIPE_LISTENING);
    c = pfx_client(PFX_RW);
    CU_ASSERT_EQUAL(ntsec_pipe_listen(h), NTSEC_STATUS_PIPE_CONNECTED);
    CU_ASSERT_EQUAL(ntsec_pipe_write(c, "z", 1, NULL), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_pipe_read(h, buf, 1, NULL), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(buf[0], 'z');
    ntsec_handle_close(c);
    ntsec_handle_close(h);
    pfx_leave(&s);
}

/* Wine's test_CloseHandle and test_nowait on Windows: when one end
 * closes, the other still reads what was written, then gets
 * ERROR_BROKEN_PIPE; its writes get ERROR_NO_DATA; the server's listen
 * ERROR_NO_DATA until it disconnects. A zero-length message is a read of
 * its own. Both ends closed: the pipe is gone. */
static void closing_one_end_breaks_the_pipe_after_its_data(void)
{
    struct pfx_service s;
    struct ntsec_pipe_peek p;
    char buf[8];
    uint32_t n = 9;
    ntsec_handle h, c;

    pfx_enter(&s, SERVICE, 0);
    h = pfx_server(NTSEC_PIPE_TYPE_MESSAGE | NTSEC_PIPE_READMODE_MESSAGE);
    c = pfx_client(PFX_RW);
    ntsec_pipe_write(c, "hello", 5, NULL);
    ntsec_pipe_write(c, "", 0, NULL);
    ntsec_handle_close(c);
    CU_ASSERT_EQUAL(ntsec_pipe_listen(h), NTSEC_STATUS_PIPE_CLOSING);
    CU_ASSERT_EQUAL(ntsec_pipe_write(h, "x", 1, NULL), NTSEC_STATUS_PIPE_CLOSING);
    CU_ASSERT_EQUAL(ntsec_pipe_read(h, buf, sizeof(buf), &n), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(n, 5);
    CU_ASSERT_EQUAL(ntsec_pipe_read(h, buf, sizeof(buf), &n), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(n, 0);
    CU_ASSERT_EQUAL(ntsec_pipe_read(h, buf, sizeof(buf), &n), NTSEC_STATUS_PIPE_BROKEN);
    CU_ASSERT_EQUAL(ntsec_pipe_peek(h, NULL, 0, &p), NTSEC_STATUS_PIPE_BROKEN);
    CU_ASSERT_EQUAL(ntsec_pipe_disconnect(h), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_pipe_set_mode(h, NTSEC_PIPE_READMODE_MESSAGE | NTSEC_PIPE_NOWAIT),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_pipe_listen(h), NTSEC_STATUS_PIPE_LISTENING);
    c = pfx_client(PFX_RW);
    ntsec_pipe_write(h, "bye", 3, NULL);
    ntsec_handle_close(h);
    CU_ASSERT_EQUAL(ntsec_pipe_count(), 1);
    CU_ASSERT_EQUAL(ntsec_pipe_write(c, "x", 1, NULL), NTSEC_STATUS_PIPE_CLOSING);
    CU_ASSERT_EQUAL(ntsec_pipe_read(c, buf, sizeof(buf), &n), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(n, 3);
    CU_ASSERT_EQUAL(ntsec_pipe_read(c, buf, sizeof(buf), &n), NTSEC_STATUS_PIPE_BROKEN);
    ntsec_handle_close(c);
    CU_ASSERT_EQUAL(ntsec_pipe_count(), 0);
    pfx_leave(&s);
}

/* Threads waiting on the instance behind the server end `h` (white box:
 * a waiter pins it, libsec/pipe.h). */
static long waiters(ntsec_handle h)
{
    struct ntsec_pipe_end *e;
    long n;

    CU_ASSERT_FATAL(ntsec__pipe_end_ref(h, 0, &e) == NTSEC_STATUS_SUCCESS);
    pthread_mutex_lock(&ntsec__pipe_lock);
    n = e->inst->refs - 1 - (e->inst->ends[PIPE_END_CLIENT] != NULL);
    pthread_mutex_unlock(&ntsec__pipe_lock);
    ntsec_object_put(e);
    return n;
}

static void await_waiter(ntsec_handle h)
{
    while (waiters(h) == 0)
        sched_yield();
}

/* ConnectNamedPipe (Microsoft docs) waits for a client and then succeeds;
 * DisconnectNamedPipe on a listening instance completes a waiting
 * ConnectNamedPipe with STATUS_PIPE_DISCONNECTED (ReactOS
 * NpSetDisconnectedPipeState, behaviour). */
static void listen_waits_for_a_client_or_a_disconnect(void)
{
    struct pfx_service s;
    struct pfx_call l = { .status = NTSEC_STATUS_UNSUCCESSFUL };
    struct pfx_thread t;
    ntsec_handle h, c;

    pfx_enter(&s, SERVICE, 0);
    l.pipe = h = pfx_server(0);
    pfx_start(&t, s.process, pfx_call_listen, &l);
    await_waiter(h);
    c = pfx_client(PFX_RW);
    pfx_join(&t);
    CU_ASSERT_EQUAL(l.status, NTSEC_STATUS_SUCCESS);
    ntsec_handle_close(c);
    CU_ASSERT_EQUAL(ntsec_pipe_disconnect(h), NTSEC_STATUS_SUCCESS);

    l.status = NTSEC_STATUS_UNSUCCESSFUL;
    pfx_start(&t, s.process, pfx_call_listen, &l);
    await_waiter(h);
    CU_ASSERT_EQUAL(ntsec_pipe_disconnect(h), NTSEC_STATUS_SUCCESS);
    pfx_join(&t);
    CU_ASSERT_EQUAL(l.status, NTSEC_STATUS_PIPE_DISCONNECTED);
    ntsec_handle_close(h);
    pfx_leave(&s);
}

/* A blocked ReadFile wakes with the client's data, and with
 * ERROR_BROKEN_PIPE when the client closes instead (Wine's
 * test_CloseHandle; Microsoft docs, ReadFile: it returns when data is
 * written or an error occurs). */
static void blocked_read_wakes_with_data_or_a_broken_pipe(void)
{
    struct pfx_service s;
    struct pfx_call r = { .status = NTSEC_STATUS_UNSUCCESSFUL };
    struct pfx_thread t;
    ntsec_handle h, c;

    pfx_enter(&s, SERVICE, 0);
    r.pipe = h = pfx_server(0);
    c = pfx_client(PFX_RW);
    pfx_start(&t, s.process, pfx_call_read, &r);
    await_waiter(h);
    ntsec_pipe_write(c, "abc", 3, NULL);
    pfx_join(&t);
    CU_ASSERT_EQUAL(r.status, NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(r.n, 3);
    pfx_start(&t, s.process, pfx_call_read, &r);
    await_waiter(h);
    ntsec_handle_close(c);
    pfx_join(&t);
    CU_ASSERT_EQUAL(r.status, NTSEC_STATUS_PIPE_BROKEN);
    ntsec_handle_close(h);
    pfx_leave(&s);
}

/* GetNamedPipeClientProcessId / GetNamedPipeServerProcessId (Microsoft
 * docs; Wine's test_namedpipe_process_id on Windows): each end knows the
 * client's and the server's process; after the other end closed still;
 * a disconnected server has no client (ERROR_NOT_FOUND), a disconnected
 * client end answers ERROR_PIPE_NOT_CONNECTED. */
static void both_ends_know_both_process_ids(void)
{
    struct pfx_service s;
    struct ntsec_process *client = pfx_process(CLIENT, 0);
    uint32_t cid = ntsec_process_id(client), sid, pid = 0;
    ntsec_handle h, c;

    pfx_enter(&s, SERVICE, 0);
    sid = ntsec_process_id(s.process);
    h = pfx_server(0);
    CU_ASSERT_EQUAL(ntsec_pipe_client_process_id(h, &pid), NTSEC_STATUS_NOT_FOUND);
    CU_ASSERT_FATAL(ntsec_thread_bind(client) == NTSEC_STATUS_SUCCESS);
    c = pfx_client(PFX_RW);
    CU_ASSERT_EQUAL(ntsec_pipe_client_process_id(c, &pid), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(pid, cid);
    CU_ASSERT_EQUAL(ntsec_pipe_server_process_id(c, &pid), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(pid, sid);
    CU_ASSERT_FATAL(ntsec_thread_bind(s.process) == NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_pipe_client_process_id(h, &pid), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(pid, cid);
    CU_ASSERT_EQUAL(ntsec_pipe_server_process_id(h, &pid), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(pid, sid);
    CU_ASSERT_EQUAL(ntsec_pipe_disconnect(h), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_pipe_client_process_id(h, &pid), NTSEC_STATUS_NOT_FOUND);
    CU_ASSERT_EQUAL(ntsec_pipe_server_process_id(h, &pid), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_FATAL(ntsec_thread_bind(client) == NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_pipe_client_process_id(c, &pid), NTSEC_STATUS_PIPE_DISCONNECTED);
    CU_ASSERT_EQUAL(ntsec_pipe_server_process_id(c, &pid), NTSEC_STATUS_PIPE_DISCONNECTED);
    ntsec_handle_close(c);
    CU_ASSERT_FATAL(ntsec_thread_bind(s.process) == NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_pipe_set_mode(h, NTSEC_PIPE_NOWAIT), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_pipe_listen(h), NTSEC_STATUS_PIPE_LISTENING);
    CU_ASSERT_FATAL(ntsec_thread_bind(client) == NTSEC_STATUS_SUCCESS);
    c = pfx_client(PFX_RW);
    CU_ASSERT_FATAL(ntsec_thread_bind(s.process) == NTSEC_STATUS_SUCCESS);
    ntsec_handle_close(h);
    CU_ASSERT_FATAL(ntsec_thread_bind(client) == NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_pipe_server_process_id(c, &pid), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(pid, sid);
    CU_ASSERT_EQUAL(ntsec_pipe_client_process_id(c, &pid), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(pid, cid);
    ntsec_handle_close(c);
    CU_ASSERT_FATAL(ntsec_thread_bind(s.process) == NTSEC_STATUS_SUCCESS);
    ntsec_object_put(client);
    pfx_leave(&s);
}

/* WaitNamedPipe (Microsoft docs; Wine's test_wait_pipe on Windows): no
 * such pipe is ERROR_FILE_NOT_FOUND at once, a listening instance returns
 * at once, none listening times out with ERROR_SEM_TIMEOUT, and a new
 * instance releases a waiter. */
static void wait_returns_when_an_instance_listens(void)
{
    struct pfx_service s;
    struct pfx_call w = { .status = NTSEC_STATUS_UNSUCCESSFUL };
    struct pfx_thread t;
    ntsec_handle h, h2 = 0, c;

    pfx_enter(&s, SERVICE, 0);
    CU_ASSERT_EQUAL(ntsec_pipe_wait(PFX_PATH, 0), NTSEC_STATUS_OBJECT_NAME_NOT_FOUND);
    CU_ASSERT_EQUAL_FATAL(pfx_create(NTSEC_PIPE_ACCESS_DUPLEX, 0, 2, NULL, &h),
                          NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_pipe_wait(PFX_PATH, 1), NTSEC_STATUS_SUCCESS);
    c = pfx_client(PFX_RW);
    CU_ASSERT_EQUAL(ntsec_pipe_wait(PFX_PATH, 1), NTSEC_STATUS_IO_TIMEOUT);
    CU_ASSERT_EQUAL(ntsec_pipe_wait(PFX_PATH, NTSEC_PIPE_WAIT_DEFAULT), NTSEC_STATUS_IO_TIMEOUT);
    pfx_start(&t, s.process, pfx_call_wait, &w);
    CU_ASSERT_EQUAL(pfx_create(NTSEC_PIPE_ACCESS_DUPLEX, 0, 2, NULL, &h2), NTSEC_STATUS_SUCCESS);
    pfx_join(&t);
    CU_ASSERT_EQUAL(w.status, NTSEC_STATUS_SUCCESS);
    ntsec_handle_close(c);
    ntsec_handle_close(h2);
    ntsec_handle_close(h);
    pfx_leave(&s);
}

/* --- bad input -------------------------------------------------------------------------- */

/* CreateNamedPipeW (Microsoft docs; Wine's test_CreateNamedPipe on
 * Windows): a name outside \\.\pipe\ is ERROR_INVALID_NAME; no direction,
 * unknown bits, 0 or more than 255 instances, a byte-type pipe read in
 * message mode are ERROR_INVALID_PARAMETER. Nothing is created. */
static void bad_create_arguments_create_nothing(void)
{
    static const struct {
        const char *name;
        uint32_t open_mode, pipe_mode, instances;
        ntsec_status status;
    } rows[] = {
        { "not a named pipe", NTSEC_PIPE_ACCESS_DUPLEX, 0, 1, NTSEC_STATUS_OBJECT_NAME_INVALID },
        { "\\\\.\\pipe\\", NTSEC_PIPE_ACCESS_DUPLEX, 0, 1, NTSEC_STATUS_OBJECT_NAME_INVALID },
        { "\\\\.\\pip\\x", NTSEC_PIPE_ACCESS_DUPLEX, 0, 1, NTSEC_STATUS_OBJECT_NAME_INVALID },
        { NULL, NTSEC_PIPE_ACCESS_DUPLEX, 0, 1, NTSEC_STATUS_INVALID_PARAMETER },
        { PFX_PATH, 0, 0, 1, NTSEC_STATUS_INVALID_PARAMETER },
        { PFX_PATH, NTSEC_PIPE_ACCESS_DUPLEX | 0x100, 0, 1, NTSEC_STATUS_INVALID_PARAMETER },
        { PFX_PATH, NTSEC_PIPE_ACCESS_DUPLEX, 0x10, 1, NTSEC_STATUS_INVALID_PARAMETER },
        { PFX_PATH, NTSEC_PIPE_ACCESS_DUPLEX, NTSEC_PIPE_READMODE_MESSAGE, 1,
          NTSEC_STATUS_INVALID_PARAMETER },
        { PFX_PATH, NTSEC_PIPE_ACCESS_DUPLEX, 0, 0, NTSEC_STATUS_INVALID_PARAMETER },
        { PFX_PATH, NTSEC_PIPE_ACCESS_DUPLEX, 0, 256, NTSEC_STATUS_INVALID_PARAMETER },
    };
    struct ntsec_sd_absolute sd;
    _Alignas(4) uint8_t acl[8] = { 9, 0, 8, 0, 0, 0, 0, 0 };   /* ACL revision 9 */
    struct pfx_service s;
    ntsec_handle h = 0;

    pfx_enter(&s, SERVICE, 0);
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        struct ntsec_pipe_create_args a = { .name = rows[i].name, .open_mode = rows[i].open_mode,
                                            .pipe_mode = rows[i].pipe_mode,
                                            .max_instances = rows[i].instances };

        CU_ASSERT_EQUAL(ntsec_pipe_create(&a, &h), rows[i].status);
        CU_ASSERT_EQUAL(h, 0);
    }
    CU_ASSERT_EQUAL(ntsec_pipe_create(NULL, &h), NTSEC_STATUS_INVALID_PARAMETER);
    {
        struct ntsec_pipe_create_args a = { .name = PFX_PATH, .open_mode = NTSEC_PIPE_ACCESS_DUPLEX,
                                            .max_instances = 1 };

        CU_ASSERT_EQUAL(ntsec_pipe_create(&a, NULL), NTSEC_STATUS_INVALID_PARAMETER);
        a.attributes = 0x80000000u;
        CU_ASSERT_EQUAL(ntsec_pipe_create(&a, &h), NTSEC_STATUS_INVALID_PARAMETER);
    }
    /* A descriptor of another revision, and one with a malformed DACL. */
    CU_ASSERT_FATAL(ntsec_sd_init(&sd, NTSEC_SD_REVISION) == NTSEC_STATUS_SUCCESS);
    sd.revision = 2;
    CU_ASSERT_EQUAL(pfx_create(NTSEC_PIPE_ACCESS_DUPLEX, 0, 1, &sd, &h),
                    NTSEC_STATUS_UNKNOWN_REVISION);
    sd.revision = NTSEC_SD_REVISION;
    CU_ASSERT_FATAL(ntsec_sd_set_dacl(&sd, true, (struct ntsec_acl *)acl, false) ==
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(pfx_create(NTSEC_PIPE_ACCESS_DUPLEX, 0, 1, &sd, &h),
                    NTSEC_STATUS_INVALID_SECURITY_DESCR);
    CU_ASSERT_EQUAL(h, 0);
    CU_ASSERT_EQUAL(ntsec_pipe_count(), 0);
    pfx_leave(&s);
}

/* A bad SECURITY_QUALITY_OF_SERVICE gets SeCreateClientSecurity's
 * statuses (docs/impersonation.md), a path outside \\.\pipe\ is not a
 * file ntsec emulates; the instance still listens afterwards. */
static void bad_open_arguments_leave_the_instance_listening(void)
{
    static const struct {
        struct ntsec_sqos q;
        ntsec_status status;
    } rows[] = {
        { { 0, NTSEC_SECURITY_IMPERSONATION, 0, 0 }, NTSEC_STATUS_INVALID_PARAMETER },
        { { 12, 4, 0, 0 }, NTSEC_STATUS_BAD_IMPERSONATION_LEVEL },
        { { 12, NTSEC_SECURITY_IMPERSONATION, 2, 0 }, NTSEC_STATUS_INVALID_PARAMETER },
    };
    struct pfx_service s;
    ntsec_handle h, c = 0;

    pfx_enter(&s, SERVICE, 0);
    h = pfx_server(NTSEC_PIPE_NOWAIT);
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
        CU_ASSERT_EQUAL(ntsec_pipe_open(PFX_PATH, PFX_RW, &rows[i].q, 0, &c), rows[i].status);
    CU_ASSERT_EQUAL(ntsec_pipe_open(NULL, PFX_RW, NULL, 0, &c), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_pipe_open(PFX_PATH, PFX_RW, NULL, 0, NULL), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_pipe_open("C:\\file.txt", PFX_RW, NULL, 0, &c), NTSEC_STATUS_NOT_SUPPORTED);
    CU_ASSERT_EQUAL(ntsec_pipe_open(PFX_PATH, PFX_RW, NULL, 0x80000000u, &c),
                    NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(c, 0);
    CU_ASSERT_EQUAL(ntsec_pipe_listen(h), NTSEC_STATUS_PIPE_LISTENING);
    CU_ASSERT_EQUAL(ntsec_pipe_wait(NULL, 0), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_pipe_wait("pipe", 0), NTSEC_STATUS_OBJECT_NAME_INVALID);
    ntsec_handle_close(h);
    pfx_leave(&s);
}

/* ObReferenceObjectByHandle's statuses for every pipe call: a handle not
 * open STATUS_INVALID_HANDLE, another type STATUS_OBJECT_TYPE_MISMATCH
 * (ReadFile on a non-pipe handle: ERROR_INVALID_HANDLE), missing access
 * STATUS_ACCESS_DENIED (NtReadFile needs FILE_READ_DATA, NtWriteFile
 * FILE_WRITE_DATA); the server's calls on a client end
 * STATUS_ILLEGAL_FUNCTION (Wine: ConnectNamedPipe on the client is
 * ERROR_INVALID_FUNCTION); NULL buffers STATUS_ACCESS_VIOLATION; a NULL
 * process id ERROR_INSUFFICIENT_BUFFER (Wine's test_namedpipe_process_id). */
static void bad_handles_and_buffers_get_windows_statuses(void)
{
    const ntsec_handle bogus = 0x1234, token = NTSEC_CURRENT_PROCESS_TOKEN;
    struct ntsec_pipe_peek p;
    struct pfx_service s;
    char buf[4];
    uint32_t pid;
    ntsec_handle h, r, w;

    pfx_enter(&s, SERVICE, 0);
    h = pfx_server(NTSEC_PIPE_TYPE_MESSAGE);
    r = pfx_client(NTSEC_GENERIC_READ);
    CU_ASSERT_EQUAL(ntsec_pipe_disconnect(h), NTSEC_STATUS_SUCCESS);
    ntsec_handle_close(r);
    ntsec_pipe_set_mode(h, NTSEC_PIPE_NOWAIT);
    ntsec_pipe_listen(h);
    w = pfx_client(NTSEC_GENERIC_WRITE);
    for (int i = 0; i < 2; i++) {
        ntsec_handle x = i ? token : bogus;
        ntsec_status st = i ? NTSEC_STATUS_OBJECT_TYPE_MISMATCH : NTSEC_STATUS_INVALID_HANDLE;

        CU_ASSERT_EQUAL(ntsec_pipe_read(x, buf, 1, NULL), st);
        CU_ASSERT_EQUAL(ntsec_pipe_write(x, buf, 1, NULL), st);
        CU_ASSERT_EQUAL(ntsec_pipe_peek(x, buf, 1, &p), st);
        CU_ASSERT_EQUAL(ntsec_pipe_listen(x), st);
        CU_ASSERT_EQUAL(ntsec_pipe_disconnect(x), st);
        CU_ASSERT_EQUAL(ntsec_pipe_impersonate_client(x), st);
        CU_ASSERT_EQUAL(ntsec_pipe_client_process_id(x, &pid), st);
        CU_ASSERT_EQUAL(ntsec_pipe_server_process_id(x, &pid), st);
        CU_ASSERT_EQUAL(ntsec_pipe_set_mode(x, 0), st);
    }
    CU_ASSERT_EQUAL(ntsec_pipe_listen(w), NTSEC_STATUS_ILLEGAL_FUNCTION);
    CU_ASSERT_EQUAL(ntsec_pipe_disconnect(w), NTSEC_STATUS_ILLEGAL_FUNCTION);
    CU_ASSERT_EQUAL(ntsec_pipe_impersonate_client(w), NTSEC_STATUS_ILLEGAL_FUNCTION);
    CU_ASSERT_EQUAL(ntsec_pipe_read(w, buf, 1, NULL), NTSEC_STATUS_ACCESS_DENIED);
    CU_ASSERT_EQUAL(ntsec_pipe_peek(w, buf, 1, &p), NTSEC_STATUS_ACCESS_DENIED);
    CU_ASSERT_EQUAL(ntsec_pipe_set_mode(w, 0), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_pipe_set_mode(h, 0x8), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_pipe_write(w, NULL, 1, NULL), NTSEC_STATUS_ACCESS_VIOLATION);
    CU_ASSERT_EQUAL(ntsec_pipe_read(h, NULL, 1, NULL), NTSEC_STATUS_ACCESS_VIOLATION);
    CU_ASSERT_EQUAL(ntsec_pipe_peek(h, NULL, 1, &p), NTSEC_STATUS_ACCESS_VIOLATION);
    CU_ASSERT_EQUAL(ntsec_pipe_peek(h, buf, 1, NULL), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_pipe_client_process_id(h, NULL), NTSEC_STATUS_BUFFER_TOO_SMALL);
    CU_ASSERT_EQUAL(ntsec_pipe_server_process_id(w, NULL), NTSEC_STATUS_BUFFER_TOO_SMALL);
    /* Nothing reached the pipe. */
    CU_ASSERT_EQUAL(ntsec_pipe_peek(h, NULL, 0, &p), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(p.available, 0);
    ntsec_handle_close(w);
    ntsec_handle_close(h);
    pfx_leave(&s);
}

/* --- allocation failure ------------------------------------------------------------------- */

/* Every allocation of create, open (a static capture copies the token)
 * and write fails in turn: NO_MEMORY, nothing left behind, then success
 * (STYLE rule 8). */
static void allocation_failure_leaves_nothing_behind(void)
{
    struct ntsec_sqos q = pfx_qos(NTSEC_SECURITY_IMPERSONATION, NTSEC_SECURITY_STATIC_TRACKING, 1);
    struct pfx_service s;
    ntsec_handle h = 0, h2 = 0, c = 0;
    ntsec_status st;

    pfx_enter(&s, SERVICE, 0);
    for (long n = 0; n < 64; n++) {
        testutil_fail_alloc_after(n);
        st = pfx_create(NTSEC_PIPE_ACCESS_DUPLEX, NTSEC_PIPE_NOWAIT, 2, NULL, &h);
        testutil_fail_alloc_after(-1);
        if (ntsec_success(st))
            break;
        CU_ASSERT_EQUAL(st, NTSEC_STATUS_NO_MEMORY);
        CU_ASSERT_EQUAL(ntsec_pipe_count(), 0);
        CU_ASSERT_EQUAL(ntsec_handle_count(s.process), 0);
    }
    CU_ASSERT_EQUAL_FATAL(st, NTSEC_STATUS_SUCCESS);
    for (long n = 0; n < 64; n++) {
        testutil_fail_alloc_after(n);
        st = pfx_create(NTSEC_PIPE_ACCESS_DUPLEX, 0, 2, NULL, &h2);
        testutil_fail_alloc_after(-1);
        if (ntsec_success(st))
            break;
        CU_ASSERT_EQUAL(st, NTSEC_STATUS_NO_MEMORY);
        CU_ASSERT_EQUAL(ntsec_handle_count(s.process), 1);
    }
    CU_ASSERT_EQUAL(st, NTSEC_STATUS_SUCCESS);
    for (long n = 0; n < 64; n++) {
        testutil_fail_alloc_after(n);
        st = ntsec_pipe_open(PFX_PATH, PFX_RW, &q, 0, &c);
        testutil_fail_alloc_after(-1);
        if (ntsec_success(st))
            break;
        CU_ASSERT_EQUAL(st, NTSEC_STATUS_NO_MEMORY);
        CU_ASSERT_EQUAL(ntsec_pipe_listen(h), NTSEC_STATUS_PIPE_LISTENING);
    }
    CU_ASSERT_EQUAL_FATAL(st, NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_pipe_listen(h), NTSEC_STATUS_PIPE_CONNECTED);
    testutil_fail_alloc_after(0);
    CU_ASSERT_EQUAL(ntsec_pipe_write(c, "x", 1, NULL), NTSEC_STATUS_NO_MEMORY);
    testutil_fail_alloc_after(-1);
    CU_ASSERT_EQUAL(ntsec_pipe_read(h, &q, 1, NULL), NTSEC_STATUS_PIPE_EMPTY);
    ntsec_handle_close(c);
    ntsec_handle_close(h2);
    ntsec_handle_close(h);
    pfx_leave(&s);
}

void register_tests(void)
{
    static CU_TestInfo pipes[] = {
        TEST(namespace_errors_are_windows),
        TEST(client_connects_to_the_oldest_listener),
        TEST(message_mode_reads_one_message_at_a_time),
        TEST(byte_mode_runs_writes_together),
        TEST(disconnect_drops_the_client_and_its_data),
        TEST(closing_one_end_breaks_the_pipe_after_its_data),
        TEST(listen_waits_for_a_client_or_a_disconnect),
        TEST(blocked_read_wakes_with_data_or_a_broken_pipe),
        TEST(both_ends_know_both_process_ids),
        TEST(wait_returns_when_an_instance_listens),
        TEST(bad_create_arguments_create_nothing),
        TEST(bad_open_arguments_leave_the_instance_listening),
        TEST(bad_handles_and_buffers_get_windows_statuses),
        TEST(allocation_failure_leaves_nothing_behind),
        CU_TEST_INFO_NULL,
    };


    testutil_add_suite("pipe", pipes);
}
