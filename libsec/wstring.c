/* wstring.c - the public UTF-16 <-> UTF-8 conversions the Windows ABI layer
 * needs for its W functions (ntsec/wstring.h), over libsec's strict
 * converters (utf.h). */
#include "ntsec/wstring.h"
#include <stdbool.h>

#include "alloc.h"
#include "utf.h"

size_t ntsec_wstr_len(const uint16_t *s)
{
    return ntsec__utf16_len(s);
}

static bool is_high(uint16_t u) { return u >= 0xD800 && u <= 0xDBFF; }
static bool is_low(uint16_t u) { return u >= 0xDC00 && u <= 0xDFFF; }

ntsec_status ntsec_wstr_to_utf8(const uint16_t *s, char **out, size_t *out_len)
{
    size_t len = ntsec__utf16_len(s), i;
    uint16_t *fixed = NULL;
    ntsec_status st;

    /* Windows' UTF-8 conversion without WC_ERR_INVALID_CHARS replaces an
     * unpaired surrogate by U+FFFD (Microsoft docs, WideCharToMultiByte,
     * Remarks); the strict converter refuses them, so patch a copy. */
    for (i = 0; i < len; i++) {
        bool paired = (is_high(s[i]) && i + 1 < len && is_low(s[i + 1])) ||
                      (is_low(s[i]) && i > 0 && is_high(s[i - 1]));
        if ((is_high(s[i]) || is_low(s[i])) && !paired)
            break;
    }
    if (i < len) {
        fixed = ntsec__alloc((len + 1) * sizeof(*fixed));
        if (!fixed)
            return NTSEC_STATUS_NO_MEMORY;
        for (i = 0; i < len; i++) {
            bool paired = (is_high(s[i]) && i + 1 < len && is_low(s[i + 1])) ||
                          (is_low(s[i]) && i > 0 && is_high(s[i - 1]));
            fixed[i] = (is_high(s[i]) || is_low(s[i])) && !paired ? 0xFFFD : s[i];
        }
        fixed[len] = 0;
        s = fixed;
    }
    st = ntsec__utf16_to_utf8(s, len, out, out_len);
    ntsec__free(fixed);
    return st;
}

ntsec_status ntsec_utf8_to_wstr(const char *s, size_t len, uint16_t **out, size_t *out_len)
{
    return ntsec__utf8_to_utf16(s, len, out, out_len);
}
