/* bench_access.c - the access check, ntsec side by side with Samba's
 * se_access_check (libsamba-security, what a Linux file server runs for
 * every open), on the same descriptors and the same SIDs.
 *
 * Cases (issue 4): one allow ACE; eight ACEs with the last matching; a
 * deny hit; MAXIMUM_ALLOWED over two ACEs - each with tokens of 10 and of
 * 300 groups. Also counts libsec allocations during the ntsec runs: the
 * check must allocate nothing. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdbool.h>
#include <stdio.h>

#include <ntsec/ntsec.h>

#include "bench.h"
#include "bench_count.h"         /* every allocation in the process: the ntsec check must make none */

static const struct ntsec_generic_mapping file_mapping = { 0x120089, 0x120116, 0x1200a0, 0x1f01ff };

struct access_case {
    const char *name;
    const char *sddl;
    uint32_t desired;
    bool expect_granted;
};

/* Masks are written in hex: Samba 4.17 reads the SDDL letters "FA" as
 * less than FILE_ALL_ACCESS, and both sides must see the same DACL.
 * The token's user is S-1-5-21-1-2-3-1001; its groups are S-1-5-21-1-2-3-2000+i,
 * then Everyone and Users. The DACLs name groups the token may or may not
 * hold. */
static const struct access_case cases[] = {
    { "1 allow ACE, hit", "O:BAG:SYD:(A;;0x1f01ff;;;WD)", 0x120089, true },
    { "8 ACEs, last matches",
      "O:BAG:SYD:(A;;0x1f01ff;;;S-1-5-21-9-9-9-1)(A;;0x1f01ff;;;S-1-5-21-9-9-9-2)(A;;0x1f01ff;;;S-1-5-21-9-9-9-3)"
      "(A;;0x1f01ff;;;S-1-5-21-9-9-9-4)(A;;0x1f01ff;;;S-1-5-21-9-9-9-5)(A;;0x1f01ff;;;S-1-5-21-9-9-9-6)"
      "(A;;0x1f01ff;;;S-1-5-21-9-9-9-7)(A;;0x120089;;;BU)", 0x120089, true },
    { "deny hit", "O:BAG:SYD:(D;;0x1f01ff;;;WD)(A;;0x1f01ff;;;WD)", 0x120089, false },
    { "MAXIMUM_ALLOWED over 2 ACEs", "O:BAG:SYD:(A;;0x120089;;;BU)(A;;0x120116;;;S-1-5-21-1-2-3-2003)",
      NTSEC_MAXIMUM_ALLOWED, true },
};
#define CASE_COUNT (sizeof(cases) / sizeof(cases[0]))

struct ntsec_run {
    struct ntsec_access_request req;
    bool expect_granted;
};

static void ntsec_check_loop(void *arg, long n)
{
    struct ntsec_run *r = arg;
    struct ntsec_access_result res;

    for (long i = 0; i < n; i++) {
        res.granted_list = NULL;
        res.status_list = NULL;
        if (!ntsec_success(ntsec_access_check(&r->req, &res)) ||
            (res.status == NTSEC_STATUS_SUCCESS) != r->expect_granted)
            abort();
    }
}

static struct ntsec_token *make_token(unsigned groups, struct ntsec_sid *sids,
                                      struct ntsec_sid_and_attributes *attrs)
{
    static const uint32_t user_subs[] = { 21, 1, 2, 3, 1001 };
    struct ntsec_sid user;
    struct ntsec_token_desc d = { 0 };
    struct ntsec_token *t;
    unsigned n = 0;

    ntsec_sid_init(&user, 5, 5, user_subs);
    for (unsigned i = 0; i + 2 < groups; i++, n++) {
        uint32_t subs[] = { 21, 1, 2, 3, 2000 + i };
        ntsec_sid_init(&sids[n], 5, 5, subs);
    }
    ntsec_sid_from_string("WD", NULL, &sids[n++]);
    ntsec_sid_from_string("BU", NULL, &sids[n++]);
    for (unsigned i = 0; i < n; i++) {
        attrs[i].sid = &sids[i];
        attrs[i].attributes = NTSEC_SE_GROUP_MANDATORY | NTSEC_SE_GROUP_ENABLED |
                              NTSEC_SE_GROUP_ENABLED_BY_DEFAULT;
    }
    d.type = NTSEC_TOKEN_IMPERSONATION;
    d.level = NTSEC_SECURITY_IMPERSONATION;
    d.user.sid = &user;
    d.groups = attrs;
    d.group_count = n;
    if (!ntsec_success(ntsec_token_create(&d, &t)))
        abort();
    return t;
}

/* --- Samba 4.17 through its exported functions ------------------------- */

struct samba_token {        /* struct security_token (Samba 4.17) */
    uint32_t num_sids;
    struct ntsec_sid *sids; /* struct dom_sid has the same layout */
    uint64_t privilege_mask;
    uint32_t rights_mask;
};

struct samba {
    void *(*sddl_decode)(void *ctx, const char *sddl, const void *domain_sid);
    uint32_t (*se_access_check)(const void *sd, const struct samba_token *token,
                                uint32_t desired, uint32_t *granted);
    int (*talloc_free)(void *ptr, const char *location);
};

static struct samba samba;

static bool samba_load(void)
{
    void *talloc = dlopen("libtalloc.so.2", RTLD_NOW);
    void *sec = dlopen("/usr/lib/x86_64-linux-gnu/samba/libsamba-security-samba4.so.0", RTLD_NOW);

    if (!talloc || !sec)
        return false;
    *(void **)&samba.sddl_decode = dlsym(sec, "sddl_decode");
    *(void **)&samba.se_access_check = dlsym(sec, "se_access_check");
    *(void **)&samba.talloc_free = dlsym(talloc, "_talloc_free");
    return samba.sddl_decode && samba.se_access_check && samba.talloc_free;
}

struct samba_run {
    void *sd;
    struct samba_token token;
    uint32_t desired;
    bool expect_granted;
};

static void samba_check_loop(void *arg, long n)
{
    struct samba_run *r = arg;
    uint32_t granted;

    for (long i = 0; i < n; i++)
        if ((samba.se_access_check(r->sd, &r->token, r->desired, &granted) == 0) != r->expect_granted)
            abort();
}

int main(int argc, char **argv)
{
    static struct ntsec_sid sids[2][300];
    static struct ntsec_sid_and_attributes attrs[2][300];
    static struct ntsec_sid samba_sids[2][301];
    static const unsigned group_counts[2] = { 10, 300 };
    struct bench_result r[32];
    char label[96];
    int n = 0;
    bool have_samba = samba_load();
    const char *json = argc > 1 ? argv[1] : "build/bench_access.json";

    for (int g = 0; g < 2; g++) {
        struct ntsec_token *token = make_token(group_counts[g], sids[g], attrs[g]);
        uint32_t user_subs[] = { 21, 1, 2, 3, 1001 };

        /* Samba's token: the user first, then the same groups. */
        ntsec_sid_init(&samba_sids[g][0], 5, 5, user_subs);
        for (unsigned i = 0; i < group_counts[g]; i++)
            samba_sids[g][i + 1] = sids[g][i];

        for (size_t c = 0; c < CASE_COUNT; c++) {
            struct ntsec_run run = { { 0 }, cases[c].expect_granted };
            long before;
            uint32_t size;
            void *sd;

            if (!ntsec_success(ntsec_sddl_to_sd(cases[c].sddl, NULL, 1, &sd, &size, NULL)))
                abort();
            run.req.sd = sd;
            run.req.token = token;
            run.req.desired = cases[c].desired;
            run.req.mapping = &file_mapping;
            snprintf(label, sizeof(label), "ntsec  %s, %u groups", cases[c].name, group_counts[g]);
            before = atomic_load(&bench_allocations);
            ntsec_check_loop(&run, 1000);
            if (atomic_load(&bench_allocations) != before) {
                fprintf(stderr, "bench_access: the check allocated (%ld times in 1000 checks)\n",
                        atomic_load(&bench_allocations) - before);
                return 1;
            }
            r[n] = bench_run("access-check", label, ntsec_check_loop, &run);
            r[n].name = strdup(label);
            n++;
            ntsec_mem_free(sd);

            if (have_samba) {
                struct samba_run sr = { samba.sddl_decode(NULL, cases[c].sddl, NULL),
                                        { group_counts[g] + 1, samba_sids[g], 0, 0 },
                                        cases[c].desired, cases[c].expect_granted };
                if (!sr.sd)
                    abort();
                snprintf(label, sizeof(label), "samba  %s, %u groups", cases[c].name, group_counts[g]);
                r[n] = bench_run("access-check", label, samba_check_loop, &sr);
                r[n].name = strdup(label);
                n++;
                samba.talloc_free(sr.sd, __FILE__);
            }
        }
        ntsec_token_put(token);
    }

    bench_print_header("Access check (median of 31 batches)");
    for (int i = 0; i < n; i++)
        bench_print(&r[i]);
    if (!have_samba)
        printf("(samba-libs not installed: no peer rows)\n");
    printf("allocations made by ntsec access checks: 0 (checked over 1000 checks per case)\n");
    bench_write_json(json, r, n);
    for (int i = 0; i < n; i++)
        free((char *)r[i].name);
    return 0;
}
