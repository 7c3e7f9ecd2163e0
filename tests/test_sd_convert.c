/* test_sd_convert.c - security descriptors between their two forms:
 * absolute to self-relative (layout, sizes), back, and duplicates.
 *
 * Each test cites where its rule comes from: Microsoft documentation of the
 * Rtl* routine, a Windows result asserted by Wine's
 * dlls/advapi32/tests/security.c or dlls/ntdll/tests/rtl.c, or the
 * behaviour of ReactOS sdk/lib/rtl/sd.c (RtlValidRelativeSecurityDescriptor
 * and friends, read for behaviour). */
#include <stdint.h>
#include <string.h>

#include "ntsec/ntsec.h"
#include "sd_fixtures.h"
#include "testutil.h"

/* --- absolute -> self-relative ------------------------------------------- */

/* MakeSelfRelativeSD on Wine's test_security_descriptor SD needs 184 bytes;
 * the block is header, SACL, DACL, owner, group in that order, offsets from
 * the start, each part 4-aligned (ReactOS sd.c, RtlMakeSelfRelativeSD). */
static void make_relative_writes_sacl_dacl_owner_group(void)
{
    struct wine_sd w;
    union rel_buf r;
    uint32_t size = 0;

    wine_sd_build(&w);
    CU_ASSERT_EQUAL(ntsec_sd_make_relative(&w.sd, NULL, &size), NTSEC_STATUS_BUFFER_TOO_SMALL);
    CU_ASSERT_EQUAL(size, 184);
    size += 4;
    memset(&r, 0xAA, sizeof r);
    CU_ASSERT_EQUAL(ntsec_sd_make_relative(&w.sd, r.bytes, &size), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(size, 188);     /* left as given: Wine asserts 188 */
    CU_ASSERT_EQUAL(r.bytes[0], 1);
    CU_ASSERT_EQUAL(rd32(r.bytes) >> 16, 0x8014);
    CU_ASSERT_EQUAL(rd32(r.bytes + 12), 20);                /* SACL */
    CU_ASSERT_EQUAL(rd32(r.bytes + 16), 20 + 48);           /* DACL */
    CU_ASSERT_EQUAL(rd32(r.bytes + 4), 20 + 48 + 80);       /* owner */
    CU_ASSERT_EQUAL(rd32(r.bytes + 8), 20 + 48 + 80 + 12);  /* group */
    CU_ASSERT_MEM_EQUAL(r.bytes + 20, &w.sacl, 48);
    CU_ASSERT_MEM_EQUAL(r.bytes + 68, &w.dacl, 80);
    CU_ASSERT_MEM_EQUAL(r.bytes + 148, &w.owner, 12);
    CU_ASSERT_MEM_EQUAL(r.bytes + 160, &w.group, 24);
    CU_ASSERT_EQUAL(r.bytes[184], 0xAA);    /* nothing past the SD */
    CU_ASSERT_TRUE(ntsec_sd_relative_is_valid(r.bytes, 184, NTSEC_OWNER_SECURITY_INFORMATION |
                                                             NTSEC_GROUP_SECURITY_INFORMATION));
}

/* RtlMakeSelfRelativeSD on an empty SD: STATUS_BUFFER_TOO_SMALL with the
 * 20 bytes needed when the buffer is short (NULL with length 0 included);
 * success leaves the length as given (Wine's test_RtlMakeSelfRelativeSD).
 * Enough room but no buffer: STATUS_INVALID_PARAMETER (ntsec's choice; no
 * public source found). */
static void make_relative_reports_size_needed(void)
{
    struct ntsec_sd_absolute sd;
    union rel_buf r;
    uint32_t size = 0;

    ntsec_sd_init(&sd, 1);
    CU_ASSERT_EQUAL(ntsec_sd_make_relative(&sd, NULL, &size), NTSEC_STATUS_BUFFER_TOO_SMALL);
    CU_ASSERT_EQUAL(size, 20);
    size = 19;
    memset(&r, 0xAA, sizeof r);
    CU_ASSERT_EQUAL(ntsec_sd_make_relative(&sd, r.bytes, &size), NTSEC_STATUS_BUFFER_TOO_SMALL);
    CU_ASSERT_EQUAL(size, 20);
    CU_ASSERT_EQUAL(r.bytes[0], 0xAA);
    size = 24;
    CU_ASSERT_EQUAL(ntsec_sd_make_relative(&sd, NULL, &size), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(size, 24);
    CU_ASSERT_EQUAL(ntsec_sd_make_relative(&sd, r.bytes, &size), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(size, 24);
    CU_ASSERT_EQUAL(rd32(r.bytes), 0x80000001u);
    CU_ASSERT_EQUAL(rd32(r.bytes + 4) | rd32(r.bytes + 8) | rd32(r.bytes + 12) | rd32(r.bytes + 16), 0);
    CU_ASSERT_EQUAL(r.bytes[20], 0xAA);
    CU_ASSERT_EQUAL(ntsec_sd_make_relative(&sd, r.bytes, NULL), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_sd_make_relative(NULL, r.bytes, &size), NTSEC_STATUS_INVALID_PARAMETER);
}

/* RtlMakeSelfRelativeSD: an ACL counts only with its PRESENT bit (a pointer
 * without it is dropped, offset 0), a NULL ACL with PRESENT keeps the bit
 * and offset 0; the control word, Sbz1 and revision are copied as they are
 * (ntdll copies the first four bytes, no revision check). */
static void make_relative_drops_acl_without_present_bit(void)
{
    struct ntsec_sd_absolute sd;
    union acl_buf a;
    union rel_buf r;
    uint32_t size = sizeof r.bytes;

    acl_start(&a);
    ntsec_sd_init(&sd, 1);
    sd.dacl = &a.acl;
    sd.sacl = NULL;
    sd.control = NTSEC_SE_SACL_PRESENT | NTSEC_SE_DACL_PROTECTED;
    sd.sbz1 = 0x5A;
    sd.revision = 3;
    CU_ASSERT_EQUAL(ntsec_sd_make_relative(&sd, r.bytes, &size), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_sd_length(r.bytes), 20);
    CU_ASSERT_EQUAL(r.bytes[0], 3);
    CU_ASSERT_EQUAL(r.bytes[1], 0x5A);
    CU_ASSERT_EQUAL(rd32(r.bytes) >> 16,
                    NTSEC_SE_SELF_RELATIVE | NTSEC_SE_SACL_PRESENT | NTSEC_SE_DACL_PROTECTED);
    CU_ASSERT_EQUAL(rd32(r.bytes + 12), 0);
    CU_ASSERT_EQUAL(rd32(r.bytes + 16), 0);
}

/* RtlMakeSelfRelativeSD rounds an AclSize that is not a multiple of 4 up
 * (the next part starts 4-aligned) and zero-fills the padding. */
static void make_relative_pads_parts_to_4_bytes(void)
{
    struct ntsec_sd_absolute sd;
    union acl_buf a;
    union rel_buf r;
    struct ntsec_sid sy = sid_sy();
    uint32_t size = sizeof r.bytes;

    acl_start(&a);
    a.acl.size = 10;
    a.bytes[8] = 0x11;
    a.bytes[9] = 0x22;
    a.bytes[10] = 0x33;     /* past AclSize: not copied */
    ntsec_sd_init(&sd, 1);
    ntsec_sd_set_dacl(&sd, true, &a.acl, false);
    ntsec_sd_set_owner(&sd, &sy, false);
    memset(&r, 0xAA, sizeof r);
    CU_ASSERT_EQUAL(ntsec_sd_make_relative(&sd, r.bytes, &size), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_sd_length(r.bytes), 20 + 12 + 12);
    CU_ASSERT_EQUAL(rd32(r.bytes + 16), 20);
    CU_ASSERT_EQUAL(rd32(r.bytes + 4), 32);
    CU_ASSERT_EQUAL(r.bytes[29], 0x22);
    CU_ASSERT_EQUAL(r.bytes[30], 0);
    CU_ASSERT_EQUAL(r.bytes[31], 0);
}

/* RtlMakeSelfRelativeSD accepts a self-relative SD and re-packs it
 * (Wine's test_RtlMakeSelfRelativeSD: SE_SELF_RELATIVE with no parts
 * succeeds); RtlAbsoluteToSelfRelativeSD refuses it with
 * STATUS_BAD_DESCRIPTOR_FORMAT (same test; advapi32's MakeSelfRelativeSD
 * gives ERROR_BAD_DESCRIPTOR_FORMAT, test_security_descriptor). */
static void self_relative_input_repacked_or_refused(void)
{
    union rel_buf src, dst;
    uint32_t len = wine_rel(&src), size = sizeof dst.bytes;
    struct ntsec_sd_absolute sd;

    /* Move the owner before the SACL: the copy comes out canonical. */
    {
        union rel_buf moved;
        uint32_t owner = rd32(src.bytes + 4);

        memset(&moved, 0, sizeof moved);
        memcpy(moved.bytes, src.bytes, len);
        memcpy(moved.bytes + len, src.bytes + owner, 12);
        wr32(moved.bytes + 4, len);
        memset(&dst, 0xAA, sizeof dst);
        CU_ASSERT_EQUAL(ntsec_sd_make_relative(moved.bytes, dst.bytes, &size), NTSEC_STATUS_SUCCESS);
        CU_ASSERT_MEM_EQUAL(dst.bytes, src.bytes, len);
    }
    size = sizeof dst.bytes;
    CU_ASSERT_EQUAL(ntsec_sd_absolute_to_relative((const void *)src.bytes, dst.bytes, &size),
                    NTSEC_STATUS_BAD_DESCRIPTOR_FORMAT);
    ntsec_sd_init(&sd, 1);
    sd.control = NTSEC_SE_SELF_RELATIVE;
    size = 24;
    CU_ASSERT_EQUAL(ntsec_sd_make_relative(&sd, dst.bytes, &size), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_sd_absolute_to_relative(&sd, dst.bytes, &size),
                    NTSEC_STATUS_BAD_DESCRIPTOR_FORMAT);
    sd.control = 0;
    size = 0;
    CU_ASSERT_EQUAL(ntsec_sd_absolute_to_relative(&sd, NULL, &size), NTSEC_STATUS_BUFFER_TOO_SMALL);
    CU_ASSERT_EQUAL(size, 20);
    CU_ASSERT_EQUAL(ntsec_sd_absolute_to_relative(NULL, NULL, &size), NTSEC_STATUS_INVALID_PARAMETER);
}

/* --- self-relative -> absolute ------------------------------------------- */

/* RtlSelfRelativeToAbsoluteSD / MakeAbsoluteSD: with every buffer short,
 * STATUS_BUFFER_TOO_SMALL and all five sizes written: 40 for the SD
 * (sizeof(SECURITY_DESCRIPTOR), x64), each SID's length, each ACL's AclSize
 * rounded to 4 (Wine's test_security_descriptor sizes its buffers from this
 * call); then the split SD converts back to the same bytes. */
static void relative_to_absolute_round_trip(void)
{
    union rel_buf r, back;
    uint32_t len = wine_rel(&r), size = sizeof back.bytes;
    struct ntsec_sd_absolute_buffers out;
    struct ntsec_sd_absolute abs;
    union acl_buf dacl, sacl;
    struct ntsec_sid owner, group;

    memset(&out, 0, sizeof out);
    CU_ASSERT_EQUAL(ntsec_sd_relative_to_absolute(r.bytes, &out), NTSEC_STATUS_BUFFER_TOO_SMALL);
    CU_ASSERT_EQUAL(out.sd_size, 40);
    CU_ASSERT_EQUAL(out.dacl_size, 80);
    CU_ASSERT_EQUAL(out.sacl_size, 48);
    CU_ASSERT_EQUAL(out.owner_size, 12);
    CU_ASSERT_EQUAL(out.group_size, 24);

    out.sd = &abs;
    out.dacl = &dacl.acl;
    out.sacl = &sacl.acl;
    out.owner = &owner;
    out.group = &group;
    CU_ASSERT_EQUAL(ntsec_sd_relative_to_absolute(r.bytes, &out), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(abs.revision, 1);
    CU_ASSERT_EQUAL(abs.control, NTSEC_SE_DACL_PRESENT | NTSEC_SE_SACL_PRESENT);
    CU_ASSERT_PTR_EQUAL(abs.owner, &owner);
    CU_ASSERT_PTR_EQUAL(abs.group, &group);
    CU_ASSERT_PTR_EQUAL(abs.dacl, &dacl.acl);
    CU_ASSERT_PTR_EQUAL(abs.sacl, &sacl.acl);
    CU_ASSERT_EQUAL(out.sd_size, 40);   /* sizes untouched on success */
    CU_ASSERT_TRUE(ntsec_sd_is_valid(&abs));
    CU_ASSERT_EQUAL(ntsec_sd_length(&abs), 40 + 164);
    CU_ASSERT_EQUAL(ntsec_sd_absolute_to_relative(&abs, back.bytes, &size), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_MEM_EQUAL(back.bytes, r.bytes, len);
}

/* RtlSelfRelativeToAbsoluteSD: one short buffer (here the group's) is
 * enough for STATUS_BUFFER_TOO_SMALL with every size written and no part
 * copied; a missing SD buffer likewise. Absent parts need 0 bytes. */
static void relative_to_absolute_short_buffer_writes_sizes_only(void)
{
    union rel_buf r;
    struct ntsec_sd_absolute_buffers out;
    struct ntsec_sd_absolute abs;
    union acl_buf dacl, sacl;
    struct ntsec_sid owner, group;
    struct ntsec_sd_absolute empty;

    wine_rel(&r);
    memset(&abs, 0xAA, sizeof abs);
    memset(&owner, 0xAA, sizeof owner);
    out = (struct ntsec_sd_absolute_buffers){ &abs, 40, &dacl.acl, 80, &sacl.acl, 48,
                                              &owner, 12, &group, 23 };
    CU_ASSERT_EQUAL(ntsec_sd_relative_to_absolute(r.bytes, &out), NTSEC_STATUS_BUFFER_TOO_SMALL);
    CU_ASSERT_EQUAL(out.group_size, 24);
    CU_ASSERT_EQUAL(abs.revision, 0xAA);
    CU_ASSERT_EQUAL(owner.revision, 0xAA);
    out.group_size = 24;
    out.sd = NULL;
    CU_ASSERT_EQUAL(ntsec_sd_relative_to_absolute(r.bytes, &out), NTSEC_STATUS_BUFFER_TOO_SMALL);
    out.sd = &abs;
    out.owner = NULL;
    CU_ASSERT_EQUAL(ntsec_sd_relative_to_absolute(r.bytes, &out), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(abs.revision, 0xAA);

    /* An empty self-relative SD needs only the 40-byte header. */
    ntsec_sd_init(&empty, 1);
    empty.control = NTSEC_SE_SELF_RELATIVE;
    out = (struct ntsec_sd_absolute_buffers){ &abs, 40, NULL, 0, NULL, 0, NULL, 0, NULL, 0 };
    CU_ASSERT_EQUAL(ntsec_sd_relative_to_absolute(&empty, &out), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(abs.control, 0);
    CU_ASSERT_PTR_NULL(abs.owner);
    CU_ASSERT_PTR_NULL(abs.dacl);
}

/* RtlSelfRelativeToAbsoluteSD refuses an absolute SD with
 * STATUS_BAD_DESCRIPTOR_FORMAT (ReactOS sd.c RtlSelfRelativeToAbsoluteSD),
 * writing no size. */
static void relative_to_absolute_refuses_absolute(void)
{
    struct ntsec_sd_absolute sd;
    struct ntsec_sd_absolute_buffers out;

    ntsec_sd_init(&sd, 1);
    memset(&out, 0, sizeof out);
    CU_ASSERT_EQUAL(ntsec_sd_relative_to_absolute(&sd, &out), NTSEC_STATUS_BAD_DESCRIPTOR_FORMAT);
    CU_ASSERT_EQUAL(out.sd_size, 0);
    CU_ASSERT_EQUAL(ntsec_sd_relative_to_absolute(NULL, &out), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_sd_relative_to_absolute(&sd, NULL), NTSEC_STATUS_INVALID_PARAMETER);
}

/* --- duplicate -------------------------------------------------------------- */

/* ntsec_sd_duplicate_relative: the same bytes RtlMakeSelfRelativeSD writes,
 * for either form; ntsec's own rule refuses an invalid SD. */
static void duplicate_copies_either_form(void)
{
    struct wine_sd w;
    union rel_buf r;
    uint32_t len = wine_rel(&r), size = 0;
    void *copy = NULL;

    wine_sd_build(&w);
    CU_ASSERT_EQUAL(ntsec_sd_duplicate_relative(&w.sd, &copy, &size), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(size, len);
    CU_ASSERT_MEM_EQUAL(copy, r.bytes, len);
    ntsec_mem_free(copy);
    CU_ASSERT_EQUAL(ntsec_sd_duplicate_relative(r.bytes, &copy, &size), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_MEM_EQUAL(copy, r.bytes, len);
    ntsec_mem_free(copy);

    copy = NULL;
    size = 0;
    w.owner.revision = 5;
    CU_ASSERT_EQUAL(ntsec_sd_duplicate_relative(&w.sd, &copy, &size), NTSEC_STATUS_INVALID_SECURITY_DESCR);
    w.sd.revision = 2;
    CU_ASSERT_EQUAL(ntsec_sd_duplicate_relative(&w.sd, &copy, &size), NTSEC_STATUS_UNKNOWN_REVISION);
    CU_ASSERT_PTR_NULL(copy);
    CU_ASSERT_EQUAL(size, 0);
    CU_ASSERT_EQUAL(ntsec_sd_duplicate_relative(NULL, &copy, &size), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_sd_duplicate_relative(r.bytes, NULL, &size), NTSEC_STATUS_INVALID_PARAMETER);
}

/* STYLE.md rule 8: allocation failure injected until the call succeeds;
 * each failure is STATUS_NO_MEMORY with outputs untouched and no leak. */
static void duplicate_survives_allocation_failure(void)
{
    struct wine_sd w;
    ntsec_status st;
    long n;

    wine_sd_build(&w);
    for (n = 0;; n++) {
        void *copy = (void *)&w;
        uint32_t size = 12345;
        long live = testutil_live();

        testutil_fail_alloc_after(n);
        st = ntsec_sd_duplicate_relative(&w.sd, &copy, &size);
        testutil_fail_alloc_after(-1);
        if (st == NTSEC_STATUS_SUCCESS) {
            CU_ASSERT_EQUAL(size, 184);
            ntsec_mem_free(copy);
            break;
        }
        CU_ASSERT_EQUAL(st, NTSEC_STATUS_NO_MEMORY);
        CU_ASSERT_PTR_EQUAL(copy, (void *)&w);
        CU_ASSERT_EQUAL(size, 12345);
        CU_ASSERT_EQUAL(testutil_live(), live);
        if (n > 16)
            break;
    }
    CU_ASSERT_EQUAL(st, NTSEC_STATUS_SUCCESS);
    CU_ASSERT_TRUE(n >= 1);
}

void register_tests(void)
{
    static CU_TestInfo tests[] = {
        TEST(make_relative_writes_sacl_dacl_owner_group),
        TEST(make_relative_reports_size_needed),
        TEST(make_relative_drops_acl_without_present_bit),
        TEST(make_relative_pads_parts_to_4_bytes),
        TEST(self_relative_input_repacked_or_refused),
        TEST(relative_to_absolute_round_trip),
        TEST(relative_to_absolute_short_buffer_writes_sizes_only),
        TEST(relative_to_absolute_refuses_absolute),
        TEST(duplicate_copies_either_form),
        TEST(duplicate_survives_allocation_failure),
        CU_TEST_INFO_NULL,
    };

    testutil_add_suite("sd_convert", tests);
}
