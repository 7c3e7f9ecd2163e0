/* test_claim.c - resource attribute claims: the SDDL of an RA ACE's last
 * field <-> CLAIM_SECURITY_ATTRIBUTE_RELATIVE_V1 ([MS-DTYP] 2.4.10.1).
 *
 * Byte-exact vectors are the RA ACEs of security descriptors Windows'
 * ConvertStringSecurityDescriptorToSecurityDescriptorW made from these
 * strings (Samba's libcli/security/tests/data/conditional_aces.txt.json
 * and short-conditional-and-resource-aces-successes.json.gz, generated on
 * Windows); the ACE body after the SID is quoted, padding included.
 * Canonical pairs are Samba's conditional_aces.txt, whose right sides are
 * Windows' ConvertSecurityDescriptorToStringSecurityDescriptorW output. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "condace.h"
#include "testutil.h"

struct vector {
    const char *text;
    const char *hex;
};

static const struct vector windows_vectors[] = {
    { "(\"colour\",TS,0,\"blue\")",
      "140000000300000000000000010000002200000063006f006c006f0075007200"
      "000062006c00750065000000" },
    { "(\"colour\",TS,0,\"blue\", \"red\")",
      "18000000030000000000000002000000260000003000000063006f006c006f00"
      "75007200000062006c007500650000007200650064000000" },
    { "(\"colOIr\",TU,0xe,47,2447777777777714,244,0)",
      "20000000020000000e000000040000002e000000360000003e00000046000000"
      "63006f006c004f004900720000002f0000000000000032fceeac3db20800f400"
      "00000000000000000000000000000000" },
    { "(\"colOIr\",TU,0xe,244714,244729714,244,244729925777777)",
      "20000000020000000e000000040000002e000000360000003e00000046000000"
      "63006f006c004f00490072000000eabb0300000000007247960e00000000f400"
      "00000000000071b94aa094de00000000" },
    { "(\"colOIr\",TU,0xe,47,2447777777777714,244777777714,244,0,0)",
      "28000000020000000e00000006000000360000003e000000460000004e000000"
      "560000005e00000063006f006c004f004900720000002f0000000000000032fc"
      "eeac3db20800327ae4fd38000000f40000000000000000000000000000000000"
      "0000000000000000" },
    { "(\"colOIr\",TU,0xe,47,2447777777777714,244777777714,244,0,0,0)",
      "2c000000020000000e000000070000003a000000420000004a00000052000000"
      "5a000000620000006a00000063006f006c004f004900720000002f0000000000"
      "000032fceeac3db20800327ae4fd38000000f400000000000000000000000000"
      "0000000000000000000000000000000000000000" },
    { "(\"colOIr\",TU,0xe,244714,244729714,244729925777777)",
      "1c000000020000000e000000030000002a000000320000003a00000063006f00"
      "6c004f00490072000000eabb0300000000007247960e0000000071b94aa094de"
      "00000000" },
    { "(\"colOIr\",TU,0xe,244714,244729925777777)",
      "18000000020000000e00000002000000260000002e00000063006f006c004f00"
      "490072000000eabb03000000000071b94aa094de00000000" },
    { "(\"colOIr\",TU,0xe,244729925777777)",
      "14000000020000000e000000010000002200000063006f006c004f0049007200"
      "000071b94aa094de00000000" },
    { "(\"colour\",TS,0xa,\"blue2-580anNUge\",\"-1-5-32-580anNUge\",\"blueanNO\")",
      "1c000000030000000a000000030000002a0000004a0000006e00000063006f00"
      "6c006f0075007200000062006c007500650032002d0035003800300061006e00"
      "4e0055006700650000002d0031002d0035002d00330032002d00350038003000"
      "61006e004e00550067006500000062006c007500650061006e004e004f000000" },
    { "(\"colour\",TS,0xa,\"blue2-S580anNUge\",\"-1-5-32-580anNUge\",\"blueanNO\")",
      "1c000000030000000a000000030000002a0000004c0000007000000063006f00"
      "6c006f0075007200000062006c007500650032002d0053003500380030006100"
      "6e004e0055006700650000002d0031002d0035002d00330032002d0035003800"
      "300061006e004e00550067006500000062006c007500650061006e004e004f00"
      "00000000" },
    { "(\"colour\",TS,0xa,\"blueeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeblueanNO\")",
      "14000000030000000a000000010000002200000063006f006c006f0075007200"
      "000062006c007500650065006500650065006500650065006500650065006500"
      "6500650065006500650065006500650065006500650065006500650065006500"
      "650065006500650065006500650065006500650062006c007500650061006e00"
      "4e004f0000000000" },
    { "(\"colOIr\",TU,0xe,29,14,1,0,29,14,29925737777)",
      "2c000000020000000e000000070000003a000000420000004a00000052000000"
      "5a000000620000006a00000063006f006c004f004900720000001d0000000000"
      "00000e00000000000000010000000000000000000000000000001d0000000000"
      "00000e000000000000003185b6f7060000000000" },
    { "(\"colOIr\",TU,0xe,244729925737777)",
      "14000000020000000e000000010000002200000063006f006c004f0049007200"
      "0000311d4aa094de00000000" },
    { "(\"colOIr\",TU,0xe,24472992577)",
      "14000000020000000e000000010000002200000063006f006c004f0049007200"
      "0000413bb4b2050000000000" },
    { "(\"colOIr\",TU,0xe,244,24472992577)",
      "18000000020000000e00000002000000260000002e00000063006f006c004f00"
      "490072000000f400000000000000413bb4b2050000000000" },
    { "(\"colOIr\",TU,0xe,2447277)",
      "14000000020000000e000000010000002200000063006f006c004f0049007200"
      "0000ad572500000000000000" },
    { "(\"colOIr\",TU,0xe,24472982577)",
      "14000000020000000e000000010000002200000063006f006c004f0049007200"
      "00003114b4b2050000000000" },
    { "(\"colOIr\",TU,0xe,29,14,29,14,14,29925737777)",
      "28000000020000000e00000006000000360000003e000000460000004e000000"
      "560000005e00000063006f006c004f004900720000001d000000000000000e00"
      "0000000000001d000000000000000e000000000000000e000000000000003185"
      "b6f7060000000000" },
    { "(\"colOIr\",TU,0xe,29,14,29,14,29925737777)",
      "24000000020000000e00000005000000320000003a000000420000004a000000"
      "5200000063006f006c004f004900720000001d000000000000000e0000000000"
      "00001d000000000000000e000000000000003185b6f7060000000000" },
    { "(\"colOIr\",TU,0xe,29,14,29925737777)",
      "1c000000020000000e000000030000002a000000320000003a00000063006f00"
      "6c004f004900720000001d000000000000000e000000000000003185b6f70600"
      "00000000" },
    { "(\"colOIr\",TU,0xe,29925)",
      "14000000020000000e000000010000002200000063006f006c004f0049007200"
      "0000e5740000000000000000" },
    { "(\"colOIr\",TU,0xe,29925737777)",
      "14000000020000000e000000010000002200000063006f006c004f0049007200"
      "00003185b6f7060000000000" },
    { "(\"colOIr\",TU,0xe,4,24472992577)",
      "18000000020000000e00000002000000260000002e00000063006f006c004f00"
      "4900720000000400000000000000413bb4b2050000000000" },
    { "(\"colOISr\",TU,0xe,24472925737777)",
      "14000000020000000e000000010000002400000063006f006c004f0049005300"
      "7200000031930b0c42160000" },
};

struct pair {
    const char *in;
    const char *canonical;
};

static const struct pair windows_canonical[] = {
    { "(\"colour\",TS,0,\"blue\")",
      "(\"colour\",TS,0x0,\"blue\")" },
    { "(\"colour\",TS,0,\"blue\", \"red\")",
      "(\"colour\",TS,0x0,\"blue\",\"red\")" },
    { "(\"colour\",TS,0,\"red\", \"blue\")",
      "(\"colour\",TS,0x0,\"red\",\"blue\")" },
    { "(\"a\",TS,0x0,\"1\",\"2\")",
      "(\"a\",TS,0x0,\"1\",\"2\")" },
    { "(\"b\",TS,0x0,\"2\",\"1\")",
      "(\"b\",TS,0x0,\"2\",\"1\")" },
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Bytes of `hex`, allocated with the exact size (valgrind sees overreads). */
static uint8_t *from_hex(const char *hex, size_t *len)
{
    size_t n = strlen(hex) / 2;
    uint8_t *b = malloc(n ? n : 1);

    for (size_t i = 0; i < n; i++) {
        unsigned v;
        sscanf(hex + 2 * i, "%2x", &v);
        b[i] = (uint8_t)v;
    }
    *len = n;
    return b;
}

static ntsec_status compile(const char *text, uint8_t **data, size_t *len, size_t *err)
{
    return ntsec__claim_compile(text, strlen(text), data, len, err);
}

static char *format(const uint8_t *data, size_t len, ntsec_status *st)
{
    struct ntsec__strbuf sb = NTSEC__STRBUF_INIT;
    char *s = NULL;

    *st = ntsec__claim_format(data, len, &sb);
    if (ntsec_success(*st))
        ntsec__strbuf_finish(&sb, &s, NULL);
    else
        ntsec__strbuf_discard(&sb);
    return s;
}

static void check_bytes(const char *text, const char *hex)
{
    uint8_t *data = NULL, *want;
    size_t len = 0, want_len, err = 0;
    ntsec_status st = compile(text, &data, &len, &err);

    want = from_hex(hex, &want_len);
    CU_ASSERT_EQUAL(st, NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(len, want_len);
    if (ntsec_success(st) && len == want_len)
        CU_ASSERT_MEM_EQUAL(data, want, len);
    if (!ntsec_success(st) || len != want_len || memcmp(data, want, len))
        fprintf(stderr, "\n  bytes differ for %s (status %#x, err %zu)\n", text,
                (unsigned)st, err);
    ntsec__free(data);
    free(want);
}

static void check_canonical(const char *in, const char *canonical)
{
    uint8_t *data = NULL;
    size_t len = 0, err = 0;
    ntsec_status st = compile(in, &data, &len, &err);
    char *text;

    CU_ASSERT_EQUAL_FATAL(st, NTSEC_STATUS_SUCCESS);
    text = format(data, len, &st);
    CU_ASSERT_PTR_NOT_NULL(text);
    if (text) {
        CU_ASSERT_STRING_EQUAL(text, canonical);
        if (strcmp(text, canonical))
            fprintf(stderr, "\n  %s\n  gave %s\n  want %s\n", in, text, canonical);
    }
    ntsec__free(text);
    ntsec__free(data);
}

static void check_rejected(const char *text, size_t offset)
{
    uint8_t *data = (uint8_t *)"untouched";
    size_t len = 12345, err = 999999;
    ntsec_status st = compile(text, &data, &len, &err);

    CU_ASSERT_EQUAL(st, NTSEC_STATUS_INVALID_ACE_CONDITION);
    CU_ASSERT_EQUAL(err, offset);
    if (st != NTSEC_STATUS_INVALID_ACE_CONDITION || err != offset)
        fprintf(stderr, "\n  %s: status %#x offset %zu, want %zu\n", text,
                (unsigned)st, err, offset);
    CU_ASSERT_STRING_EQUAL((const char *)data, "untouched");
    CU_ASSERT_EQUAL(len, 12345);
    if (ntsec_success(st))
        ntsec__free(data);
}

static void check_bad_binary(const char *hex)
{
    struct ntsec__strbuf sb = NTSEC__STRBUF_INIT;
    size_t len;
    uint8_t *data = from_hex(hex, &len);
    ntsec_status st;

    ntsec__strbuf_puts(&sb, "keep");
    st = ntsec__claim_format(data, len, &sb);
    CU_ASSERT_EQUAL(st, NTSEC_STATUS_INVALID_ACE_CONDITION);
    if (st != NTSEC_STATUS_INVALID_ACE_CONDITION)
        fprintf(stderr, "\n  binary %s: status %#x\n", hex, (unsigned)st);
    CU_ASSERT_STRING_EQUAL(sb.data, "keep");
    ntsec__strbuf_discard(&sb);
    free(data);
}

/* Windows' bytes for each RA string (Samba's Windows-generated JSON). */
static void windows_vectors_compile_byte_exact(void)
{
    for (size_t i = 0; i < COUNT(windows_vectors); i++)
        check_bytes(windows_vectors[i].text, windows_vectors[i].hex);
}

/* Windows' bytes written as text compile back to the same bytes. */
static void windows_vectors_format_round_trip(void)
{
    for (size_t i = 0; i < COUNT(windows_vectors); i++) {
        size_t len, len2 = 0, err = 0;
        uint8_t *data = from_hex(windows_vectors[i].hex, &len), *again = NULL;
        ntsec_status st;
        char *text = format(data, len, &st);

        CU_ASSERT_EQUAL(st, NTSEC_STATUS_SUCCESS);
        if (text) {
            CU_ASSERT_EQUAL(compile(text, &again, &len2, &err), NTSEC_STATUS_SUCCESS);
            CU_ASSERT_EQUAL(len2, len);
            if (again && len2 == len)
                CU_ASSERT_MEM_EQUAL(again, data, len);
        }
        ntsec__free(again);
        ntsec__free(text);
        free(data);
    }
}

/* Windows writes flags in hex and values without spaces (Samba's
 * conditional_aces.txt: ("colour",TS,0,"blue", "red") comes back as
 * ("colour",TS,0x0,"blue","red")). */
static void windows_canonical_text(void)
{
    for (size_t i = 0; i < COUNT(windows_canonical); i++)
        check_canonical(windows_canonical[i].in, windows_canonical[i].canonical);
}

/* [MS-DTYP] 2.4.10.1: SID values are CLAIM_SECURITY_ATTRIBUTE_OCTET_STRING_
 * RELATIVE (length, then the SID); octet strings likewise; booleans are
 * 64-bit 0 or 1. Layout as Windows packs it (header, offsets, name,
 * values, no alignment; see the vectors above). */
static void sid_octet_and_boolean_values(void)
{
    check_bytes("(\"s\",TD,0x0,BA)",
                "14000000" "0500" "0000" "00000000" "01000000" "18000000" "73000000"
                "10000000" "01020000000000052000000020020000");
    check_canonical("(\"s\",TD,0x0,S-1-5-32-544, S-1-5-21-1-2-3-500)",
                    "(\"s\",TD,0x0,BA,S-1-5-21-1-2-3-500)");
    check_bytes("(\"x\",TX,0x0,#12,abc)",
                "18000000" "1000" "0000" "00000000" "02000000" "1c000000" "22000000"
                "78000000" "020000000012" "020000000abc");
    check_canonical("(\"x\",TX,0x0,#12,abc,0A0B)", "(\"x\",TX,0x0,0012,0abc,0a0b)");
    check_bytes("(\"b\",TB,0x1,1,0)",
                "18000000" "0600" "0000" "01000000" "02000000" "1c000000" "24000000"
                "62000000" "0100000000000000" "0000000000000000");
    check_canonical("(\"b\",TB,0x1,1,0)", "(\"b\",TB,0x1,1,0)");
}

/* Integers: TI signed, TU unsigned, any SDDL base on the way in, decimal
 * on the way out (the base is not stored in a claim, [MS-DTYP] 2.4.10.1). */
static void integer_values(void)
{
    check_canonical("(\"i\",TI,0x0,-1,0x10,010,+7)", "(\"i\",TI,0x0,-1,16,8,7)");
    check_canonical("(\"u\",TU,0x0,0xffffffffffffffff)", "(\"u\",TU,0x0,18446744073709551615)");
    check_canonical("(\"n\",TI,0x0)", "(\"n\",TI,0x0)");
    check_canonical(" ( \"n\" , TI , 0x3 , 1 ) ", "(\"n\",TI,0x3,1)");
    /* Names take "%hhhh" escapes (Windows' "colOIr%0016..." vectors). */
    check_canonical("(\"a%0016b c\",TS,0x0,\"v\")", "(\"a%0016b%0020c\",TS,0x0,\"v\")");
}

/* Malformed text: INVALID_ACE_CONDITION at the offending byte ([MS-DTYP]
 * 2.5.1 resource attribute grammar). */
static void malformed_text_is_rejected_with_offset(void)
{
    static const struct { const char *text; size_t offset; } bad[] = {
        { "", 0 },
        { "\"a\",TI,0)", 0 },               /* no '(' */
        { "(a,TI,0)", 1 },                  /* name not quoted */
        { "(\"\",TI,0)", 2 },               /* empty name */
        { "(\"a,TI,0)", 9 },                /* unterminated name */
        { "(\"a\",TZ,0)", 5 },              /* unknown type */
        { "(\"a\" TI,0)", 5 },
        { "(\"a\",TI,0xff00)", 8 },         /* reserved flag bits (Samba) */
        { "(\"a\",TI,-1)", 8 },             /* negative flags */
        { "(\"a\",TI,0x100000000)", 8 },    /* flags over 32 bits */
        { "(\"a\",TI,0,x)", 10 },
        { "(\"a\",TU,0,-1)", 10 },          /* TU is unsigned */
        { "(\"a\",TB,0,2)", 10 },           /* TB is 0 or 1 */
        { "(\"a\",TS,0,\"open)", 10 },
        { "(\"a\",TS,0,x)", 10 },
        { "(\"a\",TD,0,S-1-x)", 10 },
        { "(\"a\",TD,0,SID(BA))", 10 },     /* bare SIDs here */
        { "(\"a\",TX,0,)", 10 },            /* empty octet string */
        { "(\"a\",TX,0,12g)", 12 },
        { "(\"a\",TI,0,1", 11 },            /* no ')' */
        { "(\"a\",TI,0,1) x", 13 },         /* trailing text */
        { "(\"a\",TI,0 1)", 10 },
        { "(\"%0041\",TI,0)", 2 },          /* 'A' must be literal */
    };

    for (size_t i = 0; i < COUNT(bad); i++)
        check_rejected(bad[i].text, bad[i].offset);
}

/* Malformed binary: every offset and length is checked against the
 * buffer; unknown types and names shorter than 4 bytes ([MS-DTYP]
 * 2.4.10.1) are refused. */
static void malformed_binary_is_rejected(void)
{
    static const char *const bad[] = {
        "",
        "14000000030000000000",                             /* short header */
        "14000000" "0400" "0000" "00000000" "00000000" "61000000",   /* type 4 */
        "14000000" "0100" "0000" "00000000" "ffffffff" "61000000",   /* count */
        "f0000000" "0100" "0000" "00000000" "00000000" "61000000",   /* name off */
        "10000000" "0100" "0000" "00000000" "00000000" "6100",       /* no NUL */
        "10000000" "0100" "0000" "00000000" "00000000" "0000",       /* empty name */
        "14000000" "0100" "0000" "00000000" "01000000" "ff000000" "61000000",
        "14000000" "0100" "0000" "00000000" "01000000" "18000000" "61000000" "0100",
        "14000000" "0300" "0000" "00000000" "01000000" "18000000" "61000000" "6200",
        "14000000" "0300" "0000" "00000000" "01000000" "18000000" "61000000" "22000000",
        "14000000" "1000" "0000" "00000000" "01000000" "18000000" "61000000" "05000000" "00",
        "14000000" "0500" "0000" "00000000" "01000000" "18000000" "61000000" "08000000"
            "0200000000000001",                                       /* bad SID */
    };

    for (size_t i = 0; i < COUNT(bad); i++)
        check_bad_binary(bad[i]);
}

/* Truncations of Windows' vectors are refused or valid, never read past
 * the end. */
static void truncated_binary_never_reads_past_length(void)
{
    for (size_t i = 0; i < COUNT(windows_vectors); i++) {
        size_t len;
        uint8_t *full = from_hex(windows_vectors[i].hex, &len);

        for (size_t cut = 0; cut < len; cut++) {
            uint8_t *copy = malloc(cut ? cut : 1);
            ntsec_status st;
            char *text;

            memcpy(copy, full, cut);
            text = format(copy, cut, &st);
            CU_ASSERT(st == NTSEC_STATUS_SUCCESS || st == NTSEC_STATUS_INVALID_ACE_CONDITION);
            ntsec__free(text);
            free(copy);
        }
        free(full);
    }
}

/* Allocation failure: NO_MEMORY, outputs untouched, nothing leaked. */
static void compile_allocation_failure(void)
{
    static const char text[] = "(\"na%0016me\",TS,0x2,\"one\",\"two\")";

    for (long n = 0;; n++) {
        uint8_t *data = (uint8_t *)"untouched";
        size_t len = 7, err = 9;
        long live = testutil_live();
        ntsec_status st;

        testutil_fail_alloc_after(n);
        st = compile(text, &data, &len, &err);
        testutil_fail_alloc_after(-1);
        if (ntsec_success(st)) {
            CU_ASSERT(n > 0);
            ntsec__free(data);
            break;
        }
        CU_ASSERT_EQUAL(st, NTSEC_STATUS_NO_MEMORY);
        CU_ASSERT_STRING_EQUAL((const char *)data, "untouched");
        CU_ASSERT_EQUAL(len, 7);
        CU_ASSERT_EQUAL(err, 9);
        CU_ASSERT_EQUAL(testutil_live(), live);
        if (n > 100)
            break;
    }
}

static void format_allocation_failure(void)
{
    uint8_t *data = NULL;
    size_t len = 0, err = 0;

    CU_ASSERT_EQUAL_FATAL(compile("(\"n\",TS,0x2,\"one\",\"two\")", &data, &len, &err),
                          NTSEC_STATUS_SUCCESS);
    for (long n = 0;; n++) {
        struct ntsec__strbuf sb = NTSEC__STRBUF_INIT;
        long live = testutil_live();
        ntsec_status st;

        testutil_fail_alloc_after(n);
        st = ntsec__claim_format(data, len, &sb);
        testutil_fail_alloc_after(-1);
        if (ntsec_success(st)) {
            CU_ASSERT(n > 0);
            CU_ASSERT_STRING_EQUAL(sb.data, "(\"n\",TS,0x2,\"one\",\"two\")");
            ntsec__strbuf_discard(&sb);
            break;
        }
        CU_ASSERT_EQUAL(st, NTSEC_STATUS_NO_MEMORY);
        ntsec__strbuf_discard(&sb);
        CU_ASSERT_EQUAL(testutil_live(), live);
        if (n > 100)
            break;
    }
    ntsec__free(data);
}

void register_tests(void)
{
    static CU_TestInfo tests[] = {
        TEST(windows_vectors_compile_byte_exact),
        TEST(windows_vectors_format_round_trip),
        TEST(windows_canonical_text),
        TEST(sid_octet_and_boolean_values),
        TEST(integer_values),
        TEST(malformed_text_is_rejected_with_offset),
        TEST(malformed_binary_is_rejected),
        TEST(truncated_binary_never_reads_past_length),
        TEST(compile_allocation_failure),
        TEST(format_allocation_failure),
        CU_TEST_INFO_NULL,
    };

    testutil_add_suite("claim", tests);
}
