/* ntsec/ntsec.h - the native C API of ntsec.
 *
 * ntsec emulates the Windows NT security reference monitor in user mode.
 * This header is its own API (ntsec_<noun>_<verb>, plain sysv ABI); the
 * Windows ABI (advapi32, ntdll, kernel32, the kernel DDI) is reached through
 * Wine's headers and is documented in docs/. Every function that can fail
 * returns the NTSTATUS Windows returns for the same case; outputs are
 * written only on success. Memory the API hands out is released with
 * ntsec_mem_free(). */
#ifndef NTSEC_NTSEC_H
#define NTSEC_NTSEC_H

#include <stddef.h>

#include "ntsec/status.h"
#include "ntsec/sid.h"
#include "ntsec/acl.h"
#include "ntsec/sd.h"
#include "ntsec/sddl.h"
#include "ntsec/explain.h"
#include "ntsec/object.h"
#include "ntsec/privilege.h"
#include "ntsec/token.h"
#include "ntsec/access.h"
#include "ntsec/process.h"
#include "ntsec/impersonate.h"
#include "ntsec/call.h"
#include "ntsec/com.h"
#include "ntsec/com_marshal.h"
#include "ntsec/rpc.h"
#include "ntsec/pipe.h"
#include "ntsec/account.h"
#include "ntsec/unixcred.h"
#include "ntsec/projection.h"
#include "ntsec/peer.h"
#include "ntsec/transport.h"
#include "ntsec/wstring.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Memory from ntsec's allocator (kernel32's LocalAlloc uses it, so that
 * LocalFree releases both). NULL when out of memory. */
void *ntsec_mem_alloc(size_t size);

/* Release memory allocated by ntsec (SDDL strings, descriptors,
 * ntsec_mem_alloc). NULL is accepted. */
void ntsec_mem_free(void *p);

#ifdef __cplusplus
}
#endif

#endif
