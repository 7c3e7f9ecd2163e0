/* token_set.c - NtSetInformationToken: the information classes a caller
 * may change on a token.
 *
 * Sources: SetTokenInformation and the TOKEN_OWNER, TOKEN_PRIMARY_GROUP,
 * TOKEN_DEFAULT_DACL, TOKEN_MANDATORY_LABEL and TOKEN_MANDATORY_POLICY
 * pages (Microsoft docs); Windows results asserted by ReactOS apitest
 * NtSetInformationToken.c (bad class STATUS_INVALID_INFO_CLASS, NULL handle
 * STATUS_INVALID_HANDLE, TokenSessionId without SeTcbPrivilege
 * STATUS_PRIVILEGE_NOT_HELD); ReactOS ntoskrnl/se/tokencls.c and token.c
 * read for behaviour (owner and primary group:
 * SepFindPrimaryGroupAndDefaultOwner; TokenOrigin); Forshaw, "Windows
 * Security Internals" ch. 4 (UI access and integrity need SeTcbPrivilege)
 * and ch. 7 (disabling NoWriteUp "requires SeTcbPrivilege"). Rules no such
 * source covers are marked as ntsec's choices. In order:
 * - A class outside the settable set (TokenOwner, TokenPrimaryGroup,
 *   TokenDefaultDacl, TokenSessionId, TokenSessionReference,
 *   TokenAuditPolicy, TokenOrigin, TokenLinkedToken,
 *   TokenVirtualizationAllowed/Enabled, TokenIntegrityLevel,
 *   TokenUIAccess, TokenMandatoryPolicy) is STATUS_INVALID_INFO_CLASS.
 *   ntsec has no AppContainer tokens and treats TokenIsAppContainer as
 *   not settable.
 * - A wrong length is STATUS_INFO_LENGTH_MISMATCH: at least 8 bytes for
 *   the pointer classes (owner, group, DACL), at least 16 for
 *   TokenIntegrityLevel, exactly 4 or 8 for the others (the lengths are
 *   ntsec's choice; unverified).
 * - Then the privilege the class needs in the caller (SeTcbPrivilege for
 *   most, SeCreateTokenPrivilege for TokenVirtualizationAllowed - the
 *   latter unverified), then the value.
 * Every change runs between ntsec__token_write_begin/end and gives the
 * token a new ModifiedId - also when the value stays the same - except
 * TokenSessionReference, which does not (ntsec's choice; unverified).
 *
 * `caller` is the caller's effective token, NULL for kernel mode, where
 * every privilege is held (SeSinglePrivilegeCheck, Microsoft docs). An
 * impersonation token below SecurityImpersonation holds none (ReactOS
 * ntoskrnl/se/priv.c, SePrivilegeCheck: a client below
 * SecurityImpersonation is FALSE).
 *
 * Not modelled: STATUS_TOKEN_ALREADY_IN_USE, which Windows returns when
 * raising the integrity level or setting the mandatory policy of a
 * primary token already assigned to a process (ntsec's process layer
 * will check it). */
#include <stdatomic.h>
#include <string.h>

#include "alloc.h"
#include "ntsec/token.h"
#include "token.h"
#include "token_info.h"

#define LABEL_AUTHORITY 16

/* Privileges that go when the level drops below High: the ten that make a
 * token elevated (SeCreateToken, SeTcb, SeTakeOwnership, SeLoadDriver,
 * SeBackup, SeRestore, SeDebug, SeImpersonate, SeRelabel,
 * SeDelegateSessionUserImpersonate; Forshaw, Windows Security Internals
 * ch. 4: "certain high-level privileges, such as SeDebugPrivilege, can't be
 * enabled if the integrity level is less than High"); below Medium only
 * SeChangeNotify, SeUndock and SeIncreaseWorkingSet stay. They are
 * disabled (Enabled and EnabledByDefault), not removed. The exact sets and
 * the disabling are ntsec's choices; no public source found. */
#define BELOW_HIGH_DISABLED 0x1120160684ull
#define BELOW_MEDIUM_KEPT   0x202800000ull

static bool held(const struct ntsec_token *caller, enum ntsec_privilege p)
{
    uint64_t enabled;

    if (!caller)
        return true;
    if (caller->type == NTSEC_TOKEN_IMPERSONATION && caller->level < NTSEC_SECURITY_IMPERSONATION)
        return false;
    enabled = atomic_load_explicit(&((struct ntsec_token *)caller)->priv_enabled,
                                   memory_order_relaxed);
    return (enabled >> p) & 1;
}

static const void *read_pointer(const void *buf)
{
    uint64_t v;

    memcpy(&v, buf, 8);
    return (const void *)(uintptr_t)v;
}

static uint32_t read32(const void *buf)
{
    uint32_t v;

    memcpy(&v, buf, 4);
    return v;
}

/* SeCaptureSid: the SID must be readable (a NULL pointer fails the probe)
 * and valid. */
static ntsec_status capture_sid(const struct ntsec_sid *sid)
{
    if (!sid)
        return NTSEC_STATUS_ACCESS_VIOLATION;
    return ntsec_sid_is_valid(sid) ? NTSEC_STATUS_SUCCESS : NTSEC_STATUS_INVALID_SID;
}

/* Whether entry `pos` of the user and groups is `sid`; the label with its
 * current RID. */
static bool sid_at(const struct ntsec_token *t, uint32_t pos, const struct ntsec_sid *sid)
{
    struct ntsec_sid label;
    uint32_t rid;

    if (pos != t->integrity_pos)
        return ntsec_sid_equal(t->sids[pos].sid, sid);
    rid = atomic_load_explicit(&((struct ntsec_token *)t)->integrity_rid, memory_order_relaxed);
    ntsec_sid_init(&label, LABEL_AUTHORITY, 1, &rid);
    return ntsec_sid_equal(&label, sid);
}

/* The first of the user and groups equal to `sid`, or NTSEC__NO_INDEX
 * (Windows walks UserAndGroups in order with RtlEqualSid). */
static uint32_t find_sid(const struct ntsec_token *t, const struct ntsec_sid *sid)
{
    for (uint32_t i = 0; i < t->sid_count; i++)
        if (sid_at(t, i, sid))
            return i;
    return NTSEC__NO_INDEX;
}

/* The dynamic part the token is charged for (token_info.h); under the lock. */
static uint32_t dynamic_charged(const struct ntsec_token *t)
{
    uint32_t pos = atomic_load_explicit(&((struct ntsec_token *)t)->primary_group_pos,
                                        memory_order_relaxed);
    uint32_t used = ntsec__sidlen(t->sids[pos].sid) + (t->default_dacl ? t->default_dacl->size : 0);

    return used > NTSEC__TOKEN_DYNAMIC_CHARGE ? used : NTSEC__TOKEN_DYNAMIC_CHARGE;
}

/* --- the classes ------------------------------------------------------- */

/* TokenOwner: the user, or a group with SE_GROUP_OWNER (TOKEN_OWNER,
 * Microsoft docs: "a user or group ... that can be assigned as owner";
 * ReactOS token.c SepFindPrimaryGroupAndDefaultOwner); else
 * STATUS_INVALID_OWNER. */
static ntsec_status set_owner(struct ntsec_token *t, const void *buf, uint32_t size)
{
    const struct ntsec_sid *sid;
    ntsec_status st;
    uint32_t pos;

    if (size < 8)
        return NTSEC_STATUS_INFO_LENGTH_MISMATCH;
    sid = read_pointer(buf);
    if (!ntsec_success(st = capture_sid(sid)))
        return st;
    ntsec__token_write_begin(t);
    pos = find_sid(t, sid);
    if (pos == NTSEC__NO_INDEX ||
        (pos != 0 && !(atomic_load_explicit(&t->sids[pos].attributes, memory_order_relaxed) &
                       NTSEC_SE_GROUP_OWNER))) {
        ntsec__token_write_end(t, false);
        return NTSEC_STATUS_INVALID_OWNER;
    }
    atomic_store_explicit(&t->owner_pos, pos, memory_order_relaxed);
    ntsec__token_write_end(t, true);
    return NTSEC_STATUS_SUCCESS;
}

/* TokenPrimaryGroup: any SID of the user and groups (TOKEN_PRIMARY_GROUP,
 * Microsoft docs: "must be one of the group SIDs already in the token";
 * ReactOS SepFindPrimaryGroupAndDefaultOwner), else
 * STATUS_INVALID_PRIMARY_GROUP; it must fit the dynamic charge with the
 * default DACL, else STATUS_ALLOTTED_SPACE_EXCEEDED: the memory "allocated
 * to hold discretionary access control and primary group information" is
 * not grown, "a request that requires more memory than has been allotted
 * must fail" ([MS-ERREF] 2.3.1; ReactOS grows it instead). The charge's
 * size is ntsec's choice (token_info.h). */
static ntsec_status set_primary_group(struct ntsec_token *t, const void *buf, uint32_t size)
{
    const struct ntsec_sid *sid;
    ntsec_status st;
    uint32_t pos;

    if (size < 8)
        return NTSEC_STATUS_INFO_LENGTH_MISMATCH;
    sid = read_pointer(buf);
    if (!ntsec_success(st = capture_sid(sid)))
        return st;
    ntsec__token_write_begin(t);
    pos = find_sid(t, sid);
    if (pos == NTSEC__NO_INDEX) {
        ntsec__token_write_end(t, false);
        return NTSEC_STATUS_INVALID_PRIMARY_GROUP;
    }
    if (ntsec__sidlen(sid) + (t->default_dacl ? t->default_dacl->size : 0) > dynamic_charged(t)) {
        ntsec__token_write_end(t, false);
        return NTSEC_STATUS_ALLOTTED_SPACE_EXCEEDED;
    }
    atomic_store_explicit(&t->primary_group_pos, pos, memory_order_relaxed);
    ntsec__token_write_end(t, true);
    return NTSEC_STATUS_SUCCESS;
}

/* TokenDefaultDacl: an ACL, copied and checked (an AclSize below 8 or an
 * ACL RtlValidAcl refuses: STATUS_INVALID_ACL), or NULL to remove the
 * default DACL (TOKEN_DEFAULT_DACL, Microsoft docs; ReactOS apitest
 * NtSetInformationToken.c sets and restores one). It is charged at its
 * size rounded up to 4 (ntsec's choice); one that does not fit the dynamic
 * charge beside the primary group fails with STATUS_ALLOTTED_SPACE_EXCEEDED
 * ([MS-ERREF] 2.3.1, see set_primary_group). The copy is made before the
 * lock is taken so that a failure changes nothing; the old DACL is freed after it
 * is released (readers copy it under the lock). Windows answers a failed
 * allocation with STATUS_INSUFFICIENT_RESOURCES; libsec's convention is
 * STATUS_NO_MEMORY. */
static ntsec_status set_default_dacl(struct ntsec_token *t, const void *buf, uint32_t size)
{
    const struct ntsec_acl *acl;
    struct ntsec_acl *copy = NULL, *old;

    if (size < 8)
        return NTSEC_STATUS_INFO_LENGTH_MISMATCH;
    acl = read_pointer(buf);
    if (acl) {
        if (!ntsec_acl_is_valid(acl))
            return NTSEC_STATUS_INVALID_ACL;
        if (!(copy = ntsec__alloc(acl->size)))
            return NTSEC_STATUS_NO_MEMORY;
        memcpy(copy, acl, acl->size);
    }
    ntsec__token_write_begin(t);
    if ((copy ? (copy->size + 3u) & ~3u : 0) +
            ntsec__sidlen(t->sids[atomic_load_explicit(&t->primary_group_pos,
                                                       memory_order_relaxed)].sid) >
        dynamic_charged(t)) {
        ntsec__token_write_end(t, false);
        ntsec__free(copy);
        return NTSEC_STATUS_ALLOTTED_SPACE_EXCEEDED;
    }
    old = t->default_dacl;
    t->default_dacl = copy;
    ntsec__token_write_end(t, true);
    ntsec__free(old);
    return NTSEC_STATUS_SUCCESS;
}

/* TokenIntegrityLevel: a SID_AND_ATTRIBUTES whose SID is a mandatory
 * label (S-1-16-x) with x at most 0x4000 (System), else
 * STATUS_INVALID_LABEL; its attributes are ignored. Lowering is free and
 * clears UIAccess; raising needs SeTcbPrivilege (not SeRelabelPrivilege,
 * which is about object labels). Below High and below Medium some
 * privileges are disabled (see above). A token without a label:
 * STATUS_INVALID_LABEL. Beyond the structure (TOKEN_MANDATORY_LABEL,
 * Microsoft docs) these rules are ntsec's choices; no public source found
 * for the statuses, the privilege, or the UIAccess clearing. */
static ntsec_status set_integrity(struct ntsec_token *t, const void *buf, uint32_t size,
                                  const struct ntsec_token *caller)
{
    const struct ntsec_sid *sid;
    ntsec_status st;
    uint32_t rid, cur;
    uint64_t enabled, by_default;

    if (size < 16)
        return NTSEC_STATUS_INFO_LENGTH_MISMATCH;
    sid = read_pointer(buf);
    if (!ntsec_success(st = capture_sid(sid)))
        return st;
    if (ntsec_sid_authority(sid) != LABEL_AUTHORITY)
        return NTSEC_STATUS_INVALID_LABEL;
    rid = ntsec_sid_rid(sid);
    if (rid > NTSEC_MANDATORY_SYSTEM)
        return NTSEC_STATUS_INVALID_LABEL;

    ntsec__token_write_begin(t);
    if (t->integrity_pos == NTSEC__NO_INDEX) {
        ntsec__token_write_end(t, false);
        return NTSEC_STATUS_INVALID_LABEL;
    }
    cur = atomic_load_explicit(&t->integrity_rid, memory_order_relaxed);
    if (rid > cur && !held(caller, NTSEC_SE_TCB_PRIVILEGE)) {
        ntsec__token_write_end(t, false);
        return NTSEC_STATUS_PRIVILEGE_NOT_HELD;
    }
    if (rid < cur)
        atomic_store_explicit(&t->ui_access, false, memory_order_relaxed);
    atomic_store_explicit(&t->integrity_rid, rid, memory_order_relaxed);
    enabled = atomic_load_explicit(&t->priv_enabled, memory_order_relaxed);
    by_default = atomic_load_explicit(&t->priv_enabled_by_default, memory_order_relaxed);
    if (rid < NTSEC_MANDATORY_HIGH) {
        enabled &= ~BELOW_HIGH_DISABLED;
        by_default &= ~BELOW_HIGH_DISABLED;
    }
    if (rid < NTSEC_MANDATORY_MEDIUM) {
        enabled &= BELOW_MEDIUM_KEPT;
        by_default &= BELOW_MEDIUM_KEPT;
    }
    atomic_store_explicit(&t->priv_enabled, enabled, memory_order_relaxed);
    atomic_store_explicit(&t->priv_enabled_by_default, by_default, memory_order_relaxed);
    ntsec__token_write_end(t, true);
    return NTSEC_STATUS_SUCCESS;
}

/* TokenAuditPolicy: SeTcbPrivilege first (before the length); once only
 * (a second set is STATUS_INVALID_PARAMETER); a NULL buffer records "no
 * per-user policy"; a buffer shorter than sizeof(TOKEN_AUDIT_POLICY) is
 * STATUS_INFO_LENGTH_MISMATCH. ntsec's choices; no public source found. */
static ntsec_status set_audit_policy(struct ntsec_token *t, const void *buf, uint32_t size,
                                     const struct ntsec_token *caller)
{
    if (!held(caller, NTSEC_SE_TCB_PRIVILEGE))
        return NTSEC_STATUS_PRIVILEGE_NOT_HELD;
    if (buf && size < NTSEC__AUDIT_POLICY_SIZE)
        return NTSEC_STATUS_INFO_LENGTH_MISMATCH;
    ntsec__token_write_begin(t);
    if (t->audit_policy_state) {
        ntsec__token_write_end(t, false);
        return NTSEC_STATUS_INVALID_PARAMETER;
    }
    if (buf)
        memcpy(t->audit_policy, buf, NTSEC__AUDIT_POLICY_SIZE);
    t->audit_policy_state = buf ? 2 : 1;
    ntsec__token_write_end(t, true);
    return NTSEC_STATUS_SUCCESS;
}

/* The classes taking a 4-byte value, with the privilege each needs. */
enum value_rule {
    NEEDS_NOTHING,
    NEEDS_TCB,              /* SeTcbPrivilege */
    NEEDS_TCB_TO_SET,       /* SeTcbPrivilege to set a non-zero value */
    NEEDS_CREATE_TOKEN,     /* SeCreateTokenPrivilege */
};

static const struct {
    enum ntsec_token_info_class cls;
    enum value_rule rule;
} dword_classes[] = {
    { NTSEC_TOKEN_SESSION_ID, NEEDS_TCB },
    { NTSEC_TOKEN_SESSION_REFERENCE, NEEDS_TCB },
    { NTSEC_TOKEN_VIRTUALIZATION_ALLOWED, NEEDS_CREATE_TOKEN },
    { NTSEC_TOKEN_VIRTUALIZATION_ENABLED, NEEDS_NOTHING },
    { NTSEC_TOKEN_UI_ACCESS, NEEDS_TCB_TO_SET },
    { NTSEC_TOKEN_MANDATORY_POLICY, NEEDS_TCB },
};

static ntsec_status set_dword(struct ntsec_token *t, enum ntsec_token_info_class cls,
                              enum value_rule rule, uint32_t v, const struct ntsec_token *caller)
{
    bool modified = true;

    if ((rule == NEEDS_TCB && !held(caller, NTSEC_SE_TCB_PRIVILEGE)) ||
        (rule == NEEDS_TCB_TO_SET && v && !held(caller, NTSEC_SE_TCB_PRIVILEGE)) ||
        (rule == NEEDS_CREATE_TOKEN && !held(caller, NTSEC_SE_CREATE_TOKEN_PRIVILEGE)))
        return NTSEC_STATUS_PRIVILEGE_NOT_HELD;
    /* Only 0 may be set: it stops the token referencing its logon
     * session. The mandatory policy takes NO_WRITE_UP | NEW_PROCESS_MIN
     * only (TOKEN_MANDATORY_POLICY_VALID_MASK, winnt.h). Both refusals'
     * STATUS_INVALID_PARAMETER is ntsec's choice; unverified. */
    if ((cls == NTSEC_TOKEN_SESSION_REFERENCE && v) ||
        (cls == NTSEC_TOKEN_MANDATORY_POLICY && (v & ~NTSEC_TOKEN_MANDATORY_POLICY_VALID_MASK)))
        return NTSEC_STATUS_INVALID_PARAMETER;

    ntsec__token_write_begin(t);
    switch (cls) {
    case NTSEC_TOKEN_SESSION_ID:
        atomic_store_explicit(&t->session_id, v, memory_order_relaxed);
        break;
    case NTSEC_TOKEN_SESSION_REFERENCE:
        atomic_store_explicit(&t->session_unreferenced, true, memory_order_relaxed);
        modified = false;
        break;
    case NTSEC_TOKEN_VIRTUALIZATION_ALLOWED:
        atomic_store_explicit(&t->virtualization_allowed, v != 0, memory_order_relaxed);
        break;
    case NTSEC_TOKEN_VIRTUALIZATION_ENABLED:
        /* Enabling takes effect only where virtualization is allowed;
         * either way the call succeeds (ntsec's choice; unverified). */
        if (!v || atomic_load_explicit(&t->virtualization_allowed, memory_order_relaxed))
            atomic_store_explicit(&t->virtualization_enabled, v != 0, memory_order_relaxed);
        break;
    case NTSEC_TOKEN_UI_ACCESS:
        atomic_store_explicit(&t->ui_access, v != 0, memory_order_relaxed);
        break;
    default:                            /* NTSEC_TOKEN_MANDATORY_POLICY */
        atomic_store_explicit(&t->mandatory_policy, v, memory_order_relaxed);
        break;
    }
    ntsec__token_write_end(t, modified);
    return NTSEC_STATUS_SUCCESS;
}

/* TokenOrigin: SeTcbPrivilege; the origin is set only while it is zero
 * (later calls succeed and change nothing but ModifiedId). */
static ntsec_status set_origin(struct ntsec_token *t, const void *buf,
                               const struct ntsec_token *caller)
{
    uint64_t v;

    if (!held(caller, NTSEC_SE_TCB_PRIVILEGE))
        return NTSEC_STATUS_PRIVILEGE_NOT_HELD;
    memcpy(&v, buf, 8);
    ntsec__token_write_begin(t);
    if (!atomic_load_explicit(&t->origin, memory_order_relaxed))
        atomic_store_explicit(&t->origin, v, memory_order_relaxed);
    ntsec__token_write_end(t, true);
    return NTSEC_STATUS_SUCCESS;
}

ntsec_status ntsec_token_set(struct ntsec_token *token, enum ntsec_token_info_class cls,
                             const void *buf, uint32_t size, const struct ntsec_token *caller)
{
    switch (cls) {
    case NTSEC_TOKEN_OWNER:
    case NTSEC_TOKEN_PRIMARY_GROUP:
    case NTSEC_TOKEN_DEFAULT_DACL:
    case NTSEC_TOKEN_SESSION_ID:
    case NTSEC_TOKEN_SESSION_REFERENCE:
    case NTSEC_TOKEN_AUDIT_POLICY:
    case NTSEC_TOKEN_ORIGIN:
    case NTSEC_TOKEN_LINKED_TOKEN:
    case NTSEC_TOKEN_VIRTUALIZATION_ALLOWED:
    case NTSEC_TOKEN_VIRTUALIZATION_ENABLED:
    case NTSEC_TOKEN_INTEGRITY_LEVEL:
    case NTSEC_TOKEN_UI_ACCESS:
    case NTSEC_TOKEN_MANDATORY_POLICY:
        break;
    default:
        return NTSEC_STATUS_INVALID_INFO_CLASS;
    }
    if (!token)
        return NTSEC_STATUS_INVALID_HANDLE;

    /* The audit policy: privilege first, and a NULL buffer has a meaning. */
    if (cls == NTSEC_TOKEN_AUDIT_POLICY)
        return set_audit_policy(token, buf, size, caller);
    /* Lengths before anything is read. */
    if (cls == NTSEC_TOKEN_OWNER || cls == NTSEC_TOKEN_PRIMARY_GROUP ||
        cls == NTSEC_TOKEN_DEFAULT_DACL) {
        if (size < 8)
            return NTSEC_STATUS_INFO_LENGTH_MISMATCH;
    } else if (cls == NTSEC_TOKEN_INTEGRITY_LEVEL) {
        if (size < 16)
            return NTSEC_STATUS_INFO_LENGTH_MISMATCH;
    } else if (size != (cls == NTSEC_TOKEN_ORIGIN || cls == NTSEC_TOKEN_LINKED_TOKEN ? 8u : 4u)) {
        return NTSEC_STATUS_INFO_LENGTH_MISMATCH;
    }
    if (!buf)
        return NTSEC_STATUS_ACCESS_VIOLATION;

    switch (cls) {
    case NTSEC_TOKEN_OWNER:
        return set_owner(token, buf, size);
    case NTSEC_TOKEN_PRIMARY_GROUP:
        return set_primary_group(token, buf, size);
    case NTSEC_TOKEN_DEFAULT_DACL:
        return set_default_dacl(token, buf, size);
    case NTSEC_TOKEN_INTEGRITY_LEVEL:
        return set_integrity(token, buf, size, caller);
    case NTSEC_TOKEN_ORIGIN:
        return set_origin(token, buf, caller);
    case NTSEC_TOKEN_LINKED_TOKEN:
        /* Windows links the token whose handle the buffer holds (Forshaw
         * ch. 4, Linked Tokens: LSASS "calls NtSetInformationToken to link
         * the two tokens together"); the native API takes no
         * handles, and ntsec links a UAC pair when it creates the tokens
         * (ntsec_token_desc.linked_token). */
        return NTSEC_STATUS_INVALID_INFO_CLASS;
    default:
        for (size_t i = 0; i < sizeof(dword_classes) / sizeof(dword_classes[0]); i++)
            if (dword_classes[i].cls == cls)
                return set_dword(token, cls, dword_classes[i].rule, read32(buf), caller);
        return NTSEC_STATUS_INVALID_INFO_CLASS;
    }
}
