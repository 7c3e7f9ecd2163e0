/* ntsec/object.h - counted kernel objects.
 *
 * Tokens (and, with later layers, processes and threads) are kernel objects
 * with one reference count each. ObReferenceObject / ObDereferenceObject
 * work on any of them, as in Windows' object manager; the object is freed
 * when its last reference goes. */
#ifndef NTSEC_OBJECT_H
#define NTSEC_OBJECT_H

enum ntsec_object_type {
    NTSEC_OBJECT_TOKEN   = 1,
    NTSEC_OBJECT_PROCESS = 2,
    NTSEC_OBJECT_THREAD  = 3,
};

/* ObReferenceObject: take one more reference on `object`. */
void ntsec_object_get(void *object);

/* ObDereferenceObject: drop one reference; frees the object with the last. */
void ntsec_object_put(void *object);

/* The type of a counted object. */
enum ntsec_object_type ntsec_object_type(const void *object);

/* Objects alive in this process (all types): leak checks in tests. */
long ntsec_object_live(void);

#endif
