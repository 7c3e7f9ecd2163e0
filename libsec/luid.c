/* luid.c - locally unique identifiers (NtAllocateLocallyUniqueId /
 * ExAllocateLocallyUniqueId): TokenId, ModifiedId, logon session ids.
 *
 * Windows reserves the low values for the well-known logon sessions:
 * NETWORK_SERVICE_LUID 0x3e4, LOCALSERVICE_LUID 0x3e5, ANONYMOUS_LOGON_LUID
 * 0x3e6 and SYSTEM_LUID 0x3e7 (winnt.h; "LUID" / "Well-known logon session
 * LUIDs" in Microsoft docs, TOKEN_STATISTICS.AuthenticationId). Allocation
 * therefore starts just above SYSTEM_LUID, as the kernel's counter does
 * (ReactOS ntoskrnl/ex/uuid.c starts it at SYSTEM_LUID + 1, read for
 * behaviour only), and never hands out one of those. */
#include <stdatomic.h>

#include "token.h"

#define FIRST_LUID 0x3e8u           /* SYSTEM_LUID (0x3e7) + 1 */

/* The next value minus FIRST_LUID: zero-initialised static storage needs
 * no initialiser to run before main. */
static _Atomic uint64_t luid_next;

struct ntsec_luid ntsec_luid_allocate(void)
{
    /* One atomic add: unique across threads, lock-free, never repeats
     * (2^64 allocations would take centuries). */
    uint64_t v = atomic_fetch_add_explicit(&luid_next, 1, memory_order_relaxed) + FIRST_LUID;

    return ntsec__u64_to_luid(v);
}
