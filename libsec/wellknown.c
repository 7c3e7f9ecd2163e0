/* wellknown.c - the well-known SIDs: CreateWellKnownSid, IsWellKnownSid,
 * the names LookupAccountSid gives them, and the SDDL two-letter aliases.
 *
 * One table holds all of it. Sources:
 *  - the types and their SIDs: WELL_KNOWN_SID_TYPE (winnt.h; Wine's
 *    winnt.h ends at WinAccountProtectedUsersSid = 107) with the SIDs
 *    Windows creates for them, asserted by Wine's
 *    dlls/advapi32/tests/security.c (well_known_sid_values,
 *    test_CreateWellKnownSid) and [MS-DTYP] 2.4.2.4 "Well-Known SID
 *    Structures";
 *  - the aliases: Microsoft docs "SID Strings" (secauthz/sid-strings) and
 *    [MS-DTYP] 2.5.1.1, with the SID Windows gives each (Samba
 *    python/samba/tests/sid_strings.py, SidStringTests, run against a
 *    Windows DC): which are relative to the domain and which to the forest
 *    root domain follows [MS-DTYP] 2.4.2.4 ("<root-domain>");
 *  - the names: what LookupAccountSid returns on Windows ("NT AUTHORITY",
 *    "BUILTIN", "" for Everyone), as Wine's ACCOUNT_SIDS table records for
 *    the older ones; the later ones are the names Windows shows (whoami,
 *    icacls). An entry whose name is not known has NULL. */
#include <string.h>

#include "ntsec/sid.h"
#include "wellknown.h"

/* Table rows only (STYLE rule 10: macros for tables). */
#define ROW(t, auth, al, dom, nm, disp, n, ...) \
    { (t), NTSEC__WK_ABSOLUTE, (auth), (n), { __VA_ARGS__ }, dom, nm, disp, al }
#define NOD(t, al, auth, nm, n, ...) ROW(t, auth, al, "", nm, nm, n, __VA_ARGS__)
#define NTA(t, al, nm, n, ...) \
    ROW(t, 5, al, "NT AUTHORITY", nm, "NT AUTHORITY\\" nm, n, __VA_ARGS__)
#define BI(t, al, rid, nm) ROW(t, 5, al, "BUILTIN", nm, "BUILTIN\\" nm, 2, 32, rid)
#define LBL(t, al, rid, nm) \
    ROW(t, 16, al, "Mandatory Label", nm, "Mandatory Label\\" nm, 1, rid)
#define APK(t, al, nm, n, ...) \
    ROW(t, 15, al, "APPLICATION PACKAGE AUTHORITY", nm, \
        "APPLICATION PACKAGE AUTHORITY\\" nm, n, __VA_ARGS__)
#define DOM(t, al, rid, nm) \
    { (t), NTSEC__WK_DOMAIN, 0, 0, { rid }, NULL, nm, NULL, al }
#define ROOT(t, al, rid, nm) \
    { (t), NTSEC__WK_ROOT_DOMAIN, 0, 0, { rid }, NULL, nm, NULL, al }

static const struct ntsec__wellknown table[] = {
    NOD(0,  "",   0, "NULL SID", 1, 0),
    NOD(1,  "WD", 1, "Everyone", 1, 0),
    NOD(2,  "",   2, "LOCAL", 1, 0),
    NOD(3,  "CO", 3, "CREATOR OWNER", 1, 0),
    NOD(4,  "CG", 3, "CREATOR GROUP", 1, 1),
    NOD(5,  "",   3, "CREATOR OWNER SERVER", 1, 2),
    NOD(6,  "",   3, "CREATOR GROUP SERVER", 1, 3),
    /* S-1-5 itself, with no sub-authority (Wine's test: "S-1-5"). */
    ROW(7,  5, "", "NT Pseudo Domain", "NT Pseudo Domain",
        "NT Pseudo Domain\\NT Pseudo Domain", 0, 0),
    NTA(8,  "",   "DIALUP", 1, 1),
    NTA(9,  "NU", "NETWORK", 1, 2),
    NTA(10, "",   "BATCH", 1, 3),
    NTA(11, "IU", "INTERACTIVE", 1, 4),
    NTA(12, "SU", "SERVICE", 1, 6),
    NTA(13, "AN", "ANONYMOUS LOGON", 1, 7),
    NTA(14, "",   "PROXY", 1, 8),
    NTA(15, "ED", "ENTERPRISE DOMAIN CONTROLLERS", 1, 9),
    NTA(16, "PS", "SELF", 1, 10),
    NTA(17, "AU", "Authenticated Users", 1, 11),
    NTA(18, "RC", "RESTRICTED", 1, 12),
    NTA(19, "",   "TERMINAL SERVER USER", 1, 13),
    NTA(20, "",   "REMOTE INTERACTIVE LOGON", 1, 14),
    /* S-1-5-5-X-Y: one SID per logon session; its name
     * ("LogonSessionId_X_Y") depends on X and Y, so it has none here. */
    { 21, NTSEC__WK_LOGON_IDS, 5, 3, { 5, 0, 0 }, "NT AUTHORITY", NULL, NULL, "" },
    NTA(22, "SY", "SYSTEM", 1, 18),
    NTA(23, "LS", "LOCAL SERVICE", 1, 19),
    NTA(24, "NS", "NETWORK SERVICE", 1, 20),
    ROW(25, 5, "", "BUILTIN", "BUILTIN", "BUILTIN\\BUILTIN", 1, 32),
    BI(26, "BA", 544, "Administrators"),
    BI(27, "BU", 545, "Users"),
    BI(28, "BG", 546, "Guests"),
    BI(29, "PU", 547, "Power Users"),
    BI(30, "AO", 548, "Account Operators"),
    BI(31, "SO", 549, "Server Operators"),
    BI(32, "PO", 550, "Print Operators"),
    BI(33, "BO", 551, "Backup Operators"),
    BI(34, "RE", 552, "Replicator"),
    BI(35, "RU", 554, "Pre-Windows 2000 Compatible Access"),
    BI(36, "RD", 555, "Remote Desktop Users"),
    BI(37, "NO", 556, "Network Configuration Operators"),
    /* LA and LG are the machine's own Administrator and Guest ([MS-DTYP]
     * 2.4.2.4 "<machine>-500"); with one domain SID given, they use it. */
    DOM(38, "LA", 500, "Administrator"),
    DOM(39, "LG", 501, "Guest"),
    DOM(40, "",   502, "krbtgt"),
    DOM(41, "DA", 512, "Domain Admins"),
    DOM(42, "DU", 513, "Domain Users"),
    DOM(43, "DG", 514, "Domain Guests"),
    DOM(44, "DC", 515, "Domain Computers"),
    DOM(45, "DD", 516, "Domain Controllers"),
    DOM(46, "CA", 517, "Cert Publishers"),
    ROOT(47, "SA", 518, "Schema Admins"),
    ROOT(48, "EA", 519, "Enterprise Admins"),
    DOM(49, "PA", 520, "Group Policy Creator Owners"),
    DOM(50, "RS", 553, "RAS and IAS Servers"),
    NTA(51, "",   "NTLM Authentication", 2, 64, 10),
    NTA(52, "",   "Digest Authentication", 2, 64, 21),
    NTA(53, "",   "SChannel Authentication", 2, 64, 14),
    NTA(54, "",   "This Organization", 1, 15),
    NTA(55, "",   "Other Organization", 1, 1000),
    BI(56, "",   557, "Incoming Forest Trust Builders"),
    BI(57, "MU", 558, "Performance Monitor Users"),
    BI(58, "LU", 559, "Performance Log Users"),
    BI(59, "",   560, "Windows Authorization Access Group"),
    BI(60, "",   561, "Terminal Server License Servers"),
    BI(61, "",   562, "Distributed COM Users"),
    BI(62, "IS", 568, "IIS_IUSRS"),
    NTA(63, "",   "IUSR", 1, 17),
    BI(64, "CY", 569, "Cryptographic Operators"),
    LBL(65, "",   0,     "Untrusted Mandatory Level"),
    LBL(66, "LW", 4096,  "Low Mandatory Level"),
    LBL(67, "ME", 8192,  "Medium Mandatory Level"),
    LBL(68, "HI", 12288, "High Mandatory Level"),
    LBL(69, "SI", 16384, "System Mandatory Level"),
    NTA(70, "WR", "WRITE RESTRICTED", 1, 33),
    NOD(71, "OW", 3, "OWNER RIGHTS", 1, 4),
    DOM(72, "",   571, "Allowed RODC Password Replication Group"),
    DOM(73, "",   572, "Denied RODC Password Replication Group"),
    NTA(74, "",   "ENTERPRISE READ-ONLY DOMAIN CONTROLLERS BETA", 1, 22),
    DOM(75, "",   521, "Read-only Domain Controllers"),
    BI(76, "ER", 573, "Event Log Readers"),
    ROOT(77, "RO", 498, "Enterprise Read-only Domain Controllers"),
    BI(78, "CD", 574, "Certificate Service DCOM Access"),
    LBL(79, "MP", 8448, "Medium Plus Mandatory Level"),
    /* WinLocalLogonSid: S-1-2-0 (Wine's winnt.h: SECURITY_LOCAL_LOGON_RID
     * is 0; Wine's test leaves this type unchecked). The same SID as
     * WinLocalSid, so IsWellKnownSid reports WinLocalSid for it. */
    NOD(80, "",   2, "LOCAL", 1, 0),
    NOD(81, "",   2, "CONSOLE LOGON", 1, 1),
    NTA(82, "",   "This Organization Certificate", 2, 65, 1),
    /* S-1-15 itself, as S-1-5 is WinNtAuthoritySid; no name known. */
    ROW(83, 15, "", "APPLICATION PACKAGE AUTHORITY", NULL, NULL, 0, 0),
    APK(84, "AC", "ALL APPLICATION PACKAGES", 2, 2, 1),
    APK(85, "",   "Your Internet connection", 2, 3, 1),
    APK(86, "",   "Your Internet connection, including incoming connections "
                  "from the Internet", 2, 3, 2),
    APK(87, "",   "Your home or work networks", 2, 3, 3),
    APK(88, "",   "Your pictures library", 2, 3, 4),
    APK(89, "",   "Your videos library", 2, 3, 5),
    APK(90, "",   "Your music library", 2, 3, 6),
    APK(91, "",   "Your documents library", 2, 3, 7),
    /* SECURITY_CAPABILITY_SHARED_USER_CERTIFICATES is 9 and
     * ..._ENTERPRISE_AUTHENTICATION is 8: the enum order differs. */
    APK(92, "",   "Software and hardware certificates or a smart card", 2, 3, 9),
    APK(93, "",   "Your Windows credentials", 2, 3, 8),
    APK(94, "",   "Removable storage", 2, 3, 10),
    BI(95, "RA", 575, "RDS Remote Access Servers"),
    BI(96, "ES", 576, "RDS Endpoint Servers"),
    BI(97, "MS", 577, "RDS Management Servers"),
    NTA(98, "UD", "USER MODE DRIVERS", 6, 84, 0, 0, 0, 0, 0),
    BI(99, "HA", 578, "Hyper-V Administrators"),
    DOM(100, "CN", 522, "Cloneable Domain Controllers"),
    BI(101, "AA", 579, "Access Control Assistance Operators"),
    BI(102, "RM", 580, "Remote Management Users"),
    NOD(103, "AS", 18, "Authentication authority asserted identity", 1, 1),
    NOD(104, "SS", 18, "Service asserted identity", 1, 2),
    NTA(105, "",  "Local account", 1, 113),
    NTA(106, "",  "Local account and member of Administrators group", 1, 114),
    DOM(107, "AP", 525, "Protected Users"),
    /* SDDL aliases with no WELL_KNOWN_SID_TYPE in winnt.h (up to 107). */
    DOM(-1, "KA", 526, "Key Admins"),
    ROOT(-1, "EK", 527, "Enterprise Key Admins"),
};

#define TABLE_COUNT (sizeof(table) / sizeof(table[0]))

/* Types 0 .. WinAccountProtectedUsersSid; the table lists each once, in
 * order, before the alias-only rows. */
#define TYPE_COUNT 108u

const struct ntsec__wellknown *ntsec__wellknown_table(size_t *count)
{
    *count = TABLE_COUNT;
    return table;
}

unsigned ntsec_sid_well_known_count(void)
{
    return TYPE_COUNT;
}

static bool relative(const struct ntsec__wellknown *e)
{
    return e->base == NTSEC__WK_DOMAIN || e->base == NTSEC__WK_ROOT_DOMAIN;
}

ntsec_status ntsec__wellknown_build(const struct ntsec__wellknown *e,
                                    const struct ntsec_sid *domain,
                                    struct ntsec_sid *out)
{
    struct ntsec_sid sid;
    uint32_t subs[NTSEC_SID_MAX_SUB_AUTHORITIES];
    unsigned n;

    if (!relative(e))
        return ntsec_sid_init(out, e->authority, e->count, e->sub);

    /* Windows appends the RID to whatever domain SID it is given: Wine's
     * test_CreateWellKnownSid passes S-1-5-21-12-23-34-45-56 ("a domain
     * sid usually have three subauthorities but we test that
     * CreateWellKnownSid doesn't check it") and gets ...-56-500. It must
     * still be a valid SID with room for one more sub-authority. */
    if (!ntsec_sid_is_valid(domain) ||
        domain->sub_authority_count >= NTSEC_SID_MAX_SUB_AUTHORITIES)
        return NTSEC_STATUS_INVALID_PARAMETER;
    n = domain->sub_authority_count;
    memcpy(subs, domain->sub_authority, n * sizeof(uint32_t));
    subs[n] = e->sub[0];
    ntsec_sid_init(&sid, ntsec_sid_authority(domain), n + 1, subs);
    memcpy(out, &sid, ntsec_sid_length(&sid));
    return NTSEC_STATUS_SUCCESS;
}

/* CreateWellKnownSid. A type that needs a domain fails without one with
 * ERROR_INVALID_PARAMETER (Wine's test_CreateWellKnownSid and its
 * implementation; Windows instead uses the local computer's account domain
 * when DomainSid is NULL, Microsoft docs CreateWellKnownSid: the emul/
 * layer passes that SID, the native API has no machine). Types that need
 * none ignore the domain: "SID create with domain is different than
 * without" must not happen (Wine's test). */
ntsec_status ntsec_sid_well_known(unsigned type, const struct ntsec_sid *domain,
                                  struct ntsec_sid *out)
{
    if (!out || type >= TYPE_COUNT)
        return NTSEC_STATUS_INVALID_PARAMETER;
    return ntsec__wellknown_build(&table[type], domain, out);
}

/* Whether `sid` is entry `e`. A relative entry matches an account-domain
 * SID (S-1-5-21-...) ending in its RID when no domain is given, else only
 * `domain` + RID. */
static bool matches(const struct ntsec__wellknown *e, const struct ntsec_sid *sid,
                    const struct ntsec_sid *domain)
{
    uint64_t auth = ntsec_sid_authority(sid);
    unsigned n = sid->sub_authority_count;

    switch (e->base) {
    case NTSEC__WK_ABSOLUTE:
        return auth == e->authority && n == e->count &&
               memcmp(sid->sub_authority, e->sub, n * sizeof(uint32_t)) == 0;
    case NTSEC__WK_LOGON_IDS:
        return auth == e->authority && n == e->count &&
               sid->sub_authority[0] == e->sub[0];
    case NTSEC__WK_DOMAIN:
    case NTSEC__WK_ROOT_DOMAIN:
        if (n < 2 || sid->sub_authority[n - 1] != e->sub[0])
            return false;
        if (domain)
            return ntsec_sid_is_valid(domain) &&
                   domain->sub_authority_count + 1u == n &&
                   ntsec_sid_authority(domain) == auth &&
                   memcmp(domain->sub_authority, sid->sub_authority,
                          (n - 1) * sizeof(uint32_t)) == 0;
        return auth == 5 && sid->sub_authority[0] == 21;
    }
    return false;
}

const struct ntsec__wellknown *ntsec__wellknown_find(const struct ntsec_sid *sid,
                                                     const struct ntsec_sid *domain)
{
    const struct ntsec__wellknown *rel = NULL;

    if (!ntsec_sid_is_valid(sid))
        return NULL;
    for (size_t i = 0; i < TABLE_COUNT; i++) {
        if (!matches(&table[i], sid, domain))
            continue;
        if (!relative(&table[i]))
            return &table[i];
        if (!rel)
            rel = &table[i];
    }
    return rel;
}

/* IsWellKnownSid: a domain-relative type matches any account-domain SID
 * (S-1-5-21-...) with its RID, as the domain is not an argument. */
int ntsec_sid_well_known_type(const struct ntsec_sid *sid)
{
    const struct ntsec__wellknown *e = ntsec__wellknown_find(sid, NULL);

    return e && e->type >= 0 ? e->type : -1;
}

const char *ntsec_sid_name(const struct ntsec_sid *sid)
{
    const struct ntsec__wellknown *e = ntsec__wellknown_find(sid, NULL);

    /* A relative entry's domain is the domain's own name, unknown here. */
    return e && !relative(e) ? e->display : NULL;
}

static char upper(char c)
{
    return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

/* SDDL aliases are matched without regard to case: Windows reads
 * "D:(A;;GA;;;lg)" as LG (Samba libcli/security/tests/windows/
 * windows_is_less_fussy.txt) and "aa", "Aa", "aA" as AA (Samba
 * sid_strings.py, SidStringTests, against Windows). */
ntsec_status ntsec_sid_from_alias(const char *alias, const struct ntsec_sid *domain,
                                  struct ntsec_sid *out)
{
    char a[2];

    if (!alias || !out)
        return NTSEC_STATUS_INVALID_PARAMETER;
    if (!alias[0])
        return NTSEC_STATUS_INVALID_SID;
    a[0] = upper(alias[0]);
    a[1] = upper(alias[1]);
    for (size_t i = 0; i < TABLE_COUNT; i++) {
        const struct ntsec__wellknown *e = &table[i];

        if (!e->alias[0] || e->alias[0] != a[0] || e->alias[1] != a[1])
            continue;
        /* Without a domain a relative alias names nothing: on a machine
         * outside a domain ConvertStringSidToSid("DA") fails (Wine's
         * test_sid marks CA, DA, DC, DD, DG, DU, EA, PA, RS, SA optional). */
        if (relative(e) && !domain)
            return NTSEC_STATUS_NONE_MAPPED;
        if (relative(e) && (!ntsec_sid_is_valid(domain) ||
                            domain->sub_authority_count >= NTSEC_SID_MAX_SUB_AUTHORITIES))
            return NTSEC_STATUS_INVALID_SID;
        return ntsec__wellknown_build(e, domain, out);
    }
    return NTSEC_STATUS_INVALID_SID;
}

const char *ntsec_sid_to_alias(const struct ntsec_sid *sid, const struct ntsec_sid *domain)
{
    if (!ntsec_sid_is_valid(sid))
        return NULL;
    for (size_t i = 0; i < TABLE_COUNT; i++) {
        const struct ntsec__wellknown *e = &table[i];

        if (!e->alias[0])
            continue;
        if (relative(e) && !domain)
            continue;
        if (matches(e, sid, domain))
            return e->alias;
    }
    return NULL;
}
