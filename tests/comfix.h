/* comfix.h - fixtures of the COM tests (test_com, test_emul_com): world
 * users' tokens, and "parties": a pthread bound to its own emulated
 * process, on a machine of the default world, that runs the steps it is
 * given, so that a server and its clients each live in their process. */
#ifndef NTSEC_TESTS_COMFIX_H
#define NTSEC_TESTS_COMFIX_H

#include <pthread.h>
#include <stdbool.h>

#include "ntsec/ntsec.h"
#include "rpcfix.h"                     /* WS, S1, S2; rf_system_token, rf_process, rf_user */

struct party {
    struct ntsec_process *process;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    void (*fn)(void *);
    void *arg;
    bool quit;
};

static inline void *party_main(void *arg)
{
    struct party *p = arg;

    CU_ASSERT(ntsec_thread_bind(p->process) == NTSEC_STATUS_SUCCESS);
    pthread_mutex_lock(&p->lock);
    for (;;) {
        if (p->fn) {
            void (*fn)(void *) = p->fn;

            pthread_mutex_unlock(&p->lock);
            fn(p->arg);
            pthread_mutex_lock(&p->lock);
            p->fn = NULL;
            pthread_cond_broadcast(&p->cond);
        } else if (p->quit) {
            break;
        } else {
            pthread_cond_wait(&p->cond, &p->lock);
        }
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

/* Run fn(arg) on the party's thread and wait for it. */
static inline void party_do(struct party *p, void (*fn)(void *), void *arg)
{
    pthread_mutex_lock(&p->lock);
    p->fn = fn;
    p->arg = arg;
    pthread_cond_broadcast(&p->cond);
    while (p->fn)
        pthread_cond_wait(&p->cond, &p->lock);
    pthread_mutex_unlock(&p->lock);
}

/* The calling thread's impersonation level, or -1 when it does not
 * impersonate. */
static inline int impersonation_level_now(void)
{
    enum ntsec_impersonation_level level;
    bool coo, eo;
    struct ntsec_token *t = ntsec_thread_impersonation(ntsec_thread_current(), &level, &coo, &eo);

    if (!t)
        return -1;
    ntsec_token_put(t);
    return (int)level;
}

/* A world user's logon (bob as a batch job, svc-web as a service, the
 * others interactively), or LocalSystem for "SYSTEM". */
static inline enum ntsec_logon_type logon_type_of(const char *user)
{
    return !strcmp(user, "bob")       ? NTSEC_LOGON_BATCH
           : !strcmp(user, "svc-web") ? NTSEC_LOGON_SERVICE
                                      : NTSEC_LOGON_INTERACTIVE;
}

static inline struct ntsec_token *user_token(const char *user)
{
    struct ntsec_token *t = NULL;

    if (!strcmp(user, "SYSTEM"))
        return rf_system_token();
    CU_ASSERT_FATAL(ntsec_logon_token(user, NULL, logon_type_of(user), &t) ==
                    NTSEC_STATUS_SUCCESS);
    return t;
}

static inline void party_start(struct party *p, const char *user, const char *machine)
{
    memset(p, 0, sizeof(*p));
    p->process = rf_process(user, logon_type_of(user), machine);
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->cond, NULL);
    CU_ASSERT_FATAL(pthread_create(&p->thread, NULL, party_main, p) == 0);
}

/* A party that is another thread of an existing process (it takes its
 * own reference; party_stop drops it). */
static inline void party_start_in(struct party *p, struct ntsec_process *process)
{
    memset(p, 0, sizeof(*p));
    ntsec_object_get(process);
    p->process = process;
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->cond, NULL);
    CU_ASSERT_FATAL(pthread_create(&p->thread, NULL, party_main, p) == 0);
}

static inline void party_stop(struct party *p)
{
    pthread_mutex_lock(&p->lock);
    p->quit = true;
    pthread_cond_broadcast(&p->cond);
    pthread_mutex_unlock(&p->lock);
    pthread_join(p->thread, NULL);
    pthread_cond_destroy(&p->cond);
    pthread_mutex_destroy(&p->lock);
    ntsec_object_put(p->process);
}

#endif
