/* acl_fixtures.h - what the ACL test programs share: a few SIDs, ACL
 * buffers, and ACEs written by hand. Included by test_acl.c and
 * test_acl_add.c only. */
#ifndef NTSEC_TESTS_ACL_FIXTURES_H
#define NTSEC_TESTS_ACL_FIXTURES_H

#include <string.h>

#include "ntsec/ntsec.h"
#include "testutil.h"

/* ACL buffers are DWORD arrays so that ACEs and SIDs inside are aligned. */
#define ACL_BUF_WORDS 64
#define HDR 8u

static struct ntsec_sid world, users, low_label, medium_label __attribute__((unused));

static inline void init_sids(void)
{
    static const uint32_t builtin_users[] = { 32, 545 };
    uint32_t rid;

    rid = 0;
    ntsec_sid_init(&world, 1, 1, &rid);
    ntsec_sid_init(&users, 5, 2, builtin_users);
    rid = 0x1000;
    ntsec_sid_init(&low_label, 16, 1, &rid);
    rid = 0x2000;
    ntsec_sid_init(&medium_label, 16, 1, &rid);
}

static inline struct ntsec_acl *new_acl(uint32_t *buf, uint32_t size, uint32_t revision)
{
    struct ntsec_acl *acl = (struct ntsec_acl *)buf;

    memset(buf, 0, ACL_BUF_WORDS * 4);
    CU_ASSERT_EQUAL_FATAL(ntsec_acl_init(acl, size, revision), NTSEC_STATUS_SUCCESS);
    return acl;
}

/* Write an ACE of the plain layout (header, mask, SID) at `p`, AceSize
 * `size` (0: exactly header + mask + SID). Returns AceSize. */
static inline uint16_t put_ace(uint8_t *p, uint8_t type, uint8_t flags, uint16_t size, uint32_t mask,
                        const struct ntsec_sid *sid)
{
    size_t sid_len = ntsec_sid_length(sid);
    struct ntsec_ace_header h = { type, flags, size ? size : (uint16_t)(8 + sid_len) };

    memcpy(p, &h, 4);
    memcpy(p + 4, &mask, 4);
    memcpy(p + 8, sid, sid_len);
    return h.size;
}

/* An ACL header written by hand (no validation). */
static inline struct ntsec_acl *raw_acl(uint32_t *buf, uint8_t revision, uint16_t size, uint16_t count)
{
    struct ntsec_acl *acl = (struct ntsec_acl *)buf;

    memset(buf, 0, ACL_BUF_WORDS * 4);
    acl->revision = revision;
    acl->size = size;
    acl->ace_count = count;
    return acl;
}

static inline uint8_t *first_ace(struct ntsec_acl *acl)
{
    return (uint8_t *)acl + HDR;
}

#endif
