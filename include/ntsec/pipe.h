/* ntsec/pipe.h - named pipes inside the emulation: what CreateNamedPipe,
 * CreateFile on \\.\pipe\NAME, ConnectNamedPipe, ReadFile/WriteFile,
 * DisconnectNamedPipe and ImpersonateNamedPipeClient do, with the
 * security a Windows service relies on.
 *
 * A pipe is a name (case-insensitive) with a security descriptor and up
 * to a maximum of instances; each instance joins one server end and at
 * most one client end. Both ends are file objects (NTSEC_OBJECT_FILE)
 * entered in the handle table of the process that made them; closing the
 * last handle of an end closes it. Opening the client end checks the
 * desired access against the pipe's descriptor with the caller's
 * effective token, and captures the caller's security context under its
 * SECURITY_QUALITY_OF_SERVICE: static tracking at the open, dynamic
 * tracking at each write (the server impersonates the context of the
 * last message it read). docs/pipes.md gives every rule and its source.
 *
 * Pipes live inside one OS process (any emulated processes in it), or,
 * with a rendezvous directory set (ntsec/transport.h), reach clients in
 * other OS processes over Unix sockets: the server then sees the client
 * the kernel vouches for, its context captured at the connect
 * (docs/pipes.md, "Between OS processes"). Only synchronous I/O is
 * modelled; writes never block in-process (no buffer quota). */
#ifndef NTSEC_PIPE_H
#define NTSEC_PIPE_H

#include <stdbool.h>
#include <stdint.h>

#include "ntsec/impersonate.h"
#include "ntsec/process.h"
#include "ntsec/status.h"

/* CreateNamedPipe's dwOpenMode (winbase.h, winnt.h). WRITE_OWNER and
 * FILE_FLAG_FIRST_PIPE_INSTANCE share the bit 0x00080000, as in Windows'
 * headers: both meanings apply. */
#define NTSEC_PIPE_ACCESS_INBOUND           0x00000001u
#define NTSEC_PIPE_ACCESS_OUTBOUND          0x00000002u
#define NTSEC_PIPE_ACCESS_DUPLEX            0x00000003u
#define NTSEC_FILE_FLAG_FIRST_PIPE_INSTANCE 0x00080000u
#define NTSEC_FILE_FLAG_WRITE_THROUGH       0x80000000u
#define NTSEC_FILE_FLAG_OVERLAPPED          0x40000000u

/* dwPipeMode. */
#define NTSEC_PIPE_WAIT                     0x00000000u
#define NTSEC_PIPE_NOWAIT                   0x00000001u
#define NTSEC_PIPE_READMODE_BYTE            0x00000000u
#define NTSEC_PIPE_READMODE_MESSAGE         0x00000002u
#define NTSEC_PIPE_TYPE_BYTE                0x00000000u
#define NTSEC_PIPE_TYPE_MESSAGE             0x00000004u
#define NTSEC_PIPE_ACCEPT_REMOTE_CLIENTS    0x00000000u
#define NTSEC_PIPE_REJECT_REMOTE_CLIENTS    0x00000008u

#define NTSEC_PIPE_UNLIMITED_INSTANCES      255u

/* WaitNamedPipe's timeouts (NMPWAIT_*, winbase.h). */
#define NTSEC_PIPE_WAIT_DEFAULT             0x00000000u
#define NTSEC_PIPE_WAIT_FOREVER             0xFFFFFFFFu

/* File access rights (winnt.h) as a pipe uses them. FILE_APPEND_DATA is
 * FILE_CREATE_PIPE_INSTANCE on a pipe. */
#define NTSEC_FILE_READ_DATA                0x00000001u
#define NTSEC_FILE_WRITE_DATA               0x00000002u
#define NTSEC_FILE_CREATE_PIPE_INSTANCE     0x00000004u
#define NTSEC_FILE_READ_EA                  0x00000008u
#define NTSEC_FILE_WRITE_EA                 0x00000010u
#define NTSEC_FILE_READ_ATTRIBUTES          0x00000080u
#define NTSEC_FILE_WRITE_ATTRIBUTES         0x00000100u
#define NTSEC_FILE_GENERIC_READ             0x00120089u
#define NTSEC_FILE_GENERIC_WRITE            0x00120116u
#define NTSEC_FILE_GENERIC_EXECUTE          0x001200A0u
#define NTSEC_FILE_ALL_ACCESS               0x001F01FFu

/* CreateNamedPipe's arguments. */
struct ntsec_pipe_create_args {
    const char *name;                   /* "\\.\pipe\NAME", UTF-8 */
    uint32_t open_mode;                 /* NTSEC_PIPE_ACCESS_*, flags, WRITE_DAC... */
    uint32_t pipe_mode;                 /* NTSEC_PIPE_TYPE_*, _READMODE_*, _NOWAIT... */
    uint32_t max_instances;             /* 1..254 or NTSEC_PIPE_UNLIMITED_INSTANCES */
    uint32_t out_buffer_size;           /* kept, not enforced */
    uint32_t in_buffer_size;
    uint32_t default_timeout_ms;        /* WaitNamedPipe's default; 0: 50 ms */
    const void *sd;                     /* either form; NULL: the default */
    uint32_t attributes;                /* NTSEC_OBJ_INHERIT */
};

/* CreateNamedPipe: a new pipe, or a new instance of an existing one, in
 * the listening state; a handle to its server end in *out. A new pipe
 * takes `sd` (the parts it lacks from the caller's token: owner, primary
 * group; no DACL: the default one) or, without one, the default
 * descriptor: LocalSystem, Administrators and the owner full control,
 * Everyone and ANONYMOUS LOGON read. A further instance needs
 * FILE_CREATE_PIPE_INSTANCE and the asked access granted by the pipe's
 * descriptor (NTSEC_STATUS_ACCESS_DENIED), the same direction and no
 * FIRST_PIPE_INSTANCE (NTSEC_STATUS_ACCESS_DENIED), and a free instance
 * (NTSEC_STATUS_INSTANCE_NOT_AVAILABLE). With the transport on
 * (ntsec/transport.h) a new pipe also listens for other OS processes: a
 * name another OS process serves is NTSEC_STATUS_ACCESS_DENIED, a name
 * no socket file can carry ("..", a '/') NTSEC_STATUS_OBJECT_NAME_INVALID.
 * Bad name: NTSEC_STATUS_OBJECT_NAME_INVALID; NULL arguments, bad mode, count,
 * flags or attributes: NTSEC_STATUS_INVALID_PARAMETER; bad `sd`: NTSEC_STATUS_UNKNOWN_REVISION
 * / NTSEC_STATUS_INVALID_SECURITY_DESCR; NTSEC_STATUS_NO_MEMORY. */
ntsec_status ntsec_pipe_create(const struct ntsec_pipe_create_args *args, ntsec_handle *out);

/* CreateFile on a pipe: connect to the first listening instance of
 * `path` with `desired` access (generic bits mapped with the file
 * mapping; FILE_CREATE_PIPE_INSTANCE is not asked), checked against the
 * pipe's descriptor with the caller's effective token; `qos` NULL means
 * SecurityImpersonation, dynamic tracking, EffectiveOnly. A path outside
 * \\.\pipe\: NTSEC_STATUS_NOT_SUPPORTED (no other file is emulated); no
 * such pipe (or none with a server end open):
 * NTSEC_STATUS_OBJECT_NAME_NOT_FOUND - unless the transport is on and
 * another OS process serves it: then the open goes there, the server
 * checking the access and capturing the context with the identity the
 * kernel vouches for (a name no socket file can carry:
 * NTSEC_STATUS_OBJECT_NAME_INVALID); no listening instance:
 * NTSEC_STATUS_PIPE_NOT_AVAILABLE; access: NTSEC_STATUS_ACCESS_DENIED (or
 * NTSEC_STATUS_BAD_IMPERSONATION_LEVEL for a caller impersonating below
 * Impersonation); a bad `qos`: its SeCreateClientSecurity status; a static
 * context that cannot be captured: that status. A handle to the client
 * end in *out. */
ntsec_status ntsec_pipe_open(const char *path, uint32_t desired, const struct ntsec_sqos *qos,
                             uint32_t attributes, ntsec_handle *out);

/* ConnectNamedPipe (synchronous): wait until a client connects to the
 * server end `pipe`. NTSEC_STATUS_PIPE_CONNECTED when one already did,
 * NTSEC_STATUS_PIPE_CLOSING when it has closed its end since,
 * NTSEC_STATUS_PIPE_LISTENING without waiting in PIPE_NOWAIT mode,
 * NTSEC_STATUS_PIPE_DISCONNECTED when DisconnectNamedPipe ends the wait,
 * NTSEC_STATUS_ILLEGAL_FUNCTION on a client end. */
ntsec_status ntsec_pipe_listen(ntsec_handle pipe);

/* DisconnectNamedPipe: drop the client (its unread data, its security
 * context) and leave the instance disconnected until the next listen.
 * NTSEC_STATUS_PIPE_DISCONNECTED when already disconnected,
 * NTSEC_STATUS_ILLEGAL_FUNCTION on a client end. */
ntsec_status ntsec_pipe_disconnect(ntsec_handle pipe);

/* ReadFile: wait for data and copy up to `size` bytes into `buf`; *done
 * (optional) receives the bytes copied (also with NTSEC_STATUS_BUFFER_OVERFLOW: a
 * message longer than `size` in message read mode, the rest kept for the
 * next read - the one status after which an output is written, as
 * NtReadFile's IO_STATUS_BLOCK is). The handle needs FILE_READ_DATA.
 * Errors by state: NTSEC_STATUS_PIPE_LISTENING, _PIPE_DISCONNECTED,
 * _PIPE_BROKEN (the other end closed and nothing is left), _PIPE_EMPTY
 * (PIPE_NOWAIT). NULL `buf` with a size: NTSEC_STATUS_ACCESS_VIOLATION. */
ntsec_status ntsec_pipe_read(ntsec_handle pipe, void *buf, uint32_t size, uint32_t *done);

/* WriteFile: queue `size` bytes (one message on a message-type pipe; a
 * zero-length write on a byte-type pipe queues nothing); *done (optional)
 * receives `size`. The handle needs
 * FILE_WRITE_DATA. A client end under dynamic tracking captures its
 * security context with the message. Errors: NTSEC_STATUS_PIPE_LISTENING,
 * _PIPE_DISCONNECTED, _PIPE_CLOSING (the other end closed), the context
 * capture's status, NTSEC_STATUS_NO_MEMORY; a NULL `buf` with a size:
 * NTSEC_STATUS_ACCESS_VIOLATION. */
ntsec_status ntsec_pipe_write(ntsec_handle pipe, const void *buf, uint32_t size, uint32_t *done);

/* PeekNamedPipe: copy without consuming. `read`: bytes copied (the first
 * message only on a message-type pipe); `available`: all bytes queued;
 * `message_length`: the first message's remaining length on a
 * message-type pipe, 0 on a byte-type one. The handle needs FILE_READ_DATA.
 * NTSEC_STATUS_INVALID_PIPE_STATE on a server end that is not connected,
 * the read's statuses otherwise; NULL `out` NTSEC_STATUS_INVALID_PARAMETER. */
struct ntsec_pipe_peek {
    uint32_t read;
    uint32_t available;
    uint32_t message_length;
};
ntsec_status ntsec_pipe_peek(ntsec_handle pipe, void *buf, uint32_t size,
                             struct ntsec_pipe_peek *out);

/* SetNamedPipeHandleState's mode: NTSEC_PIPE_READMODE_* | NTSEC_PIPE_NOWAIT
 * for this end. Message read mode on a byte-type pipe:
 * NTSEC_STATUS_INVALID_PARAMETER. The handle needs FILE_WRITE_ATTRIBUTES. */
ntsec_status ntsec_pipe_set_mode(ntsec_handle pipe, uint32_t mode);

/* ImpersonateNamedPipeClient: the calling thread impersonates the client
 * context of the last message read (dynamic tracking) or captured at the
 * open (static), under SeTokenCanImpersonate (a server without
 * SeImpersonatePrivilege may get Identification).
 * NTSEC_STATUS_CANNOT_IMPERSONATE when there is none (no client, or a
 * dynamic client none of whose messages was read yet),
 * NTSEC_STATUS_ILLEGAL_FUNCTION on a client end. */
ntsec_status ntsec_pipe_impersonate_client(ntsec_handle pipe);

/* GetNamedPipeClientProcessId / GetNamedPipeServerProcessId: the emulated
 * process id of the client that opened the instance, or of the process
 * that created it. NTSEC_STATUS_NOT_FOUND (no client on a server end),
 * NTSEC_STATUS_PIPE_DISCONNECTED (a client end the server disconnected),
 * NTSEC_STATUS_BUFFER_TOO_SMALL for a NULL `pid`. */
ntsec_status ntsec_pipe_client_process_id(ntsec_handle pipe, uint32_t *pid);
ntsec_status ntsec_pipe_server_process_id(ntsec_handle pipe, uint32_t *pid);

/* WaitNamedPipe: wait until an instance of `path` listens, up to
 * `timeout_ms` (NTSEC_PIPE_WAIT_DEFAULT: the pipe's default,
 * NTSEC_PIPE_WAIT_FOREVER). NTSEC_STATUS_OBJECT_NAME_NOT_FOUND when no such
 * pipe exists, NTSEC_STATUS_IO_TIMEOUT, NTSEC_STATUS_OBJECT_NAME_INVALID. */
ntsec_status ntsec_pipe_wait(const char *path, uint32_t timeout_ms);

/* Named pipes alive (leak checks in tests). */
uint32_t ntsec_pipe_count(void);

#endif
