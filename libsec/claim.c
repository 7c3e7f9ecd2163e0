/* claim.c - resource attribute claims: the SDDL of a resource attribute
 * ACE's last field, ("Name",TYPE,FLAGS,VALUE,...), and the
 * CLAIM_SECURITY_ATTRIBUTE_RELATIVE_V1 it stands for ([MS-DTYP] 2.4.10.1).
 *
 * The binary form: a 16-byte header (Name offset, ValueType, Reserved,
 * Flags, ValueCount), ValueCount 4-byte offsets, then the name (UTF-16,
 * NUL-terminated) and the values in order, packed without alignment, as
 * Windows lays them out (Samba's
 * libcli/security/tests/data/short-conditional-and-resource-aces-*.json,
 * generated on Windows: "(\"colour\",TS,0,\"blue\")" is 14 00 00 00 03 00
 * 00 00 00 00 00 00 01 00 00 00 22 00 00 00 "colour\0" "blue\0"). */
#include <string.h>

#include "alloc.h"
#include "condace.h"
#include "condace_tokens.h"
#include "utf.h"

#define HEADER_LEN 16

/* ValueType codes ([MS-DTYP] 2.4.10.1) and their SDDL letters
 * ([MS-DTYP] 2.5.1 "TI" / "TU" / "TS" / "TD" / "TX" / "TB"). */
enum value_kind { V_INT, V_UINT, V_STRING, V_SID, V_BOOL, V_OCTET };

static const struct claim_type {
    uint16_t code;
    char     letter;
    uint8_t  kind;
} claim_types[] = {
    { 0x0001, 'I', V_INT },
    { 0x0002, 'U', V_UINT },
    { 0x0003, 'S', V_STRING },
    { 0x0005, 'D', V_SID },
    { 0x0006, 'B', V_BOOL },
    { 0x0010, 'X', V_OCTET },
};

#define N_TYPES (sizeof(claim_types) / sizeof(claim_types[0]))

static const struct claim_type *type_by_letter(char c)
{
    if (c >= 'a' && c <= 'z')
        c = (char)(c - 'a' + 'A');
    for (size_t i = 0; i < N_TYPES; i++)
        if (claim_types[i].letter == c)
            return &claim_types[i];
    return NULL;
}

static const struct claim_type *type_by_code(uint16_t code)
{
    for (size_t i = 0; i < N_TYPES; i++)
        if (claim_types[i].code == code)
            return &claim_types[i];
    return NULL;
}

/* --- text -> binary ----------------------------------------------------------- */

struct cparser {
    const char *s;
    size_t      len;
    size_t      pos;
    uint8_t    *out;        /* NULL while measuring */
    size_t      size;       /* bytes of the value area written or measured */
    size_t      values_at;  /* where the values start */
    uint32_t    count;
    ntsec_status st;
    size_t      err;
};

static bool cfail_at(struct cparser *p, size_t where, ntsec_status st)
{
    if (ntsec_success(p->st)) {
        p->st = st;
        p->err = where;
    }
    return false;
}

static bool cfail(struct cparser *p)
{
    return cfail_at(p, p->pos, NTSEC_STATUS_INVALID_ACE_CONDITION);
}

static void cspace(struct cparser *p)
{
    while (p->pos < p->len && ntsec__cond_is_space((unsigned char)p->s[p->pos]))
        p->pos++;
}

static bool cexpect(struct cparser *p, char c)
{
    cspace(p);
    if (p->pos >= p->len || p->s[p->pos] != c)
        return cfail(p);
    p->pos++;
    cspace(p);
    return true;
}

/* Append `n` bytes of a value (or only count them while measuring). */
static void put(struct cparser *p, const void *b, size_t n)
{
    if (p->out)
        memcpy(p->out + p->values_at + p->size, b, n);
    p->size += n;
}

static void put_offset(struct cparser *p)
{
    if (p->out)
        ntsec__cond_put32(p->out + HEADER_LEN + 4 * p->count,
                          (uint32_t)(p->values_at + p->size));
    p->count++;
}

static bool value_int(struct cparser *p, uint8_t kind)
{
    size_t start = p->pos;
    uint8_t b[8], sign, base;
    int64_t v;

    if (!ntsec_success(ntsec__cond_int_parse(p->s, p->len, &p->pos, &v, &sign, &base)))
        return cfail_at(p, start, NTSEC_STATUS_INVALID_ACE_CONDITION);
    /* TU takes no negative number, TB only 0 and 1 ([MS-DTYP] 2.4.10.1:
     * "The value 1 indicates TRUE, and the value 0 indicates FALSE"). */
    if ((kind == V_UINT && sign == NTSEC__COND_SIGN_MINUS && v != 0) ||
        (kind == V_BOOL && v != 0 && v != 1))
        return cfail_at(p, start, NTSEC_STATUS_INVALID_ACE_CONDITION);
    ntsec__cond_put64(b, (uint64_t)v);
    put(p, b, 8);
    return true;
}

static bool value_string(struct cparser *p)
{
    size_t start = p->pos + 1, units;
    uint16_t *w;
    ntsec_status st;

    if (p->pos >= p->len || p->s[p->pos] != '"')
        return cfail(p);
    p->pos = start;
    while (p->pos < p->len && p->s[p->pos] != '"')
        p->pos++;
    if (p->pos >= p->len)
        return cfail_at(p, start - 1, NTSEC_STATUS_INVALID_ACE_CONDITION);
    st = ntsec__utf8_to_utf16(p->s + start, p->pos - start, &w, &units);
    if (!ntsec_success(st))
        return cfail_at(p, start, st == NTSEC_STATUS_NO_MEMORY ? st :
                        NTSEC_STATUS_INVALID_ACE_CONDITION);
    p->pos++;
    for (size_t i = 0; i <= units; i++) {      /* with its NUL */
        uint8_t b[2] = { (uint8_t)w[i], (uint8_t)(w[i] >> 8) };
        put(p, b, 2);
    }
    ntsec__free(w);
    return true;
}

/* A SID value is bare ("S-1-5-32-544" or "BA"), not SID(...), and is
 * stored as CLAIM_SECURITY_ATTRIBUTE_OCTET_STRING_RELATIVE: a 4-byte
 * length, then the SID ([MS-DTYP] 2.4.10.1, TYPE_SID). */
static bool value_sid(struct cparser *p)
{
    size_t start = p->pos;
    struct ntsec_sid sid;
    uint8_t b[4];

    while (p->pos < p->len && (p->s[p->pos] == '-' ||
                               ntsec__cond_is_attr_char1((unsigned char)p->s[p->pos])))
        p->pos++;
    if (!ntsec_success(ntsec__cond_sid_parse(p->s + start, p->pos - start, &sid)))
        return cfail_at(p, start, NTSEC_STATUS_INVALID_ACE_CONDITION);
    ntsec__cond_put32(b, (uint32_t)ntsec_sid_length(&sid));
    put(p, b, 4);
    put(p, &sid, ntsec_sid_length(&sid));
    return true;
}

/* Octet strings are bare hex digits ('#' standing for 0, an odd count
 * getting a leading 0), unlike the "#..." of conditions: Windows reads
 * "0077" as 00 77 (Samba's short-conditional-and-resource-aces-tx-int.json,
 * generated on Windows; the rules for '#' follow Samba's
 * sddl_conditional_ace.c parse_ra_octet_string). */
static bool value_octet(struct cparser *p)
{
    size_t start = p->pos, n, odd;
    uint8_t b[4];

    while (p->pos < p->len && strchr("#0123456789abcdefABCDEF", p->s[p->pos]) && p->s[p->pos])
        p->pos++;
    n = p->pos - start;
    if (n == 0 || (p->pos < p->len && ntsec__cond_is_attr_char1((unsigned char)p->s[p->pos])))
        return cfail(p);
    odd = n & 1;
    ntsec__cond_put32(b, (uint32_t)((n + odd) / 2));
    put(p, b, 4);
    for (size_t k = 0; k < (n + odd) / 2; k++) {
        uint8_t byte = 0;
        for (size_t h = 0; h < 2; h++) {
            size_t i = 2 * k + h;
            char c = i < odd ? '0' : p->s[start + i - odd];
            int d = c == '#' ? 0 : c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
            byte = (uint8_t)(byte << 4 | d);
        }
        put(p, &byte, 1);
    }
    return true;
}

/* One pass over the text: measures when p->out is NULL, else writes.
 * The header and the name are written by the caller. */
static bool parse_claim(struct cparser *p, size_t *name_start, size_t *name_end,
                        const struct claim_type **type, uint32_t *flags)
{
    int64_t v;
    uint8_t sign, base;
    size_t at;

    p->pos = 0;
    p->size = 0;
    p->count = 0;
    if (!cexpect(p, '(') || !cexpect(p, '"'))
        return false;
    *name_start = p->pos;
    while (p->pos < p->len && p->s[p->pos] != '"')
        p->pos++;
    *name_end = p->pos;
    if (p->pos >= p->len || *name_end == *name_start)
        return cfail(p);
    p->pos++;
    if (!cexpect(p, ','))
        return false;
    if (p->len - p->pos < 2 || (p->s[p->pos] != 'T' && p->s[p->pos] != 't') ||
        !(*type = type_by_letter(p->s[p->pos + 1])))
        return cfail(p);
    p->pos += 2;
    if (!cexpect(p, ','))
        return false;
    /* Flags: a 32-bit number; Windows writes it back in hex ("0x0").
     * The 0xff00 bits are refused, as Samba does (sddl_decode_resource_attr:
     * "stepping on reserved 0xff00 range"). */
    at = p->pos;
    if (!ntsec_success(ntsec__cond_int_parse(p->s, p->len, &p->pos, &v, &sign, &base)) ||
        v < 0 || v > (int64_t)UINT32_MAX || (v & 0xff00))
        return cfail_at(p, at, NTSEC_STATUS_INVALID_ACE_CONDITION);
    *flags = (uint32_t)v;
    for (;;) {
        bool ok;

        cspace(p);
        if (p->pos < p->len && p->s[p->pos] == ')')
            break;
        if (!cexpect(p, ','))
            return false;
        put_offset(p);
        switch ((*type)->kind) {
        case V_STRING: ok = value_string(p); break;
        case V_SID:    ok = value_sid(p); break;
        case V_OCTET:  ok = value_octet(p); break;
        default:       ok = value_int(p, (*type)->kind); break;
        }
        if (!ok)
            return false;
    }
    p->pos++;
    cspace(p);
    if (p->pos != p->len)
        return cfail(p);
    return true;
}

ntsec_status ntsec__claim_compile(const char *text, size_t len, uint8_t **data,
                                  size_t *data_len, size_t *err_offset)
{
    struct cparser p = { .s = text, .len = len, .st = NTSEC_STATUS_SUCCESS };
    const struct claim_type *type = NULL;
    size_t name_start, name_end, units = 0, total, bad = 0;
    uint16_t *name = NULL;
    uint32_t flags = 0;
    ntsec_status st;

    if (!text || !data || !data_len)
        return NTSEC_STATUS_INVALID_PARAMETER;
    if (!parse_claim(&p, &name_start, &name_end, &type, &flags))
        goto fail;
    /* The name takes the escapes of @-attribute names ("%0016" in
     * Windows' vectors). */
    st = ntsec__cond_name_decode(text + name_start, name_end - name_start, &name, &units, &bad);
    if (!ntsec_success(st)) {
        cfail_at(&p, st == NTSEC_STATUS_NO_MEMORY ? 0 : name_start + bad, st);
        goto fail;
    }
    p.values_at = HEADER_LEN + 4 * (size_t)p.count + (units + 1) * 2;
    total = p.values_at + p.size;
    total += (4 - total % 4) % 4;      /* ACEs are a multiple of 4 bytes */
    p.out = ntsec__zalloc(total);
    if (!p.out) {
        ntsec__free(name);
        return NTSEC_STATUS_NO_MEMORY;
    }
    ntsec__cond_put32(p.out, (uint32_t)(HEADER_LEN + 4 * (size_t)p.count));
    p.out[4] = (uint8_t)type->code;
    p.out[5] = (uint8_t)(type->code >> 8);
    ntsec__cond_put32(p.out + 8, flags);
    ntsec__cond_put32(p.out + 12, p.count);
    for (size_t i = 0; i <= units; i++) {
        p.out[HEADER_LEN + 4 * p.count + 2 * i] = (uint8_t)name[i];
        p.out[HEADER_LEN + 4 * p.count + 2 * i + 1] = (uint8_t)(name[i] >> 8);
    }
    ntsec__free(name);
    /* Second pass writes the values; it allocates only for strings. */
    if (!parse_claim(&p, &name_start, &name_end, &type, &flags)) {
        ntsec__free(p.out);
        goto fail;
    }
    *data = p.out;
    *data_len = total;
    return NTSEC_STATUS_SUCCESS;
fail:
    if (err_offset && p.st == NTSEC_STATUS_INVALID_ACE_CONDITION)
        *err_offset = p.err;
    return p.st;
}

/* --- binary -> text ----------------------------------------------------------- */

/* Units of the NUL-terminated UTF-16 string at d[off], -1 when it runs
 * past len. */
static long utf16_units(const uint8_t *d, size_t len, size_t off)
{
    for (size_t i = off; i + 1 < len; i += 2)
        if (!d[i] && !d[i + 1])
            return (long)((i - off) / 2);
    return -1;
}

static bool format_value(struct ntsec__strbuf *sb, const struct claim_type *t,
                         const uint8_t *d, size_t len, size_t off)
{
    uint32_t n;
    long units;

    switch (t->kind) {
    case V_INT:
    case V_UINT:
    case V_BOOL:
        if (off > len || len - off < 8)
            return false;
        if (t->kind == V_INT)
            ntsec__strbuf_printf(sb, "%lld", (long long)ntsec__cond_get64(d + off));
        else
            ntsec__strbuf_printf(sb, "%llu", (unsigned long long)ntsec__cond_get64(d + off));
        return true;
    case V_STRING: {
        uint16_t *w;
        char *s;
        size_t slen;
        ntsec_status st;

        units = utf16_units(d, len, off);
        if (units < 0)
            return false;
        w = ntsec__alloc((size_t)units * 2 + 2);
        if (!w) {
            sb->failed = true;
            return true;
        }
        for (long i = 0; i < units; i++)
            w[i] = (uint16_t)(d[off + 2 * i] | d[off + 2 * i + 1] << 8);
        st = ntsec__utf16_to_utf8(w, (size_t)units, &s, &slen);
        ntsec__free(w);
        if (st == NTSEC_STATUS_NO_MEMORY) {
            sb->failed = true;
            return true;
        }
        if (!ntsec_success(st))
            return false;
        if (memchr(s, '"', slen)) {         /* SDDL cannot quote it */
            ntsec__free(s);
            return false;
        }
        ntsec__strbuf_putc(sb, '"');
        ntsec__strbuf_append(sb, s, slen);
        ntsec__strbuf_putc(sb, '"');
        ntsec__free(s);
        return true;
    }
    default:
        if (off > len || len - off < 4)
            return false;
        n = ntsec__cond_get32(d + off);
        if (n > len - off - 4)
            return false;
        if (t->kind == V_OCTET) {
            for (uint32_t i = 0; i < n; i++)
                ntsec__strbuf_printf(sb, "%02x", d[off + 4 + i]);
        } else {
            struct ntsec_sid sid;
            if (n > sizeof(sid) || !ntsec_sid_is_valid_in(d + off + 4, n))
                return false;
            memcpy(&sid, d + off + 4, n);
            if (ntsec_sid_length(&sid) != n)
                return false;
            ntsec__cond_sid_format(sb, &sid);
        }
        return true;
    }
}

ntsec_status ntsec__claim_format(const uint8_t *data, size_t len, struct ntsec__strbuf *out)
{
    struct ntsec__strbuf sb = NTSEC__STRBUF_INIT;
    const struct claim_type *t;
    uint32_t name_off, count;
    long units;

    if (!data || !out)
        return NTSEC_STATUS_INVALID_PARAMETER;
    if (len < HEADER_LEN)
        return NTSEC_STATUS_INVALID_ACE_CONDITION;
    name_off = ntsec__cond_get32(data);
    t = type_by_code((uint16_t)(data[4] | data[5] << 8));
    count = ntsec__cond_get32(data + 12);
    if (!t || count > (len - HEADER_LEN) / 4 || name_off > len)
        return NTSEC_STATUS_INVALID_ACE_CONDITION;
    /* "The string MUST be at least 4 bytes in length" ([MS-DTYP]
     * 2.4.10.1): one character and its NUL. */
    units = utf16_units(data, len, name_off);
    if (units < 1)
        return NTSEC_STATUS_INVALID_ACE_CONDITION;
    ntsec__strbuf_puts(&sb, "(\"");
    ntsec__cond_name_format(&sb, data + name_off, (size_t)units);
    ntsec__strbuf_printf(&sb, "\",T%c,0x%x", t->letter,
                         (unsigned)ntsec__cond_get32(data + 8));
    for (uint32_t i = 0; i < count; i++) {
        ntsec__strbuf_putc(&sb, ',');
        if (!format_value(&sb, t, data, len, ntsec__cond_get32(data + HEADER_LEN + 4 * i))) {
            ntsec__strbuf_discard(&sb);
            return NTSEC_STATUS_INVALID_ACE_CONDITION;
        }
    }
    ntsec__strbuf_putc(&sb, ')');
    if (sb.failed) {
        ntsec__strbuf_discard(&sb);
        return NTSEC_STATUS_NO_MEMORY;
    }
    ntsec__strbuf_append(out, sb.data, sb.len);
    ntsec__strbuf_discard(&sb);
    return out->failed ? NTSEC_STATUS_NO_MEMORY : NTSEC_STATUS_SUCCESS;
}
