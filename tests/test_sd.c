/* test_sd.c - security descriptors: creation, getters and setters, control
 * bits, validity of both forms, length (conversions: test_sd_convert.c).
 *
 * Each test cites where its rule comes from: Microsoft documentation of the
 * Rtl* routine, a Windows result asserted by Wine's
 * dlls/advapi32/tests/security.c or dlls/ntdll/tests/rtl.c, or the
 * behaviour of ReactOS sdk/lib/rtl/sd.c (RtlValidRelativeSecurityDescriptor
 * and friends, read for behaviour). */
#include <stdint.h>
#include <string.h>

#include "ntsec/ntsec.h"
#include "sd.h"
#include "sd_fixtures.h"
#include "testutil.h"

/* --- creation, getters, setters ----------------------------------------- */

/* RtlCreateSecurityDescriptor (Microsoft docs): revision 1, no owner, group
 * or ACLs, control 0; Wine's test_security_descriptor reads a NULL owner
 * not defaulted from a fresh SD. */
static void init_makes_empty_revision_1_descriptor(void)
{
    struct ntsec_sd_absolute sd;
    const struct ntsec_sid *owner = (const void *)1;
    bool defaulted = true;

    memset(&sd, 0xAA, sizeof sd);
    CU_ASSERT_EQUAL(ntsec_sd_init(&sd, NTSEC_SD_REVISION), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(sd.revision, 1);
    CU_ASSERT_EQUAL(sd.sbz1, 0);
    CU_ASSERT_EQUAL(sd.control, 0);
    CU_ASSERT_PTR_NULL(sd.owner);
    CU_ASSERT_PTR_NULL(sd.group);
    CU_ASSERT_PTR_NULL(sd.sacl);
    CU_ASSERT_PTR_NULL(sd.dacl);
    CU_ASSERT_EQUAL(ntsec_sd_get_owner(&sd, &owner, &defaulted), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_PTR_NULL(owner);
    CU_ASSERT_FALSE(defaulted);
    CU_ASSERT_TRUE(ntsec_sd_is_valid(&sd));
}

/* RtlCreateSecurityDescriptor (Microsoft docs): STATUS_UNKNOWN_REVISION for
 * any revision but SECURITY_DESCRIPTOR_REVISION; nothing is written. */
static void init_rejects_other_revisions(void)
{
    static const uint32_t bad[] = { 0, 2, 0xFFFFFFFFu };
    struct ntsec_sd_absolute sd, before;

    memset(&sd, 0xAA, sizeof sd);
    before = sd;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CU_ASSERT_EQUAL(ntsec_sd_init(&sd, bad[i]), NTSEC_STATUS_UNKNOWN_REVISION);
        CU_ASSERT_MEM_EQUAL(&sd, &before, sizeof sd);
    }
    CU_ASSERT_EQUAL(ntsec_sd_init(NULL, 1), NTSEC_STATUS_INVALID_PARAMETER);
}

/* RtlSetOwner/GroupSecurityDescriptor: store the caller's pointer (no copy)
 * and set or clear the matching DEFAULTED bit (Microsoft docs). */
static void set_owner_and_group_store_pointer_and_defaulted_bit(void)
{
    struct ntsec_sd_absolute sd;
    struct ntsec_sid sy = sid_sy(), su = sid_su();
    const struct ntsec_sid *got;
    bool defaulted;

    ntsec_sd_init(&sd, 1);
    CU_ASSERT_EQUAL(ntsec_sd_set_owner(&sd, &sy, true), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_PTR_EQUAL(sd.owner, &sy);
    CU_ASSERT_EQUAL(sd.control, NTSEC_SE_OWNER_DEFAULTED);
    CU_ASSERT_EQUAL(ntsec_sd_set_group(&sd, &su, true), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(sd.control, NTSEC_SE_OWNER_DEFAULTED | NTSEC_SE_GROUP_DEFAULTED);
    CU_ASSERT_EQUAL(ntsec_sd_get_group(&sd, &got, &defaulted), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_PTR_EQUAL(got, &su);
    CU_ASSERT_TRUE(defaulted);
    CU_ASSERT_EQUAL(ntsec_sd_set_owner(&sd, NULL, false), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_PTR_NULL(sd.owner);
    CU_ASSERT_EQUAL(sd.control, NTSEC_SE_GROUP_DEFAULTED);
}

/* RtlSetDaclSecurityDescriptor: present sets DACL_PRESENT, the pointer
 * (NULL allowed: a NULL DACL) and DACL_DEFAULTED per the flag; not present
 * clears DACL_PRESENT only, leaving pointer and DEFAULTED alone (ntdll's
 * behaviour; Wine does the same). Same for the SACL. */
static void set_acl_present_and_not_present(void)
{
    struct ntsec_sd_absolute sd;
    union acl_buf a;

    acl_start(&a);
    ntsec_sd_init(&sd, 1);
    CU_ASSERT_EQUAL(ntsec_sd_set_dacl(&sd, true, &a.acl, true), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_PTR_EQUAL(sd.dacl, &a.acl);
    CU_ASSERT_EQUAL(sd.control, NTSEC_SE_DACL_PRESENT | NTSEC_SE_DACL_DEFAULTED);
    CU_ASSERT_EQUAL(ntsec_sd_set_dacl(&sd, false, NULL, false), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_PTR_EQUAL(sd.dacl, &a.acl);
    CU_ASSERT_EQUAL(sd.control, NTSEC_SE_DACL_DEFAULTED);
    CU_ASSERT_EQUAL(ntsec_sd_set_dacl(&sd, true, NULL, false), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_PTR_NULL(sd.dacl);
    CU_ASSERT_EQUAL(sd.control, NTSEC_SE_DACL_PRESENT);

    CU_ASSERT_EQUAL(ntsec_sd_set_sacl(&sd, true, &a.acl, true), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_PTR_EQUAL(sd.sacl, &a.acl);
    CU_ASSERT_EQUAL(sd.control, NTSEC_SE_DACL_PRESENT | NTSEC_SE_SACL_PRESENT | NTSEC_SE_SACL_DEFAULTED);
    CU_ASSERT_EQUAL(ntsec_sd_set_sacl(&sd, false, NULL, false), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_PTR_EQUAL(sd.sacl, &a.acl);
    CU_ASSERT_EQUAL(sd.control, NTSEC_SE_DACL_PRESENT | NTSEC_SE_SACL_DEFAULTED);
}

/* RtlSet*SecurityDescriptor: STATUS_UNKNOWN_REVISION for a revision other
 * than 1 (Wine's test_process_security: revision 0 gives
 * ERROR_UNKNOWN_REVISION), STATUS_INVALID_SECURITY_DESCR on a self-relative
 * SD; the SD is left as it was. */
static void setters_refuse_bad_revision_and_self_relative(void)
{
    struct ntsec_sd_absolute sd, before;
    struct ntsec_sid sy = sid_sy();
    union acl_buf a;

    acl_start(&a);
    ntsec_sd_init(&sd, 1);
    sd.revision = 0;
    before = sd;
    CU_ASSERT_EQUAL(ntsec_sd_set_owner(&sd, &sy, true), NTSEC_STATUS_UNKNOWN_REVISION);
    CU_ASSERT_EQUAL(ntsec_sd_set_group(&sd, &sy, true), NTSEC_STATUS_UNKNOWN_REVISION);
    CU_ASSERT_EQUAL(ntsec_sd_set_dacl(&sd, true, &a.acl, true), NTSEC_STATUS_UNKNOWN_REVISION);
    CU_ASSERT_EQUAL(ntsec_sd_set_sacl(&sd, true, &a.acl, true), NTSEC_STATUS_UNKNOWN_REVISION);
    CU_ASSERT_MEM_EQUAL(&sd, &before, sizeof sd);

    ntsec_sd_init(&sd, 1);
    sd.control = NTSEC_SE_SELF_RELATIVE;
    before = sd;
    CU_ASSERT_EQUAL(ntsec_sd_set_owner(&sd, &sy, true), NTSEC_STATUS_INVALID_SECURITY_DESCR);
    CU_ASSERT_EQUAL(ntsec_sd_set_group(&sd, &sy, true), NTSEC_STATUS_INVALID_SECURITY_DESCR);
    CU_ASSERT_EQUAL(ntsec_sd_set_dacl(&sd, false, NULL, false), NTSEC_STATUS_INVALID_SECURITY_DESCR);
    CU_ASSERT_EQUAL(ntsec_sd_set_sacl(&sd, true, &a.acl, true), NTSEC_STATUS_INVALID_SECURITY_DESCR);
    CU_ASSERT_MEM_EQUAL(&sd, &before, sizeof sd);
    CU_ASSERT_EQUAL(ntsec_sd_set_owner(NULL, &sy, true), NTSEC_STATUS_INVALID_PARAMETER);
}

/* RtlGet*SecurityDescriptor read either form (the self-relative one by its
 * offsets, Microsoft docs SECURITY_DESCRIPTOR remarks); Wine's
 * test_PrivateObjectSecurity reads owner and group of the self-relative SD
 * ConvertStringSecurityDescriptorToSecurityDescriptor returns. */
static void getters_read_both_forms(void)
{
    struct wine_sd w;
    union rel_buf r;
    const void *forms[2];
    const struct ntsec_sid *sid;
    const struct ntsec_acl *acl;
    bool present, defaulted;

    wine_sd_build(&w);
    wine_rel(&r);
    forms[0] = &w.sd;
    forms[1] = r.bytes;
    for (int i = 0; i < 2; i++) {
        CU_ASSERT_EQUAL(ntsec_sd_get_owner(forms[i], &sid, &defaulted), NTSEC_STATUS_SUCCESS);
        CU_ASSERT_TRUE(ntsec_sid_equal(sid, &w.owner));
        CU_ASSERT_EQUAL(ntsec_sd_get_group(forms[i], &sid, &defaulted), NTSEC_STATUS_SUCCESS);
        CU_ASSERT_TRUE(ntsec_sid_equal(sid, &w.group));
        CU_ASSERT_EQUAL(ntsec_sd_get_dacl(forms[i], &present, &acl, &defaulted), NTSEC_STATUS_SUCCESS);
        CU_ASSERT_TRUE(present);
        CU_ASSERT_FALSE(defaulted);
        CU_ASSERT_FATAL(acl != NULL);
        CU_ASSERT_MEM_EQUAL(acl, &w.dacl, w.dacl.acl.size);
        CU_ASSERT_EQUAL(ntsec_sd_get_sacl(forms[i], &present, &acl, &defaulted), NTSEC_STATUS_SUCCESS);
        CU_ASSERT_TRUE(present);
        CU_ASSERT_FATAL(acl != NULL);
        CU_ASSERT_MEM_EQUAL(acl, &w.sacl, w.sacl.acl.size);
    }
    /* The self-relative getters point into the block. */
    CU_ASSERT_EQUAL(ntsec_sd_get_owner(r.bytes, &sid, &defaulted), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_PTR_EQUAL(sid, r.bytes + rd32(r.bytes + 4));
}

/* RtlGetDaclSecurityDescriptor: DACL_PRESENT clear writes *present FALSE
 * and leaves the ACL and defaulted outputs alone (ntdll's behaviour). */
static void get_acl_not_present_writes_only_present(void)
{
    struct ntsec_sd_absolute sd;
    union acl_buf a;
    const struct ntsec_acl *acl = (const void *)&sd;
    bool present = true, defaulted = true;

    acl_start(&a);
    ntsec_sd_init(&sd, 1);
    sd.dacl = &a.acl;   /* a pointer without the PRESENT bit is not looked at */
    CU_ASSERT_EQUAL(ntsec_sd_get_dacl(&sd, &present, &acl, &defaulted), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_FALSE(present);
    CU_ASSERT_PTR_EQUAL(acl, (const void *)&sd);
    CU_ASSERT_TRUE(defaulted);
    present = true;
    CU_ASSERT_EQUAL(ntsec_sd_get_sacl(&sd, &present, &acl, &defaulted), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_FALSE(present);
}

/* A NULL DACL with DACL_PRESENT is "present, NULL" in both forms: Wine's
 * test_security_descriptor sets SE_DACL_PRESENT|SE_SACL_PRESENT on an empty
 * SD, converts it with MakeSelfRelativeSD and reads both present. */
static void null_acl_with_present_bit_reads_present_null(void)
{
    struct ntsec_sd_absolute sd;
    union rel_buf r;
    uint32_t size = sizeof r.bytes;
    const struct ntsec_acl *acl = (const void *)1;
    bool present = false, defaulted = true;

    ntsec_sd_init(&sd, 1);
    sd.control |= NTSEC_SE_DACL_PRESENT | NTSEC_SE_SACL_PRESENT;
    CU_ASSERT_EQUAL(ntsec_sd_make_relative(&sd, r.bytes, &size), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_sd_get_dacl(r.bytes, &present, &acl, &defaulted), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_TRUE(present);
    CU_ASSERT_PTR_NULL(acl);
    CU_ASSERT_FALSE(defaulted);
    acl = (const void *)1;
    CU_ASSERT_EQUAL(ntsec_sd_get_sacl(&sd, &present, &acl, &defaulted), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_TRUE(present);
    CU_ASSERT_PTR_NULL(acl);
}

/* RtlGet*SecurityDescriptor and RtlGetControlSecurityDescriptor:
 * STATUS_UNKNOWN_REVISION for a revision other than 1; ntsec writes no
 * output on failure (DESIGN.md; Windows stores *Revision first). */
static void getters_refuse_bad_revision(void)
{
    struct ntsec_sd_absolute sd;
    const struct ntsec_sid *sid = (const void *)1;
    const struct ntsec_acl *acl = (const void *)1;
    bool present = true, defaulted = true;
    uint16_t control = 0x1234;
    uint32_t revision = 77;

    ntsec_sd_init(&sd, 1);
    sd.revision = 2;
    CU_ASSERT_EQUAL(ntsec_sd_get_owner(&sd, &sid, &defaulted), NTSEC_STATUS_UNKNOWN_REVISION);
    CU_ASSERT_EQUAL(ntsec_sd_get_group(&sd, &sid, &defaulted), NTSEC_STATUS_UNKNOWN_REVISION);
    CU_ASSERT_EQUAL(ntsec_sd_get_dacl(&sd, &present, &acl, &defaulted), NTSEC_STATUS_UNKNOWN_REVISION);
    CU_ASSERT_EQUAL(ntsec_sd_get_sacl(&sd, &present, &acl, &defaulted), NTSEC_STATUS_UNKNOWN_REVISION);
    CU_ASSERT_EQUAL(ntsec_sd_get_control(&sd, &control, &revision), NTSEC_STATUS_UNKNOWN_REVISION);
    CU_ASSERT_PTR_EQUAL(sid, (const void *)1);
    CU_ASSERT_PTR_EQUAL(acl, (const void *)1);
    CU_ASSERT_TRUE(present && defaulted);
    CU_ASSERT_EQUAL(control, 0x1234);
    CU_ASSERT_EQUAL(revision, 77);
    CU_ASSERT_EQUAL(ntsec_sd_get_owner(NULL, &sid, &defaulted), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_sd_get_owner(&sd, NULL, &defaulted), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_sd_get_control(NULL, &control, &revision), NTSEC_STATUS_INVALID_PARAMETER);
}

/* RtlGetControlSecurityDescriptor: the control word and revision 1; Wine's
 * test_PrivateObjectSecurity reads 0x8014 from an SDDL-made O:G:D:S: SD. */
static void get_control_returns_control_and_revision(void)
{
    union rel_buf r;
    uint16_t control;
    uint32_t revision;

    wine_rel(&r);
    CU_ASSERT_EQUAL(ntsec_sd_get_control(r.bytes, &control, &revision), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(control, 0x8014);
    CU_ASSERT_EQUAL(revision, 1);
}

/* --- control bits --------------------------------------------------------- */

/* The "mutable" set of Wine's test_SetSecurityDescriptorControl. */
#define MUTABLE (NTSEC_SE_DACL_AUTO_INHERIT_REQ | NTSEC_SE_SACL_AUTO_INHERIT_REQ | \
                 NTSEC_SE_DACL_AUTO_INHERITED | NTSEC_SE_SACL_AUTO_INHERITED |     \
                 NTSEC_SE_DACL_PROTECTED | NTSEC_SE_SACL_PROTECTED |               \
                 NTSEC_SE_DACL_UNTRUSTED | NTSEC_SE_SERVER_SECURITY)

/* SetSecurityDescriptorControl: each bit of interest in the mutable set can
 * be set and cleared; any other (OWNER/GROUP/DACL/SACL _DEFAULTED and
 * _PRESENT, RM_CONTROL_VALID, SELF_RELATIVE) is ERROR_INVALID_PARAMETER and
 * changes nothing (Wine's test_SetSecurityDescriptorControl, first loop,
 * run on self-relative SDDL-made SDs). */
static void set_control_changes_only_mutable_bits(void)
{
    union rel_buf r;
    uint16_t ref, now;
    uint32_t rev;

    wine_rel(&r);
    ntsec_sd_get_control(r.bytes, &ref, &rev);
    for (int bit = 0; bit < 16; bit++) {
        uint16_t b = (uint16_t)(1u << bit);
        ntsec_status want = (b & MUTABLE) ? NTSEC_STATUS_SUCCESS : NTSEC_STATUS_INVALID_PARAMETER;

        CU_ASSERT_EQUAL(ntsec_sd_set_control(r.bytes, b, (uint16_t)((ref & b) ^ b)), want);
        ntsec_sd_get_control(r.bytes, &now, &rev);
        CU_ASSERT_EQUAL(now, (b & MUTABLE) ? (uint16_t)(ref ^ b) : ref);
        CU_ASSERT_EQUAL(ntsec_sd_set_control(r.bytes, b, (uint16_t)(ref & b)), want);
        ntsec_sd_get_control(r.bytes, &now, &rev);
        CU_ASSERT_EQUAL(now, ref);
    }
}

/* SetSecurityDescriptorControl: a bit to set that is not a bit of interest
 * is ERROR_INVALID_PARAMETER even when the bits of interest are all mutable
 * (Wine's test_SetSecurityDescriptorControl, second loop; ntdll refuses
 * BitsToSet & ~BitsOfInterest for mutable bits too). */
static void set_control_refuses_bits_to_set_outside_interest(void)
{
    struct ntsec_sd_absolute sd;

    ntsec_sd_init(&sd, 1);
    for (int bit = 0; bit < 16; bit++) {
        uint16_t b = (uint16_t)(1u << bit);
        uint16_t interest = b & MUTABLE ? (uint16_t)(MUTABLE & ~b) : (uint16_t)MUTABLE;

        CU_ASSERT_EQUAL(ntsec_sd_set_control(&sd, interest, b), NTSEC_STATUS_INVALID_PARAMETER);
        CU_ASSERT_EQUAL(sd.control, 0);
    }
    CU_ASSERT_EQUAL(ntsec_sd_set_control(&sd, MUTABLE, MUTABLE), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(sd.control, MUTABLE);
    CU_ASSERT_EQUAL(ntsec_sd_set_control(NULL, 0, 0), NTSEC_STATUS_INVALID_PARAMETER);
}

/* RtlSetControlSecurityDescriptor checks no revision, and works on a
 * self-relative SD: Wine's test_PrivateObjectSecurity sets SE_DACL_PROTECTED
 * on one and reads control 0x9014. */
static void set_control_ignores_revision_and_form(void)
{
    union rel_buf r;
    uint16_t control;
    uint32_t rev;

    wine_rel(&r);
    CU_ASSERT_EQUAL(ntsec_sd_set_control(r.bytes, NTSEC_SE_DACL_PROTECTED, NTSEC_SE_DACL_PROTECTED),
                    NTSEC_STATUS_SUCCESS);
    ntsec_sd_get_control(r.bytes, &control, &rev);
    CU_ASSERT_EQUAL(control, 0x9014);
    r.bytes[0] = 9;
    CU_ASSERT_EQUAL(ntsec_sd_set_control(r.bytes, NTSEC_SE_DACL_PROTECTED, 0), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(rd32(r.bytes) >> 16, 0x8014);
}

/* --- length --------------------------------------------------------------- */

/* RtlLengthSecurityDescriptor / GetSecurityDescriptorLength ("the length
 * includes the length of all associated structures", Microsoft docs): the
 * header of the SD's own form (20 self-relative, 40 absolute on x64), each
 * SID, and each ACL with its PRESENT bit, rounded up to 4; no revision
 * check (ReactOS sd.c RtlLengthSecurityDescriptor). */
static void length_counts_header_of_its_form(void)
{
    struct ntsec_sd_absolute sd;
    union acl_buf a;
    struct ntsec_sid dom = sid_dom();

    ntsec_sd_init(&sd, 1);
    CU_ASSERT_EQUAL(ntsec_sd_length(&sd), 40);
    acl_start(&a);
    a.acl.size = 14;
    sd.dacl = &a.acl;       /* not PRESENT: not counted */
    CU_ASSERT_EQUAL(ntsec_sd_length(&sd), 40);
    sd.control |= NTSEC_SE_DACL_PRESENT;
    CU_ASSERT_EQUAL(ntsec_sd_length(&sd), 40 + 16);
    sd.group = &dom;
    sd.revision = 7;
    CU_ASSERT_EQUAL(ntsec_sd_length(&sd), 40 + 16 + 24);
    {
        union rel_buf r;
        uint32_t size = sizeof r.bytes;

        sd.revision = 1;
        CU_ASSERT_EQUAL(ntsec_sd_make_relative(&sd, r.bytes, &size), NTSEC_STATUS_SUCCESS);
        CU_ASSERT_EQUAL(ntsec_sd_length(r.bytes), 20 + 16 + 24);
        r.bytes[0] = 7;
        CU_ASSERT_EQUAL(ntsec_sd_length(r.bytes), 20 + 16 + 24);
    }
    CU_ASSERT_EQUAL(ntsec_sd_length(NULL), 0);
}

/* --- validity -------------------------------------------------------------- */

/* RtlValidSecurityDescriptor: revision 1; owner and group, when there,
 * valid SIDs; an ACL with its PRESENT bit, when not NULL, a valid ACL; an
 * ACL without the bit is not examined (ntdll; Microsoft docs). */
static void is_valid_checks_each_present_part(void)
{
    struct ntsec_sd_absolute sd;
    struct ntsec_sid bad = sid_sy(), sy = sid_sy();
    union acl_buf badacl;

    acl_start(&badacl);
    badacl.acl.revision = 9;
    bad.revision = 2;
    ntsec_sd_init(&sd, 1);
    CU_ASSERT_TRUE(ntsec_sd_is_valid(&sd));
    sd.revision = 0;
    CU_ASSERT_FALSE(ntsec_sd_is_valid(&sd));
    sd.revision = 1;
    sd.owner = &bad;
    CU_ASSERT_FALSE(ntsec_sd_is_valid(&sd));
    sd.owner = &sy;
    sd.group = &bad;
    CU_ASSERT_FALSE(ntsec_sd_is_valid(&sd));
    sd.group = NULL;
    sd.dacl = &badacl.acl;
    CU_ASSERT_TRUE(ntsec_sd_is_valid(&sd));
    sd.control = NTSEC_SE_DACL_PRESENT;
    CU_ASSERT_FALSE(ntsec_sd_is_valid(&sd));
    sd.dacl = NULL;
    CU_ASSERT_TRUE(ntsec_sd_is_valid(&sd));
    sd.sacl = &badacl.acl;
    sd.control |= NTSEC_SE_SACL_PRESENT;
    CU_ASSERT_FALSE(ntsec_sd_is_valid(&sd));
    CU_ASSERT_FALSE(ntsec_sd_is_valid(NULL));
}

/* RtlValidSecurityDescriptor on a self-relative SD follows its offsets and
 * checks what they point at (ReactOS sd.c RtlValidSecurityDescriptor). A
 * misaligned offset is refused by ntsec (C forbids the unaligned SID
 * pointer; RtlValidRelativeSecurityDescriptor refuses it too). */
static void is_valid_follows_self_relative_offsets(void)
{
    union rel_buf r;
    uint32_t len = wine_rel(&r);

    CU_ASSERT_TRUE(ntsec_sd_is_valid(r.bytes));
    r.bytes[rd32(r.bytes + 4)] = 2;                 /* owner revision */
    CU_ASSERT_FALSE(ntsec_sd_is_valid(r.bytes));
    wine_rel(&r);
    r.bytes[rd32(r.bytes + 16)] = 9;                /* DACL revision */
    CU_ASSERT_FALSE(ntsec_sd_is_valid(r.bytes));
    wine_rel(&r);
    wr32(r.bytes + 4, rd32(r.bytes + 4) + 2);
    CU_ASSERT_FALSE(ntsec_sd_is_valid(r.bytes));
    (void)len;
}

/* RtlValidRelativeSecurityDescriptor: fewer than 20 bytes, a revision other
 * than 1, or SE_SELF_RELATIVE clear is invalid (ReactOS sd.c). */
static void relative_is_valid_checks_header(void)
{
    union rel_buf r;
    uint32_t len = wine_rel(&r);

    CU_ASSERT_TRUE(ntsec_sd_relative_is_valid(r.bytes, len, 0));
    CU_ASSERT_FALSE(ntsec_sd_relative_is_valid(r.bytes, 19, 0));
    CU_ASSERT_FALSE(ntsec_sd_relative_is_valid(NULL, len, 0));
    r.bytes[0] = 2;
    CU_ASSERT_FALSE(ntsec_sd_relative_is_valid(r.bytes, len, 0));
    r.bytes[0] = 1;
    r.bytes[3] &= 0x7F;
    CU_ASSERT_FALSE(ntsec_sd_relative_is_valid(r.bytes, len, 0));
}

/* RtlpValidateSDOffsetAndSize: a part's offset must be >= 20 (not in the
 * header), < the length and a multiple of 4, and leave at least 12 bytes
 * for a SID or 8 for an ACL (ReactOS sd.c RtlValidRelativeSecurityDescriptor). */
static void relative_is_valid_checks_offsets(void)
{
    union rel_buf r;
    uint32_t len = wine_rel(&r);
    uint32_t owner = rd32(r.bytes + 4), group = rd32(r.bytes + 8);
    static const struct { int field; uint32_t off; } bad[] = {
        { 4, 16 },          /* owner inside the header */
        { 4, 0xFFFFFFFCu }, /* owner far past the end */
        { 4, 184 },         /* owner at the end */
        { 4, 150 },         /* owner misaligned */
        { 8, 176 },         /* group: 8 bytes left, a SID needs 12 */
        { 16, 180 },        /* DACL: 4 bytes left, an ACL needs 8 */
        { 16, 70 },         /* DACL misaligned */
        { 12, 4 },          /* SACL inside the header */
    };

    CU_ASSERT_EQUAL(len, 184);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint32_t keep = rd32(r.bytes + bad[i].field);

        wr32(r.bytes + bad[i].field, bad[i].off);
        CU_ASSERT_FALSE(ntsec_sd_relative_is_valid(r.bytes, len, 0));
        wr32(r.bytes + bad[i].field, keep);
    }
    CU_ASSERT_TRUE(ntsec_sd_relative_is_valid(r.bytes, len, 0));
    /* A well-formed SID at offset 22 is refused for its alignment alone. */
    {
        union rel_buf m;
        struct ntsec_sid sy = sid_sy();
        uint16_t control = NTSEC_SE_SELF_RELATIVE;

        memset(&m, 0, sizeof m);
        m.bytes[0] = 1;
        memcpy(m.bytes + 2, &control, 2);
        memcpy(m.bytes + 22, &sy, 12);
        wr32(m.bytes + 4, 22);
        CU_ASSERT_FALSE(ntsec_sd_relative_is_valid(m.bytes, 36, 0));
        memcpy(m.bytes + 24, &sy, 12);
        wr32(m.bytes + 4, 24);
        CU_ASSERT_TRUE(ntsec_sd_relative_is_valid(m.bytes, 36, 0));
    }
    /* Parts may overlap: Windows does not look (owner and group the same
     * SID bytes). */
    wr32(r.bytes + 8, owner);
    CU_ASSERT_TRUE(ntsec_sd_relative_is_valid(r.bytes, len, 0));
    wr32(r.bytes + 8, group);
}

/* RtlValidRelativeSecurityDescriptor: a part that starts in the block but
 * runs past its end is invalid: the SID's 8 + 4 * count bytes, the ACL's
 * AclSize (ReactOS sd.c compares them with the room
 * RtlpValidateSDOffsetAndSize reports). */
static void relative_is_valid_refuses_truncated_parts(void)
{
    struct ntsec_sd_absolute sd;
    struct ntsec_sid dom = sid_dom();
    struct wine_sd w;
    union rel_buf r;
    uint32_t size = sizeof r.bytes;

    memset(&r, 0, sizeof r);
    /* Group only: 20 + 24 bytes. */
    ntsec_sd_init(&sd, 1);
    ntsec_sd_set_group(&sd, &dom, false);
    CU_ASSERT_EQUAL(ntsec_sd_make_relative(&sd, r.bytes, &size), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_TRUE(ntsec_sd_relative_is_valid(r.bytes, 44, 0));
    CU_ASSERT_FALSE(ntsec_sd_relative_is_valid(r.bytes, 40, 0));   /* 20 left, SID needs 24 */
    CU_ASSERT_FALSE(ntsec_sd_relative_is_valid(r.bytes, 28, 0));   /* 8 left */

    /* DACL only: 20 + 80 bytes. */
    wine_sd_build(&w);
    ntsec_sd_init(&sd, 1);
    ntsec_sd_set_dacl(&sd, true, &w.dacl.acl, false);
    size = sizeof r.bytes;
    CU_ASSERT_EQUAL(ntsec_sd_make_relative(&sd, r.bytes, &size), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_TRUE(ntsec_sd_relative_is_valid(r.bytes, 100, 0));
    CU_ASSERT_FALSE(ntsec_sd_relative_is_valid(r.bytes, 96, 0));   /* ACEs cut */
    /* AclSize claiming 4 bytes more than the block holds (free space the
     * ACL itself would allow). */
    r.bytes[22] = 84;
    CU_ASSERT_FALSE(ntsec_sd_relative_is_valid(r.bytes, 100, 0));
    CU_ASSERT_TRUE(ntsec_sd_relative_is_valid(r.bytes, 104, 0));
}

/* RtlValidRelativeSecurityDescriptor: the SIDs and ACLs inside must be
 * valid (RtlValidSid-style revision/count checks, RtlValidAcl). */
static void relative_is_valid_checks_parts(void)
{
    union rel_buf r;
    uint32_t len = wine_rel(&r);

    r.bytes[rd32(r.bytes + 8)] = 3;                     /* group revision */
    CU_ASSERT_FALSE(ntsec_sd_relative_is_valid(r.bytes, len, 0));
    wine_rel(&r);
    r.bytes[rd32(r.bytes + 4) + 1] = 16;                /* owner: 16 sub-authorities */
    CU_ASSERT_FALSE(ntsec_sd_relative_is_valid(r.bytes, len, 0));
    wine_rel(&r);
    r.bytes[rd32(r.bytes + 12) + 8 + 2] = 7;            /* SACL: first ACE size 7 */
    CU_ASSERT_FALSE(ntsec_sd_relative_is_valid(r.bytes, len, 0));
    wine_rel(&r);
    r.bytes[rd32(r.bytes + 16)] = 0;                    /* DACL revision 0 */
    CU_ASSERT_FALSE(ntsec_sd_relative_is_valid(r.bytes, len, 0));
    /* Without DACL_PRESENT the DACL offset is not followed. */
    r.bytes[2] &= (uint8_t)~NTSEC_SE_DACL_PRESENT;
    CU_ASSERT_TRUE(ntsec_sd_relative_is_valid(r.bytes, len, 0));
    wr32(r.bytes + 16, 3);
    CU_ASSERT_TRUE(ntsec_sd_relative_is_valid(r.bytes, len, 0));
}

/* RtlValidRelativeSecurityDescriptor's RequiredInformation: only its OWNER
 * and GROUP bits are enforced (an absent owner/group fails them); DACL and
 * SACL bits are not (ntdll tests bits 1 and 2 alone). */
static void relative_is_valid_required_means_owner_and_group(void)
{
    struct ntsec_sd_absolute sd;
    struct ntsec_sid sy = sid_sy();
    union rel_buf r;
    uint32_t size = sizeof r.bytes;

    ntsec_sd_init(&sd, 1);
    ntsec_sd_set_owner(&sd, &sy, false);
    CU_ASSERT_EQUAL(ntsec_sd_make_relative(&sd, r.bytes, &size), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_TRUE(ntsec_sd_relative_is_valid(r.bytes, 32, NTSEC_OWNER_SECURITY_INFORMATION));
    CU_ASSERT_FALSE(ntsec_sd_relative_is_valid(r.bytes, 32, NTSEC_GROUP_SECURITY_INFORMATION));
    CU_ASSERT_TRUE(ntsec_sd_relative_is_valid(r.bytes, 32, NTSEC_DACL_SECURITY_INFORMATION |
                                                            NTSEC_SACL_SECURITY_INFORMATION));
    wr32(r.bytes + 8, 20);  /* the owner's bytes as group too */
    CU_ASSERT_TRUE(ntsec_sd_relative_is_valid(r.bytes, 32, NTSEC_OWNER_SECURITY_INFORMATION |
                                                            NTSEC_GROUP_SECURITY_INFORMATION));
    wr32(r.bytes + 4, 0);
    CU_ASSERT_FALSE(ntsec_sd_relative_is_valid(r.bytes, 32, NTSEC_OWNER_SECURITY_INFORMATION));
}

/* --- the internal accessor ---------------------------------------------- */

/* ntsec__sd_parts with a size applies RtlValidRelativeSecurityDescriptor's
 * bounds; trusted, only the alignment (sd.h). */
static void parts_bounds_depend_on_size(void)
{
    union rel_buf r;
    uint32_t len = wine_rel(&r);
    struct ntsec__sd_parts p;

    memset(&p, 0x55, sizeof p);
    CU_ASSERT_EQUAL(ntsec__sd_parts(r.bytes, len, &p), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_PTR_EQUAL(p.dacl, r.bytes + 68);
    CU_ASSERT_EQUAL(p.control, 0x8014);
    CU_ASSERT_EQUAL(ntsec__sd_parts(r.bytes, len - 1, &p), NTSEC_STATUS_INVALID_SECURITY_DESCR);
    CU_ASSERT_EQUAL(ntsec__sd_parts(r.bytes, 10, &p), NTSEC_STATUS_INVALID_SECURITY_DESCR);
    wr32(r.bytes + 8, 600);
    CU_ASSERT_EQUAL(ntsec__sd_parts(r.bytes, NTSEC__SD_SIZE_TRUSTED, &p), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec__sd_parts(r.bytes, len, &p), NTSEC_STATUS_INVALID_SECURITY_DESCR);
    wr32(r.bytes + 8, 161);
    CU_ASSERT_EQUAL(ntsec__sd_parts(r.bytes, NTSEC__SD_SIZE_TRUSTED, &p),
                    NTSEC_STATUS_INVALID_SECURITY_DESCR);
    CU_ASSERT_PTR_EQUAL(p.dacl, r.bytes + 68);      /* untouched on failure */
    CU_ASSERT_EQUAL(ntsec__sd_parts(NULL, len, &p), NTSEC_STATUS_INVALID_PARAMETER);
}

void register_tests(void)
{
    static CU_TestInfo tests[] = {
        TEST(init_makes_empty_revision_1_descriptor),
        TEST(init_rejects_other_revisions),
        TEST(set_owner_and_group_store_pointer_and_defaulted_bit),
        TEST(set_acl_present_and_not_present),
        TEST(setters_refuse_bad_revision_and_self_relative),
        TEST(getters_read_both_forms),
        TEST(get_acl_not_present_writes_only_present),
        TEST(null_acl_with_present_bit_reads_present_null),
        TEST(getters_refuse_bad_revision),
        TEST(get_control_returns_control_and_revision),
        TEST(set_control_changes_only_mutable_bits),
        TEST(set_control_refuses_bits_to_set_outside_interest),
        TEST(set_control_ignores_revision_and_form),
        TEST(length_counts_header_of_its_form),
        TEST(is_valid_checks_each_present_part),
        TEST(is_valid_follows_self_relative_offsets),
        TEST(relative_is_valid_checks_header),
        TEST(relative_is_valid_checks_offsets),
        TEST(relative_is_valid_refuses_truncated_parts),
        TEST(relative_is_valid_checks_parts),
        TEST(relative_is_valid_required_means_owner_and_group),
        TEST(parts_bounds_depend_on_size),
        CU_TEST_INFO_NULL,
    };

    testutil_add_suite("sd", tests);
}
