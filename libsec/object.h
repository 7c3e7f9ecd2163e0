/* object.h - the header every counted kernel object starts with.
 *
 * As in Linux's cred.h, the get is inline and the put is inline down to
 * the last reference, whose free is out of line: impersonate/revert pays
 * one atomic operation each way and nothing else. */
#ifndef NTSEC_LIBSEC_OBJECT_H
#define NTSEC_LIBSEC_OBJECT_H

#include <stdatomic.h>
#include <stdint.h>

#include "ntsec/object.h"

struct ntsec__object {
    atomic_long refs;
    enum ntsec_object_type type;
    void (*destroy)(struct ntsec__object *obj);     /* frees the object */
};

/* Start life with one reference, owned by the creator. */
void ntsec__object_init(struct ntsec__object *obj, enum ntsec_object_type type,
                        void (*destroy)(struct ntsec__object *obj));

/* Called when the last reference goes: counts and destroys. Out of line. */
void ntsec__object_free(struct ntsec__object *obj);

static inline void ntsec__object_get(struct ntsec__object *obj)
{
    atomic_fetch_add_explicit(&obj->refs, 1, memory_order_relaxed);
}

static inline void ntsec__object_put(struct ntsec__object *obj)
{
    if (atomic_fetch_sub_explicit(&obj->refs, 1, memory_order_acq_rel) == 1)
        ntsec__object_free(obj);
}

#endif
