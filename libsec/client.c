/* client.c - client security contexts: SeCreateClientSecurity,
 * SeCreateClientSecurityFromSubjectContext, SeImpersonateClientEx,
 * SeDeleteClientSecurity, SeGetTokenControlInformation, and the
 * per-message refresh a port makes of a dynamic context.
 *
 * Sources, cited by the keys of /work/shared/reference/ddi-notes.md:
 * [CCS] "SeCreateClientSecurity", [ICE] "SeImpersonateClientEx", [DCS]
 * "SeDeleteClientSecurity" (Microsoft docs), [NTIFS] the WDK's comment on
 * SECURITY_CLIENT_CONTEXT. Where the documentation and the Windows kernel
 * are said to differ (a remote dynamic context: the documentation copies),
 * ntsec follows the documentation (docs/impersonation.md). */
#include <string.h>

#include "ntsec/impersonate.h"
#include "impersonate_policy.h"
#include "process.h"
#include "thread.h"
#include "token.h"

void ntsec_token_control(const struct ntsec_token *token, struct ntsec_token_control *out)
{
    memset(out, 0, sizeof(*out));
    out->token_id = ntsec_token_id(token);
    out->authentication_id = ntsec_token_authentication_id(token);
    out->modified_id = ntsec_token_modified_id(token);
    out->token_source = token->source;
}

/* Who the client is: its effective token (a reference the caller owns)
 * and, when it impersonates, at which level and whether EffectiveOnly. */
struct client_view {
    struct ntsec_token *token;
    bool impersonating;
    enum ntsec_impersonation_level level;
    bool effective_only;
};

/* [CCS]: a client that impersonates cannot hand on more than it holds.
 * Below Impersonation it has nothing to hand on; a remote server needs
 * Delegation; and the QoS may lower the level, never raise it ([NTIFS]:
 * the QoS "may not provide greater access than the client's token").
 * A client on its primary token has no level and passes. */
static ntsec_status client_level_check(const struct client_view *c, const struct ntsec_sqos *qos,
                                       bool remote)
{
    if (!c->impersonating)
        return NTSEC_STATUS_SUCCESS;
    /* A captured subject's level is the caller's word: one outside the
     * enumeration is refused as a QoS level would be. */
    if ((unsigned)c->level > NTSEC_SECURITY_DELEGATION ||
        c->level < NTSEC_SECURITY_IMPERSONATION)
        return NTSEC_STATUS_BAD_IMPERSONATION_LEVEL;
    if (remote && c->level != NTSEC_SECURITY_DELEGATION)
        return NTSEC_STATUS_BAD_IMPERSONATION_LEVEL;
    if (qos->level > c->level)
        return NTSEC_STATUS_BAD_IMPERSONATION_LEVEL;
    return NTSEC_STATUS_SUCCESS;
}

/* Consumes c->token's reference whatever the outcome. */
static ntsec_status context_build(struct client_view *c, const struct ntsec_sqos *qos,
                                  bool remote, struct ntsec_client_context *ctx)
{
    struct ntsec_client_context out = { 0 };
    ntsec_status st = client_level_check(c, qos, remote);

    if (!ntsec_success(st))
        goto done;
    out.qos = (struct ntsec_sqos){
        .length = sizeof(struct ntsec_sqos),
        .level = qos->level,
        .context_tracking_mode = qos->context_tracking_mode,
        .effective_only = qos->effective_only != 0,
    };
    out.server_is_remote = remote;
    /* Filled for every context (the WDK fills it for a remote dynamic
     * one): ntsec_client_context_refresh compares it. */
    ntsec_token_control(c->token, &out.client_token_control);
    if (qos->context_tracking_mode == NTSEC_SECURITY_DYNAMIC_TRACKING && !remote) {
        /* A reference: the server sees the client's later changes.
         * DirectAccessEffectiveOnly is "minimized by" the QoS flag
         * ([NTIFS]): either flag makes it effective-only. */
        out.client_token = c->token;
        c->token = NULL;
        out.directly_access_client_token = 1;
        out.direct_access_effective_only =
            qos->effective_only || (c->impersonating && c->effective_only);
    } else {
        /* A copy at the QoS level (SeCopyClientToken): the client's later
         * changes are not seen. */
        const struct ntsec_token_dup how = {
            .type = NTSEC_TOKEN_IMPERSONATION,
            .level = qos->level,
            .effective_only = qos->effective_only != 0,
        };

        st = ntsec_token_duplicate(c->token, &how, &out.client_token);
        if (!ntsec_success(st))
            goto done;
    }
    *ctx = out;
done:
    if (c->token)
        ntsec__token_put(c->token);
    return st;
}

static ntsec_status qos_check(const struct ntsec_sqos *qos)
{
    if (!qos)
        return NTSEC_STATUS_INVALID_PARAMETER;
    return ntsec__sqos_validate(qos->length, qos->level, qos->context_tracking_mode,
                                qos->effective_only);
}

static struct client_view client_of_thread(struct ntsec_thread *client)
{
    struct ntsec__impersonation imp;
    struct client_view c = { 0 };

    ntsec__thread_impersonation_state(client, &imp);
    if (imp.token) {
        c.token = imp.token;
        c.impersonating = true;
        c.level = imp.level;
        c.effective_only = imp.effective_only;
    } else {
        c.token = ntsec_process_token(client->process);
    }
    return c;
}

ntsec_status ntsec_client_context_create(struct ntsec_thread *client, const struct ntsec_sqos *qos,
                                         bool server_is_remote, struct ntsec_client_context *ctx)
{
    struct client_view c;
    ntsec_status st = qos_check(qos);

    if (!ntsec_success(st))
        return st;
    if (!client || !ctx)
        return NTSEC_STATUS_INVALID_PARAMETER;
    c = client_of_thread(client);
    return context_build(&c, qos, server_is_remote, ctx);
}

/* ddi-notes.md §4: the captured ClientToken means the subject
 * impersonated at ImpersonationLevel; a subject context records no
 * EffectiveOnly, so it counts as not set. */
ntsec_status ntsec_client_context_create_from_subject(struct ntsec_token *client_token,
                                                      enum ntsec_impersonation_level client_level,
                                                      struct ntsec_token *primary_token,
                                                      const struct ntsec_sqos *qos,
                                                      bool server_is_remote,
                                                      struct ntsec_client_context *ctx)
{
    struct client_view c = { 0 };
    ntsec_status st = qos_check(qos);

    if (!ntsec_success(st))
        return st;
    if (!ctx || (!client_token && !primary_token))
        return NTSEC_STATUS_INVALID_PARAMETER;
    c.impersonating = client_token != NULL;
    c.level = client_level;
    c.token = ntsec__token_get(client_token ? client_token : primary_token);
    return context_build(&c, qos, server_is_remote, ctx);
}

/* [ICE] and ddi-notes.md §5: CopyOnOpen set, the QoS level, and the
 * EffectiveOnly that belongs to the kind of context. The checks of
 * SeTokenCanImpersonate apply (ntsec_thread_impersonate, cached). */
ntsec_status ntsec_client_context_impersonate(const struct ntsec_client_context *ctx,
                                              struct ntsec_thread *server)
{
    bool effective_only;

    if (!ctx || !ctx->client_token)
        return NTSEC_STATUS_INVALID_PARAMETER;
    if (!server && !(server = ntsec_thread_current()))
        return NTSEC_STATUS_NO_MEMORY;
    effective_only = ctx->directly_access_client_token ? ctx->direct_access_effective_only
                                                       : ctx->qos.effective_only;
    return ntsec_thread_impersonate(server, ctx->client_token, true, effective_only,
                                    ctx->qos.level);
}

/* [DCS]: the WDK macro dereferences ClientToken; clearing it makes a
 * second delete harmless here. */
void ntsec_client_context_delete(struct ntsec_client_context *ctx)
{
    if (!ctx || !ctx->client_token)
        return;
    ntsec__token_put(ctx->client_token);
    ctx->client_token = NULL;
}

static bool same_state(const struct ntsec_token_control *a, const struct ntsec_token_control *b)
{
    return a->token_id.low == b->token_id.low && a->token_id.high == b->token_id.high &&
           a->modified_id.low == b->modified_id.low && a->modified_id.high == b->modified_id.high;
}

/* A static context is the client as it was: never refreshed. A dynamic
 * one holding the client's token object already sees its changes; any
 * other difference (the client took another token, or a copy's source
 * changed) means a new capture, as a port makes when a message's
 * TOKEN_CONTROL differs ([NTIFS] on ClientTokenControl). */
ntsec_status ntsec_client_context_refresh(struct ntsec_client_context *ctx,
                                          struct ntsec_thread *client, bool *changed)
{
    struct ntsec_client_context fresh;
    struct ntsec_token_control now;
    struct client_view c;
    ntsec_status st;

    if (!ctx || !ctx->client_token || !client || !changed)
        return NTSEC_STATUS_INVALID_PARAMETER;
    *changed = false;
    if (ctx->qos.context_tracking_mode != NTSEC_SECURITY_DYNAMIC_TRACKING)
        return NTSEC_STATUS_SUCCESS;
    c = client_of_thread(client);
    ntsec_token_control(c.token, &now);
    if (c.token == ctx->client_token ||
        (!ctx->directly_access_client_token && same_state(&now, &ctx->client_token_control))) {
        ntsec__token_put(c.token);
        return NTSEC_STATUS_SUCCESS;
    }
    st = context_build(&c, &ctx->qos, ctx->server_is_remote, &fresh);
    if (!ntsec_success(st))
        return st;
    ntsec_client_context_delete(ctx);
    *ctx = fresh;
    *changed = true;
    return NTSEC_STATUS_SUCCESS;
}
