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

/* Append the names of the rights in `mask` to a caller buffer, comma
 * separated ("READ_CONTROL, WRITE_DAC"); returns the length needed without
 * the NUL, as snprintf. Generic and standard rights by their winnt.h names,
 * object-specific bits by number with their meaning for files and for
 * directory objects (the two meanings SDDL's letters carry). */
size_t ntsec_access_mask_describe(uint32_t mask, char *buf, size_t size);

#endif
