/* test_ace.c - the ACE type table and the ACE accessors (mask, SID, object
 * GUIDs, application data), and RtlMapGenericMask. Each test names its
 * source. */
#include <string.h>

#include "ntsec/ntsec.h"
#include "ace.h"
#include "testutil.h"

static struct ntsec_sid world, users;

static void init_sids(void)
{
    static const uint32_t builtin_users[] = { 32, 545 };
    uint32_t rid = 0;

    ntsec_sid_init(&world, 1, 1, &rid);
    ntsec_sid_init(&users, 5, 2, builtin_users);
}

static const struct ntsec_ace_header *hdr(const uint32_t *buf)
{
    return (const struct ntsec_ace_header *)buf;
}

/* Build an ACE of `type` in `buf`: header, mask 0x1234, [object Flags and
 * GUIDs], SID, then `data_len` bytes of data. Returns AceSize. */
static uint16_t build(uint32_t *buf, uint8_t type, uint32_t object_flags,
                      const struct ntsec_guid *g1, const struct ntsec_guid *g2,
                      const struct ntsec_sid *sid, const uint8_t *data, size_t data_len)
{
    const struct ntsec__ace_kind *k = ntsec__ace_kind_of(type);
    uint8_t *p = (uint8_t *)buf;
    uint32_t mask = 0x1234;
    size_t off = 8;
    struct ntsec_ace_header h = { type, 0, 0 };

    memset(buf, 0, 128);
    memcpy(p + 4, &mask, 4);
    if (k && k->layout == NTSEC__ACE_LAYOUT_OBJECT) {
        memcpy(p + 8, &object_flags, 4);
        off = 12;
        if (g1) {
            memcpy(p + off, g1, 16);
            off += 16;
        }
        if (g2) {
            memcpy(p + off, g2, 16);
            off += 16;
        }
    }
    memcpy(p + off, sid, ntsec_sid_length(sid));
    off += ntsec_sid_length(sid);
    if (data_len)
        memcpy(p + off, data, data_len);
    off += data_len;
    h.size = (uint16_t)off;
    memcpy(p, &h, 4);
    return h.size;
}

static const struct ntsec_guid guid_a = { 0x12345678, 0x1234, 0x5678,
                                          { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88 } };
static const struct ntsec_guid guid_b = { 0x23456789, 0x2345, 0x6786,
                                          { 0x02, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99 } };

/* winnt.h ACE type values 0x00..0x15; the table is indexed by type */
static void table_is_indexed_by_ace_type(void)
{
    for (unsigned t = 0; t < NTSEC__ACE_KIND_COUNT; t++) {
        CU_ASSERT_PTR_EQUAL(ntsec__ace_kind_of((uint8_t)t), &ntsec__ace_kinds[t]);
        CU_ASSERT_EQUAL(ntsec__ace_kinds[t].type, t);
        CU_ASSERT_PTR_NOT_NULL(ntsec__ace_kinds[t].name);
    }
    CU_ASSERT_PTR_NULL(ntsec__ace_kind_of(0x16));
    CU_ASSERT_PTR_NULL(ntsec__ace_kind_of(0xFF));
    CU_ASSERT_STRING_EQUAL(ntsec__ace_kind_of(NTSEC_ACE_SYSTEM_MANDATORY_LABEL)->name,
                           "SYSTEM_MANDATORY_LABEL_ACE_TYPE");
}

/* [MS-DTYP] 2.4.4.2-2.4.4.17: each layout's fixed part plus an 8-byte SID is its
 * minimum size; object types are 0x05-0x08, 0x0B, 0x0C, 0x0F, 0x10 */
static void table_minimum_sizes_follow_layouts(void)
{
    static const uint8_t object_types[] = { 0x05, 0x06, 0x07, 0x08, 0x0B, 0x0C, 0x0F, 0x10 };

    for (unsigned t = 0; t < NTSEC__ACE_KIND_COUNT; t++) {
        const struct ntsec__ace_kind *k = &ntsec__ace_kinds[t];
        bool object = memchr(object_types, (int)t, sizeof(object_types)) != NULL;

        CU_ASSERT_EQUAL(k->has_object_types, object);
        CU_ASSERT_EQUAL(k->layout == NTSEC__ACE_LAYOUT_OBJECT, object);
        CU_ASSERT_TRUE(k->has_mask);
        CU_ASSERT_EQUAL(k->min_size, t == NTSEC_ACE_ACCESS_ALLOWED_COMPOUND ? 28 : object ? 20 : 16);
        CU_ASSERT_EQUAL(k->min_size % 4, 0);
    }
}

/* [MS-DTYP] 2.4.5 (object ACEs need ACL_REVISION_DS) and winnt.h
 * (ACCESS_MAX_MS_V3_ACE_TYPE = compound); Wine security.c test_AddMandatoryAce
 * (a label in an ACL_REVISION ACL) */
static void table_minimum_revisions(void)
{
    for (unsigned t = 0; t < NTSEC__ACE_KIND_COUNT; t++) {
        unsigned expect = 2;

        if (t == NTSEC_ACE_ACCESS_ALLOWED_COMPOUND)
            expect = 3;
        else if (t >= NTSEC_ACE_ACCESS_ALLOWED_OBJECT && t <= NTSEC_ACE_SYSTEM_ALARM_OBJECT)
            expect = 4;
        CU_ASSERT_EQUAL(ntsec__ace_kinds[t].min_revision, expect);
    }
}

/* [MS-DTYP] 2.4.4.1 AceType and 2.4.4.13-2.4.4.16: allowed/denied forms live in
 * DACLs; audit, alarm, label, claim, scoped policy, trust label and filter in SACLs */
static void table_places_types_in_dacl_or_sacl(void)
{
    static const uint8_t dacl[] = { 0x00, 0x01, 0x04, 0x05, 0x06, 0x09, 0x0A, 0x0B, 0x0C };

    for (unsigned t = 0; t < NTSEC__ACE_KIND_COUNT; t++) {
        bool in_dacl = memchr(dacl, (int)t, sizeof(dacl)) != NULL;

        CU_ASSERT_EQUAL(ntsec__ace_kinds[t].acl_kinds,
                        in_dacl ? NTSEC__ACE_IN_DACL : NTSEC__ACE_IN_SACL);
    }
}

/* [MS-DTYP] 2.4.4.6 (callback ApplicationData), 2.4.4.15 (resource attribute
 * data), winnt.h SYSTEM_ACCESS_FILTER_ACE: the types with data after the SID */
static void table_marks_types_with_application_data(void)
{
    static const uint8_t data[] = { 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F, 0x10, 0x12, 0x15 };

    for (unsigned t = 0; t < NTSEC__ACE_KIND_COUNT; t++)
        CU_ASSERT_EQUAL(ntsec__ace_kinds[t].has_app_data,
                        memchr(data, (int)t, sizeof(data)) != NULL);
}

/* [MS-DTYP] 2.4.4.2 ff.: Mask follows the header in every type; the SID follows
 * the Mask in the plain layout */
static void accessors_read_mask_and_sid_of_every_plain_type(void)
{
    uint32_t buf[32];

    for (unsigned t = 0; t < NTSEC__ACE_KIND_COUNT; t++) {
        const struct ntsec__ace_kind *k = &ntsec__ace_kinds[t];

        if (k->layout != NTSEC__ACE_LAYOUT_SID)
            continue;
        build(buf, (uint8_t)t, 0, NULL, NULL, &users, NULL, 0);
        CU_ASSERT_EQUAL(ntsec_ace_mask(hdr(buf)), 0x1234);
        CU_ASSERT_PTR_EQUAL(ntsec_ace_sid(hdr(buf)), (const uint8_t *)buf + 8);
        CU_ASSERT_TRUE(ntsec__ace_is_well_formed(hdr(buf)));
    }
}

/* ntsec/acl.h: NULL for a type without one SID, an unknown type, or an entry
 * whose SID does not fit or is malformed */
static void sid_accessor_refuses_what_is_not_there(void)
{
    uint32_t buf[32];
    uint8_t *p = (uint8_t *)buf;

    build(buf, NTSEC_ACE_ACCESS_ALLOWED, 0, NULL, NULL, &users, NULL, 0);
    p[2] = 20;                                      /* AceSize 20 < 8 + 16 */
    CU_ASSERT_PTR_NULL(ntsec_ace_sid(hdr(buf)));
    CU_ASSERT_FALSE(ntsec__ace_is_well_formed(hdr(buf)));
    p[2] = 24;
    p[8] = 2;                                       /* SID revision */
    CU_ASSERT_PTR_NULL(ntsec_ace_sid(hdr(buf)));
    p[0] = 0x40;                                    /* unknown type */
    p[8] = 1;
    CU_ASSERT_PTR_NULL(ntsec_ace_sid(hdr(buf)));
    CU_ASSERT_EQUAL(ntsec_ace_mask(hdr(buf)), 0);
    CU_ASSERT_TRUE(ntsec__ace_is_well_formed(hdr(buf)));
    p[0] = NTSEC_ACE_ACCESS_ALLOWED_COMPOUND;       /* two SIDs: none returned */
    CU_ASSERT_PTR_NULL(ntsec_ace_sid(hdr(buf)));
    CU_ASSERT_PTR_NULL(ntsec_ace_sid(NULL));
    CU_ASSERT_EQUAL(ntsec_ace_mask(NULL), 0);
}

/* [MS-DTYP] 2.4.4.3: ObjectType then InheritedObjectType, each present only when
 * its Flags bit is set; the SID after them */
static void object_accessors_follow_flags(void)
{
    uint32_t buf[32];

    build(buf, NTSEC_ACE_ACCESS_ALLOWED_OBJECT, 3, &guid_a, &guid_b, &world, NULL, 0);
    CU_ASSERT_EQUAL(hdr(buf)->size, 56);
    CU_ASSERT_MEM_EQUAL(ntsec_ace_object_type(hdr(buf)), &guid_a, 16);
    CU_ASSERT_MEM_EQUAL(ntsec_ace_inherited_object_type(hdr(buf)), &guid_b, 16);
    CU_ASSERT_PTR_EQUAL(ntsec_ace_sid(hdr(buf)), (const uint8_t *)buf + 44);

    build(buf, NTSEC_ACE_SYSTEM_AUDIT_OBJECT, NTSEC_ACE_INHERITED_OBJECT_TYPE_PRESENT,
          &guid_b, NULL, &world, NULL, 0);
    CU_ASSERT_PTR_NULL(ntsec_ace_object_type(hdr(buf)));
    CU_ASSERT_MEM_EQUAL(ntsec_ace_inherited_object_type(hdr(buf)), &guid_b, 16);
    CU_ASSERT_PTR_EQUAL(ntsec_ace_sid(hdr(buf)), (const uint8_t *)buf + 28);

    build(buf, NTSEC_ACE_ACCESS_DENIED_OBJECT, 0, NULL, NULL, &world, NULL, 0);
    CU_ASSERT_PTR_NULL(ntsec_ace_object_type(hdr(buf)));
    CU_ASSERT_PTR_NULL(ntsec_ace_inherited_object_type(hdr(buf)));
    CU_ASSERT_PTR_EQUAL(ntsec_ace_sid(hdr(buf)), (const uint8_t *)buf + 12);
    CU_ASSERT_TRUE(ntsec__ace_is_well_formed(hdr(buf)));

    /* Not an object ACE: no GUIDs even with bytes there. */
    build(buf, NTSEC_ACE_ACCESS_ALLOWED, 0, NULL, NULL, &world, NULL, 0);
    CU_ASSERT_PTR_NULL(ntsec_ace_object_type(hdr(buf)));
    CU_ASSERT_PTR_NULL(ntsec_ace_object_type(NULL));
}

/* ntsec/acl.h: a GUID announced by Flags but cut off by AceSize is not returned,
 * and the ACE is not well formed */
static void object_accessors_stay_inside_ace(void)
{
    uint32_t buf[32];
    uint8_t *p = (uint8_t *)buf;

    build(buf, NTSEC_ACE_ACCESS_ALLOWED_OBJECT, 3, &guid_a, &guid_b, &world, NULL, 0);
    p[2] = 36;                                      /* ends inside the second GUID */
    CU_ASSERT_PTR_NOT_NULL(ntsec_ace_object_type(hdr(buf)));
    CU_ASSERT_PTR_NULL(ntsec_ace_inherited_object_type(hdr(buf)));
    CU_ASSERT_PTR_NULL(ntsec_ace_sid(hdr(buf)));
    CU_ASSERT_FALSE(ntsec__ace_is_well_formed(hdr(buf)));
    p[2] = 8;
    CU_ASSERT_PTR_NULL(ntsec_ace_object_type(hdr(buf)));
}

/* [MS-DTYP] 2.4.4.6/2.4.4.17: a callback ACE keeps its condition ("artx"...) after
 * the SID up to AceSize, byte for byte */
static void application_data_of_callback_ace_is_byte_exact(void)
{
    static const uint8_t cond[] = { 'a', 'r', 't', 'x', 0xF8, 0x01, 0x00, 0x00 };
    uint32_t buf[32];
    const uint8_t *data;
    size_t len = 99;

    build(buf, NTSEC_ACE_ACCESS_ALLOWED_CALLBACK, 0, NULL, NULL, &users, cond, sizeof(cond));
    data = ntsec_ace_application_data(hdr(buf), &len);
    CU_ASSERT_PTR_EQUAL(data, (const uint8_t *)buf + 24);
    CU_ASSERT_EQUAL(len, sizeof(cond));
    CU_ASSERT_MEM_EQUAL(data, cond, sizeof(cond));
    CU_ASSERT_TRUE(ntsec__ace_is_well_formed(hdr(buf)));

    /* Callback object form: after GUIDs and SID. */
    build(buf, NTSEC_ACE_SYSTEM_AUDIT_CALLBACK_OBJECT, 1, &guid_a, NULL, &world, cond, 4);
    data = ntsec_ace_application_data(hdr(buf), &len);
    CU_ASSERT_PTR_EQUAL(data, (const uint8_t *)buf + 12 + 16 + 12);
    CU_ASSERT_EQUAL(len, 4);
}

/* [MS-DTYP] 2.4.4.15: the resource attribute ACE's claim follows its SID */
static void application_data_of_resource_attribute_ace(void)
{
    uint8_t claim[20];
    uint32_t buf[32];
    size_t len;

    for (size_t i = 0; i < sizeof(claim); i++)
        claim[i] = (uint8_t)(i * 7 + 1);
    build(buf, NTSEC_ACE_SYSTEM_RESOURCE_ATTRIBUTE, 0, NULL, NULL, &world, claim, sizeof(claim));
    CU_ASSERT_MEM_EQUAL(ntsec_ace_application_data(hdr(buf), &len), claim, sizeof(claim));
    CU_ASSERT_EQUAL(len, sizeof(claim));
}

/* ntsec/acl.h: NULL (length 0) when the type has no data or none follows the SID */
static void application_data_absent(void)
{
    uint32_t buf[32];
    size_t len = 5;

    build(buf, NTSEC_ACE_ACCESS_ALLOWED_CALLBACK, 0, NULL, NULL, &world, NULL, 0);
    CU_ASSERT_PTR_NULL(ntsec_ace_application_data(hdr(buf), &len));
    CU_ASSERT_EQUAL(len, 0);
    build(buf, NTSEC_ACE_ACCESS_ALLOWED, 0, NULL, NULL, &world, (const uint8_t *)"abcd", 4);
    len = 5;
    CU_ASSERT_PTR_NULL(ntsec_ace_application_data(hdr(buf), &len));
    CU_ASSERT_EQUAL(len, 0);
    CU_ASSERT_PTR_NULL(ntsec_ace_application_data(NULL, &len));
}

/* Microsoft docs, RtlMapGenericMask / MapGenericMask: each generic right present
 * is replaced by the mapping's rights; afterwards no generic bit is set */
static void map_generic_replaces_generic_bits(void)
{
    /* File object mapping (FILE_GENERIC_*), Microsoft docs, File Security and
     * Access Rights. */
    struct ntsec_generic_mapping file = { 0x120089, 0x120116, 0x1200A0, 0x1F01FF };

    CU_ASSERT_EQUAL(ntsec_access_map_generic(NTSEC_GENERIC_READ, &file), 0x120089);
    CU_ASSERT_EQUAL(ntsec_access_map_generic(NTSEC_GENERIC_READ | NTSEC_GENERIC_WRITE, &file),
                    0x120089 | 0x120116);
    CU_ASSERT_EQUAL(ntsec_access_map_generic(NTSEC_GENERIC_EXECUTE | NTSEC_DELETE, &file),
                    0x1200A0 | NTSEC_DELETE);
    CU_ASSERT_EQUAL(ntsec_access_map_generic(NTSEC_GENERIC_ALL, &file), 0x1F01FF);
    CU_ASSERT_EQUAL(ntsec_access_map_generic(NTSEC_MAXIMUM_ALLOWED | 1, &file),
                    NTSEC_MAXIMUM_ALLOWED | 1);
    CU_ASSERT_EQUAL(ntsec_access_map_generic(0, &file), 0);
}

/* Microsoft docs, MapGenericMask: none of the generic bits remain, even when the
 * mapping itself names one */
static void map_generic_clears_generic_bits_from_mapping(void)
{
    struct ntsec_generic_mapping odd = { NTSEC_GENERIC_ALL | 1, 2, 4, 8 };

    CU_ASSERT_EQUAL(ntsec_access_map_generic(NTSEC_GENERIC_READ, &odd), 1);
    CU_ASSERT_EQUAL(ntsec_access_map_generic(0xF0000000u | 0x10, NULL), 0x10);
}

static CU_TestInfo ace_tests[] = {
    TEST(table_is_indexed_by_ace_type),
    TEST(table_minimum_sizes_follow_layouts),
    TEST(table_minimum_revisions),
    TEST(table_places_types_in_dacl_or_sacl),
    TEST(table_marks_types_with_application_data),
    TEST(accessors_read_mask_and_sid_of_every_plain_type),
    TEST(sid_accessor_refuses_what_is_not_there),
    TEST(object_accessors_follow_flags),
    TEST(object_accessors_stay_inside_ace),
    TEST(application_data_of_callback_ace_is_byte_exact),
    TEST(application_data_of_resource_attribute_ace),
    TEST(application_data_absent),
    TEST(map_generic_replaces_generic_bits),
    TEST(map_generic_clears_generic_bits_from_mapping),
    CU_TEST_INFO_NULL,
};

void register_tests(void)
{
    init_sids();
    testutil_add_suite("ace", ace_tests);
}
