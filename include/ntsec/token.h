/* ntsec/token.h - access tokens.
 *
 * A token is a counted kernel object (see ntsec/object.h): the security
 * context of a process (primary token) or of a thread acting for a client
 * (impersonation token). It holds a user, groups with attributes,
 * privileges, owner and primary group, a default DACL, a source, ids,
 * a session, restricted SIDs, an integrity level and mandatory policy,
 * claims, and for UAC an elevation type and linked token.
 *
 * Tokens are mutable (AdjustTokenPrivileges, AdjustTokenGroups,
 * SetTokenInformation) and shared between threads: every reader sees a
 * consistent state while another thread changes the token, without a
 * global lock. Every change bumps the token's ModifiedId. */
#ifndef NTSEC_TOKEN_H
#define NTSEC_TOKEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ntsec/acl.h"
#include "ntsec/privilege.h"
#include "ntsec/sid.h"
#include "ntsec/status.h"

struct ntsec_token;

enum ntsec_token_type {                 /* TOKEN_TYPE */
    NTSEC_TOKEN_PRIMARY       = 1,
    NTSEC_TOKEN_IMPERSONATION = 2,
};

enum ntsec_impersonation_level {        /* SECURITY_IMPERSONATION_LEVEL */
    NTSEC_SECURITY_ANONYMOUS      = 0,
    NTSEC_SECURITY_IDENTIFICATION = 1,
    NTSEC_SECURITY_IMPERSONATION  = 2,
    NTSEC_SECURITY_DELEGATION     = 3,
};

enum ntsec_elevation_type {             /* TOKEN_ELEVATION_TYPE */
    NTSEC_ELEVATION_DEFAULT = 1,
    NTSEC_ELEVATION_FULL    = 2,
    NTSEC_ELEVATION_LIMITED = 3,
};

/* Group attributes (SE_GROUP_*). */
#define NTSEC_SE_GROUP_MANDATORY          0x00000001u
#define NTSEC_SE_GROUP_ENABLED_BY_DEFAULT 0x00000002u
#define NTSEC_SE_GROUP_ENABLED            0x00000004u
#define NTSEC_SE_GROUP_OWNER              0x00000008u
#define NTSEC_SE_GROUP_USE_FOR_DENY_ONLY  0x00000010u
#define NTSEC_SE_GROUP_INTEGRITY          0x00000020u
#define NTSEC_SE_GROUP_INTEGRITY_ENABLED  0x00000040u
#define NTSEC_SE_GROUP_RESOURCE           0x20000000u
#define NTSEC_SE_GROUP_LOGON_ID           0xC0000000u
#define NTSEC_SE_GROUP_VALID_ATTRIBUTES   0xE000007Fu

/* TOKEN_MANDATORY_POLICY. */
#define NTSEC_TOKEN_MANDATORY_POLICY_OFF             0x0u
#define NTSEC_TOKEN_MANDATORY_POLICY_NO_WRITE_UP     0x1u
#define NTSEC_TOKEN_MANDATORY_POLICY_NEW_PROCESS_MIN 0x2u
#define NTSEC_TOKEN_MANDATORY_POLICY_VALID_MASK      0x3u

/* Integrity levels: the RID of the mandatory label S-1-16-RID. */
#define NTSEC_MANDATORY_UNTRUSTED   0x0000u
#define NTSEC_MANDATORY_LOW         0x1000u
#define NTSEC_MANDATORY_MEDIUM      0x2000u
#define NTSEC_MANDATORY_MEDIUM_PLUS 0x2100u
#define NTSEC_MANDATORY_HIGH        0x3000u
#define NTSEC_MANDATORY_SYSTEM      0x4000u
#define NTSEC_MANDATORY_PROTECTED   0x5000u

/* Token access rights (TOKEN_*), for handles in the Windows layer. */
#define NTSEC_TOKEN_ASSIGN_PRIMARY    0x0001u
#define NTSEC_TOKEN_DUPLICATE         0x0002u
#define NTSEC_TOKEN_IMPERSONATE       0x0004u
#define NTSEC_TOKEN_QUERY             0x0008u
#define NTSEC_TOKEN_QUERY_SOURCE      0x0010u
#define NTSEC_TOKEN_ADJUST_PRIVILEGES 0x0020u
#define NTSEC_TOKEN_ADJUST_GROUPS     0x0040u
#define NTSEC_TOKEN_ADJUST_DEFAULT    0x0080u
#define NTSEC_TOKEN_ADJUST_SESSIONID  0x0100u
#define NTSEC_TOKEN_ALL_ACCESS        0x000F01FFu

/* SID_AND_ATTRIBUTES, binary compatible with Windows' x64 layout. */
struct ntsec_sid_and_attributes {
    const struct ntsec_sid *sid;
    uint32_t attributes;
};

struct ntsec_token_source {             /* TOKEN_SOURCE */
    char name[8];
    struct ntsec_luid id;
};

/* --- claims (CLAIM_SECURITY_ATTRIBUTE_*) ------------------------------ */

enum ntsec_claim_type {
    NTSEC_CLAIM_INT64        = 0x01,
    NTSEC_CLAIM_UINT64       = 0x02,
    NTSEC_CLAIM_STRING       = 0x03,
    NTSEC_CLAIM_SID          = 0x05,
    NTSEC_CLAIM_BOOLEAN      = 0x06,
    NTSEC_CLAIM_OCTET_STRING = 0x10,
};

#define NTSEC_CLAIM_NON_INHERITABLE  0x0001u
#define NTSEC_CLAIM_VALUE_CASE_SENSITIVE 0x0002u
#define NTSEC_CLAIM_USE_FOR_DENY_ONLY 0x0004u
#define NTSEC_CLAIM_DISABLED_BY_DEFAULT 0x0008u
#define NTSEC_CLAIM_DISABLED         0x0010u
#define NTSEC_CLAIM_MANDATORY        0x0020u

struct ntsec_claim_value {
    union {
        int64_t  i64;                   /* INT64 */
        uint64_t u64;                   /* UINT64, BOOLEAN (0 or 1) */
        const char *string;             /* STRING, UTF-8 */
        const struct ntsec_sid *sid;    /* SID */
        struct { const uint8_t *data; size_t len; } octets;  /* OCTET_STRING */
    };
};

struct ntsec_claim {
    const char *name;                   /* UTF-8, compared without case */
    enum ntsec_claim_type type;
    uint32_t flags;
    size_t value_count;
    const struct ntsec_claim_value *values;
};

/* --- creation --------------------------------------------------------- */

/* Everything a new token holds; the token copies it all. Unset (zero)
 * fields take the defaults given. */
struct ntsec_token_desc {
    enum ntsec_token_type type;
    enum ntsec_impersonation_level level;       /* impersonation tokens */
    struct ntsec_sid_and_attributes user;       /* attributes 0 or USE_FOR_DENY_ONLY */
    const struct ntsec_sid_and_attributes *groups;  /* may include one integrity label */
    size_t group_count;
    const struct ntsec_luid_and_attributes *privileges;
    size_t privilege_count;
    const struct ntsec_sid *owner;              /* NULL: the user */
    const struct ntsec_sid *primary_group;      /* NULL: the user */
    const struct ntsec_acl *default_dacl;       /* NULL: none */
    struct ntsec_token_source source;
    struct ntsec_luid authentication_id;        /* zero: a new logon session LUID */
    struct ntsec_luid origin;
    uint32_t session_id;
    const struct ntsec_sid_and_attributes *restricted_sids;
    size_t restricted_count;
    bool write_restricted;
    uint32_t mandatory_policy;                  /* NTSEC_TOKEN_MANDATORY_POLICY_*; 0: NO_WRITE_UP |
                                                   NEW_PROCESS_MIN (see ntsec_token_create) */
    enum ntsec_elevation_type elevation_type;   /* 0: DEFAULT */
    struct ntsec_token *linked_token;           /* borrowed; the token takes a reference */
    const struct ntsec_claim *user_claims;
    size_t user_claim_count;
    const struct ntsec_claim *device_claims;
    size_t device_claim_count;
    const struct ntsec_sid_and_attributes *device_groups;
    size_t device_group_count;
    int64_t expiration_time;                    /* 0: never (Windows' 0x7fffffffffffffff) */
};

/* Build a token from `desc`, with the validation NtCreateToken does: the
 * owner must be the user or a group of the token with SE_GROUP_OWNER
 * (NTSEC_STATUS_INVALID_OWNER), the primary group the user or a group
 * (NTSEC_STATUS_INVALID_PRIMARY_GROUP), SIDs valid
 * (NTSEC_STATUS_INVALID_SID), privileges known
 * (NTSEC_STATUS_NO_SUCH_PRIVILEGE), type and level in range
 * (NTSEC_STATUS_BAD_TOKEN_TYPE / NTSEC_STATUS_BAD_IMPERSONATION_LEVEL),
 * at most one integrity label, flagged SE_GROUP_INTEGRITY
 * (NTSEC_STATUS_INVALID_PARAMETER); see token.c for the sources.
 * A new TokenId and ModifiedId come from the process' LUID allocator.
 * Returns a new reference in *out; release it with ntsec_token_put(). */
ntsec_status ntsec_token_create(const struct ntsec_token_desc *desc, struct ntsec_token **out);

/* Take / drop a reference (ObReferenceObject / ObDereferenceObject). */
struct ntsec_token *ntsec_token_get(struct ntsec_token *token);
void ntsec_token_put(struct ntsec_token *token);

enum ntsec_token_type ntsec_token_type(const struct ntsec_token *token);
/* The impersonation level (SecurityAnonymous for a primary token). */
enum ntsec_impersonation_level ntsec_token_level(const struct ntsec_token *token);

/* --- information (NtQueryInformationToken / NtSetInformationToken) ---- */

/* TOKEN_INFORMATION_CLASS values (winnt.h). */
enum ntsec_token_info_class {
    NTSEC_TOKEN_USER = 1, NTSEC_TOKEN_GROUPS, NTSEC_TOKEN_PRIVILEGES, NTSEC_TOKEN_OWNER,
    NTSEC_TOKEN_PRIMARY_GROUP, NTSEC_TOKEN_DEFAULT_DACL, NTSEC_TOKEN_SOURCE, NTSEC_TOKEN_TYPE,
    NTSEC_TOKEN_IMPERSONATION_LEVEL, NTSEC_TOKEN_STATISTICS, NTSEC_TOKEN_RESTRICTED_SIDS,
    NTSEC_TOKEN_SESSION_ID, NTSEC_TOKEN_GROUPS_AND_PRIVILEGES, NTSEC_TOKEN_SESSION_REFERENCE,
    NTSEC_TOKEN_SANDBOX_INERT, NTSEC_TOKEN_AUDIT_POLICY, NTSEC_TOKEN_ORIGIN,
    NTSEC_TOKEN_ELEVATION_TYPE, NTSEC_TOKEN_LINKED_TOKEN, NTSEC_TOKEN_ELEVATION,
    NTSEC_TOKEN_HAS_RESTRICTIONS, NTSEC_TOKEN_ACCESS_INFORMATION,
    NTSEC_TOKEN_VIRTUALIZATION_ALLOWED, NTSEC_TOKEN_VIRTUALIZATION_ENABLED,
    NTSEC_TOKEN_INTEGRITY_LEVEL, NTSEC_TOKEN_UI_ACCESS, NTSEC_TOKEN_MANDATORY_POLICY,
    NTSEC_TOKEN_LOGON_SID, NTSEC_TOKEN_IS_APP_CONTAINER,
};

/* NtQueryInformationToken: write the Windows x64 binary layout of `cls`
 * (TOKEN_USER, TOKEN_GROUPS, ... with their SIDs in the same buffer and
 * pointers to them) into `buf` of `size` bytes; *needed receives the size
 * the answer takes. Too small: NTSEC_STATUS_BUFFER_TOO_SMALL for the
 * variable-size classes and fixed-size alike, as Windows does (see
 * token_info.c for the exact rule per class); an impersonation-only class
 * on a primary token: NTSEC_STATUS_INVALID_INFO_CLASS. TokenLinkedToken
 * cannot be answered here (it returns a handle): the Windows layer uses
 * ntsec_token_linked(). */
ntsec_status ntsec_token_query(const struct ntsec_token *token, enum ntsec_token_info_class cls,
                               void *buf, uint32_t size, uint32_t *needed);

/* NtSetInformationToken for the classes Windows lets a caller set:
 * TokenOwner (a SID of the token with the OWNER attribute, or the user),
 * TokenPrimaryGroup (a SID of the token), TokenDefaultDacl,
 * TokenSessionId (needs SeTcbPrivilege enabled in `caller`),
 * TokenIntegrityLevel (may be lowered; raising needs SeTcbPrivilege in
 * `caller`), TokenMandatoryPolicy (needs SeTcbPrivilege), TokenOrigin,
 * TokenVirtualizationEnabled... `caller` is the effective token of the
 * caller, NULL for kernel mode (every privilege held). Others:
 * NTSEC_STATUS_INVALID_INFO_CLASS. */
ntsec_status ntsec_token_set(struct ntsec_token *token, enum ntsec_token_info_class cls,
                             const void *buf, uint32_t size, const struct ntsec_token *caller);

/* The linked token of a UAC token pair (a new reference), or
 * NTSEC_STATUS_NO_TOKEN? when there is none. */
ntsec_status ntsec_token_linked(const struct ntsec_token *token, struct ntsec_token **out);

/* --- derived tokens ---------------------------------------------------- */

struct ntsec_token_dup {
    enum ntsec_token_type type;
    enum ntsec_impersonation_level level;       /* for an impersonation token */
    bool effective_only;                        /* drop disabled groups and privileges */
};

/* NtDuplicateToken / SeCopyClientToken semantics: a new token (new
 * TokenId, same AuthenticationId) of `how->type`. An impersonation source
 * cannot be raised to a higher level, and one below Impersonation cannot
 * become a primary token: NTSEC_STATUS_BAD_IMPERSONATION_LEVEL. Returns a
 * new reference. */
ntsec_status ntsec_token_duplicate(const struct ntsec_token *src, const struct ntsec_token_dup *how,
                                   struct ntsec_token **out);

#define NTSEC_FILTER_DISABLE_MAX_PRIVILEGE 0x1u
#define NTSEC_FILTER_SANDBOX_INERT         0x2u
#define NTSEC_FILTER_LUA_TOKEN             0x4u
#define NTSEC_FILTER_WRITE_RESTRICTED      0x8u

struct ntsec_token_filter {
    uint32_t flags;                             /* NTSEC_FILTER_* */
    const struct ntsec_sid_and_attributes *sids_to_disable;
    size_t disable_count;
    const struct ntsec_luid_and_attributes *privileges_to_delete;
    size_t delete_count;
    const struct ntsec_sid_and_attributes *restricted_sids;
    size_t restricted_count;
};

/* NtFilterToken / SeFilterToken / CreateRestrictedToken: a new token of
 * the same type with the listed groups made deny-only, privileges deleted,
 * restricted SIDs added. Returns a new reference. */
ntsec_status ntsec_token_filter(const struct ntsec_token *src, const struct ntsec_token_filter *filter,
                                struct ntsec_token **out);

/* --- changes ----------------------------------------------------------- */

/* NtAdjustPrivilegesToken: enable, disable or (SE_PRIVILEGE_REMOVED)
 * remove the `count` privileges in `changes`, or disable all. `previous`
 * (optional) receives a TOKEN_PRIVILEGES of the changed entries' old
 * state; *needed its size. NTSEC_STATUS_NOT_ALL_ASSIGNED (a success) when
 * some privilege is not in the token. */
ntsec_status ntsec_token_adjust_privileges(struct ntsec_token *token, bool disable_all,
                                           const struct ntsec_luid_and_attributes *changes,
                                           uint32_t count, void *previous, uint32_t previous_size,
                                           uint32_t *needed);

/* NtAdjustGroupsToken: enable or disable the listed groups, or reset all to
 * their defaults. Mandatory groups cannot be disabled
 * (NTSEC_STATUS_CANT_DISABLE_MANDATORY), deny-only ones not enabled
 * (NTSEC_STATUS_CANT_ENABLE_DENY_ONLY). `previous` as above (TOKEN_GROUPS). */
ntsec_status ntsec_token_adjust_groups(struct ntsec_token *token, bool reset_to_default,
                                       const struct ntsec_sid_and_attributes *changes,
                                       uint32_t count, void *previous, uint32_t previous_size,
                                       uint32_t *needed);

/* --- questions ---------------------------------------------------------- */

/* Whether privilege `luid` is present and enabled. */
bool ntsec_token_privilege_enabled(const struct ntsec_token *token, struct ntsec_luid luid);

/* CheckTokenMembership's rule: the SID is the user or an enabled group (not
 * deny-only), and for a restricted token also in the restricted SIDs. */
bool ntsec_token_is_member(const struct ntsec_token *token, const struct ntsec_sid *sid);

/* SeTokenIsAdmin: BUILTIN\Administrators is an enabled group. */
bool ntsec_token_is_admin(const struct ntsec_token *token);

/* SeTokenIsRestricted / IsTokenRestricted: it has restricted SIDs. */
bool ntsec_token_is_restricted(const struct ntsec_token *token);

/* The integrity level RID (S-1-16-RID) of the token. */
uint32_t ntsec_token_integrity(const struct ntsec_token *token);

/* TokenId, AuthenticationId and ModifiedId. */
struct ntsec_luid ntsec_token_id(const struct ntsec_token *token);
struct ntsec_luid ntsec_token_authentication_id(const struct ntsec_token *token);
struct ntsec_luid ntsec_token_modified_id(const struct ntsec_token *token);

/* NtCompareTokens: equal when both have the same SIDs (user, groups,
 * restricted SIDs) and privileges, whatever their attributes. */
bool ntsec_token_equal(const struct ntsec_token *a, const struct ntsec_token *b);

/* PrivilegeCheck / SePrivilegeCheck: with NTSEC_PRIVILEGE_SET_ALL_NECESSARY
 * all privileges of `set` must be enabled, otherwise any one; each enabled
 * one is marked SE_PRIVILEGE_USED_FOR_ACCESS in `set`. */
ntsec_status ntsec_privilege_check(const struct ntsec_token *token, struct ntsec_privilege_set *set,
                                   bool *result);

/* Allocate a new locally unique identifier (NtAllocateLocallyUniqueId). */
struct ntsec_luid ntsec_luid_allocate(void);

#endif
