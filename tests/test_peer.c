/* test_peer.c - the token of a Unix-domain socket peer (libsec/peer.c,
 * docs/linux.md "Peers over Unix sockets"): built only from the kernel's
 * SO_PEERCRED and SO_PEERGROUPS, mapped as the first process token is.
 * Socket pairs run as anyone; the tests with a child of another identity
 * need root (CI runs as root) and print a "skipped" line without it. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "account.h"
#include "testutil.h"
#include "tokfix.h"

#define PRIV(p) (UINT64_C(1) << (p))
#define ON (NTSEC_SE_GROUP_MANDATORY | NTSEC_SE_GROUP_ENABLED_BY_DEFAULT | NTSEC_SE_GROUP_ENABLED)

/* The identity the root tests give their child (the brief's 54321). */
#define CHILD_UID 54321
#define CHILD_GID 54321
#define CHILD_GROUP 54400

static bool is_root(void)
{
    return geteuid() == 0;
}

static void skipped(const char *why)
{
    fprintf(stderr, "\n  skipped: %s (needs root)\n", why);
}

/* --- what the token should hold, worked out apart from libsec ---------- */

/* The world's mapping, else Samba's S-1-22-1-uid / S-1-22-2-gid. */
static void want_sid(bool user, unsigned id, struct ntsec_sid *out)
{
    char text[40];

    if (user ? ntsec__world_sid_for_uid((uid_t)id, out) : ntsec__world_sid_for_gid((gid_t)id, out))
        return;
    snprintf(text, sizeof(text), "S-1-22-%d-%u", user ? 1 : 2, id);
    tf_sid(out, text);
}

static long group_attributes(const struct ntsec_token *t, const struct ntsec_sid *sid)
{
    for (uint32_t i = 1; i < t->sid_count; i++)
        if (ntsec_sid_equal(t->sids[i].sid, sid))
            return (long)atomic_load(&t->sids[i].attributes);
    return -1;
}

static bool has_group(const struct ntsec_token *t, bool user, unsigned id)
{
    struct ntsec_sid sid;

    want_sid(user, id, &sid);
    return group_attributes(t, &sid) == ON;
}

static bool is_user(const struct ntsec_token *t, const struct ntsec_sid *sid)
{
    return ntsec_sid_equal(t->sids[0].sid, sid);
}

static uint64_t present(const struct ntsec_token *t)
{
    return atomic_load(&((struct ntsec_token *)t)->priv_present);
}

static const struct ntsec_sid *primary_group_of(const struct ntsec_token *t)
{
    return t->sids[atomic_load(&((struct ntsec_token *)t)->primary_group_pos)].sid;
}

/* A standard user's peer token: the user and groups given, INTERACTIVE
 * and the logon SID of a new session (as unixcred's), Medium, no
 * Administrators, only SeChangeNotifyPrivilege ("Mandatory Integrity
 * Control": standard users Medium; docs/linux.md: no capability is
 * reported for a peer). */
static void check_standard_peer(const struct ntsec_token *t, uid_t uid, gid_t gid,
                                const gid_t *groups, size_t count)
{
    struct ntsec_sid sid, interactive;
    char text[64];
    struct ntsec_luid auth = ntsec_token_authentication_id(t);

    want_sid(true, uid, &sid);
    CU_ASSERT(is_user(t, &sid));
    want_sid(false, gid, &sid);
    CU_ASSERT(ntsec_sid_equal(primary_group_of(t), &sid));
    CU_ASSERT(has_group(t, false, gid));
    for (size_t i = 0; i < count; i++)
        CU_ASSERT(has_group(t, false, groups[i]));
    CU_ASSERT_EQUAL(ntsec_token_type(t), NTSEC_TOKEN_PRIMARY);
    CU_ASSERT(!ntsec_token_is_admin(t));
    CU_ASSERT_EQUAL(ntsec_token_integrity(t), NTSEC_MANDATORY_MEDIUM);
    CU_ASSERT_EQUAL(present(t), PRIV(NTSEC_SE_CHANGE_NOTIFY_PRIVILEGE));
    CU_ASSERT_EQUAL(group_attributes(t, tf_sid(&interactive, "S-1-5-4")), ON);
    snprintf(text, sizeof(text), "S-1-5-5-%u-%u", (unsigned)auth.high, (unsigned)auth.low);
    CU_ASSERT_EQUAL(group_attributes(t, tf_sid(&sid, text)), (long)(ON | NTSEC_SE_GROUP_LOGON_ID));
}

/* --- a listening socket at a real path, and a child that connects ------- */

struct listener {
    char dir[64];
    char path[96];
    int fd;
};

/* The directory and the socket are open to every uid: connect(2) needs
 * write permission on the socket and search on its directories (unix(7),
 * "Pathname socket ownership and permissions"), and the child is not root. */
static void listen_at_path(struct listener *l)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };

    strcpy(l->dir, "/tmp/ntsec-peer-XXXXXX");
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(l->dir));
    CU_ASSERT_EQUAL_FATAL(chmod(l->dir, 0755), 0);
    snprintf(l->path, sizeof(l->path), "%s/sock", l->dir);
    strcpy(addr.sun_path, l->path);
    l->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    CU_ASSERT_FATAL(l->fd >= 0);
    CU_ASSERT_EQUAL_FATAL(bind(l->fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
    CU_ASSERT_EQUAL_FATAL(chmod(l->path, 0666), 0);
    CU_ASSERT_EQUAL_FATAL(listen(l->fd, 4), 0);
}

static void listener_close(struct listener *l)
{
    close(l->fd);
    unlink(l->path);
    rmdir(l->dir);
}

/* What the child does. With `drop`, it takes uid/gid/groups by raw
 * system calls before connecting (one thread: the ids are its own);
 * `keep_root_saved` leaves saved uid 0, so that after connecting it can
 * take euid 0 back (`regain_root`). */
struct plan {
    bool drop;
    uid_t uid;
    gid_t gid;
    const gid_t *groups;
    size_t group_count;
    bool keep_root_saved;
    bool regain_root;
    const char *say;            /* written after connecting */
    bool check_server;          /* the child asks who the listener is */
    bool exit_at_once;          /* do not wait for the parent */
};

enum {
    CHILD_DROP_FAILED = 1, CHILD_CONNECT_FAILED = 2, CHILD_REGAIN_FAILED = 4,
    CHILD_WRITE_FAILED = 8, CHILD_SERVER_WRONG = 16,
};

/* The client's end names the listener: the credentials listen(2)
 * recorded, the parent's (unix(7), SO_PEERCRED). */
static int check_server_side(int s)
{
    struct ntsec_token *t = NULL;
    struct ntsec_sid want;
    uint32_t pid = 0;
    int bad;

    if (ntsec_peer_token(s, &t, &pid) != NTSEC_STATUS_SUCCESS)
        return CHILD_SERVER_WRONG;
    ntsec_unixcred_uid_sid(0, &want);
    bad = !is_user(t, &want) || pid != (uint32_t)getppid() || !ntsec_token_is_admin(t);
    ntsec_token_put(t);
    return bad ? CHILD_SERVER_WRONG : 0;
}

static int run_client(const char *path, const struct plan *p)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    int s, verdict = 0;
    char c;

    if (p->drop &&
        (syscall(SYS_setgroups, p->group_count, p->groups) != 0 ||
         syscall(SYS_setresgid, p->gid, p->gid, p->gid) != 0 ||
         syscall(SYS_setresuid, p->uid, p->uid, p->keep_root_saved ? 0 : p->uid) != 0))
        return CHILD_DROP_FAILED;
    strcpy(addr.sun_path, path);
    s = socket(AF_UNIX, SOCK_STREAM, 0);
    if (s < 0 || connect(s, (struct sockaddr *)&addr, sizeof(addr)) != 0)
        return CHILD_CONNECT_FAILED;
    if (p->regain_root && syscall(SYS_setresuid, -1, 0, -1) != 0)
        verdict |= CHILD_REGAIN_FAILED;
    if (p->say && write(s, p->say, strlen(p->say)) != (ssize_t)strlen(p->say))
        verdict |= CHILD_WRITE_FAILED;
    if (p->check_server)
        verdict |= check_server_side(s);
    while (!p->exit_at_once && read(s, &c, 1) > 0)
        ;                       /* until the parent has its token and closes */
    close(s);
    return verdict;
}

struct conversation {
    pid_t child;
    int conn;
    int status;                 /* the child's wait status once it ended */
    char heard[128];
};

static void accept_client(struct listener *l, struct conversation *c)
{
    struct pollfd pfd = { .fd = l->fd, .events = POLLIN };

    /* A child that failed before connecting must not hang the suite. */
    CU_ASSERT_EQUAL_FATAL(poll(&pfd, 1, 10000), 1);
    c->conn = accept4(l->fd, NULL, NULL, SOCK_CLOEXEC);
    CU_ASSERT_FATAL(c->conn >= 0);
}

/* Fork the child, accept its connection, read what it says. */
static void start(struct listener *l, const struct plan *p, struct conversation *c)
{
    memset(c, 0, sizeof(*c));
    c->conn = -1;
    fflush(NULL);
    c->child = fork();
    CU_ASSERT_FATAL(c->child >= 0);
    if (c->child == 0) {
        close(l->fd);
        _exit(run_client(l->path, p));
    }
    if (p->exit_at_once)
        CU_ASSERT_EQUAL_FATAL(waitpid(c->child, &c->status, 0), c->child);
    accept_client(l, c);
    for (size_t got = 0, want = p->say ? strlen(p->say) : 0; got < want;) {
        ssize_t n = read(c->conn, c->heard + got, sizeof(c->heard) - 1 - got);

        CU_ASSERT_FATAL(n > 0);
        got += (size_t)n;
    }
}

/* Close the connection (the child then exits) and check its verdict. */
static void finish(struct conversation *c, const struct plan *p)
{
    close(c->conn);
    if (!p->exit_at_once)
        CU_ASSERT_EQUAL(waitpid(c->child, &c->status, 0), c->child);
    CU_ASSERT(WIFEXITED(c->status));
    CU_ASSERT_EQUAL(WEXITSTATUS(c->status), 0);
}

static const gid_t child_groups[] = { CHILD_GID, CHILD_GROUP };

static const struct plan dropped_child = {
    .drop = true, .uid = CHILD_UID, .gid = CHILD_GID,
    .groups = child_groups, .group_count = 2,
};

/* --- tests ----------------------------------------------------------------- */

/* unix(7), SO_PEERCRED: a socket pair's credentials are those "in effect
 * at the time of the call to ... socketpair(2)" - this process. The token
 * has the SIDs this process' own first token has (the same builder,
 * docs/linux.md), in a logon session of its own, and no capability
 * privilege whatever this process holds. Stream and seqpacket alike. */
static void socketpair_peer_is_this_process(void)
{
    static const int types[] = { SOCK_STREAM, SOCK_SEQPACKET };

    for (size_t k = 0; k < 2; k++) {
        struct ntsec_token *own = NULL, *peer = NULL;
        uint32_t pid = 0;
        int sv[2];

        CU_ASSERT_EQUAL_FATAL(socketpair(AF_UNIX, types[k], 0, sv), 0);
        CU_ASSERT_EQUAL_FATAL(ntsec_peer_token(sv[0], &peer, &pid), NTSEC_STATUS_SUCCESS);
        CU_ASSERT_EQUAL_FATAL(ntsec_unixcred_token(&own), NTSEC_STATUS_SUCCESS);
        CU_ASSERT_EQUAL(pid, (uint32_t)getpid());
        CU_ASSERT_EQUAL(peer->sid_count, own->sid_count);
        for (uint32_t i = 0; i < own->sid_count; i++) {
            if (i == own->logon_sid_pos)
                continue;
            CU_ASSERT(i == 0 ? is_user(peer, own->sids[0].sid)
                             : group_attributes(peer, own->sids[i].sid) ==
                                   (long)atomic_load(&own->sids[i].attributes));
        }
        CU_ASSERT(ntsec_sid_equal(primary_group_of(peer), primary_group_of(own)));
        CU_ASSERT_NOT_EQUAL(ntsec__luid_to_u64(ntsec_token_authentication_id(peer)),
                            ntsec__luid_to_u64(ntsec_token_authentication_id(own)));
        CU_ASSERT_EQUAL(present(peer), PRIV(NTSEC_SE_CHANGE_NOTIFY_PRIVILEGE));
        CU_ASSERT_EQUAL(ntsec_token_is_admin(peer), geteuid() == 0);
        ntsec_token_put(own);
        ntsec_token_put(peer);

        /* The pid is optional; the other end names the same process. */
        CU_ASSERT_EQUAL(ntsec_peer_token(sv[1], &peer, NULL), NTSEC_STATUS_SUCCESS);
        ntsec_token_put(peer);
        close(sv[0]);
        close(sv[1]);
    }
}

/* Run a child by `p`, take the token of its connection: the identity the
 * child connected with (the dropped one, else this process'), its pid. */
static void check_child_peer(const struct plan *p)
{
    struct ntsec_token *t = NULL;
    struct conversation c;
    struct listener l;
    uint32_t pid = 0;

    listen_at_path(&l);
    start(&l, p, &c);
    if (p->say)
        CU_ASSERT_STRING_EQUAL(c.heard, p->say);       /* the bytes did arrive */
    CU_ASSERT_EQUAL(ntsec_peer_token(c.conn, &t, &pid), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(pid, (uint32_t)c.child);
    if (t) {
        if (p->drop)
            check_standard_peer(t, p->uid, p->gid, p->groups, p->group_count);
        else
            check_standard_peer(t, geteuid(), getegid(), NULL, 0);
        ntsec_token_put(t);
    }
    finish(&c, p);
    listener_close(&l);
}

/* unix(7), SO_PEERCRED; commit 28b5ba2aa0f5 (SO_PEERGROUPS): a child that
 * becomes 54321/54321 with groups {54321, 54400} and connects to a bound
 * path is that user, with those groups and its pid, at Medium. Its own end
 * names the listener (root, this process). */
static void connecting_child_is_its_kernel_credentials(void)
{
    struct plan p = dropped_child;

    if (!is_root()) {
        skipped("a child of another uid");
        return;
    }
    p.check_server = true;
    check_child_peer(&p);
}

/* The identity comes from the kernel, never from the stream (issue 7;
 * unix(7): the credentials "in effect at the time of the call to
 * connect(2)"). As root the child connects as 54321, keeping saved uid 0,
 * then takes euid 0 back and writes that it is root: still 54321, no
 * Administrators. Without root the child writes the same lie as this
 * non-root user, and is this user. */
static void client_cannot_claim_another_identity(void)
{
    struct plan p = dropped_child;

    p.drop = p.keep_root_saved = p.regain_root = is_root();
    p.say = "uid=0 gid=0 groups=0 pid=1 user=S-1-5-18\n";
    check_child_peer(&p);
}

/* The credentials are recorded at connect: a peer that has already exited
 * (and been reaped) is still known, pid included (unix(7), SO_PEERCRED), as
 * a Windows server may still impersonate the messages it read after the
 * client closed. */
static void peer_that_exited_is_still_known(void)
{
    struct plan p = dropped_child;

    p.drop = is_root();
    p.exit_at_once = true;
    check_child_peer(&p);
}

/* docs/world.md, `uid` / `gid`: the world maps ids to named accounts; the
 * peer's user and group are those accounts, as in the first process token
 * (docs/linux.md, "Identities"). The names are looked up apart. */
static void world_maps_peer_ids_to_named_accounts(void)
{
    char dir[] = "/tmp/ntsec-peer-world-XXXXXX", path[64], domain[64];
    const uid_t uid = is_root() ? CHILD_UID : geteuid();
    const gid_t gid = is_root() ? CHILD_GROUP : getegid();
    struct ntsec_sid user, group;
    struct ntsec_token *t = NULL;
    struct conversation c = { .conn = -1 };
    struct listener l;
    size_t ds = sizeof(domain);
    enum ntsec_sid_use use;
    unsigned line = 0;
    const char *why = NULL;
    int sv[2] = { -1, -1 };
    FILE *f;

    /* The child is forked before the world is loaded: it has no copy of
     * it to report under valgrind when it exits. */
    if (is_root()) {
        listen_at_path(&l);
        start(&l, &dropped_child, &c);
    } else {
        CU_ASSERT_EQUAL_FATAL(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
        c.conn = sv[0];
    }
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/world.ini", dir);
    f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fprintf(f, "[user peerdan]\nrid = 3101\nuid = %u\n[group PeerOps]\nrid = 3102\ngid = %u\n",
            (unsigned)uid, (unsigned)gid);
    fclose(f);
    CU_ASSERT_EQUAL_FATAL(ntsec_world_load(path, &line, &why), NTSEC_STATUS_SUCCESS);
    unlink(path);
    rmdir(dir);
    CU_ASSERT_EQUAL(ntsec_account_lookup_name("peerdan", &user, domain, &ds, &use),
                    NTSEC_STATUS_SUCCESS);
    ds = sizeof(domain);
    CU_ASSERT_EQUAL(ntsec_account_lookup_name("PeerOps", &group, domain, &ds, &use),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_peer_token(c.conn, &t, NULL), NTSEC_STATUS_SUCCESS);
    if (t) {
        CU_ASSERT(is_user(t, &user));
        CU_ASSERT_EQUAL(group_attributes(t, &group), ON);
        ntsec_token_put(t);
    }
    if (is_root()) {
        finish(&c, &dropped_child);
        listener_close(&l);
    } else {
        close(sv[0]);
        close(sv[1]);
    }
    ntsec_world_reset();
}

/* docs/linux.md: uid 0 is an elevated administrator (Administrators,
 * owner, High: "Mandatory Integrity Control"), but a peer's capabilities
 * are not reported, so it holds only SeChangeNotifyPrivilege - even when
 * the peer is this root process, whose own token has what its
 * capabilities give. */
static void root_peer_is_administrator_without_capability_privileges(void)
{
    struct ntsec_token *peer = NULL;
    struct ntsec_sid admins;
    int sv[2];

    if (!is_root()) {
        skipped("a uid 0 peer");
        return;
    }
    CU_ASSERT_EQUAL_FATAL(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    CU_ASSERT_EQUAL_FATAL(ntsec_peer_token(sv[0], &peer, NULL), NTSEC_STATUS_SUCCESS);
    tf_sid(&admins, "S-1-5-32-544");
    CU_ASSERT(ntsec_token_is_admin(peer));
    CU_ASSERT_EQUAL(group_attributes(peer, &admins), (long)(ON | NTSEC_SE_GROUP_OWNER));
    CU_ASSERT_EQUAL(ntsec_token_integrity(peer), NTSEC_MANDATORY_HIGH);
    CU_ASSERT_EQUAL(present(peer), PRIV(NTSEC_SE_CHANGE_NOTIFY_PRIVILEGE));
    ntsec_token_put(peer);
    close(sv[0]);
    close(sv[1]);
}

/* Fail the n-th allocation, for n = 0, 1, ..., until the call succeeds:
 * each failure is NO_MEMORY with nothing written and nothing leaked
 * (STYLE.md, tests). Returns the successful token and how many failed. */
static struct ntsec_token *token_despite_failures(int fd, uint32_t *pid, long *failures)
{
    struct ntsec_token *const sentinel = (struct ntsec_token *)(uintptr_t)0x1234;
    ntsec_status st = NTSEC_STATUS_NO_MEMORY;
    struct ntsec_token *t = sentinel;
    long n;

    for (n = 0; st == NTSEC_STATUS_NO_MEMORY && n < 100; n++) {
        long live = testutil_live(), objects = ntsec_object_live();

        *pid = 7;
        testutil_fail_alloc_after(n);
        st = ntsec_peer_token(fd, &t, pid);
        testutil_fail_alloc_after(-1);
        if (st == NTSEC_STATUS_NO_MEMORY) {
            CU_ASSERT_PTR_EQUAL(t, sentinel);
            CU_ASSERT_EQUAL(*pid, 7);
            CU_ASSERT_EQUAL(testutil_live(), live);
            CU_ASSERT_EQUAL(ntsec_object_live(), objects);
        }
    }
    CU_ASSERT_EQUAL_FATAL(st, NTSEC_STATUS_SUCCESS);
    *failures = n - 1;
    return t;
}

/* Commit 28b5ba2aa0f5: "if the provided buffer is too small, ERANGE is
 * returned and @optlen is updated" - a peer with 200 groups gets all of
 * them, and a failed allocation of the larger buffer changes nothing. */
static void many_groups_grow_the_buffer(void)
{
    gid_t groups[200];
    struct plan p = dropped_child;
    struct conversation c;
    struct listener l;
    struct ntsec_token *t;
    uint32_t pid;
    long failures;

    if (!is_root()) {
        skipped("a child with 200 groups");
        return;
    }
    for (size_t i = 0; i < 200; i++)
        groups[i] = (gid_t)(CHILD_GROUP + i);
    p.groups = groups;
    p.group_count = 200;
    listen_at_path(&l);
    start(&l, &p, &c);
    t = token_despite_failures(c.conn, &pid, &failures);
    CU_ASSERT(failures > 1);    /* the group buffer, then the token's own */
    check_standard_peer(t, CHILD_UID, CHILD_GID, groups, 200);
    CU_ASSERT_EQUAL(pid, (uint32_t)c.child);
    ntsec_token_put(t);
    finish(&c, &p);
    listener_close(&l);
}

/* Allocation failure with a socket pair (the groups fit without a
 * buffer): the same rule, as anyone. */
static void allocation_failure_changes_nothing(void)
{
    struct ntsec_token *t;
    uint32_t pid;
    long failures;
    int sv[2];

    CU_ASSERT_EQUAL_FATAL(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    t = token_despite_failures(sv[0], &pid, &failures);
    CU_ASSERT(failures > 0);
    CU_ASSERT_EQUAL(pid, (uint32_t)getpid());
    ntsec_token_put(t);
    close(sv[0]);
    close(sv[1]);
}

/* One bad descriptor and the status docs/linux.md gives it. */
static void expect_refused(int fd, ntsec_status want)
{
    struct ntsec_token *t = (struct ntsec_token *)(uintptr_t)0x1234;
    uint32_t pid = 7;
    long objects = ntsec_object_live();

    CU_ASSERT_EQUAL(ntsec_peer_token(fd, &t, &pid), want);
    CU_ASSERT_PTR_EQUAL(t, (struct ntsec_token *)(uintptr_t)0x1234);
    CU_ASSERT_EQUAL(pid, 7);
    CU_ASSERT_EQUAL(ntsec_object_live(), objects);
}

/* docs/linux.md, "Peers over Unix sockets", refusals: no such descriptor
 * is STATUS_INVALID_HANDLE; a descriptor of another kind (a file, a pipe,
 * an inet socket, a datagram pair) STATUS_OBJECT_TYPE_MISMATCH, as
 * ObReferenceObjectByHandle answers a handle of the wrong type (Microsoft
 * docs); a socket with no peer, and a NULL out, STATUS_INVALID_PARAMETER.
 * A listening socket has credentials (its own, from listen(2)) and must
 * still be refused. Nothing is written. */
static void not_a_connected_unix_socket_is_refused(void)
{
    struct ntsec_token *t = NULL;
    int fd, sv[2], p[2];

    expect_refused(-1, NTSEC_STATUS_INVALID_HANDLE);
    fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    CU_ASSERT_FATAL(fd >= 0);
    expect_refused(fd, NTSEC_STATUS_OBJECT_TYPE_MISMATCH);
    close(fd);
    expect_refused(fd, NTSEC_STATUS_INVALID_HANDLE);            /* closed */

    CU_ASSERT_EQUAL_FATAL(pipe(p), 0);
    expect_refused(p[0], NTSEC_STATUS_OBJECT_TYPE_MISMATCH);
    close(p[0]);
    close(p[1]);

    fd = socket(AF_INET, SOCK_STREAM, 0);
    CU_ASSERT_FATAL(fd >= 0);
    expect_refused(fd, NTSEC_STATUS_OBJECT_TYPE_MISMATCH);
    close(fd);

    CU_ASSERT_EQUAL_FATAL(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
    expect_refused(sv[0], NTSEC_STATUS_OBJECT_TYPE_MISMATCH);
    close(sv[0]);
    close(sv[1]);

    fd = socket(AF_UNIX, SOCK_STREAM, 0);
    CU_ASSERT_FATAL(fd >= 0);
    expect_refused(fd, NTSEC_STATUS_INVALID_PARAMETER);         /* unconnected */
    close(fd);

    {
        struct listener l;

        listen_at_path(&l);
        expect_refused(l.fd, NTSEC_STATUS_INVALID_PARAMETER);   /* listening */
        listener_close(&l);
    }

    CU_ASSERT_EQUAL_FATAL(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    CU_ASSERT_EQUAL(ntsec_peer_token(sv[0], NULL, NULL), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_peer_token(sv[0], &t, NULL), NTSEC_STATUS_SUCCESS);
    ntsec_token_put(t);
    close(sv[0]);
    close(sv[1]);
}

void register_tests(void)
{
    static CU_TestInfo tests[] = {
        TEST(socketpair_peer_is_this_process),
        TEST(connecting_child_is_its_kernel_credentials),
        TEST(client_cannot_claim_another_identity),
        TEST(peer_that_exited_is_still_known),
        TEST(world_maps_peer_ids_to_named_accounts),
        TEST(root_peer_is_administrator_without_capability_privileges),
        TEST(many_groups_grow_the_buffer),
        TEST(allocation_failure_changes_nothing),
        TEST(not_a_connected_unix_socket_is_refused),
        CU_TEST_INFO_NULL,
    };
    testutil_add_suite("peer", tests);
}
