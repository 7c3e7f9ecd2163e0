/* test_client.c - client security contexts (libsec/client.c):
 * SeCreateClientSecurity through ntsec_client_context_create,
 * SeCreateClientSecurityFromSubjectContext, SeImpersonateClientEx,
 * SeDeleteClientSecurity, SeGetTokenControlInformation, the per-message
 * refresh of a dynamic context, and the WDK layout of
 * SECURITY_CLIENT_CONTEXT.
 *
 * Sources, by the keys of /work/shared/reference/ddi-notes.md: [CCS]
 * "SeCreateClientSecurity", [ICE] "SeImpersonateClientEx", [DCS]
 * "SeDeleteClientSecurity" (Microsoft docs); [NTIFS] the WDK's ntifs.h
 * comment on SECURITY_CLIENT_CONTEXT; ddi-notes.md §4 and §5 as corrected
 * by docs/notes/reference-review.md (ntsec follows [CCS] for a remote
 * dynamic context: a copy). Clients and servers are threads of emulated
 * processes (tests/impfix.h). */
#include <pthread.h>
#include <stddef.h>

#include "impfix.h"
#include "testutil.h"

#define DYNAMIC NTSEC_SECURITY_DYNAMIC_TRACKING
#define STATIC NTSEC_SECURITY_STATIC_TRACKING
#define CLIENT_RID IMF_CLIENT_RID

static struct ntsec_sqos sqos(enum ntsec_impersonation_level level, uint8_t tracking, bool eo)
{
    return (struct ntsec_sqos){ sizeof(struct ntsec_sqos), level, tracking, eo };
}

/* A client: a thread of a process of user 1002 that may impersonate
 * anything at the level asked (SeImpersonatePrivilege enabled), so the
 * level it holds is the one each test chooses. */
static struct ntsec_thread *client_thread(struct ntsec_process **process)
{
    return imf_thread_of(&(struct imf_spec){ .rid = CLIENT_RID,
                                             .impersonate = IMF_PRIV_ENABLED }, process);
}

/* The client thread impersonating a client-user token at `level`, with
 * EffectiveOnly `eo`; *token receives our reference to that token. */
static struct ntsec_thread *impersonating_client(enum ntsec_impersonation_level level, bool eo,
                                                 struct ntsec_token **token)
{
    struct ntsec_thread *t = client_thread(NULL);

    *token = imf_client_token(NTSEC_SECURITY_DELEGATION);
    CU_ASSERT_FATAL(ntsec_thread_impersonate(t, *token, false, eo, level) ==
                    NTSEC_STATUS_SUCCESS);
    return t;
}

static void poison(struct ntsec_client_context *ctx)
{
    memset(ctx, 0xA5, sizeof(*ctx));
}

static bool poisoned(const struct ntsec_client_context *ctx)
{
    struct ntsec_client_context p;

    poison(&p);
    return memcmp(ctx, &p, sizeof(p)) == 0;
}

static bool luid_eq(struct ntsec_luid a, struct ntsec_luid b)
{
    return a.low == b.low && a.high == b.high;
}

static uint32_t privilege_count(const struct ntsec_token *t)
{
    _Alignas(8) uint8_t buf[256];
    uint32_t need, n = 0;

    CU_ASSERT_FATAL(ntsec_token_query(t, NTSEC_TOKEN_PRIVILEGES, buf, sizeof(buf), &need) ==
                    NTSEC_STATUS_SUCCESS);
    memcpy(&n, buf, 4);
    return n;
}

static const struct ntsec_luid shutdown = { NTSEC_SE_SHUTDOWN_PRIVILEGE, 0 };

/* --- bad input --------------------------------------------------------------- */

/* SECURITY_QUALITY_OF_SERVICE.Length is "the size, in bytes, of this
 * structure" and ContextTrackingMode has two values (winnt.h, Microsoft
 * docs): anything else is STATUS_INVALID_PARAMETER (ntsec's choice of
 * status, impersonate_policy.c), for a client on its primary token too;
 * the context is not written */
static void bad_qos_length_or_tracking_is_invalid_parameter(void)
{
    struct ntsec_thread *c = client_thread(NULL);
    struct ntsec_client_context ctx;
    struct ntsec_sqos q;
    long live = ntsec_object_live();

    static const uint32_t lengths[] = { 0, 11, 13, 16 };
    for (size_t i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++) {
        q = sqos(NTSEC_SECURITY_IMPERSONATION, DYNAMIC, false);
        q.length = lengths[i];
        poison(&ctx);
        CU_ASSERT_EQUAL(ntsec_client_context_create(c, &q, false, &ctx),
                        NTSEC_STATUS_INVALID_PARAMETER);
        CU_ASSERT(poisoned(&ctx));
    }
    static const uint8_t modes[] = { 2, 0x80, 0xff };
    for (size_t i = 0; i < sizeof(modes); i++) {
        q = sqos(NTSEC_SECURITY_IMPERSONATION, modes[i], false);
        poison(&ctx);
        CU_ASSERT_EQUAL(ntsec_client_context_create(c, &q, false, &ctx),
                        NTSEC_STATUS_INVALID_PARAMETER);
        CU_ASSERT(poisoned(&ctx));
    }
    CU_ASSERT_EQUAL(ntsec_object_live(), live);
    imf_thread_put(c);
}

/* [MS-ERREF] 2.3.1 STATUS_BAD_IMPERSONATION_LEVEL "A specified impersonation
 * level is invalid": a QoS level above SecurityDelegation, whoever the
 * client is (reference-review.md A.3) */
static void qos_level_above_delegation_is_bad_impersonation_level(void)
{
    struct ntsec_thread *c = client_thread(NULL);
    struct ntsec_client_context ctx;
    struct ntsec_sqos q = sqos(NTSEC_SECURITY_DELEGATION + 1, STATIC, false);

    poison(&ctx);
    CU_ASSERT_EQUAL(ntsec_client_context_create(c, &q, false, &ctx),
                    NTSEC_STATUS_BAD_IMPERSONATION_LEVEL);
    CU_ASSERT(poisoned(&ctx));
    imf_thread_put(c);
}

/* DESIGN.md, Errors: a NULL client, QoS or context is
 * STATUS_INVALID_PARAMETER and nothing is referenced */
static void null_arguments_are_invalid_parameter(void)
{
    struct ntsec_thread *c = client_thread(NULL);
    struct ntsec_client_context ctx;
    struct ntsec_sqos q = sqos(NTSEC_SECURITY_IMPERSONATION, DYNAMIC, false);
    long live = ntsec_object_live(), allocs = testutil_live();

    poison(&ctx);
    CU_ASSERT_EQUAL(ntsec_client_context_create(NULL, &q, false, &ctx),
                    NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_client_context_create(c, NULL, false, &ctx),
                    NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_client_context_create(c, &q, false, NULL),
                    NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT(poisoned(&ctx));
    CU_ASSERT_EQUAL(ntsec_object_live(), live);
    CU_ASSERT_EQUAL(testutil_live(), allocs);
    imf_thread_put(c);
}

/* --- what the context holds ----------------------------------------------- */

/* [CCS]: with SECURITY_DYNAMIC_TRACKING and ServerIsRemote FALSE it "uses
 * a reference to the client's effective token"; a client on its primary
 * token is referenced as such
 * (ddi-notes.md §4 step 3); DirectlyAccessClientToken TRUE ([NTIFS]); the
 * client's later AdjustTokenPrivileges is seen through it */
static void dynamic_local_references_the_primary_token_and_sees_changes(void)
{
    struct ntsec_process *p;
    struct ntsec_thread *c = client_thread(&p);
    struct ntsec_token *primary = ntsec_process_token(p);
    struct ntsec_client_context ctx;
    struct ntsec_sqos q = sqos(NTSEC_SECURITY_IMPERSONATION, DYNAMIC, false);

    CU_ASSERT_FATAL(ntsec_client_context_create(c, &q, false, &ctx) == NTSEC_STATUS_SUCCESS);
    CU_ASSERT_PTR_EQUAL(ctx.client_token, primary);
    CU_ASSERT_EQUAL(ctx.directly_access_client_token, 1);
    CU_ASSERT_EQUAL(ctx.direct_access_effective_only, 0);
    CU_ASSERT_EQUAL(ctx.server_is_remote, 0);
    CU_ASSERT_EQUAL(ctx.qos.length, sizeof(struct ntsec_sqos));
    CU_ASSERT_EQUAL(ctx.qos.level, NTSEC_SECURITY_IMPERSONATION);
    CU_ASSERT_EQUAL(ctx.qos.context_tracking_mode, DYNAMIC);
    CU_ASSERT(!ntsec_token_privilege_enabled(ctx.client_token, shutdown));
    CU_ASSERT_EQUAL(imf_set_privilege(primary, NTSEC_SE_SHUTDOWN_PRIVILEGE, true),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT(ntsec_token_privilege_enabled(ctx.client_token, shutdown));
    /* The context holds its own reference. */
    ntsec_token_put(primary);
    imf_thread_put(c);
    ntsec_object_put(p);
    CU_ASSERT_EQUAL(imf_user_rid(ctx.client_token), CLIENT_RID);
    ntsec_client_context_delete(&ctx);
}

/* [CCS]: static tracking gives the server a copy (SeCopyClientToken): an
 * impersonation token at the QoS level with a new TokenId and the same
 * logon session (ddi-notes.md §4 step 3), not changed by the client later */
static void static_copies_at_qos_level_and_does_not_see_changes(void)
{
    struct ntsec_process *p;
    struct ntsec_thread *c = client_thread(&p);
    struct ntsec_token *primary = ntsec_process_token(p);

    for (unsigned level = NTSEC_SECURITY_ANONYMOUS; level <= NTSEC_SECURITY_DELEGATION; level++) {
        struct ntsec_client_context ctx;
        struct ntsec_sqos q = sqos(level, STATIC, false);

        CU_ASSERT_FATAL(ntsec_client_context_create(c, &q, false, &ctx) == NTSEC_STATUS_SUCCESS);
        CU_ASSERT_PTR_NOT_EQUAL(ctx.client_token, primary);
        CU_ASSERT_EQUAL(ctx.directly_access_client_token, 0);
        CU_ASSERT_EQUAL(ntsec_token_type(ctx.client_token), NTSEC_TOKEN_IMPERSONATION);
        CU_ASSERT_EQUAL(ntsec_token_level(ctx.client_token), level);
        CU_ASSERT(!luid_eq(ntsec_token_id(ctx.client_token), ntsec_token_id(primary)));
        CU_ASSERT(luid_eq(ntsec_token_authentication_id(ctx.client_token),
                          ntsec_token_authentication_id(primary)));
        CU_ASSERT_EQUAL(imf_user_rid(ctx.client_token), CLIENT_RID);
        CU_ASSERT_EQUAL(imf_set_privilege(primary, NTSEC_SE_SHUTDOWN_PRIVILEGE, true),
                        NTSEC_STATUS_SUCCESS);
        CU_ASSERT(!ntsec_token_privilege_enabled(ctx.client_token, shutdown));
        CU_ASSERT_EQUAL(imf_set_privilege(primary, NTSEC_SE_SHUTDOWN_PRIVILEGE, false),
                        NTSEC_STATUS_SUCCESS);
        ntsec_client_context_delete(&ctx);
    }
    ntsec_token_put(primary);
    imf_thread_put(c);
    ntsec_object_put(p);
}

/* [CCS]: only dynamic tracking with ServerIsRemote FALSE gives a
 * reference ("Otherwise, ... creates a copy of the client's token"): a
 * remote server gets a copy even with dynamic tracking
 * (ntsec follows the documentation, reference-review.md A.2), and
 * ClientTokenControl names the client's token ([NTIFS]: filled for a
 * remote server, so it can tell when the client's context changed) */
static void remote_dynamic_is_a_copy_with_token_control(void)
{
    struct ntsec_token *t;
    struct ntsec_thread *c = impersonating_client(NTSEC_SECURITY_DELEGATION, false, &t);
    struct ntsec_client_context ctx;
    struct ntsec_sqos q = sqos(NTSEC_SECURITY_DELEGATION, DYNAMIC, false);
    struct ntsec_token_control want;

    CU_ASSERT_FATAL(ntsec_client_context_create(c, &q, true, &ctx) == NTSEC_STATUS_SUCCESS);
    CU_ASSERT_PTR_NOT_EQUAL(ctx.client_token, t);
    CU_ASSERT_EQUAL(ctx.directly_access_client_token, 0);
    CU_ASSERT_EQUAL(ctx.server_is_remote, 1);
    CU_ASSERT_EQUAL(ntsec_token_level(ctx.client_token), NTSEC_SECURITY_DELEGATION);
    ntsec_token_control(t, &want);
    CU_ASSERT_MEM_EQUAL(&ctx.client_token_control, &want, sizeof(want));
    ntsec_client_context_delete(&ctx);
    ntsec_token_put(t);
    imf_thread_put(c);
}

/* [CCS]: a client impersonating at SecurityAnonymous or
 * SecurityIdentification cannot be captured:
 * STATUS_BAD_IMPERSONATION_LEVEL, whatever the QoS, and no context */
static void client_impersonating_below_impersonation_is_refused(void)
{
    for (unsigned level = NTSEC_SECURITY_ANONYMOUS; level < NTSEC_SECURITY_IMPERSONATION; level++)
        for (uint8_t tracking = STATIC; tracking <= DYNAMIC; tracking++) {
            struct ntsec_token *t;
            struct ntsec_thread *c = impersonating_client(level, false, &t);
            struct ntsec_client_context ctx;
            struct ntsec_sqos q = sqos(NTSEC_SECURITY_ANONYMOUS, tracking, false);
            long live = ntsec_object_live();

            poison(&ctx);
            CU_ASSERT_EQUAL(ntsec_client_context_create(c, &q, false, &ctx),
                            NTSEC_STATUS_BAD_IMPERSONATION_LEVEL);
            CU_ASSERT(poisoned(&ctx));
            CU_ASSERT_EQUAL(ntsec_object_live(), live);
            ntsec_token_put(t);
            imf_thread_put(c);
        }
}

/* [CCS]: for a remote server the client must impersonate at
 * SecurityDelegation, else STATUS_BAD_IMPERSONATION_LEVEL; a client on its
 * primary token has no level and passes (ddi-notes.md §4 step 2) */
static void remote_server_needs_a_delegation_level_client(void)
{
    static const struct {
        enum ntsec_impersonation_level client;
        ntsec_status want;
    } cases[] = {
        { NTSEC_SECURITY_IMPERSONATION, NTSEC_STATUS_BAD_IMPERSONATION_LEVEL },
        { NTSEC_SECURITY_DELEGATION, NTSEC_STATUS_SUCCESS },
    };
    struct ntsec_sqos q = sqos(NTSEC_SECURITY_IMPERSONATION, STATIC, false);

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct ntsec_token *t;
        struct ntsec_thread *c = impersonating_client(cases[i].client, false, &t);
        struct ntsec_client_context ctx;

        poison(&ctx);
        CU_ASSERT_EQUAL(ntsec_client_context_create(c, &q, true, &ctx), cases[i].want);
        if (cases[i].want == NTSEC_STATUS_SUCCESS)
            ntsec_client_context_delete(&ctx);
        else
            CU_ASSERT(poisoned(&ctx));
        /* Local, the same client is fine. */
        CU_ASSERT_EQUAL(ntsec_client_context_create(c, &q, false, &ctx), NTSEC_STATUS_SUCCESS);
        ntsec_client_context_delete(&ctx);
        ntsec_token_put(t);
        imf_thread_put(c);
    }
    struct ntsec_thread *primary_client = client_thread(NULL);
    struct ntsec_client_context ctx;
    CU_ASSERT_EQUAL(ntsec_client_context_create(primary_client, &q, true, &ctx),
                    NTSEC_STATUS_SUCCESS);
    ntsec_client_context_delete(&ctx);
    imf_thread_put(primary_client);
}

/* [NTIFS]: the QoS "may not provide greater access than the client's
 * token": a QoS level above the level the client impersonates at is
 * STATUS_BAD_IMPERSONATION_LEVEL (ddi-notes.md §4 step 2); equal or
 * lower is accepted and recorded */
static void qos_level_above_client_level_is_refused(void)
{
    struct ntsec_token *t;
    struct ntsec_thread *c = impersonating_client(NTSEC_SECURITY_IMPERSONATION, false, &t);

    for (unsigned level = NTSEC_SECURITY_ANONYMOUS; level <= NTSEC_SECURITY_DELEGATION; level++)
        for (uint8_t tracking = STATIC; tracking <= DYNAMIC; tracking++) {
            struct ntsec_client_context ctx;
            struct ntsec_sqos q = sqos(level, tracking, false);
            ntsec_status st;

            poison(&ctx);
            st = ntsec_client_context_create(c, &q, false, &ctx);
            if (level > NTSEC_SECURITY_IMPERSONATION) {
                CU_ASSERT_EQUAL(st, NTSEC_STATUS_BAD_IMPERSONATION_LEVEL);
                CU_ASSERT(poisoned(&ctx));
                continue;
            }
            CU_ASSERT_EQUAL_FATAL(st, NTSEC_STATUS_SUCCESS);
            CU_ASSERT_EQUAL(ctx.qos.level, level);
            ntsec_client_context_delete(&ctx);
        }
    ntsec_token_put(t);
    imf_thread_put(c);
}

/* ddi-notes.md §4 step 3: the copy is made with the QoS EffectiveOnly;
 * ZwDuplicateToken (Microsoft docs): EffectiveOnly TRUE copies only the
 * enabled part of the token. SeShutdownPrivilege, disabled in the client's
 * token, is gone from an EffectiveOnly copy and kept otherwise */
static void effective_only_copy_drops_disabled_privileges(void)
{
    struct ntsec_process *p;
    struct ntsec_thread *c = client_thread(&p);
    struct ntsec_token *primary = ntsec_process_token(p);
    uint32_t all = privilege_count(primary);

    for (int eo = 0; eo < 2; eo++) {
        struct ntsec_client_context ctx;
        struct ntsec_sqos q = sqos(NTSEC_SECURITY_IMPERSONATION, STATIC, eo);

        CU_ASSERT_FATAL(ntsec_client_context_create(c, &q, false, &ctx) == NTSEC_STATUS_SUCCESS);
        CU_ASSERT_EQUAL(ctx.qos.effective_only, eo);
        CU_ASSERT_EQUAL(privilege_count(ctx.client_token), eo ? all - 1 : all);
        /* With the privilege gone, it cannot be enabled in the copy. */
        CU_ASSERT_EQUAL(imf_set_privilege(ctx.client_token, NTSEC_SE_SHUTDOWN_PRIVILEGE, true),
                        eo ? NTSEC_STATUS_NOT_ALL_ASSIGNED : NTSEC_STATUS_SUCCESS);
        ntsec_client_context_delete(&ctx);
    }
    ntsec_token_put(primary);
    imf_thread_put(c);
    ntsec_object_put(p);
}

/* [NTIFS]: DirectAccessEffectiveOnly "is always minimized by the
 * EffectiveOnly flag in the SecurityQos"; ddi-notes.md §4 step 3: it is
 * QoS EffectiveOnly OR (the client impersonates AND its thread's
 * EffectiveOnly) */
static void direct_access_effective_only_is_qos_or_thread(void)
{
    static const struct {
        bool impersonating, thread_eo, qos_eo, want;
    } cases[] = {
        { false, false, false, false },
        { false, false, true, true },
        { true, false, false, false },
        { true, true, false, true },
        { true, false, true, true },
        { true, true, true, true },
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct ntsec_token *t = NULL;
        struct ntsec_thread *c = cases[i].impersonating
            ? impersonating_client(NTSEC_SECURITY_IMPERSONATION, cases[i].thread_eo, &t)
            : client_thread(NULL);
        struct ntsec_client_context ctx;
        struct ntsec_sqos q = sqos(NTSEC_SECURITY_IMPERSONATION, DYNAMIC, cases[i].qos_eo);

        CU_ASSERT_FATAL(ntsec_client_context_create(c, &q, false, &ctx) == NTSEC_STATUS_SUCCESS);
        CU_ASSERT_EQUAL(ctx.directly_access_client_token, 1);
        CU_ASSERT_EQUAL(ctx.direct_access_effective_only, cases[i].want);
        if (t)
            CU_ASSERT_PTR_EQUAL(ctx.client_token, t);
        ntsec_client_context_delete(&ctx);
        if (t)
            ntsec_token_put(t);
        imf_thread_put(c);
    }
}

/* ddi-notes.md §4, SeCreateClientSecurityFromSubjectContext: the captured
 * ClientToken (impersonating at ImpersonationLevel; no thread
 * EffectiveOnly) or else the PrimaryToken, under the same rules */
static void from_subject_uses_client_token_else_primary(void)
{
    struct ntsec_token *primary = imf_token(&(struct imf_spec){ .rid = CLIENT_RID });
    struct ntsec_token *imp = imf_client_token(NTSEC_SECURITY_DELEGATION);
    struct ntsec_sqos dyn = sqos(NTSEC_SECURITY_IMPERSONATION, DYNAMIC, false);
    struct ntsec_client_context ctx;

    CU_ASSERT_FATAL(ntsec_client_context_create_from_subject(NULL, NTSEC_SECURITY_ANONYMOUS,
                                                             primary, &dyn, false, &ctx) ==
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_PTR_EQUAL(ctx.client_token, primary);
    ntsec_client_context_delete(&ctx);

    CU_ASSERT_FATAL(ntsec_client_context_create_from_subject(imp, NTSEC_SECURITY_IMPERSONATION,
                                                             primary, &dyn, false, &ctx) ==
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_PTR_EQUAL(ctx.client_token, imp);
    CU_ASSERT_EQUAL(ctx.direct_access_effective_only, 0);
    ntsec_client_context_delete(&ctx);

    /* The subject's level, not the token's, is judged ([CCS]). */
    poison(&ctx);
    CU_ASSERT_EQUAL(ntsec_client_context_create_from_subject(imp, NTSEC_SECURITY_IDENTIFICATION,
                                                             primary, &dyn, false, &ctx),
                    NTSEC_STATUS_BAD_IMPERSONATION_LEVEL);
    CU_ASSERT_EQUAL(ntsec_client_context_create_from_subject(imp, NTSEC_SECURITY_IMPERSONATION,
                                                             primary, &dyn, true, &ctx),
                    NTSEC_STATUS_BAD_IMPERSONATION_LEVEL);
    /* A captured level outside SECURITY_IMPERSONATION_LEVEL is refused as
     * a QoS level above Delegation is (ntsec's choice, docs/impersonation.md). */
    CU_ASSERT_EQUAL(ntsec_client_context_create_from_subject(imp, (enum ntsec_impersonation_level)4,
                                                             primary, &dyn, false, &ctx),
                    NTSEC_STATUS_BAD_IMPERSONATION_LEVEL);
    CU_ASSERT_EQUAL(ntsec_client_context_create_from_subject(NULL, 0, NULL, &dyn, false, &ctx),
                    NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_client_context_create_from_subject(imp, NTSEC_SECURITY_IMPERSONATION,
                                                             primary, NULL, false, &ctx),
                    NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT(poisoned(&ctx));
    CU_ASSERT_EQUAL(ntsec_client_context_create_from_subject(imp, NTSEC_SECURITY_IMPERSONATION,
                                                             primary, &dyn, false, NULL),
                    NTSEC_STATUS_INVALID_PARAMETER);
    ntsec_token_put(primary);
    ntsec_token_put(imp);
}

/* --- SeImpersonateClientEx, SeDeleteClientSecurity ------------------------ */

/* [ICE] ServerThread NULL: the current thread; ddi-notes.md §5: it
 * impersonates ClientToken with CopyOnOpen TRUE at the QoS level (not the
 * token's own Delegation), EffectiveOnly = DirectAccessEffectiveOnly for a
 * reference, QoS EffectiveOnly for a copy */
static void impersonate_uses_qos_level_and_copy_on_open(void)
{
    static const struct {
        uint8_t tracking;
        bool eo;
    } cases[] = { { DYNAMIC, false }, { DYNAMIC, true }, { STATIC, false }, { STATIC, true } };
    struct imf_sandbox sb;
    struct ntsec_thread *me = imf_enter(&sb, &(struct imf_spec){ .impersonate = IMF_PRIV_ENABLED });
    struct ntsec_token *t;
    struct ntsec_thread *c = impersonating_client(NTSEC_SECURITY_DELEGATION, false, &t);

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct ntsec_client_context ctx;
        struct ntsec_sqos q = sqos(NTSEC_SECURITY_IMPERSONATION, cases[i].tracking, cases[i].eo);
        enum ntsec_impersonation_level level = 99;
        bool coo = false, eo = !cases[i].eo;
        struct ntsec_token *got;

        CU_ASSERT_FATAL(ntsec_client_context_create(c, &q, false, &ctx) == NTSEC_STATUS_SUCCESS);
        CU_ASSERT_EQUAL(ntsec_client_context_impersonate(&ctx, NULL), NTSEC_STATUS_SUCCESS);
        got = ntsec_thread_impersonation(me, &level, &coo, &eo);
        CU_ASSERT_PTR_EQUAL(got, ctx.client_token);
        CU_ASSERT_EQUAL(level, NTSEC_SECURITY_IMPERSONATION);
        CU_ASSERT(coo);
        CU_ASSERT_EQUAL(eo, cases[i].eo);
        if (got)
            ntsec_token_put(got);
        ntsec_thread_revert(me);
        ntsec_client_context_delete(&ctx);
    }
    ntsec_token_put(t);
    imf_thread_put(c);
    imf_leave(&sb);
}

/* ddi-notes.md §5: SeImpersonateClientEx goes through PsImpersonateClient,
 * so a server whose process lacks SeImpersonatePrivilege gets the client
 * of another user at Identification only ([RIC], [FW]) */
static void impersonate_by_unprivileged_server_is_identification(void)
{
    struct ntsec_thread *server = imf_thread_of(&(struct imf_spec){ .impersonate = IMF_NO_PRIV },
                                                NULL);
    struct ntsec_thread *c = client_thread(NULL);
    struct ntsec_client_context ctx;
    struct ntsec_sqos q = sqos(NTSEC_SECURITY_IMPERSONATION, DYNAMIC, false);
    enum ntsec_impersonation_level level = 99;
    struct ntsec_token *got;

    CU_ASSERT_FATAL(ntsec_client_context_create(c, &q, false, &ctx) == NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_client_context_impersonate(&ctx, server), NTSEC_STATUS_SUCCESS);
    got = ntsec_thread_impersonation(server, &level, NULL, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(got);
    CU_ASSERT_PTR_NOT_EQUAL(got, ctx.client_token);
    CU_ASSERT_EQUAL(level, NTSEC_SECURITY_IDENTIFICATION);
    CU_ASSERT_EQUAL(ntsec_token_level(got), NTSEC_SECURITY_IDENTIFICATION);
    CU_ASSERT_EQUAL(imf_user_rid(got), CLIENT_RID);
    ntsec_token_put(got);
    ntsec_client_context_delete(&ctx);
    imf_thread_put(server);
    imf_thread_put(c);
}

/* [DCS]: SeDeleteClientSecurity dereferences ClientToken; ntsec clears it,
 * so a second delete (or a NULL context) does nothing, and a deleted
 * context cannot be impersonated (STATUS_INVALID_PARAMETER) */
static void delete_twice_is_harmless_and_deleted_context_is_refused(void)
{
    struct ntsec_thread *c = client_thread(NULL);
    struct ntsec_thread *server = imf_thread_of(&(struct imf_spec){ .impersonate =
                                                                        IMF_PRIV_ENABLED }, NULL);
    struct ntsec_client_context ctx;
    struct ntsec_sqos q = sqos(NTSEC_SECURITY_IMPERSONATION, STATIC, false);
    long live = ntsec_object_live();

    CU_ASSERT_FATAL(ntsec_client_context_create(c, &q, false, &ctx) == NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_object_live(), live + 1);             /* the copy */
    ntsec_client_context_delete(&ctx);
    CU_ASSERT_PTR_NULL(ctx.client_token);
    CU_ASSERT_EQUAL(ntsec_object_live(), live);
    ntsec_client_context_delete(&ctx);
    ntsec_client_context_delete(NULL);
    CU_ASSERT_EQUAL(ntsec_object_live(), live);
    CU_ASSERT_EQUAL(ntsec_client_context_impersonate(&ctx, server),
                    NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_client_context_impersonate(NULL, server),
                    NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_PTR_NULL(ntsec_thread_impersonation(server, NULL, NULL, NULL));
    imf_thread_put(server);
    imf_thread_put(c);
}

/* --- refresh: the per-message re-capture of a port ----------------------- */

/* A static context is the client as it was when captured ([CCS]): it is
 * never re-captured, whatever the client does */
static void refresh_never_changes_a_static_context(void)
{
    struct ntsec_thread *c = client_thread(NULL);
    struct ntsec_token *t = imf_client_token(NTSEC_SECURITY_DELEGATION);
    struct ntsec_client_context ctx;
    struct ntsec_sqos q = sqos(NTSEC_SECURITY_IMPERSONATION, STATIC, false);
    struct ntsec_token *held;
    bool changed = true;

    CU_ASSERT_FATAL(ntsec_client_context_create(c, &q, false, &ctx) == NTSEC_STATUS_SUCCESS);
    held = ctx.client_token;
    CU_ASSERT_FATAL(ntsec_thread_impersonate(c, t, false, false, NTSEC_SECURITY_DELEGATION) ==
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_client_context_refresh(&ctx, c, &changed), NTSEC_STATUS_SUCCESS);
    CU_ASSERT(!changed);
    CU_ASSERT_PTR_EQUAL(ctx.client_token, held);
    ntsec_client_context_delete(&ctx);
    ntsec_token_put(t);
    imf_thread_put(c);
}

/* [NTIFS] ClientTokenControl lets a server tell "when the client's context
 * changed": a dynamic local context already holds the client's token, so
 * a change made to that token object is no re-capture, but a client that
 * took another token (impersonated, reverted) is captured again */
static void refresh_recaptures_a_dynamic_context_when_client_switches_token(void)
{
    struct ntsec_process *p;
    struct ntsec_thread *c = client_thread(&p);
    struct ntsec_token *primary = ntsec_process_token(p);
    struct ntsec_token *t = imf_client_token(NTSEC_SECURITY_DELEGATION);
    struct ntsec_client_context ctx;
    struct ntsec_sqos q = sqos(NTSEC_SECURITY_IMPERSONATION, DYNAMIC, false);
    bool changed = true;
    long live;

    CU_ASSERT_FATAL(ntsec_client_context_create(c, &q, false, &ctx) == NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_client_context_refresh(&ctx, c, &changed), NTSEC_STATUS_SUCCESS);
    CU_ASSERT(!changed);
    CU_ASSERT_EQUAL(imf_set_privilege(primary, NTSEC_SE_SHUTDOWN_PRIVILEGE, true),
                    NTSEC_STATUS_SUCCESS);
    changed = true;
    CU_ASSERT_EQUAL(ntsec_client_context_refresh(&ctx, c, &changed), NTSEC_STATUS_SUCCESS);
    CU_ASSERT(!changed);
    CU_ASSERT_PTR_EQUAL(ctx.client_token, primary);

    live = ntsec_object_live();
    CU_ASSERT_FATAL(ntsec_thread_impersonate(c, t, false, true, NTSEC_SECURITY_DELEGATION) ==
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_client_context_refresh(&ctx, c, &changed), NTSEC_STATUS_SUCCESS);
    CU_ASSERT(changed);
    CU_ASSERT_PTR_EQUAL(ctx.client_token, t);
    CU_ASSERT_EQUAL(ctx.direct_access_effective_only, 1);      /* the thread's now */
    CU_ASSERT_EQUAL(ctx.qos.level, NTSEC_SECURITY_IMPERSONATION);
    CU_ASSERT_EQUAL(ntsec_object_live(), live);     /* no copy; primary's ref dropped */

    ntsec_thread_revert(c);
    CU_ASSERT_EQUAL(ntsec_client_context_refresh(&ctx, c, &changed), NTSEC_STATUS_SUCCESS);
    CU_ASSERT(changed);
    CU_ASSERT_PTR_EQUAL(ctx.client_token, primary);
    ntsec_client_context_delete(&ctx);
    ntsec_token_put(primary);
    ntsec_token_put(t);
    imf_thread_put(c);
    ntsec_object_put(p);
}

/* A remote dynamic context is a copy (ntsec follows [CCS]); its
 * ClientTokenControl (TokenId, ModifiedId) tells when the client's token
 * changed ([NTIFS]): AdjustTokenPrivileges on it makes a new copy that
 * shows the change */
static void refresh_recaptures_a_remote_copy_when_client_token_is_modified(void)
{
    struct ntsec_token *t;
    struct ntsec_thread *c = impersonating_client(NTSEC_SECURITY_DELEGATION, false, &t);
    struct ntsec_client_context ctx;
    struct ntsec_sqos q = sqos(NTSEC_SECURITY_DELEGATION, DYNAMIC, false);
    struct ntsec_token *first;
    bool changed = true;

    CU_ASSERT_FATAL(ntsec_client_context_create(c, &q, true, &ctx) == NTSEC_STATUS_SUCCESS);
    first = ctx.client_token;
    CU_ASSERT_EQUAL(ntsec_client_context_refresh(&ctx, c, &changed), NTSEC_STATUS_SUCCESS);
    CU_ASSERT(!changed);
    CU_ASSERT_PTR_EQUAL(ctx.client_token, first);

    CU_ASSERT_EQUAL(imf_set_privilege(t, NTSEC_SE_SHUTDOWN_PRIVILEGE, true), NTSEC_STATUS_SUCCESS);
    CU_ASSERT(!ntsec_token_privilege_enabled(ctx.client_token, shutdown));
    CU_ASSERT_EQUAL(ntsec_client_context_refresh(&ctx, c, &changed), NTSEC_STATUS_SUCCESS);
    CU_ASSERT(changed);
    CU_ASSERT_PTR_NOT_EQUAL(ctx.client_token, t);
    CU_ASSERT(ntsec_token_privilege_enabled(ctx.client_token, shutdown));
    CU_ASSERT(luid_eq(ctx.client_token_control.modified_id, ntsec_token_modified_id(t)));
    CU_ASSERT_EQUAL(ctx.server_is_remote, 1);
    ntsec_client_context_delete(&ctx);
    ntsec_token_put(t);
    imf_thread_put(c);
}

/* A re-capture obeys [CCS] like the first: a client now at Identification
 * is STATUS_BAD_IMPERSONATION_LEVEL and the old context stays; bad
 * arguments are STATUS_INVALID_PARAMETER */
static void refresh_failure_keeps_the_old_context(void)
{
    struct ntsec_thread *c = client_thread(NULL);
    struct ntsec_token *t = imf_client_token(NTSEC_SECURITY_DELEGATION);
    struct ntsec_client_context ctx, before;
    struct ntsec_sqos q = sqos(NTSEC_SECURITY_IMPERSONATION, DYNAMIC, false);
    bool changed = true;
    long live;

    CU_ASSERT_FATAL(ntsec_client_context_create(c, &q, false, &ctx) == NTSEC_STATUS_SUCCESS);
    before = ctx;
    CU_ASSERT_FATAL(ntsec_thread_impersonate(c, t, false, false, NTSEC_SECURITY_IDENTIFICATION) ==
                    NTSEC_STATUS_SUCCESS);
    live = ntsec_object_live();
    CU_ASSERT_EQUAL(ntsec_client_context_refresh(&ctx, c, &changed),
                    NTSEC_STATUS_BAD_IMPERSONATION_LEVEL);
    CU_ASSERT_MEM_EQUAL(&ctx, &before, sizeof(ctx));
    CU_ASSERT_EQUAL(ntsec_object_live(), live);
    CU_ASSERT_EQUAL(ntsec_client_context_refresh(NULL, c, &changed),
                    NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_client_context_refresh(&ctx, NULL, &changed),
                    NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_client_context_refresh(&ctx, c, NULL), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_MEM_EQUAL(&ctx, &before, sizeof(ctx));
    ntsec_client_context_delete(&ctx);
    CU_ASSERT_EQUAL(ntsec_client_context_refresh(&ctx, c, &changed),
                    NTSEC_STATUS_INVALID_PARAMETER);
    ntsec_token_put(t);
    imf_thread_put(c);
}

/* --- TOKEN_CONTROL and the layout ------------------------------------------ */

/* SeGetTokenControlInformation / TOKEN_CONTROL (winnt.h, Microsoft docs):
 * TokenId, AuthenticationId, ModifiedId and TokenSource of the token, the
 * ModifiedId following AdjustTokenPrivileges */
static void token_control_reports_ids_and_source(void)
{
    struct ntsec_token *t = imf_client_token(NTSEC_SECURITY_IMPERSONATION);
    struct ntsec_token_control tc, after;

    memset(&tc, 0xA5, sizeof(tc));
    ntsec_token_control(t, &tc);
    CU_ASSERT(luid_eq(tc.token_id, ntsec_token_id(t)));
    CU_ASSERT(luid_eq(tc.authentication_id, ntsec_token_authentication_id(t)));
    CU_ASSERT(luid_eq(tc.modified_id, ntsec_token_modified_id(t)));
    CU_ASSERT_MEM_EQUAL(tc.token_source.name, "User32  ", 8);
    CU_ASSERT_EQUAL(imf_set_privilege(t, NTSEC_SE_SHUTDOWN_PRIVILEGE, true), NTSEC_STATUS_SUCCESS);
    ntsec_token_control(t, &after);
    CU_ASSERT(luid_eq(after.token_id, tc.token_id));
    CU_ASSERT(!luid_eq(after.modified_id, tc.modified_id));
    ntsec_token_put(t);
}

/* [NTIFS] / ddi-notes.md §1: the x64 WDK layouts, which the DDI passes
 * through unconverted */
static void structures_have_the_wdk_layout(void)
{
    CU_ASSERT_EQUAL(sizeof(struct ntsec_sqos), 12);
    CU_ASSERT_EQUAL(sizeof(struct ntsec_client_context), 72);
    CU_ASSERT_EQUAL(offsetof(struct ntsec_client_context, qos), 0);
    CU_ASSERT_EQUAL(offsetof(struct ntsec_client_context, client_token), 16);
    CU_ASSERT_EQUAL(offsetof(struct ntsec_client_context, directly_access_client_token), 24);
    CU_ASSERT_EQUAL(offsetof(struct ntsec_client_context, direct_access_effective_only), 25);
    CU_ASSERT_EQUAL(offsetof(struct ntsec_client_context, server_is_remote), 26);
    CU_ASSERT_EQUAL(offsetof(struct ntsec_client_context, client_token_control), 28);
    CU_ASSERT_EQUAL(sizeof(struct ntsec_token_control), 40);
    CU_ASSERT_EQUAL(sizeof(struct ntsec_impersonation_state), 16);
    CU_ASSERT_EQUAL(offsetof(struct ntsec_impersonation_state, copy_on_open), 8);
    CU_ASSERT_EQUAL(offsetof(struct ntsec_impersonation_state, level), 12);
}

/* --- out of memory ------------------------------------------------------------ */

/* STYLE rule 8: the copy (static, or remote) allocates; each failure is
 * STATUS_NO_MEMORY, leaves the context unwritten and leaks nothing */
static void copy_out_of_memory_changes_nothing(void)
{
    static const struct {
        uint8_t tracking;
        bool remote;
    } cases[] = { { STATIC, false }, { DYNAMIC, true } };
    struct ntsec_token *t;
    struct ntsec_thread *c = impersonating_client(NTSEC_SECURITY_DELEGATION, true, &t);

    for (size_t i = 0; i < 2; i++) {
        struct ntsec_sqos q = sqos(NTSEC_SECURITY_DELEGATION, cases[i].tracking, true);
        struct ntsec_client_context ctx;
        long objects = ntsec_object_live(), allocs = testutil_live(), n;
        ntsec_status st;

        for (n = 0;; n++) {
            poison(&ctx);
            testutil_fail_alloc_after(n);
            st = ntsec_client_context_create(c, &q, cases[i].remote, &ctx);
            testutil_fail_alloc_after(-1);
            if (st == NTSEC_STATUS_SUCCESS)
                break;
            CU_ASSERT_EQUAL_FATAL(st, NTSEC_STATUS_NO_MEMORY);
            CU_ASSERT(poisoned(&ctx));
            CU_ASSERT_EQUAL(ntsec_object_live(), objects);
            CU_ASSERT_EQUAL(testutil_live(), allocs);
        }
        CU_ASSERT(n > 0);
        CU_ASSERT_PTR_NOT_EQUAL(ctx.client_token, t);
        ntsec_client_context_delete(&ctx);
        CU_ASSERT_EQUAL(ntsec_object_live(), objects);
    }
    ntsec_token_put(t);
    imf_thread_put(c);
}

/* --- client and server on their own pthreads ------------------------------- */

struct pair {
    struct ntsec_process *client_process, *server_process;
    struct ntsec_thread *client;        /* the client pthread's thread */
    pthread_barrier_t step;
    /* What the server saw. */
    ntsec_status create_static, create_dynamic, imp_static, imp_dynamic;
    uint32_t rid_static, rid_dynamic, rid_after_revert;
    bool dynamic_sees, static_sees;
};

static uint32_t effective_rid(void)
{
    struct ntsec_token *eff = ntsec_thread_effective_token();
    uint32_t rid = eff ? imf_user_rid(eff) : 0;

    if (eff)
        ntsec_token_put(eff);
    return rid;
}

/* Scenario 1, client side: impersonate a Delegation token of the client
 * user, let the server capture and use it, then revert. */
static void *client_impersonating_main(void *arg)
{
    struct pair *pr = arg;
    struct ntsec_token *t = imf_client_token(NTSEC_SECURITY_DELEGATION);

    if (ntsec_success(ntsec_thread_bind(pr->client_process))) {
        pr->client = ntsec_thread_current();
        ntsec_thread_impersonate(pr->client, t, false, false, NTSEC_SECURITY_DELEGATION);
    }
    ntsec_token_put(t);
    pthread_barrier_wait(&pr->step);    /* 1: client ready */
    pthread_barrier_wait(&pr->step);    /* 2: server done */
    ntsec_thread_revert(ntsec_thread_current());
    return NULL;
}

/* Scenario 1, server side: capture the client statically and dynamically,
 * impersonate each on its own thread (SeImpersonateClientEx, NULL thread)
 * and act as the client, then revert to its own user. */
static void *server_main(void *arg)
{
    struct pair *pr = arg;
    struct ntsec_client_context st, dy;
    struct ntsec_sqos qs = sqos(NTSEC_SECURITY_IMPERSONATION, STATIC, false);
    struct ntsec_sqos qd = sqos(NTSEC_SECURITY_IMPERSONATION, DYNAMIC, false);

    pthread_barrier_wait(&pr->step);    /* 1 */
    if (ntsec_success(ntsec_thread_bind(pr->server_process)) && pr->client) {
        pr->create_static = ntsec_client_context_create(pr->client, &qs, false, &st);
        pr->create_dynamic = ntsec_client_context_create(pr->client, &qd, false, &dy);
        if (ntsec_success(pr->create_static)) {
            pr->imp_static = ntsec_client_context_impersonate(&st, NULL);
            pr->rid_static = effective_rid();
            ntsec_thread_revert(ntsec_thread_current());
            ntsec_client_context_delete(&st);
        }
        if (ntsec_success(pr->create_dynamic)) {
            pr->imp_dynamic = ntsec_client_context_impersonate(&dy, NULL);
            pr->rid_dynamic = effective_rid();
            ntsec_thread_revert(ntsec_thread_current());
            ntsec_client_context_delete(&dy);
        }
        pr->rid_after_revert = effective_rid();
    }
    pthread_barrier_wait(&pr->step);    /* 2 */
    return NULL;
}

static void pair_init(struct pair *pr, enum imf_priv server_priv)
{
    memset(pr, 0, sizeof(*pr));
    pr->client_process = imf_process(&(struct imf_spec){ .rid = CLIENT_RID,
                                                         .impersonate = IMF_PRIV_ENABLED });
    pr->server_process = imf_process(&(struct imf_spec){ .impersonate = server_priv });
    pr->create_static = pr->create_dynamic = pr->imp_static = pr->imp_dynamic = -1;
    pthread_barrier_init(&pr->step, NULL, 2);
}

static void pair_run(struct pair *pr, void *(*client)(void *), void *(*server)(void *))
{
    pthread_t c, s;

    CU_ASSERT_FATAL(pthread_create(&c, NULL, client, pr) == 0);
    CU_ASSERT_FATAL(pthread_create(&s, NULL, server, pr) == 0);
    pthread_join(c, NULL);
    pthread_join(s, NULL);
    pthread_barrier_destroy(&pr->step);
    ntsec_object_put(pr->client_process);
    ntsec_object_put(pr->server_process);
}

/* [CCS] + [ICE] across threads: a server pthread captures a client pthread
 * that impersonates, and acts as the client's user under either context;
 * PsRevertToSelf returns it to its own user */
static void server_thread_captures_and_impersonates_client_thread(void)
{
    struct pair pr;
    long live = ntsec_object_live();

    pair_init(&pr, IMF_PRIV_ENABLED);
    pair_run(&pr, client_impersonating_main, server_main);
    CU_ASSERT_EQUAL(pr.create_static, NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(pr.create_dynamic, NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(pr.imp_static, NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(pr.imp_dynamic, NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(pr.rid_static, CLIENT_RID);
    CU_ASSERT_EQUAL(pr.rid_dynamic, CLIENT_RID);
    CU_ASSERT_EQUAL(pr.rid_after_revert, IMF_SERVER_RID);
    CU_ASSERT_EQUAL(ntsec_object_live(), live);
}

/* Scenario 2, client side: on its primary token; after the server has
 * captured it, enable SeShutdownPrivilege in its own token. */
static void *client_adjusting_main(void *arg)
{
    struct pair *pr = arg;

    if (ntsec_success(ntsec_thread_bind(pr->client_process)))
        pr->client = ntsec_thread_current();
    pthread_barrier_wait(&pr->step);    /* 1: client ready */
    pthread_barrier_wait(&pr->step);    /* 2: captured */
    struct ntsec_token *mine = ntsec_thread_effective_token();
    if (mine) {
        imf_set_privilege(mine, NTSEC_SE_SHUTDOWN_PRIVILEGE, true);
        ntsec_token_put(mine);
    }
    pthread_barrier_wait(&pr->step);    /* 3: adjusted */
    pthread_barrier_wait(&pr->step);    /* 4: server looked */
    return NULL;
}

static void *server_watching_main(void *arg)
{
    struct pair *pr = arg;
    struct ntsec_client_context st, dy;
    struct ntsec_sqos qs = sqos(NTSEC_SECURITY_IMPERSONATION, STATIC, false);
    struct ntsec_sqos qd = sqos(NTSEC_SECURITY_IMPERSONATION, DYNAMIC, false);

    pthread_barrier_wait(&pr->step);    /* 1 */
    if (pr->client) {
        pr->create_static = ntsec_client_context_create(pr->client, &qs, false, &st);
        pr->create_dynamic = ntsec_client_context_create(pr->client, &qd, false, &dy);
    }
    pthread_barrier_wait(&pr->step);    /* 2 */
    pthread_barrier_wait(&pr->step);    /* 3 */
    if (ntsec_success(pr->create_static)) {
        pr->static_sees = ntsec_token_privilege_enabled(st.client_token, shutdown);
        ntsec_client_context_delete(&st);
    }
    if (ntsec_success(pr->create_dynamic)) {
        pr->dynamic_sees = ntsec_token_privilege_enabled(dy.client_token, shutdown);
        ntsec_client_context_delete(&dy);
    }
    pthread_barrier_wait(&pr->step);    /* 4 */
    return NULL;
}

/* DESIGN.md "Tokens are mutable": a dynamic context sees the client's
 * later AdjustTokenPrivileges, a static one does not ([CCS]) - client and
 * server each on their own pthread */
static void dynamic_context_sees_client_thread_adjustment_static_does_not(void)
{
    struct pair pr;
    long live = ntsec_object_live();

    pair_init(&pr, IMF_PRIV_ENABLED);
    pair_run(&pr, client_adjusting_main, server_watching_main);
    CU_ASSERT_EQUAL(pr.create_static, NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(pr.create_dynamic, NTSEC_STATUS_SUCCESS);
    CU_ASSERT(pr.dynamic_sees);
    CU_ASSERT(!pr.static_sees);
    CU_ASSERT_EQUAL(ntsec_object_live(), live);
}

void register_tests(void)
{
    static CU_TestInfo tests[] = {
        TEST(bad_qos_length_or_tracking_is_invalid_parameter),
        TEST(qos_level_above_delegation_is_bad_impersonation_level),
        TEST(null_arguments_are_invalid_parameter),
        TEST(dynamic_local_references_the_primary_token_and_sees_changes),
        TEST(static_copies_at_qos_level_and_does_not_see_changes),
        TEST(remote_dynamic_is_a_copy_with_token_control),
        TEST(client_impersonating_below_impersonation_is_refused),
        TEST(remote_server_needs_a_delegation_level_client),
        TEST(qos_level_above_client_level_is_refused),
        TEST(effective_only_copy_drops_disabled_privileges),
        TEST(direct_access_effective_only_is_qos_or_thread),
        TEST(from_subject_uses_client_token_else_primary),
        TEST(impersonate_uses_qos_level_and_copy_on_open),
        TEST(impersonate_by_unprivileged_server_is_identification),
        TEST(delete_twice_is_harmless_and_deleted_context_is_refused),
        TEST(refresh_never_changes_a_static_context),
        TEST(refresh_recaptures_a_dynamic_context_when_client_switches_token),
        TEST(refresh_recaptures_a_remote_copy_when_client_token_is_modified),
        TEST(refresh_failure_keeps_the_old_context),
        TEST(token_control_reports_ids_and_source),
        TEST(structures_have_the_wdk_layout),
        TEST(copy_out_of_memory_changes_nothing),
        TEST(server_thread_captures_and_impersonates_client_thread),
        TEST(dynamic_context_sees_client_thread_adjustment_static_does_not),
        CU_TEST_INFO_NULL,
    };
    testutil_add_suite("client", tests);
}
