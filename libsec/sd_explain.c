/* sd_explain.c - a security descriptor in words: owner, group, control
 * bits and every ACE, for people learning how Windows decides access.
 *
 * The wording follows Microsoft's "How DACLs Control Access to an Object"
 * and "ACE Inheritance Rules" (learn.microsoft.com/windows/win32/secauthz):
 * ACEs are read in order and, per right, the first ACE naming it decides. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ntsec/ntsec.h"
#include "alloc.h"
#include "sddl_tables.h"
#include "strbuf.h"

/* --- rights ------------------------------------------------------------ */

struct right_name {
    uint32_t    bit;
    const char *name;
};

/* Rights every object type shares (winnt.h). */
static const struct right_name common_rights[] = {
    { NTSEC_DELETE,                 "DELETE" },
    { NTSEC_READ_CONTROL,           "READ_CONTROL" },
    { NTSEC_WRITE_DAC,              "WRITE_DAC" },
    { NTSEC_WRITE_OWNER,            "WRITE_OWNER" },
    { NTSEC_SYNCHRONIZE,            "SYNCHRONIZE" },
    { NTSEC_ACCESS_SYSTEM_SECURITY, "ACCESS_SYSTEM_SECURITY" },
    { NTSEC_MAXIMUM_ALLOWED,        "MAXIMUM_ALLOWED" },
    { NTSEC_GENERIC_ALL,            "GENERIC_ALL" },
    { NTSEC_GENERIC_EXECUTE,        "GENERIC_EXECUTE" },
    { NTSEC_GENERIC_WRITE,          "GENERIC_WRITE" },
    { NTSEC_GENERIC_READ,           "GENERIC_READ" },
};

/* Object-specific bits mean different things per object type; SDDL's
 * letters for them are the directory-service meanings (CC, DC, LC, ...)
 * while the FA/FR/FW/FX letters are file rights. Both are shown.
 * Sources: winnt.h FILE_* rights; "ACE Strings" (Microsoft docs). */
struct specific_name {
    uint32_t    bit;
    const char *file;
    const char *directory;
};

static const struct specific_name specific_rights[] = {
    { 0x0001, "FILE_READ_DATA",        "create child (CC)" },
    { 0x0002, "FILE_WRITE_DATA",       "delete child (DC)" },
    { 0x0004, "FILE_APPEND_DATA",      "list children (LC)" },
    { 0x0008, "FILE_READ_EA",          "self write (SW)" },
    { 0x0010, "FILE_WRITE_EA",         "read property (RP)" },
    { 0x0020, "FILE_EXECUTE",          "write property (WP)" },
    { 0x0040, "FILE_DELETE_CHILD",     "delete tree (DT)" },
    { 0x0080, "FILE_READ_ATTRIBUTES",  "list object (LO)" },
    { 0x0100, "FILE_WRITE_ATTRIBUTES", "control access (CR)" },
};

static void put_sep(struct ntsec__strbuf *sb, bool *first)
{
    if (!*first)
        ntsec__strbuf_puts(sb, ", ");
    *first = false;
}

/* The names of the rights in `mask`: shared rights by name, then the
 * object-specific bits with their file and directory-object meanings, then
 * any bit left over. `group_sep` goes between those groups. */
static void describe_mask(struct ntsec__strbuf *sb, uint32_t mask, const char *group_sep,
                          bool directory_meaning)
{
    bool first = true;
    uint32_t specific = mask & 0x1FFu, rest = mask;

    if (mask == 0) {
        ntsec__strbuf_puts(sb, "no rights");
        return;
    }
    for (size_t i = 0; i < sizeof(common_rights) / sizeof(common_rights[0]); i++) {
        if (!(mask & common_rights[i].bit))
            continue;
        put_sep(sb, &first);
        ntsec__strbuf_puts(sb, common_rights[i].name);
        rest &= ~common_rights[i].bit;
    }
    if (specific) {
        bool item = true;

        if (!first)
            ntsec__strbuf_puts(sb, group_sep);
        first = false;
        ntsec__strbuf_printf(sb, "specific 0x%x: %s", specific,
                             directory_meaning ? "for a file " : "");
        for (size_t i = 0; i < sizeof(specific_rights) / sizeof(specific_rights[0]); i++)
            if (specific & specific_rights[i].bit) {
                put_sep(sb, &item);
                ntsec__strbuf_puts(sb, specific_rights[i].file);
            }
        if (directory_meaning) {
            ntsec__strbuf_puts(sb, "; for a directory object ");
            item = true;
            for (size_t i = 0; i < sizeof(specific_rights) / sizeof(specific_rights[0]); i++)
                if (specific & specific_rights[i].bit) {
                    put_sep(sb, &item);
                    ntsec__strbuf_puts(sb, specific_rights[i].directory);
                }
        }
        rest &= ~specific;
    }
    if (rest) {
        if (!first)
            ntsec__strbuf_puts(sb, group_sep);
        ntsec__strbuf_printf(sb, "other bits 0x%08x", rest);
    }
}

size_t ntsec_access_mask_describe(uint32_t mask, char *buf, size_t size)
{
    struct ntsec__strbuf sb = NTSEC__STRBUF_INIT;
    size_t len;

    describe_mask(&sb, mask, ", ", false);
    if (sb.failed) {
        ntsec__strbuf_discard(&sb);
        if (size)
            buf[0] = 0;
        return 0;
    }
    len = sb.len;
    if (size) {
        size_t n = len < size - 1 ? len : size - 1;
        memcpy(buf, sb.data, n);
        buf[n] = 0;
    }
    ntsec__strbuf_discard(&sb);
    return len;
}

/* One name: a winnt.h right, an object-specific file right, a name from
 * the SDDL rights table (FILE_ALL_ACCESS, KEY_READ, ...), or SDDL letters
 * (a run of two-letter codes such as "RPWP"). */
static bool parse_right_name(const char *name, size_t len, uint32_t *mask)
{
    for (size_t i = 0; i < sizeof(common_rights) / sizeof(common_rights[0]); i++)
        if (strlen(common_rights[i].name) == len && !strncasecmp(name, common_rights[i].name, len)) {
            *mask = common_rights[i].bit;
            return true;
        }
    for (size_t i = 0; i < sizeof(specific_rights) / sizeof(specific_rights[0]); i++)
        if (strlen(specific_rights[i].file) == len && !strncasecmp(name, specific_rights[i].file, len)) {
            *mask = specific_rights[i].bit;
            return true;
        }
    for (size_t i = 0; i < ntsec__sddl_right_count(); i++) {
        const struct ntsec__sddl_right *r = ntsec__sddl_right_at(i);
        if (r->name && strlen(r->name) == len && !strncasecmp(name, r->name, len)) {
            *mask = r->mask;
            return true;
        }
    }
    if (len == 0 || len % 2)
        return false;
    *mask = 0;
    for (size_t i = 0; i < len; i += 2) {
        char two[3] = { name[i], name[i + 1], 0 };
        uint32_t bits;
        if (!ntsec__sddl_right_by_letters(two, &bits))
            return false;
        *mask |= bits;
    }
    return true;
}

ntsec_status ntsec_access_mask_parse(const char *text, uint32_t *mask)
{
    uint32_t total = 0;
    const char *p = text;
    char *end;

    if (!text || !mask || !*text)
        return NTSEC_STATUS_INVALID_PARAMETER;
    if (*text >= '0' && *text <= '9') {
        unsigned long long v;

        errno = 0;
        v = strtoull(text, &end, 0);
        if (errno || *end || v > UINT32_MAX)
            return NTSEC_STATUS_INVALID_PARAMETER;
        *mask = (uint32_t)v;
        return NTSEC_STATUS_SUCCESS;
    }
    while (*p) {
        size_t len = strcspn(p, "|,+");
        uint32_t bits;

        while (len && p[len - 1] == ' ')
            len--;
        if (!parse_right_name(p, len, &bits))
            return NTSEC_STATUS_INVALID_PARAMETER;
        total |= bits;
        p += strcspn(p, "|,+");
        if (*p) {
            p++;
            while (*p == ' ')
                p++;
            if (!*p)
                return NTSEC_STATUS_INVALID_PARAMETER;
        }
    }
    *mask = total;
    return NTSEC_STATUS_SUCCESS;
}

/* --- SIDs, flags, ACE types ------------------------------------------- */

static void describe_sid(struct ntsec__strbuf *sb, const struct ntsec_sid *sid,
                         const struct ntsec_sid *domain)
{
    char text[NTSEC_SID_STRING_MAX];
    const char *name = ntsec_sid_name(sid);
    const char *alias = ntsec_sid_to_alias(sid, domain);

    ntsec_sid_format(sid, text, sizeof(text));
    if (name)
        ntsec__strbuf_printf(sb, "%s (%s)", name, text);
    else if (alias)
        ntsec__strbuf_printf(sb, "%s (%s)", alias, text);
    else
        ntsec__strbuf_printf(sb, "%s", text);
}

struct flag_name {
    uint32_t    bit;
    const char *words;
};

static const struct flag_name control_names[] = {
    { NTSEC_SE_OWNER_DEFAULTED,       "owner defaulted" },
    { NTSEC_SE_GROUP_DEFAULTED,       "group defaulted" },
    { NTSEC_SE_DACL_PRESENT,          "DACL present" },
    { NTSEC_SE_DACL_DEFAULTED,        "DACL defaulted" },
    { NTSEC_SE_SACL_PRESENT,          "SACL present" },
    { NTSEC_SE_SACL_DEFAULTED,        "SACL defaulted" },
    { NTSEC_SE_DACL_UNTRUSTED,        "DACL untrusted" },
    { NTSEC_SE_SERVER_SECURITY,       "server security" },
    { NTSEC_SE_DACL_AUTO_INHERIT_REQ, "DACL auto-inherit requested (AR)" },
    { NTSEC_SE_SACL_AUTO_INHERIT_REQ, "SACL auto-inherit requested (AR)" },
    { NTSEC_SE_DACL_AUTO_INHERITED,   "DACL auto-inherited (AI)" },
    { NTSEC_SE_SACL_AUTO_INHERITED,   "SACL auto-inherited (AI)" },
    { NTSEC_SE_DACL_PROTECTED,        "DACL protected from inheritance (P)" },
    { NTSEC_SE_SACL_PROTECTED,        "SACL protected from inheritance (P)" },
    { NTSEC_SE_RM_CONTROL_VALID,      "resource-manager bits valid" },
    { NTSEC_SE_SELF_RELATIVE,         "self-relative" },
};

static const struct flag_name ace_flag_names[] = {
    { NTSEC_ACE_OBJECT_INHERIT,       "inherited by child objects such as files (OI)" },
    { NTSEC_ACE_CONTAINER_INHERIT,    "inherited by child containers such as folders (CI)" },
    { NTSEC_ACE_NO_PROPAGATE_INHERIT, "inherited one level only (NP)" },
    { NTSEC_ACE_INHERIT_ONLY,         "inherit-only: not checked for this object itself (IO)" },
    { NTSEC_ACE_INHERITED,            "inherited from the parent (ID)" },
    { NTSEC_ACE_CRITICAL,             "critical (CR)" },
    { NTSEC_ACE_SUCCESSFUL_ACCESS,    "audits successful access (SA)" },
    { NTSEC_ACE_FAILED_ACCESS,        "audits failed access (FA)" },
};

struct ace_kind {
    uint8_t     type;
    const char *words;
};

static const struct ace_kind ace_kinds[] = {
    { NTSEC_ACE_ACCESS_ALLOWED,                 "ALLOW" },
    { NTSEC_ACE_ACCESS_DENIED,                  "DENY" },
    { NTSEC_ACE_SYSTEM_AUDIT,                   "AUDIT" },
    { NTSEC_ACE_SYSTEM_ALARM,                   "ALARM" },
    { NTSEC_ACE_ACCESS_ALLOWED_COMPOUND,        "ALLOW (compound, server impersonation)" },
    { NTSEC_ACE_ACCESS_ALLOWED_OBJECT,          "ALLOW for an object type" },
    { NTSEC_ACE_ACCESS_DENIED_OBJECT,           "DENY for an object type" },
    { NTSEC_ACE_SYSTEM_AUDIT_OBJECT,            "AUDIT for an object type" },
    { NTSEC_ACE_SYSTEM_ALARM_OBJECT,            "ALARM for an object type" },
    { NTSEC_ACE_ACCESS_ALLOWED_CALLBACK,        "ALLOW if the condition holds" },
    { NTSEC_ACE_ACCESS_DENIED_CALLBACK,         "DENY if the condition holds (ignored by the kernel's check)" },
    { NTSEC_ACE_ACCESS_ALLOWED_CALLBACK_OBJECT, "ALLOW for an object type if the condition holds" },
    { NTSEC_ACE_ACCESS_DENIED_CALLBACK_OBJECT,  "DENY for an object type if the condition holds (ignored by the kernel's check)" },
    { NTSEC_ACE_SYSTEM_AUDIT_CALLBACK,          "AUDIT if the condition holds" },
    { NTSEC_ACE_SYSTEM_ALARM_CALLBACK,          "ALARM if the condition holds" },
    { NTSEC_ACE_SYSTEM_AUDIT_CALLBACK_OBJECT,   "AUDIT for an object type if the condition holds" },
    { NTSEC_ACE_SYSTEM_ALARM_CALLBACK_OBJECT,   "ALARM for an object type if the condition holds" },
    { NTSEC_ACE_SYSTEM_MANDATORY_LABEL,         "MANDATORY LABEL" },
    { NTSEC_ACE_SYSTEM_RESOURCE_ATTRIBUTE,      "RESOURCE ATTRIBUTE" },
    { NTSEC_ACE_SYSTEM_SCOPED_POLICY_ID,        "SCOPED POLICY" },
    { NTSEC_ACE_SYSTEM_PROCESS_TRUST_LABEL,     "PROCESS TRUST LABEL" },
    { NTSEC_ACE_SYSTEM_ACCESS_FILTER,           "ACCESS FILTER" },
};

static const char *ace_kind_words(uint8_t type)
{
    for (size_t i = 0; i < sizeof(ace_kinds) / sizeof(ace_kinds[0]); i++)
        if (ace_kinds[i].type == type)
            return ace_kinds[i].words;
    return NULL;
}

static void describe_flags(struct ntsec__strbuf *sb, uint32_t flags,
                           const struct flag_name *names, size_t count)
{
    bool first = true;

    for (size_t i = 0; i < count; i++) {
        if (!(flags & names[i].bit))
            continue;
        put_sep(sb, &first);
        ntsec__strbuf_puts(sb, names[i].words);
    }
    if (first)
        ntsec__strbuf_puts(sb, "none");
}

/* Mandatory label masks say which access from lower integrity is refused
 * ("Mandatory Integrity Control", Microsoft docs). */
static void describe_label_policy(struct ntsec__strbuf *sb, uint32_t mask)
{
    static const struct flag_name policy[] = {
        { NTSEC_MANDATORY_NO_WRITE_UP,   "no write up (NW)" },
        { NTSEC_MANDATORY_NO_READ_UP,    "no read up (NR)" },
        { NTSEC_MANDATORY_NO_EXECUTE_UP, "no execute up (NX)" },
    };

    ntsec__strbuf_puts(sb, "     policy: callers below this integrity level get ");
    describe_flags(sb, mask, policy, sizeof(policy) / sizeof(policy[0]));
    ntsec__strbuf_putc(sb, '\n');
}

static void describe_ace(struct ntsec__strbuf *sb, unsigned index,
                         const struct ntsec_ace_header *ace, const struct ntsec_sid *domain)
{
    const char *kind = ace_kind_words(ace->type);
    const struct ntsec_sid *sid = ntsec_ace_sid(ace);
    uint32_t mask = ntsec_ace_mask(ace);
    const struct ntsec__sddl_right *named;
    size_t data_len = 0;

    ntsec__strbuf_printf(sb, "  %u. ", index);
    if (kind)
        ntsec__strbuf_puts(sb, kind);
    else
        ntsec__strbuf_printf(sb, "ACE of unknown type 0x%02x", ace->type);
    if (sid) {
        ntsec__strbuf_putc(sb, ' ');
        describe_sid(sb, sid, domain);
    }
    ntsec__strbuf_puts(sb, "\n     flags: ");
    describe_flags(sb, ace->flags, ace_flag_names, sizeof(ace_flag_names) / sizeof(ace_flag_names[0]));
    ntsec__strbuf_putc(sb, '\n');
    if (ace->type == NTSEC_ACE_SYSTEM_MANDATORY_LABEL) {
        describe_label_policy(sb, mask);
        return;
    }
    ntsec__strbuf_printf(sb, "     rights 0x%08x", mask);
    /* A mask SDDL has letters for (FA, KR, ...) is named as SDDL names it. */
    named = ntsec__sddl_right_named(mask, false);
    if (named)
        ntsec__strbuf_printf(sb, " (%s, \"%s\" in SDDL)", named->name, named->letters);
    ntsec__strbuf_puts(sb, ":\n       ");
    describe_mask(sb, mask, "\n       ", true);
    ntsec__strbuf_putc(sb, '\n');
    if (ntsec_ace_object_type(ace))
        ntsec__strbuf_puts(sb, "     applies to one object type (GUID) only\n");
    if (ntsec_ace_application_data(ace, &data_len) && data_len)
        ntsec__strbuf_printf(sb, "     carries %zu bytes of condition or attribute data\n", data_len);
}

static void describe_acl(struct ntsec__strbuf *sb, const char *which, bool present,
                         const struct ntsec_acl *acl, const struct ntsec_sid *domain)
{
    if (!present) {
        ntsec__strbuf_printf(sb, "%s:     absent", which);
        ntsec__strbuf_puts(sb, !strcmp(which, "DACL") ?
                           " - no DACL: everyone is granted every right\n" : "\n");
        return;
    }
    if (!acl) {
        ntsec__strbuf_printf(sb, "%s:     NULL", which);
        ntsec__strbuf_puts(sb, !strcmp(which, "DACL") ?
                           " (NO_ACCESS_CONTROL) - everyone is granted every right\n" : "\n");
        return;
    }
    if (acl->ace_count == 0) {
        ntsec__strbuf_printf(sb, "%s:     empty", which);
        ntsec__strbuf_puts(sb, !strcmp(which, "DACL") ? " - nobody is granted anything\n" : "\n");
        return;
    }
    ntsec__strbuf_printf(sb, "%s:     %u entr%s (ACL revision %u)", which, acl->ace_count,
                         acl->ace_count == 1 ? "y" : "ies", acl->revision);
    ntsec__strbuf_puts(sb, !strcmp(which, "DACL") ?
                       ", read in order: for each right, the first entry naming it decides\n" : "\n");
    for (unsigned i = 0; i < acl->ace_count; i++) {
        const struct ntsec_ace_header *ace;
        if (!ntsec_success(ntsec_acl_get_ace(acl, i, &ace)))
            break;
        describe_ace(sb, i + 1, ace, domain);
    }
}

ntsec_status ntsec_sd_explain(const void *sd, const struct ntsec_sid *domain, char **text)
{
    struct ntsec__strbuf sb = NTSEC__STRBUF_INIT;
    const struct ntsec_sid *owner, *group;
    const struct ntsec_acl *dacl = NULL, *sacl = NULL;
    bool dacl_present, sacl_present, defaulted;
    uint16_t control;
    uint32_t revision;

    if (!sd || !ntsec_sd_is_valid(sd))
        return NTSEC_STATUS_INVALID_SECURITY_DESCR;
    if (!ntsec_success(ntsec_sd_get_owner(sd, &owner, &defaulted)) ||
        !ntsec_success(ntsec_sd_get_group(sd, &group, &defaulted)) ||
        !ntsec_success(ntsec_sd_get_dacl(sd, &dacl_present, &dacl, &defaulted)) ||
        !ntsec_success(ntsec_sd_get_sacl(sd, &sacl_present, &sacl, &defaulted)) ||
        !ntsec_success(ntsec_sd_get_control(sd, &control, &revision)))
        return NTSEC_STATUS_INVALID_SECURITY_DESCR;

    ntsec__strbuf_puts(&sb, "Owner:    ");
    if (owner)
        describe_sid(&sb, owner, domain);
    else
        ntsec__strbuf_puts(&sb, "none");
    ntsec__strbuf_puts(&sb, "\nGroup:    ");
    if (group)
        describe_sid(&sb, group, domain);
    else
        ntsec__strbuf_puts(&sb, "none");
    ntsec__strbuf_puts(&sb, "\nControl:  ");
    describe_flags(&sb, control, control_names, sizeof(control_names) / sizeof(control_names[0]));
    ntsec__strbuf_putc(&sb, '\n');
    describe_acl(&sb, "DACL", dacl_present, dacl, domain);
    describe_acl(&sb, "SACL", sacl_present, sacl, domain);
    return ntsec__strbuf_finish(&sb, text, NULL);
}
