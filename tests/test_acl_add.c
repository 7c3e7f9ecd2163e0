/* test_acl_add.c - the RtlAdd*Ace family (allowed, denied, audit, object
 * and mandatory-label ACEs) with the statuses Windows returns. Each test
 * names its source. */
#include "acl_fixtures.h"

/* --- RtlAddAccessAllowedAceEx and friends ----------------------------------- */

/* Microsoft docs, ACCESS_ALLOWED_ACE / RtlAddAccessAllowedAceEx: the ACE goes at
 * the end, AceSize = 8 + RtlLengthSid, flags and mask as given */
static void add_access_ace_appends_ace_of_exact_layout(void)
{
    uint32_t buf[ACL_BUF_WORDS];
    struct ntsec_acl *acl = new_acl(buf, sizeof(buf), 2);
    const struct ntsec_ace_header *ace;
    uint8_t expect[24];

    CU_ASSERT_EQUAL(ntsec_acl_add_access_ace(acl, 2, NTSEC_ACE_ACCESS_ALLOWED, 0, 1, &world),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_acl_add_access_ace(acl, 2, NTSEC_ACE_ACCESS_DENIED,
                                             NTSEC_ACE_OBJECT_INHERIT | NTSEC_ACE_INHERITED,
                                             NTSEC_GENERIC_ALL, &users),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(acl->ace_count, 2);
    CU_ASSERT_EQUAL(ntsec_acl_get_ace(acl, 1, &ace), NTSEC_STATUS_SUCCESS);
    put_ace(expect, NTSEC_ACE_ACCESS_DENIED, 0x11, 24, NTSEC_GENERIC_ALL, &users);
    CU_ASSERT_MEM_EQUAL(ace, expect, 24);
    CU_ASSERT_TRUE(ntsec_acl_is_valid(acl));
}

/* ReactOS sdk/lib/rtl/acl.c, RtlpAddKnownAce (order); Microsoft docs,
 * AddAccessAllowedAceEx (ERROR_INVALID_SID): the SID is checked first */
static void add_access_ace_bad_sid_is_invalid_sid_first(void)
{
    uint32_t buf[ACL_BUF_WORDS], copy[ACL_BUF_WORDS];
    struct ntsec_acl *acl = new_acl(buf, sizeof(buf), 2);
    struct ntsec_sid bad = world;

    bad.revision = 2;
    memcpy(copy, buf, sizeof(buf));
    CU_ASSERT_EQUAL(ntsec_acl_add_access_ace(acl, 9, NTSEC_ACE_ACCESS_ALLOWED, 0xFF, 1, &bad),
                    NTSEC_STATUS_INVALID_SID);
    bad.revision = 1;
    bad.sub_authority_count = 16;
    CU_ASSERT_EQUAL(ntsec_acl_add_access_ace(acl, 2, NTSEC_ACE_ACCESS_ALLOWED, 0, 1, &bad),
                    NTSEC_STATUS_INVALID_SID);
    CU_ASSERT_EQUAL(ntsec_acl_add_access_ace(acl, 2, NTSEC_ACE_ACCESS_ALLOWED, 0, 1, NULL),
                    NTSEC_STATUS_INVALID_SID);
    CU_ASSERT_MEM_EQUAL(copy, buf, sizeof(buf));
}

/* ReactOS RtlpAddKnownAce; Microsoft docs, RtlAddAccessAllowedAceEx
 * (STATUS_REVISION_MISMATCH): a revision above MAX_ACL_REVISION, requested or
 * in the ACL, is STATUS_REVISION_MISMATCH, checked before the flags */
static void add_access_ace_revision_above_max_is_revision_mismatch(void)
{
    uint32_t buf[ACL_BUF_WORDS], copy[ACL_BUF_WORDS];
    struct ntsec_acl *acl = new_acl(buf, sizeof(buf), 2);

    memcpy(copy, buf, sizeof(buf));
    CU_ASSERT_EQUAL(ntsec_acl_add_access_ace(acl, 5, NTSEC_ACE_ACCESS_ALLOWED, 0xFF, 1, &world),
                    NTSEC_STATUS_REVISION_MISMATCH);
    CU_ASSERT_MEM_EQUAL(copy, buf, sizeof(buf));
    acl->revision = 5;
    CU_ASSERT_EQUAL(ntsec_acl_add_access_ace(acl, 2, NTSEC_ACE_ACCESS_ALLOWED, 0, 1, &world),
                    NTSEC_STATUS_REVISION_MISMATCH);
}

/* Microsoft docs, AddAccessAllowedObjectAce ("the function changes it") and
 * ReactOS RtlpAddKnownAce: the ACL gets the higher of its revision and the
 * requested one; a lower request, even below ACL_REVISION, is no error */
static void add_access_ace_raises_revision_to_requested(void)
{
    uint32_t buf[ACL_BUF_WORDS];
    struct ntsec_acl *acl = new_acl(buf, sizeof(buf), 2);

    CU_ASSERT_EQUAL(ntsec_acl_add_access_ace(acl, 0, NTSEC_ACE_ACCESS_ALLOWED, 0, 1, &world),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(acl->revision, 2);
    CU_ASSERT_EQUAL(ntsec_acl_add_access_ace(acl, 4, NTSEC_ACE_ACCESS_ALLOWED, 0, 1, &world),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(acl->revision, 4);
    CU_ASSERT_EQUAL(ntsec_acl_add_access_ace(acl, 2, NTSEC_ACE_ACCESS_ALLOWED, 0, 1, &world),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(acl->revision, 4);
}

/* Microsoft docs, AddAccessAllowedAceEx (ERROR_INVALID_FLAGS) and
 * AddAuditAccessAceEx; ReactOS RtlpAddKnownAce: only the inheritance flags,
 * plus SUCCESSFUL/FAILED_ACCESS for audit ACEs; else STATUS_INVALID_PARAMETER */
static void add_access_ace_invalid_flags_is_invalid_parameter(void)
{
    uint32_t buf[ACL_BUF_WORDS], copy[ACL_BUF_WORDS];
    struct ntsec_acl *acl = new_acl(buf, sizeof(buf), 2);
    const struct ntsec_ace_header *ace;

    memcpy(copy, buf, sizeof(buf));
    CU_ASSERT_EQUAL(ntsec_acl_add_access_ace(acl, 2, NTSEC_ACE_ACCESS_ALLOWED,
                                             NTSEC_ACE_FAILED_ACCESS, 1, &world),
                    NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_acl_add_access_ace(acl, 2, NTSEC_ACE_ACCESS_DENIED,
                                             NTSEC_ACE_CRITICAL, 1, &world),
                    NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_acl_add_access_ace(acl, 2, NTSEC_ACE_SYSTEM_AUDIT, 0x100, 1, &world),
                    NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_MEM_EQUAL(copy, buf, sizeof(buf));
    CU_ASSERT_EQUAL(ntsec_acl_add_access_ace(acl, 2, NTSEC_ACE_SYSTEM_AUDIT,
                                             NTSEC_ACE_VALID_INHERIT_FLAGS |
                                             NTSEC_ACE_SUCCESSFUL_ACCESS | NTSEC_ACE_FAILED_ACCESS,
                                             1, &world),
                    NTSEC_STATUS_SUCCESS);
    ntsec_acl_get_ace(acl, 0, &ace);
    CU_ASSERT_EQUAL(ace->flags, 0xDF);
    /* Alarm, label and the rest have their own functions. */
    CU_ASSERT_EQUAL(ntsec_acl_add_access_ace(acl, 2, NTSEC_ACE_SYSTEM_ALARM, 0, 1, &world),
                    NTSEC_STATUS_INVALID_PARAMETER);
}

/* Microsoft docs, RtlAddAccessAllowedAceEx (STATUS_INVALID_ACL); ReactOS
 * RtlpAddKnownAce: a malformed ACL is STATUS_INVALID_ACL */
static void add_access_ace_malformed_acl_is_invalid_acl(void)
{
    uint32_t buf[ACL_BUF_WORDS];
    struct ntsec_acl *acl = raw_acl(buf, 2, 64, 1);

    put_ace(first_ace(acl), NTSEC_ACE_ACCESS_ALLOWED, 0, 18, 1, &world);
    CU_ASSERT_EQUAL(ntsec_acl_add_access_ace(acl, 2, NTSEC_ACE_ACCESS_ALLOWED, 0, 1, &world),
                    NTSEC_STATUS_INVALID_ACL);
    acl = raw_acl(buf, 1, 64, 0);
    CU_ASSERT_EQUAL(ntsec_acl_add_access_ace(acl, 2, NTSEC_ACE_ACCESS_ALLOWED, 0, 1, &world),
                    NTSEC_STATUS_INVALID_ACL);
    CU_ASSERT_EQUAL(ntsec_acl_add_access_ace(NULL, 2, NTSEC_ACE_ACCESS_ALLOWED, 0, 1, &world),
                    NTSEC_STATUS_INVALID_ACL);
}

/* Microsoft docs, RtlAddAccessAllowedAce: "A new ACE does not fit into the ACL"
 * is STATUS_ALLOTTED_SPACE_EXCEEDED; an exact fit succeeds */
static void add_access_ace_full_acl_is_allotted_space_exceeded(void)
{
    uint32_t buf[ACL_BUF_WORDS], copy[ACL_BUF_WORDS];
    struct ntsec_acl *acl = new_acl(buf, 8 + 20 + 16, 2);

    CU_ASSERT_EQUAL(ntsec_acl_add_access_ace(acl, 2, NTSEC_ACE_ACCESS_ALLOWED, 0, 1, &world),
                    NTSEC_STATUS_SUCCESS);
    memcpy(copy, buf, sizeof(buf));
    CU_ASSERT_EQUAL(ntsec_acl_add_access_ace(acl, 2, NTSEC_ACE_ACCESS_ALLOWED, 0, 1, &world),
                    NTSEC_STATUS_ALLOTTED_SPACE_EXCEEDED);
    CU_ASSERT_MEM_EQUAL(copy, buf, sizeof(buf));
    acl->size = 48;
    CU_ASSERT_EQUAL(ntsec_acl_add_access_ace(acl, 2, NTSEC_ACE_ACCESS_ALLOWED, 0, 1, &world),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_acl_add_access_ace(acl, 2, NTSEC_ACE_ACCESS_ALLOWED, 0, 1, &world),
                    NTSEC_STATUS_ALLOTTED_SPACE_EXCEEDED);
}

/* --- object ACEs ------------------------------------------------------------- */

static const struct ntsec_guid guid_a = { 0x12345678, 0x1234, 0x5678,
                                          { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88 } };
static const struct ntsec_guid guid_b = { 0x23456789, 0x2345, 0x6786,
                                          { 0x02, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99 } };

/* [MS-DTYP] 2.4.4.3 ACCESS_ALLOWED_OBJECT_ACE; Microsoft docs,
 * AddAccessAllowedObjectAce: Flags announce the GUIDs present, ObjectType first */
static void add_object_ace_writes_flags_guids_then_sid(void)
{
    uint32_t buf[ACL_BUF_WORDS];
    struct ntsec_acl *acl = new_acl(buf, sizeof(buf), 4);
    const struct ntsec_ace_header *ace;
    const uint8_t *p;
    uint32_t flags;

    CU_ASSERT_EQUAL(ntsec_acl_add_object_ace(acl, 4, NTSEC_ACE_ACCESS_ALLOWED_OBJECT,
                                             NTSEC_ACE_CONTAINER_INHERIT, 0x100, &guid_a, &guid_b,
                                             &world),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_acl_add_object_ace(acl, 4, NTSEC_ACE_SYSTEM_AUDIT_OBJECT,
                                             NTSEC_ACE_SUCCESSFUL_ACCESS, 0x10, NULL, &guid_b,
                                             &users),
                    NTSEC_STATUS_SUCCESS);
    ntsec_acl_get_ace(acl, 0, &ace);
    p = (const uint8_t *)ace;
    CU_ASSERT_EQUAL(ace->type, NTSEC_ACE_ACCESS_ALLOWED_OBJECT);
    CU_ASSERT_EQUAL(ace->flags, NTSEC_ACE_CONTAINER_INHERIT);
    CU_ASSERT_EQUAL(ace->size, 12 + 32 + 12);
    memcpy(&flags, p + 8, 4);
    CU_ASSERT_EQUAL(flags, 3);
    CU_ASSERT_MEM_EQUAL(p + 12, &guid_a, 16);
    CU_ASSERT_MEM_EQUAL(p + 28, &guid_b, 16);
    CU_ASSERT_MEM_EQUAL(p + 44, &world, 12);
    ntsec_acl_get_ace(acl, 1, &ace);
    p = (const uint8_t *)ace;
    CU_ASSERT_EQUAL(ace->size, 12 + 16 + 16);
    memcpy(&flags, p + 8, 4);
    CU_ASSERT_EQUAL(flags, NTSEC_ACE_INHERITED_OBJECT_TYPE_PRESENT);
    CU_ASSERT_MEM_EQUAL(p + 12, &guid_b, 16);
    CU_ASSERT_PTR_NULL(ntsec_ace_object_type(ace));
    CU_ASSERT_TRUE(ntsec_sid_equal(ntsec_ace_sid(ace), &users));
    CU_ASSERT_TRUE(ntsec_acl_is_valid(acl));
}

/* Microsoft docs, AddAccessAllowedObjectAce, dwAceRevision: "must be
 * ACL_REVISION_DS", a lower ACL revision is raised to it; a lower request is
 * STATUS_REVISION_MISMATCH ("not compatible", AddAccessAllowedAceEx) */
static void add_object_ace_needs_revision_ds_and_raises_acl(void)
{
    uint32_t buf[ACL_BUF_WORDS], copy[ACL_BUF_WORDS];
    struct ntsec_acl *acl = new_acl(buf, sizeof(buf), 2);

    memcpy(copy, buf, sizeof(buf));
    CU_ASSERT_EQUAL(ntsec_acl_add_object_ace(acl, 2, NTSEC_ACE_ACCESS_DENIED_OBJECT, 0, 1,
                                             &guid_a, NULL, &world),
                    NTSEC_STATUS_REVISION_MISMATCH);
    CU_ASSERT_MEM_EQUAL(copy, buf, sizeof(buf));
    CU_ASSERT_EQUAL(ntsec_acl_add_object_ace(acl, 4, NTSEC_ACE_ACCESS_DENIED_OBJECT, 0, 1,
                                             &guid_a, NULL, &world),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(acl->revision, 4);
    CU_ASSERT_TRUE(ntsec_acl_is_valid(acl));
    CU_ASSERT_EQUAL(ntsec_acl_add_object_ace(acl, 4, NTSEC_ACE_ACCESS_ALLOWED, 0, 1,
                                             &guid_a, NULL, &world),
                    NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_acl_add_object_ace(acl, 4, NTSEC_ACE_ACCESS_ALLOWED_OBJECT,
                                             NTSEC_ACE_FAILED_ACCESS, 1, &guid_a, NULL, &world),
                    NTSEC_STATUS_INVALID_PARAMETER);
}

/* ReactOS sdk/lib/rtl/acl.c, RtlAddAccessAllowedObjectAce: without either GUID
 * the plain ACE of the same kind is added, under the plain rules */
static void add_object_ace_without_guids_adds_plain_ace(void)
{
    uint32_t buf[ACL_BUF_WORDS];
    struct ntsec_acl *acl = new_acl(buf, sizeof(buf), 2);
    const struct ntsec_ace_header *ace;

    CU_ASSERT_EQUAL(ntsec_acl_add_object_ace(acl, 2, NTSEC_ACE_SYSTEM_AUDIT_OBJECT,
                                             NTSEC_ACE_FAILED_ACCESS, 1, NULL, NULL, &world),
                    NTSEC_STATUS_SUCCESS);
    ntsec_acl_get_ace(acl, 0, &ace);
    CU_ASSERT_EQUAL(ace->type, NTSEC_ACE_SYSTEM_AUDIT);
    CU_ASSERT_EQUAL(ace->size, 20);
    CU_ASSERT_EQUAL(acl->revision, 2);
}

/* --- RtlAddMandatoryAce ------------------------------------------------------ */

/* Wine dlls/advapi32/tests/security.c, test_AddMandatoryAce: policy 0x1234 ->
 * ERROR_INVALID_PARAMETER; SYSTEM_MANDATORY_LABEL_VALID_MASK is the three NO_*_UP */
static void mandatory_ace_policy_outside_mask_is_invalid_parameter(void)
{
    uint32_t buf[ACL_BUF_WORDS], copy[ACL_BUF_WORDS];
    struct ntsec_acl *acl = new_acl(buf, 256, NTSEC_ACL_REVISION);

    memcpy(copy, buf, sizeof(buf));
    CU_ASSERT_EQUAL(ntsec_acl_add_mandatory_ace(acl, 2, 0, 0x1234, &low_label),
                    NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_acl_add_mandatory_ace(acl, 2, 0, 0x8, &low_label),
                    NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_MEM_EQUAL(copy, buf, sizeof(buf));
    CU_ASSERT_EQUAL(ntsec_acl_add_mandatory_ace(acl, 2, 0, 7, &low_label), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_acl_add_mandatory_ace(acl, 2, 0, 0, &low_label), NTSEC_STATUS_SUCCESS);
}

/* Wine test_AddMandatoryAce: NO_WRITE_UP for S-1-16-4096 in an ACL_REVISION ACL
 * gives a SYSTEM_MANDATORY_LABEL ACE, flags 0, that GetAce finds */
static void mandatory_ace_is_added_to_revision_2_acl(void)
{
    uint32_t buf[ACL_BUF_WORDS];
    struct ntsec_acl *acl = new_acl(buf, 256, NTSEC_ACL_REVISION);
    const struct ntsec_ace_header *ace;
    struct ntsec_acl_size_info info;

    CU_ASSERT_EQUAL(ntsec_acl_add_mandatory_ace(acl, 2, 0, NTSEC_MANDATORY_NO_WRITE_UP,
                                                &low_label),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_acl_get_ace(acl, 0, &ace), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ace->type, NTSEC_ACE_SYSTEM_MANDATORY_LABEL);
    CU_ASSERT_EQUAL(ace->flags, 0);
    CU_ASSERT_EQUAL(ntsec_ace_mask(ace), NTSEC_MANDATORY_NO_WRITE_UP);
    CU_ASSERT_TRUE(ntsec_sid_equal(ntsec_ace_sid(ace), &low_label));
    CU_ASSERT_EQUAL(ntsec_acl_size_info(acl, &info), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(info.ace_count, 1);
    CU_ASSERT_EQUAL(acl->revision, 2);
    CU_ASSERT_EQUAL(ntsec_acl_add_mandatory_ace(acl, 2, 0, NTSEC_MANDATORY_NO_EXECUTE_UP,
                                                &medium_label),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(acl->ace_count, 2);
    CU_ASSERT_TRUE(ntsec_acl_is_valid(acl));
}

/* Wine test_AddMandatoryAce: AddMandatoryAce(ACL_REVISION3) into an
 * ACL_REVISION ACL leaves the SACL at revision 3 */
static void mandatory_ace_raises_acl_revision(void)
{
    uint32_t buf[ACL_BUF_WORDS];
    struct ntsec_acl *acl = new_acl(buf, 256, NTSEC_ACL_REVISION);

    CU_ASSERT_EQUAL(ntsec_acl_add_mandatory_ace(acl, 3, 0, NTSEC_MANDATORY_NO_EXECUTE_UP,
                                                &medium_label),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(acl->revision, 3);
    CU_ASSERT_EQUAL(ntsec_acl_add_mandatory_ace(acl, 5, 0, 0, &medium_label),
                    NTSEC_STATUS_REVISION_MISMATCH);
}

/* Microsoft docs, AddMandatoryAce (pLabelSid "identifies the mandatory
 * integrity level"); ReactOS-derived RtlpAddKnownAce: a SID outside
 * SECURITY_MANDATORY_LABEL_AUTHORITY (16) is STATUS_INVALID_PARAMETER, an
 * invalid one STATUS_INVALID_SID, flags beyond inheritance STATUS_INVALID_PARAMETER */
static void mandatory_ace_needs_label_sid_and_inherit_flags(void)
{
    uint32_t buf[ACL_BUF_WORDS], copy[ACL_BUF_WORDS];
    struct ntsec_acl *acl = new_acl(buf, 256, NTSEC_ACL_REVISION);
    struct ntsec_sid bad = low_label;
    const struct ntsec_ace_header *ace;

    bad.revision = 3;
    memcpy(copy, buf, sizeof(buf));
    CU_ASSERT_EQUAL(ntsec_acl_add_mandatory_ace(acl, 2, 0, 1, &world),
                    NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_acl_add_mandatory_ace(acl, 2, 0, 1, &bad), NTSEC_STATUS_INVALID_SID);
    CU_ASSERT_EQUAL(ntsec_acl_add_mandatory_ace(acl, 2, 0, 1, NULL), NTSEC_STATUS_INVALID_SID);
    CU_ASSERT_EQUAL(ntsec_acl_add_mandatory_ace(acl, 2, NTSEC_ACE_SUCCESSFUL_ACCESS, 1, &low_label),
                    NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_MEM_EQUAL(copy, buf, sizeof(buf));
    CU_ASSERT_EQUAL(ntsec_acl_add_mandatory_ace(acl, 2,
                                                NTSEC_ACE_OBJECT_INHERIT | NTSEC_ACE_CONTAINER_INHERIT,
                                                1, &low_label),
                    NTSEC_STATUS_SUCCESS);
    ntsec_acl_get_ace(acl, 0, &ace);
    CU_ASSERT_EQUAL(ace->flags, 3);
}

static CU_TestInfo acl_add_tests[] = {
    TEST(add_access_ace_appends_ace_of_exact_layout),
    TEST(add_access_ace_bad_sid_is_invalid_sid_first),
    TEST(add_access_ace_revision_above_max_is_revision_mismatch),
    TEST(add_access_ace_raises_revision_to_requested),
    TEST(add_access_ace_invalid_flags_is_invalid_parameter),
    TEST(add_access_ace_malformed_acl_is_invalid_acl),
    TEST(add_access_ace_full_acl_is_allotted_space_exceeded),
    TEST(add_object_ace_writes_flags_guids_then_sid),
    TEST(add_object_ace_needs_revision_ds_and_raises_acl),
    TEST(add_object_ace_without_guids_adds_plain_ace),
    TEST(mandatory_ace_policy_outside_mask_is_invalid_parameter),
    TEST(mandatory_ace_is_added_to_revision_2_acl),
    TEST(mandatory_ace_raises_acl_revision),
    TEST(mandatory_ace_needs_label_sid_and_inherit_flags),
    CU_TEST_INFO_NULL,
};

void register_tests(void)
{
    init_sids();
    testutil_add_suite("acl-add", acl_add_tests);
}
