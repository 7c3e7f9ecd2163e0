/* test_condace.c - conditional ACE expressions: SDDL text <-> the "artx"
 * binary form ([MS-DTYP] 2.4.4.17, 2.5.1.1).
 *
 * Byte-exact vectors are Windows' own: the security descriptors Windows'
 * ConvertStringSecurityDescriptorToSecurityDescriptorW made from these
 * strings, collected by Samba in libcli/security/tests/data/
 * (conditional_aces.txt.json, short-conditional-and-resource-aces-
 * successes.json.gz); the ACE's ApplicationData after "artx" is quoted
 * here. Canonical text pairs are Samba's conditional_aces.txt,
 * conditional_aces_windows_only.txt and _case_insensitive.txt, whose right
 * sides are Windows' ConvertSecurityDescriptorToStringSecurityDescriptorW
 * output (run on Windows by libcli/security/tests/windows/
 * windows-sddl-tests.py). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "condace.h"
#include "condace_tokens.h"
#include "testutil.h"

#include "condace_vectors.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* "artx" + hex, allocated with the exact size so that valgrind sees any
 * read past the end. */
static uint8_t *from_hex(const char *hex, size_t *len)
{
    size_t n = strlen(hex) / 2;
    uint8_t *b = malloc(n + 4);

    memcpy(b, "artx", 4);
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        sscanf(hex + 2 * i, "%2x", &v);
        b[4 + i] = (uint8_t)v;
    }
    *len = n + 4;
    return b;
}

static ntsec_status compile(const char *text, uint8_t **data, size_t *len, size_t *err)
{
    return ntsec__cond_compile(text, strlen(text), data, len, err);
}

/* Format into a fresh string; NULL when the call fails. Caller frees. */
static char *format(const uint8_t *data, size_t len, ntsec_status *st)
{
    struct ntsec__strbuf sb = NTSEC__STRBUF_INIT;
    char *s = NULL;

    *st = ntsec__cond_format(data, len, &sb);
    if (ntsec_success(*st))
        ntsec__strbuf_finish(&sb, &s, NULL);
    else
        ntsec__strbuf_discard(&sb);
    return s;
}

/* Compile `text`, check the bytes are "artx" + hex. */
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
        fprintf(stderr, "\n  bytes differ for %s (status %#x)\n", text, (unsigned)st);
    ntsec__free(data);
    free(want);
}

/* Compile `in`, format it, expect `canonical`. */
static void check_canonical(const char *in, const char *canonical)
{
    uint8_t *data = NULL;
    size_t len = 0, err = 0;
    ntsec_status st = compile(in, &data, &len, &err);
    char *text;

    CU_ASSERT_EQUAL_FATAL(st, NTSEC_STATUS_SUCCESS);
    text = format(data, len, &st);
    CU_ASSERT_EQUAL(st, NTSEC_STATUS_SUCCESS);
    CU_ASSERT_PTR_NOT_NULL(text);
    if (text) {
        CU_ASSERT_STRING_EQUAL(text, canonical);
        if (strcmp(text, canonical))
            fprintf(stderr, "\n  %s\n  gave %s\n  want %s\n", in, text, canonical);
    }
    ntsec__free(text);
    ntsec__free(data);
}

/* Compiling must fail with INVALID_ACE_CONDITION at `offset`, leaving
 * every output as it was. */
static void check_rejected(const char *text, size_t offset)
{
    uint8_t *data = (uint8_t *)"untouched";
    size_t len = 12345, err = 999999;
    ntsec_status st = compile(text, &data, &len, &err);

    CU_ASSERT_EQUAL(st, NTSEC_STATUS_INVALID_ACE_CONDITION);
    CU_ASSERT_EQUAL(err, offset);
    if (st != NTSEC_STATUS_INVALID_ACE_CONDITION || err != offset)
        fprintf(stderr, "\n  %s: status %#x offset %zu, want offset %zu\n",
                text, (unsigned)st, err, offset);
    CU_ASSERT_STRING_EQUAL((const char *)data, "untouched");
    CU_ASSERT_EQUAL(len, 12345);
    if (ntsec_success(st))
        ntsec__free(data);
}

/* Formatting "artx" + hex must fail with INVALID_ACE_CONDITION and leave
 * the output string as it was. */
static void check_bad_binary(const char *hex)
{
    struct ntsec__strbuf sb = NTSEC__STRBUF_INIT;
    size_t len;
    uint8_t *data = from_hex(hex, &len);
    ntsec_status st;

    ntsec__strbuf_puts(&sb, "keep");
    st = ntsec__cond_format(data, len, &sb);
    CU_ASSERT_EQUAL(st, NTSEC_STATUS_INVALID_ACE_CONDITION);
    if (st != NTSEC_STATUS_INVALID_ACE_CONDITION)
        fprintf(stderr, "\n  binary %s: status %#x\n", hex, (unsigned)st);
    CU_ASSERT_EQUAL(sb.len, 4);
    CU_ASSERT_STRING_EQUAL(sb.data, "keep");
    ntsec__strbuf_discard(&sb);
    free(data);
}

/* Windows' bytes for each string (Samba's Windows-generated JSON). */
static void windows_vectors_compile_byte_exact(void)
{
    for (size_t i = 0; i < COUNT(windows_vectors); i++)
        check_bytes(windows_vectors[i].text, windows_vectors[i].hex);
}

/* Windows' bytes written as text compile back to the same bytes
 * ([MS-DTYP] 2.5.1: SDDL and the binary form describe the same ACE). */
static void windows_vectors_format_round_trip(void)
{
    for (size_t i = 0; i < COUNT(windows_vectors); i++) {
        size_t len, len2 = 0, err = 0;
        uint8_t *data = from_hex(windows_vectors[i].hex, &len), *again = NULL;
        ntsec_status st;
        char *text = format(data, len, &st);

        CU_ASSERT_EQUAL(st, NTSEC_STATUS_SUCCESS);
        if (text) {
            st = compile(text, &again, &len2, &err);
            CU_ASSERT_EQUAL(st, NTSEC_STATUS_SUCCESS);
            CU_ASSERT_EQUAL(len2, len);
            if (ntsec_success(st) && len2 == len)
                CU_ASSERT_MEM_EQUAL(again, data, len);
        }
        ntsec__free(again);
        ntsec__free(text);
        free(data);
    }
}

/* ConvertSecurityDescriptorToStringSecurityDescriptorW's canonical form
 * (Samba's conditional_aces.txt pairs, run on Windows). */
static void windows_canonical_text(void)
{
    for (size_t i = 0; i < COUNT(windows_canonical); i++)
        check_canonical(windows_canonical[i].in, windows_canonical[i].canonical);
}

/* [MS-DTYP] 2.4.4.17.6 / 2.4.4.17.7 / 2.4.4.17.8: the byte code of every
 * token, checked against the spec independently of libsec's table. */
static void token_table_matches_ms_dtyp(void)
{
    static const struct { const char *name; uint8_t code; } spec[] = {
        { "==", 0x80 }, { "!=", 0x81 }, { "<", 0x82 }, { "<=", 0x83 },
        { ">", 0x84 }, { ">=", 0x85 }, { "Contains", 0x86 }, { "Exists", 0x87 },
        { "Any_of", 0x88 }, { "Member_of", 0x89 }, { "Device_Member_of", 0x8a },
        { "Member_of_Any", 0x8b }, { "Device_Member_of_Any", 0x8c },
        { "Not_Exists", 0x8d }, { "Not_Contains", 0x8e }, { "Not_Any_of", 0x8f },
        { "Not_Member_of", 0x90 }, { "Not_Device_Member_of", 0x91 },
        { "Not_Member_of_Any", 0x92 }, { "Not_Device_Member_of_Any", 0x93 },
        { "&&", 0xa0 }, { "||", 0xa1 }, { "!", 0xa2 },
        { "", 0xf8 }, { "@User.", 0xf9 }, { "@Resource.", 0xfa }, { "@Device.", 0xfb },
    };

    CU_ASSERT_EQUAL(ntsec__cond_op_count, COUNT(spec));
    for (size_t i = 0; i < COUNT(spec); i++) {
        const struct ntsec__cond_op *op = ntsec__cond_op_by_code(spec[i].code);
        CU_ASSERT_PTR_NOT_NULL_FATAL(op);
        CU_ASSERT_EQUAL(strcasecmp(op->sddl, spec[i].name), 0);
    }
    /* Literal codes, [MS-DTYP] 2.4.4.17.5. */
    CU_ASSERT_EQUAL(NTSEC__COND_INT8, 0x01);
    CU_ASSERT_EQUAL(NTSEC__COND_INT16, 0x02);
    CU_ASSERT_EQUAL(NTSEC__COND_INT32, 0x03);
    CU_ASSERT_EQUAL(NTSEC__COND_INT64, 0x04);
    CU_ASSERT_EQUAL(NTSEC__COND_UNICODE, 0x10);
    CU_ASSERT_EQUAL(NTSEC__COND_OCTET, 0x18);
    CU_ASSERT_EQUAL(NTSEC__COND_COMPOSITE, 0x50);
    CU_ASSERT_EQUAL(NTSEC__COND_SID, 0x51);
}

/* Every operator of the table compiles to its byte code after its
 * operands (reverse Polish, [MS-DTYP] 2.4.4.17.4) and formats back to
 * its own spelling. */
static void every_operator_compiles_and_formats(void)
{
    for (size_t i = 0; i < ntsec__cond_op_count; i++) {
        const struct ntsec__cond_op *op = &ntsec__cond_ops[i];
        char text[128], canonical[128];
        uint8_t *data = NULL;
        size_t len = 0, err = 0, last;
        ntsec_status st;
        char *back;

        if (op->kind == NTSEC__COND_KIND_ATTR) {
            snprintf(text, sizeof(text), "(%sname)", op->sddl);
            strcpy(canonical, text);
        } else if (op->operand == NTSEC__COND_OPERAND_RELATION) {
            snprintf(text, sizeof(text), "(@User.a %s 1)", op->sddl);
            snprintf(canonical, sizeof(canonical), "(@USER.a %s 1)", op->sddl);
        } else if (op->operand == NTSEC__COND_OPERAND_SIDS) {
            snprintf(text, sizeof(text), "(%s {SID(BA), SID(S-1-5-21-1-2-3-500)})", op->sddl);
            strcpy(canonical, text);
        } else if (op->operand == NTSEC__COND_OPERAND_ATTRIBUTE) {
            snprintf(text, sizeof(text), "(%s @Resource.r)", op->sddl);
            snprintf(canonical, sizeof(canonical), "(%s @RESOURCE.r)", op->sddl);
        } else if (op->kind == NTSEC__COND_KIND_UNARY) {
            snprintf(text, sizeof(text), "(%s(a))", op->sddl);
            strcpy(canonical, text);
        } else {
            snprintf(text, sizeof(text), "(a %s b)", op->sddl);
            snprintf(canonical, sizeof(canonical), "((a) %s (b))", op->sddl);
        }
        st = compile(text, &data, &len, &err);
        CU_ASSERT_EQUAL_FATAL(st, NTSEC_STATUS_SUCCESS);
        CU_ASSERT_EQUAL(len % 4, 0);
        last = len - 1;
        while (data[last] == 0)
            last--;
        CU_ASSERT_EQUAL(op->kind == NTSEC__COND_KIND_ATTR ? data[4] : data[last], op->code);
        back = format(data, len, &st);
        CU_ASSERT_PTR_NOT_NULL(back);
        if (back) {
            CU_ASSERT_STRING_EQUAL(back, canonical);
            if (strcmp(back, canonical))
                fprintf(stderr, "\n  %s gave %s\n", text, back);
        }
        ntsec__free(back);
        ntsec__free(data);
    }
}

/* Operators are matched whatever their case ("mEMBER_of", "member_of" in
 * Samba's conditional_aces.txt and windows_only.txt, run on Windows). */
static void operators_ignore_case(void)
{
    check_canonical("(a cOnTaInS 1)", "(a Contains 1)");
    check_canonical("(exists x)", "(Exists x)");
    check_canonical("(not_member_of{sid(ba)})", "(Not_Member_of {SID(BA)})");
}

/* [MS-DTYP] 2.5.1.1 "Parentheses and Order of Precedence": Exists, then
 * relational and membership, then !, then &&, then ||; left to right at
 * equal precedence. Bytes: Windows' for "A && B || C" (Samba's JSON). */
static void precedence_follows_ms_dtyp(void)
{
    /* && binds tighter than ||: A B C && || */
    check_bytes("(@USER.A || @Device.B && @USER.C)",
                "f9020000004100fb020000004200f9020000004300a0a100");
    /* Left to right: A B && C && */
    check_bytes("(@USER.A && @Device.B && @USER.C)",
                "f9020000004100fb020000004200a0f9020000004300a000");
    /* Relations bind tighter than &&. */
    check_canonical("(a == 1 && b != 2 || c < 3)",
                    "(((a == 1) && (b != 2)) || (c < 3))");
    check_canonical("(a || b == 1 && Exists c)",
                    "((a) || ((b == 1) && (Exists c)))");
    /* ! takes only its parenthesised operand. */
    check_canonical("(!(a) && b)", "((!(a)) && (b))");
    /* Parentheses override. */
    check_canonical("((a || b) && c)", "(((a) || (b)) && (c))");
    /* Membership binds tighter than ||. */
    check_canonical("(Member_of SID(WD) || Not_Member_of_Any {SID(BA)})",
                    "((Member_of SID(WD)) || (Not_Member_of_Any {SID(BA)}))");
}

/* [MS-DTYP] 2.4.4.17.5: integers are INT64 tokens with sign and base
 * bytes; Windows writes back the base and sign it was given (Samba's
 * windows_only.txt: 0xffffffffffffffff is kept in hex). */
static void integer_literals_keep_sign_and_base(void)
{
    /* value -16, sign minus (02), base hex (03) */
    check_bytes("(a == -0x10)", "f8020000006100" "04f0ffffffffffffff" "0203" "80" "00");
    /* 017 octal (01), no sign (03) */
    check_bytes("(a == 017)", "f8020000006100" "040f00000000000000" "0301" "80" "00");
    /* +5: sign plus (01), decimal (02) */
    check_bytes("(a == +5)", "f8020000006100" "040500000000000000" "0102" "80" "00");
    check_canonical("(a == -0x10)", "(a == -0x10)");
    check_canonical("(a == 017)", "(a == 017)");
    check_canonical("(a == +5)", "(a == +5)");
    check_canonical("(a == -0)", "(a == -0)");
    check_canonical("(a == 0X1F)", "(a == 0x1f)");
    check_canonical("(a == -9223372036854775808)", "(a == -9223372036854775808)");
    check_canonical("(a == -01000000000000000000000)", "(a == -01000000000000000000000)");
    check_canonical("(a == 0xffffffffffffffff)", "(a == 0xffffffffffffffff)");
    check_canonical("(a == 9223372036854775807)", "(a == 9223372036854775807)");
}

/* Strings are UTF-16 without terminator (0x10, [MS-DTYP] 2.4.4.17.5);
 * octet strings take '#' for '0' and an odd count gets a leading 0
 * (Microsoft docs, "Security Descriptor Definition Language for
 * Conditional ACEs"); SIDs take strings or aliases in SID(...). */
static void string_octet_and_sid_literals(void)
{
    /* U+00E9 and U+1F600 (a surrogate pair) */
    check_bytes("(a == \"\xc3\xa9\xf0\x9f\x98\x80\")",
                "f8020000006100" "1006000000" "e9003dd800de" "8000");
    check_canonical("(a == \"\xc3\xa9 ) && \")", "(a == \"\xc3\xa9 ) && \")");
    check_bytes("(a == #1#2#3##)", "f8020000006100" "180400000001020300" "80" "000000");
    check_canonical("(a == #ABcd)", "(a == #abcd)");
    check_canonical("(a == #)", "(a == #)");
    /* SID string and alias; Windows writes the alias when there is one
     * (Samba's conditional_aces.txt: SID(S-1-1-0) comes back SID(WD)). */
    check_bytes("(Member_of SID(S-1-5-32-544))",
                "5110000000" "01020000000000052000000020020000" "89" "0000");
    check_canonical("(Member_of SID(S-1-5-32-544))", "(Member_of SID(BA))");
    check_canonical("(Member_of SID(s-1-5-21-1-2-3-1000))",
                    "(Member_of SID(S-1-5-21-1-2-3-1000))");
}

/* Composites: 0x50 with the byte length of the tokens inside
 * ([MS-DTYP] 2.4.4.17.5), any literal inside (Windows takes
 * "(Member_of {6723349})", Samba's Windows JSON). */
static void composite_literals(void)
{
    check_bytes("(a == {})", "f8020000006100" "5000000000" "80" "000000");
    check_bytes("(Member_of {6723349})",
                "500b000000" "04" "1597660000000000" "0302" "89" "000000");
    check_canonical("(a Any_of {1,\"x\" , #00, SID(WD), {2}})",
                    "(a Any_of {1, \"x\", #00, SID(WD), {2}})");
}

/* @User./@Device./@Resource. in any case; the name keeps ';', '}' and the
 * like, and "%hhhh" names a UTF-16 unit (Windows' vectors
 * "@RESOURCE.%0100lour", "@RESOURCE.99999999999997129;9}}}}"). */
static void attribute_names_and_escapes(void)
{
    check_bytes("(@rEsOuRcE.%0100b)", "fa04000000" "00016200" "000000");
    check_canonical("(@device.a%0020b)", "(@DEVICE.a%0020b)");
    check_canonical("(@USER.x;}{[)", "(@USER.x;}{[)");
    /* Non-ASCII in a name is written escaped. */
    check_canonical("(@USER.\xc3\xa9)", "(@USER.%00e9)");
    /* Local names: attr-char1 and '@' ([MS-DTYP] 2.5.1.1 attr-name1). */
    check_canonical("(WIN://SYSAPPID == \"x\")", "(WIN://SYSAPPID == \"x\")");
    check_canonical("(a@b)", "(a@b)");
}

/* Malformed text: INVALID_ACE_CONDITION at the offending byte. Refusals
 * marked "Windows" are in Samba's conditional_aces_should_fail.txt (run on
 * Windows); the others break [MS-DTYP] 2.5.1.1's grammar. */
static void malformed_text_is_rejected_with_offset(void)
{
    static const struct { const char *text; size_t offset; } bad[] = {
        { "(Member_of {SID(ernie), SID(BO)} && @Device.Bitlocker)", 12 },  /* Windows */
        { "(!!! !!!  !!! Member_of{SID(BA)})", 2 },                       /* Windows */
        { "(Member_of_AnySID(S-1-1-0))", 17 },                            /* Windows */
        { "(@User.Title == !(@User.Title))", 16 },                        /* Windows */
        { "(! Member_of{SID(BA)})", 3 },                                  /* Windows */
        { "(a == a)", 6 },                                                /* Windows */
        { "(@Device.bb == 055555624677746777766777767)", 15 },            /* Windows */
        { "(@Device.bb == 0x624677746777766777767)", 15 },                /* Windows */
        { "(@Device.bb == 624677746777766777767)", 15 },                  /* Windows */
        { "(@Device.bb == 0x10000000000000000)", 15 },                    /* Windows */
        { "", 0 },                          /* no expression */
        { "a", 0 },                         /* not parenthesised */
        { "()", 1 },                        /* empty */
        { "( )", 2 },
        { "(a ==)", 5 },                    /* operand missing */
        { "(== 1)", 1 },                    /* left side missing */
        { "(a", 2 },                        /* unbalanced */
        { "(a))", 3 },
        { "(a) (b)", 4 },                   /* two expressions */
        { "(a b)", 3 },                     /* no operator */
        { "((a) == 1)", 5 },                /* relation on a non-attribute */
        { "(a == 1 == 2)", 8 },
        { "(Exists \"a\")", 8 },            /* Exists takes an attribute */
        { "(Exists(a))", 7 },               /* ... after white space */
        { "(Member_of @USER.x)", 11 },      /* membership takes a literal */
        { "(a == \"open)", 6 },             /* unterminated string */
        { "(a == \"\xff\")", 7 },           /* invalid UTF-8 */
        { "(a == 17p)", 6 },                /* letters glued to a number */
        { "(a == 08)", 6 },                 /* not an octal digit */
        { "(a == 0x)", 6 },
        { "(a == -9223372036854775809)", 6 },
        { "(a == 9223372036854775808)", 6 },
        { "(a == #12g)", 9 },
        { "(a == {1 2})", 9 },              /* composite without comma */
        { "(a == {1,)", 9 },
        { "(a == SID(XX))", 6 },            /* unknown alias */
        { "(a == SID(S-1-5-32-544)", 23 },
        { "(@Machine.x)", 1 },              /* unknown attribute class */
        { "(@USER.)", 7 },                  /* empty name */
        { "(@USER.%0041)", 7 },             /* 'A' must be literal */
        { "(@USER.a%00)", 8 },              /* short escape */
        { "(@USER.%zz00)", 7 },
        { "(a ! b)", 3 },
        { "(!a)", 2 },
        { "(a && )", 6 },
        { "(a || || b)", 6 },
    };

    for (size_t i = 0; i < COUNT(bad); i++)
        check_rejected(bad[i].text, bad[i].offset);
}

/* Nesting is bounded: deep input is refused, not a stack overflow. */
static void nesting_is_bounded(void)
{
    char text[2 * 300 + 2];
    uint8_t *data = NULL;
    size_t len = 0, err = 0, n = 300;

    for (size_t i = 0; i < n; i++)
        text[i] = '(';
    text[n] = 'a';
    for (size_t i = 0; i < n; i++)
        text[n + 1 + i] = ')';
    text[2 * n + 1] = 0;
    CU_ASSERT_EQUAL(compile(text, &data, &len, &err), NTSEC_STATUS_INVALID_ACE_CONDITION);
    /* 26 levels, as in Windows' vectors, are fine. */
    memmove(text + 26, text + n, 1);
    text[27] = 0;
    for (size_t i = 0; i < 26; i++)
        text[27 + i] = ')';
    text[53] = 0;
    CU_ASSERT_EQUAL(compile(text, &data, &len, &err), NTSEC_STATUS_SUCCESS);
    ntsec__free(data);
}

/* Malformed binary: each class is INVALID_ACE_CONDITION ([MS-DTYP]
 * 2.5.3.1.5: an operator needs its operands on the stack, and one result
 * must remain). */
static void malformed_binary_is_rejected(void)
{
    static const char *const bad[] = {
        "",                                 /* empty expression */
        "00000000",                         /* only padding */
        "89",                               /* stack underflow: unary */
        "f8020000006100a0",                 /* stack underflow: binary */
        "f8020000006100f8020000006200",     /* two operands left over */
        "f802000000",                       /* name runs past the end */
        "f8",                               /* length truncated */
        "f80300000061",                     /* odd UTF-16 length */
        "f80000000000",                     /* empty name */
        "0401000000",                       /* integer truncated */
        "f802000000610401000000000000000304" "80", /* base byte 04 */
        "f802000000610401000000000000000403" "80", /* sign byte 04 */
        "f80200000061000180000000000000000302" "80", /* INT8 out of range */
        "f8020000006100" "04ffffffffffffffff0102" "80", /* "+" on -1 */
        "f8020000006100" "040100000000000000" "0202" "80", /* "-" on 1 */
        "f8020000006100" "1002000000" "2200" "80",  /* string with '"' */
        "f8020000006100" "1002000000" "00d8" "80",  /* lone surrogate */
        "510c000000" "010000000000000100000000" "89", /* SID length wrong */
        "5108000000" "0200000000000001" "89",       /* bad revision */
        "5006000000" "f80200000061" "89",           /* attribute in composite */
        "5001000000" "a2" "89",                     /* operator in composite */
        "5006000000" "0401000000" "89",             /* element truncated */
        "f8020000006100" "77",                      /* unknown token */
        "f8020000006100" "00" "01",                 /* data after padding */
        "f8020000006100" "80",                      /* == with one operand */
    };
    struct ntsec__strbuf sb = NTSEC__STRBUF_INIT;
    static const uint8_t no_sig[] = { 'a', 'r', 't', 'y', 0xf8, 2, 0, 0, 0, 'a', 0, 0 };

    for (size_t i = 0; i < COUNT(bad); i++)
        check_bad_binary(bad[i]);
    /* The signature is "artx" ([MS-DTYP] 2.4.4.17). */
    CU_ASSERT_EQUAL(ntsec__cond_format(no_sig, sizeof(no_sig), &sb),
                    NTSEC_STATUS_INVALID_ACE_CONDITION);
    CU_ASSERT_EQUAL(ntsec__cond_format(no_sig, 3, &sb), NTSEC_STATUS_INVALID_ACE_CONDITION);
    CU_ASSERT_EQUAL(sb.len, 0);
    ntsec__strbuf_discard(&sb);
}

/* Every truncation of Windows' vectors is either an expression or
 * refused, and nothing is read past the length (exact-size copies, so
 * valgrind would see it). */
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

/* Outputs are written only on success (DESIGN.md, Errors); each
 * allocation failure is NO_MEMORY and leaks nothing. */
static void compile_allocation_failure(void)
{
    static const char *const texts[] = {
        "(@User.Title==\"PM\" && (@User.Division==\"Finance\" || @User.Division ==\"Sales\"))",
        "(Member_of {SID(BA), SID(WD)} && @Device.%0100x == #0102 && a Any_of {1, \"s\"})",
    };

    for (size_t t = 0; t < COUNT(texts); t++) {
        for (long n = 0;; n++) {
            uint8_t *data = (uint8_t *)"untouched";
            size_t len = 7, err = 9;
            long live = testutil_live();
            ntsec_status st;

            testutil_fail_alloc_after(n);
            st = compile(texts[t], &data, &len, &err);
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
}

static void format_allocation_failure(void)
{
    uint8_t *data = NULL;
    size_t len = 0, err = 0;

    CU_ASSERT_EQUAL_FATAL(compile("(@User.Title==\"PM\" && (@User.Division==\"Finance\" || "
                                  "@User.Division ==\"Sales\"))", &data, &len, &err),
                          NTSEC_STATUS_SUCCESS);
    for (long n = 0;; n++) {
        struct ntsec__strbuf sb = NTSEC__STRBUF_INIT;
        long live = testutil_live();
        ntsec_status st;

        testutil_fail_alloc_after(n);
        st = ntsec__cond_format(data, len, &sb);
        testutil_fail_alloc_after(-1);
        if (ntsec_success(st)) {
            CU_ASSERT(n > 0);
            CU_ASSERT_STRING_EQUAL(sb.data, "((@USER.Title == \"PM\") && "
                                   "((@USER.Division == \"Finance\") || "
                                   "(@USER.Division == \"Sales\")))");
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

/* Formatting appends: what the caller's buffer held stays in front. */
static void format_appends_to_buffer(void)
{
    struct ntsec__strbuf sb = NTSEC__STRBUF_INIT;
    uint8_t *data = NULL;
    size_t len = 0, err = 0;

    CU_ASSERT_EQUAL_FATAL(compile("(Exists a)", &data, &len, &err), NTSEC_STATUS_SUCCESS);
    ntsec__strbuf_puts(&sb, "XA;");
    CU_ASSERT_EQUAL(ntsec__cond_format(data, len, &sb), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_STRING_EQUAL(sb.data, "XA;(Exists a)");
    ntsec__strbuf_discard(&sb);
    ntsec__free(data);
}

void register_tests(void)
{
    static CU_TestInfo tests[] = {
        TEST(windows_vectors_compile_byte_exact),
        TEST(windows_vectors_format_round_trip),
        TEST(windows_canonical_text),
        TEST(token_table_matches_ms_dtyp),
        TEST(every_operator_compiles_and_formats),
        TEST(operators_ignore_case),
        TEST(precedence_follows_ms_dtyp),
        TEST(integer_literals_keep_sign_and_base),
        TEST(string_octet_and_sid_literals),
        TEST(composite_literals),
        TEST(attribute_names_and_escapes),
        TEST(malformed_text_is_rejected_with_offset),
        TEST(nesting_is_bounded),
        TEST(malformed_binary_is_rejected),
        TEST(truncated_binary_never_reads_past_length),
        TEST(compile_allocation_failure),
        TEST(format_allocation_failure),
        TEST(format_appends_to_buffer),
        CU_TEST_INFO_NULL,
    };

    testutil_add_suite("condace", tests);
}
