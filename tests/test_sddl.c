/* test_sddl.c - SDDL both ways: ntsec_sddl_to_sd, ntsec_sd_to_sddl and
 * the SDDL tables, against results Windows gave.
 *
 * Sources of Windows results:
 *  [wine]  Wine dlls/advapi32/tests/security.c,
 *          test_ConvertStringSecurityDescriptor and
 *          test_ConvertSecurityDescriptorToString (run on Windows);
 *  [samba] Samba's windows/ folder of .txt files (strings run through
 *          Windows' ConvertString... and back: canonical.txt,
 *          non_canonical.txt, should_fail.txt, windows_is_weird.txt,
 *          windows_is_less_fussy.txt) and tests/data/registry-object-
 *          rights.json, tests/windows/conditional_aces.txt.json (the bytes
 *          Windows produced). The Samba files are under
 *          libcli/security/tests. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ntsec/ntsec.h"
#include "sddl_tables.h"
#include "testutil.h"

#define ALL_INFO (NTSEC_OWNER_SECURITY_INFORMATION | NTSEC_GROUP_SECURITY_INFORMATION | \
                  NTSEC_DACL_SECURITY_INFORMATION | NTSEC_SACL_SECURITY_INFORMATION)

static struct ntsec_sid domain_sid;     /* S-1-5-21-11-22-33 */

static const struct ntsec_sid *domain(void)
{
    static const uint32_t sub[] = { 21, 11, 22, 33 };

    CU_ASSERT_EQUAL(ntsec_sid_init(&domain_sid, 5, 4, sub), NTSEC_STATUS_SUCCESS);
    return &domain_sid;
}

/* Parse, format every part, compare with `want`; then parse the output
 * again and check the bytes are the same (the canonical form is stable). */
static void check_round(const char *in, const char *want, const struct ntsec_sid *dom)
{
    void *sd = NULL, *sd2 = NULL;
    uint32_t size = 0, size2 = 0;
    char *out = NULL;
    size_t len = 0;
    struct ntsec_sddl_error err = { 0, NULL };
    ntsec_status st;

    st = ntsec_sddl_to_sd(in, dom, NTSEC_SDDL_REVISION_1, &sd, &size, &err);
    CU_ASSERT_EQUAL(st, NTSEC_STATUS_SUCCESS);
    if (st != NTSEC_STATUS_SUCCESS) {
        fprintf(stderr, "\nparse failed 0x%08x at %zu (%s): %s\n", (unsigned)st, err.offset,
                err.reason ? err.reason : "", in);
        return;
    }
    CU_ASSERT(ntsec_sd_relative_is_valid(sd, size, 0));
    st = ntsec_sd_to_sddl(sd, dom, NTSEC_SDDL_REVISION_1, ALL_INFO, &out, &len);
    CU_ASSERT_EQUAL(st, NTSEC_STATUS_SUCCESS);
    if (st == NTSEC_STATUS_SUCCESS) {
        CU_ASSERT_STRING_EQUAL(out, want);
        CU_ASSERT_EQUAL(len, strlen(out));
        if (strcmp(out, want))
            fprintf(stderr, "\n in:   %s\n want: %s\n got:  %s\n", in, want, out);
        CU_ASSERT_EQUAL(ntsec_sddl_to_sd(out, dom, NTSEC_SDDL_REVISION_1, &sd2, &size2, NULL),
                        NTSEC_STATUS_SUCCESS);
        CU_ASSERT_EQUAL(size2, size);
        if (sd2 && size2 == size)
            CU_ASSERT_MEM_EQUAL(sd2, sd, size);
        ntsec_mem_free(sd2);
        ntsec_mem_free(out);
    }
    ntsec_mem_free(sd);
}

/* For ACEs whose last field another module writes (conditions, claims):
 * the text up to that field is `prefix`, and the output parses back to
 * the same bytes. */
static void check_stable(const char *in, const char *prefix)
{
    void *sd = NULL, *sd2 = NULL;
    uint32_t size = 0, size2 = 0;
    char *out = NULL;

    CU_ASSERT_EQUAL_FATAL(ntsec_sddl_to_sd(in, NULL, 1, &sd, &size, NULL), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_sd_to_sddl(sd, NULL, 1, ALL_INFO, &out, NULL), NTSEC_STATUS_SUCCESS);
    if (out) {
        CU_ASSERT_NSTRING_EQUAL(out, prefix, strlen(prefix));
        CU_ASSERT_EQUAL(ntsec_sddl_to_sd(out, NULL, 1, &sd2, &size2, NULL), NTSEC_STATUS_SUCCESS);
        CU_ASSERT_EQUAL(size2, size);
        if (sd2 && size2 == size)
            CU_ASSERT_MEM_EQUAL(sd2, sd, size);
    }
    ntsec_mem_free(sd2);
    ntsec_mem_free(out);
    ntsec_mem_free(sd);
}

/* Parse and compare with the bytes Windows produced. */
static void check_bytes(const char *in, const uint8_t *want, size_t want_len)
{
    void *sd = NULL;
    uint32_t size = 0;
    struct ntsec_sddl_error err = { 0, NULL };
    ntsec_status st = ntsec_sddl_to_sd(in, NULL, NTSEC_SDDL_REVISION_1, &sd, &size, &err);

    CU_ASSERT_EQUAL(st, NTSEC_STATUS_SUCCESS);
    if (st != NTSEC_STATUS_SUCCESS) {
        fprintf(stderr, "\nparse failed 0x%08x at %zu (%s): %s\n", (unsigned)st, err.offset,
                err.reason ? err.reason : "", in);
        return;
    }
    CU_ASSERT_EQUAL(size, want_len);
    if (size == want_len)
        CU_ASSERT_MEM_EQUAL(sd, want, want_len);
    if (size != want_len || memcmp(sd, want, want_len)) {
        fprintf(stderr, "\n%s\n got :", in);
        for (uint32_t i = 0; i < size; i++)
            fprintf(stderr, " %u", ((uint8_t *)sd)[i]);
        fprintf(stderr, "\n");
    }
    ntsec_mem_free(sd);
}

/* A rejected string: the status, an error position inside the string, a
 * reason, and the outputs left as they were. */
static void check_fails(const char *in, ntsec_status want, const struct ntsec_sid *dom)
{
    void *sentinel = (void *)&domain_sid;
    void *sd = sentinel;
    uint32_t size = 0xdeadbeef;
    struct ntsec_sddl_error err = { 0xdead, NULL };
    ntsec_status st = ntsec_sddl_to_sd(in, dom, NTSEC_SDDL_REVISION_1, &sd, &size, &err);

    CU_ASSERT_EQUAL(st, want);
    if (st != want)
        fprintf(stderr, "\n%s: got 0x%08x want 0x%08x (%s at %zu)\n", in, (unsigned)st,
                (unsigned)want, err.reason ? err.reason : "-", err.offset);
    CU_ASSERT_PTR_EQUAL(sd, sentinel);
    CU_ASSERT_EQUAL(size, 0xdeadbeef);
    CU_ASSERT_PTR_NOT_NULL(err.reason);
    CU_ASSERT(err.offset <= strlen(in));
    if (st == NTSEC_STATUS_SUCCESS && sd != sentinel)
        ntsec_mem_free(sd);
}

static const struct ntsec_acl *dacl_of(const void *sd)
{
    const struct ntsec_acl *acl = NULL;
    bool present = false, defaulted = false;

    CU_ASSERT_EQUAL(ntsec_sd_get_dacl(sd, &present, &acl, &defaulted), NTSEC_STATUS_SUCCESS);
    return acl;
}

static uint32_t first_mask(const char *in)
{
    void *sd = NULL;
    uint32_t size, mask = 0xbad;
    const struct ntsec_ace_header *ace;

    CU_ASSERT_EQUAL_FATAL(ntsec_sddl_to_sd(in, NULL, 1, &sd, &size, NULL), NTSEC_STATUS_SUCCESS);
    if (ntsec_acl_get_ace(dacl_of(sd), 0, &ace) == NTSEC_STATUS_SUCCESS)
        mask = ntsec_ace_mask(ace);
    ntsec_mem_free(sd);
    return mask;
}

/* --- bytes Windows produced ------------------------------------------------ */

/* [samba] tests/data/registry-object-rights.json: header, then the DACL,
 * then owner and group (the SACL, when there is one, comes before the
 * DACL: see the next test). */
static void windows_bytes_of_registry_descriptor(void)
{
    static const uint8_t want[] = {
        1, 0, 4, 128, 92, 0, 0, 0, 108, 0, 0, 0, 0, 0, 0, 0, 20, 0, 0, 0,
        2, 0, 72, 0, 3, 0, 0, 0,
        0, 0, 20, 0, 25, 0, 2, 0, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0,
        0, 0, 24, 0, 63, 0, 15, 0, 1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 32, 2, 0, 0,
        0, 0, 20, 0, 63, 0, 15, 0, 1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0,
        1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 32, 2, 0, 0,
        1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0,
    };
    static const uint8_t want2[] = {
        1, 0, 4, 128, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 20, 0, 0, 0,
        2, 0, 52, 0, 2, 0, 0, 0,
        0, 0, 20, 0, 21, 0, 2, 0, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0,
        0, 0, 24, 0, 63, 0, 15, 0, 1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 32, 2, 0, 0,
    };

    check_bytes("O:BAG:SYD:(A;;KR;;;WD)(A;;KA;;;BA)(A;;KA;;;SY)", want, sizeof(want));
    check_bytes("D:(A;;CCLCRPRC;;;WD)(A;;KA;;;BA)", want2, sizeof(want2));
}

/* [samba] tests/windows/conditional_aces.txt.json: a callback ACE keeps
 * ACL revision 2; the condition is padded to 4 bytes. */
static void windows_bytes_of_conditional_ace(void)
{
    static const uint8_t want[] = {
        1, 0, 4, 128, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 20, 0, 0, 0,
        2, 0, 56, 0, 1, 0, 0, 0,
        9, 0, 48, 0, 31, 0, 0, 0, 1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 67, 2, 0, 0,
        97, 114, 116, 120, 248, 2, 0, 0, 0, 97, 0, 4, 1, 0, 0, 0, 0, 0, 0, 0, 3, 2, 128, 0,
    };

    check_bytes("D:(XA;;0x1f;;;AA;(a == 1))", want, sizeof(want));
}

/* [samba] tests/windows/conditional_aces.txt.json: with both ACLs the
 * SACL comes first, then the DACL; a resource attribute ACE. */
static void windows_bytes_sacl_before_dacl(void)
{
    static const uint8_t want[] = {
        1, 0, 20, 128, 0, 0, 0, 0, 0, 0, 0, 0, 20, 0, 0, 0, 92, 0, 0, 0,
        2, 0, 72, 0, 1, 0, 0, 0,
        18, 0, 64, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0,
        20, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 34, 0, 0, 0,
        99, 0, 111, 0, 108, 0, 111, 0, 117, 0, 114, 0, 0, 0, 98, 0, 108, 0, 117, 0, 101, 0, 0, 0,
        2, 0, 72, 0, 1, 0, 0, 0,
        9, 0, 64, 0, 31, 0, 0, 0, 1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 67, 2, 0, 0,
        97, 114, 116, 120, 251, 12, 0, 0, 0, 99, 0, 111, 0, 108, 0, 111, 0, 117, 0, 114, 0,
        250, 12, 0, 0, 0, 99, 0, 111, 0, 108, 0, 111, 0, 117, 0, 114, 0, 128, 0,
    };

    check_bytes("D:(XA;;0x1f;;;AA;(@Device.colour == @Resource.colour))"
                "S:(RA;;;;;WD;(\"colour\",TS,0,\"blue\"))", want, sizeof(want));
}

/* [wine] test_ConvertStringSecurityDescriptor: "D:" is an empty DACL of
 * ACL_REVISION, 8 bytes, right after the header; "S:" likewise. */
static void empty_acl_is_eight_bytes_of_revision_2(void)
{
    static const uint8_t dacl[] = { 1, 0, 4, 128, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                    20, 0, 0, 0, 2, 0, 8, 0, 0, 0, 0, 0 };
    static const uint8_t sacl[] = { 1, 0, 16, 128, 0, 0, 0, 0, 0, 0, 0, 0, 20, 0, 0, 0,
                                    0, 0, 0, 0, 2, 0, 8, 0, 0, 0, 0, 0 };

    check_bytes("D:", dacl, sizeof(dacl));
    check_bytes("S:", sacl, sizeof(sacl));
}

/* [wine] test_ConvertStringSecurityDescriptor: "" is accepted, a
 * descriptor with nothing in it. */
static void empty_string_is_an_empty_descriptor(void)
{
    static const uint8_t want[] = { 1, 0, 0, 128, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };

    check_bytes("", want, sizeof(want));
    check_bytes("   ", want, sizeof(want));
}

/* "Security Descriptor String Format": NO_ACCESS_CONTROL is a NULL DACL
 * that is present; "D:" is an empty one; no "D:" no DACL at all. */
static void no_access_control_is_a_present_null_dacl(void)
{
    static const uint8_t want[] = { 1, 0, 4, 128, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
    static const uint8_t protected_[] = { 1, 0, 4, 144, 0, 0, 0, 0, 0, 0, 0, 0,
                                          0, 0, 0, 0, 0, 0, 0, 0 };

    check_bytes("D:NO_ACCESS_CONTROL", want, sizeof(want));
    check_bytes("D:PNO_ACCESS_CONTROL", protected_, sizeof(protected_));
    check_round("D:NO_ACCESS_CONTROL", "D:NO_ACCESS_CONTROL", NULL);
    check_round("D:PNO_ACCESS_CONTROLS:", "D:PNO_ACCESS_CONTROLS:", NULL);
    check_fails("D:NO_ACCESS_CONTROL(A;;GA;;;WD)", NTSEC_STATUS_INVALID_PARAMETER, NULL);
}

/* "ACE Strings": an object ACE naming no GUID becomes the plain type; one
 * naming a GUID makes the ACL revision 4 (ACL_REVISION_DS). */
static void object_ace_revision_and_plain_fallback(void)
{
    void *sd = NULL;
    uint32_t size;
    const struct ntsec_ace_header *ace;

    CU_ASSERT_EQUAL_FATAL(ntsec_sddl_to_sd("D:(OA;;CR;;;WD)", NULL, 1, &sd, &size, NULL),
                          NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(dacl_of(sd)->revision, NTSEC_ACL_REVISION);
    CU_ASSERT_EQUAL(ntsec_acl_get_ace(dacl_of(sd), 0, &ace), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ace->type, NTSEC_ACE_ACCESS_ALLOWED);
    CU_ASSERT_EQUAL(ace->size, 20);
    ntsec_mem_free(sd);

    CU_ASSERT_EQUAL_FATAL(ntsec_sddl_to_sd("D:(OA;CI;CR;ab721a53-1e2f-11d0-9819-00AA0040529B;;WD)",
                                           NULL, 1, &sd, &size, NULL), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(dacl_of(sd)->revision, NTSEC_ACL_REVISION_DS);
    CU_ASSERT_EQUAL(ntsec_acl_get_ace(dacl_of(sd), 0, &ace), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ace->type, NTSEC_ACE_ACCESS_ALLOWED_OBJECT);
    CU_ASSERT_EQUAL(ace->flags, NTSEC_ACE_CONTAINER_INHERIT);
    CU_ASSERT_EQUAL(ace->size, 4 + 4 + 4 + 16 + 12);
    {
        const struct ntsec_guid *g = ntsec_ace_object_type(ace);

        CU_ASSERT_PTR_NOT_NULL_FATAL(g);
        CU_ASSERT_EQUAL(g->data1, 0xab721a53);
        CU_ASSERT_EQUAL(g->data2, 0x1e2f);
        CU_ASSERT_EQUAL(g->data3, 0x11d0);
        CU_ASSERT_EQUAL(g->data4[0], 0x98);
        CU_ASSERT_EQUAL(g->data4[7], 0x9b);
        CU_ASSERT_PTR_NULL(ntsec_ace_inherited_object_type(ace));
    }
    ntsec_mem_free(sd);
}

/* --- accepted strings and their rights ------------------------------------ */

/* [wine] test_ConvertStringSecurityDescriptor, ace_Mask column: rights as
 * letters, decimal, octal or upper-case 0X hex. */
static void rights_letters_and_numbers(void)
{
    CU_ASSERT_EQUAL(first_mask("D:(A;;GA;;;WD)"), NTSEC_GENERIC_ALL);
    CU_ASSERT_EQUAL(first_mask("D:(A;;1;;;WD)"), 1);
    CU_ASSERT_EQUAL(first_mask("D:(A;;020000000000;;;WD)"), NTSEC_GENERIC_READ);
    CU_ASSERT_EQUAL(first_mask("D:(A;;0X40000000;;;WD)"), NTSEC_GENERIC_WRITE);
    CU_ASSERT_EQUAL(first_mask("D:(A;;GRGWGX;;;WD)"),
                    NTSEC_GENERIC_READ | NTSEC_GENERIC_WRITE | NTSEC_GENERIC_EXECUTE);
    CU_ASSERT_EQUAL(first_mask("D:(A;;RCSDWDWO;;;WD)"),
                    NTSEC_READ_CONTROL | NTSEC_DELETE | NTSEC_WRITE_DAC | NTSEC_WRITE_OWNER);
    CU_ASSERT_EQUAL(first_mask("D:(A;;RPWPCCDCLCSWLODTCR;;;WD)"), 0x1ff);
    CU_ASSERT_EQUAL(first_mask("D:(A;;FAFRFWFX;;;WD)"), 0x1f01ff);
    CU_ASSERT_EQUAL(first_mask("D:(A;;KAKRKWKX;;;WD)"), 0xf003f);
    CU_ASSERT_EQUAL(first_mask("D:(A;;0xDeAdBeEf;;;WD)"), 0xdeadbeef);
    CU_ASSERT_EQUAL(first_mask("D:(A;;GR0x1;;;WD)"), NTSEC_GENERIC_READ | 1);
    CU_ASSERT_EQUAL(first_mask("D:(A;;0xFFFFFGR;;;WD)"), 0xfffff | NTSEC_GENERIC_READ);
    CU_ASSERT_EQUAL(first_mask("D:(A;;;;;WD)"), 0);
}

/* [wine] test_ConvertStringSecurityDescriptor: every string Windows
 * accepted, blanks included. */
static void windows_accepts(void)
{
    static const char *const ok[] = {
        "D:(A;;GA;;;WD)", "D:(D;;GA;;;WD)", " D:(D;;GA;;;WD)", "D: (D;;GA;;;WD)",
        "D:( D;;GA;;;WD)", "D:(D; ;GA;;;WD)", "D:(D;; GA;;;WD)", "D:(D;;GA; ;;WD)",
        "D:(D;;GA;; ;WD)", "D:(D;;GA;;; WD)", "D:(D;;GA;;;WD )",
        "D:(A;;RPWPCCDCLCSWLODTCR;;;WD)", "D:(A;;0xFFFFFFFF;;;WD)", "S:(AU;;0xFFFFFFFF;;;WD)",
        "S:(AU;;0xDeAdBeEf;;;WD)", "S:(AU;;GR0xFFFFFFFF;;;WD)", "S:(AU;;0xFFFFFFFFGR;;;WD)",
        "S:(AU;;0xFFFFFGR;;;WD)", "D:(D;;GA;;;S-1-0-0)",
        "D:P(A;;GRGW;;;BA)(A;;GRGW;;;S-1-5-21-0-0-0-1000)S:(ML;;NWNR;;;S-1-16-12288)",
        "O:SYG:S-1-5-21-93476-23408-4576D:(A;NP;GAGXGWGR;;;SU)(A;IOID;CCDC;;;SU)"
        "(D;OICI;0xffffffff;;;S-1-5-21-93476-23408-4576)"
        "S:(AU;OICINPIOIDSAFA;CCDCLCSWRPRC;;;SU)(AU;NPSA;0x12019f;;;SU)",
    };

    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        void *sd = NULL;
        uint32_t size = 0;
        ntsec_status st = ntsec_sddl_to_sd(ok[i], NULL, 1, &sd, &size, NULL);

        CU_ASSERT_EQUAL(st, NTSEC_STATUS_SUCCESS);
        if (st)
            fprintf(stderr, "\nrejected 0x%08x: %s\n", (unsigned)st, ok[i]);
        CU_ASSERT(st || ntsec_sd_relative_is_valid(sd, size, 0));
        ntsec_mem_free(sd);
    }
}

/* [wine] test_ConvertStringSecurityDescriptor, with the error Windows
 * sets: ERROR_UNKNOWN_REVISION, ERROR_INVALID_PARAMETER for text that is
 * not a component, ERROR_INVALID_ACL for a malformed ACE. */
static void windows_rejects_with_its_errors(void)
{
    void *sd = (void *)&domain_sid;
    uint32_t size = 7;
    struct ntsec_sddl_error err = { 0, NULL };

    CU_ASSERT_EQUAL(ntsec_sddl_to_sd("D:(A;;GA;;;WD)", NULL, 0xdeadbeef, &sd, &size, &err),
                    NTSEC_STATUS_UNKNOWN_REVISION);
    CU_ASSERT_EQUAL(ntsec_sddl_to_sd(NULL, NULL, 0xdeadbeef, &sd, &size, NULL),
                    NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_sddl_to_sd("D:(A;;ROB;;;WD)", NULL, 0xdeadbeef, NULL, NULL, NULL),
                    NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_sddl_to_sd("D:(A;;ROB;;;WD)", NULL, 1, NULL, NULL, NULL),
                    NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_PTR_EQUAL(sd, (void *)&domain_sid);
    CU_ASSERT_EQUAL(size, 7);

    check_fails("ERROR:(D;;GA;;;WD)", NTSEC_STATUS_INVALID_PARAMETER, NULL);
    check_fails("D:(D ;;GA;;;WD)", NTSEC_STATUS_INVALID_ACL, NULL);
    check_fails("D:(D;;GA ;;;WD)", NTSEC_STATUS_INVALID_ACL, NULL);
    check_fails("D:(A;;ROB;;;WD)", NTSEC_STATUS_INVALID_ACL, NULL);
    check_fails("D:(D;;GA;;;WDANDSUCH)", NTSEC_STATUS_INVALID_ACL, NULL);
    check_fails("D:(D;;GA;;;Nonexistent account)", NTSEC_STATUS_INVALID_ACL, NULL);
}

/* The error position points at what is wrong. */
static void error_offset_points_at_the_fault(void)
{
    void *sd = NULL;
    uint32_t size;
    struct ntsec_sddl_error err = { 0, NULL };

    CU_ASSERT_EQUAL(ntsec_sddl_to_sd("D:(A;;ROB;;;WD)", NULL, 1, &sd, &size, &err),
                    NTSEC_STATUS_INVALID_ACL);
    CU_ASSERT_EQUAL(err.offset, 6);
    CU_ASSERT_STRING_EQUAL(err.reason, "unknown access right");
    CU_ASSERT_EQUAL(ntsec_sddl_to_sd("O:BAXD:", NULL, 1, &sd, &size, &err),
                    NTSEC_STATUS_INVALID_SID);
    CU_ASSERT_EQUAL(err.offset, 4);
    CU_ASSERT_EQUAL(ntsec_sddl_to_sd("D:(A;;GA;;;WD)Q:", NULL, 1, &sd, &size, &err),
                    NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(err.offset, 14);
    CU_ASSERT_EQUAL(ntsec_sddl_to_sd("D:(A;;GA;;;WD)(A;;GA;12;;WD)", NULL, 1, &sd, &size, &err),
                    NTSEC_STATUS_INVALID_ACL);
    CU_ASSERT_EQUAL(err.offset, 21);
    CU_ASSERT_STRING_EQUAL(err.reason, "malformed GUID");
}

/* [samba] should_fail.txt: strings Windows rejects. Component-level text
 * is ERROR_INVALID_PARAMETER and an ACE's ERROR_INVALID_ACL, as above; an
 * owner or group that is not a SID ERROR_INVALID_SID (ntsec's choice for
 * a case no published test pins down). */
static void windows_rejects_malformed_strings(void)
{
    static const char *const bad_component[] = {
        "Z:(A;;GA;;;SY)", "Q:(A;;GA;;;RU)", "d:(A;;GA;;;LG)", "D :S:",
        "D:P:S:", "D:(A;;GA;;;WD)D:", "O:BAO:BA",
    };
    static const char *const bad_ace[] = {
        "D:(Antlers;;GA;;;SY)", "D:(A;;GA;;)", "D:((A;;GA;;;LG))", "S:(AU;SA;CROOO;;;WD)(AU;SA;CR;;;WD)",
        "D:(A;;GA;a;;S-1-5-21-2447931902-1787058256-0xec193176-1201)",
        "S:(OOU;CISA;WP;f30e3bbe-9ff0-11d1-b603-0000f80367c1;"
        "bf967aa5-0de6-11d0-a285-00aa003049e2;WD)",
        "S:(OU;CISA;WP;f30e3bbe-9ff0-11d1-b603-00potato7c1;"
        "bf967aa5-0de6-11d0-a285-00aa003049e2;WD)",
        "D:(\xc4\x80;;GA;;;LG)", "D:(A;;123456789 ;;;LG)", "D:(A;;0x75bcd15\t;;;LG)",
        "D:(A;; 0x75bcd15;;;LG", "D:(A;;0x 75bcd15;;;LG)", "D:(A;;GA ;;;LG)", "D:(A;;RP ;;;LG)",
        "D:(A;;GA;;;S-1-3-4 )", "D:(OA;;GA; f30e3bbf-9ff0-11d1-b603-0000f80367c1;;WD)",
        "D:(OA;;GA;f30e3bbf-9ff0-11d1-b603-0000f80367c1 ;;WD)",
        "D:(OA;;GA;; f30e3bbf-9ff0-11d1-b603-0000f80367c1;WD)",
        "D:(OA;;GA;;f30e3bbf-9ff0-11d1-b603-0000f80367c1 ;WD)",
        "D:(OA;;GA;;{f30e3bbf-9ff0-11d1-b603-0000f80367c1};WD)",
        "D:(OA;;GA;;0123456789abcdef;WD)", "D:(OA;;GA;;0123456789abcdef0123456789abcdef;WD)",
        "D:AI(A;CI;RP LCLOR C;;;AU)", "D:AI(A;CI;RP LC\tLORC;;;AU)",
        "D:(A;;GA;;;WD;)", "D:(A;;GA;;;WD", "D:(XA;;GA;;;WD)", "D:(A;QQ;GA;;;WD)",
        "D:(A;;GA;f30e3bbf-9ff0-11d1-b603-0000f80367c1;;WD)",
        "S:(RA;;;;;BA;(\"colour\",TS,0,\"blue\"))",
    };
    static const char *const bad_sid[] = {
        "O:S", "O:S-", "O:S-1", "O:S-10", "O:S-0", "O:S-1-", "O:S-0x1", "O:S-0x1-", "O:", "O:XX",
        "O:BA G", "G:S-1-5-32-544 ",
    };

    for (size_t i = 0; i < sizeof(bad_component) / sizeof(bad_component[0]); i++)
        check_fails(bad_component[i], NTSEC_STATUS_INVALID_PARAMETER, NULL);
    for (size_t i = 0; i < sizeof(bad_ace) / sizeof(bad_ace[0]); i++)
        check_fails(bad_ace[i], NTSEC_STATUS_INVALID_ACL, NULL);
    for (size_t i = 0; i < sizeof(bad_sid) / sizeof(bad_sid[0]); i++)
        check_fails(bad_sid[i], NTSEC_STATUS_INVALID_SID, NULL);
    check_fails("D:(XA;;GA;;;WD;(@User.a ==))", NTSEC_STATUS_INVALID_ACE_CONDITION, NULL);
}

/* [samba] should_fail.txt: an authority beyond 48 bits. */
static void sid_authority_beyond_48_bits_is_refused(void)
{
    check_fails("D:(A;;GA;;;S-1-0x1313131313131-513)", NTSEC_STATUS_INVALID_ACL, NULL);
}

/* --- canonical output ------------------------------------------------------ */

/* [samba] canonical.txt: Windows gives these back unchanged. */
static void windows_canonical_strings_round_trip(void)
{
    static const char *const same[] = {
        "D:(A;;GA;;;SY)", "D:(A;;GA;;;RU)", "D:(A;;0x401200a0;;;LG)", "D:S:", "D:PS:",
        "D:(A;;GA;;;RS)", "S:(AU;SA;CR;;;WD)(AU;SA;CR;;;WD)",
        "S:(OU;CISA;WP;f30e3bbe-9ff0-11d1-b603-0000f80367c1;bf967aa5-0de6-11d0-a285-00aa003049e2;WD)"
        "(OU;CISA;WP;f30e3bbf-9ff0-11d1-b603-0000f80367c1;bf967aa5-0de6-11d0-a285-00aa003049e2;WD)",
        "D:(A;;GA;;;S-1-3-4294967295-3-4)", "D:(A;;GA;;;S-1-5-21-1-2-3-513)",
        "D:(A;;GA;;;S-1-5-21-2447931902-1787058256-3961074038-1201)", "O:S-1-2-512D:",
        "D:PARAI(A;;GA;;;SY)", "D:P(A;;GA;;;LG)(A;;GX;;;AA)", "D:(A;;FA;;;WD)",
        "D:(A;;CCDCLCSWRPWPDTLOCR;;;WD)", "D:(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;BA)",
        "O:S-1-5-21-1225132014-296224811-2507946102-512"
        "G:S-1-5-21-1225132014-296224811-2507946102-512D:P",
    };

    for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++)
        check_round(same[i], same[i], domain());
}

/* [samba] non_canonical.txt and windows_is_weird.txt: what Windows
 * writes back for other spellings. */
static void windows_rewrites_to_canonical_form(void)
{
    static const char *const pairs[][2] = {
        { "D:(A;;CC;;;BA)(A;;RPWPCRCCDCLCLORCWOWDSDDTSW;;;SY)(A;;RPLCLORC;;;AU)",
          "D:(A;;CC;;;BA)(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;SY)(A;;LCRPLORC;;;AU)" },
        { "S:D:P", "D:PS:" },
        { "S:D:", "D:S:" },
        { "D:(A;;123456789;;;LG)", "D:(A;;0x75bcd15;;;LG)" },
        { "D:(A;;01234567;;;LG)", "D:(A;;0x53977;;;LG)" },
        { "D:(A;;16;;;LG)", "D:(A;;RP;;;LG)" },
        { "D:(A;;17;;;LG)", "D:(A;;CCRP;;;LG)" },
        { "D:(A;;0xff;;;LG)", "D:(A;;CCDCLCSWRPWPDTLO;;;LG)" },
        { "D:(A;;0xf01ff;;;LG)", "D:(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;LG)" },
        { "D:(A;;0xe00f0000;;;LG)", "D:(A;;SDRCWDWOGXGWGR;;;LG)" },
        { "D:ARPAI(A;;GA;;;SY)", "D:PARAI(A;;GA;;;SY)" },
        { "D:AIPAR(A;;GA;;;SY)", "D:PARAI(A;;GA;;;SY)" },
        { "D:PARP(A;;GA;;;SY)", "D:PAR(A;;GA;;;SY)" },
        { "D:PPPPPPPPPPPP(A;;GA;;;SY)", "D:P(A;;GA;;;SY)" },
        { "D:(A;;GA;;;S-1-0x2-3-4)", "D:(A;;GA;;;S-1-2-3-4)" },
        { "D:(A;;GA;;;S-1-5000000000-30-40)", "D:(A;;GA;;;S-1-0x12A05F200-30-40)" },
        { "D:(A;;GA;;;S-1-5-21-0x1-0x2-0x3-513)", "D:(A;;GA;;;S-1-5-21-1-2-3-513)" },
        { "O:S-1-2-0x200D:", "O:S-1-2-512D:" },
        { "O:S-1-2-0x2D:(A;;GA;;;LG)", "O:S-1-2-2D:(A;;GA;;;LG)" },
        { "O:LAG:BAD:P(A;OICI;0x1f01ff;;;BA)", "O:LAG:BAD:P(A;OICI;FA;;;BA)" },
        { "O:LAG:BAD:(A;;0x1ff;;;WD)", "O:LAG:BAD:(A;;CCDCLCSWRPWPDTLOCR;;;WD)" },
        { "D:(A;;FAGX;;;SY)", "D:(A;;0x201f01ff;;;SY)" },
        { "D:(OA;;RPWP;77B5B886-944A-11d1-AEBD-0000F80367C1;;PS)",
          "D:(OA;;RPWP;77b5b886-944a-11d1-aebd-0000f80367c1;;PS)" },
        { "D:(A;OICI;0x001200a9;;;AU)", "D:(A;OICI;0x1200a9;;;AU)" },
        { "D:(A;;0x123456789;;;LG)", "D:(A;;0xffffffff;;;LG)" },
        { "D:(A;;-99;;;LG)", "D:(A;;0xffffff9d;;;LG)" },
        { "D:(A;;-0xffffff55;;;LG)", "D:(A;;CCDCSWWPLO;;;LG)" },
        { "D:(A;;-9876543210;;;LG)", "D:(A;;CC;;;LG)" },
        { "D:(A;;100000000000000000000000;;;LG)", "D:(A;;0xffffffff;;;LG)" },
    };

    for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
        check_round(pairs[i][0], pairs[i][1], domain());
}

/* [samba] windows_is_less_fussy.txt: blanks and lower case Windows lets
 * through, and what it writes back. */
static void windows_tolerates_blanks_and_lower_case(void)
{
    static const char *const pairs[][2] = {
        { "D:(A;;GA;;; LG)", "D:(A;;GA;;;LG)" },
        { "D: (A;;GA;;;LG)", "D:(A;;GA;;;LG)" },
        { "D: AI(A;;GA;;;LG)", "D:AI(A;;GA;;;LG)" },
        { "D:(a;;GA;;;LG)", "D:(A;;GA;;;LG)" },
        { "D:(A;;GA;;;lg)", "D:(A;;GA;;;LG)" },
        { "D:(A;;ga;;;LG)", "D:(A;;GA;;;LG)" },
        { "D: S:", "D:S:" },
        { "D: P(A;;GA;;;LG)", "D:P(A;;GA;;;LG)" },
        { "D:P (A;;GA;;;LG)", "D:P(A;;GA;;;LG)" },
        { "D:P(A;;GA;;;LG) (A;;GX;;;AA)", "D:P(A;;GA;;;LG)(A;;GX;;;AA)" },
        { "D:(A; ;GA;;;LG)", "D:(A;;GA;;;LG)" },
        { "D:(A;;GA;;; WD)", "D:(A;;GA;;;WD)" },
        { "D:(A;;GA;;;WD )", "D:(A;;GA;;;WD)" },
        { "D:(A;;GA;;; S-1-3-4)", "D:(A;;GA;;;OW)" },
        { "D:(A;;GA;; ;S-1-3-4)", "D:(A;;GA;;;OW)" },
        { "D:(A;;GA; ;;S-1-3-4)", "D:(A;;GA;;;OW)" },
        { "D:(A;;GA;;; S-1-333-4)", "D:(A;;GA;;;S-1-333-4)" },
        { " O:AA", "O:AA" },
        { "  O:AA   ", "O:AA" },
        { "  O:AA G:WD  ", "O:AAG:WD" },
        { "D:(A;;GA;;;s-1-1-0)", "D:(A;;GA;;;WD)" },
    };

    for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
        check_round(pairs[i][0], pairs[i][1], domain());
}

/* "ACE Strings", mandatory label rights; [wine] accepts
 * "S:(ML;;NWNR;;;S-1-16-12288)": NW/NR/NX are bits 0..2 of a label ACE,
 * written as such there (and as CC/DC/LC in other ACEs). */
static void mandatory_label_rights(void)
{
    void *sd = NULL;
    uint32_t size;
    bool present, defaulted;
    const struct ntsec_acl *sacl;
    const struct ntsec_ace_header *ace;

    CU_ASSERT_EQUAL_FATAL(ntsec_sddl_to_sd("S:(ML;;NWNR;;;S-1-16-12288)", NULL, 1, &sd, &size, NULL),
                          NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_sd_get_sacl(sd, &present, &sacl, &defaulted), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(sacl->revision, NTSEC_ACL_REVISION);
    CU_ASSERT_EQUAL(ntsec_acl_get_ace(sacl, 0, &ace), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ace->type, NTSEC_ACE_SYSTEM_MANDATORY_LABEL);
    CU_ASSERT_EQUAL(ntsec_ace_mask(ace), NTSEC_MANDATORY_NO_WRITE_UP | NTSEC_MANDATORY_NO_READ_UP);
    ntsec_mem_free(sd);

    check_round("S:(ML;;NWNR;;;S-1-16-12288)", "S:(ML;;NWNR;;;HI)", NULL);
    check_round("S:(ML;OICI;NX;;;LW)", "S:(ML;OICI;NX;;;LW)", NULL);
    check_round("S:(ML;;0x1;;;ME)", "S:(ML;;NW;;;ME)", NULL);
    check_round("S:(ML;;0x8;;;SI)", "S:(ML;;0x8;;;SI)", NULL);
    check_round("D:(A;;NW;;;WD)", "D:(A;;CC;;;WD)", NULL);
}

/* [wine] test_ConvertSecurityDescriptorToString: an absolute descriptor
 * built with the SD and ACL functions, step by step. */
static void windows_format_of_built_descriptor(void)
{
    static const uint32_t local_sub[] = { 0 }, system_sub[] = { 18 }, service_sub[] = { 6 };
    static const uint32_t dom_sub[] = { 21, 93476, 23408, 4576 };
    struct ntsec_sd_absolute sd;
    struct ntsec_sid local, system, service, group;
    union { struct ntsec_acl acl; uint8_t b[512]; } dacl, sacl;
    char *s = NULL;
    size_t len = 0;

#define EXPECT(info, text) do { \
        CU_ASSERT_EQUAL(ntsec_sd_to_sddl(&sd, NULL, 1, (info), &s, &len), NTSEC_STATUS_SUCCESS); \
        if (s) { CU_ASSERT_STRING_EQUAL(s, (text)); CU_ASSERT_EQUAL(len, strlen(text)); \
                 if (strcmp(s, (text))) fprintf(stderr, "\n want %s\n got  %s\n", (text), s); } \
        ntsec_mem_free(s); s = NULL; } while (0)

    CU_ASSERT_EQUAL(ntsec_sid_init(&local, 2, 1, local_sub), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_sid_init(&system, 5, 1, system_sub), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_sid_init(&service, 5, 1, service_sub), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_sid_init(&group, 5, 4, dom_sub), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_sd_init(&sd, 1), NTSEC_STATUS_SUCCESS);
    EXPECT(ALL_INFO, "");
    ntsec_sd_set_owner(&sd, &local, false);
    EXPECT(ALL_INFO, "O:S-1-2-0");
    ntsec_sd_set_owner(&sd, &local, true);
    EXPECT(ALL_INFO, "O:S-1-2-0");
    ntsec_sd_set_owner(&sd, &system, true);
    EXPECT(ALL_INFO, "O:SY");
    ntsec_sd_set_group(&sd, &group, true);
    EXPECT(ALL_INFO, "O:SYG:S-1-5-21-93476-23408-4576");
    EXPECT(NTSEC_GROUP_SECURITY_INFORMATION, "G:S-1-5-21-93476-23408-4576");
    CU_ASSERT_EQUAL(ntsec_acl_init(&dacl.acl, sizeof(dacl), NTSEC_ACL_REVISION), NTSEC_STATUS_SUCCESS);
    ntsec_sd_set_dacl(&sd, true, &dacl.acl, true);
    EXPECT(ALL_INFO, "O:SYG:S-1-5-21-93476-23408-4576D:");
    ntsec_sd_set_dacl(&sd, true, &dacl.acl, false);
    EXPECT(ALL_INFO, "O:SYG:S-1-5-21-93476-23408-4576D:");
    CU_ASSERT_EQUAL(ntsec_acl_add_access_ace(&dacl.acl, 2, NTSEC_ACE_ACCESS_ALLOWED,
                    NTSEC_ACE_NO_PROPAGATE_INHERIT, 0xf0000000, &service), NTSEC_STATUS_SUCCESS);
    EXPECT(ALL_INFO, "O:SYG:S-1-5-21-93476-23408-4576D:(A;NP;GAGXGWGR;;;SU)");
    CU_ASSERT_EQUAL(ntsec_acl_add_access_ace(&dacl.acl, 2, NTSEC_ACE_ACCESS_ALLOWED,
                    NTSEC_ACE_INHERIT_ONLY | NTSEC_ACE_INHERITED, 3, &service), NTSEC_STATUS_SUCCESS);
    EXPECT(ALL_INFO, "O:SYG:S-1-5-21-93476-23408-4576D:(A;NP;GAGXGWGR;;;SU)(A;IOID;CCDC;;;SU)");
    CU_ASSERT_EQUAL(ntsec_acl_add_access_ace(&dacl.acl, 2, NTSEC_ACE_ACCESS_DENIED,
                    NTSEC_ACE_OBJECT_INHERIT | NTSEC_ACE_CONTAINER_INHERIT, 0xffffffff, &group),
                    NTSEC_STATUS_SUCCESS);
    EXPECT(ALL_INFO, "O:SYG:S-1-5-21-93476-23408-4576D:(A;NP;GAGXGWGR;;;SU)(A;IOID;CCDC;;;SU)"
                     "(D;OICI;0xffffffff;;;S-1-5-21-93476-23408-4576)");
    CU_ASSERT_EQUAL(ntsec_acl_init(&sacl.acl, sizeof(sacl), NTSEC_ACL_REVISION), NTSEC_STATUS_SUCCESS);
    ntsec_sd_set_sacl(&sd, true, &sacl.acl, false);
    ntsec_sd_set_dacl(&sd, true, NULL, false);
    EXPECT(ALL_INFO, "O:SYG:S-1-5-21-93476-23408-4576D:NO_ACCESS_CONTROLS:");
    CU_ASSERT_EQUAL(ntsec_acl_add_access_ace(&sacl.acl, 2, NTSEC_ACE_SYSTEM_AUDIT,
                    NTSEC_ACE_VALID_INHERIT_FLAGS | NTSEC_ACE_SUCCESSFUL_ACCESS |
                    NTSEC_ACE_FAILED_ACCESS, 0x2001f, &service), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_acl_add_access_ace(&sacl.acl, 2, NTSEC_ACE_SYSTEM_AUDIT,
                    NTSEC_ACE_NO_PROPAGATE_INHERIT | NTSEC_ACE_SUCCESSFUL_ACCESS,
                    0x12019f, &service), NTSEC_STATUS_SUCCESS);
    EXPECT(ALL_INFO, "O:SYG:S-1-5-21-93476-23408-4576D:NO_ACCESS_CONTROLS:"
                     "(AU;OICINPIOIDSAFA;CCDCLCSWRPRC;;;SU)(AU;NPSA;0x12019f;;;SU)");
    EXPECT(0, "");
#undef EXPECT
}

/* SECURITY_INFORMATION picks the parts; LABEL_SECURITY_INFORMATION alone
 * writes the SACL's label ACEs only (ntsec's reading, docs/sddl.md). */
static void security_information_selects_parts(void)
{
    void *sd = NULL;
    uint32_t size;
    char *s = NULL;

    CU_ASSERT_EQUAL_FATAL(ntsec_sddl_to_sd("O:BAG:SYD:P(A;;GA;;;WD)S:AI(AU;SA;CR;;;WD)(ML;;NW;;;LW)",
                                           NULL, 1, &sd, &size, NULL), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_sd_to_sddl(sd, NULL, 1, NTSEC_LABEL_SECURITY_INFORMATION, &s, NULL), 0);
    CU_ASSERT_STRING_EQUAL(s, "S:(ML;;NW;;;LW)");
    ntsec_mem_free(s);
    CU_ASSERT_EQUAL(ntsec_sd_to_sddl(sd, NULL, 1, NTSEC_DACL_SECURITY_INFORMATION |
                                     NTSEC_OWNER_SECURITY_INFORMATION, &s, NULL), 0);
    CU_ASSERT_STRING_EQUAL(s, "O:BAD:P(A;;GA;;;WD)");
    ntsec_mem_free(s);
    CU_ASSERT_EQUAL(ntsec_sd_to_sddl(sd, NULL, 1, NTSEC_SACL_SECURITY_INFORMATION |
                                     NTSEC_LABEL_SECURITY_INFORMATION, &s, NULL), 0);
    CU_ASSERT_STRING_EQUAL(s, "S:AI(AU;SA;CR;;;WD)(ML;;NW;;;LW)");
    ntsec_mem_free(s);
    CU_ASSERT_EQUAL(ntsec_sd_to_sddl(sd, NULL, 1, NTSEC_ATTRIBUTE_SECURITY_INFORMATION, &s, NULL), 0);
    CU_ASSERT_STRING_EQUAL(s, "");
    ntsec_mem_free(s);
    CU_ASSERT_EQUAL(ntsec_sd_to_sddl(sd, NULL, 1, NTSEC_BACKUP_SECURITY_INFORMATION, &s, NULL), 0);
    CU_ASSERT_STRING_EQUAL(s, "O:BAG:SYD:P(A;;GA;;;WD)S:AI(AU;SA;CR;;;WD)(ML;;NW;;;LW)");
    ntsec_mem_free(s);
    s = (char *)"untouched";
    CU_ASSERT_EQUAL(ntsec_sd_to_sddl(sd, NULL, 2, ALL_INFO, &s, NULL), NTSEC_STATUS_UNKNOWN_REVISION);
    CU_ASSERT_EQUAL(ntsec_sd_to_sddl(NULL, NULL, 1, ALL_INFO, &s, NULL), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_sd_to_sddl(sd, NULL, 1, ALL_INFO, NULL, NULL), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_STRING_EQUAL(s, "untouched");
    ntsec_mem_free(sd);
}

/* [MS-DTYP] 2.5.1.1: domain-relative aliases need the domain; written
 * back as aliases only for SIDs in that domain. */
static void domain_relative_aliases(void)
{
    void *sd = NULL;
    uint32_t size;
    char *s = NULL;

    check_round("O:DAG:DUD:(A;;GA;;;DA)(A;;GR;;;S-1-5-21-9-9-9-512)",
                "O:DAG:DUD:(A;;GA;;;DA)(A;;GR;;;S-1-5-21-9-9-9-512)", domain());
    check_fails("O:DA", NTSEC_STATUS_NONE_MAPPED, NULL);
    check_fails("D:(A;;GA;;;DA)", NTSEC_STATUS_INVALID_ACL, NULL);
    CU_ASSERT_EQUAL_FATAL(ntsec_sddl_to_sd("O:DA", domain(), 1, &sd, &size, NULL), 0);
    CU_ASSERT_EQUAL(ntsec_sd_to_sddl(sd, NULL, 1, ALL_INFO, &s, NULL), 0);
    CU_ASSERT_STRING_EQUAL(s, "O:S-1-5-21-11-22-33-512");
    ntsec_mem_free(s);
    ntsec_mem_free(sd);
}

/* [MS-DTYP] 2.5.1.1, conditional-ace and resource-attribute-ace: the
 * last field goes through the conditional-ACE and claim compilers. */
static void callback_and_resource_aces_round_trip(void)
{
    check_stable("D:(XA;;FX;;;WD;(@User.Title == \"PM\"))", "D:(XA;;FX;;;WD;(");
    check_stable("D:(XD;OICI;FA;;;AU;(Member_of {SID(BA)}))", "D:(XD;OICI;FA;;;AU;(");
    check_stable("D:(ZA;;CR;ab721a53-1e2f-11d0-9819-00aa0040529b;;WD;(@User.a == 1))",
                 "D:(ZA;;CR;ab721a53-1e2f-11d0-9819-00aa0040529b;;WD;(");
    check_stable("S:(XU;SA;FR;;;WD;(@User.a == 1))", "S:(XU;SA;FR;;;WD;(");
    check_stable("S:(RA;CI;;;;WD; (\"Project\",TS,0,\"Windows\",\"SQL\"))", "S:(RA;CI;;;;WD;(");
}

/* Binary -> SDDL -> binary keeps every byte, for each ACE type with
 * letters. */
static void every_ace_type_round_trips(void)
{
    static const char *const all[] = {
        "D:(A;;GA;;;WD)", "D:(D;;GA;;;WD)", "S:(AU;SA;GA;;;WD)", "S:(AL;FA;GA;;;WD)",
        "D:(OA;;CR;ab721a53-1e2f-11d0-9819-00aa0040529b;bf967aba-0de6-11d0-a285-00aa003049e2;WD)",
        "D:(OD;;CR;;bf967aba-0de6-11d0-a285-00aa003049e2;WD)",
        "S:(OU;SA;CR;ab721a53-1e2f-11d0-9819-00aa0040529b;;WD)",
        "S:(OL;SA;CR;ab721a53-1e2f-11d0-9819-00aa0040529b;;WD)",
        "S:(ML;;NW;;;HI)", "S:(SP;;;;;S-1-17-1)",
        "S:(TL;;0x200;;;S-1-19-512-8192)", "D:(A;CR;GA;;;WD)",
    };

    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
        check_round(all[i], all[i], NULL);
}

/* --- tables, SIDs, allocation --------------------------------------------- */

/* "ACE Strings": every letter pair of the tables parses to its value. */
static void every_table_entry_parses(void)
{
    char text[64];

    for (size_t i = 0; i < ntsec__sddl_right_count(); i++) {
        const struct ntsec__sddl_right *r = ntsec__sddl_right_at(i);

        snprintf(text, sizeof(text), "D:(A;;%s;;;WD)", r->letters);
        CU_ASSERT_EQUAL(first_mask(text), r->mask);
        CU_ASSERT_PTR_NOT_NULL(r->name);
    }
    for (size_t i = 0; i < ntsec__sddl_ace_flag_count(); i++) {
        const struct ntsec__sddl_ace_flag *f = ntsec__sddl_ace_flag_at(i);
        uint8_t v = 0;

        CU_ASSERT(ntsec__sddl_ace_flag_by_letters(f->letters, &v));
        CU_ASSERT_EQUAL(v, f->flag);
    }
    for (size_t i = 0; i < ntsec__sddl_ace_type_count(); i++) {
        const struct ntsec__sddl_ace_type *t = ntsec__sddl_ace_type_at(i);

        CU_ASSERT_PTR_EQUAL(ntsec__sddl_ace_type_by_letters(t->letters, strlen(t->letters)), t);
        CU_ASSERT_PTR_EQUAL(ntsec__sddl_ace_type_by_value(t->type), t);
    }
    CU_ASSERT_PTR_NULL(ntsec__sddl_ace_type_by_letters("Q", 1));
    CU_ASSERT_PTR_NULL(ntsec__sddl_right_at(ntsec__sddl_right_count()));
}

/* The display names the CLI's "explain" prints: a table entry named by
 * an exact mask, with the label meaning of bits 0..2 on request. */
static void rights_have_display_names(void)
{
    CU_ASSERT_STRING_EQUAL(ntsec__sddl_right_named(0x1f01ff, false)->name, "FILE_ALL_ACCESS");
    CU_ASSERT_STRING_EQUAL(ntsec__sddl_right_named(0x1f01ff, false)->letters, "FA");
    CU_ASSERT_STRING_EQUAL(ntsec__sddl_right_named(NTSEC_WRITE_DAC, false)->letters, "WD");
    CU_ASSERT_STRING_EQUAL(ntsec__sddl_right_named(1, false)->letters, "CC");
    CU_ASSERT_STRING_EQUAL(ntsec__sddl_right_named(1, true)->letters, "NW");
    CU_ASSERT_STRING_EQUAL(ntsec__sddl_right_named(0x20019, false)->letters, "KR");
    CU_ASSERT_PTR_NULL(ntsec__sddl_right_named(0x3, false));
    CU_ASSERT_PTR_NULL(ntsec__sddl_right_named(0x1f01ff, true));
}

/* ntsec_sddl_format_sid: alias when one applies, else the SID string;
 * snprintf's contract for short buffers. */
static void format_sid_alias_and_truncation(void)
{
    static const uint32_t ba_sub[] = { 32, 544 }, u_sub[] = { 21, 1, 2, 3, 1000 };
    struct ntsec_sid ba, user;
    char buf[64];

    ntsec_sid_init(&ba, 5, 2, ba_sub);
    ntsec_sid_init(&user, 5, 5, u_sub);
    CU_ASSERT_EQUAL(ntsec_sddl_format_sid(&ba, NULL, buf, sizeof(buf)), 2);
    CU_ASSERT_STRING_EQUAL(buf, "BA");
    CU_ASSERT_EQUAL(ntsec_sddl_format_sid(&user, NULL, buf, sizeof(buf)), 19);
    CU_ASSERT_STRING_EQUAL(buf, "S-1-5-21-1-2-3-1000");
    CU_ASSERT_EQUAL(ntsec_sddl_format_sid(&user, NULL, buf, 5), 19);
    CU_ASSERT_STRING_EQUAL(buf, "S-1-");
    CU_ASSERT_EQUAL(ntsec_sddl_format_sid(&user, NULL, NULL, 0), 19);
}

/* Allocation failure, injected at every allocation until the call
 * succeeds: NTSEC_STATUS_NO_MEMORY, outputs untouched, nothing leaked. */
static void parse_survives_allocation_failure(void)
{
    static const char *in = "O:BAG:SYD:P(A;;GA;;;WD)(OA;;CR;ab721a53-1e2f-11d0-9819-00aa0040529b;;WD)"
                            "(XA;;FX;;;WD;(@User.Title == \"PM\"))"
                            "S:(AU;SA;CR;;;WD)(RA;;;;;WD;(\"colour\",TS,0,\"blue\"))";
    ntsec_status st = NTSEC_STATUS_NO_MEMORY;

    for (long n = 0; n < 1000 && st == NTSEC_STATUS_NO_MEMORY; n++) {
        void *sd = (void *)&domain_sid;
        uint32_t size = 5;
        long live = testutil_live();

        testutil_fail_alloc_after(n);
        st = ntsec_sddl_to_sd(in, NULL, 1, &sd, &size, NULL);
        testutil_fail_alloc_after(-1);
        if (st == NTSEC_STATUS_NO_MEMORY) {
            CU_ASSERT_PTR_EQUAL(sd, (void *)&domain_sid);
            CU_ASSERT_EQUAL(size, 5);
            CU_ASSERT_EQUAL(testutil_live(), live);
        } else {
            CU_ASSERT_EQUAL(st, NTSEC_STATUS_SUCCESS);
            ntsec_mem_free(sd);
        }
    }
    CU_ASSERT_EQUAL(st, NTSEC_STATUS_SUCCESS);
}

static void format_survives_allocation_failure(void)
{
    static const char *in = "O:BAG:SYD:P(A;;GA;;;WD)(OA;;CR;ab721a53-1e2f-11d0-9819-00aa0040529b;;WD)"
                            "(XA;;FX;;;WD;(@User.Title == \"PM\"))"
                            "S:(AU;SA;CR;;;WD)(RA;;;;;WD;(\"colour\",TS,0,\"blue\"))";
    void *sd = NULL;
    uint32_t size;
    ntsec_status st = NTSEC_STATUS_NO_MEMORY;

    CU_ASSERT_EQUAL_FATAL(ntsec_sddl_to_sd(in, NULL, 1, &sd, &size, NULL), NTSEC_STATUS_SUCCESS);
    for (long n = 0; n < 1000 && st == NTSEC_STATUS_NO_MEMORY; n++) {
        char *s = (char *)"untouched";
        size_t len = 77;
        long live = testutil_live();

        testutil_fail_alloc_after(n);
        st = ntsec_sd_to_sddl(sd, NULL, 1, ALL_INFO, &s, &len);
        testutil_fail_alloc_after(-1);
        if (st == NTSEC_STATUS_NO_MEMORY) {
            CU_ASSERT_STRING_EQUAL(s, "untouched");
            CU_ASSERT_EQUAL(len, 77);
            CU_ASSERT_EQUAL(testutil_live(), live);
        } else {
            CU_ASSERT_EQUAL(st, NTSEC_STATUS_SUCCESS);
            ntsec_mem_free(s);
        }
    }
    CU_ASSERT_EQUAL(st, NTSEC_STATUS_SUCCESS);
    ntsec_mem_free(sd);
}

/* A descriptor with an ACE type SDDL has no letters for cannot be
 * written (sddl.h has none for the denied-callback-object type). */
static void unnamed_ace_type_cannot_be_written(void)
{
    void *sd = NULL;
    uint32_t size;
    char *s = (char *)"untouched";
    struct ntsec_ace_header *ace;

    CU_ASSERT_EQUAL_FATAL(ntsec_sddl_to_sd("D:(A;;GA;;;WD)", NULL, 1, &sd, &size, NULL), 0);
    CU_ASSERT_EQUAL_FATAL(ntsec_acl_get_ace(dacl_of(sd), 0, (const struct ntsec_ace_header **)&ace), 0);
    ace->type = NTSEC_ACE_ACCESS_ALLOWED_COMPOUND;
    CU_ASSERT_EQUAL(ntsec_sd_to_sddl(sd, NULL, 1, ALL_INFO, &s, NULL), NTSEC_STATUS_INVALID_ACL);
    CU_ASSERT_STRING_EQUAL(s, "untouched");
    ntsec_mem_free(sd);
}

void register_tests(void)
{
    static CU_TestInfo tests[] = {
        TEST(windows_bytes_of_registry_descriptor),
        TEST(windows_bytes_of_conditional_ace),
        TEST(windows_bytes_sacl_before_dacl),
        TEST(empty_acl_is_eight_bytes_of_revision_2),
        TEST(empty_string_is_an_empty_descriptor),
        TEST(no_access_control_is_a_present_null_dacl),
        TEST(object_ace_revision_and_plain_fallback),
        TEST(rights_letters_and_numbers),
        TEST(windows_accepts),
        TEST(windows_rejects_with_its_errors),
        TEST(error_offset_points_at_the_fault),
        TEST(windows_rejects_malformed_strings),
        TEST(sid_authority_beyond_48_bits_is_refused),
        TEST(windows_canonical_strings_round_trip),
        TEST(windows_rewrites_to_canonical_form),
        TEST(windows_tolerates_blanks_and_lower_case),
        TEST(mandatory_label_rights),
        TEST(windows_format_of_built_descriptor),
        TEST(security_information_selects_parts),
        TEST(domain_relative_aliases),
        TEST(callback_and_resource_aces_round_trip),
        TEST(every_ace_type_round_trips),
        TEST(every_table_entry_parses),
        TEST(rights_have_display_names),
        TEST(format_sid_alias_and_truncation),
        TEST(parse_survives_allocation_failure),
        TEST(format_survives_allocation_failure),
        TEST(unnamed_ace_type_cannot_be_written),
        CU_TEST_INFO_NULL,
    };

    testutil_add_suite("sddl", tests);
}
