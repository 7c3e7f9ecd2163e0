/* process.c - the DDI of processes, threads and handles: PsGetCurrentProcess,
 * PsGetCurrentThread, the id getters, PsReferencePrimaryToken /
 * PsDereferencePrimaryToken, ObReferenceObjectByHandle and
 * ObOpenObjectByPointer, with the object types PsProcessType, PsThreadType
 * and SeTokenObjectType, over libsec's processes, threads and handle tables
 * (include/ntsec/process.h).
 *
 * A PEPROCESS is a struct ntsec_process *, a PETHREAD a struct
 * ntsec_thread *, and both are counted objects ObReferenceObject and
 * ObDereferenceObject work on. */
#include "ddi.h"

#undef PsGetCurrentProcess
#undef PsGetCurrentThread

/* An OBJECT_TYPE is opaque to drivers (wdm.h): ntsec's holds the native
 * type it stands for. */
struct _OBJECT_TYPE {
    enum ntsec_object_type type;
};

static struct _OBJECT_TYPE process_type = { NTSEC_OBJECT_PROCESS };
static struct _OBJECT_TYPE thread_type = { NTSEC_OBJECT_THREAD };
static struct _OBJECT_TYPE token_type = { NTSEC_OBJECT_TOKEN };
static POBJECT_TYPE process_type_pointer = &process_type;
static POBJECT_TYPE thread_type_pointer = &thread_type;
static POBJECT_TYPE token_type_pointer = &token_type;

POBJECT_TYPE *PsProcessType = &process_type_pointer;
POBJECT_TYPE *PsThreadType = &thread_type_pointer;
POBJECT_TYPE *SeTokenObjectType = &token_type_pointer;

static struct ntsec_process *process_of(PEPROCESS process)
{
    return (struct ntsec_process *)process;
}

static struct ntsec_thread *thread_of(PETHREAD thread)
{
    return (struct ntsec_thread *)thread;
}

PEPROCESS WINAPI PsGetCurrentProcess(void)
{
    return (PEPROCESS)ntsec_process_current();
}

PETHREAD WINAPI PsGetCurrentThread(void)
{
    return (PETHREAD)ntsec_thread_current();
}

/* Ids are returned as HANDLEs, as Windows' client ids are. */
HANDLE WINAPI PsGetThreadId(PETHREAD Thread)
{
    return (HANDLE)(ULONG_PTR)ntsec_thread_id(thread_of(Thread));
}

HANDLE WINAPI PsGetCurrentThreadId(void)
{
    return (HANDLE)(ULONG_PTR)ntsec_thread_id(ntsec_thread_current());
}

HANDLE WINAPI PsGetProcessId(PEPROCESS Process)
{
    return (HANDLE)(ULONG_PTR)ntsec_process_id(process_of(Process));
}

HANDLE WINAPI PsGetCurrentProcessId(void)
{
    return (HANDLE)(ULONG_PTR)ntsec_process_id(ntsec_process_current());
}

/* "PsReferencePrimaryToken increments the reference count of the primary
 * token"; "the caller must call PsDereferencePrimaryToken" (Microsoft docs). */
PACCESS_TOKEN WINAPI PsReferencePrimaryToken(PEPROCESS Process)
{
    return ntsec_process_token(process_of(Process));
}

void WINAPI PsDereferencePrimaryToken(PACCESS_TOKEN PrimaryToken)
{
    if (PrimaryToken)
        ntsec_token_put(emul__token(PrimaryToken));
}

/* ObReferenceObjectByHandle: "If the AccessMode parameter is KernelMode,
 * the requested access is always allowed" (Microsoft docs); the statuses
 * are libsec's (STATUS_INVALID_HANDLE, STATUS_OBJECT_TYPE_MISMATCH,
 * STATUS_ACCESS_DENIED). HandleInformation receives the handle's access
 * and attributes. */
NTSTATUS WINAPI ObReferenceObjectByHandle(HANDLE Handle, ACCESS_MASK DesiredAccess,
                                          POBJECT_TYPE ObjectType, KPROCESSOR_MODE AccessMode,
                                          PVOID *Object, POBJECT_HANDLE_INFORMATION HandleInformation)
{
    enum ntsec_object_type type = ObjectType ? ObjectType->type : 0;
    uint32_t granted = 0, attributes = 0;
    void *object;
    NTSTATUS st;

    if (!Object)
        return STATUS_INVALID_PARAMETER;
    st = ntsec_handle_reference((ntsec_handle)Handle, type,
                                AccessMode == KernelMode ? 0 : DesiredAccess, &object, &granted);
    if (!NT_SUCCESS(st))
        return st;
    if (HandleInformation) {
        ntsec_handle_query((ntsec_handle)Handle, NULL, &attributes);
        HandleInformation->HandleAttributes = attributes;
        HandleInformation->GrantedAccess = granted;
    }
    *Object = object;
    return STATUS_SUCCESS;
}

/* ObOpenObjectByPointer: a handle in the current process to an object the
 * caller holds (Microsoft docs). A given ObjectType must be the object's
 * (STATUS_OBJECT_TYPE_MISMATCH). ntsec does not model ACCESS_STATE: a
 * PassedAccessState is refused with STATUS_INVALID_PARAMETER rather than
 * ignored (docs/processes.md). Kernel handles (OBJ_KERNEL_HANDLE) are not
 * modelled either: the handle is the current process'. */
NTSTATUS WINAPI ObOpenObjectByPointer(PVOID Object, ULONG HandleAttributes,
                                      PACCESS_STATE PassedAccessState, ACCESS_MASK DesiredAccess,
                                      POBJECT_TYPE ObjectType, KPROCESSOR_MODE AccessMode,
                                      PHANDLE Handle)
{
    ntsec_handle h;
    NTSTATUS st;

    if (!Object || !Handle || PassedAccessState)
        return STATUS_INVALID_PARAMETER;
    if (ObjectType && ntsec_object_type(Object) != ObjectType->type)
        return STATUS_OBJECT_TYPE_MISMATCH;
    st = ntsec_object_open(Object, DesiredAccess, HandleAttributes, AccessMode == KernelMode, &h);
    if (NT_SUCCESS(st))
        *Handle = (HANDLE)h;
    return st;
}
