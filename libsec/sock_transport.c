/* sock_transport.c - the Unix-domain sockets between OS processes: the
 * rendezvous directory (ntsec_transport_set_dir or NTSEC_TRANSPORT_DIR),
 * the file of each name under it, listening, connecting, and frames.
 *
 * A frame is a SOCK_STREAM record: two 32-bit words in host order (its
 * type and its body's length), then the body. Both ends are processes of
 * one machine, so host order is the order. A stream (not SOCK_SEQPACKET)
 * keeps the size of a pipe message free of the socket buffer's size.
 *
 * Names are file names: "Pipe names are not case-sensitive" (Microsoft
 * docs, CreateNamedPipeW), as are endpoint names here, so the file is the
 * name with ASCII letters in lower case (ntsec folds ASCII only, as
 * pipe.c compares); a name that would leave its folder ("..", '/') or
 * that does not fit sun_path is refused (ntsec's choice). */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include "alloc.h"
#include "sock_transport.h"

/* --- the rendezvous directory --------------------------------------------- */

enum dir_source { DIR_FROM_ENV, DIR_SET, DIR_OFF };

static pthread_mutex_t dir_lock = PTHREAD_MUTEX_INITIALIZER;
static enum dir_source dir_source;
static char dir_set[NTSEC_TRANSPORT_DIR_MAX + 1];

static bool dir_valid(const char *dir)
{
    size_t n = strlen(dir);

    return n && dir[0] == '/' && n <= NTSEC_TRANSPORT_DIR_MAX;
}

ntsec_status ntsec_transport_set_dir(const char *dir)
{
    if (dir && !dir_valid(dir))
        return NTSEC_STATUS_INVALID_PARAMETER;
    pthread_mutex_lock(&dir_lock);
    dir_source = dir ? DIR_SET : DIR_OFF;
    if (dir)
        strcpy(dir_set, dir);
    pthread_mutex_unlock(&dir_lock);
    return NTSEC_STATUS_SUCCESS;
}

/* The directory now, copied into `out`; false when off. */
static bool dir_now(char out[NTSEC_TRANSPORT_DIR_MAX + 1])
{
    enum dir_source source;
    const char *env;

    pthread_mutex_lock(&dir_lock);
    source = dir_source;
    if (source == DIR_SET)
        strcpy(out, dir_set);
    pthread_mutex_unlock(&dir_lock);
    if (source != DIR_FROM_ENV)
        return source == DIR_SET;
    env = getenv("NTSEC_TRANSPORT_DIR");
    if (!env || !dir_valid(env))
        return false;
    strcpy(out, env);
    return true;
}

bool ntsec__transport_enabled(void)
{
    char dir[NTSEC_TRANSPORT_DIR_MAX + 1];

    return dir_now(dir);
}

static const char *const folders[] = {
    [NTSEC__TRANSPORT_PIPE] = "pipe",
    [NTSEC__TRANSPORT_NCALRPC] = "ncalrpc",
};

bool ntsec__transport_name_valid(const char *name)
{
    size_t n = name ? strlen(name) : 0;

    return n && n < sizeof(((struct sockaddr_un *)0)->sun_path) && !strchr(name, '/') &&
           strcmp(name, ".") && strcmp(name, "..");
}

/* The folder's path in `buf` (its length returned), or 0 when off. */
static size_t folder_path(enum ntsec__transport_kind kind, char *buf, size_t size)
{
    char dir[NTSEC_TRANSPORT_DIR_MAX + 1];
    size_t n;

    if (!dir_now(dir))
        return 0;
    n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        dir[--n] = 0;
    n = (size_t)snprintf(buf, size, "%s/%s", n > 1 ? dir : "", folders[kind]);
    return n < size ? n : 0;
}

/* The socket address of `name`. */
static ntsec_status address(enum ntsec__transport_kind kind, const char *name,
                            struct sockaddr_un *out)
{
    size_t n, len;

    if (!ntsec__transport_name_valid(name))
        return NTSEC_STATUS_OBJECT_NAME_INVALID;
    memset(out, 0, sizeof(*out));
    out->sun_family = AF_UNIX;
    n = folder_path(kind, out->sun_path, sizeof(out->sun_path));
    if (!n)
        return NTSEC_STATUS_OBJECT_NAME_NOT_FOUND;
    len = strlen(name);
    if (n + 1 + len >= sizeof(out->sun_path))
        return NTSEC_STATUS_OBJECT_NAME_INVALID;
    out->sun_path[n++] = '/';
    for (size_t i = 0; i < len; i++) {
        char c = name[i];

        out->sun_path[n + i] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
    }
    return NTSEC_STATUS_SUCCESS;
}

/* --- errno ---------------------------------------------------------------- */

struct errno_status {
    int err;
    ntsec_status status;
};

static const struct errno_status errno_statuses[] = {
    { ENOENT, NTSEC_STATUS_OBJECT_NAME_NOT_FOUND },
    { ENOTDIR, NTSEC_STATUS_OBJECT_NAME_NOT_FOUND },
    { ECONNREFUSED, NTSEC_STATUS_OBJECT_NAME_NOT_FOUND },
    { EACCES, NTSEC_STATUS_ACCESS_DENIED },
    { EPERM, NTSEC_STATUS_ACCESS_DENIED },
    { EADDRINUSE, NTSEC_STATUS_OBJECT_NAME_COLLISION },
    { ENOMEM, NTSEC_STATUS_NO_MEMORY },
    { ENOBUFS, NTSEC_STATUS_NO_MEMORY },
    { EMFILE, NTSEC_STATUS_INSUFFICIENT_RESOURCES },
    { ENFILE, NTSEC_STATUS_INSUFFICIENT_RESOURCES },
    { EAGAIN, NTSEC_STATUS_IO_TIMEOUT },
    { EPIPE, NTSEC_STATUS_PIPE_BROKEN },
    { ECONNRESET, NTSEC_STATUS_PIPE_BROKEN },
};

static ntsec_status from_errno(int err)
{
    for (size_t i = 0; i < sizeof(errno_statuses) / sizeof(errno_statuses[0]); i++)
        if (errno_statuses[i].err == err)
            return errno_statuses[i].status;
    return NTSEC_STATUS_UNSUCCESSFUL;
}

/* --- connect -------------------------------------------------------------- */

static int connect_to(const struct sockaddr_un *a, int flags, int *err)
{
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | flags, 0);

    if (fd < 0) {
        *err = errno;
        return -1;
    }
    while (connect(fd, (const struct sockaddr *)a, sizeof(*a)) != 0) {
        if (errno == EINTR)
            continue;
        *err = errno;
        close(fd);
        return -1;
    }
    return fd;
}

ntsec_status ntsec__transport_connect(enum ntsec__transport_kind kind, const char *name, int *fd)
{
    struct sockaddr_un a;
    ntsec_status st = address(kind, name, &a);
    int err = 0, s;

    if (!ntsec_success(st))
        return st;
    s = connect_to(&a, 0, &err);
    if (s < 0)
        return from_errno(err);
    *fd = s;
    return NTSEC_STATUS_SUCCESS;
}

/* --- frames --------------------------------------------------------------- */

ntsec_status ntsec__transport_send(int fd, uint32_t type, const void *head, uint32_t head_len,
                                   const void *body, uint32_t body_len)
{
    uint32_t words[2] = { type, head_len + body_len };
    struct iovec iov[3] = {
        { words, sizeof(words) }, { (void *)head, head_len }, { (void *)body, body_len },
    };
    struct msghdr m = { .msg_iov = iov, .msg_iovlen = 3 };

    if (body_len > NTSEC__FRAME_MAX - head_len)
        return NTSEC_STATUS_INVALID_PARAMETER;
    while (m.msg_iovlen) {
        ssize_t n = sendmsg(fd, &m, MSG_NOSIGNAL);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return errno == EAGAIN ? NTSEC_STATUS_PIPE_BROKEN : from_errno(errno);
        /* A short write: skip what went, resume with the rest. */
        while (m.msg_iovlen && (size_t)n >= m.msg_iov->iov_len) {
            n -= (ssize_t)m.msg_iov->iov_len;
            m.msg_iov++;
            m.msg_iovlen--;
        }
        if (m.msg_iovlen) {
            m.msg_iov->iov_base = (char *)m.msg_iov->iov_base + n;
            m.msg_iov->iov_len -= (size_t)n;
        }
    }
    return NTSEC_STATUS_SUCCESS;
}

/* Read exactly `len` bytes: end of stream is the peer gone. */
static ntsec_status read_all(int fd, void *buf, size_t len)
{
    size_t done = 0;

    while (done < len) {
        ssize_t n = recv(fd, (char *)buf + done, len - done, 0);

        if (n == 0)
            return NTSEC_STATUS_PIPE_BROKEN;
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return errno == EAGAIN || errno == EWOULDBLOCK ? NTSEC_STATUS_IO_TIMEOUT
                                                           : NTSEC_STATUS_PIPE_BROKEN;
        done += (size_t)n;
    }
    return NTSEC_STATUS_SUCCESS;
}

ntsec_status ntsec__transport_recv(int fd, uint32_t *type, unsigned char **body, uint32_t *len)
{
    uint32_t words[2];
    unsigned char *b = NULL;
    ntsec_status st = read_all(fd, words, sizeof(words));

    if (!ntsec_success(st))
        return st;
    if (words[1] > NTSEC__FRAME_MAX)
        return NTSEC_STATUS_PIPE_BROKEN;
    if (words[1] && !(b = ntsec__alloc(words[1])))
        return NTSEC_STATUS_NO_MEMORY;
    if (words[1]) {
        st = read_all(fd, b, words[1]);
        if (!ntsec_success(st)) {
            ntsec__free(b);
            return st == NTSEC_STATUS_IO_TIMEOUT ? st : NTSEC_STATUS_PIPE_BROKEN;
        }
    }
    *type = words[0];
    *body = b;
    *len = words[1];
    return NTSEC_STATUS_SUCCESS;
}

void ntsec__transport_recv_timeout(int fd, unsigned ms)
{
    struct timeval tv = { .tv_sec = ms / 1000, .tv_usec = (long)(ms % 1000) * 1000 };

    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
}

/* --- listening ------------------------------------------------------------ */

struct ntsec__listener {
    int fd;
    struct sockaddr_un addr;
    pthread_t thread;
    ntsec__accept_fn fn;
    void *arg;
    char *name;
    pthread_mutex_t lock;               /* stopping, serving */
    bool stopping;
    int serving;                        /* the connection fn has now, or -1 */
};

static void *accept_main(void *p)
{
    struct ntsec__listener *l = p;

    for (;;) {
        int fd = accept4(l->fd, NULL, NULL, SOCK_CLOEXEC);
        bool stop;

        pthread_mutex_lock(&l->lock);
        stop = l->stopping;
        if (fd >= 0 && !stop)
            l->serving = fd;
        pthread_mutex_unlock(&l->lock);
        if (stop) {
            if (fd >= 0)
                close(fd);
            break;
        }
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED || errno == EMFILE ||
                errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)
                continue;
            break;
        }
        l->fn(fd, l->name, l->arg);
        pthread_mutex_lock(&l->lock);
        l->serving = -1;
        pthread_mutex_unlock(&l->lock);
    }
    return NULL;
}

/* A socket file already there: a listener answers (another process
 * serves the name) or it is left over (removed). The probe never waits
 * (callers hold the pipe lock): a listener whose backlog is full
 * (EAGAIN) is alive too. */
static ntsec_status claim(const struct sockaddr_un *a)
{
    int err = 0, fd = connect_to(a, SOCK_NONBLOCK, &err);

    if (fd >= 0 || err == EAGAIN) {
        if (fd >= 0)
            close(fd);
        return NTSEC_STATUS_OBJECT_NAME_COLLISION;
    }
    if (err != ECONNREFUSED)
        return from_errno(err);
    unlink(a->sun_path);
    return NTSEC_STATUS_SUCCESS;
}

/* The folder of `kind` exists, created world-writable and sticky as /tmp
 * is (servers of several users share it; none removes another's socket):
 * who may reach it at all is the rendezvous directory's own mode. */
static ntsec_status make_folder(enum ntsec__transport_kind kind)
{
    char path[sizeof(((struct sockaddr_un *)0)->sun_path)];

    if (!folder_path(kind, path, sizeof(path)))
        return NTSEC_STATUS_OBJECT_NAME_NOT_FOUND;
    if (mkdir(path, 0700) == 0)
        chmod(path, 01777);
    else if (errno != EEXIST)
        return from_errno(errno);
    return NTSEC_STATUS_SUCCESS;
}

static ntsec_status bind_listen(struct ntsec__listener *l)
{
    ntsec_status st = NTSEC_STATUS_SUCCESS;

    for (int tries = 0; tries < 2; tries++) {
        if (bind(l->fd, (const struct sockaddr *)&l->addr, sizeof(l->addr)) == 0) {
            /* Anyone who reaches the folder may connect: the pipe's DACL
             * (or the endpoint's handler) decides, on the peer's token. */
            chmod(l->addr.sun_path, 0666);
            if (listen(l->fd, SOMAXCONN) == 0)
                return NTSEC_STATUS_SUCCESS;
            st = from_errno(errno);
            unlink(l->addr.sun_path);
            return st;
        }
        if (errno != EADDRINUSE)
            return from_errno(errno);
        st = claim(&l->addr);
        if (!ntsec_success(st))
            return st;
    }
    return NTSEC_STATUS_OBJECT_NAME_COLLISION;
}

static void listener_free_parts(struct ntsec__listener *l)
{
    if (l->fd >= 0)
        close(l->fd);
    pthread_mutex_destroy(&l->lock);
    ntsec__free(l->name);
    ntsec__free(l);
}

ntsec_status ntsec__listener_start(enum ntsec__transport_kind kind, const char *name,
                                   ntsec__accept_fn fn, void *arg, struct ntsec__listener **out)
{
    struct ntsec__listener *l = ntsec__zalloc(sizeof(*l));
    size_t len = strlen(name);
    ntsec_status st;

    if (!l)
        return NTSEC_STATUS_NO_MEMORY;
    l->fd = -1;
    l->serving = -1;
    l->fn = fn;
    l->arg = arg;
    pthread_mutex_init(&l->lock, NULL);
    st = address(kind, name, &l->addr);
    if (ntsec_success(st) && !(l->name = ntsec__alloc(len + 1)))
        st = NTSEC_STATUS_NO_MEMORY;
    if (ntsec_success(st)) {
        memcpy(l->name, name, len + 1);
        st = make_folder(kind);
    }
    if (ntsec_success(st) && (l->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
        st = from_errno(errno);
    if (ntsec_success(st))
        st = bind_listen(l);
    if (ntsec_success(st) && pthread_create(&l->thread, NULL, accept_main, l)) {
        unlink(l->addr.sun_path);
        st = NTSEC_STATUS_INSUFFICIENT_RESOURCES;
    }
    if (!ntsec_success(st)) {
        listener_free_parts(l);
        return st;
    }
    *out = l;
    return NTSEC_STATUS_SUCCESS;
}

/* shutdown(2) wakes the thread blocked in accept(2) (it fails) and in a
 * receive on the connection it serves (end of stream). */
void ntsec__listener_stop(struct ntsec__listener *l)
{
    if (!l)
        return;
    pthread_mutex_lock(&l->lock);
    if (!l->stopping) {
        l->stopping = true;
        unlink(l->addr.sun_path);
        shutdown(l->fd, SHUT_RDWR);
        if (l->serving >= 0)
            shutdown(l->serving, SHUT_RDWR);
    }
    pthread_mutex_unlock(&l->lock);
}

void ntsec__listener_free(struct ntsec__listener *l)
{
    if (!l)
        return;
    ntsec__listener_stop(l);
    pthread_join(l->thread, NULL);
    listener_free_parts(l);
}
