/* test_emul_impersonate.c - the NT and Win32 calls that give a thread a
 * token, called as Windows code calls them: NtSetInformationThread
 * (ThreadImpersonationToken) and SetThreadToken, RevertToSelf,
 * NtImpersonateThread, NtImpersonateAnonymousToken and
 * ImpersonateAnonymousToken. test_emul_impersonate_self.c has the calls
 * that make the token themselves; emulimpfix.h the sandbox.
 *
 * Windows' results come from Microsoft docs (SetThreadToken, RevertToSelf,
 * ImpersonateAnonymousToken, SECURITY_IMPERSONATION_LEVEL), from what
 * Wine's dlls/advapi32/tests/security.c asserts on Windows and from the
 * ReactOS API tests that pass on Windows (modules/rostests/apitests/ntdll
 * NtSetInformationThread.c, NtImpersonateAnonymousToken.c). Where ntsec had
 * to choose, the test says so. */
#include "emulimpfix.h"

/* --- NtSetInformationThread(ThreadImpersonationToken) ------------------------- */

/* ReactOS API test NtSetInformationThread (passes on Windows): the length
 * is checked first (STATUS_INFO_LENGTH_MISMATCH even with a bad handle),
 * then the buffer's alignment (STATUS_DATATYPE_MISALIGNMENT) and the
 * buffer itself (STATUS_ACCESS_VIOLATION), then the handle. Nothing
 * changes. */
static void set_information_thread_checks_the_buffer_first(void)
{
    struct sandbox s;
    struct ntsec_token *t;
    _Alignas(8) HANDLE buf[2];

    enter(&s, SERVER, 0);
    t = imp_token(SERVER, NTSEC_SECURITY_IMPERSONATION);
    buf[0] = handle_of(t, TOKEN_IMPERSONATE);
    buf[1] = NULL;
    for (ULONG len = 0; len <= 2 * sizeof(HANDLE); len += 4)
        if (len != sizeof(HANDLE))
            CU_ASSERT_EQUAL(NtSetInformationThread((HANDLE)(ULONG_PTR)0x7ff0,
                                                   ThreadImpersonationToken, buf, len),
                            STATUS_INFO_LENGTH_MISMATCH);
    CU_ASSERT_EQUAL(NtSetInformationThread(GetCurrentThread(), ThreadImpersonationToken,
                                           (char *)buf + 1, sizeof(HANDLE)),
                    STATUS_DATATYPE_MISALIGNMENT);
    CU_ASSERT_EQUAL(NtSetInformationThread(GetCurrentThread(), ThreadImpersonationToken,
                                           (char *)buf + 2, sizeof(HANDLE)),
                    STATUS_DATATYPE_MISALIGNMENT);
    CU_ASSERT_EQUAL(NtSetInformationThread(GetCurrentThread(), ThreadImpersonationToken, NULL,
                                           sizeof(HANDLE)),
                    STATUS_ACCESS_VIOLATION);
    CU_ASSERT_EQUAL(NtSetInformationThread(NULL, ThreadImpersonationToken, buf, sizeof(HANDLE)),
                    STATUS_INVALID_HANDLE);
    CU_ASSERT(!impersonating());
    CloseHandle(buf[0]);
    ntsec_token_put(t);
    leave(&s);
}

/* ddi-notes.md §6 (ReactOS ps/query.c): the thread handle needs
 * THREAD_SET_THREAD_TOKEN; a bad handle is STATUS_INVALID_HANDLE, a token
 * handle STATUS_OBJECT_TYPE_MISMATCH. Checked before the token handle. */
static void set_information_thread_needs_set_thread_token(void)
{
    struct sandbox s;
    struct handles h;
    HANDLE limited;

    enter(&s, SERVER, 0);
    handles_open(&h);
    limited = OpenThread(THREAD_QUERY_INFORMATION | THREAD_SET_INFORMATION, FALSE,
                         GetCurrentThreadId());
    CU_ASSERT_PTR_NOT_NULL_FATAL(limited);
    CU_ASSERT_EQUAL(set_token(limited, h.good), STATUS_ACCESS_DENIED);
    CU_ASSERT_EQUAL(set_token(limited, (HANDLE)(ULONG_PTR)0x7ff0), STATUS_ACCESS_DENIED);
    CU_ASSERT_EQUAL(set_token((HANDLE)(ULONG_PTR)0x7ff0, h.good), STATUS_INVALID_HANDLE);
    CU_ASSERT_EQUAL(set_token(h.good, h.good), STATUS_OBJECT_TYPE_MISMATCH);
    CU_ASSERT(!impersonating());
    CloseHandle(limited);
    handles_close(&h);
    leave(&s);
}

/* SetThreadToken (Microsoft docs): the token handle needs
 * TOKEN_IMPERSONATE (STATUS_ACCESS_DENIED); a primary token is
 * STATUS_BAD_TOKEN_TYPE (ReactOS PsAssignImpersonationToken); a bad token
 * handle STATUS_INVALID_HANDLE, a thread handle for a token
 * STATUS_OBJECT_TYPE_MISMATCH. The thread's impersonation is kept. */
static void set_information_thread_token_rules(void)
{
    struct sandbox s;
    struct handles h;
    struct imp now;

    enter(&s, SERVER, 0);
    handles_open(&h);
    CU_ASSERT_EQUAL_FATAL(set_token(GetCurrentThread(), h.good), STATUS_SUCCESS);
    CU_ASSERT_EQUAL(set_token(GetCurrentThread(), h.weak), STATUS_ACCESS_DENIED);
    CU_ASSERT_EQUAL(set_token(GetCurrentThread(), h.primary), STATUS_BAD_TOKEN_TYPE);
    CU_ASSERT_EQUAL(set_token(GetCurrentThread(), (HANDLE)(ULONG_PTR)0x7ff0),
                    STATUS_INVALID_HANDLE);
    CU_ASSERT_EQUAL(set_token(GetCurrentThread(), GetCurrentThread()),
                    STATUS_OBJECT_TYPE_MISMATCH);
    now = my_imp();
    CU_ASSERT_PTR_EQUAL(now.token, h.t);
    ntsec_token_put(now.token);
    CU_ASSERT(RevertToSelf());
    handles_close(&h);
    leave(&s);
}

/* ReactOS PsAssignImpersonationToken (ddi-notes.md §6): the thread takes
 * the token object itself at the token's own level, CopyOnOpen and
 * EffectiveOnly FALSE; a NULL token ends the impersonation, also when
 * there is none (ReactOS API test NtOpenThreadToken, on Windows). */
static void set_information_thread_takes_the_token_at_its_level(void)
{
    struct sandbox s;
    struct ntsec_token *t;
    HANDLE h;
    struct imp now;

    enter(&s, SERVER, 0);
    t = imp_token(SERVER, NTSEC_SECURITY_DELEGATION);
    h = handle_of(t, TOKEN_IMPERSONATE);
    CU_ASSERT_EQUAL_FATAL(set_token(GetCurrentThread(), h), STATUS_SUCCESS);
    now = my_imp();
    CU_ASSERT_PTR_EQUAL(now.token, t);
    CU_ASSERT_EQUAL(now.level, NTSEC_SECURITY_DELEGATION);
    CU_ASSERT(!now.copy_on_open && !now.effective_only);
    ntsec_token_put(now.token);
    CU_ASSERT_EQUAL(set_token(GetCurrentThread(), NULL), STATUS_SUCCESS);
    CU_ASSERT(!impersonating());
    CU_ASSERT_EQUAL(set_token(GetCurrentThread(), NULL), STATUS_SUCCESS);
    CloseHandle(h);
    ntsec_token_put(t);
    leave(&s);
}

/* Only ThreadImpersonationToken is modelled: another class a caller may
 * set is STATUS_NOT_SUPPORTED (ntsec's answer, docs/native-api.md); a
 * query-only class (ReactOS ps_i.h: ThreadBasicInformation has no
 * ICIF_SET) and a value past the enumeration STATUS_INVALID_INFO_CLASS. */
static void set_information_thread_other_classes(void)
{
    ULONG priority = 8;

    CU_ASSERT_EQUAL(NtSetInformationThread(GetCurrentThread(), ThreadBasePriority, &priority,
                                           sizeof(priority)), STATUS_NOT_SUPPORTED);
    CU_ASSERT_EQUAL(NtSetInformationThread(GetCurrentThread(), ThreadBasicInformation, &priority,
                                           sizeof(priority)), STATUS_INVALID_INFO_CLASS);
    CU_ASSERT_EQUAL(NtSetInformationThread(GetCurrentThread(), MaxThreadInfoClass, &priority,
                                           sizeof(priority)), STATUS_INVALID_INFO_CLASS);
    CU_ASSERT(!impersonating());
}

/* --- SetThreadToken and RevertToSelf ---------------------------------------- */

/* SetThreadToken (Microsoft docs): a NULL Thread is the calling thread, a
 * NULL Token stops the impersonation; failures are FALSE with the error
 * (ERROR_ACCESS_DENIED without TOKEN_IMPERSONATE, ERROR_BAD_TOKEN_TYPE for
 * a primary token, ERROR_INVALID_HANDLE); success leaves the last error.
 * RevertToSelf succeeds, also when the thread does not impersonate. */
static void set_thread_token_and_revert_to_self(void)
{
    struct sandbox s;
    struct handles h;

    enter(&s, SERVER, 0);
    handles_open(&h);
    SetLastError(0xdeadbeef);
    CU_ASSERT(SetThreadToken(NULL, h.good));
    CU_ASSERT_EQUAL(GetLastError(), 0xdeadbeef);
    CU_ASSERT(impersonating());
    CU_ASSERT(SetThreadToken(NULL, NULL));
    CU_ASSERT(!impersonating());
    CU_ASSERT(!SetThreadToken(NULL, h.weak));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_ACCESS_DENIED);
    CU_ASSERT(!SetThreadToken(NULL, h.primary));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_BAD_TOKEN_TYPE);
    CU_ASSERT(!SetThreadToken(NULL, (HANDLE)(ULONG_PTR)0x7ff0));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_HANDLE);
    CU_ASSERT(!impersonating());
    SetLastError(0xdeadbeef);
    CU_ASSERT(RevertToSelf());
    CU_ASSERT_EQUAL(GetLastError(), 0xdeadbeef);
    handles_close(&h);
    leave(&s);
}

static BOOL WINAPI set_own_token(HANDLE token)
{
    return SetThreadToken(NULL, token);
}

/* SetThreadToken, Remarks (Microsoft docs: "you must have the impersonate
 * privileges") and ImpersonateLoggedOnUser, Remarks (the four cases
 * Windows allows): another user's token at SecurityImpersonation gives a
 * process without SeImpersonatePrivilege an Identification-level copy;
 * the caller's own user, or a process with the privilege, gets the
 * level. */
static void set_thread_token_level_rules(void)
{
    struct ntsec_token *other = imp_token(CLIENT, NTSEC_SECURITY_IMPERSONATION);
    struct ntsec_token *own = imp_token(SERVER, NTSEC_SECURITY_IMPERSONATION);
    enum ntsec_impersonation_level level = 99;

    CU_ASSERT_EQUAL(taken_as(set_own_token, other, TOKEN_IMPERSONATE, 0, &level), CLIENT);
    CU_ASSERT_EQUAL(level, NTSEC_SECURITY_IDENTIFICATION);
    CU_ASSERT_EQUAL(taken_as(set_own_token, own, TOKEN_IMPERSONATE, 0, &level), SERVER);
    CU_ASSERT_EQUAL(level, NTSEC_SECURITY_IMPERSONATION);
    CU_ASSERT_EQUAL(taken_as(set_own_token, other, TOKEN_IMPERSONATE, O_IMPERSONATE_PRIVILEGE,
                             &level), CLIENT);
    CU_ASSERT_EQUAL(level, NTSEC_SECURITY_IMPERSONATION);
    ntsec_token_put(own);
    ntsec_token_put(other);
}

/* SetThreadToken (Microsoft docs, Thread: "a handle to the thread to which
 * the function assigns the impersonation token"): another thread takes
 * the token, and another thread reads it (NtOpenThreadToken on its
 * handle); RevertToSelf on this thread leaves that one alone. */
static void set_thread_token_on_another_thread(void)
{
    struct sandbox s;
    struct client c = { 0 };
    struct ntsec_token *t = imp_token(SERVER, NTSEC_SECURITY_IMPERSONATION);
    HANDLE th, tok, seen = NULL;

    enter(&s, SERVER, 0);
    client_start(&c, s.process, NULL);
    th = OpenThread(THREAD_SET_THREAD_TOKEN | THREAD_QUERY_INFORMATION, FALSE, c.tid);
    CU_ASSERT_PTR_NOT_NULL_FATAL(th);
    tok = handle_of(t, TOKEN_IMPERSONATE | TOKEN_QUERY);
    CU_ASSERT(SetThreadToken(&th, tok));
    CU_ASSERT(!impersonating());
    CU_ASSERT(RevertToSelf());
    CU_ASSERT_EQUAL_FATAL(NtOpenThreadToken(th, TOKEN_QUERY, TRUE, &seen), STATUS_SUCCESS);
    CU_ASSERT_EQUAL(token_dword(seen, TokenImpersonationLevel), SecurityImpersonation);
    CU_ASSERT(SetThreadToken(&th, NULL));
    CU_ASSERT_EQUAL(NtOpenThreadToken(th, TOKEN_QUERY, TRUE, &seen), STATUS_NO_TOKEN);
    CloseHandle(seen);
    CloseHandle(tok);
    CloseHandle(th);
    client_stop(&c);
    ntsec_token_put(t);
    leave(&s);
}

/* --- NtImpersonateThread ------------------------------------------------------ */

static SECURITY_QUALITY_OF_SERVICE sqos(SECURITY_IMPERSONATION_LEVEL level, BOOLEAN dynamic)
{
    SECURITY_QUALITY_OF_SERVICE q = { sizeof(q), level, dynamic, FALSE };

    return q;
}

/* ReactOS ps/security.c NtImpersonateThread (ddi-notes.md §4): a NULL
 * SQOS faults first (STATUS_ACCESS_VIOLATION); the server handle needs
 * THREAD_IMPERSONATE, then the client handle THREAD_DIRECT_IMPERSONATION
 * (STATUS_ACCESS_DENIED; bad handles STATUS_INVALID_HANDLE); the SQOS
 * rules of SeCreateClientSecurity follow (a wrong Length or tracking mode
 * STATUS_INVALID_PARAMETER and a level above SecurityDelegation
 * STATUS_BAD_IMPERSONATION_LEVEL: ntsec's choices, libsec/
 * impersonate_policy.c). None changes the server. */
static void impersonate_thread_bad_input(void)
{
    struct sandbox s;
    SECURITY_QUALITY_OF_SERVICE q = sqos(SecurityImpersonation, FALSE);
    HANDLE full, no_impersonate, no_direct;

    enter(&s, SERVER, 0);
    full = OpenThread(THREAD_ALL_ACCESS, FALSE, GetCurrentThreadId());
    no_impersonate = OpenThread(THREAD_ALL_ACCESS & ~THREAD_IMPERSONATE, FALSE,
                                GetCurrentThreadId());
    no_direct = OpenThread(THREAD_ALL_ACCESS & ~THREAD_DIRECT_IMPERSONATION, FALSE,
                           GetCurrentThreadId());
    CU_ASSERT_FATAL(full && no_impersonate && no_direct);
    CU_ASSERT_EQUAL(NtImpersonateThread((HANDLE)(ULONG_PTR)0x7ff0, full, NULL),
                    STATUS_ACCESS_VIOLATION);
    CU_ASSERT_EQUAL(NtImpersonateThread(no_impersonate, full, &q), STATUS_ACCESS_DENIED);
    CU_ASSERT_EQUAL(NtImpersonateThread(full, no_direct, &q), STATUS_ACCESS_DENIED);
    CU_ASSERT_EQUAL(NtImpersonateThread(no_direct, no_impersonate, &q), STATUS_SUCCESS);
    CU_ASSERT(RevertToSelf());
    CU_ASSERT_EQUAL(NtImpersonateThread((HANDLE)(ULONG_PTR)0x7ff0, full, &q),
                    STATUS_INVALID_HANDLE);
    CU_ASSERT_EQUAL(NtImpersonateThread(full, (HANDLE)(ULONG_PTR)0x7ff0, &q),
                    STATUS_INVALID_HANDLE);
    q.Length = sizeof(q) + 4;
    CU_ASSERT_EQUAL(NtImpersonateThread(full, full, &q), STATUS_INVALID_PARAMETER);
    q = sqos(SecurityDelegation + 1, FALSE);
    CU_ASSERT_EQUAL(NtImpersonateThread(full, full, &q), STATUS_BAD_IMPERSONATION_LEVEL);
    q = sqos(SecurityImpersonation, 2);
    CU_ASSERT_EQUAL(NtImpersonateThread(full, full, &q), STATUS_INVALID_PARAMETER);
    CU_ASSERT(!impersonating());
    CloseHandle(full);
    CloseHandle(no_impersonate);
    CloseHandle(no_direct);
    leave(&s);
}

/* NtImpersonateThread with a client pthread of the same user that does
 * not impersonate: SeCreateClientSecurity on its primary token, then
 * SeImpersonateClient (ddi-notes.md §4, §5): the server impersonates at
 * the SQOS level with CopyOnOpen, so opening its token gives a private
 * impersonation copy at that level (NtOpenThreadTokenEx; ReactOS). */
static void impersonate_thread_same_user_client(void)
{
    struct sandbox s;
    struct client c = { 0 };
    SECURITY_QUALITY_OF_SERVICE q = sqos(SecurityImpersonation, TRUE);
    SECURITY_IMPERSONATION_LEVEL level = 99;
    HANDLE client_thread, h = NULL;
    struct imp now;

    enter(&s, SERVER, 0);
    client_start(&c, s.process, NULL);
    client_thread = OpenThread(THREAD_DIRECT_IMPERSONATION, FALSE, c.tid);
    CU_ASSERT_PTR_NOT_NULL_FATAL(client_thread);
    CU_ASSERT_EQUAL_FATAL(NtImpersonateThread(GetCurrentThread(), client_thread, &q),
                          STATUS_SUCCESS);
    now = my_imp();
    CU_ASSERT_EQUAL(now.level, SecurityImpersonation);
    CU_ASSERT(now.copy_on_open);
    ntsec_token_put(now.token);
    CU_ASSERT_FATAL(OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, FALSE, &h));
    CU_ASSERT_EQUAL(token_dword(h, TokenType), TokenImpersonation);
    CU_ASSERT_EQUAL(token_dword(h, TokenImpersonationLevel), SecurityImpersonation);
    CU_ASSERT_EQUAL(user_rid_of(h), SERVER);
    CloseHandle(h);
    CU_ASSERT_EQUAL(thread_user_rid(&level), SERVER);
    CU_ASSERT(RevertToSelf());
    CloseHandle(client_thread);
    client_stop(&c);
    leave(&s);
}

/* A client of another user (its own process): the server without
 * SeImpersonatePrivilege gets SecurityIdentification ([IMP], Microsoft
 * docs, ImpersonateLoggedOnUser Remarks; the kernel downgrades rather than
 * fails). It cannot open its token as the client
 * (ERROR_BAD_IMPERSONATION_LEVEL) but can as itself: the CopyOnOpen copy
 * grants the client's user and the server process' user, Administrators
 * and SYSTEM (ReactOS SepCreateImpersonationTokenDacl), which is what
 * OpenAsSelf is for (NtOpenThreadTokenEx, Microsoft docs, Remarks). */
static void impersonate_thread_other_user_gives_identification(void)
{
    struct sandbox s;
    struct client c = { 0 };
    struct ntsec_process *other = process_of(CLIENT, 0);
    SECURITY_QUALITY_OF_SERVICE q = sqos(SecurityImpersonation, FALSE);
    HANDLE client_thread, h = (HANDLE)0x1234;
    BYTE sd_buf[512];
    PACL dacl = NULL;
    BOOL present = FALSE, defaulted;
    DWORD need = 0;
    ACCESS_ALLOWED_ACE *ace;

    enter(&s, SERVER, 0);
    c.open_to_all = true;
    client_start(&c, other, NULL);
    client_thread = OpenThread(THREAD_DIRECT_IMPERSONATION, FALSE, c.tid);
    CU_ASSERT_PTR_NOT_NULL_FATAL(client_thread);
    CU_ASSERT_EQUAL_FATAL(NtImpersonateThread(GetCurrentThread(), client_thread, &q),
                          STATUS_SUCCESS);
    SetLastError(0);
    CU_ASSERT(!OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, FALSE, &h));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_BAD_IMPERSONATION_LEVEL);
    CU_ASSERT_EQUAL(h, (HANDLE)0x1234);
    CU_ASSERT_FATAL(OpenThreadToken(GetCurrentThread(), TOKEN_QUERY | READ_CONTROL, TRUE, &h));
    CU_ASSERT_EQUAL(token_dword(h, TokenImpersonationLevel), SecurityIdentification);
    CU_ASSERT_EQUAL(user_rid_of(h), CLIENT);
    CU_ASSERT_FATAL(GetKernelObjectSecurity(h, DACL_SECURITY_INFORMATION, sd_buf, sizeof(sd_buf),
                                            &need));
    CU_ASSERT_FATAL(GetSecurityDescriptorDacl(sd_buf, &present, &dacl, &defaulted));
    CU_ASSERT_FATAL(present && dacl);
    CU_ASSERT_EQUAL_FATAL(dacl->AceCount, 4);
    CU_ASSERT_FATAL(GetAce(dacl, 0, (void **)&ace));
    CU_ASSERT_EQUAL(*GetSidSubAuthority(&ace->SidStart, 4), CLIENT);
    CU_ASSERT_EQUAL(ace->Mask, TOKEN_ALL_ACCESS);
    CU_ASSERT_FATAL(GetAce(dacl, 1, (void **)&ace));
    CU_ASSERT_EQUAL(*GetSidSubAuthority(&ace->SidStart, 4), SERVER);
    CloseHandle(h);
    CU_ASSERT(RevertToSelf());
    CloseHandle(client_thread);
    client_stop(&c);
    leave(&s);
    ntsec_object_put(other);
}

/* SeCreateClientSecurity (Microsoft docs; ddi-notes.md §4): a client that
 * impersonates at SecurityIdentification has nothing to hand on:
 * STATUS_BAD_IMPERSONATION_LEVEL, and the server is unchanged. A client
 * impersonating at Impersonation hands on its impersonation token. */
static void impersonate_thread_client_level_rules(void)
{
    struct sandbox s;
    struct client c = { 0 }, d = { 0 };
    struct ntsec_token *ident = imp_token(SERVER, NTSEC_SECURITY_IDENTIFICATION);
    struct ntsec_token *full = imp_token(SERVER, NTSEC_SECURITY_DELEGATION);
    SECURITY_QUALITY_OF_SERVICE q = sqos(SecurityImpersonation, TRUE);
    HANDLE ct, dt;
    struct imp now;

    enter(&s, SERVER, 0);
    client_start(&c, s.process, ident);
    client_start(&d, s.process, full);
    ct = OpenThread(THREAD_DIRECT_IMPERSONATION, FALSE, c.tid);
    dt = OpenThread(THREAD_DIRECT_IMPERSONATION, FALSE, d.tid);
    CU_ASSERT_FATAL(ct && dt);
    CU_ASSERT_EQUAL(NtImpersonateThread(GetCurrentThread(), ct, &q),
                    STATUS_BAD_IMPERSONATION_LEVEL);
    CU_ASSERT(!impersonating());
    CU_ASSERT_EQUAL_FATAL(NtImpersonateThread(GetCurrentThread(), dt, &q), STATUS_SUCCESS);
    now = my_imp();
    /* Dynamic tracking, local server: the client's token itself, at the
     * SQOS level (SeImpersonateClientEx passes the QoS level). */
    CU_ASSERT_PTR_EQUAL(now.token, full);
    CU_ASSERT_EQUAL(now.level, NTSEC_SECURITY_IMPERSONATION);
    ntsec_token_put(now.token);
    CU_ASSERT(RevertToSelf());
    CloseHandle(ct);
    CloseHandle(dt);
    client_stop(&c);
    client_stop(&d);
    leave(&s);
    ntsec_token_put(full);
    ntsec_token_put(ident);
}

/* --- NtImpersonateAnonymousToken / ImpersonateAnonymousToken ------------------- */

/* ImpersonateAnonymousToken (Microsoft docs, Remarks: no Everyone unless
 * the registry says so; RevertToSelf ends it) and ReactOS
 * SepImpersonateAnonymousToken: the thread impersonates the anonymous
 * logon token (user ANONYMOUS LOGON S-1-5-7, AuthenticationId 0x3E6) at
 * SecurityImpersonation with CopyOnOpen, so opening it gives an
 * impersonation copy; every caller shares one token. */
static void impersonate_anonymous_token(void)
{
    struct sandbox s;
    TOKEN_STATISTICS stats;
    SID_IDENTIFIER_AUTHORITY world = { SECURITY_WORLD_SID_AUTHORITY };
    PSID everyone = NULL;
    BOOL member = TRUE;
    DWORD size = 0;
    HANDLE h = NULL;
    struct imp first, second;

    enter(&s, SERVER, 0);
    SetLastError(0xdeadbeef);
    CU_ASSERT_FATAL(ImpersonateAnonymousToken(GetCurrentThread()));
    CU_ASSERT_EQUAL(GetLastError(), 0xdeadbeef);
    first = my_imp();
    CU_ASSERT_EQUAL(first.level, NTSEC_SECURITY_IMPERSONATION);
    CU_ASSERT(first.copy_on_open);
    CU_ASSERT_FATAL(OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, FALSE, &h));
    CU_ASSERT_EQUAL(token_dword(h, TokenType), TokenImpersonation);
    CU_ASSERT_EQUAL(token_dword(h, TokenImpersonationLevel), SecurityImpersonation);
    CU_ASSERT_EQUAL(user_rid_of(h), SECURITY_ANONYMOUS_LOGON_RID);
    CU_ASSERT_FATAL(GetTokenInformation(h, TokenStatistics, &stats, sizeof(stats), &size));
    CU_ASSERT_EQUAL(stats.AuthenticationId.LowPart, 0x3e6);
    CU_ASSERT_EQUAL(stats.AuthenticationId.HighPart, 0);
    CU_ASSERT_FATAL(AllocateAndInitializeSid(&world, 1, SECURITY_WORLD_RID, 0, 0, 0, 0, 0, 0, 0,
                                             &everyone));
    CU_ASSERT(CheckTokenMembership(h, everyone, &member));
    CU_ASSERT(!member);
    CloseHandle(h);
    CU_ASSERT_EQUAL(NtImpersonateAnonymousToken(GetCurrentThread()), STATUS_SUCCESS);
    second = my_imp();
    CU_ASSERT_PTR_EQUAL(first.token, second.token);
    ntsec_token_put(first.token);
    ntsec_token_put(second.token);
    CU_ASSERT(RevertToSelf());
    CU_ASSERT(!impersonating());
    FreeSid(everyone);
    leave(&s);
}

/* ReactOS API test NtImpersonateAnonymousToken (on Windows): a NULL
 * handle is STATUS_INVALID_HANDLE, a handle without THREAD_IMPERSONATE
 * STATUS_ACCESS_DENIED (ERROR_ACCESS_DENIED); ImpersonateAnonymousToken
 * (Microsoft docs): "An error of ACCESS_DENIED may indicate that the
 * token is for a restricted process". Nothing changes. */
static void impersonate_anonymous_token_refusals(void)
{
    struct sandbox s;
    HANDLE weak;

    enter(&s, SERVER, 0);
    CU_ASSERT_EQUAL(NtImpersonateAnonymousToken(NULL), STATUS_INVALID_HANDLE);
    weak = OpenThread(THREAD_ALL_ACCESS & ~THREAD_IMPERSONATE, FALSE, GetCurrentThreadId());
    CU_ASSERT_PTR_NOT_NULL_FATAL(weak);
    CU_ASSERT_EQUAL(NtImpersonateAnonymousToken(weak), STATUS_ACCESS_DENIED);
    SetLastError(0);
    CU_ASSERT(!ImpersonateAnonymousToken(weak));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_ACCESS_DENIED);
    CU_ASSERT(!impersonating());
    CloseHandle(weak);
    leave(&s);

    enter(&s, SERVER, O_RESTRICTED);
    SetLastError(0);
    CU_ASSERT(!ImpersonateAnonymousToken(GetCurrentThread()));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_ACCESS_DENIED);
    CU_ASSERT(!impersonating());
    leave(&s);
}

/* --- registration -------------------------------------------------------------- */

static CU_TestInfo tests[] = {
    TEST(set_information_thread_checks_the_buffer_first),
    TEST(set_information_thread_needs_set_thread_token),
    TEST(set_information_thread_token_rules),
    TEST(set_information_thread_takes_the_token_at_its_level),
    TEST(set_information_thread_other_classes),
    TEST(set_thread_token_and_revert_to_self),
    TEST(set_thread_token_level_rules),
    TEST(set_thread_token_on_another_thread),
    TEST(impersonate_thread_bad_input),
    TEST(impersonate_thread_same_user_client),
    TEST(impersonate_thread_other_user_gives_identification),
    TEST(impersonate_thread_client_level_rules),
    TEST(impersonate_anonymous_token),
    TEST(impersonate_anonymous_token_refusals),
    CU_TEST_INFO_NULL,
};

void register_tests(void)
{
    eif_warm_up();
    testutil_add_suite("emul_impersonate", tests);
}
