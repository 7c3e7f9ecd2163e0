/* sddl_tables.h - the letters of SDDL: ACE types, ACE flags, access rights
 * and ACL control flags, each one static const table that the parser, the
 * formatter, the CLI's "explain" and the tests all read.
 *
 * Sources: Microsoft docs "ACE Strings" and "Security Descriptor String
 * Format"; [MS-DTYP] 2.5.1.1 (SDDL grammar); sddl.h of the Windows SDK for
 * the newer letters (SP, TL, FL, CR, TP). */
#ifndef NTSEC_LIBSEC_SDDL_TABLES_H
#define NTSEC_LIBSEC_SDDL_TABLES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What follows the SID in an ACE string, and how the binary ACE is laid
 * out after its header and mask. */
enum ntsec__sddl_ace_layout {
    NTSEC__SDDL_ACE_PLAIN,          /* SID */
    NTSEC__SDDL_ACE_OBJECT,         /* Flags, GUIDs, SID */
    NTSEC__SDDL_ACE_CALLBACK,       /* SID, condition ("artx...") */
    NTSEC__SDDL_ACE_CALLBACK_OBJECT,/* Flags, GUIDs, SID, condition */
    NTSEC__SDDL_ACE_RESOURCE,       /* SID, CLAIM_SECURITY_ATTRIBUTE_RELATIVE_V1 */
};

struct ntsec__sddl_ace_type {
    const char *letters;            /* "A", "OA", "XA", ... */
    uint8_t     type;               /* enum ntsec_ace_type */
    uint8_t     layout;             /* enum ntsec__sddl_ace_layout */
    uint8_t     plain_type;         /* for an object type: the type used when
                                     * the string names no GUID, else = type */
    const char *name;               /* winnt.h name, for display */
};

/* Which ACE types an ACE-flag letter is written for (0x40 means
 * SUCCESSFUL_ACCESS except on access-filter ACEs, where it is
 * TRUST_PROTECTED_FILTER). */
enum ntsec__sddl_flag_scope {
    NTSEC__SDDL_FLAG_ANY,
    NTSEC__SDDL_FLAG_NOT_FILTER,
    NTSEC__SDDL_FLAG_FILTER_ONLY,
};

struct ntsec__sddl_ace_flag {
    const char *letters;
    uint8_t     flag;
    uint8_t     scope;              /* enum ntsec__sddl_flag_scope */
    const char *name;
};

/* Kinds of rights letters. BIT letters name one bit and are what a mask
 * is decomposed into; ALIAS letters name a whole mask (FA, KR, ...) and
 * are written only for an exact match; LABEL letters are the mandatory
 * label policy bits, written only in ML ACEs. */
enum ntsec__sddl_right_kind {
    NTSEC__SDDL_RIGHT_BIT,
    NTSEC__SDDL_RIGHT_ALIAS,
    NTSEC__SDDL_RIGHT_LABEL,
};

struct ntsec__sddl_right {
    const char *letters;
    uint32_t    mask;
    uint8_t     kind;               /* enum ntsec__sddl_right_kind */
    const char *name;               /* the right's Windows name, for display */
};

struct ntsec__sddl_acl_flag {
    const char *letters;            /* "P", "AR", "AI" */
    uint16_t    dacl_bit;           /* SE_DACL_* control bit */
    uint16_t    sacl_bit;           /* SE_SACL_* control bit */
    const char *name;
};

/* "NO_ACCESS_CONTROL": a NULL ACL that is present (SE_DACL_PRESENT). */
#define NTSEC__SDDL_NO_ACCESS_CONTROL "NO_ACCESS_CONTROL"

/* ACE types. Lookup by letters is case-insensitive and exact (the whole
 * token); NULL when unknown. */
const struct ntsec__sddl_ace_type *ntsec__sddl_ace_type_by_letters(const char *s, size_t len);
const struct ntsec__sddl_ace_type *ntsec__sddl_ace_type_by_value(uint8_t type);
size_t ntsec__sddl_ace_type_count(void);
const struct ntsec__sddl_ace_type *ntsec__sddl_ace_type_at(size_t i);

/* True for the object layouts (Flags and GUIDs in the ACE). */
bool ntsec__sddl_layout_is_object(uint8_t layout);

/* ACE flags: two letters, case-insensitive. false when unknown. */
bool ntsec__sddl_ace_flag_by_letters(const char *two, uint8_t *flag);
size_t ntsec__sddl_ace_flag_count(void);
const struct ntsec__sddl_ace_flag *ntsec__sddl_ace_flag_at(size_t i);

/* Rights: two letters, case-insensitive; false when unknown. */
bool ntsec__sddl_right_by_letters(const char *two, uint32_t *mask);
size_t ntsec__sddl_right_count(void);
const struct ntsec__sddl_right *ntsec__sddl_right_at(size_t i);

/* The letters and the display name of a mask that one table entry names
 * exactly (a single bit like 0x1 "CC" / "ADS_RIGHT_DS_CREATE_CHILD", or a
 * whole alias like 0x1f01ff "FA" / "FILE_ALL_ACCESS"). `label` picks the
 * mandatory-label meaning of bits 0..2 (NW, NR, NX). NULL when no entry
 * names exactly `mask`. */
const struct ntsec__sddl_right *ntsec__sddl_right_named(uint32_t mask, bool label);

/* ACL control flags: "P", "AR", "AI", case-insensitive; the number of
 * characters matched at `s` (0 when none). */
size_t ntsec__sddl_acl_flag_match(const char *s, const struct ntsec__sddl_acl_flag **out);
size_t ntsec__sddl_acl_flag_count(void);
const struct ntsec__sddl_acl_flag *ntsec__sddl_acl_flag_at(size_t i);

#endif
