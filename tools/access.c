/* access.c - `ntsec access check`: build a token from the command line,
 * run the access check on a descriptor and print the decision, and with
 * --explain every step of it in words. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ntsec/ntsec.h>

#include "cli.h"

#define MAX_SIDS 512

/* FILE_GENERIC_* (winnt.h): the mapping used unless --mapping says else. */
static const struct ntsec_generic_mapping file_mapping = { 0x120089, 0x120116, 0x1200a0, 0x1f01ff };
static const struct ntsec_generic_mapping key_mapping = { 0x20019, 0x20006, 0x20019, 0xf003f };

struct integrity_name {
    const char *name;
    uint32_t rid;
};

static const struct integrity_name integrity_names[] = {
    { "untrusted", NTSEC_MANDATORY_UNTRUSTED }, { "low", NTSEC_MANDATORY_LOW },
    { "medium", NTSEC_MANDATORY_MEDIUM },       { "medium-plus", NTSEC_MANDATORY_MEDIUM_PLUS },
    { "high", NTSEC_MANDATORY_HIGH },           { "system", NTSEC_MANDATORY_SYSTEM },
    { "protected", NTSEC_MANDATORY_PROTECTED },
};

struct attribute_name {
    const char *name;
    uint32_t bits;
};

/* --group SID:ATTR,ATTR - what each word sets (SE_GROUP_*). */
static const struct attribute_name group_attributes[] = {
    { "enabled", NTSEC_SE_GROUP_ENABLED | NTSEC_SE_GROUP_ENABLED_BY_DEFAULT },
    { "disabled", 0 },
    { "mandatory", NTSEC_SE_GROUP_MANDATORY | NTSEC_SE_GROUP_ENABLED | NTSEC_SE_GROUP_ENABLED_BY_DEFAULT },
    { "deny-only", NTSEC_SE_GROUP_USE_FOR_DENY_ONLY },
    { "owner", NTSEC_SE_GROUP_OWNER },
    { "logon-id", NTSEC_SE_GROUP_LOGON_ID },
    { "resource", NTSEC_SE_GROUP_RESOURCE },
};

struct check_options {
    const char *sd_text;
    const char *desired_text;
    struct ntsec_sid user;
    struct ntsec_sid groups[MAX_SIDS];
    struct ntsec_sid_and_attributes group_attrs[MAX_SIDS];
    size_t group_count;
    struct ntsec_sid restricted[MAX_SIDS];
    struct ntsec_sid_and_attributes restricted_attrs[MAX_SIDS];
    size_t restricted_count;
    struct ntsec_luid_and_attributes privileges[NTSEC_SE_MAX_PRIVILEGE + 1];
    size_t privilege_count;
    const struct ntsec_generic_mapping *mapping;
    const char *as_user;
    bool explain;
    bool write_restricted;
};

static int fail(const char *what, const char *arg)
{
    fprintf(stderr, "ntsec access check: %s '%s'\n", what, arg);
    return 2;
}

static int parse_group(struct check_options *o, const char *arg)
{
    char sid_text[256], *colon;
    uint32_t attrs = NTSEC_SE_GROUP_MANDATORY | NTSEC_SE_GROUP_ENABLED |
                     NTSEC_SE_GROUP_ENABLED_BY_DEFAULT;

    if (o->group_count >= MAX_SIDS - 1 || strlen(arg) >= sizeof(sid_text))
        return fail("too many or too long", arg);
    strcpy(sid_text, arg);
    colon = strchr(sid_text, ':');
    if (colon) {
        *colon++ = 0;
        attrs = 0;
        for (char *w = strtok(colon, ","); w; w = strtok(NULL, ",")) {
            size_t i;
            for (i = 0; i < sizeof(group_attributes) / sizeof(group_attributes[0]); i++)
                if (!strcasecmp(w, group_attributes[i].name))
                    break;
            if (i == sizeof(group_attributes) / sizeof(group_attributes[0]))
                return fail("unknown group attribute", w);
            attrs |= group_attributes[i].bits;
        }
    }
    if (!ntsec_success(ntsec_sid_from_string(sid_text, NULL, &o->groups[o->group_count])))
        return fail("not a SID", sid_text);
    o->group_attrs[o->group_count].sid = &o->groups[o->group_count];
    o->group_attrs[o->group_count].attributes = attrs;
    o->group_count++;
    return 0;
}

static int parse_privilege(struct check_options *o, const char *arg)
{
    char name[128], *colon;
    struct ntsec_luid luid;
    uint32_t attrs = 0;

    if (strlen(arg) >= sizeof(name) || o->privilege_count > NTSEC_SE_MAX_PRIVILEGE)
        return fail("too long", arg);
    strcpy(name, arg);
    colon = strchr(name, ':');
    if (colon) {
        *colon++ = 0;
        if (strcasecmp(colon, "enabled"))
            return fail("privilege state must be 'enabled'", colon);
        attrs = NTSEC_SE_PRIVILEGE_ENABLED | NTSEC_SE_PRIVILEGE_ENABLED_BY_DEFAULT;
    }
    if (!ntsec_success(ntsec_privilege_lookup(name, &luid)))
        return fail("unknown privilege", name);
    o->privileges[o->privilege_count].luid = luid;
    o->privileges[o->privilege_count].attributes = attrs;
    o->privilege_count++;
    return 0;
}

static int parse_integrity(struct check_options *o, const char *arg)
{
    uint32_t rid;
    char *end;
    size_t i;

    for (i = 0; i < sizeof(integrity_names) / sizeof(integrity_names[0]); i++)
        if (!strcasecmp(arg, integrity_names[i].name))
            break;
    if (i < sizeof(integrity_names) / sizeof(integrity_names[0])) {
        rid = integrity_names[i].rid;
    } else {
        rid = (uint32_t)strtoul(arg, &end, 0);
        if (*end || !*arg)
            return fail("unknown integrity level", arg);
    }
    if (o->group_count >= MAX_SIDS - 1)
        return fail("too many groups with", arg);
    ntsec_sid_init(&o->groups[o->group_count], 16, 1, &rid);
    o->group_attrs[o->group_count].sid = &o->groups[o->group_count];
    o->group_attrs[o->group_count].attributes = NTSEC_SE_GROUP_INTEGRITY | NTSEC_SE_GROUP_INTEGRITY_ENABLED;
    o->group_count++;
    return 0;
}

static int parse_restricted(struct check_options *o, const char *arg)
{
    if (o->restricted_count >= MAX_SIDS)
        return fail("too many restricted SIDs with", arg);
    if (!ntsec_success(ntsec_sid_from_string(arg, NULL, &o->restricted[o->restricted_count])))
        return fail("not a SID", arg);
    o->restricted_attrs[o->restricted_count].sid = &o->restricted[o->restricted_count];
    o->restricted_attrs[o->restricted_count].attributes =
        NTSEC_SE_GROUP_MANDATORY | NTSEC_SE_GROUP_ENABLED | NTSEC_SE_GROUP_ENABLED_BY_DEFAULT;
    o->restricted_count++;
    return 0;
}

static void print_step(void *ctx, const struct ntsec_access_step *step)
{
    char line[1024];

    (void)ctx;
    ntsec_access_step_describe(step, NULL, line, sizeof(line));
    printf("  - %s\n", line);
}

static void print_mask(const char *label, uint32_t mask)
{
    char names[1024];

    ntsec_access_mask_describe(mask, names, sizeof(names));
    printf("%s 0x%08x (%s)\n", label, mask, names);
}

/* The token the check runs with: a world account's interactive logon
 * token with --as (duplicated to Impersonation level, as a server holds a
 * client's token), else the one the options describe. */
static ntsec_status make_token(const struct check_options *o, struct ntsec_token **out)
{
    struct ntsec_token_desc desc = { 0 };
    struct ntsec_token_dup dup = { NTSEC_TOKEN_IMPERSONATION, NTSEC_SECURITY_IMPERSONATION, false };
    struct ntsec_token *primary;
    ntsec_status st;

    if (o->as_user) {
        st = ntsec_logon_token(o->as_user, NULL, NTSEC_LOGON_INTERACTIVE, &primary);
        if (!ntsec_success(st))
            return st;
        st = ntsec_token_duplicate(primary, &dup, out);
        ntsec_token_put(primary);
        return st;
    }
    desc.type = NTSEC_TOKEN_IMPERSONATION;
    desc.level = NTSEC_SECURITY_IMPERSONATION;
    desc.user.sid = &o->user;
    desc.groups = o->group_attrs;
    desc.group_count = o->group_count;
    desc.privileges = o->privileges;
    desc.privilege_count = o->privilege_count;
    desc.restricted_sids = o->restricted_attrs;
    desc.restricted_count = o->restricted_count;
    desc.write_restricted = o->write_restricted;
    desc.mandatory_policy = NTSEC_TOKEN_MANDATORY_POLICY_NO_WRITE_UP;
    memcpy(desc.source.name, "ntsec", 6);
    return ntsec_token_create(&desc, out);
}

static int run_check(struct check_options *o)
{
    struct ntsec_sddl_error err = { 0, NULL };
    struct ntsec_access_request req = { 0 };
    struct ntsec_access_result res = { 0 };
    struct ntsec_access_trace trace = { print_step, NULL };
    struct ntsec_token *token;
    uint32_t desired, size;
    void *sd;
    ntsec_status st;

    if (!ntsec_success(ntsec_access_mask_parse(o->desired_text, &desired)))
        return fail("unknown access mask", o->desired_text);
    st = ntsec_sddl_to_sd(o->sd_text, NULL, NTSEC_SDDL_REVISION_1, &sd, &size, &err);
    if (!ntsec_success(st)) {
        fprintf(stderr, "ntsec access check: --sd rejected: %s at offset %zu: %s\n",
                ntsec_status_name(st) ? ntsec_status_name(st) : "error", err.offset,
                err.reason ? err.reason : "");
        return 2;
    }
    st = make_token(o, &token);
    if (!ntsec_success(st)) {
        ntsec_mem_free(sd);
        fprintf(stderr, "ntsec access check: cannot build the token: %s\n",
                ntsec_status_name(st) ? ntsec_status_name(st) : "error");
        return 2;
    }
    req.sd = sd;
    req.token = token;
    req.desired = desired;
    req.mapping = o->mapping;
    req.flags = NTSEC_ACCESS_NEED_IMPERSONATION | NTSEC_ACCESS_REJECT_GENERIC;
    if (o->explain) {
        printf("steps:\n");
        req.trace = &trace;
    }
    /* AccessCheck's callers map generic rights first (MapGenericMask);
     * a tool user writing GENERIC_READ means the same. */
    req.desired = ntsec_access_map_generic(desired, o->mapping);
    st = ntsec_access_check(&req, &res);
    ntsec_token_put(token);
    ntsec_mem_free(sd);
    if (!ntsec_success(st)) {
        printf("status: %s (the check itself failed)\n", ntsec_status_name(st) ? ntsec_status_name(st) : "?");
        return 1;
    }
    print_mask("desired:", req.desired);
    print_mask("granted:", res.granted);
    printf("status:  %s\n", ntsec_status_name(res.status) ? ntsec_status_name(res.status) : "?");
    return res.status == NTSEC_STATUS_SUCCESS ? 0 : 1;
}

static int access_usage(void)
{
    fprintf(stderr,
            "usage: ntsec access check --sd SDDL --desired MASK|NAMES [--as USER | --user SID]\n"
            "           [--group SID[:enabled,disabled,mandatory,deny-only,owner,logon-id]]...\n"
            "           [--priv NAME[:enabled]]... [--integrity LEVEL] [--restricted SID]...\n"
            "           [--write-restricted] [--mapping file|key] [--explain]\n"
            "Without --integrity the token is at Medium integrity.\n");
    return 2;
}

int cli_access(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "sd", required_argument, NULL, 's' },        { "desired", required_argument, NULL, 'd' },
        { "user", required_argument, NULL, 'u' },      { "group", required_argument, NULL, 'g' },
        { "priv", required_argument, NULL, 'p' },      { "integrity", required_argument, NULL, 'i' },
        { "restricted", required_argument, NULL, 'r' }, { "write-restricted", no_argument, NULL, 'w' },
        { "mapping", required_argument, NULL, 'm' },   { "explain", no_argument, NULL, 'e' },
        { "as", required_argument, NULL, 'a' },
        { NULL, 0, NULL, 0 },
    };
    struct check_options *o;
    bool integrity_given = false;
    int c, rc = 0;

    if (argc < 2 || strcmp(argv[1], "check"))
        return access_usage();
    o = calloc(1, sizeof(*o));
    if (!o)
        return 2;
    o->mapping = &file_mapping;
    /* A domain user unless --user says otherwise. */
    ntsec_sid_from_string("S-1-5-21-1004336348-1177238915-682003330-1001", NULL, &o->user);
    optind = 2;
    while (rc == 0 && (c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 's': o->sd_text = optarg; break;
        case 'd': o->desired_text = optarg; break;
        case 'u':
            if (!ntsec_success(ntsec_sid_from_string(optarg, NULL, &o->user)))
                rc = fail("not a SID", optarg);
            break;
        case 'g': rc = parse_group(o, optarg); break;
        case 'p': rc = parse_privilege(o, optarg); break;
        case 'i': rc = parse_integrity(o, optarg); integrity_given = true; break;
        case 'r': rc = parse_restricted(o, optarg); break;
        case 'w': o->write_restricted = true; break;
        case 'm':
            if (!strcmp(optarg, "file"))
                o->mapping = &file_mapping;
            else if (!strcmp(optarg, "key"))
                o->mapping = &key_mapping;
            else
                rc = fail("unknown mapping", optarg);
            break;
        case 'e': o->explain = true; break;
        case 'a': o->as_user = optarg; break;
        default: rc = access_usage(); break;
        }
    }
    if (rc == 0 && (!o->sd_text || !o->desired_text || optind != argc))
        rc = access_usage();
    /* A user's token is at Medium integrity unless told otherwise, as an
     * interactive logon's is ("Mandatory Integrity Control", Microsoft docs). */
    if (rc == 0 && o->as_user && (o->group_count || o->privilege_count || o->restricted_count ||
                                  integrity_given))
        rc = fail("--as takes the account's own token; it does not mix with",
                  "--group/--priv/--integrity/--restricted");
    if (rc == 0 && !integrity_given && !o->as_user)
        rc = parse_integrity(o, "medium");
    if (rc == 0)
        rc = run_check(o);
    free(o);
    return rc;
}
