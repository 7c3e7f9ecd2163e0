/* sid.c - the security identifier: its binary layout (length, validity,
 * equality, copy) and its string form "S-1-...", both ways.
 *
 * The binary layout is [MS-DTYP] 2.4.2.2 (winnt.h SID). The string form is
 * [MS-DTYP] 2.4.2.1, but where Windows' parser is more liberal than that
 * grammar, the parser here follows what Windows accepts, as recorded by the
 * SDDL round trips Samba runs against Windows (libcli/security/tests/windows/
 * non_canonical.txt, windows_is_weird.txt, windows_is_less_fussy.txt,
 * should_fail.txt: outputs of ConvertStringSecurityDescriptorToSecurity-
 * DescriptorW / ConvertSecurityDescriptorToStringSecurityDescriptorW on
 * Windows) and by Wine's dlls/advapi32/tests/security.c (test_sid).
 *
 * A SID handed in by a caller may be shorter than struct ntsec_sid: only
 * ntsec_sid_length() bytes of it are ever read, and only that many bytes
 * of an output SID are written. */
#include <string.h>

#include "digits.h"
#include "ntsec/sid.h"

#define SID_HEADER_LENGTH   8
#define AUTHORITY_MAX       0xFFFFFFFFFFFFull   /* 48 bits */

size_t ntsec_sid_length_required(unsigned count)
{
    return SID_HEADER_LENGTH + 4 * (size_t)count;
}

size_t ntsec_sid_length(const struct ntsec_sid *sid)
{
    if (!sid)
        return 0;
    return ntsec_sid_length_required(sid->sub_authority_count);
}

/* RtlValidSid: revision 1 and no more than 15 sub-authorities.
 * Source: Microsoft docs, IsValidSid ("validates a SID by verifying that
 * the revision number is within a known range, and that the number of
 * subauthorities is less than the maximum"). */
bool ntsec_sid_is_valid(const struct ntsec_sid *sid)
{
    return sid && sid->revision == NTSEC_SID_REVISION &&
           sid->sub_authority_count <= NTSEC_SID_MAX_SUB_AUTHORITIES;
}

bool ntsec_sid_is_valid_in(const void *buf, size_t size)
{
    const struct ntsec_sid *sid = buf;

    /* The two header bytes must be inside the buffer before we read them. */
    if (!buf || size < SID_HEADER_LENGTH)
        return false;
    return ntsec_sid_is_valid(sid) && ntsec_sid_length(sid) <= size;
}

ntsec_status ntsec_sid_init(struct ntsec_sid *sid, uint64_t authority,
                            unsigned count, const uint32_t *sub_authorities)
{
    struct ntsec_sid tmp;

    if (!sid || (count && !sub_authorities) || authority > AUTHORITY_MAX)
        return NTSEC_STATUS_INVALID_PARAMETER;
    if (count > NTSEC_SID_MAX_SUB_AUTHORITIES)
        return NTSEC_STATUS_INVALID_SID;

    tmp.revision = NTSEC_SID_REVISION;
    tmp.sub_authority_count = (uint8_t)count;
    /* The identifier authority is big-endian ([MS-DTYP] 2.4.1.1). */
    for (int i = 0; i < 6; i++)
        tmp.identifier_authority[i] = (uint8_t)(authority >> (8 * (5 - i)));
    if (count)
        memcpy(tmp.sub_authority, sub_authorities, count * sizeof(uint32_t));
    memcpy(sid, &tmp, ntsec_sid_length(&tmp));
    return NTSEC_STATUS_SUCCESS;
}

uint64_t ntsec_sid_authority(const struct ntsec_sid *sid)
{
    uint64_t v = 0;

    for (int i = 0; i < 6; i++)
        v = (v << 8) | sid->identifier_authority[i];
    return v;
}

uint32_t ntsec_sid_rid(const struct ntsec_sid *sid)
{
    if (!sid->sub_authority_count)
        return 0;
    return sid->sub_authority[sid->sub_authority_count - 1];
}

/* RtlEqualSid compares revision, then length, then the bytes. A SID that is
 * not valid is equal to nothing here: its count could make us read past the
 * caller's buffer. */
bool ntsec_sid_equal(const struct ntsec_sid *a, const struct ntsec_sid *b)
{
    if (!ntsec_sid_is_valid(a) || !ntsec_sid_is_valid(b))
        return false;
    if (a->sub_authority_count != b->sub_authority_count)
        return false;
    return memcmp(a, b, ntsec_sid_length(a)) == 0;
}

/* RtlEqualPrefixSid: same revision and count, same authority, and every
 * sub-authority but the last equal. Source: Microsoft docs, EqualPrefixSid
 * ("A SID prefix is the entire SID except for the last subauthority
 * value"). With no sub-authority the prefix is the authority alone. */
bool ntsec_sid_equal_prefix(const struct ntsec_sid *a, const struct ntsec_sid *b)
{
    unsigned n;

    if (!ntsec_sid_is_valid(a) || !ntsec_sid_is_valid(b))
        return false;
    if (a->sub_authority_count != b->sub_authority_count)
        return false;
    if (memcmp(a->identifier_authority, b->identifier_authority, 6) != 0)
        return false;
    n = a->sub_authority_count ? a->sub_authority_count - 1u : 0u;
    return memcmp(a->sub_authority, b->sub_authority, n * sizeof(uint32_t)) == 0;
}

/* RtlCopySid: STATUS_BUFFER_TOO_SMALL when the destination is shorter than
 * the SID. Source: Microsoft docs, RtlCopySid (Return value). */
ntsec_status ntsec_sid_copy(void *dst, size_t dst_size, const struct ntsec_sid *src)
{
    size_t len;

    if (!dst || !src)
        return NTSEC_STATUS_INVALID_PARAMETER;
    if (!ntsec_sid_is_valid(src))
        return NTSEC_STATUS_INVALID_SID;
    len = ntsec_sid_length(src);
    if (dst_size < len)
        return NTSEC_STATUS_BUFFER_TOO_SMALL;
    memmove(dst, src, len);
    return NTSEC_STATUS_SUCCESS;
}

/* --- parsing ----------------------------------------------------------- */

/* One number of a SID string at text[*pos], in `base` unless it starts with
 * "0x" (then hexadecimal). Rules, each a Windows result:
 *  - spaces before the number are skipped: "S- 1- 2-3" is S-1-2-3
 *    (Samba, tests/windows/windows_is_less_fussy.txt);
 *  - "0x" or "0X" selects hexadecimal in any position ("S-1-0x2-3-4",
 *    "S-1-5-21-0x1-0x2-0x3-513", non_canonical.txt; "S-0x1-0XC-0x1a" is
 *    S-1-12-26, Wine's test_sid), hex digits in either case, and a leading
 *    0 is not octal (Samba python/samba/tests/sid_strings.py:
 *    "S-1-5-040-579" is S-1-5-40-579);
 *  - any number of leading zeros ("S-000000000001-5-20-243", sid_strings.py);
 *  - a value too big for 64 bits saturates (callers then saturate further
 *    or reject, see below).
 * At least one digit is required; "0x" not followed by a hex digit is the
 * number 0 ending before the "x" (strtoul's reading). */
static bool number(const char *text, size_t len, size_t *pos, unsigned base,
                   uint64_t *value, bool *hex)
{
    size_t p = *pos;
    uint64_t v = 0;
    size_t digits = 0;

    while (p < len && text[p] == ' ')
        p++;
    *hex = false;
    if (p + 2 < len && text[p] == '0' && (text[p + 1] == 'x' || text[p + 1] == 'X') &&
        ntsec__digit_value(text[p + 2]) < 16) {
        base = 16;
        *hex = true;
        p += 2;
    }
    for (; p < len; p++, digits++) {
        unsigned d = (unsigned)ntsec__digit_value(text[p]);

        if (d >= base)
            break;
        if (v > (UINT64_MAX - d) / base)
            v = UINT64_MAX;
        else
            v = v * base + d;
    }
    if (!digits)
        return false;
    *pos = p;
    *value = v;
    return true;
}

ntsec_status ntsec_sid_parse(const char *text, size_t len, struct ntsec_sid *out,
                             size_t *end)
{
    struct ntsec_sid sid;
    unsigned base = 10;
    uint64_t v;
    size_t p = 0;
    bool hex;

    if (!text || !out)
        return NTSEC_STATUS_INVALID_PARAMETER;

    /* "S-" in either case: a lower-case "s-1-5-32-579" is accepted
     * (Samba python/samba/tests/sid_strings.py, SidStringsThatStartWithS). */
    if (len < 2 || (text[0] != 'S' && text[0] != 's') || text[1] != '-')
        return NTSEC_STATUS_INVALID_SID;
    p = 2;

    /* Revision. Written as "0x1", it makes every later number default to
     * hexadecimal: "S-0x1-0-0-579" is S-1-0-0-1401 and "S-0x1-20-0-579" is
     * S-1-32-0-1401 on Windows (Samba, tests/windows/windows_is_weird.txt).
     * Deliberate difference: Windows' SDDL parser also takes a revision
     * other than 1 and builds a SID that fails validation later ("S-2-5-32-
     * 579", sid_strings.py SidStringBehavioursThatWindowsAllows); such a SID
     * can never be used, so it is rejected here. */
    if (!number(text, len, &p, base, &v, &hex) || v != NTSEC_SID_REVISION)
        return NTSEC_STATUS_INVALID_SID;
    if (hex)
        base = 16;

    /* Identifier authority: 48 bits. "S-1-281474976710656-579" and
     * "S-1-0x1313131313131-513" are rejected (sid_strings.py;
     * tests/windows/should_fail.txt). */
    if (p >= len || text[p] != '-')
        return NTSEC_STATUS_INVALID_SID;
    p++;
    if (!number(text, len, &p, base, &v, &hex) || v > AUTHORITY_MAX)
        return NTSEC_STATUS_INVALID_SID;
    memset(&sid, 0, sizeof(sid));
    sid.revision = NTSEC_SID_REVISION;
    for (int i = 0; i < 6; i++)
        sid.identifier_authority[i] = (uint8_t)(v >> (8 * (5 - i)));

    /* Sub-authorities: a value above 32 bits saturates to 4294967295 on
     * Windows ("S-1-3-4294967296-3-4" is S-1-3-4294967295-3-4,
     * "S-1-5-21-0x1313131313131-513" is S-1-5-21-4294967295-513:
     * tests/windows/windows_is_weird.txt). The SID ends at the first
     * character that cannot continue it: a "-" not followed by a number is
     * left to the caller, whose text then does not end there. */
    while (p < len && text[p] == '-') {
        size_t q = p + 1;

        if (!number(text, len, &q, base, &v, &hex))
            break;
        if (sid.sub_authority_count == NTSEC_SID_MAX_SUB_AUTHORITIES)
            return NTSEC_STATUS_INVALID_SID;
        sid.sub_authority[sid.sub_authority_count++] =
            v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
        p = q;
    }

    /* At least one sub-authority: ConvertStringSidToSidA("S-1-5") fails
     * with ERROR_INVALID_SID (Wine dlls/advapi32/tests/security.c,
     * test_sid), and so do "O:S-1" and "O:S-1-" in SDDL (should_fail.txt). */
    if (!sid.sub_authority_count)
        return NTSEC_STATUS_INVALID_SID;

    memcpy(out, &sid, ntsec_sid_length(&sid));
    if (end)
        *end = p;
    return NTSEC_STATUS_SUCCESS;
}

ntsec_status ntsec_sid_from_string(const char *text, const struct ntsec_sid *domain,
                                   struct ntsec_sid *out)
{
    struct ntsec_sid sid;
    ntsec_status st;
    size_t len, end;

    /* ConvertStringSidToSidA(NULL, ...) and (..., NULL) fail with
     * ERROR_INVALID_PARAMETER (Wine's test_sid). */
    if (!text || !out)
        return NTSEC_STATUS_INVALID_PARAMETER;
    len = strlen(text);

    /* ConvertStringSidToSid accepts the SDDL aliases too: "WD" gives
     * S-1-1-0, "BA" S-1-5-32-544, "LA" the local Administrator (Wine's
     * test_sid, str_to_sid_tests, run on Windows). */
    if (!(len >= 2 && (text[0] == 'S' || text[0] == 's') && text[1] == '-')) {
        if (len != 2)
            return NTSEC_STATUS_INVALID_SID;
        return ntsec_sid_from_alias(text, domain, out);
    }

    /* The whole string must be the SID: no leading or trailing blanks
     * (" S-1-1-1-1-1-1-1" is refused, sid_strings.py), no junk after it. */
    st = ntsec_sid_parse(text, len, &sid, &end);
    if (!ntsec_success(st))
        return st;
    if (end != len)
        return NTSEC_STATUS_INVALID_SID;
    memcpy(out, &sid, ntsec_sid_length(&sid));
    return NTSEC_STATUS_SUCCESS;
}

/* --- formatting -------------------------------------------------------- */

static size_t put(char *buf, size_t size, size_t at, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++, at++)
        if (at + 1 < size)
            buf[at] = s[i];
    return at;
}

static size_t put_number(char *buf, size_t size, size_t at, uint64_t v, unsigned base)
{
    static const char digits[] = "0123456789ABCDEF";
    char tmp[24];
    size_t n = 0;

    do {
        tmp[sizeof(tmp) - 1 - n++] = digits[v % base];
        v /= base;
    } while (v);
    return put(buf, size, at, tmp + sizeof(tmp) - n, n);
}

/* ConvertSidToStringSid: the authority in decimal below 2^32, else "0x" and
 * upper-case hexadecimal WITHOUT leading zeros: Windows writes
 * S-1-21474836480-32-579 as "S-1-0x500000000-32-579" and
 * S-1-5000000000-30-40 as "S-1-0x12A05F200-30-40" (Samba,
 * libcli/security/tests/windows/non_canonical.txt, Windows output). This
 * differs from [MS-DTYP] 2.4.2.1, whose grammar has "0x" 12HEXDIG.
 * Sub-authorities are unsigned decimal. A SID that is not valid has no
 * string (ConvertSidToStringSid fails with ERROR_INVALID_SID): 0. */
size_t ntsec_sid_format(const struct ntsec_sid *sid, char *buf, size_t size)
{
    uint64_t auth;
    size_t at = 0;

    if (!buf)
        size = 0;
    if (!ntsec_sid_is_valid(sid)) {
        if (size)
            buf[0] = '\0';
        return 0;
    }
    auth = ntsec_sid_authority(sid);
    at = put(buf, size, at, "S-1-", 4);
    if (auth > UINT32_MAX) {
        at = put(buf, size, at, "0x", 2);
        at = put_number(buf, size, at, auth, 16);
    } else {
        at = put_number(buf, size, at, auth, 10);
    }
    for (unsigned i = 0; i < sid->sub_authority_count; i++) {
        at = put(buf, size, at, "-", 1);
        at = put_number(buf, size, at, sid->sub_authority[i], 10);
    }
    if (size)
        buf[at < size ? at : size - 1] = '\0';
    return at;
}
