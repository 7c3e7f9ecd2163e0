/* access_fixtures.h - tokens, descriptors and checks for the access-check
 * suites (test_access*.c): a token is described by SID strings and a few
 * options, a descriptor by SDDL, and one call runs the check. */
#ifndef NTSEC_TESTS_ACCESS_FIXTURES_H
#define NTSEC_TESTS_ACCESS_FIXTURES_H

#include <stdlib.h>
#include <string.h>

#include "ntsec/ntsec.h"
#include "testutil.h"

#define USER_SID "S-1-5-21-1-2-3-1001"
#define MAX_FIX_SIDS 400

/* FILE_GENERIC_* (winnt.h): the mapping of file objects. */
static const struct ntsec_generic_mapping file_mapping = { 0x120089, 0x120116, 0x1200A0, 0x1F01FF };
/* KEY_READ, KEY_WRITE, KEY_EXECUTE, KEY_ALL_ACCESS: the mapping Wine's
 * test_AccessCheck uses. */
static const struct ntsec_generic_mapping key_mapping = { 0x20019, 0x20006, 0x20019, 0xF003F };

struct fix_group {
    const char *sid;
    uint32_t attributes;        /* 0: SE_GROUP_ENABLED | ENABLED_BY_DEFAULT | MANDATORY */
};

struct fix_token {
    const struct fix_group *groups;     /* NULL-terminated by sid */
    const enum ntsec_privilege *privileges;  /* enabled; 0-terminated */
    const char *restricted[8];          /* restricted SIDs (enabled), NULL-terminated */
    bool write_restricted;
    uint32_t integrity;                 /* label RID; 0: Medium */
    bool no_label;                      /* no label at all: Untrusted */
    uint32_t policy;                    /* 0: NO_WRITE_UP | NEW_PROCESS_MIN */
    bool policy_off;                    /* mandatory policy OFF */
    enum ntsec_token_type type;         /* 0: impersonation */
    enum ntsec_impersonation_level level; /* for impersonation: 0 means Impersonation */
    bool level_set;                     /* use `level` as given (Anonymous) */
    uint32_t user_attributes;
    const char *owner;
};

static struct ntsec_sid *fix_sid(const char *text)
{
    static struct ntsec_sid pool[MAX_FIX_SIDS * 2];
    static unsigned next;
    struct ntsec_sid *s = &pool[next++ % (MAX_FIX_SIDS * 2)];

    CU_ASSERT_FATAL(ntsec_success(ntsec_sid_from_string(text, NULL, s)));
    return s;
}

static struct ntsec_token *fix_token(const struct fix_token *f)
{
    static struct ntsec_sid_and_attributes groups[MAX_FIX_SIDS + 1];
    struct ntsec_sid_and_attributes restricted[8];
    struct ntsec_luid_and_attributes privs[40];
    struct ntsec_token_desc d;
    struct ntsec_token *t = NULL;
    size_t n = 0, r = 0, p = 0;
    struct ntsec_sid label;

    memset(&d, 0, sizeof d);
    d.type = f->type ? f->type : NTSEC_TOKEN_IMPERSONATION;
    d.level = f->level_set ? f->level
              : f->level ? f->level : NTSEC_SECURITY_IMPERSONATION;
    d.user.sid = fix_sid(USER_SID);
    d.user.attributes = f->user_attributes;
    for (const struct fix_group *g = f->groups; g && g->sid; g++, n++) {
        groups[n].sid = fix_sid(g->sid);
        groups[n].attributes = g->attributes ? g->attributes
                                             : NTSEC_SE_GROUP_ENABLED |
                                                   NTSEC_SE_GROUP_ENABLED_BY_DEFAULT |
                                                   NTSEC_SE_GROUP_MANDATORY;
    }
    if (!f->no_label) {
        uint32_t rid = f->integrity ? f->integrity : NTSEC_MANDATORY_MEDIUM;

        ntsec_sid_init(&label, 16, 1, &rid);
        groups[n].sid = &label;
        groups[n++].attributes = NTSEC_SE_GROUP_INTEGRITY | NTSEC_SE_GROUP_INTEGRITY_ENABLED;
    }
    d.groups = groups;
    d.group_count = n;
    for (const enum ntsec_privilege *pv = f->privileges; pv && *pv; pv++, p++) {
        privs[p].luid = ntsec_privilege_luid(*pv);
        privs[p].attributes = NTSEC_SE_PRIVILEGE_ENABLED;
    }
    d.privileges = privs;
    d.privilege_count = p;
    for (; r < 8 && f->restricted[r]; r++) {
        restricted[r].sid = fix_sid(f->restricted[r]);
        restricted[r].attributes = NTSEC_SE_GROUP_ENABLED | NTSEC_SE_GROUP_ENABLED_BY_DEFAULT |
                                   NTSEC_SE_GROUP_MANDATORY;
    }
    d.restricted_sids = restricted;
    d.restricted_count = r;
    d.write_restricted = f->write_restricted;
    d.mandatory_policy = f->policy ? f->policy : NTSEC_TOKEN_MANDATORY_POLICY_NO_WRITE_UP;
    if (f->owner)
        d.owner = fix_sid(f->owner);
    CU_ASSERT_FATAL(ntsec_success(ntsec_token_create(&d, &t)));
    if (f->policy_off) {
        /* A description's 0 means the default policy: switch it off as
         * SetTokenInformation(TokenMandatoryPolicy) would, from kernel mode. */
        uint32_t off = NTSEC_TOKEN_MANDATORY_POLICY_OFF;

        CU_ASSERT_FATAL(ntsec_success(ntsec_token_set(t, NTSEC_TOKEN_MANDATORY_POLICY, &off,
                                                      sizeof off, NULL)));
    }
    return t;
}

static void *fix_sd(const char *sddl)
{
    void *sd = NULL;
    uint32_t size = 0;
    ntsec_status st = ntsec_sddl_to_sd(sddl, NULL, NTSEC_SDDL_REVISION_1, &sd, &size, NULL);

    if (!ntsec_success(st))
        fprintf(stderr, "bad SDDL in test: %s\n", sddl);
    CU_ASSERT_FATAL(ntsec_success(st));
    return sd;
}

/* Run NtAccessCheck-style (the request's flags as given) and return the
 * call's status; *res receives the decision. */
static ntsec_status fix_check_ex(const struct ntsec_token *t, const void *sd, uint32_t desired,
                                 uint32_t flags, const struct ntsec_generic_mapping *m,
                                 struct ntsec_access_result *res)
{
    /* A subject context impersonating at its token's own level. */
    struct ntsec_access_request rq = {
        .sd = sd, .token = t, .desired = desired, .mapping = m, .flags = flags,
        .client_level = t && ntsec_token_type(t) == NTSEC_TOKEN_IMPERSONATION ? ntsec_token_level(t)
                                                                            : NTSEC_SECURITY_DELEGATION,
    };

    memset(res, 0, sizeof *res);
    return ntsec_access_check(&rq, res);
}

/* The common case: a valid call; returns the granted mask, *status the
 * access status. */
static uint32_t fix_check(const struct ntsec_token *t, const char *sddl, uint32_t desired,
                          ntsec_status *status)
{
    struct ntsec_access_result res;
    void *sd = fix_sd(sddl);
    ntsec_status st = fix_check_ex(t, sd, desired, 0, &file_mapping, &res);

    CU_ASSERT_EQUAL(st, NTSEC_STATUS_SUCCESS);
    ntsec_mem_free(sd);
    if (status)
        *status = res.status;
    return res.granted;
}

/* A medium-integrity token with Users and Everyone, no privileges. */
static const struct fix_group fix_plain_groups[] = {
    { "S-1-1-0", 0 }, { "S-1-5-32-545", 0 }, { "S-1-5-11", 0 }, { NULL, 0 },
};

static struct ntsec_token *fix_plain(void)
{
    struct fix_token f = { .groups = fix_plain_groups };

    return fix_token(&f);
}

#endif
