/* test_access_objects.c - object ACEs and object type lists
 * (AccessCheckByType, AccessCheckByTypeResultList). */
#include <stdio.h>

#include "access_fixtures.h"

#define RP 0x10u        /* ADS_RIGHT_DS_READ_PROP */
#define WP 0x20u        /* ADS_RIGHT_DS_WRITE_PROP */

/* The object (level 0), a property set (1) with two properties (2), and
 * another property (1). */
static const struct ntsec_guid g_obj = { 0xbf967aba, 0x0de6, 0x11d0, { 0xa2, 0x85, 0, 0xaa, 0, 0x30, 0x49, 0xe2 } };
static const struct ntsec_guid g_set = { 0x11111111, 1, 1, { 1, 1, 1, 1, 1, 1, 1, 1 } };
static const struct ntsec_guid g_p1 = { 0x22222222, 2, 2, { 2, 2, 2, 2, 2, 2, 2, 2 } };
static const struct ntsec_guid g_p2 = { 0x33333333, 3, 3, { 3, 3, 3, 3, 3, 3, 3, 3 } };
static const struct ntsec_guid g_p3 = { 0x44444444, 4, 4, { 4, 4, 4, 4, 4, 4, 4, 4 } };
#define S_SET "11111111-0001-0001-0101-010101010101"
#define S_P1 "22222222-0002-0002-0202-020202020202"
#define S_P2 "33333333-0003-0003-0303-030303030303"
#define S_P3 "44444444-0004-0004-0404-040404040404"

static const struct ntsec_object_type_entry tree[] = {
    { 0, 0, &g_obj }, { 1, 0, &g_set }, { 2, 0, &g_p1 }, { 2, 0, &g_p2 }, { 1, 0, &g_p3 },
};

static ntsec_status by_type(const struct ntsec_token *t, const char *sddl, uint32_t desired,
                            uint32_t flags, struct ntsec_access_result *res, uint32_t *granted,
                            ntsec_status *status)
{
    void *sd = fix_sd(sddl);
    struct ntsec_access_request rq = { .sd = sd, .token = t, .desired = desired,
                                       .mapping = &file_mapping, .object_types = tree,
                                       .object_type_count = 5, .flags = flags };
    ntsec_status st;

    memset(res, 0, sizeof *res);
    res->granted_list = granted;
    res->status_list = status;
    st = ntsec_access_check(&rq, res);
    ntsec_mem_free(sd);
    return st;
}

/* OBJECT_TYPE_LIST (Microsoft docs); Windows results asserted by ReactOS
 * apitest NtAccessCheckByType.c, ParamsValidationTests: the first entry at
 * level 0 and alone there, each next at most one deeper, levels up to 4;
 * STATUS_INVALID_PARAMETER. Duplicate GUIDs refused too (ntsec's choice). */
static void invalid_object_type_lists(void)
{
    static const struct ntsec_object_type_entry bad[][3] = {
        { { 1, 0, &g_obj }, { 2, 0, &g_set }, { 2, 0, &g_p1 } },       /* root not at 0 */
        { { 0, 0, &g_obj }, { 2, 0, &g_set }, { 2, 0, &g_p1 } },       /* jumps a level */
        { { 0, 0, &g_obj }, { 1, 0, &g_set }, { 0, 0, &g_p1 } },       /* two roots */
        { { 0, 0, &g_obj }, { 1, 0, &g_set }, { 1, 0, &g_set } },      /* same GUID twice */
        { { 0, 0, &g_obj }, { 1, 0, NULL }, { 1, 0, &g_p1 } },         /* no GUID */
    };
    static const struct ntsec_object_type_entry deep[] = {
        { 0, 0, &g_obj }, { 1, 0, &g_set }, { 2, 0, &g_p1 }, { 3, 0, &g_p2 }, { 4, 0, &g_p3 },
        { 5, 0, &g_p3 },
    };
    struct ntsec_token *t = fix_plain();
    void *sd = fix_sd("O:BAG:BUD:(A;;FA;;;WD)");
    struct ntsec_access_request rq = { .sd = sd, .token = t, .desired = 1,
                                       .mapping = &file_mapping, .object_type_count = 3 };
    struct ntsec_access_result res;

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        rq.object_types = bad[i];
        res.granted = 0x1abe11ed;
        CU_ASSERT_EQUAL(ntsec_access_check(&rq, &res), NTSEC_STATUS_INVALID_PARAMETER);
        CU_ASSERT_EQUAL(res.granted, 0x1abe11ed);
    }
    rq.object_types = deep;
    rq.object_type_count = 5;
    CU_ASSERT_EQUAL(ntsec_access_check(&rq, &res), NTSEC_STATUS_SUCCESS);
    rq.object_type_count = 6;
    CU_ASSERT_EQUAL(ntsec_access_check(&rq, &res), NTSEC_STATUS_INVALID_PARAMETER);
    rq.object_types = NULL;
    CU_ASSERT_EQUAL(ntsec_access_check(&rq, &res), NTSEC_STATUS_INVALID_PARAMETER);
    ntsec_mem_free(sd);
    ntsec_token_put(t);
}

/* "Object-specific ACEs" / AccessCheckByType (Microsoft docs); Forshaw,
 * Windows Security Internals ch. 7, Listing 7-27: an object ACE grants its
 * node and the subtree. [MS-ADTS] 5.1.3.3.3: a parent is granted when all
 * its children are, and the whole object is checked against the root. */
static void object_ace_grants_its_subtree(void)
{
    struct ntsec_token *t = fix_plain();
    struct ntsec_access_result res;
    uint32_t g[5];
    ntsec_status s[5];

    by_type(t, "O:BAG:BUD:(OA;;RP;" S_SET ";;WD)", RP, 0, &res, NULL, NULL);
    CU_ASSERT_EQUAL(res.status, NTSEC_STATUS_ACCESS_DENIED);
    by_type(t, "O:BAG:BUD:(OA;;RP;" S_SET ";;WD)(OA;;RP;" S_P3 ";;WD)", RP, 0, &res, NULL, NULL);
    CU_ASSERT_EQUAL(res.status, NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(res.granted, RP);
    /* Both properties of the set make the set, and with P3 the object. */
    by_type(t, "O:BAG:BUD:(OA;;RP;" S_P1 ";;WD)(OA;;RP;" S_P2 ";;WD)(OA;;RP;" S_P3 ";;WD)", RP,
            0, &res, NULL, NULL);
    CU_ASSERT_EQUAL(res.status, NTSEC_STATUS_SUCCESS);
    /* Result list: one decision per node. */
    CU_ASSERT_EQUAL(by_type(t, "O:BAG:BUD:(OA;;RP;" S_SET ";;WD)", RP,
                            NTSEC_ACCESS_RESULT_LIST, &res, g, s), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(s[0], NTSEC_STATUS_ACCESS_DENIED);
    CU_ASSERT_EQUAL(g[0], 0);
    CU_ASSERT_EQUAL(s[1], NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(g[1], RP);
    CU_ASSERT_EQUAL(s[2], NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(s[3], NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(s[4], NTSEC_STATUS_ACCESS_DENIED);
    CU_ASSERT_EQUAL(res.status, NTSEC_STATUS_ACCESS_DENIED);
    ntsec_token_put(t);
}

/* AccessCheckByType without a result list answers for the root only.
 * [MS-ADTS] 5.1.3.3.3 "Checking Object-Specific Access": "If the requested
 * access is for the entire object, check the requested access mask against
 * the access rights granted in Grant(r)", a parent granted only "If
 * Grant(v) = Grant(s) for every sibling s"; [MS-DTYP] 2.5.3.2: an object
 * allow clears only its node's and descendants' Remaining, "satisfying the
 * request at a lower level does nothing to affect the higher level node".
 * So an allow for one property does not grant the object (Forshaw ch. 7,
 * Listing 7-27, and ReactOS/Samba would grant it). */
static void whole_object_needs_every_part(void)
{
    struct ntsec_token *t = fix_plain();
    struct ntsec_access_result res;
    uint32_t g[5];
    ntsec_status s[5];

    CU_ASSERT_EQUAL(by_type(t, "O:BAG:BUD:(OA;;RP;" S_P1 ";;WD)", RP, 0, &res, NULL, NULL),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(res.status, NTSEC_STATUS_ACCESS_DENIED);
    CU_ASSERT_EQUAL(res.granted, 0);
    by_type(t, "O:BAG:BUD:(OA;;RP;" S_P1 ";;WD)", NTSEC_MAXIMUM_ALLOWED, 0, &res, NULL, NULL);
    CU_ASSERT_EQUAL(res.status, NTSEC_STATUS_ACCESS_DENIED);
    /* The property itself is granted; its set and the object are not. */
    by_type(t, "O:BAG:BUD:(OA;;RP;" S_P1 ";;WD)", RP, NTSEC_ACCESS_RESULT_LIST, &res, g, s);
    CU_ASSERT_EQUAL(s[2], NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(g[2], RP);
    CU_ASSERT_EQUAL(s[1], NTSEC_STATUS_ACCESS_DENIED);
    CU_ASSERT_EQUAL(s[0], NTSEC_STATUS_ACCESS_DENIED);
    /* Siblings granted more than asked still make the parent: the sibling
     * rule read per bit of the request (ntsec's choice). */
    by_type(t, "O:BAG:BUD:(OA;;RPWP;" S_P1 ";;WD)(OA;;RP;" S_P2 ";;WD)(OA;;RP;" S_P3 ";;WD)",
            RP, 0, &res, NULL, NULL);
    CU_ASSERT_EQUAL(res.status, NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(res.granted, RP);
    /* A later deny for a granted part takes nothing back ([MS-ADTS]: rights
     * in Grant(v) are not added to Deny(v); [MS-DTYP]: n.Remaining is 0). */
    by_type(t, "O:BAG:BUD:(OA;;RP;" S_SET ";;WD)(OA;;RP;" S_P3 ";;WD)(OD;;RP;" S_P1 ";;WD)",
            RP, 0, &res, NULL, NULL);
    CU_ASSERT_EQUAL(res.status, NTSEC_STATUS_SUCCESS);
    ntsec_token_put(t);
}

/* Forshaw, Windows Security Internals ch. 7, Figure 7-6 and Listing 7-29:
 * a deny object ACE on a part denies the check of the whole object; in a
 * result list only that part and its ancestors. */
static void object_deny_reaches_parents_not_siblings(void)
{
    struct ntsec_token *t = fix_plain();
    struct ntsec_access_result res;
    uint32_t g[5];
    ntsec_status s[5];
    const char *sd = "O:BAG:BUD:(OD;;WP;" S_P1 ";;WD)(A;;RPWP;;;WD)";

    by_type(t, sd, WP, 0, &res, NULL, NULL);
    CU_ASSERT_EQUAL(res.status, NTSEC_STATUS_ACCESS_DENIED);
    by_type(t, sd, WP, NTSEC_ACCESS_RESULT_LIST, &res, g, s);
    CU_ASSERT_EQUAL(s[0], NTSEC_STATUS_ACCESS_DENIED);
    CU_ASSERT_EQUAL(s[1], NTSEC_STATUS_ACCESS_DENIED);
    CU_ASSERT_EQUAL(s[2], NTSEC_STATUS_ACCESS_DENIED);
    CU_ASSERT_EQUAL(s[3], NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(g[3], WP);
    CU_ASSERT_EQUAL(s[4], NTSEC_STATUS_SUCCESS);
    /* MAXIMUM_ALLOWED per node. */
    by_type(t, sd, NTSEC_MAXIMUM_ALLOWED, NTSEC_ACCESS_RESULT_LIST, &res, g, s);
    CU_ASSERT_EQUAL(g[2], RP);
    CU_ASSERT_EQUAL(g[3], RP | WP);
    CU_ASSERT_EQUAL(g[0], RP);
    ntsec_token_put(t);
}

/* Forshaw, Windows Security Internals ch. 7, Listings 7-27/7-28: without a
 * list an allow object ACE with a type grants nothing, a deny one denies
 * the whole object; an object ACE without a type is a plain ACE
 * (ACCESS_ALLOWED_OBJECT_ACE Remarks, Microsoft docs). */
static void object_aces_without_a_list(void)
{
    struct ntsec_token *t = fix_plain();

    CU_ASSERT_EQUAL(fix_check(t, "O:BAG:BUD:(OA;;RP;" S_SET ";;WD)", RP, NULL), 0);
    CU_ASSERT_EQUAL(fix_check(t, "O:BAG:BUD:(OD;;RP;" S_SET ";;WD)(A;;RP;;;WD)", RP, NULL), 0);
    CU_ASSERT_EQUAL(fix_check(t, "O:BAG:BUD:(OA;;RP;;;WD)", RP, NULL), RP);
    ntsec_token_put(t);
}

/* Forshaw, Windows Security Internals ch. 7, Listings 7-27/7-28; Samba
 * check_object_specific_access: an object ACE whose type is not in the
 * list is ignored, allow or deny. */
static void object_type_not_in_list_is_ignored(void)
{
    struct ntsec_token *t = fix_plain();
    struct ntsec_access_result res;

    by_type(t, "O:BAG:BUD:(OD;;RP;aaaaaaaa-0000-0000-0000-000000000000;;WD)(A;;RP;;;WD)", RP, 0,
            &res, NULL, NULL);
    CU_ASSERT_EQUAL(res.status, NTSEC_STATUS_SUCCESS);
    ntsec_token_put(t);
}

/* AccessCheckByTypeResultList needs the arrays. */
static void result_list_needs_arrays(void)
{
    struct ntsec_token *t = fix_plain();
    struct ntsec_access_result res;

    CU_ASSERT_EQUAL(by_type(t, "O:BAG:BUD:(A;;RP;;;WD)", RP, NTSEC_ACCESS_RESULT_LIST, &res,
                            NULL, NULL), NTSEC_STATUS_INVALID_PARAMETER);
    ntsec_token_put(t);
}

/* An early decision (here the owner grants everything asked) fills every
 * node of a result list alike (ReactOS accesschk.c SepAccessCheck fills
 * every entry with the same result when the owner grants everything). */
static void early_decision_fills_every_node(void)
{
    struct ntsec_token *t = fix_plain();
    struct ntsec_access_result res;
    uint32_t g[5];
    ntsec_status s[5];

    by_type(t, "O:" USER_SID "G:BUD:", NTSEC_READ_CONTROL, NTSEC_ACCESS_RESULT_LIST, &res, g, s);
    for (int i = 0; i < 5; i++) {
        CU_ASSERT_EQUAL(s[i], NTSEC_STATUS_SUCCESS);
        CU_ASSERT_EQUAL(g[i], NTSEC_READ_CONTROL);
    }
    ntsec_token_put(t);
}

void register_tests(void)
{
    static CU_TestInfo tests[] = {
        TEST(invalid_object_type_lists),
        TEST(object_ace_grants_its_subtree),
        TEST(whole_object_needs_every_part),
        TEST(object_deny_reaches_parents_not_siblings),
        TEST(object_aces_without_a_list),
        TEST(object_type_not_in_list_is_ignored),
        TEST(result_list_needs_arrays),
        TEST(early_decision_fills_every_node),
        CU_TEST_INFO_NULL,
    };

    testutil_add_suite("access_objects", tests);
}
