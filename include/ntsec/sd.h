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

/* RtlValidSecurityDescriptor: revision 1, and in the absolute form each
 * present part valid; in the self-relative form (trusting the block to be
 * large enough, as Windows does) each offset's part valid. */
bool ntsec_sd_is_valid(const void *sd);

/* RtlValidRelativeSecurityDescriptor: a self-relative SD of `size` bytes,
 * every part within the block and valid; `required` lists the
 * SECURITY_INFORMATION parts that must be present (owner, group; DACL and
 * SACL need their PRESENT bit). */
bool ntsec_sd_relative_is_valid(const void *sd, size_t size, uint32_t required);

/* RtlLengthSecurityDescriptor: bytes the self-relative form of `sd` takes
 * (header + owner + group + SACL + DACL, each rounded up to 4 bytes). */
uint32_t ntsec_sd_length(const void *sd);

/* Getters on either form. *present (DACL/SACL) tells whether the PRESENT bit
 * is set; *defaulted the matching DEFAULTED bit. A NULL part is returned as
 * NULL. NTSEC_STATUS_UNKNOWN_REVISION for a revision other than 1. */
ntsec_status ntsec_sd_get_owner(const void *sd, const struct ntsec_sid **owner, bool *defaulted);
ntsec_status ntsec_sd_get_group(const void *sd, const struct ntsec_sid **group, bool *defaulted);
ntsec_status ntsec_sd_get_dacl(const void *sd, bool *present, const struct ntsec_acl **dacl,
                               bool *defaulted);
ntsec_status ntsec_sd_get_sacl(const void *sd, bool *present, const struct ntsec_acl **sacl,
                               bool *defaulted);
ntsec_status ntsec_sd_get_control(const void *sd, uint16_t *control, uint32_t *revision);

/* Setters on the absolute form only (the SD stores the caller's pointer, as
 * Windows does). NTSEC_STATUS_INVALID_SECURITY_DESCR... for a
 * self-relative SD and NTSEC_STATUS_UNKNOWN_REVISION for a bad revision. */
ntsec_status ntsec_sd_set_owner(struct ntsec_sd_absolute *sd, struct ntsec_sid *owner, bool defaulted);
ntsec_status ntsec_sd_set_group(struct ntsec_sd_absolute *sd, struct ntsec_sid *group, bool defaulted);
ntsec_status ntsec_sd_set_dacl(struct ntsec_sd_absolute *sd, bool present, struct ntsec_acl *dacl,
                               bool defaulted);
ntsec_status ntsec_sd_set_sacl(struct ntsec_sd_absolute *sd, bool present, struct ntsec_acl *sacl,
                               bool defaulted);

/* RtlSetControlSecurityDescriptor / SetSecurityDescriptorControl: only the
 * bits Windows lets a caller set (the AUTO_INHERIT_REQ, AUTO_INHERITED,
 * PROTECTED and RM_CONTROL_VALID bits); others → NTSEC_STATUS_INVALID_PARAMETER. */
ntsec_status ntsec_sd_set_control(void *sd, uint16_t bits_of_interest, uint16_t bits_to_set);

/* RtlMakeSelfRelativeSD / RtlAbsoluteToSelfRelativeSD: write the
 * self-relative form into `buf` of *size bytes. When it does not fit,
 * NTSEC_STATUS_BUFFER_TOO_SMALL and *size receives the length needed.
 * `sd` may already be self-relative (then it is copied) for
 * RtlMakeSelfRelativeSD; RtlAbsoluteToSelfRelativeSD refuses that, see
 * ntsec_sd_absolute_to_relative. */
ntsec_status ntsec_sd_make_relative(const void *sd, void *buf, uint32_t *size);
ntsec_status ntsec_sd_absolute_to_relative(const struct ntsec_sd_absolute *sd, void *buf,
                                           uint32_t *size);

/* RtlSelfRelativeToAbsoluteSD / MakeAbsoluteSD: split a self-relative SD
 * into caller buffers; each *size is in/out. NTSEC_STATUS_BUFFER_TOO_SMALL
 * with every needed size written when any buffer is short. */
struct ntsec_sd_absolute_buffers {
    struct ntsec_sd_absolute *sd;   uint32_t sd_size;
    struct ntsec_acl *dacl;         uint32_t dacl_size;
    struct ntsec_acl *sacl;         uint32_t sacl_size;
    struct ntsec_sid *owner;        uint32_t owner_size;
    struct ntsec_sid *group;        uint32_t group_size;
};
ntsec_status ntsec_sd_relative_to_absolute(const void *rel, struct ntsec_sd_absolute_buffers *out);

/* A self-relative copy of either form, allocated; release it with
 * ntsec_mem_free(). */
ntsec_status ntsec_sd_duplicate_relative(const void *sd, void **out, uint32_t *size);

#endif
