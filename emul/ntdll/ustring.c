/* ustring.c - ntdll's RtlFreeUnicodeString, the documented way to release
 * the buffer RtlConvertSidToUnicodeString allocates. */
#include "../common.h"

/* Frees Buffer and clears the structure (Buffer NULL, lengths 0), as
 * Windows does; a NULL Buffer is accepted. Only buffers ntsec allocated
 * may be passed (docs/abi.md). */
void WINAPI RtlFreeUnicodeString(PUNICODE_STRING str)
{
    if (!str)
        return;
    ntsec_mem_free(str->Buffer);
    str->Buffer = NULL;
    str->Length = 0;
    str->MaximumLength = 0;
}
