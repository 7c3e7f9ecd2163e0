/* condace_eval.c - evaluate a conditional ACE's expression during an
 * access check: the stack machine of [MS-DTYP] 2.5.3.1.5
 * (EvaluateAceCondition) over the reverse Polish tokens of
 * 2.4.4.17.4 - 2.4.4.17.8, with the three-valued logic of 2.4.4.17.7, the
 * literals of 2.4.4.17.5 (checked in place), the membership operators
 * against the token's groups and device groups, and Exists. Values and the relational operators are in condace_eval_ops.c.
 *
 * The access check (2.5.3.2) applies an allow callback ACE only when the
 * result is TRUE and a deny callback ACE unless it is FALSE
 * ([MS-DTYP] 2.4.4.17.3); a malformed expression is UNKNOWN. Nothing is
 * allocated: the operand stack is a fixed array on the C stack. */
#include <stdatomic.h>
#include <string.h>

#include "condace_eval.h"
#include "condace_eval_ops.h"
#include "condace_tokens.h"
#include "token.h"

/* Operands waiting for their operator. The compiler writes left-deep
 * trees for chains of && and ||, so the stack stays shallow; an
 * expression that needs more is treated as malformed (UNKNOWN) - Windows'
 * own limit is not documented. */
#define STACK_MAX 64

/* Composites nested deeper than this inside a literal are malformed. */
#define COMPOSITE_DEPTH 8

enum elem_kind {
    E_RESULT,                   /* TRUE / FALSE / UNKNOWN of an operator */
    E_LITERAL,                  /* a literal from the expression */
    E_ATTR,                     /* an attribute, looked up */
};

struct elem {
    uint8_t kind;               /* enum elem_kind */
    uint8_t attr;               /* E_ATTR: the attribute token code */
    uint8_t result;             /* E_RESULT */
    struct ntsec__cond_set set; /* E_LITERAL, E_ATTR */
};

/* What each membership operator tests ([MS-DTYP] 2.4.4.17.6, unary
 * relational operators): the device's groups or the user's, all of the
 * SIDs or any of them, and the Not_ forms as their logical inverse. */
static const struct member_rule {
    uint8_t code;
    bool device, any, negate;
} member_rules[] = {
    { 0x89, false, false, false },  /* Member_of */
    { 0x8a, true,  false, false },  /* Device_Member_of */
    { 0x8b, false, true,  false },  /* Member_of_Any */
    { 0x8c, true,  true,  false },  /* Device_Member_of_Any */
    { 0x90, false, false, true },   /* Not_Member_of */
    { 0x91, true,  false, true },   /* Not_Device_Member_of */
    { 0x92, false, true,  true },   /* Not_Member_of_Any */
    { 0x93, true,  true,  true },   /* Not_Device_Member_of_Any */
};

static int tri(bool b)
{
    return b ? NTSEC__COND_TRUE : NTSEC__COND_FALSE;
}

static int invert(int r)
{
    if (r == NTSEC__COND_TRUE)
        return NTSEC__COND_FALSE;
    if (r == NTSEC__COND_FALSE)
        return NTSEC__COND_TRUE;
    return r;
}

/* --- literals -------------------------------------------------------------- */

size_t ntsec__cond_literal_len(const uint8_t *p, size_t avail, unsigned depth, uint32_t *count)
{
    static const int64_t width[] = { 0, INT8_MAX, INT16_MAX, INT32_MAX, INT64_MAX };
    uint32_t n, elems = 0;
    int64_t v;

    if (avail < 1)
        return 0;
    switch (p[0]) {
    case NTSEC__COND_INT8: case NTSEC__COND_INT16:
    case NTSEC__COND_INT32: case NTSEC__COND_INT64:
        /* 8 value bytes, a sign byte and a base byte whatever the width;
         * the value must fit the width ([MS-DTYP] 2.4.4.17.5). */
        if (avail < NTSEC__COND_INT_TOKEN_LEN)
            return 0;
        v = (int64_t)ntsec__cond_get64(p + 1);
        if (v > width[p[0]] || v < -width[p[0]] - 1 ||
            p[9] < NTSEC__COND_SIGN_PLUS || p[9] > NTSEC__COND_SIGN_NONE ||
            p[10] < NTSEC__COND_BASE_OCTAL || p[10] > NTSEC__COND_BASE_HEX)
            return 0;
        return NTSEC__COND_INT_TOKEN_LEN;
    case NTSEC__COND_UNICODE: case NTSEC__COND_OCTET:
    case NTSEC__COND_SID: case NTSEC__COND_COMPOSITE:
        if (avail < 5)
            return 0;
        n = ntsec__cond_get32(p + 1);
        if (n > avail - 5)
            return 0;
        break;
    default:
        return 0;
    }
    switch (p[0]) {
    case NTSEC__COND_UNICODE:
        return n % 2 ? 0 : 5 + (size_t)n;
    case NTSEC__COND_SID:
        if (!ntsec_sid_is_valid_in(p + 5, n) ||
            ntsec_sid_length((const struct ntsec_sid *)(p + 5)) != n)
            return 0;
        return 5 + (size_t)n;
    case NTSEC__COND_COMPOSITE:
        /* Composites hold literals only ([MS-DTYP] 2.4.4.17.5); nesting
         * is bounded so that checking it cannot recurse without end. */
        if (depth == 0)
            return 0;
        for (size_t off = 0; off < n; elems++) {
            uint32_t inner;
            size_t k = ntsec__cond_literal_len(p + 5 + off, n - off, depth - 1, &inner);
            if (!k)
                return 0;
            off += k;
        }
        if (count)
            *count = elems;
        return 5 + (size_t)n;
    default:                    /* octet string */
        return 5 + (size_t)n;
    }
}

void ntsec__cond_literal_value(const uint8_t *p, struct ntsec__cond_value *v)
{
    memset(v, 0, sizeof(*v));
    switch (p[0]) {
    case NTSEC__COND_INT8: case NTSEC__COND_INT16:
    case NTSEC__COND_INT32: case NTSEC__COND_INT64:
        v->kind = NTSEC__COND_V_INT;
        v->i = (int64_t)ntsec__cond_get64(p + 1);
        return;
    case NTSEC__COND_UNICODE:
        v->kind = NTSEC__COND_V_STR16;
        break;
    case NTSEC__COND_OCTET:
        v->kind = NTSEC__COND_V_OCTET;
        break;
    case NTSEC__COND_SID:
        v->kind = NTSEC__COND_V_SID;
        break;
    default:
        v->kind = NTSEC__COND_V_COMPOSITE;
        break;
    }
    v->p = p + 5;
    v->n = ntsec__cond_get32(p + 1);
}

void ntsec__cond_literal_set(const uint8_t *p, size_t len, uint32_t count,
                             struct ntsec__cond_set *out)
{
    memset(out, 0, sizeof(*out));
    if (p[0] == NTSEC__COND_COMPOSITE) {
        out->kind = NTSEC__COND_SET_COMPOSITE;
        out->p = p + 5;
        out->n = len - 5;
        out->count = count;
        return;
    }
    out->kind = NTSEC__COND_SET_SCALAR;
    out->count = 1;
    ntsec__cond_literal_value(p, &out->one);
}

/* --- membership ------------------------------------------------------------- */

/* S-1-5-10, PRINCIPAL_SELF: an ACE naming it stands for the object's own
 * principal when the caller gives one ([MS-DTYP] 2.5.3.1.1 SidInToken). */
static const uint8_t principal_self_sid[12] = { 1, 1, 0, 0, 0, 0, 0, 5, 10, 0, 0, 0 };

/* Whether the SID counts as the token's for this ACE. A group must be
 * enabled; for a deny ACE a deny-only group counts too: "For Allow ACEs,
 * the client context SID must have the SE_GROUP_ENABLED attribute set to
 * be considered a match. For Deny ACEs, the client context SID must have
 * either the SE_GROUP_ENABLED or the SE_GROUP_USE_FOR_DENY_ONLY attribute"
 * (Microsoft docs, "Security Descriptor Definition Language for
 * Conditional ACEs", Member_of). The user SID carries no ENABLED bit
 * (TOKEN_USER attributes are 0) yet is always in force unless deny-only.
 * The restricted pass tests the restricted SIDs ([MS-DTYP] 2.5.3.2: the
 * second evaluation against Token.RestrictedSids). The attributes change
 * under AdjustTokenGroups: read relaxed, the caller's seqlock retries. */
static bool has_sid(const struct ntsec__cond_context *ctx, const uint8_t *sid_bytes, bool device)
{
    const struct ntsec_token *t = ctx->token;
    const struct ntsec_sid *sid = (const struct ntsec_sid *)sid_bytes;
    const struct ntsec__token_sid *entries;
    const struct ntsec__sid_index *index;
    bool user_array = false;
    uint32_t pos, attrs;

    if (ctx->principal_self && !memcmp(sid_bytes, principal_self_sid, sizeof(principal_self_sid)))
        sid = ctx->principal_self;
    if (!t)
        return false;
    if (device) {
        entries = t->device_groups;
        index = &t->device_index;
    } else if (ctx->restricted_pass) {
        entries = t->restricted;
        index = &t->restricted_index;
    } else {
        entries = t->sids;
        index = &t->index;
        user_array = true;
    }
    pos = ntsec__sid_index_find(index, entries, sid);
    if (pos == NTSEC__NO_INDEX)
        return false;
    attrs = atomic_load_explicit(&entries[pos].attributes, memory_order_relaxed);
    if (attrs & NTSEC_SE_GROUP_USE_FOR_DENY_ONLY)
        return ctx->deny_ace;
    return (user_array && pos == 0) || (attrs & NTSEC_SE_GROUP_ENABLED);
}

/* "The operand type MUST be either a SID literal, or a composite, each of
 * whose elements is a SID literal" ([MS-DTYP] 2.4.4.17.6): anything else,
 * an attribute included, is an error. An empty composite is an error too,
 * as Samba's conditional_ace.c treats it (Windows unverified). */
static int member_of(const struct ntsec__cond_context *ctx, const struct member_rule *rule,
                     const struct elem *arg)
{
    struct ntsec__cond_iter it;
    struct ntsec__cond_value v;
    bool all = true, some = false;

    if (arg->kind != E_LITERAL || arg->set.count == 0)
        return NTSEC__COND_ERROR;
    ntsec__cond_iter_init(&it, &arg->set);
    while (ntsec__cond_iter_next(&it, &v)) {
        bool found;

        if (v.kind != NTSEC__COND_V_SID)
            return NTSEC__COND_ERROR;
        found = has_sid(ctx, v.p, rule->device);
        all = all && found;
        some = some || found;
    }
    if (it.i != arg->set.count)
        return NTSEC__COND_ERROR;
    return tri((rule->any ? some : all) != rule->negate);
}

/* --- logic ------------------------------------------------------------------- */

/* The logical value of an operand ([MS-DTYP] 2.4.4.17.7): a literal is an
 * error, an attribute per its value, a result as it is. */
static int truth(const struct elem *e)
{
    if (e->kind == E_RESULT)
        return e->result;
    if (e->kind == E_LITERAL)
        return NTSEC__COND_ERROR;
    return ntsec__cond_truth(&e->set);
}

/* && and || by [MS-DTYP] 2.4.4.17.7: FALSE && x is FALSE, TRUE || x is
 * TRUE, otherwise an UNKNOWN operand makes the result UNKNOWN. */
static int logic(uint8_t code, const struct elem *l, const struct elem *r)
{
    int a = truth(l), b = truth(r);

    if (a == NTSEC__COND_ERROR || b == NTSEC__COND_ERROR)
        return NTSEC__COND_ERROR;
    if (code == 0xa0) {         /* && */
        if (a == NTSEC__COND_FALSE || b == NTSEC__COND_FALSE)
            return NTSEC__COND_FALSE;
        return a == NTSEC__COND_TRUE && b == NTSEC__COND_TRUE ? NTSEC__COND_TRUE
                                                              : NTSEC__COND_UNKNOWN;
    }
    if (a == NTSEC__COND_TRUE || b == NTSEC__COND_TRUE)     /* || */
        return NTSEC__COND_TRUE;
    return a == NTSEC__COND_FALSE && b == NTSEC__COND_FALSE ? NTSEC__COND_FALSE
                                                            : NTSEC__COND_UNKNOWN;
}

/* Exists: "If the type of the operand is Local Attribute: if the value is
 * non-null return TRUE, else FALSE; else if Resource Attribute: TRUE if
 * non-null, FALSE otherwise; else return Error" ([MS-DTYP] 2.4.4.17.7).
 * So Exists @User.x is an error: Windows evaluates Exists on a user claim
 * to UNKNOWN (Samba's conditional_ace_tests.py, empty_claim_boolean). */
static int exists(const struct elem *arg, bool negate)
{
    if (arg->kind != E_ATTR ||
        (arg->attr != NTSEC__COND_ATTR_LOCAL && arg->attr != NTSEC__COND_ATTR_RESOURCE))
        return NTSEC__COND_ERROR;
    return tri((arg->set.kind != NTSEC__COND_SET_NULL) != negate);
}

/* A relational operator: "LHS MUST be an attribute name", the right side
 * an attribute or a literal ([MS-DTYP] 2.4.4.17.6). */
static int relation(uint8_t code, const struct elem *l, const struct elem *r)
{
    if (l->kind != E_ATTR || r->kind == E_RESULT)
        return NTSEC__COND_ERROR;
    return ntsec__cond_relate(code, &l->set, &r->set, r->kind == E_LITERAL);
}

/* Apply operator `op` (from the token table) to the operands on top of
 * the stack; returns the result or NTSEC__COND_ERROR. */
static int apply(const struct ntsec__cond_context *ctx, const struct ntsec__cond_op *op,
                 const struct elem *l, const struct elem *r)
{
    switch (op->operand) {
    case NTSEC__COND_OPERAND_LOGICAL:
        if (op->kind == NTSEC__COND_KIND_UNARY) {       /* ! */
            int a = truth(r);
            return a == NTSEC__COND_ERROR ? a : invert(a);
        }
        return logic(op->code, l, r);
    case NTSEC__COND_OPERAND_ATTRIBUTE:
        return exists(r, op->code == 0x8d);
    case NTSEC__COND_OPERAND_SIDS:
        for (size_t i = 0; i < sizeof(member_rules) / sizeof(member_rules[0]); i++)
            if (member_rules[i].code == op->code)
                return member_of(ctx, &member_rules[i], r);
        return NTSEC__COND_ERROR;
    case NTSEC__COND_OPERAND_RELATION:
        return relation(op->code, l, r);
    default:
        return NTSEC__COND_ERROR;
    }
}

/* --- the machine ------------------------------------------------------------- */

/* Padding: once a zero byte is met, only zeros may follow ([MS-DTYP]
 * 2.4.4.17.4: the data is padded with zeros to the ACE's size). */
static bool only_zeros(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return false;
    return true;
}

enum ntsec__cond_result ntsec__cond_evaluate(const uint8_t *data, size_t len,
                                             const struct ntsec__cond_context *ctx)
{
    struct elem stack[STACK_MAX];
    size_t depth = 0, pos = NTSEC__COND_SIGNATURE_LEN;
    int r;

    if (!data || !ctx || len < NTSEC__COND_SIGNATURE_LEN ||
        memcmp(data, NTSEC__COND_SIGNATURE, NTSEC__COND_SIGNATURE_LEN) != 0)
        return NTSEC__COND_UNKNOWN;
    while (pos < len) {
        const struct ntsec__cond_op *op;
        struct elem *top;
        uint32_t n, count = 0;

        if (data[pos] == NTSEC__COND_PADDING) {
            if (!only_zeros(data + pos, len - pos))
                return NTSEC__COND_UNKNOWN;
            break;
        }
        op = ntsec__cond_op_by_code(data[pos]);
        if (!op || op->kind == NTSEC__COND_KIND_ATTR) {
            /* An operand: a literal or an attribute token. */
            if (depth == STACK_MAX)
                return NTSEC__COND_UNKNOWN;
            top = &stack[depth];
            memset(top, 0, sizeof(*top));
            if (!op) {
                size_t k = ntsec__cond_literal_len(data + pos, len - pos, COMPOSITE_DEPTH,
                                                   &count);
                if (!k)
                    return NTSEC__COND_UNKNOWN;
                top->kind = E_LITERAL;
                ntsec__cond_literal_set(data + pos, k, count, &top->set);
                pos += k;
            } else {
                /* [MS-DTYP] 2.4.4.17.8: a 4-byte length, then a UTF-16
                 * name of that many bytes. */
                if (len - pos < 5)
                    return NTSEC__COND_UNKNOWN;
                n = ntsec__cond_get32(data + pos + 1);
                if (n > len - pos - 5 || n % 2 || n == 0)
                    return NTSEC__COND_UNKNOWN;
                top->kind = E_ATTR;
                top->attr = data[pos];
                if (!ntsec__cond_lookup(ctx, data[pos], data + pos + 5, n, &top->set))
                    return NTSEC__COND_UNKNOWN;
                pos += 5 + (size_t)n;
            }
            depth++;
            continue;
        }
        /* An operator: pop one or two operands, push the result. */
        if (depth < (op->kind == NTSEC__COND_KIND_BINARY ? 2u : 1u))
            return NTSEC__COND_UNKNOWN;
        if (op->kind == NTSEC__COND_KIND_BINARY) {
            r = apply(ctx, op, &stack[depth - 2], &stack[depth - 1]);
            depth--;
        } else {
            r = apply(ctx, op, NULL, &stack[depth - 1]);
        }
        if (r == NTSEC__COND_ERROR)
            return NTSEC__COND_UNKNOWN;
        top = &stack[depth - 1];
        top->kind = E_RESULT;
        top->result = (uint8_t)r;
        pos++;
    }
    /* One operand must be left: the expression's value. A bare attribute
     * is its logical value ("(@User.smartcard)"). */
    if (depth != 1)
        return NTSEC__COND_UNKNOWN;
    r = truth(&stack[0]);
    return r == NTSEC__COND_ERROR ? NTSEC__COND_UNKNOWN : (enum ntsec__cond_result)r;
}
