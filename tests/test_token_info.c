/* test_token_info.c - NtQueryInformationToken (ntsec_token_query): every
 * class from TokenUser to TokenIsAppContainer, Windows' x64 layouts,
 * sizes and statuses.
 *
 * Sources: the TOKEN_* structures (winnt.h, Microsoft docs); Windows
 * results asserted by ReactOS apitest NtQueryInformationToken.c and Wine's
 * dlls/advapi32/tests/security.c (test_token_attr,
 * test_GetTokenInformation*: ERROR_INSUFFICIENT_BUFFER with the size in
 * *ReturnLength for a short buffer); ReactOS ntoskrnl/se/tokencls.c read
 * for behaviour; Forshaw, "Windows Security Internals" ch. 4 (elevation).
 * Rules without such a source are ntsec's choices and say so. */
#include <pthread.h>
#include <stdatomic.h>
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

static uint32_t rd32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static uint64_t rd64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }
static const uint8_t *rdptr(const uint8_t *p) { return (const uint8_t *)(uintptr_t)rd64(p); }

static uint64_t buf_words[1024];
#define BUF ((uint8_t *)buf_words)

/* Query into BUF (8-aligned, 8 KiB) with `size` bytes. */
static ntsec_status q(const struct ntsec_token *t, enum ntsec_token_info_class cls, uint32_t size,
                      uint32_t *need)
{
    memset(buf_words, 0xAA, sizeof(buf_words));
    return ntsec_token_query(t, cls, BUF, size, need);
}

/* --- sizes and statuses of every class ---------------------------------- */

/* The fixture's SIDs: user 28 bytes (5 sub-authorities), Everyone 12,
 * Users 16, Administrators 16, two domain groups 28, logon SID 20, label
 * 12; two privileges. Expected sizes follow Windows' formulas: */
static const struct {
    enum ntsec_token_info_class cls;
    uint32_t need;
    ntsec_status short_status;          /* for a buffer one byte short */
} sizes[] = {
    { NTSEC_TOKEN_USER, 16 + 28, NTSEC_STATUS_BUFFER_TOO_SMALL },
    /* 8 + 16 * 7 + the SIDs packed */
    { NTSEC_TOKEN_GROUPS, 8 + 16 * 7 + 132, NTSEC_STATUS_BUFFER_TOO_SMALL },
    /* 4 + 12 * 2 */
    { NTSEC_TOKEN_PRIVILEGES, 28, NTSEC_STATUS_BUFFER_TOO_SMALL },
    { NTSEC_TOKEN_OWNER, 8 + 28, NTSEC_STATUS_BUFFER_TOO_SMALL },
    { NTSEC_TOKEN_PRIMARY_GROUP, 8 + 28, NTSEC_STATUS_BUFFER_TOO_SMALL },
    /* no default DACL: the NULL pointer alone */
    { NTSEC_TOKEN_DEFAULT_DACL, 8, NTSEC_STATUS_BUFFER_TOO_SMALL },
    { NTSEC_TOKEN_SOURCE, 16, NTSEC_STATUS_BUFFER_TOO_SMALL },
    { NTSEC_TOKEN_TYPE, 4, NTSEC_STATUS_BUFFER_TOO_SMALL },
    { NTSEC_TOKEN_STATISTICS, 56, NTSEC_STATUS_BUFFER_TOO_SMALL },
    /* no restricted SIDs: GroupCount and padding */
    { NTSEC_TOKEN_RESTRICTED_SIDS, 8, NTSEC_STATUS_BUFFER_TOO_SMALL },
    { NTSEC_TOKEN_SESSION_ID, 4, NTSEC_STATUS_BUFFER_TOO_SMALL },
    /* 56 + 16 * 8 + SIDs rounded to 8 (184) + 12 * 2 */
    { NTSEC_TOKEN_GROUPS_AND_PRIVILEGES, 56 + 128 + 184 + 24, NTSEC_STATUS_BUFFER_TOO_SMALL },
    { NTSEC_TOKEN_SANDBOX_INERT, 4, NTSEC_STATUS_BUFFER_TOO_SMALL },
    { NTSEC_TOKEN_AUDIT_POLICY, 30, NTSEC_STATUS_BUFFER_TOO_SMALL },
    { NTSEC_TOKEN_ORIGIN, 8, NTSEC_STATUS_BUFFER_TOO_SMALL },
    { NTSEC_TOKEN_ELEVATION_TYPE, 4, NTSEC_STATUS_BUFFER_TOO_SMALL },
    { NTSEC_TOKEN_LINKED_TOKEN, 8, NTSEC_STATUS_INFO_LENGTH_MISMATCH },
    { NTSEC_TOKEN_ELEVATION, 4, NTSEC_STATUS_INFO_LENGTH_MISMATCH },
    { NTSEC_TOKEN_HAS_RESTRICTIONS, 1, NTSEC_STATUS_BUFFER_TOO_SMALL },
    /* 88 + 3 * 272 + user and groups (312) + TOKEN_PRIVILEGES (28) */
    { NTSEC_TOKEN_ACCESS_INFORMATION, 904 + 312 + 28, NTSEC_STATUS_BUFFER_TOO_SMALL },
    { NTSEC_TOKEN_VIRTUALIZATION_ALLOWED, 4, NTSEC_STATUS_BUFFER_TOO_SMALL },
    { NTSEC_TOKEN_VIRTUALIZATION_ENABLED, 4, NTSEC_STATUS_BUFFER_TOO_SMALL },
    /* SID_AND_ATTRIBUTES + S-1-16-8192 */
    { NTSEC_TOKEN_INTEGRITY_LEVEL, 16 + 12, NTSEC_STATUS_BUFFER_TOO_SMALL },
    { NTSEC_TOKEN_UI_ACCESS, 4, NTSEC_STATUS_BUFFER_TOO_SMALL },
    { NTSEC_TOKEN_MANDATORY_POLICY, 4, NTSEC_STATUS_BUFFER_TOO_SMALL },
    /* a TOKEN_GROUPS of one: 8 + 16 + the logon SID */
    { NTSEC_TOKEN_LOGON_SID, 8 + 16 + 20, NTSEC_STATUS_BUFFER_TOO_SMALL },
    { NTSEC_TOKEN_IS_APP_CONTAINER, 4, NTSEC_STATUS_BUFFER_TOO_SMALL },
};

static bool untouched(uint32_t from)
{
    for (uint32_t i = from; i < sizeof(buf_words); i++)
        if (BUF[i] != 0xAA)
            return false;
    return true;
}

/* A short buffer gets STATUS_BUFFER_TOO_SMALL with the size in
 * *ReturnLength (ReactOS apitest NtQueryInformationToken.c, every Query*
 * test; never STATUS_BUFFER_OVERFLOW and nothing written: ntsec's reading).
 * TokenElevation and TokenLinkedToken want their exact size
 * (STATUS_INFO_LENGTH_MISMATCH; ntsec's choice, unverified). */
static void short_buffer_gets_windows_status_and_size(void)
{
    struct tf_token f;
    struct ntsec_token *t;

    tf_init(&f);
    t = make(&f.desc);
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        uint32_t need = 0xDEAD;
        ntsec_status st;

        st = ntsec_token_query(t, sizes[i].cls, NULL, 0, &need);
        CU_ASSERT_EQUAL(st, sizes[i].short_status);
        CU_ASSERT_EQUAL(need, sizes[i].need);
        if (st != sizes[i].short_status || need != sizes[i].need)
            fprintf(stderr, "class %d: status %#x need %u\n", sizes[i].cls, st, need);
        need = 0xDEAD;
        CU_ASSERT_EQUAL(q(t, sizes[i].cls, sizes[i].need - 1, &need), sizes[i].short_status);
        CU_ASSERT_EQUAL(need, sizes[i].need);
        CU_ASSERT(untouched(0));
        need = 0xDEAD;
        st = q(t, sizes[i].cls, sizes[i].need, &need);
        if (sizes[i].cls == NTSEC_TOKEN_LINKED_TOKEN) {
            /* A handle libsec cannot make: the Windows layer answers it. */
            CU_ASSERT_EQUAL(st, NTSEC_STATUS_INVALID_INFO_CLASS);
            continue;
        }
        CU_ASSERT_EQUAL(st, NTSEC_STATUS_SUCCESS);
        CU_ASSERT_EQUAL(need, sizes[i].need);
        CU_ASSERT(untouched(sizes[i].need));
        if (st != NTSEC_STATUS_SUCCESS)
            fprintf(stderr, "class %d: status %#x with the full size\n", sizes[i].cls, st);
    }
    ntsec_token_put(t);
}

/* A bigger buffer than needed: success, *needed the exact size (Wine
 * test_token_attr passes big buffers; ReactOS tokencls.c sets
 * *ReturnLength to the required length). */
static void big_buffer_reports_exact_size(void)
{
    struct tf_token f;
    struct ntsec_token *t;
    uint32_t need;

    tf_init(&f);
    t = make(&f.desc);
    CU_ASSERT_EQUAL(q(t, NTSEC_TOKEN_GROUPS, 4096, &need), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(need, 252);
    CU_ASSERT_EQUAL(q(t, NTSEC_TOKEN_TYPE, 4096, &need), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(need, 4);
    CU_ASSERT(untouched(4));
    ntsec_token_put(t);
}

/* ReactOS apitest NtQueryInformationToken.c, QueryTokenImpersonationTests:
 * TokenImpersonationLevel on a primary token is STATUS_INVALID_INFO_CLASS;
 * on an impersonation token the level. *ReturnLength untouched: ntsec's
 * choice, unverified. */
static void impersonation_level_only_for_impersonation_tokens(void)
{
    struct tf_token f;
    struct ntsec_token *t, *imp;
    uint32_t need = 77;

    tf_init(&f);
    t = make(&f.desc);
    CU_ASSERT_EQUAL(q(t, NTSEC_TOKEN_IMPERSONATION_LEVEL, 64, &need),
                    NTSEC_STATUS_INVALID_INFO_CLASS);
    CU_ASSERT_EQUAL(need, 77);
    f.desc.type = NTSEC_TOKEN_IMPERSONATION;
    f.desc.level = NTSEC_SECURITY_DELEGATION;
    imp = make(&f.desc);
    CU_ASSERT_EQUAL(q(imp, NTSEC_TOKEN_IMPERSONATION_LEVEL, 3, &need),
                    NTSEC_STATUS_BUFFER_TOO_SMALL);
    CU_ASSERT_EQUAL(need, 4);
    CU_ASSERT_EQUAL(q(imp, NTSEC_TOKEN_IMPERSONATION_LEVEL, 4, &need), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(rd32(BUF), NTSEC_SECURITY_DELEGATION);
    CU_ASSERT_EQUAL(q(imp, NTSEC_TOKEN_TYPE, 4, &need), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(rd32(BUF), NTSEC_TOKEN_IMPERSONATION);
    ntsec_token_put(imp);
    ntsec_token_put(t);
}

/* Classes not answered (0, TokenSessionReference, past the range) are
 * STATUS_INVALID_INFO_CLASS; ReturnLength and the buffer are probed first
 * (STATUS_ACCESS_VIOLATION); a bad handle is STATUS_INVALID_HANDLE.
 * ntsec's choices for the order and the set; unverified. */
static void bad_class_pointer_or_token_is_refused(void)
{
    struct tf_token f;
    struct ntsec_token *t;
    uint32_t need = 77;

    tf_init(&f);
    t = make(&f.desc);
    CU_ASSERT_EQUAL(q(t, 0, 64, &need), NTSEC_STATUS_INVALID_INFO_CLASS);
    CU_ASSERT_EQUAL(q(t, NTSEC_TOKEN_SESSION_REFERENCE, 64, &need),
                    NTSEC_STATUS_INVALID_INFO_CLASS);
    CU_ASSERT_EQUAL(q(t, NTSEC_TOKEN_IS_APP_CONTAINER + 1, 64, &need),
                    NTSEC_STATUS_INVALID_INFO_CLASS);
    CU_ASSERT_EQUAL(need, 77);
    CU_ASSERT(untouched(0));
    CU_ASSERT_EQUAL(ntsec_token_query(t, NTSEC_TOKEN_USER, BUF, 64, NULL),
                    NTSEC_STATUS_ACCESS_VIOLATION);
    CU_ASSERT_EQUAL(ntsec_token_query(t, NTSEC_TOKEN_USER, NULL, 64, &need),
                    NTSEC_STATUS_ACCESS_VIOLATION);
    CU_ASSERT_EQUAL(ntsec_token_query(NULL, NTSEC_TOKEN_USER, BUF, 64, &need),
                    NTSEC_STATUS_INVALID_HANDLE);
    CU_ASSERT_EQUAL(need, 77);
    ntsec_token_put(t);
}

/* --- layouts ------------------------------------------------------------ */

/* TOKEN_USER / TOKEN_GROUPS (winnt.h, x64): SID_AND_ATTRIBUTES of 16
 * bytes; the SIDs follow the array in the same buffer, packed, the first
 * 8-byte aligned; the label is listed among the groups with
 * SE_GROUP_INTEGRITY | SE_GROUP_INTEGRITY_ENABLED (Wine test_token_attr
 * prints it among TokenGroups). */
static void groups_point_into_the_buffer_after_the_array(void)
{
    struct tf_token f;
    struct ntsec_token *t;
    uint32_t need;
    const uint8_t *sid;

    tf_init(&f);
    t = make(&f.desc);
    CU_ASSERT_EQUAL(q(t, NTSEC_TOKEN_USER, 64, &need), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_PTR_EQUAL(rdptr(BUF), BUF + 16);
    CU_ASSERT_EQUAL(rd32(BUF + 8), 0);
    CU_ASSERT(ntsec_sid_equal((const struct ntsec_sid *)(BUF + 16), &f.user));

    CU_ASSERT_EQUAL(q(t, NTSEC_TOKEN_GROUPS, 1024, &need), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(rd32(BUF), 7);
    sid = BUF + 8 + 16 * 7;
    CU_ASSERT_EQUAL((uintptr_t)sid % 8, 0);
    for (uint32_t i = 0; i < 7; i++) {
        const uint8_t *e = BUF + 8 + 16 * i;

        CU_ASSERT_PTR_EQUAL(rdptr(e), sid);
        CU_ASSERT_EQUAL(rd32(e + 8), f.groups[i].attributes);
        CU_ASSERT(ntsec_sid_equal((const struct ntsec_sid *)sid, f.groups[i].sid));
        CU_ASSERT_EQUAL((uintptr_t)sid % 4, 0);
        sid += ntsec_sid_length((const struct ntsec_sid *)sid);
    }
    CU_ASSERT_PTR_EQUAL(sid, BUF + need);
    ntsec_token_put(t);
}

/* TOKEN_PRIVILEGES: LUID_AND_ATTRIBUTES in LUID order with
 * SE_PRIVILEGE_ENABLED(_BY_DEFAULT); 16 bytes even for none
 * (sizeof(TOKEN_PRIVILEGES), which holds one entry; ntsec's choice for the
 * count 0, unverified). */
static void privileges_in_luid_order_with_attributes(void)
{
    struct tf_token f;
    struct ntsec_token *t;
    uint32_t need;

    tf_init(&f);
    t = make(&f.desc);
    CU_ASSERT_EQUAL(q(t, NTSEC_TOKEN_PRIVILEGES, 64, &need), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(rd32(BUF), 2);
    CU_ASSERT_EQUAL(rd32(BUF + 4), NTSEC_SE_SHUTDOWN_PRIVILEGE);       /* 19 before 23 */
    CU_ASSERT_EQUAL(rd32(BUF + 8), 0);
    CU_ASSERT_EQUAL(rd32(BUF + 12), 0);
    CU_ASSERT_EQUAL(rd32(BUF + 16), NTSEC_SE_CHANGE_NOTIFY_PRIVILEGE);
    CU_ASSERT_EQUAL(rd32(BUF + 24),
                    NTSEC_SE_PRIVILEGE_ENABLED | NTSEC_SE_PRIVILEGE_ENABLED_BY_DEFAULT);
    ntsec_token_put(t);

    f.desc.privilege_count = 0;
    t = make(&f.desc);
    CU_ASSERT_EQUAL(q(t, NTSEC_TOKEN_PRIVILEGES, 15, &need), NTSEC_STATUS_BUFFER_TOO_SMALL);
    CU_ASSERT_EQUAL(need, 16);
    CU_ASSERT_EQUAL(q(t, NTSEC_TOKEN_PRIVILEGES, 16, &need), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(rd32(BUF), 0);
    ntsec_token_put(t);
}

/* TOKEN_OWNER / TOKEN_PRIMARY_GROUP: a pointer to the SID right after it;
 * TOKEN_DEFAULT_DACL: NULL without a default DACL, else the ACL copied
 * after the pointer (TOKEN_DEFAULT_DACL, Microsoft docs; the NULL case is
 * ntsec's choice, unverified). */
static void owner_group_and_dacl_layouts(void)
{
    struct tf_token f;
    struct ntsec_token *t;
    uint32_t need, acl_words[16] = { 0 };
    struct ntsec_acl *acl = (struct ntsec_acl *)acl_words;

    tf_init(&f);
    f.desc.owner = &f.admins;
    f.desc.primary_group = &f.users;
    CU_ASSERT_EQUAL(ntsec_acl_init(acl, sizeof(acl_words), NTSEC_ACL_REVISION),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_acl_add_access_ace(acl, NTSEC_ACL_REVISION, NTSEC_ACE_ACCESS_ALLOWED, 0,
                                             NTSEC_GENERIC_ALL, &f.user),
                    NTSEC_STATUS_SUCCESS);
    f.desc.default_dacl = acl;
    t = make(&f.desc);
    CU_ASSERT_EQUAL(q(t, NTSEC_TOKEN_OWNER, 64, &need), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(need, 8 + 16);
    CU_ASSERT_PTR_EQUAL(rdptr(BUF), BUF + 8);
    CU_ASSERT(ntsec_sid_equal((const struct ntsec_sid *)(BUF + 8), &f.admins));
    CU_ASSERT_EQUAL(q(t, NTSEC_TOKEN_PRIMARY_GROUP, 64, &need), NTSEC_STATUS_SUCCESS);
    CU_ASSERT(ntsec_sid_equal((const struct ntsec_sid *)(BUF + 8), &f.users));
    CU_ASSERT_EQUAL(q(t, NTSEC_TOKEN_DEFAULT_DACL, 128, &need), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(need, 8 + acl->size);
    CU_ASSERT_PTR_EQUAL(rdptr(BUF), BUF + 8);
    CU_ASSERT_MEM_EQUAL(BUF + 8, acl, acl->size);
    ntsec_token_put(t);

    f.desc.default_dacl = NULL;
    t = make(&f.desc);
    CU_ASSERT_EQUAL(q(t, NTSEC_TOKEN_DEFAULT_DACL, 8, &need), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_PTR_NULL(rdptr(BUF));
    ntsec_token_put(t);
}

/* TOKEN_STATISTICS (winnt.h, 56 bytes): TokenId, AuthenticationId,
 * ExpirationTime, TokenType, ImpersonationLevel, DynamicCharged,
 * DynamicAvailable (charged minus primary group and DACL, ReactOS
 * token.c SepComputeAvailableDynamicSpace),
 * GroupCount (groups without the user), PrivilegeCount, ModifiedId. */
static void statistics_fields(void)
{
    struct tf_token f;
    struct ntsec_token *t;
    uint32_t need;

    tf_init(&f);
    t = make(&f.desc);
    CU_ASSERT_EQUAL(q(t, NTSEC_TOKEN_STATISTICS, 56, &need), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(rd64(BUF), ntsec__luid_to_u64(ntsec_token_id(t)));
    CU_ASSERT_EQUAL(rd64(BUF + 8), ntsec__luid_to_u64(ntsec_token_authentication_id(t)));
    CU_ASSERT_EQUAL(rd64(BUF + 16), 0x7fffffffffffffffull);
    CU_ASSERT_EQUAL(rd32(BUF + 24), NTSEC_TOKEN_PRIMARY);
    CU_ASSERT_EQUAL(rd32(BUF + 28), NTSEC_SECURITY_ANONYMOUS);
    CU_ASSERT_EQUAL(rd32(BUF + 32), 4096);
    CU_ASSERT_EQUAL(rd32(BUF + 36), 4096 - 28);     /* primary group: the user */
    CU_ASSERT_EQUAL(rd32(BUF + 40), 7);
    CU_ASSERT_EQUAL(rd32(BUF + 44), 2);
    CU_ASSERT_EQUAL(rd64(BUF + 48), ntsec__luid_to_u64(ntsec_token_modified_id(t)));
    ntsec_token_put(t);
}

/* TokenSource (16 bytes), TokenOrigin (LUID), TokenSessionId, the
 * DWORD flags, TokenElevationType, TokenMandatoryPolicy; TokenIsAppContainer
 * 0 (ntsec makes no AppContainer tokens). */
static void fixed_size_classes_values(void)
{
    struct tf_token f;
    struct ntsec_token *t;
    uint32_t need;

    tf_init(&f);
    f.desc.session_id = 3;
    f.desc.origin = (struct ntsec_luid){ 0x3e7, 0 };
    f.desc.source.id = (struct ntsec_luid){ 5, 6 };
    f.desc.elevation_type = NTSEC_ELEVATION_LIMITED;
    t = make(&f.desc);
    CU_ASSERT_EQUAL(q(t, NTSEC_TOKEN_SOURCE, 16, &need), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_MEM_EQUAL(BUF, "User32  ", 8);
    CU_ASSERT_EQUAL(rd32(BUF + 8), 5);
    CU_ASSERT_EQUAL(rd32(BUF + 12), 6);
    CU_ASSERT_EQUAL(q(t, NTSEC_TOKEN_ORIGIN, 8, &need), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(rd64(BUF), 0x3e7);
    CU_ASSERT_EQUAL(q(t, NTSEC_TOKEN_SESSION_ID, 4, &need), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(rd32(BUF), 3);
    CU_ASSERT_EQUAL(q(t, NTSEC_TOKEN_ELEVATION_TYPE, 4, &need), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(rd32(BUF), NTSEC_ELEVATION_LIMITED);
    CU_ASSERT_EQUAL(q(t, NTSEC_TOKEN_MANDATORY_POLICY, 4, &need), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(rd32(BUF), NTSEC_TOKEN_MANDATORY_POLICY_VALID_MASK);
    CU_ASSERT_EQUAL(q(t, NTSEC_TOKEN_IS_APP_CONTAINER, 4, &need), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(rd32(BUF), 0);
    CU_ASSERT_EQUAL(q(t, NTSEC_TOKEN_SANDBOX_INERT, 4, &need), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(rd32(BUF), 0);
    CU_ASSERT_EQUAL(q(t, NTSEC_TOKEN_HAS_RESTRICTIONS, 1, &need), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(BUF[0], 0);
    CU_ASSERT_EQUAL(BUF[1], 0xAA);                   /* one byte only */
    ntsec_token_put(t);
}

/* TOKEN_MANDATORY_LABEL: the label with its attributes; a token without
 * one reads S-1-16-0 with 0x60 (ntsec's choice; no public source found). */
static void integrity_level_label_or_untrusted(void)
{
    struct tf_token f;
    struct ntsec_token *t;
    uint32_t need;
    struct ntsec_sid untrusted;

    tf_init(&f);
    t = make(&f.desc);
    CU_ASSERT_EQUAL(q(t, NTSEC_TOKEN_INTEGRITY_LEVEL, 64, &need), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_PTR_EQUAL(rdptr(BUF), BUF + 16);
    CU_ASSERT_EQUAL(rd32(BUF + 8), NTSEC_SE_GROUP_INTEGRITY | NTSEC_SE_GROUP_INTEGRITY_ENABLED);
    CU_ASSERT(ntsec_sid_equal((const struct ntsec_sid *)(BUF + 16), &f.label));
    ntsec_token_put(t);

    f.desc.group_count = TF_LABEL;      /* drop the label */
    t = make(&f.desc);
    CU_ASSERT_EQUAL(q(t, NTSEC_TOKEN_INTEGRITY_LEVEL, 64, &need), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(need, 28);
    tf_sid(&untrusted, "S-1-16-0");
    CU_ASSERT(ntsec_sid_equal((const struct ntsec_sid *)(BUF + 16), &untrusted));
    CU_ASSERT_EQUAL(rd32(BUF + 8), 0x60);
    ntsec_token_put(t);
}

/* TokenLogonSid: a TOKEN_GROUPS of the SE_GROUP_LOGON_ID group; none:
 * STATUS_NOT_FOUND, *ReturnLength untouched (ntsec's choice; no public
 * source found). */
static void logon_sid_or_not_found(void)
{
    struct tf_token f;
    struct ntsec_token *t;
    uint32_t need = 77;

    tf_init(&f);
    t = make(&f.desc);
    CU_ASSERT_EQUAL(q(t, NTSEC_TOKEN_LOGON_SID, 64, &need), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(rd32(BUF), 1);
    CU_ASSERT_PTR_EQUAL(rdptr(BUF + 8), BUF + 24);
    CU_ASSERT_EQUAL(rd32(BUF + 16), f.groups[TF_LOGON].attributes);
    CU_ASSERT(ntsec_sid_equal((const struct ntsec_sid *)(BUF + 24), &f.logon));
    ntsec_token_put(t);

    f.groups[TF_LOGON].attributes = TF_MANDATORY;
    t = make(&f.desc);
    need = 77;
    CU_ASSERT_EQUAL(q(t, NTSEC_TOKEN_LOGON_SID, 64, &need), NTSEC_STATUS_NOT_FOUND);
    CU_ASSERT_EQUAL(need, 77);
    ntsec_token_put(t);
}

/* TokenElevation: elevated when an administrators-type group (RID 544,
 * 114) is usable, or a powerful privilege present; a deny-only
 * Administrators group does not count (Forshaw, Windows Security
 * Internals ch. 4, "What Makes an Administrator User?" and Listing 4-25:
 * the limited token's UseForDenyOnly Administrators, Elevated False). */
static void elevation_follows_admin_groups_and_privileges(void)
{
    struct tf_token f;
    struct ntsec_token *t;
    uint32_t need;

    tf_init(&f);
    t = make(&f.desc);
    CU_ASSERT_EQUAL(q(t, NTSEC_TOKEN_ELEVATION, 4, &need), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(rd32(BUF), 1);
    ntsec_token_put(t);

    f.groups[TF_ADMINS].attributes = NTSEC_SE_GROUP_USE_FOR_DENY_ONLY;
    t = make(&f.desc);
    CU_ASSERT_EQUAL(q(t, NTSEC_TOKEN_ELEVATION, 4, &need), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(rd32(BUF), 0);
    CU_ASSERT_EQUAL(q(t, NTSEC_TOKEN_ELEVATION, 8, &need), NTSEC_STATUS_INFO_LENGTH_MISMATCH);
    CU_ASSERT_EQUAL(need, 4);
    ntsec_token_put(t);

    f.privs[1].luid.low = NTSEC_SE_DEBUG_PRIVILEGE;
    t = make(&f.desc);
    CU_ASSERT_EQUAL(q(t, NTSEC_TOKEN_ELEVATION, 4, &need), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(rd32(BUF), 1);
    ntsec_token_put(t);

    /* Forshaw's lists: SeDelegateSessionUserImpersonatePrivilege, present
     * but disabled, elevates; RID 114 elevates, the Administrator
     * account's RID 500 does not. */
    f.privs[1].luid.low = NTSEC_SE_DELEGATE_SESSION_USER_IMPERSONATE_PRIVILEGE;
    t = make(&f.desc);
    CU_ASSERT_EQUAL(q(t, NTSEC_TOKEN_ELEVATION, 4, &need), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(rd32(BUF), 1);
    ntsec_token_put(t);

    f.privs[1].luid.low = NTSEC_SE_SHUTDOWN_PRIVILEGE;
    f.groups[TF_ADMINS].attributes = TF_ENABLED;
    tf_sid(&f.admins, "S-1-5-114");
    t = make(&f.desc);
    CU_ASSERT_EQUAL(q(t, NTSEC_TOKEN_ELEVATION, 4, &need), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(rd32(BUF), 1);
    ntsec_token_put(t);

    tf_sid(&f.admins, "S-1-5-21-1-2-3-500");
    t = make(&f.desc);
    CU_ASSERT_EQUAL(q(t, NTSEC_TOKEN_ELEVATION, 4, &need), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(rd32(BUF), 0);
    ntsec_token_put(t);
}

/* TOKEN_GROUPS_AND_PRIVILEGES (winnt.h, 56 bytes): user and groups, then
 * restricted SIDs (NULL pointer when there are none), then privileges;
 * lengths with each SID rounded to 8 (ntsec's choice; no public source
 * found). */
static void groups_and_privileges_layout(void)
{
    struct tf_token f;
    struct ntsec_token *t;
    uint32_t need;
    const uint8_t *sids;

    tf_init(&f);
    t = make(&f.desc);
    CU_ASSERT_EQUAL(q(t, NTSEC_TOKEN_GROUPS_AND_PRIVILEGES, 1024, &need), NTSEC_STATUS_SUCCESS);
    sids = rdptr(BUF + 8);
    CU_ASSERT_EQUAL(rd32(BUF), 8);
    CU_ASSERT_EQUAL(rd32(BUF + 4), 312);
    CU_ASSERT_PTR_EQUAL(sids, BUF + 56);
    CU_ASSERT_EQUAL(rd32(BUF + 16), 0);
    CU_ASSERT_EQUAL(rd32(BUF + 20), 0);
    CU_ASSERT_PTR_NULL(rdptr(BUF + 24));
    CU_ASSERT_EQUAL(rd32(BUF + 32), 2);
    CU_ASSERT_EQUAL(rd32(BUF + 36), 24);
    CU_ASSERT_PTR_EQUAL(rdptr(BUF + 40), BUF + 56 + 312);
    CU_ASSERT_EQUAL(rd64(BUF + 48), ntsec__luid_to_u64(ntsec_token_authentication_id(t)));
    CU_ASSERT(ntsec_sid_equal((const struct ntsec_sid *)rdptr(sids), &f.user));
    CU_ASSERT_PTR_EQUAL(rdptr(sids), sids + 16 * 8);
    CU_ASSERT(ntsec_sid_equal((const struct ntsec_sid *)rdptr(sids + 16 * 7), &f.label));
    CU_ASSERT_EQUAL(rd32(BUF + 56 + 312), NTSEC_SE_SHUTDOWN_PRIVILEGE);
    ntsec_token_put(t);
}

/* TOKEN_ACCESS_INFORMATION (winnt.h, 88 bytes) and its
 * SID_AND_ATTRIBUTES_HASH tables: SID i sets bit i in Hash[b & 15] and
 * Hash[16 + (b >> 4)], b the low byte of its RID (Wine dlls/ntdll/sec.c,
 * RtlSidHashInitialize). */
static void access_information_layout_and_hash(void)
{
    struct tf_token f;
    struct ntsec_token *t;
    uint32_t need;
    const uint8_t *h, *rh, *ch, *privs;

    tf_init(&f);
    t = make(&f.desc);
    CU_ASSERT_EQUAL(q(t, NTSEC_TOKEN_ACCESS_INFORMATION, 4096, &need), NTSEC_STATUS_SUCCESS);
    h = rdptr(BUF);
    rh = rdptr(BUF + 8);
    privs = rdptr(BUF + 16);
    ch = rdptr(BUF + 64);
    CU_ASSERT_PTR_EQUAL(h, BUF + 88);
    CU_ASSERT_PTR_EQUAL(rh, BUF + 88 + 272 + 312);
    CU_ASSERT_PTR_EQUAL(ch, rh + 272);
    CU_ASSERT_PTR_EQUAL(privs, ch + 272);
    CU_ASSERT_PTR_EQUAL(privs + 28, BUF + need);
    CU_ASSERT_EQUAL(rd64(BUF + 24), ntsec__luid_to_u64(ntsec_token_authentication_id(t)));
    CU_ASSERT_EQUAL(rd32(BUF + 32), NTSEC_TOKEN_PRIMARY);
    CU_ASSERT_EQUAL(rd32(BUF + 40), NTSEC_TOKEN_MANDATORY_POLICY_VALID_MASK);
    /* SeChangeNotify enabled: TOKEN_HAS_TRAVERSE_PRIVILEGE; Medium: NOT_LOW */
    CU_ASSERT_EQUAL(rd32(BUF + 44), 0x0001 | 0x2000);
    CU_ASSERT_PTR_NULL(rdptr(BUF + 56));
    CU_ASSERT_PTR_NULL(rdptr(BUF + 72));
    /* user and groups */
    CU_ASSERT_EQUAL(rd32(h), 8);
    CU_ASSERT_PTR_EQUAL(rdptr(h + 8), BUF + 360);
    CU_ASSERT(ntsec_sid_equal((const struct ntsec_sid *)rdptr(BUF + 360), &f.user));
    /* user RID 1001 = 0x3E9: bit 0 in Hash[9] and Hash[16 + 14];
     * Everyone RID 0: bit 1 in Hash[0] and Hash[16]; Administrators 544 =
     * 0x220: bit 3 in Hash[0] and Hash[18]; the label 8192: low byte 0,
     * bit 7 in Hash[0] and Hash[16]. */
    CU_ASSERT(rd64(h + 16 + 8 * 9) & 1);
    CU_ASSERT(rd64(h + 16 + 8 * 30) & 1);
    CU_ASSERT(rd64(h + 16) & (1u << 1 | 1u << 3 | 1u << 7));
    CU_ASSERT_EQUAL(rd64(h + 16 + 8 * 16) & (1u << 1 | 1u << 7), 1u << 1 | 1u << 7);
    CU_ASSERT(rd64(h + 16 + 8 * 18) & (1u << 3));
    /* no restricted SIDs, no capabilities: empty tables */
    CU_ASSERT_EQUAL(rd32(rh), 0);
    CU_ASSERT_PTR_EQUAL(rdptr(rh + 8), rh + 272);
    CU_ASSERT_EQUAL(rd32(ch), 0);
    CU_ASSERT_EQUAL(rd32(privs), 2);
    CU_ASSERT_EQUAL(rd32(privs + 4), NTSEC_SE_SHUTDOWN_PRIVILEGE);
    ntsec_token_put(t);
}

/* --- concurrency and allocation ----------------------------------------- */

struct race {
    struct ntsec_token *t;
    atomic_bool stop;
};

static void *flip_owner(void *arg)
{
    struct race *r = arg;
    struct tf_token f;

    tf_init(&f);
    while (!atomic_load(&r->stop)) {
        const struct ntsec_sid *o = &f.admins;

        ntsec_token_set(r->t, NTSEC_TOKEN_OWNER, &o, sizeof(o), NULL);
        o = &f.user;
        ntsec_token_set(r->t, NTSEC_TOKEN_OWNER, &o, sizeof(o), NULL);
    }
    return NULL;
}

/* A reader sees one owner or the other, never a torn answer: the query
 * retries while a writer runs (token.h seqlock; Windows takes the token
 * lock shared). */
static void query_is_consistent_while_a_writer_runs(void)
{
    struct tf_token f;
    struct race r;
    pthread_t th;
    uint8_t out[64];
    uint32_t need;

    tf_init(&f);
    r.t = make(&f.desc);
    atomic_init(&r.stop, false);
    CU_ASSERT_EQUAL_FATAL(pthread_create(&th, NULL, flip_owner, &r), 0);
    for (int i = 0; i < 20000; i++) {
        ntsec_status st = ntsec_token_query(r.t, NTSEC_TOKEN_OWNER, out, sizeof(out), &need);
        const struct ntsec_sid *sid = (const struct ntsec_sid *)(out + 8);

        CU_ASSERT_EQUAL(st, NTSEC_STATUS_SUCCESS);
        CU_ASSERT(need == 8 + 28 ? ntsec_sid_equal(sid, &f.user)
                                 : need == 8 + 16 && ntsec_sid_equal(sid, &f.admins));
    }
    atomic_store(&r.stop, true);
    pthread_join(th, NULL);
    ntsec_token_put(r.t);
}

/* The query allocates nothing (brief; Windows copies into the caller's
 * buffer): with every allocation failing, every class still answers. */
static void query_does_not_allocate(void)
{
    struct tf_token f;
    struct ntsec_token *t;
    uint32_t need;

    tf_init(&f);
    t = make(&f.desc);
    testutil_fail_alloc_after(0);
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        if (sizes[i].cls == NTSEC_TOKEN_LINKED_TOKEN)
            continue;
        CU_ASSERT_EQUAL(q(t, sizes[i].cls, sizes[i].need, &need), NTSEC_STATUS_SUCCESS);
    }
    testutil_fail_alloc_after(-1);
    ntsec_token_put(t);
}

void register_tests(void)
{
    static CU_TestInfo tests[] = {
        TEST(short_buffer_gets_windows_status_and_size),
        TEST(big_buffer_reports_exact_size),
        TEST(impersonation_level_only_for_impersonation_tokens),
        TEST(bad_class_pointer_or_token_is_refused),
        TEST(groups_point_into_the_buffer_after_the_array),
        TEST(privileges_in_luid_order_with_attributes),
        TEST(owner_group_and_dacl_layouts),
        TEST(statistics_fields),
        TEST(fixed_size_classes_values),
        TEST(integrity_level_label_or_untrusted),
        TEST(logon_sid_or_not_found),
        TEST(elevation_follows_admin_groups_and_privileges),
        TEST(groups_and_privileges_layout),
        TEST(access_information_layout_and_hash),
        TEST(query_is_consistent_while_a_writer_runs),
        TEST(query_does_not_allocate),
        CU_TEST_INFO_NULL,
    };

    testutil_add_suite("token_info", tests);
}
