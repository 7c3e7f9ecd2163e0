/* access_internal.h - the state of one access check, shared by the files
 * that implement its steps: access.c (the pipeline, the owner), 
 * access_integrity.c (process trust label and mandatory integrity),
 * access_privilege.c (rights granted by privileges) and access_dacl.c (the
 * DACL walk, restricted SIDs, object types). Nothing here allocates. */
#ifndef NTSEC_LIBSEC_ACCESS_INTERNAL_H
#define NTSEC_LIBSEC_ACCESS_INTERNAL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "ntsec/access.h"
#include "sd.h"
#include "token.h"

/* Everything one run of the check reads and decides. A run reads the
 * token's mutable state (group attributes, privileges, integrity, policy)
 * with relaxed loads; the caller repeats the run when the token's seqlock
 * says a writer ran meanwhile. */
struct ntsec__access {
    const struct ntsec_access_request *rq;
    const struct ntsec_token *token;
    struct ntsec__sd_parts sd;
    struct ntsec_generic_mapping mapping;   /* a copy: zero when the caller gave none */
    const struct ntsec_access_trace *trace; /* NULL: no trace (the fast path) */

    uint32_t desired;           /* as asked, MAXIMUM_ALLOWED included */
    uint32_t remaining;         /* explicit bits not granted yet */
    uint32_t previously;        /* granted outside the DACL: caller, owner, privileges */
    uint32_t mandatory_allowed; /* what the trust label and integrity let through */
    uint64_t privileges_used;   /* bit n: privilege LUID n granted something */
    bool maximum;               /* MAXIMUM_ALLOWED was asked */
    bool restricted;            /* the token has restricted SIDs */
    uint32_t *result_list_granted;          /* the caller's arrays (RESULT_LIST) */
    ntsec_status *result_list_status;

    /* Outcome of the run. */
    uint32_t granted;
    ntsec_status status;
};

/* How a SID of an ACE relates to the token, for the decision and for the
 * trace's "why". */
enum ntsec__sid_match {
    NTSEC__SID_ABSENT,          /* neither the user nor a group */
    NTSEC__SID_DISABLED,        /* a group that is not enabled */
    NTSEC__SID_DENY_ONLY,       /* a deny-only group (or user) and an allow ACE */
    NTSEC__SID_MATCH,
};

/* Whether an ACE's SID is in the token (ReactOS ntoskrnl/se SepSidInTokenEx;
 * Forshaw, Windows Security Internals ch. 7, Listing 7-17: deny ACEs match
 * enabled and deny-only groups, "the token's user SID as a DenyOnly group as
 * well"): the user matches unless it is deny-only; a group when it is
 * enabled; a deny-only one only for a deny ACE. In the restricted-SID pass
 * the restricted SIDs are the list and the user has no exemption: each
 * must be enabled (ReactOS SepSidInTokenEx). */
static inline enum ntsec__sid_match ntsec__access_sid_match(const struct ntsec_token *t,
                                                            const struct ntsec_sid *sid,
                                                            uint32_t hash, bool deny,
                                                            bool restricted)
{
    const struct ntsec__token_sid *e;
    uint32_t pos, attr;

    if (restricted) {
        pos = ntsec__sid_index_find_hashed(&t->restricted_index, t->restricted, sid, hash);
        if (pos == NTSEC__NO_INDEX)
            return NTSEC__SID_ABSENT;
        e = &t->restricted[pos];
    } else {
        pos = ntsec__sid_index_find_hashed(&t->index, t->sids, sid, hash);
        if (pos == NTSEC__NO_INDEX)
            return NTSEC__SID_ABSENT;
        e = &t->sids[pos];
    }
    attr = atomic_load_explicit(&((struct ntsec__token_sid *)e)->attributes, memory_order_relaxed);
    if (attr & NTSEC_SE_GROUP_USE_FOR_DENY_ONLY)
        return deny ? NTSEC__SID_MATCH : NTSEC__SID_DENY_ONLY;
    if ((!restricted && pos == 0) || (attr & NTSEC_SE_GROUP_ENABLED))
        return NTSEC__SID_MATCH;
    return NTSEC__SID_DISABLED;
}

/* --- reading ACEs of a valid ACL (the descriptor was validated) ---------- */

static inline const struct ntsec_ace_header *ntsec__acl_first_ace(const struct ntsec_acl *acl)
{
    return (const struct ntsec_ace_header *)(acl + 1);
}

static inline const struct ntsec_ace_header *ntsec__ace_next(const struct ntsec_ace_header *ace)
{
    return (const struct ntsec_ace_header *)((const uint8_t *)ace + ace->size);
}

static inline uint32_t ntsec__ace_mask_raw(const struct ntsec_ace_header *ace)
{
    uint32_t m;

    memcpy(&m, (const uint8_t *)ace + 4, sizeof m);
    return m;
}

/* Report one step to the trace sink. Call only when a->trace is set: the
 * untraced check never builds a step. */
void ntsec__access_emit(const struct ntsec__access *a, const struct ntsec_access_step *step);

/* A step that names no ACE (ace_index -1). */
void ntsec__access_emit_simple(const struct ntsec__access *a, enum ntsec_access_step_kind kind,
                               uint32_t bits, const struct ntsec_sid *sid, const char *why);

/* access_integrity.c: the process trust label and mandatory integrity
 * checks. Sets a->mandatory_allowed. Returns false when an explicitly
 * asked right is refused (the check then ends with STATUS_ACCESS_DENIED);
 * *st receives a failure of the call itself (a label ACE whose SID is not
 * a mandatory label: STATUS_INVALID_PARAMETER), else SUCCESS. */
bool ntsec__access_mandatory(struct ntsec__access *a, ntsec_status *st);

/* access_privilege.c: the rights privileges grant (ACCESS_SYSTEM_SECURITY,
 * WRITE_OWNER, backup/restore intent), moved from a->remaining to
 * a->previously. Returns false when ACCESS_SYSTEM_SECURITY was asked
 * without SeSecurityPrivilege (STATUS_PRIVILEGE_NOT_HELD). */
bool ntsec__access_privileges(struct ntsec__access *a);

/* access_dacl.c: walk the DACL (present and not NULL) for what remains,
 * with the restricted-SID pass and object types, and set a->granted and
 * a->status (and the caller's result list). */
void ntsec__access_dacl(struct ntsec__access *a);

/* access_dacl.c: whether the DACL holds an ACE for OWNER RIGHTS
 * (S-1-3-4) that applies to the object, which takes the owner's implied
 * rights away. */
bool ntsec__access_dacl_has_owner_rights(const struct ntsec_acl *dacl);

/* access.c: the decision for the object (or one node of its object type
 * list) from the bits the DACL granted. */
void ntsec__access_decide(const struct ntsec__access *a, uint32_t dacl_granted,
                          uint32_t *granted, ntsec_status *status);

/* Fill every node of the caller's result list with one decision (a check
 * that ended before the DACL: the same answer for each object type). */
void ntsec__access_fill_list(const struct ntsec__access *a);

#endif
