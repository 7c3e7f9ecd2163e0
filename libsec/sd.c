/* sd.c - the security descriptor itself: creating an empty one, reading and
 * setting its owner, group, ACLs and control bits, and deciding whether one
 * is valid, in both the absolute and the self-relative form.
 *
 * Sources for the rules below, besides the Microsoft documentation of each
 * Rtl* routine: Windows results asserted by Wine's
 * dlls/advapi32/tests/security.c (test_security_descriptor,
 * test_SetSecurityDescriptorControl, test_process_security) and
 * dlls/ntdll/tests/rtl.c (test_RtlMakeSelfRelativeSD), and the routines
 * of ReactOS sdk/lib/rtl/sd.c (RtlValidRelativeSecurityDescriptor,
 * RtlpValidateSDOffsetAndSize, RtlValidSecurityDescriptor,
 * RtlLengthSecurityDescriptor, RtlSetControlSecurityDescriptor,
 * RtlGet/Set*SecurityDescriptor) and Wine dlls/ntdll/sec.c
 * (valid_relative_security_descriptor), read for behaviour. */
#include <string.h>

#include "ntsec/ntsec.h"
#include "sd.h"

/* SECURITY_DESCRIPTOR_RELATIVE is 20 bytes; no part may start inside it. */
#define REL_HEADER      NTSEC_SD_MIN_LENGTH
/* RtlpValidateSDOffsetAndSize's minimum room left at an offset (ReactOS
 * sd.c: sizeof(SID), a SID header plus one sub-authority, or sizeof(ACL)). */
#define MIN_SID_ROOM    12u
#define MIN_ACL_ROOM    8u

/* The control bits RtlSetControlSecurityDescriptor refuses to touch:
 * OWNER/GROUP_DEFAULTED, DACL/SACL_PRESENT and _DEFAULTED, RM_CONTROL_VALID
 * and SELF_RELATIVE. Everything else (DACL_UNTRUSTED, SERVER_SECURITY, the
 * AUTO_INHERIT_REQ, AUTO_INHERITED and PROTECTED pairs) may be changed.
 * Source: Windows results asserted by Wine's test_SetSecurityDescriptorControl
 * ("mutable" and "immutable" sets); ReactOS sd.c
 * RtlSetControlSecurityDescriptor refuses the same bits. */
#define CONTROL_FIXED   ((uint16_t)(NTSEC_SE_OWNER_DEFAULTED | NTSEC_SE_GROUP_DEFAULTED | \
                                    NTSEC_SE_DACL_PRESENT | NTSEC_SE_DACL_DEFAULTED |     \
                                    NTSEC_SE_SACL_PRESENT | NTSEC_SE_SACL_DEFAULTED |     \
                                    NTSEC_SE_RM_CONTROL_VALID | NTSEC_SE_SELF_RELATIVE))

static uint32_t rd32(const uint8_t *p)
{
    uint32_t v;

    memcpy(&v, p, sizeof v);
    return v;
}

static uint16_t rd16(const uint8_t *p)
{
    uint16_t v;

    memcpy(&v, p, sizeof v);
    return v;
}

static bool is_relative(const void *sd)
{
    return rd16((const uint8_t *)sd + 2) & NTSEC_SE_SELF_RELATIVE;
}

/* RtlpValidateSDOffsetAndSize: where a part may start in a block of `size`
 * bytes. *room receives the bytes from the offset to the end. */
static bool offset_ok(uint32_t off, size_t size, uint32_t min_room, size_t *room)
{
    if (off < REL_HEADER || off >= size || (off & 3))
        return false;
    if (size - off < min_room)
        return false;
    *room = size - off;
    return true;
}

/* A part of a self-relative SD at offset `off` (0 = absent). With a known
 * size, the part must lie in the block; with a trusted one only its
 * alignment is checked (see sd.h). */
static bool rel_part(const uint8_t *base, uint32_t off, size_t size, bool is_sid,
                     const void **out)
{
    size_t room;

    *out = NULL;
    if (!off)
        return true;
    if (size == NTSEC__SD_SIZE_TRUSTED) {
        if (off & 3)
            return false;
    } else {
        if (!offset_ok(off, size, is_sid ? MIN_SID_ROOM : MIN_ACL_ROOM, &room))
            return false;
        if (is_sid ? 8u + 4u * base[off + 1] > room : rd16(base + off + 2) > room)
            return false;
    }
    *out = base + off;
    return true;
}

ntsec_status ntsec__sd_parts(const void *sd, size_t size, struct ntsec__sd_parts *parts)
{
    const uint8_t *b = sd;
    struct ntsec__sd_parts p;
    const void *owner, *group, *sacl = NULL, *dacl = NULL;

    if (!sd || !parts)
        return NTSEC_STATUS_INVALID_PARAMETER;
    p.revision = b[0];
    p.sbz1 = b[1];
    p.control = rd16(b + 2);
    if (!(p.control & NTSEC_SE_SELF_RELATIVE)) {
        const struct ntsec_sd_absolute *abs = sd;

        p.owner = abs->owner;
        p.group = abs->group;
        p.sacl = (p.control & NTSEC_SE_SACL_PRESENT) ? abs->sacl : NULL;
        p.dacl = (p.control & NTSEC_SE_DACL_PRESENT) ? abs->dacl : NULL;
        *parts = p;
        return NTSEC_STATUS_SUCCESS;
    }
    if (size != NTSEC__SD_SIZE_TRUSTED && size < REL_HEADER)
        return NTSEC_STATUS_INVALID_SECURITY_DESCR;
    /* An ACL whose PRESENT bit is clear is not looked at, whatever its
     * offset says: RtlValidRelativeSecurityDescriptor, RtlLengthSecurity-
     * Descriptor and RtlGetDaclSecurityDescriptor all skip it. */
    if (!rel_part(b, rd32(b + 4), size, true, &owner) ||
        !rel_part(b, rd32(b + 8), size, true, &group) ||
        ((p.control & NTSEC_SE_SACL_PRESENT) && !rel_part(b, rd32(b + 12), size, false, &sacl)) ||
        ((p.control & NTSEC_SE_DACL_PRESENT) && !rel_part(b, rd32(b + 16), size, false, &dacl)))
        return NTSEC_STATUS_INVALID_SECURITY_DESCR;
    p.owner = owner;
    p.group = group;
    p.sacl = sacl;
    p.dacl = dacl;
    *parts = p;
    return NTSEC_STATUS_SUCCESS;
}

/* --- creation ----------------------------------------------------------- */

ntsec_status ntsec_sd_init(struct ntsec_sd_absolute *sd, uint32_t revision)
{
    if (!sd)
        return NTSEC_STATUS_INVALID_PARAMETER;
    /* RtlCreateSecurityDescriptor: "STATUS_UNKNOWN_REVISION: The specified
     * revision level is not supported" (Microsoft docs). */
    if (revision != NTSEC_SD_REVISION)
        return NTSEC_STATUS_UNKNOWN_REVISION;
    memset(sd, 0, sizeof *sd);
    sd->revision = NTSEC_SD_REVISION;
    return NTSEC_STATUS_SUCCESS;
}

/* --- validity ----------------------------------------------------------- */

bool ntsec_sd_is_valid(const void *sd)
{
    struct ntsec__sd_parts p;

    /* RtlValidSecurityDescriptor: revision 1, then each part that is there
     * must be valid; a NULL owner, group or ACL is fine, and an ACL whose
     * PRESENT bit is clear is not examined. */
    if (!ntsec_success(ntsec__sd_parts(sd, NTSEC__SD_SIZE_TRUSTED, &p)))
        return false;
    if (p.revision != NTSEC_SD_REVISION)
        return false;
    if (p.owner && !ntsec_sid_is_valid(p.owner))
        return false;
    if (p.group && !ntsec_sid_is_valid(p.group))
        return false;
    if (p.dacl && !ntsec_acl_is_valid(p.dacl))
        return false;
    if (p.sacl && !ntsec_acl_is_valid(p.sacl))
        return false;
    return true;
}

static bool rel_sid_ok(const struct ntsec_sid *sid, const uint8_t *end)
{
    /* The room check was done by ntsec__sd_parts; the SID itself must be
     * revision 1 with at most 15 sub-authorities. */
    return ntsec_sid_is_valid_in(sid, (size_t)(end - (const uint8_t *)sid));
}

bool ntsec_sd_relative_is_valid(const void *sd, size_t size, uint32_t required)
{
    struct ntsec__sd_parts p;
    const uint8_t *end;

    /* RtlValidRelativeSecurityDescriptor: at least 20 bytes, revision 1,
     * SE_SELF_RELATIVE set, every part within the block at an aligned
     * offset past the header (RtlpValidateSDOffsetAndSize), SIDs and ACLs
     * valid. RequiredInformation only makes the owner and the group
     * mandatory: Windows tests its OWNER and GROUP bits and no other (an
     * absent DACL or SACL is accepted whatever `required` says). */
    if (!sd || size < NTSEC_SD_MIN_LENGTH)
        return false;
    if (((const uint8_t *)sd)[0] != NTSEC_SD_REVISION || !is_relative(sd))
        return false;
    if (!ntsec_success(ntsec__sd_parts(sd, size, &p)))
        return false;
    end = (const uint8_t *)sd + size;
    if (p.owner ? !rel_sid_ok(p.owner, end) : (required & NTSEC_OWNER_SECURITY_INFORMATION))
        return false;
    if (p.group ? !rel_sid_ok(p.group, end) : (required & NTSEC_GROUP_SECURITY_INFORMATION))
        return false;
    if (p.dacl && !ntsec_acl_is_valid(p.dacl))
        return false;
    if (p.sacl && !ntsec_acl_is_valid(p.sacl))
        return false;
    return true;
}

/* --- length ------------------------------------------------------------- */

static uint32_t sid_room(const struct ntsec_sid *sid)
{
    return sid ? 8u + 4u * sid->sub_authority_count : 0;
}

static uint32_t acl_room(const struct ntsec_acl *acl)
{
    return acl ? ((uint32_t)acl->size + 3u) & ~3u : 0;
}

uint32_t ntsec__sd_relative_length(const struct ntsec__sd_parts *p)
{
    return NTSEC_SD_MIN_LENGTH + sid_room(p->owner) + sid_room(p->group) +
           acl_room(p->sacl) + acl_room(p->dacl);
}

uint32_t ntsec_sd_length(const void *sd)
{
    struct ntsec__sd_parts p;

    /* RtlLengthSecurityDescriptor counts the header of the form `sd` is in
     * (20 bytes self-relative, sizeof(SECURITY_DESCRIPTOR) = 40 on x64
     * absolute), then each SID (8 + 4 * count) and each ACL whose PRESENT
     * bit is set (AclSize rounded up to 4). It does not check the
     * revision. */
    if (!ntsec_success(ntsec__sd_parts(sd, NTSEC__SD_SIZE_TRUSTED, &p)))
        return 0;
    return ntsec__sd_relative_length(&p) +
           ((p.control & NTSEC_SE_SELF_RELATIVE) ? 0 : NTSEC_SD_ABSOLUTE_LENGTH - NTSEC_SD_MIN_LENGTH);
}

/* --- getters ------------------------------------------------------------ */

/* Every getter: revision 1 or STATUS_UNKNOWN_REVISION, either form. */
static ntsec_status get_parts(const void *sd, struct ntsec__sd_parts *p)
{
    ntsec_status st = ntsec__sd_parts(sd, NTSEC__SD_SIZE_TRUSTED, p);

    if (ntsec_success(st) && p->revision != NTSEC_SD_REVISION)
        return NTSEC_STATUS_UNKNOWN_REVISION;
    return st;
}

ntsec_status ntsec_sd_get_owner(const void *sd, const struct ntsec_sid **owner, bool *defaulted)
{
    struct ntsec__sd_parts p;
    ntsec_status st;

    if (!owner || !defaulted)
        return NTSEC_STATUS_INVALID_PARAMETER;
    st = get_parts(sd, &p);
    if (!ntsec_success(st))
        return st;
    *owner = p.owner;
    *defaulted = p.control & NTSEC_SE_OWNER_DEFAULTED;
    return NTSEC_STATUS_SUCCESS;
}

ntsec_status ntsec_sd_get_group(const void *sd, const struct ntsec_sid **group, bool *defaulted)
{
    struct ntsec__sd_parts p;
    ntsec_status st;

    if (!group || !defaulted)
        return NTSEC_STATUS_INVALID_PARAMETER;
    st = get_parts(sd, &p);
    if (!ntsec_success(st))
        return st;
    *group = p.group;
    *defaulted = p.control & NTSEC_SE_GROUP_DEFAULTED;
    return NTSEC_STATUS_SUCCESS;
}

/* RtlGetDaclSecurityDescriptor / RtlGetSaclSecurityDescriptor: when the
 * PRESENT bit is clear only *present is written (FALSE) and the ACL and
 * defaulted outputs keep what the caller had in them, as Windows does. */
static ntsec_status get_acl(const void *sd, bool want_dacl, bool *present,
                            const struct ntsec_acl **acl, bool *defaulted)
{
    struct ntsec__sd_parts p;
    ntsec_status st;
    uint16_t present_bit = want_dacl ? NTSEC_SE_DACL_PRESENT : NTSEC_SE_SACL_PRESENT;
    uint16_t defaulted_bit = want_dacl ? NTSEC_SE_DACL_DEFAULTED : NTSEC_SE_SACL_DEFAULTED;

    if (!present || !acl || !defaulted)
        return NTSEC_STATUS_INVALID_PARAMETER;
    st = get_parts(sd, &p);
    if (!ntsec_success(st))
        return st;
    *present = p.control & present_bit;
    if (*present) {
        *acl = want_dacl ? p.dacl : p.sacl;
        *defaulted = p.control & defaulted_bit;
    }
    return NTSEC_STATUS_SUCCESS;
}

ntsec_status ntsec_sd_get_dacl(const void *sd, bool *present, const struct ntsec_acl **dacl,
                               bool *defaulted)
{
    return get_acl(sd, true, present, dacl, defaulted);
}

ntsec_status ntsec_sd_get_sacl(const void *sd, bool *present, const struct ntsec_acl **sacl,
                               bool *defaulted)
{
    return get_acl(sd, false, present, sacl, defaulted);
}

ntsec_status ntsec_sd_get_control(const void *sd, uint16_t *control, uint32_t *revision)
{
    const uint8_t *b = sd;

    if (!sd || !control || !revision)
        return NTSEC_STATUS_INVALID_PARAMETER;
    /* RtlGetControlSecurityDescriptor: STATUS_UNKNOWN_REVISION for a
     * revision other than 1. Windows stores *revision before checking it;
     * ntsec writes nothing on failure (DESIGN.md: outputs only on
     * success), so a caller wanting the bad revision reads byte 0. */
    if (b[0] != NTSEC_SD_REVISION)
        return NTSEC_STATUS_UNKNOWN_REVISION;
    *revision = b[0];
    *control = rd16(b + 2);
    return NTSEC_STATUS_SUCCESS;
}

/* --- setters ------------------------------------------------------------ */

/* RtlSet{Owner,Group,Dacl,Sacl}SecurityDescriptor: revision 1 or
 * STATUS_UNKNOWN_REVISION, then STATUS_INVALID_SECURITY_DESCR for a
 * self-relative SD (its parts cannot be replaced in place). */
static ntsec_status settable(const struct ntsec_sd_absolute *sd)
{
    if (!sd)
        return NTSEC_STATUS_INVALID_PARAMETER;
    if (sd->revision != NTSEC_SD_REVISION)
        return NTSEC_STATUS_UNKNOWN_REVISION;
    if (sd->control & NTSEC_SE_SELF_RELATIVE)
        return NTSEC_STATUS_INVALID_SECURITY_DESCR;
    return NTSEC_STATUS_SUCCESS;
}

static uint16_t with_bit(uint16_t control, uint16_t bit, bool on)
{
    return on ? (uint16_t)(control | bit) : (uint16_t)(control & ~bit);
}

ntsec_status ntsec_sd_set_owner(struct ntsec_sd_absolute *sd, struct ntsec_sid *owner, bool defaulted)
{
    ntsec_status st = settable(sd);

    if (!ntsec_success(st))
        return st;
    sd->owner = owner;
    sd->control = with_bit(sd->control, NTSEC_SE_OWNER_DEFAULTED, defaulted);
    return NTSEC_STATUS_SUCCESS;
}

ntsec_status ntsec_sd_set_group(struct ntsec_sd_absolute *sd, struct ntsec_sid *group, bool defaulted)
{
    ntsec_status st = settable(sd);

    if (!ntsec_success(st))
        return st;
    sd->group = group;
    sd->control = with_bit(sd->control, NTSEC_SE_GROUP_DEFAULTED, defaulted);
    return NTSEC_STATUS_SUCCESS;
}

/* Setting an ACL "not present" clears only the PRESENT bit: the pointer and
 * the DEFAULTED bit stay as they were and `acl`/`defaulted` are ignored
 * (RtlSetDaclSecurityDescriptor's behaviour; Wine implements the same). */
static ntsec_status set_acl(struct ntsec_sd_absolute *sd, bool want_dacl, bool present,
                            struct ntsec_acl *acl, bool defaulted)
{
    ntsec_status st = settable(sd);
    uint16_t present_bit = want_dacl ? NTSEC_SE_DACL_PRESENT : NTSEC_SE_SACL_PRESENT;
    uint16_t defaulted_bit = want_dacl ? NTSEC_SE_DACL_DEFAULTED : NTSEC_SE_SACL_DEFAULTED;

    if (!ntsec_success(st))
        return st;
    if (!present) {
        sd->control &= (uint16_t)~present_bit;
        return NTSEC_STATUS_SUCCESS;
    }
    if (want_dacl)
        sd->dacl = acl;
    else
        sd->sacl = acl;
    sd->control = with_bit((uint16_t)(sd->control | present_bit), defaulted_bit, defaulted);
    return NTSEC_STATUS_SUCCESS;
}

ntsec_status ntsec_sd_set_dacl(struct ntsec_sd_absolute *sd, bool present, struct ntsec_acl *dacl,
                               bool defaulted)
{
    return set_acl(sd, true, present, dacl, defaulted);
}

ntsec_status ntsec_sd_set_sacl(struct ntsec_sd_absolute *sd, bool present, struct ntsec_acl *sacl,
                               bool defaulted)
{
    return set_acl(sd, false, present, sacl, defaulted);
}

ntsec_status ntsec_sd_set_control(void *sd, uint16_t bits_of_interest, uint16_t bits_to_set)
{
    uint8_t *b = sd;
    uint16_t control;

    if (!sd)
        return NTSEC_STATUS_INVALID_PARAMETER;
    /* RtlSetControlSecurityDescriptor: STATUS_INVALID_PARAMETER when a bit
     * to set is not a bit of interest, or a bit of interest is one of the
     * fixed bits. It neither checks the revision nor minds the form: Wine's
     * test_PrivateObjectSecurity sets SE_DACL_PROTECTED on the self-relative
     * SD ConvertStringSecurityDescriptorToSecurityDescriptor returns. */
    if ((bits_to_set & (uint16_t)~bits_of_interest) || (bits_of_interest & CONTROL_FIXED))
        return NTSEC_STATUS_INVALID_PARAMETER;
    control = rd16(b + 2);
    control = (uint16_t)((control & ~bits_of_interest) | bits_to_set);
    memcpy(b + 2, &control, sizeof control);
    return NTSEC_STATUS_SUCCESS;
}
