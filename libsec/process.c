/* process.c - emulated processes: process 1 (the OS process, running as
 * the Linux credentials' token), further in-process processes each with
 * its own primary token, handle table and machine of the world, and the
 * client ids they and their threads carry. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include "alloc.h"
#include "ntsec/unixcred.h"
#include "object_sd.h"
#include "process.h"
#include "thread.h"
#include "token.h"

/* Client ids: Windows hands out process and thread ids from one handle
 * table, so both are multiples of 4 and never collide (M. Russinovich et
 * al., "Windows Internals", 7th ed., ch. 3: the CID table). 0 is the idle
 * process and 4 the System process on Windows; ntsec starts at 8 so that
 * no emulated process wears their ids. */
static atomic_uint next_cid = 8;

uint32_t ntsec__cid_allocate(void)
{
    return atomic_fetch_add_explicit(&next_cid, 4, memory_order_relaxed);
}

static void process_destroy(struct ntsec__object *obj)
{
    struct ntsec_process *p = (struct ntsec_process *)obj;

    ntsec__cid_remove(&p->cid);
    /* The handle table runs down with the process, closing every handle
     * still open (Windows closes them when the process exits). */
    ntsec__handle_table_destroy(&p->handles);
    ntsec__token_put(p->token);
    ntsec__object_security_destroy(&p->sec);
    ntsec__free(p->name);
    ntsec__free(p);
}

/* A process running as `primary` on `machine` (a name as the world
 * spells it), its object's descriptor made from `creator`'s defaults and
 * labelled at `primary`'s integrity level. */
static ntsec_status process_make(struct ntsec_token *primary, const struct ntsec_token *creator,
                                 const char *name, const char *machine,
                                 struct ntsec_process **out)
{
    struct ntsec_process *p = ntsec__zalloc(sizeof(*p));
    ntsec_status st;

    if (!p)
        return NTSEC_STATUS_NO_MEMORY;
    memcpy(p->machine, machine, sizeof(p->machine));
    if (name) {
        size_t len = strlen(name) + 1;

        p->name = ntsec__alloc(len);
        if (!p->name) {
            ntsec__free(p);
            return NTSEC_STATUS_NO_MEMORY;
        }
        memcpy(p->name, name, len);
    }
    st = ntsec__object_security_init(&p->sec, creator, primary, NTSEC_OBJECT_PROCESS);
    if (!ntsec_success(st)) {
        ntsec__free(p->name);
        ntsec__free(p);
        return st;
    }
    ntsec__handle_table_init(&p->handles);
    p->token = ntsec__token_get(primary);
    p->pid = ntsec__cid_allocate();
    ntsec__object_init(&p->obj, NTSEC_OBJECT_PROCESS, process_destroy);
    ntsec__cid_insert(&p->cid, p->pid, &p->obj);
    *out = p;
    return NTSEC_STATUS_SUCCESS;
}

/* Process 1 lives as long as the OS process: this pointer holds its
 * reference. It is made under a mutex rather than pthread_once so that a
 * creation that failed (out of memory) is tried again by the next caller. */
static _Atomic(struct ntsec_process *) process_one;
static pthread_mutex_t process_one_lock = PTHREAD_MUTEX_INITIALIZER;

struct ntsec_process *ntsec__process_one(void)
{
    struct ntsec_process *p = atomic_load_explicit(&process_one, memory_order_acquire);
    char machine[NTSEC__MACHINE_NAME_MAX + 1];
    struct ntsec_token *token;

    if (p)
        return p;
    pthread_mutex_lock(&process_one_lock);
    p = atomic_load_explicit(&process_one, memory_order_relaxed);
    if (!p && ntsec_success(ntsec_unixcred_token(&token))) {
        /* Its own creator: nobody made the first process but itself. The
         * OS process runs on the world's own machine. */
        ntsec__machine_self(machine);
        if (!ntsec_success(process_make(token, token, program_invocation_short_name, machine,
                                        &p)))
            p = NULL;
        ntsec__token_put(token);
        if (p)
            atomic_store_explicit(&process_one, p, memory_order_release);
    }
    pthread_mutex_unlock(&process_one_lock);
    return p;
}

struct ntsec_process *ntsec_process_current(void)
{
    struct ntsec_thread *t = ntsec_thread_current();

    return t ? t->process : NULL;
}

/* The new process' object gets its descriptor from the creator's token
 * (the calling thread's effective token), as CreateProcess with no
 * process attributes does ("Process Security and Access Rights",
 * Microsoft docs). A process runs as a primary token: CreateProcessAsUser
 * needs one ("hToken ... A handle to the primary token", Microsoft docs). */
static ntsec_status create_on(struct ntsec_token *primary, const char *name,
                              const char *machine, struct ntsec_process **out)
{
    struct ntsec_token *creator;
    ntsec_status st;

    creator = ntsec_thread_effective_token();
    if (!creator)
        return NTSEC_STATUS_NO_MEMORY;
    st = process_make(primary, creator, name, machine, out);
    ntsec__token_put(creator);
    return st;
}

ntsec_status ntsec_process_create(struct ntsec_token *primary, const char *name,
                                  struct ntsec_process **out)
{
    char machine[NTSEC__MACHINE_NAME_MAX + 1];

    if (!primary || !out)
        return NTSEC_STATUS_INVALID_PARAMETER;
    if (primary->type != NTSEC_TOKEN_PRIMARY)
        return NTSEC_STATUS_BAD_TOKEN_TYPE;
    ntsec__machine_self(machine);
    return create_on(primary, name, machine, out);
}

/* A machine the world does not know is STATUS_OBJECT_NAME_NOT_FOUND, the
 * status ntsec gives any name that names nothing (ntsec_world_load too).
 * Windows' nearest case, a computer name that cannot be found on the
 * network, is STATUS_BAD_NETWORK_PATH (ERROR_BAD_NETPATH), which libsec
 * does not have; docs/calls.md. */
ntsec_status ntsec_process_create_on(struct ntsec_token *primary, const char *name,
                                     const char *machine, struct ntsec_process **out)
{
    char found[NTSEC__MACHINE_NAME_MAX + 1];

    if (!primary || !machine || !out)
        return NTSEC_STATUS_INVALID_PARAMETER;
    if (primary->type != NTSEC_TOKEN_PRIMARY)
        return NTSEC_STATUS_BAD_TOKEN_TYPE;
    if (!ntsec__machine_find(machine, found))
        return NTSEC_STATUS_OBJECT_NAME_NOT_FOUND;
    return create_on(primary, name, found, out);
}

uint32_t ntsec_process_id(const struct ntsec_process *process)
{
    return process ? process->pid : 0;
}

const char *ntsec_process_machine(const struct ntsec_process *process)
{
    return process ? process->machine : NULL;
}

struct ntsec_token *ntsec_process_token(struct ntsec_process *process)
{
    return process ? ntsec__token_get(process->token) : NULL;
}
