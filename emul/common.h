/* common.h - what every emul/ adapter shares: the Windows headers (with
 * the WDK prototypes of ntsec/ntdll.h), the layout checks that let a
 * Windows SID/ACL/SECURITY_DESCRIPTOR pointer be handed to libsec as is,
 * and the small conversions every Windows function repeats (an
 * ntsec_status to a BOOL plus last error, UTF-16 to UTF-8 and back).
 *
 * emul/ calls only the public native API (include/ntsec/); no Windows rule
 * lives here. Helpers are static inline and named emul__*, so the linker
 * script exports none of them. */
#ifndef NTSEC_EMUL_COMMON_H
#define NTSEC_EMUL_COMMON_H

#include <ntstatus.h>
#define WIN32_NO_STATUS
#include "ntsec/ntdll.h"
#include <sddl.h>

#include <stddef.h>
#include <stdint.h>

#include "ntsec/ntsec.h"

/* The native API keeps Windows' binary layouts, so a Windows pointer is a
 * libsec pointer; these checks keep it that way. */
_Static_assert(offsetof(SID, SubAuthorityCount) == offsetof(struct ntsec_sid, sub_authority_count), "SID");
_Static_assert(offsetof(SID, IdentifierAuthority) == offsetof(struct ntsec_sid, identifier_authority), "SID");
_Static_assert(offsetof(SID, SubAuthority) == offsetof(struct ntsec_sid, sub_authority), "SID");
_Static_assert(sizeof(ACL) == sizeof(struct ntsec_acl), "ACL");
_Static_assert(offsetof(ACL, AclSize) == offsetof(struct ntsec_acl, size), "ACL");
_Static_assert(offsetof(ACL, AceCount) == offsetof(struct ntsec_acl, ace_count), "ACL");
_Static_assert(sizeof(ACE_HEADER) == sizeof(struct ntsec_ace_header), "ACE_HEADER");
_Static_assert(sizeof(SECURITY_DESCRIPTOR) == sizeof(struct ntsec_sd_absolute), "SECURITY_DESCRIPTOR");
_Static_assert(offsetof(SECURITY_DESCRIPTOR, Owner) == offsetof(struct ntsec_sd_absolute, owner), "SD");
_Static_assert(offsetof(SECURITY_DESCRIPTOR, Group) == offsetof(struct ntsec_sd_absolute, group), "SD");
_Static_assert(offsetof(SECURITY_DESCRIPTOR, Sacl) == offsetof(struct ntsec_sd_absolute, sacl), "SD");
_Static_assert(offsetof(SECURITY_DESCRIPTOR, Dacl) == offsetof(struct ntsec_sd_absolute, dacl), "SD");
_Static_assert(sizeof(SECURITY_DESCRIPTOR_RELATIVE) == sizeof(struct ntsec_sd_relative), "SD_RELATIVE");
_Static_assert(sizeof(GENERIC_MAPPING) == sizeof(struct ntsec_generic_mapping), "GENERIC_MAPPING");
_Static_assert(sizeof(WCHAR) == sizeof(uint16_t), "WCHAR");
_Static_assert(sizeof(NTSTATUS) == sizeof(ntsec_status), "NTSTATUS");
/* SID_AND_ATTRIBUTES / LUID_AND_ATTRIBUTES arrays, PRIVILEGE_SETs, object
 * type lists and handles are handed to libsec as they are. */
_Static_assert(sizeof(SID_AND_ATTRIBUTES) == sizeof(struct ntsec_sid_and_attributes), "SID_AND_ATTRIBUTES");
_Static_assert(offsetof(SID_AND_ATTRIBUTES, Attributes) == offsetof(struct ntsec_sid_and_attributes, attributes), "SID_AND_ATTRIBUTES");
_Static_assert(sizeof(LUID_AND_ATTRIBUTES) == sizeof(struct ntsec_luid_and_attributes), "LUID_AND_ATTRIBUTES");
_Static_assert(offsetof(LUID_AND_ATTRIBUTES, Attributes) == offsetof(struct ntsec_luid_and_attributes, attributes), "LUID_AND_ATTRIBUTES");
_Static_assert(offsetof(PRIVILEGE_SET, Privilege) == offsetof(struct ntsec_privilege_set, privileges), "PRIVILEGE_SET");
_Static_assert(offsetof(PRIVILEGE_SET, Control) == offsetof(struct ntsec_privilege_set, control), "PRIVILEGE_SET");
_Static_assert(sizeof(LUID) == sizeof(struct ntsec_luid), "LUID");
_Static_assert(offsetof(LUID, HighPart) == offsetof(struct ntsec_luid, high), "LUID");
_Static_assert(sizeof(OBJECT_TYPE_LIST) == sizeof(struct ntsec_object_type_entry), "OBJECT_TYPE_LIST");
_Static_assert(offsetof(OBJECT_TYPE_LIST, ObjectType) == offsetof(struct ntsec_object_type_entry, guid), "OBJECT_TYPE_LIST");
_Static_assert(offsetof(TOKEN_PRIVILEGES, Privileges) == 4, "TOKEN_PRIVILEGES");
_Static_assert(offsetof(TOKEN_GROUPS, Groups) == 8, "TOKEN_GROUPS");
_Static_assert(sizeof(HANDLE) == sizeof(ntsec_handle), "HANDLE");

/* Win32 functions report failure as FALSE plus a last error. */
static inline BOOL emul__fail(DWORD error)
{
    SetLastError(error);
    return FALSE;
}

/* TRUE on success (the last error is left alone, as Windows' kernelbase
 * leaves it); FALSE with SetLastError(RtlNtStatusToDosError(st)) on
 * failure. */
static inline BOOL emul__result(NTSTATUS st)
{
    if (NT_SUCCESS(st))
        return TRUE;
    SetLastError(RtlNtStatusToDosError(st));
    return FALSE;
}

static inline const struct ntsec_sid *emul__sid(const void *sid)
{
    return (const struct ntsec_sid *)sid;
}

static inline struct ntsec_acl *emul__acl(void *acl)
{
    return (struct ntsec_acl *)acl;
}

/* A W function's string argument as UTF-8 (ntsec_mem_free it). */
static inline ntsec_status emul__utf8_from_w(const WCHAR *s, char **out)
{
    return ntsec_wstr_to_utf8((const uint16_t *)s, out, NULL);
}

/* UTF-8 from libsec as a W function's result (ntsec_mem_free/LocalFree it). */
static inline ntsec_status emul__w_from_utf8(const char *s, size_t len, WCHAR **out,
                                             size_t *out_len)
{
    return ntsec_utf8_to_wstr(s, len, (uint16_t **)out, out_len);
}

#endif
