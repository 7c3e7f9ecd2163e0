/* bench_impersonate.c - impersonate/revert, the operation a service makes
 * on every request (issue 6, "Benchmarks"; DESIGN.md, "The hot path"),
 * beside its references in one run:
 *
 *   - the limit: a thread-local pointer swap with one atomic increment and
 *     decrement, written here;
 *   - libsec's native API, then the same through the Windows ABI (the
 *     ms_abi adapters of emul/, called as a driver or a Win32 program
 *     calls them, through Wine's headers and <ntsec/ddk.h>);
 *   - two threads making pairs at once, each on its own context;
 *   - a raw per-thread setresuid pair (root only): what a Linux service
 *     does today to act as its client;
 *   - bench/win32/bench_impersonate_win32.c, one Win32 source run on two
 *     runtimes: built with mingw under Wine, and built with gcc against
 *     libntsec.
 *
 * Every ntsec row also counts, over 1000 operations after a warm-up, the
 * allocations and lock acquisitions the process made (bench_count.h):
 * the hot pairs must make none. The table prints; the rows, the targets
 * and their verdicts go to a JSON file (argv[1]) that
 * scripts/bench_chart.sh draws. */
#define _GNU_SOURCE                 /* RTLD_NEXT, for bench_count.h */
#include <ntstatus.h>
#define WIN32_NO_STATUS
#include <ntsec/ntdll.h>
#include <ddk/wdm.h>
#include <ntsec/ddk.h>
#include <ntsec/ntsec.h>

#include <errno.h>
#include <libgen.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bench.h"
#include "bench_count.h"

#define MAX_ROWS 40
#define COUNT_OPS 1000

struct row {
    struct bench_result r;
    bool counted;               /* allocations and locks were counted */
    struct bench_counts per_1000;
};

static struct row rows[MAX_ROWS];
static int row_count;
static char notes[8][160];
static int note_count;

static void note(const char *text)
{
    if (note_count < 8)
        snprintf(notes[note_count++], sizeof(notes[0]), "%s", text);
}

static void add_row(const char *group, const char *name, bench_fn fn, void *arg, bool count)
{
    struct row *w = &rows[row_count++];

    if (row_count > MAX_ROWS)
        abort();
    if (count) {
        bench_counted(fn, arg, COUNT_OPS);       /* warm-up: caches, first-use objects */
        w->per_1000 = bench_counted(fn, arg, COUNT_OPS);
        w->counted = true;
    }
    w->r = bench_run(group, name, fn, arg);
}

/* A row measured elsewhere (another thread, another program). */
static void add_measured(const char *group, const char *name, double median_ns, double min_ns)
{
    if (row_count < MAX_ROWS)
        rows[row_count++] = (struct row){ .r = { group, name, median_ns, min_ns } };
}

static void die(const char *what, long status)
{
    fprintf(stderr, "bench_impersonate: %s failed (0x%lx)\n", what, (unsigned long)status);
    exit(1);
}

/* --- fixtures ------------------------------------------------------------ */

#define GROUP_ON (NTSEC_SE_GROUP_MANDATORY | NTSEC_SE_GROUP_ENABLED | \
                  NTSEC_SE_GROUP_ENABLED_BY_DEFAULT)
#define PRIV_ON (NTSEC_SE_PRIVILEGE_ENABLED | NTSEC_SE_PRIVILEGE_ENABLED_BY_DEFAULT)

/* A primary token of user S-1-5-21-1-2-3-<rid> with `groups` groups:
 * domain groups, then Everyone and Users (as bench_access's). */
static struct ntsec_token *make_token(uint32_t rid, unsigned groups,
                                      const struct ntsec_luid_and_attributes *privs,
                                      size_t priv_count)
{
    static struct ntsec_sid sids[300];
    static struct ntsec_sid_and_attributes attrs[300];
    const uint32_t user_subs[] = { 21, 1, 2, 3, rid };
    struct ntsec_sid user;
    struct ntsec_token_desc d = { 0 };
    struct ntsec_token *t;
    unsigned n = 0;
    ntsec_status st;

    ntsec_sid_init(&user, 5, 5, user_subs);
    for (; n + 2 < groups; n++) {
        const uint32_t subs[] = { 21, 1, 2, 3, 2000 + n };
        ntsec_sid_init(&sids[n], 5, 5, subs);
    }
    ntsec_sid_from_string("WD", NULL, &sids[n++]);
    ntsec_sid_from_string("BU", NULL, &sids[n++]);
    for (unsigned i = 0; i < n; i++)
        attrs[i] = (struct ntsec_sid_and_attributes){ &sids[i], GROUP_ON };
    d.type = NTSEC_TOKEN_PRIMARY;
    d.user.sid = &user;
    d.groups = attrs;
    d.group_count = n;
    d.privileges = privs;
    d.privilege_count = priv_count;
    memcpy(d.source.name, "Bench   ", 8);
    st = ntsec_token_create(&d, &t);
    if (!ntsec_success(st))
        die("ntsec_token_create", st);
    return t;
}

/* The server: a service process whose token holds SeImpersonatePrivilege,
 * so SeTokenCanImpersonate lets it impersonate its clients at the level
 * they grant (Microsoft docs, "Client Impersonation"). */
static struct ntsec_process *make_service(void)
{
    static const struct ntsec_luid_and_attributes privs[] = {
        { { NTSEC_SE_IMPERSONATE_PRIVILEGE, 0 }, PRIV_ON },
        { { NTSEC_SE_CHANGE_NOTIFY_PRIVILEGE, 0 }, PRIV_ON },
    };
    struct ntsec_token *t = make_token(500, 4, privs, 2);
    struct ntsec_process *p;
    ntsec_status st = ntsec_process_create(t, "service", &p);

    if (!ntsec_success(st))
        die("ntsec_process_create", st);
    ntsec_token_put(t);
    return p;
}

/* A client: a thread of its own process, running on its primary token.
 * The pthread binds, hands its thread object over with a reference, and
 * exits; the object lives on, as a Windows thread object does while
 * referenced, and SeCreateClientSecurity reads it as any client thread. */
struct client {
    struct ntsec_token *token;
    struct ntsec_process *process;
    struct ntsec_thread *thread;        /* counted reference */
};

static void *client_main(void *arg)
{
    struct client *c = arg;

    if (!ntsec_success(ntsec_thread_bind(c->process)))
        return NULL;
    c->thread = ntsec_thread_current();
    ntsec_object_get(c->thread);
    return NULL;
}

static void client_make(struct client *c, uint32_t rid, unsigned groups)
{
    static const struct ntsec_luid_and_attributes privs[] = {
        { { NTSEC_SE_CHANGE_NOTIFY_PRIVILEGE, 0 }, PRIV_ON },
    };
    pthread_t th;
    ntsec_status st;

    c->token = make_token(rid, groups, privs, 1);
    st = ntsec_process_create(c->token, "client", &c->process);
    if (!ntsec_success(st))
        die("ntsec_process_create", st);
    c->thread = NULL;
    if (pthread_create(&th, NULL, client_main, c) != 0 || pthread_join(th, NULL) != 0 ||
        !c->thread)
        die("client thread", 0);
}

static void client_free(struct client *c)
{
    ntsec_object_put(c->thread);
    ntsec_object_put(c->process);
    ntsec_token_put(c->token);
}

static const struct ntsec_sqos dynamic_qos = {
    sizeof(struct ntsec_sqos), NTSEC_SECURITY_IMPERSONATION, NTSEC_SECURITY_DYNAMIC_TRACKING, 0
};
static const struct ntsec_sqos static_qos = {
    sizeof(struct ntsec_sqos), NTSEC_SECURITY_IMPERSONATION, NTSEC_SECURITY_STATIC_TRACKING, 0
};

/* --- the limit ------------------------------------------------------------- */

/* What impersonate/revert cannot beat: publish a pointer in a
 * thread-local slot and take a reference (one atomic increment), then
 * clear the slot and drop the reference (one atomic decrement). */
struct limit_token {
    _Alignas(64) atomic_long refs;      /* a cache line of its own */
};

static _Thread_local struct limit_token *volatile limit_current;

static void limit_loop(void *arg, long n)
{
    struct limit_token *t = arg;

    for (long i = 0; i < n; i++) {
        atomic_fetch_add_explicit(&t->refs, 1, memory_order_relaxed);
        limit_current = t;
        struct limit_token *old = limit_current;
        limit_current = NULL;
        if (atomic_fetch_sub_explicit(&old->refs, 1, memory_order_acq_rel) == 1)
            abort();
    }
}

/* --- native API pairs ------------------------------------------------------ */

struct pair_arg {
    struct ntsec_client_context *ctx;
    struct ntsec_thread *self;
    struct ntsec_token *token;
};

static void native_context_pair(void *arg, long n)
{
    struct pair_arg *a = arg;

    for (long i = 0; i < n; i++) {
        ntsec_status st = ntsec_client_context_impersonate(a->ctx, NULL);
        if (!ntsec_success(st))
            die("ntsec_client_context_impersonate", st);
        ntsec_thread_revert(a->self);
    }
}

static void native_thread_pair(void *arg, long n)
{
    struct pair_arg *a = arg;

    for (long i = 0; i < n; i++) {
        ntsec_status st = ntsec_thread_impersonate(a->self, a->token, false, false,
                                                   NTSEC_SECURITY_IMPERSONATION);
        if (!ntsec_success(st))
            die("ntsec_thread_impersonate", st);
        ntsec_thread_revert(a->self);
    }
}

struct capture_arg {
    struct ntsec_thread *client;
    const struct ntsec_sqos *qos;
};

static void native_capture(void *arg, long n)
{
    struct capture_arg *a = arg;
    struct ntsec_client_context ctx;

    for (long i = 0; i < n; i++) {
        ntsec_status st = ntsec_client_context_create(a->client, a->qos, false, &ctx);
        if (!ntsec_success(st))
            die("ntsec_client_context_create", st);
        ntsec_client_context_delete(&ctx);
    }
}

/* --- the Windows ABI --------------------------------------------------------- */

static void ddi_context_pair(void *arg, long n)
{
    PSECURITY_CLIENT_CONTEXT ctx = arg;

    for (long i = 0; i < n; i++) {
        NTSTATUS st = SeImpersonateClientEx(ctx, NULL);
        if (st != STATUS_SUCCESS)
            die("SeImpersonateClientEx", st);
        PsRevertToSelf();
    }
}

static void ddi_thread_pair(void *arg, long n)
{
    PACCESS_TOKEN token = arg;
    PETHREAD self = PsGetCurrentThread();

    for (long i = 0; i < n; i++) {
        NTSTATUS st = PsImpersonateClient(self, token, FALSE, FALSE, SecurityImpersonation);
        if (st != STATUS_SUCCESS)
            die("PsImpersonateClient", st);
        PsRevertToSelf();
    }
}

struct ddi_capture_arg {
    PETHREAD client;
    SECURITY_QUALITY_OF_SERVICE qos;
};

static void ddi_capture(void *arg, long n)
{
    struct ddi_capture_arg *a = arg;
    SECURITY_CLIENT_CONTEXT ctx;

    for (long i = 0; i < n; i++) {
        NTSTATUS st = SeCreateClientSecurity(a->client, &a->qos, FALSE, &ctx);
        if (st != STATUS_SUCCESS)
            die("SeCreateClientSecurity", st);
        SeDeleteClientSecurity(&ctx);
    }
}

static void win32_set_thread_token(void *arg, long n)
{
    HANDLE token = arg;

    for (long i = 0; i < n; i++)
        if (!SetThreadToken(NULL, token) || !SetThreadToken(NULL, NULL))
            die("SetThreadToken", GetLastError());
}

static void win32_impersonate_logged_on_user(void *arg, long n)
{
    HANDLE token = arg;

    for (long i = 0; i < n; i++)
        if (!ImpersonateLoggedOnUser(token) || !RevertToSelf())
            die("ImpersonateLoggedOnUser/RevertToSelf", GetLastError());
}

/* Runs while the thread impersonates. */
static void nt_open_thread_token(void *arg, long n)
{
    HANDLE h;

    (void)arg;
    for (long i = 0; i < n; i++) {
        NTSTATUS st = NtOpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &h);
        if (st != STATUS_SUCCESS)
            die("NtOpenThreadToken", st);
        NtClose(h);
    }
}

/* --- a Linux service today: setresuid ------------------------------------- */

/* The raw system call changes only the calling thread's credentials
 * (glibc's setresuid() would signal every thread of the process to keep
 * POSIX's process-wide semantics). */
static void setresuid_pair(void *arg, long n)
{
    (void)arg;
    for (long i = 0; i < n; i++)
        if (syscall(SYS_setresuid, -1, 1000, -1) != 0 || syscall(SYS_setresuid, -1, 0, -1) != 0)
            die("setresuid", errno);
}

/* What one system call costs on this machine: the setresuid pair is two,
 * and each of Wine's wineserver requests several. */
static void syscall_loop(void *arg, long n)
{
    (void)arg;
    for (long i = 0; i < n; i++)
        syscall(SYS_getppid);
}

/* --- two threads at once --------------------------------------------------- */

/* Each worker is a thread of the service with its own context (on its own
 * client's token): the pairs share no cache line but the service's
 * process token, which they only read. Every batch starts at a barrier;
 * a batch's wall time runs from the first start to the last end. The same
 * harness runs the limit in two threads (each on its own counter) as the
 * control: what this machine lets two threads scale to at that moment. */
struct worker {
    struct ntsec_process *service;
    bench_fn fn;
    void *arg;
    pthread_barrier_t *barrier;
    long iters;
    double start[BENCH_BATCHES], end[BENCH_BATCHES];
};

static void *worker_main(void *arg)
{
    struct worker *w = arg;

    if (!ntsec_success(ntsec_thread_bind(w->service)))
        die("ntsec_thread_bind", 0);
    w->fn(w->arg, w->iters);                            /* warm-up */
    for (int b = 0; b < BENCH_BATCHES; b++) {
        pthread_barrier_wait(w->barrier);
        w->start[b] = bench_now_ns();
        w->fn(w->arg, w->iters);
        w->end[b] = bench_now_ns();
    }
    return NULL;
}

struct threads_result {
    double per_thread_ns[2];    /* median ns per pair seen by each thread */
    double per_thread_min[2];
    double ops_per_s;           /* median over batches, all threads together */
    double best_ops_per_s;      /* the best batch */
    double overlap;             /* median share of a batch both threads ran at once */
};

static double median_of(double *v)
{
    qsort(v, BENCH_BATCHES, sizeof(v[0]), bench_cmp_double);
    return v[BENCH_BATCHES / 2];
}

static struct threads_result run_threads(int n, struct worker *w)
{
    pthread_barrier_t barrier;
    pthread_t th[2];
    double per[BENCH_BATCHES], ops[BENCH_BATCHES], both[BENCH_BATCHES];
    struct threads_result r = { .overlap = 1 };

    pthread_barrier_init(&barrier, NULL, (unsigned)n);
    for (int i = 0; i < n; i++) {
        w[i].barrier = &barrier;
        if (pthread_create(&th[i], NULL, worker_main, &w[i]) != 0)
            die("pthread_create", 0);
    }
    for (int i = 0; i < n; i++)
        pthread_join(th[i], NULL);
    pthread_barrier_destroy(&barrier);
    for (int b = 0; b < BENCH_BATCHES; b++) {
        double first = w[0].start[b], last = w[0].end[b];
        double from = w[0].start[b], to = w[0].end[b];

        for (int i = 1; i < n; i++) {
            first = w[i].start[b] < first ? w[i].start[b] : first;
            last = w[i].end[b] > last ? w[i].end[b] : last;
            from = w[i].start[b] > from ? w[i].start[b] : from;
            to = w[i].end[b] < to ? w[i].end[b] : to;
        }
        ops[b] = (double)n * (double)w[0].iters / ((last - first) / 1e9);
        both[b] = to > from ? (to - from) / (last - first) : 0;
    }
    r.ops_per_s = median_of(ops);
    r.best_ops_per_s = ops[BENCH_BATCHES - 1];
    if (n == 2)
        r.overlap = median_of(both);
    for (int i = 0; i < n; i++) {
        for (int b = 0; b < BENCH_BATCHES; b++)
            per[b] = (w[i].end[b] - w[i].start[b]) / (double)w[i].iters;
        r.per_thread_ns[i] = median_of(per);
        r.per_thread_min[i] = per[0];
    }
    return r;
}

/* Scaling of `fn` from one thread to two, each thread on its own arg. */
struct scaling {
    struct threads_result one, two;
};

static struct scaling measure_scaling(struct ntsec_process *service, bench_fn fn, void *arg0,
                                      void *arg1, double ns_per_op)
{
    long iters = (long)(2e6 / ns_per_op) + 1;
    struct worker w[2] = {
        { .service = service, .fn = fn, .arg = arg0, .iters = iters },
        { .service = service, .fn = fn, .arg = arg1, .iters = iters },
    };
    struct scaling s;

    s.two = run_threads(2, w);
    s.one = run_threads(1, w);
    return s;
}

/* --- one Win32 source, two runtimes ---------------------------------------- */

/* Run a build of bench/win32/bench_impersonate_win32.c and take its rows
 * under `group`. False (and a note) when it cannot run. */
static bool win32_rows(const char *group, const char *command)
{
    char line[512], *name, *median, *min, *end;
    FILE *p = popen(command, "r");
    bool any = false;

    if (!p)
        return false;
    while (fgets(line, sizeof(line), p)) {
        if (strncmp(line, "row\t", 4) != 0 || !(name = strtok(line + 4, "\t")) ||
            !(median = strtok(NULL, "\t")) || !(min = strtok(NULL, "\t\n")))
            continue;
        add_measured(group, strdup(name), strtod(median, &end), strtod(min, &end));
        any = true;
    }
    return pclose(p) == 0 && any;
}

static bool executable(const char *path)
{
    return access(path, X_OK) == 0;
}

static void peers(const char *bench_dir)
{
    char exe[4096], native[4096], prefix[4096], cmd[3 * 4096];
    char *top = realpath(bench_dir, NULL);

    if (!top)
        return;
    snprintf(exe, sizeof(exe), "%s/bench_impersonate_win32.exe", top);
    snprintf(native, sizeof(native), "%s/bench_impersonate_win32", top);
    /* A private prefix beside the build, made by the first run (slow, and
     * outside every timed loop: the program times itself). */
    snprintf(prefix, sizeof(prefix), "%s/wineprefix", dirname(top));
    if (executable(native)) {
        snprintf(cmd, sizeof(cmd), "'%s'", native);
        if (!win32_rows("ntsec-win32", cmd))
            note("the ntsec build of bench_impersonate_win32 failed: no ntsec-win32 rows");
    } else {
        note("bench_impersonate_win32 (ntsec build) not built: no ntsec-win32 rows");
    }
    if (!executable(exe)) {
        note("mingw (gcc-mingw-w64-x86-64) not installed: no Wine rows");
    } else if (system("command -v wine >/dev/null 2>&1") != 0) {
        note("wine not installed: no Wine rows");
    } else {
        if (access(prefix, F_OK) != 0)
            fprintf(stderr, "bench_impersonate: creating the Wine prefix %s (once)\n", prefix);
        snprintf(cmd, sizeof(cmd),
                 "WINEPREFIX='%s' WINEDEBUG=-all WINEDLLOVERRIDES='mscoree,mshtml=' "
                 "wine '%s' 2>/dev/null", prefix, exe);
        if (!win32_rows("wine", cmd))
            note("wine could not run bench_impersonate_win32.exe: no Wine rows");
    }
    free(top);
}

/* --- report ------------------------------------------------------------------ */

/* The table's order: references, the pairs and captures of each API, the
 * threads, then the two runtimes of the Win32 source. */
static const char *const group_order[] = {
    "reference", "native", "ddi", "win32", "nt", "threads", "ntsec-win32", "wine",
};

static int group_rank(const char *group)
{
    for (size_t i = 0; i < sizeof(group_order) / sizeof(group_order[0]); i++)
        if (strcmp(group_order[i], group) == 0)
            return (int)i;
    return (int)(sizeof(group_order) / sizeof(group_order[0]));
}

/* Stable: within a group, rows keep the order they were measured in. */
static void sort_rows(void)
{
    for (int i = 1; i < row_count; i++) {
        struct row w = rows[i];
        int j = i;

        for (; j > 0 && group_rank(rows[j - 1].r.group) > group_rank(w.r.group); j--)
            rows[j] = rows[j - 1];
        rows[j] = w;
    }
}

static const struct row *find(const char *group, const char *name)
{
    for (int i = 0; i < row_count; i++)
        if (strcmp(rows[i].r.group, group) == 0 && strcmp(rows[i].r.name, name) == 0)
            return &rows[i];
    return NULL;
}

struct target {
    const char *goal;
    char value[96];
    bool known;                 /* measured in this run */
    bool met;
};

static struct target targets[8];
static int target_count;

/* `value` is a printf format over `x`, shown when `known`. */
static void target(const char *goal, bool known, bool met, const char *value, double x)
{
    struct target *t = &targets[target_count++];

    t->goal = goal;
    t->known = known;
    t->met = known && met;
    snprintf(t->value, sizeof(t->value), known ? value : "not measured", x);
}

static void print_table(void)
{
    printf("\nImpersonation (median of %d batches; allocations and lock acquisitions "
           "per %d operations)\n%-12s %-68s %10s %10s %7s %6s\n", BENCH_BATCHES, COUNT_OPS,
           "group", "case", "median ns", "min ns", "allocs", "locks");
    for (int i = 0; i < row_count; i++) {
        const struct row *w = &rows[i];

        printf("%-12s %-68s %10.1f %10.1f", w->r.group, w->r.name, w->r.median_ns, w->r.min_ns);
        if (w->counted)
            printf(" %7ld %6ld\n", w->per_1000.allocations, w->per_1000.locks);
        else
            printf(" %7s %6s\n", "-", "-");
    }
}

/* The rows of bench_impersonate_win32 that both runtimes ran. */
static void print_same_source(FILE *f, bool json)
{
    bool first = true;

    for (int i = 0; i < row_count; i++) {
        const struct row *n = &rows[i], *w;

        if (strcmp(n->r.group, "ntsec-win32") != 0 || !(w = find("wine", n->r.name)))
            continue;
        if (json)
            fprintf(f, "%s\n    {\"case\": \"%s\", \"ntsec_ns\": %.1f, \"wine_ns\": %.1f, "
                       "\"wine_over_ntsec\": %.0f}", first ? "" : ",", n->r.name,
                    n->r.median_ns, w->r.median_ns, w->r.median_ns / n->r.median_ns);
        else
            fprintf(f, "%s  %-44s ntsec %8.1f ns   Wine %10.1f ns   %6.0fx\n",
                    first ? "\nOne Win32 source, two runtimes (medians)\n" : "", n->r.name,
                    n->r.median_ns, w->r.median_ns, w->r.median_ns / n->r.median_ns);
        first = false;
    }
}

static void print_targets(void)
{
    printf("\nTargets (issue 6)\n");
    for (int i = 0; i < target_count; i++)
        printf("  %-56s %-40s %s\n", targets[i].goal, targets[i].value,
               !targets[i].known ? "-" : targets[i].met ? "met" : "NOT MET");
    for (int i = 0; i < note_count; i++)
        printf("  note: %s\n", notes[i]);
}

/* Throughput of two threads over one: of the median batches, or of the
 * best batch of each. */
static double ratio(const struct scaling *s, bool best)
{
    return best ? s->two.best_ops_per_s / s->one.best_ops_per_s
                : s->two.ops_per_s / s->one.ops_per_s;
}

/* One row per line, so that scripts/bench_chart.sh reads it with sed on a
 * machine without a JSON tool. */
static void write_json(const char *path, const struct scaling *pair,
                       const struct scaling *control)
{
    FILE *f = fopen(path, "w");
    char date[16];
    time_t now = time(NULL);

    if (!f) {
        perror(path);
        return;
    }
    strftime(date, sizeof(date), "%Y-%m-%d", gmtime(&now));
    fprintf(f, "{\n  \"bench\": \"impersonate\",\n  \"date\": \"%s\",\n  \"batches\": %d,\n"
               "  \"rows\": [\n", date, BENCH_BATCHES);
    for (int i = 0; i < row_count; i++) {
        const struct row *w = &rows[i];

        fprintf(f, "    {\"group\": \"%s\", \"case\": \"%s\", \"median_ns\": %.1f, "
                   "\"min_ns\": %.1f", w->r.group, w->r.name, w->r.median_ns, w->r.min_ns);
        if (w->counted)
            fprintf(f, ", \"allocs_per_%d\": %ld, \"locks_per_%d\": %ld", COUNT_OPS,
                    w->per_1000.allocations, COUNT_OPS, w->per_1000.locks);
        fprintf(f, "}%s\n", i + 1 < row_count ? "," : "");
    }
    fprintf(f, "  ],\n  \"threads\": {\"one_ops_per_s\": %.0f, \"two_ops_per_s\": %.0f, "
               "\"two_per_thread_ns\": [%.1f, %.1f], \"overlap\": %.2f, \"scaling\": %.2f, "
               "\"best_batch_scaling\": %.2f, \"control_scaling\": %.2f},\n",
            pair->one.ops_per_s, pair->two.ops_per_s, pair->two.per_thread_ns[0],
            pair->two.per_thread_ns[1], pair->two.overlap, ratio(pair, false), ratio(pair, true),
            ratio(control, false));
    fprintf(f, "  \"same_source\": [");
    print_same_source(f, true);
    fprintf(f, "\n  ],\n  \"targets\": [\n");
    for (int i = 0; i < target_count; i++)
        fprintf(f, "    {\"goal\": \"%s\", \"value\": \"%s\", \"met\": %s}%s\n", targets[i].goal,
                targets[i].value, !targets[i].known ? "null" : targets[i].met ? "true" : "false",
                i + 1 < target_count ? "," : "");
    fprintf(f, "  ],\n  \"notes\": [");
    for (int i = 0; i < note_count; i++)
        fprintf(f, "%s\"%s\"", i ? ", " : "", notes[i]);
    fprintf(f, "]\n}\n");
    fclose(f);
}

/* --- main -------------------------------------------------------------------- */

#define LIMIT       "limit: TLS pointer swap + atomic inc/dec"
#define SETRESUID   "raw setresuid(-1, 1000, -1) + back to 0"
#define SYSCALL     "one raw system call (getppid)"
#define DDI_PAIR    "SeImpersonateClientEx + PsRevertToSelf"
#define DDI_THREAD  "PsImpersonateClient + PsRevertToSelf"
#define NAT_PAIR    "ntsec_client_context_impersonate + ntsec_thread_revert"
#define NAT_THREAD  "ntsec_thread_impersonate + ntsec_thread_revert"
#define WIN_LOGON   "ImpersonateLoggedOnUser + RevertToSelf"
#define WIN_SET     "SetThreadToken set + clear"

static const char *const pair_rows[][2] = {
    { "native", NAT_PAIR }, { "native", NAT_THREAD }, { "ddi", DDI_PAIR }, { "ddi", DDI_THREAD },
};

/* The capture rows: each tracking mode with 10 and 300 groups. */
static void capture_rows(struct client *c10, struct client *c300)
{
    static char names[8][96];
    static struct capture_arg native[4];
    static struct ddi_capture_arg ddi[4];
    struct client *clients[2] = { c10, c300 };
    int k = 0;

    for (int s = 0; s < 2; s++)
        for (int g = 0; g < 2; g++, k++) {
            const struct ntsec_sqos *q = s ? &static_qos : &dynamic_qos;
            const char *mode = s ? "static" : "dynamic";
            unsigned groups = g ? 300 : 10;

            native[k] = (struct capture_arg){ clients[g]->thread, q };
            snprintf(names[2 * k], sizeof(names[0]),
                     "ntsec_client_context_create + _delete, %s, %u groups", mode, groups);
            add_row("native", names[2 * k], native_capture, &native[k], true);
            ddi[k].client = (PETHREAD)clients[g]->thread;
            ddi[k].qos = (SECURITY_QUALITY_OF_SERVICE){
                sizeof(SECURITY_QUALITY_OF_SERVICE), SecurityImpersonation,
                s ? SECURITY_STATIC_TRACKING : SECURITY_DYNAMIC_TRACKING, FALSE };
            snprintf(names[2 * k + 1], sizeof(names[0]),
                     "SeCreateClientSecurity + SeDeleteClientSecurity, %s, %u groups", mode, groups);
            add_row("ddi", names[2 * k + 1], ddi_capture, &ddi[k], true);
        }
}

static void judge(const struct scaling *threads, const struct scaling *control)
{
    const struct row *pair = find("ddi", DDI_PAIR), *limit = find("reference", LIMIT);
    const struct row *suid = find("reference", SETRESUID);
    const struct row *wl = find("wine", WIN_LOGON), *ws = find("wine", WIN_SET);
    double p = pair->r.median_ns, wine = 0;
    long allocs = 0, locks = 0;
    char scaling[96];

    if (wl && ws)
        wine = wl->r.median_ns < ws->r.median_ns ? wl->r.median_ns : ws->r.median_ns;
    for (size_t i = 0; i < sizeof(pair_rows) / sizeof(pair_rows[0]); i++) {
        const struct row *w = find(pair_rows[i][0], pair_rows[i][1]);
        allocs += w->per_1000.allocations;
        locks += w->per_1000.locks;
    }
    target("pair within 3x the limit", true, p <= 3 * limit->r.median_ns,
           "%.2fx the limit", p / limit->r.median_ns);
    target(">=100x faster than a raw setresuid pair", suid != NULL,
           suid && suid->r.median_ns >= 100 * p, "%.0fx faster", suid ? suid->r.median_ns / p : 0);
    target(">=5000x faster than Wine's fastest pair", wine > 0, wine >= 5000 * p,
           "%.0fx faster", wine / p);
    snprintf(scaling, sizeof(scaling), "%%.2fx; best batch %.2fx; control %.2fx; overlap %.0f%%%%",
             ratio(threads, true), ratio(control, false), 100 * threads->two.overlap);
    target("2 threads >=1.8x the throughput of 1", true, ratio(threads, false) >= 1.8, scaling,
           ratio(threads, false));
    target("zero allocations on the 4 impersonate+revert pairs", true, allocs == 0,
           "%.0f allocations in 4 x 1000 pairs", (double)allocs);
    target("no lock on the 4 impersonate+revert pairs", true, locks == 0,
           "%.0f lock acquisitions in 4 x 1000 pairs", (double)locks);
}

int main(int argc, char **argv)
{
    const char *json = argc > 1 ? argv[1] : "build/bench_impersonate.json";
    char *self_path = strdup(argv[0]);
    struct ntsec_process *service = make_service();
    struct client c10, c10b, c300;
    struct limit_token limit = { 1 };
    struct ntsec_client_context native_ctx;
    SECURITY_CLIENT_CONTEXT ctx, ctx_b;
    struct ntsec_token *imp;
    ntsec_handle imp_handle;
    struct limit_token limits[2] = { { 1 }, { 1 } };
    struct scaling threads, control;
    ntsec_status st;

    if (!ntsec_success(st = ntsec_thread_bind(service)))
        die("ntsec_thread_bind", st);
    client_make(&c10, 1001, 10);
    client_make(&c10b, 1002, 10);
    client_make(&c300, 1003, 300);

    add_row("reference", LIMIT, limit_loop, &limit, false);

    /* The native API. */
    if (!ntsec_success(st = ntsec_client_context_create(c10.thread, &dynamic_qos, false,
                                                        &native_ctx)))
        die("ntsec_client_context_create", st);
    struct pair_arg pa = { &native_ctx, ntsec_thread_current(), c10.token };
    add_row("native", NAT_PAIR, native_context_pair, &pa, true);
    add_row("native", NAT_THREAD, native_thread_pair, &pa, true);

    /* The kernel DDI: a context made by SeCreateClientSecurity, as a
     * driver keeps one per client connection. */
    SECURITY_QUALITY_OF_SERVICE qos = { sizeof(qos), SecurityImpersonation,
                                        SECURITY_DYNAMIC_TRACKING, FALSE };
    if ((st = SeCreateClientSecurity((PETHREAD)c10.thread, &qos, FALSE, &ctx)) != STATUS_SUCCESS ||
        (st = SeCreateClientSecurity((PETHREAD)c10b.thread, &qos, FALSE, &ctx_b)) != STATUS_SUCCESS)
        die("SeCreateClientSecurity", st);
    add_row("ddi", DDI_PAIR, ddi_context_pair, &ctx, true);
    add_row("ddi", DDI_THREAD, ddi_thread_pair, c10.token, true);
    capture_rows(&c10, &c300);

    /* advapi32 and ntdll, on a handle to an impersonation copy of the
     * client's token. */
    const struct ntsec_token_dup how = { NTSEC_TOKEN_IMPERSONATION, NTSEC_SECURITY_IMPERSONATION,
                                         false };
    if (!ntsec_success(st = ntsec_token_duplicate(c10.token, &how, &imp)) ||
        !ntsec_success(st = ntsec_handle_create(imp, NTSEC_TOKEN_QUERY | NTSEC_TOKEN_DUPLICATE |
                                                     NTSEC_TOKEN_IMPERSONATE, 0, &imp_handle)))
        die("impersonation token handle", st);
    add_row("win32", WIN_SET, win32_set_thread_token, (HANDLE)imp_handle, true);
    add_row("win32", WIN_LOGON, win32_impersonate_logged_on_user, (HANDLE)imp_handle, true);
    if (!SetThreadToken(NULL, (HANDLE)imp_handle))
        die("SetThreadToken", GetLastError());
    add_row("nt", "NtOpenThreadToken + NtClose", nt_open_thread_token, NULL, true);
    RevertToSelf();

    /* Two threads, then one, with the same batch size; then the control. */
    threads = measure_scaling(service, ddi_context_pair, &ctx, &ctx_b,
                              find("ddi", DDI_PAIR)->r.median_ns);
    control = measure_scaling(service, limit_loop, &limits[0], &limits[1],
                              find("reference", LIMIT)->r.median_ns);
    add_measured("threads", "1 thread alone", threads.one.per_thread_ns[0],
                 threads.one.per_thread_min[0]);
    add_measured("threads", "2 threads at once: thread 1", threads.two.per_thread_ns[0],
                 threads.two.per_thread_min[0]);
    add_measured("threads", "2 threads at once: thread 2", threads.two.per_thread_ns[1],
                 threads.two.per_thread_min[1]);

    /* A Linux service acting as its client today, and the system call
     * it is made of. */
    add_row("reference", SYSCALL, syscall_loop, NULL, false);
    if (geteuid() != 0)
        note("not root: no setresuid row");
    else if (syscall(SYS_setresuid, -1, 1000, -1) != 0 || syscall(SYS_setresuid, -1, 0, -1) != 0)
        note("setresuid refused (no CAP_SETUID?): no setresuid row");
    else
        add_row("reference", SETRESUID, setresuid_pair, NULL, false);

    peers(dirname(self_path));
    sort_rows();
    judge(&threads, &control);
    print_table();
    print_same_source(stdout, false);
    print_targets();
    write_json(json, &threads, &control);

    ntsec_handle_close(imp_handle);
    ntsec_token_put(imp);
    SeDeleteClientSecurity(&ctx);
    SeDeleteClientSecurity(&ctx_b);
    ntsec_client_context_delete(&native_ctx);
    client_free(&c10);
    client_free(&c10b);
    client_free(&c300);
    free(self_path);
    return 0;
}
