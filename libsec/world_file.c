/* world_file.c - the world file: read it with inih into sections, have
 * world_build.c build a complete world (struct ntsec__world) from them,
 * or report the line that is wrong; and the arena a world lives in. The
 * format is documented in docs/world.md.
 *
 * Reading: the line reader given to ini_parse_stream counts lines (inih's
 * handler is not told the line), recognises section headers, and the key
 * handler stores each value with its line; building then names the line
 * of the key or section behind every semantic error. Nothing is
 * published here: account.c swaps a finished world in. */
#include <ini.h>
#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "alloc.h"
#include "world_file.h"

/* --- the arena: one world, one lifetime ----------------------------------- */

struct chunk {
    struct chunk *next;
    size_t used, cap;
    alignas(16) unsigned char data[];
};

struct ntsec__arena {
    struct chunk *chunks;       /* heap chunks, newest first */
    unsigned char *fixed;       /* or a caller's buffer (the default world) */
    size_t fixed_size, fixed_used;
};

#define CHUNK_SIZE 8192u
#define ALIGN16(n) (((n) + 15u) & ~(size_t)15u)

static struct chunk *chunk_new(size_t need)
{
    size_t cap = need > CHUNK_SIZE ? need : CHUNK_SIZE;
    struct chunk *c = ntsec__alloc(sizeof(*c) + cap);

    if (c) {
        c->next = NULL;
        c->used = 0;
        c->cap = cap;
    }
    return c;
}

void *ntsec__arena_alloc(struct ntsec__arena *a, size_t n)
{
    void *p;

    n = ALIGN16(n ? n : 1);
    if (a->fixed) {
        if (a->fixed_size - a->fixed_used < n)
            return NULL;
        p = a->fixed + a->fixed_used;
        a->fixed_used += n;
    } else {
        struct chunk *c = a->chunks;

        if (c->cap - c->used < n) {
            c = chunk_new(n);
            if (!c)
                return NULL;
            c->next = a->chunks;
            a->chunks = c;
        }
        p = c->data + c->used;
        c->used += n;
    }
    memset(p, 0, n);
    return p;
}

char *ntsec__arena_strndup(struct ntsec__arena *a, const char *s, size_t len)
{
    char *p = ntsec__arena_alloc(a, len + 1);

    if (p) {
        memcpy(p, s, len);
        p[len] = 0;
    }
    return p;
}

static struct ntsec__arena *arena_new(void *fixed, size_t fixed_size)
{
    struct ntsec__arena *a;

    if (fixed) {
        size_t off = ALIGN16(((uintptr_t)fixed & 15u) ? 16u - ((uintptr_t)fixed & 15u) : 0u);
        size_t head = ALIGN16(sizeof(*a));

        if (fixed_size < off + head)
            return NULL;
        a = (struct ntsec__arena *)((unsigned char *)fixed + off);
        memset(a, 0, sizeof(*a));
        a->fixed = (unsigned char *)a + head;
        a->fixed_size = fixed_size - off - head;
        return a;
    }
    struct chunk *c = chunk_new(CHUNK_SIZE);
    if (!c)
        return NULL;
    a = (struct ntsec__arena *)c->data;
    c->used = ALIGN16(sizeof(*a));
    memset(a, 0, sizeof(*a));
    a->chunks = c;
    return a;
}

static void arena_free(struct ntsec__arena *a)
{
    struct chunk *c, *next;

    if (!a || a->fixed)
        return;
    /* The arena itself lives in the oldest chunk: read nothing of it
     * after the walk starts. */
    for (c = a->chunks; c; c = next) {
        next = c->next;
        ntsec__free(c);
    }
}

void ntsec__world_free(struct ntsec__world *w)
{
    if (w)
        arena_free(w->arena);
}

/* --- the vocabulary of the file (tables, read by docs and tests too) ----- */


static const struct {
    const char *name;
    bool repeatable;            /* lists: later lines add to the list */
} keys[K_COUNT] = {
    [K_NAME] = { "name", false },       [K_SID] = { "sid", false },
    [K_RID] = { "rid", false },         [K_DOMAIN] = { "domain", false },
    [K_PASSWORD] = { "password", false }, [K_GROUPS] = { "groups", true },
    [K_RIGHTS] = { "rights", true },    [K_FLAGS] = { "flags", true },
    [K_UID] = { "uid", false },         [K_GID] = { "gid", false },
};

static const struct {
    const char *word;
    enum skind kind;
    bool named;                 /* [word NAME] rather than [word] */
    uint32_t allowed;           /* KB(K_*) */
} sections[] = {
    { "machine", S_MACHINE, false, KB(K_NAME) | KB(K_SID) | KB(K_DOMAIN) | KB(K_RID) | KB(K_FLAGS) },
    { "domain", S_DOMAIN, true, KB(K_SID) },
    { "user", S_USER, true, KB(K_DOMAIN) | KB(K_SID) | KB(K_RID) | KB(K_PASSWORD) | KB(K_GROUPS) |
                            KB(K_RIGHTS) | KB(K_FLAGS) | KB(K_UID) },
    { "group", S_GROUP, true, KB(K_DOMAIN) | KB(K_SID) | KB(K_RID) | KB(K_GROUPS) | KB(K_RIGHTS) |
                              KB(K_GID) },
    { "host", S_HOST, true, KB(K_DOMAIN) | KB(K_SID) | KB(K_RID) | KB(K_FLAGS) },
    { "wellknown", S_WELLKNOWN, true, KB(K_GROUPS) | KB(K_RIGHTS) | KB(K_GID) },
};

/* --- stage 1: reading ----------------------------------------------------- */

const char *ntsec__world_trim(char *s, size_t *len)
{
    size_t n = strlen(s);

    while (*s == ' ' || *s == '\t')
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    *len = n;
    return s;
}

/* "[kind NAME]" - the reader sees every line first, so sections with no
 * keys are seen too, and a header's errors name its line. */
static bool start_section(struct ntsec__world_read *c, char *line)
{
    char *end = strchr(line, ']');
    const char *body, *name;
    size_t blen, wlen, nlen;
    struct section *s;

    if (!end)
        return true;            /* inih reports the malformed header */
    *end = 0;
    body = ntsec__world_trim(line + 1, &blen);
    for (wlen = 0; wlen < blen && body[wlen] != ' ' && body[wlen] != '\t'; wlen++)
        ;
    name = body + wlen;
    nlen = blen - wlen;
    while (nlen && (*name == ' ' || *name == '\t'))
        name++, nlen--;
    *end = ']';

    for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
        if (strlen(sections[i].word) != wlen || strncasecmp(sections[i].word, body, wlen))
            continue;
        if (sections[i].named && !nlen)
            return ntsec__world_fail(c, c->line, "this section needs a name: [kind NAME]");
        if (!sections[i].named && nlen)
            return ntsec__world_fail(c, c->line, "[machine] takes no name (use name = ...)");
        if (sections[i].kind == S_MACHINE && c->have_machine)
            return ntsec__world_fail(c, c->line, "a second [machine] section");
        s = ntsec__arena_alloc(c->arena, sizeof(*s));
        if (!s || !(s->name = ntsec__arena_strndup(c->arena, name, nlen))) {
            c->nomem = true;
            return false;
        }
        s->kind = sections[i].kind;
        s->line = c->line;
        if (c->last)
            c->last->next = s;
        else
            c->first = s;
        c->last = s;
        if (s->kind == S_MACHINE)
            c->have_machine = true;
        return true;
    }
    return ntsec__world_fail(c, c->line,
                "unknown section (machine, domain, user, group, host or wellknown)");
}

/* ini_reader: one line into `str` (num bytes), counting lines. A line
 * that does not fit is an error here, as inih would split it. */
static char *read_line(char *str, int num, void *stream)
{
    struct ntsec__world_read *c = stream;
    size_t n = 0;
    bool newline = false;
    char *p;

    if (c->err_line || c->nomem || num < 2)
        return NULL;
    if (c->file) {
        if (!fgets(str, num, c->file))
            return NULL;
        n = strlen(str);
        newline = n && str[n - 1] == '\n';
        if (!newline && n == (size_t)num - 1) {
            int ch = fgetc(c->file);

            if (ch != EOF) {
                c->line++;
                ntsec__world_fail(c, c->line, "line too long (a list may be split over repeated keys)");
                return NULL;
            }
        }
    } else {
        const char *t = c->text + c->pos;

        if (!*t)
            return NULL;
        while (t[n] && t[n] != '\n' && n < (size_t)num - 1)
            n++;
        if (t[n] == '\n' && n < (size_t)num - 1) {
            newline = true;
            n++;
        } else if (t[n] && t[n] != '\n') {
            c->line++;
            ntsec__world_fail(c, c->line, "line too long (a list may be split over repeated keys)");
            return NULL;
        }
        memcpy(str, t, n);
        str[n] = 0;
        c->pos += n;
    }
    c->line++;
    p = str;
    if (c->line == 1 && !memcmp(p, "\xEF\xBB\xBF", 3))
        p += 3;
    if (*p == '[')
        return start_section(c, p) ? str : NULL;
    if (*p == ' ' || *p == '\t') {
        /* inih would read an indented line as the continuation of the
         * previous value; the world file has no continuation lines. */
        while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
            p++;
        if (*p && *p != ';' && *p != '#') {
            ntsec__world_fail(c, c->line, "a line must not start with a blank");
            return NULL;
        }
    }
    return str;
}

static bool allowed_in(enum skind kind, enum key k)
{
    for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
        if (sections[i].kind == kind)
            return sections[i].allowed & KB(k);
    return false;
}

/* ini_handler: store `name = value` in the current section. */
static int on_key(void *user, const char *section, const char *name, const char *value)
{
    struct ntsec__world_read *c = user;
    struct section *s = c->last;
    struct value *v, **tail;
    int k;

    (void)section;
    if (c->err_line || c->nomem)
        return 0;
    if (!s)
        return ntsec__world_fail(c, c->line, "a key before the first [section]");
    for (k = 0; k < K_COUNT; k++)
        if (!strcasecmp(keys[k].name, name))
            break;
    if (k == K_COUNT)
        return ntsec__world_fail(c, c->line, "unknown key");
    if (!allowed_in(s->kind, (enum key)k))
        return ntsec__world_fail(c, c->line, "this key does not belong in this kind of section");
    if (!*value)
        return ntsec__world_fail(c, c->line, "empty value");
    if (s->vals[k] && !keys[k].repeatable)
        return ntsec__world_fail(c, c->line, "key given twice in one section");
    v = ntsec__arena_alloc(c->arena, sizeof(*v));
    if (!v || !(v->text = ntsec__arena_strndup(c->arena, value, strlen(value)))) {
        c->nomem = true;
        return 0;
    }
    v->line = c->line;
    for (tail = &s->vals[k]; *tail; tail = &(*tail)->next)
        ;
    *tail = v;
    return 1;
}

/* --- entry points --------------------------------------------------------- */

static ntsec_status parse(struct ntsec__world_read *c, void *static_buf, size_t static_size,
                          struct ntsec__world **out, unsigned *line, const char **why)
{
    struct ntsec__world *w;
    int r;

    c->arena = arena_new(static_buf, static_size);
    if (!c->arena)
        return NTSEC_STATUS_NO_MEMORY;
    r = ini_parse_stream(read_line, c, on_key, c);
    if (!c->nomem && r == 0 && !c->err_line) {
        w = ntsec__arena_alloc(c->arena, sizeof(*w));
        if (!w) {
            c->nomem = true;
        } else {
            w->arena = c->arena;
            if (ntsec__world_build(c, w) && !c->nomem) {
                *out = w;
                return NTSEC_STATUS_SUCCESS;
            }
        }
    }
    arena_free(c->arena);
    if (c->nomem)
        return NTSEC_STATUS_NO_MEMORY;
    if (r == -2)
        return NTSEC_STATUS_NO_MEMORY;
    /* inih returns the first line it could not read; ours may come later
     * (or earlier, when the reader stopped the read). */
    if (r > 0 && (!c->err_line || (unsigned)r < c->err_line)) {
        c->err_line = (unsigned)r;
        c->why = "malformed line (expected [section], key = value, or a ; comment)";
    }
    if (line)
        *line = c->err_line;
    if (why)
        *why = c->why;
    return NTSEC_STATUS_INVALID_PARAMETER;
}

ntsec_status ntsec__world_parse_file(const char *path, struct ntsec__world **out,
                                     unsigned *line, const char **why)
{
    struct ntsec__world_read c;
    ntsec_status st;

    memset(&c, 0, sizeof(c));
    if (!path || !out)
        return NTSEC_STATUS_INVALID_PARAMETER;
    c.file = fopen(path, "r");
    if (!c.file) {
        if (line)
            *line = 0;
        if (why)
            *why = "cannot open the file";
        return NTSEC_STATUS_OBJECT_NAME_NOT_FOUND;
    }
    st = parse(&c, NULL, 0, out, line, why);
    fclose(c.file);
    return st;
}

ntsec_status ntsec__world_parse_text(const char *text, void *static_buf, size_t static_size,
                                     struct ntsec__world **out, unsigned *line, const char **why)
{
    struct ntsec__world_read c;

    memset(&c, 0, sizeof(c));
    if (!text || !out)
        return NTSEC_STATUS_INVALID_PARAMETER;
    c.text = text;
    return parse(&c, static_buf, static_size, out, line, why);
}
