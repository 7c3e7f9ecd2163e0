/* account_lookup.c - LookupAccountSid and LookupAccountName over the
 * account world: the world's own accounts and domains first, then the
 * well-known SIDs, then the Unix SIDs Samba uses (S-1-22-1-uid,
 * S-1-22-2-gid), named from the Linux account database.
 *
 * Windows results followed (asserted on Windows by Wine's
 * dlls/advapi32/tests/security.c, test_LookupAccountSid and
 * test_LookupAccountName):
 *  - a buffer too small: ERROR_INSUFFICIENT_BUFFER with the size needed,
 *    terminating NUL included; on success the size is the length without
 *    it; a NULL buffer with a large enough size succeeds;
 *  - an unknown name: ERROR_NONE_MAPPED, sizes and use untouched;
 *  - "Everyone" has the domain "", use SidTypeWellKnownGroup;
 *  - a NULL (here also "") name is the computer's own account domain,
 *    SidTypeDomain, name and domain both the computer name; the computer
 *    name itself is SidTypeDomain unless an account has that name;
 *  - "LocalService" and "Local Service" both name S-1-5-19 (and
 *    NetworkService S-1-5-20), "NT AUTHORITY\\" may prefix them, case is
 *    ignored, but "Local  Service" and "TerminalServer User" name nothing. */
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "ntsec/account.h"
#include "wellknown.h"
#include "world.h"

bool ntsec__name_equal(const char *a, const char *b)
{
    return a && b && !strcasecmp(a, b);
}

/* Names Windows also accepts for a well-known SID: the spaceless forms
 * of the service accounts (Wine's check_wellknown_name). Type numbers are
 * WELL_KNOWN_SID_TYPE. */
static const struct {
    const char *name;
    int type;
} wk_aliases[] = {
    { "LocalService", 23 },
    { "NetworkService", 24 },
};

/* The SID_NAME_USE Windows gives well-known SIDs: the BUILTIN aliases are
 * SidTypeAlias, S-1-5-32 and S-1-5 themselves SidTypeDomain, mandatory
 * labels SidTypeLabel, the rest (Everyone, SYSTEM, LOCAL SERVICE, ...)
 * SidTypeWellKnownGroup (Wine's check_wellknown_name asserts it for the
 * service accounts and Everyone). */
enum ntsec_sid_use ntsec__wellknown_use(int type, const char *domain, uint64_t authority,
                                        unsigned sub_count)
{
    if (type == 7 || type == 25)        /* WinNtAuthoritySid, WinBuiltinDomainSid */
        return NTSEC_SID_TYPE_DOMAIN;
    if (authority == 16)
        return NTSEC_SID_TYPE_LABEL;
    if (domain && !strcmp(domain, "BUILTIN") && sub_count == 2)
        return NTSEC_SID_TYPE_ALIAS;
    return NTSEC_SID_TYPE_WELL_KNOWN_GROUP;
}

static enum ntsec_sid_use wk_use(const struct ntsec__wellknown *e)
{
    return ntsec__wellknown_use(e->type, e->domain, e->authority, e->count);
}

/* RID 513 of a machine's own SAM is "None", the primary group of its
 * local users (what LookupAccountSid shows on a workstation). */
#define MACHINE_PRIMARY_GROUP_RID 513
static const char machine_primary_group[] = "None";

/* Domain-relative groups Windows names without the world defining them
 * (Domain Admins, Domain Users, ...; RIDs 512 and up, and the forest-root
 * ones, taking the one domain as the root). Accounts (500-502) exist only
 * when the world has them. */
static bool relative_group(const struct ntsec__wellknown *e)
{
    return (e->base == NTSEC__WK_DOMAIN || e->base == NTSEC__WK_ROOT_DOMAIN) && e->name &&
           (e->sub[0] < 500 || e->sub[0] > 502);
}

static const struct ntsec__waccount *find_account(const struct ntsec__world *w,
                                                  const char *domain, const char *name)
{
    for (size_t i = 0; i < w->account_count; i++) {
        const struct ntsec__waccount *a = &w->accounts[i];

        if (a->kind != NTSEC__W_WELLKNOWN && ntsec__name_equal(a->domain, domain) &&
            ntsec__name_equal(a->name, name))
            return a;
    }
    return NULL;
}

static bool domain_sid(const struct ntsec__world *w, const char *domain, struct ntsec_sid *out,
                       const char **canonical)
{
    if (ntsec__name_equal(domain, w->machine.name)) {
        *out = w->machine.sid;
        *canonical = w->machine.name;
        return true;
    }
    for (size_t i = 0; i < w->domain_count; i++)
        if (ntsec__name_equal(domain, w->domains[i].name)) {
            *out = w->domains[i].sid;
            *canonical = w->domains[i].name;
            return true;
        }
    return false;
}

/* A name in one account domain (the machine or a [domain]). */
static bool in_domain(const struct ntsec__world *w, const char *domain, const char *name,
                      struct ntsec_sid *sid, const char **dom, enum ntsec_sid_use *use)
{
    const struct ntsec__waccount *a = find_account(w, domain, name);
    struct ntsec_sid d;
    const char *canonical;
    size_t n;
    const struct ntsec__wellknown *t;

    if (a) {
        *sid = a->sid;
        *dom = a->domain;
        *use = a->use;
        return true;
    }
    if (!domain_sid(w, domain, &d, &canonical))
        return false;
    if (canonical == w->machine.name) {
        if (!ntsec__name_equal(name, machine_primary_group))
            return false;
        *sid = d;
        sid->sub_authority[sid->sub_authority_count++] = MACHINE_PRIMARY_GROUP_RID;
        *dom = canonical;
        *use = NTSEC_SID_TYPE_GROUP;
        return true;
    }
    t = ntsec__wellknown_table(&n);
    for (size_t i = 0; i < n; i++)
        if (relative_group(&t[i]) && ntsec__name_equal(t[i].name, name)) {
            ntsec__wellknown_build(&t[i], &d, sid);
            *dom = canonical;
            *use = NTSEC_SID_TYPE_GROUP;
            return true;
        }
    return false;
}

/* A well-known SID by name, with `domain` (NULL: any) its domain. */
static bool wellknown_name(const char *domain, const char *name, struct ntsec_sid *sid,
                           const char **dom, enum ntsec_sid_use *use)
{
    size_t n;
    const struct ntsec__wellknown *t = ntsec__wellknown_table(&n);
    int type = -1;

    for (size_t i = 0; i < sizeof(wk_aliases) / sizeof(wk_aliases[0]); i++)
        if (ntsec__name_equal(name, wk_aliases[i].name))
            type = wk_aliases[i].type;
    for (size_t i = 0; i < n; i++) {
        const struct ntsec__wellknown *e = &t[i];

        if (e->base != NTSEC__WK_ABSOLUTE || !e->name)
            continue;
        if (e->type != type && !ntsec__name_equal(e->name, name))
            continue;
        if (domain && !ntsec__name_equal(e->domain, domain))
            continue;
        ntsec__wellknown_build(e, NULL, sid);
        *dom = e->domain;
        *use = wk_use(e);
        return true;
    }
    return false;
}

/* Samba's Unix SIDs: "Unix User\\name" and "Unix Group\\name". */
static const char unix_user_domain[] = "Unix User";
static const char unix_group_domain[] = "Unix Group";

static bool unix_name(const char *domain, const char *name, struct ntsec_sid *sid,
                      const char **dom, enum ntsec_sid_use *use)
{
    char buf[4096];
    uint32_t sub[2];

    if (ntsec__name_equal(domain, unix_user_domain)) {
        struct passwd pw, *res = NULL;

        if (getpwnam_r(name, &pw, buf, sizeof(buf), &res) || !res)
            return false;
        sub[0] = 1;
        sub[1] = (uint32_t)res->pw_uid;
        *dom = unix_user_domain;
        *use = NTSEC_SID_TYPE_USER;
    } else if (ntsec__name_equal(domain, unix_group_domain)) {
        struct group gr, *res = NULL;

        if (getgrnam_r(name, &gr, buf, sizeof(buf), &res) || !res)
            return false;
        sub[0] = 2;
        sub[1] = (uint32_t)res->gr_gid;
        *dom = unix_group_domain;
        *use = NTSEC_SID_TYPE_GROUP;
    } else {
        return false;
    }
    return ntsec_sid_init(sid, 22, 2, sub) == NTSEC_STATUS_SUCCESS;
}

/* LookupAccountName's order for an unqualified name (Microsoft docs,
 * LookupAccountName, Remarks): well-known SIDs, then built-in and local
 * accounts, then the primary domain, then trusted domains. */
bool ntsec__world_resolve_name(const struct ntsec__world *w, const char *name,
                               struct ntsec_sid *sid, const char **domain,
                               enum ntsec_sid_use *use)
{
    const char *bs = strchr(name, '\\');
    char dom[256];

    if (bs) {
        size_t dlen = (size_t)(bs - name);
        const char *acc = bs + 1;

        if (dlen >= sizeof(dom) || !*acc)
            return false;
        memcpy(dom, name, dlen);
        dom[dlen] = 0;
        return in_domain(w, dom, acc, sid, domain, use) ||
               wellknown_name(dom, acc, sid, domain, use) ||
               unix_name(dom, acc, sid, domain, use);
    }
    if (!*name) {
        *sid = w->machine.sid;
        *domain = w->machine.name;
        *use = NTSEC_SID_TYPE_DOMAIN;
        return true;
    }
    if (wellknown_name(NULL, name, sid, domain, use) ||
        in_domain(w, w->machine.name, name, sid, domain, use) ||
        (w->joined && in_domain(w, w->joined->name, name, sid, domain, use)))
        return true;
    for (size_t i = 0; i < w->domain_count; i++)
        if (in_domain(w, w->domains[i].name, name, sid, domain, use))
            return true;
    if (domain_sid(w, name, sid, domain)) {
        *use = NTSEC_SID_TYPE_DOMAIN;
        return true;
    }
    return false;
}

/* --- LookupAccountSid ----------------------------------------------------- */

static bool sid_in(const struct ntsec_sid *sid, const struct ntsec_sid *domain)
{
    return sid->sub_authority_count == domain->sub_authority_count + 1 &&
           ntsec_sid_authority(sid) == ntsec_sid_authority(domain) &&
           !memcmp(sid->sub_authority, domain->sub_authority,
                   domain->sub_authority_count * sizeof(uint32_t));
}

struct answer {
    const char *name;
    const char *domain;
    enum ntsec_sid_use use;
    char buf[NTSEC__NAME_BUF];  /* a name made on the fly */
};

static bool relative_sid(const struct ntsec__world *w, const struct ntsec_sid *sid,
                         struct answer *ans)
{
    const struct ntsec__wdomain *d = NULL;
    const struct ntsec__wellknown *e;

    if (sid_in(sid, &w->machine.sid)) {
        if (ntsec_sid_rid(sid) != MACHINE_PRIMARY_GROUP_RID)
            return false;
        ans->name = machine_primary_group;
        ans->domain = w->machine.name;
        ans->use = NTSEC_SID_TYPE_GROUP;
        return true;
    }
    for (size_t i = 0; i < w->domain_count && !d; i++)
        if (sid_in(sid, &w->domains[i].sid))
            d = &w->domains[i];
    if (!d)
        return false;
    e = ntsec__wellknown_find(sid, &d->sid);
    if (!e || !relative_group(e))
        return false;
    ans->name = e->name;
    ans->domain = d->name;
    ans->use = NTSEC_SID_TYPE_GROUP;
    return true;
}

static bool unix_sid(const struct ntsec_sid *sid, struct answer *ans)
{
    char buf[4096];

    if (ntsec_sid_authority(sid) != 22 || sid->sub_authority_count != 2)
        return false;
    if (sid->sub_authority[0] == 1) {
        struct passwd pw, *res = NULL;

        if (getpwuid_r((uid_t)sid->sub_authority[1], &pw, buf, sizeof(buf), &res) || !res ||
            strlen(res->pw_name) >= sizeof(ans->buf))
            return false;
        strcpy(ans->buf, res->pw_name);
        ans->domain = unix_user_domain;
        ans->use = NTSEC_SID_TYPE_USER;
    } else if (sid->sub_authority[0] == 2) {
        struct group gr, *res = NULL;

        if (getgrgid_r((gid_t)sid->sub_authority[1], &gr, buf, sizeof(buf), &res) || !res ||
            strlen(res->gr_name) >= sizeof(ans->buf))
            return false;
        strcpy(ans->buf, res->gr_name);
        ans->domain = unix_group_domain;
        ans->use = NTSEC_SID_TYPE_GROUP;
    } else {
        return false;
    }
    ans->name = ans->buf;
    return true;
}

static bool answer_sid(const struct ntsec__world *w, const struct ntsec_sid *sid,
                       struct answer *ans)
{
    const struct ntsec__waccount *a = ntsec__world_find_sid(w, sid);
    const struct ntsec__wellknown *e;

    if (a && a->kind != NTSEC__W_WELLKNOWN) {
        ans->name = a->name;
        ans->domain = a->domain;
        ans->use = a->use;
        return true;
    }
    /* A domain's own SID: name and domain are the domain's name. */
    if (ntsec_sid_equal(sid, &w->machine.sid)) {
        ans->name = ans->domain = w->machine.name;
        ans->use = NTSEC_SID_TYPE_DOMAIN;
        return true;
    }
    for (size_t i = 0; i < w->domain_count; i++)
        if (ntsec_sid_equal(sid, &w->domains[i].sid)) {
            ans->name = ans->domain = w->domains[i].name;
            ans->use = NTSEC_SID_TYPE_DOMAIN;
            return true;
        }
    e = ntsec__wellknown_find(sid, NULL);
    if (e && e->base == NTSEC__WK_ABSOLUTE && e->name) {
        ans->name = e->name;
        ans->domain = e->domain;
        ans->use = wk_use(e);
        return true;
    }
    if (e && e->base == NTSEC__WK_LOGON_IDS) {
        /* A logon SID S-1-5-5-X-Y is shown as NT AUTHORITY\LogonSessionId_X_Y. */
        snprintf(ans->buf, sizeof(ans->buf), "LogonSessionId_%u_%u", sid->sub_authority[1],
                 sid->sub_authority[2]);
        ans->name = ans->buf;
        ans->domain = e->domain;
        ans->use = NTSEC_SID_TYPE_WELL_KNOWN_GROUP;
        return true;
    }
    return relative_sid(w, sid, ans) || unix_sid(sid, ans);
}

bool ntsec__world_name_of(const struct ntsec__world *w, const struct ntsec_sid *sid,
                          const char **name, const char **domain, enum ntsec_sid_use *use,
                          char buf[NTSEC__NAME_BUF])
{
    struct answer ans;

    if (!ntsec_sid_is_valid(sid) || !answer_sid(w, sid, &ans))
        return false;
    if (ans.name == ans.buf) {
        memcpy(buf, ans.buf, sizeof(ans.buf));
        ans.name = buf;
    }
    *name = ans.name;
    *domain = ans.domain;
    *use = ans.use;
    return true;
}

/* Copy `s` into buf of *size bytes: the Windows size rule above. */
static bool fits(const char *s, size_t size)
{
    return strlen(s) < size;
}

static void put(const char *s, char *buf, size_t *size)
{
    size_t len = strlen(s);

    if (buf)
        memcpy(buf, s, len + 1);
    *size = len;
}

ntsec_status ntsec_account_lookup_sid(const struct ntsec_sid *sid, char *name, size_t *name_size,
                                      char *domain, size_t *domain_size, enum ntsec_sid_use *use)
{
    const struct ntsec__world *w;
    struct answer ans;
    ntsec_status st = NTSEC_STATUS_SUCCESS;

    if (!sid || !name_size || !domain_size || !use)
        return NTSEC_STATUS_INVALID_PARAMETER;
    if (!ntsec_sid_is_valid(sid))
        return NTSEC_STATUS_INVALID_SID;
    w = ntsec__world_acquire();
    if (!answer_sid(w, sid, &ans)) {
        st = NTSEC_STATUS_NONE_MAPPED;
    } else if (!fits(ans.name, *name_size) || !fits(ans.domain, *domain_size)) {
        *name_size = strlen(ans.name) + 1;
        *domain_size = strlen(ans.domain) + 1;
        st = NTSEC_STATUS_BUFFER_TOO_SMALL;
    } else {
        put(ans.name, name, name_size);
        put(ans.domain, domain, domain_size);
        *use = ans.use;
    }
    ntsec__world_release();
    return st;
}

ntsec_status ntsec_account_lookup_name(const char *name, struct ntsec_sid *sid, char *domain,
                                       size_t *domain_size, enum ntsec_sid_use *use)
{
    const struct ntsec__world *w;
    struct ntsec_sid found;
    const char *dom;
    enum ntsec_sid_use u;
    ntsec_status st = NTSEC_STATUS_SUCCESS;

    if (!sid || !domain_size || !use)
        return NTSEC_STATUS_INVALID_PARAMETER;
    w = ntsec__world_acquire();
    if (!ntsec__world_resolve_name(w, name ? name : "", &found, &dom, &u)) {
        st = NTSEC_STATUS_NONE_MAPPED;
    } else if (!fits(dom, *domain_size)) {
        *domain_size = strlen(dom) + 1;
        st = NTSEC_STATUS_BUFFER_TOO_SMALL;
    } else {
        put(dom, domain, domain_size);
        memcpy(sid, &found, ntsec_sid_length(&found));
        *use = u;
    }
    ntsec__world_release();
    return st;
}
