/* pool.c - ExFreePool / ExFreePoolWithTag: release the "paged pool"
 * buffers the ntoskrnl adapters hand out (SeQueryInformationToken's
 * answer, SeAccessCheck's privilege set).
 *
 * ntsec has one allocator (ntsec_mem_alloc); pool types and tags have
 * no meaning here, so the tag is not checked. ExAllocatePool* are not
 * exported: nothing in ntsec needs a driver to allocate pool yet. */
#include "ddi.h"

void WINAPI ExFreePool(PVOID p)
{
    ntsec_mem_free(p);
}

void WINAPI ExFreePoolWithTag(PVOID p, ULONG tag)
{
    (void)tag;
    ntsec_mem_free(p);
}
