/* test_emul_impersonate_ddi.c - impersonation and client security
 * contexts through the kernel DDI, driven as a driver would: a service
 * thread (this test's thread, in a "service" process) and client pthreads
 * (in a "client" process), calling only the Windows routines once the
 * tokens and processes exist (those are made with the native API).
 *
 * Sources, by the keys of /work/shared/reference/ddi-notes.md: [PIC]
 * PsImpersonateClient, [PRIT] PsReferenceImpersonationToken, [CCS]
 * SeCreateClientSecurity (and ...FromSubjectContext, same text), [ICE]
 * SeImpersonateClientEx, [DCS] SeDeleteClientSecurity (Microsoft docs);
 * [NTIFS] the WDK's ntifs.h comment on SECURITY_CLIENT_CONTEXT; [IMP]
 * "All impersonate functions..." (ImpersonateLoggedOnUser, Remarks);
 * [ROS] ReactOS ps/security.c, read for behaviour. */
#include <ntstatus.h>
#define WIN32_NO_STATUS
#include <ntsec/ntdll.h>
#include <ddk/ntifs.h>
#include <ntsec/ddk.h>
#include <ntsec/ntsec.h>

#include <pthread.h>
#include <semaphore.h>

#include "testutil.h"
#include "tokfix.h"

/* --- tokens and processes ------------------------------------------------- */

/* A PACCESS_TOKEN is a native token (include/ntsec/ddk.h). */
static struct ntsec_token *native(PACCESS_TOKEN token)
{
    return (struct ntsec_token *)token;
}

enum { SERVICE_RID = 1000, CLIENT_RID = 1001 };

static const LUID shutdown_luid = { SE_SHUTDOWN_PRIVILEGE, 0 };
static const LUID impersonate_luid = { SE_IMPERSONATE_PRIVILEGE, 0 };

/* tokfix.h's user token (SeChangeNotifyPrivilege enabled,
 * SeShutdownPrivilege disabled) for user S-1-5-21-1-2-3-<rid>, with
 * SeImpersonatePrivilege enabled when `can_impersonate`. */
static PACCESS_TOKEN make_token(uint32_t rid, enum ntsec_token_type type,
                                enum ntsec_impersonation_level level, bool can_impersonate)
{
    struct ntsec_luid_and_attributes privs[3];
    uint32_t sub[5] = { 21, 1, 2, 3, rid };
    struct ntsec_token *t = NULL;
    struct tf_token f;

    tf_init(&f);
    CU_ASSERT_FATAL(ntsec_success(ntsec_sid_init(&f.user, 5, 5, sub)));
    privs[0] = f.privs[0];
    privs[1] = f.privs[1];
    privs[2] = (struct ntsec_luid_and_attributes){
        { NTSEC_SE_IMPERSONATE_PRIVILEGE, 0 },
        NTSEC_SE_PRIVILEGE_ENABLED | NTSEC_SE_PRIVILEGE_ENABLED_BY_DEFAULT };
    f.desc.privileges = privs;
    f.desc.privilege_count = can_impersonate ? 3 : 2;
    f.desc.type = type;
    f.desc.level = level;
    CU_ASSERT_FATAL(ntsec_token_create(&f.desc, &t) == NTSEC_STATUS_SUCCESS);
    return t;
}

/* A service process (this thread runs in it) and a client process, with
 * the client's own impersonation token at Delegation: the client process
 * may impersonate it at any level, as it is of its own user ([IMP] (d)). */
struct world {
    struct ntsec_process *home, *service, *client;
    PACCESS_TOKEN service_token, client_primary, client_token;
};

static void world_enter(struct world *w, bool service_can_impersonate)
{
    w->home = ntsec_process_current();
    w->service_token = make_token(SERVICE_RID, NTSEC_TOKEN_PRIMARY, NTSEC_SECURITY_ANONYMOUS,
                                  service_can_impersonate);
    w->client_primary = make_token(CLIENT_RID, NTSEC_TOKEN_PRIMARY, NTSEC_SECURITY_ANONYMOUS,
                                   false);
    w->client_token = make_token(CLIENT_RID, NTSEC_TOKEN_IMPERSONATION, NTSEC_SECURITY_DELEGATION,
                                 false);
    CU_ASSERT_FATAL(ntsec_process_create(w->service_token, "service", &w->service) ==
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_FATAL(ntsec_process_create(w->client_primary, "client", &w->client) ==
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_FATAL(ntsec_thread_bind(w->service) == NTSEC_STATUS_SUCCESS);
}

static void world_leave(struct world *w)
{
    PsRevertToSelf();
    CU_ASSERT(ntsec_thread_bind(w->home) == NTSEC_STATUS_SUCCESS);
    ntsec_object_put(w->service);
    ntsec_object_put(w->client);
    ObDereferenceObject(w->service_token);
    ObDereferenceObject(w->client_primary);
    ObDereferenceObject(w->client_token);
}

/* --- a client pthread, driven one step at a time ---------------------------- */

enum step { STEP_IMPERSONATE, STEP_REVERT, STEP_ENABLE_SHUTDOWN, STEP_CAPTURE, STEP_EXIT };

struct client {
    struct ntsec_process *process;      /* the process it runs in */
    pthread_t th;
    PETHREAD thread;                    /* its thread; the test holds a reference */
    sem_t go, done;
    enum step step;
    PACCESS_TOKEN token;                /* STEP_IMPERSONATE: what, at which level */
    SECURITY_IMPERSONATION_LEVEL level;
    NTSTATUS status;                    /* of the last step */
    SECURITY_SUBJECT_CONTEXT seen;      /* STEP_CAPTURE; the test releases it */
};

/* The client changes its own effective token, as AdjustTokenPrivileges on
 * its thread token (or its process token) would. */
static NTSTATUS enable_shutdown(void)
{
    struct ntsec_luid_and_attributes on = { { SE_SHUTDOWN_PRIVILEGE, 0 },
                                            NTSEC_SE_PRIVILEGE_ENABLED };
    SECURITY_IMPERSONATION_LEVEL level;
    TOKEN_TYPE type;
    BOOLEAN eo;
    uint32_t needed;
    PACCESS_TOKEN eff = PsReferenceEffectiveToken(PsGetCurrentThread(), &type, &eo, &level);
    NTSTATUS st = ntsec_token_adjust_privileges(native(eff), false, &on, 1, NULL, 0,
                                                &needed);

    ObDereferenceObject(eff);
    return st;
}

static bool client_step(struct client *c)
{
    switch (c->step) {
    case STEP_IMPERSONATE:
        c->status = PsImpersonateClient(PsGetCurrentThread(), c->token, FALSE, FALSE, c->level);
        return true;
    case STEP_REVERT:
        PsRevertToSelf();
        return true;
    case STEP_ENABLE_SHUTDOWN:
        c->status = enable_shutdown();
        return true;
    case STEP_CAPTURE:
        SeCaptureSubjectContext(&c->seen);
        return true;
    case STEP_EXIT:
        break;
    }
    return false;
}

static void *client_main(void *arg)
{
    struct client *c = arg;
    bool running;

    c->status = ntsec_thread_bind(c->process);
    running = NT_SUCCESS(c->status);
    c->thread = PsGetCurrentThread();
    ObReferenceObject(c->thread);
    sem_post(&c->done);
    while (running) {
        sem_wait(&c->go);
        running = client_step(c);
        sem_post(&c->done);
    }
    return NULL;
}

static void client_run(struct client *c, enum step step)
{
    c->step = step;
    sem_post(&c->go);
    sem_wait(&c->done);
}

static void client_start(struct client *c, struct ntsec_process *process)
{
    memset(c, 0, sizeof(*c));
    c->process = process;
    sem_init(&c->go, 0, 0);
    sem_init(&c->done, 0, 0);
    CU_ASSERT_FATAL(pthread_create(&c->th, NULL, client_main, c) == 0);
    sem_wait(&c->done);
    CU_ASSERT_FATAL(c->status == STATUS_SUCCESS);
}

/* The client thread impersonates `token` at `level` ([PIC]). */
static NTSTATUS client_impersonate(struct client *c, PACCESS_TOKEN token,
                                   SECURITY_IMPERSONATION_LEVEL level)
{
    c->token = token;
    c->level = level;
    client_run(c, STEP_IMPERSONATE);
    return c->status;
}

static void client_stop(struct client *c)
{
    client_run(c, STEP_EXIT);
    pthread_join(c->th, NULL);
    ObDereferenceObject(c->thread);
    sem_destroy(&c->go);
    sem_destroy(&c->done);
}

/* The world with its client thread started, impersonating its own
 * impersonation token at `level`, or on its primary token. */
#define NOT_IMPERSONATING ((SECURITY_IMPERSONATION_LEVEL)-1)

static void scene_enter(struct world *w, struct client *c, bool service_can_impersonate,
                        SECURITY_IMPERSONATION_LEVEL level)
{
    world_enter(w, service_can_impersonate);
    client_start(c, w->client);
    if (level != NOT_IMPERSONATING)
        CU_ASSERT_FATAL(client_impersonate(c, w->client_token, level) == STATUS_SUCCESS);
}

static void scene_leave(struct world *w, struct client *c)
{
    client_stop(c);
    world_leave(w);
}

/* --- helpers ----------------------------------------------------------------- */

static SECURITY_QUALITY_OF_SERVICE qos(SECURITY_IMPERSONATION_LEVEL level, BOOLEAN tracking,
                                       BOOLEAN effective_only)
{
    SECURITY_QUALITY_OF_SERVICE q = { sizeof(q), level, tracking, effective_only };
    return q;
}

/* The QoS most tests ask for: Impersonation level, not EffectiveOnly,
 * tracking dynamic or static. */
static SECURITY_QUALITY_OF_SERVICE dynamic_qos = {
    sizeof(SECURITY_QUALITY_OF_SERVICE), SecurityImpersonation, SECURITY_DYNAMIC_TRACKING, FALSE };
static SECURITY_QUALITY_OF_SERVICE static_qos = {
    sizeof(SECURITY_QUALITY_OF_SERVICE), SecurityImpersonation, SECURITY_STATIC_TRACKING, FALSE };

/* Who the calling thread is, as SeCaptureSubjectContext sees it. */
struct seen {
    PACCESS_TOKEN client, primary;
    SECURITY_IMPERSONATION_LEVEL level;
};

static struct seen who_am_i(void)
{
    SECURITY_SUBJECT_CONTEXT s;
    struct seen r;

    SeCaptureSubjectContext(&s);
    r.client = s.ClientToken;
    r.primary = s.PrimaryToken;
    r.level = s.ImpersonationLevel;
    SeReleaseSubjectContext(&s);
    return r;
}

static SECURITY_IMPERSONATION_LEVEL token_level(PACCESS_TOKEN token)
{
    PVOID buf = NULL;
    SECURITY_IMPERSONATION_LEVEL level;

    CU_ASSERT_FATAL(SeQueryInformationToken(token, TokenImpersonationLevel, &buf) ==
                    STATUS_SUCCESS);
    level = *(SECURITY_IMPERSONATION_LEVEL *)buf;
    ExFreePool(buf);
    return level;
}

static bool luid_eq(LUID a, LUID b)
{
    return a.LowPart == b.LowPart && a.HighPart == b.HighPart;
}

/* --- PsImpersonateClient and its companions ------------------------------------ */

/* [PIC]: "Set to NULL to end the impersonation"; the call succeeds whether
 * or not the thread impersonated; PsRevertToSelf and the WDK macro
 * SeStopImpersonatingClient end it too. */
static void ps_impersonate_client_null_token_ends_impersonation(void)
{
    struct world w;
    PETHREAD me;

    world_enter(&w, true);
    me = PsGetCurrentThread();
    CU_ASSERT_EQUAL(PsImpersonateClient(me, NULL, FALSE, FALSE, SecurityImpersonation),
                    STATUS_SUCCESS);
    CU_ASSERT_EQUAL(PsImpersonateClient(me, w.client_token, FALSE, FALSE, SecurityImpersonation),
                    STATUS_SUCCESS);
    CU_ASSERT_PTR_EQUAL(who_am_i().client, w.client_token);
    CU_ASSERT_EQUAL(PsImpersonateClient(me, NULL, FALSE, FALSE, SecurityImpersonation),
                    STATUS_SUCCESS);
    CU_ASSERT_PTR_NULL(who_am_i().client);

    PsImpersonateClient(me, w.client_token, FALSE, FALSE, SecurityImpersonation);
    PsRevertToSelf();
    CU_ASSERT_PTR_NULL(who_am_i().client);
    PsImpersonateClient(me, w.client_token, FALSE, FALSE, SecurityImpersonation);
    SeStopImpersonatingClient();
    CU_ASSERT_PTR_NULL(who_am_i().client);
    world_leave(&w);
}

/* [PIC]: the thread accesses the token "at ImpersonationLevel", the
 * argument, whatever the token's own level; the token may be a primary
 * token; [PRIT] reports the CopyOnOpen and EffectiveOnly given. */
static void ps_impersonate_client_keeps_the_level_and_flags_given(void)
{
    struct world w;
    PETHREAD me;
    BOOLEAN coo = 7, eo = 7;
    SECURITY_IMPERSONATION_LEVEL level = 7;
    PACCESS_TOKEN t;

    world_enter(&w, true);
    me = PsGetCurrentThread();
    CU_ASSERT_EQUAL(PsImpersonateClient(me, w.client_token, TRUE, TRUE, SecurityIdentification),
                    STATUS_SUCCESS);
    t = PsReferenceImpersonationToken(me, &coo, &eo, &level);
    CU_ASSERT_PTR_EQUAL(t, w.client_token);
    CU_ASSERT_EQUAL(coo, TRUE);
    CU_ASSERT_EQUAL(eo, TRUE);
    CU_ASSERT_EQUAL(level, SecurityIdentification);
    PsDereferenceImpersonationToken(t);

    CU_ASSERT_EQUAL(PsImpersonateClient(me, w.client_primary, FALSE, FALSE, SecurityDelegation),
                    STATUS_SUCCESS);
    t = PsReferenceImpersonationToken(me, &coo, &eo, &level);
    CU_ASSERT_PTR_EQUAL(t, w.client_primary);
    CU_ASSERT_EQUAL(SeTokenType(t), TokenPrimary);
    CU_ASSERT_EQUAL(coo, FALSE);
    CU_ASSERT_EQUAL(eo, FALSE);
    CU_ASSERT_EQUAL(level, SecurityDelegation);
    PsDereferenceImpersonationToken(t);
    PsDereferenceImpersonationToken(NULL);          /* allowed ([PRIT]'s pair) */
    world_leave(&w);
}

/* [PIC] Remarks: when the thread already impersonates, "the reference count
 * on the token representing that client is decremented"; the thread holds
 * a reference of its own on the new token. */
static void ps_impersonate_client_releases_the_token_it_replaces(void)
{
    struct world w;
    PETHREAD me;
    PACCESS_TOKEN first, second;
    long live;

    world_enter(&w, true);
    me = PsGetCurrentThread();
    first = make_token(CLIENT_RID, NTSEC_TOKEN_IMPERSONATION, NTSEC_SECURITY_IMPERSONATION, false);
    second = make_token(CLIENT_RID, NTSEC_TOKEN_IMPERSONATION, NTSEC_SECURITY_IMPERSONATION, false);
    live = ntsec_object_live();
    PsImpersonateClient(me, first, FALSE, FALSE, SecurityImpersonation);
    ObDereferenceObject(first);                     /* the thread's reference remains */
    CU_ASSERT_EQUAL(ntsec_object_live(), live);
    CU_ASSERT_PTR_EQUAL(who_am_i().client, first);
    PsImpersonateClient(me, second, FALSE, FALSE, SecurityImpersonation);
    CU_ASSERT_EQUAL(ntsec_object_live(), live - 1);  /* `first` went with the thread's reference */
    CU_ASSERT_PTR_EQUAL(who_am_i().client, second);
    PsRevertToSelf();
    CU_ASSERT_EQUAL(ntsec_object_live(), live - 1);  /* ours keeps `second` */
    ObDereferenceObject(second);
    world_leave(&w);
}

/* [IMP]: above Identification, a thread whose process lacks
 * SeImpersonatePrivilege may impersonate only its own user's token;
 * otherwise the call still succeeds but the thread gets an
 * Identification-level copy (ddi-notes.md §3, [FW] ch. 4). */
static void ps_impersonate_client_without_privilege_gets_identification(void)
{
    struct world w;
    PETHREAD me;
    BOOLEAN coo, eo;
    SECURITY_IMPERSONATION_LEVEL level;
    PACCESS_TOKEN own, t;

    world_enter(&w, false);
    me = PsGetCurrentThread();
    CU_ASSERT_EQUAL(PsImpersonateClient(me, w.client_token, FALSE, FALSE, SecurityImpersonation),
                    STATUS_SUCCESS);
    t = PsReferenceImpersonationToken(me, &coo, &eo, &level);
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    CU_ASSERT_PTR_NOT_EQUAL(t, w.client_token);
    CU_ASSERT_EQUAL(level, SecurityIdentification);
    CU_ASSERT_EQUAL(token_level(t), SecurityIdentification);
    PsDereferenceImpersonationToken(t);
    CU_ASSERT_EQUAL(SeSinglePrivilegeCheck(impersonate_luid, UserMode), FALSE);

    own = make_token(SERVICE_RID, NTSEC_TOKEN_IMPERSONATION, NTSEC_SECURITY_IMPERSONATION, false);
    CU_ASSERT_EQUAL(PsImpersonateClient(me, own, FALSE, FALSE, SecurityImpersonation),
                    STATUS_SUCCESS);
    t = PsReferenceImpersonationToken(me, &coo, &eo, &level);
    CU_ASSERT_PTR_EQUAL(t, own);
    CU_ASSERT_EQUAL(level, SecurityImpersonation);
    PsDereferenceImpersonationToken(t);
    ObDereferenceObject(own);
    world_leave(&w);
}

/* [PIC] lists STATUS_NO_MEMORY: when the Identification copy cannot be
 * made the thread is left as it was and nothing leaks. */
static void ps_impersonate_client_out_of_memory(void)
{
    struct world w;
    PETHREAD me;
    BOOLEAN coo, eo;
    SECURITY_IMPERSONATION_LEVEL level;

    world_enter(&w, false);
    me = PsGetCurrentThread();
    long live = ntsec_object_live();
    for (long n = 0;; n++) {
        NTSTATUS st;

        testutil_fail_alloc_after(n);
        st = PsImpersonateClient(me, w.client_token, FALSE, FALSE, SecurityImpersonation);
        testutil_fail_alloc_after(-1);
        if (st == STATUS_SUCCESS)
            break;
        CU_ASSERT_EQUAL(st, STATUS_NO_MEMORY);
        CU_ASSERT_PTR_NULL(PsReferenceImpersonationToken(me, &coo, &eo, &level));
        CU_ASSERT_EQUAL(ntsec_object_live(), live);
        CU_ASSERT_FATAL(n < 50);
    }
    CU_ASSERT_EQUAL(who_am_i().level, SecurityIdentification);
    world_leave(&w);
}

/* A level beyond SecurityDelegation is not a SECURITY_IMPERSONATION_LEVEL
 * (winnt.h): STATUS_BAD_IMPERSONATION_LEVEL ("A specified impersonation
 * level is invalid", [MS-ERREF] 2.3.1; ntsec's choice, libsec
 * impersonate_policy.c), the thread unchanged. A NULL thread, which
 * Windows would fault on: STATUS_INVALID_PARAMETER. */
static void ps_impersonate_client_bad_arguments(void)
{
    struct world w;
    PETHREAD me;

    world_enter(&w, true);
    me = PsGetCurrentThread();
    PsImpersonateClient(me, w.client_token, FALSE, FALSE, SecurityIdentification);
    CU_ASSERT_EQUAL(PsImpersonateClient(me, w.client_token, FALSE, FALSE,
                                        (SECURITY_IMPERSONATION_LEVEL)4),
                    STATUS_BAD_IMPERSONATION_LEVEL);
    CU_ASSERT_EQUAL(who_am_i().level, SecurityIdentification);
    CU_ASSERT_EQUAL(PsImpersonateClient(NULL, w.client_token, FALSE, FALSE,
                                        SecurityImpersonation), STATUS_INVALID_PARAMETER);
    world_leave(&w);
}

/* [PRIT]: "If the thread is not currently impersonating a client, a NULL
 * pointer is returned"; the outputs are then not written ([ROS]). */
static void ps_reference_impersonation_token_null_when_not_impersonating(void)
{
    BOOLEAN coo = 7, eo = 7;
    SECURITY_IMPERSONATION_LEVEL level = 7;

    CU_ASSERT_PTR_NULL(PsReferenceImpersonationToken(PsGetCurrentThread(), &coo, &eo, &level));
    CU_ASSERT_EQUAL(coo, 7);
    CU_ASSERT_EQUAL(eo, 7);
    CU_ASSERT_EQUAL(level, 7);
}

/* PsReferenceEffectiveToken ([ROS]; undocumented by Microsoft): the
 * process' primary token as TokenPrimary with EffectiveOnly FALSE when the
 * thread does not impersonate, else the impersonation token with the
 * thread's EffectiveOnly and level; a reference either way. */
static void ps_reference_effective_token_is_thread_or_process_token(void)
{
    struct world w;
    PETHREAD me;
    TOKEN_TYPE type = 0;
    BOOLEAN eo = 7;
    SECURITY_IMPERSONATION_LEVEL level = 7;
    PACCESS_TOKEN t;

    world_enter(&w, true);
    me = PsGetCurrentThread();
    t = PsReferenceEffectiveToken(me, &type, &eo, &level);
    CU_ASSERT_PTR_EQUAL(t, w.service_token);
    CU_ASSERT_EQUAL(type, TokenPrimary);
    CU_ASSERT_EQUAL(eo, FALSE);
    CU_ASSERT_EQUAL(level, 7);
    ObDereferenceObject(t);

    PsImpersonateClient(me, w.client_token, FALSE, TRUE, SecurityIdentification);
    t = PsReferenceEffectiveToken(me, &type, &eo, &level);
    CU_ASSERT_PTR_EQUAL(t, w.client_token);
    CU_ASSERT_EQUAL(type, TokenImpersonation);
    CU_ASSERT_EQUAL(eo, TRUE);
    CU_ASSERT_EQUAL(level, SecurityIdentification);
    ObDereferenceObject(t);
    world_leave(&w);
}

/* PsDisableImpersonation saves the thread's impersonation and returns TRUE;
 * meanwhile the thread acts as its process (SeCaptureSubjectContext has no
 * ClientToken, PsReferenceImpersonationToken NULL); PsRestoreImpersonation
 * puts it back, ending an impersonation begun in between (ddi-notes.md §2,
 * [ROS]). Not impersonating: FALSE and an empty state. */
static void ps_disable_and_restore_impersonation_round_trip(void)
{
    struct world w;
    PETHREAD me;
    SE_IMPERSONATION_STATE state;
    BOOLEAN coo, eo;
    SECURITY_IMPERSONATION_LEVEL level;
    PACCESS_TOKEN other;
    struct seen s;
    long live;

    world_enter(&w, true);
    me = PsGetCurrentThread();
    memset(&state, 0x5a, sizeof(state));
    CU_ASSERT_EQUAL(PsDisableImpersonation(me, &state), FALSE);
    CU_ASSERT_PTR_NULL(state.Token);
    CU_ASSERT_EQUAL(state.CopyOnOpen, FALSE);
    CU_ASSERT_EQUAL(state.EffectiveOnly, FALSE);
    CU_ASSERT_EQUAL(state.Level, SecurityAnonymous);

    PsImpersonateClient(me, w.client_token, TRUE, FALSE, SecurityImpersonation);
    CU_ASSERT_EQUAL(PsDisableImpersonation(me, &state), TRUE);
    CU_ASSERT_PTR_EQUAL(state.Token, w.client_token);
    CU_ASSERT_EQUAL(state.CopyOnOpen, TRUE);
    CU_ASSERT_EQUAL(state.EffectiveOnly, FALSE);
    CU_ASSERT_EQUAL(state.Level, SecurityImpersonation);
    s = who_am_i();
    CU_ASSERT_PTR_NULL(s.client);
    CU_ASSERT_PTR_EQUAL(s.primary, w.service_token);
    CU_ASSERT_PTR_NULL(PsReferenceImpersonationToken(me, &coo, &eo, &level));

    other = make_token(SERVICE_RID, NTSEC_TOKEN_IMPERSONATION, NTSEC_SECURITY_DELEGATION, false);
    live = ntsec_object_live();
    PsImpersonateClient(me, other, FALSE, FALSE, SecurityDelegation);
    ObDereferenceObject(other);                     /* the thread holds it now */
    PsRestoreImpersonation(me, &state);
    CU_ASSERT_EQUAL(ntsec_object_live(), live - 1);  /* `other` was released */
    s = who_am_i();
    CU_ASSERT_PTR_EQUAL(s.client, w.client_token);
    CU_ASSERT_EQUAL(s.level, SecurityImpersonation);
    world_leave(&w);
}

/* --- client security contexts ---------------------------------------------------- */

/* [CCS]: with SECURITY_DYNAMIC_TRACKING and a local server the context
 * references the client's effective token (DirectlyAccessClientToken),
 * otherwise it holds a copy: an impersonation token at the QoS level.
 * SecurityQos is the caller's QoS ([NTIFS]); ClientTokenControl identifies
 * the client's token (SeGetTokenControlInformation). */
static void se_create_client_security_dynamic_references_static_copies(void)
{
    struct world w;
    struct client c;
    SECURITY_QUALITY_OF_SERVICE sq = qos(SecurityIdentification, SECURITY_STATIC_TRACKING, TRUE);
    SECURITY_CLIENT_CONTEXT dyn, stat;
    TOKEN_CONTROL control;

    scene_enter(&w, &c, true, SecurityImpersonation);

    CU_ASSERT_EQUAL_FATAL(SeCreateClientSecurity(c.thread, &dynamic_qos, FALSE, &dyn),
                          STATUS_SUCCESS);
    CU_ASSERT_PTR_EQUAL(dyn.ClientToken, w.client_token);
    CU_ASSERT_EQUAL(dyn.DirectlyAccessClientToken, TRUE);
    CU_ASSERT_EQUAL(dyn.DirectAccessEffectiveOnly, FALSE);
    CU_ASSERT_EQUAL(dyn.ServerIsRemote, FALSE);
    CU_ASSERT_EQUAL(dyn.SecurityQos.Length, sizeof(SECURITY_QUALITY_OF_SERVICE));
    CU_ASSERT_EQUAL(dyn.SecurityQos.ImpersonationLevel, SecurityImpersonation);
    CU_ASSERT_EQUAL(dyn.SecurityQos.ContextTrackingMode, SECURITY_DYNAMIC_TRACKING);
    SeGetTokenControlInformation(w.client_token, &control);
    CU_ASSERT_MEM_EQUAL(&dyn.ClientTokenControl, &control, sizeof(control));

    CU_ASSERT_EQUAL_FATAL(SeCreateClientSecurity(c.thread, &sq, FALSE, &stat), STATUS_SUCCESS);
    CU_ASSERT_PTR_NOT_EQUAL(stat.ClientToken, w.client_token);
    CU_ASSERT_EQUAL(SeTokenType(stat.ClientToken), TokenImpersonation);
    CU_ASSERT_EQUAL(token_level(stat.ClientToken), SecurityIdentification);
    CU_ASSERT_EQUAL(stat.DirectlyAccessClientToken, FALSE);
    CU_ASSERT_EQUAL(stat.SecurityQos.EffectiveOnly, TRUE);
    CU_ASSERT_EQUAL(stat.SecurityQos.ContextTrackingMode, SECURITY_STATIC_TRACKING);

    SeDeleteClientSecurity(&dyn);
    SeDeleteClientSecurity(&stat);
    scene_leave(&w, &c);
}

/* [ICE] with ddi-notes.md §5: the server thread impersonates the context's
 * token at the QoS level, not the client's own level, with CopyOnOpen set
 * ([PRIT] reports it) and the context's EffectiveOnly. */
static void se_impersonate_client_ex_acts_as_client_at_qos_level(void)
{
    struct world w;
    struct client c;
    SECURITY_QUALITY_OF_SERVICE idq = qos(SecurityIdentification, SECURITY_DYNAMIC_TRACKING, TRUE);
    SECURITY_CLIENT_CONTEXT id, im;
    BOOLEAN coo, eo;
    SECURITY_IMPERSONATION_LEVEL level;
    PACCESS_TOKEN t;
    struct seen s;

    scene_enter(&w, &c, true, SecurityDelegation);
    CU_ASSERT_EQUAL_FATAL(SeCreateClientSecurity(c.thread, &idq, FALSE, &id), STATUS_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(SeCreateClientSecurity(c.thread, &dynamic_qos, FALSE, &im),
                          STATUS_SUCCESS);

    CU_ASSERT_EQUAL(SeImpersonateClientEx(&id, NULL), STATUS_SUCCESS);
    s = who_am_i();
    CU_ASSERT_PTR_EQUAL(s.client, w.client_token);
    CU_ASSERT_EQUAL(s.level, SecurityIdentification);
    t = PsReferenceImpersonationToken(PsGetCurrentThread(), &coo, &eo, &level);
    CU_ASSERT_PTR_EQUAL(t, w.client_token);
    CU_ASSERT_EQUAL(coo, TRUE);
    CU_ASSERT_EQUAL(eo, TRUE);
    CU_ASSERT_EQUAL(level, SecurityIdentification);
    PsDereferenceImpersonationToken(t);

    SeImpersonateClient(&im, NULL);
    s = who_am_i();
    CU_ASSERT_PTR_EQUAL(s.client, w.client_token);
    CU_ASSERT_EQUAL(s.level, SecurityImpersonation);
    t = PsReferenceImpersonationToken(PsGetCurrentThread(), &coo, &eo, &level);
    CU_ASSERT_EQUAL(coo, TRUE);
    CU_ASSERT_EQUAL(eo, FALSE);
    PsDereferenceImpersonationToken(t);
    SeStopImpersonatingClient();
    CU_ASSERT_PTR_NULL(who_am_i().client);

    SeDeleteClientSecurity(&id);
    SeDeleteClientSecurity(&im);
    scene_leave(&w, &c);
}

/* [ICE]: "ServerThread: the thread that is to impersonate the user"; and
 * [PIC] on another thread: a NULL token ends that thread's impersonation.
 * The worker is a second thread of the service process. */
static void se_impersonate_client_ex_on_another_server_thread(void)
{
    struct world w;
    struct client c, worker;
    SECURITY_CLIENT_CONTEXT ctx;

    scene_enter(&w, &c, true, SecurityImpersonation);
    client_start(&worker, w.service);
    CU_ASSERT_EQUAL_FATAL(SeCreateClientSecurity(c.thread, &dynamic_qos, FALSE, &ctx),
                          STATUS_SUCCESS);

    CU_ASSERT_EQUAL(SeImpersonateClientEx(&ctx, worker.thread), STATUS_SUCCESS);
    CU_ASSERT_PTR_NULL(who_am_i().client);          /* not the caller */
    client_run(&worker, STEP_CAPTURE);
    CU_ASSERT_PTR_EQUAL(worker.seen.ClientToken, w.client_token);
    CU_ASSERT_EQUAL(worker.seen.ImpersonationLevel, SecurityImpersonation);
    CU_ASSERT_PTR_EQUAL(worker.seen.PrimaryToken, w.service_token);
    SeReleaseSubjectContext(&worker.seen);

    CU_ASSERT_EQUAL(PsImpersonateClient(worker.thread, NULL, FALSE, FALSE, SecurityAnonymous),
                    STATUS_SUCCESS);
    client_run(&worker, STEP_CAPTURE);
    CU_ASSERT_PTR_NULL(worker.seen.ClientToken);
    SeReleaseSubjectContext(&worker.seen);

    SeDeleteClientSecurity(&ctx);
    client_stop(&worker);
    scene_leave(&w, &c);
}

/* [CCS] Remarks: a dynamic context references the client's token, so a
 * privilege the client enables afterwards is seen by the server
 * impersonating it; a static context is a copy made at creation and does
 * not see it. The port's test for such a change is ClientTokenControl
 * against the token's current control information ([NTIFS]). */
static void dynamic_context_sees_client_privilege_change_static_does_not(void)
{
    struct world w;
    struct client c;
    SECURITY_CLIENT_CONTEXT dyn, stat, later;
    TOKEN_CONTROL now;

    scene_enter(&w, &c, true, SecurityImpersonation);
    CU_ASSERT_EQUAL_FATAL(SeCreateClientSecurity(c.thread, &dynamic_qos, FALSE, &dyn),
                          STATUS_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(SeCreateClientSecurity(c.thread, &static_qos, FALSE, &stat),
                          STATUS_SUCCESS);
    SeImpersonateClientEx(&dyn, NULL);
    CU_ASSERT_EQUAL(SeSinglePrivilegeCheck(shutdown_luid, UserMode), FALSE);

    client_run(&c, STEP_ENABLE_SHUTDOWN);
    CU_ASSERT_EQUAL(c.status, STATUS_SUCCESS);

    SeImpersonateClientEx(&dyn, NULL);
    CU_ASSERT_EQUAL(SeSinglePrivilegeCheck(shutdown_luid, UserMode), TRUE);
    SeImpersonateClientEx(&stat, NULL);
    CU_ASSERT_EQUAL(SeSinglePrivilegeCheck(shutdown_luid, UserMode), FALSE);
    CU_ASSERT_EQUAL_FATAL(SeCreateClientSecurity(c.thread, &static_qos, FALSE, &later),
                          STATUS_SUCCESS);
    SeImpersonateClientEx(&later, NULL);
    CU_ASSERT_EQUAL(SeSinglePrivilegeCheck(shutdown_luid, UserMode), TRUE);
    PsRevertToSelf();

    SeGetTokenControlInformation(dyn.ClientToken, &now);
    CU_ASSERT(luid_eq(now.TokenId, dyn.ClientTokenControl.TokenId));
    CU_ASSERT(!luid_eq(now.ModifiedId, dyn.ClientTokenControl.ModifiedId));

    SeDeleteClientSecurity(&dyn);
    SeDeleteClientSecurity(&stat);
    SeDeleteClientSecurity(&later);
    scene_leave(&w, &c);
}

/* [CCS]: "ServerIsRemote is TRUE, and the client thread is impersonating
 * its client at other than SecurityDelegation level" ->
 * STATUS_BAD_IMPERSONATION_LEVEL, ClientContext not written; at Delegation
 * the remote server gets a copy, even under dynamic tracking ("Otherwise,
 * SeCreateClientSecurity creates a copy"; ntsec follows the documentation
 * here, docs/design/impersonation.md). */
static void remote_server_needs_delegation(void)
{
    struct world w;
    struct client c;
    SECURITY_CLIENT_CONTEXT ctx, before;

    scene_enter(&w, &c, true, SecurityImpersonation);
    memset(&ctx, 0xa5, sizeof(ctx));
    before = ctx;
    CU_ASSERT_EQUAL(SeCreateClientSecurity(c.thread, &dynamic_qos, TRUE, &ctx),
                    STATUS_BAD_IMPERSONATION_LEVEL);
    CU_ASSERT_MEM_EQUAL(&ctx, &before, sizeof(ctx));

    CU_ASSERT_EQUAL(client_impersonate(&c, w.client_token, SecurityDelegation), STATUS_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(SeCreateClientSecurity(c.thread, &dynamic_qos, TRUE, &ctx),
                          STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ctx.ServerIsRemote, TRUE);
    CU_ASSERT_EQUAL(ctx.DirectlyAccessClientToken, FALSE);
    CU_ASSERT_PTR_NOT_EQUAL(ctx.ClientToken, w.client_token);
    CU_ASSERT_EQUAL(token_level(ctx.ClientToken), SecurityImpersonation);
    CU_ASSERT_EQUAL(SeImpersonateClientEx(&ctx, NULL), STATUS_SUCCESS);
    CU_ASSERT_PTR_EQUAL(who_am_i().client, ctx.ClientToken);
    PsRevertToSelf();
    SeDeleteClientSecurity(&ctx);
    scene_leave(&w, &c);
}

/* [CCS]: a client impersonating at SecurityAnonymous or
 * SecurityIdentification has nothing to pass on:
 * STATUS_BAD_IMPERSONATION_LEVEL, even for a local server and an
 * Identification QoS. A QoS above the client's own level is refused too
 * ([NTIFS]: the QoS "may not provide greater access than the client's
 * token"). These rules apply only to an impersonating client: one on its
 * primary token passes, remote server and Delegation QoS included
 * ([CCS]: "The client to be impersonated is currently impersonating"). */
static void client_level_limits_what_it_passes_on(void)
{
    static const SECURITY_IMPERSONATION_LEVEL too_low[] = { SecurityAnonymous,
                                                            SecurityIdentification };
    struct world w;
    struct client c;
    SECURITY_QUALITY_OF_SERVICE idq = qos(SecurityIdentification, SECURITY_STATIC_TRACKING, FALSE);
    SECURITY_QUALITY_OF_SERVICE dlq = qos(SecurityDelegation, SECURITY_STATIC_TRACKING, FALSE);
    SECURITY_CLIENT_CONTEXT ctx;

    scene_enter(&w, &c, true, NOT_IMPERSONATING);
    for (size_t i = 0; i < sizeof(too_low) / sizeof(too_low[0]); i++) {
        client_impersonate(&c, w.client_token, too_low[i]);
        CU_ASSERT_EQUAL(SeCreateClientSecurity(c.thread, &idq, FALSE, &ctx),
                        STATUS_BAD_IMPERSONATION_LEVEL);
    }
    client_impersonate(&c, w.client_token, SecurityImpersonation);
    CU_ASSERT_EQUAL(SeCreateClientSecurity(c.thread, &dlq, FALSE, &ctx),
                    STATUS_BAD_IMPERSONATION_LEVEL);

    client_run(&c, STEP_REVERT);
    CU_ASSERT_EQUAL_FATAL(SeCreateClientSecurity(c.thread, &dlq, TRUE, &ctx), STATUS_SUCCESS);
    CU_ASSERT_EQUAL(token_level(ctx.ClientToken), SecurityDelegation);
    SeDeleteClientSecurity(&ctx);
    scene_leave(&w, &c);
}

/* [DCS], [NTIFS]: SeDeleteClientSecurity is a macro that releases
 * ClientToken as a primary token when the context references a client
 * that was not impersonating (dynamic tracking), else as an impersonation
 * token (a copy, freed with its last reference). Every object is gone
 * once the test's own references are dropped. */
static void se_delete_client_security_releases_primary_reference_and_copy(void)
{
    long before = ntsec_object_live();
    struct world w;
    struct client c;
    SECURITY_CLIENT_CONTEXT dyn, copy;
    long live;

    scene_enter(&w, &c, true, NOT_IMPERSONATING);
    CU_ASSERT_EQUAL_FATAL(SeCreateClientSecurity(c.thread, &dynamic_qos, FALSE, &dyn),
                          STATUS_SUCCESS);
    CU_ASSERT_PTR_EQUAL(dyn.ClientToken, w.client_primary);
    CU_ASSERT_EQUAL(SeTokenType(dyn.ClientToken), TokenPrimary);
    SeDeleteClientSecurity(&dyn);

    live = ntsec_object_live();
    CU_ASSERT_EQUAL_FATAL(SeCreateClientSecurity(c.thread, &static_qos, FALSE, &copy),
                          STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_object_live(), live + 1);
    CU_ASSERT_EQUAL(SeTokenType(copy.ClientToken), TokenImpersonation);
    SeDeleteClientSecurity(&copy);
    CU_ASSERT_EQUAL(ntsec_object_live(), live);

    scene_leave(&w, &c);
    CU_ASSERT_EQUAL(ntsec_object_live(), before);
}

/* "SeCreateClientSecurityFromSubjectContext" (Microsoft docs): the same
 * rules for a captured subject - its ClientToken at its
 * ImpersonationLevel, or its PrimaryToken when it has none. */
static void se_create_client_security_from_subject_context(void)
{
    struct world w;
    PETHREAD me;
    SECURITY_SUBJECT_CONTEXT impersonating, identifying, self;
    SECURITY_CLIENT_CONTEXT ctx;
    NTSTATUS st;

    world_enter(&w, true);
    me = PsGetCurrentThread();
    PsImpersonateClient(me, w.client_token, FALSE, FALSE, SecurityImpersonation);
    SeCaptureSubjectContext(&impersonating);
    PsImpersonateClient(me, w.client_token, FALSE, FALSE, SecurityIdentification);
    SeCaptureSubjectContext(&identifying);
    PsRevertToSelf();
    SeCaptureSubjectContext(&self);

    st = SeCreateClientSecurityFromSubjectContext(&impersonating, &dynamic_qos, FALSE, &ctx);
    CU_ASSERT_EQUAL_FATAL(st, STATUS_SUCCESS);
    CU_ASSERT_PTR_EQUAL(ctx.ClientToken, w.client_token);
    CU_ASSERT_EQUAL(ctx.DirectlyAccessClientToken, TRUE);
    SeDeleteClientSecurity(&ctx);
    st = SeCreateClientSecurityFromSubjectContext(&impersonating, &dynamic_qos, TRUE, &ctx);
    CU_ASSERT_EQUAL(st, STATUS_BAD_IMPERSONATION_LEVEL);
    st = SeCreateClientSecurityFromSubjectContext(&identifying, &dynamic_qos, FALSE, &ctx);
    CU_ASSERT_EQUAL(st, STATUS_BAD_IMPERSONATION_LEVEL);
    st = SeCreateClientSecurityFromSubjectContext(&self, &dynamic_qos, FALSE, &ctx);
    CU_ASSERT_EQUAL_FATAL(st, STATUS_SUCCESS);
    CU_ASSERT_PTR_EQUAL(ctx.ClientToken, w.service_token);
    SeDeleteClientSecurity(&ctx);

    SeReleaseSubjectContext(&impersonating);
    SeReleaseSubjectContext(&identifying);
    SeReleaseSubjectContext(&self);
    world_leave(&w);
}

/* The server's own rights still decide the level it gets (ddi-notes.md
 * §5: SeImpersonateClientEx goes through PsImpersonateClient's checks):
 * without SeImpersonatePrivilege a service impersonating another user's
 * context gets Identification ([IMP]; RpcImpersonateClient, Microsoft
 * docs: "succeeds at Identify level only"). */
static void se_impersonate_client_ex_without_privilege_gets_identification(void)
{
    struct world w;
    struct client c;
    SECURITY_CLIENT_CONTEXT ctx;

    scene_enter(&w, &c, false, NOT_IMPERSONATING);
    CU_ASSERT_EQUAL_FATAL(SeCreateClientSecurity(c.thread, &dynamic_qos, FALSE, &ctx),
                          STATUS_SUCCESS);
    CU_ASSERT_EQUAL(SeImpersonateClientEx(&ctx, NULL), STATUS_SUCCESS);
    CU_ASSERT_EQUAL(who_am_i().level, SecurityIdentification);
    CU_ASSERT_EQUAL(SeSinglePrivilegeCheck(shutdown_luid, UserMode), FALSE);
    PsRevertToSelf();
    SeDeleteClientSecurity(&ctx);
    scene_leave(&w, &c);
}

/* Bad input, where Windows documents nothing or would fault: a NULL QoS,
 * context, thread or subject is STATUS_INVALID_PARAMETER; a QoS Length
 * other than sizeof(SECURITY_QUALITY_OF_SERVICE) or a tracking mode other
 * than static/dynamic STATUS_INVALID_PARAMETER, a level above Delegation
 * STATUS_BAD_IMPERSONATION_LEVEL (libsec impersonate_policy.c gives the
 * sources and choices). The context is not written; a NULL or deleted
 * context cannot be impersonated. */
static void client_context_bad_input(void)
{
    struct world w;
    PETHREAD me;
    SECURITY_QUALITY_OF_SERVICE bad[4];
    static const NTSTATUS want[4] = { STATUS_INVALID_PARAMETER, STATUS_INVALID_PARAMETER,
                                      STATUS_BAD_IMPERSONATION_LEVEL, STATUS_INVALID_PARAMETER };
    SECURITY_CLIENT_CONTEXT ctx, before;
    SECURITY_SUBJECT_CONTEXT s;

    world_enter(&w, true);
    me = PsGetCurrentThread();
    for (int i = 0; i < 4; i++)
        bad[i] = dynamic_qos;
    bad[0].Length = 0;
    bad[1].Length = sizeof(dynamic_qos) + 4;
    bad[2].ImpersonationLevel = (SECURITY_IMPERSONATION_LEVEL)4;
    bad[3].ContextTrackingMode = 2;
    memset(&ctx, 0xa5, sizeof(ctx));
    before = ctx;
    for (int i = 0; i < 4; i++)
        CU_ASSERT_EQUAL(SeCreateClientSecurity(me, &bad[i], FALSE, &ctx), want[i]);
    CU_ASSERT_EQUAL(SeCreateClientSecurity(me, NULL, FALSE, &ctx), STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(SeCreateClientSecurity(NULL, &dynamic_qos, FALSE, &ctx),
                    STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(SeCreateClientSecurity(me, &dynamic_qos, FALSE, NULL),
                    STATUS_INVALID_PARAMETER);
    CU_ASSERT_MEM_EQUAL(&ctx, &before, sizeof(ctx));

    SeCaptureSubjectContext(&s);
    CU_ASSERT_EQUAL(SeCreateClientSecurityFromSubjectContext(NULL, &dynamic_qos, FALSE, &ctx),
                    STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(SeCreateClientSecurityFromSubjectContext(&s, NULL, FALSE, &ctx),
                    STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(SeCreateClientSecurityFromSubjectContext(&s, &bad[3], FALSE, &ctx),
                    STATUS_INVALID_PARAMETER);
    CU_ASSERT_MEM_EQUAL(&ctx, &before, sizeof(ctx));
    SeReleaseSubjectContext(&s);

    CU_ASSERT_EQUAL(SeImpersonateClientEx(NULL, NULL), STATUS_INVALID_PARAMETER);
    memset(&ctx, 0, sizeof(ctx));
    CU_ASSERT_EQUAL(SeImpersonateClientEx(&ctx, NULL), STATUS_INVALID_PARAMETER);
    SeImpersonateClient(&ctx, NULL);
    CU_ASSERT_PTR_NULL(who_am_i().client);
    world_leave(&w);
}

/* Out of memory while copying the client's token (static tracking):
 * STATUS_NO_MEMORY (libsec's; the WDK documents no status for it), the
 * context not written, nothing left behind; then success. */
static void se_create_client_security_out_of_memory(void)
{
    SECURITY_CLIENT_CONTEXT ctx, before;
    PETHREAD me = PsGetCurrentThread();
    long live = ntsec_object_live();

    memset(&ctx, 0xa5, sizeof(ctx));
    before = ctx;
    for (long n = 0;; n++) {
        NTSTATUS st;

        testutil_fail_alloc_after(n);
        st = SeCreateClientSecurity(me, &static_qos, FALSE, &ctx);
        testutil_fail_alloc_after(-1);
        if (st == STATUS_SUCCESS)
            break;
        CU_ASSERT_EQUAL(st, STATUS_NO_MEMORY);
        CU_ASSERT_MEM_EQUAL(&ctx, &before, sizeof(ctx));
        CU_ASSERT_EQUAL(ntsec_object_live(), live);
        CU_ASSERT_FATAL(n < 50);
    }
    CU_ASSERT_EQUAL(ntsec_object_live(), live + 1);
    SeDeleteClientSecurity(&ctx);
}

/* TOKEN_CONTROL (winnt.h) holds the token's TokenId, AuthenticationId,
 * ModifiedId and TokenSource: the values TOKEN_STATISTICS and TOKEN_SOURCE
 * report; ModifiedId "changes each time the token is modified"
 * (TOKEN_STATISTICS, Microsoft docs), TokenId does not. */
static void se_get_token_control_information_identifies_token_state(void)
{
    PACCESS_TOKEN t = make_token(CLIENT_RID, NTSEC_TOKEN_PRIMARY, NTSEC_SECURITY_ANONYMOUS, false);
    struct ntsec_luid_and_attributes on = { { SE_SHUTDOWN_PRIVILEGE, 0 },
                                            NTSEC_SE_PRIVILEGE_ENABLED };
    TOKEN_CONTROL control, after;
    TOKEN_STATISTICS *stats = NULL;
    TOKEN_SOURCE *source = NULL;
    uint32_t needed;

    memset(&control, 0xa5, sizeof(control));
    SeGetTokenControlInformation(t, &control);
    CU_ASSERT_EQUAL_FATAL(SeQueryInformationToken(t, TokenStatistics, (PVOID *)&stats),
                          STATUS_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(SeQueryInformationToken(t, TokenSource, (PVOID *)&source),
                          STATUS_SUCCESS);
    CU_ASSERT(luid_eq(control.TokenId, stats->TokenId));
    CU_ASSERT(luid_eq(control.AuthenticationId, stats->AuthenticationId));
    CU_ASSERT(luid_eq(control.ModifiedId, stats->ModifiedId));
    CU_ASSERT_MEM_EQUAL(&control.TokenSource, source, sizeof(*source));
    ExFreePool(stats);
    ExFreePool(source);

    CU_ASSERT(ntsec_token_adjust_privileges(native(t), false, &on, 1, NULL, 0, &needed) ==
              NTSEC_STATUS_SUCCESS);
    SeGetTokenControlInformation(t, &after);
    CU_ASSERT(luid_eq(after.TokenId, control.TokenId));
    CU_ASSERT(!luid_eq(after.ModifiedId, control.ModifiedId));
    SeGetTokenControlInformation(NULL, &after);     /* nothing, no fault */
    SeGetTokenControlInformation(t, NULL);
    ObDereferenceObject(t);
}

void register_tests(void)
{
    static CU_TestInfo tests[] = {
        TEST(ps_impersonate_client_null_token_ends_impersonation),
        TEST(ps_impersonate_client_keeps_the_level_and_flags_given),
        TEST(ps_impersonate_client_releases_the_token_it_replaces),
        TEST(ps_impersonate_client_without_privilege_gets_identification),
        TEST(ps_impersonate_client_out_of_memory),
        TEST(ps_impersonate_client_bad_arguments),
        TEST(ps_reference_impersonation_token_null_when_not_impersonating),
        TEST(ps_reference_effective_token_is_thread_or_process_token),
        TEST(ps_disable_and_restore_impersonation_round_trip),
        TEST(se_create_client_security_dynamic_references_static_copies),
        TEST(se_impersonate_client_ex_acts_as_client_at_qos_level),
        TEST(se_impersonate_client_ex_on_another_server_thread),
        TEST(dynamic_context_sees_client_privilege_change_static_does_not),
        TEST(remote_server_needs_delegation),
        TEST(client_level_limits_what_it_passes_on),
        TEST(se_delete_client_security_releases_primary_reference_and_copy),
        TEST(se_create_client_security_from_subject_context),
        TEST(se_impersonate_client_ex_without_privilege_gets_identification),
        TEST(client_context_bad_input),
        TEST(se_create_client_security_out_of_memory),
        TEST(se_get_token_control_information_identifies_token_state),
        CU_TEST_INFO_NULL,
    };
    testutil_add_suite("emul_impersonate_ddi", tests);
}
