/* pipe.c - the named-pipe namespace and the life of its objects:
 * CreateNamedPipe (a new pipe, or a further instance of one), CreateFile
 * on a pipe (a client end connects to a listening instance and its
 * security context is captured), WaitNamedPipe, and what closing each
 * end does to its instance.
 *
 * Windows' rules come from Microsoft docs (CreateNamedPipeW, CreateFileW,
 * "Named Pipe Security and Access Rights"), from what Wine's
 * dlls/kernel32/tests/pipe.c asserts on Windows, and from ReactOS' NPFS
 * (drivers/filesystems/npfs: create.c, statesup.c, secursup.c), read for
 * behaviour only. */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "alloc.h"
#include "deadline.h"
#include "impersonate_policy.h"
#include "pipe.h"
#include "sock_transport.h"

pthread_mutex_t ntsec__pipe_lock = PTHREAD_MUTEX_INITIALIZER;

static struct ntsec__pipe *pipes;           /* the namespace */
static uint32_t pipes_alive;
static uint64_t listen_counter;
static pthread_cond_t listening;            /* an instance started listening */
static pthread_once_t listening_once = PTHREAD_ONCE_INIT;

static void listening_init(void)
{
    pthread_condattr_t a;

    pthread_condattr_init(&a);
    pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
    pthread_cond_init(&listening, &a);
    pthread_condattr_destroy(&a);
}

/* --- names ------------------------------------------------------------------ */

/* A pipe's Win32 name is \\.\pipe\NAME, the prefix in any case (Wine's
 * tests create and open \\.\PiPe\tests_pipe.c), NAME at least one
 * character of any kind (they use \\.\pipe\a<>*?|"/b). */
static const char pipe_prefix[] = "\\\\.\\pipe\\";

static char fold(char c)
{
    return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

/* "Pipe names are not case-sensitive" (Microsoft docs, CreateNamedPipeW).
 * Windows upcases all of Unicode (RtlUpcaseUnicodeString); ntsec folds
 * ASCII letters only (docs/pipes.md). */
static bool names_equal(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (fold(*a) != fold(*b))
            return false;
    return *a == *b;
}

static const char *name_of(const char *path)
{
    size_t n = sizeof(pipe_prefix) - 1;

    for (size_t i = 0; i < n; i++)
        if (fold(path[i]) != fold(pipe_prefix[i]))
            return NULL;
    return path[n] ? path + n : NULL;
}

static struct ntsec__pipe *find(const char *name)
{
    for (struct ntsec__pipe *p = pipes; p; p = p->next)
        if (names_equal(p->name, name))
            return p;
    return NULL;
}

struct ntsec__pipe *ntsec__pipe_find(const char *name, struct ntsec__sd_blob **sd)
{
    struct ntsec__pipe *p = find(name);

    *sd = NULL;
    if (p) {
        atomic_fetch_add_explicit(&p->sd->refs, 1, memory_order_relaxed);
        *sd = p->sd;
    }
    return p;
}

/* The descriptor of the pipe called `name` now (a counted reference), or
 * NULL when there is none. A blob belongs to one pipe, so finding the
 * same blob again later means finding the same pipe with the descriptor
 * checked; NtSetSecurityObject gives the pipe a new blob, and a check
 * made against the old one is made again. */
static struct ntsec__sd_blob *sd_of(const char *name, struct ntsec__pipe **pipe)
{
    struct ntsec__pipe *p = find(name);

    *pipe = p;
    if (!p)
        return NULL;
    atomic_fetch_add_explicit(&p->sd->refs, 1, memory_order_relaxed);
    return p->sd;
}

/* --- objects ------------------------------------------------------------------ */

static void end_destroy(struct ntsec__object *obj);

struct ntsec_pipe_end *ntsec__pipe_end_new(int end)
{
    struct ntsec_pipe_end *e = ntsec__zalloc(sizeof(*e));

    if (e) {
        ntsec__object_init(&e->obj, NTSEC_OBJECT_FILE, end_destroy);
        e->end = end;
    }
    return e;
}

struct ntsec__pipe_instance *ntsec__pipe_instance_new(void)
{
    struct ntsec__pipe_instance *i = ntsec__zalloc(sizeof(*i));

    if (!i)
        return NULL;
    ntsec__pipe_queue_init(&i->queue[PIPE_END_CLIENT]);
    ntsec__pipe_queue_init(&i->queue[PIPE_END_SERVER]);
    pthread_cond_init(&i->cond, NULL);
    return i;
}

/* Outside the lock: the listener's thread may be waiting for it. */
static void pipe_free(struct ntsec__pipe *p)
{
    if (!p)
        return;
    ntsec__listener_free(p->listener);
    ntsec__sd_blob_put(p->sd);
    ntsec__free(p->name);
    ntsec__free(p);
}

void ntsec__pipe_free(struct ntsec__pipe *p)
{
    pipe_free(p);
}

/* An instance that never joined its pipe (or whose pipe died with it:
 * then i->pipe is still set and goes too). */
void ntsec__pipe_instance_free(struct ntsec__pipe_instance *i)
{
    if (!i)
        return;
    ntsec__pipe_queue_clear(&i->queue[PIPE_END_CLIENT]);
    ntsec__pipe_queue_clear(&i->queue[PIPE_END_SERVER]);
    ntsec_client_context_delete(&i->client);
    ntsec_client_context_delete(&i->writer);
    pthread_cond_destroy(&i->cond);
    pipe_free(i->pipe);
    ntsec__free(i);
}

/* An instance lives while an end is attached to it or a thread waits on
 * it. The last reference takes it out of its pipe, and the pipe out of
 * the namespace with its last instance (NPFS deletes the CCB when both
 * ends are closed, and the FCB with its last CCB: ReactOS statesup.c,
 * NpSetClosingPipeState). */
bool ntsec__pipe_instance_unpin(struct ntsec__pipe_instance *i)
{
    struct ntsec__pipe *p = i->pipe;
    struct ntsec__pipe_instance **link;
    struct ntsec__pipe **plink;

    if (--i->refs)
        return false;
    for (link = &p->list; *link != i; link = &(*link)->next)
        ;
    *link = i->next;
    if (--p->instances) {
        i->pipe = NULL;                     /* the pipe lives on */
        return true;
    }
    if (p->proxy)
        return true;
    /* Other processes stop finding it with the namespace. */
    ntsec__listener_stop(p->listener);
    for (plink = &pipes; *plink != p; plink = &(*plink)->next)
        ;
    *plink = p->next;
    pipes_alive--;
    return true;
}

void ntsec__pipe_set_listening(struct ntsec__pipe_instance *i)
{
    pthread_once(&listening_once, listening_init);
    i->state = PIPE_LISTENING;
    i->listen_seq = ++listen_counter;
    pthread_cond_broadcast(&listening);
}

void ntsec__pipe_drop_client(struct ntsec__pipe_instance *i, bool disconnect)
{
    struct ntsec_pipe_end *c = i->ends[PIPE_END_CLIENT];

    if (c) {
        c->inst = NULL;
        i->ends[PIPE_END_CLIENT] = NULL;
        i->refs--;                          /* never the last: see the callers */
    }
    /* What the client had not read goes with it; on a disconnect the
     * server's unread data and the client's context go too
     * (NpSetDisconnectedPipeState). A client that closes leaves its data
     * and its context for the server (NpSetClosingPipeState). */
    ntsec__pipe_queue_clear(&i->queue[PIPE_END_CLIENT]);
    if (disconnect) {
        ntsec__pipe_queue_clear(&i->queue[PIPE_END_SERVER]);
        ntsec_client_context_delete(&i->client);
        ntsec_client_context_delete(&i->writer);
        i->client_pid = 0;
        i->state = PIPE_DISCONNECTED;
    } else if (i->state == PIPE_CONNECTED) {
        i->state = PIPE_CLOSING;
    }
    pthread_cond_broadcast(&i->cond);
}

/* The server end closing: an instance without a client goes; one with a
 * client turns to closing, the client keeps what the server wrote
 * (Wine's test_CloseHandle: the client reads it, then ERROR_BROKEN_PIPE). */
static void server_closing(struct ntsec__pipe_instance *i)
{
    i->ends[PIPE_END_SERVER] = NULL;
    i->pipe->server_ends--;
    ntsec__pipe_queue_clear(&i->queue[PIPE_END_SERVER]);
    if (i->state == PIPE_CONNECTED)
        i->state = PIPE_CLOSING;
    pthread_cond_broadcast(&i->cond);
}

static void end_destroy(struct ntsec__object *obj)
{
    struct ntsec_pipe_end *e = (struct ntsec_pipe_end *)obj;
    struct ntsec__pipe_instance *i, *dead = NULL;
    struct ntsec__pipe_link *link = NULL;

    pthread_mutex_lock(&ntsec__pipe_lock);
    i = e->inst;
    if (i) {
        if (e->end == PIPE_END_SERVER) {
            server_closing(i);
        } else {
            /* drop_client releases the client end's reference without
             * looking at the count; this one goes through unpin. */
            ntsec__pipe_instance_pin(i);
            ntsec__pipe_drop_client(i, false);
        }
        /* The other process' end, if any, sees this one close. */
        link = ntsec__pipe_link_detach(i);
        if (ntsec__pipe_instance_unpin(i))
            dead = i;
    }
    pthread_mutex_unlock(&ntsec__pipe_lock);
    if (link)
        ntsec__pipe_link_close(link, false);
    ntsec__pipe_instance_free(dead);
    ntsec__free(e);
}

ntsec_status ntsec__pipe_end_ref(ntsec_handle handle, uint32_t desired,
                                 struct ntsec_pipe_end **out)
{
    void *object;
    ntsec_status st = ntsec_handle_reference(handle, NTSEC_OBJECT_FILE, desired, &object, NULL);

    if (ntsec_success(st))
        *out = object;
    return st;
}

uint32_t ntsec_pipe_count(void)
{
    uint32_t n;

    pthread_mutex_lock(&ntsec__pipe_lock);
    n = pipes_alive;
    pthread_mutex_unlock(&ntsec__pipe_lock);
    return n;
}

/* --- CreateNamedPipe ----------------------------------------------------------- */

#define OPEN_MODE_VALID (NTSEC_PIPE_ACCESS_DUPLEX | NTSEC_FILE_FLAG_FIRST_PIPE_INSTANCE | \
                         NTSEC_FILE_FLAG_WRITE_THROUGH | NTSEC_FILE_FLAG_OVERLAPPED | \
                         NTSEC_WRITE_DAC | NTSEC_WRITE_OWNER | NTSEC_ACCESS_SYSTEM_SECURITY)
#define PIPE_MODE_VALID (NTSEC_PIPE_NOWAIT | NTSEC_PIPE_READMODE_MESSAGE | \
                         NTSEC_PIPE_TYPE_MESSAGE | NTSEC_PIPE_REJECT_REMOTE_CLIENTS)
#define END_MODE (NTSEC_PIPE_READMODE_MESSAGE | NTSEC_PIPE_NOWAIT)

/* CreateNamedPipeW's parameters (Microsoft docs): a direction is needed,
 * 1..255 instances (255 unlimited), and a byte-type pipe cannot be read
 * in message mode (Wine's test_CreateNamedPipe: ERROR_INVALID_PARAMETER;
 * NpCreateNewNamedPipe). Bits outside the documented ones are refused. */
static ntsec_status create_check(const struct ntsec_pipe_create_args *a)
{
    if (!a->name)
        return NTSEC_STATUS_INVALID_PARAMETER;
    if (!name_of(a->name))
        return NTSEC_STATUS_OBJECT_NAME_INVALID;
    if (!(a->open_mode & NTSEC_PIPE_ACCESS_DUPLEX) || (a->open_mode & ~OPEN_MODE_VALID) ||
        (a->pipe_mode & ~PIPE_MODE_VALID) || !a->max_instances ||
        a->max_instances > NTSEC_PIPE_UNLIMITED_INSTANCES)
        return NTSEC_STATUS_INVALID_PARAMETER;
    if (!(a->pipe_mode & NTSEC_PIPE_TYPE_MESSAGE) && (a->pipe_mode & NTSEC_PIPE_READMODE_MESSAGE))
        return NTSEC_STATUS_INVALID_PARAMETER;
    return NTSEC_STATUS_SUCCESS;
}

/* The server end's access: read for an inbound pipe, write for an
 * outbound one, SYNCHRONIZE, and the security rights dwOpenMode asks
 * (Microsoft docs, CreateNamedPipeW, dwOpenMode; Wine's
 * test_CreateNamedPipe reads back FILE_GENERIC_READ, FILE_GENERIC_WRITE
 * or both). */
static uint32_t server_desired(uint32_t open_mode)
{
    return (open_mode & NTSEC_PIPE_ACCESS_INBOUND ? NTSEC_GENERIC_READ : 0) |
           (open_mode & NTSEC_PIPE_ACCESS_OUTBOUND ? NTSEC_GENERIC_WRITE : 0) |
           NTSEC_SYNCHRONIZE |
           (open_mode & (NTSEC_WRITE_DAC | NTSEC_WRITE_OWNER | NTSEC_ACCESS_SYSTEM_SECURITY));
}

static struct ntsec__pipe *pipe_new(const struct ntsec_pipe_create_args *a,
                                    struct ntsec__sd_blob *sd)
{
    const char *name = name_of(a->name);
    size_t len = strlen(name);
    struct ntsec__pipe *p = ntsec__zalloc(sizeof(*p));

    if (p)
        p->name = ntsec__alloc(len + 1);
    if (!p || !p->name) {
        ntsec__free(p);
        return NULL;
    }
    memcpy(p->name, name, len + 1);
    p->access = a->open_mode & NTSEC_PIPE_ACCESS_DUPLEX;
    p->type = a->pipe_mode & NTSEC_PIPE_TYPE_MESSAGE;
    p->max_instances = a->max_instances;
    p->default_timeout_ms = a->default_timeout_ms;
    p->sd = sd;
    return p;
}

/* A further instance of `p` (NpCreateExistingNamedPipe, in its order):
 * a free instance (STATUS_INSTANCE_NOT_AVAILABLE, Wine's
 * test_CreateNamedPipe_instances_must_match: ERROR_PIPE_BUSY), not
 * FILE_FLAG_FIRST_PIPE_INSTANCE (Microsoft docs: "fails with
 * ERROR_ACCESS_DENIED"), the same direction (Wine: a PIPE_ACCESS_INBOUND
 * instance of a duplex pipe is ERROR_ACCESS_DENIED). The type, count and
 * sizes of later instances are ignored (Wine: "check everything else"). */
static ntsec_status join_check(const struct ntsec__pipe *p, const struct ntsec_pipe_create_args *a)
{
    if (p->max_instances != NTSEC_PIPE_UNLIMITED_INSTANCES && p->instances >= p->max_instances)
        return NTSEC_STATUS_INSTANCE_NOT_AVAILABLE;
    if (a->open_mode & NTSEC_FILE_FLAG_FIRST_PIPE_INSTANCE)
        return NTSEC_STATUS_ACCESS_DENIED;
    if ((a->open_mode & NTSEC_PIPE_ACCESS_DUPLEX) != p->access)
        return NTSEC_STATUS_ACCESS_DENIED;
    return NTSEC_STATUS_SUCCESS;
}

static void join(struct ntsec__pipe *p, struct ntsec__pipe_instance *i, struct ntsec_pipe_end *e,
                 const struct ntsec_pipe_create_args *a, uint32_t pid)
{
    i->pipe = p;
    i->next = p->list;
    p->list = i;
    p->instances++;
    p->server_ends++;
    i->refs = 1;
    i->ends[PIPE_END_SERVER] = e;
    e->inst = i;
    i->mode[PIPE_END_SERVER] = a->pipe_mode & END_MODE;
    i->server_pid = pid;
    ntsec__pipe_set_listening(i);
}

/* What one attempt prepared outside the lock. */
struct create_try {
    struct ntsec__sd_blob *seen;            /* the existing pipe's descriptor, or NULL */
    struct ntsec__pipe *fresh;              /* a new pipe, when there was none */
    struct ntsec__pipe_instance *inst;
    struct ntsec_pipe_end *end;
    ntsec_handle handle;
};

static void create_try_undo(struct create_try *c)
{
    if (c->handle)
        ntsec_handle_close(c->handle);
    if (c->end)
        ntsec_object_put(c->end);
    ntsec__pipe_instance_free(c->inst);
    pipe_free(c->fresh);
    ntsec__sd_blob_put(c->seen);
    memset(c, 0, sizeof(*c));
}

/* Everything that may fail without changing the namespace: the access
 * check (or the new descriptor), the objects, the handle. A new pipe is
 * SeAssignSecurity'd from the caller's effective token; a further
 * instance needs FILE_CREATE_PIPE_INSTANCE besides the access asked
 * ("Named Pipe Security and Access Rights", Microsoft docs). */
static ntsec_status create_prepare(const struct ntsec_pipe_create_args *a, struct create_try *c)
{
    uint32_t desired = server_desired(a->open_mode), granted;
    struct ntsec__sd_blob *sd = NULL;
    struct ntsec__pipe *p;
    ntsec_status st;

    pthread_mutex_lock(&ntsec__pipe_lock);
    c->seen = sd_of(name_of(a->name), &p);
    pthread_mutex_unlock(&ntsec__pipe_lock);
    if (c->seen) {
        st = ntsec__pipe_access_check(c->seen->sd, desired | NTSEC_FILE_CREATE_PIPE_INSTANCE,
                                      &granted);
    } else {
        struct ntsec_token *creator = ntsec_thread_effective_token();

        st = creator ? ntsec__pipe_sd_assign(creator, a->sd, &sd) : NTSEC_STATUS_NO_MEMORY;
        ntsec_token_put(creator);
        granted = ntsec_access_map_generic(desired, ntsec__object_mapping(NTSEC_OBJECT_FILE));
        /* The creator gets the access it asks without a DACL check, but
         * ACCESS_SYSTEM_SECURITY only with SeSecurityPrivilege ("SACL
         * Access Right", Microsoft docs): the access check grants it on
         * the privilege alone, STATUS_PRIVILEGE_NOT_HELD without. */
        if (ntsec_success(st) && (granted & NTSEC_ACCESS_SYSTEM_SECURITY)) {
            uint32_t sacl_access;

            st = ntsec__pipe_access_check(ntsec__sd_blob_sd(sd), NTSEC_ACCESS_SYSTEM_SECURITY,
                                          &sacl_access);
            if (!ntsec_success(st))
                ntsec__sd_blob_put(sd);
        }
        if (ntsec_success(st) && !(c->fresh = pipe_new(a, sd))) {
            ntsec__sd_blob_put(sd);
            st = NTSEC_STATUS_NO_MEMORY;
        }
    }
    if (ntsec_success(st) && (!(c->inst = ntsec__pipe_instance_new()) ||
                               !(c->end = ntsec__pipe_end_new(PIPE_END_SERVER))))
        st = NTSEC_STATUS_NO_MEMORY;
    if (ntsec_success(st))
        st = ntsec_handle_create(c->end, granted, a->attributes, &c->handle);
    return st;
}

ntsec_status ntsec_pipe_create(const struct ntsec_pipe_create_args *a, ntsec_handle *out)
{
    struct ntsec_thread *t = ntsec_thread_current();
    struct create_try c = { 0 };
    ntsec_status st;

    if (!a || !out)
        return NTSEC_STATUS_INVALID_PARAMETER;
    st = create_check(a);
    if (!ntsec_success(st))
        return st;
    if (!t)
        return NTSEC_STATUS_NO_MEMORY;
    for (;;) {
        struct ntsec__pipe *p;
        bool same;

        st = create_prepare(a, &c);
        if (!ntsec_success(st))
            break;
        pthread_mutex_lock(&ntsec__pipe_lock);
        p = find(name_of(a->name));
        /* The pipe checked is still the pipe there (or still none). */
        same = p ? p->sd == c.seen : !c.seen;
        if (same && p)
            st = join_check(p, a);
        if (same && !p && ntsec_success(st))
            st = ntsec__pipe_listen_remote(c.fresh);
        if (same && !p && ntsec_success(st)) {
            p = c.fresh;
            c.fresh = NULL;
            p->next = pipes;
            pipes = p;
            pipes_alive++;
        }
        if (same && ntsec_success(st)) {
            join(p, c.inst, c.end, a, ntsec_process_id(ntsec_thread_process(t)));
            c.inst = NULL;
        }
        pthread_mutex_unlock(&ntsec__pipe_lock);
        if (same)
            break;
        create_try_undo(&c);
    }
    if (!ntsec_success(st)) {
        create_try_undo(&c);
        return st;
    }
    *out = c.handle;
    ntsec_object_put(c.end);
    ntsec__sd_blob_put(c.seen);
    return NTSEC_STATUS_SUCCESS;
}

/* --- CreateFile on a pipe -------------------------------------------------------- */

/* Without a SECURITY_QUALITY_OF_SERVICE NPFS uses SecurityImpersonation,
 * dynamic tracking, EffectiveOnly (ReactOS secursup.c,
 * NpInitializeSecurity; Wine's test_impersonation, test_no_sqos and
 * test_no_sqos_no_token, assert it on Windows: the server sees no
 * disabled privilege, then the client's later changes). */
const struct ntsec_sqos ntsec__pipe_default_qos = {
    sizeof(struct ntsec_sqos), NTSEC_SECURITY_IMPERSONATION, NTSEC_SECURITY_DYNAMIC_TRACKING, 1,
};

/* The instance a client connects to: the one listening longest (Wine's
 * test_multiple_instances: "server[2], which started listening first,
 * will be connected next"). */
struct ntsec__pipe_instance *ntsec__pipe_oldest_listener(const struct ntsec__pipe *p)
{
    struct ntsec__pipe_instance *best = NULL;

    for (struct ntsec__pipe_instance *i = p->list; i; i = i->next)
        if (i->state == PIPE_LISTENING && (!best || i->listen_seq < best->listen_seq))
            best = i;
    return best;
}

/* NpCreateClientEnd's order once the access is granted: a listening
 * instance (STATUS_PIPE_NOT_AVAILABLE, ERROR_PIPE_BUSY), then the
 * client's security: under static tracking the context is captured now
 * (SeCreateClientSecurity; its failure fails the open); under dynamic
 * tracking nothing yet - each write captures one (secursup.c). */
static ntsec_status connect_client(struct ntsec__pipe *p, struct ntsec_pipe_end *e,
                                   const struct ntsec_sqos *qos, struct ntsec_thread *t)
{
    struct ntsec__pipe_instance *i;
    struct ntsec_client_context ctx = { 0 };
    ntsec_status st;

    if (!p->server_ends)
        return NTSEC_STATUS_OBJECT_NAME_NOT_FOUND;
    i = ntsec__pipe_oldest_listener(p);
    if (!i)
        return NTSEC_STATUS_PIPE_NOT_AVAILABLE;
    if (qos->context_tracking_mode == NTSEC_SECURITY_STATIC_TRACKING) {
        st = ntsec_client_context_create(t, qos, false, &ctx);
        if (!ntsec_success(st))
            return st;
    }
    i->qos = *qos;
    i->client = ctx;
    i->ends[PIPE_END_CLIENT] = e;
    e->inst = i;
    i->refs++;
    /* A client end starts in byte read mode, waiting (NpSetConnectedPipeState;
     * Wine: "CreateFile always creates a byte mode pipe"). */
    i->mode[PIPE_END_CLIENT] = 0;
    i->client_pid = ntsec_process_id(ntsec_thread_process(t));
    i->state = PIPE_CONNECTED;
    i->connects++;
    pthread_cond_broadcast(&i->cond);
    return NTSEC_STATUS_SUCCESS;
}

/* The access check of NpCreateClientEnd: the desired access (generic bits
 * mapped, FILE_CREATE_PIPE_INSTANCE taken out) against the pipe's
 * descriptor; then a client may not read an inbound pipe nor write an
 * outbound one (STATUS_ACCESS_DENIED). */
ntsec_status ntsec__pipe_open_access(const struct ntsec__sd_blob *sd, uint32_t access,
                                     uint32_t desired, const struct ntsec_token *token,
                                     uint32_t *granted)
{
    uint32_t asked = ntsec_access_map_generic(desired, ntsec__object_mapping(NTSEC_OBJECT_FILE)) &
                     ~NTSEC_FILE_CREATE_PIPE_INSTANCE;
    ntsec_status st = token ? ntsec__pipe_access_check_token(sd->sd, token, -1, asked, granted)
                            : ntsec__pipe_access_check(sd->sd, asked, granted);

    if (!ntsec_success(st))
        return st;
    if (((*granted & NTSEC_FILE_READ_DATA) && access == NTSEC_PIPE_ACCESS_INBOUND) ||
        ((*granted & NTSEC_FILE_WRITE_DATA) && access == NTSEC_PIPE_ACCESS_OUTBOUND))
        return NTSEC_STATUS_ACCESS_DENIED;
    return NTSEC_STATUS_SUCCESS;
}

ntsec_status ntsec_pipe_open(const char *path, uint32_t desired, const struct ntsec_sqos *qos,
                             uint32_t attributes, ntsec_handle *out)
{
    struct ntsec_thread *t = ntsec_thread_current();
    const char *name;
    ntsec_status st;

    if (!path || !out)
        return NTSEC_STATUS_INVALID_PARAMETER;
    name = name_of(path);
    if (!name)
        return NTSEC_STATUS_NOT_SUPPORTED;
    if (qos) {
        st = ntsec__sqos_validate(qos->length, qos->level, qos->context_tracking_mode,
                                  qos->effective_only);
        if (!ntsec_success(st))
            return st;
    }
    if (!t)
        return NTSEC_STATUS_NO_MEMORY;
    for (;;) {
        struct ntsec__sd_blob *seen;
        struct ntsec_pipe_end *e = NULL;
        struct ntsec__pipe *p;
        ntsec_handle h = 0;
        uint32_t access = 0, granted = 0;
        bool same;

        pthread_mutex_lock(&ntsec__pipe_lock);
        seen = sd_of(name, &p);
        if (p)
            access = p->access;
        st = p && p->server_ends ? NTSEC_STATUS_SUCCESS : NTSEC_STATUS_OBJECT_NAME_NOT_FOUND;
        pthread_mutex_unlock(&ntsec__pipe_lock);
        if (!p)     /* no pipe of that name here: perhaps in another process */
            return ntsec__pipe_open_remote(name, desired, qos, attributes, out);
        if (ntsec_success(st))
            st = ntsec__pipe_open_access(seen, access, desired, NULL, &granted);
        if (ntsec_success(st) && !(e = ntsec__pipe_end_new(PIPE_END_CLIENT)))
            st = NTSEC_STATUS_NO_MEMORY;
        if (ntsec_success(st))
            st = ntsec_handle_create(e, granted, attributes, &h);
        same = true;
        if (ntsec_success(st)) {
            /* A client that may neither read nor write is given no
             * context (NpCreateClientEnd drops its QoS). */
            const struct ntsec_sqos *q =
                qos && (granted & (NTSEC_FILE_READ_DATA | NTSEC_FILE_WRITE_DATA)) ? qos
                                                                                    : &ntsec__pipe_default_qos;

            pthread_mutex_lock(&ntsec__pipe_lock);
            p = find(name);
            same = p && p->sd == seen;
            if (same)
                st = connect_client(p, e, q, t);
            pthread_mutex_unlock(&ntsec__pipe_lock);
        }
        if (!ntsec_success(st) || !same) {
            if (h)
                ntsec_handle_close(h);
        } else {
            *out = h;
        }
        if (e)
            ntsec_object_put(e);
        ntsec__sd_blob_put(seen);
        if (same)
            return st;
    }
}

/* --- WaitNamedPipe ----------------------------------------------------------------- */

/* "A value of zero will result in a default time-out of 50 milliseconds"
 * (Microsoft docs, CreateNamedPipeW, nDefaultTimeOut). */
#define DEFAULT_WAIT_MS 50u

static bool has_listener(const char *name)
{
    struct ntsec__pipe *p = find(name);

    return p && ntsec__pipe_oldest_listener(p);
}

/* WaitNamedPipe (Microsoft docs; Wine's test_wait_pipe): no pipe of that
 * name is ERROR_FILE_NOT_FOUND at once; otherwise wait for an instance to
 * listen (a new instance, or ConnectNamedPipe after a disconnect wakes
 * the waiters), ERROR_SEM_TIMEOUT when none did in time. */
ntsec_status ntsec_pipe_wait(const char *path, uint32_t timeout_ms)
{
    struct ntsec__pipe *p;
    struct timespec deadline;
    const char *name;
    ntsec_status st = NTSEC_STATUS_SUCCESS;

    if (!path)
        return NTSEC_STATUS_INVALID_PARAMETER;
    name = name_of(path);
    if (!name)
        return NTSEC_STATUS_OBJECT_NAME_INVALID;
    pthread_once(&listening_once, listening_init);
    pthread_mutex_lock(&ntsec__pipe_lock);
    p = find(name);
    if (!p) {
        pthread_mutex_unlock(&ntsec__pipe_lock);
        return NTSEC_STATUS_OBJECT_NAME_NOT_FOUND;
    }
    if (timeout_ms == NTSEC_PIPE_WAIT_DEFAULT)
        timeout_ms = p->default_timeout_ms ? p->default_timeout_ms : DEFAULT_WAIT_MS;
    deadline = ntsec__deadline_after(timeout_ms == NTSEC_PIPE_WAIT_FOREVER ? 0 : timeout_ms);
    while (!has_listener(name)) {
        int rc = timeout_ms == NTSEC_PIPE_WAIT_FOREVER
                     ? pthread_cond_wait(&listening, &ntsec__pipe_lock)
                     : pthread_cond_timedwait(&listening, &ntsec__pipe_lock, &deadline);

        if (rc == ETIMEDOUT && !has_listener(name)) {
            st = NTSEC_STATUS_IO_TIMEOUT;
            break;
        }
    }
    pthread_mutex_unlock(&ntsec__pipe_lock);
    return st;
}
