/* condace_format.c - write the binary form of a conditional ACE expression
 * ([MS-DTYP] 2.4.4.17) back as SDDL text, in the canonical form Windows'
 * ConvertSecurityDescriptorToStringSecurityDescriptor produces.
 *
 * The reverse Polish token stream is turned into a tree (a stack of
 * operands, as [MS-DTYP] 2.5.3.1.5 EvaluateAceCondition runs it), then the
 * tree is written with Windows' parentheses. Every read is checked against
 * `len`: a truncated token, an operator without its operands, or operands
 * left over are INVALID_ACE_CONDITION. */
#include <string.h>

#include "alloc.h"
#include "condace.h"
#include "condace_tokens.h"
#include "utf.h"

/* Deepest tree written; deeper ones are refused rather than recursing
 * without bound (Windows' own limit is not documented). */
#define MAX_DEPTH 4096

struct node {
    size_t   off;           /* token offset in data */
    uint32_t lhs, rhs;      /* operand nodes + 1; 0 for none */
};

struct writer {
    const uint8_t *d;
    size_t         len;
    struct node   *nodes;
    struct ntsec__strbuf sb;
};

/* Bytes the literal or attribute token at d[off] takes, 0 when it runs
 * past `end` or is not such a token. */
static size_t operand_size(const uint8_t *d, size_t off, size_t end)
{
    uint32_t n;

    switch (d[off]) {
    case NTSEC__COND_INT8: case NTSEC__COND_INT16:
    case NTSEC__COND_INT32: case NTSEC__COND_INT64:
        return end - off >= NTSEC__COND_INT_TOKEN_LEN ? NTSEC__COND_INT_TOKEN_LEN : 0;
    case NTSEC__COND_UNICODE: case NTSEC__COND_OCTET:
    case NTSEC__COND_COMPOSITE: case NTSEC__COND_SID:
    case NTSEC__COND_ATTR_LOCAL: case NTSEC__COND_ATTR_USER:
    case NTSEC__COND_ATTR_RESOURCE: case NTSEC__COND_ATTR_DEVICE:
        if (end - off < 5)
            return 0;
        n = ntsec__cond_get32(d + off + 1);
        return n <= end - off - 5 ? 5 + (size_t)n : 0;
    default:
        return 0;
    }
}

/* Integers carry their width in the code: a value outside it is
 * malformed ([MS-DTYP] 2.4.4.17.5: "-128 to +127" for INT8 ...). */
static bool write_int(struct writer *w, size_t off)
{
    static const int64_t limit[] = { INT8_MAX, INT16_MAX, INT32_MAX };
    int64_t v = (int64_t)ntsec__cond_get64(w->d + off + 1);
    uint8_t code = w->d[off];

    if (code < NTSEC__COND_INT64 && (v > limit[code - 1] || v < -limit[code - 1] - 1))
        return false;
    return ntsec__cond_int_format(&w->sb, v, w->d[off + 9], w->d[off + 10]);
}

static bool write_string(struct writer *w, const uint8_t *p, uint32_t n)
{
    uint16_t *units;
    char *utf8;
    size_t out_len;
    ntsec_status st;

    if (n % 2)
        return false;
    units = ntsec__alloc(n ? n : 1);
    if (!units) {
        w->sb.failed = true;
        return true;            /* reported as NO_MEMORY by the caller */
    }
    for (uint32_t i = 0; i < n / 2; i++)
        units[i] = (uint16_t)(p[2 * i] | p[2 * i + 1] << 8);
    st = ntsec__utf16_to_utf8(units, n / 2, &utf8, &out_len);
    ntsec__free(units);
    if (st == NTSEC_STATUS_NO_MEMORY) {
        w->sb.failed = true;
        return true;
    }
    /* SDDL strings have no escapes: one holding '"' cannot be written
     * (Samba, sddl_conditional_ace.c sddl_write_unicode, says the same). */
    if (!ntsec_success(st) || memchr(utf8, '"', out_len)) {
        if (ntsec_success(st))
            ntsec__free(utf8);
        return false;
    }
    ntsec__strbuf_putc(&w->sb, '"');
    ntsec__strbuf_append(&w->sb, utf8, out_len);
    ntsec__strbuf_putc(&w->sb, '"');
    ntsec__free(utf8);
    return true;
}

static bool write_sid(struct writer *w, const uint8_t *p, uint32_t n)
{
    struct ntsec_sid sid;

    if (n > sizeof(sid) || !ntsec_sid_is_valid_in(p, n))
        return false;
    memcpy(&sid, p, n);
    if (ntsec_sid_length(&sid) != n)
        return false;
    ntsec__strbuf_puts(&w->sb, "SID(");
    ntsec__cond_sid_format(&w->sb, &sid);
    ntsec__strbuf_putc(&w->sb, ')');
    return true;
}

/* A literal or attribute token of `size` bytes at d[off]. */
static bool write_operand(struct writer *w, size_t off, size_t size, unsigned depth)
{
    const uint8_t *p = w->d + off + 5;
    uint32_t n = (uint32_t)(size - 5);
    const struct ntsec__cond_op *op;

    switch (w->d[off]) {
    case NTSEC__COND_INT8: case NTSEC__COND_INT16:
    case NTSEC__COND_INT32: case NTSEC__COND_INT64:
        return write_int(w, off);
    case NTSEC__COND_UNICODE:
        return write_string(w, p, n);
    case NTSEC__COND_OCTET:
        ntsec__strbuf_putc(&w->sb, '#');
        for (uint32_t i = 0; i < n; i++)
            ntsec__strbuf_printf(&w->sb, "%02x", p[i]);
        return true;
    case NTSEC__COND_SID:
        return write_sid(w, p, n);
    case NTSEC__COND_COMPOSITE:
        /* "{a, b}": elements are literals filling the length exactly. */
        if (depth > MAX_DEPTH)
            return false;
        ntsec__strbuf_putc(&w->sb, '{');
        for (size_t i = off + 5, end = off + size; i < end;) {
            size_t k = operand_size(w->d, i, end);
            if (!k || w->d[i] >= NTSEC__COND_ATTR_LOCAL)
                return false;
            if (i != off + 5)
                ntsec__strbuf_puts(&w->sb, ", ");
            if (!write_operand(w, i, k, depth + 1))
                return false;
            i += k;
        }
        ntsec__strbuf_putc(&w->sb, '}');
        return true;
    default:
        /* An attribute: prefix, then the name; never empty. */
        if (n == 0 || n % 2)
            return false;
        op = ntsec__cond_op_by_code(w->d[off]);
        ntsec__strbuf_puts(&w->sb, op->sddl);
        ntsec__cond_name_format(&w->sb, p, n / 2);
        return true;
    }
}

/* Windows parenthesises every binary operation and every membership test;
 * an operand of !, && or || that has no parentheses of its own gets them;
 * the whole expression is always in parentheses. "!" is written against
 * its operand. Source: Windows' output in Samba's conditional_aces.txt
 * ("(@USER.A && @Device.B || @USER.C)" comes back as
 * "(((@USER.A) && (@DEVICE.B)) || (@USER.C))", "(!(! (Member_of{SID(AA)})))"
 * as "(!(!(Member_of {SID(AA)})))"). */
static bool own_parens(const struct ntsec__cond_op *op)
{
    return op && (op->kind == NTSEC__COND_KIND_BINARY ||
                  op->operand == NTSEC__COND_OPERAND_SIDS);
}

static bool write_node(struct writer *w, uint32_t idx, bool wrap, unsigned depth)
{
    const struct node *nd = &w->nodes[idx];
    const struct ntsec__cond_op *op = ntsec__cond_op_by_code(w->d[nd->off]);
    bool logical;
    size_t size;

    if (depth > MAX_DEPTH)
        return false;
    if (!op || op->kind == NTSEC__COND_KIND_ATTR) {
        size = operand_size(w->d, nd->off, w->len);
        if (wrap)
            ntsec__strbuf_putc(&w->sb, '(');
        if (!write_operand(w, nd->off, size, depth))
            return false;
        if (wrap)
            ntsec__strbuf_putc(&w->sb, ')');
        return true;
    }
    wrap = wrap || own_parens(op);
    logical = op->operand == NTSEC__COND_OPERAND_LOGICAL;
    if (wrap)
        ntsec__strbuf_putc(&w->sb, '(');
    if (op->kind == NTSEC__COND_KIND_BINARY) {
        const struct ntsec__cond_op *l = ntsec__cond_op_by_code(w->d[w->nodes[nd->lhs - 1].off]);
        if (!write_node(w, nd->lhs - 1, logical && !own_parens(l), depth + 1))
            return false;
        ntsec__strbuf_putc(&w->sb, ' ');
    }
    ntsec__strbuf_puts(&w->sb, op->sddl);
    if (op->code != 0xa2)
        ntsec__strbuf_putc(&w->sb, ' ');
    {
        const struct ntsec__cond_op *r = ntsec__cond_op_by_code(w->d[w->nodes[nd->rhs - 1].off]);
        if (!write_node(w, nd->rhs - 1, logical && !own_parens(r), depth + 1))
            return false;
    }
    if (wrap)
        ntsec__strbuf_putc(&w->sb, ')');
    return true;
}

/* Split the token stream into nodes (nodes == NULL: only count them).
 * Returns the number of tokens, or -1 when the stream is malformed. */
static long scan(const uint8_t *d, size_t len, struct node *nodes, uint32_t *stack)
{
    size_t off = NTSEC__COND_SIGNATURE_LEN, depth = 0;
    long count = 0;

    while (off < len) {
        const struct ntsec__cond_op *op = ntsec__cond_op_by_code(d[off]);
        size_t size;

        if (d[off] == NTSEC__COND_PADDING) {
            /* Padding ends the expression: only zeros may follow. */
            for (size_t i = off; i < len; i++)
                if (d[i])
                    return -1;
            break;
        }
        if (op && op->kind != NTSEC__COND_KIND_ATTR) {
            unsigned need = op->kind == NTSEC__COND_KIND_BINARY ? 2 : 1;
            if (depth < need)
                return -1;                      /* stack underflow */
            if (nodes) {
                nodes[count].off = off;
                nodes[count].rhs = stack[depth - 1] + 1;
                nodes[count].lhs = need == 2 ? stack[depth - 2] + 1 : 0;
                stack[depth - need] = (uint32_t)count;
            }
            depth -= need - 1;
            size = 1;
        } else {
            size = operand_size(d, off, len);
            if (!size)
                return -1;                      /* truncated or unknown */
            if (nodes) {
                nodes[count].off = off;
                nodes[count].lhs = nodes[count].rhs = 0;
                stack[depth] = (uint32_t)count;
            }
            depth++;
        }
        count++;
        off += size;
    }
    /* Exactly one result: none is an empty condition, more are operands
     * no operator consumed. */
    return depth == 1 ? count : -1;
}

ntsec_status ntsec__cond_format(const uint8_t *data, size_t len, struct ntsec__strbuf *out)
{
    struct writer w = { .d = data, .len = len, .sb = NTSEC__STRBUF_INIT };
    uint32_t *stack;
    long count;
    bool ok;

    if (!data || !out)
        return NTSEC_STATUS_INVALID_PARAMETER;
    if (len < NTSEC__COND_SIGNATURE_LEN ||
        memcmp(data, NTSEC__COND_SIGNATURE, NTSEC__COND_SIGNATURE_LEN) != 0)
        return NTSEC_STATUS_INVALID_ACE_CONDITION;
    count = scan(data, len, NULL, NULL);
    if (count < 0)
        return NTSEC_STATUS_INVALID_ACE_CONDITION;
    w.nodes = ntsec__alloc((size_t)count * sizeof(*w.nodes));
    stack = ntsec__alloc((size_t)count * sizeof(*stack));
    if (!w.nodes || !stack) {
        ntsec__free(w.nodes);
        ntsec__free(stack);
        return NTSEC_STATUS_NO_MEMORY;
    }
    scan(data, len, w.nodes, stack);
    ok = write_node(&w, stack[0], true, 0);
    ntsec__free(stack);
    ntsec__free(w.nodes);
    if (!ok) {
        ntsec__strbuf_discard(&w.sb);
        return NTSEC_STATUS_INVALID_ACE_CONDITION;
    }
    if (w.sb.failed) {
        ntsec__strbuf_discard(&w.sb);
        return NTSEC_STATUS_NO_MEMORY;
    }
    ntsec__strbuf_append(out, w.sb.data, w.sb.len);
    ntsec__strbuf_discard(&w.sb);
    return out->failed ? NTSEC_STATUS_NO_MEMORY : NTSEC_STATUS_SUCCESS;
}
