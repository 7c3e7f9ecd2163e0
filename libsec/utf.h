/* utf.h - UTF-8 <-> UTF-16LE, strict. libsec works in UTF-8; the binary
 * forms Windows defines (conditional-ACE strings, claim names) and the W
 * functions of emul/ are UTF-16. */
#ifndef NTSEC_LIBSEC_UTF_H
#define NTSEC_LIBSEC_UTF_H

#include <stddef.h>
#include <stdint.h>

#include "ntsec/status.h"

/* Convert `len` bytes of UTF-8 to UTF-16 code units, allocated (NUL
 * terminated, *out_len units without the NUL); release with ntsec__free.
 * NTSEC_STATUS_UNMAPPABLE_CHARACTER for invalid UTF-8. */
ntsec_status ntsec__utf8_to_utf16(const char *in, size_t len, uint16_t **out, size_t *out_len);

/* Convert `len` UTF-16 units to UTF-8, allocated and NUL terminated;
 * release with ntsec__free. Unpaired surrogates:
 * NTSEC_STATUS_UNMAPPABLE_CHARACTER. */
ntsec_status ntsec__utf16_to_utf8(const uint16_t *in, size_t len, char **out, size_t *out_len);

/* Length of a NUL-terminated UTF-16 string, in units. */
size_t ntsec__utf16_len(const uint16_t *s);

#endif
