/* test_impersonate_policy.c - SECURITY_QUALITY_OF_SERVICE validation and
 * SeTokenCanImpersonate (libsec/impersonate_policy.c). Sources: Microsoft
 * docs (SECURITY_QUALITY_OF_SERVICE, ImpersonateLoggedOnUser Remarks
 * [IMP], "Impersonation Levels", "Client Impersonation",
 * RpcImpersonateClient), [MS-ERREF] 2.3.1, and J. Forshaw, "Windows
 * Security Internals" ch. 4 [FW] as summarised in
 * /work/shared/reference/ddi-notes.md §3. */
#include <string.h>

#include "impersonate_policy.h"
#include "ntsec/ntsec.h"
#include "ntsec/object.h"
#include "testutil.h"

/* --- SECURITY_QUALITY_OF_SERVICE ---------------------------------------- */

/* SECURITY_QUALITY_OF_SERVICE, winnt.h (Microsoft docs): four levels, two tracking modes, BOOLEAN EffectiveOnly */
static void sqos_every_documented_value_is_accepted(void)
{
    static const uint32_t bools[] = { 0, 1, 0xff };

    for (uint32_t level = NTSEC_SECURITY_ANONYMOUS; level <= NTSEC_SECURITY_DELEGATION; level++)
        for (uint32_t tracking = 0; tracking <= 1; tracking++)
            for (size_t b = 0; b < 3; b++)
                CU_ASSERT_EQUAL(ntsec__sqos_validate(12, level, tracking, bools[b]),
                                NTSEC_STATUS_SUCCESS);
}

/* SECURITY_QUALITY_OF_SERVICE.Length "the size, in bytes, of this structure" (Microsoft docs); status is ntsec's choice */
static void sqos_length_other_than_12_is_invalid_parameter(void)
{
    static const uint32_t lengths[] = { 0, 8, 11, 13, 16, 0xffffffffu };

    for (size_t i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++)
        CU_ASSERT_EQUAL(ntsec__sqos_validate(lengths[i], NTSEC_SECURITY_IMPERSONATION, 1, 0),
                        NTSEC_STATUS_INVALID_PARAMETER);
}

/* [MS-ERREF] 2.3.1 STATUS_BAD_IMPERSONATION_LEVEL: "A specified impersonation level is invalid" */
static void sqos_level_above_delegation_is_bad_impersonation_level(void)
{
    static const uint32_t levels[] = { NTSEC_SECURITY_DELEGATION + 1, 0x80000000u, 0xffffffffu };

    for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
        CU_ASSERT_EQUAL(ntsec__sqos_validate(12, levels[i], 0, 0),
                        NTSEC_STATUS_BAD_IMPERSONATION_LEVEL);
}

/* SECURITY_CONTEXT_TRACKING_MODE has values 0 and 1 only (winnt.h); the status is ntsec's choice */
static void sqos_tracking_other_than_static_or_dynamic_is_invalid_parameter(void)
{
    static const uint32_t modes[] = { 2, 0xff, 0x100, 0xffffffffu };

    for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
        CU_ASSERT_EQUAL(ntsec__sqos_validate(12, NTSEC_SECURITY_IDENTIFICATION, modes[i], 0),
                        NTSEC_STATUS_INVALID_PARAMETER);
}

/* ntsec's order (the structure's field order): Length, then level, then tracking */
static void sqos_checks_run_in_field_order(void)
{
    CU_ASSERT_EQUAL(ntsec__sqos_validate(11, 7, 2, 0), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec__sqos_validate(12, 7, 2, 0), NTSEC_STATUS_BAD_IMPERSONATION_LEVEL);
}

/* --- token fixture ------------------------------------------------------ */

#define USER_A "S-1-5-21-1-2-3-1001"
#define USER_B "S-1-5-21-1-2-3-1002"
#define ANONYMOUS_USER "S-1-5-7"

enum priv { NO_PRIV, PRIV_DISABLED, PRIV_ENABLED };
enum restriction { UNRESTRICTED, RESTRICTED, WRITE_RESTRICTED };

struct spec {
    const char *user;                   /* NULL: USER_A */
    uint32_t integrity;                 /* 0: Medium */
    enum priv impersonate;
    bool admin;                         /* enabled BUILTIN\Administrators: elevated */
    enum restriction restriction;
    uint32_t session;                   /* as given (0 is session 0) */
    struct ntsec_luid auth;             /* zero: a new logon session */
    struct ntsec_luid origin;
    enum ntsec_token_type type;         /* 0: primary */
    enum ntsec_impersonation_level level;
};

#define MANDATORY (NTSEC_SE_GROUP_MANDATORY | NTSEC_SE_GROUP_ENABLED | \
                   NTSEC_SE_GROUP_ENABLED_BY_DEFAULT)

static struct ntsec_token *make(const struct spec *s)
{
    struct ntsec_sid user, everyone, admins, label, restricting;
    struct ntsec_sid_and_attributes groups[3], restricted[1];
    struct ntsec_luid_and_attributes privs[1];
    struct ntsec_token_desc d;
    struct ntsec_token *t = NULL;
    size_t ng = 0;
    char label_text[32];

    memset(&d, 0, sizeof(d));
    CU_ASSERT_EQUAL_FATAL(ntsec_sid_from_string(s->user ? s->user : USER_A, NULL, &user),
                          NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(ntsec_sid_from_string("S-1-1-0", NULL, &everyone), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(ntsec_sid_from_string("S-1-5-32-544", NULL, &admins),
                          NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(ntsec_sid_from_string("S-1-5-12", NULL, &restricting),
                          NTSEC_STATUS_SUCCESS);
    snprintf(label_text, sizeof(label_text), "S-1-16-%u",
             s->integrity ? s->integrity : NTSEC_MANDATORY_MEDIUM);
    CU_ASSERT_EQUAL_FATAL(ntsec_sid_from_string(label_text, NULL, &label), NTSEC_STATUS_SUCCESS);

    groups[ng++] = (struct ntsec_sid_and_attributes){ &everyone, MANDATORY };
    groups[ng++] = (struct ntsec_sid_and_attributes){
        &label, NTSEC_SE_GROUP_INTEGRITY | NTSEC_SE_GROUP_INTEGRITY_ENABLED };
    if (s->admin)
        groups[ng++] = (struct ntsec_sid_and_attributes){ &admins, MANDATORY };
    d.type = s->type ? s->type : NTSEC_TOKEN_PRIMARY;
    d.level = s->level;
    d.user.sid = &user;
    d.groups = groups;
    d.group_count = ng;
    if (s->impersonate != NO_PRIV) {
        privs[0] = (struct ntsec_luid_and_attributes){
            { NTSEC_SE_IMPERSONATE_PRIVILEGE, 0 },
            s->impersonate == PRIV_ENABLED ? NTSEC_SE_PRIVILEGE_ENABLED : 0 };
        d.privileges = privs;
        d.privilege_count = 1;
    }
    if (s->restriction != UNRESTRICTED) {
        restricted[0] = (struct ntsec_sid_and_attributes){ &restricting, MANDATORY };
        d.restricted_sids = restricted;
        d.restricted_count = 1;
        d.write_restricted = s->restriction == WRITE_RESTRICTED;
    }
    d.session_id = s->session;
    d.authentication_id = s->auth;
    d.origin = s->origin;
    memcpy(d.source.name, "ntsec   ", 8);
    CU_ASSERT_EQUAL_FATAL(ntsec_token_create(&d, &t), NTSEC_STATUS_SUCCESS);
    return t;
}

/* The level a thread of a process with primary token `server` gets for
 * `token` at `requested`; both tokens are released. */
static enum ntsec_impersonation_level level_for(const struct spec *server, const struct spec *token,
                                                enum ntsec_impersonation_level requested)
{
    struct ntsec_token *p = make(server), *t = make(token);
    enum ntsec_impersonation_level got = ntsec__impersonation_allowed_level(p, t, requested);

    ntsec_token_put(t);
    ntsec_token_put(p);
    return got;
}

#define IDENT NTSEC_SECURITY_IDENTIFICATION
#define IMPERS NTSEC_SECURITY_IMPERSONATION
#define DELEG NTSEC_SECURITY_DELEGATION

/* --- SeTokenCanImpersonate ---------------------------------------------- */

/* [IMP]: allowed if "the requested impersonation level ... is less than SecurityImpersonation" */
static void level_below_impersonation_is_always_granted(void)
{
    struct spec server = { .session = 1 };
    struct spec other = { .user = USER_B, .integrity = NTSEC_MANDATORY_SYSTEM, .session = 0 };

    CU_ASSERT_EQUAL(level_for(&server, &other, NTSEC_SECURITY_ANONYMOUS), NTSEC_SECURITY_ANONYMOUS);
    CU_ASSERT_EQUAL(level_for(&server, &other, IDENT), IDENT);
    /* the same pair is refused at Impersonation: the level is what let it through */
    CU_ASSERT_EQUAL(level_for(&server, &other, IMPERS), IDENT);
}

/* [FW] step 2: the anonymous logon token (AuthenticationId 0x3E6) may always be impersonated */
static void anonymous_logon_token_is_allowed(void)
{
    struct spec server = { .session = 1 };
    struct spec anon = { .user = ANONYMOUS_USER, .session = 0, .auth = { 0x3e6, 0 } };
    struct spec not_anon = { .user = ANONYMOUS_USER, .session = 1 };

    CU_ASSERT_EQUAL(level_for(&server, &anon, IMPERS), IMPERS);
    /* the same user SID in another logon session is just another user */
    CU_ASSERT_EQUAL(level_for(&server, &not_anon, IMPERS), IDENT);
}

/* [IMP] "The caller has the SeImpersonatePrivilege privilege"; "Client Impersonation"; [FW] step 4: enabled */
static void impersonate_privilege_enabled_allows_any_user(void)
{
    struct spec server = { .impersonate = PRIV_ENABLED, .session = 1 };
    struct spec other = { .user = USER_B, .session = 1 };

    CU_ASSERT_EQUAL(level_for(&server, &other, IMPERS), IMPERS);
    CU_ASSERT_EQUAL(level_for(&server, &other, DELEG), DELEG);
}

/* [FW] step 4: the privilege must be enabled, present is not enough */
static void impersonate_privilege_disabled_does_not_allow(void)
{
    struct spec server = { .impersonate = PRIV_DISABLED, .session = 1 };
    struct spec other = { .user = USER_B, .session = 1 };

    CU_ASSERT_EQUAL(level_for(&server, &other, IMPERS), IDENT);
}

/* [FW] order: SeImpersonatePrivilege (step 4) is checked before integrity (5) and session (11) */
static void impersonate_privilege_precedes_integrity_and_session_checks(void)
{
    struct spec server = { .impersonate = PRIV_ENABLED, .session = 1 };
    struct spec system = { .user = "S-1-5-18", .integrity = NTSEC_MANDATORY_SYSTEM, .session = 0 };

    CU_ASSERT_EQUAL(level_for(&server, &system, IMPERS), IMPERS);
}

/* [FW] step 5 (Vista+), "Mandatory Integrity Control": a token above the server's integrity is refused, same user too */
static void token_above_server_integrity_is_denied(void)
{
    struct spec server = { .session = 1 };
    struct spec high = { .integrity = NTSEC_MANDATORY_HIGH, .session = 1 };
    struct spec low = { .integrity = NTSEC_MANDATORY_LOW, .session = 1 };

    CU_ASSERT_EQUAL(level_for(&server, &high, IMPERS), IDENT);
    CU_ASSERT_EQUAL(level_for(&server, &low, IMPERS), IMPERS);
}

/* [FW] order: integrity (step 5) is checked before the LogonUser origin (step 6) */
static void integrity_check_precedes_origin_check(void)
{
    struct spec server = { .session = 1, .auth = { 0x12345, 0 } };
    struct spec logon = { .user = USER_B, .session = 1, .origin = { 0x12345, 0 },
                          .integrity = NTSEC_MANDATORY_HIGH };

    CU_ASSERT_EQUAL(level_for(&server, &logon, IMPERS), IDENT);
    logon.integrity = NTSEC_MANDATORY_MEDIUM;
    CU_ASSERT_EQUAL(level_for(&server, &logon, IMPERS), IMPERS);
}

/* [IMP] "A process (or another process in the caller's logon session) created the token ... through LogonUser"; [FW] step 6 */
static void logon_user_token_from_server_session_is_allowed(void)
{
    struct spec server = { .session = 1, .auth = { 0x5000, 0 } };
    struct spec logon = { .user = USER_B, .session = 1, .origin = { 0x5000, 0 } };
    struct spec elsewhere = { .user = USER_B, .session = 1, .origin = { 0x5001, 0 } };

    CU_ASSERT_EQUAL(level_for(&server, &logon, DELEG), DELEG);
    CU_ASSERT_EQUAL(level_for(&server, &elsewhere, DELEG), IDENT);
}

/* [IMP] "The authenticated identity is same as the caller"; [FW] step 7: a different user is refused */
static void other_user_is_denied(void)
{
    struct spec server = { .session = 1 };
    struct spec other = { .user = USER_B, .session = 1 };

    CU_ASSERT_EQUAL(level_for(&server, &other, IMPERS), IDENT);
    CU_ASSERT_EQUAL(level_for(&server, &other, DELEG), IDENT);
}

/* [IMP] "The authenticated identity is same as the caller"; [FW] step 12: otherwise allowed */
static void same_user_is_allowed(void)
{
    struct spec server = { .session = 1 };
    struct spec self = { .session = 1 };

    CU_ASSERT_EQUAL(level_for(&server, &self, IMPERS), IMPERS);
    CU_ASSERT_EQUAL(level_for(&server, &self, DELEG), DELEG);
}

/* [FW] step 8 (Vista+ UAC): an elevated token and a non-elevated server are refused */
static void elevated_token_unelevated_server_is_denied(void)
{
    struct spec server = { .session = 1 };
    struct spec elevated = { .admin = true, .session = 1 };
    struct spec elevated_server = { .admin = true, .session = 1 };

    CU_ASSERT_EQUAL(level_for(&server, &elevated, IMPERS), IDENT);
    CU_ASSERT_EQUAL(level_for(&elevated_server, &elevated, IMPERS), IMPERS);
    /* an elevated server may take its user's filtered token */
    CU_ASSERT_EQUAL(level_for(&elevated_server, &server, IMPERS), IMPERS);
}

/* [FW] step 10: a restricted server may not take an unrestricted token */
static void restricted_server_unrestricted_token_is_denied(void)
{
    struct spec plain = { .session = 1 };
    struct spec restricted = { .restriction = RESTRICTED, .session = 1 };

    CU_ASSERT_EQUAL(level_for(&restricted, &plain, IMPERS), IDENT);
    CU_ASSERT_EQUAL(level_for(&restricted, &restricted, IMPERS), IMPERS);
    /* the rule is one-way: an unrestricted server may take a restricted token */
    CU_ASSERT_EQUAL(level_for(&plain, &restricted, IMPERS), IMPERS);
}

/* [FW] step 10 "write-restricted mismatch": ntsec reads it as both ways */
static void write_restricted_mismatch_is_denied(void)
{
    struct spec restricted = { .restriction = RESTRICTED, .session = 1 };
    struct spec write = { .restriction = WRITE_RESTRICTED, .session = 1 };

    CU_ASSERT_EQUAL(level_for(&restricted, &write, IMPERS), IDENT);
    CU_ASSERT_EQUAL(level_for(&write, &restricted, IMPERS), IDENT);
    CU_ASSERT_EQUAL(level_for(&write, &write, IMPERS), IMPERS);
}

/* [FW] step 11 (later Windows 10): a session 0 token is refused to a server in another session */
static void session0_token_other_session_server_is_denied(void)
{
    struct spec interactive = { .session = 1 };
    struct spec service = { .session = 0 };
    struct spec other_interactive = { .session = 2 };

    CU_ASSERT_EQUAL(level_for(&interactive, &service, IMPERS), IDENT);
    CU_ASSERT_EQUAL(level_for(&service, &service, IMPERS), IMPERS);
    CU_ASSERT_EQUAL(level_for(&service, &interactive, IMPERS), IMPERS);
    CU_ASSERT_EQUAL(level_for(&interactive, &other_interactive, IMPERS), IMPERS);
}

/* [FW]: a refused impersonation token already at Anonymous is impersonated at Anonymous, never raised (ZwDuplicateToken) */
static void refused_anonymous_level_token_stays_anonymous(void)
{
    struct spec server = { .session = 1 };
    struct spec anon_level = { .user = USER_B, .session = 1, .type = NTSEC_TOKEN_IMPERSONATION,
                               .level = NTSEC_SECURITY_ANONYMOUS };
    struct spec ident_level = { .user = USER_B, .session = 1, .type = NTSEC_TOKEN_IMPERSONATION,
                                .level = IDENT };

    CU_ASSERT_EQUAL(level_for(&server, &anon_level, IMPERS), NTSEC_SECURITY_ANONYMOUS);
    CU_ASSERT_EQUAL(level_for(&server, &ident_level, IMPERS), IDENT);
}

/* The decision only reads its tokens: no ModifiedId change, no allocation, no new object */
static void decision_changes_nothing(void)
{
    struct spec server_spec = { .session = 1 };
    struct spec other_spec = { .user = USER_B, .session = 1 };
    struct ntsec_token *p = make(&server_spec), *t = make(&other_spec);
    struct ntsec_luid pm = ntsec_token_modified_id(p), tm = ntsec_token_modified_id(t);
    long live = testutil_live();
    long objects = ntsec_object_live();

    CU_ASSERT_EQUAL(ntsec__impersonation_allowed_level(p, t, IMPERS), IDENT);
    CU_ASSERT_EQUAL(testutil_live(), live);
    CU_ASSERT_EQUAL(ntsec_object_live(), objects);
    CU_ASSERT_EQUAL(ntsec_token_modified_id(p).low, pm.low);
    CU_ASSERT_EQUAL(ntsec_token_modified_id(t).low, tm.low);
    ntsec_token_put(t);
    ntsec_token_put(p);
}

void register_tests(void)
{
    static CU_TestInfo tests[] = {
        TEST(sqos_every_documented_value_is_accepted),
        TEST(sqos_length_other_than_12_is_invalid_parameter),
        TEST(sqos_level_above_delegation_is_bad_impersonation_level),
        TEST(sqos_tracking_other_than_static_or_dynamic_is_invalid_parameter),
        TEST(sqos_checks_run_in_field_order),
        TEST(level_below_impersonation_is_always_granted),
        TEST(anonymous_logon_token_is_allowed),
        TEST(impersonate_privilege_enabled_allows_any_user),
        TEST(impersonate_privilege_disabled_does_not_allow),
        TEST(impersonate_privilege_precedes_integrity_and_session_checks),
        TEST(token_above_server_integrity_is_denied),
        TEST(integrity_check_precedes_origin_check),
        TEST(logon_user_token_from_server_session_is_allowed),
        TEST(other_user_is_denied),
        TEST(same_user_is_allowed),
        TEST(elevated_token_unelevated_server_is_denied),
        TEST(restricted_server_unrestricted_token_is_denied),
        TEST(write_restricted_mismatch_is_denied),
        TEST(session0_token_other_session_server_is_denied),
        TEST(refused_anonymous_level_token_stays_anonymous),
        TEST(decision_changes_nothing),
        CU_TEST_INFO_NULL,
    };

    testutil_add_suite("impersonate_policy", tests);
}
