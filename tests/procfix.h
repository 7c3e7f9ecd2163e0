/* procfix.h - process fixtures shared by the process, handle and thread
 * tests: a user token with a default DACL, and a sandbox that binds the
 * calling pthread to a fresh emulated process running as it (so its
 * handle table starts empty) and puts it back on the process it came
 * from afterwards. */
#ifndef NTSEC_TESTS_PROCFIX_H
#define NTSEC_TESTS_PROCFIX_H

#include "tokfix.h"

/* A primary token of user S-1-5-21-1-2-3-<rid> at integrity `label`, with
 * Windows' default DACL of a logged-on user: the user and SYSTEM,
 * GENERIC_ALL each. */
struct pf_token {
    struct tf_token tf;
    struct ntsec_sid system;
    _Alignas(4) uint8_t dacl[128];
};

static inline struct ntsec_token *pf_make_token(uint32_t rid, uint32_t label,
                                                enum ntsec_token_type type,
                                                enum ntsec_impersonation_level level)
{
    struct pf_token f;
    struct ntsec_acl *acl = (struct ntsec_acl *)f.dacl;
    struct ntsec_token *t = NULL;
    uint32_t sub[5] = { 21, 1, 2, 3, rid };

    tf_init(&f.tf);
    CU_ASSERT_FATAL(ntsec_success(ntsec_sid_init(&f.tf.user, 5, 5, sub)));
    CU_ASSERT_FATAL(ntsec_success(ntsec_sid_init(&f.tf.label, 16, 1, &label)));
    tf_sid(&f.system, "S-1-5-18");
    CU_ASSERT_FATAL(ntsec_success(ntsec_acl_init(acl, sizeof(f.dacl), NTSEC_ACL_REVISION)));
    CU_ASSERT_FATAL(ntsec_success(ntsec_acl_add_access_ace(acl, NTSEC_ACL_REVISION,
        NTSEC_ACE_ACCESS_ALLOWED, 0, NTSEC_GENERIC_ALL, &f.tf.user)));
    CU_ASSERT_FATAL(ntsec_success(ntsec_acl_add_access_ace(acl, NTSEC_ACL_REVISION,
        NTSEC_ACE_ACCESS_ALLOWED, 0, NTSEC_GENERIC_ALL, &f.system)));
    f.tf.desc.default_dacl = acl;
    f.tf.desc.type = type;
    f.tf.desc.level = level;
    CU_ASSERT_FATAL(ntsec_token_create(&f.tf.desc, &t) == NTSEC_STATUS_SUCCESS);
    return t;
}

struct pf_sandbox {
    struct ntsec_process *home;         /* the process the pthread came from */
    struct ntsec_process *process;      /* the sandbox (our reference) */
    struct ntsec_token *token;          /* its primary token (our reference) */
};

/* Bind the calling pthread to a new process running as user `rid`. */
static inline void pf_enter(struct pf_sandbox *s, uint32_t rid, uint32_t label)
{
    s->home = ntsec_process_current();
    CU_ASSERT_PTR_NOT_NULL_FATAL(s->home);
    s->token = pf_make_token(rid, label, NTSEC_TOKEN_PRIMARY, NTSEC_SECURITY_ANONYMOUS);
    CU_ASSERT_FATAL(ntsec_process_create(s->token, "sandbox", &s->process) ==
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_FATAL(ntsec_thread_bind(s->process) == NTSEC_STATUS_SUCCESS);
}

/* Back to the home process; the sandbox goes with its last reference. */
static inline void pf_leave(struct pf_sandbox *s)
{
    CU_ASSERT_EQUAL(ntsec_handle_count(s->process), 0);
    CU_ASSERT(ntsec_thread_bind(s->home) == NTSEC_STATUS_SUCCESS);
    ntsec_object_put(s->process);
    ntsec_token_put(s->token);
}

#endif
