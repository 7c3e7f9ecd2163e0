/* demo.c - `ntsec demo`: a guided tour for a newcomer. Each step prints
 * what it does, the call it makes and what came back. */
#include <stdio.h>

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

int cli_demo(int argc, char **argv)
{
    int rc = 0;

    (void)argc;
    (void)argv;
    printf("ntsec demo: security descriptors, the way Windows writes them.\n\n");
    rc |= tour_descriptor("A folder that SYSTEM and Administrators control, users may read",
                          "O:BAG:SYD:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)"
                          "(A;OICIIO;GA;;;CO)");
    rc |= tour_descriptor("A deny entry placed before an allow: order decides",
                          "D:(D;;WD;;;WD)(A;;GA;;;WD)");
    rc |= tour_descriptor("A low-integrity label in the SACL: lower integrity may not write",
                          "S:(ML;;NW;;;LW)");
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
