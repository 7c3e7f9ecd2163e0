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
/* SECURITY_QUALITY_OF_SERVICE and TOKEN_CONTROL (winnt.h) are read as
 * struct ntsec_sqos / struct ntsec_token_control; the DDI's
 * SECURITY_CLIENT_CONTEXT and SE_IMPERSONATION_STATE have the WDK's x64
 * layout (ddi-notes.md §1; docs/notes/reference-review.md C: 0x48 bytes,
 * fields at 0/0x10/0x18/0x19/0x1a/0x1c). */
_Static_assert(sizeof(SECURITY_QUALITY_OF_SERVICE) == sizeof(struct ntsec_sqos), "SQOS");
_Static_assert(sizeof(struct ntsec_sqos) == 12, "SQOS");
_Static_assert(offsetof(SECURITY_QUALITY_OF_SERVICE, ImpersonationLevel) == offsetof(struct ntsec_sqos, level), "SQOS");
_Static_assert(offsetof(SECURITY_QUALITY_OF_SERVICE, ContextTrackingMode) == offsetof(struct ntsec_sqos, context_tracking_mode), "SQOS");
_Static_assert(offsetof(SECURITY_QUALITY_OF_SERVICE, EffectiveOnly) == offsetof(struct ntsec_sqos, effective_only), "SQOS");
_Static_assert(sizeof(SECURITY_IMPERSONATION_LEVEL) == sizeof(enum ntsec_impersonation_level), "SECURITY_IMPERSONATION_LEVEL");
_Static_assert(sizeof(TOKEN_CONTROL) == sizeof(struct ntsec_token_control), "TOKEN_CONTROL");
_Static_assert(offsetof(TOKEN_CONTROL, AuthenticationId) == offsetof(struct ntsec_token_control, authentication_id), "TOKEN_CONTROL");
_Static_assert(offsetof(TOKEN_CONTROL, ModifiedId) == offsetof(struct ntsec_token_control, modified_id), "TOKEN_CONTROL");
_Static_assert(offsetof(TOKEN_CONTROL, TokenSource) == offsetof(struct ntsec_token_control, token_source), "TOKEN_CONTROL");
_Static_assert(sizeof(struct ntsec_client_context) == 72, "SECURITY_CLIENT_CONTEXT");
_Static_assert(offsetof(struct ntsec_client_context, client_token) == 16, "SECURITY_CLIENT_CONTEXT");
_Static_assert(offsetof(struct ntsec_client_context, directly_access_client_token) == 24, "SECURITY_CLIENT_CONTEXT");
_Static_assert(offsetof(struct ntsec_client_context, direct_access_effective_only) == 25, "SECURITY_CLIENT_CONTEXT");
_Static_assert(offsetof(struct ntsec_client_context, server_is_remote) == 26, "SECURITY_CLIENT_CONTEXT");
_Static_assert(offsetof(struct ntsec_client_context, client_token_control) == 28, "SECURITY_CLIENT_CONTEXT");
_Static_assert(sizeof(struct ntsec_impersonation_state) == 16, "SE_IMPERSONATION_STATE");

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

/* The DDI structures <ntsec/ddk.h> declares, which the ntoskrnl adapters
 * pass to libsec as they are. Only they include that header, after this
 * one: emul/ntoskrnl/ddi.h includes this header again, and the checks
 * run then. */
#if defined(NTSEC_DDK_H) && !defined(NTSEC_EMUL_COMMON_DDK_CHECKED)
#define NTSEC_EMUL_COMMON_DDK_CHECKED
_Static_assert(sizeof(SECURITY_CLIENT_CONTEXT) == sizeof(struct ntsec_client_context), "SECURITY_CLIENT_CONTEXT");
_Static_assert(offsetof(SECURITY_CLIENT_CONTEXT, ClientToken) == offsetof(struct ntsec_client_context, client_token), "SECURITY_CLIENT_CONTEXT");
_Static_assert(offsetof(SECURITY_CLIENT_CONTEXT, DirectlyAccessClientToken) == offsetof(struct ntsec_client_context, directly_access_client_token), "SECURITY_CLIENT_CONTEXT");
_Static_assert(offsetof(SECURITY_CLIENT_CONTEXT, DirectAccessEffectiveOnly) == offsetof(struct ntsec_client_context, direct_access_effective_only), "SECURITY_CLIENT_CONTEXT");
_Static_assert(offsetof(SECURITY_CLIENT_CONTEXT, ServerIsRemote) == offsetof(struct ntsec_client_context, server_is_remote), "SECURITY_CLIENT_CONTEXT");
_Static_assert(offsetof(SECURITY_CLIENT_CONTEXT, ClientTokenControl) == offsetof(struct ntsec_client_context, client_token_control), "SECURITY_CLIENT_CONTEXT");
_Static_assert(sizeof(SE_IMPERSONATION_STATE) == sizeof(struct ntsec_impersonation_state), "SE_IMPERSONATION_STATE");
_Static_assert(offsetof(SE_IMPERSONATION_STATE, CopyOnOpen) == offsetof(struct ntsec_impersonation_state, copy_on_open), "SE_IMPERSONATION_STATE");
_Static_assert(offsetof(SE_IMPERSONATION_STATE, EffectiveOnly) == offsetof(struct ntsec_impersonation_state, effective_only), "SE_IMPERSONATION_STATE");
_Static_assert(offsetof(SE_IMPERSONATION_STATE, Level) == offsetof(struct ntsec_impersonation_state, level), "SE_IMPERSONATION_STATE");
#endif
