/* test_token.c - building tokens (NtCreateToken's validation and
 * defaults), the SID hash and index, the seqlock writer, describe for
 * derived tokens, and the questions of token_query.c. */
#include <stdio.h>
#include <stdlib.h>

#include "alloc.h"
#include "testutil.h"
#include "tokfix.h"

static struct ntsec_token *make(const struct ntsec_token_desc *d)
{
    struct ntsec_token *t = NULL;

    CU_ASSERT_EQUAL_FATAL(ntsec_token_create(d, &t), NTSEC_STATUS_SUCCESS);
    return t;
}

static uint64_t u64(struct ntsec_luid l)
{
    return ntsec__luid_to_u64(l);
}

/* A status from ntsec_token_create, checking *out is left alone. */
static ntsec_status create_fails(const struct ntsec_token_desc *d)
{
    struct ntsec_token *t = (struct ntsec_token *)(uintptr_t)0x1234;
    long before = ntsec_object_live();
    ntsec_status st = ntsec_token_create(d, &t);

    CU_ASSERT(!ntsec_success(st));
    CU_ASSERT_PTR_EQUAL(t, (struct ntsec_token *)(uintptr_t)0x1234);
    CU_ASSERT_EQUAL(ntsec_object_live(), before);
    return st;
}

/* --- creation and defaults ------------------------------------------------ */

/* TOKEN_STATISTICS / TOKEN_USER (Microsoft docs), NtCreateToken defaults: a new token
 * never expires (0x7fffffffffffffff), has session 0, TokenElevationTypeDefault,
 * NO_WRITE_UP | NEW_PROCESS_MIN, owner and primary group the user. */
static void new_token_takes_windows_defaults(void)
{
    struct tf_token f;
    struct ntsec_token *t;

    tf_init(&f);
    t = make(&f.desc);
    CU_ASSERT_EQUAL(ntsec_token_type(t), NTSEC_TOKEN_PRIMARY);
    CU_ASSERT_EQUAL(ntsec_token_level(t), NTSEC_SECURITY_ANONYMOUS);
    CU_ASSERT_EQUAL(t->expiration_time, INT64_MAX);
    CU_ASSERT_EQUAL(t->session_id, 0);
    CU_ASSERT_EQUAL(t->elevation_type, NTSEC_ELEVATION_DEFAULT);
    CU_ASSERT_EQUAL(t->mandatory_policy, NTSEC_TOKEN_MANDATORY_POLICY_VALID_MASK);
    CU_ASSERT_EQUAL(t->owner_pos, 0);
    CU_ASSERT_EQUAL(t->primary_group_pos, 0);
    CU_ASSERT_PTR_NULL(t->default_dacl);
    CU_ASSERT_PTR_NULL(t->linked);
    CU_ASSERT_EQUAL(t->sid_count, 8);
    CU_ASSERT(ntsec_sid_equal(t->sids[0].sid, &f.user));
    CU_ASSERT_EQUAL(t->sids[0].attributes, 0);
    CU_ASSERT_MEM_EQUAL(t->source.name, "User32  ", 8);
    CU_ASSERT_EQUAL(ntsec_token_integrity(t), NTSEC_MANDATORY_MEDIUM);
    ntsec_token_put(t);
}

/* The builder takes a description literally: policy OFF stays OFF, a
 * given expiration and session are kept (derived tokens copy them). */
static void builder_takes_description_literally(void)
{
    struct tf_token f;
    struct ntsec_token *t = NULL;

    tf_init(&f);
    f.desc.mandatory_policy = NTSEC_TOKEN_MANDATORY_POLICY_OFF;
    f.desc.expiration_time = 12345;
    f.desc.session_id = 3;
    f.desc.type = NTSEC_TOKEN_IMPERSONATION;
    f.desc.level = NTSEC_SECURITY_DELEGATION;
    CU_ASSERT_EQUAL_FATAL(ntsec__token_build(&f.desc, &t), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(t->mandatory_policy, NTSEC_TOKEN_MANDATORY_POLICY_OFF);
    CU_ASSERT_EQUAL(t->expiration_time, 12345);
    CU_ASSERT_EQUAL(t->session_id, 3);
    CU_ASSERT_EQUAL(ntsec_token_level(t), NTSEC_SECURITY_DELEGATION);
    ntsec_token_put(t);
}

/* TokenId and ModifiedId are fresh LUIDs above the well-known logon
 * sessions (SYSTEM_LUID 0x3e7, winnt.h); a token made without a logon
 * session gets a new AuthenticationId, one made with one keeps it. */
static void token_ids_are_fresh_luids(void)
{
    struct tf_token f;
    struct ntsec_token *a, *b;
    struct ntsec_luid system = { 0x3e7, 0 };

    tf_init(&f);
    a = make(&f.desc);
    f.desc.authentication_id = system;
    b = make(&f.desc);
    CU_ASSERT(u64(ntsec_token_id(a)) > 0x3e7);
    CU_ASSERT(u64(ntsec_token_modified_id(a)) > 0x3e7);
    CU_ASSERT(u64(ntsec_token_authentication_id(a)) > 0x3e7);
    CU_ASSERT_NOT_EQUAL(u64(ntsec_token_id(a)), u64(ntsec_token_id(b)));
    CU_ASSERT_NOT_EQUAL(u64(ntsec_token_id(a)), u64(ntsec_token_modified_id(a)));
    CU_ASSERT_EQUAL(u64(ntsec_token_authentication_id(b)), 0x3e7);
    ntsec_token_put(a);
    ntsec_token_put(b);
}

/* NtCreateToken: the owner must be the user or a group with SE_GROUP_OWNER
 * (TOKEN_OWNER / TOKEN_GROUPS docs; ReactOS SepFindPrimaryGroupAndDefaultOwner),
 * else STATUS_INVALID_OWNER. */
static void owner_must_be_user_or_owner_group(void)
{
    struct tf_token f;
    struct ntsec_sid other;
    struct ntsec_token *t;

    tf_init(&f);
    f.desc.owner = &f.admins;               /* has SE_GROUP_OWNER */
    t = make(&f.desc);
    CU_ASSERT_EQUAL(t->owner_pos, 1 + TF_ADMINS);
    ntsec_token_put(t);
    f.desc.owner = &f.user;
    t = make(&f.desc);
    CU_ASSERT_EQUAL(t->owner_pos, 0);
    ntsec_token_put(t);
    f.desc.owner = &f.users;                /* a group without SE_GROUP_OWNER */
    CU_ASSERT_EQUAL(create_fails(&f.desc), NTSEC_STATUS_INVALID_OWNER);
    f.desc.owner = tf_sid(&other, "S-1-5-18");
    CU_ASSERT_EQUAL(create_fails(&f.desc), NTSEC_STATUS_INVALID_OWNER);
}

/* The primary group is any SID of the token (the user or a group), else
 * STATUS_INVALID_PRIMARY_GROUP (TOKEN_PRIMARY_GROUP docs: "must be one of
 * the group SIDs already in the token"; ReactOS, behaviour only). */
static void primary_group_must_be_a_token_sid(void)
{
    struct tf_token f;
    struct ntsec_sid other;
    struct ntsec_token *t;

    tf_init(&f);
    f.desc.primary_group = &f.disabled;     /* attributes do not matter */
    t = make(&f.desc);
    CU_ASSERT_EQUAL(t->primary_group_pos, 1 + TF_DISABLED);
    ntsec_token_put(t);
    f.desc.primary_group = tf_sid(&other, "S-1-5-18");
    CU_ASSERT_EQUAL(create_fails(&f.desc), NTSEC_STATUS_INVALID_PRIMARY_GROUP);
}

/* Invalid SIDs (RtlValidSid fails) anywhere: STATUS_INVALID_SID. */
static void invalid_sid_is_rejected(void)
{
    struct tf_token f;
    struct ntsec_sid bad;

    tf_init(&f);
    bad = f.users;
    bad.revision = 2;
    f.groups[TF_USERS].sid = &bad;
    CU_ASSERT_EQUAL(create_fails(&f.desc), NTSEC_STATUS_INVALID_SID);
    tf_init(&f);
    f.desc.user.sid = NULL;
    CU_ASSERT_EQUAL(create_fails(&f.desc), NTSEC_STATUS_INVALID_SID);
    tf_init(&f);
    bad = f.user;
    bad.sub_authority_count = 16;
    f.desc.owner = &bad;
    CU_ASSERT_EQUAL(create_fails(&f.desc), NTSEC_STATUS_INVALID_SID);
}

/* A LUID that names no privilege (LowPart outside 2..36 or HighPart set)
 * cannot be held: STATUS_NO_SUCH_PRIVILEGE. */
static void unknown_privilege_is_rejected(void)
{
    struct tf_token f;

    tf_init(&f);
    f.privs[1].luid.low = 37;
    CU_ASSERT_EQUAL(create_fails(&f.desc), NTSEC_STATUS_NO_SUCH_PRIVILEGE);
    f.privs[1].luid.low = 1;
    CU_ASSERT_EQUAL(create_fails(&f.desc), NTSEC_STATUS_NO_SUCH_PRIVILEGE);
    f.privs[1].luid.low = NTSEC_SE_DEBUG_PRIVILEGE;
    f.privs[1].luid.high = 1;
    CU_ASSERT_EQUAL(create_fails(&f.desc), NTSEC_STATUS_NO_SUCH_PRIVILEGE);
}

/* TokenType and ImpersonationLevel out of range: STATUS_BAD_TOKEN_TYPE /
 * STATUS_BAD_IMPERSONATION_LEVEL (ntstatus.h); NULL arguments:
 * STATUS_INVALID_PARAMETER. */
static void bad_type_and_level_are_rejected(void)
{
    struct tf_token f;
    struct ntsec_token *t;

    tf_init(&f);
    f.desc.type = 0;
    CU_ASSERT_EQUAL(create_fails(&f.desc), NTSEC_STATUS_BAD_TOKEN_TYPE);
    f.desc.type = 3;
    CU_ASSERT_EQUAL(create_fails(&f.desc), NTSEC_STATUS_BAD_TOKEN_TYPE);
    f.desc.type = NTSEC_TOKEN_IMPERSONATION;
    f.desc.level = 4;
    CU_ASSERT_EQUAL(create_fails(&f.desc), NTSEC_STATUS_BAD_IMPERSONATION_LEVEL);
    CU_ASSERT_EQUAL(create_fails(NULL), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_token_create(&f.desc, NULL), NTSEC_STATUS_INVALID_PARAMETER);
    f.desc.level = NTSEC_SECURITY_IMPERSONATION;
    t = make(&f.desc);
    CU_ASSERT_EQUAL(ntsec_token_type(t), NTSEC_TOKEN_IMPERSONATION);
    CU_ASSERT_EQUAL(ntsec_token_level(t), NTSEC_SECURITY_IMPERSONATION);
    ntsec_token_put(t);
}

/* Attribute bits outside SE_GROUP_VALID_ATTRIBUTES, a policy outside
 * TOKEN_MANDATORY_POLICY_VALID_MASK, an unknown elevation type, a counted
 * NULL array: STATUS_INVALID_PARAMETER. A malformed default DACL:
 * STATUS_INVALID_ACL. */
static void malformed_description_is_rejected(void)
{
    struct tf_token f;
    struct ntsec_acl acl;

    tf_init(&f);
    f.groups[TF_USERS].attributes |= 0x100;
    CU_ASSERT_EQUAL(create_fails(&f.desc), NTSEC_STATUS_INVALID_PARAMETER);
    tf_init(&f);
    f.desc.mandatory_policy = 4;
    CU_ASSERT_EQUAL(create_fails(&f.desc), NTSEC_STATUS_INVALID_PARAMETER);
    tf_init(&f);
    f.desc.elevation_type = 4;
    CU_ASSERT_EQUAL(create_fails(&f.desc), NTSEC_STATUS_INVALID_PARAMETER);
    tf_init(&f);
    f.desc.groups = NULL;
    CU_ASSERT_EQUAL(create_fails(&f.desc), NTSEC_STATUS_INVALID_PARAMETER);
    tf_init(&f);
    f.desc.privileges = NULL;
    CU_ASSERT_EQUAL(create_fails(&f.desc), NTSEC_STATUS_INVALID_PARAMETER);
    tf_init(&f);
    memset(&acl, 0, sizeof(acl));
    acl.revision = 9;
    acl.size = sizeof(acl);
    f.desc.default_dacl = &acl;
    CU_ASSERT_EQUAL(create_fails(&f.desc), NTSEC_STATUS_INVALID_ACL);
}

/* A mandatory group is always enabled ("SE_GROUP_MANDATORY ... cannot have
 * the SE_GROUP_ENABLED attribute cleared", TOKEN_GROUPS docs), unless
 * deny-only (a filtered token). */
static void mandatory_groups_are_enabled(void)
{
    struct tf_token f;
    struct ntsec_token *t;

    tf_init(&f);
    f.groups[TF_USERS].attributes = NTSEC_SE_GROUP_MANDATORY;
    f.groups[TF_DENYONLY].attributes = NTSEC_SE_GROUP_MANDATORY | NTSEC_SE_GROUP_USE_FOR_DENY_ONLY;
    t = make(&f.desc);
    CU_ASSERT_EQUAL(t->sids[1 + TF_USERS].attributes, TF_MANDATORY);
    CU_ASSERT_EQUAL(t->sids[1 + TF_DENYONLY].attributes,
                    NTSEC_SE_GROUP_MANDATORY | NTSEC_SE_GROUP_USE_FOR_DENY_ONLY);
    CU_ASSERT(ntsec_token_is_member(t, &f.users));
    CU_ASSERT(!ntsec_token_is_member(t, &f.denyonly));
    ntsec_token_put(t);
}

/* The integrity label is the group flagged SE_GROUP_INTEGRITY (TOKEN_GROUPS
 * docs), an S-1-16-RID SID, one per token; it is not a group for
 * membership. The logon SID is the group with SE_GROUP_LOGON_ID. */
static void integrity_label_and_logon_sid_are_found(void)
{
    struct tf_token f;
    struct ntsec_token *t;
    struct ntsec_sid high;

    tf_init(&f);
    t = make(&f.desc);
    CU_ASSERT_EQUAL(t->integrity_pos, 1 + TF_LABEL);
    CU_ASSERT_EQUAL(t->logon_sid_pos, 1 + TF_LOGON);
    CU_ASSERT(!ntsec_token_is_member(t, &f.label));
    CU_ASSERT_EQUAL(ntsec__sid_index_find(&t->index, t->sids, &f.label), NTSEC__NO_INDEX);
    ntsec_token_put(t);

    tf_init(&f);                            /* two labels */
    f.groups[TF_DISABLED] = (struct ntsec_sid_and_attributes){
        tf_sid(&high, "S-1-16-12288"), NTSEC_SE_GROUP_INTEGRITY };
    CU_ASSERT_EQUAL(create_fails(&f.desc), NTSEC_STATUS_INVALID_PARAMETER);
    tf_init(&f);                            /* the flag on a non-label SID */
    f.groups[TF_USERS].attributes |= NTSEC_SE_GROUP_INTEGRITY;
    CU_ASSERT_EQUAL(create_fails(&f.desc), NTSEC_STATUS_INVALID_PARAMETER);
}

/* A token without a label reads as Untrusted: a missing label never
 * grants more than the lowest one (ntsec's choice; see token.c). */
static void token_without_label_is_untrusted(void)
{
    struct tf_token f;
    struct ntsec_token *t;

    tf_init(&f);
    f.desc.group_count = TF_LABEL;          /* every group but the label */
    t = make(&f.desc);
    CU_ASSERT_EQUAL(t->integrity_pos, NTSEC__NO_INDEX);
    CU_ASSERT_EQUAL(ntsec_token_integrity(t), NTSEC_MANDATORY_UNTRUSTED);
    ntsec_token_put(t);
}

/* Privileges: ENABLED and ENABLED_BY_DEFAULT are kept, REMOVED ones are
 * not held, a privilege listed twice is held once. */
static void privileges_become_masks(void)
{
    struct tf_token f;
    struct ntsec_luid_and_attributes privs[4] = {
        { { NTSEC_SE_DEBUG_PRIVILEGE, 0 }, NTSEC_SE_PRIVILEGE_ENABLED },
        { { NTSEC_SE_BACKUP_PRIVILEGE, 0 }, NTSEC_SE_PRIVILEGE_ENABLED_BY_DEFAULT },
        { { NTSEC_SE_RESTORE_PRIVILEGE, 0 }, NTSEC_SE_PRIVILEGE_REMOVED | NTSEC_SE_PRIVILEGE_ENABLED },
        { { NTSEC_SE_DEBUG_PRIVILEGE, 0 }, NTSEC_SE_PRIVILEGE_USED_FOR_ACCESS },
    };
    struct ntsec_token *t;

    tf_init(&f);
    f.desc.privileges = privs;
    f.desc.privilege_count = 4;
    t = make(&f.desc);
    CU_ASSERT_EQUAL(t->priv_present, (1ull << 20) | (1ull << 17));
    CU_ASSERT_EQUAL(t->priv_enabled, 1ull << 20);
    CU_ASSERT_EQUAL(t->priv_enabled_by_default, 1ull << 17);
    CU_ASSERT(ntsec_token_privilege_enabled(t, ntsec_privilege_luid(NTSEC_SE_DEBUG_PRIVILEGE)));
    CU_ASSERT(!ntsec_token_privilege_enabled(t, ntsec_privilege_luid(NTSEC_SE_BACKUP_PRIVILEGE)));
    CU_ASSERT(!ntsec_token_privilege_enabled(t, ntsec_privilege_luid(NTSEC_SE_RESTORE_PRIVILEGE)));
    CU_ASSERT(!ntsec_token_privilege_enabled(t, (struct ntsec_luid){ 40, 0 }));
    ntsec_token_put(t);
}

/* The token copies everything: changing the caller's arrays, SIDs, DACL
 * or claims afterwards changes nothing in it. */
static void token_owns_copies(void)
{
    struct tf_token f;
    struct ntsec_token *t;
    union { struct ntsec_acl acl; uint8_t b[64]; } dacl;
    struct ntsec_claim_value vals[2] = { { .string = NULL }, { .string = NULL } };
    char s0[] = "blue", s1[] = "red", name[] = "colour";
    struct ntsec_claim claim = { name, NTSEC_CLAIM_STRING, 0, 2, vals };

    vals[0].string = s0;
    vals[1].string = s1;
    tf_init(&f);
    CU_ASSERT_EQUAL_FATAL(ntsec_acl_init(&dacl.acl, sizeof(dacl), 2), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(ntsec_acl_add_access_ace(&dacl.acl, 2, NTSEC_ACE_ACCESS_ALLOWED, 0,
                                                   0x10000000, &f.user), NTSEC_STATUS_SUCCESS);
    f.desc.default_dacl = &dacl.acl;
    f.desc.user_claims = &claim;
    f.desc.user_claim_count = 1;
    t = make(&f.desc);
    memset(&f.users, 0, sizeof(f.users));
    f.groups[TF_ADMINS].attributes = 0;
    memset(&dacl, 0xff, sizeof(dacl));
    memset(s0, 'x', 4);
    name[0] = 'X';
    CU_ASSERT(ntsec_token_is_member(t, tf_sid(&f.users, "S-1-5-32-545")));
    CU_ASSERT(ntsec_token_is_admin(t));
    CU_ASSERT_PTR_NOT_NULL_FATAL(t->default_dacl);
    CU_ASSERT(ntsec_acl_is_valid(t->default_dacl));
    CU_ASSERT_EQUAL(t->default_dacl->ace_count, 1);
    CU_ASSERT_EQUAL_FATAL(t->user_claims.count, 1);
    CU_ASSERT_STRING_EQUAL(t->user_claims.claims[0].name, "colour");
    CU_ASSERT_STRING_EQUAL(t->user_claims.claims[0].values[0].string, "blue");
    CU_ASSERT_STRING_EQUAL(t->user_claims.claims[0].values[1].string, "red");
    ntsec_token_put(t);
}

/* Claims of every value type are deep-copied; a malformed claim (no
 * name, unknown type, NULL string, invalid SID value, boolean other than
 * 0/1) is STATUS_INVALID_PARAMETER / STATUS_INVALID_SID. */
static void claims_are_deep_copied_and_checked(void)
{
    struct tf_token f;
    struct ntsec_token *t;
    struct ntsec_sid sidval, bad;
    uint8_t oct[3] = { 1, 2, 3 };
    struct ntsec_claim_value vi = { .i64 = -5 }, vb = { .u64 = 1 }, vs = { .sid = NULL },
                             vo = { .octets = { oct, 3 } };
    struct ntsec_claim claims[4] = {
        { "n", NTSEC_CLAIM_INT64, 0, 1, &vi },
        { "b", NTSEC_CLAIM_BOOLEAN, 0, 1, &vb },
        { "s", NTSEC_CLAIM_SID, 0, 1, &vs },
        { "o", NTSEC_CLAIM_OCTET_STRING, 0, 1, &vo },
    };

    vs.sid = tf_sid(&sidval, "S-1-5-32-544");
    tf_init(&f);
    f.desc.device_claims = claims;
    f.desc.device_claim_count = 4;
    t = make(&f.desc);
    CU_ASSERT_EQUAL_FATAL(t->device_claims.count, 4);
    CU_ASSERT_EQUAL(t->device_claims.claims[0].values[0].i64, -5);
    CU_ASSERT_EQUAL(t->device_claims.claims[1].values[0].u64, 1);
    CU_ASSERT(ntsec_sid_equal(t->device_claims.claims[2].values[0].sid, &sidval));
    CU_ASSERT_PTR_NOT_EQUAL(t->device_claims.claims[2].values[0].sid, &sidval);
    CU_ASSERT_PTR_NOT_EQUAL(t->device_claims.claims[3].values[0].octets.data, oct);
    CU_ASSERT_MEM_EQUAL(t->device_claims.claims[3].values[0].octets.data, oct, 3);
    ntsec_token_put(t);

    vb.u64 = 2;
    CU_ASSERT_EQUAL(create_fails(&f.desc), NTSEC_STATUS_INVALID_PARAMETER);
    vb.u64 = 0;
    bad = sidval;
    bad.revision = 0;
    vs.sid = &bad;
    CU_ASSERT_EQUAL(create_fails(&f.desc), NTSEC_STATUS_INVALID_SID);
    vs.sid = &sidval;
    claims[0].name = NULL;
    CU_ASSERT_EQUAL(create_fails(&f.desc), NTSEC_STATUS_INVALID_PARAMETER);
    claims[0].name = "n";
    claims[0].type = 4;
    CU_ASSERT_EQUAL(create_fails(&f.desc), NTSEC_STATUS_INVALID_PARAMETER);
}

/* Every allocation of the builder can fail: NTSEC_STATUS_NO_MEMORY,
 * nothing leaked, *out untouched, no live object. */
static void create_survives_allocation_failure(void)
{
    struct tf_token f;
    union { struct ntsec_acl acl; uint8_t b[64]; } dacl;
    struct ntsec_claim_value v = { .i64 = 1 };
    struct ntsec_claim claim = { "c", NTSEC_CLAIM_INT64, 0, 1, &v };
    struct ntsec_sid_and_attributes restricted[1];
    struct ntsec_token *t;
    ntsec_status st;
    long n;

    tf_init(&f);
    CU_ASSERT_EQUAL_FATAL(ntsec_acl_init(&dacl.acl, sizeof(dacl), 2), NTSEC_STATUS_SUCCESS);
    f.desc.default_dacl = &dacl.acl;
    f.desc.user_claims = f.desc.device_claims = &claim;
    f.desc.user_claim_count = f.desc.device_claim_count = 1;
    restricted[0] = (struct ntsec_sid_and_attributes){ &f.users, TF_MANDATORY };
    f.desc.restricted_sids = f.desc.device_groups = restricted;
    f.desc.restricted_count = f.desc.device_group_count = 1;
    for (n = 0;; n++) {
        long live = testutil_live(), objects = ntsec_object_live();

        t = (struct ntsec_token *)(uintptr_t)0x99;
        testutil_fail_alloc_after(n);
        st = ntsec_token_create(&f.desc, &t);
        testutil_fail_alloc_after(-1);
        if (ntsec_success(st))
            break;
        CU_ASSERT_EQUAL(st, NTSEC_STATUS_NO_MEMORY);
        CU_ASSERT_PTR_EQUAL(t, (struct ntsec_token *)(uintptr_t)0x99);
        CU_ASSERT_EQUAL(testutil_live(), live);
        CU_ASSERT_EQUAL(ntsec_object_live(), objects);
        CU_ASSERT_FATAL(n < 50);
    }
    CU_ASSERT(n >= 7);      /* token, block, three indexes, DACL, two claim sets */
    ntsec_token_put(t);
}

/* --- the SID hash and index ------------------------------------------------- */

/* Equal SIDs hash equal wherever they lie (SIDs in ACEs are unaligned);
 * SIDs that differ in one RID spread over the index's low bits. */
static void sid_hash_is_stable_and_spreads(void)
{
    struct ntsec_sid a, b;
    uint8_t buf[80];
    unsigned buckets[256] = { 0 }, worst = 0;

    tf_sid(&a, "S-1-5-21-1004336348-1177238915-682003330-1001");
    memcpy(buf + 1, &a, ntsec_sid_length(&a));
    CU_ASSERT_EQUAL(ntsec__sid_hash(&a), ntsec__sid_hash((const struct ntsec_sid *)(buf + 1)));
    b = a;
    b.sub_authority[4] = 1002;
    CU_ASSERT_NOT_EQUAL(ntsec__sid_hash(&a), ntsec__sid_hash(&b));
    /* 1024 consecutive RIDs, and 1024 RIDs differing only in high bits,
     * into 256 buckets by the low bits: no bucket far above the mean of 8. */
    for (uint32_t i = 0; i < 1024; i++) {
        b.sub_authority[4] = 1000 + i;
        buckets[ntsec__sid_hash(&b) & 255]++;
        b.sub_authority[4] = i << 22;
        buckets[ntsec__sid_hash(&b) & 255]++;
    }
    for (int i = 0; i < 256; i++)
        if (buckets[i] > worst)
            worst = buckets[i];
    CU_ASSERT(worst < 32);
}

/* An index over 400 groups (tokens with hundreds of groups are normal)
 * finds each at its position, finds nothing else, keeps the first of a
 * SID listed twice, and skips the position it is told to. */
static void sid_index_finds_every_group(void)
{
    enum { N = 400 };
    struct ntsec__token_sid *e = calloc(N, sizeof(*e));
    struct ntsec_sid *sids = calloc(N, sizeof(*sids));
    struct ntsec__sid_index index;
    struct ntsec_sid absent;

    CU_ASSERT_FATAL(e && sids);
    for (uint32_t i = 0; i < N; i++) {
        tf_sid(&sids[i], "S-1-5-21-1-2-3-0");
        sids[i].sub_authority[4] = 5000 + i;
        e[i].sid = &sids[i];
        e[i].hash = ntsec__sid_hash(&sids[i]);
    }
    sids[N - 1] = sids[7];                  /* a duplicate of entry 7 */
    e[N - 1].hash = e[7].hash;
    CU_ASSERT_EQUAL_FATAL(ntsec__sid_index_build(&index, e, N, 3), NTSEC_STATUS_SUCCESS);
    CU_ASSERT(index.mask + 1 >= 2 * N);
    for (uint32_t i = 0; i < N - 1; i++)
        CU_ASSERT_EQUAL(ntsec__sid_index_find(&index, e, &sids[i]), i == 3 ? NTSEC__NO_INDEX : i);
    CU_ASSERT_EQUAL(ntsec__sid_index_find(&index, e, &sids[N - 1]), 7);
    tf_sid(&absent, "S-1-5-21-1-2-3-4999");
    CU_ASSERT_EQUAL(ntsec__sid_index_find(&index, e, &absent), NTSEC__NO_INDEX);
    tf_sid(&absent, "S-1-5-21-1-2-5000");   /* a prefix of the others */
    CU_ASSERT_EQUAL(ntsec__sid_index_find(&index, e, &absent), NTSEC__NO_INDEX);
    CU_ASSERT_EQUAL(ntsec__sid_index_find(&index, e, NULL), NTSEC__NO_INDEX);
    ntsec__sid_index_free(&index);
    /* An empty index allocates nothing and finds nothing. */
    CU_ASSERT_EQUAL(ntsec__sid_index_build(&index, e, 0, NTSEC__NO_INDEX), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_PTR_NULL(index.slots);
    CU_ASSERT_EQUAL(ntsec__sid_index_find(&index, e, &sids[0]), NTSEC__NO_INDEX);
    ntsec__sid_index_free(&index);
    testutil_fail_alloc_after(0);
    CU_ASSERT_EQUAL(ntsec__sid_index_build(&index, e, N, NTSEC__NO_INDEX), NTSEC_STATUS_NO_MEMORY);
    testutil_fail_alloc_after(-1);
    free(e);
    free(sids);
}

/* --- writers and describe ---------------------------------------------------- */

/* Every change bumps ModifiedId to a fresh LUID (TOKEN_STATISTICS docs:
 * "changes each time the token is modified"); a write that changed
 * nothing leaves it. TokenId never changes. */
static void write_end_bumps_modified_id(void)
{
    struct tf_token f;
    struct ntsec_token *t;
    uint64_t id, mod;

    tf_init(&f);
    t = make(&f.desc);
    id = u64(ntsec_token_id(t));
    mod = u64(ntsec_token_modified_id(t));
    ntsec__token_write_begin(t);
    CU_ASSERT(t->seq & 1);
    ntsec__token_write_end(t, false);
    CU_ASSERT_EQUAL(u64(ntsec_token_modified_id(t)), mod);
    ntsec__token_write_begin(t);
    atomic_fetch_or(&t->priv_enabled, 1ull << NTSEC_SE_SHUTDOWN_PRIVILEGE);
    ntsec__token_write_end(t, true);
    CU_ASSERT_FALSE(t->seq & 1);
    CU_ASSERT(u64(ntsec_token_modified_id(t)) > mod);
    CU_ASSERT_EQUAL(u64(ntsec_token_id(t)), id);
    CU_ASSERT(ntsec_token_privilege_enabled(t, ntsec_privilege_luid(NTSEC_SE_SHUTDOWN_PRIVILEGE)));
    ntsec_token_put(t);
}

/* describe gives the current state: rebuilding from it yields an
 * equivalent token with the same attributes, owner, primary group, DACL,
 * ids of the logon session, and the label at its current level. */
static void describe_round_trips(void)
{
    struct tf_token f;
    struct ntsec_token *t, *copy = NULL;
    struct ntsec_token_desc d;
    union { struct ntsec_acl acl; uint8_t b[64]; } dacl;

    tf_init(&f);
    CU_ASSERT_EQUAL_FATAL(ntsec_acl_init(&dacl.acl, sizeof(dacl), 2), NTSEC_STATUS_SUCCESS);
    f.desc.default_dacl = &dacl.acl;
    f.desc.owner = &f.admins;
    f.desc.primary_group = &f.users;
    f.desc.session_id = 2;
    t = make(&f.desc);
    /* A writer lowers the integrity and disables Administrators. */
    ntsec__token_write_begin(t);
    atomic_store(&t->integrity_rid, NTSEC_MANDATORY_LOW);
    atomic_store(&t->sids[1 + TF_ADMINS].attributes, NTSEC_SE_GROUP_OWNER);
    ntsec__token_write_end(t, true);

    CU_ASSERT_EQUAL_FATAL(ntsec__token_describe(t, &d), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(d.group_count, 7);
    CU_ASSERT_EQUAL(d.groups[TF_ADMINS].attributes, NTSEC_SE_GROUP_OWNER);
    CU_ASSERT_EQUAL(ntsec_sid_rid(d.groups[TF_LABEL].sid), NTSEC_MANDATORY_LOW);
    CU_ASSERT(ntsec_sid_equal(d.owner, &f.admins));
    CU_ASSERT(ntsec_sid_equal(d.primary_group, &f.users));
    CU_ASSERT_EQUAL(d.privilege_count, 2);
    CU_ASSERT_EQUAL(d.session_id, 2);
    CU_ASSERT_EQUAL(d.mandatory_policy, NTSEC_TOKEN_MANDATORY_POLICY_VALID_MASK);
    CU_ASSERT_PTR_NOT_NULL(d.default_dacl);
    CU_ASSERT_PTR_NOT_EQUAL(d.default_dacl, t->default_dacl);
    CU_ASSERT_EQUAL(ntsec__token_build(&d, &copy), NTSEC_STATUS_SUCCESS);
    ntsec__token_desc_release(&d);
    CU_ASSERT_PTR_NULL(d.groups);
    CU_ASSERT_PTR_NOT_NULL_FATAL(copy);
    CU_ASSERT(ntsec_token_equal(t, copy));
    CU_ASSERT_EQUAL(ntsec_token_integrity(copy), NTSEC_MANDATORY_LOW);
    CU_ASSERT(!ntsec_token_is_admin(copy));
    CU_ASSERT_EQUAL(copy->owner_pos, 1 + TF_ADMINS);
    CU_ASSERT_EQUAL(u64(ntsec_token_authentication_id(copy)), u64(ntsec_token_authentication_id(t)));
    CU_ASSERT_NOT_EQUAL(u64(ntsec_token_id(copy)), u64(ntsec_token_id(t)));
    CU_ASSERT_EQUAL(copy->session_id, 2);
    ntsec_token_put(copy);
    ntsec_token_put(t);
}

/* describe's allocations can fail: NO_MEMORY, *desc untouched, no leak. */
static void describe_survives_allocation_failure(void)
{
    struct tf_token f;
    struct ntsec_token *t;
    struct ntsec_token_desc d;
    union { struct ntsec_acl acl; uint8_t b[64]; } dacl;
    ntsec_status st;
    long n;

    tf_init(&f);
    CU_ASSERT_EQUAL_FATAL(ntsec_acl_init(&dacl.acl, sizeof(dacl), 2), NTSEC_STATUS_SUCCESS);
    f.desc.default_dacl = &dacl.acl;
    t = make(&f.desc);
    for (n = 0;; n++) {
        long live = testutil_live();

        memset(&d, 0x5a, sizeof(d));
        testutil_fail_alloc_after(n);
        st = ntsec__token_describe(t, &d);
        testutil_fail_alloc_after(-1);
        if (ntsec_success(st))
            break;
        CU_ASSERT_EQUAL(st, NTSEC_STATUS_NO_MEMORY);
        CU_ASSERT_EQUAL(((uint8_t *)&d)[0], 0x5a);
        CU_ASSERT_EQUAL(testutil_live(), live);
        CU_ASSERT_FATAL(n < 10);
    }
    CU_ASSERT_EQUAL(n, 2);
    ntsec__token_desc_release(&d);
    ntsec_token_put(t);
}

/* --- questions ---------------------------------------------------------------- */

/* CheckTokenMembership: the user and enabled groups are members; disabled
 * and deny-only groups are not ("If the SID is present and has the
 * SE_GROUP_ENABLED attribute", Microsoft docs). */
static void membership_needs_an_enabled_sid(void)
{
    struct tf_token f;
    struct ntsec_token *t;
    struct ntsec_sid other;

    tf_init(&f);
    t = make(&f.desc);
    CU_ASSERT(ntsec_token_is_member(t, &f.user));
    CU_ASSERT(ntsec_token_is_member(t, &f.everyone));
    CU_ASSERT(ntsec_token_is_member(t, &f.admins));
    CU_ASSERT(ntsec_token_is_member(t, &f.logon));
    CU_ASSERT(!ntsec_token_is_member(t, &f.disabled));
    CU_ASSERT(!ntsec_token_is_member(t, &f.denyonly));
    CU_ASSERT(!ntsec_token_is_member(t, tf_sid(&other, "S-1-5-18")));
    CU_ASSERT(!ntsec_token_is_member(t, NULL));
    ntsec_token_put(t);

    tf_init(&f);                            /* a deny-only user */
    f.desc.user.attributes = NTSEC_SE_GROUP_USE_FOR_DENY_ONLY;
    t = make(&f.desc);
    CU_ASSERT(!ntsec_token_is_member(t, &f.user));
    ntsec_token_put(t);
}

/* A restricted token: the SID must be enabled in the normal list and in
 * the restricting list ("Restricted Tokens", Microsoft docs: both access
 * checks must grant); a write-restricted token restricts writes only. */
static void restricted_membership_needs_both_lists(void)
{
    struct tf_token f;
    struct ntsec_token *t;
    struct ntsec_sid_and_attributes restricted[2];

    tf_init(&f);
    restricted[0] = (struct ntsec_sid_and_attributes){ &f.users, TF_MANDATORY };
    restricted[1] = (struct ntsec_sid_and_attributes){ &f.disabled, TF_MANDATORY };
    f.desc.restricted_sids = restricted;
    f.desc.restricted_count = 2;
    t = make(&f.desc);
    CU_ASSERT(ntsec_token_is_restricted(t));
    CU_ASSERT(ntsec_token_is_member(t, &f.users));
    CU_ASSERT(!ntsec_token_is_member(t, &f.everyone));  /* not restricting */
    CU_ASSERT(!ntsec_token_is_member(t, &f.user));
    CU_ASSERT(!ntsec_token_is_member(t, &f.disabled));  /* restricting, not enabled */
    ntsec_token_put(t);

    f.desc.write_restricted = true;
    t = make(&f.desc);
    CU_ASSERT(ntsec_token_is_restricted(t));
    CU_ASSERT(ntsec_token_is_member(t, &f.everyone));
    ntsec_token_put(t);

    f.desc.restricted_count = 0;
    f.desc.write_restricted = false;
    t = make(&f.desc);
    CU_ASSERT(!ntsec_token_is_restricted(t));
    ntsec_token_put(t);
}

/* SeTokenIsAdmin: BUILTIN\Administrators as an enabled group; deny-only
 * (a UAC limited token) or disabled, it is not. */
static void admin_is_enabled_administrators(void)
{
    struct tf_token f;
    struct ntsec_token *t;

    tf_init(&f);
    t = make(&f.desc);
    CU_ASSERT(ntsec_token_is_admin(t));
    ntsec_token_put(t);
    f.groups[TF_ADMINS].attributes = NTSEC_SE_GROUP_USE_FOR_DENY_ONLY;
    t = make(&f.desc);
    CU_ASSERT(!ntsec_token_is_admin(t));
    ntsec_token_put(t);
    f.groups[TF_ADMINS].attributes = 0;
    t = make(&f.desc);
    CU_ASSERT(!ntsec_token_is_admin(t));
    ntsec_token_put(t);
}

/* NtCompareTokens (Microsoft docs): the same SIDs and privileges, whatever
 * their attributes or order; restricted both or neither, with the same
 * restricting SIDs. */
static void compare_tokens_by_sids_and_privileges(void)
{
    struct tf_token f;
    struct ntsec_token *a, *b;
    struct ntsec_sid_and_attributes restricted[1];
    struct ntsec_sid_and_attributes swapped[7];

    tf_init(&f);
    a = make(&f.desc);
    memcpy(swapped, f.groups, sizeof(swapped));
    swapped[0] = f.groups[1];
    swapped[1] = f.groups[0];
    swapped[TF_DISABLED].attributes = TF_ENABLED;       /* attributes differ */
    f.desc.groups = swapped;
    f.privs[1].attributes = NTSEC_SE_PRIVILEGE_ENABLED;
    b = make(&f.desc);
    CU_ASSERT(ntsec_token_equal(a, b));
    CU_ASSERT(ntsec_token_equal(a, a));
    ntsec_token_put(b);

    f.desc.privilege_count = 1;                          /* one privilege fewer */
    b = make(&f.desc);
    CU_ASSERT(!ntsec_token_equal(a, b));
    CU_ASSERT(!ntsec_token_equal(b, a));
    ntsec_token_put(b);

    f.desc.privilege_count = 2;
    f.desc.group_count = 6;                              /* no label */
    b = make(&f.desc);
    CU_ASSERT(!ntsec_token_equal(a, b));
    ntsec_token_put(b);

    f.desc.group_count = 7;
    restricted[0] = (struct ntsec_sid_and_attributes){ &f.users, TF_MANDATORY };
    f.desc.restricted_sids = restricted;
    f.desc.restricted_count = 1;
    b = make(&f.desc);
    CU_ASSERT(!ntsec_token_equal(a, b));
    ntsec_token_put(b);
    ntsec_token_put(a);
}

/* TokenLinkedToken (Windows results asserted by Wine's test_elevation):
 * none gives NULL and success; otherwise a new impersonation token at
 * SecurityIdentification each time, whose linked token is the asker. */
static void linked_token_is_a_new_identification_copy(void)
{
    struct tf_token f;
    struct ntsec_token *full, *limited, *l1 = NULL, *l2 = NULL, *back = NULL;

    tf_init(&f);
    f.desc.elevation_type = NTSEC_ELEVATION_FULL;
    full = make(&f.desc);
    CU_ASSERT_EQUAL(ntsec_token_linked(full, &l1), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_PTR_NULL(l1);
    f.groups[TF_ADMINS].attributes = NTSEC_SE_GROUP_USE_FOR_DENY_ONLY;
    f.desc.elevation_type = NTSEC_ELEVATION_LIMITED;
    f.desc.linked_token = full;
    limited = make(&f.desc);
    CU_ASSERT_PTR_EQUAL(limited->linked, full);

    CU_ASSERT_EQUAL_FATAL(ntsec_token_linked(limited, &l1), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(ntsec_token_linked(limited, &l2), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_PTR_NOT_EQUAL(l1, full);
    CU_ASSERT_NOT_EQUAL(u64(ntsec_token_id(l1)), u64(ntsec_token_id(l2)));
    CU_ASSERT_EQUAL(ntsec_token_type(l1), NTSEC_TOKEN_IMPERSONATION);
    CU_ASSERT_EQUAL(ntsec_token_level(l1), NTSEC_SECURITY_IDENTIFICATION);
    CU_ASSERT_EQUAL(l1->elevation_type, NTSEC_ELEVATION_FULL);
    CU_ASSERT(ntsec_token_is_admin(l1));
    CU_ASSERT_EQUAL_FATAL(ntsec_token_linked(l1, &back), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(back->elevation_type, NTSEC_ELEVATION_LIMITED);
    CU_ASSERT(!ntsec_token_is_admin(back));
    ntsec_token_put(back);
    ntsec_token_put(l1);
    ntsec_token_put(l2);
    ntsec_token_put(limited);
    ntsec_token_put(full);
}

/* get/put count references: the token lives until the last put. */
static void references_keep_token_alive(void)
{
    struct tf_token f;
    struct ntsec_token *t;
    long before = ntsec_object_live();

    tf_init(&f);
    t = make(&f.desc);
    CU_ASSERT_EQUAL(ntsec_object_live(), before + 1);
    CU_ASSERT_PTR_EQUAL(ntsec_token_get(t), t);
    CU_ASSERT_EQUAL(ntsec_object_type(t), NTSEC_OBJECT_TOKEN);
    ntsec_token_put(t);
    CU_ASSERT_EQUAL(ntsec_object_live(), before + 1);
    ntsec_token_put(t);
    CU_ASSERT_EQUAL(ntsec_object_live(), before);
    ntsec_token_put(NULL);
}

void register_tests(void)
{
    static CU_TestInfo tests[] = {
        TEST(new_token_takes_windows_defaults),
        TEST(builder_takes_description_literally),
        TEST(token_ids_are_fresh_luids),
        TEST(owner_must_be_user_or_owner_group),
        TEST(primary_group_must_be_a_token_sid),
        TEST(invalid_sid_is_rejected),
        TEST(unknown_privilege_is_rejected),
        TEST(bad_type_and_level_are_rejected),
        TEST(malformed_description_is_rejected),
        TEST(mandatory_groups_are_enabled),
        TEST(integrity_label_and_logon_sid_are_found),
        TEST(token_without_label_is_untrusted),
        TEST(privileges_become_masks),
        TEST(token_owns_copies),
        TEST(claims_are_deep_copied_and_checked),
        TEST(create_survives_allocation_failure),
        TEST(sid_hash_is_stable_and_spreads),
        TEST(sid_index_finds_every_group),
        TEST(write_end_bumps_modified_id),
        TEST(describe_round_trips),
        TEST(describe_survives_allocation_failure),
        TEST(membership_needs_an_enabled_sid),
        TEST(restricted_membership_needs_both_lists),
        TEST(admin_is_enabled_administrators),
        TEST(compare_tokens_by_sids_and_privileges),
        TEST(linked_token_is_a_new_identification_copy),
        TEST(references_keep_token_alive),
        CU_TEST_INFO_NULL,
    };

    testutil_add_suite("token", tests);
}
