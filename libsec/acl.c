/* acl.c - access control lists in place in a caller's buffer: create,
 * validate, walk, insert and delete entries, as ntdll's Rtl*Acl* and
 * Rtl*Ace* functions do, with the statuses Windows returns.
 *
 * The ACL header's AclSize is trusted as the size of the buffer (Windows
 * has no other), but nothing is read or written outside those AclSize
 * bytes: where Windows would read an ACE header that straddles the end of
 * the ACL, ntsec treats the ACL as malformed instead. */
#include <string.h>

#include "ntsec/ntsec.h"
#include "ace.h"

#define MIN_ACL_REVISION  2     /* winnt.h MIN_ACL_REVISION (ACL_REVISION2) */
#define MAX_ACL_REVISION  4     /* winnt.h MAX_ACL_REVISION (ACL_REVISION4) */
#define ACCESS_MAX_MS_V4_ACE_TYPE 0x08
#define ACL_HEADER        sizeof(struct ntsec_acl)
#define ACE_HEADER        sizeof(struct ntsec_ace_header)

static uint8_t *acl_bytes(const struct ntsec_acl *acl)
{
    return (uint8_t *)acl;
}

static const struct ntsec_ace_header *ace_at(const struct ntsec_acl *acl, size_t off)
{
    return (const struct ntsec_ace_header *)(acl_bytes(acl) + off);
}

/* RtlFirstFreeAce: the offset just past the AceCount-th ACE in *free_off,
 * or 0 when it lies beyond AclSize (no room left, not an error). False
 * when an ACE before it starts outside the ACL. Source: ReactOS
 * modules/rostests/apitests/ntdll/RtlFirstFreeAce.c (Windows results). */
static bool first_free(const struct ntsec_acl *acl, size_t *free_off)
{
    size_t off = ACL_HEADER;

    for (unsigned i = 0; i < acl->ace_count; i++) {
        if (off + ACE_HEADER > acl->size)
            return false;
        off += ace_at(acl, off)->size;
    }
    *free_off = off <= acl->size ? off : 0;
    return true;
}

/* RtlValidAcl. Sources: ReactOS sdk/lib/rtl/acl.c, RtlValidAcl (revision
 * MIN..MAX_ACL_REVISION, AclSize even and at least the header, each ACE
 * header strictly before the end, AceSize even and the ACE inside the ACL,
 * SID checks for the known types); [MS-DTYP] 2.4.5 (object ACEs need
 * ACL_REVISION_DS). ntsec checks the SID of every known type (ReactOS does
 * for types 0-3 only) and accepts an unknown type whose AceSize covers at
 * least its header, as ReactOS does. */
/* What ntsec__ace_is_well_formed checks for a header-mask-SID ACE: a
 * DWORD-multiple size of at least the type's minimum, and a valid SID
 * (revision 1, at most 15 sub-authorities) wholly inside the entry. */
static inline bool sid_layout_ok(const struct ntsec_ace_header *ace, const struct ntsec__ace_kind *k)
{
    const uint8_t *sid = (const uint8_t *)ace + NTSEC__ACE_SID_OFFSET;

    if ((ace->size & 3) || ace->size < k->min_size ||
        ace->size < NTSEC__ACE_SID_OFFSET + NTSEC__SID_MIN_LENGTH)
        return false;
    return sid[0] == NTSEC_SID_REVISION && sid[1] <= NTSEC_SID_MAX_SUB_AUTHORITIES &&
           NTSEC__ACE_SID_OFFSET + NTSEC__SID_MIN_LENGTH + 4u * sid[1] <= ace->size;
}

bool ntsec_acl_is_valid(const struct ntsec_acl *acl)
{
    size_t off = ACL_HEADER;

    if (!acl)
        return false;
    if (acl->revision < MIN_ACL_REVISION || acl->revision > MAX_ACL_REVISION)
        return false;
    if ((acl->size & 1) || acl->size < ACL_HEADER)
        return false;
    for (unsigned i = 0; i < acl->ace_count; i++) {
        const struct ntsec_ace_header *ace;
        const struct ntsec__ace_kind *k;

        if (off + ACE_HEADER >= acl->size)
            return false;
        ace = ace_at(acl, off);
        if ((ace->size & 1) || ace->size < ACE_HEADER || off + ace->size > acl->size)
            return false;
        k = ntsec__ace_kind_of(ace->type);
        if (k && acl->revision < k->min_revision)
            return false;
        /* The common layout (header, mask, SID) is checked inline: the
         * access check validates every DACL it reads. */
        if (k && k->layout == NTSEC__ACE_LAYOUT_SID ? !sid_layout_ok(ace, k)
                                                    : !ntsec__ace_is_well_formed(ace))
            return false;
        off += ace->size;
    }
    return true;
}

/* RtlCreateAcl. A length below the header is STATUS_BUFFER_TOO_SMALL,
 * checked first; a revision outside ACL_REVISION2..ACL_REVISION4 or a
 * length over 0xFFFF is STATUS_INVALID_PARAMETER. Sources: Microsoft docs,
 * RtlCreateAcl, Return value; Windows results asserted by Wine's
 * dlls/advapi32/tests/security.c, test_acls (InitializeAcl with
 * sizeof(ACL) - 1 fails with ERROR_INSUFFICIENT_BUFFER, with 0xFFFFFFFF or
 * revision 1 or -1 with ERROR_INVALID_PARAMETER, revisions 2, 3, 4 succeed).
 * InitializeAcl's documentation requires a DWORD-aligned length; given an
 * unaligned one, ntsec rounds it down so the ACL never claims bytes the
 * caller did not give (ReactOS rounds up, Wine keeps it as is). */
ntsec_status ntsec_acl_init(struct ntsec_acl *acl, uint32_t size, uint32_t revision)
{
    if (!acl)
        return NTSEC_STATUS_INVALID_PARAMETER;
    if (size < ACL_HEADER)
        return NTSEC_STATUS_BUFFER_TOO_SMALL;
    if (revision < MIN_ACL_REVISION || revision > MAX_ACL_REVISION || size > 0xFFFF)
        return NTSEC_STATUS_INVALID_PARAMETER;
    acl->revision = (uint8_t)revision;
    acl->sbz1 = 0;
    acl->size = (uint16_t)(size & ~3u);
    acl->ace_count = 0;
    acl->sbz2 = 0;
    return NTSEC_STATUS_SUCCESS;
}

/* RtlGetAce: STATUS_INVALID_PARAMETER for a revision outside
 * MIN..MAX_ACL_REVISION, an index at or past AceCount, or an ACE on the way
 * that starts outside the ACL. Sources: ReactOS sdk/lib/rtl/acl.c, RtlGetAce;
 * Windows results asserted by Wine's dlls/advapi32/tests/security.c (GetAce
 * loops end on the first index past the last ACE). */
ntsec_status ntsec_acl_get_ace(const struct ntsec_acl *acl, uint32_t index,
                               const struct ntsec_ace_header **ace)
{
    size_t off = ACL_HEADER;

    if (!acl || !ace)
        return NTSEC_STATUS_INVALID_PARAMETER;
    if (acl->revision < MIN_ACL_REVISION || acl->revision > MAX_ACL_REVISION ||
        index >= acl->ace_count)
        return NTSEC_STATUS_INVALID_PARAMETER;
    for (uint32_t i = 0; ; i++) {
        if (off + ACE_HEADER > acl->size)
            return NTSEC_STATUS_INVALID_PARAMETER;
        if (i == index)
            break;
        off += ace_at(acl, off)->size;
    }
    *ace = ace_at(acl, off);
    return NTSEC_STATUS_SUCCESS;
}

/* RtlQueryInformationAcl(AclSizeInformation) / GetAclInformation: the
 * revision must be MIN..MAX_ACL_REVISION and the ACEs must start inside the
 * ACL (else STATUS_INVALID_PARAMETER); when the ACEs run past AclSize the
 * whole ACL counts as used. Source: ReactOS sdk/lib/rtl/acl.c,
 * RtlQueryInformationAcl; Windows results asserted by Wine's
 * dlls/advapi32/tests/security.c, test_AddMandatoryAce (AceCount). */
ntsec_status ntsec_acl_size_info(const struct ntsec_acl *acl, struct ntsec_acl_size_info *info)
{
    size_t free_off;

    if (!acl || !info)
        return NTSEC_STATUS_INVALID_PARAMETER;
    if (acl->revision < MIN_ACL_REVISION || acl->revision > MAX_ACL_REVISION)
        return NTSEC_STATUS_INVALID_PARAMETER;
    if (!first_free(acl, &free_off))
        return NTSEC_STATUS_INVALID_PARAMETER;
    info->ace_count = acl->ace_count;
    info->bytes_in_use = free_off ? (uint32_t)free_off : acl->size;
    info->bytes_free = acl->size - info->bytes_in_use;
    return NTSEC_STATUS_SUCCESS;
}

/* Count the ACEs of a ready-made list for RtlAddAce, refusing a type the
 * requested revision does not allow and a list whose last ACE runs past
 * `len` (STATUS_INVALID_PARAMETER). Windows checks the revision only for
 * the compound (revision 3) and object (revision 4) types, 0x04..0x08
 * (ReactOS sdk/lib/rtl/acl.c, RtlAddAce: "it is what Windows does"), so a
 * plain ACE goes in with any revision, even 0 or 1 (Windows results asserted
 * by Wine's dlls/advapi32/tests/security.c, test_AddAce). An AceSize below
 * the header would make Windows loop; ntsec refuses it. */
static ntsec_status count_aces(const uint8_t *list, uint32_t len, uint32_t revision,
                               unsigned *count)
{
    uint32_t off = 0;
    unsigned n = 0;

    while (off < len) {
        const struct ntsec_ace_header *ace = (const struct ntsec_ace_header *)(list + off);
        const struct ntsec__ace_kind *k;

        if (len - off < ACE_HEADER || ace->size < ACE_HEADER)
            return NTSEC_STATUS_INVALID_PARAMETER;
        k = ntsec__ace_kind_of(ace->type);
        if (k && ace->type <= ACCESS_MAX_MS_V4_ACE_TYPE && k->min_revision > MIN_ACL_REVISION &&
            revision < k->min_revision)
            return NTSEC_STATUS_INVALID_PARAMETER;
        off += ace->size;
        n++;
    }
    if (off > len)
        return NTSEC_STATUS_INVALID_PARAMETER;
    *count = n;
    return NTSEC_STATUS_SUCCESS;
}

/* Offset of ACE `index`, or of the first free byte when index >= AceCount
 * (RtlAddAce appends then). The ACL is valid, so every ACE is inside. */
static size_t ace_offset(const struct ntsec_acl *acl, uint32_t index)
{
    size_t off = ACL_HEADER;

    for (uint32_t i = 0; i < index && i < acl->ace_count; i++)
        off += ace_at(acl, off)->size;
    return off;
}

/* RtlAddAce / AddAce. Sources: ReactOS sdk/lib/rtl/acl.c, RtlAddAce (the
 * checks and their statuses: a malformed ACL or ACE list is
 * STATUS_INVALID_PARAMETER, a list that does not fit STATUS_BUFFER_TOO_SMALL);
 * Windows results asserted by Wine's dlls/advapi32/tests/security.c,
 * test_AddAce: any revision is accepted, the ACL's revision becomes the
 * higher of the two (never lowered; MAX_ACL_REVISION + 1 is stored and
 * leaves an ACL that the next AddAce refuses with ERROR_INVALID_PARAMETER). */
ntsec_status ntsec_acl_add_aces(struct ntsec_acl *acl, uint32_t revision,
                                uint32_t start_index, const void *aces, uint32_t len)
{
    size_t free_off, at;
    unsigned count;
    ntsec_status st;
    uint8_t *base;

    if (!acl || (!aces && len))
        return NTSEC_STATUS_INVALID_PARAMETER;
    if (!ntsec_acl_is_valid(acl) || !first_free(acl, &free_off))
        return NTSEC_STATUS_INVALID_PARAMETER;
    st = count_aces(aces, len, revision, &count);
    if (!ntsec_success(st))
        return st;
    if (!free_off || free_off + len > acl->size)
        return NTSEC_STATUS_BUFFER_TOO_SMALL;

    base = acl_bytes(acl);
    at = ace_offset(acl, start_index);
    memmove(base + at + len, base + at, free_off - at);
    if (len)
        memcpy(base + at, aces, len);
    acl->ace_count = (uint16_t)(acl->ace_count + count);
    if (revision > acl->revision)
        acl->revision = (uint8_t)revision;
    return NTSEC_STATUS_SUCCESS;
}

/* RtlDeleteAce: STATUS_INVALID_PARAMETER for a malformed ACL or an index
 * at or past AceCount (the ACL is left untouched); the ACEs after it move
 * up and the bytes it vacates are zeroed. Source: Windows results asserted
 * by ReactOS modules/rostests/apitests/ntdll/RtlDeleteAce.c. */
ntsec_status ntsec_acl_delete_ace(struct ntsec_acl *acl, uint32_t index)
{
    size_t free_off, at, size;
    uint8_t *base;

    if (!acl || !ntsec_acl_is_valid(acl))
        return NTSEC_STATUS_INVALID_PARAMETER;
    if (index >= acl->ace_count || !first_free(acl, &free_off) || !free_off)
        return NTSEC_STATUS_INVALID_PARAMETER;
    base = acl_bytes(acl);
    at = ace_offset(acl, index);
    size = ace_at(acl, at)->size;
    memmove(base + at, base + at + size, free_off - at - size);
    memset(base + free_off - size, 0, size);
    acl->ace_count--;
    return NTSEC_STATUS_SUCCESS;
}

/* --- the RtlAdd*Ace family ---------------------------------------------- */

/* What every RtlAdd*Ace function checks before it writes, in Windows'
 * order: the SID (STATUS_INVALID_SID), the revisions (either above
 * MAX_ACL_REVISION, or the requested one below what the entry needs:
 * STATUS_REVISION_MISMATCH), the flags
 * (STATUS_INVALID_PARAMETER), the ACL (STATUS_INVALID_ACL), then the room
 * (STATUS_ALLOTTED_SPACE_EXCEEDED). Sources: Microsoft docs,
 * RtlAddAccessAllowedAceEx and AddAccessAllowedAceEx, Return value; ReactOS
 * sdk/lib/rtl/acl.c, RtlpAddKnownAce (the order). Returns the offset of
 * the new entry in *at. */
struct add_rules {
    uint32_t valid_flags;
    uint32_t min_revision;      /* lowest requested revision accepted */
};

static ntsec_status check_add(const struct ntsec_acl *acl, uint32_t revision, uint32_t flags,
                              const struct add_rules *rules, const struct ntsec_sid *sid,
                              size_t ace_size, size_t *at)
{
    size_t free_off;

    if (!sid || !ntsec_sid_is_valid(sid))
        return NTSEC_STATUS_INVALID_SID;
    if (!acl)
        return NTSEC_STATUS_INVALID_ACL;
    if (acl->revision > MAX_ACL_REVISION || revision > MAX_ACL_REVISION ||
        revision < rules->min_revision)
        return NTSEC_STATUS_REVISION_MISMATCH;
    if (flags & ~rules->valid_flags)
        return NTSEC_STATUS_INVALID_PARAMETER;
    if (!ntsec_acl_is_valid(acl) || !first_free(acl, &free_off))
        return NTSEC_STATUS_INVALID_ACL;
    if (!free_off || free_off + ace_size > acl->size)
        return NTSEC_STATUS_ALLOTTED_SPACE_EXCEEDED;
    *at = free_off;
    return NTSEC_STATUS_SUCCESS;
}

/* Audit ACEs may also carry the success/failure audit flags; other types
 * only the inheritance flags (ReactOS sdk/lib/rtl/acl.c, RtlpAddKnownAce;
 * Microsoft docs, AddAuditAccessAceEx, AceFlags). */
static uint32_t valid_flags_for(enum ntsec_ace_type type)
{
    uint32_t valid = NTSEC_ACE_VALID_INHERIT_FLAGS;

    if (type == NTSEC_ACE_SYSTEM_AUDIT || type == NTSEC_ACE_SYSTEM_AUDIT_OBJECT)
        valid |= NTSEC_ACE_SUCCESSFUL_ACCESS | NTSEC_ACE_FAILED_ACCESS;
    return valid;
}

/* Write header, mask, optional object part and SID at `at`; count it and
 * raise the ACL revision to `revision` when that is higher ("the function
 * changes it": Microsoft docs, AddAccessAllowedObjectAce, dwAceRevision;
 * Windows result asserted by Wine's dlls/advapi32/tests/security.c,
 * test_AddMandatoryAce: a label added with ACL_REVISION3 to a revision-2
 * ACL leaves it at revision 3). */
static void write_ace(struct ntsec_acl *acl, size_t at, uint32_t revision, uint8_t type,
                      uint32_t flags, uint32_t mask, const uint8_t *object, size_t object_len,
                      const struct ntsec_sid *sid)
{
    uint8_t *p = acl_bytes(acl) + at;
    size_t sid_len = ntsec_sid_length(sid);
    struct ntsec_ace_header h = {
        .type = type,
        .flags = (uint8_t)flags,
        .size = (uint16_t)(NTSEC__ACE_SID_OFFSET + object_len + sid_len),
    };

    memcpy(p, &h, sizeof(h));
    memcpy(p + 4, &mask, sizeof(mask));
    if (object_len)
        memcpy(p + 8, object, object_len);
    memcpy(p + 8 + object_len, sid, sid_len);
    acl->ace_count++;
    if (revision > acl->revision)
        acl->revision = (uint8_t)revision;
}

static bool is_known_add_type(enum ntsec_ace_type type)
{
    return type == NTSEC_ACE_ACCESS_ALLOWED || type == NTSEC_ACE_ACCESS_DENIED ||
           type == NTSEC_ACE_SYSTEM_AUDIT;
}

ntsec_status ntsec_acl_add_access_ace(struct ntsec_acl *acl, uint32_t revision,
                                      enum ntsec_ace_type type, uint32_t flags,
                                      uint32_t mask, const struct ntsec_sid *sid)
{
    struct add_rules rules = { valid_flags_for(type), 0 };
    size_t at;
    ntsec_status st;

    if (!is_known_add_type(type))
        return NTSEC_STATUS_INVALID_PARAMETER;
    st = check_add(acl, revision, flags, &rules, sid,
                   NTSEC__ACE_SID_OFFSET + (sid ? ntsec_sid_length(sid) : 0), &at);
    if (!ntsec_success(st))
        return st;
    write_ace(acl, at, revision, (uint8_t)type, flags, mask, NULL, 0, sid);
    return NTSEC_STATUS_SUCCESS;
}

/* The non-object type an object type falls back to without GUIDs. */
static enum ntsec_ace_type plain_type(enum ntsec_ace_type type)
{
    switch (type) {
    case NTSEC_ACE_ACCESS_ALLOWED_OBJECT: return NTSEC_ACE_ACCESS_ALLOWED;
    case NTSEC_ACE_ACCESS_DENIED_OBJECT:  return NTSEC_ACE_ACCESS_DENIED;
    default:                              return NTSEC_ACE_SYSTEM_AUDIT;
    }
}

/* RtlAddAccessAllowedObjectAce / RtlAddAccessDeniedObjectAce /
 * RtlAddAuditAccessObjectAce. With neither GUID the entry is the plain ACE
 * of the same kind, added under the plain rules (ReactOS sdk/lib/rtl/acl.c,
 * RtlAddAccessAllowedObjectAce). With a GUID the revision "must be
 * ACL_REVISION_DS" (Microsoft docs, AddAccessAllowedObjectAce,
 * dwAceRevision): a lower one is STATUS_REVISION_MISMATCH ("not known or
 * not compatible", AddAccessAllowedAceEx, Return value), and the ACL is
 * raised to ACL_REVISION_DS. */
ntsec_status ntsec_acl_add_object_ace(struct ntsec_acl *acl, uint32_t revision,
                                      enum ntsec_ace_type type, uint32_t flags,
                                      uint32_t mask, const struct ntsec_guid *object_type,
                                      const struct ntsec_guid *inherited_object_type,
                                      const struct ntsec_sid *sid)
{
    struct add_rules rules = { valid_flags_for(type), NTSEC_ACL_REVISION_DS };
    uint8_t object[4 + 2 * sizeof(struct ntsec_guid)];
    uint32_t object_flags = 0;
    size_t object_len = 4, at;
    ntsec_status st;

    if (type != NTSEC_ACE_ACCESS_ALLOWED_OBJECT && type != NTSEC_ACE_ACCESS_DENIED_OBJECT &&
        type != NTSEC_ACE_SYSTEM_AUDIT_OBJECT)
        return NTSEC_STATUS_INVALID_PARAMETER;
    if (!object_type && !inherited_object_type)
        return ntsec_acl_add_access_ace(acl, revision, plain_type(type), flags, mask, sid);

    if (object_type) {
        object_flags |= NTSEC_ACE_OBJECT_TYPE_PRESENT;
        memcpy(object + object_len, object_type, sizeof(*object_type));
        object_len += sizeof(*object_type);
    }
    if (inherited_object_type) {
        object_flags |= NTSEC_ACE_INHERITED_OBJECT_TYPE_PRESENT;
        memcpy(object + object_len, inherited_object_type, sizeof(*inherited_object_type));
        object_len += sizeof(*inherited_object_type);
    }
    memcpy(object, &object_flags, sizeof(object_flags));

    st = check_add(acl, revision, flags, &rules, sid,
                   NTSEC__ACE_SID_OFFSET + object_len + (sid ? ntsec_sid_length(sid) : 0), &at);
    if (!ntsec_success(st))
        return st;
    write_ace(acl, at, revision, (uint8_t)type, flags, mask, object, object_len, sid);
    return NTSEC_STATUS_SUCCESS;
}

/* RtlAddMandatoryAce / AddMandatoryAce: a policy outside
 * SYSTEM_MANDATORY_LABEL_VALID_MASK (NO_WRITE_UP | NO_READ_UP |
 * NO_EXECUTE_UP) or a SID outside the mandatory label authority
 * (S-1-16-...) is STATUS_INVALID_PARAMETER; the rest as every RtlAdd*Ace,
 * with the inheritance flags only. A revision-2 ACL may hold it.
 * Sources: Windows results asserted by Wine's dlls/advapi32/tests/security.c,
 * test_AddMandatoryAce (policy 0x1234 fails with ERROR_INVALID_PARAMETER;
 * NO_WRITE_UP with S-1-16-4096 succeeds with flags 0 in an ACL_REVISION
 * ACL); Microsoft docs, AddMandatoryAce, pLabelSid and MandatoryPolicy;
 * the label-authority check as ReactOS-derived RtlpAddKnownAce makes it. */
ntsec_status ntsec_acl_add_mandatory_ace(struct ntsec_acl *acl, uint32_t revision,
                                         uint32_t flags, uint32_t policy,
                                         const struct ntsec_sid *label)
{
    static const uint32_t valid_policy = NTSEC_MANDATORY_NO_WRITE_UP |
                                         NTSEC_MANDATORY_NO_READ_UP |
                                         NTSEC_MANDATORY_NO_EXECUTE_UP;
    static const uint64_t mandatory_label_authority = 16;
    struct add_rules rules = { NTSEC_ACE_VALID_INHERIT_FLAGS, 0 };
    size_t at;
    ntsec_status st;

    if (policy & ~valid_policy)
        return NTSEC_STATUS_INVALID_PARAMETER;
    if (!label || !ntsec_sid_is_valid(label))
        return NTSEC_STATUS_INVALID_SID;
    if (ntsec_sid_authority(label) != mandatory_label_authority)
        return NTSEC_STATUS_INVALID_PARAMETER;
    st = check_add(acl, revision, flags, &rules, label,
                   NTSEC__ACE_SID_OFFSET + ntsec_sid_length(label), &at);
    if (!ntsec_success(st))
        return st;
    write_ace(acl, at, revision, NTSEC_ACE_SYSTEM_MANDATORY_LABEL, flags, policy, NULL, 0, label);
    return NTSEC_STATUS_SUCCESS;
}
