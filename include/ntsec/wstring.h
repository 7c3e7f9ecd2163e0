/* ntsec/wstring.h - UTF-16 strings for callers of the Windows ABI.
 *
 * The native API speaks UTF-8; Windows' W functions speak UTF-16 (WCHAR,
 * two bytes). These convert between the two with ntsec's allocator, so the
 * results are released with ntsec_mem_free() (LocalFree in the emulated
 * kernel32 does the same). */
#ifndef NTSEC_WSTRING_H
#define NTSEC_WSTRING_H

#include <stddef.h>
#include <stdint.h>

#include "ntsec/status.h"

/* Units in a NUL-terminated UTF-16 string, without the NUL. */
size_t ntsec_wstr_len(const uint16_t *s);

/* Convert the NUL-terminated UTF-16 string `s` to UTF-8, allocated and
 * NUL-terminated (*out_len bytes without the NUL; out_len optional).
 * An unpaired surrogate becomes U+FFFD, as Windows' WideCharToMultiByte
 * (CP_UTF8, no WC_ERR_INVALID_CHARS) does, so a parser downstream rejects
 * it where it rejects any other unexpected character.
 * NTSEC_STATUS_NO_MEMORY when out of memory; *out untouched on failure. */
ntsec_status ntsec_wstr_to_utf8(const uint16_t *s, char **out, size_t *out_len);

/* Convert `len` bytes of UTF-8 to a NUL-terminated UTF-16 string, allocated
 * (*out_len units without the NUL; out_len optional).
 * NTSEC_STATUS_UNMAPPABLE_CHARACTER for invalid UTF-8,
 * NTSEC_STATUS_NO_MEMORY when out of memory; *out untouched on failure. */
ntsec_status ntsec_utf8_to_wstr(const char *s, size_t len, uint16_t **out, size_t *out_len);

#endif
