/* ntsec/acl.h - access control lists and entries in Windows' binary layout.
 *
 * An ACL is an 8-byte header (winnt.h ACL) followed by AceCount ACEs, each
 * starting with a 4-byte header (ACE_HEADER) whose AceSize covers the whole
 * entry. Every function here works in place on a caller's buffer, as the
 * Rtl* and advapi32 functions do. */
#ifndef NTSEC_ACL_H
#define NTSEC_ACL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ntsec/sid.h"
#include "ntsec/status.h"

#define NTSEC_ACL_REVISION      2   /* ACL_REVISION */
#define NTSEC_ACL_REVISION_DS   4   /* ACL_REVISION_DS: object ACEs allowed */
#define NTSEC_ACL_MAX_SIZE      0xFFFC

/* ACE types (winnt.h). */
enum ntsec_ace_type {
    NTSEC_ACE_ACCESS_ALLOWED                 = 0x00,
    NTSEC_ACE_ACCESS_DENIED                  = 0x01,
    NTSEC_ACE_SYSTEM_AUDIT                   = 0x02,
    NTSEC_ACE_SYSTEM_ALARM                   = 0x03,
    NTSEC_ACE_ACCESS_ALLOWED_COMPOUND        = 0x04,
    NTSEC_ACE_ACCESS_ALLOWED_OBJECT          = 0x05,
    NTSEC_ACE_ACCESS_DENIED_OBJECT           = 0x06,
    NTSEC_ACE_SYSTEM_AUDIT_OBJECT            = 0x07,
    NTSEC_ACE_SYSTEM_ALARM_OBJECT            = 0x08,
    NTSEC_ACE_ACCESS_ALLOWED_CALLBACK        = 0x09,
    NTSEC_ACE_ACCESS_DENIED_CALLBACK         = 0x0A,
    NTSEC_ACE_ACCESS_ALLOWED_CALLBACK_OBJECT = 0x0B,
    NTSEC_ACE_ACCESS_DENIED_CALLBACK_OBJECT  = 0x0C,
    NTSEC_ACE_SYSTEM_AUDIT_CALLBACK          = 0x0D,
    NTSEC_ACE_SYSTEM_ALARM_CALLBACK          = 0x0E,
    NTSEC_ACE_SYSTEM_AUDIT_CALLBACK_OBJECT   = 0x0F,
    NTSEC_ACE_SYSTEM_ALARM_CALLBACK_OBJECT   = 0x10,
    NTSEC_ACE_SYSTEM_MANDATORY_LABEL         = 0x11,
    NTSEC_ACE_SYSTEM_RESOURCE_ATTRIBUTE      = 0x12,
    NTSEC_ACE_SYSTEM_SCOPED_POLICY_ID        = 0x13,
    NTSEC_ACE_SYSTEM_PROCESS_TRUST_LABEL     = 0x14,
    NTSEC_ACE_SYSTEM_ACCESS_FILTER           = 0x15,
};

/* ACE flags (AceFlags). */
#define NTSEC_ACE_OBJECT_INHERIT        0x01
#define NTSEC_ACE_CONTAINER_INHERIT     0x02
#define NTSEC_ACE_NO_PROPAGATE_INHERIT  0x04
#define NTSEC_ACE_INHERIT_ONLY          0x08
#define NTSEC_ACE_INHERITED             0x10
#define NTSEC_ACE_VALID_INHERIT_FLAGS   0x1F
#define NTSEC_ACE_CRITICAL              0x20
#define NTSEC_ACE_SUCCESSFUL_ACCESS     0x40
#define NTSEC_ACE_FAILED_ACCESS         0x80

/* Object ACE Flags field. */
#define NTSEC_ACE_OBJECT_TYPE_PRESENT            0x1
#define NTSEC_ACE_INHERITED_OBJECT_TYPE_PRESENT  0x2

/* Mandatory label ACE mask (SYSTEM_MANDATORY_LABEL_*). */
#define NTSEC_MANDATORY_NO_WRITE_UP     0x1
#define NTSEC_MANDATORY_NO_READ_UP      0x2
#define NTSEC_MANDATORY_NO_EXECUTE_UP   0x4

/* Access mask bits shared by every object type (winnt.h). */
#define NTSEC_DELETE                    0x00010000u
#define NTSEC_READ_CONTROL              0x00020000u
#define NTSEC_WRITE_DAC                 0x00040000u
#define NTSEC_WRITE_OWNER               0x00080000u
#define NTSEC_SYNCHRONIZE               0x00100000u
#define NTSEC_STANDARD_RIGHTS_REQUIRED  0x000F0000u
#define NTSEC_STANDARD_RIGHTS_ALL       0x001F0000u
#define NTSEC_SPECIFIC_RIGHTS_ALL       0x0000FFFFu
#define NTSEC_ACCESS_SYSTEM_SECURITY    0x01000000u
#define NTSEC_MAXIMUM_ALLOWED           0x02000000u
#define NTSEC_GENERIC_ALL               0x10000000u
#define NTSEC_GENERIC_EXECUTE           0x20000000u
#define NTSEC_GENERIC_WRITE             0x40000000u
#define NTSEC_GENERIC_READ              0x80000000u

struct ntsec_acl {              /* ACL */
    uint8_t  revision;
    uint8_t  sbz1;
    uint16_t size;              /* whole ACL, header included */
    uint16_t ace_count;
    uint16_t sbz2;
};

struct ntsec_ace_header {       /* ACE_HEADER */
    uint8_t  type;
    uint8_t  flags;
    uint16_t size;
};

struct ntsec_guid {             /* GUID, in its in-memory layout */
    uint32_t data1;
    uint16_t data2;
    uint16_t data3;
    uint8_t  data4[8];
};

struct ntsec_generic_mapping {  /* GENERIC_MAPPING */
    uint32_t read, write, execute, all;
};

/* GetAclInformation(AclSizeInformation). */
struct ntsec_acl_size_info {
    uint32_t ace_count;
    uint32_t bytes_in_use;
    uint32_t bytes_free;
};

/* RtlCreateAcl / InitializeAcl: an empty ACL of `size` bytes.
 * NTSEC_STATUS_BUFFER_TOO_SMALL when size < sizeof(struct ntsec_acl)
 * (checked first); NTSEC_STATUS_INVALID_PARAMETER for a revision other than
 * 2..4 or a size above 0xFFFF. Windows requires a DWORD-aligned size; ntsec
 * rounds an unaligned one down (a choice: Windows' handling is unknown). */
ntsec_status ntsec_acl_init(struct ntsec_acl *acl, uint32_t size, uint32_t revision);

/* RtlValidAcl: revision 2..4, AclSize even and at least 8; each counted
 * ACE's header starting before the end, its AceSize even, at least 4 and
 * within the ACL. An ACE of a known type also has an AceSize that is a
 * multiple of 4 and holds its fixed part and its SID(s), valid; compound
 * ACEs need revision 3 and object ACEs revision 4. ACEs of unknown types
 * are accepted. NULL is invalid. */
bool ntsec_acl_is_valid(const struct ntsec_acl *acl);

/* RtlGetAce: the `index`-th ACE. NTSEC_STATUS_INVALID_PARAMETER when the
 * ACL revision is not 2..4, the index is out of range, or an ACE up to that
 * one starts outside the ACL. */
ntsec_status ntsec_acl_get_ace(const struct ntsec_acl *acl, uint32_t index,
                               const struct ntsec_ace_header **ace);

/* RtlQueryInformationAcl(AclSizeInformation) / GetAclInformation: bytes in
 * use (header plus every ACE; the whole ACL when the ACEs run past its end)
 * and free. NTSEC_STATUS_INVALID_PARAMETER for a revision not 2..4 or an ACE
 * starting outside the ACL. */
ntsec_status ntsec_acl_size_info(const struct ntsec_acl *acl, struct ntsec_acl_size_info *info);

/* RtlAddAce: insert `len` bytes of ready-made ACEs before `start_index`
 * (0xFFFFFFFF or past the end: append). Any revision is accepted and the
 * ACL revision is raised to it when higher (even past 4, which leaves an
 * invalid ACL, as Windows does). NTSEC_STATUS_INVALID_PARAMETER for an
 * invalid ACL, an ACE list whose last ACE runs past `len`, or a compound
 * (object) ACE with a revision below 3 (4); NTSEC_STATUS_BUFFER_TOO_SMALL
 * when the list does not fit. */
ntsec_status ntsec_acl_add_aces(struct ntsec_acl *acl, uint32_t revision,
                                uint32_t start_index, const void *aces, uint32_t len);

/* RtlDeleteAce: later ACEs move up and the freed bytes are zeroed.
 * NTSEC_STATUS_INVALID_PARAMETER for an invalid ACL or an index out of range. */
ntsec_status ntsec_acl_delete_ace(struct ntsec_acl *acl, uint32_t index);

/* RtlAddAccessAllowedAceEx / RtlAddAccessDeniedAceEx / RtlAddAuditAccessAceEx
 * (and the forms without Ex, with flags 0): append an ACE of `type`
 * (ACCESS_ALLOWED, ACCESS_DENIED or SYSTEM_AUDIT; another type is
 * NTSEC_STATUS_INVALID_PARAMETER) with `flags` and `mask` for `sid`. The ACL
 * revision becomes the higher of its own and `revision`. Checked in
 * Windows' order: NTSEC_STATUS_INVALID_SID for a bad SID,
 * NTSEC_STATUS_REVISION_MISMATCH when `revision` or the ACL's is above 4,
 * NTSEC_STATUS_INVALID_PARAMETER for flags other than the inheritance flags
 * (plus SUCCESSFUL/FAILED_ACCESS for audit ACEs), NTSEC_STATUS_INVALID_ACL
 * for a malformed ACL, NTSEC_STATUS_ALLOTTED_SPACE_EXCEEDED when it does not
 * fit. */
ntsec_status ntsec_acl_add_access_ace(struct ntsec_acl *acl, uint32_t revision,
                                      enum ntsec_ace_type type, uint32_t flags,
                                      uint32_t mask, const struct ntsec_sid *sid);

/* RtlAddAccessAllowedObjectAce and friends: an object ACE (ALLOWED_OBJECT,
 * DENIED_OBJECT, AUDIT_OBJECT) with optional object and inherited-object
 * type GUIDs (NULL = absent). With a GUID, `revision` must be 4
 * (NTSEC_STATUS_REVISION_MISMATCH otherwise) and the ACL is raised to 4;
 * with neither GUID the plain ACE of the same kind is added instead, as
 * ntsec_acl_add_access_ace does. Other statuses as that function. */
ntsec_status ntsec_acl_add_object_ace(struct ntsec_acl *acl, uint32_t revision,
                                      enum ntsec_ace_type type, uint32_t flags,
                                      uint32_t mask, const struct ntsec_guid *object_type,
                                      const struct ntsec_guid *inherited_object_type,
                                      const struct ntsec_sid *sid);

/* RtlAddMandatoryAce / AddMandatoryAce: a SYSTEM_MANDATORY_LABEL ACE whose
 * SID is a mandatory label (S-1-16-x) and whose mask is a combination of
 * NTSEC_MANDATORY_NO_*_UP; a revision-2 ACL may hold it.
 * NTSEC_STATUS_INVALID_PARAMETER for another policy bit (checked first), a
 * SID of another authority or flags other than the inheritance flags;
 * otherwise statuses as ntsec_acl_add_access_ace. */
ntsec_status ntsec_acl_add_mandatory_ace(struct ntsec_acl *acl, uint32_t revision,
                                         uint32_t flags, uint32_t policy,
                                         const struct ntsec_sid *label);

/* The SID of an ACE whose type carries one (NULL for others, for the
 * two-SID compound ACE, or when the SID is malformed or outside AceSize),
 * and its access mask (0 for an unknown type). */
const struct ntsec_sid *ntsec_ace_sid(const struct ntsec_ace_header *ace);
uint32_t ntsec_ace_mask(const struct ntsec_ace_header *ace);

/* For object ACEs: the object-type and inherited-object-type GUIDs, or NULL
 * when absent (or not an object ACE). */
const struct ntsec_guid *ntsec_ace_object_type(const struct ntsec_ace_header *ace);
const struct ntsec_guid *ntsec_ace_inherited_object_type(const struct ntsec_ace_header *ace);

/* For callback and resource-attribute ACEs: the application data after the
 * SID (conditional expression or claim), its length in *len; NULL if none. */
const uint8_t *ntsec_ace_application_data(const struct ntsec_ace_header *ace, size_t *len);

/* RtlMapGenericMask: replace GENERIC_* bits by the mapping's rights. */
uint32_t ntsec_access_map_generic(uint32_t mask, const struct ntsec_generic_mapping *mapping);

#endif
