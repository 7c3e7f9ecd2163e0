/* object_security.c - NtQuerySecurityObject for ntsec's kernel objects
 * (processes, threads, tokens): the parts of an object's descriptor a
 * caller asks for, in self-relative form.
 *
 * Processes and threads keep their descriptor from creation on
 * (object_sd.c); a token's is built when asked, as the access check
 * builds it. Nothing is changed here. */
#include <string.h>

#include "alloc.h"
#include "ntsec/acl.h"
#include "ntsec/object.h"
#include "ntsec/sd.h"
#include "object_sd.h"
#include "process.h"
#include "sd.h"
#include "thread.h"

#define ACL_CONTROL (NTSEC_SE_DACL_DEFAULTED | NTSEC_SE_DACL_PROTECTED | \
                     NTSEC_SE_DACL_AUTO_INHERITED | NTSEC_SE_DACL_AUTO_INHERIT_REQ)
#define SACL_CONTROL (NTSEC_SE_SACL_DEFAULTED | NTSEC_SE_SACL_PROTECTED | \
                      NTSEC_SE_SACL_AUTO_INHERITED | NTSEC_SE_SACL_AUTO_INHERIT_REQ)

/* LABEL_SECURITY_INFORMATION without SACL_SECURITY_INFORMATION asks for
 * the mandatory label only: a SACL of the label ACEs ("SECURITY_INFORMATION",
 * Microsoft docs: "The mandatory integrity label is being referenced").
 * Allocated; NULL when out of memory. */
static struct ntsec_acl *labels_only(const struct ntsec_acl *sacl)
{
    struct ntsec_acl *out = ntsec__alloc(sacl->size);
    const struct ntsec_ace_header *ace;

    if (!out)
        return NULL;
    ntsec_acl_init(out, sacl->size, sacl->revision);
    for (uint32_t i = 0; ntsec_success(ntsec_acl_get_ace(sacl, i, &ace)); i++)
        if (ace->type == NTSEC_ACE_SYSTEM_MANDATORY_LABEL)
            ntsec_acl_add_aces(out, sacl->revision, UINT32_MAX, ace, ace->size);
    return out;
}

static ntsec_status answer(const void *sd, uint32_t info, void *buf, uint32_t size,
                           uint32_t *needed)
{
    struct ntsec__sd_parts all, parts = { 0 };
    struct ntsec_acl *label = NULL;
    uint32_t len;
    ntsec_status st = ntsec__sd_parts(sd, NTSEC__SD_SIZE_TRUSTED, &all);

    if (!ntsec_success(st))
        return st;
    parts.revision = all.revision;
    if (info & NTSEC_OWNER_SECURITY_INFORMATION) {
        parts.owner = all.owner;
        parts.control |= all.control & NTSEC_SE_OWNER_DEFAULTED;
    }
    if (info & NTSEC_GROUP_SECURITY_INFORMATION) {
        parts.group = all.group;
        parts.control |= all.control & NTSEC_SE_GROUP_DEFAULTED;
    }
    if ((info & NTSEC_DACL_SECURITY_INFORMATION) && (all.control & NTSEC_SE_DACL_PRESENT)) {
        parts.dacl = all.dacl;
        parts.control |= NTSEC_SE_DACL_PRESENT | (all.control & ACL_CONTROL);
    }
    if ((info & (NTSEC_SACL_SECURITY_INFORMATION | NTSEC_LABEL_SECURITY_INFORMATION)) &&
        (all.control & NTSEC_SE_SACL_PRESENT)) {
        parts.sacl = all.sacl;
        if (all.sacl && !(info & NTSEC_SACL_SECURITY_INFORMATION)) {
            label = labels_only(all.sacl);
            if (!label)
                return NTSEC_STATUS_NO_MEMORY;
            parts.sacl = label;
        }
        parts.control |= NTSEC_SE_SACL_PRESENT | (all.control & SACL_CONTROL);
    }
    len = ntsec__sd_relative_length(&parts);
    *needed = len;
    if (size < len || !buf)
        st = NTSEC_STATUS_BUFFER_TOO_SMALL;
    else
        ntsec__sd_write_relative(&parts, buf);
    ntsec__free(label);
    return st;
}

ntsec_status ntsec_object_query_security(void *object, uint32_t info, void *buf, uint32_t size,
                                         uint32_t *needed)
{
    void *owned = NULL;
    const void *sd;
    ntsec_status st;

    if (!object || !needed)
        return NTSEC_STATUS_INVALID_PARAMETER;
    switch (ntsec_object_type(object)) {
    case NTSEC_OBJECT_PROCESS:
        sd = ((struct ntsec_process *)object)->sd;
        break;
    case NTSEC_OBJECT_THREAD:
        sd = ((struct ntsec_thread *)object)->sd;
        break;
    case NTSEC_OBJECT_TOKEN:
        st = ntsec__object_default_sd(object, NULL, NTSEC_OBJECT_TOKEN, &owned);
        if (!ntsec_success(st))
            return st;
        sd = owned;
        break;
    default:
        return NTSEC_STATUS_OBJECT_TYPE_MISMATCH;
    }
    st = answer(sd, info, buf, size, needed);
    ntsec__free(owned);
    return st;
}
