/* access_dacl.c - the DACL part of an access check: the walk over the
 * ACEs, the second pass over a restricted token's restricted SIDs, object
 * ACEs and object type lists (AccessCheckByType and its result list).
 *
 * Sources: "How DACLs Control Access to an Object", "Object-specific ACEs",
 * AccessCheckByType(ResultList) and OBJECT_TYPE_LIST (Microsoft docs);
 * [MS-DTYP] 2.5.3.2 (the algorithm) and 2.4.4.17.3 (conditional ACEs);
 * Forshaw, "Windows Security Internals" ch. 7 (Listings 7-17 to 7-21: the
 * DACL walk, deny-only groups, compound ACEs, the restricted pass; "The
 * Object Type Access Check", Listings 7-27 to 7-29); ReactOS
 * ntoskrnl/se/accesschk.c and Samba libcli/security/access_check.c, read
 * for behaviour.
 *
 * One walk serves both of Windows' modes. Each bit is decided by the first
 * ACE that names it: an allow grants the bits no earlier deny took, a deny
 * takes the bits no earlier allow gave. Asking for MAXIMUM_ALLOWED (or a
 * result list) walks every ACE; otherwise the walk stops when everything
 * asked is granted, or fails at the first deny of a bit still wanted.
 *
 * ACE masks are used as stored, not mapped: generic bits in an ACE are
 * mapped when a descriptor is assigned to an object, and the check compares
 * the mask as it is. Samba does the same (security_acl_map_generic when a
 * descriptor is made, se_access_check on the raw mask) and Forshaw's tests
 * map an ACE's generic bits before checking (ch. 7, Listing 7-6,
 * Edit-NtSecurityDescriptor -MapGeneric). No Windows test found; ReactOS's
 * SepAnalyzeAcesFromDacl maps them during the check instead.
 *
 * Object types. The list is a tree in preorder. An object ACE with an
 * object type applies to the node with that GUID and its subtree; without
 * one it applies to the whole object, like a plain ACE
 * (ACCESS_ALLOWED_OBJECT_ACE Remarks, Microsoft docs: with neither GUID it
 * has the semantics of ACCESS_ALLOWED_ACE; Samba access_check.c "treat 'OA'
 * ACEs as 'A' and 'OD' as 'D'"). Without a list, an allow object ACE with
 * a type grants nothing and a deny one denies for the whole object
 * (Forshaw, ch. 7, Listings 7-27 and 7-28). A deny for a part reaches the
 * part's ancestors, not its siblings (Forshaw, Figure 7-6, Listing 7-29;
 * [MS-ADTS] 5.1.3.3.3: "For every ancestor node w of v, add the rights in
 * M to Deny(w)").
 *
 * What the whole object is granted (AccessCheckByType, no result list):
 * [MS-ADTS] 5.1.3.3.3, "Checking Object-Specific Access", grants a node
 * what an ACE names for it or an ancestor, and its parent only "If
 * Grant(v) = Grant(s) for every sibling s of node v"; "If the requested
 * access is for the entire object, check the requested access mask
 * against the access rights granted in Grant(r)" (the root). [MS-DTYP]
 * 2.5.3.2 is stricter still: an object allow ACE only clears the node's
 * and its descendants' Remaining ("satisfying the request at a lower level
 * does nothing to affect the higher level node") and success is "IF
 * RemainingAccess to 0", which only non-object allows clear; it defers to
 * [MS-ADTS] for the tree. Both refuse the whole object to an allow for
 * one property, so ntsec decides each leaf by the ACEs for it or its
 * ancestors and a node by the AND of its leaves, as [MS-ADTS] does (its
 * sibling rule read per bit: ntsec's choice). Forshaw (ch. 7, Listing
 * 7-27: "only the main RemainingAccess matters ... not every object type
 * must have a RemainingAccess of 0"), ReactOS SepAccessCheckWorker and
 * Samba sec_access_check_ds let an allow for any node grant the check;
 * both Microsoft specifications say otherwise. The walk runs once per leaf
 * with O(1) state, so a list of any length needs no memory. */
#include "ntsec/ntsec.h"
#include "access_internal.h"
#include "ace.h"
#include "condace_eval.h"

#define NO_LEAF UINT32_MAX

/* What each ACE type does in a DACL walk; 0: ignored (audit, alarm,
 * label, resource attribute... entries that do not belong in a DACL).
 * Deny callback ACEs are ignored too: the kernel's check does not support
 * them, only the user-mode AuthzAccessCheck does (Forshaw ch. 7, "The
 * Discretionary Access Check": "the kernel does not support DenyCallback
 * ACEs"); [MS-DTYP] 2.5.3.2's DACL walk has a case for "Allow Access
 * Callback Ace" and none for a deny callback, and 2.4.4.1 <53> ties
 * callback ACEs to AuthzAccessCheck. 2.4.4.17.3's "UNKNOWN ... denied"
 * describes what a conditional deny means where it is evaluated. */
enum {
    ROLE_ALLOW = 0x01, ROLE_DENY = 0x02, ROLE_OBJECT = 0x04, ROLE_CALLBACK = 0x08,
    ROLE_COMPOUND = 0x10,
};

static const uint8_t roles[NTSEC__ACE_KIND_COUNT] = {
    [NTSEC_ACE_ACCESS_ALLOWED] = ROLE_ALLOW,
    [NTSEC_ACE_ACCESS_DENIED] = ROLE_DENY,
    [NTSEC_ACE_ACCESS_ALLOWED_COMPOUND] = ROLE_ALLOW | ROLE_COMPOUND,
    [NTSEC_ACE_ACCESS_ALLOWED_OBJECT] = ROLE_ALLOW | ROLE_OBJECT,
    [NTSEC_ACE_ACCESS_DENIED_OBJECT] = ROLE_DENY | ROLE_OBJECT,
    [NTSEC_ACE_ACCESS_ALLOWED_CALLBACK] = ROLE_ALLOW | ROLE_CALLBACK,
    [NTSEC_ACE_ACCESS_ALLOWED_CALLBACK_OBJECT] = ROLE_ALLOW | ROLE_CALLBACK | ROLE_OBJECT,
};

/* SIDs an ACE may carry that stand for someone else. */
enum special_sid { SID_PLAIN, SID_SELF, SID_OWNER_RIGHTS, SID_CREATOR };

static enum special_sid special_sid(const struct ntsec_sid *sid)
{
    const uint8_t *ia = sid->identifier_authority;

    if (sid->sub_authority_count != 1 || ia[0] | ia[1] | ia[2] | ia[3] | ia[4])
        return SID_PLAIN;
    if (ia[5] == 5 && sid->sub_authority[0] == 10)
        return SID_SELF;                /* S-1-5-10 PRINCIPAL_SELF */
    if (ia[5] == 3 && sid->sub_authority[0] == 4)
        return SID_OWNER_RIGHTS;        /* S-1-3-4 OWNER RIGHTS */
    if (ia[5] == 3 && sid->sub_authority[0] <= 3)
        return SID_CREATOR;             /* S-1-3-0..3 CREATOR OWNER/GROUP (SERVER) */
    return SID_PLAIN;
}

/* The (first) SID of an ACE of a known type, whose layout the ACL's
 * validation checked. */
static const struct ntsec_sid *ace_sid(const struct ntsec_ace_header *ace, uint8_t role)
{
    const uint8_t *p = (const uint8_t *)ace;
    uint32_t flags;

    if (role & ROLE_COMPOUND)
        return (const struct ntsec_sid *)(p + 12);
    if (!(role & ROLE_OBJECT))
        return (const struct ntsec_sid *)(p + 8);
    memcpy(&flags, p + 8, sizeof flags);
    return (const struct ntsec_sid *)(p + 12 +
                                      ((flags & NTSEC_ACE_OBJECT_TYPE_PRESENT) ? 16 : 0) +
                                      ((flags & NTSEC_ACE_INHERITED_OBJECT_TYPE_PRESENT) ? 16 : 0));
}

static const struct ntsec_guid *ace_object_type(const struct ntsec_ace_header *ace)
{
    const uint8_t *p = (const uint8_t *)ace;
    uint32_t flags;

    memcpy(&flags, p + 8, sizeof flags);
    return (flags & NTSEC_ACE_OBJECT_TYPE_PRESENT) ? (const struct ntsec_guid *)(p + 12) : NULL;
}

bool ntsec__access_dacl_has_owner_rights(const struct ntsec_acl *dacl)
{
    static const uint8_t layout_role[] = {
        [NTSEC__ACE_LAYOUT_SID] = 0,
        [NTSEC__ACE_LAYOUT_OBJECT] = ROLE_OBJECT,
        [NTSEC__ACE_LAYOUT_COMPOUND] = ROLE_COMPOUND,
    };
    const struct ntsec_ace_header *ace = ntsec__acl_first_ace(dacl);

    /* Any entry that applies to the object and names OWNER RIGHTS, of
     * any ACE type carrying a SID, inherit-only ones passed over (Samba
     * access_check.c, the OWNER RIGHTS scan; Forshaw ch. 7, Listing 7-15,
     * Select-NtSecurityDescriptorAce -KnownSid OwnerRights). */
    for (uint32_t i = 0; i < dacl->ace_count; i++, ace = ntsec__ace_next(ace)) {
        const struct ntsec__ace_kind *k =
            ace->type < NTSEC__ACE_KIND_COUNT ? &ntsec__ace_kinds[ace->type] : NULL;

        if (!k || (ace->flags & NTSEC_ACE_INHERIT_ONLY) ||
            (!k->has_sid && k->layout != NTSEC__ACE_LAYOUT_COMPOUND))
            continue;
        if (special_sid(ace_sid(ace, layout_role[k->layout])) == SID_OWNER_RIGHTS)
            return true;
    }
    return false;
}

/* --- object type lists ----------------------------------------------------- */

static bool is_leaf(const struct ntsec_object_type_entry *types, uint32_t n, uint32_t i)
{
    return i + 1 == n || types[i + 1].level <= types[i].level;
}

static int64_t node_of(const struct ntsec_access_request *rq, const struct ntsec_guid *g)
{
    for (uint32_t i = 0; i < rq->object_type_count; i++)
        if (!memcmp(rq->object_types[i].guid, g, sizeof *g))
            return i;
    return -1;
}

/* Whether node x is `leaf` or one of its ancestors: the subtree of x is
 * the run of entries after it that are deeper than it. */
static bool covers(const struct ntsec_object_type_entry *types, uint32_t x, uint32_t leaf)
{
    if (x > leaf)
        return false;
    for (uint32_t k = x + 1; k <= leaf; k++)
        if (types[k].level <= types[x].level)
            return false;
    return true;
}

/* --- the walk ------------------------------------------------------------------ */

struct walk {
    uint32_t leaf;              /* node of the object type list, or NO_LEAF */
    bool restricted;            /* the restricted-SID pass */
    bool maximum;               /* walk every ACE */
    uint32_t want;              /* normal mode: the bits to be granted */
    uint32_t granted, denied;
    bool refused;               /* normal mode: a deny took a wanted bit */
};

static void emit_ace(const struct ntsec__access *a, const struct walk *w,
                     enum ntsec_access_step_kind kind, uint32_t i,
                     const struct ntsec_ace_header *ace, const struct ntsec_sid *sid,
                     uint32_t bits, const char *why)
{
    struct ntsec_access_step s = {
        .kind = kind, .restricted_pass = w->restricted, .ace_index = (int)i, .ace = ace,
        .sid = sid, .bits = bits, .mask = w->granted | a->previously,
        .status = NTSEC_STATUS_SUCCESS, .why = why,
    };

    ntsec__access_emit(a, &s);
}

static const char *why_no_match(enum ntsec__sid_match m, bool restricted)
{
    switch (m) {
    case NTSEC__SID_DISABLED:
        return "the SID is a group of the token, but the group is not enabled";
    case NTSEC__SID_DENY_ONLY:
        return "the SID is a deny-only group of the token: it counts for deny entries only";
    default:
        return restricted ? "the SID is not among the token's restricted SIDs"
                          : "the SID is neither the token's user nor one of its groups";
    }
}

/* Why an object ACE does not apply to the node being walked, or NULL when
 * it does. */
static const char *object_skip(const struct ntsec__access *a, const struct walk *w,
                               const struct ntsec_ace_header *ace, uint8_t role)
{
    const struct ntsec_guid *g = ace_object_type(ace);
    int64_t x;

    if (!g)
        return NULL;
    if (w->leaf == NO_LEAF)
        return (role & ROLE_ALLOW) ? "an object-type entry grants nothing when the check has "
                                     "no object type list"
                                   : NULL;
    x = node_of(a->rq, g);
    if (x < 0)
        return "its object type is not in the object type list";
    if (!covers(a->rq->object_types, (uint32_t)x, w->leaf))
        return "it is for another object type of the list";
    return NULL;
}

/* A callback allow ACE applies only when its condition is TRUE ([MS-DTYP]
 * 2.4.4.17.3, Conditional ACE Applicability; 2.5.3.2 "IF Result is 1"). */
static bool condition_applies(const struct ntsec__access *a, const struct walk *w,
                              const struct ntsec_ace_header *ace, const struct ntsec_sid *sid)
{
    const uint8_t *data = (const uint8_t *)sid + ntsec_sid_length(sid);
    const uint8_t *end = (const uint8_t *)ace + ace->size;
    struct ntsec__cond_context ctx = {
        .token = a->token,
        .sacl = a->sd.sacl,
        .principal_self = a->rq->principal_self,
        .restricted_pass = w->restricted,
    };

    return ntsec__cond_evaluate(data, data < end ? (size_t)(end - data) : 0, &ctx) ==
           NTSEC__COND_TRUE;
}

static const char *why_ignored(const struct ntsec_ace_header *ace)
{
    if (ace->type == NTSEC_ACE_ACCESS_DENIED_CALLBACK ||
        ace->type == NTSEC_ACE_ACCESS_DENIED_CALLBACK_OBJECT)
        return "a callback deny entry: only AuthzAccessCheck evaluates those, "
               "not the kernel's check";
    return "not an access entry: only allow and deny entries count in a DACL";
}

static void walk_dacl(const struct ntsec__access *a, struct walk *w)
{
    const struct ntsec_acl *dacl = a->sd.dacl;
    const struct ntsec_ace_header *ace = ntsec__acl_first_ace(dacl);
    const bool trace = a->trace != NULL;

    if (trace && w->restricted)
        ntsec__access_emit_simple(a, NTSEC_STEP_RESTRICTED_PASS, w->maximum ? 0 : w->want, NULL,
                                  "a restricted token: the DACL is walked again with its "
                                  "restricted SIDs");
    for (uint32_t i = 0; i < dacl->ace_count; i++, ace = ntsec__ace_next(ace)) {
        uint8_t role = ace->type < NTSEC__ACE_KIND_COUNT ? roles[ace->type] : 0;
        const struct ntsec_sid *sid;
        enum ntsec__sid_match m;
        uint32_t mask, bits;
        const char *skip = NULL;

        if (ace->flags & NTSEC_ACE_INHERIT_ONLY) {
            if (trace)
                emit_ace(a, w, NTSEC_STEP_ACE_SKIPPED, i, ace, NULL, 0,
                         "inherit-only: it is there to be inherited, not to protect this object");
            continue;
        }
        if (!role) {
            if (trace)
                emit_ace(a, w, NTSEC_STEP_ACE_SKIPPED, i, ace, NULL, 0, why_ignored(ace));
            continue;
        }
        sid = ace_sid(ace, role);
        switch (special_sid(sid)) {
        case SID_SELF:
            if (a->rq->principal_self)
                sid = a->rq->principal_self;
            break;
        case SID_OWNER_RIGHTS:
            sid = a->sd.owner;
            break;
        case SID_CREATOR:
            skip = "CREATOR OWNER and CREATOR GROUP stand for the creator in inheritable "
                   "entries; they match no one";
            break;
        case SID_PLAIN:
            break;
        }
        if (!skip && (role & ROLE_OBJECT))
            skip = object_skip(a, w, ace, role);
        if (skip) {
            if (trace)
                emit_ace(a, w, NTSEC_STEP_ACE_SKIPPED, i, ace, sid, 0, skip);
            continue;
        }
        m = ntsec__access_sid_match(a->token, sid, ntsec__sid_hash(sid), role & ROLE_DENY,
                                    w->restricted);
        if (m == NTSEC__SID_MATCH && (role & ROLE_COMPOUND)) {
            /* A compound ACE names a server and a client; both must be in
             * the token (Forshaw ch. 7, Listing 7-17, AllowedCompound).
             * Without a separate server (primary) token the one token
             * stands for both: ntsec's choice; no public source found. */
            const struct ntsec_sid *other = (const struct ntsec_sid *)
                ((const uint8_t *)sid + ntsec_sid_length(sid));

            if (ntsec__access_sid_match(a->token, other, ntsec__sid_hash(other), false,
                                        w->restricted) != NTSEC__SID_MATCH) {
                if (trace)
                    emit_ace(a, w, NTSEC_STEP_ACE_SKIPPED, i, ace, other, 0,
                             "the compound entry's other SID is not in the token");
                continue;
            }
        }
        if (m != NTSEC__SID_MATCH) {
            if (trace)
                emit_ace(a, w, NTSEC_STEP_ACE_SKIPPED, i, ace, sid, 0,
                         why_no_match(m, w->restricted));
            continue;
        }
        if ((role & ROLE_CALLBACK) && !condition_applies(a, w, ace, sid)) {
            if (trace)
                emit_ace(a, w, NTSEC_STEP_ACE_SKIPPED, i, ace, sid, 0,
                         "its condition is not TRUE");
            continue;
        }

        mask = ntsec__ace_mask_raw(ace);
        if (role & ROLE_ALLOW) {
            bits = mask & ~w->denied & ~w->granted;
            w->granted |= bits;
            if (trace)
                emit_ace(a, w, bits ? NTSEC_STEP_ACE_ALLOWED : NTSEC_STEP_ACE_SKIPPED, i, ace,
                         sid, bits,
                         bits ? "it applies to the token" :
                                "its rights were already decided by earlier entries");
            if (!w->maximum && !(w->want & ~w->granted))
                return;
            continue;
        }
        if (!w->maximum && (mask & w->want & ~w->granted)) {
            w->refused = true;
            if (trace)
                emit_ace(a, w, NTSEC_STEP_ACE_DENIED, i, ace, sid, mask & w->want & ~w->granted,
                         "it denies a right that was asked and not yet granted");
            return;
        }
        bits = mask & ~w->granted & ~w->denied;
        w->denied |= bits;
        if (trace)
            emit_ace(a, w, bits ? NTSEC_STEP_ACE_DENIED : NTSEC_STEP_ACE_SKIPPED, i, ace, sid,
                     bits,
                     bits ? "it applies to the token" :
                            "its rights were already decided by earlier entries");
    }
}

/* What the DACL grants one leaf (or the whole object): in maximum mode
 * every bit both passes allow; otherwise `want` when it is all granted,
 * else 0. The restricted pass covers every right for a restricted token,
 * and only the mapping's GenericWrite rights for a write-restricted one
 * ("WRITE_RESTRICTED: The new token contains restricting SIDs that are
 * considered only when evaluating write access", CreateRestrictedToken,
 * Microsoft docs; Forshaw ch. 7, Listing 7-21: the same walk again over
 * the restricted SIDs, for write-restricted tokens only when write access
 * remains). */
static uint32_t leaf_grant(const struct ntsec__access *a, uint32_t leaf, bool maximum)
{
    const uint32_t write = a->mapping.write;
    const bool write_restricted = a->token->write_restricted;
    struct walk w1 = { .leaf = leaf, .maximum = maximum, .want = a->remaining };
    struct walk w2 = { .leaf = leaf, .restricted = true, .maximum = maximum };

    walk_dacl(a, &w1);
    if (maximum) {
        if (!a->restricted)
            return w1.granted;
        walk_dacl(a, &w2);
        return w1.granted & (write_restricted ? (w2.granted | ~write) : w2.granted);
    }
    if (w1.refused || (w1.want & ~w1.granted))
        return 0;
    if (a->restricted) {
        w2.want = write_restricted ? w1.want & write : w1.want;
        if (w2.want) {
            walk_dacl(a, &w2);
            if (w2.refused || (w2.want & ~w2.granted))
                return 0;
        }
    }
    return w1.want;
}

void ntsec__access_dacl(struct ntsec__access *a)
{
    const struct ntsec_access_request *rq = a->rq;
    const struct ntsec_object_type_entry *types = rq->object_types;
    const uint32_t n = rq->object_type_count;
    uint32_t acc;

    if (!n) {
        ntsec__access_decide(a, leaf_grant(a, NO_LEAF, a->maximum), &a->granted, &a->status);
        return;
    }

    if (!(rq->flags & NTSEC_ACCESS_RESULT_LIST)) {
        /* AccessCheckByType: the object is granted what all its parts are
         * (Grant(r), [MS-ADTS] 5.1.3.3.3; see the header comment). */
        acc = UINT32_MAX;
        for (uint32_t i = 0; i < n; i++) {
            if (!is_leaf(types, n, i))
                continue;
            acc &= leaf_grant(a, i, a->maximum);
            if (!a->maximum && acc != a->remaining)
                break;
        }
        ntsec__access_decide(a, acc, &a->granted, &a->status);
        return;
    }

    /* AccessCheckByTypeResultList: one decision per node, each from the
     * maximum walk (ReactOS SepAccessCheckWorker serves result lists with
     * its MAXIMUM_ALLOWED analysis too); the
     * caller's array holds the leaves' grants, then each inner node's,
     * computed after its children (preorder read backwards). */
    for (uint32_t i = 0; i < n; i++)
        if (is_leaf(types, n, i))
            a->result_list_granted[i] = leaf_grant(a, i, true);
    for (uint32_t i = n; i-- > 0;) {
        if (is_leaf(types, n, i))
            continue;
        acc = UINT32_MAX;
        for (uint32_t j = i + 1; j < n && types[j].level > types[i].level; j++)
            if (types[j].level == types[i].level + 1)
                acc &= a->result_list_granted[j];
        a->result_list_granted[i] = acc;
    }
    for (uint32_t i = 0; i < n; i++)
        ntsec__access_decide(a, a->result_list_granted[i], &a->result_list_granted[i],
                             &a->result_list_status[i]);
    a->granted = a->result_list_granted[0];
    a->status = a->result_list_status[0];
}
