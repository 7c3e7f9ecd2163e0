/* ntsec/sd.h - security descriptors, absolute and self-relative.
 *
 * Both forms are Windows' binary layouts (x64): the absolute form
 * (SECURITY_DESCRIPTOR) holds pointers to its owner, group, SACL and DACL;
 * the self-relative form (SECURITY_DESCRIPTOR_RELATIVE, control bit
 * SE_SELF_RELATIVE) holds offsets from its start, in one contiguous block.
 * Functions taking `const void *sd` accept either form and tell them apart
 * by the SE_SELF_RELATIVE bit, as Windows does. */
#ifndef NTSEC_SD_H
#define NTSEC_SD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ntsec/acl.h"
#include "ntsec/sid.h"
#include "ntsec/status.h"

#define NTSEC_SD_REVISION               1
#define NTSEC_SD_MIN_LENGTH             20  /* SECURITY_DESCRIPTOR_MIN_LENGTH (self-relative header) */
#define NTSEC_SD_ABSOLUTE_LENGTH        40  /* sizeof(SECURITY_DESCRIPTOR) on x64 */

/* SECURITY_DESCRIPTOR_CONTROL bits. */
#define NTSEC_SE_OWNER_DEFAULTED        0x0001
#define NTSEC_SE_GROUP_DEFAULTED        0x0002
#define NTSEC_SE_DACL_PRESENT           0x0004
#define NTSEC_SE_DACL_DEFAULTED         0x0008
#define NTSEC_SE_SACL_PRESENT           0x0010
#define NTSEC_SE_SACL_DEFAULTED         0x0020
#define NTSEC_SE_DACL_UNTRUSTED         0x0040
#define NTSEC_SE_SERVER_SECURITY        0x0080
#define NTSEC_SE_DACL_AUTO_INHERIT_REQ  0x0100
#define NTSEC_SE_SACL_AUTO_INHERIT_REQ  0x0200
#define NTSEC_SE_DACL_AUTO_INHERITED    0x0400
#define NTSEC_SE_SACL_AUTO_INHERITED    0x0800
#define NTSEC_SE_DACL_PROTECTED         0x1000
#define NTSEC_SE_SACL_PROTECTED         0x2000
#define NTSEC_SE_RM_CONTROL_VALID       0x4000
#define NTSEC_SE_SELF_RELATIVE          0x8000

/* SECURITY_INFORMATION bits. */
#define NTSEC_OWNER_SECURITY_INFORMATION      0x00000001u
#define NTSEC_GROUP_SECURITY_INFORMATION      0x00000002u
#define NTSEC_DACL_SECURITY_INFORMATION       0x00000004u
#define NTSEC_SACL_SECURITY_INFORMATION       0x00000008u
#define NTSEC_LABEL_SECURITY_INFORMATION      0x00000010u
#define NTSEC_ATTRIBUTE_SECURITY_INFORMATION  0x00000020u
#define NTSEC_SCOPE_SECURITY_INFORMATION      0x00000040u
#define NTSEC_PROCESS_TRUST_LABEL_SECURITY_INFORMATION 0x00000080u
#define NTSEC_BACKUP_SECURITY_INFORMATION     0x00010000u

struct ntsec_sd_absolute {      /* SECURITY_DESCRIPTOR */
    uint8_t  revision;
    uint8_t  sbz1;              /* resource-manager control bits */
    uint16_t control;
    struct ntsec_sid *owner;
    struct ntsec_sid *group;
    struct ntsec_acl *sacl;
    struct ntsec_acl *dacl;
};

struct ntsec_sd_relative {      /* SECURITY_DESCRIPTOR_RELATIVE */
    uint8_t  revision;
    uint8_t  sbz1;
    uint16_t control;
    uint32_t owner;             /* offsets from the start; 0 = absent */
    uint32_t group;
    uint32_t sacl;
    uint32_t dacl;
};

/* RtlCreateSecurityDescriptor / InitializeSecurityDescriptor: an empty
 * absolute SD. NTSEC_STATUS_UNKNOWN_REVISION for a revision other than 1. */
ntsec_status ntsec_sd_init(struct ntsec_sd_absolute *sd, uint32_t revision);

/* RtlValidSecurityDescriptor: revision 1; owner and group, when not
 * NULL, valid SIDs; a DACL/SACL whose PRESENT bit is set, when not NULL, a
 * valid ACL (an ACL without its PRESENT bit is not examined). In the
 * self-relative form the offsets are followed trusting the block to be
 * large enough, as Windows does; unlike Windows, an offset that is not a
 * multiple of 4 makes the SD invalid (C forbids the unaligned pointer). */
bool ntsec_sd_is_valid(const void *sd);

/* RtlValidRelativeSecurityDescriptor: at least 20 bytes, revision 1,
 * SE_SELF_RELATIVE set; each part's offset >= 20, < size, a multiple of 4,
 * leaving at least 12 bytes (SID) or 8 (ACL), the part within the block and
 * valid (ACLs only when their PRESENT bit is set). Overlapping parts are
 * not refused. `required` (SECURITY_INFORMATION) makes only the owner and
 * the group mandatory: Windows ignores its DACL and SACL bits. */
bool ntsec_sd_relative_is_valid(const void *sd, size_t size, uint32_t required);

/* RtlLengthSecurityDescriptor / GetSecurityDescriptorLength: the header of
 * the form `sd` is in (NTSEC_SD_MIN_LENGTH = 20 self-relative,
 * NTSEC_SD_ABSOLUTE_LENGTH = 40 absolute) + owner + group + each ACL whose
 * PRESENT bit is set, each rounded up to 4. For an absolute SD this is NOT
 * the size of its self-relative form (20 bytes less): ask
 * ntsec_sd_make_relative with *size 0 for that. No revision check. 0 for
 * NULL or a misaligned self-relative offset. */
uint32_t ntsec_sd_length(const void *sd);

/* Getters on either form (a self-relative SD's parts are pointers into
 * it). *present (DACL/SACL) tells whether the PRESENT bit is set; when it
 * is clear, *dacl or *sacl and *defaulted are left as they were, as Windows
 * does. *defaulted is the matching DEFAULTED bit. An absent part (or a NULL
 * ACL with its PRESENT bit) is returned as NULL.
 * NTSEC_STATUS_UNKNOWN_REVISION for a revision other than 1,
 * NTSEC_STATUS_INVALID_PARAMETER for a NULL argument,
 * NTSEC_STATUS_INVALID_SECURITY_DESCR for a misaligned self-relative offset.
 * ntsec_sd_get_control writes nothing on failure (Windows stores *revision
 * before checking it). */
ntsec_status ntsec_sd_get_owner(const void *sd, const struct ntsec_sid **owner, bool *defaulted);
ntsec_status ntsec_sd_get_group(const void *sd, const struct ntsec_sid **group, bool *defaulted);
ntsec_status ntsec_sd_get_dacl(const void *sd, bool *present, const struct ntsec_acl **dacl,
                               bool *defaulted);
ntsec_status ntsec_sd_get_sacl(const void *sd, bool *present, const struct ntsec_acl **sacl,
                               bool *defaulted);
ntsec_status ntsec_sd_get_control(const void *sd, uint16_t *control, uint32_t *revision);

/* Setters on the absolute form only (the SD stores the caller's pointer, as
 * Windows does; NULL is allowed). NTSEC_STATUS_UNKNOWN_REVISION for a
 * revision other than 1 (checked first), then
 * NTSEC_STATUS_INVALID_SECURITY_DESCR for a self-relative SD. The DEFAULTED
 * bit follows `defaulted`. set_dacl/set_sacl with present = false clear the
 * PRESENT bit only: the stored pointer and the DEFAULTED bit are kept and
 * the other arguments ignored (RtlSetDaclSecurityDescriptor). */
ntsec_status ntsec_sd_set_owner(struct ntsec_sd_absolute *sd, struct ntsec_sid *owner, bool defaulted);
ntsec_status ntsec_sd_set_group(struct ntsec_sd_absolute *sd, struct ntsec_sid *group, bool defaulted);
ntsec_status ntsec_sd_set_dacl(struct ntsec_sd_absolute *sd, bool present, struct ntsec_acl *dacl,
                               bool defaulted);
ntsec_status ntsec_sd_set_sacl(struct ntsec_sd_absolute *sd, bool present, struct ntsec_acl *sacl,
                               bool defaulted);

/* RtlSetControlSecurityDescriptor / SetSecurityDescriptorControl: the bits
 * of interest take their value from bits_to_set. Settable: DACL_UNTRUSTED,
 * SERVER_SECURITY and the DACL/SACL AUTO_INHERIT_REQ, AUTO_INHERITED and
 * PROTECTED bits (0x3FC0). NTSEC_STATUS_INVALID_PARAMETER, nothing changed,
 * when a bit of interest is outside that set (OWNER/GROUP/DACL/SACL
 * _DEFAULTED and _PRESENT, RM_CONTROL_VALID, SELF_RELATIVE) or a bit to set
 * is not a bit of interest (Wine's test_SetSecurityDescriptorControl).
 * Either form; no revision check. */
ntsec_status ntsec_sd_set_control(void *sd, uint16_t bits_of_interest, uint16_t bits_to_set);

/* RtlMakeSelfRelativeSD: write the self-relative form of `sd` into `buf`
 * of *size bytes, in Windows' layout: header, SACL, DACL, owner, group,
 * each at a 4-byte boundary, padding zeroed, offset 0 for an absent part
 * and for an ACL without its PRESENT bit (a NULL DACL keeps DACL_PRESENT
 * with offset 0); revision, Sbz1 and control copied, SE_SELF_RELATIVE set.
 * When it does not fit (buf NULL included), NTSEC_STATUS_BUFFER_TOO_SMALL
 * and *size receives the length needed; room but buf NULL is
 * NTSEC_STATUS_INVALID_PARAMETER. On success *size is left as given, as
 * Windows does. No revision check. `sd` may already be self-relative: it
 * is re-packed in the same layout. `buf` must not overlap `sd`.
 * ntsec_sd_absolute_to_relative (RtlAbsoluteToSelfRelativeSD and advapi32's
 * MakeSelfRelativeSD) is the same but refuses a self-relative `sd` with
 * NTSEC_STATUS_BAD_DESCRIPTOR_FORMAT. */
ntsec_status ntsec_sd_make_relative(const void *sd, void *buf, uint32_t *size);
ntsec_status ntsec_sd_absolute_to_relative(const struct ntsec_sd_absolute *sd, void *buf,
                                           uint32_t *size);

/* RtlSelfRelativeToAbsoluteSD / MakeAbsoluteSD: split a self-relative SD
 * into caller buffers. Needed: sd_size 40, each SID 8 + 4 * count, each ACL
 * whose PRESENT bit is set its AclSize rounded up to 4, 0 for what is
 * absent (whose buffer may be NULL). When `sd` is NULL or any size is short,
 * NTSEC_STATUS_BUFFER_TOO_SMALL with every needed size written and nothing
 * else; on success the sizes are left as given. An absolute `rel` is
 * NTSEC_STATUS_BAD_DESCRIPTOR_FORMAT. No revision check. A needed part
 * buffer that is NULL with a large enough size is
 * NTSEC_STATUS_INVALID_PARAMETER (Windows would crash). */
struct ntsec_sd_absolute_buffers {
    struct ntsec_sd_absolute *sd;   uint32_t sd_size;
    struct ntsec_acl *dacl;         uint32_t dacl_size;
    struct ntsec_acl *sacl;         uint32_t sacl_size;
    struct ntsec_sid *owner;        uint32_t owner_size;
    struct ntsec_sid *group;        uint32_t group_size;
};
ntsec_status ntsec_sd_relative_to_absolute(const void *rel, struct ntsec_sd_absolute_buffers *out);

/* A self-relative copy of either form (the bytes ntsec_sd_make_relative
 * writes), allocated; release it with ntsec_mem_free(). ntsec's own rule:
 * the source must be revision 1 (else NTSEC_STATUS_UNKNOWN_REVISION) and
 * valid (ntsec_sd_is_valid, else NTSEC_STATUS_INVALID_SECURITY_DESCR).
 * NTSEC_STATUS_NO_MEMORY when allocation fails; outputs written only on
 * success. */
ntsec_status ntsec_sd_duplicate_relative(const void *sd, void **out, uint32_t *size);

#endif
