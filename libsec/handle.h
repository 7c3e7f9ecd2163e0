/* handle.h - a process' handle table inside libsec.
 *
 * Slot i of the table is handle (i + 1) * 4, as Windows' handles are
 * multiples of 4 starting at 4. Each open entry holds one reference on its
 * object, the access the handle grants and its attributes (OBJ_INHERIT).
 * One mutex per table serialises opens, closes and lookups; no other lock
 * is taken while it is held, so duplicating between two tables never
 * holds both. */
#ifndef NTSEC_LIBSEC_HANDLE_H
#define NTSEC_LIBSEC_HANDLE_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "ntsec/process.h"

struct ntsec__handle_entry {
    void *object;                       /* counted reference, or NULL: free */
    uint32_t granted;
    uint32_t attributes;
};

struct ntsec__handle_table {
    pthread_mutex_t lock;
    struct ntsec__handle_entry *entries;
    uint32_t capacity;                  /* slots allocated */
    uint32_t open;                      /* slots in use */
    uint32_t first_free;                /* no free slot below this one */
};

void ntsec__handle_table_init(struct ntsec__handle_table *table);

/* Close every handle left (dropping each object's reference) and free the
 * table: the rundown of a process' handle table when it goes. */
void ntsec__handle_table_destroy(struct ntsec__handle_table *table);

/* Enter `object` with `granted` and `attributes` in the lowest free slot;
 * the table takes its own reference. NTSEC_STATUS_NO_MEMORY when the table
 * cannot grow, NTSEC_STATUS_INSUFFICIENT_RESOURCES when it is full. */
ntsec_status ntsec__handle_insert(struct ntsec__handle_table *table, void *object,
                                  uint32_t granted, uint32_t attributes, ntsec_handle *out);

/* The entry behind a real (not pseudo) handle: a new reference on its
 * object, its access and attributes. NTSEC_STATUS_INVALID_HANDLE. */
ntsec_status ntsec__handle_lookup(struct ntsec__handle_table *table, ntsec_handle handle,
                                  void **object, uint32_t *granted, uint32_t *attributes);

/* Remove the entry and hand its reference to the caller (NULL `object`:
 * drop it). NTSEC_STATUS_INVALID_HANDLE. */
ntsec_status ntsec__handle_remove(struct ntsec__handle_table *table, ntsec_handle handle,
                                  void **object, uint32_t *granted, uint32_t *attributes);

/* Whether `handle` is one of the pseudo-handles -1, -2, -4, -5, -6. */
static inline bool ntsec__handle_is_pseudo(ntsec_handle handle)
{
    return handle == NTSEC_CURRENT_PROCESS || handle == NTSEC_CURRENT_THREAD ||
           handle == NTSEC_CURRENT_PROCESS_TOKEN || handle == NTSEC_CURRENT_THREAD_TOKEN ||
           handle == NTSEC_CURRENT_THREAD_EFFECTIVE_TOKEN;
}

#endif
