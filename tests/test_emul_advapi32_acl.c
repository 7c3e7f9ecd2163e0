/* test_emul_advapi32_acl.c - advapi32's ACL and ACE functions through
 * the Windows ABI, against Windows' results (Wine's dlls/advapi32/tests/
 * security.c asserts them on Windows; Microsoft docs otherwise). */
#include <ntstatus.h>
#define WIN32_NO_STATUS
#include <ntsec/ntdll.h>
#include <sddl.h>

#include "testutil.h"

static SID world = { SID_REVISION, 1, { SECURITY_WORLD_SID_AUTHORITY }, { SECURITY_WORLD_RID } };
static SID low_label = { SID_REVISION, 1, { SECURITY_MANDATORY_LABEL_AUTHORITY },
                         { SECURITY_MANDATORY_LOW_RID } };

/* security.c test_InitializeAcl: too small is ERROR_INSUFFICIENT_BUFFER;
 * too large, revision 1 and -1 are ERROR_INVALID_PARAMETER; 2..4 succeed. */
static void initialize_acl_sizes_and_revisions(void)
{
    BYTE buf[256];
    PACL acl = (PACL)buf;

    SetLastError(0xdeadbeef);
    CU_ASSERT_FALSE(InitializeAcl(acl, sizeof(ACL) - 1, ACL_REVISION));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INSUFFICIENT_BUFFER);
    SetLastError(0xdeadbeef);
    CU_ASSERT_FALSE(InitializeAcl(acl, 0xffffffff, ACL_REVISION));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    CU_ASSERT_FALSE(InitializeAcl(acl, sizeof(buf), ACL_REVISION1));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    CU_ASSERT_FALSE(InitializeAcl(acl, sizeof(buf), (DWORD)-1));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
    for (DWORD rev = ACL_REVISION2; rev <= ACL_REVISION4; rev++) {
        SetLastError(0xdeadbeef);
        CU_ASSERT_TRUE(InitializeAcl(acl, sizeof(buf), rev));
        CU_ASSERT_EQUAL(GetLastError(), 0xdeadbeef);
        CU_ASSERT_TRUE(IsValidAcl(acl));
        CU_ASSERT_EQUAL(acl->AclRevision, rev);
        CU_ASSERT_EQUAL(acl->AclSize, sizeof(buf));
        CU_ASSERT_EQUAL(acl->AceCount, 0);
    }
}

/* IsValidAcl: a corrupted header is invalid; NULL is FALSE, not a fault. */
static void is_valid_acl_rejects_bad_header(void)
{
    BYTE buf[64];
    PACL acl = (PACL)buf;

    CU_ASSERT_TRUE_FATAL(InitializeAcl(acl, sizeof(buf), ACL_REVISION));
    acl->AclRevision = 7;
    CU_ASSERT_FALSE(IsValidAcl(acl));
    CU_ASSERT_FALSE(IsValidAcl(NULL));
}

/* GetAclInformation (Microsoft docs, ACL_SIZE_INFORMATION): count, bytes
 * in use, bytes free; the revision class gives AclRevision. */
static void get_acl_information_size_and_revision(void)
{
    BYTE buf[256];
    PACL acl = (PACL)buf;
    ACL_SIZE_INFORMATION size;
    ACL_REVISION_INFORMATION rev;

    CU_ASSERT_TRUE_FATAL(InitializeAcl(acl, sizeof(buf), ACL_REVISION));
    CU_ASSERT_TRUE_FATAL(AddAccessAllowedAce(acl, ACL_REVISION, GENERIC_READ, &world));
    CU_ASSERT_TRUE_FATAL(GetAclInformation(acl, &size, sizeof(size), AclSizeInformation));
    CU_ASSERT_EQUAL(size.AceCount, 1);
    CU_ASSERT_EQUAL(size.AclBytesInUse, sizeof(ACL) + 8 + 12);
    CU_ASSERT_EQUAL(size.AclBytesFree, sizeof(buf) - size.AclBytesInUse);
    CU_ASSERT_TRUE_FATAL(GetAclInformation(acl, &rev, sizeof(rev), AclRevisionInformation));
    CU_ASSERT_EQUAL(rev.AclRevision, ACL_REVISION);
}

/* RtlQueryInformationAcl: a short buffer is STATUS_BUFFER_TOO_SMALL
 * (ERROR_INSUFFICIENT_BUFFER), an unknown class STATUS_INVALID_INFO_CLASS
 * (ERROR_INVALID_PARAMETER); the output is untouched. */
static void get_acl_information_errors(void)
{
    BYTE buf[64];
    PACL acl = (PACL)buf;
    ACL_SIZE_INFORMATION size = { 7, 7, 7 };

    CU_ASSERT_TRUE_FATAL(InitializeAcl(acl, sizeof(buf), ACL_REVISION));
    SetLastError(0);
    CU_ASSERT_FALSE(GetAclInformation(acl, &size, sizeof(size) - 1, AclSizeInformation));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INSUFFICIENT_BUFFER);
    SetLastError(0);
    CU_ASSERT_FALSE(GetAclInformation(acl, &size, sizeof(size), (ACL_INFORMATION_CLASS)9));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(size.AceCount, 7);
}

/* security.c test_AddAce: AddAce appends, raising the ACL revision to the
 * one given (never lowering it). */
static void add_ace_appends_and_raises_revision(void)
{
    BYTE acl_buf[1024], ace_buf[64];
    PACL acl = (PACL)acl_buf;
    ACCESS_ALLOWED_ACE *ace = (ACCESS_ALLOWED_ACE *)ace_buf;
    void *got;

    memset(ace_buf, 0, sizeof(ace_buf));
    ace->Header.AceType = ACCESS_ALLOWED_ACE_TYPE;
    ace->Header.AceSize = sizeof(ACCESS_ALLOWED_ACE) - sizeof(DWORD) + sizeof(SID);
    ace->Mask = FILE_READ_DATA;
    memcpy(&ace->SidStart, &world, sizeof(world));
    CU_ASSERT_TRUE_FATAL(InitializeAcl(acl, sizeof(acl_buf), ACL_REVISION2));
    CU_ASSERT_TRUE(AddAce(acl, ACL_REVISION2, MAXDWORD, ace, ace->Header.AceSize));
    CU_ASSERT_TRUE(AddAce(acl, ACL_REVISION3, MAXDWORD, ace, ace->Header.AceSize));
    CU_ASSERT_EQUAL(acl->AclRevision, ACL_REVISION3);
    CU_ASSERT_TRUE(AddAce(acl, ACL_REVISION4, MAXDWORD, ace, ace->Header.AceSize));
    CU_ASSERT_EQUAL(acl->AclRevision, ACL_REVISION4);
    CU_ASSERT_TRUE(AddAce(acl, ACL_REVISION2, MAXDWORD, ace, ace->Header.AceSize));
    CU_ASSERT_EQUAL(acl->AclRevision, ACL_REVISION4);
    CU_ASSERT_EQUAL(acl->AceCount, 4);
    CU_ASSERT_TRUE_FATAL(GetAce(acl, 3, &got));
    CU_ASSERT_EQUAL(((ACCESS_ALLOWED_ACE *)got)->Mask, FILE_READ_DATA);
}

/* GetAce/DeleteAce: an index out of range is ERROR_INVALID_PARAMETER
 * (security.c test_AddMandatoryAce for GetAce). */
static void get_and_delete_ace_index_out_of_range(void)
{
    BYTE buf[256];
    PACL acl = (PACL)buf;
    void *ace = (void *)0x1234;

    CU_ASSERT_TRUE_FATAL(InitializeAcl(acl, sizeof(buf), ACL_REVISION));
    CU_ASSERT_TRUE_FATAL(AddAccessAllowedAce(acl, ACL_REVISION, 1, &world));
    CU_ASSERT_TRUE_FATAL(AddAccessDeniedAce(acl, ACL_REVISION, 2, &world));
    SetLastError(0);
    CU_ASSERT_FALSE(GetAce(acl, 2, &ace));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
    CU_ASSERT_PTR_EQUAL(ace, (void *)0x1234);
    SetLastError(0);
    CU_ASSERT_FALSE(DeleteAce(acl, 2));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
    CU_ASSERT_TRUE(DeleteAce(acl, 0));
    CU_ASSERT_EQUAL(acl->AceCount, 1);
    CU_ASSERT_TRUE_FATAL(GetAce(acl, 0, &ace));
    CU_ASSERT_EQUAL(((ACE_HEADER *)ace)->AceType, ACCESS_DENIED_ACE_TYPE);
    CU_ASSERT_EQUAL(((ACCESS_DENIED_ACE *)ace)->Mask, 2);
}

/* AddAccessAllowedAceEx and friends: type, flags, mask and SID land in the
 * ACE (security.c test_ConvertSecurityDescriptorToString builds ACLs so). */
static void access_ace_builders_fill_the_ace(void)
{
    BYTE buf[256];
    PACL acl = (PACL)buf;
    ACE_HEADER *h;

    CU_ASSERT_TRUE_FATAL(InitializeAcl(acl, sizeof(buf), ACL_REVISION));
    CU_ASSERT_TRUE(AddAccessAllowedAceEx(acl, ACL_REVISION, NO_PROPAGATE_INHERIT_ACE, 0xf0000000, &world));
    CU_ASSERT_TRUE(AddAccessDeniedAceEx(acl, ACL_REVISION, OBJECT_INHERIT_ACE | CONTAINER_INHERIT_ACE,
                                        0xffffffff, &world));
    CU_ASSERT_TRUE(AddAuditAccessAce(acl, ACL_REVISION, KEY_READ, &world, TRUE, FALSE));
    CU_ASSERT_TRUE(AddAuditAccessAceEx(acl, ACL_REVISION, INHERIT_ONLY_ACE, KEY_WRITE, &world, FALSE, TRUE));
    CU_ASSERT_EQUAL(acl->AceCount, 4);
    CU_ASSERT_TRUE_FATAL(GetAce(acl, 0, (void **)&h));
    CU_ASSERT_EQUAL(h->AceType, ACCESS_ALLOWED_ACE_TYPE);
    CU_ASSERT_EQUAL(h->AceFlags, NO_PROPAGATE_INHERIT_ACE);
    CU_ASSERT_EQUAL(((ACCESS_ALLOWED_ACE *)h)->Mask, 0xf0000000);
    CU_ASSERT_TRUE(EqualSid(&((ACCESS_ALLOWED_ACE *)h)->SidStart, &world));
    CU_ASSERT_TRUE_FATAL(GetAce(acl, 1, (void **)&h));
    CU_ASSERT_EQUAL(h->AceType, ACCESS_DENIED_ACE_TYPE);
    CU_ASSERT_EQUAL(h->AceFlags, OBJECT_INHERIT_ACE | CONTAINER_INHERIT_ACE);
    CU_ASSERT_TRUE_FATAL(GetAce(acl, 2, (void **)&h));
    CU_ASSERT_EQUAL(h->AceType, SYSTEM_AUDIT_ACE_TYPE);
    CU_ASSERT_EQUAL(h->AceFlags, SUCCESSFUL_ACCESS_ACE_FLAG);
    CU_ASSERT_TRUE_FATAL(GetAce(acl, 3, (void **)&h));
    CU_ASSERT_EQUAL(h->AceFlags, INHERIT_ONLY_ACE | FAILED_ACCESS_ACE_FLAG);
    CU_ASSERT_EQUAL(((SYSTEM_AUDIT_ACE *)h)->Mask, KEY_WRITE);
}

/* AddAccessAllowedAceEx (Microsoft docs, Return value): an invalid SID is
 * ERROR_INVALID_SID, a full ACL ERROR_ALLOTTED_SPACE_EXCEEDED, a bad ACL
 * ERROR_INVALID_ACL; flags beyond VALID_INHERIT_FLAGS and the audit flags
 * are STATUS_INVALID_PARAMETER (ERROR_INVALID_PARAMETER). The ACL is
 * unchanged after each failure. */
static void access_ace_builder_errors(void)
{
    BYTE buf[sizeof(ACL) + 8 + 12], copy[sizeof(buf)];
    PACL acl = (PACL)buf;
    SID bad = { 2, 1, { SECURITY_WORLD_SID_AUTHORITY }, { 0 } };

    memset(buf, 0xcc, sizeof(buf));
    CU_ASSERT_TRUE_FATAL(InitializeAcl(acl, sizeof(buf), ACL_REVISION));
    memcpy(copy, buf, sizeof(buf));
    SetLastError(0);
    CU_ASSERT_FALSE(AddAccessAllowedAceEx(acl, ACL_REVISION, 0, 1, &bad));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_SID);
    SetLastError(0);
    CU_ASSERT_FALSE(AddAccessAllowedAceEx(acl, ACL_REVISION, 0, 1, NULL));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_SID);
    SetLastError(0);
    CU_ASSERT_FALSE(AddAccessDeniedAceEx(acl, ACL_REVISION, 0x100, 1, &world));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
    CU_ASSERT_MEM_EQUAL(buf, copy, sizeof(buf));
    CU_ASSERT_TRUE(AddAccessAllowedAce(acl, ACL_REVISION, 1, &world));
    SetLastError(0);
    CU_ASSERT_FALSE(AddAccessAllowedAce(acl, ACL_REVISION, 1, &world));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_ALLOTTED_SPACE_EXCEEDED);
    CU_ASSERT_EQUAL(acl->AceCount, 1);
    acl->AceCount = 5;      /* ACEs that run past the ACL's end */
    SetLastError(0);
    CU_ASSERT_FALSE(AddAuditAccessAce(acl, ACL_REVISION, 1, &world, TRUE, TRUE));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_ACL);
}

/* security.c test_AddMandatoryAce: an unknown policy is
 * ERROR_INVALID_PARAMETER; a valid one adds a label ACE with no flags. */
static void add_mandatory_ace_policy_and_layout(void)
{
    BYTE buf[256];
    PACL acl = (PACL)buf;
    SYSTEM_MANDATORY_LABEL_ACE *ace;

    CU_ASSERT_TRUE_FATAL(InitializeAcl(acl, sizeof(buf), ACL_REVISION));
    SetLastError(0xdeadbeef);
    CU_ASSERT_FALSE(AddMandatoryAce(acl, ACL_REVISION, 0, 0x1234, &low_label));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
    CU_ASSERT_TRUE_FATAL(AddMandatoryAce(acl, ACL_REVISION, 0, SYSTEM_MANDATORY_LABEL_NO_WRITE_UP, &low_label));
    CU_ASSERT_TRUE_FATAL(GetAce(acl, 0, (void **)&ace));
    CU_ASSERT_EQUAL(ace->Header.AceType, SYSTEM_MANDATORY_LABEL_ACE_TYPE);
    CU_ASSERT_EQUAL(ace->Header.AceFlags, 0);
    CU_ASSERT_EQUAL(ace->Mask, SYSTEM_MANDATORY_LABEL_NO_WRITE_UP);
    CU_ASSERT_TRUE(EqualSid(&ace->SidStart, &low_label));
    SetLastError(0xdeadbeef);
    CU_ASSERT_FALSE(GetAce(acl, 1, (void **)&ace));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
}

/* MapGenericMask (Microsoft docs): GENERIC_* bits become the mapping's
 * rights and are cleared; other bits stay. */
static void map_generic_mask_replaces_generic_bits(void)
{
    GENERIC_MAPPING m = { KEY_READ, KEY_WRITE, KEY_EXECUTE, KEY_ALL_ACCESS };
    DWORD mask = GENERIC_READ | DELETE;

    MapGenericMask(&mask, &m);
    CU_ASSERT_EQUAL(mask, KEY_READ | DELETE);
    mask = GENERIC_ALL;
    MapGenericMask(&mask, &m);
    CU_ASSERT_EQUAL(mask, KEY_ALL_ACCESS);
}

void register_tests(void)
{
    static CU_TestInfo tests[] = {
        TEST(initialize_acl_sizes_and_revisions),
        TEST(is_valid_acl_rejects_bad_header),
        TEST(get_acl_information_size_and_revision),
        TEST(get_acl_information_errors),
        TEST(add_ace_appends_and_raises_revision),
        TEST(get_and_delete_ace_index_out_of_range),
        TEST(access_ace_builders_fill_the_ace),
        TEST(access_ace_builder_errors),
        TEST(add_mandatory_ace_policy_and_layout),
        TEST(map_generic_mask_replaces_generic_bits),
        CU_TEST_INFO_NULL,
    };
    testutil_add_suite("emul_advapi32_acl", tests);
}
