/* condace_tokens.c - the one table of conditional-ACE operator and
 * attribute tokens, and the spellings of literals (integers, names, SIDs)
 * that conditional expressions and resource-attribute claims share. */
#include <inttypes.h>
#include <string.h>

#include "digits.h"
#include "alloc.h"
#include "condace_tokens.h"
#include "utf.h"

/* Byte codes: [MS-DTYP] 2.4.4.17.6 (relational), 2.4.4.17.7 (logical),
 * 2.4.4.17.8 (attributes). Precedence, 1 binding tightest: [MS-DTYP]
 * 2.5.1.1 "Parentheses and Order of Precedence": Exists/Not_Exists; then
 * the membership and relational operators; then !; then &&; then ||.
 * Spellings are [MS-DTYP]'s, but "Member_of_any": Windows writes it so
 * (Samba libcli/security/tests/data/conditional_aces.txt, run on Windows
 * by libcli/security/tests/windows/windows-sddl-tests.py). Attribute
 * prefixes are written in capitals as Windows does (same source:
 * "@User.Title" comes back as "@USER.Title"). */
const struct ntsec__cond_op ntsec__cond_ops[] = {
    { 0x80, "==",  NTSEC__COND_KIND_BINARY, NTSEC__COND_OPERAND_RELATION, 2 },
    { 0x81, "!=",  NTSEC__COND_KIND_BINARY, NTSEC__COND_OPERAND_RELATION, 2 },
    { 0x82, "<",   NTSEC__COND_KIND_BINARY, NTSEC__COND_OPERAND_RELATION, 2 },
    { 0x83, "<=",  NTSEC__COND_KIND_BINARY, NTSEC__COND_OPERAND_RELATION, 2 },
    { 0x84, ">",   NTSEC__COND_KIND_BINARY, NTSEC__COND_OPERAND_RELATION, 2 },
    { 0x85, ">=",  NTSEC__COND_KIND_BINARY, NTSEC__COND_OPERAND_RELATION, 2 },
    { 0x86, "Contains",     NTSEC__COND_KIND_BINARY, NTSEC__COND_OPERAND_RELATION, 2 },
    { 0x87, "Exists",       NTSEC__COND_KIND_UNARY,  NTSEC__COND_OPERAND_ATTRIBUTE, 1 },
    { 0x88, "Any_of",       NTSEC__COND_KIND_BINARY, NTSEC__COND_OPERAND_RELATION, 2 },
    { 0x89, "Member_of",    NTSEC__COND_KIND_UNARY,  NTSEC__COND_OPERAND_SIDS, 2 },
    { 0x8a, "Device_Member_of",     NTSEC__COND_KIND_UNARY, NTSEC__COND_OPERAND_SIDS, 2 },
    { 0x8b, "Member_of_any",        NTSEC__COND_KIND_UNARY, NTSEC__COND_OPERAND_SIDS, 2 },
    { 0x8c, "Device_Member_of_Any", NTSEC__COND_KIND_UNARY, NTSEC__COND_OPERAND_SIDS, 2 },
    { 0x8d, "Not_Exists",   NTSEC__COND_KIND_UNARY,  NTSEC__COND_OPERAND_ATTRIBUTE, 1 },
    { 0x8e, "Not_Contains", NTSEC__COND_KIND_BINARY, NTSEC__COND_OPERAND_RELATION, 2 },
    { 0x8f, "Not_Any_of",   NTSEC__COND_KIND_BINARY, NTSEC__COND_OPERAND_RELATION, 2 },
    { 0x90, "Not_Member_of",            NTSEC__COND_KIND_UNARY, NTSEC__COND_OPERAND_SIDS, 2 },
    { 0x91, "Not_Device_Member_of",     NTSEC__COND_KIND_UNARY, NTSEC__COND_OPERAND_SIDS, 2 },
    { 0x92, "Not_Member_of_Any",        NTSEC__COND_KIND_UNARY, NTSEC__COND_OPERAND_SIDS, 2 },
    { 0x93, "Not_Device_Member_of_Any", NTSEC__COND_KIND_UNARY, NTSEC__COND_OPERAND_SIDS, 2 },
    { 0xa0, "&&",  NTSEC__COND_KIND_BINARY, NTSEC__COND_OPERAND_LOGICAL, 4 },
    { 0xa1, "||",  NTSEC__COND_KIND_BINARY, NTSEC__COND_OPERAND_LOGICAL, 5 },
    { 0xa2, "!",   NTSEC__COND_KIND_UNARY,  NTSEC__COND_OPERAND_LOGICAL, 3 },
    { NTSEC__COND_ATTR_LOCAL,    "",           NTSEC__COND_KIND_ATTR, NTSEC__COND_OPERAND_NONE, 0 },
    { NTSEC__COND_ATTR_USER,     "@USER.",     NTSEC__COND_KIND_ATTR, NTSEC__COND_OPERAND_NONE, 0 },
    { NTSEC__COND_ATTR_RESOURCE, "@RESOURCE.", NTSEC__COND_KIND_ATTR, NTSEC__COND_OPERAND_NONE, 0 },
    { NTSEC__COND_ATTR_DEVICE,   "@DEVICE.",   NTSEC__COND_KIND_ATTR, NTSEC__COND_OPERAND_NONE, 0 },
};

const size_t ntsec__cond_op_count = sizeof(ntsec__cond_ops) / sizeof(ntsec__cond_ops[0]);

const struct ntsec__cond_op *ntsec__cond_op_by_code(uint8_t code)
{
    for (size_t i = 0; i < ntsec__cond_op_count; i++)
        if (ntsec__cond_ops[i].code == code)
            return &ntsec__cond_ops[i];
    return NULL;
}

static unsigned char lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

/* Operators are matched without regard to case: Windows takes
 * "mEMBER_of" (Samba's conditional_aces.txt, run on Windows). */
const struct ntsec__cond_op *ntsec__cond_op_by_name(const char *word, size_t len,
                                                    enum ntsec__cond_kind kind)
{
    for (size_t i = 0; i < ntsec__cond_op_count; i++) {
        const struct ntsec__cond_op *op = &ntsec__cond_ops[i];
        size_t k;

        if (op->kind != kind || strlen(op->sddl) != len || len == 0)
            continue;
        for (k = 0; k < len; k++)
            if (lower((unsigned char)word[k]) != lower((unsigned char)op->sddl[k]))
                break;
        if (k == len)
            return op;
    }
    return NULL;
}

bool ntsec__cond_is_attr_char1(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == ':' || c == '.' || c == '/' || c == '_';
}

bool ntsec__cond_is_space(unsigned char c)
{
    return c == ' ' || (c >= 0x09 && c <= 0x0d);
}

/* Range rules, from Windows' results in Samba's conditional_aces.txt and
 * windows_only.txt (run on Windows): 0xffffffffffffffff is taken (stored
 * as -1, written back in hex), 0x10000000000000000 and the 21-digit
 * decimal 624677746777766777767 are refused. A decimal without sign must
 * fit in a signed 64-bit value, a negative one down to -2^63; hex and
 * octal without sign may use all 64 bits. */
ntsec_status ntsec__cond_int_parse(const char *text, size_t len, size_t *pos,
                                   int64_t *value, uint8_t *sign, uint8_t *base)
{
    size_t i = *pos, digits = 0;
    uint8_t sg = NTSEC__COND_SIGN_NONE, bs = NTSEC__COND_BASE_DECIMAL;
    unsigned radix = 10;
    uint64_t mag = 0;

    if (i < len && (text[i] == '+' || text[i] == '-')) {
        sg = text[i] == '-' ? NTSEC__COND_SIGN_MINUS : NTSEC__COND_SIGN_PLUS;
        i++;
    }
    if (i + 1 < len && text[i] == '0' && lower((unsigned char)text[i + 1]) == 'x') {
        bs = NTSEC__COND_BASE_HEX;
        radix = 16;
        i += 2;
    } else if (i + 1 < len && text[i] == '0' && text[i + 1] >= '0' && text[i + 1] <= '9') {
        bs = NTSEC__COND_BASE_OCTAL;
        radix = 8;
        i += 1;
    }
    for (; i < len; i++, digits++) {
        int d = ntsec__digit_value((char)text[i]);
        if (d >= (int)radix)
            break;
        if (mag > (UINT64_MAX - (uint64_t)d) / radix)
            return NTSEC_STATUS_INVALID_ACE_CONDITION;
        mag = mag * radix + (uint64_t)d;
    }
    /* "17p" is not a number followed by a word: a letter or digit glued
     * to the digits makes the whole malformed. */
    if (digits == 0 || (i < len && ntsec__cond_is_attr_char1((unsigned char)text[i])))
        return NTSEC_STATUS_INVALID_ACE_CONDITION;
    if (sg == NTSEC__COND_SIGN_MINUS) {
        if (mag > (uint64_t)INT64_MAX + 1)
            return NTSEC_STATUS_INVALID_ACE_CONDITION;
        *value = mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)mag;
    } else {
        if (mag > (uint64_t)INT64_MAX &&
            (sg == NTSEC__COND_SIGN_PLUS || bs == NTSEC__COND_BASE_DECIMAL))
            return NTSEC_STATUS_INVALID_ACE_CONDITION;
        *value = (int64_t)mag;
    }
    *sign = sg;
    *base = bs;
    *pos = i;
    return NTSEC_STATUS_SUCCESS;
}

/* Windows writes the base the text had and the sign it had: "-0x10",
 * "017", "+5"; without a sign, hex and octal show the 64-bit pattern
 * ("0xffffffffffffffff"). Source: Samba's conditional_aces.txt and
 * windows_only.txt, run on Windows; [MS-DTYP] 2.4.4.17.5 (sign and base
 * bytes). */
bool ntsec__cond_int_format(struct ntsec__strbuf *sb, int64_t value, uint8_t sign,
                            uint8_t base)
{
    static const char *const fmt[] = { "%" PRIo64, "%" PRIu64, "%" PRIx64 };
    static const char *const prefix[] = { "0", "", "0x" };
    uint64_t mag;

    if (sign < NTSEC__COND_SIGN_PLUS || sign > NTSEC__COND_SIGN_NONE ||
        base < NTSEC__COND_BASE_OCTAL || base > NTSEC__COND_BASE_HEX)
        return false;
    if (sign == NTSEC__COND_SIGN_NONE) {
        if (base == NTSEC__COND_BASE_DECIMAL) {
            ntsec__strbuf_printf(sb, "%" PRId64, value);
            return true;
        }
        mag = (uint64_t)value;
    } else if (sign == NTSEC__COND_SIGN_PLUS) {
        if (value < 0)
            return false;
        ntsec__strbuf_putc(sb, '+');
        mag = (uint64_t)value;
    } else {
        if (value > 0)
            return false;
        ntsec__strbuf_putc(sb, '-');
        mag = 0 - (uint64_t)value;
    }
    ntsec__strbuf_puts(sb, prefix[base - 1]);
    ntsec__strbuf_printf(sb, fmt[base - 1], mag);
    return true;
}

/* Characters that must appear literally, never as "%hhhh", in an
 * attribute name: letters, digits and [MS-DTYP] 2.5.1.1 lit-char (as Samba
 * reads it, sddl_conditional_ace.c read_attr2_string). */
static bool must_be_literal(uint16_t c)
{
    return c < 0x7f && (ntsec__cond_is_attr_char1((unsigned char)c) ||
                        (c && strchr("#$'*+-;?@[\\]^`{}~", c) != NULL));
}

/* Characters written as "%hhhh": controls, space, non-ASCII, and the ones
 * that end a name or start an escape ([MS-DTYP] 2.5.1.1; Windows' output
 * "@RESOURCE.%0100lour" in Samba's short-conditional-and-resource-aces
 * vectors). */
static bool needs_escape(uint16_t c)
{
    return c <= ' ' || c > 126 || strchr("!\"&()<=>|%", c) != NULL;
}

ntsec_status ntsec__cond_name_decode(const char *text, size_t len, uint16_t **out,
                                     size_t *out_units, size_t *bad)
{
    uint16_t *w, *tmp;
    size_t units, i, j, start = 0;
    ntsec_status st;

    /* Convert the runs between escapes as UTF-8; an escape names one
     * UTF-16 code unit. The result is never longer than the input. */
    w = ntsec__alloc((len + 1) * sizeof(*w));
    if (!w)
        return NTSEC_STATUS_NO_MEMORY;
    for (i = 0, j = 0; i <= len; i++) {
        uint16_t v = 0;

        if (i < len && text[i] != '%')
            continue;
        if (i > start) {
            st = ntsec__utf8_to_utf16(text + start, i - start, &tmp, &units);
            if (!ntsec_success(st)) {
                ntsec__free(w);
                if (st == NTSEC_STATUS_UNMAPPABLE_CHARACTER) {
                    if (bad)
                        *bad = start;
                    st = NTSEC_STATUS_INVALID_ACE_CONDITION;
                }
                return st;
            }
            memcpy(w + j, tmp, units * sizeof(*w));
            j += units;
            ntsec__free(tmp);
        }
        if (i == len)
            break;
        for (size_t k = 1; k <= 4; k++) {
            int d = i + k < len ? ntsec__digit_value((char)text[i + k]) : 99;
            if (d > 15) {
                ntsec__free(w);
                if (bad)
                    *bad = i;
                return NTSEC_STATUS_INVALID_ACE_CONDITION;
            }
            v = (uint16_t)(v << 4 | d);
        }
        if (v == 0 || must_be_literal(v)) {
            ntsec__free(w);
            if (bad)
                *bad = i;
            return NTSEC_STATUS_INVALID_ACE_CONDITION;
        }
        w[j++] = v;
        i += 4;
        start = i + 1;
    }
    w[j] = 0;
    *out = w;
    *out_units = j;
    return NTSEC_STATUS_SUCCESS;
}

void ntsec__cond_name_format(struct ntsec__strbuf *sb, const uint8_t *utf16le, size_t units)
{
    for (size_t i = 0; i < units; i++) {
        uint16_t c = (uint16_t)(utf16le[2 * i] | utf16le[2 * i + 1] << 8);
        if (needs_escape(c))
            ntsec__strbuf_printf(sb, "%%%04x", c);
        else
            ntsec__strbuf_putc(sb, (char)c);
    }
}

/* Windows is not fussy about case in SID strings: "sid(s-1-1-0)" is taken
 * (Samba's conditional_aces_windows_only.txt, run on Windows). */
ntsec_status ntsec__cond_sid_parse(const char *text, size_t len, struct ntsec_sid *out)
{
    char buf[NTSEC_SID_STRING_MAX];
    struct ntsec_sid sid;

    if (len == 0 || len >= sizeof(buf))
        return NTSEC_STATUS_INVALID_ACE_CONDITION;
    memcpy(buf, text, len);
    buf[len] = 0;
    if (len == 2) {
        buf[0] = (char)(buf[0] >= 'a' && buf[0] <= 'z' ? buf[0] - 'a' + 'A' : buf[0]);
        buf[1] = (char)(buf[1] >= 'a' && buf[1] <= 'z' ? buf[1] - 'a' + 'A' : buf[1]);
    } else if (buf[0] == 's') {
        buf[0] = 'S';
    }
    if (!ntsec_success(ntsec_sid_from_string(buf, NULL, &sid)))
        return NTSEC_STATUS_INVALID_ACE_CONDITION;
    *out = sid;
    return NTSEC_STATUS_SUCCESS;
}

void ntsec__cond_sid_format(struct ntsec__strbuf *sb, const struct ntsec_sid *sid)
{
    const char *alias = ntsec_sid_to_alias(sid, NULL);
    char buf[NTSEC_SID_STRING_MAX];

    if (alias) {
        ntsec__strbuf_puts(sb, alias);
        return;
    }
    ntsec_sid_format(sid, buf, sizeof(buf));
    ntsec__strbuf_puts(sb, buf);
}
