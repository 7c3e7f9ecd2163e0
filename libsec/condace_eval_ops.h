/* condace_eval_ops.h - what the conditional-expression stack machine
 * (condace_eval.c) shares with the value operations it calls
 * (condace_eval_ops.c): the values an operand stands for, attribute
 * lookup, and the relational operators. Nothing outside those two files
 * includes it. */
#ifndef NTSEC_LIBSEC_CONDACE_EVAL_OPS_H
#define NTSEC_LIBSEC_CONDACE_EVAL_OPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "condace_eval.h"

/* Beside TRUE/FALSE/UNKNOWN: a processing rule failed, so the whole
 * expression is UNKNOWN ([MS-DTYP] 2.4.4.17.6 / 2.4.4.17.7: "If any
 * processing rule returns an error, then the entire conditional
 * expression evaluates to UNKNOWN"). Never returned to the caller. */
#define NTSEC__COND_ERROR 3

/* One scalar value, pointing into the expression, a claim of the token or
 * a resource attribute; nothing is copied. */
enum ntsec__cond_vkind {
    NTSEC__COND_V_INT,          /* signed 64-bit: literals, INT64 claims */
    NTSEC__COND_V_UINT,         /* UINT64 claims */
    NTSEC__COND_V_BOOL,         /* BOOLEAN claims (0 or 1) */
    NTSEC__COND_V_STR16,        /* UTF-16LE bytes (expression, resource claims) */
    NTSEC__COND_V_STR8,         /* UTF-8 (token claims) */
    NTSEC__COND_V_OCTET,        /* bytes */
    NTSEC__COND_V_SID,          /* SID bytes */
    NTSEC__COND_V_COMPOSITE,    /* a composite nested in a composite */
};

struct ntsec__cond_value {
    uint8_t kind;               /* enum ntsec__cond_vkind */
    bool case_sensitive;        /* CLAIM_SECURITY_ATTRIBUTE_VALUE_CASE_SENSITIVE */
    int64_t i;                  /* V_INT */
    uint64_t u;                 /* V_UINT, V_BOOL */
    const uint8_t *p;           /* STR16, OCTET, SID, COMPOSITE body; STR8 text */
    size_t n;                   /* bytes at p */
};

/* What an operand stands for: a set of values. */
enum ntsec__cond_set_kind {
    NTSEC__COND_SET_NULL,       /* an attribute the context does not have */
    NTSEC__COND_SET_SCALAR,     /* a literal other than a composite */
    NTSEC__COND_SET_COMPOSITE,  /* a composite literal */
    NTSEC__COND_SET_CLAIM,      /* a user or device claim of the token */
    NTSEC__COND_SET_RESOURCE,   /* a CLAIM_SECURITY_ATTRIBUTE_RELATIVE_V1 of an RA ACE */
};

struct ntsec__cond_set {
    uint8_t kind;               /* enum ntsec__cond_set_kind */
    uint32_t count;             /* values in the set */
    struct ntsec__cond_value one;               /* SCALAR */
    const uint8_t *p;           /* COMPOSITE body, RESOURCE claim bytes */
    size_t n;
    const struct ntsec_claim *claim;            /* CLAIM */
};

/* Walks the values of a set in order. */
struct ntsec__cond_iter {
    const struct ntsec__cond_set *set;
    uint32_t i;
    size_t off;                 /* COMPOSITE: next element */
};

static inline void ntsec__cond_iter_init(struct ntsec__cond_iter *it,
                                         const struct ntsec__cond_set *set)
{
    it->set = set;
    it->i = 0;
    it->off = 0;
}

/* The next value; false at the end (or for a value that cannot be read:
 * sets are checked when made, so that means the end). */
bool ntsec__cond_iter_next(struct ntsec__cond_iter *it, struct ntsec__cond_value *v);

/* Bytes the literal token at p (code byte included) takes, checked against
 * `avail`: integers with a valid sign and base byte and a value inside
 * their width, strings of an even length, SIDs valid and exactly as long
 * as their length says, composites whose elements are all literals
 * (nested at most `depth` deep). *count receives a composite's element
 * count. 0 when malformed. */
size_t ntsec__cond_literal_len(const uint8_t *p, size_t avail, unsigned depth,
                               uint32_t *count);

/* The value of a literal token checked by ntsec__cond_literal_len (a
 * composite gives one V_COMPOSITE value). */
void ntsec__cond_literal_value(const uint8_t *p, struct ntsec__cond_value *v);

/* The set a literal token (checked by ntsec__cond_literal_len) stands for. */
void ntsec__cond_literal_set(const uint8_t *p, size_t len, uint32_t count,
                             struct ntsec__cond_set *out);

/* Look up the attribute token `code` named by `name_bytes` UTF-16LE bytes:
 * user and device claims in the token, resource attributes in the SACL,
 * local attributes (the token has none). *out is SET_NULL when absent.
 * false on a malformed resource attribute or claim (an error). */
bool ntsec__cond_lookup(const struct ntsec__cond_context *ctx, uint8_t code,
                        const uint8_t *name, size_t name_bytes, struct ntsec__cond_set *out);

/* The logical value of an attribute operand ([MS-DTYP] 2.4.4.17.7). */
int ntsec__cond_truth(const struct ntsec__cond_set *set);

/* A relational operator (== != < <= > >= Contains Any_of and the Not_
 * forms) on an attribute `lhs` and an attribute or literal `rhs`
 * (rhs_literal). Returns TRUE, FALSE, UNKNOWN or NTSEC__COND_ERROR. */
int ntsec__cond_relate(uint8_t code, const struct ntsec__cond_set *lhs,
                       const struct ntsec__cond_set *rhs, bool rhs_literal);

#endif
