/* object.c - ntdll's routines for any object behind a handle: NtClose,
 * NtDuplicateObject, NtQuerySecurityObject and NtSetSecurityObject, over libsec's handle
 * tables (include/ntsec/process.h) and object security
 * (include/ntsec/object.h). */
#include "../handle.h"

/* Windows' value (ntdef.h / WDK wdm.h); Wine's headers lack it. */
#ifndef DUPLICATE_SAME_ATTRIBUTES
#define DUPLICATE_SAME_ATTRIBUTES 0x00000004
#endif
_Static_assert(DUPLICATE_CLOSE_SOURCE == NTSEC_DUPLICATE_CLOSE_SOURCE, "options");
_Static_assert(DUPLICATE_SAME_ACCESS == NTSEC_DUPLICATE_SAME_ACCESS, "options");
_Static_assert(DUPLICATE_SAME_ATTRIBUTES == NTSEC_DUPLICATE_SAME_ATTRIBUTES, "options");
_Static_assert(OBJ_INHERIT == NTSEC_OBJ_INHERIT, "attributes");

/* Closing a pseudo-handle succeeds and does nothing; a handle that is not
 * open is STATUS_INVALID_HANDLE (Microsoft docs, NtClose). */
NTSTATUS WINAPI NtClose(HANDLE handle)
{
    return ntsec_handle_close(emul__handle(handle));
}

/* Both process handles need PROCESS_DUP_HANDLE (DuplicateHandle,
 * Microsoft docs: hSourceProcessHandle and hTargetProcessHandle "must have
 * the PROCESS_DUP_HANDLE access right"). The target process may be absent
 * when the call only closes the source (DUPLICATE_CLOSE_SOURCE); libsec
 * applies the rest of Windows' rules (ntsec_handle_duplicate). */
NTSTATUS WINAPI NtDuplicateObject(HANDLE source_process, HANDLE source, HANDLE target_process,
                                  PHANDLE target, ACCESS_MASK access, ULONG attributes,
                                  ULONG options)
{
    void *sp, *tp = NULL;
    ntsec_handle h = 0;
    NTSTATUS st;

    st = emul__object_ref(source_process, NTSEC_OBJECT_PROCESS, PROCESS_DUP_HANDLE, &sp);
    if (!NT_SUCCESS(st))
        return st;
    if (target_process) {
        st = emul__object_ref(target_process, NTSEC_OBJECT_PROCESS, PROCESS_DUP_HANDLE, &tp);
        if (!NT_SUCCESS(st)) {
            ntsec_object_put(sp);
            return st;
        }
    }
    st = ntsec_handle_duplicate(sp, emul__handle(source), tp, access, attributes, options, &h);
    ntsec_object_put(sp);
    if (tp)
        ntsec_object_put(tp);
    if (NT_SUCCESS(st) && target && tp)
        *target = emul__to_handle(h);
    return st;
}

/* The access each part needs on the handle, to read it and to change it
 * (Microsoft docs, "SECURITY_INFORMATION": "Right required to query" /
 * "Right required to set"; GetKernelObjectSecurity and
 * SetKernelObjectSecurity say the same): READ_CONTROL reads the owner,
 * group, DACL and label, ACCESS_SYSTEM_SECURITY the SACL; WRITE_OWNER
 * sets the owner, the group and the label, WRITE_DAC the DACL,
 * ACCESS_SYSTEM_SECURITY the SACL. */
static const struct part_access {
    SECURITY_INFORMATION part;
    ACCESS_MASK query;
    ACCESS_MASK set;
} part_access[] = {
    { OWNER_SECURITY_INFORMATION, READ_CONTROL,           WRITE_OWNER },
    { GROUP_SECURITY_INFORMATION, READ_CONTROL,           WRITE_OWNER },
    { DACL_SECURITY_INFORMATION,  READ_CONTROL,           WRITE_DAC },
    { LABEL_SECURITY_INFORMATION, READ_CONTROL,           WRITE_OWNER },
    { SACL_SECURITY_INFORMATION,  ACCESS_SYSTEM_SECURITY, ACCESS_SYSTEM_SECURITY },
};

static ACCESS_MASK part_needs(SECURITY_INFORMATION info, bool set)
{
    ACCESS_MASK needs = 0;

    for (size_t i = 0; i < sizeof(part_access) / sizeof(part_access[0]); i++)
        if (info & part_access[i].part)
            needs |= set ? part_access[i].set : part_access[i].query;
    return needs;
}

/* A short buffer is STATUS_BUFFER_TOO_SMALL with *ReturnLength the size
 * needed (Microsoft docs, NtQuerySecurityObject); Windows probes
 * ReturnLength, so a NULL one faults: STATUS_ACCESS_VIOLATION. */
NTSTATUS WINAPI NtQuerySecurityObject(HANDLE handle, SECURITY_INFORMATION info,
                                      PSECURITY_DESCRIPTOR sd, ULONG length, PULONG retlen)
{
    void *object;
    uint32_t needed = 0;
    NTSTATUS st;

    if (!retlen)
        return STATUS_ACCESS_VIOLATION;
    st = ntsec_handle_reference(emul__handle(handle), 0, part_needs(info, false), &object, NULL);
    if (!NT_SUCCESS(st))
        return st;
    st = ntsec_object_query_security(object, info, sd, length, &needed);
    ntsec_object_put(object);
    if (NT_SUCCESS(st) || st == STATUS_BUFFER_TOO_SMALL)
        *retlen = needed;
    return st;
}

/* Windows' order (Microsoft docs, NtSetSecurityObject and
 * SetKernelObjectSecurity; ReactOS ob/obsecure.c for the order): the
 * descriptor pointer is probed (STATUS_ACCESS_VIOLATION), the handle
 * checked for the rights the parts need (STATUS_INVALID_HANDLE,
 * STATUS_ACCESS_DENIED), then the descriptor and the caller's right to
 * assign its owner and label, with the caller's effective token. */
NTSTATUS WINAPI NtSetSecurityObject(HANDLE handle, SECURITY_INFORMATION info,
                                    PSECURITY_DESCRIPTOR sd)
{
    struct ntsec_token *caller;
    void *object;
    NTSTATUS st;

    if (!sd)
        return STATUS_ACCESS_VIOLATION;
    st = ntsec_handle_reference(emul__handle(handle), 0, part_needs(info, true), &object, NULL);
    if (!NT_SUCCESS(st))
        return st;
    caller = ntsec_thread_effective_token();
    if (!caller) {
        ntsec_object_put(object);
        return STATUS_NO_MEMORY;
    }
    st = ntsec_object_set_security(object, info, sd, caller);
    ntsec_token_put(caller);
    ntsec_object_put(object);
    return st;
}
