/* test_acl.c - ACLs: RtlCreateAcl, RtlValidAcl, RtlGetAce,
 * RtlQueryInformationAcl, RtlAddAce and RtlDeleteAce, with the statuses
 * Windows returns (the RtlAdd*Ace family is in test_acl_add.c). Each
 * test names its source. */
#include "acl_fixtures.h"

/* --- RtlCreateAcl -------------------------------------------------------- */

/* Wine dlls/advapi32/tests/security.c, test_acls: sizeof(ACL) - 1 ->
 * ERROR_INSUFFICIENT_BUFFER (STATUS_BUFFER_TOO_SMALL); Microsoft docs, RtlCreateAcl */
static void init_below_header_size_is_buffer_too_small(void)
{
    uint32_t buf[ACL_BUF_WORDS];

    memset(buf, 0xAB, sizeof(buf));
    CU_ASSERT_EQUAL(ntsec_acl_init((struct ntsec_acl *)buf, 7, NTSEC_ACL_REVISION),
                    NTSEC_STATUS_BUFFER_TOO_SMALL);
    CU_ASSERT_EQUAL(buf[0], 0xABABABABu);
    CU_ASSERT_EQUAL(ntsec_acl_init((struct ntsec_acl *)buf, 0, NTSEC_ACL_REVISION),
                    NTSEC_STATUS_BUFFER_TOO_SMALL);
    CU_ASSERT_EQUAL(ntsec_acl_init(NULL, 64, NTSEC_ACL_REVISION), NTSEC_STATUS_INVALID_PARAMETER);
}

/* Wine test_acls: InitializeAcl(0xffffffff) -> ERROR_INVALID_PARAMETER;
 * Microsoft docs, RtlCreateAcl: "AclLength is too large" */
static void init_above_0xffff_is_invalid_parameter(void)
{
    uint32_t buf[ACL_BUF_WORDS];
    struct ntsec_acl *acl = (struct ntsec_acl *)buf;

    memset(buf, 0xAB, sizeof(buf));
    CU_ASSERT_EQUAL(ntsec_acl_init((struct ntsec_acl *)buf, 0xFFFFFFFFu, NTSEC_ACL_REVISION),
                    NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_acl_init((struct ntsec_acl *)buf, 0x10000, NTSEC_ACL_REVISION),
                    NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(buf[0], 0xABABABABu);
    CU_ASSERT_EQUAL(ntsec_acl_init(acl, 0xFFFF, NTSEC_ACL_REVISION), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(acl->size, NTSEC_ACL_MAX_SIZE);
}

/* Wine test_acls: revisions 1 and -1 -> ERROR_INVALID_PARAMETER, 2, 3, 4 succeed
 * and the result passes IsValidAcl */
static void init_accepts_revisions_2_to_4_only(void)
{
    static const uint32_t bad[] = { 0, 1, 5, 0xFFFFFFFFu };
    uint32_t buf[ACL_BUF_WORDS];
    struct ntsec_acl *acl = (struct ntsec_acl *)buf;

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        CU_ASSERT_EQUAL(ntsec_acl_init(acl, sizeof(buf), bad[i]), NTSEC_STATUS_INVALID_PARAMETER);
    for (uint32_t rev = 2; rev <= 4; rev++) {
        memset(buf, 0xAB, sizeof(buf));
        CU_ASSERT_EQUAL(ntsec_acl_init(acl, sizeof(buf), rev), NTSEC_STATUS_SUCCESS);
        CU_ASSERT_EQUAL(acl->revision, rev);
        CU_ASSERT_EQUAL(acl->size, sizeof(buf));
        CU_ASSERT_EQUAL(acl->ace_count, 0);
        CU_ASSERT_EQUAL(acl->sbz1, 0);
        CU_ASSERT_EQUAL(acl->sbz2, 0);
        CU_ASSERT_TRUE(ntsec_acl_is_valid(acl));
    }
}

/* ReactOS sdk/lib/rtl/acl.c, RtlCreateAcl: the length is checked before the revision */
static void init_checks_size_before_revision(void)
{
    uint32_t buf[ACL_BUF_WORDS];

    CU_ASSERT_EQUAL(ntsec_acl_init((struct ntsec_acl *)buf, 4, 9), NTSEC_STATUS_BUFFER_TOO_SMALL);
}

/* Microsoft docs, InitializeAcl: nAclLength "must be DWORD-aligned"; ntsec rounds
 * an unaligned length down (acl.c explains the choice) */
static void init_rounds_unaligned_size_down(void)
{
    uint32_t buf[ACL_BUF_WORDS];
    struct ntsec_acl *acl = (struct ntsec_acl *)buf;

    CU_ASSERT_EQUAL(ntsec_acl_init(acl, 11, NTSEC_ACL_REVISION), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(acl->size, 8);
    CU_ASSERT_EQUAL(ntsec_acl_init(acl, 62, NTSEC_ACL_REVISION), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(acl->size, 60);
    CU_ASSERT_TRUE(ntsec_acl_is_valid(acl));
}

/* --- RtlValidAcl ---------------------------------------------------------- */

/* ReactOS sdk/lib/rtl/acl.c, RtlValidAcl: revision MIN_ACL_REVISION..MAX_ACL_REVISION */
static void valid_acl_needs_revision_2_to_4(void)
{
    uint32_t buf[ACL_BUF_WORDS];

    CU_ASSERT_FALSE(ntsec_acl_is_valid(raw_acl(buf, 1, 64, 0)));
    CU_ASSERT_FALSE(ntsec_acl_is_valid(raw_acl(buf, 5, 64, 0)));
    CU_ASSERT_FALSE(ntsec_acl_is_valid(raw_acl(buf, 0, 64, 0)));
    CU_ASSERT_TRUE(ntsec_acl_is_valid(raw_acl(buf, 3, 64, 0)));
    CU_ASSERT_FALSE(ntsec_acl_is_valid(NULL));
}

/* ReactOS RtlValidAcl: AclSize even and at least sizeof(ACL) */
static void valid_acl_needs_even_size_of_at_least_header(void)
{
    uint32_t buf[ACL_BUF_WORDS];

    CU_ASSERT_FALSE(ntsec_acl_is_valid(raw_acl(buf, 2, 7, 0)));
    CU_ASSERT_FALSE(ntsec_acl_is_valid(raw_acl(buf, 2, 0, 0)));
    CU_ASSERT_FALSE(ntsec_acl_is_valid(raw_acl(buf, 2, 63, 0)));
    CU_ASSERT_TRUE(ntsec_acl_is_valid(raw_acl(buf, 2, 8, 0)));
    CU_ASSERT_TRUE(ntsec_acl_is_valid(raw_acl(buf, 2, 62, 0)));
}

/* ReactOS RtlValidAcl: each counted ACE's header must start strictly before
 * the end, and the ACE must end within AclSize */
static void valid_acl_needs_each_ace_inside(void)
{
    uint32_t buf[ACL_BUF_WORDS];
    struct ntsec_acl *acl;
    uint16_t n;

    /* Counted ACE with no bytes for it at all. */
    CU_ASSERT_FALSE(ntsec_acl_is_valid(raw_acl(buf, 2, 8, 1)));
    acl = raw_acl(buf, 2, 8 + 12, 1);
    n = put_ace(first_ace(acl), NTSEC_ACE_ACCESS_ALLOWED, 0, 0, 1, &world);
    CU_ASSERT_EQUAL(n, 20);
    CU_ASSERT_FALSE(ntsec_acl_is_valid(acl));       /* 20-byte ACE in 12 bytes */
    acl->size = 8 + 20;
    CU_ASSERT_TRUE(ntsec_acl_is_valid(acl));
    acl->ace_count = 2;                             /* second ACE header at the end */
    CU_ASSERT_FALSE(ntsec_acl_is_valid(acl));
}

/* ReactOS RtlValidAcl: AceSize even; for known types a multiple of 4
 * ([MS-DTYP] 2.4.4.1, AceSize) holding the fixed part and the SID */
static void valid_acl_checks_ace_size(void)
{
    uint32_t buf[ACL_BUF_WORDS];
    struct ntsec_acl *acl = raw_acl(buf, 2, 64, 1);

    put_ace(first_ace(acl), NTSEC_ACE_ACCESS_ALLOWED, 0, 22, 1, &world);
    CU_ASSERT_FALSE(ntsec_acl_is_valid(acl));       /* 22: even, not DWORD */
    put_ace(first_ace(acl), NTSEC_ACE_ACCESS_ALLOWED, 0, 21, 1, &world);
    CU_ASSERT_FALSE(ntsec_acl_is_valid(acl));
    put_ace(first_ace(acl), NTSEC_ACE_ACCESS_ALLOWED, 0, 16, 1, &world);
    CU_ASSERT_FALSE(ntsec_acl_is_valid(acl));       /* SID of 12 bytes in 8 */
    put_ace(first_ace(acl), NTSEC_ACE_ACCESS_ALLOWED, 0, 12, 1, &world);
    CU_ASSERT_FALSE(ntsec_acl_is_valid(acl));
    put_ace(first_ace(acl), NTSEC_ACE_ACCESS_ALLOWED, 0, 20, 1, &world);
    CU_ASSERT_TRUE(ntsec_acl_is_valid(acl));
}

/* ReactOS modules/rostests/apitests/ntdll/RtlDeleteAce.c (Windows results): ACEs
 * larger than their SID, and a SID with no sub-authorities, are valid */
static void valid_acl_accepts_ace_larger_than_its_sid(void)
{
    uint32_t buf[ACL_BUF_WORDS];
    struct ntsec_acl *acl = raw_acl(buf, 2, 8 + 16 + 20 + 24, 3);
    struct ntsec_sid null_authority;
    uint8_t *p = first_ace(acl);

    ntsec_sid_init(&null_authority, 0, 0, NULL);
    p += put_ace(p, NTSEC_ACE_ACCESS_ALLOWED, 0, 16, 0, &null_authority);
    p += put_ace(p, NTSEC_ACE_ACCESS_ALLOWED, 0, 20, 0, &null_authority);
    put_ace(p, NTSEC_ACE_ACCESS_ALLOWED, 0, 24, 0, &null_authority);
    CU_ASSERT_TRUE(ntsec_acl_is_valid(acl));
}

/* ReactOS RtlValidAcl: the SID of a known ACE has revision 1 and at most 15
 * sub-authorities (RtlValidSid) */
static void valid_acl_rejects_bad_sid_in_known_ace(void)
{
    uint32_t buf[ACL_BUF_WORDS];
    struct ntsec_acl *acl = raw_acl(buf, 2, 64, 1);
    uint8_t *p = first_ace(acl);

    put_ace(p, NTSEC_ACE_SYSTEM_AUDIT, 0, 0, 1, &world);
    CU_ASSERT_TRUE(ntsec_acl_is_valid(acl));
    p[8] = 2;                                       /* SID revision */
    CU_ASSERT_FALSE(ntsec_acl_is_valid(acl));
    p[8] = 1;
    p[9] = 16;                                      /* sub-authority count */
    CU_ASSERT_FALSE(ntsec_acl_is_valid(acl));
    /* Every SID-bearing type is checked, e.g. the mandatory label. */
    p[9] = 1;
    p[0] = NTSEC_ACE_SYSTEM_MANDATORY_LABEL;
    CU_ASSERT_TRUE(ntsec_acl_is_valid(acl));
    p[8] = 0;
    CU_ASSERT_FALSE(ntsec_acl_is_valid(acl));
}

/* ReactOS RtlValidAcl: an unknown ACE type is accepted when AceSize covers its header */
static void valid_acl_accepts_unknown_type_of_header_size(void)
{
    uint32_t buf[ACL_BUF_WORDS];
    struct ntsec_acl *acl = raw_acl(buf, 2, 64, 1);
    struct ntsec_ace_header h = { 0x7F, 0, 6 };

    memcpy(first_ace(acl), &h, sizeof(h));
    CU_ASSERT_TRUE(ntsec_acl_is_valid(acl));        /* not a multiple of 4: fine */
    h.size = 2;
    memcpy(first_ace(acl), &h, sizeof(h));
    CU_ASSERT_FALSE(ntsec_acl_is_valid(acl));
    h.size = 0;
    memcpy(first_ace(acl), &h, sizeof(h));
    CU_ASSERT_FALSE(ntsec_acl_is_valid(acl));
    h.size = 5;
    memcpy(first_ace(acl), &h, sizeof(h));
    CU_ASSERT_FALSE(ntsec_acl_is_valid(acl));       /* odd */
}

/* [MS-DTYP] 2.4.5 AclRevision: object ACEs need ACL_REVISION_DS; winnt.h: the
 * compound ACE is a revision-3 type */
static void valid_acl_needs_revision_for_object_and_compound_aces(void)
{
    uint32_t buf[ACL_BUF_WORDS];
    struct ntsec_acl *acl = raw_acl(buf, 2, 64, 1);
    uint8_t *p = first_ace(acl);
    uint32_t flags = 0;
    uint16_t compound_size = 12 + 12 + 16;
    uint16_t compound_type = 1;
    struct ntsec_ace_header h = { NTSEC_ACE_ACCESS_ALLOWED_COMPOUND, 0, compound_size };

    /* Object ACE without GUIDs: header, mask, Flags = 0, SID. */
    put_ace(p, NTSEC_ACE_ACCESS_ALLOWED_OBJECT, 0, 24, 1, &world);
    memcpy(p + 8, &flags, 4);
    memcpy(p + 12, &world, 12);
    CU_ASSERT_FALSE(ntsec_acl_is_valid(acl));
    acl->revision = 3;
    CU_ASSERT_FALSE(ntsec_acl_is_valid(acl));
    acl->revision = 4;
    CU_ASSERT_TRUE(ntsec_acl_is_valid(acl));

    memset(p, 0, 56);
    memcpy(p, &h, 4);
    memcpy(p + 8, &compound_type, 2);
    memcpy(p + 12, &world, 12);
    memcpy(p + 24, &users, 16);
    acl->revision = 2;
    CU_ASSERT_FALSE(ntsec_acl_is_valid(acl));
    acl->revision = 3;
    CU_ASSERT_TRUE(ntsec_acl_is_valid(acl));
    h.size = 36;                                    /* second SID cut short */
    memcpy(p, &h, 4);
    CU_ASSERT_FALSE(ntsec_acl_is_valid(acl));
}

/* [MS-DTYP] 2.4.4.3: the SID of an object ACE follows the GUIDs its Flags announce */
static void valid_acl_finds_object_ace_sid_after_guids(void)
{
    uint32_t buf[ACL_BUF_WORDS];
    struct ntsec_acl *acl = raw_acl(buf, 4, 128, 1);
    uint8_t *p = first_ace(acl);
    uint32_t flags = NTSEC_ACE_OBJECT_TYPE_PRESENT | NTSEC_ACE_INHERITED_OBJECT_TYPE_PRESENT;
    struct ntsec_ace_header h = { NTSEC_ACE_ACCESS_DENIED_OBJECT, 0, 12 + 32 + 12 };

    memcpy(p, &h, 4);
    memcpy(p + 8, &flags, 4);
    memset(p + 12, 0x5A, 32);
    memcpy(p + 44, &world, 12);
    CU_ASSERT_TRUE(ntsec_acl_is_valid(acl));
    flags = NTSEC_ACE_OBJECT_TYPE_PRESENT;          /* SID now read at +28: GUID bytes */
    memcpy(p + 8, &flags, 4);
    CU_ASSERT_FALSE(ntsec_acl_is_valid(acl));
}

/* Conditional ACEs built from SDDL sit in revision-2 ACLs ([MS-DTYP] 2.4.4.17);
 * the application data after the SID is not inspected by RtlValidAcl */
static void valid_acl_accepts_callback_ace_in_revision_2(void)
{
    uint32_t buf[ACL_BUF_WORDS];
    struct ntsec_acl *acl = raw_acl(buf, 2, 64, 1);
    uint8_t *p = first_ace(acl);

    put_ace(p, NTSEC_ACE_ACCESS_ALLOWED_CALLBACK, 0, 20 + 8, 1, &world);
    memcpy(p + 20, "artx\0\0\0\0", 8);
    CU_ASSERT_TRUE(ntsec_acl_is_valid(acl));
}

/* --- RtlGetAce -------------------------------------------------------------- */

/* ReactOS sdk/lib/rtl/acl.c, RtlGetAce; Wine security.c GetAce loops stop past
 * the last ACE: an index at or past AceCount is STATUS_INVALID_PARAMETER */
static void get_ace_out_of_range_is_invalid_parameter(void)
{
    uint32_t buf[ACL_BUF_WORDS];
    struct ntsec_acl *acl = new_acl(buf, sizeof(buf), NTSEC_ACL_REVISION);
    const struct ntsec_ace_header *ace = (const void *)0x1;

    CU_ASSERT_EQUAL(ntsec_acl_get_ace(acl, 0, &ace), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_acl_add_access_ace(acl, 2, NTSEC_ACE_ACCESS_ALLOWED, 0, 1, &world),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_acl_get_ace(acl, 1, &ace), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_acl_get_ace(acl, 0xFFFFFFFFu, &ace), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_PTR_EQUAL(ace, (const void *)0x1);
    CU_ASSERT_EQUAL(ntsec_acl_get_ace(acl, 0, &ace), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_PTR_EQUAL(ace, (const void *)first_ace(acl));
    CU_ASSERT_EQUAL(ntsec_acl_get_ace(NULL, 0, &ace), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_acl_get_ace(acl, 0, NULL), NTSEC_STATUS_INVALID_PARAMETER);
}

/* ReactOS RtlGetAce: a revision outside 2..4 is STATUS_INVALID_PARAMETER */
static void get_ace_needs_known_revision(void)
{
    uint32_t buf[ACL_BUF_WORDS];
    struct ntsec_acl *acl = raw_acl(buf, 5, 64, 1);
    const struct ntsec_ace_header *ace;

    put_ace(first_ace(acl), NTSEC_ACE_ACCESS_ALLOWED, 0, 0, 1, &world);
    CU_ASSERT_EQUAL(ntsec_acl_get_ace(acl, 0, &ace), NTSEC_STATUS_INVALID_PARAMETER);
    acl->revision = 4;
    CU_ASSERT_EQUAL(ntsec_acl_get_ace(acl, 0, &ace), NTSEC_STATUS_SUCCESS);
}

/* ReactOS RtlGetAce: walks by AceSize, STATUS_INVALID_PARAMETER when an ACE on
 * the way starts outside the ACL */
static void get_ace_walks_by_ace_size_within_acl(void)
{
    uint32_t buf[ACL_BUF_WORDS];
    struct ntsec_acl *acl = raw_acl(buf, 2, 8 + 20 + 24, 3);
    const struct ntsec_ace_header *ace;
    uint8_t *p = first_ace(acl);

    p += put_ace(p, NTSEC_ACE_ACCESS_ALLOWED, 0, 20, 1, &world);
    put_ace(p, NTSEC_ACE_ACCESS_DENIED, 0, 24, 2, &users);
    CU_ASSERT_EQUAL(ntsec_acl_get_ace(acl, 1, &ace), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ace->type, NTSEC_ACE_ACCESS_DENIED);
    CU_ASSERT_EQUAL((const uint8_t *)ace - (const uint8_t *)acl, 28);
    /* Third counted ACE would start at AclSize. */
    CU_ASSERT_EQUAL(ntsec_acl_get_ace(acl, 2, &ace), NTSEC_STATUS_INVALID_PARAMETER);
}

/* --- RtlQueryInformationAcl(AclSizeInformation) ----------------------------- */

/* Microsoft docs, GetAclInformation / ACL_SIZE_INFORMATION; Wine security.c,
 * test_AddMandatoryAce (AceCount); ReactOS RtlQueryInformationAcl */
static void size_info_counts_used_and_free_bytes(void)
{
    uint32_t buf[ACL_BUF_WORDS];
    struct ntsec_acl *acl = new_acl(buf, 100, NTSEC_ACL_REVISION);
    struct ntsec_acl_size_info info;

    CU_ASSERT_EQUAL(ntsec_acl_size_info(acl, &info), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(info.ace_count, 0);
    CU_ASSERT_EQUAL(info.bytes_in_use, 8);
    CU_ASSERT_EQUAL(info.bytes_free, 92);
    ntsec_acl_add_access_ace(acl, 2, NTSEC_ACE_ACCESS_ALLOWED, 0, 1, &world);
    ntsec_acl_add_access_ace(acl, 2, NTSEC_ACE_ACCESS_DENIED, 0, 1, &users);
    CU_ASSERT_EQUAL(ntsec_acl_size_info(acl, &info), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(info.ace_count, 2);
    CU_ASSERT_EQUAL(info.bytes_in_use, 8 + 20 + 24);
    CU_ASSERT_EQUAL(info.bytes_free, 100 - 52);
}

/* ReactOS RtlQueryInformationAcl with RtlFirstFreeAce (Windows results in
 * modules/rostests/apitests/ntdll/RtlFirstFreeAce.c): ACEs running past
 * AclSize leave no free byte; a bad revision is STATUS_INVALID_PARAMETER */
static void size_info_full_acl_and_bad_revision(void)
{
    uint32_t buf[ACL_BUF_WORDS];
    struct ntsec_acl *acl = raw_acl(buf, 2, 8 + 10, 1);
    struct ntsec_acl_size_info info = { 7, 7, 7 };

    put_ace(first_ace(acl), NTSEC_ACE_ACCESS_ALLOWED, 0, 20, 1, &world);
    CU_ASSERT_EQUAL(ntsec_acl_size_info(acl, &info), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(info.bytes_in_use, 18);
    CU_ASSERT_EQUAL(info.bytes_free, 0);
    acl->revision = 1;
    info.ace_count = 7;
    CU_ASSERT_EQUAL(ntsec_acl_size_info(acl, &info), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(info.ace_count, 7);
    /* A second ACE starting past the end is malformed. */
    acl->revision = 2;
    acl->ace_count = 2;
    CU_ASSERT_EQUAL(ntsec_acl_size_info(acl, &info), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_acl_size_info(acl, NULL), NTSEC_STATUS_INVALID_PARAMETER);
}

/* --- RtlAddAce -------------------------------------------------------------- */

static uint16_t world_ace(uint8_t *p, uint8_t type)
{
    return put_ace(p, type, 0, 0, 0x1F01FF, &world);
}

/* Wine dlls/advapi32/tests/security.c, test_AddAce: AddAce accepts any revision
 * and raises AclRevision to it, never lowering it */
static void add_aces_raises_revision_never_lowers(void)
{
    uint32_t buf[ACL_BUF_WORDS], ace[8];
    struct ntsec_acl *acl = new_acl(buf, sizeof(buf), 2);
    uint16_t n = world_ace((uint8_t *)ace, NTSEC_ACE_ACCESS_ALLOWED);

    CU_ASSERT_EQUAL(ntsec_acl_add_aces(acl, 1, 0xFFFFFFFFu, ace, n), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(acl->revision, 2);
    CU_ASSERT_EQUAL(ntsec_acl_add_aces(acl, 3, 0xFFFFFFFFu, ace, n), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(acl->revision, 3);
    CU_ASSERT_EQUAL(ntsec_acl_add_aces(acl, 4, 0xFFFFFFFFu, ace, n), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(acl->revision, 4);
    CU_ASSERT_EQUAL(ntsec_acl_add_aces(acl, 1, 0xFFFFFFFFu, ace, n), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(acl->revision, 4);
    CU_ASSERT_EQUAL(ntsec_acl_add_aces(acl, 0, 0xFFFFFFFFu, ace, n), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(acl->ace_count, 5);
    CU_ASSERT_TRUE(ntsec_acl_is_valid(acl));
}

/* Wine test_AddAce: MAX_ACL_REVISION + 1 succeeds and is stored, leaving an ACL
 * the next AddAce refuses with ERROR_INVALID_PARAMETER */
static void add_aces_above_max_revision_corrupts_acl(void)
{
    uint32_t buf[ACL_BUF_WORDS], ace[8], copy[ACL_BUF_WORDS];
    struct ntsec_acl *acl = new_acl(buf, sizeof(buf), 2);
    uint16_t n = world_ace((uint8_t *)ace, NTSEC_ACE_ACCESS_ALLOWED);

    CU_ASSERT_EQUAL(ntsec_acl_add_aces(acl, 5, 0xFFFFFFFFu, ace, n), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(acl->revision, 5);
    CU_ASSERT_FALSE(ntsec_acl_is_valid(acl));
    memcpy(copy, buf, sizeof(buf));
    CU_ASSERT_EQUAL(ntsec_acl_add_aces(acl, 2, 0xFFFFFFFFu, ace, n), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_MEM_EQUAL(copy, buf, sizeof(buf));
}

/* ReactOS sdk/lib/rtl/acl.c, RtlAddAce: the list goes before StartingIndex, or at
 * the end when the index is past the last ACE; several ACEs at once count */
static void add_aces_inserts_before_index(void)
{
    uint32_t buf[ACL_BUF_WORDS], list[16];
    struct ntsec_acl *acl = new_acl(buf, sizeof(buf), 2);
    const struct ntsec_ace_header *ace;
    uint8_t *l = (uint8_t *)list;
    uint16_t n1, n2;

    CU_ASSERT_EQUAL(ntsec_acl_add_access_ace(acl, 2, NTSEC_ACE_ACCESS_ALLOWED, 0, 1, &users),
                    NTSEC_STATUS_SUCCESS);
    n1 = put_ace(l, NTSEC_ACE_ACCESS_DENIED, 0, 0, 2, &world);
    n2 = put_ace(l + n1, NTSEC_ACE_SYSTEM_AUDIT, NTSEC_ACE_FAILED_ACCESS, 0, 3, &world);
    CU_ASSERT_EQUAL(ntsec_acl_add_aces(acl, 2, 0, list, n1 + n2), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(acl->ace_count, 3);
    ntsec_acl_get_ace(acl, 0, &ace);
    CU_ASSERT_EQUAL(ace->type, NTSEC_ACE_ACCESS_DENIED);
    ntsec_acl_get_ace(acl, 1, &ace);
    CU_ASSERT_EQUAL(ace->type, NTSEC_ACE_SYSTEM_AUDIT);
    ntsec_acl_get_ace(acl, 2, &ace);
    CU_ASSERT_EQUAL(ace->type, NTSEC_ACE_ACCESS_ALLOWED);
    CU_ASSERT_TRUE(ntsec_sid_equal(ntsec_ace_sid(ace), &users));
    /* Index 1 puts it between the first and second. */
    CU_ASSERT_EQUAL(ntsec_acl_add_aces(acl, 2, 1, list, n1), NTSEC_STATUS_SUCCESS);
    ntsec_acl_get_ace(acl, 1, &ace);
    CU_ASSERT_EQUAL(ace->type, NTSEC_ACE_ACCESS_DENIED);
    ntsec_acl_get_ace(acl, 2, &ace);
    CU_ASSERT_EQUAL(ace->type, NTSEC_ACE_SYSTEM_AUDIT);
    /* Past the end appends. */
    CU_ASSERT_EQUAL(ntsec_acl_add_aces(acl, 2, 99, l + n1, n2), NTSEC_STATUS_SUCCESS);
    ntsec_acl_get_ace(acl, 4, &ace);
    CU_ASSERT_EQUAL(ace->type, NTSEC_ACE_SYSTEM_AUDIT);
    CU_ASSERT_TRUE(ntsec_acl_is_valid(acl));
}

/* ReactOS RtlAddAce ("what Windows does"): compound ACEs need requested revision
 * 3, object ACEs 4, else STATUS_INVALID_PARAMETER; later types are not checked */
static void add_aces_checks_revision_for_types_up_to_0x08(void)
{
    uint32_t buf[ACL_BUF_WORDS], ace[12], copy[ACL_BUF_WORDS];
    struct ntsec_acl *acl = new_acl(buf, sizeof(buf), 2);
    uint8_t *p = (uint8_t *)ace;
    uint32_t flags = 0;

    memset(ace, 0, sizeof(ace));
    put_ace(p, NTSEC_ACE_ACCESS_ALLOWED_OBJECT, 0, 24, 1, &world);
    memcpy(p + 8, &flags, 4);
    memcpy(p + 12, &world, 12);
    memcpy(copy, buf, sizeof(buf));
    CU_ASSERT_EQUAL(ntsec_acl_add_aces(acl, 3, 0, ace, 24), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_MEM_EQUAL(copy, buf, sizeof(buf));
    CU_ASSERT_EQUAL(ntsec_acl_add_aces(acl, 4, 0, ace, 24), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(acl->revision, 4);

    acl = new_acl(buf, sizeof(buf), 2);
    p[0] = NTSEC_ACE_ACCESS_ALLOWED_COMPOUND;
    CU_ASSERT_EQUAL(ntsec_acl_add_aces(acl, 2, 0, ace, 24), NTSEC_STATUS_INVALID_PARAMETER);
    /* The callback object type (0x0B) is not checked. */
    p[0] = NTSEC_ACE_ACCESS_ALLOWED_CALLBACK_OBJECT;
    CU_ASSERT_EQUAL(ntsec_acl_add_aces(acl, 2, 0, ace, 24), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(acl->revision, 2);
}

/* ReactOS RtlAddAce: a list that does not fit after the last ACE is
 * STATUS_BUFFER_TOO_SMALL (not the RtlAdd*Ace STATUS_ALLOTTED_SPACE_EXCEEDED) */
static void add_aces_not_fitting_is_buffer_too_small(void)
{
    uint32_t buf[ACL_BUF_WORDS], ace[8], copy[ACL_BUF_WORDS];
    struct ntsec_acl *acl = new_acl(buf, 8 + 20 + 19, 2);
    uint16_t n = world_ace((uint8_t *)ace, NTSEC_ACE_ACCESS_ALLOWED);

    CU_ASSERT_EQUAL(acl->size, 44);
    CU_ASSERT_EQUAL(ntsec_acl_add_aces(acl, 2, 0, ace, n), NTSEC_STATUS_SUCCESS);
    memcpy(copy, buf, sizeof(buf));
    CU_ASSERT_EQUAL(ntsec_acl_add_aces(acl, 2, 0, ace, n), NTSEC_STATUS_BUFFER_TOO_SMALL);
    CU_ASSERT_MEM_EQUAL(copy, buf, sizeof(buf));
    acl->size = 48;
    CU_ASSERT_EQUAL(ntsec_acl_add_aces(acl, 2, 0, ace, n), NTSEC_STATUS_SUCCESS);
}

/* ReactOS RtlAddAce: an ACE list whose last ACE runs past AceListLength, or an
 * invalid ACL, is STATUS_INVALID_PARAMETER; an AceSize below the header would
 * never end the walk and is refused the same way */
static void add_aces_malformed_list_or_acl_is_invalid_parameter(void)
{
    uint32_t buf[ACL_BUF_WORDS], ace[8], copy[ACL_BUF_WORDS];
    struct ntsec_acl *acl = new_acl(buf, sizeof(buf), 2);
    uint16_t n = world_ace((uint8_t *)ace, NTSEC_ACE_ACCESS_ALLOWED);
    struct ntsec_ace_header zero = { NTSEC_ACE_ACCESS_ALLOWED, 0, 0 };

    memcpy(copy, buf, sizeof(buf));
    CU_ASSERT_EQUAL(ntsec_acl_add_aces(acl, 2, 0, ace, n - 4), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_acl_add_aces(acl, 2, 0, ace, n + 2), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_acl_add_aces(acl, 2, 0, &zero, 4), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_acl_add_aces(acl, 2, 0, NULL, 4), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_MEM_EQUAL(copy, buf, sizeof(buf));
    acl->size = 9;
    CU_ASSERT_EQUAL(ntsec_acl_add_aces(acl, 2, 0, ace, n), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_acl_add_aces(NULL, 2, 0, ace, n), NTSEC_STATUS_INVALID_PARAMETER);
}

/* --- RtlDeleteAce ------------------------------------------------------------ */

/* ReactOS modules/rostests/apitests/ntdll/RtlDeleteAce.c (Windows results): an
 * index at or past AceCount, 0xFFFFFFFF included, is STATUS_INVALID_PARAMETER
 * and changes nothing */
static void delete_ace_out_of_range_is_invalid_parameter(void)
{
    uint32_t buf[ACL_BUF_WORDS], copy[ACL_BUF_WORDS];
    struct ntsec_acl *acl = new_acl(buf, sizeof(buf), 2);

    CU_ASSERT_EQUAL(ntsec_acl_delete_ace(acl, 0), NTSEC_STATUS_INVALID_PARAMETER);
    ntsec_acl_add_access_ace(acl, 2, NTSEC_ACE_ACCESS_ALLOWED, 0, 1, &world);
    memcpy(copy, buf, sizeof(buf));
    CU_ASSERT_EQUAL(ntsec_acl_delete_ace(acl, 1), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_acl_delete_ace(acl, 0xFFFFFFFFu), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_MEM_EQUAL(copy, buf, sizeof(buf));
    acl->revision = 9;
    CU_ASSERT_EQUAL(ntsec_acl_delete_ace(acl, 0), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_acl_delete_ace(NULL, 0), NTSEC_STATUS_INVALID_PARAMETER);
}

/* ReactOS RtlDeleteAce.c (Windows results): later ACEs move up, AclSize stays,
 * and the bytes freed at the end are zeroed (the old slot reads AceSize 0) */
static void delete_ace_moves_later_aces_up_and_zeroes_tail(void)
{
    uint32_t buf[ACL_BUF_WORDS];
    struct ntsec_acl *acl = raw_acl(buf, 2, 8 + 20 + 24 + 28 + 32, 4);
    const struct ntsec_ace_header *ace;
    uint8_t *p = first_ace(acl);
    uint8_t zero[32] = { 0 };

    p += put_ace(p, NTSEC_ACE_ACCESS_ALLOWED, 0, 20, 1, &world);
    p += put_ace(p, NTSEC_ACE_ACCESS_ALLOWED, 0, 24, 2, &world);
    p += put_ace(p, NTSEC_ACE_ACCESS_ALLOWED, 0, 28, 3, &world);
    put_ace(p, NTSEC_ACE_ACCESS_ALLOWED, 0, 32, 4, &world);
    CU_ASSERT_TRUE_FATAL(ntsec_acl_is_valid(acl));

    CU_ASSERT_EQUAL(ntsec_acl_delete_ace(acl, 3), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(acl->ace_count, 3);
    CU_ASSERT_EQUAL(acl->size, 112);
    CU_ASSERT_MEM_EQUAL(first_ace(acl) + 72, zero, 32);

    CU_ASSERT_EQUAL(ntsec_acl_delete_ace(acl, 1), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(acl->ace_count, 2);
    ntsec_acl_get_ace(acl, 1, &ace);
    CU_ASSERT_EQUAL(ace->size, 28);
    CU_ASSERT_EQUAL(ntsec_ace_mask(ace), 3);
    CU_ASSERT_MEM_EQUAL(first_ace(acl) + 48, zero, 24);

    CU_ASSERT_EQUAL(ntsec_acl_delete_ace(acl, 0), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_acl_delete_ace(acl, 0), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(acl->ace_count, 0);
    CU_ASSERT_MEM_EQUAL(first_ace(acl), zero, 32);
    CU_ASSERT_TRUE(ntsec_acl_is_valid(acl));
}

static CU_TestInfo acl_tests[] = {
    TEST(init_below_header_size_is_buffer_too_small),
    TEST(init_above_0xffff_is_invalid_parameter),
    TEST(init_accepts_revisions_2_to_4_only),
    TEST(init_checks_size_before_revision),
    TEST(init_rounds_unaligned_size_down),
    TEST(valid_acl_needs_revision_2_to_4),
    TEST(valid_acl_needs_even_size_of_at_least_header),
    TEST(valid_acl_needs_each_ace_inside),
    TEST(valid_acl_checks_ace_size),
    TEST(valid_acl_accepts_ace_larger_than_its_sid),
    TEST(valid_acl_rejects_bad_sid_in_known_ace),
    TEST(valid_acl_accepts_unknown_type_of_header_size),
    TEST(valid_acl_needs_revision_for_object_and_compound_aces),
    TEST(valid_acl_finds_object_ace_sid_after_guids),
    TEST(valid_acl_accepts_callback_ace_in_revision_2),
    TEST(get_ace_out_of_range_is_invalid_parameter),
    TEST(get_ace_needs_known_revision),
    TEST(get_ace_walks_by_ace_size_within_acl),
    TEST(size_info_counts_used_and_free_bytes),
    TEST(size_info_full_acl_and_bad_revision),
    TEST(add_aces_raises_revision_never_lowers),
    TEST(add_aces_above_max_revision_corrupts_acl),
    TEST(add_aces_inserts_before_index),
    TEST(add_aces_checks_revision_for_types_up_to_0x08),
    TEST(add_aces_not_fitting_is_buffer_too_small),
    TEST(add_aces_malformed_list_or_acl_is_invalid_parameter),
    TEST(delete_ace_out_of_range_is_invalid_parameter),
    TEST(delete_ace_moves_later_aces_up_and_zeroes_tail),
    CU_TEST_INFO_NULL,
};

void register_tests(void)
{
    init_sids();
    testutil_add_suite("acl", acl_tests);
}
