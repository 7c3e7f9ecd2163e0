/* demo.c - `ntsec demo [descriptors | impersonation | com]`: a guided tour
 * for a newcomer. Each step prints what it does, the call it makes and what
 * came back. This file holds the descriptor part and runs the parts;
 * demo_impersonation.c holds the client-and-service part, demo_com.c the
 * COM call chain (which alone takes options: its diagrams). */
#include <stdio.h>
#include <string.h>

#include <ntsec/ntsec.h>

#include "cli.h"

#define ALL_INFO (NTSEC_OWNER_SECURITY_INFORMATION | NTSEC_GROUP_SECURITY_INFORMATION | \
                  NTSEC_DACL_SECURITY_INFORMATION | NTSEC_SACL_SECURITY_INFORMATION)

static const char *status_text(ntsec_status st)
{
    const char *name = ntsec_status_name(st);
    return name ? name : "an unknown status";
}

/* Parse, show the binary, explain it, and write it back as canonical SDDL. */
static int tour_descriptor(const char *title, const char *sddl)
{
    struct ntsec_sddl_error err = { 0, NULL };
    void *sd;
    uint32_t size;
    char *text, *back;
    ntsec_status st;

    printf("== %s\n   %s\n\n", title, sddl);
    st = ntsec_sddl_to_sd(sddl, NULL, NTSEC_SDDL_REVISION_1, &sd, &size, &err);
    if (!ntsec_success(st)) {
        printf("   rejected: %s at offset %zu (%s)\n\n", status_text(st), err.offset,
               err.reason ? err.reason : "");
        return 1;
    }
    printf("   ConvertStringSecurityDescriptorToSecurityDescriptor gives a %u-byte\n"
           "   self-relative descriptor:\n   ", (unsigned)size);
    for (uint32_t i = 0; i < size; i++)
        printf("%02x%s", ((unsigned char *)sd)[i], (i + 1) % 32 == 0 && i + 1 < size ? "\n   " : "");
    printf("\n\n");

    st = ntsec_sd_explain(sd, NULL, &text);
    if (ntsec_success(st)) {
        printf("%s\n", text);
        ntsec_mem_free(text);
    }
    st = ntsec_sd_to_sddl(sd, NULL, NTSEC_SDDL_REVISION_1, ALL_INFO, &back, NULL);
    if (ntsec_success(st)) {
        printf("   Written back as canonical SDDL: %s\n\n", back);
        ntsec_mem_free(back);
    }
    ntsec_mem_free(sd);
    return ntsec_success(st) ? 0 : 1;
}

static void print_step(void *ctx, const struct ntsec_access_step *step)
{
    char line[512];

    (void)ctx;
    ntsec_access_step_describe(step, NULL, line, sizeof(line));
    printf("     - %s\n", line);
}

/* One user, one descriptor, three requests: what the DACL and the order of
 * its ACEs decide. */
static int tour_access(void)
{
    static const struct ntsec_generic_mapping file_mapping = { 0x120089, 0x120116, 0x1200a0, 0x1f01ff };
    static const char *const sddl = "O:BAG:SYD:(D;;WD;;;BU)(A;;FR;;;BU)(A;;FA;;;BA)";
    static const struct { const char *what; uint32_t desired; } asks[] = {
        { "read the file (FILE_GENERIC_READ)", 0x120089 },
        { "change its permissions (WRITE_DAC)", NTSEC_WRITE_DAC },
        { "get as much as it may (MAXIMUM_ALLOWED)", NTSEC_MAXIMUM_ALLOWED },
    };
    struct ntsec_sid user, users, label;
    struct ntsec_sid_and_attributes groups[2];
    struct ntsec_token_desc desc = { 0 };
    struct ntsec_access_trace trace = { print_step, NULL };
    struct ntsec_token *token;
    uint32_t size, medium = NTSEC_MANDATORY_MEDIUM;
    void *sd;

    printf("== An access check: a member of BUILTIN\\Users asks for a file\n   %s\n\n", sddl);
    ntsec_sid_from_string("S-1-5-21-1004336348-1177238915-682003330-1001", NULL, &user);
    ntsec_sid_from_string("BU", NULL, &users);
    ntsec_sid_init(&label, 16, 1, &medium);
    groups[0].sid = &users;
    groups[0].attributes = NTSEC_SE_GROUP_MANDATORY | NTSEC_SE_GROUP_ENABLED | NTSEC_SE_GROUP_ENABLED_BY_DEFAULT;
    groups[1].sid = &label;
    groups[1].attributes = NTSEC_SE_GROUP_INTEGRITY | NTSEC_SE_GROUP_INTEGRITY_ENABLED;
    desc.type = NTSEC_TOKEN_IMPERSONATION;
    desc.level = NTSEC_SECURITY_IMPERSONATION;
    desc.user.sid = &user;
    desc.groups = groups;
    desc.group_count = 2;
    if (!ntsec_success(ntsec_token_create(&desc, &token)))
        return 1;
    if (!ntsec_success(ntsec_sddl_to_sd(sddl, NULL, NTSEC_SDDL_REVISION_1, &sd, &size, NULL))) {
        ntsec_token_put(token);
        return 1;
    }
    for (size_t i = 0; i < sizeof(asks) / sizeof(asks[0]); i++) {
        struct ntsec_access_request req = { 0 };
        struct ntsec_access_result res = { 0 };
        char granted[256];

        req.sd = sd;
        req.token = token;
        req.desired = asks[i].desired;
        req.mapping = &file_mapping;
        req.trace = &trace;
        printf("   The user asks to %s:\n", asks[i].what);
        if (ntsec_success(ntsec_access_check(&req, &res))) {
            ntsec_access_mask_describe(res.granted, granted, sizeof(granted));
            printf("     => %s, granted 0x%08x (%s)\n\n", status_text(res.status), res.granted, granted);
        }
    }
    ntsec_mem_free(sd);
    ntsec_token_put(token);
    return 0;
}

/* The descriptor part of the tour: SDDL, binary, explanation, an access
 * check and a rejected string. */
static int demo_descriptors(void)
{
    int rc = 0;

    printf("ntsec demo: security descriptors, the way Windows writes them.\n\n");
    rc |= tour_descriptor("A folder that SYSTEM and Administrators control, users may read",
                          "O:BAG:SYD:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)"
                          "(A;OICIIO;GA;;;CO)");
    rc |= tour_descriptor("A deny entry placed before an allow: order decides",
                          "D:(D;;WD;;;WD)(A;;GA;;;WD)");
    rc |= tour_descriptor("A low-integrity label in the SACL: lower integrity may not write",
                          "S:(ML;;NW;;;LW)");
    rc |= tour_access();
    printf("== A malformed string is rejected with the status Windows gives\n"
           "   D:(A;;GA;;;XX)\n\n");
    {
        struct ntsec_sddl_error err = { 0, NULL };
        void *sd;
        uint32_t size;
        ntsec_status st = ntsec_sddl_to_sd("D:(A;;GA;;;XX)", NULL, NTSEC_SDDL_REVISION_1,
                                           &sd, &size, &err);
        if (ntsec_success(st)) {
            ntsec_mem_free(sd);
            rc = 1;
        } else {
            printf("   %s (Win32 error %u) at offset %zu: %s\n\n", status_text(st),
                   (unsigned)ntsec_status_to_win32(st), err.offset, err.reason ? err.reason : "");
        }
    }
    return rc;
}

/* The parts of the tour; `ntsec demo` runs them all, in this order. */
static int demo_com_text(void)
{
    return demo_com(0, NULL);
}

static const struct {
    const char *name;
    int (*run)(void);
    int (*run_options)(int argc, char **argv);  /* NULL: the part takes none */
} parts[] = {
    { "descriptors", demo_descriptors, NULL },
    { "impersonation", demo_impersonation, NULL },
    { "com", demo_com_text, demo_com },
};

#define PART_COUNT (sizeof(parts) / sizeof(parts[0]))

int cli_demo(int argc, char **argv)
{
    int rc = 0;

    if (argc == 1) {
        for (size_t i = 0; i < PART_COUNT; i++) {
            if (i)
                printf("\n");
            rc |= parts[i].run();
        }
        return rc;
    }
    for (size_t i = 0; i < PART_COUNT; i++) {
        if (strcmp(argv[1], parts[i].name))
            continue;
        if (argc == 2)
            return parts[i].run();
        if (parts[i].run_options)
            return parts[i].run_options(argc - 2, argv + 2);
    }
    fprintf(stderr, "usage: ntsec demo [");
    for (size_t i = 0; i < PART_COUNT; i++)
        fprintf(stderr, "%s%s", i ? " | " : "", parts[i].name);
    fprintf(stderr, "]\n       ntsec demo com [--mermaid FILE] [--svg FILE]\n");
    return 2;
}
