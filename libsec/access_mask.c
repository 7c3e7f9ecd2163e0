/* access_mask.c - ACCESS_MASK arithmetic shared by every object type:
 * mapping the four generic rights to an object type's specific rights. */
#include "ntsec/ntsec.h"

/* RtlMapGenericMask: each GENERIC_* bit present is replaced by the rights
 * the object type's GENERIC_MAPPING gives it; every other bit is kept, and
 * no GENERIC_* bit survives, even one the mapping itself names.
 * Source: Microsoft docs, RtlMapGenericMask ("generic access rights ... are
 * mapped to specific and standard access rights"), and MapGenericMask
 * (the generic bits are cleared). */
uint32_t ntsec_access_map_generic(uint32_t mask, const struct ntsec_generic_mapping *mapping)
{
    static const uint32_t generic_all = NTSEC_GENERIC_READ | NTSEC_GENERIC_WRITE |
                                        NTSEC_GENERIC_EXECUTE | NTSEC_GENERIC_ALL;
    uint32_t out = mask;

    if (!mapping)
        return mask & ~generic_all;
    if (mask & NTSEC_GENERIC_READ)
        out |= mapping->read;
    if (mask & NTSEC_GENERIC_WRITE)
        out |= mapping->write;
    if (mask & NTSEC_GENERIC_EXECUTE)
        out |= mapping->execute;
    if (mask & NTSEC_GENERIC_ALL)
        out |= mapping->all;
    return out & ~generic_all;
}
