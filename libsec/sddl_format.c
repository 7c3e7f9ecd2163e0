/* sddl_format.c - a security descriptor to its canonical SDDL text, as
 * ConvertSecurityDescriptorToStringSecurityDescriptorW writes it.
 *
 * Canonical form: components in the order O, G, D, S; SIDs as their
 * two-letter alias when one applies; ACL flags as P, AR, AI; ACE flags in
 * bit order; rights as an exact alias (FA, KR, ...), else as one letter
 * pair per bit in bit order, else as "0x" and lower-case hex; GUIDs in
 * lower case. Sources are cited where each rule is applied. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ntsec/ntsec.h"
#include "alloc.h"
#include "condace.h"
#include "sddl_tables.h"
#include "strbuf.h"

size_t ntsec_sddl_format_sid(const struct ntsec_sid *sid, const struct ntsec_sid *domain,
                             char *buf, size_t size)
{
    char text[NTSEC_SID_STRING_MAX + 8];
    const char *alias;
    size_t n;

    if (!ntsec_sid_is_valid(sid)) {
        text[0] = '\0';
        n = 0;
    } else if ((alias = ntsec_sid_to_alias(sid, domain)) != NULL) {
        n = (size_t)snprintf(text, sizeof(text), "%s", alias);
    } else {
        n = ntsec_sid_format(sid, text, sizeof(text));
        if (n >= sizeof(text))
            n = sizeof(text) - 1;
    }
    if (size) {
        size_t c = n < size ? n : size - 1;

        memcpy(buf, text, c);
        buf[c] = '\0';
    }
    return n;
}

static ntsec_status put_sid(struct ntsec__strbuf *sb, const struct ntsec_sid *sid,
                            const struct ntsec_sid *domain)
{
    char text[NTSEC_SID_STRING_MAX + 8];

    if (!ntsec_sid_is_valid(sid))
        return NTSEC_STATUS_INVALID_SID;
    ntsec__strbuf_append(sb, text, ntsec_sddl_format_sid(sid, domain, text, sizeof(text)));
    return NTSEC_STATUS_SUCCESS;
}

/* Rights: an exact alias first, then the bit letters, else hex. Windows
 * writes 0x1f01ff as "FA", 0xf003f as "KA" though its bits have letters,
 * 0x1ff as "CCDCLCSWRPWPDTLOCR", 0x1200a9 as "0x1200a9" (Windows results
 * in Samba's tests/windows/non_canonical.txt and
 * tests/data/registry-object-rights.json; "0x12019f" and "GAGXGWGR" in
 * Wine's test_ConvertSecurityDescriptorToString). A mandatory label ACE
 * uses NW, NR, NX for its bits ("ACE Strings", mandatory label rights). */
static void put_rights(struct ntsec__strbuf *sb, uint32_t mask, bool label)
{
    uint32_t covered = 0;
    size_t n = ntsec__sddl_right_count();

    if (!mask)
        return;
    for (size_t i = 0; i < n && !label; i++) {
        const struct ntsec__sddl_right *r = ntsec__sddl_right_at(i);

        if (r->kind == NTSEC__SDDL_RIGHT_ALIAS && r->mask == mask) {
            ntsec__strbuf_puts(sb, r->letters);
            return;
        }
    }
    for (size_t i = 0; i < n; i++) {
        const struct ntsec__sddl_right *r = ntsec__sddl_right_at(i);

        if (r->kind == (label ? NTSEC__SDDL_RIGHT_LABEL : NTSEC__SDDL_RIGHT_BIT))
            covered |= r->mask & mask;
    }
    if (covered != mask) {
        ntsec__strbuf_printf(sb, "0x%" PRIx32, mask);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const struct ntsec__sddl_right *r = ntsec__sddl_right_at(i);

        if (r->kind == (label ? NTSEC__SDDL_RIGHT_LABEL : NTSEC__SDDL_RIGHT_BIT) && (mask & r->mask))
            ntsec__strbuf_puts(sb, r->letters);
    }
}

static void put_ace_flags(struct ntsec__strbuf *sb, uint8_t flags, uint8_t type)
{
    bool filter = type == NTSEC_ACE_SYSTEM_ACCESS_FILTER;

    for (size_t i = 0; i < ntsec__sddl_ace_flag_count(); i++) {
        const struct ntsec__sddl_ace_flag *f = ntsec__sddl_ace_flag_at(i);

        if ((f->scope == NTSEC__SDDL_FLAG_FILTER_ONLY && !filter) ||
            (f->scope == NTSEC__SDDL_FLAG_NOT_FILTER && filter))
            continue;
        if (flags & f->flag)
            ntsec__strbuf_puts(sb, f->letters);
    }
}

/* GUIDs in lower case: "4828CC14-1437-45bc-9B07-AD6F015E5F28" comes back
 * as "4828cc14-1437-45bc-9b07-ad6f015e5f28" (Windows result in Samba's
 * non_canonical.txt). */
static void put_guid(struct ntsec__strbuf *sb, const struct ntsec_guid *g)
{
    if (!g)
        return;
    ntsec__strbuf_printf(sb, "%08" PRIx32 "-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                         g->data1, g->data2, g->data3, g->data4[0], g->data4[1], g->data4[2],
                         g->data4[3], g->data4[4], g->data4[5], g->data4[6], g->data4[7]);
}

static ntsec_status put_ace(struct ntsec__strbuf *sb, const struct ntsec_ace_header *ace,
                            const struct ntsec_sid *domain)
{
    const struct ntsec__sddl_ace_type *t = ntsec__sddl_ace_type_by_value(ace->type);
    const struct ntsec_sid *sid = ntsec_ace_sid(ace);
    const uint8_t *data;
    size_t data_len = 0;
    ntsec_status st;

    /* Windows has no letters for the denied/audit/alarm callback object
     * types (sddl.h); such an ACE cannot be written. */
    if (!t || !sid)
        return NTSEC_STATUS_INVALID_ACL;
    ntsec__strbuf_putc(sb, '(');
    ntsec__strbuf_puts(sb, t->letters);
    ntsec__strbuf_putc(sb, ';');
    put_ace_flags(sb, ace->flags, ace->type);
    ntsec__strbuf_putc(sb, ';');
    put_rights(sb, ntsec_ace_mask(ace), ace->type == NTSEC_ACE_SYSTEM_MANDATORY_LABEL);
    ntsec__strbuf_putc(sb, ';');
    if (ntsec__sddl_layout_is_object(t->layout))
        put_guid(sb, ntsec_ace_object_type(ace));
    ntsec__strbuf_putc(sb, ';');
    if (ntsec__sddl_layout_is_object(t->layout))
        put_guid(sb, ntsec_ace_inherited_object_type(ace));
    ntsec__strbuf_putc(sb, ';');
    if (!ntsec_success(st = put_sid(sb, sid, domain)))
        return NTSEC_STATUS_INVALID_ACL;
    if (t->layout == NTSEC__SDDL_ACE_CALLBACK || t->layout == NTSEC__SDDL_ACE_CALLBACK_OBJECT ||
        t->layout == NTSEC__SDDL_ACE_RESOURCE) {
        data = ntsec_ace_application_data(ace, &data_len);
        if (data && data_len) {
            ntsec__strbuf_putc(sb, ';');
            st = t->layout == NTSEC__SDDL_ACE_RESOURCE ? ntsec__claim_format(data, data_len, sb)
                                                       : ntsec__cond_format(data, data_len, sb);
            if (!ntsec_success(st))
                return st;
        }
    }
    ntsec__strbuf_putc(sb, ')');
    return NTSEC_STATUS_SUCCESS;
}

/* The ACE types the SACL-part SECURITY_INFORMATION bits stand for when
 * SACL_SECURITY_INFORMATION itself is not asked for. */
static const struct {
    uint32_t info;
    uint8_t type;
} sacl_parts[] = {
    { NTSEC_LABEL_SECURITY_INFORMATION,     NTSEC_ACE_SYSTEM_MANDATORY_LABEL },
    { NTSEC_ATTRIBUTE_SECURITY_INFORMATION, NTSEC_ACE_SYSTEM_RESOURCE_ATTRIBUTE },
    { NTSEC_SCOPE_SECURITY_INFORMATION,     NTSEC_ACE_SYSTEM_SCOPED_POLICY_ID },
    { NTSEC_PROCESS_TRUST_LABEL_SECURITY_INFORMATION, NTSEC_ACE_SYSTEM_PROCESS_TRUST_LABEL },
};

static bool ace_wanted(uint8_t type, uint32_t info)
{
    if (info & NTSEC_SACL_SECURITY_INFORMATION)
        return true;
    for (size_t i = 0; i < sizeof(sacl_parts) / sizeof(sacl_parts[0]); i++)
        if ((info & sacl_parts[i].info) && sacl_parts[i].type == type)
            return true;
    return false;
}

/* "D:" or "S:": flags, then NO_ACCESS_CONTROL for a present NULL ACL
 * (Vista and later, Wine's test_ConvertSecurityDescriptorToString), else
 * the ACEs. For the SACL asked for only through LABEL/ATTRIBUTE/SCOPE/
 * PROCESS_TRUST_LABEL_SECURITY_INFORMATION, only the ACEs of those types
 * are written, without flags, and nothing when there is none. */
static ntsec_status put_acl(struct ntsec__strbuf *sb, char tag, const struct ntsec_acl *acl,
                            uint16_t control, bool sacl, uint32_t info,
                            const struct ntsec_sid *domain)
{
    bool whole = !sacl || (info & NTSEC_SACL_SECURITY_INFORMATION);
    size_t mark = sb->len;
    unsigned written = 0;
    ntsec_status st;

    if (acl && !ntsec_acl_is_valid(acl))
        return NTSEC_STATUS_INVALID_ACL;
    ntsec__strbuf_putc(sb, tag);
    ntsec__strbuf_putc(sb, ':');
    if (whole) {
        for (size_t i = 0; i < ntsec__sddl_acl_flag_count(); i++) {
            const struct ntsec__sddl_acl_flag *f = ntsec__sddl_acl_flag_at(i);

            if (control & (sacl ? f->sacl_bit : f->dacl_bit))
                ntsec__strbuf_puts(sb, f->letters);
        }
        if (!acl)
            ntsec__strbuf_puts(sb, NTSEC__SDDL_NO_ACCESS_CONTROL);
    }
    for (uint32_t i = 0; acl && i < acl->ace_count; i++) {
        const struct ntsec_ace_header *ace;

        if (!ntsec_success(ntsec_acl_get_ace(acl, i, &ace)))
            return NTSEC_STATUS_INVALID_ACL;
        if (!whole && !ace_wanted(ace->type, info))
            continue;
        if (!ntsec_success(st = put_ace(sb, ace, domain)))
            return st;
        written++;
    }
    if (!whole && !written && !sb->failed) {
        sb->len = mark;
        sb->data[mark] = '\0';
    }
    return NTSEC_STATUS_SUCCESS;
}

static ntsec_status format_all(struct ntsec__strbuf *sb, const void *sd,
                               const struct ntsec_sid *domain, uint32_t info)
{
    const struct ntsec_sid *owner, *group;
    const struct ntsec_acl *dacl, *sacl;
    bool present, defaulted;
    uint16_t control;
    uint32_t rev;
    ntsec_status st;

    if (!ntsec_success(st = ntsec_sd_get_control(sd, &control, &rev)))
        return st;
    if (info & NTSEC_OWNER_SECURITY_INFORMATION) {
        if (!ntsec_success(st = ntsec_sd_get_owner(sd, &owner, &defaulted)))
            return st;
        if (owner) {
            ntsec__strbuf_puts(sb, "O:");
            if (!ntsec_success(st = put_sid(sb, owner, domain)))
                return st;
        }
    }
    if (info & NTSEC_GROUP_SECURITY_INFORMATION) {
        if (!ntsec_success(st = ntsec_sd_get_group(sd, &group, &defaulted)))
            return st;
        if (group) {
            ntsec__strbuf_puts(sb, "G:");
            if (!ntsec_success(st = put_sid(sb, group, domain)))
                return st;
        }
    }
    if (info & NTSEC_DACL_SECURITY_INFORMATION) {
        if (!ntsec_success(st = ntsec_sd_get_dacl(sd, &present, &dacl, &defaulted)))
            return st;
        if (present && !ntsec_success(st = put_acl(sb, 'D', dacl, control, false, info, domain)))
            return st;
    }
    if (info & (NTSEC_SACL_SECURITY_INFORMATION | NTSEC_LABEL_SECURITY_INFORMATION |
                NTSEC_ATTRIBUTE_SECURITY_INFORMATION | NTSEC_SCOPE_SECURITY_INFORMATION |
                NTSEC_PROCESS_TRUST_LABEL_SECURITY_INFORMATION)) {
        if (!ntsec_success(st = ntsec_sd_get_sacl(sd, &present, &sacl, &defaulted)))
            return st;
        if (present && (sacl || (info & NTSEC_SACL_SECURITY_INFORMATION)) &&
            !ntsec_success(st = put_acl(sb, 'S', sacl, control, true, info, domain)))
            return st;
    }
    return NTSEC_STATUS_SUCCESS;
}

ntsec_status ntsec_sd_to_sddl(const void *sd, const struct ntsec_sid *domain,
                              uint32_t revision, uint32_t info, char **sddl, size_t *len)
{
    struct ntsec__strbuf sb = NTSEC__STRBUF_INIT;
    char *out;
    size_t n;
    ntsec_status st;

    if (!sd || !sddl)
        return NTSEC_STATUS_INVALID_PARAMETER;
    /* Only SDDL_REVISION_1 ("ConvertSecurityDescriptorToString-
     * SecurityDescriptor", RequestedStringSDRevision). */
    if (revision != NTSEC_SDDL_REVISION_1)
        return NTSEC_STATUS_UNKNOWN_REVISION;
    /* BACKUP_SECURITY_INFORMATION asks for every part. */
    if (info & NTSEC_BACKUP_SECURITY_INFORMATION)
        info |= NTSEC_OWNER_SECURITY_INFORMATION | NTSEC_GROUP_SECURITY_INFORMATION |
                NTSEC_DACL_SECURITY_INFORMATION | NTSEC_SACL_SECURITY_INFORMATION;
    st = format_all(&sb, sd, domain, info);
    if (!ntsec_success(st)) {
        ntsec__strbuf_discard(&sb);
        return st;
    }
    st = ntsec__strbuf_finish(&sb, &out, &n);
    if (!ntsec_success(st))
        return st;
    *sddl = out;
    if (len)
        *len = n;
    return NTSEC_STATUS_SUCCESS;
}
