/* thread.h - the layout of an emulated thread inside libsec, and the
 * setters the impersonation layer drives.
 *
 * The impersonation state is one word, written by the thread itself
 * (impersonate, revert) or by a thread acting on it (PsImpersonateClient
 * on another thread, NtSetInformationThread, NtImpersonateThread), and
 * read by any thread (SeCreateClientSecurity on a client thread,
 * NtOpenThreadToken on another thread). Writers exchange the word, so
 * each replaced token is put exactly once; readers of another thread
 * take their reference through a hazard pointer (hazard.h), so the
 * owner's impersonate/revert takes no lock (DESIGN.md, "The hot path";
 * docs/design/impersonation.md). */
#ifndef NTSEC_LIBSEC_THREAD_H
#define NTSEC_LIBSEC_THREAD_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "ntsec/process.h"
#include "object.h"
#include "object_sd.h"
#include "process.h"  /* struct ntsec__cid_entry */

/* The impersonation word: NULL, or a token pointer (tokens are 16-byte
 * aligned, token.h) or-ed with the thread's impersonation level (bits
 * 0-1) and its CopyOnOpen and EffectiveOnly flags: everything
 * PS_IMPERSONATION_INFORMATION holds, published with one store. */
#define NTSEC__IMP_LEVEL_MASK     0x3u
#define NTSEC__IMP_COPY_ON_OPEN   0x4u
#define NTSEC__IMP_EFFECTIVE_ONLY 0x8u
#define NTSEC__IMP_TAG_MASK       0xFu

struct ntsec__impersonation {
    struct ntsec_token *token;          /* counted reference, or NULL */
    enum ntsec_impersonation_level level;
    bool copy_on_open;
    bool effective_only;
};

struct ntsec_thread {
    struct ntsec__object obj;           /* first: ObReferenceObject works on it */
    uint32_t tid;
    struct ntsec__cid_entry cid;        /* in the client-id table (process.h) */
    struct ntsec_process *process;      /* counted reference */
    struct ntsec__object_security sec;  /* its security descriptor */
    _Atomic(void *) imp;                /* the impersonation word (above) */
};

static inline void *ntsec__imp_word(struct ntsec_token *token,
                                    enum ntsec_impersonation_level level, bool copy_on_open,
                                    bool effective_only)
{
    return (void *)((uintptr_t)token | ((uintptr_t)level & NTSEC__IMP_LEVEL_MASK) |
                    (copy_on_open ? NTSEC__IMP_COPY_ON_OPEN : 0) |
                    (effective_only ? NTSEC__IMP_EFFECTIVE_ONLY : 0));
}

static inline struct ntsec_token *ntsec__imp_word_token(const void *word)
{
    return (struct ntsec_token *)((uintptr_t)word & ~(uintptr_t)NTSEC__IMP_TAG_MASK);
}

/* What a word says; its token is borrowed from the word (NULL: none). */
static inline struct ntsec__impersonation ntsec__imp_word_state(const void *word)
{
    uintptr_t w = (uintptr_t)word;

    return (struct ntsec__impersonation){
        .token = ntsec__imp_word_token(word),
        .level = (enum ntsec_impersonation_level)(w & NTSEC__IMP_LEVEL_MASK),
        .copy_on_open = (w & NTSEC__IMP_COPY_ON_OPEN) != 0,
        .effective_only = (w & NTSEC__IMP_EFFECTIVE_ONLY) != 0,
    };
}

/* Publish `word` (made by ntsec__imp_word; its token's reference passes
 * to the thread, NULL reverts) and drop the reference of the word it
 * replaces. Lock-free: one exchange, and a put when a token is replaced. */
void ntsec__thread_swap_impersonation(struct ntsec_thread *thread, void *word);

/* Make `thread` impersonate `token` (the thread takes its own reference;
 * the caller keeps its own) at `level` with the CopyOnOpen and
 * EffectiveOnly flags, replacing what it impersonated before (whose
 * reference is dropped). No check is made here: the caller decided. */
void ntsec__thread_set_impersonation(struct ntsec_thread *thread, struct ntsec_token *token,
                                     enum ntsec_impersonation_level level, bool copy_on_open,
                                     bool effective_only);

/* End the impersonation (RevertToSelf, PsRevertToSelf); nothing when the
 * thread does not impersonate. */
void ntsec__thread_clear_impersonation(struct ntsec_thread *thread);

/* A consistent copy of the impersonation state, the token referenced
 * (NULL when none). Safe from any thread, lock-free. */
void ntsec__thread_impersonation_state(struct ntsec_thread *thread,
                                       struct ntsec__impersonation *out);

#endif
