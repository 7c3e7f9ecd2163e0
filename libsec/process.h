/* process.h - the layout of an emulated process inside libsec.
 *
 * A process is a counted kernel object (object.h) with a client id, a
 * primary token, a handle table and a security descriptor. The primary
 * token is set at creation and never replaced (NtSetInformationProcess
 * ProcessAccessToken is not modelled), so readers need no lock to take a
 * reference on it. Its machine too is set at creation and never changes. */
#ifndef NTSEC_LIBSEC_PROCESS_H
#define NTSEC_LIBSEC_PROCESS_H

#include <stdint.h>

#include "handle.h"
#include "machine.h"
#include "ntsec/process.h"
#include "object.h"
#include "object_sd.h"

/* An entry of the client-id table (object_ids.c), inside its object. */
struct ntsec__cid_entry {
    struct ntsec__cid_entry *next;
    struct ntsec__object *object;       /* not counted */
    uint32_t id;
};

struct ntsec_process {
    struct ntsec__object obj;           /* first: ObReferenceObject works on it */
    uint32_t pid;
    struct ntsec__cid_entry cid;
    struct ntsec_token *token;          /* primary token: a counted reference */
    struct ntsec__handle_table handles;
    struct ntsec__object_security sec;  /* its security descriptor */
    char *name;                         /* owned copy, or NULL */
    char machine[NTSEC__MACHINE_NAME_MAX + 1];  /* the world's machine it runs on */
};

/* A new client id (process or thread id): Windows gives both from one
 * table, so they are multiples of 4 and never equal. */
uint32_t ntsec__cid_allocate(void);

/* Enter a process or thread just made (its count above zero) under `id`;
 * never fails. Remove it from its destroy, before its memory goes. */
void ntsec__cid_insert(struct ntsec__cid_entry *e, uint32_t id, struct ntsec__object *object);
void ntsec__cid_remove(struct ntsec__cid_entry *e);

/* The live object of `type` with `id`: a new reference, or NULL when
 * there is none (or only one whose last reference is going). */
void *ntsec__cid_reference(uint32_t id, enum ntsec_object_type type);

/* Process 1, created on first use with the Linux credentials' token;
 * a borrowed pointer (it lives as long as the OS process), or NULL when
 * it could not be made (out of memory; the next call tries again). */
struct ntsec_process *ntsec__process_one(void);

#endif
