/* impersonate.c - thread impersonation: PsImpersonateClient,
 * PsRevertToSelf, PsDisableImpersonation / PsRestoreImpersonation.
 *
 * The switch is thread.c's word exchange; this file decides what goes in
 * the word. The decision is SeTokenCanImpersonate (impersonate_policy.c),
 * cached on the token, so a repeated impersonation of the same client by
 * the same server costs a compare, a reference and an exchange. */
#include "ntsec/impersonate.h"
#include "impersonate_policy.h"
#include "process.h"
#include "thread.h"
#include "token.h"

/* The refused case (ddi-notes.md §3, from [FW] ch. 4): the thread
 * impersonates a copy at the allowed level, never the token itself, so
 * that opening the thread token shows the Identification level
 * ("SeImpersonatePrivilege": without it "the thread gets an
 * identification-level token", Microsoft docs, Client Impersonation). */
static ntsec_status impersonate_copy(struct ntsec_thread *thread, struct ntsec_token *token,
                                     bool copy_on_open, bool effective_only,
                                     enum ntsec_impersonation_level allowed)
{
    const struct ntsec_token_dup how = {
        .type = NTSEC_TOKEN_IMPERSONATION,
        .level = allowed,
        .effective_only = false,
    };
    struct ntsec_token *copy;
    ntsec_status st = ntsec_token_duplicate(token, &how, &copy);

    if (!ntsec_success(st))
        return st;
    /* The copy's one reference passes to the thread. */
    ntsec__thread_swap_impersonation(thread,
                                     ntsec__imp_word(copy, allowed, copy_on_open, effective_only));
    return NTSEC_STATUS_SUCCESS;
}

/* PsImpersonateClient ([PIC], Microsoft docs): a NULL token ends the
 * impersonation and succeeds; the level stored is the argument, not the
 * token's own (a primary token has none). The level range is checked as
 * for a SECURITY_QUALITY_OF_SERVICE (impersonate_policy.c). */
ntsec_status ntsec_thread_impersonate(struct ntsec_thread *thread, struct ntsec_token *token,
                                      bool copy_on_open, bool effective_only,
                                      enum ntsec_impersonation_level level)
{
    enum ntsec_impersonation_level allowed;

    if (!thread)
        return NTSEC_STATUS_INVALID_PARAMETER;
    if (!token) {
        ntsec__thread_clear_impersonation(thread);
        return NTSEC_STATUS_SUCCESS;
    }
    if ((unsigned)level > NTSEC_SECURITY_DELEGATION)
        return NTSEC_STATUS_BAD_IMPERSONATION_LEVEL;
    /* The process holds its primary token for its whole life, and the
     * thread holds its process: borrowed. */
    allowed = ntsec__impersonation_allowed_level_cached(thread->process->token, token, level);
    if (allowed != level)
        return impersonate_copy(thread, token, copy_on_open, effective_only, allowed);
    ntsec__token_get(token);
    ntsec__thread_swap_impersonation(thread,
                                     ntsec__imp_word(token, level, copy_on_open, effective_only));
    return NTSEC_STATUS_SUCCESS;
}

void ntsec_thread_revert(struct ntsec_thread *thread)
{
    if (thread)
        ntsec__thread_clear_impersonation(thread);
}

/* PsDisableImpersonation ([ROS] ps/security.c, as ddi-notes.md §2 reads
 * it; "PsDisableImpersonation", Microsoft docs: the state is saved for
 * PsRestoreImpersonation): the reference moves into the state, so the
 * thread acts as its process until the restore. */
bool ntsec_thread_disable_impersonation(struct ntsec_thread *thread,
                                        struct ntsec_impersonation_state *state)
{
    struct ntsec__impersonation imp;
    void *word;

    if (!state)
        return false;
    *state = (struct ntsec_impersonation_state){ .level = NTSEC_SECURITY_ANONYMOUS };
    if (!thread)
        return false;
    word = atomic_exchange_explicit(&thread->imp, NULL, memory_order_acq_rel);
    if (!word)
        return false;
    imp = ntsec__imp_word_state(word);
    state->token = imp.token;
    state->level = imp.level;
    state->copy_on_open = imp.copy_on_open;
    state->effective_only = imp.effective_only;
    return true;
}

/* PsRestoreImpersonation: the saved word goes back as it was; the checks
 * were made when it was first taken. */
void ntsec_thread_restore_impersonation(struct ntsec_thread *thread,
                                        struct ntsec_impersonation_state *state)
{
    if (!thread || !state)
        return;
    if (!state->token) {
        ntsec__thread_clear_impersonation(thread);
        return;
    }
    ntsec__thread_swap_impersonation(thread,
                                     ntsec__imp_word(state->token, state->level,
                                                     state->copy_on_open, state->effective_only));
    *state = (struct ntsec_impersonation_state){ .level = NTSEC_SECURITY_ANONYMOUS };
}
