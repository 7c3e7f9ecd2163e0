/* ntsec/sddl.h - Security Descriptor Definition Language, both ways.
 *
 * Text is UTF-8 (the emul/ layer converts the UTF-16 of the W functions).
 * Parsing follows ConvertStringSecurityDescriptorToSecurityDescriptorW;
 * formatting follows ConvertSecurityDescriptorToStringSecurityDescriptorW
 * and produces its canonical form. */
#ifndef NTSEC_SDDL_H
#define NTSEC_SDDL_H

#include <stddef.h>
#include <stdint.h>

#include "ntsec/sd.h"
#include "ntsec/sid.h"
#include "ntsec/status.h"

#define NTSEC_SDDL_REVISION_1  1

/* Where and why a parse failed. `offset` is a byte offset in the input. */
struct ntsec_sddl_error {
    size_t      offset;
    const char *reason;     /* static English text, e.g. "unknown ACE type" */
};

/* Parse `sddl` (NUL-terminated) into a self-relative SD, allocated; release
 * it with ntsec_mem_free(). `domain` resolves domain-relative aliases (DA,
 * DU, ...), NULL when there is none. `err` (optional) says where a rejected
 * string went wrong. NTSEC_STATUS_INVALID_PARAMETER for malformed text (the
 * Win32 layer gives ERROR_INVALID_PARAMETER as Windows, or the specific
 * errors Windows gives: see docs/sddl.md), NTSEC_STATUS_UNKNOWN_REVISION for
 * a revision other than 1. */
ntsec_status ntsec_sddl_to_sd(const char *sddl, const struct ntsec_sid *domain,
                              uint32_t revision, void **sd, uint32_t *size,
                              struct ntsec_sddl_error *err);

/* Format the parts of `sd` (either form) named by `info`
 * (OWNER/GROUP/DACL/SACL/LABEL/ATTRIBUTE/SCOPE_SECURITY_INFORMATION) as
 * canonical SDDL, allocated (NUL-terminated; *len without the NUL, optional);
 * release with ntsec_mem_free(). */
ntsec_status ntsec_sd_to_sddl(const void *sd, const struct ntsec_sid *domain,
                              uint32_t revision, uint32_t info, char **sddl, size_t *len);

/* Format one SID as SDDL writes it: an alias when one applies, else S-1-... */
size_t ntsec_sddl_format_sid(const struct ntsec_sid *sid, const struct ntsec_sid *domain,
                             char *buf, size_t size);

#endif
