/* ace.c - access control entries: the layout of every ACE type, and the
 * accessors that find an ACE's mask, SID, object GUIDs and application
 * data in Windows' binary form ([MS-DTYP] 2.4.4).
 *
 * An ACE is only ever read here, never trusted: every accessor checks that
 * what it returns lies inside the AceSize bytes of the entry, and returns
 * NULL (or 0) for an entry too short or of a type that has no such field. */
#include <string.h>

#include "ntsec/ntsec.h"
#include "ace.h"

#define SID_LAYOUT   NTSEC__ACE_LAYOUT_SID
#define OBJ_LAYOUT   NTSEC__ACE_LAYOUT_OBJECT
#define DACL         NTSEC__ACE_IN_DACL
#define SACL         NTSEC__ACE_IN_SACL
#define SID_MIN      (NTSEC__ACE_SID_OFFSET + NTSEC__SID_MIN_LENGTH)
#define OBJ_MIN      (NTSEC__ACE_OBJECT_FIXED + NTSEC__SID_MIN_LENGTH)
#define COMPOUND_MIN (NTSEC__ACE_COMPOUND_FIXED + 2 * NTSEC__SID_MIN_LENGTH)

/* Minimum ACL revisions: winnt.h groups the types by the revision that
 * introduced them (ACCESS_MAX_MS_V2_ACE_TYPE 0x3, V3 0x4 = compound, V4 0x8 =
 * the object ACEs, which need ACL_REVISION_DS: [MS-DTYP] 2.4.5, AclRevision).
 * RtlAddAce checks the requested revision only for types up to 0x8 ("what
 * Windows does", ReactOS sdk/lib/rtl/acl.c, RtlAddAce), and Windows puts
 * callback, label and claim ACEs in revision-2 ACLs (SDDL-built DACLs with
 * conditional ACEs are revision 2), so every later type needs revision 2. */
const struct ntsec__ace_kind ntsec__ace_kinds[NTSEC__ACE_KIND_COUNT] = {
    /* name                                    type  layout      min   rev acl   mask  sid    obj    data */
    { "ACCESS_ALLOWED_ACE_TYPE",                0x00, SID_LAYOUT, SID_MIN, 2, DACL, true, true,  false, false },
    { "ACCESS_DENIED_ACE_TYPE",                 0x01, SID_LAYOUT, SID_MIN, 2, DACL, true, true,  false, false },
    { "SYSTEM_AUDIT_ACE_TYPE",                  0x02, SID_LAYOUT, SID_MIN, 2, SACL, true, true,  false, false },
    { "SYSTEM_ALARM_ACE_TYPE",                  0x03, SID_LAYOUT, SID_MIN, 2, SACL, true, true,  false, false },
    { "ACCESS_ALLOWED_COMPOUND_ACE_TYPE",       0x04, NTSEC__ACE_LAYOUT_COMPOUND, COMPOUND_MIN, 3, DACL,
                                                                                    true, false, false, false },
    { "ACCESS_ALLOWED_OBJECT_ACE_TYPE",         0x05, OBJ_LAYOUT, OBJ_MIN, 4, DACL, true, true,  true,  false },
    { "ACCESS_DENIED_OBJECT_ACE_TYPE",          0x06, OBJ_LAYOUT, OBJ_MIN, 4, DACL, true, true,  true,  false },
    { "SYSTEM_AUDIT_OBJECT_ACE_TYPE",           0x07, OBJ_LAYOUT, OBJ_MIN, 4, SACL, true, true,  true,  false },
    { "SYSTEM_ALARM_OBJECT_ACE_TYPE",           0x08, OBJ_LAYOUT, OBJ_MIN, 4, SACL, true, true,  true,  false },
    { "ACCESS_ALLOWED_CALLBACK_ACE_TYPE",       0x09, SID_LAYOUT, SID_MIN, 2, DACL, true, true,  false, true },
    { "ACCESS_DENIED_CALLBACK_ACE_TYPE",        0x0A, SID_LAYOUT, SID_MIN, 2, DACL, true, true,  false, true },
    { "ACCESS_ALLOWED_CALLBACK_OBJECT_ACE_TYPE",0x0B, OBJ_LAYOUT, OBJ_MIN, 2, DACL, true, true,  true,  true },
    { "ACCESS_DENIED_CALLBACK_OBJECT_ACE_TYPE", 0x0C, OBJ_LAYOUT, OBJ_MIN, 2, DACL, true, true,  true,  true },
    { "SYSTEM_AUDIT_CALLBACK_ACE_TYPE",         0x0D, SID_LAYOUT, SID_MIN, 2, SACL, true, true,  false, true },
    { "SYSTEM_ALARM_CALLBACK_ACE_TYPE",         0x0E, SID_LAYOUT, SID_MIN, 2, SACL, true, true,  false, true },
    { "SYSTEM_AUDIT_CALLBACK_OBJECT_ACE_TYPE",  0x0F, OBJ_LAYOUT, OBJ_MIN, 2, SACL, true, true,  true,  true },
    { "SYSTEM_ALARM_CALLBACK_OBJECT_ACE_TYPE",  0x10, OBJ_LAYOUT, OBJ_MIN, 2, SACL, true, true,  true,  true },
    /* [MS-DTYP] 2.4.4.13: Mask holds SYSTEM_MANDATORY_LABEL_NO_*_UP. */
    { "SYSTEM_MANDATORY_LABEL_ACE_TYPE",        0x11, SID_LAYOUT, SID_MIN, 2, SACL, true, true,  false, false },
    /* [MS-DTYP] 2.4.4.15: the SID, then a CLAIM_SECURITY_ATTRIBUTE_RELATIVE_V1. */
    { "SYSTEM_RESOURCE_ATTRIBUTE_ACE_TYPE",     0x12, SID_LAYOUT, SID_MIN, 2, SACL, true, true,  false, true },
    /* [MS-DTYP] 2.4.4.16: the SID names a central access policy. */
    { "SYSTEM_SCOPED_POLICY_ID_ACE_TYPE",       0x13, SID_LAYOUT, SID_MIN, 2, SACL, true, true,  false, false },
    { "SYSTEM_PROCESS_TRUST_LABEL_ACE_TYPE",    0x14, SID_LAYOUT, SID_MIN, 2, SACL, true, true,  false, false },
    /* SYSTEM_ACCESS_FILTER_ACE (winnt.h): the SID, then a conditional expression. */
    { "SYSTEM_ACCESS_FILTER_ACE_TYPE",          0x15, SID_LAYOUT, SID_MIN, 2, SACL, true, true,  false, true },
};

const struct ntsec__ace_kind *ntsec__ace_kind_of(uint8_t type)
{
    return type < NTSEC__ACE_KIND_COUNT ? &ntsec__ace_kinds[type] : NULL;
}

static uint32_t read_u32(const void *p)
{
    uint32_t v;

    memcpy(&v, p, sizeof(v));
    return v;
}

/* Offset of the SID of an ACE with one SID, or 0 when the ACE is too short
 * to hold its fixed fields (the object Flags decide how many GUIDs come
 * first: [MS-DTYP] 2.4.4.3, Flags). */
static size_t sid_offset(const struct ntsec_ace_header *ace, const struct ntsec__ace_kind *k)
{
    uint32_t flags;
    size_t off;

    if (k->layout == NTSEC__ACE_LAYOUT_SID)
        return ace->size >= NTSEC__ACE_SID_OFFSET ? NTSEC__ACE_SID_OFFSET : 0;
    if (k->layout != NTSEC__ACE_LAYOUT_OBJECT || ace->size < NTSEC__ACE_OBJECT_FIXED)
        return 0;
    flags = read_u32((const uint8_t *)ace + 8);
    off = NTSEC__ACE_OBJECT_FIXED;
    if (flags & NTSEC_ACE_OBJECT_TYPE_PRESENT)
        off += sizeof(struct ntsec_guid);
    if (flags & NTSEC_ACE_INHERITED_OBJECT_TYPE_PRESENT)
        off += sizeof(struct ntsec_guid);
    return off;
}

/* The SID at `off` of a valid form and wholly inside the ACE: its length
 * in *len, or false. */
static bool sid_inside(const struct ntsec_ace_header *ace, size_t off, size_t *len)
{
    const uint8_t *p = (const uint8_t *)ace + off;

    if (off == 0 || off + NTSEC__SID_MIN_LENGTH > ace->size)
        return false;
    if (!ntsec_sid_is_valid_in(p, ace->size - off))
        return false;
    *len = ntsec_sid_length((const struct ntsec_sid *)p);
    return true;
}

bool ntsec__ace_is_well_formed(const struct ntsec_ace_header *ace)
{
    const struct ntsec__ace_kind *k = ntsec__ace_kind_of(ace->type);
    size_t len, second;

    if (!k)
        return true;    /* unknown types: only the header rules of the ACL apply */
    /* Known types are DWORD-sized and at least their fixed part plus a SID
     * (ReactOS sdk/lib/rtl/acl.c, RtlValidAcl; [MS-DTYP] 2.4.4.1, AceSize:
     * "a multiple of 4 to ensure alignment"). */
    if ((ace->size & 3) || ace->size < k->min_size)
        return false;
    if (k->layout == NTSEC__ACE_LAYOUT_COMPOUND) {
        /* ServerSid then ClientSid, both inside the entry. */
        if (!sid_inside(ace, NTSEC__ACE_COMPOUND_FIXED, &len))
            return false;
        second = NTSEC__ACE_COMPOUND_FIXED + len;
        return sid_inside(ace, second, &len);
    }
    return sid_inside(ace, sid_offset(ace, k), &len);
}

const struct ntsec_sid *ntsec_ace_sid(const struct ntsec_ace_header *ace)
{
    const struct ntsec__ace_kind *k;
    size_t off, len;

    if (!ace || !(k = ntsec__ace_kind_of(ace->type)) || !k->has_sid)
        return NULL;
    off = sid_offset(ace, k);
    if (!sid_inside(ace, off, &len))
        return NULL;
    return (const struct ntsec_sid *)((const uint8_t *)ace + off);
}

uint32_t ntsec_ace_mask(const struct ntsec_ace_header *ace)
{
    const struct ntsec__ace_kind *k;

    if (!ace || !(k = ntsec__ace_kind_of(ace->type)) || !k->has_mask || ace->size < 8)
        return 0;
    return read_u32((const uint8_t *)ace + 4);
}

/* The GUID selected by `bit` of an object ACE's Flags, which comes after
 * the object type GUID when both are present ([MS-DTYP] 2.4.4.3). */
static const struct ntsec_guid *object_guid(const struct ntsec_ace_header *ace, uint32_t bit)
{
    const struct ntsec__ace_kind *k;
    uint32_t flags;
    size_t off = NTSEC__ACE_OBJECT_FIXED;

    if (!ace || !(k = ntsec__ace_kind_of(ace->type)) || !k->has_object_types ||
        ace->size < NTSEC__ACE_OBJECT_FIXED)
        return NULL;
    flags = read_u32((const uint8_t *)ace + 8);
    if (!(flags & bit))
        return NULL;
    if (bit == NTSEC_ACE_INHERITED_OBJECT_TYPE_PRESENT && (flags & NTSEC_ACE_OBJECT_TYPE_PRESENT))
        off += sizeof(struct ntsec_guid);
    if (off + sizeof(struct ntsec_guid) > ace->size)
        return NULL;
    return (const struct ntsec_guid *)((const uint8_t *)ace + off);
}

const struct ntsec_guid *ntsec_ace_object_type(const struct ntsec_ace_header *ace)
{
    return object_guid(ace, NTSEC_ACE_OBJECT_TYPE_PRESENT);
}

const struct ntsec_guid *ntsec_ace_inherited_object_type(const struct ntsec_ace_header *ace)
{
    return object_guid(ace, NTSEC_ACE_INHERITED_OBJECT_TYPE_PRESENT);
}

/* Callback ACEs keep their condition after the SID up to AceSize
 * ([MS-DTYP] 2.4.4.6, ApplicationData), the resource attribute ACE its claim
 * ([MS-DTYP] 2.4.4.15, Attribute Data): the bytes are returned as stored,
 * padding included. */
const uint8_t *ntsec_ace_application_data(const struct ntsec_ace_header *ace, size_t *len)
{
    const struct ntsec__ace_kind *k;
    size_t off, sid_len;

    if (len)
        *len = 0;
    if (!ace || !(k = ntsec__ace_kind_of(ace->type)) || !k->has_app_data)
        return NULL;
    off = sid_offset(ace, k);
    if (!sid_inside(ace, off, &sid_len) || off + sid_len >= ace->size)
        return NULL;
    if (len)
        *len = ace->size - (off + sid_len);
    return (const uint8_t *)ace + off + sid_len;
}
