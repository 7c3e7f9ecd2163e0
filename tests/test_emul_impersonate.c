/* test_emul_impersonate.c - the NT and Win32 impersonation API called as
 * Windows code calls it: NtSetInformationThread(ThreadImpersonationToken)
 * and SetThreadToken, NtImpersonateThread, NtImpersonateAnonymousToken and
 * ImpersonateAnonymousToken, RtlImpersonateSelf and ImpersonateSelf,
 * ImpersonateLoggedOnUser, RevertToSelf, NtOpenThreadToken(Ex) on what
 * they leave, and the access checks a thread makes at each level.
 *
 * Windows' results come from Microsoft docs (SetThreadToken,
 * ImpersonateLoggedOnUser, ImpersonateAnonymousToken, RevertToSelf,
 * NtOpenThreadTokenEx, SECURITY_IMPERSONATION_LEVEL), from what Wine's
 * dlls/advapi32/tests/security.c asserts on Windows (test_AccessCheck,
 * test_impersonation_level) and from the ReactOS API tests that pass on
 * Windows (modules/rostests/apitests/ntdll NtSetInformationThread.c,
 * NtImpersonateAnonymousToken.c, NtOpenThreadToken.c). Where ntsec had to
 * choose, the test says so.
 *
 * Each test runs in a sandbox: the calling pthread becomes a thread of a
 * new emulated process running as user S-1-5-21-1-2-3-1001 (SERVER) with
 * no SeImpersonatePrivilege unless the test asks for it; the client user
 * is S-1-5-21-1-2-3-1002 (CLIENT). */
#include <ntstatus.h>
#define WIN32_NO_STATUS
#include <ntsec/ntdll.h>
#include <ntsec/ntsec.h>
#include <sddl.h>

#include <pthread.h>
#include <semaphore.h>

#include "testutil.h"
#include "tokfix.h"

/* Declared by the Windows SDK (securitybaseapi.h), not by Wine's headers. */

#define SERVER 1001u
#define CLIENT 1002u

/* Token options. */
enum {
    O_IMPERSONATE_PRIVILEGE = 1,    /* SeImpersonatePrivilege, enabled */
    O_RESTRICTED = 2,               /* restricted SIDs (Everyone) */
};

/* --- fixtures ------------------------------------------------------------- */

/* A token of user S-1-5-21-1-2-3-<rid> as LogonUser makes one (tokfix.h:
 * Everyone, Users, Administrators, the Medium label, SeChangeNotify
 * enabled, SeShutdown disabled) with the default DACL of a logged-on user:
 * the user and SYSTEM, GENERIC_ALL each. A new reference. */
static struct ntsec_token *user_token(uint32_t rid, enum ntsec_token_type type,
                                      enum ntsec_impersonation_level level, unsigned opts)
{
    struct tf_token f;
    struct ntsec_luid_and_attributes privs[3];
    struct ntsec_sid system;
    _Alignas(4) uint8_t dacl[128];
    uint32_t sub[5] = { 21, 1, 2, 3, rid };
    struct ntsec_token *t = NULL, *r = NULL;

    tf_init(&f);
    CU_ASSERT_FATAL(ntsec_success(ntsec_sid_init(&f.user, 5, 5, sub)));
    tf_sid(&system, "S-1-5-18");
    CU_ASSERT_FATAL(ntsec_success(ntsec_acl_init((struct ntsec_acl *)dacl, sizeof(dacl), 2)));
    CU_ASSERT_FATAL(ntsec_success(ntsec_acl_add_access_ace((struct ntsec_acl *)dacl, 2,
        NTSEC_ACE_ACCESS_ALLOWED, 0, NTSEC_GENERIC_ALL, &f.user)));
    CU_ASSERT_FATAL(ntsec_success(ntsec_acl_add_access_ace((struct ntsec_acl *)dacl, 2,
        NTSEC_ACE_ACCESS_ALLOWED, 0, NTSEC_GENERIC_ALL, &system)));
    memcpy(privs, f.privs, sizeof(f.privs));
    if (opts & O_IMPERSONATE_PRIVILEGE) {
        privs[2] = (struct ntsec_luid_and_attributes){ { NTSEC_SE_IMPERSONATE_PRIVILEGE, 0 },
                                                       NTSEC_SE_PRIVILEGE_ENABLED };
        f.desc.privilege_count = 3;
    }
    f.desc.privileges = privs;
    f.desc.default_dacl = (struct ntsec_acl *)dacl;
    f.desc.type = type;
    f.desc.level = level;
    CU_ASSERT_FATAL(ntsec_token_create(&f.desc, &t) == NTSEC_STATUS_SUCCESS);
    if (!(opts & O_RESTRICTED))
        return t;
    {
        struct ntsec_sid_and_attributes everyone = { &f.everyone, 0 };
        struct ntsec_token_filter filter = { .restricted_sids = &everyone, .restricted_count = 1 };

        CU_ASSERT_FATAL(ntsec_token_filter(t, &filter, &r) == NTSEC_STATUS_SUCCESS);
        ntsec_token_put(t);
        return r;
    }
}

static struct ntsec_token *imp_token(uint32_t rid, enum ntsec_impersonation_level level)
{
    return user_token(rid, NTSEC_TOKEN_IMPERSONATION, level, 0);
}

/* A handle in the current process to `t` with `access` (the handle takes
 * its own reference). */
static HANDLE handle_of(struct ntsec_token *t, ACCESS_MASK access)
{
    ntsec_handle h = 0;

    CU_ASSERT_FATAL(ntsec_handle_create(t, access, 0, &h) == NTSEC_STATUS_SUCCESS);
    return (HANDLE)h;
}

struct sandbox {
    struct ntsec_process *home, *process;
};

/* An emulated process running as user `rid` (a new reference). */
static struct ntsec_process *process_of(uint32_t rid, unsigned opts)
{
    struct ntsec_token *t = user_token(rid, NTSEC_TOKEN_PRIMARY, 0, opts);
    struct ntsec_process *p = NULL;

    CU_ASSERT_FATAL(ntsec_process_create(t, "sandbox", &p) == NTSEC_STATUS_SUCCESS);
    ntsec_token_put(t);
    return p;
}

/* The calling pthread becomes a thread of a new process running as
 * `rid`, with an empty handle table. */
static void enter(struct sandbox *s, uint32_t rid, unsigned opts)
{
    s->home = ntsec_process_current();
    s->process = process_of(rid, opts);
    CU_ASSERT_FATAL(ntsec_thread_bind(s->process) == NTSEC_STATUS_SUCCESS);
}

/* Back home; every handle of the sandbox must have been closed. */
static void leave(struct sandbox *s)
{
    CU_ASSERT_EQUAL(ntsec_handle_count(s->process), 0);
    CU_ASSERT(ntsec_thread_bind(s->home) == NTSEC_STATUS_SUCCESS);
    ntsec_object_put(s->process);
}

/* What the calling thread impersonates (PsReferenceImpersonationToken). */
struct imp {
    struct ntsec_token *token;          /* a reference, or NULL */
    enum ntsec_impersonation_level level;
    bool copy_on_open, effective_only;
};

static struct imp imp_of(struct ntsec_thread *thread)
{
    struct imp i = { 0 };

    i.token = ntsec_thread_impersonation(thread, &i.level, &i.copy_on_open, &i.effective_only);
    return i;
}

static struct imp my_imp(void)
{
    return imp_of(ntsec_thread_current());
}

/* The last sub-authority of a native token's user (TOKEN_USER). */
static DWORD native_user_rid(const struct ntsec_token *t)
{
    _Alignas(8) BYTE buf[sizeof(TOKEN_USER) + SECURITY_MAX_SID_SIZE];
    uint32_t need = 0;
    const SID *sid;

    CU_ASSERT_FATAL(ntsec_token_query(t, NTSEC_TOKEN_USER, buf, sizeof(buf), &need) ==
                    NTSEC_STATUS_SUCCESS);
    sid = ((TOKEN_USER *)buf)->User.Sid;
    return sid->SubAuthority[sid->SubAuthorityCount - 1];
}

/* The user rid and level the calling thread impersonates (0 when it does
 * not), read from the thread itself. */
static DWORD my_user_rid(enum ntsec_impersonation_level *level)
{
    struct imp i = my_imp();
    DWORD rid = i.token ? native_user_rid(i.token) : 0;

    *level = i.level;
    ntsec_token_put(i.token);
    return rid;
}

static bool impersonating(void)
{
    struct imp i = my_imp();

    ntsec_token_put(i.token);
    return i.token != NULL;
}

/* The last sub-authority of a token's user (TokenUser). */
static DWORD user_rid_of(HANDLE token)
{
    BYTE buf[sizeof(TOKEN_USER) + SECURITY_MAX_SID_SIZE];
    DWORD size = 0;
    PSID sid;

    CU_ASSERT_FATAL(GetTokenInformation(token, TokenUser, buf, sizeof(buf), &size));
    sid = ((TOKEN_USER *)buf)->User.Sid;
    return *GetSidSubAuthority(sid, *GetSidSubAuthorityCount(sid) - 1);
}

static DWORD token_dword(HANDLE h, TOKEN_INFORMATION_CLASS cls)
{
    DWORD v = 0xdeadbeef, len = 0;

    CU_ASSERT(GetTokenInformation(h, cls, &v, sizeof(v), &len));
    return v;
}

/* The user rid and level of the calling thread's token, opened as self;
 * 0 when it cannot be opened. */
static DWORD thread_user_rid(SECURITY_IMPERSONATION_LEVEL *level)
{
    HANDLE h = NULL;
    DWORD rid;

    if (!OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &h))
        return 0;
    rid = user_rid_of(h);
    if (level)
        *level = token_dword(h, TokenImpersonationLevel);
    CloseHandle(h);
    return rid;
}

static NTSTATUS set_token(HANDLE thread, HANDLE token)
{
    return NtSetInformationThread(thread, ThreadImpersonationToken, &token, sizeof(token));
}

/* Token handles most tests need: a SERVER impersonation token with
 * TOKEN_IMPERSONATE (good) and with TOKEN_QUERY only (weak), and a SERVER
 * primary token with every access. */
struct handles {
    struct ntsec_token *t, *p;
    HANDLE good, weak, primary;
};

static void handles_open(struct handles *h)
{
    h->t = imp_token(SERVER, NTSEC_SECURITY_IMPERSONATION);
    h->p = user_token(SERVER, NTSEC_TOKEN_PRIMARY, 0, 0);
    h->good = handle_of(h->t, TOKEN_IMPERSONATE);
    h->weak = handle_of(h->t, TOKEN_QUERY);
    h->primary = handle_of(h->p, TOKEN_ALL_ACCESS);
}

static void handles_close(struct handles *h)
{
    CloseHandle(h->good);
    CloseHandle(h->weak);
    CloseHandle(h->primary);
    ntsec_token_put(h->p);
    ntsec_token_put(h->t);
}

/* --- a client thread --------------------------------------------------------- */

/* A pthread bound to `process` that impersonates `token` (if any, through
 * SetThreadToken) and waits until the test is done with it. With
 * `open_to_all` it first lets anyone open its thread object (a client of
 * another user grants its server THREAD_DIRECT_IMPERSONATION this way). */
struct client {
    pthread_t th;
    struct ntsec_process *process;
    struct ntsec_token *token;
    bool open_to_all;
    DWORD tid;
    BOOL impersonated;
    sem_t ready, done;
};

static void *client_main(void *arg)
{
    struct client *c = arg;

    ntsec_thread_bind(c->process);
    c->impersonated = TRUE;
    if (c->open_to_all) {
        PSECURITY_DESCRIPTOR sd = NULL;

        c->impersonated =
            ConvertStringSecurityDescriptorToSecurityDescriptorW((LPCWSTR)u"D:(A;;0x1fffff;;;WD)",
                                                                 SDDL_REVISION_1, &sd, NULL) &&
            SetKernelObjectSecurity(GetCurrentThread(), DACL_SECURITY_INFORMATION, sd);
        LocalFree(sd);
    }
    if (c->token) {
        HANDLE h = handle_of(c->token, TOKEN_IMPERSONATE);

        c->impersonated = SetThreadToken(NULL, h);
        CloseHandle(h);
    }
    c->tid = GetCurrentThreadId();
    sem_post(&c->ready);
    sem_wait(&c->done);
    RevertToSelf();
    return NULL;
}

static void client_start(struct client *c, struct ntsec_process *process, struct ntsec_token *token)
{
    c->process = process;
    c->token = token;
    CU_ASSERT_FATAL(sem_init(&c->ready, 0, 0) == 0 && sem_init(&c->done, 0, 0) == 0);
    CU_ASSERT_FATAL(pthread_create(&c->th, NULL, client_main, c) == 0);
    sem_wait(&c->ready);
    CU_ASSERT_FATAL(c->impersonated);
}

static void client_stop(struct client *c)
{
    sem_post(&c->done);
    pthread_join(c->th, NULL);
    sem_destroy(&c->ready);
    sem_destroy(&c->done);
}

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

/* In a sandbox of SERVER with `opts`, `take` (SetThreadToken or
 * ImpersonateLoggedOnUser) a handle with `access` to `t`: the user rid and
 * the level the thread then impersonates. */
static DWORD taken_as(BOOL (WINAPI *take)(HANDLE), struct ntsec_token *t, ACCESS_MASK access,
                      unsigned opts, enum ntsec_impersonation_level *level)
{
    struct sandbox s;
    HANDLE h;
    DWORD rid = 0;

    enter(&s, SERVER, opts);
    h = handle_of(t, access);
    if (take(h))
        rid = my_user_rid(level);
    CU_ASSERT(RevertToSelf());
    CloseHandle(h);
    leave(&s);
    return rid;
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

/* --- ImpersonateSelf / RtlImpersonateSelf -------------------------------------- */

/* Wine's test_impersonation_level (on Windows): after
 * ImpersonateSelf(SecurityAnonymous) OpenThreadToken with OpenAsSelf fails
 * with ERROR_CANT_OPEN_ANONYMOUS; after SecurityIdentification it opens
 * (as self) and PrivilegeCheck on it works; ReactOS API test
 * NtOpenThreadToken (on Windows): after RtlImpersonateSelf(
 * SecurityImpersonation) the token opens with OpenAsSelf FALSE and TRUE.
 * The token is a copy of the process token (its user). */
static void impersonate_self_levels(void)
{
    struct sandbox s;
    PRIVILEGE_SET set = { 1, PRIVILEGE_SET_ALL_NECESSARY,
                          { { { SE_CHANGE_NOTIFY_PRIVILEGE, 0 }, 0 } } };
    SECURITY_IMPERSONATION_LEVEL level = 99;
    BOOL held = FALSE;
    HANDLE h = (HANDLE)0x1234;

    enter(&s, SERVER, 0);
    CU_ASSERT_FATAL(ImpersonateSelf(SecurityAnonymous));
    SetLastError(0);
    CU_ASSERT(!OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &h));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_CANT_OPEN_ANONYMOUS);
    CU_ASSERT_EQUAL(h, (HANDLE)0x1234);
    CU_ASSERT(RevertToSelf());
    CU_ASSERT_FATAL(ImpersonateSelf(SecurityIdentification));
    CU_ASSERT_FATAL(OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &h));
    CU_ASSERT_EQUAL(token_dword(h, TokenImpersonationLevel), SecurityIdentification);
    CU_ASSERT_EQUAL(user_rid_of(h), SERVER);
    CU_ASSERT(PrivilegeCheck(h, &set, &held));
    CU_ASSERT(held);
    CloseHandle(h);
    CU_ASSERT(RevertToSelf());
    CU_ASSERT_EQUAL_FATAL(RtlImpersonateSelf(SecurityImpersonation), STATUS_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(NtOpenThreadToken(GetCurrentThread(), TOKEN_READ, FALSE, &h),
                          STATUS_SUCCESS);
    CloseHandle(h);
    CU_ASSERT_EQUAL(thread_user_rid(&level), SERVER);
    CU_ASSERT_EQUAL(level, SecurityImpersonation);
    CU_ASSERT(RevertToSelf());
    leave(&s);
}

/* RtlImpersonateSelf goes through NtOpenProcessToken and NtDuplicateToken
 * (Wine's and ReactOS' RtlImpersonateSelf), so their statuses surface: a
 * level above SecurityDelegation is NtDuplicateToken's
 * STATUS_INVALID_PARAMETER (ERROR_INVALID_PARAMETER; libsec's status for
 * it, from ReactOS NtDuplicateToken), and a thread impersonating the anonymous logon may not open
 * its process' token (OpenProcessToken, Microsoft docs: the access is
 * "reconciled against the token's DACL" with the caller's effective
 * token): ERROR_ACCESS_DENIED. The thread keeps what it had. */
static void impersonate_self_failures(void)
{
    struct sandbox s;
    struct imp before, after;

    enter(&s, SERVER, 0);
    SetLastError(0);
    CU_ASSERT(!ImpersonateSelf(SecurityDelegation + 1));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
    CU_ASSERT(!impersonating());
    CU_ASSERT_FATAL(ImpersonateAnonymousToken(GetCurrentThread()));
    before = my_imp();
    CU_ASSERT(!ImpersonateSelf(SecurityImpersonation));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_ACCESS_DENIED);
    after = my_imp();
    CU_ASSERT_PTR_EQUAL(before.token, after.token);
    ntsec_token_put(before.token);
    ntsec_token_put(after.token);
    CU_ASSERT(RevertToSelf());
    leave(&s);
}

/* --- ImpersonateLoggedOnUser ----------------------------------------------------- */

/* ImpersonateLoggedOnUser (Microsoft docs, hToken): a primary token needs
 * TOKEN_QUERY and TOKEN_DUPLICATE, and the thread impersonates a duplicate
 * at SecurityImpersonation (an impersonation token, not the primary
 * token object); success leaves the last error. */
static void impersonate_logged_on_user_primary(void)
{
    struct sandbox s;
    struct ntsec_token *p = user_token(SERVER, NTSEC_TOKEN_PRIMARY, 0, 0);
    HANDLE good, no_dup, no_query, h = NULL;
    struct imp now;

    enter(&s, SERVER, 0);
    good = handle_of(p, TOKEN_QUERY | TOKEN_DUPLICATE);
    no_dup = handle_of(p, TOKEN_QUERY | TOKEN_IMPERSONATE);
    no_query = handle_of(p, TOKEN_DUPLICATE | TOKEN_IMPERSONATE);
    SetLastError(0);
    CU_ASSERT(!ImpersonateLoggedOnUser(no_dup));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_ACCESS_DENIED);
    CU_ASSERT(!ImpersonateLoggedOnUser(no_query));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_ACCESS_DENIED);
    CU_ASSERT(!ImpersonateLoggedOnUser((HANDLE)(ULONG_PTR)0x7ff0));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_HANDLE);
    CU_ASSERT(!impersonating());
    SetLastError(0xdeadbeef);
    CU_ASSERT_FATAL(ImpersonateLoggedOnUser(good));
    CU_ASSERT_EQUAL(GetLastError(), 0xdeadbeef);
    now = my_imp();
    CU_ASSERT(now.token != p);
    CU_ASSERT_EQUAL(now.level, NTSEC_SECURITY_IMPERSONATION);
    CU_ASSERT(!now.copy_on_open);
    ntsec_token_put(now.token);
    CU_ASSERT_FATAL(OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, FALSE, &h));
    CU_ASSERT_EQUAL(token_dword(h, TokenType), TokenImpersonation);
    CU_ASSERT_EQUAL(token_dword(h, TokenImpersonationLevel), SecurityImpersonation);
    CloseHandle(h);
    CU_ASSERT(RevertToSelf());
    CloseHandle(good);
    CloseHandle(no_dup);
    CloseHandle(no_query);
    leave(&s);
    ntsec_token_put(p);
}

/* ImpersonateLoggedOnUser (Microsoft docs, hToken): an impersonation token
 * needs TOKEN_QUERY and TOKEN_IMPERSONATE and is used as it is, at its own
 * level (SecurityIdentification here: opening objects as it then fails). */
static void impersonate_logged_on_user_impersonation_token(void)
{
    struct sandbox s;
    struct ntsec_token *t = imp_token(SERVER, NTSEC_SECURITY_IDENTIFICATION);
    HANDLE good, no_imp, h = (HANDLE)0x1234;
    struct imp now;

    enter(&s, SERVER, 0);
    good = handle_of(t, TOKEN_QUERY | TOKEN_IMPERSONATE);
    no_imp = handle_of(t, TOKEN_QUERY | TOKEN_DUPLICATE);
    SetLastError(0);
    CU_ASSERT(!ImpersonateLoggedOnUser(no_imp));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_ACCESS_DENIED);
    CU_ASSERT(!impersonating());
    CU_ASSERT_FATAL(ImpersonateLoggedOnUser(good));
    now = my_imp();
    CU_ASSERT_PTR_EQUAL(now.token, t);
    CU_ASSERT_EQUAL(now.level, NTSEC_SECURITY_IDENTIFICATION);
    ntsec_token_put(now.token);
    CU_ASSERT(!OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, FALSE, &h));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_BAD_IMPERSONATION_LEVEL);
    CU_ASSERT(RevertToSelf());
    CloseHandle(good);
    CloseHandle(no_imp);
    leave(&s);
    ntsec_token_put(t);
}

/* ImpersonateLoggedOnUser, Remarks (Microsoft docs): impersonating another
 * user's token needs SeImpersonatePrivilege; without it the thread gets
 * SecurityIdentification, with it SecurityImpersonation. */
static void impersonate_logged_on_user_level_rules(void)
{
    struct ntsec_token *p = user_token(CLIENT, NTSEC_TOKEN_PRIMARY, 0, 0);
    enum ntsec_impersonation_level level = 99;

    CU_ASSERT_EQUAL(taken_as(ImpersonateLoggedOnUser, p, TOKEN_QUERY | TOKEN_DUPLICATE, 0, &level),
                    CLIENT);
    CU_ASSERT_EQUAL(level, NTSEC_SECURITY_IDENTIFICATION);
    CU_ASSERT_EQUAL(taken_as(ImpersonateLoggedOnUser, p, TOKEN_QUERY | TOKEN_DUPLICATE,
                             O_IMPERSONATE_PRIVILEGE, &level), CLIENT);
    CU_ASSERT_EQUAL(level, NTSEC_SECURITY_IMPERSONATION);
    ntsec_token_put(p);
}

/* STYLE rule 8: every allocation failure of ImpersonateLoggedOnUser on a
 * primary token is ERROR_NOT_ENOUGH_MEMORY, leaves the thread as it was
 * and leaks nothing. */
static void impersonate_logged_on_user_out_of_memory(void)
{
    struct sandbox s;
    struct ntsec_token *p = user_token(SERVER, NTSEC_TOKEN_PRIMARY, 0, 0);
    HANDLE h;
    BOOL ok = FALSE;
    long live;

    enter(&s, SERVER, 0);
    h = handle_of(p, TOKEN_QUERY | TOKEN_DUPLICATE);
    live = testutil_live();
    for (long n = 0; !ok && n < 100; n++) {
        testutil_fail_alloc_after(n);
        ok = ImpersonateLoggedOnUser(h);
        testutil_fail_alloc_after(-1);
        if (!ok) {
            CU_ASSERT_EQUAL(GetLastError(), ERROR_NOT_ENOUGH_MEMORY);
            CU_ASSERT(!impersonating());
            CU_ASSERT_EQUAL(testutil_live(), live);
        }
    }
    CU_ASSERT(ok);
    CU_ASSERT(RevertToSelf());
    CloseHandle(h);
    leave(&s);
    ntsec_token_put(p);
}

/* --- NtOpenThreadToken(Ex) on what the calls leave ----------------------------- */

/* NtOpenThreadTokenEx (Microsoft docs, ThreadHandle: "The handle must have
 * THREAD_QUERY_INFORMATION access"; Return value: STATUS_ACCESS_DENIED
 * otherwise), checked before the thread's state: a handle with only
 * THREAD_QUERY_LIMITED_INFORMATION is refused even for a thread that does
 * not impersonate. */
static void open_thread_token_needs_query_information(void)
{
    struct sandbox s;
    HANDLE limited, h = (HANDLE)0x1234;

    enter(&s, SERVER, 0);
    limited = OpenThread(THREAD_QUERY_LIMITED_INFORMATION, FALSE, GetCurrentThreadId());
    CU_ASSERT_PTR_NOT_NULL_FATAL(limited);
    CU_ASSERT_EQUAL(NtOpenThreadTokenEx(limited, TOKEN_QUERY, TRUE, 0, &h), STATUS_ACCESS_DENIED);
    CU_ASSERT_FATAL(ImpersonateSelf(SecurityImpersonation));
    SetLastError(0);
    CU_ASSERT(!OpenThreadToken(limited, TOKEN_QUERY, TRUE, &h));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_ACCESS_DENIED);
    CU_ASSERT_EQUAL(h, (HANDLE)0x1234);
    CU_ASSERT(RevertToSelf());
    CloseHandle(limited);
    leave(&s);
}

/* STYLE rule 8: opening a CopyOnOpen impersonation (the anonymous token)
 * makes a copy and gives it a DACL; every allocation failure on the way is
 * STATUS_NO_MEMORY, writes no handle and leaks nothing. */
static void open_thread_token_copy_out_of_memory(void)
{
    struct sandbox s;
    NTSTATUS st = STATUS_NO_MEMORY;
    HANDLE h;
    long live;

    enter(&s, SERVER, 0);
    CU_ASSERT_FATAL(ImpersonateAnonymousToken(GetCurrentThread()));
    live = testutil_live();
    for (long n = 0; st != STATUS_SUCCESS && n < 100; n++) {
        h = (HANDLE)0x1234;
        testutil_fail_alloc_after(n);
        st = NtOpenThreadTokenEx(GetCurrentThread(), TOKEN_QUERY, FALSE, 0, &h);
        testutil_fail_alloc_after(-1);
        if (st != STATUS_SUCCESS) {
            CU_ASSERT_EQUAL(st, STATUS_NO_MEMORY);
            CU_ASSERT_EQUAL(h, (HANDLE)0x1234);
            CU_ASSERT_EQUAL(testutil_live(), live);
        }
    }
    CU_ASSERT_EQUAL_FATAL(st, STATUS_SUCCESS);
    CloseHandle(h);
    CU_ASSERT(RevertToSelf());
    leave(&s);
}

/* --- access checks at each level ------------------------------------------------ */

/* SECURITY_IMPERSONATION_LEVEL (Microsoft docs): at SecurityIdentification
 * "the server can make access-validation decisions", so AccessCheck,
 * PrivilegeCheck and CheckTokenMembership (with the token, and with NULL
 * for the thread's own) answer; an anonymous-level token cannot be asked:
 * AccessCheck fails with ERROR_BAD_IMPERSONATION_LEVEL (Wine's
 * test_AccessCheck, on Windows), PrivilegeCheck too (Wine's
 * test_impersonation_level), and CheckTokenMembership, an access check
 * on Windows, likewise. */
static void access_checks_at_identification_and_anonymous(void)
{
    struct sandbox s;
    GENERIC_MAPPING mapping = { 1, 2, 4, 7 };
    PRIVILEGE_SET set = { 1, PRIVILEGE_SET_ALL_NECESSARY,
                          { { { SE_CHANGE_NOTIFY_PRIVILEGE, 0 }, 0 } } };
    BYTE privs[256];
    DWORD privs_len = sizeof(privs), granted = 0xdeadbeef;
    BOOL status = FALSE, held = FALSE, member = FALSE;
    PSECURITY_DESCRIPTOR sd = NULL;
    SID_IDENTIFIER_AUTHORITY world = { SECURITY_WORLD_SID_AUTHORITY };
    PSID everyone = NULL;
    HANDLE process = NULL, ident = NULL, anon = NULL;

    enter(&s, SERVER, 0);
    CU_ASSERT_FATAL(ConvertStringSecurityDescriptorToSecurityDescriptorW(
        (LPCWSTR)u"O:SYG:SYD:(A;;0x1;;;WD)", SDDL_REVISION_1, &sd, NULL));
    CU_ASSERT_FATAL(AllocateAndInitializeSid(&world, 1, SECURITY_WORLD_RID, 0, 0, 0, 0, 0, 0, 0,
                                             &everyone));
    CU_ASSERT_FATAL(ImpersonateSelf(SecurityIdentification));
    CU_ASSERT_FATAL(OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &ident));
    CU_ASSERT(CheckTokenMembership(NULL, everyone, &member));
    CU_ASSERT(member);
    CU_ASSERT(RevertToSelf());
    CU_ASSERT(AccessCheck(sd, ident, 1, &mapping, (PPRIVILEGE_SET)privs, &privs_len, &granted,
                          &status));
    CU_ASSERT(status);
    CU_ASSERT_EQUAL(granted, 1);
    CU_ASSERT(PrivilegeCheck(ident, &set, &held));
    CU_ASSERT(held);
    member = FALSE;
    CU_ASSERT(CheckTokenMembership(ident, everyone, &member));
    CU_ASSERT(member);

    CU_ASSERT_FATAL(OpenProcessToken(GetCurrentProcess(), TOKEN_DUPLICATE, &process));
    CU_ASSERT_FATAL(DuplicateToken(process, SecurityAnonymous, &anon));
    granted = 0xdeadbeef;
    SetLastError(0xdeadbeef);
    CU_ASSERT(!AccessCheck(sd, anon, 1, &mapping, (PPRIVILEGE_SET)privs, &privs_len, &granted,
                           &status));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_BAD_IMPERSONATION_LEVEL);
    CU_ASSERT_EQUAL(granted, 0xdeadbeef);
    CU_ASSERT(!PrivilegeCheck(anon, &set, &held));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_BAD_IMPERSONATION_LEVEL);
    CU_ASSERT(!CheckTokenMembership(anon, everyone, &member));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_BAD_IMPERSONATION_LEVEL);
    CU_ASSERT(!member);
    CloseHandle(anon);
    CloseHandle(process);
    CloseHandle(ident);
    FreeSid(everyone);
    LocalFree(sd);
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
    TEST(impersonate_self_levels),
    TEST(impersonate_self_failures),
    TEST(impersonate_logged_on_user_primary),
    TEST(impersonate_logged_on_user_impersonation_token),
    TEST(impersonate_logged_on_user_level_rules),
    TEST(impersonate_logged_on_user_out_of_memory),
    TEST(open_thread_token_needs_query_information),
    TEST(open_thread_token_copy_out_of_memory),
    TEST(access_checks_at_identification_and_anonymous),
    CU_TEST_INFO_NULL,
};

/* The shared anonymous logon token lives as long as the program, as
 * Windows' does: made before the runner counts. */
static void warm_up(void)
{
    struct ntsec_token *anonymous = NULL;

    if (ntsec_token_anonymous(&anonymous) == NTSEC_STATUS_SUCCESS)
        ntsec_token_put(anonymous);
}

void register_tests(void)
{
    warm_up();
    testutil_add_suite("emul_impersonate", tests);
}
