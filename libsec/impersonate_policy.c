/* impersonate_policy.c - SECURITY_QUALITY_OF_SERVICE validation and
 * SeTokenCanImpersonate: which level a server thread gets when it asks to
 * impersonate a token. Pure functions of their arguments; the callers
 * (PsImpersonateClient, SeCreateClientSecurity, the client context cache)
 * hold the references. */
#include <string.h>

#include "impersonate_policy.h"
#include "token.h"
#include "token_info.h"

/* --- SECURITY_QUALITY_OF_SERVICE --------------------------------------- */

/* Length: the SDK documents it as "the size, in bytes, of this structure"
 * (SECURITY_QUALITY_OF_SERVICE, winnt.h, Microsoft docs). No Microsoft
 * page or published conformance test names the status for a wrong
 * Length ([MS-LSAD] 2.2.3.7 even says the field "MUST be ignored" on the
 * LSA wire), so this is ntsec's choice: STATUS_INVALID_PARAMETER,
 * [MS-ERREF] 2.3.1 "An invalid parameter was passed to a service or
 * function".
 *
 * Level: SECURITY_IMPERSONATION_LEVEL stops at SecurityDelegation (3)
 * (winnt.h; "SECURITY_IMPERSONATION_LEVEL enumeration", Microsoft docs).
 * A value above it gets STATUS_BAD_IMPERSONATION_LEVEL, whose [MS-ERREF]
 * 2.3.1 text is "A specified impersonation level is invalid" (Win32
 * ERROR_BAD_IMPERSONATION_LEVEL: "... or the provided impersonation level
 * is invalid"). ReactOS's SeCreateClientSecurity returns
 * STATUS_INVALID_PARAMETER instead; ntsec follows the status whose
 * documented meaning is exactly this case.
 *
 * Tracking: SECURITY_CONTEXT_TRACKING_MODE has two values,
 * SECURITY_STATIC_TRACKING (0) and SECURITY_DYNAMIC_TRACKING (1) (winnt.h;
 * SECURITY_QUALITY_OF_SERVICE, Microsoft docs). Any other value:
 * STATUS_INVALID_PARAMETER ([MS-ERREF] 2.3.1). No Microsoft page or
 * published conformance test states the status: ntsec's choice, the
 * value the project's notes give for SeCreateClientSecurity
 * (docs/notes/reference-review.md A.3).
 *
 * EffectiveOnly is a BOOLEAN: every nonzero value means TRUE, as for any
 * BOOLEAN argument, so nothing is refused.
 *
 * The checks run in the order of the structure's fields. */
ntsec_status ntsec__sqos_validate(uint32_t length, uint32_t level, uint32_t tracking,
                                  uint32_t effective_only)
{
    (void)effective_only;
    if (length != NTSEC__SQOS_SIZE)
        return NTSEC_STATUS_INVALID_PARAMETER;
    if (level > NTSEC_SECURITY_DELEGATION)
        return NTSEC_STATUS_BAD_IMPERSONATION_LEVEL;
    if (tracking != NTSEC__SQOS_STATIC_TRACKING && tracking != NTSEC__SQOS_DYNAMIC_TRACKING)
        return NTSEC_STATUS_INVALID_PARAMETER;
    return NTSEC_STATUS_SUCCESS;
}

/* --- SeTokenCanImpersonate ---------------------------------------------- */

/* The anonymous logon session, ANONYMOUS_LOGON_LUID (winnt.h). */
static const struct ntsec_luid anonymous_logon = { 0x3e6, 0 };

/* What a check looks at: P, the server's primary token; T, the token. */
struct pair {
    const struct ntsec_token *p;
    const struct ntsec_token *t;
};

static bool luid_eq(struct ntsec_luid a, struct ntsec_luid b)
{
    return a.low == b.low && a.high == b.high;
}

/* A DWORD-sized answer of NtQueryInformationToken. The classes asked for
 * here always fit 4 bytes; a failure (none expected) reads as 0. */
static uint32_t query_dword(const struct ntsec_token *tok, enum ntsec_token_info_class cls)
{
    uint8_t buf[4];
    uint32_t need, v = 0;

    if (ntsec_token_query(tok, cls, buf, sizeof(buf), &need) == NTSEC_STATUS_SUCCESS)
        memcpy(&v, buf, 4);
    return v;
}

static struct ntsec_luid query_origin(const struct ntsec_token *tok)
{
    uint8_t buf[8];
    uint32_t need;
    struct ntsec_luid l = { 0, 0 };
    uint32_t high;

    if (ntsec_token_query(tok, NTSEC_TOKEN_ORIGIN, buf, sizeof(buf), &need) == NTSEC_STATUS_SUCCESS) {
        memcpy(&l.low, buf, 4);
        memcpy(&high, buf + 4, 4);
        l.high = (int32_t)high;
    }
    return l;
}

/* TOKEN_USER: a SID_AND_ATTRIBUTES (16 bytes on x64) and the SID after
 * it. Returns false if the answer could not be read. */
static bool query_user(const struct ntsec_token *tok, struct ntsec_sid *out)
{
    uint8_t buf[16 + sizeof(struct ntsec_sid)];
    uint32_t need;

    if (ntsec_token_query(tok, NTSEC_TOKEN_USER, buf, sizeof(buf), &need) != NTSEC_STATUS_SUCCESS ||
        need < 16 + 8)
        return false;
    memset(out, 0, sizeof(*out));
    memcpy(out, buf + 16, need - 16);
    return true;
}

static bool write_restricted(const struct ntsec_token *tok)
{
    return (ntsec__token_flags(tok) & NTSEC__TOKEN_WRITE_RESTRICTED) != 0;
}

/* The checks, one per step of the ordered list in
 * /work/shared/reference/ddi-notes.md §3 (from [FW]: J. Forshaw, "Windows
 * Security Internals", ch. 4, the token-assignment checks). Each returns
 * true when it decides; the table says which way. */

/* T is the anonymous logon token (AuthenticationId 0x3E6): any thread may
 * impersonate it ([FW]; ImpersonateAnonymousToken, Microsoft docs, needs
 * no privilege). ntsec has no AppContainer tokens, so the AppContainer
 * exception does not arise. */
static bool is_anonymous_logon(const struct pair *x)
{
    return luid_eq(ntsec_token_authentication_id(x->t), anonymous_logon);
}

/* P has SeImpersonatePrivilege enabled ([IMP]: "The caller has the
 * SeImpersonatePrivilege privilege"; "Client Impersonation", Microsoft
 * docs; [FW] requires it enabled, not just present). */
static bool server_has_impersonate_privilege(const struct pair *x)
{
    static const struct ntsec_luid se_impersonate = { NTSEC_SE_IMPERSONATE_PRIVILEGE, 0 };

    return ntsec_token_privilege_enabled(x->p, se_impersonate);
}

/* T's integrity level is above P's: no impersonating up ([FW], Vista+;
 * "Mandatory Integrity Control", Microsoft docs: a process cannot act
 * above its own integrity level). */
static bool token_integrity_above_server(const struct pair *x)
{
    return ntsec_token_integrity(x->t) > ntsec_token_integrity(x->p);
}

/* T was made by LogonUser with explicit credentials in P's logon session
 * ([IMP]: "A process (or another process in the caller's logon session)
 * created the token using explicit credentials through LogonUser or
 * LsaLogonUser"). The LSA records that logon session as T's TokenOrigin
 * (TOKEN_ORIGIN, Microsoft docs: "the logon session that created the
 * token"), so [FW] compares P's AuthenticationId with T's origin. */
static bool token_origin_is_server_session(const struct pair *x)
{
    return luid_eq(ntsec_token_authentication_id(x->p), query_origin(x->t));
}

/* Past the origin check, only the caller's own identity remains allowed
 * ([IMP]: "The authenticated identity is same as the caller"); [FW]
 * compares the user SIDs. */
static bool users_differ(const struct pair *x)
{
    struct ntsec_sid pu, tu;

    if (!query_user(x->p, &pu) || !query_user(x->t, &tu))
        return true;
    return !ntsec_sid_equal(&pu, &tu);
}

/* UAC: an elevated T and a non-elevated P ([FW], Vista+; the same user's
 * full token must not be usable by its filtered processes, "How User
 * Account Control works", Microsoft docs). ntsec has no "UAC off" switch:
 * UAC is treated as on. */
static bool elevated_token_unelevated_server(const struct pair *x)
{
    return query_dword(x->t, NTSEC_TOKEN_ELEVATION) && !query_dword(x->p, NTSEC_TOKEN_ELEVATION);
}

/* A restricted P may not shed its restriction by impersonating an
 * unrestricted token of its own user ([FW]; CreateRestrictedToken,
 * Microsoft docs). A write-restricted P and a fully restricted T, or the
 * reverse, count as a mismatch too: ntsec's reading of [FW]'s
 * "write-restricted mismatch" (see the report). */
static bool server_restricted_token_not(const struct pair *x)
{
    if (!ntsec_token_is_restricted(x->p))
        return false;
    return !ntsec_token_is_restricted(x->t) || write_restricted(x->p) != write_restricted(x->t);
}

/* T belongs to session 0 (services) while P runs in an interactive
 * session ([FW]: added in later Windows 10 builds, so that a user process
 * cannot use a service's token of its own user). */
static bool session0_token_other_session_server(const struct pair *x)
{
    return query_dword(x->t, NTSEC_TOKEN_SESSION_ID) == 0 &&
           query_dword(x->p, NTSEC_TOKEN_SESSION_ID) != 0;
}

enum verdict { ALLOW, DENY };

static enum ntsec_impersonation_level downgraded(const struct ntsec_token *t)
{
    if (ntsec_token_type(t) == NTSEC_TOKEN_IMPERSONATION &&
        ntsec_token_level(t) == NTSEC_SECURITY_ANONYMOUS)
        return NTSEC_SECURITY_ANONYMOUS;
    return NTSEC_SECURITY_IDENTIFICATION;
}

/* In Windows' order ([FW]; ddi-notes.md §3 steps 2, 4-8, 10, 11; step 3,
 * protected-process trust bookkeeping, and step 9, AppContainers, have no
 * ntsec counterpart). The first check that applies decides. */
static const struct {
    bool (*applies)(const struct pair *x);
    enum verdict verdict;
} checks[] = {
    { is_anonymous_logon, ALLOW },
    { server_has_impersonate_privilege, ALLOW },
    { token_integrity_above_server, DENY },
    { token_origin_is_server_session, ALLOW },
    { users_differ, DENY },
    { elevated_token_unelevated_server, DENY },
    { server_restricted_token_not, DENY },
    { session0_token_other_session_server, DENY },
};

/* Below SecurityImpersonation nothing is checked ([IMP]: "The requested
 * impersonation level of the token is less than SecurityImpersonation";
 * "Impersonation Levels", Microsoft docs: at Identification the server
 * can only query the token, so there is nothing to protect).
 *
 * A refusal does not fail the call: the thread impersonates a copy at
 * SecurityIdentification, or at SecurityAnonymous when T is an
 * impersonation token already at that level, since a copy is never raised
 * ([FW]; RpcImpersonateClient, Microsoft docs: without
 * SeImpersonatePrivilege the call "succeeds at Identify level only";
 * ZwDuplicateToken, Microsoft docs, for the no-raise rule). */
enum ntsec_impersonation_level ntsec__impersonation_allowed_level(
    const struct ntsec_token *server_primary, const struct ntsec_token *token,
    enum ntsec_impersonation_level requested)
{
    const struct pair x = { server_primary, token };

    if (requested < NTSEC_SECURITY_IMPERSONATION)
        return requested;
    for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
        if (!checks[i].applies(&x))
            continue;
        if (checks[i].verdict == ALLOW)
            return requested;
        return downgraded(token);
    }
    /* No check decided: allowed ([FW], the last step). */
    return requested;
}

/* --- the verdict cache ---------------------------------------------------- */

#define NTSEC__VERDICT_VALID 0x10000u

static uint32_t token_seq(const struct ntsec_token *t)
{
    return atomic_load_explicit(&((struct ntsec_token *)t)->seq, memory_order_acquire);
}

/* A hit: the entry, read consistently under its own sequence counter,
 * names this server (TokenId and its state) and this token's state. */
static bool verdict_lookup(struct ntsec__imp_verdict *v, uint64_t server_id, uint32_t server_seq,
                           uint32_t own_seq, enum ntsec_impersonation_level requested,
                           enum ntsec_impersonation_level *allowed)
{
    uint32_t s = atomic_load_explicit(&v->seq, memory_order_acquire);
    uint32_t levels;
    bool same;

    if (s & 1)
        return false;
    same = atomic_load_explicit(&v->server_id, memory_order_relaxed) == server_id &&
           atomic_load_explicit(&v->server_seq, memory_order_relaxed) == server_seq &&
           atomic_load_explicit(&v->token_seq, memory_order_relaxed) == own_seq;
    levels = atomic_load_explicit(&v->levels, memory_order_relaxed);
    atomic_thread_fence(memory_order_acquire);
    if (atomic_load_explicit(&v->seq, memory_order_relaxed) != s || !same ||
        !(levels & NTSEC__VERDICT_VALID) || (levels & 0xFF) != (uint32_t)requested)
        return false;
    *allowed = (enum ntsec_impersonation_level)(levels >> 8 & 0xFF);
    return true;
}

/* One writer at a time (a failed try-lock just skips caching). */
static void verdict_store(struct ntsec__imp_verdict *v, uint64_t server_id, uint32_t server_seq,
                          uint32_t own_seq, enum ntsec_impersonation_level requested,
                          enum ntsec_impersonation_level allowed)
{
    uint32_t s = atomic_load_explicit(&v->seq, memory_order_relaxed);

    if ((s & 1) || !atomic_compare_exchange_strong_explicit(&v->seq, &s, s + 1,
                                                            memory_order_relaxed,
                                                            memory_order_relaxed))
        return;
    atomic_thread_fence(memory_order_release);
    atomic_store_explicit(&v->server_id, server_id, memory_order_relaxed);
    atomic_store_explicit(&v->server_seq, server_seq, memory_order_relaxed);
    atomic_store_explicit(&v->token_seq, own_seq, memory_order_relaxed);
    atomic_store_explicit(&v->levels,
                          (uint32_t)requested | (uint32_t)allowed << 8 | NTSEC__VERDICT_VALID,
                          memory_order_relaxed);
    atomic_store_explicit(&v->seq, s + 2, memory_order_release);
}

enum ntsec_impersonation_level ntsec__impersonation_allowed_level_cached(
    const struct ntsec_token *server_primary, struct ntsec_token *token,
    enum ntsec_impersonation_level requested)
{
    uint64_t server_id = ntsec__luid_to_u64(server_primary->token_id);
    uint32_t server_seq = token_seq(server_primary), own_seq = token_seq(token);
    enum ntsec_impersonation_level allowed;

    if (requested < NTSEC_SECURITY_IMPERSONATION)
        return requested;
    if (verdict_lookup(&token->verdict, server_id, server_seq, own_seq, requested, &allowed))
        return allowed;
    allowed = ntsec__impersonation_allowed_level(server_primary, token, requested);
    /* Cache only what was judged on one state of each token: an odd
     * count, or a count that moved while we judged, is not such a state. */
    if (!(server_seq & 1) && !(own_seq & 1) && token_seq(server_primary) == server_seq &&
        token_seq(token) == own_seq)
        verdict_store(&token->verdict, server_id, server_seq, own_seq, requested, allowed);
    return allowed;
}
