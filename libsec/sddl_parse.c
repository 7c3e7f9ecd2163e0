/* sddl_parse.c - SDDL text to a self-relative security descriptor, as
 * ConvertStringSecurityDescriptorToSecurityDescriptorW does it.
 *
 * The string is parsed into ACE bytes per ACL and SIDs, then put together
 * with the SD and ACL functions (absolute SD, then ntsec_sd_make_relative,
 * which lays the parts out as Windows does). Windows facts used here are
 * cited where they are applied; docs/sddl.md lists them all, with the
 * places ntsec knowingly differs. */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "digits.h"
#include "ntsec/ntsec.h"
#include "alloc.h"
#include "condace.h"
#include "sddl_tables.h"

/* A SID string longer than this cannot be valid (15 sub-authorities of 10
 * digits, a 48-bit authority in hex, separators) even with the blanks
 * Windows lets through; anything longer is rejected without parsing. */
#define SID_TEXT_MAX 256

struct parser {
    const char *s;
    const struct ntsec_sid *domain;
    size_t err_off;
    const char *err;
};

/* The ACEs of one ACL, as bytes, while parsing. */
struct acl_build {
    bool present;
    bool null_acl;          /* NO_ACCESS_CONTROL */
    bool object;            /* an object ACE: ACL_REVISION_DS */
    uint16_t control;       /* SE_DACL_* or SE_SACL_* bits from the flags */
    uint16_t count;
    uint8_t *buf;
    size_t len, cap;
};

static ntsec_status fail(struct parser *p, size_t off, ntsec_status st, const char *why)
{
    p->err_off = off;
    p->err = why;
    return st;
}

static size_t skip_blanks(const char *s, size_t i)
{
    /* Only the space: Windows refuses a tab where it allows a space
     * ("D:(A;;0x75bcd15\t;;;LG)" fails; Samba's
     * libcli/security/tests/windows/should_fail.txt). */
    while (s[i] == ' ')
        i++;
    return i;
}

/* --- numbers and GUIDs ------------------------------------------------- */

/* An access mask number as Windows reads it, with the C library's
 * wcstoul(base 0): "0x" hex, a leading 0 octal, else decimal; a value
 * above 0xffffffff saturates, and a '-' negates modulo 2^32 even after
 * saturating. Windows results: "0x123456789" -> 0xffffffff, "-99" ->
 * 0xffffff9d, "-9876543210" -> 0x1, "01234567" -> 0x53977 (Samba's
 * libcli/security/tests/windows/windows_is_weird.txt and
 * non_canonical.txt). Returns the characters used, 0 when no digit. */
static size_t parse_number(const char *s, uint32_t *out)
{
    size_t i = 0, first;
    unsigned base = 10;
    uint64_t v = 0;
    bool neg = false, over = false;

    if (s[i] == '+' || s[i] == '-')
        neg = s[i++] == '-';
    if (s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X') && ntsec__digit_value(s[i + 2]) < 16) {
        base = 16;
        i += 2;
    } else if (s[i] == '0') {
        base = 8;
    }
    first = i;
    for (int d; (d = ntsec__digit_value(s[i])) < (int)base; i++) {
        if (!over) {
            v = v * base + (unsigned)d;
            over = v > 0xffffffffu;
        }
    }
    if (i == first)
        return 0;
    if (over)
        v = 0xffffffffu;
    *out = neg ? (uint32_t)(0u - (uint32_t)v) : (uint32_t)v;
    return i;
}

static bool hex_run(const char *s, size_t n, uint64_t *v)
{
    *v = 0;
    for (size_t i = 0; i < n; i++) {
        int d = ntsec__digit_value(s[i]);
        if (d >= 16)
            return false;
        *v = *v << 4 | (unsigned)d;
    }
    return true;
}

/* The UuidToString form, exactly 36 characters ("ACE Strings"); braces,
 * blanks or any other length are refused (Windows results in Samba's
 * should_fail.txt). */
static bool parse_guid(const char *s, size_t len, struct ntsec_guid *g)
{
    static const size_t dash[] = { 8, 13, 18, 23 };
    uint64_t a, b, c, d, e;

    if (len != 36)
        return false;
    for (size_t i = 0; i < 4; i++)
        if (s[dash[i]] != '-')
            return false;
    if (!hex_run(s, 8, &a) || !hex_run(s + 9, 4, &b) || !hex_run(s + 14, 4, &c) ||
        !hex_run(s + 19, 4, &d) || !hex_run(s + 24, 12, &e))
        return false;
    g->data1 = (uint32_t)a;
    g->data2 = (uint16_t)b;
    g->data3 = (uint16_t)c;
    g->data4[0] = (uint8_t)(d >> 8);
    g->data4[1] = (uint8_t)d;
    for (int i = 0; i < 6; i++)
        g->data4[2 + i] = (uint8_t)(e >> (8 * (5 - i)));
    return true;
}

/* --- SIDs --------------------------------------------------------------- */

/* The SID string in s[start, end): "S-1-..." (an 's' too, as Windows
 * accepts in SDDL) or a two-letter alias in either case ("lg" is read as
 * "LG"). Blanks may precede either; only an alias may be followed by
 * blanks ("D:(A;;GA;;;WD )" is accepted but "D:(A;;GA;;;S-1-3-4 )" is
 * not; Windows results in Wine's dlls/advapi32/tests/security.c and
 * Samba's should_fail.txt / windows_is_less_fussy.txt). `bad` is the
 * status for a malformed string. */
static ntsec_status parse_sid(struct parser *p, size_t start, size_t end, ntsec_status bad,
                              struct ntsec_sid *sid)
{
    const char *s = p->s;
    size_t i = start;
    ntsec_status st;

    while (i < end && s[i] == ' ')
        i++;
    if (end - i >= 2 && (s[i] == 'S' || s[i] == 's') && s[i + 1] == '-') {
        char text[SID_TEXT_MAX];
        size_t n = end - i, used = 0;

        if (n >= sizeof(text))
            return fail(p, i, bad, "SID string too long");
        memcpy(text, s + i, n);
        text[0] = 'S';
        text[n] = '\0';
        st = ntsec_sid_parse(text, n, sid, &used);
        if (!ntsec_success(st))
            return fail(p, i, bad, "malformed SID string");
        if (used != n)
            return fail(p, i + used, bad, "unexpected text after the SID");
        return NTSEC_STATUS_SUCCESS;
    }
    if (end - i < 2 || !isalpha((unsigned char)s[i]) || !isalpha((unsigned char)s[i + 1]))
        return fail(p, i, bad, "expected a SID string or a two-letter SID alias");
    {
        char alias[3] = { (char)toupper((unsigned char)s[i]),
                          (char)toupper((unsigned char)s[i + 1]), '\0' };

        st = ntsec_sid_from_alias(alias, p->domain, sid);
    }
    if (st == NTSEC_STATUS_NONE_MAPPED)
        return fail(p, i, bad == NTSEC_STATUS_INVALID_ACL ? bad : st,
                    "domain-relative SID alias without a domain SID");
    if (!ntsec_success(st))
        return fail(p, i, bad, "unknown SID alias");
    i += 2;
    while (i < end && s[i] == ' ')
        i++;
    if (i != end)
        return fail(p, i, bad, "unexpected text after the SID alias");
    return NTSEC_STATUS_SUCCESS;
}

/* --- ACEs --------------------------------------------------------------- */

static bool acl_reserve(struct acl_build *b, size_t extra)
{
    size_t cap;
    uint8_t *n;

    if (b->len + extra <= b->cap)
        return true;
    cap = b->cap ? b->cap : 128;
    while (cap < b->len + extra)
        cap *= 2;
    n = ntsec__alloc(cap);
    if (!n)
        return false;
    if (b->len)
        memcpy(n, b->buf, b->len);
    ntsec__free(b->buf);
    b->buf = n;
    b->cap = cap;
    return true;
}

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void put_guid(uint8_t *p, const struct ntsec_guid *g)
{
    put32(p, g->data1);
    put16(p + 4, g->data2);
    put16(p + 6, g->data3);
    memcpy(p + 8, g->data4, 8);
}

/* The end of the field starting at i: the next ';' (or, when `paren`,
 * ')'), or the string's end. */
static size_t field_end(const char *s, size_t i, bool paren)
{
    while (s[i] && s[i] != ';' && !(paren && s[i] == ')'))
        i++;
    return i;
}

/* Blanks may come first and between letters but not last: "D:(D;; GA;;;WD)"
 * and "D:(D; ;GA;;;WD)" are accepted, "D:(D;;GA ;;;WD)" is not (Windows
 * results asserted by Wine's test_ConvertStringSecurityDescriptor; Samba's
 * should_fail.txt: "RP LCLOR C"). */
static ntsec_status parse_ace_flags(struct parser *p, size_t *pos, uint8_t *flags)
{
    const char *s = p->s;
    size_t i = skip_blanks(s, *pos);

    *flags = 0;
    while (s[i] != ';') {
        uint8_t f;

        i = skip_blanks(s, i);
        if (!s[i] || !ntsec__sddl_ace_flag_by_letters(s + i, &f) || s[i + 1] == '\0')
            return fail(p, i, NTSEC_STATUS_INVALID_ACL, "unknown ACE flag");
        *flags |= f;
        i += 2;
    }
    *pos = i;
    return NTSEC_STATUS_SUCCESS;
}

/* Rights are letters or numbers, mixed at will: Windows accepts
 * "GR0xFFFFFFFF", "0xFFFFFFFFGR" and "0xFFFFFGR" (Wine's
 * test_ConvertStringSecurityDescriptor). */
static ntsec_status parse_rights(struct parser *p, size_t *pos, uint32_t *mask)
{
    const char *s = p->s;
    size_t i = skip_blanks(s, *pos);

    *mask = 0;
    while (s[i] != ';') {
        uint32_t m = 0;
        size_t n;

        i = skip_blanks(s, i);
        if ((s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '+') {
            n = parse_number(s + i, &m);
            if (!n)
                return fail(p, i, NTSEC_STATUS_INVALID_ACL, "malformed access mask number");
            i += n;
        } else if (s[i] && s[i + 1] && ntsec__sddl_right_by_letters(s + i, &m)) {
            i += 2;
        } else {
            return fail(p, i, NTSEC_STATUS_INVALID_ACL, "unknown access right");
        }
        *mask |= m;
    }
    *pos = i;
    return NTSEC_STATUS_SUCCESS;
}

/* A GUID field: empty, blanks only, or exactly one GUID. */
static ntsec_status parse_guid_field(struct parser *p, size_t *pos, bool *present,
                                     struct ntsec_guid *g)
{
    const char *s = p->s;
    size_t start = *pos, end = field_end(s, start, false), b = skip_blanks(s, start);

    *present = false;
    if (s[end] != ';')
        return fail(p, end, NTSEC_STATUS_INVALID_ACL, "ACE string has too few fields");
    if (b < end) {
        if (!parse_guid(s + start, end - start, g))
            return fail(p, start, NTSEC_STATUS_INVALID_ACL, "malformed GUID");
        *present = true;
    }
    *pos = end;
    return NTSEC_STATUS_SUCCESS;
}

/* The end of a parenthesised condition or attribute starting at s[i] ==
 * '(': its matching ')', skipping "..." literals, which may hold
 * parentheses. 0 when it is not closed. */
static size_t match_paren(const char *s, size_t i)
{
    int depth = 0;

    for (; s[i]; i++) {
        if (s[i] == '"') {
            for (i++; s[i] && s[i] != '"'; i++)
                ;
            if (!s[i])
                return 0;
        } else if (s[i] == '(') {
            depth++;
        } else if (s[i] == ')' && --depth == 0) {
            return i;
        }
    }
    return 0;
}

static bool sid_is_world(const struct ntsec_sid *sid)
{
    static const uint32_t rid = 0;
    struct ntsec_sid world;

    return ntsec_success(ntsec_sid_init(&world, 1, 1, &rid)) && ntsec_sid_equal(sid, &world);
}

struct ace_text {
    const struct ntsec__sddl_ace_type *type;
    uint8_t flags;
    uint32_t mask;
    bool has_obj, has_inh;
    struct ntsec_guid obj, inh;
    struct ntsec_sid sid;
    uint8_t *extra;         /* condition or claim, allocated */
    size_t extra_len;
};

/* Compile the "(...)" after the SID of a callback or resource ACE. */
static ntsec_status parse_extra(struct parser *p, size_t *pos, struct ace_text *a)
{
    const char *s = p->s;
    size_t i = skip_blanks(s, *pos), close, off = 0;
    ntsec_status st;

    if (s[i] != '(')
        return fail(p, i, NTSEC_STATUS_INVALID_ACL, "expected '(' to start the condition");
    close = match_paren(s, i);
    if (!close)
        return fail(p, i, NTSEC_STATUS_INVALID_ACL, "condition is not closed");
    if (a->type->layout == NTSEC__SDDL_ACE_RESOURCE)
        st = ntsec__claim_compile(s + i, close - i + 1, &a->extra, &a->extra_len, &off);
    else
        st = ntsec__cond_compile(s + i, close - i + 1, &a->extra, &a->extra_len, &off);
    if (st == NTSEC_STATUS_NO_MEMORY)
        return fail(p, i, st, "out of memory");
    if (!ntsec_success(st))
        return fail(p, i + off, st, a->type->layout == NTSEC__SDDL_ACE_RESOURCE ?
                    "malformed resource attribute" : "malformed condition");
    *pos = close + 1;
    return NTSEC_STATUS_SUCCESS;
}

static ntsec_status expect(struct parser *p, size_t *pos, char c, const char *why)
{
    if (p->s[*pos] != c)
        return fail(p, *pos, NTSEC_STATUS_INVALID_ACL, why);
    (*pos)++;
    return NTSEC_STATUS_SUCCESS;
}

/* Append the binary ACE for `a` to `b`. */
static ntsec_status emit_ace(struct parser *p, size_t at, struct acl_build *b,
                             const struct ace_text *a)
{
    uint8_t type = a->type->type;
    bool object = ntsec__sddl_layout_is_object(a->type->layout);
    size_t sid_len = ntsec_sid_length(&a->sid), size, off;
    uint8_t *q;

    if (object && !a->has_obj && !a->has_inh && a->type->plain_type != type) {
        type = a->type->plain_type;
        object = false;
    }
    size = 8 + (object ? 4 + 16 * (a->has_obj + a->has_inh) : 0) + sid_len + a->extra_len;
    /* An ACL's size is a 16-bit field (winnt.h ACL.AclSize). */
    if (size > 0xFFFF || b->len + size + sizeof(struct ntsec_acl) > NTSEC_ACL_MAX_SIZE ||
        b->count == 0xFFFF)
        return fail(p, at, NTSEC_STATUS_INVALID_ACL, "ACL larger than 64 KB");
    if (!acl_reserve(b, size))
        return fail(p, at, NTSEC_STATUS_NO_MEMORY, "out of memory");
    q = b->buf + b->len;
    memset(q, 0, size);
    q[0] = type;
    q[1] = a->flags;
    put16(q + 2, (uint16_t)size);
    put32(q + 4, a->mask);
    off = 8;
    if (object) {
        put32(q + 8, (a->has_obj ? NTSEC_ACE_OBJECT_TYPE_PRESENT : 0) |
                     (a->has_inh ? NTSEC_ACE_INHERITED_OBJECT_TYPE_PRESENT : 0));
        off = 12;
        if (a->has_obj) {
            put_guid(q + off, &a->obj);
            off += 16;
        }
        if (a->has_inh) {
            put_guid(q + off, &a->inh);
            off += 16;
        }
        b->object = true;
    }
    if (!ntsec_success(ntsec_sid_copy(q + off, sid_len, &a->sid)))
        return fail(p, at, NTSEC_STATUS_INVALID_ACL, "invalid SID");
    off += sid_len;
    if (a->extra_len)
        memcpy(q + off, a->extra, a->extra_len);
    b->len += size;
    b->count++;
    return NTSEC_STATUS_SUCCESS;
}

/* One "(type;flags;rights;guid;guid;sid[;(extra)])" at *pos == '('. Every
 * malformed ACE is ERROR_INVALID_ACL in Windows ("D:(A;;ROB;;;WD)",
 * "D:(D;;GA;;;WDANDSUCH)", "D:(D;;GA ;;;WD)"; Wine's
 * test_ConvertStringSecurityDescriptor), so NTSEC_STATUS_INVALID_ACL. */
static ntsec_status parse_ace(struct parser *p, size_t *pos, struct acl_build *b)
{
    const char *s = p->s;
    size_t start = *pos, i = *pos + 1, t, sid_end;
    struct ace_text a;
    ntsec_status st;

    memset(&a, 0, sizeof(a));
    i = skip_blanks(s, i);
    for (t = i; isalpha((unsigned char)s[t]); t++)
        ;
    a.type = ntsec__sddl_ace_type_by_letters(s + i, t - i);
    if (!a.type)
        return fail(p, i, NTSEC_STATUS_INVALID_ACL, "unknown ACE type");
    if (s[t] != ';')
        return fail(p, t, NTSEC_STATUS_INVALID_ACL, "expected ';' after the ACE type");
    i = t + 1;
    if (!ntsec_success(st = parse_ace_flags(p, &i, &a.flags)) ||
        !ntsec_success(st = expect(p, &i, ';', "ACE string has too few fields")) ||
        !ntsec_success(st = parse_rights(p, &i, &a.mask)) ||
        !ntsec_success(st = expect(p, &i, ';', "ACE string has too few fields")))
        return st;
    if (!ntsec_success(st = parse_guid_field(p, &i, &a.has_obj, &a.obj)) ||
        !ntsec_success(st = expect(p, &i, ';', "ACE string has too few fields")) ||
        !ntsec_success(st = parse_guid_field(p, &i, &a.has_inh, &a.inh)) ||
        !ntsec_success(st = expect(p, &i, ';', "ACE string has too few fields")))
        return st;
    if ((a.has_obj || a.has_inh) && !ntsec__sddl_layout_is_object(a.type->layout))
        return fail(p, i, NTSEC_STATUS_INVALID_ACL, "GUID in an ACE type that has none");
    sid_end = field_end(s, i, true);
    if (!s[sid_end])
        return fail(p, sid_end, NTSEC_STATUS_INVALID_ACL, "ACE string is not closed");
    if (!ntsec_success(st = parse_sid(p, i, sid_end, NTSEC_STATUS_INVALID_ACL, &a.sid)))
        return st;
    i = sid_end;
    if (a.type->layout == NTSEC__SDDL_ACE_RESOURCE && !sid_is_world(&a.sid))
        return fail(p, start, NTSEC_STATUS_INVALID_ACL,
                    "a resource attribute ACE's SID must be WD ([MS-DTYP] 2.5.1.1)");
    if (a.type->layout == NTSEC__SDDL_ACE_CALLBACK ||
        a.type->layout == NTSEC__SDDL_ACE_CALLBACK_OBJECT ||
        a.type->layout == NTSEC__SDDL_ACE_RESOURCE) {
        if (s[i] != ';')
            return fail(p, i, NTSEC_STATUS_INVALID_ACL,
                        "this ACE type needs a condition or attribute after the SID");
        i++;
        if (!ntsec_success(st = parse_extra(p, &i, &a)))
            return st;
    }
    if (s[i] != ')') {
        st = fail(p, i, NTSEC_STATUS_INVALID_ACL,
                  s[i] == ';' ? "ACE string has too many fields" : "expected ')' to end the ACE");
    } else {
        st = emit_ace(p, start, b, &a);
        i++;
    }
    ntsec__free(a.extra);
    if (ntsec_success(st))
        *pos = i;
    return st;
}

/* --- ACLs and the descriptor --------------------------------------------- */

/* "D:" or "S:" body: flags (P, AR, AI, NO_ACCESS_CONTROL) then ACEs.
 * Blanks may separate the flags and the ACEs ("D: P(A;;GA;;;LG)",
 * "D:P (A;;GA;;;LG)", "D:P(A;;GA;;;LG) (A;;GX;;;AA)" are accepted;
 * Samba's windows_is_less_fussy.txt); a flag may repeat ("D:PPPP"). */
static ntsec_status parse_acl(struct parser *p, size_t *pos, bool sacl, struct acl_build *b)
{
    const char *s = p->s;
    size_t i = *pos;
    size_t nac = strlen(NTSEC__SDDL_NO_ACCESS_CONTROL);
    ntsec_status st;

    b->present = true;
    for (;;) {
        const struct ntsec__sddl_acl_flag *f;
        size_t n;

        i = skip_blanks(s, i);
        if (strncasecmp(s + i, NTSEC__SDDL_NO_ACCESS_CONTROL, nac) == 0) {
            b->null_acl = true;
            i += nac;
        } else if ((n = ntsec__sddl_acl_flag_match(s + i, &f)) != 0) {
            b->control |= sacl ? f->sacl_bit : f->dacl_bit;
            i += n;
        } else {
            break;
        }
    }
    while (s[i] == '(') {
        if (b->null_acl)
            return fail(p, i, NTSEC_STATUS_INVALID_PARAMETER,
                        "an ACL given as NO_ACCESS_CONTROL cannot have ACEs");
        if (!ntsec_success(st = parse_ace(p, &i, b)))
            return st;
        i = skip_blanks(s, i);
    }
    *pos = i;
    return NTSEC_STATUS_SUCCESS;
}

/* An ACL of exactly the parsed ACEs: revision 2, or 4 when an object ACE
 * is in it ("D:" gives ACL_REVISION, Wine's
 * test_ConvertStringSecurityDescriptor; callback and resource ACEs stay
 * at 2, Windows bytes in Samba's tests/windows/conditional_aces.txt.json). */
static ntsec_status make_acl(const struct acl_build *b, struct ntsec_acl **out)
{
    uint32_t rev = b->object ? NTSEC_ACL_REVISION_DS : NTSEC_ACL_REVISION;
    uint32_t size = (uint32_t)(sizeof(struct ntsec_acl) + b->len);
    struct ntsec_acl *acl = ntsec__zalloc(size);
    ntsec_status st;

    if (!acl)
        return NTSEC_STATUS_NO_MEMORY;
    st = ntsec_acl_init(acl, size, rev);
    if (ntsec_success(st) && b->len)
        st = ntsec_acl_add_aces(acl, rev, 0xFFFFFFFFu, b->buf, (uint32_t)b->len);
    if (!ntsec_success(st)) {
        ntsec__free(acl);
        return NTSEC_STATUS_INVALID_ACL;
    }
    *out = acl;
    return NTSEC_STATUS_SUCCESS;
}

struct parts {
    bool has_owner, has_group;
    struct ntsec_sid owner, group;
    struct acl_build dacl, sacl;
};

static ntsec_status assemble(struct parts *pt, void **sd, uint32_t *size)
{
    struct ntsec_sd_absolute abs;
    struct ntsec_acl *dacl = NULL, *sacl = NULL;
    uint16_t mask = NTSEC_SE_DACL_PROTECTED | NTSEC_SE_DACL_AUTO_INHERIT_REQ |
                    NTSEC_SE_DACL_AUTO_INHERITED | NTSEC_SE_SACL_PROTECTED |
                    NTSEC_SE_SACL_AUTO_INHERIT_REQ | NTSEC_SE_SACL_AUTO_INHERITED;
    void *buf = NULL;
    uint32_t len = 0;
    ntsec_status st;

    st = ntsec_sd_init(&abs, NTSEC_SD_REVISION);
    if (ntsec_success(st) && pt->dacl.present && !pt->dacl.null_acl)
        st = make_acl(&pt->dacl, &dacl);
    if (ntsec_success(st) && pt->sacl.present && !pt->sacl.null_acl)
        st = make_acl(&pt->sacl, &sacl);
    if (ntsec_success(st) && pt->has_owner)
        st = ntsec_sd_set_owner(&abs, &pt->owner, false);
    if (ntsec_success(st) && pt->has_group)
        st = ntsec_sd_set_group(&abs, &pt->group, false);
    if (ntsec_success(st) && pt->dacl.present)
        st = ntsec_sd_set_dacl(&abs, true, dacl, false);
    if (ntsec_success(st) && pt->sacl.present)
        st = ntsec_sd_set_sacl(&abs, true, sacl, false);
    if (ntsec_success(st))
        st = ntsec_sd_set_control(&abs, mask, pt->dacl.control | pt->sacl.control);
    if (ntsec_success(st)) {
        /* RtlMakeSelfRelativeSD with no room gives the size it needs;
         * zeroed so that the padding after each part is 0, as Windows'. */
        st = ntsec_sd_make_relative(&abs, NULL, &len);
        if (st == NTSEC_STATUS_BUFFER_TOO_SMALL) {
            buf = ntsec__zalloc(len);
            st = buf ? ntsec_sd_make_relative(&abs, buf, &len) : NTSEC_STATUS_NO_MEMORY;
        } else if (ntsec_success(st)) {
            st = NTSEC_STATUS_INTERNAL_ERROR;
        }
    }
    ntsec__free(dacl);
    ntsec__free(sacl);
    if (!ntsec_success(st)) {
        ntsec__free(buf);
        return st;
    }
    *sd = buf;
    *size = len;
    return NTSEC_STATUS_SUCCESS;
}

/* Components may come in any order ("S:D:P" is read; Samba's
 * non_canonical.txt), each at most once. The tag is an upper-case letter
 * right before its colon ("d:" and "D :" are refused; Samba's
 * should_fail.txt); any other text is ERROR_INVALID_PARAMETER
 * ("ERROR:(D;;GA;;;WD)", Wine's test_ConvertStringSecurityDescriptor). */
static ntsec_status parse_all(struct parser *p, struct parts *pt)
{
    const char *s = p->s;
    size_t i = 0;
    ntsec_status st;

    for (;;) {
        char tag;

        i = skip_blanks(s, i);
        if (!s[i])
            return NTSEC_STATUS_SUCCESS;
        tag = s[i];
        if (s[i + 1] != ':' || !strchr("OGDS", tag))
            return fail(p, i, NTSEC_STATUS_INVALID_PARAMETER,
                        "expected O:, G:, D: or S:");
        if ((tag == 'O' && pt->has_owner) || (tag == 'G' && pt->has_group) ||
            (tag == 'D' && pt->dacl.present) || (tag == 'S' && pt->sacl.present))
            return fail(p, i, NTSEC_STATUS_INVALID_PARAMETER, "component given twice");
        i += 2;
        if (tag == 'O' || tag == 'G') {
            /* The SID runs to the letter before the next colon: Windows
             * reads "O:S-1-2-0x200D:" as owner S-1-2-0x200 and a DACL
             * (Samba's non_canonical.txt), so the tag letter ends a SID
             * even where it could be a hex digit. */
            const char *colon = strchr(s + i, ':');
            size_t end = colon ? (size_t)(colon - s) - 1 : strlen(s);

            if (end < i)
                end = i;
            st = parse_sid(p, i, end, NTSEC_STATUS_INVALID_SID,
                           tag == 'O' ? &pt->owner : &pt->group);
            if (!ntsec_success(st))
                return st;
            if (tag == 'O')
                pt->has_owner = true;
            else
                pt->has_group = true;
            i = end;
        } else {
            st = parse_acl(p, &i, tag == 'S', tag == 'D' ? &pt->dacl : &pt->sacl);
            if (!ntsec_success(st))
                return st;
        }
    }
}

ntsec_status ntsec_sddl_to_sd(const char *sddl, const struct ntsec_sid *domain,
                              uint32_t revision, void **sd, uint32_t *size,
                              struct ntsec_sddl_error *err)
{
    struct parser p = { sddl, domain, 0, NULL };
    struct parts pt;
    void *out = NULL;
    uint32_t len = 0;
    ntsec_status st;

    /* NULL arguments are ERROR_INVALID_PARAMETER even with a bad revision
     * (Wine's test_ConvertStringSecurityDescriptor: NULL string or NULL
     * output with revision 0xdeadbeef); then the revision,
     * ERROR_UNKNOWN_REVISION. */
    if (!sddl || !sd) {
        st = fail(&p, 0, NTSEC_STATUS_INVALID_PARAMETER, "NULL argument");
    } else if (revision != NTSEC_SDDL_REVISION_1) {
        st = fail(&p, 0, NTSEC_STATUS_UNKNOWN_REVISION, "SDDL revision must be 1");
    } else {
        memset(&pt, 0, sizeof(pt));
        st = parse_all(&p, &pt);
        if (ntsec_success(st)) {
            st = assemble(&pt, &out, &len);
            if (!ntsec_success(st))
                fail(&p, 0, st, st == NTSEC_STATUS_NO_MEMORY ? "out of memory"
                                                              : "cannot build the descriptor");
        }
        ntsec__free(pt.dacl.buf);
        ntsec__free(pt.sacl.buf);
    }
    if (!ntsec_success(st)) {
        if (err) {
            err->offset = p.err_off;
            err->reason = p.err ? p.err : "invalid security descriptor string";
        }
        return st;
    }
    *sd = out;
    if (size)
        *size = len;
    return NTSEC_STATUS_SUCCESS;
}
