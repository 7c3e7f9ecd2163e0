/* whoami.c - `ntsec whoami [/user] [/groups] [/priv] [/all] [--as USER]`:
 * the caller's token as Windows' whoami.exe shows it. Without options,
 * DOMAIN\user; /all prints USER INFORMATION, GROUP INFORMATION (name,
 * type, SID, attributes in words, the integrity label among them) and
 * PRIVILEGES INFORMATION (name, description, state), each a table with
 * '=' rules under its headers, as whoami /all does.
 *
 * The token is the current process' primary token (made from the Linux
 * credentials, see docs/linux.md), or with --as USER the token an
 * interactive logon of USER gets from the account world. */
#include <ctype.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ntsec/ntsec.h>

#include "cli.h"

#define NAME_MAX_LEN 512

/* The options, as whoami.exe spells them (compared without case). */
enum { SHOW_USER = 1, SHOW_GROUPS = 2, SHOW_PRIVS = 4, SHOW_ALL = 7 };

struct option_word {
    const char *word;
    unsigned show;
};

static const struct option_word option_words[] = {
    { "/user", SHOW_USER }, { "/groups", SHOW_GROUPS }, { "/priv", SHOW_PRIVS },
    { "/all", SHOW_ALL },
};

/* SID_NAME_USE as whoami's Type column writes it. */
struct use_word {
    enum ntsec_sid_use use;
    const char *word;
};

static const struct use_word use_words[] = {
    { NTSEC_SID_TYPE_USER, "User" },
    { NTSEC_SID_TYPE_GROUP, "Group" },
    { NTSEC_SID_TYPE_DOMAIN, "Domain" },
    { NTSEC_SID_TYPE_ALIAS, "Alias" },
    { NTSEC_SID_TYPE_WELL_KNOWN_GROUP, "Well-known group" },
    { NTSEC_SID_TYPE_DELETED_ACCOUNT, "Deleted account" },
    { NTSEC_SID_TYPE_COMPUTER, "Computer" },
    { NTSEC_SID_TYPE_LABEL, "Label" },
};

/* Group attributes in whoami's words, in its order. The label's
 * INTEGRITY bits and the logon SID's LOGON_ID bits have no words: whoami
 * leaves a label's attributes empty. */
struct attribute_word {
    uint32_t bit;
    const char *word;
};

static const struct attribute_word attribute_words[] = {
    { NTSEC_SE_GROUP_MANDATORY, "Mandatory group" },
    { NTSEC_SE_GROUP_ENABLED_BY_DEFAULT, "Enabled by default" },
    { NTSEC_SE_GROUP_ENABLED, "Enabled group" },
    { NTSEC_SE_GROUP_OWNER, "Group owner" },
    { NTSEC_SE_GROUP_USE_FOR_DENY_ONLY, "Group used for deny only" },
    { NTSEC_SE_GROUP_RESOURCE, "Local Group" },
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* --- names ----------------------------------------------------------------- */

struct sid_label {
    char name[NAME_MAX_LEN];
    enum ntsec_sid_use use;
};

/* Samba's names for unmapped Unix identities (S-1-22-1-uid, S-1-22-2-gid),
 * from the system's user and group databases. */
static bool unix_name(const struct ntsec_sid *sid, struct sid_label *out)
{
    const char *name = NULL;

    if (ntsec_sid_authority(sid) != 22 || sid->sub_authority_count != 2)
        return false;
    if (sid->sub_authority[0] == 1) {
        struct passwd *pw = getpwuid((uid_t)sid->sub_authority[1]);
        name = pw ? pw->pw_name : NULL;
        out->use = NTSEC_SID_TYPE_USER;
        if (name)
            snprintf(out->name, sizeof(out->name), "Unix User\\%s", name);
    } else if (sid->sub_authority[0] == 2) {
        struct group *gr = getgrgid((gid_t)sid->sub_authority[1]);
        name = gr ? gr->gr_name : NULL;
        out->use = NTSEC_SID_TYPE_GROUP;
        if (name)
            snprintf(out->name, sizeof(out->name), "Unix Group\\%s", name);
    }
    return name != NULL;
}

/* The use of a SID only ntsec_sid_name() knows: a label (S-1-16-x), a
 * BUILTIN alias (S-1-5-32-x), else a well-known group. */
static enum ntsec_sid_use well_known_use(const struct ntsec_sid *sid)
{
    if (ntsec_sid_authority(sid) == 16)
        return NTSEC_SID_TYPE_LABEL;
    if (ntsec_sid_authority(sid) == 5 && sid->sub_authority_count == 2 &&
        sid->sub_authority[0] == 32)
        return NTSEC_SID_TYPE_ALIAS;
    return NTSEC_SID_TYPE_WELL_KNOWN_GROUP;
}

/* LookupAccountSid through the account world, then ntsec's well-known
 * names, then the Unix databases, else the SID string. */
static void label_sid(const struct ntsec_sid *sid, struct sid_label *out)
{
    char name[256], domain[256];
    size_t name_size = sizeof(name), domain_size = sizeof(domain);
    const char *known;

    if (ntsec_success(ntsec_account_lookup_sid(sid, name, &name_size, domain, &domain_size,
                                               &out->use))) {
        if (domain[0])
            snprintf(out->name, sizeof(out->name), "%s\\%s", domain, name);
        else
            snprintf(out->name, sizeof(out->name), "%s", name);
        return;
    }
    known = ntsec_sid_name(sid);
    if (known) {
        snprintf(out->name, sizeof(out->name), "%s", known);
        out->use = well_known_use(sid);
        return;
    }
    if (unix_name(sid, out))
        return;
    ntsec_sid_format(sid, out->name, sizeof(out->name));
    out->use = NTSEC_SID_TYPE_UNKNOWN;
}

static const char *use_word(enum ntsec_sid_use use)
{
    for (size_t i = 0; i < COUNT(use_words); i++)
        if (use_words[i].use == use)
            return use_words[i].word;
    return "Unknown SID type";
}

/* whoami writes the user's DOMAIN\name in lower case ("nt authority\system"). */
static void lower(char *s)
{
    for (; *s; s++)
        *s = (char)tolower((unsigned char)*s);
}

static void attribute_text(uint32_t attributes, char *out, size_t size)
{
    size_t used = 0;

    out[0] = '\0';
    for (size_t i = 0; i < COUNT(attribute_words); i++)
        if (attributes & attribute_words[i].bit)
            used += (size_t)snprintf(out + used, used < size ? size - used : 0, "%s%s",
                                     used ? ", " : "", attribute_words[i].word);
}

/* --- tables ---------------------------------------------------------------- */

/* A table of `ncols` columns: each cell a string; widths are the longest
 * cell or header, columns one blank apart, headers underlined with '='. */
struct table {
    size_t ncols, nrows;
    const char *headers[4];
    char **cells;              /* nrows * ncols, malloc'ed strings */
};

static void table_print(const char *title, const struct table *t)
{
    size_t width[4] = { 0 };

    printf("\n%s\n", title);
    for (size_t i = 0; title[i]; i++)
        putchar('-');
    printf("\n\n");
    for (size_t c = 0; c < t->ncols; c++) {
        width[c] = strlen(t->headers[c]);
        for (size_t r = 0; r < t->nrows; r++) {
            size_t w = strlen(t->cells[r * t->ncols + c]);
            if (w > width[c])
                width[c] = w;
        }
    }
    for (size_t c = 0; c < t->ncols; c++) {
        if (c + 1 < t->ncols)
            printf("%-*s ", (int)width[c], t->headers[c]);
        else
            printf("%s\n", t->headers[c]);
    }
    for (size_t c = 0; c < t->ncols; c++) {
        for (size_t i = 0; i < width[c]; i++)
            putchar('=');
        putchar(c + 1 < t->ncols ? ' ' : '\n');
    }
    for (size_t r = 0; r < t->nrows; r++) {
        for (size_t c = 0; c < t->ncols; c++) {
            const char *cell = t->cells[r * t->ncols + c];
            if (c + 1 < t->ncols)
                printf("%-*s ", (int)width[c], cell);
            else
                printf("%s\n", cell);
        }
    }
}

static bool table_init(struct table *t, size_t ncols, size_t nrows)
{
    t->ncols = ncols;
    t->nrows = nrows;
    t->cells = calloc(ncols * nrows + 1, sizeof(char *));
    return t->cells != NULL;
}

static void table_free(struct table *t)
{
    for (size_t i = 0; i < t->ncols * t->nrows; i++)
        free(t->cells[i]);
    free(t->cells);
}

static bool table_set(struct table *t, size_t row, size_t col, const char *text)
{
    return (t->cells[row * t->ncols + col] = strdup(text)) != NULL;
}

/* --- the token ----------------------------------------------------------- */

/* NtQueryInformationToken into a malloc'ed buffer of the size it asks. */
static void *query(const struct ntsec_token *token, enum ntsec_token_info_class cls)
{
    uint32_t need = 0;
    void *buf;
    ntsec_status st = ntsec_token_query(token, cls, NULL, 0, &need);

    if (st != NTSEC_STATUS_BUFFER_TOO_SMALL || !need)
        return NULL;
    buf = malloc(need);
    if (buf && !ntsec_success(ntsec_token_query(token, cls, buf, need, &need))) {
        free(buf);
        buf = NULL;
    }
    return buf;
}

/* TOKEN_GROUPS and TOKEN_PRIVILEGES in Windows' x64 layout. */
struct groups_view {
    uint32_t count;
    struct ntsec_sid_and_attributes groups[];
};

struct privileges_view {
    uint32_t count;
    struct ntsec_luid_and_attributes privileges[];
};

static int show_user(const struct ntsec_token *token, bool table)
{
    struct ntsec_sid_and_attributes *user = query(token, NTSEC_TOKEN_USER);
    struct sid_label label;
    char sid_text[NTSEC_SID_STRING_MAX];
    struct table t = { .headers = { "User Name", "SID" } };
    bool ok;

    if (!user)
        return 1;
    label_sid(user->sid, &label);
    lower(label.name);
    if (!table) {
        printf("%s\n", label.name);
        free(user);
        return 0;
    }
    ntsec_sid_format(user->sid, sid_text, sizeof(sid_text));
    ok = table_init(&t, 2, 1) && table_set(&t, 0, 0, label.name) && table_set(&t, 0, 1, sid_text);
    if (ok)
        table_print("USER INFORMATION", &t);
    if (t.cells)
        table_free(&t);
    free(user);
    return ok ? 0 : 1;
}

static int show_groups(const struct ntsec_token *token)
{
    struct groups_view *g = query(token, NTSEC_TOKEN_GROUPS);
    struct table t = { .headers = { "Group Name", "Type", "SID", "Attributes" } };
    size_t row = 0;
    bool ok;

    if (!g)
        return 1;
    ok = table_init(&t, 4, g->count);
    for (uint32_t i = 0; ok && i < g->count; i++) {
        const struct ntsec_sid_and_attributes *e = &g->groups[i];
        struct sid_label label;
        char sid_text[NTSEC_SID_STRING_MAX], attrs[256];

        /* whoami leaves out the logon SID (whoami /logonid shows it). */
        if ((e->attributes & NTSEC_SE_GROUP_LOGON_ID) == NTSEC_SE_GROUP_LOGON_ID)
            continue;
        label_sid(e->sid, &label);
        ntsec_sid_format(e->sid, sid_text, sizeof(sid_text));
        attribute_text(e->attributes, attrs, sizeof(attrs));
        ok = table_set(&t, row, 0, label.name) && table_set(&t, row, 1, use_word(label.use)) &&
             table_set(&t, row, 2, sid_text) && table_set(&t, row, 3, attrs);
        row++;
    }
    if (ok) {
        size_t all = t.nrows;
        t.nrows = row;
        table_print("GROUP INFORMATION", &t);
        t.nrows = all;
    }
    if (t.cells)
        table_free(&t);
    free(g);
    return ok ? 0 : 1;
}

static int show_privileges(const struct ntsec_token *token)
{
    struct privileges_view *p = query(token, NTSEC_TOKEN_PRIVILEGES);
    struct table t = { .headers = { "Privilege Name", "Description", "State" } };
    bool ok;

    if (!p)
        return 1;
    ok = table_init(&t, 3, p->count);
    for (uint32_t i = 0; ok && i < p->count; i++) {
        const char *name = ntsec_privilege_name(p->privileges[i].luid);
        const char *display = ntsec_privilege_display_name(p->privileges[i].luid);

        ok = table_set(&t, i, 0, name ? name : "?") && table_set(&t, i, 1, display ? display : "") &&
             table_set(&t, i, 2, p->privileges[i].attributes & NTSEC_SE_PRIVILEGE_ENABLED
                                     ? "Enabled" : "Disabled");
    }
    if (ok)
        table_print("PRIVILEGES INFORMATION", &t);
    if (t.cells)
        table_free(&t);
    free(p);
    return ok ? 0 : 1;
}

static int usage(void)
{
    fprintf(stderr, "usage: ntsec whoami [/user] [/groups] [/priv] [/all] [--as USER]\n");
    return 2;
}

int cli_whoami(int argc, char **argv)
{
    const char *as = NULL;
    unsigned show = 0;
    struct ntsec_token *token;
    int rc = 0;

    for (int i = 1; i < argc; i++) {
        size_t w;

        if (!strcmp(argv[i], "--as") && i + 1 < argc) {
            as = argv[++i];
            continue;
        }
        if (!strncmp(argv[i], "--as=", 5)) {
            as = argv[i] + 5;
            continue;
        }
        for (w = 0; w < COUNT(option_words); w++)
            if (!strcasecmp(argv[i], option_words[w].word))
                break;
        if (w == COUNT(option_words))
            return usage();
        show |= option_words[w].show;
    }

    if (as) {
        ntsec_status st = ntsec_logon_token(as, NULL, NTSEC_LOGON_INTERACTIVE, &token);
        if (!ntsec_success(st)) {
            const char *name = ntsec_status_name(st);
            fprintf(stderr, "ntsec whoami: cannot log on '%s': %s\n", as, name ? name : "error");
            return 1;
        }
    } else {
        struct ntsec_process *self = ntsec_process_current();

        token = self ? ntsec_process_token(self) : NULL;
        if (!token) {
            fprintf(stderr, "ntsec whoami: no process token\n");
            return 1;
        }
    }

    if (!show)
        rc = show_user(token, false);
    if (!rc && (show & SHOW_USER))
        rc = show_user(token, true);
    if (!rc && (show & SHOW_GROUPS))
        rc = show_groups(token);
    if (!rc && (show & SHOW_PRIVS))
        rc = show_privileges(token);
    if (rc)
        fprintf(stderr, "ntsec whoami: cannot read the token\n");
    ntsec_token_put(token);
    return rc;
}
