/* ntsec/sid.h - security identifiers (SIDs).
 *
 * A SID is kept in Windows' binary layout (winnt.h SID): revision 1, a
 * count of sub-authorities, a 48-bit big-endian identifier authority, then
 * the sub-authorities in host (little-endian) order. struct ntsec_sid has
 * room for the maximum of 15; a SID in a caller's buffer may be shorter
 * (ntsec_sid_length() bytes) and only its first sub_authority_count
 * sub-authorities may be read. The struct is packed (alignment 1): SIDs
 * inside ACEs and descriptors from a caller need not be 4-byte aligned,
 * and the layout has no padding either way. */
#ifndef NTSEC_SID_H
#define NTSEC_SID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ntsec/status.h"

#define NTSEC_SID_REVISION          1
#define NTSEC_SID_MAX_SUB_AUTHORITIES 15
/* 8 + 4 * 15: SECURITY_MAX_SID_SIZE. */
#define NTSEC_SID_MAX_LENGTH        68
/* "S-1-" + 48-bit authority in hex ("0x" + 12) + 15 * ("-" + 10 digits) + NUL */
#define NTSEC_SID_STRING_MAX        184

struct ntsec_sid {
    uint8_t  revision;
    uint8_t  sub_authority_count;
    uint8_t  identifier_authority[6];
    uint32_t sub_authority[NTSEC_SID_MAX_SUB_AUTHORITIES];
} __attribute__((packed));

/* Bytes a SID with `count` sub-authorities takes: 8 + 4 * count
 * (GetSidLengthRequired; no check of count, as Windows). */
size_t ntsec_sid_length_required(unsigned count);

/* Bytes `sid` takes, from its sub-authority count. */
size_t ntsec_sid_length(const struct ntsec_sid *sid);

/* RtlValidSid: revision 1 and at most 15 sub-authorities. NULL is invalid. */
bool ntsec_sid_is_valid(const struct ntsec_sid *sid);

/* Same as ntsec_sid_is_valid, and the SID's length fits in `size` bytes. */
bool ntsec_sid_is_valid_in(const void *buf, size_t size);

/* Build a SID from an authority (0 .. 2^48-1) and `count` sub-authorities.
 * NTSEC_STATUS_INVALID_SID when count > 15; NTSEC_STATUS_INVALID_PARAMETER
 * for an authority of 2^48 or more, or NULL pointers. Writes only
 * ntsec_sid_length() bytes of *sid (RtlInitializeSid on an exact buffer). */
ntsec_status ntsec_sid_init(struct ntsec_sid *sid, uint64_t authority,
                            unsigned count, const uint32_t *sub_authorities);

/* The 48-bit identifier authority as a number. */
uint64_t ntsec_sid_authority(const struct ntsec_sid *sid);

/* The last sub-authority (the RID); 0 for a SID with none. */
uint32_t ntsec_sid_rid(const struct ntsec_sid *sid);

/* RtlEqualSid: same revision, count, authority and sub-authorities.
 * A NULL or invalid SID equals nothing. */
bool ntsec_sid_equal(const struct ntsec_sid *a, const struct ntsec_sid *b);

/* RtlEqualPrefixSid: equal but for the last sub-authority. */
bool ntsec_sid_equal_prefix(const struct ntsec_sid *a, const struct ntsec_sid *b);

/* RtlCopySid: copy into `dst` of `dst_size` bytes.
 * NTSEC_STATUS_BUFFER_TOO_SMALL when it does not fit (dst unchanged);
 * NTSEC_STATUS_INVALID_SID when src is not valid. */
ntsec_status ntsec_sid_copy(void *dst, size_t dst_size, const struct ntsec_sid *src);

/* Parse "S-1-5-21-1-2-3-500" from the first `len` chars of `text`, as
 * Windows reads SID strings: "S-" or "s-"; any number written in decimal
 * (leading zeros allowed, never octal) or "0x"/"0X" hex; spaces before a
 * number skipped; authority up to 2^48-1; a sub-authority above 2^32-1 saturates
 * to 4294967295; 1 to 15 sub-authorities (see sid.c for the sources).
 * Parses as much as forms a SID: *end (optional) receives where it stopped
 * (an SDDL parser bounds `len` at the next "D:"-style marker, as Windows
 * reads "O:S-1-2-0x200D:" as S-1-2-512 then "D:").
 * NTSEC_STATUS_INVALID_SID when no SID starts at `text`. */
ntsec_status ntsec_sid_parse(const char *text, size_t len, struct ntsec_sid *out,
                             size_t *end);

/* Format as Windows' ConvertSidToStringSid does (authority in decimal below
 * 2^32, else "0x" and upper-case hex without leading zeros, as Windows
 * writes "S-1-0x500000000-32-579"). Writes at most `size` bytes including
 * the NUL; returns the length the string needs (without NUL), as snprintf.
 * An invalid SID has no string: returns 0 (and writes "" if size > 0). */
size_t ntsec_sid_format(const struct ntsec_sid *sid, char *buf, size_t size);

/* --- well-known SIDs (CreateWellKnownSid) ------------------------------ */

/* The values of WELL_KNOWN_SID_TYPE (winnt.h): WinNullSid = 0 ...
 * ntsec_sid_well_known_count() - 1. */
unsigned ntsec_sid_well_known_count(void);

/* CreateWellKnownSid: the SID of WELL_KNOWN_SID_TYPE `type`. Types
 * relative to a domain (WinAccountAdministratorSid, ...) need `domain`, to
 * which the RID is appended; like Windows, any valid SID is taken (Wine's
 * tests pass S-1-5-21-12-23-34-45-56), but it needs room for the RID.
 * Other types ignore it. NTSEC_STATUS_INVALID_PARAMETER for an unknown
 * type or a domain type without a usable domain SID. (Windows uses the
 * local computer's account domain for a NULL DomainSid; the native API has
 * no machine, so emul/ passes that SID.) */
ntsec_status ntsec_sid_well_known(unsigned type, const struct ntsec_sid *domain,
                                  struct ntsec_sid *out);

/* IsWellKnownSid: the WELL_KNOWN_SID_TYPE `sid` is, or -1. Domain-relative
 * types match any account-domain SID (S-1-5-21-...) ending in their RID.
 * Where two types share a SID (WinLocalSid, WinLocalLogonSid) the lower. */
int ntsec_sid_well_known_type(const struct ntsec_sid *sid);

/* --- names ------------------------------------------------------------- */

/* The display name of a well-known SID as Windows' LookupAccountSid shows
 * it, with its domain: "BUILTIN\\Administrators", "NT AUTHORITY\\SYSTEM",
 * "Everyone". NULL when ntsec has no name for it (the account world of a
 * later layer adds users and groups). */
const char *ntsec_sid_name(const struct ntsec_sid *sid);

/* --- SDDL SID strings -------------------------------------------------- */

/* The SID an SDDL two-letter alias stands for ("BA", "WD", "DA", ...).
 * Only the first two chars of `alias` are read (it may point into a longer
 * SDDL string). Domain-relative aliases (LA, LG, DA, DU, DG, DC, DD, CA,
 * RS, PA, CN, AP, KA) and forest-root ones (SA, EA, EK, RO) use `domain`
 * (NULL: NTSEC_STATUS_NONE_MAPPED, as a machine outside a domain).
 * NTSEC_STATUS_INVALID_SID for an unknown alias. `alias` is compared
 * without regard to case, as Windows does ("lg" is LG). */
ntsec_status ntsec_sid_from_alias(const char *alias, const struct ntsec_sid *domain,
                                  struct ntsec_sid *out);

/* The SDDL alias Windows writes for `sid` ("BA"), or NULL to write the SID
 * string. Domain-relative aliases are used only when the SID is in
 * `domain`. */
const char *ntsec_sid_to_alias(const struct ntsec_sid *sid, const struct ntsec_sid *domain);

/* ConvertStringSidToSid: an SDDL SID string, "S-1-..." or an alias, that
 * makes up all of `text` (no surrounding blanks). NTSEC_STATUS_INVALID_SID
 * when malformed, NTSEC_STATUS_INVALID_PARAMETER for NULL text or out;
 * an alias gives what ntsec_sid_from_alias() gives. */
ntsec_status ntsec_sid_from_string(const char *text, const struct ntsec_sid *domain,
                                   struct ntsec_sid *out);

#endif
