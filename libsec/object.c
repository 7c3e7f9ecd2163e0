/* object.c - counted kernel objects: ObReferenceObject,
 * ObDereferenceObject, and the live-object count tests read. */
#include "object.h"

static atomic_long live_objects;

void ntsec__object_init(struct ntsec__object *obj, enum ntsec_object_type type,
                        void (*destroy)(struct ntsec__object *obj))
{
    atomic_init(&obj->refs, 1);
    obj->type = type;
    obj->destroy = destroy;
    atomic_fetch_add_explicit(&live_objects, 1, memory_order_relaxed);
}

void ntsec__object_free(struct ntsec__object *obj)
{
    atomic_fetch_sub_explicit(&live_objects, 1, memory_order_relaxed);
    obj->destroy(obj);
}

void ntsec_object_get(void *object)
{
    ntsec__object_get(object);
}

void ntsec_object_put(void *object)
{
    ntsec__object_put(object);
}

enum ntsec_object_type ntsec_object_type(const void *object)
{
    return ((const struct ntsec__object *)object)->type;
}

long ntsec_object_live(void)
{
    return atomic_load_explicit(&live_objects, memory_order_relaxed);
}
