/* token_info.h - what the NtQueryInformationToken / NtSetInformationToken
 * files (token_info.c, token_info_access.c, token_set.c) share: writing
 * Windows' x64 layouts into a caller's buffer, and the token's dynamic
 * charge.
 *
 * Every answer is built with byte offsets and memcpy: the caller's buffer
 * need not be aligned (Windows raises a misalignment exception for a user
 * buffer not on a 4-byte boundary; libsec has no exceptions and copes). */
#ifndef NTSEC_LIBSEC_TOKEN_INFO_H
#define NTSEC_LIBSEC_TOKEN_INFO_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "token.h"

/* The x64 layout has 8-byte pointers; ntsec builds for LP64 only. */
_Static_assert(sizeof(void *) == 8, "ntsec writes Windows' x64 token layouts");

/* The dynamic part of a token (primary group SID + default DACL) is
 * charged at least this much; a bigger part at creation is charged its
 * size. TOKEN_STATISTICS.DynamicCharged shows it, DynamicAvailable what
 * is left (charged minus primary group and default DACL: ReactOS
 * ntoskrnl/se/token.c, SepComputeAvailableDynamicSpace). The charge of
 * 4096 is ntsec's choice; refusing a primary group or default DACL that
 * would not fit is [MS-ERREF] 2.3.1's STATUS_ALLOTTED_SPACE_EXCEEDED ("a
 * request that requires more memory than has been allotted must fail";
 * ReactOS SepRebuildDynamicPartOfToken grows the dynamic part instead). */
#define NTSEC__TOKEN_DYNAMIC_CHARGE 4096u

/* Windows' TOKEN.TokenFlags bits (WDK ntifs.h, TOKEN_HAS_TRAVERSE_PRIVILEGE
 * and following), shown in TOKEN_ACCESS_INFORMATION.Flags and behind
 * TokenHasRestrictions, TokenSandBoxInert, TokenVirtualization*,
 * TokenUIAccess. */
#define NTSEC__TOKEN_HAS_TRAVERSE_PRIVILEGE    0x0001u
#define NTSEC__TOKEN_HAS_BACKUP_PRIVILEGE      0x0002u
#define NTSEC__TOKEN_HAS_RESTORE_PRIVILEGE     0x0004u
#define NTSEC__TOKEN_WRITE_RESTRICTED          0x0008u
#define NTSEC__TOKEN_IS_RESTRICTED             0x0010u
#define NTSEC__TOKEN_SESSION_NOT_REFERENCED    0x0020u
#define NTSEC__TOKEN_SANDBOX_INERT             0x0040u
#define NTSEC__TOKEN_HAS_IMPERSONATE_PRIVILEGE 0x0080u
#define NTSEC__TOKEN_VIRTUALIZE_ALLOWED        0x0200u
#define NTSEC__TOKEN_VIRTUALIZE_ENABLED        0x0400u
#define NTSEC__TOKEN_IS_FILTERED               0x0800u
#define NTSEC__TOKEN_UIACCESS                  0x1000u
#define NTSEC__TOKEN_NOT_LOW                   0x2000u

static inline void ntsec__put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static inline void ntsec__put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }
static inline void ntsec__putptr(uint8_t *p, const void *ptr)
{
    uint64_t v = (uint64_t)(uintptr_t)ptr;
    memcpy(p, &v, 8);
}

static inline uint32_t ntsec__sidlen(const struct ntsec_sid *sid)
{
    return 8u + 4u * sid->sub_authority_count;
}

/* A list of token SIDs to write: `count` entries, the one at `label` (or
 * NTSEC__NO_INDEX) being the integrity label, written with RID `rid`
 * (SetTokenInformation changes the label's RID, never the SID bytes). */
struct ntsec__sid_list {
    const struct ntsec__token_sid *e;
    uint32_t count;
    uint32_t label;
    uint32_t rid;
};

/* Bytes the SIDs of `l` take; each rounded up to 8 when `round8` (the
 * size TokenGroupsAndPrivileges and TokenAccessInformation reserve). */
uint32_t ntsec__sid_list_size(const struct ntsec__sid_list *l, bool round8);

/* Write l->count SID_AND_ATTRIBUTES (16 bytes each) at `arr` with the
 * current attributes, the SIDs packed one after the other from `sids`
 * (4-byte steps, as ReactOS's RtlCopySidAndAttributesArray lays them). */
void ntsec__sid_list_put(const struct ntsec__sid_list *l, uint8_t *arr, uint8_t *sids);

/* The number of privileges in `present`, and LUID_AND_ATTRIBUTES for
 * them in LUID order at `dst` (12 bytes each). */
uint32_t ntsec__privilege_count(uint64_t present);
void ntsec__privileges_put(uint8_t *dst, uint64_t present, uint64_t enabled, uint64_t by_default);

/* TOKEN.TokenFlags as Windows would hold them for `t` (read inside a
 * seqlock section). */
uint32_t ntsec__token_flags(const struct ntsec_token *t);

/* Whether a group whose SID ends in `rid` is elevating, whatever its
 * prefix: TokenElevation's test and the LUA filter's (token_info.c has
 * the list and its source). */
bool ntsec__rid_is_elevated(uint32_t rid);

/* NtQueryInformationToken(TokenAccessInformation); token_info_access.c.
 * Called inside a seqlock section; *need receives the size. */
ntsec_status ntsec__token_query_access(const struct ntsec_token *t, uint8_t *buf, uint32_t size,
                                       uint32_t *need);

/* NtQueryInformationToken(TokenGroupsAndPrivileges); likewise. */
ntsec_status ntsec__token_query_groups_and_privileges(const struct ntsec_token *t, uint8_t *buf,
                                                      uint32_t size, uint32_t *need);

#endif
