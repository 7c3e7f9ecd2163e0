/* token.c - the token object: building one from a description with
 * NtCreateToken's validation, its life (get/put/destroy), the SID index
 * membership tests probe, the seqlock writers publish under, and the
 * consistent snapshot (describe) from which duplicate and filter derive a
 * new token. The layout and the reading rules are in token.h. */
#include <string.h>

#include "alloc.h"
#include "hazard.h"
#include "object_sd.h"
#include "privilege_table.h"
#include "token.h"

/* --- the SID hash and index ------------------------------------------- */

static inline uint64_t load64(const void *p)
{
    uint64_t v;

    memcpy(&v, p, 8);       /* SIDs inside ACEs need not be aligned */
    return v;
}

static inline uint32_t load32(const void *p)
{
    uint32_t v;

    memcpy(&v, p, 4);
    return v;
}

#define HASH_K1 0x9E3779B97F4A7C15ull
#define HASH_K2 0xFF51AFD7ED558CCDull

/* Runs for every ACE of an access check, so it hashes 8 bytes per
 * multiply: the 8-byte header (revision, count, authority), then the
 * sub-authorities two at a time. The final fold and multiply mix the high
 * half into the low bits the index masks with. About a dozen cycles for
 * S-1-5-21-x-y-z-RID. */
uint32_t ntsec__sid_hash(const struct ntsec_sid *sid)
{
    const uint8_t *sub = (const uint8_t *)sid + 8;
    unsigned n = sid->sub_authority_count;
    uint64_t h = load64(sid) * HASH_K1;

    for (; n >= 2; n -= 2, sub += 8)
        h = (h ^ load64(sub)) * HASH_K2;
    if (n)
        h = (h ^ load32(sub)) * HASH_K2;
    h ^= h >> 32;
    h *= HASH_K1;
    return (uint32_t)(h >> 32);
}

static inline bool same_sid(const struct ntsec_sid *a, const struct ntsec_sid *b)
{
    return a->sub_authority_count == b->sub_authority_count &&
           memcmp(a, b, ntsec_sid_length(a)) == 0;
}

uint32_t ntsec__sid_index_find_hashed(const struct ntsec__sid_index *index,
                                      const struct ntsec__token_sid *entries,
                                      const struct ntsec_sid *sid, uint32_t hash)
{
    uint64_t slot;
    uint32_t i;

    if (!index->slots)
        return NTSEC__NO_INDEX;
    /* Linear probing at a load of at most 1/2: an absent SID meets an
     * empty slot after about two probes, a present one after one. The
     * slot holds the hash, so a probe that cannot match costs no visit to
     * the entry. */
    for (i = hash & index->mask; (slot = index->slots[i]) != 0; i = (i + 1) & index->mask) {
        if ((uint32_t)(slot >> 32) == hash) {
            uint32_t pos = (uint32_t)slot - 1;
            if (same_sid(entries[pos].sid, sid))
                return pos;
        }
    }
    return NTSEC__NO_INDEX;
}

uint32_t ntsec__sid_index_find(const struct ntsec__sid_index *index,
                               const struct ntsec__token_sid *entries,
                               const struct ntsec_sid *sid)
{
    if (!sid || !index->slots || sid->sub_authority_count > NTSEC_SID_MAX_SUB_AUTHORITIES)
        return NTSEC__NO_INDEX;
    return ntsec__sid_index_find_hashed(index, entries, sid, ntsec__sid_hash(sid));
}

ntsec_status ntsec__sid_index_build(struct ntsec__sid_index *index,
                                    const struct ntsec__token_sid *entries, uint32_t count,
                                    uint32_t skip_pos)
{
    uint32_t size = 2;
    uint64_t *slots;

    if (count == 0) {               /* nothing to find: no allocation */
        index->slots = NULL;
        index->mask = 0;
        return NTSEC_STATUS_SUCCESS;
    }
    while (size < 2 * (uint64_t)count)
        size *= 2;
    slots = ntsec__zalloc(size * sizeof(*slots));
    if (!slots)
        return NTSEC_STATUS_NO_MEMORY;
    for (uint32_t pos = 0; pos < count; pos++) {
        uint32_t i = entries[pos].hash & (size - 1);

        if (pos == skip_pos)
            continue;
        /* A SID listed twice keeps its first position, which is the one
         * a linear search of the token's list would find. */
        for (; slots[i]; i = (i + 1) & (size - 1))
            if ((uint32_t)(slots[i] >> 32) == entries[pos].hash &&
                same_sid(entries[(uint32_t)slots[i] - 1].sid, entries[pos].sid))
                break;
        if (!slots[i])
            slots[i] = (uint64_t)entries[pos].hash << 32 | (pos + 1);
    }
    index->slots = slots;
    index->mask = size - 1;
    return NTSEC_STATUS_SUCCESS;
}

void ntsec__sid_index_free(struct ntsec__sid_index *index)
{
    ntsec__free(index->slots);
    index->slots = NULL;
    index->mask = 0;
}

/* --- writers ------------------------------------------------------------ */

/* The writer half of the seqlock (Boehm, "Can seqlocks get along with
 * programming language memory models?", 2012): odd count, release fence,
 * relaxed stores of the new values, even count with release. */
void ntsec__token_write_begin(struct ntsec_token *t)
{
    uint32_t s;

    pthread_mutex_lock(&t->lock);
    s = atomic_load_explicit(&t->seq, memory_order_relaxed);
    atomic_store_explicit(&t->seq, s + 1, memory_order_relaxed);
    atomic_thread_fence(memory_order_release);
}

/* Every change gives the token a new ModifiedId from the LUID allocator,
 * as the kernel does (TOKEN_STATISTICS.ModifiedId: "changes each time the
 * token is modified", Microsoft docs; ReactOS allocates a fresh LUID in
 * its adjust and set paths). */
void ntsec__token_write_end(struct ntsec_token *t, bool modified)
{
    uint32_t s = atomic_load_explicit(&t->seq, memory_order_relaxed);

    if (modified)
        atomic_store_explicit(&t->modified_id, ntsec__luid_to_u64(ntsec_luid_allocate()),
                              memory_order_relaxed);
    atomic_store_explicit(&t->seq, s + 1, memory_order_release);
    pthread_mutex_unlock(&t->lock);
}

/* --- claims ------------------------------------------------------------- */

static size_t align8(size_t n)
{
    return (n + 7) & ~(size_t)7;
}

/* The value arrays follow each other in the block: each stays aligned. */
_Static_assert(sizeof(struct ntsec_claim_value) % 8 == 0, "claim values pack 8-aligned");

static bool claim_type_known(enum ntsec_claim_type type)
{
    switch (type) {
    case NTSEC_CLAIM_INT64: case NTSEC_CLAIM_UINT64: case NTSEC_CLAIM_STRING:
    case NTSEC_CLAIM_SID: case NTSEC_CLAIM_BOOLEAN: case NTSEC_CLAIM_OCTET_STRING:
        return true;
    }
    return false;
}

/* Bytes a deep copy of `claims` takes in one block: the claim array, the
 * value arrays, then names, strings, SIDs and octets. 0 with *st set when
 * a claim is malformed (NTSEC_STATUS_INVALID_PARAMETER, or
 * NTSEC_STATUS_INVALID_SID for an invalid SID value). */
static size_t claims_size(const struct ntsec_claim *claims, size_t count, ntsec_status *st)
{
    size_t size = align8(count * sizeof(*claims));

    *st = NTSEC_STATUS_SUCCESS;
    if (count && !claims)
        goto invalid;
    for (size_t i = 0; i < count; i++)
        size += claims[i].value_count * sizeof(struct ntsec_claim_value);
    for (size_t i = 0; i < count; i++) {
        const struct ntsec_claim *c = &claims[i];

        if (!c->name || !claim_type_known(c->type) || (c->value_count && !c->values))
            goto invalid;
        size += strlen(c->name) + 1;
        for (size_t v = 0; v < c->value_count; v++) {
            const struct ntsec_claim_value *val = &c->values[v];

            if (c->type == NTSEC_CLAIM_STRING) {
                if (!val->string)
                    goto invalid;
                size += strlen(val->string) + 1;
            } else if (c->type == NTSEC_CLAIM_SID) {
                if (!ntsec_sid_is_valid(val->sid)) {
                    *st = NTSEC_STATUS_INVALID_SID;
                    return 0;
                }
                size += ntsec_sid_length(val->sid);
            } else if (c->type == NTSEC_CLAIM_OCTET_STRING) {
                if (val->octets.len && !val->octets.data)
                    goto invalid;
                size += val->octets.len;
            } else if (c->type == NTSEC_CLAIM_BOOLEAN && val->u64 > 1) {
                goto invalid;   /* [MS-DTYP] 2.4.10.1: 1 is TRUE, 0 FALSE */
            }
        }
    }
    return size;
invalid:
    *st = NTSEC_STATUS_INVALID_PARAMETER;
    return 0;
}

static char *put_bytes(char **cursor, const void *src, size_t n)
{
    char *at = *cursor;

    if (n)
        memcpy(at, src, n);
    *cursor += n;
    return at;
}

/* Deep copy into one allocation (freed with ntsec__free(set->claims)). */
static ntsec_status claims_copy(struct ntsec__claim_set *set, const struct ntsec_claim *claims,
                                size_t count, size_t size)
{
    struct ntsec_claim *out;
    struct ntsec_claim_value *values;
    char *bytes;

    set->claims = NULL;
    set->count = 0;
    if (count == 0)
        return NTSEC_STATUS_SUCCESS;
    out = ntsec__alloc(size);
    if (!out)
        return NTSEC_STATUS_NO_MEMORY;
    values = (struct ntsec_claim_value *)((char *)out + align8(count * sizeof(*out)));
    bytes = (char *)values;
    for (size_t i = 0; i < count; i++)
        bytes += claims[i].value_count * sizeof(*values);
    for (size_t i = 0; i < count; i++) {
        const struct ntsec_claim *c = &claims[i];

        out[i] = *c;
        out[i].name = put_bytes(&bytes, c->name, strlen(c->name) + 1);
        out[i].values = c->value_count ? values : NULL;
        for (size_t v = 0; v < c->value_count; v++, values++) {
            *values = c->values[v];
            if (c->type == NTSEC_CLAIM_STRING)
                values->string = put_bytes(&bytes, c->values[v].string,
                                           strlen(c->values[v].string) + 1);
            else if (c->type == NTSEC_CLAIM_SID)
                values->sid = (const struct ntsec_sid *)put_bytes(
                    &bytes, c->values[v].sid, ntsec_sid_length(c->values[v].sid));
            else if (c->type == NTSEC_CLAIM_OCTET_STRING)
                values->octets.data = (const uint8_t *)put_bytes(
                    &bytes, c->values[v].octets.data, c->values[v].octets.len);
        }
    }
    set->claims = out;
    set->count = count;
    return NTSEC_STATUS_SUCCESS;
}

/* --- building ------------------------------------------------------------ */

#define LABEL_AUTHORITY 16          /* SECURITY_MANDATORY_LABEL_AUTHORITY, S-1-16 */
#define SE_PRIVILEGE_STORED (NTSEC_SE_PRIVILEGE_ENABLED | NTSEC_SE_PRIVILEGE_ENABLED_BY_DEFAULT)

/* What validation learns from a description, before anything is
 * allocated (check, then allocate, then change). */
struct plan {
    uint32_t group_count, restricted_count, device_count;
    size_t sid_bytes;
    uint32_t integrity_pos, logon_sid_pos, owner_pos, primary_group_pos;
    uint32_t integrity_rid;
    uint64_t present, enabled, by_default;
    size_t user_claims_size, device_claims_size;
};

/* A SID_AND_ATTRIBUTES array: present when counted, valid SIDs, no
 * attribute bits Windows does not define (SE_GROUP_VALID_ATTRIBUTES). */
static ntsec_status check_sids(const struct ntsec_sid_and_attributes *sa, size_t count,
                               uint32_t *out_count, size_t *bytes)
{
    if (count && !sa)
        return NTSEC_STATUS_INVALID_PARAMETER;
    if (count >= UINT32_MAX / 2)        /* positions are 32-bit; user at 0 */
        return NTSEC_STATUS_INVALID_PARAMETER;
    for (size_t i = 0; i < count; i++) {
        if (!ntsec_sid_is_valid(sa[i].sid))
            return NTSEC_STATUS_INVALID_SID;
        if (sa[i].attributes & ~NTSEC_SE_GROUP_VALID_ATTRIBUTES)
            return NTSEC_STATUS_INVALID_PARAMETER;
        *bytes += ntsec_sid_length(sa[i].sid);
    }
    *out_count = (uint32_t)count;
    return NTSEC_STATUS_SUCCESS;
}

static bool is_label(const struct ntsec_sid *sid)
{
    return ntsec_sid_authority(sid) == LABEL_AUTHORITY && sid->sub_authority_count == 1;
}

/* The integrity label and the logon SID among the groups. The label is
 * the group flagged SE_GROUP_INTEGRITY ("SID_AND_ATTRIBUTES: SE_GROUP_INTEGRITY
 * - The SID is a mandatory integrity SID", TOKEN_GROUPS, Microsoft docs);
 * it must be an S-1-16-RID SID and there can be only one: a token has one
 * integrity level. The logon SID is the group with SE_GROUP_LOGON_ID
 * (TOKEN_GROUPS docs; GetTokenInformation(TokenLogonSid)); the first one. */
static ntsec_status find_special_groups(const struct ntsec_token_desc *d, struct plan *p)
{
    p->integrity_pos = NTSEC__NO_INDEX;
    p->logon_sid_pos = NTSEC__NO_INDEX;
    /* A token without a label: ntsec treats it as Untrusted, the lowest
     * level, so that a missing label never grants more than a present one
     * (see the report/docs for the doubt: Windows' own rule for a label-less
     * NtCreateToken token is not documented). */
    p->integrity_rid = NTSEC_MANDATORY_UNTRUSTED;
    for (uint32_t i = 0; i < p->group_count; i++) {
        uint32_t a = d->groups[i].attributes;

        if (a & NTSEC_SE_GROUP_INTEGRITY) {
            if (!is_label(d->groups[i].sid) || p->integrity_pos != NTSEC__NO_INDEX)
                return NTSEC_STATUS_INVALID_PARAMETER;
            p->integrity_pos = i + 1;
            p->integrity_rid = d->groups[i].sid->sub_authority[0];
        }
        if ((a & NTSEC_SE_GROUP_LOGON_ID) == NTSEC_SE_GROUP_LOGON_ID &&
            p->logon_sid_pos == NTSEC__NO_INDEX)
            p->logon_sid_pos = i + 1;
    }
    return NTSEC_STATUS_SUCCESS;
}

/* Owner: the user, or a group the token holds with SE_GROUP_OWNER; else
 * STATUS_INVALID_OWNER. Primary group: the user or any group; else
 * STATUS_INVALID_PRIMARY_GROUP. NULL means the user. (NtCreateToken's
 * rule; TOKEN_OWNER docs: "must be one of the user or group SIDs already
 * in the token"; SE_GROUP_OWNER: "can be assigned as the owner of the
 * token or objects", TOKEN_GROUPS docs; ReactOS ntoskrnl/se/token.c
 * SepFindPrimaryGroupAndDefaultOwner, behaviour only.) */
static ntsec_status find_owner_and_primary_group(const struct ntsec_token_desc *d, struct plan *p)
{
    p->owner_pos = d->owner && !ntsec_sid_equal(d->owner, d->user.sid) ? NTSEC__NO_INDEX : 0;
    p->primary_group_pos = d->primary_group && !ntsec_sid_equal(d->primary_group, d->user.sid)
                               ? NTSEC__NO_INDEX : 0;
    for (uint32_t i = 0; i < p->group_count; i++) {
        const struct ntsec_sid_and_attributes *g = &d->groups[i];

        if (p->owner_pos == NTSEC__NO_INDEX && (g->attributes & NTSEC_SE_GROUP_OWNER) &&
            ntsec_sid_equal(g->sid, d->owner))
            p->owner_pos = i + 1;
        if (p->primary_group_pos == NTSEC__NO_INDEX && ntsec_sid_equal(g->sid, d->primary_group))
            p->primary_group_pos = i + 1;
    }
    if (p->owner_pos == NTSEC__NO_INDEX)
        return NTSEC_STATUS_INVALID_OWNER;
    if (p->primary_group_pos == NTSEC__NO_INDEX)
        return NTSEC_STATUS_INVALID_PRIMARY_GROUP;
    return NTSEC_STATUS_SUCCESS;
}

/* Privileges become three masks over LUID 2..36. A LUID that names no
 * privilege cannot be held (STATUS_NO_SUCH_PRIVILEGE, as LookupPrivilege*
 * and AdjustTokenPrivileges report an unknown privilege). A privilege
 * listed twice is held once, with the attributes of both. Only ENABLED
 * and ENABLED_BY_DEFAULT are state; USED_FOR_ACCESS is an output flag of
 * PrivilegeCheck and a REMOVED privilege is not in the token. */
static ntsec_status check_privileges(const struct ntsec_token_desc *d, struct plan *p)
{
    if (d->privilege_count && !d->privileges)
        return NTSEC_STATUS_INVALID_PARAMETER;
    p->present = p->enabled = p->by_default = 0;
    for (size_t i = 0; i < d->privilege_count; i++) {
        const struct ntsec_luid_and_attributes *la = &d->privileges[i];
        uint64_t bit;

        if (!ntsec__privilege_find(la->luid))
            return NTSEC_STATUS_NO_SUCH_PRIVILEGE;
        if (la->attributes & NTSEC_SE_PRIVILEGE_REMOVED)
            continue;
        bit = 1ull << la->luid.low;
        p->present |= bit;
        if (la->attributes & NTSEC_SE_PRIVILEGE_ENABLED)
            p->enabled |= bit;
        if (la->attributes & NTSEC_SE_PRIVILEGE_ENABLED_BY_DEFAULT)
            p->by_default |= bit;
    }
    return NTSEC_STATUS_SUCCESS;
}

static ntsec_status check_desc(const struct ntsec_token_desc *d, struct plan *p)
{
    ntsec_status st;
    size_t bytes = 0;

    /* NtCreateToken: STATUS_BAD_TOKEN_TYPE for a TokenType that is neither
     * primary nor impersonation, STATUS_BAD_IMPERSONATION_LEVEL for a level
     * outside SecurityAnonymous..SecurityDelegation (ntstatus.h meanings;
     * ReactOS NtCreateToken checks the same, behaviour only). */
    if (d->type != NTSEC_TOKEN_PRIMARY && d->type != NTSEC_TOKEN_IMPERSONATION)
        return NTSEC_STATUS_BAD_TOKEN_TYPE;
    if (d->type == NTSEC_TOKEN_IMPERSONATION &&
        ((unsigned)d->level > NTSEC_SECURITY_DELEGATION))
        return NTSEC_STATUS_BAD_IMPERSONATION_LEVEL;
    if (!ntsec_sid_is_valid(d->user.sid))
        return NTSEC_STATUS_INVALID_SID;
    bytes = ntsec_sid_length(d->user.sid);
    st = check_sids(d->groups, d->group_count, &p->group_count, &bytes);
    if (ntsec_success(st))
        st = check_sids(d->restricted_sids, d->restricted_count, &p->restricted_count, &bytes);
    if (ntsec_success(st))
        st = check_sids(d->device_groups, d->device_group_count, &p->device_count, &bytes);
    if (!ntsec_success(st))
        return st;
    p->sid_bytes = bytes;
    if ((d->owner && !ntsec_sid_is_valid(d->owner)) ||
        (d->primary_group && !ntsec_sid_is_valid(d->primary_group)))
        return NTSEC_STATUS_INVALID_SID;
    st = find_special_groups(d, p);
    if (ntsec_success(st))
        st = find_owner_and_primary_group(d, p);
    if (ntsec_success(st))
        st = check_privileges(d, p);
    if (!ntsec_success(st))
        return st;
    if (d->default_dacl && !ntsec_acl_is_valid(d->default_dacl))
        return NTSEC_STATUS_INVALID_ACL;
    if (d->mandatory_policy & ~NTSEC_TOKEN_MANDATORY_POLICY_VALID_MASK)
        return NTSEC_STATUS_INVALID_PARAMETER;
    if (d->elevation_type != 0 && (d->elevation_type < NTSEC_ELEVATION_DEFAULT ||
                                   d->elevation_type > NTSEC_ELEVATION_LIMITED))
        return NTSEC_STATUS_INVALID_PARAMETER;
    p->user_claims_size = claims_size(d->user_claims, d->user_claim_count, &st);
    if (ntsec_success(st))
        p->device_claims_size = claims_size(d->device_claims, d->device_claim_count, &st);
    return st;
}

static void token_free(struct ntsec_token *t)
{
    ntsec__free(t->user_claims.claims);
    ntsec__free(t->device_claims.claims);
    ntsec__free(t->default_dacl);
    ntsec__sd_blob_put(t->sd);
    ntsec__sid_index_free(&t->index);
    ntsec__sid_index_free(&t->restricted_index);
    ntsec__sid_index_free(&t->device_index);
    ntsec__free(t->sids);               /* the block: entries and SID bytes */
    ntsec__free(t);
}

/* The free after the last reference, once no hazard slot names the
 * token: another thread may be inside its increment-if-not-zero on it,
 * having read it from a thread's impersonation word (thread.c). */
static void token_release(void *obj)
{
    struct ntsec_token *t = obj;

    if (t->linked)
        ntsec__token_put(t->linked);
    pthread_mutex_destroy(&t->lock);
    token_free(t);
}

static void token_destroy(struct ntsec__object *obj)
{
    ntsec__hazard_retire(obj, token_release);
}

/* Copy `count` SIDs into entries `e` and their bytes at *cursor. Group
 * attributes as NtCreateToken stores them: a mandatory group is always
 * enabled ("SE_GROUP_MANDATORY: ... you cannot disable it", TOKEN_GROUPS
 * docs; ReactOS SepCreateToken sets ENABLED | ENABLED_BY_DEFAULT on
 * mandatory groups) unless it was made deny-only (a filtered token keeps
 * a mandatory group as USE_FOR_DENY_ONLY, Windows result asserted by Wine's
 * dlls/advapi32/tests/security.c test_CreateRestrictedToken). */
static void copy_sids(struct ntsec__token_sid *e, const struct ntsec_sid_and_attributes *sa,
                      uint32_t count, char **cursor, bool force_mandatory)
{
    for (uint32_t i = 0; i < count; i++) {
        uint32_t a = sa[i].attributes;

        if (force_mandatory && (a & NTSEC_SE_GROUP_MANDATORY) &&
            !(a & NTSEC_SE_GROUP_USE_FOR_DENY_ONLY))
            a |= NTSEC_SE_GROUP_ENABLED | NTSEC_SE_GROUP_ENABLED_BY_DEFAULT;
        e[i].sid = (struct ntsec_sid *)put_bytes(cursor, sa[i].sid, ntsec_sid_length(sa[i].sid));
        atomic_init(&e[i].attributes, a);
        e[i].hash = ntsec__sid_hash(e[i].sid);
    }
}

ntsec_status ntsec__token_build(const struct ntsec_token_desc *d, struct ntsec_token **out)
{
    struct plan p;
    struct ntsec_token *t;
    ntsec_status st;
    size_t entries;
    char *cursor;

    if (!d || !out)
        return NTSEC_STATUS_INVALID_PARAMETER;
    st = check_desc(d, &p);
    if (!ntsec_success(st))
        return st;

    t = ntsec__zalloc(sizeof(*t));
    if (!t)
        return NTSEC_STATUS_NO_MEMORY;
    /* One block: the three entry arrays, then the SIDs' bytes. The SIDs
     * never move or change, so readers hold plain pointers to them. */
    entries = (size_t)1 + p.group_count + p.restricted_count + p.device_count;
    t->sids = ntsec__alloc(entries * sizeof(*t->sids) + p.sid_bytes);
    if (!t->sids) {
        token_free(t);
        return NTSEC_STATUS_NO_MEMORY;
    }
    t->sid_count = 1 + p.group_count;
    t->restricted = t->sids + t->sid_count;
    t->restricted_count = p.restricted_count;
    t->device_groups = t->restricted + p.restricted_count;
    t->device_group_count = p.device_count;
    cursor = (char *)(t->device_groups + p.device_count);
    /* "Currently, there are no attributes defined for user security
     * identifiers" (TOKEN_USER, Microsoft docs); the one a user can carry
     * is USE_FOR_DENY_ONLY, set by filtering ("it is also possible to
     * designate a user SID as a deny-only SID", TOKEN_GROUPS, ntifs.h docs). */
    {
        struct ntsec_sid_and_attributes user = d->user;

        user.attributes &= NTSEC_SE_GROUP_USE_FOR_DENY_ONLY;
        copy_sids(t->sids, &user, 1, &cursor, false);
    }
    copy_sids(t->sids + 1, d->groups, p.group_count, &cursor, true);
    copy_sids(t->restricted, d->restricted_sids, p.restricted_count, &cursor, false);
    copy_sids(t->device_groups, d->device_groups, p.device_count, &cursor, true);
    t->integrity_pos = p.integrity_pos;
    t->logon_sid_pos = p.logon_sid_pos;

    /* The integrity label is excluded from the index: it is never a
     * group for membership (CheckTokenMembership, access checks). */
    st = ntsec__sid_index_build(&t->index, t->sids, t->sid_count, p.integrity_pos);
    if (ntsec_success(st))
        st = ntsec__sid_index_build(&t->restricted_index, t->restricted, t->restricted_count,
                                    NTSEC__NO_INDEX);
    if (ntsec_success(st))
        st = ntsec__sid_index_build(&t->device_index, t->device_groups, t->device_group_count,
                                    NTSEC__NO_INDEX);
    if (ntsec_success(st) && d->default_dacl) {
        t->default_dacl = ntsec__alloc(d->default_dacl->size);
        if (t->default_dacl)
            memcpy(t->default_dacl, d->default_dacl, d->default_dacl->size);
        else
            st = NTSEC_STATUS_NO_MEMORY;
    }
    if (ntsec_success(st))
        st = claims_copy(&t->user_claims, d->user_claims, d->user_claim_count, p.user_claims_size);
    if (ntsec_success(st))
        st = claims_copy(&t->device_claims, d->device_claims, d->device_claim_count,
                         p.device_claims_size);
    if (ntsec_success(st) && pthread_mutex_init(&t->lock, NULL) != 0)
        st = NTSEC_STATUS_NO_MEMORY;
    if (!ntsec_success(st)) {
        token_free(t);
        return st;
    }

    /* Nothing can fail from here on. */
    t->type = d->type;
    /* A primary token has no impersonation level; it reads as
     * SecurityAnonymous (ntsec_token_level). */
    t->level = d->type == NTSEC_TOKEN_IMPERSONATION ? d->level : NTSEC_SECURITY_ANONYMOUS;
    /* TokenId and ModifiedId: fresh LUIDs, in that order (TOKEN_STATISTICS
     * docs; ReactOS SepCreateToken allocates both at creation). A new
     * logon session LUID when the caller names none. */
    t->token_id = ntsec_luid_allocate();
    atomic_init(&t->modified_id, ntsec__luid_to_u64(ntsec_luid_allocate()));
    t->authentication_id = (d->authentication_id.low || d->authentication_id.high)
                               ? d->authentication_id : ntsec_luid_allocate();
    t->source = d->source;
    t->elevation_type = d->elevation_type ? d->elevation_type : NTSEC_ELEVATION_DEFAULT;
    t->linked = d->linked_token ? ntsec__token_get(d->linked_token) : NULL;
    /* "never expires": Windows' logon tokens carry ExpirationTime
     * 0x7fffffffffffffff in TOKEN_STATISTICS (what a token query on
     * Windows shows; the docs call the field reserved). */
    t->expiration_time = d->expiration_time ? d->expiration_time : INT64_MAX;
    t->write_restricted = d->write_restricted;
    atomic_init(&t->priv_present, p.present);
    atomic_init(&t->priv_enabled, p.enabled & p.present);
    atomic_init(&t->priv_enabled_by_default, p.by_default & p.present);
    atomic_init(&t->owner_pos, p.owner_pos);
    atomic_init(&t->primary_group_pos, p.primary_group_pos);
    atomic_init(&t->integrity_rid, p.integrity_rid);
    atomic_init(&t->mandatory_policy, d->mandatory_policy);
    atomic_init(&t->session_id, d->session_id);
    atomic_init(&t->origin, ntsec__luid_to_u64(d->origin));
    atomic_init(&t->seq, 0);
    ntsec__object_init(&t->obj, NTSEC_OBJECT_TOKEN, token_destroy);
    *out = t;
    return NTSEC_STATUS_SUCCESS;
}

/* --- the public object API ---------------------------------------------- */

/* NtCreateToken takes no mandatory policy: a new token gets the policy
 * every logon token has, NO_WRITE_UP | NEW_PROCESS_MIN
 * (TOKEN_MANDATORY_POLICY_VALID_MASK, what GetTokenInformation(
 * TokenMandatoryPolicy) shows for an interactive logon); only
 * NtCreateTokenEx, or SetTokenInformation with SeTcbPrivilege, sets another.
 * So 0 here means "not given"; derived tokens go through
 * ntsec__token_build, which takes the description literally. */
ntsec_status ntsec_token_create(const struct ntsec_token_desc *desc, struct ntsec_token **out)
{
    struct ntsec_token_desc d;

    if (!desc || !out)
        return NTSEC_STATUS_INVALID_PARAMETER;
    d = *desc;
    if (!d.mandatory_policy)
        d.mandatory_policy = NTSEC_TOKEN_MANDATORY_POLICY_VALID_MASK;
    return ntsec__token_build(&d, out);
}

struct ntsec_token *ntsec_token_get(struct ntsec_token *token)
{
    return ntsec__token_get(token);
}

void ntsec_token_put(struct ntsec_token *token)
{
    if (token)
        ntsec__token_put(token);
}

enum ntsec_token_type ntsec_token_type(const struct ntsec_token *token)
{
    return token->type;
}

enum ntsec_impersonation_level ntsec_token_level(const struct ntsec_token *token)
{
    return token->level;
}

/* --- describing a token for a derived one ------------------------------- */

/* One block holds the arrays a description needs (groups, privileges,
 * restricted SIDs, device groups) and the label SID rebuilt from the
 * current integrity RID; the default DACL is copied apart, under the
 * token's mutex, because SetTokenInformation replaces it. */
struct desc_block {
    _Alignas(8) struct ntsec_sid label;     /* packed: keep the arrays after it aligned */
    /* then: groups, restricted, device (SID_AND_ATTRIBUTES), privileges */
};

static size_t block_size(const struct ntsec_token *src)
{
    size_t sa = (size_t)(src->sid_count - 1) + src->restricted_count + src->device_group_count;

    return sizeof(struct desc_block) + sa * sizeof(struct ntsec_sid_and_attributes) +
           (NTSEC_SE_MAX_PRIVILEGE - NTSEC_SE_MIN_PRIVILEGE + 1) *
               sizeof(struct ntsec_luid_and_attributes);
}

ntsec_status ntsec__token_describe(const struct ntsec_token *src, struct ntsec_token_desc *desc)
{
    struct ntsec_token *t = (struct ntsec_token *)src;
    struct desc_block *block;
    struct ntsec_sid_and_attributes *groups, *restricted, *device;
    struct ntsec_luid_and_attributes *privs;
    struct ntsec_acl *dacl = NULL;
    struct ntsec_token_desc d;
    uint32_t seq, owner_pos, pg_pos;
    uint64_t present, enabled, by_default;
    size_t nprivs;

    if (!src || !desc)
        return NTSEC_STATUS_INVALID_PARAMETER;
    block = ntsec__alloc(block_size(src));
    if (!block)
        return NTSEC_STATUS_NO_MEMORY;
    pthread_mutex_lock(&t->lock);
    if (t->default_dacl) {
        dacl = ntsec__alloc(t->default_dacl->size);
        if (dacl)
            memcpy(dacl, t->default_dacl, t->default_dacl->size);
    }
    pthread_mutex_unlock(&t->lock);
    if (t->default_dacl && !dacl) {
        ntsec__free(block);
        return NTSEC_STATUS_NO_MEMORY;
    }

    groups = (struct ntsec_sid_and_attributes *)(block + 1);
    restricted = groups + (src->sid_count - 1);
    device = restricted + src->restricted_count;
    privs = (struct ntsec_luid_and_attributes *)(device + src->device_group_count);

    memset(&d, 0, sizeof(d));
    do {
        seq = ntsec__token_read_begin(src);
        d.user.sid = src->sids[0].sid;
        d.user.attributes = atomic_load_explicit(&t->sids[0].attributes, memory_order_relaxed);
        for (uint32_t i = 1; i < src->sid_count; i++) {
            groups[i - 1].sid = src->sids[i].sid;
            groups[i - 1].attributes =
                atomic_load_explicit(&t->sids[i].attributes, memory_order_relaxed);
        }
        for (uint32_t i = 0; i < src->restricted_count; i++) {
            restricted[i].sid = src->restricted[i].sid;
            restricted[i].attributes =
                atomic_load_explicit(&t->restricted[i].attributes, memory_order_relaxed);
        }
        for (uint32_t i = 0; i < src->device_group_count; i++) {
            device[i].sid = src->device_groups[i].sid;
            device[i].attributes =
                atomic_load_explicit(&t->device_groups[i].attributes, memory_order_relaxed);
        }
        present = atomic_load_explicit(&t->priv_present, memory_order_relaxed);
        enabled = atomic_load_explicit(&t->priv_enabled, memory_order_relaxed);
        by_default = atomic_load_explicit(&t->priv_enabled_by_default, memory_order_relaxed);
        owner_pos = atomic_load_explicit(&t->owner_pos, memory_order_relaxed);
        pg_pos = atomic_load_explicit(&t->primary_group_pos, memory_order_relaxed);
        d.mandatory_policy = atomic_load_explicit(&t->mandatory_policy, memory_order_relaxed);
        d.session_id = atomic_load_explicit(&t->session_id, memory_order_relaxed);
        d.origin = ntsec__u64_to_luid(atomic_load_explicit(&t->origin, memory_order_relaxed));
        /* The label as it is now: SetTokenInformation(TokenIntegrityLevel)
         * changes the RID, not the SID bytes a reader may hold. */
        if (src->integrity_pos != NTSEC__NO_INDEX) {
            uint32_t rid = atomic_load_explicit(&t->integrity_rid, memory_order_relaxed);

            ntsec_sid_init(&block->label, LABEL_AUTHORITY, 1, &rid);
        }
    } while (ntsec__token_read_retry(src, seq));

    if (src->integrity_pos != NTSEC__NO_INDEX)
        groups[src->integrity_pos - 1].sid = &block->label;
    nprivs = 0;
    for (uint32_t n = NTSEC_SE_MIN_PRIVILEGE; n <= NTSEC_SE_MAX_PRIVILEGE; n++) {
        uint64_t bit = 1ull << n;

        if (!(present & bit))
            continue;
        privs[nprivs].luid.low = n;
        privs[nprivs].luid.high = 0;
        privs[nprivs].attributes = ((enabled & bit) ? NTSEC_SE_PRIVILEGE_ENABLED : 0) |
                                   ((by_default & bit) ? NTSEC_SE_PRIVILEGE_ENABLED_BY_DEFAULT : 0);
        nprivs++;
    }

    d.type = src->type;
    d.level = src->level;
    d.groups = groups;
    d.group_count = src->sid_count - 1;
    d.privileges = privs;
    d.privilege_count = nprivs;
    d.owner = owner_pos == src->integrity_pos ? &block->label : src->sids[owner_pos].sid;
    d.primary_group = pg_pos == src->integrity_pos ? &block->label : src->sids[pg_pos].sid;
    d.default_dacl = dacl;
    d.source = src->source;
    d.authentication_id = src->authentication_id;
    d.restricted_sids = restricted;
    d.restricted_count = src->restricted_count;
    d.write_restricted = src->write_restricted;
    d.elevation_type = src->elevation_type;
    d.linked_token = src->linked;
    d.user_claims = src->user_claims.claims;
    d.user_claim_count = src->user_claims.count;
    d.device_claims = src->device_claims.claims;
    d.device_claim_count = src->device_claims.count;
    d.device_groups = device;
    d.device_group_count = src->device_group_count;
    d.expiration_time = src->expiration_time;
    *desc = d;
    return NTSEC_STATUS_SUCCESS;
}

/* The block starts just before the groups array (a desc_block header);
 * describe set d.groups there even for a token without groups. */
void ntsec__token_desc_release(struct ntsec_token_desc *desc)
{
    if (!desc || !desc->groups)
        return;
    ntsec__free((struct desc_block *)desc->groups - 1);
    ntsec__free((void *)desc->default_dacl);
    desc->groups = NULL;
    desc->default_dacl = NULL;
}
