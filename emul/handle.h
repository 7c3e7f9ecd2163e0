/* handle.h - what the adapters that take or give handles share (ntdll,
 * advapi32, kernel32): a HANDLE is an ntsec_handle of the current
 * emulated process (include/ntsec/process.h), pseudo-handles included,
 * and the conversions every token function repeats.
 *
 * No Windows rule lives here (STYLE rule 1): which access a function
 * needs is written next to the function. Helpers are static inline and
 * named emul__*, so the linker script exports none of them. */
#ifndef NTSEC_EMUL_HANDLE_H
#define NTSEC_EMUL_HANDLE_H

#include "common.h"


static inline ntsec_handle emul__handle(HANDLE h)
{
    return (ntsec_handle)(uintptr_t)h;
}

static inline HANDLE emul__to_handle(ntsec_handle h)
{
    return (HANDLE)(uintptr_t)h;
}

static inline const struct ntsec_sid_and_attributes *emul__sa(const SID_AND_ATTRIBUTES *a)
{
    return (const struct ntsec_sid_and_attributes *)a;
}

static inline const struct ntsec_luid_and_attributes *emul__la(const LUID_AND_ATTRIBUTES *a)
{
    return (const struct ntsec_luid_and_attributes *)a;
}

/* The token behind `h`, checked for `desired` access on the handle: a new
 * reference the caller releases with ntsec_token_put(). `granted`
 * (optional) receives the access the handle grants. */
static inline NTSTATUS emul__token_ref(HANDLE h, ACCESS_MASK desired, struct ntsec_token **out,
                                       ACCESS_MASK *granted)
{
    void *object = NULL;
    uint32_t g = 0;
    ntsec_status st = ntsec_handle_reference(emul__handle(h), NTSEC_OBJECT_TOKEN, desired, &object,
                                             &g);

    if (!ntsec_success(st))
        return st;
    *out = object;
    if (granted)
        *granted = g;
    return STATUS_SUCCESS;
}

/* The object behind a process or thread handle (a new reference,
 * released with ntsec_object_put()). */
static inline NTSTATUS emul__object_ref(HANDLE h, enum ntsec_object_type type, ACCESS_MASK desired,
                                        void **out)
{
    return ntsec_handle_reference(emul__handle(h), type, desired, out, NULL);
}

/* A handle in the current process to a token the caller just made:
 * `desired` 0 enters it with `same_access` without a check (what a
 * duplicate "with the same access" gets); otherwise the access is checked
 * against the new token's security descriptor with the caller's effective
 * token, as ObInsertObject does. Consumes the caller's reference on
 * `token` whatever happens; *out is written only on success. */
static inline NTSTATUS emul__token_handle(struct ntsec_token *token, ACCESS_MASK desired,
                                          ACCESS_MASK same_access, ULONG attributes, HANDLE *out)
{
    ntsec_handle h = 0;
    ntsec_status st;

    if (desired)
        st = ntsec_object_open(token, desired, attributes, false, &h);
    else
        st = ntsec_handle_create(token, same_access, attributes, &h);
    ntsec_token_put(token);
    if (!ntsec_success(st))
        return st;
    *out = emul__to_handle(h);
    return STATUS_SUCCESS;
}

/* NtFilterToken / CreateRestrictedToken: the source handle needs
 * TOKEN_DUPLICATE, and the new token's handle gets the source handle's
 * access (CreateRestrictedToken, Microsoft docs, NewTokenHandle: "This
 * handle has the same access rights as ExistingTokenHandle"). */
static inline NTSTATUS emul__filter_token(HANDLE existing, const struct ntsec_token_filter *filter,
                                          HANDLE *out)
{
    struct ntsec_token *src, *filtered;
    ACCESS_MASK granted;
    NTSTATUS st;

    if (!out)
        return STATUS_ACCESS_VIOLATION;
    st = emul__token_ref(existing, TOKEN_DUPLICATE, &src, &granted);
    if (!NT_SUCCESS(st))
        return st;
    st = ntsec_token_filter(src, filter, &filtered);
    ntsec_token_put(src);
    if (!NT_SUCCESS(st))
        return st;
    return emul__token_handle(filtered, 0, granted, 0, out);
}

/* A Win32 function that gives a handle or fails with the last error. */
static inline BOOL emul__result_handle(NTSTATUS st, HANDLE h, HANDLE *out)
{
    if (!NT_SUCCESS(st))
        return emul__result(st);
    *out = h;
    return TRUE;
}

#endif
