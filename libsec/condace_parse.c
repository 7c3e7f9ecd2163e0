/* condace_parse.c - compile the SDDL text of a conditional ACE expression
 * into Windows' binary form: "artx", then the expression in reverse Polish
 * order, zero-padded to a multiple of 4 ([MS-DTYP] 2.4.4.17).
 *
 * A recursive-descent parser that emits each token as soon as its operands
 * are out, which is exactly the postfix order Windows stores. The grammar
 * is [MS-DTYP] 2.5.1.1; where Windows accepts more or less than the
 * grammar says, Windows' results recorded by Samba
 * (libcli/security/tests/data/, .txt and .json files made on Windows) are
 * followed, each at its rule below. */
#include <string.h>

#include "alloc.h"
#include "condace.h"
#include "condace_tokens.h"
#include "utf.h"

/* Deepest nesting of parentheses and composites accepted, so that the
 * recursion stays bounded whatever the input. Windows' own limit is not
 * documented; Windows-generated vectors nest 26 deep. */
#define MAX_DEPTH 256

struct parser {
    const char *s;
    size_t      len;
    size_t      pos;
    uint8_t    *out;
    size_t      out_len;
    size_t      out_cap;
    ntsec_status st;        /* first failure */
    size_t      err;        /* where it happened */
    unsigned    depth;
};

static bool fail_at(struct parser *p, size_t where, ntsec_status st)
{
    if (ntsec_success(p->st)) {
        p->st = st;
        p->err = where;
    }
    return false;
}

static bool fail(struct parser *p)
{
    return fail_at(p, p->pos, NTSEC_STATUS_INVALID_ACE_CONDITION);
}

static bool reserve(struct parser *p, size_t n)
{
    uint8_t *b;
    size_t cap;

    if (p->out_cap - p->out_len >= n)
        return true;
    cap = p->out_cap ? p->out_cap : 64;
    while (cap - p->out_len < n)
        cap *= 2;
    b = ntsec__alloc(cap);
    if (!b)
        return fail_at(p, p->pos, NTSEC_STATUS_NO_MEMORY);
    if (p->out_len)
        memcpy(b, p->out, p->out_len);
    ntsec__free(p->out);
    p->out = b;
    p->out_cap = cap;
    return true;
}

static bool emit(struct parser *p, const void *data, size_t n)
{
    if (!reserve(p, n))
        return false;
    memcpy(p->out + p->out_len, data, n);
    p->out_len += n;
    return true;
}

static bool emit_byte(struct parser *p, uint8_t b)
{
    return emit(p, &b, 1);
}

static bool emit32(struct parser *p, uint32_t v)
{
    uint8_t b[4];

    ntsec__cond_put32(b, v);
    return emit(p, b, 4);
}

/* A token of `code` holding a 4-byte length and UTF-16 units. */
static bool emit_utf16(struct parser *p, uint8_t code, const uint16_t *w, size_t units)
{
    if (!reserve(p, 5 + units * 2))
        return false;
    emit_byte(p, code);
    emit32(p, (uint32_t)(units * 2));
    for (size_t i = 0; i < units; i++) {
        uint8_t b[2] = { (uint8_t)w[i], (uint8_t)(w[i] >> 8) };
        emit(p, b, 2);
    }
    return true;
}

static void skip_space(struct parser *p)
{
    while (p->pos < p->len && ntsec__cond_is_space((unsigned char)p->s[p->pos]))
        p->pos++;
}

static bool at(const struct parser *p, char c)
{
    return p->pos < p->len && p->s[p->pos] == c;
}

static bool at_ci(const struct parser *p, const char *word)
{
    size_t n = strlen(word);

    if (p->len - p->pos < n)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = p->s[p->pos + i];
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if (c != word[i])
            return false;
    }
    return true;
}

/* --- literals ------------------------------------------------------------ */

static bool parse_int(struct parser *p)
{
    uint8_t tok[NTSEC__COND_INT_TOKEN_LEN];
    int64_t v;
    uint8_t sign, base;

    if (!ntsec_success(ntsec__cond_int_parse(p->s, p->len, &p->pos, &v, &sign, &base)))
        return fail(p);
    /* Windows stores every SDDL integer as INT64 (0x04): Samba's
     * conditional_aces.txt.json, generated on Windows ("(@Device.legs ==
     * 1)" gives 04 01 00.. 03 02). */
    tok[0] = NTSEC__COND_INT64;
    ntsec__cond_put64(tok + 1, (uint64_t)v);
    tok[9] = sign;
    tok[10] = base;
    return emit(p, tok, sizeof(tok));
}

/* "..." with no escapes: SDDL has none inside strings ([MS-DTYP]
 * 2.5.1.1 char-string). */
static bool parse_string(struct parser *p)
{
    size_t start = ++p->pos, units;
    uint16_t *w;
    ntsec_status st;
    bool ok;

    while (p->pos < p->len && p->s[p->pos] != '"')
        p->pos++;
    if (p->pos >= p->len)
        return fail_at(p, start - 1, NTSEC_STATUS_INVALID_ACE_CONDITION);
    st = ntsec__utf8_to_utf16(p->s + start, p->pos - start, &w, &units);
    if (st == NTSEC_STATUS_UNMAPPABLE_CHARACTER)
        return fail_at(p, start, NTSEC_STATUS_INVALID_ACE_CONDITION);
    if (!ntsec_success(st))
        return fail_at(p, start, st);
    ok = emit_utf16(p, NTSEC__COND_UNICODE, w, units);
    ntsec__free(w);
    p->pos++;
    return ok;
}

/* "#" then hex digits, '#' standing for '0'; an odd count gets an
 * implied leading 0. Microsoft docs, "Security Descriptor Definition
 * Language for Conditional ACEs": "#1#2#3##" is "#01020300"; Windows
 * gives the same bytes for "##1#2#3##" (Samba's conditional_aces.txt.json,
 * generated on Windows). */
static int nibble(const struct parser *p, size_t start, size_t k, size_t odd)
{
    char c;

    if (k < odd)
        return 0;               /* the implied leading 0 */
    c = p->s[start + k - odd];
    return c == '#' ? 0 : c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

static bool parse_octet(struct parser *p)
{
    size_t start = ++p->pos, n, odd, bytes;

    while (p->pos < p->len && (p->s[p->pos] == '#' ||
                               (p->s[p->pos] >= '0' && p->s[p->pos] <= '9') ||
                               (p->s[p->pos] >= 'a' && p->s[p->pos] <= 'f') ||
                               (p->s[p->pos] >= 'A' && p->s[p->pos] <= 'F')))
        p->pos++;
    if (p->pos < p->len && ntsec__cond_is_attr_char1((unsigned char)p->s[p->pos]))
        return fail(p);
    n = p->pos - start;
    odd = n & 1;
    bytes = (n + odd) / 2;
    if (!reserve(p, 5 + bytes))
        return false;
    emit_byte(p, NTSEC__COND_OCTET);
    emit32(p, (uint32_t)bytes);
    for (size_t k = 0; k < bytes; k++)
        emit_byte(p, (uint8_t)(nibble(p, start, 2 * k, odd) << 4 |
                               nibble(p, start, 2 * k + 1, odd)));
    return true;
}

/* SID(...) holding a SID string or an alias ([MS-DTYP] 2.5.1.1
 * literal-SID); "SID" in any case (Samba's windows_only.txt). */
static bool parse_sid(struct parser *p)
{
    size_t start = p->pos, inner;
    struct ntsec_sid sid;
    size_t n;

    p->pos += 4;    /* "SID(" */
    inner = p->pos;
    while (p->pos < p->len && p->s[p->pos] != ')')
        p->pos++;
    if (p->pos >= p->len ||
        !ntsec_success(ntsec__cond_sid_parse(p->s + inner, p->pos - inner, &sid)))
        return fail_at(p, start, NTSEC_STATUS_INVALID_ACE_CONDITION);
    p->pos++;
    n = ntsec_sid_length(&sid);
    if (!reserve(p, 5 + n))
        return false;
    emit_byte(p, NTSEC__COND_SID);
    emit32(p, (uint32_t)n);
    emit(p, &sid, n);     /* struct ntsec_sid is the binary layout */
    return true;
}

static bool parse_literal(struct parser *p, bool in_composite);

/* {a, b, ...}: a composite, [MS-DTYP] 2.4.4.17.5 (0x50, byte length of
 * the tokens inside). Windows takes any literal inside, even in the
 * operand of Member_of ("(Member_of {6723349})" in Samba's
 * short-conditional-and-resource-aces-successes.json, from Windows). */
static bool parse_composite(struct parser *p)
{
    size_t len_at;
    bool first = true;

    if (++p->depth > MAX_DEPTH)
        return fail(p);
    p->pos++;
    if (!emit_byte(p, NTSEC__COND_COMPOSITE) || !emit32(p, 0))
        return false;
    len_at = p->out_len;
    for (;;) {
        skip_space(p);
        if (at(p, '}'))
            break;
        if (!first) {
            if (!at(p, ','))
                return fail(p);
            p->pos++;
            skip_space(p);
        }
        first = false;
        if (!parse_literal(p, true))
            return false;
    }
    p->pos++;
    ntsec__cond_put32(p->out + len_at - 4, (uint32_t)(p->out_len - len_at));
    p->depth--;
    return true;
}

static bool parse_literal(struct parser *p, bool in_composite)
{
    char c;

    if (p->pos >= p->len)
        return fail(p);
    c = p->s[p->pos];
    if (c == '"')
        return parse_string(p);
    if (c == '#')
        return parse_octet(p);
    if (c == '{')
        return parse_composite(p);
    if (at_ci(p, "SID("))
        return parse_sid(p);
    if (c == '+' || c == '-' || (c >= '0' && c <= '9'))
        return parse_int(p);
    /* A literal may be wrapped in parentheses, even twice:
     * "(member_of((sid(s-1-1-0))))" (Samba's windows_only.txt). Not inside
     * a composite, where Windows' grammar has bare literals only. */
    if (c == '(' && !in_composite) {
        if (++p->depth > MAX_DEPTH)
            return fail(p);
        p->pos++;
        skip_space(p);
        if (!parse_literal(p, false))
            return false;
        skip_space(p);
        if (!at(p, ')'))
            return fail(p);
        p->pos++;
        p->depth--;
        return true;
    }
    return fail(p);
}

/* --- attributes ------------------------------------------------------------ */

/* @User.x / @Device.x / @Resource.x (prefix in any case). The name runs
 * to white space or one of !&()><=|" ; other characters, even ';' and '}',
 * belong to it, and "%hhhh" escapes a UTF-16 unit ([MS-DTYP] 2.5.1.1
 * attr-char2; Windows' results in Samba's
 * short-conditional-and-resource-aces-successes.json). */
static bool parse_prefixed_attr(struct parser *p)
{
    static const struct { const char *prefix; uint8_t code; } classes[] = {
        { "@USER.", NTSEC__COND_ATTR_USER },
        { "@DEVICE.", NTSEC__COND_ATTR_DEVICE },
        { "@RESOURCE.", NTSEC__COND_ATTR_RESOURCE },
    };
    size_t start = p->pos, name, units, bad = 0;
    uint16_t *w;
    ntsec_status st;
    uint8_t code = 0;
    bool ok;

    for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++) {
        if (at_ci(p, classes[i].prefix)) {
            code = classes[i].code;
            p->pos += strlen(classes[i].prefix);
            break;
        }
    }
    if (!code)
        return fail(p);
    name = p->pos;
    while (p->pos < p->len && !ntsec__cond_is_space((unsigned char)p->s[p->pos]) &&
           !strchr("!&()><=|\"", p->s[p->pos]))
        p->pos++;
    if (p->pos == name)
        return fail(p);
    st = ntsec__cond_name_decode(p->s + name, p->pos - name, &w, &units, &bad);
    if (!ntsec_success(st))
        return fail_at(p, st == NTSEC_STATUS_NO_MEMORY ? start : name + bad, st);
    ok = emit_utf16(p, code, w, units);
    ntsec__free(w);
    return ok;
}

/* A simple name: attr-char1, then attr-char1 or '@' ([MS-DTYP] 2.5.1.1
 * attr-name1), ASCII only. */
static size_t word_end(const struct parser *p, size_t i, bool allow_at)
{
    while (i < p->len && (ntsec__cond_is_attr_char1((unsigned char)p->s[i]) ||
                          (allow_at && p->s[i] == '@')))
        i++;
    return i;
}

static bool emit_local_attr(struct parser *p, size_t start, size_t end)
{
    size_t units = end - start;

    /* ASCII only: one UTF-16 unit per byte. */
    if (!reserve(p, 5 + units * 2))
        return false;
    emit_byte(p, NTSEC__COND_ATTR_LOCAL);
    emit32(p, (uint32_t)(units * 2));
    for (size_t i = start; i < end; i++) {
        emit_byte(p, (uint8_t)p->s[i]);
        emit_byte(p, 0);
    }
    return true;
}

/* Any attribute: the operand of Exists and the left side of a relation. */
static bool parse_attr(struct parser *p)
{
    size_t end;

    if (at(p, '@'))
        return parse_prefixed_attr(p);
    if (p->pos >= p->len || !ntsec__cond_is_attr_char1((unsigned char)p->s[p->pos]))
        return fail(p);
    end = word_end(p, p->pos, true);
    if (!emit_local_attr(p, p->pos, end))
        return false;
    p->pos = end;
    return true;
}

/* --- expressions ------------------------------------------------------------ */

static bool parse_expr(struct parser *p, unsigned max_prec);

/* What a term turned out to be: a relation's left side must be a bare
 * attribute ([MS-DTYP] 2.5.1.1 rel-op: attr-name first). */
enum term { TERM_FAILED, TERM_ATTR, TERM_OTHER };

static enum term term_fail(struct parser *p)
{
    fail(p);
    return TERM_FAILED;
}

static enum term parse_term(struct parser *p)
{
    const struct ntsec__cond_op *op;
    size_t start, end;

    skip_space(p);
    start = p->pos;
    if (p->pos >= p->len)
        return term_fail(p);
    if (at(p, '(')) {
        if (++p->depth > MAX_DEPTH)
            return term_fail(p);
        p->pos++;
        if (!parse_expr(p, NTSEC__COND_PREC_LOWEST))
            return TERM_FAILED;
        skip_space(p);
        if (!at(p, ')'))
            return term_fail(p);
        p->pos++;
        p->depth--;
        return TERM_OTHER;
    }
    if (at(p, '!')) {
        /* "!" takes a parenthesised expression: "(! Member_of{SID(BA)})"
         * is refused, "(!(! (Member_of{SID(AA)})))" is taken (Samba's
         * conditional_aces_should_fail.txt and conditional_aces.txt.json,
         * from Windows). */
        p->pos++;
        skip_space(p);
        if (!at(p, '('))
            return term_fail(p);
        if (parse_term(p) == TERM_FAILED)
            return TERM_FAILED;
        return emit_byte(p, 0xa2) ? TERM_OTHER : TERM_FAILED;
    }
    if (at(p, '@'))
        return parse_prefixed_attr(p) ? TERM_ATTR : TERM_FAILED;
    if (!ntsec__cond_is_attr_char1((unsigned char)p->s[p->pos]))
        return term_fail(p);
    /* A word: a unary operator if it spells one, else a local attribute
     * (even all digits: "(777777777777)" is one, Windows' vectors). */
    end = word_end(p, p->pos, false);
    op = ntsec__cond_op_by_name(p->s + start, end - start, NTSEC__COND_KIND_UNARY);
    if (!op || op->operand == NTSEC__COND_OPERAND_LOGICAL)
        return parse_attr(p) ? TERM_ATTR : TERM_FAILED;
    p->pos = end;
    skip_space(p);
    if (op->operand == NTSEC__COND_OPERAND_ATTRIBUTE) {
        /* Exists needs white space before its attribute. */
        if (p->pos == end)
            return term_fail(p);
        if (!parse_attr(p))
            return TERM_FAILED;
    } else if (!parse_literal(p, false)) {
        return TERM_FAILED;
    }
    return emit_byte(p, op->code) ? TERM_OTHER : TERM_FAILED;
}

/* The binary operator at the cursor, without consuming it. */
static const struct ntsec__cond_op *peek_binary(struct parser *p, size_t *end)
{
    static const char *const symbols[] = { "==", "!=", "<=", ">=", "<", ">", "&&", "||" };
    size_t i = p->pos, e;

    if (i >= p->len)
        return NULL;
    for (size_t k = 0; k < sizeof(symbols) / sizeof(symbols[0]); k++) {
        size_t n = strlen(symbols[k]);
        if (p->len - i >= n && memcmp(p->s + i, symbols[k], n) == 0) {
            *end = i + n;
            return ntsec__cond_op_by_name(symbols[k], n, NTSEC__COND_KIND_BINARY);
        }
    }
    e = word_end(p, i, false);
    *end = e;
    return ntsec__cond_op_by_name(p->s + i, e - i, NTSEC__COND_KIND_BINARY);
}

/* The right side of a relation: an @-attribute or a literal. A simple
 * name there is refused by Windows ("(a == a)" in Samba's
 * conditional_aces_should_fail.txt). */
static bool parse_rhs(struct parser *p)
{
    skip_space(p);
    if (at(p, '@'))
        return parse_prefixed_attr(p);
    return parse_literal(p, false);
}

/* Operators of precedence up to max_prec, left to right ([MS-DTYP]
 * 2.5.1.1: equal precedence evaluates left to right, so
 * "A && B && C" is ((A && B) && C): Windows' bytes A B && C &&). */
static bool parse_expr(struct parser *p, unsigned max_prec)
{
    enum term t = parse_term(p);

    if (t == TERM_FAILED)
        return false;
    for (;;) {
        const struct ntsec__cond_op *op;
        size_t op_at, end;

        skip_space(p);
        op_at = p->pos;
        op = peek_binary(p, &end);
        if (!op) {
            /* Only ')' (or the end, checked by the caller) may follow. */
            if (p->pos < p->len && !at(p, ')'))
                return fail(p);
            return true;
        }
        if (op->precedence > max_prec)
            return true;
        p->pos = end;
        if (op->operand == NTSEC__COND_OPERAND_RELATION) {
            if (t != TERM_ATTR)
                return fail_at(p, op_at, NTSEC_STATUS_INVALID_ACE_CONDITION);
            if (!parse_rhs(p))
                return false;
        } else if (!parse_expr(p, op->precedence - 1u)) {
            return false;
        }
        if (!emit_byte(p, op->code))
            return false;
        t = TERM_OTHER;
    }
}

ntsec_status ntsec__cond_compile(const char *text, size_t len, uint8_t **data,
                                 size_t *data_len, size_t *err_offset)
{
    struct parser p = { .s = text, .len = len, .st = NTSEC_STATUS_SUCCESS };
    static const uint8_t zeros[3];

    if (!text || !data || !data_len)
        return NTSEC_STATUS_INVALID_PARAMETER;
    if (!emit(&p, NTSEC__COND_SIGNATURE, NTSEC__COND_SIGNATURE_LEN))
        goto out;
    /* The whole condition is one parenthesised expression. */
    skip_space(&p);
    if (!at(&p, '(')) {
        fail(&p);
        goto out;
    }
    if (parse_term(&p) == TERM_FAILED)
        goto out;
    skip_space(&p);
    if (p.pos != len) {
        fail(&p);
        goto out;
    }
    emit(&p, zeros, (4 - p.out_len % 4) % 4);
out:
    if (!ntsec_success(p.st)) {
        ntsec__free(p.out);
        if (err_offset && p.st == NTSEC_STATUS_INVALID_ACE_CONDITION)
            *err_offset = p.err;
        return p.st;
    }
    *data = p.out;
    *data_len = p.out_len;
    return NTSEC_STATUS_SUCCESS;
}
