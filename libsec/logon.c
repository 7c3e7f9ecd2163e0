/* logon.c - LogonUser: check a password against the account world and
 * build the primary token Windows' LSA builds for the logon type.
 *
 * What a logon token holds, and the sources:
 *  - the user; Everyone; the logon-type SID (INTERACTIVE S-1-5-4, NETWORK
 *    S-1-5-2, BATCH S-1-5-3, SERVICE S-1-5-6); Authenticated Users
 *    S-1-5-11; This Organization S-1-5-15; for interactive logons LOCAL
 *    S-1-2-0 and CONSOLE LOGON S-1-2-1; the authentication package's SID
 *    (NTLM Authentication S-1-5-64-10 for local accounts and network
 *    logons, Authentication authority asserted identity S-1-18-1 for a
 *    domain account's Kerberos logon); for a local account Local account
 *    S-1-5-113, and S-1-5-114 when it is an administrator; the account's
 *    groups and their groups, BUILTIN aliases included (the groups whoami
 *    /groups lists for each logon type; Microsoft docs "Well-known SIDs");
 *  - the primary group: the domain's Domain Users (RID 513; "None" on a
 *    machine's own SAM), which every account is a member of; for a
 *    computer account NAME$ Domain Computers (RID 515, the primary group
 *    [MS-SAMR] SamrCreateUser2InDomain gives a workstation trust account);
 *  - a new logon SID S-1-5-5-X-Y with SE_GROUP_LOGON_ID (Microsoft docs,
 *    "Logon SID"); network logons have none (see docs/world.md);
 *  - privileges: the rights of every SID of the token; enabled by default
 *    SeChangeNotifyPrivilege, SeImpersonatePrivilege and
 *    SeCreateGlobalPrivilege, the ones whoami /priv shows enabled in a new
 *    logon (the rest present but disabled);
 *  - integrity Medium, High for an administrator's full token (Microsoft
 *    docs, "Mandatory Integrity Control");
 *  - owner: the user, or BUILTIN\Administrators for an administrator's
 *    full token; default DACL: GENERIC_ALL to the owner and to SYSTEM
 *    (ReactOS lsasrv LsapAddTokenDefaultDacl, LsapSetTokenOwner), and
 *    GENERIC_READ | GENERIC_EXECUTE to the logon SID, as Windows since
 *    Vista gives it;
 *  - UAC: an administrator's interactive logon gives a filtered token
 *    (administrative groups deny-only, only the five privileges a
 *    standard user has, Medium, TokenElevationTypeLimited) linked to the
 *    full one (TokenElevationTypeFull, High) (Microsoft docs, "How User
 *    Account Control works"). Other logon types give the full token.
 *
 * A computer account NAME$ logs on from the network only: it is what a
 * LocalSystem or NetworkService client presents to another machine
 * (Microsoft docs, "LocalSystem Account", "NetworkService Account": they
 * present the computer's credentials). Every computer account the world
 * holds is a workstation trust account (primary group Domain Computers;
 * the world has no domain controller nor interdomain trust), and any other
 * logon of one is STATUS_NOLOGON_WORKSTATION_TRUST_ACCOUNT ("The account
 * used is a computer account. Use your global user account or local user
 * account to access this server.", [MS-ERREF] 2.3.1; MSV1_0 lets a
 * workstation trust account log on only with
 * MSV1_0_ALLOW_WORKSTATION_TRUST_ACCOUNT in a network logon's
 * ParameterControl, Microsoft docs MSV1_0_LM20_LOGON; Samba's
 * authsam_account_ok refuses the same way, after the password and the
 * disabled flag).
 *
 * Errors, in the order a logon meets them: an unknown account or a wrong
 * password is STATUS_LOGON_FAILURE (ERROR_LOGON_FAILURE, LogonUser docs);
 * then a disabled account STATUS_ACCOUNT_DISABLED; then a computer
 * account's non-network logon STATUS_NOLOGON_WORKSTATION_TRUST_ACCOUNT
 * (ERROR_NOLOGON_WORKSTATION_TRUST_ACCOUNT 1808); then a logon type the
 * account has no right to (or a deny right for) STATUS_LOGON_TYPE_NOT_GRANTED
 * (ERROR_LOGON_TYPE_NOT_GRANTED 1385, "Logon failure: the user has not been
 * granted the requested logon type at this computer"). The password is
 * checked first so that a wrong password reveals nothing of the account,
 * as Samba's authsam_check_password does before authsam_account_ok. */
#include <crypt.h>
#include <stdio.h>
#include <string.h>

#include "ntsec/account.h"
#include "ntsec/acl.h"
#include "alloc.h"
#include "world.h"

struct logon_kind {
    enum ntsec_logon_type type;
    uint32_t type_rid;          /* S-1-5-<rid> */
    uint32_t allow, deny;       /* NTSEC__LR_* */
    bool local;                 /* LOCAL and CONSOLE LOGON */
    bool logon_sid;
    bool uac_split;
    bool network;
    char source[8];             /* TOKEN_SOURCE.SourceName */
    uint32_t session;
};

/* Sources: "User32  " is the console logon (winlogon), "NtLmSsp " an SSPI
 * network logon, "Advapi  " a LogonUser call (batch and service logons,
 * as the task scheduler and the service control manager make them). The
 * console session is 1 since Vista's session 0 isolation. */
static const struct logon_kind kinds[] = {
    { NTSEC_LOGON_INTERACTIVE, 4, NTSEC__LR_INTERACTIVE, NTSEC__LR_DENY_INTERACTIVE,
      true, true, true, false, { 'U', 's', 'e', 'r', '3', '2', ' ', ' ' }, 1 },
    { NTSEC_LOGON_NETWORK, 2, NTSEC__LR_NETWORK, NTSEC__LR_DENY_NETWORK,
      false, false, false, true, { 'N', 't', 'L', 'm', 'S', 's', 'p', ' ' }, 0 },
    { NTSEC_LOGON_BATCH, 3, NTSEC__LR_BATCH, NTSEC__LR_DENY_BATCH,
      false, true, false, false, { 'A', 'd', 'v', 'a', 'p', 'i', ' ', ' ' }, 0 },
    { NTSEC_LOGON_SERVICE, 6, NTSEC__LR_SERVICE, NTSEC__LR_DENY_SERVICE,
      false, true, false, false, { 'A', 'd', 'v', 'a', 'p', 'i', ' ', ' ' }, 0 },
    { NTSEC_LOGON_NETWORK_CLEARTEXT, 2, NTSEC__LR_NETWORK, NTSEC__LR_DENY_NETWORK,
      false, false, false, true, { 'A', 'd', 'v', 'a', 'p', 'i', ' ', ' ' }, 0 },
};

/* Groups whose members get a filtered token under UAC, and whose token
 * is High: Microsoft docs, "How User Account Control works" (Built-in
 * Administrators, Power Users, Account/Server/Print/Backup/Cryptographic/
 * Network Configuration Operators, Pre-Windows 2000 Compatible Access;
 * Domain Admins, Domain Controllers, Cert Publishers, Schema Admins,
 * Enterprise Admins, Group Policy Creator Owners, Read-only and Enterprise
 * Read-only Domain Controllers, RAS and IAS Servers) and S-1-5-114. */
static const uint32_t builtin_admin_rids[] = { 544, 547, 548, 549, 550, 551, 554, 556, 569 };
static const uint32_t domain_admin_rids[] = { 498, 512, 516, 517, 518, 519, 520, 521, 553 };

/* What a standard user's token keeps (the same page): every other
 * privilege makes a token elevated. */
static const uint64_t standard_privileges =
    1ull << NTSEC_SE_SHUTDOWN_PRIVILEGE | 1ull << NTSEC_SE_CHANGE_NOTIFY_PRIVILEGE |
    1ull << NTSEC_SE_UNDOCK_PRIVILEGE | 1ull << NTSEC_SE_INC_WORKING_SET_PRIVILEGE |
    1ull << NTSEC_SE_TIME_ZONE_PRIVILEGE;

static const uint64_t enabled_by_default =
    1ull << NTSEC_SE_CHANGE_NOTIFY_PRIVILEGE | 1ull << NTSEC_SE_IMPERSONATE_PRIVILEGE |
    1ull << NTSEC_SE_CREATE_GLOBAL_PRIVILEGE;

#define GROUP_ATTRS (NTSEC_SE_GROUP_MANDATORY | NTSEC_SE_GROUP_ENABLED_BY_DEFAULT | \
                     NTSEC_SE_GROUP_ENABLED)

/* Absolute SIDs a logon adds (S-1-<authority>-<sub>...). */
static struct ntsec_sid make_sid(uint64_t authority, unsigned n, uint32_t a, uint32_t b)
{
    struct ntsec_sid s;
    uint32_t subs[2] = { a, b };

    ntsec_sid_init(&s, authority, n, subs);
    return s;
}

static bool is_builtin_admin(const struct ntsec_sid *s)
{
    if (ntsec_sid_authority(s) == 5 && s->sub_authority_count == 1 &&
        s->sub_authority[0] == 114)
        return true;
    if (ntsec_sid_authority(s) != 5 || s->sub_authority_count != 2 || s->sub_authority[0] != 32)
        return false;
    for (size_t i = 0; i < sizeof(builtin_admin_rids) / sizeof(builtin_admin_rids[0]); i++)
        if (s->sub_authority[1] == builtin_admin_rids[i])
            return true;
    return false;
}

static bool is_domain_admin(const struct ntsec__world *w, const struct ntsec_sid *s)
{
    const struct ntsec__wdomain *d = NULL;

    for (size_t i = 0; i < w->domain_count && !d; i++)
        if ((s->sub_authority_count == w->domains[i].sid.sub_authority_count + 1 &&
             !memcmp(s->sub_authority, w->domains[i].sid.sub_authority,
                     w->domains[i].sid.sub_authority_count * sizeof(uint32_t)) &&
             ntsec_sid_authority(s) == ntsec_sid_authority(&w->domains[i].sid)))
            d = &w->domains[i];
    if (!d)
        return false;
    for (size_t i = 0; i < sizeof(domain_admin_rids) / sizeof(domain_admin_rids[0]); i++)
        if (ntsec_sid_rid(s) == domain_admin_rids[i])
            return true;
    return false;
}

/* What the world says about one logon, copied out of the world. */
struct gathered {
    struct ntsec_sid user;
    struct ntsec_sid primary;   /* also among the groups */
    struct ntsec_sid *groups;   /* allocated */
    uint8_t *admin;             /* per group: an administrative group */
    size_t count, cap;
    uint64_t privileges;
    uint32_t rights;
    bool elevated;
};

static bool add(struct gathered *g, const struct ntsec_sid *sid)
{
    for (size_t i = 0; i < g->count; i++)
        if (ntsec_sid_equal(&g->groups[i], sid))
            return true;
    if (g->count == g->cap)
        return false;
    g->groups[g->count++] = *sid;
    return true;
}

/* The account `user` (with `domain`) names, as LogonUser reads them:
 * "user" with domain "." is the local SAM only, "user@DOMAIN" a UPN with
 * no domain (Microsoft docs, LogonUserW, lpszDomain). A user or a
 * computer account NAME$. */
static const struct ntsec__waccount *find_user(const struct ntsec__world *w, const char *user,
                                               const char *domain)
{
    char name[512];
    const char *at = strchr(user, '@');
    const char *dom;
    struct ntsec_sid sid;
    enum ntsec_sid_use use;
    const struct ntsec__waccount *a;
    int n;

    if (!*user)
        return NULL;
    if (domain && !strcmp(domain, "."))
        domain = w->machine.name;
    if (strchr(user, '\\') && domain && *domain)
        return NULL;
    if (domain && *domain)
        n = snprintf(name, sizeof(name), "%s\\%s", domain, user);
    else if (at && !strchr(user, '\\'))
        n = snprintf(name, sizeof(name), "%s\\%.*s", at + 1, (int)(at - user), user);
    else
        n = snprintf(name, sizeof(name), "%s", user);
    if (n < 0 || (size_t)n >= sizeof(name) || !ntsec__world_resolve_name(w, name, &sid, &dom, &use))
        return NULL;
    a = ntsec__world_find_sid(w, &sid);
    if (!a || (a->kind != NTSEC__W_USER && a->kind != NTSEC__W_HOST))
        return NULL;
    return a;
}

static bool password_ok(const struct ntsec__waccount *a, const char *password,
                        struct crypt_data *cd)
{
    const char *h;
    size_t len;
    unsigned char diff = 0;

    if (!a->password)
        return false;           /* the world gives this account no password */
    h = crypt_r(password, a->password, cd);
    if (!h || (len = strlen(h)) != strlen(a->password))
        return false;
    for (size_t i = 0; i < len; i++)    /* in constant time */
        diff |= (unsigned char)(h[i] ^ a->password[i]);
    return !diff;
}

static ntsec_status gather(const struct ntsec__world *w, const struct ntsec__waccount *a,
                           const struct logon_kind *k, struct gathered *g)
{
    bool local = !strcmp(a->domain, w->machine.name);
    struct ntsec_sid fixed[10];
    const struct ntsec_sid *domain_sid;
    size_t nfixed = 0, base;
    bool admin = false;

    g->user = a->sid;
    fixed[nfixed++] = make_sid(1, 1, 0, 0);                     /* Everyone */
    fixed[nfixed++] = make_sid(5, 1, k->type_rid, 0);
    if (k->local)
        fixed[nfixed++] = make_sid(2, 1, 1, 0);                 /* CONSOLE LOGON */
    fixed[nfixed++] = make_sid(5, 1, 11, 0);                    /* Authenticated Users */
    fixed[nfixed++] = make_sid(5, 1, 15, 0);                    /* This Organization */
    if (local)
        fixed[nfixed++] = make_sid(5, 1, 113, 0);               /* Local account */
    if (k->local)
        fixed[nfixed++] = make_sid(2, 1, 0, 0);                 /* LOCAL */
    if (local || k->network)
        fixed[nfixed++] = make_sid(5, 2, 64, 10);               /* NTLM Authentication */
    else
        fixed[nfixed++] = make_sid(18, 1, 1, 0);                /* asserted identity */
    /* The primary group: Domain Users of the account's domain, "None"
     * (the same RID) on the machine. */
    domain_sid = &w->machine.sid;
    for (size_t i = 0; i < w->domain_count; i++)
        if (!strcmp(a->domain, w->domains[i].name))
            domain_sid = &w->domains[i].sid;
    g->primary = *domain_sid;
    g->primary.sub_authority[g->primary.sub_authority_count++] =
        a->kind == NTSEC__W_HOST ? 515 : 513;

    g->cap = nfixed + 4;
    for (size_t i = 0; i < w->account_count; i++)
        g->cap += w->accounts[i].member_count;
    g->groups = ntsec__alloc(g->cap * (sizeof(*g->groups) + 1));
    if (!g->groups)
        return NTSEC_STATUS_NO_MEMORY;
    g->admin = (uint8_t *)(g->groups + g->cap);
    for (size_t i = 0; i < nfixed; i++)
        add(g, &fixed[i]);
    add(g, &g->primary);
    base = g->count;
    ntsec__world_expand(w, &a->sid, g->groups, g->cap, &g->count);
    for (size_t i = 0; i < base; i++)
        ntsec__world_expand(w, &g->groups[i], g->groups, g->cap, &g->count);

    for (size_t i = 0; i < g->count; i++) {
        g->admin[i] = is_builtin_admin(&g->groups[i]) || is_domain_admin(w, &g->groups[i]);
        if (g->admin[i] && g->groups[i].sub_authority_count == 2 &&
            g->groups[i].sub_authority[1] == 544)
            admin = true;
    }
    /* S-1-5-114: a local account that is a member of Administrators. */
    if (local && admin) {
        struct ntsec_sid s114 = make_sid(5, 1, 114, 0);

        add(g, &s114);
        g->admin[g->count - 1] = 1;
    }

    g->privileges = a->privileges;
    g->rights = a->logon_rights;
    for (size_t i = 0; i < g->count; i++) {
        const struct ntsec__waccount *m = ntsec__world_find_sid(w, &g->groups[i]);

        if (m) {
            g->privileges |= m->privileges;
            g->rights |= m->logon_rights;
        }
        if (g->admin[i])
            g->elevated = true;
    }
    if (g->privileges & ~standard_privileges)
        g->elevated = true;
    return NTSEC_STATUS_SUCCESS;
}

/* --- building the token(s) ------------------------------------------------ */

struct shape {
    bool filtered;              /* the UAC-filtered half of a pair */
    enum ntsec_elevation_type elevation;
    struct ntsec_token *linked;
};

static ntsec_status make_token(const struct gathered *g, const struct logon_kind *k,
                               const struct ntsec_sid *logon_sid, const struct shape *sh,
                               struct ntsec_token **out)
{
    static const struct ntsec_sid administrators = { 1, 2, { 0, 0, 0, 0, 0, 5 }, { 32, 544 } };
    static const struct ntsec_sid system = { 1, 1, { 0, 0, 0, 0, 0, 5 }, { 18 } };
    struct ntsec_sid_and_attributes *groups;
    struct ntsec_luid_and_attributes privs[NTSEC_SE_MAX_PRIVILEGE + 1];
    struct ntsec_token_desc d;
    struct ntsec_sid label;
    const struct ntsec_sid *owner = &g->user;
    uint64_t held = sh->filtered ? g->privileges & standard_privileges : g->privileges;
    uint32_t dacl_buf[128];
    struct ntsec_acl *dacl = (struct ntsec_acl *)dacl_buf;
    size_t n = 0, np = 0;
    ntsec_status st;

    groups = ntsec__alloc((g->count + 2) * sizeof(*groups));
    if (!groups)
        return NTSEC_STATUS_NO_MEMORY;
    for (size_t i = 0; i < g->count; i++) {
        groups[n].sid = &g->groups[i];
        groups[n].attributes = GROUP_ATTRS;
        if (g->admin[i] && sh->filtered)
            groups[n].attributes = NTSEC_SE_GROUP_USE_FOR_DENY_ONLY;
        else if (!sh->filtered && g->elevated && ntsec_sid_equal(&g->groups[i], &administrators)) {
            groups[n].attributes |= NTSEC_SE_GROUP_OWNER;
            owner = &administrators;
        }
        n++;
    }
    if (logon_sid) {
        groups[n].sid = logon_sid;
        groups[n++].attributes = GROUP_ATTRS | NTSEC_SE_GROUP_LOGON_ID;
    }
    label = (struct ntsec_sid){ 1, 1, { 0, 0, 0, 0, 0, 16 },
                                { g->elevated && !sh->filtered ? NTSEC_MANDATORY_HIGH
                                                               : NTSEC_MANDATORY_MEDIUM } };
    groups[n].sid = &label;
    groups[n++].attributes = NTSEC_SE_GROUP_INTEGRITY | NTSEC_SE_GROUP_INTEGRITY_ENABLED;

    for (unsigned p = NTSEC_SE_MIN_PRIVILEGE; p <= NTSEC_SE_MAX_PRIVILEGE; p++) {
        if (!(held & (1ull << p)))
            continue;
        privs[np].luid = ntsec_privilege_luid((enum ntsec_privilege)p);
        privs[np].attributes = (enabled_by_default & (1ull << p))
                                   ? NTSEC_SE_PRIVILEGE_ENABLED | NTSEC_SE_PRIVILEGE_ENABLED_BY_DEFAULT
                                   : 0;
        np++;
    }

    ntsec_acl_init(dacl, sizeof(dacl_buf), NTSEC_ACL_REVISION);
    ntsec_acl_add_access_ace(dacl, NTSEC_ACL_REVISION, NTSEC_ACE_ACCESS_ALLOWED, 0,
                             NTSEC_GENERIC_ALL, owner);
    ntsec_acl_add_access_ace(dacl, NTSEC_ACL_REVISION, NTSEC_ACE_ACCESS_ALLOWED, 0,
                             NTSEC_GENERIC_ALL, &system);
    if (logon_sid)
        ntsec_acl_add_access_ace(dacl, NTSEC_ACL_REVISION, NTSEC_ACE_ACCESS_ALLOWED, 0,
                                 NTSEC_GENERIC_READ | NTSEC_GENERIC_EXECUTE, logon_sid);

    memset(&d, 0, sizeof(d));
    d.type = NTSEC_TOKEN_PRIMARY;
    d.user.sid = &g->user;
    d.groups = groups;
    d.group_count = n;
    d.privileges = privs;
    d.privilege_count = np;
    d.owner = owner;
    d.primary_group = &g->primary;
    d.default_dacl = dacl;
    memcpy(d.source.name, k->source, sizeof(d.source.name));
    d.source.id = ntsec_luid_allocate();
    d.session_id = k->session;
    d.elevation_type = sh->elevation;
    d.linked_token = sh->linked;
    st = ntsec_token_create(&d, out);
    ntsec__free(groups);
    return st;
}

static ntsec_status logon(const char *user, const char *domain, const char *password,
                          enum ntsec_logon_type type, struct ntsec_token **out)
{
    const struct logon_kind *k = NULL;
    const struct ntsec__world *w;
    const struct ntsec__waccount *a;
    struct crypt_data *cd = NULL;
    struct gathered g;
    struct ntsec_sid logon_sid;
    struct ntsec_token *full = NULL, *limited = NULL;
    struct shape sh = { false, NTSEC_ELEVATION_DEFAULT, NULL };
    ntsec_status st = NTSEC_STATUS_SUCCESS;

    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if (kinds[i].type == type)
            k = &kinds[i];
    if (!user || !out || !k)
        return NTSEC_STATUS_INVALID_PARAMETER;
    if (password && !(cd = ntsec__zalloc(sizeof(*cd))))
        return NTSEC_STATUS_NO_MEMORY;
    memset(&g, 0, sizeof(g));

    w = ntsec__world_acquire();
    a = find_user(w, user, domain);
    if (!a || (password && !password_ok(a, password, cd)))
        st = NTSEC_STATUS_LOGON_FAILURE;
    else if (a->flags & NTSEC_ACCOUNT_DISABLED)
        st = NTSEC_STATUS_ACCOUNT_DISABLED;
    else if (a->kind == NTSEC__W_HOST && !k->network)
        st = NTSEC_STATUS_NOLOGON_WORKSTATION_TRUST_ACCOUNT;
    else
        st = gather(w, a, k, &g);
    ntsec__world_release();
    ntsec__free(cd);
    if (st != NTSEC_STATUS_SUCCESS)
        goto done;
    if (!(g.rights & k->allow) || (g.rights & k->deny)) {
        st = NTSEC_STATUS_LOGON_TYPE_NOT_GRANTED;
        goto done;
    }

    if (k->logon_sid) {
        struct ntsec_luid l = ntsec_luid_allocate();
        uint32_t subs[3] = { 5, (uint32_t)l.high, l.low };

        ntsec_sid_init(&logon_sid, 5, 3, subs);
    }
    if (g.elevated && k->uac_split)
        sh.elevation = NTSEC_ELEVATION_FULL;
    st = make_token(&g, k, k->logon_sid ? &logon_sid : NULL, &sh, &full);
    if (st != NTSEC_STATUS_SUCCESS || sh.elevation != NTSEC_ELEVATION_FULL)
        goto done;
    sh.filtered = true;
    sh.elevation = NTSEC_ELEVATION_LIMITED;
    sh.linked = full;
    st = make_token(&g, k, k->logon_sid ? &logon_sid : NULL, &sh, &limited);
    /* The filtered token holds the full one; ours goes. */
    ntsec_token_put(full);
    full = limited;

done:
    ntsec__free(g.groups);
    if (st == NTSEC_STATUS_SUCCESS)
        *out = full;
    return st;
}

ntsec_status ntsec_logon_user(const char *user, const char *domain, const char *password,
                              enum ntsec_logon_type type, struct ntsec_token **out)
{
    if (!password)
        return NTSEC_STATUS_INVALID_PARAMETER;
    return logon(user, domain, password, type, out);
}

ntsec_status ntsec_logon_token(const char *user, const char *domain, enum ntsec_logon_type type,
                               struct ntsec_token **out)
{
    return logon(user, domain, NULL, type, out);
}
