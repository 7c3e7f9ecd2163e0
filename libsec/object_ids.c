/* object_ids.c - the client-id table: process and thread ids to their
 * objects, for OpenProcess / OpenThread and PsLookup*ById.
 *
 * The table does not keep objects alive: an object enters it when made
 * and leaves it when destroyed, as Windows removes a process' or thread's
 * id from its CID table when the object is deleted, not when the process
 * or thread exits (so an exited process still held by a handle can still
 * be opened by id; Windows Internals, 7th ed., ch. 3). A lookup and the
 * destroy path take the same lock, and a lookup takes a reference only
 * from a count above zero: an object whose last reference has gone but
 * which its destroy has not yet removed is not found, and its memory is
 * not freed while the lookup looks at it. The entry is part of the
 * object, so entering never allocates. */
#include <pthread.h>

#include "process.h"

#define BUCKETS 256u

static pthread_mutex_t ids_lock = PTHREAD_MUTEX_INITIALIZER;
static struct ntsec__cid_entry *buckets[BUCKETS];

static struct ntsec__cid_entry **bucket_of(uint32_t id)
{
    return &buckets[(id >> 2) & (BUCKETS - 1)];
}

void ntsec__cid_insert(struct ntsec__cid_entry *e, uint32_t id, struct ntsec__object *object)
{
    struct ntsec__cid_entry **b = bucket_of(id);

    e->id = id;
    e->object = object;
    pthread_mutex_lock(&ids_lock);
    e->next = *b;
    *b = e;
    pthread_mutex_unlock(&ids_lock);
}

void ntsec__cid_remove(struct ntsec__cid_entry *e)
{
    struct ntsec__cid_entry **p;

    pthread_mutex_lock(&ids_lock);
    for (p = bucket_of(e->id); *p; p = &(*p)->next) {
        if (*p == e) {
            *p = e->next;
            break;
        }
    }
    pthread_mutex_unlock(&ids_lock);
}

/* ObReferenceObject only while someone else still holds a reference. */
static bool try_get(struct ntsec__object *o)
{
    long n = atomic_load_explicit(&o->refs, memory_order_relaxed);

    do {
        if (n == 0)
            return false;
    } while (!atomic_compare_exchange_weak_explicit(&o->refs, &n, n + 1, memory_order_relaxed,
                                                    memory_order_relaxed));
    return true;
}

void *ntsec__cid_reference(uint32_t id, enum ntsec_object_type type)
{
    struct ntsec__object *found = NULL;

    pthread_mutex_lock(&ids_lock);
    for (struct ntsec__cid_entry *e = *bucket_of(id); e; e = e->next) {
        if (e->id == id) {
            if (e->object->type == type && try_get(e->object))
                found = e->object;
            break;
        }
    }
    pthread_mutex_unlock(&ids_lock);
    return found;
}

/* PsLookupProcessByProcessId / PsLookupThreadByThreadId: an id that names
 * no live object of the type is STATUS_INVALID_CID (Microsoft docs,
 * PsLookupProcessByProcessId, Return value). */
ntsec_status ntsec_process_lookup(uint32_t pid, struct ntsec_process **out)
{
    struct ntsec_process *p;

    if (!out)
        return NTSEC_STATUS_INVALID_PARAMETER;
    p = ntsec__cid_reference(pid, NTSEC_OBJECT_PROCESS);
    if (!p)
        return NTSEC_STATUS_INVALID_CID;
    *out = p;
    return NTSEC_STATUS_SUCCESS;
}

ntsec_status ntsec_thread_lookup(uint32_t tid, struct ntsec_thread **out)
{
    struct ntsec_thread *t;

    if (!out)
        return NTSEC_STATUS_INVALID_PARAMETER;
    t = ntsec__cid_reference(tid, NTSEC_OBJECT_THREAD);
    if (!t)
        return NTSEC_STATUS_INVALID_CID;
    *out = t;
    return NTSEC_STATUS_SUCCESS;
}
