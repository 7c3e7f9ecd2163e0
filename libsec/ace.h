/* ace.h - what libsec knows about each ACE type, shared by acl.c (which
 * validates and builds ACLs) and the layers above it (SDDL, access check).
 *
 * One table, ntsec__ace_kinds[], indexed by AceType, holds the layout of
 * every type [MS-DTYP] 2.4.4 defines; code and tests read it, nothing else
 * restates it. */
#ifndef NTSEC_LIBSEC_ACE_H
#define NTSEC_LIBSEC_ACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ntsec/acl.h"

/* Where the fixed fields end and the SID starts. */
enum ntsec__ace_layout {
    NTSEC__ACE_LAYOUT_SID,       /* header, Mask, SID [, data]  ([MS-DTYP] 2.4.4.2) */
    NTSEC__ACE_LAYOUT_OBJECT,    /* header, Mask, Flags, [GUID], [GUID], SID [, data] (2.4.4.3) */
    NTSEC__ACE_LAYOUT_COMPOUND,  /* header, Mask, CompoundAceType, Reserved, two SIDs */
};

/* Which ACL an ACE type belongs in ([MS-DTYP] 2.4.4.1, AceType). */
#define NTSEC__ACE_IN_DACL  0x1
#define NTSEC__ACE_IN_SACL  0x2

struct ntsec__ace_kind {
    const char *name;           /* winnt.h name, for messages and tests */
    uint8_t type;               /* AceType; equal to the index in the table */
    uint8_t layout;             /* enum ntsec__ace_layout */
    uint8_t min_size;           /* fixed part + a SID without sub-authorities (8) */
    uint8_t min_revision;       /* lowest ACL revision that may hold it */
    uint8_t acl_kinds;          /* NTSEC__ACE_IN_DACL / _SACL */
    bool has_mask;
    bool has_sid;               /* one SID the accessors return */
    bool has_object_types;      /* optional ObjectType / InheritedObjectType */
    bool has_app_data;          /* bytes after the SID are kept byte-exact */
};

/* Bytes of the fixed fields of each layout (before any GUID or SID). */
#define NTSEC__ACE_SID_OFFSET        8u   /* header + Mask */
#define NTSEC__ACE_OBJECT_FIXED     12u   /* header + Mask + Flags */
#define NTSEC__ACE_COMPOUND_FIXED   12u   /* header + Mask + type + reserved */
#define NTSEC__SID_MIN_LENGTH        8u   /* revision, count, authority */

/* The table itself, NTSEC__ACE_KIND_COUNT entries, entry i of type i. */
#define NTSEC__ACE_KIND_COUNT 0x16
extern const struct ntsec__ace_kind ntsec__ace_kinds[NTSEC__ACE_KIND_COUNT];

/* The kind of AceType `type`; NULL for a type ntsec does not know. */
const struct ntsec__ace_kind *ntsec__ace_kind_of(uint8_t type);

/* The checks RtlValidAcl makes on one ACE of a known type, once its
 * header and AceSize are known to lie within the ACL: AceSize a multiple of
 * 4 and at least the type's minimum, and the SID (each SID of a compound
 * ACE) of a valid form and inside the ACE. True for an unknown type. */
bool ntsec__ace_is_well_formed(const struct ntsec_ace_header *ace);

#endif
