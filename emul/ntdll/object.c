/* object.c - ntdll's routines for any object behind a handle: NtClose,
 * NtDuplicateObject and NtQuerySecurityObject, over libsec's handle
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

/* The access each part needs (GetKernelObjectSecurity, Microsoft docs:
 * READ_CONTROL to read the owner, group, DACL or label,
 * ACCESS_SYSTEM_SECURITY to read the SACL). */
static const struct part_access {
    SECURITY_INFORMATION part;
    ACCESS_MASK needs;
} part_access[] = {
    { OWNER_SECURITY_INFORMATION, READ_CONTROL },
    { GROUP_SECURITY_INFORMATION, READ_CONTROL },
    { DACL_SECURITY_INFORMATION,  READ_CONTROL },
    { LABEL_SECURITY_INFORMATION, READ_CONTROL },
    { SACL_SECURITY_INFORMATION,  ACCESS_SYSTEM_SECURITY },
};

static ACCESS_MASK query_needs(SECURITY_INFORMATION info)
{
    ACCESS_MASK needs = 0;

    for (size_t i = 0; i < sizeof(part_access) / sizeof(part_access[0]); i++)
        if (info & part_access[i].part)
            needs |= part_access[i].needs;
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
    st = ntsec_handle_reference(emul__handle(handle), 0, query_needs(info), &object, NULL);
    if (!NT_SUCCESS(st))
        return st;
    st = ntsec_object_query_security(object, info, sd, length, &needed);
    ntsec_object_put(object);
    if (NT_SUCCESS(st) || st == STATUS_BUFFER_TOO_SMALL)
        *retlen = needed;
    return st;
}
