/* call_cloak.c - cloaking: the token an outgoing call presents.
 *
 * Source: "Cloaking" (Microsoft docs), its table "How Cloaking Affects
 * Client Identity":
 *   no cloaking           -> the process token, or the authentication
 *                            identity (explicit credentials);
 *   static, first call    -> the thread token, else the process token,
 *                            then that identity for every later call;
 *   static, identity set  -> the proxy's identity;
 *   dynamic               -> the thread token at each call, else the
 *                            process token.
 * "Cloaking and Impersonation Levels": cloaking "makes sense only when the
 * client has set an impersonation level of impersonate or delegate. (With
 * lower impersonation levels, the server cannot make cloaked calls.)" No
 * page names the failure; ntsec refuses such a call with
 * STATUS_BAD_IMPERSONATION_LEVEL, the status SeCreateClientSecurity gives
 * a client impersonating below Impersonation (docs/calls.md).
 * CoSetProxyBlanket / IClientSecurity::SetBlanket: explicit credentials
 * (pAuthInfo) together with a cloaking flag fail. */
#include "ntsec/call.h"
#include "token.h"

/* The thread's own identity for a cloaked call: its impersonation token
 * at its level (refused below Impersonation), else its process token. A
 * token impersonated at a level below its own is presented at the
 * thread's level, as the server of a local call would capture it. */
static ntsec_status thread_identity(struct ntsec_thread *thread, struct ntsec_token **out)
{
    enum ntsec_impersonation_level level;
    bool copy_on_open, effective_only;
    struct ntsec_token *t = ntsec_thread_impersonation(thread, &level, &copy_on_open,
                                                       &effective_only);
    ntsec_status st = NTSEC_STATUS_SUCCESS;

    if (!t) {
        *out = ntsec_process_token(ntsec_thread_process(thread));
        return NTSEC_STATUS_SUCCESS;
    }
    if (level < NTSEC_SECURITY_IMPERSONATION) {
        st = NTSEC_STATUS_BAD_IMPERSONATION_LEVEL;
    } else if (t->type == NTSEC_TOKEN_IMPERSONATION && t->level > level) {
        const struct ntsec_token_dup how = { .type = NTSEC_TOKEN_IMPERSONATION,
                                             .level = level };
        struct ntsec_token *copy;

        st = ntsec_token_duplicate(t, &how, &copy);
        if (ntsec_success(st)) {
            /* The copy keeps the logon session's lack of network
             * credentials (ntsec__token_inherit). */
            ntsec__token_put(t);
            t = copy;
        }
    }
    if (!ntsec_success(st)) {
        ntsec__token_put(t);
        return st;
    }
    *out = t;
    return NTSEC_STATUS_SUCCESS;
}

ntsec_status ntsec_call_client_token(struct ntsec_thread *thread, enum ntsec_cloaking cloaking,
                                     struct ntsec_token *captured,
                                     struct ntsec_token *explicit_token,
                                     struct ntsec_token **out)
{
    if (!thread || !out || (unsigned)cloaking > NTSEC_CLOAKING_DYNAMIC)
        return NTSEC_STATUS_INVALID_PARAMETER;
    if (explicit_token && cloaking != NTSEC_CLOAKING_NONE)
        return NTSEC_STATUS_INVALID_PARAMETER;
    switch (cloaking) {
    case NTSEC_CLOAKING_NONE:
        *out = explicit_token ? ntsec__token_get(explicit_token)
                              : ntsec_process_token(ntsec_thread_process(thread));
        return NTSEC_STATUS_SUCCESS;
    case NTSEC_CLOAKING_STATIC:
        if (captured) {
            *out = ntsec__token_get(captured);
            return NTSEC_STATUS_SUCCESS;
        }
        return thread_identity(thread, out);
    default:
        return thread_identity(thread, out);
    }
}
