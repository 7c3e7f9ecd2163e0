/* condace.h - conditional ACE expressions and resource-attribute claims:
 * the SDDL text of each and Windows' binary form.
 *
 * Conditional (callback) ACEs carry their condition as application data
 * starting with the signature "artx" ([MS-DTYP] 2.4.4.17); resource
 * attribute ACEs carry a CLAIM_SECURITY_ATTRIBUTE_RELATIVE_V1
 * ([MS-DTYP] 2.4.10.1). The SDDL layer (sddl_*.c) calls these to turn the
 * last field of an ACE string into those bytes and back. */
#ifndef NTSEC_LIBSEC_CONDACE_H
#define NTSEC_LIBSEC_CONDACE_H

#include <stddef.h>
#include <stdint.h>

#include "ntsec/status.h"
#include "strbuf.h"

/* Compile the conditional expression `text` (`len` bytes, the whole
 * "(...)" of the ACE string's condition field, outer parentheses included;
 * white space around it is allowed) into application data, allocated
 * (release with ntsec__free): "artx", the tokens in reverse Polish order,
 * zeros to a multiple of 4, as Windows does. SID(...) takes a SID string or
 * a machine alias; domain-relative aliases (DU, DA, ...) have no domain
 * here and are refused. On failure returns
 * NTSEC_STATUS_INVALID_ACE_CONDITION and, when err_offset is given, the
 * byte offset in `text` where it went wrong; NO_MEMORY; or
 * INVALID_PARAMETER for NULL pointers. Outputs change only on success
 * (err_offset only on INVALID_ACE_CONDITION). docs/conditional-aces.md
 * lists the syntax. */
ntsec_status ntsec__cond_compile(const char *text, size_t len, uint8_t **data,
                                 size_t *data_len, size_t *err_offset);

/* Append the SDDL text of conditional application data `data` (`len`
 * bytes, starting with "artx", trailing zero padding allowed) to `out`,
 * outer parentheses included, in the canonical form Windows'
 * ConvertSecurityDescriptorToStringSecurityDescriptor writes.
 * NTSEC_STATUS_INVALID_ACE_CONDITION for malformed data (no "artx", a
 * truncated or unknown token, an operator without operands, operands left
 * over, bytes after the padding, a string holding '"'); nothing is read
 * past `len` and `out` is unchanged. NO_MEMORY when `out` could not grow. */
ntsec_status ntsec__cond_format(const uint8_t *data, size_t len, struct ntsec__strbuf *out);

/* Resource attribute ACE: compile the SDDL attribute text
 * ("Name",TYPE,FLAGS[,VALUE...]) - outer parentheses included; TYPE one of
 * TI TU TS TD TX TB - into a CLAIM_SECURITY_ATTRIBUTE_RELATIVE_V1
 * ([MS-DTYP] 2.4.10.1), allocated, zero-padded to a multiple of 4 as the
 * ACE holding it is. Errors as ntsec__cond_compile. */
ntsec_status ntsec__claim_compile(const char *text, size_t len, uint8_t **data,
                                  size_t *data_len, size_t *err_offset);

/* Append the SDDL text of a CLAIM_SECURITY_ATTRIBUTE_RELATIVE_V1 of `len`
 * bytes (trailing padding allowed) in Windows' canonical form
 * ("Name",TS,0x0,"a","b"). INVALID_ACE_CONDITION for a malformed claim
 * (offsets or lengths past `len`, unknown type, name under 4 bytes);
 * `out` is then unchanged. */
ntsec_status ntsec__claim_format(const uint8_t *data, size_t len, struct ntsec__strbuf *out);

#endif
