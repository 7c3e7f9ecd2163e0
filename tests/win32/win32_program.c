/* win32_program.c - a plain Win32 program, written as Windows code is and
 * built the way a user builds it:
 *     gcc win32_program.c $(pkg-config --cflags --libs ntsec)
 * It builds SIDs, an ACL and a security descriptor, converts them to and
 * from SDDL, works with its process token (information, privileges, an
 * impersonation copy, an access check, membership, the user's name), and
 * checks each result and last error against what Windows gives; it exits
 * non-zero on any mismatch. Wide strings are u"" literals:
 * WCHAR is two bytes, while gcc's L"" on Linux is four (wchar_t) unless
 * the whole program is built with -fshort-wchar. */
#include <ntstatus.h>
#define WIN32_NO_STATUS
#include <windows.h>
#include <sddl.h>
#include <ntsec/ntdll.h>    /* RtlConvertSidToUnicodeString and friends */

#include <stdio.h>
#include <stdlib.h>
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

/* Tokens, handles and access, as a Windows service checks its caller:
 * open the process token, read it, adjust a privilege, make an
 * impersonation token, run an access check and a membership check, and
 * name the user. The results that depend on who runs the program (which
 * privileges the Linux credentials give) are read from the token first. */
static TOKEN_PRIVILEGES *token_privileges(HANDLE token)
{
    TOKEN_PRIVILEGES *privs;
    DWORD size = 0;

    SetLastError(0);
    CHECK(!GetTokenInformation(token, TokenPrivileges, NULL, 0, &size) &&
          GetLastError() == ERROR_INSUFFICIENT_BUFFER);
    privs = malloc(size);
    CHECK(privs && GetTokenInformation(token, TokenPrivileges, privs, size, &size));
    return privs;
}

static void tokens(void)
{
    HANDLE token, imp, thread_token;
    TOKEN_USER *user;
    TOKEN_PRIVILEGES *privs, tp;
    SID everyone = { SID_REVISION, 1, { SECURITY_WORLD_SID_AUTHORITY }, { SECURITY_WORLD_RID } };
    PSECURITY_DESCRIPTOR sd;
    GENERIC_MAPPING map = { FILE_GENERIC_READ, FILE_GENERIC_WRITE, FILE_GENERIC_EXECUTE, FILE_ALL_ACCESS };
    BYTE set_buf[sizeof(PRIVILEGE_SET) + 4 * sizeof(LUID_AND_ATTRIBUTES)];
    PRIVILEGE_SET *set = (PRIVILEGE_SET *)set_buf;
    DWORD size = 0, set_len = sizeof(set_buf), granted, type, expected;
    BOOL status, member;
    WCHAR name[256], domain[256];
    DWORD name_len = 256, domain_len = 256;
    SID_NAME_USE use;
    LUID change_notify;

    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY | TOKEN_DUPLICATE | TOKEN_ADJUST_PRIVILEGES,
                          &token)) {
        CHECK(!"OpenProcessToken");
        return;
    }
    CHECK(GetTokenInformation(token, TokenType, &type, sizeof(type), &size) && type == TokenPrimary);
    SetLastError(0);
    CHECK(!GetTokenInformation(token, TokenUser, NULL, 0, &size) &&
          GetLastError() == ERROR_INSUFFICIENT_BUFFER);
    user = malloc(size);
    CHECK(user && GetTokenInformation(token, TokenUser, user, size, &size) && IsValidSid(user->User.Sid));
    CHECK(LookupAccountSidW(NULL, user->User.Sid, name, &name_len, domain, &domain_len, &use));
    CHECK(use == SidTypeUser && name_len > 0 && name[name_len] == 0);

    /* The thread does not impersonate: no thread token. */
    SetLastError(0);
    CHECK(!OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &thread_token) &&
          GetLastError() == ERROR_NO_TOKEN);

    /* Work on a copy: disable every privilege, then enable
     * SeChangeNotifyPrivilege, which succeeds fully only when the token has it. */
    CHECK(DuplicateTokenEx(token, TOKEN_QUERY | TOKEN_IMPERSONATE | TOKEN_ADJUST_PRIVILEGES, NULL,
                           SecurityImpersonation, TokenImpersonation, &imp));
    CHECK(LookupPrivilegeValueW(NULL, u"SeChangeNotifyPrivilege", &change_notify));
    privs = token_privileges(imp);
    expected = ERROR_NOT_ALL_ASSIGNED;
    for (DWORD i = 0; privs && i < privs->PrivilegeCount; i++)
        if (privs->Privileges[i].Luid.LowPart == change_notify.LowPart)
            expected = ERROR_SUCCESS;
    free(privs);
    SetLastError(0xdeadbeef);
    CHECK(AdjustTokenPrivileges(imp, TRUE, NULL, 0, NULL, NULL) && GetLastError() == ERROR_SUCCESS);
    tp.PrivilegeCount = 1;
    tp.Privileges[0].Luid = change_notify;
    tp.Privileges[0].Attributes = SE_PRIVILEGE_ENABLED;
    CHECK(AdjustTokenPrivileges(imp, FALSE, &tp, 0, NULL, NULL) && GetLastError() == expected);
    CHECK(GetTokenInformation(imp, TokenImpersonationLevel, &type, sizeof(type), &size) &&
          type == SecurityImpersonation);

    /* Everyone may read, nobody may write. */
    CHECK(ConvertStringSecurityDescriptorToSecurityDescriptorW(u"O:BAG:BAD:(A;;FR;;;WD)", SDDL_REVISION_1,
                                                               &sd, NULL));
    CHECK(AccessCheck(sd, imp, FILE_READ_DATA, &map, set, &set_len, &granted, &status) && status &&
          granted == FILE_READ_DATA);
    CHECK(AccessCheck(sd, imp, FILE_WRITE_DATA, &map, set, &set_len, &granted, &status) && !status &&
          granted == 0 && GetLastError() == ERROR_ACCESS_DENIED);
    SetLastError(0);
    CHECK(!AccessCheck(sd, imp, GENERIC_READ, &map, set, &set_len, &granted, &status) &&
          GetLastError() == ERROR_GENERIC_NOT_MAPPED);
    CHECK(!AccessCheck(sd, token, FILE_READ_DATA, &map, set, &set_len, &granted, &status) &&
          GetLastError() == ERROR_NO_IMPERSONATION_TOKEN);
    LocalFree(sd);

    /* Membership: an impersonation token or the caller's own (NULL). */
    CHECK(CheckTokenMembership(imp, &everyone, &member) && member);
    CHECK(CheckTokenMembership(NULL, &everyone, &member) && member);
    SetLastError(0);
    CHECK(!CheckTokenMembership(token, &everyone, &member) && !member &&
          GetLastError() == ERROR_NO_IMPERSONATION_TOKEN);

    free(user);
    CHECK(CloseHandle(imp));
    CHECK(CloseHandle(token));
    SetLastError(0);
    CHECK(!CloseHandle(token) && GetLastError() == ERROR_INVALID_HANDLE);
}

int main(void)
{
    sids();
    acl_and_sd();
    sddl_round_trip();
    ntdll();
    tokens();
    if (failures) {
        fprintf(stderr, "win32_program: %d checks failed\n", failures);
        return 1;
    }
    printf("win32_program: all checks passed\n");
    return 0;
}
