/* token_info_access.c - the two NtQueryInformationToken classes that lay
 * out several arrays in one buffer: TokenGroupsAndPrivileges
 * (TOKEN_GROUPS_AND_PRIVILEGES) and TokenAccessInformation
 * (TOKEN_ACCESS_INFORMATION, with its SID_AND_ATTRIBUTES_HASH tables).
 *
 * The structures are winnt.h's (TOKEN_GROUPS_AND_PRIVILEGES,
 * TOKEN_ACCESS_INFORMATION, SID_AND_ATTRIBUTES_HASH; Microsoft docs); the
 * hash is RtlSidHashInitialize's (Wine dlls/ntdll/sec.c, read for
 * behaviour). Both classes reserve each SID's length rounded up to 8 bytes
 * but write the SIDs packed, so the reserved size is a little larger than
 * what is written: ntsec's choice for the sizes; no public source
 * found. */
#include <stdatomic.h>
#include <string.h>

#include "ntsec/token.h"
#include "token.h"
#include "token_info.h"

#define HASH_SIZE 272                   /* SID_AND_ATTRIBUTES_HASH: 4 + 4 + 8 + 32 * 8 */
#define ACCESS_HEADER 88                /* TOKEN_ACCESS_INFORMATION */
#define GAP_HEADER 56                   /* TOKEN_GROUPS_AND_PRIVILEGES */

static inline struct ntsec_token *mut(const struct ntsec_token *t)
{
    return (struct ntsec_token *)t;
}

static inline uint64_t ld64(_Atomic uint64_t *p)
{
    return atomic_load_explicit(p, memory_order_relaxed);
}

static struct ntsec__sid_list user_and_groups(const struct ntsec_token *t)
{
    struct ntsec__sid_list l = {
        t->sids, t->sid_count, t->integrity_pos,
        atomic_load_explicit(&mut(t)->integrity_rid, memory_order_relaxed),
    };
    return l;
}

static struct ntsec__sid_list restricted_sids(const struct ntsec_token *t)
{
    struct ntsec__sid_list l = { t->restricted, t->restricted_count, NTSEC__NO_INDEX, 0 };
    return l;
}

/* --- TokenGroupsAndPrivileges ----------------------------------------- */

ntsec_status ntsec__token_query_groups_and_privileges(const struct ntsec_token *t, uint8_t *buf,
                                                      uint32_t size, uint32_t *need)
{
    struct ntsec_token *m = mut(t);
    struct ntsec__sid_list g = user_and_groups(t), r = restricted_sids(t);
    uint64_t present = ld64(&m->priv_present);
    uint32_t np = ntsec__privilege_count(present);
    uint32_t glen = 16 * g.count + ntsec__sid_list_size(&g, true);
    uint32_t rlen = 16 * r.count + ntsec__sid_list_size(&r, true);
    uint32_t plen = 12 * np;
    uint8_t *sids;

    *need = GAP_HEADER + glen + rlen + plen;
    if (size < *need)
        return NTSEC_STATUS_BUFFER_TOO_SMALL;
    sids = buf + GAP_HEADER;    /* only now: buf may be NULL for a size query */
    memset(buf, 0, GAP_HEADER);
    ntsec__put32(buf, g.count);
    ntsec__put32(buf + 4, glen);
    ntsec__putptr(buf + 8, sids);
    ntsec__sid_list_put(&g, sids, sids + 16 * g.count);
    ntsec__put32(buf + 16, r.count);
    ntsec__put32(buf + 20, rlen);
    /* NULL tells a token without restricted SIDs from one with none
     * (ntsec's choice; no public source found). */
    ntsec__putptr(buf + 24, r.count ? sids + glen : NULL);
    if (r.count)
        ntsec__sid_list_put(&r, sids + glen, sids + glen + 16 * r.count);
    ntsec__put32(buf + 32, np);
    ntsec__put32(buf + 36, plen);
    ntsec__putptr(buf + 40, sids + glen + rlen);
    ntsec__privileges_put(sids + glen + rlen, present, ld64(&m->priv_enabled),
                          ld64(&m->priv_enabled_by_default));
    ntsec__put64(buf + 48, ntsec__luid_to_u64(t->authentication_id));
    return NTSEC_STATUS_SUCCESS;
}

/* --- TokenAccessInformation ------------------------------------------- */

/* SID_AND_ATTRIBUTES_HASH at `h` for the list `l` whose array is at
 * `arr`: SidCount, SidAttr, and 32 bit masks over the first 64 SIDs -
 * SID i sets bit i in Hash[b & 15] and in Hash[16 + (b >> 4)], where b is
 * the low byte of its last sub-authority (Wine dlls/ntdll/sec.c,
 * RtlSidHashInitialize). */
static void put_hash(uint8_t *h, const struct ntsec__sid_list *l, const uint8_t *arr)
{
    uint64_t hash[32] = { 0 };
    uint32_t n = l->count < 64 ? l->count : 64;

    for (uint32_t i = 0; i < n; i++) {
        const struct ntsec_sid *sid = l->e[i].sid;
        uint8_t b;

        if (i == l->label)
            b = (uint8_t)l->rid;
        else if (sid->sub_authority_count)
            b = (uint8_t)ntsec_sid_rid(sid);
        else
            b = sid->identifier_authority[4];   /* the byte Windows reads there */
        hash[b & 15] |= 1ull << i;
        hash[16 + (b >> 4)] |= 1ull << i;
    }
    ntsec__put32(h, l->count);
    ntsec__put32(h + 4, 0);
    ntsec__putptr(h + 8, arr);
    for (uint32_t i = 0; i < 32; i++)
        ntsec__put64(h + 16 + 8 * i, hash[i]);
}

/* The layout, in Windows' order: the 88-byte header; the user-and-groups
 * hash and its array and SIDs; the restricted-SIDs hash, array and SIDs
 * (the hash is there even when the token has none); the capabilities
 * hash (ntsec tokens have no capabilities); the package SID and trust
 * level SID (none: NULL pointers); the security attributes; the
 * TOKEN_PRIVILEGES. ntsec tokens carry no local security attributes
 * (their claims are user/device claims): SecurityAttributes points to an
 * empty area. Hash words of an empty list are zeroed where Windows
 * leaves the buffer as it was. */
ntsec_status ntsec__token_query_access(const struct ntsec_token *t, uint8_t *buf, uint32_t size,
                                       uint32_t *need)
{
    struct ntsec_token *m = mut(t);
    struct ntsec__sid_list g = user_and_groups(t), r = restricted_sids(t);
    struct ntsec__sid_list none = { NULL, 0, NTSEC__NO_INDEX, 0 };
    uint64_t present = ld64(&m->priv_present);
    uint32_t np = ntsec__privilege_count(present);
    uint32_t glen = 16 * g.count + ntsec__sid_list_size(&g, true);
    uint32_t rlen = 16 * r.count + ntsec__sid_list_size(&r, true);
    uint32_t plen = np ? 4 + 12 * np : 16;
    uint8_t *gh, *garr, *rh, *rarr, *ch, *carr, *attrs, *privs;

    *need = ACCESS_HEADER + 3 * HASH_SIZE + glen + rlen + plen;
    if (size < *need)
        return NTSEC_STATUS_BUFFER_TOO_SMALL;
    /* only now: buf may be NULL for a size query */
    gh = buf + ACCESS_HEADER;
    garr = gh + HASH_SIZE;
    rh = garr + glen;
    rarr = rh + HASH_SIZE;
    ch = rarr + rlen;
    carr = ch + HASH_SIZE;
    attrs = carr;
    privs = attrs;
    memset(buf, 0, ACCESS_HEADER);
    ntsec__putptr(buf, gh);
    ntsec__putptr(buf + 8, rh);
    ntsec__putptr(buf + 16, privs);
    ntsec__put64(buf + 24, ntsec__luid_to_u64(t->authentication_id));
    ntsec__put32(buf + 32, t->type);
    ntsec__put32(buf + 36, t->level);
    ntsec__put32(buf + 40, atomic_load_explicit(&m->mandatory_policy, memory_order_relaxed));
    ntsec__put32(buf + 44, ntsec__token_flags(t));
    /* +48 AppContainerNumber 0, +56 PackageSid NULL, +72 TrustLevelSid NULL */
    ntsec__putptr(buf + 64, ch);
    ntsec__putptr(buf + 80, attrs);

    ntsec__sid_list_put(&g, garr, garr + 16 * g.count);
    put_hash(gh, &g, garr);
    ntsec__sid_list_put(&r, rarr, rarr + 16 * r.count);
    put_hash(rh, &r, rarr);
    put_hash(ch, &none, carr);

    ntsec__put32(privs, np);
    if (!np)
        memset(privs + 4, 0, 12);
    ntsec__privileges_put(privs + 4, present, ld64(&m->priv_enabled),
                          ld64(&m->priv_enabled_by_default));
    return NTSEC_STATUS_SUCCESS;
}
