/* condace_tokens.h - the tokens of conditional ACE expressions: byte codes
 * and SDDL spellings, shared by the compiler (condace_parse.c), the
 * formatter (condace_format.c) and resource-attribute claims (claim.c),
 * which spell names, integers, strings and SIDs the same way.
 *
 * Byte codes: [MS-DTYP] 2.4.4.17.4 - 2.4.4.17.8. SDDL spellings and
 * precedence: [MS-DTYP] 2.5.1.1 and Microsoft docs "Security Descriptor
 * Definition Language for Conditional ACEs". */
#ifndef NTSEC_LIBSEC_CONDACE_TOKENS_H
#define NTSEC_LIBSEC_CONDACE_TOKENS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ntsec/sid.h"
#include "ntsec/status.h"
#include "strbuf.h"

/* ApplicationData of a conditional ACE starts with "artx"
 * (ACE_CONDITION_SIGNATURE, [MS-DTYP] 2.4.4.17). */
#define NTSEC__COND_SIGNATURE       "artx"
#define NTSEC__COND_SIGNATURE_LEN   4

/* Literal tokens, [MS-DTYP] 2.4.4.17.5. Integers are 8 value bytes, a sign
 * byte and a base byte whatever their width; the others are a 4-byte
 * length in bytes followed by that many bytes. */
#define NTSEC__COND_PADDING         0x00
#define NTSEC__COND_INT8            0x01
#define NTSEC__COND_INT16           0x02
#define NTSEC__COND_INT32           0x03
#define NTSEC__COND_INT64           0x04
#define NTSEC__COND_UNICODE         0x10
#define NTSEC__COND_OCTET           0x18
#define NTSEC__COND_COMPOSITE       0x50
#define NTSEC__COND_SID             0x51

/* Attribute tokens, [MS-DTYP] 2.4.4.17.8: a 4-byte length, UTF-16 name. */
#define NTSEC__COND_ATTR_LOCAL      0xf8
#define NTSEC__COND_ATTR_USER       0xf9
#define NTSEC__COND_ATTR_RESOURCE   0xfa
#define NTSEC__COND_ATTR_DEVICE     0xfb

/* Sign and base bytes of integer literals ([MS-DTYP] 2.4.4.17.5): only
 * for display, so that the text round-trips. */
#define NTSEC__COND_SIGN_PLUS       0x01
#define NTSEC__COND_SIGN_MINUS      0x02
#define NTSEC__COND_SIGN_NONE       0x03
#define NTSEC__COND_BASE_OCTAL      0x01
#define NTSEC__COND_BASE_DECIMAL    0x02
#define NTSEC__COND_BASE_HEX        0x03

/* Integer literal: 1 code + 8 value + 1 sign + 1 base. */
#define NTSEC__COND_INT_TOKEN_LEN   11

enum ntsec__cond_kind {
    NTSEC__COND_KIND_ATTR,      /* attribute token; sddl is its prefix */
    NTSEC__COND_KIND_UNARY,     /* operator written before its operand */
    NTSEC__COND_KIND_BINARY,    /* operator written between its operands */
};

/* What an operator takes ([MS-DTYP] 2.5.1.1 grammar). */
enum ntsec__cond_operand {
    NTSEC__COND_OPERAND_NONE,       /* attribute tokens */
    NTSEC__COND_OPERAND_LOGICAL,    /* ! && ||: conditional expressions */
    NTSEC__COND_OPERAND_ATTRIBUTE,  /* Exists: one attribute name */
    NTSEC__COND_OPERAND_SIDS,       /* Member_of...: a literal (SID, {SIDs}) */
    NTSEC__COND_OPERAND_RELATION,   /* == ... Any_of: attribute, then an
                                       @-attribute or a literal */
};

struct ntsec__cond_op {
    uint8_t     code;
    const char *sddl;       /* what Windows writes (matched case-insensitively) */
    uint8_t     kind;       /* enum ntsec__cond_kind */
    uint8_t     operand;    /* enum ntsec__cond_operand */
    uint8_t     precedence; /* 1 binds tightest; 0 for attribute tokens */
};

/* The one table of operator and attribute tokens, and its length. */
extern const struct ntsec__cond_op ntsec__cond_ops[];
extern const size_t ntsec__cond_op_count;

/* The entry for byte code `code`, NULL when it is not an operator or an
 * attribute token. */
const struct ntsec__cond_op *ntsec__cond_op_by_code(uint8_t code);

/* The operator of `kind` whose spelling is exactly `word` (`len` bytes,
 * ASCII case ignored), NULL when none. */
const struct ntsec__cond_op *ntsec__cond_op_by_name(const char *word, size_t len,
                                                    enum ntsec__cond_kind kind);

/* Precedence of && and || (the loosest level), for callers that parse a
 * whole expression. */
#define NTSEC__COND_PREC_LOWEST     5

/* --- literal spellings shared with resource attributes ----------------- */

/* Characters of a simple (local) attribute name and of words:
 * ALPHA / DIGIT / ":" / "." / "/" / "_" ([MS-DTYP] 2.5.1.1 attr-char1). */
bool ntsec__cond_is_attr_char1(unsigned char c);

/* SDDL white space: %x09-0D / %x20 ([MS-DTYP] 2.5.1.1 wspace). */
bool ntsec__cond_is_space(unsigned char c);

/* An integer literal at text[*pos] (sign, then decimal, 0-octal or
 * 0x-hex digits), as [MS-DTYP] 2.5.1.1 int-literal. On success advances
 * *pos and gives the value (two's complement) and the sign and base bytes.
 * NTSEC_STATUS_INVALID_ACE_CONDITION for no digits, a digit not of the
 * base, a letter glued to the number, or a value out of range. */
ntsec_status ntsec__cond_int_parse(const char *text, size_t len, size_t *pos,
                                   int64_t *value, uint8_t *sign, uint8_t *base);

/* Write `value` with its sign and base bytes as Windows does ("-0x10",
 * "017", "+5"). false when sign/base are not valid bytes or contradict the
 * value (a "+" on a negative number). */
bool ntsec__cond_int_format(struct ntsec__strbuf *sb, int64_t value, uint8_t sign,
                            uint8_t base);

/* Decode an @-attribute or claim name of `len` bytes (UTF-8, "%hhhh"
 * escapes for UTF-16 code units) into UTF-16, allocated (release with
 * ntsec__free). *bad (when not NULL) is set to the offset of a malformed
 * escape or invalid UTF-8. */
ntsec_status ntsec__cond_name_decode(const char *text, size_t len, uint16_t **out,
                                     size_t *out_units, size_t *bad);

/* Write a UTF-16LE attribute or claim name (`units` code units at
 * `utf16le`, as stored in the binary forms), escaping as "%hhhh" what
 * SDDL cannot hold literally. */
void ntsec__cond_name_format(struct ntsec__strbuf *sb, const uint8_t *utf16le, size_t units);

/* Parse the SID string or alias that is all of text[0..len) ("S-1-5-32-544",
 * "BA", case ignored as Windows does). INVALID_ACE_CONDITION when it is not
 * one (domain-relative aliases need a domain: none here). */
ntsec_status ntsec__cond_sid_parse(const char *text, size_t len, struct ntsec_sid *out);

/* Write a SID as SDDL does: its alias, else "S-1-...". */
void ntsec__cond_sid_format(struct ntsec__strbuf *sb, const struct ntsec_sid *sid);

/* Little-endian helpers for the binary forms (data may be unaligned). */
static inline uint32_t ntsec__cond_get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static inline void ntsec__cond_put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}

static inline uint64_t ntsec__cond_get64(const uint8_t *p)
{
    return (uint64_t)ntsec__cond_get32(p) | (uint64_t)ntsec__cond_get32(p + 4) << 32;
}

static inline void ntsec__cond_put64(uint8_t *p, uint64_t v)
{
    ntsec__cond_put32(p, (uint32_t)v);
    ntsec__cond_put32(p + 4, (uint32_t)(v >> 32));
}

#endif
