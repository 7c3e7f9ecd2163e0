/* test_access_integrity.c - mandatory access in the access check: the
 * integrity label (MIC) and the process trust label. */
#include <stdio.h>

#include "access_fixtures.h"

#define O_USER "O:" USER_SID "G:BU"
#define OPEN_DACL "D:(A;;FA;;;WD)"
#define FILE_READ_DATA 0x1u
#define FILE_WRITE_DATA 0x2u
#define FILE_EXECUTE 0x20u

static struct ntsec_token *at_level(uint32_t rid, const enum ntsec_privilege *privs)
{
    struct fix_token f = { .groups = fix_plain_groups, .integrity = rid, .privileges = privs };

    return fix_token(&f);
}

/* "Mandatory Integrity Control" (Microsoft docs): an object without a
 * label is Medium with NO_WRITE_UP; a Low token may read it, not write. */
static void unlabelled_object_is_medium_no_write_up(void)
{
    struct ntsec_token *low = at_level(NTSEC_MANDATORY_LOW, NULL);
    struct ntsec_token *med = fix_plain();
    ntsec_status st;

    CU_ASSERT_EQUAL(fix_check(low, "O:BAG:BU" OPEN_DACL, FILE_READ_DATA, &st), FILE_READ_DATA);
    CU_ASSERT_EQUAL(fix_check(low, "O:BAG:BU" OPEN_DACL, FILE_WRITE_DATA, &st), 0);
    CU_ASSERT_EQUAL(st, NTSEC_STATUS_ACCESS_DENIED);
    CU_ASSERT_EQUAL(fix_check(med, "O:BAG:BU" OPEN_DACL, FILE_WRITE_DATA, &st), FILE_WRITE_DATA);
    ntsec_token_put(low);
    ntsec_token_put(med);
}

/* SYSTEM_MANDATORY_LABEL_ACE (Microsoft docs): NO_READ_UP and
 * NO_EXECUTE_UP refuse reads and executes to lower tokens; the policy is
 * mapped through the object's GenericRead/Execute (Forshaw, Windows
 * Security Internals ch. 7, Listings 7-10/7-11). */
static void label_policy_bits(void)
{
    struct ntsec_token *med = fix_plain();
    ntsec_status st;

    CU_ASSERT_EQUAL(fix_check(med, "O:BAG:BU" OPEN_DACL "S:(ML;;NWNR;;;HI)", FILE_READ_DATA, &st), 0);
    CU_ASSERT_EQUAL(st, NTSEC_STATUS_ACCESS_DENIED);
    CU_ASSERT_EQUAL(fix_check(med, "O:BAG:BU" OPEN_DACL "S:(ML;;NWNR;;;HI)", FILE_EXECUTE, &st),
                    FILE_EXECUTE);
    CU_ASSERT_EQUAL(fix_check(med, "O:BAG:BU" OPEN_DACL "S:(ML;;NWNX;;;HI)", FILE_EXECUTE, &st), 0);
    CU_ASSERT_EQUAL(fix_check(med, "O:BAG:BU" OPEN_DACL "S:(ML;;NWNX;;;HI)", FILE_READ_DATA, &st),
                    FILE_READ_DATA);
    /* Without NO_WRITE_UP in the label, writes still do not go up: the
     * token's own NO_WRITE_UP policy forbids them. */
    CU_ASSERT_EQUAL(fix_check(med, "O:BAG:BU" OPEN_DACL "S:(ML;;NR;;;HI)", FILE_WRITE_DATA, &st), 0);
    /* READ_CONTROL counts as a read, SYNCHRONIZE as an execute. */
    CU_ASSERT_EQUAL(fix_check(med, "O:BAG:BU" OPEN_DACL "S:(ML;;NW;;;HI)",
                              NTSEC_READ_CONTROL | NTSEC_SYNCHRONIZE, &st),
                    NTSEC_READ_CONTROL | NTSEC_SYNCHRONIZE);
    /* ... unless the mapping lists it among the execute rights, as
     * FILE_GENERIC_EXECUTE does. */
    CU_ASSERT_EQUAL(fix_check(med, "O:BAG:BU" OPEN_DACL "S:(ML;;NWNR;;;HI)", NTSEC_READ_CONTROL,
                              &st), NTSEC_READ_CONTROL);
    CU_ASSERT_EQUAL(fix_check(med, "O:BAG:BU" OPEN_DACL "S:(ML;;NWNRNX;;;HI)", NTSEC_READ_CONTROL,
                              &st), 0);
    ntsec_token_put(med);
}

/* "Mandatory Integrity Control": a token at or above the label is not
 * limited; the label's level is compared, not its policy. */
static void equal_or_higher_token_not_limited(void)
{
    struct ntsec_token *high = at_level(NTSEC_MANDATORY_HIGH, NULL);
    struct ntsec_token *med = fix_plain();

    CU_ASSERT_EQUAL(fix_check(high, "O:BAG:BU" OPEN_DACL "S:(ML;;NWNRNX;;;HI)", 0x1F01FF, NULL),
                    0x1F01FF);
    CU_ASSERT_EQUAL(fix_check(med, "O:BAG:BU" OPEN_DACL "S:(ML;;NWNRNX;;;ME)", 0x1F01FF, NULL),
                    0x1F01FF);
    ntsec_token_put(high);
    ntsec_token_put(med);
}

/* TOKEN_MANDATORY_POLICY (Microsoft docs): a token without
 * TOKEN_MANDATORY_POLICY_NO_WRITE_UP is not subject to integrity. */
static void policy_off_token_not_limited(void)
{
    struct fix_token f = { .groups = fix_plain_groups, .integrity = NTSEC_MANDATORY_LOW,
                           .policy_off = true };
    struct ntsec_token *t = fix_token(&f);

    CU_ASSERT_EQUAL(fix_check(t, "O:BAG:BU" OPEN_DACL "S:(ML;;NWNR;;;HI)", FILE_WRITE_DATA, NULL),
                    FILE_WRITE_DATA);
    ntsec_token_put(t);
}

/* The first label ACE counts, and an inherit-only one leaves the default
 * (Medium, NO_WRITE_UP: Forshaw ch. 7, Listing 7-10). Which ACE counts and
 * the inherit-only rule are ntsec's choices; no public source found. */
static void inherit_only_label_means_default(void)
{
    struct ntsec_token *low = at_level(NTSEC_MANDATORY_LOW, NULL);
    struct ntsec_token *med = fix_plain();

    CU_ASSERT_EQUAL(fix_check(med, "O:BAG:BU" OPEN_DACL "S:(ML;IO;NWNR;;;HI)", FILE_READ_DATA,
                              NULL), FILE_READ_DATA);
    CU_ASSERT_EQUAL(fix_check(low, "O:BAG:BU" OPEN_DACL "S:(ML;IO;NW;;;LW)", FILE_WRITE_DATA,
                              NULL), 0);
    ntsec_token_put(low);
    ntsec_token_put(med);
}

/* Forshaw, Windows Security Internals ch. 7, Listing 7-11: with
 * MAXIMUM_ALLOWED the grant is cut to what the label allows; the owner's
 * WRITE_DAC does not go up either (the mandatory check comes before the
 * owner check, Figure 7-3). */
static void maximum_allowed_is_cut_by_integrity(void)
{
    struct ntsec_token *low = at_level(NTSEC_MANDATORY_LOW, NULL);
    ntsec_status st;

    CU_ASSERT_EQUAL(fix_check(low, O_USER OPEN_DACL, NTSEC_MAXIMUM_ALLOWED, &st),
                    0x120089 | 0x1200A0);
    CU_ASSERT_EQUAL(st, NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(fix_check(low, O_USER "D:", NTSEC_WRITE_DAC, &st), 0);
    CU_ASSERT_EQUAL(fix_check(low, O_USER "D:", NTSEC_MAXIMUM_ALLOWED, &st), NTSEC_READ_CONTROL);
    CU_ASSERT_EQUAL(fix_check(low, "O:BAG:BU" OPEN_DACL "S:(ML;;NWNRNX;;;ME)",
                              NTSEC_MAXIMUM_ALLOWED, &st), 0);
    CU_ASSERT_EQUAL(st, NTSEC_STATUS_ACCESS_DENIED);
    ntsec_token_put(low);
}

/* Forshaw, Windows Security Internals ch. 7, Listing 7-10: SeRelabelPrivilege
 * lets WRITE_OWNER go up. Integrity runs before the privileges (Figure 7-3,
 * Listing 7-2): ACCESS_SYSTEM_SECURITY from below is a plain denial, not
 * STATUS_PRIVILEGE_NOT_HELD. */
static void relabel_and_order_before_privileges(void)
{
    static const enum ntsec_privilege rl[] = { NTSEC_SE_RELABEL_PRIVILEGE, 0 };
    struct ntsec_token *low = at_level(NTSEC_MANDATORY_LOW, rl);
    struct ntsec_token *plain = at_level(NTSEC_MANDATORY_LOW, NULL);
    ntsec_status st;

    CU_ASSERT_EQUAL(fix_check(low, "O:BAG:BU" OPEN_DACL, NTSEC_WRITE_OWNER, &st),
                    NTSEC_WRITE_OWNER);
    CU_ASSERT_EQUAL(fix_check(plain, "O:BAG:BU" OPEN_DACL, NTSEC_WRITE_OWNER, &st), 0);
    fix_check(plain, "O:BAG:BU" OPEN_DACL, NTSEC_ACCESS_SYSTEM_SECURITY, &st);
    CU_ASSERT_EQUAL(st, NTSEC_STATUS_ACCESS_DENIED);
    ntsec_token_put(low);
    ntsec_token_put(plain);
}

/* A label ACE whose SID is not S-1-16-x fails the call with
 * STATUS_INVALID_PARAMETER (ntsec's choice; no public source found). */
static void label_ace_with_other_sid_is_invalid_parameter(void)
{
    struct ntsec_token *t = fix_plain();
    uint8_t sacl_buf[64], dacl_buf[64];
    struct ntsec_acl *sacl = (struct ntsec_acl *)sacl_buf, *dacl = (struct ntsec_acl *)dacl_buf;
    struct ntsec_sd_absolute sd;
    struct ntsec_access_result res;
    /* A SYSTEM_MANDATORY_LABEL_ACE for Everyone, built by hand. */
    uint8_t ace[20] = { NTSEC_ACE_SYSTEM_MANDATORY_LABEL, 0, 20, 0, 1, 0, 0, 0,
                        1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0 };

    CU_ASSERT_FATAL(ntsec_success(ntsec_acl_init(sacl, sizeof sacl_buf, 2)));
    CU_ASSERT_FATAL(ntsec_success(ntsec_acl_add_aces(sacl, 2, 0, ace, sizeof ace)));
    CU_ASSERT_FATAL(ntsec_success(ntsec_acl_init(dacl, sizeof dacl_buf, 2)));
    CU_ASSERT_FATAL(ntsec_success(ntsec_acl_add_access_ace(dacl, 2, NTSEC_ACE_ACCESS_ALLOWED, 0,
                                                           0x1F01FF, fix_sid("S-1-1-0"))));
    ntsec_sd_init(&sd, 1);
    ntsec_sd_set_owner(&sd, fix_sid("S-1-5-32-544"), false);
    ntsec_sd_set_group(&sd, fix_sid("S-1-5-32-545"), false);
    ntsec_sd_set_dacl(&sd, true, dacl, false);
    ntsec_sd_set_sacl(&sd, true, sacl, false);
    res.granted = 0x1abe11ed;
    CU_ASSERT_EQUAL(fix_check_ex(t, &sd, 1, 0, &file_mapping, &res),
                    NTSEC_STATUS_INVALID_PARAMETER);
    ntsec_token_put(t);
}

/* Forshaw, Windows Security Internals ch. 7, Listing 7-5
 * (Test-ProcessTrustLevel): a process trust label limits callers that are
 * not protected processes (ntsec has none) to its mask plus
 * ACCESS_SYSTEM_SECURITY. */
static void process_trust_label_limits_unprotected_callers(void)
{
    struct ntsec_token *t = fix_plain();
    const char *sd = "O:BAG:BU" OPEN_DACL "S:(TL;;0x1;;;S-1-19-512-8192)";
    ntsec_status st;

    CU_ASSERT_EQUAL(fix_check(t, sd, FILE_READ_DATA, &st), FILE_READ_DATA);
    CU_ASSERT_EQUAL(fix_check(t, sd, FILE_WRITE_DATA, &st), 0);
    CU_ASSERT_EQUAL(st, NTSEC_STATUS_ACCESS_DENIED);
    CU_ASSERT_EQUAL(fix_check(t, sd, NTSEC_MAXIMUM_ALLOWED, &st), FILE_READ_DATA);
    CU_ASSERT_EQUAL(fix_check(t, "O:BAG:BU" OPEN_DACL "S:(TL;IO;0x1;;;S-1-19-512-8192)",
                              FILE_WRITE_DATA, &st), FILE_WRITE_DATA);
    ntsec_token_put(t);
}

struct recorder {
    int integrity_steps;
    uint32_t refused;
};

static void record(void *ctx, const struct ntsec_access_step *s)
{
    struct recorder *r = ctx;

    if (s->kind == NTSEC_STEP_INTEGRITY) {
        r->integrity_steps++;
        r->refused |= s->bits;
    }
}

/* The trace names the rights integrity refused. */
static void trace_reports_integrity_refusal(void)
{
    struct ntsec_token *low = at_level(NTSEC_MANDATORY_LOW, NULL);
    void *sd = fix_sd("O:BAG:BU" OPEN_DACL);
    struct recorder r = { 0, 0 };
    struct ntsec_access_trace tr = { record, &r };
    struct ntsec_access_request rq = { .sd = sd, .token = low, .mapping = &file_mapping,
                                       .desired = FILE_WRITE_DATA | FILE_READ_DATA, .trace = &tr };
    struct ntsec_access_result res;

    CU_ASSERT_EQUAL(ntsec_access_check(&rq, &res), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(res.status, NTSEC_STATUS_ACCESS_DENIED);
    CU_ASSERT_EQUAL(r.integrity_steps, 1);
    CU_ASSERT_EQUAL(r.refused, FILE_WRITE_DATA);
    ntsec_mem_free(sd);
    ntsec_token_put(low);
}

void register_tests(void)
{
    static CU_TestInfo tests[] = {
        TEST(unlabelled_object_is_medium_no_write_up),
        TEST(label_policy_bits),
        TEST(equal_or_higher_token_not_limited),
        TEST(policy_off_token_not_limited),
        TEST(inherit_only_label_means_default),
        TEST(maximum_allowed_is_cut_by_integrity),
        TEST(relabel_and_order_before_privileges),
        TEST(label_ace_with_other_sid_is_invalid_parameter),
        TEST(process_trust_label_limits_unprotected_callers),
        TEST(trace_reports_integrity_refusal),
        CU_TEST_INFO_NULL,
    };

    testutil_add_suite("access_integrity", tests);
}
