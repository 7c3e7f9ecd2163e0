/* world_build.c - the second half of the world file loader: check every
 * value the reader stored (world_file.c) and build the world from the
 * sections, in file order, so that each error names the line of the key
 * or section that causes it: an unknown group, a SID or name used twice, a
 * bad hash, a RID out of range. The format is docs/world.md. */
#include <crypt.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "ntsec/privilege.h"
#include "wellknown.h"
#include "world_file.h"

/* Account rights that are not privileges: Microsoft docs "Account Rights
 * Constants" (winnt.h SE_*_NAME; LsaAddAccountRights takes both kinds). */
static const struct ntsec__logon_right_name logon_rights[] = {
    { "SeInteractiveLogonRight", NTSEC__LR_INTERACTIVE },
    { "SeNetworkLogonRight", NTSEC__LR_NETWORK },
    { "SeBatchLogonRight", NTSEC__LR_BATCH },
    { "SeServiceLogonRight", NTSEC__LR_SERVICE },
    { "SeRemoteInteractiveLogonRight", NTSEC__LR_REMOTE_INTERACTIVE },
    { "SeDenyInteractiveLogonRight", NTSEC__LR_DENY_INTERACTIVE },
    { "SeDenyNetworkLogonRight", NTSEC__LR_DENY_NETWORK },
    { "SeDenyBatchLogonRight", NTSEC__LR_DENY_BATCH },
    { "SeDenyServiceLogonRight", NTSEC__LR_DENY_SERVICE },
    { "SeDenyRemoteInteractiveLogonRight", NTSEC__LR_DENY_REMOTE_INTERACTIVE },
};

const struct ntsec__logon_right_name *ntsec__logon_right_table(size_t *count)
{
    *count = sizeof(logon_rights) / sizeof(logon_rights[0]);
    return logon_rights;
}

/* The userAccountControl bits of the same meaning ([MS-ADTS] 2.2.16):
 * NOT_DELEGATED, TRUSTED_FOR_DELEGATION, TRUSTED_TO_AUTH_FOR_DELEGATION,
 * ACCOUNTDISABLE. */
static const struct ntsec__account_flag_name flag_names[] = {
    { "sensitive", NTSEC_ACCOUNT_SENSITIVE },
    { "trusted-for-delegation", NTSEC_ACCOUNT_TRUSTED_FOR_DELEGATION },
    { "trusted-to-auth-for-delegation", NTSEC_ACCOUNT_TRUSTED_TO_AUTH_FOR_DELEGATION },
    { "disabled", NTSEC_ACCOUNT_DISABLED },
};

const struct ntsec__account_flag_name *ntsec__account_flag_table(size_t *count)
{
    *count = sizeof(flag_names) / sizeof(flag_names[0]);
    return flag_names;
}

/* Characters Windows does not allow in account names (Microsoft docs,
 * "User Account Names": " / \ [ ] : ; | = , + * ? < > @). */
static bool valid_name(const char *s, size_t len, size_t max)
{
    if (!len || len > max)
        return false;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];

        if (ch < 0x20 || ch == 0x7f || strchr("\"/\\[]:;|=,+*?<>@", ch))
            return false;
    }
    return true;
}

/* --- stage 2: values ------------------------------------------------------ */

struct build {
    struct ntsec__world_read *c;
    struct ntsec__world *w;
};

static bool parse_u32(const char *s, uint32_t max, uint32_t *out)
{
    uint64_t v = 0;

    if (!*s)
        return false;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return false;
        v = v * 10 + (uint64_t)(*s - '0');
        if (v > max)
            return false;
    }
    *out = (uint32_t)v;
    return true;
}

/* An account domain SID is S-1-5-21-x-y-z ([MS-DTYP] 2.4.2.4,
 * "S-1-5-21-<domain>"); accounts are one RID below it. */
static bool parse_domain_sid(const char *s, struct ntsec_sid *out)
{
    struct ntsec_sid sid;
    size_t end;

    if (ntsec_sid_parse(s, strlen(s), &sid, &end) != NTSEC_STATUS_SUCCESS || s[end] ||
        ntsec_sid_authority(&sid) != 5 || sid.sub_authority_count != 4 ||
        sid.sub_authority[0] != 21)
        return false;
    *out = sid;
    return true;
}

static const struct ntsec__wdomain *find_domain(const struct ntsec__world *w, const char *name)
{
    if (ntsec__name_equal(name, w->machine.name))
        return &w->machine;
    for (size_t i = 0; i < w->domain_count; i++)
        if (ntsec__name_equal(name, w->domains[i].name))
            return &w->domains[i];
    return NULL;
}

/* Call `fn` on each item of a comma-separated list (every repeated key). */
static bool each_item(struct build *b, const struct value *v,
                      bool (*fn)(struct build *, const char *, unsigned, void *), void *arg)
{
    char item[256];

    for (; v; v = v->next) {
        const char *p = v->text;

        for (;;) {
            const char *comma = strchr(p, ',');
            size_t len = comma ? (size_t)(comma - p) : strlen(p);
            const char *t;
            size_t tlen;

            if (len >= sizeof(item))
                return ntsec__world_fail(b->c, v->line, "list item too long");
            memcpy(item, p, len);
            item[len] = 0;
            t = ntsec__world_trim(item, &tlen);
            if (!tlen)
                return ntsec__world_fail(b->c, v->line, "empty item in a list");
            ((char *)t)[tlen] = 0;
            if (!fn(b, t, v->line, arg))
                return false;
            if (!comma)
                break;
            p = comma + 1;
        }
    }
    return true;
}

static bool add_flag(struct build *b, const char *item, unsigned line, void *arg)
{
    for (size_t i = 0; i < sizeof(flag_names) / sizeof(flag_names[0]); i++)
        if (!strcasecmp(item, flag_names[i].name)) {
            *(uint32_t *)arg |= flag_names[i].flag;
            return true;
        }
    return ntsec__world_fail(b->c, line, "unknown flag (sensitive, trusted-for-delegation, "
                            "trusted-to-auth-for-delegation, disabled)");
}

static bool add_right(struct build *b, const char *item, unsigned line, void *arg)
{
    struct ntsec__waccount *a = arg;
    struct ntsec_luid luid;

    if (ntsec_privilege_lookup(item, &luid) == NTSEC_STATUS_SUCCESS) {
        a->privileges |= 1ull << luid.low;
        return true;
    }
    for (size_t i = 0; i < sizeof(logon_rights) / sizeof(logon_rights[0]); i++)
        if (!strcasecmp(item, logon_rights[i].name)) {
            a->logon_rights |= logon_rights[i].bit;
            return true;
        }
    return ntsec__world_fail(b->c, line, "unknown right (neither a privilege nor a logon right)");
}

struct members {
    struct ntsec_sid *sids;
    size_t count, cap;
    const struct ntsec__waccount *self;
};

static bool add_member(struct build *b, const char *item, unsigned line, void *arg)
{
    struct members *m = arg;
    struct ntsec_sid sid;
    const char *dom;
    enum ntsec_sid_use use;

    if (!ntsec__world_resolve_name(b->w, item, &sid, &dom, &use))
        return ntsec__world_fail(b->c, line, "groups names an account this world does not know");
    if (use != NTSEC_SID_TYPE_GROUP && use != NTSEC_SID_TYPE_ALIAS &&
        use != NTSEC_SID_TYPE_WELL_KNOWN_GROUP)
        return ntsec__world_fail(b->c, line, "groups names an account that is not a group");
    if (ntsec_sid_equal(&sid, &m->self->sid))
        return ntsec__world_fail(b->c, line, "a group cannot be a member of itself");
    for (size_t i = 0; i < m->count; i++)
        if (ntsec_sid_equal(&m->sids[i], &sid))
            return true;
    if (m->count == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 8;
        struct ntsec_sid *n = ntsec__arena_alloc(b->w->arena, cap * sizeof(*n));

        if (!n) {
            b->c->nomem = true;
            return false;
        }
        if (m->count)
            memcpy(n, m->sids, m->count * sizeof(*n));
        m->sids = n;
        m->cap = cap;
    }
    m->sids[m->count++] = sid;
    return true;
}

/* --- stage 2: building ---------------------------------------------------- */

/* Defaults for a file with no [machine] section: the embedded world's. */
#define DEFAULT_MACHINE_NAME "WORKSTATION"
#define DEFAULT_MACHINE_SID  "S-1-5-21-1004336348-1177238915-682003330"

static bool build_machine(struct build *b, struct section *s, const char **joined,
                          unsigned *joined_line)
{
    struct ntsec__world *w = b->w;
    const char *name = DEFAULT_MACHINE_NAME;
    size_t len;

    w->machine.line = s ? s->line : 0;
    if (s && s->vals[K_NAME]) {
        name = s->vals[K_NAME]->text;
        /* A NetBIOS computer name: at most 15 characters (Microsoft docs,
         * "Naming conventions in Active Directory for computers"). */
        if (!valid_name(name, strlen(name), 15) || strchr(name, ' '))
            return ntsec__world_fail(b->c, s->vals[K_NAME]->line, "not a valid computer name");
    }
    len = strlen(name);
    if (!(w->machine.name = ntsec__arena_strndup(w->arena, name, len))) {
        b->c->nomem = true;
        return false;
    }
    if (s && s->vals[K_SID]) {
        if (!parse_domain_sid(s->vals[K_SID]->text, &w->machine.sid))
            return ntsec__world_fail(b->c, s->vals[K_SID]->line,
                        "not an account domain SID (S-1-5-21-x-y-z)");
    } else {
        parse_domain_sid(DEFAULT_MACHINE_SID, &w->machine.sid);
    }
    if (s && s->vals[K_DOMAIN]) {
        *joined = s->vals[K_DOMAIN]->text;
        *joined_line = s->vals[K_DOMAIN]->line;
        if (!s->vals[K_RID])
            return ntsec__world_fail(b->c, s->line, "a machine in a domain needs the rid of its account");
    } else if (s && s->vals[K_RID]) {
        return ntsec__world_fail(b->c, s->vals[K_RID]->line, "rid needs domain (the machine's domain)");
    } else if (s && s->vals[K_FLAGS]) {
        return ntsec__world_fail(b->c, s->vals[K_FLAGS]->line,
                    "machine flags belong to its account in a domain: set domain and rid");
    }
    return true;
}

static bool build_domains(struct build *b)
{
    struct ntsec__world *w = b->w;
    size_t n = 0;

    for (struct section *s = b->c->first; s; s = s->next)
        n += s->kind == S_DOMAIN;
    w->domains = ntsec__arena_alloc(w->arena, (n ? n : 1) * sizeof(*w->domains));
    if (!w->domains) {
        b->c->nomem = true;
        return false;
    }
    for (struct section *s = b->c->first; s; s = s->next) {
        struct ntsec__wdomain *d;

        if (s->kind != S_DOMAIN)
            continue;
        if (!valid_name(s->name, strlen(s->name), 15) || strchr(s->name, ' '))
            return ntsec__world_fail(b->c, s->line, "not a valid domain (NetBIOS) name");
        if (find_domain(w, s->name) || ntsec__name_equal(s->name, "BUILTIN") ||
            ntsec__name_equal(s->name, "NT AUTHORITY"))
            return ntsec__world_fail(b->c, s->line, "this domain name is already taken");
        if (!s->vals[K_SID])
            return ntsec__world_fail(b->c, s->line, "a domain needs sid = S-1-5-21-x-y-z");
        d = &w->domains[w->domain_count];
        d->name = s->name;
        d->line = s->line;
        if (!parse_domain_sid(s->vals[K_SID]->text, &d->sid))
            return ntsec__world_fail(b->c, s->vals[K_SID]->line,
                        "not an account domain SID (S-1-5-21-x-y-z)");
        if (ntsec_sid_equal(&d->sid, &w->machine.sid))
            return ntsec__world_fail(b->c, s->vals[K_SID]->line, "the machine already has this SID");
        for (size_t i = 0; i < w->domain_count; i++)
            if (ntsec_sid_equal(&d->sid, &w->domains[i].sid))
                return ntsec__world_fail(b->c, s->vals[K_SID]->line, "another domain has this SID");
        w->domain_count++;
    }
    return true;
}

static bool account_sid(struct build *b, struct section *s, const struct ntsec__wdomain *d,
                        struct ntsec_sid *out)
{
    struct value *rid = s->vals[K_RID], *sidv = s->vals[K_SID];
    uint32_t r;

    if (rid && sidv)
        return ntsec__world_fail(b->c, sidv->line, "give rid or sid, not both");
    if (!rid && !sidv)
        return ntsec__world_fail(b->c, s->line, "an account needs rid = N (or sid = ...)");
    *out = d->sid;
    if (rid) {
        if (!parse_u32(rid->text, UINT32_MAX, &r) || !r)
            return ntsec__world_fail(b->c, rid->line, "rid is not a number from 1 to 4294967295");
        out->sub_authority[out->sub_authority_count++] = r;
        return true;
    }
    struct ntsec_sid sid;
    size_t end;
    if (ntsec_sid_parse(sidv->text, strlen(sidv->text), &sid, &end) != NTSEC_STATUS_SUCCESS ||
        sidv->text[end])
        return ntsec__world_fail(b->c, sidv->line, "not a SID");
    if (!sid.sub_authority_count)
        return ntsec__world_fail(b->c, sidv->line, "sid is not in the account's domain (domain SID + RID)");
    out->sub_authority[out->sub_authority_count++] = ntsec_sid_rid(&sid);
    if (!ntsec_sid_equal(out, &sid))
        return ntsec__world_fail(b->c, sidv->line, "sid is not in the account's domain (domain SID + RID)");
    return true;
}

/* The well-known SID a [wellknown NAME] section gives rights to: any
 * well-known SID with a name, written as LookupAccountName takes it. */
static bool wellknown_sid(struct build *b, struct section *s, struct ntsec__waccount *a)
{
    size_t n;
    const struct ntsec__wellknown *t = ntsec__wellknown_table(&n);
    const char *bs = strchr(s->name, '\\');

    for (size_t i = 0; i < n; i++) {
        const struct ntsec__wellknown *e = &t[i];

        if (e->base != NTSEC__WK_ABSOLUTE || !e->name)
            continue;
        if (bs ? !(ntsec__name_equal(bs + 1, e->name) &&
                   strlen(e->domain) == (size_t)(bs - s->name) &&
                   !strncasecmp(e->domain, s->name, (size_t)(bs - s->name)))
               : !ntsec__name_equal(s->name, e->name))
            continue;
        ntsec__wellknown_build(e, NULL, &a->sid);
        a->name = e->name;
        a->domain = e->domain;
        a->use = ntsec__wellknown_use(e->type, e->domain, e->authority, e->count);
        return true;
    }
    return ntsec__world_fail(b->c, s->line, "not the name of a well-known SID");
}

static bool build_account(struct build *b, struct section *s, struct ntsec__waccount *a)
{
    struct ntsec__world *w = b->w;
    const struct ntsec__wdomain *d = &w->machine;
    size_t len = strlen(s->name);

    a->line = s->line;
    if (s->kind == S_WELLKNOWN) {
        a->kind = NTSEC__W_WELLKNOWN;
        if (!wellknown_sid(b, s, a))
            return false;
    } else {
        if (s->vals[K_DOMAIN]) {
            d = find_domain(w, s->vals[K_DOMAIN]->text);
            if (!d)
                return ntsec__world_fail(b->c, s->vals[K_DOMAIN]->line,
                            "domain is neither the machine nor a [domain] of this file");
        } else if (s->kind == S_HOST) {
            return ntsec__world_fail(b->c, s->line, "a host needs domain = (the domain it belongs to)");
        }
        a->domain = d->name;
        /* Microsoft docs, "User Account Names": user names at most 20
         * characters, group names 256; computer names 15. */
        switch (s->kind) {
        case S_USER:
            a->kind = NTSEC__W_USER;
            a->use = NTSEC_SID_TYPE_USER;
            if (!valid_name(s->name, len, 20))
                return ntsec__world_fail(b->c, s->line, "not a valid user name (1-20 characters, none of "
                                           "\" / \\ [ ] : ; | = , + * ? < > @)");
            a->name = s->name;
            break;
        case S_GROUP:
            a->kind = NTSEC__W_GROUP;
            /* A machine's local groups are aliases in its SAM; a domain's
             * groups are groups (SID_NAME_USE, Microsoft docs). */
            a->use = d == &w->machine ? NTSEC_SID_TYPE_ALIAS : NTSEC_SID_TYPE_GROUP;
            if (!valid_name(s->name, len, 256))
                return ntsec__world_fail(b->c, s->line, "not a valid group name");
            a->name = s->name;
            break;
        default:
            a->kind = NTSEC__W_HOST;
            a->use = NTSEC_SID_TYPE_COMPUTER;
            if (!valid_name(s->name, len, 15) || strchr(s->name, ' '))
                return ntsec__world_fail(b->c, s->line, "not a valid computer name (1-15 characters)");
            if (d == &w->machine)
                return ntsec__world_fail(b->c, s->vals[K_DOMAIN]->line, "a host belongs to a domain");
            char *n = ntsec__arena_alloc(w->arena, len + 2);
            if (!n) {
                b->c->nomem = true;
                return false;
            }
            memcpy(n, s->name, len);
            n[len] = '$';       /* a computer's account name ends in $ */
            a->name = n;
            break;
        }
        if (!account_sid(b, s, d, &a->sid))
            return false;
    }
    if (s->vals[K_FLAGS] && !each_item(b, s->vals[K_FLAGS], add_flag, &a->flags))
        return false;
    if (s->vals[K_RIGHTS] && !each_item(b, s->vals[K_RIGHTS], add_right, a))
        return false;
    if (s->vals[K_UID]) {
        if (!parse_u32(s->vals[K_UID]->text, UINT32_MAX - 1, &a->uid))
            return ntsec__world_fail(b->c, s->vals[K_UID]->line, "uid is not a number below 4294967295");
        a->has_uid = true;
    }
    if (s->vals[K_GID]) {
        if (!parse_u32(s->vals[K_GID]->text, UINT32_MAX - 1, &a->gid))
            return ntsec__world_fail(b->c, s->vals[K_GID]->line, "gid is not a number below 4294967295");
        a->has_gid = true;
    }
    if (s->vals[K_PASSWORD]) {
        /* Any method libcrypt supports and considers fit (crypt_checksalt
         * says CRYPT_SALT_OK: not a legacy or disabled method). */
        if (crypt_checksalt(s->vals[K_PASSWORD]->text) != CRYPT_SALT_OK)
            return ntsec__world_fail(b->c, s->vals[K_PASSWORD]->line,
                        "password is not a crypt(3) hash libcrypt accepts ($y$, $6$, $2b$...)");
        a->password = s->vals[K_PASSWORD]->text;
    }
    return true;
}

/* What no two accounts may share: a SID, a name in one domain, a uid or
 * gid mapping. */
static bool check_unique(struct build *b, const struct ntsec__waccount *a, size_t upto)
{
    for (size_t i = 0; i < upto; i++) {
        const struct ntsec__waccount *o = &b->w->accounts[i];

        if (ntsec_sid_equal(&o->sid, &a->sid))
            return ntsec__world_fail(b->c, a->line, "another account of this file has the same SID");
        if (ntsec__name_equal(o->name, a->name) && ntsec__name_equal(o->domain, a->domain))
            return ntsec__world_fail(b->c, a->line, "another account of this domain has the same name");
        if (a->has_uid && o->has_uid && a->uid == o->uid)
            return ntsec__world_fail(b->c, a->line, "another account maps the same uid");
        if (a->has_gid && o->has_gid && a->gid == o->gid)
            return ntsec__world_fail(b->c, a->line, "another account maps the same gid");
    }
    return true;
}

static bool build_world(struct build *b)
{
    struct ntsec__world *w = b->w;
    struct section *machine = NULL;
    const char *joined = NULL;
    unsigned joined_line = 0;
    size_t n = 0, i;

    for (struct section *s = b->c->first; s; s = s->next) {
        if (s->kind == S_MACHINE)
            machine = s;
        else if (s->kind != S_DOMAIN)
            n++;
    }
    if (!build_machine(b, machine, &joined, &joined_line) || !build_domains(b))
        return false;
    if (joined) {
        w->joined = find_domain(w, joined);
        if (!w->joined || w->joined == &w->machine)
            return ntsec__world_fail(b->c, joined_line, "domain names no [domain] of this file");
        n++;
    }
    w->accounts = ntsec__arena_alloc(w->arena, (n ? n : 1) * sizeof(*w->accounts));
    if (!w->accounts) {
        b->c->nomem = true;
        return false;
    }
    i = 0;
    for (struct section *s = b->c->first; s; s = s->next) {
        if (s->kind == S_MACHINE || s->kind == S_DOMAIN)
            continue;
        if (!build_account(b, s, &w->accounts[i]) || !check_unique(b, &w->accounts[i], i))
            return false;
        w->account_count = ++i;
    }
    if (joined) {
        /* The machine's own computer account, NAME$ in its domain. */
        struct ntsec__waccount *a = &w->accounts[i];
        size_t len = strlen(w->machine.name);
        char *name = ntsec__arena_alloc(w->arena, len + 2);

        if (!name) {
            b->c->nomem = true;
            return false;
        }
        memcpy(name, w->machine.name, len);
        name[len] = '$';
        a->kind = NTSEC__W_HOST;
        a->self = true;
        a->use = NTSEC_SID_TYPE_COMPUTER;
        a->name = name;
        a->domain = w->joined->name;
        a->line = machine->line;
        uint32_t rid;
        if (!parse_u32(machine->vals[K_RID]->text, UINT32_MAX, &rid) || !rid)
            return ntsec__world_fail(b->c, machine->vals[K_RID]->line,
                        "rid is not a number from 1 to 4294967295");
        a->sid = w->joined->sid;
        a->sid.sub_authority[a->sid.sub_authority_count++] = rid;
        if (machine->vals[K_FLAGS] && !each_item(b, machine->vals[K_FLAGS], add_flag, &a->flags))
            return false;
        if (!check_unique(b, a, i))
            return false;
        w->account_count = ++i;
    }
    /* Memberships last: every name is known by now. */
    i = 0;
    for (struct section *s = b->c->first; s; s = s->next) {
        struct members m = { NULL, 0, 0, NULL };

        if (s->kind == S_MACHINE || s->kind == S_DOMAIN)
            continue;
        m.self = &w->accounts[i];
        if (s->vals[K_GROUPS] && !each_item(b, s->vals[K_GROUPS], add_member, &m))
            return false;
        w->accounts[i].member_of = m.sids;
        w->accounts[i].member_count = m.count;
        i++;
    }
    return true;
}

bool ntsec__world_build(struct ntsec__world_read *c, struct ntsec__world *w)
{
    struct build b = { c, w };

    return build_world(&b);
}
