/* ntsec/explain.h - security objects described in words, for people
 * learning access control (the CLI's `sddl explain`, the demo, the docs). */
#ifndef NTSEC_EXPLAIN_H
#define NTSEC_EXPLAIN_H

#include <stdint.h>

#include "ntsec/sid.h"
#include "ntsec/status.h"

/* Describe a security descriptor (either form): owner and group by name and
 * SID, the control bits, and each ACE of the DACL and SACL - its type,
 * inheritance, each right by name, trustee by name and SID. Multi-line
 * text, allocated; release with ntsec_mem_free(). `domain` names
 * domain-relative SIDs (may be NULL). NTSEC_STATUS_INVALID_SECURITY_DESCR
 * for an invalid descriptor. */
ntsec_status ntsec_sd_explain(const void *sd, const struct ntsec_sid *domain, char **text);

/* Write the names of the rights in `mask` to a caller buffer, comma
 * separated ("READ_CONTROL, WRITE_DAC"); returns the length needed without
 * the NUL, as snprintf. Generic and standard rights by their winnt.h names,
 * object-specific bits by number and their file-right names
 * ("specific 0x89: FILE_READ_DATA, ..."). ntsec_sd_explain also gives
 * their directory-object meanings (SDDL's CC, DC, ... letters). */
size_t ntsec_access_mask_describe(uint32_t mask, char *buf, size_t size);

/* Parse an access mask as people write it: a number ("0x1200a9", "131072")
 * or names joined by '|', ',' or '+' - winnt.h names ("GENERIC_READ",
 * "WRITE_DAC", "FILE_READ_DATA", "FILE_ALL_ACCESS", "KEY_READ") or SDDL
 * letters ("GR", "FA", "RPWP"), without regard to case.
 * NTSEC_STATUS_INVALID_PARAMETER for anything else. */
ntsec_status ntsec_access_mask_parse(const char *text, uint32_t *mask);

#endif
