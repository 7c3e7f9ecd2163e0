/* ntsec/process.h - emulated processes, threads and their handle tables.
 *
 * The OS process is emulated process 1; its primary token comes from the
 * Linux credentials (see ntsec/unixcred.h) the first time anything asks.
 * Every pthread becomes an emulated thread of the process it is bound to
 * (process 1 unless ntsec_thread_bind() said otherwise) on first use; its
 * object is released when the pthread exits, but a handle to it stays valid
 * until closed, as a Windows thread object outlives its thread. More
 * processes can be created in-process, each with its own primary token and
 * handle table: services, COM servers and teaching scenarios need several.
 * Each runs on a machine of the account world (process 1 on the world's
 * own), so that calls between them can be local or remote. 
 *
 * Processes and threads are counted kernel objects (ntsec/object.h) with a
 * security descriptor; opening one checks the desired access against it
 * with the caller's effective token. */
#ifndef NTSEC_PROCESS_H
#define NTSEC_PROCESS_H

#include <stdbool.h>
#include <stdint.h>

#include "ntsec/object.h"
#include "ntsec/token.h"
#include "ntsec/status.h"

struct ntsec_process;
struct ntsec_thread;

/* Handles are multiples of 4 (as Windows'), 0 is never a handle. */
typedef uintptr_t ntsec_handle;

/* Pseudo-handles (Windows' values). */
#define NTSEC_CURRENT_PROCESS        ((ntsec_handle)-1)
#define NTSEC_CURRENT_THREAD         ((ntsec_handle)-2)
#define NTSEC_CURRENT_PROCESS_TOKEN  ((ntsec_handle)-4)
#define NTSEC_CURRENT_THREAD_TOKEN   ((ntsec_handle)-5)
#define NTSEC_CURRENT_THREAD_EFFECTIVE_TOKEN ((ntsec_handle)-6)

/* Process and thread access rights (winnt.h). */
#define NTSEC_PROCESS_TERMINATE                 0x0001u
#define NTSEC_PROCESS_DUP_HANDLE                0x0040u
#define NTSEC_PROCESS_QUERY_INFORMATION         0x0400u
#define NTSEC_PROCESS_QUERY_LIMITED_INFORMATION 0x1000u
#define NTSEC_PROCESS_ALL_ACCESS                0x001FFFFFu
#define NTSEC_THREAD_QUERY_INFORMATION          0x0040u
#define NTSEC_THREAD_SET_INFORMATION            0x0020u
#define NTSEC_THREAD_SET_THREAD_TOKEN           0x0080u
#define NTSEC_THREAD_IMPERSONATE                0x0100u
#define NTSEC_THREAD_DIRECT_IMPERSONATION       0x0200u
#define NTSEC_THREAD_QUERY_LIMITED_INFORMATION  0x0800u
#define NTSEC_THREAD_ALL_ACCESS                 0x001FFFFFu

/* Handle attributes and DuplicateHandle options. */
#define NTSEC_OBJ_INHERIT            0x00000002u
#define NTSEC_DUPLICATE_CLOSE_SOURCE 0x00000001u
#define NTSEC_DUPLICATE_SAME_ACCESS  0x00000002u
#define NTSEC_DUPLICATE_SAME_ATTRIBUTES 0x00000004u

/* --- processes ----------------------------------------------------------- */

/* The process the calling thread belongs to (a borrowed pointer, valid
 * while the thread lives). Process 1 is created on first use. */
struct ntsec_process *ntsec_process_current(void);

/* Create an emulated process running as `primary` (a primary token; the
 * process takes its own reference), with an empty handle table.
 * NTSEC_STATUS_BAD_TOKEN_TYPE for an impersonation token. Returns a new
 * reference; release it with ntsec_object_put(). */
ntsec_status ntsec_process_create(struct ntsec_token *primary, const char *name,
                                  struct ntsec_process **out);

/* The same on machine `machine` of the account world (its own machine or
 * one of its hosts, named without case: "SERVER1"); ntsec_process_create
 * puts the process on the world's own machine. A call between processes
 * of two machines is a remote call (ntsec/call.h). NTSEC_STATUS_INVALID_PARAMETER
 * for a NULL argument, NTSEC_STATUS_BAD_TOKEN_TYPE as above,
 * NTSEC_STATUS_OBJECT_NAME_NOT_FOUND when the world has no such machine
 * (docs/calls.md). Returns a new reference. */
ntsec_status ntsec_process_create_on(struct ntsec_token *primary, const char *name,
                                     const char *machine, struct ntsec_process **out);

uint32_t ntsec_process_id(const struct ntsec_process *process);

/* The machine the process runs on, as the world spells it (valid while
 * the process lives; it never changes, even when another world is
 * loaded); NULL for a NULL process. */
const char *ntsec_process_machine(const struct ntsec_process *process);

/* PsLookupProcessByProcessId: the live emulated process with id `pid` (any
 * process, not only the caller's; one that exited but is still referenced
 * counts, as on Windows), a new reference; NTSEC_STATUS_INVALID_CID when
 * none. No access check: opening it by id is ntsec_object_open's. */
ntsec_status ntsec_process_lookup(uint32_t pid, struct ntsec_process **out);

/* PsReferencePrimaryToken: the process' primary token, a new reference. */
struct ntsec_token *ntsec_process_token(struct ntsec_process *process);

/* --- threads --------------------------------------------------------------- */

/* The calling pthread's emulated thread (created on first use; a borrowed
 * pointer, valid until the pthread exits). NULL only when out of memory. */
struct ntsec_thread *ntsec_thread_current(void);

/* Make the calling pthread a thread of `process` from now on (before it
 * first used ntsec, or after: its impersonation is ended).
 * NTSEC_STATUS_INVALID_PARAMETER for NULL. */
ntsec_status ntsec_thread_bind(struct ntsec_process *process);

uint32_t ntsec_thread_id(const struct ntsec_thread *thread);

/* PsLookupThreadByThreadId: as ntsec_process_lookup, for a thread id. */
ntsec_status ntsec_thread_lookup(uint32_t tid, struct ntsec_thread **out);

/* The process a thread belongs to (borrowed). */
struct ntsec_process *ntsec_thread_process(const struct ntsec_thread *thread);

/* The thread's impersonation token (a new reference) with its level,
 * CopyOnOpen and EffectiveOnly (PsReferenceImpersonationToken), or NULL
 * when it does not impersonate. Safe from any thread. */
struct ntsec_token *ntsec_thread_impersonation(struct ntsec_thread *thread,
                                               enum ntsec_impersonation_level *level,
                                               bool *copy_on_open, bool *effective_only);

/* The effective token of the calling thread: its impersonation token if
 * it impersonates, else its process' primary token. A new reference. */
struct ntsec_token *ntsec_thread_effective_token(void);

/* --- handles ------------------------------------------------------------- */

/* Enter `object` (a counted object; the table takes its own reference)
 * in the current process' handle table with `granted` access.
 * NTSEC_STATUS_NO_MEMORY; NTSEC_STATUS_INSUFFICIENT_RESOURCES when full. */
ntsec_status ntsec_handle_create(void *object, uint32_t granted, uint32_t attributes,
                                 ntsec_handle *out);

/* ObReferenceObjectByHandle: the object behind `handle` in the current
 * process (pseudo-handles included), checked for `type` (0 = any:
 * NTSEC_STATUS_OBJECT_TYPE_MISMATCH) and `desired` access (must be a subset
 * of what the handle grants: NTSEC_STATUS_ACCESS_DENIED). A bad handle:
 * NTSEC_STATUS_INVALID_HANDLE; a thread-token pseudo-handle of a thread that
 * does not impersonate: NTSEC_STATUS_NO_TOKEN. Returns a new reference and,
 * optionally, the access the handle grants. */
ntsec_status ntsec_handle_reference(ntsec_handle handle, enum ntsec_object_type type,
                                    uint32_t desired, void **object, uint32_t *granted);

/* The access and attributes of a handle of the current process
 * (NtQueryObject ObjectBasicInformation, OBJECT_HANDLE_INFORMATION);
 * a pseudo-handle reports what ntsec_handle_reference grants and no
 * attributes. NTSEC_STATUS_INVALID_HANDLE. */
ntsec_status ntsec_handle_query(ntsec_handle handle, uint32_t *granted, uint32_t *attributes);

/* NtClose. NTSEC_STATUS_INVALID_HANDLE for a handle that is not open
 * (closing a pseudo-handle succeeds and does nothing, as on Windows). */
ntsec_status ntsec_handle_close(ntsec_handle handle);

/* NtDuplicateObject within and between emulated processes: `options`
 * NTSEC_DUPLICATE_SAME_ACCESS / _SAME_ATTRIBUTES / _CLOSE_SOURCE. Access
 * beyond the source handle's is checked against the object's security
 * descriptor; _CLOSE_SOURCE closes the source even when the duplication
 * fails (see handle.c for Windows' rules). `target_process` NULL with
 * _CLOSE_SOURCE only closes. */
ntsec_status ntsec_handle_duplicate(struct ntsec_process *source_process, ntsec_handle source,
                                    struct ntsec_process *target_process, uint32_t desired,
                                    uint32_t attributes, uint32_t options, ntsec_handle *out);

/* Open handles in a process' table (leak checks in tests). */
uint32_t ntsec_handle_count(struct ntsec_process *process);

/* ObOpenObjectByPointer: a handle to `object` in the current process,
 * access checked against the object's security descriptor with the
 * caller's effective token (unless `kernel_mode`). */
ntsec_status ntsec_object_open(void *object, uint32_t desired, uint32_t attributes,
                               bool kernel_mode, ntsec_handle *out);

/* The same, with the access checked against the calling thread's process'
 * primary token even while the thread impersonates (its impersonation
 * level then does not matter): NtOpenThreadToken's OpenAsSelf. */
ntsec_status ntsec_object_open_as_self(void *object, uint32_t desired, uint32_t attributes,
                                       ntsec_handle *out);

#endif
