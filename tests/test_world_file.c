/* test_world_file.c - the world file (libsec/world_file.c, docs/world.md):
 * every malformed file is rejected with the line that is wrong and leaves
 * the current world as it was; a good file replaces it; NTSEC_WORLD is
 * read once, and a bad one keeps the default world with one line on
 * stderr. The format is ntsec's own, so the rules are docs/world.md's. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ntsec/ntsec.h"
#include "testutil.h"

static char dir[] = "/tmp/ntsec-world-XXXXXX";
static char env_file[96], err_file[96];
static int saved_stderr = -1;

static const char *write_file(const char *name, const char *text)
{
    static char path[128];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs(text, f);
    fclose(f);
    return path;
}

/* The current world, as text, to compare before and after. */
static char *snapshot(void)
{
    char *text = NULL;

    CU_ASSERT_EQUAL_FATAL(ntsec_world_describe(&text), NTSEC_STATUS_SUCCESS);
    return text;
}

static bool alice_known(void)
{
    struct ntsec_sid s;
    char d[64];
    size_t ds = sizeof(d);
    enum ntsec_sid_use u;

    return ntsec_account_lookup_name("CONTOSO\\alice", &s, d, &ds, &u) == NTSEC_STATUS_SUCCESS;
}

/* A bad file named by NTSEC_WORLD: the default world stays and stderr
 * gets one line naming the file and the line. The world is read once,
 * before this test runs, so the line went to the stderr the constructor
 * below redirected to a file. */
static void bad_ntsec_world_keeps_default_and_says_where(void)
{
    char buf[512] = "";
    FILE *f;

    CU_ASSERT(alice_known());
    f = fopen(err_file, "r");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    CU_ASSERT_PTR_NOT_NULL(fgets(buf, sizeof(buf), f));
    CU_ASSERT(strstr(buf, env_file) != NULL);
    CU_ASSERT(strstr(buf, "line 3") != NULL);
    CU_ASSERT_PTR_NULL(fgets(buf, sizeof(buf), f));     /* one line only */
    fclose(f);
}

struct bad_case {
    const char *text;
    unsigned line;
};

/* Every class of malformed file, with the line the error must name. */
static const struct bad_case bad_cases[] = {
    /* syntax (inih) */
    { "[machine]\nname = WS\nthis is not a key\n", 3 },
    { "; comment\n[user a\nrid = 5\n", 2 },
    { "[user a]\nrid = 5\n  groups = Users\n", 3 },            /* continuation line */
    /* sections */
    { "\n\n[nonsense]\nrid = 5\n", 3 },
    { "[user]\nrid = 5\n", 1 },
    { "[machine NAME]\n", 1 },
    { "[machine]\nname = A\n[machine]\nname = B\n", 3 },
    { "key = 1\n[user a]\nrid = 5\n", 1 },
    /* keys */
    { "[user a]\nrid = 5\ncolor = red\n", 3 },
    { "[domain D]\nsid = S-1-5-21-1-2-3\nrid = 5\n", 3 },
    { "[user a]\nrid = 5\nrid = 6\n", 3 },
    { "[user a]\nrid =\n", 2 },
    /* values */
    { "[user a]\nrid = 12x\n", 2 },
    { "[user a]\nrid = 0\n", 2 },
    { "[user a]\nrid = 4294967296\n", 2 },
    { "[user a]\n; no rid\n", 1 },
    { "[user a]\nrid = 5\nsid = S-1-5-21-1004336348-1177238915-682003330-5\n", 3 },
    { "[user a]\nsid = S-1-5-21-9-9-9-5\n", 2 },
    { "[user a]\nsid = banana\n", 2 },
    { "[user a]\nrid = 5\nrights = SeFlyingPrivilege\n", 3 },
    { "[user a]\nrid = 5\nflags = purple\n", 3 },
    { "[user a]\nrid = 5\nflags = sensitive,\n", 3 },
    { "[user a]\nrid = 5\npassword = plaintext\n", 3 },
    { "[user a]\nrid = 5\nuid = -1\n", 3 },
    { "[group g]\nrid = 5\ngid = 4294967295\n", 3 },
    { "[user this-name-is-far-too-long]\nrid = 5\n", 1 },
    { "[user a/b]\nrid = 5\n", 1 },
    { "[machine]\nname = NOT A NAME\n", 2 },
    { "[machine]\nsid = S-1-5-32-544\n", 2 },
    { "[machine]\nname = WS\ndomain = D\n", 1 },
    { "[machine]\nname = WS\nrid = 5\n", 3 },
    { "[machine]\nname = WS\nflags = trusted-for-delegation\n", 3 },
    { "[machine]\nname = WS\ndomain = D\nrid = 5\n", 3 },
    /* domains */
    { "[domain D]\n", 1 },
    { "[domain D]\nsid = S-1-5-21-1-2-3\n[domain d]\nsid = S-1-5-21-1-2-4\n", 3 },
    { "[domain D]\nsid = S-1-5-21-1-2-3\n[domain E]\nsid = S-1-5-21-1-2-3\n", 4 },
    { "[domain BUILTIN]\nsid = S-1-5-21-1-2-3\n", 1 },
    { "[user a]\ndomain = NOWHERE\nrid = 5\n", 2 },
    { "[host H]\nrid = 5\n", 1 },
    { "[host H]\ndomain = WORKSTATION\nrid = 5\n", 2 },
    /* references and uniqueness */
    { "[user a]\nrid = 5\ngroups = Users, Nobody\n", 3 },
    { "[user a]\nrid = 5\n[user b]\nrid = 6\ngroups = a\n", 5 },
    { "[group g]\nrid = 5\ngroups = g\n", 3 },
    { "[user a]\nrid = 5\n[user b]\nrid = 5\n", 3 },
    { "[user a]\nrid = 5\n[group A]\nrid = 6\n", 3 },
    { "[user a]\nrid = 5\nuid = 7\n[user b]\nrid = 6\nuid = 7\n", 4 },
    { "[group a]\nrid = 5\ngid = 7\n[group b]\nrid = 6\ngid = 7\n", 4 },
    { "[wellknown Nobody Here]\nrights = SeDebugPrivilege\n", 1 },
    { "[wellknown Everyone]\nrid = 5\n", 2 },
};

/* Each malformed file: STATUS_INVALID_PARAMETER, its line, a reason, and
 * the world unchanged. */
static void every_malformed_file_names_its_line(void)
{
    char *before = snapshot();

    for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
        const char *path = write_file("bad.ini", bad_cases[i].text);
        unsigned line = 999;
        const char *why = NULL;
        ntsec_status st = ntsec_world_load(path, &line, &why);

        CU_ASSERT_EQUAL(st, NTSEC_STATUS_INVALID_PARAMETER);
        CU_ASSERT_EQUAL(line, bad_cases[i].line);
        CU_ASSERT_PTR_NOT_NULL(why);
        if (st != NTSEC_STATUS_INVALID_PARAMETER || line != bad_cases[i].line)
            fprintf(stderr, "case %zu: status %08x line %u (%s)\n", i, (unsigned)st, line,
                    why ? why : "-");
    }
    char *after = snapshot();
    CU_ASSERT_STRING_EQUAL(before, after);
    CU_ASSERT(alice_known());
    ntsec_mem_free(before);
    ntsec_mem_free(after);
}

/* A line longer than the reader's buffer is an error on that line (inih
 * would otherwise split it). */
static void overlong_line_is_an_error(void)
{
    char text[600];
    unsigned line = 0;
    const char *why = NULL;

    strcpy(text, "[user a]\nrid = 5\ngroups = Users");
    for (int i = 0; i < 40; i++)
        strcat(text, ", Users");
    strcat(text, "\n");
    CU_ASSERT_EQUAL(ntsec_world_load(write_file("long.ini", text), &line, &why),
                    NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(line, 3);
    CU_ASSERT(alice_known());
}

/* A missing file: STATUS_OBJECT_NAME_NOT_FOUND, the world unchanged. */
static void missing_file_changes_nothing(void)
{
    unsigned line = 7;
    const char *why = NULL;
    char path[128];

    snprintf(path, sizeof(path), "%s/none.ini", dir);
    CU_ASSERT_EQUAL(ntsec_world_load(path, &line, &why), NTSEC_STATUS_OBJECT_NAME_NOT_FOUND);
    CU_ASSERT_EQUAL(line, 0);
    CU_ASSERT(alice_known());
    CU_ASSERT_EQUAL(ntsec_world_load(NULL, &line, &why), NTSEC_STATUS_INVALID_PARAMETER);
}

static const char good_world[] =
    "; a small world\n"
    "[machine]\n"
    "name = LAB\n"
    "sid = S-1-5-21-11-22-33\n"
    "domain = FABRIKAM\n"
    "rid = 2000\n"
    "flags = trusted-for-delegation\n"
    "[domain FABRIKAM]\n"
    "sid = S-1-5-21-44-55-66\n"
    "[group Ops]\n"
    "domain = FABRIKAM\n"
    "rid = 3000\n"
    "groups = BUILTIN\\Backup Operators\n"
    "gid = 4321\n"
    "[user dan]              ; dan-password\n"
    "domain = FABRIKAM\n"
    "sid = S-1-5-21-44-55-66-3001\n"
    "password = $6$EwisE6NwfoMhmDAx$SrY0cfGk3HVl/F8tXIN5FNz.3Aa5OPP1Wi4ASNIrsUEkWaWaGUKDmbomj1rZwRa0KsZS1W/Zm8MzYr61QCg2o1\n"
    "groups = Ops\n"
    "rights = SeInteractiveLogonRight, SeDebugPrivilege\n"
    "flags = sensitive, trusted-to-auth-for-delegation\n"
    "uid = 1234\n"
    "[host WEB]\n"
    "domain = FABRIKAM\n"
    "rid = 3002\n"
    "[wellknown Everyone]\n"
    "rights = SeChangeNotifyPrivilege\n";

/* A good file replaces the world; ntsec_world_reset brings the default
 * back. Its accounts, flags, memberships and mappings are what it says. */
static void good_file_replaces_the_world(void)
{
    unsigned line = 0;
    const char *why = NULL;
    struct ntsec_sid s, want;
    char n[64], d[64];
    size_t ns = sizeof(n), ds = sizeof(d);
    enum ntsec_sid_use u;

    CU_ASSERT_EQUAL_FATAL(ntsec_world_load(write_file("good.ini", good_world), &line, &why),
                          NTSEC_STATUS_SUCCESS);
    CU_ASSERT(!alice_known());
    CU_ASSERT_EQUAL(ntsec_account_lookup_name("dan", &s, d, &ds, &u), NTSEC_STATUS_SUCCESS);
    ntsec_sid_from_string("S-1-5-21-44-55-66-3001", NULL, &want);
    CU_ASSERT(ntsec_sid_equal(&s, &want));
    CU_ASSERT_STRING_EQUAL(d, "FABRIKAM");
    CU_ASSERT_EQUAL(ntsec_account_flags(&s),
                    NTSEC_ACCOUNT_SENSITIVE | NTSEC_ACCOUNT_TRUSTED_TO_AUTH_FOR_DELEGATION);
    ntsec_sid_from_string("S-1-5-21-44-55-66-2000", NULL, &s);
    ds = sizeof(d);
    CU_ASSERT_EQUAL(ntsec_account_lookup_sid(&s, n, &ns, d, &ds, &u), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_STRING_EQUAL(n, "LAB$");
    CU_ASSERT_EQUAL(ntsec_account_flags(&s), NTSEC_ACCOUNT_TRUSTED_FOR_DELEGATION);
    ntsec_sid_from_string("S-1-5-21-11-22-33", NULL, &want);
    CU_ASSERT_EQUAL(ntsec_account_lookup_name("LAB", &s, d, &ds, &u), NTSEC_STATUS_SUCCESS);
    CU_ASSERT(ntsec_sid_equal(&s, &want));
    CU_ASSERT_EQUAL(u, NTSEC_SID_TYPE_DOMAIN);

    ntsec_world_reset();
    CU_ASSERT(alice_known());
}

/* Loading under allocation failure: NTSEC_STATUS_NO_MEMORY, nothing
 * leaked and the world unchanged, until it works. */
static void load_survives_allocation_failure(void)
{
    const char *path = write_file("good.ini", good_world);

    for (long n = 0;; n++) {
        unsigned line = 0;
        const char *why = NULL;
        ntsec_status st;
        long live = testutil_live();

        testutil_fail_alloc_after(n);
        st = ntsec_world_load(path, &line, &why);
        testutil_fail_alloc_after(-1);
        if (st == NTSEC_STATUS_SUCCESS)
            break;
        CU_ASSERT_EQUAL(st, NTSEC_STATUS_NO_MEMORY);
        CU_ASSERT_EQUAL(testutil_live(), live);
        CU_ASSERT(alice_known());
        CU_ASSERT_FATAL(n < 1000);
    }
    CU_ASSERT(!alice_known());
    ntsec_world_reset();
}

/* Line numbers count comments and blank lines. */
static void lines_count_comments_and_blanks(void)
{
    unsigned line = 0;
    const char *why = NULL;

    CU_ASSERT_EQUAL(ntsec_world_load(write_file("c.ini", "; one\n\n# three\n[user a]\n"
                                                         "rid = 5 ; inline comment\n"
                                                         "\n[user b]\nrid = 5\n"),
                                     &line, &why),
                    NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(line, 7);
    CU_ASSERT_PTR_NOT_NULL(why);
}

static void remove_files(void)
{
    static const char *const names[] = { "env.ini", "stderr.txt", "bad.ini", "long.ini",
                                         "good.ini", "c.ini" };
    char path[160];

    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
        unlink(path);
    }
    rmdir(dir);
}

/* NTSEC_WORLD must be set before the first use of the world, and the
 * runner's main() already uses it (the process token comes from the
 * world's uid mapping): so set it from a constructor of this test
 * program, before main. */
__attribute__((constructor)) static void set_ntsec_world(void)
{
    FILE *f;

    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        exit(2);
    }
    snprintf(env_file, sizeof(env_file), "%s/env.ini", dir);
    f = fopen(env_file, "w");
    if (!f) {
        perror(env_file);
        exit(2);
    }
    fputs("[user a]\nrid = 5\nbad line\n", f);
    fclose(f);
    setenv("NTSEC_WORLD", env_file, 1);
    atexit(remove_files);
    /* Catch what the first use of the world says, then give stderr back
     * (register_tests runs after that first use). */
    snprintf(err_file, sizeof(err_file), "%s/stderr.txt", dir);
    saved_stderr = dup(2);
    int fd = open(err_file, O_CREAT | O_TRUNC | O_WRONLY, 0600);
    if (fd < 0 || saved_stderr < 0) {
        perror(err_file);
        exit(2);
    }
    dup2(fd, 2);
    close(fd);
}

void register_tests(void)
{
    static CU_TestInfo tests[] = {
        TEST(bad_ntsec_world_keeps_default_and_says_where),
        TEST(every_malformed_file_names_its_line),
        TEST(overlong_line_is_an_error),
        TEST(missing_file_changes_nothing),
        TEST(good_file_replaces_the_world),
        TEST(load_survives_allocation_failure),
        TEST(lines_count_comments_and_blanks),
        CU_TEST_INFO_NULL,
    };
    testutil_add_suite("world_file", tests);
}
