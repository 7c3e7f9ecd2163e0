/* bench_sddl.c - SDDL and SID string conversion, ntsec side by side with
 * Samba's libsamba-security (the library a Linux file server uses for the
 * same job), loaded with dlopen when the Debian package samba-libs is
 * installed. Both parse and write the same strings in one run. */
#include <dlfcn.h>
#include <stdbool.h>

#include <ntsec/ntsec.h>

#include "bench.h"

#define ALL_INFO (NTSEC_OWNER_SECURITY_INFORMATION | NTSEC_GROUP_SECURITY_INFORMATION | \
                  NTSEC_DACL_SECURITY_INFORMATION | NTSEC_SACL_SECURITY_INFORMATION)

/* A folder as Windows creates one under a user profile, and a short one. */
static const char *const file_sddl =
    "O:BAG:SYD:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICIIO;GA;;;CO)"
    "(A;OICI;0x1200a9;;;BU)(A;CI;LCSW;;;BU)(A;;FA;;;S-1-5-21-1004336348-1177238915-682003330-1001)";
static const char *const short_sddl = "D:(A;;GA;;;WD)";
static const char *const sid_text = "S-1-5-21-1004336348-1177238915-682003330-1001";

struct sddl_case {
    const char *sddl;
    void *sd;
};

static void ntsec_parse(void *arg, long n)
{
    struct sddl_case *c = arg;
    void *sd;
    uint32_t size;

    for (long i = 0; i < n; i++) {
        if (!ntsec_success(ntsec_sddl_to_sd(c->sddl, NULL, 1, &sd, &size, NULL)))
            abort();
        ntsec_mem_free(sd);
    }
}

static void ntsec_format(void *arg, long n)
{
    struct sddl_case *c = arg;
    char *text;

    for (long i = 0; i < n; i++) {
        if (!ntsec_success(ntsec_sd_to_sddl(c->sd, NULL, 1, ALL_INFO, &text, NULL)))
            abort();
        ntsec_mem_free(text);
    }
}

static void ntsec_sid_parse_bench(void *arg, long n)
{
    struct ntsec_sid sid;

    (void)arg;
    for (long i = 0; i < n; i++)
        if (!ntsec_success(ntsec_sid_from_string(sid_text, NULL, &sid)))
            abort();
}

static void ntsec_sid_format_bench(void *arg, long n)
{
    const struct ntsec_sid *sid = arg;
    char buf[NTSEC_SID_STRING_MAX];

    for (long i = 0; i < n; i++)
        if (ntsec_sid_format(sid, buf, sizeof(buf)) == 0)
            abort();
}

/* --- Samba, through its exported functions (4.17 ABI) ----------------- */

struct samba {
    void *(*talloc_named_const)(const void *ctx, size_t size, const char *name);
    int (*talloc_free)(void *ptr, const char *location);
    void *(*sddl_decode)(void *ctx, const char *sddl, const void *domain_sid);
    char *(*sddl_encode)(void *ctx, const void *sd, const void *domain_sid);
    bool (*dom_sid_parse)(const char *text, void *sid);
    char *(*dom_sid_str_buf)(const void *sid, void *buf);   /* struct dom_sid_buf: 190 chars */
    void *sd;
};

static bool samba_load(struct samba *s)
{
    void *talloc = dlopen("libtalloc.so.2", RTLD_NOW);
    void *sec = dlopen("/usr/lib/x86_64-linux-gnu/samba/libsamba-security-samba4.so.0", RTLD_NOW);

    if (!talloc || !sec)
        return false;
    *(void **)&s->talloc_named_const = dlsym(talloc, "talloc_named_const");
    *(void **)&s->talloc_free = dlsym(talloc, "_talloc_free");
    *(void **)&s->sddl_decode = dlsym(sec, "sddl_decode");
    *(void **)&s->sddl_encode = dlsym(sec, "sddl_encode");
    *(void **)&s->dom_sid_parse = dlsym(sec, "dom_sid_parse");
    *(void **)&s->dom_sid_str_buf = dlsym(sec, "dom_sid_str_buf");
    return s->talloc_named_const && s->talloc_free && s->sddl_decode && s->sddl_encode &&
           s->dom_sid_parse && s->dom_sid_str_buf;
}

static struct samba samba;

static void samba_parse(void *arg, long n)
{
    struct sddl_case *c = arg;

    for (long i = 0; i < n; i++) {
        void *sd = samba.sddl_decode(NULL, c->sddl, NULL);
        if (!sd)
            abort();
        samba.talloc_free(sd, __FILE__);
    }
}

static void samba_format(void *arg, long n)
{
    struct sddl_case *c = arg;

    for (long i = 0; i < n; i++) {
        char *text = samba.sddl_encode(NULL, c->sd, NULL);
        if (!text)
            abort();
        samba.talloc_free(text, __FILE__);
    }
}

static void samba_sid_parse(void *arg, long n)
{
    struct ntsec_sid sid;   /* struct dom_sid has the same layout */

    (void)arg;
    for (long i = 0; i < n; i++)
        if (!samba.dom_sid_parse(sid_text, &sid))
            abort();
}

static void samba_sid_format(void *arg, long n)
{
    char buf[256];

    for (long i = 0; i < n; i++)
        if (!samba.dom_sid_str_buf(arg, buf))
            abort();
}

int main(int argc, char **argv)
{
    struct bench_result r[16];
    int n = 0;
    struct sddl_case file = { file_sddl, NULL }, small = { short_sddl, NULL };
    struct ntsec_sid sid;
    uint32_t size;
    bool have_samba = samba_load(&samba);
    const char *json = argc > 1 ? argv[1] : "build/bench-sddl.json";

    if (!ntsec_success(ntsec_sddl_to_sd(file_sddl, NULL, 1, &file.sd, &size, NULL)) ||
        !ntsec_success(ntsec_sddl_to_sd(short_sddl, NULL, 1, &small.sd, &size, NULL)) ||
        !ntsec_success(ntsec_sid_from_string(sid_text, NULL, &sid)))
        return 1;

    r[n++] = bench_run("sddl-parse", "ntsec  file folder SD (6 ACEs)", ntsec_parse, &file);
    r[n++] = bench_run("sddl-parse", "ntsec  D:(A;;GA;;;WD)", ntsec_parse, &small);
    r[n++] = bench_run("sddl-format", "ntsec  file folder SD (6 ACEs)", ntsec_format, &file);
    r[n++] = bench_run("sid", "ntsec  parse S-1-5-21-...-1001", ntsec_sid_parse_bench, NULL);
    r[n++] = bench_run("sid", "ntsec  format S-1-5-21-...-1001", ntsec_sid_format_bench, &sid);
    if (have_samba) {
        struct sddl_case sfile = { file_sddl, samba.sddl_decode(NULL, file_sddl, NULL) };
        r[n++] = bench_run("sddl-parse", "samba  file folder SD (6 ACEs)", samba_parse, &sfile);
        r[n++] = bench_run("sddl-parse", "samba  D:(A;;GA;;;WD)", samba_parse, &small);
        r[n++] = bench_run("sddl-format", "samba  file folder SD (6 ACEs)", samba_format, &sfile);
        r[n++] = bench_run("sid", "samba  parse S-1-5-21-...-1001", samba_sid_parse, NULL);
        r[n++] = bench_run("sid", "samba  format S-1-5-21-...-1001", samba_sid_format, &sid);
        samba.talloc_free(sfile.sd, __FILE__);
    }

    bench_print_header("SDDL and SID strings (median of 31 batches)");
    for (int i = 0; i < n; i++)
        bench_print(&r[i]);
    if (!have_samba)
        printf("(samba-libs not installed: no peer column)\n");
    bench_write_json(json, r, n);
    ntsec_mem_free(file.sd);
    ntsec_mem_free(small.sd);
    return 0;
}
