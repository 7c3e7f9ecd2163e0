/* test_object_security.c - NtSetSecurityObject's native form,
 * ntsec_object_set_security: which parts change, who may assign an owner
 * or a label, bad descriptors, allocation failure, and concurrent readers
 * while a writer replaces the descriptor.
 *
 * Windows' rules: Microsoft docs (SetKernelObjectSecurity,
 * SeSetSecurityDescriptorInfo, "SECURITY_INFORMATION", TOKEN_GROUPS
 * SE_GROUP_OWNER, "Privilege Constants" SE_RESTORE_NAME and
 * SE_RELABEL_NAME, "Windows Integrity Mechanism Design"). */
#include <pthread.h>
#include <stdlib.h>

#include "object_sd.h"
#include "process.h"
#include "procfix.h"
#include "testutil.h"
#include "thread.h"

#define MEDIUM NTSEC_MANDATORY_MEDIUM
#define LOW NTSEC_MANDATORY_LOW
#define HIGH NTSEC_MANDATORY_HIGH

/* An SD from SDDL (ntsec_mem_free it). */
static void *sd_of(const char *sddl)
{
    void *sd = NULL;
    uint32_t size;

    CU_ASSERT_EQUAL_FATAL(ntsec_sddl_to_sd(sddl, NULL, 1, &sd, &size, NULL),
                          NTSEC_STATUS_SUCCESS);
    return sd;
}

/* The parts `info` names of `object`'s descriptor, as SDDL (freed by the
 * caller with ntsec_mem_free). */
static char *sddl_of(void *object, uint32_t info)
{
    uint8_t buf[1024];
    uint32_t needed = 0;
    char *text = NULL;

    CU_ASSERT_EQUAL_FATAL(ntsec_object_query_security(object, info, buf, sizeof(buf), &needed),
                          NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(ntsec_sd_to_sddl(buf, NULL, 1, info, &text, NULL),
                          NTSEC_STATUS_SUCCESS);
    return text;
}

static void assert_sddl(void *object, uint32_t info, const char *expected)
{
    char *text = sddl_of(object, info);

    CU_ASSERT_STRING_EQUAL(text, expected);
    ntsec_mem_free(text);
}

#define ALL_PARTS (NTSEC_OWNER_SECURITY_INFORMATION | NTSEC_GROUP_SECURITY_INFORMATION | \
                   NTSEC_DACL_SECURITY_INFORMATION | NTSEC_SACL_SECURITY_INFORMATION)

/* A primary token of user 1001 at Medium holding `priv` enabled. */
static struct ntsec_token *token_with_privilege(uint32_t priv)
{
    struct tf_token f;
    struct ntsec_token *t = NULL;

    tf_init(&f);
    f.privs[1] = (struct ntsec_luid_and_attributes){ { priv, 0 }, NTSEC_SE_PRIVILEGE_ENABLED };
    CU_ASSERT_FATAL(ntsec_token_create(&f.desc, &t) == NTSEC_STATUS_SUCCESS);
    return t;
}

/* SeSetSecurityDescriptorInfo (Microsoft docs): only the parts
 * SecurityInformation names change. A new DACL then decides the next
 * open (the check reads the new descriptor). */
static void set_dacl_changes_only_the_dacl(void)
{
    struct pf_sandbox s;
    struct ntsec_process *child;
    void *sd = sd_of("O:BAG:BAD:(A;;0x1000;;;WD)");
    char *before;
    ntsec_handle h;

    pf_enter(&s, 1001, MEDIUM);
    CU_ASSERT_FATAL(ntsec_process_create(s.token, "child", &child) == NTSEC_STATUS_SUCCESS);
    before = sddl_of(child, NTSEC_OWNER_SECURITY_INFORMATION | NTSEC_GROUP_SECURITY_INFORMATION |
                                NTSEC_LABEL_SECURITY_INFORMATION);
    CU_ASSERT_EQUAL(ntsec_object_set_security(child, NTSEC_DACL_SECURITY_INFORMATION, sd, s.token),
                    NTSEC_STATUS_SUCCESS);
    assert_sddl(child, NTSEC_DACL_SECURITY_INFORMATION, "D:(A;;0x1000;;;WD)");
    assert_sddl(child, NTSEC_OWNER_SECURITY_INFORMATION | NTSEC_GROUP_SECURITY_INFORMATION |
                       NTSEC_LABEL_SECURITY_INFORMATION, before);
    CU_ASSERT_EQUAL(ntsec_object_open(child, NTSEC_PROCESS_QUERY_INFORMATION, 0, false, &h),
                    NTSEC_STATUS_ACCESS_DENIED);
    CU_ASSERT_EQUAL_FATAL(ntsec_object_open(child, NTSEC_PROCESS_QUERY_LIMITED_INFORMATION, 0,
                                            false, &h), NTSEC_STATUS_SUCCESS);
    CU_ASSERT(ntsec_success(ntsec_handle_close(h)));
    ntsec_mem_free(before);
    ntsec_mem_free(sd);
    ntsec_object_put(child);
    pf_leave(&s);
}

/* SeSetSecurityDescriptorInfo, GenericMapping (Microsoft docs): the
 * stored ACLs hold specific rights, mapped by the object's type - GA on
 * a process is PROCESS_ALL_ACCESS (0x1FFFFF), GR its GenericRead
 * (0x20410) - so the access check, which never maps an ACE, grants
 * them. */
static void set_maps_generic_rights_by_the_objects_type(void)
{
    struct pf_sandbox s;
    struct ntsec_process *child;
    void *sd = sd_of("D:(A;;GA;;;WD)S:(AU;FA;GR;;;WD)");
    ntsec_handle h;

    pf_enter(&s, 1001, MEDIUM);
    CU_ASSERT_FATAL(ntsec_process_create(s.token, "child", &child) == NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_object_set_security(child, NTSEC_DACL_SECURITY_INFORMATION |
                                                         NTSEC_SACL_SECURITY_INFORMATION,
                                              sd, s.token),
                    NTSEC_STATUS_SUCCESS);
    assert_sddl(child, NTSEC_DACL_SECURITY_INFORMATION | NTSEC_SACL_SECURITY_INFORMATION,
                "D:(A;;0x1fffff;;;WD)S:(AU;FA;0x20410;;;WD)(ML;;NWNR;;;ME)");
    CU_ASSERT_EQUAL_FATAL(ntsec_object_open(child, NTSEC_PROCESS_TERMINATE, 0, false, &h),
                          NTSEC_STATUS_SUCCESS);
    CU_ASSERT(ntsec_success(ntsec_handle_close(h)));
    ntsec_mem_free(sd);
    ntsec_object_put(child);
    pf_leave(&s);
}

/* The owner must be the caller's user or one of its groups with
 * SE_GROUP_OWNER (TOKEN_GROUPS, Microsoft docs), else
 * STATUS_INVALID_OWNER and nothing changes; the group may be any SID. */
static void set_owner_must_be_assignable(void)
{
    struct pf_sandbox s;
    struct ntsec_process *child;
    void *users = sd_of("O:BUG:SY"), *admins = sd_of("O:BAG:SY"), *me = sd_of("O:S-1-5-21-1-2-3-1001");
    uint32_t info = NTSEC_OWNER_SECURITY_INFORMATION | NTSEC_GROUP_SECURITY_INFORMATION;

    pf_enter(&s, 1001, MEDIUM);
    CU_ASSERT_FATAL(ntsec_process_create(s.token, "child", &child) == NTSEC_STATUS_SUCCESS);
    /* Users is in the token without SE_GROUP_OWNER. */
    CU_ASSERT_EQUAL(ntsec_object_set_security(child, info, users, s.token),
                    NTSEC_STATUS_INVALID_OWNER);
    assert_sddl(child, info, "O:S-1-5-21-1-2-3-1001G:S-1-5-21-1-2-3-1001");
    /* Administrators carries SE_GROUP_OWNER (tokfix.h). */
    CU_ASSERT_EQUAL(ntsec_object_set_security(child, info, admins, s.token),
                    NTSEC_STATUS_SUCCESS);
    assert_sddl(child, info, "O:BAG:SY");
    CU_ASSERT_EQUAL(ntsec_object_set_security(child, NTSEC_OWNER_SECURITY_INFORMATION, me,
                                              s.token), NTSEC_STATUS_SUCCESS);
    assert_sddl(child, info, "O:S-1-5-21-1-2-3-1001G:SY");
    ntsec_mem_free(users);
    ntsec_mem_free(admins);
    ntsec_mem_free(me);
    ntsec_object_put(child);
    pf_leave(&s);
}

/* SE_RESTORE_NAME "enables you to set any valid user or group SID as the
 * owner" (Microsoft docs, "Privilege Constants"). */
static void set_owner_anything_with_restore_privilege(void)
{
    struct pf_sandbox s;
    struct ntsec_process *child;
    struct ntsec_token *restore = token_with_privilege(NTSEC_SE_RESTORE_PRIVILEGE);
    struct ntsec_token *other = token_with_privilege(NTSEC_SE_BACKUP_PRIVILEGE);
    void *sd = sd_of("O:S-1-5-21-9-9-9-500");

    pf_enter(&s, 1001, MEDIUM);
    CU_ASSERT_FATAL(ntsec_process_create(s.token, "child", &child) == NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_object_set_security(child, NTSEC_OWNER_SECURITY_INFORMATION, sd, other),
                    NTSEC_STATUS_INVALID_OWNER);
    CU_ASSERT_EQUAL(ntsec_object_set_security(child, NTSEC_OWNER_SECURITY_INFORMATION, sd,
                                              restore), NTSEC_STATUS_SUCCESS);
    assert_sddl(child, NTSEC_OWNER_SECURITY_INFORMATION, "O:S-1-5-21-9-9-9-500");
    ntsec_mem_free(sd);
    ntsec_object_put(child);
    ntsec_token_put(restore);
    ntsec_token_put(other);
    pf_leave(&s);
}

/* SE_RELABEL_NAME "Required to modify the mandatory integrity level of an
 * object" above one's own ("Privilege Constants", "Windows Integrity
 * Mechanism Design"): a Medium caller may label Low or Medium, not High
 * (STATUS_INVALID_LABEL, ERROR_INVALID_LABEL). */
static void set_label_up_to_the_callers_level(void)
{
    struct pf_sandbox s;
    struct ntsec_process *child;
    struct ntsec_token *relabel = token_with_privilege(NTSEC_SE_RELABEL_PRIVILEGE);
    void *high = sd_of("S:(ML;;NW;;;HI)"), *low = sd_of("S:(ML;;NW;;;LW)");

    pf_enter(&s, 1001, MEDIUM);
    CU_ASSERT_FATAL(ntsec_process_create(s.token, "child", &child) == NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_object_set_security(child, NTSEC_LABEL_SECURITY_INFORMATION, high,
                                              s.token), NTSEC_STATUS_INVALID_LABEL);
    assert_sddl(child, NTSEC_LABEL_SECURITY_INFORMATION, "S:(ML;;NWNR;;;ME)");
    CU_ASSERT_EQUAL(ntsec_object_set_security(child, NTSEC_LABEL_SECURITY_INFORMATION, low,
                                              s.token), NTSEC_STATUS_SUCCESS);
    assert_sddl(child, NTSEC_LABEL_SECURITY_INFORMATION, "S:(ML;;NW;;;LW)");
    CU_ASSERT_EQUAL(ntsec_object_set_security(child, NTSEC_LABEL_SECURITY_INFORMATION, high,
                                              relabel), NTSEC_STATUS_SUCCESS);
    assert_sddl(child, NTSEC_LABEL_SECURITY_INFORMATION, "S:(ML;;NW;;;HI)");
    ntsec_mem_free(high);
    ntsec_mem_free(low);
    ntsec_object_put(child);
    ntsec_token_put(relabel);
    pf_leave(&s);
}

/* "SECURITY_INFORMATION" (Microsoft docs) names the SACL's audit ACEs
 * and its mandatory label separately: SACL alone keeps the label, label
 * alone keeps the audit ACEs, both replace the whole SACL. */
static void set_sacl_and_label_are_separate_parts(void)
{
    struct pf_sandbox s;
    struct ntsec_process *child;
    void *audit = sd_of("S:(AU;FA;0x1;;;WD)"), *label = sd_of("S:(ML;;NW;;;LW)");
    void *both = sd_of("S:(AU;SA;0x2;;;WD)");

    pf_enter(&s, 1001, MEDIUM);
    CU_ASSERT_FATAL(ntsec_process_create(s.token, "child", &child) == NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_object_set_security(child, NTSEC_SACL_SECURITY_INFORMATION, audit,
                                              s.token), NTSEC_STATUS_SUCCESS);
    assert_sddl(child, NTSEC_SACL_SECURITY_INFORMATION, "S:(AU;FA;CC;;;WD)(ML;;NWNR;;;ME)");
    CU_ASSERT_EQUAL(ntsec_object_set_security(child, NTSEC_LABEL_SECURITY_INFORMATION, label,
                                              s.token), NTSEC_STATUS_SUCCESS);
    assert_sddl(child, NTSEC_SACL_SECURITY_INFORMATION, "S:(AU;FA;CC;;;WD)(ML;;NW;;;LW)");
    CU_ASSERT_EQUAL(ntsec_object_set_security(child, NTSEC_SACL_SECURITY_INFORMATION |
                                              NTSEC_LABEL_SECURITY_INFORMATION, both, s.token),
                    NTSEC_STATUS_SUCCESS);
    assert_sddl(child, NTSEC_SACL_SECURITY_INFORMATION, "S:(AU;SA;DC;;;WD)");
    ntsec_mem_free(audit);
    ntsec_mem_free(label);
    ntsec_mem_free(both);
    ntsec_object_put(child);
    pf_leave(&s);
}

/* Bad input, nothing changed: an owner or group named but absent
 * (STATUS_INVALID_OWNER, STATUS_INVALID_PRIMARY_GROUP, as
 * SeSetSecurityDescriptorInfo refuses them), a descriptor of another
 * revision (STATUS_UNKNOWN_REVISION), NULLs and SECURITY_INFORMATION bits
 * ntsec does not model (STATUS_INVALID_PARAMETER). */
static void set_rejects_bad_input(void)
{
    struct pf_sandbox s;
    struct ntsec_process *child;
    void *empty = sd_of("D:(A;;GA;;;WD)");
    struct ntsec_sd_relative bad = { .revision = 2, .control = NTSEC_SE_SELF_RELATIVE };
    char *before;

    pf_enter(&s, 1001, MEDIUM);
    CU_ASSERT_FATAL(ntsec_process_create(s.token, "child", &child) == NTSEC_STATUS_SUCCESS);
    before = sddl_of(child, ALL_PARTS);
    CU_ASSERT_EQUAL(ntsec_object_set_security(child, NTSEC_OWNER_SECURITY_INFORMATION, empty,
                                              s.token), NTSEC_STATUS_INVALID_OWNER);
    CU_ASSERT_EQUAL(ntsec_object_set_security(child, NTSEC_GROUP_SECURITY_INFORMATION, empty,
                                              s.token), NTSEC_STATUS_INVALID_PRIMARY_GROUP);
    CU_ASSERT_EQUAL(ntsec_object_set_security(child, NTSEC_DACL_SECURITY_INFORMATION, &bad,
                                              s.token), NTSEC_STATUS_UNKNOWN_REVISION);
    CU_ASSERT_EQUAL(ntsec_object_set_security(child, NTSEC_ATTRIBUTE_SECURITY_INFORMATION, empty,
                                              s.token), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_object_set_security(NULL, NTSEC_DACL_SECURITY_INFORMATION, empty,
                                              s.token), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_object_set_security(child, NTSEC_DACL_SECURITY_INFORMATION, NULL,
                                              s.token), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_object_set_security(child, NTSEC_DACL_SECURITY_INFORMATION, empty,
                                              NULL), NTSEC_STATUS_INVALID_PARAMETER);
    assert_sddl(child, ALL_PARTS, before);
    ntsec_mem_free(before);
    ntsec_mem_free(empty);
    ntsec_object_put(child);
    pf_leave(&s);
}

/* A token object keeps the descriptor set on it; until then its default
 * comes from the token itself. Opening it afterwards checks the new DACL. */
static void set_security_of_a_token_object(void)
{
    struct ntsec_token *t = pf_make_token(1001, MEDIUM, NTSEC_TOKEN_PRIMARY, 0);
    void *sd = sd_of("D:(A;;0x8;;;WD)");
    struct pf_sandbox s;
    ntsec_handle h;

    pf_enter(&s, 1001, MEDIUM);
    CU_ASSERT_EQUAL_FATAL(ntsec_object_open(t, NTSEC_TOKEN_ADJUST_DEFAULT, 0, false, &h),
                          NTSEC_STATUS_SUCCESS);
    CU_ASSERT(ntsec_success(ntsec_handle_close(h)));
    CU_ASSERT_EQUAL(ntsec_object_set_security(t, NTSEC_DACL_SECURITY_INFORMATION, sd, s.token),
                    NTSEC_STATUS_SUCCESS);
    assert_sddl(t, NTSEC_DACL_SECURITY_INFORMATION, "D:(A;;SW;;;WD)");
    CU_ASSERT_EQUAL(ntsec_object_open(t, NTSEC_TOKEN_ADJUST_DEFAULT, 0, false, &h),
                    NTSEC_STATUS_ACCESS_DENIED);
    CU_ASSERT_EQUAL_FATAL(ntsec_object_open(t, NTSEC_TOKEN_QUERY, 0, false, &h),
                          NTSEC_STATUS_SUCCESS);
    CU_ASSERT(ntsec_success(ntsec_handle_close(h)));
    ntsec_mem_free(sd);
    pf_leave(&s);
    ntsec_token_put(t);
}

/* STYLE rule 8: each allocation failure is STATUS_NO_MEMORY with the
 * descriptor unchanged and nothing leaked, for a process (a new blob and
 * a composed SACL) and for a token (its default built first). */
static void set_out_of_memory(void)
{
    struct pf_sandbox s;
    struct ntsec_process *child;
    struct ntsec_token *t = pf_make_token(1001, MEDIUM, NTSEC_TOKEN_PRIMARY, 0);
    void *sd = sd_of("D:(A;;0x1000;;;WD)S:(ML;;NW;;;LW)");
    void *objects[2];
    uint32_t infos[2] = { NTSEC_DACL_SECURITY_INFORMATION | NTSEC_LABEL_SECURITY_INFORMATION,
                          NTSEC_DACL_SECURITY_INFORMATION };

    pf_enter(&s, 1001, MEDIUM);
    CU_ASSERT_FATAL(ntsec_process_create(s.token, "child", &child) == NTSEC_STATUS_SUCCESS);
    objects[0] = child;
    objects[1] = t;
    for (int k = 0; k < 2; k++) {
        char *before = sddl_of(objects[k], ALL_PARTS);
        ntsec_status st = NTSEC_STATUS_NO_MEMORY;
        long n;

        for (n = 0; st == NTSEC_STATUS_NO_MEMORY && n < 20; n++) {
            long live = testutil_live();

            testutil_fail_alloc_after(n);
            st = ntsec_object_set_security(objects[k], infos[k], sd, s.token);
            testutil_fail_alloc_after(-1);
            if (st == NTSEC_STATUS_NO_MEMORY) {
                CU_ASSERT_EQUAL(testutil_live(), live);
                assert_sddl(objects[k], ALL_PARTS, before);
            }
        }
        CU_ASSERT_EQUAL(st, NTSEC_STATUS_SUCCESS);
        CU_ASSERT(n > 1);
        assert_sddl(objects[k], NTSEC_DACL_SECURITY_INFORMATION, "D:(A;;0x1000;;;WD)");
        ntsec_mem_free(before);
    }
    ntsec_mem_free(sd);
    ntsec_object_put(child);
    pf_leave(&s);
    ntsec_token_put(t);
}

/* --- concurrent readers ----------------------------------------------------- */

struct race {
    struct ntsec_process *object;
    atomic_bool stop;
    atomic_int bad;
};

/* Opens and queries while another thread replaces the DACL: each sees
 * one whole descriptor, never a half-written or freed one. */
static void *reader(void *arg)
{
    struct race *r = arg;

    while (!atomic_load(&r->stop)) {
        uint8_t buf[512];
        uint32_t needed;
        const struct ntsec_acl *dacl;
        bool present, defaulted;

        if (ntsec_object_query_security(r->object, NTSEC_DACL_SECURITY_INFORMATION, buf,
                                        sizeof(buf), &needed) != NTSEC_STATUS_SUCCESS ||
            !ntsec_sd_is_valid(buf) ||
            !ntsec_success(ntsec_sd_get_dacl(buf, &present, &dacl, &defaulted)) || !dacl ||
            dacl->ace_count != 1)
            atomic_fetch_add(&r->bad, 1);
    }
    return NULL;
}

/* DESIGN.md: objects are shared between threads; the descriptor a reader
 * holds stays valid while a writer publishes the next (object_sd.h). */
static void set_while_others_read(void)
{
    struct ntsec_token *t = pf_make_token(1001, MEDIUM, NTSEC_TOKEN_PRIMARY, 0);
    struct race r = { 0 };
    void *a = sd_of("D:(A;;0x1000;;;WD)"), *b = sd_of("D:(A;;0x1400;;;S-1-5-21-1-2-3-1001)");
    pthread_t readers[3];

    CU_ASSERT_FATAL(ntsec_process_create(t, "shared", &r.object) == NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_object_set_security(r.object, NTSEC_DACL_SECURITY_INFORMATION, a, t),
                    NTSEC_STATUS_SUCCESS);
    for (int i = 0; i < 3; i++)
        CU_ASSERT_FATAL(pthread_create(&readers[i], NULL, reader, &r) == 0);
    for (int i = 0; i < 2000; i++)
        CU_ASSERT_EQUAL(ntsec_object_set_security(r.object, NTSEC_DACL_SECURITY_INFORMATION,
                                                  (i & 1) ? a : b, t), NTSEC_STATUS_SUCCESS);
    atomic_store(&r.stop, true);
    for (int i = 0; i < 3; i++)
        pthread_join(readers[i], NULL);
    CU_ASSERT_EQUAL(atomic_load(&r.bad), 0);
    ntsec_mem_free(a);
    ntsec_mem_free(b);
    ntsec_object_put(r.object);
    ntsec_token_put(t);
}

static CU_TestInfo tests[] = {
    TEST(set_dacl_changes_only_the_dacl),
    TEST(set_maps_generic_rights_by_the_objects_type),
    TEST(set_owner_must_be_assignable),
    TEST(set_owner_anything_with_restore_privilege),
    TEST(set_label_up_to_the_callers_level),
    TEST(set_sacl_and_label_are_separate_parts),
    TEST(set_rejects_bad_input),
    TEST(set_security_of_a_token_object),
    TEST(set_out_of_memory),
    TEST(set_while_others_read),
    CU_TEST_INFO_NULL,
};

void register_tests(void)
{
    /* Process 1 and this pthread's thread live as long as the program. */
    ntsec_thread_current();
    testutil_add_suite("object_security", tests);
}
