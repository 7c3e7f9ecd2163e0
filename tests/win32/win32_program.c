/* win32_program.c - a plain Win32 program, written as Windows code is and
 * built the way a user builds it:
 *     gcc win32_program.c $(pkg-config --cflags --libs ntsec)
 * It builds SIDs, an ACL and a security descriptor, converts them to and
 * from SDDL, and checks each result and last error against what Windows
 * gives; it exits non-zero on any mismatch. Wide strings are u"" literals:
 * WCHAR is two bytes, while gcc's L"" on Linux is four (wchar_t) unless
 * the whole program is built with -fshort-wchar. */
#include <ntstatus.h>
#define WIN32_NO_STATUS
#include <windows.h>
#include <sddl.h>
#include <ntsec/ntdll.h>    /* RtlConvertSidToUnicodeString and friends */

#include <stdio.h>
#include <string.h>

static int failures;

#define CHECK(cond) do { if (!(cond)) { \
    fprintf(stderr, "%s:%d: check failed: %s (last error %lu)\n", __FILE__, __LINE__, #cond, \
            (unsigned long)GetLastError()); failures++; } } while (0)

static void sids(void)
{
    SID_IDENTIFIER_AUTHORITY nt = { SECURITY_NT_AUTHORITY };
    BYTE buf[SECURITY_MAX_SID_SIZE];
    DWORD size = sizeof(buf);
    PSID admins, parsed;
    char *str;
    WCHAR *wstr;

    CHECK(AllocateAndInitializeSid(&nt, 2, SECURITY_BUILTIN_DOMAIN_RID, DOMAIN_ALIAS_RID_ADMINS,
                                   0, 0, 0, 0, 0, 0, &admins));
    CHECK(IsValidSid(admins));
    CHECK(GetLengthSid(admins) == GetSidLengthRequired(2));
    CHECK(*GetSidSubAuthorityCount(admins) == 2 && *GetSidSubAuthority(admins, 1) == 544);
    CHECK(GetSidIdentifierAuthority(admins)->Value[5] == 5);
    CHECK(IsWellKnownSid(admins, WinBuiltinAdministratorsSid));
    CHECK(CreateWellKnownSid(WinBuiltinAdministratorsSid, NULL, buf, &size) && size == 16);
    CHECK(EqualSid(buf, admins));
    CHECK(ConvertSidToStringSidA(admins, &str) && strcmp(str, "S-1-5-32-544") == 0);
    LocalFree(str);
    CHECK(ConvertSidToStringSidW(admins, &wstr) && memcmp(wstr, u"S-1-5-32-544", 26) == 0);
    LocalFree(wstr);
    CHECK(ConvertStringSidToSidW(u"BA", &parsed) && EqualSid(parsed, admins));
    CHECK(EqualPrefixSid(parsed, admins));
    LocalFree(parsed);
    SetLastError(0);
    CHECK(!ConvertStringSidToSidA("S-1-5", &parsed) && GetLastError() == ERROR_INVALID_SID);
    SetLastError(0);
    CHECK(!CopySid(8, buf, admins) && GetLastError() == ERROR_INSUFFICIENT_BUFFER);
    CHECK(CopySid(sizeof(buf), buf, admins) && EqualSid(buf, admins));
    CHECK(InitializeSid(buf, &nt, 1));
    *GetSidSubAuthority(buf, 0) = SECURITY_LOCAL_SYSTEM_RID;
    CHECK(ConvertSidToStringSidA(buf, &str) && strcmp(str, "S-1-5-18") == 0);
    LocalFree(str);
    CHECK(FreeSid(admins) == NULL);
}

static void acl_and_sd(void)
{
    BYTE acl_buf[256];
    PACL acl = (PACL)acl_buf, got_acl;
    SECURITY_DESCRIPTOR sd;
    SID_IDENTIFIER_AUTHORITY world_auth = { SECURITY_WORLD_SID_AUTHORITY };
    PSID world, owner;
    ACL_SIZE_INFORMATION info;
    ACCESS_ALLOWED_ACE *ace;
    BOOL present, defaulted;
    DWORD size = 0, mask = GENERIC_READ;
    GENERIC_MAPPING map = { FILE_GENERIC_READ, FILE_GENERIC_WRITE, FILE_GENERIC_EXECUTE, FILE_ALL_ACCESS };
    BYTE rel[512];
    char *sddl;

    CHECK(AllocateAndInitializeSid(&world_auth, 1, SECURITY_WORLD_RID, 0, 0, 0, 0, 0, 0, 0, &world));
    CHECK(InitializeAcl(acl, sizeof(acl_buf), ACL_REVISION));
    CHECK(AddAccessAllowedAce(acl, ACL_REVISION, FILE_GENERIC_READ, world));
    CHECK(AddAccessDeniedAceEx(acl, ACL_REVISION, CONTAINER_INHERIT_ACE, FILE_WRITE_DATA, world));
    CHECK(IsValidAcl(acl));
    CHECK(GetAclInformation(acl, &info, sizeof(info), AclSizeInformation) && info.AceCount == 2);
    CHECK(GetAce(acl, 0, (void **)&ace) && ace->Mask == FILE_GENERIC_READ);
    SetLastError(0);
    CHECK(!GetAce(acl, 2, (void **)&ace) && GetLastError() == ERROR_INVALID_PARAMETER);
    MapGenericMask(&mask, &map);
    CHECK(mask == FILE_GENERIC_READ);

    CHECK(InitializeSecurityDescriptor(&sd, SECURITY_DESCRIPTOR_REVISION));
    CHECK(SetSecurityDescriptorOwner(&sd, world, FALSE));
    CHECK(SetSecurityDescriptorDacl(&sd, TRUE, acl, FALSE));
    CHECK(IsValidSecurityDescriptor(&sd));
    CHECK(GetSecurityDescriptorOwner(&sd, &owner, &defaulted) && owner == world && !defaulted);
    CHECK(GetSecurityDescriptorDacl(&sd, &present, &got_acl, &defaulted) && present && got_acl == acl);
    CHECK(ConvertSecurityDescriptorToStringSecurityDescriptorA(&sd, SDDL_REVISION_1,
              OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION, &sddl, NULL));
    CHECK(strcmp(sddl, "O:WDD:(A;;FR;;;WD)(D;CI;DC;;;WD)") == 0 ||
          (fprintf(stderr, "got %s\n", sddl), 0));
    LocalFree(sddl);
    SetLastError(0);
    CHECK(!MakeSelfRelativeSD(&sd, rel, &size) && GetLastError() == ERROR_INSUFFICIENT_BUFFER);
    CHECK(size <= sizeof(rel) && MakeSelfRelativeSD(&sd, rel, &size));
    CHECK(GetSecurityDescriptorLength(rel) == size);
    FreeSid(world);
}

static void sddl_round_trip(void)
{
    const WCHAR *text = u"O:BAG:SYD:P(A;OICI;GA;;;BA)(A;;GR;;;WD)S:(AU;FA;GA;;;WD)";
    PSECURITY_DESCRIPTOR sd;
    ULONG size;
    WCHAR *back;
    SECURITY_DESCRIPTOR_CONTROL control;
    DWORD revision;
    PSECURITY_DESCRIPTOR bad;

    if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(text, SDDL_REVISION_1, &sd, &size)) {
        CHECK(!"ConvertStringSecurityDescriptorToSecurityDescriptorW");
        return;
    }
    CHECK(IsValidSecurityDescriptor(sd) && GetSecurityDescriptorLength(sd) == size);
    CHECK(GetSecurityDescriptorControl(sd, &control, &revision) && (control & SE_DACL_PROTECTED));
    CHECK(ConvertSecurityDescriptorToStringSecurityDescriptorW(sd, SDDL_REVISION_1,
              OWNER_SECURITY_INFORMATION | GROUP_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION |
              SACL_SECURITY_INFORMATION, &back, NULL));
    CHECK(memcmp(back, text, sizeof(u"O:BAG:SYD:P(A;OICI;GA;;;BA)(A;;GR;;;WD)S:(AU;FA;GA;;;WD)")) == 0);
    LocalFree(back);
    LocalFree(sd);
    SetLastError(0);
    CHECK(!ConvertStringSecurityDescriptorToSecurityDescriptorA("D:(A;;GA;;;WD)", 2, &bad, NULL) &&
          GetLastError() == ERROR_UNKNOWN_REVISION);
    SetLastError(0);
    CHECK(!ConvertStringSecurityDescriptorToSecurityDescriptorA("D:(A;;ROB;;;WD)", SDDL_REVISION_1, &bad, NULL) &&
          GetLastError() == ERROR_INVALID_ACL);
}

static void ntdll(void)
{
    SID system_sid = { SID_REVISION, 1, { SECURITY_NT_AUTHORITY }, { SECURITY_LOCAL_SYSTEM_RID } };
    UNICODE_STRING us;

    CHECK(RtlValidSid(&system_sid));
    CHECK(RtlConvertSidToUnicodeString(&us, &system_sid, TRUE) == STATUS_SUCCESS);
    CHECK(us.Length == 16 && memcmp(us.Buffer, u"S-1-5-18", 16) == 0);
    RtlFreeUnicodeString(&us);
    CHECK(RtlNtStatusToDosError(STATUS_INVALID_SID) == ERROR_INVALID_SID);
    CHECK(RtlNtStatusToDosError(STATUS_BUFFER_TOO_SMALL) == ERROR_INSUFFICIENT_BUFFER);
}

int main(void)
{
    sids();
    acl_and_sd();
    sddl_round_trip();
    ntdll();
    if (failures) {
        fprintf(stderr, "win32_program: %d checks failed\n", failures);
        return 1;
    }
    printf("win32_program: all checks passed\n");
    return 0;
}
