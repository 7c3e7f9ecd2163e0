/* impfix.h - fixtures of the impersonation tests (test_impersonate,
 * test_client, test_impersonate_stress): tokens of a chosen user,
 * integrity level and SeImpersonatePrivilege state; emulated processes
 * running as such a token; thread objects of those processes; and the
 * calling pthread moved into such a process and back.
 *
 * Every token has SeChangeNotifyPrivilege enabled and SeShutdownPrivilege
 * present but disabled (tokfix.h), so an EffectiveOnly copy has something
 * to drop; the user is S-1-5-21-1-2-3-<rid>. */
#ifndef NTSEC_TESTS_IMPFIX_H
#define NTSEC_TESTS_IMPFIX_H

#include <pthread.h>

#include "ntsec/impersonate.h"
#include "tokfix.h"

#define IMF_SERVER_RID 1001u
#define IMF_CLIENT_RID 1002u

enum imf_priv { IMF_NO_PRIV, IMF_PRIV_DISABLED, IMF_PRIV_ENABLED };

struct imf_spec {
    uint32_t rid;                               /* 0: IMF_SERVER_RID */
    uint32_t label;                             /* integrity RID; 0: Medium */
    enum imf_priv impersonate;                  /* SeImpersonatePrivilege */
    enum ntsec_token_type type;                 /* 0: primary */
    enum ntsec_impersonation_level level;       /* for an impersonation token */
};

static inline struct ntsec_token *imf_token(const struct imf_spec *s)
{
    struct tf_token f;
    struct ntsec_luid_and_attributes privs[3];
    uint32_t sub[5] = { 21, 1, 2, 3, s->rid ? s->rid : IMF_SERVER_RID };
    uint32_t label = s->label ? s->label : NTSEC_MANDATORY_MEDIUM;
    struct ntsec_token *t = NULL;

    tf_init(&f);
    CU_ASSERT_FATAL(ntsec_success(ntsec_sid_init(&f.user, 5, 5, sub)));
    CU_ASSERT_FATAL(ntsec_success(ntsec_sid_init(&f.label, 16, 1, &label)));
    memcpy(privs, f.privs, sizeof(f.privs));
    f.desc.privileges = privs;
    if (s->impersonate != IMF_NO_PRIV) {
        privs[2] = (struct ntsec_luid_and_attributes){
            { NTSEC_SE_IMPERSONATE_PRIVILEGE, 0 },
            s->impersonate == IMF_PRIV_ENABLED ? NTSEC_SE_PRIVILEGE_ENABLED : 0 };
        f.desc.privilege_count = 3;
    }
    f.desc.type = s->type ? s->type : NTSEC_TOKEN_PRIMARY;
    f.desc.level = s->level;
    CU_ASSERT_FATAL(ntsec_token_create(&f.desc, &t) == NTSEC_STATUS_SUCCESS);
    return t;
}

/* An impersonation token of the client user at `level`. */
static inline struct ntsec_token *imf_client_token(enum ntsec_impersonation_level level)
{
    return imf_token(&(struct imf_spec){ .rid = IMF_CLIENT_RID,
                                         .type = NTSEC_TOKEN_IMPERSONATION, .level = level });
}

/* A new process running as a new primary token made from `s` (the
 * process holds the only reference to the token). A new reference. */
static inline struct ntsec_process *imf_process(const struct imf_spec *s)
{
    struct ntsec_token *t = imf_token(s);
    struct ntsec_process *p = NULL;

    CU_ASSERT_FATAL(ntsec_process_create(t, "impfix", &p) == NTSEC_STATUS_SUCCESS);
    ntsec_token_put(t);
    return p;
}

struct imf_spawn {
    struct ntsec_process *process;
    struct ntsec_thread *thread;
};

static inline void *imf_spawn_main(void *arg)
{
    struct imf_spawn *sp = arg;

    if (ntsec_success(ntsec_thread_bind(sp->process))) {
        sp->thread = ntsec_thread_current();
        ntsec_object_get(sp->thread);
    }
    return NULL;
}

/* A thread object of `process` whose pthread has come and gone: the
 * caller holds the only reference, as a handle to a Windows thread keeps
 * its object. PsImpersonateClient acts on a thread object, whoever runs
 * it ([PIC], Microsoft docs: "Thread: Pointer to the server thread"). */
static inline struct ntsec_thread *imf_thread(struct ntsec_process *process)
{
    struct imf_spawn sp = { .process = process };
    pthread_t th;

    CU_ASSERT_FATAL(pthread_create(&th, NULL, imf_spawn_main, &sp) == 0);
    pthread_join(th, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(sp.thread);
    return sp.thread;
}

/* A thread (object) of a new process made from `s`; *process receives a
 * reference to that process when not NULL. Release with imf_thread_put. */
static inline struct ntsec_thread *imf_thread_of(const struct imf_spec *s,
                                                 struct ntsec_process **process)
{
    struct ntsec_process *p = imf_process(s);
    struct ntsec_thread *t = imf_thread(p);

    if (process)
        *process = p;
    else
        ntsec_object_put(p);
    return t;
}

static inline void imf_thread_put(struct ntsec_thread *t)
{
    ntsec_object_put(t);
}

/* The calling pthread as a thread of a new process made from `s`, and
 * back to the process it came from (procfix.h's sandbox, with a chosen
 * token). */
struct imf_sandbox {
    struct ntsec_process *home;
    struct ntsec_process *process;      /* our reference */
};

static inline struct ntsec_thread *imf_enter(struct imf_sandbox *sb, const struct imf_spec *s)
{
    sb->home = ntsec_process_current();
    CU_ASSERT_PTR_NOT_NULL_FATAL(sb->home);
    sb->process = imf_process(s);
    CU_ASSERT_FATAL(ntsec_thread_bind(sb->process) == NTSEC_STATUS_SUCCESS);
    return ntsec_thread_current();
}

static inline void imf_leave(struct imf_sandbox *sb)
{
    CU_ASSERT(ntsec_thread_bind(sb->home) == NTSEC_STATUS_SUCCESS);
    ntsec_object_put(sb->process);
}

/* The RID of a token's user (TOKEN_USER: a SID_AND_ATTRIBUTES, the SID
 * pointer first), or 0 when it cannot be read. */
static inline uint32_t imf_user_rid(const struct ntsec_token *t)
{
    _Alignas(8) uint8_t buf[128];
    uint32_t need;

    if (ntsec_token_query(t, NTSEC_TOKEN_USER, buf, sizeof(buf), &need) != NTSEC_STATUS_SUCCESS)
        return 0;
    return ntsec_sid_rid(*(const struct ntsec_sid *const *)buf);
}

/* Enable or disable one privilege (AdjustTokenPrivileges). */
static inline ntsec_status imf_set_privilege(struct ntsec_token *t, uint32_t luid, bool enable)
{
    struct ntsec_luid_and_attributes c = { { luid, 0 }, enable ? NTSEC_SE_PRIVILEGE_ENABLED : 0 };

    return ntsec_token_adjust_privileges(t, false, &c, 1, NULL, 0, NULL);
}

#endif
