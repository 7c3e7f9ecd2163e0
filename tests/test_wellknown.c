/* test_wellknown.c - libsec/wellknown.c: CreateWellKnownSid,
 * IsWellKnownSid, LookupAccountSid names and the SDDL SID aliases.
 *
 * Sources of the expected values:
 *  [wine]  Wine dlls/advapi32/tests/security.c: well_known_sid_values and
 *          test_CreateWellKnownSid, test_sid (str_to_sid_tests), results
 *          that hold on Windows;
 *  [dc]    Samba python/samba/tests/sid_strings.py SidStringTests: each
 *          alias given to a Windows DC and the SID it made;
 *  [win/...] Samba libcli/security/tests/windows/<file>, Windows SDDL output;
 *  [docs]  Microsoft docs: "SID Strings" (secauthz/sid-strings),
 *          CreateWellKnownSid, WELL_KNOWN_SID_TYPE;
 *  [dtyp]  [MS-DTYP] 2.4.2.4 Well-Known SID Structures. */
#include <stdio.h>
#include <string.h>

#include "ntsec/sid.h"
#include "wellknown.h"
#include "testutil.h"

static const char *str(const struct ntsec_sid *sid)
{
    static char buf[NTSEC_SID_STRING_MAX];

    ntsec_sid_format(sid, buf, sizeof(buf));
    return buf;
}

static struct ntsec_sid sid_of(const char *text)
{
    struct ntsec_sid s;

    memset(&s, 0, sizeof(s));
    CU_ASSERT_EQUAL_FATAL(ntsec_sid_from_string(text, NULL, &s), NTSEC_STATUS_SUCCESS);
    return s;
}

/* [wine] test_CreateWellKnownSid's domain: "a domain sid usually have three
 * subauthorities but we test that CreateWellKnownSid doesn't check it". */
#define WINE_DOMAIN "S-1-5-21-12-23-34-45-56"

/* [wine] well_known_sid_values: type -> SID; needs_domain is !without_domain
 * where Windows needs it (the types Wine marks FALSE that are not relative,
 * 8 and 26 and 56 and 64, are checked without a domain below). NULL: Wine
 * does not check that type. Types 85.. are past Wine's list: [dtyp] and the
 * winnt.h constants (SECURITY_CAPABILITY_*, SECURITY_USERMODEDRIVERHOST_ID_
 * BASE_RID, SECURITY_LOCAL_ACCOUNT_RID = 113, ..._AND_ADMIN_RID = 114,
 * DOMAIN_GROUP_RID_PROTECTED_USERS = 525), with [dc] for those that have
 * an alias. */
static const struct { const char *sid; int needs_domain; } expected[] = {
    /*  0 */ { "S-1-0-0", 0 }, { "S-1-1-0", 0 }, { "S-1-2-0", 0 }, { "S-1-3-0", 0 },
    /*  4 */ { "S-1-3-1", 0 }, { "S-1-3-2", 0 }, { "S-1-3-3", 0 }, { "S-1-5", 0 },
    /*  8 */ { "S-1-5-1", 0 }, { "S-1-5-2", 0 }, { "S-1-5-3", 0 }, { "S-1-5-4", 0 },
    /* 12 */ { "S-1-5-6", 0 }, { "S-1-5-7", 0 }, { "S-1-5-8", 0 }, { "S-1-5-9", 0 },
    /* 16 */ { "S-1-5-10", 0 }, { "S-1-5-11", 0 }, { "S-1-5-12", 0 }, { "S-1-5-13", 0 },
    /* 20 */ { "S-1-5-14", 0 }, { NULL, 0 }, { "S-1-5-18", 0 }, { "S-1-5-19", 0 },
    /* 24 */ { "S-1-5-20", 0 }, { "S-1-5-32", 0 },
    /* 26 */ { "S-1-5-32-544", 0 }, { "S-1-5-32-545", 0 }, { "S-1-5-32-546", 0 },
    /* 29 */ { "S-1-5-32-547", 0 }, { "S-1-5-32-548", 0 }, { "S-1-5-32-549", 0 },
    /* 32 */ { "S-1-5-32-550", 0 }, { "S-1-5-32-551", 0 }, { "S-1-5-32-552", 0 },
    /* 35 */ { "S-1-5-32-554", 0 }, { "S-1-5-32-555", 0 }, { "S-1-5-32-556", 0 },
    /* 38 */ { WINE_DOMAIN "-500", 1 }, { WINE_DOMAIN "-501", 1 },
    /* 40 */ { WINE_DOMAIN "-502", 1 }, { WINE_DOMAIN "-512", 1 },
    /* 42 */ { WINE_DOMAIN "-513", 1 }, { WINE_DOMAIN "-514", 1 },
    /* 44 */ { WINE_DOMAIN "-515", 1 }, { WINE_DOMAIN "-516", 1 },
    /* 46 */ { WINE_DOMAIN "-517", 1 }, { WINE_DOMAIN "-518", 1 },
    /* 48 */ { WINE_DOMAIN "-519", 1 }, { WINE_DOMAIN "-520", 1 },
    /* 50 */ { WINE_DOMAIN "-553", 1 },
    /* 51 */ { "S-1-5-64-10", 0 }, { "S-1-5-64-21", 0 }, { "S-1-5-64-14", 0 },
    /* 54 */ { "S-1-5-15", 0 }, { "S-1-5-1000", 0 }, { "S-1-5-32-557", 0 },
    /* 57 */ { "S-1-5-32-558", 0 }, { "S-1-5-32-559", 0 }, { "S-1-5-32-560", 0 },
    /* 60 */ { "S-1-5-32-561", 0 }, { "S-1-5-32-562", 0 },
    /* 62 */ { "S-1-5-32-568", 0 },
    /* 63 */ { "S-1-5-17", 0 }, { "S-1-5-32-569", 0 }, { "S-1-16-0", 0 },
    /* 66 */ { "S-1-16-4096", 0 }, { "S-1-16-8192", 0 }, { "S-1-16-12288", 0 },
    /* 69 */ { "S-1-16-16384", 0 }, { "S-1-5-33", 0 }, { "S-1-3-4", 0 },
    /* 72 */ { WINE_DOMAIN "-571", 1 }, { WINE_DOMAIN "-572", 1 },
    /* 74 */ { "S-1-5-22", 0 }, { WINE_DOMAIN "-521", 1 }, { "S-1-5-32-573", 0 },
    /* 77 */ { WINE_DOMAIN "-498", 1 }, { "S-1-5-32-574", 0 }, { "S-1-16-8448", 0 },
    /* 80 */ { NULL, 0 }, { "S-1-2-1", 0 }, { "S-1-5-65-1", 0 }, { NULL, 0 },
    /* 84 */ { "S-1-15-2-1", 0 },
    /* 85 */ { "S-1-15-3-1", 0 }, { "S-1-15-3-2", 0 }, { "S-1-15-3-3", 0 },
    /* 88 */ { "S-1-15-3-4", 0 }, { "S-1-15-3-5", 0 }, { "S-1-15-3-6", 0 },
    /* 91 */ { "S-1-15-3-7", 0 }, { "S-1-15-3-9", 0 }, { "S-1-15-3-8", 0 },
    /* 94 */ { "S-1-15-3-10", 0 },
    /* 95 */ { "S-1-5-32-575", 0 }, { "S-1-5-32-576", 0 }, { "S-1-5-32-577", 0 },
    /* 98 */ { "S-1-5-84-0-0-0-0-0", 0 }, { "S-1-5-32-578", 0 },
    /* 100 */ { WINE_DOMAIN "-522", 1 }, { "S-1-5-32-579", 0 }, { "S-1-5-32-580", 0 },
    /* 103 */ { "S-1-18-1", 0 }, { "S-1-18-2", 0 }, { "S-1-5-113", 0 },
    /* 106 */ { "S-1-5-114", 0 }, { WINE_DOMAIN "-525", 1 },
};

#define N_EXPECTED (sizeof(expected) / sizeof(expected[0]))

/* [docs] WELL_KNOWN_SID_TYPE in Wine's winnt.h runs from WinNullSid = 0 to
 * WinAccountProtectedUsersSid = 107. */
static void every_well_known_sid_type_is_known(void)
{
    CU_ASSERT_EQUAL(ntsec_sid_well_known_count(), 108);
    CU_ASSERT_EQUAL(N_EXPECTED, 108);
}

/* The one table lists each type once, in order, then alias-only rows; its
 * names are consistent (display is "domain\name", or name alone when the
 * domain is ""), aliases are two upper-case letters. */
static void table_is_ordered_and_consistent(void)
{
    size_t n, i;
    const struct ntsec__wellknown *t = ntsec__wellknown_table(&n);

    for (i = 0; i < ntsec_sid_well_known_count(); i++)
        CU_ASSERT_EQUAL(t[i].type, (int)i);
    for (; i < n; i++) {
        CU_ASSERT_EQUAL(t[i].type, -1);
        CU_ASSERT_NOT_EQUAL(t[i].alias[0], '\0');
    }
    for (i = 0; i < n; i++) {
        char want[160];

        CU_ASSERT_TRUE(t[i].count <= NTSEC__WK_MAX_SUBS);
        if (t[i].alias[0]) {
            CU_ASSERT_TRUE(t[i].alias[0] >= 'A' && t[i].alias[0] <= 'Z');
            CU_ASSERT_TRUE(t[i].alias[1] >= 'A' && t[i].alias[1] <= 'Z');
            CU_ASSERT_EQUAL(t[i].alias[2], '\0');
            for (size_t j = i + 1; j < n; j++)
                CU_ASSERT_NOT_EQUAL(strcmp(t[i].alias, t[j].alias), 0);
        }
        if (!t[i].display)
            continue;
        CU_ASSERT_PTR_NOT_NULL_FATAL(t[i].name);
        CU_ASSERT_PTR_NOT_NULL_FATAL(t[i].domain);
        if (t[i].domain[0])
            snprintf(want, sizeof(want), "%s\\%s", t[i].domain, t[i].name);
        else
            snprintf(want, sizeof(want), "%s", t[i].name);
        CU_ASSERT_STRING_EQUAL(t[i].display, want);
    }
}

/* [wine] test_CreateWellKnownSid: each type gives the SID Windows gives,
 * with the domain where it needs one; GetSidLengthRequired(count) bytes. */
static void create_well_known_sid_gives_windows_sids(void)
{
    struct ntsec_sid dom = sid_of(WINE_DOMAIN);

    for (unsigned i = 0; i < N_EXPECTED; i++) {
        struct ntsec_sid s;

        if (!expected[i].sid)
            continue;
        memset(&s, 0, sizeof(s));
        CU_ASSERT_EQUAL(ntsec_sid_well_known(i, expected[i].needs_domain ? &dom : NULL, &s),
                        NTSEC_STATUS_SUCCESS);
        CU_ASSERT_TRUE(ntsec_sid_is_valid(&s));
        CU_ASSERT_STRING_EQUAL(str(&s), expected[i].sid);
        if (strcmp(str(&s), expected[i].sid))
            fprintf(stderr, "type %u: %s, expected %s\n", i, str(&s), expected[i].sid);
    }
}

/* [wine] "SID create with domain is different than without": a type that
 * needs no domain gives the same SID with one. */
static void domain_is_ignored_by_types_that_need_none(void)
{
    struct ntsec_sid dom = sid_of(WINE_DOMAIN);

    for (unsigned i = 0; i < N_EXPECTED; i++) {
        struct ntsec_sid a, b;

        if (!expected[i].sid || expected[i].needs_domain)
            continue;
        memset(&a, 0, sizeof(a));
        memset(&b, 0, sizeof(b));
        CU_ASSERT_EQUAL(ntsec_sid_well_known(i, NULL, &a), NTSEC_STATUS_SUCCESS);
        CU_ASSERT_EQUAL(ntsec_sid_well_known(i, &dom, &b), NTSEC_STATUS_SUCCESS);
        CU_ASSERT_MEM_EQUAL(&a, &b, ntsec_sid_length(&a));
    }
}

/* [wine] CreateWellKnownSid fails with ERROR_INVALID_PARAMETER for a
 * domain type without a domain SID (Wine's implementation and test skip;
 * Windows' own NULL means "the local computer" [docs], resolved by emul/),
 * and for a type past the enumeration. The output is left alone. */
static void domain_types_without_domain_are_invalid_parameter(void)
{
    struct ntsec_sid s, before, full, bad;
    uint32_t subs[15] = { 21 };

    memset(&s, 0x42, sizeof(s));
    before = s;
    for (unsigned i = 0; i < N_EXPECTED; i++)
        if (expected[i].needs_domain)
            CU_ASSERT_EQUAL(ntsec_sid_well_known(i, NULL, &s), NTSEC_STATUS_INVALID_PARAMETER);
    /* a domain with no room left for the RID, or not a valid SID */
    CU_ASSERT_EQUAL(ntsec_sid_init(&full, 5, 15, subs), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_sid_well_known(38, &full, &s), NTSEC_STATUS_INVALID_PARAMETER);
    bad = sid_of("S-1-5-21-1-2-3");
    bad.revision = 2;
    CU_ASSERT_EQUAL(ntsec_sid_well_known(38, &bad, &s), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_sid_well_known(108, NULL, &s), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_sid_well_known(0xFFFFFFFFu, NULL, &s), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_sid_well_known(1, NULL, NULL), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_MEM_EQUAL(&s, &before, sizeof(s));
    /* a domain SID with fourteen sub-authorities still has room */
    CU_ASSERT_EQUAL(ntsec_sid_init(&full, 5, 14, subs), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_sid_well_known(38, &full, &s), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(s.sub_authority_count, 15);
    CU_ASSERT_EQUAL(ntsec_sid_rid(&s), 500);
}

/* [docs] IsWellKnownSid: every created SID is recognised as its type;
 * where two types share a SID (WinLocalSid, WinLocalLogonSid: S-1-2-0)
 * the lower is reported. */
static void is_well_known_sid_recognises_every_type(void)
{
    struct ntsec_sid dom = sid_of("S-1-5-21-1-2-3");

    for (unsigned i = 0; i < ntsec_sid_well_known_count(); i++) {
        struct ntsec_sid s;
        int want = i == 80 ? 2 : (int)i;

        CU_ASSERT_EQUAL_FATAL(ntsec_sid_well_known(i, &dom, &s), NTSEC_STATUS_SUCCESS);
        CU_ASSERT_EQUAL(ntsec_sid_well_known_type(&s), want);
        if (ntsec_sid_well_known_type(&s) != want)
            fprintf(stderr, "type %u read back as %d\n", i, ntsec_sid_well_known_type(&s));
    }
}

/* sid.h: domain-relative types match any account-domain SID (S-1-5-21-...)
 * with their RID; logon SIDs S-1-5-5-X-Y are WinLogonIdsSid; others -1. */
static void is_well_known_sid_for_relative_and_unknown_sids(void)
{
    struct ntsec_sid s;

    s = sid_of("S-1-5-21-12-23-34-45-56-512");
    CU_ASSERT_EQUAL(ntsec_sid_well_known_type(&s), 41);
    s = sid_of("S-1-5-21-1-2-3-525");
    CU_ASSERT_EQUAL(ntsec_sid_well_known_type(&s), 107);
    s = sid_of("S-1-5-21-1-2-3-526");          /* KA: no WELL_KNOWN_SID_TYPE */
    CU_ASSERT_EQUAL(ntsec_sid_well_known_type(&s), -1);
    s = sid_of("S-1-5-21-1-2-3-1000");
    CU_ASSERT_EQUAL(ntsec_sid_well_known_type(&s), -1);
    s = sid_of("S-1-5-32-500");                /* not an account domain */
    CU_ASSERT_EQUAL(ntsec_sid_well_known_type(&s), -1);
    s = sid_of("S-1-5-5-0-1234567");
    CU_ASSERT_EQUAL(ntsec_sid_well_known_type(&s), 21);
    s = sid_of("S-1-5-5-0");
    CU_ASSERT_EQUAL(ntsec_sid_well_known_type(&s), -1);
    s = sid_of("S-1-5-32-544-1");
    CU_ASSERT_EQUAL(ntsec_sid_well_known_type(&s), -1);
    s = sid_of("S-1-16-8193");
    CU_ASSERT_EQUAL(ntsec_sid_well_known_type(&s), -1);
    s.revision = 2;
    CU_ASSERT_EQUAL(ntsec_sid_well_known_type(&s), -1);
    CU_ASSERT_EQUAL(ntsec_sid_well_known_type(NULL), -1);
}

/* LookupAccountSid on Windows: domain\name, or the name alone for the
 * SIDs with no domain (Wine's ACCOUNT_SIDS table records these Windows
 * names). Domain-relative SIDs and unknown SIDs have no name here. */
static void names_are_what_lookup_account_sid_shows(void)
{
    static const struct { const char *sid; const char *name; } names[] = {
        { "S-1-0-0", "NULL SID" },
        { "S-1-1-0", "Everyone" },
        { "S-1-2-0", "LOCAL" },
        { "S-1-3-0", "CREATOR OWNER" },
        { "S-1-3-1", "CREATOR GROUP" },
        { "S-1-5-2", "NT AUTHORITY\\NETWORK" },
        { "S-1-5-4", "NT AUTHORITY\\INTERACTIVE" },
        { "S-1-5-7", "NT AUTHORITY\\ANONYMOUS LOGON" },
        { "S-1-5-11", "NT AUTHORITY\\Authenticated Users" },
        { "S-1-5-18", "NT AUTHORITY\\SYSTEM" },
        { "S-1-5-19", "NT AUTHORITY\\LOCAL SERVICE" },
        { "S-1-5-20", "NT AUTHORITY\\NETWORK SERVICE" },
        { "S-1-5-32", "BUILTIN\\BUILTIN" },
        { "S-1-5-32-544", "BUILTIN\\Administrators" },
        { "S-1-5-32-545", "BUILTIN\\Users" },
        { "S-1-5-32-546", "BUILTIN\\Guests" },
        { "S-1-5-32-549", "BUILTIN\\Server Operators" },
        { "S-1-5-32-558", "BUILTIN\\Performance Monitor Users" },
        { "S-1-5-64-10", "NT AUTHORITY\\NTLM Authentication" },
        { "S-1-5-15", "NT AUTHORITY\\This Organization" },
        { "S-1-15-2-1", "APPLICATION PACKAGE AUTHORITY\\ALL APPLICATION PACKAGES" },
        { "S-1-16-12288", "Mandatory Label\\High Mandatory Level" },
    };
    struct ntsec_sid s;

    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        s = sid_of(names[i].sid);
        CU_ASSERT_PTR_NOT_NULL_FATAL(ntsec_sid_name(&s));
        CU_ASSERT_STRING_EQUAL(ntsec_sid_name(&s), names[i].name);
    }
    s = sid_of("S-1-5-21-1-2-3-500");
    CU_ASSERT_PTR_NULL(ntsec_sid_name(&s));
    s = sid_of("S-1-5-5-0-999");
    CU_ASSERT_PTR_NULL(ntsec_sid_name(&s));
    s = sid_of("S-1-5-1234");
    CU_ASSERT_PTR_NULL(ntsec_sid_name(&s));
    CU_ASSERT_PTR_NULL(ntsec_sid_name(NULL));
}

/* [dc] SidStringTests: every alias and the SID a Windows DC made of it,
 * "{domain_sid}" standing for the domain's SID. Together with [docs]
 * "SID Strings" this is the full alias list. */
static const struct { const char *alias; const char *sid; } aliases[] = {
    { "AA", "S-1-5-32-579" }, { "AC", "S-1-15-2-1" }, { "AN", "S-1-5-7" },
    { "AO", "S-1-5-32-548" }, { "AP", "D-525" }, { "AS", "S-1-18-1" },
    { "AU", "S-1-5-11" }, { "BA", "S-1-5-32-544" }, { "BG", "S-1-5-32-546" },
    { "BO", "S-1-5-32-551" }, { "BU", "S-1-5-32-545" }, { "CA", "D-517" },
    { "CD", "S-1-5-32-574" }, { "CG", "S-1-3-1" }, { "CN", "D-522" },
    { "CO", "S-1-3-0" }, { "CY", "S-1-5-32-569" },
    /* [dc] does not list DA; [docs] DOMAIN_GROUP_RID_ADMINS (512) */
    { "DA", "D-512" }, { "DC", "D-515" },
    { "DD", "D-516" }, { "DG", "D-514" }, { "DU", "D-513" }, { "EA", "D-519" },
    { "ED", "S-1-5-9" }, { "EK", "D-527" }, { "ER", "S-1-5-32-573" },
    { "ES", "S-1-5-32-576" }, { "HA", "S-1-5-32-578" }, { "HI", "S-1-16-12288" },
    { "IS", "S-1-5-32-568" }, { "IU", "S-1-5-4" }, { "KA", "D-526" },
    { "LA", "D-500" }, { "LG", "D-501" }, { "LS", "S-1-5-19" },
    { "LU", "S-1-5-32-559" }, { "LW", "S-1-16-4096" }, { "ME", "S-1-16-8192" },
    { "MP", "S-1-16-8448" }, { "MS", "S-1-5-32-577" }, { "MU", "S-1-5-32-558" },
    { "NO", "S-1-5-32-556" }, { "NS", "S-1-5-20" }, { "NU", "S-1-5-2" },
    { "OW", "S-1-3-4" }, { "PA", "D-520" }, { "PO", "S-1-5-32-550" },
    { "PS", "S-1-5-10" }, { "PU", "S-1-5-32-547" }, { "RA", "S-1-5-32-575" },
    { "RC", "S-1-5-12" }, { "RD", "S-1-5-32-555" }, { "RE", "S-1-5-32-552" },
    { "RM", "S-1-5-32-580" }, { "RO", "D-498" }, { "RS", "D-553" },
    { "RU", "S-1-5-32-554" }, { "SA", "D-518" }, { "SI", "S-1-16-16384" },
    { "SO", "S-1-5-32-549" }, { "SS", "S-1-18-2" }, { "SU", "S-1-5-6" },
    { "SY", "S-1-5-18" },
    /* [dc] leaves UD untested; [dtyp] USER_MODE_DRIVERS */
    { "UD", "S-1-5-84-0-0-0-0-0" },
    { "WD", "S-1-1-0" }, { "WR", "S-1-5-33" },
};

#define N_ALIASES (sizeof(aliases) / sizeof(aliases[0]))
#define DOMAIN "S-1-5-21-1000-2000-3000"

static void expected_alias_sid(size_t i, char *buf, size_t size)
{
    if (aliases[i].sid[0] == 'D')
        snprintf(buf, size, "%s%s", DOMAIN, aliases[i].sid + 1);
    else
        snprintf(buf, size, "%s", aliases[i].sid);
}

/* [dc] SidStringTests: each alias stands for the SID Windows gives it. */
static void aliases_stand_for_windows_sids(void)
{
    struct ntsec_sid dom = sid_of(DOMAIN);

    for (size_t i = 0; i < N_ALIASES; i++) {
        struct ntsec_sid s;
        char want[NTSEC_SID_STRING_MAX];

        expected_alias_sid(i, want, sizeof(want));
        memset(&s, 0, sizeof(s));
        CU_ASSERT_EQUAL(ntsec_sid_from_alias(aliases[i].alias, &dom, &s), NTSEC_STATUS_SUCCESS);
        CU_ASSERT_STRING_EQUAL(str(&s), want);
        if (strcmp(str(&s), want))
            fprintf(stderr, "%s: %s, expected %s\n", aliases[i].alias, str(&s), want);
    }
}

/* The table has exactly the aliases of [docs] "SID Strings" / [dc]: none
 * missing, none invented. */
static void alias_table_is_exactly_the_documented_list(void)
{
    size_t n, count = 0;
    const struct ntsec__wellknown *t = ntsec__wellknown_table(&n);

    for (size_t i = 0; i < n; i++) {
        bool listed = false;

        if (!t[i].alias[0])
            continue;
        count++;
        for (size_t j = 0; j < N_ALIASES; j++)
            listed |= strcmp(t[i].alias, aliases[j].alias) == 0;
        CU_ASSERT_TRUE(listed);
    }
    CU_ASSERT_EQUAL(count, N_ALIASES);
}

/* [dc] 'aa', 'Aa', 'aA' are AA; [win/windows_is_less_fussy.txt] "lg" is
 * LG: aliases are read without regard to case. */
static void aliases_ignore_case(void)
{
    static const char *const forms[] = { "aa", "Aa", "aA", "AA" };
    struct ntsec_sid dom = sid_of(DOMAIN), s;

    for (size_t i = 0; i < 4; i++) {
        CU_ASSERT_EQUAL(ntsec_sid_from_alias(forms[i], NULL, &s), NTSEC_STATUS_SUCCESS);
        CU_ASSERT_STRING_EQUAL(str(&s), "S-1-5-32-579");
    }
    CU_ASSERT_EQUAL(ntsec_sid_from_alias("lg", &dom, &s), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_STRING_EQUAL(str(&s), DOMAIN "-501");
}

/* [dc] 'BR', 'IF', 'LK' are refused; so is anything not two letters of the
 * list. Failure leaves the output alone. */
static void unknown_aliases_are_invalid_sid(void)
{
    static const char *const bad[] = { "BR", "IF", "LK", "", "B", "ZZ", "1A", "B-" };
    struct ntsec_sid s, before;

    memset(&s, 0x11, sizeof(s));
    before = s;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        CU_ASSERT_EQUAL(ntsec_sid_from_alias(bad[i], NULL, &s), NTSEC_STATUS_INVALID_SID);
    CU_ASSERT_EQUAL(ntsec_sid_from_alias(NULL, NULL, &s), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_sid_from_alias("BA", NULL, NULL), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_MEM_EQUAL(&s, &before, sizeof(s));
}

/* [wine] test_sid: on a machine outside a domain CA, DA, DC, DD, DG, DU,
 * EA, PA, RS, SA fail (marked optional); sid.h gives NONE_MAPPED for every
 * relative alias without a domain, and leaves the output alone. */
static void relative_aliases_need_a_domain(void)
{
    struct ntsec_sid s, before;
    size_t n;
    const struct ntsec__wellknown *t = ntsec__wellknown_table(&n);

    memset(&s, 0x22, sizeof(s));
    before = s;
    for (size_t i = 0; i < n; i++) {
        if (!t[i].alias[0])
            continue;
        if (t[i].base == NTSEC__WK_DOMAIN || t[i].base == NTSEC__WK_ROOT_DOMAIN)
            CU_ASSERT_EQUAL(ntsec_sid_from_alias(t[i].alias, NULL, &s),
                            NTSEC_STATUS_NONE_MAPPED);
    }
    CU_ASSERT_MEM_EQUAL(&s, &before, sizeof(s));
    CU_ASSERT_EQUAL(ntsec_sid_from_alias("BA", NULL, &s), NTSEC_STATUS_SUCCESS);
}

/* [dtyp] SA, EA, EK and RO are relative to the forest root domain, the
 * other account aliases to the domain (LA, LG to the machine). */
static void root_domain_aliases_are_marked(void)
{
    size_t n;
    const struct ntsec__wellknown *t = ntsec__wellknown_table(&n);

    for (size_t i = 0; i < n; i++) {
        const char *a = t[i].alias;
        bool root = !strcmp(a, "SA") || !strcmp(a, "EA") || !strcmp(a, "EK") ||
                    !strcmp(a, "RO");

        CU_ASSERT_EQUAL(t[i].base == NTSEC__WK_ROOT_DOMAIN, root);
    }
}

/* sid.h: only the first two characters are read, so the SDDL parser can
 * pass a pointer into "O:BAG:SY". */
static void alias_lookup_reads_two_characters(void)
{
    struct ntsec_sid s;

    CU_ASSERT_EQUAL(ntsec_sid_from_alias("BAG:SY", NULL, &s), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_STRING_EQUAL(str(&s), "S-1-5-32-544");
}

/* [win/non_canonical.txt]: SDDL writes the alias ("(A;;GA;;;S-1-3-4)"
 * comes back as "OW"); relative aliases only for SIDs of the domain given;
 * every alias round-trips. */
static void to_alias_is_the_inverse_of_from_alias(void)
{
    struct ntsec_sid dom = sid_of(DOMAIN), other = sid_of("S-1-5-21-1-2-3"), s;

    s = sid_of("S-1-3-4");
    CU_ASSERT_STRING_EQUAL(ntsec_sid_to_alias(&s, NULL), "OW");
    s = sid_of("S-1-5-32-544");
    CU_ASSERT_STRING_EQUAL(ntsec_sid_to_alias(&s, NULL), "BA");
    s = sid_of("S-1-333-4");
    CU_ASSERT_PTR_NULL(ntsec_sid_to_alias(&s, NULL));
    s = sid_of("S-1-5-32-560");                /* no alias */
    CU_ASSERT_PTR_NULL(ntsec_sid_to_alias(&s, NULL));
    s = sid_of(DOMAIN "-512");
    CU_ASSERT_PTR_NULL(ntsec_sid_to_alias(&s, NULL));
    CU_ASSERT_PTR_NULL(ntsec_sid_to_alias(&s, &other));
    CU_ASSERT_STRING_EQUAL(ntsec_sid_to_alias(&s, &dom), "DA");
    s = sid_of(DOMAIN "-1-512");               /* deeper than the domain */
    CU_ASSERT_PTR_NULL(ntsec_sid_to_alias(&s, &dom));
    CU_ASSERT_PTR_NULL(ntsec_sid_to_alias(NULL, &dom));

    for (size_t i = 0; i < N_ALIASES; i++) {
        CU_ASSERT_EQUAL_FATAL(ntsec_sid_from_alias(aliases[i].alias, &dom, &s),
                              NTSEC_STATUS_SUCCESS);
        CU_ASSERT_STRING_EQUAL(ntsec_sid_to_alias(&s, &dom), aliases[i].alias);
    }
}

/* [wine] test_sid str_to_sid_tests through ConvertStringSidToSid (the
 * entries with a SID string that Wine compares). */
static void convert_string_sid_to_sid_takes_wine_alias_list(void)
{
    static const struct { const char *name, *sid; } tests[] = {
        { "WD", "S-1-1-0" }, { "CO", "S-1-3-0" }, { "CG", "S-1-3-1" },
        { "OW", "S-1-3-4" }, { "NU", "S-1-5-2" }, { "IU", "S-1-5-4" },
        { "SU", "S-1-5-6" }, { "AN", "S-1-5-7" }, { "ED", "S-1-5-9" },
        { "PS", "S-1-5-10" }, { "AU", "S-1-5-11" }, { "RC", "S-1-5-12" },
        { "SY", "S-1-5-18" }, { "LS", "S-1-5-19" }, { "NS", "S-1-5-20" },
        { "BO", "S-1-5-32-551" }, { "BA", "S-1-5-32-544" }, { "BU", "S-1-5-32-545" },
        { "BG", "S-1-5-32-546" }, { "PU", "S-1-5-32-547" }, { "AO", "S-1-5-32-548" },
        { "SO", "S-1-5-32-549" }, { "PO", "S-1-5-32-550" }, { "RE", "S-1-5-32-552" },
        { "RU", "S-1-5-32-554" }, { "RD", "S-1-5-32-555" }, { "NO", "S-1-5-32-556" },
        { "AC", "S-1-15-2-1" },
    };

    for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
        struct ntsec_sid s;

        CU_ASSERT_EQUAL(ntsec_sid_from_string(tests[i].name, NULL, &s), NTSEC_STATUS_SUCCESS);
        CU_ASSERT_STRING_EQUAL(str(&s), tests[i].sid);
    }
}

/* Nothing here allocates: injected allocation failure changes nothing. */
static void well_known_functions_do_not_allocate(void)
{
    struct ntsec_sid dom = sid_of(DOMAIN), s;

    testutil_fail_alloc_after(0);
    CU_ASSERT_EQUAL(ntsec_sid_well_known(38, &dom, &s), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_sid_well_known_type(&s), 38);
    CU_ASSERT_EQUAL(ntsec_sid_from_alias("DU", &dom, &s), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_STRING_EQUAL(ntsec_sid_to_alias(&s, &dom), "DU");
    testutil_fail_alloc_after(-1);
}

void register_tests(void)
{
    static CU_TestInfo tests[] = {
        TEST(every_well_known_sid_type_is_known),
        TEST(table_is_ordered_and_consistent),
        TEST(create_well_known_sid_gives_windows_sids),
        TEST(domain_is_ignored_by_types_that_need_none),
        TEST(domain_types_without_domain_are_invalid_parameter),
        TEST(is_well_known_sid_recognises_every_type),
        TEST(is_well_known_sid_for_relative_and_unknown_sids),
        TEST(names_are_what_lookup_account_sid_shows),
        TEST(aliases_stand_for_windows_sids),
        TEST(alias_table_is_exactly_the_documented_list),
        TEST(aliases_ignore_case),
        TEST(unknown_aliases_are_invalid_sid),
        TEST(relative_aliases_need_a_domain),
        TEST(root_domain_aliases_are_marked),
        TEST(alias_lookup_reads_two_characters),
        TEST(to_alias_is_the_inverse_of_from_alias),
        TEST(convert_string_sid_to_sid_takes_wine_alias_list),
        TEST(well_known_functions_do_not_allocate),
        CU_TEST_INFO_NULL,
    };

    testutil_add_suite("wellknown", tests);
}
