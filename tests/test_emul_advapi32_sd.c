/* test_emul_advapi32_sd.c - advapi32's security-descriptor functions
 * through the Windows ABI, against Windows' results (Wine's
 * dlls/advapi32/tests/security.c and dlls/ntdll/tests/rtl.c assert them on
 * Windows; Microsoft docs otherwise). */
#include <ntstatus.h>
#define WIN32_NO_STATUS
#include <ntsec/ntdll.h>
#include <sddl.h>

#include <stdlib.h>

#include "testutil.h"

static SID world = { SID_REVISION, 1, { SECURITY_WORLD_SID_AUTHORITY }, { SECURITY_WORLD_RID } };
static SID system_sid = { SID_REVISION, 1, { SECURITY_NT_AUTHORITY }, { SECURITY_LOCAL_SYSTEM_RID } };

/* InitializeSecurityDescriptor (Microsoft docs): revision 1 only
 * (ERROR_UNKNOWN_REVISION otherwise); the new SD has no parts. */
static void initialize_security_descriptor_revision(void)
{
    SECURITY_DESCRIPTOR sd;
    PSID owner = (PSID)0x1234;
    BOOL defaulted = TRUE;

    SetLastError(0);
    CU_ASSERT_FALSE(InitializeSecurityDescriptor(&sd, 2));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_UNKNOWN_REVISION);
    SetLastError(0xdeadbeef);
    CU_ASSERT_TRUE_FATAL(InitializeSecurityDescriptor(&sd, SECURITY_DESCRIPTOR_REVISION));
    CU_ASSERT_EQUAL(GetLastError(), 0xdeadbeef);
    CU_ASSERT_TRUE(IsValidSecurityDescriptor(&sd));
    CU_ASSERT_TRUE(GetSecurityDescriptorOwner(&sd, &owner, &defaulted));
    CU_ASSERT_PTR_NULL(owner);
    CU_ASSERT_FALSE(defaulted);
    CU_ASSERT_EQUAL(GetSecurityDescriptorLength(NULL), 0);
}

/* IsValidSecurityDescriptor: a bad revision is ERROR_INVALID_SECURITY_DESCR
 * (RtlValidSecurityDescriptor answers only TRUE or FALSE). */
static void is_valid_security_descriptor_error(void)
{
    SECURITY_DESCRIPTOR sd;

    CU_ASSERT_TRUE_FATAL(InitializeSecurityDescriptor(&sd, SECURITY_DESCRIPTOR_REVISION));
    sd.Revision = 2;
    SetLastError(0);
    CU_ASSERT_FALSE(IsValidSecurityDescriptor(&sd));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_SECURITY_DESCR);
}

/* Setters store the caller's pointers and defaulted bits; getters return
 * them (Microsoft docs, Set/GetSecurityDescriptorOwner and friends). */
static void owner_group_dacl_sacl_round_trip(void)
{
    SECURITY_DESCRIPTOR sd;
    BYTE acl_buf[64];
    PACL acl = (PACL)acl_buf, got_acl;
    PSID got;
    BOOL present, defaulted;
    SECURITY_DESCRIPTOR_CONTROL control;
    DWORD revision;

    CU_ASSERT_TRUE_FATAL(InitializeSecurityDescriptor(&sd, SECURITY_DESCRIPTOR_REVISION));
    CU_ASSERT_TRUE_FATAL(InitializeAcl(acl, sizeof(acl_buf), ACL_REVISION));
    CU_ASSERT_TRUE(SetSecurityDescriptorOwner(&sd, &system_sid, TRUE));
    CU_ASSERT_TRUE(SetSecurityDescriptorGroup(&sd, &world, FALSE));
    CU_ASSERT_TRUE(SetSecurityDescriptorDacl(&sd, TRUE, acl, TRUE));
    CU_ASSERT_TRUE(SetSecurityDescriptorSacl(&sd, TRUE, acl, FALSE));
    CU_ASSERT_TRUE(GetSecurityDescriptorOwner(&sd, &got, &defaulted));
    CU_ASSERT_PTR_EQUAL(got, &system_sid);
    CU_ASSERT_TRUE(defaulted);
    CU_ASSERT_TRUE(GetSecurityDescriptorGroup(&sd, &got, &defaulted));
    CU_ASSERT_PTR_EQUAL(got, &world);
    CU_ASSERT_FALSE(defaulted);
    CU_ASSERT_TRUE(GetSecurityDescriptorDacl(&sd, &present, &got_acl, &defaulted));
    CU_ASSERT_TRUE(present);
    CU_ASSERT_PTR_EQUAL(got_acl, acl);
    CU_ASSERT_TRUE(defaulted);
    CU_ASSERT_TRUE(GetSecurityDescriptorSacl(&sd, &present, &got_acl, &defaulted));
    CU_ASSERT_TRUE(present);
    CU_ASSERT_FALSE(defaulted);
    CU_ASSERT_TRUE(GetSecurityDescriptorControl(&sd, &control, &revision));
    CU_ASSERT_EQUAL(control, SE_OWNER_DEFAULTED | SE_DACL_PRESENT | SE_DACL_DEFAULTED | SE_SACL_PRESENT);
    CU_ASSERT_EQUAL(revision, SECURITY_DESCRIPTOR_REVISION);
}

/* security.c test_AddMandatoryAce: with no SACL only *present is written. */
static void absent_acl_leaves_pointer_untouched(void)
{
    SECURITY_DESCRIPTOR sd;
    PACL acl = (PACL)0xdeadbeef;
    BOOL present = TRUE, defaulted = TRUE;

    CU_ASSERT_TRUE_FATAL(InitializeSecurityDescriptor(&sd, SECURITY_DESCRIPTOR_REVISION));
    CU_ASSERT_TRUE(GetSecurityDescriptorSacl(&sd, &present, &acl, &defaulted));
    CU_ASSERT_FALSE(present);
    CU_ASSERT_PTR_EQUAL(acl, (PACL)0xdeadbeef);
    CU_ASSERT_TRUE(defaulted);
}

/* Getters and setters on a bad revision: ERROR_UNKNOWN_REVISION; setters
 * on a self-relative SD: ERROR_INVALID_SECURITY_DESCR (RtlSetOwner...,
 * STATUS_INVALID_SECURITY_DESCR, Microsoft docs). */
static void get_set_errors(void)
{
    SECURITY_DESCRIPTOR sd;
    SECURITY_DESCRIPTOR_RELATIVE rel = { SECURITY_DESCRIPTOR_REVISION, 0, SE_SELF_RELATIVE, 0, 0, 0, 0 };
    PSID got = (PSID)0x1234;
    BOOL defaulted;

    CU_ASSERT_TRUE_FATAL(InitializeSecurityDescriptor(&sd, SECURITY_DESCRIPTOR_REVISION));
    sd.Revision = 3;
    SetLastError(0);
    CU_ASSERT_FALSE(GetSecurityDescriptorOwner(&sd, &got, &defaulted));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_UNKNOWN_REVISION);
    CU_ASSERT_PTR_EQUAL(got, (PSID)0x1234);
    SetLastError(0);
    CU_ASSERT_FALSE(SetSecurityDescriptorOwner(&sd, &world, FALSE));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_UNKNOWN_REVISION);
    SetLastError(0);
    CU_ASSERT_FALSE(SetSecurityDescriptorGroup(&rel, &world, FALSE));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_SECURITY_DESCR);
    SetLastError(0);
    CU_ASSERT_FALSE(GetSecurityDescriptorOwner(NULL, &got, &defaulted));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_NOACCESS);
}

/* security.c test_SetSecurityDescriptorControl: the inheritance and
 * protection bits (and 0x40, 0x80) may be changed; any other bit, of
 * interest or to set, is ERROR_INVALID_PARAMETER and changes nothing. */
static void set_control_mutable_and_immutable_bits(void)
{
    const SECURITY_DESCRIPTOR_CONTROL mutable_bits =
        SE_DACL_AUTO_INHERIT_REQ | SE_SACL_AUTO_INHERIT_REQ | SE_DACL_AUTO_INHERITED |
        SE_SACL_AUTO_INHERITED | SE_DACL_PROTECTED | SE_SACL_PROTECTED | 0x40 | 0x80;
    SECURITY_DESCRIPTOR sd;
    SECURITY_DESCRIPTOR_CONTROL c;
    DWORD rev;

    CU_ASSERT_TRUE_FATAL(InitializeSecurityDescriptor(&sd, SECURITY_DESCRIPTOR_REVISION));
    for (int bit = 0; bit < 16; bit++) {
        SECURITY_DESCRIPTOR_CONTROL b = (SECURITY_DESCRIPTOR_CONTROL)(1u << bit);

        SetLastError(0xbebecaca);
        SetSecurityDescriptorControl(&sd, b, b);
        GetSecurityDescriptorControl(&sd, &c, &rev);
        if (b & mutable_bits) {
            CU_ASSERT_EQUAL(GetLastError(), 0xbebecaca);
            CU_ASSERT_EQUAL(c, b);
        } else {
            CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
            CU_ASSERT_EQUAL(c, 0);
        }
        SetSecurityDescriptorControl(&sd, b & mutable_bits, 0);
    }
}

/* rtl.c test_RtlMakeSelfRelativeSD and security.c test_security_descriptor:
 * a short buffer is ERROR_INSUFFICIENT_BUFFER with the needed size; a
 * self-relative input is ERROR_BAD_DESCRIPTOR_FORMAT. */
static void make_self_relative_sd(void)
{
    SECURITY_DESCRIPTOR sd;
    BYTE buf[256];
    DWORD size = 5;
    PSID owner;
    BOOL defaulted;

    CU_ASSERT_TRUE_FATAL(InitializeSecurityDescriptor(&sd, SECURITY_DESCRIPTOR_REVISION));
    CU_ASSERT_TRUE_FATAL(SetSecurityDescriptorOwner(&sd, &system_sid, FALSE));
    SetLastError(0);
    CU_ASSERT_FALSE(MakeSelfRelativeSD(&sd, buf, &size));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INSUFFICIENT_BUFFER);
    CU_ASSERT_EQUAL(size, sizeof(SECURITY_DESCRIPTOR_RELATIVE) + 12);
    size = sizeof(buf);
    CU_ASSERT_TRUE_FATAL(MakeSelfRelativeSD(&sd, buf, &size));
    CU_ASSERT_TRUE(((SECURITY_DESCRIPTOR_RELATIVE *)buf)->Control & SE_SELF_RELATIVE);
    CU_ASSERT_TRUE(IsValidSecurityDescriptor(buf));
    CU_ASSERT_TRUE(GetSecurityDescriptorOwner(buf, &owner, &defaulted));
    CU_ASSERT_TRUE(EqualSid(owner, &system_sid));
    CU_ASSERT_EQUAL(GetSecurityDescriptorLength(buf), sizeof(SECURITY_DESCRIPTOR_RELATIVE) + 12);
    size = sizeof(buf);
    SetLastError(0);
    CU_ASSERT_FALSE(MakeSelfRelativeSD(buf, buf + 128, &size));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_BAD_DESCRIPTOR_FORMAT);
}

/* security.c test_security_descriptor: MakeAbsoluteSD with no buffers is
 * ERROR_INSUFFICIENT_BUFFER with every size; with them it succeeds and the
 * result converts back to the same self-relative length. */
static void make_absolute_sd_round_trip(void)
{
    PSECURITY_DESCRIPTOR rel;
    DWORD size = 0, dsz = 0, ssz = 0, osz = 0, gsz = 0, relsize;
    BYTE *mem;
    BOOL ok;

    CU_ASSERT_TRUE_FATAL(ConvertStringSecurityDescriptorToSecurityDescriptorA(
        "O:SYG:S-1-5-21-93476-23408-4576D:(A;NP;GAGXGWGR;;;SU)(A;IOID;CCDC;;;SU)"
        "(D;OICI;0xffffffff;;;S-1-5-21-93476-23408-4576)S:(AU;OICINPIOIDSAFA;CCDCLCSWRPRC;;;SU)"
        "(AU;NPSA;0x12019f;;;SU)", SDDL_REVISION_1, &rel, NULL));
    SetLastError(0);
    CU_ASSERT_FALSE(MakeAbsoluteSD(rel, NULL, &size, NULL, &dsz, NULL, &ssz, NULL, &osz, NULL, &gsz));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INSUFFICIENT_BUFFER);
    CU_ASSERT_EQUAL(size, sizeof(SECURITY_DESCRIPTOR));
    CU_ASSERT_TRUE(dsz && ssz && osz && gsz);
    mem = malloc(size + dsz + ssz + osz + gsz);
    ok = MakeAbsoluteSD(rel, mem, &size, (PACL)(mem + size), &dsz, (PACL)(mem + size + dsz), &ssz,
                        mem + size + dsz + ssz, &osz, mem + size + dsz + ssz + osz, &gsz);
    CU_ASSERT_TRUE(ok);
    if (ok) {
        relsize = 0;
        CU_ASSERT_FALSE(MakeSelfRelativeSD(mem, NULL, &relsize));
        CU_ASSERT_EQUAL(GetLastError(), ERROR_INSUFFICIENT_BUFFER);
        CU_ASSERT_EQUAL(relsize, 184);
        CU_ASSERT_TRUE(IsValidSecurityDescriptor(mem));
    }
    free(mem);
    LocalFree(rel);
}

void register_tests(void)
{
    static CU_TestInfo tests[] = {
        TEST(initialize_security_descriptor_revision),
        TEST(is_valid_security_descriptor_error),
        TEST(owner_group_dacl_sacl_round_trip),
        TEST(absent_acl_leaves_pointer_untouched),
        TEST(get_set_errors),
        TEST(set_control_mutable_and_immutable_bits),
        TEST(make_self_relative_sd),
        TEST(make_absolute_sd_round_trip),
        CU_TEST_INFO_NULL,
    };
    testutil_add_suite("emul_advapi32_sd", tests);
}
