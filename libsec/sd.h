/* sd.h - libsec's internal view of a security descriptor: one accessor that
 * reads the owner, group, SACL and DACL of either form, for the other
 * libsec files (SDDL, access check, explain) so that none of them walks
 * offsets by hand. */
#ifndef NTSEC_LIBSEC_SD_H
#define NTSEC_LIBSEC_SD_H

#include <stddef.h>
#include <stdint.h>

#include "ntsec/sd.h"

/* Pass as `size` when the caller cannot know how long a self-relative SD
 * is (the public functions taking `const void *sd` alone): the offsets are
 * trusted, as Windows' RtlValidSecurityDescriptor and the getters do. */
#define NTSEC__SD_SIZE_TRUSTED SIZE_MAX

/* The parts of a security descriptor, whatever its form. A part is NULL
 * when absent; `dacl`/`sacl` are also NULL when the PRESENT bit is clear
 * (test `control & NTSEC_SE_DACL_PRESENT` to tell a NULL DACL, which grants
 * everything, from an absent one). The pointers borrow from `sd`. */
struct ntsec__sd_parts {
    uint8_t  revision;
    uint8_t  sbz1;
    uint16_t control;
    const struct ntsec_sid *owner;
    const struct ntsec_sid *group;
    const struct ntsec_acl *sacl;
    const struct ntsec_acl *dacl;
};

/* Fill *parts from `sd` (absolute or self-relative, told apart by
 * SE_SELF_RELATIVE). The revision is NOT checked: compare parts->revision
 * with NTSEC_SD_REVISION where the Windows function you emulate does
 * (the getters and setters do; RtlLengthSecurityDescriptor,
 * RtlMakeSelfRelativeSD and RtlSetControlSecurityDescriptor do not).
 *
 * For a self-relative SD:
 *  - every non-zero offset must be a multiple of 4, else
 *    NTSEC_STATUS_INVALID_SECURITY_DESCR (Windows would hand out an
 *    unaligned pointer; in C that is undefined behaviour, so ntsec refuses);
 *  - when `size` is not NTSEC__SD_SIZE_TRUSTED, each part must also lie in
 *    the `size` bytes as RtlValidRelativeSecurityDescriptor requires:
 *    offset >= 20, offset < size, at least 12 (SID) / 8 (ACL) bytes left,
 *    and the SID (8 + 4 * count) or the ACL (AclSize) within what is left,
 *    else NTSEC_STATUS_INVALID_SECURITY_DESCR. A `size` below 20 is
 *    NTSEC_STATUS_INVALID_SECURITY_DESCR too.
 * The parts' contents (SID revision, ACL entries) are not checked: call
 * ntsec_sd_is_valid / ntsec_sd_relative_is_valid for that.
 * NTSEC_STATUS_INVALID_PARAMETER when sd or parts is NULL. *parts is
 * written only on success. */
ntsec_status ntsec__sd_parts(const void *sd, size_t size, struct ntsec__sd_parts *parts);

/* Bytes the self-relative form of `parts` takes: what RtlMakeSelfRelativeSD
 * asks for (20 + owner + group + SACL + DACL, each rounded up to 4; an ACL
 * counts only when its PRESENT bit is set). */
uint32_t ntsec__sd_relative_length(const struct ntsec__sd_parts *parts);

/* Write the self-relative form of `parts` into `buf`, which has room for
 * ntsec__sd_relative_length(parts) bytes, in Windows' layout (see
 * sd_convert.c). Returns the bytes written. */
uint32_t ntsec__sd_write_relative(const struct ntsec__sd_parts *parts, void *buf);

#endif
