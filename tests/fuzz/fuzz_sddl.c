/* fuzz_sddl.c - SDDL text in: never a crash, and what parses is a valid
 * self-relative descriptor whose canonical SDDL parses back to the same
 * bytes (format is stable under a second round trip). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ntsec/ntsec.h"

#define ALL_INFO (NTSEC_OWNER_SECURITY_INFORMATION | NTSEC_GROUP_SECURITY_INFORMATION | \
                  NTSEC_DACL_SECURITY_INFORMATION | NTSEC_SACL_SECURITY_INFORMATION)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct ntsec_sid domain = { 1, 4, { 0, 0, 0, 0, 0, 5 }, { 21, 1, 2, 3 } };
    char *text = malloc(size + 1), *sddl;
    void *sd, *again;
    uint32_t len, len2;

    memcpy(text, data, size);
    text[size] = 0;
    if (ntsec_success(ntsec_sddl_to_sd(text, &domain, 1, &sd, &len, NULL))) {
        if (!ntsec_sd_relative_is_valid(sd, len, 0) || ntsec_sd_length(sd) != len)
            abort();
        if (ntsec_success(ntsec_sd_to_sddl(sd, &domain, 1, ALL_INFO, &sddl, NULL))) {
            if (!ntsec_success(ntsec_sddl_to_sd(sddl, &domain, 1, &again, &len2, NULL)))
                abort();
            if (len2 != len || memcmp(again, sd, len))
                abort();
            ntsec_mem_free(again);
            ntsec_mem_free(sddl);
        }
        ntsec_mem_free(sd);
    }
    free(text);
    return 0;
}
