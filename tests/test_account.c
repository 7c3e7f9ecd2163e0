/* test_account.c - the embedded account world and LookupAccountSid /
 * LookupAccountName over it (libsec/account.c, account_lookup.c,
 * account_describe.c). Windows results are those Wine's
 * dlls/advapi32/tests/security.c asserts on Windows (test_LookupAccountSid,
 * test_LookupAccountName, check_wellknown_name). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ntsec/ntsec.h"
#include "account.h"
#include "testutil.h"

#define CONTOSO "S-1-5-21-3623811015-3361044348-30300820"
#define MACHINE "S-1-5-21-1004336348-1177238915-682003330"

static struct ntsec_sid sid_of(const char *s)
{
    struct ntsec_sid sid;

    memset(&sid, 0, sizeof(sid));
    CU_ASSERT_EQUAL_FATAL(ntsec_sid_from_string(s, NULL, &sid), NTSEC_STATUS_SUCCESS);
    return sid;
}

/* Look a SID up and compare with the expected answer. */
static void expect_sid(const char *sid, const char *name, const char *domain,
                       enum ntsec_sid_use use)
{
    struct ntsec_sid s = sid_of(sid);
    char n[128], d[128];
    size_t ns = sizeof(n), ds = sizeof(d);
    enum ntsec_sid_use u = 0;

    CU_ASSERT_EQUAL_FATAL(ntsec_account_lookup_sid(&s, n, &ns, d, &ds, &u), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_STRING_EQUAL(n, name);
    CU_ASSERT_STRING_EQUAL(d, domain);
    CU_ASSERT_EQUAL(u, use);
    /* On success the sizes are the lengths, without the NUL. */
    CU_ASSERT_EQUAL(ns, strlen(name));
    CU_ASSERT_EQUAL(ds, strlen(domain));
}

static void expect_name(const char *name, const char *sid, const char *domain,
                        enum ntsec_sid_use use)
{
    struct ntsec_sid s, want = sid_of(sid);
    char d[128];
    size_t ds = sizeof(d);
    enum ntsec_sid_use u = 0;

    CU_ASSERT_EQUAL_FATAL(ntsec_account_lookup_name(name, &s, d, &ds, &u), NTSEC_STATUS_SUCCESS);
    CU_ASSERT(ntsec_sid_equal(&s, &want));
    CU_ASSERT_STRING_EQUAL(d, domain);
    CU_ASSERT_EQUAL(u, use);
}

static void expect_no_name(const char *name)
{
    struct ntsec_sid s;
    size_t ds = 0;
    enum ntsec_sid_use u = 0xcafe;

    CU_ASSERT_EQUAL(ntsec_account_lookup_name(name, &s, NULL, &ds, &u), NTSEC_STATUS_NONE_MAPPED);
    CU_ASSERT_EQUAL(ds, 0);
    CU_ASSERT_EQUAL(u, 0xcafe);
}

/* The default world: the brief's users, groups and machines (docs/world.md). */
static void default_world_has_demo_accounts(void)
{
    expect_sid(CONTOSO "-1104", "alice", "CONTOSO", NTSEC_SID_TYPE_USER);
    expect_sid(CONTOSO "-1105", "bob", "CONTOSO", NTSEC_SID_TYPE_USER);
    expect_sid(CONTOSO "-1106", "carol", "CONTOSO", NTSEC_SID_TYPE_USER);
    expect_sid(CONTOSO "-1107", "svc-web", "CONTOSO", NTSEC_SID_TYPE_USER);
    expect_sid(MACHINE "-500", "root", "WORKSTATION", NTSEC_SID_TYPE_USER);
    expect_sid(CONTOSO "-1110", "Developers", "CONTOSO", NTSEC_SID_TYPE_GROUP);
    expect_sid(CONTOSO "-1108", "SERVER1$", "CONTOSO", NTSEC_SID_TYPE_COMPUTER);
    expect_sid(CONTOSO "-1109", "SERVER2$", "CONTOSO", NTSEC_SID_TYPE_COMPUTER);
    expect_sid(CONTOSO "-1103", "WORKSTATION$", "CONTOSO", NTSEC_SID_TYPE_COMPUTER);
}

/* LookupAccountSid on a domain's own SID: SidTypeDomain, name = domain
 * (Wine's test_LookupAccountName, the NULL-name case). */
static void domain_sid_is_sid_type_domain(void)
{
    expect_sid(CONTOSO, "CONTOSO", "CONTOSO", NTSEC_SID_TYPE_DOMAIN);
    expect_sid(MACHINE, "WORKSTATION", "WORKSTATION", NTSEC_SID_TYPE_DOMAIN);
    expect_sid("S-1-5-32", "BUILTIN", "BUILTIN", NTSEC_SID_TYPE_DOMAIN);
}

/* BUILTIN\Users is an alias (Wine's test_LookupAccountSid pUsersSid);
 * Everyone a well-known group with domain "" (test_LookupAccountName). */
static void well_known_sids_have_windows_names(void)
{
    expect_sid("S-1-5-32-545", "Users", "BUILTIN", NTSEC_SID_TYPE_ALIAS);
    expect_sid("S-1-1-0", "Everyone", "", NTSEC_SID_TYPE_WELL_KNOWN_GROUP);
    expect_sid("S-1-5-18", "SYSTEM", "NT AUTHORITY", NTSEC_SID_TYPE_WELL_KNOWN_GROUP);
    expect_sid("S-1-16-8192", "Medium Mandatory Level", "Mandatory Label", NTSEC_SID_TYPE_LABEL);
    expect_sid("S-1-5-5-0-12345", "LogonSessionId_0_12345", "NT AUTHORITY",
               NTSEC_SID_TYPE_WELL_KNOWN_GROUP);
}

/* Domain groups Windows names without the world listing them
 * (Enterprise Admins = RID 519), and RID 513 of a machine's SAM, "None". */
static void relative_groups_are_named(void)
{
    expect_sid(CONTOSO "-519", "Enterprise Admins", "CONTOSO", NTSEC_SID_TYPE_GROUP);
    expect_sid(MACHINE "-513", "None", "WORKSTATION", NTSEC_SID_TYPE_GROUP);
    expect_name("CONTOSO\\Enterprise Admins", CONTOSO "-519", "CONTOSO", NTSEC_SID_TYPE_GROUP);
}

/* Samba's Unix SIDs carry the Linux names: S-1-22-1-0 is Unix User\root. */
static void unix_sids_have_linux_names(void)
{
    expect_sid("S-1-22-1-0", "root", "Unix User", NTSEC_SID_TYPE_USER);
    expect_name("Unix User\\root", "S-1-22-1-0", "Unix User", NTSEC_SID_TYPE_USER);
}

/* Wine's test_LookupAccountSid: a short buffer fails with the size needed,
 * NUL included; a NULL buffer with a large size succeeds; use untouched. */
static void lookup_sid_short_buffer_reports_size_with_nul(void)
{
    struct ntsec_sid s = sid_of("S-1-5-32-545");
    char n[64] = "x", d[64] = "y";
    size_t ns = 1, ds = sizeof(d);
    enum ntsec_sid_use u = 0;

    CU_ASSERT_EQUAL(ntsec_account_lookup_sid(&s, n, &ns, d, &ds, &u), NTSEC_STATUS_BUFFER_TOO_SMALL);
    CU_ASSERT_EQUAL(ns, strlen("Users") + 1);
    CU_ASSERT_STRING_EQUAL(n, "x");
    CU_ASSERT_EQUAL(u, 0);
    ns = sizeof(n);
    ds = 0;
    CU_ASSERT_EQUAL(ntsec_account_lookup_sid(&s, n, &ns, d, &ds, &u), NTSEC_STATUS_BUFFER_TOO_SMALL);
    CU_ASSERT_EQUAL(ds, strlen("BUILTIN") + 1);
    ns = ds = sizeof(n);
    CU_ASSERT_EQUAL(ntsec_account_lookup_sid(&s, NULL, &ns, d, &ds, &u), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ns, strlen("Users"));
}

/* ERROR_NONE_MAPPED for a SID nobody has; outputs unchanged. */
static void lookup_sid_unknown_is_none_mapped(void)
{
    struct ntsec_sid s = sid_of(CONTOSO "-4242");
    char n[8] = "n", d[8] = "d";
    size_t ns = sizeof(n), ds = sizeof(d);
    enum ntsec_sid_use u = 0;

    CU_ASSERT_EQUAL(ntsec_account_lookup_sid(&s, n, &ns, d, &ds, &u), NTSEC_STATUS_NONE_MAPPED);
    CU_ASSERT_EQUAL(ns, sizeof(n));
    CU_ASSERT_STRING_EQUAL(n, "n");
    CU_ASSERT_EQUAL(u, 0);
    /* Accounts (RID 500-502) exist only when the world has them. */
    s = sid_of(CONTOSO "-500");
    CU_ASSERT_EQUAL(ntsec_account_lookup_sid(&s, n, &ns, d, &ds, &u), NTSEC_STATUS_NONE_MAPPED);
    CU_ASSERT_EQUAL(ntsec_account_lookup_sid(NULL, n, &ns, d, &ds, &u),
                    NTSEC_STATUS_INVALID_PARAMETER);
}

/* Wine's test_LookupAccountName: "Everyone" has the domain "" (size 0). */
static void lookup_name_everyone_has_empty_domain(void)
{
    expect_name("Everyone", "S-1-1-0", "", NTSEC_SID_TYPE_WELL_KNOWN_GROUP);
    expect_name("everyone", "S-1-1-0", "", NTSEC_SID_TYPE_WELL_KNOWN_GROUP);
}

/* Wine's test_LookupAccountName: a NULL name is the computer's account
 * domain; the computer name itself is SidTypeDomain. */
static void lookup_name_null_and_computer_name_are_the_machine_domain(void)
{
    expect_name(NULL, MACHINE, "WORKSTATION", NTSEC_SID_TYPE_DOMAIN);
    expect_name("WORKSTATION", MACHINE, "WORKSTATION", NTSEC_SID_TYPE_DOMAIN);
    expect_name("CONTOSO", CONTOSO, "CONTOSO", NTSEC_SID_TYPE_DOMAIN);
    expect_name("BUILTIN", "S-1-5-32", "BUILTIN", NTSEC_SID_TYPE_DOMAIN);
}

/* Wine's check_wellknown_name: which spellings of the service accounts
 * Windows accepts, case ignored, "NT AUTHORITY\\" allowed. */
static void lookup_name_well_known_spellings(void)
{
    expect_name("LocalService", "S-1-5-19", "NT AUTHORITY", NTSEC_SID_TYPE_WELL_KNOWN_GROUP);
    expect_name("Local Service", "S-1-5-19", "NT AUTHORITY", NTSEC_SID_TYPE_WELL_KNOWN_GROUP);
    expect_name("lOCAlServICE", "S-1-5-19", "NT AUTHORITY", NTSEC_SID_TYPE_WELL_KNOWN_GROUP);
    expect_name("NetworkService", "S-1-5-20", "NT AUTHORITY", NTSEC_SID_TYPE_WELL_KNOWN_GROUP);
    expect_name("NT AUTHORITY\\LocalService", "S-1-5-19", "NT AUTHORITY",
                NTSEC_SID_TYPE_WELL_KNOWN_GROUP);
    expect_name("nt authority\\Network Service", "S-1-5-20", "NT AUTHORITY",
                NTSEC_SID_TYPE_WELL_KNOWN_GROUP);
    expect_name("Terminal Server User", "S-1-5-13", "NT AUTHORITY",
                NTSEC_SID_TYPE_WELL_KNOWN_GROUP);
    expect_name("enterprise domain controllers", "S-1-5-9", "NT AUTHORITY",
                NTSEC_SID_TYPE_WELL_KNOWN_GROUP);
    expect_no_name("Local  Service");
    expect_no_name("TerminalServer User");
    expect_no_name("enterprisedomain controllers");
    expect_no_name("nt authority test\\Network Service");
    expect_no_name("Dummy\\Network Service");
    expect_no_name("ntauthority\\Network Service");
    expect_no_name("oogabooga");
}

/* Accounts by plain and qualified name, case ignored (LookupAccountName). */
static void lookup_name_finds_world_accounts(void)
{
    expect_name("CONTOSO\\alice", CONTOSO "-1104", "CONTOSO", NTSEC_SID_TYPE_USER);
    expect_name("contoso\\ALICE", CONTOSO "-1104", "CONTOSO", NTSEC_SID_TYPE_USER);
    expect_name("carol", CONTOSO "-1106", "CONTOSO", NTSEC_SID_TYPE_USER);
    expect_name("WORKSTATION\\root", MACHINE "-500", "WORKSTATION", NTSEC_SID_TYPE_USER);
    expect_name("SERVER1$", CONTOSO "-1108", "CONTOSO", NTSEC_SID_TYPE_COMPUTER);
    expect_name("BUILTIN\\Administrators", "S-1-5-32-544", "BUILTIN", NTSEC_SID_TYPE_ALIAS);
    expect_name("Administrators", "S-1-5-32-544", "BUILTIN", NTSEC_SID_TYPE_ALIAS);
    expect_no_name("CONTOSO\\root");
}

/* Wine's test_LookupAccountName: cchReferencedDomainName - 1 fails with
 * the size needed; the SID and use are untouched. */
static void lookup_name_short_domain_buffer(void)
{
    struct ntsec_sid s;
    char d[16] = "d";
    size_t ds = strlen("CONTOSO");
    enum ntsec_sid_use u = 0;

    memset(&s, 0xAB, sizeof(s));
    CU_ASSERT_EQUAL(ntsec_account_lookup_name("CONTOSO\\bob", &s, d, &ds, &u),
                    NTSEC_STATUS_BUFFER_TOO_SMALL);
    CU_ASSERT_EQUAL(ds, strlen("CONTOSO") + 1);
    CU_ASSERT_EQUAL(s.revision, 0xAB);
    CU_ASSERT_EQUAL(u, 0);
    CU_ASSERT_EQUAL(ntsec_account_lookup_name("CONTOSO\\bob", &s, d, &ds, &u),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ds, strlen("CONTOSO"));
}

/* Delegation flags ([MS-ADTS] userAccountControl): carol is sensitive,
 * SERVER1 trusted for delegation, SERVER2 not, svc-web trusted to
 * authenticate for delegation, Guest disabled. */
static void account_flags_of_the_default_world(void)
{
    struct ntsec_sid s;

    s = sid_of(CONTOSO "-1106");
    CU_ASSERT_EQUAL(ntsec_account_flags(&s), NTSEC_ACCOUNT_SENSITIVE);
    s = sid_of(CONTOSO "-1108");
    CU_ASSERT_EQUAL(ntsec_account_flags(&s), NTSEC_ACCOUNT_TRUSTED_FOR_DELEGATION);
    s = sid_of(CONTOSO "-1109");
    CU_ASSERT_EQUAL(ntsec_account_flags(&s), 0);
    s = sid_of(CONTOSO "-1107");
    CU_ASSERT_EQUAL(ntsec_account_flags(&s), NTSEC_ACCOUNT_TRUSTED_TO_AUTH_FOR_DELEGATION);
    s = sid_of(MACHINE "-501");
    CU_ASSERT_EQUAL(ntsec_account_flags(&s), NTSEC_ACCOUNT_DISABLED);
    s = sid_of("S-1-5-32-544");
    CU_ASSERT_EQUAL(ntsec_account_flags(&s), 0);
}

/* uid 0 is root (rid 500); the running Linux user is a local account
 * with RID 1000 + 2 * uid (Samba's algorithmic mapping). */
static void uid_mapping(void)
{
    struct ntsec_sid s, want = sid_of(MACHINE "-500");

    CU_ASSERT(ntsec__world_sid_for_uid(0, &s));
    CU_ASSERT(ntsec_sid_equal(&s, &want));
    if (getuid() != 0 && ntsec__world_sid_for_uid(getuid(), &s)) {
        CU_ASSERT_EQUAL(ntsec_sid_rid(&s), 1000u + 2u * getuid());
    }
    CU_ASSERT(!ntsec__world_sid_for_uid(4000000000u, &s));
    CU_ASSERT(!ntsec__world_sid_for_gid(4000000000u, &s));
}

/* Rights reach a user through its groups (LSA sums the rights of all of a
 * token's SIDs): bob is an administrator, alice a user. */
static void rights_come_through_groups(void)
{
    struct ntsec_sid bob = sid_of(CONTOSO "-1105"), alice = sid_of(CONTOSO "-1104");
    uint64_t b = ntsec__world_rights(&bob), a = ntsec__world_rights(&alice);

    CU_ASSERT(b & (1ull << NTSEC_SE_DEBUG_PRIVILEGE));
    CU_ASSERT(!(a & (1ull << NTSEC_SE_DEBUG_PRIVILEGE)));
    CU_ASSERT(a & (1ull << NTSEC_SE_CHANGE_NOTIFY_PRIVILEGE));
    CU_ASSERT(a & (1ull << NTSEC_SE_SHUTDOWN_PRIVILEGE));
}

/* ntsec_world_describe writes the world file format: loading it gives the
 * same world, which describes to the same text. */
static void describe_round_trips(void)
{
    char *a = NULL, *b = NULL, dir[] = "/tmp/ntsec-acc-XXXXXX", path[64];
    unsigned line = 0;
    const char *why = NULL;
    FILE *f;

    CU_ASSERT_EQUAL_FATAL(ntsec_world_describe(&a), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/world.ini", dir);
    f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs(a, f);
    fclose(f);
    CU_ASSERT_EQUAL(ntsec_world_load(path, &line, &why), NTSEC_STATUS_SUCCESS);
    if (why)
        fprintf(stderr, "line %u: %s\n", line, why);
    CU_ASSERT_EQUAL(ntsec_world_describe(&b), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_STRING_EQUAL(a, b);
    ntsec_world_reset();
    ntsec_mem_free(a);
    ntsec_mem_free(b);
    unlink(path);
    rmdir(dir);
}

/* Allocation failure: NTSEC_STATUS_NO_MEMORY and no output, until it works. */
static void describe_survives_allocation_failure(void)
{
    for (long n = 0;; n++) {
        char *text = (char *)0x1;
        ntsec_status st;

        testutil_fail_alloc_after(n);
        st = ntsec_world_describe(&text);
        testutil_fail_alloc_after(-1);
        if (st == NTSEC_STATUS_SUCCESS) {
            CU_ASSERT(strstr(text, "[user alice]") != NULL);
            ntsec_mem_free(text);
            break;
        }
        CU_ASSERT_EQUAL(st, NTSEC_STATUS_NO_MEMORY);
        CU_ASSERT_PTR_EQUAL(text, (char *)0x1);
        CU_ASSERT_FATAL(n < 1000);
    }
}

void register_tests(void)
{
    static CU_TestInfo tests[] = {
        TEST(default_world_has_demo_accounts),
        TEST(domain_sid_is_sid_type_domain),
        TEST(well_known_sids_have_windows_names),
        TEST(relative_groups_are_named),
        TEST(unix_sids_have_linux_names),
        TEST(lookup_sid_short_buffer_reports_size_with_nul),
        TEST(lookup_sid_unknown_is_none_mapped),
        TEST(lookup_name_everyone_has_empty_domain),
        TEST(lookup_name_null_and_computer_name_are_the_machine_domain),
        TEST(lookup_name_well_known_spellings),
        TEST(lookup_name_finds_world_accounts),
        TEST(lookup_name_short_domain_buffer),
        TEST(account_flags_of_the_default_world),
        TEST(uid_mapping),
        TEST(rights_come_through_groups),
        TEST(describe_round_trips),
        TEST(describe_survives_allocation_failure),
        CU_TEST_INFO_NULL,
    };

    testutil_add_suite("account", tests);
}
