/* object_security.c - NtQuerySecurityObject and NtSetSecurityObject for
 * ntsec's kernel objects (processes, threads, tokens, pipe ends): the parts of an
 * object's descriptor a caller asks for, in self-relative form, and
 * replacing the parts a caller names.
 *
 * An object's descriptor is an immutable counted blob (object_sd.h): a
 * query borrows the current one; a change builds a new one from the
 * current and the caller's parts and swaps the pointer under the
 * object's lock, so concurrent opens and queries see either the old or
 * the new descriptor, whole. The access the caller's handle needs for each
 * part is the caller's to check (the Win32 and NT layers do, from their
 * handle). */
#include <string.h>

#include "alloc.h"
#include "ntsec/acl.h"
#include "ntsec/object.h"
#include "ntsec/privilege.h"
#include "ntsec/sd.h"
#include "object_sd.h"
#include "sd.h"
#include "token.h"

#define ACL_CONTROL (NTSEC_SE_DACL_DEFAULTED | NTSEC_SE_DACL_PROTECTED | \
                     NTSEC_SE_DACL_AUTO_INHERITED | NTSEC_SE_DACL_AUTO_INHERIT_REQ)
#define SACL_CONTROL (NTSEC_SE_SACL_DEFAULTED | NTSEC_SE_SACL_PROTECTED | \
                      NTSEC_SE_SACL_AUTO_INHERITED | NTSEC_SE_SACL_AUTO_INHERIT_REQ)

/* winnt.h: the SetSecurityInfo flags that protect or unprotect an ACL
 * from inheritance. */
#define PROTECTED_DACL   0x80000000u
#define PROTECTED_SACL   0x40000000u
#define UNPROTECTED_DACL 0x20000000u
#define UNPROTECTED_SACL 0x10000000u

#define SET_PARTS (NTSEC_OWNER_SECURITY_INFORMATION | NTSEC_GROUP_SECURITY_INFORMATION | \
                   NTSEC_DACL_SECURITY_INFORMATION | NTSEC_SACL_SECURITY_INFORMATION | \
                   NTSEC_LABEL_SECURITY_INFORMATION)
#define SET_FLAGS (PROTECTED_DACL | PROTECTED_SACL | UNPROTECTED_DACL | UNPROTECTED_SACL)

#define LABEL_AUTHORITY 16

static bool is_label(const struct ntsec_ace_header *ace)
{
    return ace->type == NTSEC_ACE_SYSTEM_MANDATORY_LABEL;
}

/* An ACL of the ACEs of `a` that are not labels followed by the label
 * ACEs of `b` (either may be NULL): the SACL holds both the audit ACEs
 * and the mandatory label, which SECURITY_INFORMATION names separately
 * (SACL_ / LABEL_SECURITY_INFORMATION, Microsoft docs "SECURITY_INFORMATION").
 * Allocated; NULL when out of memory or, with *st INVALID_ACL, too big. */
static struct ntsec_acl *sacl_compose(const struct ntsec_acl *a, const struct ntsec_acl *b,
                                      ntsec_status *st)
{
    const struct ntsec_acl *from[2] = { a, b };
    const struct ntsec_ace_header *ace;
    uint32_t size = 8, revision = NTSEC_ACL_REVISION;
    struct ntsec_acl *out;

    for (int k = 0; k < 2; k++) {
        if (!from[k])
            continue;
        if (from[k]->revision > revision)
            revision = from[k]->revision;
        for (uint32_t i = 0; ntsec_success(ntsec_acl_get_ace(from[k], i, &ace)); i++)
            if (is_label(ace) == (k == 1))
                size += ace->size;
    }
    *st = NTSEC_STATUS_INVALID_ACL;
    if (size > 0xFFFCu)
        return NULL;
    *st = NTSEC_STATUS_NO_MEMORY;
    out = ntsec__alloc(size);
    if (!out)
        return NULL;
    ntsec_acl_init(out, size, revision);
    for (int k = 0; k < 2; k++)
        for (uint32_t i = 0; from[k] && ntsec_success(ntsec_acl_get_ace(from[k], i, &ace)); i++)
            if (is_label(ace) == (k == 1))
                ntsec_acl_add_aces(out, revision, UINT32_MAX, ace, ace->size);
    *st = NTSEC_STATUS_SUCCESS;
    return out;
}

/* --- query ----------------------------------------------------------------- */

/* LABEL_SECURITY_INFORMATION without SACL_SECURITY_INFORMATION asks for
 * the mandatory label only: a SACL of the label ACEs ("SECURITY_INFORMATION",
 * Microsoft docs: "The mandatory integrity label is being referenced"). */
static ntsec_status answer(const void *sd, uint32_t info, void *buf, uint32_t size,
                           uint32_t *needed)
{
    struct ntsec__sd_parts all, parts = { 0 };
    struct ntsec_acl *label = NULL;
    uint32_t len;
    ntsec_status st = ntsec__sd_parts(sd, NTSEC__SD_SIZE_TRUSTED, &all);

    if (!ntsec_success(st))
        return st;
    parts.revision = all.revision;
    if (info & NTSEC_OWNER_SECURITY_INFORMATION) {
        parts.owner = all.owner;
        parts.control |= all.control & NTSEC_SE_OWNER_DEFAULTED;
    }
    if (info & NTSEC_GROUP_SECURITY_INFORMATION) {
        parts.group = all.group;
        parts.control |= all.control & NTSEC_SE_GROUP_DEFAULTED;
    }
    if ((info & NTSEC_DACL_SECURITY_INFORMATION) && (all.control & NTSEC_SE_DACL_PRESENT)) {
        parts.dacl = all.dacl;
        parts.control |= NTSEC_SE_DACL_PRESENT | (all.control & ACL_CONTROL);
    }
    if ((info & (NTSEC_SACL_SECURITY_INFORMATION | NTSEC_LABEL_SECURITY_INFORMATION)) &&
        (all.control & NTSEC_SE_SACL_PRESENT)) {
        parts.sacl = all.sacl;
        if (all.sacl && !(info & NTSEC_SACL_SECURITY_INFORMATION)) {
            label = sacl_compose(NULL, all.sacl, &st);
            if (!label)
                return st;
            parts.sacl = label;
        }
        parts.control |= NTSEC_SE_SACL_PRESENT | (all.control & SACL_CONTROL);
    }
    len = ntsec__sd_relative_length(&parts);
    *needed = len;
    if (size < len || !buf)
        st = NTSEC_STATUS_BUFFER_TOO_SMALL;
    else
        ntsec__sd_write_relative(&parts, buf);
    ntsec__free(label);
    return st;
}

ntsec_status ntsec_object_query_security(void *object, uint32_t info, void *buf, uint32_t size,
                                         uint32_t *needed)
{
    struct ntsec__sd_blob *sd;
    ntsec_status st;

    if (!object || !needed)
        return NTSEC_STATUS_INVALID_PARAMETER;
    st = ntsec__object_sd_acquire(object, &sd);
    if (!ntsec_success(st))
        return st;
    st = answer(ntsec__sd_blob_sd(sd), info, buf, size, needed);
    ntsec__sd_blob_put(sd);
    return st;
}

/* --- set ------------------------------------------------------------------- */

/* The SIDs a caller may make an object's owner: its user, or a group of
 * its token with SE_GROUP_OWNER ("SE_GROUP_OWNER: The SID identifies a
 * group account for which the user of the token is the owner of the group,
 * or the SID can be assigned as the owner of the token or objects",
 * Microsoft docs, TOKEN_GROUPS) - the same rule as TokenOwner
 * (token_set.c). SeRestorePrivilege lifts it: "this privilege enables you
 * to set any valid user or group SID as the owner" (Microsoft docs,
 * "Privilege Constants", SE_RESTORE_NAME). */
static bool owner_assignable(const struct ntsec_token *caller, const struct ntsec_sid *sid)
{
    uint32_t pos = ntsec__sid_index_find(&caller->index, caller->sids, sid);

    if (pos == 0)
        return true;
    if (pos != NTSEC__NO_INDEX &&
        (atomic_load_explicit(&((struct ntsec_token *)caller)->sids[pos].attributes,
                              memory_order_relaxed) & NTSEC_SE_GROUP_OWNER))
        return true;
    return ntsec_token_privilege_enabled(caller,
                                         ntsec_privilege_luid(NTSEC_SE_RESTORE_PRIVILEGE));
}

/* A mandatory label a caller may give an object: a label SID
 * (S-1-16-level) at or below the caller's own integrity level, unless the
 * caller has SeRelabelPrivilege ("Required to modify the mandatory
 * integrity level of an object", Microsoft docs, "Privilege Constants",
 * SE_RELABEL_NAME; "Windows Integrity Mechanism Design": a subject may
 * lower an object's level or set it up to its own). Anything else is
 * STATUS_INVALID_LABEL (ERROR_INVALID_LABEL: "a particular Security ID may
 * not be assigned as the label of an object"). */
static ntsec_status labels_allowed(const struct ntsec_token *caller, const struct ntsec_acl *sacl)
{
    static const uint8_t label_authority[6] = { 0, 0, 0, 0, 0, LABEL_AUTHORITY };
    const struct ntsec_ace_header *ace;
    bool relabel = ntsec_token_privilege_enabled(caller,
                                                 ntsec_privilege_luid(NTSEC_SE_RELABEL_PRIVILEGE));

    for (uint32_t i = 0; sacl && ntsec_success(ntsec_acl_get_ace(sacl, i, &ace)); i++) {
        const struct ntsec_sid *sid;

        if (!is_label(ace))
            continue;
        sid = ntsec_ace_sid(ace);
        if (!sid || sid->sub_authority_count != 1 ||
            memcmp(sid->identifier_authority, label_authority, sizeof(label_authority)) != 0)
            return NTSEC_STATUS_INVALID_LABEL;
        if (!relabel && ntsec_sid_rid(sid) > ntsec_token_integrity(caller))
            return NTSEC_STATUS_INVALID_LABEL;
    }
    return NTSEC_STATUS_SUCCESS;
}

/* The checks that need only the caller's descriptor and token, in the
 * order Windows makes them (SeCaptureSecurityDescriptor, then
 * SeSetSecurityDescriptorInfo: behaviour as ReactOS se/sd.c implements
 * it): the descriptor must be valid (STATUS_INVALID_SECURITY_DESCR; a
 * revision other than 1 STATUS_UNKNOWN_REVISION); an owner or group named
 * by `info` must be there (STATUS_INVALID_OWNER,
 * STATUS_INVALID_PRIMARY_GROUP); then the owner and label rules above. */
static ntsec_status check_new(const void *sd, uint32_t info, const struct ntsec_token *caller,
                              struct ntsec__sd_parts *parts)
{
    ntsec_status st = ntsec__sd_parts(sd, NTSEC__SD_SIZE_TRUSTED, parts);

    if (!ntsec_success(st))
        return NTSEC_STATUS_INVALID_SECURITY_DESCR;
    if (parts->revision != NTSEC_SD_REVISION)
        return NTSEC_STATUS_UNKNOWN_REVISION;
    if (!ntsec_sd_is_valid(sd))
        return NTSEC_STATUS_INVALID_SECURITY_DESCR;
    if (info & NTSEC_OWNER_SECURITY_INFORMATION) {
        if (!parts->owner || !owner_assignable(caller, parts->owner))
            return NTSEC_STATUS_INVALID_OWNER;
    }
    if ((info & NTSEC_GROUP_SECURITY_INFORMATION) && !parts->group)
        return NTSEC_STATUS_INVALID_PRIMARY_GROUP;
    if (info & NTSEC_LABEL_SECURITY_INFORMATION)
        return labels_allowed(caller, parts->sacl);
    return NTSEC_STATUS_SUCCESS;
}

/* The new descriptor: `cur` with the parts `info` names taken from `in`
 * (SeSetSecurityDescriptorInfo: "only the security information specified
 * by SecurityInformation is changed", Microsoft docs). SACL and label
 * together replace the whole SACL; SACL alone replaces the audit ACEs and
 * keeps the object's label; label alone replaces the label and keeps the
 * audit ACEs. */
static ntsec_status merge(const void *cur_sd, const struct ntsec__sd_parts *in, uint32_t info,
                          const struct ntsec_generic_mapping *mapping, struct ntsec__sd_blob **out)
{
    struct ntsec__sd_parts cur, parts, written;
    struct ntsec_acl *sacl = NULL;
    struct ntsec__sd_blob *b;
    ntsec_status st = ntsec__sd_parts(cur_sd, NTSEC__SD_SIZE_TRUSTED, &cur);
    uint32_t size;

    if (!ntsec_success(st))
        return st;
    parts = cur;
    parts.revision = NTSEC_SD_REVISION;
    parts.control &= (uint16_t)~NTSEC_SE_SELF_RELATIVE;
    if (info & NTSEC_OWNER_SECURITY_INFORMATION) {
        parts.owner = in->owner;
        parts.control = (parts.control & ~NTSEC_SE_OWNER_DEFAULTED) |
                        (in->control & NTSEC_SE_OWNER_DEFAULTED);
    }
    if (info & NTSEC_GROUP_SECURITY_INFORMATION) {
        parts.group = in->group;
        parts.control = (parts.control & ~NTSEC_SE_GROUP_DEFAULTED) |
                        (in->control & NTSEC_SE_GROUP_DEFAULTED);
    }
    if (info & NTSEC_DACL_SECURITY_INFORMATION) {
        parts.dacl = (in->control & NTSEC_SE_DACL_PRESENT) ? in->dacl : NULL;
        parts.control = (parts.control & ~(ACL_CONTROL | NTSEC_SE_DACL_PRESENT)) |
                        (in->control & (ACL_CONTROL | NTSEC_SE_DACL_PRESENT));
    }
    switch (info & (NTSEC_SACL_SECURITY_INFORMATION | NTSEC_LABEL_SECURITY_INFORMATION)) {
    case NTSEC_SACL_SECURITY_INFORMATION | NTSEC_LABEL_SECURITY_INFORMATION:
        parts.sacl = (in->control & NTSEC_SE_SACL_PRESENT) ? in->sacl : NULL;
        parts.control = (parts.control & ~(SACL_CONTROL | NTSEC_SE_SACL_PRESENT)) |
                        (in->control & (SACL_CONTROL | NTSEC_SE_SACL_PRESENT));
        break;
    case NTSEC_SACL_SECURITY_INFORMATION:
    case NTSEC_LABEL_SECURITY_INFORMATION: {
        bool audit = info & NTSEC_SACL_SECURITY_INFORMATION;
        const struct ntsec_acl *given = (in->control & NTSEC_SE_SACL_PRESENT) ? in->sacl : NULL;
        const struct ntsec_acl *kept = (cur.control & NTSEC_SE_SACL_PRESENT) ? cur.sacl : NULL;

        sacl = sacl_compose(audit ? given : kept, audit ? kept : given, &st);
        if (!sacl)
            return st;
        parts.sacl = sacl;
        parts.control |= NTSEC_SE_SACL_PRESENT;
        if (audit)
            parts.control = (parts.control & ~SACL_CONTROL) | (in->control & SACL_CONTROL);
        break;
    }
    default:
        break;
    }
    /* SetSecurityInfo's flags (Microsoft docs, SetSecurityInfo,
     * SecurityInfo): PROTECTED_* keeps the ACL from inheriting ACEs,
     * UNPROTECTED_* lets it inherit again. */
    if (info & PROTECTED_DACL)
        parts.control |= NTSEC_SE_DACL_PROTECTED;
    else if (info & UNPROTECTED_DACL)
        parts.control &= (uint16_t)~NTSEC_SE_DACL_PROTECTED;
    if (info & PROTECTED_SACL)
        parts.control |= NTSEC_SE_SACL_PROTECTED;
    else if (info & UNPROTECTED_SACL)
        parts.control &= (uint16_t)~NTSEC_SE_SACL_PROTECTED;

    size = ntsec__sd_relative_length(&parts);
    b = ntsec__sd_blob_alloc(size);
    if (b)
        ntsec__sd_write_relative(&parts, b->sd);
    ntsec__free(sacl);
    if (!b)
        return NTSEC_STATUS_NO_MEMORY;
    /* The ACLs are stored with their generic rights mapped by the
     * object's type ("GenericMapping: ... the mapping of generic to
     * specific and standard access types for the object being modified",
     * Microsoft docs, SeSetSecurityDescriptorInfo), as SeAssignSecurity
     * stores them (object_sd.c): the access check never maps an ACE. */
    if (ntsec_success(ntsec__sd_parts(b->sd, size, &written))) {
        if (written.dacl)
            ntsec__acl_map_generic((struct ntsec_acl *)written.dacl, mapping);
        if (written.sacl)
            ntsec__acl_map_generic((struct ntsec_acl *)written.sacl, mapping);
    }
    *out = b;
    return NTSEC_STATUS_SUCCESS;
}

/* Bits of SECURITY_INFORMATION that name parts ntsec does not model
 * (resource attributes, scoped policy, trust labels, BACKUP) are
 * STATUS_INVALID_PARAMETER: refusing is better than dropping them. */
ntsec_status ntsec_object_set_security(void *object, uint32_t info, const void *sd,
                                       const struct ntsec_token *caller)
{
    struct ntsec__sd_blob **slot, *fallback = NULL, *cur, *next = NULL;
    struct ntsec__sd_parts in;
    ntsec_status st;

    if (!object || !sd || !caller || (info & ~(SET_PARTS | SET_FLAGS)))
        return NTSEC_STATUS_INVALID_PARAMETER;
    st = ntsec__object_sd_lock(object, &slot);
    if (!ntsec_success(st))
        return st;
    cur = *slot;
    ntsec__object_sd_unlock(object);
    st = check_new(sd, info, caller, &in);
    if (!ntsec_success(st))
        return st;

    /* A token whose descriptor was never set has none stored: its default
     * is built first, outside the lock, which building takes. */
    if (!cur) {
        st = ntsec__object_default_sd(object, NULL, NTSEC_OBJECT_TOKEN, &fallback);
        if (!ntsec_success(st))
            return st;
    }

    /* Writers serialise on the lock, so two changes of different parts
     * both land; readers hold it only to take a reference. A pipe end
     * may have been detached meanwhile: then nothing changes. */
    st = ntsec__object_sd_lock(object, &slot);
    if (ntsec_success(st)) {
        cur = *slot ? *slot : fallback;
        st = merge(ntsec__sd_blob_sd(cur), &in, info,
                   ntsec__object_mapping(ntsec_object_type(object)), &next);
        if (ntsec_success(st)) {
            cur = *slot;
            *slot = next;
        }
        ntsec__object_sd_unlock(object);
    }
    if (ntsec_success(st))
        ntsec__sd_blob_put(cur);
    ntsec__sd_blob_put(fallback);
    return st;
}
