/* access_integrity.c - mandatory access in an access check: the process
 * trust label and mandatory integrity control (MIC), which run before the
 * owner, the privileges and the DACL and can refuse what they would grant.
 *
 * Sources: "Mandatory Integrity Control" and SYSTEM_MANDATORY_LABEL_ACE
 * (Microsoft docs); chapter 7 of Forshaw's "Windows Security Internals",
 * "Performing the Mandatory Access Check" (Listing 7-5 the process trust
 * level check, Listing 7-10 the mandatory integrity level check, Listing
 * 7-11 its result for a Mutant). */
#include "ntsec/ntsec.h"
#include "access_internal.h"

#define LABEL_AUTHORITY 16      /* SECURITY_MANDATORY_LABEL_AUTHORITY */

/* S-1-16-8192, the level of an object without a label. */
static const struct ntsec_sid medium_label = {
    NTSEC_SID_REVISION, 1, { 0, 0, 0, 0, 0, LABEL_AUTHORITY }, { NTSEC_MANDATORY_MEDIUM },
};

/* The first ACE of `type` in the SACL, or NULL; inherit-only ones are
 * passed over when `skip_inherit_only`. */
static const struct ntsec_ace_header *find_sacl_ace(const struct ntsec_acl *sacl, uint8_t type,
                                                    bool skip_inherit_only)
{
    const struct ntsec_ace_header *ace;

    if (!sacl)
        return NULL;
    ace = ntsec__acl_first_ace(sacl);
    for (uint32_t i = 0; i < sacl->ace_count; i++, ace = ntsec__ace_next(ace))
        if (ace->type == type &&
            !(skip_inherit_only && (ace->flags & NTSEC_ACE_INHERIT_ONLY)))
            return ace;
    return NULL;
}

static bool is_mandatory_label(const struct ntsec_sid *sid)
{
    return sid && ntsec_sid_authority(sid) == LABEL_AUTHORITY;
}

/* The integrity level of a label SID: its last sub-authority ("we extract
 * the last RID from each SID and compare these as numbers", Forshaw ch. 7,
 * The Mandatory Integrity Level Check); 0 when it has none (ntsec's choice;
 * no public source found). */
static uint32_t label_rid(const struct ntsec_sid *sid)
{
    return sid->sub_authority_count ? sid->sub_authority[sid->sub_authority_count - 1] : 0;
}

static bool refuse(struct ntsec__access *a, uint32_t refused, const char *why)
{
    if (a->trace)
        ntsec__access_emit_simple(a, NTSEC_STEP_INTEGRITY, refused, NULL, why);
    return false;
}

/* A process trust label ACE (SYSTEM_PROCESS_TRUST_LABEL_ACE) limits the
 * object to its mask (plus ACCESS_SYSTEM_SECURITY) for callers whose
 * process trust level does not dominate its SID. ntsec's tokens carry no
 * trust level (no protected processes), so every trust label applies. The
 * first such ACE that is not inherit-only counts. Source: Forshaw, Windows
 * Security Internals ch. 7, Listing 7-5 (Test-ProcessTrustLevel: the first
 * non-inherit-only trust label ACE, "the check always adds
 * AccessSystemSecurity"). */
static uint32_t trust_allowed(const struct ntsec__access *a)
{
    const struct ntsec_ace_header *ace =
        find_sacl_ace(a->sd.sacl, NTSEC_ACE_SYSTEM_PROCESS_TRUST_LABEL, true);

    if (!ace)
        return UINT32_MAX;
    return ntsec__ace_mask_raw(ace) | NTSEC_ACCESS_SYSTEM_SECURITY;
}

/* Mandatory integrity control. Only a token whose mandatory policy has
 * NO_WRITE_UP is subject to it (TOKEN_MANDATORY_POLICY, Microsoft docs).
 * The object's level and policy come from the first mandatory label ACE of
 * its SACL; none (or an inherit-only first one) means Medium with
 * NO_WRITE_UP ("Mandatory Integrity Control": objects without a label are
 * treated as medium). A token at or above that level is not limited. One
 * below it may have, whatever the DACL says:
 *   - the mapping's GenericRead rights and READ_CONTROL, unless NO_READ_UP;
 *   - its GenericExecute rights and SYNCHRONIZE, unless NO_EXECUTE_UP;
 *   - no other right: writes (GenericWrite, DELETE, WRITE_DAC, WRITE_OWNER,
 *     ACCESS_SYSTEM_SECURITY) never go up, the label's NO_WRITE_UP bit
 *     or not, since the token's own NO_WRITE_UP policy asks for that;
 *   - WRITE_OWNER after all when SeRelabelPrivilege is enabled (it lets a
 *     caller set a label up to its own level).
 * Sources: Forshaw, Windows Security Internals ch. 7, Listing 7-10
 * (Test-MandatoryIntegrityLevel: token policy NoWriteUp, default Medium
 * with NoWriteUp, policy mapped through GenericRead/Write/Execute,
 * SeRelabelPrivilege adds WriteOwner, AccessSystemSecurity removed under
 * NoWriteUp) and Listing 7-11 (a Mutant at Medium gives a Low token
 * "ModifyState|ReadControl|Synchronize", the full access without the
 * write-only rights). Adding READ_CONTROL and SYNCHRONIZE whatever the
 * mapping is ntsec's reading of the book's "shared access rights", not
 * spelled out there. That the first label ACE counts, that
 * an inherit-only one leaves the default, and that a label ACE whose SID
 * is not a mandatory label (S-1-16-x) fails the call with
 * STATUS_INVALID_PARAMETER are ntsec's choices; no public source found. */
static uint32_t integrity_allowed(const struct ntsec__access *a, ntsec_status *st,
                                  bool *below)
{
    const struct ntsec_token *t = a->token;
    const struct ntsec_ace_header *ace;
    const struct ntsec_sid *label;
    uint32_t policy, level, allowed = 0;
    uint64_t enabled;

    *below = false;
    if (!(atomic_load_explicit(&((struct ntsec_token *)t)->mandatory_policy,
                               memory_order_relaxed) & NTSEC_TOKEN_MANDATORY_POLICY_NO_WRITE_UP))
        return UINT32_MAX;

    ace = find_sacl_ace(a->sd.sacl, NTSEC_ACE_SYSTEM_MANDATORY_LABEL, false);
    if (ace && !(ace->flags & NTSEC_ACE_INHERIT_ONLY)) {
        label = (const struct ntsec_sid *)((const uint8_t *)ace + 8);
        policy = ntsec__ace_mask_raw(ace);
    } else {
        label = &medium_label;
        policy = NTSEC_MANDATORY_NO_WRITE_UP;
    }
    if (!is_mandatory_label(label)) {
        *st = NTSEC_STATUS_INVALID_PARAMETER;
        return 0;
    }
    level = atomic_load_explicit(&((struct ntsec_token *)t)->integrity_rid, memory_order_relaxed);
    if (level >= label_rid(label))
        return UINT32_MAX;

    *below = true;
    if (!(policy & NTSEC_MANDATORY_NO_READ_UP))
        allowed |= a->mapping.read | NTSEC_READ_CONTROL;
    if (!(policy & NTSEC_MANDATORY_NO_EXECUTE_UP))
        allowed |= a->mapping.execute | NTSEC_SYNCHRONIZE;
    enabled = atomic_load_explicit(&((struct ntsec_token *)t)->priv_enabled, memory_order_relaxed);
    if (enabled & (UINT64_C(1) << NTSEC_SE_RELABEL_PRIVILEGE))
        allowed |= NTSEC_WRITE_OWNER;
    return allowed;
}

bool ntsec__access_mandatory(struct ntsec__access *a, ntsec_status *st)
{
    uint32_t explicit = a->desired & ~NTSEC_MAXIMUM_ALLOWED;
    uint32_t trust, mic;
    bool below;

    *st = NTSEC_STATUS_SUCCESS;
    trust = trust_allowed(a);
    if (explicit & ~trust)
        return refuse(a, explicit & ~trust,
                      "the object's process trust label refuses these rights to an "
                      "unprotected caller");
    mic = integrity_allowed(a, st, &below);
    if (!ntsec_success(*st))
        return false;
    if (explicit & ~mic)
        return refuse(a, explicit & ~mic,
                      "the token's integrity level is below the object's label: only "
                      "the reads and executes the label allows may go up");
    a->mandatory_allowed = trust & mic;
    if (a->trace && below)
        ntsec__access_emit_simple(a, NTSEC_STEP_INTEGRITY, 0, NULL,
                                  "the token's integrity level is below the object's label, "
                                  "but the label allows what was asked");
    return true;
}
