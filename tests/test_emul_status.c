/* test_emul_status.c - the status table against Windows: every
 * NTSEC_STATUS_* value equals Wine's STATUS_* macro of the same name, and
 * its Win32 error (libsec/status.c, RtlNtStatusToDosError) equals the one
 * Windows' RtlNtStatusToDosError gives, as asserted on Windows by Wine's
 * dlls/ntdll/tests/error.c (run_error_tests). */
#include <ntstatus.h>
#define WIN32_NO_STATUS
#include <ntsec/ntdll.h>

#include "ntsec/ntsec.h"
#include "testutil.h"

struct row {
    ntsec_status ours;
    NTSTATUS     windows;
    const char  *name;
    DWORD        win32;     /* Windows' RtlNtStatusToDosError */
};

#define ROW(x, err) { NTSEC_STATUS_##x, STATUS_##x, "STATUS_" #x, err }
/* The RPC statuses keep their own prefixes (RPC_NT_, EPT_NT_). */
#define NTROW(x, err) { NTSEC_##x, x, #x, err }

/* One row per NTSEC_STATUS_* in include/ntsec/status.h. */
static const struct row rows[] = {
    ROW(SUCCESS, NO_ERROR),
    ROW(NOT_ALL_ASSIGNED, ERROR_NOT_ALL_ASSIGNED),
    ROW(SOME_NOT_MAPPED, ERROR_SOME_NOT_MAPPED),
    ROW(DATATYPE_MISALIGNMENT, ERROR_NOACCESS),
    ROW(BUFFER_OVERFLOW, ERROR_MORE_DATA),
    ROW(NO_MORE_ENTRIES, ERROR_NO_MORE_ITEMS),
    ROW(UNSUCCESSFUL, ERROR_GEN_FAILURE),
    ROW(INVALID_INFO_CLASS, ERROR_INVALID_PARAMETER),
    ROW(INFO_LENGTH_MISMATCH, ERROR_BAD_LENGTH),
    ROW(ACCESS_VIOLATION, ERROR_NOACCESS),
    ROW(INVALID_HANDLE, ERROR_INVALID_HANDLE),
    ROW(INVALID_CID, ERROR_INVALID_PARAMETER),
    ROW(INVALID_PARAMETER, ERROR_INVALID_PARAMETER),
    ROW(NO_MEMORY, ERROR_NOT_ENOUGH_MEMORY),
    ROW(ACCESS_DENIED, ERROR_ACCESS_DENIED),
    ROW(BUFFER_TOO_SMALL, ERROR_INSUFFICIENT_BUFFER),
    ROW(OBJECT_TYPE_MISMATCH, ERROR_INVALID_HANDLE),
    ROW(INVALID_PARAMETER_MIX, ERROR_INVALID_PARAMETER),
    ROW(OBJECT_NAME_INVALID, ERROR_INVALID_NAME),
    ROW(OBJECT_NAME_NOT_FOUND, ERROR_FILE_NOT_FOUND),
    ROW(OBJECT_NAME_COLLISION, ERROR_ALREADY_EXISTS),
    ROW(UNKNOWN_REVISION, ERROR_UNKNOWN_REVISION),
    ROW(REVISION_MISMATCH, ERROR_REVISION_MISMATCH),
    ROW(INVALID_OWNER, ERROR_INVALID_OWNER),
    ROW(INVALID_PRIMARY_GROUP, ERROR_INVALID_PRIMARY_GROUP),
    ROW(NO_IMPERSONATION_TOKEN, ERROR_NO_IMPERSONATION_TOKEN),
    ROW(CANT_DISABLE_MANDATORY, ERROR_CANT_DISABLE_MANDATORY),
    ROW(NO_SUCH_LOGON_SESSION, ERROR_NO_SUCH_LOGON_SESSION),
    ROW(NO_SUCH_PRIVILEGE, ERROR_NO_SUCH_PRIVILEGE),
    ROW(PRIVILEGE_NOT_HELD, ERROR_PRIVILEGE_NOT_HELD),
    ROW(INVALID_ACCOUNT_NAME, ERROR_INVALID_ACCOUNT_NAME),
    ROW(NO_SUCH_USER, ERROR_NO_SUCH_USER),
    ROW(NO_SUCH_GROUP, ERROR_NO_SUCH_GROUP),
    ROW(WRONG_PASSWORD, ERROR_INVALID_PASSWORD),
    ROW(LOGON_FAILURE, ERROR_LOGON_FAILURE),
    ROW(ACCOUNT_RESTRICTION, ERROR_ACCOUNT_RESTRICTION),
    ROW(ACCOUNT_DISABLED, ERROR_ACCOUNT_DISABLED),
    ROW(NONE_MAPPED, ERROR_NONE_MAPPED),
    ROW(INVALID_ACL, ERROR_INVALID_ACL),
    ROW(INVALID_SID, ERROR_INVALID_SID),
    ROW(INVALID_SECURITY_DESCR, ERROR_INVALID_SECURITY_DESCR),
    ROW(NO_TOKEN, ERROR_NO_TOKEN),
    ROW(BAD_INHERITANCE_ACL, ERROR_BAD_INHERITANCE_ACL),
    ROW(INVALID_ID_AUTHORITY, ERROR_INVALID_ID_AUTHORITY),
    ROW(ALLOTTED_SPACE_EXCEEDED, ERROR_ALLOTTED_SPACE_EXCEEDED),
    ROW(INSUFFICIENT_RESOURCES, ERROR_NO_SYSTEM_RESOURCES),
    ROW(BAD_IMPERSONATION_LEVEL, ERROR_BAD_IMPERSONATION_LEVEL),
    ROW(CANT_OPEN_ANONYMOUS, ERROR_CANT_OPEN_ANONYMOUS),
    ROW(BAD_VALIDATION_CLASS, ERROR_BAD_VALIDATION_CLASS),
    ROW(BAD_TOKEN_TYPE, ERROR_BAD_TOKEN_TYPE),
    ROW(INSTANCE_NOT_AVAILABLE, ERROR_PIPE_BUSY),
    ROW(PIPE_NOT_AVAILABLE, ERROR_PIPE_BUSY),
    ROW(INVALID_PIPE_STATE, ERROR_BAD_PIPE),
    ROW(ILLEGAL_FUNCTION, ERROR_INVALID_FUNCTION),
    ROW(PIPE_DISCONNECTED, ERROR_PIPE_NOT_CONNECTED),
    ROW(PIPE_CLOSING, ERROR_NO_DATA),
    ROW(PIPE_CONNECTED, ERROR_PIPE_CONNECTED),
    ROW(PIPE_LISTENING, ERROR_PIPE_LISTENING),
    ROW(IO_TIMEOUT, ERROR_SEM_TIMEOUT),
    ROW(NO_SECURITY_ON_OBJECT, ERROR_NO_SECURITY_ON_OBJECT),
    ROW(PIPE_EMPTY, ERROR_NO_DATA),
    ROW(NOT_SUPPORTED, ERROR_NOT_SUPPORTED),
    ROW(NO_SUCH_DOMAIN, ERROR_NO_SUCH_DOMAIN),
    ROW(INTERNAL_ERROR, ERROR_INTERNAL_ERROR),
    ROW(GENERIC_NOT_MAPPED, ERROR_GENERIC_NOT_MAPPED),
    ROW(BAD_DESCRIPTOR_FORMAT, ERROR_BAD_DESCRIPTOR_FORMAT),
    ROW(INVALID_PARAMETER_1, ERROR_INVALID_PARAMETER),
    ROW(INVALID_PARAMETER_2, ERROR_INVALID_PARAMETER),
    ROW(INVALID_PARAMETER_3, ERROR_INVALID_PARAMETER),
    ROW(INVALID_PARAMETER_4, ERROR_INVALID_PARAMETER),
    ROW(INVALID_PARAMETER_5, ERROR_INVALID_PARAMETER),
    ROW(INVALID_PARAMETER_6, ERROR_INVALID_PARAMETER),
    ROW(CANNOT_IMPERSONATE, ERROR_CANNOT_IMPERSONATE),
    ROW(TOKEN_ALREADY_IN_USE, ERROR_TOKEN_ALREADY_IN_USE),
    ROW(INVALID_LEVEL, ERROR_INVALID_LEVEL),
    ROW(PIPE_BROKEN, ERROR_BROKEN_PIPE),
    ROW(LOGON_TYPE_NOT_GRANTED, ERROR_LOGON_TYPE_NOT_GRANTED),
    ROW(ILLEGAL_CHARACTER, ERROR_ILLEGAL_CHARACTER),
    ROW(UNMAPPABLE_CHARACTER, ERROR_NO_UNICODE_TRANSLATION),
    ROW(NOLOGON_WORKSTATION_TRUST_ACCOUNT, ERROR_NOLOGON_WORKSTATION_TRUST_ACCOUNT),
    ROW(INVALID_ACE_CONDITION, ERROR_INVALID_ACE_CONDITION),
    ROW(CANT_ENABLE_DENY_ONLY, ERROR_CANT_ENABLE_DENY_ONLY),
    ROW(NOT_FOUND, ERROR_NOT_FOUND),
    ROW(INVALID_LABEL, ERROR_INVALID_LABEL),
    NTROW(RPC_NT_INVALID_STRING_BINDING, RPC_S_INVALID_STRING_BINDING),
    NTROW(RPC_NT_WRONG_KIND_OF_BINDING, RPC_S_WRONG_KIND_OF_BINDING),
    NTROW(RPC_NT_INVALID_BINDING, RPC_S_INVALID_BINDING),
    NTROW(RPC_NT_PROTSEQ_NOT_SUPPORTED, RPC_S_PROTSEQ_NOT_SUPPORTED),
    NTROW(RPC_NT_INVALID_STRING_UUID, RPC_S_INVALID_STRING_UUID),
    NTROW(RPC_NT_INVALID_ENDPOINT_FORMAT, RPC_S_INVALID_ENDPOINT_FORMAT),
    NTROW(RPC_NT_INVALID_NET_ADDR, RPC_S_INVALID_NET_ADDR),
    NTROW(RPC_NT_SERVER_UNAVAILABLE, RPC_S_SERVER_UNAVAILABLE),
    NTROW(RPC_NT_SERVER_TOO_BUSY, RPC_S_SERVER_TOO_BUSY),
    NTROW(RPC_NT_NO_CALL_ACTIVE, RPC_S_NO_CALL_ACTIVE),
    NTROW(RPC_NT_CALL_FAILED, RPC_S_CALL_FAILED),
    NTROW(RPC_NT_DUPLICATE_ENDPOINT, RPC_S_DUPLICATE_ENDPOINT),
    NTROW(RPC_NT_BINDING_HAS_NO_AUTH, RPC_S_BINDING_HAS_NO_AUTH),
    NTROW(RPC_NT_UNKNOWN_AUTHN_SERVICE, RPC_S_UNKNOWN_AUTHN_SERVICE),
    NTROW(RPC_NT_UNKNOWN_AUTHN_LEVEL, RPC_S_UNKNOWN_AUTHN_LEVEL),
    NTROW(RPC_NT_INVALID_AUTH_IDENTITY, RPC_S_INVALID_AUTH_IDENTITY),
    NTROW(RPC_NT_UNKNOWN_AUTHZ_SERVICE, RPC_S_UNKNOWN_AUTHZ_SERVICE),
    NTROW(EPT_NT_NOT_REGISTERED, EPT_S_NOT_REGISTERED),
    NTROW(RPC_NT_NO_CONTEXT_AVAILABLE, RPC_S_NO_CONTEXT_AVAILABLE),
    NTROW(RPC_NT_SEC_PKG_ERROR, RPC_S_SEC_PKG_ERROR),
};

#define NROWS (sizeof(rows) / sizeof(rows[0]))

/* The values are Windows' own (Wine's include/ntstatus.h). */
static void status_values_equal_windows_status_macros(void)
{
    for (size_t i = 0; i < NROWS; i++) {
        CU_ASSERT_EQUAL(rows[i].ours, rows[i].windows);
        if (rows[i].ours != rows[i].windows)
            fprintf(stderr, "%s: ntsec %#x, Windows %#x\n", rows[i].name,
                    (unsigned)rows[i].ours, (unsigned)rows[i].windows);
    }
}

/* RtlNtStatusToDosError on Windows (Wine's dlls/ntdll/tests/error.c). */
static void win32_error_equals_windows_rtlntstatustodoserror(void)
{
    for (size_t i = 0; i < NROWS; i++) {
        CU_ASSERT_EQUAL(ntsec_status_to_win32(rows[i].ours), rows[i].win32);
        CU_ASSERT_EQUAL(RtlNtStatusToDosError(rows[i].windows), rows[i].win32);
        if (ntsec_status_to_win32(rows[i].ours) != rows[i].win32)
            fprintf(stderr, "%s: ntsec gives %u, Windows %u\n", rows[i].name,
                    ntsec_status_to_win32(rows[i].ours), (unsigned)rows[i].win32);
    }
}

/* The CLI prints the Windows name of each status. */
static void status_names_are_the_windows_names(void)
{
    for (size_t i = 0; i < NROWS; i++) {
        const char *n = ntsec_status_name(rows[i].ours);
        CU_ASSERT_PTR_NOT_NULL_FATAL(n);
        CU_ASSERT_STRING_EQUAL(n, rows[i].name);
    }
}

/* Every NTSEC_STATUS_* (and NTSEC_RPC_NT_*, NTSEC_EPT_NT_*) of status.h is in the table above: count the
 * macros in the header the test was built against (the Makefile passes the
 * source tree as NTSEC_SRCDIR, so the test runs from any directory). */
static void every_public_status_is_checked(void)
{
    FILE *f = fopen(NTSEC_SRCDIR "/include/ntsec/status.h", "r");
    char line[256];
    size_t n = 0;

    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    while (fgets(line, sizeof(line), f))
        if ((strncmp(line, "#define NTSEC_STATUS_", 21) == 0 ||
             strncmp(line, "#define NTSEC_RPC_NT_", 21) == 0 ||
             strncmp(line, "#define NTSEC_EPT_NT_", 21) == 0) && strstr(line, "(ntsec_status)"))
            n++;
    fclose(f);
    CU_ASSERT_EQUAL(n, NROWS);
}

/* A status Windows has no mapping for gives ERROR_MR_MID_NOT_FOUND
 * (Microsoft docs, RtlNtStatusToDosError). */
static void unknown_status_maps_to_mr_mid_not_found(void)
{
    CU_ASSERT_EQUAL(RtlNtStatusToDosError((NTSTATUS)0xC0FFEE01), ERROR_MR_MID_NOT_FOUND);
    CU_ASSERT_PTR_NULL(ntsec_status_name((ntsec_status)0xC0FFEE01));
}

void register_tests(void)
{
    static CU_TestInfo tests[] = {
        TEST(status_values_equal_windows_status_macros),
        TEST(win32_error_equals_windows_rtlntstatustodoserror),
        TEST(status_names_are_the_windows_names),
        TEST(every_public_status_is_checked),
        TEST(unknown_status_maps_to_mr_mid_not_found),
        CU_TEST_INFO_NULL,
    };
    testutil_add_suite("emul_status", tests);
}
