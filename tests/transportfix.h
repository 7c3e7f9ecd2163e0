/* transportfix.h - fixtures of the tests between OS processes
 * (test_pipe_remote, test_rpc_remote): a private rendezvous directory
 * (mkdtemp, removed after), and a forked child that waits for the
 * parent's word before it acts and tells the parent what it did, over two
 * pipe(2)s - so neither side sleeps: a child that dies closes its ends,
 * and the parent's read returns. The child is forked before the parent
 * creates anything, so that it inherits no pipe or endpoint of the
 * parent's, and exits with a bit mask of its failed checks. */
#ifndef NTSEC_TESTS_TRANSPORTFIX_H
#define NTSEC_TESTS_TRANSPORTFIX_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "account.h"
#include "ntsec/ntsec.h"
#include "tokfix.h"

struct rig {
    char dir[64];
    pid_t child;
    int go, back;               /* parent's ends */
};

/* The child's ends. */
static int rig_child_go = -1, rig_child_back = -1;

static inline void rig_rmtree(const char *path)
{
    DIR *d = opendir(path);
    struct dirent *e;
    char sub[256];

    if (d) {
        while ((e = readdir(d))) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            if ((size_t)snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name) < sizeof(sub))
                rig_rmtree(sub);
        }
        closedir(d);
        rmdir(path);
    } else {
        unlink(path);
    }
}

/* A rendezvous directory every uid can search (a root test's child
 * drops to another user), set with ntsec_transport_set_dir unless
 * `by_env`. */
static inline void rig_up(struct rig *r, bool by_env)
{
    memset(r, 0, sizeof(*r));
    r->go = r->back = -1;
    strcpy(r->dir, "/tmp/ntsec-rig-XXXXXX");
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(r->dir));
    CU_ASSERT_EQUAL_FATAL(chmod(r->dir, 0755), 0);
    if (by_env) {
        CU_ASSERT_EQUAL_FATAL(setenv("NTSEC_TRANSPORT_DIR", r->dir, 1), 0);
    } else {
        CU_ASSERT_EQUAL_FATAL(ntsec_transport_set_dir(r->dir), NTSEC_STATUS_SUCCESS);
    }
}

static inline void rig_down(struct rig *r)
{
    unsetenv("NTSEC_TRANSPORT_DIR");
    CU_ASSERT_EQUAL(ntsec_transport_set_dir(NULL), NTSEC_STATUS_SUCCESS);
    rig_rmtree(r->dir);
}

/* The world's SID of a uid or gid, else Samba's S-1-22-1-uid / S-1-22-2-gid. */
static inline void rig_unix_sid(bool user, unsigned id, struct ntsec_sid *out)
{
    char text[40];

    if (user ? ntsec__world_sid_for_uid((uid_t)id, out) : ntsec__world_sid_for_gid((gid_t)id, out))
        return;
    snprintf(text, sizeof(text), "S-1-22-%d-%u", user ? 1 : 2, id);
    tf_sid(out, text);
}

/* Fork a child running fn(arg) once the parent says go; its return
 * value is its exit code. */
static inline void rig_fork(struct rig *r, int (*fn)(void *), void *arg)
{
    int go[2], back[2];
    char c;

    CU_ASSERT_EQUAL_FATAL(pipe(go), 0);
    CU_ASSERT_EQUAL_FATAL(pipe(back), 0);
    fflush(NULL);
    r->child = fork();
    CU_ASSERT_FATAL(r->child >= 0);
    if (r->child == 0) {
        close(go[1]);
        close(back[0]);
        rig_child_go = go[0];
        rig_child_back = back[1];
        if (read(go[0], &c, 1) != 1)
            _exit(0x80);
        _exit(fn(arg));
    }
    close(go[0]);
    close(back[1]);
    r->go = go[1];
    r->back = back[0];
}

static inline void rig_go(struct rig *r)
{
    CU_ASSERT_EQUAL(write(r->go, "g", 1), 1);
}

/* What the child told, or -1 when it ended without telling. */
static inline int rig_hear(struct rig *r)
{
    char c;

    return read(r->back, &c, 1) == 1 ? c : -1;
}

/* The child's exit code (-1: killed). */
static inline int rig_end(struct rig *r)
{
    int status = 0;

    close(r->go);
    close(r->back);
    CU_ASSERT_EQUAL(waitpid(r->child, &status, 0), r->child);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* In the child. */
static inline void child_tell(char c)
{
    if (write(rig_child_back, &c, 1) != 1)
        _exit(0x81);
}

static inline bool child_wait_go(void)
{
    char c;

    return read(rig_child_go, &c, 1) == 1;
}

/* Take uid/gid/groups by raw system calls (one thread: the ids are its
 * own), as tests/test_peer.c does. */
static inline bool child_become(uid_t uid, gid_t gid, const gid_t *groups, size_t count)
{
    return syscall(SYS_setgroups, count, groups) == 0 &&
           syscall(SYS_setresgid, gid, gid, gid) == 0 &&
           syscall(SYS_setresuid, uid, uid, uid) == 0;
}

#endif
