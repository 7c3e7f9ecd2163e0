/* handle.c - per-process handle tables and the object manager's handle
 * services over them: NtClose, NtDuplicateObject, ObReferenceObjectByHandle,
 * ObOpenObjectByPointer, with the pseudo-handles resolved against the
 * calling thread. */
#include <string.h>

#include "alloc.h"
#include "handle.h"
#include "object_sd.h"
#include "process.h"
#include "thread.h"
#include "token.h"

/* A process may hold 2^24 handles ("Pushing the Limits of Windows:
 * Handles", M. Russinovich, Microsoft TechNet blog, 2009). */
#define HANDLE_MAX_SLOTS (1u << 24)
#define FIRST_CAPACITY 16u

/* OBJ_VALID_ATTRIBUTES (wdm.h): OBJ_INHERIT .. OBJ_IGNORE_IMPERSONATED_DEVICEMAP.
 * Of these only OBJ_INHERIT belongs to a handle entry (OBJ_HANDLE_ATTRIBUTES
 * without the audit and protect-close bits, which ntsec does not model). */
#define OBJ_VALID_ATTRIBUTES 0x00001FF2u

/* The access a pseudo-handle grants. GetCurrentProcess / GetCurrentThread:
 * PROCESS_ALL_ACCESS / THREAD_ALL_ACCESS (Microsoft docs, Remarks of each).
 * The token pseudo-handles: "only TOKEN_QUERY and TOKEN_QUERY_SOURCE
 * access rights" since Windows 8 (Microsoft docs, GetCurrentProcessToken,
 * GetCurrentThreadToken, GetCurrentThreadEffectiveToken). */
struct pseudo_handle {
    ntsec_handle handle;
    enum ntsec_object_type type;
    uint32_t granted;
};

static const struct pseudo_handle pseudo_handles[] = {
    { NTSEC_CURRENT_PROCESS, NTSEC_OBJECT_PROCESS, NTSEC_PROCESS_ALL_ACCESS },
    { NTSEC_CURRENT_THREAD, NTSEC_OBJECT_THREAD, NTSEC_THREAD_ALL_ACCESS },
    { NTSEC_CURRENT_PROCESS_TOKEN, NTSEC_OBJECT_TOKEN, NTSEC_TOKEN_QUERY | NTSEC_TOKEN_QUERY_SOURCE },
    { NTSEC_CURRENT_THREAD_TOKEN, NTSEC_OBJECT_TOKEN, NTSEC_TOKEN_QUERY | NTSEC_TOKEN_QUERY_SOURCE },
    { NTSEC_CURRENT_THREAD_EFFECTIVE_TOKEN, NTSEC_OBJECT_TOKEN,
      NTSEC_TOKEN_QUERY | NTSEC_TOKEN_QUERY_SOURCE },
};

static const struct pseudo_handle *pseudo_of(ntsec_handle handle)
{
    for (size_t i = 0; i < sizeof(pseudo_handles) / sizeof(pseudo_handles[0]); i++)
        if (pseudo_handles[i].handle == handle)
            return &pseudo_handles[i];
    return NULL;
}

/* --- the table -------------------------------------------------------------- */

void ntsec__handle_table_init(struct ntsec__handle_table *table)
{
    memset(table, 0, sizeof(*table));
    pthread_mutex_init(&table->lock, NULL);
}

void ntsec__handle_table_destroy(struct ntsec__handle_table *table)
{
    /* Nobody else can reach the table: its process has no reference left. */
    for (uint32_t i = 0; i < table->capacity; i++)
        if (table->entries[i].object)
            ntsec_object_put(table->entries[i].object);
    ntsec__free(table->entries);
    pthread_mutex_destroy(&table->lock);
}

/* The slot of a handle value. The kernel ignores a handle's two low bits,
 * which applications may use as tags (R. Chen, "Why are kernel HANDLEs
 * always a multiple of four?", The Old New Thing, Microsoft, 2005): 5
 * names the same entry as 4. Values with the top bit set are kernel
 * handles or pseudo-handles, never slots of a process table. */
static bool slot_of(const struct ntsec__handle_table *table, ntsec_handle handle, uint32_t *slot)
{
    uintptr_t index = handle >> 2;

    if (index == 0 || (handle >> (sizeof(handle) * 8 - 1)) || index > table->capacity)
        return false;
    if (!table->entries[index - 1].object)
        return false;
    *slot = (uint32_t)(index - 1);
    return true;
}

static ntsec_status grow(struct ntsec__handle_table *table)
{
    uint32_t capacity = table->capacity ? table->capacity * 2 : FIRST_CAPACITY;
    struct ntsec__handle_entry *entries;

    if (table->capacity >= HANDLE_MAX_SLOTS)
        return NTSEC_STATUS_INSUFFICIENT_RESOURCES;
    if (capacity > HANDLE_MAX_SLOTS)
        capacity = HANDLE_MAX_SLOTS;
    entries = ntsec__zalloc(capacity * sizeof(*entries));
    if (!entries)
        return NTSEC_STATUS_NO_MEMORY;
    if (table->capacity)
        memcpy(entries, table->entries, table->capacity * sizeof(*entries));
    ntsec__free(table->entries);
    table->entries = entries;
    table->capacity = capacity;
    return NTSEC_STATUS_SUCCESS;
}

/* A right that brings its limited form with it: "A handle that has the
 * PROCESS_QUERY_INFORMATION access right is automatically granted
 * PROCESS_QUERY_LIMITED_INFORMATION", and likewise THREAD_QUERY_INFORMATION
 * and THREAD_SET_INFORMATION for threads (Microsoft docs, "Process
 * Security and Access Rights", "Thread Security and Access Rights"). */
struct implied_right {
    enum ntsec_object_type type;
    uint32_t right;
    uint32_t implied;
};

#define NTSEC_THREAD_SET_LIMITED_INFORMATION 0x0400u

static const struct implied_right implied_rights[] = {
    { NTSEC_OBJECT_PROCESS, NTSEC_PROCESS_QUERY_INFORMATION, NTSEC_PROCESS_QUERY_LIMITED_INFORMATION },
    { NTSEC_OBJECT_THREAD, NTSEC_THREAD_QUERY_INFORMATION, NTSEC_THREAD_QUERY_LIMITED_INFORMATION },
    { NTSEC_OBJECT_THREAD, NTSEC_THREAD_SET_INFORMATION, NTSEC_THREAD_SET_LIMITED_INFORMATION },
};

static uint32_t with_implied_rights(const void *object, uint32_t granted)
{
    enum ntsec_object_type type = ntsec_object_type(object);

    for (size_t i = 0; i < sizeof(implied_rights) / sizeof(implied_rights[0]); i++)
        if (implied_rights[i].type == type && (granted & implied_rights[i].right))
            granted |= implied_rights[i].implied;
    return granted;
}

ntsec_status ntsec__handle_insert(struct ntsec__handle_table *table, void *object,
                                  uint32_t granted, uint32_t attributes, ntsec_handle *out)
{
    ntsec_status st = NTSEC_STATUS_SUCCESS;
    uint32_t slot;

    granted = with_implied_rights(object, granted);

    pthread_mutex_lock(&table->lock);
    /* Windows hands out the lowest free handle value first: a closed
     * handle's value is reused by the next open (Wine's dlls/kernel32/tests
     * and ntdll/tests/om.c rely on it). */
    for (slot = table->first_free; slot < table->capacity; slot++)
        if (!table->entries[slot].object)
            break;
    if (slot == table->capacity)
        st = grow(table);
    if (ntsec_success(st)) {
        ntsec_object_get(object);
        table->entries[slot] = (struct ntsec__handle_entry){ object, granted, attributes };
        table->open++;
        table->first_free = slot + 1;
        *out = (ntsec_handle)(slot + 1) * 4;
    }
    pthread_mutex_unlock(&table->lock);
    return st;
}

ntsec_status ntsec__handle_lookup(struct ntsec__handle_table *table, ntsec_handle handle,
                                  void **object, uint32_t *granted, uint32_t *attributes)
{
    ntsec_status st = NTSEC_STATUS_INVALID_HANDLE;
    uint32_t slot;

    pthread_mutex_lock(&table->lock);
    if (slot_of(table, handle, &slot)) {
        const struct ntsec__handle_entry *e = &table->entries[slot];

        ntsec_object_get(e->object);
        *object = e->object;
        *granted = e->granted;
        *attributes = e->attributes;
        st = NTSEC_STATUS_SUCCESS;
    }
    pthread_mutex_unlock(&table->lock);
    return st;
}

ntsec_status ntsec__handle_remove(struct ntsec__handle_table *table, ntsec_handle handle,
                                  void **object, uint32_t *granted, uint32_t *attributes)
{
    struct ntsec__handle_entry e = { 0 };
    uint32_t slot;

    pthread_mutex_lock(&table->lock);
    if (slot_of(table, handle, &slot)) {
        e = table->entries[slot];
        table->entries[slot].object = NULL;
        table->open--;
        if (slot < table->first_free)
            table->first_free = slot;
        /* An empty table gives its memory back: process 1's table lives as
         * long as the OS process, and a program that closes every handle
         * it opened should hold no memory for them. */
        if (!table->open) {
            ntsec__free(table->entries);
            table->entries = NULL;
            table->capacity = 0;
            table->first_free = 0;
        }
    }
    pthread_mutex_unlock(&table->lock);
    if (!e.object)
        return NTSEC_STATUS_INVALID_HANDLE;
    if (granted)
        *granted = e.granted;
    if (attributes)
        *attributes = e.attributes;
    if (object)
        *object = e.object;
    else
        ntsec_object_put(e.object);
    return NTSEC_STATUS_SUCCESS;
}

/* --- pseudo-handles ------------------------------------------------------------ */

/* The object a pseudo-handle stands for, for the calling thread: a new
 * reference. A thread-token pseudo-handle of a thread that does not
 * impersonate is STATUS_NO_TOKEN, as OpenThreadToken is
 * (GetCurrentThreadToken, Microsoft docs: "the same as OpenThreadToken"). */
static ntsec_status resolve_pseudo(const struct pseudo_handle *p, void **object)
{
    struct ntsec_thread *t = ntsec_thread_current();
    void *o = NULL;

    if (!t)
        return NTSEC_STATUS_NO_MEMORY;
    if (p->handle == NTSEC_CURRENT_PROCESS) {
        o = t->process;
        ntsec_object_get(o);
    } else if (p->handle == NTSEC_CURRENT_THREAD) {
        o = t;
        ntsec_object_get(o);
    } else if (p->handle == NTSEC_CURRENT_PROCESS_TOKEN) {
        o = ntsec_process_token(t->process);
    } else if (p->handle == NTSEC_CURRENT_THREAD_TOKEN) {
        o = ntsec_thread_impersonation(t, NULL, NULL, NULL);
        if (!o)
            return NTSEC_STATUS_NO_TOKEN;
    } else {
        o = ntsec_thread_effective_token();
    }
    *object = o;
    return NTSEC_STATUS_SUCCESS;
}

/* --- the handle services ------------------------------------------------------- */

ntsec_status ntsec_handle_create(void *object, uint32_t granted, uint32_t attributes,
                                 ntsec_handle *out)
{
    struct ntsec_process *p;

    if (!object || !out || (attributes & ~OBJ_VALID_ATTRIBUTES))
        return NTSEC_STATUS_INVALID_PARAMETER;
    p = ntsec_process_current();
    if (!p)
        return NTSEC_STATUS_NO_MEMORY;
    return ntsec__handle_insert(&p->handles, object, granted, attributes & NTSEC_OBJ_INHERIT, out);
}

/* A handle of the calling process: the object (a new reference), its
 * access and attributes; pseudo-handles included. */
static ntsec_status reference(ntsec_handle handle, void **object, uint32_t *granted,
                              uint32_t *attributes)
{
    const struct pseudo_handle *p = pseudo_of(handle);
    struct ntsec_process *process;
    ntsec_status st;

    if (p) {
        st = resolve_pseudo(p, object);
        if (ntsec_success(st)) {
            *granted = p->granted;
            *attributes = 0;
        }
        return st;
    }
    process = ntsec_process_current();
    if (!process)
        return NTSEC_STATUS_NO_MEMORY;
    return ntsec__handle_lookup(&process->handles, handle, object, granted, attributes);
}

/* ObReferenceObjectByHandle's order: the handle must be open
 * (STATUS_INVALID_HANDLE), its object of the type asked
 * (STATUS_OBJECT_TYPE_MISMATCH), and every bit desired granted by the
 * handle (STATUS_ACCESS_DENIED) - no generic bit is mapped here, the
 * caller passes specific rights (Microsoft docs, ObReferenceObjectByHandle,
 * Return value; the same order in ReactOS ob/obref.c). */
ntsec_status ntsec_handle_reference(ntsec_handle handle, enum ntsec_object_type type,
                                    uint32_t desired, void **object, uint32_t *granted)
{
    uint32_t g, attributes;
    void *o;
    ntsec_status st;

    if (!object)
        return NTSEC_STATUS_INVALID_PARAMETER;
    st = reference(handle, &o, &g, &attributes);
    if (!ntsec_success(st))
        return st;
    if (type && ntsec_object_type(o) != type)
        st = NTSEC_STATUS_OBJECT_TYPE_MISMATCH;
    else if (desired & ~g)
        st = NTSEC_STATUS_ACCESS_DENIED;
    if (!ntsec_success(st)) {
        ntsec_object_put(o);
        return st;
    }
    *object = o;
    if (granted)
        *granted = g;
    return NTSEC_STATUS_SUCCESS;
}

ntsec_status ntsec_handle_query(ntsec_handle handle, uint32_t *granted, uint32_t *attributes)
{
    uint32_t g, a;
    void *o;
    ntsec_status st = reference(handle, &o, &g, &a);

    if (!ntsec_success(st))
        return st;
    ntsec_object_put(o);
    if (granted)
        *granted = g;
    if (attributes)
        *attributes = a;
    return NTSEC_STATUS_SUCCESS;
}

/* CloseHandle on a pseudo-handle "has no effect" and succeeds (Microsoft
 * docs, GetCurrentProcess, GetCurrentProcessToken...; NtClose(-1) is
 * STATUS_SUCCESS in Wine's dlls/ntdll/tests/om.c run on Windows). */
ntsec_status ntsec_handle_close(ntsec_handle handle)
{
    struct ntsec_process *process;

    if (pseudo_of(handle))
        return NTSEC_STATUS_SUCCESS;
    process = ntsec_process_current();
    if (!process)
        return NTSEC_STATUS_NO_MEMORY;
    return ntsec__handle_remove(&process->handles, handle, NULL, NULL, NULL);
}

uint32_t ntsec_handle_count(struct ntsec_process *process)
{
    uint32_t n;

    if (!process)
        return 0;
    pthread_mutex_lock(&process->handles.lock);
    n = process->handles.open;
    pthread_mutex_unlock(&process->handles.lock);
    return n;
}

/* The token the calling thread's access checks run with in the context of
 * `process`: its impersonation token (with its level in *level) when it
 * impersonates, else `process`' primary token (*level -1). Windows
 * captures the subject of a duplication while attached to the target
 * process, so its primary token is the target's (ReactOS ob/obhandle.c,
 * ObDuplicateObject; behaviour only). */
static struct ntsec_token *subject_token(struct ntsec_thread *t, struct ntsec_process *process,
                                         int *level)
{
    enum ntsec_impersonation_level l;
    struct ntsec_token *token = ntsec_thread_impersonation(t, &l, NULL, NULL);

    if (token) {
        *level = (int)l;
        return token;
    }
    *level = -1;
    return ntsec_process_token(process);
}

/* Windows' NtDuplicateObject (Microsoft docs ZwDuplicateObject and
 * DuplicateHandle; the steps as ReactOS ob/obhandle.c ObDuplicateObject):
 *  1. the source handle is looked up in the source process; the
 *     pseudo-handles -1 and -2 stand for the caller's process and thread,
 *     while the token pseudo-handles "cannot be duplicated"
 *     (GetCurrentProcessToken, Microsoft docs): STATUS_INVALID_HANDLE;
 *  2. no target process: only DUPLICATE_CLOSE_SOURCE is meaningful
 *     (else STATUS_INVALID_PARAMETER);
 *  3. DUPLICATE_SAME_ATTRIBUTES / DUPLICATE_SAME_ACCESS take the source's;
 *     otherwise generic bits are mapped by the object's type and the mask
 *     cut to the type's valid rights plus ACCESS_SYSTEM_SECURITY
 *     (MAXIMUM_ALLOWED goes: it is not a right);
 *  4. rights beyond the source handle's are granted only when an access
 *     check against the object's descriptor grants them ("In some cases,
 *     the new handle can have more access rights than the original",
 *     DuplicateHandle, Remarks) - never for a file object (same Remarks);
 *  5. DUPLICATE_CLOSE_SOURCE closes the source "regardless of any error
 *     status returned" (DuplicateHandle, dwOptions): here the entry is
 *     taken out of the source table in step 1, so no other thread can
 *     close and reuse the handle value in between. */
ntsec_status ntsec_handle_duplicate(struct ntsec_process *source_process, ntsec_handle source,
                                    struct ntsec_process *target_process, uint32_t desired,
                                    uint32_t attributes, uint32_t options, ntsec_handle *out)
{
    const struct pseudo_handle *p = pseudo_of(source);
    struct ntsec_thread *t = ntsec_thread_current();
    uint32_t src_granted = 0, src_attributes = 0, access, granted;
    const struct ntsec_generic_mapping *mapping;
    enum ntsec_object_type type;
    void *object;
    ntsec_status st;

    if (!source_process || (target_process && !out))
        return NTSEC_STATUS_INVALID_PARAMETER;
    if (!t)
        return NTSEC_STATUS_NO_MEMORY;

    if (p && p->type == NTSEC_OBJECT_TOKEN)
        return NTSEC_STATUS_INVALID_HANDLE;
    if (p) {
        st = resolve_pseudo(p, &object);
        src_granted = p->granted;
    } else if (options & NTSEC_DUPLICATE_CLOSE_SOURCE) {
        st = ntsec__handle_remove(&source_process->handles, source, &object, &src_granted,
                                  &src_attributes);
    } else {
        st = ntsec__handle_lookup(&source_process->handles, source, &object, &src_granted,
                                  &src_attributes);
    }
    if (!ntsec_success(st))
        return st;
    if (!target_process) {
        ntsec_object_put(object);
        return (options & NTSEC_DUPLICATE_CLOSE_SOURCE) ? NTSEC_STATUS_SUCCESS
                                                        : NTSEC_STATUS_INVALID_PARAMETER;
    }

    type = ntsec_object_type(object);
    mapping = ntsec__object_mapping(type);
    if (options & NTSEC_DUPLICATE_SAME_ATTRIBUTES)
        attributes = src_attributes;
    attributes &= NTSEC_OBJ_INHERIT;
    if (options & NTSEC_DUPLICATE_SAME_ACCESS)
        access = src_granted;
    else
        access = ntsec_access_map_generic(desired, mapping) &
                 (ntsec__object_valid_access(type) | NTSEC_ACCESS_SYSTEM_SECURITY);

    st = NTSEC_STATUS_SUCCESS;
    if ((access & ~src_granted) && type == NTSEC_OBJECT_FILE) {
        /* A file object's access was decided by its file system at the
         * open: "a file handle created with the GENERIC_READ access right
         * cannot be duplicated so that it has both the GENERIC_READ and
         * GENERIC_WRITE access right" (DuplicateHandle, Remarks). The
         * docs name no error; ACCESS_DENIED is ntsec's choice. */
        st = NTSEC_STATUS_ACCESS_DENIED;
    } else if (access & ~src_granted) {
        int level;
        struct ntsec_token *token = subject_token(t, target_process, &level);

        st = ntsec__object_access_check(object, token, level, access, &granted);
        ntsec__token_put(token);
    }
    if (ntsec_success(st))
        st = ntsec__handle_insert(&target_process->handles, object, access, attributes, out);
    ntsec_object_put(object);
    return st;
}

/* Whose rights an open checks. */
enum open_as {
    OPEN_AS_CALLER,         /* the effective token and the thread's level */
    OPEN_AS_SELF,           /* the process' primary token */
    OPEN_KERNEL,            /* no check */
};

/* ObOpenObjectByPointer: a handle to an object the caller holds a pointer
 * to. Attributes outside OBJ_VALID_ATTRIBUTES are STATUS_INVALID_PARAMETER;
 * generic bits are mapped by the object's type (SeCreateAccessState,
 * Microsoft docs: "maps ... generic access"). In user mode the desired
 * access is checked against the object's descriptor with the caller's
 * effective token (SeAccessCheck); in kernel mode it is granted as asked,
 * MAXIMUM_ALLOWED standing for the type's GenericAll (SeAccessCheck,
 * AccessMode == KernelMode). */
static ntsec_status open_object(void *object, uint32_t desired, uint32_t attributes,
                                enum open_as as, ntsec_handle *out)
{
    const struct ntsec_generic_mapping *mapping;
    struct ntsec_thread *t;
    uint32_t access, granted;
    ntsec_status st;

    if (!object || !out || (attributes & ~OBJ_VALID_ATTRIBUTES))
        return NTSEC_STATUS_INVALID_PARAMETER;
    mapping = ntsec__object_mapping(ntsec_object_type(object));
    if (!mapping)
        return NTSEC_STATUS_OBJECT_TYPE_MISMATCH;
    t = ntsec_thread_current();
    if (!t)
        return NTSEC_STATUS_NO_MEMORY;
    access = ntsec_access_map_generic(desired, mapping);
    if (as == OPEN_KERNEL) {
        granted = access;
        if (granted & NTSEC_MAXIMUM_ALLOWED)
            granted = (granted & ~NTSEC_MAXIMUM_ALLOWED) | mapping->all;
    } else {
        int level = -1;
        struct ntsec_token *token = as == OPEN_AS_SELF ? ntsec_process_token(t->process)
                                                       : subject_token(t, t->process, &level);

        st = ntsec__object_access_check(object, token, level, access, &granted);
        ntsec__token_put(token);
        if (!ntsec_success(st))
            return st;
    }
    return ntsec__handle_insert(&t->process->handles, object, granted,
                                attributes & NTSEC_OBJ_INHERIT, out);
}

ntsec_status ntsec_object_open(void *object, uint32_t desired, uint32_t attributes,
                               bool kernel_mode, ntsec_handle *out)
{
    return open_object(object, desired, attributes, kernel_mode ? OPEN_KERNEL : OPEN_AS_CALLER,
                       out);
}

/* OpenAsSelf: "the access check is made against the process-level
 * security context" rather than the thread's (Microsoft docs,
 * OpenThreadToken, OpenAsSelf; NtOpenThreadTokenEx does it by setting the
 * impersonation aside for the check, as PsDisableImpersonation does).
 * The thread's impersonation level plays no part: the process is not
 * impersonating anyone. */
ntsec_status ntsec_object_open_as_self(void *object, uint32_t desired, uint32_t attributes,
                                       ntsec_handle *out)
{
    return open_object(object, desired, attributes, OPEN_AS_SELF, out);
}
