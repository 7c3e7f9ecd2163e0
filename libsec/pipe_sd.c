/* pipe_sd.c - the security of a named pipe: the descriptor a new pipe
 * gets (the default one, or the caller's completed as SeAssignSecurity
 * completes it) and the access check that creating an instance or
 * opening the client end runs against it. */
#include <string.h>

#include "ntsec/access.h"
#include "ntsec/process.h"
#include "pipe.h"
#include "sd.h"


/* "The ACLs in the default security descriptor for a named pipe grant
 * full control to the LocalSystem account, administrators, and the
 * creator owner. They also grant read access to members of the Everyone
 * group and the anonymous account." (Microsoft docs, "Named Pipe Security
 * and Access Rights"). The creator owner is the new pipe's owner, the
 * creator's default owner (TokenOwner); read is FILE_GENERIC_READ. */
struct default_ace {
    uint64_t authority;                 /* 0: the owner */
    uint8_t count;
    uint32_t sub[2];
    uint32_t mask;
};

static const struct default_ace default_dacl[] = {
    { 5, 1, { 18 }, NTSEC_FILE_ALL_ACCESS },            /* LocalSystem S-1-5-18 */
    { 5, 2, { 32, 544 }, NTSEC_FILE_ALL_ACCESS },       /* Administrators S-1-5-32-544 */
    { 0, 0, { 0 }, NTSEC_FILE_ALL_ACCESS },             /* the owner */
    { 1, 1, { 0 }, NTSEC_FILE_GENERIC_READ },           /* Everyone S-1-1-0 */
    { 5, 1, { 7 }, NTSEC_FILE_GENERIC_READ },           /* ANONYMOUS LOGON S-1-5-7 */
};

/* Room for the default DACL: a header and five ACEs of at most 8 + 68. */
struct dacl_buf {
    _Alignas(4) uint8_t bytes[8 + 5 * 76];
};

static ntsec_status build_default_dacl(struct dacl_buf *buf, const struct ntsec_sid *owner)
{
    struct ntsec_acl *acl = (struct ntsec_acl *)buf->bytes;
    ntsec_status st = ntsec_acl_init(acl, sizeof(buf->bytes), NTSEC_ACL_REVISION);

    for (size_t i = 0; ntsec_success(st) && i < sizeof(default_dacl) / sizeof(default_dacl[0]);
         i++) {
        const struct default_ace *a = &default_dacl[i];
        struct ntsec_sid sid;

        if (a->authority)
            st = ntsec_sid_init(&sid, a->authority, a->count, a->sub);
        if (ntsec_success(st))
            st = ntsec_acl_add_access_ace(acl, NTSEC_ACL_REVISION, NTSEC_ACE_ACCESS_ALLOWED, 0,
                                          a->mask, a->authority ? &sid : owner);
    }
    return st;
}

/* A SID from a TOKEN_OWNER / TOKEN_PRIMARY_GROUP answer: the pointer
 * first, the SID behind it in the same buffer. */
struct token_sid_buf {
    _Alignas(8) uint8_t bytes[8 + 68];
};

static ntsec_status token_sid(const struct ntsec_token *t, enum ntsec_token_info_class cls,
                              struct token_sid_buf *buf, const struct ntsec_sid **out)
{
    uint32_t needed;
    ntsec_status st = ntsec_token_query(t, cls, buf->bytes, sizeof(buf->bytes), &needed);

    if (ntsec_success(st))
        memcpy(out, buf->bytes, sizeof(*out));
    return st;
}

ntsec_status ntsec__pipe_sd_assign(const struct ntsec_token *creator, const void *given,
                                   struct ntsec__sd_blob **out)
{
    struct ntsec__sd_parts parts = { .revision = NTSEC_SD_REVISION };
    struct token_sid_buf owner_buf, group_buf;
    const struct ntsec_sid *owner = NULL, *group = NULL;
    struct ntsec__sd_parts written;
    struct dacl_buf dacl;
    struct ntsec__sd_blob *b;
    ntsec_status st;

    if (given) {
        st = ntsec__sd_parts(given, NTSEC__SD_SIZE_TRUSTED, &parts);
        if (!ntsec_success(st))
            return st;
        if (parts.revision != NTSEC_SD_REVISION)
            return NTSEC_STATUS_UNKNOWN_REVISION;
        if (!ntsec_sd_is_valid(given))
            return NTSEC_STATUS_INVALID_SECURITY_DESCR;
        parts.control &= ~(NTSEC_SE_OWNER_DEFAULTED | NTSEC_SE_GROUP_DEFAULTED);
    }
    /* What the caller's descriptor lacks comes from the creator's token:
     * its default owner and primary group (SeAssignSecurity, Microsoft
     * docs: "the owner ... from the subject's token"), and the default
     * DACL of a pipe when no DACL is present (a NULL DACL is present). */
    st = token_sid(creator, NTSEC_TOKEN_OWNER, &owner_buf, &owner);
    if (ntsec_success(st))
        st = token_sid(creator, NTSEC_TOKEN_PRIMARY_GROUP, &group_buf, &group);
    if (!ntsec_success(st))
        return st;
    if (!parts.owner) {
        parts.owner = owner;
        parts.control |= NTSEC_SE_OWNER_DEFAULTED;
    }
    if (!parts.group) {
        parts.group = group;
        parts.control |= NTSEC_SE_GROUP_DEFAULTED;
    }
    if (!(parts.control & NTSEC_SE_DACL_PRESENT)) {
        st = build_default_dacl(&dacl, parts.owner);
        if (!ntsec_success(st))
            return st;
        parts.dacl = (const struct ntsec_acl *)dacl.bytes;
        parts.control |= NTSEC_SE_DACL_PRESENT;
    }
    b = ntsec__sd_blob_alloc(ntsec__sd_relative_length(&parts));
    if (!b)
        return NTSEC_STATUS_NO_MEMORY;
    ntsec__sd_write_relative(&parts, b->sd);
    if (ntsec_success(ntsec__sd_parts(b->sd, b->size, &written)) && written.dacl)
        ntsec__acl_map_generic((struct ntsec_acl *)written.dacl, ntsec__object_mapping(NTSEC_OBJECT_FILE));
    *out = b;
    return NTSEC_STATUS_SUCCESS;
}

/* SeAccessCheck with the subject a file system captures at a create: the
 * thread's impersonation token at its level (below Impersonation:
 * STATUS_BAD_IMPERSONATION_LEVEL), else the process' primary token. */
ntsec_status ntsec__pipe_access_check(const void *sd, uint32_t desired, uint32_t *granted)
{
    struct ntsec_thread *t = ntsec_thread_current();
    enum ntsec_impersonation_level level;
    struct ntsec_token *token;
    ntsec_status st;
    bool impersonating;

    if (!t)
        return NTSEC_STATUS_NO_MEMORY;
    token = ntsec_thread_impersonation(t, &level, NULL, NULL);
    impersonating = token != NULL;
    if (!token)
        token = ntsec_process_token(ntsec_thread_process(t));
    st = ntsec__pipe_access_check_token(sd, token, impersonating ? (int)level : -1, desired,
                                        granted);
    ntsec_token_put(token);
    return st;
}

ntsec_status ntsec__pipe_access_check_token(const void *sd, const struct ntsec_token *token,
                                            int level, uint32_t desired, uint32_t *granted)
{
    struct ntsec_access_request rq = { .sd = sd, .token = token,
                                       .mapping = ntsec__object_mapping(NTSEC_OBJECT_FILE) };
    struct ntsec_access_result result = { 0 };
    ntsec_status st;

    if (level >= 0) {
        rq.flags = NTSEC_ACCESS_CHECK_CLIENT_LEVEL;
        rq.client_level = (enum ntsec_impersonation_level)level;
    }
    rq.desired = ntsec_access_map_generic(desired, ntsec__object_mapping(NTSEC_OBJECT_FILE));
    st = ntsec_access_check(&rq, &result);
    if (ntsec_success(st))
        st = result.status;
    if (ntsec_success(st))
        *granted = result.granted;
    return st;
}
