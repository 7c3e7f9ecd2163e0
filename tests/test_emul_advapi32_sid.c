/* test_emul_advapi32_sid.c - advapi32's SID functions through the Windows
 * ABI, against the results Windows gives (Wine's dlls/advapi32/tests/
 * security.c and dlls/ntdll/tests/rtl.c assert them on Windows; Microsoft
 * docs otherwise). */
#include <ntstatus.h>
#define WIN32_NO_STATUS
#include <ntsec/ntdll.h>
#include <sddl.h>

#include "testutil.h"

static SID_IDENTIFIER_AUTHORITY nt_auth = { SECURITY_NT_AUTHORITY };
static SID_IDENTIFIER_AUTHORITY world_auth = { SECURITY_WORLD_SID_AUTHORITY };

/* security.c test_EqualSid: success leaves the last error alone. */
static void allocate_and_initialize_sid_builds_the_sid(void)
{
    PSID sid = NULL;
    SID *s;

    SetLastError(0xdeadbeef);
    CU_ASSERT_TRUE_FATAL(AllocateAndInitializeSid(&nt_auth, 2, SECURITY_BUILTIN_DOMAIN_RID,
                                                  DOMAIN_ALIAS_RID_ADMINS, 0, 0, 0, 0, 0, 0, &sid));
    CU_ASSERT_EQUAL(GetLastError(), 0xdeadbeef);
    s = sid;
    CU_ASSERT_EQUAL(s->Revision, SID_REVISION);
    CU_ASSERT_EQUAL(s->SubAuthorityCount, 2);
    CU_ASSERT_EQUAL(s->IdentifierAuthority.Value[5], 5);
    CU_ASSERT_EQUAL(s->SubAuthority[0], 32);
    CU_ASSERT_EQUAL(s->SubAuthority[1], 544);
    CU_ASSERT_EQUAL(GetLengthSid(sid), 16);
    CU_ASSERT_TRUE(IsValidSid(sid));
    CU_ASSERT_PTR_NULL(FreeSid(sid));
}

/* rtl.c test_RtlAllocateAndInitializeSid: nine sub-authorities give
 * STATUS_INVALID_SID, i.e. ERROR_INVALID_SID. */
static void allocate_and_initialize_sid_rejects_more_than_eight(void)
{
    PSID sid = (PSID)0x1234;

    SetLastError(0);
    CU_ASSERT_FALSE(AllocateAndInitializeSid(&nt_auth, 9, 1, 2, 3, 4, 5, 6, 7, 8, &sid));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_SID);
    CU_ASSERT_PTR_EQUAL(sid, (PSID)0x1234);
}

/* Windows faults on a NULL output; ntsec reports ERROR_NOACCESS (docs/abi.md). */
static void allocate_and_initialize_sid_null_output_fails(void)
{
    SetLastError(0);
    CU_ASSERT_FALSE(AllocateAndInitializeSid(&nt_auth, 1, 1, 0, 0, 0, 0, 0, 0, 0, NULL));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_NOACCESS);
    CU_ASSERT_FALSE(AllocateAndInitializeSid(NULL, 1, 1, 0, 0, 0, 0, 0, 0, 0, NULL));
}

/* Out of memory: FALSE, ERROR_NOT_ENOUGH_MEMORY, output untouched. */
static void allocate_and_initialize_sid_out_of_memory(void)
{
    for (long n = 0;; n++) {
        PSID sid = (PSID)0x1234;
        BOOL ok;

        testutil_fail_alloc_after(n);
        SetLastError(0);
        ok = AllocateAndInitializeSid(&world_auth, 1, 0, 0, 0, 0, 0, 0, 0, 0, &sid);
        testutil_fail_alloc_after(-1);
        if (ok) {
            FreeSid(sid);
            break;
        }
        CU_ASSERT_EQUAL(GetLastError(), ERROR_NOT_ENOUGH_MEMORY);
        CU_ASSERT_PTR_EQUAL(sid, (PSID)0x1234);
    }
}

/* security.c test_EqualSid: FreeSid returns NULL, last error untouched. */
static void free_sid_returns_null_and_keeps_last_error(void)
{
    PSID sid;

    CU_ASSERT_TRUE_FATAL(AllocateAndInitializeSid(&world_auth, 1, 0, 0, 0, 0, 0, 0, 0, 0, &sid));
    SetLastError(0xdeadbeef);
    CU_ASSERT_PTR_NULL(FreeSid(sid));
    CU_ASSERT_EQUAL(GetLastError(), 0xdeadbeef);
}

/* InitializeSid (Microsoft docs): writes the header; over 15
 * sub-authorities is STATUS_INVALID_PARAMETER, ERROR_INVALID_PARAMETER. */
static void initialize_sid_writes_header_and_rejects_sixteen(void)
{
    BYTE buf[SECURITY_MAX_SID_SIZE];
    SID *s = (SID *)buf;

    memset(buf, 0xcc, sizeof(buf));
    CU_ASSERT_TRUE(InitializeSid(buf, &nt_auth, 3));
    CU_ASSERT_EQUAL(s->Revision, 1);
    CU_ASSERT_EQUAL(s->SubAuthorityCount, 3);
    CU_ASSERT_EQUAL(s->IdentifierAuthority.Value[5], 5);
    CU_ASSERT_EQUAL(GetLengthSid(buf), 20);

    memset(buf, 0xcc, sizeof(buf));
    SetLastError(0);
    CU_ASSERT_FALSE(InitializeSid(buf, &nt_auth, 16));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(buf[0], 0xcc);
}

/* security.c test_GetSidSubAuthority: pointers even past the count, and
 * ERROR_SUCCESS each time. */
static void sub_authority_accessors_set_error_success(void)
{
    PSID sid;

    CU_ASSERT_TRUE_FATAL(ConvertStringSidToSidA("S-1-5-21-93476-23408-4576", &sid));
    SetLastError(0xbebecaca);
    CU_ASSERT_EQUAL(*GetSidSubAuthorityCount(sid), 4);
    CU_ASSERT_EQUAL(GetLastError(), 0);
    SetLastError(0xbebecaca);
    CU_ASSERT_EQUAL(*GetSidSubAuthority(sid, 0), 21);
    CU_ASSERT_EQUAL(GetLastError(), 0);
    SetLastError(0xbebecaca);
    CU_ASSERT_EQUAL(*GetSidSubAuthority(sid, 1), 93476);
    SetLastError(0xbebecaca);
    CU_ASSERT_PTR_NOT_NULL(GetSidSubAuthority(sid, 4));
    CU_ASSERT_EQUAL(GetLastError(), 0);
    LocalFree(sid);
}

/* security.c test_GetSidIdentifierAuthority: an invalid SID and even NULL
 * give a non-NULL pointer and ERROR_SUCCESS. */
static void identifier_authority_of_any_sid_sets_error_success(void)
{
    BYTE buf[SECURITY_MAX_SID_SIZE];

    memset(buf, 0xcc, sizeof(buf));
    CU_ASSERT_FALSE(IsValidSid(buf));
    SetLastError(0xdeadbeef);
    CU_ASSERT_PTR_EQUAL(GetSidIdentifierAuthority(buf), (void *)(buf + 2));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_SUCCESS);
    SetLastError(0xdeadbeef);
    CU_ASSERT_PTR_NOT_NULL(GetSidIdentifierAuthority(NULL));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_SUCCESS);
}

/* GetSidLengthRequired (Microsoft docs): 8 + 4 * count. */
static void sid_length_required_is_eight_plus_four_per_sub_authority(void)
{
    CU_ASSERT_EQUAL(GetSidLengthRequired(0), 8);
    CU_ASSERT_EQUAL(GetSidLengthRequired(1), 12);
    CU_ASSERT_EQUAL(GetSidLengthRequired(15), 68);
}

/* CopySid (Microsoft docs): a short buffer fails with
 * ERROR_INSUFFICIENT_BUFFER and writes nothing. */
static void copy_sid_short_buffer_is_insufficient_buffer(void)
{
    PSID sid;
    BYTE buf[SECURITY_MAX_SID_SIZE];

    CU_ASSERT_TRUE_FATAL(AllocateAndInitializeSid(&nt_auth, 2, 32, 544, 0, 0, 0, 0, 0, 0, &sid));
    memset(buf, 0xcc, sizeof(buf));
    SetLastError(0);
    CU_ASSERT_FALSE(CopySid(15, buf, sid));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INSUFFICIENT_BUFFER);
    CU_ASSERT_EQUAL(buf[0], 0xcc);
    SetLastError(0xdeadbeef);
    CU_ASSERT_TRUE(CopySid(16, buf, sid));
    CU_ASSERT_EQUAL(GetLastError(), 0xdeadbeef);
    CU_ASSERT_TRUE(EqualSid(buf, sid));
    FreeSid(sid);
}

/* security.c test_EqualSid: ERROR_SUCCESS whether equal, different or invalid. */
static void equal_sid_sets_error_success(void)
{
    PSID a, b, w;

    CU_ASSERT_TRUE_FATAL(AllocateAndInitializeSid(&nt_auth, 2, 32, 544, 0, 0, 0, 0, 0, 0, &a));
    CU_ASSERT_TRUE_FATAL(AllocateAndInitializeSid(&nt_auth, 2, 32, 544, 0, 0, 0, 0, 0, 0, &b));
    CU_ASSERT_TRUE_FATAL(AllocateAndInitializeSid(&world_auth, 1, 0, 0, 0, 0, 0, 0, 0, 0, &w));
    SetLastError(0xdeadbeef);
    CU_ASSERT_FALSE(EqualSid(a, w));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_SUCCESS);
    SetLastError(0xdeadbeef);
    CU_ASSERT_TRUE(EqualSid(a, b));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_SUCCESS);
    ((SID *)b)->Revision = 2;
    SetLastError(0xdeadbeef);
    CU_ASSERT_FALSE(EqualSid(a, b));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_SUCCESS);
    FreeSid(a);
    FreeSid(b);
    FreeSid(w);
}

/* EqualPrefixSid (Microsoft docs): equal but for the last sub-authority. */
static void equal_prefix_sid_ignores_last_sub_authority(void)
{
    PSID a, b, c;

    CU_ASSERT_TRUE_FATAL(ConvertStringSidToSidA("S-1-5-21-1-2-3-500", &a));
    CU_ASSERT_TRUE_FATAL(ConvertStringSidToSidA("S-1-5-21-1-2-3-501", &b));
    CU_ASSERT_TRUE_FATAL(ConvertStringSidToSidA("S-1-5-21-1-2-4-500", &c));
    CU_ASSERT_TRUE(EqualPrefixSid(a, b));
    CU_ASSERT_FALSE(EqualPrefixSid(a, c));
    CU_ASSERT_FALSE(EqualPrefixSid(a, NULL));
    LocalFree(a);
    LocalFree(b);
    LocalFree(c);
}

/* IsValidSid (Microsoft docs): revision 1, at most 15 sub-authorities;
 * no extended error, so the last error is untouched. */
static void is_valid_sid_checks_revision_and_count(void)
{
    SID s = { SID_REVISION, 1, { SECURITY_WORLD_SID_AUTHORITY }, { 0 } };

    SetLastError(0xdeadbeef);
    CU_ASSERT_TRUE(IsValidSid(&s));
    s.Revision = 2;
    CU_ASSERT_FALSE(IsValidSid(&s));
    s.Revision = 1;
    s.SubAuthorityCount = 16;
    CU_ASSERT_FALSE(IsValidSid(&s));
    CU_ASSERT_FALSE(IsValidSid(NULL));
    CU_ASSERT_EQUAL(GetLastError(), 0xdeadbeef);
}

/* security.c test_CreateWellKnownSid: INSUFFICIENT_BUFFER with the size,
 * then INVALID_PARAMETER for a NULL buffer, then success. */
static void create_well_known_sid_size_protocol(void)
{
    BYTE buf[SECURITY_MAX_SID_SIZE];
    DWORD size = 0;
    char *str;

    SetLastError(0xdeadbeef);
    CU_ASSERT_FALSE(CreateWellKnownSid(WinInteractiveSid, NULL, NULL, &size));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INSUFFICIENT_BUFFER);
    CU_ASSERT_EQUAL(size, 12);
    SetLastError(0xdeadbeef);
    CU_ASSERT_FALSE(CreateWellKnownSid(WinInteractiveSid, NULL, NULL, &size));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
    size = sizeof(buf);
    CU_ASSERT_TRUE_FATAL(CreateWellKnownSid(WinInteractiveSid, NULL, buf, &size));
    CU_ASSERT_EQUAL(size, 12);
    CU_ASSERT_TRUE_FATAL(ConvertSidToStringSidA(buf, &str));
    CU_ASSERT_STRING_EQUAL(str, "S-1-5-4");
    LocalFree(str);
    SetLastError(0);
    CU_ASSERT_FALSE(CreateWellKnownSid(WinInteractiveSid, NULL, buf, NULL));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
}

/* security.c test_CreateWellKnownSid: domain types append the RID to the
 * domain SID, whatever its shape; without a domain they fail. */
static void create_well_known_sid_domain_types(void)
{
    PSID domain;
    BYTE buf[SECURITY_MAX_SID_SIZE];
    DWORD size = sizeof(buf);
    char *str;

    CU_ASSERT_TRUE_FATAL(AllocateAndInitializeSid(&nt_auth, 6, SECURITY_NT_NON_UNIQUE, 12, 23, 34,
                                                  45, 56, 0, 0, &domain));
    CU_ASSERT_TRUE_FATAL(CreateWellKnownSid(WinAccountAdministratorSid, domain, buf, &size));
    CU_ASSERT_EQUAL(size, GetSidLengthRequired(7));
    CU_ASSERT_TRUE_FATAL(ConvertSidToStringSidA(buf, &str));
    CU_ASSERT_STRING_EQUAL(str, "S-1-5-21-12-23-34-45-56-500");
    LocalFree(str);
    size = sizeof(buf);
    SetLastError(0);
    CU_ASSERT_FALSE(CreateWellKnownSid(WinAccountAdministratorSid, NULL, buf, &size));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
    /* A non-domain type with a domain gives the same SID as without. */
    size = sizeof(buf);
    CU_ASSERT_TRUE(CreateWellKnownSid(WinBuiltinAdministratorsSid, domain, buf, &size));
    CU_ASSERT_TRUE(IsWellKnownSid(buf, WinBuiltinAdministratorsSid));
    CU_ASSERT_FALSE(IsWellKnownSid(buf, WinBuiltinUsersSid));
    FreeSid(domain);
}

/* CreateWellKnownSid (Microsoft docs): an unknown type is
 * ERROR_INVALID_PARAMETER; so is an invalid domain SID (security.c). */
static void create_well_known_sid_bad_type_or_domain(void)
{
    BYTE buf[SECURITY_MAX_SID_SIZE], bad[12] = { 7, 1 };
    DWORD size = sizeof(buf);

    SetLastError(0);
    CU_ASSERT_FALSE(CreateWellKnownSid((WELL_KNOWN_SID_TYPE)100000, NULL, buf, &size));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
    SetLastError(0);
    CU_ASSERT_FALSE(CreateWellKnownSid(WinWorldSid, bad, buf, &size));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
}

/* security.c test_ConvertStringSidToSid: the reference SIDs both ways
 * (authority in decimal below 2^32). */
static void sid_strings_round_trip(void)
{
    static const struct { BYTE auth[6]; const char *str; } refs[] = {
        { { 0, 0, 0x33, 0x44, 0x55, 0x66 }, "S-1-860116326-1" },
        { { 0, 0, 1, 2, 3, 4 }, "S-1-16909060-1" },
        { { 0, 0, 0, 1, 2, 3 }, "S-1-66051-1" },
        { { 0, 0, 0, 0, 1, 2 }, "S-1-258-1" },
        { { 0, 0, 0, 0, 0, 2 }, "S-1-2-1" },
        { { 0, 0, 0, 0, 0, 12 }, "S-1-12-1" },
    };

    for (size_t i = 0; i < sizeof(refs) / sizeof(refs[0]); i++) {
        SID_IDENTIFIER_AUTHORITY auth;
        PSID sid;
        char *str;

        memcpy(auth.Value, refs[i].auth, 6);
        CU_ASSERT_TRUE_FATAL(AllocateAndInitializeSid(&auth, 1, 1, 0, 0, 0, 0, 0, 0, 0, &sid));
        CU_ASSERT_TRUE_FATAL(ConvertSidToStringSidA(sid, &str));
        CU_ASSERT_STRING_EQUAL(str, refs[i].str);
        LocalFree(str);
        FreeSid(sid);
        CU_ASSERT_TRUE_FATAL(ConvertStringSidToSidA(refs[i].str, &sid));
        CU_ASSERT_MEM_EQUAL(((SID *)sid)->IdentifierAuthority.Value, refs[i].auth, 6);
        LocalFree(sid);
    }
}

/* security.c test_ConvertStringSidToSid: aliases, lower case and hex. */
static void string_sid_aliases_and_forms(void)
{
    static const struct { const char *in, *out; } cases[] = {
        { "WD", "S-1-1-0" }, { "wD", "S-1-1-0" }, { "CO", "S-1-3-0" }, { "NU", "S-1-5-2" },
        { "SY", "S-1-5-18" }, { "BA", "S-1-5-32-544" }, { "BU", "S-1-5-32-545" },
        { "s-1-12-1", "S-1-12-1" }, { "S-0x1-0XC-0x1a", "S-1-12-26" },
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        PSID sid;
        char *str;

        if (!ConvertStringSidToSidA(cases[i].in, &sid)) {
            CU_FAIL("ConvertStringSidToSidA");
            fprintf(stderr, "%s: error %u\n", cases[i].in, (unsigned)GetLastError());
            continue;
        }
        CU_ASSERT_TRUE_FATAL(ConvertSidToStringSidA(sid, &str));
        CU_ASSERT_STRING_EQUAL(str, cases[i].out);
        LocalFree(str);
        LocalFree(sid);
    }
}

/* security.c test_ConvertStringSidToSid: NULL arguments are
 * ERROR_INVALID_PARAMETER; "S-1-5" and trailing text are ERROR_INVALID_SID. */
static void string_to_sid_errors(void)
{
    PSID sid = (PSID)0x1234;

    SetLastError(0);
    CU_ASSERT_FALSE(ConvertStringSidToSidA(NULL, NULL));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
    SetLastError(0);
    CU_ASSERT_FALSE(ConvertStringSidToSidA("S-1-5-32-544", NULL));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
    SetLastError(0);
    CU_ASSERT_FALSE(ConvertStringSidToSidA(NULL, &sid));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
    SetLastError(0);
    CU_ASSERT_FALSE(ConvertStringSidToSidW(NULL, &sid));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
    SetLastError(0);
    CU_ASSERT_FALSE(ConvertStringSidToSidA("S-1-5", &sid));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_SID);
    SetLastError(0);
    CU_ASSERT_FALSE(ConvertStringSidToSidA("WDandmorecharacters", &sid));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_SID);
    SetLastError(0);
    CU_ASSERT_FALSE(ConvertStringSidToSidA("WD)", &sid));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_SID);
    SetLastError(0);
    CU_ASSERT_FALSE(ConvertStringSidToSidW(u"S-1-5-\xD800", &sid));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_SID);
    CU_ASSERT_PTR_EQUAL(sid, (PSID)0x1234);
}

/* ConvertSidToStringSid/ConvertStringSidToSid W forms: UTF-16 strings,
 * freed with LocalFree. */
static void wide_sid_strings(void)
{
    PSID sid;
    WCHAR *w;

    CU_ASSERT_TRUE_FATAL(ConvertStringSidToSidW(u"S-1-5-21-93476-23408-4576", &sid));
    CU_ASSERT_EQUAL(*GetSidSubAuthorityCount(sid), 4);
    CU_ASSERT_TRUE_FATAL(ConvertSidToStringSidW(sid, &w));
    CU_ASSERT_MEM_EQUAL(w, u"S-1-5-21-93476-23408-4576", sizeof(u"S-1-5-21-93476-23408-4576"));
    LocalFree(w);
    LocalFree(sid);
}

/* ConvertSidToStringSid (Microsoft docs): ERROR_INVALID_SID for an invalid
 * SID, ERROR_INVALID_PARAMETER for a NULL output. The hex form is used
 * from 2^32 up (RtlConvertSidToUnicodeString, Remarks). */
static void sid_to_string_errors_and_hex_authority(void)
{
    SID bad = { 2, 1, { SECURITY_WORLD_SID_AUTHORITY }, { 0 } };
    SID_IDENTIFIER_AUTHORITY big = { { 0, 0x28, 0x65, 0x1F, 0xE8, 0x48 } };
    PSID sid;
    char *str = (char *)0x1234;
    WCHAR *w = (WCHAR *)0x1234;

    SetLastError(0);
    CU_ASSERT_FALSE(ConvertSidToStringSidA(&bad, &str));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_SID);
    SetLastError(0);
    CU_ASSERT_FALSE(ConvertSidToStringSidW(NULL, &w));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_SID);
    SetLastError(0);
    CU_ASSERT_FALSE(ConvertSidToStringSidA(&bad, NULL));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
    CU_ASSERT_PTR_EQUAL(str, (char *)0x1234);
    CU_ASSERT_PTR_EQUAL(w, (WCHAR *)0x1234);
    CU_ASSERT_TRUE_FATAL(AllocateAndInitializeSid(&big, 4, 12, 72, 9, 110, 0, 0, 0, 0, &sid));
    CU_ASSERT_TRUE_FATAL(ConvertSidToStringSidA(sid, &str));
    CU_ASSERT_STRING_EQUAL(str, "S-1-0x28651FE848-12-72-9-110");
    LocalFree(str);
    FreeSid(sid);
}

/* Out of memory in the string conversions: ERROR_NOT_ENOUGH_MEMORY,
 * outputs untouched, nothing leaked. */
static void sid_string_conversions_out_of_memory(void)
{
    PSID sid;
    int done = 0;

    CU_ASSERT_TRUE_FATAL(ConvertStringSidToSidA("S-1-5-32-544", &sid));
    for (long n = 0; done != 15; n++) {
        char *a = (char *)0x1234;
        WCHAR *w = (WCHAR *)0x1234;
        PSID s1 = (PSID)0x1234, s2 = (PSID)0x1234;

        testutil_fail_alloc_after(n);
        SetLastError(0);
        if (ConvertSidToStringSidA(sid, &a)) { done |= 1; LocalFree(a); }
        else { CU_ASSERT_EQUAL(GetLastError(), ERROR_NOT_ENOUGH_MEMORY); CU_ASSERT_PTR_EQUAL(a, (char *)0x1234); }
        testutil_fail_alloc_after(n);
        SetLastError(0);
        if (ConvertSidToStringSidW(sid, &w)) { done |= 2; LocalFree(w); }
        else { CU_ASSERT_EQUAL(GetLastError(), ERROR_NOT_ENOUGH_MEMORY); CU_ASSERT_PTR_EQUAL(w, (WCHAR *)0x1234); }
        testutil_fail_alloc_after(n);
        SetLastError(0);
        if (ConvertStringSidToSidA("S-1-5-32-544", &s1)) { done |= 4; LocalFree(s1); }
        else { CU_ASSERT_EQUAL(GetLastError(), ERROR_NOT_ENOUGH_MEMORY); CU_ASSERT_PTR_EQUAL(s1, (PSID)0x1234); }
        testutil_fail_alloc_after(n);
        SetLastError(0);
        if (ConvertStringSidToSidW(u"BA", &s2)) { done |= 8; LocalFree(s2); }
        else { CU_ASSERT_EQUAL(GetLastError(), ERROR_NOT_ENOUGH_MEMORY); CU_ASSERT_PTR_EQUAL(s2, (PSID)0x1234); }
        testutil_fail_alloc_after(-1);
        CU_ASSERT_FATAL(n < 100);
    }
    LocalFree(sid);
}

void register_tests(void)
{
    static CU_TestInfo tests[] = {
        TEST(allocate_and_initialize_sid_builds_the_sid),
        TEST(allocate_and_initialize_sid_rejects_more_than_eight),
        TEST(allocate_and_initialize_sid_null_output_fails),
        TEST(allocate_and_initialize_sid_out_of_memory),
        TEST(free_sid_returns_null_and_keeps_last_error),
        TEST(initialize_sid_writes_header_and_rejects_sixteen),
        TEST(sub_authority_accessors_set_error_success),
        TEST(identifier_authority_of_any_sid_sets_error_success),
        TEST(sid_length_required_is_eight_plus_four_per_sub_authority),
        TEST(copy_sid_short_buffer_is_insufficient_buffer),
        TEST(equal_sid_sets_error_success),
        TEST(equal_prefix_sid_ignores_last_sub_authority),
        TEST(is_valid_sid_checks_revision_and_count),
        TEST(create_well_known_sid_size_protocol),
        TEST(create_well_known_sid_domain_types),
        TEST(create_well_known_sid_bad_type_or_domain),
        TEST(sid_strings_round_trip),
        TEST(string_sid_aliases_and_forms),
        TEST(string_to_sid_errors),
        TEST(wide_sid_strings),
        TEST(sid_to_string_errors_and_hex_authority),
        TEST(sid_string_conversions_out_of_memory),
        CU_TEST_INFO_NULL,
    };
    testutil_add_suite("emul_advapi32_sid", tests);
}
