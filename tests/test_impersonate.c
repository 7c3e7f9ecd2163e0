/* test_impersonate.c - thread impersonation (libsec/impersonate.c):
 * PsImpersonateClient through ntsec_thread_impersonate, PsRevertToSelf,
 * PsDisableImpersonation / PsRestoreImpersonation, and the
 * SeTokenCanImpersonate downgrade a thread gets when its process may not
 * impersonate the token.
 *
 * Sources, by the keys of /work/shared/reference/ddi-notes.md: [PIC]
 * "PsImpersonateClient", [PRIT] "PsReferenceImpersonationToken" (Microsoft
 * docs); [IMP] the Remarks of ImpersonateLoggedOnUser ("All impersonate
 * functions ... allow the requested impersonation if one of the following
 * is true"); [RIC] RpcImpersonateClient (without SeImpersonatePrivilege the
 * call "succeeds at Identify level only"); [FW] J. Forshaw, "Windows
 * Security Internals" ch. 4, the ordered checks of ddi-notes.md §3;
 * "PsDisableImpersonation" / "PsRestoreImpersonation" (Microsoft docs)
 * with ddi-notes.md §2. Servers are emulated processes whose primary
 * token has or lacks SeImpersonatePrivilege (tests/impfix.h). */
#include <pthread.h>

#include "impfix.h"
#include "testutil.h"

#define MEDIUM NTSEC_MANDATORY_MEDIUM
#define HIGH NTSEC_MANDATORY_HIGH

/* A server: a thread of a process of user 1001 whose primary token has
 * SeImpersonatePrivilege as `priv`. */
static struct ntsec_thread *server_thread(enum imf_priv priv, struct ntsec_process **process)
{
    return imf_thread_of(&(struct imf_spec){ .impersonate = priv }, process);
}

/* What the thread impersonates (a new reference, or NULL) and how. */
struct seen {
    struct ntsec_token *token;
    enum ntsec_impersonation_level level;
    bool copy_on_open, effective_only;
};

static struct seen seen_on(struct ntsec_thread *t)
{
    struct seen s = { .level = 99 };

    s.token = ntsec_thread_impersonation(t, &s.level, &s.copy_on_open, &s.effective_only);
    return s;
}

static void seen_put(struct seen *s)
{
    if (s->token)
        ntsec_token_put(s->token);
}

/* The thread impersonates `want` itself (the object, not a copy) at
 * `level`. */
static void assert_holds(struct ntsec_thread *t, struct ntsec_token *want,
                         enum ntsec_impersonation_level level)
{
    struct seen s = seen_on(t);

    CU_ASSERT_PTR_EQUAL(s.token, want);
    CU_ASSERT_EQUAL(s.level, level);
    seen_put(&s);
}

/* The thread impersonates a copy of `src`: another token object of the
 * same user, an impersonation token whose own level and the thread's
 * level are both `level` ([FW]; ddi-notes.md §3, "deny"). */
static void assert_holds_copy(struct ntsec_thread *t, struct ntsec_token *src,
                              enum ntsec_impersonation_level level)
{
    struct seen s = seen_on(t);

    CU_ASSERT_PTR_NOT_NULL_FATAL(s.token);
    CU_ASSERT_PTR_NOT_EQUAL(s.token, src);
    CU_ASSERT_EQUAL(ntsec_token_type(s.token), NTSEC_TOKEN_IMPERSONATION);
    CU_ASSERT_EQUAL(ntsec_token_level(s.token), level);
    CU_ASSERT_EQUAL(s.level, level);
    CU_ASSERT_EQUAL(imf_user_rid(s.token), imf_user_rid(src));
    CU_ASSERT(ntsec_token_id(s.token).low != ntsec_token_id(src).low);
    seen_put(&s);
}

/* --- PsImpersonateClient's arguments ----------------------------------------- */

/* [PIC] Token: "Set to NULL to end the impersonation"; it succeeds
 * whether or not the thread impersonated (ddi-notes.md §2) */
static void null_token_ends_impersonation_and_succeeds(void)
{
    struct ntsec_thread *t = server_thread(IMF_PRIV_ENABLED, NULL);
    struct ntsec_token *c = imf_client_token(NTSEC_SECURITY_IMPERSONATION);
    long live = ntsec_object_live();

    CU_ASSERT_EQUAL(ntsec_thread_impersonate(t, NULL, false, false, NTSEC_SECURITY_IMPERSONATION),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_PTR_NULL(ntsec_thread_impersonation(t, NULL, NULL, NULL));
    CU_ASSERT_EQUAL(ntsec_thread_impersonate(t, c, false, false, NTSEC_SECURITY_IMPERSONATION),
                    NTSEC_STATUS_SUCCESS);
    assert_holds(t, c, NTSEC_SECURITY_IMPERSONATION);
    /* The level argument of a NULL token is not looked at. */
    CU_ASSERT_EQUAL(ntsec_thread_impersonate(t, NULL, true, true, 77), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_PTR_NULL(ntsec_thread_impersonation(t, NULL, NULL, NULL));
    CU_ASSERT_EQUAL(ntsec_object_live(), live);
    ntsec_token_put(c);
    imf_thread_put(t);
}

/* [PIC] ImpersonationLevel: "the impersonation level at which the server
 * is to access the token" - the argument is recorded, whatever the token's
 * own level; so are CopyOnOpen and EffectiveOnly ([PRIT] returns all
 * three; ddi-notes.md §2) */
static void level_and_flags_recorded_are_the_arguments(void)
{
    struct ntsec_thread *t = server_thread(IMF_PRIV_ENABLED, NULL);
    struct ntsec_token *c = imf_client_token(NTSEC_SECURITY_DELEGATION);

    for (unsigned level = NTSEC_SECURITY_ANONYMOUS; level <= NTSEC_SECURITY_DELEGATION; level++)
        for (unsigned flags = 0; flags < 4; flags++) {
            bool coo = flags & 1, eo = flags & 2;

            CU_ASSERT_EQUAL_FATAL(ntsec_thread_impersonate(t, c, coo, eo, level),
                                  NTSEC_STATUS_SUCCESS);
            struct seen s = seen_on(t);
            CU_ASSERT_PTR_EQUAL(s.token, c);
            CU_ASSERT_EQUAL(s.level, level);
            CU_ASSERT_EQUAL(s.copy_on_open, coo);
            CU_ASSERT_EQUAL(s.effective_only, eo);
            /* The token itself is not changed. */
            CU_ASSERT_EQUAL(ntsec_token_level(c), NTSEC_SECURITY_DELEGATION);
            seen_put(&s);
        }
    ntsec_thread_revert(t);
    ntsec_token_put(c);
    imf_thread_put(t);
}

/* [PIC] Token: "Pointer to the token to be assigned as the impersonation
 * token. This token can be a primary token or an impersonation token." */
static void primary_token_may_be_impersonated(void)
{
    struct ntsec_thread *t = server_thread(IMF_NO_PRIV, NULL);
    struct ntsec_token *same_user = imf_token(&(struct imf_spec){ 0 });

    CU_ASSERT_EQUAL(ntsec_token_type(same_user), NTSEC_TOKEN_PRIMARY);
    CU_ASSERT_EQUAL(ntsec_thread_impersonate(t, same_user, false, false,
                                             NTSEC_SECURITY_IMPERSONATION), NTSEC_STATUS_SUCCESS);
    assert_holds(t, same_user, NTSEC_SECURITY_IMPERSONATION);
    ntsec_thread_revert(t);
    ntsec_token_put(same_user);
    imf_thread_put(t);
}

/* SECURITY_IMPERSONATION_LEVEL ends at SecurityDelegation (winnt.h);
 * [MS-ERREF] 2.3.1 STATUS_BAD_IMPERSONATION_LEVEL "A specified impersonation
 * level is invalid"; a failed call changes nothing (DESIGN.md, Errors) */
static void level_above_delegation_is_refused_and_thread_unchanged(void)
{
    static const unsigned bad[] = { NTSEC_SECURITY_DELEGATION + 1, 0x10, 0x80000000u, 0xffffffffu };
    struct ntsec_thread *t = server_thread(IMF_PRIV_ENABLED, NULL);
    struct ntsec_token *c = imf_client_token(NTSEC_SECURITY_DELEGATION);
    struct ntsec_token *other = imf_client_token(NTSEC_SECURITY_DELEGATION);

    CU_ASSERT_FATAL(ntsec_thread_impersonate(t, c, true, true, NTSEC_SECURITY_IMPERSONATION) ==
                    NTSEC_STATUS_SUCCESS);
    long live = ntsec_object_live();
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        CU_ASSERT_EQUAL(ntsec_thread_impersonate(t, other, false, false,
                                                 (enum ntsec_impersonation_level)bad[i]),
                        NTSEC_STATUS_BAD_IMPERSONATION_LEVEL);
        struct seen s = seen_on(t);
        CU_ASSERT_PTR_EQUAL(s.token, c);
        CU_ASSERT_EQUAL(s.level, NTSEC_SECURITY_IMPERSONATION);
        CU_ASSERT(s.copy_on_open && s.effective_only);
        seen_put(&s);
    }
    CU_ASSERT_EQUAL(ntsec_object_live(), live);
    ntsec_thread_revert(t);
    ntsec_token_put(c);
    ntsec_token_put(other);
    imf_thread_put(t);
}

/* [PIC] Thread is required: no thread is STATUS_INVALID_PARAMETER
 * ([MS-ERREF] 2.3.1), with or without a token, and nothing is referenced */
static void null_thread_is_invalid_parameter(void)
{
    struct ntsec_token *c = imf_client_token(NTSEC_SECURITY_IMPERSONATION);
    long live = ntsec_object_live(), allocs = testutil_live();

    CU_ASSERT_EQUAL(ntsec_thread_impersonate(NULL, c, false, false, NTSEC_SECURITY_IMPERSONATION),
                    NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_thread_impersonate(NULL, NULL, false, false, 0),
                    NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_thread_impersonate(NULL, c, false, false, 9),
                    NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_object_live(), live);
    CU_ASSERT_EQUAL(testutil_live(), allocs);
    /* Revert and PsReferenceImpersonationToken on no thread do nothing. */
    ntsec_thread_revert(NULL);
    CU_ASSERT_PTR_NULL(ntsec_thread_impersonation(NULL, NULL, NULL, NULL));
    ntsec_token_put(c);
}

/* --- SeTokenCanImpersonate: which level the thread gets ---------------------- */

/* [IMP] none of the four conditions holds (no SeImpersonatePrivilege,
 * another user); [RIC]/[FW]: the call still succeeds, the thread
 * impersonates an Identification-level copy, for a primary or an
 * impersonation token and at Impersonation or Delegation */
static void server_without_privilege_gets_identification_copy_of_other_user(void)
{
    struct ntsec_thread *t = server_thread(IMF_NO_PRIV, NULL);
    struct ntsec_token *tokens[] = {
        imf_client_token(NTSEC_SECURITY_DELEGATION),
        imf_token(&(struct imf_spec){ .rid = IMF_CLIENT_RID }),     /* primary */
    };

    for (size_t i = 0; i < 2; i++)
        for (unsigned level = NTSEC_SECURITY_IMPERSONATION; level <= NTSEC_SECURITY_DELEGATION;
             level++) {
            CU_ASSERT_EQUAL(ntsec_thread_impersonate(t, tokens[i], true, true, level),
                            NTSEC_STATUS_SUCCESS);
            assert_holds_copy(t, tokens[i], NTSEC_SECURITY_IDENTIFICATION);
            /* The flags go with the copy. */
            struct seen s = seen_on(t);
            CU_ASSERT(s.copy_on_open && s.effective_only);
            seen_put(&s);
        }
    /* The copy belongs to the thread alone: it goes with the revert. */
    long live = ntsec_object_live();
    ntsec_thread_revert(t);
    CU_ASSERT_EQUAL(ntsec_object_live(), live - 1);
    ntsec_token_put(tokens[0]);
    ntsec_token_put(tokens[1]);
    imf_thread_put(t);
}

/* [IMP] "The requested impersonation level of the token is less than
 * SecurityImpersonation": Anonymous and Identification need nothing, and
 * the thread takes the token itself */
static void levels_below_impersonation_are_never_checked(void)
{
    struct ntsec_thread *t = server_thread(IMF_NO_PRIV, NULL);
    struct ntsec_token *c = imf_client_token(NTSEC_SECURITY_DELEGATION);

    for (unsigned level = NTSEC_SECURITY_ANONYMOUS; level < NTSEC_SECURITY_IMPERSONATION; level++) {
        CU_ASSERT_EQUAL(ntsec_thread_impersonate(t, c, false, false, level), NTSEC_STATUS_SUCCESS);
        assert_holds(t, c, level);
    }
    ntsec_thread_revert(t);
    ntsec_token_put(c);
    imf_thread_put(t);
}

/* ddi-notes.md §3 "deny": an impersonation token already at Anonymous is
 * copied at Anonymous, never raised (ZwDuplicateToken, Microsoft docs: an
 * impersonation token cannot be duplicated to a higher level) */
static void refused_anonymous_token_stays_anonymous(void)
{
    struct ntsec_thread *t = server_thread(IMF_NO_PRIV, NULL);
    struct ntsec_token *c = imf_client_token(NTSEC_SECURITY_ANONYMOUS);

    CU_ASSERT_EQUAL(ntsec_thread_impersonate(t, c, false, false, NTSEC_SECURITY_IMPERSONATION),
                    NTSEC_STATUS_SUCCESS);
    assert_holds_copy(t, c, NTSEC_SECURITY_ANONYMOUS);
    ntsec_thread_revert(t);
    ntsec_token_put(c);
    imf_thread_put(t);
}

/* [IMP] "The authenticated identity is same as the caller": the same
 * user at the same integrity needs no privilege */
static void same_user_is_allowed_without_privilege(void)
{
    struct ntsec_thread *t = server_thread(IMF_NO_PRIV, NULL);
    struct ntsec_token *mine = imf_token(&(struct imf_spec){
        .type = NTSEC_TOKEN_IMPERSONATION, .level = NTSEC_SECURITY_DELEGATION });

    CU_ASSERT_EQUAL(ntsec_thread_impersonate(t, mine, false, false, NTSEC_SECURITY_DELEGATION),
                    NTSEC_STATUS_SUCCESS);
    assert_holds(t, mine, NTSEC_SECURITY_DELEGATION);
    ntsec_thread_revert(t);
    ntsec_token_put(mine);
    imf_thread_put(t);
}

/* [IMP] "The caller has the SeImpersonatePrivilege privilege"; [FW]: it
 * must be enabled, a disabled one counts as absent */
static void enabled_impersonate_privilege_allows_other_user(void)
{
    static const struct {
        enum imf_priv priv;
        bool allowed;
    } cases[] = {
        { IMF_PRIV_ENABLED, true },
        { IMF_PRIV_DISABLED, false },
        { IMF_NO_PRIV, false },
    };
    struct ntsec_token *c = imf_client_token(NTSEC_SECURITY_IMPERSONATION);

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct ntsec_thread *t = server_thread(cases[i].priv, NULL);

        CU_ASSERT_EQUAL(ntsec_thread_impersonate(t, c, false, false,
                                                 NTSEC_SECURITY_IMPERSONATION),
                        NTSEC_STATUS_SUCCESS);
        if (cases[i].allowed)
            assert_holds(t, c, NTSEC_SECURITY_IMPERSONATION);
        else
            assert_holds_copy(t, c, NTSEC_SECURITY_IDENTIFICATION);
        imf_thread_put(t);              /* the thread's object drops its token */
    }
    ntsec_token_put(c);
}

/* [FW] (Vista+; "Mandatory Integrity Control", Microsoft docs): a token of
 * higher integrity than the server's process is downgraded even for the
 * same user; at the same integrity it is not */
static void token_above_server_integrity_is_downgraded(void)
{
    struct ntsec_thread *t = server_thread(IMF_NO_PRIV, NULL);
    struct ntsec_token *high = imf_token(&(struct imf_spec){
        .label = HIGH, .type = NTSEC_TOKEN_IMPERSONATION, .level = NTSEC_SECURITY_IMPERSONATION });

    CU_ASSERT_EQUAL(ntsec_token_integrity(high), HIGH);
    CU_ASSERT_EQUAL(ntsec_thread_impersonate(t, high, false, false, NTSEC_SECURITY_IMPERSONATION),
                    NTSEC_STATUS_SUCCESS);
    assert_holds_copy(t, high, NTSEC_SECURITY_IDENTIFICATION);
    ntsec_thread_revert(t);
    ntsec_token_put(high);
    imf_thread_put(t);
}

/* The verdict is cached per token pair (docs/design/impersonation.md, "The
 * hot path"), but [IMP]/[FW] judge the tokens as they are now: enabling
 * SeImpersonatePrivilege in the server's primary token (AdjustTokenPrivileges)
 * lets the next impersonation through at full level, disabling it
 * downgrades again */
static void verdict_follows_server_privilege_changes(void)
{
    struct ntsec_process *p;
    struct ntsec_thread *t = server_thread(IMF_PRIV_DISABLED, &p);
    struct ntsec_token *server = ntsec_process_token(p);
    struct ntsec_token *c = imf_client_token(NTSEC_SECURITY_IMPERSONATION);

    for (int round = 0; round < 2; round++) {
        CU_ASSERT_EQUAL(ntsec_thread_impersonate(t, c, false, false,
                                                 NTSEC_SECURITY_IMPERSONATION),
                        NTSEC_STATUS_SUCCESS);
        assert_holds_copy(t, c, NTSEC_SECURITY_IDENTIFICATION);
        CU_ASSERT_EQUAL(imf_set_privilege(server, NTSEC_SE_IMPERSONATE_PRIVILEGE, true),
                        NTSEC_STATUS_SUCCESS);
        /* Twice: the second is answered from the cache. */
        for (int again = 0; again < 2; again++) {
            CU_ASSERT_EQUAL(ntsec_thread_impersonate(t, c, false, false,
                                                     NTSEC_SECURITY_IMPERSONATION),
                            NTSEC_STATUS_SUCCESS);
            assert_holds(t, c, NTSEC_SECURITY_IMPERSONATION);
        }
        CU_ASSERT_EQUAL(imf_set_privilege(server, NTSEC_SE_IMPERSONATE_PRIVILEGE, false),
                        NTSEC_STATUS_SUCCESS);
    }
    ntsec_thread_revert(t);
    ntsec_token_put(server);
    ntsec_token_put(c);
    imf_thread_put(t);
    ntsec_object_put(p);
}

/* The same for a change of the client's token: lowering a same-user token
 * from High to Medium integrity (SetTokenInformation TokenIntegrityLevel)
 * ends the downgrade of [FW]'s integrity check */
static void verdict_follows_client_token_changes(void)
{
    struct ntsec_thread *t = server_thread(IMF_NO_PRIV, NULL);
    struct ntsec_token *c = imf_token(&(struct imf_spec){
        .label = HIGH, .type = NTSEC_TOKEN_IMPERSONATION, .level = NTSEC_SECURITY_IMPERSONATION });
    struct ntsec_sid medium;
    uint32_t rid = MEDIUM;
    struct ntsec_sid_and_attributes label = { &medium, NTSEC_SE_GROUP_INTEGRITY };

    CU_ASSERT_FATAL(ntsec_success(ntsec_sid_init(&medium, 16, 1, &rid)));
    CU_ASSERT_EQUAL(ntsec_thread_impersonate(t, c, false, false, NTSEC_SECURITY_IMPERSONATION),
                    NTSEC_STATUS_SUCCESS);
    assert_holds_copy(t, c, NTSEC_SECURITY_IDENTIFICATION);
    CU_ASSERT_EQUAL_FATAL(ntsec_token_set(c, NTSEC_TOKEN_INTEGRITY_LEVEL, &label, sizeof(label),
                                          NULL), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_thread_impersonate(t, c, false, false, NTSEC_SECURITY_IMPERSONATION),
                    NTSEC_STATUS_SUCCESS);
    assert_holds(t, c, NTSEC_SECURITY_IMPERSONATION);
    ntsec_thread_revert(t);
    ntsec_token_put(c);
    imf_thread_put(t);
}

/* One token impersonated by servers of two processes, one allowed and one
 * not: each thread is judged against its own process' primary token ([FW]
 * P is the server's process token), whatever the cache holds */
static void verdict_is_per_server_process(void)
{
    struct ntsec_thread *with = server_thread(IMF_PRIV_ENABLED, NULL);
    struct ntsec_thread *without = server_thread(IMF_NO_PRIV, NULL);
    struct ntsec_token *c = imf_client_token(NTSEC_SECURITY_IMPERSONATION);

    for (int i = 0; i < 3; i++) {
        CU_ASSERT_EQUAL(ntsec_thread_impersonate(with, c, false, false,
                                                 NTSEC_SECURITY_IMPERSONATION),
                        NTSEC_STATUS_SUCCESS);
        CU_ASSERT_EQUAL(ntsec_thread_impersonate(without, c, false, false,
                                                 NTSEC_SECURITY_IMPERSONATION),
                        NTSEC_STATUS_SUCCESS);
        assert_holds(with, c, NTSEC_SECURITY_IMPERSONATION);
        assert_holds_copy(without, c, NTSEC_SECURITY_IDENTIFICATION);
    }
    imf_thread_put(with);
    imf_thread_put(without);
    ntsec_token_put(c);
}

/* STYLE rule 8: the copy of the refused case allocates; each failure is
 * STATUS_NO_MEMORY ([PIC] lists it), leaves the thread as it was and
 * leaks nothing */
static void refused_copy_out_of_memory_changes_nothing(void)
{
    struct ntsec_thread *t = server_thread(IMF_NO_PRIV, NULL);
    struct ntsec_token *before = imf_token(&(struct imf_spec){
        .type = NTSEC_TOKEN_IMPERSONATION, .level = NTSEC_SECURITY_IMPERSONATION });
    struct ntsec_token *c = imf_client_token(NTSEC_SECURITY_IMPERSONATION);
    long objects, allocs, n;
    ntsec_status st;

    CU_ASSERT_FATAL(ntsec_thread_impersonate(t, before, true, false, NTSEC_SECURITY_DELEGATION) ==
                    NTSEC_STATUS_SUCCESS);
    objects = ntsec_object_live();
    allocs = testutil_live();
    for (n = 0;; n++) {
        testutil_fail_alloc_after(n);
        st = ntsec_thread_impersonate(t, c, false, true, NTSEC_SECURITY_IMPERSONATION);
        testutil_fail_alloc_after(-1);
        if (st == NTSEC_STATUS_SUCCESS)
            break;
        CU_ASSERT_EQUAL_FATAL(st, NTSEC_STATUS_NO_MEMORY);
        struct seen s = seen_on(t);
        CU_ASSERT_PTR_EQUAL(s.token, before);
        CU_ASSERT_EQUAL(s.level, NTSEC_SECURITY_DELEGATION);
        CU_ASSERT(s.copy_on_open && !s.effective_only);
        seen_put(&s);
        CU_ASSERT_EQUAL(ntsec_object_live(), objects);
        CU_ASSERT_EQUAL(testutil_live(), allocs);
    }
    CU_ASSERT(n > 0);                   /* the copy did allocate */
    assert_holds_copy(t, c, NTSEC_SECURITY_IDENTIFICATION);
    ntsec_thread_revert(t);
    ntsec_token_put(before);
    ntsec_token_put(c);
    imf_thread_put(t);
}

/* --- another thread; live pthreads ---------------------------------------- */

struct live_server {
    struct ntsec_process *process;
    struct ntsec_thread *thread;        /* the server pthread's own thread */
    pthread_barrier_t step;
    struct ntsec_token *client;         /* what it was made to impersonate */
    uint32_t effective_rid;             /* user of its effective token then */
    enum ntsec_impersonation_level level;
    bool reverted;                      /* it saw none after its own revert */
};

static void *live_server_main(void *arg)
{
    struct live_server *ls = arg;
    struct ntsec_token *eff;

    if (ntsec_success(ntsec_thread_bind(ls->process)))
        ls->thread = ntsec_thread_current();
    pthread_barrier_wait(&ls->step);            /* 1: the thread is known */
    pthread_barrier_wait(&ls->step);            /* 2: another thread made it impersonate */
    eff = ntsec_thread_effective_token();
    ls->effective_rid = eff ? imf_user_rid(eff) : 0;
    if (eff)
        ntsec_token_put(eff);
    ls->client = ntsec_thread_impersonation(ls->thread, &ls->level, NULL, NULL);
    if (ls->client)
        ntsec_token_put(ls->client);            /* only compared, by address */
    ntsec_thread_revert(ls->thread);            /* PsRevertToSelf, its own */
    ls->reverted = ntsec_thread_impersonation(ls->thread, NULL, NULL, NULL) == NULL;
    pthread_barrier_wait(&ls->step);            /* 3: done */
    return NULL;
}

/* [PIC] "Thread: Pointer to the server thread", any thread, not only the
 * caller's (as NtSetInformationThread and NtImpersonateThread use it): the
 * running server thread then acts as the client, judged against its own
 * process (no privilege: an Identification copy), until it reverts itself */
static void impersonation_set_by_another_thread_is_seen_by_the_server(void)
{
    static const struct {
        enum imf_priv priv;
        bool full;
    } cases[] = { { IMF_PRIV_ENABLED, true }, { IMF_NO_PRIV, false } };
    long live = ntsec_object_live();
    struct ntsec_token *c = imf_client_token(NTSEC_SECURITY_IMPERSONATION);

    for (size_t i = 0; i < 2; i++) {
        struct live_server ls = { .process = imf_process(&(struct imf_spec){
                                      .impersonate = cases[i].priv }) };
        pthread_t th;

        pthread_barrier_init(&ls.step, NULL, 2);
        CU_ASSERT_FATAL(pthread_create(&th, NULL, live_server_main, &ls) == 0);
        pthread_barrier_wait(&ls.step);
        CU_ASSERT_PTR_NOT_NULL_FATAL(ls.thread);
        CU_ASSERT_EQUAL(ntsec_thread_impersonate(ls.thread, c, false, false,
                                                 NTSEC_SECURITY_IMPERSONATION),
                        NTSEC_STATUS_SUCCESS);
        pthread_barrier_wait(&ls.step);
        pthread_barrier_wait(&ls.step);
        pthread_join(th, NULL);
        CU_ASSERT_EQUAL(ls.effective_rid, IMF_CLIENT_RID);
        CU_ASSERT_EQUAL(ls.client == c, cases[i].full);
        CU_ASSERT_EQUAL(ls.level, cases[i].full ? NTSEC_SECURITY_IMPERSONATION
                                                : NTSEC_SECURITY_IDENTIFICATION);
        CU_ASSERT(ls.reverted);
        pthread_barrier_destroy(&ls.step);
        ntsec_object_put(ls.process);
    }
    ntsec_token_put(c);
    CU_ASSERT_EQUAL(ntsec_object_live(), live);
}

/* --- revert, disable, restore -------------------------------------------- */

/* PsRevertToSelf (Microsoft docs) ends the impersonation; a thread that
 * does not impersonate is left as it is, so reverting twice is harmless */
static void revert_twice_is_harmless(void)
{
    struct ntsec_thread *t = server_thread(IMF_PRIV_ENABLED, NULL);
    struct ntsec_token *c = imf_client_token(NTSEC_SECURITY_IMPERSONATION);
    long live = ntsec_object_live();

    CU_ASSERT_FATAL(ntsec_thread_impersonate(t, c, false, false, NTSEC_SECURITY_IMPERSONATION) ==
                    NTSEC_STATUS_SUCCESS);
    ntsec_thread_revert(t);
    CU_ASSERT_PTR_NULL(ntsec_thread_impersonation(t, NULL, NULL, NULL));
    ntsec_thread_revert(t);
    CU_ASSERT_PTR_NULL(ntsec_thread_impersonation(t, NULL, NULL, NULL));
    CU_ASSERT_EQUAL(ntsec_object_live(), live);
    ntsec_token_put(c);
    imf_thread_put(t);
}

/* [PIC]: the thread takes its own reference, so the caller may drop its
 * own at once; the token lives until the thread stops impersonating it
 * (replaced, reverted, or the thread object ends) - ObDereferenceObject
 * semantics, counted as live objects */
static void thread_holds_its_own_reference(void)
{
    struct ntsec_process *p;
    struct ntsec_thread *t = server_thread(IMF_PRIV_ENABLED, &p);
    long live = ntsec_object_live();
    struct ntsec_token *a = imf_client_token(NTSEC_SECURITY_IMPERSONATION);
    struct ntsec_token *b = imf_client_token(NTSEC_SECURITY_IMPERSONATION);

    CU_ASSERT_FATAL(ntsec_thread_impersonate(t, a, false, false, NTSEC_SECURITY_IMPERSONATION) ==
                    NTSEC_STATUS_SUCCESS);
    ntsec_token_put(a);
    CU_ASSERT_EQUAL(ntsec_object_live(), live + 2);             /* a (thread's), b */
    CU_ASSERT_EQUAL(imf_user_rid(a), IMF_CLIENT_RID);
    /* Replacing a drops the thread's reference: a goes. */
    CU_ASSERT_FATAL(ntsec_thread_impersonate(t, b, false, false, NTSEC_SECURITY_IMPERSONATION) ==
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_object_live(), live + 1);
    ntsec_token_put(b);
    CU_ASSERT_EQUAL(ntsec_object_live(), live + 1);
    /* The thread object ends while impersonating: b goes with it. */
    imf_thread_put(t);
    CU_ASSERT_EQUAL(ntsec_object_live(), live - 1);
    ntsec_object_put(p);
}

/* PsDisableImpersonation (Microsoft docs; ddi-notes.md §2 from ReactOS
 * ps/security.c): the state moves into the caller's SE_IMPERSONATION_STATE
 * with its reference, returns TRUE, and the thread acts as its process;
 * PsRestoreImpersonation puts it all back */
static void disable_moves_the_state_and_restore_puts_it_back(void)
{
    struct ntsec_thread *t = server_thread(IMF_PRIV_ENABLED, NULL);
    struct ntsec_token *c = imf_client_token(NTSEC_SECURITY_DELEGATION);
    struct ntsec_impersonation_state st;
    long live;

    CU_ASSERT_FATAL(ntsec_thread_impersonate(t, c, true, false, NTSEC_SECURITY_DELEGATION) ==
                    NTSEC_STATUS_SUCCESS);
    ntsec_token_put(c);                 /* only the thread holds it now */
    live = ntsec_object_live();
    memset(&st, 0xA5, sizeof(st));
    CU_ASSERT_EQUAL(ntsec_thread_disable_impersonation(t, &st), true);
    CU_ASSERT_PTR_EQUAL(st.token, c);
    CU_ASSERT_EQUAL(st.copy_on_open, 1);
    CU_ASSERT_EQUAL(st.effective_only, 0);
    CU_ASSERT_EQUAL(st.level, NTSEC_SECURITY_DELEGATION);
    CU_ASSERT_PTR_NULL(ntsec_thread_impersonation(t, NULL, NULL, NULL));
    /* The reference moved, it was not dropped: the token is alive. */
    CU_ASSERT_EQUAL(ntsec_object_live(), live);
    CU_ASSERT_EQUAL(imf_user_rid(st.token), IMF_CLIENT_RID);

    ntsec_thread_restore_impersonation(t, &st);
    CU_ASSERT_PTR_NULL(st.token);
    struct seen s = seen_on(t);
    CU_ASSERT_PTR_EQUAL(s.token, c);
    CU_ASSERT_EQUAL(s.level, NTSEC_SECURITY_DELEGATION);
    CU_ASSERT(s.copy_on_open && !s.effective_only);
    seen_put(&s);
    CU_ASSERT_EQUAL(ntsec_object_live(), live);
    ntsec_thread_revert(t);
    CU_ASSERT_EQUAL(ntsec_object_live(), live - 1);
    imf_thread_put(t);
}

/* ddi-notes.md §2: PsDisableImpersonation of a thread that does not
 * impersonate returns FALSE and State = {NULL, FALSE, FALSE, Anonymous} */
static void disable_without_impersonation_returns_false_and_empty_state(void)
{
    struct ntsec_thread *t = server_thread(IMF_PRIV_ENABLED, NULL);
    struct ntsec_impersonation_state st;

    memset(&st, 0xA5, sizeof(st));
    CU_ASSERT_EQUAL(ntsec_thread_disable_impersonation(t, &st), false);
    CU_ASSERT_PTR_NULL(st.token);
    CU_ASSERT_EQUAL(st.copy_on_open, 0);
    CU_ASSERT_EQUAL(st.effective_only, 0);
    CU_ASSERT_EQUAL(st.level, NTSEC_SECURITY_ANONYMOUS);
    imf_thread_put(t);
}

/* ddi-notes.md §2: PsRestoreImpersonation puts the saved state back,
 * dropping any impersonation begun meanwhile - also when the saved state
 * was "not impersonating" */
static void restore_ends_an_impersonation_begun_meanwhile(void)
{
    struct ntsec_thread *t = server_thread(IMF_PRIV_ENABLED, NULL);
    struct ntsec_token *a = imf_client_token(NTSEC_SECURITY_IMPERSONATION);
    struct ntsec_token *b = imf_client_token(NTSEC_SECURITY_IMPERSONATION);
    struct ntsec_impersonation_state saved, empty;
    long live = ntsec_object_live();

    CU_ASSERT_FATAL(ntsec_thread_impersonate(t, a, false, true, NTSEC_SECURITY_IMPERSONATION) ==
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT(ntsec_thread_disable_impersonation(t, &saved));
    CU_ASSERT_FATAL(ntsec_thread_impersonate(t, b, false, false, NTSEC_SECURITY_IDENTIFICATION) ==
                    NTSEC_STATUS_SUCCESS);
    ntsec_token_put(b);                         /* the thread's is the last */
    ntsec_thread_restore_impersonation(t, &saved);
    CU_ASSERT_EQUAL(ntsec_object_live(), live - 1);     /* b went */
    struct seen s = seen_on(t);
    CU_ASSERT_PTR_EQUAL(s.token, a);
    CU_ASSERT_EQUAL(s.level, NTSEC_SECURITY_IMPERSONATION);
    CU_ASSERT(!s.copy_on_open && s.effective_only);
    seen_put(&s);

    /* Saved while not impersonating: the restore reverts. */
    ntsec_thread_revert(t);
    CU_ASSERT(!ntsec_thread_disable_impersonation(t, &empty));
    CU_ASSERT_FATAL(ntsec_thread_impersonate(t, a, false, false, NTSEC_SECURITY_IMPERSONATION) ==
                    NTSEC_STATUS_SUCCESS);
    ntsec_thread_restore_impersonation(t, &empty);
    CU_ASSERT_PTR_NULL(ntsec_thread_impersonation(t, NULL, NULL, NULL));
    ntsec_token_put(a);
    CU_ASSERT_EQUAL(ntsec_object_live(), live - 2);
    imf_thread_put(t);
}

/* DESIGN.md, Errors: no crash on NULL; disable with no state, or restore
 * with no thread or no state, change nothing */
static void disable_and_restore_ignore_null_arguments(void)
{
    struct ntsec_thread *t = server_thread(IMF_PRIV_ENABLED, NULL);
    struct ntsec_token *c = imf_client_token(NTSEC_SECURITY_IMPERSONATION);
    struct ntsec_impersonation_state st;

    CU_ASSERT_FATAL(ntsec_thread_impersonate(t, c, false, false, NTSEC_SECURITY_IMPERSONATION) ==
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_thread_disable_impersonation(t, NULL), false);
    assert_holds(t, c, NTSEC_SECURITY_IMPERSONATION);
    memset(&st, 0xA5, sizeof(st));
    CU_ASSERT_EQUAL(ntsec_thread_disable_impersonation(NULL, &st), false);
    CU_ASSERT_PTR_NULL(st.token);
    ntsec_thread_restore_impersonation(t, NULL);
    assert_holds(t, c, NTSEC_SECURITY_IMPERSONATION);
    CU_ASSERT(ntsec_thread_disable_impersonation(t, &st));
    ntsec_thread_restore_impersonation(NULL, &st);
    CU_ASSERT_PTR_EQUAL(st.token, c);           /* still the caller's */
    ntsec_thread_restore_impersonation(t, &st);
    assert_holds(t, c, NTSEC_SECURITY_IMPERSONATION);
    ntsec_thread_revert(t);
    ntsec_token_put(c);
    imf_thread_put(t);
}

void register_tests(void)
{
    static CU_TestInfo tests[] = {
        TEST(null_token_ends_impersonation_and_succeeds),
        TEST(level_and_flags_recorded_are_the_arguments),
        TEST(primary_token_may_be_impersonated),
        TEST(level_above_delegation_is_refused_and_thread_unchanged),
        TEST(null_thread_is_invalid_parameter),
        TEST(server_without_privilege_gets_identification_copy_of_other_user),
        TEST(levels_below_impersonation_are_never_checked),
        TEST(refused_anonymous_token_stays_anonymous),
        TEST(same_user_is_allowed_without_privilege),
        TEST(enabled_impersonate_privilege_allows_other_user),
        TEST(token_above_server_integrity_is_downgraded),
        TEST(verdict_follows_server_privilege_changes),
        TEST(verdict_follows_client_token_changes),
        TEST(verdict_is_per_server_process),
        TEST(refused_copy_out_of_memory_changes_nothing),
        TEST(impersonation_set_by_another_thread_is_seen_by_the_server),
        TEST(revert_twice_is_harmless),
        TEST(thread_holds_its_own_reference),
        TEST(disable_moves_the_state_and_restore_puts_it_back),
        TEST(disable_without_impersonation_returns_false_and_empty_state),
        TEST(restore_ends_an_impersonation_begun_meanwhile),
        TEST(disable_and_restore_ignore_null_arguments),
        CU_TEST_INFO_NULL,
    };
    testutil_add_suite("impersonate", tests);
}
