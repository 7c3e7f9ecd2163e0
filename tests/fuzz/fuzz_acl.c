/* fuzz_acl.c - binary ACLs and SIDs in: RtlValidAcl's rules never read
 * outside the ACL, and every ACE of a valid ACL can be read through the
 * accessors. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ntsec/ntsec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *buf = malloc(size ? size : 1);
    struct ntsec_acl *acl = (struct ntsec_acl *)buf;

    memcpy(buf, data, size);
    /* Formatting then parsing gives the SID back (ConvertStringSidToSid
     * needs at least one sub-authority, so SIDs without are only formatted). */
    if (ntsec_sid_is_valid_in(buf, size)) {
        char text[NTSEC_SID_STRING_MAX];
        struct ntsec_sid back;
        ntsec_sid_format((const struct ntsec_sid *)buf, text, sizeof(text));
        if (buf[1] > 0 && (!ntsec_success(ntsec_sid_from_string(text, NULL, &back)) ||
                           !ntsec_sid_equal(&back, (const struct ntsec_sid *)buf)))
            abort();
    }
    /* RtlValidAcl trusts AclSize; give it a block that really is that big. */
    if (size >= sizeof(struct ntsec_acl) && acl->size <= size && ntsec_acl_is_valid(acl)) {
        for (uint32_t i = 0; i < acl->ace_count; i++) {
            const struct ntsec_ace_header *ace;
            size_t n;
            if (!ntsec_success(ntsec_acl_get_ace(acl, i, &ace)))
                abort();
            (void)ntsec_ace_sid(ace);
            (void)ntsec_ace_mask(ace);
            (void)ntsec_ace_object_type(ace);
            (void)ntsec_ace_inherited_object_type(ace);
            (void)ntsec_ace_application_data(ace, &n);
        }
    }
    free(buf);
    return 0;
}
