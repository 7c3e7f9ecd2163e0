/* test_explain.c - ntsec_sd_explain and ntsec_access_mask_describe: the
 * words people learning access control read. */
#include <stdlib.h>
#include <string.h>

#include "ntsec/ntsec.h"
#include "testutil.h"

static char *explain(const char *sddl)
{
    void *sd;
    uint32_t size;
    char *text = NULL;

    CU_ASSERT_EQUAL_FATAL(ntsec_sddl_to_sd(sddl, NULL, 1, &sd, &size, NULL), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_sd_explain(sd, NULL, &text), NTSEC_STATUS_SUCCESS);
    ntsec_mem_free(sd);
    return text;
}

/* Owner and group appear by account name and SID ("Well-known SIDs",
 * Microsoft docs: S-1-5-32-544 is BUILTIN\Administrators). */
static void owner_and_group_are_named_with_their_sid(void)
{
    char *t = explain("O:BAG:SY");

    CU_ASSERT_PTR_NOT_NULL(strstr(t, "Owner:    BUILTIN\\Administrators (S-1-5-32-544)"));
    CU_ASSERT_PTR_NOT_NULL(strstr(t, "Group:    NT AUTHORITY\\SYSTEM (S-1-5-18)"));
    ntsec_mem_free(t);
}

/* A DACL's ACEs are listed in order with type, trustee and rights;
 * "How DACLs Control Access to an Object" (Microsoft docs). */
static void each_ace_is_listed_in_order_with_type_trustee_and_rights(void)
{
    char *t = explain("D:(D;;WD;;;WD)(A;OICI;FA;;;SY)");
    char *deny = strstr(t, "1. DENY Everyone (S-1-1-0)");
    char *allow = strstr(t, "2. ALLOW NT AUTHORITY\\SYSTEM (S-1-5-18)");

    CU_ASSERT_PTR_NOT_NULL(deny);
    CU_ASSERT_PTR_NOT_NULL(allow);
    CU_ASSERT(deny && allow && deny < allow);
    CU_ASSERT_PTR_NOT_NULL(strstr(t, "rights 0x00040000 (WRITE_DAC, \"WD\" in SDDL):\n       WRITE_DAC"));
    CU_ASSERT_PTR_NOT_NULL(strstr(t, "rights 0x001f01ff (FILE_ALL_ACCESS, \"FA\" in SDDL):\n       DELETE"));
    CU_ASSERT_PTR_NOT_NULL(strstr(t, "inherited by child containers such as folders (CI)"));
    ntsec_mem_free(t);
}

/* A NULL DACL grants everyone everything, an empty one nothing
 * ("Null DACLs and Empty DACLs", Microsoft docs). */
static void null_and_empty_dacls_are_told_apart(void)
{
    char *null_dacl = explain("D:NO_ACCESS_CONTROL");
    char *empty = explain("D:");

    CU_ASSERT_PTR_NOT_NULL(strstr(null_dacl, "everyone is granted every right"));
    CU_ASSERT_PTR_NOT_NULL(strstr(empty, "nobody is granted anything"));
    ntsec_mem_free(null_dacl);
    ntsec_mem_free(empty);
}

/* A mandatory label says which access from below is refused
 * ("Mandatory Integrity Control", Microsoft docs: NW = no write up). */
static void mandatory_label_shows_its_policy(void)
{
    char *t = explain("S:(ML;;NW;;;LW)");

    CU_ASSERT_PTR_NOT_NULL(strstr(t, "MANDATORY LABEL Mandatory Label\\Low Mandatory Level (S-1-16-4096)"));
    CU_ASSERT_PTR_NOT_NULL(strstr(t, "no write up (NW)"));
    ntsec_mem_free(t);
}

/* Every bit is named, none dropped: specific bits with both meanings. */
static void mask_description_names_every_bit(void)
{
    char buf[512];
    size_t n = ntsec_access_mask_describe(0x80020001u | 0x00400000u, buf, sizeof(buf));

    CU_ASSERT_EQUAL(n, strlen(buf));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "READ_CONTROL"));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "GENERIC_READ"));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "FILE_READ_DATA"));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "other bits 0x00400000"));
}

/* Like snprintf: a short buffer is cut and NUL-terminated, the full length
 * is returned. */
static void mask_description_truncates_like_snprintf(void)
{
    char buf[8];
    size_t full = ntsec_access_mask_describe(NTSEC_WRITE_DAC, NULL, 0);
    size_t n = ntsec_access_mask_describe(NTSEC_WRITE_DAC, buf, sizeof(buf));

    CU_ASSERT_EQUAL(full, strlen("WRITE_DAC"));
    CU_ASSERT_EQUAL(n, full);
    CU_ASSERT_STRING_EQUAL(buf, "WRITE_D");
}

/* Masks are written as numbers, winnt.h names or SDDL letters ("ACE
 * Strings", Microsoft docs: FA = FILE_ALL_ACCESS, RPWP = 0x30). */
static void mask_parse_accepts_numbers_names_and_sddl_letters(void)
{
    uint32_t m = 0;

    CU_ASSERT_EQUAL(ntsec_access_mask_parse("0x1200a9", &m), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(m, 0x1200a9);
    CU_ASSERT_EQUAL(ntsec_access_mask_parse("131072", &m), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(m, NTSEC_READ_CONTROL);
    CU_ASSERT_EQUAL(ntsec_access_mask_parse("GENERIC_READ|write_dac", &m), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(m, NTSEC_GENERIC_READ | NTSEC_WRITE_DAC);
    CU_ASSERT_EQUAL(ntsec_access_mask_parse("FILE_READ_DATA, SYNCHRONIZE", &m), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(m, 0x1 | NTSEC_SYNCHRONIZE);
    CU_ASSERT_EQUAL(ntsec_access_mask_parse("FILE_ALL_ACCESS", &m), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(m, 0x1f01ff);
    CU_ASSERT_EQUAL(ntsec_access_mask_parse("FA", &m), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(m, 0x1f01ff);
    CU_ASSERT_EQUAL(ntsec_access_mask_parse("RPWP+GR", &m), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(m, 0x30 | NTSEC_GENERIC_READ);
}

/* Anything else is refused and the output left alone. */
static void mask_parse_refuses_unknown_names(void)
{
    static const char *const bad[] = { "", "READ_EVERYTHING", "0xZZ", "0x100000000", "GR|",
                                       "X", "GRX", "12abc" };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        uint32_t m = 7;
        CU_ASSERT_EQUAL(ntsec_access_mask_parse(bad[i], &m), NTSEC_STATUS_INVALID_PARAMETER);
        CU_ASSERT_EQUAL(m, 7);
    }
}

/* An invalid descriptor is refused with STATUS_INVALID_SECURITY_DESCR. */
static void invalid_descriptor_is_refused(void)
{
    struct ntsec_sd_absolute bad = { .revision = 2 };
    char *text = (char *)0x1;

    CU_ASSERT_EQUAL(ntsec_sd_explain(&bad, NULL, &text), NTSEC_STATUS_INVALID_SECURITY_DESCR);
    CU_ASSERT_EQUAL(text, (char *)0x1);
    CU_ASSERT_EQUAL(ntsec_sd_explain(NULL, NULL, &text), NTSEC_STATUS_INVALID_SECURITY_DESCR);
}

/* Allocation failure at any point: STATUS_NO_MEMORY, nothing leaked. */
static void allocation_failure_is_reported_and_leaks_nothing(void)
{
    void *sd;
    uint32_t size;
    char *text;
    ntsec_status st;

    CU_ASSERT_EQUAL_FATAL(ntsec_sddl_to_sd("O:BAG:SYD:(A;;GA;;;WD)", NULL, 1, &sd, &size, NULL),
                          NTSEC_STATUS_SUCCESS);
    for (long n = 0;; n++) {
        text = NULL;
        testutil_fail_alloc_after(n);
        st = ntsec_sd_explain(sd, NULL, &text);
        testutil_fail_alloc_after(-1);
        if (st == NTSEC_STATUS_SUCCESS)
            break;
        CU_ASSERT_EQUAL(st, NTSEC_STATUS_NO_MEMORY);
        CU_ASSERT_PTR_NULL(text);
        CU_ASSERT_FATAL(n < 100);
    }
    ntsec_mem_free(text);
    ntsec_mem_free(sd);
}

void register_tests(void)
{
    static CU_TestInfo tests[] = {
        TEST(owner_and_group_are_named_with_their_sid),
        TEST(each_ace_is_listed_in_order_with_type_trustee_and_rights),
        TEST(null_and_empty_dacls_are_told_apart),
        TEST(mandatory_label_shows_its_policy),
        TEST(mask_description_names_every_bit),
        TEST(mask_description_truncates_like_snprintf),
        TEST(mask_parse_accepts_numbers_names_and_sddl_letters),
        TEST(mask_parse_refuses_unknown_names),
        TEST(invalid_descriptor_is_refused),
        TEST(allocation_failure_is_reported_and_leaks_nothing),
        CU_TEST_INFO_NULL,
    };
    testutil_add_suite("explain", tests);
}
