/* process.c - ntdll's NtOpenProcess and NtOpenThread: a handle to any live
 * emulated process or thread by its client id, over libsec's id table
 * (ntsec_process_lookup, ntsec_thread_lookup) and ObOpenObjectByPointer
 * (ntsec_object_open). */
#include "../handle.h"

/* The checks NtOpenProcess and NtOpenThread share, before any lookup:
 * the output pointer, then OBJECT_ATTRIBUTES' handle attributes (a name
 * is refused: Microsoft docs, NtOpenProcess, "The ObjectName field of
 * this structure must be set to NULL"), then a client id
 * (STATUS_INVALID_PARAMETER_MIX without one). */
static NTSTATUS open_arguments(const void *out, const OBJECT_ATTRIBUTES *attr, const CLIENT_ID *cid,
                               ULONG *attributes)
{
    if (!out)
        return STATUS_ACCESS_VIOLATION;
    if (attr && attr->ObjectName)
        return STATUS_INVALID_PARAMETER_MIX;
    if (!cid)
        return STATUS_INVALID_PARAMETER_MIX;
    *attributes = attr ? attr->Attributes : 0;
    return STATUS_SUCCESS;
}

/* The thread cid->UniqueThread names (a counted reference); a
 * UniqueProcess that is also set must be that thread's process
 * (STATUS_INVALID_CID). */
static NTSTATUS thread_of_cid(const CLIENT_ID *cid, struct ntsec_thread **out)
{
    struct ntsec_thread *t;
    NTSTATUS st = ntsec_thread_lookup((uint32_t)(uintptr_t)cid->UniqueThread, &t);

    if (!NT_SUCCESS(st))
        return st;
    if (cid->UniqueProcess &&
        (uintptr_t)cid->UniqueProcess != (uintptr_t)ntsec_process_id(ntsec_thread_process(t))) {
        ntsec_object_put(t);
        return STATUS_INVALID_CID;
    }
    *out = t;
    return STATUS_SUCCESS;
}

/* A handle to `object` (the caller's reference is consumed) after the
 * access check with the caller's effective token. */
static NTSTATUS open_handle(void *object, ACCESS_MASK access, ULONG attributes, HANDLE *out)
{
    ntsec_handle h = 0;
    NTSTATUS st = ntsec_object_open(object, access, attributes, false, &h);

    ntsec_object_put(object);
    if (NT_SUCCESS(st))
        *out = emul__to_handle(h);
    return st;
}

/* Microsoft docs, NtOpenProcess, Return value: a name, or no client id,
 * is STATUS_INVALID_PARAMETER_MIX; an id that names no process
 * STATUS_INVALID_CID; access the descriptor does not grant
 * STATUS_ACCESS_DENIED. The client id's UniqueThread, when set, names a
 * thread whose process is opened ("a client ID that identifies the thread
 * whose process is to be opened"); with UniqueProcess also set, the two
 * must agree (STATUS_INVALID_CID; ReactOS ps/process.c NtOpenProcess,
 * behaviour only). */
NTSTATUS WINAPI NtOpenProcess(PHANDLE out, ACCESS_MASK access, const OBJECT_ATTRIBUTES *attr,
                              const CLIENT_ID *cid)
{
    struct ntsec_process *p;
    ULONG attributes;
    NTSTATUS st = open_arguments(out, attr, cid, &attributes);

    if (!NT_SUCCESS(st))
        return st;
    if (cid->UniqueThread) {
        struct ntsec_thread *t;

        st = thread_of_cid(cid, &t);
        if (!NT_SUCCESS(st))
            return st;
        p = ntsec_thread_process(t);
        ntsec_object_get(p);
        ntsec_object_put(t);
    } else {
        st = ntsec_process_lookup((uint32_t)(uintptr_t)cid->UniqueProcess, &p);
        if (!NT_SUCCESS(st))
            return st;
    }
    return open_handle(p, access, attributes, out);
}

/* As NtOpenProcess, for the thread cid->UniqueThread; a UniqueProcess
 * that is set must be the thread's process (STATUS_INVALID_CID). */
NTSTATUS WINAPI NtOpenThread(HANDLE *out, ACCESS_MASK access, const OBJECT_ATTRIBUTES *attr,
                             const CLIENT_ID *cid)
{
    struct ntsec_thread *t;
    ULONG attributes;
    NTSTATUS st = open_arguments(out, attr, cid, &attributes);

    if (!NT_SUCCESS(st))
        return st;
    st = thread_of_cid(cid, &t);
    if (!NT_SUCCESS(st))
        return st;
    return open_handle(t, access, attributes, out);
}
