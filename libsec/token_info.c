/* token_info.c - NtQueryInformationToken: a token's information classes
 * TokenUser (1) to TokenIsAppContainer (29) in Windows' x64 binary layout.
 *
 * Sources, per class: the Microsoft documentation of GetTokenInformation
 * and the TOKEN_* structures (winnt.h); Windows results asserted by ReactOS
 * apitest NtQueryInformationToken.c (STATUS_BUFFER_TOO_SMALL with the size
 * for a short buffer; TokenImpersonationLevel of a primary token
 * STATUS_INVALID_INFO_CLASS) and Wine's dlls/advapi32/tests/security.c
 * (test_token_attr, test_GetTokenInformation); ReactOS
 * ntoskrnl/se/tokencls.c read for behaviour (SID arrays copied with
 * RtlCopySidAndAttributesArray, SIDs packed after the array). Where a rule
 * below has no such source it says so: those are ntsec's choices.
 * - *needed receives the size of the answer whenever the class is valid
 *   for the token, also when the buffer is too small; the answer is
 *   written only when it fits. Too small is STATUS_BUFFER_TOO_SMALL for
 *   every class, fixed or variable size: Windows returns no
 *   STATUS_BUFFER_OVERFLOW (partial data) for any class here.
 * - Exceptions: TokenImpersonationLevel on a primary token is
 *   STATUS_INVALID_INFO_CLASS (ReactOS apitest above). Unverified (ntsec's
 *   choices; no public source found): TokenElevation and TokenLinkedToken
 *   want exactly their size (STATUS_INFO_LENGTH_MISMATCH otherwise);
 *   TokenHasRestrictions is one byte; TokenSessionReference (a set-only
 *   class) is STATUS_INVALID_INFO_CLASS; *needed is left untouched by
 *   those; TokenLogonSid on a token without a logon SID is
 *   STATUS_NOT_FOUND.
 * - Arrays of SID_AND_ATTRIBUTES are followed in the same buffer by the
 *   SIDs they point to, packed (each SID's length is a multiple of 4, so
 *   every SID is 4-byte aligned; the first starts right after the array,
 *   8-byte aligned).
 * - TokenLinkedToken answers a handle to the linked token on Windows.
 *   libsec has no handle table: after the length check it returns
 *   STATUS_INVALID_INFO_CLASS, and the Windows layer answers the class
 *   with ntsec_token_linked() and its own handles.
 * - TokenAuditPolicy needs SeSecurityPrivilege in the caller, checked
 *   first (STATUS_PRIVILEGE_NOT_HELD; unverified, ntsec's choice). This
 *   function, like
 *   SeQueryInformationToken, has no caller: the Windows layer checks the
 *   privilege before calling.
 *
 * A reader takes no lock: it reads under the token's seqlock and starts
 * again when a writer ran (token.h). The default DACL, the audit policy
 * and TokenStatistics (which sizes the DACL) are read under the token's
 * mutex instead. Nothing is allocated. If a writer changes the token
 * while a too-small buffer is being answered, the buffer may hold part
 * of the earlier attempt (Windows' buffer contents are undefined on
 * failure too). */
#include <stdatomic.h>
#include <string.h>

#include "ntsec/token.h"
#include "token.h"
#include "token_info.h"

#define LABEL_AUTHORITY 16

static inline struct ntsec_token *mut(const struct ntsec_token *t)
{
    return (struct ntsec_token *)t;
}

static inline uint32_t ld32(_Atomic uint32_t *p)
{
    return atomic_load_explicit(p, memory_order_relaxed);
}

static inline uint64_t ld64(_Atomic uint64_t *p)
{
    return atomic_load_explicit(p, memory_order_relaxed);
}

static inline bool ldb(_Atomic bool *p)
{
    return atomic_load_explicit(p, memory_order_relaxed);
}

/* --- shared writers (token_info.h) ----------------------------------- */

uint32_t ntsec__sid_list_size(const struct ntsec__sid_list *l, bool round8)
{
    uint32_t n = 0;

    for (uint32_t i = 0; i < l->count; i++) {
        uint32_t len = ntsec__sidlen(l->e[i].sid);

        n += round8 ? (len + 7u) & ~7u : len;
    }
    return n;
}

void ntsec__sid_list_put(const struct ntsec__sid_list *l, uint8_t *arr, uint8_t *sids)
{
    for (uint32_t i = 0; i < l->count; i++) {
        const struct ntsec_sid *sid = l->e[i].sid;
        uint32_t len = ntsec__sidlen(sid);

        ntsec__putptr(arr + 16 * i, sids);
        ntsec__put32(arr + 16 * i + 8,
                     ld32(&((struct ntsec__token_sid *)&l->e[i])->attributes));
        ntsec__put32(arr + 16 * i + 12, 0);
        memcpy(sids, sid, len);
        if (i == l->label && sid->sub_authority_count)
            ntsec__put32(sids + len - 4, l->rid);
        sids += len;
    }
}

uint32_t ntsec__privilege_count(uint64_t present)
{
    return (uint32_t)__builtin_popcountll(present);
}

void ntsec__privileges_put(uint8_t *dst, uint64_t present, uint64_t enabled, uint64_t by_default)
{
    for (uint32_t n = NTSEC_SE_MIN_PRIVILEGE; n <= NTSEC_SE_MAX_PRIVILEGE; n++) {
        uint64_t bit = 1ull << n;

        if (!(present & bit))
            continue;
        ntsec__put32(dst, n);           /* LUID LowPart */
        ntsec__put32(dst + 4, 0);       /* HighPart */
        ntsec__put32(dst + 8, ((enabled & bit) ? NTSEC_SE_PRIVILEGE_ENABLED : 0) |
                                  ((by_default & bit) ? NTSEC_SE_PRIVILEGE_ENABLED_BY_DEFAULT : 0));
        dst += 12;
    }
}

/* The TokenFlags bits that follow an enabled privilege (set and cleared
 * with it: ReactOS ntoskrnl/se/token.c, SepUpdateSinglePrivilegeFlagToken,
 * called whenever a privilege's attributes change). */
static const struct {
    uint32_t flag;
    uint32_t privilege;
} privilege_flags[] = {
    { NTSEC__TOKEN_HAS_TRAVERSE_PRIVILEGE, NTSEC_SE_CHANGE_NOTIFY_PRIVILEGE },
    { NTSEC__TOKEN_HAS_BACKUP_PRIVILEGE, NTSEC_SE_BACKUP_PRIVILEGE },
    { NTSEC__TOKEN_HAS_RESTORE_PRIVILEGE, NTSEC_SE_RESTORE_PRIVILEGE },
    { NTSEC__TOKEN_HAS_IMPERSONATE_PRIVILEGE, NTSEC_SE_IMPERSONATE_PRIVILEGE },
};

uint32_t ntsec__token_flags(const struct ntsec_token *t)
{
    struct ntsec_token *m = mut(t);
    uint64_t enabled = ld64(&m->priv_enabled);
    uint32_t f = 0;

    for (size_t i = 0; i < sizeof(privilege_flags) / sizeof(privilege_flags[0]); i++)
        if (enabled & (1ull << privilege_flags[i].privilege))
            f |= privilege_flags[i].flag;
    if (t->write_restricted)
        f |= NTSEC__TOKEN_WRITE_RESTRICTED;
    if (t->restricted_count)
        f |= NTSEC__TOKEN_IS_RESTRICTED;
    if (ldb(&m->session_unreferenced))
        f |= NTSEC__TOKEN_SESSION_NOT_REFERENCED;
    if (t->sandbox_inert)
        f |= NTSEC__TOKEN_SANDBOX_INERT;
    if (ldb(&m->virtualization_allowed))
        f |= NTSEC__TOKEN_VIRTUALIZE_ALLOWED;
    if (ldb(&m->virtualization_enabled))
        f |= NTSEC__TOKEN_VIRTUALIZE_ENABLED;
    if (t->filtered)
        f |= NTSEC__TOKEN_IS_FILTERED;
    if (ldb(&m->ui_access))
        f |= NTSEC__TOKEN_UIACCESS;
    /* Set at Medium and above: Forshaw, Windows Security Internals ch. 4,
     * Listings 4-24 and 4-25 show NotLow on High and Medium tokens; that
     * Low and below lack it is ntsec's reading of the name (unverified). */
    if (ld32(&m->integrity_rid) >= NTSEC_MANDATORY_MEDIUM)
        f |= NTSEC__TOKEN_NOT_LOW;
    return f;
}

/* --- TokenElevation ---------------------------------------------------- */

/* Privileges whose presence (enabled or not) makes a token elevated:
 * SeCreateToken, SeTcb, SeTakeOwnership, SeLoadDriver, SeBackup,
 * SeRestore, SeDebug, SeImpersonate, SeRelabel and
 * SeDelegateSessionUserImpersonate (Forshaw, Windows Security Internals
 * ch. 4, "What Makes an Administrator User?": "The privilege doesn't have
 * to be enabled, just available in the token"). */
#define ELEVATING_PRIVILEGES 0x1120160684ull

/* The last RIDs that make a group elevating: "114, 498, 512, 516, 517,
 * 518, 519, 520, 521, 544, 547, 548, 549, 550, 551, 553, 554, 556, or
 * 569"; the kernel "inspects only the last RID of the SID", whatever its
 * prefix (Forshaw, Windows Security Internals ch. 4, "What Makes an
 * Administrator User?"). They are the groups UAC filters from a standard
 * user's token ("How User Account Control works", Microsoft docs) and
 * S-1-5-114 (local account and member of Administrators). */
static const uint32_t lua_rids[] = {
    114, 498, 512, 516, 517, 518, 519, 520, 521, 544,
    547, 548, 549, 550, 551, 553, 554, 556, 569,
};

bool ntsec__rid_is_elevated(uint32_t rid)
{
    for (size_t i = 0; i < sizeof(lua_rids) / sizeof(lua_rids[0]); i++)
        if (lua_rids[i] == rid)
            return true;
    return false;
}

static uint32_t token_elevation(const struct ntsec_token *t)
{
    struct ntsec_token *m = mut(t);

    if (ld64(&m->priv_present) & ELEVATING_PRIVILEGES)
        return 1;
    /* The user and every group that is neither deny-only nor the label. */
    for (uint32_t i = 0; i < t->sid_count; i++) {
        uint32_t a = ld32(&m->sids[i].attributes);

        if (a & (NTSEC_SE_GROUP_USE_FOR_DENY_ONLY | NTSEC_SE_GROUP_INTEGRITY))
            continue;
        if (ntsec__rid_is_elevated(ntsec_sid_rid(t->sids[i].sid)))
            return 1;
    }
    return 0;
}

/* --- the DWORD-sized classes ------------------------------------------- */

static uint32_t get_type(const struct ntsec_token *t) { return t->type; }
static uint32_t get_level(const struct ntsec_token *t) { return t->level; }
static uint32_t get_session(const struct ntsec_token *t) { return ld32(&mut(t)->session_id); }
static uint32_t get_inert(const struct ntsec_token *t) { return t->sandbox_inert; }
static uint32_t get_elevation_type(const struct ntsec_token *t) { return t->elevation_type; }
static uint32_t get_virt_allowed(const struct ntsec_token *t)
{
    return ldb(&mut(t)->virtualization_allowed);
}
static uint32_t get_virt_enabled(const struct ntsec_token *t)
{
    return ldb(&mut(t)->virtualization_enabled);
}
static uint32_t get_ui_access(const struct ntsec_token *t) { return ldb(&mut(t)->ui_access); }
static uint32_t get_policy(const struct ntsec_token *t) { return ld32(&mut(t)->mandatory_policy); }
/* ntsec makes no AppContainer (lowbox) tokens. */
static uint32_t get_app_container(const struct ntsec_token *t) { (void)t; return 0; }

/* Classes answered with one DWORD: TOKEN_TYPE, SECURITY_IMPERSONATION_LEVEL,
 * ULONG session, BOOL-like flags, TOKEN_ELEVATION_TYPE, the mandatory
 * policy. */
static const struct {
    enum ntsec_token_info_class cls;
    uint32_t (*get)(const struct ntsec_token *t);
} dword_classes[] = {
    { NTSEC_TOKEN_TYPE, get_type },
    { NTSEC_TOKEN_IMPERSONATION_LEVEL, get_level },
    { NTSEC_TOKEN_SESSION_ID, get_session },
    { NTSEC_TOKEN_SANDBOX_INERT, get_inert },
    { NTSEC_TOKEN_ELEVATION_TYPE, get_elevation_type },
    { NTSEC_TOKEN_VIRTUALIZATION_ALLOWED, get_virt_allowed },
    { NTSEC_TOKEN_VIRTUALIZATION_ENABLED, get_virt_enabled },
    { NTSEC_TOKEN_UI_ACCESS, get_ui_access },
    { NTSEC_TOKEN_MANDATORY_POLICY, get_policy },
    { NTSEC_TOKEN_IS_APP_CONTAINER, get_app_container },
};

/* --- answers read under the seqlock ------------------------------------ */

static struct ntsec__sid_list user_and_groups(const struct ntsec_token *t, uint32_t first)
{
    struct ntsec__sid_list l = {
        t->sids + first, t->sid_count - first,
        t->integrity_pos == NTSEC__NO_INDEX ? NTSEC__NO_INDEX : t->integrity_pos - first,
        ld32(&mut(t)->integrity_rid),
    };
    return l;
}

/* TOKEN_GROUPS: GroupCount, padding, the array at +8, then the SIDs. */
static ntsec_status put_groups(const struct ntsec__sid_list *l, uint8_t *buf, uint32_t size,
                               uint32_t *need)
{
    *need = 8 + 16 * l->count + ntsec__sid_list_size(l, false);
    if (size < *need)
        return NTSEC_STATUS_BUFFER_TOO_SMALL;
    ntsec__put32(buf, l->count);
    ntsec__put32(buf + 4, 0);
    ntsec__sid_list_put(l, buf + 8, buf + 8 + 16 * l->count);
    return NTSEC_STATUS_SUCCESS;
}

/* TOKEN_OWNER / TOKEN_PRIMARY_GROUP: a pointer, then the SID. */
static ntsec_status put_sid_pointer(const struct ntsec_token *t, uint32_t pos, uint8_t *buf,
                                    uint32_t size, uint32_t *need)
{
    struct ntsec__sid_list l = user_and_groups(t, 0);
    uint8_t scratch[16];

    l.e += pos;
    l.count = 1;
    l.label = pos == t->integrity_pos ? 0 : NTSEC__NO_INDEX;
    *need = 8 + ntsec__sidlen(l.e->sid);
    if (size < *need)
        return NTSEC_STATUS_BUFFER_TOO_SMALL;
    /* The SID-list writer also writes attributes; keep only the SID. */
    ntsec__sid_list_put(&l, scratch, buf + 8);
    ntsec__putptr(buf, buf + 8);
    return NTSEC_STATUS_SUCCESS;
}

static ntsec_status put_privileges(const struct ntsec_token *t, uint8_t *buf, uint32_t size,
                                   uint32_t *need)
{
    struct ntsec_token *m = mut(t);
    uint64_t present = ld64(&m->priv_present);
    uint32_t n = ntsec__privilege_count(present);

    /* sizeof(TOKEN_PRIVILEGES) holds one entry: 16 bytes for 0 or 1. */
    *need = n <= 1 ? 16 : 4 + 12 * n;
    if (size < *need)
        return NTSEC_STATUS_BUFFER_TOO_SMALL;
    ntsec__put32(buf, n);
    ntsec__privileges_put(buf + 4, present, ld64(&m->priv_enabled),
                          ld64(&m->priv_enabled_by_default));
    return NTSEC_STATUS_SUCCESS;
}

/* TOKEN_MANDATORY_LABEL: a SID_AND_ATTRIBUTES, then the SID. A token
 * without a label reads as S-1-16-0 (Untrusted) with INTEGRITY |
 * INTEGRITY_ENABLED: ntsec's choice; no public source found. */
static ntsec_status put_integrity(const struct ntsec_token *t, uint8_t *buf, uint32_t size,
                                  uint32_t *need)
{
    uint32_t rid, attributes;
    struct ntsec_sid label;

    if (t->integrity_pos != NTSEC__NO_INDEX) {
        rid = ld32(&mut(t)->integrity_rid);
        attributes = ld32(&mut(t)->sids[t->integrity_pos].attributes);
    } else {
        rid = NTSEC_MANDATORY_UNTRUSTED;
        attributes = NTSEC_SE_GROUP_INTEGRITY | NTSEC_SE_GROUP_INTEGRITY_ENABLED;
    }
    ntsec_sid_init(&label, LABEL_AUTHORITY, 1, &rid);
    *need = 16 + ntsec__sidlen(&label);
    if (size < *need)
        return NTSEC_STATUS_BUFFER_TOO_SMALL;
    ntsec__putptr(buf, buf + 16);
    ntsec__put32(buf + 8, attributes);
    ntsec__put32(buf + 12, 0);
    memcpy(buf + 16, &label, ntsec__sidlen(&label));
    return NTSEC_STATUS_SUCCESS;
}

/* Answer `cls` inside one seqlock section. *tell says whether *need is
 * to be reported. */
static ntsec_status answer(const struct ntsec_token *t, enum ntsec_token_info_class cls,
                           uint8_t *buf, uint32_t size, uint32_t *need, bool *tell)
{
    struct ntsec_token *m = mut(t);
    struct ntsec__sid_list l;

    *tell = true;
    for (size_t i = 0; i < sizeof(dword_classes) / sizeof(dword_classes[0]); i++) {
        if (dword_classes[i].cls != cls)
            continue;
        *need = 4;
        if (size < 4)
            return NTSEC_STATUS_BUFFER_TOO_SMALL;
        ntsec__put32(buf, dword_classes[i].get(t));
        return NTSEC_STATUS_SUCCESS;
    }

    switch (cls) {
    case NTSEC_TOKEN_USER:
        l = user_and_groups(t, 0);
        l.count = 1;
        *need = 16 + ntsec__sid_list_size(&l, false);
        if (size < *need)
            return NTSEC_STATUS_BUFFER_TOO_SMALL;
        ntsec__sid_list_put(&l, buf, buf + 16);
        return NTSEC_STATUS_SUCCESS;
    case NTSEC_TOKEN_GROUPS:
        l = user_and_groups(t, 1);
        return put_groups(&l, buf, size, need);
    case NTSEC_TOKEN_RESTRICTED_SIDS:
        l = (struct ntsec__sid_list){ t->restricted, t->restricted_count, NTSEC__NO_INDEX, 0 };
        return put_groups(&l, buf, size, need);
    case NTSEC_TOKEN_PRIVILEGES:
        return put_privileges(t, buf, size, need);
    case NTSEC_TOKEN_OWNER:
        return put_sid_pointer(t, ld32(&m->owner_pos), buf, size, need);
    case NTSEC_TOKEN_PRIMARY_GROUP:
        return put_sid_pointer(t, ld32(&m->primary_group_pos), buf, size, need);
    case NTSEC_TOKEN_SOURCE:
        *need = 16;
        if (size < 16)
            return NTSEC_STATUS_BUFFER_TOO_SMALL;
        memcpy(buf, t->source.name, 8);
        ntsec__put32(buf + 8, t->source.id.low);
        ntsec__put32(buf + 12, (uint32_t)t->source.id.high);
        return NTSEC_STATUS_SUCCESS;
    case NTSEC_TOKEN_ORIGIN:
        *need = 8;
        if (size < 8)
            return NTSEC_STATUS_BUFFER_TOO_SMALL;
        ntsec__put64(buf, ld64(&m->origin));
        return NTSEC_STATUS_SUCCESS;
    case NTSEC_TOKEN_GROUPS_AND_PRIVILEGES:
        return ntsec__token_query_groups_and_privileges(t, buf, size, need);
    case NTSEC_TOKEN_ACCESS_INFORMATION:
        return ntsec__token_query_access(t, buf, size, need);
    case NTSEC_TOKEN_ELEVATION:
        *need = 4;
        if (size != 4)
            return NTSEC_STATUS_INFO_LENGTH_MISMATCH;
        ntsec__put32(buf, token_elevation(t));
        return NTSEC_STATUS_SUCCESS;
    case NTSEC_TOKEN_HAS_RESTRICTIONS:
        /* One byte (BOOLEAN): filtered or restricted (TokenFlags & 0x810). */
        *need = 1;
        if (size < 1)
            return NTSEC_STATUS_BUFFER_TOO_SMALL;
        buf[0] = (ntsec__token_flags(t) &
                  (NTSEC__TOKEN_IS_FILTERED | NTSEC__TOKEN_IS_RESTRICTED)) != 0;
        return NTSEC_STATUS_SUCCESS;
    case NTSEC_TOKEN_INTEGRITY_LEVEL:
        return put_integrity(t, buf, size, need);
    case NTSEC_TOKEN_LOGON_SID:
        if (t->logon_sid_pos == NTSEC__NO_INDEX) {
            *tell = false;
            return NTSEC_STATUS_NOT_FOUND;
        }
        l = user_and_groups(t, t->logon_sid_pos);
        l.count = 1;
        return put_groups(&l, buf, size, need);
    case NTSEC_TOKEN_LINKED_TOKEN:
        *need = 8;
        if (size != 8)
            return NTSEC_STATUS_INFO_LENGTH_MISMATCH;
        *tell = false;
        return NTSEC_STATUS_INVALID_INFO_CLASS;
    default:
        *tell = false;
        return NTSEC_STATUS_INVALID_INFO_CLASS;
    }
}

/* --- answers read under the mutex ------------------------------------- */

static ntsec_status locked_answer(const struct ntsec_token *t, enum ntsec_token_info_class cls,
                                  uint8_t *buf, uint32_t size, uint32_t *need)
{
    struct ntsec_token *m = mut(t);
    const struct ntsec_acl *dacl = m->default_dacl;
    uint32_t dacl_size = dacl ? dacl->size : 0;
    uint32_t pg_len, charged;

    switch (cls) {
    case NTSEC_TOKEN_DEFAULT_DACL:
        /* TOKEN_DEFAULT_DACL: a pointer, NULL without a default DACL. */
        *need = 8 + dacl_size;
        if (size < *need)
            return NTSEC_STATUS_BUFFER_TOO_SMALL;
        ntsec__putptr(buf, dacl ? buf + 8 : NULL);
        if (dacl)
            memcpy(buf + 8, dacl, dacl_size);
        return NTSEC_STATUS_SUCCESS;
    case NTSEC_TOKEN_AUDIT_POLICY:
        *need = NTSEC__AUDIT_POLICY_SIZE;
        if (size < *need)
            return NTSEC_STATUS_BUFFER_TOO_SMALL;
        memcpy(buf, m->audit_policy, NTSEC__AUDIT_POLICY_SIZE);
        return NTSEC_STATUS_SUCCESS;
    default:                            /* NTSEC_TOKEN_STATISTICS */
        *need = 56;
        if (size < 56)
            return NTSEC_STATUS_BUFFER_TOO_SMALL;
        pg_len = ntsec__sidlen(t->sids[ld32(&m->primary_group_pos)].sid);
        charged = pg_len + dacl_size > NTSEC__TOKEN_DYNAMIC_CHARGE ? pg_len + dacl_size
                                                                     : NTSEC__TOKEN_DYNAMIC_CHARGE;
        ntsec__put64(buf, ntsec__luid_to_u64(t->token_id));
        ntsec__put64(buf + 8, ntsec__luid_to_u64(t->authentication_id));
        ntsec__put64(buf + 16, (uint64_t)t->expiration_time);
        ntsec__put32(buf + 24, t->type);
        ntsec__put32(buf + 28, t->level);
        ntsec__put32(buf + 32, charged);
        ntsec__put32(buf + 36, charged - pg_len - dacl_size);
        ntsec__put32(buf + 40, t->sid_count - 1);
        ntsec__put32(buf + 44, ntsec__privilege_count(ld64(&m->priv_present)));
        ntsec__put64(buf + 48, ld64(&m->modified_id));
        return NTSEC_STATUS_SUCCESS;
    }
}

ntsec_status ntsec_token_query(const struct ntsec_token *token, enum ntsec_token_info_class cls,
                               void *buf, uint32_t size, uint32_t *needed)
{
    ntsec_status st;
    uint32_t need = 0;
    bool tell = false;

    /* Windows probes the buffer and ReturnLength before anything else. */
    if (!needed || (!buf && size))
        return NTSEC_STATUS_ACCESS_VIOLATION;
    if (cls < NTSEC_TOKEN_USER || cls > NTSEC_TOKEN_IS_APP_CONTAINER ||
        cls == NTSEC_TOKEN_SESSION_REFERENCE)
        return NTSEC_STATUS_INVALID_INFO_CLASS;
    if (!token)
        return NTSEC_STATUS_INVALID_HANDLE;
    /* An impersonation level only an impersonation token has (Windows
     * result asserted by ReactOS apitest NtQueryInformationToken.c,
     * QueryTokenImpersonationTests); *needed is left alone (unverified). */
    if (cls == NTSEC_TOKEN_IMPERSONATION_LEVEL && token->type != NTSEC_TOKEN_IMPERSONATION)
        return NTSEC_STATUS_INVALID_INFO_CLASS;

    if (cls == NTSEC_TOKEN_DEFAULT_DACL || cls == NTSEC_TOKEN_STATISTICS ||
        cls == NTSEC_TOKEN_AUDIT_POLICY) {
        pthread_mutex_lock(&mut(token)->lock);
        st = locked_answer(token, cls, buf, size, &need);
        pthread_mutex_unlock(&mut(token)->lock);
        *needed = need;
        return st;
    }

    for (;;) {
        uint32_t seq = ntsec__token_read_begin(token);

        st = answer(token, cls, buf, size, &need, &tell);
        if (!ntsec__token_read_retry(token, seq))
            break;
    }
    if (tell)
        *needed = need;
    return st;
}
