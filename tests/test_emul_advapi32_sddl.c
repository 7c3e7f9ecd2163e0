/* test_emul_advapi32_sddl.c - advapi32's SDDL conversions through the
 * Windows ABI, against the results Windows gives as Wine's
 * dlls/advapi32/tests/security.c asserts them
 * (test_ConvertStringSecurityDescriptor,
 * test_ConvertSecurityDescriptorToString). */
#include <ntstatus.h>
#define WIN32_NO_STATUS
#include <ntsec/ntdll.h>
#include <sddl.h>

#include "testutil.h"

static const struct {
    const char *sddl;
    DWORD revision;
    BOOL ok;
    DWORD error;
} cases[] = {
    { "D:(A;;GA;;;WD)", 0xdeadbeef, FALSE, ERROR_UNKNOWN_REVISION },
    { "D:(A;;GA;;;WD)", SDDL_REVISION_1, TRUE, 0 },
    { "D:(D;;GA;;;WD)", SDDL_REVISION_1, TRUE, 0 },
    { "ERROR:(D;;GA;;;WD)", SDDL_REVISION_1, FALSE, ERROR_INVALID_PARAMETER },
    { " D:(D;;GA;;;WD)", SDDL_REVISION_1, TRUE, 0 },
    { "D: (D;;GA;;;WD)", SDDL_REVISION_1, TRUE, 0 },
    { "D:( D;;GA;;;WD)", SDDL_REVISION_1, TRUE, 0 },
    { "D:(D;;GA ;;;WD)", SDDL_REVISION_1, FALSE, ERROR_INVALID_ACL },
    { "D:(D;;GA;;;WD )", SDDL_REVISION_1, TRUE, 0 },
    { "D:(A;;ROB;;;WD)", SDDL_REVISION_1, FALSE, ERROR_INVALID_ACL },
    { "", SDDL_REVISION_1, TRUE, 0 },
    { "D:(D;;GA;;;S-1-0-0)", SDDL_REVISION_1, TRUE, 0 },
    { "D:(D;;GA;;;WDANDSUCH)", SDDL_REVISION_1, FALSE, ERROR_INVALID_ACL },
    { "S:(AU;;0xDeAdBeEf;;;WD)", SDDL_REVISION_1, TRUE, 0 },
    { "D:P(A;;GRGW;;;BA)(A;;GRGW;;;S-1-5-21-0-0-0-1000)S:(ML;;NWNR;;;S-1-16-12288)", SDDL_REVISION_1, TRUE, 0 },
};

/* The accept/reject table and the last error of each rejection. */
static void string_to_sd_accepts_and_rejects_as_windows(void)
{
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        PSECURITY_DESCRIPTOR sd = (PSECURITY_DESCRIPTOR)0x1234;
        BOOL ok;

        SetLastError(0xdeadbeef);
        ok = ConvertStringSecurityDescriptorToSecurityDescriptorA(cases[i].sddl, cases[i].revision, &sd, NULL);
        CU_ASSERT_EQUAL(ok, cases[i].ok);
        if (ok != cases[i].ok || (!ok && GetLastError() != cases[i].error))
            fprintf(stderr, "\"%s\": got %d, error %u\n", cases[i].sddl, ok, (unsigned)GetLastError());
        if (ok) {
            CU_ASSERT_TRUE(IsValidSecurityDescriptor(sd));
            LocalFree(sd);
        } else {
            CU_ASSERT_EQUAL(GetLastError(), cases[i].error);
            CU_ASSERT_PTR_EQUAL(sd, (PSECURITY_DESCRIPTOR)0x1234);
        }
    }
}

/* NULL string or output: ERROR_INVALID_PARAMETER, before the revision. */
static void string_to_sd_null_arguments(void)
{
    PSECURITY_DESCRIPTOR sd;

    SetLastError(0xdeadbeef);
    CU_ASSERT_FALSE(ConvertStringSecurityDescriptorToSecurityDescriptorA(NULL, 0xdeadbeef, &sd, NULL));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    CU_ASSERT_FALSE(ConvertStringSecurityDescriptorToSecurityDescriptorW(NULL, 0xdeadbeef, &sd, NULL));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    CU_ASSERT_FALSE(ConvertStringSecurityDescriptorToSecurityDescriptorA("D:(A;;ROB;;;WD)", 0xdeadbeef, NULL, NULL));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    CU_ASSERT_FALSE(ConvertStringSecurityDescriptorToSecurityDescriptorA("D:(A;;ROB;;;WD)", SDDL_REVISION_1, NULL, NULL));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
}

/* "D:" is a header and an empty revision-2 ACL, size 20 + 8; the ACE mask
 * of "GA" is GENERIC_ALL; the empty W string converts too. */
static void string_to_sd_layout(void)
{
    PSECURITY_DESCRIPTOR sd;
    ULONG size = 0;
    ACL *acl;

    CU_ASSERT_TRUE_FATAL(ConvertStringSecurityDescriptorToSecurityDescriptorA("D:", SDDL_REVISION_1, &sd, &size));
    CU_ASSERT_EQUAL(size, sizeof(SECURITY_DESCRIPTOR_RELATIVE) + sizeof(ACL));
    acl = (ACL *)((char *)sd + sizeof(SECURITY_DESCRIPTOR_RELATIVE));
    CU_ASSERT_EQUAL(acl->AclRevision, ACL_REVISION);
    CU_ASSERT_EQUAL(acl->AclSize, sizeof(ACL));
    CU_ASSERT_EQUAL(acl->AceCount, 0);
    LocalFree(sd);
    CU_ASSERT_TRUE_FATAL(ConvertStringSecurityDescriptorToSecurityDescriptorW(u"D:(A;;GA;;;WD)", SDDL_REVISION_1, &sd, NULL));
    acl = (ACL *)((char *)sd + sizeof(SECURITY_DESCRIPTOR_RELATIVE));
    CU_ASSERT_EQUAL(((ACCESS_ALLOWED_ACE *)(acl + 1))->Mask, GENERIC_ALL);
    LocalFree(sd);
    CU_ASSERT_TRUE_FATAL(ConvertStringSecurityDescriptorToSecurityDescriptorW(u"", SDDL_REVISION_1, &sd, NULL));
    LocalFree(sd);
}

/* test_ConvertSecurityDescriptorToString: the canonical strings, and a
 * length that counts the NUL. */
static void sd_to_string_canonical_form(void)
{
    SECURITY_INFORMATION all = OWNER_SECURITY_INFORMATION | GROUP_SECURITY_INFORMATION |
                               DACL_SECURITY_INFORMATION | SACL_SECURITY_INFORMATION;
    SECURITY_DESCRIPTOR desc;
    BYTE sid_buf[SECURITY_MAX_SID_SIZE], acl_buf[512];
    PACL acl = (PACL)acl_buf;
    DWORD size = sizeof(sid_buf);
    PSID group, su;
    char *s;
    WCHAR *w;
    ULONG len;

    InitializeSecurityDescriptor(&desc, SECURITY_DESCRIPTOR_REVISION);
    CU_ASSERT_TRUE_FATAL(ConvertSecurityDescriptorToStringSecurityDescriptorA(&desc, SDDL_REVISION_1, all, &s, &len));
    CU_ASSERT_STRING_EQUAL(s, "");
    CU_ASSERT_EQUAL(len, 1);
    LocalFree(s);
    CreateWellKnownSid(WinLocalSystemSid, NULL, sid_buf, &size);
    SetSecurityDescriptorOwner(&desc, sid_buf, TRUE);
    ConvertStringSidToSidA("S-1-5-21-93476-23408-4576", &group);
    SetSecurityDescriptorGroup(&desc, group, TRUE);
    ConvertStringSidToSidA("S-1-5-6", &su);
    InitializeAcl(acl, sizeof(acl_buf), ACL_REVISION);
    AddAccessAllowedAceEx(acl, ACL_REVISION, NO_PROPAGATE_INHERIT_ACE, 0xf0000000, su);
    AddAccessAllowedAceEx(acl, ACL_REVISION, INHERIT_ONLY_ACE | INHERITED_ACE, 3, su);
    AddAccessDeniedAceEx(acl, ACL_REVISION, OBJECT_INHERIT_ACE | CONTAINER_INHERIT_ACE, 0xffffffff, group);
    SetSecurityDescriptorDacl(&desc, TRUE, acl, FALSE);
    CU_ASSERT_TRUE_FATAL(ConvertSecurityDescriptorToStringSecurityDescriptorA(&desc, SDDL_REVISION_1, all, &s, &len));
    CU_ASSERT_STRING_EQUAL(s, "O:SYG:S-1-5-21-93476-23408-4576D:(A;NP;GAGXGWGR;;;SU)(A;IOID;CCDC;;;SU)"
                              "(D;OICI;0xffffffff;;;S-1-5-21-93476-23408-4576)");
    CU_ASSERT_EQUAL(len, strlen(s) + 1);
    LocalFree(s);
    CU_ASSERT_TRUE_FATAL(ConvertSecurityDescriptorToStringSecurityDescriptorW(&desc, SDDL_REVISION_1,
                                                                             GROUP_SECURITY_INFORMATION, &w, &len));
    CU_ASSERT_MEM_EQUAL(w, u"G:S-1-5-21-93476-23408-4576", sizeof(u"G:S-1-5-21-93476-23408-4576"));
    CU_ASSERT_EQUAL(len, 28);
    LocalFree(w);
    LocalFree(group);
    LocalFree(su);
}

/* A revision other than SDDL_REVISION_1 is ERROR_UNKNOWN_REVISION; NULL
 * arguments ERROR_INVALID_PARAMETER; the output is untouched. */
static void sd_to_string_errors(void)
{
    SECURITY_DESCRIPTOR desc;
    char *s = (char *)0x1234;

    InitializeSecurityDescriptor(&desc, SECURITY_DESCRIPTOR_REVISION);
    SetLastError(0);
    CU_ASSERT_FALSE(ConvertSecurityDescriptorToStringSecurityDescriptorA(&desc, 2, OWNER_SECURITY_INFORMATION, &s, NULL));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_UNKNOWN_REVISION);
    SetLastError(0);
    CU_ASSERT_FALSE(ConvertSecurityDescriptorToStringSecurityDescriptorA(NULL, SDDL_REVISION_1, OWNER_SECURITY_INFORMATION, &s, NULL));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
    SetLastError(0);
    CU_ASSERT_FALSE(ConvertSecurityDescriptorToStringSecurityDescriptorW(&desc, SDDL_REVISION_1, OWNER_SECURITY_INFORMATION, NULL, NULL));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
    CU_ASSERT_PTR_EQUAL(s, (char *)0x1234);
}

/* Out of memory in either direction: ERROR_NOT_ENOUGH_MEMORY, outputs
 * untouched, nothing leaked, until the call succeeds. */
static void sddl_conversions_out_of_memory(void)
{
    const char *text = "O:BAG:SYD:P(A;OICI;GA;;;BA)(D;;WD;;;WD)S:(AU;SA;GA;;;WD)";
    PSECURITY_DESCRIPTOR base;
    int done = 0;

    CU_ASSERT_TRUE_FATAL(ConvertStringSecurityDescriptorToSecurityDescriptorA(text, SDDL_REVISION_1, &base, NULL));
    for (long n = 0; done != 7; n++) {
        PSECURITY_DESCRIPTOR sd = (PSECURITY_DESCRIPTOR)0x1234;
        WCHAR *w = (WCHAR *)0x1234;
        PSECURITY_DESCRIPTOR sdw = (PSECURITY_DESCRIPTOR)0x1234;

        testutil_fail_alloc_after(n);
        SetLastError(0);
        if (ConvertStringSecurityDescriptorToSecurityDescriptorA(text, SDDL_REVISION_1, &sd, NULL)) { done |= 1; LocalFree(sd); }
        else { CU_ASSERT_EQUAL(GetLastError(), ERROR_NOT_ENOUGH_MEMORY); CU_ASSERT_PTR_EQUAL(sd, (PSECURITY_DESCRIPTOR)0x1234); }
        testutil_fail_alloc_after(n);
        SetLastError(0);
        if (ConvertSecurityDescriptorToStringSecurityDescriptorW(base, SDDL_REVISION_1, 0xf, &w, NULL)) { done |= 2; LocalFree(w); }
        else { CU_ASSERT_EQUAL(GetLastError(), ERROR_NOT_ENOUGH_MEMORY); CU_ASSERT_PTR_EQUAL(w, (WCHAR *)0x1234); }
        testutil_fail_alloc_after(n);
        SetLastError(0);
        if (ConvertStringSecurityDescriptorToSecurityDescriptorW(u"D:(A;;GA;;;WD)", SDDL_REVISION_1, &sdw, NULL)) { done |= 4; LocalFree(sdw); }
        else { CU_ASSERT_EQUAL(GetLastError(), ERROR_NOT_ENOUGH_MEMORY); CU_ASSERT_PTR_EQUAL(sdw, (PSECURITY_DESCRIPTOR)0x1234); }
        testutil_fail_alloc_after(-1);
        CU_ASSERT_FATAL(n < 200);
    }
    LocalFree(base);
}

void register_tests(void)
{
    static CU_TestInfo tests[] = {
        TEST(string_to_sd_accepts_and_rejects_as_windows),
        TEST(string_to_sd_null_arguments),
        TEST(string_to_sd_layout),
        TEST(sd_to_string_canonical_form),
        TEST(sd_to_string_errors),
        TEST(sddl_conversions_out_of_memory),
        CU_TEST_INFO_NULL,
    };
    testutil_add_suite("emul_advapi32_sddl", tests);
}
