/* test_condace_eval.c - evaluating conditional ACE expressions during an
 * access check ([MS-DTYP] 2.4.4.17.5 - 2.4.4.17.9, 2.5.3.1.5), against a
 * token's claims and groups and the resource attributes of a SACL.
 *
 * Expressions are written in SDDL and compiled with ntsec__cond_compile.
 * Where Windows' answer is known, the case says so: most come from
 * Samba's python/samba/tests/krb5/conditional_ace_tests.py, which learns
 * TRUE / FALSE / UNKNOWN from a Windows KDC by evaluating each expression
 * in an allow and in a deny ACE (claim_against_claim_cases,
 * claim_against_literal_cases, pac_claim_cases). Malformed data is
 * evaluated from buffers of exactly its length, so valgrind reports any
 * read past the end. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "condace.h"
#include "condace_eval.h"
#include "condace_tokens.h"
#include "ntsec/token.h"
#include "testutil.h"

#define T NTSEC__COND_TRUE
#define F NTSEC__COND_FALSE
#define U NTSEC__COND_UNKNOWN

/* --- the token and SACL most cases use ------------------------------------ */

enum {
    S_USER, S_WD, S_BU, S_AU, S_DISABLED, S_BA, S_BG, S_DEV1, S_DEV2, S_DEV_DISABLED,
    S_COUNT
};

static const char *const sid_text[S_COUNT] = {
    "S-1-5-21-1-2-3-1001", "S-1-1-0", "S-1-5-32-545", "S-1-5-11", "S-1-5-21-1-2-3-2000",
    "S-1-5-32-544", "S-1-5-32-546", "S-1-5-21-1-2-3-3000", "S-1-5-21-1-2-3-3001",
    "S-1-5-21-1-2-3-3002",
};

static struct ntsec_sid sids[S_COUNT];

static const struct ntsec_sid *sid(int i)
{
    if (!sids[i].revision)
        CU_ASSERT_FATAL(ntsec_success(ntsec_sid_from_string(sid_text[i], NULL, &sids[i])));
    return &sids[i];
}

#define EN (NTSEC_SE_GROUP_ENABLED | NTSEC_SE_GROUP_ENABLED_BY_DEFAULT | NTSEC_SE_GROUP_MANDATORY)

static const struct ntsec_claim_value v_vp[] = { { .string = "VP" } };
static const struct ntsec_claim_value v_colours[] = { { .string = "orange" }, { .string = "blue" } };
static const struct ntsec_claim_value v_blue[] = { { .string = "blue" } };
static const struct ntsec_claim_value v_5[] = { { .i64 = 5 } };
static const struct ntsec_claim_value v_neg3[] = { { .i64 = -3 } };
static const struct ntsec_claim_value v_big[] = { { .u64 = 1ull << 32 } };
static const struct ntsec_claim_value v_huge[] = { { .u64 = UINT64_MAX } };
static const struct ntsec_claim_value v_0[] = { { .i64 = 0 } };
static const struct ntsec_claim_value v_0_1[] = { { .u64 = 0 }, { .u64 = 1 } };
static const struct ntsec_claim_value v_true[] = { { .u64 = 1 } };
static const struct ntsec_claim_value v_false[] = { { .u64 = 0 } };
static const struct ntsec_claim_value v_empty[] = { { .string = "" } };
static const struct ntsec_claim_value v_1_2_3[] = { { .i64 = 1 }, { .i64 = 2 }, { .i64 = 3 } };
static const struct ntsec_claim_value v_secret[] = { { .string = "Secret" } };
static const struct ntsec_claim_value v_first[] = { { .string = "first" } };
static const struct ntsec_claim_value v_second[] = { { .string = "second" } };
static const struct ntsec_claim_value v_x[] = { { .string = "x" } };
static const struct ntsec_claim_value v_uni[] = { { .string = "\xc4\x87\xc3\xa0\xc8\x9b" } };  /* ćàț */
static const struct ntsec_claim_value v_eszett[] = { { .string = "\xc3\x9f" } };            /* ß */
static const struct ntsec_claim_value v_astral[] = { { .string = "\xf0\x90\x80\x80" } };    /* U+10000 */
static const struct ntsec_claim_value v_a[] = { { .string = "a" } };
static const uint8_t blob[] = { 1, 2, 3 };
static struct ntsec_claim_value v_blob[] = { { .octets = { blob, sizeof(blob) } } };
static struct ntsec_claim_value v_owner[1];

#define CLAIM(n, t, f, v) { n, t, f, sizeof(v) / sizeof(v[0]), v }

static const struct ntsec_claim user_claims[] = {
    CLAIM("Title", NTSEC_CLAIM_STRING, 0, v_vp),
    CLAIM("colour", NTSEC_CLAIM_STRING, 0, v_colours),
    CLAIM("Level", NTSEC_CLAIM_INT64, 0, v_5),
    CLAIM("Neg", NTSEC_CLAIM_INT64, 0, v_neg3),
    CLAIM("Big", NTSEC_CLAIM_UINT64, 0, v_big),
    CLAIM("Huge", NTSEC_CLAIM_UINT64, 0, v_huge),
    CLAIM("Zero", NTSEC_CLAIM_INT64, 0, v_0),
    CLAIM("ZeroOne", NTSEC_CLAIM_UINT64, 0, v_0_1),
    CLAIM("Smartcard", NTSEC_CLAIM_BOOLEAN, 0, v_true),
    CLAIM("NoCard", NTSEC_CLAIM_BOOLEAN, 0, v_false),
    CLAIM("Empty", NTSEC_CLAIM_STRING, 0, v_empty),
    CLAIM("Owner", NTSEC_CLAIM_SID, 0, v_owner),
    CLAIM("Blob", NTSEC_CLAIM_OCTET_STRING, 0, v_blob),
    CLAIM("Nums", NTSEC_CLAIM_INT64, 0, v_1_2_3),
    CLAIM("CaseS", NTSEC_CLAIM_STRING, NTSEC_CLAIM_VALUE_CASE_SENSITIVE, v_secret),
    { "None", NTSEC_CLAIM_STRING, 0, 0, NULL },
    CLAIM("Dup", NTSEC_CLAIM_STRING, 0, v_first),
    CLAIM("Dup", NTSEC_CLAIM_STRING, 0, v_second),
    CLAIM("Off", NTSEC_CLAIM_STRING, NTSEC_CLAIM_DISABLED, v_x),
    CLAIM("DenyOnly", NTSEC_CLAIM_STRING, NTSEC_CLAIM_USE_FOR_DENY_ONLY, v_x),
    CLAIM("Uni", NTSEC_CLAIM_STRING, 0, v_uni),
    CLAIM("Eszett", NTSEC_CLAIM_STRING, 0, v_eszett),
    CLAIM("Astral", NTSEC_CLAIM_STRING, 0, v_astral),
    CLAIM("Lower", NTSEC_CLAIM_STRING, 0, v_a),
};

static const struct ntsec_claim device_claims[] = {
    CLAIM("colour", NTSEC_CLAIM_STRING, 0, v_blue),
    CLAIM("Managed", NTSEC_CLAIM_BOOLEAN, 0, v_true),
};

/* Build the usual token; `user_attrs` for the user, `restricted` (n) SIDs. */
static struct ntsec_token *make_token(uint32_t user_attrs, const int *restricted, size_t n)
{
    struct ntsec_sid_and_attributes groups[] = {
        { sid(S_WD), EN }, { sid(S_BU), EN }, { sid(S_AU), EN },
        { sid(S_DISABLED), 0 },
        { sid(S_BA), NTSEC_SE_GROUP_USE_FOR_DENY_ONLY },
    };
    struct ntsec_sid_and_attributes devices[] = {
        { sid(S_DEV1), EN }, { sid(S_DEV2), EN }, { sid(S_DEV_DISABLED), 0 },
    };
    struct ntsec_sid_and_attributes rs[4];
    struct ntsec_token_desc d = { 0 };
    struct ntsec_token *t = NULL;

    v_owner[0].sid = sid(S_USER);
    for (size_t i = 0; i < n; i++)
        rs[i] = (struct ntsec_sid_and_attributes){ sid(restricted[i]), EN };
    d.type = NTSEC_TOKEN_IMPERSONATION;
    d.level = NTSEC_SECURITY_IMPERSONATION;
    d.user.sid = sid(S_USER);
    d.user.attributes = user_attrs;
    d.groups = groups;
    d.group_count = sizeof(groups) / sizeof(groups[0]);
    d.device_groups = devices;
    d.device_group_count = sizeof(devices) / sizeof(devices[0]);
    d.user_claims = user_claims;
    d.user_claim_count = sizeof(user_claims) / sizeof(user_claims[0]);
    d.device_claims = device_claims;
    d.device_claim_count = sizeof(device_claims) / sizeof(device_claims[0]);
    d.restricted_sids = n ? rs : NULL;
    d.restricted_count = n;
    CU_ASSERT_FATAL(ntsec_success(ntsec_token_create(&d, &t)));
    return t;
}

/* Resource attributes of the object: RA ACEs for Everyone. */
static const char *const resource_claims[] = {
    "(\"Dept\",TS,0,\"Sales\",\"HR\")",
    "(\"Project\",TI,0,42)",
    "(\"Secret\",TS,0x2,\"Alpha\")",
    "(\"Flag\",TB,0,1)",
    "(\"Owner\",TD,0,S-1-5-21-1-2-3-1001)",
    "(\"Code\",TX,0,0a0b)",
    "(\"EmptyRA\",TS,0)",
};

static union { struct ntsec_acl acl; uint8_t bytes[2048]; } sacl_buf;

/* Append an RA ACE holding `claim` (len bytes) to `acl`. */
static void add_ra(struct ntsec_acl *acl, const uint8_t *claim, size_t len)
{
    uint8_t ace[512];
    size_t size = 8 + 12 + len;

    CU_ASSERT_FATAL(size <= sizeof(ace) && size % 4 == 0);
    memset(ace, 0, sizeof(ace));
    ace[0] = NTSEC_ACE_SYSTEM_RESOURCE_ATTRIBUTE;
    ace[2] = (uint8_t)size;
    ace[3] = (uint8_t)(size >> 8);
    memcpy(ace + 8, sid(S_WD), 12);
    memcpy(ace + 20, claim, len);
    CU_ASSERT_FATAL(ntsec_success(ntsec_acl_add_aces(acl, NTSEC_ACL_REVISION, 0xffffffffu,
                                                     ace, (uint32_t)size)));
}

static const struct ntsec_acl *make_sacl(void)
{
    struct ntsec_acl *acl = &sacl_buf.acl;

    CU_ASSERT_FATAL(ntsec_success(ntsec_acl_init(acl, sizeof(sacl_buf), NTSEC_ACL_REVISION)));
    for (size_t i = 0; i < sizeof(resource_claims) / sizeof(resource_claims[0]); i++) {
        uint8_t *claim;
        size_t len;

        CU_ASSERT_FATAL(ntsec_success(ntsec__claim_compile(resource_claims[i],
                                                           strlen(resource_claims[i]),
                                                           &claim, &len, NULL)));
        add_ra(acl, claim, len);
        ntsec__free(claim);
    }
    return acl;
}

/* --- running expressions ----------------------------------------------------- */

struct ecase {
    const char *text;
    int want;
};

static int eval_text(const char *text, const struct ntsec__cond_context *ctx)
{
    uint8_t *data, *exact;
    size_t len, err = 0;
    int r;

    if (!ntsec_success(ntsec__cond_compile(text, strlen(text), &data, &len, &err))) {
        fprintf(stderr, "\ncannot compile %s (offset %zu)\n", text, err);
        return -1;
    }
    /* An exact-size copy from malloc: valgrind sees any read past len. */
    exact = malloc(len);
    CU_ASSERT_FATAL(exact != NULL);
    memcpy(exact, data, len);
    ntsec__free(data);
    r = ntsec__cond_evaluate(exact, len, ctx);
    free(exact);
    return r;
}

static void run_cases(const struct ecase *cases, size_t n, const struct ntsec__cond_context *ctx)
{
    static const char *const names[] = { "FALSE", "TRUE", "UNKNOWN" };

    for (size_t i = 0; i < n; i++) {
        int r = eval_text(cases[i].text, ctx);

        CU_ASSERT_EQUAL(r, cases[i].want);
        if (r != cases[i].want)
            fprintf(stderr, "\n%s: got %s, want %s\n", cases[i].text,
                    r >= 0 && r <= 2 ? names[r] : "compile error", names[cases[i].want]);
    }
}

#define RUN(cases, ctx) run_cases(cases, sizeof(cases) / sizeof(cases[0]), ctx)

/* Run `cases` against the usual token and SACL, for an allow ACE
 * (deny false) or a deny ACE. */
static void run_std(const struct ecase *cases, size_t n, bool deny)
{
    struct ntsec_token *t = make_token(0, NULL, 0);
    struct ntsec__cond_context ctx = { .token = t, .sacl = make_sacl(), .deny_ace = deny };

    run_cases(cases, n, &ctx);
    ntsec_token_put(t);
}

#define RUN_STD(cases) run_std(cases, sizeof(cases) / sizeof(cases[0]), false)

/* --- logic --------------------------------------------------------------------- */

/* [MS-DTYP] 2.4.4.17.7: the truth tables of &&, || and ! over TRUE, FALSE
 * and UNKNOWN. */
static void logic_follows_three_valued_truth_tables(void)
{
    static const char *const operand[3] = {
        "Member_of {SID(BG)}",              /* FALSE: not a group of the token */
        "Member_of {SID(WD)}",              /* TRUE */
        "@User.Missing == 1",               /* UNKNOWN: no such claim */
    };
    static const int and_table[3][3] = { { F, F, F }, { F, T, U }, { F, U, U } };
    static const int or_table[3][3] = { { F, T, U }, { T, T, T }, { U, T, U } };
    static const int not_table[3] = { T, F, U };
    struct ntsec_token *t = make_token(0, NULL, 0);
    struct ntsec__cond_context ctx = { .token = t };
    char text[256];

    for (int a = 0; a < 3; a++) {
        snprintf(text, sizeof(text), "(%s)", operand[a]);
        CU_ASSERT_EQUAL(eval_text(text, &ctx), a == 0 ? F : a == 1 ? T : U);
        snprintf(text, sizeof(text), "(!(%s))", operand[a]);
        CU_ASSERT_EQUAL(eval_text(text, &ctx), not_table[a]);
        for (int b = 0; b < 3; b++) {
            snprintf(text, sizeof(text), "((%s) && (%s))", operand[a], operand[b]);
            CU_ASSERT_EQUAL(eval_text(text, &ctx), and_table[a][b]);
            snprintf(text, sizeof(text), "((%s) || (%s))", operand[a], operand[b]);
            CU_ASSERT_EQUAL(eval_text(text, &ctx), or_table[a][b]);
        }
    }
    ntsec_token_put(t);
}

/* [MS-DTYP] 2.4.4.17.7 logical value of attribute operands; multi-valued
 * and boolean results are Windows' (Samba pac_claim_cases). */
static void attribute_operand_has_logical_value(void)
{
    static const struct ecase cases[] = {
        { "(@User.Zero)", F },
        { "(@User.Level)", T },
        { "(@User.ZeroOne)", T },           /* {0, 1}: TRUE on Windows */
        { "(@User.Title)", T },             /* non-empty string */
        { "(@User.Empty)", F },
        { "(@User.Smartcard)", T },
        { "(@User.NoCard)", F },
        { "(!(@User.NoCard))", T },
        { "(!(!(!(!(@User.NoCard)))))", F },
        { "(@User.Smartcard && @Device.Managed)", T },
        { "(@User.Smartcard && !(@User.NoCard || @User.NoCard))", T },
        { "(@User.Owner)", U },             /* SIDs have no logical value */
        { "(@User.Blob)", U },
        { "(@User.None)", U },              /* no values: null ("{empty_array}") */
        { "(@User.Missing)", U },
        { "(@Resource.Flag)", T },
    };
    RUN_STD(cases);
}

/* [MS-DTYP] 2.4.4.17.6: a relational operator on a missing attribute is
 * UNKNOWN, which && / || then treat per the truth tables. */
static void missing_attribute_is_unknown(void)
{
    static const struct ecase cases[] = {
        { "(@User.Missing == 1)", U },
        { "(@User.Missing != 1)", U },
        { "(@User.Level == @User.Missing)", U },
        { "(@Device.Missing == \"x\")", U },
        { "(@Resource.Missing == \"x\")", U },
        { "(@User.Missing == 1 || @User.Level == 5)", T },
        { "(@User.Missing == 1 && @User.Level == 6)", F },
        { "(!(@User.Missing == 1))", U },
        { "(@User.None != \"foo bar\")", U },   /* Windows: empty claim, UNKNOWN */
        { "(@User.Missing Contains {\"a\"})", U },
        { "(@User.Missing Any_of {})", U },
    };
    RUN_STD(cases);
}

/* --- relational operators --------------------------------------------------------- */

/* [MS-DTYP] 2.4.4.17.6 on integers: signed literals against INT64 and
 * UINT64 claims, compared by value (Windows: UINT64 2^32 > 0 is TRUE). */
static void integers_compare_by_value(void)
{
    static const struct ecase cases[] = {
        { "(@User.Level == 5)", T }, { "(@User.Level != 5)", F },
        { "(@User.Level < 6)", T },  { "(@User.Level <= 5)", T },
        { "(@User.Level > 5)", F },  { "(@User.Level >= 6)", F },
        { "(@User.Level > -1)", T }, { "(@User.Level == 0x5)", T },
        { "(@User.Level == 05)", T },
        { "(@User.Neg < 0)", T },    { "(@User.Neg == -3)", T },
        { "(@User.Big > 0)", T },    { "(@User.Big == 0x100000000)", T },
        { "(@User.Huge > 9223372036854775807)", T },
        { "(@User.Huge > -1)", T },  { "(@User.Huge <= 0)", F },
        { "(@User.Neg < @User.Big)", T },
        { "(@User.Level == @User.Level)", T },
        { "(@Resource.Project == 42)", T }, { "(@Resource.Project > 41)", T },
        { "(@User.Level < @Resource.Project)", T },
    };
    RUN_STD(cases);
}

/* Strings compare upper-cased, as UTF-16 code units (Windows results in
 * Samba's claim_against_claim_cases: "foo" < "foo bar", "a" < "_",
 * "ćàț" == "ĆÀȚ", "ß" < "ẞ", "ß" > "SS", U+D7FB < U+10000 < U+F900). */
static void strings_compare_without_case_as_utf16(void)
{
    static const struct ecase cases[] = {
        { "(@User.Title == \"VP\")", T }, { "(@User.Title == \"vp\")", T },
        { "(@User.Title != \"vP\")", F }, { "(@User.Title == \"VPs\")", F },
        { "(@User.Title < \"VQ\")", T },  { "(@User.Title > \"va\")", T },
        { "(@User.Title < \"VP1\")", T }, { "(@User.Title >= \"vp\")", T },
        { "(@User.Title <= \"VO\")", F },
        { "(@User.Lower < \"_\")", T },   /* 'A' < '_' once upper-cased */
        { "(@User.Uni == \"\xc4\x86\xc3\x80\xc8\x9a\")", T },     /* ĆÀȚ */
        { "(@User.Eszett < \"\xe1\xba\x9e\")", T },                /* ß < ẞ */
        { "(@User.Eszett > \"SS\")", T },
        { "(@User.Astral < \"\xef\xa4\x80\")", T },                /* < U+F900 */
        { "(@User.Astral > \"\xed\x9f\xbb\")", T },                /* > U+D7FB */
        { "(@Resource.Dept Contains \"hr\")", T },
        { "(@Resource.dept == {\"sales\", \"hr\"})", T },
    };
    RUN_STD(cases);
}

/* CLAIM_SECURITY_ATTRIBUTE_VALUE_CASE_SENSITIVE makes values compare
 * exactly; names still compare without case (Microsoft docs,
 * CLAIM_SECURITY_ATTRIBUTE_V1 Flags; Samba test_run_conditional_ace.c
 * test_claim_name_different_case_case_flag). */
static void case_sensitive_flag_applies_to_values(void)
{
    static const struct ecase cases[] = {
        { "(@User.CaseS == \"Secret\")", T },
        { "(@User.CaseS == \"secret\")", F },
        { "(@User.cases == \"Secret\")", T },
        { "(@User.CaseS Contains {\"SECRET\"})", F },
        { "(@Resource.Secret == \"Alpha\")", T },
        { "(@Resource.Secret == \"alpha\")", F },
        { "(@USER.title == \"vp\")", T },
    };
    RUN_STD(cases);
}

/* [MS-DTYP] 2.4.4.17.6 on SIDs, octet strings and booleans: SIDs equal or
 * not, octet strings also in order; a boolean equals a boolean or 0/1
 * (Windows: a boolean == 42 is UNKNOWN, Samba's pac_claim_cases). */
static void sids_octets_booleans_compare(void)
{
    static const struct ecase cases[] = {
        { "(@User.Owner == SID(S-1-5-21-1-2-3-1001))", T },
        { "(@User.Owner != SID(S-1-5-21-1-2-3-1001))", F },
        { "(@User.Owner == SID(WD))", F },
        { "(@User.Owner < SID(WD))", U },
        { "(@User.Owner == @Resource.Owner)", T },
        { "(@User.Blob == #010203)", T },   { "(@User.Blob == #0102)", F },
        { "(@User.Blob < #0104)", T },      { "(@User.Blob > #01)", T },
        { "(@Resource.Code == #0a0b)", T },
        { "(@User.Smartcard == 1)", T },    { "(@User.Smartcard == 0)", F },
        { "(@User.Smartcard != 0)", T },    { "(@User.Smartcard == 42)", U },
        { "(@User.Smartcard < 2)", U },     { "(@User.Smartcard == @Device.Managed)", T },
        { "(@User.NoCard == @Device.Managed)", F },
        { "(@Resource.Flag == 1)", T },
    };
    RUN_STD(cases);
}

/* Values of different types do not compare: UNKNOWN (Windows: "42" == 42
 * and {"654", "321"} == {654, 321} are UNKNOWN, Samba's
 * claim_against_literal_cases). */
static void type_mismatch_is_unknown(void)
{
    static const struct ecase cases[] = {
        { "(@User.Title == 1)", U },
        { "(@User.Level == \"5\")", U },
        { "(@User.Level == SID(WD))", U },
        { "(@User.Owner == #00)", U },
        { "(@User.Title == @User.Level)", U },
        { "(@User.Nums == {\"1\", \"2\", \"3\"})", U },
        { "(@User.colour Contains {1, 2})", U },
        { "(@User.colour == {\"blue\", 2})", U },
        { "(@User.Title < SID(WD))", U },
    };
    RUN_STD(cases);
}

/* Composites and multi-valued claims are sets for ==, Contains and
 * Any_of; ordering is UNKNOWN (Windows results, Samba's
 * claim_against_claim_cases and claim_against_literal_cases). */
static void composites_compare_as_sets(void)
{
    static const struct ecase cases[] = {
        { "(@User.colour == {\"blue\", \"orange\"})", T },
        { "(@User.colour == {\"BLUE\", \"ORANGE\"})", T },
        { "(@User.colour == {\"orange\", \"blue\", \"orange\"})", F },
        { "(@User.colour != \"orange\")", T },
        { "(@User.colour != {\"orange\", \"blue\", \"red\"})", T },
        { "(@User.Title == {\"VP\"})", T },
        { "(@User.Title != {})", T },
        { "(@User.Nums == {3, 2, 1})", T },
        { "(@User.Nums == {1, 2})", F },
        { "(@User.Nums != {1, 2, 3})", F },
        { "(@User.Level == @User.Nums)", F },
        { "(@User.Nums < 5)", U },
        { "(@User.Level < {6})", U },
        { "(@User.colour <= {\"orange\", \"blue\"})", U },
        { "(@Resource.Dept == {\"HR\", \"Sales\"})", T },
    };
    RUN_STD(cases);
}

/* Contains: every right-hand value is among the left's; Any_of: some
 * left-hand value is among the right's, which must be a set; the Not_
 * forms invert (Windows results, Samba's claim_against_literal_cases:
 * () Contains {} FALSE, "foo" Any_of "foo" UNKNOWN, "foo" Any_of {}
 * FALSE). */
static void contains_and_any_of(void)
{
    static const struct ecase cases[] = {
        { "(@User.colour Contains \"blue\")", T },
        { "(@User.colour Contains {\"blue\", \"orange\"})", T },
        { "(@User.colour Contains {\"blue\", \"blue\"})", T },
        { "(@User.colour Contains {\"blue\", \"red\"})", F },
        { "(@User.colour Not_Contains \"red\")", T },
        { "(@User.colour Not_Contains {\"blue\"})", F },
        { "(@User.colour Contains {})", F },
        { "(@User.Missing Contains {})", F },
        { "(@User.Missing Not_Contains {})", T },
        { "(@User.colour Contains @Device.colour)", T },
        { "(@Device.colour Contains @User.colour)", F },
        { "(@User.colour Any_of {\"red\", \"blue\"})", T },
        { "(@User.colour Any_of {\"red\"})", F },
        { "(@User.colour Not_Any_of {\"red\"})", T },
        { "(@User.colour Not_Any_of {\"Blue\"})", F },
        { "(@User.colour Any_of \"blue\")", U },
        { "(@User.colour Not_Any_of \"red\")", U },
        { "(@User.colour Any_of {})", F },
        { "(@User.colour Not_Any_of {})", T },
        { "(@User.colour Any_of @Device.colour)", T },
        { "(@User.colour Any_of @Resource.Dept)", F },
        { "(@User.Title Any_of {\"vp\", \"CEO\"})", T },
    };
    RUN_STD(cases);
}

/* --- membership ------------------------------------------------------------------- */

/* [MS-DTYP] 2.4.4.17.6 unary relational operators: all / any of the SIDs,
 * in the user's groups or the device's, Not_ forms inverted. */
static void member_of_variants(void)
{
    static const struct ecase cases[] = {
        { "(Member_of {SID(WD)})", T },
        { "(Member_of SID(WD))", T },
        { "(Member_of {SID(WD), SID(BU), SID(AU)})", T },
        { "(Member_of {SID(WD), SID(BG)})", F },
        { "(Member_of {SID(S-1-5-21-1-2-3-1001)})", T },    /* the user */
        { "(Member_of_Any {SID(BG), SID(WD)})", T },
        { "(Member_of_Any {SID(BG), SID(SY)})", F },
        { "(Not_Member_of {SID(WD), SID(BG)})", T },
        { "(Not_Member_of {SID(WD)})", F },
        { "(Not_Member_of_Any {SID(BG), SID(SY)})", T },
        { "(Not_Member_of_Any {SID(BG), SID(WD)})", F },
        { "(Device_Member_of {SID(S-1-5-21-1-2-3-3000), SID(S-1-5-21-1-2-3-3001)})", T },
        { "(Device_Member_of {SID(WD)})", F },
        { "(Device_Member_of_Any {SID(WD), SID(S-1-5-21-1-2-3-3001)})", T },
        { "(Not_Device_Member_of {SID(S-1-5-21-1-2-3-3000)})", F },
        { "(Not_Device_Member_of_Any {SID(WD), SID(BG)})", T },
        { "(Device_Member_of {SID(S-1-5-21-1-2-3-3000)} && Member_of {SID(WD)})", T },
        { "(!(!(Not_Member_of {SID(BA)})))", T },
    };
    RUN_STD(cases);
}

/* Disabled groups never match; deny-only groups match only in a deny ACE
 * (Microsoft docs, "Security Descriptor Definition Language for
 * Conditional ACEs", Member_of: SE_GROUP_ENABLED for allow ACEs,
 * SE_GROUP_ENABLED or SE_GROUP_USE_FOR_DENY_ONLY for deny ACEs). */
static void member_of_needs_enabled_or_deny_only_for_deny(void)
{
    static const struct ecase allow[] = {
        { "(Member_of {SID(S-1-5-21-1-2-3-2000)})", F },    /* disabled */
        { "(Member_of {SID(BA)})", F },                     /* deny-only */
        { "(Not_Member_of {SID(BA)})", T },
        { "(Device_Member_of {SID(S-1-5-21-1-2-3-3002)})", F },
        { "(@User.DenyOnly == \"x\")", U },                 /* deny-only claim */
    };
    static const struct ecase deny[] = {
        { "(Member_of {SID(S-1-5-21-1-2-3-2000)})", F },
        { "(Member_of {SID(BA)})", T },
        { "(Member_of {SID(BA), SID(WD)})", T },
        { "(Not_Member_of {SID(BA)})", F },
        { "(@User.DenyOnly == \"x\")", T },
    };
    struct ntsec_token *t = make_token(NTSEC_SE_GROUP_USE_FOR_DENY_ONLY, NULL, 0);
    struct ntsec__cond_context ctx = { .token = t };
    static const struct ecase user_allow[] = {
        { "(Member_of {SID(S-1-5-21-1-2-3-1001)})", F },
    };
    static const struct ecase user_deny[] = {
        { "(Member_of {SID(S-1-5-21-1-2-3-1001)})", T },
    };

    run_std(allow, sizeof(allow) / sizeof(allow[0]), false);
    run_std(deny, sizeof(deny) / sizeof(deny[0]), true);
    /* A deny-only user (CreateRestrictedToken's SidsToDisable). */
    RUN(user_allow, &ctx);
    ctx.deny_ace = true;
    RUN(user_deny, &ctx);
    ntsec_token_put(t);
}

/* The restricted pass of a restricted token tests the restricted SIDs
 * ([MS-DTYP] 2.5.3.2; ntsec's access check runs the expression once per
 * pass). */
static void member_of_in_restricted_pass_tests_restricted_sids(void)
{
    static const int restricted[] = { S_WD, S_BG };
    static const struct ecase normal[] = {
        { "(Member_of {SID(BU)})", T }, { "(Member_of {SID(BG)})", F },
    };
    static const struct ecase pass[] = {
        { "(Member_of {SID(BU)})", F }, { "(Member_of {SID(BG)})", T },
        { "(Member_of {SID(WD), SID(BG)})", T },
        { "(Member_of {SID(S-1-5-21-1-2-3-1001)})", F },
        { "(Device_Member_of {SID(S-1-5-21-1-2-3-3000)})", T },
    };
    struct ntsec_token *t = make_token(0, restricted, 2);
    struct ntsec__cond_context ctx = { .token = t };

    RUN(normal, &ctx);
    ctx.restricted_pass = true;
    RUN(pass, &ctx);
    ntsec_token_put(t);
}

/* PRINCIPAL_SELF (S-1-5-10) stands for the principal the caller names
 * ([MS-DTYP] 2.5.3.1.1 SidInToken). */
static void member_of_principal_self_is_substituted(void)
{
    static const struct ecase with[] = { { "(Member_of {SID(PS)})", T } };
    static const struct ecase without[] = { { "(Member_of {SID(PS)})", F } };
    struct ntsec_token *t = make_token(0, NULL, 0);
    struct ntsec__cond_context ctx = { .token = t };

    RUN(without, &ctx);
    ctx.principal_self = sid(S_BU);
    RUN(with, &ctx);
    ctx.principal_self = sid(S_BG);
    RUN(without, &ctx);
    ntsec_token_put(t);
}

/* --- existence, claims, resource attributes ------------------------------------- */

/* [MS-DTYP] 2.4.4.17.7 Exists: local and resource attributes give TRUE or
 * FALSE, anything else is an error (Windows: Exists on a user claim is
 * UNKNOWN, Samba's pac_claim_cases). The token holds no local attributes. */
static void exists_tests_local_and_resource_attributes(void)
{
    static const struct ecase cases[] = {
        { "(Exists @Resource.Dept)", T },
        { "(Exists @Resource.Nothing)", F },
        { "(Not_Exists @Resource.Dept)", F },
        { "(Not_Exists @Resource.Nothing)", T },
        { "(Exists @Resource.EmptyRA)", F },
        { "(Exists Title)", F },
        { "(Not_Exists Title)", T },
        { "(Exists @User.Title)", U },
        { "(Exists @Device.colour)", U },
        { "(Exists @User.Title || Member_of {SID(WD)})", U },
        { "(Title == \"VP\")", U },
    };
    RUN_STD(cases);
}

/* Claim look-up: the last claim of a name wins (Windows, Samba's
 * pac_claim_cases); disabled claims are not applied (Microsoft docs,
 * CLAIM_SECURITY_ATTRIBUTE_V1, CLAIM_SECURITY_ATTRIBUTE_DISABLED). */
static void claim_lookup_rules(void)
{
    static const struct ecase cases[] = {
        { "(@User.Dup == \"second\")", T },
        { "(@User.Dup == \"first\")", F },
        { "(@User.Off == \"x\")", U },
        { "(@Device.colour == \"blue\")", T },
        { "(@User.colour == @Device.colour)", F },
    };
    RUN_STD(cases);
}

/* Resource attributes are read from the RA ACEs of the SACL; without a
 * SACL they are missing ([MS-DTYP] 2.4.4.17.2). */
static void resource_attributes_come_from_sacl(void)
{
    static const struct ecase none[] = {
        { "(@Resource.Dept == \"HR\")", U },
        { "(Exists @Resource.Dept)", F },
    };
    static const struct ecase with[] = {
        { "(@Resource.Dept Contains \"Sales\")", T },
        { "(@Resource.Dept Any_of {\"hr\"})", T },
        { "(@Resource.Project == 43)", F },
    };
    struct ntsec_token *t = make_token(0, NULL, 0);
    struct ntsec__cond_context ctx = { .token = t };

    RUN(none, &ctx);
    ctx.sacl = make_sacl();
    RUN(with, &ctx);
    ntsec_token_put(t);
}

/* A malformed resource attribute of the name looked up makes the whole
 * expression UNKNOWN; others are not read. */
static void malformed_resource_attribute_is_unknown(void)
{
    static const struct ecase cases[] = {
        { "(@Resource.Bad == \"x\" || Member_of {SID(WD)})", U },
        { "(@Resource.Good == \"x\")", T },
    };
    struct ntsec_token *t = make_token(0, NULL, 0);
    struct ntsec__cond_context ctx = { .token = t, .sacl = &sacl_buf.acl };
    struct ntsec_acl *acl = &sacl_buf.acl;
    const char *bad = "(\"Bad\",TS,0,\"x\")", *good = "(\"Good\",TS,0,\"x\")";
    uint8_t *claim;
    size_t len;

    CU_ASSERT_FATAL(ntsec_success(ntsec_acl_init(acl, sizeof(sacl_buf), NTSEC_ACL_REVISION)));
    CU_ASSERT_FATAL(ntsec_success(ntsec__claim_compile(bad, strlen(bad), &claim,
                                                       &len, NULL)));
    ntsec__cond_put32(claim + 12, 50);          /* ValueCount past the claim */
    add_ra(acl, claim, len);
    ntsec__free(claim);
    CU_ASSERT_FATAL(ntsec_success(ntsec__claim_compile(good, strlen(good), &claim,
                                                       &len, NULL)));
    add_ra(acl, claim, len);
    ntsec__free(claim);
    RUN(cases, &ctx);
    ntsec_token_put(t);
}

/* --- malformed expressions ----------------------------------------------------- */

static int eval_bytes(const uint8_t *bytes, size_t len)
{
    static const struct ntsec__cond_context ctx = { 0 };
    uint8_t *exact = malloc(len ? len : 1);
    int r;

    CU_ASSERT_FATAL(exact != NULL);
    memcpy(exact, bytes, len);
    r = ntsec__cond_evaluate(exact, len, &ctx);
    free(exact);
    return r;
}

/* [MS-DTYP] 2.4.4.17.6 / 2.4.4.17.7: "If any processing rule returns an
 * error, then the entire conditional expression evaluates to UNKNOWN";
 * so does data that is not a valid token stream. */
static void malformed_expression_is_unknown(void)
{
#define I64(v) 0x04, (uint8_t)(v), 0, 0, 0, 0, 0, 0, 0, 0x03, 0x02
    static const uint8_t no_sig[] = { 'a', 'r', 't', 'y', I64(1) };
    static const uint8_t empty[] = { 'a', 'r', 't', 'x' };
    static const uint8_t literal_only[] = { 'a', 'r', 't', 'x', I64(1), 0, 0, 0 };
    static const uint8_t and_literals[] = { 'a', 'r', 't', 'x', I64(1), I64(1), 0xa0, 0 };
    static const uint8_t eq_literals[] = { 'a', 'r', 't', 'x', I64(1), I64(1), 0x80, 0 };
    static const uint8_t bad_sign[] = { 'a', 'r', 't', 'x', 0x04, 1, 0, 0, 0, 0, 0, 0, 0,
                                        0x00, 0x02, 0xa2 };
    static const uint8_t int8_range[] = { 'a', 'r', 't', 'x', 0x01, 200, 0, 0, 0, 0, 0, 0, 0,
                                          0x03, 0x02, 0xa2 };
    static const uint8_t odd_string[] = { 'a', 'r', 't', 'x', 0x10, 3, 0, 0, 0, 'a', 0, 'b',
                                          0x87, 0, 0 };
    static const uint8_t unknown_code[] = { 'a', 'r', 't', 'x', 0x42, 0, 0, 0 };
    static const uint8_t junk_after_pad[] = { 'a', 'r', 't', 'x', 0xf9, 2, 0, 0, 0, 'x', 0,
                                              0, 1 };
    static const uint8_t underflow[] = { 'a', 'r', 't', 'x', 0xa1, 0, 0, 0 };
    static const uint8_t leftover[] = { 'a', 'r', 't', 'x', 0xf9, 2, 0, 0, 0, 'x', 0,
                                        0xf9, 2, 0, 0, 0, 'x', 0 };
    static const uint8_t member_of_attr[] = { 'a', 'r', 't', 'x', 0xf9, 2, 0, 0, 0, 'x', 0,
                                              0x89, 0 };
    static const uint8_t member_of_int[] = { 'a', 'r', 't', 'x', I64(1), 0x89 };
    static const uint8_t member_of_empty[] = { 'a', 'r', 't', 'x', 0x50, 0, 0, 0, 0, 0x89,
                                               0, 0 };
    static const uint8_t sid_bad_len[] = { 'a', 'r', 't', 'x', 0x51, 12, 0, 0, 0,
                                           1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 0x89 };
    static const uint8_t composite_attr[] = { 'a', 'r', 't', 'x', 0x50, 7, 0, 0, 0,
                                              0xf9, 2, 0, 0, 0, 'x', 0, 0x89 };
    static const uint8_t exists_literal[] = { 'a', 'r', 't', 'x', I64(1), 0x87 };
    static const uint8_t attr_odd_name[] = { 'a', 'r', 't', 'x', 0xf9, 1, 0, 0, 0, 'x', 0 };
    static const uint8_t attr_empty_name[] = { 'a', 'r', 't', 'x', 0xf9, 0, 0, 0, 0 };
    static const uint8_t not_of_result_ok[] = { 'a', 'r', 't', 'x', 0xf8, 2, 0, 0, 0, 'x', 0,
                                                0x8d, 0xa2, 0 };
    static const struct { const uint8_t *b; size_t n; int want; } cases[] = {
#define C(a, w) { a, sizeof(a), w }
        C(no_sig, U), C(empty, U), C(literal_only, U), C(and_literals, U),
        C(eq_literals, U), C(bad_sign, U), C(int8_range, U), C(odd_string, U),
        C(unknown_code, U), C(junk_after_pad, U), C(underflow, U), C(leftover, U),
        C(member_of_attr, U), C(member_of_int, U), C(member_of_empty, U),
        C(sid_bad_len, U), C(composite_attr, U), C(exists_literal, U),
        C(attr_odd_name, U), C(attr_empty_name, U),
        C(not_of_result_ok, F),             /* !(Not_Exists x): well formed, FALSE */
#undef C
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int r = eval_bytes(cases[i].b, cases[i].n);
        CU_ASSERT_EQUAL(r, cases[i].want);
        if (r != cases[i].want)
            fprintf(stderr, "\nmalformed case %zu: got %d\n", i, r);
    }
    CU_ASSERT_EQUAL(ntsec__cond_evaluate(NULL, 0, NULL), U);
    CU_ASSERT_EQUAL(ntsec__cond_evaluate(empty, sizeof(empty), NULL), U);
#undef I64
}

/* Every proper prefix of an expression is UNKNOWN and is never read past
 * its end (valgrind checks the reads; the buffers are exact). */
static void truncated_expression_is_unknown(void)
{
    static const char text[] = "(@User.Missing == 5 || Member_of {SID(WD), SID(BU)})";
    struct ntsec_token *t = make_token(0, NULL, 0);
    struct ntsec__cond_context ctx = { .token = t };
    uint8_t *data;
    size_t len, unpadded;

    CU_ASSERT_FATAL(ntsec_success(ntsec__cond_compile(text, strlen(text), &data, &len, NULL)));
    for (unpadded = len; unpadded > 0 && data[unpadded - 1] == 0; unpadded--)
        ;
    for (size_t n = 0; n <= len; n++) {
        uint8_t *exact = malloc(n ? n : 1);
        int r;

        CU_ASSERT_FATAL(exact != NULL);
        memcpy(exact, data, n);
        r = ntsec__cond_evaluate(exact, n, &ctx);
        CU_ASSERT_EQUAL(r, n >= unpadded ? T : U);
        free(exact);
    }
    ntsec__free(data);
    ntsec_token_put(t);
}

/* Corrupting any byte of a valid expression never crashes or reads out
 * of bounds, and the answer is one of the three values. */
static void corrupted_expression_stays_in_bounds(void)
{
    static const char text[] =
        "(@User.colour Contains {\"blue\", SID(WD), 5, #0102} || "
        "Device_Member_of_Any {SID(WD)} && !(@Resource.Dept == \"HR\"))";
    static const uint8_t patterns[] = { 0x00, 0x01, 0x7f, 0x80, 0xff };
    struct ntsec_token *t = make_token(0, NULL, 0);
    struct ntsec__cond_context ctx = { .token = t, .sacl = make_sacl() };
    uint8_t *data, *exact;
    size_t len;

    CU_ASSERT_FATAL(ntsec_success(ntsec__cond_compile(text, strlen(text), &data, &len, NULL)));
    exact = malloc(len);
    CU_ASSERT_FATAL(exact != NULL);
    for (size_t i = 4; i < len; i++) {
        for (size_t p = 0; p < sizeof(patterns); p++) {
            int r;

            memcpy(exact, data, len);
            exact[i] = patterns[p];
            r = ntsec__cond_evaluate(exact, len, &ctx);
            CU_ASSERT(r == T || r == F || r == U);
        }
    }
    free(exact);
    ntsec__free(data);
    ntsec_token_put(t);
}

/* The operand stack is bounded (ntsec's limit: 64 operands waiting);
 * deeper data is UNKNOWN, never an overflow. */
static void deep_expression_is_unknown(void)
{
    static const uint8_t attr[] = { 0xf9, 10, 0, 0, 0, 'T', 0, 'i', 0, 't', 0, 'l', 0, 'e', 0 };
    struct ntsec_token *t = make_token(0, NULL, 0);
    struct ntsec__cond_context ctx = { .token = t };
    uint8_t data[4 + 65 * sizeof(attr) + 64];

    for (size_t n = 64; n <= 65; n++) {
        size_t len = 4;

        memcpy(data, "artx", 4);
        for (size_t i = 0; i < n; i++, len += sizeof(attr))
            memcpy(data + len, attr, sizeof(attr));
        for (size_t i = 1; i < n; i++)
            data[len++] = 0xa0;             /* && */
        CU_ASSERT_EQUAL(ntsec__cond_evaluate(data, len, &ctx), n == 64 ? T : U);
    }
    ntsec_token_put(t);
}

/* The evaluation allocates nothing (it runs inside the access check):
 * with every allocation failing it still answers. */
static void evaluation_allocates_nothing(void)
{
    static const char text[] =
        "((@User.colour Any_of @Resource.Dept) || (Member_of {SID(WD)} && "
        "@User.Title == \"vp\"))";
    struct ntsec_token *t = make_token(0, NULL, 0);
    struct ntsec__cond_context ctx = { .token = t, .sacl = make_sacl() };
    uint8_t *data;
    size_t len;
    long live;

    CU_ASSERT_FATAL(ntsec_success(ntsec__cond_compile(text, strlen(text), &data, &len, NULL)));
    live = testutil_live();
    testutil_fail_alloc_after(0);
    CU_ASSERT_EQUAL(ntsec__cond_evaluate(data, len, &ctx), T);
    testutil_fail_alloc_after(-1);
    CU_ASSERT_EQUAL(testutil_live(), live);
    ntsec__free(data);
    ntsec_token_put(t);
}

void register_tests(void)
{
    static CU_TestInfo tests[] = {
        TEST(logic_follows_three_valued_truth_tables),
        TEST(attribute_operand_has_logical_value),
        TEST(missing_attribute_is_unknown),
        TEST(integers_compare_by_value),
        TEST(strings_compare_without_case_as_utf16),
        TEST(case_sensitive_flag_applies_to_values),
        TEST(sids_octets_booleans_compare),
        TEST(type_mismatch_is_unknown),
        TEST(composites_compare_as_sets),
        TEST(contains_and_any_of),
        TEST(member_of_variants),
        TEST(member_of_needs_enabled_or_deny_only_for_deny),
        TEST(member_of_in_restricted_pass_tests_restricted_sids),
        TEST(member_of_principal_self_is_substituted),
        TEST(exists_tests_local_and_resource_attributes),
        TEST(claim_lookup_rules),
        TEST(resource_attributes_come_from_sacl),
        TEST(malformed_resource_attribute_is_unknown),
        TEST(malformed_expression_is_unknown),
        TEST(truncated_expression_is_unknown),
        TEST(corrupted_expression_stays_in_bounds),
        TEST(deep_expression_is_unknown),
        TEST(evaluation_allocates_nothing),
        CU_TEST_INFO_NULL,
    };
    testutil_add_suite("condace_eval", tests);
}
