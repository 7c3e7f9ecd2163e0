/* test_token_set.c - NtSetInformationToken (ntsec_token_set): the classes
 * a caller may set, their lengths, privileges and values.
 *
 * Sources: SetTokenInformation and the TOKEN_* structures (Microsoft
 * docs); ReactOS apitest NtSetInformationToken.c (Windows results);
 * ReactOS ntoskrnl/se/tokencls.c and token.c read for behaviour; Forshaw,
 * "Windows Security Internals" ch. 4. Rules without such a source are
 * ntsec's choices and say so (libsec/token_set.c). */
#include <stdio.h>

#include "alloc.h"
#include "testutil.h"
#include "tokfix.h"

static struct ntsec_token *make(const struct ntsec_token_desc *d)
{
    struct ntsec_token *t = NULL;

    CU_ASSERT_EQUAL_FATAL(ntsec_token_create(d, &t), NTSEC_STATUS_SUCCESS);
    return t;
}

static struct ntsec_token *user_token(struct tf_token *f)
{
    tf_init(f);
    return make(&f->desc);
}

/* A caller token holding `p`, enabled or not, at `level` (primary when
 * level is -1). */
static struct ntsec_token *caller_with(enum ntsec_privilege p, bool enabled, int level)
{
    struct tf_token f;
    struct ntsec_luid_and_attributes priv = { { p, 0 }, enabled ? NTSEC_SE_PRIVILEGE_ENABLED : 0 };

    tf_init(&f);
    f.desc.privileges = &priv;
    f.desc.privilege_count = 1;
    if (level >= 0) {
        f.desc.type = NTSEC_TOKEN_IMPERSONATION;
        f.desc.level = (enum ntsec_impersonation_level)level;
    }
    return make(&f.desc);
}

static uint64_t modified(const struct ntsec_token *t)
{
    return ntsec__luid_to_u64(ntsec_token_modified_id(t));
}

static uint8_t out[4096];

static const struct ntsec_sid *queried_sid(const struct ntsec_token *t,
                                           enum ntsec_token_info_class cls)
{
    uint32_t need;

    CU_ASSERT_EQUAL(ntsec_token_query(t, cls, out, sizeof(out), &need), NTSEC_STATUS_SUCCESS);
    return (const struct ntsec_sid *)(out + (cls == NTSEC_TOKEN_INTEGRITY_LEVEL ? 16 : 8));
}

static uint32_t queried32(const struct ntsec_token *t, enum ntsec_token_info_class cls)
{
    uint32_t need, v;

    CU_ASSERT_EQUAL(ntsec_token_query(t, cls, out, sizeof(out), &need), NTSEC_STATUS_SUCCESS);
    memcpy(&v, out, 4);
    return v;
}

static ntsec_status set_ptr(struct ntsec_token *t, enum ntsec_token_info_class cls,
                            const void *p, const struct ntsec_token *caller)
{
    return ntsec_token_set(t, cls, &p, sizeof(p), caller);
}

static ntsec_status set32(struct ntsec_token *t, enum ntsec_token_info_class cls, uint32_t v,
                          const struct ntsec_token *caller)
{
    return ntsec_token_set(t, cls, &v, sizeof(v), caller);
}

/* --- which classes, which lengths -------------------------------------- */

/* NtSetInformationToken: classes outside the settable set are
 * STATUS_INVALID_INFO_CLASS (TokenIsAppContainer too without the
 * AppContainer-decoupling feature); TokenLinkedToken takes a handle
 * libsec cannot resolve. */
static void unsettable_classes_are_invalid(void)
{
    static const enum ntsec_token_info_class refused[] = {
        0, NTSEC_TOKEN_USER, NTSEC_TOKEN_GROUPS, NTSEC_TOKEN_PRIVILEGES, NTSEC_TOKEN_SOURCE,
        NTSEC_TOKEN_TYPE, NTSEC_TOKEN_IMPERSONATION_LEVEL, NTSEC_TOKEN_STATISTICS,
        NTSEC_TOKEN_RESTRICTED_SIDS, NTSEC_TOKEN_GROUPS_AND_PRIVILEGES, NTSEC_TOKEN_SANDBOX_INERT,
        NTSEC_TOKEN_ELEVATION_TYPE, NTSEC_TOKEN_ELEVATION, NTSEC_TOKEN_HAS_RESTRICTIONS,
        NTSEC_TOKEN_ACCESS_INFORMATION, NTSEC_TOKEN_LOGON_SID, NTSEC_TOKEN_IS_APP_CONTAINER,
        NTSEC_TOKEN_IS_APP_CONTAINER + 1,
    };
    struct tf_token f;
    struct ntsec_token *t = user_token(&f);
    uint64_t m = modified(t), zero = 0;

    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
        CU_ASSERT_EQUAL(ntsec_token_set(t, refused[i], &zero, sizeof(zero), NULL),
                        NTSEC_STATUS_INVALID_INFO_CLASS);
    CU_ASSERT_EQUAL(ntsec_token_set(t, NTSEC_TOKEN_LINKED_TOKEN, &zero, 8, NULL),
                    NTSEC_STATUS_INVALID_INFO_CLASS);
    CU_ASSERT_EQUAL(ntsec_token_set(t, NTSEC_TOKEN_LINKED_TOKEN, &zero, 4, NULL),
                    NTSEC_STATUS_INFO_LENGTH_MISMATCH);
    CU_ASSERT_EQUAL(ntsec_token_set(NULL, NTSEC_TOKEN_OWNER, &zero, 8, NULL),
                    NTSEC_STATUS_INVALID_HANDLE);
    CU_ASSERT_EQUAL(modified(t), m);
    ntsec_token_put(t);
}

/* NtSetInformationToken: STATUS_INFO_LENGTH_MISMATCH below 8 bytes for
 * the pointer classes, below 16 for TokenIntegrityLevel, and for any
 * length but 4 (8 for TokenOrigin) for the value classes - checked
 * before the privilege. */
static void wrong_length_is_info_length_mismatch(void)
{
    static const struct {
        enum ntsec_token_info_class cls;
        uint32_t bad[2];
    } cases[] = {
        { NTSEC_TOKEN_OWNER, { 0, 7 } },
        { NTSEC_TOKEN_PRIMARY_GROUP, { 0, 7 } },
        { NTSEC_TOKEN_DEFAULT_DACL, { 4, 7 } },
        { NTSEC_TOKEN_INTEGRITY_LEVEL, { 8, 15 } },
        { NTSEC_TOKEN_SESSION_ID, { 3, 5 } },
        { NTSEC_TOKEN_SESSION_REFERENCE, { 0, 8 } },
        { NTSEC_TOKEN_ORIGIN, { 4, 16 } },
        { NTSEC_TOKEN_VIRTUALIZATION_ALLOWED, { 1, 8 } },
        { NTSEC_TOKEN_VIRTUALIZATION_ENABLED, { 2, 8 } },
        { NTSEC_TOKEN_UI_ACCESS, { 0, 8 } },
        { NTSEC_TOKEN_MANDATORY_POLICY, { 0, 8 } },
    };
    struct tf_token f;
    struct ntsec_token *t = user_token(&f);
    struct ntsec_token *weak = caller_with(NTSEC_SE_SHUTDOWN_PRIVILEGE, true, -1);
    uint8_t zeros[32] = { 0 };
    uint64_t m = modified(t);

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        for (int j = 0; j < 2; j++)
            CU_ASSERT_EQUAL(ntsec_token_set(t, cases[i].cls, zeros, cases[i].bad[j], weak),
                            NTSEC_STATUS_INFO_LENGTH_MISMATCH);
    CU_ASSERT_EQUAL(ntsec_token_set(t, NTSEC_TOKEN_OWNER, NULL, 8, NULL),
                    NTSEC_STATUS_ACCESS_VIOLATION);
    CU_ASSERT_EQUAL(modified(t), m);
    ntsec_token_put(weak);
    ntsec_token_put(t);
}

/* --- owner and primary group -------------------------------------------- */

/* SetTokenInformation(TokenOwner) (Microsoft docs: "the SID of a user or
 * group in the token that can be assigned as owner"); ReactOS token.c
 * SepFindPrimaryGroupAndDefaultOwner: the user, or a group with
 * SE_GROUP_OWNER; any other SID STATUS_INVALID_OWNER, nothing changed. */
static void owner_must_be_user_or_owner_group(void)
{
    struct tf_token f;
    struct ntsec_token *t = user_token(&f);
    struct ntsec_sid foreign, bad;
    uint64_t m = modified(t);

    tf_sid(&foreign, "S-1-5-21-9-9-9-1000");
    CU_ASSERT_EQUAL(set_ptr(t, NTSEC_TOKEN_OWNER, &f.users, NULL), NTSEC_STATUS_INVALID_OWNER);
    CU_ASSERT_EQUAL(set_ptr(t, NTSEC_TOKEN_OWNER, &foreign, NULL), NTSEC_STATUS_INVALID_OWNER);
    CU_ASSERT_EQUAL(set_ptr(t, NTSEC_TOKEN_OWNER, &f.label, NULL), NTSEC_STATUS_INVALID_OWNER);
    bad = f.users;
    bad.revision = 2;
    CU_ASSERT_EQUAL(set_ptr(t, NTSEC_TOKEN_OWNER, &bad, NULL), NTSEC_STATUS_INVALID_SID);
    CU_ASSERT_EQUAL(modified(t), m);
    CU_ASSERT(ntsec_sid_equal(queried_sid(t, NTSEC_TOKEN_OWNER), &f.user));

    CU_ASSERT_EQUAL(set_ptr(t, NTSEC_TOKEN_OWNER, &f.admins, NULL), NTSEC_STATUS_SUCCESS);
    CU_ASSERT(ntsec_sid_equal(queried_sid(t, NTSEC_TOKEN_OWNER), &f.admins));
    CU_ASSERT_NOT_EQUAL(modified(t), m);
    m = modified(t);
    CU_ASSERT_EQUAL(set_ptr(t, NTSEC_TOKEN_OWNER, &f.user, NULL), NTSEC_STATUS_SUCCESS);
    CU_ASSERT(ntsec_sid_equal(queried_sid(t, NTSEC_TOKEN_OWNER), &f.user));
    CU_ASSERT_NOT_EQUAL(modified(t), m);
    ntsec_token_put(t);
}

/* TOKEN_PRIMARY_GROUP (Microsoft docs: "one of the group SIDs already in
 * the token"); ReactOS SepFindPrimaryGroupAndDefaultOwner: any SID of the
 * user and groups, else STATUS_INVALID_PRIMARY_GROUP. */
static void primary_group_must_be_a_token_sid(void)
{
    struct tf_token f;
    struct ntsec_token *t = user_token(&f);
    struct ntsec_sid foreign;
    uint64_t m = modified(t);

    tf_sid(&foreign, "S-1-5-21-9-9-9-1000");
    CU_ASSERT_EQUAL(set_ptr(t, NTSEC_TOKEN_PRIMARY_GROUP, &foreign, NULL),
                    NTSEC_STATUS_INVALID_PRIMARY_GROUP);
    CU_ASSERT_EQUAL(modified(t), m);
    CU_ASSERT_EQUAL(set_ptr(t, NTSEC_TOKEN_PRIMARY_GROUP, &f.disabled, NULL),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT(ntsec_sid_equal(queried_sid(t, NTSEC_TOKEN_PRIMARY_GROUP), &f.disabled));
    CU_ASSERT_EQUAL(set_ptr(t, NTSEC_TOKEN_PRIMARY_GROUP, &f.denyonly, NULL),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT(ntsec_sid_equal(queried_sid(t, NTSEC_TOKEN_PRIMARY_GROUP), &f.denyonly));
    CU_ASSERT_NOT_EQUAL(modified(t), m);
    ntsec_token_put(t);
}

/* --- default DACL -------------------------------------------------------- */

static struct ntsec_acl *small_acl(uint32_t *words, uint32_t size, const struct ntsec_sid *sid)
{
    struct ntsec_acl *acl = (struct ntsec_acl *)words;

    CU_ASSERT_EQUAL(ntsec_acl_init(acl, size, NTSEC_ACL_REVISION), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_acl_add_access_ace(acl, NTSEC_ACL_REVISION, NTSEC_ACE_ACCESS_ALLOWED, 0,
                                             NTSEC_GENERIC_ALL, sid),
                    NTSEC_STATUS_SUCCESS);
    return acl;
}

/* TOKEN_DEFAULT_DACL (Microsoft docs) and SeCaptureAcl: an ACL is copied
 * (the caller's may change afterwards), NULL removes the default DACL,
 * an invalid ACL or one under 8 bytes is STATUS_INVALID_ACL. */
static void default_dacl_is_copied_or_removed(void)
{
    struct tf_token f;
    struct ntsec_token *t = user_token(&f);
    uint32_t words[32] = { 0 }, need;
    struct ntsec_acl *acl = small_acl(words, sizeof(words), &f.user);
    struct ntsec_acl bad = { NTSEC_ACL_REVISION, 0, 4, 0, 0 };
    uint64_t m = modified(t);

    CU_ASSERT_EQUAL(set_ptr(t, NTSEC_TOKEN_DEFAULT_DACL, &bad, NULL), NTSEC_STATUS_INVALID_ACL);
    CU_ASSERT_EQUAL(modified(t), m);
    CU_ASSERT_EQUAL(set_ptr(t, NTSEC_TOKEN_DEFAULT_DACL, acl, NULL), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_NOT_EQUAL(modified(t), m);
    acl->ace_count = 0;                 /* the token holds its own copy */
    CU_ASSERT_EQUAL(ntsec_token_query(t, NTSEC_TOKEN_DEFAULT_DACL, out, sizeof(out), &need),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(need, 8 + acl->size);
    CU_ASSERT_EQUAL(((const struct ntsec_acl *)(out + 8))->ace_count, 1);

    m = modified(t);
    CU_ASSERT_EQUAL(set_ptr(t, NTSEC_TOKEN_DEFAULT_DACL, NULL, NULL), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_NOT_EQUAL(modified(t), m);
    CU_ASSERT_EQUAL(ntsec_token_query(t, NTSEC_TOKEN_DEFAULT_DACL, out, sizeof(out), &need),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(need, 8);
    ntsec_token_put(t);
}

/* A default DACL (or primary group) that does not fit the token's dynamic
 * charge is STATUS_ALLOTTED_SPACE_EXCEEDED ([MS-ERREF] 2.3.1: for "the
 * memory allocated to hold discretionary access control and primary group
 * information ... a request that requires more memory than has been
 * allotted must fail"); DynamicAvailable shrinks by what is used
 * (TOKEN_STATISTICS; ReactOS SepComputeAvailableDynamicSpace). */
static void default_dacl_must_fit_the_dynamic_charge(void)
{
    struct tf_token f;
    struct ntsec_token *t = user_token(&f);
    static uint32_t big[2000];
    uint32_t words[32] = { 0 }, need, avail;
    struct ntsec_acl *acl = small_acl(words, sizeof(words), &f.user);

    CU_ASSERT_EQUAL(ntsec_acl_init((struct ntsec_acl *)big, 4096 - 28 + 4, NTSEC_ACL_REVISION),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(set_ptr(t, NTSEC_TOKEN_DEFAULT_DACL, big, NULL),
                    NTSEC_STATUS_ALLOTTED_SPACE_EXCEEDED);
    CU_ASSERT_EQUAL(ntsec_acl_init((struct ntsec_acl *)big, 4096 - 28, NTSEC_ACL_REVISION),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(set_ptr(t, NTSEC_TOKEN_DEFAULT_DACL, big, NULL), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_token_query(t, NTSEC_TOKEN_STATISTICS, out, 56, &need),
                    NTSEC_STATUS_SUCCESS);
    memcpy(&avail, out + 36, 4);
    CU_ASSERT_EQUAL(avail, 0);
    /* A longer primary group no longer fits beside it. */
    CU_ASSERT_EQUAL(set_ptr(t, NTSEC_TOKEN_PRIMARY_GROUP, &f.disabled, NULL),
                    NTSEC_STATUS_SUCCESS);          /* 28 bytes, as the user */
    CU_ASSERT_EQUAL(set_ptr(t, NTSEC_TOKEN_DEFAULT_DACL, acl, NULL), NTSEC_STATUS_SUCCESS);
    ntsec_token_put(t);
}

/* The same rule for a primary group ([MS-ERREF] 2.3.1,
 * STATUS_ALLOTTED_SPACE_EXCEEDED: "must fail", the allotted memory is not
 * grown); the token is left as it was. */
static void primary_group_must_fit_the_dynamic_charge(void)
{
    struct tf_token f;
    struct ntsec_token *t = user_token(&f);
    static uint32_t big[2000];
    uint64_t m;

    /* Everyone (12 bytes) as primary group, a DACL using the rest. */
    CU_ASSERT_EQUAL(set_ptr(t, NTSEC_TOKEN_PRIMARY_GROUP, &f.everyone, NULL),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_acl_init((struct ntsec_acl *)big, 4096 - 12, NTSEC_ACL_REVISION),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(set_ptr(t, NTSEC_TOKEN_DEFAULT_DACL, big, NULL), NTSEC_STATUS_SUCCESS);
    m = modified(t);
    /* The user's SID (28 bytes) does not fit; the same length does. */
    CU_ASSERT_EQUAL(set_ptr(t, NTSEC_TOKEN_PRIMARY_GROUP, &f.user, NULL),
                    NTSEC_STATUS_ALLOTTED_SPACE_EXCEEDED);
    CU_ASSERT(ntsec_sid_equal(queried_sid(t, NTSEC_TOKEN_PRIMARY_GROUP), &f.everyone));
    CU_ASSERT_EQUAL(modified(t), m);
    CU_ASSERT_EQUAL(set_ptr(t, NTSEC_TOKEN_PRIMARY_GROUP, &f.everyone, NULL),
                    NTSEC_STATUS_SUCCESS);
    ntsec_token_put(t);
}

/* Allocation failure while copying the DACL: STATUS_NO_MEMORY and the
 * token as it was (STYLE rule 8: inject until the call succeeds). */
static void default_dacl_allocation_failure_changes_nothing(void)
{
    struct tf_token f;
    struct ntsec_token *t = user_token(&f);
    uint32_t words[32] = { 0 }, need;
    struct ntsec_acl *acl = small_acl(words, sizeof(words), &f.user);
    ntsec_status st;
    long n;

    for (n = 0;; n++) {
        uint64_t m = modified(t);

        testutil_fail_alloc_after(n);
        st = set_ptr(t, NTSEC_TOKEN_DEFAULT_DACL, acl, NULL);
        testutil_fail_alloc_after(-1);
        if (st == NTSEC_STATUS_SUCCESS)
            break;
        CU_ASSERT_EQUAL(st, NTSEC_STATUS_NO_MEMORY);
        CU_ASSERT_EQUAL(modified(t), m);
        CU_ASSERT_EQUAL(ntsec_token_query(t, NTSEC_TOKEN_DEFAULT_DACL, out, sizeof(out), &need),
                        NTSEC_STATUS_SUCCESS);
        CU_ASSERT_EQUAL(need, 8);
    }
    CU_ASSERT_EQUAL(n, 1);
    ntsec_token_put(t);
}

/* --- privileged classes ------------------------------------------------- */

/* SetTokenInformation (Microsoft docs: "If TokenSessionId is set, the
 * caller must have SE_TCB_NAME"; ReactOS apitest NtSetInformationToken.c,
 * SetTokenSessionIdTests). SeTcbPrivilege for a non-zero TokenUIAccess
 * (Forshaw ch. 4, UI Access), TokenMandatoryPolicy (Forshaw ch. 7: turning
 * NoWriteUp off "requires SeTcbPrivilege") and TokenOrigin (ReactOS
 * tokencls.c). TokenSessionReference and TokenAuditPolicy needing
 * SeTcbPrivilege and TokenVirtualizationAllowed SeCreateTokenPrivilege are
 * ntsec's choices (unverified). Present but disabled is not held; an
 * Identification-level caller holds nothing (ReactOS priv.c
 * SePrivilegeCheck); kernel mode (NULL) holds everything. */
static void privileged_classes_need_the_privilege_enabled(void)
{
    static const struct {
        enum ntsec_token_info_class cls;
        enum ntsec_privilege priv;
        uint32_t value;
    } cases[] = {
        { NTSEC_TOKEN_SESSION_ID, NTSEC_SE_TCB_PRIVILEGE, 5 },
        { NTSEC_TOKEN_MANDATORY_POLICY, NTSEC_SE_TCB_PRIVILEGE, 1 },
        { NTSEC_TOKEN_UI_ACCESS, NTSEC_SE_TCB_PRIVILEGE, 1 },
        { NTSEC_TOKEN_VIRTUALIZATION_ALLOWED, NTSEC_SE_CREATE_TOKEN_PRIVILEGE, 1 },
        { NTSEC_TOKEN_SESSION_REFERENCE, NTSEC_SE_TCB_PRIVILEGE, 0 },
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct tf_token f;
        struct ntsec_token *t = user_token(&f);
        struct ntsec_token *disabled = caller_with(cases[i].priv, false, -1);
        struct ntsec_token *ident = caller_with(cases[i].priv, true, NTSEC_SECURITY_IDENTIFICATION);
        struct ntsec_token *imp = caller_with(cases[i].priv, true, NTSEC_SECURITY_IMPERSONATION);
        uint64_t m = modified(t);

        CU_ASSERT_EQUAL(set32(t, cases[i].cls, cases[i].value, disabled),
                        NTSEC_STATUS_PRIVILEGE_NOT_HELD);
        CU_ASSERT_EQUAL(set32(t, cases[i].cls, cases[i].value, ident),
                        NTSEC_STATUS_PRIVILEGE_NOT_HELD);
        CU_ASSERT_EQUAL(modified(t), m);
        CU_ASSERT_EQUAL(set32(t, cases[i].cls, cases[i].value, imp), NTSEC_STATUS_SUCCESS);
        CU_ASSERT_EQUAL(set32(t, cases[i].cls, cases[i].value, NULL), NTSEC_STATUS_SUCCESS);
        if (cases[i].cls != NTSEC_TOKEN_SESSION_REFERENCE)
            CU_ASSERT_EQUAL(queried32(t, cases[i].cls), cases[i].value);
        ntsec_token_put(imp);
        ntsec_token_put(ident);
        ntsec_token_put(disabled);
        ntsec_token_put(t);
    }
}

/* Clearing UIAccess needs no privilege; the mandatory policy takes only
 * NO_WRITE_UP | NEW_PROCESS_MIN (TOKEN_MANDATORY_POLICY_VALID_MASK, winnt.h;
 * else STATUS_INVALID_PARAMETER); TokenSessionReference takes only 0 (else
 * STATUS_INVALID_PARAMETER) and leaves ModifiedId, while
 * TOKEN_ACCESS_INFORMATION.Flags shows TOKEN_SESSION_NOT_REFERENCED. The
 * statuses and the ModifiedId rule are ntsec's choices (unverified). */
static void value_rules_of_the_dword_classes(void)
{
    struct tf_token f;
    struct ntsec_token *t = user_token(&f);
    struct ntsec_token *weak = caller_with(NTSEC_SE_SHUTDOWN_PRIVILEGE, true, -1);
    uint64_t m;
    uint32_t flags;

    CU_ASSERT_EQUAL(set32(t, NTSEC_TOKEN_UI_ACCESS, 1, NULL), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(set32(t, NTSEC_TOKEN_UI_ACCESS, 0, weak), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(queried32(t, NTSEC_TOKEN_UI_ACCESS), 0);
    m = modified(t);
    CU_ASSERT_EQUAL(set32(t, NTSEC_TOKEN_MANDATORY_POLICY, 4, NULL),
                    NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(set32(t, NTSEC_TOKEN_SESSION_REFERENCE, 1, NULL),
                    NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(modified(t), m);
    CU_ASSERT_EQUAL(set32(t, NTSEC_TOKEN_MANDATORY_POLICY, 0, NULL), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(queried32(t, NTSEC_TOKEN_MANDATORY_POLICY), 0);
    m = modified(t);
    CU_ASSERT_EQUAL(set32(t, NTSEC_TOKEN_SESSION_REFERENCE, 0, NULL), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(modified(t), m);
    queried32(t, NTSEC_TOKEN_ACCESS_INFORMATION);
    memcpy(&flags, out + 44, 4);
    CU_ASSERT(flags & 0x20);
    ntsec_token_put(weak);
    ntsec_token_put(t);
}

/* Enabling virtualization takes effect only where it is allowed; the call
 * succeeds either way and bumps ModifiedId (ntsec's choices; no public
 * source found). */
static void virtualization_enabled_only_when_allowed(void)
{
    struct tf_token f;
    struct ntsec_token *t = user_token(&f);
    uint64_t m = modified(t);

    CU_ASSERT_EQUAL(set32(t, NTSEC_TOKEN_VIRTUALIZATION_ENABLED, 1, NULL), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(queried32(t, NTSEC_TOKEN_VIRTUALIZATION_ENABLED), 0);
    CU_ASSERT_NOT_EQUAL(modified(t), m);
    CU_ASSERT_EQUAL(set32(t, NTSEC_TOKEN_VIRTUALIZATION_ALLOWED, 1, NULL), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(set32(t, NTSEC_TOKEN_VIRTUALIZATION_ENABLED, 7, NULL), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(queried32(t, NTSEC_TOKEN_VIRTUALIZATION_ENABLED), 1);
    CU_ASSERT_EQUAL(set32(t, NTSEC_TOKEN_VIRTUALIZATION_ENABLED, 0, NULL), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(queried32(t, NTSEC_TOKEN_VIRTUALIZATION_ENABLED), 0);
    ntsec_token_put(t);
}

/* TokenOrigin (ReactOS tokencls.c): SeTcbPrivilege, and set only while
 * it is zero. */
static void origin_is_set_once(void)
{
    struct tf_token f;
    struct ntsec_token *t = user_token(&f);
    uint64_t first = 0x3e7, second = 0x1234, v;
    uint32_t need;

    CU_ASSERT_EQUAL(ntsec_token_set(t, NTSEC_TOKEN_ORIGIN, &first, 8, NULL), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_token_set(t, NTSEC_TOKEN_ORIGIN, &second, 8, NULL),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_token_query(t, NTSEC_TOKEN_ORIGIN, &v, 8, &need), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(v, first);
    ntsec_token_put(t);
}

/* TokenAuditPolicy: SeTcbPrivilege before anything; once only
 * (STATUS_INVALID_PARAMETER after); the query returns it (ntsec's choices;
 * unverified). */
static void audit_policy_is_set_once(void)
{
    struct tf_token f;
    struct ntsec_token *t = user_token(&f);
    struct ntsec_token *weak = caller_with(NTSEC_SE_SHUTDOWN_PRIVILEGE, true, -1);
    uint8_t policy[30] = { 0x11, 0x22 };
    uint32_t need;

    CU_ASSERT_EQUAL(ntsec_token_set(t, NTSEC_TOKEN_AUDIT_POLICY, policy, 2, weak),
                    NTSEC_STATUS_PRIVILEGE_NOT_HELD);
    CU_ASSERT_EQUAL(ntsec_token_set(t, NTSEC_TOKEN_AUDIT_POLICY, policy, 29, NULL),
                    NTSEC_STATUS_INFO_LENGTH_MISMATCH);
    CU_ASSERT_EQUAL(ntsec_token_set(t, NTSEC_TOKEN_AUDIT_POLICY, policy, 30, NULL),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_token_set(t, NTSEC_TOKEN_AUDIT_POLICY, NULL, 0, NULL),
                    NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_token_query(t, NTSEC_TOKEN_AUDIT_POLICY, out, 30, &need),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_MEM_EQUAL(out, policy, 30);
    ntsec_token_put(weak);
    ntsec_token_put(t);
}

/* --- integrity level ---------------------------------------------------- */

static ntsec_status set_label(struct ntsec_token *t, const char *sid_text,
                              const struct ntsec_token *caller)
{
    static struct ntsec_sid sid;
    struct ntsec_sid_and_attributes sa = { tf_sid(&sid, sid_text), 0 };

    return ntsec_token_set(t, NTSEC_TOKEN_INTEGRITY_LEVEL, &sa, sizeof(sa), caller);
}

/* TokenIntegrityLevel: a label SID (S-1-16-x, x <= 0x4000) or
 * STATUS_INVALID_LABEL; lowering is free and clears UIAccess; raising needs
 * SeTcbPrivilege (STATUS_PRIVILEGE_NOT_HELD); the new level shows in
 * TokenIntegrityLevel and TokenGroups (TOKEN_MANDATORY_LABEL, Microsoft
 * docs; the statuses and privilege are ntsec's choices, unverified). */
static void integrity_may_be_lowered_raising_needs_tcb(void)
{
    struct tf_token f;
    struct ntsec_token *t = user_token(&f);
    struct ntsec_token *relabel = caller_with(NTSEC_SE_RELABEL_PRIVILEGE, true, -1);
    struct ntsec_token *tcb = caller_with(NTSEC_SE_TCB_PRIVILEGE, true, -1);
    struct ntsec_sid low, high;
    uint64_t m = modified(t);
    uint32_t need;

    tf_sid(&low, "S-1-16-4096");
    tf_sid(&high, "S-1-16-12288");
    CU_ASSERT_EQUAL(set_label(t, "S-1-5-32-544", NULL), NTSEC_STATUS_INVALID_LABEL);
    CU_ASSERT_EQUAL(set_label(t, "S-1-16-20480", NULL), NTSEC_STATUS_INVALID_LABEL);
    CU_ASSERT_EQUAL(set_label(t, "S-1-16-12288", relabel), NTSEC_STATUS_PRIVILEGE_NOT_HELD);
    CU_ASSERT_EQUAL(modified(t), m);

    CU_ASSERT_EQUAL(set32(t, NTSEC_TOKEN_UI_ACCESS, 1, NULL), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(set_label(t, "S-1-16-8192", relabel), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(queried32(t, NTSEC_TOKEN_UI_ACCESS), 1);    /* not lowered */
    CU_ASSERT_EQUAL(set_label(t, "S-1-16-4096", relabel), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(queried32(t, NTSEC_TOKEN_UI_ACCESS), 0);
    CU_ASSERT(ntsec_sid_equal(queried_sid(t, NTSEC_TOKEN_INTEGRITY_LEVEL), &low));
    CU_ASSERT_EQUAL(ntsec_token_integrity(t), NTSEC_MANDATORY_LOW);
    CU_ASSERT_EQUAL(ntsec_token_query(t, NTSEC_TOKEN_GROUPS, out, sizeof(out), &need),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT(ntsec_sid_equal((const struct ntsec_sid *)(out + need - 12), &low));

    CU_ASSERT_EQUAL(set_label(t, "S-1-16-12288", tcb), NTSEC_STATUS_SUCCESS);
    CU_ASSERT(ntsec_sid_equal(queried_sid(t, NTSEC_TOKEN_INTEGRITY_LEVEL), &high));
    ntsec_token_put(tcb);
    ntsec_token_put(relabel);
    ntsec_token_put(t);

    f.desc.group_count = TF_LABEL;      /* no label */
    t = make(&f.desc);
    CU_ASSERT_EQUAL(set_label(t, "S-1-16-4096", NULL), NTSEC_STATUS_INVALID_LABEL);
    ntsec_token_put(t);
}

/* Below High the powerful privileges (SeDebug, SeBackup, SeImpersonate,
 * ...) are disabled (Forshaw ch. 4: "high-level privileges, such as
 * SeDebugPrivilege, can't be enabled if the integrity level is less than
 * High"), below Medium all but SeChangeNotify, SeUndock and
 * SeIncreaseWorkingSet; they stay present (the exact sets: ntsec's
 * choice, unverified). */
static void lowering_integrity_disables_privileges(void)
{
    struct tf_token f;
    struct ntsec_token *t;
    uint32_t need, count, attrs[3];
    struct ntsec_luid_and_attributes privs[3] = {
        { { NTSEC_SE_SHUTDOWN_PRIVILEGE, 0 }, NTSEC_SE_PRIVILEGE_ENABLED },
        { { NTSEC_SE_DEBUG_PRIVILEGE, 0 }, NTSEC_SE_PRIVILEGE_ENABLED },
        { { NTSEC_SE_CHANGE_NOTIFY_PRIVILEGE, 0 },
          NTSEC_SE_PRIVILEGE_ENABLED | NTSEC_SE_PRIVILEGE_ENABLED_BY_DEFAULT },
    };

    tf_init(&f);
    f.desc.privileges = privs;
    f.desc.privilege_count = 3;
    t = make(&f.desc);
    CU_ASSERT_EQUAL(set_label(t, "S-1-16-8192", NULL), NTSEC_STATUS_SUCCESS);
    CU_ASSERT(!ntsec_token_privilege_enabled(t, ntsec_privilege_luid(NTSEC_SE_DEBUG_PRIVILEGE)));
    CU_ASSERT(ntsec_token_privilege_enabled(t, ntsec_privilege_luid(NTSEC_SE_SHUTDOWN_PRIVILEGE)));
    CU_ASSERT_EQUAL(set_label(t, "S-1-16-4096", NULL), NTSEC_STATUS_SUCCESS);
    CU_ASSERT(!ntsec_token_privilege_enabled(t, ntsec_privilege_luid(NTSEC_SE_SHUTDOWN_PRIVILEGE)));
    CU_ASSERT(ntsec_token_privilege_enabled(t, ntsec_privilege_luid(NTSEC_SE_CHANGE_NOTIFY_PRIVILEGE)));
    CU_ASSERT_EQUAL(ntsec_token_query(t, NTSEC_TOKEN_PRIVILEGES, out, sizeof(out), &need),
                    NTSEC_STATUS_SUCCESS);
    memcpy(&count, out, 4);
    CU_ASSERT_EQUAL(count, 3);
    for (int i = 0; i < 3; i++)
        memcpy(&attrs[i], out + 4 + 12 * i + 8, 4);
    CU_ASSERT_EQUAL(attrs[0], 0);       /* SeShutdown (19) */
    CU_ASSERT_EQUAL(attrs[1], 0);       /* SeDebug (20) */
    CU_ASSERT_EQUAL(attrs[2], NTSEC_SE_PRIVILEGE_ENABLED | NTSEC_SE_PRIVILEGE_ENABLED_BY_DEFAULT);
    ntsec_token_put(t);
}

void register_tests(void)
{
    static CU_TestInfo tests[] = {
        TEST(unsettable_classes_are_invalid),
        TEST(wrong_length_is_info_length_mismatch),
        TEST(owner_must_be_user_or_owner_group),
        TEST(primary_group_must_be_a_token_sid),
        TEST(default_dacl_is_copied_or_removed),
        TEST(default_dacl_must_fit_the_dynamic_charge),
        TEST(primary_group_must_fit_the_dynamic_charge),
        TEST(default_dacl_allocation_failure_changes_nothing),
        TEST(privileged_classes_need_the_privilege_enabled),
        TEST(value_rules_of_the_dword_classes),
        TEST(virtualization_enabled_only_when_allowed),
        TEST(origin_is_set_once),
        TEST(audit_policy_is_set_once),
        TEST(integrity_may_be_lowered_raising_needs_tcb),
        TEST(lowering_integrity_disables_privileges),
        CU_TEST_INFO_NULL,
    };

    testutil_add_suite("token_set", tests);
}
