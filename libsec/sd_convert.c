/* sd_convert.c - moving a security descriptor between its two forms:
 * absolute (pointers) to self-relative (one block with offsets) and back,
 * and a self-relative copy of either.
 *
 * The self-relative layout is Windows': the 20-byte header, then the SACL,
 * the DACL, the owner and the group, each at the next 4-byte boundary
 * (padding zeroed), with offset 0 for a part that is absent and for an ACL
 * whose PRESENT bit is clear (a NULL DACL keeps DACL_PRESENT with offset
 * 0). That order is what RtlMakeSelfRelativeSD writes (ReactOS sd.c),
 * and the one byte-exact SDDL round trips depend on. Sizes: Wine's
 * test_security_descriptor asserts 184 bytes for its O:SY G:... D:(3 ACEs)
 * S:(2 ACEs) descriptor, which is 20 + 12 + 24 + 80 + 48 with no extra
 * padding. */
#include <string.h>

#include "ntsec/ntsec.h"
#include "alloc.h"
#include "sd.h"

static void put32(uint8_t *p, uint32_t v)
{
    memcpy(p, &v, sizeof v);
}

static uint32_t sid_bytes(const struct ntsec_sid *sid)
{
    return sid ? 8u + 4u * sid->sub_authority_count : 0;
}

/* Copy one part at *pos and return its offset (0 when absent). ACLs take
 * AclSize rounded up to 4; Windows copies the rounded length from the
 * source, ntsec copies AclSize bytes and leaves the padding zero so that it
 * never reads past the caller's ACL. */
static uint32_t put_part(uint8_t *buf, uint32_t *pos, const void *part, uint32_t len)
{
    uint32_t off = *pos;

    if (!part)
        return 0;
    memcpy(buf + off, part, len);
    *pos += (len + 3u) & ~3u;
    return off;
}

uint32_t ntsec__sd_write_relative(const struct ntsec__sd_parts *p, void *out)
{
    uint8_t *buf = out;
    uint32_t len = ntsec__sd_relative_length(p);
    uint32_t pos = NTSEC_SD_MIN_LENGTH, off;
    uint16_t control = p->control | NTSEC_SE_SELF_RELATIVE;

    memset(buf, 0, len);
    buf[0] = p->revision;
    buf[1] = p->sbz1;
    memcpy(buf + 2, &control, sizeof control);
    off = put_part(buf, &pos, p->sacl, p->sacl ? p->sacl->size : 0);
    put32(buf + 12, off);
    off = put_part(buf, &pos, p->dacl, p->dacl ? p->dacl->size : 0);
    put32(buf + 16, off);
    off = put_part(buf, &pos, p->owner, sid_bytes(p->owner));
    put32(buf + 4, off);
    off = put_part(buf, &pos, p->group, sid_bytes(p->group));
    put32(buf + 8, off);
    return len;
}

ntsec_status ntsec_sd_make_relative(const void *sd, void *buf, uint32_t *size)
{
    struct ntsec__sd_parts p;
    ntsec_status st;
    uint32_t need;

    if (!size)
        return NTSEC_STATUS_INVALID_PARAMETER;
    st = ntsec__sd_parts(sd, NTSEC__SD_SIZE_TRUSTED, &p);
    if (!ntsec_success(st))
        return st;
    /* RtlMakeSelfRelativeSD checks no revision, and reads a self-relative
     * input by its offsets, writing it out again in the canonical layout.
     * A short buffer gives STATUS_BUFFER_TOO_SMALL with the size needed
     * stored (before any look at `buf`, so NULL with *size 0 asks for the
     * size); enough room but no buffer is STATUS_INVALID_PARAMETER. On
     * success *size is left as the caller gave it: Wine's
     * test_RtlMakeSelfRelativeSD passes sizeof(SECURITY_DESCRIPTOR_RELATIVE)
     * + 4 and gets the same value back. */
    need = ntsec__sd_relative_length(&p);
    if (need > *size) {
        *size = need;
        return NTSEC_STATUS_BUFFER_TOO_SMALL;
    }
    if (!buf)
        return NTSEC_STATUS_INVALID_PARAMETER;
    ntsec__sd_write_relative(&p, buf);
    return NTSEC_STATUS_SUCCESS;
}

ntsec_status ntsec_sd_absolute_to_relative(const struct ntsec_sd_absolute *sd, void *buf,
                                           uint32_t *size)
{
    if (!sd || !size)
        return NTSEC_STATUS_INVALID_PARAMETER;
    /* RtlAbsoluteToSelfRelativeSD refuses a self-relative input with
     * STATUS_BAD_DESCRIPTOR_FORMAT, before anything else (Wine's
     * test_RtlMakeSelfRelativeSD; advapi32's MakeSelfRelativeSD goes this
     * way and fails with ERROR_BAD_DESCRIPTOR_FORMAT, test_security_descriptor). */
    if (sd->control & NTSEC_SE_SELF_RELATIVE)
        return NTSEC_STATUS_BAD_DESCRIPTOR_FORMAT;
    return ntsec_sd_make_relative(sd, buf, size);
}

/* The room each part of `p` needs in its own buffer. */
struct abs_need {
    uint32_t sd, dacl, sacl, owner, group;
};

static bool fits(const struct ntsec_sd_absolute_buffers *out, const struct abs_need *n)
{
    return out->sd && out->sd_size >= n->sd && out->dacl_size >= n->dacl &&
           out->sacl_size >= n->sacl && out->owner_size >= n->owner &&
           out->group_size >= n->group;
}

ntsec_status ntsec_sd_relative_to_absolute(const void *rel, struct ntsec_sd_absolute_buffers *out)
{
    struct ntsec__sd_parts p;
    struct abs_need n;
    struct ntsec_sd_absolute *abs;
    ntsec_status st;

    if (!rel || !out)
        return NTSEC_STATUS_INVALID_PARAMETER;
    st = ntsec__sd_parts(rel, NTSEC__SD_SIZE_TRUSTED, &p);
    if (!ntsec_success(st))
        return st;
    /* RtlSelfRelativeToAbsoluteSD / MakeAbsoluteSD: an absolute input is
     * STATUS_BAD_DESCRIPTOR_FORMAT. No revision check. */
    if (!(p.control & NTSEC_SE_SELF_RELATIVE))
        return NTSEC_STATUS_BAD_DESCRIPTOR_FORMAT;
    /* Needed sizes: sizeof(SECURITY_DESCRIPTOR) for the header, 8 + 4 *
     * count per SID, AclSize rounded up to 4 per ACL (0 for what is absent
     * or not PRESENT). When the SD buffer is missing or any buffer is short,
     * every needed size is stored and the status is
     * STATUS_BUFFER_TOO_SMALL; on success the sizes are left alone (as
     * RtlSelfRelativeToAbsoluteSD does; Wine's test_security_descriptor
     * sizes MakeAbsoluteSD's buffers this way). */
    n.sd = NTSEC_SD_ABSOLUTE_LENGTH;
    n.owner = sid_bytes(p.owner);
    n.group = sid_bytes(p.group);
    n.dacl = p.dacl ? ((uint32_t)p.dacl->size + 3u) & ~3u : 0;
    n.sacl = p.sacl ? ((uint32_t)p.sacl->size + 3u) & ~3u : 0;
    if (!fits(out, &n)) {
        out->sd_size = n.sd;
        out->dacl_size = n.dacl;
        out->sacl_size = n.sacl;
        out->owner_size = n.owner;
        out->group_size = n.group;
        return NTSEC_STATUS_BUFFER_TOO_SMALL;
    }
    /* Windows would write through a NULL part buffer whose size was large
     * enough and crash; ntsec refuses before writing anything. */
    if ((n.dacl && !out->dacl) || (n.sacl && !out->sacl) || (n.owner && !out->owner) ||
        (n.group && !out->group))
        return NTSEC_STATUS_INVALID_PARAMETER;

    abs = out->sd;
    memset(abs, 0, sizeof *abs);
    abs->revision = p.revision;
    abs->sbz1 = p.sbz1;
    abs->control = p.control & (uint16_t)~NTSEC_SE_SELF_RELATIVE;
    if (p.owner) {
        memcpy(out->owner, p.owner, n.owner);
        abs->owner = out->owner;
    }
    if (p.group) {
        memcpy(out->group, p.group, n.group);
        abs->group = out->group;
    }
    if (p.sacl) {
        memcpy(out->sacl, p.sacl, p.sacl->size);
        abs->sacl = out->sacl;
    }
    if (p.dacl) {
        memcpy(out->dacl, p.dacl, p.dacl->size);
        abs->dacl = out->dacl;
    }
    return NTSEC_STATUS_SUCCESS;
}

ntsec_status ntsec_sd_duplicate_relative(const void *sd, void **out, uint32_t *size)
{
    struct ntsec__sd_parts p;
    ntsec_status st;
    uint32_t len;
    void *copy;

    if (!out || !size)
        return NTSEC_STATUS_INVALID_PARAMETER;
    st = ntsec__sd_parts(sd, NTSEC__SD_SIZE_TRUSTED, &p);
    if (!ntsec_success(st))
        return st;
    /* ntsec's own rule (no single Windows routine does this): the source
     * must be a valid revision-1 SD, so a copy is always well formed. */
    if (p.revision != NTSEC_SD_REVISION)
        return NTSEC_STATUS_UNKNOWN_REVISION;
    if (!ntsec_sd_is_valid(sd))
        return NTSEC_STATUS_INVALID_SECURITY_DESCR;
    len = ntsec__sd_relative_length(&p);
    copy = ntsec__alloc(len);
    if (!copy)
        return NTSEC_STATUS_NO_MEMORY;
    ntsec__sd_write_relative(&p, copy);
    *out = copy;
    *size = len;
    return NTSEC_STATUS_SUCCESS;
}
