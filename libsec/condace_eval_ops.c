/* condace_eval_ops.c - the values of a conditional expression during an
 * access check: walking the values of an operand, finding an attribute among the token's
 * claims or the object's resource attributes, comparing values without
 * regard to case as Windows does, and the relational operators
 * ([MS-DTYP] 2.4.4.17.5, 2.4.4.17.6, 2.4.4.17.8). Nothing is allocated and
 * nothing is copied: every value points into the expression, the token or
 * the SACL, and every read is checked against its bounds. */
#include <stdatomic.h>
#include <string.h>

#include "ace.h"
#include "condace_eval_ops.h"
#include "condace_tokens.h"
#include "token.h"

/* CLAIM_SECURITY_ATTRIBUTE_RELATIVE_V1 ([MS-DTYP] 2.4.10.1): Name offset,
 * ValueType, Reserved, Flags, ValueCount, then ValueCount offsets. */
#define CLAIM_HEADER 16u

/* --- upper case ----------------------------------------------------------- */

/* Windows compares claim names and string values by converting both to
 * upper case and comparing UTF-16 code units (Windows results asserted by
 * Samba's python/samba/tests/krb5/conditional_ace_tests.py,
 * claim_against_claim_cases: "foo bar" == "Foo BAR", "ｆｏｏ" == "ＦＯＯ",
 * "ćàț" == "ĆÀȚ", "ḽ" == "Ḽ", "ⅸ" == "Ⅸ", "ꙭ" == "Ꙭ", "ⱦ" == "Ⱦ",
 * "ԛԣ" == "ԚԢ"; "a" < "_" because 'A' < '_'; but "ß" < "ẞ", "ⳬ" > "Ⳬ",
 * "ʞ" < "Ʞ", "ꞧ" > "Ꞧ", "ɜ" < "Ɜ": letters newer than its table are not
 * folded). The ranges below hold the pairs those results need and their
 * neighbours of the same age; `alt` ranges pair each upper-case letter
 * with the next code point. */
static const struct upcase_range {
    uint16_t lo, hi;
    int16_t delta;              /* added to every code point in the range */
    bool alt;                   /* pairs: (lo, lo+1), (lo+2, lo+3), ... */
} upcase_ranges[] = {
    { 0x0061, 0x007a, -32, false }, { 0x00e0, 0x00f6, -32, false },
    { 0x00f8, 0x00fe, -32, false }, { 0x00ff, 0x00ff, 121, false },
    { 0x0100, 0x012f, 0, true },    { 0x0132, 0x0137, 0, true },
    { 0x0139, 0x0148, 0, true },    { 0x014a, 0x0177, 0, true },
    { 0x0179, 0x017e, 0, true },    { 0x01cd, 0x01dc, 0, true },
    { 0x01de, 0x01ef, 0, true },    { 0x01f8, 0x021f, 0, true },
    { 0x0222, 0x0233, 0, true },    { 0x03ac, 0x03ac, -38, false },
    { 0x03ad, 0x03af, -37, false }, { 0x03b1, 0x03c1, -32, false },
    { 0x03c2, 0x03c2, -31, false }, { 0x03c3, 0x03cb, -32, false },
    { 0x03cc, 0x03cc, -64, false }, { 0x03cd, 0x03ce, -63, false },
    { 0x0430, 0x044f, -32, false }, { 0x0450, 0x045f, -80, false },
    { 0x0460, 0x0481, 0, true },    { 0x048a, 0x04bf, 0, true },
    { 0x04c1, 0x04ce, 0, true },    { 0x04d0, 0x0523, 0, true },
    { 0x0561, 0x0586, -48, false }, { 0x1e00, 0x1e95, 0, true },
    { 0x1ea0, 0x1eff, 0, true },    { 0x2170, 0x217f, -16, false },
    { 0x24d0, 0x24e9, -26, false }, { 0x2c30, 0x2c5e, -48, false },
    { 0x2c61, 0x2c61, -1, false },  { 0x2c65, 0x2c65, -10795, false },
    { 0x2c66, 0x2c66, -10792, false }, { 0x2c67, 0x2c6c, 0, true },
    { 0x2c80, 0x2ce3, 0, true },    { 0x2d00, 0x2d25, -7264, false },
    { 0xa640, 0xa66d, 0, true },    { 0xa680, 0xa697, 0, true },
    { 0xa722, 0xa72f, 0, true },    { 0xa732, 0xa76f, 0, true },
    { 0xff41, 0xff5a, -32, false },
};

static uint16_t upcase(uint16_t c)
{
    if (c < 0x61)
        return c;
    for (size_t i = 0; i < sizeof(upcase_ranges) / sizeof(upcase_ranges[0]); i++) {
        const struct upcase_range *r = &upcase_ranges[i];

        if (c < r->lo)
            break;              /* the table is sorted */
        if (c > r->hi)
            continue;
        if (r->alt)
            return (c - r->lo) & 1 ? (uint16_t)(c - 1) : c;
        return (uint16_t)(c + r->delta);
    }
    return c;
}

/* --- strings as UTF-16 code units ------------------------------------------ */

/* A cursor over a string yielding UTF-16 code units, from UTF-16LE bytes
 * or from UTF-8 (token claims), so the two compare as Windows compares
 * them without converting either. */
struct ucur {
    const uint8_t *p;
    size_t n, pos;
    bool utf8;
    uint16_t low;               /* pending low surrogate, 0 for none */
};

#define UCUR_END (-1)
#define UCUR_BAD (-2)

static int ucur_next(struct ucur *c)
{
    uint32_t cp;
    unsigned extra;

    if (c->low) {
        int u = c->low;
        c->low = 0;
        return u;
    }
    if (c->pos >= c->n)
        return UCUR_END;
    if (!c->utf8) {
        if (c->n - c->pos < 2)
            return UCUR_BAD;
        c->pos += 2;
        return c->p[c->pos - 2] | c->p[c->pos - 1] << 8;
    }
    cp = c->p[c->pos++];
    if (cp < 0x80)
        return (int)cp;
    if (cp >= 0xc2 && cp <= 0xdf) {
        extra = 1;
        cp &= 0x1f;
    } else if (cp >= 0xe0 && cp <= 0xef) {
        extra = 2;
        cp &= 0x0f;
    } else if (cp >= 0xf0 && cp <= 0xf4) {
        extra = 3;
        cp &= 0x07;
    } else {
        return UCUR_BAD;
    }
    if (c->n - c->pos < extra)
        return UCUR_BAD;
    for (unsigned k = 0; k < extra; k++) {
        uint8_t b = c->p[c->pos++];
        if ((b & 0xc0) != 0x80)
            return UCUR_BAD;
        cp = cp << 6 | (b & 0x3f);
    }
    /* Overlong forms, surrogates and values past U+10FFFF are not UTF-8. */
    if ((extra == 2 && cp < 0x800) || (extra == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff))
        return UCUR_BAD;
    if (cp >= 0x10000) {
        cp -= 0x10000;
        c->low = (uint16_t)(0xdc00 | (cp & 0x3ff));
        return (int)(0xd800 | cp >> 10);
    }
    return (int)cp;
}

static struct ucur ucur_of(const struct ntsec__cond_value *v)
{
    struct ucur c = { .p = v->p, .n = v->n, .utf8 = v->kind == NTSEC__COND_V_STR8 };
    return c;
}

/* Compare two strings unit by unit (upper-cased unless case-sensitive);
 * *bad on invalid UTF-8. A string that is a prefix of the other is the
 * smaller ("foo" < "foo bar", Samba's claim_against_claim_cases). */
static int ustr_cmp(struct ucur a, struct ucur b, bool case_sensitive, bool *bad)
{
    for (;;) {
        int x = ucur_next(&a), y = ucur_next(&b);

        if (x == UCUR_BAD || y == UCUR_BAD) {
            *bad = true;
            return 0;
        }
        if (x == UCUR_END || y == UCUR_END)
            return (x != UCUR_END) - (y != UCUR_END);
        if (!case_sensitive) {
            x = upcase((uint16_t)x);
            y = upcase((uint16_t)y);
        }
        if (x != y)
            return x < y ? -1 : 1;
    }
}

/* Bytes of the NUL-terminated UTF-16LE string at d[off] (NUL excluded),
 * or -1 when it is not terminated before `len`. */
static long utf16z_bytes(const uint8_t *d, size_t len, size_t off)
{
    for (size_t i = off; i < len && len - i >= 2; i += 2)
        if (!d[i] && !d[i + 1])
            return (long)(i - off);
    return -1;
}

/* --- claims ------------------------------------------------------------------ */

/* Value kinds of claim types, token and resource alike ([MS-DTYP] 2.4.10.1
 * ValueType; include/ntsec/token.h enum ntsec_claim_type). */
static const struct claim_kind {
    uint16_t type;
    uint8_t token_kind;         /* value kind of a token claim */
    uint8_t ra_kind;            /* value kind of a resource attribute */
} claim_kinds[] = {
    { NTSEC_CLAIM_INT64,        NTSEC__COND_V_INT,   NTSEC__COND_V_INT },
    { NTSEC_CLAIM_UINT64,       NTSEC__COND_V_UINT,  NTSEC__COND_V_UINT },
    { NTSEC_CLAIM_STRING,       NTSEC__COND_V_STR8,  NTSEC__COND_V_STR16 },
    { NTSEC_CLAIM_SID,          NTSEC__COND_V_SID,   NTSEC__COND_V_SID },
    { NTSEC_CLAIM_BOOLEAN,      NTSEC__COND_V_BOOL,  NTSEC__COND_V_BOOL },
    { NTSEC_CLAIM_OCTET_STRING, NTSEC__COND_V_OCTET, NTSEC__COND_V_OCTET },
};

static const struct claim_kind *claim_kind_of(uint32_t type)
{
    for (size_t i = 0; i < sizeof(claim_kinds) / sizeof(claim_kinds[0]); i++)
        if (claim_kinds[i].type == type)
            return &claim_kinds[i];
    return NULL;
}

/* Value `i` of a token claim; false when the claim cannot be read (an
 * unknown type, a NULL string or SID). */
static bool claim_value(const struct ntsec_claim *c, uint32_t i, struct ntsec__cond_value *v)
{
    const struct claim_kind *k = claim_kind_of(c->type);
    const struct ntsec_claim_value *cv = &c->values[i];

    memset(v, 0, sizeof(*v));
    if (!k)
        return false;
    v->kind = k->token_kind;
    v->case_sensitive = (c->flags & NTSEC_CLAIM_VALUE_CASE_SENSITIVE) != 0;
    switch (v->kind) {
    case NTSEC__COND_V_INT:
        v->i = cv->i64;
        return true;
    case NTSEC__COND_V_UINT:
    case NTSEC__COND_V_BOOL:
        v->u = cv->u64;
        return true;
    case NTSEC__COND_V_STR8:
        if (!cv->string)
            return false;
        v->p = (const uint8_t *)cv->string;
        v->n = strlen(cv->string);
        return true;
    case NTSEC__COND_V_SID:
        if (!cv->sid || cv->sid->sub_authority_count > NTSEC_SID_MAX_SUB_AUTHORITIES)
            return false;
        v->p = (const uint8_t *)cv->sid;
        v->n = ntsec_sid_length(cv->sid);
        return true;
    default:
        v->p = cv->octets.data;
        v->n = cv->octets.len;
        return v->p || !v->n;
    }
}

/* Value `i` of a resource attribute whose layout was checked by
 * ra_check(). */
static bool ra_value(const uint8_t *d, size_t len, uint32_t i, struct ntsec__cond_value *v)
{
    const struct claim_kind *k = claim_kind_of(d[4] | d[5] << 8);
    size_t off = ntsec__cond_get32(d + CLAIM_HEADER + 4 * (size_t)i);
    long bytes;

    memset(v, 0, sizeof(*v));
    if (!k || off > len)
        return false;
    v->kind = k->ra_kind;
    v->case_sensitive = (ntsec__cond_get32(d + 8) & NTSEC_CLAIM_VALUE_CASE_SENSITIVE) != 0;
    switch (v->kind) {
    case NTSEC__COND_V_INT:
    case NTSEC__COND_V_UINT:
    case NTSEC__COND_V_BOOL:
        if (len - off < 8)
            return false;
        v->u = ntsec__cond_get64(d + off);
        v->i = (int64_t)v->u;
        return true;
    case NTSEC__COND_V_STR16:
        bytes = utf16z_bytes(d, len, off);
        if (bytes < 0)
            return false;
        v->p = d + off;
        v->n = (size_t)bytes;
        return true;
    default:                    /* SID, octet string: 4-byte length, bytes */
        if (len - off < 4 || ntsec__cond_get32(d + off) > len - off - 4)
            return false;
        v->p = d + off + 4;
        v->n = ntsec__cond_get32(d + off);
        return v->kind != NTSEC__COND_V_SID ||
               (ntsec_sid_is_valid_in(v->p, v->n) &&
                ntsec_sid_length((const struct ntsec_sid *)v->p) == v->n);
    }
}

/* A CLAIM_SECURITY_ATTRIBUTE_RELATIVE_V1 of `len` bytes whose every value
 * can be read. */
static bool ra_check(const uint8_t *d, size_t len)
{
    struct ntsec__cond_value v;
    uint32_t count;

    if (len < CLAIM_HEADER || !claim_kind_of(d[4] | d[5] << 8))
        return false;
    count = ntsec__cond_get32(d + 12);
    if (count > (len - CLAIM_HEADER) / 4)
        return false;
    for (uint32_t i = 0; i < count; i++)
        if (!ra_value(d, len, i, &v))
            return false;
    return true;
}

bool ntsec__cond_iter_next(struct ntsec__cond_iter *it, struct ntsec__cond_value *v)
{
    const struct ntsec__cond_set *s = it->set;
    size_t k;

    if (it->i >= s->count)
        return false;
    switch (s->kind) {
    case NTSEC__COND_SET_SCALAR:
        *v = s->one;
        break;
    case NTSEC__COND_SET_COMPOSITE:
        k = ntsec__cond_literal_len(s->p + it->off, s->n - it->off, 0, NULL);
        /* A nested composite is checked already; it is one value here. */
        if (!k) {
            if (it->off + 5 > s->n || s->p[it->off] != NTSEC__COND_COMPOSITE)
                return false;
            k = 5 + (size_t)ntsec__cond_get32(s->p + it->off + 1);
        }
        ntsec__cond_literal_value(s->p + it->off, v);
        it->off += k;
        break;
    case NTSEC__COND_SET_CLAIM:
        if (!claim_value(s->claim, it->i, v))
            return false;
        break;
    case NTSEC__COND_SET_RESOURCE:
        if (!ra_value(s->p, s->n, it->i, v))
            return false;
        break;
    default:
        return false;
    }
    it->i++;
    return true;
}

/* --- attribute lookup -------------------------------------------------------- */

/* Claim names are compared without regard to case (Samba's
 * test_run_conditional_ace.c test_claim_name_different_case; the
 * CASE_SENSITIVE flag is for values only). */
static bool name_equal(struct ucur a, struct ucur b)
{
    bool bad = false;
    return ustr_cmp(a, b, false, &bad) == 0 && !bad;
}

/* The last claim of that name wins: "If multiple claims have the same ID,
 * the *last* one takes precedence" (Windows result asserted by Samba's
 * conditional_ace_tests.py, pac_claim_cases). Disabled claims are not
 * applied, and deny-only claims count only for deny ACEs (Microsoft docs,
 * CLAIM_SECURITY_ATTRIBUTE_V1, Flags: CLAIM_SECURITY_ATTRIBUTE_DISABLED,
 * CLAIM_SECURITY_ATTRIBUTE_USE_FOR_DENY_ONLY). */
static bool token_lookup(const struct ntsec__cond_context *ctx, const struct ntsec__claim_set *set,
                         struct ucur name, struct ntsec__cond_set *out)
{
    for (size_t i = set->count; i-- > 0;) {
        const struct ntsec_claim *c = &set->claims[i];
        struct ucur cn = { .p = (const uint8_t *)c->name, .utf8 = true };

        if (!c->name)
            continue;
        cn.n = strlen(c->name);
        if (!name_equal(name, cn))
            continue;
        if ((c->flags & NTSEC_CLAIM_DISABLED) ||
            ((c->flags & NTSEC_CLAIM_USE_FOR_DENY_ONLY) && !ctx->deny_ace))
            continue;
        /* A claim without values is null: "{empty_array}" evaluates to
         * UNKNOWN (same Windows results). */
        if (c->value_count == 0 || c->value_count > UINT32_MAX || !c->values)
            return true;
        if (!claim_kind_of(c->type))
            return false;
        out->kind = NTSEC__COND_SET_CLAIM;
        out->claim = c;
        out->count = (uint32_t)c->value_count;
        return true;
    }
    return true;
}

/* Resource attributes are the claims of the SYSTEM_RESOURCE_ATTRIBUTE
 * ACEs in the object's SACL ([MS-DTYP] 2.4.4.17.2, 2.4.4.15): after the
 * ACE header, mask and SID. The first ACE of that name is used, as Samba
 * does; a malformed one is an error. */
static bool resource_lookup(const struct ntsec_acl *acl, struct ucur name,
                            struct ntsec__cond_set *out)
{
    const uint8_t *base = (const uint8_t *)acl, *ace;
    size_t off = sizeof(struct ntsec_acl), size;

    if (!acl)
        return true;
    size = acl->size;
    for (uint32_t i = 0; i < acl->ace_count; i++, off += ace[2] | ace[3] << 8) {
        size_t ace_size, sid_len, claim_off;
        long name_bytes;
        struct ucur cn;

        if (off + 4 > size)
            return false;
        ace = base + off;
        ace_size = ace[2] | ace[3] << 8;
        if (ace_size < 4 || ace_size > size - off)
            return false;
        if (ace[0] != NTSEC_ACE_SYSTEM_RESOURCE_ATTRIBUTE)
            continue;
        if (ace_size < NTSEC__ACE_SID_OFFSET + NTSEC__SID_MIN_LENGTH)
            return false;
        sid_len = ntsec_sid_length_required(ace[NTSEC__ACE_SID_OFFSET + 1]);
        claim_off = NTSEC__ACE_SID_OFFSET + sid_len;
        if (claim_off + CLAIM_HEADER > ace_size)
            return false;
        name_bytes = utf16z_bytes(ace + claim_off, ace_size - claim_off,
                                  ntsec__cond_get32(ace + claim_off));
        if (name_bytes < 0)
            return false;
        cn = (struct ucur){ .p = ace + claim_off + ntsec__cond_get32(ace + claim_off),
                            .n = (size_t)name_bytes };
        if (!name_equal(name, cn))
            continue;
        if (!ra_check(ace + claim_off, ace_size - claim_off))
            return false;
        if (ntsec__cond_get32(ace + claim_off + 12) == 0)
            return true;        /* no values: null */
        out->kind = NTSEC__COND_SET_RESOURCE;
        out->p = ace + claim_off;
        out->n = ace_size - claim_off;
        out->count = ntsec__cond_get32(ace + claim_off + 12);
        return true;
    }
    return true;
}

bool ntsec__cond_lookup(const struct ntsec__cond_context *ctx, uint8_t code,
                        const uint8_t *name, size_t name_bytes, struct ntsec__cond_set *out)
{
    struct ucur n = { .p = name, .n = name_bytes };

    memset(out, 0, sizeof(*out));
    out->kind = NTSEC__COND_SET_NULL;
    switch (code) {
    case NTSEC__COND_ATTR_USER:
        return !ctx->token || token_lookup(ctx, &ctx->token->user_claims, n, out);
    case NTSEC__COND_ATTR_DEVICE:
        return !ctx->token || token_lookup(ctx, &ctx->token->device_claims, n, out);
    case NTSEC__COND_ATTR_RESOURCE:
        return resource_lookup(ctx->sacl, n, out);
    default:
        /* Local attributes are the token's own security attributes
         * (TokenSecurityAttributes, [MS-DTYP] 2.5.3.1.5 "Local Attribute
         * from the Token"), which are neither user nor device claims; an
         * ntsec token holds none, so a local attribute is never found. */
        return true;
    }
}

/* --- logical value ----------------------------------------------------------- */

/* [MS-DTYP] 2.4.4.17.7: a null attribute is UNKNOWN, an integer is TRUE
 * when nonzero, a string when not empty. A multi-valued one is TRUE when
 * one of its values is: {0, 1} and {1, 0} are TRUE (Windows results
 * asserted by Samba's conditional_ace_tests.py, pac_claim_cases:
 * zero_and_one_uint, one_and_zero_int, false_and_true_boolean). Other
 * types have no logical value: UNKNOWN. */
int ntsec__cond_truth(const struct ntsec__cond_set *set)
{
    struct ntsec__cond_iter it;
    struct ntsec__cond_value v;
    int result = NTSEC__COND_FALSE;

    if (set->kind == NTSEC__COND_SET_NULL || set->count == 0)
        return NTSEC__COND_UNKNOWN;
    ntsec__cond_iter_init(&it, set);
    while (ntsec__cond_iter_next(&it, &v)) {
        switch (v.kind) {
        case NTSEC__COND_V_INT:
            if (v.i)
                result = NTSEC__COND_TRUE;
            break;
        case NTSEC__COND_V_UINT:
        case NTSEC__COND_V_BOOL:
            if (v.u)
                result = NTSEC__COND_TRUE;
            break;
        case NTSEC__COND_V_STR8:
        case NTSEC__COND_V_STR16:
            if (v.n)
                result = NTSEC__COND_TRUE;
            break;
        default:
            return NTSEC__COND_UNKNOWN;
        }
    }
    return it.i == set->count ? result : NTSEC__COND_ERROR;
}

/* --- comparing two values -------------------------------------------------- */

enum { CMP_EQUALITY, CMP_ORDER };

#define INCOMPARABLE 2          /* beside -1, 0, 1 */

static bool is_int(uint8_t k)
{
    return k == NTSEC__COND_V_INT || k == NTSEC__COND_V_UINT;
}

static bool is_str(uint8_t k)
{
    return k == NTSEC__COND_V_STR8 || k == NTSEC__COND_V_STR16;
}

/* Signed and unsigned integers compare by value: an unsigned value above
 * 2^63-1 is greater than every signed one ("{a} > 0" with a = 2^32 is
 * TRUE, Samba's pac_claim_cases on Windows). */
static int int_cmp(const struct ntsec__cond_value *a, const struct ntsec__cond_value *b)
{
    bool an = a->kind == NTSEC__COND_V_INT && a->i < 0;
    bool bn = b->kind == NTSEC__COND_V_INT && b->i < 0;
    uint64_t x, y;

    if (an != bn)
        return an ? -1 : 1;
    x = a->kind == NTSEC__COND_V_INT ? (uint64_t)a->i : a->u;
    y = b->kind == NTSEC__COND_V_INT ? (uint64_t)b->i : b->u;
    return x < y ? -1 : x > y;
}

static int bytes_cmp(const struct ntsec__cond_value *a, const struct ntsec__cond_value *b)
{
    int c = memcmp(a->p, b->p, a->n < b->n ? a->n : b->n);

    if (c)
        return c < 0 ? -1 : 1;
    return a->n < b->n ? -1 : a->n > b->n;
}

/* -1, 0, 1, or INCOMPARABLE for values of types that do not compare
 * (or not in order). Which types compare: Windows results in Samba's
 * conditional_ace_tests.py: a string claim never equals an integer
 * ("42" == 42 is UNKNOWN), a boolean only equals a boolean or the
 * integers 0 and 1 (a boolean == 42 is UNKNOWN); booleans and SIDs have
 * no order (Samba's conditional_ace.c does the same). */
static int value_cmp(const struct ntsec__cond_value *a, const struct ntsec__cond_value *b,
                     int how)
{
    bool bad = false;
    int c;

    if (is_int(a->kind) && is_int(b->kind))
        return int_cmp(a, b);
    if (is_str(a->kind) && is_str(b->kind)) {
        c = ustr_cmp(ucur_of(a), ucur_of(b), a->case_sensitive || b->case_sensitive, &bad);
        return bad ? INCOMPARABLE : c;
    }
    if (how == CMP_ORDER)
        return a->kind == NTSEC__COND_V_OCTET && b->kind == NTSEC__COND_V_OCTET ?
               bytes_cmp(a, b) : INCOMPARABLE;
    if (a->kind == NTSEC__COND_V_BOOL || b->kind == NTSEC__COND_V_BOOL) {
        const struct ntsec__cond_value *other = a->kind == NTSEC__COND_V_BOOL ? b : a;
        uint64_t x = a->kind == NTSEC__COND_V_INT ? (uint64_t)a->i : a->u;
        uint64_t y = b->kind == NTSEC__COND_V_INT ? (uint64_t)b->i : b->u;

        if (other->kind != NTSEC__COND_V_BOOL &&
            (!is_int(other->kind) || (other->kind == NTSEC__COND_V_INT ? (uint64_t)other->i
                                                                      : other->u) > 1))
            return INCOMPARABLE;
        return x == y ? 0 : 1;
    }
    if ((a->kind == NTSEC__COND_V_OCTET && b->kind == NTSEC__COND_V_OCTET) ||
        (a->kind == NTSEC__COND_V_SID && b->kind == NTSEC__COND_V_SID))
        return bytes_cmp(a, b);
    return INCOMPARABLE;
}

/* --- relational operators ---------------------------------------------------- */

/* Every value of `a` can be compared with every value of `b` (Windows:
 * {"654", "321"} == {654, 321} and {"foo", "bar"} Contains {1, 2, 3} are
 * UNKNOWN, Samba's claim_against_literal_cases). false also when a set
 * cannot be read. */
static bool comparable(const struct ntsec__cond_set *a, const struct ntsec__cond_set *b)
{
    struct ntsec__cond_iter ia, ib;
    struct ntsec__cond_value x, y;

    ntsec__cond_iter_init(&ia, a);
    while (ntsec__cond_iter_next(&ia, &x)) {
        ntsec__cond_iter_init(&ib, b);
        while (ntsec__cond_iter_next(&ib, &y))
            if (value_cmp(&x, &y, CMP_EQUALITY) == INCOMPARABLE)
                return false;
        if (ib.i != b->count)
            return false;
    }
    return ia.i == a->count;
}

/* Some value of `set` equals `v`. */
static bool has_value(const struct ntsec__cond_set *set, const struct ntsec__cond_value *v)
{
    struct ntsec__cond_iter it;
    struct ntsec__cond_value x;

    ntsec__cond_iter_init(&it, set);
    while (ntsec__cond_iter_next(&it, &x))
        if (value_cmp(&x, v, CMP_EQUALITY) == 0)
            return true;
    return false;
}

/* Every value of `a` is in `b` (any = false), or some value is (any). */
static bool subset(const struct ntsec__cond_set *a, const struct ntsec__cond_set *b, bool any)
{
    struct ntsec__cond_iter it;
    struct ntsec__cond_value x;

    ntsec__cond_iter_init(&it, a);
    while (ntsec__cond_iter_next(&it, &x))
        if (has_value(b, &x) == any)
            return any;
    return !any;
}

/* How each relational operator compares ([MS-DTYP] 2.4.4.17.6); the
 * Not_ forms and != are the logical inverse of their positive form. */
enum rel { REL_EQ, REL_LT, REL_LE, REL_GT, REL_GE, REL_CONTAINS, REL_ANY_OF };

static const struct rel_rule {
    uint8_t code;
    uint8_t rel;
    bool negate;
} rel_rules[] = {
    { 0x80, REL_EQ, false },       { 0x81, REL_EQ, true },
    { 0x82, REL_LT, false },       { 0x83, REL_LE, false },
    { 0x84, REL_GT, false },       { 0x85, REL_GE, false },
    { 0x86, REL_CONTAINS, false }, { 0x8e, REL_CONTAINS, true },
    { 0x88, REL_ANY_OF, false },   { 0x8f, REL_ANY_OF, true },
};

static int tri(bool b)
{
    return b ? NTSEC__COND_TRUE : NTSEC__COND_FALSE;
}

static int relate(enum rel rel, const struct ntsec__cond_set *lhs,
                  const struct ntsec__cond_set *rhs, bool rhs_literal)
{
    struct ntsec__cond_value a, b;
    struct ntsec__cond_iter it;
    int c;

    /* Contains an empty composite is FALSE even for a missing attribute
     * (Windows: () Contains {} is FALSE, () Not_Contains {} TRUE, while
     * () Contains {"foo"} is UNKNOWN; Samba's claim_against_literal_cases). */
    if (rel == REL_CONTAINS && rhs->kind == NTSEC__COND_SET_COMPOSITE && rhs->count == 0)
        return NTSEC__COND_FALSE;
    /* "each relational operator MUST return UNKNOWN if the attribute
     * tested does not exist" ([MS-DTYP] 2.4.4.17.6). */
    if (lhs->kind == NTSEC__COND_SET_NULL || rhs->kind == NTSEC__COND_SET_NULL)
        return NTSEC__COND_UNKNOWN;
    switch (rel) {
    case REL_EQ:
        /* Sets: same size, each value of one in the other, in any order;
         * {"apple", "banana"} == {"apple", "banana", "apple"} is FALSE and
         * "foo" != {} TRUE (Windows, Samba's claim_against_literal_cases). */
        if (!comparable(lhs, rhs))
            return NTSEC__COND_UNKNOWN;
        return tri(lhs->count == rhs->count && subset(lhs, rhs, false) &&
                   subset(rhs, lhs, false));
    case REL_CONTAINS:
        if (!comparable(lhs, rhs))
            return NTSEC__COND_UNKNOWN;
        return tri(subset(rhs, lhs, false));
    case REL_ANY_OF:
        /* The right side must be a set: a composite or an attribute, not
         * a single literal ("foo" Any_of "foo" is UNKNOWN on Windows,
         * "foo" Any_of @User.b with one value TRUE). */
        if (rhs_literal && rhs->kind != NTSEC__COND_SET_COMPOSITE)
            return NTSEC__COND_UNKNOWN;
        if (rhs->count == 0)
            return NTSEC__COND_FALSE;
        if (!comparable(lhs, rhs))
            return NTSEC__COND_UNKNOWN;
        return tri(subset(lhs, rhs, true));
    default:
        /* Ordering takes one value on each side: "when multivalued
         * attributes are on the left- and/or right-hand side ... UNKNOWN"
         * ([MS-DTYP] 2.4.4.17.6); composites have no order (Windows:
         * {"foo", "bar"} < {"foo", "bar"} is UNKNOWN). */
        if (lhs->count != 1 || rhs->count != 1 || rhs->kind == NTSEC__COND_SET_COMPOSITE)
            return NTSEC__COND_UNKNOWN;
        ntsec__cond_iter_init(&it, lhs);
        if (!ntsec__cond_iter_next(&it, &a))
            return NTSEC__COND_ERROR;
        ntsec__cond_iter_init(&it, rhs);
        if (!ntsec__cond_iter_next(&it, &b))
            return NTSEC__COND_ERROR;
        c = value_cmp(&a, &b, CMP_ORDER);
        if (c == INCOMPARABLE)
            return NTSEC__COND_UNKNOWN;
        return tri(rel == REL_LT ? c < 0 : rel == REL_LE ? c <= 0 :
                   rel == REL_GT ? c > 0 : c >= 0);
    }
}

int ntsec__cond_relate(uint8_t code, const struct ntsec__cond_set *lhs,
                       const struct ntsec__cond_set *rhs, bool rhs_literal)
{
    for (size_t i = 0; i < sizeof(rel_rules) / sizeof(rel_rules[0]); i++) {
        int r;

        if (rel_rules[i].code != code)
            continue;
        r = relate(rel_rules[i].rel, lhs, rhs, rhs_literal);
        if (rel_rules[i].negate && (r == NTSEC__COND_TRUE || r == NTSEC__COND_FALSE))
            r = r == NTSEC__COND_TRUE ? NTSEC__COND_FALSE : NTSEC__COND_TRUE;
        return r;
    }
    return NTSEC__COND_ERROR;
}
