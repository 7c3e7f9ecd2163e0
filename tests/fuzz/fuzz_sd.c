/* fuzz_sd.c - binary self-relative descriptors in: validation never reads
 * outside the buffer; a descriptor found valid converts to absolute form
 * and back to the same length, and formats as SDDL without a crash. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ntsec/ntsec.h"

#define ALL_INFO (NTSEC_OWNER_SECURITY_INFORMATION | NTSEC_GROUP_SECURITY_INFORMATION | \
                  NTSEC_DACL_SECURITY_INFORMATION | NTSEC_SACL_SECURITY_INFORMATION)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A private copy, so that ASan sees the exact end of the block. */
    uint8_t *sd = malloc(size ? size : 1);
    struct ntsec_sd_absolute abs;
    struct ntsec_sd_absolute_buffers b = { 0 };
    uint8_t dacl[0x10000], sacl[0x10000];
    struct ntsec_sid owner, group;
    char *sddl;

    memcpy(sd, data, size);
    if (!ntsec_sd_relative_is_valid(sd, size, 0)) {
        free(sd);
        return 0;
    }
    b.sd = &abs;  b.sd_size = sizeof(abs);
    b.dacl = (struct ntsec_acl *)dacl;  b.dacl_size = sizeof(dacl);
    b.sacl = (struct ntsec_acl *)sacl;  b.sacl_size = sizeof(sacl);
    b.owner = &owner;  b.owner_size = sizeof(owner);
    b.group = &group;  b.group_size = sizeof(group);
    if (ntsec_success(ntsec_sd_relative_to_absolute(sd, &b))) {
        uint32_t need = 0;
        if (ntsec_sd_absolute_to_relative(&abs, NULL, &need) != NTSEC_STATUS_BUFFER_TOO_SMALL ||
            need != ntsec_sd_length(sd))
            abort();
    }
    if (ntsec_success(ntsec_sd_to_sddl(sd, NULL, 1, ALL_INFO, &sddl, NULL)))
        ntsec_mem_free(sddl);
    free(sd);
    return 0;
}
