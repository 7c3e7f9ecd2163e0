/* world_file.h - what the two halves of the world file loader share:
 * world_file.c reads the file (inih, line counting, sections and keys)
 * into sections; world_build.c checks the values and builds the world
 * from them. Everything lives in the arena of the world being built. */
#ifndef NTSEC_LIBSEC_WORLD_FILE_H
#define NTSEC_LIBSEC_WORLD_FILE_H

#include <stdbool.h>
#include <stdio.h>

#include "world.h"

enum skind { S_MACHINE, S_DOMAIN, S_USER, S_GROUP, S_HOST, S_WELLKNOWN };

enum key {
    K_NAME, K_SID, K_RID, K_DOMAIN, K_PASSWORD, K_GROUPS, K_RIGHTS, K_FLAGS, K_UID, K_GID,
    K_COUNT
};

#define KB(k) (1u << (k))

struct value {
    const char *text;
    unsigned line;
    struct value *next;         /* repeated keys (lists) */
};

struct section {
    enum skind kind;
    const char *name;
    unsigned line;
    struct value *vals[K_COUNT];
    struct section *next;
};

struct ntsec__world_read {
    struct ntsec__arena *arena;
    FILE *file;
    const char *text;
    size_t pos;
    unsigned line;
    struct section *first, *last;
    bool have_machine;
    unsigned err_line;          /* first error found by this file, 0: none */
    const char *why;
    bool nomem;
};

/* Record the first error (line and static reason); returns 0 so a
 * handler can return it. */
static inline int ntsec__world_fail(struct ntsec__world_read *c, unsigned line, const char *why)
{
    if (!c->err_line) {
        c->err_line = line;
        c->why = why;
    }
    return 0;
}

/* Arena memory, zeroed; NULL when out of memory (or room). */
void *ntsec__arena_alloc(struct ntsec__arena *a, size_t n);
char *ntsec__arena_strndup(struct ntsec__arena *a, const char *s, size_t len);

/* Blanks off both ends: the start, and the length in *len. */
const char *ntsec__world_trim(char *s, size_t *len);

/* Stage 2: check every value of the sections `c` read and fill `w`
 * (whose arena is c->arena). False with c->err_line / c->why set, or
 * c->nomem. */
bool ntsec__world_build(struct ntsec__world_read *c, struct ntsec__world *w);

#endif
