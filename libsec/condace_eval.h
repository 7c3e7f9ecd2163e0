/* condace_eval.h - evaluating a conditional ACE's expression during an
 * access check ([MS-DTYP] 2.4.4.17.5 - 2.4.4.17.9): against the token's
 * user and device claims, its groups and device groups, and the resource
 * attributes of the object (the RA ACEs of its SACL). */
#ifndef NTSEC_LIBSEC_CONDACE_EVAL_H
#define NTSEC_LIBSEC_CONDACE_EVAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ntsec/acl.h"
#include "ntsec/token.h"

/* [MS-DTYP]'s three-valued logic: an expression can be TRUE, FALSE or
 * UNKNOWN (a missing attribute, a type mismatch, a malformed expression).
 * An allow ACE applies only when TRUE; a deny ACE applies unless FALSE
 * ([MS-DTYP] 2.4.4.17.9 / the access check algorithm 2.5.3.2). */
enum ntsec__cond_result {
    NTSEC__COND_FALSE   = 0,
    NTSEC__COND_TRUE    = 1,
    NTSEC__COND_UNKNOWN = 2,
};

struct ntsec__cond_context {
    const struct ntsec_token *token;        /* user/device claims, groups, device groups */
    const struct ntsec_acl *sacl;           /* resource attributes: RA ACEs, or NULL */
    const struct ntsec_sid *principal_self; /* stands for S-1-5-10 in Member_of, or NULL */
    /* The ACE being evaluated denies (ACCESS_DENIED_CALLBACK*): a
     * deny-only group then counts in Member_of, and a USE_FOR_DENY_ONLY
     * claim is seen (Microsoft docs, "Security Descriptor Definition
     * Language for Conditional ACEs", Member_of). false: an allow ACE.
     * The access check never sets it: like the kernel's, it ignores deny
     * callback ACEs (access_dacl.c); the evaluator keeps the rule for an
     * AuthzAccessCheck-style caller and its own tests. */
    bool deny_ace;
    /* The restricted-SID pass of a restricted token: Member_of tests the
     * restricted SIDs instead of the user and groups ([MS-DTYP] 2.5.3.2). */
    bool restricted_pass;
};

/* Evaluate the application data of a callback ACE (starting "artx").
 * Never reads past `len`; allocates nothing. A token being changed by
 * another thread is read as the access check reads it (seqlock: the
 * caller retries the whole check when the token changed). */
enum ntsec__cond_result ntsec__cond_evaluate(const uint8_t *data, size_t len,
                                             const struct ntsec__cond_context *ctx);

#endif
