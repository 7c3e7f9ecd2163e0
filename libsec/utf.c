/* utf.c - strict UTF-8 <-> UTF-16 conversion (no overlongs, no surrogates
 * in UTF-8, no unpaired surrogates in UTF-16). */
#include "alloc.h"
#include "utf.h"

/* Decode one code point at s[*i]; -1 when malformed. */
static int32_t utf8_next(const unsigned char *s, size_t len, size_t *i)
{
    unsigned char c = s[*i];
    int32_t cp;
    size_t n;

    if (c < 0x80) { *i += 1; return c; }
    if (c >= 0xC2 && c <= 0xDF) { n = 1; cp = c & 0x1F; }
    else if (c >= 0xE0 && c <= 0xEF) { n = 2; cp = c & 0x0F; }
    else if (c >= 0xF0 && c <= 0xF4) { n = 3; cp = c & 0x07; }
    else return -1;
    if (*i + n >= len)      /* the continuation bytes run past the end */
        return -1;
    for (size_t k = 1; k <= n; k++) {
        if ((s[*i + k] & 0xC0) != 0x80)
            return -1;
        cp = (cp << 6) | (s[*i + k] & 0x3F);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return -1;
    *i += n + 1;
    return cp;
}

ntsec_status ntsec__utf8_to_utf16(const char *in, size_t len, uint16_t **out, size_t *out_len)
{
    const unsigned char *s = (const unsigned char *)in;
    uint16_t *w;
    size_t i = 0, units = 0;

    /* First pass: validate and count. */
    while (i < len) {
        int32_t cp = utf8_next(s, len, &i);
        if (cp < 0)
            return NTSEC_STATUS_UNMAPPABLE_CHARACTER;
        units += cp >= 0x10000 ? 2 : 1;
    }
    w = ntsec__alloc((units + 1) * sizeof(*w));
    if (!w)
        return NTSEC_STATUS_NO_MEMORY;
    units = 0;
    for (i = 0; i < len;) {
        int32_t cp = utf8_next(s, len, &i);
        if (cp >= 0x10000) {
            cp -= 0x10000;
            w[units++] = (uint16_t)(0xD800 | (cp >> 10));
            w[units++] = (uint16_t)(0xDC00 | (cp & 0x3FF));
        } else {
            w[units++] = (uint16_t)cp;
        }
    }
    w[units] = 0;
    *out = w;
    if (out_len)
        *out_len = units;
    return NTSEC_STATUS_SUCCESS;
}

/* Decode one code point at in[*i]; -1 for an unpaired surrogate. */
static int32_t utf16_next(const uint16_t *in, size_t len, size_t *i)
{
    uint16_t u = in[(*i)++];

    if (u < 0xD800 || u > 0xDFFF)
        return u;
    if (u > 0xDBFF || *i >= len || in[*i] < 0xDC00 || in[*i] > 0xDFFF)
        return -1;
    return 0x10000 + (((int32_t)u - 0xD800) << 10) + (in[(*i)++] - 0xDC00);
}

static size_t utf8_units(int32_t cp)
{
    return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

ntsec_status ntsec__utf16_to_utf8(const uint16_t *in, size_t len, char **out, size_t *out_len)
{
    size_t i = 0, bytes = 0;
    unsigned char *p, *s;

    while (i < len) {
        int32_t cp = utf16_next(in, len, &i);
        if (cp < 0)
            return NTSEC_STATUS_UNMAPPABLE_CHARACTER;
        bytes += utf8_units(cp);
    }
    s = p = ntsec__alloc(bytes + 1);
    if (!s)
        return NTSEC_STATUS_NO_MEMORY;
    for (i = 0; i < len;) {
        int32_t cp = utf16_next(in, len, &i);
        switch (utf8_units(cp)) {
        case 1: *p++ = (unsigned char)cp; break;
        case 2: *p++ = (unsigned char)(0xC0 | (cp >> 6));
                *p++ = (unsigned char)(0x80 | (cp & 0x3F)); break;
        case 3: *p++ = (unsigned char)(0xE0 | (cp >> 12));
                *p++ = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
                *p++ = (unsigned char)(0x80 | (cp & 0x3F)); break;
        default: *p++ = (unsigned char)(0xF0 | (cp >> 18));
                *p++ = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
                *p++ = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
                *p++ = (unsigned char)(0x80 | (cp & 0x3F)); break;
        }
    }
    *p = 0;
    *out = (char *)s;
    if (out_len)
        *out_len = bytes;
    return NTSEC_STATUS_SUCCESS;
}

size_t ntsec__utf16_len(const uint16_t *s)
{
    size_t n = 0;

    while (s[n])
        n++;
    return n;
}
