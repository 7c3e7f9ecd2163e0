/* test_emul_ntdll.c - ntdll's Rtl security routines and kernel32's last
 * error and LocalAlloc/LocalFree through the Windows ABI, with the
 * prototypes of the WDK (include/ntsec/ntdll.h), against Windows' results
 * (Microsoft docs; Wine's dlls/ntdll/tests/rtl.c asserts some on Windows). */
#include <ntstatus.h>
#define WIN32_NO_STATUS
#include <ntsec/ntdll.h>
#include <pthread.h>

#include "testutil.h"

static SID world = { SID_REVISION, 1, { SECURITY_WORLD_SID_AUTHORITY }, { SECURITY_WORLD_RID } };

/* RtlValidSid/RtlEqualSid/RtlLengthSid (Microsoft docs). */
static void rtl_sid_basics(void)
{
    SID other = world;

    CU_ASSERT_TRUE(RtlValidSid(&world));
    CU_ASSERT_FALSE(RtlValidSid(NULL));
    CU_ASSERT_TRUE(RtlEqualSid(&world, &other));
    other.SubAuthority[0] = 1;
    CU_ASSERT_FALSE(RtlEqualSid(&world, &other));
    CU_ASSERT_EQUAL(RtlLengthSid(&world), 12);
}

/* RtlCopySid (WDK): STATUS_BUFFER_TOO_SMALL for a short buffer, which is
 * left untouched; STATUS_SUCCESS otherwise. */
static void rtl_copy_sid_returns_ntstatus(void)
{
    BYTE buf[16];

    memset(buf, 0xcc, sizeof(buf));
    CU_ASSERT_EQUAL(RtlCopySid(11, buf, &world), STATUS_BUFFER_TOO_SMALL);
    CU_ASSERT_EQUAL(buf[0], 0xcc);
    CU_ASSERT_EQUAL(RtlCopySid(sizeof(buf), buf, &world), STATUS_SUCCESS);
    CU_ASSERT_TRUE(RtlEqualSid(buf, &world));
}

/* RtlInitializeSid (WDK): STATUS_INVALID_PARAMETER over 15 sub-authorities. */
static void rtl_initialize_sid_returns_ntstatus(void)
{
    SID_IDENTIFIER_AUTHORITY nt = { SECURITY_NT_AUTHORITY };
    BYTE buf[SECURITY_MAX_SID_SIZE];

    CU_ASSERT_EQUAL(RtlInitializeSid(buf, &nt, 2), STATUS_SUCCESS);
    CU_ASSERT_EQUAL(((SID *)buf)->SubAuthorityCount, 2);
    *RtlSubAuthoritySid(buf, 0) = 32;
    *RtlSubAuthoritySid(buf, 1) = 544;
    CU_ASSERT_PTR_EQUAL(RtlSubAuthoritySid(buf, 1), buf + 12);
    CU_ASSERT_EQUAL(RtlInitializeSid(buf, &nt, 16), STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(((SID *)buf)->SubAuthorityCount, 2);
}

/* Microsoft docs, RtlConvertSidToUnicodeString: allocation with
 * MaximumLength set, freed by RtlFreeUnicodeString; a short caller buffer
 * is STATUS_BUFFER_OVERFLOW; an invalid SID STATUS_INVALID_SID. */
static void rtl_convert_sid_to_unicode_string(void)
{
    UNICODE_STRING us;
    WCHAR tiny[4], big[32];
    SID bad = { 2, 1, { SECURITY_WORLD_SID_AUTHORITY }, { 0 } };

    CU_ASSERT_EQUAL_FATAL(RtlConvertSidToUnicodeString(&us, &world, TRUE), STATUS_SUCCESS);
    CU_ASSERT_EQUAL(us.Length, 14);
    CU_ASSERT_TRUE(us.MaximumLength >= 16);
    CU_ASSERT_MEM_EQUAL(us.Buffer, u"S-1-1-0", 16);
    RtlFreeUnicodeString(&us);
    CU_ASSERT_PTR_NULL(us.Buffer);
    CU_ASSERT_EQUAL(us.Length, 0);

    us.Buffer = tiny;
    us.Length = 0;
    us.MaximumLength = sizeof(tiny);
    CU_ASSERT_EQUAL(RtlConvertSidToUnicodeString(&us, &world, FALSE), STATUS_BUFFER_OVERFLOW);
    us.Buffer = big;
    us.MaximumLength = sizeof(big);
    CU_ASSERT_EQUAL(RtlConvertSidToUnicodeString(&us, &world, FALSE), STATUS_SUCCESS);
    CU_ASSERT_EQUAL(us.Length, 14);
    CU_ASSERT_MEM_EQUAL(big, u"S-1-1-0", 14);
    CU_ASSERT_EQUAL(RtlConvertSidToUnicodeString(&us, &bad, TRUE), STATUS_INVALID_SID);
    CU_ASSERT_EQUAL(RtlConvertSidToUnicodeString(&us, NULL, TRUE), STATUS_INVALID_SID);
}

/* Allocation failure gives STATUS_NO_MEMORY and leaves the string alone. */
static void rtl_convert_sid_to_unicode_string_out_of_memory(void)
{
    for (long n = 0;; n++) {
        UNICODE_STRING us = { 0, 0, NULL };
        NTSTATUS st;

        testutil_fail_alloc_after(n);
        st = RtlConvertSidToUnicodeString(&us, &world, TRUE);
        testutil_fail_alloc_after(-1);
        if (st == STATUS_SUCCESS) {
            RtlFreeUnicodeString(&us);
            break;
        }
        CU_ASSERT_EQUAL(st, STATUS_NO_MEMORY);
        CU_ASSERT_PTR_NULL(us.Buffer);
        CU_ASSERT_FATAL(n < 10);
    }
}

/* RtlCreateAcl, RtlAddAccess*Ace(Ex), RtlGetAce, RtlValidAcl, RtlAddAce. */
static void rtl_acl_routines(void)
{
    BYTE buf[256], copy[256];
    PACL acl = (PACL)buf;
    ACE_HEADER *ace;

    CU_ASSERT_EQUAL(RtlCreateAcl(acl, 4, ACL_REVISION), STATUS_BUFFER_TOO_SMALL);
    CU_ASSERT_EQUAL(RtlCreateAcl(acl, sizeof(buf), 1), STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL_FATAL(RtlCreateAcl(acl, sizeof(buf), ACL_REVISION), STATUS_SUCCESS);
    CU_ASSERT_TRUE(RtlValidAcl(acl));
    CU_ASSERT_EQUAL(RtlAddAccessAllowedAce(acl, ACL_REVISION, 1, &world), STATUS_SUCCESS);
    CU_ASSERT_EQUAL(RtlAddAccessDeniedAce(acl, ACL_REVISION, 2, &world), STATUS_SUCCESS);
    CU_ASSERT_EQUAL(RtlAddAccessAllowedAceEx(acl, ACL_REVISION, OBJECT_INHERIT_ACE, 3, &world), STATUS_SUCCESS);
    CU_ASSERT_EQUAL(RtlAddAccessDeniedAceEx(acl, ACL_REVISION, CONTAINER_INHERIT_ACE, 4, &world), STATUS_SUCCESS);
    CU_ASSERT_EQUAL(acl->AceCount, 4);
    CU_ASSERT_EQUAL(RtlAddAccessAllowedAce(acl, ACL_REVISION, 1, NULL), STATUS_INVALID_SID);
    CU_ASSERT_EQUAL_FATAL(RtlGetAce(acl, 3, (void **)&ace), STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ace->AceType, ACCESS_DENIED_ACE_TYPE);
    CU_ASSERT_EQUAL(ace->AceFlags, CONTAINER_INHERIT_ACE);
    CU_ASSERT_EQUAL(RtlGetAce(acl, 4, (void **)&ace), STATUS_INVALID_PARAMETER);
    memcpy(copy, ace, ace->AceSize);
    CU_ASSERT_EQUAL(RtlAddAce(acl, ACL_REVISION, 0, (PACE_HEADER)copy, ((ACE_HEADER *)copy)->AceSize),
                    STATUS_SUCCESS);
    CU_ASSERT_EQUAL(RtlGetAce(acl, 0, (void **)&ace), STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ace->AceType, ACCESS_DENIED_ACE_TYPE);
    CU_ASSERT_FALSE(RtlValidAcl(NULL));
}

/* RtlMapGenericMask (Microsoft docs). */
static void rtl_map_generic_mask(void)
{
    GENERIC_MAPPING m = { 1, 2, 4, 0x1ff };
    ACCESS_MASK mask = GENERIC_WRITE | GENERIC_EXECUTE | 0x10000;

    RtlMapGenericMask(&mask, &m);
    CU_ASSERT_EQUAL(mask, 6 | 0x10000);
}

/* rtl.c test_RtlMakeSelfRelativeSD: sizes, and the self-relative input
 * that RtlMakeSelfRelativeSD copies but RtlAbsoluteToSelfRelativeSD
 * refuses with STATUS_BAD_DESCRIPTOR_FORMAT. */
static void rtl_make_self_relative_sd(void)
{
    BYTE buf[sizeof(SECURITY_DESCRIPTOR_RELATIVE) + 4];
    SECURITY_DESCRIPTOR sd;
    DWORD len = 0;
    ULONG ulen = 0;

    memset(&sd, 0, sizeof(sd));
    sd.Revision = SECURITY_DESCRIPTOR_REVISION;
    CU_ASSERT_EQUAL(RtlMakeSelfRelativeSD(&sd, NULL, &len), STATUS_BUFFER_TOO_SMALL);
    CU_ASSERT_EQUAL(len, sizeof(SECURITY_DESCRIPTOR_RELATIVE));
    len += 4;
    CU_ASSERT_EQUAL(RtlMakeSelfRelativeSD(&sd, buf, &len), STATUS_SUCCESS);
    CU_ASSERT_EQUAL(len, sizeof(SECURITY_DESCRIPTOR_RELATIVE) + 4);
    CU_ASSERT_EQUAL(RtlAbsoluteToSelfRelativeSD(&sd, NULL, &ulen), STATUS_BUFFER_TOO_SMALL);
    CU_ASSERT_EQUAL(ulen, sizeof(SECURITY_DESCRIPTOR_RELATIVE));
    ulen += 4;
    CU_ASSERT_EQUAL(RtlAbsoluteToSelfRelativeSD(&sd, buf, &ulen), STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ulen, sizeof(SECURITY_DESCRIPTOR_RELATIVE) + 4);
    sd.Control = SE_SELF_RELATIVE;
    CU_ASSERT_EQUAL(RtlMakeSelfRelativeSD(&sd, buf, &len), STATUS_SUCCESS);
    CU_ASSERT_EQUAL(len, sizeof(SECURITY_DESCRIPTOR_RELATIVE) + 4);
    CU_ASSERT_EQUAL(RtlAbsoluteToSelfRelativeSD(&sd, buf, &ulen), STATUS_BAD_DESCRIPTOR_FORMAT);
}

/* RtlCreateSecurityDescriptor, setters, validation, and the round trip
 * through RtlSelfRelativeToAbsoluteSD (Microsoft docs). */
static void rtl_security_descriptor_routines(void)
{
    SECURITY_DESCRIPTOR sd, abs;
    BYTE rel[128], dacl[64], owner[SECURITY_MAX_SID_SIZE], group[SECURITY_MAX_SID_SIZE], sacl[8];
    BYTE acl_buf[64];
    DWORD len = sizeof(rel), abs_len = sizeof(abs), dacl_len = sizeof(dacl), sacl_len = 0;
    DWORD owner_len = sizeof(owner), group_len = sizeof(group);

    CU_ASSERT_EQUAL(RtlCreateSecurityDescriptor(&sd, 2), STATUS_UNKNOWN_REVISION);
    CU_ASSERT_EQUAL_FATAL(RtlCreateSecurityDescriptor(&sd, SECURITY_DESCRIPTOR_REVISION), STATUS_SUCCESS);
    CU_ASSERT_TRUE(RtlValidSecurityDescriptor(&sd));
    CU_ASSERT_EQUAL(RtlCreateAcl((PACL)acl_buf, sizeof(acl_buf), ACL_REVISION), STATUS_SUCCESS);
    CU_ASSERT_EQUAL(RtlAddAccessAllowedAce((PACL)acl_buf, ACL_REVISION, GENERIC_ALL, &world), STATUS_SUCCESS);
    CU_ASSERT_EQUAL(RtlSetOwnerSecurityDescriptor(&sd, &world, FALSE), STATUS_SUCCESS);
    CU_ASSERT_EQUAL(RtlSetGroupSecurityDescriptor(&sd, &world, TRUE), STATUS_SUCCESS);
    CU_ASSERT_EQUAL(RtlSetDaclSecurityDescriptor(&sd, TRUE, (PACL)acl_buf, FALSE), STATUS_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(RtlMakeSelfRelativeSD(&sd, rel, &len), STATUS_SUCCESS);
    /* The whole ACL (AclSize 64) is copied, not only its ACEs. */
    CU_ASSERT_EQUAL(RtlLengthSecurityDescriptor(rel), 20 + 12 + 12 + 64);
    CU_ASSERT_TRUE(RtlValidRelativeSecurityDescriptor(rel, 108, OWNER_SECURITY_INFORMATION));
    CU_ASSERT_FALSE(RtlValidRelativeSecurityDescriptor(rel, 100, OWNER_SECURITY_INFORMATION));
    CU_ASSERT_EQUAL_FATAL(RtlSelfRelativeToAbsoluteSD(rel, &abs, &abs_len, (PACL)dacl, &dacl_len,
                                                      (PACL)sacl, &sacl_len, owner, &owner_len,
                                                      group, &group_len), STATUS_SUCCESS);
    CU_ASSERT_TRUE(RtlEqualSid(abs.Owner, &world));
    CU_ASSERT_EQUAL(abs.Control & SE_GROUP_DEFAULTED, SE_GROUP_DEFAULTED);
    CU_ASSERT_EQUAL(((PACL)abs.Dacl)->AceCount, 1);
    owner_len = 4;
    CU_ASSERT_EQUAL(RtlSelfRelativeToAbsoluteSD(rel, &abs, &abs_len, (PACL)dacl, &dacl_len,
                                                (PACL)sacl, &sacl_len, owner, &owner_len,
                                                group, &group_len), STATUS_BUFFER_TOO_SMALL);
    CU_ASSERT_EQUAL(owner_len, 12);
    sd.Revision = 5;
    CU_ASSERT_FALSE(RtlValidSecurityDescriptor(&sd));
    CU_ASSERT_FALSE(RtlValidSecurityDescriptor(NULL));
}

/* The last error is per thread: a new thread starts at 0 and its
 * SetLastError does not reach this one (Microsoft docs, GetLastError). */
static void *other_thread(void *arg)
{
    DWORD *seen = arg;

    *seen = GetLastError();
    SetLastError(77);
    return NULL;
}

static void last_error_is_per_thread(void)
{
    pthread_t t;
    DWORD seen = 0xffffffff;

    SetLastError(1234);
    CU_ASSERT_EQUAL_FATAL(pthread_create(&t, NULL, other_thread, &seen), 0);
    pthread_join(t, NULL);
    CU_ASSERT_EQUAL(seen, 0);
    CU_ASSERT_EQUAL(GetLastError(), 1234);
}

/* LocalAlloc (Microsoft docs): LPTR memory is zeroed; LocalFree returns
 * NULL and accepts NULL; movable memory is refused with
 * ERROR_INVALID_PARAMETER (docs/abi.md). */
static void local_alloc_fixed_and_zeroinit(void)
{
    BYTE *p = LocalAlloc(LPTR, 64);
    int zero = 1;

    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    for (int i = 0; i < 64; i++)
        zero &= p[i] == 0;
    CU_ASSERT_TRUE(zero);
    CU_ASSERT_PTR_NULL(LocalFree(p));
    p = LocalAlloc(LMEM_FIXED, 16);
    CU_ASSERT_PTR_NOT_NULL(p);
    CU_ASSERT_PTR_NULL(LocalFree(p));
    CU_ASSERT_PTR_NULL(LocalFree(NULL));
    SetLastError(0);
    CU_ASSERT_PTR_NULL(LocalAlloc(LMEM_MOVEABLE, 16));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
}

/* LocalAlloc out of memory: NULL and ERROR_NOT_ENOUGH_MEMORY. */
static void local_alloc_out_of_memory(void)
{
    testutil_fail_alloc_after(0);
    SetLastError(0);
    CU_ASSERT_PTR_NULL(LocalAlloc(LPTR, 8));
    testutil_fail_alloc_after(-1);
    CU_ASSERT_EQUAL(GetLastError(), ERROR_NOT_ENOUGH_MEMORY);
}

void register_tests(void)
{
    static CU_TestInfo tests[] = {
        TEST(rtl_sid_basics),
        TEST(rtl_copy_sid_returns_ntstatus),
        TEST(rtl_initialize_sid_returns_ntstatus),
        TEST(rtl_convert_sid_to_unicode_string),
        TEST(rtl_convert_sid_to_unicode_string_out_of_memory),
        TEST(rtl_acl_routines),
        TEST(rtl_map_generic_mask),
        TEST(rtl_make_self_relative_sd),
        TEST(rtl_security_descriptor_routines),
        TEST(last_error_is_per_thread),
        TEST(local_alloc_fixed_and_zeroinit),
        TEST(local_alloc_out_of_memory),
        CU_TEST_INFO_NULL,
    };
    testutil_add_suite("emul_ntdll", tests);
}
