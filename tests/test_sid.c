/* test_sid.c - libsec/sid.c: SID layout, validity, equality, copy, and the
 * "S-1-..." string form both ways.
 *
 * Sources of the expected values:
 *  [wine]  Wine dlls/advapi32/tests/security.c (test_sid), results that
 *          hold on Windows;
 *  [win/...] Samba libcli/security/tests/windows/<file>: SDDL strings and
 *          what Windows' ConvertStringSecurityDescriptorToSecurityDescriptor
 *          + ConvertSecurityDescriptorToStringSecurityDescriptor make of them;
 *  [dc]    Samba python/samba/tests/sid_strings.py, SID strings given to a
 *          Windows DC in SDDL;
 *  [docs]  Microsoft docs for the named function. */
#include <string.h>

#include "ntsec/sid.h"
#include "testutil.h"

/* Format into a static buffer for comparisons. */
static const char *str(const struct ntsec_sid *sid)
{
    static char buf[NTSEC_SID_STRING_MAX];

    ntsec_sid_format(sid, buf, sizeof(buf));
    return buf;
}

static struct ntsec_sid make(uint64_t auth, unsigned n, const uint32_t *subs)
{
    struct ntsec_sid s;

    memset(&s, 0, sizeof(s));
    CU_ASSERT_EQUAL_FATAL(ntsec_sid_init(&s, auth, n, subs), NTSEC_STATUS_SUCCESS);
    return s;
}

/* [docs] GetSidLengthRequired: 8 bytes of header + 4 per sub-authority. */
static void length_is_8_plus_4_per_sub_authority(void)
{
    static const uint32_t subs[] = { 32, 544 };
    struct ntsec_sid s = make(5, 2, subs);

    CU_ASSERT_EQUAL(ntsec_sid_length_required(0), 8);
    CU_ASSERT_EQUAL(ntsec_sid_length_required(15), NTSEC_SID_MAX_LENGTH);
    CU_ASSERT_EQUAL(ntsec_sid_length(&s), 16);
    CU_ASSERT_EQUAL(ntsec_sid_length(NULL), 0);
    CU_ASSERT_EQUAL(sizeof(struct ntsec_sid), NTSEC_SID_MAX_LENGTH);
}

/* [docs] IsValidSid: revision known (1) and at most 15 sub-authorities. */
static void valid_sid_is_revision_1_with_at_most_15_sub_authorities(void)
{
    struct ntsec_sid s = make(5, 0, NULL);

    CU_ASSERT_TRUE(ntsec_sid_is_valid(&s));
    s.sub_authority_count = 15;
    CU_ASSERT_TRUE(ntsec_sid_is_valid(&s));
    s.sub_authority_count = 16;
    CU_ASSERT_FALSE(ntsec_sid_is_valid(&s));
    s.sub_authority_count = 1;
    s.revision = 2;
    CU_ASSERT_FALSE(ntsec_sid_is_valid(&s));
    s.revision = 0;
    CU_ASSERT_FALSE(ntsec_sid_is_valid(&s));
    CU_ASSERT_FALSE(ntsec_sid_is_valid(NULL));
}

/* [docs] RtlValidSid + the length must fit the buffer it arrives in. */
static void valid_in_buffer_needs_the_whole_sid_inside(void)
{
    static const uint32_t subs[] = { 32, 544 };
    struct ntsec_sid s = make(5, 2, subs);

    CU_ASSERT_TRUE(ntsec_sid_is_valid_in(&s, 16));
    CU_ASSERT_TRUE(ntsec_sid_is_valid_in(&s, 100));
    CU_ASSERT_FALSE(ntsec_sid_is_valid_in(&s, 15));
    CU_ASSERT_FALSE(ntsec_sid_is_valid_in(&s, 7));
    CU_ASSERT_FALSE(ntsec_sid_is_valid_in(NULL, 16));
    s.revision = 3;
    CU_ASSERT_FALSE(ntsec_sid_is_valid_in(&s, 16));
}

/* [docs] InitializeSid: at most SID_MAX_SUB_AUTHORITIES (15); the authority
 * is 48 bits ([MS-DTYP] 2.4.1.1). Failure leaves the output alone. */
static void init_rejects_16_sub_authorities_and_authorities_past_48_bits(void)
{
    uint32_t subs[16] = { 0 };
    struct ntsec_sid s, before;

    memset(&s, 0xAB, sizeof(s));
    before = s;
    CU_ASSERT_EQUAL(ntsec_sid_init(&s, 5, 16, subs), NTSEC_STATUS_INVALID_SID);
    CU_ASSERT_EQUAL(ntsec_sid_init(&s, 1ull << 48, 1, subs), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_sid_init(&s, 5, 1, NULL), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_sid_init(NULL, 5, 1, subs), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_MEM_EQUAL(&s, &before, sizeof(s));
    CU_ASSERT_EQUAL(ntsec_sid_init(&s, (1ull << 48) - 1, 15, subs), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_sid_init(&s, 0, 0, NULL), NTSEC_STATUS_SUCCESS);
}

/* [MS-DTYP] 2.4.2.2: a SID is 8 + 4 * count bytes; RtlInitializeSid writes
 * no more, so a caller's exact-size buffer is enough. */
static void init_writes_only_the_sid_length(void)
{
    static const uint32_t subs[] = { 18 };
    unsigned char buf[NTSEC_SID_MAX_LENGTH];

    memset(buf, 0xEE, sizeof(buf));
    CU_ASSERT_EQUAL(ntsec_sid_init((struct ntsec_sid *)buf, 5, 1, subs), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(buf[12], 0xEE);
    CU_ASSERT_EQUAL(buf[NTSEC_SID_MAX_LENGTH - 1], 0xEE);
    CU_ASSERT_STRING_EQUAL(str((struct ntsec_sid *)buf), "S-1-5-18");
}

/* [wine] test_sid refs: authority bytes {0,0,0x33,0x44,0x55,0x66} are
 * "S-1-860116326-1": the identifier authority is big-endian. */
static void authority_is_big_endian(void)
{
    static const uint32_t one[] = { 1 };
    static const struct { uint8_t auth[6]; const char *text; } refs[] = {
        { { 0, 0, 0x33, 0x44, 0x55, 0x66 }, "S-1-860116326-1" },
        { { 0, 0, 0x01, 0x02, 0x03, 0x04 }, "S-1-16909060-1" },
        { { 0, 0, 0x00, 0x01, 0x02, 0x03 }, "S-1-66051-1" },
        { { 0, 0, 0x00, 0x00, 0x01, 0x02 }, "S-1-258-1" },
        { { 0, 0, 0x00, 0x00, 0x00, 0x02 }, "S-1-2-1" },
        { { 0, 0, 0x00, 0x00, 0x00, 0x0c }, "S-1-12-1" },
    };

    for (size_t i = 0; i < sizeof(refs) / sizeof(refs[0]); i++) {
        struct ntsec_sid s, p;
        uint64_t a = 0;

        for (int k = 0; k < 6; k++)
            a = (a << 8) | refs[i].auth[k];
        s = make(a, 1, one);
        CU_ASSERT_MEM_EQUAL(s.identifier_authority, refs[i].auth, 6);
        CU_ASSERT_EQUAL(ntsec_sid_authority(&s), a);
        CU_ASSERT_STRING_EQUAL(str(&s), refs[i].text);
        CU_ASSERT_EQUAL(ntsec_sid_from_string(refs[i].text, NULL, &p), NTSEC_STATUS_SUCCESS);
        CU_ASSERT_TRUE(ntsec_sid_equal(&p, &s));
    }
}

/* [MS-DTYP] 2.4.2.4: the RID is the last sub-authority. */
static void rid_is_the_last_sub_authority(void)
{
    static const uint32_t subs[] = { 21, 1, 2, 3, 500 };
    struct ntsec_sid s = make(5, 5, subs);

    CU_ASSERT_EQUAL(ntsec_sid_rid(&s), 500);
    s = make(5, 0, NULL);
    CU_ASSERT_EQUAL(ntsec_sid_rid(&s), 0);
}

/* [docs] EqualSid: revision, sub-authority count, authority and every
 * sub-authority. Bytes past the count are not part of the SID. */
static void equal_compares_count_authority_and_sub_authorities(void)
{
    static const uint32_t a[] = { 32, 544 }, b[] = { 32, 545 };
    struct ntsec_sid x = make(5, 2, a), y = make(5, 2, a);

    x.sub_authority[5] = 7;                    /* beyond the count */
    CU_ASSERT_TRUE(ntsec_sid_equal(&x, &y));
    y = make(5, 2, b);
    CU_ASSERT_FALSE(ntsec_sid_equal(&x, &y));
    y = make(5, 1, a);
    CU_ASSERT_FALSE(ntsec_sid_equal(&x, &y));
    y = make(16, 2, a);
    CU_ASSERT_FALSE(ntsec_sid_equal(&x, &y));
    y = make(5, 2, a);
    y.revision = 2;
    CU_ASSERT_FALSE(ntsec_sid_equal(&x, &y));
    CU_ASSERT_FALSE(ntsec_sid_equal(&x, NULL));
    CU_ASSERT_FALSE(ntsec_sid_equal(NULL, NULL));
}

/* [docs] EqualPrefixSid: "A SID prefix is the entire SID except for the
 * last subauthority value"; the counts must match. */
static void equal_prefix_ignores_only_the_last_sub_authority(void)
{
    static const uint32_t a[] = { 21, 1, 2, 3, 500 }, b[] = { 21, 1, 2, 3, 501 },
                          c[] = { 21, 1, 2, 4, 500 };
    struct ntsec_sid x = make(5, 5, a), y = make(5, 5, b);

    CU_ASSERT_TRUE(ntsec_sid_equal_prefix(&x, &y));
    y = make(5, 5, c);
    CU_ASSERT_FALSE(ntsec_sid_equal_prefix(&x, &y));
    y = make(5, 4, a);
    CU_ASSERT_FALSE(ntsec_sid_equal_prefix(&x, &y));
    y = make(1, 5, b);
    CU_ASSERT_FALSE(ntsec_sid_equal_prefix(&x, &y));
    x = make(5, 0, NULL);
    y = make(5, 0, NULL);
    CU_ASSERT_TRUE(ntsec_sid_equal_prefix(&x, &y));
    y = make(3, 0, NULL);
    CU_ASSERT_FALSE(ntsec_sid_equal_prefix(&x, &y));
    CU_ASSERT_FALSE(ntsec_sid_equal_prefix(&x, NULL));
}

/* [docs] RtlCopySid: STATUS_BUFFER_TOO_SMALL when the destination is too
 * short; it copies GetLengthSid bytes. */
static void copy_needs_room_for_the_whole_sid(void)
{
    static const uint32_t subs[] = { 32, 544 };
    struct ntsec_sid s = make(5, 2, subs), bad = s;
    unsigned char dst[32], before[32];

    memset(dst, 0x5A, sizeof(dst));
    memcpy(before, dst, sizeof(dst));
    CU_ASSERT_EQUAL(ntsec_sid_copy(dst, 15, &s), NTSEC_STATUS_BUFFER_TOO_SMALL);
    CU_ASSERT_MEM_EQUAL(dst, before, sizeof(dst));
    bad.sub_authority_count = 16;
    CU_ASSERT_EQUAL(ntsec_sid_copy(dst, sizeof(dst), &bad), NTSEC_STATUS_INVALID_SID);
    CU_ASSERT_EQUAL(ntsec_sid_copy(NULL, 16, &s), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_sid_copy(dst, 16, NULL), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_MEM_EQUAL(dst, before, sizeof(dst));
    CU_ASSERT_EQUAL(ntsec_sid_copy(dst, 16, &s), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_MEM_EQUAL(dst, &s, 16);
    CU_ASSERT_EQUAL(dst[16], 0x5A);
}

/* --- parsing ----------------------------------------------------------- */

struct accept { const char *in; const char *out; };

/* Strings Windows accepts, and the SID it makes of them. */
static const struct accept accepted[] = {
    /* [wine] test_sid */
    { "S-1-5-21-93476-23408-4576", "S-1-5-21-93476-23408-4576" },
    { "s-1-12-1", "S-1-12-1" },
    { "S-0x1-0XC-0x1a", "S-1-12-26" },
    { "S-1-0X5-0XA", "S-1-5-10" },
    /* [win/non_canonical.txt] hex and decimal in every position */
    { "S-1-21474836480-32-579", "S-1-0x500000000-32-579" },
    { "S-1-5000000000-30-40", "S-1-0x12A05F200-30-40" },
    { "S-1-0x2-3-4", "S-1-2-3-4" },
    { "S-1-0x20-3-4", "S-1-32-3-4" },
    { "S-1-3-0x00000002-3-4", "S-1-3-2-3-4" },
    { "S-1-3-0xffffffff-3-4", "S-1-3-4294967295-3-4" },
    { "S-1-5-21-0x1-0x2-0x3-513", "S-1-5-21-1-2-3-513" },
    { "S-1-5-21-2447931902-1787058256-3961074038-0x4b1",
      "S-1-5-21-2447931902-1787058256-3961074038-1201" },
    /* [win/windows_is_weird.txt] sub-authorities saturate at 32 bits;
     * a "0x" revision makes later numbers hexadecimal */
    { "S-1-3-4294967296-3-4", "S-1-3-4294967295-3-4" },
    { "S-1-3-0x100000000-3-4", "S-1-3-4294967295-3-4" },
    { "S-1-5-21-0x1313131313131-513", "S-1-5-21-4294967295-513" },
    { "S-0x1-0-0-579", "S-1-0-0-1401" },
    { "S-0x1-20-0-579", "S-1-32-0-1401" },
    /* [win/windows_is_less_fussy.txt] blanks before a number */
    { "S- 1- 2-3", "S-1-2-3" },
    /* [dc] SidStringsThatStartWithS / SidStringBehavioursThatWindowsAllows */
    { "S-1-5-32-579", "S-1-5-32-579" },
    { "S-1-5-0x20-579", "S-1-5-32-579" },
    { "S-1-0x05-32-579", "S-1-5-32-579" },
    { "S-1-5-040-579", "S-1-5-40-579" },
    { "S-1-0x50000000-32-579", "S-1-1342177280-32-579" },
    { "S-1-0x500000000-32-579", "S-1-0x500000000-32-579" },
    { "S-1-5-4294967295-579", "S-1-5-4294967295-579" },
    { "S-1-281474976710655-579", "S-1-0xFFFFFFFFFFFF-579" },
    { "S-1-5-0-579", "S-1-5-0-579" },
    { "S-1-0-0-579", "S-1-0-0-579" },
    { "S-1-0x5-0x20-0x243", "S-1-5-32-579" },
    { "S-1-0xABcDef123-0xABCDef-579", "S-1-0xABCDEF123-11259375-579" },
    { "S-1-1-1-1-1-1-1", "S-1-1-1-1-1-1-1" },
    { "s-1-5-32-579", "S-1-5-32-579" },
    { "S-01-5-32-579", "S-1-5-32-579" },
    { "S-000000001-5-32-579", "S-1-5-32-579" },
    { "S-1-22-1", "S-1-22-1" },
    { "S-1-22-1-0", "S-1-22-1-0" },
    { "S-1-3-99", "S-1-3-99" },
    { "S-01-05-020-0243", "S-1-5-20-243" },
    { "S-000000000001-5-20-243", "S-1-5-20-243" },
    { "S-1-000000000000000005-20-243", "S-1-5-20-243" },
    { "S-1-5-20-00000000000243", "S-1-5-20-243" },
    { "S-1-5-9999999999-579", "S-1-5-4294967295-579" },
    { "S-1-0x500000000-0x500000000-579", "S-1-0x500000000-4294967295-579" },
    { "S-1-5-11111111111111111111111111111111111-579", "S-1-5-4294967295-579" },
    { "S-1-5-18446744073709551615-579", "S-1-5-4294967295-579" },
    { "S-1-5-18446744073709551616-579", "S-1-5-4294967295-579" },
    { "S-0x1-5-40-579", "S-1-5-64-1401" },
    { "S-0x1-500000000-20-243", "S-1-0x500000000-32-579" },
    { "S-0x1-0x5-020-0243", "S-1-5-32-579" },
    { "S-1-0xABcDef123-0xABCDef123-579", "S-1-0xABCDEF123-4294967295-579" },
    /* [MS-DTYP] 2.4.2.1: up to 15 sub-authorities */
    { "S-1-5-1-2-3-4-5-6-7-8-9-10-11-12-13-14-15",
      "S-1-5-1-2-3-4-5-6-7-8-9-10-11-12-13-14-15" },
};

/* Each accepted string gives the SID Windows gives, through both the
 * low-level parser and ConvertStringSidToSid. */
static void windows_sid_strings_parse_to_windows_sids(void)
{
    for (size_t i = 0; i < sizeof(accepted) / sizeof(accepted[0]); i++) {
        const char *in = accepted[i].in;
        struct ntsec_sid s;
        size_t end = 0;
        ntsec_status st;

        memset(&s, 0, sizeof(s));
        st = ntsec_sid_parse(in, strlen(in), &s, &end);
        CU_ASSERT_EQUAL(st, NTSEC_STATUS_SUCCESS);
        CU_ASSERT_EQUAL(end, strlen(in));
        CU_ASSERT_STRING_EQUAL(str(&s), accepted[i].out);
        memset(&s, 0, sizeof(s));
        CU_ASSERT_EQUAL(ntsec_sid_from_string(in, NULL, &s), NTSEC_STATUS_SUCCESS);
        CU_ASSERT_STRING_EQUAL(str(&s), accepted[i].out);
        if (st != NTSEC_STATUS_SUCCESS || strcmp(str(&s), accepted[i].out))
            fprintf(stderr, "accepted[%zu] %s -> %s\n", i, in, str(&s));
    }
}

/* Strings ConvertStringSidToSid refuses with ERROR_INVALID_SID. */
static const char *const rejected[] = {
    /* [wine] test_sid: no sub-authority; an alias with more after it */
    "S-1-5", "WDandmorecharacters", "WD)",
    /* [win/should_fail.txt] "O:<sid>" owners Windows refuses */
    "S", "S-", "S-1", "S-10", "S-0", "S-1-", "S-0x1", "S-0x1-",
    "S-1-0x1313131313131-513",          /* authority past 48 bits */
    "S-1-3-4 ",                         /* trailing blank after a SID */
    /* [dc] SidStringsThatStartWithS: refused */
    "S-1-281474976710656-579",
    "S-1-99999999999999999999999999999999999999-32-11111111111",
    "S-1-5-32--579", "S-1-5-32 -579", "S-1-5-3 2-579",
    " S-1-1-1-1-1-1-1",
    "S-1-0", "S-1-22",
    /* [dc] SidStringBehavioursThatWindowsAllows: revisions other than 1
     * (deliberately refused here, see sid.c) */
    "S-0-5-32-579", "S-2-5-32-579", "S-10-5-32-579",
    /* [MS-DTYP] 2.4.2.1: at most 15 sub-authorities */
    "S-1-5-1-2-3-4-5-6-7-8-9-10-11-12-13-14-15-16",
    /* not a SID at all, or junk after one */
    "", "X-1-5-18", "S+1-5-18", "S-1-5-18x", "S-1-5-18-", "S-1-5-0x",
    "S-1-5--18", "S-1--5-18", "S-1-5-18 ", "S-1-0x-18", "S-1-5-+18",
    "S-1-5-\t18", "S-1-5-1\n", "S-1-0xG-18", "SY-1-5",
};

/* Every malformed class is refused with STATUS_INVALID_SID and leaves the
 * output untouched ([docs] ConvertStringSidToSid: ERROR_INVALID_SID). */
static void malformed_sid_strings_are_refused(void)
{
    for (size_t i = 0; i < sizeof(rejected) / sizeof(rejected[0]); i++) {
        struct ntsec_sid s, before;
        ntsec_status st;

        memset(&s, 0x77, sizeof(s));
        before = s;
        st = ntsec_sid_from_string(rejected[i], NULL, &s);
        CU_ASSERT_EQUAL(st, NTSEC_STATUS_INVALID_SID);
        CU_ASSERT_MEM_EQUAL(&s, &before, sizeof(s));
        if (st != NTSEC_STATUS_INVALID_SID)
            fprintf(stderr, "rejected[%zu] \"%s\" gave 0x%08x\n", i, rejected[i],
                    (unsigned)st);
    }
}

/* [wine] test_sid: ConvertStringSidToSidA(NULL, x), (x, NULL), (NULL,
 * NULL) fail with ERROR_INVALID_PARAMETER. */
static void null_string_or_output_is_invalid_parameter(void)
{
    struct ntsec_sid s;

    CU_ASSERT_EQUAL(ntsec_sid_from_string(NULL, NULL, &s), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_sid_from_string("S-1-5-18", NULL, NULL),
                    NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_sid_from_string(NULL, NULL, NULL), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_sid_parse(NULL, 3, &s, NULL), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_sid_parse("S-1-5-18", 8, NULL, NULL), NTSEC_STATUS_INVALID_PARAMETER);
}

/* The SDDL parser reads a SID inside a longer string: the SID ends at the
 * first character that cannot continue it, and `len` bounds it
 * ([win/non_canonical.txt]: "O:S-1-2-0x200D:" is owner S-1-2-512 then a
 * DACL, so the SDDL layer passes the length up to "D:"). */
static void parse_stops_where_the_sid_ends(void)
{
    static const struct { const char *in; size_t len; size_t end; const char *sid; } cases[] = {
        { "S-1-5-32-544)", 13, 12, "S-1-5-32-544" },
        { "S-1-5-32-544;next", 17, 12, "S-1-5-32-544" },
        { "S-1-5-32-", 9, 8, "S-1-5-32" },
        { "S-1-5-32-x", 10, 8, "S-1-5-32" },
        { "S-1-2-0x200D:", 11, 11, "S-1-2-512" },
        { "S-1-2-0x2D:(A;;GA;;;LG)", 9, 9, "S-1-2-2" },
        { "S-1-5-18 -19", 12, 8, "S-1-5-18" },
        { "S-1-5-0x", 8, 7, "S-1-5-0" },
        { "S-1-5-18-19", 8, 8, "S-1-5-18" },
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct ntsec_sid s;
        size_t end = 99;

        CU_ASSERT_EQUAL(ntsec_sid_parse(cases[i].in, cases[i].len, &s, &end),
                        NTSEC_STATUS_SUCCESS);
        CU_ASSERT_EQUAL(end, cases[i].end);
        CU_ASSERT_STRING_EQUAL(str(&s), cases[i].sid);
    }
    /* end is optional */
    {
        struct ntsec_sid s;

        CU_ASSERT_EQUAL(ntsec_sid_parse("S-1-1-0", 7, &s, NULL), NTSEC_STATUS_SUCCESS);
    }
}

/* A failed parse writes neither the SID nor *end. */
static void failed_parse_changes_nothing(void)
{
    struct ntsec_sid s, before;
    size_t end = 1234;

    memset(&s, 0x33, sizeof(s));
    before = s;
    CU_ASSERT_EQUAL(ntsec_sid_parse("S-1-5", 5, &s, &end), NTSEC_STATUS_INVALID_SID);
    CU_ASSERT_EQUAL(ntsec_sid_parse("S-1-5-18", 4, &s, &end), NTSEC_STATUS_INVALID_SID);
    CU_ASSERT_EQUAL(ntsec_sid_parse("WD", 2, &s, &end), NTSEC_STATUS_INVALID_SID);
    CU_ASSERT_EQUAL(end, 1234);
    CU_ASSERT_MEM_EQUAL(&s, &before, sizeof(s));
}

/* [wine] test_sid str_to_sid_tests: ConvertStringSidToSid takes the SDDL
 * aliases too ("WD" is S-1-1-0 ...), and [win/windows_is_less_fussy.txt]
 * reads them without regard to case. */
static void from_string_accepts_sddl_aliases(void)
{
    static const uint32_t dom[] = { 21, 1, 2, 3 };
    struct ntsec_sid d = make(5, 4, dom), s;

    CU_ASSERT_EQUAL(ntsec_sid_from_string("WD", NULL, &s), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_STRING_EQUAL(str(&s), "S-1-1-0");
    CU_ASSERT_EQUAL(ntsec_sid_from_string("sy", NULL, &s), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_STRING_EQUAL(str(&s), "S-1-5-18");
    CU_ASSERT_EQUAL(ntsec_sid_from_string("LA", &d, &s), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_STRING_EQUAL(str(&s), "S-1-5-21-1-2-3-500");
    CU_ASSERT_EQUAL(ntsec_sid_from_string("DA", NULL, &s), NTSEC_STATUS_NONE_MAPPED);
    CU_ASSERT_EQUAL(ntsec_sid_from_string("XX", NULL, &s), NTSEC_STATUS_INVALID_SID);
    CU_ASSERT_EQUAL(ntsec_sid_from_string("WD ", NULL, &s), NTSEC_STATUS_INVALID_SID);
    CU_ASSERT_EQUAL(ntsec_sid_from_string(" WD", NULL, &s), NTSEC_STATUS_INVALID_SID);
    CU_ASSERT_EQUAL(ntsec_sid_from_string("W", NULL, &s), NTSEC_STATUS_INVALID_SID);
}

/* --- formatting -------------------------------------------------------- */

/* [docs] ConvertSidToStringSid; [win/non_canonical.txt]: the authority is
 * decimal below 2^32 and "0x" + upper-case hex without leading zeros from
 * 2^32 on; sub-authorities are unsigned decimal. */
static void format_writes_authority_decimal_below_2_32_else_hex(void)
{
    static const uint32_t subs[] = { 0xFFFFFFFFu, 0, 7 };
    struct ntsec_sid s;

    s = make(0xFFFFFFFFull, 1, subs);
    CU_ASSERT_STRING_EQUAL(str(&s), "S-1-4294967295-4294967295");
    s = make(0x100000000ull, 1, subs + 1);
    CU_ASSERT_STRING_EQUAL(str(&s), "S-1-0x100000000-0");
    s = make(0x12A05F200ull, 2, subs + 1);
    CU_ASSERT_STRING_EQUAL(str(&s), "S-1-0x12A05F200-0-7");
    s = make(0xFFFFFFFFFFFFull, 3, subs);
    CU_ASSERT_STRING_EQUAL(str(&s), "S-1-0xFFFFFFFFFFFF-4294967295-0-7");
    /* [wine] test_CreateWellKnownSid: WinNtAuthoritySid is "S-1-5" */
    s = make(5, 0, NULL);
    CU_ASSERT_STRING_EQUAL(str(&s), "S-1-5");
}

/* The longest SID string fits NTSEC_SID_STRING_MAX with its NUL. */
static void longest_sid_string_fits_the_documented_maximum(void)
{
    uint32_t subs[15];
    struct ntsec_sid s;
    char buf[NTSEC_SID_STRING_MAX];

    for (int i = 0; i < 15; i++)
        subs[i] = 0xFFFFFFFFu;
    s = make(0xFFFFFFFFFFFFull, 15, subs);
    CU_ASSERT_TRUE(ntsec_sid_format(&s, NULL, 0) < NTSEC_SID_STRING_MAX);
    CU_ASSERT_EQUAL(ntsec_sid_format(&s, buf, sizeof(buf)), strlen(buf));
}

/* snprintf's contract (sid.h): the needed length is returned, at most
 * size-1 chars and a NUL are written. */
static void format_truncates_like_snprintf(void)
{
    static const uint32_t subs[] = { 32, 544 };
    struct ntsec_sid s = make(5, 2, subs);
    char buf[8];

    memset(buf, 'x', sizeof(buf));
    CU_ASSERT_EQUAL(ntsec_sid_format(&s, buf, 6), 12);
    CU_ASSERT_STRING_EQUAL(buf, "S-1-5");
    CU_ASSERT_EQUAL(buf[6], 'x');
    CU_ASSERT_EQUAL(ntsec_sid_format(&s, buf, 1), 12);
    CU_ASSERT_STRING_EQUAL(buf, "");
    CU_ASSERT_EQUAL(ntsec_sid_format(&s, NULL, 0), 12);
}

/* [docs] ConvertSidToStringSid fails with ERROR_INVALID_SID for an invalid
 * SID: it has no string, 0 here. */
static void invalid_sid_has_no_string(void)
{
    struct ntsec_sid s = make(5, 1, (const uint32_t[]){ 18 });
    char buf[16] = "junk";

    s.revision = 2;
    CU_ASSERT_EQUAL(ntsec_sid_format(&s, buf, sizeof(buf)), 0);
    CU_ASSERT_STRING_EQUAL(buf, "");
    s.revision = 1;
    s.sub_authority_count = 16;
    CU_ASSERT_EQUAL(ntsec_sid_format(&s, buf, sizeof(buf)), 0);
    CU_ASSERT_EQUAL(ntsec_sid_format(NULL, buf, sizeof(buf)), 0);
}

/* [MS-DTYP] 2.4.2.1: the canonical string of any valid SID with a
 * sub-authority parses back to the same SID. */
static void formatted_sids_parse_back(void)
{
    static const uint64_t auths[] = { 0, 5, 0xFFFFFFFFull, 0x100000000ull, 0xABCDEF012345ull };
    uint32_t subs[15];

    for (int i = 0; i < 15; i++)
        subs[i] = (uint32_t)(i * 0x9E3779B9u);
    for (size_t a = 0; a < sizeof(auths) / sizeof(auths[0]); a++)
        for (unsigned n = 1; n <= 15; n++) {
            struct ntsec_sid s = make(auths[a], n, subs), p;

            CU_ASSERT_EQUAL(ntsec_sid_from_string(str(&s), NULL, &p), NTSEC_STATUS_SUCCESS);
            CU_ASSERT_TRUE(ntsec_sid_equal(&s, &p));
        }
}

/* sid.h: nothing here allocates, so injected allocation failure cannot
 * make any of it fail. */
static void sid_functions_do_not_allocate(void)
{
    struct ntsec_sid s;
    char buf[NTSEC_SID_STRING_MAX];

    testutil_fail_alloc_after(0);
    CU_ASSERT_EQUAL(ntsec_sid_from_string("S-1-5-21-1-2-3-500", NULL, &s),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_sid_from_string("BA", NULL, &s), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_TRUE(ntsec_sid_format(&s, buf, sizeof(buf)) > 0);
    testutil_fail_alloc_after(-1);
}

void register_tests(void)
{
    static CU_TestInfo tests[] = {
        TEST(length_is_8_plus_4_per_sub_authority),
        TEST(valid_sid_is_revision_1_with_at_most_15_sub_authorities),
        TEST(valid_in_buffer_needs_the_whole_sid_inside),
        TEST(init_rejects_16_sub_authorities_and_authorities_past_48_bits),
        TEST(init_writes_only_the_sid_length),
        TEST(authority_is_big_endian),
        TEST(rid_is_the_last_sub_authority),
        TEST(equal_compares_count_authority_and_sub_authorities),
        TEST(equal_prefix_ignores_only_the_last_sub_authority),
        TEST(copy_needs_room_for_the_whole_sid),
        TEST(windows_sid_strings_parse_to_windows_sids),
        TEST(malformed_sid_strings_are_refused),
        TEST(null_string_or_output_is_invalid_parameter),
        TEST(parse_stops_where_the_sid_ends),
        TEST(failed_parse_changes_nothing),
        TEST(from_string_accepts_sddl_aliases),
        TEST(format_writes_authority_decimal_below_2_32_else_hex),
        TEST(longest_sid_string_fits_the_documented_maximum),
        TEST(format_truncates_like_snprintf),
        TEST(invalid_sid_has_no_string),
        TEST(formatted_sids_parse_back),
        TEST(sid_functions_do_not_allocate),
        CU_TEST_INFO_NULL,
    };

    testutil_add_suite("sid", tests);
}
