/* sd_fixtures.h - SIDs, ACLs and security descriptors built byte by byte
 * for test_sd.c and test_sd_convert.c, independent of the code under test
 * (only ntsec_sd_init/set_* and ntsec_sd_make_relative are used to put
 * Wine's test SD together). */
#ifndef NTSEC_TESTS_SD_FIXTURES_H
#define NTSEC_TESTS_SD_FIXTURES_H

#include <stdint.h>
#include <string.h>

#include "ntsec/ntsec.h"
#include "testutil.h"

static inline struct ntsec_sid make_sid(uint64_t authority, unsigned count, const uint32_t *subs)
{
    struct ntsec_sid s;

    memset(&s, 0, sizeof s);
    s.revision = 1;
    s.sub_authority_count = (uint8_t)count;
    for (int i = 0; i < 6; i++)
        s.identifier_authority[i] = (uint8_t)(authority >> (8 * (5 - i)));
    for (unsigned i = 0; i < count; i++)
        s.sub_authority[i] = subs[i];
    return s;
}

static inline size_t sid_len(const struct ntsec_sid *s)
{
    return 8u + 4u * s->sub_authority_count;
}

/* S-1-5-18 (SY), S-1-5-6 (SU), S-1-5-21-93476-23408-4576: the SIDs of the
 * SD in Wine's test_security_descriptor. */
static inline struct ntsec_sid sid_sy(void)
{
    static const uint32_t s[] = { 18 };
    return make_sid(5, 1, s);
}

static inline struct ntsec_sid sid_su(void)
{
    static const uint32_t s[] = { 6 };
    return make_sid(5, 1, s);
}

static inline struct ntsec_sid sid_dom(void)
{
    static const uint32_t s[] = { 21, 93476, 23408, 4576 };
    return make_sid(5, 4, s);
}

/* An ACL built byte by byte, independent of acl.c. */
union acl_buf {
    struct ntsec_acl acl;
    uint32_t align[64];
    uint8_t bytes[256];
};

static inline void acl_start(union acl_buf *b)
{
    memset(b, 0, sizeof *b);
    b->acl.revision = NTSEC_ACL_REVISION;
    b->acl.size = 8;
}

static inline void acl_add(union acl_buf *b, uint8_t type, uint8_t flags, uint32_t mask,
                    const struct ntsec_sid *sid)
{
    uint8_t *p = b->bytes + b->acl.size;
    uint16_t size = (uint16_t)(8 + sid_len(sid));

    p[0] = type;
    p[1] = flags;
    memcpy(p + 2, &size, 2);
    memcpy(p + 4, &mask, 4);
    memcpy(p + 8, sid, sid_len(sid));
    b->acl.size = (uint16_t)(b->acl.size + size);
    b->acl.ace_count++;
}

/* Wine's test_security_descriptor SD:
 * O:SY G:S-1-5-21-93476-23408-4576
 * D:(A;NP;GAGXGWGR;;;SU)(A;IOID;CCDC;;;SU)(D;OICI;0xffffffff;;;S-1-5-21-...)
 * S:(AU;OICINPIOIDSAFA;CCDCLCSWRPRC;;;SU)(AU;NPSA;0x12019f;;;SU) */
struct wine_sd {
    struct ntsec_sd_absolute sd;
    struct ntsec_sid owner, group;
    union acl_buf dacl, sacl;
};

static inline void wine_sd_build(struct wine_sd *w)
{
    struct ntsec_sid su = sid_su();

    w->owner = sid_sy();
    w->group = sid_dom();
    acl_start(&w->dacl);
    acl_add(&w->dacl, NTSEC_ACE_ACCESS_ALLOWED, NTSEC_ACE_NO_PROPAGATE_INHERIT, 0xF0000000u, &su);
    acl_add(&w->dacl, NTSEC_ACE_ACCESS_ALLOWED, NTSEC_ACE_INHERIT_ONLY | NTSEC_ACE_INHERITED, 0x3, &su);
    acl_add(&w->dacl, NTSEC_ACE_ACCESS_DENIED, NTSEC_ACE_OBJECT_INHERIT | NTSEC_ACE_CONTAINER_INHERIT,
            0xFFFFFFFFu, &w->group);
    acl_start(&w->sacl);
    acl_add(&w->sacl, NTSEC_ACE_SYSTEM_AUDIT, 0x1F | NTSEC_ACE_SUCCESSFUL_ACCESS | NTSEC_ACE_FAILED_ACCESS,
            0x2001F, &su);
    acl_add(&w->sacl, NTSEC_ACE_SYSTEM_AUDIT, NTSEC_ACE_NO_PROPAGATE_INHERIT | NTSEC_ACE_SUCCESSFUL_ACCESS,
            0x12019F, &su);
    CU_ASSERT_EQUAL_FATAL(ntsec_sd_init(&w->sd, NTSEC_SD_REVISION), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_sd_set_owner(&w->sd, &w->owner, false), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_sd_set_group(&w->sd, &w->group, false), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_sd_set_dacl(&w->sd, true, &w->dacl.acl, false), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_sd_set_sacl(&w->sd, true, &w->sacl.acl, false), NTSEC_STATUS_SUCCESS);
}

/* A self-relative block, aligned, with room to spare. */
union rel_buf {
    struct ntsec_sd_relative rel;
    uint32_t align[128];
    uint8_t bytes[512];
};

static inline uint32_t rd32(const void *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

static inline void wr32(void *p, uint32_t v)
{
    memcpy(p, &v, 4);
}

/* Wine's SD in self-relative form; returns its size. */
static inline uint32_t wine_rel(union rel_buf *r)
{
    struct wine_sd w;
    uint32_t size = sizeof r->bytes;

    wine_sd_build(&w);
    memset(r, 0xAA, sizeof *r);
    CU_ASSERT_EQUAL_FATAL(ntsec_sd_make_relative(&w.sd, r->bytes, &size), NTSEC_STATUS_SUCCESS);
    return ntsec_sd_length(r->bytes);
}

#endif
