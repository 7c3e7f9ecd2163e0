/* object_sd.c - the security of process, thread, token and file (pipe
 * end) objects: the
 * generic mapping and valid access of each type, the default security
 * descriptor a new object gets, and the access check that opening one
 * runs (ntsec_object_open is in handle.c; this file decides), and the
 * counted, immutable descriptor blobs objects hold and readers borrow. */
#include <stdatomic.h>
#include <string.h>

#include "alloc.h"
#include "object_sd.h"
#include "pipe.h"
#include "process.h"
#include "sd.h"
#include "thread.h"
#include "token.h"

#define LABEL_AUTHORITY 16

struct type_security {
    enum ntsec_object_type type;
    struct ntsec_generic_mapping mapping;
    uint32_t valid_access;
};

/* GENERIC_MAPPING and ValidAccessMask of each object type.
 * Token: TOKEN_READ, TOKEN_WRITE, TOKEN_EXECUTE and TOKEN_ALL_ACCESS
 * (winnt.h); a handle may also hold SYNCHRONIZE (STANDARD_RIGHTS_ALL).
 * Process: read = READ_CONTROL | VM_READ | QUERY_INFORMATION; write =
 * READ_CONTROL | CREATE_THREAD | VM_OPERATION | VM_WRITE | DUP_HANDLE |
 * CREATE_PROCESS | SET_QUOTA | SET_INFORMATION | SUSPEND_RESUME; execute =
 * READ_CONTROL | SYNCHRONIZE | QUERY_LIMITED_INFORMATION; all =
 * PROCESS_ALL_ACCESS.
 * Thread: read = READ_CONTROL | GET_CONTEXT | QUERY_INFORMATION; write =
 * READ_CONTROL | TERMINATE | SUSPEND_RESUME | SET_CONTEXT | SET_INFORMATION
 * | SET_LIMITED_INFORMATION; execute = READ_CONTROL | SYNCHRONIZE |
 * QUERY_LIMITED_INFORMATION | RESUME; all = THREAD_ALL_ACCESS.
 * winnt.h gives only the *_ALL_ACCESS values of these two; the others are
 * what Windows 10 reports for the Process and Thread types (NtQueryObject
 * ObjectTypesInformation, as tabulated in J. Forshaw, "Windows Security
 * Internals", 2024). */
static const struct type_security types[] = {
    { NTSEC_OBJECT_TOKEN, { 0x00020008u, 0x000200E0u, 0x00020000u, 0x000F01FFu }, 0x001F01FFu },
    { NTSEC_OBJECT_PROCESS, { 0x00020410u, 0x00020BEAu, 0x00121000u, 0x001FFFFFu }, 0x001FFFFFu },
    { NTSEC_OBJECT_THREAD, { 0x00020048u, 0x00020437u, 0x00121800u, 0x001FFFFFu }, 0x001FFFFFu },
    /* File objects (the ends of a named pipe): FILE_GENERIC_READ, _WRITE,
     * _EXECUTE and FILE_ALL_ACCESS (winnt.h; "File Security and Access
     * Rights", Microsoft docs). Their descriptor is the pipe's
     * (libsec/pipe_sd.c assigns it; slot_of below finds it). */
    { NTSEC_OBJECT_FILE,
      { NTSEC_FILE_GENERIC_READ, NTSEC_FILE_GENERIC_WRITE, NTSEC_FILE_GENERIC_EXECUTE,
        NTSEC_FILE_ALL_ACCESS },
      NTSEC_FILE_ALL_ACCESS },
};

static const struct type_security *type_of(enum ntsec_object_type type)
{
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
        if (types[i].type == type)
            return &types[i];
    return NULL;
}

const struct ntsec_generic_mapping *ntsec__object_mapping(enum ntsec_object_type type)
{
    const struct type_security *t = type_of(type);

    return t ? &t->mapping : NULL;
}

uint32_t ntsec__object_valid_access(enum ntsec_object_type type)
{
    const struct type_security *t = type_of(type);

    return t ? t->valid_access : 0;
}

/* A SACL holding one mandatory label ACE: header 8, ACE header 4, mask 4,
 * SID S-1-16-rid 12. */
struct label_acl {
    _Alignas(4) uint8_t bytes[28];
};

static void build_label(struct label_acl *acl, uint32_t rid)
{
    struct ntsec_sid label;

    ntsec_sid_init(&label, LABEL_AUTHORITY, 1, &rid);
    ntsec_acl_init((struct ntsec_acl *)acl->bytes, sizeof(acl->bytes), NTSEC_ACL_REVISION);
    /* Process and thread objects are labelled No-Write-Up and No-Read-Up
     * at their token's integrity level, so that a lower-integrity caller
     * can neither write to nor read another process' memory or thread
     * context (Microsoft docs, "Windows Integrity Mechanism Design",
     * Mandatory labels assigned to objects / process objects). */
    ntsec_acl_add_mandatory_ace((struct ntsec_acl *)acl->bytes, NTSEC_ACL_REVISION, 0,
                                NTSEC_MANDATORY_NO_WRITE_UP | NTSEC_MANDATORY_NO_READ_UP, &label);
}

/* SeAssignSecurity without a parent or an explicit descriptor: the owner
 * is the creator token's default owner (TokenOwner), the group its primary
 * group, the DACL its default DACL; without a default DACL the object has
 * none, which grants everything. "The ACLs in the default security
 * descriptor for a process come from the primary or impersonation token of
 * the creator" (Microsoft docs, "Process Security and Access Rights"; the
 * same sentence in "Thread Security and Access Rights"). */
/* SeAssignSecurity maps the generic rights of the ACEs it copies from the
 * default DACL with the object type's generic mapping, so the object's
 * DACL holds specific rights (Microsoft docs, SeAssignSecurity and
 * CreatePrivateObjectSecurity, GenericMapping; a process' DACL shows
 * PROCESS_ALL_ACCESS where the default DACL said GENERIC_ALL). The access
 * check itself never maps an ACE's generic bits. */
void ntsec__acl_map_generic(struct ntsec_acl *dacl, const struct ntsec_generic_mapping *mapping)
{
    const struct ntsec_ace_header *ace;

    /* Label, resource-attribute, scoped-policy, trust-label and filter
     * ACEs (0x11 and up) carry no generic rights. */
    for (uint32_t i = 0; ntsec_success(ntsec_acl_get_ace(dacl, i, &ace)); i++) {
        uint32_t mask;

        if (ace->type >= NTSEC_ACE_SYSTEM_MANDATORY_LABEL || ace->size < 8)
            continue;
        memcpy(&mask, (const uint8_t *)ace + 4, sizeof(mask));
        mask = ntsec_access_map_generic(mask, mapping);
        memcpy((uint8_t *)ace + 4, &mask, sizeof(mask));
    }
}

struct ntsec__sd_blob *ntsec__sd_blob_alloc(uint32_t size)
{
    struct ntsec__sd_blob *b = ntsec__alloc(sizeof(*b) + size);

    if (!b)
        return NULL;
    atomic_init(&b->refs, 1);
    b->size = size;
    return b;
}

void ntsec__sd_blob_put(struct ntsec__sd_blob *b)
{
    if (b && atomic_fetch_sub_explicit(&b->refs, 1, memory_order_acq_rel) == 1)
        ntsec__free(b);
}

ntsec_status ntsec__object_default_sd(const struct ntsec_token *creator,
                                      const struct ntsec_token *labelled,
                                      enum ntsec_object_type type, struct ntsec__sd_blob **out)
{
    struct ntsec__sd_parts written;
    struct ntsec_token *t = (struct ntsec_token *)creator;
    struct ntsec__sd_parts parts = { .revision = NTSEC_SD_REVISION };
    struct label_acl sacl;
    uint32_t owner_pos, group_pos, seq, size;
    struct ntsec__sd_blob *b;

    do {
        seq = ntsec__token_read_begin(t);
        owner_pos = atomic_load_explicit(&t->owner_pos, memory_order_relaxed);
        group_pos = atomic_load_explicit(&t->primary_group_pos, memory_order_relaxed);
    } while (ntsec__token_read_retry(t, seq));
    parts.owner = t->sids[owner_pos].sid;
    parts.group = t->sids[group_pos].sid;
    if (labelled) {
        build_label(&sacl, ntsec_token_integrity(labelled));
        parts.sacl = (const struct ntsec_acl *)sacl.bytes;
        parts.control |= NTSEC_SE_SACL_PRESENT;
    }

    /* The default DACL is replaced under the token's mutex
     * (libsec/token.h): copy it out while holding it. */
    pthread_mutex_lock(&t->lock);
    if (t->default_dacl) {
        parts.dacl = t->default_dacl;
        parts.control |= NTSEC_SE_DACL_PRESENT;
    }
    size = ntsec__sd_relative_length(&parts);
    b = ntsec__sd_blob_alloc(size);
    if (b)
        ntsec__sd_write_relative(&parts, b->sd);
    pthread_mutex_unlock(&t->lock);
    if (!b)
        return NTSEC_STATUS_NO_MEMORY;
    if (ntsec_success(ntsec__sd_parts(b->sd, size, &written)) && written.dacl)
        ntsec__acl_map_generic((struct ntsec_acl *)written.dacl, ntsec__object_mapping(type));
    *out = b;
    return NTSEC_STATUS_SUCCESS;
}

ntsec_status ntsec__object_security_init(struct ntsec__object_security *sec,
                                         const struct ntsec_token *creator,
                                         const struct ntsec_token *labelled,
                                         enum ntsec_object_type type)
{
    ntsec_status st = ntsec__object_default_sd(creator, labelled, type, &sec->sd);

    if (ntsec_success(st))
        pthread_mutex_init(&sec->lock, NULL);
    return st;
}

void ntsec__object_security_destroy(struct ntsec__object_security *sec)
{
    ntsec__sd_blob_put(sec->sd);
    pthread_mutex_destroy(&sec->lock);
}

/* The mutex that guards `object`'s descriptor slot, NULL for a type
 * without one. A pipe end's descriptor is its pipe's, shared by every
 * instance and end of it (NPFS keeps it in the FCB: ReactOS npfs
 * secursup.c, behaviour), and reached under the pipe lock that keeps
 * the end attached. */
static pthread_mutex_t *slot_lock(void *object)
{
    switch (ntsec_object_type(object)) {
    case NTSEC_OBJECT_PROCESS:
        return &((struct ntsec_process *)object)->sec.lock;
    case NTSEC_OBJECT_THREAD:
        return &((struct ntsec_thread *)object)->sec.lock;
    case NTSEC_OBJECT_TOKEN:
        return &((struct ntsec_token *)object)->lock;
    case NTSEC_OBJECT_FILE:
        return &ntsec__pipe_lock;
    default:
        return NULL;
    }
}

/* Under slot_lock(object). */
static struct ntsec__sd_blob **slot_of(void *object)
{
    switch (ntsec_object_type(object)) {
    case NTSEC_OBJECT_PROCESS:
        return &((struct ntsec_process *)object)->sec.sd;
    case NTSEC_OBJECT_THREAD:
        return &((struct ntsec_thread *)object)->sec.sd;
    case NTSEC_OBJECT_TOKEN:
        return &((struct ntsec_token *)object)->sd;
    case NTSEC_OBJECT_FILE: {
        /* An attached end's instance is in its pipe (pipe.h). */
        struct ntsec__pipe_instance *i = ((struct ntsec_pipe_end *)object)->inst;

        return i ? &i->pipe->sd : NULL;
    }
    default:
        return NULL;
    }
}

ntsec_status ntsec__object_sd_lock(void *object, struct ntsec__sd_blob ***slot)
{
    pthread_mutex_t *lock = slot_lock(object);

    if (!lock)
        return NTSEC_STATUS_OBJECT_TYPE_MISMATCH;
    pthread_mutex_lock(lock);
    *slot = slot_of(object);
    if (*slot)
        return NTSEC_STATUS_SUCCESS;
    pthread_mutex_unlock(lock);
    /* A pipe end its instance let go of (the client end after
     * DisconnectNamedPipe): no pipe, so no descriptor. ntsec answers as
     * for every other call on such an end (pipe_io.c); ntsec's choice. */
    return NTSEC_STATUS_PIPE_DISCONNECTED;
}

void ntsec__object_sd_unlock(void *object)
{
    pthread_mutex_unlock(slot_lock(object));
}

ntsec_status ntsec__object_sd_acquire(void *object, struct ntsec__sd_blob **out)
{
    struct ntsec__sd_blob **slot, *b;
    ntsec_status st = ntsec__object_sd_lock(object, &slot);

    if (!ntsec_success(st))
        return st;
    b = *slot;
    if (b)
        atomic_fetch_add_explicit(&b->refs, 1, memory_order_relaxed);
    ntsec__object_sd_unlock(object);
    if (b) {
        *out = b;
        return NTSEC_STATUS_SUCCESS;
    }
    /* ntsec does not keep a descriptor per token object until one is set:
     * it builds the one SeAssignSecurity would have given it had the
     * token made itself (its own owner, group and default DACL). For a
     * token made by its own process, or duplicated from one, that is the
     * creator's default, as Windows has it. Built outside the lock, which
     * building takes. */
    return ntsec__object_default_sd(object, NULL, NTSEC_OBJECT_TOKEN, out);
}

ntsec_status ntsec__object_access_check(void *object, const struct ntsec_token *token,
                                        int thread_level, uint32_t desired, uint32_t *granted)
{
    enum ntsec_object_type type = ntsec_object_type(object);
    struct ntsec_access_result result = { 0 };
    struct ntsec_access_request rq = {
        .token = token,
        .desired = desired,
        .mapping = ntsec__object_mapping(type),
    };
    struct ntsec__sd_blob *sd;
    ntsec_status st;

    /* SeAccessCheck on the subject of an impersonating thread: a client
     * below SecurityImpersonation cannot open objects
     * (STATUS_BAD_IMPERSONATION_LEVEL; Microsoft docs, "Impersonation
     * Levels": at Identification level the server "cannot impersonate"
     * to access objects). The level is the thread's, not the token's. */
    if (thread_level >= 0 && thread_level < NTSEC_SECURITY_IMPERSONATION)
        return NTSEC_STATUS_BAD_IMPERSONATION_LEVEL;

    if (!rq.mapping)
        return NTSEC_STATUS_OBJECT_TYPE_MISMATCH;
    st = ntsec__object_sd_acquire(object, &sd);
    if (!ntsec_success(st))
        return st;
    rq.sd = ntsec__sd_blob_sd(sd);
    st = ntsec_access_check(&rq, &result);
    ntsec__sd_blob_put(sd);
    if (!ntsec_success(st))
        return st;
    if (!ntsec_success(result.status))
        return result.status;
    *granted = result.granted;
    return NTSEC_STATUS_SUCCESS;
}
