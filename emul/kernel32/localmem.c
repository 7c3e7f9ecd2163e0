/* localmem.c - kernel32's LocalAlloc/LocalFree over ntsec's allocator, so
 * that memory ntsec hands to a Windows caller (ConvertSidToStringSid
 * strings, ConvertStringSecurityDescriptor... descriptors) is released
 * with LocalFree, as Windows documents for those functions.
 *
 * Only fixed memory exists here: LMEM_FIXED with or without LMEM_ZEROINIT
 * (LPTR). LMEM_NOCOMPACT and LMEM_NODISCARD change nothing for fixed
 * memory on Windows either, so they are accepted. Movable and discardable
 * memory need LocalLock/LocalHandle, which ntsec does not export: such a
 * request fails with ERROR_INVALID_PARAMETER (docs/abi.md). */
#include <string.h>

#include "../common.h"

#define ACCEPTED_FLAGS (LMEM_ZEROINIT | LMEM_NOCOMPACT | LMEM_NODISCARD)

HLOCAL WINAPI LocalAlloc(UINT flags, SIZE_T size)
{
    void *p;

    if (flags & ~ACCEPTED_FLAGS) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    p = ntsec_mem_alloc(size);
    if (!p) {
        /* LocalAlloc, Return value (Microsoft docs): NULL, and the last
         * error says why. */
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    if (flags & LMEM_ZEROINIT)
        memset(p, 0, size);
    return p;
}

/* LocalFree (Microsoft docs): NULL on success; a NULL argument is ignored
 * and NULL returned. ntsec cannot tell a foreign pointer from its own, so
 * the ERROR_INVALID_HANDLE case of Windows is not detected (docs/abi.md). */
HLOCAL WINAPI LocalFree(HLOCAL mem)
{
    ntsec_mem_free(mem);
    return NULL;
}
