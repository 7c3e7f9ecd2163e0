/* token.h - the layout of a token inside libsec, and how to read it.
 *
 * Immutable after creation: type, level, ids (but ModifiedId), source,
 * the SIDs themselves (user, groups, restricted SIDs, device groups),
 * the membership indexes, claims, linked token, elevation type, the
 * network-credentials flag.
 *
 * Mutable (AdjustTokenPrivileges, AdjustTokenGroups, SetTokenInformation):
 * group attributes, privilege masks, owner and primary-group choice,
 * integrity RID, mandatory policy, session id, ModifiedId, origin,
 * virtualization flag - all atomics - and the default DACL.
 *
 * Concurrency. Writers serialise on the token's mutex and publish under a
 * sequence counter (a seqlock): a reader takes ntsec__token_read_begin(),
 * reads what it needs with relaxed atomic loads, and repeats if
 * ntsec__token_read_retry() says a writer ran meanwhile. Readers never
 * block a writer or each other and take no lock; writers are rare. The
 * default DACL is a pointer replaced by SetTokenInformation, so it is read
 * under the mutex (only object creation and queries read it). */
#ifndef NTSEC_LIBSEC_TOKEN_H
#define NTSEC_LIBSEC_TOKEN_H

#include <pthread.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "ntsec/token.h"
#include "object.h"

#define NTSEC__NO_INDEX UINT32_MAX

/* sizeof(TOKEN_AUDIT_POLICY): PerUserPolicy[(POLICY_AUDIT_SUBCATEGORY_COUNT
 * >> 1) + 1] with 59 subcategories in the current Windows SDK winnt.h, a
 * nibble each: 30 bytes (Wine's winnt.h still has 53). */
#define NTSEC__AUDIT_POLICY_SIZE 30

/* A SID with its attributes. `attributes` changes (adjust groups);
 * `sid` and `hash` never do. */
struct ntsec__token_sid {
    struct ntsec_sid *sid;
    _Atomic uint32_t attributes;
    uint32_t hash;                      /* ntsec__sid_hash(sid) */
};

/* Open-addressing hash of SID -> position in an array of
 * struct ntsec__token_sid; built once, never changed. `slots[i]` is the
 * SID's hash << 32 | (position + 1), 0 for an empty slot; the slot count
 * is a power of two at least twice the entry count, so a probe ends
 * quickly and compares hashes without touching the entries. */
struct ntsec__sid_index {
    uint64_t *slots;
    uint32_t mask;                      /* slot count - 1 */
};

struct ntsec__claim_set {
    struct ntsec_claim *claims;         /* deep copies, owned */
    size_t count;
};

struct ntsec_token {
    /* First: ObReferenceObject works on it. Aligned to 16 so that a
     * thread's impersonation word can carry the level and two flags in
     * the low bits of the token pointer (thread.h). */
    alignas(16) struct ntsec__object obj;

    enum ntsec_token_type type;
    enum ntsec_impersonation_level level;
    struct ntsec_luid token_id;
    struct ntsec_luid authentication_id;
    struct ntsec_token_source source;
    enum ntsec_elevation_type elevation_type;
    struct ntsec_token *linked;         /* counted reference, or NULL */
    int64_t expiration_time;
    bool write_restricted;
    bool sandbox_inert;
    bool lua_token;
    bool filtered;                      /* made by NtFilterToken (TOKEN_IS_FILTERED) */
    /* The logon session has no credentials for another machine: a network
     * logon a remote call made below Delegation ("Impersonation Levels",
     * Microsoft docs: an impersonate-level token crosses one computer
     * boundary). Set by call_identity.c before the token is shared. */
    bool no_network_credentials;

    /* sids[0] is the user; then the groups in creation order, the
     * integrity label among them (flagged SE_GROUP_INTEGRITY). */
    struct ntsec__token_sid *sids;
    uint32_t sid_count;
    uint32_t integrity_pos;             /* position of the label in sids, or NTSEC__NO_INDEX */
    uint32_t logon_sid_pos;             /* the SE_GROUP_LOGON_ID group, or NTSEC__NO_INDEX */
    struct ntsec__sid_index index;      /* user and groups, label excluded */

    struct ntsec__token_sid *restricted;
    uint32_t restricted_count;
    struct ntsec__sid_index restricted_index;

    struct ntsec__token_sid *device_groups;
    uint32_t device_group_count;
    struct ntsec__sid_index device_index;

    struct ntsec__claim_set user_claims;
    struct ntsec__claim_set device_claims;

    /* Privileges as masks over LUID LowPart (2..36): bit n = LUID n. */
    _Atomic uint64_t priv_present;
    _Atomic uint64_t priv_enabled;
    _Atomic uint64_t priv_enabled_by_default;

    _Atomic uint32_t owner_pos;         /* position in sids */
    _Atomic uint32_t primary_group_pos; /* position in sids */
    _Atomic uint32_t integrity_rid;     /* label S-1-16-RID; the label SID in sids follows it */
    _Atomic uint32_t mandatory_policy;
    _Atomic uint32_t session_id;
    _Atomic uint64_t modified_id;       /* a LUID as 64 bits: high << 32 | low */
    _Atomic uint64_t origin;            /* likewise */
    _Atomic bool virtualization_allowed;
    _Atomic bool virtualization_enabled;
    _Atomic bool ui_access;
    _Atomic bool session_unreferenced;  /* TokenSessionReference set to 0 */

    pthread_mutex_t lock;               /* writers; readers of default_dacl */
    _Atomic uint32_t seq;               /* odd while a writer publishes */
    struct ntsec_acl *default_dacl;     /* owned copy or NULL; under `lock` */
    /* Per-user audit policy (TokenAuditPolicy, TOKEN_AUDIT_POLICY); under
     * `lock`. State 0: never set, 1: set to none, 2: set. */
    uint8_t audit_policy[NTSEC__AUDIT_POLICY_SIZE];
    uint8_t audit_policy_state;
    /* The token object's security descriptor once NtSetSecurityObject set
     * one (a counted struct ntsec__sd_blob, object_sd.h), else NULL: the
     * default built from the token itself. Under `lock`. */
    struct ntsec__sd_blob *sd;

    /* The last SeTokenCanImpersonate verdict on this token as the token
     * to impersonate (impersonate_policy.c), so that a service that
     * impersonates the same client again pays a compare, not the checks. */
    struct ntsec__imp_verdict {
        _Atomic uint32_t seq;           /* odd while one writer fills it */
        _Atomic uint64_t server_id;     /* the server primary token's TokenId */
        _Atomic uint32_t server_seq;    /* its `seq` then (any change: recompute) */
        _Atomic uint32_t token_seq;     /* this token's `seq` then */
        _Atomic uint32_t levels;        /* requested | allowed << 8 | NTSEC__VERDICT_VALID */
    } verdict;
};

/* --- reading and writing a token (seqlock) ----------------------------- */

static inline uint32_t ntsec__token_read_begin(const struct ntsec_token *t)
{
    uint32_t s;

    while ((s = atomic_load_explicit(&((struct ntsec_token *)t)->seq, memory_order_acquire)) & 1)
        ;
    return s;
}

/* True when a writer ran since `start`: the values read must be read again. */
static inline bool ntsec__token_read_retry(const struct ntsec_token *t, uint32_t start)
{
    atomic_thread_fence(memory_order_acquire);
    return atomic_load_explicit(&((struct ntsec_token *)t)->seq, memory_order_relaxed) != start;
}

/* Take the token's mutex and open a change; every change ends with
 * ntsec__token_write_end(), which bumps ModifiedId when `modified`. */
void ntsec__token_write_begin(struct ntsec_token *t);
void ntsec__token_write_end(struct ntsec_token *t, bool modified);

/* --- references --------------------------------------------------------- */

static inline struct ntsec_token *ntsec__token_get(struct ntsec_token *t)
{
    ntsec__object_get(&t->obj);
    return t;
}

static inline void ntsec__token_put(struct ntsec_token *t)
{
    ntsec__object_put(&t->obj);
}

/* --- SIDs in a token ---------------------------------------------------- */

/* A 32-bit hash of a SID, cheap enough for every ACE of an access check. */
uint32_t ntsec__sid_hash(const struct ntsec_sid *sid);

/* Position of `sid` in `entries` via `index`, or NTSEC__NO_INDEX. */
uint32_t ntsec__sid_index_find(const struct ntsec__sid_index *index,
                               const struct ntsec__token_sid *entries,
                               const struct ntsec_sid *sid);

/* The same with the SID's hash already computed (an access check hashes
 * an ACE's SID once and probes the user/group, restricted and device
 * indexes with it). `sid` must be valid. */
uint32_t ntsec__sid_index_find_hashed(const struct ntsec__sid_index *index,
                                      const struct ntsec__token_sid *entries,
                                      const struct ntsec_sid *sid, uint32_t hash);

/* Build / free an index over `count` entries, leaving out the entry at
 * `skip_pos` (NTSEC__NO_INDEX: none). NTSEC_STATUS_NO_MEMORY. */
ntsec_status ntsec__sid_index_build(struct ntsec__sid_index *index,
                                    const struct ntsec__token_sid *entries, uint32_t count,
                                    uint32_t skip_pos);
void ntsec__sid_index_free(struct ntsec__sid_index *index);

/* The builder every token-making function uses (create, duplicate,
 * filter): from a complete description to a new token with one reference.
 * The description is taken literally (ntsec_token_create fills in the
 * defaults first). New TokenId and ModifiedId. What a description cannot
 * say - sandbox_inert, lua_token, virtualization_*, ui_access, or a
 * ModifiedId kept from a source token - the caller sets on the new token
 * before anyone else can see it (plain stores; no seqlock needed yet). */
ntsec_status ntsec__token_build(const struct ntsec_token_desc *desc, struct ntsec_token **out);

/* Read a token's mutable state into a description for a derived token:
 * consistent (seqlock), pointing into `src` (valid while src is held).
 * Arrays are allocated in one block, with the label SID rebuilt from the
 * current integrity RID, and the default DACL copied: a caller may edit
 * the arrays in place (cast away const, lower the counts) but must leave
 * desc->groups and desc->default_dacl where describe put them, and
 * release them with ntsec__token_desc_release(). */
ntsec_status ntsec__token_describe(const struct ntsec_token *src, struct ntsec_token_desc *desc);
void ntsec__token_desc_release(struct ntsec_token_desc *desc);

/* Copy what a description cannot carry (sandbox inert, LUA, filtered,
 * UIAccess, virtualization) from `src` onto `dst`, a token just built and not yet
 * shared. token_dup.c; duplicate and filter use it. */
void ntsec__token_inherit(struct ntsec_token *dst, const struct ntsec_token *src);

static inline uint64_t ntsec__luid_to_u64(struct ntsec_luid l)
{
    return (uint64_t)(uint32_t)l.high << 32 | l.low;
}

static inline struct ntsec_luid ntsec__u64_to_luid(uint64_t v)
{
    struct ntsec_luid l = { (uint32_t)v, (int32_t)(uint32_t)(v >> 32) };
    return l;
}

#endif
