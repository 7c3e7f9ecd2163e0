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
 * "(...)" of the ACE string's condition field, outer parentheses included)
 * into application data, allocated (release with ntsec__free), padded with
 * zeros to a multiple of 4 as Windows does. On failure returns
 * NTSEC_STATUS_INVALID_ACE_CONDITION (or NO_MEMORY) and, when err_offset
 * is given, the byte offset in `text` where it went wrong. */
ntsec_status ntsec__cond_compile(const char *text, size_t len, uint8_t **data,
                                 size_t *data_len, size_t *err_offset);

/* Append the SDDL text of conditional application data `data` (starting
 * with "artx") to `out`, outer parentheses included, in the canonical form
 * Windows' ConvertSecurityDescriptorToStringSecurityDescriptor writes.
 * NTSEC_STATUS_INVALID_ACE_CONDITION for malformed data. */
ntsec_status ntsec__cond_format(const uint8_t *data, size_t len, struct ntsec__strbuf *out);

/* Resource attribute ACE: compile the SDDL attribute text
 * ("Name",TYPE,FLAGS,VALUE[,VALUE...]) - outer parentheses included - into
 * a CLAIM_SECURITY_ATTRIBUTE_RELATIVE_V1, allocated. */
ntsec_status ntsec__claim_compile(const char *text, size_t len, uint8_t **data,
                                  size_t *data_len, size_t *err_offset);

/* Append the SDDL text of a CLAIM_SECURITY_ATTRIBUTE_RELATIVE_V1. */
ntsec_status ntsec__claim_format(const uint8_t *data, size_t len, struct ntsec__strbuf *out);

#endif
