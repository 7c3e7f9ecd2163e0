/* object.c - the object manager's reference counting for the objects a
 * driver holds: ObfReferenceObject, ObReferenceObject,
 * ObfDereferenceObject, ObDereferenceObject, over ntsec's counted objects
 * (tokens now; processes and threads with later layers).
 *
 * The WDK makes ObReferenceObject / ObDereferenceObject macros over the
 * Obf* routines (wdm.h); Windows code compiled against Wine's headers
 * calls ObDereferenceObject as a function, and code that takes the
 * address of ObReferenceObject needs a function too, so all four names
 * are exported. Windows faults on a NULL object; ntsec ignores it
 * (docs/abi.md, "Bad pointers"). */
#include "ddi.h"

#undef ObReferenceObject

/* Wine declares ObfReferenceObject as returning nothing; the WDK's
 * LONG_PTR is "reserved for system use. Drivers must treat this value as
 * VOID" (Microsoft docs, ObfReferenceObject), so the two agree for every
 * caller. */
void FASTCALL ObfReferenceObject(void *object)
{
    if (object)
        ntsec_object_get(object);
}

void WINAPI ObReferenceObject(PVOID object)
{
    if (object)
        ntsec_object_get(object);
}

/* The value is reserved for system use, as ObfReferenceObject's; ntsec
 * gives 0. */
LONG_PTR FASTCALL ObfDereferenceObject(PVOID object)
{
    if (object)
        ntsec_object_put(object);
    return 0;
}

void WINAPI ObDereferenceObject(void *object)
{
    if (object)
        ntsec_object_put(object);
}
