/* emulimpfix.h - fixtures of the tests of the NT and Win32 impersonation
 * API (test_emul_impersonate.c, test_emul_impersonate_self.c): tokens of a
 * chosen user and level, as handles; the sandbox that makes the calling
 * pthread a thread of a new emulated process running as SERVER; readers
 * of a thread's impersonation state; a client thread of another process.
 *
 * Each test runs in a sandbox: the calling pthread becomes a thread of a
 * new emulated process running as user S-1-5-21-1-2-3-1001 (SERVER) with
 * no SeImpersonatePrivilege unless the test asks for it; the client user
 * is S-1-5-21-1-2-3-1002 (CLIENT). */
#ifndef NTSEC_TESTS_EMULIMPFIX_H
#define NTSEC_TESTS_EMULIMPFIX_H
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
static inline struct ntsec_token *user_token(uint32_t rid, enum ntsec_token_type type,
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

static inline struct ntsec_token *imp_token(uint32_t rid, enum ntsec_impersonation_level level)
{
    return user_token(rid, NTSEC_TOKEN_IMPERSONATION, level, 0);
}

/* A handle in the current process to `t` with `access` (the handle takes
 * its own reference). */
static inline HANDLE handle_of(struct ntsec_token *t, ACCESS_MASK access)
{
    ntsec_handle h = 0;

    CU_ASSERT_FATAL(ntsec_handle_create(t, access, 0, &h) == NTSEC_STATUS_SUCCESS);
    return (HANDLE)h;
}

struct sandbox {
    struct ntsec_process *home, *process;
};

/* An emulated process running as user `rid` (a new reference). */
static inline struct ntsec_process *process_of(uint32_t rid, unsigned opts)
{
    struct ntsec_token *t = user_token(rid, NTSEC_TOKEN_PRIMARY, 0, opts);
    struct ntsec_process *p = NULL;

    CU_ASSERT_FATAL(ntsec_process_create(t, "sandbox", &p) == NTSEC_STATUS_SUCCESS);
    ntsec_token_put(t);
    return p;
}

/* The calling pthread becomes a thread of a new process running as
 * `rid`, with an empty handle table. */
static inline void enter(struct sandbox *s, uint32_t rid, unsigned opts)
{
    s->home = ntsec_process_current();
    s->process = process_of(rid, opts);
    CU_ASSERT_FATAL(ntsec_thread_bind(s->process) == NTSEC_STATUS_SUCCESS);
}

/* Back home; every handle of the sandbox must have been closed. */
static inline void leave(struct sandbox *s)
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

static inline struct imp imp_of(struct ntsec_thread *thread)
{
    struct imp i = { 0 };

    i.token = ntsec_thread_impersonation(thread, &i.level, &i.copy_on_open, &i.effective_only);
    return i;
}

static inline struct imp my_imp(void)
{
    return imp_of(ntsec_thread_current());
}

/* The last sub-authority of a native token's user (TOKEN_USER). */
static inline DWORD native_user_rid(const struct ntsec_token *t)
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
static inline DWORD my_user_rid(enum ntsec_impersonation_level *level)
{
    struct imp i = my_imp();
    DWORD rid = i.token ? native_user_rid(i.token) : 0;

    *level = i.level;
    ntsec_token_put(i.token);
    return rid;
}

static inline bool impersonating(void)
{
    struct imp i = my_imp();

    ntsec_token_put(i.token);
    return i.token != NULL;
}

/* The last sub-authority of a token's user (TokenUser). */
static inline DWORD user_rid_of(HANDLE token)
{
    BYTE buf[sizeof(TOKEN_USER) + SECURITY_MAX_SID_SIZE];
    DWORD size = 0;
    PSID sid;

    CU_ASSERT_FATAL(GetTokenInformation(token, TokenUser, buf, sizeof(buf), &size));
    sid = ((TOKEN_USER *)buf)->User.Sid;
    return *GetSidSubAuthority(sid, *GetSidSubAuthorityCount(sid) - 1);
}

static inline DWORD token_dword(HANDLE h, TOKEN_INFORMATION_CLASS cls)
{
    DWORD v = 0xdeadbeef, len = 0;

    CU_ASSERT(GetTokenInformation(h, cls, &v, sizeof(v), &len));
    return v;
}

/* The user rid and level of the calling thread's token, opened as self;
 * 0 when it cannot be opened. */
static inline DWORD thread_user_rid(SECURITY_IMPERSONATION_LEVEL *level)
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

static inline NTSTATUS set_token(HANDLE thread, HANDLE token)
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

static inline void handles_open(struct handles *h)
{
    h->t = imp_token(SERVER, NTSEC_SECURITY_IMPERSONATION);
    h->p = user_token(SERVER, NTSEC_TOKEN_PRIMARY, 0, 0);
    h->good = handle_of(h->t, TOKEN_IMPERSONATE);
    h->weak = handle_of(h->t, TOKEN_QUERY);
    h->primary = handle_of(h->p, TOKEN_ALL_ACCESS);
}

static inline void handles_close(struct handles *h)
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

static inline void *client_main(void *arg)
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

static inline void client_start(struct client *c, struct ntsec_process *process, struct ntsec_token *token)
{
    c->process = process;
    c->token = token;
    CU_ASSERT_FATAL(sem_init(&c->ready, 0, 0) == 0 && sem_init(&c->done, 0, 0) == 0);
    CU_ASSERT_FATAL(pthread_create(&c->th, NULL, client_main, c) == 0);
    sem_wait(&c->ready);
    CU_ASSERT_FATAL(c->impersonated);
}

static inline void client_stop(struct client *c)
{
    sem_post(&c->done);
    pthread_join(c->th, NULL);
    sem_destroy(&c->ready);
    sem_destroy(&c->done);
}

/* In a sandbox of SERVER with `opts`, `take` (SetThreadToken or
 * ImpersonateLoggedOnUser) a handle with `access` to `t`: the user rid and
 * the level the thread then impersonates. */
static inline DWORD taken_as(BOOL (WINAPI *take)(HANDLE), struct ntsec_token *t, ACCESS_MASK access,
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

/* The shared anonymous logon token lives as long as the program, as
 * Windows' does: made before the runner counts. */
static inline void eif_warm_up(void)
{
    struct ntsec_token *anonymous = NULL;

    if (ntsec_token_anonymous(&anonymous) == NTSEC_STATUS_SUCCESS)
        ntsec_token_put(anonymous);
}

#endif
