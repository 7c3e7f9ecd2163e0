/* sddl.c - `ntsec sddl encode|decode|explain`: SDDL to binary descriptors
 * and back, one line out per input, and descriptors explained in words.
 *
 * Contract (issue 3): encode prints the self-relative SD as lowercase hex;
 * decode prints canonical SDDL; a rejected input prints one line starting
 * with "error:", the status name and where it failed. Exit 0 when every
 * input converted, 1 otherwise, 2 for a usage error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ntsec/ntsec.h>

#include "cli.h"

/* Everything a descriptor can say in SDDL. */
#define ALL_INFO (NTSEC_OWNER_SECURITY_INFORMATION | NTSEC_GROUP_SECURITY_INFORMATION | \
                  NTSEC_DACL_SECURITY_INFORMATION | NTSEC_SACL_SECURITY_INFORMATION)

struct sddl_options {
    struct ntsec_sid domain;
    const struct ntsec_sid *domain_or_null;
};

typedef int (*line_fn)(const char *item, const struct sddl_options *opt, FILE *out);

static void print_status_error(FILE *out, ntsec_status st, const char *where)
{
    const char *name = ntsec_status_name(st);

    if (name)
        fprintf(out, "error: %s%s\n", name, where);
    else
        fprintf(out, "error: STATUS_0x%08X%s\n", (unsigned)st, where);
}

static int encode_one(const char *sddl, const struct sddl_options *opt, FILE *out)
{
    struct ntsec_sddl_error err = { 0, NULL };
    void *sd;
    uint32_t size;
    ntsec_status st;
    char where[160];

    st = ntsec_sddl_to_sd(sddl, opt->domain_or_null, NTSEC_SDDL_REVISION_1, &sd, &size, &err);
    if (!ntsec_success(st)) {
        snprintf(where, sizeof(where), " at offset %zu: %s", err.offset,
                 err.reason ? err.reason : "rejected");
        print_status_error(out, st, where);
        return 1;
    }
    for (uint32_t i = 0; i < size; i++)
        fprintf(out, "%02x", ((const unsigned char *)sd)[i]);
    fputc('\n', out);
    ntsec_mem_free(sd);
    return 0;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Hex text to bytes; on failure *bad is the offending offset. */
static unsigned char *hex_decode(const char *hex, size_t *len, size_t *bad)
{
    size_t n = strlen(hex);
    unsigned char *bytes;

    if (n == 0 || n % 2) {
        *bad = n;
        return NULL;
    }
    bytes = malloc(n / 2);
    if (!bytes) {
        *bad = 0;
        return NULL;
    }
    for (size_t i = 0; i < n; i += 2) {
        int hi = hex_value(hex[i]), lo = hex_value(hex[i + 1]);
        if (hi < 0 || lo < 0) {
            *bad = hi < 0 ? i : i + 1;
            free(bytes);
            return NULL;
        }
        bytes[i / 2] = (unsigned char)(hi << 4 | lo);
    }
    *len = n / 2;
    return bytes;
}

static int decode_one(const char *hex, const struct sddl_options *opt, FILE *out)
{
    unsigned char *bytes;
    size_t len, bad;
    char *sddl, where[96];
    ntsec_status st;

    bytes = hex_decode(hex, &len, &bad);
    if (!bytes) {
        snprintf(where, sizeof(where), " at offset %zu: not an even number of hex digits", bad);
        print_status_error(out, NTSEC_STATUS_INVALID_PARAMETER, where);
        return 1;
    }
    /* A descriptor from outside is checked whole before it is read, as
     * RtlValidRelativeSecurityDescriptor does for a caller's buffer. */
    if (!ntsec_sd_relative_is_valid(bytes, len, 0)) {
        print_status_error(out, NTSEC_STATUS_INVALID_SECURITY_DESCR,
                           " at offset 0: not a valid self-relative security descriptor");
        free(bytes);
        return 1;
    }
    st = ntsec_sd_to_sddl(bytes, opt->domain_or_null, NTSEC_SDDL_REVISION_1, ALL_INFO, &sddl, NULL);
    free(bytes);
    if (!ntsec_success(st)) {
        print_status_error(out, st, " at offset 0: cannot be written as SDDL");
        return 1;
    }
    fprintf(out, "%s\n", sddl);
    ntsec_mem_free(sddl);
    return 0;
}

static int explain_one(const char *sddl, const struct sddl_options *opt, FILE *out)
{
    struct ntsec_sddl_error err = { 0, NULL };
    void *sd;
    uint32_t size;
    char *text, where[160];
    ntsec_status st;

    st = ntsec_sddl_to_sd(sddl, opt->domain_or_null, NTSEC_SDDL_REVISION_1, &sd, &size, &err);
    if (!ntsec_success(st)) {
        snprintf(where, sizeof(where), " at offset %zu: %s", err.offset,
                 err.reason ? err.reason : "rejected");
        print_status_error(out, st, where);
        return 1;
    }
    st = ntsec_sd_explain(sd, opt->domain_or_null, &text);
    ntsec_mem_free(sd);
    if (!ntsec_success(st)) {
        print_status_error(out, st, "");
        return 1;
    }
    fputs(text, out);
    ntsec_mem_free(text);
    return 0;
}

/* One item per stdin line, without its line end. */
static int run_stdin(line_fn fn, const struct sddl_options *opt)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int rc = 0;

    while ((n = getline(&line, &cap, stdin)) >= 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = 0;
        rc |= fn(line, opt, stdout);
    }
    free(line);
    return rc;
}

static int sddl_usage(void)
{
    fprintf(stderr,
            "usage: ntsec sddl encode [--domain-sid SID] (SDDL... | -)\n"
            "       ntsec sddl decode [--domain-sid SID] (HEX... | -)\n"
            "       ntsec sddl explain [--domain-sid SID] SDDL\n");
    return 2;
}

int cli_sddl(int argc, char **argv)
{
    struct sddl_options opt = { .domain_or_null = NULL };
    line_fn fn;
    int i = 2, rc = 0;

    if (argc < 2)
        return sddl_usage();
    if (!strcmp(argv[1], "encode"))
        fn = encode_one;
    else if (!strcmp(argv[1], "decode"))
        fn = decode_one;
    else if (!strcmp(argv[1], "explain"))
        fn = explain_one;
    else
        return sddl_usage();

    if (i < argc && !strcmp(argv[i], "--domain-sid")) {
        if (i + 1 >= argc)
            return sddl_usage();
        if (!ntsec_success(ntsec_sid_from_string(argv[i + 1], NULL, &opt.domain))) {
            fprintf(stderr, "ntsec: --domain-sid: '%s' is not a SID\n", argv[i + 1]);
            return 2;
        }
        opt.domain_or_null = &opt.domain;
        i += 2;
    }
    if (i >= argc)
        return sddl_usage();
    if (argc - i == 1 && !strcmp(argv[i], "-"))
        rc = run_stdin(fn, &opt);
    else
        for (; i < argc; i++)
            rc |= fn(argv[i], &opt, stdout);
    if (fflush(stdout) != 0)
        return 1;
    return rc ? 1 : 0;
}
